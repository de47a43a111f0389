/* travel.c — the backend-independent layer of the travel tables (issue 4):
 * the access decision and the audit entry for documents, rules and
 * movements, as store.c does for records. See store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/access.h"
#include "ctwatch/store.h"
#include "store/store_int.h"

#define BE(s) ctw__store_be(s)
#define IMPL(s) ctw__store_impl(s)

static bool same(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "") == 0;
}

/* Five years on from an ISO date-time "YYYY-...": the review date of
 * INTERPOL's Rules on the Processing of Data (art. 49). */
static void review_after_five_years(const char *now, char out[16])
{
    unsigned y = 0;
    for (int i = 0; i < 4 && now[i] >= '0' && now[i] <= '9'; i++) y = y * 10 + (unsigned)(now[i] - '0');
    snprintf(out, 16, "%04u%.6s", (y + 5) % 10000, strlen(now) >= 10 ? now + 4 : "-01-01");
}

int ctw_store_put_document(ctw_store *s, const ctw_principal *p, const ctw_document *d, int *outcome,
                           int64_t *ref)
{
    if (!p || !d || !d->issuing_state || !d->number || !d->number_norm || !d->status || !d->owner)
        return CTW_EINVAL;
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_document old;
    int rc = BE(s)->document_by_key(IMPL(s), d->issuing_state, d->number_norm, d->type, &a, &old);
    char now[32];
    ctw_now_iso(now);
    if (rc == CTW_ENOTFOUND) {
        if (!ctw_access_can_write_owned(p, d->owner)) {
            ctw_arena_free(&a);
            return CTW_EACCES;
        }
        ctw_document n = *d;
        char review[16];
        if (!n.created) n.created = now;
        if (!n.updated) n.updated = now;
        if (!n.review_date) {
            review_after_five_years(n.created, review);
            n.review_date = review;
        }
        rc = BE(s)->document_insert(IMPL(s), &n, ref);
        if (rc == 0 && outcome) *outcome = CTW_PUT_ADDED;
    } else if (rc == 0) {
        /* only the owner changes its document; a report by another agency
         * of the same document is refused, not merged */
        if (!ctw_access_can_write_owned(p, old.owner) || !same(old.owner, d->owner)) {
            ctw_arena_free(&a);
            return CTW_EACCES;
        }
        if (ref) *ref = old.ref;
        if (same(old.status, d->status) && same(old.reported, d->reported) && same(old.number, d->number)) {
            if (outcome) *outcome = CTW_PUT_UNCHANGED;
        } else {
            ctw_document n = old;
            n.number = d->number;
            n.status = d->status;
            n.reported = d->reported;
            n.updated = d->updated ? d->updated : now;
            rc = BE(s)->document_update(IMPL(s), &n);
            if (rc == 0 && outcome) *outcome = CTW_PUT_CHANGED;
        }
    }
    ctw_arena_free(&a);
    return rc;
}

static int audit_entry(ctw_store *s, const ctw_principal *p, const char *action, const char *records,
                       const char *detail)
{
    return ctw_store_audit(s, p, action, records, detail);
}

int ctw_store_get_document(ctw_store *s, const ctw_principal *p, int64_t ref, ctw_arena *a, ctw_document *out)
{
    if (!p || !a || !out) return CTW_EINVAL;
    ctw_document d;
    int rc = BE(s)->document_by_ref(IMPL(s), ref, a, &d);
    if (rc != 0) return rc;
    char rid[32];
    snprintf(rid, sizeof rid, "doc:%lld", (long long)ref);
    switch (ctw_access_check_owned(p, d.owner, &d.restriction)) {
    case CTW_ACCESS_DENY:
        return CTW_ENOTFOUND;
    case CTW_ACCESS_HIT_ONLY:
        memset(out, 0, sizeof *out);
        out->ref = d.ref;
        out->status = d.status;
        out->owner = d.owner;
        out->restriction.kind = CTW_RESTRICT_HIT_ONLY;
        rc = audit_entry(s, p, "read-denied", rid, "restricted document: status and owner only");
        return rc != 0 ? rc : CTW_EACCES;
    case CTW_ACCESS_READ:
        break;
    }
    rc = audit_entry(s, p, "read", rid, "stolen/lost document");
    if (rc != 0) return rc;
    *out = d;
    return 0;
}

