/* mrz.c — ICAO Doc 9303 machine readable zones.
 *
 * The three shapes (positions 0-based; "c" is a check digit):
 *
 *   TD3 / MRV-A (2 × 44)
 *     P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<
 *     ^^ code  ^^^ issuing state  [5..43] name
 *     L898902C36UTO7408122F1204159ZE184226B<<<<<10
 *     [0..8] number [9]c [10..12] nationality [13..18] birth [19]c [20] sex
 *     [21..26] expiry [27]c [28..41] personal number [42]c [43] composite
 *     MRV-A: [28..43] optional data, no personal-number or composite check.
 *
 *   TD2 / MRV-B (2 × 36)
 *     I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<            [5..35] name
 *     D231458907UTO7408122F1204159<<<<<<<6
 *     as TD3 up to [27]; [28..34] optional data, [35] composite
 *     MRV-B: [28..35] optional data, no composite.
 *
 *   TD1 (3 × 30)
 *     I<UTOD231458907<<<<<<<<<<<<<<<      [5..13] number [14]c [15..29] optional
 *     7408122F1204159UTO<<<<<<<<<<<6      [0..5] birth [6]c [7] sex [8..13] expiry
 *                                         [14]c [15..17] nationality [18..28] optional [29] composite
 *     ERIKSSON<<ANNA<MARIA<<<<<<<<<<      [0..29] name
 *
 * Long document numbers (TD1/TD2, 9303 Parts 5 and 6): when the number's
 * check digit position holds '<', the number continues at the start of the
 * optional data, up to the first filler; the last character before that
 * filler is the check digit of the whole number.
 *
 *   TD1 composite: line 1 [5..29] + line 2 [0..6] [8..14] [18..28]
 *   TD2 composite: line 2 [0..9] [13..19] [21..34]
 *   TD3 composite: line 2 [0..9] [13..19] [21..42]
 */
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf8.h>

#include "ctwatch/country.h"
#include "ctwatch/mrz.h"
#include "ctwatch/text.h"
#include "travel/travel_int.h"

/* ---- check digits -------------------------------------------------------- */

/* '0'-'9' = 0-9, 'A'-'Z' = 10-35, '<' = 0; every other byte BAD. A table,
 * because every character of an MRZ is looked up at least twice. */
#define BAD 0xFF
#define D16(x) x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x
static const unsigned char char_values[256] = {
    D16(BAD), D16(BAD), D16(BAD),                                       /* 0x00-0x2F */
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, BAD, BAD, 0, BAD, BAD, BAD,            /* 0-9 : ; < = > ? */
    BAD, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24,     /* @ A-O */
    25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, BAD, BAD, BAD, BAD, BAD, /* P-Z [ \ ] ^ _ */
    D16(BAD), D16(BAD),                                                 /* 0x60-0x7F */
    D16(BAD), D16(BAD), D16(BAD), D16(BAD), D16(BAD), D16(BAD), D16(BAD), D16(BAD),
};
#undef D16

/* The weighted sum is taken whole and reduced once at the end: the same
 * digit as reducing after every character, without a division per
 * character. 64 bits cannot overflow for any n that fits in memory. */
int ctw_mrz_check_digit(const char *s, size_t n)
{
    static const unsigned weight[3] = {7, 3, 1};
    uint64_t sum = 0;
    unsigned bad = 0;
    if (!s) return -1;
    size_t i = 0;
    for (; i + 3 <= n; i += 3) {
        unsigned a = char_values[(unsigned char)s[i]], b = char_values[(unsigned char)s[i + 1]],
                 c = char_values[(unsigned char)s[i + 2]];
        bad |= (a | b | c) & 0x80;
        sum += 7 * a + 3 * b + c;
    }
    for (; i < n; i++) {
        unsigned v = char_values[(unsigned char)s[i]];
        bad |= v & 0x80;
        sum += v * weight[i % 3];
    }
    if (bad) return -1;
    return '0' + (int)(sum % 10);
}

const char *ctw_mrz_format_name(ctw_mrz_format f)
{
    switch (f) {
    case CTW_MRZ_TD1: return "TD1";
    case CTW_MRZ_TD2: return "TD2";
    case CTW_MRZ_TD3: return "TD3";
    case CTW_MRZ_MRVA: return "MRV-A";
    case CTW_MRZ_MRVB: return "MRV-B";
    }
    return "?";
}

