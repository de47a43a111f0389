/* record.c — building and freeing ctw_record (see record.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>
#include <unicode/uscript.h>
#include <unicode/utf8.h>

#include "ctwatch/country.h"
#include "ctwatch/error.h"
#include "ctwatch/record.h"

/* ---- enum names ---------------------------------------------------------- */

static const char *const kind_names[] = {"unknown", "person", "organisation", "vessel", "aircraft"};
static const char *const name_kind_names[] = {"primary", "alias-strong", "alias-weak", "original-script"};
static const char *const precision_names[] = {"exact", "month", "year", "range", "approx"};
static const char *const status_names[] = {"active", "removed"};
static const char *const restrict_names[] = {"all", "regions", "agencies", "all-except", "hit-only"};

#define NAME_OF(tab, v) ((unsigned)(v) < sizeof tab / sizeof tab[0] ? tab[v] : tab[0])

static int index_of(const char *const *tab, size_t n, const char *s)
{
    if (!s) return CTW_EINVAL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(tab[i], s) == 0) return (int)i;
    return CTW_EINVAL;
}
#define INDEX_OF(tab, s) index_of(tab, sizeof tab / sizeof tab[0], s)

const char *ctw_kind_name(ctw_kind k) { return NAME_OF(kind_names, k); }
ctw_kind ctw_kind_from_name(const char *s)
{
    int i = INDEX_OF(kind_names, s);
    if (i < 0 && s && strcmp(s, "organization") == 0) i = CTW_KIND_ORGANISATION;
    return i < 0 ? CTW_KIND_UNKNOWN : (ctw_kind)i;
}
const char *ctw_name_kind_name(ctw_name_kind k) { return NAME_OF(name_kind_names, k); }
int ctw_name_kind_from_name(const char *s) { return INDEX_OF(name_kind_names, s); }
const char *ctw_date_precision_name(ctw_date_precision p) { return NAME_OF(precision_names, p); }
int ctw_date_precision_from_name(const char *s) { return INDEX_OF(precision_names, s); }
const char *ctw_status_name(ctw_status s) { return NAME_OF(status_names, s); }
const char *ctw_restrict_kind_name(ctw_restrict_kind k) { return NAME_OF(restrict_names, k); }
int ctw_restrict_kind_from_name(const char *s) { return INDEX_OF(restrict_names, s); }

/* ---- life cycle ---------------------------------------------------------- */

ctw_record *ctw_record_new(ctw_kind kind)
{
    ctw_record *r = calloc(1, sizeof *r);
    if (!r) return NULL;
    ctw_arena_init(&r->arena);
    r->kind = kind;
    r->version = 1;
    return r;
}

void ctw_record_free(ctw_record *r)
{
    if (!r) return;
    free(r->names.v);
    free(r->birth_dates.v);
    free(r->birth_places.v);
    free(r->nationalities.v);
    free(r->identifiers.v);
    free(r->addresses.v);
    free(r->listings.v);
    free(r->attributes.v);
    ctw_arena_free(&r->arena);
    free(r);
}

const char *ctw_record_strn(ctw_record *r, const char *s, size_t n)
{
    if (!s) return NULL;
    while (n > 0 && isspace((unsigned char)*s)) s++, n--;
    while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
    if (n == 0) return NULL;
    return ctw_arena_strndup(&r->arena, s, n);
}

const char *ctw_record_str(ctw_record *r, const char *s)
{
    return s ? ctw_record_strn(r, s, strlen(s)) : NULL;
}

/* Append a zeroed element of size `size` to a CTW_ARRAY; NULL on failure. */
static void *array_push(void **v, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 4;
        if (ncap > SIZE_MAX / size) return NULL;
        void *nv = realloc(*v, ncap * size);
        if (!nv) return NULL;
        *v = nv;
        *cap = ncap;
    }
    void *slot = (char *)*v + *n * size;
    memset(slot, 0, size);
    (*n)++;
    return slot;
}

#define PUSH(arr) array_push((void **)&(arr).v, &(arr).n, &(arr).cap, sizeof *(arr).v)

