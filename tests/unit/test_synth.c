/* test_synth.c — the synthetic watchlist: determinism, slices, that the
 * project's own FtM reader takes every line, the realism the benchmarks
 * rely on, and the CLI's argument checks.
 *
 * The CLI command is compiled in (it is not part of the library) so that
 * its exit codes are checked in-process; ctw_cli_error is the one helper
 * from main.c it needs, stubbed below.
 */
#include "test_util.h"

#include <stdbool.h>
#include <sys/stat.h>

#include <jansson.h>

#include "ctwatch/import.h"
#include "ctwatch/synth.h"

#include "cli/cmd_synth.c"

void ctw_cli_error(const char *cmd, const char *fmt, ...)
{
    (void)cmd;
    (void)fmt; /* the tests check exit codes, not wording */
}

/* ---- helpers ------------------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t n, cap;
    size_t lines;
} buf;

static int to_buf(void *ud, const char *line, size_t len)
{
    buf *b = ud;
    if (b->n + len + 2 > b->cap) {
        b->cap = (b->n + len + 2) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->n, line, len);
    b->p[b->n + len] = '\n';
    b->n += len + 1;
    b->p[b->n] = '\0';
    b->lines++;
    return 0;
}

static buf gen(uint64_t seed, size_t first, size_t count)
{
    buf b = {0};
    assert_int_equal(ctw_synth_persons(seed, first, count, to_buf, &b), 0);
    return b;
}

typedef struct recs {
    ctw_record **v;
    size_t n, cap;
} recs;

static int collect(void *ud, ctw_record *r)
{
    recs *c = ud;
    if (c->n == c->cap) {
        c->cap = c->cap ? c->cap * 2 : 256;
        c->v = realloc(c->v, c->cap * sizeof *c->v);
        assert_non_null(c->v);
    }
    c->v[c->n++] = r;
    return 0;
}

static recs read_back(const buf *b)
{
    recs c = {0};
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_ftm_read_mem(b->p, b->n, "synth.json", collect, &c, &err);
    if (rc != 0) fail_msg("FtM reader refused synthetic output: %s: %s", err.where, err.message);
    return c;
}

static void recs_free(recs *c)
{
    for (size_t i = 0; i < c->n; i++) ctw_record_free(c->v[i]);
    free(c->v);
}

static const ctw_name *primary_name(const ctw_record *r)
{
    for (size_t i = 0; i < r->names.n; i++)
        if (r->names.v[i].kind == CTW_NAME_PRIMARY) return &r->names.v[i];
    return NULL;
}

/* ---- determinism ------------------------------------------------------- */

static void test_same_seed_same_bytes(void **state)
{
    (void)state;
    buf a = gen(42, 0, 500), b = gen(42, 0, 500);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.p, b.p, a.n);
    free(a.p);
    free(b.p);
}

static void test_prefix_and_slices(void **state)
{
    (void)state;
    buf small = gen(42, 0, 1000), big = gen(42, 0, 2000), tail = gen(42, 1000, 1000);
    assert_true(big.n > small.n);
    assert_memory_equal(big.p, small.p, small.n); /* persons 1000 is a prefix of persons 2000 */
    assert_int_equal(small.n + tail.n, big.n);    /* and the rest is the slice [1000, 2000) */
    assert_memory_equal(big.p + small.n, tail.p, tail.n);
    free(small.p);
    free(big.p);
    free(tail.p);
}

static void test_seeds_differ(void **state)
{
    (void)state;
    buf a = gen(1, 0, 200), b = gen(2, 0, 200);
    /* Not only the ids: the names differ too. Drop the ids by comparing
     * the person lines' text after "schema". */
    size_t same = 0, lines = 0;
    char *sa = NULL, *sb_ = NULL;
    for (char *la = strtok_r(a.p, "\n", &sa), *lb = strtok_r(b.p, "\n", &sb_); la && lb;
         la = strtok_r(NULL, "\n", &sa), lb = strtok_r(NULL, "\n", &sb_)) {
        lines++;
        const char *pa = strstr(la, "\"schema\""), *pb = strstr(lb, "\"schema\"");
        if (pa && pb && strcmp(pa, pb) == 0) same++;
    }
    assert_true(lines >= 200);
    assert_true(same < lines / 10);
    free(a.p);
    free(b.p);
}

/* ---- the FtM reader takes it, and it looks like a watchlist ------------ */

