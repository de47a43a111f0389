/* test_audit_verify.c — ctw_store_audit_verify (issue 5): a log of 50
 * entries verifies; then, with the file opened directly by SQLite and the
 * append-only triggers dropped (what anyone holding the file can do), each
 * single tampering is reported with its kind and the first seq it touches.
 * Also ctw_store_audit_list: filters, the newest N, access, its own entry. */
#include "test_util.h"

#include <sqlite3.h>

#include "ctwatch/store.h"
#include "store/store_int.h"

#define N_ENTRIES 50

typedef struct fixture {
    char *dir;
    char path[600];
    ctw_store *s;
} fixture;

/* N_ENTRIES entries, seq 1..N_ENTRIES, each column varying with the seq. */
static void fill(ctw_store *s)
{
    static const char *const users[] = {"anne", "bob", "chen"};
    static const char *const agencies[] = {"FRA-NCB", "DEU-BKA", "UN-SC"};
    static const char *const actions[] = {"read", "search", "screen", "read-many"};
    assert_int_equal(ctw_store_begin(s), 0);
    for (int i = 1; i <= N_ENTRIES; i++) {
        char purpose[32], records[64], detail[64];
        snprintf(purpose, sizeof purpose, "case %d", i % 7);
        snprintf(records, sizeof records, "ctw-%04d,ctw-%04d", i, i + 1);
        snprintf(detail, sizeof detail, "detail of entry %d", i);
        ctw_principal p = {.user = users[i % 3], .agency = agencies[i % 3], .role = CTW_ROLE_ANALYST,
                           .purpose = purpose};
        assert_int_equal(ctw_store_audit(s, &p, actions[i % 4], records, detail), 0);
    }
    assert_int_equal(ctw_store_commit(s), 0);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE, &f->s, &err), 0);
    fill(f->s);
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

/* Edit the file behind the store's back: close the store, drop the
 * append-only triggers, run sql, open the store again. */
static void tamper(fixture *f, const char *sql)
{
    ctw_store_close(f->s);
    f->s = NULL;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    char *msg = NULL;
    int rc = sqlite3_exec(db, "DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;", NULL, NULL, &msg);
    if (rc == SQLITE_OK) rc = sqlite3_exec(db, sql, NULL, NULL, &msg);
    if (rc != SQLITE_OK) fail_msg("tampering failed: %s (%s)", msg ? msg : "?", sql);
    sqlite3_close(db);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, 0, &f->s, &err), 0);
}

