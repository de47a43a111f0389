/* manifest.c — one shape for passenger data (see manifest.h): format
 * detection, the builder the three parsers share (manifest_int.h), dates,
 * names of enums, and the JSON form of a manifest.
 *
 * Owned by the travel module. A ctw_manifest is one malloc'd struct whose
 * arena holds every string and array it points to.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "travel/edifact_int.h"
#include "travel/manifest_int.h"

/* ---- builder ------------------------------------------------------------- */

int ctw__mb_init(ctw__mb *b, ctw_manifest_format f)
{
    memset(b, 0, sizeof *b);
    b->m = calloc(1, sizeof *b->m);
    if (!b->m) return CTW_ENOMEM;
    ctw_arena_init(&b->m->arena);
    b->m->format = f;
    return 0;
}

void ctw__mb_abort(ctw__mb *b)
{
    if (b->m) ctw_manifest_free(b->m);
    b->m = NULL;
    free(b->scratch);
    b->scratch = NULL;
}

ctw_manifest *ctw__mb_finish(ctw__mb *b)
{
    ctw_manifest *m = b->m;
    b->m = NULL;
    free(b->scratch);
    b->scratch = NULL;
    return m;
}

/* Room for n + 1 elements of size elem in an arena array of capacity *cap:
 * the same array, or a copy twice as large. NULL when out of memory. */
static void *grow(ctw__mb *b, void *arr, size_t n, size_t *cap, size_t elem)
{
    if (n < *cap) return arr;
    size_t nc = *cap ? *cap * 2 : 8;
    if (nc > SIZE_MAX / elem) return NULL;
    void *p = ctw_arena_alloc(&b->m->arena, nc * elem);
    if (!p) return NULL;
    if (n) memcpy(p, arr, n * elem);
    memset((char *)p + n * elem, 0, (nc - n) * elem);
    *cap = nc;
    return p;
}

/* The same for arrays that keep no capacity (a traveller's documents, a
 * booking's legs): their capacity is 1, 2, 4, 8, ... so they are full
 * exactly when their count is 0 or a power of two. */
static void *grow_pow2(ctw__mb *b, void *arr, size_t n, size_t elem)
{
    if (n != 0 && (n & (n - 1)) != 0) return arr;
    size_t nc = n ? n * 2 : 1;
    if (nc > SIZE_MAX / elem) return NULL;
    void *p = ctw_arena_alloc(&b->m->arena, nc * elem);
    if (!p) return NULL;
    if (n) memcpy(p, arr, n * elem);
    return p;
}

static int scratch_fit(ctw__mb *b, size_t n)
{
    if (n <= b->scratch_cap) return 0;
    size_t nc = b->scratch_cap ? b->scratch_cap : 256;
    while (nc < n) {
        if (nc > SIZE_MAX / 2) return CTW_ENOMEM;
        nc *= 2;
    }
    char *p = realloc(b->scratch, nc);
    if (!p) return CTW_ENOMEM;
    b->scratch = p;
    b->scratch_cap = nc;
    return 0;
}

/* Windows-1252 0x80..0x9F; the five holes become U+FFFD. */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0xFFFD, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0xFFFD, 0x017D, 0xFFFD,
    0xFFFD, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0xFFFD, 0x017E, 0x0178,
};

/* Mac Roman 0x80..0x9F: accented letters where Windows-1252 has
 * punctuation. Used for such a byte between two ASCII letters, where
 * punctuation makes no sense: GTAS Test3.txt sends "Nov\x87k" (Novák). */
static const uint16_t macroman_hi[32] = {
    0xC4, 0xC5, 0xC7, 0xC9, 0xD1, 0xD6, 0xDC, 0xE1, 0xE0, 0xE2, 0xE4, 0xE3, 0xE5, 0xE7, 0xE9, 0xE8,
    0xEA, 0xEB, 0xED, 0xEC, 0xEE, 0xEF, 0xF1, 0xF3, 0xF2, 0xF4, 0xF6, 0xF5, 0xFA, 0xF9, 0xFB, 0xFC,
};

