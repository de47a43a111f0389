/* auth.h — identities and authentication (issue 5): agencies and their
 * regions, users, passwords, TOTP, sessions, API keys, login throttling.
 *
 * Who: every user belongs to one agency and has one role (access.h). A
 * border system authenticates with an API key of its agency whose scope
 * is "screening": its principal may screen and check, nothing else.
 *
 * Secrets: passwords are kept only as Argon2id hashes (libsodium
 * crypto_pwhash_str_alg, ARGON2ID13, OPSLIMIT_INTERACTIVE = 2 passes,
 * MEMLIMIT_INTERACTIVE = 64 MiB: above OWASP's minimum for Argon2id, and a
 * server that verifies a few logins at once must not need 256 MiB for
 * each, as the MODERATE limits would; hashes made with other limits are
 * upgraded at the next successful login). Session tokens and API keys are
 * 256 random bits, shown once and kept only as their BLAKE2b-256 hash: a
 * copy of the store gives no usable token. TOTP secrets are kept as they
 * are, since the server must compute the codes.
 *
 * Sessions: a token is refused after CTW_AUTH_IDLE_SECONDS without use or
 * CTW_AUTH_ABSOLUTE_SECONDS after login, whichever comes first, at once
 * when its user is disabled, and after logout or a password change.
 *
 * Throttling: failed logins are counted per user name (known or not, so
 * that the throttle says nothing about which names exist) and per remote
 * address, over a sliding CTW_AUTH_THROTTLE_WINDOW. After
 * CTW_AUTH_THROTTLE_USER failures for a name, or CTW_AUTH_THROTTLE_ADDR
 * from an address, every login for it is refused with CTW_ELIMIT ("too
 * many attempts, retry in N s"), a correct password too, until the oldest
 * of those failures leaves the window. Refused attempts are not verified
 * and not counted. A success clears the name's failures, not the
 * address's.
 *
 * One answer for every bad login: an unknown user, a wrong password, a
 * missing or wrong TOTP code and a disabled user all give CTW_EACCES with
 * the message "invalid credentials", and all take one Argon2id
 * verification (against a dummy hash when there is no user), so neither
 * the words nor the time tell them apart. The audit entry says which.
 *
 * Time: `now` is Unix seconds, given by the caller (time(NULL) in
 * production) so that expiry and throttling can be tested without
 * waiting. The ISO dates people read (created, updated, revoked, and the
 * audit entries' times) come from the wall clock.
 *
 * Transactions: each function that writes runs in its own transaction
 * (ctw_store_begin/commit) and must not be called inside one. Each
 * writes its audit entry (ctw_store_audit) in the same transaction:
 * "login", "login-failed", "logout", "user-create", "user-passwd",
 * "user-disable", "user-enable", "user-role", "user-totp", "key-create", "key-revoke",
 * "agency-create", and "admin-denied" for a refused administration call.
 * No entry holds a password, a token, a key or a TOTP secret.
 *
 * Administration rights (the `actor` argument): a system administrator may
 * do everything; an agency administrator manages the users and keys of
 * its own agency, except auditors and system administrators; an auditor
 * may list users. Anyone else, and any scoped principal, gets CTW_EACCES.
 * The command line acts as ctw_principal_cli(), a system administrator.
 *
 * Every function returns 0 or a negative CTW_E* code and, when err is not
 * NULL, fills it with a one-line message. A failed call changes nothing.
 */
#ifndef CTWATCH_AUTH_H
#define CTWATCH_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctwatch/access.h"
#include "ctwatch/arena.h"
#include "ctwatch/error.h"
#include "ctwatch/store.h"

