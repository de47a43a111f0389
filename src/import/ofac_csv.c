/* ofac_csv.c — OFAC SDN legacy CSV reader (see import.h).
 *
 * Three files, no header row, one record per line, fields separated by
 * commas. A field is either bare or quoted with "..." ("" inside is one
 * quote; commas and even newlines may appear inside). The null value is
 * -0- , usually with a trailing space. Lines end in CRLF and the file
 * usually ends with a DOS end-of-file byte 0x1A, after which nothing counts.
 *
 *   sdn.csv   ent_num,SDN_Name,SDN_Type,Program,Title,Call_Sign,Vess_type,
 *             Tonnage,GRT,Vess_flag,Vess_owner,Remarks
 *             36,"AEROCARIBBEAN AIRLINES",-0- ,"CUBA",-0- ,...,-0- <CR><LF>
 *             | |                        |     |                  |
 *             | SDN_Name                 |     Program: "SDGT] [IRGC"
 *             ent_num (decimal)          SDN_Type: individual, vessel,
 *                                        aircraft or -0- (an entity)
 *   alt.csv   ent_num,alt_num,alt_type,alt_name,alt_remarks
 *             2676,4760,"aka","AL-ZAWAHIRI, Ayman",-0- <CR><LF>
 *   add.csv   ent_num,add_num,address,city/state/postal,country,add_remarks
 *             306,199,"Zweierstrasse 35","Zurich CH-8022","Switzerland",-0-
 *   ...last line<CR><LF><0x1A>
 *
 * Remarks is a "; "-separated list of labelled items, ending with a full
 * stop:  DOB 10 Jul 1963; POB Al-Mukalla, Yemen; nationality Yemen;
 *        Passport 00078328 (Yemen) issued 02 Jan 1996; a.k.a. 'XYZ'.
 * Items we recognise become structured fields (see the rule table below);
 * the whole text is kept in record->remarks either way. The legacy format
 * carries OFAC's weak ("low quality") a.k.a.s only in Remarks, so those
 * become CTW_NAME_ALIAS_WEAK; alt.csv holds the strong ones.
 *
 * The files are US-ASCII in practice; a file that is not valid UTF-8 is
 * read as Windows-1252 and converted, because every string we hand on must
 * be UTF-8 (jansson refuses anything else).
 */
#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <unicode/utf8.h>

#include "ctwatch/country.h"
#include "ctwatch/import.h"
#include "import/import_int.h"

#define SDN_COLS 12
#define ALT_COLS 5
#define ADD_COLS 6
#define MAX_COLS 12          /* fields stored per row; more are only counted */
#define DOS_EOF 0x1A
#define ENT_MAX 999999999999L /* ent_num digits we accept (12) */

/* ---- CSV rows --------------------------------------------------------- */

typedef struct csv {
    const char *p, *end;
    const char *name;
    size_t line;          /* line of p, 1-based */
    size_t row_line;      /* line the current row started on */
    bool cp1252;          /* the file is not UTF-8: convert from Windows-1252 */
    char *buf;            /* decoded fields of the row, each NUL-terminated */
    size_t blen, bcap;
    size_t off[MAX_COLS];
    size_t nf;            /* fields in the row (may exceed MAX_COLS) */
} csv;

/* Windows-1252 0x80..0x9F; the five holes become U+FFFD. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Strict UTF-8 (no overlongs, surrogates or code points past U+10FFFF),
 * the same rule jansson applies: ICU's U8_NEXT reads it so. */
static bool utf8_valid(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n;) {
        UChar32 cp;
        U8_NEXT(s, i, n, cp);
        if (cp < 0) return false;
    }
    return true;
}

static void csv_init(csv *c, const char *buf, size_t len, const char *name)
{
    memset(c, 0, sizeof *c);
    c->p = buf ? buf : "";
    c->end = buf ? buf + len : c->p;
    c->name = name;
    c->line = 1;
    c->cp1252 = !utf8_valid((const unsigned char *)c->p, (size_t)(c->end - c->p));
}

static void csv_free(csv *c)
{
    free(c->buf);
    c->buf = NULL;
}

static int csv_fail(const csv *c, int code, size_t line, ctw_error *err, const char *msg)
{
    char where[256];
    snprintf(where, sizeof where, "%s:%zu", c->name, line);
    return ctw_error_set(err, code, where, "%s", msg);
}

static int buf_put(csv *c, const char *s, size_t n)
{
    if (n > c->bcap - c->blen) {
        size_t ncap = c->bcap ? c->bcap : 256;
        while (ncap - c->blen < n) {
            if (ncap > SIZE_MAX / 2) return CTW_ENOMEM;
            ncap *= 2;
        }
        char *nb = realloc(c->buf, ncap);
        if (!nb) return CTW_ENOMEM;
        c->buf = nb;
        c->bcap = ncap;
    }
    memcpy(c->buf + c->blen, s, n);
    c->blen += n;
    return 0;
}

/* Append one input byte to the field being decoded, converting it from
 * Windows-1252 when the file is not UTF-8. */
static int put_byte(csv *c, unsigned char b)
{
    if (!c->cp1252 || b < 0x80) return buf_put(c, (const char *)&b, 1);
    uint32_t cp = b < 0xA0 ? cp1252_hi[b - 0x80] : b;
    char u[3];
    if (cp < 0x800) {
        u[0] = (char)(0xC0 | (cp >> 6));
        u[1] = (char)(0x80 | (cp & 0x3F));
        return buf_put(c, u, 2);
    }
    u[0] = (char)(0xE0 | (cp >> 12));
    u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    u[2] = (char)(0x80 | (cp & 0x3F));
    return buf_put(c, u, 3);
}

/* Close the field that starts at buf[start]: trim blanks, turn the null
 * value -0- into "", NUL-terminate, remember it if there is room. */
