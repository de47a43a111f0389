/* index.c — building the screening index (layout in match_int.h).
 *
 * The builder romanises and tokenises every name of every record once,
 * interns the tokens in a dictionary, and at the end computes what depends
 * on the whole list: token rarity (document frequency over records),
 * postings (token → names) and the fuzzy keys (key → tokens).
 */
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/country.h"
#include "ctwatch/notice.h"
#include "match/match_int.h"

#define GROW(ptr, n, cap, min)                                                       \
    ((n) < (cap) ? 0                                                                 \
                 : grow_array((void **)&(ptr), &(cap), sizeof *(ptr), (min)))

static int grow_array(void **p, uint32_t *cap, size_t elem, uint32_t min)
{
    uint64_t ncap = *cap ? (uint64_t)*cap * 2 : min;
    if (ncap > UINT32_MAX / 2 || ncap * elem > SIZE_MAX / 2) return CTW_ELIMIT;
    void *np = realloc(*p, (size_t)ncap * elem);
    if (!np) return CTW_ENOMEM;
    *p = np;
    *cap = (uint32_t)ncap;
    return 0;
}

struct ctw_match_builder {
    ctw_match_index *ix;
    uint32_t cap_recs, cap_names, cap_forms, cap_form_tok, cap_dates, cap_nats, cap_docs, cap_dict;
    int rc;                /* first error; the builder refuses more after it */
};

/* ---- hashing ------------------------------------------------------------ */

