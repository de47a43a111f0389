/* store.h — the system of record (DESIGN.md §4, §7).
 *
 * A ctw_store is a handle on one backend: the embedded SQLite file (the
 * default) or, later, PostgreSQL. Callers see only this interface; a
 * backend is a table of functions behind it (src/store/store_int.h), picked
 * from the target string given to ctw_store_open():
 *     "path/to/file.db" or "sqlite:path"   embedded SQLite, WAL mode
 *     "postgresql://..."                    PostgreSQL (not built yet)
 *
 * Threads: one handle is used by one thread at a time. A server opens one
 * handle per worker thread.
 *
 * Reads: ctw_store_get() and ctw_store_iterate() call ctw_access_check()
 * for the principal and never return what it may not see; each read that
 * returns personal data appends an audit entry.
 *
 * Writes: every write runs inside ctw_store_begin()/commit(); a commit that
 * returned 0 is durable (synchronous=FULL), and a rollback leaves the store
 * exactly as before begin.
 */
#ifndef CTWATCH_STORE_H
#define CTWATCH_STORE_H

#include <stdbool.h>
#include <stdint.h>

#include <jansson.h>

#include "ctwatch/access.h"
#include "ctwatch/arena.h"
#include "ctwatch/error.h"
#include "ctwatch/record.h"

typedef struct ctw_store ctw_store;

enum {
    CTW_STORE_CREATE = 1,   /* create the file and schema if missing */
    CTW_STORE_READONLY = 2,
    /* The handle that commits all the time and that answers wait for (the
     * audit writer's): the SQLite backend checkpoints its write-ahead log
     * on a thread of its own (src/store/sqlite_checkpoint.c) instead of in
     * the commits that cross the checkpoint threshold. */
    CTW_STORE_HOT_WRITER = 4,
};

/* Open (and migrate to the current schema unless READONLY) the store at
 * target. On success *out is a new handle owned by the caller, closed with
 * ctw_store_close(). On failure *out is untouched and err says why. */
int ctw_store_open(const char *target, int flags, ctw_store **out, ctw_error *err);
void ctw_store_close(ctw_store *s);

/* The target to use when none is given: $CTWATCH_DB or ./var/ctwatch.db.
 * Static or environment string; do not free. */
const char *ctw_store_default_target(void);

/* Schema version of the open store and of this build. */
int ctw_store_schema_version(ctw_store *s);
int ctw_store_schema_latest(void);
/* "sqlite" or "postgresql". Static. */
const char *ctw_store_backend(const ctw_store *s);

int ctw_store_begin(ctw_store *s);
int ctw_store_commit(ctw_store *s);
int ctw_store_rollback(ctw_store *s);

/* --- agencies ---------------------------------------------------------- */
typedef struct ctw_agency {
    const char *code;     /* "FRA-NCB", "UN-SC" */
    const char *name;
    const char *country;  /* alpha-3 or NULL */
    const char *kind;     /* "ncb", "national-service", "international-organisation" */
    const char *contact;
    /* comma-separated regions ("europe,schengen") or NULL: the principal
     * of a user of this agency carries them (auth.h). ctw_store_ensure_agency
     * ignores them; ctw_auth_agency_add() stores them. */
    const char *regions;
} ctw_agency;

/* Insert the agency if no agency has that code; leave it alone otherwise. */
int ctw_store_ensure_agency(ctw_store *s, const ctw_agency *a);
/* True if an agency with that code exists. */
bool ctw_store_has_agency(ctw_store *s, const char *code);

/* --- records ----------------------------------------------------------- */

/* What the store knows of a record without loading it. */
typedef struct ctw_record_head {
    char id[64];
    char content_hash[33];
    int64_t version;
    ctw_status status;
    ctw_kind kind;
} ctw_record_head;

/* Look up by (source, source_id). 0 and *out filled, or CTW_ENOTFOUND.
 * No personal data is returned, so no access check or audit applies:
 * importers use this to decide added / changed / unchanged. */
int ctw_store_head(ctw_store *s, const char *source, const char *source_id, ctw_record_head *out);

/* Insert r, or replace the record with the same id (all of its names,
 * dates, ... are replaced). The caller sets id, owner, source, source_id,
 * version, status, created, updated, restriction and review_date; the
 * content hash is computed here. On replace, the stored record keeps its
 * created date, restriction and review date: those belong to the owner's
 * decisions (exchange issue), not to the content a source sends again. p must be allowed to write (the owner's
 * agency or a system administrator). Must run inside a transaction. */