ctw_name *ctw_record_add_name_slot(ctw_record *r) { return PUSH(r->names); }
ctw_date *ctw_record_add_birth_date(ctw_record *r) { return PUSH(r->birth_dates); }
ctw_place *ctw_record_add_birth_place(ctw_record *r) { return PUSH(r->birth_places); }
ctw_country_ref *ctw_record_add_nationality(ctw_record *r) { return PUSH(r->nationalities); }
ctw_identifier *ctw_record_add_identifier(ctw_record *r) { return PUSH(r->identifiers); }
ctw_address *ctw_record_add_address(ctw_record *r) { return PUSH(r->addresses); }
ctw_listing *ctw_record_add_listing(ctw_record *r) { return PUSH(r->listings); }
ctw_attribute *ctw_record_add_attribute(ctw_record *r) { return PUSH(r->attributes); }

/* Copy with runs of white space collapsed to one space, trimmed. */
static const char *collapse_space(ctw_record *r, const char *s)
{
    size_t n = strlen(s);
    char *out = ctw_arena_alloc(&r->arena, n + 1);
    if (!out) return NULL;
    size_t o = 0;
    bool space = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isspace(c)) {
            space = o > 0;
            continue;
        }
        if (space) out[o++] = ' ';
        space = false;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return o ? out : "";
}

int ctw_record_add_name(ctw_record *r, const char *full, ctw_name_kind kind, const char *quality)
{
    if (!full) return 0;
    const char *text = collapse_space(r, full);
    if (!text) return CTW_ENOMEM;
    if (!*text) return 0;
    for (size_t i = 0; i < r->names.n; i++)
        if (r->names.v[i].kind == kind && strcmp(r->names.v[i].full, text) == 0) return 0;
    ctw_name *n = ctw_record_add_name_slot(r);
    if (!n) return CTW_ENOMEM;
    n->full = text;
    n->kind = kind;
    n->script = ctw_script_of(text);
    n->quality = ctw_record_str(r, quality);
    return 0;
}

int ctw_record_add_nationality_coded(ctw_record *r, const char *text, const char *code)
{
    const char *t = ctw_record_str(r, text);
    if (!t) return 0;
    for (size_t i = 0; i < r->nationalities.n; i++) {
        const ctw_country_ref *c = &r->nationalities.v[i];
        if ((code && c->country && strcmp(code, c->country) == 0) ||
            (!code && !c->country && c->text && strcmp(c->text, t) == 0))
            return 0;
    }
    ctw_country_ref *c = ctw_record_add_nationality(r);
    if (!c) return CTW_ENOMEM;
    c->country = code;
    c->text = t;
    return 0;
}

int ctw_record_add_nationality_text(ctw_record *r, const char *text)
{
    return ctw_record_add_nationality_coded(r, text, text ? ctw_country_lookup(text) : NULL);
}

int ctw_record_add_attr(ctw_record *r, const char *key, const char *value)
{
    const char *v = ctw_record_str(r, value);
    if (!v) return 0;
    ctw_attribute *a = ctw_record_add_attribute(r);
    if (!a) return CTW_ENOMEM;
    a->key = ctw_record_str(r, key);
    a->value = v;
    return a->key ? 0 : CTW_ENOMEM;
}

const char *ctw_record_display_name(const ctw_record *r)
{
    for (size_t i = 0; i < r->names.n; i++)
        if (r->names.v[i].kind == CTW_NAME_PRIMARY) return r->names.v[i].full;
    return r->names.n ? r->names.v[0].full : "";
}

/* ---- dates --------------------------------------------------------------- */

static const char *const months[] = {"jan", "feb", "mar", "apr", "may", "jun",
                                     "jul", "aug", "sep", "oct", "nov", "dec"};

static int month_of(const char *s, size_t n)
{
    if (n < 3) return 0;
    for (int i = 0; i < 12; i++)
        if (strncasecmp(s, months[i], 3) == 0) return i + 1;
    return 0;
}

static bool valid_ymd(int y, int m, int d)
{
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1000 || y > 2999) return false;
    if (m == 0) return d == 0;
    if (m < 1 || m > 12) return false;
    if (d == 0) return true;
    if (d < 1 || d > mdays[m - 1]) return false;
    if (m == 2 && d == 29 && !((y % 4 == 0 && y % 100 != 0) || y % 400 == 0)) return false;
    return true;
}

