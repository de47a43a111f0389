/* documents.c — synthetic stolen and lost travel documents (see synth.h).
 *
 * One output line, in the import format of include/ctwatch/doccsv.h:
 *
 *   DEU,P,C4RT0X9K1,stolen,2019-04-11,DEU-NCB
 *   |   | |         |      |          owner: mostly the state's NCB
 *   |   | |         |      reported: a day in the ten years to 2026-02-27
 *   |   | |         stolen 55 %, lost 38 %, revoked 3, invalidated 2, stolen-blank 2
 *   |   | number: the state's shape (table below), sometimes spaced or lower case
 *   |   type: P, I where the state issues identity cards, else V, A, C, PD, PS
 *   issuing state: weighted by population and travel volume; sometimes "D" or alpha-2
 *
 * Every document has its own random stream seeded from (seed, index), as
 * the persons of synth.c do, so any slice can be made alone and the same
 * arguments give the same bytes. The stream is splitmix64 (Sebastiano
 * Vigna's public-domain generator), repeated here rather than shared
 * because synth.c keeps its copy private and the two must not drift into
 * depending on each other.
 *
 * Number shapes: one character of the pattern per character of the
 * number; 'a' a letter A-Z, '9' a digit, 'x' a letter or digit, 'g' one
 * of CFGHJKLMNPRTVWXYZ0-9 (the German passport alphabet, which leaves out
 * vowels and look-alikes), 'h' one of CFGHJK (first letter of a German
 * passport), 'l' one of LMNPRTVWXY (of a German identity card); an
 * upper-case letter stands for itself. '|' separates shapes a state has
 * used side by side; one is picked at random.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "ctwatch/doctable.h"
#include "ctwatch/synth.h"

typedef struct doc_state {
    const char *a3, *a2;   /* a2 NULL: written as alpha-3 only */
    unsigned weight;       /* relative share of documents */
    const char *passport;  /* number shapes of passports (and visas, crew documents) */
    const char *id;        /* of identity cards; NULL: the state issues few or none */
} doc_state;

/* Weights: roughly population times travel, so that the states with large
 * travelling populations (and large reporting volumes in SLTD) dominate. */
static const doc_state states[] = {
    {"USA", "US", 110, "999999999|999999999|a99999999", "C99999999"},
    {"GBR", "GB", 70, "999999999", NULL},
    {"DEU", "DE", 60, "hgggggggg", "lgggggggg"},
    {"CHN", "CN", 60, "E99999999|Ea9999999", NULL},
    {"FRA", "FR", 55, "99aa99999", "xxxxxxxxx|999999999999"},
    {"IND", "IN", 50, "a9999999", NULL},
    {"ITA", "IT", 40, "aa9999999", "CA99999aa"},
    {"RUS", "RU", 40, "999999999", "9999999999"},
    {"ESP", "ES", 35, "aaa999999", "aaa999999"},
    {"BRA", "BR", 25, "aa999999", NULL},
    {"CAN", "CA", 25, "aa999999", NULL},
    {"AUS", "AU", 20, "a9999999|aa9999999", NULL},
    {"JPN", "JP", 20, "aa9999999", NULL},
    {"MEX", "MX", 20, "a99999999", NULL},
    {"TUR", "TR", 20, "a99999999", "a99a99999"},
    {"IDN", "ID", 15, "a9999999", NULL},
    {"KOR", "KR", 15, "M99999999|M999a9999", NULL},
    {"NLD", "NL", 15, "aaxxxxxx9", "aaxxxxxx9"},
    {"POL", "PL", 15, "aa9999999", "aaa999999"},
    {"UKR", "UA", 15, "aa999999", "999999999"},
    {"PAK", "PK", 12, "aa9999999", NULL},
    {"PHL", "PH", 12, "P9999999a", NULL},
    {"BEL", "BE", 10, "aa999999", "999999999999"},
    {"EGY", "EG", 10, "a99999999", NULL},
    {"NGA", "NG", 10, "a99999999", NULL},
    {"ARG", "AR", 8, "aaa999999", "99999999"},
    {"AUT", "AT", 7, "a9999999", "9999999"},
    {"CHE", "CH", 8, "a9999999", "a9999999"},
    {"COL", "CO", 8, "aa999999", NULL},
    {"IRN", "IR", 8, "a99999999", NULL},
    {"SWE", "SE", 8, "99999999", "99999999"},
    {"THA", "TH", 8, "aa9999999", NULL},
    {"VNM", "VN", 8, "a9999999", NULL},
    {"ZAF", "ZA", 8, "a99999999", NULL},
    {"ROU", "RO", 7, "99999999", "aa999999"},
    {"BGD", "BD", 6, "aa9999999", NULL},
    {"GRC", "GR", 6, "aa9999999", "aa999999"},
    {"MAR", "MA", 6, "aa9999999", "a999999"},
    {"MYS", "MY", 6, "a99999999", NULL},
    {"PRT", "PT", 6, "a999999", "99999999aa9"},
    {"SAU", "SA", 6, "a99999999", NULL},
    {"CZE", "CZ", 5, "99999999", "999999999"},
    {"DNK", "DK", 5, "999999999", NULL},
    {"DZA", "DZ", 5, "999999999", NULL},
    {"IRQ", "IQ", 5, "a99999999", NULL},
    {"NOR", "NO", 5, "aa9999999", NULL},
    {"ARE", "AE", 4, "999999999", NULL},
    {"CHL", "CL", 4, "a99999999", "999999999"},
    {"FIN", "FI", 4, "aa9999999", "999999999"},
    {"HUN", "HU", 4, "aa9999999", "999999aa"},
    {"IRL", "IE", 4, "aa9999999", NULL},
    {"ISR", "IL", 4, "99999999", NULL},
    {"NZL", "NZ", 4, "aa999999", NULL},
    {"PER", "PE", 4, "9999999", NULL},
    {"SYR", "SY", 4, "999999999", NULL},
    {"VEN", "VE", 4, "999999999", NULL},
    {"BGR", "BG", 3, "999999999", "999999999"},
    {"ETH", "ET", 3, "EP9999999", NULL},
    {"GHA", "GH", 3, "G9999999", NULL},
    {"HRV", "HR", 3, "999999999", "999999999"},
    {"KAZ", "KZ", 3, "N99999999", NULL},
    {"KEN", "KE", 3, "aa9999999", NULL},
    {"SGP", "SG", 3, "E9999999a", NULL},
    {"SRB", "RS", 3, "999999999", "999999999"},
    {"TUN", "TN", 3, "a999999", NULL},
    {"UZB", "UZ", 3, "aa9999999", NULL},
    {"AFG", "AF", 2, "P99999999", NULL},
    {"JOR", "JO", 2, "a999999", NULL},
    {"LBN", "LB", 2, "LR9999999", NULL},
    {"UNO", NULL, 1, "999999", NULL}, /* United Nations laissez-passer */
};
#define N_STATES (sizeof states / sizeof states[0])

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