/* One column of the row at seq, as text (caller frees). */
static char *column(fixture *f, const char *col, int seq)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char sql[128];
    snprintf(sql, sizeof sql, "SELECT %s FROM audit WHERE seq=%d", col, seq);
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    char *v = strdup((const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* The hash the store would give the row at seq with user changed to
 * new_user: what a careful forger writes. */
static void forged_hash(fixture *f, int seq, const char *new_user, char out[65])
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT time,agency,role,action,purpose,records,detail,prev_hash FROM audit"
                                        " WHERE seq=?1",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int(st, 1, seq);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    const char *c[8];
    for (int i = 0; i < 8; i++) c[i] = (const char *)sqlite3_column_text(st, i);
    ctw__audit_entry e = {.time = c[0], .user = new_user, .agency = c[1], .role = c[2], .action = c[3],
                          .purpose = c[4], .records = c[5], .detail = c[6]};
    ctw__audit_hash(c[7], &e, out);
    sqlite3_finalize(st);
    sqlite3_close(db);
}

static void expect_ok(fixture *f, int64_t entries)
{
    ctw_audit_verify_result res;
    ctw_error err;
    ctw_error_clear(&err);
    assert_int_equal(ctw_store_audit_verify(f->s, &res, &err), 0);
    if (!res.ok) fail_msg("expected an intact log, got %s at %lld: %s", res.kind, (long long)res.first_bad_seq,
                          res.message);
    assert_null(res.kind);
    assert_int_equal(res.entries, entries);
    assert_int_equal(res.first_bad_seq, 0);
}

static void expect_fault(fixture *f, const char *what, const char *kind, int64_t seq, int64_t entries)
{
    ctw_audit_verify_result res;
    ctw_error err;
    ctw_error_clear(&err);
    assert_int_equal(ctw_store_audit_verify(f->s, &res, &err), 0);
    if (res.ok) fail_msg("%s: not detected", what);
    if (!res.kind || strcmp(res.kind, kind) != 0 || res.first_bad_seq != seq || res.entries != entries)
        fail_msg("%s: expected %s at %lld after %lld intact, got %s at %lld after %lld (%s)", what, kind,
                 (long long)seq, (long long)entries, res.kind ? res.kind : "(null)", (long long)res.first_bad_seq,
                 (long long)res.entries, res.message);
    assert_non_null(strchr(res.message, ' '));
}

static void test_intact(void **state)
{
    fixture *f = *state;
    expect_ok(f, N_ENTRIES);
    /* verifying reads only: a second walk sees the same log */
    expect_ok(f, N_ENTRIES);
    /* a later append through the store keeps it intact */
    assert_int_equal(ctw_store_audit(f->s, ctw_principal_cli(), "read", "ctw-x", NULL), 0);
    expect_ok(f, N_ENTRIES + 1);
    /* and a read-only handle can verify */
    ctw_store *ro = NULL;
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_READONLY, &ro, &err), 0);
    ctw_audit_verify_result res;
    assert_int_equal(ctw_store_audit_verify(ro, &res, &err), 0);
    assert_true(res.ok);
    assert_int_equal(res.entries, N_ENTRIES + 1);
    ctw_store_close(ro);
    assert_int_equal(ctw_store_schema_version(f->s), ctw_store_schema_latest());
}

static void test_empty_log(void **state)
{
    fixture *f = *state;
    char path[700];
    snprintf(path, sizeof path, "%s/empty.db", f->dir);
    ctw_store *s = NULL;
    ctw_error err;
    assert_int_equal(ctw_store_open(path, CTW_STORE_CREATE, &s, &err), 0);
    ctw_audit_verify_result res;
    assert_int_equal(ctw_store_audit_verify(s, &res, &err), 0);
    assert_true(res.ok);
    assert_int_equal(res.entries, 0);
    ctw_store_close(s);
}

/* Each column of entry 20 changed in turn, in a fresh store each time, to
 * a plausible value (another entry's where it differs) so that only the
 * hash can tell. */
static void test_changed_column(void **state)
{
    fixture *f = *state;
    static const struct {
        const char *col, *value;
    } edits[] = {
        {"time", "'2020-01-01T00:00:00Z'"},
        {"user", "(SELECT user FROM audit WHERE seq = 22)"},
        {"agency", "(SELECT agency FROM audit WHERE seq = 22)"},
        {"role", "'system-admin'"},
        {"action", "(SELECT action FROM audit WHERE seq = 22)"},
        {"purpose", "(SELECT purpose FROM audit WHERE seq = 22)"},
        {"records", "(SELECT records FROM audit WHERE seq = 22)"},
        {"detail", "''"},
    };
    for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
        if (i > 0) {
            teardown(state);
            setup(state);
            f = *state;
        }
        char sql[200];
        snprintf(sql, sizeof sql, "UPDATE audit SET %s = %s WHERE seq = 20", edits[i].col, edits[i].value);
        char *before = column(f, edits[i].col, 20);
        tamper(f, sql);
        char *after = column(f, edits[i].col, 20);
        if (strcmp(before, after) == 0) fail_msg("%s: the edit changed nothing", edits[i].col);
        free(before);
        free(after);
        expect_fault(f, edits[i].col, "changed", 20, 19);
    }
}

