/* khmer_lao.c — Khmer and Lao names to Latin letters.
 *
 * ICU 72 has no transliterator for either script: its Any-Latin passes
 * them through, and folding to ASCII left nothing, so "ហ៊ុន សែន" could
 * never meet "Hun Sen". These two romanise them syllable by syllable.
 *
 * Both scripts write a syllable around its first consonant: vowel signs
 * above, below, after and (Lao) before it, a consonant cluster by a
 * subscript (Khmer coeng), and the syllable's closing consonant after the
 * vowel. A syllable here is: an onset (a consonant and its subscripts, or
 * an independent vowel), the vowel signs that follow (or the inherent
 * vowel when none is written), and a final consonant when the next
 * consonant carries no vowel of its own and does not start a cluster.
 * That is the syllabification a romaniser of either script needs; what it
 * cannot know (words written together without a vowel sign, loan words
 * read against their spelling) comes out spelled, not pronounced, and the
 * fuzzy comparison of the screening bridges the rest.
 *
 * Two forms each, because names are written in Latin letters two ways:
 *   variant 0  the UNGEGN / BGN-PCGN systems (Khmer 1972, Lao 1966), as
 *              gazetteers and the UN's lists write them;
 *   variant 1  the French-based spellings people use for their own names
 *              and that passports and sanctions lists carry ("Hun Sen",
 *              "Khieu Samphan"; "Souphanouvong", "Bounnhang", "Kaysone").
 * The letter values are after those systems, as the UNGEGN Working Group
 * on Romanization Systems reports them ("Report on the Current Status of
 * United Nations Romanization Systems for Geographical Names", version
 * 4.0, 2013), without their diacritics (â ô ê become a o e) and without
 * their finer rules; the common spellings were read off the names of
 * well-known people. Tone marks, and signs that change only length or
 * tone, are left out. Unit tests (test_text.c) pin both forms of a
 * dozen names.
 *
 * Output is ASCII, lower case; words keep their spaces; characters of no
 * syllable (punctuation, other scripts' letters) separate words. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "text/text_int.h"

/* ---- Khmer (U+1780–U+17FF) --------------------------------------------- */

/* A consonant: its value as onset and as final, its series. A-series
 * consonants carry the vowel "a" and read the vowel signs one way,
 * O-series ones "o" and the other way. */
typedef struct km_letter_value {
    const char *onset, *final;
    bool o_series;
} km_letter_value;

static const km_letter_value KM_CONS[0x23] = {
    /* 1780 */ {"k", "k", false},   {"kh", "k", false},  {"k", "k", true},    {"kh", "k", true},
    /* 1784 */ {"ng", "ng", true},  {"ch", "ch", false}, {"chh", "ch", false}, {"ch", "ch", true},
    /* 1788 */ {"chh", "ch", true}, {"nh", "nh", true},  {"d", "t", false},   {"th", "t", false},
    /* 178C */ {"d", "t", true},    {"th", "t", true},   {"n", "n", false},   {"t", "t", false},
    /* 1790 */ {"th", "t", false},  {"t", "t", true},    {"th", "t", true},   {"n", "n", true},
    /* 1794 */ {"b", "p", false},   {"ph", "p", false},  {"p", "p", true},    {"ph", "p", true},
    /* 1798 */ {"m", "m", true},    {"y", "y", true},    {"r", "r", true},    {"l", "l", true},
    /* 179C */ {"v", "v", true},    {"s", "s", false},   {"s", "s", false},   {"s", "s", false},
    /* 17A0 */ {"h", "h", false},   {"l", "l", false},   {"", "", false},
};

/* Independent vowels U+17A3–U+17B3: a syllable by themselves. */
static const char *const KM_INDEP[0x11] = {
    "a", "a", "e", "ei", "o", "ou", "ou", "au", "rue", "rueu", "lue", "lueu", "ae", "ai", "ao", "ao", "au",
};

