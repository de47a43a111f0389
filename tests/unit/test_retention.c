/* test_retention.c — review dates and real deletion (issue 5, store.h's
 * retention block): who lists and who decides, the reason's rules, the
 * new review date, and a deletion that leaves no row, no reference, no
 * byte of the record in the store file and nothing personal in the audit
 * log; every refusal changes nothing. */
#include "test_util.h"

#include <sqlite3.h>
#include <time.h>

#include "ctwatch/access.h"
#include "ctwatch/store.h"

#define NAME "Quirinus Zwetschgenbaum"
#define PASSPORT "X9Q8W7E6R5"

typedef struct fixture {
    char *dir;
    char path[600];
    ctw_store *s;
    char id[64];      /* FRA-NCB's person, due 2020-01-01, with every element kind */
    char later[64];   /* FRA-NCB's person, due in 2099 */
    char deu[64];     /* DEU-NCB's person, due 2020-06-01 */
    char un[64];      /* UN-SC's person (an imported list), due 2021-01-01 */
} fixture;

static const ctw_principal fra_sup = {.user = "sup.fra", .agency = "FRA-NCB", .role = CTW_ROLE_SUPERVISOR};
static const ctw_principal fra_analyst = {.user = "ana.fra", .agency = "FRA-NCB", .role = CTW_ROLE_ANALYST};
static const ctw_principal fra_admin = {.user = "adm.fra", .agency = "FRA-NCB", .role = CTW_ROLE_AGENCY_ADMIN};
static const ctw_principal fra_officer = {.user = "off.fra", .agency = "FRA-NCB", .role = CTW_ROLE_OFFICER};
static const ctw_principal fra_auditor = {.user = "aud.fra", .agency = "FRA-NCB", .role = CTW_ROLE_AUDITOR};
static const ctw_principal deu_sup = {.user = "sup.deu", .agency = "DEU-NCB", .role = CTW_ROLE_SUPERVISOR};
static const ctw_principal sysadmin = {.user = "root", .agency = "FRA-NCB", .role = CTW_ROLE_SYSTEM_ADMIN};
static const ctw_principal fra_key = {.user = "key:gate", .agency = "FRA-NCB", .role = CTW_ROLE_SUPERVISOR,
                                      .scope = "screening"};
static const ctw_principal un_sup = {.user = "sup.un", .agency = "UN-SC", .role = CTW_ROLE_SUPERVISOR};

static void put_person(fixture *f, const char *owner, const char *source_id, const char *name, const char *review,
                       bool full, char *id_out)
{
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = "test";
    r->source_id = source_id;
    r->owner = owner;
    r->created = r->updated = "2015-01-01T00:00:00Z";
    r->review_date = review;
    r->version = 1;
    ctw_record_make_id(r);
    ctw_record_add_name(r, name, CTW_NAME_PRIMARY, NULL);
    if (full) {
        ctw_record_add_name(r, "Kiki Zwetschgenbaum", CTW_NAME_ALIAS_STRONG, NULL);
        ctw_date *d = ctw_record_add_birth_date(r);
        d->precision = CTW_DATE_EXACT;
        d->from = d->to = ctw_record_str(r, "1971-04-05");
        ctw_place *p = ctw_record_add_birth_place(r);
        p->place = ctw_record_str(r, "Oberzwetschgenhausen");
        ctw_record_add_nationality_coded(r, "Austria", "AUT");
        ctw_identifier *i = ctw_record_add_identifier(r);
        i->type = ctw_record_str(r, "passport");
        i->number = ctw_record_str(r, PASSPORT);
        ctw_address *a = ctw_record_add_address(r);
        a->full = ctw_record_str(r, "Pflaumenweg 7, Graz");
        ctw_listing *l = ctw_record_add_listing(r);
        l->kind = ctw_record_str(r, "national-listing");
        l->reference = ctw_record_str(r, "FR-REF-77");
        ctw_record_add_attr(r, "remark", "Schwetschke-Liebhaber");
    }
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), r), 0);
    snprintf(id_out, 64, "%s", r->id);
    ctw_record_free(r);
}

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE, &f->s, &err), 0);
    static const char *const codes[] = {"FRA-NCB", "DEU-NCB", "UN-SC"};
    for (size_t i = 0; i < 3; i++) {
        ctw_agency a = {.code = codes[i]};
        assert_int_equal(ctw_store_ensure_agency(f->s, &a), 0);
    }
    assert_int_equal(ctw_store_begin(f->s), 0);
    put_person(f, "FRA-NCB", "F1", NAME, "2020-01-01", true, f->id);
    put_person(f, "FRA-NCB", "F2", "Later Person", "2099-01-01", false, f->later);
    put_person(f, "DEU-NCB", "D1", "Dieter Deutschmann", "2020-06-01", false, f->deu);
    put_person(f, "UN-SC", "QDi.999", "Listed Unperson", "2021-01-01", false, f->un);
    /* a traveller who matched the record at a border */
    ctw_movement m = {.person = f->id, .reason = "match", .score = 0.97, .surname = "ZWETSCHGENBAUM",
                      .given = "QUIRINUS", .flight = "AF1", .source = "json", .agency = "DEU-NCB",
                      .recorded = "2026-01-01T00:00:00Z", .departure = "2026-01-01T10:00"};
    int64_t seq;
    assert_int_equal(ctw_store_add_movement(f->s, &deu_sup, &m, &seq), 0);
    assert_int_equal(ctw_store_commit(f->s), 0);
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

