/* test_notices.c — notices on records (issue 5, notice.h): the state
 * machine, who may do what, validation, expiry, the importers' notices,
 * the in-place migration of a schema-5 store, and which records the
 * screening index is built from. */
#include "test_util.h"

#include <sqlite3.h>

#include "ctwatch/access.h"
#include "ctwatch/import.h"
#include "ctwatch/match.h"
#include "ctwatch/notice.h"
#include "ctwatch/store.h"

#define UN_XML "tests/data/un/consolidated-2026-02-27.xml"
#define OFAC_SDN "tests/data/ofac/sdn.csv"

typedef struct fixture {
    char *dir;
    char path[600];
    ctw_store *s;
    char open_id[64];    /* DEU-NCB, restriction all */
    char hidden_id[64];  /* DEU-NCB, hit-only */
} fixture;

static const ctw_principal deu_off = {.user = "off.deu", .agency = "DEU-NCB", .role = CTW_ROLE_OFFICER};
static const ctw_principal deu_ana = {.user = "ana.deu", .agency = "DEU-NCB", .role = CTW_ROLE_ANALYST};
static const ctw_principal deu_sup = {.user = "sup.deu", .agency = "DEU-NCB", .role = CTW_ROLE_SUPERVISOR};
static const ctw_principal deu_adm = {.user = "adm.deu", .agency = "DEU-NCB", .role = CTW_ROLE_AGENCY_ADMIN};
static const ctw_principal deu_aud = {.user = "aud.deu", .agency = "DEU-NCB", .role = CTW_ROLE_AUDITOR};
static const ctw_principal deu_key = {.user = "key:gate", .agency = "DEU-NCB", .role = CTW_ROLE_SUPERVISOR,
                                      .scope = "screening"};
static const ctw_principal bel_ana = {.user = "ana.bel", .agency = "BEL-NCB", .role = CTW_ROLE_ANALYST};
static const ctw_principal bel_sup = {.user = "sup.bel", .agency = "BEL-NCB", .role = CTW_ROLE_SUPERVISOR};
static const ctw_principal sysadm = {.user = "root", .agency = "LOCAL", .role = CTW_ROLE_SYSTEM_ADMIN};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE, &f->s, &err), 0);
    ctw_agency deu = {.code = "DEU-NCB"}, bel = {.code = "BEL-NCB"};
    assert_int_equal(ctw_store_ensure_agency(f->s, &deu), 0);
    assert_int_equal(ctw_store_ensure_agency(f->s, &bel), 0);
    ctw_test_put_person(f->s, "R1", "Karl Beispiel", CTW_RESTRICT_ALL, NULL, f->open_id);
    ctw_test_put_person(f->s, "R2", "Geheim Verborgen", CTW_RESTRICT_HIT_ONLY, NULL, f->hidden_id);
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

/* One integer from the store file, read beside the store's own handle. */
static long long audit_count(fixture *f, const char *action)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM audit WHERE action = '%s'", action);
    return ctw_test_sql_int(f->path, sql);
}

/* Create a draft on record as p; the new id into id (CTW_NOTICE_ID_MAX). */
static int create(fixture *f, const ctw_principal *p, const char *record, const char *kind, const char *action,
                  const char *valid_until, char *id)
{
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    ctw_error err = {0};
    ctw_notice_new nn = {.record = record, .kind = kind, .action = action, .summary = "wanted for questioning",
                         .valid_until = valid_until};
    int rc = ctw_notice_create(f->s, p, &nn, &a, &n, &err);
    if (rc == 0) {
        assert_string_equal(n.state, "draft");
        assert_string_equal(n.owner, "DEU-NCB");
        assert_string_equal(n.record, record);
        assert_string_equal(n.created_by, p->user);
        if (id) snprintf(id, CTW_NOTICE_ID_MAX, "%s", n.id);
    }
    ctw_arena_free(&a);
    return rc;
}

typedef int (*step_fn)(ctw_store *, const ctw_principal *, const char *, ctw_arena *, ctw_notice *, ctw_error *);

static int step(fixture *f, step_fn fn, const ctw_principal *p, const char *id)
{
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    ctw_error err = {0};
    int rc = fn(f->s, p, id, &a, &n, &err);
    ctw_arena_free(&a);
    return rc;
}