int ctw_record_parse_date(ctw_record *r, const char *text, ctw_date *d)
{
    memset(d, 0, sizeof *d);
    const char *t = ctw_record_str(r, text);
    if (!t) return CTW_EINVAL;
    int y = 0, m = 0, day = 0, len = 0;
    char mon[16];
    size_t tl = strlen(t);
    if (sscanf(t, "%4d-%2d-%2d%n", &y, &m, &day, &len) == 3 && (size_t)len == tl) {
    } else if ((y = m = day = 0, sscanf(t, "%4d-%2d%n", &y, &m, &len) == 2 && (size_t)len == tl)) {
    } else if ((y = m = day = 0, sscanf(t, "%4d/%2d/%2d%n", &y, &m, &day, &len) == 3 && (size_t)len == tl)) {
    } else if ((y = m = day = 0, sscanf(t, "%2d/%2d/%4d%n", &day, &m, &y, &len) == 3 && (size_t)len == tl)) {
    } else if ((y = m = day = 0, sscanf(t, "%2d.%2d.%4d%n", &day, &m, &y, &len) == 3 && (size_t)len == tl)) {
    } else if ((y = m = day = 0, sscanf(t, "%2d %15[A-Za-z] %4d%n", &day, mon, &y, &len) == 3 &&
                (size_t)len == tl && (m = month_of(mon, strlen(mon))) > 0)) {
    } else if ((y = m = day = 0, sscanf(t, "%15[A-Za-z] %4d%n", mon, &y, &len) == 2 &&
                (size_t)len == tl && (m = month_of(mon, strlen(mon))) > 0)) {
    } else if ((y = m = day = 0, sscanf(t, "%4d%n", &y, &len) == 1 && (size_t)len == tl && len == 4)) {
    } else {
        d->text = t;
        return CTW_EINVAL;
    }
    if (!valid_ymd(y, m, day)) {
        d->text = t;
        return CTW_EINVAL;
    }
    if (day) {
        d->precision = CTW_DATE_EXACT;
        d->from = ctw_arena_printf(&r->arena, "%04d-%02d-%02d", y, m, day);
    } else if (m) {
        d->precision = CTW_DATE_MONTH;
        d->from = ctw_arena_printf(&r->arena, "%04d-%02d", y, m);
    } else {
        d->precision = CTW_DATE_YEAR;
        d->from = ctw_arena_printf(&r->arena, "%04d", y);
    }
    return d->from ? 0 : CTW_ENOMEM;
}

/* ---- identity ------------------------------------------------------------ */

int ctw_record_make_id(ctw_record *r)
{
    if (!r->source || !r->source_id) return CTW_EINVAL;
    crypto_generichash_state st;
    unsigned char h[16];
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    crypto_generichash_update(&st, (const unsigned char *)r->source, strlen(r->source) + 1);
    crypto_generichash_update(&st, (const unsigned char *)r->source_id, strlen(r->source_id));
    crypto_generichash_final(&st, h, sizeof h);
    char hex[33];
    sodium_bin2hex(hex, sizeof hex, h, sizeof h);
    hex[20] = '\0';
    r->id = ctw_arena_printf(&r->arena, "ctw-%s", hex);
    return r->id ? 0 : CTW_ENOMEM;
}

const char *ctw_script_of(const char *utf8)
{
    int counts[USCRIPT_CODE_LIMIT > 256 ? 256 : USCRIPT_CODE_LIMIT];
    const int ncounts = (int)(sizeof counts / sizeof counts[0]);
    int lo = ncounts, hi = -1;   /* the scripts seen lie in [lo, hi]: only those are counted */
    memset(counts, 0, sizeof counts);
    int32_t i = 0, len = (int32_t)strlen(utf8);
    while (i < len) {
        UChar32 c;
        U8_NEXT(utf8, i, len, c);
        if (c < 0) continue;
        int sc;
        if (c < 0x80) {   /* what ICU says of ASCII, without asking it: letters Latin, the rest Common */
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) continue;
            sc = USCRIPT_LATIN;
        } else {
            UErrorCode ec = U_ZERO_ERROR;
            sc = uscript_getScript(c, &ec);
            if (U_FAILURE(ec) || sc == USCRIPT_COMMON || sc == USCRIPT_INHERITED || sc < 0 || sc >= ncounts)
                continue;
        }
        counts[sc]++;
        if (sc < lo) lo = sc;
        if (sc > hi) hi = sc;
    }
    int best = -1;
    for (int s = lo; s <= hi; s++)
        if (counts[s] > 0 && (best < 0 || counts[s] > counts[best])) best = s;
    if (best < 0) return "Zyyy";
    /* Chinese characters report Han; Japanese kana and Korean hangul their own. */
    const char *code = uscript_getShortName((UScriptCode)best);
    return code ? code : "Zyyy";
}
