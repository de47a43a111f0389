/* test_import.c — importing real lists into the store: counts, idempotent
 * re-import, versions, removals, and failed imports that change nothing. */
#include "test_util.h"

#include "ctwatch/import.h"
#include "ctwatch/json.h"
#include "ctwatch/store.h"

#define UN_XML "tests/data/un/consolidated-2026-02-27.xml"
#define OFAC_SDN "tests/data/ofac/sdn.csv"
#define OFAC_ALT "tests/data/ofac/alt.csv"
#define OFAC_ADD "tests/data/ofac/add.csv"

typedef struct fixture {
    char *dir;
    ctw_store *s;
} fixture;

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(path, CTW_STORE_CREATE, &f->s, &err), 0);
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

static json_t *import1(fixture *f, ctw_import_format fmt, const char *const *files, size_t n, ctw_error *err)
{
    json_t *sum = NULL;
    ctw_error local;
    if (!err) err = &local;
    int rc = ctw_import_files(f->s, ctw_principal_cli(), fmt, files, n, NULL, &sum, err);
    if (rc != 0) return NULL;
    return sum;
}

static long jget(json_t *o, const char *a, const char *b)
{
    return (long)json_integer_value(json_object_get(json_object_get(o, a), b));
}

/* The stats JSON as text, to compare before and after a failed import. */
static char *stats_text(ctw_store *s)
{
    ctw_error err;
    json_t *st = ctw_stats_json(s, &err);
    assert_non_null(st);
    char *t = json_dumps(st, JSON_SORT_KEYS);
    json_decref(st);
    return t;
}

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
}

static void test_un_import_and_reimport(void **state)
{
    fixture *f = *state;
    const char *files[] = {UN_XML};
    json_t *sum = import1(f, CTW_FORMAT_UN_XML, files, 1, NULL);
    assert_non_null(sum);
    assert_int_equal(jget(sum, "added", "person"), 730);
    assert_int_equal(jget(sum, "added", "organisation"), 273);
    assert_string_equal(json_string_value(json_object_get(sum, "source")), "un-sc");
    assert_string_equal(json_string_value(json_object_get(sum, "owner")), "UN-SC");
    json_decref(sum);

    sum = import1(f, CTW_FORMAT_UN_XML, files, 1, NULL);
    assert_non_null(sum);
    assert_int_equal(jget(sum, "total", "added"), 0);
    assert_int_equal(jget(sum, "total", "changed"), 0);
    assert_int_equal(jget(sum, "total", "removed"), 0);
    assert_int_equal(jget(sum, "total", "unchanged"), 1003);
    json_decref(sum);

    ctw_error err;
    json_t *st = ctw_stats_json(f->s, &err);
    json_t *un = json_object_get(json_object_get(st, "by_source"), "un-sc");
    assert_int_equal(json_integer_value(json_object_get(un, "person")), 730);
    assert_int_equal(json_integer_value(json_object_get(un, "organisation")), 273);
    json_decref(st);
    assert_true(ctw_store_has_agency(f->s, "UN-SC"));
}

/* Replace the first occurrence of `from` in buf by `to` (same buffer grows). */
static char *replace_once(const char *buf, const char *from, const char *to)
{
    const char *at = strstr(buf, from);
    assert_non_null(at);
    size_t pre = (size_t)(at - buf), fl = strlen(from), tl = strlen(to), rest = strlen(at + fl);
    char *out = malloc(pre + tl + rest + 1);
    memcpy(out, buf, pre);
    memcpy(out + pre, to, tl);
    memcpy(out + pre + tl, at + fl, rest + 1);
    return out;
}

