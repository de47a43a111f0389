/* test_api.c — the HTTP API against a real `ctwatch serve` on 127.0.0.1.
 *
 * Group setup builds a store with the library (the UN fixture list),
 * starts $CTWATCH_BIN serve on port 0 with --max-body 1024, and reads the
 * port from its {"listening":...} line. Every test talks HTTP with libcurl.
 * Teardown sends SIGTERM and expects a clean exit 0.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api_util.h"

#include "ctwatch/access.h"
#include "ctwatch/import.h"
#include "ctwatch/notice.h"
#include "ctwatch/store.h"

#define FIXTURE "tests/data/un/consolidated-2026-02-27.xml"
#define MAX_BODY 1024

static struct {
    char record_id[80];  /* the record of QDi.430 */
    char hidden_id[80];  /* a hit-only record of another agency */
} fx;

/* --- group setup / teardown ----------------------------------------------------- */

static int find_record(void *ud, const ctw_record *r)
{
    (void)ud;
    bool hit = r->source_id && strcmp(r->source_id, "QDi.430") == 0;
    for (size_t i = 0; !hit && i < r->listings.n; i++)
        hit = r->listings.v[i].reference && strcmp(r->listings.v[i].reference, "QDi.430") == 0;
    if (!hit) return 0;
    snprintf(fx.record_id, sizeof fx.record_id, "%s", r->id);
    return 1;
}

/* A person owned by FRA-NCB that others may only learn exists (hit-only). */
static void add_hidden_record(ctw_store *s)
{
    static const ctw_agency fra = {.code = "FRA-NCB", .name = "NCB Lyon", .country = "FRA",
                                   .kind = "ncb", .contact = "ncb@example.org"};
    char now[32];
    ctw_now_iso(now);
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    assert_non_null(r);
    r->owner = ctw_record_str(r, "FRA-NCB");
    r->source = ctw_record_str(r, "test-hidden");
    r->source_id = ctw_record_str(r, "H1");
    r->created = r->updated = ctw_record_str(r, now);
    r->version = 1;
    r->status = CTW_STATUS_ACTIVE;
    r->restriction.kind = CTW_RESTRICT_HIT_ONLY;
    r->review_date = ctw_record_str(r, "2031-01-01");
    assert_int_equal(ctw_record_make_id(r), 0);
    assert_int_equal(ctw_record_add_name(r, "Secretus Hiddenname", CTW_NAME_PRIMARY, NULL), 0);
    assert_int_equal(ctw_store_begin(s), 0);
    assert_int_equal(ctw_store_ensure_agency(s, &fra), 0);
    assert_int_equal(ctw_store_put(s, ctw_principal_cli(), r), 0);
    /* only records with a published notice are screened (notice.h) */
    assert_int_equal(ctw_notice_import_publish(s, r->id, "national", "monitor", "FRA-NCB", now), 0);
    assert_int_equal(ctw_store_commit(s), 0);
    snprintf(fx.hidden_id, sizeof fx.hidden_id, "%s", r->id);
    ctw_record_free(r);
}

static void build_store(void)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    if (ctw_store_open(g.db, CTW_STORE_CREATE, &s, &err) != 0)
        fail_msg("store open: %s %s", err.where, err.message);
    const char *files[] = {FIXTURE};
    json_t *summary = NULL;
    if (ctw_import_files(s, ctw_principal_cli(), CTW_FORMAT_UN_XML, files, 1, NULL, &summary,
                         &err) != 0)
        fail_msg("import: %s %s", err.where, err.message);
    json_decref(summary);
    ctw_store_iterate(s, ctw_principal_cli(), "un-sc", false, find_record, NULL);
    add_hidden_record(s);
    ctw_store_close(s);
    if (!fx.record_id[0]) fail_msg("no record for QDi.430 in the fixture store");
}

static int group_setup(void **state)
{
    (void)state;
    return api_server_start(build_store, MAX_BODY);
}

static int group_teardown(void **state)
{
    (void)state;
    return api_server_stop();
}


/* --- tests ------------------------------------------------------------------------ */

static void test_healthz(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(http_req(NULL, "/healthz", NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 200);
    char v[256];
    assert_true(header_value(&r, "Content-Type", v, sizeof v));
    assert_non_null(strstr(v, "application/json"));
    assert_true(header_value(&r, "X-Content-Type-Options", v, sizeof v));
    assert_string_equal(v, "nosniff");
    assert_true(header_value(&r, "Cache-Control", v, sizeof v));
    assert_string_equal(v, "no-store");
    assert_true(header_value(&r, "Content-Security-Policy", v, sizeof v));
    assert_non_null(strstr(v, "default-src 'none'"));
    assert_non_null(strstr(v, "frame-ancestors 'none'"));

    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
    assert_string_equal(json_string_value(json_object_get(j, "store")), "sqlite");
    assert_true(json_is_integer(json_object_get(j, "schema_version")));
    assert_true(json_integer_value(json_object_get(j, "schema_version")) >= 1);
    json_decref(j);
    resp_free(&r);
}

static void test_stats(void **state)
{
    (void)state;
    json_t *j = get_json("/api/v1/stats", 200);
    json_t *un = json_object_get(json_object_get(j, "by_source"), "un-sc");
    assert_non_null(un);
    assert_int_equal(json_integer_value(json_object_get(un, "person")), 730);
    assert_int_equal(json_integer_value(json_object_get(un, "organisation")), 273);
    assert_int_equal(json_integer_value(json_object_get(un, "removed")), 0);
    /* plus the one hit-only person of source test-hidden */
    json_t *hidden = json_object_get(json_object_get(j, "by_source"), "test-hidden");
    assert_int_equal(json_integer_value(json_object_get(hidden, "person")), 1);
    json_t *total = json_object_get(j, "total");
    assert_int_equal(json_integer_value(json_object_get(total, "records")), 1004);
    assert_int_equal(json_integer_value(json_object_get(total, "active")), 1004);
    assert_int_equal(json_integer_value(json_object_get(total, "removed")), 0);
    json_t *kinds = json_object_get(j, "by_kind");
    assert_int_equal(json_integer_value(json_object_get(kinds, "person")), 731);
    assert_int_equal(json_integer_value(json_object_get(kinds, "organisation")), 273);
    assert_true(json_integer_value(json_object_get(j, "schema_version")) >= 1);
    json_decref(j);
}

static void test_record_by_id(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "/api/v1/records/%s", fx.record_id);
    json_t *j = get_json(path, 200);
    assert_string_equal(json_string_value(json_object_get(j, "id")), fx.record_id);
    assert_string_equal(json_string_value(json_object_get(j, "kind")), "person");
    assert_string_equal(json_string_value(json_object_get(j, "source")), "un-sc");
    json_t *names = json_object_get(j, "names");
    assert_true(json_array_size(names) >= 1);
    bool found = false;
    for (size_t i = 0; i < json_array_size(names); i++) {
        const char *full = json_string_value(json_object_get(json_array_get(names, i), "full"));
        if (full && strcasestr(full, "EMRAAN") && strcasestr(full, "ALI")) found = true;
    }
    if (!found) fail_msg("no name with EMRAAN ALI in %s", fx.record_id);
    assert_true(json_is_array(json_object_get(j, "nationalities")));
    assert_true(json_array_size(json_object_get(j, "listings")) >= 1);
    json_decref(j);
}

