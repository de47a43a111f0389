/* test_audit_api.c — GET /api/v1/audit (issue 5, item 7) against a real
 * `ctwatch serve`: an auditor reads the log, filters are exact, the cursor
 * pages through it without gaps or overlaps, an analyst and a screening key
 * are refused (and the analyst's refusal is itself audited), bad parameters
 * are 400, and no method edits the log.
 *
 * The store holds N_EVENTS entries of action "test-event" appended with the
 * library: user u<i%2>, agency AG<i%3>, records "R<iii>".
 */
#include "api_util.h"

#include "ctwatch/store.h"

#define AUDITOR "dpo.local"
#define AUDITOR_PASSWORD "audit trail of breadcrumbs"
#define N_EVENTS 25

static char auditor_token[128];

static void build_store(void)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    if (ctw_store_open(g.db, CTW_STORE_CREATE, &s, &err) != 0) fail_msg("store open: %s", err.message);
    ctw_agency local = {.code = "LOCAL", .name = "Local agency", .kind = "ncb"};
    assert_int_equal(ctw_store_ensure_agency(s, &local), 0);
    for (int i = 0; i < N_EVENTS; i++) {
        char user[16], agency[16], rec[16];
        snprintf(user, sizeof user, "u%d", i % 2);
        snprintf(agency, sizeof agency, "AG%d", i % 3);
        snprintf(rec, sizeof rec, "R%03d", i);
        ctw_principal p = {.user = user, .agency = agency, .role = CTW_ROLE_ANALYST, .purpose = "test"};
        assert_int_equal(ctw_store_audit(s, &p, "test-event", rec, "fixture"), 0);
    }
    if (ctw_auth_user_create(s, ctw_principal_cli(), AUDITOR, "LOCAL", CTW_ROLE_AUDITOR, AUDITOR_PASSWORD, &err) != 0)
        fail_msg("user: %s", err.message);
    ctw_principal p = {0};
    ctw_arena a;
    ctw_arena_init(&a);
    char token[CTW_AUTH_TOKEN_SIZE];
    if (ctw_auth_login(s, AUDITOR, AUDITOR_PASSWORD, NULL, NULL, (int64_t)time(NULL), token, &p, &a, &err) != 0)
        fail_msg("login: %s", err.message);
    snprintf(auditor_token, sizeof auditor_token, "%s", token);
    ctw_arena_free(&a);
    ctw_store_close(s);
}

static int group_setup(void **state)
{
    (void)state;
    return api_server_start(build_store, 64 * 1024);
}

static int group_teardown(void **state)
{
    (void)state;
    return api_server_stop();
}