/* Dependent vowels U+17B6–U+17C5: [variant][series A, O]. */
static const char *const KM_VOWEL[0x10][2][2] = {
    /* 17B6 ា */ {{"a", "ea"}, {"a", "ea"}},
    /* 17B7 ិ */ {{"e", "i"}, {"e", "i"}},
    /* 17B8 ី */ {{"ei", "i"}, {"i", "i"}},
    /* 17B9 ឹ */ {{"oe", "ue"}, {"oe", "ue"}},
    /* 17BA ឺ */ {{"eu", "eu"}, {"eu", "eu"}},
    /* 17BB ុ */ {{"o", "u"}, {"o", "u"}},
    /* 17BC ូ */ {{"ou", "u"}, {"ou", "ou"}},
    /* 17BD ួ */ {{"uo", "uo"}, {"uo", "uo"}},
    /* 17BE ើ */ {{"aeu", "eu"}, {"aeu", "eu"}},
    /* 17BF ឿ */ {{"oea", "oea"}, {"oea", "oea"}},
    /* 17C0 ៀ */ {{"ie", "ie"}, {"ie", "ie"}},
    /* 17C1 េ */ {{"e", "e"}, {"e", "e"}},
    /* 17C2 ែ */ {{"ae", "ae"}, {"e", "e"}},
    /* 17C3 ៃ */ {{"ai", "ey"}, {"ai", "ey"}},
    /* 17C4 ោ */ {{"ao", "o"}, {"ao", "o"}},
    /* 17C5 ៅ */ {{"au", "ov"}, {"au", "ov"}},
};

enum {
    KM_NIKAHIT = 0x17C6,     /* ំ  nasal: a final m */
    KM_REAHMUK = 0x17C7,     /* ះ  a final h */
    KM_YUUKALEAPINTU = 0x17C8, /* ៈ  a short a */
    KM_MUUSIKATOAN = 0x17C9, /* ៉  O-series consonant read as A-series */
    KM_TRIISAP = 0x17CA,     /* ៊  A-series consonant read as O-series */
    KM_ROBAT = 0x17CC,       /* ៌  an r */
    KM_TOANDAKHIAT = 0x17CD, /* ៍  the letter under it is silent */
    KM_COENG = 0x17D2,       /* ្  the next consonant is subscript */
};

static bool km_cons(uint32_t c) { return c >= 0x1780 && c <= 0x17A2; }
static bool km_indep(uint32_t c) { return c >= 0x17A3 && c <= 0x17B3; }
static bool km_vowel(uint32_t c) { return c >= 0x17B6 && c <= 0x17C5; }
/* signs that belong to the consonant or vowel before them */
static bool km_sign(uint32_t c) { return c >= 0x17C6 && c <= 0x17D3; }

/* Is the consonant at u[i] the final of the syllable before it: nothing of
 * its own follows (no vowel, sign or subscript), so it starts no syllable. */
static bool km_is_final(const uint32_t *u, size_t n, size_t i)
{
    if (i >= n || !km_cons(u[i])) return false;
    if (i + 1 >= n) return true;
    uint32_t next = u[i + 1];
    if (km_vowel(next)) return false;
    if (next == KM_COENG || next == KM_MUUSIKATOAN || next == KM_TRIISAP || next == KM_NIKAHIT ||
        next == KM_REAHMUK || next == KM_YUUKALEAPINTU)
        return false;
    return true; /* another consonant, a sign of its own (bantoc), or the word's end */
}