static void test_record_unknown(void **state)
{
    (void)state;
    json_t *j = get_json("/api/v1/records/ctw-00000000000000000000", 404);
    assert_error_code(j, "not_found");
    json_decref(j);
}

static void test_record_hit_only(void **state)
{
    (void)state;
    char path[160];
    snprintf(path, sizeof path, "/api/v1/records/%s", fx.hidden_id);
    resp r;
    assert_int_equal(http_req(NULL, path, NULL, 0, NULL, &r), CURLE_OK);
    if (r.status != 403) fail_msg("hit-only record: status %ld, body %s", r.status, r.body);
    /* nothing of the record but its owner leaves the server */
    assert_null(strstr(r.body, "Hiddenname"));
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    assert_non_null(j);
    assert_error_code(j, "forbidden");
    assert_string_equal(json_string_value(json_object_get(j, "owner")), "FRA-NCB");
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"),
                                                             "message")),
                           "contact FRA-NCB"));
    json_decref(j);
    resp_free(&r);
}

static void test_record_bad_id(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "/api/v1/records/../etc/passwd",
        "/api/v1/records/..%2F..%2Fetc",
        "/api/v1/records/a%20b",
        "/api/v1/records/x'or'1",
        "/api/v1/records/",
        "/api/v1/records/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", /* 65 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = get_json(bad[i], 400);
        assert_error_code(j, "invalid");
        json_decref(j);
    }
    /* 64 characters is allowed: it is merely not there */
    json_t *j = get_json(
        "/api/v1/records/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", 404);
    assert_error_code(j, "not_found");
    json_decref(j);
}

static void test_unknown_route(void **state)
{
    (void)state;
    static const char *const paths[] = {"/", "/nope", "/api/v1", "/api/v1/statsx",
                                        "/healthz/x"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        json_t *j = get_json(paths[i], 404);
        assert_error_code(j, "not_found");
        json_decref(j);
    }
}

static void test_method_not_allowed(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"POST", "/api/v1/stats"}, {"DELETE", "/healthz"}, {"PUT", "/api/v1/records/x"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        resp r;
        assert_int_equal(http_req(cases[i][0], cases[i][1], "{}", 2, NULL, &r), CURLE_OK);
        if (r.status != 405) fail_msg("%s %s: status %ld", cases[i][0], cases[i][1], r.status);
        char allow[128];
        assert_true(header_value(&r, "Allow", allow, sizeof allow));
        assert_non_null(strstr(allow, "GET"));
        json_t *j = json_loadb(r.body, r.len, 0, NULL);
        assert_non_null(j);
        assert_error_code(j, "method_not_allowed");
        json_decref(j);
        resp_free(&r);
    }
}

static void expect_too_large(const char *body, size_t len, struct curl_slist *hdrs)
{
    resp r;
    CURLcode rc = http_req("POST", "/api/v1/stats", body, len, hdrs, &r);
    if (rc != CURLE_OK) fail_msg("POST of %zu bytes: curl error %s", len, curl_easy_strerror(rc));
    if (r.status != 413) fail_msg("POST of %zu bytes: status %ld", len, r.status);
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    assert_non_null(j);
    assert_error_code(j, "too_large");
    json_decref(j);
    resp_free(&r);
}

