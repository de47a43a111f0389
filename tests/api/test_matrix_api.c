/* test_matrix_api.c — the permission matrix of issue 5, against a real
 * `ctwatch serve`: every endpoint × every role of three agencies (and a
 * border system's key) × every restriction kind, each answer compared with
 * an oracle written here from DESIGN.md §5 — not from the code under test.
 *
 * The world: FRA-NCB and DEU-NCB in region "europe", KEN-NCB in
 * "east-africa". FRA-NCB owns one person and one stolen passport per
 * restriction kind: all, regions [europe], agencies [DEU-NCB], all-except
 * [DEU-NCB], hit-only. Each agency has one user of each role.
 *
 * Where the oracle says the caller may only learn that there is a hit, the
 * answer must name the owner and must not contain the person's name or
 * the document's number; where it says the role may not act at all, the
 * answer is 403 whatever record is named, so it says nothing of the record.
 */
#include "api_util.h"

#include "ctwatch/notice.h"
#include "ctwatch/store.h"

#define MAX_BODY (64 * 1024)
#define PASSWORD "correct horse battery staple"

enum { N_AGENCIES = 3, N_ROLES = 6, N_KINDS = 5 };

static const char *const agencies[N_AGENCIES] = {"FRA-NCB", "DEU-NCB", "KEN-NCB"};
static const char *const agency_regions[N_AGENCIES] = {"europe", "europe", "east-africa"};
static const char *const agency_short[N_AGENCIES] = {"fra", "deu", "ken"};
static const ctw_role roles[N_ROLES] = {CTW_ROLE_OFFICER,      CTW_ROLE_ANALYST, CTW_ROLE_SUPERVISOR,
                                        CTW_ROLE_AGENCY_ADMIN, CTW_ROLE_AUDITOR, CTW_ROLE_SYSTEM_ADMIN};

/* One restricted person and one restricted document per kind, all FRA-NCB's. */
static const struct {
    ctw_restrict_kind kind;
    const char *list;
    const char *name;       /* invented: no list holds these */
    const char *doc_number; /* French passport numbers, invented */
} subjects[N_KINDS] = {
    {CTW_RESTRICT_ALL, NULL, "Aurelien Vantrabosque", "MX4Q00001"},
    {CTW_RESTRICT_REGIONS, "europe", "Bastide Quenorrault", "MX4Q00002"},
    {CTW_RESTRICT_AGENCIES, "DEU-NCB", "Corentin Malbuquerre", "MX4Q00003"},
    {CTW_RESTRICT_ALL_EXCEPT, "DEU-NCB", "Dagobert Frinqueville", "MX4Q00004"},
    {CTW_RESTRICT_HIT_ONLY, NULL, "Evariste Pontgrolleau", "MX4Q00005"},
};

static char record_ids[N_KINDS][64];
static char tokens[N_AGENCIES][N_ROLES][CTW_AUTH_TOKEN_SIZE];
static char key_deu[CTW_AUTH_TOKEN_SIZE]; /* DEU-NCB's border system */

/* --- the oracle (DESIGN.md §5) --------------------------------------------------- */

typedef enum { SEE_NOTHING, SEE_HIT_ONLY, SEE_ALL } sight;

static bool role_reads(ctw_role r)
{
    return r == CTW_ROLE_OFFICER || r == CTW_ROLE_ANALYST || r == CTW_ROLE_SUPERVISOR || r == CTW_ROLE_SYSTEM_ADMIN;
}