static bool ascii_letter(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The code point for the byte at u[i] that is not UTF-8. */
static uint32_t legacy_cp(const unsigned char *u, size_t i, size_t k)
{
    unsigned char c = u[i];
    if (c >= 0xA0) return c;  /* Latin-1 and Windows-1252 agree */
    uint32_t cp = cp1252_hi[c - 0x80];
    bool letter = cp == 0x0160 || cp == 0x0152 || cp == 0x017D || cp == 0x0161 ||
                  cp == 0x0153 || cp == 0x017E || cp == 0x0178 || cp == 0x0192;
    if (!letter && i > 0 && i + 1 < k && ascii_letter(u[i - 1]) && ascii_letter(u[i + 1]))
        return macroman_hi[c - 0x80];
    return cp;
}

/* Length of the valid UTF-8 sequence at s (n bytes left), 0 if none. */
static size_t utf8_seq(const unsigned char *s, size_t n)
{
    unsigned char c = s[0];
    if (c < 0x80) return 1;
    size_t k;
    uint32_t cp, min;
    if ((c & 0xE0) == 0xC0) { k = 1; cp = c & 0x1F; min = 0x80; }
    else if ((c & 0xF0) == 0xE0) { k = 2; cp = c & 0x0F; min = 0x800; }
    else if ((c & 0xF8) == 0xF0) { k = 3; cp = c & 0x07; min = 0x10000; }
    else return 0;
    if (n <= k) return 0;
    for (size_t j = 1; j <= k; j++) {
        if ((s[j] & 0xC0) != 0x80) return 0;
        cp = (cp << 6) | (s[j] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    return k + 1;
}

static size_t put_cp(char *out, uint32_t cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    out[0] = (char)(0xE0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[2] = (char)(0x80 | (cp & 0x3F));
    return 3;
}

/* Clean s[0..n) into the arena (rules at ctw__mb_text). *converted is set
 * when some bytes were not UTF-8. */
static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
    return h;
}

#define INTERN_MAX_LEN 8        /* codes, airports, short dates: shared */
#define INTERN_MAX_SLOTS 8192

/* A copy of the n clean bytes at s in the arena. Short strings are kept
 * once per manifest ("FRA", "GBR", "P" come back for every traveller):
 * the manifest's strings are never written to, so they may be shared. */
static const char *store(ctw__mb *b, const char *s, size_t n)
{
    uint32_t h = 0;
    size_t slot = 0;
    bool intern = n <= INTERN_MAX_LEN;
    if (intern && (b->intern_n + 1) * 2 > b->intern_cap && b->intern_cap < INTERN_MAX_SLOTS) {
        size_t cap = b->intern_cap ? b->intern_cap * 2 : 256;
        const char **t = ctw_arena_alloc(&b->m->arena, cap * sizeof *t);
        if (t) {
            memset(t, 0, cap * sizeof *t);
            for (size_t i = 0; i < b->intern_cap; i++) {
                const char *e = b->intern[i];
                if (!e) continue;
                size_t k = hash_bytes(e, strlen(e)) & (cap - 1);
                while (t[k]) k = (k + 1) & (cap - 1);
                t[k] = e;
            }
            b->intern = t;
            b->intern_cap = cap;
        }
    }
    if (intern && (b->intern_n + 1) * 2 <= b->intern_cap) {
        h = hash_bytes(s, n);
        slot = h & (b->intern_cap - 1);
        while (b->intern[slot]) {
            const char *e = b->intern[slot];
            if (strncmp(e, s, n) == 0 && e[n] == '\0') return e;
            slot = (slot + 1) & (b->intern_cap - 1);
        }
    } else {
        intern = false;
    }
    char *dst = ctw_arena_alloc(&b->m->arena, n + 1);
    if (!dst) {
        b->nomem = true;
        return NULL;
    }
    memcpy(dst, s, n);
    dst[n] = '\0';
    if (intern) {
        b->intern[slot] = dst;
        b->intern_n++;
    }
    return dst;
}

/* True when s[0..n) is printable ASCII with single inner spaces: most
 * EDIFACT values, which need no cleaning at all. */
static bool already_clean(const char *s, size_t n)
{
    if (n == 0 || s[0] == ' ' || s[n - 1] == ' ') return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c >= 0x7F || (c == ' ' && s[i - 1] == ' ')) return false;
    }
    return true;
}

static const char *clean_text(ctw__mb *b, const char *s, size_t n, bool *converted)
{
    *converted = false;
    if (!s || n == 0) return NULL;
    if (already_clean(s, n)) return store(b, s, n);
    if (scratch_fit(b, n + 1)) {
        b->nomem = true;
        return NULL;
    }
    /* Pass 1: control bytes, line breaks and spaces, into scratch. */
    char *w = b->scratch;
    size_t k = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\r' || c == '\n') continue;
        if (c == ' ' || c == '\t') {
            space = true;
            continue;
        }
        if (c < 0x20 || c == 0x7F) continue;
        if (space && k > 0) w[k++] = ' ';
        space = false;
        w[k++] = (char)c;
    }
    if (k == 0) return NULL;
    /* Pass 2: size in UTF-8, reading stray bytes as Windows-1252. */
    const unsigned char *u = (const unsigned char *)w;
    size_t out = 0;
    for (size_t i = 0; i < k;) {
        size_t q = utf8_seq(u + i, k - i);
        if (q) {
            out += q;
            i += q;
        } else {
            uint32_t cp = legacy_cp(u, i, k);
            out += cp < 0x800 ? 2 : 3;
            i++;
            *converted = true;
        }
    }
    if (!*converted) return store(b, w, k);
    char *dst = ctw_arena_alloc(&b->m->arena, out + 1);
    if (!dst) {
        b->nomem = true;
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < k;) {
        size_t q = utf8_seq(u + i, k - i);
        if (q) {
            memcpy(dst + o, u + i, q);
            o += q;
            i += q;
        } else {
            o += put_cp(dst + o, legacy_cp(u, i, k));
            i++;
        }
    }
    dst[o] = '\0';
    return dst;
}

