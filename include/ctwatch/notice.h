/* notice.h — notices and listings on records (issue 5, DESIGN.md §4).
 *
 * A notice is one request about one record: a kind (an INTERPOL colour, a
 * UN Security Council special notice, a diffusion, a national or a
 * sanctions listing), the action asked of whoever finds the subject
 * (arrest, locate, inform, monitor), a summary and a validity. It belongs
 * to the record's owner agency and moves through
 *
 *     draft ──submit──► review ──publish──► published
 *       │                 │                    │
 *       └─────cancel──────┴───────cancel───────┴──► cancelled
 *
 * "expired" is not stored: a published notice whose valid_until has passed
 * reads as expired (ctw_notice.state) and no longer makes its record
 * screenable. Only records with at least one published, unexpired notice
 * are in the screening index (ctw_store_iterate_screenable).
 *
 * Rights (all refused for a principal with a scope, a border system's key):
 *   create, submit    a user of the record's owner agency with the role
 *                     officer, analyst or supervisor
 *   publish, cancel   a supervisor of the record's owner agency
 * Reads (get, list, the notice on a screening hit) pass the access check of
 * the notice's record (ctw_access_check_owned with the record's owner and
 * restriction): a record the caller may only know exists (hit-only) shows
 * none of its notices. Every read and every write is audited; a refused
 * write is audited ("notice-denied") and changes nothing else.
 *
 * Ids are "N-<number>", the store's sequence; they carry no meaning.
 */
#ifndef CTWATCH_NOTICE_H
#define CTWATCH_NOTICE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ctwatch/access.h"
#include "ctwatch/arena.h"
#include "ctwatch/error.h"
#include "ctwatch/store.h"

#define CTW_NOTICE_SUMMARY_MAX 4096   /* bytes of a summary */
#define CTW_NOTICE_REASON_MAX 1024    /* bytes of a cancel reason */
#define CTW_NOTICE_ID_MAX 24          /* "N-" + digits, with the NUL */
#define CTW_NOTICE_LIST_MAX 1000      /* notices in one list call */

/* A notice as the store holds it. Every string is owned by the arena the
 * call that filled the struct was given and lives until ctw_arena_free();
 * NULL where the field is not set (summary, valid_until, published...). */
typedef struct ctw_notice {
    int64_t seq;                 /* the store's number; id is "N-<seq>" */
    char id[CTW_NOTICE_ID_MAX];
    const char *record;          /* record id */
    const char *kind;            /* ctw_notice_kind_valid() */
    const char *state;           /* "draft", "review", "published", "cancelled", or "expired" (computed) */
    const char *action;          /* "arrest", "locate", "inform", "monitor" */
    const char *summary;
    const char *valid_until;     /* "YYYY-MM-DD" or NULL: no end */
    const char *owner;           /* agency code, the record's owner */
    const char *created, *created_by, *updated;
    const char *published, *published_by;
    const char *cancelled, *cancelled_by, *cancel_reason;
} ctw_notice;

/* Predicates on the words of the contract; static tables, no allocation. */
bool ctw_notice_kind_valid(const char *kind);
bool ctw_notice_action_valid(const char *action);
bool ctw_notice_state_valid(const char *state);   /* the stored ones and "expired" */
/* True if date is a real calendar date "YYYY-MM-DD" later than today (UTC). */
bool ctw_notice_date_in_future(const char *date);
/* "N-12" -> 12; false for anything else (no sign, no leading zero, no junk). */
bool ctw_notice_parse_id(const char *id, int64_t *seq);

/* What a new notice says; the strings are the caller's and are copied. */
typedef struct ctw_notice_new {
    const char *record, *kind, *action;
    const char *summary;          /* may be NULL; at most CTW_NOTICE_SUMMARY_MAX bytes */
    const char *valid_until;      /* NULL, or a real future date */
} ctw_notice_new;

/* Create a draft notice on n->record, in its own transaction; on success
 * *out (may be NULL) holds it, strings in a. Errors, each filling err:
 *   CTW_EINVAL     kind, action, summary or valid_until not acceptable
 *   CTW_ENOTFOUND  no such record, or p may not know of it (or only that it
 *                  exists: another agency cannot put a notice on it)
 *   CTW_EACCES     p may not create notices on this record's agency's behalf
 * Audited: "notice-create" (collection) or "notice-denied". */
int ctw_notice_create(ctw_store *s, const ctw_principal *p, const ctw_notice_new *n, ctw_arena *a,
                      ctw_notice *out, ctw_error *err);

/* The state changes, each in its own transaction; *out (may be NULL) gets
 * the notice after the change, strings in a. CTW_ENOTFOUND if p may not
 * read the notice, CTW_EACCES if p lacks the right, CTW_ECONFLICT when the
 * notice is not in a state the step starts from (submit: draft; publish:
 * review; cancel: draft, review or published — an expired one too), or, for
 * publish, when its validity has passed. reason (cancel) may be NULL, at
 * most CTW_NOTICE_REASON_MAX bytes (CTW_EINVAL). Audited: "notice-submit",
 * "notice-publish", "notice-cancel" (alteration) or "notice-denied". */
int ctw_notice_submit(ctw_store *s, const ctw_principal *p, const char *id, ctw_arena *a, ctw_notice *out,
                      ctw_error *err);
