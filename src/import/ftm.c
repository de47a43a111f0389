/* ftm.c — FollowTheMoney (FtM) entities as JSON lines: reader and writer.
 *
 * The format: one JSON object per line, blank lines allowed.
 *
 *   {"id":"NK-abc","schema":"Person",
 *    "properties":{"name":["John Smith"],"alias":["Johnny"],
 *                  "birthDate":["1970-01-02"],"nationality":["us"]},
 *    "datasets":["x"]}
 *   {"id":"NK-abc-doc-1","schema":"Passport",
 *    "properties":{"holder":["NK-abc"],"number":["X123"],"country":["us"]}}
 *   {"id":"NK-abc-sanction-1","schema":"Sanction",
 *    "properties":{"entity":["NK-abc"],"program":["SDGT"],"authority":["US OFAC"]}}
 *
 *   id          required, unique among the entities we keep
 *   schema      Person | Organization | LegalEntity | Company | Vessel | Airplane
 *               become records; Passport | Identification | Sanction are
 *               folded into the record they name (holder / entity), wherever
 *               in the file it is; any other schema is skipped.
 *   properties  object; every value an array of strings. Countries are
 *               lowercase ISO alpha-2 ("ru"), or FtM's own codes ("xk",
 *               "suhh"); we also accept anything ctw_country_lookup knows.
 *
 * The reader works in three passes: parse every line into a record (or, for
 * the folded schemas, keep the parsed JSON), attach the folded entities to
 * their records, then give the records to the sink in file order. A folded
 * entity whose record is not in the input is dropped.
 *
 * The writer emits the record as one entity line followed by a Passport or
 * Identification entity per identifier ("<id>-doc-<n>") and a Sanction per
 * listing ("<id>-sanction-<n>"), so that reading its output gives back the
 * names, dates, nationalities, identifiers, addresses and listings.
 */
#include <ctype.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctwatch/country.h"
#include "ctwatch/import.h"

/* Values in one property of one entity. Real entities have at most a few
 * hundred names; the cap keeps the duplicate checks (linear per value) from
 * going quadratic on hostile input. */
#define FTM_MAX_VALUES 10000u

/* ---- countries ------------------------------------------------------------ */

/* FtM codes that are not ISO 3166-1 alpha-2, with our alpha-3 / ICAO code. */
static const struct { const char *ftm, *code; } ftm_codes[] = {
    {"xk", "RKS"}, {"suhh", "SUN"}, {"yucs", "YUG"}, {"csxx", "SCG"}, {"ddde", "DDR"},
};

static const char *ftm_country(const char *text)
{
    if (!text) return NULL;
    for (size_t i = 0; i < sizeof ftm_codes / sizeof ftm_codes[0]; i++)
        if (strcasecmp(text, ftm_codes[i].ftm) == 0) return ftm_codes[i].code;
    return ctw_country_lookup(text);
}

/* alpha-3 -> alpha-2. country.h has no such function, so the inverse is
 * built once from ctw_country_lookup over every two-letter key: those are
 * the alpha-2 codes (ISO names are longer). The first key wins, so "gb"
 * beats the informal "uk". */
static struct { char a3[4]; char a2[3]; } alpha2_tab[400];
static size_t alpha2_n;
static pthread_once_t alpha2_once = PTHREAD_ONCE_INIT;

static void alpha2_build(void)
{
    char key[3] = {0};
    for (char a = 'a'; a <= 'z'; a++) {
        for (char b = 'a'; b <= 'z'; b++) {
            key[0] = a;
            key[1] = b;
            const char *code = ctw_country_lookup(key);
            if (!code || strlen(code) != 3) continue;
            bool seen = false;
            for (size_t i = 0; i < alpha2_n && !seen; i++) seen = strcmp(alpha2_tab[i].a3, code) == 0;
            if (seen || alpha2_n == sizeof alpha2_tab / sizeof alpha2_tab[0]) continue;
            memcpy(alpha2_tab[alpha2_n].a3, code, 4);
            memcpy(alpha2_tab[alpha2_n].a2, key, 3);
            alpha2_n++;
        }
    }
}

/* The FtM form of an alpha-3 code into out: alpha-2, FtM's own code, or the
 * code itself in lower case (which the reader maps back). */
static void country_out(const char *alpha3, char out[16])
{
    pthread_once(&alpha2_once, alpha2_build);
    for (size_t i = 0; i < alpha2_n; i++)
        if (strcmp(alpha2_tab[i].a3, alpha3) == 0) {
            memcpy(out, alpha2_tab[i].a2, 3);
            return;
        }
    for (size_t i = 0; i < sizeof ftm_codes / sizeof ftm_codes[0]; i++)
        if (strcmp(alpha3, ftm_codes[i].code) == 0) {
            snprintf(out, 16, "%s", ftm_codes[i].ftm);
            return;
        }
    size_t i = 0;
    for (; alpha3[i] && i < 15; i++) out[i] = (char)tolower((unsigned char)alpha3[i]);
    out[i] = '\0';
}