/* All audit entries in the server's store. */
static long count_all(void)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n = -1;
    assert_int_equal(sqlite3_open_v2(g.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit", -1, &st, NULL), SQLITE_OK);
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* GET path as token; the status must be want; the reply as JSON. */
static json_t *get_as(const char *token, const char *path, long want)
{
    resp r;
    assert_int_equal(http_req_as(token, NULL, path, NULL, 0, NULL, &r), CURLE_OK);
    if (r.status != want) fail_msg("GET %s: status %ld, body %s", path, r.status, r.body ? r.body : "");
    json_error_t je;
    json_t *j = json_loadb(r.body ? r.body : "", r.len, 0, &je);
    if (!j) fail_msg("GET %s: not JSON: %s", path, r.body ? r.body : "(none)");
    resp_free(&r);
    return j;
}

static const char *str_at(json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

static void test_auditor_reads(void **state)
{
    (void)state;
    long reads = count_audit("audit-read");
    json_t *j = get_as(auditor_token, "/api/v1/audit", 200);
    json_t *entries = json_object_get(j, "entries");
    assert_true(json_is_array(entries));
    assert_true(json_array_size(entries) >= N_EVENTS);
    assert_true(json_is_null(json_object_get(j, "next_after")));
    static const char *const fields[] = {"time", "user", "agency", "role", "action", "purpose",
                                         "records", "detail", "prev_hash", "hash"};
    json_int_t prev = 0;
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
        json_int_t seq = json_integer_value(json_object_get(e, "seq"));
        assert_true(seq > prev); /* oldest first */
        prev = seq;
        for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++)
            if (!json_object_get(e, fields[k])) fail_msg("entry %lld lacks %s", (long long)seq, fields[k]);
    }
    assert_string_equal(str_at(json_array_get(entries, 0), "action"), "test-event");
    json_decref(j);
    /* the read left its own entry, naming the reader */
    assert_int_equal(count_audit("audit-read"), reads + 1);
    j = get_as(auditor_token, "/api/v1/audit?action=audit-read", 200);
    entries = json_object_get(j, "entries");
    assert_true(json_array_size(entries) >= 1);
    json_t *last = json_array_get(entries, json_array_size(entries) - 1);
    assert_string_equal(str_at(last, "user"), AUDITOR);
    assert_string_equal(str_at(last, "role"), "auditor");
    json_decref(j);
}

/* n entries, each with field == want */
static void expect_all(const char *path, const char *field, const char *want, size_t n)
{
    json_t *j = get_as(auditor_token, path, 200);
    json_t *entries = json_object_get(j, "entries");
    if (json_array_size(entries) != n)
        fail_msg("%s: %zu entries, want %zu", path, json_array_size(entries), n);
    size_t i;
    json_t *e;
    json_array_foreach(entries, i, e) {
        if (field && strcmp(str_at(e, field), want) != 0)
            fail_msg("%s: entry with %s=%s", path, field, str_at(e, field));
    }
    json_decref(j);
}

static void test_filters(void **state)
{
    (void)state;
    expect_all("/api/v1/audit?action=test-event", "action", "test-event", N_EVENTS);
    expect_all("/api/v1/audit?action=test-event&user=u1", "user", "u1", N_EVENTS / 2);      /* odd i */
    expect_all("/api/v1/audit?user=u0&action=test-event", "user", "u0", (N_EVENTS + 1) / 2); /* even i */
    expect_all("/api/v1/audit?action=test-event&agency=AG2", "agency", "AG2", N_EVENTS / 3);
    expect_all("/api/v1/audit?record=R007", "records", "R007", 1);
    /* exact, not a prefix or a pattern */
    expect_all("/api/v1/audit?action=test-even", NULL, NULL, 0);
    expect_all("/api/v1/audit?action=test%25", NULL, NULL, 0);
    expect_all("/api/v1/audit?user=u", NULL, NULL, 0);
    /* times: every fixture entry was written before now and after 2000 */
    expect_all("/api/v1/audit?action=test-event&since=2000-01-01&until=2999-01-01T00:00:00Z", "action",
               "test-event", N_EVENTS);
    expect_all("/api/v1/audit?action=test-event&until=2000-01-01", NULL, NULL, 0);
    expect_all("/api/v1/audit?action=test-event&since=2999-01-01", NULL, NULL, 0);
    /* an empty value is no filter */
    expect_all("/api/v1/audit?action=test-event&user=", "action", "test-event", N_EVENTS);
}

static void test_paging(void **state)
{
    (void)state;
    /* the fixture's 25 entries in pages of 7: 7, 7, 7, 4 */
    json_int_t seen[N_EVENTS];
    size_t n = 0, pages = 0;
    json_int_t after = 0;
    for (;;) {
        char path[128];
        snprintf(path, sizeof path, "/api/v1/audit?action=test-event&limit=7&after=%lld", (long long)after);
        json_t *j = get_as(auditor_token, path, 200);
        json_t *entries = json_object_get(j, "entries");
        json_t *next = json_object_get(j, "next_after");
        size_t i;
        json_t *e;
        json_array_foreach(entries, i, e) {
            json_int_t seq = json_integer_value(json_object_get(e, "seq"));
            assert_true(seq > after); /* disjoint: every page starts past the cursor */
            assert_true(n == 0 || seq > seen[n - 1]);
            assert_true(n < N_EVENTS);
            seen[n++] = seq;
        }
        pages++;
        assert_true(pages <= 5);
        if (json_is_null(next)) {
            assert_int_equal(json_array_size(entries), N_EVENTS % 7);
            json_decref(j);
            break;
        }
        assert_int_equal(json_array_size(entries), 7);
        assert_int_equal(json_integer_value(next), seen[n - 1]);
        after = json_integer_value(next);
        json_decref(j);
    }
    assert_int_equal(pages, 4);
    assert_int_equal(n, N_EVENTS); /* all of them */

    /* the whole log in pages of 10 covers every entry that was there */
    long total = count_all();
    json_int_t prev = 0, got = 0;
    after = 0;
    for (int k = 0; k < 1000; k++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/audit?limit=10&after=%lld", (long long)after);
        json_t *j = get_as(auditor_token, path, 200);
        size_t i;
        json_t *e;
        json_array_foreach(json_object_get(j, "entries"), i, e) {
            json_int_t seq = json_integer_value(json_object_get(e, "seq"));
            assert_true(seq > prev);
            prev = seq;
            if (seq <= total) got++;
        }
        json_t *next = json_object_get(j, "next_after");
        bool done = json_is_null(next);
        after = done ? 0 : json_integer_value(next);
        json_decref(j);
        if (done) break;
    }
    assert_int_equal(got, total); /* seqs 1..total, each once */
}

static void test_analyst_forbidden(void **state)
{
    (void)state;
    long denied = count_audit("audit-read-denied"), reads = count_audit("audit-read");
    json_t *j = get_as(g.token, "/api/v1/audit", 403);
    assert_error_code(j, "forbidden");
    assert_null(json_object_get(j, "entries"));
    json_decref(j);
    assert_int_equal(count_audit("audit-read-denied"), denied + 1);
    assert_int_equal(count_audit("audit-read"), reads);
    /* the auditor sees who tried */
    j = get_as(auditor_token, "/api/v1/audit?action=audit-read-denied", 200);
    json_t *entries = json_object_get(j, "entries");
    assert_int_equal(json_array_size(entries), denied + 1);
    assert_string_equal(str_at(json_array_get(entries, json_array_size(entries) - 1), "user"), API_USER);
    json_decref(j);
}

static void test_screening_key_forbidden(void **state)
{
    (void)state;
    ctw_store *s = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_store_open(g.db, 0, &s, &err), 0);
    int64_t id = 0;
    char key[CTW_AUTH_TOKEN_SIZE];
    if (ctw_auth_key_create(s, ctw_principal_cli(), "LOCAL", "gate-9", CTW_AUTH_SCOPE_SCREENING, &id, key, &err) != 0)
        fail_msg("key: %s", err.message);
    ctw_store_close(s);
    json_t *j = get_as(key, "/api/v1/audit", 403);
    assert_error_code(j, "forbidden");
    json_decref(j);
}