static uint64_t fnv1a(uint64_t h, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t ctw__match_key(char tag, const char *text, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    h = fnv1a(h, &tag, 1);
    return fnv1a(h, text, len);
}

uint32_t ctw__match_dict_find(const ctw_match_index *ix, const char *text, size_t len)
{
    if (!ix->dict_slots) return UINT32_MAX;
    uint32_t i = (uint32_t)ctw__match_key('t', text, len) & ix->dict_mask;
    for (;;) {
        uint32_t v = ix->dict_slots[i];
        if (v == 0) return UINT32_MAX;
        const ctw__tok *t = &ix->dict[v - 1];
        if (t->len == len && memcmp(t->text, text, len) == 0) return v - 1;
        i = (i + 1) & ix->dict_mask;
    }
}

static int dict_rehash(ctw_match_index *ix, uint32_t nslots)
{
    uint32_t *slots = calloc(nslots, sizeof *slots);
    if (!slots) return CTW_ENOMEM;
    for (uint32_t t = 0; t < ix->ndict; t++) {
        uint32_t i = (uint32_t)ctw__match_key('t', ix->dict[t].text, ix->dict[t].len) & (nslots - 1);
        while (slots[i]) i = (i + 1) & (nslots - 1);
        slots[i] = t + 1;
    }
    free(ix->dict_slots);
    ix->dict_slots = slots;
    ix->dict_mask = nslots - 1;
    return 0;
}

/* Intern a token; returns its id or UINT32_MAX on failure (b->rc set). */
static uint32_t dict_intern(ctw_match_builder *b, const char *text, uint8_t particle)
{
    ctw_match_index *ix = b->ix;
    size_t len = strlen(text);
    uint32_t id = ctw__match_dict_find(ix, text, len);
    if (id != UINT32_MAX) return id;
    if ((uint64_t)(ix->ndict + 1) * 2 > (uint64_t)ix->dict_mask + 1 || !ix->dict_slots) {
        uint32_t nslots = ix->dict_slots ? (ix->dict_mask + 1) * 2 : 1024;
        if ((b->rc = dict_rehash(ix, nslots)) != 0) return UINT32_MAX;
    }
    if ((b->rc = GROW(ix->dict, ix->ndict, b->cap_dict, 256)) != 0) return UINT32_MAX;
    ctw__tok *t = &ix->dict[ix->ndict];
    memset(t, 0, sizeof *t);
    t->text = ctw_arena_strndup(&ix->arena, text, len);
    if (!t->text) {
        b->rc = CTW_ENOMEM;
        return UINT32_MAX;
    }
    t->len = (uint32_t)len;
    t->first = t->text[0];
    t->particle = particle;
    t->nasab = particle && ctw__match_nasab_word(t->text);
    t->group = (int16_t)ctw__match_name_group(text);
    t->patronymic = ctw__match_patronymic(text, len);
    t->vowelless = ctw__match_vowelless(text, len);
    t->numeric = ctw__match_numeric(t->text, len);
    t->place = ctw__match_place(t->text, len);
    ctw_double_metaphone(text, CTW__DM_LEN, t->dm1, t->dm2);
    uint32_t i = (uint32_t)ctw__match_key('t', text, len) & ix->dict_mask;
    while (ix->dict_slots[i]) i = (i + 1) & ix->dict_mask;
    ix->dict_slots[i] = ix->ndict + 1;
    return ix->ndict++;
}

/* ---- organisation fillers ---------------------------------------------- */

static const char *const org_fillers[] = {
    /* legal forms, short and spelled out, in the languages lists use */
    "ltd", "limited", "llc", "inc", "incorporated", "co", "company", "corp", "corporation", "gmbh", "ag",
    "aktiengesellschaft", "gesellschaft", "mit", "beschrankter", "haftung", "kg", "sa", "sarl", "sas", "srl",
    "spa", "bv", "nv", "plc", "jsc", "ojsc", "pjsc", "cjsc", "ooo", "zao", "oao", "pao", "ao", "joint", "stock",
    "open", "closed", "public", "private", "liability", "societatea", "raspundere", "limitata", "sp", "zoo", "spzoo",
    "obshchestvo", "ogranichennoy", "otvetstvennostyu", "aktsionernoe", "publichnoe", "zakrytoe", "otkrytoe",
    "lp", "llp", "pte", "pty", "bhd", "sdn", "kft", "doo", "ad", "as", "oy", "ab", "pt", "cv", "tbk", "fze",
    "fzco", "fzc", "est", "establishment", "mv", "m/v",
    /* fillers */
    "the", "of", "and", "for", "group", "holding", "holdings", "international", "intl", "trading",
    "enterprise", "enterprises", "general",
};


/* ---- name shapes ---------------------------------------------------------- */

const char *ctw__match_unsort(const char *name, ctw_arena *a)
{
    const char *comma = strchr(name, ',');
    if (!comma || strchr(comma + 1, ',')) return name;
    const char *after = comma + 1;
    while (*after == ' ') after++;
    if (!*after || comma == name) return name;
    return ctw_arena_printf(a, "%s %.*s", after, (int)(comma - name), name);
}

static const char *const nasab_words[] = {"bin", "ibn", "bint", "binti", "ben", "ould", "wuld", "bent"};

bool ctw__match_nasab_word(const char *tok)
{
    for (size_t i = 0; i < sizeof nasab_words / sizeof nasab_words[0]; i++)
        if (strcmp(tok, nasab_words[i]) == 0) return true;
    return false;
}

int ctw__match_unleet(const char *tok, char *out, size_t cap)
{
    static const char from[] = "01345789", to[] = "oieastbg";
    size_t n = strlen(tok), letters = 0, digits = 0;
    if (n + 1 > cap || n < 3) return 0;
    for (size_t i = 0; i < n; i++) {
        if (tok[i] >= '0' && tok[i] <= '9') digits++;
        else letters++;
    }
    /* only words that are mostly letters: "ig0r", not "brigade 44" or "a1" */
    if (digits == 0 || letters < 2 || digits * 2 > n) return 0;
    for (size_t i = 0; i < n; i++) {
        const char *d = strchr(from, tok[i]);
        out[i] = d && *d ? to[d - from] : tok[i];
    }
    out[n] = '\0';
    return 1;
}

/* Given names that are the same name in another language or its usual
 * short form. One group per line; a word may be in one group only. */
static const char *const name_groups[][12] = {
    {"john", "juan", "jean", "johann", "johannes", "giovanni", "joao", "ivan", "jan", "sean", "jon", "johnny"},
    {"william", "bill", "billy", "will", "willy", "guillermo", "guillaume", "wilhelm", "willem"},
    {"robert", "bob", "bobby", "rob", "roberto", "robbie"},
    {"richard", "rick", "dick", "ricardo", "riccardo", "rich"},
    {"james", "jim", "jimmy", "jaime", "diego", "iago", "jacques"},
    {"michael", "mike", "miguel", "michel", "mikhail", "michele", "mikael", "mick"},
    {"joseph", "joe", "jose", "giuseppe", "josef", "yusuf", "youssef", "yosef", "josep"},
    {"peter", "pete", "pedro", "pierre", "pietro", "pyotr", "petr", "piotr"},
    {"paul", "pablo", "pavel", "paolo", "paulo", "pawel"},
    {"alexander", "alex", "alejandro", "aleksandr", "alexandre", "alessandro", "sasha", "iskander", "sandro"},
    {"anthony", "tony", "antonio", "anton", "antoine", "antony"},
    {"theodore", "ted", "teddy", "theo", "fyodor", "feodor", "teodoro"},
    {"edward", "ed", "eddie", "eduardo", "edouard", "eduard"},
    {"benjamin", "ben", "benny", "bibi", "binyamin", "beniamino"},
    {"thomas", "tom", "tommy", "tomas", "tommaso", "foma"},
    {"charles", "charlie", "chuck", "carlos", "carl", "karl", "carlo", "karel"},
    {"henry", "harry", "hank", "enrique", "henri", "heinrich", "enrico"},
    {"george", "jorge", "georg", "giorgio", "georgiy", "yuri", "jurgen"},
    {"stephen", "steven", "steve", "esteban", "stefan", "stepan", "stefano", "etienne"},
    {"nicholas", "nick", "nicolas", "nikolai", "nikolay", "niccolo", "klaus", "nikola"},
    {"daniel", "dan", "danny", "daniil", "danilo"},
    {"david", "dave", "davide", "davud", "dawud", "daoud", "dawood"},
    {"samuel", "sam", "sami", "samuele"},
    {"elizabeth", "liz", "beth", "betty", "isabel", "elisabeth", "isabella", "elisabetta", "yelizaveta"},
    {"catherine", "kate", "katherine", "katharina", "caterina", "catalina", "ekaterina", "yekaterina", "katya"},
    {"mary", "maria", "marie", "mariya", "maryam", "miriam", "mariam"},
    {"margaret", "maggie", "peggy", "margarita", "marguerite", "margherita"},
    {"andrew", "andy", "andres", "andrei", "andrey", "andre", "andreas", "andrea"},
    {"matthew", "matt", "mateo", "matteo", "matthias", "matvei"},
    {"abraham", "ibrahim", "avraham", "abe"},
    {"solomon", "suleiman", "sulayman", "shlomo"},
    {"jesus", "isa", "yeshua"},
    {"moses", "musa", "moshe", "moises"},
    {"jacob", "yakub", "yaqub", "yaakov", "jakob", "jakub", "iakov", "yakov"},
    {"joshua", "josh"},
    {"frederick", "fred", "freddy", "federico", "fritz"},
    {"vladimir", "volodymyr", "wladimir", "volodya"},
    {"sergey", "sergei", "serhiy", "sergio", "serge"},
};

/* Every word of name_groups and of org_fillers, sorted once for bsearch:
 * these lookups run for every word of every query. */
typedef struct word_entry {
    const char *word;
    int group;            /* name group, or -1 */
    bool filler;          /* an organisation filler */
} word_entry;

static word_entry *words;
static size_t nwords;
static pthread_once_t words_once = PTHREAD_ONCE_INIT;

static int cmp_word(const void *a, const void *b)
{
    return strcmp(((const word_entry *)a)->word, ((const word_entry *)b)->word);
}

static void words_build(void)
{
    size_t cap = sizeof name_groups / sizeof name_groups[0] * 12 + sizeof org_fillers / sizeof org_fillers[0];
    words = calloc(cap, sizeof *words);
    if (!words) return;
    for (size_t i = 0; i < sizeof org_fillers / sizeof org_fillers[0]; i++)
        words[nwords++] = (word_entry){org_fillers[i], -1, true};
    qsort(words, nwords, sizeof *words, cmp_word);
    size_t nf = nwords;
    for (size_t g = 0; g < sizeof name_groups / sizeof name_groups[0]; g++)
        for (size_t i = 0; i < 12 && name_groups[g][i]; i++) {
            word_entry key = {name_groups[g][i], 0, false};
            word_entry *f = bsearch(&key, words, nf, sizeof *words, cmp_word);
            if (f) f->group = (int)g;
            else words[nwords++] = (word_entry){name_groups[g][i], (int)g, false};
        }
    qsort(words, nwords, sizeof *words, cmp_word);
}

static const word_entry *word_find(const char *w)
{
    pthread_once(&words_once, words_build);
    if (!words) return NULL;
    word_entry key = {w, 0, false};
    return bsearch(&key, words, nwords, sizeof *words, cmp_word);
}

int ctw__match_name_group(const char *w)
{
    const word_entry *e = word_find(w);
    return e ? e->group : -1;
}

uint8_t ctw__match_numeric(const char *w, size_t n)
{
    if (n == 0) return 0;
    bool digits = true;
    for (size_t i = 0; i < n && digits; i++) digits = w[i] >= '0' && w[i] <= '9';
    if (digits) return CTW__NUM_DIGITS;
    if (n > 4) return 0;
    for (size_t i = 0; i < n; i++)
        if (w[i] != 'i' && w[i] != 'v' && w[i] != 'x') return 0;
    return CTW__NUM_ROMAN;
}

bool ctw__match_place(const char *w, size_t n)
{
    static const char *const regions[] = {"europe", "asia", "africa", "america", "americas", "pacific",
                                          "nordic", "scandinavia", "eurasia", "caribbean", "arabia", "emea"};
    /* not a code: "co", "sa", "ag" are legal forms; no country name is this long */
    if (n < 4 || n >= 24) return false;
    for (size_t i = 0; i < sizeof regions / sizeof regions[0]; i++)
        if (w[0] == regions[i][0] && strcmp(w, regions[i]) == 0) return true;
    return ctw_country_lookup(w) != NULL;
}

bool ctw__match_org_filler(const char *tok)
{
    const word_entry *e = word_find(tok);
    if (e && e->filler) return true;
    /* misspelt long legal forms ("aktiengeselschaft") are still legal forms */
    size_t n = strlen(tok);
    if (n < 9) return false;
    for (size_t i = 0; i < sizeof org_fillers / sizeof org_fillers[0]; i++)
        if (strlen(org_fillers[i]) >= 9 && ctw_jaro_winkler(tok, org_fillers[i], false) >= 0.93) return true;
    return false;
}

/* Russian-style patronymics (Vladimirovich, Petrovna) are often left out
 * of a name as people write it: missing, they cost little. */
bool ctw__match_patronymic(const char *t, size_t len)
{
    static const char *const ends[] = {"ovich", "evich", "ovych", "evych", "ovna", "evna", "ichna", "ivna", "yevich"};
    for (size_t i = 0; i < sizeof ends / sizeof ends[0]; i++) {
        size_t n = strlen(ends[i]);
        if (len > n + 2 && memcmp(t + len - n, ends[i], n) == 0) return true;
    }
    return false;
}

/* ---- numbers ---------------------------------------------------------------- */

/* Numbers in names are written as words or digits ("Brigade Forty-Four",
 * "Brigade 44", "1st International Bank", "First International Bank"):
 * both become digits. */
static const struct { const char *word; int value; } number_words[] = {
    {"zero", 0}, {"one", 1}, {"two", 2}, {"three", 3}, {"four", 4}, {"five", 5}, {"six", 6}, {"seven", 7},
    {"eight", 8}, {"nine", 9}, {"ten", 10}, {"eleven", 11}, {"twelve", 12}, {"thirteen", 13},
    {"fourteen", 14}, {"fifteen", 15}, {"sixteen", 16}, {"seventeen", 17}, {"eighteen", 18},
    {"nineteen", 19}, {"twenty", 20}, {"thirty", 30}, {"forty", 40}, {"fourty", 40}, {"fifty", 50},
    {"sixty", 60}, {"seventy", 70}, {"eighty", 80}, {"ninety", 90}, {"first", 1}, {"second", 2},
    {"third", 3}, {"fourth", 4}, {"fifth", 5}, {"sixth", 6}, {"seventh", 7}, {"eighth", 8}, {"ninth", 9},
    {"tenth", 10}, {"1st", 1}, {"2nd", 2}, {"3rd", 3}, {"4th", 4}, {"5th", 5}, {"6th", 6}, {"7th", 7},
    {"8th", 8}, {"9th", 9}, {"10th", 10},
};

static int number_value(const char *t)
{
    for (size_t i = 0; i < sizeof number_words / sizeof number_words[0]; i++)
        if (t[0] == number_words[i].word[0] && strcmp(t, number_words[i].word) == 0) return number_words[i].value;
    if (t[0] >= '0' && t[0] <= '9' && t[1] == '\0') return t[0] - '0';
    return -1;
}

/* Legal forms spelt out and short. */
static const char *const legal_forms[][2] = {
    {"limited", "ltd"}, {"incorporated", "inc"}, {"corporation", "corp"}, {"company", "co"},
    {"international", "intl"}, {"aktiengesellschaft", "ag"}, {"establishment", "est"},
    {"enterprises", "enterprise"}, {"holdings", "holding"},
};

/* Legal forms of several words, to the abbreviation lists also use: one
 * word then, on both sides ("OAO Gazprom" / "Open Joint Stock Company
 * Gazprom", "SRL PRO TRAFFIC" / "Societatea cu Raspundere Limitata PRO
 * TRAFFIC"). Longest first where one ends another. */
static const char *const legal_phrases[][6] = {
    {"ojsc", "open", "joint", "stock", "company", NULL},
    {"cjsc", "closed", "joint", "stock", "company", NULL},
    {"pjsc", "public", "joint", "stock", "company", NULL},
    {"jsc", "joint", "stock", "company", NULL},
    {"llc", "limited", "liability", "company", NULL},
    {"gmbh", "gesellschaft", "mit", "beschrankter", "haftung", NULL},
    {"srl", "societatea", "cu", "raspundere", "limitata", NULL},
    {"spzoo", "sp", "z", "o", "o", NULL},
    {"spzoo", "spolka", "z", "ograniczona", "odpowiedzialnoscia", NULL},
    {"ooo", "obshchestvo", "s", "ogranichennoy", "otvetstvennostyu", NULL},
    {"oao", "otkrytoe", "aktsionernoe", "obshchestvo", NULL},
    {"zao", "zakrytoe", "aktsionernoe", "obshchestvo", NULL},
    {"pao", "publichnoe", "aktsionernoe", "obshchestvo", NULL},
};

/* The number of tokens from toks[i] that spell a legal phrase, and its
 * short form in *abbr; 0 if none starts there. */
static size_t legal_phrase_at(const ctw_name_token *toks, size_t n, size_t i, const char **abbr)
{
    for (size_t k = 0; k < sizeof legal_phrases / sizeof legal_phrases[0]; k++) {
        size_t w = 0;
        while (legal_phrases[k][w + 1] && i + w < n && toks[i + w].text[0] == legal_phrases[k][w + 1][0] &&
               strcmp(toks[i + w].text, legal_phrases[k][w + 1]) == 0)
            w++;
        if (w >= 2 && !legal_phrases[k][w + 1]) {
            *abbr = legal_phrases[k][0];
            return w;
        }
    }
    return 0;
}

size_t ctw__match_canonical(ctw_name_token *toks, size_t n, ctw_arena *a)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        const char *abbr;
        size_t w = legal_phrase_at(toks, n, i, &abbr);
        if (w > 0) {
            toks[o] = toks[i];
            toks[o].text = abbr;
            toks[o].kind = CTW_TOKEN_NAME;
            o++;
            i += w - 1;
            continue;
        }
        for (size_t k = 0; k < sizeof legal_forms / sizeof legal_forms[0]; k++)
            if (toks[i].text[0] == legal_forms[k][0][0] && strcmp(toks[i].text, legal_forms[k][0]) == 0)
                toks[i].text = legal_forms[k][1];
        int v = number_value(toks[i].text);
        if (v < 0) {
            toks[o++] = toks[i];
            continue;
        }
        /* "forty four", "forty 4" → 44 */
        if (v >= 20 && v % 10 == 0 && i + 1 < n) {
            int u = number_value(toks[i + 1].text);
            if (u >= 1 && u <= 9) {
                v += u;
                i++;
            }
        }
        char *d = ctw_arena_printf(a, "%d", v);
        toks[o] = toks[i];
        if (d) toks[o].text = d;
        toks[o].kind = CTW_TOKEN_NAME;
        o++;
    }
    return o;
}

