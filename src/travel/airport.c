/* airport.c — airport lookup (see airport.h).
 *
 * build-gen/airports.h holds ctw__airports[]: first the airports with an
 * IATA code, sorted by it (CTW__AIRPORTS_N_IATA of them), then the rest
 * sorted by ICAO; ctw__airports_by_icao[], indices sorted by ICAO code; and
 * both orders as integer keys (the code's bytes, big-endian). A lookup is
 * one binary search over integers; nothing is allocated or initialised.
 */
#include <stdint.h>

#include "ctwatch/airport.h"

#include "airports.h"

/* The code upper-cased as a big-endian key, if it is exactly 3 or 4
 * letters or digits; its length, or 0 if it is not a code. */
static size_t code_key(const char *code, uint32_t *key)
{
    size_t n = 0;
    uint32_t k = 0;
    if (!code) return 0;
    for (; code[n]; n++) {
        char c = code[n];
        if (n == 4) return 0;
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
        k = (k << 8) | (unsigned char)c;
    }
    *key = k;
    return n == 3 || n == 4 ? n : 0;
}

/* Index of key in the sorted keys[0..n), or -1. */
static long find(const uint32_t *keys, size_t n, uint32_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (keys[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    return lo < n && keys[lo] == key ? (long)lo : -1;
}

const ctw_airport *ctw_airport_lookup(const char *code)
{
    uint32_t k;
    long i;
    switch (code_key(code, &k)) {
    case 3:
        i = find(ctw__airports_iata_key, CTW__AIRPORTS_N_IATA, k);
        return i < 0 ? NULL : &ctw__airports[i];
    case 4:
        i = find(ctw__airports_icao_key, CTW__AIRPORTS_N_ICAO, k);
        return i < 0 ? NULL : &ctw__airports[ctw__airports_by_icao[i]];
    default:
        return NULL;
    }
}

const char *ctw_airport_country(const char *code)
{
    const ctw_airport *a = ctw_airport_lookup(code);
    return a ? a->country : NULL;
}

size_t ctw_airport_count(void)
{
    return CTW__AIRPORTS_N;
}