/* ---- reader state --------------------------------------------------------- */

enum role { ROLE_RECORD, ROLE_PASSPORT, ROLE_IDENT, ROLE_SANCTION };

static const struct {
    const char *schema;
    ctw_kind kind;
    enum role role;
} schemas[] = {
    {"Person", CTW_KIND_PERSON, ROLE_RECORD},
    {"Organization", CTW_KIND_ORGANISATION, ROLE_RECORD},
    {"LegalEntity", CTW_KIND_ORGANISATION, ROLE_RECORD},
    {"Company", CTW_KIND_ORGANISATION, ROLE_RECORD},
    {"Vessel", CTW_KIND_VESSEL, ROLE_RECORD},
    {"Airplane", CTW_KIND_AIRCRAFT, ROLE_RECORD},
    {"Passport", CTW_KIND_UNKNOWN, ROLE_PASSPORT},
    {"Identification", CTW_KIND_UNKNOWN, ROLE_IDENT},
    {"Sanction", CTW_KIND_UNKNOWN, ROLE_SANCTION},
};

/* One kept entity: a record (ROLE_RECORD) or the properties of an entity to
 * fold into one (the others). */
typedef struct ftm_ent {
    enum role role;
    ctw_record *rec;
    json_t *props;
    size_t line;
} ftm_ent;

typedef struct ftm_reader {
    const char *name;
    ctw_error *err;
    ftm_ent *v;
    size_t n, cap;
    json_t *ids;      /* entity id -> index into v */
    size_t orphans;   /* folded entities whose record is not in the input */
} ftm_reader;