/* What a user of agency a with role r sees of FRA-NCB's subject k. */
static sight oracle_sight(int a, ctw_role r, int k)
{
    if (!role_reads(r)) return SEE_NOTHING;
    if (r == CTW_ROLE_SYSTEM_ADMIN || a == 0) return SEE_ALL;
    bool deu = a == 1, in_europe = a != 2;
    switch (subjects[k].kind) {
    case CTW_RESTRICT_ALL: return SEE_ALL;
    case CTW_RESTRICT_REGIONS: return in_europe ? SEE_ALL : SEE_HIT_ONLY;
    case CTW_RESTRICT_AGENCIES: return deu ? SEE_ALL : SEE_HIT_ONLY;
    case CTW_RESTRICT_ALL_EXCEPT: return deu ? SEE_HIT_ONLY : SEE_ALL;
    case CTW_RESTRICT_HIT_ONLY: return SEE_HIT_ONLY;
    }
    return SEE_NOTHING;
}

/* May a user of agency a with role r change who sees FRA-NCB's records? */
static bool oracle_restricts(int a, ctw_role r)
{
    return r == CTW_ROLE_SYSTEM_ADMIN || (a == 0 && r == CTW_ROLE_SUPERVISOR);
}

static bool oracle_rules_read(ctw_role r) { return role_reads(r); }
static bool oracle_rules_write(ctw_role r)
{
    return r == CTW_ROLE_ANALYST || r == CTW_ROLE_SUPERVISOR || r == CTW_ROLE_SYSTEM_ADMIN;
}
static bool oracle_audit(ctw_role r) { return r == CTW_ROLE_AUDITOR || r == CTW_ROLE_SYSTEM_ADMIN; }
/* bulk disclosure is analysis work */
static bool oracle_export(ctw_role r)
{
    return r == CTW_ROLE_ANALYST || r == CTW_ROLE_SUPERVISOR || r == CTW_ROLE_SYSTEM_ADMIN;
}

/* --- the world ---------------------------------------------------------------------- */

static void build_store(void)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    if (ctw_store_open(g.db, CTW_STORE_CREATE, &s, &err) != 0) fail_msg("store open: %s", err.message);
    for (int a = 0; a < N_AGENCIES; a++) {
        ctw_agency ag = {.code = agencies[a], .name = agencies[a], .kind = "ncb", .regions = agency_regions[a]};
        if (ctw_auth_agency_add(s, ctw_principal_cli(), &ag, &err) != 0) fail_msg("agency: %s", err.message);
    }
    assert_int_equal(ctw_store_begin(s), 0);
    for (int k = 0; k < N_KINDS; k++) {
        ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
        char sid[16];
        snprintf(sid, sizeof sid, "FRA-%d", k + 1);
        r->source = "fra-national";
        r->source_id = sid;
        r->owner = "FRA-NCB";
        r->created = r->updated = "2026-03-01T00:00:00Z";
        r->review_date = "2031-03-01";
        r->version = 1;
        r->restriction = (ctw_restriction){.kind = subjects[k].kind, .list = subjects[k].list};
        ctw_record_make_id(r);
        ctw_record_add_name(r, subjects[k].name, CTW_NAME_PRIMARY, NULL);
        assert_int_equal(ctw_store_put(s, ctw_principal_cli(), r), 0);
        /* only records with a published notice are screened */
        assert_int_equal(ctw_notice_import_publish(s, r->id, "national", "monitor", "FRA-NCB", r->created), 0);
        snprintf(record_ids[k], sizeof record_ids[k], "%s", r->id);
        ctw_record_free(r);

        ctw_document d = {.issuing_state = "FRA", .type = "P", .number = subjects[k].doc_number,
                          .number_norm = subjects[k].doc_number, .status = "stolen", .owner = "FRA-NCB",
                          .reported = "2026-02-01",
                          .restriction = {.kind = subjects[k].kind, .list = subjects[k].list}};
        assert_int_equal(ctw_store_put_document(s, ctw_principal_cli(), &d, NULL, NULL), 0);
    }
    assert_int_equal(ctw_store_commit(s), 0);

    for (int a = 0; a < N_AGENCIES; a++)
        for (int r = 0; r < N_ROLES; r++) {
            char name[64];
            snprintf(name, sizeof name, "%s.%s", ctw_role_name(roles[r]), agency_short[a]);
            if (ctw_auth_user_create(s, ctw_principal_cli(), name, agencies[a], roles[r], PASSWORD, &err) != 0)
                fail_msg("user %s: %s", name, err.message);
            ctw_principal p = {0};
            ctw_arena ar;
            ctw_arena_init(&ar);
            if (ctw_auth_login(s, name, PASSWORD, NULL, NULL, (int64_t)time(NULL), tokens[a][r], &p, &ar, &err) != 0)
                fail_msg("login %s: %s", name, err.message);
            ctw_arena_free(&ar);
        }
    if (ctw_auth_key_create(s, ctw_principal_cli(), "DEU-NCB", "gate-7", NULL, NULL, key_deu, &err) != 0)
        fail_msg("key: %s", err.message);
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

