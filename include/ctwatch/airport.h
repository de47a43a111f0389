/* airport.h — airports by IATA or ICAO code, and the country each is in.
 *
 * The table is OpenFlights' airport database (data/openflights/, ODbL 1.0:
 * "This product includes data from OpenFlights
 * (https://openflights.org/data.html), made available under the Open
 * Database License"), compiled into the library at build time by
 * tools/gen_airports.c, with each airport's country as an ISO 3166-1 alpha-3
 * code (Debian iso-codes). About 7,700 airports, 6,000 of them with an IATA
 * code.
 *
 * Everything returned points into constant static data: valid for the life
 * of the process, never to be freed. All functions are thread-safe and need
 * no initialisation.
 */
#ifndef CTWATCH_AIRPORT_H
#define CTWATCH_AIRPORT_H

#include <stddef.h>

typedef struct ctw_airport {
    const char *iata;     /* "FRA", or NULL for the airports that have none */
    const char *icao;     /* "EDDF", or NULL */
    const char *name;     /* "Frankfurt am Main Airport" (UTF-8) */
    const char *city;     /* "Frankfurt" (UTF-8), or NULL */
    const char *country;  /* ISO 3166-1 alpha-3: "DEU" */
    double lat, lon;      /* degrees, WGS 84 */
} ctw_airport;

/* The airport with this IATA (3 letters or digits) or ICAO (4) code, in any
 * case; NULL if the code is unknown or not of that shape (NULL included). */
const ctw_airport *ctw_airport_lookup(const char *code);

/* Alpha-3 code of the country of the airport with this code ("FRA" →
 * "DEU"), or NULL if the airport is unknown. */
const char *ctw_airport_country(const char *code);

/* Number of airports in the table (with an IATA code, an ICAO code or both). */
size_t ctw_airport_count(void);

#endif
