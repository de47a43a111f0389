/* test_notices_api.c — /api/v1/notices (issue 5) against a real
 * `ctwatch serve`: each endpoint as each role of the owner agency and of
 * another agency, and as a screening key; the lifecycle and its 409s; a
 * hit-only record's notices invisible to others; screening that follows a
 * notice published or cancelled and shows the notice only to whoever may
 * read the record; malformed and oversized bodies; and refused requests
 * that change nothing.
 *
 * The store: DEU-NCB owns an open record and a hit-only one (no notices
 * yet) and BEL-NCB an imported-style record with a published notice.
 */
#include "api_util.h"

#include "ctwatch/notice.h"
#include "ctwatch/store.h"

#define MAX_BODY (64 * 1024)
#define PASSWORD "correct horse battery staple"
#define OPEN_NAME "Ottokar Quellenberger"
#define HIDDEN_NAME "Isidor Verschwiegenmann"

static char open_id[64], hidden_id[64];
enum { DEU_OFF, DEU_ANA, DEU_SUP, DEU_ADM, DEU_AUD, BEL_OFF, BEL_ANA, BEL_SUP, DEU_KEY, N_TOK };
static const struct {
    const char *name, *agency;
    ctw_role role;
} people[] = {
    [DEU_OFF] = {"off.deu", "DEU-NCB", CTW_ROLE_OFFICER},     [DEU_ANA] = {"ana.deu", "DEU-NCB", CTW_ROLE_ANALYST},
    [DEU_SUP] = {"sup.deu", "DEU-NCB", CTW_ROLE_SUPERVISOR},  [DEU_ADM] = {"adm.deu", "DEU-NCB", CTW_ROLE_AGENCY_ADMIN},
    [DEU_AUD] = {"aud.deu", "DEU-NCB", CTW_ROLE_AUDITOR},     [BEL_OFF] = {"off.bel", "BEL-NCB", CTW_ROLE_OFFICER},
    [BEL_ANA] = {"ana.bel", "BEL-NCB", CTW_ROLE_ANALYST},     [BEL_SUP] = {"sup.bel", "BEL-NCB", CTW_ROLE_SUPERVISOR},
};
static char tok[N_TOK][128];

