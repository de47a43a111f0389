/* similarity.c — string similarity on code points: Jaro, Jaro-Winkler,
 * Levenshtein, Damerau-Levenshtein (unrestricted), Hamming.
 *
 * The definitions follow jellyfish (MIT), whose test vectors in
 * tests/data/text/ pin every edge case: empty strings score 0, the Jaro
 * window is max(len)/2 - 1, transpositions are halved with integer
 * division, the Winkler prefix stops at 4 and applies only above 0.7.
 *
 * Jaro-Winkler runs in the inner loop of screening (every query token
 * against every candidate token), so short strings stay on the stack and
 * pure ASCII skips UTF-8 decoding.
 */
#include <stdlib.h>
#include <string.h>

#include "ctwatch/text.h"
#include "text/text_int.h"

#define EDIT_MAX_CPS 1024   /* the header's limit for edit distances */

uint32_t ctw__text_next_cp(const unsigned char *s, size_t len, size_t *i)
{
    size_t k = *i;
    unsigned char b = s[k];
    if (b < 0x80) { *i = k + 1; return b; }
    size_t need;
    uint32_t cp, min;
    if (b >= 0xC2 && b <= 0xDF) { need = 1; cp = b & 0x1F; min = 0x80; }
    else if (b >= 0xE0 && b <= 0xEF) { need = 2; cp = b & 0x0F; min = 0x800; }
    else if (b >= 0xF0 && b <= 0xF4) { need = 3; cp = b & 0x07; min = 0x10000; }
    else goto bad;
    if (len - k - 1 < need) goto bad;
    for (size_t j = 1; j <= need; j++) {
        unsigned char c = s[k + j];
        if ((c & 0xC0) != 0x80) goto bad;
        cp = (cp << 6) | (c & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not UTF-8. */
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) goto bad;
    *i = k + need + 1;
    return cp;
bad:
    *i = k + 1;
    return 0xDC00u + b;
}

int ctw__text_cps_decode(const char *s, size_t limit, ctw__text_cps *cps, int *truncated)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t len = strlen(s);
    cps->v = cps->buf;
    cps->n = 0;
    if (truncated) *truncated = 0;
    /* A code point takes at least one byte, so len bounds the count. */
    size_t need = len < limit ? len : limit;
    if (need > CTW__TEXT_CP_STACK) {
        cps->v = malloc(need * sizeof *cps->v);
        if (!cps->v) { cps->v = cps->buf; return CTW_ENOMEM; }
    }
    size_t i = 0;
    while (i < len) {
        if (cps->n == limit) {
            if (truncated) *truncated = 1;
            break;
        }
        cps->v[cps->n++] = u[i] < 0x80 ? u[i++] : ctw__text_next_cp(u, len, &i);
    }
    return 0;
}

void ctw__text_cps_free(ctw__text_cps *cps)
{
    if (cps->v != cps->buf) free(cps->v);
    cps->v = cps->buf;
    cps->n = 0;
}

/* Jaro over code point arrays; *common and *prefix feed the Winkler
 * adjustments. Flags live on the stack up to 64 code points. */
static double jaro_core(const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                        size_t *common_out)
{
    *common_out = 0;
    if (la == 0 || lb == 0) return 0.0;
    size_t range = (la > lb ? la : lb) / 2;
    range = range > 0 ? range - 1 : 0;

    unsigned char fstack[2 * CTW__TEXT_CP_STACK];
    unsigned char *fa = fstack, *fb;
    if (la + lb > sizeof fstack) {
        fa = calloc(la + lb, 1);
        if (!fa) return 0.0;  /* cannot happen below the input caps; scores "no match" */
    } else {
        memset(fa, 0, la + lb);
    }
    fb = fa + la;

    size_t common = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > range ? i - range : 0;
        size_t hi = i + range < lb - 1 ? i + range : lb - 1;
        for (size_t j = lo; j <= hi; j++) {
            if (!fb[j] && b[j] == a[i]) {
                fa[i] = fb[j] = 1;
                common++;
                break;
            }
        }
    }
    double w = 0.0;
    if (common > 0) {
        size_t k = 0, trans = 0;
        for (size_t i = 0; i < la; i++) {
            if (!fa[i]) continue;
            size_t j = k;
            while (j < lb && !fb[j]) j++;
            k = j + 1;
            if (j < lb && a[i] != b[j]) trans++;
        }
        trans /= 2;
        double c = (double)common;
        w = (c / (double)la + c / (double)lb + (c - (double)trans) / c) / 3.0;
    }
    if (fa != fstack) free(fa);
    *common_out = common;
    return w;
}

static double jaro_winkler_cps(const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                               bool winkler, bool long_tolerance)
{
    size_t common;
    double w = jaro_core(a, la, b, lb, &common);
    if (!winkler || w <= 0.7) return w;
    size_t minlen = la < lb ? la : lb;
    size_t lim = minlen < 4 ? minlen : 4, p = 0;
    while (p < lim && a[p] == b[p]) p++;
    if (p > 0) w += (double)p * 0.1 * (1.0 - w);
    /* Long strings that agree beyond the prefix: at least two more agreed
     * characters, and agreed characters are over half of the rest. */
    if (long_tolerance && minlen > 4 && common > p + 1 && 2 * common >= minlen + p)
        w += (1.0 - w) * ((double)common - (double)p - 1.0) /
             ((double)la + (double)lb - (double)p * 2.0 + 2.0);
    return w;
}

