/* fuzz_ftm.c — libFuzzer target for the FtM JSON-lines reader and writer.
 *
 * Every record the reader builds is also written back out, so that the
 * writer sees whatever odd but valid records hostile input can produce.
 */
#include <stddef.h>
#include <stdint.h>

#include "ctwatch/import.h"

static int discard_line(void *ud, const char *line, size_t len)
{
    (void)ud;
    (void)line;
    (void)len;
    return 0;
}

static int write_and_free(void *ud, ctw_record *r)
{
    (void)ud;
    ctw_ftm_write(r, discard_line, NULL);
    ctw_record_free(r);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ctw_error err;
    ctw_error_clear(&err);
    ctw_ftm_read_mem((const char *)data, size, "fuzz", write_and_free, NULL, &err);
    return 0;
}
