/* evalutil.c — text buffer, CSV reader and statistics for eval/ (eval.h).
 *
 * The CSV reader follows RFC 4180: records end with CRLF or LF; a field
 * is either bare (no comma, quote or line break) or quoted with '"', in
 * which a quote is written twice and commas and line breaks are literal.
 * A UTF-8 byte order mark at the start is skipped. Bare fields that hold a
 * stray quote are kept as written (lenient, as most writers do it); text
 * after a closing quote is an error.
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/import.h"
#include "eval.h"

/* ---- buffer ------------------------------------------------------------- */

static bool buf_reserve(ctw__eval_buf *b, size_t more)
{
    if (b->oom) return false;
    if (b->len + more + 1 <= b->cap) return true;
    size_t cap = b->cap ? b->cap : 4096;
    while (cap < b->len + more + 1) {
        if (cap > SIZE_MAX / 2) { b->oom = true; return false; }
        cap *= 2;
    }
    char *s = realloc(b->s, cap);
    if (!s) { b->oom = true; return false; }
    b->s = s;
    b->cap = cap;
    return true;
}

void ctw__eval_buf_printf(ctw__eval_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0 || !buf_reserve(b, (size_t)n)) return;
    va_start(ap, fmt);
    vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n;
}

void ctw__eval_buf_cell(ctw__eval_buf *b, const char *s)
{
    if (!s || !*s) { ctw__eval_buf_printf(b, "—"); return; }
    size_t n = strlen(s);
    if (!buf_reserve(b, 2 * n)) return;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '|' || c == '\\' || c == '`' || c == '*' || c == '_') b->s[b->len++] = '\\';
        b->s[b->len++] = (c == '\n' || c == '\r' || c == '\t') ? ' ' : c;
    }
    b->s[b->len] = '\0';
}

const char *ctw__eval_buf_str(const ctw__eval_buf *b)
{
    return b->s ? b->s : "";
}

void ctw__eval_buf_free(ctw__eval_buf *b)
{
    free(b->s);
    memset(b, 0, sizeof *b);
}

/* ---- CSV ---------------------------------------------------------------- */

typedef struct grow {
    void *v;
    size_t n, cap, size;
} grow;

static void *grow_push(grow *g, size_t k)
{
    if (g->n + k > g->cap) {
        size_t cap = g->cap ? g->cap : 1024;
        while (cap < g->n + k) cap *= 2;
        void *v = realloc(g->v, cap * g->size);
        if (!v) return NULL;
        g->v = v;
        g->cap = cap;
    }
    void *at = (char *)g->v + g->n * g->size;
    g->n += k;
    return at;
}

static int csv_fail(ctw_error *err, int code, const char *path, size_t line, const char *msg)
{
    char where[256];
    snprintf(where, sizeof where, "%s:%zu", path, line);
    return ctw_error_set(err, code, where, "%s", msg);
}

