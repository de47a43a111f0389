/* auth.c — identities and authentication (see auth.h): the rules, the
 * secrets and the audit entries, over the backend's identity tables
 * (store_int.h, implemented for SQLite in src/store/sqlite_auth.c). Like
 * src/store/travel.c, nothing here knows which backend holds the rows.
 *
 * A login, step by step:
 *   1. throttle: enough recent failures for the name or the address → ELIMIT
 *   2. the user row by name (may be missing)
 *   3. one Argon2id verification, against the dummy hash when there is no
 *      user or no password, so every refusal costs the same
 *   4. enabled? TOTP code (if enrolled) matches a step not used before?
 *   5. one transaction: a failure is counted and audited, or the step is
 *      marked used, the name's failures cleared, the session stored and
 *      the login audited
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <sodium.h>

#include "auth/auth_int.h"
#include "ctwatch/auth.h"
#include "ctwatch/country.h"
#include "store/store_int.h"

#define BE(s) ctw__store_be(s)
#define IMPL(s) ctw__store_impl(s)

/* Argon2id cost (auth.h says why INTERACTIVE). */
#define PW_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define PW_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE
#define PW_ALG crypto_pwhash_ALG_ARGON2ID13

#define SESSION_PREFIX "ctws_"
#define KEY_PREFIX "ctwk_"
#define PREFIX_LEN 5
/* the throttle's bucket for every name that cannot exist */
#define INVALID_NAME_SUBJECT "?invalid"
#define ADDR_MAX 64

/* --- small helpers ----------------------------------------------------------- */

static int store_failed(ctw_error *err, int rc, const char *what)
{
    return ctw_error_set(err, rc, NULL, "%s: %s", what, ctw_strerror(rc));
}

/* Identity changes this process committed (auth_int.h): a server's token
 * cache (cache.c) does not use what it learnt before the latest one. */
static atomic_uint_fast64_t generation = 1;

uint64_t ctw__auth_generation(void) { return atomic_load_explicit(&generation, memory_order_acquire); }

/* Commit if everything went well, roll back otherwise; the final code.
 * Every write of this file ends here, so every committed change to an
 * agency, user, session, key or the throttle counts as a possible
 * revocation: coarse (a login counts too), but no function that ends or
 * narrows a session can be forgotten, and such writes are rare. */
static int finish(ctw_store *s, int rc)
{
    if (rc == 0) rc = ctw_store_commit(s);
    if (rc != 0) ctw_store_rollback(s);
    else atomic_fetch_add_explicit(&generation, 1, memory_order_acq_rel);
    return rc;
}

static int begin(ctw_store *s, ctw_error *err)
{
    int rc = ctw_store_begin(s);
    return rc == 0 ? 0 : store_failed(err, rc, "cannot start a transaction");
}

ctw_role ctw_auth_role_from_name(const char *name)
{
    if (!name) return CTW_ROLE_NONE;
    for (int r = CTW_ROLE_OFFICER; r <= CTW_ROLE_SYSTEM_ADMIN; r++)
        if (strcmp(name, ctw_role_name((ctw_role)r)) == 0) return (ctw_role)r;
    return CTW_ROLE_NONE;
}

static bool is_lower_or_digit(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

static bool valid_username(const char *u)
{
    if (!u) return false;
    size_t n = strnlen(u, CTW_AUTH_USERNAME_MAX + 1);
    if (n < 3 || n > CTW_AUTH_USERNAME_MAX || !(u[0] >= 'a' && u[0] <= 'z')) return false;
    for (size_t i = 0; i < n; i++)
        if (!is_lower_or_digit(u[i]) && u[i] != '.' && u[i] != '_' && u[i] != '-') return false;
    /* names the audit log already uses for the program itself */
    return strcmp(u, "cli") != 0 && strcmp(u, "system") != 0;
}

/* len bytes of [A-Za-z0-9_-], and '.' too when dots, with 1 <= len <= max:
 * key names (dots) and region names (no dots) */
static bool valid_word(const char *w, size_t len, size_t max, bool dots)
{
    if (len < 1 || len > max) return false;
    for (size_t i = 0; i < len; i++) {
        char c = w[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
              (dots && c == '.')))
            return false;
    }
    return true;
}

static int check_password(const char *username, const char *pw, ctw_error *err)
{
    size_t n = strnlen(pw, CTW_AUTH_PASSWORD_MAX + 1);
    if (n > CTW_AUTH_PASSWORD_MAX)
        return ctw_error_set(err, CTW_EINVAL, NULL, "password longer than %d bytes", CTW_AUTH_PASSWORD_MAX);
    size_t chars = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)pw[i] & 0xc0) != 0x80) chars++;   /* count UTF-8 lead bytes only */
    if (chars < CTW_AUTH_PASSWORD_MIN)
        return ctw_error_set(err, CTW_EINVAL, NULL, "password shorter than %d characters", CTW_AUTH_PASSWORD_MIN);
    if (strcasecmp(pw, username) == 0)
        return ctw_error_set(err, CTW_EINVAL, NULL, "the password must not be the user name");
    return 0;
}

static int hash_password(const char *pw, char out[crypto_pwhash_STRBYTES], ctw_error *err)
{
    if (crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPS, PW_MEM, PW_ALG) != 0)
        return ctw_error_set(err, CTW_ENOMEM, NULL, "cannot hash the password (out of memory)");
    return 0;
}

/* --- the one verification ------------------------------------------------------ */

static atomic_ulong verify_count;
static char dummy_hash[crypto_pwhash_STRBYTES];
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

/* A hash of a random password nobody knows, with the same cost as real
 * ones: what a login without a user is verified against. */
