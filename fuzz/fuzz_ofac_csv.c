/* fuzz_ofac_csv.c — libFuzzer target for the OFAC SDN legacy CSV reader.
 *
 * The input is up to three files joined by NUL bytes:
 *   sdn.csv \0 alt.csv \0 add.csv
 * (NUL cannot appear in a valid file, so it is a safe separator; a fourth
 * part, if any, stays in add.csv, where the reader must refuse the NUL).
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ctwatch/import.h"

static int free_sink(void *ud, ctw_record *rec)
{
    (void)ud;
    ctw_record_free(rec);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *part[3] = {NULL, NULL, NULL};
    size_t len[3] = {0, 0, 0};
    const char *p = (const char *)data, *end = p + size;
    for (int i = 0; i < 3 && p <= end; i++) {
        const char *nul = i < 2 ? memchr(p, '\0', (size_t)(end - p)) : NULL;
        part[i] = p;
        len[i] = (size_t)((nul ? nul : end) - p);
        if (!nul) break;
        p = nul + 1;
    }
    ctw_error err;
    ctw_ofac_csv_read_mem(part[0], len[0], "sdn.csv", part[1], len[1], "alt.csv",
                          part[2], len[2], "add.csv", free_sink, NULL, &err);
    return 0;
}