int ctw_store_put(ctw_store *s, const ctw_principal *p, const ctw_record *r);

/* Load record id as p may see it. On success *out is a new record owned by
 * the caller. CTW_ENOTFOUND if there is no such record or p may not know it
 * exists; CTW_EACCES with *access = HIT_ONLY when p may only learn that it
 * exists and who owns it (then *out holds only id, kind and owner). */
int ctw_store_get(ctw_store *s, const ctw_principal *p, const char *id, ctw_record **out);

/* Call fn for each record of `source` (NULL: all sources) whose status is
 * active (removed too if include_removed), in id order, that p may read.
 * The record passed to fn is owned by the store and valid only during the
 * call. fn returns 0 to go on, anything else to stop (returned). */
typedef int (*ctw_record_fn)(void *ud, const ctw_record *r);
int ctw_store_iterate(ctw_store *s, const ctw_principal *p, const char *source,
                      bool include_removed, ctw_record_fn fn, void *ud);

/* One page of an export (a disclosure): the active records of source
 * (NULL: all) that p may read in full, in id order, after id `after`
 * (NULL: from the start), at most limit of them; *more says whether a
 * next page exists. Hit-only records are left out. One audit entry,
 * action "export", names the records handed out. Refused (CTW_EACCES)
 * unless p's role may export (access.h). */
int ctw_store_export(ctw_store *s, const ctw_principal *p, const char *source, const char *after, size_t limit,
                     ctw_record_fn fn, void *ud, bool *more);

/* Call fn for every active record, for a process of the system itself
 * (building the screening index), not for a person: no access filter, since
 * what leaves the index is checked per caller at screening time. Appends
 * one audit entry naming the purpose and the number of records. The record
 * passed to fn is valid only during the call; fn returns 0 to go on. */
int ctw_store_iterate_system(ctw_store *s, const char *purpose, ctw_record_fn fn, void *ud);
/* The same for the screening index (issue 5): only the active records
 * with at least one published notice whose valid_until is unset or not
 * passed (notice.h). One audit entry, like ctw_store_iterate_system. */
int ctw_store_iterate_screenable(ctw_store *s, const char *purpose, ctw_record_fn fn, void *ud);

/* Call fn for each active record head of source (id, hash, ...) and its
 * source_id. Used by importers to find records gone from a source. */
typedef int (*ctw_head_fn)(void *ud, const char *source_id, const ctw_record_head *h);
int ctw_store_iterate_heads(ctw_store *s, const char *source, ctw_head_fn fn, void *ud);

/* Mark the record removed (a new version; personal data kept until its
 * review date, as the source has only withdrawn it). Inside a transaction. */
int ctw_store_mark_removed(ctw_store *s, const ctw_principal *p, const char *id, const char *when);

/* The owner sets who may see record id (issue 5): r->kind with r->list,
 * the comma-separated agency codes ([A-Z0-9-]{2,32}) or region names (the
 * same, lower case allowed), 1 to CTW_RESTRICT_MAX_LIST entries for
 * regions, agencies and all-except, NULL or "" for all and hit-only. Runs
 * in its own transaction: the record gets a new version and an audit
 * entry "restriction-change" (old -> new). CTW_ENOTFOUND if there is no
 * such record or p may not know it exists; CTW_EACCES if p may not write
 * it (only the owner's supervisor or agency administrator, or a system
 * administrator); CTW_EINVAL for a bad kind or list. Each refusal is
 * audited ("restriction-denied") and changes nothing else. */
#define CTW_RESTRICT_MAX_LIST 100
int ctw_store_set_restriction(ctw_store *s, const ctw_principal *p, const char *id, const ctw_restriction *r,
                              ctw_error *err);

/* The newest number of the change feed: it grows with every insert, update
 * and deletion of a record, in commit order. Followers (the screening
 * index of a server) rebuild or catch up when it moves. */
int ctw_store_change_seq(ctw_store *s, int64_t *seq);

/* --- stolen and lost travel documents (issue 4) -------------------------
 * A document is owned by the agency that reported it and restricted like a
 * record. `ref` is the store's stable number for it: the in-memory
 * document table (doctable.h) holds refs, not rows. */
