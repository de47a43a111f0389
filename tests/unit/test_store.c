/* test_store.c — the SQLite store: open/migrate, put/get round trip,
 * transactions, the access check on reads, and the audit chain. */
#include "test_util.h"

#include <sqlite3.h>

#include "ctwatch/json.h"
#include "ctwatch/store.h"
#include "store/store_int.h"

typedef struct fixture {
    char *dir;
    char path[600];
    ctw_store *s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE, &f->s, &err), 0);
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

static ctw_record *sample(const char *owner, const char *source_id)
{
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = "test";
    r->source_id = ctw_record_str(r, source_id);
    r->owner = owner;
    r->created = r->updated = "2026-01-02T03:04:05Z";
    r->review_date = "2031-01-02";
    r->gender = "male";
    r->remarks = "remark";
    ctw_record_make_id(r);
    ctw_record_add_name(r, "Abu Bakr al-Baghdadi", CTW_NAME_PRIMARY, NULL);
    ctw_record_add_name(r, "أبو بكر البغدادي", CTW_NAME_ORIGINAL, NULL);
    ctw_record_add_name(r, "Dr. Ibrahim", CTW_NAME_ALIAS_WEAK, "Low");
    ctw_date *d = ctw_record_add_birth_date(r);
    d->precision = CTW_DATE_RANGE; d->from = "1971"; d->to = "1973";
    ctw_record_add_nationality_text(r, "Iraq");
    ctw_identifier *id = ctw_record_add_identifier(r);
    id->type = "passport"; id->number = "A1234567"; id->country = "IRQ";
    ctw_address *a = ctw_record_add_address(r);
    a->full = "Mosul, Iraq"; a->city = "Mosul"; a->country = "IRQ";
    ctw_listing *l = ctw_record_add_listing(r);
    l->kind = "un-sc-sanctions-listing"; l->reference = source_id; l->program = "Al-Qaida";
    ctw_record_add_attr(r, "title", "Sheikh");
    ctw_place *p = ctw_record_add_birth_place(r);
    p->place = "Samarra"; p->country = "IRQ";
    return r;
}

static void ensure(ctw_store *s, const char *code)
{
    ctw_agency a = {.code = code};
    assert_int_equal(ctw_store_ensure_agency(s, &a), 0);
}

static void test_open_errors(void **state)
{
    fixture *f = *state;
    ctw_store *s = NULL;
    ctw_error err;
    char missing[700];
    snprintf(missing, sizeof missing, "%s/missing.db", f->dir);
    assert_int_equal(ctw_store_open(missing, 0, &s, &err), CTW_ENOTFOUND);
    assert_null(s);
    assert_non_null(strstr(err.message, "ctwatch init"));
    assert_int_equal(access(missing, F_OK), -1); /* nothing created */
    assert_int_equal(ctw_store_open("postgresql://localhost/x", 0, &s, &err), CTW_EUNSUPPORTED);
    /* a file that is not SQLite */
    char junk[700];
    snprintf(junk, sizeof junk, "%s/junk.db", f->dir);
    FILE *fp = fopen(junk, "w");
    fputs("this is not a database, just some text that is long enough to matter..........", fp);
    fclose(fp);
    assert_int_equal(ctw_store_open(junk, 0, &s, &err), CTW_ESTORE);
    assert_int_equal(ctw_store_schema_version(f->s), ctw_store_schema_latest());
    /* a store from a newer ctwatch is refused, not damaged */
    sqlite3 *db;
    assert_int_equal(sqlite3_open(missing, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version=999", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    assert_int_equal(ctw_store_open(missing, 0, &s, &err), CTW_ESTORE);
    assert_non_null(strstr(err.message, "newer"));
}

static void test_put_get_round_trip(void **state)
{
    fixture *f = *state;
    ensure(f->s, "IRQ-NCB");
    ctw_record *r = sample("IRQ-NCB", "T1");
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), r), 0);
    ctw_record *back = NULL;
    assert_int_equal(ctw_store_get(f->s, ctw_principal_cli(), r->id, &back), 0);
    json_t *a = ctw_record_to_json(r, CTW_JSON_FULL), *b = ctw_record_to_json(back, CTW_JSON_FULL);
    json_object_set_new(a, "status", json_string("active"));
    char *sa = json_dumps(a, JSON_SORT_KEYS), *sb = json_dumps(b, JSON_SORT_KEYS);
    assert_string_equal(sa, sb);
    free(sa); free(sb);
    json_decref(a); json_decref(b);
    ctw_record_free(back);

    ctw_record_head h;
    assert_int_equal(ctw_store_head(f->s, "test", "T1", &h), 0);
    assert_string_equal(h.id, r->id);
    assert_int_equal(h.version, 1);
    assert_int_equal(ctw_store_head(f->s, "test", "nope", &h), CTW_ENOTFOUND);
    assert_int_equal(ctw_store_get(f->s, ctw_principal_cli(), "ctw-doesnotexist", &back), CTW_ENOTFOUND);
    ctw_record_free(r);
}

