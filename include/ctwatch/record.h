/* record.h — the in-memory form of a watchlist record (DESIGN.md §4).
 *
 * Importers build records, the store persists and reloads them, the HTTP
 * layer and `ctwatch show` print them as JSON. One record is one subject:
 * a person, an organisation, a vessel or an aircraft, with all its names,
 * birth dates, nationalities, identifiers, addresses and listings.
 *
 * Ownership: a ctw_record owns every string and array it points to. All
 * strings live in the record's arena; arrays are grown with realloc and
 * freed by ctw_record_free(). Pointers into a record are valid until the
 * record is freed. A string field that is NULL means "not known".
 */
#ifndef CTWATCH_RECORD_H
#define CTWATCH_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctwatch/arena.h"
#include "ctwatch/error.h"

typedef enum ctw_kind {
    CTW_KIND_UNKNOWN = 0,
    CTW_KIND_PERSON,
    CTW_KIND_ORGANISATION,
    CTW_KIND_VESSEL,
    CTW_KIND_AIRCRAFT,
} ctw_kind;

/* "person", "organisation", "vessel", "aircraft"; "unknown" otherwise. */
const char *ctw_kind_name(ctw_kind k);
/* Inverse of ctw_kind_name(); CTW_KIND_UNKNOWN if not a kind name. */
ctw_kind ctw_kind_from_name(const char *s);

typedef enum ctw_name_kind {
    CTW_NAME_PRIMARY = 0,   /* the name the source lists the subject under */
    CTW_NAME_ALIAS_STRONG,  /* a.k.a. of good quality */
    CTW_NAME_ALIAS_WEAK,    /* low-quality alias, f.k.a. of little weight */
    CTW_NAME_ORIGINAL,      /* the name in its original script */
} ctw_name_kind;

const char *ctw_name_kind_name(ctw_name_kind k); /* "primary", "alias-strong", "alias-weak", "original-script" */
int ctw_name_kind_from_name(const char *s);      /* kind, or CTW_EINVAL */

typedef struct ctw_name {
    const char *full;        /* the whole name as written by the source (required) */
    const char *given;       /* parts, when the source gives them */
    const char *middle;
    const char *family;
    const char *patronymic;  /* father's name / patronymic */
    const char *script;      /* ISO 15924 code, e.g. "Latn", "Arab"; set by ctw_record_add_name */
    const char *lang;        /* ISO 639 code if known */
    ctw_name_kind kind;
    const char *quality;     /* the source's own label, e.g. "Good", "Low", "a.k.a." */
} ctw_name;

typedef enum ctw_date_precision {
    CTW_DATE_EXACT = 0,     /* from = YYYY-MM-DD */
    CTW_DATE_MONTH,         /* from = YYYY-MM */
    CTW_DATE_YEAR,          /* from = YYYY */
    CTW_DATE_RANGE,         /* from .. to, each any of the forms above */
    CTW_DATE_APPROX,        /* "circa" from */
} ctw_date_precision;

const char *ctw_date_precision_name(ctw_date_precision p); /* "exact","month","year","range","approx" */
int ctw_date_precision_from_name(const char *s);

typedef struct ctw_date {
    ctw_date_precision precision;
    const char *from;   /* ISO 8601 partial date: YYYY, YYYY-MM or YYYY-MM-DD */
    const char *to;     /* for ranges, else NULL */
    const char *text;   /* what the source wrote, when it was not a clean date */
} ctw_date;

typedef struct ctw_place {
    const char *place;   /* free text */
    const char *country; /* ISO 3166 alpha-3 or NULL */
} ctw_place;

typedef struct ctw_country_ref {
    const char *country; /* ISO 3166 alpha-3 (or ICAO code such as "XXA"); NULL if unmapped */
    const char *text;    /* what the source wrote */
} ctw_country_ref;

typedef struct ctw_identifier {
    const char *type;    /* "passport", "national-id", "tax-id", "imo", "other", ... */
    const char *number;  /* as written */
    const char *country; /* issuing state, alpha-3, or NULL */
    const char *issued;  /* ISO date or NULL */
    const char *expires;
    const char *note;
} ctw_identifier;

typedef struct ctw_address {
    const char *full;    /* the whole address as one line */
    const char *street;
    const char *city;
    const char *region;
    const char *postal_code;
    const char *country; /* alpha-3 or NULL */
    const char *note;
} ctw_address;

typedef struct ctw_listing {
    const char *kind;      /* "un-sc-special-notice", "sanctions-listing", "national-listing", "red", ... */
    const char *authority; /* "UN Security Council", "US OFAC", ... */
    const char *program;   /* list or programme: "Al-Qaida", "SDGT", ... */
    const char *reference; /* the source's reference number, e.g. "QDi.430" */
    const char *listed_on; /* ISO date */
    const char *action;    /* requested action, e.g. "asset freeze, travel ban" */
    const char *status;    /* "published" for imported listings */
} ctw_listing;

typedef struct ctw_attribute {
    const char *key;     /* "designation", "title", "vessel-flag", ... */
    const char *value;
} ctw_attribute;

/* Records are one of these while alive in the store. */
typedef enum ctw_status { CTW_STATUS_ACTIVE = 0, CTW_STATUS_REMOVED } ctw_status;
const char *ctw_status_name(ctw_status s); /* "active", "removed" */