int ctw_notice_publish(ctw_store *s, const ctw_principal *p, const char *id, ctw_arena *a, ctw_notice *out,
                       ctw_error *err);
int ctw_notice_cancel(ctw_store *s, const ctw_principal *p, const char *id, const char *reason, ctw_arena *a,
                      ctw_notice *out, ctw_error *err);

/* One notice as p may see it, strings in a. CTW_ENOTFOUND if there is no
 * such notice or p may not read its record (hit-only included). Audited
 * ("read", or "read-denied" for a hit-only record). */
int ctw_notice_get(ctw_store *s, const ctw_principal *p, const char *id, ctw_arena *a, ctw_notice *out);

/* Which notices ctw_notice_list() passes on; NULL / 0 fields match all. */
typedef struct ctw_notice_filter {
    const char *state;     /* stored state, or "expired" */
    const char *kind;
    const char *record;
    int64_t after;         /* seq cursor: notices with a higher seq */
    int limit;             /* 1..CTW_NOTICE_LIST_MAX; 0: 100 */
} ctw_notice_filter;

/* Call fn for each notice matching f that p may read, in seq order, at
 * most f->limit of them. The notice passed to fn is valid only during the
 * call. fn returns 0 to go on, anything else to stop (returned). One audit
 * entry ("read-many") names the records whose notices were shown. */
typedef int (*ctw_notice_fn)(void *ud, const ctw_notice *n);
int ctw_notice_list(ctw_store *s, const ctw_principal *p, const ctw_notice_filter *f, ctw_notice_fn fn, void *ud);

/* n as the contract's JSON (a new reference; NULL when out of memory). */
json_t *ctw_notice_json(const ctw_notice *n);

/* The screening side. For each hit of a screening answer (the array that
 * ctw_match_screen() returns): a hit whose record has no published,
 * unexpired notice any more (expired since the index was built) is
 * removed; a hit on a record p may read gains
 * "notice":{"id","kind","action"}, its strongest published notice (by
 * action: arrest, locate, inform, monitor; then by kind: red, diffusion,
 * orange, black, yellow, blue, un-special, sanctions, purple, green,
 * national; then the newest). No audit entry here: the caller's entry for
 * the screening names the records and, with ctw_notice_hit_ids(), the
 * notices shown.
 * known (may be NULL) is asked first, hit by hit: a caller that holds the
 * records' notices itself (the screening index, ctw_match_annotate_notices
 * in match.h) answers without one query per hit. It fills *out with the
 * record's strongest notice valid on day (YYYY-MM-DD) and the record's
 * owner and restriction and returns 0, returns CTW_ENOTFOUND when no
 * notice of the record is valid on day (the hit goes), or
 * CTW_NOTICE_ASK_STORE when it does not know the record (s is asked). */
typedef struct ctw_notice_known {
    char id[CTW_NOTICE_ID_MAX];
    const char *kind, *action, *owner;   /* live as long as known's data */
    ctw_restriction restriction;
} ctw_notice_known;
#define CTW_NOTICE_ASK_STORE 1
typedef int (*ctw_notice_known_fn)(void *ud, const char *record, const char *day, ctw_notice_known *out);
int ctw_notice_annotate_hits(ctw_store *s, const ctw_principal *p, json_t *hits, ctw_notice_known_fn known, void *ud);
/* Append the ids of the notices on hits, comma-separated, to buf (cap
 * bytes, *len used, like ctw_match_hit_ids); false when they did not all
 * fit (buf stays a string). */
bool ctw_notice_hit_ids(json_t *hits, char *buf, size_t cap, size_t *len);

/* --- for the importers (import.c), inside the import's transaction ------
 * Published notices of kind/action, owned by owner, by the system
 * ("import"), one on each of records[0..n) — records the same transaction
 * put. Each moves the change feed (schema 8), beside its record's change.
 * Written with multi-row inserts of up to 64 rows: an importer gathers
 * CTW_NOTICE_IMPORT_BATCH ids and calls this once per batch. No access
 * decision or audit here: the import checked the right to write the
 * records and writes one audit entry for the whole import. */
#define CTW_NOTICE_IMPORT_BATCH 64
int ctw_notice_import_publish_many(ctw_store *s, const char *const *records, size_t n, const char *kind,
                                   const char *action, const char *owner, const char *now);
/* The same for one record. */
int ctw_notice_import_publish(ctw_store *s, const char *record, const char *kind, const char *action,
                              const char *owner, const char *now);
/* Cancel every draft, review or published notice of record (the source
 * withdrew it), reason "removed from source". */
int ctw_notice_import_cancel(ctw_store *s, const char *record, const char *now);

/* --- for the screening index (match/index.c) ----------------------------
 * Call fn for every published notice of an active record, expired ones
 * too (whether one has expired is decided on the day a hit is annotated),
 * grouped by record id and within a record strongest first, the order in
 * which ctw_notice_annotate_hits() ranks them. Only seq, id, record, kind, state, action and
 * valid_until are set, valid during the call; fn returns 0 to go on. A
 * process of the system, like ctw_store_iterate_screenable(), whose audit
 * entry covers the index build: no access check (made per hit when a hit is
 * annotated) and no entry of its own. */
int ctw_notice_iterate_published(ctw_store *s, ctw_notice_fn fn, void *ud);

#endif
