/* phonetic.c — phonetic codes of name words: Double Metaphone (Philips,
 * as Apache commons-codec encodes it), American Soundex, original
 * Metaphone, NYSIIS and the Match Rating Approach (as jellyfish encodes
 * them). The vectors in tests/data/text/ fix the exact behaviour, quirks
 * included (Metaphone's "AE" start, NYSIIS without truncation, ...).
 *
 * Every encoder works on an upper-cased array of code points. Names reach
 * here already romanised (ASCII), so the ICU path for other input exists
 * for completeness and for the jellyfish vectors with accents.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "ctwatch/text.h"
#include "text/text_int.h"

/* Phonetic codes look at a handful of characters around each position;
 * words longer than this are cut (no name word is). */
#define PH_MAX 256

typedef struct ph_word {
    uint32_t v[PH_MAX + 1];
    size_t n;
} ph_word;

/* Upper-case s into w; with nfkd, also decompose (so "Ç" becomes "C" plus
 * a combining cedilla, which the encoders then ignore as jellyfish does). */
static void ph_load(const char *s, ph_word *w, bool nfkd)
{
    size_t len = strlen(s), i = 0;
    bool ascii = true;
    w->n = 0;
    for (size_t k = 0; k < len; k++)
        if ((unsigned char)s[k] >= 0x80) { ascii = false; break; }
    if (ascii) {
        for (; i < len && w->n < PH_MAX; i++) w->v[w->n++] = (uint32_t)toupper((unsigned char)s[i]);
        return;
    }
    UChar u[PH_MAX * 2 + 2], up[PH_MAX * 2 + 2], nf[PH_MAX * 4 + 4];
    int32_t nu = 0;
    while (i < len && nu < PH_MAX * 2) {
        uint32_t cp = ctw__text_next_cp((const unsigned char *)s, len, &i);
        if (cp >= 0xDC80 && cp <= 0xDCFF) continue;  /* an invalid byte: not a letter */
        U16_APPEND_UNSAFE(u, nu, (UChar32)cp);
    }
    UErrorCode ec = U_ZERO_ERROR;
    int32_t nup = u_strToUpper(up, (int32_t)(sizeof up / sizeof up[0]), u, nu, "", &ec);
    if (U_FAILURE(ec) || ec == U_STRING_NOT_TERMINATED_WARNING) {
        nup = nu < (int32_t)(sizeof up / sizeof up[0]) ? nu : 0;
        memcpy(up, u, (size_t)nup * sizeof(UChar));
    }
    const UChar *src = up;
    int32_t nsrc = nup;
    if (nfkd) {
        ec = U_ZERO_ERROR;
        const UNormalizer2 *n2 = unorm2_getNFKDInstance(&ec);
        int32_t nn = U_SUCCESS(ec) ? unorm2_normalize(n2, up, nup, nf, (int32_t)(sizeof nf / sizeof nf[0]), &ec) : 0;
        if (U_SUCCESS(ec)) { src = nf; nsrc = nn; }
    }
    for (int32_t k = 0; k < nsrc && w->n < PH_MAX;) {
        UChar32 c;
        U16_NEXT(src, k, nsrc, c);
        w->v[w->n++] = (uint32_t)c;
    }
}

/* True if v starts with the ASCII string p (caller checked the length). */
static bool ph_prefix(const uint32_t *v, const char *p)
{
    for (; *p; p++, v++)
        if (*v != (unsigned char)*p) return false;
    return true;
}

/* Code points to UTF-8 into out (cap bytes, always NUL-terminated). */
static void put_utf8(const uint32_t *v, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    if (cap == 0) return;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = v[i];
        char b[4];
        size_t k;
        if (c < 0x80) { b[0] = (char)c; k = 1; }
        else if (c < 0x800) { b[0] = (char)(0xC0 | (c >> 6)); b[1] = (char)(0x80 | (c & 0x3F)); k = 2; }
        else if (c < 0x10000) {
            b[0] = (char)(0xE0 | (c >> 12)); b[1] = (char)(0x80 | ((c >> 6) & 0x3F));
            b[2] = (char)(0x80 | (c & 0x3F)); k = 3;
        } else {
            b[0] = (char)(0xF0 | (c >> 18)); b[1] = (char)(0x80 | ((c >> 12) & 0x3F));
            b[2] = (char)(0x80 | ((c >> 6) & 0x3F)); b[3] = (char)(0x80 | (c & 0x3F)); k = 4;
        }
        if (o + k >= cap) break;   /* never a partial character */
        memcpy(out + o, b, k);
        o += k;
    }
    out[o] = '\0';
}