static int cancel(fixture *f, const ctw_principal *p, const char *id)
{
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_error err = {0};
    int rc = ctw_notice_cancel(f->s, p, id, "subject arrested", &a, NULL, &err);
    ctw_arena_free(&a);
    return rc;
}

/* The stored state of id as the local administrator reads it. */
static void state_is(fixture *f, const char *id, const char *want)
{
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    assert_int_equal(ctw_notice_get(f->s, &sysadm, id, &a, &n), 0);
    assert_string_equal(n.state, want);
    ctw_arena_free(&a);
}

static void test_state_machine(void **state)
{
    fixture *f = *state;
    char id[CTW_NOTICE_ID_MAX];
    assert_int_equal(create(f, &deu_off, f->open_id, "red", "arrest", "2099-12-31", id), 0);
    /* a draft is neither published nor cancelled by skipping review */
    assert_int_equal(step(f, ctw_notice_publish, &deu_sup, id), CTW_ECONFLICT);
    state_is(f, id, "draft");
    assert_int_equal(step(f, ctw_notice_submit, &deu_off, id), 0);
    state_is(f, id, "review");
    assert_int_equal(step(f, ctw_notice_submit, &deu_off, id), CTW_ECONFLICT);
    int64_t before = 0, after = 0;
    assert_int_equal(ctw_store_change_seq(f->s, &before), 0);
    assert_int_equal(step(f, ctw_notice_publish, &deu_sup, id), 0);
    assert_int_equal(ctw_store_change_seq(f->s, &after), 0);
    assert_true(after > before); /* a running server's index follows */
    state_is(f, id, "published");
    assert_int_equal(step(f, ctw_notice_publish, &deu_sup, id), CTW_ECONFLICT);
    assert_int_equal(step(f, ctw_notice_submit, &deu_sup, id), CTW_ECONFLICT);
    before = after;
    assert_int_equal(cancel(f, &deu_sup, id), 0);
    assert_int_equal(ctw_store_change_seq(f->s, &after), 0);
    assert_true(after > before);
    state_is(f, id, "cancelled");
    assert_int_equal(cancel(f, &deu_sup, id), CTW_ECONFLICT);
    assert_int_equal(step(f, ctw_notice_submit, &deu_sup, id), CTW_ECONFLICT);
    /* the cancelled notice keeps who, when and why */
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    assert_int_equal(ctw_notice_get(f->s, &deu_ana, id, &a, &n), 0);
    assert_string_equal(n.published_by, "sup.deu");
    assert_string_equal(n.cancelled_by, "sup.deu");
    assert_string_equal(n.cancel_reason, "subject arrested");
    assert_string_equal(n.valid_until, "2099-12-31");
    json_t *j = ctw_notice_json(&n);
    assert_string_equal(json_string_value(json_object_get(j, "id")), id);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "cancelled");
    assert_string_equal(json_string_value(json_object_get(j, "kind")), "red");
    json_decref(j);
    ctw_arena_free(&a);
    /* a draft and a notice in review can be cancelled too */
    assert_int_equal(create(f, &deu_ana, f->open_id, "blue", "locate", NULL, id), 0);
    assert_int_equal(cancel(f, &deu_sup, id), 0);
    assert_int_equal(create(f, &deu_ana, f->open_id, "blue", "locate", NULL, id), 0);
    assert_int_equal(step(f, ctw_notice_submit, &deu_ana, id), 0);
    assert_int_equal(cancel(f, &deu_sup, id), 0);
    /* a draft's move does not touch the change feed */
    assert_int_equal(ctw_store_change_seq(f->s, &before), 0);
    assert_int_equal(create(f, &deu_ana, f->open_id, "green", "monitor", NULL, id), 0);
    assert_int_equal(step(f, ctw_notice_submit, &deu_ana, id), 0);
    assert_int_equal(ctw_store_change_seq(f->s, &after), 0);
    assert_true(after == before);
}

/* The refusal p gets: roles that read no records at all (agency-admin,
 * auditor: access.h) do not learn the record exists; others are refused. */
static int refusal(const ctw_principal *p)
{
    return p->role == CTW_ROLE_AGENCY_ADMIN || p->role == CTW_ROLE_AUDITOR ? CTW_ENOTFOUND : CTW_EACCES;
}

