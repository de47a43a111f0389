/* test_doccsv.c — the SLTD import CSV: a good file with every allowed
 * variation, each kind of bad row with its exact FILE:LINE, the limits,
 * the callback's stop, and the synthetic documents (deterministic, sliced,
 * and every row accepted by the reader). */
#include <stdbool.h>

#include "test_util.h"

#include "ctwatch/doccsv.h"
#include "ctwatch/doctable.h"
#include "ctwatch/synth.h"

#define HDR CTW_DOCCSV_HEADER "\n"

typedef struct got_row {
    char state[8], state_norm[4], type[4], number[80], number_norm[40], status[24], reported[16], owner[40];
    ctw_doc_status st;
    size_t norm_len, line;
} got_row;

typedef struct collect {
    got_row rows[16];
    size_t n;
    size_t stop_at;  /* return stop_rc at this row (1-based); 0: never */
    int stop_rc;
    ctw_error *fill; /* when set, fill it before stopping */
} collect;

static int on_row(void *ud, const ctw_doc_row *row, size_t line)
{
    collect *c = ud;
    if (c->n < 16) {
        got_row *g = &c->rows[c->n];
        snprintf(g->state, sizeof g->state, "%s", row->issuing_state);
        memcpy(g->state_norm, row->state_norm, 4);
        snprintf(g->type, sizeof g->type, "%s", row->type);
        snprintf(g->number, sizeof g->number, "%s", row->number);
        snprintf(g->number_norm, sizeof g->number_norm, "%s", row->number_norm);
        snprintf(g->status, sizeof g->status, "%s", row->status_text);
        snprintf(g->reported, sizeof g->reported, "%s", row->reported);
        snprintf(g->owner, sizeof g->owner, "%s", row->owner);
        g->st = row->status;
        g->norm_len = row->number_norm_len;
        g->line = line;
    }
    c->n++;
    if (c->stop_at && c->n == c->stop_at) {
        if (c->fill) ctw_error_set(c->fill, CTW_ECONFLICT, "handler", "own words");
        return c->stop_rc;
    }
    return 0;
}

static int parse(const char *text, collect *c, ctw_error *err)
{
    memset(c->rows, 0, sizeof c->rows);
    c->n = 0;
    return ctw_doccsv_parse(text, strlen(text), "f.csv", on_row, c, err);
}

static void test_good_file(void **state)
{
    (void)state;
    const char *good = "\xEF\xBB\xBF" HDR
                       "DEU,P,C01X00T47,stolen,2019-04-11,DEU-NCB\n"
                       "FR,I,\"12 AB 34567\",Lost,2021-11-30,FRA-NCB\r\n"
                       "\r\n"
                       "\n"
                       "D,PD,c01x00t48,stolen blank,2016-02-29,DEU-MFA\n"
                       "\"GBR\",\"V\",\"123 456 789\",REVOKED,2000-01-01,\"GBR-NCB\"\n"
                       "XXA,C,L898902C3<<<,invalidated,2099-12-31,UNHCR-1\n"
                       "uno,A,123/456,stolen_blank,1900-01-01,UNO-NCB"; /* no final newline */
    collect c = {0};
    ctw_error err;
    int rc = parse(good, &c, &err);
    if (rc != 0) fail_msg("%s: %s", err.where, err.message);
    assert_int_equal(err.code, 0);
    assert_int_equal(c.n, 6);

    assert_string_equal(c.rows[0].state_norm, "DEU");
    assert_string_equal(c.rows[0].number_norm, "C01X00T47");
    assert_int_equal(c.rows[0].norm_len, 9);
    assert_int_equal(c.rows[0].st, CTW_DOC_STOLEN);
    assert_string_equal(c.rows[0].reported, "2019-04-11");
    assert_string_equal(c.rows[0].owner, "DEU-NCB");
    assert_int_equal(c.rows[0].line, 2);

    assert_string_equal(c.rows[1].state, "FR");
    assert_string_equal(c.rows[1].state_norm, "FRA");
    assert_string_equal(c.rows[1].number, "12 AB 34567");
    assert_string_equal(c.rows[1].number_norm, "12AB34567");
    assert_string_equal(c.rows[1].status, "Lost");
    assert_int_equal(c.rows[1].st, CTW_DOC_LOST);
    assert_int_equal(c.rows[1].line, 3);

    assert_string_equal(c.rows[2].state, "D");
    assert_string_equal(c.rows[2].state_norm, "DEU");
    assert_string_equal(c.rows[2].type, "PD");
    assert_string_equal(c.rows[2].number_norm, "C01X00T48");
    assert_int_equal(c.rows[2].st, CTW_DOC_STOLEN_BLANK);
    assert_int_equal(c.rows[2].line, 6);

    assert_string_equal(c.rows[3].state_norm, "GBR");
    assert_string_equal(c.rows[3].number, "123 456 789");
    assert_string_equal(c.rows[3].owner, "GBR-NCB");
    assert_int_equal(c.rows[3].st, CTW_DOC_REVOKED);
    assert_int_equal(c.rows[3].line, 7);
    assert_string_equal(c.rows[4].number_norm, "L898902C3");
    assert_string_equal(c.rows[4].state_norm, "XXA");
    assert_int_equal(c.rows[4].line, 8);
    assert_string_equal(c.rows[5].state_norm, "UNO");
    assert_int_equal(c.rows[5].st, CTW_DOC_STOLEN_BLANK);
    assert_int_equal(c.rows[5].line, 9);

    /* A header alone is an empty list, not an error. */
    assert_int_equal(parse(HDR, &c, &err), 0);
    assert_int_equal(c.n, 0);
    assert_int_equal(parse(CTW_DOCCSV_HEADER, &c, &err), 0);
    assert_int_equal(parse(CTW_DOCCSV_HEADER "\r\n", &c, &err), 0);
}

