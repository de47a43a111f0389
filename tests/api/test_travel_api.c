/* test_travel_api.c — the travel resources (issue 4) against a real
 * `ctwatch serve`: document checks (one, batch, restricted, bad input, a
 * document reported while the server runs), manifests (JSON and the real
 * GTAS PAXLST), rules (create, version, refuse), movements.
 *
 * The store holds the UN fixture list, the documents of
 * tests/data/travel/documents.csv and one document restricted to its owner.
 */
#include "api_util.h"

#include "ctwatch/border.h"
#include "ctwatch/doccsv.h"
#include "ctwatch/import.h"
#include "ctwatch/store.h"

#define UN_FIXTURE "tests/data/un/consolidated-2026-02-27.xml"
#define DOCS_FIXTURE "tests/data/travel/documents.csv"
#define MAX_BODY (1024 * 1024)

static int store_doc(void *ud, const ctw_doc_row *row, size_t line)
{
    (void)line;
    ctw_store *s = ud;
    ctw_agency a = {.code = row->owner, .name = row->owner, .kind = "ncb"};
    assert_int_equal(ctw_store_ensure_agency(s, &a), 0);
    ctw_document d = {.issuing_state = row->state_norm, .type = row->type, .number = row->number,
                      .number_norm = row->number_norm, .status = ctw_doc_status_name(row->status),
                      .owner = row->owner, .reported = row->reported};
    return ctw_store_put_document(s, ctw_principal_cli(), &d, NULL, NULL);
}

static void build_store(void)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    if (ctw_store_open(g.db, CTW_STORE_CREATE, &s, &err) != 0) fail_msg("store open: %s", err.message);
    const char *files[] = {UN_FIXTURE};
    json_t *summary = NULL;
    if (ctw_import_files(s, ctw_principal_cli(), CTW_FORMAT_UN_XML, files, 1, NULL, &summary, &err) != 0)
        fail_msg("import: %s %s", err.where, err.message);
    json_decref(summary);
    size_t len;
    char *csv = ctw_test_slurp(DOCS_FIXTURE, &len);
    assert_int_equal(ctw_store_begin(s), 0);
    assert_int_equal(ctw_doccsv_parse(csv, len, DOCS_FIXTURE, store_doc, s, &err), 0);
    /* a document BEL-NCB shares with nobody: others learn only whom to call */
    ctw_agency bel = {.code = "BEL-NCB", .name = "NCB Brussels", .country = "BEL", .kind = "ncb"};
    assert_int_equal(ctw_store_ensure_agency(s, &bel), 0);
    ctw_document hidden = {.issuing_state = "BEL", .type = "P", .number = "EM123456", .number_norm = "EM123456",
                           .status = "stolen", .owner = "BEL-NCB", .reported = "2026-02-01",
                           .restriction = {.kind = CTW_RESTRICT_HIT_ONLY}};
    assert_int_equal(ctw_store_put_document(s, ctw_principal_cli(), &hidden, NULL, NULL), 0);
    assert_int_equal(ctw_store_commit(s), 0);
    free(csv);
    ctw_store_close(s);
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

static const char *str_at(json_t *j, const char *key)
{
    return json_string_value(json_object_get(j, key));
}

static void test_document_check(void **state)
{
    (void)state;
    long before = count_audit("check-documents");
    json_t *j = post_json("/api/v1/documents/check", "{\"id\":\"d1\",\"state\":\"UTO\",\"number\":\"L898902C3\"}", 200);
    assert_string_equal(str_at(j, "id"), "d1");
    assert_string_equal(str_at(j, "status"), "stolen");
    json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
    assert_string_equal(str_at(hit, "owner"), "FRA-NCB");
    assert_string_equal(str_at(hit, "number"), "L898902C3");
    json_decref(j);
    j = post_json("/api/v1/documents/check", "{\"state\":\"GB\",\"number\":\"123 456 789\",\"type\":\"P\"}", 200);
    assert_string_equal(str_at(j, "status"), "revoked");
    json_decref(j);
    j = post_json("/api/v1/documents/check", "{\"state\":\"UTO\",\"number\":\"X0000001\"}", 200);
    assert_string_equal(str_at(j, "status"), "none");
    assert_int_equal(json_array_size(json_object_get(j, "hits")), 0);
    json_decref(j);
    assert_int_equal(count_audit("check-documents"), before + 3);
}