const char *ctw__mb_text(ctw__mb *b, const char *s, size_t n)
{
    bool converted;
    const char *r = clean_text(b, s, n, &converted);
    if (converted && !b->warned_charset) {
        b->warned_charset = true;
        ctw__mb_warn(b, "charset",
                     "text that is not UTF-8 was read as Windows-1252, a letter inside a word as Mac Roman (first: \"%s\")",
                     r ? r : "");
    }
    return r;
}

const char *ctw__mb_edi(ctw__mb *b, const ctw__edi_seg *seg, size_t e, size_t c)
{
    const ctw__edi_span *sp = ctw__edi_comp(seg, e, c);
    if (!sp || sp->n == 0) return NULL;
    if (!sp->flags) return ctw__mb_text(b, sp->p, sp->n);
    /* unescape into a buffer of our own: scratch is used by ctw__mb_text */
    char stackbuf[512];
    char *buf = stackbuf;
    if (sp->n + 1 > sizeof stackbuf) {
        buf = malloc(sp->n + 1);
        if (!buf) {
            b->nomem = true;
            return NULL;
        }
    }
    size_t k = ctw__edi_text(seg, sp, buf, sp->n + 1);
    const char *r = ctw__mb_text(b, buf, k);
    if (buf != stackbuf) free(buf);
    return r;
}

void ctw__mb_warn(ctw__mb *b, const char *code, const char *fmt, ...)
{
    ctw_manifest *m = b->m;
    if (m->n_warnings >= CTW_MANIFEST_MAX_WARNINGS) {
        m->n_warnings_dropped++;
        return;
    }
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    bool nomem_before = b->nomem;
    ctw_manifest_warning *w = grow(b, m->warnings, m->n_warnings, &b->cap_warnings, sizeof *w);
    bool converted;
    const char *text = w ? clean_text(b, msg, strlen(msg), &converted) : NULL;
    if (!w || !text) {
        /* a warning lost to memory does not fail the parse, but is counted */
        b->nomem = nomem_before;
        m->n_warnings_dropped++;
        return;
    }
    m->warnings = w;
    w[m->n_warnings].code = code;  /* static strings only */
    w[m->n_warnings].message = text;
    m->n_warnings++;
}