static int fail(ftm_reader *rd, size_t line, int code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static int fail(ftm_reader *rd, size_t line, int code, const char *fmt, ...)
{
    char where[256], msg[512];
    snprintf(where, sizeof where, "%s:%zu", rd->name, line);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ctw_error_set(rd->err, code, where, "%s", msg);
}

/* ---- property access ------------------------------------------------------ */

/* The array for key, or NULL; shapes were checked by check_props(). */
static json_t *prop(json_t *props, const char *key)
{
    return json_object_get(props, key);
}

static const char *first(json_t *props, const char *key)
{
    return json_string_value(json_array_get(prop(props, key), 0));
}

/* The only value of a property that has exactly one, else NULL. */
static const char *single(json_t *props, const char *key)
{
    json_t *a = prop(props, key);
    return json_array_size(a) == 1 ? json_string_value(json_array_get(a, 0)) : NULL;
}

static bool blank(const char *s)
{
    for (; s && *s; s++)
        if (!isspace((unsigned char)*s)) return false;
    return true;
}

/* Copy s into r. ctw_record_str() gives NULL both for a blank string and
 * for a failed allocation; only the second is an error. */
static int copy_str(ctw_record *r, const char *s, const char **out)
{
    *out = ctw_record_str(r, s);
    return *out || blank(s) ? 0 : CTW_ENOMEM;
}

/* All values of the given keys joined by sep, copied into r; *out NULL if
 * there are none. One allocation, so that many values stay linear. */
static int join(ctw_record *r, json_t *props, const char *const *keys, size_t nkeys,
                const char *sep, const char **out)
{
    size_t total = 0, seplen = strlen(sep);
    *out = NULL;
    for (size_t k = 0; k < nkeys; k++) {
        size_t i;
        json_t *v;
        json_array_foreach(prop(props, keys[k]), i, v) {
            if (blank(json_string_value(v))) continue;
            total += json_string_length(v) + seplen;
        }
    }
    if (total == 0) return 0;
    char *buf = ctw_arena_alloc(&r->arena, total + 1);
    if (!buf) return CTW_ENOMEM;
    size_t o = 0;
    for (size_t k = 0; k < nkeys; k++) {
        size_t i;
        json_t *v;
        json_array_foreach(prop(props, keys[k]), i, v) {
            if (blank(json_string_value(v))) continue;
            if (o) {
                memcpy(buf + o, sep, seplen);
                o += seplen;
            }
            memcpy(buf + o, json_string_value(v), json_string_length(v));
            o += json_string_length(v);
        }
    }
    buf[o] = '\0';
    *out = buf;
    return 0;
}

/* ---- building records ----------------------------------------------------- */

static int add_nationality(ctw_record *r, const char *text)
{
    const char *t;
    int rc = copy_str(r, text, &t);
    if (rc || !t) return rc;
    return ctw_record_add_nationality_coded(r, t, ftm_country(t));
}

/* Add an identifier, or complete the one with the same type and number
 * (an entity's passportNumber and its Passport entity are one document). */
static int add_identifier(ctw_record *r, const char *type, const char *number,
                          const char *country, const char *issued, const char *expires)
{
    const char *t, *num;
    int rc;
    if ((rc = copy_str(r, type, &t)) || (rc = copy_str(r, number, &num))) return rc;
    if (!num) return 0;
    if (!t) t = "other";
    ctw_identifier *id = NULL;
    for (size_t i = 0; i < r->identifiers.n && !id; i++)
        if (strcmp(r->identifiers.v[i].type, t) == 0 && strcmp(r->identifiers.v[i].number, num) == 0)
            id = &r->identifiers.v[i];
    if (!id) {
        id = ctw_record_add_identifier(r);
        if (!id) return CTW_ENOMEM;
        id->type = t;
        id->number = num;
    }
    /* Country strings are static (country table), dates are copied. */
    if (!id->country) id->country = country;
    if (!id->issued && (rc = copy_str(r, issued, &id->issued))) return rc;
    if (!id->expires && (rc = copy_str(r, expires, &id->expires))) return rc;
    return 0;
}

/* Add a listing, or complete one with the same programme whose authority
 * is the same or unknown (the entity's `program` and its Sanction). */
static int add_listing(ctw_record *r, const char *program, const char *authority,
                       const char *reference, const char *listed_on, const char *action)
{
    const char *prog, *auth;
    int rc;
    if ((rc = copy_str(r, program, &prog)) || (rc = copy_str(r, authority, &auth))) return rc;
    ctw_listing *l = NULL;
    for (size_t i = 0; i < r->listings.n && !l; i++) {
        ctw_listing *c = &r->listings.v[i];
        bool same_prog = (!prog && !c->program) || (prog && c->program && strcmp(prog, c->program) == 0);
        bool same_auth = !auth || !c->authority || strcmp(auth, c->authority) == 0;
        if (same_prog && same_auth) l = c;
    }
    if (!l) {
        l = ctw_record_add_listing(r);
        if (!l) return CTW_ENOMEM;
        l->kind = "sanctions-listing";
        l->status = "published";
        l->program = prog;
    }
    if (!l->authority) l->authority = auth;
    if (!l->reference && (rc = copy_str(r, reference, &l->reference))) return rc;
    if (!l->listed_on && (rc = copy_str(r, listed_on, &l->listed_on))) return rc;
    if (!l->action && (rc = copy_str(r, action, &l->action))) return rc;
    return 0;
}

/* Append text to the remarks as a new line, unless it is one already:
 * several Sanctions often give the same reason. */
static int add_remark(ctw_record *r, const char *text)
{
    const char *t;
    int rc = copy_str(r, text, &t);
    if (rc || !t) return rc;
    if (!r->remarks) {
        r->remarks = t;
        return 0;
    }
    size_t tl = strlen(t);
    for (const char *p = r->remarks; p; p = strchr(p, '\n'), p = p ? p + 1 : NULL)
        if (strncmp(p, t, tl) == 0 && (p[tl] == '\n' || p[tl] == '\0')) return 0;
    const char *joined = ctw_arena_printf(&r->arena, "%s\n%s", r->remarks, t);
    if (!joined) return CTW_ENOMEM;
    r->remarks = joined;
    return 0;
}

static bool has_primary(const ctw_record *r)
{
    for (size_t i = 0; i < r->names.n; i++)
        if (r->names.v[i].kind == CTW_NAME_PRIMARY) return true;
    return false;
}

static ctw_name *primary(ctw_record *r)
{
    for (size_t i = 0; i < r->names.n; i++)
        if (r->names.v[i].kind == CTW_NAME_PRIMARY) return &r->names.v[i];
    return NULL;
}

static int add_names(ctw_record *r, json_t *props)
{
    int rc = 0;
    size_t i;
    json_t *v;
    /* The first usable `name` is the primary one, the others strong aliases. */
    json_array_foreach(prop(props, "name"), i, v) {
        ctw_name_kind k = has_primary(r) ? CTW_NAME_ALIAS_STRONG : CTW_NAME_PRIMARY;
        if ((rc = ctw_record_add_name(r, json_string_value(v), k, NULL))) return rc;
    }

    const char *given = first(props, "firstName");
    const char *middle = first(props, "middleName");
    if (!middle) middle = first(props, "secondName");
    const char *father = first(props, "fatherName");
    const char *family = first(props, "lastName");
    bool built = false;
    if (!has_primary(r) && (given || middle || father || family)) {
        /* No name: compose one in the order names are written (given,
         * middle, patronymic, family), as FtM itself does. */
        const char *parts[] = {given, middle, father, family};
        size_t total = 0;
        for (size_t k = 0; k < 4; k++) total += parts[k] ? strlen(parts[k]) + 1 : 0;
        char *full = ctw_arena_alloc(&r->arena, total + 1);
        if (!full) return CTW_ENOMEM;
        size_t o = 0;
        for (size_t k = 0; k < 4; k++) {
            if (!parts[k]) continue;
            if (o) full[o++] = ' ';
            memcpy(full + o, parts[k], strlen(parts[k]));
            o += strlen(parts[k]);
        }
        full[o] = '\0';
        if ((rc = ctw_record_add_name(r, full, CTW_NAME_PRIMARY, NULL))) return rc;
        built = true;
    } else {
        /* Parts belong on the primary name only when they are unambiguous. */
        given = single(props, "firstName");
        middle = single(props, "middleName");
        if (!middle && !prop(props, "middleName")) middle = single(props, "secondName");
        father = single(props, "fatherName");
        family = single(props, "lastName");
    }
    ctw_name *pn = primary(r);
    if (pn && (given || middle || father || family || built)) {
        if ((rc = copy_str(r, given, &pn->given)) || (rc = copy_str(r, middle, &pn->middle)) ||
            (rc = copy_str(r, father, &pn->patronymic)) || (rc = copy_str(r, family, &pn->family)))
            return rc;
    }

    static const struct { const char *key; ctw_name_kind kind; const char *quality; } aliases[] = {
        {"alias", CTW_NAME_ALIAS_STRONG, NULL},
        {"previousName", CTW_NAME_ALIAS_STRONG, "previous"},
        {"weakAlias", CTW_NAME_ALIAS_WEAK, NULL},
    };
    for (size_t a = 0; a < sizeof aliases / sizeof aliases[0]; a++)
        json_array_foreach(prop(props, aliases[a].key), i, v)
            if ((rc = ctw_record_add_name(r, json_string_value(v), aliases[a].kind, aliases[a].quality)))
                return rc;
    return 0;
}

/* An attribute whose value is a country: the alpha-3 code when known. */
static int add_country_attr(ctw_record *r, const char *key, json_t *values)
{
    size_t i;
    json_t *v;
    json_array_foreach(values, i, v) {
        const char *code = ftm_country(json_string_value(v));
        int rc = ctw_record_add_attr(r, key, code ? code : json_string_value(v));
        if (rc) return rc;
    }
    return 0;
}

static int build_record(ctw_kind kind, const char *schema, const char *id, json_t *props,
                        ctw_record **out)
{
    int rc = 0;
    size_t i;
    json_t *v;
    ctw_record *r = ctw_record_new(kind);
    if (!r) return CTW_ENOMEM;
    if ((rc = copy_str(r, id, &r->source_id))) goto out_free;
    if (kind == CTW_KIND_ORGANISATION && strcmp(schema, "Organization") != 0 &&
        (rc = ctw_record_add_attr(r, "ftm-schema", schema)))
        goto out_free;
    if ((rc = add_names(r, props))) goto out_free;

    json_array_foreach(prop(props, "birthDate"), i, v) {
        ctw_date d;
        int prc = ctw_record_parse_date(r, json_string_value(v), &d);
        if (prc == CTW_ENOMEM) {
            rc = prc;
            goto out_free;
        }
        if (!d.from && !d.text) continue; /* blank */
        ctw_date *slot = ctw_record_add_birth_date(r);
        if (!slot) {
            rc = CTW_ENOMEM;
            goto out_free;
        }
        *slot = d;
    }
    json_array_foreach(prop(props, "birthPlace"), i, v) {
        const char *place;
        if ((rc = copy_str(r, json_string_value(v), &place))) goto out_free;
        if (!place) continue;
        ctw_place *p = ctw_record_add_birth_place(r);
        if (!p) {
            rc = CTW_ENOMEM;
            goto out_free;
        }
        p->place = place;
    }
    static const char *const nat_keys[] = {"nationality", "citizenship"};
    for (size_t k = 0; k < 2; k++)
        json_array_foreach(prop(props, nat_keys[k]), i, v)
            if ((rc = add_nationality(r, json_string_value(v)))) goto out_free;

    const char *gender = first(props, "gender");
    if (gender) {
        static const char *const genders[] = {"male", "female", "other"};
        for (size_t g = 0; g < 3; g++)
            if (strcasecmp(gender, genders[g]) == 0) r->gender = genders[g];
    }

    /* A passport number on the entity was issued by its nationality, when
     * that is not in doubt. */
    const char *nat = r->nationalities.n == 1 ? r->nationalities.v[0].country : NULL;
    static const struct { const char *key, *type; bool national; } idkeys[] = {
        {"passportNumber", "passport", true}, {"idNumber", "national-id", true},
        {"taxNumber", "tax-id", false},      {"registrationNumber", "registration", false},
        {"imoNumber", "imo", false},
    };
    for (size_t k = 0; k < sizeof idkeys / sizeof idkeys[0]; k++)
        json_array_foreach(prop(props, idkeys[k].key), i, v)
            if ((rc = add_identifier(r, idkeys[k].type, json_string_value(v),
                                     idkeys[k].national ? nat : NULL, NULL, NULL)))
                goto out_free;

    if ((rc = add_country_attr(r, "country", prop(props, "country"))) ||
        (rc = add_country_attr(r, "vessel-flag", prop(props, "flag"))))
        goto out_free;

    json_array_foreach(prop(props, "address"), i, v) {
        const char *full;
        if ((rc = copy_str(r, json_string_value(v), &full))) goto out_free;
        if (!full) continue;
        ctw_address *a = ctw_record_add_address(r);
        if (!a) {
            rc = CTW_ENOMEM;
            goto out_free;
        }
        a->full = full;
    }

    static const char *const note_keys[] = {"notes", "summary"};
    if ((rc = join(r, props, note_keys, 2, "\n", &r->remarks))) goto out_free;

    static const struct { const char *key, *attr; } attrs[] = {
        {"position", "position"}, {"title", "title"}, {"sourceUrl", "source-url"},
    };
    for (size_t k = 0; k < sizeof attrs / sizeof attrs[0]; k++)
        json_array_foreach(prop(props, attrs[k].key), i, v)
            if ((rc = ctw_record_add_attr(r, attrs[k].attr, json_string_value(v)))) goto out_free;
    static const char *const topic_key[] = {"topics"};
    const char *topics;
    if ((rc = join(r, props, topic_key, 1, ",", &topics))) goto out_free;
    if (topics && (rc = ctw_record_add_attr(r, "topics", topics))) goto out_free;

    json_array_foreach(prop(props, "program"), i, v)
        if (!blank(json_string_value(v)) &&
            (rc = add_listing(r, json_string_value(v), NULL, NULL, NULL, NULL)))
            goto out_free;

    *out = r;
    return 0;

out_free:
    ctw_record_free(r);
    return rc;
}

/* An attribute, unless r has it with this value already: every Sanction of
 * a subject tends to carry the same source URL. */
static int add_attr_once(ctw_record *r, const char *key, const char *value)
{
    const char *v;
    int rc = copy_str(r, value, &v);
    if (rc || !v) return rc;
    for (size_t i = 0; i < r->attributes.n; i++)
        if (r->attributes.v[i].key && strcmp(r->attributes.v[i].key, key) == 0 &&
            strcmp(r->attributes.v[i].value, v) == 0)
            return 0;
    return ctw_record_add_attr(r, key, v);
}

/* Fold a Passport / Identification / Sanction into r. */
static int attach(ctw_record *r, const ftm_ent *e)
{
    json_t *p = e->props;
    if (e->role == ROLE_SANCTION) {
        const char *listed = first(p, "listingDate");
        if (!listed) listed = first(p, "startDate");
        const char *ref = first(p, "unscId");
        int rc = add_listing(r, first(p, "program"), first(p, "authority"), ref, listed,
                             first(p, "provisions"));
        if (!rc) rc = add_remark(r, first(p, "reason"));
        if (!rc) rc = add_attr_once(r, "source-url", first(p, "sourceUrl"));
        return rc;
    }
    const char *number = first(p, "number");
    if (blank(number)) number = first(p, "passportNumber");
    const char *type = "passport";
    if (e->role == ROLE_IDENT) {
        type = first(p, "type");
        if (blank(type)) type = "national-id";
    }
    return add_identifier(r, type, number, ftm_country(first(p, "country")),
                          first(p, "startDate"), first(p, "endDate"));
}

/* ---- lines ---------------------------------------------------------------- */

/* Every property must be an array of strings, each within the field cap. */
static int check_props(ftm_reader *rd, size_t line, json_t *props)
{
    const char *key;
    json_t *arr;
    json_object_foreach(props, key, arr) {
        if (!json_is_array(arr))
            return fail(rd, line, CTW_EPARSE, "property \"%.64s\" is not an array of strings", key);
        if (json_array_size(arr) > FTM_MAX_VALUES)
            return fail(rd, line, CTW_ELIMIT, "property \"%.64s\" has more than %u values", key,
                        FTM_MAX_VALUES);
        size_t i;
        json_t *v;
        json_array_foreach(arr, i, v) {
            if (!json_is_string(v))
                return fail(rd, line, CTW_EPARSE, "property \"%.64s\" is not an array of strings", key);
            if (json_string_length(v) > CTW_IMPORT_MAX_FIELD)
                return fail(rd, line, CTW_ELIMIT, "property \"%.64s\" has a value over %u bytes", key,
                            CTW_IMPORT_MAX_FIELD);
        }
    }
    return 0;
}

static int push_ent(ftm_reader *rd, const ftm_ent *e)
{
    if (rd->n == rd->cap) {
        size_t ncap = rd->cap ? rd->cap * 2 : 64;
        if (ncap > SIZE_MAX / sizeof *rd->v) return CTW_ENOMEM;
        ftm_ent *nv = realloc(rd->v, ncap * sizeof *nv);
        if (!nv) return CTW_ENOMEM;
        rd->v = nv;
        rd->cap = ncap;
    }
    rd->v[rd->n++] = *e;
    return 0;
}

static int read_line(ftm_reader *rd, const char *s, size_t len, size_t line)
{
    json_error_t jerr;
    json_t *root = json_loadb(s, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root)
        return fail(rd, line, CTW_EPARSE, "invalid JSON at column %d: %s", jerr.column, jerr.text);
    int rc = 0;
    ctw_record *rec = NULL;
    if (!json_is_object(root)) {
        rc = fail(rd, line, CTW_EPARSE, "entity is not a JSON object");
        goto out;
    }
    const char *id = json_string_value(json_object_get(root, "id"));
    if (blank(id)) {
        rc = fail(rd, line, CTW_EPARSE, "entity has no \"id\"");
        goto out;
    }
    if (strlen(id) > CTW_IMPORT_MAX_FIELD) {
        rc = fail(rd, line, CTW_ELIMIT, "entity id is longer than %u bytes", CTW_IMPORT_MAX_FIELD);
        goto out;
    }
    const char *schema = json_string_value(json_object_get(root, "schema"));
    if (blank(schema)) {
        rc = fail(rd, line, CTW_EPARSE, "entity %.80s has no \"schema\"", id);
        goto out;
    }
    json_t *props = json_object_get(root, "properties");
    if (props && !json_is_object(props)) {
        rc = fail(rd, line, CTW_EPARSE, "entity %.80s: \"properties\" is not an object", id);
        goto out;
    }
    if (props && (rc = check_props(rd, line, props))) goto out;

    size_t si = 0, ns = sizeof schemas / sizeof schemas[0];
    while (si < ns && strcmp(schemas[si].schema, schema) != 0) si++;
    if (si == ns) goto out; /* a schema we do not keep (Address, Ownership, ...) */

    json_t *prev = json_object_get(rd->ids, id);
    if (prev) {
        rc = fail(rd, line, CTW_EPARSE, "duplicate entity id %.80s (first on line %zu)", id,
                  rd->v[json_integer_value(prev)].line);
        goto out;
    }
    json_t *empty = NULL;
    if (!props && !(props = empty = json_object())) {
        rc = CTW_ENOMEM;
        goto out;
    }
    ftm_ent e = {.role = schemas[si].role, .line = line};
    if (e.role == ROLE_RECORD) {
        rc = build_record(schemas[si].kind, schema, id, props, &rec);
    } else {
        e.props = json_incref(props);
    }
    json_decref(empty);
    if (rc) goto out;
    e.rec = rec;
    json_t *idx = json_integer((json_int_t)rd->n);
    if (!idx || json_object_set_new(rd->ids, id, idx) || push_ent(rd, &e)) {
        json_object_del(rd->ids, id);
        json_decref(e.props);
        ctw_record_free(rec);
        rc = CTW_ENOMEM;
    }
out:
    if (rc == CTW_ENOMEM) fail(rd, line, rc, "out of memory");
    json_decref(root);
    return rc;
}

static bool blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r') return false;
    return true;
}