static void make_dummy(void)
{
    unsigned char r[32];
    char pw[65];
    randombytes_buf(r, sizeof r);
    sodium_bin2hex(pw, sizeof pw, r, sizeof r);
    if (crypto_pwhash_str_alg(dummy_hash, pw, strlen(pw), PW_OPS, PW_MEM, PW_ALG) != 0) dummy_hash[0] = '\0';
    sodium_memzero(pw, sizeof pw);
}

unsigned long ctw__auth_verify_count(void) { return atomic_load(&verify_count); }

/* True if pw matches hash. hash NULL (no user, no password set) verifies
 * against the dummy hash all the same and is false. */
static bool verify_password(const char *hash, const char *pw, size_t len)
{
    pthread_once(&dummy_once, make_dummy);
    atomic_fetch_add(&verify_count, 1);
    bool ok = crypto_pwhash_str_verify(hash ? hash : dummy_hash, pw, len) == 0;
    return ok && hash;
}

/* --- tokens -------------------------------------------------------------------- */

static void token_hash(const char *token, char hex[65])
{
    unsigned char h[32];
    crypto_generichash(h, sizeof h, (const unsigned char *)token, strlen(token), NULL, 0);
    sodium_bin2hex(hex, 65, h, sizeof h);
}

/* prefix + 256 random bits in base64url, and its hash */
static void new_token(const char *prefix, char out[CTW_AUTH_TOKEN_SIZE], char hex[65])
{
    unsigned char raw[32];
    randombytes_buf(raw, sizeof raw);
    memcpy(out, prefix, PREFIX_LEN);
    sodium_bin2base64(out + PREFIX_LEN, CTW_AUTH_TOKEN_SIZE - PREFIX_LEN, raw, sizeof raw,
                      sodium_base64_VARIANT_URLSAFE_NO_PADDING);
    sodium_memzero(raw, sizeof raw);
    token_hash(out, hex);
}

/* --- principals ----------------------------------------------------------------- */

/* Fill *out with copies in a; *out is untouched on failure. */
static int make_principal(ctw_arena *a, const char *user, const char *agency, const char *regions, ctw_role role,
                          const char *scope, const char *purpose, ctw_principal *out)
{
    ctw_principal p = {
        .user = ctw_arena_strdup(a, user), .agency = ctw_arena_strdup(a, agency),
        .regions = regions && *regions ? ctw_arena_strdup(a, regions) : NULL, .role = role,
        .scope = scope, .purpose = purpose,   /* static strings */
    };
    if (!p.user || !p.agency || (regions && *regions && !p.regions)) return CTW_ENOMEM;
    *out = p;
    return 0;
}

bool ctw_auth_scope_permits(const ctw_principal *p, const char *op)
{
    if (!p || !op) return false;
    if (!p->scope) return true;
    return strcmp(p->scope, CTW_AUTH_SCOPE_SCREENING) == 0 && strcmp(op, "screen") == 0;
}

/* --- administration rights --------------------------------------------------------- */

/* May actor manage an identity of `agency` with `role` (auth.h)? */
static bool may_manage(const ctw_principal *actor, const char *agency, ctw_role role)
{
    if (!actor || actor->scope) return false;
    if (actor->role == CTW_ROLE_SYSTEM_ADMIN) return true;
    return actor->role == CTW_ROLE_AGENCY_ADMIN && actor->agency && agency && strcmp(actor->agency, agency) == 0 &&
           role != CTW_ROLE_SYSTEM_ADMIN && role != CTW_ROLE_AUDITOR;
}

/* Which agency's identities actor may list: 0 and *filter set (NULL: all),
 * or CTW_EACCES. */
static int list_filter(const ctw_principal *actor, const char *wanted, const char **filter)
{
    if (!actor || actor->scope) return CTW_EACCES;
    if (actor->role == CTW_ROLE_SYSTEM_ADMIN || actor->role == CTW_ROLE_AUDITOR) {
        *filter = wanted;
        return 0;
    }
    if (actor->role != CTW_ROLE_AGENCY_ADMIN || !actor->agency) return CTW_EACCES;
    if (wanted && strcmp(wanted, actor->agency) != 0) return CTW_EACCES;
    *filter = actor->agency;
    return 0;
}

/* Refuse an administration call, with an audit entry saying what was tried. */
static int deny(ctw_store *s, const ctw_principal *actor, const char *what, ctw_error *err)
{
    if (actor) ctw_store_audit(s, actor, "admin-denied", NULL, what);
    return ctw_error_set(err, CTW_EACCES, NULL, "not allowed: %s", what);
}

/* --- agencies ------------------------------------------------------------------------ */

static bool valid_agency_code(const char *c)
{
    if (!c) return false;
    size_t n = strnlen(c, 33);
    if (n < 2 || n > 32 || !((c[0] >= 'A' && c[0] <= 'Z') || (c[0] >= '0' && c[0] <= '9'))) return false;
    for (size_t i = 0; i < n; i++)
        if (!((c[i] >= 'A' && c[i] <= 'Z') || (c[i] >= '0' && c[i] <= '9') || c[i] == '-')) return false;
    return true;
}

static bool valid_regions(const char *r)
{
    if (!r) return true;
    size_t count = 0;
    for (const char *p = r;;) {
        size_t n = strcspn(p, ",");
        if (!valid_word(p, n, 32, false) || ++count > 32) return false;
        if (!p[n]) return true;
        p += n + 1;
    }
}

static bool printable_text(const char *t, size_t max)
{
    size_t n = strnlen(t, max + 1);
    if (n == 0 || n > max) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)t[i] < 0x20 || t[i] == 0x7f) return false;
    return true;
}

