/* screen.c — screening one query against the index (DESIGN.md §6 4–7).
 *
 *  1. the query name is romanised into forms and tokenised (text.h);
 *  2. each query token finds similar dictionary tokens through the keys
 *     (itself, its one-character deletions, its Double Metaphone codes, its
 *     prefix, its given-name group), kept when their similarity is at least
 *     TOKEN_MIN (Jaro-Winkler bounded by an edit budget, raised for
 *     phonetic equals, consonant skeletons and name equivalents);
 *  3. candidate names gather weight from the postings of those tokens; the
 *     rarest tokens are walked in full, common ones ("mohammed") only
 *     confirm a shortlist of names already found, so a query costs what
 *     its rare tokens cost;
 *  4. of the RERANK heaviest, the MAX_CANDIDATES whose score can be
 *     highest (the query's gathered weight and the share of the name's
 *     words it can cover, best_candidates) are scored in full: every query
 *     form against every form of the name, words aligned greedily by
 *     similarity in any order, joined words and acronyms, each side's
 *     coverage weighted by rarity, less for words out of order and for a
 *     different father's name or initial — except where a bound shows
 *     the score cannot be reported: first per name, from the words it
 *     gathered (name_bound), then per pair of forms (bound_forms; see
 *     "pruning" below);
 *  5. the record's best name score is moved by birth date, nationality,
 *     gender and document number, rounded, decided, access-checked and
 *     explained feature by feature.
 * The constants below were set on the nomenklatura name benchmark and the
 * yente UN positives (make eval): change them only with the eval rerun.
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/utf8.h>

#include "ctwatch/country.h"
#include "match/match_int.h"

#define TOKEN_MIN 0.80f        /* token similarity below this counts as no match */
#define LEV_SLACK 0.15f        /* Jaro-Winkler is capped at (1 - edits/length) + this */
#define EDIT_BUDGET_DIV 6      /* words of length n may differ by 1 + n/6 edits */
#define SKELETON_SIM 0.85f     /* a vowelless spelling whose consonants agree */
#define ROMANISED_SIM 0.75f    /* a romanised word that sounds like the list's: a review */
#define ROMANISED_JW_MIN 0.50f /* ... and shares at least this much spelling */
#define SOUND_SKIP 0.90f       /* ... asked only when no spelling is this close */
#define NAME_GROUP_SIM 0.85f   /* the same given name in another language or short form */
#define MAX_QTOK 64            /* distinct query tokens over all forms */
#define LETTER_SLOTS 37        /* a-z, 0-9, anything else */
#define MAX_TOKEN_MATCHES 48   /* dictionary tokens kept per query token */
#define MAX_KEY_CANDIDATES 512 /* dictionary tokens looked at per query token */
#define FULL_WALK_BUDGET 20000 /* postings walked in full before switching to confirm-only */
#define FULL_WALK_MAX 60000    /* ... and the most, whatever the weights say */
#define SHORTLIST 1024         /* names kept for confirmation once walks stop */
#define MAX_CANDIDATES 32      /* names scored in full */
#define PREFETCH_AHEAD 16      /* postings ahead whose candidate slot is fetched early */
#define RERANK 128             /* heaviest candidates ranked again with the name's side */
#define SIM_TABLE 1024         /* a power of two; filled to 3/4 at most */
#define QUERY_SHARE 0.8        /* weight of the query side's coverage in a person's name score */
#define ORG_QUERY_SHARE 0.55   /* ... in an organisation's */
#define PARTICLE_WEIGHT 0.05f   /* particles and legal forms (al, bin, ltd, company) weigh this share */
#define INITIAL_WEIGHT 0.3f
#define INITIAL_SIM 0.75f      /* an initial that agrees with the other side's word */
#define NUMBER_WEIGHT 0.3f     /* a number or series marker ("Fund IV", "Storm 2", "Trust 2007-1") */
#define CHAIN_FACTOR 0.35      /* a link of a listed chain of fathers' names left out weighs this share */
#define ONE_EDIT_MIN_LEN 6     /* words this long that differ by one edit are a typo */
#define ABD_BARE_SIM 0.85f     /* "abd" + NAME against NAME alone ("Abdul Hanif" / "Hanif") */
#define PATRONYMIC_WEIGHT 0.3f
#define WEAK_ALIAS_FACTOR 0.92

typedef struct qtok {
    const char *text;
    uint32_t len;
    uint8_t kind;              /* ctw_token_kind */
    bool has_digit;
    bool patronymic;           /* ctw__match_patronymic() */
    uint8_t numeric;           /* ctw__match_numeric() */
    bool place;                /* ctw__match_place() */
    /* for comparing spellings (token_sim), set by describe_qtok() only when
     * the token's matches are not in the index's memo */
    bool described;
    int group;                 /* ctw__match_name_group() of the token, or -1 */
    bool vowelless;            /* ctw__match_vowelless() */
    bool romanised;            /* from a query in another script: see token_sim */
    bool by_sound;             /* token_sim's second pass for such a word */
    uint8_t letters[LETTER_SLOTS];  /* how often each letter and digit occurs */
    float w;                   /* weight in the query */
    char dm1[CTW__DM_LEN + 1], dm2[CTW__DM_LEN + 1];
    uint32_t nm;
    uint32_t mtok[MAX_TOKEN_MATCHES];
    float msim[MAX_TOKEN_MATCHES];
    uint64_t postings;         /* names reachable through the matches */
} qtok;

#define QFORM_MAX_RUNS (CTW_TEXT_MAX_TOKENS * 5)
typedef struct qform {
    uint8_t ntok;
    uint8_t tok[CTW_TEXT_MAX_TOKENS];  /* indexes into qtoks */
    uint8_t flag[CTW_TEXT_MAX_TOKENS]; /* CTW__TF_* */
} qform;

/* What name_bound reads of a query form, word by word, worked out once
 * per query (name_bound_prepare): flat, so a candidate costs no pointer
 * chasing. Each run of 2-6 words, none an initial, is kept as the hash of
 * its initials (ctw__acro_hash), words run_from..run_to; a word's
 * run_bloom has bit (hash & 63) of every run holding it. */
typedef struct qform_outline {
    uint64_t tok_bit[CTW_TEXT_MAX_TOKENS];    /* the word's bit in a candidate's mask */
    uint64_t first_bit[CTW_TEXT_MAX_TOKENS];  /* CTW__FIRST_BIT of its first letter */
    uint64_t run_bloom[CTW_TEXT_MAX_TOKENS];
    double w[2][CTW_TEXT_MAX_TOKENS];         /* query_weight, for a person [0] and anything else [1] */
    uint8_t len[CTW_TEXT_MAX_TOKENS];         /* at most 255, as mark_joinable counts */
    uint16_t run_hash[QFORM_MAX_RUNS];
    uint8_t run_from[QFORM_MAX_RUNS], run_to[QFORM_MAX_RUNS];
    uint32_t nruns;
} qform_outline;

/* A name in a non-Latin script as words of code points (native_score). */
#define NATIVE_MAX_CP CTW_TEXT_MAX_INPUT /* code points of a name: never more than its bytes */

typedef struct native_words {
    uint32_t cp[NATIVE_MAX_CP];
    uint16_t off[CTW_TEXT_MAX_TOKENS], len[CTW_TEXT_MAX_TOKENS];
    uint32_t n;
} native_words;

static void native_split(const char *s, native_words *w);

typedef struct query_ctx {
    const ctw_match_index *ix;
    qtok toks[MAX_QTOK];
    uint32_t ntoks;
    qform forms[CTW_TEXT_MAX_FORMS];
    qform_outline outline[CTW_TEXT_MAX_FORMS]; /* name_bound's view of forms[] */
    uint32_t nforms;
    /* (dictionary token, query token) → similarity, for every match found:
     * the scorer's lookups in O(1). Keys are dict id * MAX_QTOK + token + 1. */
    uint32_t sim_key[SIM_TABLE];
    float sim_val[SIM_TABLE];
    bool sim_full;             /* too many matches for the table: linear lookups */
    const char *native;        /* folded query when not in Latin script */
    native_words native_words; /* ... in words of code points (native_score) */
    bool org;                  /* screening organisations: words weigh alike on both sides */
    const char *script;
    ctw_arena arena;
} query_ctx;

/* ---- per-thread query context ------------------------------------------------ */

/* A query_ctx is large (its token matches and lookup table): one per
 * thread, reset for each query rather than allocated and zeroed. */
static pthread_key_t qctx_key;
static pthread_once_t qctx_once = PTHREAD_ONCE_INIT;

static void qctx_free(void *p) { free(p); }
static void qctx_key_make(void) { pthread_key_create(&qctx_key, qctx_free); }

static query_ctx *qctx_get(const ctw_match_index *ix)
{
    pthread_once(&qctx_once, qctx_key_make);
    query_ctx *qc = pthread_getspecific(qctx_key);
    if (!qc) {
        qc = malloc(sizeof *qc);
        if (!qc || pthread_setspecific(qctx_key, qc) != 0) {
            free(qc);
            return NULL;
        }
    }
    qc->ix = ix;
    qc->ntoks = 0;
    qc->nforms = 0;
    qc->native = NULL;
    qc->script = NULL;
    qc->org = false;
    qc->sim_full = false;
    ctw_arena_init(&qc->arena);
    return qc;
}

/* Done with the thread's context: its arena goes, the context stays. */
static void qctx_put(query_ctx *qc)
{
    if (qc) ctw_arena_free(&qc->arena);
}

/* ---- per-thread scratch for candidate accumulation ----------------------- */

/* Where a name's accumulated weight is: when stamp == gen the name was
 * touched by this query and, if touched[at] is still the name (a shortlist
 * may have dropped it), acc[at] is its weight and mask[at] the query
 * tokens already counted for it. The weights live in arrays in the order
 * names were touched, not in the slot: the slots of a million-name list
 * are tens of megabytes read at random, the touched arrays a few hundred
 * kilobytes read in order when the candidates are chosen. */
typedef struct cand_slot {
    uint32_t stamp;
    uint32_t at;
} cand_slot;

typedef struct scratch {
    uint32_t dict_size;       /* dictionary tokens tok_mark can hold */
    uint32_t *tok_mark;       /* == mark_seq: a match of the query token being confirmed */
    uint32_t mark_seq;
    uint32_t size;            /* names the arrays can hold */
    uint32_t gen;
    struct cand_slot *slot;   /* per name, one cache line fetch per posting */
    float qtotal;             /* the query's weight in all (gather) */
    uint32_t *touched;        /* names in the order first touched ... */
    float *acc;               /* ... their weights ... */
    uint64_t *mask;           /* ... and the query tokens counted for them */
    uint32_t ntouched;
    float *sel;               /* top_candidates: a copy of acc to select in */
} scratch;

static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void scratch_free(void *p)
{
    scratch *s = p;
    if (!s) return;
    free(s->tok_mark);
    free(s->slot);
    free(s->touched);
    free(s->acc);
    free(s->mask);
    free(s->sel);
    free(s);
}

static void scratch_key_make(void) { pthread_key_create(&scratch_key, scratch_free); }

static scratch *scratch_get(uint32_t nnames, uint32_t ndict)
{
    pthread_once(&scratch_once, scratch_key_make);
    scratch *s = pthread_getspecific(scratch_key);
    if (s && s->size >= nnames && s->dict_size >= ndict) {
        if (++s->gen == 0) { /* wrapped: forget every stamp */
            for (uint32_t i = 0; i < s->size; i++) s->slot[i].stamp = 0;
            s->gen = 1;
        }
        s->ntouched = 0;
        return s;
    }
    scratch_free(s);
    pthread_setspecific(scratch_key, NULL);
    s = calloc(1, sizeof *s);
    if (!s) return NULL;
    uint32_t size = nnames ? nnames : 1, dsize = ndict ? ndict : 1;
    s->tok_mark = calloc(dsize, sizeof *s->tok_mark);
    s->dict_size = dsize;
    s->slot = calloc(size, sizeof *s->slot);
    s->touched = malloc((size_t)size * sizeof *s->touched);
    s->acc = malloc((size_t)size * sizeof *s->acc);
    s->mask = malloc((size_t)size * sizeof *s->mask);
    s->sel = malloc((size_t)size * sizeof *s->sel);
    if (!s->tok_mark || !s->slot || !s->touched || !s->acc || !s->mask || !s->sel) {
        scratch_free(s);
        return NULL;
    }
    s->size = size;
    s->gen = 1;
    pthread_setspecific(scratch_key, s);
    return s;
}

/* ---- token similarity --------------------------------------------------- */

static bool dm_equal(const char *a1, const char *a2, const char *b1, const char *b2)
{
    if (!a1[0] || !b1[0]) return false;
    return strcmp(a1, b1) == 0 || strcmp(a1, b2) == 0 || strcmp(a2, b1) == 0;
}

/* The consonants of a word, doubled ones once: "mohammed" → "mhmd".
 * Arabic script has no p and no v, and writes them b and f ("Pérez" is
 * بيريز, romanised "byryz"): p counts as b and v as f here, where a
 * vowelless spelling from Arabic or Hebrew is compared. */
static size_t skeleton(const char *w, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 1 < cap; i++) {
        char c = w[i];
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y') continue;
        if (c == 'p') c = 'b';
        else if (c == 'v') c = 'f';
        if (o > 0 && out[o - 1] == c) continue;
        out[o++] = c;
    }
    out[o] = '\0';
    return o;
}