static void test_body_too_large(void **state)
{
    (void)state;
    size_t big = 2u * 1024u * 1024u;
    char *body = malloc(big);
    assert_non_null(body);
    memset(body, 'x', big);

    /* announced by Content-Length, just over the limit and far over it;
     * Expect: 100-continue lets the server answer before the body is sent */
    struct curl_slist *expect = curl_slist_append(NULL, "Expect: 100-continue");
    expect_too_large(body, MAX_BODY + 1, expect);
    expect_too_large(body, big, expect);
    curl_slist_free_all(expect);
    /* chunked: no length up front, found out while reading */
    struct curl_slist *chunked = curl_slist_append(NULL, "Transfer-Encoding: chunked");
    expect_too_large(body, 8 * MAX_BODY, chunked);
    curl_slist_free_all(chunked);
    free(body);

    /* at the limit, the body is accepted and the route answers */
    char *ok = malloc(MAX_BODY);
    assert_non_null(ok);
    memset(ok, 'y', MAX_BODY);
    resp r;
    assert_int_equal(http_req("POST", "/api/v1/stats", ok, MAX_BODY, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 405);
    resp_free(&r);
    free(ok);

    assert_healthy();
}

/* Run every transfer added to m to its end. */
static void multi_run(CURLM *m)
{
    int running = 1;
    while (running) {
        assert_int_equal(curl_multi_perform(m, &running), CURLM_OK);
        if (running) assert_int_equal(curl_multi_poll(m, NULL, 0, 1000, NULL), CURLM_OK);
    }
}

/* Transfer i of a multi run, h with its response r: the status must be 200
 * and the body JSON, which is returned (the caller decrefs it); h is
 * removed from m and cleaned up, r freed. */
static json_t *multi_take_json(CURLM *m, CURL *h, resp *r, int i)
{
    long status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    if (status != 200) fail_msg("request %d: status %ld", i, status);
    json_t *j = json_loadb(r->body, r->len, 0, NULL);
    if (!j) fail_msg("request %d: not JSON", i);
    curl_multi_remove_handle(m, h);
    curl_easy_cleanup(h);
    resp_free(r);
    return j;
}

static void test_many_requests(void **state)
{
    (void)state;
    enum { N = 200 };
    CURLM *m = curl_multi_init();
    assert_non_null(m);
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 8L);
    CURL *h[N];
    resp *r = calloc(N, sizeof *r);
    assert_non_null(r);
    char rec[160];
    snprintf(rec, sizeof rec, "/api/v1/records/%s", fx.record_id);
    struct curl_slist *auth = api_auth_header();
    for (int i = 0; i < N; i++) {
        h[i] = curl_easy_init();
        assert_non_null(h[i]);
        const char *path = i % 3 == 0 ? "/api/v1/stats" : i % 3 == 1 ? rec : "/healthz";
        setup_easy(h[i], path, &r[i]);
        curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, auth);
        curl_easy_setopt(h[i], CURLOPT_PRIVATE, (char *)path);
        curl_multi_add_handle(m, h[i]);
    }
    multi_run(m);
    int done = 0, msgs;
    CURLMsg *msg;
    while ((msg = curl_multi_info_read(m, &msgs)) != NULL) {
        if (msg->msg != CURLMSG_DONE) continue;
        if (msg->data.result != CURLE_OK)
            fail_msg("request failed: %s", curl_easy_strerror(msg->data.result));
        done++;
    }
    assert_int_equal(done, N);
    for (int i = 0; i < N; i++) json_decref(multi_take_json(m, h[i], &r[i], i));
    free(r);
    curl_multi_cleanup(m);
    curl_slist_free_all(auth);
}

static void test_access_log(void **state)
{
    (void)state;
    enum { N = 5 };
    char probe[N][96];
    CURL *h = curl_easy_init();
    assert_non_null(h);
    struct curl_slist *auth = api_auth_header();
    /* One keep-alive connection: the server finishes (and logs) each
     * request before it reads the next one. Lines are buffered and written
     * at least once a second, so the file is read until every probe's line
     * is there (at most 5 s). */
    for (int i = 0; i <= N; i++) {
        resp r = {0};
        if (i < N) snprintf(probe[i], sizeof probe[i], "/access-log-probe-%d-%d", (int)getpid(), i);
        setup_easy(h, i < N ? probe[i] : "/healthz", &r);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, auth);
        assert_int_equal(curl_easy_perform(h), CURLE_OK);
        resp_free(&r);
    }
    curl_easy_cleanup(h);
    curl_slist_free_all(auth);

    size_t len;
    char *text = NULL;
    for (int wait = 0; wait < 50; wait++) {
        free(text);
        text = ctw_test_slurp(g.log, &len);
        if (strstr(text, probe[N - 1]) && len > 0 && text[len - 1] == '\n') break;
        usleep(100 * 1000);
    }
    int seen[N] = {0};
    size_t lines = 0;
    for (char *line = text, *nl; *line; line = nl + 1) {
        nl = strchr(line, '\n');
        if (!nl) fail_msg("access log: last line has no newline");
        *nl = '\0';
        lines++;
        json_error_t je;
        json_t *j = json_loads(line, 0, &je);
        if (!j) fail_msg("access log line is not JSON: %s", line);
        const char *path = json_string_value(json_object_get(j, "path"));
        assert_non_null(path);
        assert_non_null(json_string_value(json_object_get(j, "method")));
        assert_non_null(json_string_value(json_object_get(j, "time")));
        assert_non_null(json_string_value(json_object_get(j, "remote")));
        assert_true(json_is_integer(json_object_get(j, "status")));
        assert_true(json_is_integer(json_object_get(j, "bytes")));
        assert_true(json_is_number(json_object_get(j, "duration_ms")));
        for (int i = 0; i < N; i++) {
            if (strcmp(path, probe[i]) != 0) continue;
            seen[i]++;
            assert_string_equal(json_string_value(json_object_get(j, "method")), "GET");
            assert_int_equal(json_integer_value(json_object_get(j, "status")), 404);
            assert_string_equal(json_string_value(json_object_get(j, "remote")), "127.0.0.1");
            assert_true(json_integer_value(json_object_get(j, "bytes")) > 0);
            const char *t = json_string_value(json_object_get(j, "time"));
            assert_true(strlen(t) >= 20 && t[strlen(t) - 1] == 'Z');
        }
        json_decref(j);
    }
    for (int i = 0; i < N; i++)
        if (seen[i] != 1) fail_msg("access log has %d lines for %s, want 1", seen[i], probe[i]);
    assert_true(lines >= N);
    free(text);
}