static void test_changed_to_null(void **state)
{
    fixture *f = *state;
    /* NOT NULL holds only until the table is rebuilt; a NULL is a change too
     * (the hash alone would read it as "") */
    tamper(f, "CREATE TABLE a2 AS SELECT * FROM audit; DROP TABLE audit; ALTER TABLE a2 RENAME TO audit;"
              "UPDATE audit SET detail = NULL WHERE seq = 7;");
    expect_fault(f, "detail NULL", "changed", 7, 6);
}

static void test_removed_middle(void **state)
{
    fixture *f = *state;
    tamper(f, "DELETE FROM audit WHERE seq = 25");
    expect_fault(f, "middle entry deleted", "removed", 25, 24);
}

static void test_removed_first(void **state)
{
    fixture *f = *state;
    tamper(f, "DELETE FROM audit WHERE seq = 1");
    expect_fault(f, "first entry deleted", "removed", 1, 0);
}

static void test_removed_and_renumbered(void **state)
{
    fixture *f = *state;
    /* the gap closed by moving every later entry down one */
    tamper(f, "DELETE FROM audit WHERE seq = 25; UPDATE audit SET seq = -seq WHERE seq > 25;"
              "UPDATE audit SET seq = -seq - 1 WHERE seq < 0;");
    expect_fault(f, "deleted and renumbered", "removed", 25, 24);
}

static void test_truncated(void **state)
{
    fixture *f = *state;
    tamper(f, "DELETE FROM audit WHERE seq = 50");
    expect_fault(f, "newest entry deleted", "truncated", 50, 49);
    /* appends after the cut chain to what is left; the anchor's count of
     * appended entries still shows the loss, though not where */
    assert_int_equal(ctw_store_audit(f->s, ctw_principal_cli(), "audit-verify", NULL, "after the cut"), 0);
    expect_fault(f, "newest entry deleted, then an append", "removed", 0, N_ENTRIES);
}

static void test_truncated_several(void **state)
{
    fixture *f = *state;
    tamper(f, "DELETE FROM audit WHERE seq > 40");
    expect_fault(f, "ten newest deleted", "truncated", 41, 40);
}

static void test_reordered(void **state)
{
    fixture *f = *state;
    tamper(f, "UPDATE audit SET seq = -1 WHERE seq = 10; UPDATE audit SET seq = 10 WHERE seq = 11;"
              "UPDATE audit SET seq = 11 WHERE seq = -1;");
    expect_fault(f, "10 and 11 swapped", "reordered", 10, 9);
    teardown(state);
    setup(state);
    f = *state;
    tamper(f, "UPDATE audit SET seq = -1 WHERE seq = 12; UPDATE audit SET seq = 12 WHERE seq = 40;"
              "UPDATE audit SET seq = 40 WHERE seq = -1;");
    expect_fault(f, "12 and 40 swapped", "reordered", 12, 11);
    teardown(state);
    setup(state);
    f = *state;
    tamper(f, "UPDATE audit SET seq = -1 WHERE seq = 49; UPDATE audit SET seq = 49 WHERE seq = 50;"
              "UPDATE audit SET seq = 50 WHERE seq = -1;");
    expect_fault(f, "the two newest swapped", "reordered", 49, 48);
}

static void test_prev_hash_changed(void **state)
{
    fixture *f = *state;
    /* pointed at another real entry: a link that looks right */
    tamper(f, "UPDATE audit SET prev_hash = (SELECT hash FROM audit WHERE seq = 28) WHERE seq = 30");
    expect_fault(f, "prev_hash changed", "changed", 30, 29);
}

