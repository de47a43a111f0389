/* sqlite_auth.c — the SQLite backend's identity tables (issue 5): agencies
 * with their regions, users, sessions, API keys and failed logins.
 *
 * The schema is the identities migration in sqlite.c. Statements are
 * prepared on first use and kept in the handle (ctw__sqlite_auth), as
 * sqlite_travel.c does. Nothing here decides access, hashes a secret or
 * writes an audit entry: src/auth/auth.c does all three.
 */
#include <stdlib.h>
#include <string.h>

#include "ctwatch/store.h"
#include "store/sqlite_int.h"
#include "store/store_int.h"

enum {
    AS_AGENCY_ADD, AS_AGENCY_ALL, AS_USER_INSERT, AS_USER_GET, AS_USER_UPDATE, AS_USER_ALL, AS_USER_OF,
    AS_TOTP_ADVANCE, AS_SESSION_INSERT, AS_SESSION_GET, AS_SESSION_TOUCH, AS_SESSION_DELETE,
    AS_SESSION_DELETE_USER, AS_SESSION_PURGE, AS_KEY_INSERT, AS_KEY_BY_HASH, AS_KEY_BY_ID, AS_KEY_REVOKE,
    AS_KEY_ALL, AS_KEY_OF, AS_ATTEMPT_ADD, AS_ATTEMPT_NTH, AS_ATTEMPT_CLEAR, AS_ATTEMPT_PURGE, AS__COUNT
};

#define USER_COLS "u.id, u.username, u.agency, u.role, g.regions, u.password_hash, u.enabled," \
                  " u.totp_secret, u.totp_last_step, u.created, u.updated"
#define KEY_COLS "k.id, k.key_hash, k.agency, k.name, k.scope, k.created, k.revoked, g.regions"

static const char *const auth_sql[AS__COUNT] = {
    [AS_AGENCY_ADD] = "INSERT INTO agencies (code, name, country, kind, contact, regions, created)"
                      " VALUES (?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(code) DO NOTHING",
    [AS_AGENCY_ALL] = "SELECT code, name, country, kind, contact, regions FROM agencies ORDER BY code",
    [AS_USER_INSERT] = "INSERT INTO users (username, agency, role, password_hash, enabled, totp_secret,"
                       " totp_last_step, created, updated) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)"
                       " ON CONFLICT(username) DO NOTHING",
    [AS_USER_GET] = "SELECT " USER_COLS " FROM users u JOIN agencies g ON g.code = u.agency WHERE u.username=?1",
    [AS_USER_UPDATE] = "UPDATE users SET password_hash=?2, enabled=?3, totp_secret=?4, totp_last_step=?5,"
                       " updated=?6, role=coalesce(?7, role) WHERE id=?1",
    [AS_USER_ALL] = "SELECT " USER_COLS " FROM users u JOIN agencies g ON g.code = u.agency ORDER BY u.username",
    [AS_USER_OF] = "SELECT " USER_COLS " FROM users u JOIN agencies g ON g.code = u.agency"
                   " WHERE u.agency=?1 ORDER BY u.username",
    /* the comparison and the write are one statement: two logins racing
     * with the same code cannot both advance */
    [AS_TOTP_ADVANCE] = "UPDATE users SET totp_last_step=?2 WHERE id=?1 AND totp_last_step < ?2",
    [AS_SESSION_INSERT] = "INSERT INTO sessions (token_hash, user_id, created, last_used, expires, remote_addr)"
                          " VALUES (?1,?2,?3,?4,?5,?6)",
    [AS_SESSION_GET] = "SELECT s.token_hash, s.user_id, s.created, s.last_used, s.expires, s.remote_addr, "
                       USER_COLS " FROM sessions s JOIN users u ON u.id = s.user_id"
                       " JOIN agencies g ON g.code = u.agency WHERE s.token_hash=?1",
    [AS_SESSION_TOUCH] = "UPDATE sessions SET last_used=?2 WHERE token_hash=?1 AND last_used < ?2",
    [AS_SESSION_DELETE] = "DELETE FROM sessions WHERE token_hash=?1",
    [AS_SESSION_DELETE_USER] = "DELETE FROM sessions WHERE user_id=?1",
    [AS_SESSION_PURGE] = "DELETE FROM sessions WHERE expires <= ?1 OR last_used <= ?1 - ?2",
    [AS_KEY_INSERT] = "INSERT INTO api_keys (key_hash, agency, name, scope, created) VALUES (?1,?2,?3,?4,?5)"
                      " ON CONFLICT DO NOTHING",
    [AS_KEY_BY_HASH] = "SELECT " KEY_COLS " FROM api_keys k JOIN agencies g ON g.code = k.agency"
                       " WHERE k.key_hash=?1",
    [AS_KEY_BY_ID] = "SELECT " KEY_COLS " FROM api_keys k JOIN agencies g ON g.code = k.agency WHERE k.id=?1",
    [AS_KEY_REVOKE] = "UPDATE api_keys SET revoked = coalesce(revoked, ?2) WHERE id=?1",
    [AS_KEY_ALL] = "SELECT " KEY_COLS " FROM api_keys k JOIN agencies g ON g.code = k.agency ORDER BY k.id",
    [AS_KEY_OF] = "SELECT " KEY_COLS " FROM api_keys k JOIN agencies g ON g.code = k.agency"
                  " WHERE k.agency=?1 ORDER BY k.id",
    [AS_ATTEMPT_ADD] = "INSERT INTO login_attempts (kind, subject, time) VALUES (?1,?2,?3)",
    [AS_ATTEMPT_NTH] = "SELECT time FROM login_attempts WHERE kind=?1 AND subject=?2 AND time > ?3"
                       " ORDER BY time DESC LIMIT 1 OFFSET ?4",
    [AS_ATTEMPT_CLEAR] = "DELETE FROM login_attempts WHERE kind=?1 AND subject=?2",
    [AS_ATTEMPT_PURGE] = "DELETE FROM login_attempts WHERE time <= ?1",
};

