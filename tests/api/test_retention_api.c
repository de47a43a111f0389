/* test_retention_api.c — retention over the API (issue 5) against a real
 * `ctwatch serve`: the owner agency lists the records due, its supervisor
 * extends one (five years from today) and deletes another for real — the
 * record is gone from reads, from screening once the index follows the
 * change feed, from every table and from the store file's bytes, and the
 * audit log keeps only its id, who, when and why. A record of an imported
 * list is deleted by its owner the same way. Refusals and bad bodies change
 * nothing.
 *
 * FRA-NCB owns two persons due (2020) and one due in 2099; DEU-NCB one
 * due; UN-SC one (an imported list).
 */
#include "admin_util.h"

#include "ctwatch/notice.h"
#include "ctwatch/record.h"

#define MAX_BODY (64 * 1024)
#define GONE_NAME "Wendeline Brachvogel-Oszustowicz"
#define KEPT_NAME "Ottokar Brennesselmann"

static char gone[64], kept[64], later[64], deu[64], un[64];

static void put_person(ctw_store *s, const char *owner, const char *source_id, const char *name, const char *review,
                       char *id_out)
{
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = strcmp(owner, "UN-SC") == 0 ? "un-sc" : "national";
    r->source_id = source_id;
    r->owner = owner;
    r->created = r->updated = "2015-03-01T00:00:00Z";
    r->review_date = review;
    r->version = 1;
    ctw_record_make_id(r);
    ctw_record_add_name(r, name, CTW_NAME_PRIMARY, NULL);
    ctw_identifier *i = ctw_record_add_identifier(r);
    i->type = ctw_record_str(r, "passport");
    i->number = ctw_record_str(r, strcmp(name, GONE_NAME) == 0 ? "QZ7781234" : "AB0000001");
    assert_int_equal(ctw_store_put(s, ctw_principal_cli(), r), 0);
    /* screened only with a published notice, as an import gives it */
    assert_int_equal(ctw_notice_import_publish(s, r->id, strcmp(owner, "UN-SC") == 0 ? "un-special" : "national",
                                               "monitor", owner, r->created),
                     0);
    snprintf(id_out, 64, "%s", r->id);
    ctw_record_free(r);
}

static void build_store(void)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    if (ctw_store_open(g.db, CTW_STORE_CREATE, &s, &err) != 0) fail_msg("store open: %s", err.message);
    make_agency(s, "FRA-NCB", "FRA", "europe");
    make_agency(s, "DEU-NCB", "DEU", "europe");
    ctw_agency unsc = {.code = "UN-SC", .name = "UN Security Council", .kind = "international-organisation"};
    assert_int_equal(ctw_auth_agency_add(s, ctw_principal_cli(), &unsc, &err), 0);
    assert_int_equal(ctw_store_begin(s), 0);
    put_person(s, "FRA-NCB", "F-1", GONE_NAME, "2020-01-01", gone);
    put_person(s, "FRA-NCB", "F-2", KEPT_NAME, "2020-02-01", kept);
    put_person(s, "FRA-NCB", "F-3", "Later Laterman", "2099-01-01", later);
    put_person(s, "DEU-NCB", "D-1", "Dietlinde Deutschbein", "2020-03-01", deu);
    put_person(s, "UN-SC", "QDi.901", "Listed Lastperson", "2021-01-01", un);
    assert_int_equal(ctw_store_commit(s), 0);
    make_user(s, "sup.fra", "FRA-NCB", CTW_ROLE_SUPERVISOR);
    make_user(s, "analyst.fra", "FRA-NCB", CTW_ROLE_ANALYST);
    make_user(s, "admin.fra", "FRA-NCB", CTW_ROLE_AGENCY_ADMIN);
    make_user(s, "officer.fra", "FRA-NCB", CTW_ROLE_OFFICER);
    make_user(s, "sup.deu", "DEU-NCB", CTW_ROLE_SUPERVISOR);
    make_user(s, "analyst.deu", "DEU-NCB", CTW_ROLE_ANALYST);
    make_user(s, "root", "FRA-NCB", CTW_ROLE_SYSTEM_ADMIN);
    make_user(s, "sup.un", "UN-SC", CTW_ROLE_SUPERVISOR);
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