static void test_rehashed(void **state)
{
    fixture *f = *state;
    char h[65], sql[256];
    /* entry 30 edited and given the hash its new fields make: its own
     * check passes, its successor still chains to the old hash */
    forged_hash(f, 30, "mallory", h);
    snprintf(sql, sizeof sql, "UPDATE audit SET user = 'mallory', hash = '%s' WHERE seq = 30", h);
    tamper(f, sql);
    char *back = column(f, "hash", 30);
    assert_string_equal(back, h);
    free(back);
    expect_fault(f, "entry 30 rehashed", "changed", 30, 29);
    /* the newest entry has no successor: the anchor holds its old hash */
    teardown(state);
    setup(state);
    f = *state;
    forged_hash(f, 50, "mallory", h);
    snprintf(sql, sizeof sql, "UPDATE audit SET user = 'mallory', hash = '%s' WHERE seq = 50", h);
    tamper(f, sql);
    expect_fault(f, "newest entry rehashed", "changed", 50, 49);
}

static void test_anchor(void **state)
{
    fixture *f = *state;
    /* an entry appended around the store: chained well, but not counted */
    char h[65], sql[600];
    char *prev = column(f, "hash", 50);
    ctw__audit_entry e = {"2026-03-01T00:00:00Z", "mallory", "X", "analyst", "read", "", "", ""};
    ctw__audit_hash(prev, &e, h);
    snprintf(sql, sizeof sql,
             "DROP TRIGGER audit_head_append; INSERT INTO audit VALUES (51, '%s', '%s', '%s', '%s', '%s', '', '', '',"
             " '%s', '%s')",
             e.time, e.user, e.agency, e.role, e.action, prev, h);
    free(prev);
    tamper(f, sql);
    expect_fault(f, "entry added around the store", "added", 51, 51);
    /* the anchor gone: truncation can no longer be ruled out */
    teardown(state);
    setup(state);
    f = *state;
    tamper(f, "DROP TRIGGER audit_head_append; DROP TRIGGER audit_head_no_delete; DROP TABLE audit_head");
    expect_fault(f, "anchor dropped", "truncated", 0, N_ENTRIES);
}

static void test_anchor_refuses_delete(void **state)
{
    fixture *f = *state;
    sqlite3 *db;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_not_equal(sqlite3_exec(db, "DELETE FROM audit_head", NULL, NULL, NULL), SQLITE_OK);
    /* one row only */
    assert_int_not_equal(sqlite3_exec(db, "INSERT INTO audit_head VALUES (2, 0, 0, '')", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    expect_ok(f, N_ENTRIES);
}

typedef struct listed {
    int n;
    int64_t seqs[N_ENTRIES + 8];
    const char *want_action, *want_user;
    int mismatches;
} listed;

static int collect(void *ud, const ctw_audit_entry *e)
{
    listed *l = ud;
    if (l->n < (int)(sizeof l->seqs / sizeof l->seqs[0])) l->seqs[l->n] = e->seq;
    l->n++;
    if ((l->want_action && strcmp(e->action, l->want_action) != 0) || (l->want_user && strcmp(e->user, l->want_user) != 0))
        l->mismatches++;
    return 0;
}

static void test_list(void **state)
{
    fixture *f = *state;
    listed l = {0};
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), NULL, collect, &l), 0);
    assert_int_equal(l.n, N_ENTRIES);
    for (int i = 0; i < N_ENTRIES; i++) assert_int_equal(l.seqs[i], i + 1);
    /* the listing left its own entry */
    char *action = column(f, "action", N_ENTRIES + 1);
    assert_string_equal(action, "audit-read");
    free(action);
    char *detail = column(f, "detail", N_ENTRIES + 1);
    assert_non_null(strstr(detail, "50 audit entries"));
    free(detail);

    /* action "read" is every fourth entry (seq 4, 8, ..., 48); the newest 3 */
    ctw_audit_filter filt = {.action = "read", .limit = 3};
    memset(&l, 0, sizeof l);
    l.want_action = "read";
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &filt, collect, &l), 0);
    assert_int_equal(l.n, 3);
    assert_int_equal(l.seqs[0], 40);
    assert_int_equal(l.seqs[1], 44);
    assert_int_equal(l.seqs[2], 48);
    assert_int_equal(l.mismatches, 0);

    ctw_audit_filter by_user = {.user = "bob"};
    memset(&l, 0, sizeof l);
    l.want_user = "bob";
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &by_user, collect, &l), 0);
    assert_int_equal(l.n, 17); /* seq % 3 == 1: 1, 4, ..., 49 */
    assert_int_equal(l.mismatches, 0);

    ctw_audit_filter future = {.since = "2999-01-01"};
    memset(&l, 0, sizeof l);
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &future, collect, &l), 0);
    assert_int_equal(l.n, 0);

    /* an analyst may not read the log, and reading nothing leaves no entry */
    ctw_principal analyst = {.user = "anne", .agency = "FRA-NCB", .role = CTW_ROLE_ANALYST, .purpose = "curious"};
    memset(&l, 0, sizeof l);
    assert_int_equal(ctw_store_audit_list(f->s, &analyst, NULL, collect, &l), CTW_EACCES);
    assert_int_equal(l.n, 0);
    ctw_principal auditor = {.user = "dpo", .agency = "LOCAL", .role = CTW_ROLE_AUDITOR, .purpose = "review"};
    assert_int_equal(ctw_store_audit_list(f->s, &auditor, &future, collect, &l), 0);
    /* five listings (four by the administrator, one by the auditor), none by the analyst */
    expect_ok(f, N_ENTRIES + 5);
}

