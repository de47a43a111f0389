/* sqlite_int.h — what sqlite.c shares with sqlite_travel.c and
 * sqlite_auth.c (private).
 *
 * sqlite.c owns the handle (the connection, its prepared statements, the
 * migrations); sqlite_travel.c holds the travel tables' statements (issue 4)
 * and sqlite_auth.c the identity tables' (issue 5), each in a struct that
 * sqlite.c keeps in the handle and frees on close.
 */
#ifndef CTW_SQLITE_INT_H
#define CTW_SQLITE_INT_H

#include <sqlite3.h>

#include "ctwatch/store.h"
#include "store/store_int.h"

typedef struct ctw__sqlite_travel ctw__sqlite_travel;

sqlite3 *ctw__sqlite_db(void *impl);

/* The VFS every store connection opens with (sqlite_walbuf.c): the
 * default one, but a WAL file's writes between two other operations on it
 * go out in one system call. Registered once; SQLITE_OK or an SQLite
 * error code. */
#define CTW_SQLITE_WALBUF_VFS "ctw-walbuf"
int ctw__sqlite_walbuf_register(void);

/* Checkpoints of a connection's WAL on a thread of their own
 * (sqlite_checkpoint.c): started on the connection `watched` to target
 * (opened with vfs), which must outlive it; SQLITE_OK or an SQLite error
 * code. Stopped, and the connection back to SQLite's automatic
 * checkpoints, before the connection closes. runs: how many times the log
 * was checkpointed and started over. */
typedef struct ctw__sq_checkpointer ctw__sq_checkpointer;
int ctw__sq_checkpointer_start(sqlite3 *watched, const char *target, const char *vfs, ctw__sq_checkpointer **out);
unsigned long ctw__sq_checkpointer_runs(ctw__sq_checkpointer *c);
void ctw__sq_checkpointer_stop(ctw__sq_checkpointer *c);

/* Helpers the travel and identity parts share (sqlite_util.c). */
/* A CTW_E* code for an SQLite result code. */
int ctw__sq_error(int rc);
/* *slot prepared from sql on first use (persistent), then reset and its
 * bindings cleared; NULL if it cannot be prepared. */
sqlite3_stmt *ctw__sq_stmt(void *impl, sqlite3_stmt **slot, const char *sql);
/* Bind v (NULL binds NULL) without copying: v must outlive the step. */
void ctw__sq_bind_text(sqlite3_stmt *st, int i, const char *v);
/* Step a statement that returns no row, then reset it: 0 or a CTW_E* code. */
int ctw__sq_step_done(sqlite3_stmt *st);
ctw__sqlite_travel **ctw__sqlite_travel_slot(void *impl);
void ctw__sqlite_travel_free(ctw__sqlite_travel *t);

/* The travel part of the backend table (see store_int.h for each). */
int ctw__sq_document_by_key(void *impl, const char *state, const char *number_norm, const char *type,
                            ctw_arena *a, ctw_document *out);
int ctw__sq_document_by_ref(void *impl, int64_t ref, ctw_arena *a, ctw_document *out);
int ctw__sq_document_find(void *impl, const char *state, const char *number_norm,
                          int (*fn)(void *ud, int64_t ref), void *ud);
int ctw__sq_document_insert(void *impl, const ctw_document *d, int64_t *ref);
int ctw__sq_document_update(void *impl, const ctw_document *d);
int ctw__sq_document_iterate(void *impl, ctw_document_fn fn, void *ud, int64_t *last_change);
int ctw__sq_document_changes(void *impl, int64_t since, ctw_document_change_fn fn, void *ud);
int ctw__sq_document_counts(void *impl, ctw_status_count_fn fn, void *ud);
int ctw__sq_rule_put(void *impl, const ctw_rule_row *r, char *id_out, size_t id_cap, int64_t *version_out);
int ctw__sq_rule_iterate(void *impl, const char *id, int64_t version, bool all_versions,
                         ctw_rule_row_fn fn, void *ud);
int ctw__sq_movement_add(void *impl, const ctw_movement *m, int64_t *seq);
int ctw__sq_link_add(void *impl, int64_t a, int64_t b, const char *type, const char *date, const char *source);
int ctw__sq_person_movements(void *impl, const char *id, json_t **out, char **ids);

/* The identity part (issue 5; see store_int.h for each). */
typedef struct ctw__sqlite_auth ctw__sqlite_auth;
ctw__sqlite_auth **ctw__sqlite_auth_slot(void *impl);
void ctw__sqlite_auth_free(ctw__sqlite_auth *t);
int ctw__sq_agency_add(void *impl, const ctw_agency *a, const char *now);
int ctw__sq_agency_iterate(void *impl, int (*fn)(void *ud, const ctw_agency *a), void *ud);
int ctw__sq_user_insert(void *impl, const ctw__user_row *u, int64_t *id);
int ctw__sq_user_get(void *impl, const char *username, ctw_arena *a, ctw__user_row *out);
int ctw__sq_user_update(void *impl, const ctw__user_row *u);
int ctw__sq_user_iterate(void *impl, const char *agency, int (*fn)(void *ud, const ctw__user_row *u), void *ud);
int ctw__sq_totp_advance(void *impl, int64_t user_id, int64_t step);
int ctw__sq_session_insert(void *impl, const ctw__session_row *se);
int ctw__sq_session_get(void *impl, const char *token_hash, ctw_arena *a, ctw__session_row *se,
                        ctw__user_row *u);
