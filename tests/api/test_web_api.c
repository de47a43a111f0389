/* test_web_api.c — what the web interface asks of the API (issue 6):
 * GET /api/v1/me, and GET /api/v1/search ranked and explained through the
 * screening index with each hit's notice and the records' notices, with the same access checks (a hit-only record of
 * another agency is a hit and whom to contact, nothing more) and one audit
 * entry per search; bad parameters are refused and leave no entry.
 *
 * The store: an open person and a hit-only person, both owned by DEU-NCB;
 * an analyst of DEU-NCB and one of BEL-NCB.
 */
#include "api_util.h"

#include "ctwatch/notice.h"
#include "ctwatch/store.h"

#define MAX_BODY (64 * 1024)
#define OPEN_NAME "Wendelin Quastorffer"
#define HIDDEN_NAME "Eberhard Zwillingsbruder"

static char open_id[64], hidden_id[64];
static char tok_deu[128], tok_bel[128], tok_auditor[128];

static void put_person(ctw_store *s, const char *source_id, const char *name, char *id_out)
{
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = "deu-national";
    r->source_id = source_id;
    r->owner = "DEU-NCB";
    r->created = r->updated = "2026-03-01T00:00:00Z";
    r->review_date = "2031-03-01";
    r->version = 1;
    ctw_record_make_id(r);
    ctw_record_add_name(r, name, CTW_NAME_PRIMARY, NULL);
    assert_int_equal(ctw_store_begin(s), 0);
    assert_int_equal(ctw_store_put(s, ctw_principal_cli(), r), 0);
    /* only records with a published notice are screened (notice.h) */
    assert_int_equal(ctw_notice_import_publish(s, r->id, "national", "monitor", "DEU-NCB", r->created), 0);
    assert_int_equal(ctw_store_commit(s), 0);
    snprintf(id_out, 64, "%s", r->id);
    ctw_record_free(r);
}

static void build_store(void)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    if (ctw_store_open(g.db, CTW_STORE_CREATE, &s, &err) != 0) fail_msg("store open: %s", err.message);
    ctw_agency deu = {.code = "DEU-NCB", .name = "NCB Wiesbaden", .country = "DEU", .kind = "ncb"};
    ctw_agency bel = {.code = "BEL-NCB", .name = "NCB Brussels", .country = "BEL", .kind = "ncb"};
    assert_int_equal(ctw_store_ensure_agency(s, &deu), 0);
    assert_int_equal(ctw_store_ensure_agency(s, &bel), 0);
    put_person(s, "DEU-1", OPEN_NAME, open_id);
    put_person(s, "DEU-2", HIDDEN_NAME, hidden_id);
    ctw_restriction hit_only = {.kind = CTW_RESTRICT_HIT_ONLY};
    if (ctw_store_set_restriction(s, ctw_principal_cli(), hidden_id, &hit_only, &err) != 0)
        fail_msg("restrict: %s", err.message);
    api_make_user(s, "analyst.deu", "DEU-NCB", CTW_ROLE_ANALYST, tok_deu);
    api_make_user(s, "analyst.bel", "BEL-NCB", CTW_ROLE_ANALYST, tok_bel);
    api_make_user(s, "auditor.bel", "BEL-NCB", CTW_ROLE_AUDITOR, tok_auditor);
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

/* A GET (method NULL) or another bodiless request as token; the status must be want. */
static json_t *call(const char *token, const char *method, const char *p, long want)
{
    return api_call(token, method, p, NULL, want);
}

static void test_me(void **state)
{
    (void)state;
    json_t *j = call(tok_bel, NULL, "/api/v1/me", 200);
    assert_string_equal(json_string_value(json_object_get(j, "user")), "analyst.bel");
    assert_string_equal(json_string_value(json_object_get(j, "agency")), "BEL-NCB");
    assert_string_equal(json_string_value(json_object_get(j, "role")), "analyst");
    assert_true(json_is_array(json_object_get(j, "regions")));
    json_decref(j);
    j = call("not-a-token", NULL, "/api/v1/me", 401);
    assert_error_code(j, "unauthorized");
    json_decref(j);
    j = call(tok_bel, "POST", "/api/v1/me", 405);
    json_decref(j);
}