static int end_field(csv *c, size_t start)
{
    while (c->blen > start && (c->buf[c->blen - 1] == ' ' || c->buf[c->blen - 1] == '\t'))
        c->blen--;
    size_t lead = 0;
    while (start + lead < c->blen && (c->buf[start + lead] == ' ' || c->buf[start + lead] == '\t'))
        lead++;
    if (lead) {
        memmove(c->buf + start, c->buf + start + lead, c->blen - start - lead);
        c->blen -= lead;
    }
    if (c->blen - start == 3 && memcmp(c->buf + start, "-0-", 3) == 0) c->blen = start;
    if (c->nf < MAX_COLS) {
        int rc = buf_put(c, "", 1);
        if (rc) return rc;
        c->off[c->nf] = start;
    } else {
        c->blen = start; /* counted, not kept: rows with extra columns are refused anyway */
    }
    c->nf++;
    return 0;
}

static bool at_row_end(const csv *c)
{
    return c->p >= c->end || *c->p == '\n' || *c->p == '\r' || *c->p == DOS_EOF;
}

/* Consume the end of a row: CRLF, LF, lone CR, or the DOS EOF byte (after
 * which the rest of the buffer is ignored). */
static void eat_row_end(csv *c)
{
    if (c->p >= c->end) return;
    if (*c->p == DOS_EOF) { c->p = c->end; return; }
    if (*c->p == '\r') c->p++;
    if (c->p < c->end && *c->p == '\n') c->p++;
    c->line++;
}

/* One quoted field; c->p is on the opening quote. */
static int quoted_field(csv *c, size_t start, ctw_error *err)
{
    size_t open_line = c->line;
    bool multiline = false;
    c->p++;
    for (;;) {
        if (c->p >= c->end)
            return csv_fail(c, CTW_EPARSE, open_line, err, "unterminated quoted field");
        unsigned char b = (unsigned char)*c->p;
        if (b == '"') {
            if (c->p + 1 < c->end && c->p[1] == '"') {
                c->p += 2;
                if (buf_put(c, "\"", 1)) return CTW_ENOMEM;
            } else {
                c->p++;
                break;
            }
        } else {
            if (b == '\0')
                return csv_fail(c, CTW_EPARSE, c->line, err, "NUL byte in a field");
            if (b == '\n') { c->line++; multiline = true; }
            c->p++;
            int rc = put_byte(c, b);
            if (rc) return rc;
        }
        if (c->blen - start > CTW_IMPORT_MAX_FIELD)
            return csv_fail(c, CTW_ELIMIT, open_line, err, "field longer than the limit");
    }
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t')) c->p++;
    if (c->p < c->end && *c->p != ',' && !at_row_end(c)) {
        /* A quote that closed on a later line and is followed by text is
         * almost always a quote that was never closed where it opened. */
        if (multiline)
            return csv_fail(c, CTW_EPARSE, open_line, err,
                            "unterminated quoted field (a quote closes on a later line)");
        return csv_fail(c, CTW_EPARSE, c->line, err, "text after a closing quote");
    }
    return 0;
}

/* Read the next row into c. Returns 1 with a row, 0 at the end, or a
 * negative CTW_E* code with err set. Blank lines are skipped. */
static int csv_next(csv *c, ctw_error *err)
{
    for (;;) {
        const char *q = c->p;
        while (q < c->end && (*q == ' ' || *q == '\t')) q++;
        if (q >= c->end || *q == DOS_EOF) { c->p = c->end; return 0; }
        if (*q != '\r' && *q != '\n') break;
        c->p = q;
        eat_row_end(c);
    }
    c->blen = 0;
    c->nf = 0;
    c->row_line = c->line;
    for (;;) {
        size_t start = c->blen;
        while (c->p < c->end && (*c->p == ' ' || *c->p == '\t')) c->p++;
        if (c->p < c->end && *c->p == '"') {
            int rc = quoted_field(c, start, err);
            if (rc) return rc;
        } else {
            while (c->p < c->end && *c->p != ',' && !at_row_end(c)) {
                unsigned char b = (unsigned char)*c->p++;
                if (b == '\0')
                    return csv_fail(c, CTW_EPARSE, c->line, err, "NUL byte in a field");
                int rc = put_byte(c, b);
                if (rc) return rc;
                if (c->blen - start > CTW_IMPORT_MAX_FIELD)
                    return csv_fail(c, CTW_ELIMIT, c->line, err, "field longer than the limit");
            }
        }
        int rc = end_field(c, start);
        if (rc) return rc;
        if (c->p < c->end && *c->p == ',') {
            c->p++;
            continue;
        }
        eat_row_end(c);
        return 1;
    }
}

/* Field i of the current row ("" when null or missing). */
static const char *fld(const csv *c, size_t i)
{
    return i < c->nf && i < MAX_COLS ? c->buf + c->off[i] : "";
}

static int csv_check_cols(csv *c, size_t want, ctw_error *err)
{
    if (c->nf == want) return 0;
    char where[256];
    snprintf(where, sizeof where, "%s:%zu", c->name, c->row_line);
    return ctw_error_set(err, CTW_EPARSE, where, "expected %zu columns, found %zu", want, c->nf);
}

/* ent_num: decimal digits only, at most 12 of them. */
static int csv_ent_num(csv *c, long *out, ctw_error *err)
{
    const char *s = fld(c, 0);
    size_t n = strlen(s);
    bool ok = n > 0 && n <= 12;
    for (size_t i = 0; ok && i < n; i++) ok = isdigit((unsigned char)s[i]) != 0;
    if (!ok) {
        char where[256];
        snprintf(where, sizeof where, "%s:%zu", c->name, c->row_line);
        return ctw_error_set(err, CTW_EPARSE, where, "ent_num is not a number: \"%.40s\"", s);
    }
    *out = strtol(s, NULL, 10);
    return 0;
}

