/* eval.c — matching-quality evaluation of ctwatch (`make eval`).
 *
 *   eval --data DIR --out FILE [--threads N]
 *
 * Reads the public test sets under DIR (../shared/data/screening: never
 * copied into the repository), scores them with libctwatch's matcher and
 * writes a markdown report to FILE (regenerated entirely each run, written
 * to FILE.tmp and renamed), printing the summary table to stdout.
 *
 *   1. nomenklatura name benchmark: pairs scored by ctw_match_compare_names,
 *      beside OpenSanctions logic-v2's frozen run on the same pairs;
 *   2. yente UN positives: typo'd names screened against an index of the UN
 *      list, ground truth from the row-aligned clean names;
 *   3. yente negatives: 2 x 50,000 synthetic people screened against UN +
 *      OFAC, in threads;
 *   4. watchman cross-script pairs;
 *   5. OFAC tool fixtures: correlation with the OFAC tool's score;
 *   6. pruning: the bench's queries, the UN positives and 25,000 negatives
 *      screened with the matcher's pruning on and off, every answer
 *      compared byte for byte;
 *   7. Wikidata: names written in Arabic, Cyrillic, Hebrew, Chinese and
 *      Korean letters against their Latin spelling, beside plain ICU
 *      Any-Latin with Jaro-Winkler;
 *   8. one name as 80 languages and scripts write it, against its Latin
 *      spelling, beside the same peer.
 *
 * Every figure in the report comes from this run. Exit 0 when the run
 * completes, whether or not the targets are met; 1 on any error, and when
 * pruning changed an answer (section 6: a bug, not a figure).
 */
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

#include "ctwatch/access.h"
#include "ctwatch/import.h"
#include "ctwatch/match.h"
#include "ctwatch/record.h"
#include "ctwatch/text.h"
#include "eval.h"
#include "match/match_int.h" /* ctw__match_set_exhaustive, for section 6 */

/* Targets (from the evaluation brief). */
#define TARGET_BENCH_F1      0.92
#define TARGET_UN_RECALL1    0.99
#define TARGET_NEG_ALERTS    0.005
#define TARGET_XSCRIPT       20
#define N_WORST              15

#define F_BENCH   "nomenklatura/contrib_name_bench_cases.csv"
#define F_LOGICV2 "nomenklatura/contrib_name_bench_run_data_logicv2-frozen.csv"
#define F_OFACFIX "nomenklatura/tests_matching_name_based_ofac_fixtures.csv"
#define F_UN_TR   "yente/candidate_generation_benchmark_fixtures_positives_un_treated.csv"
#define F_UN_UN   "yente/candidate_generation_benchmark_fixtures_positives_un_untreated.csv"
#define F_NEG_GL  "yente/candidate_generation_benchmark_fixtures_negatives_global.csv"
#define F_NEG_US  "yente/candidate_generation_benchmark_fixtures_negatives_us.csv"
#define F_XSCRIPT "watchman/internal_embeddings_testdata_cross_script_pairs.csv"
#define F_UN_XML  "watchman/test_testdata_UN_consolidated.xml"
#define F_OFAC_SDN "watchman/test_testdata_bench_sdn.csv"
#define F_WIKIDATA "wikidata_translit_coling2018/wd_%s_20.tsv"
#define F_PUTIN   "nomenklatura/tests_fixtures_putin_names.txt"
#define F_OFAC_ALT "watchman/test_testdata_bench_alt.csv"
#define F_OFAC_ADD "watchman/test_testdata_bench_add.csv"

typedef struct ctx {
    const char *data;
    int threads;
    ctw__eval_buf summary;  /* rows of the summary table */
    ctw__eval_buf body;     /* the sections */
    ctw_match_index *ix_un, *ix_all;
    struct listrec *un;     /* UN records, for ground truth */
    size_t nun;
    size_t n_ofac;
} ctx;

/* ---- small helpers -------------------------------------------------------- */

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void data_path(const ctx *c, const char *rel, char *out, size_t cap)
{
    snprintf(out, cap, "%s/%s", c->data, rel);
}

static void report_err(const char *what, int rc, const ctw_error *err)
{
    fprintf(stderr, "eval: %s: %s%s%s%s%s\n", what, ctw_strerror(rc), err && err->where[0] ? " at " : "",
            err ? err->where : "", err && err->message[0] ? ": " : "", err ? err->message : "");
}

static int load_csv(const ctx *c, const char *rel, int flags, ctw__eval_csv *t)
{
    char path[4096];
    ctw_error err;
    ctw_error_clear(&err);
    data_path(c, rel, path, sizeof path);
    int rc = ctw__eval_csv_load(path, flags, t, &err);
    if (rc != 0) report_err(path, rc, &err);
    return rc;
}

/* Column by name, or an error naming the file. */
static int need_col(const ctw__eval_csv *t, const char *file, const char *name, int *col)
{
    *col = ctw__eval_csv_col(t, name);
    if (*col < 0) {
        fprintf(stderr, "eval: %s: no column \"%s\"\n", file, name);
        return CTW_EPARSE;
    }
    return 0;
}

static const char *met(bool ok)
{
    return ok ? "met" : "**NOT met**";
}

static double ratio(size_t a, size_t b)
{
    return b ? (double)a / (double)b : NAN;
}

/* A summary table row: measure, ctwatch, peer, target, status ("" = info). */
static void summary_row(ctx *c, const char *measure, const char *ours, const char *peer, const char *target,
                        const char *status)
{
    ctw__eval_buf_printf(&c->summary, "| %s | %s | %s | %s | %s |\n", measure, ours, peer && *peer ? peer : "—",
                         target && *target ? target : "—", status && *status ? status : "information");
}

static char *xstrdup(const char *s)
{
    return strdup(s ? s : "");
}

/* Fold a name with ctw_text_fold, then sort its tokens: the key used for
 * ground truth (the untreated names' order may differ from the list's). */
static int fold_key(const char *in, char *out, size_t cap)
{
    char folded[CTW_TEXT_MAX_INPUT * 4 + 1];
    size_t flen = 0;
    int rc = ctw_text_fold(in, strlen(in), folded, sizeof folded, &flen);
    if (rc != 0) return rc;
    char *tok[CTW_TEXT_MAX_INPUT];
    size_t nt = 0;
    char *save = NULL;
    for (char *t = strtok_r(folded, " ", &save); t && nt < CTW_TEXT_MAX_INPUT; t = strtok_r(NULL, " ", &save))
        tok[nt++] = t;
    /* insertion sort: names have a handful of tokens */
    for (size_t i = 1; i < nt; i++) {
        char *k = tok[i];
        size_t j = i;
        while (j > 0 && strcmp(tok[j - 1], k) > 0) {
            tok[j] = tok[j - 1];
            j--;
        }
        tok[j] = k;
    }
    size_t o = 0;
    if (cap == 0) return CTW_ELIMIT;
    out[0] = '\0';
    for (size_t i = 0; i < nt; i++) {
        size_t n = strlen(tok[i]);
        if (o + n + 2 > cap) return CTW_ELIMIT;
        if (i) out[o++] = ' ';
        memcpy(out + o, tok[i], n);
        o += n;
        out[o] = '\0';
    }
    return 0;
}

/* The first hit of a screening result. */
typedef struct top_hit {
    const char *record, *name, *decision;
    double score;
} top_hit;

static bool hit_at(json_t *hits, size_t i, top_hit *h)
{
    json_t *o = json_array_get(hits, i);
    if (!o) return false;
    h->record = json_string_value(json_object_get(o, "record"));
    h->name = json_string_value(json_object_get(o, "name"));
    h->decision = json_string_value(json_object_get(o, "decision"));
    h->score = json_number_value(json_object_get(o, "score"));
    if (!h->record) h->record = "";
    if (!h->name) h->name = "";
    if (!h->decision) h->decision = "";
    return true;
}

/* Screen; a date the matcher refuses (CTW_EINVAL) is retried without it
 * and counted in *bad_dob. */
