/* airport.c — airport lookup (see airport.h).
 *
 * build-gen/airports.h holds ctw__airports[]: first the airports with an
 * IATA code, sorted by it (CTW__AIRPORTS_N_IATA of them), then the rest
 * sorted by ICAO; and ctw__airports_by_icao[], indices sorted by ICAO code.
 * A lookup is one binary search; nothing is allocated or initialised.
 */
#include <stdlib.h>
#include <string.h>

#include "ctwatch/airport.h"

#include "airports.h"

/* Copy code upper-cased into out if it is exactly 3 or 4 letters or digits;
 * returns its length, or 0 if it is not a code. */
static size_t normalise(const char *code, char out[5])
{
    size_t n = 0;
    if (!code) return 0;
    for (; code[n]; n++) {
        char c = code[n];
        if (n == 4) return 0;
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) return 0;
        out[n] = c;
    }
    out[n] = '\0';
    return n == 3 || n == 4 ? n : 0;
}

static int cmp_iata(const void *key, const void *elem)
{
    return strcmp(key, ((const ctw_airport *)elem)->iata);
}

static int cmp_icao(const void *key, const void *elem)
{
    return strcmp(key, ctw__airports[*(const unsigned short *)elem].icao);
}

const ctw_airport *ctw_airport_lookup(const char *code)
{
    char k[5];
    size_t n = normalise(code, k);
    if (n == 3)
        return bsearch(k, ctw__airports, CTW__AIRPORTS_N_IATA, sizeof ctw__airports[0], cmp_iata);
    if (n == 4) {
        const unsigned short *i = bsearch(k, ctw__airports_by_icao, CTW__AIRPORTS_N_ICAO,
                                          sizeof ctw__airports_by_icao[0], cmp_icao);
        return i ? &ctw__airports[*i] : NULL;
    }
    return NULL;
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