static void test_changes_and_removals(void **state)
{
    fixture *f = *state;
    const char *files[] = {UN_XML};
    json_t *sum = import1(f, CTW_FORMAT_UN_XML, files, 1, NULL);
    json_decref(sum);

    /* Change one person's name, and drop another person entirely. */
    char *orig = ctw_test_slurp(UN_XML, NULL);
    char *changed = replace_once(orig, "<FIRST_NAME>ERIC</FIRST_NAME>", "<FIRST_NAME>ERICK</FIRST_NAME>");
    const char *start = strstr(changed, "<REFERENCE_NUMBER>CDi.002</REFERENCE_NUMBER>");
    assert_non_null(start);
    const char *open = changed;
    for (const char *p = changed; p < start; p++)
        if (strncmp(p, "<INDIVIDUAL>", 12) == 0) open = p;
    const char *close = strstr(start, "</INDIVIDUAL>") + strlen("</INDIVIDUAL>");
    char path[700];
    snprintf(path, sizeof path, "%s/un-changed.xml", f->dir);
    FILE *fp = fopen(path, "wb");
    fwrite(changed, 1, (size_t)(open - changed), fp);
    fputs(close, fp);
    fclose(fp);

    const char *files2[] = {path};
    ctw_import_opts opts = {.source = "un-sc", .owner = "UN-SC"};
    ctw_error err;
    sum = NULL;
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_UN_XML, files2, 1, &opts, &sum, &err), 0);
    assert_int_equal(jget(sum, "changed", "person"), 1);
    assert_int_equal(jget(sum, "removed", "person"), 1);
    assert_int_equal(jget(sum, "unchanged", "person"), 728);
    json_decref(sum);

    ctw_record_head h;
    assert_int_equal(ctw_store_head(f->s, "un-sc", "CDi.001", &h), 0);
    assert_int_equal(h.version, 2);
    ctw_record *r = NULL;
    assert_int_equal(ctw_store_get(f->s, ctw_principal_cli(), h.id, &r), 0);
    assert_non_null(strstr(ctw_record_display_name(r), "ERICK"));
    ctw_record_free(r);
    assert_int_equal(ctw_store_head(f->s, "un-sc", "CDi.002", &h), 0);
    assert_int_equal(h.status, CTW_STATUS_REMOVED); /* marked, not deleted */

    /* The original list brings both back. */
    sum = import1(f, CTW_FORMAT_UN_XML, files, 1, NULL);
    assert_int_equal(jget(sum, "changed", "person"), 2);
    assert_int_equal(jget(sum, "total", "removed"), 0);
    json_decref(sum);
    assert_int_equal(ctw_store_head(f->s, "un-sc", "CDi.002", &h), 0);
    assert_int_equal(h.status, CTW_STATUS_ACTIVE);
    assert_int_equal(h.version, 3);
    free(orig);
    free(changed);
}

static void test_truncated_xml_changes_nothing(void **state)
{
    fixture *f = *state;
    const char *files[] = {UN_XML};
    json_decref(import1(f, CTW_FORMAT_UN_XML, files, 1, NULL));
    char *before = stats_text(f->s);

    size_t len;
    char *orig = ctw_test_slurp(UN_XML, &len);
    char path[700];
    snprintf(path, sizeof path, "%s/truncated.xml", f->dir);
    write_file(path, orig, len / 2);
    const char *bad[] = {path};
    ctw_import_opts opts = {.source = "un-sc"};
    json_t *sum = NULL;
    ctw_error err;
    int rc = ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_UN_XML, bad, 1, &opts, &sum, &err);
    assert_int_equal(rc, CTW_EPARSE);
    assert_null(sum);
    assert_non_null(strstr(err.where, "truncated.xml")); /* names the file ... */
    assert_non_null(strchr(err.where, ':'));             /* ... and the line */
    char *after = stats_text(f->s);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(orig);
}

static void test_ofac_import_counts_and_broken_quote(void **state)
{
    fixture *f = *state;
    const char *files[] = {OFAC_SDN, OFAC_ALT, OFAC_ADD};
    json_t *sum = import1(f, CTW_FORMAT_OFAC_CSV, files, 3, NULL);
    assert_non_null(sum);
    assert_int_equal(jget(sum, "added", "person"), 4620);
    assert_int_equal(jget(sum, "added", "organisation"), 3673);
    assert_int_equal(jget(sum, "added", "vessel"), 406);
    assert_int_equal(jget(sum, "added", "aircraft"), 277);
    assert_int_equal(jget(sum, "total", "added"), 8976);
    json_decref(sum);
    /* files in another order are told apart by name */
    const char *shuffled[] = {OFAC_ADD, OFAC_SDN, OFAC_ALT};
    sum = import1(f, CTW_FORMAT_OFAC_CSV, shuffled, 3, NULL);
    assert_non_null(sum);
    assert_int_equal(jget(sum, "total", "unchanged"), 8976);
    assert_int_equal(jget(sum, "total", "changed"), 0);
    json_decref(sum);

    char *before = stats_text(f->s);
    size_t len;
    char *sdn = ctw_test_slurp(OFAC_SDN, &len);
    /* break a quote in the middle of the file: drop the closing quote of a field */
    char *mid = sdn + len / 2;
    char *q = strstr(mid, "\",");
    assert_non_null(q);
    *q = ' ';
    char path[700];
    snprintf(path, sizeof path, "%s/sdn.csv", f->dir);
    write_file(path, sdn, len);
    const char *bad[] = {path, OFAC_ALT, OFAC_ADD};
    ctw_error err;
    sum = NULL;
    int rc = ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_OFAC_CSV, bad, 3, NULL, &sum, &err);
    assert_true(rc == CTW_EPARSE || rc == CTW_ELIMIT);
    assert_null(sum);
    assert_non_null(strstr(err.where, "sdn.csv:"));
    char *after = stats_text(f->s);
    assert_string_equal(before, after);
    free(before);
    free(after);
    free(sdn);
}