static void test_document_check_restricted(void **state)
{
    (void)state;
    json_t *j = post_json("/api/v1/documents/check", "{\"state\":\"BEL\",\"number\":\"EM123456\"}", 200);
    assert_string_equal(str_at(j, "status"), "hit");
    json_t *hit = json_array_get(json_object_get(j, "hits"), 0);
    assert_true(json_is_true(json_object_get(hit, "restricted")));
    assert_string_equal(str_at(hit, "message"), "hit: contact BEL-NCB");
    assert_null(json_object_get(hit, "number"));   /* nothing but whom to contact */
    assert_null(json_object_get(hit, "reported"));
    json_decref(j);
    assert_true(count_audit("read-denied") >= 1);
}

static void test_document_batch(void **state)
{
    (void)state;
    json_t *j = post_json("/api/v1/documents/check/batch",
                          "{\"queries\":[{\"id\":\"a\",\"state\":\"D\",\"number\":\"T22000129\"},"
                          "{\"id\":\"b\",\"state\":\"DEU\",\"number\":\"C01X00T47\"},"
                          "{\"id\":\"c\",\"state\":\"ITA\",\"number\":\"YA0000001\"}]}",
                          200);
    json_t *res = json_object_get(j, "results");
    assert_int_equal(json_array_size(res), 3);
    assert_string_equal(str_at(json_array_get(res, 0), "status"), "stolen-blank");
    assert_string_equal(str_at(json_array_get(res, 1), "status"), "lost");
    assert_string_equal(str_at(json_array_get(res, 2), "status"), "none");
    json_decref(j);
}

static void test_document_bad_input(void **state)
{
    (void)state;
    long before = count_audit("check-documents");
    static const char *const bad[] = {
        "{\"state\":\"UTO\"}",                                    /* no number */
        "{\"state\":\"ZZZ\",\"number\":\"1\"}",                   /* no such state */
        "{\"state\":\"UTO\",\"number\":\"L89#8902\"}",            /* not a document number */
        "{\"state\":\"UTO\",\"number\":\"1\",\"colour\":\"red\"}",/* unknown field */
        "{\"state\":\"UTO\",\"number\":7}",                       /* wrong type */
        "[1,2]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = post_json("/api/v1/documents/check", bad[i], 400);
        assert_error_code(j, "invalid");
        json_decref(j);
    }
    /* one bad query in a batch: nothing is checked */
    json_t *j = post_json("/api/v1/documents/check/batch",
                          "{\"queries\":[{\"state\":\"UTO\",\"number\":\"L898902C3\"},{\"state\":\"UTO\"}]}", 400);
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "query 1"));
    json_decref(j);
    assert_int_equal(count_audit("check-documents"), before);
    resp r;
    assert_int_equal(http_req(NULL, "/api/v1/documents/check", NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 405);
    resp_free(&r);
}

/* A batch over CTW_DOC_BATCH_MAX is refused whole, before anything is checked. */
static void test_document_batch_limit(void **state)
{
    (void)state;
    long before = count_audit("check-documents");
    size_t n = CTW_DOC_BATCH_MAX + 1, cap = n * 48 + 32, used = 0;
    char *body = malloc(cap);
    assert_non_null(body);
    used += (size_t)snprintf(body + used, cap - used, "{\"queries\":[");
    for (size_t i = 0; i < n; i++)
        used += (size_t)snprintf(body + used, cap - used, "%s{\"state\":\"UTO\",\"number\":\"X%zu\"}",
                                 i ? "," : "", i);
    used += (size_t)snprintf(body + used, cap - used, "]}");
    json_t *j = post_json("/api/v1/documents/check/batch", body, 413);
    assert_error_code(j, "too_large");
    json_decref(j);
    free(body);
    assert_int_equal(count_audit("check-documents"), before);
}

/* A document reported while the server runs is found within the refresh. */
static void test_document_follows_store(void **state)
{
    (void)state;
    ctw_store *s = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_store_open(g.db, 0, &s, &err), 0);
    ctw_document d = {.issuing_state = "FRA", .type = "I", .number = "NEW000111", .number_norm = "NEW000111",
                      .status = "lost", .owner = "FRA-NCB", .reported = "2026-11-30"};
    assert_int_equal(ctw_store_begin(s), 0);
    assert_int_equal(ctw_store_put_document(s, ctw_principal_cli(), &d, NULL, NULL), 0);
    assert_int_equal(ctw_store_commit(s), 0);
    ctw_store_close(s);
    const char *status = "none";
    for (int tries = 0; tries < 60 && strcmp(status, "lost") != 0; tries++) {
        json_t *j = post_json("/api/v1/documents/check", "{\"state\":\"FRA\",\"number\":\"NEW000111\"}", 200);
        status = strcmp(str_at(j, "status"), "lost") == 0 ? "lost" : "none";
        json_decref(j);
        if (strcmp(status, "lost") != 0) usleep(100 * 1000);
    }
    assert_string_equal(status, "lost");
}