void ctw__mb_warn_unknown(ctw__mb *b, const char *tag, const char *where)
{
    unsigned idx = 0;
    bool ok = true;
    for (int i = 0; i < 3; i++) {
        char c = tag[i];
        unsigned v;
        if (c >= 'A' && c <= 'Z') v = (unsigned)(c - 'A');
        else if (c >= '0' && c <= '9') v = (unsigned)(c - '0') + 26;
        else { ok = false; break; }
        idx = idx * 36 + v;
    }
    if (ok && tag[3] == '\0') {
        if (b->unknown_seen[idx / 8] & (1u << (idx % 8))) return;
        b->unknown_seen[idx / 8] |= (uint8_t)(1u << (idx % 8));
    }
    ctw__mb_warn(b, "unknown_segment", "%s: segment %s is not read (warned once per tag)", where,
                 tag);
}

long ctw__mb_add_traveller(ctw__mb *b, ctw_traveller_role role, const ctw__edi_seg *seg,
                           const char *where, ctw_error *err)
{
    ctw_manifest *m = b->m;
    char segwhere[96];
    if (m->n_travellers >= CTW_MANIFEST_MAX_TRAVELLERS) {
        if (seg) ctw__edi_where(seg, segwhere, sizeof segwhere);
        return ctw_error_set(err, CTW_ELIMIT, seg ? segwhere : where,
                             "more than %d travellers in one message", CTW_MANIFEST_MAX_TRAVELLERS);
    }
    size_t cap = b->cap_travellers;
    ctw_traveller *t = grow(b, m->travellers, m->n_travellers, &cap, sizeof *t);
    if (!t) goto nomem;
    if (cap != b->cap_travellers) {
        size_t fcap = b->cap_travellers;
        uint8_t *f = grow(b, b->tflags, m->n_travellers, &fcap, 1);
        if (!f) goto nomem;
        b->tflags = f;
    }
    b->cap_travellers = cap;
    m->travellers = t;
    size_t i = m->n_travellers++;
    memset(&t[i], 0, sizeof t[i]);
    t[i].role = role;
    t[i].booking = -1;
    b->tflags[i] = 0;
    return (long)i;
nomem:
    b->nomem = true;
    if (seg) ctw__edi_where(seg, segwhere, sizeof segwhere);
    return ctw_error_set(err, CTW_ENOMEM, seg ? segwhere : where, "out of memory");
}

void ctw__mb_reserve_travellers(ctw__mb *b, size_t n)
{
    ctw_manifest *m = b->m;
    if (n > CTW_MANIFEST_MAX_TRAVELLERS) n = CTW_MANIFEST_MAX_TRAVELLERS;
    if (n <= b->cap_travellers) return;
    ctw_traveller *t = ctw_arena_alloc(&m->arena, n * sizeof *t);
    uint8_t *f = ctw_arena_alloc(&m->arena, n);
    if (!t || !f) return;  /* only a hint: the arrays will grow instead */
    if (m->n_travellers) {
        memcpy(t, m->travellers, m->n_travellers * sizeof *t);
        memcpy(f, b->tflags, m->n_travellers);
    }
    m->travellers = t;
    b->tflags = f;
    b->cap_travellers = n;
}

ctw_travel_doc *ctw__mb_add_doc(ctw__mb *b, size_t ti)
{
    ctw_traveller *t = &b->m->travellers[ti];
    ctw_travel_doc *d = grow_pow2(b, t->documents, t->n_documents, sizeof *d);
    if (!d) {
        b->nomem = true;
        return NULL;
    }
    t->documents = d;
    d = &d[t->n_documents++];
    memset(d, 0, sizeof *d);
    return d;
}

ctw_leg *ctw__mb_add_leg(ctw__mb *b)
{
    ctw_manifest *m = b->m;
    ctw_leg *l = grow(b, m->legs, m->n_legs, &b->cap_legs, sizeof *l);
    if (!l) {
        b->nomem = true;
        return NULL;
    }
    m->legs = l;
    l = &l[m->n_legs++];
    memset(l, 0, sizeof *l);
    return l;
}

ctw_leg *ctw__mb_add_booking_leg(ctw__mb *b, size_t bi)
{
    ctw_booking *bk = &b->m->bookings[bi];
    ctw_leg *l = grow_pow2(b, bk->legs, bk->n_legs, sizeof *l);
    if (!l) {
        b->nomem = true;
        return NULL;
    }
    bk->legs = l;
    l = &l[bk->n_legs++];
    memset(l, 0, sizeof *l);
    return l;
}