bool ctw__match_vowelless(const char *w, size_t n)
{
    if (n < 3) return false;
    for (size_t i = 0; i < n; i++) {
        char c = w[i];
        /* strchr("aeiouy", c) without the call; c is never '\0' here */
        if (c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y') return false;
    }
    return true;
}

/* Edit distance with adjacent transpositions (optimal string alignment)
 * on short ASCII words, giving up past `max` (returns max + 1): the
 * scorer only needs to know whether a typo is within budget.
 *
 * Up to 62 bytes a side the distance is computed bit-parallel (Hyyrö
 * 2003, "A bit-vector algorithm for computing Levenshtein and Damerau
 * edit distances"): one 64-bit step per byte of b instead of a row of the
 * dynamic programme. It gives exactly the distance the row-by-row OSA
 * programme it replaced gave (compared on every pair of words of up to 6
 * letters over a 4-letter alphabet, every max 0..7, and 3 million random
 * pairs up to 70 bytes). */
static _Thread_local uint64_t osa_peq[256]; /* zero between calls */

static int osa_distance(const char *a, uint32_t la, const char *b, uint32_t lb, int max)
{
    if (la > 62 || lb > 62) {
        int d = ctw_damerau_levenshtein(a, b);
        return d < 0 || d > max ? max + 1 : d;
    }
    int diff = (int)la - (int)lb;
    if (diff > max || -diff > max) return max + 1;
    if (la == 0) return (int)lb > max ? max + 1 : (int)lb;
    const unsigned char *ua = (const unsigned char *)a, *ub = (const unsigned char *)b;
    uint64_t *peq = osa_peq;
    for (uint32_t i = 0; i < la; i++) peq[ua[i]] |= 1ULL << i;
    uint64_t vp = ~0ULL, vn = 0, d0 = 0, pm_old = 0, top = 1ULL << (la - 1);
    int dist = (int)la;
    for (uint32_t j = 0; j < lb; j++) {
        uint64_t pm = peq[ub[j]];
        uint64_t tr = (((~d0) & pm) << 1) & pm_old;
        d0 = ((((pm & vp) + vp) ^ vp) | pm | vn) | tr;
        uint64_t hp = vn | ~(d0 | vp), hn = d0 & vp;
        dist += (hp & top) != 0;
        dist -= (hn & top) != 0;
        hp = (hp << 1) | 1;
        hn <<= 1;
        vp = hn | ~(d0 | hp);
        vn = hp & d0;
        pm_old = pm;
    }
    for (uint32_t i = 0; i < la; i++) peq[ua[i]] = 0;
    return dist > max ? max + 1 : dist;
}

/* A one-letter word against a word of the other side: an initial agrees
 * with a name of the same first letter. What it can tell is little, which
 * its weight says (INITIAL_WEIGHT); that it agrees is all the similarity
 * says. A single digit is a number, not an initial: "1" is not "12". */
static float initial_sim(const char *a, const char *b)
{
    if (a[0] != b[0] || (a[0] >= '0' && a[0] <= '9')) return 0.0f;
    return INITIAL_SIM;
}

/* "abd" + NAME against NAME alone: Abd-names ("servant of" one of the
 * names of God) are very often written and called by their second part
 * alone, and South Asian and Afghan lists treat "Abdul" as a detachable
 * first element ("Abdul Hanif" / "Hanif"). Tokenisation joins the Abd-
 * word to its NAME ("abdhanif"), so that is the form compared here. */
static bool abd_bare(const char *a, uint32_t la, const char *b, uint32_t lb)
{
    return la == lb + 3 && lb >= 4 && memcmp(a, "abd", 3) == 0 && memcmp(a + 3, b, lb) == 0;
}

/* A letter's or digit's slot in qtok.letters. */
static inline unsigned letter_slot(char c)
{
    if (c >= 'a' && c <= 'z') return (unsigned)(c - 'a');
    if (c >= '0' && c <= '9') return 26u + (unsigned)(c - '0');
    return LETTER_SLOTS - 1;
}

static float token_sim(const qtok *q, const ctw__tok *t)
{
    if (q->len == t->len && memcmp(q->text, t->text, q->len) == 0) return 1.0f;
    if (q->len == 1 || t->len == 1) return initial_sim(q->text, t->text);
    if (q->has_digit) return 0.0f;
    if (q->group >= 0 && q->group == t->group) return NAME_GROUP_SIM;
    if (abd_bare(q->text, q->len, t->text, t->len) || abd_bare(t->text, t->len, q->text, q->len)) return ABD_BARE_SIM;
    /* A name written without vowels (Arabic and Hebrew script leave them
     * out) against one with them: compare the consonants. */
    bool qv = q->vowelless, tv = t->vowelless;
    if (qv != tv) {
        char a[64], b[64];
        size_t na = qv ? skeleton(q->text, q->len, a, sizeof a) : skeleton(t->text, t->len, a, sizeof a);
        size_t nb = qv ? skeleton(t->text, t->len, b, sizeof b) : skeleton(q->text, q->len, b, sizeof b);
        if (na >= 2 && na == nb && memcmp(a, b, na) == 0) return SKELETON_SIM;
    }
    /* A word romanised from another script spells its vowels and doubled
     * letters by rule, where the list spells them by habit: كولي reads
     * "kuli" for "Colley", Кунс "kuns" for "Coons", سيسيل "sisil" for
     * "Cecil" — too little spelling in common for the rules below, the
     * same sound. Then it may be the name: a review, never an alert on
     * its own. Asked only for a word of a form that found no spelling
     * close to it (collect_matches): one that finds itself needs no
     * guesses, and a common sound brings up many words, each with its
     * names to weigh. (Below 0.70 only: from there the usual phonetic lift
     * applies.) */
    if (q->by_sound && strlen(q->dm1) >= 2 && dm_equal(q->dm1, q->dm2, t->dm1, t->dm2)) {
        uint32_t lmax = q->len > t->len ? q->len : t->len, lmin = q->len + t->len - lmax;
        if (lmax - lmin <= 2) {
            float jw = (float)ctw_jaro_winkler(q->text, t->text, false);
            if (jw >= ROMANISED_JW_MIN && jw < 0.70f) return ROMANISED_SIM;
        }
    }
    /* Most words the keys bring up share too few letters to be a spelling
     * of each other: Jaro counts at most the letters the two have in
     * common (c), so below 0.69 even with all of them matched and none
     * transposed, no Winkler bonus applies (that needs 0.7) and every
     * later rule needs Jaro-Winkler of 0.7 or one edit, which c <= longer
     * length - 2 rules out (each edit adds at most one letter in common).
     * The answer is 0 whatever is computed below: skip it. */
    {
        uint8_t left[LETTER_SLOTS];
        memcpy(left, q->letters, sizeof left);
        uint32_t c = 0;
        for (uint32_t i = 0; i < t->len; i++) {
            uint8_t *n = &left[letter_slot(t->text[i])];
            if (*n) (*n)--, c++;
        }
        uint32_t hi = q->len > t->len ? q->len : t->len;
        if (c + 2 <= hi && ((double)c / q->len + (double)c / t->len + 1.0) / 3.0 < 0.69) return 0.0f;
    }
    float jw = (float)ctw_jaro_winkler(q->text, t->text, false);
    int d = -1;
    /* Jaro-Winkler gives a slip in the first letters ("Invidia" / "Nvidia",
     * "Nichaela" / "Michaela") far less than one at the end, but a typing
     * or reading slip is as likely anywhere: in a word of six letters or
     * more, one edit keeps the share of letters kept. */
    {
        uint32_t hi = q->len > t->len ? q->len : t->len, lo = q->len + t->len - hi;
        if (hi >= ONE_EDIT_MIN_LEN && hi - lo <= 1 && jw < 1.0f - 1.0f / (float)hi &&
            osa_distance(q->text, q->len, t->text, t->len, 1) == 1) {
            jw = 1.0f - 1.0f / (float)hi;
            d = 1;
        }
    }
    if (jw < TOKEN_MIN - 0.1f) {
        /* Jaro's matching window is tiny for short words ("uun" / "un"):
         * there one edit is still a typo */
        if (q->len < 3 || t->len < 2 || q->len + t->len > 10) return 0.0f;
        d = osa_distance(q->text, q->len, t->text, t->len, 1);
        if (d != 1) return 0.0f;
        jw = 1.0f;
    }
    /* Same sound, different spelling ("mohammed" / "muhammad"). Short codes
     * say little, so the phonetic lift needs a reasonable spelling match. */
    uint32_t lmax = q->len > t->len ? q->len : t->len, lmin = q->len + t->len - lmax;
    bool phonetic = jw >= 0.70f && strlen(q->dm1) >= 2 && lmax - lmin <= 2 &&
                    dm_equal(q->dm1, q->dm2, t->dm1, t->dm2);
    /* What follows only lowers jw, and then lifts phonetic equals to 0.90:
     * when that decides the answer, the edit distance is not needed. */
    if (d < 0) {
        if (!phonetic && jw < TOKEN_MIN) return 0.0f;
        if (phonetic && jw <= 0.90f) return 0.90f;
    }
    /* Jaro-Winkler forgives a changed ending too much ("castillo" /
     * "castro", "monteiro" / "montenegro"): a typo is an edit or two, so
     * past an edit budget that grows with length the words differ, and
     * below it the score is bound by the share of characters kept. */
    uint32_t len = lmax;
    int budget = (int)(1 + len / EDIT_BUDGET_DIV);
    if (d < 0) d = osa_distance(q->text, q->len, t->text, t->len, budget);
    if (d > budget) {
        if (!phonetic) return 0.0f;
    } else {
        float kept = 1.0f - (float)d / (float)len;
        if (kept + LEV_SLACK < jw) jw = kept + LEV_SLACK;
    }
    if (phonetic && jw < 0.90f) jw = 0.90f;
    return jw >= TOKEN_MIN ? jw : 0.0f;
}

/* Similarity of query token q with dictionary token t, from the matches
 * found through the keys; initials are compared directly. */
static uint32_t sim_slot(uint32_t key)
{
    return (key * 2654435761u) & (SIM_TABLE - 1);
}

static void sim_table_fill(query_ctx *qc)
{
    uint32_t used = 0;
    memset(qc->sim_key, 0, sizeof qc->sim_key);
    qc->sim_full = false;
    for (uint32_t i = 0; i < qc->ntoks; i++) {
        const qtok *q = &qc->toks[i];
        for (uint32_t m = 0; m < q->nm; m++) {
            if (++used > SIM_TABLE * 3 / 4) { /* a query of many words: look up the slow way */
                qc->sim_full = true;
                return;
            }
            uint32_t key = q->mtok[m] * MAX_QTOK + i + 1, h = sim_slot(key);
            while (qc->sim_key[h] && qc->sim_key[h] != key) h = (h + 1) & (SIM_TABLE - 1);
            qc->sim_key[h] = key;
            qc->sim_val[h] = q->msim[m];
        }
    }
}

static float sim_lookup(const query_ctx *qc, const qtok *q, uint32_t t)
{
    if (qc->sim_full) {
        for (uint32_t i = 0; i < q->nm; i++)
            if (q->mtok[i] == t) return q->msim[i];
        const ctw__tok *tk = &qc->ix->dict[t];
        if (q->len == 1 || tk->len == 1) return initial_sim(q->text, tk->text);
        return 0.0f;
    }
    uint32_t key = t * MAX_QTOK + (uint32_t)(q - qc->toks) + 1, h = sim_slot(key);
    while (qc->sim_key[h]) {
        if (qc->sim_key[h] == key) return qc->sim_val[h];
        h = (h + 1) & (SIM_TABLE - 1);
    }
    const ctw__tok *tk = &qc->ix->dict[t];
    if (q->len == 1 || tk->len == 1) return initial_sim(q->text, tk->text);
    return 0.0f;
}

/* What token_sim compares beyond the letters. */
static void describe_qtok(qtok *q)
{
    if (q->described) return;
    ctw_double_metaphone(q->text, CTW__DM_LEN, q->dm1, q->dm2);
    q->group = ctw__match_name_group(q->text);
    q->vowelless = ctw__match_vowelless(q->text, q->len);
    memset(q->letters, 0, sizeof q->letters);
    for (uint32_t i = 0; i < q->len; i++) {
        uint8_t *n = &q->letters[letter_slot(q->text[i])];
        if (*n < UINT8_MAX) (*n)++;
    }
    q->described = true;
}

/* q's matches among the dictionary tokens cand[0..ncand) (all of them when
 * cand is NULL: a pair comparison's tiny list), by token_sim: by spelling;
 * then, for a word romanised from another script that found no close
 * spelling, by spelling and sound. With cand, tokens whose lengths are
 * too far apart to reach TOKEN_MIN are skipped without the arithmetic. */
static void collect_matches(const ctw_match_index *ix, qtok *q, const uint32_t *cand, uint32_t ncand)
{
    for (int pass = 0; pass < 2; pass++) {
        q->by_sound = pass == 1;
        q->nm = 0;
        float best = 0.0f;
        for (uint32_t c = 0; c < ncand; c++) {
            uint32_t id = cand ? cand[c] : c;
            if (cand && c + PREFETCH_AHEAD < ncand) __builtin_prefetch(&ix->dict[cand[c + PREFETCH_AHEAD]], 0);
            const ctw__tok *t = &ix->dict[id];
            uint32_t lmax = q->len > t->len ? q->len : t->len, lmin = q->len + t->len - lmax;
            if (cand && lmin * 2 < lmax && lmin > 1) continue;
            float s = token_sim(q, t);
            if (s <= 0.0f) continue;
            if (s > best) best = s;
            if (q->nm < MAX_TOKEN_MATCHES) {
                q->mtok[q->nm] = id;
                q->msim[q->nm] = s;
                q->nm++;
            } else { /* replace the weakest if this one is better */
                uint32_t worst = 0;
                for (uint32_t i = 1; i < q->nm; i++)
                    if (q->msim[i] < q->msim[worst]) worst = i;
                if (s > q->msim[worst]) {
                    q->mtok[worst] = id;
                    q->msim[worst] = s;
                }
            }
        }
        if (!q->romanised || best >= SOUND_SKIP) break;
    }
}

/* Find the dictionary tokens similar to q, through the keys. */
static void match_token_keys(const ctw_match_index *ix, qtok *q)
{
    uint32_t cand[MAX_KEY_CANDIDATES];
    uint32_t ncand = 0;
    uint32_t seen[2 * MAX_KEY_CANDIDATES]; /* open addressing over token id + 1 */
    memset(seen, 0, sizeof seen);
    char buf[64];

#define TAKE(tag, s, n)                                                                  \
    do {                                                                                 \
        uint32_t kn;                                                                     \
        const uint32_t *kt = ctw__match_key_tokens(ix, ctw__match_key(tag, s, n), &kn);  \
        for (uint32_t k_ = 0; k_ < kn && ncand < MAX_KEY_CANDIDATES; k_++) {             \
            uint32_t h_ = (kt[k_] * 2654435761u) & (2 * MAX_KEY_CANDIDATES - 1);         \
            while (seen[h_] && seen[h_] != kt[k_] + 1) h_ = (h_ + 1) & (2 * MAX_KEY_CANDIDATES - 1); \
            if (seen[h_]) continue;                                                      \
            seen[h_] = kt[k_] + 1;                                                       \
            cand[ncand++] = kt[k_];                                                      \
        }                                                                                \
    } while (0)

    TAKE('x', q->text, q->len);
    if (q->len >= 3 && q->len < sizeof buf) {
        TAKE('d', q->text, q->len);
        for (uint32_t i = 0; i < q->len; i++) {
            memcpy(buf, q->text, i);
            memcpy(buf + i, q->text + i + 1, q->len - i - 1);
            TAKE('x', buf, q->len - 1);
            TAKE('d', buf, q->len - 1);
        }
    }
    if (q->len >= CTW__PREFIX_LEN) TAKE('p', q->text, CTW__PREFIX_LEN);
    if (q->dm1[0] && !q->has_digit) TAKE('m', q->dm1, strlen(q->dm1));
    if (q->dm2[0] && strcmp(q->dm1, q->dm2) != 0 && !q->has_digit) TAKE('m', q->dm2, strlen(q->dm2));
    if (q->group >= 0) {
        char g[16];
        int gn = snprintf(g, sizeof g, "%d", q->group);
        TAKE('g', g, (size_t)gn);
    }
#undef TAKE

    collect_matches(ix, q, cand, ncand);
}

/* The reference path (ctw__match_set_exhaustive): no memo, no pruning,
 * and names romanised whole by ICU every time (no word memo, text.h). */
static _Thread_local bool exhaustive;

void ctw__match_set_exhaustive(bool on)
{
    exhaustive = on;
    ctw_text_word_memo_set(!on);
}

/* Find the dictionary tokens similar to q: from the index's memos when q
 * was looked up before (what a word matches depends on its text and the
 * dictionary, nothing else), else through the keys. */
static void match_token(const ctw_match_index *ix, qtok *q)
{
    /* A word of a query in another script matches more (token_sim): its
     * matches are remembered apart, under another key, and with the
     * unlisted words whether the list holds it or not. */
    uint32_t id = ix->memo && !exhaustive && !q->romanised ? ctw__match_dict_find(ix, q->text, q->len) : UINT32_MAX;
    ctw__tok_matches *m = NULL;
    const ctw__unlisted_word *u = NULL;
    uint64_t hash = 0;
    if (id != UINT32_MAX) {
        m = atomic_load_explicit(&ix->memo[id], memory_order_acquire);
    } else if (ix->memo && !exhaustive) {
        hash = ctw__match_key(q->romanised ? 'r' : 'w', q->text, q->len);
        u = ctw__match_unlisted_find(ix, hash, q->text, q->len);
    }
    if (m || u) {
        const uint32_t *tok = m ? m->tok : u->tok;
        uint32_t n = m ? m->n : u->n;
        q->nm = n;
        memcpy(q->mtok, tok, n * sizeof *q->mtok);
        memcpy(q->msim, tok + n, n * sizeof *q->msim); /* n floats follow the ids */
    } else if (id == UINT32_MAX) {
        describe_qtok(q);
        match_token_keys(ix, q);
        if (ix->memo && !exhaustive) ctw__match_unlisted_add(ix, hash, q->text, q->len, q->mtok, q->msim, q->nm);
    } else {
        describe_qtok(q);
        match_token_keys(ix, q);
        size_t size = sizeof *m + q->nm * (sizeof *m->tok + sizeof(float));
        if ((m = malloc(size)) != NULL) {
            m->n = q->nm;
            memcpy(m->tok, q->mtok, q->nm * sizeof *q->mtok);
            memcpy(m->tok + m->n, q->msim, q->nm * sizeof *q->msim);
            ctw__tok_matches *expected = NULL;
            /* another thread may have got there first with the same answer */
            if (atomic_compare_exchange_strong_explicit(&((ctw_match_index *)ix)->memo[id], &expected, m,
                                                        memory_order_release, memory_order_acquire))
                atomic_fetch_add_explicit(&((ctw_match_index *)ix)->memo_bytes, size, memory_order_relaxed);
            else
                free(m);
        }
    }
    q->postings = 0;
    for (uint32_t i = 0; i < q->nm; i++)
        q->postings += ix->post_off[q->mtok[i] + 1] - ix->post_off[q->mtok[i]];
}

/* ---- the query ------------------------------------------------------------ */

/* Intern a query token; its index in qc->toks, or -1 when full. */
static int query_token(query_ctx *qc, const char *text, uint8_t kind, bool org)
{
    uint32_t k;
    for (k = 0; k < qc->ntoks; k++)
        if (strcmp(qc->toks[k].text, text) == 0) return (int)k;
    if (qc->ntoks == MAX_QTOK) return -1;
    qtok *q = &qc->toks[qc->ntoks++];
    memset(q, 0, offsetof(qtok, mtok));
    q->text = text;
    q->len = (uint32_t)strlen(text);
    q->kind = kind;
    if (org && ctw__match_org_filler(text)) q->kind = CTW_TOKEN_PARTICLE;
    for (uint32_t i = 0; i < q->len; i++)
        if (text[i] >= '0' && text[i] <= '9') q->has_digit = true;
    q->patronymic = ctw__match_patronymic(text, q->len);
    q->numeric = ctw__match_numeric(text, q->len);
    q->place = ctw__match_place(text, q->len);
    return (int)k;
}


static void query_form(query_ctx *qc, const ctw_name_token *toks, size_t ntok, bool org, bool leet)
{
    if (qc->nforms == CTW_TEXT_MAX_FORMS) return;
    qform *qf = &qc->forms[qc->nforms];
    qf->ntok = 0;
    bool nasab = false;
    for (size_t t = 0; t < ntok && qf->ntok < CTW_TEXT_MAX_TOKENS; t++) {
        const char *text = toks[t].text;
        char alt[64];
        if (leet && ctw__match_unleet(text, alt, sizeof alt)) text = ctw_arena_strdup(&qc->arena, alt);
        if (!text) return;
        int k = query_token(qc, text, toks[t].kind, org);
        if (k < 0) continue;
        qf->tok[qf->ntok] = (uint8_t)k;
        qf->flag[qf->ntok] = nasab && toks[t].kind != CTW_TOKEN_PARTICLE ? CTW__TF_NASAB : 0;
        qf->ntok++;
        /* "bin al-Din": the article between keeps the father's name coming */
        if (toks[t].kind != CTW_TOKEN_PARTICLE) nasab = false;
        else if (ctw__match_nasab_word(toks[t].text)) nasab = true;
    }
    if (qf->ntok > 0) qc->nforms++;
}

static int prepare_query(query_ctx *qc, const char *name, bool org, ctw_error *err)
{
    qc->org = org;
    ctw_text_forms forms;
    if (strlen(name) > CTW_TEXT_MAX_INPUT)
        return ctw_error_set(err, CTW_ELIMIT, "name", "the name is longer than %d bytes", CTW_TEXT_MAX_INPUT);
    const char *text = ctw__match_unsort(name, &qc->arena);
    if (!text) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    int rc = ctw_text_romanise(text, strlen(text), &forms);
    if (rc == CTW_EINVAL) return ctw_error_set(err, rc, "name", "the name is not valid UTF-8");
    if (rc == CTW_ELIMIT) return ctw_error_set(err, rc, "name", "the name is longer than %d bytes", CTW_TEXT_MAX_INPUT);
    if (rc != 0) return ctw_error_set(err, rc, "name", "%s", ctw_strerror(rc));
    for (size_t f = 0; f < forms.n && qc->nforms < CTW_TEXT_MAX_FORMS; f++) {
        ctw_name_token *toks;
        size_t ntok;
        if (ctw_text_name_tokens(forms.form[f], &qc->arena, &toks, &ntok) != 0) {
            ctw_text_forms_free(&forms);
            return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
        }
        ntok = ctw__match_canonical(toks, ntok, &qc->arena);
        if (ntok == 0) continue;
        query_form(qc, toks, ntok, org, false);
        char alt[64];
        bool has_leet = false;
        for (size_t t = 0; t < ntok; t++) has_leet |= ctw__match_unleet(toks[t].text, alt, sizeof alt) != 0;
        if (has_leet) query_form(qc, toks, ntok, org, true);
    }
    qc->script = ctw_script_of(text);
    if (strcmp(qc->script, "Latn") != 0 && strcmp(qc->script, "Zyyy") != 0) {
        for (uint32_t i = 0; i < qc->ntoks; i++) qc->toks[i].romanised = true;
        char folded[CTW_TEXT_MAX_INPUT];
        size_t flen;
        if (forms.folded) { /* romanising folded it already */
            if (forms.folded[0]) qc->native = ctw_arena_strdup(&qc->arena, forms.folded);
        } else if (ctw_text_fold(text, strlen(text), folded, sizeof folded, &flen) == 0 && flen > 0) {
            qc->native = ctw_arena_strndup(&qc->arena, folded, flen);
        }
        if (qc->native) native_split(qc->native, &qc->native_words);
    }
    ctw_text_forms_free(&forms);
    return 0;
}


/* Weight of a query token: the rarity of what it matches in the list
 * (a token the list does not hold at all is as telling as the rarest). */
static void weigh_query(query_ctx *qc)
{
    for (uint32_t i = 0; i < qc->ntoks; i++) {
        qtok *q = &qc->toks[i];
        float w = 1.0f;
        float best = 0.0f;
        for (uint32_t m = 0; m < q->nm; m++)
            if (q->msim[m] > best) {
                best = q->msim[m];
                w = qc->ix->dict[q->mtok[m]].weight;
            }
        if (q->kind == CTW_TOKEN_PARTICLE) w *= PARTICLE_WEIGHT;
        else if (q->kind == CTW_TOKEN_INITIAL) w = INITIAL_WEIGHT;
        else if (q->patronymic) w *= PATRONYMIC_WEIGHT;
        q->w = w;
    }
}

static float name_token_weight(const ctw__tok *t)
{
    if (t->particle) return t->weight * PARTICLE_WEIGHT;
    if (t->patronymic) return t->weight * PATRONYMIC_WEIGHT;
    if (t->len == 1) return INITIAL_WEIGHT;
    return t->weight;
}

/* ---- candidates ------------------------------------------------------------- */

static int cmp_qtok_postings(const void *a, const void *b, void *ctx)
{
    const query_ctx *qc = ctx;
    const qtok *x = &qc->toks[*(const uint8_t *)a], *y = &qc->toks[*(const uint8_t *)b];
    return x->postings < y->postings ? -1 : x->postings > y->postings;
}

/* True if name n holds a token marked (tok_mark == mark). */
static bool name_has_marked(const ctw_match_index *ix, uint32_t n, const uint32_t *tok_mark, uint32_t mark)
{
    const ctw__name *nm = &ix->names[n];
    for (uint32_t f = nm->form_off; f < nm->form_off + nm->nforms; f++)
        for (uint32_t i = 0; i < ix->forms[f].ntok; i++)
            if (tok_mark[ix->form_tok[ix->forms[f].tok_off + i]] == mark) return true;
    return false;
}

static inline void add_weight(scratch *sc, uint32_t n, uint32_t qi, float v)
{
    cand_slot *c = &sc->slot[n];
    uint32_t at = c->at;
    if (c->stamp != sc->gen) {
        c->stamp = sc->gen;
        c->at = at = sc->ntouched++;
        sc->touched[at] = n;
        sc->acc[at] = 0.0f;
        sc->mask[at] = 0;
    } else if (at >= sc->ntouched || sc->touched[at] != n) {
        return;   /* left out of the shortlist */
    }
    uint64_t bit = 1ULL << qi;
    if (sc->mask[at] & bit) return;
    sc->mask[at] |= bit;
    sc->acc[at] += v;
}

static void shortlist(scratch *sc);

static void gather(query_ctx *qc, scratch *sc)
{
    const ctw_match_index *ix = qc->ix;
    uint8_t order[MAX_QTOK];
    uint32_t n = 0;
    double total = 0.0;
    for (uint32_t i = 0; i < qc->ntoks; i++) {
        if (qc->toks[i].nm == 0 && qc->toks[i].kind != CTW_TOKEN_INITIAL) continue;
        order[n++] = (uint8_t)i;
        total += qc->toks[i].w;
    }
    qsort_r(order, n, 1, cmp_qtok_postings, qc);
    sc->qtotal = (float)total;
    double remaining = total;
    uint64_t walked = 0;
    bool shortlisted = false;
    for (uint32_t k = 0; k < n; k++) {
        qtok *q = &qc->toks[order[k]];
        /* Walk in full while it is cheap, or while the tokens not yet walked
         * could still make a name reach the review threshold on their own —
         * but never past a hard budget: in a list where every word is common
         * (a million people share a few thousand names) the rest only
         * confirms the names already found. */
        bool full = sc->ntouched == 0 || walked + q->postings <= FULL_WALK_BUDGET ||
                    (total > 0 && remaining / total >= 0.35 && walked + q->postings <= FULL_WALK_MAX);
        remaining -= q->w;
        if (full) {
            walked += q->postings;
            for (uint32_t m = 0; m < q->nm; m++) {
                uint32_t t = q->mtok[m];
                float v = q->w * q->msim[m];
                uint32_t end = ix->post_off[t + 1];
                /* a long posting list touches a slot per name all over the
                 * table (a cache miss each in a big list): ask for the
                 * slots a few postings ahead */
                for (uint32_t p = ix->post_off[t]; p < end; p++) {
                    if (p + PREFETCH_AHEAD < end) __builtin_prefetch(&sc->slot[ix->post[p + PREFETCH_AHEAD]], 1);
                    add_weight(sc, ix->post[p], order[k], v);
                }
            }
        } else {
            float best = 0.0f;
            /* a fresh mark per confirmed token: no clearing between uses */
            if (++sc->mark_seq == 0) {
                memset(sc->tok_mark, 0, (size_t)sc->dict_size * sizeof *sc->tok_mark);
                sc->mark_seq = 1;
            }
            uint32_t mark = sc->mark_seq;
            for (uint32_t m = 0; m < q->nm; m++) {
                if (q->msim[m] > best) best = q->msim[m];
                sc->tok_mark[q->mtok[m]] = mark;
            }
            /* Confirm only, and only among the leading names: the first time,
             * the touched list is cut to the SHORTLIST names with the most
             * weight (the final choice takes far fewer from them). */
            if (!shortlisted && sc->ntouched > SHORTLIST) {
                shortlist(sc);
                shortlisted = true;
            }
            uint32_t nt = sc->ntouched;
            for (uint32_t i = 0; i < nt; i++) {
                uint32_t nm = sc->touched[i];
                /* the names are all over the index: ask for them ahead */
                if (i + PREFETCH_AHEAD < nt) __builtin_prefetch(&ix->names[sc->touched[i + PREFETCH_AHEAD]], 0);
                if (name_has_marked(ix, nm, sc->tok_mark, mark)) add_weight(sc, nm, order[k], q->w * best);
            }
        }
    }
}

/* A min-heap of n candidates h[] keyed by key[] (the two arrays move
 * together, so sifting reads no candidate's slot). */
static void key_heap_down(float *key, uint32_t *h, uint32_t n, uint32_t i)
{
    /* the entry sifted down is held aside and written once where it
     * stops: the same comparisons, and so the same heap, as swapping it
     * down level by level */
    float v = key[i];
    uint32_t hv = h[i];
    for (;;) {
        uint32_t l = 2 * i + 1, r = l + 1, m = i;
        float km = v;
        if (l < n && key[l] < km) {
            m = l;
            km = key[l];
        }
        if (r < n && key[r] < km) {
            m = r;
            km = key[r];
        }
        if (m == i) break;
        key[i] = km;
        h[i] = h[m];
        i = m;
    }
    key[i] = v;
    h[i] = hv;
}

/* Offer candidate id of weight v to the min-heap h/key of at most k
 * (*n held): taken while the heap has room (and heapified once full),
 * then only in place of the lightest. */
static inline void key_heap_offer(float *key, uint32_t *h, uint32_t *n, uint32_t k, uint32_t id, float v)
{
    if (*n < k) {
        h[*n] = id;
        key[(*n)++] = v;
        if (*n == k)
            for (uint32_t j = k / 2 + 1; j-- > 0;) key_heap_down(key, h, k, j);
    } else if (v > key[0]) {
        h[0] = id;
        key[0] = v;
        key_heap_down(key, h, k, 0);
    }
}

/* The k-th largest of v[0..n) (1 <= k <= n); v is reordered so that
 * v[0..k) holds the k largest. Quickselect with Hoare partitions around
 * the median of three: each pass leaves the part it drops on the side
 * where it belongs. */
static float kth_largest(float *v, uint32_t n, uint32_t k)
{
    uint32_t lo = 0, hi = n - 1, want = k - 1; /* index in descending order */
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        float a = v[lo], b = v[mid], c = v[hi];
        float pivot = a > b ? (b > c ? b : (a > c ? c : a)) : (a > c ? a : (b > c ? c : b));
        uint32_t i = lo, j = hi;
        for (;;) { /* descending: v[lo..i) >= pivot, v(j..hi] <= pivot */
            while (v[i] > pivot) i++;
            while (v[j] < pivot) j--;
            if (i >= j) break;
            float t = v[i];
            v[i] = v[j];
            v[j] = t;
            i++;
            j--;
        }
        if (want <= j) hi = j;
        else lo = j + 1;
    }
    return v[want];
}

