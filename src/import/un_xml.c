/* un_xml.c — reader of the UN Security Council Consolidated List (XML).
 *
 * The list as published at scsanctions.un.org (only what we read is shown;
 * every element may be empty or absent, most may repeat):
 *
 *   CONSOLIDATED_LIST dateGenerated="2026-02-27T..."
 *   ├── INDIVIDUALS
 *   │   └── INDIVIDUAL *
 *   │       ├── DATAID                      UN internal id, used in messages only
 *   │       ├── FIRST_NAME SECOND_NAME THIRD_NAME FOURTH_NAME
 *   │       ├── NAME_ORIGINAL_SCRIPT
 *   │       ├── UN_LIST_TYPE                "Al-Qaida", "DPRK", ...  -> listing program
 *   │       ├── REFERENCE_NUMBER            "QDi.430"  (required)    -> source_id
 *   │       ├── LISTED_ON                   YYYY-MM-DD
 *   │       ├── GENDER                      "Male" | "Female"
 *   │       ├── COMMENTS1                   free text               -> remarks
 *   │       ├── TITLE/VALUE *  DESIGNATION/VALUE *  NATIONALITY/VALUE *
 *   │       ├── INDIVIDUAL_ALIAS *          QUALITY ("Good", "Low", "a.k.a.",
 *   │       │                               "f.k.a."), ALIAS_NAME, NOTE,
 *   │       │                               DATE_OF_BIRTH, CITY_OF_BIRTH, COUNTRY_OF_BIRTH
 *   │       ├── INDIVIDUAL_ADDRESS *        STREET CITY STATE_PROVINCE ZIP_CODE COUNTRY NOTE
 *   │       ├── INDIVIDUAL_DATE_OF_BIRTH *  TYPE_OF_DATE (EXACT | APPROXIMATELY | BETWEEN)
 *   │       │                               and DATE (YYYY-MM-DD) | YEAR | FROM_YEAR+TO_YEAR,
 *   │       │                               NOTE ("Nov. 1973", "Approximately", ...)
 *   │       ├── INDIVIDUAL_PLACE_OF_BIRTH * STREET CITY STATE_PROVINCE COUNTRY NOTE
 *   │       └── INDIVIDUAL_DOCUMENT *       TYPE_OF_DOCUMENT TYPE_OF_DOCUMENT2 NUMBER
 *   │                                       ISSUING_COUNTRY COUNTRY_OF_ISSUE DATE_OF_ISSUE
 *   │                                       CITY_OF_ISSUE NOTE
 *   └── ENTITIES
 *       └── ENTITY *
 *           ├── DATAID FIRST_NAME NAME_ORIGINAL_SCRIPT UN_LIST_TYPE REFERENCE_NUMBER
 *           │   LISTED_ON COMMENTS1
 *           ├── ENTITY_ALIAS *              QUALITY ALIAS_NAME NOTE
 *           └── ENTITY_ADDRESS *            as INDIVIDUAL_ADDRESS
 *
 * The file is parsed into a tree (libxml2) with the network and entity
 * substitution off; the text of an element is only its text and CDATA
 * children, so an entity reference never contributes content even if a
 * future libxml2 were to resolve it. Records go to the sink one by one in
 * document order.
 */
#include <ctype.h>
#include <limits.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>

#include "ctwatch/country.h"
#include "ctwatch/error.h"
#include "ctwatch/import.h"
#include "ctwatch/record.h"

#define UN_ROOT "CONSOLIDATED_LIST"

/* What one read carries around. `rc` is sticky: helpers that fail set it
 * (with err) and return NULL, and the record is abandoned once it is built.
 * That keeps the field-by-field code free of error plumbing. */