typedef struct doc_iter {
    ctw_document_fn fn;
    void *ud;
    size_t count;
} doc_iter;

static int doc_iter_one(void *ud, const ctw_document *d)
{
    doc_iter *c = ud;
    c->count++;
    return c->fn(c->ud, d);
}

int ctw_store_iterate_documents_system(ctw_store *s, const char *purpose, ctw_document_fn fn, void *ud,
                                       int64_t *last_change)
{
    static const ctw_principal system = {.user = "system", .agency = "LOCAL", .role = CTW_ROLE_SYSTEM_ADMIN};
    doc_iter c = {.fn = fn, .ud = ud};
    int64_t last = 0;
    int rc = BE(s)->document_iterate(IMPL(s), doc_iter_one, &c, &last);
    if (last_change) *last_change = last;
    char detail[160];
    snprintf(detail, sizeof detail, "%zu documents for %s", c.count, purpose ? purpose : "system");
    ctw_principal p = system;
    p.purpose = purpose;
    int arc = audit_entry(s, &p, "process", NULL, detail);
    return rc != 0 ? rc : arc;
}

int ctw_store_document_changes(ctw_store *s, int64_t since, ctw_document_change_fn fn, void *ud)
{
    return BE(s)->document_changes(IMPL(s), since, fn, ud);
}

int ctw_store_find_documents(ctw_store *s, const char *state, const char *number_norm,
                             int (*fn)(void *ud, int64_t ref), void *ud)
{
    if (!state || !number_norm || !fn) return CTW_EINVAL;
    return BE(s)->document_find(IMPL(s), state, number_norm, fn, ud);
}

int ctw_store_document_row(ctw_store *s, int64_t ref, ctw_arena *a, ctw_document *out)
{
    return BE(s)->document_by_ref(IMPL(s), ref, a, out);
}

int ctw_store_document_counts(ctw_store *s, ctw_status_count_fn fn, void *ud)
{
    return BE(s)->document_counts(IMPL(s), fn, ud);
}

/* --- rules ------------------------------------------------------------------ */

int ctw_store_put_rule(ctw_store *s, const ctw_principal *p, const char *id, const ctw_rule_row *r,
                       char *id_out, size_t id_cap, int64_t *version_out)
{
    if (!p || !r || !r->name || !r->severity || !r->definition) return CTW_EINVAL;
    /* rules are written by analysts and those above them, never by a
     * border officer or a border system's key */
    if (!ctw_access_role_permits(p, CTW_OP_RULES_WRITE)) return CTW_EACCES;
    char now[32];
    ctw_now_iso(now);
    ctw_rule_row row = *r;
    row.id = id;
    row.author = p->user ? p->user : "";
    row.agency = p->agency ? p->agency : "";
    row.created = now;
    char newid[32];
    int64_t version = 0;
    int rc = ctw_store_begin(s);
    if (rc != 0) return rc;
    rc = BE(s)->rule_put(IMPL(s), &row, newid, sizeof newid, &version);
    if (rc == 0) {
        char detail[300];
        snprintf(detail, sizeof detail, "version %lld: %.200s", (long long)version, r->name);
        rc = audit_entry(s, p, "rule-change", newid, detail);
    }
    if (rc == 0) rc = ctw_store_commit(s);
    else ctw_store_rollback(s);
    if (rc != 0) return rc;
    if (id_out && id_cap) snprintf(id_out, id_cap, "%s", newid);
    if (version_out) *version_out = version;
    return 0;
}

