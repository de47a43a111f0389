/* romanise.c — every name to ASCII forms that can be compared.
 *
 * One name, several spellings: where romanisation systems disagree, the
 * name gets one form per system that documents and lists actually use,
 * so "Владимир Путин" meets both "Vladimir Putin" and "Wladimir Putin"
 * through one of its forms.
 *
 *   form[0]  ICU "Any-Latin; Latin-ASCII" of the folded name, the marks it
 *            leaves inside words dropped (tidy_latin); for Uyghur, Khmer,
 *            Lao, Myanmar and Sinhala, which ICU cannot read as names are
 *            spelled, the first form below instead
 *   Latn     + ICAO 9303 (ä → ae, ö → oe, ü → ue, å → aa, ø → oe)
 *   Cyrl     + ICU BGN/PCGN (Russian), + ICAO 9303 Part 3 (ж → zh, х → kh, ц → ts)
 *   Grek     + ICU UNGEGN
 *   Hani     + pinyin syllables joined per given name ("mao zedong"),
 *            + for a foreign name written by sound, the name it stands
 *            for, with l and with r ("flajimir pujin")
 *   Arab     + common English vowelled form, + its consonant skeleton
 *            (Pashto's and Urdu's own letters read too; ICU's form gets
 *            them as the nearest Arabic letters), + compound given names
 *            joined ("salahuddin", "abdurrahman")
 *   Hang     (see add_korean) + the reading of loanwords ("gregori")
 *   Hebr     + the v-reading of vav, + a vowelled form (vowel letters read)
 *   Deva, Beng, Guru, Gujr, Orya  + the spoken form (final a silent, sh)
 *   Thai     + the spoken form (silenced letters dropped, words whole)
 *   Ethi     + ICU SERA (e for ä, the sixth-order vowel left out)
 *   Arab in Uyghur letters: the Uyghur Latin alphabet (ULY), then as Arab
 *   Khmr, Laoo  the UNGEGN/BGN form, then the common French-based
 *            spelling (khmer_lao.c)
 *   Mymr     the common spellings, a word per syllable, then the other
 *            letters with each word's syllables joined (myanmar.c)
 *   Sinh     ISO 15919's letters as names spell them, th w sh and t v s
 *            (sinhala.c)
 *   Kana     + the reading of foreign names, the transcription's vowels
 *            dropped, with r and with l ("abu bakr bagdadi", kana.c)
 *
 * ICU transliterators cost milliseconds to open and may not be shared
 * between threads, so each thread opens the ones it needs once and keeps
 * them until it exits (a pthread key destructor closes them).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <unicode/uchar.h>
#include <unicode/unorm2.h>
#include <unicode/uscript.h>
#include <unicode/ustring.h>
#include <unicode/utf16.h>
#include <unicode/utrans.h>

#include "ctwatch/record.h"
#include "ctwatch/text.h"
#include "text/text_int.h"

/* ---- per-thread transliterators --------------------------------------- */

enum {
    TX_GENERAL, TX_BGN, TX_GREEK_UN, TX_HAN, TX_ETHI_SERA, TX_ANY_LATIN, TX_LATIN_ASCII, TX_COUNT
};

static const char *const tx_ids[TX_COUNT] = {
    [TX_GENERAL] = "Any-Latin; Latin-ASCII",
    [TX_BGN] = "Russian-Latin/BGN; Latin-ASCII",
    [TX_GREEK_UN] = "Greek-Latin/UNGEGN; Latin-ASCII",
    [TX_HAN] = "Han-Latin; Latin-ASCII",
    [TX_ETHI_SERA] = "Ethiopic-Latin/SERA; Latin-ASCII",
    [TX_ANY_LATIN] = "Any-Latin",
    [TX_LATIN_ASCII] = "Latin-ASCII",
};

typedef struct tx_cache {
    UTransliterator *t[TX_COUNT];
    bool failed[TX_COUNT];   /* do not retry an id ICU cannot open */
} tx_cache;

static pthread_key_t tx_key;
static pthread_once_t tx_once = PTHREAD_ONCE_INIT;
static bool tx_key_ok;

static void tx_destroy(void *p)
{
    tx_cache *c = p;
    for (int i = 0; i < TX_COUNT; i++)
        if (c->t[i]) utrans_close(c->t[i]);
    free(c);
}

static void tx_init_key(void)
{
    tx_key_ok = pthread_key_create(&tx_key, tx_destroy) == 0;
}

/* The calling thread's transliterator `which`, opened on first use; NULL
 * if ICU lacks it or memory is short (the caller then skips that form). */
static UTransliterator *tx_get(int which)
{
    pthread_once(&tx_once, tx_init_key);
    if (!tx_key_ok) return NULL;
    tx_cache *c = pthread_getspecific(tx_key);
    if (!c) {
        c = calloc(1, sizeof *c);
        if (!c) return NULL;
        if (pthread_setspecific(tx_key, c) != 0) {
            free(c);
            return NULL;
        }
    }
    if (!c->t[which] && !c->failed[which]) {
        UChar id[64];
        u_uastrcpy(id, tx_ids[which]);
        UErrorCode ec = U_ZERO_ERROR;
        c->t[which] = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &ec);
        if (U_FAILURE(ec)) {
            c->t[which] = NULL;
            c->failed[which] = true;
        }
    }
    return c->t[which];
}

/* ---- building the forms ------------------------------------------------ */

typedef struct forms_builder {
    ctw_text_forms *f;
    int rc;
} forms_builder;

/* Add the ASCII clean-up of text (n bytes) as a form unless it is already
 * there or the table is full. */
static void add_form(forms_builder *b, const char *text, size_t n)
{
    if (b->rc != 0 || b->f->n == CTW_TEXT_MAX_FORMS) return;
    char *s = ctw_arena_alloc(&b->f->arena, n + 1);
    if (!s) { b->rc = CTW_ENOMEM; return; }
    long k = ctw__text_ascii_clean(text, n, s, n + 1);
    if (k < 0) s[0] = '\0';
    for (size_t i = 0; i < b->f->n; i++)
        if (strcmp(b->f->form[i], s) == 0) return;
    /* An empty variant says nothing; only form[0] may be empty. */
    if (s[0] == '\0' && b->f->n > 0) return;
    b->f->form[b->f->n++] = s;
}

/* UTF-16 to a malloc'd UTF-8 string; NULL on failure. */
static char *u16_to_utf8(const UChar *u, int32_t n, size_t *len)
{
    UErrorCode ec = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8(NULL, 0, &need, u, n, &ec);
    if (ec != U_BUFFER_OVERFLOW_ERROR && U_FAILURE(ec)) return NULL;
    char *s = malloc((size_t)need + 1);
    if (!s) return NULL;
    ec = U_ZERO_ERROR;
    u_strToUTF8(s, need + 1, &need, u, n, &ec);
    if (U_FAILURE(ec)) { free(s); return NULL; }
    *len = (size_t)need;
    return s;
}

/* What a transliterator leaves that is not a letter of the name. ICU's
 * rules write the Arabic ayn and hamza as modifier letters (سعيد → "sʿyd"),
 * the Cyrillic hard and soft signs as primes (Объединение → "Obʺedinenie",
 * a quote after Latin-ASCII), the Ethiopic sixth-order vowel as ǝ (ኃይለ →
 * "hayǝla"). The ASCII clean-up would cut the word in two there ("s yd",
 * "hay la"): letters that are no word, and a word that is not the name's.
 * The marks are dropped, so the word stays whole ("syd"); ǝ, a vowel, is
 * written e as the common spellings do ("Haile Selassie"). In place; *len
 * shrinks. Folding leaves no quote in the input, so every quote here is
 * the transliterator's. */
static void tidy_latin(UChar *u, int32_t *len)
{
    int32_t o = 0;
    for (int32_t i = 0; i < *len; i++) {
        UChar c = u[i];
        if (c == 0x01DD || c == 0x0259 || c == 0x018F || c == 0x018E) c = 'e'; /* ǝ ə Ə Ǝ */
        else if (c == '\'' || c == '"' || c == '`' || c == 0x2018 || c == 0x2019 || (c >= 0x02B9 && c <= 0x02BF) ||
                 c == 0x02C8)
            continue; /* ' " ` ‘ ’ ʹ ʺ ʻ ʼ ʽ ʾ ʿ ˈ */
        u[o++] = c;
    }
    *len = o;
}

/* u[0..n) through t, as a malloc'd UTF-16 text of *len units; the buffer
 * grows as ICU asks. NULL when ICU fails, and also when memory is short,
 * which sets *oom. */
static UChar *translit_u16(UTransliterator *t, const UChar *u, int32_t n, int32_t *len, bool *oom)
{
    int32_t cap = n * 4 + 32;
    for (int attempt = 0; attempt < 3; attempt++) {
        UChar *buf = malloc(((size_t)cap + 1) * sizeof(UChar));
        if (!buf) {
            *oom = true;
            return NULL;
        }
        memcpy(buf, u, (size_t)n * sizeof(UChar));
        int32_t l = n, limit = n;
        UErrorCode ec = U_ZERO_ERROR;
        utrans_transUChars(t, buf, &l, cap, 0, &limit, &ec);
        if (U_SUCCESS(ec)) {
            *len = l;
            return buf;
        }
        free(buf);
        if (ec != U_BUFFER_OVERFLOW_ERROR) return NULL;
        cap *= 4;
    }
    return NULL;
}

/* Add UTF-16 text u (n units) as a form. */
static void add_u16_form(forms_builder *b, const UChar *u, int32_t n)
{
    size_t n8;
    char *s = u16_to_utf8(u, n, &n8);
    if (s) add_form(b, s, n8);
    else b->rc = CTW_ENOMEM;
    free(s);
}

/* Transliterate u[0..n) with t and add the result as a form. */
static void add_translit(forms_builder *b, UTransliterator *t, const UChar *u, int32_t n)
{
    if (!t || b->rc != 0) return;
    bool oom = false;
    int32_t len = 0;
    UChar *x = translit_u16(t, u, n, &len, &oom);
    if (x) {
        tidy_latin(x, &len);
        add_u16_form(b, x, len);
        free(x);
    } else if (oom) {
        b->rc = CTW_ENOMEM;
    }
}

/* ---- ICAO 9303 ---------------------------------------------------------- */

static void add_translit_memo(forms_builder *b, int which, const UChar *u, int32_t n);

/* Machine-readable zones spell these letters differently from the plain
 * accent-stripping of form[0]; documents carry the MRZ spelling. */
static const char *icao_latin(UChar32 c)
{
    switch (c) {
    case 0xE4: return "ae";   /* ä */
    case 0xE5: return "aa";   /* å */
    case 0xE6: return "ae";   /* æ */
    case 0xF6: return "oe";   /* ö */
    case 0xF8: return "oe";   /* ø */
    case 0x153: return "oe";  /* œ */
    case 0xFC: return "ue";   /* ü */
    case 0xDF: return "ss";   /* ß */
    case 0xFE: return "th";   /* þ */
    case 0xF0: return "d";    /* ð */
    case 0x133: return "ij";  /* ĳ */
    default: return NULL;
    }
}