/* The positions in the touched arrays of the k (at most SHORTLIST)
 * touched names with the most weight, in the order they were touched;
 * among names of equal weight at the cut, the first touched. One
 * selection and one pass, not a heap: with thousands of names touched and
 * k = SHORTLIST, sifting a heap was a tenth of all screening time.
 * Selects in sc->sel, a copy of the weights. */
static uint32_t top_candidates(scratch *sc, uint32_t *out, uint32_t k)
{
    uint32_t n = sc->ntouched;
    if (n <= k) {
        for (uint32_t i = 0; i < n; i++) out[i] = i;
        return n;
    }
    memcpy(sc->sel, sc->acc, (size_t)n * sizeof *sc->sel);
    float cut = kth_largest(sc->sel, n, k);
    /* the selection left the k heaviest in sel[0..k): every weight above
     * the cut is among them */
    uint32_t above = 0;
    for (uint32_t i = 0; i < k; i++) above += sc->sel[i] > cut;
    uint32_t ties = k - above, m = 0;
    for (uint32_t i = 0; i < n && m < k; i++) {
        float v = sc->acc[i];
        if (v > cut || (v == cut && ties > 0 && ties--)) out[m++] = i;
    }
    return m;
}

/* Cut the touched names to the SHORTLIST with the most weight, in the
 * order top_candidates gives them. The names left out keep their stale
 * slot (add_weight sees that touched[at] is no longer them). */