typedef struct ctw_document {
    int64_t ref;                 /* 0 for a new document */
    const char *issuing_state;   /* normalised alpha-3 ("DEU") */
    const char *type;            /* "P", "I", ... or "" when not known */
    const char *number;          /* as reported */
    const char *number_norm;     /* ctw_doc_number_norm() of number */
    const char *status;          /* "stolen", "lost", "revoked", "invalidated", "stolen-blank" */
    const char *owner;           /* agency code */
    const char *reported;        /* ISO date or NULL */
    ctw_restriction restriction;
    const char *review_date;     /* set by the store on insert when NULL: five years on */
    const char *created, *updated;
} ctw_document;

enum { CTW_PUT_UNCHANGED = 0, CTW_PUT_ADDED = 1, CTW_PUT_CHANGED = 2 };

/* Insert d, or update the document with the same (issuing_state,
 * number_norm, type) if its status, reported date or number differ. Only
 * the owner's agency (or a system administrator) may change an existing
 * document: another agency gets CTW_EACCES. *outcome (may be NULL) says
 * what happened, *ref (may be NULL) the document's number. Must run inside
 * a transaction; no audit entry is written here (the importer writes one
 * for the whole file). */
int ctw_store_put_document(ctw_store *s, const ctw_principal *p, const ctw_document *d,
                           int *outcome, int64_t *ref);

/* Load document ref as p may see it, into *out whose strings live in a
 * (the caller's arena). Audited as a consultation. CTW_ENOTFOUND, or
 * CTW_EACCES when p may only learn that it exists (then *out holds ref,
 * status and owner only, and an audit entry says so). */
int ctw_store_get_document(ctw_store *s, const ctw_principal *p, int64_t ref, ctw_arena *a,
                           ctw_document *out);

/* The refs of the documents with this (normalised) state and number, any
 * type — the indexed lookup a single check uses instead of loading the
 * in-memory table. Refs are not personal data; read each hit with
 * ctw_store_get_document(). fn returns 0 to go on. */
int ctw_store_find_documents(ctw_store *s, const char *state, const char *number_norm,
                             int (*fn)(void *ud, int64_t ref), void *ud);

/* Every document, for the system's in-memory table (one audit entry, like
 * ctw_store_iterate_system). The document passed to fn is valid only
 * during the call; fn returns 0 to go on. *last_change (may be NULL) gets
 * the document change feed's newest number read in the same transaction. */
typedef int (*ctw_document_fn)(void *ud, const ctw_document *d);
int ctw_store_iterate_documents_system(ctw_store *s, const char *purpose, ctw_document_fn fn, void *ud,
                                       int64_t *last_change);

/* Changes to documents after `since`, in order: fn(ud, seq, ref, op) with
 * op "insert", "update" or "delete"; the document itself is read with
 * ctw_store_document_row(). */
typedef int (*ctw_document_change_fn)(void *ud, int64_t seq, int64_t ref, const char *op);
int ctw_store_document_changes(ctw_store *s, int64_t since, ctw_document_change_fn fn, void *ud);
/* The document row for a system process (no access check, no audit: the
 * table keeps only the key, type, status and ref). CTW_ENOTFOUND if gone. */
int ctw_store_document_row(ctw_store *s, int64_t ref, ctw_arena *a, ctw_document *out);
/* Number of documents per status: fn(ud, status, count). */
typedef int (*ctw_status_count_fn)(void *ud, const char *status, int64_t count);
int ctw_store_document_counts(ctw_store *s, ctw_status_count_fn fn, void *ud);

/* --- risk rules (issue 4) ----------------------------------------------
 * Every change is a new version; old versions stay for the record. */
typedef struct ctw_rule_row {
    const char *id;              /* "rule-<n>" */
    int64_t version;
    const char *name, *severity;
    bool enabled;
    const char *definition;      /* canonical JSON text (rules.h) */
    const char *author, *agency, *created;
} ctw_rule_row;

/* Store a new version of rule `id`, or a new rule when id is NULL (then the
 * new id is written to id_out, at least 32 bytes). The caller has checked
 * the definition with ctw_rule_parse(). Audited ("rule-change"). Runs in
 * its own transaction. CTW_ENOTFOUND if id names no rule. */
int ctw_store_put_rule(ctw_store *s, const ctw_principal *p, const char *id, const ctw_rule_row *r,
                       char *id_out, size_t id_cap, int64_t *version_out);
/* r as JSON (a new reference): {"id","version","name","severity","enabled",
 * "definition":{the rule},"author","agency","created"} — the shape the CLI
 * prints and the API answers. NULL only when out of memory. */