static bool km_word(const uint32_t *u, size_t n, int variant, char *out, size_t cap, size_t *len)
{
    bool ok = true;
    for (size_t i = 0; i < n && ok;) {
        uint32_t c = u[i];
        bool o_series = false, vowel_written = false, closed = false;
        if (km_cons(c)) {
            const km_letter_value *k = &KM_CONS[c - 0x1780];
            o_series = k->o_series;
            i++;
            if (c == 0x17A0 && i + 1 < n && u[i] == KM_COENG && km_cons(u[i + 1])) {
                /* ហ over a letter writes a sound Khmer lacks: ហ្គ g, ហ្វ f;
                 * over a nasal or liquid it only moves the tone (ហ្ម m) */
                uint32_t sub = u[i + 1];
                ok = ctw__text_put(out, cap, len, sub == 0x1782 ? "g" : sub == 0x179C ? "f" : KM_CONS[sub - 0x1780].onset);
                i += 2;
            } else {
                ok = ctw__text_put(out, cap, len, k->onset);
            }
            /* the series sign may be typed before the subscripts (វ៉្លា) or after */
            if (i < n && (u[i] == KM_MUUSIKATOAN || u[i] == KM_TRIISAP)) {
                o_series = u[i] == KM_TRIISAP;
                i++;
            }
            /* subscripts: a cluster (ក្រ kr) */
            while (ok && i + 1 < n && u[i] == KM_COENG && km_cons(u[i + 1])) {
                ok = ctw__text_put(out, cap, len, KM_CONS[u[i + 1] - 0x1780].onset);
                i += 2;
            }
            if (i < n && (u[i] == KM_MUUSIKATOAN || u[i] == KM_TRIISAP)) {
                o_series = u[i] == KM_TRIISAP;
                i++;
            }
        } else if (km_indep(c)) {
            ok = ctw__text_put(out, cap, len, KM_INDEP[c - 0x17A3]);
            vowel_written = true;
            i++;
        } else {
            i++; /* a sign without its letter: nothing to read */
            continue;
        }
        int s = o_series ? 1 : 0;
        if (ok && i < n && km_vowel(u[i])) {
            uint32_t v = u[i++];
            if (i < n && u[i] == KM_NIKAHIT) {
                /* ុំ ាំ: the nasal changes the vowel */
                if (v == 0x17BB) ok = ctw__text_put(out, cap, len, s ? "um" : "om");
                else if (v == 0x17B6) ok = ctw__text_put(out, cap, len, s ? "oam" : "am");
                else ok = ctw__text_put(out, cap, len, KM_VOWEL[v - 0x17B6][variant][s]) && ctw__text_put(out, cap, len, "m");
                i++;
                closed = true;
            } else {
                ok = ctw__text_put(out, cap, len, KM_VOWEL[v - 0x17B6][variant][s]);
            }
            vowel_written = true;
        } else if (ok && i < n && u[i] == KM_NIKAHIT) {
            ok = ctw__text_put(out, cap, len, s ? "um" : "am");
            i++;
            vowel_written = closed = true;
        } else if (ok && i < n && (u[i] == KM_REAHMUK || u[i] == KM_YUUKALEAPINTU)) {
            ok = ctw__text_put(out, cap, len, s ? "eah" : "ah");
            i++;
            vowel_written = closed = true;
        } else if (ok && !vowel_written) {
            ok = ctw__text_put(out, cap, len, s ? "o" : "a"); /* the inherent vowel */
        }
        if (ok && i < n && u[i] == KM_REAHMUK) {
            ok = ctw__text_put(out, cap, len, "h");
            i++;
            closed = true;
        }
        /* the nasal before a closing nasal is one sound ("កាំង" kang) */
        if (ok && closed && *len > 0 && out[*len - 1] == 'm' && i < n && (u[i] == 0x1784 || u[i] == 0x1789) &&
            km_is_final(u, n, i)) {
            out[--*len] = '\0';
            closed = false;
        }
        /* the closing consonant, with its own silent or r marks */
        if (ok && !closed && km_is_final(u, n, i)) {
            const km_letter_value *f = &KM_CONS[u[i] - 0x1780];
            bool silent = i + 1 < n && u[i + 1] == KM_TOANDAKHIAT;
            const char *fin = f->final;
            if (u[i] == 0x179C && variant == 1) fin = "u"; /* ខៀវ Khieu */
            if (!silent) ok = ctw__text_put(out, cap, len, fin);
            i++;
        }
        while (ok && i < n && km_sign(u[i])) {
            if (u[i] == KM_ROBAT) ok = ctw__text_put(out, cap, len, "r");
            i++;
        }
    }
    return ok;
}

/* ---- Lao (U+0E80–U+0EFF) ----------------------------------------------- */

/* A consonant: onset in each variant, and its value as final. */
typedef struct lo_letter_value {
    const char *onset[2], *final;
} lo_letter_value;