typedef struct un_ctx {
    const char *name;      /* input name for messages */
    ctw_error *err;
    ctw_record *rec;       /* the record being built */
    const char *label;     /* "INDIVIDUAL #12 (DATAID 6907993)" */
    long line;             /* line of the element being built */
    int rc;
    /* first error libxml2 reported, copied out of its callback */
    bool xml_failed;
    int xml_code;
    int xml_line;
    char xml_msg[256];
} un_ctx;

static int fail(un_ctx *c, int code, const char *fmt, const char *detail)
{
    if (c->rc) return c->rc;  /* keep the first fault, it is the cause */
    char where[256];
    snprintf(where, sizeof where, "%s:%ld", c->name, c->line);
    c->rc = ctw_error_set(c->err, code, where, fmt, c->label, detail ? detail : "");
    return c->rc;
}

static void oom(un_ctx *c)
{
    fail(c, CTW_ENOMEM, "%s: out of memory%s", NULL);
}

/* ---- tree helpers --------------------------------------------------------- */

static bool is_el(const xmlNode *n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && xmlStrEqual(n->name, (const xmlChar *)name);
}

static xmlNode *child(const xmlNode *parent, const char *name)
{
    for (xmlNode *n = parent ? parent->children : NULL; n; n = n->next)
        if (is_el(n, name)) return n;
    return NULL;
}

static bool is_ws(unsigned char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

/* The text of an element, copied into the record's arena: only its own
 * text and CDATA children (never entity references, never grandchildren),
 * trimmed, and with white-space runs folded to one space unless keep_lines.
 * NULL when absent or blank, or on failure (then c->rc is set). */
static const char *text_of(un_ctx *c, const xmlNode *el, bool keep_lines)
{
    if (!el || c->rc) return NULL;
    size_t total = 0;
    for (const xmlNode *n = el->children; n; n = n->next) {
        if ((n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE) || !n->content)
            continue;
        size_t len = strlen((const char *)n->content);
        if (len > CTW_IMPORT_MAX_FIELD || total + len > CTW_IMPORT_MAX_FIELD) {
            fail(c, CTW_ELIMIT, "%s: element %s is longer than 65536 bytes", (const char *)el->name);
            return NULL;
        }
        total += len;
    }
    if (total == 0) return NULL;
    char *out = ctw_arena_alloc(&c->rec->arena, total + 1);
    if (!out) {
        oom(c);
        return NULL;
    }
    size_t o = 0;
    bool pending_space = false;
    for (const xmlNode *n = el->children; n; n = n->next) {
        if ((n->type != XML_TEXT_NODE && n->type != XML_CDATA_SECTION_NODE) || !n->content)
            continue;
        for (const unsigned char *p = n->content; *p; p++) {
            if (is_ws(*p) && !keep_lines) {
                pending_space = o > 0;
                continue;
            }
            if (pending_space) out[o++] = ' ';
            pending_space = false;
            out[o++] = (char)*p;
        }
    }
    while (o > 0 && is_ws((unsigned char)out[o - 1])) o--;
    out[o] = '\0';
    size_t lead = 0;
    while (lead < o && is_ws((unsigned char)out[lead])) lead++;
    return lead < o ? out + lead : NULL;
}

static const char *field(un_ctx *c, const xmlNode *parent, const char *name)
{
    return text_of(c, child(parent, name), false);
}

/* parts joined by sep into the arena, skipping NULLs and a part equal to
 * the one before it ("al-Awja, near Tikrit" given as street and city). */
static const char *join(un_ctx *c, const char *sep, const char *const *parts, size_t n)
{
    if (c->rc) return NULL;
    size_t total = 0, seplen = strlen(sep);
    for (size_t i = 0; i < n; i++)
        if (parts[i]) total += strlen(parts[i]) + seplen;
    if (total == 0) return NULL;
    char *out = ctw_arena_alloc(&c->rec->arena, total + 1);
    if (!out) {
        oom(c);
        return NULL;
    }
    size_t o = 0;
    const char *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        if (!parts[i] || (prev && strcmp(prev, parts[i]) == 0)) continue;
        if (o) {
            memcpy(out + o, sep, seplen);
            o += seplen;
        }
        size_t len = strlen(parts[i]);
        memcpy(out + o, parts[i], len);
        o += len;
        prev = parts[i];
    }
    out[o] = '\0';
    return out;
}