struct ctw__sqlite_auth {
    sqlite3_stmt *st[AS__COUNT];
};

void ctw__sqlite_auth_free(ctw__sqlite_auth *t)
{
    if (!t) return;
    for (int i = 0; i < AS__COUNT; i++) sqlite3_finalize(t->st[i]);
    free(t);
}


/* The statement, prepared on first use, reset and unbound; NULL on failure. */
static sqlite3_stmt *astmt(void *impl, int which)
{
    ctw__sqlite_auth **slot = ctw__sqlite_auth_slot(impl);
    if (!*slot && !(*slot = calloc(1, sizeof **slot))) return NULL;
    return ctw__sq_stmt(impl, &(*slot)->st[which], auth_sql[which]);
}

/* Run an INSERT ... ON CONFLICT DO NOTHING: CTW_EEXIST when it did nothing. */
static int insert_new(void *impl, sqlite3_stmt *st)
{
    int rc = ctw__sq_step_done(st);
    if (rc == 0 && sqlite3_changes(ctw__sqlite_db(impl)) == 0) rc = CTW_EEXIST;
    return rc;
}

/* Column i as a string copied into a, or borrowed from the statement
 * (valid until its next step) when a is NULL. */
static const char *col(sqlite3_stmt *st, int i, ctw_arena *a)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v && a ? ctw_arena_strdup(a, v) : v;
}

/* Fill u from USER_COLS starting at column c0. */
static int user_from_row(sqlite3_stmt *st, int c0, ctw_arena *a, ctw__user_row *u)
{
    memset(u, 0, sizeof *u);
    u->id = sqlite3_column_int64(st, c0);
    u->username = col(st, c0 + 1, a);
    u->agency = col(st, c0 + 2, a);
    u->role = col(st, c0 + 3, a);
    u->regions = col(st, c0 + 4, a);
    u->password_hash = col(st, c0 + 5, a);
    u->enabled = sqlite3_column_int(st, c0 + 6) != 0;
    const void *secret = sqlite3_column_blob(st, c0 + 7);
    int n = sqlite3_column_bytes(st, c0 + 7);
    if (secret && n > 0) {
        uint8_t *copy = a ? ctw_arena_alloc(a, (size_t)n) : NULL;
        if (copy) memcpy(copy, secret, (size_t)n);
        u->totp_secret = a ? copy : secret;
        u->totp_secret_len = (size_t)n;
        if (!u->totp_secret) return CTW_ENOMEM;
    }
    u->totp_last_step = sqlite3_column_int64(st, c0 + 8);
    u->created = col(st, c0 + 9, a);
    u->updated = col(st, c0 + 10, a);
    if (!u->username || !u->agency || !u->role) return CTW_ENOMEM;
    return 0;
}