/* text must fail with CTW_EPARSE at `where`, with `words` in the message,
 * after `delivered` good rows. */
static void bad(const char *text, const char *where, const char *words, size_t delivered)
{
    collect c = {0};
    ctw_error err;
    int rc = parse(text, &c, &err);
    if (rc != CTW_EPARSE) fail_msg("accepted (rc %d): %s", rc, text);
    assert_int_equal(err.code, CTW_EPARSE);
    if (strcmp(err.where, where) != 0) fail_msg("where '%s', expected '%s' (%s)", err.where, where, err.message);
    if (!strstr(err.message, words)) fail_msg("message '%s' lacks '%s'", err.message, words);
    assert_null(strchr(err.message, '\n'));
    assert_int_equal(c.n, delivered);
}

#define ROW1 "DEU,P,C01X00T47,stolen,2019-04-11,DEU-NCB\n"

static void test_bad_rows(void **state)
{
    (void)state;
    /* the header */
    bad("", "f.csv:1", "empty file", 0);
    bad("\n\n", "f.csv:1", "empty file", 0);
    bad("issuing_state,type,number,status,reported\n" ROW1, "f.csv:1", "bad header", 0);
    bad("type,issuing_state,number,status,reported,owner\n" ROW1, "f.csv:1", "bad header", 0);
    bad("Issuing_state,type,number,status,reported,owner\n", "f.csv:1", "bad header", 0);
    bad(CTW_DOCCSV_HEADER ",x\n" ROW1, "f.csv:1", "bad header", 0);
    bad(ROW1, "f.csv:1", "bad header", 0);

    /* field count */
    bad(HDR ROW1 "DEU,P,C01X00T47,stolen,2019-04-11\n", "f.csv:3", "has 5 fields, expected 6", 1);
    bad(HDR ROW1 "DEU,P,C01X00T47,stolen,2019-04-11,DEU-NCB,\n", "f.csv:3", "has 7 fields", 1);
    bad(HDR "DEU\n", "f.csv:2", "has 1 field,", 0);

    /* each field's own check */
    bad(HDR ROW1 ROW1 "XYZ,P,C01X00T47,stolen,2019-04-11,DEU-NCB\n", "f.csv:4", "issuing_state 'XYZ'", 2);
    bad(HDR "Germany,P,C01X00T47,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "issuing_state", 0);
    bad(HDR ",P,C01X00T47,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "issuing_state", 0);
    bad(HDR "DEU,p,C01X00T47,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "type 'p'", 0);
    bad(HDR "DEU,PPP,C01X00T47,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "type 'PPP'", 0);
    bad(HDR "DEU,,C01X00T47,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "type ''", 0);
    bad(HDR "DEU,P,C01#00T47,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "'#' is not allowed", 0);
    bad(HDR "DEU,P,C01\xC3\x84T47,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "byte 0xc3", 0);
    bad(HDR "DEU,P,\"12\"\"34\",stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "'\"' is not allowed", 0);
    bad(HDR "DEU,P,,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "number is empty", 0);
    bad(HDR "DEU,P, - ,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "number is empty", 0);
    bad(HDR "DEU,P,123456789012345678901234567890123,stolen,2019-04-11,DEU-NCB\n", "f.csv:2",
        "33 letters and digits", 0);
    bad(HDR "DEU,P,C01X00T47,stolenn,2019-04-11,DEU-NCB\n", "f.csv:2", "status 'stolenn'", 0);
    bad(HDR "DEU,P,C01X00T47,none,2019-04-11,DEU-NCB\n", "f.csv:2", "status 'none'", 0);
    bad(HDR "DEU,P,C01X00T47,,2019-04-11,DEU-NCB\n", "f.csv:2", "status ''", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2021-02-29,DEU-NCB\n", "f.csv:2", "reported '2021-02-29'", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,1900-02-29,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2020-13-01,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2020-04-31,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2020-00-10,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,1899-12-31,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2100-01-01,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,20-01-01,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2020-1-1,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2020-01-011,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2020/01/01,DEU-NCB\n", "f.csv:2", "reported", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2019-04-11,deu-ncb\n", "f.csv:2", "owner 'deu-ncb'", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2019-04-11,D\n", "f.csv:2", "owner 'D'", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2019-04-11,DEU NCB\n", "f.csv:2", "owner", 0);
    bad(HDR "DEU,P,C01X00T47,stolen,2019-04-11,ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\n", "f.csv:2", "owner", 0);

    /* CSV structure */
    bad(HDR ROW1 "DEU,P,\"C01X00T47,stolen,2019-04-11,DEU-NCB\n" ROW1 ROW1, "f.csv:3", "unterminated quote", 1);
    bad(HDR ROW1 "DEU,P,C01X00T47,stolen,2019-04-11,\"DEU-NCB\n", "f.csv:3", "unterminated quote", 1);
    bad(HDR "DEU,P,\"C01\"X,stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "text after the closing quote", 0);
    bad(HDR "DEU,P,C01\"X\",stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "quote inside a field", 0);
    /* a row after a quoted line break is numbered from where it starts */
    bad(HDR "DEU,P,\"C01\nX00\",stolen,2019-04-11,DEU-NCB\n", "f.csv:2", "number", 0);
    bad(HDR ROW1 "DEU,P,\"C01 X00\",stolen,2019-04-11,\"DEU-NCB\n\"\n" "DEU,P,1,stolen,2019-04-11,X\n",
        "f.csv:3", "owner", 1);
    bad(HDR ROW1 "\"DEU\",P,\"C01 X00\",\"stolen\",\"2019-04-11\",\"DEU-NCB\"\n\n\n" "DEU,P,1,stolen,2019-04-11,X\n",
        "f.csv:6", "owner 'X'", 2);
    /* a lone CR is data, not a line end */
    bad(HDR "DEU,P,C01X00T47,stolen,2019-04-11,DEU-NCB\r" ROW1, "f.csv:2", "has 11 fields", 0);
}

static void test_nul_and_limits(void **state)
{
    (void)state;
    collect c = {0};
    ctw_error err;
    /* A NUL byte is refused, bare or quoted (a C string would cut there). */
    static const char nul_bare[] = HDR "DEU,P,C01\0X00T47,stolen,2019-04-11,DEU-NCB\n";
    assert_int_equal(ctw_doccsv_parse(nul_bare, sizeof nul_bare - 1, "f.csv", on_row, &c, &err), CTW_EPARSE);
    assert_string_equal(err.where, "f.csv:2");
    assert_non_null(strstr(err.message, "NUL"));
    static const char nul_quoted[] = HDR "DEU,P,\"C01\0X00T47\",stolen,2019-04-11,DEU-NCB\n";
    assert_int_equal(ctw_doccsv_parse(nul_quoted, sizeof nul_quoted - 1, "f.csv", on_row, &c, &err), CTW_EPARSE);
    assert_non_null(strstr(err.message, "NUL"));

    /* 64 bytes are a field; 65 are too long, bare or quoted. 32 digits with
     * 32 spaces make a valid 64-byte number. */
    char line[512], num[80];
    for (int i = 0; i < 32; i++) {
        num[2 * i] = (char)('0' + i % 10);
        num[2 * i + 1] = ' ';
    }
    num[64] = '\0';
    snprintf(line, sizeof line, HDR "DEU,P,%s,stolen,2019-04-11,DEU-NCB\n", num);
    assert_int_equal(parse(line, &c, &err), 0);
    assert_int_equal(c.n, 1);
    assert_int_equal(c.rows[0].norm_len, 32);
    snprintf(line, sizeof line, HDR "DEU,P,\"%s\",stolen,2019-04-11,DEU-NCB\n", num);
    assert_int_equal(parse(line, &c, &err), 0);
    num[64] = '1';
    num[65] = '\0';
    snprintf(line, sizeof line, HDR "DEU,P,%s,stolen,2019-04-11,DEU-NCB\n", num);
    bad(line, "f.csv:2", "field 3 is longer than 64 bytes", 0);
    snprintf(line, sizeof line, HDR "DEU,P,\"%s\",stolen,2019-04-11,DEU-NCB\n", num);
    bad(line, "f.csv:2", "field 3 is longer than 64 bytes", 0);
    /* a long extra field is still capped */
    char big[300];
    memset(big, 'A', 200);
    big[200] = '\0';
    snprintf(line, sizeof line, HDR "DEU,P,1,stolen,2019-04-11,DEU-NCB,%s\n", big);
    bad(line, "f.csv:2", "field 7 is longer than 64 bytes", 0);
    /* owner of exactly 32 */
    assert_int_equal(parse(HDR "DEU,P,1,stolen,2019-04-11,ABCDEFGHIJKLMNOPQRSTUVWXYZ012345\n", &c, &err), 0);

    /* a long value is cut in the message and bytes outside ASCII shown as '?' */
    bad(HDR "DEU,P,1,\"stolen\xff\nxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\",2019-04-11,DEU-NCB\n",
        "f.csv:2", "status 'stolen??xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'", 0);

    /* arguments */
    assert_int_equal(ctw_doccsv_parse(NULL, 0, "f.csv", on_row, &c, &err), CTW_EINVAL);
    assert_int_equal(err.code, CTW_EINVAL);
    assert_int_equal(ctw_doccsv_parse(HDR, strlen(HDR), "f.csv", NULL, &c, &err), CTW_EINVAL);
    assert_int_equal(ctw_doccsv_parse(HDR ROW1, strlen(HDR ROW1), "f.csv", on_row, &c, NULL), 0);
    assert_int_equal(ctw_doccsv_parse("x\n", 2, NULL, on_row, &c, &err), CTW_EPARSE);
    assert_string_equal(err.where, "-:1");
    assert_int_equal(ctw_doccsv_parse("x\n", 2, "f.csv", on_row, &c, NULL), CTW_EPARSE);
    /* len, not NUL, ends the data */
    assert_int_equal(ctw_doccsv_parse(HDR ROW1 "garbage", strlen(HDR ROW1), "f.csv", on_row, &c, &err), 0);
}

static void test_callback_stops(void **state)
{
    (void)state;
    collect c = {0};
    ctw_error err;
    c.stop_at = 2;
    c.stop_rc = 123;
    assert_int_equal(parse(HDR ROW1 ROW1 ROW1, &c, &err), 123);
    assert_int_equal(c.n, 2);
    assert_int_equal(err.code, 123);
    assert_string_equal(err.where, "f.csv:3");

    /* A handler that explains itself keeps its words. */
    ctw_error own;
    ctw_error_clear(&own);
    c.fill = &own;
    c.stop_rc = CTW_ECONFLICT;
    c.n = 0;
    assert_int_equal(ctw_doccsv_parse(HDR ROW1 ROW1, strlen(HDR ROW1 ROW1), "f.csv", on_row, &c, &own),
                     CTW_ECONFLICT);
    assert_string_equal(own.where, "handler");
    assert_string_equal(own.message, "own words");
}

/* ---- synthetic documents ----------------------------------------------------- */

typedef struct buf {
    char *p;
    size_t n, cap;
    size_t lines;
} buf;

static int to_buf(void *ud, const char *line, size_t len)
{
    buf *b = ud;
    if (b->n + len + 2 > b->cap) {
        size_t cap = (b->cap ? b->cap * 2 : 1 << 16) + len;
        char *p = realloc(b->p, cap);
        if (!p) return CTW_ENOMEM;
        b->p = p;
        b->cap = cap;
    }
    memcpy(b->p + b->n, line, len);
    b->n += len;
    b->p[b->n++] = '\n';
    b->p[b->n] = '\0';
    b->lines++;
    return 0;
}

typedef struct check_synth {
    uint64_t seed;
    size_t n;
    size_t status[6], type_p, type_i, alpha2, d, spaced, lower, quoted_seen;
} check_synth;

static int check_synth_row(void *ud, const ctw_doc_row *row, size_t line)
{
    check_synth *c = ud;
    ctw_synth_doc d;
    ctw_synth_doc_at(c->seed, c->n, &d);
    /* the row is the document the generator made */
    assert_int_equal(line, c->n + 2);
    assert_string_equal(row->issuing_state, d.issuing_state);
    assert_string_equal(row->number, d.number);
    assert_string_equal(row->type, d.type);
    assert_int_equal(row->status, d.status);
    assert_string_equal(row->owner, d.owner);
    assert_string_equal(row->reported, d.reported);
    assert_true(strncmp(row->reported, "2016-02-28", 10) >= 0 && strncmp(row->reported, "2026-02-27", 10) <= 0);
    c->status[row->status]++;
    c->type_p += strcmp(row->type, "P") == 0;
    c->type_i += strcmp(row->type, "I") == 0;
    c->alpha2 += strlen(row->issuing_state) == 2;
    c->d += strcmp(row->issuing_state, "D") == 0;
    c->spaced += strpbrk(row->number, " -") != NULL;
    c->lower += strpbrk(row->number, "abcdefghijklmnopqrstuvwxyz") != NULL;
    c->quoted_seen += d.quoted;
    c->n++;
    return 0;
}

static void test_synth_documents(void **state)
{
    (void)state;
    enum { N = 20000 };
    buf a = {0}, b = {0}, slice = {0};
    assert_int_equal(to_buf(&a, CTW_DOCCSV_HEADER, strlen(CTW_DOCCSV_HEADER)), 0);
    assert_int_equal(ctw_synth_documents(5, 0, N, to_buf, &a), 0);
    assert_int_equal(to_buf(&b, CTW_DOCCSV_HEADER, strlen(CTW_DOCCSV_HEADER)), 0);
    assert_int_equal(ctw_synth_documents(5, 0, N, to_buf, &b), 0);
    assert_int_equal(a.lines, N + 1);
    assert_int_equal(a.n, b.n);
    assert_memory_equal(a.p, b.p, a.n); /* deterministic */

    /* documents 100..199 alone are the same lines as inside the whole */
    assert_int_equal(ctw_synth_documents(5, 100, 100, to_buf, &slice), 0);
    const char *p = a.p;
    for (int i = 0; i < 101; i++) p = strchr(p, '\n') + 1;
    assert_memory_equal(p, slice.p, slice.n);

    /* another seed, other documents */
    buf other = {0};
    assert_int_equal(ctw_synth_documents(6, 0, 10, to_buf, &other), 0);
    assert_true(memcmp(other.p, p, 40) != 0);

    /* every row is accepted by the reader and is what the generator made */
    check_synth c = {.seed = 5};
    ctw_error err;
    int rc = ctw_doccsv_parse(a.p, a.n, "synth.csv", check_synth_row, &c, &err);
    if (rc != 0) fail_msg("%s: %s", err.where, err.message);
    assert_int_equal(c.n, N);
    /* the mix the header comment promises, loosely */
    assert_true(c.status[CTW_DOC_STOLEN] > N * 50 / 100 && c.status[CTW_DOC_STOLEN] < N * 60 / 100);
    assert_true(c.status[CTW_DOC_LOST] > N * 33 / 100 && c.status[CTW_DOC_LOST] < N * 43 / 100);
    assert_true(c.status[CTW_DOC_REVOKED] > 0 && c.status[CTW_DOC_INVALIDATED] > 0 &&
                c.status[CTW_DOC_STOLEN_BLANK] > 0);
    assert_true(c.type_p > c.type_i && c.type_i > N / 20 && c.type_p + c.type_i < N);
    assert_true(c.alpha2 > 0 && c.d > 0 && c.spaced > 0 && c.lower > 0 && c.quoted_seen > 0);

    /* cursor = random access */
    ctw_synth_doc_state st;
    ctw_synth_doc_init(&st, 5, 42);
    for (uint64_t i = 42; i < 52; i++) {
        ctw_synth_doc x, y;
        ctw_synth_doc_next(&st, &x);
        ctw_synth_doc_at(5, i, &y);
        assert_memory_equal(&x, &y, sizeof x);
    }
    assert_int_equal(st.next, 52);

    /* the one-line writer refuses a short buffer */
    ctw_synth_doc d;
    ctw_synth_doc_at(5, 0, &d);
    char small[8] = "x";
    assert_int_equal(ctw_synth_doc_csv(&d, small, sizeof small), CTW_ELIMIT);
    assert_string_equal(small, "");
    assert_int_equal(ctw_synth_documents(5, 0, 1, NULL, NULL), CTW_EINVAL);
    assert_int_equal(ctw_synth_documents(5, SIZE_MAX, 2, to_buf, &other), CTW_EINVAL);
    free(a.p);
    free(b.p);
    free(slice.p);
    free(other.p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_good_file),
        cmocka_unit_test(test_bad_rows),
        cmocka_unit_test(test_nul_and_limits),
        cmocka_unit_test(test_callback_stops),
        cmocka_unit_test(test_synth_documents),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