int ctw_auth_agency_add(ctw_store *s, const ctw_principal *actor, const ctw_agency *a, ctw_error *err)
{
    if (!s || !a) return ctw_error_set(err, CTW_EINVAL, NULL, "no agency given");
    if (!actor || actor->scope || actor->role != CTW_ROLE_SYSTEM_ADMIN)
        return deny(s, actor, "only a system administrator adds agencies", err);
    if (!valid_agency_code(a->code))
        return ctw_error_set(err, CTW_EINVAL, NULL, "agency code must be 2 to 32 of A-Z, 0-9 and '-'");
    if (!a->name || !printable_text(a->name, 200))
        return ctw_error_set(err, CTW_EINVAL, NULL, "agency name required (at most 200 bytes, one line)");
    if (a->contact && !printable_text(a->contact, 200))
        return ctw_error_set(err, CTW_EINVAL, NULL, "contact: at most 200 bytes, one line");
    if (a->country && !(strnlen(a->country, 4) == 3 && ctw_country_is_code(a->country)))
        return ctw_error_set(err, CTW_EINVAL, NULL, "country must be an ISO 3166 alpha-3 code (\"FRA\")");
    if (!a->kind || (strcmp(a->kind, "ncb") != 0 && strcmp(a->kind, "national-service") != 0 &&
                     strcmp(a->kind, "international-organisation") != 0))
        return ctw_error_set(err, CTW_EINVAL, NULL,
                             "kind must be ncb, national-service or international-organisation");
    if (!valid_regions(a->regions))
        return ctw_error_set(err, CTW_EINVAL, NULL,
                             "regions: up to 32 comma-separated names of 1 to 32 of A-Z, a-z, 0-9, '-', '_'");
    char now[32], detail[512];
    ctw_now_iso(now);
    int rc = begin(s, err);
    if (rc != 0) return rc;
    rc = BE(s)->agency_add(IMPL(s), a, now);
    if (rc == 0) {
        snprintf(detail, sizeof detail, "agency=%s kind=%s country=%s regions=%s", a->code, a->kind,
                 a->country ? a->country : "-", a->regions ? a->regions : "-");
        rc = ctw_store_audit(s, actor, "agency-create", NULL, detail);
    }
    rc = finish(s, rc);
    if (rc == CTW_EEXIST) return ctw_error_set(err, rc, NULL, "agency %s already exists", a->code);
    return rc == 0 ? 0 : store_failed(err, rc, "cannot add the agency");
}

int ctw_auth_agency_iterate(ctw_store *s, ctw_agency_fn fn, void *ud)
{
    if (!s || !fn) return CTW_EINVAL;
    return BE(s)->agency_iterate(IMPL(s), fn, ud);
}

/* --- users ------------------------------------------------------------------------------ */

/* Load user `username` into a; CTW_ENOTFOUND with a message. */
static int load_user(ctw_store *s, const char *username, ctw_arena *a, ctw__user_row *u, ctw_error *err)
{
    if (!valid_username(username))
        return ctw_error_set(err, CTW_ENOTFOUND, NULL, "no user %s", username ? username : "(none)");
    int rc = BE(s)->user_get(IMPL(s), username, a, u);
    if (rc == CTW_ENOTFOUND) return ctw_error_set(err, rc, NULL, "no user %s", username);
    return rc == 0 ? 0 : store_failed(err, rc, "cannot read the user");
}

static void user_detail(const ctw__user_row *u, const char *extra, char *out, size_t cap)
{
    snprintf(out, cap, "user=%s agency=%s role=%s%s%s", u->username, u->agency, u->role, extra ? " " : "",
             extra ? extra : "");
}

int ctw_auth_user_create(ctw_store *s, const ctw_principal *actor, const char *username, const char *agency,
                         ctw_role role, const char *password, ctw_error *err)
{
    if (!s) return ctw_error_set(err, CTW_EINVAL, NULL, "no store");
    if (!valid_username(username))
        return ctw_error_set(err, CTW_EINVAL, NULL,
                             "user name must be 3 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter "
                             "(not cli or system)");
    if (role <= CTW_ROLE_NONE || role > CTW_ROLE_SYSTEM_ADMIN)
        return ctw_error_set(err, CTW_EINVAL, NULL, "unknown role");
    if (!agency || !ctw_store_has_agency(s, agency))
        return ctw_error_set(err, CTW_ENOTFOUND, NULL, "no agency %s", agency ? agency : "(none)");
    char what[160];
    snprintf(what, sizeof what, "create user %s (%s, %s)", username, agency, ctw_role_name(role));
    if (!may_manage(actor, agency, role)) return deny(s, actor, what, err);
    char hash[crypto_pwhash_STRBYTES] = "";
    int rc;
    if (password && ((rc = check_password(username, password, err)) != 0 || (rc = hash_password(password, hash, err)) != 0))
        return rc;
    char now[32], detail[256];
    ctw_now_iso(now);
    ctw__user_row u = {.username = username, .agency = agency, .role = ctw_role_name(role),
                       .password_hash = password ? hash : NULL, .enabled = true, .totp_last_step = -1,
                       .created = now, .updated = now};
    if ((rc = begin(s, err)) != 0) return rc;
    rc = BE(s)->user_insert(IMPL(s), &u, &u.id);
    if (rc == 0) {
        user_detail(&u, password ? NULL : "no-password", detail, sizeof detail);
        rc = ctw_store_audit(s, actor, "user-create", NULL, detail);
    }
    rc = finish(s, rc);
    if (rc == CTW_EEXIST) return ctw_error_set(err, rc, NULL, "user %s already exists", username);
    return rc == 0 ? 0 : store_failed(err, rc, "cannot create the user");
}

