/* test_auth_cache.c — a server's cache of accepted tokens (auth.h,
 * ctw_auth_cache): it answers only within CTW_AUTH_RECHECK_SECONDS of the
 * store's yes; any identity change committed through the library in this
 * process (logout, user disabled, new password, key revoked) is seen at
 * once, whatever store handle made it; a change made around the library
 * (another process) within the recheck interval; the idle timeout and the
 * absolute expiry hold as without the cache; refusals are not cached; the
 * cache never writes. Every time is passed explicitly: nothing sleeps. */
#include "test_util.h"

#include <pthread.h>
#include <sqlite3.h>

#include "auth/auth_int.h"
#include "ctwatch/auth.h"
#include "ctwatch/store.h"

#define T0 ((int64_t)1767225600)   /* 2026-01-01T00:00:00Z */
#define PW "correct horse battery"
#define PW2 "another long passphrase"
#define RECHECK CTW_AUTH_RECHECK_SECONDS

typedef struct fixture {
    char *dir;
    char path[600];
    ctw_store *s;      /* the "server's" handle: what the cache's misses use */
    ctw_store *admin;  /* another handle of the same process: the revocations */
    ctw_auth_cache *c;
    ctw_arena a;
    char token[CTW_AUTH_TOKEN_SIZE];  /* anne's session, opened at T0 */
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE, &f->s, &err), 0);
    assert_int_equal(ctw_store_open(f->path, 0, &f->admin, &err), 0);
    ctw_arena_init(&f->a);
    ctw_agency fra = {.code = "FRA-NCB", .name = "Interpol NCB Paris", .country = "FRA", .kind = "ncb",
                      .regions = "europe,schengen"};
    assert_int_equal(ctw_auth_agency_add(f->s, ctw_principal_cli(), &fra, &err), 0);
    assert_int_equal(ctw_auth_user_create(f->s, ctw_principal_cli(), "anne", "FRA-NCB", CTW_ROLE_ANALYST, PW, &err), 0);
    ctw_principal p;
    assert_int_equal(ctw_auth_login(f->s, "anne", PW, NULL, NULL, T0, f->token, &p, &f->a, &err), 0);
    assert_int_equal(ctw_auth_cache_new(16, &f->c), 0);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ctw_auth_cache_free(f->c);
    ctw_arena_free(&f->a);
    ctw_store_close(f->admin);
    ctw_store_close(f->s);
    ctw_test_rmdir(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* The cache's answer; ctw_auth_cache_has (the server's choice of thread)
 * must agree with it in every case the tests make. */
static int lookup(fixture *f, const char *token, int64_t now, ctw_principal *p)
{
    memset(p, 0, sizeof *p);
    bool has = ctw_auth_cache_has(f->c, token, now);
    int rc = ctw_auth_cache_lookup(f->c, token, now, p, &f->a);
    assert_int_equal(has, rc == 0);
    return rc;
}

static int ask(fixture *f, const char *token, int64_t now, ctw_principal *p, ctw_error *err)
{
    memset(p, 0, sizeof *p);
    ctw_error_clear(err);
    return ctw_auth_authenticate_cached(f->c, f->s, token, now, p, &f->a, err);
}