#define LO_NONE {{NULL, NULL}, NULL}
static const lo_letter_value LO_CONS[0x30] = {
    /* 0E80 */ LO_NONE,                      {{"k", "k"}, "k"},       {{"kh", "kh"}, "k"},     LO_NONE,
    /* 0E84 */ {{"kh", "kh"}, "k"},          LO_NONE,                 {{"kh", "kh"}, "k"},     {{"ng", "ng"}, "ng"},
    /* 0E88 */ {{"ch", "ch"}, "t"},          {{"ch", "ch"}, "t"},     {{"s", "x"}, "t"},       LO_NONE,
    /* 0E8C */ {{"ch", "ch"}, "t"},          {{"ny", "nh"}, "y"},     {{"n", "n"}, "n"},       {{"t", "t"}, "t"},
    /* 0E90 */ {{"th", "th"}, "t"},          {{"th", "th"}, "t"},     {{"th", "th"}, "t"},     {{"n", "n"}, "n"},
    /* 0E94 */ {{"d", "d"}, "t"},            {{"t", "t"}, "t"},       {{"th", "th"}, "t"},     {{"th", "th"}, "t"},
    /* 0E98 */ {{"th", "th"}, "t"},          {{"n", "n"}, "n"},       {{"b", "b"}, "p"},       {{"p", "p"}, "p"},
    /* 0E9C */ {{"ph", "ph"}, "p"},          {{"f", "f"}, "p"},       {{"ph", "ph"}, "p"},     {{"f", "f"}, "p"},
    /* 0EA0 */ {{"ph", "ph"}, "p"},          {{"m", "m"}, "m"},       {{"y", "y"}, "y"},       {{"r", "r"}, "n"},
    /* 0EA4 */ LO_NONE,                      {{"l", "l"}, "n"},       LO_NONE,                 {{"v", "v"}, "o"},
    /* 0EA8 */ {{"s", "s"}, "t"},            {{"s", "s"}, "t"},       {{"s", "s"}, "t"},       {{"h", "h"}, "h"},
    /* 0EAC */ {{"l", "l"}, "n"},            {{"", ""}, ""},          {{"h", "h"}, "h"},       LO_NONE,
};
#undef LO_NONE

enum {
    LO_O_LETTER = 0x0EAD,  /* ອ  a silent carrier at the start, the vowel o after a consonant */
    LO_HO_SUNG = 0x0EAB,   /* ຫ  silent before a sonorant, whose tone it marks */
    LO_WO = 0x0EA7,        /* ວ */
    LO_NYO = 0x0E8D,       /* ຍ */
    LO_SUB_LO = 0x0EBC,    /* ຼ  a subscript l */
    LO_REPEAT = 0x0EC6,    /* ໆ  says the word again: read once here */
    LO_E = 0x0EC0, LO_AE = 0x0EC1, LO_PRE_O = 0x0EC2, LO_AI_1 = 0x0EC3, LO_AI_2 = 0x0EC4,
};

static bool lo_cons(uint32_t c)
{
    if (c == 0x0EDC || c == 0x0EDD) return true; /* ໜ ໝ: hn, hm */
    return c >= 0x0E80 && c < 0x0EB0 && LO_CONS[c - 0x0E80].final;
}
static bool lo_pre(uint32_t c) { return c >= LO_E && c <= LO_AI_2; }
/* a vowel sign after (or above, below) the consonant */
static bool lo_post(uint32_t c) { return (c >= 0x0EB0 && c <= 0x0EBD && c != LO_SUB_LO) || c == 0x0ECD; }
static bool lo_tone(uint32_t c) { return c >= 0x0EC8 && c <= 0x0ECC; }

static const char *lo_onset(uint32_t c, int variant)
{
    if (c == 0x0EDC) return "n";
    if (c == 0x0EDD) return "m";
    return LO_CONS[c - 0x0E80].onset[variant];
}

static const char *lo_final(uint32_t c)
{
    if (c == 0x0EDC) return "n";
    if (c == 0x0EDD) return "m";
    return LO_CONS[c - 0x0E80].final;
}

/* Is u[i] a consonant that closes the syllable before it? It does when no
 * vowel of its own follows it: the word ends, or another syllable starts. */
static bool lo_sonorant(uint32_t c)
{
    return c == 0x0E87 || c == LO_NYO || c == 0x0E99 || c == 0x0EA1 || c == 0x0EA3 || c == 0x0EA5 || c == LO_WO ||
           c == LO_SUB_LO;
}

static bool lo_is_final(const uint32_t *u, size_t n, size_t i)
{
    if (i >= n || !lo_cons(u[i])) return false;
    /* ຫ before a sonorant marks the next syllable's tone ("ສະຫວາດ") */
    if (u[i] == LO_HO_SUNG && i + 1 < n && lo_sonorant(u[i + 1])) return false;
    size_t j = i + 1;
    while (j < n && lo_tone(u[j])) j++;
    if (j >= n) return true;
    if (lo_post(u[j]) || u[j] == LO_SUB_LO) return false;
    /* ອ after it is its vowel ("ສອນ" son), unless the word ends there */
    if (u[j] == LO_O_LETTER) return false;
    /* ວ ຍ after it without a vowel of their own: part of its vowel */
    if ((u[j] == LO_WO || u[j] == LO_NYO) && (j + 1 >= n || !lo_post(u[j + 1]))) return false;
    return true;
}

