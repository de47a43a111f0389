/* manifest_json.c — the plain JSON manifest (ctw_manifest_parse_json in
 * manifest.h documents the shape).
 *
 * Owned by the travel module. The text is parsed by jansson with duplicate
 * keys refused; then every value is checked for its type as it is copied
 * into the manifest. A value of the wrong type, a date that is no ISO date,
 * a sex or role outside the lists fail with CTW_EPARSE and the JSON path as
 * err->where ("travellers[3].documents[0].number"). Keys we do not know
 * give one "unknown_field" warning per key name. null counts as absent.
 */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "travel/manifest_int.h"

#define MAX_UNKNOWN_NAMES 32

typedef struct jp {
    ctw__mb b;
    ctw_error *err;
    char unknown[MAX_UNKNOWN_NAMES][32];
    size_t n_unknown;
} jp;

static int bad(jp *p, const char *path, const char *what)
{
    return ctw_error_set(p->err, CTW_EPARSE, path, "%s", what);
}

/* "path.key" (or "key" at the top) into where[256], for error messages.
 * Paths are a few keys and indexes deep; the precisions bound the text
 * (200 + 1 + 48 < 256) so that no build (gcc -O3 warns of truncation)
 * has to wonder; a longer path or key would only shorten the message. */
static void member_path(char where[static 256], const char *path, const char *key)
{
    snprintf(where, 256, "%.200s%s%.48s", path, *path ? "." : "", key);
}

/* String member key of obj (path names obj) into *out; NULL when absent. */
static int get_str(jp *p, json_t *obj, const char *path, const char *key, const char **out)
{
    *out = NULL;
    json_t *v = json_object_get(obj, key);
    if (!v || json_is_null(v)) return 0;
    char where[256];
    member_path(where, path, key);
    if (!json_is_string(v)) return bad(p, where, "must be a string");
    *out = ctw__mb_text(&p->b, json_string_value(v), json_string_length(v));
    if (p->b.nomem) return ctw_error_set(p->err, CTW_ENOMEM, where, "out of memory");
    return 0;
}

static int get_date(jp *p, json_t *obj, const char *path, const char *key, bool allow_time,
                    const char **out)
{
    int rc = get_str(p, obj, path, key, out);
    if (rc || !*out) return rc;
    if (!ctw__date_iso_valid(*out, allow_time)) {
        char where[256];
        member_path(where, path, key);
        return bad(p, where, allow_time ? "must be an ISO date (2026-12-01 or 2026-12-01T10:30)"
                                        : "must be an ISO date (1980-01-31)");
    }
    return 0;
}

/* Warn about keys outside known[], once per key name. */
static void check_keys(jp *p, json_t *obj, const char *path, const char *const *known)
{
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        (void)v;
        bool ok = false;
        for (size_t i = 0; known[i]; i++)
            if (strcmp(key, known[i]) == 0) ok = true;
        if (ok) continue;
        bool seen = false;
        for (size_t i = 0; i < p->n_unknown; i++)
            if (strncmp(p->unknown[i], key, sizeof p->unknown[i] - 1) == 0) seen = true;
        if (seen) continue;
        if (p->n_unknown < MAX_UNKNOWN_NAMES)
            snprintf(p->unknown[p->n_unknown++], sizeof p->unknown[0], "%s", key);
        ctw__mb_warn(&p->b, "unknown_field", "%s%s%.64s: field not known, ignored", path,
                     *path ? "." : "", key);
    }
}

static int read_leg(jp *p, json_t *o, const char *path, ctw_leg *l)
{
    static const char *const known[] = {"carrier", "number", "flight", "origin", "destination",
                                        "departure", "arrival", NULL};
    if (!json_is_object(o)) return bad(p, path, "must be an object");
    int rc;
    if ((rc = get_str(p, o, path, "carrier", &l->carrier)) ||
        (rc = get_str(p, o, path, "number", &l->flight)) ||
        (!l->flight && (rc = get_str(p, o, path, "flight", &l->flight))) ||
        (rc = get_str(p, o, path, "origin", &l->origin)) ||
        (rc = get_str(p, o, path, "destination", &l->destination)) ||
        (rc = get_date(p, o, path, "departure", true, &l->departure)) ||
        (rc = get_date(p, o, path, "arrival", true, &l->arrival)))
        return rc;
    check_keys(p, o, path, known);
    return 0;
}