/* ---- documents ---------------------------------------------------------- */

void ctw__match_doc_norm(const char *in, char *out, size_t cap, bool ocr)
{
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)in; *p && o + 1 < cap; p++) {
        unsigned char c = *p;
        if (c >= 'a' && c <= 'z') c = (unsigned char)(c - 'a' + 'A');
        if (!((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))) continue;
        if (ocr) {
            switch (c) {
            case 'O': case 'Q': case 'D': c = '0'; break;
            case 'I': case 'L': c = '1'; break;
            case 'S': c = '5'; break;
            case 'B': c = '8'; break;
            case 'Z': c = '2'; break;
            case 'G': c = '6'; break;
            default: break;
            }
        }
        out[o++] = (char)c;
    }
    out[o] = '\0';
}

/* ---- records ------------------------------------------------------------ */

ctw_match_builder *ctw_match_builder_new(void)
{
    ctw_match_builder *b = calloc(1, sizeof *b);
    if (!b) return NULL;
    b->ix = calloc(1, sizeof *b->ix);
    if (!b->ix) {
        free(b);
        return NULL;
    }
    atomic_init(&b->ix->refs, 1);
    ctw_arena_init(&b->ix->arena);
    b->ix->feed_seq = CTW_MATCH_FEED_UNKNOWN;
    return b;
}