static int key_from_row(sqlite3_stmt *st, ctw_arena *a, ctw__key_row *k)
{
    memset(k, 0, sizeof *k);
    k->id = sqlite3_column_int64(st, 0);
    k->key_hash = col(st, 1, a);
    k->agency = col(st, 2, a);
    k->name = col(st, 3, a);
    k->scope = col(st, 4, a);
    k->created = col(st, 5, a);
    k->revoked = col(st, 6, a);
    k->regions = col(st, 7, a);
    if (!k->key_hash || !k->agency || !k->name || !k->scope) return CTW_ENOMEM;
    return 0;
}

int ctw__sq_agency_add(void *impl, const ctw_agency *a, const char *now)
{
    sqlite3_stmt *st = astmt(impl, AS_AGENCY_ADD);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, a->code);
    ctw__sq_bind_text(st, 2, a->name);
    ctw__sq_bind_text(st, 3, a->country);
    ctw__sq_bind_text(st, 4, a->kind);
    ctw__sq_bind_text(st, 5, a->contact);
    ctw__sq_bind_text(st, 6, a->regions);
    ctw__sq_bind_text(st, 7, now);
    return insert_new(impl, st);
}

int ctw__sq_agency_iterate(void *impl, int (*fn)(void *ud, const ctw_agency *a), void *ud)
{
    sqlite3_stmt *st = astmt(impl, AS_AGENCY_ALL);
    if (!st) return CTW_ESTORE;
    int rc = 0;
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) break;
        if (s != SQLITE_ROW) {
            rc = ctw__sq_error(s);
            break;
        }
        ctw_agency a = {.code = col(st, 0, NULL), .name = col(st, 1, NULL), .country = col(st, 2, NULL),
                        .kind = col(st, 3, NULL), .contact = col(st, 4, NULL), .regions = col(st, 5, NULL)};
        if ((rc = fn(ud, &a)) != 0) break;
    }
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_user_insert(void *impl, const ctw__user_row *u, int64_t *id)
{
    sqlite3_stmt *st = astmt(impl, AS_USER_INSERT);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, u->username);
    ctw__sq_bind_text(st, 2, u->agency);
    ctw__sq_bind_text(st, 3, u->role);
    ctw__sq_bind_text(st, 4, u->password_hash);
    sqlite3_bind_int(st, 5, u->enabled);
    if (u->totp_secret) sqlite3_bind_blob(st, 6, u->totp_secret, (int)u->totp_secret_len, SQLITE_STATIC);
    sqlite3_bind_int64(st, 7, u->totp_last_step);
    ctw__sq_bind_text(st, 8, u->created);
    ctw__sq_bind_text(st, 9, u->updated);
    int rc = insert_new(impl, st);
    if (rc == 0 && id) *id = sqlite3_last_insert_rowid(ctw__sqlite_db(impl));
    return rc;
}