static void test_oversized_header(void **state)
{
    (void)state;
    size_t n = 64 * 1024;
    char *cookie = malloc(n + 16);
    assert_non_null(cookie);
    memcpy(cookie, "Cookie: c=", 10);
    memset(cookie + 10, 'z', n);
    cookie[10 + n] = '\0';
    struct curl_slist *hdrs = curl_slist_append(NULL, cookie);
    free(cookie);
    resp r;
    CURLcode rc = http_req(NULL, "/healthz", NULL, 0, hdrs, &r);
    curl_slist_free_all(hdrs);
    /* refused: an error status, or the connection closed without one */
    if (rc == CURLE_OK && r.status != 431 && r.status != 400 && r.status != 413)
        fail_msg("64 KB header: status %ld", r.status);
    resp_free(&r);
    assert_healthy();
}


/* --- screening ------------------------------------------------------------------- */



static void test_screen_one(void **state)
{
    (void)state;
    long before = count_audit("screen");
    json_t *j = post_json("/api/v1/screen", "{\"id\":\"q1\",\"name\":\"Emran Ali\",\"dob\":\"1967-07-04\"}", 200);
    assert_string_equal(json_string_value(json_object_get(j, "id")), "q1");
    json_t *top = json_array_get(json_object_get(j, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "source_id")), "QDi.430");
    assert_string_equal(json_string_value(json_object_get(top, "record")), fx.record_id);
    assert_string_equal(json_string_value(json_object_get(top, "decision")), "alert");
    assert_true(json_array_size(json_object_get(top, "explain")) >= 2);
    json_decref(j);
    /* the answer came after its audit entry was written */
    assert_int_equal(count_audit("screen"), before + 1);
}

static void test_screen_restricted(void **state)
{
    (void)state;
    resp r;
    const char *body = "{\"name\":\"Secretus Hiddenname\"}";
    assert_int_equal(http_req("POST", "/api/v1/screen", body, strlen(body), NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 200);
    assert_null(strstr(r.body, "Secretus")); /* nothing of the record leaks */
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    json_t *top = json_array_get(json_object_get(j, "hits"), 0);
    assert_true(json_is_true(json_object_get(top, "restricted")));
    assert_string_equal(json_string_value(json_object_get(top, "message")), "hit: contact FRA-NCB");
    assert_null(json_object_get(top, "explain"));
    json_decref(j);
    resp_free(&r);
}

static void test_screen_batch(void **state)
{
    (void)state;
    json_t *j = post_json("/api/v1/screen/batch",
                          "{\"queries\":[{\"id\":\"a\",\"name\":\"EMRAAN ALI\"},{\"id\":\"b\",\"name\":\"Zyxw Qvutsr\"}]}",
                          200);
    json_t *res = json_object_get(j, "results");
    assert_int_equal(json_array_size(res), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(res, 0), "id")), "a");
    assert_true(json_array_size(json_object_get(json_array_get(res, 0), "hits")) >= 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(res, 1), "id")), "b");
    assert_int_equal(json_array_size(json_object_get(json_array_get(res, 1), "hits")), 0);
    json_decref(j);
}

/* The audit entry's list of ids starts small and grows (routes.c): a batch
 * whose hits name more than its first 4 KiB of ids still has every one. */
static void test_screen_batch_audits_every_hit(void **state)
{
    (void)state;
    enum { N = 12 };   /* the test server takes bodies of at most 1 KiB */
    char *body = malloc(N * 80 + 32);
    assert_non_null(body);
    size_t o = (size_t)sprintf(body, "{\"queries\":[");
    for (int i = 0; i < N; i++)
        o += (size_t)sprintf(body + o, "%s{\"name\":\"EMRAAN ALI\",\"threshold\":0.01,\"limit\":100}", i ? "," : "");
    sprintf(body + o, "]}");
    long before = count_audit("screen");
    resp rr;
    assert_int_equal(http_req("POST", "/api/v1/screen/batch", body, strlen(body), NULL, &rr), CURLE_OK);
    free(body);
    if (rr.status != 200) fail_msg("status %ld: %.300s", rr.status, rr.body ? rr.body : "");
    json_t *j = json_loadb(rr.body, rr.len, 0, NULL);
    resp_free(&rr);
    assert_non_null(j);
    assert_int_equal(count_audit("screen"), before + 1);
    /* the ids the answer names, in order, as the audit entry should list them */
    size_t want_len = 0, hits = 0, i, k;
    char *want = malloc(1 << 20);
    assert_non_null(want);
    want[0] = '\0';
    json_t *r, *h;
    json_array_foreach(json_object_get(j, "results"), i, r) {
        json_array_foreach(json_object_get(r, "hits"), k, h) {
            want_len += (size_t)sprintf(want + want_len, "%s%s", want_len ? "," : "",
                                        json_string_value(json_object_get(h, "record")));
            hits++;
        }
        json_array_foreach(json_object_get(r, "hits"), k, h) {
            const char *nid = json_string_value(json_object_get(json_object_get(h, "notice"), "id"));
            if (nid) want_len += (size_t)sprintf(want + want_len, ",%s", nid);
        }
    }
    json_decref(j);
    assert_true(hits >= 2 * N);
    assert_true(want_len > 4096);   /* more than the list's first size */
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(g.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT records, detail FROM audit WHERE action='screen' ORDER BY seq DESC LIMIT 1",
                                        -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), want);
    assert_null(strstr((const char *)sqlite3_column_text(st, 1), "cut"));
    sqlite3_finalize(st);
    sqlite3_close(db);
    free(want);
}

/* No answer without its audit entry (server.c, ctw__http_defer_audit): the
 * route's answer waits for the group commit, and when the commit fails the
 * client gets a 500 and nothing of the answer. A trigger makes the store
 * refuse screening entries for the length of the test. */
