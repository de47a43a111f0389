/* json.c — JSON form of a record and its content hash (see json.h). */
#include <string.h>

#include <sodium.h>

#include "ctwatch/error.h"
#include "ctwatch/json.h"

/* Set key to a string if s is non-NULL. Returns -1 on allocation failure. */
static int put_str(json_t *o, const char *key, const char *s)
{
    if (!s) return 0;
    json_t *v = json_string(s);
    if (!v) return -1; /* invalid UTF-8 is rejected by jansson too */
    return json_object_set_new(o, key, v);
}

static int push(json_t *arr, json_t *o)
{
    if (!o) return -1;
    return json_array_append_new(arr, o);
}

json_t *ctw_record_to_json(const ctw_record *r, int flags)
{
    json_t *o = json_object();
    json_t *a;
    int rc = 0;
    if (!o) return NULL;
    if (!(flags & CTW_JSON_CONTENT_ONLY)) {
        rc |= put_str(o, "id", r->id);
        rc |= put_str(o, "owner", r->owner);
        rc |= put_str(o, "source", r->source);
        rc |= put_str(o, "created", r->created);
        rc |= put_str(o, "updated", r->updated);
        rc |= json_object_set_new(o, "version", json_integer(r->version));
        rc |= put_str(o, "status", ctw_status_name(r->status));
        json_t *res = json_object();
        rc |= put_str(res, "kind", ctw_restrict_kind_name(r->restriction.kind));
        rc |= put_str(res, "list", r->restriction.list);
        rc |= json_object_set_new(o, "restriction", res);
        rc |= put_str(o, "review_date", r->review_date);
    }
    rc |= put_str(o, "kind", ctw_kind_name(r->kind));
    rc |= put_str(o, "source_id", r->source_id);
    rc |= put_str(o, "gender", r->gender);
    rc |= put_str(o, "remarks", r->remarks);

    rc |= json_object_set_new(o, "names", a = json_array());
    for (size_t i = 0; a && i < r->names.n; i++) {
        const ctw_name *n = &r->names.v[i];
        json_t *e = json_object();
        rc |= put_str(e, "full", n->full);
        rc |= put_str(e, "given", n->given);
        rc |= put_str(e, "middle", n->middle);
        rc |= put_str(e, "family", n->family);
        rc |= put_str(e, "patronymic", n->patronymic);
        rc |= put_str(e, "script", n->script);
        rc |= put_str(e, "lang", n->lang);
        rc |= put_str(e, "kind", ctw_name_kind_name(n->kind));
        rc |= put_str(e, "quality", n->quality);
        rc |= push(a, e);
    }
    rc |= json_object_set_new(o, "birth_dates", a = json_array());
    for (size_t i = 0; a && i < r->birth_dates.n; i++) {
        const ctw_date *d = &r->birth_dates.v[i];
        json_t *e = json_object();
        rc |= put_str(e, "precision", ctw_date_precision_name(d->precision));
        rc |= put_str(e, "from", d->from);
        rc |= put_str(e, "to", d->to);
        rc |= put_str(e, "text", d->text);
        rc |= push(a, e);
    }
    rc |= json_object_set_new(o, "birth_places", a = json_array());
    for (size_t i = 0; a && i < r->birth_places.n; i++) {
        json_t *e = json_object();
        rc |= put_str(e, "place", r->birth_places.v[i].place);
        rc |= put_str(e, "country", r->birth_places.v[i].country);
        rc |= push(a, e);
    }
    rc |= json_object_set_new(o, "nationalities", a = json_array());
    for (size_t i = 0; a && i < r->nationalities.n; i++) {
        json_t *e = json_object();
        rc |= put_str(e, "country", r->nationalities.v[i].country);
        rc |= put_str(e, "text", r->nationalities.v[i].text);
        rc |= push(a, e);
    }
    rc |= json_object_set_new(o, "identifiers", a = json_array());
    for (size_t i = 0; a && i < r->identifiers.n; i++) {
        const ctw_identifier *d = &r->identifiers.v[i];
        json_t *e = json_object();
        rc |= put_str(e, "type", d->type);
        rc |= put_str(e, "number", d->number);
        rc |= put_str(e, "country", d->country);
        rc |= put_str(e, "issued", d->issued);
        rc |= put_str(e, "expires", d->expires);
        rc |= put_str(e, "note", d->note);
        rc |= push(a, e);
    }
    rc |= json_object_set_new(o, "addresses", a = json_array());
    for (size_t i = 0; a && i < r->addresses.n; i++) {
        const ctw_address *d = &r->addresses.v[i];
        json_t *e = json_object();
        rc |= put_str(e, "full", d->full);
        rc |= put_str(e, "street", d->street);
        rc |= put_str(e, "city", d->city);
        rc |= put_str(e, "region", d->region);
        rc |= put_str(e, "postal_code", d->postal_code);
        rc |= put_str(e, "country", d->country);
        rc |= put_str(e, "note", d->note);
        rc |= push(a, e);
    }
    rc |= json_object_set_new(o, "listings", a = json_array());
    for (size_t i = 0; a && i < r->listings.n; i++) {
        const ctw_listing *d = &r->listings.v[i];
        json_t *e = json_object();
        rc |= put_str(e, "kind", d->kind);
        rc |= put_str(e, "authority", d->authority);
        rc |= put_str(e, "program", d->program);
        rc |= put_str(e, "reference", d->reference);
        rc |= put_str(e, "listed_on", d->listed_on);
        rc |= put_str(e, "action", d->action);
        rc |= put_str(e, "status", d->status);
        rc |= push(a, e);
    }
    rc |= json_object_set_new(o, "attributes", a = json_array());
    for (size_t i = 0; a && i < r->attributes.n; i++) {
        json_t *e = json_object();
        rc |= put_str(e, "key", r->attributes.v[i].key);
        rc |= put_str(e, "value", r->attributes.v[i].value);
        rc |= push(a, e);
    }
    if (rc != 0) {
        json_decref(o);
        return NULL;
    }
    return o;
}

int ctw_record_content_hash(const ctw_record *r, char out[33])
{
    json_t *o = ctw_record_to_json(r, CTW_JSON_CONTENT_ONLY);
    if (!o) return CTW_ENOMEM;
    char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
    json_decref(o);
    if (!text) return CTW_ENOMEM;
    unsigned char h[16];
    crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
    free(text);
    sodium_bin2hex(out, 33, h, sizeof h);
    return 0;
}

json_t *ctw_json_error(const char *code, const char *message)
{
    return json_pack("{s:{s:s,s:s}}", "error", "code", code, "message", message ? message : "");
}
