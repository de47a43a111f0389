/* synth.c — a synthetic watchlist as FollowTheMoney JSON lines.
 *
 * What one person looks like on output (one line each, compact):
 *
 *   {"id":"synth-7-42","schema":"Person","properties":{
 *     "name":["Mohammed Abdullah al-Qahtani","محمد عبد الله القحطاني"],
 *     "alias":["Muhammad Abdallah Al Qahtani","Abu Hamza al-Jazrawi"],
 *     "weakAlias":["Sheikh Mohammed"],"firstName":["Mohammed"],
 *     "fatherName":["Abdullah"],"lastName":["al-Qahtani"],
 *     "birthDate":["1979-03-14"],"birthPlace":["Riyadh"],
 *     "nationality":["sa"],"gender":["male"],"topics":["crime.terror"]}}
 *   {"id":"synth-7-42-doc-1","schema":"Passport","properties":{"holder":["synth-7-42"],
 *     "number":["K1234567"],"country":["sa"]}}
 *   {"id":"synth-7-42-sanction-1","schema":"Sanction","properties":{"entity":["synth-7-42"],
 *     "program":["INTERPOL Red Notice"],"authority":["INTERPOL"],"listingDate":["2016-05-02"]}}
 *
 * Each person is generated from its own random stream, seeded from
 * (seed, index) alone, so any slice of the list can be produced without the
 * rest and the same arguments always give the same bytes. The stream is
 * splitmix64 (public-domain algorithm by Sebastiano Vigna): tiny, fast and
 * good enough for test data. Integer arithmetic only, so output does not
 * depend on the platform's floating point.
 *
 * Strings are built in fixed buffers sized far above what the tables can
 * produce; a person that would not fit is an internal error (CTW_ELIMIT),
 * never a silent truncation.
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/synth.h"
#include "synth/synth_int.h"

/* ---- random stream ---------------------------------------------------------- */

typedef struct rng {
    uint64_t s;
} rng;

