/* json_write.c — the compact text of a JSON value, for the server's
 * answers (see json.h).
 *
 * Why not json_dumpb: the server writes the text of every answer, and
 * jansson 2.14's dump keeps, to refuse a value that contains itself, a
 * hash table of the containers it is inside, keyed by a snprintf("%p") of
 * each: a 1.6 KB screening answer took it 12 to 14 us, and this writer
 * 3 to 3.5 us; a server answering only queries with hits spent ~8 % less
 * CPU per request (bench/README.md, "What limits the HTTP figure"). It
 * walks the same tree with jansson's own accessors and bounds the depth
 * instead (a value that contains itself would pass any bound), and
 * writes the bytes json_dumpb(v, JSON_COMPACT | JSON_REAL_PRECISION(10))
 * writes: tests/unit/test_json.c compares the two on every kind of value.
 * Parsing and building stay jansson's.
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "ctwatch/json.h"

typedef struct text_buf {
    char *p;
    size_t len, cap;
} text_buf;

/* Room for n more bytes; false when memory runs out. */
static bool reserve(text_buf *b, size_t n)
{
    if (b->cap - b->len >= n) return true;
    if (n > SIZE_MAX / 4 - b->len) return false;
    size_t cap = b->cap ? b->cap : 1024;
    while (cap - b->len < n) cap *= 2;
    char *p = realloc(b->p, cap);
    if (!p) return false;
    b->p = p;
    b->cap = cap;
    return true;
}

static bool put(text_buf *b, const char *s, size_t n)
{
    if (!reserve(b, n)) return false;
    memcpy(b->p + b->len, s, n);
    b->len += n;
    return true;
}

static bool put_char(text_buf *b, char c)
{
    if (!reserve(b, 1)) return false;
    b->p[b->len++] = c;
    return true;
}

/* A JSON string: runs of plain bytes copied at once; '"', '\\' and the
 * control characters escaped as jansson escapes them. */
static bool put_string(text_buf *b, const char *str, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *s = (const unsigned char *)str;
    if (!put_char(b, '"')) return false;
    size_t run = 0, i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c >= 0x80) {
            /* ICU's strict reading: a stray continuation byte, an overlong
             * form, a surrogate, past U+10FFFF or cut short is refused, as
             * jansson refuses to write it */
            UChar32 cp;
            U8_NEXT(s, i, n, cp);
            if (cp < 0) return false;
            continue;
        }
        if (c >= 0x20 && c != '"' && c != '\\') {
            i++;
            continue;
        }
        if (!put(b, str + run, i - run)) return false;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t elen = 2;
        switch (c) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            memcpy(esc + 1, "u00", 3);
            esc[4] = hex[c >> 4];
            esc[5] = hex[c & 15];
            elen = 6;
        }
        if (!put(b, esc, elen)) return false;
        run = ++i;
    }
    return put(b, str + run, n - run) && put_char(b, '"');
}

/* Decimal digits of v into the end of buf (at least 20 bytes); returns
 * where they start. */
static char *digits(char *end, unsigned long long v)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

static bool put_integer(text_buf *b, json_int_t v)
{
    char buf[24];
    char *end = buf + sizeof buf;
    unsigned long long mag = v < 0 ? 0ull - (unsigned long long)v : (unsigned long long)v;
    char *p = digits(end, mag);
    if (v < 0) *--p = '-';
    return put(b, p, (size_t)(end - p));
}

/* A real as jansson writes it at precision 10: printf's %.10g, with ".0"
 * added when that reads as an integer, and the exponent without '+' or
 * leading zeros. Scores and similarities are rounded to thousandths: those
 * (below 10^6 in size, where %.10g prints them in full) are written
 * directly, the same digits without printf. */
static bool put_real(text_buf *b, double d)
{
    char buf[48];
    double k = nearbyint(d * 1000.0);
    if (fabs(d) < 1e6 && k / 1000.0 == d && !(d == 0 && signbit(d))) {
        unsigned long long mag = (unsigned long long)fabs(k);
        char *end = buf + sizeof buf;
        char *p = end;
        unsigned frac = (unsigned)(mag % 1000);
        if (frac == 0) {
            *--p = '0';
        } else {
            char f[3] = {(char)('0' + frac / 100), (char)('0' + frac / 10 % 10), (char)('0' + frac % 10)};
            size_t fl = f[2] != '0' ? 3 : f[1] != '0' ? 2 : 1;
            p -= fl;
            memcpy(p, f, fl);
        }
        *--p = '.';
        p = digits(p, mag / 1000);
        if (d < 0) *--p = '-';
        return put(b, p, (size_t)(end - p));
    }
    int n = snprintf(buf, sizeof buf, "%.10g", d);
    if (n <= 0 || (size_t)n >= sizeof buf - 3) return false;
    for (char *c = buf; *c; c++)
        if (*c == ',') *c = '.'; /* a locale's decimal comma, as jansson turns it */
    char *e = strchr(buf, 'e');
    if (!e && !strchr(buf, '.')) {
        memcpy(buf + n, ".0", 3);
        n += 2;
    } else if (e) {
        char *from = e + 1, *to = e + 1;
        if (*from == '-') from++, to++;
        else if (*from == '+') from++;
        while (*from == '0' && from[1]) from++;
        memmove(to, from, strlen(from) + 1);
        n = (int)strlen(buf);
    }
    return put(b, buf, (size_t)n);
}

/* jansson's own parser refuses documents nested deeper than this; a value
 * deeper still is refused here (it could be one that contains itself). */
#define MAX_DEPTH 2048

static bool put_value(text_buf *b, const json_t *v, unsigned depth)
{
    if (depth > MAX_DEPTH) return false;
    switch (json_typeof(v)) {
    case JSON_OBJECT: {
        if (!put_char(b, '{')) return false;
        bool first = true;
        for (void *it = json_object_iter((json_t *)v); it; it = json_object_iter_next((json_t *)v, it)) {
            if (!first && !put_char(b, ',')) return false;
            first = false;
            if (!put_string(b, json_object_iter_key(it), json_object_iter_key_len(it)) || !put_char(b, ':') ||
                !put_value(b, json_object_iter_value(it), depth + 1))
                return false;
        }
        return put_char(b, '}');
    }
    case JSON_ARRAY: {
        if (!put_char(b, '[')) return false;
        size_t n = json_array_size(v);
        for (size_t i = 0; i < n; i++)
            if ((i > 0 && !put_char(b, ',')) || !put_value(b, json_array_get(v, i), depth + 1)) return false;
        return put_char(b, ']');
    }
    case JSON_STRING:
        return put_string(b, json_string_value(v), json_string_length(v));
    case JSON_INTEGER:
        return put_integer(b, json_integer_value(v));
    case JSON_REAL:
        return put_real(b, json_real_value(v));
    case JSON_TRUE:
        return put(b, "true", 4);
    case JSON_FALSE:
        return put(b, "false", 5);
    case JSON_NULL:
        return put(b, "null", 4);
    }
    return false;
}

char *ctw_json_compact(const json_t *v, size_t spare, size_t *len)
{
    text_buf b = {0};
    if (!v || spare > SIZE_MAX / 4 || !put_value(&b, v, 0) || !reserve(&b, spare + 1)) {
        free(b.p);
        return NULL;
    }
    b.p[b.len] = '\0';
    if (len) *len = b.len;
    return b.p;
}