long ctw__mb_add_booking(ctw__mb *b, const char *locator)
{
    ctw_manifest *m = b->m;
    ctw_booking *bk = grow(b, m->bookings, m->n_bookings, &b->cap_bookings, sizeof *bk);
    if (!bk) {
        b->nomem = true;
        return CTW_ENOMEM;
    }
    m->bookings = bk;
    size_t i = m->n_bookings++;
    memset(&bk[i], 0, sizeof bk[i]);
    bk[i].locator = locator;
    return (long)i;
}

static uint32_t hash_str(const char *s)
{
    uint32_t h = 2166136261u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* Rebuild the locator index with room for twice the bookings. */
static int bk_rehash(ctw__mb *b)
{
    size_t cap = b->bk_index_cap ? b->bk_index_cap * 2 : 64;
    uint32_t *idx = ctw_arena_alloc(&b->m->arena, cap * sizeof *idx);
    if (!idx) return CTW_ENOMEM;
    memset(idx, 0, cap * sizeof *idx);
    for (size_t i = 0; i < b->m->n_bookings; i++) {
        const char *loc = b->m->bookings[i].locator;
        if (!loc) continue;
        size_t h = hash_str(loc) & (cap - 1);
        while (idx[h]) h = (h + 1) & (cap - 1);
        idx[h] = (uint32_t)i + 1;
    }
    b->bk_index = idx;
    b->bk_index_cap = cap;
    return 0;
}

long ctw__mb_booking_for(ctw__mb *b, const char *locator)
{
    if ((b->m->n_bookings + 1) * 2 > b->bk_index_cap && bk_rehash(b)) {
        b->nomem = true;
        return CTW_ENOMEM;
    }
    size_t cap = b->bk_index_cap;
    size_t h = hash_str(locator) & (cap - 1);
    while (b->bk_index[h]) {
        size_t i = b->bk_index[h] - 1;
        const char *loc = b->m->bookings[i].locator;
        if (loc && strcmp(loc, locator) == 0) return (long)i;
        h = (h + 1) & (cap - 1);
    }
    long i = ctw__mb_add_booking(b, locator);
    if (i < 0) return i;
    b->bk_index[h] = (uint32_t)i + 1;
    return i;
}

/* ---- dates ----------------------------------------------------------------- */

static bool leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int mo)
{
    static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return mo == 2 && leap(y) ? 29 : d[mo - 1];
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    return v;
}

/* Today (UTC) as yyyymmdd, for the birth-date century; worked out again
 * when the second changes (a PAXLST has hundreds of birth dates). */
static long today_ymd(void)
{
    static _Thread_local time_t at;
    static _Thread_local long ymd;
    time_t now = time(NULL);
    if (now == at && ymd) return ymd;
    struct tm tm;
    if (!gmtime_r(&now, &tm)) return 20250101L;
    at = now;
    ymd = (long)(tm.tm_year + 1900) * 10000L + (tm.tm_mon + 1) * 100L + tm.tm_mday;
    return ymd;
}

static int century_year(int yy, int mo, int d, ctw__date_kind kind)
{
    if (kind == CTW__DATE_BIRTH) {
        long ymd = (long)(2000 + yy) * 10000L + mo * 100L + d;
        return ymd > today_ymd() ? 1900 + yy : 2000 + yy;
    }
    return yy < 70 ? 2000 + yy : 1900 + yy;
}

static char *put2(char *o, int v)
{
    o[0] = (char)('0' + v / 10);
    o[1] = (char)('0' + v % 10);
    return o + 2;
}

/* Write the ISO form (at most 19 characters and a NUL); h < 0: date only,
 * s < 0: no seconds. Digits by hand: a PAXLST has hundreds of dates. */