static uint64_t rng_next(rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform in [0, n) for n < 2^32 (multiply-shift; the bias is far below
 * anything test data could show). */
static uint32_t below(rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static bool chance(rng *r, unsigned pct)
{
    return below(r, 100) < pct;
}

/* An index in [0, n) skewed towards 0: the product of `skew` uniforms. A
 * product of two gives the first of 60 names about 8 % of draws, of three
 * about 22 % — close to how one or two names dominate in real populations. */
static size_t pick_skewed(rng *r, size_t n, unsigned skew)
{
    uint64_t u = rng_next(r) >> 32;
    for (unsigned k = 1; k < skew; k++) u = (u * (rng_next(r) >> 32)) >> 32;
    return (size_t)((u * (uint64_t)n) >> 32);
}

/* The person's stream: the seed and index pass through the mixer separately
 * so that neighbouring seeds or indexes give unrelated streams. */
static void rng_person(rng *r, uint64_t seed, uint64_t index)
{
    rng a = {seed ^ 0x5DEECE66Dull};
    uint64_t hs = rng_next(&a);
    rng b = {index ^ hs};
    r->s = rng_next(&b) ^ (hs << 1);
}

/* ---- table entries ("Latin|variant=original~nick") ------------------------- */

static size_t span_latin(const char *e)
{
    return strcspn(e, "=~");
}

static size_t ent_nvar(const char *e)
{
    size_t n = 1, end = span_latin(e);
    for (size_t i = 0; i < end; i++) n += e[i] == '|';
    return n;
}

/* Latin spelling k (clamped to the last one). */
static const char *ent_var(const char *e, size_t k, size_t *len)
{
    size_t end = span_latin(e), start = 0;
    for (size_t i = 0; i < end && k; i++)
        if (e[i] == '|') {
            start = i + 1;
            k--;
        }
    size_t l = 0;
    while (start + l < end && e[start + l] != '|') l++;
    *len = l;
    return e + start;
}

static const char *ent_field(const char *e, char mark, size_t *len)
{
    const char *p = strchr(e, mark);
    if (!p) return NULL;
    p++;
    *len = strcspn(p, "=~");
    return p;
}

/* A '|' list: item k, and the count. */
static size_t list_count(const char *s)
{
    size_t n = 1;
    for (; *s; s++) n += *s == '|';
    return n;
}

static const char *list_item(const char *s, size_t k, size_t *len)
{
    for (; k && *s; s++)
        if (*s == '|') k--;
    *len = strcspn(s, "|");
    return s;
}

static const char *list_pick(rng *r, const char *s, size_t *len)
{
    return list_item(s, below(r, (uint32_t)list_count(s)), len);
}

/* A weighted "code:weight code:weight" list: the chosen code. */
static const char *weighted_pick(rng *r, const char *s, size_t *len)
{
    unsigned total = 0;
    for (const char *p = s; (p = strchr(p, ':')); p++) total += (unsigned)strtoul(p + 1, NULL, 10);
    unsigned x = below(r, total ? total : 1);
    const char *p = s;
    for (;;) {
        const char *colon = strchr(p, ':');
        if (!colon) break;
        unsigned w = (unsigned)strtoul(colon + 1, NULL, 10);
        if (x < w) {
            *len = (size_t)(colon - p);
            return p;
        }
        x -= w;
        const char *sp = strchr(colon, ' ');
        if (!sp) break;
        p = sp + 1;
    }
    *len = strcspn(s, ":");
    return s;
}

/* ---- string building ------------------------------------------------------ */

typedef struct sb {
    char *p;
    size_t n, cap;
    bool full;
} sb;

static void sb_put(sb *b, const char *s, size_t n)
{
    if (b->full || n >= b->cap - b->n) {
        b->full = true;
        return;
    }
    memcpy(b->p + b->n, s, n);
    b->n += n;
    b->p[b->n] = '\0';
}

static void sb_str(sb *b, const char *s)
{
    sb_put(b, s, strlen(s));
}

/* JSON string body: quote, backslash and control bytes escaped; UTF-8
 * passes through (JSON allows it raw). */
static void sb_json(sb *b, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    sb_put(b, "\"", 1);
    for (const char *run = s;; s++) {
        unsigned char c = (unsigned char)*s;
        if (c && c != '"' && c != '\\' && c >= 0x20) continue;
        sb_put(b, run, (size_t)(s - run));
        if (!c) break;
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            sb_put(b, esc, 2);
        } else {
            char esc[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
            sb_put(b, esc, 6);
        }
        run = s + 1;
    }
    sb_put(b, "\"", 1);
}

/* ---- the person being built ----------------------------------------------- */

#define MAXV 12

typedef struct vlist {
    const char *v[MAXV];
    size_t n;
} vlist;

enum prop {
    PR_NAME, PR_ALIAS, PR_WEAK, PR_FIRST, PR_MIDDLE, PR_FATHER, PR_LAST,
    PR_BIRTH, PR_PLACE, PR_NAT, PR_GENDER, PR_TOPICS, PR_COUNT
};

static const char *const prop_key[PR_COUNT] = {
    "name", "alias", "weakAlias", "firstName", "middleName", "fatherName", "lastName",
    "birthDate", "birthPlace", "nationality", "gender", "topics",
};

enum role { R_GIVEN, R_MIDDLE, R_FATHER, R_GRAND, R_FAMILY, R_LINK };
enum sfx { SFX_NONE, SFX_PATR_M, SFX_PATR_F, SFX_FEM };

typedef struct part {
    const char *e;    /* table entry, or the literal for R_LINK */
    const char *orig; /* R_LINK: original-script form */
    size_t var;       /* the Latin spelling used on the primary name */
    enum role role;
    enum sfx sfx;
} part;

#define MAXPARTS 7

typedef struct person {
    rng r;
    const ctw__synth_culture *c;
    bool female;
    part parts[MAXPARTS];
    size_t np;
    const ctw__synth_country *nat[2];
    size_t nnat;
    vlist prop[PR_COUNT];
    char pool[8192];
    size_t used;
    bool overflow;
} person;

/* Copy into the person's pool; NULL (and overflow set) if it is full. */
static const char *keep(person *p, const char *s, size_t n)
{
    if (n + 1 > sizeof p->pool - p->used) {
        p->overflow = true;
        return NULL;
    }
    char *d = p->pool + p->used;
    memcpy(d, s, n);
    d[n] = '\0';
    p->used += n + 1;
    return d;
}

static bool vl_has(const vlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0) return true;
    return false;
}

/* Add s (already kept) unless it is empty, a duplicate here or, for the
 * name properties, already a name or alias (an alias equal to the name
 * says nothing). */
static void add(person *p, enum prop k, const char *s)
{
    if (!s || !*s) return;
    vlist *l = &p->prop[k];
    if (vl_has(l, s) || l->n == MAXV) return;
    if ((k == PR_ALIAS || k == PR_WEAK) && vl_has(&p->prop[PR_NAME], s)) return;
    if (k == PR_WEAK && vl_has(&p->prop[PR_ALIAS], s)) return;
    l->v[l->n++] = s;
}

static void add_n(person *p, enum prop k, const char *s, size_t n)
{
    add(p, k, keep(p, s, n));
}

static void add_sb(person *p, enum prop k, const sb *b)
{
    if (b->full) {
        p->overflow = true;
        return;
    }
    if (b->n) add_n(p, k, b->p, b->n);
}

/* ---- rendering names ------------------------------------------------------ */

/* Which letters ends a Cyrillic string: the patronymic rules key on it. */
static bool ends_with(const char *s, size_t n, const char *tail)
{
    size_t t = strlen(tail);
    return n >= t && memcmp(s + n - t, tail, t) == 0;
}

/* Russian-style patronymic from the father's name: the Cyrillic ending
 * decides (Сергей -> Сергеевич / Sergeyevich, Игорь -> Игоревич / Igorevich,
 * Дмитрий -> Дмитриевич / Dmitriyevich, Муса -> Мусаевич / Musayevich,
 * Магомед -> Магомедович / Magomedovich). */
static void put_patronymic(sb *b, const char *e, size_t var, bool orig, bool fem)
{
    size_t on = 0, ln;
    const char *o = ent_field(e, '=', &on);
    const char *l = ent_var(e, var, &ln);
    enum { P_OV, P_EV_SOFT, P_IY, P_Y, P_VOWEL } kind = P_OV;
    if (o) {
        if (ends_with(o, on, "ий")) kind = P_IY;
        else if (ends_with(o, on, "й")) kind = P_Y;
        else if (ends_with(o, on, "ь")) kind = P_EV_SOFT;
        else if (ends_with(o, on, "а") || ends_with(o, on, "и") || ends_with(o, on, "у") ||
                 ends_with(o, on, "я") || ends_with(o, on, "е") || ends_with(o, on, "о"))
            kind = P_VOWEL;
    }
    if (orig) {
        if (!o) return;
        size_t keepn = on;
        if (kind == P_IY || kind == P_Y || kind == P_EV_SOFT) keepn -= 2; /* drop й / ь */
        sb_put(b, o, keepn);
        sb_str(b, kind == P_OV ? (fem ? "овна" : "ович") : (fem ? "евна" : "евич"));
        return;
    }
    size_t keepn = ln;
    if (kind == P_IY)
        while (keepn && (l[keepn - 1] == 'y' || l[keepn - 1] == 'i')) keepn--;
    else if (kind == P_Y && keepn && (l[keepn - 1] == 'y' || l[keepn - 1] == 'i'))
        keepn--;
    sb_put(b, l, keepn);
    const char *suffix;
    switch (kind) {
    case P_IY: suffix = fem ? "iyevna" : "iyevich"; break;
    case P_Y:
    case P_VOWEL: suffix = fem ? "yevna" : "yevich"; break;
    case P_EV_SOFT: suffix = fem ? "evna" : "evich"; break;
    default: suffix = fem ? "ovna" : "ovich"; break;
    }
    sb_str(b, suffix);
}

/* Arabic article spellings seen on lists for the same name: al-Shammari,
 * Al-Shammari, Al Shammari, Alshammari, el-Shammari, Shammari, ash-Shammari. */
static void put_article_variant(rng *r, sb *b, const char *s, size_t n)
{
    const char *rest = s + 3;
    size_t rn = n - 3;
    switch (below(r, 6)) {
    case 0: sb_str(b, "Al-"); sb_put(b, rest, rn); break;
    case 1: sb_str(b, "Al "); sb_put(b, rest, rn); break;
    case 2: {
        sb_str(b, "Al");
        char c0 = rest[0] >= 'A' && rest[0] <= 'Z' ? (char)(rest[0] - 'A' + 'a') : rest[0];
        sb_put(b, &c0, 1);
        sb_put(b, rest + 1, rn - 1);
        break;
    }
    case 3: sb_str(b, "el-"); sb_put(b, rest, rn); break;
    case 4: sb_put(b, rest, rn); break;
    default: {
        /* Sun letters assimilate the article's l. */
        static const char *const sun[] = {"Sh", "Th", "Dh", "T", "D", "R", "Z", "S", "N"};
        const char *hit = NULL;
        for (size_t i = 0; i < sizeof sun / sizeof sun[0] && !hit; i++)
            if (rn >= strlen(sun[i]) && memcmp(rest, sun[i], strlen(sun[i])) == 0 &&
                !(strlen(sun[i]) == 1 && rn > 1 && rest[1] == 'h'))
                hit = sun[i];
        if (!hit) {
            sb_str(b, "Al-");
        } else {
            sb_str(b, "a");
            for (const char *h = hit; *h; h++) {
                char lc = *h >= 'A' && *h <= 'Z' ? (char)(*h - 'A' + 'a') : *h;
                sb_put(b, &lc, 1);
            }
            sb_str(b, "-");
        }
        sb_put(b, rest, rn);
        break;
    }
    }
}

enum mode { M_PRIMARY, M_ALT, M_ORIG };

/* One part in the given mode; false if it has no original-script form. */
static bool put_part(person *p, sb *b, const part *pt, enum mode m)
{
    if (pt->role == R_LINK) {
        if (m == M_ORIG) sb_str(b, pt->orig);
        else if (m == M_ALT && !p->female) {
            size_t n;
            const char *v = list_pick(&p->r, "bin|ibn|ben|bin", &n);
            sb_put(b, v, n);
        } else {
            sb_str(b, pt->e);
        }
        return true;
    }
    if (pt->sfx == SFX_PATR_M || pt->sfx == SFX_PATR_F) {
        size_t on;
        if (m == M_ORIG && !ent_field(pt->e, '=', &on)) return false;
        size_t var = pt->var;
        size_t nv = ent_nvar(pt->e);
        if (m == M_ALT && nv > 1) var = (var + 1 + below(&p->r, (uint32_t)nv - 1)) % nv;
        put_patronymic(b, pt->e, var, m == M_ORIG, pt->sfx == SFX_PATR_F);
        return true;
    }
    size_t n;
    const char *s;
    if (m == M_ORIG) {
        s = ent_field(pt->e, '=', &n);
        if (!s) return false;
        sb_put(b, s, n);
        if (pt->sfx == SFX_FEM) sb_str(b, "а");
        return true;
    }
    size_t var = pt->var, nv = ent_nvar(pt->e);
    if (m == M_ALT && nv > 1 && chance(&p->r, 75)) var = (var + 1 + below(&p->r, (uint32_t)nv - 1)) % nv;
    s = ent_var(pt->e, var, &n);
    if (m == M_ALT && n > 3 && memcmp(s, "al-", 3) == 0 && chance(&p->r, 70))
        put_article_variant(&p->r, b, s, n);
    else
        sb_put(b, s, n);
    if (pt->sfx == SFX_FEM) sb_str(b, "a");
    return true;
}

/* Where the family name goes when an alias reorders the name. */
enum order { O_NATURAL, O_FAMILY_FIRST, O_FAMILY_COMMA, O_FAMILY_LAST };

static bool is_ascii(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80) return false;
    return true;
}