int ctw_ftm_read_mem(const char *buf, size_t len, const char *name,
                     ctw_record_sink sink, void *ud, ctw_error *err)
{
    ftm_reader rd = {.name = name ? name : "<input>", .err = err};
    int rc = 0;
    ctw_error_clear(err);
    if (!buf && len) return ctw_error_set(err, CTW_EINVAL, rd.name, "no input buffer");
    if (!(rd.ids = json_object())) return ctw_error_set(err, CTW_ENOMEM, rd.name, "out of memory");

    const char *p = buf, *end = buf + len;
    size_t line = 0;
    /* A UTF-8 byte-order mark, as some editors write, is not JSON. */
    if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0) p += 3;
    while (p && p < end) {
        line++;
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (nl ? nl : end) - p;
        if (n > CTW_IMPORT_MAX_LINE) {
            rc = fail(&rd, line, CTW_ELIMIT, "line is longer than %u bytes", CTW_IMPORT_MAX_LINE);
            goto out;
        }
        if (!blank_line(p, n) && (rc = read_line(&rd, p, n, line))) goto out;
        p = nl ? nl + 1 : end;
    }

    for (size_t i = 0; i < rd.n; i++) {
        ftm_ent *e = &rd.v[i];
        if (e->role == ROLE_RECORD) continue;
        const char *key = e->role == ROLE_SANCTION ? "entity" : "holder";
        bool attached = false;
        size_t k;
        json_t *v;
        json_array_foreach(prop(e->props, key), k, v) {
            json_t *idx = json_object_get(rd.ids, json_string_value(v));
            if (!idx) continue;
            ftm_ent *holder = &rd.v[json_integer_value(idx)];
            if (holder->role != ROLE_RECORD) continue;
            if ((rc = attach(holder->rec, e))) {
                fail(&rd, e->line, rc, "out of memory");
                goto out;
            }
            attached = true;
        }
        if (!attached) rd.orphans++;
    }

    for (size_t i = 0; i < rd.n; i++) {
        ctw_record *r = rd.v[i].rec;
        if (!r) continue;
        rd.v[i].rec = NULL;
        if ((rc = sink(ud, r))) goto out;
    }