static bool same(const char *a, const char *b)
{
    return a == b || (a && b && strcmp(a, b) == 0);
}

/* Case-insensitive "does s contain word" (ASCII). */
static bool has(const char *s, const char *word)
{
    return s && strcasestr(s, word) != NULL;
}

/* ---- names ---------------------------------------------------------------- */

static void add_name(un_ctx *c, const char *full, ctw_name_kind kind, const char *quality)
{
    if (c->rc || !full) return;
    if (ctw_record_add_name(c->rec, full, kind, quality) != 0) oom(c);
}

/* Index just past the last element of s[0..n) that closes a final "( ... )"
 * group, and the group's opening index; false if s does not end with one. */
static bool final_group(const char *s, size_t n, size_t *open)
{
    if (n == 0 || s[n - 1] != ')') return false;
    int depth = 0;
    for (size_t i = n; i-- > 0;) {
        if (s[i] == ')') depth++;
        else if (s[i] == '(' && --depth == 0) {
            *open = i;
            return true;
        }
    }
    return false;
}

/* True if s[0..n) has a ';' outside parentheses. */
static bool has_top_semicolon(const char *s, size_t n)
{
    int depth = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '(') depth++;
        else if (s[i] == ')' && depth > 0) depth--;
        else if (s[i] == ';' && depth == 0) return true;
    }
    return false;
}

static void add_alias_part(un_ctx *c, const char *s, size_t n, ctw_name_kind kind,
                           const char *quality, int depth);

/* One alias text, which the UN sometimes uses for several spellings:
 *   "Azim Adhajani; Azim Agha-Jani"
 *   "حسن غول (Hassan Ghul; Hassan Gul; Hasan Gul)"
 *   "Mohammed Sabet; Mohammad Sabet b) M. Javad Kareemi Sabet; ..."
 * Only a ';' marks a list; commas belong to names ("AWEYS, Sheikh"), so a
 * text without ';' is kept whole. */
static void add_alias_list(un_ctx *c, const char *s, size_t n, ctw_name_kind kind,
                           const char *quality, int depth)
{
    int pd = 0;
    size_t start = 0;
    for (size_t i = 0; i <= n && !c->rc; i++) {
        bool cut = false;
        size_t next = i + 1;
        if (i == n) {
            cut = true;
        } else if (s[i] == '(') {
            pd++;
        } else if (s[i] == ')' && pd > 0) {
            pd--;
        } else if (pd == 0 && s[i] == ';') {
            cut = true;
        } else if (pd == 0 && i + 3 < n && s[i] == ' ' && islower((unsigned char)s[i + 1]) &&
                   s[i + 2] == ')' && s[i + 3] == ' ') {
            /* an enumeration "b) " inside a list starts a new name */
            cut = true;
            next = i + 4;
        }
        if (!cut) continue;
        add_alias_part(c, s + start, i - start, kind, quality, depth);
        start = next;
        i = next - 1;
    }
}

static void add_alias_part(un_ctx *c, const char *s, size_t n, ctw_name_kind kind,
                           const char *quality, int depth)
{
    while (n > 0 && is_ws((unsigned char)*s)) s++, n--;
    while (n > 0 && is_ws((unsigned char)s[n - 1])) n--;
    /* a leading enumeration "a) " */
    if (n > 3 && islower((unsigned char)s[0]) && s[1] == ')' && s[2] == ' ') s += 3, n -= 3;
    if (n == 0) return;
    size_t open;
    if (depth < 2 && final_group(s, n, &open) && has_top_semicolon(s + open + 1, n - open - 2)) {
        add_alias_part(c, s, open, kind, quality, depth + 1);
        add_alias_list(c, s + open + 1, n - open - 2, kind, quality, depth + 1);
        return;
    }
    static const char tag[] = "(original script)";
    size_t tl = sizeof tag - 1;
    if (n > tl && strncasecmp(s + n - tl, tag, tl) == 0) n -= tl;
    const char *copy = ctw_record_strn(c->rec, s, n);
    if (!copy) {
        while (n > 0 && isspace((unsigned char)s[n - 1])) n--;
        while (n > 0 && isspace((unsigned char)*s)) s++, n--;
        if (n > 0) oom(c);
        return;
    }
    add_name(c, copy, kind, quality);
}

