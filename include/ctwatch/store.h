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
#include "ctwatch/error.h"
#include "ctwatch/record.h"

typedef struct ctw_store ctw_store;

enum {
    CTW_STORE_CREATE = 1,   /* create the file and schema if missing */
    CTW_STORE_READONLY = 2,
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

/* Call fn for every active record, for a process of the system itself
 * (building the screening index), not for a person: no access filter, since
 * what leaves the index is checked per caller at screening time. Appends
 * one audit entry naming the purpose and the number of records. The record
 * passed to fn is valid only during the call; fn returns 0 to go on. */
int ctw_store_iterate_system(ctw_store *s, const char *purpose, ctw_record_fn fn, void *ud);

/* Call fn for each active record head of source (id, hash, ...) and its
 * source_id. Used by importers to find records gone from a source. */
typedef int (*ctw_head_fn)(void *ud, const char *source_id, const ctw_record_head *h);
int ctw_store_iterate_heads(ctw_store *s, const char *source, ctw_head_fn fn, void *ud);

/* Mark the record removed (a new version; personal data kept until its
 * review date, as the source has only withdrawn it). Inside a transaction. */
int ctw_store_mark_removed(ctw_store *s, const ctw_principal *p, const char *id, const char *when);

/* The newest number of the change feed: it grows with every insert, update
 * and deletion of a record, in commit order. Followers (the screening
 * index of a server) rebuild or catch up when it moves. */
int ctw_store_change_seq(ctw_store *s, int64_t *seq);

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
/* Writes what is queued, then stops. */
void ctw_audit_writer_stop(ctw_audit_writer *w);

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

#endif