out:
    for (size_t i = 0; i < rd.n; i++) {
        ctw_record_free(rd.v[i].rec);
        json_decref(rd.v[i].props);
    }
    free(rd.v);
    json_decref(rd.ids);
    return rc;
}

/* ---- writer --------------------------------------------------------------- */

/* Append val to properties[key] unless it is blank or already there.
 * json_string() refuses invalid UTF-8, which a record should never hold:
 * that is reported as CTW_EINVAL. */
static int put(json_t *props, const char *key, const char *val)
{
    if (blank(val)) return 0;
    json_t *arr = json_object_get(props, key);
    if (!arr) {
        if (!(arr = json_array()) || json_object_set_new(props, key, arr)) return CTW_ENOMEM;
    }
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
        if (strcmp(json_string_value(v), val) == 0) return 0;
    json_t *s = json_string(val);
    if (!s) return CTW_EINVAL;
    return json_array_append_new(arr, s) ? CTW_ENOMEM : 0;
}

static int put_country(json_t *props, const char *key, const char *alpha3, const char *text)
{
    char code[16];
    if (alpha3 && ctw_country_is_code(alpha3)) {
        country_out(alpha3, code);
        return put(props, key, code);
    }
    return put(props, key, text ? text : alpha3);
}

/* A new entity {"id":..,"schema":..,"properties":{}}; *props is borrowed. */
static json_t *new_entity(const char *id, const char *schema, json_t **props)
{
    json_t *e = json_object(), *p = json_object();
    /* json_object_set_new() takes the value even when it fails, and refuses
     * the NULL of a failed json_string(). */
    if (!e || !p || json_object_set_new(e, "id", json_string(id)) ||
        json_object_set_new(e, "schema", json_string(schema)) || json_object_set(e, "properties", p)) {
        json_decref(e);
        json_decref(p);
        return NULL;
    }
    *props = p;
    json_decref(p);
    return e;
}

