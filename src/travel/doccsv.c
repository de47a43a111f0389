/* doccsv.c — reader of the SLTD import CSV (format in doccsv.h).
 *
 *   issuing_state,type,number,status,reported,owner<LF>      line 1, exact
 *   DEU,P,C01X00T47,stolen,2019-04-11,DEU-NCB<CR><LF>         bare fields
 *   FR,I,"12 AB 34567",lost,2021-11-30,FRA-NCB<LF>             quoted field
 *   "D",P,"C0""1",stolen,...                                   "" is one quote
 *   <LF>                                                       empty: skipped
 *
 * A bare field runs to the next ',' or line end and may not contain '"';
 * a quoted field runs to its closing quote (commas and line breaks inside
 * are data) and must be followed by ',' or the line end. The line counter
 * counts every LF, also those inside quotes; a row's position is the line
 * it starts on.
 *
 * The reader is meant for a hundred million rows: it allocates nothing,
 * copies each field once into a fixed buffer of CTW_DOCCSV_FIELD_MAX + 1
 * bytes (which is also the cap on a field from outside), and every check is
 * a table lookup or a short loop (ctw_doc_state_norm answers from a table
 * built once).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ctwatch/doccsv.h"
#include "ctwatch/doctable.h"

static const char *const field_names[CTW_DOCCSV_FIELDS] = {"issuing_state", "type",     "number",
                                                             "status",        "reported", "owner"};

enum { F_STATE, F_TYPE, F_NUMBER, F_STATUS, F_REPORTED, F_OWNER };

typedef struct reader {
    const char *p, *end;
    const char *name;
    size_t line;     /* line of p, 1-based */
    size_t row_line; /* line the current row started on */
    size_t nf;       /* fields in the row, also those past the sixth */
    /* Fields 0..5; every further field is read into the last buffer. */
    char f[CTW_DOCCSV_FIELDS + 1][CTW_DOCCSV_FIELD_MAX + 1];
    ctw_error *err;
} reader;

/* A value from the file made safe for a one-line message: printable ASCII
 * kept, any other byte shown as '?', cut at 40 characters. */
static const char *shown(const char *s, char out[48])
{
    size_t o = 0;
    for (; *s && o < 40; s++) out[o++] = (*s >= 0x20 && *s < 0x7f) ? *s : '?';
    if (*s) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
    return out;
}

static int fail(reader *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int fail(reader *r, const char *fmt, ...)
{
    char where[200], msg[sizeof r->err->message];
    va_list ap;
    snprintf(where, sizeof where, "%s:%zu", r->name, r->row_line);
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctw_error_set(r->err, CTW_EPARSE, where, "%s", msg);
}

static bool at_line_end(const reader *r)
{
    return r->p == r->end || *r->p == '\n' || (*r->p == '\r' && r->p + 1 < r->end && r->p[1] == '\n');
}

/* One field into dst; r->p ends on the ',' or line end after it. */
static int read_field(reader *r, char *dst)
{
    size_t n = 0;
    size_t col = r->nf + 1;
    if (r->p < r->end && *r->p == '"') {
        r->p++;
        for (;;) {
            if (r->p == r->end) return fail(r, "field %zu: unterminated quote", col);
            char c = *r->p++;
            if (c == '"') {
                if (r->p < r->end && *r->p == '"')
                    r->p++;
                else
                    break;
            } else if (c == '\n') {
                r->line++;
            } else if (c == '\0') {
                return fail(r, "field %zu: NUL byte", col);
            }
            if (n == CTW_DOCCSV_FIELD_MAX) {
                /* Name the likelier fault: a quote opened and never closed
                 * swallows the rest of the file. */
                if (!memchr(r->p, '"', (size_t)(r->end - r->p)))
                    return fail(r, "field %zu: unterminated quote", col);
                return fail(r, "field %zu is longer than %d bytes", col, CTW_DOCCSV_FIELD_MAX);
            }
            dst[n++] = c;
        }
        if (r->p < r->end && *r->p != ',' && !at_line_end(r))
            return fail(r, "field %zu: text after the closing quote", col);
    } else {
        while (r->p < r->end) {
            char c = *r->p;
            if (c == ',' || c == '\n' || (c == '\r' && at_line_end(r))) break;
            if (c == '"') return fail(r, "field %zu: quote inside a field that does not start with one", col);
            if (c == '\0') return fail(r, "field %zu: NUL byte", col);
            if (n == CTW_DOCCSV_FIELD_MAX)
                return fail(r, "field %zu is longer than %d bytes", col, CTW_DOCCSV_FIELD_MAX);
            dst[n++] = c;
            r->p++;
        }
    }
    dst[n] = '\0';
    return 0;
}

/* The next row's fields into r->f. Returns 1 when there is none left. */
static int read_row(reader *r)
{
    /* Skip empty lines. */
    while (r->p < r->end && at_line_end(r)) {
        r->p += *r->p == '\r' ? 2 : 1;
        r->line++;
    }
    if (r->p == r->end) return 1;
    r->row_line = r->line;
    r->nf = 0;
    for (;;) {
        int rc = read_field(r, r->f[r->nf < CTW_DOCCSV_FIELDS ? r->nf : CTW_DOCCSV_FIELDS]);
        if (rc != 0) return rc;
        r->nf++;
        if (r->p < r->end && *r->p == ',') {
            r->p++;
            continue;
        }
        break;
    }
    if (r->p < r->end) { /* the line end */
        r->p += *r->p == '\r' ? 2 : 1;
        r->line++;
    }
    return 0;
}

/* ---- field checks ---------------------------------------------------------- */

static bool type_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > 2) return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < 'A' || s[i] > 'Z') return false;
    return true;
}

