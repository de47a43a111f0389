/* tokens.c — a romanised name form split into name tokens.
 *
 *   "sheikh abd al rahman bin ali"  ─►  abdrahman  bin(particle)  ali
 *
 * Three word lists steer it; each is here so that a reviewer can read it.
 *
 * Honorifics and titles are dropped: they say how someone is addressed,
 * not who they are, and lists use them inconsistently. Words that are
 * also common given names or surnames stay (they are names far more often
 * than titles in sanctions data):
 *   kept: sayed/sayyid/syed, amir, emir, hafiz, mufti, sri, major is
 *   dropped (as a given name it is rare), imam dropped (mostly a title).
 * The word for "president" in the languages of the lists is dropped too:
 * lists and press write "President Putin", "Presidente Maduro".
 * If a name has nothing but such words, they are kept: the words are then
 * the only thing there is to match.
 *
 * Particles (al, bin, de, van ...) are kept and marked; the scorer gives
 * them little weight.
 *
 * Abd-names ("servant of"): abd / abdul / abdel / abdal / abdol / abdoul /
 * abdur / abdar / abdus + optional article + NAME, written apart or joined,
 * become the single token "abd" + NAME: "abd al rahman", "abdul rahman",
 * "abdulrahman", "abdurrahman", "abdelrahman" → "abdrahman". All spellings
 * of Abdullah (abdullah, abdallah, abdellah, abdulla, abd allah) become
 * "abdallah".
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>

#include "ctwatch/text.h"

static const char *const honorifics[] = {
    "mullah", "mulla", "maulvi", "moulvi", "molvi", "mawlawi", "mawlavi", "maulawi", "maulana", "mawlana",
    "haji", "hajji", "hadji", "alhaj", "alhaji", "alhajj", "haj", "hajj",
    "sheikh", "shaikh", "sheik", "shaykh", "sheykh", "cheikh", "shekh",
    "dr", "doctor", "mr", "mrs", "ms", "miss", "mme", "mlle", "prof", "professor",
    "general", "gen", "colonel", "col", "major", "maj", "captain", "capt", "lieutenant", "lt",
    "commander", "cmdr", "brigadier", "admiral", "sergeant", "sgt",
    "imam", "qari", "ayatollah", "ayatullah", "hojatoleslam", "hojjatoleslam", "hujjatulislam",
    "sir", "lord", "rev", "reverend", "father", "brother", "sister",
    "president", "presidente", "prasident", "praesident", "presiden", "presedintele", "predsjednik",
    "prezident", "prezydent", "elnok",
};

static const char *const particles[] = {
    "al", "el", "ul", "bin", "ibn", "ben", "bint", "binti", "abu", "abou", "umm", "um", "ould", "wuld",
    "de", "del", "della", "der", "den", "di", "da", "dos", "das", "do", "du", "la", "le", "van", "von",
    "y", "ter", "ten", "st", "san", "santa",
};

/* Abd- prefixes that, written apart, bind the next name; with the typing
 * slips of the word that lists and travellers make most ("adbul", "adb"). */
static const char *const abd_words[] = {
    "abd", "abdul", "abdel", "abdal", "abdol", "abdil", "abdoul", "abdur", "abdar", "abdus", "abdas",
    "adb", "adbul", "adbel", "adbal", "adbur",
};

/* Arabic articles as romanised, assimilated ones included (ar-Rahman). */
static const char *const articles[] = {
    "al", "el", "ul", "il", "ar", "ur", "er", "as", "us", "es", "ad", "ud", "ed", "an", "un", "en",
    "at", "ut", "et", "az", "uz", "ez", "ash", "ush", "adh", "ath", "ta", "aal",
};

/* Is w[0..n) a word of list? Every word of every name is asked about
 * several lists, and nearly all are in none: a table of the (first
 * letter, length) pairs each list holds, made once, answers most of them
 * without reading the list. */
enum { L_HONORIFICS, L_PARTICLES, L_ABD_WORDS, L_ARTICLES, L_COUNT };
static const struct {
    const char *const *w;
    size_t n;
} lists[L_COUNT] = {
#define LIST(a) { (a), sizeof(a) / sizeof((a)[0]) }
    [L_HONORIFICS] = LIST(honorifics), [L_PARTICLES] = LIST(particles),
    [L_ABD_WORDS] = LIST(abd_words), [L_ARTICLES] = LIST(articles),
#undef LIST
};
static uint32_t shapes[L_COUNT][26];   /* bit len of [first letter - 'a'], lengths 1-31 */
static pthread_once_t shapes_once = PTHREAD_ONCE_INIT;

static void shapes_build(void)
{
    for (int l = 0; l < L_COUNT; l++)
        for (size_t i = 0; i < lists[l].n; i++) {
            const char *x = lists[l].w[i];   /* a-z, shorter than 32 letters */
            shapes[l][x[0] - 'a'] |= 1u << strlen(x);
        }
}

static bool in_list(const char *w, size_t n, int l)
{
    pthread_once(&shapes_once, shapes_build);
    if (n == 0 || n >= 32 || w[0] < 'a' || w[0] > 'z' || !(shapes[l][w[0] - 'a'] & (1u << n))) return false;
    const char *const *list = lists[l].w;
    for (size_t i = 0; i < lists[l].n; i++)
        if (list[i][0] == w[0] && strncmp(list[i], w, n) == 0 && list[i][n] == '\0') return true;
    return false;
}
#define IN(w, n, list) in_list((w), (n), L_##list)

/* "lah", "llah", "la", "lla", "allah", "alla", "ullah", "ellah" ...: the
 * rest of an Abdullah spelling. */