int ctw__sq_user_get(void *impl, const char *username, ctw_arena *a, ctw__user_row *out)
{
    sqlite3_stmt *st = astmt(impl, AS_USER_GET);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, username);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) rc = user_from_row(st, 0, a, out);
    else rc = rc == SQLITE_DONE ? CTW_ENOTFOUND : ctw__sq_error(rc);
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_user_update(void *impl, const ctw__user_row *u)
{
    sqlite3_stmt *st = astmt(impl, AS_USER_UPDATE);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, u->id);
    ctw__sq_bind_text(st, 2, u->password_hash);
    sqlite3_bind_int(st, 3, u->enabled);
    if (u->totp_secret) sqlite3_bind_blob(st, 4, u->totp_secret, (int)u->totp_secret_len, SQLITE_STATIC);
    else sqlite3_bind_null(st, 4);
    sqlite3_bind_int64(st, 5, u->totp_last_step);
    ctw__sq_bind_text(st, 6, u->updated);
    ctw__sq_bind_text(st, 7, u->role);
    int rc = ctw__sq_step_done(st);
    if (rc == 0 && sqlite3_changes(ctw__sqlite_db(impl)) == 0) rc = CTW_ENOTFOUND;
    return rc;
}

int ctw__sq_user_iterate(void *impl, const char *agency, int (*fn)(void *ud, const ctw__user_row *u), void *ud)
{
    sqlite3_stmt *st = astmt(impl, agency ? AS_USER_OF : AS_USER_ALL);
    if (!st) return CTW_ESTORE;
    if (agency) ctw__sq_bind_text(st, 1, agency);
    int rc = 0;
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) break;
        if (s != SQLITE_ROW) {
            rc = ctw__sq_error(s);
            break;
        }
        ctw__user_row u;
        if ((rc = user_from_row(st, 0, NULL, &u)) != 0 || (rc = fn(ud, &u)) != 0) break;
    }
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_totp_advance(void *impl, int64_t user_id, int64_t step)
{
    sqlite3_stmt *st = astmt(impl, AS_TOTP_ADVANCE);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, user_id);
    sqlite3_bind_int64(st, 2, step);
    int rc = ctw__sq_step_done(st);
    if (rc == 0 && sqlite3_changes(ctw__sqlite_db(impl)) == 0) rc = CTW_ECONFLICT;
    return rc;
}

int ctw__sq_session_insert(void *impl, const ctw__session_row *se)
{
    sqlite3_stmt *st = astmt(impl, AS_SESSION_INSERT);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, se->token_hash);
    sqlite3_bind_int64(st, 2, se->user_id);
    sqlite3_bind_int64(st, 3, se->created);
    sqlite3_bind_int64(st, 4, se->last_used);
    sqlite3_bind_int64(st, 5, se->expires);
    ctw__sq_bind_text(st, 6, se->remote_addr);
    return ctw__sq_step_done(st);
}

int ctw__sq_session_get(void *impl, const char *token_hash, ctw_arena *a, ctw__session_row *se,
                        ctw__user_row *u)
{
    sqlite3_stmt *st = astmt(impl, AS_SESSION_GET);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, token_hash);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        memset(se, 0, sizeof *se);
        se->token_hash = col(st, 0, a);
        se->user_id = sqlite3_column_int64(st, 1);
        se->created = sqlite3_column_int64(st, 2);
        se->last_used = sqlite3_column_int64(st, 3);
        se->expires = sqlite3_column_int64(st, 4);
        se->remote_addr = col(st, 5, a);
        rc = user_from_row(st, 6, a, u);
        if (rc == 0 && !se->token_hash) rc = CTW_ENOMEM;
    } else {
        rc = rc == SQLITE_DONE ? CTW_ENOTFOUND : ctw__sq_error(rc);
    }
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_session_touch(void *impl, const char *token_hash, int64_t now)
{
    sqlite3_stmt *st = astmt(impl, AS_SESSION_TOUCH);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, token_hash);
    sqlite3_bind_int64(st, 2, now);
    return ctw__sq_step_done(st);
}

int ctw__sq_session_delete(void *impl, const char *token_hash)
{
    sqlite3_stmt *st = astmt(impl, AS_SESSION_DELETE);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, token_hash);
    int rc = ctw__sq_step_done(st);
    if (rc == 0 && sqlite3_changes(ctw__sqlite_db(impl)) == 0) rc = CTW_ENOTFOUND;
    return rc;
}

int ctw__sq_session_delete_user(void *impl, int64_t user_id)
{
    sqlite3_stmt *st = astmt(impl, AS_SESSION_DELETE_USER);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, user_id);
    return ctw__sq_step_done(st);
}

