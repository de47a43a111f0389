/* myanmar.c — Burmese names to Latin letters, as they are spelled.
 *
 * ICU's Myanmar-Latin writes every letter and sign ("မင်းအောင်လှိုင်" →
 * "mainnaaunglhaine"), while the name is spelled "Min Aung Hlaing" on his
 * passport and on every sanctions list. Burmese names are made of
 * syllables, each a word in Latin letters, and the spellings are
 * conventional rather than a system: this reads each syllable as those
 * spellings do (the MLC Transcription System's letter values, without its
 * tone letters, and the vowels of the names of well-known people: Aung
 * San Suu Kyi, Ne Win, Than Shwe, Thein Sein, Khin Nyunt, Myint Swe).
 *
 * A syllable is written around its first consonant (or an independent
 * vowel): medials after it (ျ ြ -y-, ွ -w-, ှ h-), the vowel signs, and a
 * closing consonant that carries the asat ( ် ) or the stacker (္). Its
 * reading is the onset with its medials, then the vowel and the closing
 * consonant read together (ောင် aung, ိုင် aing, ိန် ein, ွန် un). Tone
 * marks are left out, but the creaky tone ( ့ ) on a nasal is the t of
 * "Thant", "Myint", "Nyunt".
 *
 * Two forms, because such names reach a list two ways:
 *   variant 0  the common spellings, one word per syllable: "min aung
 *              hlaing", "htun", "ne win", "myint";
 *   variant 1  the other letters people use (ထ t, ဆ hs, ဖ hp, ရ r, ေ ay,
 *              ဦ oo, no creaky t) with the syllables of each written word
 *              joined, as foreign names written in Burmese are spelled
 *              ("ဗလာဒီမီယာ" → "balardimiya" for Vladimir).
 *
 * Not read: the voicing of a consonant inside a compound (ဗိုလ်ချုပ် is
 * "bo chok" here, "Bogyoke" as spelled), and which of a word's spellings
 * a person chose; the fuzzy comparison of screening bridges some of it.
 *
 * Output is ASCII, lower case; characters of no syllable (punctuation,
 * other scripts' letters) separate words. Unit tests (test_text.c) pin
 * both forms of a dozen names. */
#include <stdio.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "text/text_int.h"

static bool is_consonant(UChar c) { return c >= 0x1000 && c <= 0x1021; }
static bool is_independent_vowel(UChar c) { return (c >= 0x1023 && c <= 0x102A && c != 0x1028) || c == 0x103F; }

/* Onsets U+1000–U+1021: [variant]. */
static const char *const MY_ONSET[0x22][2] = {
    /* 1000 */ {"k", "k"},   {"kh", "kh"}, {"g", "g"},   {"g", "g"},   {"ng", "ng"}, {"s", "s"},
    /* 1006 */ {"s", "hs"},  {"z", "z"},   {"z", "z"},   {"ny", "ny"}, {"ny", "ny"}, {"t", "t"},
    /* 100C */ {"ht", "t"},  {"d", "d"},   {"d", "d"},   {"n", "n"},   {"t", "t"},   {"ht", "t"},
    /* 1012 */ {"d", "d"},   {"d", "d"},   {"n", "n"},   {"p", "p"},   {"ph", "hp"}, {"b", "b"},
    /* 1018 */ {"b", "b"},   {"m", "m"},   {"y", "y"},   {"y", "r"},   {"l", "l"},   {"w", "w"},
    /* 101E */ {"th", "th"}, {"h", "h"},   {"l", "l"},   {"", ""},
};

/* The closing consonant's class: how it reads after the vowel. */
enum { F_NONE, F_K, F_NG, F_C, F_NY, F_NYA, F_T, F_N, F_P, F_M, F_Y, F_OTHER };

static int final_class(UChar c)
{
    switch (c) {
    case 0x1000: case 0x1001: case 0x1002: case 0x1003: return F_K;
    case 0x1004: return F_NG;
    case 0x1005: case 0x1006: case 0x1007: case 0x1008: return F_C;
    case 0x100A: return F_NY;
    case 0x1009: return F_NYA;
    case 0x100B: case 0x100C: case 0x100D: case 0x100E: case 0x1010: case 0x1011: case 0x1012: case 0x1013:
        return F_T;
    case 0x100F: case 0x1014: return F_N;
    case 0x1015: case 0x1016: case 0x1017: case 0x1018: return F_P;
    case 0x1019: return F_M;
    case 0x101A: return F_Y;
    default: return F_OTHER;
    }
}