static void test_screen_answer_needs_audit(void **state)
{
    (void)state;
    long before = count_audit("screen");
    long long hits_before = ctw_test_sql_int(g.db, "SELECT count(*) FROM hits");
    ctw_test_sql_exec(g.db, "CREATE TRIGGER test_refuse_screen BEFORE INSERT ON audit WHEN NEW.action = 'screen' "
                            "BEGIN SELECT RAISE(ABORT, 'test: screening entries refused'); END");
    static const char *const paths[] = {"/api/v1/screen", "/api/v1/screen/batch"};
    static const char *const bodies[] = {"{\"name\":\"Emran Ali\",\"dob\":\"1967-07-04\"}",
                                         "{\"queries\":[{\"name\":\"Emran Ali\"},{\"name\":\"Zyxw Qvutsr\"}]}"};
    for (int i = 0; i < 2; i++) {
        resp r;
        assert_int_equal(http_req("POST", paths[i], bodies[i], strlen(bodies[i]), NULL, &r), CURLE_OK);
        if (r.status != 500) fail_msg("%s with the audit refused: status %ld, body %s", paths[i], r.status, r.body);
        assert_null(strstr(r.body, "QDi.430")); /* nothing of the answer */
        json_t *j = json_loadb(r.body, r.len, 0, NULL);
        assert_error_code(j, "internal");
        json_decref(j);
        resp_free(&r);
    }
    assert_int_equal(count_audit("screen"), before);
    assert_int_equal(ctw_test_sql_int(g.db, "SELECT count(*) FROM hits"), hits_before);
    ctw_test_sql_exec(g.db, "DROP TRIGGER test_refuse_screen");
    json_t *j = post_json("/api/v1/screen", bodies[0], 200);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(j, "hits"), 0), "source_id")),
                        "QDi.430");
    json_decref(j);
    assert_int_equal(count_audit("screen"), before + 1);
}

/* Many screenings at once on many connections: the workers route them, the
 * audit writer commits them in groups, every one is answered and audited. */
static void test_screen_many_at_once(void **state)
{
    (void)state;
    enum { N = 96 };
    long before = count_audit("screen");
    CURLM *m = curl_multi_init();
    assert_non_null(m);
    curl_multi_setopt(m, CURLMOPT_MAX_HOST_CONNECTIONS, 24L);
    CURL *h[N];
    resp *r = calloc(N, sizeof *r);
    assert_non_null(r);
    struct curl_slist *hdrs = api_auth_header();
    hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
    static const char *const names[] = {"Emran Ali", "EMRAAN ALI", "Zyxw Qvutsr", "Usama bin Ladin"};
    char bodies[N][96];
    for (int i = 0; i < N; i++) {
        snprintf(bodies[i], sizeof bodies[i], "{\"id\":\"q%d\",\"name\":\"%s\"}", i, names[i % 4]);
        h[i] = curl_easy_init();
        assert_non_null(h[i]);
        setup_easy(h[i], "/api/v1/screen", &r[i]);
        curl_easy_setopt(h[i], CURLOPT_HTTPHEADER, hdrs);
        curl_easy_setopt(h[i], CURLOPT_POSTFIELDS, bodies[i]);
        curl_multi_add_handle(m, h[i]);
    }
    multi_run(m);
    for (int i = 0; i < N; i++) {
        json_t *j = multi_take_json(m, h[i], &r[i], i);
        char id[16];
        snprintf(id, sizeof id, "q%d", i);
        assert_string_equal(json_string_value(json_object_get(j, "id")), id); /* each got its own answer */
        assert_int_equal(json_array_size(json_object_get(j, "hits")) > 0, i % 4 != 2);
        json_decref(j);
    }
    free(r);
    curl_multi_cleanup(m);
    curl_slist_free_all(hdrs);
    assert_int_equal(count_audit("screen"), before + N);
}

/* Clients that send a screening and hang up at once: the request is still
 * screened and audited (the answer has nowhere to go), the server goes on
 * serving, and it still stops promptly at the end of the suite (a request
 * whose client left while it was routed must not keep the server waiting
 * for it: api_server_stop fails after 30 s). */
static void test_screen_client_hangs_up(void **state)
{
    (void)state;
    enum { N = 16 };
    long before = count_audit("screen");
    const char *body = "{\"name\":\"Emran Ali\"}";
    char req[1024];
    int len = snprintf(req, sizeof req,
                       "POST /api/v1/screen HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer %s\r\n"
                       "Content-Type: application/json\r\nContent-Length: %zu\r\n\r\n%s",
                       g.token, strlen(body), body);
    assert_true(len > 0 && (size_t)len < sizeof req);
    for (int i = 0; i < N; i++) {
        int fd = socket(AF_INET, SOCK_STREAM, 0);
        assert_true(fd >= 0);
        struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)g.port)};
        sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        assert_int_equal(connect(fd, (struct sockaddr *)&sa, sizeof sa), 0);
        assert_int_equal(write(fd, req, (size_t)len), len);
        close(fd);
    }
    /* every one of them reaches the audit log, within seconds */
    long now = before;
    for (int i = 0; i < 1000 && (now = count_audit("screen")) < before + N; i++) {
        struct timespec ten_ms = {0, 10 * 1000 * 1000};
        nanosleep(&ten_ms, NULL);
    }
    assert_int_equal(now, before + N);
    assert_healthy();
    json_t *j = post_json("/api/v1/screen", body, 200);
    json_decref(j);
}