/* ---- parsing helpers ----------------------------------------------------- */

static void add_issue(ctw_mrz *m, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_issue(ctw_mrz *m, const char *code, const char *fmt, ...)
{
    if (m->n_issues >= CTW_MRZ_MAX_ISSUES) return;
    ctw_mrz_issue *is = &m->issues[m->n_issues++];
    size_t cl = strnlen(code, sizeof is->code - 1);
    memcpy(is->code, code, cl);
    is->code[cl] = '\0';
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(is->message, sizeof is->message, fmt, ap);
    va_end(ap);
}

static bool all_filler(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '<') return false;
    return true;
}

/* Copy n characters of s into dst (cap bytes) without the trailing fillers. */
static void copy_field(char *dst, size_t cap, const char *s, size_t n)
{
    while (n > 0 && s[n - 1] == '<') n--;
    if (n >= cap) n = cap - 1;
    memcpy(dst, s, n);
    dst[n] = '\0';
}

/* Check `data` (n chars) against the digit printed at `digit`. A '<' in the
 * digit position is right only for a field that is all fillers (9303 lets an
 * empty optional field have a filler as its check digit). */
static void check(ctw_mrz *m, ctw_mrz_check *c, const char *what, const char *data, size_t n, char digit)
{
    c->present = true;
    c->digit = digit;
    c->expected = (char)ctw_mrz_check_digit(data, n);
    c->ok = digit == c->expected || (digit == '<' && all_filler(data, n));
    if (!c->ok)
        add_issue(m, "check_digit", "%s check digit is %c, computed %c", what, digit, c->expected);
}

/* The same over several slices (composite check digits). */
static void check_slices(ctw_mrz *m, ctw_mrz_check *c, const char *what, const char *const *p,
                         const size_t *n, size_t k, char digit)
{
    char buf[64];
    size_t len = 0;
    for (size_t i = 0; i < k; i++) {
        memcpy(buf + len, p[i], n[i]);
        len += n[i];
    }
    check(m, c, what, buf, len, digit);
}

/* The year changes only with the day, so the answer is kept for the day
 * it was computed on: gmtime_r per birth date was a tenth of a parse.
 * One atomic word ((day + 1) << 8 | yy; 0 = nothing kept) keeps it
 * thread-safe without a lock. */
static _Atomic uint64_t yy_of_day;

static int current_yy(void)
{
    time_t t = time(NULL);
    uint64_t day = t >= 0 ? (uint64_t)(t / 86400) + 1 : 0;
    uint64_t kept = atomic_load_explicit(&yy_of_day, memory_order_relaxed);
    if (day && kept >> 8 == day) return (int)(kept & 0xFF);
    struct tm tm;
    if (!gmtime_r(&t, &tm)) return 50;
    int yy = tm.tm_year % 100;
    if (day && yy >= 0) atomic_store_explicit(&yy_of_day, day << 8 | (uint64_t)yy, memory_order_relaxed);
    return yy;
}

/* YYMMDD → ISO. A birth date is never in the future, so its century is
 * the latest that keeps it no later than this year; an expiry date lies
 * within about 50 years of issue, so years 70–99 are read as 19YY (the 9303
 * specimens expire in 1996 and 2012). Unknown parts stay unknown ("XX"). */
