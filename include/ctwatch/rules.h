/* rules.h — analysts' risk rules over passenger data (manifest.h).
 *
 * A rule is a JSON document that names a pattern of travel; ctwatch checks
 * it against each traveller of a manifest and, when it fires, says which
 * conditions were true. Rules are compiled once (ctw_rule_parse) into a
 * tree of enums and interned codes, so evaluating one for one traveller is a
 * walk of that tree: no JSON, no allocation unless an itinerary is long.
 *
 * ---- The format ------------------------------------------------------------
 *
 *   {"name": "Young one-way travellers from conflict zones",   required, 1-200 characters
 *    "description": "...",                                     optional, up to 2000 characters
 *    "severity": "high",                                       low | medium | high, default medium
 *    "when": CONDITION}                                        required
 *
 * No other keys are allowed (a misspelt "wehn" is an error, not ignored).
 * A CONDITION is one of
 *
 *   {"field": FIELD, "op": OP, "value": VALUE}   a test on one fact of the traveller
 *   {"all": [CONDITION, ...]}                    true when every one is true (at least one)
 *   {"any": [CONDITION, ...]}                    true when one of them is true (at least one)
 *   {"not": CONDITION}                           true when the condition is false
 *
 * Example:
 *
 *   {"name": "Young one-way travellers from conflict zones", "severity": "high",
 *    "when": {"all": [
 *      {"field": "route.countries", "op": "in", "value": ["SYR", "IRQ"]},
 *      {"field": "traveller.age", "op": "between", "value": [18, 30]},
 *      {"field": "booking.one_way", "op": "eq", "value": true},
 *      {"not": {"field": "traveller.nationality", "op": "in", "value": ["FRA"]}},
 *      {"any": [{"field": "booking.hours_before_departure", "op": "lt", "value": 48},
 *               {"field": "booking.companions", "op": "eq", "value": 0}]}]}}
 *
 * FIELDS. "The flight" is the manifest leg the traveller boards (the leg
 * leaving from their embark airport, else the first leg; a manifest without
 * legs: the same taken from the traveller's booking). Its departure date is
 * "the departure". Dates and times are compared as sent (local times), so
 * hours are exact only within one time zone.
 *
 *   route.origin            airport  the traveller's embark airport, else the flight's
 *                                    first origin, else the booking's
 *   route.destination       airport  debark airport, else the flight's last destination, else the booking's
 *   route.airports          airports every airport of the booked itinerary (else of the
 *                                    manifest's legs), with embark and debark
 *   route.origin_country    country  country of route.origin (airport table, airport.h)
 *   route.destination_country country
 *   route.countries         countries the countries of route.airports (unknown airports left out)
 *   flight.carrier          carrier  "LH" (IATA, 2) or "DLH" (ICAO, 3)
 *   flight.number           flight   "LH400"; leading zeros dropped ("UA0989" = "UA989"),
 *                                    a bare number takes the flight's carrier
 *   traveller.age           number   whole years at the departure
 *   traveller.sex           sex      M, F, X or U
 *   traveller.nationality   country
 *   traveller.residence     country
 *   traveller.role          role     passenger, crew or infant
 *   document.type           doctype  first document's type as sent: P, I, V, C, AC, ...
 *   document.issuing_state  country  first document's issuing state
 *   document.expires_in_days number  days from the departure to the first document's expiry
 *                                    (negative: expired)
 *   document.missing        boolean  the traveller declared no document
 *   booking.hours_before_departure number  hours from the booking's creation to its first
 *                                    departure (else the flight's)
 *   booking.one_way         boolean  the booked itinerary does not come back to the country
 *                                    it started from (a single leg is one way)
 *   booking.companions      number   other travellers on the same booking
 *   booking.legs            number   legs of the booked itinerary
 *
 * Codes in values are checked and made canonical when the rule is read:
 * airports are IATA codes ("egll" and "EGLL" become "LHR"; an unknown
 * three-letter code is accepted, the table is not complete), countries are
 * ISO 3166-1 alpha-3 or ICAO 9303 codes (alpha-2 and English names are
 * accepted and converted: "sy", "Syria" → "SYR"; unknown ones are an error),
 * other codes are upper-cased. Numbers lie within ±1e9.
 *
 * OPS, and the VALUE each takes:
 *   eq, ne          one value of the field's type (string, number, boolean)
 *   in, not_in      an array of 1 to 1000 such values (strings or numbers)
 *   lt, le, gt, ge  a number (number fields only)
 *   between         [low, high], both included, low <= high (number fields only)
 *   exists          true (the default, "value" may be left out) or false: whether the fact is known
 * On route.airports and route.countries, eq and in are true when ANY of the
 * traveller's airports/countries matches; ne and not_in when NONE does.
 *
 * UNKNOWN FACTS. A fact the data does not give (no birth date, no booking,
 * no document, an airport missing from the table) makes every test on it
 * false except "exists": false. Under "not" such a false test becomes true;
 * the explanation then shows "actual": null and an "unknown" reason. Write
 * {"all": [{"field": F, "op": "exists"}, {"not": ...}]} to require the fact.
 *
 * LIMITS: rule JSON at most CTW_RULE_MAX_BYTES; conditions nested at most
 * CTW_RULE_MAX_DEPTH deep ("when" is depth 1); at most CTW_RULE_MAX_CONDITIONS
 * condition objects (all/any/not count too); in/not_in lists at most
 * CTW_RULE_MAX_LIST values.
 *
 * ERRORS. An invalid rule is rejected whole, with err->where the JSON path
 * of the faulty part and err->message saying what is wrong and what is
 * expected:
 *   where "when.all[2].op":       unknown operator "eqq"; expected one of eq, ne, in, ...
 *   where "when.any[0].value":    operator "lt" takes a number; got a string
 *   where "when.field":           unknown field "traveler.age" (did you mean "traveller.age"?)
 *   where "when.all[1].value[3]": unknown country "XYZ"
 *   where "line 3, column 7":     (ctw_rule_parse_text) the JSON itself is broken
 * The path of the whole rule is "" (e.g. "a rule must be a JSON object").
 *
 * THREADS. A ctw_rule is immutable once parsed: any number of threads may
 * evaluate the same rule at once. The manifest is only read.
 */