static const char *attr(const ctw_record *r, const char *key)
{
    for (size_t i = 0; i < r->attributes.n; i++)
        if (r->attributes.v[i].key && strcmp(r->attributes.v[i].key, key) == 0)
            return r->attributes.v[i].value;
    return NULL;
}

static const char *schema_of(const ctw_record *r)
{
    switch (r->kind) {
    case CTW_KIND_ORGANISATION: {
        const char *s = attr(r, "ftm-schema");
        if (s && (strcmp(s, "LegalEntity") == 0 || strcmp(s, "Company") == 0)) return s;
        return "Organization";
    }
    case CTW_KIND_VESSEL: return "Vessel";
    case CTW_KIND_AIRCRAFT: return "Airplane";
    case CTW_KIND_PERSON: return "Person";
    default: return "LegalEntity"; /* FtM's most general party */
    }
}

static int main_props(const ctw_record *r, json_t *props)
{
    int rc = 0;
    const ctw_name *pn = NULL;
    for (size_t i = 0; i < r->names.n && !rc; i++) {
        const ctw_name *n = &r->names.v[i];
        const char *key = "alias";
        if (n->kind == CTW_NAME_PRIMARY) {
            key = "name";
            if (!pn) pn = n;
        } else if (n->kind == CTW_NAME_ALIAS_WEAK) {
            key = "weakAlias";
        } else if (n->kind == CTW_NAME_ALIAS_STRONG && n->quality && strcmp(n->quality, "previous") == 0) {
            key = "previousName";
        }
        rc = put(props, key, n->full);
    }
    if (pn && !rc) {
        if ((rc = put(props, "firstName", pn->given)) || (rc = put(props, "middleName", pn->middle)) ||
            (rc = put(props, "fatherName", pn->patronymic)) || (rc = put(props, "lastName", pn->family)))
            return rc;
    }
    for (size_t i = 0; i < r->birth_dates.n && !rc; i++) {
        const ctw_date *d = &r->birth_dates.v[i];
        rc = put(props, "birthDate", d->from ? d->from : d->text);
    }
    for (size_t i = 0; i < r->birth_places.n && !rc; i++) {
        const ctw_place *pl = &r->birth_places.v[i];
        rc = put(props, "birthPlace", pl->place ? pl->place : ctw_country_name(pl->country));
    }
    for (size_t i = 0; i < r->nationalities.n && !rc; i++)
        rc = put_country(props, "nationality", r->nationalities.v[i].country, r->nationalities.v[i].text);
    if (!rc) rc = put(props, "gender", r->gender);
    for (size_t i = 0; i < r->addresses.n && !rc; i++) {
        const ctw_address *a = &r->addresses.v[i];
        if (a->full) {
            rc = put(props, "address", a->full);
            continue;
        }
        const char *parts[] = {a->street, a->city, a->region, a->postal_code, ctw_country_name(a->country)};
        char line[2048];
        size_t o = 0;
        for (size_t k = 0; k < 5; k++) {
            if (blank(parts[k])) continue;
            int w = snprintf(line + o, sizeof line - o, "%s%s", o ? ", " : "", parts[k]);
            if (w < 0 || (size_t)w >= sizeof line - o) break;
            o += (size_t)w;
        }
        if (o) rc = put(props, "address", line);
    }
    if (!rc) rc = put(props, "notes", r->remarks);
    for (size_t i = 0; i < r->attributes.n && !rc; i++) {
        const ctw_attribute *a = &r->attributes.v[i];
        if (!a->key || !a->value) continue;
        if (strcmp(a->key, "title") == 0 || strcmp(a->key, "position") == 0) {
            rc = put(props, a->key, a->value);
        } else if (strcmp(a->key, "source-url") == 0) {
            rc = put(props, "sourceUrl", a->value);
        } else if (strcmp(a->key, "country") == 0) {
            rc = put_country(props, "country", a->value, a->value);
        } else if (strcmp(a->key, "vessel-flag") == 0 && r->kind == CTW_KIND_VESSEL) {
            rc = put_country(props, "flag", a->value, a->value);
        } else if (strcmp(a->key, "topics") == 0) {
            const char *s = a->value;
            while (*s && !rc) {
                size_t n = strcspn(s, ",");
                char topic[256];
                snprintf(topic, sizeof topic, "%.*s", (int)(n < sizeof topic ? n : sizeof topic - 1), s);
                rc = put(props, "topics", topic);
                s += n;
                if (*s) s++;
            }
        }
    }
    return rc;
}