/* ---- Double Metaphone ------------------------------------------------- */

typedef struct dm_state {
    const uint32_t *v;
    size_t n;
    char p[17], a[17];
    size_t np, na, max;
    bool slavo;
} dm_state;

static uint32_t at(const dm_state *s, long i)
{
    return i < 0 || (size_t)i >= s->n ? 0 : s->v[i];
}

/* True if the len characters at start equal one of the NULL-terminated
 * candidates (all of length len). */
static bool has(const dm_state *s, long start, size_t len, const char *const *cands)
{
    if (start < 0 || (size_t)start + len > s->n) return false;
    for (; *cands; cands++) {
        size_t k = 0;
        while (k < len && s->v[start + (long)k] == (unsigned char)(*cands)[k]) k++;
        if (k == len) return true;
    }
    return false;
}
#define HAS(st, start, len, ...) has((st), (start), (len), (const char *const[]){__VA_ARGS__, NULL})

static bool dm_vowel(uint32_t c)
{
    return c && strchr("AEIOUY", (int)c) && c < 0x80;
}

static void add_p(dm_state *s, const char *x)
{
    for (; *x && s->np < s->max; x++) s->p[s->np++] = *x;
}
static void add_a(dm_state *s, const char *x)
{
    for (; *x && s->na < s->max; x++) s->a[s->na++] = *x;
}
static void add2(dm_state *s, const char *p, const char *a)
{
    add_p(s, p);
    add_a(s, a);
}
static void add(dm_state *s, const char *x)
{
    add2(s, x, x);
}

static long dm_c(dm_state *s, long i)
{
    /* Germanic "ach" (but not "bacher"/"macher" exceptions) is a K. */
    bool c0 = HAS(s, i, 4, "CHIA");
    if (!c0 && i > 1 && !dm_vowel(at(s, i - 2)) && HAS(s, i - 1, 3, "ACH")) {
        uint32_t c = at(s, i + 2);
        c0 = (c != 'I' && c != 'E') || HAS(s, i - 2, 6, "BACHER", "MACHER");
    }
    if (c0) { add(s, "K"); return i + 2; }
    if (i == 0 && HAS(s, i, 6, "CAESAR")) { add(s, "S"); return i + 2; }
    if (HAS(s, i, 2, "CH")) {
        if (i > 0 && HAS(s, i, 4, "CHAE")) { add2(s, "K", "X"); return i + 2; }
        if (i == 0 && (HAS(s, i + 1, 5, "HARAC", "HARIS") || HAS(s, i + 1, 3, "HOR", "HYM", "HIA", "HEM")) &&
            !HAS(s, 0, 5, "CHORE")) {
            add(s, "K");
            return i + 2;
        }
        if (HAS(s, 0, 4, "VAN ", "VON ") || HAS(s, 0, 3, "SCH") ||
            HAS(s, i - 2, 6, "ORCHES", "ARCHIT", "ORCHID") || HAS(s, i + 2, 1, "T", "S") ||
            ((HAS(s, i - 1, 1, "A", "O", "U", "E") || i == 0) &&
             (HAS(s, i + 2, 1, "L", "R", "N", "M", "B", "H", "F", "V", "W", " ") || (size_t)i + 1 == s->n - 1))) {
            add(s, "K");
            return i + 2;
        }
        if (i > 0) {
            if (HAS(s, 0, 2, "MC")) add(s, "K"); else add2(s, "X", "K");
        } else {
            add(s, "X");
        }
        return i + 2;
    }
    if (HAS(s, i, 2, "CZ") && !HAS(s, i - 2, 4, "WICZ")) { add2(s, "S", "X"); return i + 2; }
    if (HAS(s, i + 1, 3, "CIA")) { add(s, "X"); return i + 3; }
    if (HAS(s, i, 2, "CC") && !(i == 1 && at(s, 0) == 'M')) {
        if (HAS(s, i + 2, 1, "I", "E", "H") && !HAS(s, i + 2, 2, "HU")) {
            if ((i == 1 && at(s, i - 1) == 'A') || HAS(s, i - 1, 5, "UCCEE", "UCCES")) add(s, "KS");
            else add(s, "X");
            return i + 3;
        }
        add(s, "K");
        return i + 2;
    }
    if (HAS(s, i, 2, "CK", "CG", "CQ")) { add(s, "K"); return i + 2; }
    if (HAS(s, i, 2, "CI", "CE", "CY")) {
        if (HAS(s, i, 3, "CIO", "CIE", "CIA")) add2(s, "S", "X"); else add(s, "S");
        return i + 2;
    }
    add(s, "K");
    if (HAS(s, i + 1, 2, " C", " Q", " G")) return i + 3;
    if (HAS(s, i + 1, 1, "C", "K", "Q") && !HAS(s, i + 1, 2, "CE", "CI")) return i + 2;
    return i + 1;
}

