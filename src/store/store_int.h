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

#include "ctwatch/notice.h"
#include "ctwatch/hit.h"
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
/* Rows of the identity tables (issue 5) as a backend reads and writes
 * them; src/auth/auth.c is their only user. Strings of loaded rows live
 * in the arena given, or are valid during the callback only. */
typedef struct ctw__user_row {
    int64_t id;
    const char *username, *agency, *role;
    const char *regions;          /* the agency's, read only (joined) */
    const char *password_hash;    /* crypto_pwhash_str form, NULL: none set */
    bool enabled;
    const uint8_t *totp_secret;   /* NULL: not enrolled */
    size_t totp_secret_len;
    int64_t totp_last_step;       /* last TOTP step accepted, -1: none */
    const char *created, *updated;
} ctw__user_row;

typedef struct ctw__session_row {
    const char *token_hash;       /* BLAKE2b-256 of the token, hex */
    int64_t user_id, created, last_used, expires;   /* Unix seconds */
    const char *remote_addr;
} ctw__session_row;

typedef struct ctw__key_row {
    int64_t id;
    const char *key_hash;         /* BLAKE2b-256 of the key, hex */
    const char *agency, *name, *scope, *created;
    const char *revoked;          /* NULL while the key works */
    const char *regions;          /* the agency's, read only (joined) */
} ctw__key_row;

/* A hit as a backend reads it (hit.h; src/store/hits.c is its only user).
 * Strings live in the arena given or during the callback only. The
 * matched record's or document's current restriction is joined in
 * (target_found false when it is gone), and the record's first name. */
typedef struct ctw__hit_row {
    int64_t seq;
    const char *id, *created, *kind, *checking_agency, *checking_user, *owner, *record, *document, *name,
        *query, *decision, *notice_id, *notice_kind, *notice_action, *state, *updated;
    double score;
    bool target_found;
    const char *restriction, *restriction_list, *record_name;
} ctw__hit_row;
typedef int (*ctw__hit_row_fn)(void *ud, const ctw__hit_row *h);
/* An event or a message of a hit (message: event "message", note = text). */
typedef int (*ctw__hit_step_fn)(void *ud, int64_t seq, const char *time, const char *user, const char *agency,
                                const char *event, const char *text);