static void test_roles(void **state)
{
    fixture *f = *state;
    char id[CTW_NOTICE_ID_MAX];
    long long rows = ctw_test_sql_int(f->path, "SELECT count(*) FROM notices");
    long long denied = audit_count(f, "notice-denied");
    /* who may not create: other roles of the owner, other agencies, keys, the system administrator */
    const ctw_principal *no_create[] = {&deu_adm, &deu_aud, &deu_key, &bel_ana, &bel_sup, &sysadm};
    for (size_t i = 0; i < sizeof no_create / sizeof no_create[0]; i++)
        assert_int_equal(create(f, no_create[i], f->open_id, "red", "arrest", NULL, NULL), refusal(no_create[i]));
    /* another agency may not even learn of a hit-only record this way */
    assert_int_equal(create(f, &bel_sup, f->hidden_id, "red", "arrest", NULL, NULL), CTW_ENOTFOUND);
    assert_int_equal(create(f, &deu_sup, "no-such-record", "red", "arrest", NULL, NULL), CTW_ENOTFOUND);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices"), rows);
    assert_int_equal(audit_count(f, "notice-denied"), denied + 8);

    long long created = audit_count(f, "notice-create");
    assert_int_equal(create(f, &deu_off, f->open_id, "yellow", "locate", NULL, id), 0);
    assert_int_equal(audit_count(f, "notice-create"), created + 1);
    const ctw_principal *no_submit[] = {&deu_adm, &deu_aud, &deu_key, &bel_ana, &bel_sup, &sysadm};
    for (size_t i = 0; i < sizeof no_submit / sizeof no_submit[0]; i++)
        assert_int_equal(step(f, ctw_notice_submit, no_submit[i], id), refusal(no_submit[i]));
    state_is(f, id, "draft");
    assert_int_equal(step(f, ctw_notice_submit, &deu_ana, id), 0);
    /* only the owner's supervisor publishes */
    const ctw_principal *no_publish[] = {&deu_off, &deu_ana, &deu_adm, &deu_aud, &deu_key, &bel_sup, &sysadm};
    for (size_t i = 0; i < sizeof no_publish / sizeof no_publish[0]; i++) {
        assert_int_equal(step(f, ctw_notice_publish, no_publish[i], id), refusal(no_publish[i]));
        assert_int_equal(cancel(f, no_publish[i], id), refusal(no_publish[i]));
    }
    state_is(f, id, "review");
    assert_int_equal(step(f, ctw_notice_publish, &deu_sup, id), 0);

    /* a notice on a hit-only record: the owner works with it, others see nothing */
    assert_int_equal(create(f, &deu_sup, f->hidden_id, "red", "arrest", NULL, id), 0);
    assert_int_equal(step(f, ctw_notice_submit, &bel_sup, id), CTW_ENOTFOUND);
    assert_int_equal(step(f, ctw_notice_publish, &bel_sup, id), CTW_ENOTFOUND);
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    long long read_denied = audit_count(f, "read-denied");
    assert_int_equal(ctw_notice_get(f->s, &bel_ana, id, &a, &n), CTW_ENOTFOUND);
    assert_int_equal(audit_count(f, "read-denied"), read_denied + 1);
    long long reads = audit_count(f, "read");
    assert_int_equal(ctw_notice_get(f->s, &deu_ana, id, &a, &n), 0);
    assert_int_equal(audit_count(f, "read"), reads + 1);
    assert_int_equal(ctw_notice_get(f->s, &deu_ana, "N-999999", &a, &n), CTW_ENOTFOUND);
    assert_int_equal(ctw_notice_get(f->s, &deu_ana, "N-01", &a, &n), CTW_ENOTFOUND);
    assert_int_equal(ctw_notice_get(f->s, &deu_ana, "12", &a, &n), CTW_ENOTFOUND);
    ctw_arena_free(&a);
}