static void test_bad_parameters(void **state)
{
    (void)state;
    char longuser[200] = "/api/v1/audit?user=";
    size_t n = strlen(longuser);
    memset(longuser + n, 'x', 129);
    longuser[n + 129] = '\0';
    static const struct {
        const char *path, *names;
    } bad[] = {
        {"/api/v1/audit?since=yesterday", "since"},
        {"/api/v1/audit?since=2026-13-01", "since"},
        {"/api/v1/audit?until=2026-03-01T25:00:00Z", "until"},
        {"/api/v1/audit?until=2026-03-01X", "until"},
        {"/api/v1/audit?after=-1", "after"},
        {"/api/v1/audit?after=abc", "after"},
        {"/api/v1/audit?after=99999999999999999999", "after"},
        {"/api/v1/audit?limit=0", "limit"},
        {"/api/v1/audit?limit=1001", "limit"},
        {"/api/v1/audit?limit=10x", "limit"},
        {"/api/v1/audit?bogus=1", "bogus"},
        {"/api/v1/audit?action=read&action=screen", "action"},
        {NULL, "user"}, /* longuser */
    };
    long reads = count_audit("audit-read");
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *path = bad[i].path ? bad[i].path : longuser;
        json_t *j = get_as(auditor_token, path, 400);
        assert_error_code(j, "invalid");
        const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
        if (!strstr(msg, bad[i].names)) fail_msg("%s: message '%s' does not name %s", path, msg, bad[i].names);
        json_decref(j);
    }
    /* nothing was read */
    assert_int_equal(count_audit("audit-read"), reads);
    /* at the edges: accepted */
    json_decref(get_as(auditor_token, "/api/v1/audit?limit=1000&after=0", 200));
    json_decref(get_as(auditor_token, "/api/v1/audit?limit=1&since=2026-03-01T12:00", 200));
}

