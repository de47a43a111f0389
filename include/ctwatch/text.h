/* text.h — the text pipeline for names (DESIGN.md §6 steps 1–3).
 *
 *   any UTF-8 name ──fold──► NFKC, case-folded, marks removed, punctuation → space
 *                  ──romanise──► one or more ASCII lower-case forms (several
 *                                where romanisations diverge: Arabic skeleton
 *                                and vowelled, Cyrillic ISO/BGN, Greek, Chinese
 *                                syllables split and joined, ICAO 9303)
 *                  ──tokenise──► name tokens: honorifics dropped, particles
 *                                marked, abd/abdul/abdel forms joined
 *   tokens ──► phonetic keys (Double Metaphone, Soundex, ...) and string
 *              similarity (Jaro, Jaro-Winkler, Levenshtein, ...)
 *
 * Threads: every function is safe to call from several threads at once
 * (ICU transliterators are cached per thread). Inputs are hostile: any
 * bytes, any length; invalid UTF-8 gives CTW_EINVAL, never a crash.
 */
#ifndef CTWATCH_TEXT_H
#define CTWATCH_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctwatch/arena.h"
#include "ctwatch/error.h"

#define CTW_TEXT_MAX_INPUT   4096   /* bytes of one name; longer input: CTW_ELIMIT */
#define CTW_TEXT_MAX_FORMS   8      /* romanised forms of one name */
#define CTW_TEXT_MAX_TOKENS  32     /* tokens of one name form; more are dropped */

/* ---- normalisation ----------------------------------------------------- */

/* Fold `in` (len bytes of UTF-8) into out: NFKC, Unicode case folding,
 * combining marks removed, every character that is not a letter or digit
 * turned into a space, runs of spaces collapsed, trimmed. The script is
 * kept (Arabic stays Arabic). Writes a NUL-terminated string of at most
 * cap-1 bytes and its length to *out_len.
 * Returns 0, CTW_EINVAL (invalid UTF-8), or CTW_ELIMIT (input over
 * CTW_TEXT_MAX_INPUT or out too small). On error out holds "". */
int ctw_text_fold(const char *in, size_t len, char *out, size_t cap, size_t *out_len);

/* True if s (len bytes) is pure ASCII: the fast path that needs no ICU. */
bool ctw_text_is_ascii(const char *s, size_t len);

/* ---- romanisation ------------------------------------------------------ */

typedef struct ctw_text_forms {
    size_t n;                              /* 1..CTW_TEXT_MAX_FORMS after success */
    const char *form[CTW_TEXT_MAX_FORMS];  /* ASCII lower case, single spaces */
    const char *script;                    /* ISO 15924 code of the input ("Latn", "Arab", ...) */
    const char *folded;                    /* ctw_text_fold() of a non-ASCII input, else NULL */
    ctw_arena arena;                       /* owns the strings */
} ctw_text_forms;

/* Romanise a name: fold it, then transliterate to ASCII. form[0] is the
 * general form (ICU "Any-Latin; Latin-ASCII" after folding); further forms
 * are the variants where romanisations diverge, duplicates removed:
 *   Latin input:   form[0] only, plus the ICAO 9303 form when it differs
 *                  (Ä→AE, Ö→OE, Ü→UE, ß→SS, Ø→OE, Å→AA ...)
 *   Arabic:        vowelled form (common English romanisation) and the
 *                  consonant skeleton
 *   Cyrillic:      ISO 9 / scientific and BGN/PCGN (and ICAO 9303 Part 3)
 *   Greek:         classical and UNGEGN/ELOT 743
 *   Han (Chinese): pinyin syllables split ("mao ze dong") and joined per
 *                  word ("mao zedong")
 *   Hebrew, Thai, Korean, Japanese, Devanagari ... : ICU's transliteration
 * The caller initialises nothing; on success out must be released with
 * ctw_text_forms_free(). Returns 0, CTW_EINVAL, CTW_ELIMIT or CTW_ENOMEM;
 * on error out holds nothing to free. An input with no letters or digits
 * gives 0 with n == 1 and form[0] == "". */
int ctw_text_romanise(const char *in, size_t len, ctw_text_forms *out);
void ctw_text_forms_free(ctw_text_forms *f);

/* Romanising remembers what ICU made of each word of a name written in one
 * script (a bounded memo shared by all threads, at most 65,536 words,
 * src/text/word_memo.c) and transliterates such names word by word: the
 * same forms as transliterating them whole, faster when words repeat, as
 * names do. ctw_text_word_memo_set(false) turns both off for the calling
 * thread (whole names through ICU every time), for benchmarks and for the
 * evaluation's reference path; it is on by default. */
