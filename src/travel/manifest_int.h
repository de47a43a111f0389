/* manifest_int.h — building a ctw_manifest, private to src/travel.
 *
 * Owned by the travel module; used by paxlst.c, pnrgov.c and
 * manifest_json.c, implemented in manifest.c.
 *
 * A parser fills a ctw__mb (manifest builder). Everything the manifest
 * will point to is allocated in the manifest's arena as the parse goes;
 * arrays grow by doubling inside the arena (the old copy stays there until
 * the manifest is freed, which at most doubles their footprint and costs
 * no malloc per element). On failure ctw__mb_abort() frees it all, so a
 * failed parse leaves nothing behind; on success ctw__mb_finish() hands the
 * manifest over.
 *
 * Array growth moves elements: hold indices (not pointers) to travellers,
 * bookings and legs across calls that may add one.
 */
#ifndef CTW_TRAVEL_MANIFEST_INT_H
#define CTW_TRAVEL_MANIFEST_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctwatch/manifest.h"

struct ctw__edi_seg;

typedef struct ctw__mb {
    ctw_manifest *m;
    size_t cap_legs, cap_bookings, cap_travellers, cap_warnings;
    uint8_t *tflags;              /* per traveller, parser's own use (arena) */
    uint32_t *bk_index;           /* locator hash → booking index + 1 (arena) */
    size_t bk_index_cap;
    uint8_t unknown_seen[46656 / 8]; /* unknown segment tags warned about */
    char *scratch;                /* malloc'd buffer for text work */
    size_t scratch_cap;
    const char **intern;          /* short strings kept once (arena) */
    size_t intern_n, intern_cap;
    bool warned_charset;
    bool nomem;                   /* an allocation failed: the parse must fail */
} ctw__mb;

/* New builder with an empty manifest of format f. 0 or CTW_ENOMEM. */
int ctw__mb_init(ctw__mb *b, ctw_manifest_format f);
/* Free the manifest under construction and the builder's buffers. */
void ctw__mb_abort(ctw__mb *b);
/* The finished manifest (caller owns it); frees the builder's buffers. */
ctw_manifest *ctw__mb_finish(ctw__mb *b);

/* A warning with a machine code and a one-line message. The first
 * CTW_MANIFEST_MAX_WARNINGS are kept, the rest counted. Out of memory here
 * is not an error for the parse: the warning is counted as dropped. */
void ctw__mb_warn(ctw__mb *b, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* warning "unknown_segment" the first time a tag is seen (tags of three
 * [A-Z0-9]; others are warned each time). */
void ctw__mb_warn_unknown(ctw__mb *b, const char *tag, const char *where);

/* Text for the manifest, copied into the arena: line breaks dropped, tabs
 * and runs of spaces made one space, other control bytes dropped, spaces
 * trimmed; bytes that are not UTF-8 are read as Windows-1252, except a
 * byte 0x80-0x9F between two ASCII letters where Windows-1252 has
 * punctuation: that is read as Mac Roman, whose letters sit there (warning
 * "charset" once). Empty text gives NULL, as does an allocation failure
 * (which sets b->nomem). Short strings may be shared within the manifest.
 */
const char *ctw__mb_text(ctw__mb *b, const char *s, size_t n);
/* The same for component (e, c) of an EDIFACT segment, unescaped. */
const char *ctw__mb_edi(ctw__mb *b, const struct ctw__edi_seg *seg, size_t e, size_t c);

/* New traveller (zeroed, booking -1); returns its index, or a negative
 * CTW_ELIMIT / CTW_ENOMEM with err filled; err->where names seg when it is
 * given, else where (which may be NULL). */
long ctw__mb_add_traveller(ctw__mb *b, ctw_traveller_role role, const struct ctw__edi_seg *seg,
                           const char *where, ctw_error *err);
/* Room for n travellers at once, so that a large list does not grow its
 * array by doubling. Only a hint: nothing fails if it cannot be had. */
void ctw__mb_reserve_travellers(ctw__mb *b, size_t n);
/* New document on traveller ti; NULL when out of memory (b->nomem set),
 * as for the three functions after it. */
ctw_travel_doc *ctw__mb_add_doc(ctw__mb *b, size_t ti);
/* New leg of the manifest (the flight reported); NULL when out of memory. */
ctw_leg *ctw__mb_add_leg(ctw__mb *b);
/* New leg on booking bi's itinerary; NULL when out of memory. */
ctw_leg *ctw__mb_add_booking_leg(ctw__mb *b, size_t bi);
/* New booking; index or CTW_ENOMEM. locator may be NULL (set later). */
long ctw__mb_add_booking(ctw__mb *b, const char *locator);
/* Index of the booking with this locator, created when absent (travellers
 * sharing a locator share one booking). Negative CTW_ENOMEM on failure. */
long ctw__mb_booking_for(ctw__mb *b, const char *locator);

/* Dates and times as ISO 8601 text. Two-digit years: a birth date takes
 * the latest century that does not put it after today (a child born in
 * 2012 stays 2012, "780706" is 1978); any other date reads 00-69 as 20YY
 * and 70-99 as 19YY (travel dates and document validity lie near now).
 * Each returns false (out untouched) when the text is no valid date. */
typedef enum { CTW__DATE_TRAVEL = 0, CTW__DATE_BIRTH } ctw__date_kind;
/* EDIFACT DTM 2380 with its format code 2379 (0 when absent, then the
 * length decides): 101/6 YYMMDD, 102/8 CCYYMMDD, 201/10 YYMMDDHHMM,
 * 203/12 CCYYMMDDHHMM. out: at least 20 bytes. */
bool ctw__date_edifact(const char *s, int fmt, ctw__date_kind kind, char *out);
/* PNR day-first dates: DDMMYY ("121210") or DDMONYY / DDMONYYYY ("12JUL64");
 * time HHMM or HHMMSS or NULL/"" for none. out: at least 20 bytes. */
bool ctw__date_pnr(const char *date, const char *time, ctw__date_kind kind, char *out);
/* ISO date ("2019-08-23") plus one day, in place; false if not a date. */
bool ctw__date_next_day(char *iso);
/* "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM[:SS]" and a real calendar date. */
bool ctw__date_iso_valid(const char *s, bool allow_time);

#endif