static void test_validation(void **state)
{
    fixture *f = *state;
    long long rows = ctw_test_sql_int(f->path, "SELECT count(*) FROM notices");
    assert_int_equal(create(f, &deu_sup, f->open_id, "crimson", "arrest", NULL, NULL), CTW_EINVAL);
    assert_int_equal(create(f, &deu_sup, f->open_id, "red", "shoot", NULL, NULL), CTW_EINVAL);
    assert_int_equal(create(f, &deu_sup, f->open_id, NULL, "arrest", NULL, NULL), CTW_EINVAL);
    const char *bad_dates[] = {"2020-01-01", "2099-02-30", "2100-02-29", "2099-13-01", "2099-1-01",
                               "tomorrow", "2099-01-01T00:00:00Z", "", "2099-00-10"};
    for (size_t i = 0; i < sizeof bad_dates / sizeof bad_dates[0]; i++)
        assert_int_equal(create(f, &deu_sup, f->open_id, "red", "arrest", bad_dates[i], NULL), CTW_EINVAL);
    assert_true(ctw_notice_date_in_future("2096-02-29"));   /* a leap day */
    assert_false(ctw_notice_date_in_future("1999-12-31"));
    char *big = malloc(CTW_NOTICE_SUMMARY_MAX + 2);
    memset(big, 'x', CTW_NOTICE_SUMMARY_MAX + 1);
    big[CTW_NOTICE_SUMMARY_MAX + 1] = '\0';
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_error err = {0};
    ctw_notice_new nn = {.record = f->open_id, .kind = "red", .action = "arrest", .summary = big};
    assert_int_equal(ctw_notice_create(f->s, &deu_sup, &nn, &a, NULL, &err), CTW_EINVAL);
    assert_string_equal(err.where, "summary");
    big[CTW_NOTICE_SUMMARY_MAX] = '\0';   /* exactly 4 KB is fine */
    assert_int_equal(ctw_notice_create(f->s, &deu_sup, &nn, &a, NULL, &err), 0);
    free(big);
    ctw_arena_free(&a);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices"), rows + 1);
    /* every kind and action of the contract is accepted */
    const char *kinds[] = {"red", "blue", "yellow", "green", "orange", "black", "purple", "un-special",
                           "diffusion", "national", "sanctions"};
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) assert_true(ctw_notice_kind_valid(kinds[i]));
    assert_true(ctw_notice_action_valid("monitor"));
    assert_false(ctw_notice_kind_valid("Red"));
}

typedef struct seen_ids {
    char ids[8][64];
    int n;
} seen_ids;

static int collect_record(void *ud, const ctw_record *r)
{
    seen_ids *s = ud;
    if (s->n < 8) snprintf(s->ids[s->n], 64, "%s", r->id);
    s->n++;
    return 0;
}

static bool seen(const seen_ids *s, const char *id)
{
    for (int i = 0; i < s->n && i < 8; i++)
        if (strcmp(s->ids[i], id) == 0) return true;
    return false;
}

/* Publish a notice on record as the owner's people would. */
static void publish(fixture *f, const char *record, const char *kind, const char *action, const char *until,
                    char *id)
{
    assert_int_equal(create(f, &deu_ana, record, kind, action, until, id), 0);
    assert_int_equal(step(f, ctw_notice_submit, &deu_ana, id), 0);
    assert_int_equal(step(f, ctw_notice_publish, &deu_sup, id), 0);
}