static void parse_date(ctw_mrz *m, const char *what, const char *s, bool birth, char yymmdd[7], char iso[11])
{
    memcpy(yymmdd, s, 6);
    yymmdd[6] = '\0';
    bool bad = false;
    for (int i = 0; i < 6; i++)
        if (!(s[i] == '<' || (s[i] >= '0' && s[i] <= '9'))) bad = true;
    for (int i = 0; i < 6; i += 2)
        if ((s[i] == '<') != (s[i + 1] == '<')) bad = true;  /* half-known part */
    if (bad) {
        add_issue(m, "bad_date", "%s %.6s is not YYMMDD", what, s);
        memcpy(iso, "XXXX-XX-XX", 11);
        return;
    }
    char yyyy[5] = "XXXX", mm[3] = "XX", dd[3] = "XX";
    if (s[0] != '<') {
        int yy = (s[0] - '0') * 10 + (s[1] - '0');
        int century = birth ? (yy > current_yy() ? 19 : 20) : (yy >= 70 ? 19 : 20);
        yyyy[0] = (char)('0' + century / 10);
        yyyy[1] = (char)('0' + century % 10);
        yyyy[2] = s[0];
        yyyy[3] = s[1];
    }
    if (s[2] != '<') {
        int mo = (s[2] - '0') * 10 + (s[3] - '0');
        if (mo < 1 || mo > 12) bad = true;
        mm[0] = s[2];
        mm[1] = s[3];
    }
    if (s[4] != '<') {
        int d = (s[4] - '0') * 10 + (s[5] - '0');
        if (d < 1 || d > 31) bad = true;
        dd[0] = s[4];
        dd[1] = s[5];
    }
    if (bad) add_issue(m, "bad_date", "%s %.6s has no such month or day", what, s);
    memcpy(iso, yyyy, 4);
    iso[4] = '-';
    memcpy(iso + 5, mm, 2);
    iso[7] = '-';
    memcpy(iso + 8, dd, 2);
    iso[10] = '\0';
}

/* ctw_country_is_code, from the table of codes.c for three capital letters
 * (all but a few MRZs), and asked directly otherwise ("D", "A<B", ""). */
static bool is_code(const char *c)
{
    if (c[0] >= 'A' && c[0] <= 'Z' && c[1] >= 'A' && c[1] <= 'Z' && c[2] >= 'A' && c[2] <= 'Z' && !c[3])
        return ctw__travel_code3_known(c);
    return ctw_country_is_code(c);
}

static void parse_country(ctw_mrz *m, const char *what, const char *s, char dst[4])
{
    copy_field(dst, 4, s, 3);
    if (!is_code(dst))
        add_issue(m, "unknown_country", "%s %.3s is no ISO 3166 or ICAO 9303 code", what, s);
}

static void parse_sex(ctw_mrz *m, char c)
{
    m->sex = c;
    if (c != 'M' && c != 'F' && c != 'X' && c != '<')
        add_issue(m, "bad_sex", "sex %c is not M, F, X or <", c);
}

/* Turn a run of name characters into words separated by single spaces. */
static void name_words(char *dst, size_t cap, const char *s, size_t n)
{
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        if (s[i] == '<') {
            space = o > 0;
            continue;
        }
        if (space && o + 2 < cap) dst[o++] = ' ';
        space = false;
        dst[o++] = s[i];
    }
    dst[o] = '\0';
}

static void parse_name(ctw_mrz *m, const char *s, size_t n)
{
    m->name_full = s[n - 1] != '<';
    size_t split = n;
    for (size_t i = 0; i + 1 < n; i++)
        if (s[i] == '<' && s[i + 1] == '<') {
            split = i;
            break;
        }
    name_words(m->primary, sizeof m->primary, s, split);
    if (split < n) name_words(m->secondary, sizeof m->secondary, s + split, n - split);
}

static void parse_code(ctw_mrz *m, const char *s, const char *allowed)
{
    copy_field(m->document_code, sizeof m->document_code, s, 2);
    if (!strchr(allowed, s[0]) || s[0] == '<')
        add_issue(m, "bad_document_code", "document code %.2s should start with one of %s for %s", s, allowed,
                  ctw_mrz_format_name(m->format));
}

/* The number, and for TD1/TD2 its overflow into the optional data `opt`
 * (opt_n chars). Returns how many characters of opt the number took. */
static size_t parse_number(ctw_mrz *m, const char *num, char digit, const char *opt, size_t opt_n, bool overflow)
{
    copy_field(m->document_number, sizeof m->document_number, num, 9);
    if (!overflow || digit != '<' || all_filler(num, 9)) {
        check(m, &m->number_check, "document number", num, 9, digit);
        return 0;
    }
    size_t k = 0;
    while (k < opt_n && opt[k] != '<') k++;
    if (k == 0) {
        m->number_check.present = true;
        m->number_check.digit = '<';
        m->number_check.expected = (char)ctw_mrz_check_digit(num, 9);
        m->number_check.ok = false;
        add_issue(m, "missing_check_digit", "document number has '<' as check digit and no continuation");
        return 0;
    }
    char full[32];
    memcpy(full, num, 9);
    memcpy(full + 9, opt, k - 1);
    size_t len = 9 + k - 1;
    /* The filler at the check digit position is not part of the number. */
    size_t dl = strlen(m->document_number);
    if (dl == 9) {
        memcpy(m->document_number + 9, opt, k - 1);
        m->document_number[9 + k - 1] = '\0';
    }
    /* 9303 computes the digit over the whole number; Belgian and some
     * Portuguese cards compute it over the printed characters, the filler
     * at position 15 included (see tests/data/travel). Both are accepted. */
    char printed[32];
    memcpy(printed, num, 10);
    memcpy(printed + 10, opt, k - 1);
    if (ctw_mrz_check_digit(printed, len + 1) == opt[k - 1]) {
        m->number_check = (ctw_mrz_check){true, opt[k - 1], opt[k - 1], true};
        return k;
    }
    check(m, &m->number_check, "document number", full, len, opt[k - 1]);
    return k;
}