static int screen(const ctw_match_index *ix, ctw_screen_query *q, json_t **hits, size_t *bad_dob)
{
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_match_screen(ix, ctw_principal_cli(), q, hits, &err);
    if (rc == CTW_EINVAL && q->dob) {
        ctw_screen_query q2 = *q;
        q2.dob = NULL;
        ctw_error_clear(&err);
        rc = ctw_match_screen(ix, ctw_principal_cli(), &q2, hits, &err);
        if (rc == 0 && bad_dob) (*bad_dob)++;
    }
    return rc;
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

/* ---- the lists ------------------------------------------------------------ */

typedef struct listrec {
    char *id;
    char *display;
    char **keys;   /* fold_key of every name */
    size_t nkeys;
} listrec;

typedef struct loader {
    ctw_match_builder *b_un, *b_all;
    const char *prefix, *source, *owner;
    bool is_un;
    listrec *un;
    size_t nun, cap;
    size_t count;
    int rc;
} loader;

static int list_sink(void *ud, ctw_record *r)
{
    loader *l = ud;
    char id[512];
    int rc = 0;
    l->count++;
    if (r->source_id)
        snprintf(id, sizeof id, "%s:%s", l->prefix, r->source_id);
    else
        snprintf(id, sizeof id, "%s:#%zu", l->prefix, l->count);
    r->id = ctw_record_str(r, id);
    r->source = ctw_record_str(r, l->source);
    if (!r->owner) r->owner = ctw_record_str(r, l->owner);
    if (!r->id || !r->source) { rc = CTW_ENOMEM; goto out; }
    if (l->is_un) {
        if ((rc = ctw_match_builder_add(l->b_un, r)) != 0) goto out;
        if (l->nun == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 1024;
            listrec *v = realloc(l->un, cap * sizeof *v);
            if (!v) { rc = CTW_ENOMEM; goto out; }
            l->un = v;
            l->cap = cap;
        }
        listrec *e = &l->un[l->nun];
        memset(e, 0, sizeof *e);
        e->id = xstrdup(r->id);
        e->display = xstrdup(ctw_record_display_name(r));
        e->keys = calloc(r->names.n ? r->names.n : 1, sizeof *e->keys);
        l->nun++;
        if (!e->id || !e->display || !e->keys) { rc = CTW_ENOMEM; goto out; }
        for (size_t i = 0; i < r->names.n; i++) {
            char key[CTW_TEXT_MAX_INPUT * 4 + 1];
            if (r->names.v[i].full && fold_key(r->names.v[i].full, key, sizeof key) == 0 && key[0]) {
                if (!(e->keys[e->nkeys] = strdup(key))) { rc = CTW_ENOMEM; goto out; }
                e->nkeys++;
            }
        }
    }
    rc = ctw_match_builder_add(l->b_all, r);
out:
    ctw_record_free(r);
    if (rc != 0 && l->rc == 0) l->rc = rc;
    return rc;
}

static int read_whole(const ctx *c, const char *rel, char **buf, size_t *len)
{
    char path[4096];
    ctw_error err;
    ctw_error_clear(&err);
    data_path(c, rel, path, sizeof path);
    int rc = ctw_read_file(path, CTW_IMPORT_MAX_FILE, buf, len, &err);
    if (rc != 0) report_err(path, rc, &err);
    return rc;
}

static int load_lists(ctx *c)
{
    loader l = {0};
    char *xml = NULL, *sdn = NULL, *alt = NULL, *add = NULL;
    size_t xml_len = 0, sdn_len = 0, alt_len = 0, add_len = 0;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = CTW_ENOMEM;
    l.b_un = ctw_match_builder_new();
    l.b_all = ctw_match_builder_new();
    if (!l.b_un || !l.b_all) goto out;

    if ((rc = read_whole(c, F_UN_XML, &xml, &xml_len)) != 0) goto out;
    l.prefix = "un";
    l.source = "un-sc";
    l.owner = "UN-SC";
    l.is_un = true;
    rc = ctw_un_xml_read_mem(xml, xml_len, F_UN_XML, list_sink, &l, &err);
    if (rc != 0) { report_err("reading the UN list", rc, &err); goto out; }
    size_t n_un = l.count;

    if ((rc = read_whole(c, F_OFAC_SDN, &sdn, &sdn_len)) != 0) goto out;
    if ((rc = read_whole(c, F_OFAC_ALT, &alt, &alt_len)) != 0) goto out;
    if ((rc = read_whole(c, F_OFAC_ADD, &add, &add_len)) != 0) goto out;
    l.prefix = "ofac";
    l.source = "ofac-sdn";
    l.owner = "US-OFAC";
    l.is_un = false;
    rc = ctw_ofac_csv_read_mem(sdn, sdn_len, F_OFAC_SDN, alt, alt_len, F_OFAC_ALT, add, add_len, F_OFAC_ADD,
                               list_sink, &l, &err);
    if (rc != 0) { report_err("reading the OFAC list", rc, &err); goto out; }
    c->n_ofac = l.count - n_un;

    rc = ctw_match_builder_finish(l.b_un, &c->ix_un);
    l.b_un = NULL;
    if (rc != 0) { report_err("building the UN index", rc, NULL); goto out; }
    rc = ctw_match_builder_finish(l.b_all, &c->ix_all);
    l.b_all = NULL;
    if (rc != 0) { report_err("building the UN + OFAC index", rc, NULL); goto out; }
    fprintf(stderr, "eval: lists: %zu UN records, %zu OFAC records\n", n_un, c->n_ofac);
out:
    if (l.b_un) ctw_match_builder_finish(l.b_un, &c->ix_un); /* consumes it */
    if (l.b_all) ctw_match_builder_finish(l.b_all, &c->ix_all);
    c->un = l.un;
    c->nun = l.nun;
    free(xml);
    free(sdn);
    free(alt);
    free(add);
    return rc;
}

static void free_lists(ctx *c)
{
    for (size_t i = 0; i < c->nun; i++) {
        for (size_t k = 0; k < c->un[i].nkeys; k++) free(c->un[i].keys[k]);
        free(c->un[i].keys);
        free(c->un[i].id);
        free(c->un[i].display);
    }
    free(c->un);
    if (c->ix_un) ctw_match_index_release(c->ix_un);
    if (c->ix_all) ctw_match_index_release(c->ix_all);
}

/* ---- 1. nomenklatura name benchmark ------------------------------------- */

typedef struct prf {
    size_t tp, fp, tn, fn;
    double p, r, f1;
} prf;

static void prf_done(prf *m)
{
    m->p = m->tp + m->fp ? (double)m->tp / (double)(m->tp + m->fp) : 0.0;
    m->r = m->tp + m->fn ? (double)m->tp / (double)(m->tp + m->fn) : 0.0;
    m->f1 = m->p + m->r > 0 ? 2 * m->p * m->r / (m->p + m->r) : 0.0;
}

static void prf_add(prf *m, bool truth, bool predicted)
{
    if (truth && predicted) m->tp++;
    else if (truth) m->fn++;
    else if (predicted) m->fp++;
    else m->tn++;
}

/* P/R/F1 of scores against truth at threshold t, over rows where sel is
 * NULL or true. */
static prf prf_at(const double *score, const bool *truth, const bool *sel, size_t n, double t)
{
    prf m = {0};
    for (size_t i = 0; i < n; i++)
        if (!sel || sel[i]) prf_add(&m, truth[i], score[i] >= t);
    prf_done(&m);
    return m;
}

static void prf_row(ctw__eval_buf *b, const char *label, const prf *m)
{
    ctw__eval_buf_printf(b, "| %s | %zu | %zu | %zu | %zu | %.3f | %.3f | **%.3f** |\n", label, m->tp, m->fp, m->tn,
                         m->fn, m->p, m->r, m->f1);
}

static const char *prf_head = "| | TP | FP | TN | FN | precision | recall | F1 |\n|---|---:|---:|---:|---:|---:|---:|---:|\n";

static bool parse_bool(const char *s, bool *out)
{
    if (strcasecmp(s, "true") == 0 || strcmp(s, "1") == 0) { *out = true; return true; }
    if (strcasecmp(s, "false") == 0 || strcmp(s, "0") == 0) { *out = false; return true; }
    return false;
}

typedef struct err_row {
    size_t i;
    double margin;
} err_row;

static int err_row_cmp(const void *a, const void *b)
{
    const err_row *x = a, *y = b;
    if (x->margin != y->margin) return (x->margin < y->margin) - (x->margin > y->margin); /* largest first */
    return (x->i > y->i) - (x->i < y->i);
}

static int eval_bench(ctx *c)
{
    ctw__eval_csv cs = {0}, lv = {0};
    double *score = NULL, *lscore = NULL;
    bool *truth = NULL, *sel = NULL, *ltruth = NULL;
    err_row *errs = NULL;
    int rc;
    int c_schema, c_n1, c_n2, c_match, c_group, c_quality;
    int l_schema, l_n1, l_n2, l_match, l_pred, l_outcome;
    ctw__eval_buf *b = &c->body;
    char v1[160], v2[64], v3[64];

    if ((rc = load_csv(c, F_BENCH, CTW__EVAL_CSV_HEADER, &cs)) != 0) goto out;
    if ((rc = need_col(&cs, F_BENCH, "schema", &c_schema)) || (rc = need_col(&cs, F_BENCH, "name1", &c_n1)) ||
        (rc = need_col(&cs, F_BENCH, "name2", &c_n2)) || (rc = need_col(&cs, F_BENCH, "is_match", &c_match)) ||
        (rc = need_col(&cs, F_BENCH, "case_group", &c_group)) ||
        (rc = need_col(&cs, F_BENCH, "quality", &c_quality)))
        goto out;
    size_t n = cs.nrows;
    rc = CTW_ENOMEM;
    score = calloc(n + 1, sizeof *score);
    truth = calloc(n + 1, sizeof *truth);
    sel = calloc(n + 1, sizeof *sel);
    errs = calloc(n + 1, sizeof *errs);
    if (!score || !truth || !sel || !errs) goto out;
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        if (!parse_bool(ctw__eval_csv_get(&cs, i, c_match), &truth[i])) {
            fprintf(stderr, "eval: %s: row %zu: is_match \"%s\" is not true/false\n", F_BENCH, i + 2,
                    ctw__eval_csv_get(&cs, i, c_match));
            rc = CTW_EPARSE;
            goto out;
        }
        const char *schema = ctw__eval_csv_get(&cs, i, c_schema);
        score[i] = ctw_match_compare_names(ctw__eval_csv_get(&cs, i, c_n1), ctw__eval_csv_get(&cs, i, c_n2),
                                           nz(schema));
    }
    double dt = now_s() - t0;
    size_t npos = 0;
    for (size_t i = 0; i < n; i++) npos += truth[i];

    prf at_alert = prf_at(score, truth, NULL, n, CTW_MATCH_ALERT);
    prf at_review = prf_at(score, truth, NULL, n, CTW_MATCH_REVIEW);
    prf best = {0};
    double best_t = 0;
    for (int k = 50; k <= 99; k++) {
        double t = k / 100.0;
        prf m = prf_at(score, truth, NULL, n, t);
        if (m.f1 > best.f1) {
            best = m;
            best_t = t;
        }
    }

    ctw__eval_buf_printf(b, "## 1. Name-pair benchmark (nomenklatura)\n\n");
    ctw__eval_buf_printf(b,
                         "`%s`: %zu labelled name pairs (%zu matches, %zu non-matches), each scored with "
                         "`ctw_match_compare_names(name1, name2, schema)` (%.2f s, %.0f pairs/s). A pair is "
                         "predicted a match when its score is at or above the threshold.\n\n",
                         F_BENCH, n, npos, n - npos, dt, dt > 0 ? (double)n / dt : 0.0);
    ctw__eval_buf_printf(b, "%s", prf_head);
    snprintf(v1, sizeof v1, "alert threshold %.2f", CTW_MATCH_ALERT);
    prf_row(b, v1, &at_alert);
    snprintf(v1, sizeof v1, "review threshold %.2f", CTW_MATCH_REVIEW);
    prf_row(b, v1, &at_review);
    snprintf(v1, sizeof v1, "best-F1 threshold %.2f *(tuned on the test set, for information)*", best_t);
    prf_row(b, v1, &best);
    ctw__eval_buf_printf(b, "\nTarget: F1 ≥ %.2f at the alert threshold — %s.\n\n", TARGET_BENCH_F1,
                         met(at_alert.f1 >= TARGET_BENCH_F1));

    /* by schema, at both thresholds */
    static const char *const groups[] = {"Person", "Company", "other"};
    ctw__eval_buf_printf(b, "### F1 by schema\n\n| schema | pairs | F1 at alert | F1 at review | best F1 (threshold) |\n"
                            "|---|---:|---:|---:|---:|\n");
    for (size_t g = 0; g < 3; g++) {
        size_t cnt = 0;
        for (size_t i = 0; i < n; i++) {
            const char *s = ctw__eval_csv_get(&cs, i, c_schema);
            bool in = g < 2 ? strcmp(s, groups[g]) == 0 : strcmp(s, "Person") != 0 && strcmp(s, "Company") != 0;
            sel[i] = in;
            cnt += in;
        }
        prf a = prf_at(score, truth, sel, n, CTW_MATCH_ALERT), r = prf_at(score, truth, sel, n, CTW_MATCH_REVIEW);
        prf bb = {0};
        double bt = 0;
        for (int k = 50; k <= 99; k++) {
            prf m = prf_at(score, truth, sel, n, k / 100.0);
            if (m.f1 > bb.f1) { bb = m; bt = k / 100.0; }
        }
        ctw__eval_buf_printf(b, "| %s%s | %zu | %.3f | %.3f | %.3f (%.2f) |\n", groups[g],
                             g == 2 ? " (Organization, LegalEntity, Vessel, ...)" : "", cnt, a.f1, r.f1, bb.f1, bt);
    }

    /* worst errors at the alert threshold */
    size_t ne = 0, nfp = 0, nfn = 0;
    for (size_t i = 0; i < n; i++) {
        bool pred = score[i] >= CTW_MATCH_ALERT;
        if (pred && !truth[i]) { errs[ne++] = (err_row){i, score[i] - CTW_MATCH_ALERT}; nfp++; }
        else if (!pred && truth[i]) { errs[ne++] = (err_row){i, CTW_MATCH_ALERT - score[i]}; nfn++; }
    }
    qsort(errs, ne, sizeof *errs, err_row_cmp);
    /* Show both kinds of failure: about half false positives, half false
     * negatives, the other kind filling in when one runs short. */
    size_t show_fp = nfp < N_WORST / 2 ? nfp : N_WORST / 2;
    size_t show_fn = nfn < N_WORST - show_fp ? nfn : N_WORST - show_fp;
    if (show_fp + show_fn < N_WORST) show_fp = nfp < N_WORST - show_fn ? nfp : N_WORST - show_fn;
    size_t zero = 0, zero_match = 0;
    for (size_t i = 0; i < n; i++)
        if (score[i] <= 0.0) {
            zero++;
            zero_match += truth[i];
        }
    ctw__eval_buf_printf(b,
                         "\n### The %d worst errors at the alert threshold\n\n"
                         "%zu errors in all (%zu false positives, %zu false negatives). Shown: the %zu false "
                         "positives with the highest scores, then the %zu false negatives with the lowest (ties "
                         "in file order). %zu pairs score exactly 0 (%zu of them labelled matches).\n\n"
                         "| error | schema | name1 | name2 | score | quality | group |\n"
                         "|---|---|---|---|---:|---|---|\n",
                         N_WORST, ne, nfp, nfn, show_fp, show_fn, zero, zero_match);
    for (int kind = 0; kind < 2; kind++) {
        size_t shown = 0, want = kind == 0 ? show_fp : show_fn;
        for (size_t k = 0; k < ne && shown < want; k++) {
            size_t i = errs[k].i;
            if (truth[i] != (kind == 1)) continue;
            shown++;
            ctw__eval_buf_printf(b, "| %s | ", truth[i] ? "FN" : "FP");
            ctw__eval_buf_cell(b, ctw__eval_csv_get(&cs, i, c_schema));
            ctw__eval_buf_printf(b, " | ");
            ctw__eval_buf_cell(b, ctw__eval_csv_get(&cs, i, c_n1));
            ctw__eval_buf_printf(b, " | ");
            ctw__eval_buf_cell(b, ctw__eval_csv_get(&cs, i, c_n2));
            ctw__eval_buf_printf(b, " | %.3f | ", score[i]);
            ctw__eval_buf_cell(b, ctw__eval_csv_get(&cs, i, c_quality));
            ctw__eval_buf_printf(b, " | ");
            ctw__eval_buf_cell(b, ctw__eval_csv_get(&cs, i, c_group));
            ctw__eval_buf_printf(b, " |\n");
        }
    }

    /* the peer: logic-v2's frozen run, and ctwatch on the same pairs */
    if ((rc = load_csv(c, F_LOGICV2, CTW__EVAL_CSV_HEADER, &lv)) != 0) goto out;
    if ((rc = need_col(&lv, F_LOGICV2, "schema", &l_schema)) || (rc = need_col(&lv, F_LOGICV2, "name1", &l_n1)) ||
        (rc = need_col(&lv, F_LOGICV2, "name2", &l_n2)) || (rc = need_col(&lv, F_LOGICV2, "is_match", &l_match)) ||
        (rc = need_col(&lv, F_LOGICV2, "predicted_match", &l_pred)) ||
        (rc = need_col(&lv, F_LOGICV2, "outcome", &l_outcome)))
        goto out;
    size_t ln = lv.nrows, joined = 0, label_diff = 0, outcome_diff = 0;
    rc = CTW_ENOMEM;
    lscore = calloc(ln + 1, sizeof *lscore);
    ltruth = calloc(ln + 1, sizeof *ltruth);
    if (!lscore || !ltruth) goto out;
    prf peer = {0};
    for (size_t j = 0; j < ln; j++) {
        bool pred;
        if (!parse_bool(ctw__eval_csv_get(&lv, j, l_match), &ltruth[j]) ||
            !parse_bool(ctw__eval_csv_get(&lv, j, l_pred), &pred)) {
            fprintf(stderr, "eval: %s: row %zu: is_match/predicted_match not true/false\n", F_LOGICV2, j + 2);
            rc = CTW_EPARSE;
            goto out;
        }
        prf_add(&peer, ltruth[j], pred);
        const char *oc = ctw__eval_csv_get(&lv, j, l_outcome);
        const char *want = ltruth[j] ? (pred ? "TP" : "FN") : (pred ? "FP" : "TN");
        if (strcmp(oc, want) != 0) outcome_diff++;
        const char *a = ctw__eval_csv_get(&lv, j, l_n1), *bn = ctw__eval_csv_get(&lv, j, l_n2),
                   *s = ctw__eval_csv_get(&lv, j, l_schema);
        size_t i;
        for (i = 0; i < n; i++)
            if (strcmp(ctw__eval_csv_get(&cs, i, c_n1), a) == 0 && strcmp(ctw__eval_csv_get(&cs, i, c_n2), bn) == 0 &&
                strcmp(ctw__eval_csv_get(&cs, i, c_schema), s) == 0)
                break;
        if (i < n) {
            joined++;
            lscore[j] = score[i];
            if (truth[i] != ltruth[j]) label_diff++;
        } else {
            lscore[j] = ctw_match_compare_names(a, bn, nz(s));
        }
    }
    prf_done(&peer);
    prf l_alert = prf_at(lscore, ltruth, NULL, ln, CTW_MATCH_ALERT);
    prf l_review = prf_at(lscore, ltruth, NULL, ln, CTW_MATCH_REVIEW);
    ctw__eval_buf_printf(b,
                         "\n### Beside the peer: OpenSanctions logic-v2 (frozen run)\n\n"
                         "`%s`: %zu pairs with logic-v2's own `predicted_match` at its default threshold. "
                         "ctwatch is scored on exactly the same pairs (joined on name1 + name2 + schema: %zu of "
                         "%zu found in the benchmark file, the rest scored directly), with the labels of the "
                         "logic-v2 file (%zu pairs labelled differently in the two files%s). "
                         "%zu logic-v2 rows whose `outcome` disagrees with its label and prediction.\n\n",
                         F_LOGICV2, ln, joined, ln, label_diff,
                         label_diff ? "; the benchmark repeats some pairs" : "", outcome_diff);
    ctw__eval_buf_printf(b, "%s", prf_head);
    prf_row(b, "logic-v2 (its default threshold)", &peer);
    snprintf(v1, sizeof v1, "ctwatch at alert %.2f", CTW_MATCH_ALERT);
    prf_row(b, v1, &l_alert);
    snprintf(v1, sizeof v1, "ctwatch at review %.2f", CTW_MATCH_REVIEW);
    prf_row(b, v1, &l_review);
    ctw__eval_buf_printf(b, "\n");

    snprintf(v1, sizeof v1, "%.3f", at_alert.f1);
    snprintf(v3, sizeof v3, "≥ %.2f", TARGET_BENCH_F1);
    summary_row(c, "Name benchmark F1 at alert (826 pairs)", v1, "", v3, met(at_alert.f1 >= TARGET_BENCH_F1));
    snprintf(v1, sizeof v1, "%.3f", at_review.f1);
    summary_row(c, "Name benchmark F1 at review", v1, "", "", "");
    snprintf(v1, sizeof v1, "%.3f at %.2f", best.f1, best_t);
    summary_row(c, "Name benchmark best F1 (tuned on the test set)", v1, "", "", "");
    snprintf(v1, sizeof v1, "%.3f / %.3f", l_alert.f1, l_review.f1);
    snprintf(v2, sizeof v2, "%.3f (logic-v2)", peer.f1);
    summary_row(c, "F1 on the logic-v2 pairs, ctwatch at alert / review", v1, v2, "", "");
    snprintf(v1, sizeof v1, "%.3f / %.3f", l_alert.p, l_alert.r);
    snprintf(v2, sizeof v2, "%.3f / %.3f", peer.p, peer.r);
    summary_row(c, "Precision / recall on the logic-v2 pairs (ctwatch at alert)", v1, v2, "", "");
    rc = 0;
out:
    ctw__eval_csv_free(&cs);
    ctw__eval_csv_free(&lv);
    free(score);
    free(truth);
    free(sel);
    free(errs);
    free(lscore);
    free(ltruth);
    return rc;
}