/* Uniform in [0, n) for n < 2^32 (multiply-shift). */
static uint32_t below(rng *r, uint32_t n)
{
    return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

/* The document's own stream: seed and index pass the mixer separately, so
 * neighbouring seeds or indexes give unrelated streams (and a stream other
 * than the persons' of the same seed). */
static void rng_doc(rng *r, uint64_t seed, uint64_t index)
{
    rng a = {seed ^ 0x3C6EF372FE94F82Bull};
    uint64_t hs = rng_next(&a);
    rng b = {index ^ hs};
    r->s = rng_next(&b) ^ (hs << 1);
}

/* ---- tables built once ------------------------------------------------------ */

/* weight unit → state index, so a weighted pick is one lookup. The
 * weights add up to 995; the table leaves room for more. */
static pthread_once_t pick_once = PTHREAD_ONCE_INIT;
static uint8_t pick_state[4096];
static uint32_t total_weight;

static void pick_build(void)
{
    uint32_t w = 0;
    for (size_t i = 0; i < N_STATES; i++)
        for (unsigned k = 0; k < states[i].weight && w < sizeof pick_state; k++) pick_state[w++] = (uint8_t)i;
    total_weight = w;
}

_Static_assert(N_STATES <= 256, "state index fits a byte");

/* ---- the pieces ---------------------------------------------------------------- */

static const doc_state *pick(rng *r)
{
    return &states[pick_state[below(r, total_weight)]];
}

/* A number of one of the '|'-separated shapes into out (cap bytes). */
static size_t make_number(rng *r, const char *shapes, char *out, size_t cap)
{
    static const char letters[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
    static const char alnum[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    static const char german[] = "CFGHJKLMNPRTVWXYZ0123456789";
    static const char german_p[] = "CFGHJK";
    static const char german_i[] = "LMNPRTVWXY";
    size_t n_shapes = 1;
    for (const char *p = shapes; *p; p++) n_shapes += *p == '|';
    size_t k = n_shapes > 1 ? below(r, (uint32_t)n_shapes) : 0;
    const char *s = shapes;
    while (k) k -= *s++ == '|';
    size_t n = 0;
    for (; *s && *s != '|' && n + 1 < cap; s++) {
        char c = *s;
        switch (c) {
        case 'a': c = letters[below(r, 26)]; break;
        case '9': c = (char)('0' + below(r, 10)); break;
        case 'x': c = alnum[below(r, 36)]; break;
        case 'g': c = german[below(r, sizeof german - 1)]; break;
        case 'h': c = german_p[below(r, sizeof german_p - 1)]; break;
        case 'l': c = german_i[below(r, sizeof german_i - 1)]; break;
        default: break; /* a literal */
        }
        out[n++] = c;
    }
    out[n] = '\0';
    return n;
}

/* Day `day` (0-based) of the ten-year window 2016-02-28 .. 2026-02-27 as ISO. */
#define WINDOW_DAYS 3653
static void make_date(uint32_t day, char out[11])
{
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int y = 2016;
    uint32_t d = day + 31 + 27; /* 2016-02-28 is day 58 of 2016 */
    for (;;) {
        uint32_t ylen = (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 366 : 365;
        if (d < ylen) break;
        d -= ylen;
        y++;
    }
    bool leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    int m = 0;
    for (;; m++) {
        uint32_t ml = (uint32_t)(mdays[m] + (m == 1 && leap));
        if (d < ml) break;
        d -= ml;
    }
    int mo = m + 1, da = (int)d + 1;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + mo / 10);
    out[6] = (char)('0' + mo % 10);
    out[7] = '-';
    out[8] = (char)('0' + da / 10);
    out[9] = (char)('0' + da % 10);
    out[10] = '\0';
}

static ctw_doc_status make_status(rng *r)
{
    uint32_t x = below(r, 100);
    if (x < 55) return CTW_DOC_STOLEN;
    if (x < 93) return CTW_DOC_LOST;
    if (x < 96) return CTW_DOC_REVOKED;
    if (x < 98) return CTW_DOC_INVALIDATED;
    return CTW_DOC_STOLEN_BLANK;
}

/* ---- one document ----------------------------------------------------------- */

void ctw_synth_doc_at(uint64_t seed, uint64_t index, ctw_synth_doc *out)
{
    pthread_once(&pick_once, pick_build);
    rng r;
    rng_doc(&r, seed, index);
    ctw_synth_doc d;
    memset(&d, 0, sizeof d);
    const doc_state *st = pick(&r);

    /* Type: identity cards only where the state issues them. */
    uint32_t t = below(&r, 100);
    const char *shapes = st->passport;
    if (st->id && t < 30) {
        memcpy(d.type, "I", 2);
        shapes = st->id;
    } else if (t < (st->id ? 92u : 90u)) {
        memcpy(d.type, "P", 2);
    } else {
        static const char *const other[] = {"V", "V", "A", "C", "PD", "PD", "PS"};
        const char *o = other[below(&r, sizeof other / sizeof other[0])];
        memcpy(d.type, o, strlen(o) + 1);
    }
    size_t n = make_number(&r, shapes, d.number, sizeof d.number);

    /* Written the way agencies send it, now and then. */
    uint32_t v = below(&r, 100);
    if (v < 3) { /* lower case */
        for (size_t i = 0; i < n; i++)
            if (d.number[i] >= 'A' && d.number[i] <= 'Z') d.number[i] = (char)(d.number[i] - 'A' + 'a');
    } else if (v < 6 && n >= 6 && n + 1 < sizeof d.number) { /* a separator after 2 or 3 characters */
        size_t at = 2 + below(&r, 2);
        memmove(d.number + at + 1, d.number + at, n - at + 1);
        d.number[at] = v == 3 ? '-' : ' ';
    }
    d.quoted = below(&r, 100) == 0;

    uint32_t s = below(&r, 100);
    if (strcmp(st->a3, "DEU") == 0 && s < 8)
        memcpy(d.issuing_state, "D", 2);
    else if (st->a2 && s >= 96)
        memcpy(d.issuing_state, st->a2, 3);
    else
        memcpy(d.issuing_state, st->a3, 4);

    d.status = make_status(&r);
    make_date(below(&r, WINDOW_DAYS), d.reported);

    uint32_t o = below(&r, 100);
    const char *agency = o < 86 ? "NCB" : o < 93 ? "MFA" : o < 97 ? "IMM" : NULL;
    if (agency)
        snprintf(d.owner, sizeof d.owner, "%s-%s", st->a3, agency);
    else /* reported where it was found or stolen, by that state's NCB */
        snprintf(d.owner, sizeof d.owner, "%s-NCB", pick(&r)->a3);
    *out = d;
}

void ctw_synth_doc_init(ctw_synth_doc_state *st, uint64_t seed, uint64_t first)
{
    st->seed = seed;
    st->next = first;
}

void ctw_synth_doc_next(ctw_synth_doc_state *st, ctw_synth_doc *out)
{
    ctw_synth_doc_at(st->seed, st->next++, out);
}

int ctw_synth_doc_csv(const ctw_synth_doc *d, char *buf, size_t cap)
{
    if (!d || !buf || cap == 0) return CTW_EINVAL;
    const char *q = d->quoted ? "\"" : "";
    int n = snprintf(buf, cap, "%s,%s,%s%s%s,%s,%s,%s", d->issuing_state, d->type, q, d->number, q,
                     ctw_doc_status_name(d->status), d->reported, d->owner);
    if (n < 0 || (size_t)n >= cap) {
        buf[0] = '\0';
        return CTW_ELIMIT;
    }
    return n;
}

int ctw_synth_documents(uint64_t seed, size_t first, size_t count, ctw_line_fn fn, void *ud)
{
    if (!fn || first + count < first) return CTW_EINVAL;
    char line[128];
    for (size_t i = first; i < first + count; i++) {
        ctw_synth_doc d;
        ctw_synth_doc_at(seed, i, &d);
        int n = ctw_synth_doc_csv(&d, line, sizeof line);
        if (n < 0) return n;
        int rc = fn(ud, line, (size_t)n);
        if (rc != 0) return rc;
    }
    return 0;
}