/* One number from the store file, read beside the handle. */
static long long scalar(fixture *f, const char *sql, const char *arg)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long long v = -1;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) fail_msg("%s: %s", sql, sqlite3_errmsg(db));
    if (arg) sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

static const char *const element_tables[] = {"names", "birth_dates", "birth_places", "nationalities",
                                             "identifiers", "addresses", "listings", "attributes"};

/* Rows of record id in the records table and every element table. */
static long long rows_of(fixture *f, const char *id)
{
    char sql[128];
    long long n = scalar(f, "SELECT count(*) FROM records WHERE id=?1", id);
    for (size_t i = 0; i < sizeof element_tables / sizeof element_tables[0]; i++) {
        snprintf(sql, sizeof sql, "SELECT count(*) FROM %s WHERE record_id=?1", element_tables[i]);
        n += scalar(f, sql, id);
    }
    return n;
}

/* Everything a refusal must leave as it was, as one text (f->later aside:
 * the refusal test extends it on purpose). */
static void snapshot(fixture *f, char *out, size_t cap)
{
    snprintf(out, cap, "%lld/%lld/%lld/%lld/%lld/%lld/%lld", rows_of(f, f->id), rows_of(f, f->deu),
             rows_of(f, f->un), scalar(f, "SELECT count(*) FROM movements WHERE person IS NOT NULL", NULL),
             scalar(f, "SELECT count(*) FROM changes WHERE record_id <> ?1", f->later),
             scalar(f, "SELECT sum(version) FROM records WHERE id <> ?1", f->later),
             scalar(f, "SELECT count(*) FROM records WHERE review_date > '2025' AND id <> ?1", f->later));
}

typedef struct listed {
    int n;
    char ids[8][64];
    char names[8][64];
} listed;

static int collect(void *ud, const ctw_review_item *r)
{
    listed *l = ud;
    if (l->n < 8) {
        snprintf(l->ids[l->n], 64, "%s", r->id);
        snprintf(l->names[l->n], 64, "%s", r->name ? r->name : "");
    }
    l->n++;
    return 0;
}

static long count_action(fixture *f, const char *action)
{
    return (long)scalar(f, "SELECT count(*) FROM audit WHERE action=?1", action);
}

