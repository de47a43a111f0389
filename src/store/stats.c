/* stats.c — record counts as JSON (see ctw_stats_json in store.h).
 *
 * One function so that `ctwatch stats --json` and GET /api/v1/stats cannot
 * drift apart. Built only from ctw_store_counts(): no record is loaded, so
 * no personal data is read and no audit entry is due.
 */
#include <stdint.h>

#include "ctwatch/store.h"

/* The kinds every "by_kind" object lists, so that clients see a stable
 * shape with zeros rather than missing keys. */
static const ctw_kind all_kinds[] = {CTW_KIND_PERSON, CTW_KIND_ORGANISATION, CTW_KIND_VESSEL,
                                     CTW_KIND_AIRCRAFT};

typedef struct stats_acc {
    json_t *by_kind;
    json_t *by_source;
    int64_t active;
    int64_t removed;
    int failed; /* set on allocation failure; counting goes on harmlessly */
} stats_acc;

/* obj[key] += n, creating the key at 0 first. */
static int add_to(json_t *obj, const char *key, int64_t n)
{
    json_t *v = json_object_get(obj, key);
    if (!v) return json_object_set_new(obj, key, json_integer(n));
    return json_integer_set(v, json_integer_value(v) + n);
}

static int count_one(void *ud, const char *source, ctw_kind kind, ctw_status status, int64_t count)
{
    stats_acc *a = ud;
    const char *src = source ? source : "";
    json_t *per = json_object_get(a->by_source, src);
    if (!per) {
        per = json_object();
        if (!per || json_object_set_new(a->by_source, src, per) != 0) {
            a->failed = 1;
            return 0;
        }
    }
    if (status == CTW_STATUS_REMOVED) {
        a->removed += count;
        if (add_to(per, "removed", count) != 0) a->failed = 1;
        /* the kind appears in the source, with no active record of it yet */
        if (add_to(per, ctw_kind_name(kind), 0) != 0) a->failed = 1;
    } else {
        a->active += count;
        if (add_to(per, ctw_kind_name(kind), count) != 0) a->failed = 1;
        if (add_to(a->by_kind, ctw_kind_name(kind), count) != 0) a->failed = 1;
    }
    return 0;
}

json_t *ctw_stats_json(ctw_store *s, ctw_error *err)
{
    stats_acc a = {.by_kind = json_object(), .by_source = json_object()};
    json_t *out = NULL;
    if (!a.by_kind || !a.by_source) goto out_nomem;
    for (size_t i = 0; i < sizeof all_kinds / sizeof all_kinds[0]; i++)
        if (add_to(a.by_kind, ctw_kind_name(all_kinds[i]), 0) != 0) goto out_nomem;

    int rc = ctw_store_counts(s, count_one, &a);
    if (rc != 0) {
        ctw_error_set(err, rc, NULL, "counting records: %s", ctw_strerror(rc));
        goto out_free;
    }
    if (a.failed) goto out_nomem;
    /* "removed" last in each source, after its kinds, and always present */
    const char *src;
    json_t *per;
    json_object_foreach(a.by_source, src, per) {
        json_int_t removed = json_integer_value(json_object_get(per, "removed"));
        json_object_del(per, "removed");
        if (json_object_set_new(per, "removed", json_integer(removed)) != 0) goto out_nomem;
    }

    out = json_pack("{s:{s:I,s:I,s:I},s:O,s:O,s:i}",
                    "total", "records", (json_int_t)(a.active + a.removed),
                    "active", (json_int_t)a.active, "removed", (json_int_t)a.removed,
                    "by_kind", a.by_kind, "by_source", a.by_source,
                    "schema_version", ctw_store_schema_version(s));
    if (!out) goto out_nomem;
    goto out_free;

out_nomem:
    ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory building statistics");
out_free:
    json_decref(a.by_kind);
    json_decref(a.by_source);
    return out;
}
