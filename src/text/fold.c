/* fold.c — normalisation of names before anything compares them.
 *
 *   UTF-8 ─► UTF-16 ─► NFKC ─► case fold ─► NFD ─► drop marks ─► NFC ─► L/N kept,
 *                                                   (by script)          rest → space
 *
 * Pure ASCII (most queries) never reaches ICU: lower case, [a-z0-9] kept,
 * everything else a separator. The ICU path gives the same answer for
 * ASCII input, so the fast path changes speed, not results.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>

#include "ctwatch/text.h"
#include "text/text_int.h"

bool ctw_text_is_ascii(const char *s, size_t len)
{
    /* Eight bytes at a time: the high bit of any byte makes it non-ASCII. */
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        if (w & 0x8080808080808080ull) return false;
    }
    for (; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

/* Apostrophes and the letters that romanisations use as such (ʿ ʾ for
 * ayn and hamza): inside a word they do not separate. */
static bool is_apostrophe(UChar32 c)
{
    return c == 0x27 || c == 0x60 || c == 0x2018 || c == 0x2019 || c == 0x02BC || c == 0x02BB || c == 0x02BE ||
           c == 0x02BF || c == 0x00B4;
}

static UChar32 next_char(const UChar *buf, int32_t i, int32_t n)
{
    UChar32 c;
    U16_NEXT(buf, i, n, c);
    return c;
}

long ctw__text_ascii_clean(const char *in, size_t len, char *out, size_t cap)
{
    size_t o = 0;
    bool gap = false;
    if (cap == 0) return -1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)in[i];
        if (c >= 'A' && c <= 'Z') c = (unsigned char)(c + ('a' - 'A'));
        /* an apostrophe inside a word joins it: "Qa'ida", "O'Brien", "N'Djamena" */
        if ((c == '\'' || c == '`') && o > 0 && i + 1 < len && isalnum((unsigned char)in[i + 1]) && !gap) continue;
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            if (gap && o > 0) {
                if (o + 1 >= cap) goto full;
                out[o++] = ' ';
            }
            gap = false;
            if (o + 1 >= cap) goto full;
            out[o++] = (char)c;
        } else {
            gap = true;
        }
    }
    out[o] = '\0';
    return (long)o;
full:
    out[0] = '\0';
    return -1;
}

/* Marks are dropped after letters of scripts where they are accents or
 * vowel points (é → e, Arabic tashkeel, Hebrew niqqud, Greek tonos), and
 * kept where they are part of the letter or carry the vowel (Cyrillic й,
 * Devanagari and Thai vowel signs, kana voicing marks): dropping those
 * would change the name, not its spelling. */
static bool marks_are_accents(UScriptCode sc)
{
    switch (sc) {
    case USCRIPT_LATIN: case USCRIPT_GREEK: case USCRIPT_ARABIC: case USCRIPT_HEBREW:
    case USCRIPT_SYRIAC: case USCRIPT_ARMENIAN: case USCRIPT_GEORGIAN: case USCRIPT_COMMON:
    case USCRIPT_INHERITED: case USCRIPT_THAANA:
        return true;
    default:
        return false;
    }
}

typedef int32_t (*u16_step)(const void *ctx, const UChar *src, int32_t n, UChar *dst, int32_t cap,
                            UErrorCode *ec);

static int32_t step_norm(const void *ctx, const UChar *src, int32_t n, UChar *dst, int32_t cap, UErrorCode *ec)
{
    return unorm2_normalize((const UNormalizer2 *)ctx, src, n, dst, cap, ec);
}

static int32_t step_fold(const void *ctx, const UChar *src, int32_t n, UChar *dst, int32_t cap, UErrorCode *ec)
{
    (void)ctx;
    return u_strFoldCase(dst, cap, src, n, U_FOLD_CASE_DEFAULT, ec);
}

/* Run one ICU step from *buf into a new buffer, growing it once to the
 * size ICU asks for; *buf is replaced (and the old one freed). */
static int run_step(u16_step fn, const void *ctx, UChar **buf, int32_t *n)
{
    int32_t cap = *n * 3 + 16;
    for (int attempt = 0; attempt < 2; attempt++) {
        UChar *dst = malloc(((size_t)cap + 1) * sizeof(UChar));
        if (!dst) return CTW_ENOMEM;
        UErrorCode ec = U_ZERO_ERROR;
        int32_t got = fn(ctx, *buf, *n, dst, cap, &ec);
        if (ec == U_BUFFER_OVERFLOW_ERROR && attempt == 0) {
            free(dst);
            cap = got;
            continue;
        }
        if (U_FAILURE(ec)) {
            free(dst);
            return CTW_EINVAL;
        }
        dst[got] = 0;
        free(*buf);
        *buf = dst;
        *n = got;
        return 0;
    }
    return CTW_ENOMEM;
}