/* ICAO 9303 Part 3 for Cyrillic (Russian, Ukrainian, Belarusian, Serbian,
 * Macedonian letters), applied to the folded (lower-case) name. */
static const char *icao_cyrillic(UChar32 c)
{
    static const char *const ru[32] = {
        "a", "b", "v", "g", "d", "e", "zh", "z", "i", "i", "k", "l", "m", "n", "o", "p",
        "r", "s", "t", "u", "f", "kh", "ts", "ch", "sh", "shch", "ie", "y", "", "e", "iu", "ia",
    };
    if (c >= 0x430 && c <= 0x44F) return ru[c - 0x430];
    switch (c) {
    case 0x451: return "e";   /* ё */
    case 0x454: return "ie";  /* є */
    case 0x456: return "i";   /* і */
    case 0x457: return "i";   /* ї */
    case 0x491: return "g";   /* ґ */
    case 0x45E: return "u";   /* ў */
    case 0x452: return "d";   /* ђ */
    case 0x458: return "j";   /* ј */
    case 0x459: return "lj";  /* љ */
    case 0x45A: return "nj";  /* њ */
    case 0x45B: return "c";   /* ћ */
    case 0x45F: return "dz";  /* џ */
    case 0x453: return "g";   /* ѓ */
    case 0x45C: return "k";   /* ќ */
    case 0x455: return "dz";  /* ѕ */
    default: return NULL;
    }
}

/* A growing ASCII buffer for the hand-made forms. */
typedef struct abuf {
    char *s;
    size_t n, cap;
    bool oom;
} abuf;

static void ab_put(abuf *a, const char *x)
{
    size_t k = strlen(x);
    if (a->oom) return;
    if (a->n + k + 1 > a->cap) {
        size_t nc = (a->cap + k + 1) * 2;
        char *ns = realloc(a->s, nc);
        if (!ns) { a->oom = true; return; }
        a->s = ns;
        a->cap = nc;
    }
    memcpy(a->s + a->n, x, k);
    a->n += k;
    a->s[a->n] = '\0';
}

static void ab_putc(abuf *a, char c)
{
    char x[2] = { c, 0 };
    ab_put(a, x);
}

/* Latin ICAO form: from the original (accents still there), lower-cased. */
static void add_icao_latin(forms_builder *b, const char *in, size_t len)
{
    UErrorCode ec = U_ZERO_ERROR;
    UChar *u = malloc((len + 1) * sizeof(UChar)), *low = NULL, *nfc = NULL;
    int32_t n = 0;
    abuf a = { 0 };
    if (!u) { b->rc = CTW_ENOMEM; return; }
    u_strFromUTF8(u, (int32_t)len + 1, &n, in, (int32_t)len, &ec);
    const UNormalizer2 *n2 = unorm2_getNFCInstance(&ec);
    if (U_FAILURE(ec)) goto out;
    nfc = malloc(((size_t)n * 3 + 16) * sizeof(UChar));
    low = malloc(((size_t)n * 9 + 48) * sizeof(UChar));
    if (!nfc || !low) { b->rc = CTW_ENOMEM; goto out; }
    int32_t nn = unorm2_normalize(n2, u, n, nfc, n * 3 + 16, &ec);
    int32_t nl = u_strToLower(low, n * 9 + 48, nfc, nn, "", &ec);
    if (U_FAILURE(ec)) goto out;
    bool differs = false;
    for (int32_t i = 0; i < nl;) {
        UChar32 c;
        U16_NEXT(low, i, nl, c);
        const char *m = icao_latin(c);
        if (m) { differs = true; ab_put(&a, m); continue; }
        char tmp[5];
        int32_t k = 0;
        UBool err = false;
        U8_APPEND(tmp, k, 4, c, err);
        if (err) continue;
        tmp[k] = 0;
        ab_put(&a, tmp);
    }
    if (!differs || a.oom) goto out;
    /* The rest of the name (other accents) goes the general way. */
    UChar *f;
    int32_t fn;
    if (ctw__text_fold_u16(a.s, a.n, &f, &fn) == 0) {
        add_translit_memo(b, TX_GENERAL, f, fn);
        free(f);
    }
out:
    if (a.oom) b->rc = CTW_ENOMEM;
    free(a.s);
    free(u);
    free(nfc);
    free(low);
}

static void add_icao_cyrillic(forms_builder *b, const UChar *f, int32_t n)
{
    abuf a = { 0 };
    ab_put(&a, "");
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(f, i, n, c);
        const char *m = icao_cyrillic(c);
        if (m) ab_put(&a, m);
        else if (c < 0x80) ab_putc(&a, (char)c);
        else ab_putc(&a, ' ');
    }
    if (a.oom) b->rc = CTW_ENOMEM;
    else add_form(b, a.s, a.n);
    free(a.s);
}

/* ---- word by word, through the memo ------------------------------------ */

/* Can u[0..n) (folded: words apart by single U+0020) be transliterated word
 * by word with the same result as whole? ICU's rules read context, and a
 * few reach across a space: the kana iteration and prolonged-sound marks
 * repeat the character before them, and a combining mark of one script
 * after a letter of another is read with it. So: letters of one script
 * only (Common and Inherited characters apart), no kana, and every word
 * beginning with a letter that is not an extender. Checked against ICU
 * whole on the 176,000 non-ASCII names of the data sets in ../shared
 * (yente, UN, OFAC, nomenklatura) and 400,000 random names of one script
 * each (Cyrillic, Greek, Arabic, Hebrew, Armenian, Georgian, Indic, Thai,
 * Lao, Khmer, Myanmar, Ethiopic, Syriac, Thaana, Hangul, Latin with
 * accents; punctuation inside words): no difference for any of the three
 * transliterators first used this way (general, BGN, Greek UNGEGN). The
 * Indic spoken form's plain Any-Latin, added later, was checked on the
 * 5,423 Devanagari names of yente's negatives: the same forms; so was
 * the Latin-ASCII step after it, which maps letter by letter. A unit test
 * repeats it on a sample of random names of each script. */
static bool words_apart(const UChar *u, int32_t n)
{
    UScriptCode one = USCRIPT_INVALID_CODE;
    bool word_start = true;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(u, i, n, c);
        if (c == ' ') {
            word_start = true;
            continue;
        }
        if (word_start && (!u_isalpha(c) || u_hasBinaryProperty(c, UCHAR_EXTENDER))) return false;
        word_start = false;
        if (c < 0x80) continue;
        UErrorCode ec = U_ZERO_ERROR;
        UScriptCode sc = uscript_getScript(c, &ec);
        if (U_FAILURE(ec) || uscript_hasScript(c, USCRIPT_HIRAGANA) || uscript_hasScript(c, USCRIPT_KATAKANA))
            return false;
        if (sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED) continue;
        if (one == USCRIPT_INVALID_CODE) one = sc;
        else if (sc != one) return false;
    }
    return true;
}

/* One word through t into a (UTF-8), from the memo when it has it. */
static bool translit_word(abuf *a, int which, UTransliterator *t, const UChar *w, int32_t n)
{
    char hit[CTW__WORD_MEMO_VALUE_MAX + 1];
    int got = ctw__text_word_memo_get(which, w, n, hit, sizeof hit);
    if (got >= 0) {
        ab_put(a, hit);
        return true;
    }
    UChar buf[CTW__WORD_MEMO_KEY_MAX * 8 + 32];
    UChar *big = NULL, *x = buf;
    int32_t cap = (int32_t)(sizeof buf / sizeof buf[0]);
    if (n * 8 + 32 > cap) {
        cap = n * 8 + 32;
        if (!(x = big = malloc((size_t)cap * sizeof(UChar)))) return false;
    }
    memcpy(x, w, (size_t)n * sizeof(UChar));
    int32_t len = n, limit = n;
    UErrorCode ec = U_ZERO_ERROR;
    utrans_transUChars(t, x, &len, cap, 0, &limit, &ec);
    size_t n8 = 0;
    if (U_SUCCESS(ec)) tidy_latin(x, &len);
    char *s = U_SUCCESS(ec) ? u16_to_utf8(x, len, &n8) : NULL;
    free(big);
    if (!s) return false;
    ab_put(a, s);
    ctw__text_word_memo_put(which, w, n, s, n8);
    free(s);
    return true;
}

/* u[0..n) through t word by word, each word from the memo when it has it,
 * into a (UTF-8, spaces kept); false when ICU failed on a word. */
static bool memo_words(abuf *a, int which, UTransliterator *t, const UChar *u, int32_t n)
{
    bool ok = true;
    ab_put(a, "");
    for (int32_t i = 0; i < n && ok && !a->oom;) {
        if (u[i] == ' ') {
            ab_putc(a, ' ');
            i++;
            continue;
        }
        int32_t s = i;
        while (i < n && u[i] != ' ') i++;
        ok = translit_word(a, which, t, u + s, i - s);
    }
    return ok;
}

/* add_translit with transliterator `which`, word by word through the memo
 * where words_apart says that is the same; whole otherwise. */
static void add_translit_memo(forms_builder *b, int which, const UChar *u, int32_t n)
{
    UTransliterator *t = tx_get(which);
    if (!t || b->rc != 0) return;
    if (!ctw__text_word_memo_on() || !words_apart(u, n)) {
        add_translit(b, t, u, n);
        return;
    }
    abuf a = { 0 };
    bool ok = memo_words(&a, which, t, u, n);
    if (a.oom) b->rc = CTW_ENOMEM;
    else if (ok) add_form(b, a.s, a.n);
    else add_translit(b, t, u, n);   /* a word failed: as ICU does it whole */
    free(a.s);
}

/* u[0..n) through transliterator `which` (t), tidied, as a malloc'd UTF-16
 * text of *len units: word by word through the memo where words_apart says
 * that is the same, whole otherwise. NULL when ICU fails, and also when
 * memory is short, which sets *oom. */
static UChar *translit_words(int which, UTransliterator *t, const UChar *u, int32_t n, int32_t *len, bool *oom)
{
    if (ctw__text_word_memo_on() && words_apart(u, n)) {
        abuf a = { 0 };
        bool ok = memo_words(&a, which, t, u, n);
        UChar *x = NULL;
        if (a.oom) *oom = true;
        else if (ok && (x = malloc((a.n + 1) * sizeof(UChar))) == NULL) *oom = true;
        if (x) {
            UErrorCode ec = U_ZERO_ERROR;
            u_strFromUTF8(x, (int32_t)a.n + 1, len, a.s, (int32_t)a.n, &ec);
            if (U_FAILURE(ec)) {
                free(x);
                x = NULL;
            }
        }
        free(a.s);
        if (x || *oom) return x;
        /* a word failed: as ICU does it whole */
    }
    UChar *x = translit_u16(t, u, n, len, oom);
    if (x) tidy_latin(x, len);
    return x;
}

/* ---- Chinese: syllables joined per given name ------------------------- */