void ctw_text_word_memo_set(bool on);

typedef struct ctw_text_word_memo_stats {
    uint64_t hits, misses;   /* lookups since the process started */
    uint64_t words, bytes;   /* held now */
} ctw_text_word_memo_stats;
void ctw_text_word_memo_stats_get(ctw_text_word_memo_stats *st);

/* ---- name tokens ------------------------------------------------------- */

typedef enum ctw_token_kind {
    CTW_TOKEN_NAME = 0,    /* an ordinary name word */
    CTW_TOKEN_PARTICLE,    /* al, el, bin, ibn, ben, bint, abu, umm, de, van, von, da, ... */
    CTW_TOKEN_INITIAL,     /* a single letter */
} ctw_token_kind;

typedef struct ctw_name_token {
    const char *text;      /* ASCII lower case, owned by the arena given */
    uint8_t kind;          /* ctw_token_kind */
} ctw_name_token;

/* Split a romanised form (ASCII lower case, as from ctw_text_romanise)
 * into name tokens:
 *   - honorifics and titles are dropped: mullah, maulvi, haji, hajji,
 *     sheikh, shaikh, sheik, dr, mr, mrs, ms, prof, general, gen, colonel,
 *     col, imam, qari, hafiz ... (the list is in the .c file; words that are
 *     also given names, such as Sayed, are kept);
 *   - abd/abdul/abdel/abdal/abdou/abdu + optional al/el/ul/ar/ur + NAME, written
 *     joined or apart, become one token "abd" + NAME ("abd al rahman",
 *     "abdul rahman", "abdulrahman", "abdel rahman" → "abdrahman");
 *   - a word "al"/"el" glued to the next word with a hyphen in the original
 *     has already become two words after folding: both stay, "al" as a
 *     particle;
 *   - particles are kept and marked (they weigh little in scoring).
 * Tokens are appended to *out (an array allocated in arena a, of at most
 * CTW_TEXT_MAX_TOKENS), *n set. Returns 0 or CTW_ENOMEM. */
int ctw_text_name_tokens(const char *form, ctw_arena *a, ctw_name_token **out, size_t *n);

/* ---- phonetic codes ---------------------------------------------------- */

/* Double Metaphone (Lawrence Philips), codes of at most maxlen characters
 * (maxlen ≤ 16; 4 is the classic length). primary and alternate must hold
 * maxlen+1 bytes; alternate equals primary when there is no alternate.
 * Input: any ASCII/Latin-1-free string (non-letters ignored). */
void ctw_double_metaphone(const char *s, size_t maxlen, char *primary, char *alternate);
/* American Soundex: the first character (UTF-8, 1 to 4 bytes; kept as
 * is when it is not an ASCII letter, as jellyfish does) and 3 digits, NUL
 * terminated, into out[8]; "" for no characters. */
void ctw_soundex(const char *s, char out[8]);
/* Original Metaphone (as jellyfish), into out of cap bytes. */
void ctw_metaphone(const char *s, char *out, size_t cap);
/* NYSIIS (as jellyfish, no truncation), into out of cap bytes. */
void ctw_nysiis(const char *s, char *out, size_t cap);
/* Match Rating Approach codex into out of cap bytes, and comparison:
 * 1 match, 0 no match, -1 not comparable (length difference ≥ 3). */
void ctw_match_rating_codex(const char *s, char *out, size_t cap);
int ctw_match_rating_compare(const char *a, const char *b);

/* ---- string similarity -------------------------------------------------- */
/* All work on Unicode code points of valid UTF-8 (invalid bytes count as
 * one code point each). Similarities are in [0, 1]. */

double ctw_jaro(const char *a, const char *b);
/* Jaro-Winkler with prefix scale 0.1 and prefix up to 4; long_tolerance as
 * jellyfish's long_tolerance option. */
double ctw_jaro_winkler(const char *a, const char *b, bool long_tolerance);
/* Edit distances; -1 if either string is longer than 1024 code points. */
int ctw_levenshtein(const char *a, const char *b);
int ctw_damerau_levenshtein(const char *a, const char *b);
/* ctw_levenshtein of two code point arrays, for a caller that decoded its
 * words once; -1 past 1024 code points or without memory. */
int ctw_levenshtein_cps(const uint32_t *a, size_t la, const uint32_t *b, size_t lb);
/* Hamming distance (length difference counts as mismatches). */
int ctw_hamming(const char *a, const char *b);

#endif
