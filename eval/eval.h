/* eval.h — helpers shared by the files of the evaluation program (eval/).
 *
 * Not part of libctwatch: a growing text buffer for the report, a careful
 * RFC 4180 CSV reader, and a few statistics. Everything here is owned by
 * the caller and freed with the matching _free function.
 */
#ifndef CTWATCH_EVAL_H
#define CTWATCH_EVAL_H

#include <stdbool.h>
#include <stddef.h>

#include "ctwatch/error.h"

/* ---- a growing text buffer ---------------------------------------------- */

typedef struct ctw__eval_buf {
    char *s;        /* NUL-terminated; NULL until the first append */
    size_t len, cap;
    bool oom;       /* an append failed; the text is incomplete */
} ctw__eval_buf;

void ctw__eval_buf_printf(ctw__eval_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Append s as the text of a markdown table cell: '|' escaped, newlines
 * and tabs turned to spaces, NULL or "" shown as "—". */
void ctw__eval_buf_cell(ctw__eval_buf *b, const char *s);
/* "" if nothing was appended. */
const char *ctw__eval_buf_str(const ctw__eval_buf *b);
void ctw__eval_buf_free(ctw__eval_buf *b);

/* ---- CSV (RFC 4180) ----------------------------------------------------- */

enum {
    CTW__EVAL_CSV_HEADER = 1,   /* the first record names the columns */
    CTW__EVAL_CSV_COMMENTS = 2, /* lines starting with '#' are skipped */
};

/* A whole CSV file in memory. Blank lines are skipped. A record with fewer
 * fields than the first (or the header) is padded with ""; one with more
 * is an error (a malformed file). */
typedef struct ctw__eval_csv {
    size_t nrows, ncols;
    char **head;    /* ncols column names, or NULL without a header */
    char **cell;    /* nrows * ncols pointers into text */
    char *text;     /* every field, NUL-terminated, back to back */
} ctw__eval_csv;

/* Read path. Returns 0, or a CTW_E* code with err naming file and line. */
int ctw__eval_csv_load(const char *path, int flags, ctw__eval_csv *t, ctw_error *err);
/* Column index by header name, or -1. */
int ctw__eval_csv_col(const ctw__eval_csv *t, const char *name);
/* The field at (row, col); "" for col < 0. */
const char *ctw__eval_csv_get(const ctw__eval_csv *t, size_t row, int col);
void ctw__eval_csv_free(ctw__eval_csv *t);

/* ---- statistics --------------------------------------------------------- */

/* Pearson correlation of x and y (n values); NAN if undefined. */
double ctw__eval_pearson(const double *x, const double *y, size_t n);
/* Spearman rank correlation (average ranks for ties); NAN if undefined. */
double ctw__eval_spearman(const double *x, const double *y, size_t n);

#endif