/* The vowel of a syllable, from its signs. */
enum { V_A, V_AA, V_I, V_U, V_E, V_AI, V_AW, V_O, V_COUNT };

/* [vowel][final] for variant 0; variant 1 differs only where MY_RHYME_1
 * says so. NULL: the vowel, then nothing for the final. */
static const char *const MY_RHYME[V_COUNT][F_OTHER + 1] = {
    /*          none   K      NG      C     NY    NYA   T      N      P      M      Y     OTHER */
    [V_A] =  {"a",   "et",  "in",   "it", "i",  "in", "at",  "an",  "at",  "an",  "e",  "a"},
    [V_AA] = {"a",   "et",  "in",   "it", "i",  "in", "at",  "an",  "at",  "an",  "e",  "a"},
    [V_I] =  {"i",   "eik", "in",   "it", "i",  "in", "eik", "ein", "eik", "ein", "i",  "i"},
    [V_U] =  {"u",   "ok",  "ong",  "ok", "u",  "un", "ok",  "on",  "ok",  "on",  "u",  "u"},
    [V_E] =  {"e",   "et",  "in",   "it", "e",  "in", "et",  "en",  "et",  "en",  "e",  "e"},
    [V_AI] = {"e",   "et",  "in",   "it", "e",  "in", "et",  "en",  "et",  "en",  "e",  "e"},
    [V_AW] = {"aw",  "auk", "aung", "aw", "aw", "aw", "aw",  "aw",  "aw",  "aw",  "aw", "aw"},
    [V_O] =  {"o",   "aik", "aing", "o",  "o",  "o",  "o",   "o",   "o",   "o",   "o",  "o"},
};

/* Variant 1's other vowels: ေ ay, ဲ ae, ို oe, ည် e, ုတ် ote. */
static const char *rhyme(int v, int f, int variant)
{
    if (variant == 1) {
        if (v == V_E && f == F_NONE) return "ay";
        if (v == V_AI && f == F_NONE) return "ae";
        if (v == V_O && f == F_NONE) return "oe";
        if (v == V_A && f == F_NY) return "e";
        if (v == V_U && (f == F_T || f == F_P)) return "ote";
    }
    return MY_RHYME[v][f];
}

static bool nasal_final(int f) { return f == F_NG || f == F_N || f == F_M || f == F_NYA; }

