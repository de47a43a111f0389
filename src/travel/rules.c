/* rules.c — risk rules: JSON in, a compiled tree out, evaluated per traveller
 * (the format and its meaning are in include/ctwatch/rules.h).
 *
 * Compiled form. A rule owns one arena holding its name, its nodes and
 * their value lists; nothing else, so ctw_rule_free is one arena free.
 *
 *     node ALL/ANY  kids[0..n_kids)          node NOT  kids[0]
 *     node LEAF     field (enum) op (enum)  and the value, already checked:
 *                   code / codes[] (sorted)  strings packed into a uint64
 *                   lo, hi / nums[] (sorted) numbers
 *                   flag                     eq/ne on booleans, exists
 *
 * A string code ("SYR", "LH400", "P") is packed big-endian into a uint64,
 * so equality is one compare and a sorted array of packed codes is in the
 * strings' own order (bsearch for in/not_in). Codes from the manifest are
 * packed the same way when a leaf asks for them; one that does not fit (more
 * than 8 bytes, or not printable ASCII) becomes CODE_ODD, which equals no
 * code of a rule. The canonical JSON of a value is rebuilt from the
 * compiled form, only for ctw_rule_definition and explanations.
 *
 * Evaluation reads the traveller's facts lazily into a `facts` on the stack:
 * each is computed at most once per ctw_rule_eval (route lists, companions,
 * the departure), and short-circuits skip the rest.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctwatch/airport.h"
#include "ctwatch/arena.h"
#include "ctwatch/country.h"
#include "ctwatch/rules.h"

#define MAX_NUMBER 1e9    /* |value| of a number in a rule */
#define PATH_MAX_LEN 256  /* = sizeof ctw_error.where */
#define SMALL_ROUTE 32    /* airports kept on the stack before the heap */

/* ---- packed codes ---------------------------------------------------------- */

typedef uint64_t code_t;
#define CODE_NONE ((code_t)0)
#define CODE_ODD UINT64_MAX  /* a value that is there but is no code: 0xFF bytes never pack */

/* Pack n bytes of s, upper-cased, spaces around it dropped; CODE_NONE for
 * nothing, CODE_ODD for what does not fit. */
static code_t pack_n(const char *s, size_t n)
{
    while (n > 0 && *s == ' ') s++, n--;
    while (n > 0 && s[n - 1] == ' ') n--;
    if (n == 0) return CODE_NONE;
    if (n > 8) return CODE_ODD;
    code_t c = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = (unsigned char)s[i];
        if (b <= 0x20 || b >= 0x7f) return CODE_ODD;
        if (b >= 'a' && b <= 'z') b = (unsigned char)(b - 'a' + 'A');
        c |= (code_t)b << (56 - 8 * i);
    }
    return c;
}

static code_t pack(const char *s)
{
    return s ? pack_n(s, strlen(s)) : CODE_NONE;
}

static void unpack(code_t c, char out[9])
{
    size_t n = 0;
    for (; n < 8; n++) {
        unsigned char b = (unsigned char)(c >> (56 - 8 * n));
        if (!b) break;
        out[n] = (char)b;
    }
    out[n] = '\0';
}

static int cmp_code(const void *a, const void *b)
{
    code_t x = *(const code_t *)a, y = *(const code_t *)b;
    return x < y ? -1 : x > y;
}

