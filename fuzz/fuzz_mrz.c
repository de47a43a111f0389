/* fuzz_mrz.c — any bytes through the MRZ parser (as one MRZ text) and
 * through the MRZ name writer (split at the first NUL into surname and
 * given names). Nothing may crash, and what comes out must keep the
 * contract: NUL-terminated fields, valid only without issues, and names of
 * exactly the width asked, in [A-Z0-9<]. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/mrz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ctw_mrz m;
    ctw_error err;
    ctw_error_clear(&err);
    if (ctw_mrz_parse((const char *)data, size, &m, &err) == 0) {
        if (m.valid != (m.n_issues == 0)) abort();
        if (m.n_issues > CTW_MRZ_MAX_ISSUES) abort();
        if (strnlen(m.document_number, sizeof m.document_number) == sizeof m.document_number) abort();
        if (strnlen(m.primary, sizeof m.primary) == sizeof m.primary) abort();
        if (strnlen(m.secondary, sizeof m.secondary) == sizeof m.secondary) abort();
        if (strnlen(m.birth_date_iso, sizeof m.birth_date_iso) != 10) abort();
    } else if (err.message[0] == '\0') {
        abort();
    }

    if (size > 2 * CTW_MRZ_MAX_INPUT) return 0;
    char *s = malloc(size + 1);
    if (!s) return 0;
    memcpy(s, data, size);
    s[size] = '\0';
    const char *given = s + strlen(s) < s + size ? s + strlen(s) + 1 : NULL;
    size_t width = size ? 1 + data[0] % 44 : 30;
    char out[64];
    if (ctw_mrz_name(s, given, width, out, sizeof out) == 0) {
        if (strlen(out) != width) abort();
        for (size_t i = 0; i < width; i++)
            if (!((out[i] >= 'A' && out[i] <= 'Z') || (out[i] >= '0' && out[i] <= '9') || out[i] == '<')) abort();
    }
    free(s);
    return 0;
}