static bool put_iso(char *out, int y, int mo, int d, int h, int mi, int s)
{
    if (y < 1 || y > 9999 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return false;
    if (h >= 0 && (h > 23 || mi < 0 || mi > 59 || s > 59)) return false;
    char *o = put2(put2(out, y / 100), y % 100);
    *o++ = '-';
    o = put2(o, mo);
    *o++ = '-';
    o = put2(o, d);
    if (h >= 0) {
        *o++ = 'T';
        o = put2(o, h);
        *o++ = ':';
        o = put2(o, mi);
        if (s >= 0) {
            *o++ = ':';
            o = put2(o, s);
        }
    }
    *o = '\0';
    return true;
}

bool ctw__date_edifact(const char *s, int fmt, ctw__date_kind kind, char *out)
{
    size_t n = strlen(s);
    if (!digits(s, n)) return false;
    if (fmt == 0) {
        if (n == 6) fmt = 101;
        else if (n == 8) fmt = 102;
        else if (n == 10) fmt = 201;
        else if (n == 12) fmt = 203;
        else return false;
    }
    switch (fmt) {
    case 101:
        if (n != 6) return false;
        return put_iso(out, century_year(num(s, 2), num(s + 2, 2), num(s + 4, 2), kind),
                       num(s + 2, 2), num(s + 4, 2), -1, 0, -1);
    case 102:
        if (n != 8) return false;
        return put_iso(out, num(s, 4), num(s + 4, 2), num(s + 6, 2), -1, 0, -1);
    case 201:
        if (n != 10) return false;
        return put_iso(out, century_year(num(s, 2), num(s + 2, 2), num(s + 4, 2), kind),
                       num(s + 2, 2), num(s + 4, 2), num(s + 6, 2), num(s + 8, 2), -1);
    case 203:
        if (n != 12) return false;
        return put_iso(out, num(s, 4), num(s + 4, 2), num(s + 6, 2), num(s + 8, 2),
                       num(s + 10, 2), -1);
    case 204:
        if (n != 14) return false;
        return put_iso(out, num(s, 4), num(s + 4, 2), num(s + 6, 2), num(s + 8, 2),
                       num(s + 10, 2), num(s + 12, 2));
    }
    return false;
}

static int month_abbr(const char *s)
{
    static const char names[] = "JANFEBMARAPRMAYJUNJULAUGSEPOCTNOVDEC";
    for (int i = 0; i < 12; i++)
        if (memcmp(s, names + 3 * i, 3) == 0) return i + 1;
    return 0;
}

bool ctw__date_pnr(const char *date, const char *time_s, ctw__date_kind kind, char *out)
{
    size_t n = strlen(date);
    int d, mo, y;
    if (n == 6 && digits(date, 6)) {
        d = num(date, 2);
        mo = num(date + 2, 2);
        y = century_year(num(date + 4, 2), mo, d, kind);
    } else if ((n == 7 || n == 9) && digits(date, 2) && digits(date + 5, n - 5)) {
        d = num(date, 2);
        mo = month_abbr(date + 2);
        if (!mo) return false;
        y = n == 7 ? century_year(num(date + 5, 2), mo, d, kind) : num(date + 5, 4);
    } else {
        return false;
    }
    size_t tn = time_s ? strlen(time_s) : 0;
    if (tn == 0) return put_iso(out, y, mo, d, -1, 0, -1);
    if (tn == 4 && digits(time_s, 4))
        return put_iso(out, y, mo, d, num(time_s, 2), num(time_s + 2, 2), -1);
    if (tn == 6 && digits(time_s, 6))
        return put_iso(out, y, mo, d, num(time_s, 2), num(time_s + 2, 2), num(time_s + 4, 2));
    return false;
}

bool ctw__date_next_day(char *iso)
{
    if (strlen(iso) < 10 || !digits(iso, 4) || iso[4] != '-' || !digits(iso + 5, 2) ||
        iso[7] != '-' || !digits(iso + 8, 2))
        return false;
    int y = num(iso, 4), mo = num(iso + 5, 2), d = num(iso + 8, 2);
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return false;
    if (++d > days_in_month(y, mo)) {
        d = 1;
        if (++mo > 12) {
            mo = 1;
            y++;
        }
    }
    if (y > 9999) return false;
    char tmp[64];
    snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, mo, d);
    memcpy(iso, tmp, 10);
    return true;
}