static int cmp_num(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* ---- fields and operators ------------------------------------------------------ */

typedef enum vtype {
    T_AIRPORT, T_COUNTRY, T_CARRIER, T_FLIGHT, T_SEX, T_ROLE, T_DOCTYPE, T_NUMBER, T_BOOL,
} vtype;

typedef enum field_id {
    F_ORIGIN, F_DESTINATION, F_AIRPORTS, F_ORIGIN_COUNTRY, F_DESTINATION_COUNTRY, F_COUNTRIES,
    F_CARRIER, F_FLIGHT_NUMBER, F_AGE, F_SEX, F_NATIONALITY, F_RESIDENCE, F_ROLE, F_DOC_TYPE,
    F_DOC_ISSUING_STATE, F_DOC_EXPIRES_IN_DAYS, F_DOC_MISSING, F_HOURS_BEFORE, F_ONE_WAY,
    F_COMPANIONS, F_LEGS,
} field_id;

static const struct field_def {
    const char *name;
    vtype type;
    bool list;         /* the fact is a list: any/none semantics */
    const char *what;  /* for messages */
} fields[] = {
    [F_ORIGIN] = {"route.origin", T_AIRPORT, false, "an airport code"},
    [F_DESTINATION] = {"route.destination", T_AIRPORT, false, "an airport code"},
    [F_AIRPORTS] = {"route.airports", T_AIRPORT, true, "airport codes"},
    [F_ORIGIN_COUNTRY] = {"route.origin_country", T_COUNTRY, false, "a country code"},
    [F_DESTINATION_COUNTRY] = {"route.destination_country", T_COUNTRY, false, "a country code"},
    [F_COUNTRIES] = {"route.countries", T_COUNTRY, true, "country codes"},
    [F_CARRIER] = {"flight.carrier", T_CARRIER, false, "an airline code"},
    [F_FLIGHT_NUMBER] = {"flight.number", T_FLIGHT, false, "a flight number"},
    [F_AGE] = {"traveller.age", T_NUMBER, false, "a number of years"},
    [F_SEX] = {"traveller.sex", T_SEX, false, "M, F, X or U"},
    [F_NATIONALITY] = {"traveller.nationality", T_COUNTRY, false, "a country code"},
    [F_RESIDENCE] = {"traveller.residence", T_COUNTRY, false, "a country code"},
    [F_ROLE] = {"traveller.role", T_ROLE, false, "passenger, crew or infant"},
    [F_DOC_TYPE] = {"document.type", T_DOCTYPE, false, "a document type code"},
    [F_DOC_ISSUING_STATE] = {"document.issuing_state", T_COUNTRY, false, "a country code"},
    [F_DOC_EXPIRES_IN_DAYS] = {"document.expires_in_days", T_NUMBER, false, "a number of days"},
    [F_DOC_MISSING] = {"document.missing", T_BOOL, false, "true or false"},
    [F_HOURS_BEFORE] = {"booking.hours_before_departure", T_NUMBER, false, "a number of hours"},
    [F_ONE_WAY] = {"booking.one_way", T_BOOL, false, "true or false"},
    [F_COMPANIONS] = {"booking.companions", T_NUMBER, false, "a number of travellers"},
    [F_LEGS] = {"booking.legs", T_NUMBER, false, "a number of legs"},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

typedef enum op_id { OP_EQ, OP_NE, OP_IN, OP_NOT_IN, OP_LT, OP_LE, OP_GT, OP_GE, OP_BETWEEN, OP_EXISTS } op_id;

static const char *const op_names[] = {"eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "between", "exists"};
#define N_OPS (sizeof op_names / sizeof op_names[0])
#define OPS_ALL "eq, ne, in, not_in, lt, le, gt, ge, between, exists"

static bool op_applies(vtype t, op_id op)
{
    if (t == T_NUMBER) return true;
    if (t == T_BOOL) return op == OP_EQ || op == OP_NE || op == OP_EXISTS;
    return op == OP_EQ || op == OP_NE || op == OP_IN || op == OP_NOT_IN || op == OP_EXISTS;
}

static const char *ops_for(vtype t)
{
    if (t == T_NUMBER) return OPS_ALL;
    if (t == T_BOOL) return "eq, ne or exists";
    return "eq, ne, in, not_in or exists";
}

static const char *const severity_names[] = {"low", "medium", "high"};
static const char *const role_names[] = {"passenger", "crew", "infant"}; /* ctw_traveller_role order */

/* ---- the compiled rule ----------------------------------------------------------- */

typedef enum node_kind { N_ALL, N_ANY, N_NOT, N_LEAF } node_kind;

typedef struct node node;
struct node {
    node_kind kind;
    const char *path;      /* "when.all[2]", for explanations */
    node **kids;           /* ALL/ANY: n_kids; NOT: one */
    size_t n_kids;
    field_id field;
    op_id op;
    code_t code;           /* eq/ne on codes; roles are role + 1 */
    double lo, hi;         /* eq/ne/lt/le/gt/ge: lo; between: lo..hi */
    bool flag;             /* eq/ne on booleans; exists */
    const code_t *codes;   /* in/not_in on codes, sorted, unique */
    const double *nums;    /* in/not_in on numbers, sorted, unique */
    size_t n_list;
};

struct ctw_rule {
    ctw_arena arena;
    const char *name;
    const char *description;  /* NULL when not given */
    int severity;             /* index into severity_names */
    node *root;
};

/* ---- parsing ---------------------------------------------------------------------- */

typedef struct pctx {
    ctw_rule *r;
    ctw_error *err;
    char path[PATH_MAX_LEN];
    size_t path_len;
    size_t n_conditions;
} pctx;

/* Append to the path; returns the length to restore with pop(). */
static size_t push(pctx *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static size_t push(pctx *p, const char *fmt, ...)
{
    size_t old = p->path_len;
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(p->path + old, sizeof p->path - old, fmt, ap);
    va_end(ap);
    if (n > 0) p->path_len = old + (size_t)n < sizeof p->path ? old + (size_t)n : sizeof p->path - 1;
    return old;
}

static void pop(pctx *p, size_t old)
{
    p->path_len = old;
    p->path[old] = '\0';
}

static int fail(pctx *p, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(pctx *p, int code, const char *fmt, ...)
{
    char msg[sizeof p->err->message];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctw_error_set(p->err, code, p->path, "%s", msg);
}

static const char *type_name(const json_t *v)
{
    switch (json_typeof(v)) {
    case JSON_OBJECT: return "an object";
    case JSON_ARRAY: return "an array";
    case JSON_STRING: return "a string";
    case JSON_INTEGER:
    case JSON_REAL: return "a number";
    case JSON_TRUE:
    case JSON_FALSE: return "a boolean";
    default: return "null";
    }
}

/* Edit distance of two short strings (capped at 64 bytes each), for "did you mean". */
static size_t distance(const char *a, const char *b)
{
    size_t la = strnlen(a, 64), lb = strnlen(b, 64);
    size_t row[65];
    for (size_t j = 0; j <= lb; j++) row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[lb];
}

static const char *suggest_field(const char *s)
{
    const char *best = NULL;
    size_t best_d = 4;  /* more edits than this is not a typo */
    for (size_t i = 0; i < N_FIELDS; i++) {
        const char *dot = strchr(fields[i].name, '.');
        if (strcmp(dot + 1, s) == 0) return fields[i].name;  /* "age" → "traveller.age" */
        size_t d = distance(s, fields[i].name);
        if (d < best_d) best_d = d, best = fields[i].name;
    }
    return best;
}

/* Number of UTF-8 code points (jansson has checked the encoding). */
static size_t utf8_chars(const char *s, size_t n)
{
    size_t c = 0;
    for (size_t i = 0; i < n; i++)
        if (((unsigned char)s[i] & 0xC0) != 0x80) c++;
    return c;
}

static bool is_alnum_upper(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isupper((unsigned char)s[i]) && !isdigit((unsigned char)s[i])) return false;
    return true;
}

/* Upper-cased copy of s into out (cap bytes); false if it does not fit. */
static bool upper_copy(const char *s, size_t n, char *out, size_t cap)
{
    if (n >= cap) return false;
    for (size_t i = 0; i < n; i++) out[i] = (char)toupper((unsigned char)s[i]);
    out[n] = '\0';
    return true;
}

/* A flight designator made canonical: "ua 0989" → "UA989"; a bare number
 * ("324", "0324A") takes carrier. Airline designator of 2 characters, or 3
 * letters; 1-4 digits without leading zeros; an optional letter. */
static bool flight_norm(const char *s, const char *carrier, char out[16])
{
    char buf[16];
    size_t n = 0;
    if (!s) return false;
    for (const char *c = s; *c; c++) {
        if (*c == ' ') continue;
        if (n + 1 >= sizeof buf || !isalnum((unsigned char)*c)) return false;
        buf[n++] = (char)toupper((unsigned char)*c);
    }
    buf[n] = '\0';
    if (n == 0) return false;

    char des[9];
    size_t i = 0, d = 0;
    while (i < n && isdigit((unsigned char)buf[i])) i++;
    bool bare = i >= 1 && i <= 4 && (i == n || (i + 1 == n && isupper((unsigned char)buf[i])));
    if (bare) {
        code_t cc = pack(carrier);
        if (cc == CODE_NONE || cc == CODE_ODD) return false;
        unpack(cc, des);
        size_t dl = strlen(des);
        if (dl < 2 || dl > 3 || !is_alnum_upper(des, dl)) return false;
        i = 0;
    } else {
        size_t dl = n >= 4 && isupper((unsigned char)buf[0]) && isupper((unsigned char)buf[1]) &&
                            isupper((unsigned char)buf[2]) && isdigit((unsigned char)buf[3]) ? 3 : 2;
        if (n <= dl || (isdigit((unsigned char)buf[0]) && isdigit((unsigned char)buf[1]))) return false;
        memcpy(des, buf, dl);
        des[dl] = '\0';
        i = dl;
    }
    size_t start = i;
    while (i < n && isdigit((unsigned char)buf[i])) i++;
    d = i - start;
    if (d < 1 || d > 4) return false;
    if (i < n && !(i + 1 == n && isupper((unsigned char)buf[i]))) return false;
    while (start + 1 < i && buf[start] == '0') start++;
    snprintf(out, 16, "%s%.*s%s", des, (int)(i - start), buf + start, buf + i);
    return true;
}

/* One string value of a code field, checked and made canonical. */
static int parse_code(pctx *p, const struct field_def *f, const json_t *v, code_t *out)
{
    if (!json_is_string(v))
        return fail(p, CTW_EINVAL, "\"%s\" takes %s (a string); got %s", f->name, f->what, type_name(v));
    const char *s = json_string_value(v);
    size_t n = json_string_length(v);
    if (memchr(s, '\0', n)) return fail(p, CTW_EINVAL, "the value holds a NUL character");
    char up[16], canon[16];
    bool fits = upper_copy(s, n, up, sizeof up);
    switch (f->type) {
    case T_AIRPORT:
        if (fits && n == 3 && is_alnum_upper(up, 3)) {
            memcpy(canon, up, 4);
        } else if (fits && n == 4 && is_alnum_upper(up, 4)) {
            const ctw_airport *a = ctw_airport_lookup(up);
            if (!a) return fail(p, CTW_EINVAL, "unknown ICAO airport code \"%s\"", up);
            if (!a->iata)
                return fail(p, CTW_EINVAL, "airport \"%s\" has no IATA code, and passenger data names airports by IATA code", up);
            memcpy(canon, a->iata, 4);
        } else {
            return fail(p, CTW_EINVAL, "\"%.60s\" is not an airport code (IATA: 3 letters or digits; ICAO: 4)", s);
        }
        break;
    case T_COUNTRY: {
        /* ctw_country_lookup reads "IRQ; SYR" as its first part: a list is no country here */
        const char *a3 = n <= 100 && !strpbrk(s, ";/") ? ctw_country_lookup(s) : NULL;
        if (!a3) return fail(p, CTW_EINVAL, "unknown country \"%.60s\"; use an ISO 3166-1 alpha-3 code such as \"SYR\"", s);
        snprintf(canon, sizeof canon, "%s", a3);
        break;
    }
    case T_CARRIER:
        if (!fits || n < 2 || n > 3 || !is_alnum_upper(up, n))
            return fail(p, CTW_EINVAL, "\"%.60s\" is not an airline code (IATA: 2 characters; ICAO: 3 letters)", s);
        memcpy(canon, up, n + 1);
        break;
    case T_FLIGHT:
        if (!flight_norm(s, NULL, canon))
            return fail(p, CTW_EINVAL, "\"%.60s\" is not a flight number such as \"LH400\" (airline code, 1-4 digits, optional letter)", s);
        break;
    case T_SEX:
        if (!fits || n != 1 || !strchr("MFXU", up[0]))
            return fail(p, CTW_EINVAL, "\"%.60s\" is not a sex code; expected M, F, X or U", s);
        memcpy(canon, up, 2);
        break;
    case T_ROLE:
        for (size_t i = 0; i < sizeof role_names / sizeof role_names[0]; i++)
            if (strcasecmp(s, role_names[i]) == 0) {
                *out = (code_t)i + 1;
                return 0;
            }
        return fail(p, CTW_EINVAL, "unknown role \"%.60s\"; expected passenger, crew or infant", s);
    case T_DOCTYPE:
        if (!fits || n < 1 || n > 2 || !is_alnum_upper(up, n))
            return fail(p, CTW_EINVAL, "\"%.60s\" is not a document type code (1 or 2 letters: P, I, V, AC, ...)", s);
        memcpy(canon, up, n + 1);
        break;
    default:
        return fail(p, CTW_EINVAL, "internal: not a code field");
    }
    *out = pack(canon);
    return 0;
}

static int parse_number(pctx *p, const struct field_def *f, const char *opname, const json_t *v, double *out)
{
    if (!json_is_number(v))
        return fail(p, CTW_EINVAL, "operator \"%s\" on \"%s\" takes a number; got %s", opname, f->name, type_name(v));
    double x = json_number_value(v);
    if (!(x >= -MAX_NUMBER && x <= MAX_NUMBER))
        return fail(p, CTW_EINVAL, "number out of range (at most %g either side of 0)", MAX_NUMBER);
    *out = x;
    return 0;
}

/* One value of the field's type (eq/ne, or a list element). */
static int parse_scalar(pctx *p, const struct field_def *f, const char *opname, const json_t *v,
                        code_t *code, double *num, bool *flag)
{
    if (f->type == T_NUMBER) return parse_number(p, f, opname, v, num);
    if (f->type == T_BOOL) {
        if (!json_is_boolean(v))
            return fail(p, CTW_EINVAL, "\"%s\" takes true or false; got %s", f->name, type_name(v));
        *flag = json_is_true(v);
        return 0;
    }
    return parse_code(p, f, v, code);
}

static int parse_list(pctx *p, const struct field_def *f, const char *opname, const json_t *v, node *n)
{
    if (!json_is_array(v))
        return fail(p, CTW_EINVAL, "operator \"%s\" takes an array of %s; got %s", opname,
                    f->type == T_NUMBER ? "numbers" : "strings", type_name(v));
    size_t len = json_array_size(v);
    if (len == 0) return fail(p, CTW_EINVAL, "operator \"%s\" needs at least one value", opname);
    if (len > CTW_RULE_MAX_LIST)
        return fail(p, CTW_ELIMIT, "the list has %zu values; the limit is %d", len, CTW_RULE_MAX_LIST);
    code_t *codes = NULL;
    double *nums = NULL;
    if (f->type == T_NUMBER) nums = ctw_arena_alloc(&p->r->arena, len * sizeof *nums);
    else codes = ctw_arena_alloc(&p->r->arena, len * sizeof *codes);
    if (!codes && !nums) return fail(p, CTW_ENOMEM, "out of memory");
    for (size_t i = 0; i < len; i++) {
        size_t old = push(p, "[%zu]", i);
        bool flag;
        int rc = parse_scalar(p, f, opname, json_array_get(v, i), codes ? &codes[i] : NULL,
                              nums ? &nums[i] : NULL, &flag);
        if (rc) return rc;
        pop(p, old);
    }
    /* sorted and unique: bsearch at evaluation, one canonical form */
    size_t u = 0;
    if (codes) {
        qsort(codes, len, sizeof *codes, cmp_code);
        for (size_t i = 0; i < len; i++)
            if (i == 0 || codes[i] != codes[u - 1]) codes[u++] = codes[i];
    } else {
        qsort(nums, len, sizeof *nums, cmp_num);
        for (size_t i = 0; i < len; i++)
            if (i == 0 || nums[i] != nums[u - 1]) nums[u++] = nums[i];
    }
    n->codes = codes;
    n->nums = nums;
    n->n_list = u;
    return 0;
}

static int parse_value(pctx *p, const struct field_def *f, const json_t *v, node *n)
{
    const char *opname = op_names[n->op];
    switch (n->op) {
    case OP_EXISTS:
        if (!v) {
            n->flag = true;
            return 0;
        }
        if (!json_is_boolean(v)) return fail(p, CTW_EINVAL, "operator \"exists\" takes true or false; got %s", type_name(v));
        n->flag = json_is_true(v);
        return 0;
    case OP_EQ:
    case OP_NE:
        return parse_scalar(p, f, opname, v, &n->code, &n->lo, &n->flag);
    case OP_IN:
    case OP_NOT_IN:
        return parse_list(p, f, opname, v, n);
    case OP_LT:
    case OP_LE:
    case OP_GT:
    case OP_GE:
        return parse_number(p, f, opname, v, &n->lo);
    case OP_BETWEEN: {
        if (!json_is_array(v) || json_array_size(v) != 2)
            return fail(p, CTW_EINVAL, "operator \"between\" takes [low, high]; got %s%s", type_name(v),
                        json_is_array(v) ? " of another length" : "");
        size_t old = push(p, "[0]");
        int rc = parse_number(p, f, opname, json_array_get(v, 0), &n->lo);
        if (rc) return rc;
        pop(p, old);
        old = push(p, "[1]");
        rc = parse_number(p, f, opname, json_array_get(v, 1), &n->hi);
        if (rc) return rc;
        pop(p, old);
        if (n->lo > n->hi) return fail(p, CTW_EINVAL, "\"between\" needs low <= high; got [%g, %g]", n->lo, n->hi);
        return 0;
    }
    }
    return fail(p, CTW_EINVAL, "internal: unknown operator");
}

static int parse_leaf(pctx *p, const json_t *c, node *n)
{
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)c, key, v) {
        if (strcmp(key, "field") && strcmp(key, "op") && strcmp(key, "value")) {
            push(p, ".%.60s", key);
            return fail(p, CTW_EINVAL, "unknown key \"%.60s\"; a condition is {\"field\", \"op\", \"value\"} or one of all, any, not", key);
        }
    }
    const json_t *fv = json_object_get(c, "field"), *ov = json_object_get(c, "op");
    const json_t *vv = json_object_get(c, "value");
    if (!fv) return fail(p, CTW_EINVAL, "a condition needs a \"field\" (or is one of all, any, not)");
    size_t old = push(p, ".field");
    if (!json_is_string(fv)) return fail(p, CTW_EINVAL, "\"field\" must be a string; got %s", type_name(fv));
    const char *fs = json_string_value(fv);
    size_t fi = 0;
    while (fi < N_FIELDS && strcmp(fields[fi].name, fs) != 0) fi++;
    if (fi == N_FIELDS) {
        const char *s = suggest_field(fs);
        if (s) return fail(p, CTW_EINVAL, "unknown field \"%.60s\" (did you mean \"%s\"?)", fs, s);
        return fail(p, CTW_EINVAL, "unknown field \"%.60s\"; fields are route.*, flight.*, traveller.*, document.*, booking.* (see rules.h)", fs);
    }
    pop(p, old);
    const struct field_def *f = &fields[fi];
    n->field = (field_id)fi;

    if (!ov) return fail(p, CTW_EINVAL, "the condition on \"%s\" needs an \"op\"", f->name);
    old = push(p, ".op");
    if (!json_is_string(ov)) return fail(p, CTW_EINVAL, "\"op\" must be a string; got %s", type_name(ov));
    const char *os = json_string_value(ov);
    size_t oi = 0;
    while (oi < N_OPS && strcmp(op_names[oi], os) != 0) oi++;
    if (oi == N_OPS) return fail(p, CTW_EINVAL, "unknown operator \"%.60s\"; expected one of " OPS_ALL, os);
    n->op = (op_id)oi;
    if (!op_applies(f->type, n->op))
        return fail(p, CTW_EINVAL, "operator \"%s\" does not apply to \"%s\" (%s); use %s", os, f->name, f->what,
                    ops_for(f->type));
    pop(p, old);

    if (!vv && n->op != OP_EXISTS) return fail(p, CTW_EINVAL, "operator \"%s\" needs a \"value\"", os);
    old = push(p, ".value");
    int rc = parse_value(p, f, vv, n);
    if (rc) return rc;
    pop(p, old);
    return 0;
}

static int parse_cond(pctx *p, const json_t *c, int depth, node **out)
{
    if (++p->n_conditions > CTW_RULE_MAX_CONDITIONS)
        return fail(p, CTW_ELIMIT, "more than %d conditions", CTW_RULE_MAX_CONDITIONS);
    if (depth > CTW_RULE_MAX_DEPTH)
        return fail(p, CTW_ELIMIT, "conditions nested deeper than %d levels", CTW_RULE_MAX_DEPTH);
    if (!json_is_object(c))
        return fail(p, CTW_EINVAL, "a condition must be an object ({\"field\", \"op\", \"value\"}, {\"all\": [...]}, {\"any\": [...]} or {\"not\": {...}}); got %s",
                    type_name(c));
    node *n = ctw_arena_alloc(&p->r->arena, sizeof *n);
    if (!n) return fail(p, CTW_ENOMEM, "out of memory");
    memset(n, 0, sizeof *n);
    n->path = ctw_arena_strdup(&p->r->arena, p->path);
    if (!n->path) return fail(p, CTW_ENOMEM, "out of memory");

    static const char *const groups[] = {"all", "any", "not"};
    const char *group = NULL;
    for (size_t i = 0; i < 3 && !group; i++)
        if (json_object_get(c, groups[i])) group = groups[i];
    if (!group) {
        n->kind = N_LEAF;
        int rc = parse_leaf(p, c, n);
        if (rc) return rc;
        *out = n;
        return 0;
    }
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)c, key, v) {
        if (strcmp(key, group) != 0) {
            push(p, ".%.60s", key);
            return fail(p, CTW_EINVAL, "\"%.60s\" cannot stand beside \"%s\": a condition is a test or one of all, any, not",
                        key, group);
        }
    }
    const json_t *g = json_object_get(c, group);
    size_t old = push(p, ".%s", group);
    if (group[0] == 'n') {
        n->kind = N_NOT;
        n->kids = ctw_arena_alloc(&p->r->arena, sizeof *n->kids);
        if (!n->kids) return fail(p, CTW_ENOMEM, "out of memory");
        n->n_kids = 1;
        int rc = parse_cond(p, g, depth + 1, &n->kids[0]);
        if (rc) return rc;
    } else {
        n->kind = group[1] == 'l' ? N_ALL : N_ANY;
        if (!json_is_array(g)) return fail(p, CTW_EINVAL, "\"%s\" takes an array of conditions; got %s", group, type_name(g));
        size_t len = json_array_size(g);
        if (len == 0) return fail(p, CTW_EINVAL, "\"%s\" needs at least one condition", group);
        if (len > CTW_RULE_MAX_CONDITIONS)
            return fail(p, CTW_ELIMIT, "more than %d conditions", CTW_RULE_MAX_CONDITIONS);
        n->kids = ctw_arena_alloc(&p->r->arena, len * sizeof *n->kids);
        if (!n->kids) return fail(p, CTW_ENOMEM, "out of memory");
        n->n_kids = len;
        for (size_t i = 0; i < len; i++) {
            size_t o2 = push(p, "[%zu]", i);
            int rc = parse_cond(p, json_array_get(g, i), depth + 1, &n->kids[i]);
            if (rc) return rc;
            pop(p, o2);
        }
    }
    pop(p, old);
    *out = n;
    return 0;
}