static long dm_g(dm_state *s, long i)
{
    uint32_t nx = at(s, i + 1);
    if (nx == 'H') {
        if (i > 0 && !dm_vowel(at(s, i - 1))) { add(s, "K"); return i + 2; }
        if (i == 0) { add(s, at(s, i + 2) == 'I' ? "J" : "K"); return i + 2; }
        /* Parker's rule: "hugh", "bough" — a silent gh. */
        if ((i > 1 && HAS(s, i - 2, 1, "B", "H", "D")) || (i > 2 && HAS(s, i - 3, 1, "B", "H", "D")) ||
            (i > 3 && HAS(s, i - 4, 1, "B", "H")))
            return i + 2;
        if (i > 2 && at(s, i - 1) == 'U' && HAS(s, i - 3, 1, "C", "G", "L", "R", "T")) add(s, "F");
        else if (i > 0 && at(s, i - 1) != 'I') add(s, "K");
        return i + 2;
    }
    if (nx == 'N') {
        if (i == 1 && dm_vowel(at(s, 0)) && !s->slavo) add2(s, "KN", "N");
        else if (!HAS(s, i + 2, 2, "EY") && at(s, i + 1) != 'Y' && !s->slavo) add2(s, "N", "KN");
        else add(s, "KN");
        return i + 2;
    }
    if (HAS(s, i + 1, 2, "LI") && !s->slavo) { add2(s, "KL", "L"); return i + 2; }
    if (i == 0 && (nx == 'Y' || HAS(s, i + 1, 2, "ES", "EP", "EB", "EL", "EY", "IB", "IL", "IN", "IE", "EI", "ER"))) {
        add2(s, "K", "J");
        return i + 2;
    }
    if ((HAS(s, i + 1, 2, "ER") || nx == 'Y') && !HAS(s, 0, 6, "DANGER", "RANGER", "MANGER") &&
        !HAS(s, i - 1, 1, "E", "I") && !HAS(s, i - 1, 3, "RGY", "OGY")) {
        add2(s, "K", "J");
        return i + 2;
    }
    if (HAS(s, i + 1, 1, "E", "I", "Y") || HAS(s, i - 1, 4, "AGGI", "OGGI")) {
        if (HAS(s, 0, 4, "VAN ", "VON ") || HAS(s, 0, 3, "SCH") || HAS(s, i + 1, 2, "ET")) add(s, "K");
        else if (HAS(s, i + 1, 3, "IER")) add(s, "J");
        else add2(s, "J", "K");
        return i + 2;
    }
    add(s, "K");
    return nx == 'G' ? i + 2 : i + 1;
}

static long dm_j(dm_state *s, long i)
{
    if (HAS(s, i, 4, "JOSE") || HAS(s, 0, 4, "SAN ")) {
        if ((i == 0 && at(s, i + 4) == ' ') || s->n == 4 || HAS(s, 0, 4, "SAN ")) add(s, "H");
        else add2(s, "J", "H");
        return i + 1;
    }
    if (i == 0 && !HAS(s, i, 4, "JOSE")) add2(s, "J", "A");
    else if (dm_vowel(at(s, i - 1)) && !s->slavo && (at(s, i + 1) == 'A' || at(s, i + 1) == 'O')) add2(s, "J", "H");
    else if ((size_t)i == s->n - 1) add2(s, "J", " ");
    else if (!HAS(s, i + 1, 1, "L", "T", "K", "S", "N", "M", "B", "Z") && !HAS(s, i - 1, 1, "S", "K", "L")) add(s, "J");
    return at(s, i + 1) == 'J' ? i + 2 : i + 1;
}

