/* match_int.h — the screening index's layout (private to src/match).
 *
 * Two levels, so that fuzzy lookups touch a small dictionary, not the list:
 *
 *   query token ──keys──► dictionary tokens (similar spellings)
 *                            │ postings
 *                            ▼
 *                         names ──► records
 *
 *   dict[t]      one entry per distinct token of every romanised name form:
 *                its text, weight (rarity), Double Metaphone codes, and the
 *                names it appears in (postings, CSR in post_off/post)
 *   keys         64-bit key hash → dictionary tokens (CSR in key_off/key_tok):
 *                the token itself and every one-character deletion of it
 *                (SymSpell: two strings within edit distance 1 share a key,
 *                distance 2 usually does), and its phonetic codes
 *   names[n]     record index, kind, display text, forms (token id runs)
 *   recs[r]      what a hit reports and what the scorer compares beyond the
 *                name: id, source, source_id, owner, restriction, gender,
 *                birth dates, nationalities, document numbers; and its
 *                published notices (notices[], when built at a feed position)
 *
 * Everything is built once and never changed: screening reads it from any
 * number of threads with no lock. The exceptions are `memo` and
 * `unlisted`, caches of what a query word matches, filled on first use
 * with atomic compare-and-swap (no lock either).
 */
#ifndef CTW_MATCH_INT_H
#define CTW_MATCH_INT_H

#include <stdatomic.h>
#include <stdint.h>

#include "ctwatch/arena.h"
#include "ctwatch/match.h"
#include "ctwatch/text.h"

#define CTW__DM_LEN 6  /* Double Metaphone code length used for keys */
#define CTW__PREFIX_LEN 5 /* prefix keys ('p'): the first characters of long tokens */

typedef struct ctw__tok {
    const char *text;
    uint32_t len;
    char first;           /* text[0], here so that the scorer's bound need not follow text */
    uint32_t df;          /* records whose names hold this token */
    float weight;         /* rarity weight in [0.25, 1], see index.c */
    uint8_t particle;     /* a particle or organisation form word: weighs little */
    uint8_t nasab;        /* a particle that is bin/ibn/... (ctw__match_nasab_word), asked per pair */
    int16_t group;        /* ctw__match_name_group(), or -1 */
    uint8_t patronymic;   /* ctw__match_patronymic() */
    uint8_t vowelless;    /* ctw__match_vowelless(): 3+ letters, none a vowel */
    uint8_t numeric;      /* ctw__match_numeric() */
    uint8_t place;        /* ctw__match_place() */
    char dm1[CTW__DM_LEN + 1], dm2[CTW__DM_LEN + 1];
} ctw__tok;

/* A word's first letter as one bit of a 64-bit mask. Letters that share a
 * bit only make a test pass that the letters themselves then decide. */
#define CTW__FIRST_BIT(c) (1ULL << ((unsigned char)(c) & 63u))

/* A word of 2-6 letters as a 16-bit hash (FNV-1a): the same for the same
 * bytes, so a name's short words say which runs of initials cannot be one
 * of them (a run is read when its hash is one of theirs). */
static inline uint16_t ctw__acro_hash(const char *s, size_t n)
{
    uint64_t h = 14695981039346656037ULL;
    for (size_t i = 0; i < n; i++) h = (h ^ (unsigned char)s[i]) * 1099511628211ULL;
    return (uint16_t)(h >> 48);
}

/* A name's words in outline, over all its forms: enough to bound its score
 * without reading them (screen.c, name_bound). */
#define CTW__OUTLINE_ACRO 4
typedef struct ctw__name_outline {
    uint64_t firsts;                   /* CTW__FIRST_BIT of every word's first letter */
    uint16_t acro[CTW__OUTLINE_ACRO];  /* ctw__acro_hash of each distinct word of 2-6 letters ... */
    uint8_t nacro;                     /* ... how many; CTW__OUTLINE_ACRO + 1 when more (any may be) */
    uint8_t maxlen;                    /* the longest word's length, at most 255 */
} ctw__name_outline;

typedef struct ctw__form {
    uint32_t tok_off;     /* into ix->form_tok */
    uint8_t ntok;
} ctw__form;

typedef struct ctw__name {
    uint32_t rec;
    uint32_t form_off;    /* into ix->forms */
    uint8_t nforms;
    uint8_t kind;         /* ctw_name_kind */
    uint8_t words;        /* tokens in its shortest form, at least 1 (ranking candidates) */
    const char *text;     /* as the source wrote it */
    const char *native;   /* folded text when written in a non-Latin script, else NULL */
    const char *script;   /* ISO 15924 code of text (static) */
} ctw__name;

