/* read_file.c — read a whole input file into memory, with a size cap.
 *
 * Readers take (buffer, length) so that they can be fuzzed without files;
 * this is the one place that turns a path into such a buffer. The cap is
 * checked while reading, not only against the size fstat reports, so a
 * pipe, a /proc file or a file that grows under us cannot exceed it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctwatch/import.h"

#define READ_CHUNK (64u * 1024u)

int ctw_read_file(const char *path, size_t max, char **out, size_t *len, ctw_error *err)
{
    int rc = 0;
    char *buf = NULL;
    size_t n = 0, cap = 0;

    if (!path || !out || !len)
        return ctw_error_set(err, CTW_EINVAL, path, "no file given");
    bool std_in = strcmp(path, "-") == 0;
    FILE *f = std_in ? stdin : fopen(path, "rb");
    if (!f)
        return ctw_error_set(err, CTW_EIO, path, "cannot open %s: %s", path, strerror(errno));

    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size >= 0 &&
        (unsigned long long)st.st_size > max) {
        rc = ctw_error_set(err, CTW_ELIMIT, path, "%s is larger than %zu bytes", path, max);
        goto out_close;
    }

    /* Never hold more than max plus one chunk: enough to see that max was passed. */
    const size_t limit = max > SIZE_MAX - READ_CHUNK - 1 ? SIZE_MAX : max + READ_CHUNK + 1;
    for (;;) {
        /* Room for one more chunk plus the NUL we add for callers' comfort. */
        if (cap - n < READ_CHUNK + 1) {
            size_t ncap = cap ? cap * 2 : READ_CHUNK + 1;
            if (ncap < cap || ncap > limit) ncap = limit;
            if (ncap <= cap) {
                rc = ctw_error_set(err, CTW_ELIMIT, path, "%s is larger than %zu bytes", path, max);
                goto out_free;
            }
            char *nb = realloc(buf, ncap);
            if (!nb) {
                rc = ctw_error_set(err, CTW_ENOMEM, path, "out of memory reading %s", path);
                goto out_free;
            }
            buf = nb;
            cap = ncap;
        }
        size_t want = cap - n - 1;
        if (want > READ_CHUNK) want = READ_CHUNK;
        size_t got = fread(buf + n, 1, want, f);
        n += got;
        if (n > max) {
            rc = ctw_error_set(err, CTW_ELIMIT, path, "%s is larger than %zu bytes", path, max);
            goto out_free;
        }
        if (got < want) {
            if (ferror(f)) {
                rc = ctw_error_set(err, CTW_EIO, path, "cannot read %s: %s", path,
                                   strerror(errno ? errno : EIO));
                goto out_free;
            }
            break;
        }
    }
    if (!buf) {
        buf = malloc(1);
        if (!buf) {
            rc = ctw_error_set(err, CTW_ENOMEM, path, "out of memory reading %s", path);
            goto out_close;
        }
    }
    buf[n] = '\0';
    *out = buf;
    *len = n;
    buf = NULL;

out_free:
    free(buf);
out_close:
    if (!std_in) fclose(f);
    return rc;
}