/* Load the user, check actor may manage it; the row lives in a. */
static int managed_user(ctw_store *s, const ctw_principal *actor, const char *username, const char *verb,
                        ctw_arena *a, ctw__user_row *u, ctw_error *err)
{
    int rc = load_user(s, username, a, u, err);
    if (rc != 0) return rc;
    if (!may_manage(actor, u->agency, ctw_auth_role_from_name(u->role))) {
        char what[160];
        snprintf(what, sizeof what, "%s user %s", verb, username);
        return deny(s, actor, what, err);
    }
    return 0;
}

/* Write u and, if end_sessions, drop the user's sessions; audit; commit. */
static int update_user(ctw_store *s, const ctw_principal *actor, ctw__user_row *u, bool end_sessions,
                       const char *action, const char *extra, ctw_error *err)
{
    char now[32], detail[256];
    ctw_now_iso(now);
    u->updated = now;
    int rc = begin(s, err);
    if (rc != 0) return rc;
    rc = BE(s)->user_update(IMPL(s), u);
    if (rc == 0 && end_sessions) rc = BE(s)->session_delete_user(IMPL(s), u->id);
    if (rc == 0) {
        user_detail(u, extra, detail, sizeof detail);
        rc = ctw_store_audit(s, actor, action, NULL, detail);
    }
    rc = finish(s, rc);
    return rc == 0 ? 0 : store_failed(err, rc, "cannot change the user");
}

int ctw_auth_user_set_password(ctw_store *s, const ctw_principal *actor, const char *username,
                               const char *password, ctw_error *err)
{
    if (!s || !password) return ctw_error_set(err, CTW_EINVAL, NULL, "no password given");
    ctw_arena a;
    ctw_arena_init(&a);
    ctw__user_row u;
    char hash[crypto_pwhash_STRBYTES];
    int rc = managed_user(s, actor, username, "set the password of", &a, &u, err);
    if (rc == 0) rc = check_password(username, password, err);
    if (rc == 0) rc = hash_password(password, hash, err);
    if (rc == 0) {
        u.password_hash = hash;
        /* a new password ends every session the old one opened */
        rc = update_user(s, actor, &u, true, "user-passwd", "sessions-ended", err);
    }
    ctw_arena_free(&a);
    return rc;
}

int ctw_auth_user_set_enabled(ctw_store *s, const ctw_principal *actor, const char *username, bool enabled,
                              ctw_error *err)
{
    if (!s) return ctw_error_set(err, CTW_EINVAL, NULL, "no store");
    ctw_arena a;
    ctw_arena_init(&a);
    ctw__user_row u;
    int rc = managed_user(s, actor, username, enabled ? "enable" : "disable", &a, &u, err);
    if (rc == 0) {
        u.enabled = enabled;
        rc = update_user(s, actor, &u, !enabled, enabled ? "user-enable" : "user-disable",
                         enabled ? NULL : "sessions-ended", err);
    }
    ctw_arena_free(&a);
    return rc;
}

int ctw_auth_user_set_role(ctw_store *s, const ctw_principal *actor, const char *username, ctw_role role,
                           ctw_error *err)
{
    if (!s) return ctw_error_set(err, CTW_EINVAL, NULL, "no store");
    if (role <= CTW_ROLE_NONE || role > CTW_ROLE_SYSTEM_ADMIN)
        return ctw_error_set(err, CTW_EINVAL, NULL, "unknown role");
    ctw_arena a;
    ctw_arena_init(&a);
    ctw__user_row u;
    int rc = managed_user(s, actor, username, "change the role of", &a, &u, err);
    /* the new role too must be one actor may give: an agency administrator
     * makes no auditor or system administrator, not even of its own staff */
    if (rc == 0 && !may_manage(actor, u.agency, role)) {
        char what[160];
        snprintf(what, sizeof what, "make user %s %s", username, ctw_role_name(role));
        rc = deny(s, actor, what, err);
    }
    if (rc == 0 && strcmp(u.role, ctw_role_name(role)) != 0) {
        char extra[64];
        snprintf(extra, sizeof extra, "was=%s sessions-ended", u.role);
        u.role = ctw_role_name(role);
        /* a session carries its role from the row, but end it anyway: whoever
         * signed in under the old role signs in again under the new one */
        rc = update_user(s, actor, &u, true, "user-role", extra, err);
    }
    ctw_arena_free(&a);
    return rc;
}

typedef struct user_iter {
    ctw_user_fn fn;
    void *ud;
} user_iter;

static int user_one(void *ud, const ctw__user_row *r)
{
    user_iter *c = ud;
    ctw_user u = {.id = r->id, .username = r->username, .agency = r->agency,
                  .role = ctw_auth_role_from_name(r->role), .enabled = r->enabled, .totp = r->totp_secret != NULL,
                  .created = r->created, .updated = r->updated};
    return c->fn(c->ud, &u);
}

int ctw_auth_user_iterate(ctw_store *s, const ctw_principal *actor, const char *agency, ctw_user_fn fn, void *ud,
                          ctw_error *err)
{
    if (!s || !fn) return ctw_error_set(err, CTW_EINVAL, NULL, "nothing to list with");
    const char *filter = NULL;
    if (list_filter(actor, agency, &filter) != 0) return deny(s, actor, "list users", err);
    user_iter c = {.fn = fn, .ud = ud};
    int rc = BE(s)->user_iterate(IMPL(s), filter, user_one, &c);
    return rc == CTW_ESTORE ? store_failed(err, rc, "cannot list users") : rc;
}

/* --- TOTP ------------------------------------------------------------------------------------ */