static int read_docs(jp *p, json_t *arr, const char *path, size_t ti)
{
    static const char *const known[] = {"type", "number", "issuing_state", "expiry", "issued", NULL};
    if (!json_is_array(arr)) return bad(p, path, "must be an array");
    size_t i;
    json_t *o;
    json_array_foreach(arr, i, o) {
        char where[256];
        snprintf(where, sizeof where, "%s[%zu]", path, i);
        if (!json_is_object(o)) return bad(p, where, "must be an object");
        ctw_travel_doc *d = ctw__mb_add_doc(&p->b, ti);
        if (!d) return ctw_error_set(p->err, CTW_ENOMEM, where, "out of memory");
        int rc;
        if ((rc = get_str(p, o, where, "type", &d->type)) ||
            (rc = get_str(p, o, where, "number", &d->number)) ||
            (rc = get_str(p, o, where, "issuing_state", &d->issuing_state)) ||
            (rc = get_date(p, o, where, "expiry", false, &d->expiry)) ||
            (rc = get_date(p, o, where, "issued", false, &d->issued)))
            return rc;
        check_keys(p, o, where, known);
    }
    return 0;
}

/* The traveller's booking: "booking" (a locator shared with others),
 * "booked" (its date) and "itinerary" (its legs). */
static int read_booking(jp *p, json_t *o, const char *path, size_t ti)
{
    const char *loc, *booked;
    int rc;
    if ((rc = get_str(p, o, path, "booking", &loc)) ||
        (rc = get_date(p, o, path, "booked", true, &booked)))
        return rc;
    json_t *itin = json_object_get(o, "itinerary");
    if (itin && json_is_null(itin)) itin = NULL;
    char where[256];
    snprintf(where, sizeof where, "%s.itinerary", path);
    if (itin && !json_is_array(itin)) return bad(p, where, "must be an array");
    if (!loc && !booked && !itin) return 0;
    long bi = loc ? ctw__mb_booking_for(&p->b, loc) : ctw__mb_add_booking(&p->b, NULL);
    if (bi < 0) return ctw_error_set(p->err, CTW_ENOMEM, path, "out of memory");
    p->b.m->travellers[ti].booking = bi;
    ctw_booking *bk = &p->b.m->bookings[bi];
    if (booked) {
        if (!bk->created) bk->created = booked;
        else if (strcmp(bk->created, booked) != 0)
            ctw__mb_warn(&p->b, "booking_conflict",
                         "%s.booked: booking %s was already given the date %s; %s is ignored", path,
                         loc ? loc : "?", bk->created, booked);
    }
    if (!itin) return 0;
    if (bk->n_legs) {
        if (json_array_size(itin) != bk->n_legs)
            ctw__mb_warn(&p->b, "booking_conflict",
                         "%s: booking %s already has an itinerary of %zu legs; this one is ignored",
                         where, loc ? loc : "?", bk->n_legs);
        return 0;
    }
    size_t i;
    json_t *lo;
    json_array_foreach(itin, i, lo) {
        char lw[300];
        snprintf(lw, sizeof lw, "%s[%zu]", where, i);
        ctw_leg *l = ctw__mb_add_booking_leg(&p->b, (size_t)bi);
        if (!l) return ctw_error_set(p->err, CTW_ENOMEM, lw, "out of memory");
        if ((rc = read_leg(p, lo, lw, l))) return rc;
    }
    return 0;
}