static void test_list_own_agency(void **state)
{
    fixture *f = *state;
    ctw_error err = {0};
    listed l = {0};
    /* due by 2030: FRA-NCB's first record, not the one due in 2099 nor DEU-NCB's */
    assert_int_equal(ctw_store_reviews_due(f->s, &fra_sup, NULL, "2030-01-01", 100, collect, &l, &err), 0);
    assert_int_equal(l.n, 1);
    assert_string_equal(l.ids[0], f->id);
    assert_string_equal(l.names[0], NAME);
    assert_int_equal(count_action(f, "review-list"), 1);
    const ctw_principal *listers[] = {&fra_analyst, &fra_sup};
    for (int i = 0; i < 2; i++) {
        listed k = {0};
        assert_int_equal(ctw_store_reviews_due(f->s, listers[i], "FRA-NCB", "2100-01-01", 100, collect, &k, &err), 0);
        assert_int_equal(k.n, 2);
        assert_string_equal(k.ids[0], f->id); /* oldest review date first */
        assert_string_equal(k.ids[1], f->later);
    }
    /* the command line lists every agency's, or one */
    listed all = {0}, deu = {0};
    assert_int_equal(ctw_store_reviews_due(f->s, ctw_principal_cli(), NULL, "2030-01-01", 100, collect, &all, &err), 0);
    assert_int_equal(all.n, 3);
    assert_int_equal(ctw_store_reviews_due(f->s, ctw_principal_cli(), "DEU-NCB", "2030-01-01", 100, collect, &deu, &err), 0);
    assert_int_equal(deu.n, 1);
    assert_string_equal(deu.ids[0], f->deu);
    /* the limit */
    listed one = {0};
    assert_int_equal(ctw_store_reviews_due(f->s, ctw_principal_cli(), NULL, "2030-01-01", 1, collect, &one, &err), 0);
    assert_int_equal(one.n, 1);
}

static void test_list_refused(void **state)
{
    fixture *f = *state;
    ctw_error err = {0};
    long denied = count_action(f, "review-denied");
    const ctw_principal *refused[] = {&fra_officer, &fra_auditor, &fra_admin, &sysadmin, &fra_key};
    for (int i = 0; i < 5; i++) {
        listed l = {0};
        assert_int_equal(ctw_store_reviews_due(f->s, refused[i], NULL, "2100-01-01", 10, collect, &l, &err), CTW_EACCES);
        assert_int_equal(l.n, 0);
    }
    /* another agency's list, even for its own supervisor's peer */
    listed l = {0};
    assert_int_equal(ctw_store_reviews_due(f->s, &deu_sup, "FRA-NCB", "2100-01-01", 10, collect, &l, &err), CTW_EACCES);
    assert_int_equal(l.n, 0);
    assert_int_equal(count_action(f, "review-denied"), denied + 6);
    assert_int_equal(count_action(f, "review-list"), 0);
    assert_int_equal(ctw_store_reviews_due(f->s, &fra_sup, NULL, "2030-1-1", 10, collect, &l, &err), CTW_EINVAL);
    assert_int_equal(ctw_store_reviews_due(f->s, &fra_sup, NULL, "2030-01-01", 0, collect, &l, &err), CTW_EINVAL);
    assert_int_equal(ctw_store_reviews_due(f->s, &fra_sup, NULL, "2030-01-01", CTW_REVIEWS_MAX + 1, collect, &l, &err),
                     CTW_EINVAL);
}

/* The review date five years from today, as the store should write it. */
static void five_years(char out[16])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (tm.tm_mon == 1 && tm.tm_mday == 29) tm.tm_mday = 28;
    tm.tm_year += 5;
    strftime(out, 16, "%Y-%m-%d", &tm);
}

static void test_extend(void **state)
{
    fixture *f = *state;
    ctw_error err = {0};
    char date[16] = "", want[16];
    five_years(want);
    long long version = scalar(f, "SELECT version FROM records WHERE id=?1", f->id);
    assert_int_equal(ctw_store_review_extend(f->s, &fra_sup, f->id, "investigation still open", date, &err), 0);
    assert_string_equal(date, want);
    ctw_record *r = NULL;
    assert_int_equal(ctw_store_get(f->s, &fra_sup, f->id, &r), 0);
    assert_string_equal(r->review_date, want);
    assert_int_equal(r->version, version + 1);
    ctw_record_free(r);
    assert_int_equal(count_action(f, "review-extend"), 1);
    assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE action='review-extend' AND records=?1 AND "
                               "instr(detail, 'investigation still open') > 0 AND instr(detail, '2020-01-01 -> ') > 0",
                            f->id), 1);
    /* no longer due by 2030 */
    listed l = {0};
    assert_int_equal(ctw_store_reviews_due(f->s, &fra_sup, NULL, "2030-01-01", 100, collect, &l, &err), 0);
    assert_int_equal(l.n, 0);
    /* the command line decides too */
    assert_int_equal(ctw_store_review_extend(f->s, ctw_principal_cli(), f->deu, "kept", date, &err), 0);
}