json_t *ctw_rule_row_json(const ctw_rule_row *r)
{
    json_error_t jerr;
    json_t *def = json_loads(r->definition, 0, &jerr);  /* stored canonical: parses */
    return json_pack("{s:s,s:I,s:s,s:s,s:b,s:o*,s:s,s:s,s:s}", "id", r->id, "version", (json_int_t)r->version,
                     "name", r->name, "severity", r->severity, "enabled", r->enabled, "definition", def,
                     "author", r->author, "agency", r->agency, "created", r->created);
}

int ctw_store_iterate_rules(ctw_store *s, bool all_versions, ctw_rule_row_fn fn, void *ud)
{
    return BE(s)->rule_iterate(IMPL(s), NULL, 0, all_versions, fn, ud);
}

int ctw_store_get_rule(ctw_store *s, const char *id, int64_t version, ctw_rule_row_fn fn, void *ud)
{
    if (!id) return CTW_EINVAL;
    return BE(s)->rule_iterate(IMPL(s), id, version, false, fn, ud);
}

/* --- movements ---------------------------------------------------------------- */

int ctw_store_add_movement(ctw_store *s, const ctw_principal *p, const ctw_movement *m, int64_t *seq)
{
    if (!p || !m || !m->reason || !m->source || !m->agency || !m->recorded) return CTW_EINVAL;
    if (strcmp(m->reason, "match") != 0 && strcmp(m->reason, "co-traveller") != 0) return CTW_EINVAL;
    return BE(s)->movement_add(IMPL(s), m, seq);
}

int ctw_store_add_link(ctw_store *s, int64_t a, int64_t b, const char *type, const char *date,
                       const char *source)
{
    if (!type || !source) return CTW_EINVAL;
    return BE(s)->link_add(IMPL(s), a, b, type, date, source);
}

/* Co-travellers may have matched other persons of interest: name that
 * person only to a principal who may read that record. */
static void scrub_people(ctw_store *s, const ctw_principal *p, json_t *movements)
{
    size_t i, j;
    json_t *e, *co;
    json_array_foreach(movements, i, e) {
        json_array_foreach(json_object_get(e, "co_travellers"), j, co) {
            const char *person = json_string_value(json_object_get(co, "person"));
            if (!person) continue;
            ctw_record *r = NULL;
            bool ok = BE(s)->load(IMPL(s), person, &r) == 0 && ctw_access_check(p, r) == CTW_ACCESS_READ;
            ctw_record_free(r);
            if (!ok) json_object_del(co, "person");
        }
    }
}

int ctw_store_person_movements(ctw_store *s, const ctw_principal *p, const char *id, json_t **out)
{
    if (!p || !id || !out) return CTW_EINVAL;
    ctw_record *r = NULL;
    int rc = BE(s)->load(IMPL(s), id, &r);
    if (rc != 0) return rc;
    ctw_access acc = ctw_access_check(p, r);
    ctw_record_free(r);
    if (acc == CTW_ACCESS_DENY) return CTW_ENOTFOUND;
    if (acc == CTW_ACCESS_HIT_ONLY) {
        rc = audit_entry(s, p, "read-denied", id, "movements of a restricted record");
        return rc != 0 ? rc : CTW_EACCES;
    }
    json_t *arr = NULL;
    char *ids = NULL;
    rc = BE(s)->person_movements(IMPL(s), id, &arr, &ids);
    if (rc != 0) return rc;
    scrub_people(s, p, arr);
    char detail[160];
    snprintf(detail, sizeof detail, "movements of %.64s: %zu", id, json_array_size(arr));
    size_t rl = strlen(id) + (ids ? strlen(ids) : 0) + 2;
    char *records = malloc(rl);
    if (records) snprintf(records, rl, "%s%s%s", id, ids && *ids ? "," : "", ids ? ids : "");
    rc = audit_entry(s, p, "read", records ? records : id, detail);
    free(records);
    free(ids);
    if (rc != 0) {
        json_decref(arr);
        return rc;
    }
    *out = arr;
    return 0;
}
