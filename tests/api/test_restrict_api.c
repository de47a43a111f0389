/* test_restrict_api.c — PUT /api/v1/records/{id}/restriction (issue 5)
 * against a real `ctwatch serve`: the owner's supervisor makes a record
 * hit-only, and another agency's screening and reads see only the hit and
 * whom to contact once the index has followed; listing that agency gives
 * it the record back; the other agency cannot change it; bad bodies change
 * nothing.
 *
 * The store holds one person owned by DEU-NCB; users of DEU-NCB and BEL-NCB.
 */
#include "api_util.h"

#include "ctwatch/notice.h"
#include "ctwatch/store.h"

#define MAX_BODY (64 * 1024)
#define NAME "Wendelin Quastorffer"

static char record_id[64];
static char path[128];
static char tok_deu_sup[128], tok_deu_analyst[128], tok_bel_analyst[128], tok_bel_sup[128];

static void build_store(void)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    if (ctw_store_open(g.db, CTW_STORE_CREATE, &s, &err) != 0) fail_msg("store open: %s", err.message);
    ctw_agency deu = {.code = "DEU-NCB", .name = "NCB Wiesbaden", .country = "DEU", .kind = "ncb"};
    ctw_agency bel = {.code = "BEL-NCB", .name = "NCB Brussels", .country = "BEL", .kind = "ncb"};
    assert_int_equal(ctw_store_ensure_agency(s, &deu), 0);
    assert_int_equal(ctw_store_ensure_agency(s, &bel), 0);
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = "deu-national";
    r->source_id = "DEU-1";
    r->owner = "DEU-NCB";
    r->created = r->updated = "2026-03-01T00:00:00Z";
    r->review_date = "2031-03-01";
    r->version = 1;
    ctw_record_make_id(r);
    ctw_record_add_name(r, NAME, CTW_NAME_PRIMARY, NULL);
    assert_int_equal(ctw_store_begin(s), 0);
    assert_int_equal(ctw_store_put(s, ctw_principal_cli(), r), 0);
    /* only records with a published notice are screened (notice.h) */
    assert_int_equal(ctw_notice_import_publish(s, r->id, "national", "monitor", "DEU-NCB", r->created), 0);
    assert_int_equal(ctw_store_commit(s), 0);
    snprintf(record_id, sizeof record_id, "%s", r->id);
    snprintf(path, sizeof path, "/api/v1/records/%s/restriction", r->id);
    ctw_record_free(r);
    api_make_user(s, "sup.deu", "DEU-NCB", CTW_ROLE_SUPERVISOR, tok_deu_sup);
    api_make_user(s, "analyst.deu", "DEU-NCB", CTW_ROLE_ANALYST, tok_deu_analyst);
    api_make_user(s, "analyst.bel", "BEL-NCB", CTW_ROLE_ANALYST, tok_bel_analyst);
    api_make_user(s, "sup.bel", "BEL-NCB", CTW_ROLE_SUPERVISOR, tok_bel_sup);
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

/* The restriction kind as the owner reads it back. */
static const char *stored_kind(char *buf, size_t cap)
{
    char rp[128];
    snprintf(rp, sizeof rp, "/api/v1/records/%s", record_id);
    json_t *j = api_call(tok_deu_analyst, NULL, rp, NULL, 200);
    snprintf(buf, cap, "%s", json_string_value(json_object_get(json_object_get(j, "restriction"), "kind")));
    json_decref(j);
    return buf;
}

/* Screen NAME as BEL-NCB's analyst until the top hit is (not) restricted,
 * up to 6 s: the server's index follows the store's change feed. */
static json_t *screen_until(bool restricted)
{
    const char *body = "{\"name\":\"" NAME "\"}";
    for (int i = 0; i < 60; i++) {
        json_t *j = api_call(tok_bel_analyst, "POST", "/api/v1/screen", body, 200);
        json_t *top = json_array_get(json_object_get(j, "hits"), 0);
        if (top && json_is_true(json_object_get(top, "restricted")) == restricted) return j;
        json_decref(j);
        usleep(100 * 1000);
    }
    fail_msg("screening did not become %s within 6 s", restricted ? "restricted" : "open");
    return NULL;
}