static void test_put_refuses_incomplete_and_foreign(void **state)
{
    fixture *f = *state;
    ensure(f->s, "IRQ-NCB");
    ctw_record *r = sample("IRQ-NCB", "T2");
    r->review_date = NULL; /* every record carries a review date */
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), r), CTW_EINVAL);
    r->review_date = "2031-01-02";
    ctw_principal other = {.user = "u", .agency = "FRA-NCB", .role = CTW_ROLE_SUPERVISOR};
    assert_int_equal(ctw_store_put(f->s, &other, r), CTW_EACCES);
    r->owner = "NO-SUCH-AGENCY"; /* owner must be a known agency */
    assert_int_not_equal(ctw_store_put(f->s, ctw_principal_cli(), r), 0);
    ctw_record_head h;
    assert_int_equal(ctw_store_head(f->s, "test", "T2", &h), CTW_ENOTFOUND);
    ctw_record_free(r);
}

static void test_rollback_leaves_nothing(void **state)
{
    fixture *f = *state;
    ensure(f->s, "IRQ-NCB");
    ctw_record *r = sample("IRQ-NCB", "T3");
    assert_int_equal(ctw_store_begin(f->s), 0);
    assert_int_equal(ctw_store_begin(f->s), CTW_ECONFLICT); /* no nesting */
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), r), 0);
    assert_int_equal(ctw_store_rollback(f->s), 0);
    ctw_record_head h;
    assert_int_equal(ctw_store_head(f->s, "test", "T3", &h), CTW_ENOTFOUND);
    ctw_record_free(r);
}

static void test_restricted_read_is_hit_only(void **state)
{
    fixture *f = *state;
    ensure(f->s, "USA-NCB");
    ctw_record *r = sample("USA-NCB", "T4");
    r->restriction.kind = CTW_RESTRICT_AGENCIES;
    r->restriction.list = "GBR-NCB";
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), r), 0);
    ctw_principal fra = {.user = "anne", .agency = "FRA-NCB", .role = CTW_ROLE_ANALYST, .purpose = "case 12"};
    ctw_principal gbr = {.user = "bob", .agency = "GBR-NCB", .role = CTW_ROLE_ANALYST, .purpose = "case 13"};
    ctw_record *back = NULL;
    assert_int_equal(ctw_store_get(f->s, &fra, r->id, &back), CTW_EACCES);
    assert_non_null(back);
    assert_string_equal(back->owner, "USA-NCB");
    assert_int_equal(back->names.n, 0);          /* nothing personal leaks */
    assert_int_equal(back->birth_dates.n, 0);
    assert_null(back->remarks);
    ctw_record_free(back);
    back = NULL;
    assert_int_equal(ctw_store_get(f->s, &gbr, r->id, &back), 0);
    assert_int_equal(back->names.n, 3);
    ctw_record_free(back);

    ctw_record_free(r);
}

typedef struct { int n; } counter;
static int count_cb(void *ud, const ctw_record *r)
{
    (void)r;
    ((counter *)ud)->n++;
    return 0;
}

static void test_iterate_filters_by_access(void **state)
{
    fixture *f = *state;
    ensure(f->s, "USA-NCB");
    ctw_record *open = sample("USA-NCB", "O1"), *closed = sample("USA-NCB", "C1");
    closed->restriction.kind = CTW_RESTRICT_HIT_ONLY;
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), open), 0);
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), closed), 0);
    ctw_principal fra = {.user = "anne", .agency = "FRA-NCB", .role = CTW_ROLE_ANALYST};
    counter c = {0};
    assert_int_equal(ctw_store_iterate(f->s, &fra, "test", false, count_cb, &c), 0);
    assert_int_equal(c.n, 1);
    c.n = 0;
    assert_int_equal(ctw_store_iterate(f->s, ctw_principal_cli(), "test", false, count_cb, &c), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(ctw_store_mark_removed(f->s, &fra, open->id, "2026-02-02T00:00:00Z"), CTW_EACCES);
    assert_int_equal(ctw_store_mark_removed(f->s, ctw_principal_cli(), open->id, "2026-02-02T00:00:00Z"), 0);
    c.n = 0;
    assert_int_equal(ctw_store_iterate(f->s, ctw_principal_cli(), "test", false, count_cb, &c), 0);
    assert_int_equal(c.n, 1);
    c.n = 0;
    assert_int_equal(ctw_store_iterate(f->s, ctw_principal_cli(), "test", true, count_cb, &c), 0);
    assert_int_equal(c.n, 2);
    ctw_record_head h;
    assert_int_equal(ctw_store_head(f->s, "test", "O1", &h), 0);
    assert_int_equal(h.status, CTW_STATUS_REMOVED);
    assert_int_equal(h.version, 2);
    ctw_record_free(open);
    ctw_record_free(closed);
}