int ctw__sq_session_purge(void *impl, int64_t now, int64_t idle_seconds)
{
    sqlite3_stmt *st = astmt(impl, AS_SESSION_PURGE);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, idle_seconds);
    return ctw__sq_step_done(st);
}

int ctw__sq_key_insert(void *impl, const ctw__key_row *k, int64_t *id)
{
    sqlite3_stmt *st = astmt(impl, AS_KEY_INSERT);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, k->key_hash);
    ctw__sq_bind_text(st, 2, k->agency);
    ctw__sq_bind_text(st, 3, k->name);
    ctw__sq_bind_text(st, 4, k->scope);
    ctw__sq_bind_text(st, 5, k->created);
    int rc = insert_new(impl, st);
    if (rc == 0 && id) *id = sqlite3_last_insert_rowid(ctw__sqlite_db(impl));
    return rc;
}

int ctw__sq_key_get(void *impl, const char *key_hash, int64_t id, ctw_arena *a, ctw__key_row *out)
{
    sqlite3_stmt *st = astmt(impl, key_hash ? AS_KEY_BY_HASH : AS_KEY_BY_ID);
    if (!st) return CTW_ESTORE;
    if (key_hash) ctw__sq_bind_text(st, 1, key_hash);
    else sqlite3_bind_int64(st, 1, id);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) rc = key_from_row(st, a, out);
    else rc = rc == SQLITE_DONE ? CTW_ENOTFOUND : ctw__sq_error(rc);
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_key_revoke(void *impl, int64_t id, const char *when)
{
    sqlite3_stmt *st = astmt(impl, AS_KEY_REVOKE);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, id);
    ctw__sq_bind_text(st, 2, when);
    int rc = ctw__sq_step_done(st);
    if (rc == 0 && sqlite3_changes(ctw__sqlite_db(impl)) == 0) rc = CTW_ENOTFOUND;
    return rc;
}

int ctw__sq_key_iterate(void *impl, const char *agency, int (*fn)(void *ud, const ctw__key_row *k), void *ud)
{
    sqlite3_stmt *st = astmt(impl, agency ? AS_KEY_OF : AS_KEY_ALL);
    if (!st) return CTW_ESTORE;
    if (agency) ctw__sq_bind_text(st, 1, agency);
    int rc = 0;
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) break;
        if (s != SQLITE_ROW) {
            rc = ctw__sq_error(s);
            break;
        }
        ctw__key_row k;
        if ((rc = key_from_row(st, NULL, &k)) != 0 || (rc = fn(ud, &k)) != 0) break;
    }
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_attempt_add(void *impl, const char *kind, const char *subject, int64_t t)
{
    sqlite3_stmt *st = astmt(impl, AS_ATTEMPT_ADD);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, kind);
    ctw__sq_bind_text(st, 2, subject);
    sqlite3_bind_int64(st, 3, t);
    return ctw__sq_step_done(st);
}

int ctw__sq_attempt_nth(void *impl, const char *kind, const char *subject, int64_t after, int n, int64_t *t)
{
    if (n < 1) return CTW_EINVAL;
    sqlite3_stmt *st = astmt(impl, AS_ATTEMPT_NTH);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, kind);
    ctw__sq_bind_text(st, 2, subject);
    sqlite3_bind_int64(st, 3, after);
    sqlite3_bind_int(st, 4, n - 1);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        *t = sqlite3_column_int64(st, 0);
        rc = 0;
    } else {
        rc = rc == SQLITE_DONE ? CTW_ENOTFOUND : ctw__sq_error(rc);
    }
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_attempt_clear(void *impl, const char *kind, const char *subject)
{
    sqlite3_stmt *st = astmt(impl, AS_ATTEMPT_CLEAR);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, kind);
    ctw__sq_bind_text(st, 2, subject);
    return ctw__sq_step_done(st);
}

int ctw__sq_attempt_purge(void *impl, int64_t before)
{
    sqlite3_stmt *st = astmt(impl, AS_ATTEMPT_PURGE);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, before);
    return ctw__sq_step_done(st);
}