static bool is_han(UChar32 c)
{
    UErrorCode ec = U_ZERO_ERROR;
    return uscript_getScript(c, &ec) == USCRIPT_HAN;
}

/* Chinese names are written without spaces; Han-Latin gives one syllable
 * per character. Romanised names join the given name's syllables ("Mao
 * Zedong"): a word of three characters is family name + two-syllable
 * given name, four characters are taken as a two-character family name
 * (Ouyang, Sima, Zhuge) + given name. */
/* The words of a Chinese name transliterated one by one (Han-Latin):
 * `joined` has each given name's syllables joined, `whole` every word as
 * transliterated, in order, one space between. A name written in Han
 * characters alone reads the same transliterated whole by Any-Latin (which
 * hands Han runs to Han-Latin) as word by word, so `whole` is its general
 * form without a second pass of Han-Latin, ICU's slowest transliterator
 * (checked on the 10,234 all-Han names of yente's negatives: the same
 * form every time). whole_ok is false when a word failed. */
typedef struct han_forms {
    abuf joined, whole;
    bool whole_ok;
} han_forms;

/* ICU's Han-Latin reads Han characters one at a time (a space between
 * their syllables), except for the few characters its rules read by the
 * next one ("{重}' '?庆 > chóng"). So a word of Han characters none of
 * which is read in context transliterates to its characters' readings
 * joined by spaces, and each character's reading need be asked of ICU
 * (Han-Latin is its slowest transliterator, ~20 µs a character) only once
 * per process. The characters read in context are taken from ICU's own
 * rules, so this stays exactly what ICU gives whatever its version (a unit
 * test compares the two word by word).
 *
 * han_memo[c - HAN_MEMO_LO]: 0 not asked yet; HAN_ASK_ICU when the
 * character is read in context or its reading is not 1–7 letters a–z;
 * else the reading's bytes, the first in the low byte. */
#define HAN_MEMO_LO 0x3400   /* CJK Unified Ideographs Extension A ... */
#define HAN_MEMO_HI 0xA000   /* ... to the end of the unified block */
#define HAN_ASK_ICU 1u
static _Atomic uint64_t han_memo[HAN_MEMO_HI - HAN_MEMO_LO];
static pthread_once_t han_memo_once = PTHREAD_ONCE_INIT;
static bool han_memo_ok;

static void han_memo_init(void)
{
    /* Han-Latin alone: the rules of a compound ("Han-Latin; Latin-ASCII")
     * come back as the names of its parts */
    UChar id[16];
    u_uastrcpy(id, "Han-Latin");
    UErrorCode ec = U_ZERO_ERROR;
    UTransliterator *t = utrans_openU(id, -1, UTRANS_FORWARD, NULL, 0, NULL, &ec);
    if (U_FAILURE(ec)) return;
    int32_t n = utrans_toRules(t, false, NULL, 0, &ec);
    UChar *r = ec == U_BUFFER_OVERFLOW_ERROR ? malloc(((size_t)n + 1) * sizeof *r) : NULL;
    ec = U_ZERO_ERROR;
    if (r) utrans_toRules(t, false, r, n + 1, &ec);
    utrans_close(t);
    if (!r || U_FAILURE(ec)) { free(r); return; }
    /* a rule with a context ("{X}' '?Y > ..." or "X} Y > ..."): every Han
     * character on its line is read by its neighbours */
    int32_t rules = 0;
    for (int32_t i = 0; i < n;) {
        int32_t e = i;
        bool context = false;
        while (e < n && r[e] != '\n') {
            context |= r[e] == '{' || r[e] == '}';
            rules += r[e] == '>';
            e++;
        }
        for (int32_t k = i; context && k < e;) {
            UChar32 c;
            U16_NEXT(r, k, e, c);
            if (c >= HAN_MEMO_LO && c < HAN_MEMO_HI) atomic_store(&han_memo[c - HAN_MEMO_LO], HAN_ASK_ICU);
        }
        i = e + 1;
    }
    free(r);
    /* only rules spelt out can be trusted (ICU 72 has ~1,500 lines of them);
     * anything else and every word goes to ICU whole */
    han_memo_ok = rules >= 1000;
}

/* The reading of character c through t, from memo (covering lo..hi-1):
 * ASCII, NUL-terminated, into out[8]; false when ICU must read the text
 * it is in as a whole. */
static bool memo_reading(_Atomic uint64_t *memo, UChar32 lo, UChar32 hi, UTransliterator *t, UChar32 c,
                         char out[8])
{
    if (c < lo || c >= hi) return false;
    uint64_t v = atomic_load_explicit(&memo[c - lo], memory_order_relaxed);
    if (v == 0) {
        UChar w[16] = { (UChar)c };
        int32_t len = 1, limit = 1;
        UErrorCode ec = U_ZERO_ERROR;
        utrans_transUChars(t, w, &len, (int32_t)(sizeof w / sizeof w[0]), 0, &limit, &ec);
        v = HAN_ASK_ICU;
        if (U_SUCCESS(ec) && len >= 1 && len <= 7) {
            uint64_t x = 0;
            int32_t k;
            for (k = 0; k < len && w[k] >= 'a' && w[k] <= 'z'; k++) x |= (uint64_t)w[k] << (8 * k);
            if (k == len) v = x;
        }
        /* two threads asking at once store the same value */
        atomic_store_explicit(&memo[c - lo], v, memory_order_relaxed);
    }
    if (v == HAN_ASK_ICU) return false;
    for (int k = 0; k < 8; k++) out[k] = (char)(v >> (8 * k));
    return true;
}

static bool han_reading(UTransliterator *t, UChar32 c, char out[8])
{
    return memo_reading(han_memo, HAN_MEMO_LO, HAN_MEMO_HI, t, c, out);
}

/* Han-Latin of the word w[0..n) from the per-character readings: a
 * malloc'd string, or NULL when ICU must read the word whole. */
static char *han_word_memo(UTransliterator *t, const UChar *w, int32_t n, size_t *len)
{
    pthread_once(&han_memo_once, han_memo_init);
    if (!han_memo_ok) return NULL;
    abuf a = { 0 };
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(w, i, n, c);
        char syl[8];
        if (!han_reading(t, c, syl)) { free(a.s); return NULL; }
        if (a.n) ab_putc(&a, ' ');
        ab_put(&a, syl);
    }
    if (a.oom || !a.s) { free(a.s); return NULL; }
    *len = a.n;
    return a.s;
}

static void han_romanise(const UChar *f, int32_t n, han_forms *h)
{
    UTransliterator *t = tx_get(TX_HAN);
    abuf *a = &h->joined;
    memset(h, 0, sizeof *h);
    if (!t) return;
    h->whole_ok = true;
    ab_put(a, "");
    ab_put(&h->whole, "");
    for (int32_t i = 0; i < n && !a->oom;) {
        if (f[i] == ' ') { i++; continue; }
        int32_t s = i, hans = 0, cps = 0;
        while (i < n && f[i] != ' ') {
            UChar32 c;
            U16_NEXT(f, i, n, c);
            cps++;
            hans += is_han(c);
        }
        /* Transliterate this word alone to count its syllables. */
        size_t n8 = 0;
        char *s8 = hans == cps ? han_word_memo(t, f + s, i - s, &n8) : NULL;
        if (!s8) {
            int32_t cap = (i - s) * 8 + 32, len = i - s, limit = i - s;
            UChar *w = malloc(((size_t)cap + 1) * sizeof(UChar));
            if (!w) { a->oom = true; break; }
            memcpy(w, f + s, (size_t)len * sizeof(UChar));
            UErrorCode ec = U_ZERO_ERROR;
            utrans_transUChars(t, w, &len, cap, 0, &limit, &ec);
            s8 = U_SUCCESS(ec) ? u16_to_utf8(w, len, &n8) : NULL;
            free(w);
        }
        if (!s8) { h->whole_ok = false; continue; }
        if (h->whole.n) ab_putc(&h->whole, ' ');
        ab_put(&h->whole, s8);
        char *clean = malloc(n8 + 1);
        if (clean && ctw__text_ascii_clean(s8, n8, clean, n8 + 1) >= 0) {
            size_t syl = 0;
            for (char *p = clean; *p; p++) syl += (p == clean || p[-1] == ' ');
            size_t family = (hans == cps && syl == (size_t)cps && (cps == 3 || cps == 4)) ? (size_t)cps - 2 : 0;
            if (a->n) ab_putc(a, ' ');
            size_t k = 0;
            for (char *p = clean; *p; p++) {
                if (*p == ' ') {
                    k++;
                    /* keep the space after the family name, drop the rest */
                    if (family && k != family) continue;
                }
                ab_putc(a, *p);
            }
        }
        free(clean);
        free(s8);
    }
    if (h->whole.oom) h->whole_ok = false;
}

/* Add the joined form of han_romanise's result. */
static void add_han_joined(forms_builder *b, han_forms *h)
{
    if (h->joined.oom) b->rc = CTW_ENOMEM;
    else if (h->joined.s) add_form(b, h->joined.s, h->joined.n);
}

static void han_forms_free(han_forms *h)
{
    free(h->joined.s);
    free(h->whole.s);
    memset(h, 0, sizeof *h);
}

/* ---- Chinese: foreign names written by sound ------------------------------ */

/* Chinese writes a foreign name by sound, a character per syllable from a
 * fixed set (Xinhua's transliteration tables): 弗拉基米尔·普京 is Vladimir
 * Putin. Its pinyin read character by character ("fu la ji mi er pu jing")
 * is far from the Latin spelling the name stands for, so such a name also
 * gets that spelling, each word's syllables joined, in two variants:
 *  - a character that stands for a consonant alone (克 k, 斯 s, 尔 r: the
 *    table below) reads bare inside a word before a consonant or at the
 *    word's end (基米尔 jimir), and at a word's start before l (弗拉 fla,
 *    克里斯 klis; 斯 also before t, k, p: 斯特 st); 尔 reads r after a
 *    syllable;
 *  - pinyin letters a Latin spelling writes otherwise: x s, q k, zh j, uo o,
 *    -ei e, and a word's final -ng n (普京 pujin);
 *  - variant 0 keeps l, j and w; variant 1 reads l r, j g, w v (Chinese
 *    has no r, no g before i, no v: 拉 stands for la and ra).
 * Only a name that looks transliterated gets them: one with a character of
 * the table, a word of four characters or more, or words apart by a middle
 * dot. A Chinese name of two or three characters keeps its own reading.
 * `make eval` (section 7, Chinese) shows what it does. */
static const struct {
    UChar c;
    char cons[3];
} HAN_LOAN_CONSONANT[] = {
    {0x514B, "k"}, {0x7279, "t"}, {0x5FB7, "d"}, {0x65AF, "s"}, {0x8328, "ts"}, /* 克 特 德 斯 茨 */
    {0x5179, "z"}, {0x8332, "z"}, {0x592B, "f"}, {0x5E03, "b"}, {0x666E, "p"},  /* 兹 茲 夫 布 普 */
    {0x683C, "g"}, {0x59C6, "m"}, {0x5C14, "r"}, {0x723E, "r"}, {0x52D2, "l"},  /* 格 姆 尔 爾 勒 */
    {0x8D6B, "h"}, {0x5F17, "f"},                                               /* 赫 弗 */
};
#define HAN_LOAN_MAX_WORD 32   /* characters of one word read this way */