/* The whole name into b. False if the mode cannot be honoured (no original
 * script form for some part). */
static bool render(person *p, sb *b, enum mode m, enum order o)
{
    ctw__synth_style st = p->c->style;
    const char *sep = " ";
    if (m == M_ORIG && st == CTW__ST_CHINESE) sep = "";
    if (m == M_ORIG && st == CTW__ST_UYGHUR) sep = "·";

    size_t fam = MAXPARTS;
    for (size_t i = 0; i < p->np; i++)
        if (p->parts[i].role == R_FAMILY) fam = i;
    if (fam == MAXPARTS) o = O_NATURAL;

    bool first = true;
    if (o == O_FAMILY_FIRST || o == O_FAMILY_COMMA) {
        /* List style: SURNAME first, upper case when it is plain ASCII
         * (a byte-wise upper case would mangle ı, ç, é). */
        char tmp[256];
        sb fb = {tmp, 0, sizeof tmp, false};
        if (!put_part(p, &fb, &p->parts[fam], m)) return false;
        if (fb.full) return false;
        if (m != M_ORIG && o == O_FAMILY_COMMA && is_ascii(fb.p, fb.n))
            for (size_t i = 0; i < fb.n; i++)
                if (fb.p[i] >= 'a' && fb.p[i] <= 'z') fb.p[i] = (char)(fb.p[i] - 'a' + 'A');
        sb_put(b, fb.p, fb.n);
        if (o == O_FAMILY_COMMA && m != M_ORIG) sb_str(b, ",");
        first = false;
    }
    for (size_t i = 0; i < p->np; i++) {
        if (i == fam && o != O_NATURAL) continue;
        if (!first) sb_str(b, sep);
        if (!put_part(p, b, &p->parts[i], m)) return false;
        first = false;
    }
    if (o == O_FAMILY_LAST) {
        sb_str(b, sep);
        if (!put_part(p, b, &p->parts[fam], m)) return false;
    }
    return !b->full;
}