static long dm_s(dm_state *s, long i)
{
    if (HAS(s, i - 1, 3, "ISL", "YSL")) return i + 1;
    if (i == 0 && HAS(s, i, 5, "SUGAR")) { add2(s, "X", "S"); return i + 1; }
    if (HAS(s, i, 2, "SH")) {
        add(s, HAS(s, i + 1, 4, "HEIM", "HOEK", "HOLM", "HOLZ") ? "S" : "X");
        return i + 2;
    }
    if (HAS(s, i, 3, "SIO", "SIA") || HAS(s, i, 4, "SIAN")) {
        if (s->slavo) add(s, "S"); else add2(s, "S", "X");
        return i + 3;
    }
    if ((i == 0 && HAS(s, i + 1, 1, "M", "N", "L", "W")) || HAS(s, i + 1, 1, "Z")) {
        add2(s, "S", "X");
        return HAS(s, i + 1, 1, "Z") ? i + 2 : i + 1;
    }
    if (HAS(s, i, 2, "SC")) {
        if (at(s, i + 2) == 'H') {
            if (HAS(s, i + 3, 2, "OO", "ER", "EN", "UY", "ED", "EM")) {
                if (HAS(s, i + 3, 2, "ER", "EN")) add2(s, "X", "SK"); else add(s, "SK");
            } else if (i == 0 && !dm_vowel(at(s, 3)) && at(s, 3) != 'W') {
                add2(s, "X", "S");
            } else {
                add(s, "X");
            }
        } else if (HAS(s, i + 2, 1, "I", "E", "Y")) {
            add(s, "S");
        } else {
            add(s, "SK");
        }
        return i + 3;
    }
    if ((size_t)i == s->n - 1 && HAS(s, i - 2, 2, "AI", "OI")) add_a(s, "S");
    else add(s, "S");
    return HAS(s, i + 1, 1, "S", "Z") ? i + 2 : i + 1;
}

static long dm_t(dm_state *s, long i)
{
    if (HAS(s, i, 4, "TION") || HAS(s, i, 3, "TIA", "TCH")) { add(s, "X"); return i + 3; }
    if (HAS(s, i, 2, "TH") || HAS(s, i, 3, "TTH")) {
        if (HAS(s, i + 2, 2, "OM", "AM") || HAS(s, 0, 4, "VAN ", "VON ") || HAS(s, 0, 3, "SCH")) add(s, "T");
        else add2(s, "0", "T");
        return i + 2;
    }
    add(s, "T");
    return HAS(s, i + 1, 1, "T", "D") ? i + 2 : i + 1;
}

static long dm_w(dm_state *s, long i)
{
    if (HAS(s, i, 2, "WR")) { add(s, "R"); return i + 2; }
    if (i == 0 && (dm_vowel(at(s, i + 1)) || HAS(s, i, 2, "WH"))) {
        if (dm_vowel(at(s, i + 1))) add2(s, "A", "F"); else add(s, "A");
        return i + 1;
    }
    if (((size_t)i == s->n - 1 && dm_vowel(at(s, i - 1))) ||
        HAS(s, i - 1, 5, "EWSKI", "EWSKY", "OWSKI", "OWSKY") || HAS(s, 0, 3, "SCH")) {
        add_a(s, "F");
        return i + 1;
    }
    if (HAS(s, i, 4, "WICZ", "WITZ")) { add2(s, "TS", "FX"); return i + 4; }
    return i + 1;
}