static void test_screenable_and_expiry(void **state)
{
    fixture *f = *state;
    char r3[64], r4[64], r5[64], id[CTW_NOTICE_ID_MAX], expired_id[CTW_NOTICE_ID_MAX];
    ctw_test_put_person(f->s, "R3", "Drafted Only", CTW_RESTRICT_ALL, NULL, r3);
    ctw_test_put_person(f->s, "R4", "Cancelled Once", CTW_RESTRICT_ALL, NULL, r4);
    ctw_test_put_person(f->s, "R5", "Expired Soon", CTW_RESTRICT_ALL, NULL, r5);
    seen_ids s0 = {0};
    assert_int_equal(ctw_store_iterate_screenable(f->s, "test", collect_record, &s0), 0);
    assert_int_equal(s0.n, 0); /* no notice, no screening */

    publish(f, f->open_id, "red", "arrest", "2099-12-31", id);
    assert_int_equal(create(f, &deu_ana, r3, "blue", "locate", NULL, id), 0);
    publish(f, r4, "blue", "locate", NULL, id);
    assert_int_equal(cancel(f, &deu_sup, id), 0);
    publish(f, r5, "yellow", "locate", "2099-06-30", expired_id);
    /* its validity passes (the API never lets a past date in) */
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE notices SET valid_until = '2020-01-01' WHERE seq = %s", expired_id + 2);
    ctw_test_sql_exec(f->path, sql);
    seen_ids s1 = {0};
    assert_int_equal(ctw_store_iterate_screenable(f->s, "test", collect_record, &s1), 0);
    assert_int_equal(s1.n, 1);
    assert_true(seen(&s1, f->open_id));
    state_is(f, expired_id, "expired");

    /* the index is built from the screenable records only */
    ctw_match_index *ix = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_match_index_build(f->s, &ix, &err), 0);
    ctw_screen_query q = {.name = "Karl Beispiel"};
    json_t *hits = NULL;
    assert_int_equal(ctw_match_screen(ix, &deu_ana, &q, &hits, &err), 0);
    assert_true(json_array_size(hits) >= 1);
    assert_string_equal(json_string_value(json_object_get(json_array_get(hits, 0), "record")), f->open_id);
    json_decref(hits);
    ctw_screen_query q5 = {.name = "Expired Soon"};
    assert_int_equal(ctw_match_screen(ix, &deu_ana, &q5, &hits, &err), 0);
    for (size_t i = 0; i < json_array_size(hits); i++)
        assert_string_not_equal(json_string_value(json_object_get(json_array_get(hits, i), "record")), r5);
    json_decref(hits);
    ctw_match_index_release(ix);

    /* an expired notice in review cannot be published; an expired one can be cancelled */
    char rev[CTW_NOTICE_ID_MAX];
    assert_int_equal(create(f, &deu_ana, r3, "blue", "locate", "2099-01-01", rev), 0);
    assert_int_equal(step(f, ctw_notice_submit, &deu_ana, rev), 0);
    snprintf(sql, sizeof sql, "UPDATE notices SET valid_until = '2021-01-01' WHERE seq = %s", rev + 2);
    ctw_test_sql_exec(f->path, sql);
    assert_int_equal(step(f, ctw_notice_publish, &deu_sup, rev), CTW_ECONFLICT);
    state_is(f, rev, "review");
    assert_int_equal(cancel(f, &deu_sup, expired_id), 0);
}

typedef struct list_seen {
    int n;
    char last_state[16];
} list_seen;

static int count_notice(void *ud, const ctw_notice *n)
{
    list_seen *l = ud;
    l->n++;
    snprintf(l->last_state, sizeof l->last_state, "%s", n->state);
    return 0;
}