static void test_screen_bad_input(void **state)
{
    (void)state;
    long before = count_audit("screen");
    static const struct { const char *path, *body, *code, *mentions; } cases[] = {
        {"/api/v1/screen", "not json", "invalid", "JSON"},
        {"/api/v1/screen", "{\"dob\":\"1970\"}", "invalid", "name"},
        {"/api/v1/screen", "{\"name\":\"x\",\"nmae\":\"y\"}", "invalid", "nmae"},
        {"/api/v1/screen", "{\"name\":\"x\",\"dob\":\"1970-13-45\"}", "invalid", "dob"},
        {"/api/v1/screen", "{\"name\":\"x\",\"nationality\":\"Atlantis\"}", "invalid", "Atlantis"},
        {"/api/v1/screen", "{\"name\":\"x\",\"limit\":0}", "invalid", "limit"},
        {"/api/v1/screen", "[1,2]", "invalid", "object"},
        {"/api/v1/screen/batch", "{\"queries\":[]}", "invalid", "queries"},
        {"/api/v1/screen/batch", "{\"queries\":[{\"name\":\"a\"},{\"nam\":\"b\"}]}", "invalid", "query 1"},
        {"/api/v1/screen/batch", "{\"queries\":[{\"name\":\"a\"}],\"extra\":1}", "invalid", "extra"},
        {"/api/v1/screen/batch", "{\"queries\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\",\"dob\":\"1967-7-4\"}]}",
         "invalid", "query 2: dob"},
        {"/api/v1/screen", "{\"name\":\"x\",\"gender\":\"mxyz\"}", "invalid", "gender"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        json_t *j = post_json(cases[i].path, cases[i].body, 400);
        assert_error_code(j, cases[i].code);
        const char *msg = json_string_value(json_object_get(json_object_get(j, "error"), "message"));
        if (!strstr(msg, cases[i].mentions)) fail_msg("%s: message '%s' does not mention %s", cases[i].body, msg, cases[i].mentions);
        json_decref(j);
    }
    /* a refused request screened nothing and logged no screening */
    assert_int_equal(count_audit("screen"), before);
    resp r;
    assert_int_equal(http_req("GET", "/api/v1/screen", NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 405);
    char allow[64];
    assert_true(header_value(&r, "Allow", allow, sizeof allow));
    assert_string_equal(allow, "POST");
    resp_free(&r);
    assert_healthy();
}

/* A record written to the store while the server runs is screened within
 * moments: the index follows the store's change feed. */
static void test_screen_follows_store(void **state)
{
    (void)state;
    json_t *j = post_json("/api/v1/screen", "{\"name\":\"Quintus Fabricius Newlylisted\"}", 200);
    assert_int_equal(json_array_size(json_object_get(j, "hits")), 0);
    json_decref(j);
    ctw_store *s = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_store_open(g.db, 0, &s, &err), 0);
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->owner = ctw_record_str(r, "UN-SC");
    r->source = ctw_record_str(r, "test-new");
    r->source_id = ctw_record_str(r, "N1");
    r->created = r->updated = ctw_record_str(r, "2026-11-30T00:00:00Z");
    r->review_date = ctw_record_str(r, "2031-11-30");
    assert_int_equal(ctw_record_make_id(r), 0);
    assert_int_equal(ctw_record_add_name(r, "Quintus Fabricius Newlylisted", CTW_NAME_PRIMARY, NULL), 0);
    /* the record and its published notice in one transaction, as an import does */
    assert_int_equal(ctw_store_begin(s), 0);
    assert_int_equal(ctw_store_put(s, ctw_principal_cli(), r), 0);
    assert_int_equal(ctw_notice_import_publish(s, r->id, "un-special", "inform", "UN-SC", r->created), 0);
    assert_int_equal(ctw_store_commit(s), 0);
    ctw_record_free(r);
    ctw_store_close(s);
    bool found = false;
    for (int i = 0; i < 100 && !found; i++) { /* at most 10 s */
        j = post_json("/api/v1/screen", "{\"name\":\"Quintus Fabricius Newlylisted\"}", 200);
        found = json_array_size(json_object_get(j, "hits")) > 0;
        json_decref(j);
        if (!found) usleep(100 * 1000);
    }
    assert_true(found);
}

/* Screen from several threads while an import of the OFAC list runs into
 * the same store: every request is answered, and what was listed before
 * the import is found throughout. */
typedef struct import_race {
    int done;
    int failures;
    int screens;
} import_race;

static void *race_screener(void *arg)
{
    import_race *r = arg;
    const char *body = "{\"name\":\"EMRAAN ALI\",\"dob\":\"1967-07-04\",\"schema\":\"Person\"}";
    while (!__atomic_load_n(&r->done, __ATOMIC_ACQUIRE)) {
        resp rs;
        bool ok = http_req("POST", "/api/v1/screen", body, strlen(body), NULL, &rs) == CURLE_OK && rs.status == 200 &&
                  rs.body && strstr(rs.body, "QDi.430");
        if (!ok) {
            __atomic_add_fetch(&r->failures, 1, __ATOMIC_RELAXED);
            fprintf(stderr, "race screen failed: status %ld body %.300s\n", rs.status, rs.body ? rs.body : "(none)");
        }
        __atomic_add_fetch(&r->screens, 1, __ATOMIC_RELAXED);
        resp_free(&rs);
    }
    return NULL;
}

static void test_screen_during_import(void **state)
{
    (void)state;
    import_race race = {0};
    pthread_t t[3];
    for (int i = 0; i < 3; i++) assert_int_equal(pthread_create(&t[i], NULL, race_screener, &race), 0);
    ctw_store *s = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_store_open(g.db, 0, &s, &err), 0);
    const char *files[] = {"tests/data/ofac/sdn.csv", "tests/data/ofac/alt.csv", "tests/data/ofac/add.csv"};
    json_t *summary = NULL;
    int rc = ctw_import_files(s, ctw_principal_cli(), CTW_FORMAT_OFAC_CSV, files, 3, NULL, &summary, &err);
    ctw_store_close(s);
    if (rc != 0) fail_msg("import: %s %s", err.where, err.message);
    json_decref(summary);
    /* keep screening until the new index with OFAC is in use */
    bool ofac_seen = false;
    for (int i = 0; i < 600 && !ofac_seen; i++) { /* at most 60 s on a loaded machine */
        json_t *j = post_json("/api/v1/screen", "{\"name\":\"AEROCARIBBEAN AIRLINES\",\"schema\":\"Organization\"}", 200);
        json_t *top = json_array_get(json_object_get(j, "hits"), 0);
        ofac_seen = top && strcmp(json_string_value(json_object_get(top, "source")), "ofac-sdn") == 0;
        json_decref(j);
        if (!ofac_seen) usleep(100 * 1000);
    }
    __atomic_store_n(&race.done, 1, __ATOMIC_RELEASE);
    for (int i = 0; i < 3; i++) pthread_join(t[i], NULL);
    assert_true(ofac_seen);
    assert_int_equal(race.failures, 0);
    assert_true(race.screens > 0);
}

