/* kana.c — foreign names written in katakana, read back.
 *
 * Japanese writes a foreign name by sound in katakana, and since a
 * Japanese syllable ends in a vowel (or n), every consonant of the name
 * gets one: "Bakr" is バクル (ba-ku-ru), "Baghdadi" バグダディ, "Trump"
 * トランプ (to-ra-n-pu); r and l are both ラ行. ICU's Hepburn reading is
 * right for Japanese words and far from such names ("abu bakuru
 * bagudadi"). This reads the loanword back, as Japanese transcribes
 * foreign words (the Cabinet notice on writing loanwords, 1991):
 *   - the u after k g s z t d f b p m n r and the o after t d are the
 *     transcription's where a consonant follows or the word ends, and
 *     are dropped (バクル "bakr", ドナルド "donard", トランプ "tramp"; see
 *     epenthetic() for where they are kept);
 *   - ン before b p m is m; ッ doubles the next consonant; ー is dropped;
 *   - a small vowel makes one syllable with the kana before it (ファ fa,
 *     ウィ wi, ティ ti, シェ she), a small ya yu yo too (キャ kya).
 * variant 0 reads ラ行 as r, variant 1 as l ("bin ladin", "donald");
 * variant 2 as r, with ジ and チ read di and ti, as older transcriptions
 * of foreign names write them before ディ and ティ came into use
 * (ウラジーミル・プーチン "uradimir putin": Vladimir Putin).
 *
 * romanise.c asks this of names in katakana only: hiragana writes
 * Japanese words, not foreign ones (read as katakana if given). Output is ASCII, lower case; the middle
 * dot and other characters of no syllable separate words. */
#include <stdbool.h>
#include <stddef.h>
#include <string.h>

#include "text/text_int.h"

/* Katakana U+30A1–U+30F4: consonant and vowel (vowel "" for small
 * kana and ン; "-" marks a letter that is not a syllable: ッ). */
typedef struct kana_value {
    const char *cons, *vowel;
    bool small;
} kana_value;

static const kana_value KANA[0x30F5 - 0x30A1] = {
    /* 30A1 ァ */ {"", "a", true},  {"", "a", false},   {"", "i", true},    {"", "i", false},
    /* 30A5 ゥ */ {"", "u", true},  {"", "u", false},   {"", "e", true},    {"", "e", false},
    /* 30A9 ォ */ {"", "o", true},  {"", "o", false},   {"k", "a", false},  {"g", "a", false},
    /* 30AD キ */ {"k", "i", false}, {"g", "i", false}, {"k", "u", false},  {"g", "u", false},
    /* 30B1 ケ */ {"k", "e", false}, {"g", "e", false}, {"k", "o", false},  {"g", "o", false},
    /* 30B5 サ */ {"s", "a", false}, {"z", "a", false}, {"sh", "i", false}, {"j", "i", false},
    /* 30B9 ス */ {"s", "u", false}, {"z", "u", false}, {"s", "e", false},  {"z", "e", false},
    /* 30BD ソ */ {"s", "o", false}, {"z", "o", false}, {"t", "a", false},  {"d", "a", false},
    /* 30C1 チ */ {"ch", "i", false}, {"j", "i", false}, {"-", "", true},   {"ts", "u", false},
    /* 30C5 ヅ */ {"z", "u", false}, {"t", "e", false}, {"d", "e", false},  {"t", "o", false},
    /* 30C9 ド */ {"d", "o", false}, {"n", "a", false}, {"n", "i", false},  {"n", "u", false},
    /* 30CD ネ */ {"n", "e", false}, {"n", "o", false}, {"h", "a", false},  {"b", "a", false},
    /* 30D1 パ */ {"p", "a", false}, {"h", "i", false}, {"b", "i", false},  {"p", "i", false},
    /* 30D5 フ */ {"f", "u", false}, {"b", "u", false}, {"p", "u", false},  {"h", "e", false},
    /* 30D9 ベ */ {"b", "e", false}, {"p", "e", false}, {"h", "o", false},  {"b", "o", false},
    /* 30DD ポ */ {"p", "o", false}, {"m", "a", false}, {"m", "i", false},  {"m", "u", false},
    /* 30E1 メ */ {"m", "e", false}, {"m", "o", false}, {"y", "a", true},   {"y", "a", false},
    /* 30E5 ュ */ {"y", "u", true}, {"y", "u", false},  {"y", "o", true},   {"y", "o", false},
    /* 30E9 ラ */ {"r", "a", false}, {"r", "i", false}, {"r", "u", false},  {"r", "e", false},
    /* 30ED ロ */ {"r", "o", false}, {"w", "a", true},  {"w", "a", false},  {"w", "i", false},
    /* 30F1 ヱ */ {"w", "e", false}, {"", "o", false},  {"n", "", false},   {"v", "u", false},
};

/* One syllable: its consonant and vowel, after the small kana joined. */
typedef struct syl {
    char cons[4];
    const char *vowel;
    bool doubled;   /* after ッ */
    bool moraic_n;  /* ン */
    bool long_vowel; /* before ー: a vowel of the name */
    bool word_start, word_end;
} syl;

static UChar katakana(UChar c) { return c >= 0x3041 && c <= 0x3096 ? (UChar)(c + 0x60) : c; }
static bool is_kana(UChar c) { return c >= 0x30A1 && c <= 0x30F4; }