enum {
    CTW_AUTH_IDLE_SECONDS = 30 * 60,
    CTW_AUTH_ABSOLUTE_SECONDS = 12 * 60 * 60,
    /* a session's last use is written at most this often: an fsync per
     * request would cost more than the minute of idle time it measures */
    CTW_AUTH_TOUCH_SECONDS = 60,
    /* a server's token cache asks the store again after this long: how
     * late another process's revocation may be seen (ctw_auth_cache) */
    CTW_AUTH_RECHECK_SECONDS = 2,
    CTW_AUTH_THROTTLE_WINDOW = 15 * 60,
    CTW_AUTH_THROTTLE_USER = 5,
    /* higher than per user: a police station's desks share one address */
    CTW_AUTH_THROTTLE_ADDR = 20,
    CTW_AUTH_PASSWORD_MIN = 12,      /* characters (UTF-8 code points) */
    CTW_AUTH_PASSWORD_MAX = 1024,    /* bytes */
    CTW_AUTH_USERNAME_MAX = 64,
    /* "ctws_" or "ctwk_" + 43 base64url characters + NUL, rounded up */
    CTW_AUTH_TOKEN_SIZE = 64,
    CTW_AUTH_TOTP_SECRET_BYTES = 20, /* 160 bits, as RFC 4226 recommends */
    CTW_AUTH_TOTP_B32_SIZE = 33,     /* 32 base32 characters + NUL */
    CTW_AUTH_TOTP_URI_SIZE = 256,
};

#define CTW_AUTH_SCOPE_SCREENING "screening"
/* The one message of every refused login (see above). */
#define CTW_AUTH_INVALID "invalid credentials"

/* --- agencies and regions ------------------------------------------------ */

/* Add agency a (code [A-Z0-9][A-Z0-9-]{1,31}; name required; country an
 * alpha-3 code or NULL; kind "ncb", "national-service" or
 * "international-organisation"; regions NULL or comma-separated
 * [A-Za-z0-9_-]{1,32} names). CTW_EEXIST if the code is taken. actor must
 * be a system administrator. */
int ctw_auth_agency_add(ctw_store *s, const ctw_principal *actor, const ctw_agency *a, ctw_error *err);

/* Call fn for each agency in code order; the agency passed is valid during
 * the call only. fn returns 0 to go on, anything else stops (returned). */
typedef int (*ctw_agency_fn)(void *ud, const ctw_agency *a);
int ctw_auth_agency_iterate(ctw_store *s, ctw_agency_fn fn, void *ud);

/* --- users ----------------------------------------------------------------- */

/* A user as listed: no password hash, no TOTP secret. */
typedef struct ctw_user {
    int64_t id;
    const char *username, *agency;
    ctw_role role;
    bool enabled;
    bool totp;                 /* TOTP enrolled: login needs a code */
    const char *created, *updated;   /* ISO UTC */
} ctw_user;

/* Create user `username` (3 to 64 of [a-z0-9._-], starting with a letter;
 * not "cli" or "system") of agency (which must exist) with role (not
 * CTW_ROLE_NONE). password may be NULL: then the user cannot log in until
 * ctw_auth_user_set_password(). CTW_EEXIST if the name is taken,
 * CTW_ENOTFOUND if the agency is not, CTW_EINVAL for a bad name, role or
 * password. */
int ctw_auth_user_create(ctw_store *s, const ctw_principal *actor, const char *username, const char *agency,
                         ctw_role role, const char *password, ctw_error *err);

/* Set the password (CTW_AUTH_PASSWORD_MIN characters to
 * CTW_AUTH_PASSWORD_MAX bytes, not the user name in any case). Ends the
 * user's sessions. */
int ctw_auth_user_set_password(ctw_store *s, const ctw_principal *actor, const char *username,
                               const char *password, ctw_error *err);

/* Disable (enabled false) or enable the user. Disabling ends the user's
 * sessions at once; a disabled user cannot log in. */
int ctw_auth_user_set_enabled(ctw_store *s, const ctw_principal *actor, const char *username, bool enabled,
                              ctw_error *err);

/* Call fn for each user actor may see (all for a system administrator or
 * an auditor, its own agency's for an agency administrator), by name; the
 * user passed is valid during the call only. agency, if not NULL, keeps
 * only that agency's users. */
/* Give the user another role (not CTW_ROLE_NONE). actor must be allowed
 * to manage the user under both the old and the new role (an agency
 * administrator makes no auditor or system administrator). Ends the
 * user's sessions when the role changes; the same role changes nothing. */
int ctw_auth_user_set_role(ctw_store *s, const ctw_principal *actor, const char *username, ctw_role role,
                           ctw_error *err);

typedef int (*ctw_user_fn)(void *ud, const ctw_user *u);
int ctw_auth_user_iterate(ctw_store *s, const ctw_principal *actor, const char *agency, ctw_user_fn fn, void *ud,
                          ctw_error *err);