/* ---- 2. UN positives ------------------------------------------------------ */

static bool in_truth(const ctx *c, const size_t *truth, size_t nt, const char *record)
{
    for (size_t k = 0; k < nt; k++)
        if (strcmp(c->un[truth[k]].id, record) == 0) return true;
    return false;
}

static int eval_un(ctx *c)
{
    ctw__eval_csv tr = {0}, un = {0};
    size_t *truth = NULL;
    ctw__eval_buf misses = {0};
    int rc;
    int t_name, t_dob, t_nat, u_name;
    ctw__eval_buf *b = &c->body;
    char v1[64], v3[64];

    if ((rc = load_csv(c, F_UN_TR, CTW__EVAL_CSV_HEADER, &tr)) != 0) goto out;
    if ((rc = load_csv(c, F_UN_UN, CTW__EVAL_CSV_HEADER, &un)) != 0) goto out;
    if ((rc = need_col(&tr, F_UN_TR, "full_name", &t_name)) || (rc = need_col(&tr, F_UN_TR, "date_of_birth", &t_dob)) ||
        (rc = need_col(&tr, F_UN_TR, "nationality", &t_nat)) || (rc = need_col(&un, F_UN_UN, "full_name", &u_name)))
        goto out;
    if (tr.nrows != un.nrows) {
        fprintf(stderr, "eval: %s has %zu rows, %s %zu: not row-aligned\n", F_UN_TR, tr.nrows, F_UN_UN, un.nrows);
        rc = CTW_EPARSE;
        goto out;
    }
    rc = CTW_ENOMEM;
    truth = malloc((c->nun + 1) * sizeof *truth);
    if (!truth) goto out;

    size_t n = tr.nrows, no_truth = 0, evaluated = 0, r1 = 0, r10 = 0, top_alert = 0, top_alert_true = 0,
           r1_name = 0, bad_dob = 0, nmiss = 0, qerr = 0;
    double t0 = now_s();
    for (size_t i = 0; i < n; i++) {
        char key[CTW_TEXT_MAX_INPUT * 4 + 1];
        size_t nt = 0;
        if (fold_key(ctw__eval_csv_get(&un, i, u_name), key, sizeof key) == 0 && key[0]) {
            for (size_t r = 0; r < c->nun; r++)
                for (size_t k = 0; k < c->un[r].nkeys; k++)
                    if (strcmp(c->un[r].keys[k], key) == 0) {
                        truth[nt++] = r;
                        break;
                    }
        }
        if (nt == 0) { no_truth++; continue; }
        evaluated++;

        ctw_screen_query q = {0};
        q.name = ctw__eval_csv_get(&tr, i, t_name);
        q.schema = "Person"; /* the fixtures are people, as a border check knows */
        q.dob = nz(ctw__eval_csv_get(&tr, i, t_dob));
        q.nationality = nz(ctw__eval_csv_get(&tr, i, t_nat));
        q.threshold = 0.01;
        q.limit = 10;
        json_t *hits = NULL;
        if (screen(c->ix_un, &q, &hits, &bad_dob) != 0) {
            qerr++;
        } else {
            top_hit h;
            bool first = false, any = false;
            for (size_t k = 0; hit_at(hits, k, &h); k++) {
                bool t = in_truth(c, truth, nt, h.record);
                if (k == 0) {
                    first = t;
                    if (h.score >= CTW_MATCH_ALERT) {
                        top_alert++;
                        if (t) top_alert_true++;
                    }
                }
                any |= t;
            }
            r1 += first;
            r10 += any;
            if (!first && nmiss < N_WORST) {
                nmiss++;
                ctw__eval_buf_printf(&misses, "| ");
                ctw__eval_buf_cell(&misses, q.name);
                ctw__eval_buf_printf(&misses, " | ");
                ctw__eval_buf_cell(&misses, ctw__eval_csv_get(&un, i, u_name));
                ctw__eval_buf_printf(&misses, " (");
                ctw__eval_buf_cell(&misses, c->un[truth[0]].id);
                ctw__eval_buf_printf(&misses, ") | ");
                if (hit_at(hits, 0, &h)) {
                    ctw__eval_buf_cell(&misses, h.name);
                    ctw__eval_buf_printf(&misses, " (");
                    ctw__eval_buf_cell(&misses, h.record);
                    ctw__eval_buf_printf(&misses, ") | %.3f | %s |\n", h.score, any ? "yes" : "no");
                } else {
                    ctw__eval_buf_printf(&misses, "(no hit) | — | no |\n");
                }
            }
            json_decref(hits);
        }

        /* the name alone */
        ctw_screen_query qn = {0};
        qn.name = q.name;
        qn.schema = "Person";
        qn.threshold = 0.01;
        qn.limit = 1;
        hits = NULL;
        if (screen(c->ix_un, &qn, &hits, NULL) != 0) {
            qerr++;
        } else {
            top_hit h;
            if (hit_at(hits, 0, &h) && in_truth(c, truth, nt, h.record)) r1_name++;
            json_decref(hits);
        }
    }
    double dt = now_s() - t0;
    double rec1 = ratio(r1, evaluated);

    ctw__eval_buf_printf(b, "## 2. UN positives (yente)\n\n");
    ctw__eval_buf_printf(b,
                         "`%s`: %zu typo'd or reordered names of people on the UN list, screened against an index "
                         "of the UN list only (%zu records) as people (schema Person) with their birth date and nationality, threshold 0.01, "
                         "limit 10. Ground truth for row *i*: the UN records having a name whose folded form "
                         "(`ctw_text_fold`, tokens sorted) equals that of the clean name in row *i* of `%s`. "
                         "%zu rows have no such record and are left out; %zu are evaluated. "
                         "%zu birth dates refused by the matcher were dropped from their query; %zu queries failed. "
                         "(%.1f s for %zu queries.)\n\n",
                         F_UN_TR, n, c->nun, F_UN_UN, no_truth, evaluated, bad_dob, qerr, dt, 2 * evaluated);
    ctw__eval_buf_printf(b, "| measure | value |\n|---|---:|\n");
    ctw__eval_buf_printf(b, "| recall@1 (name + dob + nationality) | **%.4f** (%zu / %zu) |\n", rec1, r1, evaluated);
    ctw__eval_buf_printf(b, "| recall@10 | %.4f (%zu / %zu) |\n", ratio(r10, evaluated), r10, evaluated);
    ctw__eval_buf_printf(b, "| top hit is an alert (≥ %.2f) | %.4f (%zu / %zu) |\n", CTW_MATCH_ALERT,
                         ratio(top_alert, evaluated), top_alert, evaluated);
    ctw__eval_buf_printf(b, "| top hit is an alert and a true match | %.4f (%zu / %zu) |\n",
                         ratio(top_alert_true, evaluated), top_alert_true, evaluated);
    ctw__eval_buf_printf(b, "| recall@1, name alone | %.4f (%zu / %zu) |\n", ratio(r1_name, evaluated), r1_name,
                         evaluated);
    ctw__eval_buf_printf(b, "\nTarget: recall@1 ≥ %.2f — %s.\n\n", TARGET_UN_RECALL1, met(rec1 >= TARGET_UN_RECALL1));
    size_t total_miss = evaluated - r1;
    ctw__eval_buf_printf(b, "### Misses (%zu of %zu shown)\n\n", nmiss, total_miss);
    if (nmiss)
        ctw__eval_buf_printf(b, "| query (treated) | expected (clean name, record) | first hit | score | truth in top 10 |\n"
                                "|---|---|---|---:|---|\n%s\n",
                             ctw__eval_buf_str(&misses));
    else
        ctw__eval_buf_printf(b, "None.\n\n");

    snprintf(v1, sizeof v1, "%.4f (%zu/%zu)", rec1, r1, evaluated);
    snprintf(v3, sizeof v3, "≥ %.2f", TARGET_UN_RECALL1);
    summary_row(c, "UN positives recall@1 (name + dob + nationality)", v1, "", v3, met(rec1 >= TARGET_UN_RECALL1));
    snprintf(v1, sizeof v1, "%.4f", ratio(r10, evaluated));
    summary_row(c, "UN positives recall@10", v1, "", "", "");
    snprintf(v1, sizeof v1, "%.4f", ratio(top_alert, evaluated));
    summary_row(c, "UN positives: top hit is an alert", v1, "", "", "");
    snprintf(v1, sizeof v1, "%.4f", ratio(r1_name, evaluated));
    summary_row(c, "UN positives recall@1, name alone", v1, "", "", "");
    rc = 0;
out:
    ctw__eval_csv_free(&tr);
    ctw__eval_csv_free(&un);
    ctw__eval_buf_free(&misses);
    free(truth);
    return rc;
}