static const char *astr(ctw_match_builder *b, const char *s)
{
    if (!s) return NULL;
    const char *c = ctw_arena_strdup(&b->ix->arena, s);
    if (!c) b->rc = CTW_ENOMEM;
    return c;
}

static void add_date(ctw_match_builder *b, const ctw_date *d)
{
    ctw_match_index *ix = b->ix;
    int y = 0, m = 0, day = 0, y2 = 0;
    if (!d->from || sscanf(d->from, "%4d-%2d-%2d", &y, &m, &day) < 1) return;
    if (d->to) {
        if (sscanf(d->to, "%4d", &y2) != 1) y2 = y;
    } else {
        y2 = y;
    }
    if (y < 1000 || y > 3000 || y2 < y) return;
    if ((b->rc = GROW(ix->dates, ix->ndates, b->cap_dates, 64)) != 0) return;
    ctw__date *o = &ix->dates[ix->ndates++];
    o->y1 = (int16_t)y;
    o->y2 = (int16_t)y2;
    o->m = (int8_t)(d->precision == CTW_DATE_RANGE ? 0 : m);
    o->d = (int8_t)(d->precision == CTW_DATE_RANGE ? 0 : day);
    o->precision = (uint8_t)d->precision;
}

/* Append a token at the end of the current form. */
static int push_token(ctw_match_builder *b, uint32_t id, uint8_t flag)
{
    ctw_match_index *ix = b->ix;
    if (ix->nform_tok == b->cap_form_tok) {
        uint32_t cap = b->cap_form_tok;
        int rc = grow_array((void **)&ix->form_tok, &cap, sizeof *ix->form_tok, 1024);
        if (rc == 0) {
            uint8_t *nf = realloc(ix->form_flag, cap);
            if (!nf) return CTW_ENOMEM;
            ix->form_flag = nf;
            b->cap_form_tok = cap;
        } else {
            return rc;
        }
    }
    ix->form_tok[ix->nform_tok] = id;
    ix->form_flag[ix->nform_tok] = flag;
    ix->nform_tok++;
    return 0;
}

/* Add one form from tokens; `leet` substitutes letter-like digits. */
static void add_form(ctw_match_builder *b, const ctw_name_token *toks, size_t ntok, bool org, bool leet)
{
    ctw_match_index *ix = b->ix;
    if ((b->rc = GROW(ix->forms, ix->nforms, b->cap_forms, 256)) != 0) return;
    ctw__form *fo = &ix->forms[ix->nforms];
    fo->tok_off = ix->nform_tok;
    fo->ntok = 0;
    bool nasab = false;
    for (size_t t = 0; t < ntok && b->rc == 0; t++) {
        char alt[64];
        const char *text = toks[t].text;
        if (leet && ctw__match_unleet(text, alt, sizeof alt)) text = alt;
        uint8_t particle = toks[t].kind == CTW_TOKEN_PARTICLE || (org && ctw__match_org_filler(text));
        uint32_t id = dict_intern(b, text, particle);
        if (id == UINT32_MAX) return;
        uint8_t flag = nasab && toks[t].kind != CTW_TOKEN_PARTICLE ? CTW__TF_NASAB : 0;
        if ((b->rc = push_token(b, id, flag)) != 0) return;
        fo->ntok++;
        /* "bin al-Din": the article between keeps the father's name coming */
        if (toks[t].kind != CTW_TOKEN_PARTICLE) nasab = false;
        else if (ctw__match_nasab_word(toks[t].text)) nasab = true;
    }
    ix->nforms++;
}

/* Romanise and tokenise one name; append it with its forms. */
static void add_name(ctw_match_builder *b, uint32_t rec, const ctw_name *n, bool org)
{
    ctw_match_index *ix = b->ix;
    ctw_text_forms forms;
    if (!n->full) return;
    ctw_arena tmp;
    ctw_arena_init(&tmp);
    const char *text = ctw__match_unsort(n->full, &tmp);
    if (!text || ctw_text_romanise(text, strlen(text), &forms) != 0) { /* unusable name: skip */
        ctw_arena_free(&tmp);
        return;
    }
    uint32_t first_form = ix->nforms;
    for (size_t f = 0; f < forms.n && b->rc == 0 && ix->nforms - first_form < CTW_TEXT_MAX_FORMS; f++) {
        ctw_name_token *toks;
        size_t ntok;
        if (ctw_text_name_tokens(forms.form[f], &forms.arena, &toks, &ntok) != 0) {
            b->rc = CTW_ENOMEM;
            break;
        }
        ntok = ctw__match_canonical(toks, ntok, &forms.arena);
        if (ntok == 0) continue;
        add_form(b, toks, ntok, org, false);
        bool has_leet = false;
        char alt[64];
        for (size_t t = 0; t < ntok; t++) has_leet |= ctw__match_unleet(toks[t].text, alt, sizeof alt) != 0;
        if (has_leet && b->rc == 0 && ix->nforms - first_form < CTW_TEXT_MAX_FORMS) add_form(b, toks, ntok, org, true);
    }
    /* Written in another script: keep the folded original, so that two
     * names in that script are also compared as written. */
    const char *script = forms.script ? forms.script : "Zyyy";
    const char *native = NULL;
    if (strcmp(script, "Latn") != 0 && strcmp(script, "Zyyy") != 0) {
        char folded[CTW_TEXT_MAX_INPUT];
        size_t flen;
        if (forms.folded) { /* romanising folded it already */
            if (forms.folded[0]) native = ctw_arena_strdup(&ix->arena, forms.folded);
        } else if (ctw_text_fold(text, strlen(text), folded, sizeof folded, &flen) == 0 && flen > 0) {
            native = ctw_arena_strndup(&ix->arena, folded, flen);
        }
    }
    ctw_text_forms_free(&forms);
    ctw_arena_free(&tmp);
    if (b->rc != 0 || ix->nforms == first_form) return;
    if ((b->rc = GROW(ix->names, ix->nnames, b->cap_names, 256)) != 0) return;
    ctw__name *nm = &ix->names[ix->nnames++];
    nm->rec = rec;
    nm->form_off = first_form;
    nm->nforms = (uint8_t)(ix->nforms - first_form);
    nm->kind = (uint8_t)n->kind;
    nm->words = UINT8_MAX;
    for (uint32_t f = first_form; f < ix->nforms; f++)
        if (ix->forms[f].ntok < nm->words) nm->words = ix->forms[f].ntok;
    if (nm->words == 0) nm->words = 1;
    nm->text = astr(b, n->full);
    nm->native = native;
    nm->script = ctw_script_of(n->full);
}