static bool owner_ok(const char *s)
{
    size_t n = 0;
    for (; s[n]; n++) {
        char c = s[n];
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-')) return false;
    }
    return n >= 2 && n <= 32;
}

static bool date_ok(const char *s)
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7) {
            if (s[i] != '-') return false;
        } else if (s[i] < '0' || s[i] > '9') {
            return false;
        }
    }
    if (s[10] != '\0') return false;
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    int m = (s[5] - '0') * 10 + (s[6] - '0');
    int d = (s[8] - '0') * 10 + (s[9] - '0');
    if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Why ctw_doc_number_norm refused s, for the message. */
static int number_fail(reader *r, const char *s)
{
    char v[48];
    size_t kept = 0;
    for (const char *p = s; *p; p++) {
        char c = *p;
        if ((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')) {
            kept++;
        } else if (!(c == ' ' || c == '-' || c == '/' || c == '.' || c == '<')) {
            unsigned char b = (unsigned char)c;
            if (b >= 0x20 && b < 0x7f)
                return fail(r, "number '%s': '%c' is not allowed (letters, digits, and the separators "
                               "space - / . <)", shown(s, v), c);
            return fail(r, "number '%s': byte 0x%02x is not allowed (letters, digits, and the "
                           "separators space - / . <)", shown(s, v), b);
        }
    }
    if (kept == 0) return fail(r, "number is empty");
    return fail(r, "number '%s' has %zu letters and digits, more than %d", shown(s, v), kept,
                CTW_DOC_NUMBER_MAX);
}

static int check_header(reader *r)
{
    bool ok = r->nf == CTW_DOCCSV_FIELDS;
    for (size_t i = 0; ok && i < CTW_DOCCSV_FIELDS; i++) ok = strcmp(r->f[i], field_names[i]) == 0;
    if (!ok) return fail(r, "bad header: expected '%s'", CTW_DOCCSV_HEADER);
    return 0;
}

static int check_row(reader *r, ctw_doc_row *row, char number_norm[CTW_DOC_NUMBER_MAX + 1])
{
    char v[48];
    if (r->nf != CTW_DOCCSV_FIELDS)
        return fail(r, "row has %zu field%s, expected %d (%s)", r->nf, r->nf == 1 ? "" : "s", CTW_DOCCSV_FIELDS,
                    CTW_DOCCSV_HEADER);
    if (ctw_doc_state_norm(r->f[F_STATE], row->state_norm) != 0)
        return fail(r, "issuing_state '%s' is no ISO 3166-1 or ICAO 9303 code", shown(r->f[F_STATE], v));
    if (!type_ok(r->f[F_TYPE]))
        return fail(r, "type '%s' is not 1 or 2 upper-case letters (P, I, V, ...)", shown(r->f[F_TYPE], v));
    int n = ctw_doc_number_norm(r->f[F_NUMBER], number_norm);
    if (n < 0) return number_fail(r, r->f[F_NUMBER]);
    if (ctw_doc_status_parse(r->f[F_STATUS], &row->status) != 0 || row->status == CTW_DOC_NONE)
        return fail(r, "status '%s' is not stolen, lost, revoked, invalidated or stolen-blank",
                    shown(r->f[F_STATUS], v));
    if (!date_ok(r->f[F_REPORTED]))
        return fail(r, "reported '%s' is not a date YYYY-MM-DD (1900 to 2099)", shown(r->f[F_REPORTED], v));
    if (!owner_ok(r->f[F_OWNER]))
        return fail(r, "owner '%s' is not an agency code (A-Z, 0-9 and '-', 2 to 32 characters)",
                    shown(r->f[F_OWNER], v));
    row->issuing_state = r->f[F_STATE];
    row->type = r->f[F_TYPE];
    row->number = r->f[F_NUMBER];
    row->number_norm = number_norm;
    row->number_norm_len = (size_t)n;
    row->status_text = r->f[F_STATUS];
    row->reported = r->f[F_REPORTED];
    row->owner = r->f[F_OWNER];
    return 0;
}

int ctw_doccsv_parse(const char *data, size_t len, const char *filename, ctw_doc_row_fn fn, void *ud,
                     ctw_error *err)
{
    ctw_error_clear(err);
    if (!data || !fn) return ctw_error_set(err, CTW_EINVAL, NULL, "no data or no row handler");
    reader r;
    r.p = data;
    r.end = data + len;
    r.name = filename ? filename : "-";
    r.line = 1;
    r.row_line = 1;
    r.err = err;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) r.p += 3;

    int rc = read_row(&r);
    if (rc == 1) return fail(&r, "empty file: no header line '%s'", CTW_DOCCSV_HEADER);
    if (rc == 0) rc = check_header(&r);
    while (rc == 0) {
        rc = read_row(&r);
        if (rc == 1) return 0;
        if (rc != 0) break;
        ctw_doc_row row;
        char number_norm[CTW_DOC_NUMBER_MAX + 1];
        rc = check_row(&r, &row, number_norm);
        if (rc != 0) break;
        rc = fn(ud, &row, r.row_line);
        if (rc != 0 && err && err->code == 0) {
            char where[200];
            snprintf(where, sizeof where, "%s:%zu", r.name, r.row_line);
            ctw_error_set(err, rc, where, "the row handler stopped the read: %s", ctw_strerror(rc));
        }
    }
    return rc;
}