/* Diacritics off: plain (ş -> s) or ICAO 9303 (ä -> ae), as travel
 * documents print them. */
static void fold_into(sb *b, const char *s, bool icao)
{
    static const struct { const char *from, *plain, *icao; } map[] = {
        {"ä", "a", "ae"}, {"ö", "o", "oe"}, {"ü", "u", "ue"}, {"Ä", "A", "AE"}, {"Ö", "O", "OE"},
        {"Ü", "U", "UE"}, {"ß", "ss", "ss"}, {"ç", "c", "c"}, {"Ç", "C", "C"}, {"ş", "s", "s"},
        {"Ş", "S", "S"}, {"ğ", "g", "g"}, {"ı", "i", "i"}, {"İ", "I", "I"}, {"é", "e", "e"},
        {"è", "e", "e"}, {"ê", "e", "e"}, {"ë", "e", "e"}, {"É", "E", "E"}, {"á", "a", "a"},
        {"à", "a", "a"}, {"â", "a", "a"}, {"í", "i", "i"}, {"ï", "i", "i"}, {"î", "i", "i"},
        {"ó", "o", "o"}, {"ô", "o", "o"}, {"ú", "u", "u"}, {"û", "u", "u"}, {"ñ", "n", "n"},
        {"Á", "A", "A"}, {"Í", "I", "I"}, {"Ó", "O", "O"}, {"Ú", "U", "U"}, {"ž", "z", "z"},
        {"Ž", "Z", "Z"}, {"č", "c", "c"}, {"Č", "C", "C"}, {"ć", "c", "c"}, {"Ć", "C", "C"},
        {"š", "s", "s"}, {"Š", "S", "S"}, {"đ", "dj", "dj"}, {"Đ", "Dj", "Dj"},
    };
    while (*s) {
        if ((unsigned char)*s < 0x80) {
            sb_put(b, s, 1);
            s++;
            continue;
        }
        bool done = false;
        for (size_t i = 0; i < sizeof map / sizeof map[0] && !done; i++) {
            size_t fl = strlen(map[i].from);
            if (strncmp(s, map[i].from, fl) == 0) {
                sb_str(b, icao ? map[i].icao : map[i].plain);
                s += fl;
                done = true;
            }
        }
        if (!done) { /* not a letter we fold: keep the whole UTF-8 sequence */
            size_t l = 1;
            while (((unsigned char)s[l] & 0xC0) == 0x80) l++;
            sb_put(b, s, l);
            s += l;
        }
    }
}

/* ---- choosing the parts of a name ----------------------------------------- */

static const char *pick_entry(person *p, const ctw__synth_list *l)
{
    return l->v[pick_skewed(&p->r, l->n, p->c->skew)];
}

/* Family names are spread more evenly than given names: one skew level
 * less, else "Muhammad Khan" would be half a percent of the list. */
static const char *pick_family(person *p)
{
    const ctw__synth_list *l = &p->c->family;
    return l->v[pick_skewed(&p->r, l->n, p->c->skew > 1 ? p->c->skew - 1 : 1)];
}

static void add_part(person *p, const char *e, enum role role, enum sfx sfx)
{
    if (p->np == MAXPARTS || !e) return;
    part *pt = &p->parts[p->np++];
    pt->e = e;
    pt->orig = NULL;
    pt->role = role;
    pt->sfx = sfx;
    size_t nv = ent_nvar(e);
    /* The first spelling is the usual one; others still appear as the
     * primary name, as different sources pick different romanisations. */
    pt->var = nv > 1 && !chance(&p->r, 60) ? below(&p->r, (uint32_t)nv) : 0;
}

static void add_link(person *p, const char *latin, const char *orig)
{
    if (p->np == MAXPARTS) return;
    part *pt = &p->parts[p->np++];
    pt->e = latin;
    pt->orig = orig;
    pt->role = R_LINK;
    pt->sfx = SFX_NONE;
    pt->var = 0;
}