/* --- helpers ----------------------------------------------------------------------- */

typedef struct answer {
    long status;
    json_t *json; /* NULL when the body is not JSON */
    char *raw;
} answer;

static answer ask(const char *token, const char *method, const char *path, const char *body)
{
    resp r;
    assert_int_equal(http_req_as(token, method, path, body, body ? strlen(body) : 0, NULL, &r), CURLE_OK);
    answer a = {.status = r.status, .raw = r.body ? r.body : strdup("")};
    a.json = json_loadb(a.raw, strlen(a.raw), 0, NULL);
    r.body = NULL;
    resp_free(&r);
    return a;
}

static void answer_free(answer *a)
{
    json_decref(a->json);
    free(a->raw);
}

/* Fail with the whole cell of the matrix when a check does not hold. */
#define EXPECT(cond, a, r, what, ans)                                                                         \
    do {                                                                                                      \
        if (!(cond))                                                                                          \
            fail_msg("%s as %s of %s: %s (status %ld, body %.300s)", what, ctw_role_name(roles[r]),          \
                     (a) < 0 ? "key" : agencies[a], #cond, (ans).status, (ans).raw);                          \
    } while (0)

static bool mentions(const answer *ans, const char *text) { return strstr(ans->raw, text) != NULL; }

/* The first hit of a screening or document answer. */
static json_t *first_hit(const answer *ans, const char *array_path)
{
    json_t *x = ans->json;
    if (strcmp(array_path, "results") == 0) x = json_array_get(json_object_get(x, "results"), 0);
    return json_array_get(json_object_get(x, "hits"), 0);
}

/* --- the matrix ------------------------------------------------------------------- */

/* GET /api/v1/records/{id} and /api/v1/persons/{id}/movements. */
static void test_read_record(void **state)
{
    (void)state;
    for (int a = 0; a < N_AGENCIES; a++)
        for (int r = 0; r < N_ROLES; r++)
            for (int k = 0; k < N_KINDS; k++) {
                char path[512];
                sight want = oracle_sight(a, roles[r], k);
                snprintf(path, sizeof path, "/api/v1/records/%s", record_ids[k]);
                answer ans = ask(tokens[a][r], NULL, path, NULL);
                if (want == SEE_ALL) {
                    EXPECT(ans.status == 200 && mentions(&ans, subjects[k].name), a, r, path, ans);
                } else if (want == SEE_HIT_ONLY) {
                    EXPECT(ans.status == 403 && mentions(&ans, "contact FRA-NCB"), a, r, path, ans);
                    EXPECT(!mentions(&ans, subjects[k].name), a, r, path, ans);
                } else {
                    /* the role reads nothing: the same answer for every record */
                    EXPECT(ans.status == 403 && !mentions(&ans, "FRA-NCB"), a, r, path, ans);
                    EXPECT(!mentions(&ans, subjects[k].name), a, r, path, ans);
                }
                answer_free(&ans);

                snprintf(path, sizeof path, "/api/v1/persons/%s/movements", record_ids[k]);
                ans = ask(tokens[a][r], NULL, path, NULL);
                EXPECT(ans.status == (want == SEE_ALL ? 200 : 403), a, r, path, ans);
                EXPECT(!mentions(&ans, subjects[k].name), a, r, path, ans);
                answer_free(&ans);
            }
}

/* PUT /api/v1/records/{id}/restriction: each record is set to the
 * restriction it already has, so an allowed call changes nothing a later
 * row depends on; a refused one must change nothing at all. */
static void test_restrict(void **state)
{
    (void)state;
    long denied = count_audit("restriction-denied");
    long refused = 0;
    for (int a = 0; a < N_AGENCIES; a++)
        for (int r = 0; r < N_ROLES; r++)
            for (int k = 0; k < N_KINDS; k++) {
                char path[512], body[160];
                snprintf(path, sizeof path, "/api/v1/records/%s/restriction", record_ids[k]);
                if (subjects[k].list)
                    snprintf(body, sizeof body, "{\"kind\":\"%s\",\"list\":[\"%s\"]}",
                             ctw_restrict_kind_name(subjects[k].kind), subjects[k].list);
                else
                    snprintf(body, sizeof body, "{\"kind\":\"%s\"}", ctw_restrict_kind_name(subjects[k].kind));
                answer ans = ask(tokens[a][r], "PUT", path, body);
                if (oracle_restricts(a, roles[r])) {
                    EXPECT(ans.status == 200, a, r, path, ans);
                } else {
                    /* never 404 for a record the caller may know of; never the name */
                    EXPECT(ans.status == 403 && !mentions(&ans, subjects[k].name), a, r, path, ans);
                    refused++;
                }
                answer_free(&ans);
            }
    /* every refusal is in the audit log */
    assert_int_equal(count_audit("restriction-denied"), denied + refused);
    /* and the restrictions are as they were */
    for (int k = 0; k < N_KINDS; k++) {
        char path[512];
        snprintf(path, sizeof path, "/api/v1/records/%s", record_ids[k]);
        answer ans = ask(tokens[0][1], NULL, path, NULL);
        assert_int_equal(ans.status, 200);
        const char *kind =
            json_string_value(json_object_get(json_object_get(ans.json, "restriction"), "kind"));
        assert_string_equal(kind, ctw_restrict_kind_name(subjects[k].kind));
        answer_free(&ans);
    }
}

/* GET /api/v1/export: exactly the records the caller may read in full,
 * two to a page so that paging is crossed too. */
static void test_export(void **state)
{
    (void)state;
    for (int a = 0; a < N_AGENCIES; a++)
        for (int r = 0; r < N_ROLES; r++) {
            long exports = count_audit("export"), denied = count_audit("export-denied");
            char path[512] = "/api/v1/export?source=fra-national&limit=2";
            char seen[4096] = "";
            int pages = 0;
            for (;;) {
                answer ans = ask(tokens[a][r], NULL, path, NULL);
                if (!oracle_export(roles[r])) {
                    EXPECT(ans.status == 403, a, r, "GET export", ans);
                    for (int k = 0; k < N_KINDS; k++) EXPECT(!mentions(&ans, subjects[k].name), a, r, "export", ans);
                    answer_free(&ans);
                    break;
                }
                EXPECT(ans.status == 200 && json_array_size(json_object_get(ans.json, "entities")) <= 2, a, r,
                       "GET export", ans);
                pages++;
                strncat(seen, ans.raw, sizeof seen - strlen(seen) - 1);
                const char *next = json_string_value(json_object_get(ans.json, "next"));
                if (next) snprintf(path, sizeof path, "/api/v1/export?source=fra-national&limit=2&after=%s", next);
                answer_free(&ans);
                if (!next) break;
            }
            if (!oracle_export(roles[r])) {
                assert_int_equal(count_audit("export-denied"), denied + 1);
                continue;
            }
            for (int k = 0; k < N_KINDS; k++) {
                bool want = oracle_sight(a, roles[r], k) == SEE_ALL;
                if ((strstr(seen, subjects[k].name) != NULL) != want)
                    fail_msg("export as %s of %s: %s %s", ctw_role_name(roles[r]), agencies[a], subjects[k].name,
                             want ? "missing" : "disclosed");
            }
            assert_int_equal(count_audit("export"), exports + pages);
        }
}

/* Check one screening answer against the oracle. */
static void expect_screen(int a, int r, int k, sight want, const answer *ans, const char *what)
{
    if (want == SEE_NOTHING) {
        EXPECT(ans->status == 403 && !mentions(ans, subjects[k].name), a, r, what, *ans);
        return;
    }
    EXPECT(ans->status == 200, a, r, what, *ans);
    json_t *hit = first_hit(ans, "hits");
    EXPECT(hit != NULL, a, r, what, *ans);
    if (want == SEE_ALL) {
        EXPECT(strcmp(json_string_value(json_object_get(hit, "record")), record_ids[k]) == 0, a, r, what, *ans);
        EXPECT(mentions(ans, subjects[k].name) && !json_is_true(json_object_get(hit, "restricted")), a, r, what,
               *ans);
    } else {
        EXPECT(json_is_true(json_object_get(hit, "restricted")) && mentions(ans, "contact FRA-NCB"), a, r, what,
               *ans);
        EXPECT(!mentions(ans, subjects[k].name), a, r, what, *ans);
    }
}

/* POST /api/v1/screen by every role, and by DEU-NCB's border system. */
static void test_screen(void **state)
{
    (void)state;
    for (int k = 0; k < N_KINDS; k++) {
        char body[160];
        snprintf(body, sizeof body, "{\"name\":\"%s\"}", subjects[k].name);
        for (int a = 0; a < N_AGENCIES; a++)
            for (int r = 0; r < N_ROLES; r++) {
                answer ans = ask(tokens[a][r], "POST", "/api/v1/screen", body);
                expect_screen(a, r, k, oracle_sight(a, roles[r], k), &ans, "POST /api/v1/screen");
                answer_free(&ans);
            }
        /* the key screens as an officer of DEU-NCB would */
        answer ans = ask(key_deu, "POST", "/api/v1/screen", body);
        expect_screen(1, 0, k, oracle_sight(1, CTW_ROLE_OFFICER, k), &ans, "POST /api/v1/screen (key)");
        answer_free(&ans);
    }
}

/* POST /api/v1/documents/check: the same rules for stolen documents. */
static void test_documents(void **state)
{
    (void)state;
    for (int k = 0; k < N_KINDS; k++) {
        char body[160];
        snprintf(body, sizeof body, "{\"state\":\"FRA\",\"number\":\"%s\"}", subjects[k].doc_number);
        for (int a = -1; a < N_AGENCIES; a++)
            for (int r = 0; r < N_ROLES; r++) {
                if (a < 0 && r > 0) break; /* the key: one row */
                const char *tok = a < 0 ? key_deu : tokens[a][r];
                sight want = oracle_sight(a < 0 ? 1 : a, roles[r], k);
                answer ans = ask(tok, "POST", "/api/v1/documents/check", body);
                if (want == SEE_NOTHING) {
                    EXPECT(ans.status == 403 && !mentions(&ans, subjects[k].doc_number), a, r, "doc check", ans);
                    answer_free(&ans);
                    continue;
                }
                EXPECT(ans.status == 200, a, r, "doc check", ans);
                json_t *hit = json_array_get(json_object_get(ans.json, "hits"), 0);
                EXPECT(hit != NULL, a, r, "doc check", ans);
                if (want == SEE_ALL) {
                    const char *st = json_string_value(json_object_get(hit, "status"));
                    EXPECT(st && strcmp(st, "stolen") == 0, a, r, "doc check", ans);
                } else {
                    EXPECT(json_is_true(json_object_get(hit, "restricted")) && mentions(&ans, "contact FRA-NCB"), a,
                           r, "doc check", ans);
                    EXPECT(json_object_get(hit, "status") == NULL, a, r, "doc check", ans);
                }
                answer_free(&ans);
            }
    }
}

/* Rules, audit, statistics and manifests: decided by role alone. */
static void test_role_only_routes(void **state)
{
    (void)state;
    const char *rule = "{\"name\":\"Matrix rule\",\"severity\":\"low\",\"when\":"
                       "{\"field\":\"traveller.nationality\",\"op\":\"in\",\"value\":[\"FRA\"]}}";
    const char *manifest = "{\"flight\":{\"carrier\":\"AF\",\"number\":\"AF1234\",\"origin\":\"CDG\","
                           "\"destination\":\"NBO\",\"departure\":\"2026-12-01T10:30\"},\"travellers\":"
                           "[{\"surname\":\"PONTGROLLEAU\",\"given\":\"EVARISTE\"}]}";
    for (int a = 0; a < N_AGENCIES; a++)
        for (int r = 0; r < N_ROLES; r++) {
            ctw_role role = roles[r];
            answer ans = ask(tokens[a][r], NULL, "/api/v1/rules", NULL);
            EXPECT(ans.status == (oracle_rules_read(role) ? 200 : 403), a, r, "GET rules", ans);
            answer_free(&ans);
            ans = ask(tokens[a][r], "POST", "/api/v1/rules", rule);
            EXPECT(ans.status == (oracle_rules_write(role) ? 201 : 403), a, r, "POST rules", ans);
            answer_free(&ans);
            ans = ask(tokens[a][r], NULL, "/api/v1/audit?limit=1", NULL);
            EXPECT(ans.status == (oracle_audit(role) ? 200 : 403), a, r, "GET audit", ans);
            answer_free(&ans);
            ans = ask(tokens[a][r], NULL, "/api/v1/stats", NULL);
            EXPECT(ans.status == 200, a, r, "GET stats", ans);
            answer_free(&ans);
            ans = ask(tokens[a][r], "POST", "/api/v1/manifests", manifest);
            EXPECT(ans.status == (role_reads(role) ? 200 : 403), a, r, "POST manifests", ans);
            if (ans.status == 200) {
                /* the hit-only person on board: the manifest names no one FRA-NCB hid */
                bool sees = oracle_sight(a, role, 4) == SEE_ALL;
                EXPECT(sees || !mentions(&ans, record_ids[4]) || mentions(&ans, "contact FRA-NCB"), a, r,
                       "POST manifests", ans);
            }
            answer_free(&ans);
        }
}

/* The exchange resources of issue 5, by role: notices and hits name
 * persons (readers only), reviews list the agency's records (its analysts
 * and supervisors), users and keys are administration (and oversight, for
 * auditors), agencies are public to every signed-in user. */
static void test_exchange_routes(void **state)
{
    (void)state;
    for (int a = 0; a < N_AGENCIES; a++)
        for (int r = 0; r < N_ROLES; r++) {
            ctw_role role = roles[r];
            bool reads = role_reads(role);
            bool reviews = role == CTW_ROLE_ANALYST || role == CTW_ROLE_SUPERVISOR;
            bool users = role == CTW_ROLE_AGENCY_ADMIN || role == CTW_ROLE_AUDITOR || role == CTW_ROLE_SYSTEM_ADMIN;
            /* auditors see who holds access (users and keys), never secrets */
            bool keys = users;
            const struct { const char *path; bool ok; } rows[] = {
                {"/api/v1/notices", reads}, {"/api/v1/hits", reads},   {"/api/v1/reviews", reviews},
                {"/api/v1/users", users},   {"/api/v1/keys", keys},    {"/api/v1/agencies", true},
            };
            for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
                answer ans = ask(tokens[a][r], NULL, rows[i].path, NULL);
                EXPECT(ans.status == (rows[i].ok ? 200 : 403), a, r, rows[i].path, ans);
                answer_free(&ans);
            }
            /* the notices of FRA-NCB's records: listed exactly where the record may be read */
            if (!reads) continue;
            answer ans = ask(tokens[a][r], NULL, "/api/v1/notices?limit=100", NULL);
            for (int k = 0; k < N_KINDS; k++) {
                bool want = oracle_sight(a, role, k) == SEE_ALL;
                EXPECT(mentions(&ans, record_ids[k]) == want, a, r, "GET notices", ans);
            }
            answer_free(&ans);
        }
}