/* The ASCII fast path: bytes are the code points, no decoding. */
/* Length of s if it is ASCII and at most 64 bytes, else SIZE_MAX. */
static size_t short_ascii_len(const char *s)
{
    size_t i = 0;
    for (; s[i]; i++)
        if (i == CTW__TEXT_CP_STACK || (unsigned char)s[i] >= 0x80) return SIZE_MAX;
    return i;
}

/* jaro_winkler_cps on short ASCII byte strings, with the matched flags in
 * two 64-bit words instead of byte arrays: the same matches, the same
 * transpositions (the k-th matched character of a against the k-th of b)
 * and the same floating-point operations, so the same value to the bit. */
static double jaro_winkler_ascii(const unsigned char *a, size_t la, const unsigned char *b, size_t lb,
                                 bool winkler, bool long_tolerance)
{
    if (la == 0 || lb == 0) return 0.0;
    size_t range = (la > lb ? la : lb) / 2;
    range = range > 0 ? range - 1 : 0;
    uint64_t fa = 0, fb = 0;
    size_t common = 0;
    for (size_t i = 0; i < la; i++) {
        size_t lo = i > range ? i - range : 0;
        size_t hi = i + range < lb - 1 ? i + range : lb - 1;
        for (size_t j = lo; j <= hi; j++) {
            if (!(fb >> j & 1) && b[j] == a[i]) {
                fa |= 1ULL << i;
                fb |= 1ULL << j;
                common++;
                break;
            }
        }
    }
    double w = 0.0;
    if (common > 0) {
        size_t trans = 0;
        uint64_t xa = fa, xb = fb;
        while (xa) {
            int i = __builtin_ctzll(xa), j = __builtin_ctzll(xb);
            if (a[i] != b[j]) trans++;
            xa &= xa - 1;
            xb &= xb - 1;
        }
        trans /= 2;
        double c = (double)common;
        w = (c / (double)la + c / (double)lb + (c - (double)trans) / c) / 3.0;
    }
    if (!winkler || w <= 0.7) return w;
    size_t minlen = la < lb ? la : lb;
    size_t lim = minlen < 4 ? minlen : 4, p = 0;
    while (p < lim && a[p] == b[p]) p++;
    if (p > 0) w += (double)p * 0.1 * (1.0 - w);
    if (long_tolerance && minlen > 4 && common > p + 1 && 2 * common >= minlen + p)
        w += (1.0 - w) * ((double)common - (double)p - 1.0) /
             ((double)la + (double)lb - (double)p * 2.0 + 2.0);
    return w;
}

static double jw_entry(const char *a, const char *b, bool winkler, bool long_tolerance)
{
    size_t na = short_ascii_len(a), nb = na == SIZE_MAX ? SIZE_MAX : short_ascii_len(b);
    if (nb != SIZE_MAX)
        return jaro_winkler_ascii((const unsigned char *)a, na, (const unsigned char *)b, nb, winkler,
                                  long_tolerance);
    ctw__text_cps ca, cb;
    double w = 0.0;
    /* Inputs are capped upstream (CTW_TEXT_MAX_INPUT); no limit needed here
     * beyond the string itself. */
    if (ctw__text_cps_decode(a, SIZE_MAX, &ca, NULL) != 0) return 0.0;
    if (ctw__text_cps_decode(b, SIZE_MAX, &cb, NULL) == 0) {
        w = jaro_winkler_cps(ca.v, ca.n, cb.v, cb.n, winkler, long_tolerance);
        ctw__text_cps_free(&cb);
    }
    ctw__text_cps_free(&ca);
    return w;
}

double ctw_jaro(const char *a, const char *b)
{
    return jw_entry(a, b, false, false);
}

double ctw_jaro_winkler(const char *a, const char *b, bool long_tolerance)
{
    return jw_entry(a, b, true, long_tolerance);
}

/* Both strings decoded with the 1024 code point cap of the edit distances;
 * returns 1 when either is longer, -1 on allocation failure, 0 otherwise. */
static int decode_pair(const char *a, const char *b, ctw__text_cps *ca, ctw__text_cps *cb)
{
    int ta, tb;
    if (ctw__text_cps_decode(a, EDIT_MAX_CPS, ca, &ta) != 0) return -1;
    if (ctw__text_cps_decode(b, EDIT_MAX_CPS, cb, &tb) != 0) {
        ctw__text_cps_free(ca);
        return -1;
    }
    if (ta || tb) {
        ctw__text_cps_free(ca);
        ctw__text_cps_free(cb);
        return 1;
    }
    return 0;
}

