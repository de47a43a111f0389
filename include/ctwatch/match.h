/* match.h — screening: the in-memory index and the scorer (DESIGN.md §6).
 *
 * An index is built from the store's active records and is immutable once
 * built: any number of threads may screen against one index at once with no
 * lock. A newer index is published by ctw_match_registry_publish(); readers
 * holding the old one keep it until they release it (reference counted), so
 * screening never waits for, nor sees half of, a rebuild.
 *
 * Scores are in [0, 1]. At or above CTW_MATCH_ALERT a hit is an "alert"
 * (stop and check), at or above CTW_MATCH_REVIEW a "review" (look at it);
 * below that it is not reported unless the caller lowers the threshold.
 */
#ifndef CTWATCH_MATCH_H
#define CTWATCH_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ctwatch/access.h"
#include "ctwatch/error.h"
#include "ctwatch/record.h"
#include "ctwatch/store.h"

#define CTW_MATCH_ALERT  0.85   /* default alert threshold */
#define CTW_MATCH_REVIEW 0.70   /* default review threshold */
#define CTW_MATCH_MAX_LIMIT 1000 /* most hits one query may ask for */

typedef struct ctw_match_index ctw_match_index;

/* Build an index of every active record in the store (all sources). The
 * index keeps what screening needs (names, birth dates, nationalities,
 * gender, identifiers, and each record's id, source, source_id, owner and
 * restriction); the access check is applied per caller at screening time.
 * On success *out is owned by the caller (ctw_match_index_release). */
int ctw_match_index_build(ctw_store *s, ctw_match_index **out, ctw_error *err);

/* The same, for a server that read the store's change feed position
 * (ctw_store_change_seq) as feed_seq just before the call (follow.c): the
 * index then also keeps every indexed record's published notices, from
 * which ctw_match_annotate_notices() answers while the feed is still at
 * feed_seq. CTW_MATCH_FEED_UNKNOWN keeps none: every answer is then read
 * from the store, as for an index built any other way. */
#define CTW_MATCH_FEED_UNKNOWN INT64_C(-1)
int ctw_match_index_build_at(ctw_store *s, int64_t feed_seq, ctw_match_index **out, ctw_error *err);
/* The feed position given to ctw_match_index_build_at, or CTW_MATCH_FEED_UNKNOWN. */
int64_t ctw_match_index_feed_seq(const ctw_match_index *ix);

/* A published notice as the index keeps it (notice.h has the rest). */
typedef struct ctw_match_notice {
    int64_t seq;              /* the id is "N-<seq>" */
    const char *kind, *action;
    const char *valid_until;  /* "YYYY-MM-DD", or NULL: no end */
} ctw_match_notice;
/* The published notices of record as ix keeps them, strongest first (the
 * order of ctw_notice_annotate_hits), expired ones included, *n of them;
 * *owner and *restriction get the record's owner and restriction as ix
 * holds them. NULL when ix keeps no notices for record (not in the index,
 * or built without a feed position). Everything lives as long as ix. */
const ctw_match_notice *ctw_match_index_notices(const ctw_match_index *ix, const char *record, size_t *n,
                                                const char **owner, const ctw_restriction **restriction);

/* ctw_notice_annotate_hits (notice.h) for hits that came from ix: while
 * the store's change feed is where ix was built (one read of s), each
 * record's strongest notice valid today, its owner and restriction come
 * from ix, not from one query per hit; the answer is the same, since
 * everything it depends on moves the feed. Otherwise, and for a record ix
 * keeps no notices for, s is asked. ix may be NULL (s is asked). */
int ctw_match_annotate_notices(const ctw_match_index *ix, ctw_store *s, const ctw_principal *p, json_t *hits);

/* Build an index from records given one at a time (tests, benchmarks,
 * synthetic lists). Records are copied; the caller keeps ownership. */
typedef struct ctw_match_builder ctw_match_builder;
ctw_match_builder *ctw_match_builder_new(void);
int ctw_match_builder_add(ctw_match_builder *b, const ctw_record *r);
/* Finish: the builder is consumed (freed) whatever the result. */
int ctw_match_builder_finish(ctw_match_builder *b, ctw_match_index **out);

/* Reference counting: a new index has one reference. */
void ctw_match_index_retain(ctw_match_index *ix);
void ctw_match_index_release(ctw_match_index *ix);