static void shortlist(scratch *sc)
{
    uint32_t pos[SHORTLIST], name[SHORTLIST];
    float acc[SHORTLIST];
    uint64_t mask[SHORTLIST];
    uint32_t n = top_candidates(sc, pos, SHORTLIST);
    for (uint32_t i = 0; i < n; i++) {
        name[i] = sc->touched[pos[i]];
        acc[i] = sc->acc[pos[i]];
        mask[i] = sc->mask[pos[i]];
    }
    for (uint32_t i = 0; i < n; i++) {
        sc->touched[i] = name[i];
        sc->acc[i] = acc[i];
        sc->mask[i] = mask[i];
        sc->slot[name[i]].at = i;
    }
    sc->ntouched = n;
}

/* The MAX_CANDIDATES candidates likely to score best. The weight a name
 * gathered says how much of the query it holds; its final score also
 * counts how much of the name the query covers (QUERY_SHARE). Ranked by
 * gathered weight alone, a short query's slots fill with long names that
 * share its one word ("Afiz" finds dozens of "Hafiz Mohammed ..." a letter
 * closer than "Faiz", which is the whole of that name), and the name that
 * would score best is never scored. So the RERANK heaviest are ranked
 * again, adding the share of the name's words the query's matched words
 * could cover. It is a rank only: every candidate is then scored in full. */
static uint32_t best_candidates(const ctw_match_index *ix, scratch *sc, uint32_t *out, float share)
{
    /* first the RERANK heaviest (cheap: gathered weights only), then the
     * name's side for those alone (one byte per name read, not one per
     * touched name: a million-name list touches tens of thousands) */
    uint32_t pool[RERANK];
    uint32_t np = top_candidates(sc, pool, RERANK);
    float key[MAX_CANDIDATES];
    float qscale = sc->qtotal > 0 ? 1.0f / sc->qtotal : 0.0f;
    float rest = 1.0f - share;
    uint32_t n = 0;
    for (uint32_t i = 0; i < np; i++) {
        uint32_t at = pool[i], c = sc->touched[at];
        float covered = (float)__builtin_popcountll(sc->mask[at]) / (float)ix->name_words[c];
        float e = share * sc->acc[at] * qscale + rest * (covered < 1.0f ? covered : 1.0f);
        key_heap_offer(key, out, &n, MAX_CANDIDATES, c, e);
    }
    return n;
}

/* ---- full name score -------------------------------------------------------- */

#define CONCAT_MIN 0.90f      /* a word against two to four joined words of the other side */
#define ACRONYM_SIM 0.85f     /* a short word that is the initials of the other side's words */
#define INVERSION_PENALTY 0.05
#define INVERSION_PENALTY_MAX 0.10
#define NASAB_MISMATCH 0.5f
#define FATHER_CONFLICT 0.20   /* a father's name aligned with a given name counts half */

typedef struct alignment {
    double score;
    double cov_q, cov_n;
    uint32_t qform, nform;     /* which forms gave it */
    uint8_t nq, nn;            /* tokens in each */
    int8_t pair[CTW_TEXT_MAX_TOKENS];   /* query token i → name token j, or -1 */
    float sim[CTW_TEXT_MAX_TOKENS];     /* similarity of query token i */
    float nsim[CTW_TEXT_MAX_TOKENS];    /* similarity of name token j */
    uint8_t inversions;
    bool parts_conflict;       /* both give a father's name or an initial, and they differ */
} alignment;

/* Join texts[from..from+k-1] into buf; false if it does not fit. */
/* A side of an alignment: its words and their lengths. */
typedef struct side {
    const char *t[CTW_TEXT_MAX_TOKENS];
    uint8_t len[CTW_TEXT_MAX_TOKENS];
    char first[CTW_TEXT_MAX_TOKENS];   /* t[i][0], without following t[i] */
    uint64_t firsts;                   /* CTW__FIRST_BIT of every first[i] */
    uint32_t n;
} side;

static float concat_sim(const char *word, const char *joined)
{
    if (strcmp(word, joined) == 0) return 1.0f;
    float s = (float)ctw_jaro_winkler(word, joined, false);
    return s >= CONCAT_MIN ? s : 0.0f;
}

/* One side's unmatched word against runs of 2–4 unmatched adjacent words
 * of the other side ("siemensag" / "siemens ag", "abc" / "a b c"). */
static void match_joined(const side *one, float *sim1, const side *other, float *sim2, int8_t *pair,
                         bool one_is_query, bool exact_only)
{
    char buf[160];
    for (uint32_t i = 0; i < one->n; i++) {
        size_t lw = one->len[i];
        if (sim1[i] > 0 || lw < 2) continue;
        bool done = false;
        for (uint32_t j = 0; j + 1 < other->n && !done; j++) {
            /* a joined word starts like its parts */
            if (other->t[j][0] != one->t[i][0] || sim2[j] > 0) continue;
            size_t lj = other->len[j];
            for (uint32_t k = 2; k <= 4 && j + k <= other->n && !done; k++) {
                uint32_t x = j + k - 1;
                if (sim2[x] > 0) break;
                lj += other->len[x];
                /* and is about as long as they are together */
                if (lj > lw + 2 || lj + 1 > sizeof buf) break;
                if (lj + 2 < lw) continue;
                /* only the same word joined counts here: equal lengths first */
                if (exact_only && lj != lw) continue;
                size_t o = 0;
                for (uint32_t y = j; y < j + k; y++) {
                    memcpy(buf + o, other->t[y], other->len[y]);
                    o += other->len[y];
                }
                buf[o] = '\0';
                /* exact_only keeps s == 1 alone, which Jaro-Winkler gives only
                 * for equal strings: compare them and skip it */
                float s = exact_only ? (strcmp(one->t[i], buf) == 0 ? 1.0f : 0.0f) : concat_sim(one->t[i], buf);
                if (s <= 0 || (exact_only && s < 1.0f)) continue;
                sim1[i] = s;
                for (uint32_t y = j; y < j + k; y++) sim2[y] = s;
                if (one_is_query) pair[i] = (int8_t)j;
                else
                    for (uint32_t y = j; y < j + k; y++) pair[y] = (int8_t)i;
                done = true;
            }
        }
    }
}

/* One side's unmatched short word against the initials of a run of the
 * other side's unmatched words: "pla" / "people's liberation army",
 * "jc" / "jean claude". */
static void match_acronym(const side *one, float *sim1, const side *other, float *sim2)
{
    for (uint32_t i = 0; i < one->n; i++) {
        size_t len = one->len[i];
        if (sim1[i] > 0 || len < 2 || len > 6) continue;
        for (uint32_t j = 0; j + len <= other->n; j++) {
            bool ok = true;
            for (uint32_t x = 0; x < len && ok; x++)
                ok = sim2[j + x] <= 0 && other->t[j + x][0] == one->t[i][x] && other->len[j + x] > 1;
            if (!ok) continue;
            sim1[i] = ACRONYM_SIM;
            for (uint32_t x = 0; x < len; x++) sim2[j + x] = ACRONYM_SIM;
            break;
        }
    }
}

/* Mark the words of one and other that match_joined or match_acronym
 * might give a similarity: their conditions on first letters and lengths,
 * without the similarity itself. */
static void mark_joinable(const side *one, bool *m1, const side *other, bool *m2)
{
    for (uint32_t i = 0; i < one->n; i++) {
        size_t lw = one->len[i];
        /* both tests below start at a word of other with this first letter */
        if (lw < 2 || !(other->firsts & CTW__FIRST_BIT(one->first[i]))) continue;
        /* match_joined: a run of 2-4 words of other, starting with the
         * same letter, about as long */
        for (uint32_t j = 0; j + 1 < other->n; j++) {
            if (other->first[j] != one->first[i]) continue;
            size_t lj = other->len[j];
            for (uint32_t k = 2; k <= 4 && j + k <= other->n; k++) {
                uint32_t x = j + k - 1;
                lj += other->len[x];
                if (lj > lw + 2 || lj + 1 > 160) break;
                if (lj + 2 < lw) continue;
                m1[i] = true;
                for (uint32_t y = j; y <= x; y++) m2[y] = true;
            }
        }
        /* match_acronym: the initials of a run of other's words */
        if (lw > 6) continue;
        for (uint32_t j = 0; j + lw <= other->n; j++) {
            /* one's word is read past its first letter only when that fits */
            bool ok = other->first[j] == one->first[i];
            for (uint32_t x = 0; x < lw && ok; x++)
                ok = other->first[j + x] == one->t[i][x] && other->len[j + x] > 1;
            if (!ok) continue;
            m1[i] = true;
            for (uint32_t x = 0; x < lw; x++) m2[j + x] = true;
        }
    }
}

/* A number or series marker: digits, or in the name of anything but a
 * person a Roman numeral ("Fund IV", "Trust XV"; a person's "Xi" or "Vi"
 * is a name). Vessels, funds and trusts come in series ("Snow Storm 1",
 * "Snow Storm 2"; "KKR Asian Fund III", "... IV"): the marker tells the
 * members of a family apart, but a sanctioned member's siblings share its
 * owner, so a differing marker costs its weight and no more, and a marker
 * weighs as little as an initial. It is not a word for the caps on one
 * shared word, nor an initial for the conflict of initials. The word's
 * class is worked out once (ctw__match_numeric, index.c); things says
 * whether Roman numerals count. */
static inline bool numeric_is(uint8_t numeric, bool things)
{
    return (numeric & CTW__NUM_DIGITS) || (things && (numeric & CTW__NUM_ROMAN));
}

/* With places: an organisation whose name says a country or region on
 * one side only. That names a national branch or subsidiary of the same
 * group ("Faberlic" / "Faberlic Europe Sp. z o.o."), and screening is
 * there to show a listed group's branches (ownership and control carry a
 * designation to subsidiaries): the place weighs as a legal form and is no
 * word for the caps. When both sides name places and they differ
 * ("Government of Estonia" / "Government of Ethiopia") they are other
 * entities, and the places weigh in full. */
static double query_weight(const qtok *q, bool things, bool places)
{
    if (places && q->kind != CTW_TOKEN_PARTICLE && q->place) return q->w * PARTICLE_WEIGHT;
    return numeric_is(q->numeric, things) ? NUMBER_WEIGHT : q->w;
}

static double list_weight(const ctw__tok *t, bool things, bool places)
{
    if (places && !t->particle && t->place) return name_token_weight(t) * PARTICLE_WEIGHT;
    return numeric_is(t->numeric, things) ? NUMBER_WEIGHT : name_token_weight(t);
}

/* A word for the caps on one shared word: not a particle, number or place. */
static bool query_word(const qtok *q, bool things, bool places)
{
    return q->kind != CTW_TOKEN_PARTICLE && !numeric_is(q->numeric, things) && !(places && q->place);
}

static bool list_word(const ctw__tok *t, bool things, bool places)
{
    return !t->particle && !numeric_is(t->numeric, things) && !(places && t->place);
}

/* A link of a chain of fathers' names: a name after bin/ibn, or the
 * bin/ibn itself. */
static bool chain_link(const ctw__tok *t, uint8_t flag)
{
    return (flag & CTW__TF_NASAB) || t->nasab;
}