int ctw_match_builder_add(ctw_match_builder *b, const ctw_record *r)
{
    if (!b) return CTW_EINVAL;
    if (b->rc != 0) return b->rc;
    ctw_match_index *ix = b->ix;
    if ((b->rc = GROW(ix->recs, ix->nrecs, b->cap_recs, 256)) != 0) return b->rc;
    uint32_t ri = ix->nrecs;
    ctw__rec *rec = &ix->recs[ri];
    memset(rec, 0, sizeof *rec);
    rec->id = astr(b, r->id ? r->id : r->source_id);
    rec->source = astr(b, r->source);
    rec->source_id = astr(b, r->source_id);
    rec->owner = astr(b, r->owner);
    rec->restriction.kind = r->restriction.kind;
    rec->restriction.list = astr(b, r->restriction.list);
    rec->kind = (uint8_t)r->kind;
    rec->gender = r->gender ? (r->gender[0] == 'm' || r->gender[0] == 'M'   ? 'm'
                               : r->gender[0] == 'f' || r->gender[0] == 'F' ? 'f'
                                                                            : 0)
                            : 0;
    rec->date_off = ix->ndates;
    for (size_t i = 0; i < r->birth_dates.n && b->rc == 0; i++) add_date(b, &r->birth_dates.v[i]);
    rec->ndates = (uint16_t)(ix->ndates - rec->date_off);
    rec->nat_off = ix->nnats;
    for (size_t i = 0; i < r->nationalities.n && b->rc == 0; i++) {
        const char *c = r->nationalities.v[i].country;
        if (!c || strlen(c) > 3) continue;
        if ((b->rc = GROW(ix->nats, ix->nnats, b->cap_nats, 64)) != 0) break;
        memset(ix->nats[ix->nnats], 0, 4);
        memcpy(ix->nats[ix->nnats], c, strlen(c));
        ix->nnats++;
    }
    rec->nnats = (uint16_t)(ix->nnats - rec->nat_off);
    rec->doc_off = ix->ndocs;
    for (size_t i = 0; i < r->identifiers.n && b->rc == 0; i++) {
        char norm[64];
        if (!r->identifiers.v[i].number) continue;
        ctw__match_doc_norm(r->identifiers.v[i].number, norm, sizeof norm, false);
        if (strlen(norm) < 4) continue; /* too short to tell anyone apart */
        if ((b->rc = GROW(ix->docs, ix->ndocs, b->cap_docs, 64)) != 0) break;
        ix->docs[ix->ndocs++] = astr(b, norm);
    }
    rec->ndocs = (uint16_t)(ix->ndocs - rec->doc_off);
    bool org = r->kind != CTW_KIND_PERSON;
    for (size_t i = 0; i < r->names.n && b->rc == 0; i++) add_name(b, ri, &r->names.v[i], org);
    if (b->rc == 0) ix->nrecs++;
    return b->rc;
}

/* ---- finishing: rarity, postings, keys ---------------------------------- */

typedef struct keypair {
    uint64_t hash;
    uint32_t tok;
} keypair;

static int cmp_keypair(const void *a, const void *b)
{
    const keypair *x = a, *y = b;
    if (x->hash != y->hash) return x->hash < y->hash ? -1 : 1;
    return x->tok < y->tok ? -1 : x->tok > y->tok;
}

static int push_key(keypair **kp, size_t *n, size_t *cap, uint64_t h, uint32_t tok)
{
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 4096;
        keypair *np = realloc(*kp, nc * sizeof *np);
        if (!np) return CTW_ENOMEM;
        *kp = np;
        *cap = nc;
    }
    (*kp)[(*n)++] = (keypair){h, tok};
    return 0;
}

#define PREFIX_LEN CTW__PREFIX_LEN
#define MAX_DELETE_LEN 24 /* tokens longer than this get deletion keys on their start only */

static int build_keys(ctw_match_index *ix)
{
    keypair *kp = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    char buf[MAX_DELETE_LEN + 1];
    for (uint32_t t = 0; t < ix->ndict && rc == 0; t++) {
        const ctw__tok *tk = &ix->dict[t];
        rc = push_key(&kp, &n, &cap, ctw__match_key('x', tk->text, tk->len), t);
        if (rc == 0 && tk->dm1[0]) rc = push_key(&kp, &n, &cap, ctw__match_key('m', tk->dm1, strlen(tk->dm1)), t);
        if (rc == 0 && tk->dm2[0] && strcmp(tk->dm1, tk->dm2) != 0)
            rc = push_key(&kp, &n, &cap, ctw__match_key('m', tk->dm2, strlen(tk->dm2)), t);
        int grp = tk->group;
        if (rc == 0 && grp >= 0) {
            char g[16];
            int gn = snprintf(g, sizeof g, "%d", grp);
            rc = push_key(&kp, &n, &cap, ctw__match_key('g', g, (size_t)gn), t);
        }
        /* the start of a long token, for names written joined ("siemensag") */
        if (rc == 0 && tk->len >= PREFIX_LEN) rc = push_key(&kp, &n, &cap, ctw__match_key('p', tk->text, PREFIX_LEN), t);
        /* one-character deletions, for tokens long enough to have typos */
        if (tk->len >= 4) {
            uint32_t len = tk->len > MAX_DELETE_LEN ? MAX_DELETE_LEN : tk->len;
            for (uint32_t i = 0; i < len && rc == 0; i++) {
                memcpy(buf, tk->text, i);
                memcpy(buf + i, tk->text + i + 1, len - i - 1);
                rc = push_key(&kp, &n, &cap, ctw__match_key('d', buf, len - 1), t);
            }
        }
    }
    if (rc != 0) {
        free(kp);
        return rc;
    }
    if (n > 0) qsort(kp, n, sizeof *kp, cmp_keypair);
    /* unique hashes, and the tokens of each */
    size_t nuniq = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || kp[i].hash != kp[i - 1].hash) nuniq++;
    ix->key_hash = malloc((nuniq ? nuniq : 1) * sizeof *ix->key_hash);
    ix->key_off = malloc((nuniq + 1) * sizeof *ix->key_off);
    ix->key_tok = malloc((n ? n : 1) * sizeof *ix->key_tok);
    if (!ix->key_hash || !ix->key_off || !ix->key_tok) {
        free(kp);
        return CTW_ENOMEM;
    }
    size_t k = 0, m = 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 0 || kp[i].hash != kp[i - 1].hash) {
            ix->key_hash[k] = kp[i].hash;
            ix->key_off[k] = (uint32_t)m;
            k++;
        } else if (kp[i].tok == kp[i - 1].tok) {
            continue; /* same token under the same key twice */
        }
        ix->key_tok[m++] = kp[i].tok;
    }
    ix->key_off[k] = (uint32_t)m;
    ix->nkeys = (uint32_t)k;
    /* the bucket directory: about four keys a bucket (the hashes are uniform) */
    uint32_t bits = 0;
    while (bits < 30 && ((size_t)1 << (bits + 2)) < k) bits++;
    ix->key_dir_bits = bits;
    ix->key_dir = malloc((((size_t)1 << bits) + 1) * sizeof *ix->key_dir);
    if (!ix->key_dir) {
        free(kp);
        return CTW_ENOMEM;
    }
    size_t i = 0;
    for (size_t b = 0; b <= ((size_t)1 << bits); b++) {
        while (i < k && (bits ? ix->key_hash[i] >> (64 - bits) : 0) < b) i++;
        ix->key_dir[b] = (uint32_t)i;
    }
    ix->bytes += (((size_t)1 << bits) + 1) * sizeof *ix->key_dir;
    ix->bytes += k * (sizeof *ix->key_hash + sizeof *ix->key_off) + m * sizeof *ix->key_tok;
    free(kp);
    return 0;
}