/* ---- the formats --------------------------------------------------------- */

static void parse_td1(ctw_mrz *m, const char *l1, const char *l2, const char *l3)
{
    m->format = CTW_MRZ_TD1;
    parse_code(m, l1, "ACI");
    parse_country(m, "issuing state", l1 + 2, m->issuing_state);
    size_t took = parse_number(m, l1 + 5, l1[14], l1 + 15, 15, true);
    copy_field(m->optional_data, sizeof m->optional_data, l1 + 15 + took, 15 - took);
    parse_date(m, "birth date", l2, true, m->birth_date, m->birth_date_iso);
    check(m, &m->birth_check, "birth date", l2, 6, l2[6]);
    parse_sex(m, l2[7]);
    parse_date(m, "expiry date", l2 + 8, false, m->expiry_date, m->expiry_date_iso);
    check(m, &m->expiry_check, "expiry date", l2 + 8, 6, l2[14]);
    parse_country(m, "nationality", l2 + 15, m->nationality);
    copy_field(m->optional_data2, sizeof m->optional_data2, l2 + 18, 11);
    const char *p[] = {l1 + 5, l2, l2 + 8, l2 + 18};
    const size_t n[] = {25, 7, 7, 11};
    check_slices(m, &m->composite_check, "composite", p, n, 4, l2[29]);
    parse_name(m, l3, 30);
}

/* TD2/MRV-B (w = 36) and TD3/MRV-A (w = 44) share everything but the tail. */
static void parse_two_line(ctw_mrz *m, const char *l1, const char *l2, size_t w)
{
    bool visa = l1[0] == 'V';
    m->format = w == 44 ? (visa ? CTW_MRZ_MRVA : CTW_MRZ_TD3) : (visa ? CTW_MRZ_MRVB : CTW_MRZ_TD2);
    parse_code(m, l1, m->format == CTW_MRZ_TD3 ? "P" : visa ? "V" : "ACI");
    parse_country(m, "issuing state", l1 + 2, m->issuing_state);
    parse_name(m, l1 + 5, w - 5);

    size_t opt_n = m->format == CTW_MRZ_TD3 ? 14 : m->format == CTW_MRZ_TD2 ? 7 : w - 28;
    size_t took = parse_number(m, l2, l2[9], l2 + 28, opt_n, m->format == CTW_MRZ_TD2);
    copy_field(m->optional_data, sizeof m->optional_data, l2 + 28 + took, opt_n - took);
    parse_country(m, "nationality", l2 + 10, m->nationality);
    parse_date(m, "birth date", l2 + 13, true, m->birth_date, m->birth_date_iso);
    check(m, &m->birth_check, "birth date", l2 + 13, 6, l2[19]);
    parse_sex(m, l2[20]);
    parse_date(m, "expiry date", l2 + 21, false, m->expiry_date, m->expiry_date_iso);
    check(m, &m->expiry_check, "expiry date", l2 + 21, 6, l2[27]);
    if (m->format == CTW_MRZ_TD3) check(m, &m->optional_check, "personal number", l2 + 28, 14, l2[42]);
    if (m->format == CTW_MRZ_TD3 || m->format == CTW_MRZ_TD2) {
        const char *p[] = {l2, l2 + 13, l2 + 21};
        const size_t n[] = {10, 7, w - 1 - 21};
        check_slices(m, &m->composite_check, "composite", p, n, 3, l2[w - 1]);
    }
}