static const char *han_loan_consonant(UChar32 c)
{
    for (size_t i = 0; i < sizeof HAN_LOAN_CONSONANT / sizeof HAN_LOAN_CONSONANT[0]; i++)
        if (HAN_LOAN_CONSONANT[i].c == c) return HAN_LOAN_CONSONANT[i].cons;
    return NULL;
}

static bool han_loan_dot(UChar32 c)
{
    return c == 0x00B7 || c == 0x2027 || c == 0x30FB || c == 0x2022 || c == 0xFF0E; /* · ‧ ・ • ． */
}

/* s (of cap bytes) starting with `from` starts with `to` instead. */
static void replace_prefix(char *s, size_t cap, const char *from, const char *to)
{
    size_t fl = strlen(from), tl = strlen(to), n = strlen(s);
    if (strncmp(s, from, fl) != 0 || n - fl + tl + 1 > cap) return;
    memmove(s + tl, s + fl, n - fl + 1);
    memcpy(s, to, tl);
}

/* Syllable i of a word of k characters cs[] read syl[] (pinyin, a–z). */
static void han_loan_syllable(const UChar32 *cs, char (*syl)[8], int i, int k, int variant, abuf *a)
{
    char s[16];
    const char *cons = han_loan_consonant(cs[i]);
    const char *next = i + 1 < k ? syl[i + 1] : NULL;
    bool next_vowel = next && next[0] && strchr("aeiou", next[0]);
    bool cluster = next && next[0] && (next[0] == 'l' || (cs[i] == 0x65AF && strchr("tkp", next[0])));
    if (cons && (i > 0 ? !next_vowel : cluster)) {
        snprintf(s, sizeof s, "%s", cons);
    } else if (i > 0 && (cs[i] == 0x5C14 || cs[i] == 0x723E)) {
        snprintf(s, sizeof s, "r");
    } else {
        memcpy(s, syl[i], sizeof syl[i]);   /* 1–7 letters and a NUL */
        s[sizeof syl[i] - 1] = '\0';
        size_t n = strlen(s);
        if (i == k - 1 && n > 2 && strcmp(s + n - 2, "ng") == 0) s[--n] = '\0';
        replace_prefix(s, sizeof s, "x", "s");
        replace_prefix(s, sizeof s, "q", "k");
        replace_prefix(s, sizeof s, "zh", "j");
        char *uo = strstr(s, "uo");
        if (uo) memmove(uo, uo + 1, strlen(uo));   /* uo → o */
        if (variant == 1) {
            replace_prefix(s, sizeof s, "j", "g");
            replace_prefix(s, sizeof s, "w", "v");
        }
        n = strlen(s);
        if (n > 2 && strcmp(s + n - 2, "ei") == 0) s[n - 1] = '\0';
    }
    if (variant == 1 && i > 0 && s[0] == 'l') s[0] = 'r';
    ab_put(a, s);
}

/* The foreign-name forms of a name of Han characters f[0..n) (above). */
static void add_han_loanword(forms_builder *b, const UChar *f, int32_t n)
{
    UTransliterator *t = tx_get(TX_HAN);
    pthread_once(&han_memo_once, han_memo_init);
    if (!t || !han_memo_ok || b->rc != 0) return;
    /* looks transliterated? */
    bool marked = false, dotted = false;
    int32_t run = 0, words = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(f, i, n, c);
        if (is_han(c)) {
            words += run == 0;
            run++;
            marked |= run >= 4 || han_loan_consonant(c) != NULL;
        } else {
            run = 0;
            dotted |= han_loan_dot(c);
        }
    }
    if (!marked && !(dotted && words >= 2)) return;
    for (int variant = 0; variant < 2; variant++) {
        abuf a = { 0 };
        ab_put(&a, "");
        UChar32 cs[HAN_LOAN_MAX_WORD];
        char syl[HAN_LOAN_MAX_WORD][8];
        int k = 0;
        bool ok = true;
        for (int32_t i = 0; ok;) {
            bool end = i >= n;
            UChar32 c = 0;
            if (!end) U16_NEXT(f, i, n, c);
            if (!end && is_han(c)) {
                ok = k < HAN_LOAN_MAX_WORD && han_reading(t, c, syl[k]);
                if (ok) cs[k++] = c;
                continue;
            }
            if (k > 0) {   /* a word ends: write it */
                if (a.n) ab_putc(&a, ' ');
                for (int j = 0; j < k; j++) han_loan_syllable(cs, syl, j, k, variant, &a);
                k = 0;
            }
            if (end) break;
        }
        if (a.oom) b->rc = CTW_ENOMEM;
        else if (ok && a.n) add_form(b, a.s, a.n);
        free(a.s);
    }
}

/* True if every character of f is a Han character or a space. */
static bool all_han(const UChar *f, int32_t n)
{
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(f, i, n, c);
        if (c != ' ' && !is_han(c)) return false;
    }
    return true;
}

/* ---- Korean: syllables apart, common surname spellings -------------- */

/* Revised Romanization joins a word's syllables ("gimjeong eun"); lists
 * write Korean names syllable by syllable with the family name in its
 * traditional spelling ("Kim Jong Un", "Park Ji Sung", "Lee Min Ho"). */
static const struct { UChar32 syl; const char *latin; } ko_family[] = {
    { 0xAE40, "kim" }, { 0xC774, "lee" }, { 0xBC15, "park" }, { 0xCD5C, "choi" }, { 0xC815, "jung" },
    { 0xAC15, "kang" }, { 0xC870, "cho" }, { 0xC724, "yoon" }, { 0xC7A5, "jang" }, { 0xC784, "lim" },
    { 0xD55C, "han" }, { 0xC624, "oh" }, { 0xC2E0, "shin" }, { 0xC11C, "seo" }, { 0xAD8C, "kwon" },
    { 0xD669, "hwang" }, { 0xC548, "ahn" }, { 0xC1A1, "song" }, { 0xB958, "ryu" }, { 0xD64D, "hong" },
};

/* Any-Latin reads a Hangul syllable standing alone between spaces the
 * same whatever the words around it (checked on 300,000 random runs of
 * three syllables; a unit test compares against ICU), and add_korean
 * writes every syllable apart. So a text of single syllables and ASCII
 * words is its syllables' readings, each asked of ICU once per process. */
#define HANGUL_LO 0xAC00
#define HANGUL_HI 0xD7A4
static _Atomic uint64_t hangul_memo[HANGUL_HI - HANGUL_LO];

/* Add the Any-Latin form of u[0..n) (syllables apart) as add_translit
 * would, from the memo when every word is one syllable or ASCII letters. */
static void add_korean_translit(forms_builder *b, UTransliterator *t, const UChar *u, int32_t n)
{
    abuf a = { 0 };
    bool ok = true;
    ab_put(&a, "");
    for (int32_t i = 0; i < n && ok && !a.oom;) {
        if (u[i] == ' ') { i++; continue; }
        int32_t s = i;
        while (i < n && u[i] != ' ') i++;
        if (a.n) ab_putc(&a, ' ');
        char syl[8];
        if (i - s == 1 && u[s] >= HANGUL_LO && u[s] < HANGUL_HI) {
            ok = memo_reading(hangul_memo, HANGUL_LO, HANGUL_HI, t, u[s], syl);
            if (ok) ab_put(&a, syl);
            continue;
        }
        for (int32_t k = s; k < i && ok; k++) {
            ok = (u[k] >= 'a' && u[k] <= 'z') || (u[k] >= 'A' && u[k] <= 'Z');
            if (ok) ab_putc(&a, (char)u[k]);
        }
    }
    if (a.oom) b->rc = CTW_ENOMEM;
    else if (ok) add_form(b, a.s, a.n);
    else add_translit(b, t, u, n);
    free(a.s);
}

static void add_korean(forms_builder *b, const UChar *f, int32_t n)
{
    UTransliterator *t = tx_get(TX_GENERAL);
    UChar *split = malloc(((size_t)n * 2 + 1) * sizeof(UChar));
    abuf fam = { 0 };
    if (!t || !split) { free(split); if (!split) b->rc = CTW_ENOMEM; return; }
    int32_t k = 0;
    for (int32_t i = 0; i < n; i++) {
        bool hangul = f[i] >= 0xAC00 && f[i] <= 0xD7A3;
        if (hangul && k > 0 && split[k - 1] != ' ') split[k++] = ' ';
        split[k++] = f[i];
    }
    add_korean_translit(b, t, split, k);
    /* The same with a traditional family name in front. */
    ab_put(&fam, "");
    for (int32_t i = 0; i < k && !fam.oom;) {
        int32_t s = i;
        while (i < k && split[i] != ' ') i++;
        const char *m = NULL;
        if (s == 0 || (fam.n == 0))
            for (size_t j = 0; j < sizeof ko_family / sizeof ko_family[0]; j++)
                if (i - s == 1 && split[s] == ko_family[j].syl) m = ko_family[j].latin;
        if (fam.n) ab_putc(&fam, ' ');
        if (m) { ab_put(&fam, m); }
        else {
            size_t n8;
            char *s8 = u16_to_utf8(split + s, i - s, &n8);
            if (s8) ab_put(&fam, s8);
            free(s8);
        }
        while (i < k && split[i] == ' ') i++;
    }
    free(split);
    if (fam.oom) { b->rc = CTW_ENOMEM; free(fam.s); return; }
    /* the non-surname syllables are still Hangul: transliterate the lot */
    UChar *u = malloc((fam.n + 1) * sizeof(UChar));
    int32_t un = 0;
    UErrorCode ec = U_ZERO_ERROR;
    if (u) u_strFromUTF8(u, (int32_t)fam.n + 1, &un, fam.s, (int32_t)fam.n, &ec);
    if (u && U_SUCCESS(ec)) add_korean_translit(b, t, u, un);
    else if (!u) b->rc = CTW_ENOMEM;
    free(u);
    free(fam.s);
}

/* Korean writes foreign names by sound, syllable by syllable, with an ㅡ
 * (eu) after a consonant the language cannot end a syllable on, and ㄹ
 * for both r and l: "Gregory" is 그레고리, which Revised Romanization reads
 * "geulegoli". The reading of such loanwords drops that ㅡ (그 → g, 스 →
 * s), reads ㄹ opening a syllable as r, ㅓ as o and ㅐ as e ("gregori");
 * North Korea's spelling of its names reads ㄹ so too (리 Ri). Added only
 * to a name with such a syllable. The other jamo are read as Revised
 * Romanization reads them; the rules undone are those by which Korean
 * transcribes foreign words (the National Institute of Korean Language's
 * loanword orthography). */