static json_t *send_file(const char *method, const char *path, const char *file, long want)
{
    size_t len;
    char *body = ctw_test_slurp(file, &len);
    resp r;
    assert_int_equal(http_req(method, path, body, len, NULL, &r), CURLE_OK);
    free(body);
    if (r.status != want) fail_msg("%s %s: status %ld, body %s", method, path, r.status, r.body);
    json_t *j = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
    resp_free(&r);
    assert_non_null(j);
    return j;
}

static void test_rules(void **state)
{
    (void)state;
    json_t *j = send_file("POST", "/api/v1/rules", "tests/data/travel/rule_short_notice_oneway.json", 201);
    const char *id = str_at(j, "id");
    assert_non_null(id);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/rules/%s", id);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 1);
    json_decref(j);
    j = send_file("PUT", path, "tests/data/travel/rule_short_notice_oneway.json", 200);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
    json_decref(j);
    j = get_json(path, 200);
    assert_int_equal(json_integer_value(json_object_get(j, "version")), 2);
    assert_string_equal(str_at(j, "name"), "Short-notice one-way travel to Turkey");
    json_decref(j);
    j = get_json("/api/v1/rules", 200);
    assert_true(json_array_size(json_object_get(j, "rules")) >= 1);
    json_decref(j);
    /* a faulty rule is refused with the path of its fault, and nothing is stored */
    j = post_json("/api/v1/rules",
                  "{\"name\":\"x\",\"when\":{\"all\":[{\"field\":\"traveller.age\",\"op\":\"between\",\"value\":\"old\"}]}}",
                  400);
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")),
                           "when.all[0]"));
    json_decref(j);
    j = get_json("/api/v1/rules/rule-999", 404);
    json_decref(j);
    resp r;
    assert_int_equal(http_req("DELETE", path, NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 405);
    resp_free(&r);
}

static void test_manifest_json(void **state)
{
    (void)state;
    long before = count_audit("screen-manifest");
    json_t *j = send_file("POST", "/api/v1/manifests", "tests/data/travel/manifest_af1234.json", 200);
    json_t *t = json_object_get(j, "travellers");
    assert_int_equal(json_array_size(t), 4);
    json_t *first = json_array_get(t, 0);
    assert_string_equal(str_at(first, "decision"), "alert");
    assert_string_equal(str_at(json_array_get(json_object_get(first, "hits"), 0), "source_id"), "QDi.059");
    json_t *third = json_array_get(t, 2);
    assert_string_equal(str_at(json_array_get(json_object_get(third, "documents"), 0), "status"), "stolen");
    assert_string_equal(str_at(json_object_get(j, "flight"), "flight"), "AF1234");
    assert_int_equal(count_audit("screen-manifest"), before + 1);

    /* the listed traveller's movements, with his companions */
    char path[160];
    snprintf(path, sizeof path, "/api/v1/persons/%s/movements",
             str_at(json_array_get(json_object_get(first, "hits"), 0), "record"));
    json_decref(j);
    j = get_json(path, 200);
    json_t *mv = json_array_get(json_object_get(j, "movements"), 0);
    assert_string_equal(str_at(json_object_get(mv, "movement"), "flight"), "AF1234");
    assert_int_equal(json_array_size(json_object_get(mv, "co_travellers")), 3);
    json_decref(j);
    j = get_json("/api/v1/persons/ctw-nope/movements", 404);
    json_decref(j);
}

static void test_manifest_paxlst(void **state)
{
    (void)state;
    json_t *j = send_file("POST", "/api/v1/manifests", "tests/data/travel/gtas/apis/gtas-loader__Test1.txt", 200);
    assert_int_equal(json_array_size(json_object_get(j, "travellers")), 8);
    assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "summary"), "documents_flagged")), 8);
    assert_true(json_array_size(json_object_get(j, "warnings")) >= 1);
    json_decref(j);
    /* unreadable: the segment and position, 400 */
    const char *bad = "UNA:+.? 'UNB+UNOA:4+X+Y+140202:0600+1'UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'NAD+FL+++DOE:JOHN?";
    j = post_json("/api/v1/manifests", bad, 400);
    assert_error_code(j, "invalid");
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "segment"));
    json_decref(j);
    j = post_json("/api/v1/manifests", "hello", 415);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_document_check),
        cmocka_unit_test(test_document_check_restricted),
        cmocka_unit_test(test_document_batch),
        cmocka_unit_test(test_document_bad_input),
        cmocka_unit_test(test_document_batch_limit),
        cmocka_unit_test(test_document_follows_store),
        cmocka_unit_test(test_rules),
        cmocka_unit_test(test_manifest_json),
        cmocka_unit_test(test_manifest_paxlst),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