/* Read the syllable at u[*i] (an onset) into out; *i moves past it. */
static bool syllable(const UChar *u, int32_t n, int32_t *i, int variant, char *out, size_t cap, size_t *len)
{
    UChar c = u[(*i)++];
    char onset[8] = "";
    int v = V_A;
    bool independent = !is_consonant(c);
    if (c == 0x103F) {
        snprintf(onset, sizeof onset, "th");   /* ဿ, the great sa */
        independent = false;
    } else if (independent) {
        switch (c) {
        case 0x1023: case 0x1024: v = V_I; break;   /* ဣ ဤ */
        case 0x1025: v = V_U; break;                /* ဥ */
        case 0x1026: v = V_U; break;                /* ဦ */
        case 0x1027: v = V_E; break;                /* ဧ */
        default: v = V_AW; break;                   /* ဩ ဪ */
        }
    } else {
        snprintf(onset, sizeof onset, "%s", MY_ONSET[c - 0x1000][variant]);
    }
    /* medials */
    bool my = false, mw = false, mh = false;
    for (; *i < n && u[*i] >= 0x103B && u[*i] <= 0x103E; (*i)++) {
        if (u[*i] == 0x103D) mw = true;
        else if (u[*i] == 0x103E) mh = true;
        else my = true;
    }
    if (my) {
        if (c == 0x1001 || c == 0x1006) snprintf(onset, sizeof onset, "ch");       /* ချ */
        else if (c == 0x1002 && variant == 1) snprintf(onset, sizeof onset, "j");  /* ဂျ */
        else {
            size_t ol = strlen(onset);
            (void)ctw__text_put(onset, sizeof onset, &ol, "y");
        }
    }
    if (mh) {
        if (c == 0x101B || c == 0x101A) snprintf(onset, sizeof onset, "sh");       /* ရှ ယှ */
        else if (strlen(onset) < 5) {
            char h[sizeof onset];
            snprintf(h, sizeof h, "h%.5s", onset);
            memcpy(onset, h, sizeof onset);
        }
    }
    /* vowel signs and tone marks */
    bool e = false, aa = false, i_ = false, uu = false, ai = false, anusvara = false, creaky = false;
    for (; *i < n; (*i)++) {
        UChar s = u[*i];
        if (s == 0x1031) e = true;
        else if (s == 0x102B || s == 0x102C) aa = true;
        else if (s == 0x102D || s == 0x102E) i_ = true;
        else if (s == 0x102F || s == 0x1030) uu = true;
        else if (s == 0x1032) ai = true;
        else if (s == 0x1036) anusvara = true;
        else if (s == 0x1037) creaky = true;
        else if (s == 0x1038 || s == 0x103A) continue;   /* visarga; the asat of ော် */
        else break;
    }
    if (!independent) {
        if (e && aa) v = V_AW;
        else if (i_ && uu) v = V_O;
        else if (e) v = V_E;
        else if (ai) v = V_AI;
        else if (i_) v = V_I;
        else if (uu) v = V_U;
        else if (aa) v = V_AA;
    }
    /* the closing consonant: asat after it (tone marks around), or the stacker */
    int f = anusvara ? F_M : F_NONE;
    if (*i < n && is_consonant(u[*i])) {
        int32_t j = *i + 1;
        bool closes = false, stacked = false;
        while (j < n && (u[j] == 0x1037 || u[j] == 0x1038 || u[j] == 0x103A || u[j] == 0x1039)) {
            if (u[j] == 0x103A) closes = true;
            if (u[j] == 0x1039) stacked = true;
            if (u[j] == 0x1037) creaky = true;
            j++;
            if (stacked) break;   /* the next consonant opens the next syllable */
        }
        if (closes || stacked) {
            f = final_class(u[*i]);
            *i = j;
            while (*i < n && (u[*i] == 0x1037 || u[*i] == 0x1038)) {
                if (u[*i] == 0x1037) creaky = true;
                (*i)++;
            }
        }
    }
    const char *r;
    if (mw && (f == F_N || f == F_M || f == F_T || f == F_P) && (v == V_A || v == V_AA)) {
        r = f == F_N || f == F_M ? "un" : "ut";   /* ွန် ွတ်: Htun, Nyunt */
    } else {
        if (mw) {
            size_t ol = strlen(onset);
            (void)ctw__text_put(onset, sizeof onset, &ol, "w");
        }
        r = c == 0x1021 && v == V_E && f == F_NONE ? (variant == 1 ? "ay" : "aye") : rhyme(v, f, variant);
        if (c == 0x1026 && variant == 1) r = "oo";   /* ဦ: U, Oo */
    }
    if (!ctw__text_put(out, cap, len, onset) || !ctw__text_put(out, cap, len, r)) return false;
    if (variant == 0 && creaky && (nasal_final(f) || anusvara)) return ctw__text_put(out, cap, len, "t");
    return true;
}

long ctw__romanise_myanmar(const UChar *u, int32_t n, int variant, char *out, size_t cap)
{
    size_t len = 0;
    if (cap == 0) return -1;
    out[0] = '\0';
    bool gap = false;   /* a word ended: a space before the next syllable */
    int32_t i = 0;
    while (i < n) {
        UChar c = u[i];
        if (is_consonant(c) || is_independent_vowel(c)) {
            if (len > 0 && (gap || variant == 0) && !ctw__text_put(out, cap, &len, " ")) return -1;
            gap = false;
            if (!syllable(u, n, &i, variant, out, cap, &len)) return -1;
        } else if (c >= 0x1040 && c <= 0x1049) {
            char d[2] = {(char)('0' + (c - 0x1040)), 0};
            if (len > 0 && gap && !ctw__text_put(out, cap, &len, " ")) return -1;
            gap = false;
            if (!ctw__text_put(out, cap, &len, d)) return -1;
            i++;
        } else {
            gap = true;   /* a space, punctuation, a sign of no syllable */
            i++;
        }
    }
    return (long)len;
}