static void read_alias(un_ctx *c, const xmlNode *al)
{
    const char *name = field(c, al, "ALIAS_NAME");
    if (!name) return;
    const char *quality = field(c, al, "QUALITY");
    ctw_name_kind kind = CTW_NAME_ALIAS_WEAK;
    if (quality && (strcasecmp(quality, "Good") == 0 || strcasecmp(quality, "a.k.a.") == 0))
        kind = CTW_NAME_ALIAS_STRONG;
    if (has_top_semicolon(name, strlen(name)) ||
        (name[0] && name[strlen(name) - 1] == ')' && strchr(name, ';')))
        add_alias_list(c, name, strlen(name), kind, quality, 0);
    else
        add_name(c, name, kind, quality);
}

/* The primary name from FIRST_NAME .. FOURTH_NAME. The UN writes given
 * name first and the family or tribal name last; the names between are
 * kept as `middle` (often father's and grandfather's names, which the
 * source does not label, so they are not called patronymic here). */
static void read_primary(un_ctx *c, const xmlNode *el, bool person)
{
    const char *p[4] = {
        field(c, el, "FIRST_NAME"),
        person ? field(c, el, "SECOND_NAME") : NULL,
        person ? field(c, el, "THIRD_NAME") : NULL,
        person ? field(c, el, "FOURTH_NAME") : NULL,
    };
    const char *full = join(c, " ", p, 4);
    if (!full) return;
    size_t before = c->rec->names.n;
    add_name(c, full, CTW_NAME_PRIMARY, NULL);
    if (c->rc || c->rec->names.n == before || !person) return;
    ctw_name *nm = &c->rec->names.v[c->rec->names.n - 1];
    int last = -1, nparts = 0;
    for (int i = 0; i < 4; i++)
        if (p[i]) last = i, nparts++;
    if (nparts < 2) return;
    int first = p[0] ? 0 : -1;
    for (int i = 0; first < 0 && i < 4; i++)
        if (p[i]) first = i;
    const char *mid[4] = {0};
    for (int i = first + 1; i < last; i++) mid[i] = p[i];
    nm->given = p[first];
    nm->family = p[last];
    nm->middle = join(c, " ", mid, 4);
}

/* ---- dates and places ----------------------------------------------------- */

static void push_date(un_ctx *c, const ctw_date *d)
{
    if (c->rc || (!d->from && !d->text)) return;
    for (size_t i = 0; i < c->rec->birth_dates.n; i++) {
        const ctw_date *o = &c->rec->birth_dates.v[i];
        if (o->precision == d->precision && same(o->from, d->from) && same(o->to, d->to) &&
            (d->from || same(o->text, d->text)))
            return;
    }
    ctw_date *slot = ctw_record_add_birth_date(c->rec);
    if (!slot) {
        oom(c);
        return;
    }
    *slot = *d;
}

/* A date string through ctw_record_parse_date, after dropping the dots
 * the UN puts after month abbreviations ("Nov. 1973"). On no parse, d
 * holds the raw text with from == NULL. */