static void put_record(ctw_store *s, const char *owner, const char *sid, const char *name, ctw_restrict_kind rk,
                       bool published, char *id_out)
{
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = "national";
    r->source_id = sid;
    r->owner = owner;
    r->created = r->updated = "2026-03-01T00:00:00Z";
    r->review_date = "2031-03-01";
    r->version = 1;
    r->restriction.kind = rk;
    ctw_record_make_id(r);
    ctw_record_add_name(r, name, CTW_NAME_PRIMARY, NULL);
    assert_int_equal(ctw_store_begin(s), 0);
    assert_int_equal(ctw_store_put(s, ctw_principal_cli(), r), 0);
    if (published)
        assert_int_equal(ctw_notice_import_publish(s, r->id, "national", "monitor", owner, r->created), 0);
    assert_int_equal(ctw_store_commit(s), 0);
    if (id_out) snprintf(id_out, 64, "%s", r->id);
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
    put_record(s, "DEU-NCB", "D1", OPEN_NAME, CTW_RESTRICT_ALL, false, open_id);
    put_record(s, "DEU-NCB", "D2", HIDDEN_NAME, CTW_RESTRICT_HIT_ONLY, false, hidden_id);
    put_record(s, "BEL-NCB", "B1", "Amandus Listenbewohner", CTW_RESTRICT_ALL, true, NULL);
    for (int i = 0; i < DEU_KEY; i++) {
        if (ctw_auth_user_create(s, ctw_principal_cli(), people[i].name, people[i].agency, people[i].role, PASSWORD,
                                 &err) != 0)
            fail_msg("user %s: %s", people[i].name, err.message);
        ctw_principal p = {0};
        ctw_arena a;
        ctw_arena_init(&a);
        char token[CTW_AUTH_TOKEN_SIZE];
        if (ctw_auth_login(s, people[i].name, PASSWORD, NULL, NULL, (int64_t)time(NULL), token, &p, &a, &err) != 0)
            fail_msg("login %s: %s", people[i].name, err.message);
        snprintf(tok[i], sizeof tok[i], "%s", token);
        ctw_arena_free(&a);
    }
    int64_t kid;
    char key[CTW_AUTH_TOKEN_SIZE];
    if (ctw_auth_key_create(s, ctw_principal_cli(), "DEU-NCB", "gate-1", "screening", &kid, key, &err) != 0)
        fail_msg("key: %s", err.message);
    snprintf(tok[DEU_KEY], sizeof tok[DEU_KEY], "%s", key);
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

/* A request as person who; the status must be want; the reply as JSON. */
static json_t *call(int who, const char *method, const char *p, const char *body, long want)
{
    resp r;
    assert_int_equal(http_req_as(tok[who], method, p, body, body ? strlen(body) : 0, NULL, &r), CURLE_OK);
    if (r.status != want)
        fail_msg("%s %s %s as %d: status %ld, want %ld, body %s", method ? method : "GET", p, body ? body : "", who,
                 r.status, want, r.body ? r.body : "");
    json_t *j = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
    if (!j) fail_msg("%s %s: body is not JSON: %s", method ? method : "GET", p, r.body ? r.body : "(none)");
    resp_free(&r);
    return j;
}

static void call_code(int who, const char *method, const char *p, const char *body, long want, const char *code)
{
    json_t *j = call(who, method, p, body, want);
    assert_error_code(j, code);
    json_decref(j);
}

/* The store's notices, counted beside the server (what a refusal must not change). */
static long long notices_where(const char *cond)
{
    char sql[300];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM notices WHERE %s", cond);
    return ctw_test_sql_int(g.db, sql);
}

/* POST a draft on record as who; its id into id. */
static void create_draft(int who, const char *record, const char *kind, const char *action, char *id)
{
    char body[400];
    snprintf(body, sizeof body,
             "{\"record\":\"%s\",\"kind\":\"%s\",\"action\":\"%s\",\"summary\":\"seen in Lyon\","
             "\"valid_until\":\"2099-11-30\"}",
             record, kind, action);
    json_t *j = call(who, "POST", "/api/v1/notices", body, 201);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "draft");
    assert_string_equal(json_string_value(json_object_get(j, "record")), record);
    assert_string_equal(json_string_value(json_object_get(j, "owner")), "DEU-NCB");
    assert_string_equal(json_string_value(json_object_get(j, "valid_until")), "2099-11-30");
    assert_string_equal(json_string_value(json_object_get(j, "created_by")), people[who].name);
    assert_true(json_is_null(json_object_get(j, "published")));
    snprintf(id, CTW_NOTICE_ID_MAX, "%s", json_string_value(json_object_get(j, "id")));
    json_decref(j);
}

static void step_path(char *out, size_t cap, const char *id, const char *step)
{
    snprintf(out, cap, "/api/v1/notices/%s%s%s", id, step ? "/" : "", step ? step : "");
}

static const char *state_of(const char *id, char *buf)
{
    char p[96];
    step_path(p, sizeof p, id, NULL);
    json_t *j = call(DEU_ANA, NULL, p, NULL, 200);
    snprintf(buf, 16, "%s", json_string_value(json_object_get(j, "state")));
    json_decref(j);
    return buf;
}

static void publish_as_owner(const char *record, const char *kind, const char *action, char *id)
{
    char p[96];
    create_draft(DEU_ANA, record, kind, action, id);
    step_path(p, sizeof p, id, "submit");
    json_decref(call(DEU_ANA, "POST", p, NULL, 200));
    step_path(p, sizeof p, id, "publish");
    json_decref(call(DEU_SUP, "POST", p, NULL, 200));
}

