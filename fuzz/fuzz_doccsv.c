/* fuzz_doccsv.c — any bytes through the SLTD import CSV reader. Nothing
 * may crash, and what comes out must keep the contract: every row handed
 * on is valid (a known state, a normalised number of 1-32 letters and
 * digits, a real status, a date, an owner code), rows come in line order,
 * and a refusal names "fuzz.csv:LINE" with a one-line message. Each
 * accepted row also goes through the table: added, then found. Inputs
 * whose length is a multiple of 7 stop at the third row, to check that
 * the handler's value comes back. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/doccsv.h"
#include "ctwatch/doctable.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct seen {
    ctw_doctable *t;
    size_t rows, last_line;
    size_t stop_at;
} seen;

static int on_row(void *ud, const ctw_doc_row *row, size_t line)
{
    seen *s = ud;
    if (line < 2 || line <= s->last_line) abort();
    s->last_line = line;
    char st[4], num[CTW_DOC_NUMBER_MAX + 1];
    if (ctw_doc_state_norm(row->issuing_state, st) != 0 || memcmp(st, row->state_norm, 4) != 0) abort();
    int n = ctw_doc_number_norm(row->number, num);
    if (n < 1 || n > CTW_DOC_NUMBER_MAX || (size_t)n != row->number_norm_len || strcmp(num, row->number_norm) != 0)
        abort();
    for (int i = 0; i < n; i++)
        if (!((num[i] >= 'A' && num[i] <= 'Z') || (num[i] >= '0' && num[i] <= '9'))) abort();
    if (row->status <= CTW_DOC_NONE || row->status > CTW_DOC_STOLEN_BLANK) abort();
    size_t tl = strlen(row->type);
    if (tl < 1 || tl > 2 || strlen(row->reported) != 10) abort();
    size_t ol = strlen(row->owner);
    if (ol < 2 || ol > 32) abort();
    uint64_t key = ctw_doc_key(row->state_norm, row->number_norm, row->number_norm_len);
    if (key == 0) abort();
    if (ctw_doctable_add(s->t, key, (uint32_t)s->rows, row->type[0], row->status) != 0) abort();
    ctw_doc_match m;
    if (ctw_doctable_find(s->t, key, &m, 1) < 1) abort();
    s->rows++;
    return s->stop_at && s->rows == s->stop_at ? 77 : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    seen s = {NULL, 0, 0, size % 7 == 0 ? 3 : 0};
    if (ctw_doctable_new(16, &s.t) != 0) return 0;
    ctw_error err;
    int rc = ctw_doccsv_parse((const char *)data, size, "fuzz.csv", on_row, &s, &err);
    if (rc == 77) {
        if (s.rows != 3 || err.code != 77) abort();
    } else if (rc == CTW_EPARSE) {
        if (err.code != CTW_EPARSE || strncmp(err.where, "fuzz.csv:", 9) != 0 || !err.message[0]) abort();
        if (strchr(err.message, '\n') || strchr(err.message, '\r')) abort();
    } else if (rc != 0) {
        abort();
    }
    if (ctw_doctable_count(s.t) != s.rows) abort();
    ctw_doctable_free(s.t);
    return 0;
}