/* A text member: string, no NUL, no control characters, 1..max characters. */
static int parse_text_member(pctx *p, const json_t *v, const char *key, size_t max, const char **out)
{
    size_t old = push(p, "%s", key);
    if (!json_is_string(v)) return fail(p, CTW_EINVAL, "\"%s\" must be a string; got %s", key, type_name(v));
    const char *s = json_string_value(v);
    size_t n = json_string_length(v), chars = utf8_chars(s, n);
    bool blank = true;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && !((c == '\n' || c == '\t') && strcmp(key, "description") == 0))
            return fail(p, CTW_EINVAL, "\"%s\" holds a control character", key);
        if (c != ' ') blank = false;
    }
    if (blank) return fail(p, CTW_EINVAL, "\"%s\" must not be empty", key);
    if (chars > max) return fail(p, CTW_EINVAL, "\"%s\" has %zu characters; at most %zu", key, chars, max);
    *out = ctw_arena_strndup(&p->r->arena, s, n);
    if (!*out) return fail(p, CTW_ENOMEM, "out of memory");
    pop(p, old);
    return 0;
}

static int parse_rule(const json_t *def, ctw_rule **out, ctw_error *err)
{
    pctx p = {.err = err};
    if (!json_is_object(def)) return ctw_error_set(err, CTW_EINVAL, "", "a rule must be a JSON object; got %s", type_name(def));
    const char *key;
    json_t *v;
    json_object_foreach((json_t *)def, key, v) {
        if (strcmp(key, "name") && strcmp(key, "description") && strcmp(key, "severity") && strcmp(key, "when"))
            return ctw_error_set(err, CTW_EINVAL, key, "unknown key \"%.60s\"; a rule has name, description, severity and when", key);
    }
    ctw_rule *r = calloc(1, sizeof *r);
    if (!r) return ctw_error_set(err, CTW_ENOMEM, "", "out of memory");
    ctw_arena_init(&r->arena);
    p.r = r;
    r->severity = 1;
    int rc;

    const json_t *name = json_object_get(def, "name");
    if (!name) {
        rc = ctw_error_set(err, CTW_EINVAL, "name", "a rule needs a \"name\"");
        goto out_free;
    }
    if ((rc = parse_text_member(&p, name, "name", CTW_RULE_MAX_NAME, &r->name))) goto out_free;
    const json_t *desc = json_object_get(def, "description");
    if (desc && !json_is_null(desc) &&
        (rc = parse_text_member(&p, desc, "description", CTW_RULE_MAX_DESCRIPTION, &r->description)))
        goto out_free;
    const json_t *sev = json_object_get(def, "severity");
    if (sev && !json_is_null(sev)) {
        const char *s = json_string_value(sev);
        size_t i = 0;
        while (s && i < 3 && strcasecmp(s, severity_names[i]) != 0) i++;
        if (!s || i == 3) {
            rc = s ? ctw_error_set(err, CTW_EINVAL, "severity", "unknown severity \"%.60s\"; expected low, medium or high", s)
                   : ctw_error_set(err, CTW_EINVAL, "severity", "\"severity\" must be a string (low, medium or high); got %s", type_name(sev));
            goto out_free;
        }
        r->severity = (int)i;
    }
    const json_t *when = json_object_get(def, "when");
    if (!when) {
        rc = ctw_error_set(err, CTW_EINVAL, "when", "a rule needs a \"when\" condition");
        goto out_free;
    }
    push(&p, "when");
    if ((rc = parse_cond(&p, when, 1, &r->root))) goto out_free;
    *out = r;
    return 0;

out_free:
    ctw_rule_free(r);
    return rc;
}