/* bound_forms' sums, for one way of weighing places. */
static double bound_sums(const query_ctx *qc, const qform *qf, const ctw__form *nf, const uint8_t *nflag, uint32_t nq,
                         uint32_t nn, const float *mq, const float *mn, bool things, bool places)
{
    const ctw_match_index *ix = qc->ix;
    double wq_all = 0, wq_hit = 0, wn_all = 0, wn_hit = 0;
    uint32_t kq = 0, kn = 0, matched = 0;
    for (uint32_t i = 0; i < nq; i++) {
        const qtok *q = &qc->toks[qf->tok[i]];
        double w = query_weight(q, things, places);
        wq_all += w;
        wq_hit += w * mq[i];
        if (q->kind != CTW_TOKEN_PARTICLE) {
            if (query_word(q, things, places)) kq++;
            if (mq[i] > 0) matched++;
        }
    }
    for (uint32_t j = 0; j < nn; j++) {
        const ctw__tok *t = &ix->dict[ix->form_tok[nf->tok_off + j]];
        double w = list_weight(t, things, places);
        /* any link of a chain of fathers' names but the first and last
         * word may be left out (see align_forms) */
        wn_all += j > 0 && j + 1 < nn && chain_link(t, nflag[j]) ? w * CHAIN_FACTOR : w;
        wn_hit += w * mn[j];
        if (list_word(t, things, places)) kn++;
    }
    double cov_q = wq_all > 0 ? wq_hit / wq_all : 0, cov_n = wn_all > 0 ? wn_hit / wn_all : 0;
    double share = qc->org ? ORG_QUERY_SHARE : QUERY_SHARE;
    double s = share * cov_q + (1.0 - share) * cov_n;
    bool joined = cov_q >= 0.9 && cov_n >= 0.9;
    if (kq >= 2 && kn >= 2 && matched < 2 && s > 0.6 && !joined) s = 0.6;
    if (kq == 1 && kn >= 2 && s > 0.75 && !joined) s = 0.75;
    if (matched == 0) s = 0;
    return s < 0 ? 0 : s;
}

/* The most align_forms can score the pair (qf, nf), from the similarity
 * matrix it computed: see "pruning" above. Mirrors align_forms' sums. */
static double bound_forms(const query_ctx *qc, const qform *qf, const ctw__form *nf, const uint8_t *nflag,
                          const side *qs, const side *ns, float simm[CTW_TEXT_MAX_TOKENS][CTW_TEXT_MAX_TOKENS],
                          bool things)
{
    uint32_t nq = qs->n, nn = ns->n;
    bool jq[CTW_TEXT_MAX_TOKENS] = {0}, jn[CTW_TEXT_MAX_TOKENS] = {0};
    float mq[CTW_TEXT_MAX_TOKENS], mn[CTW_TEXT_MAX_TOKENS];
    mark_joinable(qs, jq, ns, jn);
    mark_joinable(ns, jn, qs, jq);
    for (uint32_t j = 0; j < nn; j++) mn[j] = jn[j] ? 1.0f : 0.0f;
    for (uint32_t i = 0; i < nq; i++) {
        mq[i] = jq[i] ? 1.0f : 0.0f;
        for (uint32_t j = 0; j < nn; j++) {
            if (simm[i][j] > mq[i]) mq[i] = simm[i][j];
            if (simm[i][j] > mn[j]) mn[j] = simm[i][j];
        }
    }
    /* align_forms weighs places one way or the other, after matching:
     * the bound is the higher of the two */
    double s = bound_sums(qc, qf, nf, nflag, nq, nn, mq, mn, things, false);
    if (qc->org) s = fmax(s, bound_sums(qc, qf, nf, nflag, nq, nn, mq, mn, things, true));
    return s;
}

/* ---- pruning: an upper bound of a name's score -------------------------- */

/* Screening reports a record only when its rounded score reaches the
 * threshold, so a pair of forms whose alignment cannot reach that score is
 * not aligned at all (the greedy assignment, joined words and acronyms are
 * most of a query's scoring time). The bound takes for each word the best
 * similarity it has with any word of the other side, or 1 when it might be
 * part of joined words or an acronym; penalties are left out, the caps of
 * align_forms kept when they surely apply. It is computed with the same
 * operations in the same order as the score, so rounding cannot put the
 * score above it. A pair pruned is one that could not change what is
 * reported: its name's final score stays below the threshold (see
 * score_name and ctw_match_screen). ctw__match_set_exhaustive(true) turns
 * pruning (and the memo of match_token) off, which `make eval` uses to show
 * it changes nothing. */
typedef struct prune {
    double fe;                 /* the record's birth date, nationality, ... effect */
    double factor;             /* weak alias factor, or 1 */
    double threshold;          /* the query's */
} prune;


static double round3(double v);
static double clamp01(double v);

/* Could a name score s (before the weak alias factor) be reported? */
static bool prune_pass(const prune *pr, double s)
{
    return round3(clamp01(s * pr->factor + pr->fe)) >= pr->threshold;
}

static void align_forms(const query_ctx *qc, const qform *qf, const ctw__form *nf, const uint8_t *nflag,
                        bool things, alignment *a, const prune *pr)
{
    const ctw_match_index *ix = qc->ix;
    uint32_t nq = qf->ntok, nn = nf->ntok;
    float simm[CTW_TEXT_MAX_TOKENS][CTW_TEXT_MAX_TOKENS];
    side qs, ns;
    uint64_t qfirsts = 0, nfirsts = 0;
    bool q_nasab = false, n_nasab = false;
    a->nq = (uint8_t)nq;
    a->nn = (uint8_t)nn;
    a->inversions = 0;
    for (uint32_t i = 0; i < nq; i++) q_nasab |= qf->flag[i] & CTW__TF_NASAB;
    for (uint32_t j = 0; j < nn; j++) {
        n_nasab |= nflag[j] & CTW__TF_NASAB;
        const ctw__tok *tk = &ix->dict[ix->form_tok[nf->tok_off + j]];
        ns.t[j] = tk->text;
        ns.first[j] = tk->first;
        nfirsts |= CTW__FIRST_BIT(tk->first);
        ns.len[j] = (uint8_t)(tk->len > 255 ? 255 : tk->len);
        a->nsim[j] = 0.0f;
    }
    for (uint32_t i = 0; i < nq; i++) {
        qs.t[i] = qc->toks[qf->tok[i]].text;
        qs.first[i] = qs.t[i][0];
        qfirsts |= CTW__FIRST_BIT(qs.first[i]);
        qs.len[i] = (uint8_t)(qc->toks[qf->tok[i]].len > 255 ? 255 : qc->toks[qf->tok[i]].len);
        a->pair[i] = -1;
        a->sim[i] = 0.0f;
        for (uint32_t j = 0; j < nn; j++) {
            float v = sim_lookup(qc, &qc->toks[qf->tok[i]], ix->form_tok[nf->tok_off + j]);
            /* "Salman bin Muhammad" is not "Muhammad bin Salman" */
            if (q_nasab && n_nasab && (qf->flag[i] & CTW__TF_NASAB) != (nflag[j] & CTW__TF_NASAB))
                v *= NASAB_MISMATCH;
            simm[i][j] = v;
        }
    }
    qs.n = nq;
    ns.n = nn;
    qs.firsts = qfirsts;
    ns.firsts = nfirsts;
    if (pr && !prune_pass(pr, bound_forms(qc, qf, nf, nflag, &qs, &ns, simm, things))) {
        a->score = -1; /* cannot be reported: not aligned */
        return;
    }
    int8_t npair[CTW_TEXT_MAX_TOKENS];
    memset(npair, -1, sizeof npair);
    /* words written joined on one side and apart on the other first:
     * otherwise "abc" would take "a" as its initial */
    match_joined(&qs, a->sim, &ns, a->nsim, a->pair, true, true);
    match_joined(&ns, a->nsim, &qs, a->sim, npair, false, true);
    /* greedy assignment, best pair first: order does not matter */
    for (;;) {
        float best = 0.0f;
        int bi = -1, bj = -1;
        for (uint32_t i = 0; i < nq; i++) {
            if (a->pair[i] >= 0 || a->sim[i] > 0) continue;
            for (uint32_t j = 0; j < nn; j++)
                if (a->nsim[j] <= 0 && simm[i][j] > best) {
                    best = simm[i][j];
                    bi = (int)i;
                    bj = (int)j;
                }
        }
        if (bi < 0) break;
        a->pair[bi] = (int8_t)bj;
        a->sim[bi] = best;
        a->nsim[bj] = best;
    }
    /* only when words are left over on both sides */
    bool q_left = false, n_left = false;
    for (uint32_t i = 0; i < nq; i++) q_left |= a->sim[i] <= 0;
    for (uint32_t j = 0; j < nn; j++) n_left |= a->nsim[j] <= 0;
    if (q_left && n_left) {
        match_joined(&qs, a->sim, &ns, a->nsim, a->pair, true, false);
        match_joined(&ns, a->nsim, &qs, a->sim, npair, false, false);
        match_acronym(&qs, a->sim, &ns, a->nsim);
        match_acronym(&ns, a->nsim, &qs, a->sim);
    }

    /* "Abdul Mohammad" / "Mohammad": the Abd- word left out. But
     * "Abdul Mohammad" / "Dost Mohammad": another word stands where it
     * stood, and "Dost Mohammad" is another compound name. */
    for (uint32_t i = 0; i < nq; i++) {
        int j = a->pair[i];
        if (j < 0 || a->sim[i] != ABD_BARE_SIM) continue;
        bool replaced = false;
        if (abd_bare(qs.t[i], qs.len[i], ns.t[j], ns.len[j]))
            replaced = j > 0 && a->nsim[j - 1] <= 0 && !ix->dict[ix->form_tok[nf->tok_off + (uint32_t)j - 1]].particle;
        else if (abd_bare(ns.t[j], ns.len[j], qs.t[i], qs.len[i]))
            replaced = i > 0 && a->sim[i - 1] <= 0 && qc->toks[qf->tok[i - 1]].kind != CTW_TOKEN_PARTICLE;
        if (replaced) {
            a->sim[i] = 0.0f;
            a->nsim[j] = 0.0f;
            a->pair[i] = -1;
        }
    }

    /* Words in another order ("Hans Friedrich" / "Friedrich Hans") may be
     * another person: a little is taken off per pair out of order. */
    for (uint32_t i = 0; i < nq; i++)
        for (uint32_t k = i + 1; k < nq; k++)
            if (a->pair[i] >= 0 && a->pair[k] >= 0 && a->pair[i] > a->pair[k] &&
                qc->toks[qf->tok[i]].kind != CTW_TOKEN_PARTICLE && qc->toks[qf->tok[k]].kind != CTW_TOKEN_PARTICLE)
                a->inversions++;

    /* a place on one side only names a branch: see query_weight */
    bool places = false;
    if (qc->org) {
        bool q_place = false, n_place = false;
        for (uint32_t i = 0; i < nq && !q_place; i++)
            q_place = a->sim[i] <= 0 && qc->toks[qf->tok[i]].kind != CTW_TOKEN_PARTICLE && qc->toks[qf->tok[i]].place;
        for (uint32_t j = 0; j < nn && q_place && !n_place; j++)
            n_place = a->nsim[j] <= 0 && !ix->dict[ix->form_tok[nf->tok_off + j]].particle && ix->dict[ix->form_tok[nf->tok_off + j]].place;
        places = !(q_place && n_place);
    }
    double wq_all = 0, wq_hit = 0, wn_all = 0, wn_hit = 0;
    uint32_t kq = 0, kn = 0, matched = 0;
    for (uint32_t i = 0; i < nq; i++) {
        const qtok *q = &qc->toks[qf->tok[i]];
        double w = query_weight(q, things, places);
        wq_all += w;
        wq_hit += w * a->sim[i];
        if (q->kind != CTW_TOKEN_PARTICLE) {
            if (query_word(q, things, places)) kq++;
            if (a->sim[i] > 0) matched++;
        }
    }
    /* An Arabic name's chain of fathers' names ("Usama bin Muhammad ibn
     * Awad ibn Ladin": Usama son of Muhammad son of Awad of the Ladin
     * family) is mostly cut to the given and family names ("Osama bin
     * Laden"): when every word of the query is matched, a link of the
     * listed chain left unmatched between two matched words weighs
     * CHAIN_FACTOR of its weight. Another word in its place ("Hans O.
     * Friedrich" / "Hans Joachim Friedrich") is not a link left out. */
    int first = -1, last = -1;
    bool q_whole = true;
    for (uint32_t i = 0; i < nq; i++)
        if (a->sim[i] <= 0 && qc->toks[qf->tok[i]].kind != CTW_TOKEN_PARTICLE) q_whole = false;
    for (uint32_t j = 0; j < nn && q_whole; j++)
        if (a->nsim[j] > 0) {
            if (first < 0) first = (int)j;
            last = (int)j;
        }
    for (uint32_t j = 0; j < nn; j++) {
        const ctw__tok *t = &ix->dict[ix->form_tok[nf->tok_off + j]];
        double w = list_weight(t, things, places);
        bool left_out = a->nsim[j] <= 0 && (int)j > first && (int)j < last && chain_link(t, nflag[j]);
        wn_all += left_out ? w * CHAIN_FACTOR : w;
        wn_hit += w * a->nsim[j];
        if (list_word(t, things, places)) kn++;
    }
    a->cov_q = wq_all > 0 ? wq_hit / wq_all : 0;
    a->cov_n = wn_all > 0 ? wn_hit / wn_all : 0;
    /* Both name a father and the fathers differ ("Sergey Viktorovich" /
     * "Sergey Ivanovich", "Salim bin Ali" / "Salim bin Omar"): another
     * person, whatever the rest says. */
    bool q_father = false, n_father = false;
    for (uint32_t i = 0; i < nq; i++)
        if (a->sim[i] <= 0 && ((qf->flag[i] & CTW__TF_NASAB) || qc->toks[qf->tok[i]].patronymic)) q_father = true;
    for (uint32_t j = 0; j < nn; j++)
        if (a->nsim[j] <= 0 && ((nflag[j] & CTW__TF_NASAB) || ix->dict[ix->form_tok[nf->tok_off + j]].patronymic))
            n_father = true;
    a->parts_conflict = q_father && n_father;
    /* "William G. Frost" / "William W. Frost": initials that both sides
     * give and that differ say as much */
    bool q_init = false, n_init = false;
    for (uint32_t i = 0; i < nq; i++)
        q_init |= a->sim[i] <= 0 && qs.len[i] == 1 && !numeric_is(qc->toks[qf->tok[i]].numeric, things);
    for (uint32_t j = 0; j < nn; j++)
        n_init |= a->nsim[j] <= 0 && ns.len[j] == 1 && !numeric_is(ix->dict[ix->form_tok[nf->tok_off + j]].numeric, things);
    a->parts_conflict |= q_init && n_init;
    /* A person's listed name often has middle names the query lacks; an
     * organisation's extra word ("Banco Santander Mexico") names another. */
    double share = qc->org ? ORG_QUERY_SHARE : QUERY_SHARE;
    double s = share * a->cov_q + (1.0 - share) * a->cov_n;
    if (a->parts_conflict) s -= FATHER_CONFLICT;
    double pen = INVERSION_PENALTY * a->inversions;
    s -= pen > INVERSION_PENALTY_MAX ? INVERSION_PENALTY_MAX : pen;
    /* One shared word is not a name match when both sides have several
     * (unless that word is the other side's words written joined). */
    bool joined = a->cov_q >= 0.9 && a->cov_n >= 0.9;
    if (kq >= 2 && kn >= 2 && matched < 2 && s > 0.6 && !joined) s = 0.6;
    /* A one-word query against a longer listed name is at most a review. */
    if (kq == 1 && kn >= 2 && s > 0.75 && !joined) s = 0.75;
    if (matched == 0) s = 0;
    a->score = s < 0 ? 0 : s;
}

