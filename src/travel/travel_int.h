/* travel_int.h — internals of src/travel shared with its tests (private).
 */
#ifndef CTW_TRAVEL_INT_H
#define CTW_TRAVEL_INT_H

#include <stdbool.h>

/* codes.c: answers of the country module (country.h), from tables built
 * once, for the hot paths of this module. Thread-safe.
 *
 * True if code[0..2] are capital letters A-Z and name a known code: the
 * same answer as ctw_country_is_code on that three-letter string. Reads
 * only as far as the first byte that is not a capital letter. */
bool ctw__travel_code3_known(const char *code);
/* For code[0..1] capital letters A-Z: the alpha-3 code that
 * ctw_country_lookup gives for that two-letter string (static), or NULL. */
const char *ctw__travel_code2_alpha3(const char *code);

/* Fault injection for tests (SQLite's malloc-failure idea): while non-zero,
 * the next slot-array allocation of a ctw_doctable fails as if the memory
 * were gone, and the counter drops back to 0. Not synchronised: set it
 * only while no other thread uses a table. Production code never sets it. */
extern int ctw__doctable_fail_next_alloc;

#endif