/* Rows in one multi-row insert of an importer's notices. */
#define CTW__NOTICE_BATCH 64

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
    /* set restriction and restriction_list of record id, a new version
     * updated at when; CTW_ENOTFOUND if there is no such record */
    int (*set_restriction)(void *impl, const char *id, const char *kind, const char *list, const char *when);
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

    /* identities (issue 5). No access decision or audit here either:
     * src/auth/auth.c makes both. */
    /* insert a (with regions); CTW_EEXIST if the code is taken */
    int (*agency_add)(void *impl, const ctw_agency *a, const char *now);
    int (*agency_iterate)(void *impl, int (*fn)(void *ud, const ctw_agency *a), void *ud);
    /* CTW_EEXIST if the name is taken; *id gets the new user's number */
    int (*user_insert)(void *impl, const ctw__user_row *u, int64_t *id);
    /* by name, with the agency's regions; CTW_ENOTFOUND */
    int (*user_get)(void *impl, const char *username, ctw_arena *a, ctw__user_row *out);
    /* write password_hash, enabled, totp_secret, totp_last_step, updated
     * and role (unless NULL) of user u->id */
    int (*user_update)(void *impl, const ctw__user_row *u);
    /* agency NULL: every user; by name */
    int (*user_iterate)(void *impl, const char *agency, int (*fn)(void *ud, const ctw__user_row *u), void *ud);
    /* set the user's last TOTP step to step if it is lower, atomically:
     * 0 done, CTW_ECONFLICT when step was already used (a replay) */
    int (*totp_advance)(void *impl, int64_t user_id, int64_t step);
    int (*session_insert)(void *impl, const ctw__session_row *se);
    /* the session of token_hash and its user; CTW_ENOTFOUND */
    int (*session_get)(void *impl, const char *token_hash, ctw_arena *a, ctw__session_row *se, ctw__user_row *u);
    int (*session_touch)(void *impl, const char *token_hash, int64_t now);
    /* CTW_ENOTFOUND if there was no such session */
    int (*session_delete)(void *impl, const char *token_hash);
    int (*session_delete_user)(void *impl, int64_t user_id);
    /* delete the sessions expired at now */
    int (*session_purge)(void *impl, int64_t now, int64_t idle_seconds);
    /* CTW_EEXIST if the agency has a key of that name */
    int (*key_insert)(void *impl, const ctw__key_row *k, int64_t *id);
    /* by key_hash, or by id when key_hash is NULL; CTW_ENOTFOUND */
    int (*key_get)(void *impl, const char *key_hash, int64_t id, ctw_arena *a, ctw__key_row *out);
    /* set revoked = when unless already set; CTW_ENOTFOUND */
    int (*key_revoke)(void *impl, int64_t id, const char *when);
    int (*key_iterate)(void *impl, const char *agency, int (*fn)(void *ud, const ctw__key_row *k), void *ud);
    /* failed logins: kind "user" or "addr" */
    int (*attempt_add)(void *impl, const char *kind, const char *subject, int64_t t);
    /* time of the n-th newest failure of (kind, subject) later than
     * after (n >= 1); CTW_ENOTFOUND when there are fewer */
    int (*attempt_nth)(void *impl, const char *kind, const char *subject, int64_t after, int n, int64_t *t);
    int (*attempt_clear)(void *impl, const char *kind, const char *subject);
    /* forget failures at or before `before` */
    int (*attempt_purge)(void *impl, int64_t before);

    /* notices (issue 5). No access decision or audit here: notices.c makes
     * both. Loaded strings live in the arena given, or are valid during the
     * callback only. rr gets the restriction of the notice's record and
     * *record_owner its owner (what the access check is made on). */
    /* insert n (its seq is ignored); *seq gets the new number */
    int (*notice_insert)(void *impl, const ctw_notice *n, int64_t *seq);
    /* n published notices of kind/action/owner by "import" at now, one on
     * each of records[0..n) (an importer's batch; n <= CTW__NOTICE_BATCH) */
    int (*notice_publish_batch)(void *impl, const char *const *records, size_t n, const char *kind,
                                const char *action, const char *owner, const char *now);
    /* CTW_ENOTFOUND if there is no such notice */
    int (*notice_get)(void *impl, int64_t seq, ctw_arena *a, ctw_notice *out, const char **record_owner,
                      ctw_restriction *rr);
    /* write n's state, updated, published(_by), cancelled(_by) and
     * cancel_reason if the stored state is still from_state; CTW_ECONFLICT
     * otherwise */
    int (*notice_set_state)(void *impl, const ctw_notice *n, const char *from_state);
    /* notices matching f (its limit ignored: fn stops) in seq order; today
     * ("YYYY-MM-DD") decides which published ones read as expired */
    int (*notice_iterate)(void *impl, const ctw_notice_filter *f, const char *today,
                          int (*fn)(void *ud, const ctw_notice *n, const char *record_owner,
                                    const ctw_restriction *rr),
                          void *ud);
    /* the strongest published notice of active record id valid on today
     * (notice.h), with the record's owner and restriction; CTW_ENOTFOUND
     * when it has none */
    int (*notice_best)(void *impl, const char *id, const char *today, ctw_arena *a, ctw_notice *out,
                       const char **record_owner, ctw_restriction *rr);
    /* every published notice of an active record, expired or not, by
     * record id, then in notice_best's order (strongest first); fn gets
     * seq, record, kind, action and valid_until only */
    int (*notice_iterate_published)(void *impl, int (*fn)(void *ud, const ctw_notice *n), void *ud);
    /* cancel every draft, review or published notice of record id */
    int (*notice_cancel_record)(void *impl, const char *id, const char *now, const char *by, const char *reason);
    /* like iterate (active records, no source), only records with a
     * published notice valid on today */
    int (*iterate_screenable)(void *impl, const char *today, ctw_record_fn fn, void *ud);
    /* retention (issue 5, sqlite_retention.c). No access decision or
     * audit here: src/store/retention.c makes both. */
    /* records of owner (NULL: all) with review_date <= until, oldest date
     * first, at most limit; item strings valid during fn only.
     * *restriction gets each row's restriction for the access check. */
    int (*review_iterate)(void *impl, const char *owner, const char *until, int limit,
                          int (*fn)(void *ud, const ctw_review_item *r, const ctw_restriction *restriction),
                          void *ud);
    /* set the review date of record id, a new version updated at when;
     * CTW_ENOTFOUND if there is no such record */
    int (*review_set)(void *impl, const char *id, const char *date, const char *when);
    /* delete record id with every element row and clear the movements'
     * references to it; CTW_ENOTFOUND if there is no such record */
    int (*record_delete)(void *impl, const char *id);
    /* outside a transaction: checkpoint the write-ahead log into the file
     * and truncate it; 0 done, CTW_ECONFLICT when readers held it back */
    int (*erase_log)(void *impl);
    /* hits (issue 5 part 5). No access decision or audit here: hits.c. */
    int (*hit_insert)(void *impl, const ctw_hit_new *h, const char *checking_agency, const char *checking_user,
                      const char *now, int64_t *seq);
    /* by id; CTW_ENOTFOUND */
    int (*hit_get)(void *impl, const char *id, ctw_arena *a, ctw__hit_row *out);
    /* hits of agency (side "owner", "checker" or NULL: both), state NULL:
     * any, seq > after, newest first, at most limit */
    int (*hit_list)(void *impl, const char *agency, const char *side, const char *state, int64_t after, int limit,
                    ctw__hit_row_fn fn, void *ud);
    /* state from one of from (comma-separated) to to, updated = now:
     * CTW_ECONFLICT when the hit is in none of them */
    int (*hit_set_state)(void *impl, int64_t seq, const char *from, const char *to, const char *now);
    int (*hit_event_add)(void *impl, int64_t hit_seq, const char *user, const char *agency, const char *event,
                         const char *note, const char *now, int64_t *seq);
    /* *seq gets the message's number within the hit (1, 2, ...) */
    int (*hit_message_add)(void *impl, int64_t hit_seq, const char *user, const char *agency, const char *text,
                           const char *now, int64_t *seq);
    /* events (fn_event) then messages (fn_msg) of the hit, oldest first */
    int (*hit_history)(void *impl, int64_t hit_seq, ctw__hit_step_fn fn_event, ctw__hit_step_fn fn_msg, void *ud);
    /* events after `after` of hits of agency, oldest first, at most limit:
     * fn(ud, event seq, event, hit row); *last the newest event seq looked
     * at (any agency's, up to the newest at the time of the call) */
    int (*hit_events_since)(void *impl, const char *agency, int64_t after, int limit,
                            int (*fn)(void *ud, int64_t seq, const char *event, const ctw__hit_row *h), void *ud,
                            int64_t *last);
    int (*hit_last_event)(void *impl, int64_t *seq);
} ctw__store_backend;

extern const ctw__store_backend ctw__store_sqlite;

/* The backend and its handle behind s (store.c), for travel.c. */
const ctw__store_backend *ctw__store_be(ctw_store *s);
void *ctw__store_impl(ctw_store *s);

/* hash = BLAKE2b-256(prev_hash, fields of e) as 64 hex digits into out. */
void ctw__audit_hash(const char *prev_hash, const ctw__audit_entry *e, char out[65]);

#endif