static void choose_parts(person *p)
{
    const ctw__synth_culture *c = p->c;
    const ctw__synth_list *given = p->female ? &c->female : &c->male;
    const char *g = pick_entry(p, given);
    switch (c->style) {
    case CTW__ST_ARABIC:
        add_part(p, g, R_GIVEN, SFX_NONE);
        if (chance(&p->r, 30)) add_link(p, p->female ? "bint" : "bin", p->female ? "بنت" : "بن");
        add_part(p, pick_entry(p, &c->male), R_FATHER, SFX_NONE);
        if (chance(&p->r, 20)) add_part(p, pick_entry(p, &c->male), R_GRAND, SFX_NONE);
        if (chance(&p->r, 85)) add_part(p, pick_family(p), R_FAMILY, SFX_NONE);
        break;
    case CTW__ST_AFGHAN:
        add_part(p, g, R_GIVEN, SFX_NONE);
        if (chance(&p->r, 35)) { /* two given names: "Mohammad Nabi", "Gul Agha Akhund" */
            const char *m = pick_entry(p, given);
            if (m != g) add_part(p, m, R_MIDDLE, SFX_NONE);
        }
        /* Some Afghans are listed under one name (with a father's name
         * beside it), most with a tribal or family name. */
        if (chance(&p->r, 85)) add_part(p, pick_family(p), R_FAMILY, SFX_NONE);
        else add_part(p, pick_entry(p, &c->male), R_FATHER, SFX_NONE);
        break;
    case CTW__ST_PAKISTANI:
        if (!p->female && chance(&p->r, 40) && g != c->male.v[0]) {
            add_part(p, c->male.v[0], R_GIVEN, SFX_NONE);
            add_part(p, g, R_MIDDLE, SFX_NONE);
        } else {
            add_part(p, g, R_GIVEN, SFX_NONE);
        }
        add_part(p, pick_family(p), R_FAMILY, SFX_NONE);
        break;
    case CTW__ST_SOMALI:
        add_part(p, g, R_GIVEN, SFX_NONE);
        add_part(p, pick_entry(p, &c->male), R_FATHER, SFX_NONE);
        add_part(p, pick_entry(p, &c->male), R_GRAND, SFX_NONE);
        break;
    case CTW__ST_KURDISH:
        add_part(p, g, R_GIVEN, SFX_NONE);
        add_part(p, pick_entry(p, &c->male), R_FATHER, SFX_NONE);
        if (chance(&p->r, 60)) add_part(p, pick_family(p), R_FAMILY, SFX_NONE);
        else add_part(p, pick_entry(p, &c->male), R_GRAND, SFX_NONE);
        break;
    case CTW__ST_SLAVIC: {
        add_part(p, g, R_GIVEN, SFX_NONE);
        unsigned patr = c->orig_pct >= 50 ? 90 : c->orig_pct >= 45 ? 70 : 40;
        if (chance(&p->r, patr))
            add_part(p, pick_entry(p, &c->male), R_FATHER, p->female ? SFX_PATR_F : SFX_PATR_M);
        add_part(p, pick_family(p), R_FAMILY, p->female ? SFX_FEM : SFX_NONE);
        break;
    }
    case CTW__ST_CHINESE:
        add_part(p, pick_family(p), R_FAMILY, SFX_NONE);
        add_part(p, g, R_GIVEN, SFX_NONE);
        break;
    case CTW__ST_UYGHUR:
        add_part(p, g, R_GIVEN, SFX_NONE);
        add_part(p, pick_entry(p, &c->male), R_FATHER, SFX_NONE);
        break;
    case CTW__ST_MALAY: {
        unsigned k = below(&p->r, 100);
        add_part(p, g, R_GIVEN, SFX_NONE);
        if (k < 15) break; /* a single name, as many Indonesians have */
        if (k < 45) {
            add_link(p, p->female ? "binti" : "bin", p->female ? "binti" : "bin");
            add_part(p, pick_entry(p, &c->male), R_FATHER, SFX_NONE);
        } else {
            if (chance(&p->r, 30)) { /* "Agus Budi Santoso" */
                const char *m = pick_entry(p, given);
                if (m != g) add_part(p, m, R_MIDDLE, SFX_NONE);
            }
            add_part(p, pick_family(p), R_FAMILY, SFX_NONE);
        }
        break;
    }
    case CTW__ST_SPANISH:
        add_part(p, g, R_GIVEN, SFX_NONE);
        if (chance(&p->r, 20)) add_part(p, pick_entry(p, given), R_MIDDLE, SFX_NONE);
        add_part(p, pick_family(p), R_FAMILY, SFX_NONE);
        add_part(p, pick_family(p), R_GRAND, SFX_NONE); /* maternal surname */
        break;
    case CTW__ST_TURKIC:
    case CTW__ST_PERSIAN:
    case CTW__ST_SAHEL:
    case CTW__ST_WESTERN:
    default:
        add_part(p, g, R_GIVEN, SFX_NONE);
        if (chance(&p->r, c->style == CTW__ST_WESTERN || c->style == CTW__ST_TURKIC ? 30
                          : c->style == CTW__ST_SAHEL                                ? 15
                                                                                     : 0)) {
            const char *m = pick_entry(p, given);
            if (m != g) add_part(p, m, R_MIDDLE, SFX_NONE);
        }
        add_part(p, pick_family(p), R_FAMILY, SFX_NONE);
        break;
    }
}

/* The primary spelling of one part, kept in the pool. */
static const char *part_text(person *p, const part *pt)
{
    char tmp[256];
    sb b = {tmp, 0, sizeof tmp, false};
    tmp[0] = '\0';
    put_part(p, &b, pt, M_PRIMARY);
    if (b.full) {
        p->overflow = true;
        return NULL;
    }
    return keep(p, b.p, b.n);
}

static const char *country_nisba(const person *p)
{
    return p->nnat ? p->nat[0]->nisba : NULL;
}

/* ---- names and aliases ---------------------------------------------------- */