bool ctw__date_iso_valid(const char *s, bool allow_time)
{
    size_t n = strlen(s);
    if (n < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' ||
        !digits(s + 8, 2))
        return false;
    int y = num(s, 4), mo = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo)) return false;
    if (n == 10) return true;
    if (!allow_time || s[10] != 'T' || n < 16 || !digits(s + 11, 2) || s[13] != ':' ||
        !digits(s + 14, 2))
        return false;
    if (num(s + 11, 2) > 23 || num(s + 14, 2) > 59) return false;
    if (n == 16) return true;
    return n == 19 && s[16] == ':' && digits(s + 17, 2) && num(s + 17, 2) <= 59;
}

/* ---- public ------------------------------------------------------------------ */

void ctw_manifest_free(ctw_manifest *m)
{
    if (!m) return;
    ctw_arena_free(&m->arena);
    free(m);
}

const char *ctw_manifest_format_name(ctw_manifest_format f)
{
    switch (f) {
    case CTW_MANIFEST_PAXLST: return "paxlst";
    case CTW_MANIFEST_PNRGOV: return "pnrgov";
    case CTW_MANIFEST_JSON: return "json";
    case CTW_MANIFEST_DETECT: break;
    }
    return "?";
}

const char *ctw_traveller_role_name(ctw_traveller_role r)
{
    switch (r) {
    case CTW_TRAVELLER_PASSENGER: return "passenger";
    case CTW_TRAVELLER_CREW: return "crew";
    case CTW_TRAVELLER_INFANT: return "infant";
    }
    return "?";
}

int ctw_manifest_parse(const char *data, size_t len, ctw_manifest_format format,
                       ctw_manifest **out, ctw_error *err)
{
    if (!data || !out) return ctw_error_set(err, CTW_EINVAL, NULL, "NULL argument");
    if (len > CTW_MANIFEST_MAX_BYTES)
        return ctw_error_set(err, CTW_ELIMIT, "message", "message of %zu bytes, the limit is %u",
                             len, CTW_MANIFEST_MAX_BYTES);
    switch (format) {
    case CTW_MANIFEST_PAXLST: return ctw_paxlst_parse(data, len, out, err);
    case CTW_MANIFEST_PNRGOV: return ctw_pnrgov_parse(data, len, out, err);
    case CTW_MANIFEST_JSON: return ctw_manifest_parse_json(data, len, out, err);
    case CTW_MANIFEST_DETECT: break;
    default: return ctw_error_set(err, CTW_EINVAL, NULL, "unknown format %d", (int)format);
    }
    size_t i = 0;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) i = 3;
    while (i < len && (data[i] == ' ' || data[i] == '\t' || data[i] == '\r' || data[i] == '\n')) i++;
    if (i < len && (data[i] == '{' || data[i] == '['))
        return ctw_manifest_parse_json(data, len, out, err);
    char type[16];
    int rc = ctw__edi_message_type(data, len, type, sizeof type, err);
    if (rc == CTW_ENOTFOUND)
        return ctw_error_set(err, CTW_EUNSUPPORTED, "message",
                             "not a JSON manifest and no EDIFACT UNH segment near the start");
    if (rc) return rc;
    if (strcmp(type, "PAXLST") == 0) return ctw_paxlst_parse(data, len, out, err);
    if (strcmp(type, "PNRGOV") == 0) return ctw_pnrgov_parse(data, len, out, err);
    return ctw_error_set(err, CTW_EUNSUPPORTED, "UNH",
                         "EDIFACT message type \"%.12s\" is neither PAXLST nor PNRGOV", type);
}

/* ---- JSON form ------------------------------------------------------------- */

/* Set key to s when s is not NULL; false when out of memory. */
static bool put_str(json_t *o, const char *key, const char *s)
{
    if (!s) return true;
    return json_object_set_new(o, key, json_string(s)) == 0;
}

static json_t *leg_json(const ctw_leg *l)
{
    json_t *o = json_object();
    if (!o) return NULL;
    if (put_str(o, "carrier", l->carrier) && put_str(o, "flight", l->flight) &&
        put_str(o, "origin", l->origin) && put_str(o, "destination", l->destination) &&
        put_str(o, "departure", l->departure) && put_str(o, "arrival", l->arrival))
        return o;
    json_decref(o);
    return NULL;
}