/* --- TOTP (RFC 6238: HMAC-SHA1, 30 s steps, 6 digits, one step either way) - */

/* Enrol the user: a new random secret (replacing any old one) written to
 * secret_b32 (RFC 4648 base32) and the otpauth:// URI for authenticator
 * apps to uri. From then on login needs a code. */
int ctw_auth_totp_enable(ctw_store *s, const ctw_principal *actor, const char *username,
                         char secret_b32[CTW_AUTH_TOTP_B32_SIZE], char uri[CTW_AUTH_TOTP_URI_SIZE],
                         ctw_error *err);

/* Check a 6-digit code of an enrolled user at time now, accepting the
 * steps now-30 s, now and now+30 s. A code is accepted once: after a step
 * was used, that step and every earlier one are refused (replay). Wrong
 * codes count as failed logins and the call is throttled like a login.
 * CTW_EACCES "invalid credentials" for a wrong, replayed or malformed
 * code, an unknown, disabled or unenrolled user. */
int ctw_auth_totp_verify(ctw_store *s, const char *username, const char *code, int64_t now, ctw_error *err);

/* The RFC 6238 code (HMAC-SHA1, 30 s steps from 0) of key at Unix time t,
 * with digits (6 to 8) digits, as a number; pure. For tests and tools. */
uint32_t ctw_auth_totp_code(const uint8_t *key, size_t key_len, int64_t t, unsigned digits);

/* --- sessions -------------------------------------------------------------- */

/* Log in. On success: a new session token (NUL-terminated, to be shown to
 * the client once) in token_out, and *principal_out filled with the
 * user's name, agency, the agency's regions and the role (purpose and
 * scope NULL), its strings allocated in a — they stay valid until the
 * caller frees that arena; the store keeps no pointer to them.
 * totp_code is needed when the user is enrolled, ignored otherwise.
 * remote_addr (may be NULL: no per-address throttle) is the client's
 * address. CTW_EACCES "invalid credentials" or CTW_ELIMIT "too many
 * attempts, retry in N s" (see above); on failure token_out and
 * *principal_out are untouched. */
int ctw_auth_login(ctw_store *s, const char *username, const char *password, const char *totp_code,
                   const char *remote_addr, int64_t now, char token_out[CTW_AUTH_TOKEN_SIZE],
                   ctw_principal *principal_out, ctw_arena *a, ctw_error *err);

/* The principal behind a bearer token: a session token from
 * ctw_auth_login() (its idle clock restarts) or an API key from
 * ctw_auth_key_create() (scope "screening", role officer, user
 * "key:<name>", purpose "screening"). Strings in a, as for login.
 * CTW_EACCES with the reason in err ("session expired (idle)", "session
 * expired", "session ended", "user disabled", "API key revoked", "unknown
 * token"); an expired session is deleted. */
int ctw_auth_authenticate(ctw_store *s, const char *bearer_token, int64_t now, ctw_principal *principal_out,
                          ctw_arena *a, ctw_error *err);

/* End the session of token. CTW_ENOTFOUND if there is none. */
int ctw_auth_logout(ctw_store *s, const char *token, int64_t now, ctw_error *err);

/* --- a server's cache of accepted tokens ----------------------------------- */

/* Asking the store on every request costs a read transaction (file locks,
 * a join over sessions, users and agencies) and a pooled store handle. A
 * server keeps a ctw_auth_cache instead: for each token the store accepted,
 * its hash (never the token), the principal, when the store said yes and
 * the session's absolute expiry. The rule:
 *
 *   A token is answered from the cache only if the store accepted it less
 *   than CTW_AUTH_RECHECK_SECONDS ago, no identity change was committed by
 *   this process since (any write of this library: logout, a user disabled,
 *   re-roled or given a new password, a key revoked, a login), and its
 *   absolute expiry has not come. Otherwise the store is asked exactly as by
 *   ctw_auth_authenticate() — which refuses idle and expired sessions,
 *   disabled users and revoked keys, and writes the session's last use once
 *   it is CTW_AUTH_TOUCH_SECONDS old — and its answer replaces the entry.
 *   Refusals are never cached (and drop the entry).
 *
 * What holds: a revocation through this library in this process is seen by
 * the next request; one by another process (the CLI, a second server on the
 * same store) within CTW_AUTH_RECHECK_SECONDS. The idle timeout holds as
 * before: a token in use is checked against the store every few seconds,
 * and each check finds the stored last use at most CTW_AUTH_TOUCH_SECONDS
 * old or writes it, so an entry never outlives an idle session by more
 * than the recheck interval, and the stored last use lags real use by at
 * most CTW_AUTH_TOUCH_SECONDS (which can only end a session early, never
 * late). The absolute expiry is checked on every request.
 *
 * The cache has a fixed number of slots (a power of two; a token whose slot
 * another token took is simply asked of the store again) and is safe to
 * use from many threads. `now` is Unix seconds, as elsewhere here. */