/* ---- 3. negatives ----------------------------------------------------------- */

typedef struct neg_job {
    const ctw_match_index *ix;
    const ctw__eval_csv *t;
    int c_name, c_dob, c_nat, c_gender;
    bool name_only;
    size_t from, to;
    double *top;       /* per row: top score, or -1 for no hit */
    char **top_name;   /* per row: "name (record)" of the top hit, malloc'd */
    size_t qerr, bad_dob;
    int rc;
} neg_job;

static void *neg_worker(void *arg)
{
    neg_job *j = arg;
    for (size_t i = j->from; i < j->to; i++) {
        ctw_screen_query q = {0};
        q.name = ctw__eval_csv_get(j->t, i, j->c_name);
        q.schema = "Person"; /* the negatives are people */
        if (!j->name_only) {
            q.dob = nz(ctw__eval_csv_get(j->t, i, j->c_dob));
            q.nationality = nz(ctw__eval_csv_get(j->t, i, j->c_nat));
            q.gender = nz(ctw__eval_csv_get(j->t, i, j->c_gender));
        }
        q.threshold = CTW_MATCH_REVIEW;
        q.limit = 1;
        json_t *hits = NULL;
        j->top[i] = -1;
        if (screen(j->ix, &q, &hits, &j->bad_dob) != 0) {
            j->qerr++;
            continue;
        }
        top_hit h;
        if (hit_at(hits, 0, &h)) {
            j->top[i] = h.score;
            if (h.score >= CTW_MATCH_ALERT && j->top_name) {
                size_t len = strlen(h.name) + strlen(h.record) + 4;
                char *s = malloc(len);
                if (s) snprintf(s, len, "%s (%s)", h.name, h.record);
                j->top_name[i] = s;
            }
        }
        json_decref(hits);
    }
    return NULL;
}

typedef struct neg_result {
    size_t n, alerts, reviews, qerr, bad_dob;
    double secs;
} neg_result;