static void parse_date(un_ctx *c, const char *text, ctw_date *d)
{
    memset(d, 0, sizeof *d);
    if (!text || c->rc) return;
    size_t n = strlen(text);
    char buf[64];
    if (n < sizeof buf && strchr(text, '.')) {
        size_t o = 0;
        for (size_t i = 0; i < n; i++)
            if (text[i] != '.') buf[o++] = text[i];
        buf[o] = '\0';
        if (ctw_record_parse_date(c->rec, buf, d) == 0) {
            d->text = text;
            return;
        }
    }
    if (ctw_record_parse_date(c->rec, text, d) != 0) {
        memset(d, 0, sizeof *d);
        d->text = text;  /* parse_date's copy may be missing on ENOMEM; ours is in the arena */
    }
}

static const char *year_of(un_ctx *c, const xmlNode *el, const char *name)
{
    ctw_date d;
    parse_date(c, field(c, el, name), &d);
    return d.from;
}

static void read_dob(un_ctx *c, const xmlNode *el)
{
    const char *type = field(c, el, "TYPE_OF_DATE");
    const char *date = field(c, el, "DATE");
    const char *year = field(c, el, "YEAR");
    const char *note = field(c, el, "NOTE");
    const char *from_year = field(c, el, "FROM_YEAR");
    const char *to_year = field(c, el, "TO_YEAR");
    ctw_date d = {0};
    if ((type && strcasecmp(type, "BETWEEN") == 0) || (from_year && to_year)) {
        d.precision = CTW_DATE_RANGE;
        d.from = year_of(c, el, "FROM_YEAR");
        d.to = year_of(c, el, "TO_YEAR");
        if (!d.from || !d.to) {
            /* not two clean years: keep what was written */
            const char *raw[3] = {from_year, to_year, note};
            d = (ctw_date){.precision = CTW_DATE_RANGE, .text = join(c, " - ", raw, 3)};
        } else {
            d.text = note;
        }
        push_date(c, &d);
        return;
    }
    parse_date(c, date ? date : year ? year : note, &d);
    if (note) d.text = note;
    if (type && strcasecmp(type, "APPROXIMATELY") == 0) d.precision = CTW_DATE_APPROX;
    push_date(c, &d);
}

static void push_place(un_ctx *c, const char *place, const char *country_text)
{
    if (c->rc || (!place && !country_text)) return;
    const char *country = country_text ? ctw_country_lookup(country_text) : NULL;
    for (size_t i = 0; i < c->rec->birth_places.n; i++) {
        const ctw_place *o = &c->rec->birth_places.v[i];
        if (same(o->place, place) && same(o->country, country)) return;
    }
    ctw_place *p = ctw_record_add_birth_place(c->rec);
    if (!p) {
        oom(c);
        return;
    }
    p->place = place;
    p->country = country;
}

static void read_pob(un_ctx *c, const xmlNode *el)
{
    const char *country = field(c, el, "COUNTRY");
    const char *parts[5] = {
        field(c, el, "STREET"), field(c, el, "CITY"), field(c, el, "STATE_PROVINCE"),
        country, field(c, el, "NOTE"),
    };
    push_place(c, join(c, ", ", parts, 5), country);
}

/* Birth data the UN attaches to an alias (the DOB on a false passport). */
static void read_alias_birth(un_ctx *c, const xmlNode *al)
{
    const char *dob = field(c, al, "DATE_OF_BIRTH");
    if (dob) {
        ctw_date d;
        parse_date(c, dob, &d);
        push_date(c, &d);
    }
    const char *country = field(c, al, "COUNTRY_OF_BIRTH");
    const char *parts[2] = {field(c, al, "CITY_OF_BIRTH"), country};
    push_place(c, join(c, ", ", parts, 2), country);
}

/* ---- documents and addresses ---------------------------------------------- */

static const char *doc_type(const char *t)
{
    if (!t) return NULL;
    if (has(t, "passport") || has(t, "passeport") || has(t, "pasaporte")) return "passport";
    if (has(t, "national identi") || has(t, "identity card") || has(t, "id card") ||
        has(t, "identification card") || has(t, "identity number") ||
        has(t, "national id"))
        return "national-id";
    return NULL;
}

