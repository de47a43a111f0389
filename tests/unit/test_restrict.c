/* test_restrict.c — the owner sets who may see a record (issue 5):
 * ctw_store_set_restriction's access rule, its checks of kind and list,
 * the new version, and its audit entries (changes and refusals). */
#include "test_util.h"

#include "ctwatch/access.h"
#include "ctwatch/store.h"

typedef struct fixture {
    char *dir;
    char path[600];
    ctw_store *s;
    char id[64];
} fixture;

static const ctw_principal owner_sup = {.user = "sup", .agency = "DEU-NCB", .role = CTW_ROLE_SUPERVISOR};
static const ctw_principal owner_admin = {.user = "adm", .agency = "DEU-NCB", .role = CTW_ROLE_AGENCY_ADMIN};
static const ctw_principal owner_analyst = {.user = "ana", .agency = "DEU-NCB", .role = CTW_ROLE_ANALYST};
static const ctw_principal other_sup = {.user = "bsup", .agency = "BEL-NCB", .role = CTW_ROLE_SUPERVISOR};
static const ctw_principal nobody = {.user = "x", .agency = "BEL-NCB", .role = CTW_ROLE_NONE};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE, &f->s, &err), 0);
    ctw_agency a = {.code = "DEU-NCB"};
    assert_int_equal(ctw_store_ensure_agency(f->s, &a), 0);
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = "test";
    r->source_id = "R1";
    r->owner = "DEU-NCB";
    r->created = r->updated = "2026-01-02T03:04:05Z";
    r->review_date = "2031-01-02";
    r->version = 1;
    ctw_record_make_id(r);
    ctw_record_add_name(r, "Karl Beispiel", CTW_NAME_PRIMARY, NULL);
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), r), 0);
    snprintf(f->id, sizeof f->id, "%s", r->id);
    ctw_record_free(r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ctw_store_close(f->s);
    ctw_test_rmdir(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* The stored restriction and version, read as the local administrator. */
static void stored(fixture *f, ctw_restrict_kind *kind, char *list, size_t cap, int64_t *version)
{
    ctw_record *r = NULL;
    assert_int_equal(ctw_store_get(f->s, ctw_principal_cli(), f->id, &r), 0);
    *kind = r->restriction.kind;
    snprintf(list, cap, "%s", r->restriction.list ? r->restriction.list : "");
    *version = r->version;
    ctw_record_free(r);
}

typedef struct audit_seen {
    int n;
    char detail[512];
    char records[128];
} audit_seen;

static int count_entry(void *ud, const ctw_audit_entry *e)
{
    audit_seen *a = ud;
    a->n++;
    snprintf(a->detail, sizeof a->detail, "%s", e->detail ? e->detail : "");
    snprintf(a->records, sizeof a->records, "%s", e->records ? e->records : "");
    return 0;
}

static audit_seen audit_of(fixture *f, const char *action)
{
    audit_seen a = {0};
    ctw_audit_filter flt = {.action = action};
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &flt, count_entry, &a), 0);
    return a;
}

static void test_owner_supervisor_sets(void **state)
{
    fixture *f = *state;
    ctw_restrict_kind k;
    char list[256];
    int64_t v0, v1;
    stored(f, &k, list, sizeof list, &v0);
    assert_int_equal(k, CTW_RESTRICT_ALL);

    ctw_error err = {0};
    ctw_restriction r = {.kind = CTW_RESTRICT_AGENCIES, .list = "DEU-NCB,BEL-NCB"};
    assert_int_equal(ctw_store_set_restriction(f->s, &owner_sup, f->id, &r, &err), 0);
    stored(f, &k, list, sizeof list, &v1);
    assert_int_equal(k, CTW_RESTRICT_AGENCIES);
    assert_string_equal(list, "DEU-NCB,BEL-NCB");
    assert_int_equal(v1, v0 + 1);
    audit_seen a = audit_of(f, "restriction-change");
    assert_int_equal(a.n, 1);
    assert_string_equal(a.records, f->id);
    assert_string_equal(a.detail, "all -> agencies:DEU-NCB,BEL-NCB");

    /* the agency administrator manages users, not records (least privilege):
     * it does not even see its agency's records */
    r = (ctw_restriction){.kind = CTW_RESTRICT_HIT_ONLY};
    assert_int_equal(ctw_store_set_restriction(f->s, &owner_admin, f->id, &r, &err), CTW_ENOTFOUND);
    stored(f, &k, list, sizeof list, &v1);
    assert_int_equal(k, CTW_RESTRICT_AGENCIES);
    /* hit-only, by the supervisor: the list goes */
    assert_int_equal(ctw_store_set_restriction(f->s, &owner_sup, f->id, &r, &err), 0);
    stored(f, &k, list, sizeof list, &v1);
    assert_int_equal(k, CTW_RESTRICT_HIT_ONLY);
    assert_string_equal(list, "");
    a = audit_of(f, "restriction-change");
    assert_int_equal(a.n, 2);
    assert_string_equal(a.detail, "agencies:DEU-NCB,BEL-NCB -> hit-only");
    /* the other agency now learns only that there is a hit */
    ctw_record *got = NULL;
    assert_int_equal(ctw_store_get(f->s, &other_sup, f->id, &got), CTW_EACCES);
    assert_string_equal(got->owner, "DEU-NCB");
    assert_int_equal(got->names.n, 0);
    ctw_record_free(got);

    /* regions accept lower case; the local administrator may write too */
    r = (ctw_restriction){.kind = CTW_RESTRICT_REGIONS, .list = "schengen,EU"};
    assert_int_equal(ctw_store_set_restriction(f->s, ctw_principal_cli(), f->id, &r, &err), 0);
    stored(f, &k, list, sizeof list, &v1);
    assert_int_equal(k, CTW_RESTRICT_REGIONS);
    assert_string_equal(list, "schengen,EU");
}