const uint32_t *ctw__match_key_tokens(const ctw_match_index *ix, uint64_t key, uint32_t *n)
{
    *n = 0;
    if (!ix->key_dir) return NULL;
    uint64_t b = ix->key_dir_bits ? key >> (64 - ix->key_dir_bits) : 0;
    for (uint32_t i = ix->key_dir[b], end = ix->key_dir[b + 1]; i < end; i++) {
        if (ix->key_hash[i] < key) continue;
        if (ix->key_hash[i] == key) {
            *n = ix->key_off[i + 1] - ix->key_off[i];
            return ix->key_tok + ix->key_off[i];
        }
        break;
    }
    return NULL;
}

static int build_postings(ctw_match_index *ix)
{
    uint32_t *count = calloc((size_t)ix->ndict + 1, sizeof *count);
    uint32_t *last_name = malloc(((size_t)ix->ndict + 1) * sizeof *last_name);
    uint32_t *last_rec = malloc(((size_t)ix->ndict + 1) * sizeof *last_rec);
    if (!count || !last_name || !last_rec) {
        free(count); free(last_name); free(last_rec);
        return CTW_ENOMEM;
    }
    memset(last_name, 0xff, ((size_t)ix->ndict + 1) * sizeof *last_name);
    memset(last_rec, 0xff, ((size_t)ix->ndict + 1) * sizeof *last_rec);
    /* pass 1: postings per token (a name once), document frequency per record */
    for (uint32_t n = 0; n < ix->nnames; n++) {
        const ctw__name *nm = &ix->names[n];
        for (uint32_t f = nm->form_off; f < nm->form_off + nm->nforms; f++)
            for (uint32_t i = 0; i < ix->forms[f].ntok; i++) {
                uint32_t t = ix->form_tok[ix->forms[f].tok_off + i];
                if (last_name[t] != n) {
                    last_name[t] = n;
                    count[t]++;
                }
                if (last_rec[t] != nm->rec) {
                    last_rec[t] = nm->rec;
                    ix->dict[t].df++;
                }
            }
    }
    ix->post_off = malloc(((size_t)ix->ndict + 1) * sizeof *ix->post_off);
    uint64_t total = 0;
    for (uint32_t t = 0; t < ix->ndict; t++) total += count[t];
    if (total > UINT32_MAX) {
        free(count); free(last_name); free(last_rec);
        return CTW_ELIMIT;
    }
    ix->post = malloc((total ? total : 1) * sizeof *ix->post);
    if (!ix->post_off || !ix->post) {
        free(count); free(last_name); free(last_rec);
        return CTW_ENOMEM;
    }
    uint32_t off = 0;
    for (uint32_t t = 0; t < ix->ndict; t++) {
        ix->post_off[t] = off;
        off += count[t];
        count[t] = ix->post_off[t]; /* now the fill cursor */
    }
    ix->post_off[ix->ndict] = off;
    memset(last_name, 0xff, ((size_t)ix->ndict + 1) * sizeof *last_name);
    for (uint32_t n = 0; n < ix->nnames; n++) {
        const ctw__name *nm = &ix->names[n];
        for (uint32_t f = nm->form_off; f < nm->form_off + nm->nforms; f++)
            for (uint32_t i = 0; i < ix->forms[f].ntok; i++) {
                uint32_t t = ix->form_tok[ix->forms[f].tok_off + i];
                if (last_name[t] == n) continue;
                last_name[t] = n;
                ix->post[count[t]++] = n;
            }
    }
    ix->bytes += ((size_t)ix->ndict + 1) * sizeof *ix->post_off + total * sizeof *ix->post;
    free(count);
    free(last_name);
    free(last_rec);

    /* Rarity: a token in few records tells more than "mohammed". The weight
     * rises with inverse document frequency and is kept in [0.2, 1]. */
    double nrecs = ix->nrecs ? ix->nrecs : 1;
    for (uint32_t t = 0; t < ix->ndict; t++) {
        double idf = log((nrecs + 1.0) / (ix->dict[t].df + 0.5));
        double w = 0.2 + 0.8 * idf / 7.0;
        if (w > 1.0) w = 1.0;
        if (w < 0.2) w = 0.2;
        ix->dict[t].weight = (float)w;
    }
    return 0;
}

static void index_free(ctw_match_index *ix)
{
    if (!ix) return;
    free(ix->recs);
    free(ix->names);
    free(ix->forms);
    free(ix->form_tok);
    free(ix->form_flag);
    free(ix->dates);
    free(ix->nats);
    free(ix->docs);
    free(ix->dict);
    free(ix->dict_slots);
    free(ix->post_off);
    free(ix->post);
    free(ix->key_hash);
    free(ix->key_off);
    free(ix->key_tok);
    free(ix->key_dir);
    free(ix->name_words);
    free(ix->name_outline);
    free(ix->notices);
    if (ix->memo) {
        for (uint32_t t = 0; t < ix->ndict; t++) free(atomic_load_explicit(&ix->memo[t], memory_order_relaxed));
        free(ix->memo);
    }
    _Atomic(ctw__unlisted_word *) *unlisted = atomic_load_explicit(&ix->unlisted, memory_order_relaxed);
    if (unlisted) {
        for (uint32_t i = 0; i < CTW__UNLISTED_SLOTS; i++) free(atomic_load_explicit(&unlisted[i], memory_order_relaxed));
        free(unlisted);
    }
    ctw_arena_free(&ix->arena);
    free(ix);
}