static void add_korean_loanword(forms_builder *b, const UChar *f, int32_t n)
{
    static const char *const initial[19] = {"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s",
                                            "ss", "", "j", "jj", "ch", "k", "t", "p", "h"};
    static const char *const medial[21] = {"a", "e", "ya", "ye", "o", "e", "yo", "ye", "o", "wa", "we",
                                           "oe", "yo", "u", "wo", "we", "wi", "yu", "eu", "ui", "i"};
    static const char *const final[28] = {"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l",
                                          "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"};
    abuf a = { 0 };
    ab_put(&a, "");
    bool loan = false;
    const char *ini_here = NULL; /* how the next syllable's ㄹ reads, when not r */
    for (int32_t i = 0; i < n; i++) {
        UChar c = f[i];
        if (c < 0xAC00 || c > 0xD7A3) {
            ab_putc(&a, c < 0x80 ? (char)c : ' ');
            continue;
        }
        int s = c - 0xAC00, ini = s / (21 * 28), med = (s / 28) % 21, fin = s % 28;
        /* ㄹ closing a syllable and ㄹ opening the next write one foreign l
         * (헬렌 Helen, 밀러 Miller): the second reads l, not r */
        bool l_next = fin == 8 && i + 1 < n && f[i + 1] >= 0xAC00 && f[i + 1] <= 0xD7A3 &&
                      (f[i + 1] - 0xAC00) / (21 * 28) == 5;
        ab_put(&a, ini_here ? ini_here : initial[ini]);
        ini_here = NULL;
        if (med == 18 && fin == 0 && ini != 11) {
            loan = true; /* 그 스 트: the consonant alone */
            continue;
        }
        if (med == 18 && l_next && ini != 11) {
            /* 블라 클린 글레 (Vla-, Clin-, Gle-): a consonant and l open
             * one syllable, and the ㅡ between them is Korean's */
            loan = true;
            ab_put(&a, "l");
            ini_here = "";
            continue;
        }
        loan |= ini == 5;
        ab_put(&a, medial[med]);
        ab_put(&a, final[fin]);
        if (l_next) ini_here = "l";
    }
    if (a.oom) b->rc = CTW_ENOMEM;
    else if (loan) add_form(b, a.s, a.n);
    free(a.s);
}

/* McCune-Reischauer, the other romanisation of Korean names, writes ŏ and
 * ŭ where Revised Romanization writes eo and eu; without the breves that
 * is "Kim Jong Un" for "gim jeong eun". Add that spelling of each Korean
 * form from index `from` on. */
static void add_mr_variants(forms_builder *b, size_t from)
{
    size_t end = b->f->n;
    for (size_t i = from; i < end && b->rc == 0; i++) {
        const char *s = b->f->form[i];
        size_t n = strlen(s);
        char *v = malloc(n + 1);
        if (!v) { b->rc = CTW_ENOMEM; return; }
        size_t o = 0;
        for (size_t k = 0; k < n; k++) {
            v[o++] = s[k];
            if (s[k] == 'e' && k + 1 < n && (s[k + 1] == 'o' || s[k + 1] == 'u')) {
                v[o - 1] = s[k + 1];
                k++;
            }
        }
        add_form(b, v, o);
        free(v);
    }
}

/* Han characters in a Korean name (Hanja) read as Korean: the Unihan
 * kHangul readings, generated at build time from Debian's unicode-data
 * (tools/gen_unihan_hangul.c). 金正恩 → 김정은 → "kim jong un". */
#include "unihan_hangul.h"

static UChar32 hanja_reading(UChar32 c)
{
    size_t lo = 0, hi = sizeof unihan_hangul / sizeof unihan_hangul[0];
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (unihan_hangul[mid].han < (unsigned)c) lo = mid + 1;
        else hi = mid;
    }
    return lo < sizeof unihan_hangul / sizeof unihan_hangul[0] && unihan_hangul[lo].han == (unsigned)c
               ? (UChar32)unihan_hangul[lo].hangul : -1;
}

static void add_hanja_korean(forms_builder *b, const UChar *f, int32_t n)
{
    UChar *h = malloc(((size_t)n + 1) * sizeof(UChar));
    if (!h) { b->rc = CTW_ENOMEM; return; }
    int32_t k = 0;
    for (int32_t i = 0; i < n;) {
        UChar32 c;
        U16_NEXT(f, i, n, c);
        if (c == ' ') { h[k++] = ' '; continue; }
        UChar32 r = hanja_reading(c);
        if (r < 0 || r > 0xFFFF) { free(h); return; } /* a character without a reading: no Korean form */
        h[k++] = (UChar)r;
    }
    size_t from = b->f->n;
    add_korean(b, h, k);
    add_mr_variants(b, from);
    free(h);
}

/* Hebrew without vowel points: ICU writes vav as "w" ("dwd"); names in
 * Latin letters read it as v or o/u. The v-reading gives the consonants of
 * the Latin spelling ("dvd" / "David"), which the matcher compares. */
static void add_hebrew(forms_builder *b)
{
    if (b->f->n == 0) return;
    const char *s = b->f->form[0];
    size_t n = strlen(s);
    char *v = malloc(n + 1);
    if (!v) { b->rc = CTW_ENOMEM; return; }
    for (size_t i = 0; i <= n; i++) v[i] = s[i] == 'w' ? 'v' : s[i];
    add_form(b, v, n);
    free(v);
}

/* The vowelled form: Hebrew writes long vowels (and, in names from other
 * languages, most vowels) with its vowel letters, which Latin spellings
 * read as vowels: ו between letters as o, י as i (יי as ei), א and ע as
 * a, ה at the end as a. ב is b at the start of a word and v after it, as
 * in most Hebrew names (Avraham, Haviv); ף ends a word as f (Yosef).
 * Where two consonants open a word with nothing between, an a goes
 * between (Sharon); where they close it, an e (Yosef). One form, beside
 * ICU's consonants and their v-reading. */
static const struct { UChar c; const char *start, *inner; } he_table[] = {
    {0x5D0, "a", "a"},   /* א */ {0x5D1, "b", "v"},   /* ב */ {0x5D2, "g", "g"},   /* ג */
    {0x5D3, "d", "d"},   /* ד */ {0x5D4, "h", "h"},   /* ה */ {0x5D5, "v", "o"},   /* ו */
    {0x5D6, "z", "z"},   /* ז */ {0x5D7, "ch", "ch"}, /* ח */ {0x5D8, "t", "t"},   /* ט */
    {0x5D9, "y", "i"},   /* י */ {0x5DA, "kh", "kh"}, /* ך */ {0x5DB, "k", "kh"},  /* כ */
    {0x5DC, "l", "l"},   /* ל */ {0x5DD, "m", "m"},   /* ם */ {0x5DE, "m", "m"},   /* מ */
    {0x5DF, "n", "n"},   /* ן */ {0x5E0, "n", "n"},   /* נ */ {0x5E1, "s", "s"},   /* ס */
    {0x5E2, "a", "a"},   /* ע */ {0x5E3, "f", "f"},   /* ף */ {0x5E4, "p", "p"},   /* פ */
    {0x5E5, "ts", "ts"}, /* ץ */ {0x5E6, "ts", "ts"}, /* צ */ {0x5E7, "k", "k"},   /* ק */
    {0x5E8, "r", "r"},   /* ר */ {0x5E9, "sh", "sh"}, /* ש */ {0x5EA, "t", "t"},   /* ת */
};

static bool he_vowel_letter(UChar c) { return c == 0x5D0 || c == 0x5D5 || c == 0x5D9 || c == 0x5E2; }

static const char *he_letter(UChar c, bool start)
{
    for (size_t k = 0; k < sizeof he_table / sizeof he_table[0]; k++)
        if (he_table[k].c == c) return start ? he_table[k].start : he_table[k].inner;
    return NULL;
}

static void he_word(abuf *a, const UChar *w, int32_t n)
{
    for (int32_t i = 0; i < n; i++) {
        UChar c = w[i];
        bool start = i == 0, last = i + 1 == n;
        const char *l = he_letter(c, start);
        if (!l) {
            if (c < 0x80) ab_putc(a, (char)c);
            continue;
        }
        if (c == 0x5D5 && i + 1 < n && w[i + 1] == 0x5D5) { /* וו: a v */
            ab_put(a, "v");
            i++;
        } else if (c == 0x5D9 && i + 1 < n && w[i + 1] == 0x5D9) { /* יי */
            ab_put(a, start ? "y" : "ei");
            i++;
        } else if ((c == 0x5D0 || c == 0x5E2) && start && i + 1 < n && (w[i + 1] == 0x5D5 || w[i + 1] == 0x5D9)) {
            continue; /* the vowel letter after it says the vowel */
        } else if (c == 0x5D4 && last && !start) {
            ab_put(a, "a");
        } else {
            ab_put(a, l);
        }
        /* two consonants opening or closing the word: a vowel between, a
         * at the start (Sharon), e at the end (Yosef); a final ה is the
         * vowel itself */
        bool cons = !he_vowel_letter(c) && !(c == 0x5D4 && last);
        bool next_cons = i + 1 < n && !he_vowel_letter(w[i + 1]) && he_letter(w[i + 1], false) &&
                         !(w[i + 1] == 0x5D4 && i + 2 == n);
        if (cons && next_cons && (start || i + 2 == n)) ab_putc(a, start ? 'a' : 'e');
    }
}

/* f[0..n) into a word by word through word(), single spaces between. */
static void words_through(abuf *a, const UChar *f, int32_t n, void (*word)(abuf *, const UChar *, int32_t))
{
    ab_put(a, "");
    for (int32_t i = 0; i < n;) {
        if (f[i] == ' ') { i++; continue; }
        int32_t s = i;
        while (i < n && f[i] != ' ') i++;
        if (a->n) ab_putc(a, ' ');
        word(a, f + s, i - s);
    }
}

static void add_hebrew_vowelled(forms_builder *b, const UChar *f, int32_t n)
{
    abuf a = { 0 };
    words_through(&a, f, n, he_word);
    if (a.oom) b->rc = CTW_ENOMEM;
    else add_form(b, a.s, a.n);
    free(a.s);
}

/* ---- Arabic: common English vowelled form and skeleton ---------------- */

/* Written Arabic leaves short vowels out; English spellings of names put
 * them back by habit. The rules below are that habit, kept simple:
 *   - long vowels are written: ا → a, و → u (w at the start or before a
 *     vowel), ي → i (y at the start or before a vowel), ة/ى at the end → a;
 *   - between two consonants an "a" is supplied when the first starts the
 *     word or the second ends it (Hasan, Ahmad, Jafar), and after a long
 *     "a" the supplied vowel is "i" (the fāʿil pattern: Khalid, Rashid);
 *   - the article ال opens its own word "al", and a handful of very common
 *     names whose vowels no rule recovers come from a short list.
 * The skeleton drops all vowels, so spellings that differ only in vowels
 * (Mohamed, Muhammad, Mohammed) meet there. */

enum { AR_CONS, AR_LONG_A, AR_WAW, AR_YA, AR_TA_MARBUTA, AR_SILENT, AR_NONE };