void ctw_double_metaphone(const char *str, size_t maxlen, char *primary, char *alternate)
{
    ph_word *w = malloc(sizeof *w);
    dm_state st = { .max = maxlen > 16 ? 16 : maxlen };
    primary[0] = alternate[0] = '\0';
    if (!w) return;   /* no memory: empty codes, which match nothing */
    ph_load(str, w, false);
    /* Java's String.trim(): strip code points up to ' ' at both ends. */
    size_t b = 0, e = w->n;
    while (b < e && w->v[b] <= ' ') b++;
    while (e > b && w->v[e - 1] <= ' ') e--;
    st.v = w->v + b;
    st.n = e - b;
    if (st.n == 0 || st.max == 0) goto out;

    for (size_t k = 0; k < st.n; k++) {
        if (st.v[k] == 'W' || st.v[k] == 'K') st.slavo = true;
        if (k + 1 < st.n && st.v[k] == 'C' && st.v[k + 1] == 'Z') st.slavo = true;
    }
    long i = (HAS(&st, 0, 2, "GN", "KN", "PN", "WR", "PS")) ? 1 : 0;
    while (!(st.np >= st.max && st.na >= st.max) && (size_t)i < st.n) {
        uint32_t c = st.v[i];
        switch (c) {
        case 'A': case 'E': case 'I': case 'O': case 'U': case 'Y':
            if (i == 0) add(&st, "A");
            i++;
            break;
        case 'B': add(&st, "P"); i = at(&st, i + 1) == 'B' ? i + 2 : i + 1; break;
        case 0xC7: add(&st, "S"); i++; break;   /* Ç */
        case 'C': i = dm_c(&st, i); break;
        case 'D':
            if (HAS(&st, i, 2, "DG")) {
                if (HAS(&st, i + 2, 1, "I", "E", "Y")) { add(&st, "J"); i += 3; }
                else { add(&st, "TK"); i += 2; }
            } else if (HAS(&st, i, 2, "DT", "DD")) { add(&st, "T"); i += 2; }
            else { add(&st, "T"); i++; }
            break;
        case 'F': add(&st, "F"); i = at(&st, i + 1) == 'F' ? i + 2 : i + 1; break;
        case 'G': i = dm_g(&st, i); break;
        case 'H':
            if ((i == 0 || dm_vowel(at(&st, i - 1))) && dm_vowel(at(&st, i + 1))) { add(&st, "H"); i += 2; }
            else i++;
            break;
        case 'J': i = dm_j(&st, i); break;
        case 'K': add(&st, "K"); i = at(&st, i + 1) == 'K' ? i + 2 : i + 1; break;
        case 'L':
            if (at(&st, i + 1) == 'L') {
                /* Spanish "-illo", "-illa", "-alle": the ll is a y sound. */
                bool l0 = ((size_t)i == st.n - 3 && HAS(&st, i - 1, 4, "ILLO", "ILLA", "ALLE")) ||
                          ((HAS(&st, (long)st.n - 2, 2, "AS", "OS") || HAS(&st, (long)st.n - 1, 1, "A", "O")) &&
                           HAS(&st, i - 1, 4, "ALLE"));
                if (l0) add_p(&st, "L"); else add(&st, "L");
                i += 2;
            } else { add(&st, "L"); i++; }
            break;
        case 'M':
            add(&st, "M");
            if (at(&st, i + 1) == 'M' ||
                (HAS(&st, i - 1, 3, "UMB") && ((size_t)i + 1 == st.n - 1 || HAS(&st, i + 2, 2, "ER"))))
                i += 2;
            else
                i++;
            break;
        case 'N': add(&st, "N"); i = at(&st, i + 1) == 'N' ? i + 2 : i + 1; break;
        case 0xD1: add(&st, "N"); i++; break;   /* Ñ */
        case 'P':
            if (at(&st, i + 1) == 'H') { add(&st, "F"); i += 2; }
            else { add(&st, "P"); i = HAS(&st, i + 1, 1, "P", "B") ? i + 2 : i + 1; }
            break;
        case 'Q': add(&st, "K"); i = at(&st, i + 1) == 'Q' ? i + 2 : i + 1; break;
        case 'R':
            /* French final "-ier" is silent in the primary code. */
            if ((size_t)i == st.n - 1 && !st.slavo && HAS(&st, i - 2, 2, "IE") && !HAS(&st, i - 4, 2, "ME", "MA"))
                add_a(&st, "R");
            else
                add(&st, "R");
            i = at(&st, i + 1) == 'R' ? i + 2 : i + 1;
            break;
        case 'S': i = dm_s(&st, i); break;
        case 'T': i = dm_t(&st, i); break;
        case 'V': add(&st, "F"); i = at(&st, i + 1) == 'V' ? i + 2 : i + 1; break;
        case 'W': i = dm_w(&st, i); break;
        case 'X':
            if (i == 0) { add(&st, "S"); i++; break; }
            if (!((size_t)i == st.n - 1 && (HAS(&st, i - 3, 3, "IAU", "EAU") || HAS(&st, i - 2, 2, "AU", "OU"))))
                add(&st, "KS");
            i = HAS(&st, i + 1, 1, "C", "X") ? i + 2 : i + 1;
            break;
        case 'Z':
            if (at(&st, i + 1) == 'H') { add(&st, "J"); i += 2; break; }
            if (HAS(&st, i + 1, 2, "ZO", "ZI", "ZA") || (st.slavo && i > 0 && at(&st, i - 1) != 'T'))
                add2(&st, "S", "TS");
            else
                add(&st, "S");
            i = at(&st, i + 1) == 'Z' ? i + 2 : i + 1;
            break;
        default: i++; break;
        }
    }
out:
    memcpy(primary, st.p, st.np);
    primary[st.np] = '\0';
    memcpy(alternate, st.a, st.na);
    alternate[st.na] = '\0';
    free(w);
}

