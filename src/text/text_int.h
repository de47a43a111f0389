/* text_int.h — private to src/text/: shared between the files of the
 * text module, never included from outside it. */
#ifndef CTWATCH_TEXT_INT_H
#define CTWATCH_TEXT_INT_H

#include <stddef.h>
#include <stdint.h>

/* Code points of a string, on the stack for short names (the hot case of
 * screening), on the heap beyond CTW__TEXT_CP_STACK. */
#define CTW__TEXT_CP_STACK 64

typedef struct ctw__text_cps {
    uint32_t *v;                         /* points at buf or at heap memory */
    size_t n;
    uint32_t buf[CTW__TEXT_CP_STACK];
} ctw__text_cps;

/* Decode NUL-terminated s into cps. Invalid UTF-8 bytes count as one code
 * point each (their byte value + 0xDC00, so they never equal a real
 * character), as the header promises. At most `limit` code points are
 * decoded; *truncated tells whether more were present.
 * Returns 0 or CTW_ENOMEM. Release with ctw__text_cps_free(). */
int ctw__text_cps_decode(const char *s, size_t limit, ctw__text_cps *cps, int *truncated);
void ctw__text_cps_free(ctw__text_cps *cps);

/* Decode one code point of s[i..len) (NUL-terminated not required);
 * advances *i. Invalid bytes: one byte, value 0xDC00 + byte. */
uint32_t ctw__text_next_cp(const unsigned char *s, size_t len, size_t *i);

/* The ASCII clean-up shared by fold and romanise: lower case, [a-z0-9]
 * kept, every other byte a separator, runs collapsed, trimmed. Writes at
 * most cap-1 bytes plus NUL; returns the length, or -1 if out is too
 * small. */
long ctw__text_ascii_clean(const char *in, size_t len, char *out, size_t cap);

#include <stdbool.h>
#include <string.h>
#include <unicode/utypes.h>

/* Fold len bytes of UTF-8 (any script) into a malloc'd UTF-16 string:
 * the steps of ctw_text_fold() without the UTF-8 re-encoding, for
 * romanise, which transliterates UTF-16. *out is NUL-terminated, freed by
 * the caller with free(). Returns 0, CTW_EINVAL, CTW_ELIMIT, CTW_ENOMEM. */
int ctw__text_fold_u16(const char *in, size_t len, UChar **out, int32_t *out_len);

/* Append s to out[*n] within cap (room for the NUL kept); false when
 * full. For the romanisers that write into a caller's buffer. */
static inline bool ctw__text_put(char *out, size_t cap, size_t *n, const char *s)
{
    size_t k = strlen(s);
    if (*n + k + 1 > cap) return false;
    memcpy(out + *n, s, k);
    *n += k;
    out[*n] = '\0';
    return true;
}

/* ---- khmer_lao.c: the two scripts ICU cannot romanise ------------------ */

#define CTW__KHMER_LAO_WORD_MAX 64    /* code points of a word read; the rest is cut */

/* u[0..n) (folded) in Latin letters, variant 0 the UNGEGN/BGN system,
 * variant 1 the common French-based spellings: ASCII into out[cap]
 * (NUL-terminated). Returns the length, or -1 if out is too small. */
long ctw__romanise_khmer(const UChar *u, int32_t n, int variant, char *out, size_t cap);
long ctw__romanise_lao(const UChar *u, int32_t n, int variant, char *out, size_t cap);

/* ---- myanmar.c: Burmese names as they are spelled ---------------------- */

/* u[0..n) (folded) in Latin letters, variant 0 the common spellings one
 * word per syllable, variant 1 the other letters with each written word's
 * syllables joined: ASCII into out[cap] (NUL-terminated). Returns the
 * length, or -1 if out is too small (CTW__MYANMAR_OUT_PER_UNIT bytes per
 * UTF-16 unit of u, and a NUL, always suffice). */
#define CTW__MYANMAR_OUT_PER_UNIT 12
long ctw__romanise_myanmar(const UChar *u, int32_t n, int variant, char *out, size_t cap);

/* ---- sinhala.c: the script ICU cannot romanise ---------------------------- */

/* u[0..n) (folded) in Latin letters, variant 0 with th, w, sh, variant 1
 * with t, v, s: ASCII into out[cap] (NUL-terminated). Returns the length,
 * or -1 if out is too small (CTW__SINHALA_OUT_PER_UNIT bytes per UTF-16
 * unit of u, and a NUL, always suffice). */
#define CTW__SINHALA_OUT_PER_UNIT 4
long ctw__romanise_sinhala(const UChar *u, int32_t n, int variant, char *out, size_t cap);

/* ---- kana.c: foreign names written in katakana ------------------------- */

/* The loanword reading of u[0..n) (folded katakana or hiragana), variant 0
 * with r, variant 1 with l for ラ行, variant 2 with r and ジ チ as di ti:
 * ASCII into out[cap] (NUL-terminated).
 * Returns the length, or -1 if out is too small (CTW__KANA_OUT_PER_UNIT
 * bytes per UTF-16 unit of u, and a NUL, always suffice). At most
 * CTW__KANA_MAX_SYLLABLES syllables are read; the rest is cut. */
#define CTW__KANA_OUT_PER_UNIT 5
#define CTW__KANA_MAX_SYLLABLES 256
long ctw__romanise_kana_loanword(const UChar *u, int32_t n, int variant, char *out, size_t cap);

/* ---- word_memo.c: ICU's transliteration of single words, remembered ---- */

#define CTW__WORD_MEMO_KEY_MAX 32     /* UTF-16 units of a word kept */
#define CTW__WORD_MEMO_VALUE_MAX 96   /* bytes of its result kept */

/* Is the memo on for the calling thread (ctw_text_word_memo_set)? */
bool ctw__text_word_memo_on(void);
/* Look up word w[0..n) as transliterated by transliterator `which`: its
 * UTF-8 result (NUL-terminated) into out[cap]; returns its length, or -1
 * when the memo does not have it (or it does not fit in cap). */
int ctw__text_word_memo_get(int which, const UChar *w, int32_t n, char *out, size_t cap);
/* Remember v[0..vlen) as the result of w[0..n) through `which`. Words and
 * results beyond the limits above are not kept. */
void ctw__text_word_memo_put(int which, const UChar *w, int32_t n, const char *v, size_t vlen);

#endif