int ctw__eval_csv_load(const char *path, int flags, ctw__eval_csv *t, ctw_error *err)
{
    char *buf = NULL;
    size_t len = 0;
    int rc = ctw_read_file(path, 256u * 1024u * 1024u, &buf, &len, err);
    if (rc != 0) return rc;

    grow text = {.size = 1}, offs = {.size = sizeof(size_t)}, rec = {.size = sizeof(size_t)};
    size_t ncols = 0, nrows_all = 0, line = 1;
    bool have_cols = false;
    char **head = NULL, **cell = NULL;
    rc = CTW_ENOMEM;
    if (!grow_push(&text, 1)) goto out;
    ((char *)text.v)[0] = '\0'; /* offset 0: the shared empty field */

    const char *p = buf, *end = buf + len;
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    while (p < end) {
        /* at the start of a record */
        if (*p == '\n' || (*p == '\r' && p + 1 < end && p[1] == '\n')) {
            p += (*p == '\r') ? 2 : 1;
            line++;
            continue;
        }
        if ((flags & CTW__EVAL_CSV_COMMENTS) && *p == '#') {
            while (p < end && *p != '\n') p++;
            if (p < end) p++;
            line++;
            continue;
        }
        size_t rec_line = line;
        rec.n = 0;
        for (;;) { /* one field */
            size_t *o = grow_push(&rec, 1);
            if (!o) goto out;
            *o = text.n;
            if (p < end && *p == '"') {
                p++;
                for (;;) {
                    if (p >= end) {
                        rc = csv_fail(err, CTW_EPARSE, path, rec_line, "unterminated quoted field");
                        goto out;
                    }
                    if (*p == '"') {
                        if (p + 1 < end && p[1] == '"') {
                            p++;
                        } else {
                            p++;
                            break;
                        }
                    }
                    if (*p == '\n') line++;
                    char *c = grow_push(&text, 1);
                    if (!c) goto out;
                    *c = *p++;
                }
                if (p < end && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
                    rc = csv_fail(err, CTW_EPARSE, path, line, "text after a closing quote");
                    goto out;
                }
            } else {
                while (p < end && *p != ',' && *p != '\n' && !(*p == '\r' && p + 1 < end && p[1] == '\n')) {
                    char *c = grow_push(&text, 1);
                    if (!c) goto out;
                    *c = *p++;
                }
            }
            char *z = grow_push(&text, 1);
            if (!z) goto out;
            *z = '\0';
            if (p < end && *p == ',') {
                p++;
                continue;
            }
            if (p < end) { /* end of the record */
                p += (*p == '\r') ? 2 : 1;
                line++;
            }
            break;
        }
        if (!have_cols) {
            ncols = rec.n;
            have_cols = true;
        } else if (rec.n > ncols) {
            char msg[128];
            snprintf(msg, sizeof msg, "%zu fields where %zu were expected", rec.n, ncols);
            rc = csv_fail(err, CTW_EPARSE, path, rec_line, msg);
            goto out;
        }
        size_t *row = grow_push(&offs, ncols);
        if (!row) goto out;
        for (size_t i = 0; i < ncols; i++) row[i] = i < rec.n ? ((size_t *)rec.v)[i] : 0;
        nrows_all++;
    }

    /* offsets become pointers now that text no longer moves */
    size_t first = (flags & CTW__EVAL_CSV_HEADER) ? 1 : 0;
    if (first && nrows_all == 0) {
        rc = csv_fail(err, CTW_EPARSE, path, 1, "empty file: no header");
        goto out;
    }
    size_t nrows = nrows_all - first;
    const size_t *ov = offs.v;
    if (first) {
        head = calloc(ncols ? ncols : 1, sizeof *head);
        if (!head) goto out;
        for (size_t i = 0; i < ncols; i++) head[i] = (char *)text.v + ov[i];
    }
    size_t ncell = nrows * ncols;
    cell = calloc(ncell ? ncell : 1, sizeof *cell);
    if (!cell) goto out;
    for (size_t i = 0; i < nrows * ncols; i++) cell[i] = (char *)text.v + ov[first * ncols + i];

    t->nrows = nrows;
    t->ncols = ncols;
    t->head = head;
    t->cell = cell;
    t->text = text.v;
    head = NULL;
    cell = NULL;
    text.v = NULL;
    rc = 0;
out:
    if (rc == CTW_ENOMEM) ctw_error_set(err, rc, path, "out of memory");
    free(head);
    free(cell);
    free(text.v);
    free(offs.v);
    free(rec.v);
    free(buf);
    return rc;
}

int ctw__eval_csv_col(const ctw__eval_csv *t, const char *name)
{
    if (!t->head) return -1;
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->head[i], name) == 0) return (int)i;
    return -1;
}

const char *ctw__eval_csv_get(const ctw__eval_csv *t, size_t row, int col)
{
    if (col < 0 || (size_t)col >= t->ncols || row >= t->nrows) return "";
    return t->cell[row * t->ncols + (size_t)col];
}

void ctw__eval_csv_free(ctw__eval_csv *t)
{
    free(t->head);
    free(t->cell);
    free(t->text);
    memset(t, 0, sizeof *t);
}

/* ---- statistics --------------------------------------------------------- */

double ctw__eval_pearson(const double *x, const double *y, size_t n)
{
    if (n < 2) return NAN;
    double mx = 0, my = 0;
    for (size_t i = 0; i < n; i++) {
        mx += x[i];
        my += y[i];
    }
    mx /= (double)n;
    my /= (double)n;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < n; i++) {
        sxy += (x[i] - mx) * (y[i] - my);
        sxx += (x[i] - mx) * (x[i] - mx);
        syy += (y[i] - my) * (y[i] - my);
    }
    if (sxx <= 0 || syy <= 0) return NAN;
    return sxy / sqrt(sxx * syy);
}

typedef struct ranked {
    double v;
    size_t i;
} ranked;

static int ranked_cmp(const void *a, const void *b)
{
    double x = ((const ranked *)a)->v, y = ((const ranked *)b)->v;
    return (x > y) - (x < y);
}

/* Average ranks (1-based) of v into out. */
static int ranks(const double *v, size_t n, double *out)
{
    ranked *r = malloc(n * sizeof *r);
    if (!r) return CTW_ENOMEM;
    for (size_t i = 0; i < n; i++) r[i] = (ranked){v[i], i};
    qsort(r, n, sizeof *r, ranked_cmp);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j + 1 < n && r[j + 1].v == r[i].v) j++;
        double avg = ((double)i + (double)j) / 2.0 + 1.0;
        for (size_t k = i; k <= j; k++) out[r[k].i] = avg;
        i = j + 1;
    }
    free(r);
    return 0;
}

double ctw__eval_spearman(const double *x, const double *y, size_t n)
{
    if (n < 2) return NAN;
    double *rx = malloc(n * sizeof *rx), *ry = malloc(n * sizeof *ry);
    double res = NAN;
    if (rx && ry && ranks(x, n, rx) == 0 && ranks(y, n, ry) == 0) res = ctw__eval_pearson(rx, ry, n);
    free(rx);
    free(ry);
    return res;
}