static int count_bytes(const char *buffer, size_t size, void *data)
{
    size_t *total = data;
    (void)buffer;
    *total += size;
    return *total > CTW_RULE_MAX_BYTES ? -1 : 0;
}

int ctw_rule_parse(const json_t *def, ctw_rule **out, ctw_error *err)
{
    if (!def || !out) return ctw_error_set(err, CTW_EINVAL, "", "no rule given");
    /* the same cap as for text: the compact form counts, and the count
     * stops the dump as soon as it is over */
    size_t size = 0;
    int dumped = json_dump_callback(def, count_bytes, &size, JSON_COMPACT | JSON_ENCODE_ANY);
    if (size > CTW_RULE_MAX_BYTES)
        return ctw_error_set(err, CTW_ELIMIT, "", "the rule is over %u bytes of JSON", CTW_RULE_MAX_BYTES);
    if (dumped != 0) return ctw_error_set(err, CTW_EINVAL, "", "the rule cannot be written as JSON (a string that is not UTF-8?)");
    return parse_rule(def, out, err);
}

int ctw_rule_parse_text(const char *text, size_t len, ctw_rule **out, ctw_error *err)
{
    if (!text || !out) return ctw_error_set(err, CTW_EINVAL, "", "no rule given");
    if (len > CTW_RULE_MAX_BYTES)
        return ctw_error_set(err, CTW_ELIMIT, "", "the rule is %zu bytes; the limit is %u", len, CTW_RULE_MAX_BYTES);
    json_error_t jerr;
    json_t *def = json_loadb(text, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!def) {
        char where[64];
        snprintf(where, sizeof where, "line %d, column %d", jerr.line, jerr.column);
        return ctw_error_set(err, CTW_EPARSE, where, "not JSON: %s", jerr.text);
    }
    int rc = parse_rule(def, out, err);
    json_decref(def);
    return rc;
}