static bool lo_word(const uint32_t *u, size_t n, int variant, char *out, size_t cap, size_t *len)
{
    bool ok = true;
    for (size_t i = 0; i < n && ok;) {
        uint32_t pre = 0;
        if (lo_pre(u[i])) pre = u[i++];
        if (i < n && u[i] == LO_REPEAT) {
            i++;
            continue;
        }
        if (i >= n || !lo_cons(u[i])) {
            /* a vowel sign without its consonant: read the vowel alone */
            if (pre) ok = ctw__text_put(out, cap, len, pre == LO_AE ? "ae" : pre == LO_PRE_O ? "o" : pre == LO_E ? "e" : "ai");
            else i++;
            continue;
        }
        /* the onset: ຫ before a sonorant only marks its tone */
        uint32_t c = u[i++];
        bool silent_h = c == LO_HO_SUNG && i < n && lo_sonorant(u[i]);
        if (silent_h && u[i] != LO_SUB_LO) c = u[i++];
        /* ຫຼ: ຫ carries the subscript l alone ("ຫຼວງ" luang) */
        if (!(silent_h && u[i] == LO_SUB_LO)) ok = ctw__text_put(out, cap, len, lo_onset(c, variant));
        if (ok && i < n && u[i] == LO_SUB_LO) {
            ok = ctw__text_put(out, cap, len, "l");
            i++;
        }
        /* ວ between the onset and its vowel is a glide ("ຄວາມ" khuam) */
        if (ok && c != LO_WO && i + 1 < n && u[i] == LO_WO && lo_post(u[i + 1])) {
            ok = ctw__text_put(out, cap, len, variant ? "ou" : "u");
            i++;
        }
        while (i < n && lo_tone(u[i])) i++;
        /* the vowel: pre-posed sign, signs after, or ອ/ວ/ຍ as vowel letters */
        uint32_t v1 = 0, v2 = 0;
        if (i < n && lo_post(u[i])) {
            v1 = u[i++];
            while (i < n && lo_tone(u[i])) i++;
            if (i < n && lo_post(u[i])) v2 = u[i++];
        }
        while (i < n && lo_tone(u[i])) i++;
        const char *vowel = NULL;
        bool took_letter = false; /* ອ ວ ຍ read as part of the vowel */
        if (pre == LO_E) {
            if (v1 == 0x0EB2 || (v1 == 0x0EBB && v2 == 0x0EB2)) vowel = "ao";          /* ເ◌າ ເ◌ົາ */
            else if ((v1 == 0x0EB7 || v1 == 0x0EB6) && i < n && u[i] == LO_O_LETTER) {   /* ເ◌ືອ */
                vowel = "uea";
                took_letter = true;
            } else if (v1 == 0 && i < n && u[i] == LO_NYO && !lo_is_final(u, n, i + 1) &&
                       (i + 1 >= n || !lo_post(u[i + 1]))) {
                vowel = "ia"; /* ເ◌ຍ */
                took_letter = true;
            } else if (v1 == 0x0EB4 || v1 == 0x0EB5) vowel = "oe";
            else vowel = "e";
        } else if (pre == LO_AE) vowel = variant ? "e" : "ae";
        else if (pre == LO_PRE_O) vowel = "o";
        else if (pre == LO_AI_1 || pre == LO_AI_2) vowel = variant ? "ay" : "ai";
        else if (v1 == 0x0EBB && i < n && u[i] == LO_WO) {
            vowel = variant ? "oua" : "ua"; /* ◌ົວ */
            took_letter = true;
        } else if (v1) {
            switch (v1) {
            case 0x0EB0: case 0x0EB1: case 0x0EB2: vowel = "a"; break;
            case 0x0EB3: vowel = "am"; break;
            case 0x0EB4: case 0x0EB5: vowel = "i"; break;
            case 0x0EB6: case 0x0EB7: vowel = variant ? "eu" : "ue"; break;
            case 0x0EB8: case 0x0EB9: vowel = variant ? "ou" : "u"; break;
            case 0x0EBB: vowel = "o"; break;
            /* NFKC writes ຳ as ໍ and າ */
            case 0x0ECD: vowel = v2 == 0x0EB2 ? "am" : "o"; break;
            case 0x0EBD: vowel = "ia"; break;
            default: vowel = "";
            }
            /* ◌ັວ ◌ັຍ: the glide closes the vowel */
            if (v1 == 0x0EB1 && i < n && u[i] == LO_WO && lo_is_final(u, n, i)) {
                vowel = variant ? "oua" : "ua";
                took_letter = true;
            }
        } else if (i < n && u[i] == LO_O_LETTER && c != LO_O_LETTER) {
            vowel = "o";           /* ສອນ */
            took_letter = true;
        } else if (i < n && u[i] == LO_WO && i + 1 < n && lo_cons(u[i + 1]) && !lo_post(u[i + 1])) {
            vowel = variant ? "oua" : "ua"; /* ຄວາມ-like: ວ as the vowel between two consonants */
            took_letter = true;
        } else {
            vowel = "o";           /* no vowel written: the short o of a closed syllable */
        }
        ok = ok && ctw__text_put(out, cap, len, vowel);
        if (took_letter) {
            i++;
            while (i < n && lo_tone(u[i])) i++;
        }
        /* the closing consonant; ະ says the syllable is open */
        if (ok && v1 != 0x0EB0 && lo_is_final(u, n, i)) {
            ok = ctw__text_put(out, cap, len, lo_final(u[i]));
            i++;
            while (i < n && lo_tone(u[i])) i++;
        }
    }
    return ok;
}