static int add_docs(const ctw_record *r, const char *id, json_t *out)
{
    size_t idlen = strlen(id);
    char *sub = malloc(idlen + 32);
    if (!sub) return CTW_ENOMEM;
    int rc = 0;
    json_t *props = NULL;
    for (size_t i = 0; i < r->identifiers.n && !rc; i++) {
        const ctw_identifier *d = &r->identifiers.v[i];
        if (blank(d->number)) continue;
        bool passport = d->type && strcmp(d->type, "passport") == 0;
        snprintf(sub, idlen + 32, "%s-doc-%zu", id, i + 1);
        json_t *e = new_entity(sub, passport ? "Passport" : "Identification", &props);
        if (!e || json_array_append_new(out, e)) {
            rc = CTW_ENOMEM;
            break;
        }
        if ((rc = put(props, "holder", id)) || (rc = put(props, "number", d->number)) ||
            (rc = put_country(props, "country", d->country, NULL)) ||
            (!passport && (rc = put(props, "type", d->type))) ||
            (rc = put(props, "startDate", d->issued)) || (rc = put(props, "endDate", d->expires)))
            break;
    }
    for (size_t i = 0; i < r->listings.n && !rc; i++) {
        const ctw_listing *l = &r->listings.v[i];
        snprintf(sub, idlen + 32, "%s-sanction-%zu", id, i + 1);
        json_t *e = new_entity(sub, "Sanction", &props);
        if (!e || json_array_append_new(out, e)) {
            rc = CTW_ENOMEM;
            break;
        }
        if ((rc = put(props, "entity", id)) || (rc = put(props, "program", l->program)) ||
            (rc = put(props, "authority", l->authority)) || (rc = put(props, "listingDate", l->listed_on)) ||
            (rc = put(props, "provisions", l->action)))
            break;
        /* FtM has a slot for UN references only. */
        if (l->kind && strcmp(l->kind, "un-sc-special-notice") == 0)
            rc = put(props, "unscId", l->reference);
    }
    free(sub);
    return rc;
}