json_t *ctw_rule_row_json(const ctw_rule_row *r);
/* The newest version of every rule (all_versions: every version), in id
 * order. Rows are valid only during fn. */
typedef int (*ctw_rule_row_fn)(void *ud, const ctw_rule_row *r);
int ctw_store_iterate_rules(ctw_store *s, bool all_versions, ctw_rule_row_fn fn, void *ud);
/* One rule: the given version, or the newest when version is 0. */
int ctw_store_get_rule(ctw_store *s, const char *id, int64_t version, ctw_rule_row_fn fn, void *ud);

/* --- movements and links (issue 4) ---------------------------------------
 * A movement is one traveller on one flight, as a manifest reported it,
 * kept when the traveller matched a person of interest (reason "match",
 * person = the record) or travelled with one (reason "co-traveller"). */
typedef struct ctw_movement {
    int64_t seq;
    const char *person;          /* record id matched, or NULL */
    const char *reason;          /* "match" or "co-traveller" */
    double score;                /* screening score of the match, 0 otherwise */
    const char *surname, *given, *birth_date, *sex, *nationality;
    const char *doc_type, *doc_number, *doc_state;
    const char *carrier, *flight, *origin, *destination, *departure, *arrival;
    const char *booking;         /* booking reference */
    const char *source;          /* "paxlst", "pnrgov", "json" */
    const char *message_ref;
    const char *agency;          /* agency that screened the manifest */
    const char *recorded;        /* ISO UTC time */
} ctw_movement;

/* Record m; the same traveller on the same flight again (a manifest sent
 * twice, a PNR pushed at 72 h and 24 h) updates the one movement instead
 * of adding another: a match replaces a co-traveller reason, never the
 * other way round. *seq gets the movement's number. Inside a transaction. */
int ctw_store_add_movement(ctw_store *s, const ctw_principal *p, const ctw_movement *m, int64_t *seq);
/* Link two movements ("same-booking" or "same-flight"); idempotent. */
int ctw_store_add_link(ctw_store *s, int64_t a, int64_t b, const char *type, const char *date,
                       const char *source);
/* The movements of person `id` as p may see them: a JSON array (new
 * reference in *out), oldest departure first (at most 4,096: the newest
 * beyond are left out), each with its co-travellers
 * [{"movement":{...},"co_travellers":[{"link":"same-booking",...movement}]}].
 * Access: p must be allowed to read the person record (CTW_ENOTFOUND /
 * CTW_EACCES as ctw_store_get). Audited as a consultation. */
int ctw_store_person_movements(ctw_store *s, const ctw_principal *p, const char *id, json_t **out);

/* --- statistics -------------------------------------------------------- */

/* Call fn once per (source, kind, status) group with its count. */
typedef int (*ctw_count_fn)(void *ud, const char *source, ctw_kind kind, ctw_status status, int64_t count);
int ctw_store_counts(ctw_store *s, ctw_count_fn fn, void *ud);

/* Record that an import ran (source, format, files, summary JSON text). */
int ctw_store_note_import(ctw_store *s, const char *source, const char *format,
                          const char *files, const char *summary_json, const char *when);

/* --- audit ------------------------------------------------------------- */

/* Append an audit entry: who (p), what (action: "read", "import",
 * "export", "search", ...), which records (comma-separated ids, may be
 * NULL), and a detail text (may be NULL). Entries are never changed. */
int ctw_store_audit(ctw_store *s, const ctw_principal *p, const char *action,
                    const char *records, const char *detail);

/* Group commit of audit entries for servers: entries appended by many
 * threads are written by one writer thread, many to a transaction.
 * ctw_audit_writer_append() returns once the entry is committed (0) or
 * failed to be (CTW_ESTORE): an answer is never sent before its audit
 * entry is on disk. The writer has its own store handle on target. */
typedef struct ctw_audit_writer ctw_audit_writer;
int ctw_audit_writer_start(const char *target, ctw_audit_writer **out, ctw_error *err);
int ctw_audit_writer_append(ctw_audit_writer *w, const ctw_principal *p, const char *action, const char *records,
                            const char *detail);
/* Pacing of a busy writer: once a batch held at least busy_batch entries
 * (default 16; 0: always), and for as long as batches hold at least half
 * that, each commit begins no sooner than interval_us (default 1000, at
 * most CTW_AUDIT_INTERVAL_MAX_US; 0: never waits) after the last one
 * began, with every entry queued meanwhile, so that a loaded server pays
 * fewer fsyncs. Otherwise a commit begins as soon as the writer is free.
 * audit_writer.c says why. */