/* Two names in the same non-Latin script are also compared as written:
 * romanisation merges what the script keeps apart (高石 / 高市 both read
 * "gao shi"). Word by word, similarity 1 - edits / length (in code points).
 * Both texts are folded by ICU, so valid UTF-8; each is decoded once. */
/* Split s at spaces into at most CTW_TEXT_MAX_TOKENS words of code points. */
static void native_split(const char *s, native_words *w)
{
    int32_t i = 0, slen = (int32_t)strnlen(s, CTW_TEXT_MAX_INPUT);
    uint32_t k = 0;
    w->n = 0;
    while (i < slen && w->n < CTW_TEXT_MAX_TOKENS) {
        while (i < slen && s[i] == ' ') i++;
        if (i >= slen) break;
        w->off[w->n] = (uint16_t)k;
        while (i < slen && s[i] != ' ' && k < NATIVE_MAX_CP) {
            UChar32 c;
            U8_NEXT(s, i, slen, c);
            w->cp[k++] = (uint32_t)c;
        }
        while (i < slen && s[i] != ' ') i++; /* past the cut */
        w->len[w->n] = (uint16_t)(k - w->off[w->n]);
        w->n++;
    }
}

static double native_score(const native_words *qw, const char *n, const char *script)
{
    /* a Han character or a Hangul syllable is a whole syllable: one of four
     * changed is another name; letters of alphabets and abugidas vary more */
    bool syllabic = strcmp(script, "Hani") == 0 || strcmp(script, "Hang") == 0 || strcmp(script, "Hira") == 0 ||
                    strcmp(script, "Kana") == 0 || strcmp(script, "Jpan") == 0 || strcmp(script, "Kore") == 0;
    double cutoff = syllabic ? 0.8 : 0.7;
    static _Thread_local native_words nw; /* 16 KiB: not on the stack */
    native_split(n, &nw);
    uint32_t nq = qw->n, nn = nw.n;
    if (nq == 0 || nn == 0) return 0;
    bool used[CTW_TEXT_MAX_TOKENS] = {0};
    double hit_q = 0, hit_n = 0;
    for (uint32_t i = 0; i < nq; i++) {
        double best = 0;
        int bj = -1;
        for (uint32_t j = 0; j < nn; j++) {
            if (used[j]) continue;
            uint32_t lq = qw->len[i], ln = nw.len[j];
            int d = ctw_levenshtein_cps(qw->cp + qw->off[i], lq, nw.cp + nw.off[j], ln);
            uint32_t len = lq > ln ? lq : ln;
            double v = d < 0 || len == 0 ? 0 : 1.0 - (double)d / len;
            if (v >= cutoff && v > best) {
                best = v;
                bj = (int)j;
            }
        }
        if (bj >= 0) {
            used[bj] = true;
            hit_q += best;
            hit_n += best;
        }
    }
    return QUERY_SHARE * hit_q / nq + (1.0 - QUERY_SHARE) * hit_n / nn;
}

/* A bound of every alignment of name n, before any: the candidate loop
 * skips a name whose bound cannot be reported (prune_pass), without
 * reading its words, from its outline (index.c) alone. bound_forms takes,
 * for each query word, its best similarity with a word of the name form,
 * or 1 if it may be part of joined words or an acronym (mark_joinable);
 * here that is 1 when it may be more than 0:
 *  - the name holds a word the query word matched (gather set its bit
 *    in the candidate's mask, whichever form holds it), or
 *  - a word of the name starts with its first letter (an initial on either
 *    side agrees only so; the query word as the name's words joined or as
 *    their initials), or
 *  - a word of the name may be a run of 2-4 query words written joined
 *    that holds it: the run starts at most 3 words before it with a first
 *    letter a word of the name has, and is at most 2 letters longer than
 *    the name's longest word, or
 *  - a word of the name may be the initials of a run of query words that
 *    holds it (qform's runs against the outline's short words, by hash).
 * The list's side counts as wholly matched and no cap applies. Each term
 * of the sum is at least bound_sums' for every pair of forms, in the same
 * order, so rounding cannot put this below it: a name skipped here is one
 * whose every pair bound_forms would have pruned. The organisation's second
 * way of weighing places is bounded the same way. */
static void name_bound_prepare(query_ctx *qc)
{
    for (uint32_t f = 0; f < qc->nforms; f++) {
        const qform *qf = &qc->forms[f];
        qform_outline *qo = &qc->outline[f];
        qo->nruns = 0;
        for (uint32_t i = 0; i < qf->ntok; i++) {
            const qtok *q = &qc->toks[qf->tok[i]];
            qo->tok_bit[i] = 1ULL << qf->tok[i];
            qo->first_bit[i] = CTW__FIRST_BIT(q->text[0]);
            qo->run_bloom[i] = 0;
            qo->w[0][i] = query_weight(q, false, false);
            qo->w[1][i] = query_weight(q, true, false);
            qo->len[i] = (uint8_t)(q->len > 255 ? 255 : q->len);
        }
        for (uint32_t s = 0; s < qf->ntok; s++) {
            char initials[6];
            for (uint32_t n = 1; n <= 6 && s + n <= qf->ntok; n++) {
                const qtok *q = &qc->toks[qf->tok[s + n - 1]];
                if (q->len <= 1) break;   /* mark_joinable: no initial in such a run */
                initials[n - 1] = q->text[0];
                if (n < 2) continue;
                uint16_t h = ctw__acro_hash(initials, n);
                qo->run_hash[qo->nruns] = h;
                qo->run_from[qo->nruns] = (uint8_t)s;
                qo->run_to[qo->nruns] = (uint8_t)(s + n - 1);
                qo->nruns++;
                for (uint32_t x = s; x < s + n; x++) qo->run_bloom[x] |= 1ULL << (h & 63u);
            }
        }
    }
}

/* May a short word of the name be the initials of a run holding word i? */
static bool acro_may(const qform_outline *qo, uint32_t i, const ctw__name_outline *o)
{
    if (o->nacro > CTW__OUTLINE_ACRO) return qo->run_bloom[i] != 0;
    uint64_t bloom = 0;
    for (uint32_t k = 0; k < o->nacro; k++) bloom |= 1ULL << (o->acro[k] & 63u);
    if (!(bloom & qo->run_bloom[i])) return false;
    for (uint32_t r = 0; r < qo->nruns; r++) {
        if (qo->run_from[r] > i || qo->run_to[r] < i) continue;
        for (uint32_t k = 0; k < o->nacro; k++)
            if (o->acro[k] == qo->run_hash[r]) return true;
    }
    return false;
}

/* The bound for query form f, its words weighed as query_weight(things,
 * places) does. */
static double name_bound_form(const query_ctx *qc, uint32_t f, uint64_t mask, const ctw__name_outline *o, bool things,
                              bool places)
{
    const qform *qf = &qc->forms[f];
    const qform_outline *qo = &qc->outline[f];
    double w_all = 0, w_hit = 0;
    for (uint32_t i = 0; i < qf->ntok; i++) {
        double w = places ? query_weight(&qc->toks[qf->tok[i]], things, places) : qo->w[things][i];
        bool may = (mask & qo->tok_bit[i]) || (o->firsts & qo->first_bit[i]);
        uint32_t run = qo->len[i];
        for (uint32_t k = i; k-- > 0 && k + 3 >= i && !may;) {
            run += qo->len[k];
            may = (o->firsts & qo->first_bit[k]) && run <= (uint32_t)o->maxlen + 2;
        }
        if (!may && o->nacro) may = acro_may(qo, i, o);
        w_all += w;
        w_hit += may ? w : 0.0;
    }
    double share = qc->org ? ORG_QUERY_SHARE : QUERY_SHARE;
    double cov_q = w_all > 0 ? w_hit / w_all : 0;
    return share * cov_q + (1.0 - share) * 1.0;
}

static double name_bound(const query_ctx *qc, uint32_t n, uint64_t mask)
{
    const ctw_match_index *ix = qc->ix;
    bool things = ix->recs[ix->names[n].rec].kind != CTW_KIND_PERSON;
    const ctw__name_outline *o = &ix->name_outline[n];
    double best = 0;
    for (uint32_t f = 0; f < qc->nforms; f++) {
        double b = name_bound_form(qc, f, mask, o, things, false);
        if (b > best) best = b;
        if (qc->org && (b = name_bound_form(qc, f, mask, o, things, true)) > best) best = b;
    }
    return best;
}

/* Are the query and name nm in the same non-Latin script, so compared as
 * written too (native_score)? Such a name has no bound before alignment. */
static bool compared_as_written(const query_ctx *qc, const ctw__name *nm)
{
    return qc->native && nm->native && strcmp(qc->script, nm->script) == 0;
}

/* The best alignment of the query with name n. With pr, pairs of forms
 * that cannot give a reported score are skipped (see "pruning"): then
 * best->score is exact when the name can be reported and below what it
 * would need otherwise (-1 when every pair was skipped). */
static void score_name(const query_ctx *qc, uint32_t n, alignment *best, const prune *pr)
{
    const ctw_match_index *ix = qc->ix;
    const ctw__name *nm = &ix->names[n];
    best->score = -1;
    bool native = compared_as_written(qc, nm);
    bool things = ix->recs[nm->rec].kind != CTW_KIND_PERSON; /* Roman numerals are numbers */
    double ns = 0;
    if (native) {
        /* The written form decides when romanisation merges or loses it:
         * the name scores at most ns. When that cannot be reported the
         * forms need no alignment; otherwise they are aligned in full (ns
         * lifts an alignment of 0 to its own, which no bound foresees). */
        ns = native_score(&qc->native_words, nm->native, nm->script);
        if (pr && !prune_pass(pr, ns)) return;
        pr = NULL;
    }
    for (uint32_t qf = 0; qf < qc->nforms; qf++)
        for (uint32_t f = 0; f < nm->nforms; f++) {
            alignment a;
            const ctw__form *nf = &ix->forms[nm->form_off + f];
            align_forms(qc, &qc->forms[qf], nf, ix->form_flag + nf->tok_off, things, &a, pr);
            if (a.score > best->score) {
                *best = a;
                best->qform = qf;
                best->nform = nm->form_off + f;
            }
        }
    if (native && (ns < best->score || best->score <= 0)) best->score = ns;
    if (nm->kind == CTW_NAME_ALIAS_WEAK) best->score *= WEAK_ALIAS_FACTOR;
}

/* ---- other features --------------------------------------------------------- */

#define WSET(...)                                   \
    do {                                            \
        if (wcap) snprintf(w, wcap, __VA_ARGS__);   \
    } while (0)

typedef struct qdate {
    int y, m, d;   /* m, d zero when unknown */
} qdate;

/* YYYY, YYYY-MM or YYYY-MM-DD, digits where digits belong, a real day. */
static int parse_qdate(const char *s, qdate *q)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    size_t n = strlen(s);
    memset(q, 0, sizeof *q);
    if (n != 4 && n != 7 && n != 10) return CTW_EINVAL;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) return CTW_EINVAL;
    }
    q->y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (n >= 7) q->m = (s[5] - '0') * 10 + (s[6] - '0');
    if (n == 10) q->d = (s[8] - '0') * 10 + (s[9] - '0');
    if (q->y < 1000 || q->y > 2999 || (n >= 7 && (q->m < 1 || q->m > 12))) return CTW_EINVAL;
    if (n == 10) {
        bool leap = (q->y % 4 == 0 && q->y % 100 != 0) || q->y % 400 == 0;
        if (q->d < 1 || q->d > mdays[q->m - 1] || (q->m == 2 && q->d == 29 && !leap)) return CTW_EINVAL;
    }
    return 0;
}

/* Effect of the birth date on the score, and its explanation. */
static double dob_effect(const ctw_match_index *ix, const ctw__rec *r, const qdate *q, char *why, size_t cap)
{
    if (r->ndates == 0) {
        if (why) snprintf(why, cap, "the list gives no birth date");
        return 0;
    }
    double best = -1e9;
    for (uint32_t i = r->date_off; i < r->date_off + r->ndates; i++) {
        const ctw__date *d = &ix->dates[i];
        double e;
        char w[160];
        size_t wcap = why ? sizeof w : 0; /* no words when nobody reads them */
        bool approx = d->precision == CTW_DATE_APPROX;
        if (q->y >= d->y1 && q->y <= d->y2) {
            if (d->precision == CTW_DATE_RANGE) {
                e = 0.02;
                WSET("birth year %d within the listed range %d-%d", q->y, d->y1, d->y2);
            } else if (q->m && d->m && q->d && d->d) {
                if (q->m == d->m && q->d == d->d) {
                    e = 0.06;
                    WSET("birth date %04d-%02d-%02d matches exactly", q->y, q->m, q->d);
                } else if (q->m == d->d && q->d == d->m) {
                    e = 0.03;
                    WSET("birth date matches with day and month swapped (%04d-%02d-%02d)", d->y1, d->m, d->d);
                } else {
                    e = -0.04;
                    WSET("same birth year %d, different day (%04d-%02d-%02d listed)", q->y, d->y1, d->m, d->d);
                }
            } else if (q->m && d->m && q->m != d->m) {
                e = -0.02;
                WSET("same birth year %d, different month", q->y);
            } else {
                e = 0.03;
                WSET("birth year %d matches%s", q->y, approx ? " (listed as approximate)" : "");
            }
        } else {
            int diff = q->y < d->y1 ? d->y1 - q->y : q->y - d->y2;
            if (diff == 1) {
                e = approx ? 0.0 : -0.05;
                WSET("birth year %d is one year from the listed %d", q->y, q->y < d->y1 ? d->y1 : d->y2);
            } else if (approx && diff <= 3) {
                e = -0.03;
                WSET("birth year %d is %d years from the approximate %d", q->y, diff, d->y1);
            } else {
                e = -0.20;
                WSET("birth year %d differs from the listed %d by %d years", q->y,
                         q->y < d->y1 ? d->y1 : d->y2, diff);
            }
        }
        if (e > best) {
            best = e;
            if (why) snprintf(why, cap, "%s", w);
        }
    }
    return best;
}