int ctw_mrz_parse(const char *text, size_t len, ctw_mrz *out, ctw_error *err)
{
    if (!text || !out) return ctw_error_set(err, CTW_EINVAL, NULL, "no MRZ given");
    if (len > CTW_MRZ_MAX_INPUT)
        return ctw_error_set(err, CTW_EPARSE, "bad_length", "MRZ text of %zu bytes is over %d", len,
                             CTW_MRZ_MAX_INPUT);

    /* Split into lines at '|' or newline; trim trailing spaces and CR. */
    const char *line[3];
    size_t line_n[3];
    size_t nlines = 0;
    size_t i = 0;
    /* The next '|' and the next newline at or after i, found with memchr
     * and kept until passed (len: there is none). */
    size_t next_bar = len, next_nl = len;
    bool bar_known = false, nl_known = false;
    while (i <= len) {
        if (!bar_known || next_bar < i) {
            const char *p = i < len ? memchr(text + i, '|', len - i) : NULL;
            next_bar = p ? (size_t)(p - text) : len;
            bar_known = true;
        }
        if (!nl_known || next_nl < i) {
            const char *p = i < len ? memchr(text + i, '\n', len - i) : NULL;
            next_nl = p ? (size_t)(p - text) : len;
            nl_known = true;
        }
        size_t j = next_bar < next_nl ? next_bar : next_nl;
        size_t n = j - i;
        while (n > 0 && (text[i + n - 1] == ' ' || text[i + n - 1] == '\r' || text[i + n - 1] == '\t')) n--;
        if (n > 0) {
            if (nlines == 3)
                return ctw_error_set(err, CTW_EPARSE, "bad_length", "more than 3 lines: an MRZ has 2 or 3");
            line[nlines] = text + i;
            line_n[nlines++] = n;
        }
        i = j + 1;
    }

    /* Characters first: a stray byte (a UTF-8 letter) is the clearer error. */
    for (size_t k = 0; k < nlines; k++) {
        unsigned seen = 0; /* the values of a line or'ed: BAD sets the top bit */
        for (size_t c = 0; c < line_n[k]; c++) seen |= char_values[(unsigned char)line[k][c]];
        if (!(seen & 0x80)) continue;
        for (size_t c = 0; c < line_n[k]; c++)
            if (char_values[(unsigned char)line[k][c]] == BAD) {
                unsigned char ch = (unsigned char)line[k][c];
                if (ch >= 0x20 && ch < 0x7f)
                    return ctw_error_set(err, CTW_EPARSE, "bad_character",
                                         "line %zu column %zu: '%c' is not allowed (only A-Z, 0-9 and <)",
                                         k + 1, c + 1, ch);
                return ctw_error_set(err, CTW_EPARSE, "bad_character",
                                     "line %zu column %zu: byte 0x%02x is not allowed (only A-Z, 0-9 and <)",
                                     k + 1, c + 1, ch);
            }
    }

    /* One unbroken run: the lines concatenated (90, 72 or 88 characters). */
    if (nlines == 1) {
        size_t n = line_n[0];
        size_t w = n == 90 ? 30 : n == 72 ? 36 : n == 88 ? 44 : 0;
        if (n == 30 || n == 36 || n == 44)
            return ctw_error_set(err, CTW_EPARSE, "bad_length",
                                 "only 1 line of %zu characters: an MRZ has %s lines", n, n == 30 ? "3" : "2");
        if (w == 0)
            return ctw_error_set(err, CTW_EPARSE, "bad_length",
                                 "one line of %zu characters: expected lines of 44, 36 or 30 "
                                 "(or 88, 72, 90 joined)", n);
        const char *s = line[0];
        nlines = n / w;
        for (size_t k = 0; k < nlines; k++) {
            line[k] = s + k * w;
            line_n[k] = w;
        }
    }
    if (nlines < 2)
        return ctw_error_set(err, CTW_EPARSE, "bad_length", "no MRZ text");
    size_t w = line_n[0];
    for (size_t k = 1; k < nlines; k++)
        if (line_n[k] != w)
            return ctw_error_set(err, CTW_EPARSE, "bad_length", "line %zu has %zu characters, line 1 has %zu",
                                 k + 1, line_n[k], w);
    if (!((nlines == 3 && w == 30) || (nlines == 2 && (w == 36 || w == 44))))
        return ctw_error_set(err, CTW_EPARSE, "bad_length",
                             "%zu lines of %zu characters: expected 3 × 30 (TD1), 2 × 36 (TD2, MRV-B) "
                             "or 2 × 44 (TD3, MRV-A)", nlines, w);
    /* From here on nothing fails: fill *out in place (a copy of the whole
     * struct, issues included, cost as much as a tenth of a parse). */
    memset(out, 0, sizeof *out);
    if (nlines == 3)
        parse_td1(out, line[0], line[1], line[2]);
    else
        parse_two_line(out, line[0], line[1], w);
    out->valid = out->n_issues == 0;
    return 0;
}