#define CTW_AUDIT_INTERVAL_MAX_US 10000000u
void ctw_audit_writer_set_pacing(ctw_audit_writer *w, unsigned interval_us, unsigned busy_batch);
/* Commits the writer has begun since it started. */
uint64_t ctw_audit_writer_batches(ctw_audit_writer *w);
/* Writes what is queued, at once, then stops. */
void ctw_audit_writer_stop(ctw_audit_writer *w);

/* Verify the audit log (issue 5): walk it in seq order, recompute every
 * entry's hash, follow the prev_hash links, and compare the end of the walk
 * with the anchor the store keeps of the log's end (entries ever appended,
 * newest seq and hash). Reports the FIRST fault, as one of these kinds:
 *   "changed"   an entry's fields no longer give its hash; or an entry was
 *               edited and given a new hash, which its successor (for the
 *               newest entry, the anchor) does not chain to
 *   "removed"   a seq is missing; or an entry chains to one that is gone and
 *               fewer entries remain than were appended (first_bad_seq 0
 *               when no single entry can be named)
 *   "reordered" the entry at a seq chains to an entry found later in seq
 *               order (seqs swapped or renumbered)
 *   "truncated" the log ends before its anchor: the newest entries are
 *               gone (or the anchor itself is)
 *   "added"     entries after the anchor's end: written around the store
 * One entry changed, removed or reordered is always caught; a rewrite of
 * the whole chain together with the anchor is not (both live in the one
 * file: keep copies of the anchor elsewhere to catch that).
 * Returns 0 when the walk ran, whatever it found (see out->ok), with *out
 * filled; a negative CTW_E* code with err filled and *out untouched when
 * the log could not be read. Only reads: it appends no audit entry (the
 * result holds no personal data) and works on a READONLY handle. */
typedef struct ctw_audit_verify_result {
    bool ok;
    int64_t entries;        /* entries found intact (before the first fault) */
    int64_t first_bad_seq;  /* 0 when ok or when no single entry can be named */
    const char *kind;       /* NULL when ok, else one of the static strings above */
    char message[256];      /* one line, English; seqs only, no personal data */
} ctw_audit_verify_result;
int ctw_store_audit_verify(ctw_store *s, ctw_audit_verify_result *out, ctw_error *err);

/* One audit entry as stored. Strings are valid only during the callback
 * that receives the entry; a column edited to NULL outside the store is NULL. */
typedef struct ctw_audit_entry {
    int64_t seq;
    const char *time, *user, *agency, *role, *action, *purpose, *records, *detail;
    const char *prev_hash, *hash;
} ctw_audit_entry;
typedef int (*ctw_audit_fn)(void *ud, const ctw_audit_entry *e);

/* Which entries ctw_store_audit_list() passes on; NULL (or 0) fields match
 * all. Times compare as text with the entries' "YYYY-MM-DDTHH:MM:SSZ". */
typedef struct ctw_audit_filter {
    const char *action;   /* exact action ("read", "screen", ...) */
    const char *user;     /* exact user name */
    const char *since;    /* ISO time or date: entries at or after it */
    int64_t limit;        /* > 0: only the newest `limit` matching entries */
    const char *agency;   /* exact agency code */
    const char *until;    /* ISO time or date: entries before it (exclusive) */
    const char *record;   /* a substring of the entry's record ids (exact bytes) */
    int64_t after;        /* > 0: entries with a seq above it (a page's cursor) */
    int64_t first;        /* > 0: only the oldest `first` matching entries (a page);
                             not together with limit (CTW_EINVAL) */
} ctw_audit_filter;

/* Call fn for each audit entry matching f (NULL: all), oldest first, for a
 * data protection officer: p must be an auditor or a system administrator
 * (else CTW_EACCES, nothing read). fn returns 0 to go on, anything else to
 * stop (returned). Appends one "audit-read" entry naming the filter and the
 * number of entries read, after the last call of fn; a failure to append it
 * is returned, so a caller that holds its output until this returns 0 never
 * shows an entry that was not audited. */
int ctw_store_audit_list(ctw_store *s, const ctw_principal *p, const ctw_audit_filter *f, ctw_audit_fn fn,
                         void *ud);

/* Current UTC time as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least 21 bytes). */
void ctw_now_iso(char buf[32]);