static json_t *legs_json(const ctw_leg *legs, size_t n)
{
    json_t *a = json_array();
    if (!a) return NULL;
    for (size_t i = 0; i < n; i++) {
        if (json_array_append_new(a, leg_json(&legs[i]))) {
            json_decref(a);
            return NULL;
        }
    }
    return a;
}

static json_t *traveller_json(const ctw_manifest *m, const ctw_traveller *t)
{
    json_t *o = json_object();
    if (!o) return NULL;
    char sex[2] = {t->sex, '\0'};
    bool ok = put_str(o, "role", ctw_traveller_role_name(t->role)) &&
              put_str(o, "surname", t->surname) && put_str(o, "given", t->given) &&
              put_str(o, "title", t->title) && put_str(o, "birth_date", t->birth_date) &&
              put_str(o, "sex", t->sex ? sex : NULL) && put_str(o, "nationality", t->nationality) &&
              put_str(o, "residence", t->residence) && put_str(o, "birth_place", t->birth_place) &&
              put_str(o, "embark", t->embark) && put_str(o, "debark", t->debark) &&
              put_str(o, "seat", t->seat) && put_str(o, "reference", t->reference);
    if (ok && t->booking >= 0 && (size_t)t->booking < m->n_bookings) {
        const ctw_booking *bk = &m->bookings[t->booking];
        ok = put_str(o, "booking", bk->locator ? bk->locator : "");
    }
    json_t *docs = ok ? json_array() : NULL;
    if (!docs) goto fail;
    for (size_t i = 0; i < t->n_documents; i++) {
        const ctw_travel_doc *d = &t->documents[i];
        json_t *dj = json_object();
        if (!dj || !put_str(dj, "type", d->type) || !put_str(dj, "number", d->number) ||
            !put_str(dj, "issuing_state", d->issuing_state) || !put_str(dj, "expiry", d->expiry) ||
            !put_str(dj, "issued", d->issued) || json_array_append_new(docs, dj)) {
            json_decref(docs);
            goto fail;
        }
    }
    if (json_object_set_new(o, "documents", docs)) goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}

json_t *ctw_manifest_to_json(const ctw_manifest *m)
{
    if (!m) return NULL;
    json_t *o = json_object();
    if (!o) return NULL;
    if (!put_str(o, "format", ctw_manifest_format_name(m->format)) ||
        !put_str(o, "version", m->version) || !put_str(o, "message_ref", m->message_ref) ||
        !put_str(o, "sender", m->sender) || !put_str(o, "part", m->part))
        goto fail;
    if (json_object_set_new(o, "flight", m->n_legs ? leg_json(&m->legs[0]) : json_null()) ||
        json_object_set_new(o, "legs", legs_json(m->legs, m->n_legs)))
        goto fail;
    json_t *bks = json_array();
    if (!bks || json_object_set_new(o, "bookings", bks)) goto fail;
    for (size_t i = 0; i < m->n_bookings; i++) {
        const ctw_booking *bk = &m->bookings[i];
        json_t *bj = json_object();
        if (!bj || json_array_append_new(bks, bj)) goto fail;
        if (!put_str(bj, "locator", bk->locator) || !put_str(bj, "carrier", bk->carrier) ||
            !put_str(bj, "created", bk->created) ||
            json_object_set_new(bj, "legs", legs_json(bk->legs, bk->n_legs)))
            goto fail;
    }
    json_t *trs = json_array();
    if (!trs || json_object_set_new(o, "travellers", trs)) goto fail;
    for (size_t i = 0; i < m->n_travellers; i++)
        if (json_array_append_new(trs, traveller_json(m, &m->travellers[i]))) goto fail;
    json_t *ws = json_array();
    if (!ws || json_object_set_new(o, "warnings", ws)) goto fail;
    for (size_t i = 0; i < m->n_warnings; i++) {
        json_t *wj = json_object();
        if (!wj || json_array_append_new(ws, wj) || !put_str(wj, "code", m->warnings[i].code) ||
            !put_str(wj, "message", m->warnings[i].message))
            goto fail;
    }
    if (json_object_set_new(o, "warnings_dropped", json_integer((json_int_t)m->n_warnings_dropped)))
        goto fail;
    return o;
fail:
    json_decref(o);
    return NULL;
}