static void test_list_reviews(void **state)
{
    (void)state;
    char tok[128];
    static const char *const listers[] = {"sup.fra", "analyst.fra"};
    for (int k = 0; k < 2; k++) {
        login(listers[k], tok);
        json_t *j = call(tok, NULL, "/api/v1/reviews", NULL, 200);
        json_t *list = json_object_get(j, "reviews");
        assert_int_equal(json_array_size(list), 2);   /* FRA-NCB's, due today */
        json_t *first = json_array_get(list, 0);
        assert_string_equal(json_string_value(json_object_get(first, "record")), gone);
        assert_string_equal(json_string_value(json_object_get(first, "name")), GONE_NAME);
        assert_string_equal(json_string_value(json_object_get(first, "review_date")), "2020-01-01");
        assert_string_equal(json_string_value(json_object_get(first, "owner")), "FRA-NCB");
        json_decref(j);
    }
    json_t *j = call(tok, NULL, "/api/v1/reviews?within=36500", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "reviews")), 3);
    json_decref(j);
    j = call(tok, NULL, "/api/v1/reviews?within=36500&limit=1", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "reviews")), 1);
    json_decref(j);
    long listed = count_audit("review-list");
    assert_true(listed >= 4);
    static const char *const bad[] = {"?within=-1", "?within=abc", "?within=36501", "?limit=0", "?limit=10001",
                                      "?within="};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char path[64];
        snprintf(path, sizeof path, "/api/v1/reviews%s", bad[i]);
        j = call(tok, NULL, path, NULL, 400);
        json_decref(j);
    }
    /* an officer, a system administrator: no */
    login("officer.fra", tok);
    refused_unchanged(tok, "GET", "/api/v1/reviews", NULL, 0, 403, "forbidden");
    login("root", tok);
    refused_unchanged(tok, "GET", "/api/v1/reviews", NULL, 0, 403, "forbidden");
    assert_int_equal(count_audit("review-list"), listed);
    j = call(tok, "POST", "/api/v1/reviews", "{}", 405);
    json_decref(j);
}

static void test_extend(void **state)
{
    (void)state;
    char sup[128], analyst[128], sup_deu[128], path[128];
    login("sup.fra", sup);
    login("analyst.fra", analyst);
    login("sup.deu", sup_deu);
    snprintf(path, sizeof path, "/api/v1/records/%s/review", kept);
    const char *body = "{\"decision\":\"extend\",\"reason\":\"the investigation is still open\"}";
    refused_unchanged(analyst, "POST", path, body, 0, 403, "forbidden");
    refused_unchanged(sup_deu, "POST", path, body, 0, 403, "forbidden");
    static const char *const bad[] = {
        "{\"decision\":\"extend\"}",
        "{\"reason\":\"still open\"}",
        "{\"decision\":\"delete\",\"reason\":\"x\"}",
        "{\"decision\":\"extend\",\"reason\":\"\"}",
        "{\"decision\":\"extend\",\"reason\":\"Brennesselmann is still wanted\"}",   /* repeats the name */
        "{\"decision\":\"extend\",\"reason\":\"x\",\"review_date\":\"2099-01-01\"}",
        "{\"decision\":\"extend\",\"reason\":7}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) refused_unchanged(sup, "POST", path, bad[i], 0, 400, "invalid");
    char big[1200];
    int n = snprintf(big, sizeof big, "{\"decision\":\"extend\",\"reason\":\"");
    memset(big + n, 'r', 1025);
    snprintf(big + n + 1025, sizeof big - (size_t)n - 1025, "\"}");
    refused_unchanged(sup, "POST", path, big, 0, 400, "invalid");   /* reason over 1 KiB */
    bad_bodies_unchanged(sup, "POST", path, 20000);
    bad_bodies_unchanged(sup, "POST", path, 100000);                /* over the server's --max-body too */
    refused_unchanged(sup, "POST", "/api/v1/records/ctw-nosuch/review", body, 0, 404, "not_found");

    json_t *j = call(sup, "POST", path, body, 200);
    char want[16];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (tm.tm_mon == 1 && tm.tm_mday == 29) tm.tm_mday = 28;
    tm.tm_year += 5;
    strftime(want, sizeof want, "%Y-%m-%d", &tm);
    assert_string_equal(json_string_value(json_object_get(j, "review_date")), want);
    json_decref(j);
    char *stored = db_text("SELECT review_date FROM records WHERE id=?1", kept);
    assert_string_equal(stored, want);
    free(stored);
    char *audited = db_text("SELECT detail FROM audit WHERE action='review-extend' AND records=?1", kept);
    assert_non_null(strstr(audited, "the investigation is still open"));
    free(audited);
    /* no longer due */
    j = call(analyst, NULL, "/api/v1/reviews", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "reviews")), 1);
    json_decref(j);
}