static void test_owner_sets_hit_only(void **state)
{
    (void)state;
    char rp[128], kind[32];
    snprintf(rp, sizeof rp, "/api/v1/records/%s", record_id);
    /* before: BEL-NCB sees the record */
    json_t *j = screen_until(false);
    json_decref(j);
    j = api_call(tok_bel_analyst, NULL, rp, NULL, 200);
    json_decref(j);

    long before = count_audit("restriction-change");
    j = api_call(tok_deu_sup, "PUT", path, "{\"kind\":\"hit-only\"}", 200);
    assert_string_equal(json_string_value(json_object_get(j, "id")), record_id);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "restriction"), "kind")), "hit-only");
    json_decref(j);
    assert_int_equal(count_audit("restriction-change"), before + 1);
    assert_string_equal(stored_kind(kind, sizeof kind), "hit-only");

    /* the other agency learns only that there is a hit and whom to call */
    resp r;
    const char *body = "{\"name\":\"" NAME "\"}";
    j = screen_until(true);
    json_t *top = json_array_get(json_object_get(j, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "message")), "hit: contact DEU-NCB");
    assert_null(json_object_get(top, "name"));
    assert_null(json_object_get(top, "explain"));
    json_decref(j);
    assert_int_equal(http_req_as(tok_bel_analyst, "POST", "/api/v1/screen", body, strlen(body), NULL, &r), CURLE_OK);
    assert_null(strstr(r.body, "Quastorffer"));
    resp_free(&r);
    j = api_call(tok_bel_analyst, NULL, rp, NULL, 403);
    assert_error_code(j, "forbidden");
    assert_non_null(strstr(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "restricted"));
    json_decref(j);
    /* the owner's analyst still reads it */
    j = api_call(tok_deu_analyst, NULL, rp, NULL, 200);
    json_decref(j);

    /* listing BEL-NCB gives it the record back */
    j = api_call(tok_deu_sup, "PUT", path, "{\"kind\":\"agencies\",\"list\":[\"DEU-NCB\",\"BEL-NCB\"]}", 200);
    json_t *res = json_object_get(j, "restriction");
    assert_string_equal(json_string_value(json_object_get(res, "kind")), "agencies");
    assert_int_equal(json_array_size(json_object_get(res, "list")), 2);
    json_decref(j);
    j = api_call(tok_bel_analyst, NULL, rp, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "restriction"), "list")),
                        "DEU-NCB,BEL-NCB");
    json_decref(j);
    j = screen_until(false);
    top = json_array_get(json_object_get(j, "hits"), 0);
    assert_string_equal(json_string_value(json_object_get(top, "record")), record_id);
    assert_non_null(json_object_get(top, "explain"));
    json_decref(j);
}

static void test_refusals_change_nothing(void **state)
{
    (void)state;
    char kind[32];
    json_t *j = api_call(tok_deu_sup, "PUT", path, "{\"kind\":\"all-except\",\"list\":[\"FRA-NCB\"]}", 200);
    json_decref(j);
    long denied = count_audit("restriction-denied");
    long changed = count_audit("restriction-change");

    /* the other agency (even its supervisor) and the owner's analyst */
    j = api_call(tok_bel_sup, "PUT", path, "{\"kind\":\"all\"}", 403);
    assert_error_code(j, "forbidden");
    json_decref(j);
    j = api_call(tok_bel_analyst, "PUT", path, "{\"kind\":\"all\"}", 403);
    json_decref(j);
    j = api_call(tok_deu_analyst, "PUT", path, "{\"kind\":\"all\"}", 403);
    json_decref(j);
    assert_int_equal(count_audit("restriction-denied"), denied + 3);

    /* bad bodies */
    static const char *const bad[] = {
        "{\"kind\":\"all\",\"owner\":\"BEL-NCB\"}",        /* unknown key */
        "{\"kind\":\"everyone\"}",                          /* unknown kind */
        "{\"list\":[\"DEU-NCB\"]}",                         /* no kind */
        "{\"kind\":\"agencies\"}",                          /* list required */
        "{\"kind\":\"agencies\",\"list\":[]}",
        "{\"kind\":\"agencies\",\"list\":\"DEU-NCB\"}",     /* not an array */
        "{\"kind\":\"agencies\",\"list\":[\"deu-ncb\"]}",   /* lower case */
        "{\"kind\":\"agencies\",\"list\":[\"DEU-NCB,BEL-NCB\"]}",
        "{\"kind\":\"agencies\",\"list\":[7]}",
        "{\"kind\":\"hit-only\",\"list\":[\"DEU-NCB\"]}",   /* takes no list */
        "[\"hit-only\"]",
        "not json",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        j = api_call(tok_deu_sup, "PUT", path, bad[i], 400);
        assert_error_code(j, "invalid");
        json_decref(j);
    }
    resp r;
    assert_int_equal(http_req_as(tok_deu_sup, "PUT", path, NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    assert_string_equal(stored_kind(kind, sizeof kind), "all-except");
    assert_int_equal(count_audit("restriction-change"), changed);

    /* unknown record, wrong method; the record route still answers */
    j = api_call(tok_deu_sup, "PUT", "/api/v1/records/no-such-record/restriction", "{\"kind\":\"all\"}", 404);
    assert_error_code(j, "not_found");
    json_decref(j);
    j = api_call(tok_deu_sup, NULL, path, NULL, 405);
    json_decref(j);
    j = api_call(tok_deu_sup, "PUT", "/api/v1/records//restriction", "{\"kind\":\"all\"}", 404);
    json_decref(j);
    assert_int_equal(http_req_as(NULL, "PUT", path, "{\"kind\":\"all\"}", 15, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 401);
    resp_free(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_owner_sets_hit_only),
        cmocka_unit_test(test_refusals_change_nothing),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