/* One integer from a query on a connection of our own (around the library). */
static long long query_int(fixture *f, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    long long v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* A write around the library, as another program would make it. */
static void exec_sql(fixture *f, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

static void test_answers_only_after_the_store(void **state)
{
    fixture *f = *state;
    ctw_principal p;
    ctw_error err;
    assert_int_equal(lookup(f, f->token, T0 + 1, &p), CTW_ENOTFOUND);
    assert_int_equal(ask(f, f->token, T0 + 1, &p, &err), 0);
    /* now from the cache, the same principal */
    assert_int_equal(lookup(f, f->token, T0 + 1, &p), 0);
    assert_string_equal(p.user, "anne");
    assert_string_equal(p.agency, "FRA-NCB");
    assert_string_equal(p.regions, "europe,schengen");
    assert_int_equal(p.role, CTW_ROLE_ANALYST);
    assert_null(p.scope);
    assert_null(p.purpose);
    assert_int_equal(lookup(f, f->token, T0 + RECHECK, &p), 0);
    /* at the recheck interval the store must be asked again */
    assert_int_equal(lookup(f, f->token, T0 + 1 + RECHECK, &p), CTW_ENOTFOUND);
    /* a clock that went back is not trusted either */
    assert_int_equal(lookup(f, f->token, T0, &p), CTW_ENOTFOUND);
    /* other tokens and malformed ones are never answered */
    assert_int_equal(lookup(f, "ctws_not-a-token-at-all", T0 + 1, &p), CTW_ENOTFOUND);
    assert_int_equal(lookup(f, "", T0 + 1, &p), CTW_ENOTFOUND);
    assert_int_equal(lookup(f, NULL, T0 + 1, &p), CTW_ENOTFOUND);
}

static void test_logout_seen_at_once(void **state)
{
    fixture *f = *state;
    ctw_principal p;
    ctw_error err;
    assert_int_equal(ask(f, f->token, T0 + 1, &p, &err), 0);
    assert_int_equal(lookup(f, f->token, T0 + 1, &p), 0);
    /* another handle of this process ends the session */
    assert_int_equal(ctw_auth_logout(f->admin, f->token, T0 + 1, &err), 0);
    assert_int_equal(lookup(f, f->token, T0 + 1, &p), CTW_ENOTFOUND);
    assert_int_equal(ask(f, f->token, T0 + 1, &p, &err), CTW_EACCES);
    assert_int_equal(lookup(f, f->token, T0 + 1, &p), CTW_ENOTFOUND);
}

static void test_disable_and_password_seen_at_once(void **state)
{
    fixture *f = *state;
    ctw_principal p;
    ctw_error err;
    assert_int_equal(ask(f, f->token, T0 + 1, &p, &err), 0);
    assert_int_equal(ctw_auth_user_set_enabled(f->admin, ctw_principal_cli(), "anne", false, &err), 0);
    assert_int_equal(lookup(f, f->token, T0 + 1, &p), CTW_ENOTFOUND);
    assert_int_equal(ask(f, f->token, T0 + 1, &p, &err), CTW_EACCES);

    /* enabled again, with a new session; a new password ends it at once */
    assert_int_equal(ctw_auth_user_set_enabled(f->admin, ctw_principal_cli(), "anne", true, &err), 0);
    char token[CTW_AUTH_TOKEN_SIZE];
    assert_int_equal(ctw_auth_login(f->admin, "anne", PW, NULL, NULL, T0 + 2, token, &p, &f->a, &err), 0);
    assert_int_equal(ask(f, token, T0 + 2, &p, &err), 0);
    assert_int_equal(lookup(f, token, T0 + 2, &p), 0);
    assert_int_equal(ctw_auth_user_set_password(f->admin, ctw_principal_cli(), "anne", PW2, &err), 0);
    assert_int_equal(lookup(f, token, T0 + 2, &p), CTW_ENOTFOUND);
    assert_int_equal(ask(f, token, T0 + 2, &p, &err), CTW_EACCES);
}

static void test_key_revocation_seen_at_once(void **state)
{
    fixture *f = *state;
    ctw_principal p;
    ctw_error err;
    char key[CTW_AUTH_TOKEN_SIZE];
    int64_t id = 0;
    assert_int_equal(ctw_auth_key_create(f->admin, ctw_principal_cli(), "FRA-NCB", "gate-7", NULL, &id, key, &err), 0);
    assert_int_equal(ask(f, key, T0 + 1, &p, &err), 0);
    assert_int_equal(lookup(f, key, T0 + 1, &p), 0);
    assert_string_equal(p.user, "key:gate-7");
    assert_string_equal(p.scope, CTW_AUTH_SCOPE_SCREENING);
    assert_string_equal(p.purpose, "screening");
    assert_int_equal(p.role, CTW_ROLE_OFFICER);
    assert_false(ctw_auth_scope_permits(&p, "read"));
    /* a key has no expiry: still answered a year on, within the interval */
    assert_int_equal(ask(f, key, T0 + 365 * 86400, &p, &err), 0);
    assert_int_equal(lookup(f, key, T0 + 365 * 86400, &p), 0);
    assert_int_equal(ctw_auth_key_revoke(f->admin, ctw_principal_cli(), id, &err), 0);
    assert_int_equal(lookup(f, key, T0 + 365 * 86400, &p), CTW_ENOTFOUND);
    assert_int_equal(ask(f, key, T0 + 365 * 86400, &p, &err), CTW_EACCES);
}

/* A change the library did not make (another process): seen within the
 * recheck interval, and the cache's window is exactly that long. */
static void test_change_around_the_library_within_recheck(void **state)
{
    fixture *f = *state;
    ctw_principal p;
    ctw_error err;
    assert_int_equal(ask(f, f->token, T0 + 10, &p, &err), 0);
    exec_sql(f, "UPDATE users SET enabled = 0 WHERE username = 'anne'");
    /* within the interval this process cannot know yet */
    assert_int_equal(lookup(f, f->token, T0 + 10 + RECHECK - 1, &p), 0);
    /* from then on, the store is asked, and says no */
    assert_int_equal(lookup(f, f->token, T0 + 10 + RECHECK, &p), CTW_ENOTFOUND);
    assert_int_equal(ask(f, f->token, T0 + 10 + RECHECK, &p, &err), CTW_EACCES);
    assert_string_equal(err.message, "user disabled");
    assert_int_equal(lookup(f, f->token, T0 + 10 + RECHECK, &p), CTW_ENOTFOUND);
}

static void test_idle_timeout_holds(void **state)
{
    fixture *f = *state;
    ctw_principal p;
    ctw_error err;
    /* used at T0 + 10: the stored last use stays T0 (younger than the touch interval) */
    assert_int_equal(ask(f, f->token, T0 + 10, &p, &err), 0);
    assert_int_equal(query_int(f, "SELECT last_used FROM sessions"), T0);
    /* cache hits write nothing */
    for (int64_t t = T0 + 10; t < T0 + 10 + RECHECK; t++) assert_int_equal(lookup(f, f->token, t, &p), 0);
    assert_int_equal(query_int(f, "SELECT last_used FROM sessions"), T0);
    /* idle from the store's point of view: never answered from the cache */
    assert_int_equal(lookup(f, f->token, T0 + CTW_AUTH_IDLE_SECONDS, &p), CTW_ENOTFOUND);
    assert_int_equal(ask(f, f->token, T0 + CTW_AUTH_IDLE_SECONDS, &p, &err), CTW_EACCES);
    assert_string_equal(err.message, "session expired (idle)");
    assert_int_equal(query_int(f, "SELECT count(*) FROM sessions"), 0);
}

static void test_last_use_written_every_touch_interval(void **state)
{
    fixture *f = *state;
    ctw_principal p;
    ctw_error err;
    /* a session in steady use: each recheck that finds the stored last use
     * CTW_AUTH_TOUCH_SECONDS old writes it, so it never goes idle */
    int64_t t = T0;
    for (; t < T0 + CTW_AUTH_IDLE_SECONDS + 600; t += RECHECK) {
        if (lookup(f, f->token, t, &p) != 0) assert_int_equal(ask(f, f->token, t, &p, &err), 0);
        long long last = query_int(f, "SELECT last_used FROM sessions");
        assert_true(t - last < CTW_AUTH_TOUCH_SECONDS + RECHECK);
    }
    assert_int_equal(ask(f, f->token, t, &p, &err), 0);
}

static void test_absolute_expiry_on_every_hit(void **state)
{
    fixture *f = *state;
    ctw_principal p;
    ctw_error err;
    /* keep the session alive up to just before its absolute end */
    int64_t end = T0 + CTW_AUTH_ABSOLUTE_SECONDS;
    for (int64_t t = T0; t < end - 1; t += 20 * 60) assert_int_equal(ask(f, f->token, t, &p, &err), 0);
    assert_int_equal(ask(f, f->token, end - 1, &p, &err), 0);
    assert_int_equal(lookup(f, f->token, end - 1, &p), 0);
    /* within the recheck interval, and yet refused: the expiry has come */
    assert_int_equal(lookup(f, f->token, end, &p), CTW_ENOTFOUND);
    assert_int_equal(ask(f, f->token, end, &p, &err), CTW_EACCES);
    assert_string_equal(err.message, "session expired");
}

static void test_refusals_not_cached(void **state)
{
    fixture *f = *state;
    ctw_principal p;
    ctw_error err;
    const char *bogus = "ctws_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
    assert_int_equal(ask(f, bogus, T0 + 1, &p, &err), CTW_EACCES);
    assert_int_equal(lookup(f, bogus, T0 + 1, &p), CTW_ENOTFOUND);
    assert_int_equal(ask(f, "garbage", T0 + 1, &p, &err), CTW_EACCES);
    assert_int_equal(lookup(f, "garbage", T0 + 1, &p), CTW_ENOTFOUND);
}

/* More tokens than the cache's 16 slots: whoever shares a slot is asked of
 * the store again, never answered as someone else. */
static void test_collisions_never_mix_principals(void **state)
{
    fixture *f = *state;
    ctw_error err;
    enum { N = 20 };
    static char tokens[N][CTW_AUTH_TOKEN_SIZE];
    char names[N][16];
    for (int i = 0; i < N; i++) {
        snprintf(names[i], sizeof names[i], "user%02d", i);
        assert_int_equal(
            ctw_auth_user_create(f->admin, ctw_principal_cli(), names[i], "FRA-NCB", CTW_ROLE_OFFICER, PW, &err), 0);
    }
    ctw_principal p;
    for (int i = 0; i < N; i++)
        assert_int_equal(ctw_auth_login(f->admin, names[i], PW, NULL, NULL, T0, tokens[i], &p, &f->a, &err), 0);
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < N; i++) {
            if (lookup(f, tokens[i], T0 + 1, &p) != 0) assert_int_equal(ask(f, tokens[i], T0 + 1, &p, &err), 0);
            assert_string_equal(p.user, names[i]);
            assert_int_equal(p.role, CTW_ROLE_OFFICER);
        }
    }
}