void ctw_rule_free(ctw_rule *r)
{
    if (!r) return;
    ctw_arena_free(&r->arena);
    free(r);
}

const char *ctw_rule_name(const ctw_rule *r)
{
    return r ? r->name : NULL;
}

const char *ctw_rule_severity(const ctw_rule *r)
{
    return r ? severity_names[r->severity] : NULL;
}

/* ---- canonical JSON ----------------------------------------------------------------- */

/* o with member k set to v (v's reference taken, whatever happens); NULL,
 * with o and v released, if o is NULL or memory runs out. Chains, so one
 * check at the end covers a whole object. */
static json_t *with(json_t *o, const char *k, json_t *v)
{
    if (!o || json_object_set_new(o, k, v)) {
        if (!o) json_decref(v);
        json_decref(o);
        return NULL;
    }
    return o;
}

/* a with v appended (v's reference taken); NULL, with a released, on failure. */
static json_t *push_item(json_t *a, json_t *v)
{
    if (!a || json_array_append_new(a, v)) {
        if (!a) json_decref(v);
        json_decref(a);
        return NULL;
    }
    return a;
}

static json_t *number_json(double x)
{
    if (x == floor(x) && fabs(x) < 9007199254740992.0) return json_integer((json_int_t)x);
    return json_real(x);
}

static json_t *code_json(vtype t, code_t c)
{
    char s[9];
    if (t == T_ROLE) return c >= 1 && c <= 3 ? json_string(role_names[c - 1]) : json_null();
    unpack(c, s);
    return json_string(s);
}

/* The canonical "value" of a leaf, rebuilt from its compiled form. */
static json_t *value_json(const node *n)
{
    vtype t = fields[n->field].type;
    switch (n->op) {
    case OP_EXISTS:
        return json_boolean(n->flag);
    case OP_EQ:
    case OP_NE:
        if (t == T_NUMBER) return number_json(n->lo);
        if (t == T_BOOL) return json_boolean(n->flag);
        return code_json(t, n->code);
    case OP_IN:
    case OP_NOT_IN: {
        json_t *a = json_array();
        for (size_t i = 0; a && i < n->n_list; i++)
            a = push_item(a, n->nums ? number_json(n->nums[i]) : code_json(t, n->codes[i]));
        return a;
    }
    case OP_BETWEEN:
        return push_item(push_item(json_array(), number_json(n->lo)), number_json(n->hi));
    default:
        return number_json(n->lo);
    }
}