int ctw_auth_totp_enable(ctw_store *s, const ctw_principal *actor, const char *username,
                         char secret_b32[CTW_AUTH_TOTP_B32_SIZE], char uri[CTW_AUTH_TOTP_URI_SIZE],
                         ctw_error *err)
{
    if (!s || !secret_b32 || !uri) return ctw_error_set(err, CTW_EINVAL, NULL, "no output buffers");
    ctw_arena a;
    ctw_arena_init(&a);
    ctw__user_row u;
    uint8_t secret[CTW_AUTH_TOTP_SECRET_BYTES];
    char b32[CTW_AUTH_TOTP_B32_SIZE];
    int rc = managed_user(s, actor, username, "enrol TOTP for", &a, &u, err);
    if (rc == 0) {
        randombytes_buf(secret, sizeof secret);
        ctw__auth_base32(secret, sizeof secret, b32, sizeof b32);
        u.totp_secret = secret;
        u.totp_secret_len = sizeof secret;
        u.totp_last_step = -1;
        rc = update_user(s, actor, &u, false, "user-totp", "totp-enrolled", err);
    }
    if (rc == 0) {
        memcpy(secret_b32, b32, sizeof b32);
        /* user names are [a-z0-9._-]: nothing in the label needs escaping */
        snprintf(uri, CTW_AUTH_TOTP_URI_SIZE,
                 "otpauth://totp/ctwatch:%s?secret=%s&issuer=ctwatch&algorithm=SHA1&digits=6&period=30", username,
                 b32);
    }
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(b32, sizeof b32);
    ctw_arena_free(&a);
    return rc;
}

/* --- throttling ------------------------------------------------------------------------------- */

/* 0 if (kind, subject) may try at now; CTW_ELIMIT and *retry (seconds)
 * when `limit` failures fall in the window; another code if the store
 * failed. The lock lifts when the limit-th newest failure leaves the
 * window. */
static int throttle_one(ctw_store *s, const char *kind, const char *subject, int limit, int64_t now,
                        int64_t *retry)
{
    int64_t t = 0;
    int rc = BE(s)->attempt_nth(IMPL(s), kind, subject, now - CTW_AUTH_THROTTLE_WINDOW, limit, &t);
    if (rc == CTW_ENOTFOUND) return 0;
    if (rc != 0) return rc;
    int64_t r = t + CTW_AUTH_THROTTLE_WINDOW - now;
    if (r > *retry) *retry = r < 1 ? 1 : r;
    return CTW_ELIMIT;
}

static int throttle_check(ctw_store *s, const char *subject, const char *addr, int64_t now, int64_t *retry)
{
    *retry = 0;
    int ru = throttle_one(s, "user", subject, CTW_AUTH_THROTTLE_USER, now, retry);
    if (ru != 0 && ru != CTW_ELIMIT) return ru;
    int ra = addr ? throttle_one(s, "addr", addr, CTW_AUTH_THROTTLE_ADDR, now, retry) : 0;
    if (ra != 0 && ra != CTW_ELIMIT) return ra;
    return ru == CTW_ELIMIT || ra == CTW_ELIMIT ? CTW_ELIMIT : 0;
}

static int count_failure(ctw_store *s, const char *subject, const char *addr, int64_t now)
{
    int rc = BE(s)->attempt_add(IMPL(s), "user", subject, now);
    if (rc == 0 && addr) rc = BE(s)->attempt_add(IMPL(s), "addr", addr, now);
    return rc;
}

/* The audit entry of a login event. For a failure the user may not exist:
 * the name tried is recorded (if it could be a name), with no agency. */
static int audit_login(ctw_store *s, const char *name, const ctw__user_row *u, const char *action,
                       const char *reason, const char *addr)
{
    ctw_principal p = {.user = name ? name : INVALID_NAME_SUBJECT, .agency = u ? u->agency : "",
                       .role = u ? ctw_auth_role_from_name(u->role) : CTW_ROLE_NONE, .purpose = "login"};
    char detail[256];
    snprintf(detail, sizeof detail, "%s%s%saddr=%s", reason ? "reason=" : "", reason ? reason : "",
             reason ? " " : "", addr ? addr : "-");
    return ctw_store_audit(s, &p, action, NULL, detail);
}

static int refuse_throttled(ctw_store *s, const char *name, const char *addr, int64_t retry, ctw_error *err)
{
    audit_login(s, name, NULL, "login-failed", "throttled", addr);
    return ctw_error_set(err, CTW_ELIMIT, NULL, "too many attempts, retry in %lld s", (long long)retry);
}

/* --- sessions ----------------------------------------------------------------------------------- */