static void test_create_by_role(void **state)
{
    (void)state;
    char id[CTW_NOTICE_ID_MAX], body[300];
    snprintf(body, sizeof body, "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"arrest\"}", open_id);
    long long before = notices_where("1");
    /* the agency administrator and the auditor read no records: the role
     * gate refuses them (read-denied) before the notice rules (notice-denied) */
    long long denied = count_audit("notice-denied") + count_audit("read-denied");
    const int refused[] = {DEU_ADM, DEU_AUD, BEL_OFF, BEL_ANA, BEL_SUP};
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++)
        call_code(refused[i], "POST", "/api/v1/notices", body, 403, "forbidden");
    call_code(DEU_KEY, "POST", "/api/v1/notices", body, 403, "forbidden");
    /* another agency cannot even learn of the hit-only record */
    snprintf(body, sizeof body, "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"arrest\"}", hidden_id);
    call_code(BEL_SUP, "POST", "/api/v1/notices", body, 404, "not_found");
    call_code(DEU_SUP, "POST", "/api/v1/notices", "{\"record\":\"nope\",\"kind\":\"red\",\"action\":\"arrest\"}", 404,
              "not_found");
    assert_int_equal(notices_where("1"), before);
    /* seven refusals, and the key refused by the role gate before the store */
    assert_int_equal(count_audit("notice-denied") + count_audit("read-denied"), denied + 8);
    const int allowed[] = {DEU_OFF, DEU_ANA, DEU_SUP};
    long long created = count_audit("notice-create");
    for (size_t i = 0; i < sizeof allowed / sizeof allowed[0]; i++)
        create_draft(allowed[i], open_id, "blue", "locate", id);
    assert_int_equal(notices_where("1"), before + 3);
    assert_int_equal(count_audit("notice-create"), created + 3);
}

static void test_lifecycle_by_role(void **state)
{
    (void)state;
    char id[CTW_NOTICE_ID_MAX], p[96], st[16];
    create_draft(DEU_OFF, open_id, "yellow", "locate", id);
    step_path(p, sizeof p, id, "publish");
    call_code(DEU_SUP, "POST", p, NULL, 409, "conflict");   /* a draft is reviewed first */
    step_path(p, sizeof p, id, "submit");
    const int no_submit[] = {DEU_ADM, DEU_AUD, BEL_OFF, BEL_ANA, BEL_SUP, DEU_KEY};
    for (size_t i = 0; i < sizeof no_submit / sizeof no_submit[0]; i++) call_code(no_submit[i], "POST", p, NULL, 403, "forbidden");
    assert_string_equal(state_of(id, st), "draft");
    json_t *j = call(DEU_OFF, "POST", p, "{}", 200);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "review");
    json_decref(j);
    call_code(DEU_OFF, "POST", p, NULL, 409, "conflict");
    step_path(p, sizeof p, id, "publish");
    const int no_publish[] = {DEU_OFF, DEU_ANA, DEU_ADM, DEU_AUD, BEL_OFF, BEL_ANA, BEL_SUP, DEU_KEY};
    for (size_t i = 0; i < sizeof no_publish / sizeof no_publish[0]; i++) call_code(no_publish[i], "POST", p, NULL, 403, "forbidden");
    assert_string_equal(state_of(id, st), "review");
    j = call(DEU_SUP, "POST", p, NULL, 200);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "published");
    assert_string_equal(json_string_value(json_object_get(j, "published_by")), "sup.deu");
    json_decref(j);
    call_code(DEU_SUP, "POST", p, NULL, 409, "conflict");
    step_path(p, sizeof p, id, "cancel");
    for (size_t i = 0; i < sizeof no_publish / sizeof no_publish[0]; i++)
        call_code(no_publish[i], "POST", p, "{\"reason\":\"x\"}", 403, "forbidden");
    assert_string_equal(state_of(id, st), "published");
    j = call(DEU_SUP, "POST", p, "{\"reason\":\"located and arrested\"}", 200);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "cancelled");
    assert_string_equal(json_string_value(json_object_get(j, "cancel_reason")), "located and arrested");
    json_decref(j);
    call_code(DEU_SUP, "POST", p, NULL, 409, "conflict");
    step_path(p, sizeof p, id, "submit");
    call_code(DEU_OFF, "POST", p, NULL, 409, "conflict");
    /* a draft is cancelled without a body too */
    create_draft(DEU_ANA, open_id, "green", "inform", id);
    step_path(p, sizeof p, id, "cancel");
    json_decref(call(DEU_SUP, "POST", p, NULL, 200));
    call_code(DEU_SUP, "POST", "/api/v1/notices/N-999999/publish", NULL, 404, "not_found");
}