/* Who may see a record (DESIGN.md §5). The exchange issue fills the checks;
 * the field is stored from day one. `list` holds agency codes or region
 * names separated by commas, NULL for CTW_RESTRICT_ALL. */
typedef enum ctw_restrict_kind {
    CTW_RESTRICT_ALL = 0,
    CTW_RESTRICT_REGIONS,
    CTW_RESTRICT_AGENCIES,
    CTW_RESTRICT_ALL_EXCEPT,
    CTW_RESTRICT_HIT_ONLY,
} ctw_restrict_kind;
const char *ctw_restrict_kind_name(ctw_restrict_kind k); /* "all","regions","agencies","all-except","hit-only" */
int ctw_restrict_kind_from_name(const char *s);

typedef struct ctw_restriction {
    ctw_restrict_kind kind;
    const char *list;
} ctw_restriction;

#define CTW_ARRAY(T) struct { T *v; size_t n, cap; }

typedef struct ctw_record {
    ctw_arena arena;          /* owns every string below */

    /* identity and provenance (set by the store for stored records) */
    const char *id;           /* stable opaque id, see ctw_record_make_id() */
    ctw_kind kind;
    const char *owner;        /* agency code */
    const char *source;       /* "un-sc", "ofac-sdn", or an FtM dataset name */
    const char *source_id;    /* the source's own id, e.g. "QDi.430" */
    const char *created;      /* ISO 8601 UTC timestamps */
    const char *updated;
    int64_t version;
    ctw_status status;
    ctw_restriction restriction;
    const char *review_date;  /* ISO date */

    /* content */
    const char *gender;       /* "male", "female", "other" or NULL */
    const char *remarks;
    CTW_ARRAY(ctw_name) names;
    CTW_ARRAY(ctw_date) birth_dates;
    CTW_ARRAY(ctw_place) birth_places;
    CTW_ARRAY(ctw_country_ref) nationalities;
    CTW_ARRAY(ctw_identifier) identifiers;
    CTW_ARRAY(ctw_address) addresses;
    CTW_ARRAY(ctw_listing) listings;
    CTW_ARRAY(ctw_attribute) attributes;
} ctw_record;

/* A new empty record of the given kind, owned by the caller (free with
 * ctw_record_free). NULL on allocation failure. */
ctw_record *ctw_record_new(ctw_kind kind);
void ctw_record_free(ctw_record *r);

/* Copy s into the record's arena. NULL in gives NULL out; so does a string
 * that is empty after trimming white space (trimmed copy otherwise). */
const char *ctw_record_str(ctw_record *r, const char *s);
const char *ctw_record_strn(ctw_record *r, const char *s, size_t n);

/* The add functions append a zeroed element and return a pointer to it,
 * valid until the next add of the same array; NULL on allocation failure.
 * Fill string fields with ctw_record_str(). */
ctw_name *ctw_record_add_name_slot(ctw_record *r);
ctw_date *ctw_record_add_birth_date(ctw_record *r);
ctw_place *ctw_record_add_birth_place(ctw_record *r);
ctw_country_ref *ctw_record_add_nationality(ctw_record *r);
ctw_identifier *ctw_record_add_identifier(ctw_record *r);
ctw_address *ctw_record_add_address(ctw_record *r);
ctw_listing *ctw_record_add_listing(ctw_record *r);
ctw_attribute *ctw_record_add_attribute(ctw_record *r);

/* Convenience: add a name (copied; white space collapsed), detect its
 * script. Skips (returns 0) a name that is empty or already present with the
 * same text and kind. Returns 0 or CTW_ENOMEM. */
int ctw_record_add_name(ctw_record *r, const char *full, ctw_name_kind kind, const char *quality);
/* Add a nationality (text copied, country code looked up with
 * ctw_country_lookup). Skips duplicates. */
int ctw_record_add_nationality_text(ctw_record *r, const char *text);
/* The same with the country code already resolved by the caller (code is a
 * static string or one owned by r; NULL when unknown). */
int ctw_record_add_nationality_coded(ctw_record *r, const char *text, const char *code);
int ctw_record_add_attr(ctw_record *r, const char *key, const char *value);

/* The primary name's full text, or the first name, or "" (never NULL). */
const char *ctw_record_display_name(const ctw_record *r);

/* Parse a date string into d: accepts YYYY, YYYY-MM, YYYY-MM-DD (also
 * DD Mon YYYY, Mon YYYY, DD/MM/YYYY, YYYY/MM/DD); sets precision.
 * Strings go into r's arena. Returns 0, or CTW_EINVAL if not a date (then
 * d->text holds the raw text and precision is EXACT with from == NULL). */
int ctw_record_parse_date(ctw_record *r, const char *text, ctw_date *d);

/* Fill r->id with the stable id derived from (source, source_id):
 * "ctw-" + 20 hex digits of BLAKE2b. Same inputs, same id, always. */
int ctw_record_make_id(ctw_record *r);

/* ISO 15924 script code of the dominant non-common script in a UTF-8
 * string ("Latn", "Arab", "Cyrl", "Hani", ...), "Zyyy" if none. Static. */
const char *ctw_script_of(const char *utf8);

#endif