/* ---- names in MRZ form (9303 Part 3, transliteration) --------------------- */

/* Latin letters that do not lose a mark but change spelling. */
static const struct { UChar32 cp; const char *to; } latin_special[] = {
    {0x00C4, "AE"}, {0x00D6, "OE"}, {0x00DC, "UE"}, {0x00DF, "SS"}, {0x1E9E, "SS"},
    {0x00C5, "AA"}, {0x00C6, "AE"}, {0x00D8, "OE"}, {0x00DE, "TH"}, {0x0152, "OE"},
    {0x0132, "IJ"}, {0x00D0, "D"},  {0x0110, "D"},  {0x0141, "L"},  {0x0126, "H"},
    {0x0131, "I"},  {0x00D1, "N"},  {0x0138, "K"},  {0x014A, "N"},  {0x0166, "T"},
};

/* Cyrillic, 9303 Part 3 table (upper case; lower case is mapped first). */
static const struct { UChar32 cp; const char *to; } cyrillic[] = {
    {0x0410, "A"},  {0x0411, "B"},  {0x0412, "V"},    {0x0413, "G"},  {0x0414, "D"},  {0x0415, "E"},
    {0x0401, "E"},  {0x0416, "ZH"}, {0x0417, "Z"},    {0x0418, "I"},  {0x0419, "I"},  {0x041A, "K"},
    {0x041B, "L"},  {0x041C, "M"},  {0x041D, "N"},    {0x041E, "O"},  {0x041F, "P"},  {0x0420, "R"},
    {0x0421, "S"},  {0x0422, "T"},  {0x0423, "U"},    {0x0424, "F"},  {0x0425, "KH"}, {0x0426, "TS"},
    {0x0427, "CH"}, {0x0428, "SH"}, {0x0429, "SHCH"}, {0x042A, "IE"}, {0x042B, "Y"},  {0x042C, ""},
    {0x042D, "E"},  {0x042E, "IU"}, {0x042F, "IA"},   {0x0402, "D"},  {0x0403, "G"},  {0x0404, "IE"},
    {0x0405, "DZ"}, {0x0406, "I"},  {0x0407, "I"},    {0x0408, "J"},  {0x0409, "LJ"}, {0x040A, "NJ"},
    {0x040B, "C"},  {0x040C, "K"},  {0x040E, "U"},    {0x040F, "DZ"}, {0x0490, "G"},
};

typedef struct sbuf {
    char *p;
    size_t n, cap;
    bool full;
} sbuf;

static void put(sbuf *b, const char *s)
{
    for (; *s; s++) {
        if (b->n + 1 >= b->cap) {
            b->full = true;
            return;
        }
        b->p[b->n++] = *s;
    }
    b->p[b->n] = '\0';
}

/* One separator, never doubled and never leading. */
static void put_sep(sbuf *b)
{
    if (b->n > 0 && b->p[b->n - 1] != '<') put(b, "<");
}

static const char *table_lookup(UChar32 cp, bool cyr)
{
    if (cyr) {
        for (size_t i = 0; i < sizeof cyrillic / sizeof cyrillic[0]; i++)
            if (cyrillic[i].cp == cp) return cyrillic[i].to;
    } else {
        for (size_t i = 0; i < sizeof latin_special / sizeof latin_special[0]; i++)
            if (latin_special[i].cp == cp) return latin_special[i].to;
    }
    return NULL;
}