static bool listed(int who, const char *query, const char *id)
{
    char p[256];
    snprintf(p, sizeof p, "/api/v1/notices%s", query);
    json_t *j = call(who, NULL, p, NULL, 200);
    json_t *arr = json_object_get(j, "notices");
    assert_true(json_is_array(arr));
    bool found = false;
    size_t i;
    json_t *n;
    json_array_foreach(arr, i, n) found |= strcmp(json_string_value(json_object_get(n, "id")), id) == 0;
    json_decref(j);
    return found;
}

static void test_visibility_and_lists(void **state)
{
    (void)state;
    char hid[CTW_NOTICE_ID_MAX], oid[CTW_NOTICE_ID_MAX], p[160];
    create_draft(DEU_SUP, hidden_id, "red", "arrest", hid);
    create_draft(DEU_ANA, open_id, "purple", "inform", oid);
    step_path(p, sizeof p, hid, NULL);
    json_decref(call(DEU_OFF, NULL, p, NULL, 200));
    long long denied = count_audit("read-denied");
    for (int who = BEL_OFF; who <= BEL_SUP; who++) {
        call_code(who, NULL, p, NULL, 404, "not_found");
        assert_false(listed(who, "", hid));
        assert_true(listed(who, "", oid));
    }
    assert_int_equal(count_audit("read-denied"), denied + 3);
    char q[128];
    snprintf(q, sizeof q, "?record=%s", hidden_id);
    assert_false(listed(BEL_ANA, q, hid));
    assert_true(listed(DEU_ANA, q, hid));
    assert_true(listed(DEU_ANA, "?state=draft&kind=red", hid));
    assert_false(listed(DEU_ANA, "?state=published", hid));
    assert_false(listed(DEU_ANA, "?kind=blue", hid));
    /* the cursor: after the hidden notice's own number, it is not listed */
    snprintf(q, sizeof q, "?after=%s", hid);
    assert_false(listed(DEU_ANA, q, hid));
    assert_true(listed(DEU_ANA, q, oid));
    json_t *j = call(DEU_ANA, NULL, "/api/v1/notices?limit=1", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "notices")), 1);
    json_decref(j);
    /* a screening key reads no notices; auditors read them like any reader */
    call_code(DEU_KEY, NULL, "/api/v1/notices", NULL, 403, "forbidden");
    call_code(DEU_KEY, NULL, p, NULL, 403, "forbidden");
    const char *bad[] = {"?state=lost", "?kind=pink", "?limit=0", "?limit=1001", "?limit=x", "?after=-1",
                         "?colour=red", "?state="};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(q, sizeof q, "/api/v1/notices%s", bad[i]);
        call_code(DEU_ANA, NULL, q, NULL, 400, "invalid");
    }
    call_code(DEU_ANA, NULL, "/api/v1/notices/N-424242", NULL, 404, "not_found");
    call_code(DEU_ANA, NULL, "/api/v1/notices/bogus", NULL, 404, "not_found");
    call_code(DEU_ANA, NULL, "/api/v1/notices/N-1/frobnicate", NULL, 404, "not_found");
    call_code(DEU_ANA, "PUT", "/api/v1/notices", "{}", 405, "method_not_allowed");
    call_code(DEU_ANA, "DELETE", p, NULL, 405, "method_not_allowed");
    step_path(p, sizeof p, hid, "submit");
    call_code(DEU_ANA, NULL, p, NULL, 405, "method_not_allowed");
}