typedef struct ar_letter {
    UChar32 c;
    const char *latin;
    int kind;
} ar_letter;

static const ar_letter ar_table[] = {
    { 0x621, "", AR_SILENT },      /* ء hamza */
    { 0x622, "a", AR_LONG_A },     /* آ */
    { 0x623, "a", AR_LONG_A },     /* أ */
    { 0x624, "", AR_SILENT },      /* ؤ */
    { 0x625, "i", AR_LONG_A },     /* إ */
    { 0x626, "i", AR_LONG_A },     /* ئ */
    { 0x627, "a", AR_LONG_A },     /* ا */
    { 0x628, "b", AR_CONS },       /* ب */
    { 0x629, "a", AR_TA_MARBUTA }, /* ة */
    { 0x62A, "t", AR_CONS },       /* ت */
    { 0x62B, "th", AR_CONS },      /* ث */
    { 0x62C, "j", AR_CONS },       /* ج */
    { 0x62D, "h", AR_CONS },       /* ح */
    { 0x62E, "kh", AR_CONS },      /* خ */
    { 0x62F, "d", AR_CONS },       /* د */
    { 0x630, "dh", AR_CONS },      /* ذ */
    { 0x631, "r", AR_CONS },       /* ر */
    { 0x632, "z", AR_CONS },       /* ز */
    { 0x633, "s", AR_CONS },       /* س */
    { 0x634, "sh", AR_CONS },      /* ش */
    { 0x635, "s", AR_CONS },       /* ص */
    { 0x636, "d", AR_CONS },       /* ض */
    { 0x637, "t", AR_CONS },       /* ط */
    { 0x638, "z", AR_CONS },       /* ظ */
    { 0x639, "", AR_CONS },        /* ع ayn: a consonant that English does not write */
    { 0x63A, "gh", AR_CONS },      /* غ */
    { 0x641, "f", AR_CONS },       /* ف */
    { 0x642, "q", AR_CONS },       /* ق */
    { 0x643, "k", AR_CONS },       /* ك */
    { 0x644, "l", AR_CONS },       /* ل */
    { 0x645, "m", AR_CONS },       /* م */
    { 0x646, "n", AR_CONS },       /* ن */
    { 0x647, "h", AR_CONS },       /* ه */
    { 0x648, "w", AR_WAW },        /* و */
    { 0x649, "a", AR_TA_MARBUTA }, /* ى alif maqsura */
    { 0x64A, "y", AR_YA },         /* ي */
    { 0x671, "a", AR_LONG_A },     /* ٱ alif wasla */
    { 0x67E, "p", AR_CONS },       /* پ Persian, Urdu */
    { 0x686, "ch", AR_CONS },      /* چ */
    { 0x698, "zh", AR_CONS },      /* ژ */
    { 0x6A9, "k", AR_CONS },       /* ک */
    { 0x6AF, "g", AR_CONS },       /* گ */
    { 0x6CC, "y", AR_YA },         /* ی Persian yeh */
    { 0x679, "t", AR_CONS },       /* ٹ Urdu */
    { 0x688, "d", AR_CONS },       /* ڈ */
    { 0x691, "r", AR_CONS },       /* ڑ */
    { 0x6BA, "n", AR_CONS },       /* ں */
    { 0x6BE, "h", AR_CONS },       /* ھ */
    { 0x6C1, "h", AR_CONS },       /* ہ */
    { 0x6D2, "e", AR_TA_MARBUTA }, /* ے */
    { 0x67C, "t", AR_CONS },       /* ټ Pashto */
    { 0x689, "d", AR_CONS },       /* ډ */
    { 0x693, "r", AR_CONS },       /* ړ */
    { 0x696, "zh", AR_CONS },      /* ږ */
    { 0x69A, "sh", AR_CONS },      /* ښ */
    { 0x685, "ts", AR_CONS },      /* څ */
    { 0x681, "dz", AR_CONS },      /* ځ */
    { 0x6AB, "g", AR_CONS },       /* ګ */
    { 0x6BC, "n", AR_CONS },       /* ڼ */
    { 0x6CD, "ai", AR_TA_MARBUTA },/* ۍ */
    { 0x6D0, "e", AR_YA },         /* ې */
};

static const ar_letter *ar_lookup(UChar32 c)
{
    for (size_t i = 0; i < sizeof ar_table / sizeof ar_table[0]; i++)
        if (ar_table[i].c == c) return &ar_table[i];
    return NULL;
}

/* Very common name words whose vowels (or doubled consonants) the rules
 * cannot recover, with the usual English spelling. */
static const struct { const char *ar, *en; } ar_words[] = {
    { "\u0645\u062D\u0645\u062F", "muhammad" },          /* محمد */
    { "\u0639\u0628\u062F", "abd" },                     /* عبد */
    { "\u0627\u0644\u0644\u0647", "allah" },             /* الله */
    { "\u0639\u0628\u062F\u0627\u0644\u0644\u0647", "abdallah" }, /* عبدالله */
    { "\u062D\u0633\u064A\u0646", "hussein" },           /* حسين */
    { "\u0639\u0645\u0631", "umar" },                    /* عمر */
    { "\u0639\u062B\u0645\u0627\u0646", "uthman" },      /* عثمان */
    { "\u064A\u0648\u0633\u0641", "yusuf" },             /* يوسف */
    { "\u0645\u0635\u0637\u0641\u0649", "mustafa" },     /* مصطفى */
    { "\u0623\u0628\u0648", "abu" },                     /* أبو */
    { "\u0627\u0628\u0648", "abu" },                     /* ابو */
    { "\u0628\u0646", "bin" },                           /* بن */
    { "\u0627\u0628\u0646", "ibn" },                     /* ابن */
    { "\u0628\u0646\u062A", "bint" },                    /* بنت */
    { "\u0623\u0645", "umm" },                           /* أم */
    { "\u0645\u062D\u0645\u0648\u062F", "mahmoud" },     /* محمود */
    { "\u0623\u0633\u0627\u0645\u0629", "usama" },       /* أسامة */
    { "\u0639\u0644\u064A", "ali" },                     /* علي */
};

static bool u16_eq_utf8(const UChar *w, int32_t n, const char *s)
{
    UChar tmp[32];
    int32_t k = 0;
    UErrorCode ec = U_ZERO_ERROR;
    u_strFromUTF8(tmp, 32, &k, s, -1, &ec);
    return U_SUCCESS(ec) && k == n && memcmp(tmp, w, (size_t)n * sizeof(UChar)) == 0;
}

static int ar_kind(const UChar *w, int32_t n, int32_t i)
{
    if (i < 0 || i >= n) return AR_NONE;
    const ar_letter *l = ar_lookup(w[i]);
    return l ? l->kind : AR_NONE;
}

static bool ar_vowel_kind(int k)
{
    return k == AR_LONG_A || k == AR_TA_MARBUTA;
}

/* One Arabic word (no spaces) into a. */
static void ar_word(abuf *a, const UChar *w, int32_t n)
{
    for (size_t k = 0; k < sizeof ar_words / sizeof ar_words[0]; k++)
        if (u16_eq_utf8(w, n, ar_words[k].ar)) { ab_put(a, ar_words[k].en); return; }
    /* The article, written joined: ال + at least two more letters. */
    if (n >= 4 && w[0] == 0x627 && w[1] == 0x644) {
        ab_put(a, "al ");
        w += 2;
        n -= 2;
    } else if (n >= 5 && w[0] == 0x639 && w[1] == 0x628 && w[2] == 0x62F && w[3] == 0x627 && w[4] == 0x644) {
        ab_put(a, "abd al ");   /* عبدال... : Abd al-Rahman and the like */
        w += 5;
        n -= 5;
    }
    bool prev_long_a = false;
    for (int32_t i = 0; i < n; i++) {
        const ar_letter *l = ar_lookup(w[i]);
        if (!l) {
            if (w[i] < 0x80) ab_putc(a, (char)w[i]);
            prev_long_a = false;
            continue;
        }
        int kn = ar_kind(w, n, i + 1);
        bool next_vowelish = ar_vowel_kind(kn) || kn == AR_WAW || kn == AR_YA;
        switch (l->kind) {
        case AR_SILENT:
            continue;
        case AR_LONG_A:
            ab_put(a, l->latin);
            prev_long_a = true;
            continue;
        case AR_TA_MARBUTA:
            ab_put(a, l->latin);
            prev_long_a = false;
            continue;
        case AR_WAW:
        case AR_YA: {
            /* A glide at the start or before a vowel, a long vowel after a
             * consonant. */
            int kp = ar_kind(w, n, i - 1);
            bool after_cons = i > 0 && (kp == AR_CONS);
            if (i == 0 || !after_cons || ar_vowel_kind(kn)) ab_put(a, l->latin);
            else ab_put(a, l->kind == AR_WAW ? "u" : "i");
            prev_long_a = false;
            continue;
        }
        default:
            ab_put(a, l->latin);
            if (i + 1 < n && kn == AR_CONS && !next_vowelish) {
                bool initial = i == 0;
                bool second_ends = i + 2 >= n;
                if (initial || second_ends) ab_put(a, prev_long_a ? "i" : "a");
            }
            prev_long_a = false;
        }
    }
}

/* Uyghur (and Kazakh, Kyrgyz) in Arabic letters writes every vowel, with
 * letters Arabic lacks (ە ۇ ۆ ۈ ې ۋ ڭ), which ICU passes through untouched:
 * ئۇيغۇر came out "y ygh r". Read letter by letter in the Uyghur Latin
 * alphabet (ULY, Xinjiang University 2006), with kh for خ and o, u for ۆ,
 * ۈ as names are spelled in English ("Uyghur", "Memet Imin"). */
static const struct { UChar c; const char *latin; } uly_table[] = {
    {0x627, "a"},  {0x6D5, "e"},  {0x628, "b"},  {0x67E, "p"},  {0x62A, "t"},  {0x62C, "j"},  {0x686, "ch"},
    {0x62E, "kh"}, {0x62F, "d"},  {0x631, "r"},  {0x632, "z"},  {0x698, "zh"}, {0x633, "s"},  {0x634, "sh"},
    {0x63A, "gh"}, {0x641, "f"},  {0x642, "q"},  {0x643, "k"},  {0x6AF, "g"},  {0x6AD, "ng"}, {0x644, "l"},
    {0x645, "m"},  {0x646, "n"},  {0x6BE, "h"},  {0x647, "h"},  {0x648, "o"},  {0x6C7, "u"},  {0x6C6, "o"},
    {0x6C8, "u"},  {0x6CB, "w"},  {0x6D0, "e"},  {0x649, "i"},  {0x64A, "y"},  {0x6CC, "i"},  {0x639, ""},
    {0x621, ""},
};

/* Letters only these alphabets use (ې is Pashto's too, and is not
 * enough), or ى (alif maqsura, word-final in Arabic) inside a word, where
 * Uyghur writes its i. */