static void test_list_and_hits(void **state)
{
    fixture *f = *state;
    char a1[CTW_NOTICE_ID_MAX], a2[CTW_NOTICE_ID_MAX], h1[CTW_NOTICE_ID_MAX];
    publish(f, f->open_id, "national", "monitor", NULL, a1);
    publish(f, f->open_id, "red", "arrest", "2099-12-31", a2);
    publish(f, f->hidden_id, "red", "arrest", NULL, h1);
    assert_int_equal(create(f, &deu_ana, f->open_id, "green", "inform", NULL, NULL), 0);

    list_seen l = {0};
    assert_int_equal(ctw_notice_list(f->s, &deu_ana, NULL, count_notice, &l), 0);
    assert_int_equal(l.n, 4);
    /* another agency sees the open record's notices, never the hit-only one's */
    memset(&l, 0, sizeof l);
    long long many = audit_count(f, "read-many");
    assert_int_equal(ctw_notice_list(f->s, &bel_ana, NULL, count_notice, &l), 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(audit_count(f, "read-many"), many + 1);
    memset(&l, 0, sizeof l);
    ctw_notice_filter flt = {.record = f->hidden_id};
    assert_int_equal(ctw_notice_list(f->s, &bel_ana, &flt, count_notice, &l), 0);
    assert_int_equal(l.n, 0);
    ctw_notice_filter pub = {.state = "published", .kind = "red"};
    memset(&l, 0, sizeof l);
    assert_int_equal(ctw_notice_list(f->s, &deu_ana, &pub, count_notice, &l), 0);
    assert_int_equal(l.n, 2);
    assert_string_equal(l.last_state, "published");
    ctw_notice_filter page = {.limit = 1};
    memset(&l, 0, sizeof l);
    assert_int_equal(ctw_notice_list(f->s, &deu_ana, &page, count_notice, &l), 0);
    assert_int_equal(l.n, 1);
    int64_t s2;
    assert_true(ctw_notice_parse_id(a2, &s2));
    ctw_notice_filter after = {.after = s2};
    memset(&l, 0, sizeof l);
    assert_int_equal(ctw_notice_list(f->s, &deu_ana, &after, count_notice, &l), 0);
    assert_int_equal(l.n, 2);
    ctw_notice_filter bad = {.state = "lost"};
    assert_int_equal(ctw_notice_list(f->s, &deu_ana, &bad, count_notice, &l), CTW_EINVAL);

    /* screening hits: the strongest notice, only where the record may be read */
    char text[512];
    snprintf(text, sizeof text,
             "[{\"record\":\"%s\",\"score\":0.9},{\"record\":\"%s\",\"restricted\":true,\"score\":0.9},"
             "{\"record\":\"no-notice\",\"score\":0.9}]",
             f->open_id, f->hidden_id);
    json_t *hits = json_loads(text, 0, NULL);
    assert_int_equal(ctw_notice_annotate_hits(f->s, &bel_ana, hits, NULL, NULL), 0);
    assert_int_equal(json_array_size(hits), 2); /* the record without a notice is gone */
    json_t *notice = json_object_get(json_array_get(hits, 0), "notice");
    assert_string_equal(json_string_value(json_object_get(notice, "id")), a2);
    assert_string_equal(json_string_value(json_object_get(notice, "kind")), "red");
    assert_string_equal(json_string_value(json_object_get(notice, "action")), "arrest");
    assert_null(json_object_get(json_array_get(hits, 1), "notice"));
    char ids[64] = "";
    size_t len = 0;
    assert_true(ctw_notice_hit_ids(hits, ids, sizeof ids, &len));
    assert_string_equal(ids, a2);
    json_decref(hits);
}

typedef struct kind_count {
    const char *kind, *action, *owner;
    int n, wrong;
} kind_count;

static int check_import_notice(void *ud, const ctw_notice *n)
{
    kind_count *k = ud;
    k->n++;
    if (strcmp(n->kind, k->kind) != 0 || strcmp(n->action, k->action) != 0 || strcmp(n->owner, k->owner) != 0 ||
        strcmp(n->state, "published") != 0 || strcmp(n->created_by, "import") != 0)
        k->wrong++;
    return 0;
}

static long long active_records(fixture *f, const char *source)
{
    char sql[200];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM records WHERE status = 'active' AND source = '%s'", source);
    return ctw_test_sql_int(f->path, sql);
}

static void test_import_creates_notices(void **state)
{
    fixture *f = *state;
    ctw_error err = {0};
    json_t *sum = NULL;
    const char *un[] = {UN_XML};
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_UN_XML, un, 1, NULL, &sum, &err), 0);
    json_decref(sum);
    const char *ofac[] = {OFAC_SDN};
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_OFAC_CSV, ofac, 1, NULL, &sum, &err), 0);
    json_decref(sum);
    /* every imported record: one published notice of its list's kind */
    long long n_un = active_records(f, "un-sc"), n_ofac = active_records(f, "ofac-sdn");
    assert_true(n_un > 900 && n_ofac > 10);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices n JOIN records r ON r.id = n.record_id"
                                " WHERE r.source = 'un-sc' AND n.kind = 'un-special' AND n.action = 'inform'"
                                " AND n.owner = 'UN-SC' AND n.state = 'published'"),
                     n_un);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices n JOIN records r ON r.id = n.record_id"
                                " WHERE r.source = 'ofac-sdn' AND n.kind = 'sanctions' AND n.action = 'inform'"
                                " AND n.owner = 'US-OFAC' AND n.state = 'published'"),
                     n_ofac);
    kind_count k = {.kind = "un-special", .action = "inform", .owner = "UN-SC"};
    ctw_notice_filter flt = {.kind = "un-special", .limit = 50};
    assert_int_equal(ctw_notice_list(f->s, &bel_ana, &flt, check_import_notice, &k), 0);
    assert_int_equal(k.n, 50);
    assert_int_equal(k.wrong, 0);
    /* a re-import changes no notice */
    long long total = ctw_test_sql_int(f->path, "SELECT count(*) FROM notices");
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_UN_XML, un, 1, NULL, &sum, &err), 0);
    json_decref(sum);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices"), total);

    /* FtM: national/monitor owned by the import's owner; a record the next
     * import no longer has gets its notice cancelled, and one back again a
     * new published notice */
    char p1[700], p2[700];
    snprintf(p1, sizeof p1, "%s/list.ftm.json", f->dir);
    FILE *o = fopen(p1, "w");
    fputs("{\"id\":\"a1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Anna Example\"]}}\n"
          "{\"id\":\"b2\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Bert Example\"]}}\n",
          o);
    fclose(o);
    snprintf(p2, sizeof p2, "%s/list2.ftm.json", f->dir);
    o = fopen(p2, "w");
    fputs("{\"id\":\"a1\",\"schema\":\"Person\",\"properties\":{\"name\":[\"Anna Example\"]}}\n", o);
    fclose(o);
    ctw_import_opts opts = {.owner = "DEU-NCB", .source = "deu-list"};
    const char *one[] = {p1}, *two[] = {p2};
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_FTM, one, 1, &opts, &sum, &err), 0);
    json_decref(sum);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices n JOIN records r ON r.id = n.record_id"
                                " WHERE r.source = 'deu-list' AND n.kind = 'national' AND n.action = 'monitor'"
                                " AND n.owner = 'DEU-NCB' AND n.state = 'published'"),
                     2);
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_FTM, two, 1, &opts, &sum, &err), 0);
    json_decref(sum);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices n JOIN records r ON r.id = n.record_id"
                                " WHERE r.source = 'deu-list' AND r.source_id = 'b2' AND n.state = 'cancelled'"
                                " AND n.cancel_reason = 'removed from source'"),
                     1);
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_FTM, one, 1, &opts, &sum, &err), 0);
    json_decref(sum);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices n JOIN records r ON r.id = n.record_id"
                                " WHERE r.source = 'deu-list' AND r.source_id = 'b2' AND n.state = 'published'"),
                     1);
    /* and the screening index holds every imported record, none of the fixture's two */
    seen_ids s = {0};
    assert_int_equal(ctw_store_iterate_screenable(f->s, "test", collect_record, &s), 0);
    assert_int_equal(s.n, n_un + n_ofac + 2);
}