int ctw_match_builder_finish(ctw_match_builder *b, ctw_match_index **out)
{
    if (!b) return CTW_EINVAL;
    ctw_match_index *ix = b->ix;
    int rc = b->rc;
    free(b);
    if (rc == 0) rc = build_postings(ix);
    if (rc == 0) rc = build_keys(ix);
    if (rc == 0 && !(ix->memo = calloc((size_t)ix->ndict + 1, sizeof *ix->memo))) rc = CTW_ENOMEM;
    if (rc == 0 && !(ix->name_words = malloc((size_t)ix->nnames + 1))) rc = CTW_ENOMEM;
    for (uint32_t n = 0; rc == 0 && n < ix->nnames; n++) ix->name_words[n] = ix->names[n].words;
    if (rc == 0 && !(ix->name_outline = calloc((size_t)ix->nnames + 1, sizeof *ix->name_outline))) rc = CTW_ENOMEM;
    for (uint32_t n = 0; rc == 0 && n < ix->nnames; n++) {
        const ctw__name *nm = &ix->names[n];
        ctw__name_outline *o = &ix->name_outline[n];
        for (uint32_t f = nm->form_off; f < nm->form_off + nm->nforms; f++)
            for (uint32_t j = 0; j < ix->forms[f].ntok; j++) {
                const ctw__tok *t = &ix->dict[ix->form_tok[ix->forms[f].tok_off + j]];
                o->firsts |= CTW__FIRST_BIT(t->first);
                if (t->len >= 2 && t->len <= 6 && o->nacro <= CTW__OUTLINE_ACRO) {
                    uint16_t h = ctw__acro_hash(t->text, t->len);
                    uint8_t k = 0;
                    while (k < o->nacro && k < CTW__OUTLINE_ACRO && o->acro[k] != h) k++;
                    if (k == o->nacro) {   /* a new one: kept, or too many to keep */
                        if (k < CTW__OUTLINE_ACRO) o->acro[k] = h;
                        o->nacro++;
                    }
                }
                if (t->len > o->maxlen) o->maxlen = (uint8_t)(t->len > 255 ? 255 : t->len);
            }
    }
    if (rc != 0) {
        index_free(ix);
        return rc;
    }
    ix->bytes += ix->arena.total + (size_t)ix->nrecs * sizeof *ix->recs + (size_t)ix->nnames * sizeof *ix->names +
                 (size_t)ix->nforms * sizeof *ix->forms + (size_t)ix->nform_tok * (sizeof *ix->form_tok + 1) +
                 (size_t)ix->ndates * sizeof *ix->dates + (size_t)ix->nnats * 4 + (size_t)ix->ndocs * sizeof(char *) +
                 (size_t)ix->ndict * sizeof *ix->dict + ((size_t)ix->dict_mask + 1) * sizeof *ix->dict_slots +
                 ((size_t)ix->ndict + 1) * sizeof *ix->memo + (size_t)ix->nnames + 1 +
                 ((size_t)ix->nnames + 1) * sizeof *ix->name_outline;
    *out = ix;
    return 0;
}

/* ---- the memo of words the dictionary does not hold ---------------------- */

static uint32_t unlisted_slot(uint64_t hash, uint32_t probe)
{
    return ((uint32_t)(hash >> 32) + probe) & (CTW__UNLISTED_SLOTS - 1);
}

static const char *unlisted_text(const ctw__unlisted_word *w)
{
    return (const char *)(w->tok + 2 * (size_t)w->n);
}

const ctw__unlisted_word *ctw__match_unlisted_find(const ctw_match_index *ix, uint64_t hash, const char *text,
                                                   size_t len)
{
    _Atomic(ctw__unlisted_word *) *slots = atomic_load_explicit(&ix->unlisted, memory_order_acquire);
    if (!slots || len > CTW__UNLISTED_MAX_LEN) return NULL;
    for (uint32_t i = 0; i < CTW__UNLISTED_PROBES; i++) {
        const ctw__unlisted_word *w = atomic_load_explicit(&slots[unlisted_slot(hash, i)], memory_order_acquire);
        if (!w) return NULL; /* entries are never removed: the word would be here */
        if (w->hash == hash && w->len == len && memcmp(unlisted_text(w), text, len) == 0) return w;
    }
    return NULL;
}

void ctw__match_unlisted_add(const ctw_match_index *cix, uint64_t hash, const char *text, size_t len,
                             const uint32_t *tok, const float *sim, uint32_t n)
{
    ctw_match_index *ix = (ctw_match_index *)cix; /* its caches only */
    if (len > CTW__UNLISTED_MAX_LEN) return;
    /* a place is reserved before the entry is made, so the count never
     * passes the bound however many threads add at once */
    if (atomic_fetch_add_explicit(&ix->unlisted_words, 1, memory_order_relaxed) >= CTW__UNLISTED_MAX) {
        atomic_fetch_sub_explicit(&ix->unlisted_words, 1, memory_order_relaxed);
        return;
    }
    _Atomic(ctw__unlisted_word *) *slots = atomic_load_explicit(&ix->unlisted, memory_order_acquire);
    size_t table = 0;
    if (!slots) {
        _Atomic(ctw__unlisted_word *) *mine = calloc(CTW__UNLISTED_SLOTS, sizeof *mine);
        _Atomic(ctw__unlisted_word *) *expected = NULL;
        if (mine && atomic_compare_exchange_strong_explicit(&ix->unlisted, &expected, mine, memory_order_acq_rel,
                                                            memory_order_acquire)) {
            slots = mine;
            table = CTW__UNLISTED_SLOTS * sizeof *mine;
        } else {
            free(mine);
            slots = expected; /* another thread's, or NULL when calloc failed */
        }
    }
    size_t size = sizeof(ctw__unlisted_word) + 2 * (size_t)n * sizeof(uint32_t) + len;
    ctw__unlisted_word *w = slots ? malloc(size) : NULL;
    if (w) {
        w->hash = hash;
        w->len = (uint32_t)len;
        w->n = n;
        memcpy(w->tok, tok, n * sizeof *tok);
        memcpy(w->tok + n, sim, n * sizeof *sim);
        memcpy((char *)unlisted_text(w), text, len);
        for (uint32_t i = 0; i < CTW__UNLISTED_PROBES; i++) {
            ctw__unlisted_word *expected = NULL;
            if (atomic_compare_exchange_strong_explicit(&slots[unlisted_slot(hash, i)], &expected, w,
                                                        memory_order_release, memory_order_acquire)) {
                atomic_fetch_add_explicit(&ix->memo_bytes, size + table, memory_order_relaxed);
                return;
            }
            /* another thread put the same word (with the same matches) first */
            if (expected->hash == hash && expected->len == len && memcmp(unlisted_text(expected), text, len) == 0)
                break;
        }
        free(w); /* its run of slots is full, or the word is in already */
    }
    if (table) atomic_fetch_add_explicit(&ix->memo_bytes, table, memory_order_relaxed);
    atomic_fetch_sub_explicit(&ix->unlisted_words, 1, memory_order_relaxed);
}

void ctw_match_index_retain(ctw_match_index *ix)
{
    if (ix) atomic_fetch_add(&ix->refs, 1);
}

void ctw_match_index_release(ctw_match_index *ix)
{
    if (ix && atomic_fetch_sub(&ix->refs, 1) == 1) index_free(ix);
}

void ctw_match_index_stats_get(const ctw_match_index *ix, ctw_match_index_stats *st)
{
    st->records = ix->nrecs;
    st->names = ix->nnames;
    st->tokens = ix->ndict;
    st->keys = ix->nkeys;
    st->bytes = ix->bytes;
    st->memo_bytes = atomic_load_explicit(&((ctw_match_index *)ix)->memo_bytes, memory_order_relaxed);
    st->memo_unlisted_words = atomic_load_explicit(&((ctw_match_index *)ix)->unlisted_words, memory_order_relaxed);
    st->notices = ix->nnotices;
    st->notice_bytes = ix->notice_bytes;
}

/* ---- from the store ----------------------------------------------------- */

static int add_cb(void *ud, const ctw_record *r)
{
    return ctw_match_builder_add(ud, r);
}

/* The notices' side of a build at a feed position: rows come grouped by
 * record (ORDER BY record_id) and strongest first within one. */
typedef struct notice_load {
    ctw_match_index *ix;
    uint32_t cap, rec;         /* rec: the record of the last row, or UINT32_MAX */
    const char *words[32];     /* kinds and actions, interned: a dozen distinct */
    size_t nwords;
    bool stray;                /* rows of one record not together: keep none */
} notice_load;