/* Screen every row of t in c->threads threads. */
static int neg_run(ctx *c, const ctw__eval_csv *t, const int cols[4], bool name_only, double *top, char **top_name,
                   neg_result *res)
{
    int nth = c->threads;
    neg_job jobs[64];
    pthread_t tid[64];
    int started = 0, rc = 0;
    if (nth > 64) nth = 64;
    size_t n = t->nrows;
    double t0 = now_s();
    for (int k = 0; k < nth; k++) {
        jobs[k] = (neg_job){.ix = c->ix_all, .t = t, .c_name = cols[0], .c_dob = cols[1], .c_nat = cols[2],
                            .c_gender = cols[3], .name_only = name_only, .from = n * (size_t)k / (size_t)nth,
                            .to = n * (size_t)(k + 1) / (size_t)nth, .top = top, .top_name = top_name};
        if (pthread_create(&tid[k], NULL, neg_worker, &jobs[k]) != 0) {
            fprintf(stderr, "eval: cannot start a thread: %s\n", strerror(errno));
            rc = CTW_ENOMEM;
            break;
        }
        started++;
    }
    for (int k = 0; k < started; k++) pthread_join(tid[k], NULL);
    if (rc != 0) return rc;
    memset(res, 0, sizeof *res);
    res->secs = now_s() - t0;
    res->n = n;
    for (int k = 0; k < nth; k++) {
        res->qerr += jobs[k].qerr;
        res->bad_dob += jobs[k].bad_dob;
    }
    for (size_t i = 0; i < n; i++) {
        if (top[i] >= CTW_MATCH_ALERT) res->alerts++;
        if (top[i] >= CTW_MATCH_REVIEW) res->reviews++;
    }
    return 0;
}

typedef struct neg_top {
    double score;
    size_t file, row;
} neg_top;

static int neg_top_cmp(const void *a, const void *b)
{
    const neg_top *x = a, *y = b;
    if (x->score != y->score) return (x->score < y->score) - (x->score > y->score);
    if (x->file != y->file) return (x->file > y->file) - (x->file < y->file);
    return (x->row > y->row) - (x->row < y->row);
}