/* Would the u or o of s be the transcription's, before next? At the end
 * of a word (バクル bakr, ドナルド donald), and before a consonant inside
 * one (バグダディ bagdadi); opening a word only before r (トランプ trump,
 * グレゴリー gregory) and, for su, before t p k m n (スターリン stalin),
 * the clusters names open with. Not before ン (スンニ "sunni"), not when
 * ー lengthens it (プーチン "putin"). */
static bool epenthetic(const syl *prev, const syl *s, const syl *next)
{
    if (s->moraic_n || s->long_vowel || !s->cons[0] || strcmp(s->cons, "y") == 0 || strcmp(s->cons, "w") == 0 ||
        strcmp(s->cons, "h") == 0 || strcmp(s->cons, "ts") == 0 || strcmp(s->cons, "ch") == 0 ||
        strcmp(s->cons, "j") == 0 || strcmp(s->cons, "sh") == 0)
        return false;
    bool t_d = strcmp(s->cons, "t") == 0 || strcmp(s->cons, "d") == 0;
    bool u = strcmp(s->vowel, "u") == 0, o = strcmp(s->vowel, "o") == 0 && t_d;
    if (!u && !o) return false;
    /* a word's last syllable after a lone vowel keeps it: アブ Abu */
    if (s->word_end) return !s->word_start && !(prev && prev->word_start && !prev->cons[0] && !prev->moraic_n);
    if (!next || !next->cons[0] || next->moraic_n) return false;
    if (!s->word_start && u) return true;
    if (next->cons[0] == 'r') return true;
    return u && strcmp(s->cons, "s") == 0 && strchr("tpkmn", next->cons[0]);
}

long ctw__romanise_kana_loanword(const UChar *u, int32_t n, int variant, char *out, size_t cap)
{
    syl syls[CTW__KANA_MAX_SYLLABLES];
    size_t ns = 0;
    bool pending_double = false;
    size_t len = 0;
    if (cap == 0) return -1;
    out[0] = '\0';
    for (int32_t i = 0; i < n && ns < CTW__KANA_MAX_SYLLABLES; i++) {
        UChar c = katakana(u[i]);
        if (c == 0x30FC) {   /* ー: a long vowel, written once in the name */
            if (ns > 0) syls[ns - 1].long_vowel = true;
            continue;
        }
        if (!is_kana(c)) {
            if (ns > 0) syls[ns - 1].word_end = true;
            pending_double = false;
            continue;
        }
        const kana_value *k = &KANA[c - 0x30A1];
        if (k->cons[0] == '-') {   /* ッ */
            pending_double = true;
            continue;
        }
        if (k->small && ns > 0 && !syls[ns - 1].word_end && !syls[ns - 1].moraic_n) {
            syl *p = &syls[ns - 1];
            if (k->cons[0] == 'y') {   /* キャ kya, シャ sha, チョ cho */
                size_t cl = strlen(p->cons);
                if (strcmp(p->cons, "sh") != 0 && strcmp(p->cons, "ch") != 0 && strcmp(p->cons, "j") != 0)
                    (void)ctw__text_put(p->cons, sizeof p->cons, &cl, "y");
                p->vowel = k->vowel;
            } else {                    /* ファ fa, ウィ wi, ティ ti */
                if (!p->cons[0] && strcmp(p->vowel, "u") == 0) memcpy(p->cons, "w", 2);
                p->vowel = k->vowel;
            }
            continue;
        }
        syl *s = &syls[ns++];
        memset(s->cons, 0, sizeof s->cons);
        memcpy(s->cons, k->cons, strlen(k->cons));   /* at most "ch" */
        s->vowel = k->vowel;
        s->moraic_n = c == 0x30F3;
        s->doubled = pending_double;
        s->long_vowel = false;
        s->word_start = ns == 1 || syls[ns - 2].word_end;
        s->word_end = false;
        pending_double = false;
    }
    if (ns == 0) return 0;
    syls[ns - 1].word_end = true;
    for (size_t i = 0; i < ns; i++) {
        const syl *s = &syls[i], *next = i + 1 < ns && !s->word_end ? &syls[i + 1] : NULL;
        const syl *prev = i > 0 && !s->word_start ? &syls[i - 1] : NULL;
        if (s->moraic_n) {
            bool labial = next && (next->cons[0] == 'b' || next->cons[0] == 'p' || next->cons[0] == 'm');
            if (!ctw__text_put(out, cap, &len, labial ? "m" : "n")) return -1;
        } else {
            char cons[sizeof s->cons];
            memcpy(cons, s->cons, sizeof cons);
            if (variant == 1 && cons[0] == 'r') cons[0] = 'l';
            if (variant == 2 && strcmp(s->vowel, "i") == 0 && (strcmp(cons, "j") == 0 || strcmp(cons, "ch") == 0))
                memcpy(cons, cons[0] == 'j' ? "d" : "t", 2);   /* ジ di, チ ti */
            if (s->doubled && cons[0] && !ctw__text_put(out, cap, &len, cons[0] == 'c' ? "t" : (char[2]){cons[0], 0}))
                return -1;
            if (!ctw__text_put(out, cap, &len, cons)) return -1;
            if (!epenthetic(prev, s, next) && !ctw__text_put(out, cap, &len, s->vowel)) return -1;
        }
        if (s->word_end && i + 1 < ns && !ctw__text_put(out, cap, &len, " ")) return -1;
    }
    return (long)len;
}