static void test_bad_arguments(void **state)
{
    fixture *f = *state;
    json_t *sum = NULL;
    ctw_error err;
    const char *two[] = {UN_XML, UN_XML};
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_UN_XML, two, 2, NULL, &sum, &err), CTW_EINVAL);
    const char *missing[] = {"tests/data/no-such-file.xml"};
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_UN_XML, missing, 1, NULL, &sum, &err), CTW_EIO);
    assert_non_null(strstr(err.message, "no-such-file"));
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_UN_XML, NULL, 0, NULL, &sum, &err), CTW_EINVAL);
    assert_null(sum);
    /* a UN file handed to the FtM reader fails cleanly */
    const char *un[] = {UN_XML};
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_FTM, un, 1, NULL, &sum, &err), CTW_EPARSE);
    assert_int_equal(ctw_import_format_from_name("ofac-csv"), CTW_FORMAT_OFAC_CSV);
    assert_int_equal(ctw_import_format_from_name("xml"), CTW_EINVAL);
}

/* Export every UN record as FtM, import that into a second store: the same
 * records with the same names come back. */
static int write_line(void *ud, const char *line, size_t len)
{
    FILE *fp = ud;
    fwrite(line, 1, len, fp);
    fputc('\n', fp);
    return 0;
}
static int export_cb(void *ud, const ctw_record *r) { return ctw_ftm_write(r, write_line, ud); }

typedef struct { long names, persons, orgs, dates, nats, ids; } tally;
static int tally_cb(void *ud, const ctw_record *r)
{
    tally *t = ud;
    t->names += (long)r->names.n;
    /* FtM keeps a birth date as a string: precision (approx, year) and a
     * range's end do not survive, so count distinct date strings */
    for (size_t i = 0; i < r->birth_dates.n; i++) {
        const char *di = r->birth_dates.v[i].from ? r->birth_dates.v[i].from : r->birth_dates.v[i].text;
        bool dup = false;
        for (size_t j = 0; j < i && !dup; j++) {
            const char *dj = r->birth_dates.v[j].from ? r->birth_dates.v[j].from : r->birth_dates.v[j].text;
            dup = di && dj && strcmp(di, dj) == 0;
        }
        t->dates += !dup;
    }
    t->nats += (long)r->nationalities.n;
    t->ids += (long)r->identifiers.n;
    if (r->kind == CTW_KIND_PERSON) t->persons++;
    if (r->kind == CTW_KIND_ORGANISATION) t->orgs++;
    return 0;
}

static void test_ftm_export_round_trip(void **state)
{
    fixture *f = *state;
    const char *files[] = {UN_XML};
    json_decref(import1(f, CTW_FORMAT_UN_XML, files, 1, NULL));
    char path[700];
    snprintf(path, sizeof path, "%s/export.ftm.json", f->dir);
    FILE *fp = fopen(path, "w");
    assert_int_equal(ctw_store_iterate(f->s, ctw_principal_cli(), "un-sc", false, export_cb, fp), 0);
    fclose(fp);

    fixture g;
    g.dir = f->dir;
    char path2[700];
    snprintf(path2, sizeof path2, "%s/second.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(path2, CTW_STORE_CREATE, &g.s, &err), 0);
    const char *in[] = {path};
    json_t *sum = import1(&g, CTW_FORMAT_FTM, in, 1, &err);
    if (!sum) fail_msg("%s: %s", err.where, err.message);
    assert_int_equal(jget(sum, "added", "person"), 730);
    assert_int_equal(jget(sum, "added", "organisation"), 273);
    json_decref(sum);
    tally a = {0}, b = {0};
    assert_int_equal(ctw_store_iterate(f->s, ctw_principal_cli(), "un-sc", false, tally_cb, &a), 0);
    assert_int_equal(ctw_store_iterate(g.s, ctw_principal_cli(), NULL, false, tally_cb, &b), 0);
    assert_int_equal(a.persons, b.persons);
    assert_int_equal(a.orgs, b.orgs);
    assert_int_equal(a.names, b.names);
    assert_int_equal(a.dates, b.dates);
    assert_int_equal(a.nats, b.nats);
    assert_int_equal(a.ids, b.ids);
    ctw_store_close(g.s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_un_import_and_reimport, setup, teardown),
        cmocka_unit_test_setup_teardown(test_changes_and_removals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_truncated_xml_changes_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ofac_import_counts_and_broken_quote, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_arguments, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ftm_export_round_trip, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