static int eval_negatives(ctx *c)
{
    static const char *const files[2] = {F_NEG_GL, F_NEG_US};
    static const char *const labels[2] = {"global", "us"};
    ctw__eval_csv t[2] = {{0}};
    double *top[2] = {NULL, NULL}, *top_n = NULL;
    char **names[2] = {NULL, NULL};
    neg_top *worst = NULL;
    neg_result full[2], alone[2];
    int cols[2][4];
    int rc;
    ctw__eval_buf *b = &c->body;
    char v1[96], v3[64];

    for (int f = 0; f < 2; f++) {
        if ((rc = load_csv(c, files[f], CTW__EVAL_CSV_HEADER, &t[f])) != 0) goto out;
        if ((rc = need_col(&t[f], files[f], "full_name", &cols[f][0])) ||
            (rc = need_col(&t[f], files[f], "date_of_birth", &cols[f][1])) ||
            (rc = need_col(&t[f], files[f], "nationality", &cols[f][2])) ||
            (rc = need_col(&t[f], files[f], "gender", &cols[f][3])))
            goto out;
        rc = CTW_ENOMEM;
        top[f] = calloc(t[f].nrows + 1, sizeof *top[f]);
        names[f] = calloc(t[f].nrows + 1, sizeof *names[f]);
        if (!top[f] || !names[f]) goto out;
    }
    size_t nall = t[0].nrows + t[1].nrows;
    rc = CTW_ENOMEM;
    top_n = calloc(t[0].nrows > t[1].nrows ? t[0].nrows + 1 : t[1].nrows + 1, sizeof *top_n);
    worst = calloc(nall + 1, sizeof *worst);
    if (!top_n || !worst) goto out;
    for (int f = 0; f < 2; f++) {
        fprintf(stderr, "eval: negatives %s: %zu queries, %d threads...\n", labels[f], t[f].nrows, c->threads);
        if ((rc = neg_run(c, &t[f], cols[f], false, top[f], names[f], &full[f])) != 0) goto out;
        fprintf(stderr, "eval: negatives %s, name alone...\n", labels[f]);
        if ((rc = neg_run(c, &t[f], cols[f], true, top_n, NULL, &alone[f])) != 0) goto out;
    }
    size_t nw = 0;
    for (int f = 0; f < 2; f++)
        for (size_t i = 0; i < t[f].nrows; i++)
            if (top[f][i] >= CTW_MATCH_ALERT) worst[nw++] = (neg_top){top[f][i], (size_t)f, i};
    qsort(worst, nw, sizeof *worst, neg_top_cmp);

    size_t a_all = full[0].alerts + full[1].alerts, r_all = full[0].reviews + full[1].reviews;
    size_t an_all = alone[0].alerts + alone[1].alerts;
    double secs = full[0].secs + full[1].secs;
    double rate = ratio(a_all, nall);

    ctw__eval_buf_printf(b, "## 3. Negatives (yente)\n\n");
    ctw__eval_buf_printf(b,
                         "`%s` and `%s`: synthetic people on no list, screened as people (schema Person) with name, birth date, nationality "
                         "and gender against an index of UN + OFAC (%zu + %zu records), %d threads. A query "
                         "*alerts* when any hit scores ≥ %.2f, is *reviewed* when any hit scores ≥ %.2f. Every "
                         "alert here is a false alert.\n\n",
                         F_NEG_GL, F_NEG_US, c->nun, c->n_ofac, c->threads, CTW_MATCH_ALERT, CTW_MATCH_REVIEW);
    ctw__eval_buf_printf(b, "| file | queries | alerts | alert rate | reviews (≥ review) | review rate | name alone: "
                            "alert rate | queries/s | dates refused | failed |\n"
                            "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
    for (int f = 0; f < 2; f++)
        ctw__eval_buf_printf(b, "| %s | %zu | %zu | **%.3f %%** | %zu | %.3f %% | %.3f %% | %.0f | %zu | %zu |\n",
                             labels[f], full[f].n, full[f].alerts, 100 * ratio(full[f].alerts, full[f].n),
                             full[f].reviews, 100 * ratio(full[f].reviews, full[f].n),
                             100 * ratio(alone[f].alerts, alone[f].n),
                             full[f].secs > 0 ? (double)full[f].n / full[f].secs : 0.0, full[f].bad_dob,
                             full[f].qerr + alone[f].qerr);
    ctw__eval_buf_printf(b, "| both | %zu | %zu | **%.3f %%** | %zu | %.3f %% | %.3f %% | %.0f | | |\n", nall, a_all,
                         100 * rate, r_all, 100 * ratio(r_all, nall), 100 * ratio(an_all, nall),
                         secs > 0 ? (double)nall / secs : 0.0);
    bool ok = rate <= TARGET_NEG_ALERTS && ratio(full[0].alerts, full[0].n) <= TARGET_NEG_ALERTS &&
              ratio(full[1].alerts, full[1].n) <= TARGET_NEG_ALERTS;
    ctw__eval_buf_printf(b,
                         "\nTarget: alerts on ≤ %.1f %% of the queries of each file — %s. Queries/s is for "
                         "information (%d threads on this machine).\n\n",
                         100 * TARGET_NEG_ALERTS, met(ok), c->threads);
    ctw__eval_buf_printf(b, "### The %d highest-scoring false alerts (%zu in all)\n\n", N_WORST, nw);
    if (nw) {
        ctw__eval_buf_printf(b, "| file | query | dob | nationality | gender | listed name (record) | score |\n"
                                "|---|---|---|---|---|---|---:|\n");
        for (size_t k = 0; k < nw && k < N_WORST; k++) {
            const ctw__eval_csv *tt = &t[worst[k].file];
            const int *cc = cols[worst[k].file];
            size_t i = worst[k].row;
            ctw__eval_buf_printf(b, "| %s | ", labels[worst[k].file]);
            for (int x = 0; x < 4; x++) {
                ctw__eval_buf_cell(b, ctw__eval_csv_get(tt, i, cc[x]));
                ctw__eval_buf_printf(b, " | ");
            }
            ctw__eval_buf_cell(b, names[worst[k].file][i]);
            ctw__eval_buf_printf(b, " | %.3f |\n", worst[k].score);
        }
        ctw__eval_buf_printf(b, "\n");
    } else {
        ctw__eval_buf_printf(b, "None.\n\n");
    }

    for (int f = 0; f < 2; f++) {
        double r = ratio(full[f].alerts, full[f].n);
        snprintf(v1, sizeof v1, "%.3f %% (%zu/%zu)", 100 * r, full[f].alerts, full[f].n);
        snprintf(v3, sizeof v3, "≤ %.1f %%", 100 * TARGET_NEG_ALERTS);
        char m[96];
        snprintf(m, sizeof m, "Negatives (%s) alert rate", labels[f]);
        summary_row(c, m, v1, "", v3, met(r <= TARGET_NEG_ALERTS));
    }
    snprintf(v1, sizeof v1, "%.3f %%", 100 * ratio(r_all, nall));
    summary_row(c, "Negatives review rate (≥ review), both files", v1, "", "", "");
    snprintf(v1, sizeof v1, "%.3f %%", 100 * ratio(an_all, nall));
    summary_row(c, "Negatives alert rate, name alone, both files", v1, "", "", "");
    snprintf(v1, sizeof v1, "%.0f (%d threads)", secs > 0 ? (double)nall / secs : 0.0, c->threads);
    summary_row(c, "Negatives queries/s (name + dob + nationality + gender)", v1, "", "", "");
    rc = 0;
out:
    for (int f = 0; f < 2; f++) {
        if (names[f])
            for (size_t i = 0; i < t[f].nrows; i++) free(names[f][i]);
        free(names[f]);
        free(top[f]);
        ctw__eval_csv_free(&t[f]);
    }
    free(top_n);
    free(worst);
    return rc;
}

/* ---- 4. cross-script pairs --------------------------------------------------- */

static int eval_xscript(ctx *c)
{
    ctw__eval_csv t = {0};
    ctw__eval_buf *b = &c->body;
    char v1[64], v3[64];
    int rc = load_csv(c, F_XSCRIPT, CTW__EVAL_CSV_COMMENTS, &t);
    if (rc != 0) return rc;
    if (t.ncols < 2) {
        fprintf(stderr, "eval: %s: fewer than 2 columns\n", F_XSCRIPT);
        ctw__eval_csv_free(&t);
        return CTW_EPARSE;
    }
    ctw__eval_buf_printf(b, "## 4. Cross-script pairs (watchman)\n\n");
    ctw__eval_buf_printf(b,
                         "`%s`: %zu pairs of a name in another script and its Latin form, scored with "
                         "`ctw_match_compare_names(query, expected, \"Person\")` (all are people). *Matched* = score ≥ "
                         "the review threshold %.2f. The file's own minimum score (set for watchman's embedding "
                         "model) is shown for information.\n\n"
                         "| query | expected | ctwatch score | matched | alert | watchman min | description |\n"
                         "|---|---|---:|---|---|---:|---|\n",
                         F_XSCRIPT, t.nrows, CTW_MATCH_REVIEW);
    size_t matched = 0, alerts = 0;
    for (size_t i = 0; i < t.nrows; i++) {
        const char *q = ctw__eval_csv_get(&t, i, 0), *e = ctw__eval_csv_get(&t, i, 1);
        double s = ctw_match_compare_names(q, e, "Person");
        matched += s >= CTW_MATCH_REVIEW;
        alerts += s >= CTW_MATCH_ALERT;
        ctw__eval_buf_printf(b, "| ");
        ctw__eval_buf_cell(b, q);
        ctw__eval_buf_printf(b, " | ");
        ctw__eval_buf_cell(b, e);
        ctw__eval_buf_printf(b, " | %.3f | %s | %s | ", s, s >= CTW_MATCH_REVIEW ? "yes" : "**no**",
                             s >= CTW_MATCH_ALERT ? "yes" : "no");
        ctw__eval_buf_cell(b, ctw__eval_csv_get(&t, i, 2));
        ctw__eval_buf_printf(b, " | ");
        ctw__eval_buf_cell(b, ctw__eval_csv_get(&t, i, 3));
        ctw__eval_buf_printf(b, " |\n");
    }
    ctw__eval_buf_printf(b, "\nMatched (≥ review): **%zu / %zu**; ≥ alert: %zu / %zu. Target: ≥ %d matched — %s.\n\n",
                         matched, t.nrows, alerts, t.nrows, TARGET_XSCRIPT, met(matched >= TARGET_XSCRIPT));
    snprintf(v1, sizeof v1, "%zu / %zu", matched, t.nrows);
    snprintf(v3, sizeof v3, "≥ %d", TARGET_XSCRIPT);
    summary_row(c, "Cross-script pairs matched (≥ review)", v1, "", v3, met(matched >= TARGET_XSCRIPT));
    snprintf(v1, sizeof v1, "%zu / %zu", alerts, t.nrows);
    summary_row(c, "Cross-script pairs ≥ alert", v1, "", "", "");
    ctw__eval_csv_free(&t);
    return 0;
}

/* ---- 5. OFAC tool fixtures --------------------------------------------------- */

static int eval_ofac_fixtures(ctx *c)
{
    ctw__eval_csv t = {0};
    double *x = NULL, *y = NULL;
    ctw__eval_buf *b = &c->body;
    int cq, cr, cs;
    char v1[64];
    int rc = load_csv(c, F_OFACFIX, CTW__EVAL_CSV_HEADER, &t);
    if (rc != 0) return rc;
    if ((rc = need_col(&t, F_OFACFIX, "query_name", &cq)) || (rc = need_col(&t, F_OFACFIX, "result_name", &cr)) ||
        (rc = need_col(&t, F_OFACFIX, "ofac_score", &cs)))
        goto out;
    rc = CTW_ENOMEM;
    x = calloc(t.nrows + 1, sizeof *x);
    y = calloc(t.nrows + 1, sizeof *y);
    if (!x || !y) goto out;
    double mad = 0;
    for (size_t i = 0; i < t.nrows; i++) {
        const char *sv = ctw__eval_csv_get(&t, i, cs);
        char *endp = NULL;
        errno = 0;
        double o = strtod(sv, &endp);
        if (errno || endp == sv || *endp) {
            fprintf(stderr, "eval: %s: row %zu: ofac_score \"%s\" is not a number\n", F_OFACFIX, i + 2, sv);
            rc = CTW_EPARSE;
            goto out;
        }
        x[i] = ctw_match_compare_names(ctw__eval_csv_get(&t, i, cq), ctw__eval_csv_get(&t, i, cr), NULL);
        y[i] = o / 100.0;
        mad += fabs(x[i] - y[i]);
    }
    mad = t.nrows ? mad / (double)t.nrows : NAN;
    double pe = ctw__eval_pearson(x, y, t.nrows), sp = ctw__eval_spearman(x, y, t.nrows);
    ctw__eval_buf_printf(b, "## 5. OFAC search tool fixtures (nomenklatura)\n\n");
    ctw__eval_buf_printf(b,
                         "`%s`: %zu (query, result) pairs with the score of OFAC's own search tool (0–100). ctwatch "
                         "scores each pair with `ctw_match_compare_names(query, result, NULL)`; the OFAC score is "
                         "divided by 100. No target: the two tools measure different things (OFAC's is a "
                         "character similarity).\n\n| measure | value |\n|---|---:|\n"
                         "| Pearson correlation | %.3f |\n| Spearman correlation | %.3f |\n"
                         "| mean absolute difference | %.3f |\n\n",
                         F_OFACFIX, t.nrows, pe, sp, mad);
    snprintf(v1, sizeof v1, "%.3f / %.3f / %.3f", pe, sp, mad);
    summary_row(c, "OFAC fixtures: Pearson / Spearman / mean abs. diff.", v1, "", "", "");
    rc = 0;
out:
    free(x);
    free(y);
    ctw__eval_csv_free(&t);
    return rc;
}

/* ---- main --------------------------------------------------------------------- */

/* ---- 6. pruning changes no answer ------------------------------------------------ */

#define SAME_NEG_PER_FILE 12500   /* negatives of each file screened both ways */
#define SAME_BENCH_NEG    10000   /* bench/ctw_bench.c's N_NEGATIVES */

typedef struct same_run {
    size_t queries, differ, failed;
    char first[600];   /* the first query that differs */
} same_run;

static char *answer_text(const ctw_match_index *ix, ctw_screen_query *q, bool exhaustive)
{
    json_t *hits = NULL;
    ctw__match_set_exhaustive(exhaustive);
    int rc = screen(ix, q, &hits, NULL);
    ctw__match_set_exhaustive(false);
    if (rc != 0) return NULL;
    char *s = json_dumps(hits, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    json_decref(hits);
    return s;
}

/* Screen q with pruning and without; count it in r. */
static void same_one(same_run *r, const ctw_match_index *ix, ctw_screen_query *q, const char *set)
{
    char *a = answer_text(ix, q, true), *b = answer_text(ix, q, false);
    r->queries++;
    if (!a || !b) r->failed++;
    else if (strcmp(a, b) != 0) {
        if (r->differ++ == 0)
            snprintf(r->first, sizeof r->first, "%s: \"%.200s\" (dob %s, nationality %s, threshold %.2f)", set,
                     q->name, q->dob ? q->dob : "-", q->nationality ? q->nationality : "-", q->threshold);
    }
    free(a);
    free(b);
}

static int eval_same(ctx *c, bool *all_same)
{
    static const char *const neg_files[2] = {F_NEG_GL, F_NEG_US};
    ctw__eval_csv tr = {0}, neg[2] = {{0}};
    int rc, t_name, t_dob, t_nat, cols[2][4];
    same_run runs[4] = {{0}};
    static const char *const what[4] = {
        "bench/ctw_bench.c's query set: the 683 UN positives and the first 10,000 global negatives, with birth "
        "date and nationality, against UN + OFAC, default threshold and limit",
        "the 683 UN positives against the UN list at threshold 0.01, limit 10 (section 2's queries), and by name "
        "alone against UN + OFAC",
        "25,000 negatives (the first 12,500 of each file) with birth date, nationality and gender against UN + OFAC, "
        "default threshold and limit 10",
        "the same 25,000 by name alone, no schema (every kind of record), threshold 0.5"};
    *all_same = false;
    if ((rc = load_csv(c, F_UN_TR, CTW__EVAL_CSV_HEADER, &tr)) != 0) goto out;
    if ((rc = need_col(&tr, F_UN_TR, "full_name", &t_name)) || (rc = need_col(&tr, F_UN_TR, "date_of_birth", &t_dob)) ||
        (rc = need_col(&tr, F_UN_TR, "nationality", &t_nat)))
        goto out;
    for (int f = 0; f < 2; f++) {
        if ((rc = load_csv(c, neg_files[f], CTW__EVAL_CSV_HEADER, &neg[f])) != 0) goto out;
        if ((rc = need_col(&neg[f], neg_files[f], "full_name", &cols[f][0])) ||
            (rc = need_col(&neg[f], neg_files[f], "date_of_birth", &cols[f][1])) ||
            (rc = need_col(&neg[f], neg_files[f], "nationality", &cols[f][2])) ||
            (rc = need_col(&neg[f], neg_files[f], "gender", &cols[f][3])))
            goto out;
    }
    double t0 = now_s();
    for (size_t i = 0; i < tr.nrows; i++) {
        ctw_screen_query q = {.name = ctw__eval_csv_get(&tr, i, t_name), .schema = "Person",
                              .dob = nz(ctw__eval_csv_get(&tr, i, t_dob)),
                              .nationality = nz(ctw__eval_csv_get(&tr, i, t_nat))};
        same_one(&runs[0], c->ix_all, &q, "bench");
        q.threshold = 0.01;
        q.limit = 10;
        same_one(&runs[1], c->ix_un, &q, "UN positives");
        q = (ctw_screen_query){.name = q.name, .schema = "Person"};
        same_one(&runs[1], c->ix_all, &q, "UN positives, name alone");
    }
    for (size_t i = 0; i < neg[0].nrows && i < SAME_BENCH_NEG; i++) {
        ctw_screen_query q = {.name = ctw__eval_csv_get(&neg[0], i, cols[0][0]), .schema = "Person",
                              .dob = nz(ctw__eval_csv_get(&neg[0], i, cols[0][1])),
                              .nationality = nz(ctw__eval_csv_get(&neg[0], i, cols[0][2]))};
        same_one(&runs[0], c->ix_all, &q, "bench");
    }
    for (int f = 0; f < 2; f++)
        for (size_t i = 0; i < neg[f].nrows && i < SAME_NEG_PER_FILE; i++) {
            const int *cc = cols[f];
            ctw_screen_query q = {.name = ctw__eval_csv_get(&neg[f], i, cc[0]), .schema = "Person",
                                  .dob = nz(ctw__eval_csv_get(&neg[f], i, cc[1])),
                                  .nationality = nz(ctw__eval_csv_get(&neg[f], i, cc[2])),
                                  .gender = nz(ctw__eval_csv_get(&neg[f], i, cc[3])), .limit = 10};
            same_one(&runs[2], c->ix_all, &q, "negatives");
            q = (ctw_screen_query){.name = q.name, .threshold = 0.5};
            same_one(&runs[3], c->ix_all, &q, "negatives, name alone");
        }
    double secs = now_s() - t0;
    size_t total = 0, differ = 0, failed = 0;
    for (int k = 0; k < 4; k++) {
        total += runs[k].queries;
        differ += runs[k].differ;
        failed += runs[k].failed;
    }
    *all_same = differ == 0 && failed == 0;

    ctw__eval_buf *b = &c->body;
    ctw__eval_buf_printf(b, "## 6. Pruning and the memos change no answer\n\n");
    ctw__eval_buf_printf(b,
                         "Screening skips the alignment of a candidate's name when a bound of its score shows it "
                         "cannot reach the threshold (`src/match/screen.c`, \"pruning\"), and takes the "
                         "dictionary words a query word matches from the index's memo when the query word is a "
                         "word of the list; it romanises a name written in one script word by word, each word's "
                         "transliteration remembered (`src/text/word_memo.c`). Here every query is screened twice, "
                         "as served and with every candidate aligned in full, every word's matches looked up "
                         "afresh and every name romanised whole by ICU "
                         "(`ctw__match_set_exhaustive`), and the two answers — hits, scores, order, explanations — "
                         "compared as JSON text. Any difference fails `make eval`. (%.0f s for %zu queries, both "
                         "ways.)\n\n",
                         secs, total);
    ctw__eval_buf_printf(b, "| queries | screened | answers that differ | failed |\n|---|---:|---:|---:|\n");
    for (int k = 0; k < 4; k++)
        ctw__eval_buf_printf(b, "| %s | %zu | %s%zu%s | %zu |\n", what[k], runs[k].queries, runs[k].differ ? "**" : "",
                             runs[k].differ, runs[k].differ ? "**" : "", runs[k].failed);
    for (int k = 0; k < 4; k++)
        if (runs[k].differ) ctw__eval_buf_printf(b, "\nFirst difference: %s\n", runs[k].first);
    ctw__eval_buf_printf(b, "\n");
    char v[64];
    snprintf(v, sizeof v, "%zu of %zu differ", differ + failed, total);
    summary_row(c, "Pruning and memos: answers that differ from exhaustive scoring", v, NULL, "0",
                *all_same ? "met" : "**NOT met**");
    rc = 0;
out:
    ctw__eval_csv_free(&tr);
    ctw__eval_csv_free(&neg[0]);
    ctw__eval_csv_free(&neg[1]);
    return rc;
}

static void usage(FILE *f)
{
    fprintf(f, "usage: eval --data DIR --out FILE [--threads N]\n"
               "  Scores ctwatch's matcher on the public test sets under DIR and writes a\n"
               "  markdown report to FILE (and its summary to stdout).\n");
}

static int write_report(const char *out, const char *text)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *f = fopen(tmp, "w");
    if (!f) {
        fprintf(stderr, "eval: cannot write %s: %s\n", tmp, strerror(errno));
        return CTW_EIO;
    }
    size_t n = strlen(text);
    bool ok = fwrite(text, 1, n, f) == n;
    ok = (fclose(f) == 0) && ok;
    if (!ok || rename(tmp, out) != 0) {
        fprintf(stderr, "eval: cannot write %s: %s\n", out, strerror(errno));
        remove(tmp);
        return CTW_EIO;
    }
    return 0;
}

/* ---- 7. Wikidata: names in other scripts ------------------------------------ */

/* The peer: what a matcher without name-aware romanisation does with a
 * name in another script (ICU's Any-Latin, then Jaro-Winkler of the
 * folded strings, the usual open-source recipe); 0.85 is the usual cut. */
#define WD_PEER_JW 0.85

typedef struct wd_counts {
    size_t pairs, review, alert, peer;
} wd_counts;

/* One target word as Latin letters through ICU Any-Latin, folded: into
 * out[cap]; "" when ICU fails. */
static void wd_icu_latin(UTransliterator *t, const char *utf8, char *out, size_t cap)
{
    UChar u[512];
    int32_t n = 0;
    UErrorCode ec = U_ZERO_ERROR;
    out[0] = '\0';
    u_strFromUTF8(u, 128, &n, utf8, -1, &ec);
    if (U_FAILURE(ec)) return;
    int32_t limit = n;
    utrans_transUChars(t, u, &n, (int32_t)(sizeof u / sizeof u[0]), 0, &limit, &ec);
    if (U_FAILURE(ec)) return;
    char latin[1024];
    int32_t m = 0;
    u_strToUTF8(latin, (int32_t)sizeof latin, &m, u, n, &ec);
    if (U_FAILURE(ec) || m >= (int32_t)sizeof latin) return;
    size_t flen = 0;
    if (ctw_text_fold(latin, (size_t)m, out, cap, &flen) != 0) out[0] = '\0';
}

/* One file of pairs: "latin<TAB>space-separated characters<TAB>count". */
static int wd_file(const ctx *c, const char *lang, UTransliterator *icu, wd_counts *k)
{
    char rel[128], path[4096];
    snprintf(rel, sizeof rel, F_WIKIDATA, lang);
    data_path(c, rel, path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "eval: %s: %s\n", path, strerror(errno));
        return CTW_EIO;
    }
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    size_t lineno = 0;
    int rc = 0;
    while ((len = getline(&line, &lcap, f)) > 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
        if (!tab1 || !tab2 || tab1 == line) {
            fprintf(stderr, "eval: %s: line %zu: not latin<TAB>characters<TAB>count\n", path, lineno);
            rc = CTW_EPARSE;
            break;
        }
        *tab1 = *tab2 = '\0';
        /* the word in the other script: its characters, spaces removed */
        char word[512];
        size_t w = 0;
        for (const char *p = tab1 + 1; *p && w + 1 < sizeof word; p++)
            if (*p != ' ') word[w++] = *p;
        word[w] = '\0';
        if (w == 0) continue;
        double s = ctw_match_compare_names(word, line, "Person");
        char peer[512], latin[512];
        size_t flen = 0;
        wd_icu_latin(icu, word, peer, sizeof peer);
        if (ctw_text_fold(line, strlen(line), latin, sizeof latin, &flen) != 0) latin[0] = '\0';
        k->pairs++;
        k->review += s >= CTW_MATCH_REVIEW;
        k->alert += s >= CTW_MATCH_ALERT;
        k->peer += *peer && *latin && ctw_jaro_winkler(peer, latin, false) >= WD_PEER_JW;
    }
    free(line);
    fclose(f);
    return rc;
}