/* Other scripts: the library's general romanisation, upper-cased. */
static int romanise_fallback(const char *s, size_t len, sbuf *b)
{
    ctw_text_forms f;
    int rc = ctw_text_romanise(s, len, &f);
    if (rc != 0) return rc;
    for (const char *p = f.form[0]; *p; p++) {
        char c = *p;
        if (c >= 'a' && c <= 'z') {
            char t[2] = {(char)(c - 'a' + 'A'), 0};
            put(b, t);
        } else if (c >= '0' && c <= '9') {
            char t[2] = {c, 0};
            put(b, t);
        } else {
            put_sep(b);
        }
    }
    ctw_text_forms_free(&f);
    return 0;
}

/* Transliterate one name part (surname or given names) onto b. */
static int name_part(const char *s, sbuf *b)
{
    size_t len = strlen(s);
    if (len > CTW_MRZ_MAX_INPUT) return CTW_ELIMIT;

    /* Pass 1: valid UTF-8, and which scripts. */
    bool other = false;
    for (int32_t i = 0; i < (int32_t)len;) {
        UChar32 cp;
        U8_NEXT(s, i, (int32_t)len, cp);
        if (cp < 0) return CTW_EINVAL;
        if (!u_isalpha(cp)) continue;
        UErrorCode ec = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(cp, &ec);
        if (U_FAILURE(ec) || (sc != USCRIPT_LATIN && sc != USCRIPT_CYRILLIC && sc != USCRIPT_COMMON &&
                              sc != USCRIPT_INHERITED))
            other = true;
    }
    if (other) return romanise_fallback(s, len, b);

    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&ec);
    if (U_FAILURE(ec)) return CTW_ENOMEM;
    for (int32_t i = 0; i < (int32_t)len;) {
        UChar32 cp;
        U8_NEXT(s, i, (int32_t)len, cp);
        UChar32 up = u_toupper(cp);
        const char *to;
        if ((to = table_lookup(up, true)) != NULL || (to = table_lookup(up, false)) != NULL) {
            put(b, to);
            continue;
        }
        if (cp == 0x00DF) {  /* ß has no single upper case */
            put(b, "SS");
            continue;
        }
        if (up < 0x80) {
            char c = (char)up;
            if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
                char t[2] = {c, 0};
                put(b, t);
            } else if (c == ' ' || c == '-' || c == ',' || c == '.' || c == '<' || c == '_' || c == '/') {
                put_sep(b);
            }
            /* apostrophes and other punctuation: dropped */
            continue;
        }
        if (u_isUWhiteSpace(cp) || u_charType(cp) == U_DASH_PUNCTUATION) {
            put_sep(b);
            continue;
        }
        /* A letter with marks: keep the base letters, drop the marks. */
        UChar src[2], dec[8];
        int32_t sn = 0;
        U16_APPEND_UNSAFE(src, sn, up);
        ec = U_ZERO_ERROR;
        int32_t dn = unorm2_normalize(nfd, src, sn, dec, 8, &ec);
        if (U_FAILURE(ec)) continue;
        for (int32_t k = 0; k < dn; k++) {
            UChar c = dec[k];
            if (c >= 'A' && c <= 'Z') {
                char t[2] = {(char)c, 0};
                put(b, t);
            } else if (c >= 'a' && c <= 'z') {
                char t[2] = {(char)(c - 'a' + 'A'), 0};
                put(b, t);
            }
        }
    }
    return 0;
}

int ctw_mrz_name(const char *surname, const char *given, size_t width, char *out, size_t cap)
{
    if (out && cap > 0) out[0] = '\0';
    if (!surname || !out || width == 0) return CTW_EINVAL;
    if (cap < width + 1) return CTW_ELIMIT;

    char buf[4 * CTW_MRZ_MAX_INPUT + 8];
    sbuf b = {buf, 0, sizeof buf, false};
    buf[0] = '\0';
    int rc = name_part(surname, &b);
    if (rc != 0) return rc;
    while (b.n > 0 && buf[b.n - 1] == '<') buf[--b.n] = '\0';
    if (given && given[0]) {
        size_t mark = b.n;
        put(&b, "<<");
        size_t start = b.n;
        rc = name_part(given, &b);
        if (rc != 0) return rc;
        while (b.n > start && buf[b.n - 1] == '<') buf[--b.n] = '\0';
        if (b.n == start) b.n = mark;  /* no given name letters at all */
        buf[b.n] = '\0';
    }
    size_t n = b.n < width ? b.n : width;
    memcpy(out, buf, n);
    while (n < width) out[n++] = '<';
    out[n] = '\0';
    return 0;
}