static bool uyghur_letters(const UChar *f, int32_t n)
{
    for (int32_t i = 0; i < n; i++)
        if (f[i] == 0x6D5 || f[i] == 0x6C7 || f[i] == 0x6C6 || f[i] == 0x6C8 || f[i] == 0x6CB || f[i] == 0x6AD ||
            (f[i] == 0x649 && i + 1 < n && f[i + 1] != ' '))
            return true;
    return false;
}

static bool uly_vowel(UChar c)
{
    return c == 0x627 || c == 0x6D5 || c == 0x648 || c == 0x6C7 || c == 0x6C6 || c == 0x6C8 || c == 0x6D0 ||
           c == 0x649;
}

static void add_uyghur(forms_builder *b, const UChar *f, int32_t n)
{
    abuf a = { 0 };
    ab_put(&a, "");
    for (int32_t i = 0; i < n; i++) {
        /* A word opening on a vowel is written with ئ before it, which
         * folding (NFKC, marks dropped) made ي: silent there. A name
         * opening on y and a vowel (Yusup) loses its y, the lesser harm. */
        if (f[i] == 0x64A && (i == 0 || f[i - 1] == ' ') && i + 1 < n && uly_vowel(f[i + 1])) continue;
        const char *l = NULL;
        for (size_t k = 0; k < sizeof uly_table / sizeof uly_table[0] && !l; k++)
            if (uly_table[k].c == f[i]) l = uly_table[k].latin;
        if (l) ab_put(&a, l);
        else ab_putc(&a, f[i] < 0x80 ? (char)f[i] : ' ');
    }
    if (a.oom) b->rc = CTW_ENOMEM;
    else add_form(b, a.s, a.n);
    free(a.s);
}

/* "X al Y" a compound given name: abd al- anything, or X al-Din, al-Islam,
 * al-Haq ... — not a name followed by a family or place name ("bakr al
 * baghdadi" stays apart). */
static bool compound_name(const char *x, size_t xn, const char *y, size_t yn)
{
    static const char *const second[] = {"din", "islam", "haq", "haqq", "allah", "nabi", "rasul", "rahman"};
    if (xn == 3 && memcmp(x, "abd", 3) == 0) return true;
    for (size_t k = 0; k < sizeof second / sizeof second[0]; k++)
        if (strlen(second[k]) == yn && memcmp(second[k], y, yn) == 0) return true;
    return false;
}

/* "X al Y" of the vowelled form written as one word, the way compound
 * names are mostly spelled in English: before a sun letter the article's
 * l becomes that letter ("salah al din" → "salahuddin", "abd al rahman" →
 * "abdurrahman"), before the others it stays ("abd al karim" →
 * "abdulkarim"). Only compound names (compound_name), and not after a
 * particle (bin, abu, ...). Added only when something was joined. */
static void add_arabic_joined(forms_builder *b, const char *vowelled)
{
    const char *w[CTW_TEXT_MAX_TOKENS * 2];
    size_t len[CTW_TEXT_MAX_TOKENS * 2], nw = 0;
    for (const char *p = vowelled; *p && nw < sizeof w / sizeof w[0];) {
        while (*p == ' ') p++;
        if (!*p) break;
        w[nw] = p;
        while (*p && *p != ' ') p++;
        len[nw] = (size_t)(p - w[nw]);
        nw++;
    }
    static const char *const particles[] = {"bin", "ibn", "bint", "abu", "umm", "al"};
    abuf a = { 0 };
    ab_put(&a, "");
    bool joined = false;
    for (size_t i = 0; i < nw; i++) {
        bool particle = false;
        for (size_t k = 0; k < sizeof particles / sizeof particles[0]; k++)
            particle |= strlen(particles[k]) == len[i] && memcmp(particles[k], w[i], len[i]) == 0;
        if (a.n) ab_putc(&a, ' ');
        char word[64];
        snprintf(word, sizeof word, "%.*s", (int)len[i], w[i]);
        ab_put(&a, word);
        if (!particle && len[i] >= 2 && i + 2 < nw && len[i + 1] == 2 && memcmp(w[i + 1], "al", 2) == 0 &&
            len[i + 2] >= 2 && compound_name(w[i], len[i], w[i + 2], len[i + 2])) {
            char next = w[i + 2][0];
            bool sun = strchr("tdrzsnl", next) != NULL;
            char link[3] = {'u', sun ? next : 'l', '\0'};
            ab_put(&a, link);
            snprintf(word, sizeof word, "%.*s", (int)len[i + 2], w[i + 2]);
            ab_put(&a, word);
            i += 2;
            joined = true;
        }
    }
    if (a.oom) b->rc = CTW_ENOMEM;
    else if (joined) add_form(b, a.s, a.n);
    free(a.s);
}

static void add_arabic(forms_builder *b, const UChar *f, int32_t n)
{
    abuf a = { 0 }, sk = { 0 };
    words_through(&a, f, n, ar_word);
    if (a.oom) { b->rc = CTW_ENOMEM; goto out; }
    add_form(b, a.s, a.n);
    /* Skeleton: the vowelled form without vowels, words kept apart; a word
     * of vowels only ("a") leaves nothing. */
    ab_put(&sk, "");
    for (size_t i = 0; i < a.n; i++) {
        char c = a.s[i];
        if (strchr("aeiou", c)) continue;
        ab_putc(&sk, c);
    }
    if (sk.oom) { b->rc = CTW_ENOMEM; goto out; }
    add_form(b, sk.s, sk.n);
    add_arabic_joined(b, a.s);
out:
    free(a.s);
    free(sk.s);
}

/* Pashto and Urdu write sounds Arabic lacks with letters of their own
 * (ګ ټ ډ ړ ښ څ ځ ڼ, ٹ ڈ ڑ ں ھ ے), which ICU's Arabic-Latin passes
 * through: "ګلبدین" came out "lbdyn", بھٹو "b w". For ICU's form they are
 * written as the Arabic or Persian letter nearest in sound; the vowelled
 * form (ar_table) reads them itself. In place. */
static void arabic_base_letters(UChar *u, int32_t n)
{
    static const UChar map[][2] = {
        {0x6AB, 0x6AF}, {0x67C, 0x62A}, {0x689, 0x62F}, {0x693, 0x631}, {0x696, 0x698}, {0x69A, 0x634},
        {0x685, 0x62B}, {0x681, 0x632}, {0x6BC, 0x646}, {0x6CD, 0x6CC}, {0x6D0, 0x6CC}, {0x679, 0x62A},
        {0x688, 0x62F}, {0x691, 0x631}, {0x6BA, 0x646}, {0x6BE, 0x647}, {0x6C1, 0x647}, {0x6D2, 0x6CC},
    };
    for (int32_t i = 0; i < n; i++)
        for (size_t k = 0; k < sizeof map / sizeof map[0]; k++)
            if (u[i] == map[k][0]) {
                u[i] = map[k][1];
                break;
            }
}

/* ---- North Indian scripts: the spoken form -------------------------------- */

/* ICU reads Devanagari, Bengali, Gurmukhi, Gujarati and Oriya letter by
 * letter (ISO 15919): every consonant keeps its inherent a, ś and ṣ are s,
 * and Gurmukhi's tippi (a nasal) is lost. Names are spelled as spoken,
 * where a word-final inherent a is silent and ś is sh: शेख "śēkha" is
 * Sheikh, ਸਿੰਘ "sigha" is Singh. This form writes the tippi as the bindi
 * ICU reads, drops the final short a of a word of three letters or more
 * after a single consonant (indic_cluster), and writes ś, ṣ as sh, c as
 * ch (ch as chh), the vowel r̥ as ri, before Latin-ASCII. */
static bool indic_spoken_script(const char *sc)
{
    return strcmp(sc, "Deva") == 0 || strcmp(sc, "Beng") == 0 || strcmp(sc, "Guru") == 0 ||
           strcmp(sc, "Gujr") == 0 || strcmp(sc, "Orya") == 0;
}

static bool latin_vowel(UChar c)
{
    return c < 0x80 ? strchr("aeiouAEIOU", (char)c) != NULL : true; /* ā ē ī ō ū ... */
}

/* Does the a at u[i] follow two consonants (a nasal apart), where Hindi
 * says it (Narendra, Krishna)? A consonant written with h (kh, gh, dh,
 * ...) is one. */
static bool indic_cluster(const UChar *u, int32_t start, int32_t i)
{
    int32_t j = i - 1; /* the consonant before the a */
    if (u[j] == 'h' && j - 1 >= start && !latin_vowel(u[j - 1]) && u[j - 1] != 'h') j--;
    if (j - 1 < start) return false;
    UChar p = u[j - 1];
    bool nasal = p == 'n' || p == 'm' || p == 0x1E45 || p == 0x1E41 || p == 0x1E43 || p == 0x00F1 || p == 0x1E47;
    return !latin_vowel(p) && !(nasal && j - 1 > start);
}

static void add_indic_spoken(forms_builder *b, const UChar *f, int32_t n)
{
    UTransliterator *any = tx_get(TX_ANY_LATIN), *ascii = tx_get(TX_LATIN_ASCII);
    if (!any || !ascii || b->rc != 0) return;
    UChar *src = malloc(((size_t)n + 1) * sizeof(UChar));
    if (!src) {
        b->rc = CTW_ENOMEM;
        return;
    }
    for (int32_t i = 0; i < n; i++) src[i] = f[i] == 0x0A70 ? 0x0A02 : f[i]; /* tippi → bindi */
    bool oom = false;
    int32_t len = 0;
    UChar *u = translit_words(TX_ANY_LATIN, any, src, n, &len, &oom);
    free(src);
    /* o: a letter of u gives at most two ("sh" of ś, "ch" of c) */
    UChar *o = u ? malloc(((size_t)len * 2 + 1) * sizeof(UChar)) : NULL;
    if (!o) {
        if (oom || u) b->rc = CTW_ENOMEM;
        free(u);
        return;
    }
    int32_t k = 0;
    for (int32_t i = 0; i < len; i++) {
        UChar c = u[i];
        bool word_end = i + 1 == len || u[i + 1] == ' ';
        int32_t start = i;
        while (start > 0 && u[start - 1] != ' ') start--;
        if (c == 'a' && word_end && i - start >= 2 && !latin_vowel(u[i - 1]) && !indic_cluster(u, start, i))
            continue; /* the silent a */
        if (c == 0x015B || c == 0x015A || c == 0x1E63 || c == 0x1E62) { /* ś Ś ṣ Ṣ */
            o[k++] = 's';
            o[k++] = 'h';
            continue;
        }
        if (c == 'c') { /* ISO's c is ch, its ch chh */
            o[k++] = 'c';
            o[k++] = 'h';
            if (i + 1 < len && u[i + 1] == 'h') {
                o[k++] = 'h';
                i++;
            }
            continue;
        }
        if (c == 'r' && i + 1 < len && u[i + 1] == 0x0325) { /* r̥, the vowel: ri (Krishna) */
            o[k++] = 'r';
            o[k++] = 'i';
            i++;
            continue;
        }
        o[k++] = c;
    }
    free(u);
    /* Latin-ASCII maps letter by letter, so word by word through the memo
     * is the same as whole (a repeated name then asks ICU nothing) */
    add_translit_memo(b, TX_LATIN_ASCII, o, k);
    free(o);
}