static void test_refusals_change_nothing(void **state)
{
    fixture *f = *state;
    ctw_error err = {0};
    char before[256], after[256], date[16];
    snapshot(f, before, sizeof before);
    long denied = count_action(f, "delete-denied"), rdenied = count_action(f, "review-denied");
    bool ow = true;
    /* not the owner's supervisor: the owner's analyst and agency administrator,
     * another agency's supervisor, a system administrator, a key */
    const ctw_principal *refused[] = {&fra_analyst, &fra_admin, &fra_officer, &deu_sup, &sysadmin, &fra_key};
    for (int i = 0; i < 6; i++) {
        /* the agency administrator reads no records (access.h): for it the record is not there */
        int want = refused[i] == &fra_admin ? CTW_ENOTFOUND : CTW_EACCES;
        assert_int_equal(ctw_store_record_delete(f->s, refused[i], f->id, "closed", &ow, &err), want);
        assert_false(ow);
        assert_int_equal(ctw_store_review_extend(f->s, refused[i], f->id, "closed", date, &err), want);
    }
    assert_int_equal(count_action(f, "delete-denied"), denied + 6);
    assert_int_equal(count_action(f, "review-denied"), rdenied + 6);
    /* bad reasons: none, empty, blank, too long, control characters, the
     * record's own words and numbers */
    char big[CTW_RETENTION_REASON_MAX + 2];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    const char *bad[] = {NULL, "", "  \n ", big, "closed\x1b[31m", "zwetschgenbaum left the country",
                         "the QUIRINUS file", "passport " PASSPORT " expired", "kiki moved"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ctw_store_record_delete(f->s, &fra_sup, f->id, bad[i], &ow, &err), CTW_EINVAL);
        assert_int_equal(ctw_store_review_extend(f->s, &fra_sup, f->id, bad[i], date, &err), CTW_EINVAL);
    }
    /* exactly the maximum is fine as text; a word that only contains a name part is no name */
    big[CTW_RETENTION_REASON_MAX] = '\0';
    assert_int_equal(ctw_store_review_extend(f->s, &fra_sup, f->later, big, date, &err), 0);
    assert_int_equal(ctw_store_review_extend(f->s, &fra_sup, f->later, "Zwetschgenbaumer is another man", date, &err), 0);
    /* unknown record */
    assert_int_equal(ctw_store_record_delete(f->s, &fra_sup, "ctw-nosuchrecord", "closed", &ow, &err), CTW_ENOTFOUND);
    snapshot(f, after, sizeof after);
    assert_string_equal(after, before);
    assert_int_equal(rows_of(f, f->id), 10);
    assert_int_equal(scalar(f, "SELECT version FROM records WHERE id=?1", f->later), 3);
}

/* True if the bytes of s occur in the file at path (absent file: false). */
static bool file_holds(const char *path, const char *s)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) return false;
    size_t n = strlen(s), cap = 1 << 20, len = 0;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + len, 1, cap - len, fp)) > 0) {
        len += k;
        if (len == cap) buf = realloc(buf, cap *= 2);
    }
    fclose(fp);
    bool found = memmem(buf, len, s, n) != NULL;
    free(buf);
    return found;
}

static int no_personal(void *ud, const ctw_audit_entry *e)
{
    (void)ud;
    const char *fields[] = {e->records, e->detail, e->user, e->action};
    for (int i = 0; i < 4; i++)
        if (fields[i] && (strstr(fields[i], "wetschgen") || strstr(fields[i], PASSPORT) || strstr(fields[i], "QUIRINUS")))
            fail_msg("audit entry %lld (%s) copies personal data: %s", (long long)e->seq, e->action, fields[i]);
    return 0;
}