static double nationality_effect(const ctw_match_index *ix, const ctw__rec *r, const char *code, char *why, size_t cap)
{
    if (r->nnats == 0) {
        if (why) snprintf(why, cap, "the list gives no nationality");
        return 0;
    }
    for (uint32_t i = r->nat_off; i < r->nat_off + r->nnats; i++)
        if (strcmp(ix->nats[i], code) == 0) {
            if (why) snprintf(why, cap, "nationality %s matches", code);
            return 0.03;
        }
    if (why) snprintf(why, cap, "nationality %s is not among the listed (%.*s%s)", code, 3, ix->nats[r->nat_off],
             r->nnats > 1 ? ", ..." : "");
    return -0.08;
}

/* The query's document number normalised once (q: as written, qo: OCR
 * confusions folded), not once per record compared. */
typedef struct qdoc {
    char q[64], qo[64];
} qdoc;

static double document_effect(const ctw_match_index *ix, const ctw__rec *r, const qdoc *qdn, char *why, size_t cap)
{
    const char *q = qdn->q, *qo = qdn->qo;
    char lo[64];
    if (strlen(q) < 4) {
        if (why) snprintf(why, cap, "document number too short to compare");
        return 0;
    }
    for (uint32_t i = r->doc_off; i < r->doc_off + r->ndocs; i++) {
        if (strcmp(ix->docs[i], q) == 0) {
            if (why) snprintf(why, cap, "document number %s matches", q);
            return 0.15;
        }
        ctw__match_doc_norm(ix->docs[i], lo, sizeof lo, true);
        if (strcmp(lo, qo) == 0) {
            if (why) snprintf(why, cap, "document number %s matches the listed %s up to OCR confusions", q, ix->docs[i]);
            return 0.10;
        }
    }
    if (why) snprintf(why, cap, r->ndocs ? "document number not among the listed" : "the list gives no document");
    return 0;
}

/* ---- results ----------------------------------------------------------------- */

typedef struct rec_hit {
    uint32_t rec, name;
    double name_score, score;
    alignment al;
} rec_hit;

static int cmp_hits(const void *a, const void *b)
{
    const rec_hit *x = a, *y = b;
    if (x->score != y->score) return x->score > y->score ? -1 : 1;
    return x->rec < y->rec ? -1 : x->rec > y->rec;
}

static double round3(double v) { return floor(v * 1000.0 + 0.5) / 1000.0; }

static const char *decision_of(double s)
{
    return s >= CTW_MATCH_ALERT ? "alert" : s >= CTW_MATCH_REVIEW ? "review" : "below";
}

/* Members of a hit's objects, set one by one: json_pack would read its
 * format string and check every key's UTF-8 again for each of the ~40
 * members of an explained hit (our keys are ASCII literals). A failed
 * allocation clears *ok; the caller drops the object. */
static void set_text(json_t *o, const char *key, const char *v, bool *ok)
{
    if (json_object_set_new_nocheck(o, key, json_string(v)) != 0) *ok = false;
}

static void set_real(json_t *o, const char *key, double v, bool *ok)
{
    if (json_object_set_new_nocheck(o, key, json_real(v)) != 0) *ok = false;
}

static void set_value(json_t *o, const char *key, json_t *v, bool *ok)
{
    if (json_object_set_new_nocheck(o, key, v) != 0) *ok = false;
}

/* o when every member was set, else NULL (o released) */
static json_t *built(json_t *o, bool ok)
{
    if (ok && o) return o;
    json_decref(o);
    return NULL;
}

static json_t *aligned_pair(const char *query, const char *list, double sim, double weight)
{
    json_t *o = json_object();
    bool ok = o != NULL;
    if (ok) {
        set_text(o, "query", query, &ok);
        set_text(o, "list", list, &ok);
        set_real(o, "similarity", round3(sim), &ok);
        set_real(o, "weight", round3(weight), &ok);
    }
    return built(o, ok);
}

static json_t *explain_name(const query_ctx *qc, const rec_hit *h)
{
    const ctw_match_index *ix = qc->ix;
    const alignment *a = &h->al;
    const qform *qf = &qc->forms[a->qform];
    const ctw__form *nf = &ix->forms[a->nform];
    json_t *o = json_object(), *pairs = json_array(), *unq = json_array(), *unn = json_array();
    bool ok = o && pairs && unq && unn;
    for (uint32_t i = 0; ok && i < a->nq; i++) {
        const qtok *q = &qc->toks[qf->tok[i]];
        if (a->sim[i] > 0) {
            const char *list = a->pair[i] >= 0
                                   ? ix->dict[ix->form_tok[nf->tok_off + (uint32_t)a->pair[i]]].text
                                   : "(joined words)";
            ok = json_array_append_new(pairs, aligned_pair(q->text, list, a->sim[i], q->w)) == 0;
        } else {
            ok = json_array_append_new(unq, json_string(q->text)) == 0;
        }
    }
    for (uint32_t j = 0; ok && j < a->nn; j++)
        if (a->nsim[j] <= 0)
            ok = json_array_append_new(unn, json_string(ix->dict[ix->form_tok[nf->tok_off + j]].text)) == 0;
    if (!ok) {
        json_decref(pairs);
        json_decref(unq);
        json_decref(unn);
        return built(o, false);
    }
    set_text(o, "feature", "name", &ok);
    set_real(o, "effect", round3(h->name_score), &ok);
    set_text(o, "name_kind", ctw_name_kind_name((ctw_name_kind)ix->names[h->name].kind), &ok);
    set_value(o, "aligned", pairs, &ok);
    set_value(o, "unmatched_query", unq, &ok);
    set_value(o, "unmatched_list", unn, &ok);
    set_real(o, "query_coverage", round3(a->cov_q), &ok);
    set_real(o, "list_coverage", round3(a->cov_n), &ok);
    set_value(o, "words_out_of_order", json_integer((json_int_t)a->inversions), &ok);
    set_value(o, "parts_conflict", json_boolean(a->parts_conflict), &ok);
    return built(o, ok);
}

/* One feature's line of the explanation; a failed allocation clears *ok. */
static void add_feature(json_t *explain, const char *feature, double effect, const char *why, bool *ok)
{
    json_t *o = json_object();
    bool built_ok = o != NULL;
    if (built_ok) {
        set_text(o, "feature", feature, &built_ok);
        set_real(o, "effect", round3(effect), &built_ok);
        set_text(o, "detail", why, &built_ok);
    }
    if (json_array_append_new(explain, built(o, built_ok)) != 0) *ok = false;
}

static double clamp01(double v) { return v < 0 ? 0 : v > 1 ? 1 : v; }

/* What the birth date, nationality, gender and document number of the
 * query do to record r's score; with ex, also each one's explanation
 * (a failed allocation there clears *ex_ok). */
static double feature_effects(const ctw_match_index *ix, const ctw__rec *r, const ctw_screen_query *q,
                              const qdate *qd, const qdoc *qdn, const char *nat, char gender, json_t *ex,
                              bool *ex_ok)
{
    char why[256];
    char *w = ex ? why : NULL;
    double total = 0, e;
    if (q->dob && *q->dob) {
        total += e = dob_effect(ix, r, qd, w, sizeof why);
        if (ex) add_feature(ex, "birth_date", e, why, ex_ok);
    }
    if (nat) {
        total += e = nationality_effect(ix, r, nat, w, sizeof why);
        if (ex) add_feature(ex, "nationality", e, why, ex_ok);
    }
    if (gender && r->gender) {
        total += e = gender == r->gender ? 0.0 : -0.15;
        if (ex)
            add_feature(ex, "gender", e, gender == r->gender ? "gender matches" : "gender differs from the list",
                        ex_ok);
    }
    if (q->document && *q->document) {
        total += e = document_effect(ix, r, qdn, w, sizeof why);
        if (ex) add_feature(ex, "document", e, why, ex_ok);
    }
    return total;
}

/* ---- entry points --------------------------------------------------------------- */


static int schema_kind(const char *schema, int *kind)
{
    *kind = 0;
    if (!schema || !*schema || strcmp(schema, "Thing") == 0 || strcmp(schema, "LegalEntity") == 0) return 0;
    if (strcmp(schema, "Person") == 0) *kind = CTW_KIND_PERSON;
    else if (strcmp(schema, "Organization") == 0 || strcmp(schema, "Company") == 0) *kind = CTW_KIND_ORGANISATION;
    else if (strcmp(schema, "Vessel") == 0) *kind = CTW_KIND_VESSEL;
    else if (strcmp(schema, "Airplane") == 0) *kind = CTW_KIND_AIRCRAFT;
    else return CTW_EINVAL;
    return 0;
}

/* Everything about a query but its name's words: refused here, before any
 * work, with the field named. */
static int check_query(const ctw_screen_query *q, int *kind, qdate *qd, const char **nat, char *gender, ctw_error *err)
{
    static const char *const genders[][2] = {{"m", "m"}, {"male", "m"}, {"f", "f"}, {"female", "f"},
                                             {"x", ""}, {"other", ""}, {"u", ""}, {"unknown", ""}};
    *nat = NULL;
    *gender = 0;
    memset(qd, 0, sizeof *qd);
    if (!q->name) return ctw_error_set(err, CTW_EINVAL, "name", "a name is required");
    if (strlen(q->name) > CTW_TEXT_MAX_INPUT)
        return ctw_error_set(err, CTW_ELIMIT, "name", "the name is longer than %d bytes", CTW_TEXT_MAX_INPUT);
    if (schema_kind(q->schema, kind) != 0)
        return ctw_error_set(err, CTW_EINVAL, "schema",
                             "unknown schema '%.40s' (Person, Organization, Company, LegalEntity, Vessel, Airplane, Thing)",
                             q->schema);
    if (q->dob && *q->dob && parse_qdate(q->dob, qd) != 0)
        return ctw_error_set(err, CTW_EINVAL, "dob", "birth date '%.40s' is not a date YYYY, YYYY-MM or YYYY-MM-DD",
                             q->dob);
    if (q->nationality && *q->nationality && !(*nat = ctw_country_lookup(q->nationality)))
        return ctw_error_set(err, CTW_EINVAL, "nationality", "unknown country '%.60s'", q->nationality);
    if (q->gender && *q->gender) {
        size_t i;
        for (i = 0; i < sizeof genders / sizeof genders[0]; i++)
            if (strcasecmp(q->gender, genders[i][0]) == 0) break;
        if (i == sizeof genders / sizeof genders[0])
            return ctw_error_set(err, CTW_EINVAL, "gender", "gender '%.20s' is not m, f, male, female, x or other",
                                 q->gender);
        *gender = genders[i][1][0];
    }
    return 0;
}

int ctw_screen_query_check(const ctw_screen_query *q, ctw_error *err)
{
    int kind;
    qdate qd;
    const char *nat;
    char gender;
    return check_query(q, &kind, &qd, &nat, &gender, err);
}