/* ---- Thai: the spoken form ------------------------------------------------ */

/* ICU's Thai-Latin transliterates letter by letter (ISO 11940) and cuts a
 * word where its dictionary sees two: ประยุทธ์ จันทร์โอชา comes out
 * "prayuthth canthr xocha" for Prayut Chan-o-cha. This form drops the
 * letter a thanthakhat (์) silences, keeps each word whole, reads อ (ISO
 * x), a silent vowel carrier, as nothing and จ (ISO c) as ch, as Thai
 * names are spelled in Latin letters. */
static void add_thai_spoken(forms_builder *b, const UChar *f, int32_t n)
{
    UTransliterator *t = tx_get(TX_GENERAL);
    if (!t || b->rc != 0) return;
    UChar *w = malloc(((size_t)n + 1) * sizeof(UChar));
    abuf a = { 0 }, word = { 0 };
    if (!w) { b->rc = CTW_ENOMEM; return; }
    ab_put(&a, "");
    for (int32_t i = 0; i < n && !a.oom && !word.oom;) {
        if (f[i] == ' ') { i++; continue; }
        int32_t len = 0;
        for (; i < n && f[i] != ' '; i++) {
            if (i + 1 < n && f[i + 1] == 0x0E4C) { i++; continue; } /* the silenced letter and ์ */
            w[len++] = f[i];
        }
        /* the word as TX_GENERAL reads it, tidied, through the word memo */
        word.n = 0;
        ab_put(&word, "");
        if (len == 0 || !translit_word(&word, TX_GENERAL, t, w, len) || word.oom) continue;
        if (a.n) ab_putc(&a, ' ');
        for (size_t k = 0; k < word.n; k++) {
            unsigned char c = (unsigned char)word.s[k];
            if (c == ' ' || c == 'x') continue;   /* ICU's cut inside the word; อ */
            if (c >= 0x80) { ab_putc(&a, ' '); continue; }   /* a letter left unread: a gap */
            ab_putc(&a, (char)c);
            if (c == 'c' && (k + 1 >= word.n || word.s[k + 1] != 'h')) ab_putc(&a, 'h');
        }
    }
    if (a.oom || word.oom) b->rc = CTW_ENOMEM;
    else add_form(b, a.s, a.n);
    free(a.s);
    free(word.s);
    free(w);
}

/* ---- Khmer and Lao: khmer_lao.c ------------------------------------------ */

/* Both systems' forms, the UNGEGN/BGN one first. A romanisation that
 * outgrows its buffer (it cannot: every code point gives at most four
 * letters) adds nothing rather than a cut name. */
static void add_khmer_lao(forms_builder *b, bool khmer, const UChar *f, int32_t n)
{
    size_t cap = (size_t)n * 6 + 16;
    char *s = malloc(cap);
    if (!s) {
        b->rc = CTW_ENOMEM;
        return;
    }
    for (int variant = 0; variant < 2; variant++) {
        long len = khmer ? ctw__romanise_khmer(f, n, variant, s, cap) : ctw__romanise_lao(f, n, variant, s, cap);
        if (len >= 0) add_form(b, s, (size_t)len);
    }
    free(s);
}

/* ---- our own romanisers: myanmar.c, sinhala.c, kana.c ---------------------- */

typedef long (*own_romaniser)(const UChar *u, int32_t n, int variant, char *out, size_t cap);

/* Both forms of one of our romanisers, variant 0 first; per_unit is its
 * bound of output bytes per UTF-16 unit. */
static void add_own_forms(forms_builder *b, own_romaniser fn, int variants, size_t per_unit, const UChar *f,
                          int32_t n)
{
    size_t cap = (size_t)n * per_unit + 1;
    char *s = malloc(cap);
    if (!s) {
        b->rc = CTW_ENOMEM;
        return;
    }
    for (int variant = 0; variant < variants; variant++) {
        long len = fn(f, n, variant, s, cap);
        if (len >= 0) add_form(b, s, (size_t)len);
    }
    free(s);
}

/* ---- the entry point ------------------------------------------------------ */

static bool has_icao_latin(const char *in, size_t len)
{
    /* ä å æ ö ø ü ß þ ð (either case, precomposed) or a combining
     * diaeresis/ring: cheap byte test before any ICU work. */
    for (size_t i = 0; i + 1 < len; i++) {
        unsigned char c = (unsigned char)in[i], d = (unsigned char)in[i + 1];
        if (c == 0xC3 && strchr("\x84\x85\x86\x96\x98\x9C\x9E\x9F\xA4\xA5\xA6\xB6\xB8\xBC\xBE\xB0\x90", d)) return true;
        if (c == 0xC5 && (d == 0x92 || d == 0x93)) return true;
        if (c == 0xCC && (d == 0x88 || d == 0x8A)) return true;
    }
    return false;
}

int ctw_text_romanise(const char *in, size_t len, ctw_text_forms *out)
{
    memset(out, 0, sizeof *out);
    if (len > CTW_TEXT_MAX_INPUT) return CTW_ELIMIT;
    ctw_arena_init(&out->arena);
    forms_builder b = { .f = out };

    if (ctw_text_is_ascii(in, len)) {
        /* The fast path: no ICU, one form. */
        char *s = ctw_arena_alloc(&out->arena, len + 1);
        if (!s) { b.rc = CTW_ENOMEM; goto fail; }
        if (ctw__text_ascii_clean(in, len, s, len + 1) < 0) s[0] = '\0';
        out->form[0] = s;
        out->n = 1;
        out->script = "Zyyy";
        for (const char *p = s; *p; p++)
            if (*p >= 'a' && *p <= 'z') { out->script = "Latn"; break; }
        return 0;
    }

    UChar *f = NULL;
    int32_t fn = 0;
    int rc = ctw__text_fold_u16(in, len, &f, &fn);
    if (rc != 0) { b.rc = rc; goto fail; }
    size_t n8 = 0;
    char *folded = u16_to_utf8(f, fn, &n8);
    if (!folded) { free(f); b.rc = CTW_ENOMEM; goto fail; }
    out->script = ctw_script_of(folded);
    /* kept for the caller that compares names as written (screen.c) */
    if (n8 < CTW_TEXT_MAX_INPUT) {
        char *keep = ctw_arena_alloc(&out->arena, n8 + 1);
        if (!keep) { free(folded); free(f); b.rc = CTW_ENOMEM; goto fail; }
        memcpy(keep, folded, n8 + 1);
        out->folded = keep;
    }

    UTransliterator *general = NULL;
    han_forms han = {0};
    bool is_hani = strcmp(out->script, "Hani") == 0;
    if (is_hani) han_romanise(f, fn, &han);
    if (ctw_text_is_ascii(folded, n8)) {
        add_form(&b, folded, n8);    /* folding left only ASCII ("Jürgen" → "jurgen") */
    } else if (is_hani && han.whole_ok && tx_get(TX_GENERAL) && all_han(f, fn)) {
        add_form(&b, han.whole.s, han.whole.n); /* what Any-Latin gives, see han_romanise */
    } else if (strcmp(out->script, "Arab") == 0 && uyghur_letters(f, fn)) {
        add_uyghur(&b, f, fn); /* ICU passes its vowel letters through */
    } else if (strcmp(out->script, "Khmr") == 0 || strcmp(out->script, "Laoo") == 0) {
        add_khmer_lao(&b, strcmp(out->script, "Khmr") == 0, f, fn); /* ICU has no rules for them */
    } else if (strcmp(out->script, "Mymr") == 0) {
        /* ICU's rules spell every sign, not the name */
        add_own_forms(&b, ctw__romanise_myanmar, 2, CTW__MYANMAR_OUT_PER_UNIT, f, fn);
    } else if (strcmp(out->script, "Sinh") == 0) {
        add_own_forms(&b, ctw__romanise_sinhala, 2, CTW__SINHALA_OUT_PER_UNIT, f, fn); /* ICU has no rules */
    } else {
        general = tx_get(TX_GENERAL);
        if (general && strcmp(out->script, "Arab") == 0) {
            UChar *base = malloc(((size_t)fn + 1) * sizeof(UChar));
            if (!base) { b.rc = CTW_ENOMEM; general = NULL; }
            else {
                memcpy(base, f, ((size_t)fn + 1) * sizeof(UChar));
                arabic_base_letters(base, fn);
                add_translit_memo(&b, TX_GENERAL, base, fn);
                free(base);
            }
        } else if (general) {
            add_translit_memo(&b, TX_GENERAL, f, fn);
        } else {
            add_form(&b, folded, n8);   /* without ICU's data: what ASCII there is */
        }
    }
    if (b.rc == 0 && out->n == 0) add_form(&b, "", 0);

    const char *sc = out->script;
    if (strcmp(sc, "Latn") == 0) {
        if (has_icao_latin(in, len)) add_icao_latin(&b, in, len);
    } else if (strcmp(sc, "Cyrl") == 0) {
        add_translit_memo(&b, TX_BGN, f, fn);
        add_icao_cyrillic(&b, f, fn);
    } else if (strcmp(sc, "Grek") == 0) {
        add_translit_memo(&b, TX_GREEK_UN, f, fn);
    } else if (is_hani) {
        add_han_joined(&b, &han);
        add_hanja_korean(&b, f, fn);
        add_han_loanword(&b, f, fn);
    } else if (strcmp(sc, "Arab") == 0) {
        add_arabic(&b, f, fn);
    } else if (strcmp(sc, "Hang") == 0) {
        add_korean(&b, f, fn);
        add_mr_variants(&b, 0);
        add_korean_loanword(&b, f, fn);
    } else if (strcmp(sc, "Hebr") == 0) {
        add_hebrew(&b);
        add_hebrew_vowelled(&b, f, fn);
    } else if (strcmp(sc, "Thai") == 0) {
        add_thai_spoken(&b, f, fn);
    } else if (indic_spoken_script(sc)) {
        add_indic_spoken(&b, f, fn);
    } else if (strcmp(sc, "Kana") == 0) {
        add_own_forms(&b, ctw__romanise_kana_loanword, 3, CTW__KANA_OUT_PER_UNIT, f, fn);
    } else if (strcmp(sc, "Ethi") == 0) {
        /* SERA writes ä as e and leaves the sixth-order vowel out, as the
         * spellings of Amharic and Tigrinya names mostly do ("Meles",
         * Any-Latin "malas"); whole, its word-by-word reading unchecked */
        add_translit(&b, tx_get(TX_ETHI_SERA), f, fn);
    }
    han_forms_free(&han);
    free(folded);
    free(f);
    if (b.rc != 0) goto fail;
    return 0;
fail:
    ctw_arena_free(&out->arena);
    memset(out, 0, sizeof *out);
    return b.rc;
}

void ctw_text_forms_free(ctw_text_forms *f)
{
    if (!f) return;
    ctw_arena_free(&f->arena);
    memset(f, 0, sizeof *f);
}