typedef struct ctw_match_index_stats {
    size_t records, names, tokens, keys;  /* what the index holds */
    size_t bytes;                         /* memory it owns once built */
    size_t memo_bytes;                    /* ... and its memo of word matches has grown to since */
    size_t memo_unlisted_words;           /* words in that memo the list does not hold (bounded) */
    size_t notices, notice_bytes;         /* published notices kept (ctw_match_index_build_at), in bytes */
} ctw_match_index_stats;
void ctw_match_index_stats_get(const ctw_match_index *ix, ctw_match_index_stats *st);

/* ---- a query ------------------------------------------------------------ */

typedef struct ctw_screen_query {
    const char *id;          /* caller's query id, echoed (may be NULL) */
    const char *name;        /* required, any script */
    const char *dob;         /* YYYY, YYYY-MM or YYYY-MM-DD, or NULL */
    const char *nationality; /* country name or code, or NULL */
    const char *gender;      /* "m", "f", "male", "female", or NULL */
    const char *document;    /* a passport or id number, or NULL */
    const char *schema;      /* "Person", "Organization", or NULL for any (a person if dob or gender is given) */
    double threshold;        /* report hits at or above; <= 0 means CTW_MATCH_REVIEW */
    int limit;               /* most hits to report; <= 0 means 10 */
} ctw_screen_query;

/* Parse a query object {"id","name","dob","nationality","gender",
 * "document","schema"} (strings) with optional "threshold" (number in
 * (0, 1]) and "limit" (1..CTW_MATCH_MAX_LIMIT); unknown keys are refused.
 * Strings point into obj, which must outlive the query. Returns 0, or
 * CTW_EINVAL / CTW_ELIMIT with err naming the field. */
int ctw_screen_query_from_json(json_t *obj, ctw_screen_query *q, ctw_error *err);

/* Check everything in q but the words of its name (birth date, country,
 * gender, schema, name length): 0, or CTW_EINVAL / CTW_ELIMIT with err
 * naming the field. ctw_match_screen() does the same first. */
int ctw_screen_query_check(const ctw_screen_query *q, ctw_error *err);

/* Screen q against ix as principal p. On success *hits is a new JSON array
 * (caller decrefs) of hit objects ordered by score, highest first:
 *   {"record":id,"kind":..,"source":..,"source_id":..,"name":best matching name,
 *    "score":0.93,"decision":"alert"|"review"|"below","explain":[...]}
 * Scores are rounded to three decimals before the decision is taken.
 * A record p may only know exists gives
 *   {"record":id,"owner":..,"score":..,"decision":..,"restricted":true,
 *    "message":"hit: contact <owner>"}  — no name, no explanation.
 * Records p may not see at all are never reported.
 * Returns 0, or CTW_EINVAL (no name, bad date, name that folds to
 * nothing is not an error: it gives an empty array) with err set. */
int ctw_match_screen(const ctw_match_index *ix, const ctw_principal *p, const ctw_screen_query *q,
                     json_t **hits, ctw_error *err);

/* Append the "record" ids of hits to buf as a comma-separated list (for
 * the audit entry of a screening), *len bytes used so far; stops, keeping
 * what fits, when buf (cap bytes) is full, and then returns false (the
 * caller says so in the entry). buf stays NUL-terminated. */
bool ctw_match_hit_ids(json_t *hits, char *buf, size_t cap, size_t *len);

/* Name-to-name score in [0, 1] by the same scorer, without the index's
 * token rarity (every token weighs the same). schema as in the query. */
double ctw_match_compare_names(const char *a, const char *b, const char *schema);

/* ---- the current index of a server ------------------------------------- */

typedef struct ctw_match_registry ctw_match_registry;
ctw_match_registry *ctw_match_registry_new(void);
void ctw_match_registry_free(ctw_match_registry *r);
/* Publish ix (the registry takes the caller's reference). */
void ctw_match_registry_publish(ctw_match_registry *r, ctw_match_index *ix);
/* The current index with a new reference (release it), or NULL if none. */
ctw_match_index *ctw_match_registry_acquire(ctw_match_registry *r);

/* Keep reg current with the store at target: build the first index now
 * (before returning), then rebuild in a background thread whenever the
 * store's change feed moves, checked every interval_ms (0: 1000). */
typedef struct ctw_match_follower ctw_match_follower;
int ctw_match_follower_start(const char *target, ctw_match_registry *reg, unsigned interval_ms,
                             ctw_match_follower **out, ctw_error *err);
/* Stop the thread (waits for a rebuild in progress); reg is left as is. */
void ctw_match_follower_stop(ctw_match_follower *f);

#endif