static bool is_allah(const char *w, size_t n)
{
    size_t i = 0;
    if (n > 0 && strchr("aue", w[0]) && n >= 3 && w[1] == 'l') i = 1;
    if (i < n && w[i] == 'l') i++;
    if (i < n && w[i] == 'l') i++;
    if (i == 0 || w[i - 1] != 'l') return false;
    if (i < n && w[i] == 'a') i++; else return false;
    if (i < n && w[i] == 'h') i++;
    return i == n;
}

/* A joined abd-word ("abdulrahman") split into its NAME; false if the
 * word is not one (abdi, abdou, abdo and abd- words without a name). */
static bool split_joined_abd(const char *w, size_t n, const char **name, size_t *nlen)
{
    if (n < 5 || memcmp(w, "abd", 3) != 0) return false;
    size_t p = 3;
    /* connecting vowel: u, e, a, o, i, ou */
    size_t vstart = p;
    if (p + 1 < n && w[p] == 'o' && w[p + 1] == 'u') p += 2;
    else if (p < n && strchr("ueaoi", w[p])) p++;
    size_t after_v = p;
    /* abdul + lah / abdal + lah: Abdullah first, before "l" is taken as
     * the article. */
    if (is_allah(w + after_v, n - after_v) || (after_v < n && is_allah(w + after_v + 1, n - after_v - 1))) {
        *name = "allah";
        *nlen = 5;
        return true;
    }
    /* article "l" (abdul-rahman) or an assimilated sun letter doubled
     * (abdur-rahman, abdus-salam) */
    if (after_v > vstart && after_v < n) {
        char c = w[after_v];
        if (c == 'l' && n - after_v - 1 >= 3) {
            *name = w + after_v + 1;
            *nlen = n - after_v - 1;
            return true;
        }
        if (strchr("tdrzsn", c) && after_v + 1 < n && w[after_v + 1] == c && n - after_v - 1 >= 3) {
            *name = w + after_v + 1;
            *nlen = n - after_v - 1;
            return true;
        }
    }
    /* abdu-rahman, abdi-rahman (Somali), but not abdou/abdi/abdo alone */
    if (n - after_v >= 4 && after_v > vstart) {
        *name = w + after_v;
        *nlen = n - after_v;
        return true;
    }
    return false;
}

typedef struct word {
    const char *s;
    size_t n;
} word;

int ctw_text_name_tokens(const char *form, ctw_arena *a, ctw_name_token **out, size_t *n_out)
{
    word w[CTW_TEXT_MAX_TOKENS * 2];
    size_t nw = 0;
    *out = NULL;
    *n_out = 0;
    /* Words beyond twice the token cap cannot all survive; stop reading. */
    for (const char *p = form; *p && nw < sizeof w / sizeof w[0];) {
        while (*p == ' ') p++;
        if (!*p) break;
        const char *s = p;
        while (*p && *p != ' ') p++;
        w[nw++] = (word){ s, (size_t)(p - s) };
    }
    ctw_name_token *t = ctw_arena_alloc(a, CTW_TEXT_MAX_TOKENS * sizeof *t);
    if (!t) return CTW_ENOMEM;

    bool all_titles = true;
    for (size_t i = 0; i < nw; i++)
        if (!IN(w[i].s, w[i].n, HONORIFICS) && !IN(w[i].s, w[i].n, PARTICLES)) all_titles = false;

    size_t nt = 0;
    for (size_t i = 0; i < nw && nt < CTW_TEXT_MAX_TOKENS; i++) {
        const char *s = w[i].s;
        size_t n = w[i].n;
        if (!all_titles && IN(s, n, HONORIFICS)) continue;
        /* "al haj" / "el hadj": the article of a dropped title goes too. */
        if (!all_titles && (n == 2 && (memcmp(s, "al", 2) == 0 || memcmp(s, "el", 2) == 0)) && i + 1 < nw &&
            IN(w[i + 1].s, w[i + 1].n, HONORIFICS))
            continue;

        const char *name = NULL;
        size_t nlen = 0;
        if (IN(s, n, ABD_WORDS) && i + 1 < nw) {
            size_t j = i + 1;
            if (IN(w[j].s, w[j].n, ARTICLES) && j + 1 < nw) j++;
            name = w[j].s;
            nlen = w[j].n;
            /* "abdul lah", "abd allah" and "abd al lah" are Abdullah. */
            if (is_allah(name, nlen) || (j > i + 1 && is_allah(w[j - 1].s, w[j - 1].n))) {
                name = "allah";
                nlen = 5;
            }
            i = j;
        } else if (!split_joined_abd(s, n, &name, &nlen)) {
            name = NULL;
        }
        char *text;
        uint8_t kind;
        if (name) {
            if (is_allah(name, nlen)) { name = "allah"; nlen = 5; }
            text = ctw_arena_alloc(a, nlen + 4);
            if (!text) return CTW_ENOMEM;
            memcpy(text, "abd", 3);
            memcpy(text + 3, name, nlen);
            text[nlen + 3] = '\0';
            kind = CTW_TOKEN_NAME;
        } else {
            text = ctw_arena_strndup(a, s, n);
            if (!text) return CTW_ENOMEM;
            kind = IN(s, n, PARTICLES) ? CTW_TOKEN_PARTICLE
                   : n == 1 && s[0] >= 'a' && s[0] <= 'z' ? CTW_TOKEN_INITIAL
                   : CTW_TOKEN_NAME;
        }
        t[nt].text = text;
        t[nt].kind = kind;
        nt++;
    }
    *out = t;
    *n_out = nt;
    return 0;
}