static void make_names(person *p)
{
    const ctw__synth_culture *c = p->c;
    char tmp[1024];
    sb b = {tmp, 0, sizeof tmp, false};

    /* Parts as FtM properties. Without a family name the last name
     * written (a Somali or Arab grandfather's name) is the lastName, as
     * lists give it. */
    bool has_family = false;
    for (size_t i = 0; i < p->np; i++) has_family |= p->parts[i].role == R_FAMILY;
    for (size_t i = 0; i < p->np; i++) {
        const part *pt = &p->parts[i];
        enum prop k;
        switch (pt->role) {
        case R_GIVEN: k = PR_FIRST; break;
        case R_MIDDLE: k = PR_MIDDLE; break;
        case R_FATHER: k = PR_FATHER; break;
        case R_FAMILY: k = PR_LAST; break;
        case R_GRAND:
            if (has_family) continue;
            k = PR_LAST;
            break;
        default: continue;
        }
        add(p, k, part_text(p, pt));
    }
    if (c->style == CTW__ST_SPANISH && p->prop[PR_LAST].n == 1) {
        /* lastName holds both surnames, as Spanish documents do. */
        const part *mat = NULL;
        for (size_t i = 0; i < p->np; i++)
            if (p->parts[i].role == R_GRAND) mat = &p->parts[i];
        const char *m = mat ? part_text(p, mat) : NULL;
        if (m) {
            b.n = 0;
            sb_str(&b, p->prop[PR_LAST].v[0]);
            sb_str(&b, " ");
            sb_str(&b, m);
            const char *both = b.full ? NULL : keep(p, b.p, b.n);
            if (both) p->prop[PR_LAST].v[0] = both;
        }
    }

    /* The primary name. */
    b.n = 0;
    b.full = false;
    render(p, &b, M_PRIMARY, O_NATURAL);
    add_sb(p, PR_NAME, &b);
    const char *primary = p->prop[PR_NAME].n ? p->prop[PR_NAME].v[0] : "";

    /* The name in its own script: a second name or an alias. */
    if (c->orig_pct && chance(&p->r, c->orig_pct)) {
        enum order o = O_NATURAL;
        if (c->style == CTW__ST_SLAVIC && chance(&p->r, 50)) o = O_FAMILY_FIRST; /* Russian official order */
        b.n = 0;
        b.full = false;
        if (render(p, &b, M_ORIG, o)) add_sb(p, chance(&p->r, 60) ? PR_NAME : PR_ALIAS, &b);
    }

    /* Other romanisations of the same name. */
    unsigned alts = chance(&p->r, 55) + chance(&p->r, 20);
    for (unsigned i = 0; i < alts; i++) {
        b.n = 0;
        b.full = false;
        if (render(p, &b, M_ALT, O_NATURAL)) add_sb(p, PR_ALIAS, &b);
    }

    /* Reordered: list style "SURNAME, Given" or, for Chinese, given name
     * first as Western forms print it. Spanish double surnames are left
     * alone (moving one of two surnames is not how lists write them). */
    if (c->style != CTW__ST_SPANISH && chance(&p->r, 25)) {
        enum mode m = M_PRIMARY;
        enum order o = chance(&p->r, 50) ? O_FAMILY_COMMA : O_FAMILY_FIRST;
        if (c->style == CTW__ST_CHINESE) {
            o = O_FAMILY_LAST;
            if (chance(&p->r, 50)) m = M_ALT;
        }
        b.n = 0;
        b.full = false;
        if (render(p, &b, m, o)) add_sb(p, PR_ALIAS, &b);
    }

    /* Without diacritics, as a machine-readable zone would print it. */
    if (c->fold && !is_ascii(primary, strlen(primary)) && chance(&p->r, 70)) {
        b.n = 0;
        b.full = false;
        fold_into(&b, primary, c->fold == 2);
        add_sb(p, PR_ALIAS, &b);
    }

    /* Short form: given and family name only. */
    if (p->np > 2 && chance(&p->r, 20)) {
        const part *gp = NULL, *fp = NULL;
        for (size_t i = 0; i < p->np; i++) {
            if (p->parts[i].role == R_GIVEN && !gp) gp = &p->parts[i];
            if (p->parts[i].role == R_FAMILY) fp = &p->parts[i];
        }
        if (gp && fp) {
            b.n = 0;
            b.full = false;
            const part *order[2] = {gp, fp};
            if (c->style == CTW__ST_CHINESE) {
                order[0] = fp;
                order[1] = gp;
            }
            put_part(p, &b, order[0], M_PRIMARY);
            sb_str(&b, " ");
            put_part(p, &b, order[1], M_PRIMARY);
            add_sb(p, PR_ALIAS, &b);
        }
    }

    /* Kunya ("Abu Hamza", "Umm Khalid"), often with a nisba of the home
     * country: a nom de guerre in jihadist groups of every origin. */
    if (c->kunya_pct && chance(&p->r, c->kunya_pct)) {
        const ctw__synth_list *src = &ctw__synth_arabic_male;
        if (c->style == CTW__ST_ARABIC || c->style == CTW__ST_AFGHAN || c->style == CTW__ST_PAKISTANI ||
            c->style == CTW__ST_SOMALI || c->style == CTW__ST_SAHEL)
            src = &c->male;
        size_t n;
        const char *son = ent_var(src->v[pick_skewed(&p->r, src->n, 2)], 0, &n);
        b.n = 0;
        b.full = false;
        sb_str(&b, p->female ? "Umm " : "Abu ");
        sb_put(&b, son, n);
        const char *nisba = country_nisba(p);
        if (nisba && chance(&p->r, c->style == CTW__ST_ARABIC ? 40 : 70)) {
            sb_str(&b, " ");
            if (c->epithets && chance(&p->r, 30)) {
                size_t en;
                const char *ep = list_pick(&p->r, c->epithets, &en);
                /* an epithet that is itself a nisba reads right; others not */
                if (en > 3 && memcmp(ep, "al-", 3) == 0) sb_put(&b, ep, en);
                else sb_str(&b, nisba);
            } else {
                sb_str(&b, nisba);
            }
        }
        add_sb(p, chance(&p->r, 70) ? PR_ALIAS : PR_WEAK, &b);
    }

    /* Weak aliases: a nickname, a title with the given name, an epithet. */
    unsigned weak = chance(&p->r, 30) + chance(&p->r, 8);
    for (unsigned i = 0; i < weak; i++) {
        const part *gp = &p->parts[0];
        for (size_t k = 0; k < p->np; k++)
            if (p->parts[k].role == R_GIVEN) gp = &p->parts[k];
        size_t n;
        const char *nick = ent_field(gp->e, '~', &n);
        b.n = 0;
        b.full = false;
        unsigned k = below(&p->r, 3);
        if (k == 0 && nick) {
            sb_put(&b, nick, n);
        } else if (k <= 1 && c->titles) {
            const char *t = list_pick(&p->r, c->titles, &n);
            sb_put(&b, t, n);
            sb_str(&b, " ");
            put_part(p, &b, gp, M_PRIMARY);
        } else if (c->epithets) {
            const char *t = list_pick(&p->r, c->epithets, &n);
            sb_put(&b, t, n);
        } else if (nick) {
            sb_put(&b, nick, n);
        } else {
            put_part(p, &b, gp, M_PRIMARY); /* the given name alone */
        }
        add_sb(p, PR_WEAK, &b);
    }
}

/* ---- dates, places, nationality ------------------------------------------- */

static unsigned days_in(unsigned y, unsigned m)
{
    static const unsigned d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return 29;
    return d[m - 1];
}

