/* admin_util.h — what test_admin_api.c and test_retention_api.c share on
 * top of api_util.h: users made with the library, sign-in over the API,
 * one call with its status checked, a snapshot of the store's rows (so a
 * refusal can be shown to change nothing), and the test server's clock.
 */
#ifndef CTW_ADMIN_UTIL_H
#define CTW_ADMIN_UTIL_H

#include "api_util.h"

#define PASSWORD "correct horse battery staple"

/* A user made with the library, as `ctwatch users add` does. */
static inline void make_user(ctw_store *s, const char *name, const char *agency, ctw_role role)
{
    ctw_error err = {0};
    if (ctw_auth_user_create(s, ctw_principal_cli(), name, agency, role, PASSWORD, &err) != 0)
        fail_msg("user %s: %s", name, err.message);
}

static inline void make_agency(ctw_store *s, const char *code, const char *country, const char *regions)
{
    ctw_error err = {0};
    ctw_agency a = {.code = code, .name = code, .country = country, .kind = "ncb", .regions = regions};
    if (ctw_auth_agency_add(s, ctw_principal_cli(), &a, &err) != 0) fail_msg("agency %s: %s", code, err.message);
}

/* A request as token; the status must be want; the reply as JSON (an
 * empty object for an empty body). */
static inline json_t *call(const char *token, const char *method, const char *p, const char *body, long want)
{
    resp r;
    assert_int_equal(http_req_as(token, method, p, body, body ? strlen(body) : 0, NULL, &r), CURLE_OK);
    if (r.status != want)
        fail_msg("%s %s %.200s: status %ld, want %ld, body %s", method ? method : "GET", p, body ? body : "", r.status,
                 want, r.body ? r.body : "");
    json_t *j = r.len ? json_loadb(r.body, r.len, 0, NULL) : json_object();
    if (!j) fail_msg("%s %s: body is not JSON: %s", method ? method : "GET", p, r.body ? r.body : "(none)");
    resp_free(&r);
    return j;
}

/* Sign in over the API (with a TOTP code when totp is not NULL): the
 * session token into out (128 bytes). */
static inline void login_totp(const char *user, const char *password, const char *totp, char *out)
{
    char body[512];
    if (totp)
        snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\",\"totp\":\"%s\"}", user, password, totp);
    else
        snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
    json_t *j = call(NULL, "POST", "/api/v1/login", body, 200);
    snprintf(out, 128, "%s", json_string_value(json_object_get(j, "token")));
    json_decref(j);
}

static inline void login(const char *user, char *out) { login_totp(user, PASSWORD, NULL, out); }

/* The error code of a reply. */
static inline const char *error_code(json_t *j)
{
    return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

/* The result of sql (one text column, one row) on the server's store, to
 * free; "" when NULL. */
static inline char *db_text(const char *sql, const char *arg)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char *out = NULL;
    assert_int_equal(sqlite3_open_v2(g.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) {
        const char *t = (const char *)sqlite3_column_text(st, 0);
        out = strdup(t ? t : "");
    }
    sqlite3_finalize(st);
    sqlite3_close(db);
    return out ? out : strdup("");
}

/* Every row a refusal must leave alone: agencies, users (with their
 * secrets' hashes), keys, records and their element rows. To free. */
static inline char *store_snapshot(void)
{
    return db_text("SELECT (SELECT group_concat(code || '|' || coalesce(regions, ''), ';') FROM agencies) || '#' ||"
                   " (SELECT group_concat(username || '|' || role || '|' || enabled || '|' ||"
                   "   coalesce(password_hash, '') || '|' || coalesce(hex(totp_secret), '') || '|' || updated, ';')"
                   "   FROM users) || '#' ||"
                   " coalesce((SELECT group_concat(id || '|' || coalesce(revoked, ''), ';') FROM api_keys), '') || '#' ||"
                   " coalesce((SELECT group_concat(id || '|' || version || '|' || review_date, ';') FROM records), '')"
                   "   || '#' || (SELECT count(*) FROM names) || '/' || (SELECT count(*) FROM identifiers) || '/' ||"
                   " (SELECT count(*) FROM movements WHERE person IS NOT NULL)",
                   NULL);
}

/* Send body (any method; len 0: strlen(body)) to path as token: want
 * status and error code, and the store's rows unchanged. */
static inline void refused_unchanged(const char *token, const char *method, const char *path, const char *body,
                                     size_t len, long status, const char *code)
{
    if (body && len == 0) len = strlen(body);
    char *before = store_snapshot();
    resp r;
    assert_int_equal(http_req_as(token, method, path, body, len, NULL, &r), CURLE_OK);
    if (r.status != status)
        fail_msg("%s %s (%zu bytes): status %ld, want %ld: %s", method, path, len, r.status, status, r.body ? r.body : "");
    json_t *j = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
    if (!j || !error_code(j) || strcmp(error_code(j), code) != 0)
        fail_msg("%s %s: want error %s, got %s", method, path, code, r.body ? r.body : "");
    json_decref(j);
    resp_free(&r);
    char *after = store_snapshot();
    if (strcmp(before, after) != 0) fail_msg("%s %s was refused (%ld) but changed the store", method, path, status);
    free(before);
    free(after);
}

/* The route's malformed and oversized bodies: 400 and 413, nothing changed. */
static inline void bad_bodies_unchanged(const char *token, const char *method, const char *path, size_t big)
{
    static const char *const malformed[] = {"{", "{\"a\":", "[1,2", "nul", "{\"reason\":\"x\"}}", "\"just a string\"",
                                            "{\"reason\":\"x\",\"reason\":\"y\"}"};
    for (size_t i = 0; i < sizeof malformed / sizeof malformed[0]; i++)
        refused_unchanged(token, method, path, malformed[i], strlen(malformed[i]), 400, "invalid");
    char *huge = malloc(big + 1);
    assert_non_null(huge);
    /* valid JSON, only too large: {"reason":"aaaa...."} */
    memset(huge, 'a', big);
    memcpy(huge, "{\"reason\":\"", 11);
    memcpy(huge + big - 2, "\"}", 2);
    huge[big] = '\0';
    refused_unchanged(token, method, path, huge, big, 413, "too_large");
    free(huge);
}

/* --- the test server's clock (include/ctwatch/clock.h) ------------------------- */

static char clock_file[600];
static long long clock_offset;

/* Run the suite's server from $CTWATCH_TESTCLOCK_BIN with its clock in a
 * file of dir: call before api_server_start. */
static inline int use_test_clock(const char *dir)
{
    const char *bin = getenv("CTWATCH_TESTCLOCK_BIN");
    if (!bin || !*bin) {
        fprintf(stderr, "CTWATCH_TESTCLOCK_BIN is not set (the path of build/bin/ctwatch-testclock)\n");
        return -1;
    }
    setenv("CTWATCH_BIN", bin, 1);
    snprintf(clock_file, sizeof clock_file, "%s/clock", dir);
    setenv("CTWATCH_TEST_CLOCK_FILE", clock_file, 1);
    clock_offset = 0;
    FILE *f = fopen(clock_file, "w");
    if (!f) return -1;
    fputs("0\n", f);
    return fclose(f);
}

/* Move the server's clock forward by seconds. */
static inline void advance_clock(long long seconds)
{
    clock_offset += seconds;
    FILE *f = fopen(clock_file, "w");
    assert_non_null(f);
    fprintf(f, "%lld\n", clock_offset);
    assert_int_equal(fclose(f), 0);
}

/* What the server's clock reads now. */
static inline int64_t server_now(void) { return (int64_t)time(NULL) + clock_offset; }

#endif