/* Flags of a token at a position of a form (ix->form_flag). */
enum {
    CTW__TF_NASAB = 1,    /* follows bin/ibn/bint/ben/ould: a father's name */
};

typedef struct ctw__date {
    int16_t y1, y2;       /* year range (equal for a single date) */
    int8_t m, d;          /* 0 when unknown */
    uint8_t precision;    /* ctw_date_precision */
} ctw__date;

typedef struct ctw__rec {
    const char *id, *source, *source_id, *owner;
    ctw_restriction restriction;
    uint8_t kind;         /* ctw_kind */
    char gender;          /* 'm', 'f' or 0 */
    uint32_t date_off;  uint16_t ndates;
    uint32_t nat_off;   uint16_t nnats;   /* alpha-3 codes, 4 bytes each */
    uint32_t doc_off;   uint16_t ndocs;   /* normalised numbers (const char *) */
    uint32_t notice_off; uint32_t nnotices; /* into ix->notices, strongest first */
} ctw__rec;

/* A dictionary token's matches (see memo below). */
typedef struct ctw__tok_matches {
    uint32_t n;
    uint32_t tok[];       /* n token ids, then n floats (similarities) */
} ctw__tok_matches;

/* A word the dictionary does not hold, and its matches (see unlisted below). */
typedef struct ctw__unlisted_word {
    uint64_t hash;        /* ctw__match_key('w', text, len) */
    uint32_t len;         /* bytes of text */
    uint32_t n;
    uint32_t tok[];       /* n token ids, then n floats, then the len bytes of text */
} ctw__unlisted_word;

/* The unlisted-word memo: an open-addressed table of this many slots,
 * probed this far, holding at most CTW__UNLISTED_MAX words (a run of
 * probes rarely fills at half load) of at most CTW__UNLISTED_MAX_LEN bytes. */
#define CTW__UNLISTED_SLOTS (1u << 16)
#define CTW__UNLISTED_PROBES 8u
#define CTW__UNLISTED_MAX (CTW__UNLISTED_SLOTS / 2)
#define CTW__UNLISTED_MAX_LEN 63u

struct ctw_match_index {
    atomic_int refs;
    ctw_arena arena;      /* strings */

    ctw__rec *recs;     uint32_t nrecs;
    ctw__name *names;   uint32_t nnames;
    uint8_t *name_words;                         /* names[n].words, packed: read for every candidate */
    ctw__name_outline *name_outline;             /* per name, what screen.c's name_bound reads for
                                                  * every candidate instead of its words */
    ctw__form *forms;   uint32_t nforms;
    uint32_t *form_tok; uint32_t nform_tok;
    uint8_t *form_flag;                          /* parallel to form_tok */
    ctw__date *dates;   uint32_t ndates;
    char (*nats)[4];    uint32_t nnats;
    const char **docs;  uint32_t ndocs;

    ctw__tok *dict;     uint32_t ndict;
    uint32_t *dict_slots; uint32_t dict_mask;   /* open addressing: token text → id+1 */

    uint32_t *post_off; uint32_t *post;          /* CSR: names of token t */

    uint64_t *key_hash; uint32_t *key_off; uint32_t *key_tok; uint32_t nkeys;
    /* key_hash is sorted; key_dir[b] is the first key whose top key_dir_bits
     * bits are >= b (key_dir[1 << bits] = nkeys), so a lookup reads one
     * bucket of about four keys instead of a binary search's ~20 cache misses. */
    uint32_t *key_dir; uint32_t key_dir_bits;

    /* Lazily filled, shared by every thread: for dictionary token t, the
     * similar dictionary tokens a query holding exactly t finds
     * (match_token in screen.c). A query token is usually a word of the
     * list itself ("mohammed", "ivanov"), and what it matches depends only
     * on its text and the dictionary, so it is worked out once per index
     * and published with a compare-and-swap; the index is immutable
     * otherwise. memo_bytes counts what the entries hold. */
    _Atomic(struct ctw__tok_matches *) *memo;
    atomic_size_t memo_bytes;
    /* The same for words the dictionary does not hold: misspellings, and
     * the names of the many people on no list, which a border's stream of
     * travellers repeats as much as any (a small vocabulary, Zipf). Keyed
     * by the word's text; the slot table is allocated on first use and
     * published with a compare-and-swap, as are its entries, which stay
     * until the index is freed (no replacement: at most CTW__UNLISTED_MAX
     * words, counted in unlisted_words and in memo_bytes). */
    _Atomic(_Atomic(struct ctw__unlisted_word *) *) unlisted;
    atomic_uint unlisted_words;