static int eval_wikidata(ctx *c)
{
    static const struct { const char *file, *name; } sets[] = {
        {"arabic", "Arabic"}, {"russian", "Cyrillic (Russian)"}, {"hebrew", "Hebrew"},
        {"chinese", "Chinese"}, {"korean", "Korean"},
    };
    ctw__eval_buf *b = &c->body;
    UChar id[64];
    u_uastrcpy(id, "Any-Latin; Latin-ASCII");
    UErrorCode ec = U_ZERO_ERROR;
    UTransliterator *icu = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &ec);
    if (U_FAILURE(ec)) {
        fprintf(stderr, "eval: ICU cannot open Any-Latin: %s\n", u_errorName(ec));
        return CTW_ESTORE;
    }
    double t0 = now_s();
    wd_counts all = {0}, per[sizeof sets / sizeof sets[0]];
    int rc = 0;
    for (size_t i = 0; i < sizeof sets / sizeof sets[0] && rc == 0; i++) {
        memset(&per[i], 0, sizeof per[i]);
        rc = wd_file(c, sets[i].file, icu, &per[i]);
        all.pairs += per[i].pairs;
        all.review += per[i].review;
        all.alert += per[i].alert;
        all.peer += per[i].peer;
    }
    utrans_close(icu);
    if (rc != 0) return rc;
    ctw__eval_buf_printf(b, "## 7. Names in other scripts (Wikidata)\n\n");
    ctw__eval_buf_printf(b,
                         "`" F_WIKIDATA "` (the 20%% test slices of the COLING 2018 Wikidata transliteration set): "
                         "%zu names, each a Latin spelling and the same name written in another script, mostly "
                         "Western names as Arabic, Russian, Hebrew, Chinese and Korean write them — the name on a "
                         "document that a list holds in Latin letters. Each pair scored with "
                         "`ctw_match_compare_names(written, latin, \"Person\")`; *matched* = score ≥ the review "
                         "threshold %.2f. The peer is what a matcher without name-aware romanisation does: ICU "
                         "`Any-Latin; Latin-ASCII`, both sides folded, Jaro-Winkler ≥ %.2f (a matcher comparing "
                         "the scripts as written, as Watchman's Jaro-Winkler does, matches none). "
                         "(%.1f s for all pairs, one thread.)\n\n"
                         "| script | names | ctwatch ≥ review | ctwatch ≥ alert | ICU Any-Latin + Jaro-Winkler ≥ %.2f |\n"
                         "|---|---:|---:|---:|---:|\n",
                         "{arabic,russian,hebrew,chinese,korean}", all.pairs, CTW_MATCH_REVIEW, WD_PEER_JW,
                         now_s() - t0, WD_PEER_JW);
    for (size_t i = 0; i <= sizeof sets / sizeof sets[0]; i++) {
        bool total = i == sizeof sets / sizeof sets[0];
        const wd_counts *k = total ? &all : &per[i];
        double n = k->pairs ? (double)k->pairs : 1.0;
        ctw__eval_buf_printf(b, "| %s%s%s | %zu | %.1f %% | %.1f %% | %.1f %% |\n", total ? "**" : "",
                             total ? "all" : sets[i].name, total ? "**" : "", k->pairs, 100.0 * (double)k->review / n,
                             100.0 * (double)k->alert / n, 100.0 * (double)k->peer / n);
    }
    ctw__eval_buf_printf(b, "\nChinese and Korean write a foreign name by sound in syllables of their own (Crewson "
                            "as 克魯森, *ke lu sen*), which no letter-by-letter reading brings back. ctwatch also "
                            "reads such a name back by the conventions of that writing (`src/text/romanise.c`: "
                            "Hangul's loanwords, and for Chinese the characters that stand for a consonant alone, "
                            "克魯森 *klusen*); the rest of those rows measures how far sound-alike spellings "
                            "carry.\n\n");
    char v1[64], v2[64];
    double n = all.pairs ? (double)all.pairs : 1.0;
    snprintf(v1, sizeof v1, "%.1f %% of %zu", 100.0 * (double)all.review / n, all.pairs);
    snprintf(v2, sizeof v2, "%.1f %% (ICU + Jaro-Winkler)", 100.0 * (double)all.peer / n);
    summary_row(c, "Wikidata names in 5 scripts matched (≥ review)", v1, v2, "", "");
    return 0;
}