static void add_date(person *p, enum prop k, unsigned y, bool exact, bool jan1)
{
    char d[32];
    if (exact) {
        unsigned m = jan1 ? 1 : 1 + below(&p->r, 12);
        unsigned day = jan1 ? 1 : 1 + below(&p->r, days_in(y, m));
        snprintf(d, sizeof d, "%04u-%02u-%02u", y, m, day);
    } else {
        snprintf(d, sizeof d, "%04u", y);
    }
    add_n(p, k, d, strlen(d));
}

static void make_dates(person *p)
{
    /* Exact ~60 %, year only ~30 %, none ~10 %: the mix of UN and national
     * lists. Ages 18-75 in 2026, bunched in the middle like real lists. */
    unsigned k = below(&p->r, 100);
    if (k >= 90) return;
    bool exact = k < 60;
    unsigned age = 18 + (below(&p->r, 58) + below(&p->r, 58)) / 2;
    unsigned y = 2026 - age;
    /* Where birth registration is patchy, documents default to 1 January. */
    ctw__synth_style st = p->c->style;
    bool jan1_place = st == CTW__ST_AFGHAN || st == CTW__ST_SOMALI || st == CTW__ST_SAHEL ||
                      st == CTW__ST_PAKISTANI;
    add_date(p, PR_BIRTH, y, exact, exact && jan1_place && chance(&p->r, 30));
    if (chance(&p->r, 12)) { /* a second date, the same precision, near the first */
        unsigned dy = 1 + below(&p->r, 3);
        unsigned y2 = chance(&p->r, 50) ? y - dy : y + dy;
        if (y2 > 2008) y2 = y - dy;
        add_date(p, PR_BIRTH, y2, exact, false);
    }
}

static void make_country(person *p)
{
    const ctw__synth_culture *c = p->c;
    size_t n;
    const char *code = weighted_pick(&p->r, c->countries, &n);
    const ctw__synth_country *home = ctw__synth_country_get(code, n);
    if (home) p->nat[p->nnat++] = home;
    if (home && chance(&p->r, 8)) {
        const ctw__synth_country *second;
        if (chance(&p->r, 60)) code = weighted_pick(&p->r, ctw__synth_diaspora, &n);
        else code = weighted_pick(&p->r, c->countries, &n);
        second = ctw__synth_country_get(code, n);
        if (second && second != home) p->nat[p->nnat++] = second;
    }
    for (size_t i = 0; i < p->nnat; i++) add(p, PR_NAT, p->nat[i]->code);

    if (home && chance(&p->r, 80)) {
        /* The culture's own places when the person is from its first
         * country (Chechens born in Grozny, not in Moscow). */
        const char *places = home->places;
        size_t fl = strcspn(c->countries, ":");
        if (c->places && fl == strlen(home->code) && memcmp(c->countries, home->code, fl) == 0)
            places = c->places;
        const char *pl = list_pick(&p->r, places, &n);
        add_n(p, PR_PLACE, pl, n);
    }
}

/* ---- output ----------------------------------------------------------------- */

typedef struct out {
    ctw_line_fn fn;
    void *ud;
    char id[64];
} out;

static void put_list(sb *b, const char *key, const char *const *v, size_t n, bool *first)
{
    if (!n) return;
    if (!*first) sb_str(b, ",");
    *first = false;
    sb_json(b, key);
    sb_str(b, ":[");
    for (size_t i = 0; i < n; i++) {
        if (i) sb_str(b, ",");
        sb_json(b, v[i]);
    }
    sb_str(b, "]");
}

static int emit(out *o, sb *b)
{
    if (b->full) return CTW_ELIMIT;
    return o->fn(o->ud, b->p, b->n);
}

/* A folded entity: {"id":..,"schema":..,"properties":{"holder":[id],...}}. */
static void begin_entity(sb *b, const out *o, const char *suffix, unsigned k, const char *schema,
                         const char *link_key)
{
    char id[96];
    snprintf(id, sizeof id, "%s-%s-%u", o->id, suffix, k);
    b->n = 0;
    b->full = false;
    sb_str(b, "{\"id\":");
    sb_json(b, id);
    sb_str(b, ",\"schema\":");
    sb_json(b, schema);
    sb_str(b, ",\"properties\":{");
    sb_json(b, link_key);
    sb_str(b, ":[");
    sb_json(b, o->id);
    sb_str(b, "]");
}

static void prop1(sb *b, const char *key, const char *value)
{
    const char *v[1] = {value};
    bool first = false;
    put_list(b, key, v, 1, &first);
}

/* A number in the country's shape: 'a' letter, '9' digit, 'x' either. */
static void make_number(rng *r, const char *pattern, char *buf, size_t cap)
{
    static const char letters[] = "ABCDEFGHJKLMNPRSTUVWXYZ";
    static const char alnum[] = "CFGHJKLMNPRTVWXYZ0123456789";
    size_t i = 0;
    for (; pattern[i] && i + 1 < cap; i++) {
        char c = pattern[i];
        if (c == 'a') c = letters[below(r, sizeof letters - 1)];
        else if (c == '9') c = (char)('0' + below(r, 10));
        else if (c == 'x') c = alnum[below(r, sizeof alnum - 1)];
        buf[i] = c;
    }
    buf[i] = '\0';
}

static const struct {
    const char *program, *authority, *unsc;
} programs[] = {
    {"INTERPOL Red Notice", "INTERPOL", NULL},
    {"UN Security Council ISIL (Da'esh) and Al-Qaida Sanctions List", "UN Security Council", "QDi"},
    {"INTERPOL-United Nations Security Council Special Notice", "INTERPOL", NULL},
    {"SDGT", "US OFAC", NULL},
    {"EU-TERR", "Council of the European Union", NULL},
    {"INTERPOL Diffusion", "INTERPOL", NULL},
    {"National terrorist list", NULL, NULL},
    {"INTERPOL Blue Notice", "INTERPOL", NULL},
    {"UK Counter-Terrorism (International Sanctions)", "UK OFSI", NULL},
    {"UN Security Council 1988 Taliban Sanctions List", "UN Security Council", "TAi"},
};