static void read_document(un_ctx *c, const xmlNode *el)
{
    const char *number = field(c, el, "NUMBER");
    if (!number) return;
    const char *t1 = field(c, el, "TYPE_OF_DOCUMENT");
    const char *t2 = field(c, el, "TYPE_OF_DOCUMENT2");
    const char *type = doc_type(t1);
    if (!type) type = doc_type(t2);
    const char *country_text = field(c, el, "ISSUING_COUNTRY");
    if (!country_text) country_text = field(c, el, "COUNTRY_OF_ISSUE");
    const char *issued_text = field(c, el, "DATE_OF_ISSUE");
    const char *city = field(c, el, "CITY_OF_ISSUE");
    ctw_date issued;
    parse_date(c, issued_text, &issued);
    const char *notes[6] = {
        type ? NULL : t1, t2 && !same(doc_type(t2), type) ? t2 : NULL,
        country_text && !ctw_country_lookup(country_text) ? country_text : NULL,
        city, issued.from ? NULL : issued_text, field(c, el, "NOTE"),
    };
    const char *note = join(c, "; ", notes, 6);
    if (c->rc) return;
    /* The list repeats some documents word for word (KPi.006 lists one
     * passport three times); one document is one identifier. */
    const char *code = country_text ? ctw_country_lookup(country_text) : NULL;
    for (size_t i = 0; i < c->rec->identifiers.n; i++) {
        ctw_identifier *prev = &c->rec->identifiers.v[i];
        if (strcmp(prev->number, number) == 0 && strcmp(prev->type, type ? type : "other") == 0 &&
            (prev->country == code || (prev->country && code && strcmp(prev->country, code) == 0))) {
            if (!prev->note) prev->note = note;
            if (!prev->issued) prev->issued = issued.from;
            return;
        }
    }
    ctw_identifier *id = ctw_record_add_identifier(c->rec);
    if (!id) {
        oom(c);
        return;
    }
    id->type = type ? type : "other";
    id->number = number;
    id->country = code;
    id->issued = issued.from;
    id->note = note;
}

static void read_address(un_ctx *c, const xmlNode *el)
{
    const char *street = field(c, el, "STREET"), *city = field(c, el, "CITY");
    const char *region = field(c, el, "STATE_PROVINCE"), *zip = field(c, el, "ZIP_CODE");
    const char *country = field(c, el, "COUNTRY"), *note = field(c, el, "NOTE");
    const char *parts[5] = {street, city, region, zip, country};
    /* Many addresses are written only in NOTE ("Branch Office 2: Peshawar,
     * ..."); then the note is the address. */
    const char *full = join(c, ", ", parts, 5);
    if (!full) full = note;
    if (!full || c->rc) return;
    ctw_address *a = ctw_record_add_address(c->rec);
    if (!a) {
        oom(c);
        return;
    }
    a->full = full;
    a->street = street;
    a->city = city;
    a->region = region;
    a->postal_code = zip;
    a->country = country ? ctw_country_lookup(country) : NULL;
    a->note = note;
}

static void read_values(un_ctx *c, const xmlNode *el, const char *key)
{
    for (const xmlNode *v = el->children; v && !c->rc; v = v->next) {
        if (!is_el(v, "VALUE")) continue;
        const char *s = text_of(c, v, false);
        if (!s) continue;
        int rc = key ? ctw_record_add_attr(c->rec, key, s) : ctw_record_add_nationality_text(c->rec, s);
        if (rc) oom(c);
    }
}

/* ---- one record ----------------------------------------------------------- */

