/* store_int.h — the backend interface behind ctw_store (private).
 *
 * A backend stores and loads raw records; it makes no access decision and
 * writes no audit entry on its own: src/store/store.c does both, once, for
 * every backend. To add a backend (PostgreSQL), fill a ctw__store_backend
 * and add its URI scheme to ctw_store_open() in store.c.
 *
 * Every function returns 0 or a negative CTW_E* code unless said otherwise.
 */
#ifndef CTW_STORE_INT_H
#define CTW_STORE_INT_H

#include "ctwatch/store.h"

typedef struct ctw__audit_entry {
    const char *time, *user, *agency, *role, *action, *purpose, *records, *detail;
} ctw__audit_entry;

/* What the store's own appends left as the end of the audit log, kept
 * apart from the rows so that removing the newest rows shows (issue 5). */
typedef struct ctw__audit_anchor {
    bool present;           /* false: the backend keeps none, or it is gone */
    int64_t count;          /* entries ever appended */
    int64_t last_seq;       /* seq of the newest one (0: none) */
    char last_hash[65];     /* its hash ("" when none) */
} ctw__audit_anchor;

typedef struct ctw__store_backend {
    const char *name;
    /* Open target; *impl is the backend's handle. Migrates unless READONLY. */
    int (*open)(const char *target, int flags, void **impl, ctw_error *err);
    void (*close)(void *impl);
    int (*schema_version)(void *impl);
    int (*begin)(void *impl);
    int (*commit)(void *impl);
    int (*rollback)(void *impl);
    int (*ensure_agency)(void *impl, const ctw_agency *a);
    int (*has_agency)(void *impl, const char *code); /* 1 yes, 0 no, <0 error */
    int (*head)(void *impl, const char *source, const char *source_id, ctw_record_head *out);
    int (*put)(void *impl, const ctw_record *r, const char *content_hash);
    /* *out is a new record owned by the caller; CTW_ENOTFOUND if none. */
    int (*load)(void *impl, const char *id, ctw_record **out);
    /* fn gets records it must not keep; stop on non-zero (returned). */
    int (*iterate)(void *impl, const char *source, bool include_removed, ctw_record_fn fn, void *ud);
    int (*iterate_heads)(void *impl, const char *source, ctw_head_fn fn, void *ud);
    int (*mark_removed)(void *impl, const char *id, const char *when);
    int (*counts)(void *impl, ctw_count_fn fn, void *ud);
    int (*note_import)(void *impl, const char *source, const char *format, const char *files,
                       const char *summary_json, const char *when);
    /* Append e to the audit log, chaining it to the previous entry's hash
     * with ctw__audit_hash(), and advance the anchor (ctw__audit_anchor)
     * in the same transaction. Atomic on its own. */
    int (*audit_append)(void *impl, const ctw__audit_entry *e);
    /* Audit rows matching f (NULL: every row) in seq order, as stored: fn
     * gets strings valid during the call only, NULL where a column is NULL;
     * stop on non-zero (returned). *anchor (may be NULL) gets the anchor of
     * the log's end, read in the same transaction as the rows. */
    int (*audit_iterate)(void *impl, const ctw_audit_filter *f, ctw_audit_fn fn, void *ud,
                         ctw__audit_anchor *anchor);
    /* The newest sequence number of the change feed (0 if empty). */
    int (*change_seq)(void *impl, int64_t *seq);

    /* travel (issue 4): documents, rules, movements. Strings of loaded rows
     * live in the arena given, or are valid during the callback only. */
    int (*document_by_key)(void *impl, const char *state, const char *number_norm, const char *type,
                           ctw_arena *a, ctw_document *out);
    int (*document_by_ref)(void *impl, int64_t ref, ctw_arena *a, ctw_document *out);
    /* refs of the documents with this state and number, any type */
    int (*document_find)(void *impl, const char *state, const char *number_norm,
                         int (*fn)(void *ud, int64_t ref), void *ud);
    int (*document_insert)(void *impl, const ctw_document *d, int64_t *ref);
    int (*document_update)(void *impl, const ctw_document *d);
    /* all documents and the feed's newest seq, read in one transaction */
    int (*document_iterate)(void *impl, ctw_document_fn fn, void *ud, int64_t *last_change);
    int (*document_changes)(void *impl, int64_t since, ctw_document_change_fn fn, void *ud);
    int (*document_counts)(void *impl, ctw_status_count_fn fn, void *ud);
    /* next version of rule r->id (or a new id when r->id is NULL) */
    int (*rule_put)(void *impl, const ctw_rule_row *r, char *id_out, size_t id_cap, int64_t *version_out);
    /* id NULL: every rule; version 0: newest; all_versions: every version */
    int (*rule_iterate)(void *impl, const char *id, int64_t version, bool all_versions,
                        ctw_rule_row_fn fn, void *ud);
    int (*movement_add)(void *impl, const ctw_movement *m, int64_t *seq);
    int (*link_add)(void *impl, int64_t a, int64_t b, const char *type, const char *date, const char *source);
    /* movements of person id with co-travellers, as documented at
     * ctw_store_person_movements; *ids gets the movement numbers read
     * ("m1,m7", malloc'd) for the audit entry */
    int (*person_movements)(void *impl, const char *id, json_t **out, char **ids);
} ctw__store_backend;

extern const ctw__store_backend ctw__store_sqlite;

/* The backend and its handle behind s (store.c), for travel.c. */
const ctw__store_backend *ctw__store_be(ctw_store *s);
void *ctw__store_impl(ctw_store *s);

/* hash = BLAKE2b-256(prev_hash, fields of e) as 64 hex digits into out. */
void ctw__audit_hash(const char *prev_hash, const ctw__audit_entry *e, char out[65]);

#endif