static int emit_person(person *p, out *o)
{
    char line[16384];
    sb b = {line, 0, sizeof line, false};
    sb_str(&b, "{\"id\":");
    sb_json(&b, o->id);
    sb_str(&b, ",\"schema\":\"Person\",\"properties\":{");
    bool first = true;
    for (int k = 0; k < PR_COUNT; k++) put_list(&b, prop_key[k], p->prop[k].v, p->prop[k].n, &first);
    sb_str(&b, "}}");
    int rc = emit(o, &b);
    if (rc) return rc;

    rng *r = &p->r;
    char num[32], date[32];

    /* Passports: about 45 % have one, some a second (of the second
     * nationality when there is one). */
    unsigned docs = chance(r, 45) ? 1 + chance(r, 15) : 0;
    for (unsigned d = 0; d < docs && p->nnat; d++) {
        const ctw__synth_country *cc = p->nat[d < p->nnat ? d : 0];
        make_number(r, cc->passport, num, sizeof num);
        begin_entity(&b, o, "doc", d + 1, "Passport", "holder");
        prop1(&b, "number", num);
        prop1(&b, "country", cc->code);
        if (chance(r, 50)) {
            unsigned y = 2012 + below(r, 14), m = 1 + below(r, 12), day = 1 + below(r, days_in(y, m));
            snprintf(date, sizeof date, "%04u-%02u-%02u", y, m, day);
            prop1(&b, "startDate", date);
            snprintf(date, sizeof date, "%04u-%02u-%02u", y + 10, m, day > 28 && m == 2 ? 28 : day);
            prop1(&b, "endDate", date);
        }
        sb_str(&b, "}}");
        if ((rc = emit(o, &b))) return rc;
    }

    /* A national identity number for some. */
    if (p->nnat && chance(r, 10)) {
        make_number(r, chance(r, 50) ? "9999999999" : "999999999999", num, sizeof num);
        begin_entity(&b, o, "id", 1, "Identification", "holder");
        prop1(&b, "number", num);
        prop1(&b, "country", p->nat[0]->code);
        sb_str(&b, "}}");
        if ((rc = emit(o, &b))) return rc;
    }

    /* Listings: about 40 % carry one, a few two. */
    unsigned lists = chance(r, 40) ? 1 + chance(r, 20) : 0;
    bool taliban_area = p->c->style == CTW__ST_AFGHAN || p->c->style == CTW__ST_PAKISTANI;
    size_t last = SIZE_MAX;
    for (unsigned l = 0; l < lists; l++) {
        size_t np = sizeof programs / sizeof programs[0];
        size_t i = pick_skewed(r, taliban_area ? np : np - 1, 2);
        if (taliban_area && chance(r, 30)) i = np - 1;
        if (i == last) continue;
        last = i;
        begin_entity(&b, o, "sanction", l + 1, "Sanction", "entity");
        prop1(&b, "program", programs[i].program);
        if (programs[i].authority) {
            prop1(&b, "authority", programs[i].authority);
        } else if (p->nnat) {
            char auth[48];
            snprintf(auth, sizeof auth, "NCB %s", p->nat[0]->code);
            for (char *a = auth + 4; *a; a++)
                if (*a >= 'a' && *a <= 'z') *a = (char)(*a - 'a' + 'A');
            prop1(&b, "authority", auth);
        }
        unsigned y = 2001 + below(r, 25), m = 1 + below(r, 12), day = 1 + below(r, days_in(y, m));
        snprintf(date, sizeof date, "%04u-%02u-%02u", y, m, day);
        prop1(&b, "listingDate", date);
        if (programs[i].unsc) {
            snprintf(num, sizeof num, "%s.%03u", programs[i].unsc, 1 + below(r, 480));
            prop1(&b, "unscId", num);
        }
        sb_str(&b, "}}");
        if ((rc = emit(o, &b))) return rc;
    }
    return 0;
}

static const ctw__synth_culture *pick_culture(rng *r)
{
    static unsigned total; /* computed once; a benign race writes the same value */
    unsigned t = total;
    if (!t) {
        for (size_t i = 0; i < ctw__synth_ncultures; i++) t += ctw__synth_cultures[i].weight;
        total = t;
    }
    unsigned x = below(r, t);
    for (size_t i = 0; i < ctw__synth_ncultures; i++) {
        if (x < ctw__synth_cultures[i].weight) return &ctw__synth_cultures[i];
        x -= ctw__synth_cultures[i].weight;
    }
    return &ctw__synth_cultures[0];
}

static int one_person(uint64_t seed, uint64_t index, out *o)
{
    person p;
    p.np = 0;
    p.nnat = 0;
    p.used = 0;
    p.overflow = false;
    for (int k = 0; k < PR_COUNT; k++) p.prop[k].n = 0;
    rng_person(&p.r, seed, index);
    p.c = pick_culture(&p.r);
    p.female = chance(&p.r, p.c->female_pct);

    choose_parts(&p);
    make_country(&p); /* before names: the kunya's nisba comes from it */
    make_names(&p);
    make_dates(&p);
    add(&p, PR_GENDER, p.female ? "female" : "male");
    add(&p, PR_TOPICS, "crime.terror");
    if (p.overflow) return CTW_ELIMIT;

    snprintf(o->id, sizeof o->id, "synth-%" PRIu64 "-%" PRIu64, seed, index);
    return emit_person(&p, o);
}

int ctw_synth_persons(uint64_t seed, size_t first, size_t count, ctw_line_fn fn, void *ud)
{
    if (!fn || count > SIZE_MAX - first) return CTW_EINVAL;
    out o = {fn, ud, {0}};
    for (size_t i = 0; i < count; i++) {
        int rc = one_person(seed, (uint64_t)(first + i), &o);
        if (rc) return rc;
    }
    return 0;
}