/* DELETE /api/v1/records/{id}: only the owner's supervisor, and a refusal
 * deletes nothing; last, since the owner then deletes them all. */
static void test_delete(void **state)
{
    (void)state;
    const char *body = "{\"reason\":\"review: no longer needed\"}";
    for (int a = 0; a < N_AGENCIES; a++)
        for (int r = 0; r < N_ROLES; r++) {
            if (a == 0 && roles[r] == CTW_ROLE_SUPERVISOR) continue;
            for (int k = 0; k < N_KINDS; k++) {
                char path[512];
                snprintf(path, sizeof path, "/api/v1/records/%s", record_ids[k]);
                answer ans = ask(tokens[a][r], "DELETE", path, body);
                EXPECT(ans.status == 403 && !mentions(&ans, subjects[k].name), a, r, "DELETE record", ans);
                answer_free(&ans);
            }
        }
    for (int k = 0; k < N_KINDS; k++) {
        char path[512];
        snprintf(path, sizeof path, "/api/v1/records/%s", record_ids[k]);
        answer ans = ask(tokens[0][1], NULL, path, NULL); /* still there for its owner */
        assert_int_equal(ans.status, 200);
        answer_free(&ans);
        ans = ask(tokens[0][2], "DELETE", path, body);
        EXPECT(ans.status == 200, 0, 2, "DELETE record", ans);
        answer_free(&ans);
        ans = ask(tokens[0][1], NULL, path, NULL);
        assert_int_equal(ans.status, 404);
        answer_free(&ans);
    }
}