/* --- authentication ------------------------------------------------------------ */

static json_t *reply_json(const resp *r)
{
    json_t *j = json_loadb(r->body ? r->body : "", r->len, 0, NULL);
    if (!j) fail_msg("status %ld, body is not JSON: %s", r->status, r->body ? r->body : "(none)");
    return j;
}

/* Log in through the API; the status must be want. The reply as JSON. */
static json_t *api_login(const char *user, const char *password, long want)
{
    char body[512];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
    resp r;
    assert_int_equal(http_req_as(NULL, "POST", "/api/v1/login", body, strlen(body), NULL, &r), CURLE_OK);
    if (r.status != want) fail_msg("login %s: status %ld, body %s", user, r.status, r.body);
    json_t *j = reply_json(&r);
    resp_free(&r);
    return j;
}

static void add_user(const char *name, const char *agency, ctw_role role, const char *password)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_store_open(g.db, 0, &s, &err), 0);
    if (ctw_auth_user_create(s, ctw_principal_cli(), name, agency, role, password, &err) != 0)
        fail_msg("user %s: %s", name, err.message);
    ctw_store_close(s);
}

static void test_auth_required(void **state)
{
    (void)state;
    long before = count_audit("auth-denied");
    static const char *const paths[] = {"/api/v1/stats", "/api/v1/rules", "/api/v1/nope"};
    for (size_t i = 0; i < sizeof paths / sizeof paths[0]; i++) {
        resp r;
        assert_int_equal(http_req_as(NULL, NULL, paths[i], NULL, 0, NULL, &r), CURLE_OK);
        assert_int_equal(r.status, 401);
        char v[128];
        assert_true(header_value(&r, "WWW-Authenticate", v, sizeof v));
        assert_non_null(strstr(v, "Bearer"));
        json_t *j = reply_json(&r);
        assert_error_code(j, "unauthorized");
        json_decref(j);
        resp_free(&r);
    }
    /* a token that is no session; a screening without any token */
    resp r;
    assert_int_equal(http_req_as("0123456789abcdef0123456789abcdef", NULL, "/api/v1/stats", NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 401);
    resp_free(&r);
    const char *q = "{\"name\":\"EMRAAN ALI\"}";
    assert_int_equal(http_req_as(NULL, "POST", "/api/v1/screen", q, strlen(q), NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 401);
    resp_free(&r);
    assert_int_equal(count_audit("auth-denied"), before + 5);
    assert_healthy();   /* liveness needs no sign-in */
}

static void test_login_logout(void **state)
{
    (void)state;
    add_user("officer.local", "LOCAL", CTW_ROLE_OFFICER, "a long enough passphrase");
    json_t *j = api_login("officer.local", "a long enough passphrase", 200);
    assert_string_equal(json_string_value(json_object_get(j, "role")), "officer");
    assert_string_equal(json_string_value(json_object_get(j, "agency")), "LOCAL");
    assert_int_equal(json_integer_value(json_object_get(j, "idle_timeout_s")), 1800);
    char token[128];
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(j, "token")));
    json_decref(j);
    resp r;
    assert_int_equal(http_req_as(token, NULL, "/api/v1/stats", NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    /* the store keeps only a hash of the token */
    size_t len;
    char *db = ctw_test_slurp(g.db, &len);
    assert_null(memmem(db, len, token, strlen(token)));
    free(db);
    assert_int_equal(http_req_as(token, "POST", "/api/v1/logout", "", 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    assert_int_equal(http_req_as(token, NULL, "/api/v1/stats", NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 401);
    resp_free(&r);
}

/* A screening by a token the server has not checked yet goes to a worker
 * (the store is asked); once the token cache vouches for it, screenings
 * are answered on the connection thread (server.c, route_here). Both give
 * the same answer and each its entry; a token signed out is refused on
 * either. */
static void test_screen_fresh_and_cached_token(void **state)
{
    (void)state;
    add_user("screen.officer", "LOCAL", CTW_ROLE_OFFICER, "a long enough passphrase");
    json_t *j = api_login("screen.officer", "a long enough passphrase", 200);
    char token[128];
    snprintf(token, sizeof token, "%s", json_string_value(json_object_get(j, "token")));
    json_decref(j);
    long before = count_audit("screen");
    const char *body = "{\"id\":\"q7\",\"name\":\"Emran Ali\",\"dob\":\"1967-07-04\"}";
    json_t *answers[3];
    for (int i = 0; i < 3; i++) {
        resp r;
        assert_int_equal(http_req_as(token, "POST", "/api/v1/screen", body, strlen(body), NULL, &r), CURLE_OK);
        assert_int_equal(r.status, 200);
        answers[i] = reply_json(&r);
        resp_free(&r);
        json_t *top = json_array_get(json_object_get(answers[i], "hits"), 0);
        assert_string_equal(json_string_value(json_object_get(top, "record")), fx.record_id);
        assert_string_equal(json_string_value(json_object_get(answers[i], "id")), "q7");
        /* each screening raises its own hit: all else is the same */
        size_t k;
        json_t *h;
        assert_non_null(json_string_value(json_object_get(top, "hit")));
        json_array_foreach(json_object_get(answers[i], "hits"), k, h) json_object_del(h, "hit");
        if (i > 0) assert_true(json_equal(answers[i], answers[0]));
    }
    for (int i = 0; i < 3; i++) json_decref(answers[i]);
    assert_int_equal(count_audit("screen"), before + 3);
    assert_int_equal(ctw_test_sql_int(g.db, "SELECT count(*) FROM (SELECT user FROM audit WHERE action='screen'"
                                            " ORDER BY seq DESC LIMIT 3) WHERE user='screen.officer'"),
                     3);
    resp r;
    assert_int_equal(http_req_as(token, "POST", "/api/v1/logout", "", 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 200);
    resp_free(&r);
    long denied = count_audit("auth-denied");
    assert_int_equal(http_req_as(token, "POST", "/api/v1/screen", body, strlen(body), NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 401);
    resp_free(&r);
    assert_int_equal(count_audit("screen"), before + 3);
    assert_int_equal(count_audit("auth-denied"), denied + 1);
}

static void test_login_refused_alike(void **state)
{
    (void)state;
    add_user("auditor.local", "LOCAL", CTW_ROLE_AUDITOR, "another long passphrase");
    json_t *wrong = api_login("auditor.local", "not the passphrase", 401);
    json_t *unknown = api_login("nobody.at.all", "not the passphrase", 401);
    /* nothing tells an unknown user from a wrong password */
    assert_string_equal(json_string_value(json_object_get(json_object_get(wrong, "error"), "message")),
                        json_string_value(json_object_get(json_object_get(unknown, "error"), "message")));
    assert_string_equal(json_string_value(json_object_get(json_object_get(wrong, "error"), "message")),
                        "invalid credentials");
    json_decref(wrong);
    json_decref(unknown);
    /* malformed bodies are refused, and change nothing */
    static const char *const bad[] = {"{\"username\":\"x\"}", "{\"username\":1,\"password\":\"y\"}",
                                      "{\"username\":\"x\",\"password\":\"y\",\"role\":\"system-admin\"}", "[]"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        resp r;
        assert_int_equal(http_req_as(NULL, "POST", "/api/v1/login", bad[i], strlen(bad[i]), NULL, &r), CURLE_OK);
        assert_int_equal(r.status, 400);
        resp_free(&r);
    }
}

static void test_login_throttled(void **state)
{
    (void)state;
    add_user("supervisor.local", "LOCAL", CTW_ROLE_SUPERVISOR, "the right passphrase here");
    for (int i = 0; i < 5; i++) json_decref(api_login("supervisor.local", "a wrong passphrase", 401));
    /* now even the right password is refused, with the time to wait */
    char body[256];
    snprintf(body, sizeof body, "{\"username\":\"supervisor.local\",\"password\":\"the right passphrase here\"}");
    resp r;
    assert_int_equal(http_req_as(NULL, "POST", "/api/v1/login", body, strlen(body), NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 429);
    char v[32];
    assert_true(header_value(&r, "Retry-After", v, sizeof v));
    assert_true(strtol(v, NULL, 10) > 0);
    resp_free(&r);
}

static void test_screening_key(void **state)
{
    (void)state;
    ctw_store *s = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_store_open(g.db, 0, &s, &err), 0);
    int64_t id = 0;
    char key[CTW_AUTH_TOKEN_SIZE];
    if (ctw_auth_key_create(s, ctw_principal_cli(), "LOCAL", "gate-7", CTW_AUTH_SCOPE_SCREENING, &id, key, &err) != 0)
        fail_msg("key: %s", err.message);
    ctw_store_close(s);
    const char *q = "{\"name\":\"EMRAAN ALI\",\"dob\":\"1967-07-04\"}";
    resp r;
    assert_int_equal(http_req_as(key, "POST", "/api/v1/screen", q, strlen(q), NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(r.body, "QDi.430"));
    resp_free(&r);
    /* a border system's key screens, and does nothing else */
    static const char *const other[] = {"/api/v1/stats", "/api/v1/rules"};
    for (size_t i = 0; i < 2; i++) {
        assert_int_equal(http_req_as(key, NULL, other[i], NULL, 0, NULL, &r), CURLE_OK);
        assert_int_equal(r.status, 403);
        resp_free(&r);
    }
    char rec[160];
    snprintf(rec, sizeof rec, "/api/v1/records/%s", fx.record_id);
    assert_int_equal(http_req_as(key, NULL, rec, NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 403);
    resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_healthz),
        cmocka_unit_test(test_auth_required),
        cmocka_unit_test(test_login_logout),
        cmocka_unit_test(test_login_refused_alike),
        cmocka_unit_test(test_screen_fresh_and_cached_token),
        cmocka_unit_test(test_login_throttled),
        cmocka_unit_test(test_screening_key),
        cmocka_unit_test(test_stats),
        cmocka_unit_test(test_record_by_id),
        cmocka_unit_test(test_record_unknown),
        cmocka_unit_test(test_record_hit_only),
        cmocka_unit_test(test_record_bad_id),
        cmocka_unit_test(test_unknown_route),
        cmocka_unit_test(test_method_not_allowed),
        cmocka_unit_test(test_body_too_large),
        cmocka_unit_test(test_many_requests),
        cmocka_unit_test(test_access_log),
        cmocka_unit_test(test_oversized_header),
        cmocka_unit_test(test_screen_one),
        cmocka_unit_test(test_screen_restricted),
        cmocka_unit_test(test_screen_batch),
        cmocka_unit_test(test_screen_batch_audits_every_hit),
        cmocka_unit_test(test_screen_answer_needs_audit),
        cmocka_unit_test(test_screen_many_at_once),
        cmocka_unit_test(test_screen_client_hangs_up),
        cmocka_unit_test(test_screen_bad_input),
        cmocka_unit_test(test_screen_follows_store),
        cmocka_unit_test(test_screen_during_import),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