int ctw_ftm_write(const ctw_record *r, ctw_line_fn fn, void *ud)
{
    if (!r || !fn) return CTW_EINVAL;
    const char *id = r->source_id ? r->source_id : r->id;
    if (blank(id)) return CTW_EINVAL;

    /* Build every line before emitting any, so a failure emits nothing. */
    int rc = 0;
    json_t *props = NULL;
    json_t *lines = json_array();
    json_t *e = lines ? new_entity(id, schema_of(r), &props) : NULL;
    if (!e || json_array_append_new(lines, e)) {
        rc = CTW_ENOMEM;
        goto out;
    }
    if ((rc = main_props(r, props))) goto out;
    if (r->source) {
        json_t *ds = json_pack("[s]", r->source);
        if (!ds || json_object_set_new(e, "datasets", ds)) {
            rc = CTW_EINVAL;
            goto out;
        }
    }
    if ((rc = add_docs(r, id, lines))) goto out;

    char **text = calloc(json_array_size(lines), sizeof *text);
    if (!text) {
        rc = CTW_ENOMEM;
        goto out;
    }
    size_t i;
    json_t *v;
    json_array_foreach(lines, i, v)
        if (!(text[i] = json_dumps(v, JSON_COMPACT))) rc = CTW_ENOMEM;
    for (i = 0; i < json_array_size(lines) && !rc; i++) rc = fn(ud, text[i], strlen(text[i]));
    for (i = 0; i < json_array_size(lines); i++) free(text[i]);
    free(text);
out:
    json_decref(lines);
    return rc;
}