/* Threads looking up and refreshing the same and different tokens at once
 * (run under ASan in `make test-asan`). */
typedef struct worker {
    fixture *f;
    const char *token;
    ctw_store *s;
    int ok;
} worker;

static void *work(void *arg)
{
    worker *w = arg;
    ctw_arena a;
    ctw_arena_init(&a);
    for (int i = 0; i < 2000; i++) {
        ctw_principal p = {0};
        ctw_error err;
        int64_t now = T0 + 1 + (i / 500);
        int rc = ctw_auth_cache_lookup(w->f->c, w->token, now, &p, &a);
        if (rc != 0) rc = ctw_auth_authenticate_cached(w->f->c, w->s, w->token, now, &p, &a, &err);
        if (rc == 0 && strcmp(p.user, "anne") == 0) w->ok++;
    }
    ctw_arena_free(&a);
    return NULL;
}

static void test_threads(void **state)
{
    fixture *f = *state;
    enum { N = 4 };
    pthread_t t[N];
    worker w[N];
    ctw_error err;
    for (int i = 0; i < N; i++) {
        w[i] = (worker){.f = f, .token = f->token};
        assert_int_equal(ctw_store_open(f->path, 0, &w[i].s, &err), 0);
        assert_int_equal(pthread_create(&t[i], NULL, work, &w[i]), 0);
    }
    for (int i = 0; i < N; i++) {
        pthread_join(t[i], NULL);
        ctw_store_close(w[i].s);
        assert_int_equal(w[i].ok, 2000);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_answers_only_after_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_logout_seen_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_disable_and_password_seen_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_key_revocation_seen_at_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_around_the_library_within_recheck, setup, teardown),
        cmocka_unit_test_setup_teardown(test_idle_timeout_holds, setup, teardown),
        cmocka_unit_test_setup_teardown(test_last_use_written_every_touch_interval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_absolute_expiry_on_every_hit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_not_cached, setup, teardown),
        cmocka_unit_test_setup_teardown(test_collisions_never_mix_principals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