static void test_audit_chain(void **state)
{
    fixture *f = *state;
    ensure(f->s, "IRQ-NCB");
    ctw_record *r = sample("IRQ-NCB", "A1");
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), r), 0);
    ctw_principal fra = {.user = "anne", .agency = "FRA-NCB", .role = CTW_ROLE_ANALYST, .purpose = "case 7"};
    for (int i = 0; i < 3; i++) {
        ctw_record *back = NULL;
        assert_int_equal(ctw_store_get(f->s, &fra, r->id, &back), 0);
        ctw_record_free(back);
    }
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db,
                         "SELECT time,user,agency,role,action,purpose,records,detail,prev_hash,hash FROM audit ORDER BY seq",
                         -1, &st, NULL), SQLITE_OK);
    char prev[65] = "";
    int rows = 0, reads = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        ctw__audit_entry e = {
            (const char *)sqlite3_column_text(st, 0), (const char *)sqlite3_column_text(st, 1),
            (const char *)sqlite3_column_text(st, 2), (const char *)sqlite3_column_text(st, 3),
            (const char *)sqlite3_column_text(st, 4), (const char *)sqlite3_column_text(st, 5),
            (const char *)sqlite3_column_text(st, 6), (const char *)sqlite3_column_text(st, 7)};
        assert_string_equal((const char *)sqlite3_column_text(st, 8), prev);
        char h[65];
        ctw__audit_hash(prev, &e, h);
        assert_string_equal((const char *)sqlite3_column_text(st, 9), h);
        snprintf(prev, sizeof prev, "%s", h);
        if (strcmp(e.action, "read") == 0) {
            reads++;
            assert_string_equal(e.user, "anne");
            assert_string_equal(e.purpose, "case 7");
            assert_string_equal(e.records, r->id);
        }
        rows++;
    }
    sqlite3_finalize(st);
    assert_int_equal(reads, 3);
    assert_true(rows >= 3);
    /* the log refuses edits and deletions */
    assert_int_not_equal(sqlite3_exec(db, "UPDATE audit SET user='mallory'", NULL, NULL, NULL), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    ctw_record_free(r);
}

static void test_change_feed(void **state)
{
    fixture *f = *state;
    ensure(f->s, "IRQ-NCB");
    int64_t s0 = -1, s1 = -1, s2 = -1, s3 = -1;
    assert_int_equal(ctw_store_change_seq(f->s, &s0), 0);
    assert_int_equal(s0, 0);
    ctw_record *r = sample("IRQ-NCB", "F1");
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), r), 0);
    assert_int_equal(ctw_store_change_seq(f->s, &s1), 0);
    assert_true(s1 > s0);
    /* a rolled-back write leaves the feed where it was */
    assert_int_equal(ctw_store_begin(f->s), 0);
    assert_int_equal(ctw_store_mark_removed(f->s, ctw_principal_cli(), r->id, "2026-03-03T00:00:00Z"), 0);
    assert_int_equal(ctw_store_rollback(f->s), 0);
    assert_int_equal(ctw_store_change_seq(f->s, &s2), 0);
    assert_int_equal(s2, s1);
    /* reads do not move it (audit entries are not record changes) */
    ctw_record *back = NULL;
    assert_int_equal(ctw_store_get(f->s, ctw_principal_cli(), r->id, &back), 0);
    ctw_record_free(back);
    assert_int_equal(ctw_store_mark_removed(f->s, ctw_principal_cli(), r->id, "2026-03-03T00:00:00Z"), 0);
    assert_int_equal(ctw_store_change_seq(f->s, &s3), 0);
    assert_true(s3 > s2);
    ctw_record_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_open_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_get_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_put_refuses_incomplete_and_foreign, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rollback_leaves_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restricted_read_is_hit_only, setup, teardown),
        cmocka_unit_test_setup_teardown(test_iterate_filters_by_access, setup, teardown),
        cmocka_unit_test_setup_teardown(test_audit_chain, setup, teardown),
        cmocka_unit_test_setup_teardown(test_change_feed, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