int ctw__text_fold_u16(const char *in, size_t len, UChar **out, int32_t *out_len)
{
    *out = NULL;
    *out_len = 0;
    if (len > CTW_TEXT_MAX_INPUT) return CTW_ELIMIT;
    UErrorCode ec = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&ec);
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&ec);
    const UNormalizer2 *nfc = unorm2_getNFCInstance(&ec);
    if (U_FAILURE(ec)) return CTW_ENOMEM;

    /* UTF-16 never needs more units than UTF-8 has bytes. */
    UChar *buf = malloc((len + 1) * sizeof(UChar));
    if (!buf) return CTW_ENOMEM;
    int32_t n = 0;
    /* u_strFromUTF8 rejects ill-formed UTF-8 (overlongs, surrogates,
     * truncated sequences) rather than substituting. */
    u_strFromUTF8(buf, (int32_t)len + 1, &n, in, (int32_t)len, &ec);
    if (U_FAILURE(ec)) {
        free(buf);
        return ec == U_INVALID_CHAR_FOUND || ec == U_ILLEGAL_CHAR_FOUND ? CTW_EINVAL : CTW_ENOMEM;
    }
    int rc;
    if ((rc = run_step(step_norm, nfkc, &buf, &n)) != 0 ||
        (rc = run_step(step_fold, NULL, &buf, &n)) != 0 ||
        (rc = run_step(step_norm, nfd, &buf, &n)) != 0)
        goto fail;

    /* Drop accents, keep letters, digits and meaningful marks; everything
     * else separates words. Format characters (ZWNJ, bidi marks, soft
     * hyphen) and the Arabic tatweel only stretch or steer text: they
     * vanish without splitting the word. */
    int32_t o = 0;
    UScriptCode base = USCRIPT_COMMON;
    bool gap = false;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(buf, i, n, c);
        int8_t t = u_charType(c);
        uint32_t m = U_MASK(t);
        if (m & U_GC_M_MASK) {
            if (marks_are_accents(base)) continue;
        } else if (t == U_FORMAT_CHAR || c == 0x0640) {
            continue;
        } else if (is_apostrophe(c) && !gap && o > 0 && i < n && u_isalnum(next_char(buf, i, n))) {
            continue; /* inside a word it joins: "Qa’ida", "O’Brien" */
        } else if (m & (U_GC_L_MASK | U_GC_N_MASK)) {
            UErrorCode se = U_ZERO_ERROR;
            base = uscript_getScript(c, &se);
        } else {
            gap = true;
            base = USCRIPT_COMMON;
            continue;
        }
        if (gap && o > 0) buf[o++] = ' ';
        gap = false;
        U16_APPEND_UNSAFE(buf, o, c);   /* o never passes i: we only drop */
    }
    n = o;
    buf[n] = 0;
    if ((rc = run_step(step_norm, nfc, &buf, &n)) != 0) goto fail;
    *out = buf;
    *out_len = n;
    return 0;
fail:
    free(buf);
    return rc;
}

int ctw_text_fold(const char *in, size_t len, char *out, size_t cap, size_t *out_len)
{
    if (cap > 0) out[0] = '\0';
    if (out_len) *out_len = 0;
    if (len > CTW_TEXT_MAX_INPUT) return CTW_ELIMIT;
    if (cap == 0) return CTW_ELIMIT;
    if (ctw_text_is_ascii(in, len)) {
        long n = ctw__text_ascii_clean(in, len, out, cap);
        if (n < 0) return CTW_ELIMIT;
        if (out_len) *out_len = (size_t)n;
        return 0;
    }
    UChar *u;
    int32_t un;
    int rc = ctw__text_fold_u16(in, len, &u, &un);
    if (rc != 0) return rc;
    UErrorCode ec = U_ZERO_ERROR;
    int32_t n8 = 0;
    u_strToUTF8(out, (int32_t)(cap > INT32_MAX ? INT32_MAX : cap), &n8, u, un, &ec);
    free(u);
    if (U_FAILURE(ec) || ec == U_STRING_NOT_TERMINATED_WARNING || (size_t)n8 >= cap) {
        out[0] = '\0';
        return CTW_ELIMIT;
    }
    if (out_len) *out_len = (size_t)n8;
    return 0;
}
