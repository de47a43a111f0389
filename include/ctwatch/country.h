/* country.h — country names and codes to ISO 3166-1 alpha-3.
 *
 * The table comes from Debian's iso-codes package (ISO 3166-1 and -3 JSON
 * under /usr/share/iso-codes/json, overridable with $CTWATCH_ISO_CODES_DIR),
 * loaded once on first use, plus the short and historical names that lists
 * use and ISO does not ("Russia", "Burma", "Korea, North", ...) and the
 * ICAO 9303 codes that are not ISO 3166 (XXA, UNO, D, ...).
 * All returned strings are static; never free them. Thread-safe.
 */
#ifndef CTWATCH_COUNTRY_H
#define CTWATCH_COUNTRY_H

#include <stdbool.h>

/* Alpha-3 code for a country name, alpha-2 or alpha-3 code, in any case
 * and with or without "the"/punctuation; NULL if not recognised. */
const char *ctw_country_lookup(const char *text);
/* English short name for an alpha-3 code, or NULL. */
const char *ctw_country_name(const char *alpha3);
/* True if code is a known alpha-3 (ISO 3166-1, or ICAO-specific). */
bool ctw_country_is_code(const char *alpha3);
/* 0, or CTW_EIO if the iso-codes files cannot be read (then only the
 * built-in names work). Called implicitly by the functions above. */
int ctw_country_load(void);

#endif