static void test_delete(void **state)
{
    fixture *f = *state;
    ctw_error err = {0};
    /* reads leave their entries in the audit log too: none may copy a name */
    ctw_record *r = NULL;
    assert_int_equal(ctw_store_get(f->s, &fra_analyst, f->id, &r), 0);
    ctw_record_free(r);
    int64_t seq0 = 0, seq1 = 0;
    assert_int_equal(ctw_store_change_seq(f->s, &seq0), 0);
    assert_int_equal(rows_of(f, f->id), 10);
    char wal[700];
    snprintf(wal, sizeof wal, "%s-wal", f->path);
    /* before: the bytes are there (in the file or still in its log) */
    assert_true(file_holds(f->path, "Oberzwetschgenhausen") || file_holds(wal, "Oberzwetschgenhausen"));
    bool ow = false;
    assert_int_equal(ctw_store_record_delete(f->s, &fra_sup, f->id, "case closed, no further need", &ow, &err), 0);
    assert_true(ow);
    assert_int_equal(rows_of(f, f->id), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM movements WHERE person IS NOT NULL", NULL), 0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM movements", NULL), 1);
    /* the feed moved: a 'delete' change for the record */
    assert_int_equal(ctw_store_change_seq(f->s, &seq1), 0);
    assert_true(seq1 > seq0);
    assert_int_equal(scalar(f, "SELECT count(*) FROM changes WHERE op='delete' AND record_id=?1", f->id), 1);
    assert_int_equal(ctw_store_get(f->s, &fra_sup, f->id, &r), CTW_ENOTFOUND);
    /* the audit keeps the id, who, when, why */
    assert_int_equal(scalar(f, "SELECT count(*) FROM audit WHERE action='record-delete' AND records=?1 AND "
                               "user='sup.fra' AND agency='FRA-NCB' AND detail='reason: case closed, no further need'",
                            f->id), 1);
    ctw_audit_filter all = {0};
    assert_int_equal(ctw_store_audit_list(f->s, ctw_principal_cli(), &all, no_personal, NULL), 0);
    /* the bytes are gone from the file and its log */
    const char *traces[] = {"wetschgen", PASSPORT, "Pflaumenweg", "Schwetschke", "FR-REF-77"};
    for (size_t i = 0; i < sizeof traces / sizeof traces[0]; i++) {
        if (file_holds(f->path, traces[i])) fail_msg("the store file still holds \"%s\"", traces[i]);
        if (file_holds(wal, traces[i])) fail_msg("the write-ahead log still holds \"%s\"", traces[i]);
    }
    /* the audit log is still intact */
    ctw_audit_verify_result v;
    assert_int_equal(ctw_store_audit_verify(f->s, &v, &err), 0);
    assert_true(v.ok);
    /* gone is gone */
    assert_int_equal(ctw_store_record_delete(f->s, &fra_sup, f->id, "again", &ow, &err), CTW_ENOTFOUND);
    assert_int_equal(ctw_store_review_extend(f->s, &fra_sup, f->id, "again", (char[16]){0}, &err), CTW_ENOTFOUND);
}

static void test_delete_imported_list_record(void **state)
{
    fixture *f = *state;
    ctw_error err = {0};
    bool ow = false;
    /* FRA-NCB's supervisor does not own it; UN-SC's does */
    assert_int_equal(ctw_store_record_delete(f->s, &fra_sup, f->un, "delisted", &ow, &err), CTW_EACCES);
    assert_int_equal(rows_of(f, f->un), 2);
    assert_int_equal(ctw_store_record_delete(f->s, &un_sup, f->un, "delisted by the committee", &ow, &err), 0);
    assert_int_equal(rows_of(f, f->un), 0);
    /* and the command line, for the operator of the store file */
    assert_int_equal(ctw_store_record_delete(f->s, ctw_principal_cli(), f->deu, "duplicate entry", &ow, &err), 0);
    assert_int_equal(rows_of(f, f->deu), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_list_own_agency, setup, teardown),
        cmocka_unit_test_setup_teardown(test_list_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_extend, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals_change_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete, setup, teardown),
        cmocka_unit_test_setup_teardown(test_delete_imported_list_record, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