int ctw_auth_login(ctw_store *s, const char *username, const char *password, const char *totp_code,
                   const char *remote_addr, int64_t now, char token_out[CTW_AUTH_TOKEN_SIZE],
                   ctw_principal *principal_out, ctw_arena *a, ctw_error *err)
{
    if (!s || !username || !password || !token_out || !principal_out || !a)
        return ctw_error_set(err, CTW_EINVAL, NULL, "user name and password required");
    bool name_ok = valid_username(username);
    const char *name = name_ok ? username : NULL;
    const char *subject = name_ok ? username : INVALID_NAME_SUBJECT;
    char addr_buf[ADDR_MAX + 1];
    const char *addr = NULL;
    if (remote_addr && *remote_addr) {
        snprintf(addr_buf, sizeof addr_buf, "%s", remote_addr);
        addr = addr_buf;
    }

    int64_t retry;
    int rc = throttle_check(s, subject, addr, now, &retry);
    if (rc == CTW_ELIMIT) return refuse_throttled(s, name, addr, retry, err);
    if (rc != 0) return store_failed(err, rc, "cannot check the login throttle");

    ctw_arena tmp;
    ctw_arena_init(&tmp);
    ctw__user_row u = {0};
    bool found = false;
    if (name_ok) {
        rc = BE(s)->user_get(IMPL(s), username, &tmp, &u);
        if (rc == 0) found = true;
        else if (rc != CTW_ENOTFOUND) {
            rc = store_failed(err, rc, "cannot read the user");
            goto out;
        }
    }

    /* Exactly one Argon2id verification on every path below (auth.h). */
    size_t pw_len = strnlen(password, CTW_AUTH_PASSWORD_MAX + 1);
    bool too_long = pw_len > CTW_AUTH_PASSWORD_MAX;
    bool pw_ok = verify_password(found ? u.password_hash : NULL, password, too_long ? CTW_AUTH_PASSWORD_MAX : pw_len);
    const char *reason = NULL;
    int64_t step = -1;
    if (!found) reason = name_ok ? "unknown-user" : "invalid-user-name";
    else if (!u.password_hash) reason = "no-password-set";
    else if (!pw_ok || too_long) reason = "wrong-password";
    else if (!u.enabled) reason = "user-disabled";
    else if (u.totp_secret && !totp_code) reason = "totp-missing";
    else if (u.totp_secret &&
             !ctw__auth_totp_match(u.totp_secret, u.totp_secret_len, totp_code, now, u.totp_last_step, &step))
        reason = "totp-wrong-or-replayed";

    /* upgrade a hash made with other limits while the password is at hand
     * (outside the transaction: hashing takes a while) */
    char rehash[crypto_pwhash_STRBYTES] = "";
    if (!reason && crypto_pwhash_str_needs_rehash(u.password_hash, PW_OPS, PW_MEM) != 0 &&
        crypto_pwhash_str_alg(rehash, password, pw_len, PW_OPS, PW_MEM, PW_ALG) != 0)
        rehash[0] = '\0';

    if ((rc = begin(s, err)) != 0) goto out;
    if (!reason && step >= 0) {
        rc = BE(s)->totp_advance(IMPL(s), u.id, step);
        if (rc == CTW_ECONFLICT) { /* another login used this step meanwhile */
            reason = "totp-wrong-or-replayed";
            rc = 0;
        }
    }
    if (rc == 0 && reason) {
        rc = count_failure(s, subject, addr, now);
        /* failures from many names and addresses would otherwise pile up */
        if (rc == 0) rc = BE(s)->attempt_purge(IMPL(s), now - CTW_AUTH_THROTTLE_WINDOW);
        if (rc == 0) rc = audit_login(s, name, found ? &u : NULL, "login-failed", reason, addr);
        rc = finish(s, rc);
        rc = rc == 0 ? ctw_error_set(err, CTW_EACCES, NULL, CTW_AUTH_INVALID)
                     : store_failed(err, rc, "cannot record the failed login");
        goto out;
    }

    char token[CTW_AUTH_TOKEN_SIZE], hash[65];
    ctw_principal p;
    new_token(SESSION_PREFIX, token, hash);
    ctw__session_row se = {.token_hash = hash, .user_id = u.id, .created = now, .last_used = now,
                           .expires = now + CTW_AUTH_ABSOLUTE_SECONDS, .remote_addr = addr};
    if (rc == 0) rc = BE(s)->attempt_clear(IMPL(s), "user", subject);
    if (rc == 0) rc = BE(s)->attempt_purge(IMPL(s), now - CTW_AUTH_THROTTLE_WINDOW);
    if (rc == 0) rc = BE(s)->session_purge(IMPL(s), now, CTW_AUTH_IDLE_SECONDS);
    if (rc == 0 && rehash[0]) {
        char when[32];
        ctw_now_iso(when);
        u.password_hash = rehash;
        u.updated = when;
        rc = BE(s)->user_update(IMPL(s), &u);
    }
    if (rc == 0) rc = BE(s)->session_insert(IMPL(s), &se);
    if (rc == 0) rc = audit_login(s, name, &u, "login", NULL, addr);
    if (rc == 0) rc = make_principal(a, u.username, u.agency, u.regions, ctw_auth_role_from_name(u.role), NULL, NULL, &p);
    rc = finish(s, rc);
    if (rc == 0) {
        memcpy(token_out, token, CTW_AUTH_TOKEN_SIZE);
        *principal_out = p;
    } else {
        rc = store_failed(err, rc, "cannot open the session");
    }
    sodium_memzero(token, sizeof token);
out:
    sodium_memzero(rehash, sizeof rehash);
    ctw_arena_free(&tmp);
    return rc;
}

/* CTW_EACCES with why; an ended session is deleted first. */
static int session_refused(ctw_store *s, const char *hash, const char *why, ctw_error *err)
{
    if (hash) BE(s)->session_delete(IMPL(s), hash);
    return ctw_error_set(err, CTW_EACCES, NULL, "%s", why);
}

static int authenticate_session(ctw_store *s, const char *hash, int64_t now, ctw_principal *out, ctw_arena *a,
                                int64_t *expires, ctw_error *err)
{
    ctw_arena tmp;
    ctw_arena_init(&tmp);
    ctw__session_row se;
    ctw__user_row u;
    int rc = BE(s)->session_get(IMPL(s), hash, &tmp, &se, &u);
    if (rc == CTW_ENOTFOUND) rc = ctw_error_set(err, CTW_EACCES, NULL, "unknown token or ended session");
    else if (rc != 0) rc = store_failed(err, rc, "cannot read the session");
    else if (!u.enabled) rc = session_refused(s, hash, "user disabled", err);
    else if (now >= se.expires) rc = session_refused(s, hash, "session expired", err);
    else if (now - se.last_used >= CTW_AUTH_IDLE_SECONDS) rc = session_refused(s, hash, "session expired (idle)", err);
    else {
        if (now - se.last_used >= CTW_AUTH_TOUCH_SECONDS) rc = BE(s)->session_touch(IMPL(s), hash, now);
        if (rc == 0)
            rc = make_principal(a, u.username, u.agency, u.regions, ctw_auth_role_from_name(u.role), NULL, NULL, out);
        if (rc == 0) *expires = se.expires;
        if (rc != 0) rc = store_failed(err, rc, "cannot use the session");
    }
    ctw_arena_free(&tmp);
    return rc;
}