static void test_reads_back_as_records(void **state)
{
    (void)state;
    buf b = gen(7, 0, 1000);
    /* every line is a JSON object on its own */
    char *save = NULL;
    char *copy = strdup(b.p);
    size_t passport_lines = 0, sanction_lines = 0;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        json_error_t je;
        json_t *j = json_loads(l, 0, &je);
        if (!j) fail_msg("line does not parse: %s: %s", je.text, l);
        assert_true(json_is_object(j));
        const char *schema = json_string_value(json_object_get(j, "schema"));
        assert_non_null(schema);
        if (strcmp(schema, "Passport") == 0) passport_lines++;
        if (strcmp(schema, "Sanction") == 0) sanction_lines++;
        json_decref(j);
    }
    free(copy);

    recs c = read_back(&b);
    assert_int_equal(c.n, 1000);
    size_t exact = 0, nonlatin = 0, passports = 0, listings = 0, female = 0, with_nat = 0;
    for (size_t i = 0; i < c.n; i++) {
        const ctw_record *r = c.v[i];
        assert_int_equal(r->kind, CTW_KIND_PERSON);
        const ctw_name *pn = primary_name(r);
        assert_non_null(pn);
        assert_true(strlen(pn->full) >= 2);
        assert_non_null(r->gender);
        if (strcmp(r->gender, "female") == 0) female++;
        if (r->nationalities.n) with_nat++;
        for (size_t k = 0; k < r->nationalities.n; k++) assert_non_null(r->nationalities.v[k].country);

        bool has_exact = false;
        for (size_t k = 0; k < r->birth_dates.n; k++) {
            const ctw_date *d = &r->birth_dates.v[k];
            assert_non_null(d->from);
            if (d->precision == CTW_DATE_EXACT) has_exact = true;
            else assert_int_equal(d->precision, CTW_DATE_YEAR);
            int y = (int)strtol(d->from, NULL, 10);
            assert_true(y >= 2026 - 75 - 3 && y <= 2026 - 18); /* second dates drift a few years */
        }
        exact += has_exact;

        bool nl = false;
        for (size_t k = 0; k < r->names.n; k++)
            if (r->names.v[k].script && strcmp(r->names.v[k].script, "Latn") != 0 &&
                strcmp(r->names.v[k].script, "Zyyy") != 0)
                nl = true;
        nonlatin += nl;

        for (size_t k = 0; k < r->identifiers.n; k++) {
            const ctw_identifier *id = &r->identifiers.v[k];
            if (strcmp(id->type, "passport") != 0) continue;
            passports++;
            size_t len = strlen(id->number);
            assert_true(len >= 7 && len <= 9);
            assert_non_null(id->country); /* the issuing state made it to the holder */
        }
        listings += r->listings.n;
    }
    /* About 60 % exact dates (±5 points), a real share in other scripts,
     * passports attached to their holders, listings present. */
    assert_in_range(exact, 550, 650);
    assert_true(nonlatin > 50);
    assert_int_equal(passports, passport_lines);
    assert_true(passports > 300);
    assert_true(listings >= sanction_lines * 9 / 10 && listings > 300);
    assert_in_range(female, 30, 250); /* mostly men, as real lists are */
    assert_int_equal(with_nat, 1000);
    recs_free(&c);
    free(b.p);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Common names repeat, but no name dominates. */
static void test_name_distribution(void **state)
{
    (void)state;
    const size_t n = 20000;
    buf b = gen(2026, 0, n);
    recs c = read_back(&b);
    assert_int_equal(c.n, n);
    const char **given = calloc(n, sizeof *given), **full = calloc(n, sizeof *full);
    size_t ng = 0;
    for (size_t i = 0; i < n; i++) {
        const ctw_name *pn = primary_name(c.v[i]);
        full[i] = pn->full;
        if (pn->given) given[ng++] = pn->given;
    }
    assert_true(ng > n * 9 / 10);
    qsort(given, ng, sizeof *given, cmp_str);
    size_t best = 0, run = 0, distinct = 0;
    for (size_t i = 0; i < ng; i++) {
        run = i && strcmp(given[i], given[i - 1]) == 0 ? run + 1 : 1;
        if (run == 1) distinct++;
        if (run > best) best = run;
    }
    assert_true(best * 1000 >= ng * 5);  /* the most common given name: at least 0.5 % */
    assert_true(best * 100 <= ng * 10);  /* and at most 10 % */
    assert_true(distinct > 300);

    qsort(full, n, sizeof *full, cmp_str);
    size_t dup = 0;
    for (size_t i = 1; i < n; i++) dup += strcmp(full[i], full[i - 1]) == 0;
    assert_true(dup > 0);      /* namesakes exist, as on real lists */
    assert_true(dup < n / 5);  /* but the list is not all alike */
    free(given);
    free(full);
    recs_free(&c);
    free(b.p);
}