static int read_subject(un_ctx *c, const xmlNode *el, bool person, size_t index,
                        ctw_record_sink sink, void *ud)
{
    char label[160];
    c->rec = ctw_record_new(person ? CTW_KIND_PERSON : CTW_KIND_ORGANISATION);
    c->line = xmlGetLineNo(el);
    c->label = person ? "INDIVIDUAL" : "ENTITY";
    if (!c->rec) {
        oom(c);
        return c->rc;
    }
    ctw_record *r = c->rec;
    const char *dataid = field(c, el, "DATAID");
    snprintf(label, sizeof label, "%s #%zu%s%.64s%s", person ? "INDIVIDUAL" : "ENTITY", index,
             dataid ? " (DATAID " : "", dataid ? dataid : "", dataid ? ")" : "");
    c->label = label;

    r->source_id = field(c, el, "REFERENCE_NUMBER");
    if (!r->source_id) {
        fail(c, CTW_EPARSE, "%s: no REFERENCE_NUMBER%s", NULL);
        goto out_free;
    }
    read_primary(c, el, person);
    add_name(c, field(c, el, "NAME_ORIGINAL_SCRIPT"), CTW_NAME_ORIGINAL, NULL);

    const char *gender = field(c, el, "GENDER");
    if (gender && strcasecmp(gender, "male") == 0) r->gender = "male";
    else if (gender && strcasecmp(gender, "female") == 0) r->gender = "female";
    r->remarks = text_of(c, child(el, "COMMENTS1"), true);

    for (const xmlNode *n = el->children; n && !c->rc; n = n->next) {
        if (n->type != XML_ELEMENT_NODE) continue;
        if (is_el(n, "INDIVIDUAL_ALIAS") || is_el(n, "ENTITY_ALIAS")) {
            read_alias(c, n);
        } else if (is_el(n, "INDIVIDUAL_ADDRESS") || is_el(n, "ENTITY_ADDRESS")) {
            read_address(c, n);
        } else if (is_el(n, "INDIVIDUAL_DATE_OF_BIRTH")) {
            read_dob(c, n);
        } else if (is_el(n, "INDIVIDUAL_PLACE_OF_BIRTH")) {
            read_pob(c, n);
        } else if (is_el(n, "INDIVIDUAL_DOCUMENT")) {
            read_document(c, n);
        } else if (is_el(n, "NATIONALITY")) {
            read_values(c, n, NULL);
        } else if (is_el(n, "DESIGNATION")) {
            read_values(c, n, "designation");
        } else if (is_el(n, "TITLE")) {
            read_values(c, n, "title");
        }
    }

    /* after the record's own birth data, so that comes first */
    for (const xmlNode *n = el->children; n && !c->rc; n = n->next)
        if (is_el(n, "INDIVIDUAL_ALIAS")) read_alias_birth(c, n);

    if (!c->rc) {
        ctw_date listed;
        parse_date(c, field(c, el, "LISTED_ON"), &listed);
        ctw_listing *l = ctw_record_add_listing(r);
        if (!l) {
            oom(c);
        } else {
            l->kind = "un-sc-sanctions-listing";
            l->authority = "UN Security Council";
            l->program = field(c, el, "UN_LIST_TYPE");
            l->reference = r->source_id;
            l->listed_on = listed.from;
            l->action = "asset freeze, travel ban, arms embargo";
            l->status = "published";
        }
    }
    if (c->rc) goto out_free;

    c->rec = NULL;
    c->label = "document";
    return sink(ud, r);  /* the sink owns r from here, whatever it returns */

out_free:
    ctw_record_free(r);
    c->rec = NULL;
    c->label = "document";
    return c->rc;
}

/* ---- the document --------------------------------------------------------- */

/* libxml2 calls this for each fault of this parse only (it is set on the
 * parser context's own SAX handler, not globally). The first fatal error
 * is the one that explains a broken file. */
