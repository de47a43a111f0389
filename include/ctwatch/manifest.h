/* manifest.h — passenger data: who is on a flight, as airlines send it.
 *
 * Three inputs give one shape:
 *   - UN/EDIFACT PAXLST (Advance Passenger Information, D02B and D05B):
 *     one flight (or several legs), passengers or crew, their documents;
 *   - PNRGOV (10.1, 11.1, 13.1): Passenger Name Records — bookings with an
 *     itinerary, a booking date and the travellers on each booking;
 *   - a plain JSON manifest (documented at ctw_manifest_parse_json below).
 *
 * A parsed message is one ctw_manifest. It owns every string and array it
 * points to through its arena; ctw_manifest_free() releases everything.
 * Fields the message did not carry are NULL (strings) or 0 (counts, sex).
 *
 * Messy input is the rule, not the exception (the GTAS samples): a count in
 * CNT or UNT that disagrees with what is present, a part of a multi-part
 * message, an unknown segment — the result carries a warning and the
 * parse succeeds. A message that cannot be read at all (no UNH, a segment
 * that breaks the syntax, a size or count over the limits below) fails
 * with CTW_EPARSE or CTW_ELIMIT; err->where names the segment and its
 * position ("segment 14 (NAD) at byte 612"), and nothing is returned.
 *
 * Dates are ISO text. Two-digit years: a birth date takes the latest
 * century that does not put it after today ("120101" is 2012, "780706"
 * 1978); other dates (travel, document validity, bookings) read 00-69 as
 * 20YY and 70-99 as 19YY. Text is UTF-8: bytes that are not UTF-8 are read
 * as Windows-1252 (a letter inside a word as Mac Roman) with a "charset"
 * warning; line breaks inside EDIFACT values are folding and dropped.
 * Short strings may be shared between fields of one manifest.
 *
 * All functions are thread-safe; a ctw_manifest is used by one thread.
 */
#ifndef CTWATCH_MANIFEST_H
#define CTWATCH_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ctwatch/arena.h"
#include "ctwatch/error.h"

#define CTW_MANIFEST_MAX_BYTES      (8u << 20)  /* one message; larger: CTW_ELIMIT */
#define CTW_MANIFEST_MAX_SEGMENTS   200000      /* EDIFACT segments per message */
#define CTW_MANIFEST_MAX_ELEMENTS   64          /* data elements per segment */
#define CTW_MANIFEST_MAX_TRAVELLERS 20000
#define CTW_MANIFEST_MAX_WARNINGS   256         /* more are counted, not kept */

typedef enum ctw_manifest_format {
    CTW_MANIFEST_DETECT = 0,  /* for ctw_manifest_parse(): look at the bytes */
    CTW_MANIFEST_PAXLST,
    CTW_MANIFEST_PNRGOV,
    CTW_MANIFEST_JSON,
} ctw_manifest_format;

/* One flight leg. Times are ISO 8601 local times of the airport as sent
 * ("2017-01-27T17:25", or a date alone "2017-01-27"); airports are IATA
 * codes as sent ("FRA"). */
typedef struct ctw_leg {
    const char *carrier;       /* "UA" */
    const char *flight;        /* flight designator as sent: "UA0989", "324" */
    const char *origin;
    const char *destination;
    const char *departure;
    const char *arrival;
} ctw_leg;

/* A travel document as declared (PAXLST DOC/DTM/LOC, PNR SSR DOCS). */
typedef struct ctw_travel_doc {
    const char *type;          /* "P", "I", "V", "C", ... as sent */
    const char *number;
    const char *issuing_state; /* as sent, normally ICAO alpha-3 */
    const char *expiry;        /* ISO date "2019-08-23" or NULL */
    const char *issued;        /* ISO date or NULL */
} ctw_travel_doc;

/* A booking (PNR, or the reservation reference of a PAXLST traveller). */
typedef struct ctw_booking {
    const char *locator;       /* record locator: "MFN4TI" */
    const char *carrier;       /* system or airline holding the booking */
    const char *created;       /* booking date/time, ISO, or NULL */
    size_t n_legs;             /* the booked itinerary, in travel order */
    ctw_leg *legs;
} ctw_booking;

typedef enum ctw_traveller_role {
    CTW_TRAVELLER_PASSENGER = 0,
    CTW_TRAVELLER_CREW,
    CTW_TRAVELLER_INFANT,      /* an infant travelling on an adult's seat */
} ctw_traveller_role;

