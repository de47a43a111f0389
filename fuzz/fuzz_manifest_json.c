/* fuzz_manifest_json.c — libFuzzer target for the plain JSON manifest
 * (ctw_manifest_parse_json) and, on the same bytes, format detection
 * (ctw_manifest_parse).
 *
 * Nothing may crash, leak or read out of bounds. A parse that succeeds
 * must keep the contract of manifest.h: counts within the limits, booking
 * indices in range, every string UTF-8 (ctw_manifest_to_json() succeeds).
 * A parse that fails must say why and leave *out untouched.
 * Seeds: fuzz/corpus/fuzz_manifest_json/, small manifests with
 * bookings, itineraries and documents.
 */
#include "fuzz_manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    run(ctw_manifest_parse_json, data, size);
    run(detect, data, size);
    return 0;
}