static void test_who_may_not(void **state)
{
    fixture *f = *state;
    ctw_restrict_kind k;
    char list[256];
    int64_t v0, v1;
    stored(f, &k, list, sizeof list, &v0);
    ctw_error err = {0};
    ctw_restriction r = {.kind = CTW_RESTRICT_HIT_ONLY};
    /* the owner's analyst may read, not decide who else reads */
    assert_int_equal(ctw_store_set_restriction(f->s, &owner_analyst, f->id, &r, &err), CTW_EACCES);
    /* another agency's supervisor may see the record (kind all), not change it */
    assert_int_equal(ctw_store_set_restriction(f->s, &other_sup, f->id, &r, &err), CTW_EACCES);
    /* a principal the access check denies does not learn the record exists */
    assert_int_equal(ctw_store_set_restriction(f->s, &nobody, f->id, &r, &err), CTW_ENOTFOUND);
    assert_int_equal(ctw_store_set_restriction(f->s, &owner_sup, "no-such-id", &r, &err), CTW_ENOTFOUND);
    /* once hit-only, the other agency is still refused as a writer */
    assert_int_equal(ctw_store_set_restriction(f->s, &owner_sup, f->id, &r, &err), 0);
    r.kind = CTW_RESTRICT_ALL;
    assert_int_equal(ctw_store_set_restriction(f->s, &other_sup, f->id, &r, &err), CTW_EACCES);
    stored(f, &k, list, sizeof list, &v1);
    assert_int_equal(k, CTW_RESTRICT_HIT_ONLY);
    assert_int_equal(v1, v0 + 1);
    assert_int_equal(audit_of(f, "restriction-change").n, 1);
    audit_seen a = audit_of(f, "restriction-denied");
    assert_int_equal(a.n, 5);
    assert_string_equal(a.records, f->id);
    assert_non_null(strstr(a.detail, "owner DEU-NCB"));
}

static void test_bad_kind_or_list(void **state)
{
    fixture *f = *state;
    static const struct {
        int kind;
        const char *list;
    } bad[] = {
        {CTW_RESTRICT_AGENCIES, NULL},            /* list required */
        {CTW_RESTRICT_AGENCIES, ""},
        {CTW_RESTRICT_ALL_EXCEPT, NULL},
        {CTW_RESTRICT_REGIONS, ""},
        {CTW_RESTRICT_AGENCIES, "deu-ncb"},       /* agency codes are upper case */
        {CTW_RESTRICT_AGENCIES, "DEU-NCB,"},      /* empty entry */
        {CTW_RESTRICT_AGENCIES, "DEU-NCB,,BEL-NCB"},
        {CTW_RESTRICT_AGENCIES, "D"},             /* too short */
        {CTW_RESTRICT_AGENCIES, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456"}, /* 33 */
        {CTW_RESTRICT_AGENCIES, "DEU NCB"},
        {CTW_RESTRICT_REGIONS, "schengen;eu"},
        {CTW_RESTRICT_ALL, "DEU-NCB"},            /* all and hit-only take no list */
        {CTW_RESTRICT_HIT_ONLY, "DEU-NCB"},
        {CTW_RESTRICT_HIT_ONLY + 1, NULL},        /* no such kind */
        {-1, NULL},
    };
    ctw_restrict_kind k;
    char list[4096];
    int64_t v0, v1;
    stored(f, &k, list, sizeof list, &v0);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ctw_error err = {0};
        ctw_restriction r = {.kind = (ctw_restrict_kind)bad[i].kind, .list = bad[i].list};
        int rc = ctw_store_set_restriction(f->s, &owner_sup, f->id, &r, &err);
        if (rc != CTW_EINVAL) fail_msg("case %zu: %d, want CTW_EINVAL", i, rc);
        assert_true(err.message[0] != '\0');
    }
    /* 100 entries are fine, 101 are not */
    char many[101 * 8 + 1] = "";
    size_t len = 0;
    for (int i = 0; i < 101; i++) len += (size_t)snprintf(many + len, sizeof many - len, "%sA%05d", i ? "," : "", i);
    ctw_error err = {0};
    ctw_restriction r = {.kind = CTW_RESTRICT_ALL_EXCEPT, .list = many};
    assert_int_equal(ctw_store_set_restriction(f->s, &owner_sup, f->id, &r, &err), CTW_EINVAL);
    stored(f, &k, list, sizeof list, &v1);
    assert_int_equal(k, CTW_RESTRICT_ALL);
    assert_string_equal(list, "");
    assert_int_equal(v1, v0);
    assert_int_equal(audit_of(f, "restriction-change").n, 0);
    assert_int_equal(audit_of(f, "restriction-denied").n, (int)(sizeof bad / sizeof bad[0]) + 1);

    many[100 * 7 - 1] = '\0'; /* the first 100 */
    assert_int_equal(ctw_store_set_restriction(f->s, &owner_sup, f->id, &r, &err), 0);
    stored(f, &k, list, sizeof list, &v1);
    assert_int_equal(k, CTW_RESTRICT_ALL_EXCEPT);
    assert_string_equal(list, many);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_owner_supervisor_sets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_who_may_not, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_kind_or_list, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