    /* Built from a store at a known change feed position only (feed_seq,
     * else CTW_MATCH_FEED_UNKNOWN and no notices): every indexed record's
     * published notices, so that a hit's notice is not a query per hit
     * (notices.c); recs are then in id order, for the lookup. */
    int64_t feed_seq;
    ctw_match_notice *notices; uint32_t nnotices;
    size_t notice_bytes;

    size_t bytes;
};

/* Token text → dictionary id, or UINT32_MAX. */
uint32_t ctw__match_dict_find(const ctw_match_index *ix, const char *text, size_t len);
/* 64-bit hash of a key (FNV-1a of a tag byte and the text). */
uint64_t ctw__match_key(char tag, const char *text, size_t len);
/* Dictionary tokens under key k: *n ids at the returned pointer. */
const uint32_t *ctw__match_key_tokens(const ctw_match_index *ix, uint64_t k, uint32_t *n);

/* The unlisted-word memo (see struct ctw_match_index): the entry for the
 * word text (len bytes, hash = ctw__match_key('w', text, len)), or NULL. */
const ctw__unlisted_word *ctw__match_unlisted_find(const ctw_match_index *ix, uint64_t hash, const char *text,
                                                   size_t len);
/* Remember the word's n matches (tok[i], sim[i]). Does nothing when the
 * memo is full, the word too long or memory short: it is a cache. */
void ctw__match_unlisted_add(const ctw_match_index *ix, uint64_t hash, const char *text, size_t len,
                             const uint32_t *tok, const float *sim, uint32_t n);

/* Normalise a document number for comparison: upper-case letters and
 * digits only, with the OCR confusions O→0, I→1, L→1, S→5, B→8, Z→2 folded
 * when ocr is true. Writes at most cap-1 bytes. */
void ctw__match_doc_norm(const char *in, char *out, size_t cap, bool ocr);

/* Name text prepared for matching: "FAMILY, Given" turned to "Given
 * FAMILY" (one comma, as lists write names), copied into a. */
const char *ctw__match_unsort(const char *name, ctw_arena *a);
/* True if tok is a word that makes the next word a father's name. */
bool ctw__match_nasab_word(const char *tok);
/* Extra token sequence for a form whose tokens mix letters and digits the
 * way people write letters ("ig0r sech1n" → "igor sechin"): 1 if made. */
int ctw__match_unleet(const char *tok, char *out, size_t cap);

/* Given names that are one name in another language or a short form
 * ("john" / "juan" / "ivan", "bibi" / "benjamin"): the group's number, or
 * -1 if the word is in no group. */
int ctw__match_name_group(const char *word);

/* True if a word of 3 or more letters has no vowel (a, e, i, o, u, y):
 * names from scripts that do not write vowels ("mhmd"). */
bool ctw__match_vowelless(const char *w, size_t n);

/* A number or series marker (screen.c weighs it like an initial):
 * CTW__NUM_DIGITS for digits only, CTW__NUM_ROMAN for 1–4 of i, v, x (a
 * Roman numeral in the name of a thing, a name in a person's: "Xi"). */
#define CTW__NUM_DIGITS 1
#define CTW__NUM_ROMAN 2
uint8_t ctw__match_numeric(const char *w, size_t n);

/* True if the word (NUL-terminated, n bytes) is a country (any name
 * ctw_country_lookup knows) or a region ("europe", "asia", ...): in an
 * organisation's name, a branch ("Faberlic Europe"). */
bool ctw__match_place(const char *w, size_t n);

/* True if the word ends like a Russian-style patronymic ("vladimirovich"). */
bool ctw__match_patronymic(const char *word, size_t len);

/* Words written more than one way, to one spelling, in place: number
 * words and ordinals to digits ("forty four" → "44"), legal forms to
 * their short form ("limited" → "ltd"). Returns the new count; new
 * strings go into a. */
size_t ctw__match_canonical(ctw_name_token *toks, size_t n, ctw_arena *a);

/* True if the token (ASCII lower case) is a word of organisation legal
 * forms and fillers ("ltd", "company", "the", ...). */
bool ctw__match_org_filler(const char *tok);

/* Screening skips the alignments that cannot change what it reports (a
 * bound of the score, screen.c), takes a list word's matches from the
 * index's memo and romanises names word by word through the text module's
 * word memo. true makes the calling thread's screening align every
 * candidate in full, look every word's matches up afresh and romanise
 * every name whole through ICU, as a reference: the answers must be the
 * same either way (make eval checks it). */
void ctw__match_set_exhaustive(bool on);

#endif