/* ---- 8. One name in many languages and scripts ------------------------------ */

/* nomenklatura's fixture of the forms of one name (Vladimir Putin) in
 * many languages and scripts, one per line, each scored against the name
 * in Latin letters; the misses are listed with their score. */
static int eval_one_name(ctx *c)
{
    static const char latin_name[] = "Vladimir Putin";
    ctw__eval_buf *b = &c->body;
    char path[4096];
    data_path(c, F_PUTIN, path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "eval: %s: %s\n", path, strerror(errno));
        return CTW_EIO;
    }
    UChar id[64];
    u_uastrcpy(id, "Any-Latin; Latin-ASCII");
    UErrorCode ec = U_ZERO_ERROR;
    UTransliterator *icu = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &ec);
    if (U_FAILURE(ec)) {
        fclose(f);
        fprintf(stderr, "eval: ICU cannot open Any-Latin: %s\n", u_errorName(ec));
        return CTW_ESTORE;
    }
    char latin[128];
    size_t flen = 0;
    if (ctw_text_fold(latin_name, strlen(latin_name), latin, sizeof latin, &flen) != 0) latin[0] = '\0';
    ctw__eval_buf misses = {0}, scripts = {0};
    wd_counts k = {0};
    typedef struct script_count {
        const char *script;
        size_t n;
    } script_count;
    script_count per[32];
    size_t nper = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    while ((len = getline(&line, &lcap, f)) > 0) {
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = '\0';
        char *form = line;
        if (strncmp(form, "\xEF\xBB\xBF", 3) == 0) form += 3; /* a byte-order mark */
        if (!*form) continue;
        double s = ctw_match_compare_names(form, latin_name, "Person");
        char peer[512];
        wd_icu_latin(icu, form, peer, sizeof peer);
        k.pairs++;
        k.review += s >= CTW_MATCH_REVIEW;
        k.alert += s >= CTW_MATCH_ALERT;
        k.peer += *peer && *latin && ctw_jaro_winkler(peer, latin, false) >= WD_PEER_JW;
        if (s < CTW_MATCH_REVIEW) ctw__eval_buf_printf(&misses, "%s%s (%.3f)", misses.len ? ", " : "", form, s);
        const char *sc = ctw_script_of(form);
        size_t j = 0;
        while (j < nper && strcmp(per[j].script, sc) != 0) j++;
        if (j == nper && nper < sizeof per / sizeof per[0]) per[nper++] = (script_count){sc, 0};
        if (j < nper) per[j].n++;
    }
    /* the scripts, most forms first */
    for (size_t done = 0; done < nper; done++) {
        size_t best = done;
        for (size_t j = done + 1; j < nper; j++)
            if (per[j].n > per[best].n) best = j;
        script_count t = per[done];
        per[done] = per[best];
        per[best] = t;
        ctw__eval_buf_printf(&scripts, "%s%s %zu", done ? ", " : "", per[done].script, per[done].n);
    }
    free(line);
    fclose(f);
    utrans_close(icu);
    double n = k.pairs ? (double)k.pairs : 1.0;
    ctw__eval_buf_printf(b, "## 8. One name in many languages and scripts\n\n");
    ctw__eval_buf_printf(b,
                         "`" F_PUTIN "`: %zu forms of one name (%s) as languages and scripts write it, some with "
                         "a title or the patronymic; by script (ISO 15924): %s. Each scored against \"%s\" as in "
                         "section 7, beside the same peer.\n\n"
                         "| forms | ctwatch ≥ review | ctwatch ≥ alert | ICU Any-Latin + Jaro-Winkler ≥ %.2f |\n"
                         "|---:|---:|---:|---:|\n| %zu | %zu (%.1f %%) | %zu (%.1f %%) | %zu (%.1f %%) |\n\n"
                         "Below review: %s.\n\n",
                         k.pairs, latin_name, ctw__eval_buf_str(&scripts), latin_name, WD_PEER_JW, k.pairs, k.review, 100.0 * (double)k.review / n,
                         k.alert, 100.0 * (double)k.alert / n, k.peer, 100.0 * (double)k.peer / n,
                         misses.len ? ctw__eval_buf_str(&misses) : "none");
    bool oom = misses.oom || scripts.oom;
    ctw__eval_buf_free(&misses);
    ctw__eval_buf_free(&scripts);
    if (oom) return CTW_ENOMEM;
    char v1[64], v2[64];
    snprintf(v1, sizeof v1, "%zu of %zu", k.review, k.pairs);
    snprintf(v2, sizeof v2, "%zu (ICU + Jaro-Winkler)", k.peer);
    summary_row(c, "One name in many scripts matched (≥ review)", v1, v2, "", "");
    return 0;
}

int main(int argc, char **argv)
{
    ctx c = {.data = NULL, .threads = 2};
    const char *out = NULL;
    ctw__eval_buf doc = {0};
    int status = 1;

    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--data") == 0 && i + 1 < argc) {
            c.data = argv[++i];
        } else if (strcmp(argv[i], "--out") == 0 && i + 1 < argc) {
            out = argv[++i];
        } else if (strcmp(argv[i], "--threads") == 0 && i + 1 < argc) {
            char *endp = NULL;
            long v = strtol(argv[++i], &endp, 10);
            if (!endp || *endp || v < 1 || v > 64) {
                fprintf(stderr, "eval: --threads wants 1..64\n");
                return 1;
            }
            c.threads = (int)v;
        } else if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else {
            usage(stderr);
            return 1;
        }
    }
    if (!c.data || !out) {
        usage(stderr);
        return 1;
    }
    if (access(c.data, R_OK | X_OK) != 0) {
        fprintf(stderr, "eval: data directory %s: %s (set EVAL_DATA=DIR; the test sets are described in "
                        "../shared/data/screening/PROVENANCE.md)\n",
                c.data, strerror(errno));
        return 1;
    }

    double t0 = now_s();
    time_t wall = time(NULL);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", gmtime(&wall));
    struct utsname u;
    char machine[512] = "unknown";
    if (uname(&u) == 0) snprintf(machine, sizeof machine, "%s %s %s", u.sysname, u.release, u.machine);
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    double load[1] = {NAN};
    if (getloadavg(load, 1) != 1) load[0] = NAN;

    fprintf(stderr, "eval: loading the UN and OFAC lists from %s...\n", c.data);
    if (load_lists(&c) != 0) goto out;
    fprintf(stderr, "eval: 1. name benchmark...\n");
    if (eval_bench(&c) != 0) goto out;
    fprintf(stderr, "eval: 2. UN positives...\n");
    if (eval_un(&c) != 0) goto out;
    fprintf(stderr, "eval: 3. negatives...\n");
    if (eval_negatives(&c) != 0) goto out;
    fprintf(stderr, "eval: 4. cross-script pairs...\n");
    if (eval_xscript(&c) != 0) goto out;
    fprintf(stderr, "eval: 5. OFAC fixtures...\n");
    if (eval_ofac_fixtures(&c) != 0) goto out;
    fprintf(stderr, "eval: 6. pruning changes no answer...\n");
    bool same = false;
    if (eval_same(&c, &same) != 0) goto out;
    fprintf(stderr, "eval: 7. names in other scripts (Wikidata)...\n");
    if (eval_wikidata(&c) != 0) goto out;
    fprintf(stderr, "eval: 8. one name in many scripts...\n");
    if (eval_one_name(&c) != 0) goto out;
    double secs = now_s() - t0;
    struct rusage ru;
    double cpu = NAN;
    if (getrusage(RUSAGE_SELF, &ru) == 0)
        cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
              (double)ru.ru_stime.tv_usec / 1e6;

    ctw__eval_buf head = {0};
    ctw__eval_buf_printf(&head,
                         "# ctwatch matching evaluation\n\n"
                         "Generated by `eval/eval.c` on %s, on %s with %ld CPUs (load average %.2f at the start), "
                         "in %.0f s wall, %.0f s CPU (%d screening threads). Data: `%s` (read in place, never copied). "
                         "Thresholds: alert ≥ %.2f, review ≥ %.2f (`CTW_MATCH_ALERT`, `CTW_MATCH_REVIEW`).\n\n"
                         "How to reproduce: `make eval` (or `make eval EVAL_DATA=/path/to/screening`). "
                         "This file is regenerated entirely by each run; every figure comes from that run.\n\n"
                         "## Summary\n\n",
                         date, machine, ncpu, load[0], secs, cpu, c.threads, c.data, CTW_MATCH_ALERT, CTW_MATCH_REVIEW);
    ctw__eval_buf_printf(&head, "| measure | ctwatch | peer | target | status |\n|---|---:|---:|---|---|\n%s\n",
                         ctw__eval_buf_str(&c.summary));
    ctw__eval_buf_printf(&doc, "%s%s", ctw__eval_buf_str(&head), ctw__eval_buf_str(&c.body));
    bool oom = head.oom || c.summary.oom || c.body.oom || doc.oom;
    if (!oom) fputs(ctw__eval_buf_str(&head), stdout);
    ctw__eval_buf_free(&head);
    if (oom) {
        fprintf(stderr, "eval: out of memory building the report\n");
        goto out;
    }
    if (write_report(out, ctw__eval_buf_str(&doc)) != 0) goto out;
    fprintf(stdout, "Report written to %s.\n", out);
    status = same ? 0 : 1;
    if (!same) fprintf(stderr, "eval: pruning changed answers (section 6 of %s)\n", out);
out:
    ctw__eval_buf_free(&doc);
    ctw__eval_buf_free(&c.summary);
    ctw__eval_buf_free(&c.body);
    free_lists(&c);
    return status;
}