static void on_xml_error(void *ud, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = ud;
    un_ctx *c = ctxt ? ctxt->_private : NULL;
    if (!c || !e || c->xml_failed || e->level < XML_ERR_ERROR) return;
    c->xml_failed = true;
    c->xml_code = e->code;
    c->xml_line = e->line;
    snprintf(c->xml_msg, sizeof c->xml_msg, "%s", e->message ? e->message : "unknown error");
    size_t n = strlen(c->xml_msg);
    while (n > 0 && is_ws((unsigned char)c->xml_msg[n - 1])) c->xml_msg[--n] = '\0';
}

static pthread_once_t xml_once = PTHREAD_ONCE_INIT;
static void xml_init(void) { xmlInitParser(); }

int ctw_un_xml_read_mem(const char *buf, size_t len, const char *name,
                        ctw_record_sink sink, void *ud, ctw_error *err)
{
    if (!name) name = "<memory>";
    if (!sink || (!buf && len)) return ctw_error_set(err, CTW_EINVAL, name, "no input or no sink");
    if (len > CTW_IMPORT_MAX_FILE || len > INT_MAX)
        return ctw_error_set(err, CTW_ELIMIT, name, "file is larger than %u bytes",
                             CTW_IMPORT_MAX_FILE);
    pthread_once(&xml_once, xml_init);

    un_ctx c = {.name = name, .err = err, .label = "document"};
    int rc = 0;
    xmlDocPtr doc = NULL;
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    if (!ctxt) return ctw_error_set(err, CTW_ENOMEM, name, "out of memory");
    ctxt->_private = &c;
    ctxt->sax->serror = on_xml_error;
    /* No NOENT (no entity substitution), no DTDLOAD/DTDVALID (no external
     * subset), NONET (no fetching), BIG_LINES (line numbers past 65535 for
     * messages). No HUGE: libxml2's size limits stay on. */
    int opts = XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_BIG_LINES;
    doc = xmlCtxtReadMemory(ctxt, buf ? buf : "", (int)len, name, NULL, opts);
    if (!doc || c.xml_failed) {
        const xmlError *e = xmlCtxtGetLastError(ctxt);
        if (!c.xml_failed && e && e->code != XML_ERR_OK) on_xml_error(ctxt, (xmlErrorPtr)e);
        char where[256];
        snprintf(where, sizeof where, "%s:%d", name, c.xml_failed ? c.xml_line : 0);
        if (c.xml_code == XML_ERR_NO_MEMORY)
            rc = ctw_error_set(err, CTW_ENOMEM, where, "out of memory while parsing XML");
        else
            rc = ctw_error_set(err, CTW_EPARSE, where, "XML not well-formed: %s",
                               c.xml_failed ? c.xml_msg : "empty or unreadable document");
        goto out;
    }

    xmlNode *root = xmlDocGetRootElement(doc);
    if (!is_el(root, UN_ROOT)) {
        char where[256];
        snprintf(where, sizeof where, "%s:%ld", name, root ? xmlGetLineNo(root) : 0L);
        rc = ctw_error_set(err, CTW_EPARSE, where,
                           "not a UN Consolidated List: root element is <%.64s>, expected <" UN_ROOT ">",
                           root ? (const char *)root->name : "(none)");
        goto out;
    }

    size_t n_ind = 0, n_ent = 0;
    for (xmlNode *group = root->children; group && !rc; group = group->next) {
        bool persons = is_el(group, "INDIVIDUALS");
        if (!persons && !is_el(group, "ENTITIES")) continue;
        for (xmlNode *el = group->children; el && !rc; el = el->next) {
            if (persons && is_el(el, "INDIVIDUAL"))
                rc = read_subject(&c, el, true, ++n_ind, sink, ud);
            else if (!persons && is_el(el, "ENTITY"))
                rc = read_subject(&c, el, false, ++n_ent, sink, ud);
        }
    }

out:
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(ctxt);
    /* libxml2 also copies errors to a per-thread "last error"; clear it so
     * nothing of this parse is left behind for the next caller. */
    xmlResetLastError();
    return rc;
}
