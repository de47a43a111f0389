/* sinhala.c — Sinhala names to Latin letters.
 *
 * ICU 72 has no transliterator for Sinhala: Any-Latin passed the letters
 * through and folding to ASCII left nothing, so "මහින්ද රාජපක්ෂ" could
 * never meet "Mahinda Rajapaksa". Sinhala is written like the other
 * scripts of India: a consonant carries the vowel a unless a vowel sign
 * follows it or the virama (al-lakuna ්) silences it, and a cluster is the
 * first consonant silenced (ප්‍ර pr; the joiner between them is ignored).
 *
 * The letter values are ISO 15919's without diacritics (ā, ī, ū and a, i,
 * u alike; æ as a) and with the digraphs Sri Lankan names are spelled
 * with: the dental t and d aspirated or not as th and d, ś and ṣ as sh, c
 * as ch, the half-nasal letters as ng, nd, mb. Two forms, because names
 * are spelled two ways in Latin letters:
 *   variant 0  ත th, ව w, ශ ෂ sh, aspirates written (bh, dh), the
 *              anusvara before h as ng ("Rajapaksha", "Prabhakaran",
 *              "Wickremesinghe");
 *   variant 1  ත t, ව v, ශ ෂ s, aspirates not written, the anusvara n
 *              ("Rajapaksa", "Gotabaya", "Sinhala").
 *
 * Output is ASCII, lower case; words keep their spaces; characters of no
 * syllable (punctuation, other scripts' letters) separate words. Unit
 * tests (test_text.c) pin both forms of names. */
#include <stdbool.h>
#include <stddef.h>

#include "text/text_int.h"

#define SI_FIRST 0x0D80
#define SI_LAST 0x0DFF

/* Consonants U+0D9A–U+0DC6: [variant]. NULL where no letter is. */
static const char *const SI_CONS[0x0DC7 - 0x0D9A][2] = {
    /* 0D9A */ {"k", "k"},   {"kh", "k"},  {"g", "g"},   {"gh", "g"},  {"ng", "ng"}, {"ng", "ng"},
    /* 0DA0 */ {"ch", "ch"}, {"chh", "ch"}, {"j", "j"},  {"jh", "j"},  {"ny", "ny"}, {"gn", "gn"},
    /* 0DA6 */ {"nj", "nj"}, {"t", "t"},   {"th", "t"},  {"d", "d"},   {"dh", "d"},  {"n", "n"},
    /* 0DAC */ {"nd", "nd"}, {"th", "t"},  {"th", "t"},  {"d", "d"},   {"dh", "d"},  {"n", "n"},
    /* 0DB2 */ {NULL, NULL}, {"nd", "nd"}, {"p", "p"},   {"ph", "p"},  {"b", "b"},   {"bh", "b"},
    /* 0DB8 */ {"m", "m"},   {"mb", "mb"}, {"y", "y"},   {"r", "r"},   {NULL, NULL}, {"l", "l"},
    /* 0DBE */ {NULL, NULL}, {NULL, NULL}, {"w", "v"},   {"sh", "s"},  {"sh", "s"},  {"s", "s"},
    /* 0DC4 */ {"h", "h"},   {"l", "l"},   {"f", "f"},
};

/* Independent vowels U+0D85–U+0D96. */
static const char *const SI_VOWEL[0x0D97 - 0x0D85] = {
    "a", "a", "a", "a", "i", "i", "u", "u", "ru", "ru", "lu", "lu", "e", "e", "ai", "o", "o", "au",
};

/* Vowel signs U+0DCF–U+0DDF, and U+0DF2, U+0DF3. NULL: no sign. */
static const char *vowel_sign(UChar c)
{
    static const char *const sign[0x0DE0 - 0x0DCF] = {
        /* 0DCF */ "a", "a", "a", "i", "i", "u", NULL, "u", NULL, "ru", "e", "e", "ai", "o", "o", "au",
        /* 0DDF */ "lu",
    };
    if (c >= 0x0DCF && c <= 0x0DDF) return sign[c - 0x0DCF];
    if (c == 0x0DF2) return "ru";
    if (c == 0x0DF3) return "lu";
    return NULL;
}

static bool is_consonant(UChar c) { return c >= 0x0D9A && c <= 0x0DC6 && SI_CONS[c - 0x0D9A][0]; }

long ctw__romanise_sinhala(const UChar *u, int32_t n, int variant, char *out, size_t cap)
{
    size_t len = 0;
    if (cap == 0) return -1;
    out[0] = '\0';
    bool gap = false;   /* a word ended: a space before the next letter */
    for (int32_t i = 0; i < n;) {
        UChar c = u[i];
        const char *s = NULL;
        if (c == 0x200C || c == 0x200D) { /* joiners: how a cluster is drawn */
            i++;
            continue;
        }
        if (is_consonant(c)) {
            if (len > 0 && gap && !ctw__text_put(out, cap, &len, " ")) return -1;
            gap = false;
            if (!ctw__text_put(out, cap, &len, SI_CONS[c - 0x0D9A][variant])) return -1;
            i++;
            while (i < n && (u[i] == 0x200C || u[i] == 0x200D)) i++;
            /* the vowel: a sign, silence (virama), or the inherent a */
            const char *v = "a";
            if (i < n && u[i] == 0x0DCA) {
                v = "";
                i++;
            } else if (i < n && (s = vowel_sign(u[i])) != NULL) {
                v = s;
                i++;
                /* a second part of a split vowel sign (NFKC leaves none, but
                 * the sign may be typed in two) */
                while (i < n && vowel_sign(u[i])) i++;
            }
            if (!ctw__text_put(out, cap, &len, v)) return -1;
        } else if (c >= 0x0D85 && c <= 0x0D96) {
            if (len > 0 && gap && !ctw__text_put(out, cap, &len, " ")) return -1;
            gap = false;
            if (!ctw__text_put(out, cap, &len, SI_VOWEL[c - 0x0D85])) return -1;
            i++;
        } else if (c == 0x0D82 || c == 0x0D83) { /* anusvara, visarga: after a letter */
            const char *nasal = variant == 0 && i + 1 < n && u[i + 1] == 0x0DC4 ? "ng" : "n";
            if (len > 0 && !gap && !ctw__text_put(out, cap, &len, c == 0x0D82 ? nasal : "h")) return -1;
            i++;
        } else if (c >= 0x0DE6 && c <= 0x0DEF) { /* Sinhala Lith digits */
            char d[2] = {(char)('0' + (c - 0x0DE6)), 0};
            if (len > 0 && gap && !ctw__text_put(out, cap, &len, " ")) return -1;
            gap = false;
            if (!ctw__text_put(out, cap, &len, d)) return -1;
            i++;
        } else {
            gap = true;   /* a space, punctuation, a sign without its letter */
            i++;
        }
    }
    return (long)len;
}