/* ---- both: words apart ------------------------------------------------- */

typedef bool (*word_fn)(const uint32_t *u, size_t n, int variant, char *out, size_t cap, size_t *len);

/* letters and signs of words; punctuation and digits are not */
static bool km_letter(uint32_t c) { return (c >= 0x1780 && c <= 0x17D3) || c == 0x17DD; }
static bool lo_letter(uint32_t c) { return (c >= 0x0E81 && c <= 0x0ECD) || (c >= 0x0EDC && c <= 0x0EDF); }

/* Romanise u16[0..n) word by word with fn; the script's digits (from
 * digit0) and ASCII letters and digits are kept, everything else parts
 * words. */
static long romanise(const UChar *u16, int32_t n, int variant, char *out, size_t cap, word_fn fn,
                     bool (*is_letter)(uint32_t), uint32_t digit0)
{
    if (cap == 0) return -1;
    size_t len = 0;
    out[0] = '\0';
    uint32_t w[CTW__KHMER_LAO_WORD_MAX];
    size_t nw = 0;
    for (int32_t i = 0; i <= n;) {
        uint32_t c = 0;
        if (i < n) {
            c = u16[i++];
            if (c >= 0xD800 && c <= 0xDBFF && i < n && u16[i] >= 0xDC00 && u16[i] <= 0xDFFF)
                c = 0x10000 + ((c - 0xD800) << 10) + (u16[i++] - 0xDC00);
        } else {
            i++; /* the end: flush the last word */
        }
        bool letter = c != 0 && is_letter(c);
        if (letter && nw < CTW__KHMER_LAO_WORD_MAX) {
            w[nw++] = c;
            continue;
        }
        if (letter) continue; /* a word past the bound: the rest of it is cut */
        if (nw > 0) {
            if (!fn(w, nw, variant, out, cap, &len)) return -1;
            nw = 0;
        }
        char one[2] = {0, 0};
        if (c >= digit0 && c <= digit0 + 9) one[0] = (char)('0' + (c - digit0));
        else if (c < 0x80 && ((c | 0x20) >= 'a' && (c | 0x20) <= 'z')) one[0] = (char)(c | 0x20);
        else if (c < 0x80 && c >= '0' && c <= '9') one[0] = (char)c;
        else if (c != 0) one[0] = ' ';
        if (one[0] && !ctw__text_put(out, cap, &len, one)) return -1;
    }
    return (long)len;
}

long ctw__romanise_khmer(const UChar *u, int32_t n, int variant, char *out, size_t cap)
{
    return romanise(u, n, variant ? 1 : 0, out, cap, km_word, km_letter, 0x17E0);
}

long ctw__romanise_lao(const UChar *u, int32_t n, int variant, char *out, size_t cap)
{
    return romanise(u, n, variant ? 1 : 0, out, cap, lo_word, lo_letter, 0x0ED0);
}