int ctw_match_screen(const ctw_match_index *ix, const ctw_principal *p, const ctw_screen_query *q, json_t **hits,
                     ctw_error *err)
{
    int rc = 0, kind = 0;
    qdate qd;
    const char *nat = NULL;
    char gender = 0;
    json_t *out = NULL;
    query_ctx *qc = NULL;
    rec_hit *rh = NULL;
    ctw_error_clear(err);
    if ((rc = check_query(q, &kind, &qd, &nat, &gender, err)) != 0) return rc;
    /* a birth date or a gender says the query is a person */
    if (kind == 0 && ((q->dob && *q->dob) || gender)) kind = CTW_KIND_PERSON;
    double threshold = q->threshold > 0 ? q->threshold : CTW_MATCH_REVIEW;
    int limit = q->limit > 0 ? (q->limit > CTW_MATCH_MAX_LIMIT ? CTW_MATCH_MAX_LIMIT : q->limit) : 10;

    out = json_array();
    qc = qctx_get(ix);
    if (!out || !qc) {
        rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    if ((rc = prepare_query(qc, q->name, kind == CTW_KIND_ORGANISATION, err)) != 0) goto fail;
    if (qc->ntoks == 0 || ix->nnames == 0) goto done; /* nothing to look for */
    for (uint32_t i = 0; i < qc->ntoks; i++) match_token(ix, &qc->toks[i]);
    sim_table_fill(qc);
    weigh_query(qc);

    name_bound_prepare(qc);

    scratch *sc = scratch_get(ix->nnames, ix->ndict);
    if (!sc) {
        rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
        goto fail;
    }
    gather(qc, sc);
    uint32_t cand[MAX_CANDIDATES];
    uint32_t ncand = best_candidates(ix, sc, cand, qc->org ? ORG_QUERY_SHARE : QUERY_SHARE);

    /* at most one hit per candidate: on the stack, only written entries read */
    rec_hit rh_buf[MAX_CANDIDATES];
    rh = rh_buf;
    uint32_t nrh = 0;
    qdoc qdn = {{0}, {0}};
    if (q->document && *q->document) {
        ctw__match_doc_norm(q->document, qdn.q, sizeof qdn.q, false);
        ctw__match_doc_norm(q->document, qdn.qo, sizeof qdn.qo, true);
    }
    /* The candidates' names, records and forms are all over the index, a
     * cache miss each: ask for every name and its outline now, and for
     * the next candidate's record and forms while this one is scored. */
    for (uint32_t c = 0; c < ncand; c++) {
        __builtin_prefetch(&ix->names[cand[c]], 0);
        __builtin_prefetch(&ix->name_outline[cand[c]], 0);
    }
    for (uint32_t c = 0; c < ncand; c++) {
        uint32_t n = cand[c];
        if (c + 1 < ncand) {
            const ctw__name *next = &ix->names[cand[c + 1]];
            __builtin_prefetch(&ix->recs[next->rec], 0);
            __builtin_prefetch(&ix->forms[next->form_off], 0);
        }
        const ctw__rec *r = &ix->recs[ix->names[n].rec];
        if (kind && r->kind != kind) continue;
        alignment al;
        prune pr = {0, ix->names[n].kind == CTW_NAME_ALIAS_WEAK ? WEAK_ALIAS_FACTOR : 1.0, threshold};
        if (!exhaustive) {
            pr.fe = feature_effects(ix, r, q, &qd, &qdn, nat, gender, NULL, NULL);
            if (!compared_as_written(qc, &ix->names[n]) &&
                !prune_pass(&pr, name_bound(qc, n, sc->mask[sc->slot[n].at])))
                continue;
        }
        score_name(qc, n, &al, exhaustive ? NULL : &pr);
        if (al.score <= 0) continue;
        uint32_t k;
        for (k = 0; k < nrh; k++)
            if (rh[k].rec == ix->names[n].rec) break;
        if (k == nrh) {
            rh[nrh].rec = ix->names[n].rec;
            rh[nrh].name_score = -1;
            nrh++;
        }
        if (al.score > rh[k].name_score) {
            rh[k].name_score = al.score;
            rh[k].name = n;
            rh[k].al = al;
        }
    }
    /* Other features move the score; words only for what is reported. */
    for (uint32_t k = 0; k < nrh; k++)
        /* rounded before deciding, so the decision agrees with the score shown */
        rh[k].score = round3(clamp01(rh[k].name_score + feature_effects(ix, &ix->recs[rh[k].rec], q, &qd, &qdn, nat, gender, NULL, NULL)));
    qsort(rh, nrh, sizeof *rh, cmp_hits);
    int reported = 0;
    for (uint32_t i = 0; i < nrh && reported < limit; i++) {
        const rec_hit *h = &rh[i];
        if (h->score < threshold) break;
        const ctw__rec *r = &ix->recs[h->rec];
        ctw_record probe;
        memset(&probe, 0, sizeof probe);
        probe.owner = r->owner;
        probe.restriction = r->restriction;
        probe.kind = (ctw_kind)r->kind;
        ctw_access acc = ctw_access_check(p, &probe);
        json_t *hit = NULL;
        bool ok = true;
        if (acc == CTW_ACCESS_READ) {
            json_t *ex = json_array();
            ok = ex && json_array_append_new(ex, explain_name(qc, h)) == 0;
            if (ok) feature_effects(ix, r, q, &qd, &qdn, nat, gender, ex, &ok);
            hit = ok ? json_object() : NULL;
            if (hit) {
                set_text(hit, "record", r->id, &ok);
                set_text(hit, "kind", ctw_kind_name((ctw_kind)r->kind), &ok);
                set_text(hit, "source", r->source ? r->source : "", &ok);
                set_text(hit, "source_id", r->source_id ? r->source_id : "", &ok);
                set_text(hit, "name", ix->names[h->name].text, &ok);
                set_real(hit, "score", round3(h->score), &ok);
                set_text(hit, "decision", decision_of(h->score), &ok);
                set_value(hit, "explain", ex, &ok);
                /* whose record: a hit on another agency's record is followed up (hit.h) */
                set_text(hit, "owner", r->owner ? r->owner : "", &ok);
            } else {
                json_decref(ex);
                ok = false;
            }
        } else if (acc == CTW_ACCESS_HIT_ONLY) {
            /* the owner is told nothing here; who to contact is all the checker learns */
            char msg[160];
            snprintf(msg, sizeof msg, "hit: contact %s", r->owner ? r->owner : "the owner");
            hit = json_object();
            ok = hit != NULL;
            if (ok) {
                set_text(hit, "record", r->id, &ok);
                set_text(hit, "owner", r->owner ? r->owner : "", &ok);
                set_real(hit, "score", round3(h->score), &ok);
                set_text(hit, "decision", decision_of(h->score), &ok);
                set_value(hit, "restricted", json_true(), &ok);
                set_text(hit, "message", msg, &ok);
            }
        } else {
            continue;   /* not this principal's to see, nor to be told of */
        }
        /* a hit that could not be built fails the query: never a quiet gap */
        if (json_array_append_new(out, built(hit, ok)) != 0) {
            rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
            goto fail;
        }
        reported++;
    }
done:
    qctx_put(qc);
    *hits = out;
    return 0;
fail:
    qctx_put(qc);
    json_decref(out);
    return rc;
}

/* One direction of a pair comparison: `query` screened against a list that
 * holds only `listed`. The list is tiny, so every query token is compared
 * with every listed token (no key is needed to find a candidate). */
static double compare_one(const char *query, const char *listed, int kind)
{
    ctw_record *r = ctw_record_new((ctw_kind)kind);
    if (!r) return 0;
    r->id = "pair";
    r->source_id = "pair";
    ctw_record_add_name(r, listed, CTW_NAME_PRIMARY, NULL);
    ctw_match_builder *bu = ctw_match_builder_new();
    ctw_match_index *ix = NULL;
    int rc = bu ? ctw_match_builder_add(bu, r) : CTW_ENOMEM;
    ctw_record_free(r);
    if (bu && ctw_match_builder_finish(bu, &ix) != 0) rc = CTW_ENOMEM;
    double best = 0;
    query_ctx *qc = rc == 0 ? qctx_get(ix) : NULL;
    if (qc) {
        ctw_error err;
        /* with one listed name every word is equally rare */
        for (uint32_t t = 0; t < ix->ndict; t++) ix->dict[t].weight = 1.0f;
        if (prepare_query(qc, query, kind == CTW_KIND_ORGANISATION, &err) == 0 && ix->nnames > 0) {
            for (uint32_t i = 0; i < qc->ntoks; i++) {
                qtok *q = &qc->toks[i];
                describe_qtok(q);
                collect_matches(ix, q, NULL, ix->ndict);
            }
            sim_table_fill(qc);
            weigh_query(qc);
            for (uint32_t n = 0; n < ix->nnames; n++) {
                alignment al;
                score_name(qc, n, &al, NULL);
                if (al.score > best) best = al.score;
            }
        }
        qctx_put(qc);
    }
    ctw_match_index_release(ix);
    return best;
}

/* ---- Wade-Giles ------------------------------------------------------------ */

/* Chinese names in older lists, Taiwan's and the press before 1979 are
 * in Wade-Giles ("Mao Tse-tung", "Teng Hsiao-p'ing"), today's in pinyin
 * ("Mao Zedong", "Deng Xiaoping"): a name whose every word is a run of
 * Wade-Giles syllables is also compared in pinyin. The conversion is the
 * standard table's, initial and final: hs → x, ch → j before i and ü
 * (ch' → q), else zh (ch' → ch), ts/tz → z (ts'/tz' → c), j → r, and the
 * unaspirated p, t, k → b, d, g (the apostrophe of p', t', k' is often
 * dropped: the fuzzy comparison absorbs "jinbing" / "jinping"); -ung →
 * -ong, -ieh → -ie, -ien → -ian, -ih and the ŭ of tzŭ / ssŭ → -i, -o
 * after k and h → -e. Syllables are joined within a hyphenated word. */
static const char *const wg_finals[] = {
    "a", "ai", "an", "ang", "ao", "e", "eh", "ei", "en", "eng", "erh", "i", "ia", "iang", "iao", "ieh", "ien",
    "ih", "in", "ing", "io", "iu", "iung", "o", "ou", "u", "ua", "uai", "uan", "uang", "uei", "ueh", "ui", "un",
    "ung", "uo",
};

/* One syllable (ASCII, lower case, an apostrophe after an aspirated
 * initial) to pinyin appended at out[*o]; false if it is no syllable. */
static bool wg_syllable(const char *s, size_t n, char *out, size_t *o, size_t cap)
{
    static const struct { const char *wg, *front, *other; } initials[] = {
        /* longest first; front: the pinyin before i / ü */
        {"ch'", "q", "ch"}, {"ts'", "c", "c"}, {"tz'", "c", "c"}, {"ch", "j", "zh"}, {"ts", "z", "z"},
        {"tz", "z", "z"}, {"hs", "x", "x"}, {"sh", "sh", "sh"}, {"ss", "s", "s"}, {"sz", "s", "s"},
        {"p'", "p", "p"}, {"t'", "t", "t"}, {"k'", "k", "k"}, {"p", "b", "b"}, {"t", "d", "d"}, {"k", "g", "g"},
        {"j", "r", "r"}, {"m", "m", "m"}, {"n", "n", "n"}, {"l", "l", "l"}, {"f", "f", "f"}, {"h", "h", "h"},
        {"s", "s", "s"}, {"w", "w", "w"}, {"y", "y", "y"}, {"", "", ""},
    };
    for (size_t k = 0; k < sizeof initials / sizeof initials[0]; k++) {
        size_t il = strlen(initials[k].wg);
        if (il > n || memcmp(s, initials[k].wg, il) != 0) continue;
        const char *f = s + il;
        size_t fl = n - il;
        bool valid = false;
        for (size_t i = 0; i < sizeof wg_finals / sizeof wg_finals[0] && !valid; i++)
            valid = strlen(wg_finals[i]) == fl && memcmp(f, wg_finals[i], fl) == 0;
        if (!valid) continue; /* "hs" + "i", not "h" + "si" */
        const char *ini = f[0] == 'i' || (f[0] == 'u' && initials[k].front[0] == 'x') ? initials[k].front
                                                                                      : initials[k].other;
        char fin[8];
        bool sibilant = initials[k].other[0] && strchr("zcs", initials[k].other[0]) && initials[k].other[1] == '\0';
        if (fl == 2 && memcmp(f, "ih", 2) == 0) snprintf(fin, sizeof fin, "i");
        else if (fl == 1 && f[0] == 'u' && sibilant) snprintf(fin, sizeof fin, "i");
        else if (fl == 3 && memcmp(f, "ung", 3) == 0) snprintf(fin, sizeof fin, "ong");
        else if (fl == 4 && memcmp(f, "iung", 4) == 0) snprintf(fin, sizeof fin, "iong");
        else if (fl == 3 && memcmp(f, "ieh", 3) == 0) snprintf(fin, sizeof fin, "ie");
        else if (fl == 3 && memcmp(f, "ien", 3) == 0) snprintf(fin, sizeof fin, "ian");
        else if (fl == 3 && memcmp(f, "ueh", 3) == 0) snprintf(fin, sizeof fin, "ue");
        else if (fl == 3 && memcmp(f, "uei", 3) == 0) snprintf(fin, sizeof fin, "ui");
        else if (fl == 3 && memcmp(f, "erh", 3) == 0) snprintf(fin, sizeof fin, "er");
        else if (fl == 2 && memcmp(f, "eh", 2) == 0) snprintf(fin, sizeof fin, "e");
        else if (fl == 1 && f[0] == 'o' && (initials[k].other[0] == 'g' || initials[k].other[0] == 'k' ||
                                            initials[k].other[0] == 'h'))
            snprintf(fin, sizeof fin, "e");
        else snprintf(fin, sizeof fin, "%.*s", (int)fl, f);
        if (il == 0 && strcmp(fin, "i") == 0) snprintf(fin, sizeof fin, "yi");
        size_t need = strlen(ini) + strlen(fin);
        if (*o + need + 1 > cap) return false;
        memcpy(out + *o, ini, strlen(ini));
        *o += strlen(ini);
        memcpy(out + *o, fin, strlen(fin));
        *o += strlen(fin);
        return true;
    }
    return false;
}

/* The pinyin reading of name when its every word is Wade-Giles syllables
 * and the reading differs from it; false otherwise. */
static bool wade_giles_pinyin(const char *name, char *out, size_t cap)
{
    char in[256];
    size_t n = 0;
    /* ASCII lower case; ü, ŭ, ê as u, u, e; ’ ‘ as the apostrophe */
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        if (n + 2 >= sizeof in) return false;
        unsigned char c = *p;
        if (c >= 'A' && c <= 'Z') in[n++] = (char)(c - 'A' + 'a');
        else if ((c >= 'a' && c <= 'z') || c == ' ' || c == '-' || c == '\'') in[n++] = (char)c;
        else if (c == 0xC3 && (p[1] == 0xBC || p[1] == 0x9C)) { in[n++] = 'u'; p++; }
        else if (c == 0xC5 && (p[1] == 0xAD || p[1] == 0xAC)) { in[n++] = 'u'; p++; }
        else if (c == 0xC3 && (p[1] == 0xAA || p[1] == 0x8A)) { in[n++] = 'e'; p++; }
        else if (c == 0xE2 && p[1] == 0x80 && (p[2] == 0x98 || p[2] == 0x99)) { in[n++] = '\''; p += 2; }
        else return false;
    }
    in[n] = '\0';
    size_t o = 0, i = 0;
    bool hyphen = false;
    while (i < n) {
        while (i < n && in[i] == ' ') i++;
        if (i == n) break;
        if (o > 0 && o + 1 < cap) out[o++] = ' ';
        /* a word: syllables separated by hyphens */
        for (;;) {
            size_t j = i;
            while (j < n && in[j] != ' ' && in[j] != '-') j++;
            if (j == i || !wg_syllable(in + i, j - i, out, &o, cap)) return false;
            i = j;
            if (i < n && in[i] == '-') {
                hyphen = true;
                i++;
                continue;
            }
            break;
        }
    }
    out[o] = '\0';
    /* a reading that differs, of a name that is not plain pinyin already */
    return o > 0 && hyphen && strcmp(out, in) != 0;
}

#define SLASH_PARTS 4

/* The parts of a name written "A/B[/C...]", each with two letters or
 * more; 0 when the name has no such parts. */
static int slash_parts(const char *name, char parts[SLASH_PARTS][CTW_TEXT_MAX_INPUT + 1])
{
    if (!strchr(name, '/') || strlen(name) > CTW_TEXT_MAX_INPUT) return 0;
    int n = 0;
    const char *p = name;
    for (;;) {
        const char *e = strchr(p, '/');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        size_t letters = 0;
        for (size_t i = 0; i < len; i++) {
            unsigned char c = (unsigned char)p[i];
            /* a letter or digit, or the first byte of a non-ASCII character */
            letters += (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0xC0;
        }
        if (letters < 2 || n == SLASH_PARTS) return 0;
        memcpy(parts[n], p, len);
        parts[n][len] = '\0';
        n++;
        if (!e) break;
        p = e + 1;
    }
    return n >= 2 ? n : 0;
}

double ctw_match_compare_names(const char *a, const char *b, const char *schema)
{
    int kind = CTW_KIND_PERSON;
    if (!a || !b) return 0;
    if (schema_kind(schema, &kind) != 0 || kind == 0) kind = CTW_KIND_PERSON;
    /* A pair has no query side: each name is screened against the other
     * and the better score kept, so compare(a, b) == compare(b, a) and a
     * name that is the other without its middle names still matches. */
    double s = fmax(compare_one(a, b, kind), compare_one(b, a, kind));
    /* "Al-Qa'ida/Islamic Army": a name that lists alternatives with a
     * slash is each of them too ("A/S", "m/v" are not: a part of a
     * single letter is an abbreviation). */
    char pa[SLASH_PARTS][CTW_TEXT_MAX_INPUT + 1], pb[SLASH_PARTS][CTW_TEXT_MAX_INPUT + 1];
    int na = slash_parts(a, pa), nb = slash_parts(b, pb);
    for (int i = 0; i < (na ? na : 1); i++)
        for (int j = 0; j < (nb ? nb : 1); j++) {
            if (!na && !nb) break;
            const char *x = na ? pa[i] : a, *y = nb ? pb[j] : b;
            s = fmax(s, fmax(compare_one(x, y, kind), compare_one(y, x, kind)));
        }
    /* "Mao Tse-tung" / "Mao Zedong": see wade_giles_pinyin */
    char wa[256], wb[256];
    if (wade_giles_pinyin(a, wa, sizeof wa)) s = fmax(s, fmax(compare_one(wa, b, kind), compare_one(b, wa, kind)));
    if (wade_giles_pinyin(b, wb, sizeof wb)) s = fmax(s, fmax(compare_one(a, wb, kind), compare_one(wb, a, kind)));
    return round3(s);
}