/* The API's filters: agency, until, record substring, and paging by after/first. */
static void test_list_page(void **state)
{
    fixture *f = *state;
    listed l = {0};
    /* agency DEU-BKA is i % 3 == 1, the same entries as user bob */
    ctw_audit_filter by_agency = {.agency = "DEU-BKA"};
    l.want_user = "bob";
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &by_agency, collect, &l), 0);
    assert_int_equal(l.n, 17);
    assert_int_equal(l.mismatches, 0);
    /* records "ctw-0007,ctw-0008": entries 6 and 7 name ctw-0007 */
    ctw_audit_filter by_record = {.record = "ctw-0007"};
    memset(&l, 0, sizeof l);
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &by_record, collect, &l), 0);
    assert_int_equal(l.n, 2);
    assert_int_equal(l.seqs[0], 6);
    assert_int_equal(l.seqs[1], 7);
    /* nothing was written before 2000; everything before 2999 */
    ctw_audit_filter old = {.until = "2000-01-01"}, all = {.until = "2999-01-01", .first = N_ENTRIES};
    memset(&l, 0, sizeof l);
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &old, collect, &l), 0);
    assert_int_equal(l.n, 0);
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &all, collect, &l), 0);
    assert_int_equal(l.n, N_ENTRIES);
    /* a page: the oldest 4 "read" entries after seq 10 (12, 16, 20, 24) */
    ctw_audit_filter page = {.action = "read", .after = 10, .first = 4};
    memset(&l, 0, sizeof l);
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &page, collect, &l), 0);
    assert_int_equal(l.n, 4);
    assert_int_equal(l.seqs[0], 12);
    assert_int_equal(l.seqs[3], 24);
    char *detail = column(f, "detail", N_ENTRIES + 5); /* the fifth listing */
    assert_non_null(strstr(detail, "4 audit entries; action=read; after=10; first=4"));
    free(detail);
    /* first and limit do not go together */
    ctw_audit_filter both = {.first = 2, .limit = 2};
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &both, collect, &l), CTW_EINVAL);
    expect_ok(f, N_ENTRIES + 5); /* the refused one wrote nothing */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_intact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_log, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_column, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changed_to_null, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_middle, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_first, setup, teardown),
        cmocka_unit_test_setup_teardown(test_removed_and_renumbered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_several, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reordered, setup, teardown),
        cmocka_unit_test_setup_teardown(test_prev_hash_changed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rehashed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchor, setup, teardown),
        cmocka_unit_test_setup_teardown(test_anchor_refuses_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_page, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