/* A border system's key: screening routes only, nothing else. */
static void test_key_scope(void **state)
{
    (void)state;
    static const struct { const char *method, *path, *body; } refused[] = {
        {NULL, "/api/v1/rules", NULL},
        {"POST", "/api/v1/rules", "{}"},
        {NULL, "/api/v1/audit", NULL},
        {NULL, "/api/v1/stats", NULL},
        {NULL, "/api/v1/records/x", NULL},
        {"PUT", "/api/v1/records/x/restriction", "{\"kind\":\"all\"}"},
        {NULL, "/api/v1/persons/x/movements", NULL},
        {NULL, "/api/v1/no-such-route", NULL},
        {NULL, "/api/v1/export", NULL},
    };
    long denied = count_audit("scope-denied") + count_audit("rules-denied") + count_audit("audit-read-denied") +
                  count_audit("stats-denied") + count_audit("read-denied") + count_audit("restriction-denied") + count_audit("export-denied");
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        answer ans = ask(key_deu, refused[i].method, refused[i].path, refused[i].body);
        EXPECT(ans.status == 403 && mentions(&ans, "only screen"), -1, 0, refused[i].path, ans);
        answer_free(&ans);
    }
    long after = count_audit("scope-denied") + count_audit("rules-denied") + count_audit("audit-read-denied") +
                 count_audit("stats-denied") + count_audit("read-denied") + count_audit("restriction-denied") + count_audit("export-denied");
    assert_int_equal(after, denied + (long)(sizeof refused / sizeof refused[0]));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_read_record), cmocka_unit_test(test_restrict),
        cmocka_unit_test(test_screen),      cmocka_unit_test(test_documents),
        cmocka_unit_test(test_role_only_routes), cmocka_unit_test(test_key_scope),
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_exchange_routes),
        cmocka_unit_test(test_delete), /* last: the records are gone after it */
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