/* Screen name as DEU-NCB's analyst until there is (not) a hit on id, up to
 * 6 s: the server's index follows the store's change feed. */
static void screen_until(const char *token, const char *name, const char *id, bool present)
{
    char body[256];
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
    for (int i = 0; i < 60; i++) {
        json_t *j = call(token, "POST", "/api/v1/screen", body, 200);
        bool found = false;
        size_t k;
        json_t *h;
        json_array_foreach(json_object_get(j, "hits"), k, h) {
            const char *rec = json_string_value(json_object_get(h, "record"));
            if (rec && strcmp(rec, id) == 0) found = true;
        }
        json_decref(j);
        if (found == present) return;
        usleep(100 * 1000);
    }
    fail_msg("screening %s did not %s within 6 s", name, present ? "find it" : "drop it");
}

/* True if the bytes of s are in the file at path (no file: false). */
static bool file_holds(const char *path, const char *s)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    size_t n = strlen(s), len = 0, cap = 1 << 20, k;
    char *buf = malloc(cap);
    while ((k = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += k;
        if (len == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(fp);
    bool found = memmem(buf, len, s, n) != NULL;
    free(buf);
    return found;
}

static void test_delete(void **state)
{
    (void)state;
    char sup[128], analyst[128], admin[128], sup_deu[128], root[128], analyst_deu[128], path[128], rec[128];
    login("sup.fra", sup);
    login("analyst.fra", analyst);
    login("admin.fra", admin);
    login("sup.deu", sup_deu);
    login("root", root);
    login("analyst.deu", analyst_deu);
    snprintf(path, sizeof path, "/api/v1/records/%s", gone);
    /* before: another agency's screening finds it */
    screen_until(analyst_deu, GONE_NAME, gone, true);
    char wal0[700];
    snprintf(wal0, sizeof wal0, "%s-wal", g.db);
    assert_true(file_holds(g.db, "Brachvogel") || file_holds(wal0, "Brachvogel"));
    const char *body = "{\"reason\":\"retention period over, no open case\"}";
    char *toks[] = {analyst, admin, sup_deu, root};
    for (int i = 0; i < 4; i++) refused_unchanged(toks[i], "DELETE", path, body, 0, 403, "forbidden");
    static const char *const bad[] = {"{}", "{\"reason\":\"\"}", "{\"reason\":\"Wendeline left\"}",
                                      "{\"reason\":\"passport QZ7781234 expired\"}", "{\"reason\":\"x\",\"now\":true}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) refused_unchanged(sup, "DELETE", path, bad[i], 0, 400, "invalid");
    refused_unchanged(sup, "DELETE", path, NULL, 0, 400, "invalid");   /* no body: no reason */
    bad_bodies_unchanged(sup, "DELETE", path, 20000);
    refused_unchanged(sup, "DELETE", "/api/v1/records/ctw-nosuch", body, 0, 404, "not_found");
    refused_unchanged(sup, "DELETE", "/api/v1/records/ctw%0Aforged", body, 0, 400, "invalid");
    refused_unchanged(sup, "POST", "/api/v1/records/a'b/review", "{\"decision\":\"extend\",\"reason\":\"x\"}", 0, 400,
                      "invalid");
    json_t *j = call(sup, "PUT", path, body, 405);
    json_decref(j);

    long deleted = count_audit("record-delete");
    j = call(sup, "DELETE", path, body, 200);
    assert_true(json_is_true(json_object_get(j, "deleted")));
    bool overwritten = json_is_true(json_object_get(j, "storage_overwritten"));
    json_decref(j);
    assert_int_equal(count_audit("record-delete"), deleted + 1);
    /* gone from reads, from the screening index, from every table */
    j = call(sup, NULL, path, NULL, 404);
    json_decref(j);
    screen_until(analyst_deu, GONE_NAME, gone, false);
    char *rows = db_text("SELECT (SELECT count(*) FROM records WHERE id=?1) + (SELECT count(*) FROM names WHERE "
                         "record_id=?1) + (SELECT count(*) FROM identifiers WHERE record_id=?1)",
                         gone);
    assert_string_equal(rows, "0");
    free(rows);
    char *feed = db_text("SELECT count(*) FROM changes WHERE op='delete' AND record_id=?1", gone);
    assert_string_equal(feed, "1");
    free(feed);
    /* the audit keeps the id, who and why; no entry copies the name or number */
    char *entry = db_text("SELECT user || '|' || agency || '|' || detail FROM audit WHERE action='record-delete' AND "
                          "records=?1",
                          gone);
    assert_string_equal(entry, "sup.fra|FRA-NCB|reason: retention period over, no open case");
    free(entry);
    char *copies = db_text("SELECT count(*) FROM audit WHERE instr(detail, 'Brachvogel') OR instr(records, 'Brachvogel')"
                           " OR instr(detail, 'QZ7781234') OR instr(detail, 'Wendeline')",
                           NULL);
    assert_string_equal(copies, "0");
    free(copies);
    /* the bytes: no copy in the file or its log (the server overwrote the
     * freed space and checkpointed the log before it answered) */
    char wal[700];
    snprintf(wal, sizeof wal, "%s-wal", g.db);
    assert_true(overwritten);
    static const char *const traces[] = {"Brachvogel", "Oszustowicz", "QZ7781234"};
    for (size_t i = 0; i < sizeof traces / sizeof traces[0]; i++)
        if (file_holds(g.db, traces[i]) || file_holds(wal, traces[i]))
            fail_msg("the store still holds \"%s\"", traces[i]);
    /* the other records are all there */
    snprintf(rec, sizeof rec, "/api/v1/records/%s", kept);
    j = call(sup, NULL, rec, NULL, 200);
    json_decref(j);
    refused_unchanged(sup, "DELETE", path, body, 0, 404, "not_found");
}

static void test_delete_imported_list_record(void **state)
{
    (void)state;
    char sup[128], sup_un[128], path[128];
    login("sup.fra", sup);
    login("sup.un", sup_un);
    snprintf(path, sizeof path, "/api/v1/records/%s", un);
    const char *body = "{\"reason\":\"removed from the list by the committee\"}";
    refused_unchanged(sup, "DELETE", path, body, 0, 403, "forbidden");
    json_t *j = call(sup_un, NULL, "/api/v1/reviews", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "reviews")), 1);
    json_decref(j);
    j = call(sup_un, "DELETE", path, body, 200);
    json_decref(j);
    char *rows = db_text("SELECT count(*) FROM records WHERE id=?1", un);
    assert_string_equal(rows, "0");
    free(rows);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_reviews),
        cmocka_unit_test(test_extend),
        cmocka_unit_test(test_delete),
        cmocka_unit_test(test_delete_imported_list_record),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