/* ---- alt.csv and add.csv, read first ------------------------------------ */

typedef struct alt_row {
    long ent;
    size_t seq;           /* file order, so sorting keeps it */
    const char *type, *name;
    bool used;
} alt_row;

typedef struct add_row {
    long ent;
    size_t seq;
    const char *street, *city, *country, *note;
    bool used;
} add_row;

typedef struct tables {
    ctw_arena arena;      /* owns every string in the rows */
    alt_row *alt;
    size_t nalt, calt;
    add_row *add;
    size_t nadd, cadd;
} tables;

static void *grow(void *v, size_t *cap, size_t n, size_t size)
{
    if (n < *cap) return v;
    size_t ncap = *cap ? *cap * 2 : 64;
    if (ncap > SIZE_MAX / size) return NULL;
    void *nv = realloc(v, ncap * size);
    if (nv) *cap = ncap;
    return nv;
}

static const char *tdup(tables *t, const char *s)
{
    return *s ? ctw_arena_strdup(&t->arena, s) : NULL;
}

static int cmp_alt(const void *a, const void *b)
{
    const alt_row *x = a, *y = b;
    if (x->ent != y->ent) return x->ent < y->ent ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int cmp_add(const void *a, const void *b)
{
    const add_row *x = a, *y = b;
    if (x->ent != y->ent) return x->ent < y->ent ? -1 : 1;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static int read_alt(tables *t, const char *buf, size_t len, const char *name, ctw_error *err)
{
    csv c;
    csv_init(&c, buf, len, name);
    int rc;
    while ((rc = csv_next(&c, err)) == 1) {
        long ent;
        if ((rc = csv_check_cols(&c, ALT_COLS, err)) || (rc = csv_ent_num(&c, &ent, err))) break;
        if (!*fld(&c, 3)) continue; /* an alias without a name says nothing */
        alt_row *v = grow(t->alt, &t->calt, t->nalt, sizeof *v);
        if (!v) { rc = CTW_ENOMEM; break; }
        t->alt = v;
        alt_row *a = &t->alt[t->nalt];
        *a = (alt_row){.ent = ent, .seq = t->nalt};
        a->type = tdup(t, fld(&c, 2));
        a->name = tdup(t, fld(&c, 3));
        if (!a->name || (*fld(&c, 2) && !a->type)) { rc = CTW_ENOMEM; break; }
        t->nalt++;
    }
    csv_free(&c);
    if (rc < 0) return rc;
    if (t->nalt) qsort(t->alt, t->nalt, sizeof *t->alt, cmp_alt);
    return 0;
}

static int read_add(tables *t, const char *buf, size_t len, const char *name, ctw_error *err)
{
    csv c;
    csv_init(&c, buf, len, name);
    int rc;
    while ((rc = csv_next(&c, err)) == 1) {
        long ent;
        if ((rc = csv_check_cols(&c, ADD_COLS, err)) || (rc = csv_ent_num(&c, &ent, err))) break;
        if (!*fld(&c, 2) && !*fld(&c, 3) && !*fld(&c, 4)) continue;
        add_row *v = grow(t->add, &t->cadd, t->nadd, sizeof *v);
        if (!v) { rc = CTW_ENOMEM; break; }
        t->add = v;
        add_row *a = &t->add[t->nadd];
        *a = (add_row){.ent = ent, .seq = t->nadd};
        a->street = tdup(t, fld(&c, 2));
        a->city = tdup(t, fld(&c, 3));
        a->country = tdup(t, fld(&c, 4));
        a->note = tdup(t, fld(&c, 5));
        if ((*fld(&c, 2) && !a->street) || (*fld(&c, 3) && !a->city) ||
            (*fld(&c, 4) && !a->country) || (*fld(&c, 5) && !a->note)) {
            rc = CTW_ENOMEM;
            break;
        }
        t->nadd++;
    }
    csv_free(&c);
    if (rc < 0) return rc;
    if (t->nadd) qsort(t->add, t->nadd, sizeof *t->add, cmp_add);
    return 0;
}

/* First index in a sorted table whose ent is >= ent. */
#define LOWER_BOUND(arr, n, key, out)               \
    do {                                            \
        size_t lo_ = 0, hi_ = (n);                  \
        while (lo_ < hi_) {                         \
            size_t mid_ = lo_ + (hi_ - lo_) / 2;    \
            if ((arr)[mid_].ent < (key)) lo_ = mid_ + 1; \
            else hi_ = mid_;                        \
        }                                           \
        (out) = lo_;                                \
    } while (0)

/* ---- seen ent_nums, to refuse duplicates -------------------------------- */

typedef struct entset {
    long *v;       /* ent + 1; 0 marks an empty slot */
    size_t n, cap; /* cap is a power of two */
} entset;

static size_t ent_hash(long k, size_t cap)
{
    uint64_t h = (uint64_t)k * 0x9E3779B97F4A7C15ull;
    return (size_t)(h >> 17) & (cap - 1);
}

/* 1 if k was already there, 0 if added, CTW_ENOMEM. */
static int entset_add(entset *s, long k)
{
    if ((s->n + 1) * 2 > s->cap) {
        size_t ncap = s->cap ? s->cap * 2 : 1024;
        long *nv = calloc(ncap, sizeof *nv);
        if (!nv) return CTW_ENOMEM;
        for (size_t i = 0; i < s->cap; i++) {
            if (!s->v[i]) continue;
            size_t j = ent_hash(s->v[i] - 1, ncap);
            while (nv[j]) j = (j + 1) & (ncap - 1);
            nv[j] = s->v[i];
        }
        free(s->v);
        s->v = nv;
        s->cap = ncap;
    }
    size_t j = ent_hash(k, s->cap);
    while (s->v[j]) {
        if (s->v[j] == k + 1) return 1;
        j = (j + 1) & (s->cap - 1);
    }
    s->v[j] = k + 1;
    s->n++;
    return 0;
}

/* ---- building one record ------------------------------------------------ */

/* Add a name; for individuals "LAST, First Middle" also fills family and
 * given, split at the first ", ". */
static int add_name(ctw_record *r, const char *full, ctw_name_kind kind, const char *quality)
{
    size_t before = r->names.n;
    int rc = ctw_record_add_name(r, full, kind, quality);
    if (rc || r->names.n == before || r->kind != CTW_KIND_PERSON) return rc;
    ctw_name *n = &r->names.v[r->names.n - 1];
    const char *comma = strstr(n->full, ", ");
    if (!comma) return 0;
    n->family = ctw_record_strn(r, n->full, (size_t)(comma - n->full));
    n->given = ctw_record_str(r, comma + 2);
    if ((!n->family && comma > n->full) || (!n->given && comma[2])) return CTW_ENOMEM;
    return 0;
}

/* "SDGT] [IRGC" (the outer brackets are the file's) to "SDGT; IRGC";
 * *out is NULL when nothing is left. 0 or CTW_ENOMEM. */
static int clean_program(ctw_record *r, const char *s, const char **prog)
{
    size_t n = strlen(s);
    *prog = NULL;
    if (n > SIZE_MAX / 2 - 1) return CTW_ENOMEM;
    char *out = ctw_arena_alloc(&r->arena, n * 2 + 1);
    if (!out) return CTW_ENOMEM;
    size_t o = 0;
    const char *p = s, *e = s + n;
    while (p < e) {
        while (p < e && (*p == '[' || *p == ']' || isspace((unsigned char)*p))) p++;
        const char *q = p;
        while (q < e && *q != '[' && *q != ']') q++;
        const char *t = q;
        while (t > p && isspace((unsigned char)t[-1])) t--;
        if (t > p) {
            if (o) { out[o++] = ';'; out[o++] = ' '; }
            memcpy(out + o, p, (size_t)(t - p));
            o += (size_t)(t - p);
        }
        p = q;
    }
    out[o] = '\0';
    *prog = o ? out : NULL;
    return 0;
}

/* What a Remarks item turns into. */
typedef enum rule_kind {
    RK_DOB, RK_POB, RK_NATIONALITY, RK_ALIAS, RK_GENDER, RK_ID, RK_DIGITAL, RK_ATTR,
} rule_kind;

#define ID_BY_KIND NULL /* national-id for people, registration for the rest */

typedef struct remark_rule {
    const char *label;
    rule_kind kind;
    const char *arg;      /* identifier type, attribute key or alias quality */
    const char *note;     /* identifier note */
} remark_rule;

/* The longest label that matches wins, so the order does not matter. */
static const remark_rule rules[] = {
    {"DOB", RK_DOB, NULL, NULL},
    {"POB", RK_POB, NULL, NULL},
    {"nationality", RK_NATIONALITY, NULL, NULL},
    {"citizen", RK_NATIONALITY, NULL, NULL},
    {"a.k.a.", RK_ALIAS, "a.k.a.", NULL},
    {"f.k.a.", RK_ALIAS, "f.k.a.", NULL},
    {"n.k.a.", RK_ALIAS, "n.k.a.", NULL},
    {"Gender", RK_GENDER, NULL, NULL},
    {"Digital Currency Address -", RK_DIGITAL, "digital-currency-address", NULL},

    {"Passport", RK_ID, "passport", NULL},
    {"Diplomatic Passport", RK_ID, "passport", "diplomatic"},
    {"Passport Booklet", RK_ID, "passport", "booklet"},
    {"Travel Document Number", RK_ID, "travel-document", NULL},
    {"National ID No.", RK_ID, "national-id", NULL},
    {"National Foreign ID Number", RK_ID, "national-id", "foreign national"},
    {"Personal ID Card", RK_ID, "national-id", NULL},
    {"Tazkira National ID Card", RK_ID, "national-id", NULL},
    {"Cedula No.", RK_ID, "national-id", "cedula"},
    {"D.N.I.", RK_ID, "national-id", "D.N.I."},
    {"C.U.R.P.", RK_ID, "national-id", "C.U.R.P."},
    {"C.U.R.P. #", RK_ID, "national-id", "C.U.R.P."},
    {"C.U.I.", RK_ID, "national-id", "C.U.I."},
    {"C.U.I.P.", RK_ID, "national-id", "C.U.I.P."},
    {"SSN", RK_ID, "national-id", "SSN"},
    {"Identification Number", RK_ID, ID_BY_KIND, NULL},
    {"Turkish Identification Number", RK_ID, "national-id", NULL},
    {"Numero de Identidad", RK_ID, "national-id", NULL},
    {"Kenyan ID No.", RK_ID, "national-id", NULL},
    {"Citizen's Card Number", RK_ID, "national-id", NULL},
    {"I.F.E.", RK_ID, "national-id", "I.F.E."},
    {"Credencial electoral", RK_ID, "national-id", "electoral"},
    {"Electoral Registry No.", RK_ID, "national-id", "electoral"},
    {"LE Number", RK_ID, "national-id", "L.E."},
    {"Residency Number", RK_ID, "residence-permit", NULL},
    {"Driver's License No.", RK_ID, "driving-licence", NULL},
    {"VisaNumberID", RK_ID, "visa", NULL},
    {"Birth Certificate Number", RK_ID, "birth-certificate", NULL},
    {"Cartilla de Servicio Militar Nacional", RK_ID, "military-id", NULL},

    {"Tax ID No.", RK_ID, "tax-id", NULL},
    {"R.F.C.", RK_ID, "tax-id", "R.F.C."},
    {"R.F.C. #", RK_ID, "tax-id", "R.F.C."},
    {"RFC", RK_ID, "tax-id", "R.F.C."},
    {"NIT #", RK_ID, "tax-id", "NIT"},
    {"RUC #", RK_ID, "tax-id", "RUC"},
    {"RIF #", RK_ID, "tax-id", "RIF"},
    {"V.A.T. Number", RK_ID, "tax-id", "VAT"},
    {"C.U.I.T.", RK_ID, "tax-id", "C.U.I.T."},
    {"RTN", RK_ID, "tax-id", "RTN"},
    {"Italian Fiscal Code", RK_ID, "tax-id", NULL},
    {"US FEIN", RK_ID, "tax-id", "US FEIN"},

    {"Registration ID", RK_ID, "registration", NULL},
    {"Registration Number", RK_ID, "registration", NULL},
    {"Company Number", RK_ID, "registration", NULL},
    {"UK Company Number", RK_ID, "registration", NULL},
    {"Government Gazette Number", RK_ID, "registration", "government gazette"},
    {"Folio Mercantil No.", RK_ID, "registration", "folio mercantil"},
    {"Commercial Registry Number", RK_ID, "registration", NULL},
    {"Matricula Mercantil No", RK_ID, "registration", "matricula mercantil"},
    {"C.R. No.", RK_ID, "registration", NULL},
    {"Business Registration Number", RK_ID, "registration", NULL},
    {"Business Registration Document #", RK_ID, "registration", NULL},
    {"Business Number", RK_ID, "registration", NULL},
    {"Trade License No.", RK_ID, "registration", "trade license"},
    {"Chamber of Commerce Number", RK_ID, "registration", "chamber of commerce"},
    {"Dubai Chamber of Commerce Membership No.", RK_ID, "registration", "chamber of commerce"},
    {"Public Registration Number", RK_ID, "registration", NULL},
    {"Registered Charity No.", RK_ID, "registration", "charity"},
    {"Branch Unit Number", RK_ID, "registration", "branch"},
    {"Certificate of Incorporation Number", RK_ID, "registration", NULL},
    {"United Social Credit Code Certificate (USCCC)", RK_ID, "registration", "USCC"},
    {"Unified Social Credit Code (USCC)", RK_ID, "registration", "USCC"},
    {"Legal Entity Number", RK_ID, "registration", NULL},
    {"Enterprise Number", RK_ID, "registration", NULL},
    {"D-U-N-S Number", RK_ID, "registration", "D-U-N-S"},
    {"License", RK_ID, "registration", "license"},

    {"Vessel Registration Identification IMO", RK_ID, "imo", NULL},
    {"Identification Number IMO", RK_ID, "imo", NULL},
    {"Company Number IMO", RK_ID, "imo-company", NULL},
    {"MMSI", RK_ID, "mmsi", NULL},
    {"SWIFT/BIC", RK_ID, "swift-bic", NULL},
    {"BIK (RU)", RK_ID, "bik", NULL},
    {"Aircraft Tail Number", RK_ID, "aircraft-tail-number", NULL},
    {"Previous Aircraft Tail Number", RK_ID, "aircraft-tail-number", "previous"},
    {"Aircraft Manufacturer's Serial Number (MSN)", RK_ID, "aircraft-serial-number", NULL},
    {"Aircraft Serial Identification", RK_ID, "aircraft-serial-number", NULL},
    {"Aircraft Construction Number (also called L/N or S/N or F/N)", RK_ID,
     "aircraft-construction-number", NULL},
    {"Aircraft Mode S Transponder Code", RK_ID, "aircraft-mode-s", NULL},

    {"Title", RK_ATTR, "title", NULL},
    {"Position", RK_ATTR, "position", NULL},
    {"Email Address", RK_ATTR, "email", NULL},
    {"Email", RK_ATTR, "email", NULL},
    {"Website", RK_ATTR, "website", NULL},
    {"Telephone", RK_ATTR, "phone", NULL},
    {"Telephone No.", RK_ATTR, "phone", NULL},
    {"Phone Number", RK_ATTR, "phone", NULL},
    {"Phone", RK_ATTR, "phone", NULL},
    {"Fax", RK_ATTR, "fax", NULL},
    {"Fax No.", RK_ATTR, "fax", NULL},
    {"Linked To", RK_ATTR, "linked-to", NULL},
    {"Organization Established Date", RK_ATTR, "established", NULL},
    {"Organization Type", RK_ATTR, "organization-type", NULL},
    {"Nationality of Registration", RK_ATTR, "registration-country", NULL},
    {"Aircraft Model", RK_ATTR, "aircraft-model", NULL},
    {"Aircraft Manufacture Date", RK_ATTR, "aircraft-manufacture-date", NULL},
    {"Aircraft Operator", RK_ATTR, "aircraft-operator", NULL},
    {"Vessel Year of Build", RK_ATTR, "vessel-year-of-build", NULL},
    {"Former Vessel Flag", RK_ATTR, "former-vessel-flag", NULL},
    {"Other Vessel Flag", RK_ATTR, "vessel-flag", NULL},
    {"Other Vessel Call Sign", RK_ATTR, "call-sign", NULL},
    {"Other Vessel Type", RK_ATTR, "vessel-type", NULL},
};

/* The rule whose label starts item [s, s+n) and is followed by a blank or a
 * colon; *val is set to the text after it. NULL if none. */
static const remark_rule *match_rule(const char *s, size_t n, const char **val, size_t *vlen)
{
    const remark_rule *best = NULL;
    size_t best_len = 0;
    for (size_t i = 0; i < sizeof rules / sizeof rules[0]; i++) {
        size_t l = strlen(rules[i].label);
        if (l <= best_len || l >= n || strncmp(s, rules[i].label, l) != 0) continue;
        if (s[l] != ' ' && s[l] != ':') continue;
        best = &rules[i];
        best_len = l;
    }
    if (!best) return NULL;
    const char *v = s + best_len, *e = s + n;
    while (v < e && (*v == ' ' || *v == ':')) v++;
    if (v == e) return NULL;
    *val = v;
    *vlen = (size_t)(e - v);
    return best;
}

/* First occurrence of needle in [s, s+n), or NULL. */
static const char *find(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; k <= n && i <= n - k; i++)
        if (memcmp(s + i, needle, k) == 0) return s + i;
    return NULL;
}

/* A date from [s, s+n) as an ISO partial date, or NULL. */
static const char *iso_date(ctw_record *r, const char *s, size_t n, int *rc)
{
    const char *t = ctw_record_strn(r, s, n);
    if (!t) return NULL;
    ctw_date d;
    int e = ctw_record_parse_date(r, t, &d);
    if (e == CTW_ENOMEM) *rc = e;
    return e == 0 ? d.from : NULL;
}

/* "10 Jul 1963", "Jul 1963", "1963", "circa 1963", "1960 to 1965",
 * "circa 1979-1982". */
static int remark_dob(ctw_record *r, const char *v, size_t n)
{
    const char *text = ctw_record_strn(r, v, n);
    if (!text) return CTW_ENOMEM;
    ctw_date d = {0};
    int rc = 0;
    bool circa = n > 6 && strncasecmp(v, "circa ", 6) == 0;
    if (circa) { v += 6; n -= 6; }
    const char *to = find(v, n, " to ");
    const char *dash = circa && n == 9 && v[4] == '-' ? v + 4 : NULL;
    if (to || dash) {
        /* a range, with or without "circa": the range is what counts */
        const char *sep = to ? to : dash;
        size_t skip = to ? 4 : 1;
        d.from = iso_date(r, v, (size_t)(sep - v), &rc);
        d.to = iso_date(r, sep + skip, (size_t)(v + n - sep - skip), &rc);
        if (rc) return rc;
        d.precision = CTW_DATE_RANGE;
        if (!d.from || !d.to) d.from = d.to = NULL;
        d.text = text;
    } else {
        ctw_date p;
        const char *t = ctw_record_strn(r, v, n);
        if (!t) return CTW_ENOMEM;
        rc = ctw_record_parse_date(r, t, &p);
        if (rc == CTW_ENOMEM) return rc;
        d = p;
        if (circa) {
            d.precision = CTW_DATE_APPROX;
            d.text = text;
        } else if (rc) {
            d.text = text;
        }
    }
    ctw_date *slot = ctw_record_add_birth_date(r);
    if (!slot) return CTW_ENOMEM;
    *slot = d;
    return 0;
}

static int remark_pob(ctw_record *r, const char *v, size_t n)
{
    const char *place = ctw_record_strn(r, v, n);
    if (!place) return CTW_ENOMEM;
    const char *comma = strrchr(place, ',');
    const char *country = ctw_country_lookup(comma ? comma + 1 : place);
    ctw_place *p = ctw_record_add_birth_place(r);
    if (!p) return CTW_ENOMEM;
    p->place = place;
    p->country = country;
    return 0;
}

/* "N (Country) issued D expires D", each part after N optional. */
static int remark_id(ctw_record *r, const remark_rule *rule, const char *v, size_t n)
{
    int rc = 0;
    const char *iss = find(v, n, " issued ");
    const char *exp = find(v, n, " expires ");
    const char *cut = v + n;
    if (iss && iss < cut) cut = iss;
    if (exp && exp < cut) cut = exp;
    const char *issued = NULL, *expires = NULL;
    /* The two markers can overlap (" expires issued " shares a blank), so
     * each date runs to the other marker only when that lies past it. */
    if (iss) {
        const char *b = iss + 8, *e = exp && exp >= b ? exp : v + n;
        issued = iso_date(r, b, (size_t)(e - b), &rc);
    }
    if (exp) {
        const char *b = exp + 9, *e = iss && iss >= b ? iss : v + n;
        expires = iso_date(r, b, (size_t)(e - b), &rc);
    }
    if (rc) return rc;

    size_t hn = (size_t)(cut - v);
    while (hn && isspace((unsigned char)v[hn - 1])) hn--;
    const char *country = NULL, *note = NULL;
    if (hn && v[hn - 1] == ')') {
        size_t open = hn - 1;
        while (open > 0 && !(v[open] == '(' && v[open - 1] == ' ')) open--;
        if (open > 0) {
            const char *inside = ctw_record_strn(r, v + open + 1, hn - open - 2);
            if (inside) {
                country = ctw_country_lookup(inside);
                if (!country) note = inside;
                hn = open - 1;
            }
        }
    }
    const char *num = ctw_record_strn(r, v, hn);
    if (!num) return 0;
    if (strncmp(num, "IMO ", 4) == 0 && !strncmp(rule->arg ? rule->arg : "", "imo", 3))
        num = ctw_record_str(r, num + 4);
    if (!num) return 0;
    const char *type = rule->arg ? rule->arg
                       : r->kind == CTW_KIND_PERSON ? "national-id" : "registration";
    type = ctw_record_str(r, type);
    if (!note && rule->note) note = ctw_record_str(r, rule->note);
    if (!type || (rule->note && !note)) return CTW_ENOMEM;
    ctw_identifier *id = ctw_record_add_identifier(r);
    if (!id) return CTW_ENOMEM;
    id->type = type;
    id->number = num;
    id->country = country;
    id->issued = issued;
    id->expires = expires;
    id->note = note;
    return 0;
}

/* "XBT 1Q9UAQbcDez..." */
static int remark_digital(ctw_record *r, const char *v, size_t n)
{
    const char *sp = memchr(v, ' ', n);
    if (!sp) return 0;
    const char *number = ctw_record_strn(r, sp + 1, (size_t)(v + n - sp - 1));
    if (!number) return 0;
    const char *type = ctw_record_str(r, "digital-currency-address");
    const char *currency = ctw_record_strn(r, v, (size_t)(sp - v));
    if (!type || !currency) return CTW_ENOMEM;
    ctw_identifier *id = ctw_record_add_identifier(r);
    if (!id) return CTW_ENOMEM;
    id->type = type;
    id->number = number;
    id->note = currency;
    return 0;
}

static int remark_item(ctw_record *r, const char *s, size_t n)
{
    if (n > 5 && strncasecmp(s, "alt. ", 5) == 0) { s += 5; n -= 5; }
    while (n && isspace((unsigned char)*s)) s++, n--;
    const char *v;
    size_t vn;
    const remark_rule *rule = match_rule(s, n, &v, &vn);
    if (!rule) return 0;
    switch (rule->kind) {
    case RK_DOB: return remark_dob(r, v, vn);
    case RK_POB: return remark_pob(r, v, vn);
    case RK_NATIONALITY: {
        const char *t = ctw_record_strn(r, v, vn);
        return t ? ctw_record_add_nationality_text(r, t) : CTW_ENOMEM;
    }
    case RK_ALIAS: {
        /* 'NAME' — quotes are the file's, apostrophes inside are the name's */
        if (vn && *v == '\'') v++, vn--;
        if (vn && v[vn - 1] == '\'') vn--;
        const char *t = ctw_record_strn(r, v, vn);
        if (!t) return vn ? CTW_ENOMEM : 0;
        return add_name(r, t, CTW_NAME_ALIAS_WEAK, rule->arg);
    }
    case RK_GENDER:
        if (vn == 4 && strncasecmp(v, "Male", 4) == 0) r->gender = ctw_record_str(r, "male");
        else if (vn == 6 && strncasecmp(v, "Female", 6) == 0) r->gender = ctw_record_str(r, "female");
        else return 0;
        return r->gender ? 0 : CTW_ENOMEM;
    case RK_ID: return remark_id(r, rule, v, vn);
    case RK_DIGITAL: return remark_digital(r, v, vn);
    case RK_ATTR: {
        const char *t = ctw_record_strn(r, v, vn);
        return t ? ctw_record_add_attr(r, rule->arg, t) : CTW_ENOMEM;
    }
    }
    return 0;
}

/* Split Remarks at ';' and read each item; the full stop that ends the
 * whole list is not part of the last item. */
static int parse_remarks(ctw_record *r, const char *s)
{
    size_t n = strlen(s);
    if (n && s[n - 1] == '.') n--;
    const char *p = s, *e = s + n;
    while (p < e) {
        const char *q = memchr(p, ';', (size_t)(e - p));
        if (!q) q = e;
        const char *a = p, *b = q;
        while (a < b && isspace((unsigned char)*a)) a++;
        while (b > a && isspace((unsigned char)b[-1])) b--;
        if (b > a) {
            int rc = remark_item(r, a, (size_t)(b - a));
            if (rc) return rc;
        }
        p = q < e ? q + 1 : e;
    }
    return 0;
}

static int add_alias_rows(ctw_record *r, tables *t, long ent)
{
    size_t i;
    LOWER_BOUND(t->alt, t->nalt, ent, i);
    for (; i < t->nalt && t->alt[i].ent == ent; i++) {
        alt_row *a = &t->alt[i];
        a->used = true;
        ctw_name_kind k = CTW_NAME_ALIAS_STRONG;
        if (a->type && strstr(a->type, "weak")) k = CTW_NAME_ALIAS_WEAK;
        int rc = add_name(r, a->name, k, a->type);
        if (rc) return rc;
    }
    return 0;
}

static int add_address_rows(ctw_record *r, tables *t, long ent)
{
    size_t i;
    LOWER_BOUND(t->add, t->nadd, ent, i);
    for (; i < t->nadd && t->add[i].ent == ent; i++) {
        add_row *a = &t->add[i];
        a->used = true;
        ctw_address *ad = ctw_record_add_address(r);
        if (!ad) return CTW_ENOMEM;
        const char *parts[3] = {a->street, a->city, a->country};
        size_t len = 1;
        for (int k = 0; k < 3; k++) len += parts[k] ? strlen(parts[k]) + 2 : 0;
        char *full = ctw_arena_alloc(&r->arena, len);
        if (!full) return CTW_ENOMEM;
        size_t o = 0;
        for (int k = 0; k < 3; k++) {
            if (!parts[k]) continue;
            o += (size_t)snprintf(full + o, len - o, "%s%s", o ? ", " : "", parts[k]);
        }
        ad->full = full;
        ad->street = ctw_record_str(r, a->street);
        ad->city = ctw_record_str(r, a->city);
        ad->country = a->country ? ctw_country_lookup(a->country) : NULL;
        ad->note = ctw_record_str(r, a->note);
        if ((a->street && !ad->street) || (a->city && !ad->city) || (a->note && !ad->note))
            return CTW_ENOMEM;
    }
    return 0;
}

static const struct { int col; const char *key; } sdn_attrs[] = {
    {4, "title"}, {5, "call-sign"}, {6, "vessel-type"}, {7, "tonnage"},
    {8, "gross-registered-tonnage"}, {9, "vessel-flag"}, {10, "vessel-owner"},
};

/* The record for the current sdn.csv row, or NULL with *rc set. */
static ctw_record *build_record(csv *c, tables *t, long ent, int *rc, ctw_error *err)
{
    char where[256];
    snprintf(where, sizeof where, "%s:%zu", c->name, c->row_line);
    const char *type = fld(c, 2);
    ctw_kind kind;
    if (!*type) kind = CTW_KIND_ORGANISATION;
    else if (strcasecmp(type, "individual") == 0) kind = CTW_KIND_PERSON;
    else if (strcasecmp(type, "vessel") == 0) kind = CTW_KIND_VESSEL;
    else if (strcasecmp(type, "aircraft") == 0) kind = CTW_KIND_AIRCRAFT;
    else {
        *rc = ctw_error_set(err, CTW_EPARSE, where, "unknown SDN_Type \"%.40s\"", type);
        return NULL;
    }
    if (!*fld(c, 1)) {
        *rc = ctw_error_set(err, CTW_EPARSE, where, "empty SDN_Name for ent_num %ld", ent);
        return NULL;
    }
    ctw_record *r = ctw_record_new(kind);
    if (!r) goto nomem;
    char ent_s[24];
    snprintf(ent_s, sizeof ent_s, "%ld", ent);
    r->source_id = ctw_record_str(r, ent_s);
    if (!r->source_id) goto nomem;
    if ((*rc = add_name(r, fld(c, 1), CTW_NAME_PRIMARY, NULL))) goto fail;

    ctw_listing *l = ctw_record_add_listing(r);
    if (!l) goto nomem;
    l->kind = ctw_record_str(r, "sanctions-listing");
    l->authority = ctw_record_str(r, "US OFAC");
    l->reference = r->source_id;
    l->status = ctw_record_str(r, "published");
    if (!l->kind || !l->authority || !l->status) goto nomem;
    if ((*rc = clean_program(r, fld(c, 3), &l->program))) goto fail;

    for (size_t i = 0; i < sizeof sdn_attrs / sizeof sdn_attrs[0]; i++)
        if ((*rc = ctw_record_add_attr(r, sdn_attrs[i].key, fld(c, (size_t)sdn_attrs[i].col))))
            goto fail;

    /* alt.csv names before the weak ones in Remarks: strong aliases first */
    if ((*rc = add_alias_rows(r, t, ent))) goto fail;
    const char *remarks = fld(c, 11);
    if (*remarks) {
        r->remarks = ctw_record_str(r, remarks);
        if (!r->remarks) goto nomem;
        if ((*rc = parse_remarks(r, r->remarks))) goto fail;
    }
    if ((*rc = add_address_rows(r, t, ent))) goto fail;
    return r;

nomem:
    *rc = CTW_ENOMEM;
fail:
    ctw_record_free(r);
    if (*rc == CTW_ENOMEM) ctw_error_set(err, CTW_ENOMEM, where, "out of memory");
    return NULL;
}

/* ---- the reader --------------------------------------------------------- */

/* Like ctw_ofac_csv_read_mem(); also counts the alt.csv and add.csv rows
 * whose ent_num is not in sdn.csv (ignored), when the whole of sdn.csv was
 * read. Its prototype belongs in a private src/import/import_int.h. */
int ctw__ofac_csv_read_mem_counted(const char *sdn, size_t sdn_len, const char *sdn_name,
                                   const char *alt, size_t alt_len, const char *alt_name,
                                   const char *add, size_t add_len, const char *add_name,
                                   ctw_record_sink sink, void *ud, ctw_error *err,
                                   size_t *orphan_alt, size_t *orphan_add)
{
    tables t = {0};
    entset seen = {0};
    csv c;
    int rc;
    ctw_arena_init(&t.arena);
    ctw_error_clear(err);
    if (!sdn_name) sdn_name = "sdn.csv";
    if (!alt_name) alt_name = "alt.csv";
    if (!add_name) add_name = "add.csv";
    csv_init(&c, NULL, 0, sdn_name);
    if (!sink) {
        rc = ctw_error_set(err, CTW_EINVAL, NULL, "no sink");
        goto out;
    }
    if (sdn_len > CTW_IMPORT_MAX_FILE || alt_len > CTW_IMPORT_MAX_FILE ||
        add_len > CTW_IMPORT_MAX_FILE) {
        rc = ctw_error_set(err, CTW_ELIMIT, NULL, "input file over %u bytes", CTW_IMPORT_MAX_FILE);
        goto out;
    }
    if ((rc = read_alt(&t, alt, alt ? alt_len : 0, alt_name, err))) goto out;
    if ((rc = read_add(&t, add, add ? add_len : 0, add_name, err))) goto out;
    csv_init(&c, sdn, sdn ? sdn_len : 0, sdn_name);

    while ((rc = csv_next(&c, err)) == 1) {
        long ent;
        if ((rc = csv_check_cols(&c, SDN_COLS, err)) || (rc = csv_ent_num(&c, &ent, err)))
            goto out;
        int dup = entset_add(&seen, ent);
        if (dup < 0) { rc = dup; goto out; }
        if (dup) {
            char where[256];
            snprintf(where, sizeof where, "%s:%zu", c.name, c.row_line);
            rc = ctw_error_set(err, CTW_EPARSE, where, "duplicate ent_num %ld", ent);
            goto out;
        }
        ctw_record *r = build_record(&c, &t, ent, &rc, err);
        if (!r) goto out;
        if ((rc = sink(ud, r))) goto out;
    }
    if (rc < 0) goto out;
    size_t oa = 0, od = 0;
    for (size_t i = 0; i < t.nalt; i++) oa += !t.alt[i].used;
    for (size_t i = 0; i < t.nadd; i++) od += !t.add[i].used;
    if (orphan_alt) *orphan_alt = oa;
    if (orphan_add) *orphan_add = od;
    rc = 0;
out:
    csv_free(&c);
    free(seen.v);
    free(t.alt);
    free(t.add);
    ctw_arena_free(&t.arena);
    return rc;
}

int ctw_ofac_csv_read_mem(const char *sdn, size_t sdn_len, const char *sdn_name,
                          const char *alt, size_t alt_len, const char *alt_name,
                          const char *add, size_t add_len, const char *add_name,
                          ctw_record_sink sink, void *ud, ctw_error *err)
{
    return ctw__ofac_csv_read_mem_counted(sdn, sdn_len, sdn_name, alt, alt_len, alt_name,
                                          add, add_len, add_name, sink, ud, err, NULL, NULL);
}