static int stop_after_one(void *ud, const char *line, size_t len)
{
    (void)line;
    (void)len;
    int *calls = ud;
    return ++*calls == 1 ? 123 : 0;
}

static void test_callback_stops_and_bad_args(void **state)
{
    (void)state;
    int calls = 0;
    assert_int_equal(ctw_synth_persons(1, 0, 10, stop_after_one, &calls), 123);
    assert_int_equal(calls, 1);
    assert_int_equal(ctw_synth_persons(1, 0, 10, NULL, NULL), CTW_EINVAL);
    assert_int_equal(ctw_synth_persons(1, SIZE_MAX, 2, to_buf, &calls), CTW_EINVAL);
    buf b = {0};
    assert_int_equal(ctw_synth_persons(1, 0, 0, to_buf, &b), 0);
    assert_int_equal(b.lines, 0);
}

/* ---- CLI ------------------------------------------------------------------ */

static int run_cli(int argc, const char *const *args)
{
    char *argv[16];
    assert_true(argc < 16);
    for (int i = 0; i < argc; i++) argv[i] = strdup(args[i]);
    argv[argc] = NULL;
    int rc = ctw_cmd_synth(argc, argv);
    for (int i = 0; i < argc; i++) free(argv[i]);
    return rc;
}

#define CLI(...)                                                           \
    run_cli((int)(sizeof((const char *[]){__VA_ARGS__}) / sizeof(const char *)), \
            (const char *[]){__VA_ARGS__})

static void test_cli_rejects_bad_input(void **state)
{
    (void)state;
    assert_int_equal(CLI("synth"), 2);
    assert_int_equal(CLI("synth", "persons"), 2);
    assert_int_equal(CLI("synth", "persons", "0"), 2);
    assert_int_equal(CLI("synth", "persons", "-5"), 2);
    assert_int_equal(CLI("synth", "persons", "abc"), 2);
    assert_int_equal(CLI("synth", "persons", "10x"), 2);
    assert_int_equal(CLI("synth", "persons", " 10"), 2);
    assert_int_equal(CLI("synth", "persons", "100000001"), 2);
    assert_int_equal(CLI("synth", "persons", "99999999999999999999999"), 2);
    assert_int_equal(CLI("synth", "vehicles", "10"), 2);
    assert_int_equal(CLI("synth", "documents"), 2);
    assert_int_equal(CLI("synth", "documents", "0"), 2);
    assert_int_equal(CLI("synth", "documents", "1000000001"), 2);
    assert_int_equal(CLI("synth", "documents", "5", "--output", "/nonexistent-dir/x/out.csv"), 1);
    assert_int_equal(CLI("synth", "persons", "10", "extra"), 2);
    assert_int_equal(CLI("synth", "persons", "10", "--seed", "x"), 2);
    assert_int_equal(CLI("synth", "persons", "10", "--seed", "-1"), 2);
    assert_int_equal(CLI("synth", "persons", "10", "--bogus"), 2);
    assert_int_equal(CLI("synth", "persons", "5", "--output", "/nonexistent-dir/x/out.json"), 1);
}

static void test_cli_writes_file(void **state)
{
    (void)state;
    char *dir = ctw_test_tmpdir();
    char path[600];
    snprintf(path, sizeof path, "%s/out.json", dir);
    assert_int_equal(CLI("synth", "persons", "300", "--seed", "9", "--output", path), 0);
    size_t len;
    char *text = ctw_test_slurp(path, &len);
    buf want = gen(9, 0, 300);
    assert_int_equal(len, want.n);
    assert_memory_equal(text, want.p, len);
    /* options may come first too */
    assert_int_equal(CLI("synth", "--seed", "9", "--output", path, "persons", "300"), 0);
    char *again = ctw_test_slurp(path, NULL);
    assert_memory_equal(again, want.p, len);
    free(again);
    free(text);
    free(want.p);
    ctw_test_rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_same_seed_same_bytes),
        cmocka_unit_test(test_prefix_and_slices),
        cmocka_unit_test(test_seeds_differ),
        cmocka_unit_test(test_reads_back_as_records),
        cmocka_unit_test(test_name_distribution),
        cmocka_unit_test(test_callback_stops_and_bad_args),
        cmocka_unit_test(test_cli_rejects_bad_input),
        cmocka_unit_test(test_cli_writes_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
