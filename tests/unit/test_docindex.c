/* test_docindex.c — the process's copy of the stolen and lost documents:
 * loaded from the store, kept current by refresh (one change at a time,
 * or a full reload after a large import), and checked with the access
 * check on every hit. */
#include "test_util.h"

#include <jansson.h>

#include "ctwatch/border.h"
#include "ctwatch/doctable.h"
#include "ctwatch/store.h"

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
    ctw_agency a = {.code = "FRA-NCB", .name = "NCB Paris", .country = "FRA", .kind = "ncb"};
    assert_int_equal(ctw_store_ensure_agency(f->s, &a), 0);
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

/* Report documents FRA first .. first+n-1 ("FR0000012"...) with status. */
static void report(fixture *f, int first, int n, const char *status)
{
    assert_int_equal(ctw_store_begin(f->s), 0);
    for (int i = first; i < first + n; i++) {
        char number[16];
        snprintf(number, sizeof number, "FR%07d", i);
        ctw_document d = {.issuing_state = "FRA", .type = "P", .number = number, .number_norm = number,
                          .status = status, .owner = "FRA-NCB", .reported = "2026-11-01"};
        assert_int_equal(ctw_store_put_document(f->s, ctw_principal_cli(), &d, NULL, NULL), 0);
    }
    assert_int_equal(ctw_store_commit(f->s), 0);
}

static const char *status_of(fixture *f, ctw_docindex *ix, int i, char out[32])
{
    char number[16];
    snprintf(number, sizeof number, "FR%07d", i);
    ctw_doc_query q = {.state = "FR", .number = number};
    json_t *res = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_docindex_check(ix, f->s, ctw_principal_cli(), &q, &res, &err), 0);
    snprintf(out, 32, "%s", json_string_value(json_object_get(res, "status")));
    json_decref(res);
    return out;
}

static void load_and_follow(void **state)
{
    fixture *f = *state;
    report(f, 0, 3, "stolen");
    ctw_docindex *ix = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_docindex_load(f->s, &ix, &err), 0);
    assert_int_equal(ctw_docindex_count(ix), 3);
    char st[32];
    assert_string_equal(status_of(f, ix, 1, st), "stolen");
    assert_string_equal(status_of(f, ix, 7, st), "none");

    /* a few changes are applied one by one */
    report(f, 7, 1, "lost");
    report(f, 1, 1, "revoked");
    size_t applied = 0;
    assert_int_equal(ctw_docindex_refresh(ix, f->s, &applied), 0);
    assert_int_equal(applied, 2);
    assert_string_equal(status_of(f, ix, 7, st), "lost");
    assert_string_equal(status_of(f, ix, 1, st), "revoked");
    assert_int_equal(ctw_docindex_count(ix), 4);
    assert_int_equal(ctw_docindex_refresh(ix, f->s, &applied), 0);
    assert_int_equal(applied, 0);

    /* a large import: a full reload, and every document is there */
    report(f, 100, 10050, "stolen");
    assert_int_equal(ctw_docindex_refresh(ix, f->s, NULL), 0);
    assert_int_equal(ctw_docindex_count(ix), 4 + 10050);
    assert_string_equal(status_of(f, ix, 100, st), "stolen");
    assert_string_equal(status_of(f, ix, 10149, st), "stolen");
    assert_string_equal(status_of(f, ix, 7, st), "lost");
    /* and after the reload, one change is applied on its own again */
    report(f, 100, 1, "lost");
    assert_int_equal(ctw_docindex_refresh(ix, f->s, &applied), 0);
    assert_int_equal(applied, 1);
    assert_string_equal(status_of(f, ix, 100, st), "lost");
    ctw_docindex_free(ix);
}

static void bad_queries(void **state)
{
    fixture *f = *state;
    ctw_docindex *ix = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_docindex_load(f->s, &ix, &err), 0);
    json_t *res = NULL;
    ctw_doc_query no_state = {.number = "X1"}, bad_state = {.state = "ZZZ", .number = "X1"},
                  bad_number = {.state = "FRA", .number = "X#1"};
    assert_int_equal(ctw_docindex_check(ix, f->s, ctw_principal_cli(), &no_state, &res, &err), CTW_EINVAL);
    assert_int_equal(ctw_docindex_check(ix, f->s, ctw_principal_cli(), &bad_state, &res, &err), CTW_EINVAL);
    assert_string_equal(err.where, "state");
    assert_int_equal(ctw_docindex_check(ix, f->s, ctw_principal_cli(), &bad_number, &res, &err), CTW_EINVAL);
    assert_string_equal(err.where, "number");
    assert_null(res);
    ctw_docindex_free(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(load_and_follow, setup, teardown),
        cmocka_unit_test_setup_teardown(bad_queries, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