/* X-Purpose: the caller says why, and every entry of the request keeps it;
 * a purpose with control characters is refused before anything is done. */
static void test_purpose(void **state)
{
    (void)state;
    const char *body = "{\"name\":\"Purpose Probe\"}";
    struct curl_slist *h = curl_slist_append(NULL, "X-Purpose: case 2026/4471, border check Roissy");
    resp r;
    assert_int_equal(http_req("POST", "/api/v1/screen", body, strlen(body), h, &r), CURLE_OK);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    curl_slist_free_all(h);
    json_t *j = get_as(auditor_token, "/api/v1/audit?action=screen&user=" API_USER, 200);
    json_t *entries = json_object_get(j, "entries");
    assert_true(json_array_size(entries) > 0);
    assert_string_equal(str_at(json_array_get(entries, json_array_size(entries) - 1), "purpose"),
                        "case 2026/4471, border check Roissy");
    json_decref(j);

    long before = count_all();
    h = curl_slist_append(NULL, "X-Purpose: a\x01b");
    assert_int_equal(http_req("POST", "/api/v1/screen", body, strlen(body), h, &r), CURLE_OK);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    curl_slist_free_all(h);
    char big[300];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char line[320];
    snprintf(line, sizeof line, "X-Purpose: %s", big);
    h = curl_slist_append(NULL, line);
    assert_int_equal(http_req("POST", "/api/v1/screen", body, strlen(body), h, &r), CURLE_OK);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    curl_slist_free_all(h);
    assert_int_equal(count_all(), before); /* refused before any processing */
}

static void test_no_edit(void **state)
{
    (void)state;
    static const char *const methods[] = {"POST", "PUT", "DELETE", "PATCH"};
    long before = count_all();
    for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
        resp r;
        const char *body = "{\"seq\":1}";
        assert_int_equal(http_req_as(auditor_token, methods[i], "/api/v1/audit?action=test-event", body, strlen(body),
                                     NULL, &r),
                         CURLE_OK);
        if (r.status != 405) fail_msg("%s: status %ld", methods[i], r.status);
        char allow[64];
        assert_true(header_value(&r, "Allow", allow, sizeof allow));
        assert_string_equal(allow, "GET, HEAD");
        resp_free(&r);
    }
    assert_true(count_all() >= before);
    assert_int_equal(count_audit("test-event"), N_EVENTS);
    /* and the chain is intact */
    ctw_store *s = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_store_open(g.db, 0, &s, &err), 0);
    ctw_audit_verify_result res;
    assert_int_equal(ctw_store_audit_verify(s, &res, &err), 0);
    assert_true(res.ok);
    ctw_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_auditor_reads),
        cmocka_unit_test(test_filters),
        cmocka_unit_test(test_paging),
        cmocka_unit_test(test_analyst_forbidden),
        cmocka_unit_test(test_screening_key_forbidden),
        cmocka_unit_test(test_bad_parameters),
        cmocka_unit_test(test_purpose),
        cmocka_unit_test(test_no_edit),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