static int read_traveller(jp *p, json_t *o, size_t idx)
{
    static const char *const known[] = {"surname", "given", "title", "birth_date", "sex",
                                        "nationality", "residence", "birth_place", "role",
                                        "booking", "booked", "itinerary", "seat", "embark",
                                        "debark", "reference", "documents", NULL};
    char path[64];
    snprintf(path, sizeof path, "travellers[%zu]", idx);
    if (!json_is_object(o)) return bad(p, path, "must be an object");
    const char *role;
    int rc = get_str(p, o, path, "role", &role);
    if (rc) return rc;
    ctw_traveller_role r = CTW_TRAVELLER_PASSENGER;
    if (role) {
        if (strcmp(role, "passenger") == 0) r = CTW_TRAVELLER_PASSENGER;
        else if (strcmp(role, "crew") == 0) r = CTW_TRAVELLER_CREW;
        else if (strcmp(role, "infant") == 0) r = CTW_TRAVELLER_INFANT;
        else {
            char where[96];
            snprintf(where, sizeof where, "%s.role", path);
            return bad(p, where, "must be \"passenger\", \"crew\" or \"infant\"");
        }
    }
    long ti = ctw__mb_add_traveller(&p->b, r, NULL, path, p->err);
    if (ti < 0) return (int)ti;
    ctw_traveller *t = &p->b.m->travellers[ti];
    const char *sex;
    if ((rc = get_str(p, o, path, "surname", &t->surname)) ||
        (rc = get_str(p, o, path, "given", &t->given)) ||
        (rc = get_str(p, o, path, "title", &t->title)) ||
        (rc = get_date(p, o, path, "birth_date", false, &t->birth_date)) ||
        (rc = get_str(p, o, path, "sex", &sex)) ||
        (rc = get_str(p, o, path, "nationality", &t->nationality)) ||
        (rc = get_str(p, o, path, "residence", &t->residence)) ||
        (rc = get_str(p, o, path, "birth_place", &t->birth_place)) ||
        (rc = get_str(p, o, path, "seat", &t->seat)) ||
        (rc = get_str(p, o, path, "embark", &t->embark)) ||
        (rc = get_str(p, o, path, "debark", &t->debark)) ||
        (rc = get_str(p, o, path, "reference", &t->reference)))
        return rc;
    if (!t->surname && !t->given) return bad(p, path, "a traveller needs a surname or a given name");
    if (sex) {
        char c = sex[0];
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if (sex[1] != '\0' || !(c == 'M' || c == 'F' || c == 'X' || c == 'U')) {
            char where[96];
            snprintf(where, sizeof where, "%s.sex", path);
            return bad(p, where, "must be \"M\", \"F\", \"X\" or \"U\"");
        }
        t->sex = c;
    }
    json_t *docs = json_object_get(o, "documents");
    if (docs && !json_is_null(docs)) {
        char where[96];
        snprintf(where, sizeof where, "%s.documents", path);
        if ((rc = read_docs(p, docs, where, (size_t)ti))) return rc;
    }
    if ((rc = read_booking(p, o, path, (size_t)ti))) return rc;
    check_keys(p, o, path, known);
    return 0;
}

static int read_manifest(jp *p, json_t *root)
{
    static const char *const known[] = {"flight", "travellers", NULL};
    if (!json_is_object(root)) return bad(p, "manifest", "the manifest must be a JSON object");
    json_t *flight = json_object_get(root, "flight");
    if (flight && !json_is_null(flight)) {
        ctw_leg *l = ctw__mb_add_leg(&p->b);
        if (!l) return ctw_error_set(p->err, CTW_ENOMEM, "flight", "out of memory");
        int rc = read_leg(p, flight, "flight", l);
        if (rc) return rc;
    }
    json_t *trs = json_object_get(root, "travellers");
    if (!trs) return bad(p, "travellers", "missing: a manifest lists its travellers");
    if (!json_is_array(trs)) return bad(p, "travellers", "must be an array");
    if (json_array_size(trs) > CTW_MANIFEST_MAX_TRAVELLERS)
        return ctw_error_set(p->err, CTW_ELIMIT, "travellers", "%zu travellers, the limit is %d",
                             json_array_size(trs), CTW_MANIFEST_MAX_TRAVELLERS);
    size_t i;
    json_t *o;
    json_array_foreach(trs, i, o) {
        int rc = read_traveller(p, o, i);
        if (rc) return rc;
    }
    check_keys(p, root, "", known);
    return 0;
}

int ctw_manifest_parse_json(const char *data, size_t len, ctw_manifest **out, ctw_error *err)
{
    if (!data || !out) return ctw_error_set(err, CTW_EINVAL, NULL, "NULL argument");
    if (len > CTW_MANIFEST_MAX_BYTES)
        return ctw_error_set(err, CTW_ELIMIT, "message", "message of %zu bytes, the limit is %u",
                             len, CTW_MANIFEST_MAX_BYTES);
    json_error_t jerr;
    json_t *root = json_loadb(data, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!root) {
        char where[64];
        snprintf(where, sizeof where, "line %d column %d", jerr.line, jerr.column);
        return ctw_error_set(err, CTW_EPARSE, where, "%s", jerr.text);
    }
    jp p;
    memset(&p, 0, sizeof p);
    p.err = err;
    int rc = ctw__mb_init(&p.b, CTW_MANIFEST_JSON);
    if (rc) {
        json_decref(root);
        return ctw_error_set(err, rc, NULL, "out of memory");
    }
    p.b.m->version = "json";
    rc = read_manifest(&p, root);
    json_decref(root);
    if (rc == 0 && p.b.nomem) rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    if (rc) {
        ctw__mb_abort(&p.b);
        return rc;
    }
    *out = ctw__mb_finish(&p.b);
    return 0;
}