/* ---- Soundex ------------------------------------------------------------ */

static char sdx_digit(uint32_t c)
{
    switch (c) {
    case 'B': case 'F': case 'P': case 'V': return '1';
    case 'C': case 'G': case 'J': case 'K': case 'Q': case 'S': case 'X': case 'Z': return '2';
    case 'D': case 'T': return '3';
    case 'L': return '4';
    case 'M': case 'N': return '5';
    case 'R': return '6';
    default: return 0;
    }
}

/* UTF-8 of code point c into out; returns the bytes written (1..4). */
static size_t utf8_put(uint32_t c, char *out)
{
    if (c < 0x80) { out[0] = (char)c; return 1; }
    if (c < 0x800) { out[0] = (char)(0xC0 | (c >> 6)); out[1] = (char)(0x80 | (c & 0x3F)); return 2; }
    if (c < 0x10000) {
        out[0] = (char)(0xE0 | (c >> 12));
        out[1] = (char)(0x80 | ((c >> 6) & 0x3F));
        out[2] = (char)(0x80 | (c & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (c >> 18));
    out[1] = (char)(0x80 | ((c >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((c >> 6) & 0x3F));
    out[3] = (char)(0x80 | (c & 0x3F));
    return 4;
}

void ctw_soundex(const char *s, char out[8])
{
    ph_word w;
    out[0] = '\0';
    ph_load(s, &w, true);
    if (w.n == 0) return;
    /* The code starts with the first character, as jellyfish does, even
     * one that is not ASCII after decomposition ("¿" → "¿000"). */
    size_t n = utf8_put(w.v[0] > 0x10FFFF ? 0xFFFD : w.v[0], out);
    size_t digits = 0;
    char last = sdx_digit(w.v[0]);
    for (size_t i = 1; i < w.n && digits < 3; i++) {
        char d = sdx_digit(w.v[i]);
        if (d) {
            if (d != last) {
                out[n++] = d;
                digits++;
            }
            last = d;
        } else if (w.v[i] != 'H' && w.v[i] != 'W') {
            last = 0;   /* a vowel separates two equal codes; H and W do not */
        }
    }
    while (digits < 3) {
        out[n++] = '0';
        digits++;
    }
    out[n] = '\0';
}

/* ---- Metaphone (original) --------------------------------------------- */

static bool mp_vowel(uint32_t c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}
static bool mp_iey(uint32_t c)
{
    return c == 'I' || c == 'E' || c == 'Y';
}

void ctw_metaphone(const char *s, char *out, size_t cap)
{
    ph_word w;
    char r[PH_MAX * 3 + 1];
    size_t n = 0;
    if (cap) out[0] = '\0';
    ph_load(s, &w, true);
    const uint32_t *v = w.v;
    size_t len = w.n;
    if (len >= 2 && ((v[0] == 'K' && v[1] == 'N') || (v[0] == 'G' && v[1] == 'N') || (v[0] == 'P' && v[1] == 'N') ||
                     (v[0] == 'W' && v[1] == 'R') || (v[0] == 'A' && v[1] == 'E'))) {
        v++;
        len--;
    }
    for (size_t i = 0; i < len; i++) {
        uint32_t c = v[i];
        uint32_t nx = i + 1 < len ? v[i + 1] : '*';
        uint32_t nn = i + 2 < len ? v[i + 2] : '*';
        uint32_t pv = i > 0 ? v[i - 1] : 0;
        if (c == nx && c != 'C') continue;   /* doubles count once, except CC */
        switch (c) {
        case 'A': case 'E': case 'I': case 'O': case 'U':
            if (i == 0 || pv == ' ') r[n++] = (char)c;
            break;
        case 'B':
            if (i == 0 || pv != 'M' || nx != '*') r[n++] = 'B';   /* final "mb" is silent */
            break;
        case 'C':
            if ((nx == 'I' && nn == 'A') || nx == 'H') { i++; r[n++] = 'X'; }
            else if (mp_iey(nx)) { i++; r[n++] = 'S'; }
            else r[n++] = 'K';
            break;
        case 'D':
            if (nx == 'G' && mp_iey(nn)) { i += 2; r[n++] = 'J'; }
            else r[n++] = 'T';
            break;
        case 'F': case 'J': case 'L': case 'M': case 'N': case 'R':
            r[n++] = (char)c;
            break;
        case 'G':
            if (mp_iey(nx)) r[n++] = 'J';
            else if ((nx == 'H' && nn != '*' && !mp_vowel(nn)) || (nx == 'N' && nn == '*')) i++;
            else r[n++] = 'K';
            break;
        case 'H':
            if (i == 0 || mp_vowel(nx) || !mp_vowel(pv)) r[n++] = 'H';
            break;
        case 'K':
            if (i == 0 || pv != 'C') r[n++] = 'K';
            break;
        case 'P':
            if (nx == 'H') { i++; r[n++] = 'F'; } else r[n++] = 'P';
            break;
        case 'Q': r[n++] = 'K'; break;
        case 'S':
            if (nx == 'H') { i++; r[n++] = 'X'; }
            else if (nx == 'I' && (nn == 'O' || nn == 'A')) { i += 2; r[n++] = 'X'; }
            else r[n++] = 'S';
            break;
        case 'T':
            if (nx == 'I' && (nn == 'O' || nn == 'A')) r[n++] = 'X';
            else if (nx == 'H') { i++; r[n++] = '0'; }
            else if (nx != 'C' || nn != 'H') r[n++] = 'T';
            break;
        case 'V': r[n++] = 'F'; break;
        case 'W':
            if (i == 0 && nx == 'H') { i++; r[n++] = 'W'; }
            else if (mp_vowel(nx)) r[n++] = 'W';
            break;
        case 'X':
            if (i == 0) {
                r[n++] = (nx == 'H' || (nx == 'I' && (nn == 'O' || nn == 'A'))) ? 'X' : 'S';
            } else {
                r[n++] = 'K';
                r[n++] = 'S';
            }
            break;
        case 'Y':
            if (mp_vowel(nx)) r[n++] = 'Y';
            break;
        case 'Z': r[n++] = 'S'; break;
        case ' ':
            if (n > 0 && r[n - 1] != ' ') r[n++] = ' ';
            break;
        default: break;
        }
    }
    if (cap == 0) return;
    if (n >= cap) n = cap - 1;
    memcpy(out, r, n);
    out[n] = '\0';
}

/* ---- NYSIIS --------------------------------------------------------------- */

static bool ny_vowel(uint32_t c)
{
    return c == 'A' || c == 'E' || c == 'I' || c == 'O' || c == 'U';
}

void ctw_nysiis(const char *s, char *out, size_t cap)
{
    ph_word w;
    uint32_t v[PH_MAX + 2], key[PH_MAX * 2 + 4];
    size_t n, k = 0;
    if (cap) out[0] = '\0';
    ph_load(s, &w, false);
    if (w.n == 0) return;
    memcpy(v, w.v, w.n * sizeof v[0]);
    n = w.n;
    const uint32_t *o = w.v;   /* the prefix and suffix tests look at the original */
    size_t on = w.n;
#define STARTS(str) (on >= strlen(str) && ph_prefix(o, str))
#define ENDS(str) (on >= strlen(str) && ph_prefix(o + on - strlen(str), str))
    if (STARTS("MAC")) {
        v[1] = 'C';
    } else if (STARTS("KN")) {
        memmove(v, v + 1, (n - 1) * sizeof v[0]);
        n--;
    } else if (STARTS("K")) {
        v[0] = 'C';
    } else if (STARTS("PH") || STARTS("PF")) {
        v[0] = v[1] = 'F';
    } else if (STARTS("SCH")) {
        v[1] = v[2] = 'S';
    }
    if (ENDS("IE") || ENDS("EE")) {
        n = n >= 2 ? n - 2 : 0;
        v[n++] = 'Y';
    } else if (ENDS("DT") || ENDS("RT") || ENDS("RD") || ENDS("NT") || ENDS("ND")) {
        n = n >= 2 ? n - 2 : 0;
        v[n++] = 'D';
    }
#undef STARTS
#undef ENDS
    if (n == 0) return;
    key[k++] = v[0];
    for (size_t i = 1; i < n; i++) {
        uint32_t c[2];
        size_t nc = 1;
        c[0] = v[i];
        if (v[i] == 'E' && i + 1 < n && v[i + 1] == 'V') {
            i++;
            c[0] = 'A'; c[1] = 'F'; nc = 2;
        } else if (ny_vowel(v[i])) {
            c[0] = 'A';
        } else if (v[i] == 'Q') {
            c[0] = 'G';
        } else if (v[i] == 'Z') {
            c[0] = 'S';
        } else if (v[i] == 'M') {
            c[0] = 'N';
        } else if (v[i] == 'K') {
            c[0] = (i + 1 < n && v[i + 1] == 'N') ? 'N' : 'C';
        } else if (v[i] == 'S' && i + 2 < n && v[i + 1] == 'C' && v[i + 2] == 'H') {
            i += 2;
            c[0] = c[1] = 'S'; nc = 2;
        } else if (v[i] == 'P' && i + 1 < n && v[i + 1] == 'H') {
            i++;
            c[0] = 'F';
        } else if (v[i] == 'H' && (!ny_vowel(v[i - 1]) || (i + 1 < n && !ny_vowel(v[i + 1])) || i + 1 == n)) {
            c[0] = ny_vowel(v[i - 1]) ? 'A' : v[i - 1];
        } else if (v[i] == 'W' && ny_vowel(v[i - 1])) {
            c[0] = v[i - 1];
        }
        if (c[nc - 1] != key[k - 1])
            for (size_t j = 0; j < nc; j++) key[k++] = c[j];
    }
    if (k > 1 && key[k - 1] == 'S') k--;
    if (k >= 2 && key[k - 2] == 'A' && key[k - 1] == 'Y') { key[k - 2] = 'Y'; k--; }
    if (k > 1 && key[k - 1] == 'A') k--;
    put_utf8(key, k, out, cap);
}

/* ---- Match Rating Approach ------------------------------------------------- */

static size_t mra_codex(const char *s, uint32_t *c /* [PH_MAX] */)
{
    ph_word w;
    size_t n = 0;
    ph_load(s, &w, false);
    uint32_t prev = 0;
    bool first = true;
    for (size_t i = 0; i < w.n; i++) {
        uint32_t ch = w.v[i];
        if (ch == ' ') continue;   /* spaces are ignored altogether */
        if (first || (!mp_vowel(ch) && ch != prev)) c[n++] = ch;
        prev = ch;
        first = false;
    }
    if (n > 6) {   /* the first three and the last three */
        memmove(c + 3, c + n - 3, 3 * sizeof c[0]);
        n = 6;
    }
    return n;
}

void ctw_match_rating_codex(const char *s, char *out, size_t cap)
{
    uint32_t c[PH_MAX];
    size_t n = mra_codex(s, c);
    put_utf8(c, n, out, cap);
}

int ctw_match_rating_compare(const char *a, const char *b)
{
    uint32_t c1[PH_MAX], c2[PH_MAX], r1[PH_MAX], r2[PH_MAX];
    size_t n1 = mra_codex(a, c1), n2 = mra_codex(b, c2);
    size_t d = n1 > n2 ? n1 - n2 : n2 - n1;
    if (d >= 3) return -1;
    size_t sum = n1 + n2, m1 = 0, m2 = 0;
    /* Drop characters that agree position by position from the left... */
    for (size_t i = 0; i < n1 || i < n2; i++) {
        if (i < n1 && i < n2 && c1[i] == c2[i]) continue;
        if (i < n1) r1[m1++] = c1[i];
        if (i < n2) r2[m2++] = c2[i];
    }
    /* ...then count what still disagrees from the right. */
    size_t u1 = 0, u2 = 0;
    for (size_t i = 0; i < m1 || i < m2; i++) {
        bool h1 = i < m1, h2 = i < m2;
        if (h1 && h2 && r1[m1 - 1 - i] == r2[m2 - 1 - i]) continue;
        if (h1) u1++;
        if (h2) u2++;
    }
    int score = 6 - (int)(u1 > u2 ? u1 : u2);
    int need = sum <= 4 ? 5 : sum <= 7 ? 4 : sum <= 11 ? 3 : 2;
    return score >= need ? 1 : 0;
}