static json_t *cond_json(const node *n)
{
    if (n->kind == N_LEAF) {
        json_t *o = with(json_object(), "field", json_string(fields[n->field].name));
        o = with(o, "op", json_string(op_names[n->op]));
        return with(o, "value", value_json(n));
    }
    if (n->kind == N_NOT) return with(json_object(), "not", cond_json(n->kids[0]));
    json_t *a = json_array();
    for (size_t i = 0; a && i < n->n_kids; i++) a = push_item(a, cond_json(n->kids[i]));
    return with(json_object(), n->kind == N_ALL ? "all" : "any", a);
}

json_t *ctw_rule_definition(const ctw_rule *r)
{
    if (!r) return NULL;
    json_t *d = with(json_object(), "name", json_string(r->name));
    if (r->description) d = with(d, "description", json_string(r->description));
    d = with(d, "severity", json_string(severity_names[r->severity]));
    return with(d, "when", cond_json(r->root));
}

/* ---- the traveller's facts ------------------------------------------------------------ */

typedef struct stamp {
    int y, mo, d;
    long long min;  /* minutes since 1970-01-01T00:00 of the same (local) clock */
} stamp;

typedef struct fval {
    enum { FV_NONE, FV_CODE, FV_NUM, FV_BOOL, FV_LIST } kind;
    code_t code;
    double num;
    bool flag;
    const code_t *list;
    size_t n;
    const char *raw;      /* the manifest's string behind a code (CODE_ODD shows it) */
    const char *unknown;  /* FV_NONE: why the data does not say */
} fval;

enum { HAVE_FLIGHT = 1, HAVE_DEP = 2, HAVE_ROUTE = 4, HAVE_COUNTRIES = 8, HAVE_COMPANIONS = 16 };

typedef struct facts {
    const ctw_manifest *m;
    const ctw_traveller *t;
    size_t ti;
    const ctw_booking *b;     /* the traveller's booking, or NULL */
    unsigned have;            /* HAVE_* computed so far */
    const ctw_leg *flight;
    bool dep_ok;
    stamp dep;
    code_t *airports, *countries;
    size_t n_airports, n_countries;
    code_t *heap;             /* airports and countries of a long itinerary */
    long companions;
    code_t small[2 * SMALL_ROUTE];
} facts;

/* Days from 1970-01-01 to a proleptic Gregorian date (H. Hinnant's algorithm). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (long long)doe - 719468;
}

static bool digits(const char *s, size_t n, int *out)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!isdigit((unsigned char)s[i])) return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* "YYYY-MM-DD", optionally followed by "THH:MM" or " HH:MM" (seconds and
 * zones after that are ignored). */
static bool parse_stamp(const char *s, stamp *st)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y, mo, d, h = 0, mi = 0;
    if (!s || strnlen(s, 10) < 10 || !digits(s, 4, &y) || s[4] != '-' || !digits(s + 5, 2, &mo) || s[7] != '-' ||
        !digits(s + 8, 2, &d))
        return false;
    if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1]) return false;
    if (mo == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))) return false;
    if ((s[10] == 'T' || s[10] == ' ') && strnlen(s + 11, 5) == 5 && digits(s + 11, 2, &h) && s[13] == ':' &&
        digits(s + 14, 2, &mi)) {
        if (h > 23 || mi > 59) return false;
    } else {
        h = mi = 0;
    }
    st->y = y, st->mo = mo, st->d = d;
    st->min = days_from_civil(y, mo, d) * 1440 + h * 60 + mi;
    return true;
}

static bool same_airport(const char *a, const char *b)
{
    code_t x = pack(a);
    return x != CODE_NONE && x != CODE_ODD && x == pack(b);
}

static bool has_text(const char *s)
{
    return s && pack(s) != CODE_NONE;
}

/* The leg the traveller boards: from their embark airport, else the first. */
static const ctw_leg *board_leg(const ctw_leg *legs, size_t n, const char *embark)
{
    if (!legs || n == 0) return NULL;
    for (size_t i = 0; embark && i < n; i++)
        if (same_airport(legs[i].origin, embark)) return &legs[i];
    return &legs[0];
}

static const ctw_leg *flight_leg(facts *f)
{
    if (!(f->have & HAVE_FLIGHT)) {
        f->flight = board_leg(f->m->legs, f->m->n_legs, f->t->embark);
        if (!f->flight && f->b) f->flight = board_leg(f->b->legs, f->b->n_legs, f->t->embark);
        f->have |= HAVE_FLIGHT;
    }
    return f->flight;
}

static bool departure(facts *f)
{
    if (!(f->have & HAVE_DEP)) {
        const ctw_leg *l = flight_leg(f);
        f->dep_ok = l && parse_stamp(l->departure, &f->dep);
        f->have |= HAVE_DEP;
    }
    return f->dep_ok;
}

static const ctw_leg *booking_legs(const facts *f, size_t *n)
{
    if (f->b && f->b->legs && f->b->n_legs) {
        *n = f->b->n_legs;
        return f->b->legs;
    }
    *n = 0;
    return NULL;
}

static const char *route_origin(facts *f)
{
    size_t n;
    const ctw_leg *bl = booking_legs(f, &n);
    if (has_text(f->t->embark)) return f->t->embark;
    if (f->m->legs && f->m->n_legs) return f->m->legs[0].origin;
    return bl ? bl[0].origin : NULL;
}

static const char *route_destination(facts *f)
{
    size_t n;
    const ctw_leg *bl = booking_legs(f, &n);
    if (has_text(f->t->debark)) return f->t->debark;
    if (f->m->legs && f->m->n_legs) return f->m->legs[f->m->n_legs - 1].destination;
    return bl ? bl[n - 1].destination : NULL;
}

static size_t sort_unique(code_t *c, size_t n)
{
    size_t u = 0;
    if (n <= SMALL_ROUTE) {
        /* an insertion sort: glibc's qsort may malloc, and these lists are short */
        for (size_t i = 1; i < n; i++) {
            code_t x = c[i];
            size_t j = i;
            for (; j > 0 && c[j - 1] > x; j--) c[j] = c[j - 1];
            c[j] = x;
        }
    } else {
        qsort(c, n, sizeof *c, cmp_code);
    }
    for (size_t i = 0; i < n; i++)
        if (i == 0 || c[i] != c[u - 1]) c[u++] = c[i];
    return u;
}

static void add_code(code_t *list, size_t *n, const char *s)
{
    code_t c = pack(s);
    if (c != CODE_NONE && c != CODE_ODD) list[(*n)++] = c;
}

/* route.airports: the booked itinerary (else the manifest's legs), embark
 * and debark; route.countries alongside, sized the same. Sorted, unique. */
static int route(facts *f)
{
    if (f->have & HAVE_ROUTE) return 0;
    size_t n;
    const ctw_leg *legs = booking_legs(f, &n);
    if (!legs) {
        legs = f->m->legs;
        n = legs ? f->m->n_legs : 0;
    }
    if (n > (SIZE_MAX / sizeof(code_t) - 2) / 4) return CTW_ENOMEM;
    size_t cap = 2 * n + 2;
    if (cap > SMALL_ROUTE) {
        f->heap = malloc(2 * cap * sizeof *f->heap);
        if (!f->heap) return CTW_ENOMEM;
        f->airports = f->heap;
        f->countries = f->heap + cap;
    } else {
        f->airports = f->small;
        f->countries = f->small + SMALL_ROUTE;
    }
    f->n_airports = 0;
    for (size_t i = 0; i < n; i++) {
        add_code(f->airports, &f->n_airports, legs[i].origin);
        add_code(f->airports, &f->n_airports, legs[i].destination);
    }
    add_code(f->airports, &f->n_airports, f->t->embark);
    add_code(f->airports, &f->n_airports, f->t->debark);
    f->n_airports = sort_unique(f->airports, f->n_airports);
    f->have |= HAVE_ROUTE;
    return 0;
}