static int authenticate_key(ctw_store *s, const char *hash, ctw_principal *out, ctw_arena *a, ctw_error *err)
{
    ctw_arena tmp;
    ctw_arena_init(&tmp);
    ctw__key_row k;
    int rc = BE(s)->key_get(IMPL(s), hash, 0, &tmp, &k);
    if (rc == CTW_ENOTFOUND) rc = ctw_error_set(err, CTW_EACCES, NULL, "unknown token or ended session");
    else if (rc != 0) rc = store_failed(err, rc, "cannot read the API key");
    else if (k.revoked) rc = ctw_error_set(err, CTW_EACCES, NULL, "API key revoked");
    else if (strcmp(k.scope, CTW_AUTH_SCOPE_SCREENING) != 0)
        rc = ctw_error_set(err, CTW_EACCES, NULL, "API key with an unknown scope");
    else {
        char user[80];
        snprintf(user, sizeof user, "key:%s", k.name);
        rc = make_principal(a, user, k.agency, k.regions, CTW_ROLE_OFFICER, CTW_AUTH_SCOPE_SCREENING, "screening", out);
        if (rc != 0) rc = store_failed(err, rc, "cannot use the API key");
    }
    ctw_arena_free(&tmp);
    return rc;
}

bool ctw__auth_token_wellformed(const char *token)
{
    size_t n = token ? strnlen(token, CTW_AUTH_TOKEN_SIZE) : 0;
    return n > PREFIX_LEN && n < CTW_AUTH_TOKEN_SIZE &&
           (strncmp(token, SESSION_PREFIX, PREFIX_LEN) == 0 || strncmp(token, KEY_PREFIX, PREFIX_LEN) == 0);
}

int ctw__auth_authenticate(ctw_store *s, const char *bearer_token, int64_t now, ctw_principal *principal_out,
                           ctw_arena *a, int64_t *expires, ctw_error *err)
{
    if (!s || !principal_out || !a || !expires)
        return ctw_error_set(err, CTW_EINVAL, NULL, "nothing to authenticate with");
    if (!ctw__auth_token_wellformed(bearer_token))
        return ctw_error_set(err, CTW_EACCES, NULL, "missing or malformed token");
    char hash[65];
    token_hash(bearer_token, hash);
    if (strncmp(bearer_token, SESSION_PREFIX, PREFIX_LEN) == 0)
        return authenticate_session(s, hash, now, principal_out, a, expires, err);
    *expires = INT64_MAX;   /* a key works until it is revoked */
    return authenticate_key(s, hash, principal_out, a, err);
}

int ctw_auth_authenticate(ctw_store *s, const char *bearer_token, int64_t now, ctw_principal *principal_out,
                          ctw_arena *a, ctw_error *err)
{
    int64_t expires;
    return ctw__auth_authenticate(s, bearer_token, now, principal_out, a, &expires, err);
}

int ctw_auth_logout(ctw_store *s, const char *token, int64_t now, ctw_error *err)
{
    (void)now;
    if (!s || !token || strnlen(token, CTW_AUTH_TOKEN_SIZE) >= CTW_AUTH_TOKEN_SIZE ||
        strncmp(token, SESSION_PREFIX, PREFIX_LEN) != 0)
        return ctw_error_set(err, CTW_ENOTFOUND, NULL, "no such session");
    char hash[65];
    token_hash(token, hash);
    ctw_arena tmp;
    ctw_arena_init(&tmp);
    ctw__session_row se;
    ctw__user_row u;
    int rc = BE(s)->session_get(IMPL(s), hash, &tmp, &se, &u);
    if (rc == CTW_ENOTFOUND) {
        rc = ctw_error_set(err, rc, NULL, "no such session");
        goto out;
    }
    if (rc == 0) rc = begin(s, err);
    if (rc == 0) {
        rc = BE(s)->session_delete(IMPL(s), hash);
        if (rc == 0) rc = audit_login(s, u.username, &u, "logout", NULL, se.remote_addr);
        rc = finish(s, rc);
    }
    if (rc != 0 && rc != CTW_ENOTFOUND) rc = store_failed(err, rc, "cannot end the session");
    else if (rc == CTW_ENOTFOUND) rc = ctw_error_set(err, rc, NULL, "no such session");
out:
    ctw_arena_free(&tmp);
    return rc;
}

int ctw_auth_totp_verify(ctw_store *s, const char *username, const char *code, int64_t now, ctw_error *err)
{
    if (!s || !username || !code) return ctw_error_set(err, CTW_EINVAL, NULL, "user name and code required");
    bool name_ok = valid_username(username);
    const char *subject = name_ok ? username : INVALID_NAME_SUBJECT;
    int64_t retry;
    int rc = throttle_check(s, subject, NULL, now, &retry);
    if (rc == CTW_ELIMIT) return refuse_throttled(s, name_ok ? username : NULL, NULL, retry, err);
    if (rc != 0) return store_failed(err, rc, "cannot check the login throttle");
    ctw_arena tmp;
    ctw_arena_init(&tmp);
    ctw__user_row u = {0};
    bool found = name_ok && BE(s)->user_get(IMPL(s), username, &tmp, &u) == 0;
    int64_t step = -1;
    bool ok = found && u.enabled && u.totp_secret &&
              ctw__auth_totp_match(u.totp_secret, u.totp_secret_len, code, now, u.totp_last_step, &step);
    if ((rc = begin(s, err)) != 0) goto out;
    if (ok && BE(s)->totp_advance(IMPL(s), u.id, step) != 0) ok = false;
    if (ok) {
        rc = audit_login(s, username, &u, "totp-verify", NULL, NULL);
    } else {
        rc = count_failure(s, subject, NULL, now);
        if (rc == 0)
            rc = audit_login(s, name_ok ? username : NULL, found ? &u : NULL, "totp-failed",
                             "totp-wrong-replayed-or-not-enrolled", NULL);
    }
    rc = finish(s, rc);
    if (rc != 0) rc = store_failed(err, rc, "cannot record the TOTP check");
    else if (!ok) rc = ctw_error_set(err, CTW_EACCES, NULL, CTW_AUTH_INVALID);
out:
    ctw_arena_free(&tmp);
    return rc;
}