typedef struct ctw_auth_cache ctw_auth_cache;

/* A cache of at least `slots` entries (rounded up to a power of two;
 * 0 means 1024). CTW_ENOMEM. */
int ctw_auth_cache_new(size_t slots, ctw_auth_cache **out);
/* Frees c and every entry (NULL: nothing). No call on c may be running. */
void ctw_auth_cache_free(ctw_auth_cache *c);

/* 0 and *principal_out filled (strings in a, as for ctw_auth_authenticate)
 * when c may answer for bearer_token at now by the rule above; CTW_ENOTFOUND
 * when it may not, and then the caller asks ctw_auth_authenticate_cached().
 * Never touches the store. */
int ctw_auth_cache_lookup(ctw_auth_cache *c, const char *bearer_token, int64_t now, ctw_principal *principal_out,
                          ctw_arena *a);

/* True when ctw_auth_cache_lookup() would answer for bearer_token at now
 * (copies nothing; the answer may change before the lookup). */
bool ctw_auth_cache_has(ctw_auth_cache *c, const char *bearer_token, int64_t now);

/* ctw_auth_authenticate() on s, remembering an acceptance in c and
 * forgetting the token on a refusal. Same results and errors. */
int ctw_auth_authenticate_cached(ctw_auth_cache *c, ctw_store *s, const char *bearer_token, int64_t now,
                                 ctw_principal *principal_out, ctw_arena *a, ctw_error *err);

/* --- API keys for border systems ------------------------------------------- */

typedef struct ctw_api_key {
    int64_t id;
    const char *agency, *name, *scope;
    const char *created;       /* ISO UTC */
    const char *revoked;       /* ISO UTC, or NULL while the key works */
} ctw_api_key;

/* Create a key for agency (which must exist) named name (1 to 64 of
 * [A-Za-z0-9._-], unique within the agency: CTW_EEXIST) with scope (only
 * CTW_AUTH_SCOPE_SCREENING exists; NULL means it). The key is written to
 * key_out and never again obtainable; *id_out (may be NULL) gets its
 * number for ctw_auth_key_revoke(). */
int ctw_auth_key_create(ctw_store *s, const ctw_principal *actor, const char *agency, const char *name,
                        const char *scope, int64_t *id_out, char key_out[CTW_AUTH_TOKEN_SIZE], ctw_error *err);

/* Revoke key id at once. CTW_ENOTFOUND if there is no such key;
 * revoking a revoked key changes nothing and returns 0. */
int ctw_auth_key_revoke(ctw_store *s, const ctw_principal *actor, int64_t id, ctw_error *err);

/* Call fn for each key actor may see (as for users), by id; valid during
 * the call only. */
typedef int (*ctw_api_key_fn)(void *ud, const ctw_api_key *k);
int ctw_auth_key_iterate(ctw_store *s, const ctw_principal *actor, ctw_api_key_fn fn, void *ud, ctw_error *err);

/* --- scope ------------------------------------------------------------------ */

/* True if p's scope allows operation op: any op when p has no scope; for
 * scope "screening", only op "screen" (name screening, document checks,
 * manifest screening). Routes call this before anything else. */
bool ctw_auth_scope_permits(const ctw_principal *p, const char *op);

/* Role by name ("officer", "agency-admin", ...), or CTW_ROLE_NONE. */
ctw_role ctw_auth_role_from_name(const char *name);

#endif