static int route_countries(facts *f)
{
    if (f->have & HAVE_COUNTRIES) return 0;
    int rc = route(f);
    if (rc) return rc;
    f->n_countries = 0;
    for (size_t i = 0; i < f->n_airports; i++) {
        char code[9];
        unpack(f->airports[i], code);
        add_code(f->countries, &f->n_countries, ctw_airport_country(code));
    }
    f->n_countries = sort_unique(f->countries, f->n_countries);
    f->have |= HAVE_COUNTRIES;
    return 0;
}

static void set_unknown(fval *v, const char *why)
{
    v->kind = FV_NONE;
    v->unknown = why;
}

static void set_code(fval *v, const char *s, const char *why)
{
    code_t c = pack(s);
    if (c == CODE_NONE) return set_unknown(v, why);
    v->kind = FV_CODE;
    v->code = c;
    v->raw = s;
}

/* Countries as sent are alpha-3, but German documents say "D" (ICAO 9303). */
static void set_country(fval *v, const char *s, const char *why)
{
    set_code(v, s, why);
    if (v->kind == FV_CODE && (v->code == pack("D") || v->code == pack("D<<"))) v->code = pack("DEU");
}

static void set_num(fval *v, double x)
{
    v->kind = FV_NUM;
    v->num = x;
}

static void set_bool(fval *v, bool b)
{
    v->kind = FV_BOOL;
    v->flag = b;
}

static void set_list(fval *v, const code_t *list, size_t n, const char *why)
{
    if (n == 0) return set_unknown(v, why);
    v->kind = FV_LIST;
    v->list = list;
    v->n = n;
}

static const ctw_travel_doc *first_doc(const facts *f)
{
    return f->t->documents && f->t->n_documents ? &f->t->documents[0] : NULL;
}

static void airport_country(fval *v, const char *airport, const char *none)
{
    if (!has_text(airport)) return set_unknown(v, none);
    const char *c = ctw_airport_country(airport);
    if (!c) return set_unknown(v, "the airport is not in the airport table");
    set_code(v, c, none);
}

/* booking.one_way: a single leg is one way; otherwise the trip comes back
 * when the last leg lands in the country the first one left (the same
 * airport when a country is not known). */
static void one_way(facts *f, fval *v)
{
    size_t n;
    const ctw_leg *legs = booking_legs(f, &n);
    if (!legs) return set_unknown(v, "no booked itinerary");
    if (n == 1) return set_bool(v, true);
    const char *from = legs[0].origin, *to = legs[n - 1].destination;
    if (!has_text(from) || !has_text(to)) return set_unknown(v, "the itinerary lacks an airport");
    const char *cf = ctw_airport_country(from), *ct = ctw_airport_country(to);
    if (cf && ct) return set_bool(v, strcmp(cf, ct) != 0);
    if (same_airport(from, to)) return set_bool(v, false);
    set_unknown(v, "an airport of the itinerary is not in the airport table");
}

static int fact(facts *f, field_id id, fval *v)
{
    const ctw_traveller *t = f->t;
    const ctw_travel_doc *d;
    const ctw_leg *l;
    stamp st;
    int rc;
    memset(v, 0, sizeof *v);
    switch (id) {
    case F_ORIGIN:
        set_code(v, route_origin(f), "no origin airport");
        break;
    case F_DESTINATION:
        set_code(v, route_destination(f), "no destination airport");
        break;
    case F_AIRPORTS:
        if ((rc = route(f))) return rc;
        set_list(v, f->airports, f->n_airports, "no airports");
        break;
    case F_ORIGIN_COUNTRY:
        airport_country(v, route_origin(f), "no origin airport");
        break;
    case F_DESTINATION_COUNTRY:
        airport_country(v, route_destination(f), "no destination airport");
        break;
    case F_COUNTRIES:
        if ((rc = route_countries(f))) return rc;
        set_list(v, f->countries, f->n_countries, "no airport of the route is in the airport table");
        break;
    case F_CARRIER:
        l = flight_leg(f);
        set_code(v, l ? l->carrier : NULL, "no carrier");
        break;
    case F_FLIGHT_NUMBER: {
        char canon[16];
        l = flight_leg(f);
        if (!l || !has_text(l->flight)) {
            set_unknown(v, "no flight number");
        } else if (flight_norm(l->flight, l->carrier, canon)) {
            set_code(v, canon, "no flight number");
            v->raw = l->flight;
        } else {
            v->kind = FV_CODE;
            v->code = CODE_ODD;
            v->raw = l->flight;
        }
        break;
    }
    case F_AGE:
        if (!t->birth_date) set_unknown(v, "birth date unknown");
        else if (!parse_stamp(t->birth_date, &st)) set_unknown(v, "birth date is not a full date");
        else if (!departure(f)) set_unknown(v, "departure date unknown");
        else set_num(v, f->dep.y - st.y - (f->dep.mo < st.mo || (f->dep.mo == st.mo && f->dep.d < st.d)));
        break;
    case F_SEX:
        if (!t->sex) {
            set_unknown(v, "sex not given");
        } else {
            char s[2] = {t->sex, '\0'};
            set_code(v, s, "sex not given");
            v->raw = NULL;
        }
        break;
    case F_NATIONALITY:
        set_country(v, t->nationality, "nationality unknown");
        break;
    case F_RESIDENCE:
        set_country(v, t->residence, "residence unknown");
        break;
    case F_ROLE:
        v->kind = FV_CODE;
        v->code = (unsigned)t->role <= CTW_TRAVELLER_INFANT ? (code_t)t->role + 1 : CODE_ODD;
        break;
    case F_DOC_TYPE:
        d = first_doc(f);
        if (!d) set_unknown(v, "no document");
        else set_code(v, d->type, "document type unknown");
        break;
    case F_DOC_ISSUING_STATE:
        d = first_doc(f);
        if (!d) set_unknown(v, "no document");
        else set_country(v, d->issuing_state, "issuing state unknown");
        break;
    case F_DOC_EXPIRES_IN_DAYS:
        d = first_doc(f);
        if (!d) set_unknown(v, "no document");
        else if (!parse_stamp(d->expiry, &st)) set_unknown(v, "document expiry date unknown");
        else if (!departure(f)) set_unknown(v, "departure date unknown");
        else set_num(v, (double)(days_from_civil(st.y, st.mo, st.d) - days_from_civil(f->dep.y, f->dep.mo, f->dep.d)));
        break;
    case F_DOC_MISSING:
        set_bool(v, first_doc(f) == NULL);
        break;
    case F_HOURS_BEFORE: {
        size_t n;
        const ctw_leg *legs = booking_legs(f, &n);
        stamp dep;
        if (!f->b) set_unknown(v, "no booking");
        else if (!parse_stamp(f->b->created, &st)) set_unknown(v, "booking date unknown");
        else if (legs && parse_stamp(legs[0].departure, &dep)) set_num(v, (double)(dep.min - st.min) / 60.0);
        else if (departure(f)) set_num(v, (double)(f->dep.min - st.min) / 60.0);
        else set_unknown(v, "departure date unknown");
        break;
    }
    case F_ONE_WAY:
        one_way(f, v);
        break;
    case F_COMPANIONS:
        if (!f->b) {
            set_unknown(v, "no booking");
            break;
        }
        if (!(f->have & HAVE_COMPANIONS)) {
            f->companions = 0;
            for (size_t i = 0; i < f->m->n_travellers; i++)
                if (i != f->ti && f->m->travellers[i].booking == t->booking) f->companions++;
            f->have |= HAVE_COMPANIONS;
        }
        set_num(v, (double)f->companions);
        break;
    case F_LEGS:
        if (!f->b) set_unknown(v, "no booking");
        else set_num(v, (double)f->b->n_legs);
        break;
    }
    return 0;
}