typedef struct ctw_traveller {
    ctw_traveller_role role;
    const char *surname;
    const char *given;         /* given names as sent, may hold several words */
    const char *title;         /* PNR only: the title sent with the given names ("MR" of
                                  TIF "JOHNMR"), split off so that given is the name alone */
    const char *birth_date;    /* ISO "1978-07-06", or NULL */
    char sex;                  /* 'M', 'F', 'X', 'U' (unknown) or 0 (not sent) */
    const char *nationality;   /* alpha-3 as sent */
    const char *residence;     /* country of residence, alpha-3 */
    const char *birth_place;
    const char *embark;        /* airport where this traveller boards, IATA */
    const char *debark;        /* airport where this traveller leaves */
    const char *seat;
    const char *reference;     /* traveller reference within the message (PNR TIF ref, RFF ABO) */
    long booking;              /* index into ctw_manifest.bookings, or -1 */
    size_t n_documents;
    ctw_travel_doc *documents;
} ctw_traveller;

typedef struct ctw_manifest_warning {
    const char *code;          /* machine name: "count_mismatch", "unknown_segment", "multi_part", ... */
    const char *message;       /* one line for a person, naming the segment */
} ctw_manifest_warning;

typedef struct ctw_manifest {
    ctw_manifest_format format;
    const char *version;       /* "D:02B", "D:05B", "PNRGOV:11:1", "json" */
    const char *message_ref;   /* UNH reference */
    const char *sender;        /* UNB sender */
    const char *part;          /* multi-part: "1" / "2:C" / "3:F" (UNH 0070:0073) or NULL */
    size_t n_legs;             /* the flight the message reports (PAXLST TDT; PNRGOV TVL in the header) */
    ctw_leg *legs;
    size_t n_bookings;
    ctw_booking *bookings;
    size_t n_travellers;
    ctw_traveller *travellers;
    size_t n_warnings;         /* kept warnings (at most CTW_MANIFEST_MAX_WARNINGS) */
    size_t n_warnings_dropped;
    ctw_manifest_warning *warnings;
    ctw_arena arena;           /* owns every string and array above */
} ctw_manifest;

/* Parse a message of len bytes (need not be NUL terminated). With
 * CTW_MANIFEST_DETECT the format is chosen from the bytes: '{' → JSON, a
 * UNH naming PAXLST or PNRGOV → that. On success *out is a new manifest
 * owned by the caller (ctw_manifest_free). On failure *out is untouched and
 * err says where and why. Returns 0, CTW_EINVAL (NULL arguments),
 * CTW_EPARSE, CTW_ELIMIT, CTW_EUNSUPPORTED (format not recognised), CTW_ENOMEM. */
int ctw_manifest_parse(const char *data, size_t len, ctw_manifest_format format,
                       ctw_manifest **out, ctw_error *err);

int ctw_paxlst_parse(const char *data, size_t len, ctw_manifest **out, ctw_error *err);
int ctw_pnrgov_parse(const char *data, size_t len, ctw_manifest **out, ctw_error *err);

/* The plain JSON manifest:
 *   {"flight": {"carrier":"AF","number":"AF123","origin":"CDG","destination":"JFK",
 *               "departure":"2026-12-01T10:30","arrival":"2026-12-01T13:05"},
 *    "travellers": [ {"surname":"...","given":"...","birth_date":"1980-01-31","sex":"M",
 *                     "nationality":"FRA","role":"passenger|crew|infant",
 *                     "booking":"ABC123","booked":"2026-11-20T09:00",
 *                     "itinerary":[{leg}...], "seat":"12A", "embark":"CDG","debark":"JFK",
 *                     "documents":[{"type":"P","number":"...","issuing_state":"FRA",
 *                                   "expiry":"2030-01-01"}] } ] }
 * Travellers sharing a "booking" share one ctw_booking. Also read: "title",
 * "residence", "birth_place", "reference"; a leg may call its number
 * "flight". Dates are ISO ("birth_date", "expiry", "issued" without time).
 * null counts as absent; a key not listed gives one "unknown_field" warning
 * per name; a wrong type or value fails with CTW_EPARSE and the JSON path
 * in err->where ("travellers[3].documents[0].number"). */
int ctw_manifest_parse_json(const char *data, size_t len, ctw_manifest **out, ctw_error *err);

void ctw_manifest_free(ctw_manifest *m);

/* "paxlst", "pnrgov", "json" ("?" otherwise). Static. */
const char *ctw_manifest_format_name(ctw_manifest_format f);
/* "passenger", "crew", "infant". Static. */
const char *ctw_traveller_role_name(ctw_traveller_role r);

/* The manifest as read, as JSON (a new reference): {"format","version",
 * "message_ref","sender","part","flight":{leg of legs[0]} or null,
 * "legs":[...],"bookings":[{"locator","carrier","created","legs"}],
 * "travellers":[{"role","surname","given","title",...,"documents":[...],
 * "booking":"LOCATOR"}],"warnings":[{"code","message"}],"warnings_dropped"}.
 * Fields the message did not carry are left out. NULL only when out of
 * memory. */
json_t *ctw_manifest_to_json(const ctw_manifest *m);

#endif