int ctw__sq_session_touch(void *impl, const char *token_hash, int64_t now);
int ctw__sq_session_delete(void *impl, const char *token_hash);
int ctw__sq_session_delete_user(void *impl, int64_t user_id);
int ctw__sq_session_purge(void *impl, int64_t now, int64_t idle_seconds);
int ctw__sq_key_insert(void *impl, const ctw__key_row *k, int64_t *id);
int ctw__sq_key_get(void *impl, const char *key_hash, int64_t id, ctw_arena *a, ctw__key_row *out);
int ctw__sq_key_revoke(void *impl, int64_t id, const char *when);
int ctw__sq_key_iterate(void *impl, const char *agency, int (*fn)(void *ud, const ctw__key_row *k), void *ud);
int ctw__sq_attempt_add(void *impl, const char *kind, const char *subject, int64_t t);
int ctw__sq_attempt_nth(void *impl, const char *kind, const char *subject, int64_t after, int n, int64_t *t);
int ctw__sq_attempt_clear(void *impl, const char *kind, const char *subject);
int ctw__sq_attempt_purge(void *impl, int64_t before);

/* The notices part (issue 5, sqlite_notices.c; see store_int.h for each). */
typedef struct ctw__sqlite_notices ctw__sqlite_notices;
ctw__sqlite_notices **ctw__sqlite_notices_slot(void *impl);
void ctw__sqlite_notices_free(ctw__sqlite_notices *t);
/* Load and pass on (like the backend's iterate) each record whose id the
 * query sql returns; sql takes no parameter. */
int ctw__sq_iterate_query(void *impl, const char *sql, ctw_record_fn fn, void *ud);
int ctw__sq_notice_insert(void *impl, const ctw_notice *n, int64_t *seq);
int ctw__sq_notice_publish_batch(void *impl, const char *const *records, size_t n, const char *kind,
                                 const char *action, const char *owner, const char *now);
int ctw__sq_notice_get(void *impl, int64_t seq, ctw_arena *a, ctw_notice *out, const char **record_owner,
                       ctw_restriction *rr);
int ctw__sq_notice_set_state(void *impl, const ctw_notice *n, const char *from_state);
int ctw__sq_notice_iterate(void *impl, const ctw_notice_filter *f, const char *today,
                           int (*fn)(void *ud, const ctw_notice *n, const char *record_owner,
                                     const ctw_restriction *rr),
                           void *ud);
int ctw__sq_notice_best(void *impl, const char *id, const char *today, ctw_arena *a, ctw_notice *out,
                        const char **record_owner, ctw_restriction *rr);
int ctw__sq_notice_iterate_published(void *impl, int (*fn)(void *ud, const ctw_notice *n), void *ud);
int ctw__sq_notice_cancel_record(void *impl, const char *id, const char *now, const char *by, const char *reason);
int ctw__sq_iterate_screenable(void *impl, const char *today, ctw_record_fn fn, void *ud);
/* The retention part (issue 5, sqlite_retention.c; see store_int.h). */
int ctw__sq_review_iterate(void *impl, const char *owner, const char *until, int limit,
                           int (*fn)(void *ud, const ctw_review_item *r, const ctw_restriction *restriction),
                           void *ud);
int ctw__sq_review_set(void *impl, const char *id, const char *date, const char *when);
int ctw__sq_record_delete(void *impl, const char *id);
int ctw__sq_erase_log(void *impl);
/* The hits part (issue 5 part 5, sqlite_hits.c; see store_int.h for each). */
typedef struct ctw__sqlite_hits ctw__sqlite_hits;
ctw__sqlite_hits **ctw__sqlite_hits_slot(void *impl);
void ctw__sqlite_hits_free(ctw__sqlite_hits *h);
int ctw__sq_hit_insert(void *impl, const ctw_hit_new *h, const char *checking_agency, const char *checking_user,
                       const char *now, int64_t *seq);
int ctw__sq_hit_get(void *impl, const char *id, ctw_arena *a, ctw__hit_row *out);
int ctw__sq_hit_list(void *impl, const char *agency, const char *side, const char *state, int64_t after, int limit,
                     ctw__hit_row_fn fn, void *ud);
int ctw__sq_hit_set_state(void *impl, int64_t seq, const char *from, const char *to, const char *now);
int ctw__sq_hit_event_add(void *impl, int64_t hit_seq, const char *user, const char *agency, const char *event,
                          const char *note, const char *now, int64_t *seq);
int ctw__sq_hit_message_add(void *impl, int64_t hit_seq, const char *user, const char *agency, const char *text,
                            const char *now, int64_t *seq);
int ctw__sq_hit_history(void *impl, int64_t hit_seq, ctw__hit_step_fn fn_event, ctw__hit_step_fn fn_msg, void *ud);
int ctw__sq_hit_events_since(void *impl, const char *agency, int64_t after, int limit,
                             int (*fn)(void *ud, int64_t seq, const char *event, const ctw__hit_row *h), void *ud,
                             int64_t *last);
int ctw__sq_hit_last_event(void *impl, int64_t *seq);

#endif