/* ---- evaluation ----------------------------------------------------------------------------- */

static bool in_codes(const node *n, code_t c)
{
    return bsearch(&c, n->codes, n->n_list, sizeof *n->codes, cmp_code) != NULL;
}

static bool test_leaf(const node *n, const fval *v)
{
    if (n->op == OP_EXISTS) return (v->kind != FV_NONE) == n->flag;
    switch (v->kind) {
    case FV_NONE:
        return false;
    case FV_CODE:
        switch (n->op) {
        case OP_EQ: return v->code == n->code;
        case OP_NE: return v->code != n->code;
        case OP_IN: return in_codes(n, v->code);
        case OP_NOT_IN: return !in_codes(n, v->code);
        default: return false;
        }
    case FV_LIST: {
        bool any = false;
        for (size_t i = 0; i < v->n && !any; i++)
            any = n->op == OP_EQ || n->op == OP_NE ? v->list[i] == n->code : in_codes(n, v->list[i]);
        return n->op == OP_EQ || n->op == OP_IN ? any : !any;
    }
    case FV_NUM: {
        double x = v->num;
        switch (n->op) {
        case OP_EQ: return x == n->lo;
        case OP_NE: return x != n->lo;
        case OP_LT: return x < n->lo;
        case OP_LE: return x <= n->lo;
        case OP_GT: return x > n->lo;
        case OP_GE: return x >= n->lo;
        case OP_BETWEEN: return x >= n->lo && x <= n->hi;
        case OP_IN: return bsearch(&x, n->nums, n->n_list, sizeof *n->nums, cmp_num) != NULL;
        case OP_NOT_IN: return bsearch(&x, n->nums, n->n_list, sizeof *n->nums, cmp_num) == NULL;
        default: return false;
        }
    }
    case FV_BOOL:
        return n->op == OP_EQ ? v->flag == n->flag : v->flag != n->flag;
    }
    return false;
}

static int eval_node(const node *n, facts *f, bool *res)
{
    int rc;
    switch (n->kind) {
    case N_LEAF: {
        fval v;
        if ((rc = fact(f, n->field, &v))) return rc;
        *res = test_leaf(n, &v);
        return 0;
    }
    case N_NOT:
        if ((rc = eval_node(n->kids[0], f, res))) return rc;
        *res = !*res;
        return 0;
    case N_ALL:
    case N_ANY:
        for (size_t i = 0; i < n->n_kids; i++) {
            if ((rc = eval_node(n->kids[i], f, res))) return rc;
            if (*res == (n->kind == N_ANY)) return 0;  /* decided */
        }
        *res = n->kind == N_ALL;
        return 0;
    }
    return CTW_EINVAL;
}

static json_t *actual_json(const node *n, const fval *v)
{
    vtype t = fields[n->field].type;
    switch (v->kind) {
    case FV_NONE:
        return json_null();
    case FV_CODE: {
        if (v->code != CODE_ODD) return code_json(t, v->code);
        json_t *s = v->raw ? json_stringn(v->raw, strnlen(v->raw, 64)) : NULL;
        return s ? s : json_string("(not a code)");  /* not UTF-8, or cut inside a character */
    }
    case FV_NUM:
        return number_json(v->num);
    case FV_BOOL:
        return json_boolean(v->flag);
    case FV_LIST: {
        json_t *a = json_array();
        for (size_t i = 0; a && i < v->n; i++) a = push_item(a, code_json(t, v->list[i]));
        return a;
    }
    }
    return NULL;
}

static int explain_leaf(const node *n, facts *f, bool negated, json_t *out)
{
    fval v;
    int rc = fact(f, n->field, &v);
    if (rc) return rc;
    json_t *e = with(json_object(), "path", json_string(n->path));
    e = with(e, "field", json_string(fields[n->field].name));
    e = with(e, "op", json_string(op_names[n->op]));
    e = with(e, "value", value_json(n));
    e = with(e, "actual", actual_json(n, &v));
    if (v.kind == FV_NONE) e = with(e, "unknown", json_string(v.unknown));
    if (negated) e = with(e, "negated", json_true());
    return e && json_array_append_new(out, e) == 0 ? 0 : CTW_ENOMEM;
}

/* Append the conditions that made the (true) node n true. */
static int explain(const node *n, facts *f, json_t *out)
{
    int rc;
    bool res;
    switch (n->kind) {
    case N_LEAF:
        return explain_leaf(n, f, false, out);
    case N_NOT: {
        const node *k = n->kids[0];
        if (k->kind == N_LEAF) return explain_leaf(k, f, true, out);
        json_t *e = with(json_object(), "path", json_string(k->path));
        e = with(e, "negated", json_true());
        e = with(e, "condition", cond_json(k));
        return e && json_array_append_new(out, e) == 0 ? 0 : CTW_ENOMEM;
    }
    case N_ALL:
    case N_ANY:
        for (size_t i = 0; i < n->n_kids; i++) {
            if ((rc = eval_node(n->kids[i], f, &res))) return rc;
            if (res && (rc = explain(n->kids[i], f, out))) return rc;
        }
        return 0;
    }
    return CTW_EINVAL;
}

int ctw_rule_eval(const ctw_rule *r, const ctw_manifest *m, size_t t, json_t **matched)
{
    if (!r || !m || !m->travellers || t >= m->n_travellers) return CTW_EINVAL;
    facts f;
    f.m = m;
    f.t = &m->travellers[t];
    f.ti = t;
    f.b = f.t->booking >= 0 && (size_t)f.t->booking < m->n_bookings && m->bookings ? &m->bookings[f.t->booking] : NULL;
    f.have = 0;
    f.heap = NULL;

    bool fired = false;
    int rc = eval_node(r->root, &f, &fired);
    if (rc == 0 && matched) {
        json_t *a = NULL;
        if (fired) {
            a = json_array();
            rc = a ? explain(r->root, &f, a) : CTW_ENOMEM;
            if (rc) json_decref(a);
        }
        if (rc == 0) *matched = a;
    }
    free(f.heap);
    return rc < 0 ? rc : fired;
}