/* Screen name as who until its top hit's record is (not) there, up to 10 s:
 * the server's index follows the change feed. Returns the answer. */
static json_t *screen_until(int who, const char *name, const char *record, bool present)
{
    char body[200];
    snprintf(body, sizeof body, "{\"name\":\"%s\"}", name);
    for (int i = 0; i < 100; i++) {
        json_t *j = call(who, "POST", "/api/v1/screen", body, 200);
        json_t *hits = json_object_get(j, "hits");
        bool found = false;
        size_t k;
        json_t *h;
        json_array_foreach(hits, k, h) found |= strcmp(json_string_value(json_object_get(h, "record")), record) == 0;
        if (found == present) return j;
        json_decref(j);
        usleep(100 * 1000);
    }
    fail_msg("screening for %s did not %s the record within 10 s", name, present ? "find" : "lose");
    return NULL;
}

static json_t *hit_of(json_t *answer, const char *record)
{
    size_t k;
    json_t *h;
    json_array_foreach(json_object_get(answer, "hits"), k, h) if (strcmp(json_string_value(json_object_get(h, "record")),
                                                                          record) == 0) return h;
    return NULL;
}

static void test_screening_follows_notices(void **state)
{
    (void)state;
    /* without a published notice the records are not screened */
    json_decref(screen_until(BEL_ANA, OPEN_NAME, open_id, false));
    json_decref(screen_until(DEU_ANA, HIDDEN_NAME, hidden_id, false));
    char oid[CTW_NOTICE_ID_MAX], weak[CTW_NOTICE_ID_MAX], hid[CTW_NOTICE_ID_MAX], p[96];
    publish_as_owner(open_id, "green", "monitor", weak);
    publish_as_owner(open_id, "red", "arrest", oid);
    publish_as_owner(hidden_id, "orange", "inform", hid);
    json_t *j = screen_until(BEL_ANA, OPEN_NAME, open_id, true);
    json_t *n = json_object_get(hit_of(j, open_id), "notice");
    assert_string_equal(json_string_value(json_object_get(n, "id")), oid);   /* the strongest */
    assert_string_equal(json_string_value(json_object_get(n, "kind")), "red");
    assert_string_equal(json_string_value(json_object_get(n, "action")), "arrest");
    json_decref(j);
    /* hit-only: another agency learns whom to contact, not the notice */
    j = screen_until(BEL_ANA, HIDDEN_NAME, hidden_id, true);
    json_t *h = hit_of(j, hidden_id);
    assert_true(json_is_true(json_object_get(h, "restricted")));
    assert_null(json_object_get(h, "notice"));
    char *text = json_dumps(j, 0);
    assert_null(strstr(text, hid));
    assert_null(strstr(text, "orange"));
    free(text);
    json_decref(j);
    j = screen_until(DEU_OFF, HIDDEN_NAME, hidden_id, true);
    assert_string_equal(json_string_value(json_object_get(json_object_get(hit_of(j, hidden_id), "notice"), "id")), hid);
    json_decref(j);
    j = screen_until(DEU_KEY, HIDDEN_NAME, hidden_id, true);  /* the owner's own key */
    assert_string_equal(json_string_value(json_object_get(json_object_get(hit_of(j, hidden_id), "notice"), "kind")),
                        "orange");
    json_decref(j);
    /* cancelled: the record leaves the index once its last notice goes */
    step_path(p, sizeof p, oid, "cancel");
    json_decref(call(DEU_SUP, "POST", p, "{\"reason\":\"arrested\"}", 200));
    j = screen_until(BEL_ANA, OPEN_NAME, open_id, true);
    assert_string_equal(json_string_value(json_object_get(json_object_get(hit_of(j, open_id), "notice"), "id")), weak);
    json_decref(j);
    step_path(p, sizeof p, weak, "cancel");
    json_decref(call(DEU_SUP, "POST", p, NULL, 200));
    json_decref(screen_until(BEL_ANA, OPEN_NAME, open_id, false));
}

