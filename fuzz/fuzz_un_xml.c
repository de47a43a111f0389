/* fuzz_un_xml.c — libFuzzer target for the UN Consolidated List reader.
 *
 * Any bytes go to ctw_un_xml_read_mem(); records are freed by the sink.
 * The reader must never crash, leak or read out of bounds, whatever it is
 * given; its result code is not checked. Seeds: fuzz/corpus/fuzz_un_xml/,
 * fragments of tests/data/un/consolidated-2026-02-27.xml.
 */
#include <stddef.h>
#include <stdint.h>

#include "ctwatch/import.h"

static int free_sink(void *ud, ctw_record *rec)
{
    size_t *n = ud;
    ctw_record_free(rec);
    /* stop now and then, so the early-return path is fuzzed too */
    return ++*n == 50 ? 1 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t n = 0;
    ctw_error err;
    ctw_un_xml_read_mem((const char *)data, size, "fuzz.xml", free_sink, &n, &err);
    return 0;
}