/* --- API keys ------------------------------------------------------------------------------------ */

int ctw_auth_key_create(ctw_store *s, const ctw_principal *actor, const char *agency, const char *name,
                        const char *scope, int64_t *id_out, char key_out[CTW_AUTH_TOKEN_SIZE], ctw_error *err)
{
    if (!s || !key_out) return ctw_error_set(err, CTW_EINVAL, NULL, "no output buffer");
    if (!scope) scope = CTW_AUTH_SCOPE_SCREENING;
    if (strcmp(scope, CTW_AUTH_SCOPE_SCREENING) != 0)
        return ctw_error_set(err, CTW_EINVAL, NULL, "unknown scope %s (only \"screening\")", scope);
    if (!name || !valid_word(name, strnlen(name, 65), 64, true))
        return ctw_error_set(err, CTW_EINVAL, NULL, "key name must be 1 to 64 of A-Z, a-z, 0-9, '.', '_', '-'");
    if (!agency || !ctw_store_has_agency(s, agency))
        return ctw_error_set(err, CTW_ENOTFOUND, NULL, "no agency %s", agency ? agency : "(none)");
    char what[160];
    snprintf(what, sizeof what, "create API key %s of %s", name, agency);
    if (!may_manage(actor, agency, CTW_ROLE_OFFICER)) return deny(s, actor, what, err);
    char key[CTW_AUTH_TOKEN_SIZE], hash[65], now[32], detail[256];
    new_token(KEY_PREFIX, key, hash);
    ctw_now_iso(now);
    ctw__key_row k = {.key_hash = hash, .agency = agency, .name = name, .scope = scope, .created = now};
    int64_t id = 0;
    int rc = begin(s, err);
    if (rc == 0) {
        rc = BE(s)->key_insert(IMPL(s), &k, &id);
        if (rc == 0) {
            snprintf(detail, sizeof detail, "key=%lld agency=%s name=%s scope=%s", (long long)id, agency, name, scope);
            rc = ctw_store_audit(s, actor, "key-create", NULL, detail);
        }
        rc = finish(s, rc);
        if (rc == CTW_EEXIST) rc = ctw_error_set(err, rc, NULL, "agency %s already has a key named %s", agency, name);
        else if (rc != 0) rc = store_failed(err, rc, "cannot create the API key");
    }
    if (rc == 0) {
        memcpy(key_out, key, CTW_AUTH_TOKEN_SIZE);
        if (id_out) *id_out = id;
    }
    sodium_memzero(key, sizeof key);
    return rc;
}

int ctw_auth_key_revoke(ctw_store *s, const ctw_principal *actor, int64_t id, ctw_error *err)
{
    if (!s) return ctw_error_set(err, CTW_EINVAL, NULL, "no store");
    ctw_arena tmp;
    ctw_arena_init(&tmp);
    ctw__key_row k;
    int rc = BE(s)->key_get(IMPL(s), NULL, id, &tmp, &k);
    if (rc == CTW_ENOTFOUND) {
        rc = ctw_error_set(err, rc, NULL, "no API key %lld", (long long)id);
        goto out;
    }
    if (rc != 0) {
        rc = store_failed(err, rc, "cannot read the API key");
        goto out;
    }
    if (!may_manage(actor, k.agency, CTW_ROLE_OFFICER)) {
        char what[160];
        snprintf(what, sizeof what, "revoke API key %lld of %s", (long long)id, k.agency);
        rc = deny(s, actor, what, err);
        goto out;
    }
    if (k.revoked) goto out;   /* already: nothing changes, nothing to audit */
    char now[32], detail[256];
    ctw_now_iso(now);
    if ((rc = begin(s, err)) != 0) goto out;
    rc = BE(s)->key_revoke(IMPL(s), id, now);
    if (rc == 0) {
        snprintf(detail, sizeof detail, "key=%lld agency=%s name=%s", (long long)id, k.agency, k.name);
        rc = ctw_store_audit(s, actor, "key-revoke", NULL, detail);
    }
    rc = finish(s, rc);
    if (rc != 0) rc = store_failed(err, rc, "cannot revoke the API key");
out:
    ctw_arena_free(&tmp);
    return rc;
}

typedef struct key_iter {
    ctw_api_key_fn fn;
    void *ud;
} key_iter;

static int key_one(void *ud, const ctw__key_row *r)
{
    key_iter *c = ud;
    ctw_api_key k = {.id = r->id, .agency = r->agency, .name = r->name, .scope = r->scope, .created = r->created,
                     .revoked = r->revoked};
    return c->fn(c->ud, &k);
}

int ctw_auth_key_iterate(ctw_store *s, const ctw_principal *actor, ctw_api_key_fn fn, void *ud, ctw_error *err)
{
    if (!s || !fn) return ctw_error_set(err, CTW_EINVAL, NULL, "nothing to list with");
    const char *filter = NULL;
    if (list_filter(actor, NULL, &filter) != 0) return deny(s, actor, "list API keys", err);
    key_iter c = {.fn = fn, .ud = ud};
    int rc = BE(s)->key_iterate(IMPL(s), filter, key_one, &c);
    return rc == CTW_ESTORE ? store_failed(err, rc, "cannot list API keys") : rc;
}