int ctw_levenshtein_cps(const uint32_t *a, size_t la, const uint32_t *b, size_t lb)
{
    if (la > EDIT_MAX_CPS || lb > EDIT_MAX_CPS) return -1;
    int stack_row[CTW__TEXT_CP_STACK + 1];
    int *row = lb + 1 <= CTW__TEXT_CP_STACK + 1 ? stack_row : malloc((lb + 1) * sizeof *row);
    if (!row) return -1;
    /* One row of the DP matrix: row[j] is the distance of a[0..i) to b[0..j). */
    for (size_t j = 0; j <= lb; j++) row[j] = (int)j;
    for (size_t i = 1; i <= la; i++) {
        int diag = row[0];
        row[0] = (int)i;
        for (size_t j = 1; j <= lb; j++) {
            int up = row[j];
            int best = diag + (a[i - 1] != b[j - 1]);
            if (up + 1 < best) best = up + 1;
            if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
            diag = up;
            row[j] = best;
        }
    }
    int d = row[lb];
    if (row != stack_row) free(row);
    return d;
}

int ctw_levenshtein(const char *a, const char *b)
{
    ctw__text_cps ca, cb;
    if (decode_pair(a, b, &ca, &cb) != 0) return -1;
    int d = ctw_levenshtein_cps(ca.v, ca.n, cb.v, cb.n);
    ctw__text_cps_free(&ca);
    ctw__text_cps_free(&cb);
    return d;
}

static int cmp_u32(const void *x, const void *y)
{
    uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
    return (a > b) - (a < b);
}

/* Index of c in the sorted alphabet (always present). */
static size_t alpha_index(const uint32_t *alpha, size_t n, uint32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (alpha[mid] < c) lo = mid + 1; else hi = mid;
    }
    return lo;
}

/* Unrestricted Damerau-Levenshtein (Lowrance-Wagner): a transposed pair may
 * be edited further, so "abcd"/"acb" is 2, not the 3 of the restricted
 * (optimal string alignment) variant. The "last row where this character
 * was seen" table is indexed over the strings' own alphabet, so any code
 * point works without a 0x110000-entry table. */
int ctw_damerau_levenshtein(const char *a, const char *b)
{
    ctw__text_cps ca, cb;
    if (decode_pair(a, b, &ca, &cb) != 0) return -1;
    size_t la = ca.n, lb = cb.n, w = lb + 2;
    int d = -1;
    uint32_t *alpha = malloc((la + lb + 1) * sizeof *alpha);
    size_t *last = calloc(la + lb + 1, sizeof *last);
    int *m = malloc((la + 2) * w * sizeof *m);
    if (!alpha || !last || !m) goto out;
    size_t na = 0;
    for (size_t i = 0; i < la; i++) alpha[na++] = ca.v[i];
    for (size_t j = 0; j < lb; j++) alpha[na++] = cb.v[j];
    qsort(alpha, na, sizeof *alpha, cmp_u32);
    size_t u = 0;
    for (size_t i = 0; i < na; i++)
        if (u == 0 || alpha[u - 1] != alpha[i]) alpha[u++] = alpha[i];

    int inf = (int)(la + lb);
#define M(i, j) m[(size_t)(i) * w + (size_t)(j)]
    M(0, 0) = inf;
    for (size_t i = 0; i <= la; i++) { M(i + 1, 0) = inf; M(i + 1, 1) = (int)i; }
    for (size_t j = 0; j <= lb; j++) { M(0, j + 1) = inf; M(1, j + 1) = (int)j; }
    for (size_t i = 1; i <= la; i++) {
        size_t db = 0;
        for (size_t j = 1; j <= lb; j++) {
            size_t i1 = last[alpha_index(alpha, u, cb.v[j - 1])];
            size_t j1 = db;
            int cost = 1;
            if (ca.v[i - 1] == cb.v[j - 1]) { cost = 0; db = j; }
            int best = M(i, j) + cost;
            if (M(i + 1, j) + 1 < best) best = M(i + 1, j) + 1;
            if (M(i, j + 1) + 1 < best) best = M(i, j + 1) + 1;
            int tr = M(i1, j1) + (int)(i - i1 - 1) + 1 + (int)(j - j1 - 1);
            if (tr < best) best = tr;
            M(i + 1, j + 1) = best;
        }
        last[alpha_index(alpha, u, ca.v[i - 1])] = i;
    }
    d = M(la + 1, lb + 1);
#undef M
out:
    free(alpha);
    free(last);
    free(m);
    ctw__text_cps_free(&ca);
    ctw__text_cps_free(&cb);
    return d;
}

int ctw_hamming(const char *a, const char *b)
{
    const unsigned char *ua = (const unsigned char *)a, *ub = (const unsigned char *)b;
    size_t la = strlen(a), lb = strlen(b), i = 0, j = 0;
    int d = 0;
    while (i < la && j < lb) {
        uint32_t x = ctw__text_next_cp(ua, la, &i), y = ctw__text_next_cp(ub, lb, &j);
        d += x != y;
    }
    while (i < la) { ctw__text_next_cp(ua, la, &i); d++; }
    while (j < lb) { ctw__text_next_cp(ub, lb, &j); d++; }
    return d;
}