static void test_bad_bodies_change_nothing(void **state)
{
    (void)state;
    char b[400];
    long long before = notices_where("1");
    const char *bad[] = {
        "not json", "[1,2]", "\"red\"", "{}", "{\"record\":\"%s\"}", "{\"record\":\"%s\",\"kind\":\"red\"}",
        "{\"record\":\"%s\",\"kind\":\"crimson\",\"action\":\"arrest\"}",
        "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"detain\"}",
        "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"arrest\",\"colour\":\"x\"}",
        "{\"record\":\"%s\",\"kind\":7,\"action\":\"arrest\"}",
        "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"arrest\",\"summary\":[\"a\"]}",
        "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"arrest\",\"valid_until\":\"2020-01-01\"}",
        "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"arrest\",\"valid_until\":\"2099-02-30\"}",
        "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"arrest\",\"valid_until\":\"soon\"}",
        "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"arrest\",\"kind\":\"blue\"}",
        "{\"record\":\"%s\",\"kind\":\"red\\u0000\",\"action\":\"arrest\"}",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(b, sizeof b, bad[i], open_id);
        call_code(DEU_SUP, "POST", "/api/v1/notices", b, 400, "invalid");
    }
    resp r;
    assert_int_equal(http_req_as(tok[DEU_SUP], "POST", "/api/v1/notices", NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 400);
    resp_free(&r);
    /* a summary over 4 KB, and a body over the server's limit */
    size_t big = CTW_NOTICE_SUMMARY_MAX + 200;
    char *body = malloc(big + 200);
    int k = snprintf(body, 200, "{\"record\":\"%s\",\"kind\":\"red\",\"action\":\"arrest\",\"summary\":\"", open_id);
    memset(body + k, 'a', CTW_NOTICE_SUMMARY_MAX + 1);
    snprintf(body + k + CTW_NOTICE_SUMMARY_MAX + 1, 10, "\"}");
    call_code(DEU_SUP, "POST", "/api/v1/notices", body, 413, "too_large");
    free(body);
    size_t huge = MAX_BODY + 1024;
    body = malloc(huge + 1);
    memset(body, ' ', huge);
    body[0] = '{';
    body[huge - 1] = '}';
    body[huge] = '\0';
    assert_int_equal(http_req_as(tok[DEU_SUP], "POST", "/api/v1/notices", body, huge, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 413);
    resp_free(&r);
    free(body);
    assert_int_equal(notices_where("1"), before);

    /* steps: bodies are checked before anything changes */
    char id[CTW_NOTICE_ID_MAX], p[96], st[16];
    create_draft(DEU_ANA, open_id, "black", "inform", id);
    step_path(p, sizeof p, id, "submit");
    call_code(DEU_ANA, "POST", p, "{\"reason\":\"x\"}", 400, "invalid");
    call_code(DEU_ANA, "POST", p, "nope", 400, "invalid");
    assert_string_equal(state_of(id, st), "draft");
    json_decref(call(DEU_ANA, "POST", p, NULL, 200));
    step_path(p, sizeof p, id, "cancel");
    call_code(DEU_SUP, "POST", p, "{\"reason\":5}", 400, "invalid");
    call_code(DEU_SUP, "POST", p, "{\"why\":\"x\"}", 400, "invalid");
    body = malloc(CTW_NOTICE_REASON_MAX + 64);
    k = snprintf(body, 32, "{\"reason\":\"");
    memset(body + k, 'r', CTW_NOTICE_REASON_MAX + 1);
    snprintf(body + k + CTW_NOTICE_REASON_MAX + 1, 10, "\"}");
    call_code(DEU_SUP, "POST", p, body, 413, "too_large");
    free(body);
    assert_string_equal(state_of(id, st), "review");
    assert_int_equal(notices_where("state = 'cancelled' AND kind = 'black'"), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_create_by_role),
        cmocka_unit_test(test_lifecycle_by_role),
        cmocka_unit_test(test_visibility_and_lists),
        cmocka_unit_test(test_screening_follows_notices),
        cmocka_unit_test(test_bad_bodies_change_nothing),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