static void test_search_ranked_explained_audited(void **state)
{
    (void)state;
    long before = count_audit("search");
    /* misspelled */
    json_t *j = call(tok_bel, NULL, "/api/v1/search?q=Wendelin%20Quastorfer", 200);
    json_t *top = json_array_get(json_object_get(j, "records"), 0);
    assert_non_null(top);
    assert_string_equal(json_string_value(json_object_get(top, "record")), open_id);
    assert_string_equal(json_string_value(json_object_get(top, "name")), OPEN_NAME);
    assert_true(json_is_array(json_object_get(top, "explain")));
    assert_true(json_real_value(json_object_get(top, "score")) > 0.6);
    assert_int_equal(json_array_size(json_object_get(j, "documents")), 0);
    /* the hit's notice, and the record's notices */
    assert_string_equal(json_string_value(json_object_get(json_object_get(top, "notice"), "kind")), "national");
    json_t *n = json_array_get(json_object_get(j, "notices"), 0);
    assert_non_null(n);
    assert_string_equal(json_string_value(json_object_get(n, "record")), open_id);
    assert_string_equal(json_string_value(json_object_get(n, "action")), "monitor");
    json_decref(j);
    /* notices by kind */
    j = call(tok_bel, NULL, "/api/v1/search?q=national", 200);
    assert_int_equal(json_array_size(json_object_get(j, "notices")), 1); /* not the hit-only record's */
    json_decref(j);
    j = call(tok_deu, NULL, "/api/v1/search?q=national", 200);
    assert_int_equal(json_array_size(json_object_get(j, "notices")), 2);
    json_decref(j);
    assert_int_equal(count_audit("search"), before + 3);
}

static void test_search_hit_only_is_contact_owner(void **state)
{
    (void)state;
    resp r;
    assert_int_equal(http_req_as(tok_bel, NULL, "/api/v1/search?q=Eberhard%20Zwillingsbruder", NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 200);
    /* the name is only in "q", the query echoed, never in a result */
    const char *first = strstr(r.body, "Zwillingsbruder");
    assert_non_null(first);
    assert_null(strstr(first + 1, "Zwillingsbruder"));
    json_t *j = json_loadb(r.body, r.len, 0, NULL);
    resp_free(&r);
    json_t *top = json_array_get(json_object_get(j, "records"), 0);
    assert_non_null(top);
    assert_true(json_is_true(json_object_get(top, "restricted")));
    assert_string_equal(json_string_value(json_object_get(top, "message")), "hit: contact DEU-NCB");
    assert_null(json_object_get(top, "name"));
    assert_null(json_object_get(top, "explain"));
    assert_null(json_object_get(top, "notice"));
    assert_int_equal(json_array_size(json_object_get(j, "notices")), 0);
    json_decref(j);
    /* the owner reads it */
    j = call(tok_deu, NULL, "/api/v1/search?q=Eberhard%20Zwillingsbruder", 200);
    top = json_array_get(json_object_get(j, "records"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "name")), HIDDEN_NAME);
    json_decref(j);
}

static void test_search_refusals(void **state)
{
    (void)state;
    long before = count_audit("search");
    static const char *const bad[] = {"/api/v1/search", "/api/v1/search?q=", "/api/v1/search?q=x&limit=0",
                                      "/api/v1/search?q=x&limit=51", "/api/v1/search?q=x&limit=2x"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *j = call(tok_bel, NULL, bad[i], 400);
        assert_error_code(j, "invalid");
        json_decref(j);
    }
    json_t *j = call(tok_bel, "DELETE", "/api/v1/search?q=x", 405);
    json_decref(j);
    j = call(NULL, NULL, "/api/v1/search?q=x", 401);
    json_decref(j);
    assert_int_equal(count_audit("search"), before);
    /* least privilege: an auditor reads the log, not records (refusal audited) */
    long denied = count_audit("read-denied");
    j = call(tok_auditor, NULL, "/api/v1/search?q=Wendelin%20Quastorffer", 403);
    assert_error_code(j, "forbidden");
    json_decref(j);
    assert_int_equal(count_audit("read-denied"), denied + 1);
    j = call(tok_auditor, NULL, "/api/v1/me", 200);
    json_decref(j);
    /* a query with no letters is not an error: nothing found */
    j = call(tok_bel, NULL, "/api/v1/search?q=%21%21%21", 200);
    assert_int_equal(json_array_size(json_object_get(j, "records")), 0);
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_me),
        cmocka_unit_test(test_search_ranked_explained_audited),
        cmocka_unit_test(test_search_hit_only_is_contact_owner),
        cmocka_unit_test(test_search_refusals),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