#ifndef CTWATCH_RULES_H
#define CTWATCH_RULES_H

#include <stddef.h>

#include <jansson.h>

#include "ctwatch/error.h"
#include "ctwatch/manifest.h"

#define CTW_RULE_MAX_BYTES       (64u << 10)  /* JSON text (compact form for a json_t) */
#define CTW_RULE_MAX_DEPTH       16
#define CTW_RULE_MAX_CONDITIONS  256
#define CTW_RULE_MAX_LIST        1000
#define CTW_RULE_MAX_NAME        200          /* characters (UTF-8 code points) */
#define CTW_RULE_MAX_DESCRIPTION 2000         /* characters */

typedef struct ctw_rule ctw_rule;

/* Check and compile the rule def (only read, not kept: the caller keeps its
 * reference). On success *out is a new rule owned by the caller
 * (ctw_rule_free). On failure *out is untouched, err (if non-NULL) names
 * the faulty part, and the return is CTW_EINVAL (the rule is wrong),
 * CTW_ELIMIT (a limit above is exceeded) or CTW_ENOMEM; CTW_EINVAL too when
 * def or out is NULL. */
int ctw_rule_parse(const json_t *def, ctw_rule **out, ctw_error *err);

/* The same from JSON text of len bytes (need not be NUL terminated). Adds
 * CTW_ELIMIT for text over CTW_RULE_MAX_BYTES and CTW_EPARSE for text that
 * is not JSON (where = "line L, column C"); duplicate keys are refused. */
int ctw_rule_parse_text(const char *text, size_t len, ctw_rule **out, ctw_error *err);

/* Release a rule and everything it owns. NULL is allowed. */
void ctw_rule_free(ctw_rule *r);

/* The rule's name, as given. Owned by the rule, valid until ctw_rule_free. */
const char *ctw_rule_name(const ctw_rule *r);

/* "low", "medium" or "high". Static string. */
const char *ctw_rule_severity(const ctw_rule *r);

/* The rule in canonical form, a new reference the caller json_decrefs:
 * codes upper-case and canonical ("EGLL" → "LHR", "Syria" → "SYR"),
 * severity filled in, exists with its "value", in-lists sorted without
 * duplicates. Parsing it again gives the same rule. NULL if out of memory. */
json_t *ctw_rule_definition(const ctw_rule *r);

/* Evaluate r for traveller number t of manifest m (both only read).
 * Returns 1 if the rule fired, 0 if not, CTW_EINVAL if r or m is NULL or t is
 * out of range, CTW_ENOMEM. When it fires and matched is non-NULL,
 * *matched is a new JSON array (the caller json_decrefs) of the conditions
 * that were true and decided the result, in rule order:
 *   [{"path":"when.all[0]","field":"route.countries","op":"in",
 *     "value":["IRQ","SYR"],"actual":["DEU","SYR"]}, ...]
 * Every true child of an "all" or "any" is listed. A condition that is true
 * because a "not" over it was false is listed with "negated": true (a "not"
 * over all/any gives {"path","negated":true,"condition":{...}}). "actual" is
 * the traveller's fact (null when unknown, with "unknown": the reason).
 * When the rule does not fire, *matched is set to NULL; on error it is left
 * untouched. */
int ctw_rule_eval(const ctw_rule *r, const ctw_manifest *m, size_t t, json_t **matched);

#endif