/* --- statistics as JSON (shared by `ctwatch stats --json` and GET /api/v1/stats) */

/* A new JSON object (caller json_decrefs it) built from ctw_store_counts():
 *   {"total":{"records":N,"active":N,"removed":N},
 *    "by_kind":{"person":N,"organisation":N,"vessel":N,"aircraft":N},  active only
 *    "by_source":{"un-sc":{"person":N,"organisation":N,"removed":N},...},
 *    "schema_version":N}
 * Per-kind numbers count active records; "removed" counts removed ones.
 * NULL on failure, with err filled. Declared here rather than in json.h so
 * that json.h stays free of the store. */
json_t *ctw_stats_json(ctw_store *s, ctw_error *err);


/* --- retention (issue 5, src/store/retention.c) ---------------------------
 * Every record has a review date (five years after its creation or its
 * last review). Its owner agency lists what is due, and for each either
 * extends it (a new review date five years from today) or deletes the
 * record for real. Who decides: a supervisor of the owner agency, or the
 * local command line (ctw_principal_cli(), the operator of the store
 * file); nobody else, not a system administrator over the API either —
 * the owner decides (DESIGN.md §5). Who lists: the owner agency's
 * supervisors, analysts and agency administrators (their own agency's
 * records), and the command line (every agency's, or one). */
#define CTW_RETENTION_YEARS 5
#define CTW_RETENTION_REASON_MAX 1024   /* bytes */
#define CTW_REVIEWS_MAX 10000           /* records in one listing */

/* A record due for review, as listed: no more personal data than its
 * primary name. Strings valid during the callback only. */
typedef struct ctw_review_item {
    const char *id, *owner, *review_date, *status, *name;
    ctw_kind kind;
} ctw_review_item;
typedef int (*ctw_review_fn)(void *ud, const ctw_review_item *r);

/* Call fn for each record whose review date is on or before `until`
 * ("YYYY-MM-DD"), oldest date first, at most `limit` (1 to
 * CTW_REVIEWS_MAX) of them, that p may list: its own agency's (agency must
 * then be NULL or p's), or for the command line those of `agency` (NULL:
 * all). Removed records are listed too: their data stays until decided.
 * Each name passes the access check; one audit entry "review-list" names
 * the records. CTW_EACCES (audited as "review-denied") for any other
 * principal, CTW_EINVAL for a bad date or limit. fn returns 0 to go on. */
/* The UTC date within_days from today, "YYYY-MM-DD", as `until` below. */
void ctw_store_review_until(long within_days, char out[16]);

int ctw_store_reviews_due(ctw_store *s, const ctw_principal *p, const char *agency, const char *until, int limit,
                          ctw_review_fn fn, void *ud, ctw_error *err);

/* Extend record id: its review date becomes today + CTW_RETENTION_YEARS
 * (written to new_date, "YYYY-MM-DD"), a new version. reason: 1 to
 * CTW_RETENTION_REASON_MAX bytes of UTF-8 text without control characters
 * (newline and tab allowed), not repeating a name or identifier of the
 * record (the audit log outlives the record). Its own transaction; audit
 * entry "review-extend" (old and new date, the reason). CTW_ENOTFOUND
 * when there is no such record or p may not know of it, CTW_EACCES when p
 * may not decide (audited "review-denied"), CTW_EINVAL for the reason. */
int ctw_store_review_extend(ctw_store *s, const ctw_principal *p, const char *id, const char *reason,
                            char new_date[16], ctw_error *err);

/* Delete record id for real: every element row (names, dates, places,
 * nationalities, identifiers, addresses, listings, attributes) and the
 * record row go, movements lose their reference to it, and the change
 * feed moves, so servers drop it from their screening index. The store
 * runs with PRAGMA secure_delete=ON, so the freed bytes are overwritten
 * with zeros; after the commit the write-ahead log is checkpointed and
 * truncated so that no older page image keeps them: *overwritten (may be
 * NULL) says whether that completed (false when readers held it back; the
 * next checkpoint finishes it). The audit entry "record-delete" keeps the
 * id, who, when and the reason only. Rules for p and reason as for
 * ctw_store_review_extend ("delete-denied" for a refusal). A record of an
 * imported list (UN-SC, US-OFAC) is deleted the same way by its owner; a
 * later import of a list that still holds it adds it again. */
int ctw_store_record_delete(ctw_store *s, const ctw_principal *p, const char *id, const char *reason,
                            bool *overwritten, ctw_error *err);

#endif