/* A store made by the previous version (schema 5, no notices) upgrades in
 * place: imported records get their published notice, records put by hand
 * do not. The schema-5 store is this one with schema 6 taken away. */
static void test_migration_from_schema_5(void **state)
{
    fixture *f = *state;
    ctw_error err = {0};
    json_t *sum = NULL;
    const char *un[] = {UN_XML};
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_UN_XML, un, 1, NULL, &sum, &err), 0);
    json_decref(sum);
    const char *ofac[] = {OFAC_SDN};
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_OFAC_CSV, ofac, 1, NULL, &sum, &err), 0);
    json_decref(sum);
    long long n_un = active_records(f, "un-sc"), n_ofac = active_records(f, "ofac-sdn");
    ctw_store_close(f->s);
    f->s = NULL;
    /* back to schema 5: what schemas 6 (notices) and 7 (hits) added goes */
    ctw_test_sql_exec(f->path, "DROP TRIGGER notices_update_feed; DROP TABLE notices;"
                " DROP TABLE hit_messages; DROP TABLE hit_events; DROP TABLE hits;"
                " PRAGMA user_version = 5;");
    assert_int_equal(ctw_test_sql_int(f->path, "PRAGMA user_version"), 5);
    assert_int_equal(ctw_store_open(f->path, 0, &f->s, &err), 0);
    assert_int_equal(ctw_store_schema_version(f->s), ctw_store_schema_latest());
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices WHERE kind = 'un-special' AND action = 'inform'"
                                " AND owner = 'UN-SC' AND state = 'published'"),
                     n_un);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices WHERE kind = 'sanctions' AND action = 'inform'"
                                " AND owner = 'US-OFAC' AND state = 'published'"),
                     n_ofac);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM notices"), n_un + n_ofac);
    seen_ids s = {0};
    assert_int_equal(ctw_store_iterate_screenable(f->s, "test", collect_record, &s), 0);
    assert_int_equal(s.n, n_un + n_ofac);
    /* the notices work as any other */
    char id[CTW_NOTICE_ID_MAX];
    assert_int_equal(create(f, &deu_sup, f->open_id, "red", "arrest", NULL, id), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_state_machine, setup, teardown),
        cmocka_unit_test_setup_teardown(test_roles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_validation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_screenable_and_expiry, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_and_hits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_import_creates_notices, setup, teardown),
        cmocka_unit_test_setup_teardown(test_migration_from_schema_5, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