static const char *notice_word(notice_load *l, const char *w)
{
    for (size_t i = 0; i < l->nwords; i++)
        if (strcmp(l->words[i], w) == 0) return l->words[i];
    const char *c = ctw_arena_strdup(&l->ix->arena, w);
    if (c && l->nwords < sizeof l->words / sizeof l->words[0]) l->words[l->nwords++] = c;
    return c;
}

static uint32_t rec_find(const ctw_match_index *ix, const char *id)
{
    uint32_t lo = 0, hi = ix->nrecs;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->recs[mid].id, id);
        if (c == 0) return mid;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return UINT32_MAX;
}

static int notice_cb(void *ud, const ctw_notice *n)
{
    notice_load *l = ud;
    ctw_match_index *ix = l->ix;
    uint32_t r = l->rec != UINT32_MAX && strcmp(ix->recs[l->rec].id, n->record) == 0 ? l->rec
                                                                                      : rec_find(ix, n->record);
    if (r == UINT32_MAX) return 0; /* every notice of the record has expired: not screened */
    ctw__rec *rec = &ix->recs[r];
    if (r != l->rec) {
        if (rec->nnotices) l->stray = true;
        rec->notice_off = ix->nnotices;
        rec->nnotices = 0;
        l->rec = r;
    }
    int rc = GROW(ix->notices, ix->nnotices, l->cap, 256);
    if (rc != 0) return rc;
    ctw_match_notice *m = &ix->notices[ix->nnotices];
    m->seq = n->seq;
    m->kind = notice_word(l, n->kind);
    m->action = notice_word(l, n->action);
    m->valid_until = n->valid_until ? ctw_arena_strdup(&ix->arena, n->valid_until) : NULL;
    if (!m->kind || !m->action || (n->valid_until && !m->valid_until)) return CTW_ENOMEM;
    ix->nnotices++;
    rec->nnotices++;
    return 0;
}

/* Keep every indexed record's published notices; ix->feed_seq stays
 * unknown (answers from the store) unless all of them are in. */
static int load_notices(ctw_store *s, ctw_match_index *ix, int64_t feed_seq)
{
    for (uint32_t r = 1; r < ix->nrecs; r++)
        if (strcmp(ix->recs[r - 1].id, ix->recs[r].id) >= 0) return 0; /* not in id order: no lookup */
    notice_load l = {.ix = ix, .rec = UINT32_MAX};
    size_t arena_before = ix->arena.total;
    int rc = GROW(ix->notices, ix->nnotices, l.cap, 256);  /* never NULL once kept */
    if (rc == 0) rc = ctw_notice_iterate_published(s, notice_cb, &l);
    if (rc != 0 || l.stray) {
        free(ix->notices);
        ix->notices = NULL;
        ix->nnotices = 0;
        for (uint32_t r = 0; r < ix->nrecs; r++) ix->recs[r].nnotices = 0;
        return rc;
    }
    if (ix->nnotices > 0 && ix->nnotices < l.cap) { /* give back what doubling left over */
        ctw_match_notice *fit = realloc(ix->notices, (size_t)ix->nnotices * sizeof *ix->notices);
        if (fit) {
            ix->notices = fit;
            l.cap = ix->nnotices;
        }
    }
    ix->notice_bytes = (size_t)l.cap * sizeof *ix->notices + (ix->arena.total - arena_before);
    ix->bytes += ix->notice_bytes;
    ix->feed_seq = feed_seq;
    return 0;
}

int64_t ctw_match_index_feed_seq(const ctw_match_index *ix)
{
    return ix ? ix->feed_seq : CTW_MATCH_FEED_UNKNOWN;
}

const ctw_match_notice *ctw_match_index_notices(const ctw_match_index *ix, const char *record, size_t *n,
                                                const char **owner, const ctw_restriction **restriction)
{
    if (!ix || !record || ix->feed_seq == CTW_MATCH_FEED_UNKNOWN) return NULL;
    uint32_t r = rec_find(ix, record);
    if (r == UINT32_MAX) return NULL;
    const ctw__rec *rec = &ix->recs[r];
    *n = rec->nnotices;
    *owner = rec->owner;
    *restriction = &rec->restriction;
    return ix->notices + rec->notice_off;
}

/* ctw_notice_known_fn over ix (notice.h): the strongest of the record's
 * kept notices valid on day (they are kept strongest first; the strings
 * compare as the store's query does). */
static int known_notice(void *ud, const char *record, const char *day, ctw_notice_known *out)
{
    size_t n = 0;
    const ctw_restriction *rr = NULL;
    const ctw_match_notice *v = ctw_match_index_notices(ud, record, &n, &out->owner, &rr);
    if (!v) return CTW_NOTICE_ASK_STORE;
    for (size_t i = 0; i < n; i++)
        if (!v[i].valid_until || strcmp(v[i].valid_until, day) >= 0) {
            snprintf(out->id, sizeof out->id, "N-%lld", (long long)v[i].seq);
            out->kind = v[i].kind;
            out->action = v[i].action;
            out->restriction = *rr;
            return 0;
        }
    return CTW_ENOTFOUND;
}

int ctw_match_annotate_notices(const ctw_match_index *ix, ctw_store *s, const ctw_principal *p, json_t *hits)
{
    if (!s || !p || !json_is_array(hits)) return CTW_EINVAL;
    if (json_array_size(hits) == 0) return 0;
    /* ix's notices are the store's as long as the feed has not moved since
     * it was built: every change of a published notice, and of a record's
     * status, owner or restriction, writes the feed (schemas 2, 6, 8) */
    int64_t at = ctw_match_index_feed_seq(ix), now;
    bool current = at != CTW_MATCH_FEED_UNKNOWN && ctw_store_change_seq(s, &now) == 0 && now == at;
    return ctw_notice_annotate_hits(s, p, hits, current ? known_notice : NULL, (void *)ix);
}

int ctw_match_index_build(ctw_store *s, ctw_match_index **out, ctw_error *err)
{
    return ctw_match_index_build_at(s, CTW_MATCH_FEED_UNKNOWN, out, err);
}

int ctw_match_index_build_at(ctw_store *s, int64_t feed_seq, ctw_match_index **out, ctw_error *err)
{
    ctw_match_builder *b = ctw_match_builder_new();
    if (!b) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    int rc = ctw_store_iterate_screenable(s, "screening-index", add_cb, b);
    if (rc != 0) {
        ctw_match_index *ix = NULL;
        ctw_match_builder_finish(b, &ix); /* consumes the builder */
        ctw_match_index_release(ix);
        return ctw_error_set(err, rc, NULL, "cannot build the screening index: %s", ctw_strerror(rc));
    }
    ctw_match_index *ix = NULL;
    rc = ctw_match_builder_finish(b, &ix);
    if (rc == 0 && feed_seq != CTW_MATCH_FEED_UNKNOWN) rc = load_notices(s, ix, feed_seq);
    if (rc != 0) {
        ctw_match_index_release(ix);
        return ctw_error_set(err, rc, NULL, "cannot build the screening index: %s", ctw_strerror(rc));
    }
    *out = ix;
    return 0;
}
