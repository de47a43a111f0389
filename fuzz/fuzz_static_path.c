/* fuzz_static_path.c — any bytes as the decoded path of a request for the
 * web interface (ctw__http_static_path). Nothing may crash, and what comes
 * out must keep the contract: a refused path leaves "", an accepted one is
 * printable ASCII without a backslash, never absolute, with no "." or ".."
 * segment nor any segment starting with '.', no empty segment, and
 * cleaning it again (as "/" + it) gives it back unchanged. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/static.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char out[CTW_STATIC_PATH_MAX + 1];
    size_t cap = size ? 1 + data[0] % sizeof out : sizeof out; /* small buffers too */
    if (ctw__http_static_path((const char *)data, size, out, cap) != 0) {
        if (out[0] != '\0') abort();
        return 0;
    }
    size_t n = strlen(out);
    if (n >= cap) abort();
    if (n && (out[0] == '/' || out[n - 1] == '/')) abort();
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)out[i];
        if (ch < 0x20 || ch >= 0x7f || ch == '\\') abort();
        if (ch == '/' && out[i + 1] == '/') abort();
        if ((i == 0 || out[i - 1] == '/') && ch == '.') abort(); /* ., .., hidden */
    }
    char again_in[CTW_STATIC_PATH_MAX + 2], again[CTW_STATIC_PATH_MAX + 1];
    again_in[0] = '/';
    memcpy(again_in + 1, out, n);
    if (ctw__http_static_path(again_in, n + 1, again, sizeof again) != 0) abort();
    if (strcmp(again, out) != 0) abort();
    return 0;
}
