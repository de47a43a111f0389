/* store.c — the backend-independent layer of ctw_store (see store.h).
 *
 * This is where the access check and the audit entry happen for every
 * read, whatever the backend: the backends only move bytes.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "ctwatch/access.h"
#include "ctwatch/json.h"
#include "ctwatch/store.h"
#include "store/store_int.h"

struct ctw_store {
    const ctw__store_backend *be;
    void *impl;
};

/* Schema version the SQLite backend migrates to (see sqlite.c). */
extern int ctw__sqlite_schema_latest(void);

const char *ctw_store_default_target(void)
{
    const char *env = getenv("CTWATCH_DB");
    return env && *env ? env : "./var/ctwatch.db";
}

int ctw_store_open(const char *target, int flags, ctw_store **out, ctw_error *err)
{
    const ctw__store_backend *be = &ctw__store_sqlite;
    if (!target || !*target) target = ctw_store_default_target();
    if (strncmp(target, "postgresql://", 13) == 0 || strncmp(target, "postgres://", 11) == 0)
        return ctw_error_set(err, CTW_EUNSUPPORTED, target,
                             "the PostgreSQL backend is not built yet; use a SQLite file");
    if (strncmp(target, "sqlite:", 7) == 0) target += 7;
    if (sodium_init() < 0) return ctw_error_set(err, CTW_ENOMEM, NULL, "libsodium failed to start");
    ctw_store *s = calloc(1, sizeof *s);
    if (!s) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    int rc = be->open(target, flags, &s->impl, err);
    if (rc != 0) {
        free(s);
        return rc;
    }
    s->be = be;
    *out = s;
    return 0;
}

void ctw_store_close(ctw_store *s)
{
    if (!s) return;
    s->be->close(s->impl);
    free(s);
}

int ctw_store_schema_version(ctw_store *s) { return s->be->schema_version(s->impl); }
int ctw_store_schema_latest(void) { return ctw__sqlite_schema_latest(); }
const char *ctw_store_backend(const ctw_store *s) { return s->be->name; }
int ctw_store_begin(ctw_store *s) { return s->be->begin(s->impl); }
int ctw_store_commit(ctw_store *s) { return s->be->commit(s->impl); }
int ctw_store_rollback(ctw_store *s) { return s->be->rollback(s->impl); }

int ctw_store_ensure_agency(ctw_store *s, const ctw_agency *a)
{
    if (!a || !a->code || !*a->code) return CTW_EINVAL;
    return s->be->ensure_agency(s->impl, a);
}

bool ctw_store_has_agency(ctw_store *s, const char *code)
{
    return code && s->be->has_agency(s->impl, code) == 1;
}

int ctw_store_head(ctw_store *s, const char *source, const char *source_id, ctw_record_head *out)
{
    if (!source || !source_id) return CTW_EINVAL;
    return s->be->head(s->impl, source, source_id, out);
}

int ctw_store_put(ctw_store *s, const ctw_principal *p, const ctw_record *r)
{
    if (!r->id || !r->owner || !r->source || !r->source_id || r->kind == CTW_KIND_UNKNOWN ||
        !r->created || !r->updated || !r->review_date)
        return CTW_EINVAL;
    if (!ctw_access_can_write(p, r)) return CTW_EACCES;
    char hash[33];
    int rc = ctw_record_content_hash(r, hash);
    if (rc != 0) return rc;
    return s->be->put(s->impl, r, hash);
}

static int audit(ctw_store *s, const ctw_principal *p, const char *action, const char *records,
                 const char *detail)
{
    char now[32];
    ctw_now_iso(now);
    ctw__audit_entry e = {
        .time = now, .user = p->user ? p->user : "", .agency = p->agency ? p->agency : "",
        .role = ctw_role_name(p->role), .action = action, .purpose = p->purpose ? p->purpose : "",
        .records = records ? records : "", .detail = detail ? detail : "",
    };
    return s->be->audit_append(s->impl, &e);
}

int ctw_store_audit(ctw_store *s, const ctw_principal *p, const char *action, const char *records,
                    const char *detail)
{
    if (!p || !action) return CTW_EINVAL;
    return audit(s, p, action, records, detail);
}

int ctw_store_get(ctw_store *s, const ctw_principal *p, const char *id, ctw_record **out)
{
    ctw_record *r = NULL;
    int rc = s->be->load(s->impl, id, &r);
    if (rc != 0) return rc;
    switch (ctw_access_check(p, r)) {
    case CTW_ACCESS_DENY:
        ctw_record_free(r);
        return CTW_ENOTFOUND;
    case CTW_ACCESS_HIT_ONLY: {
        /* Only the existence and the owner to contact leave the store. */
        ctw_record *stub = ctw_record_new(r->kind);
        if (!stub) {
            ctw_record_free(r);
            return CTW_ENOMEM;
        }
        stub->id = ctw_record_str(stub, r->id);
        stub->owner = ctw_record_str(stub, r->owner);
        stub->restriction.kind = CTW_RESTRICT_HIT_ONLY;
        ctw_record_free(r);
        rc = audit(s, p, "read-denied", stub->id, "restricted: existence and owner only");
        if (rc != 0) {
            ctw_record_free(stub);
            return rc;
        }
        *out = stub;
        return CTW_EACCES;
    }
    case CTW_ACCESS_READ:
        break;
    }
    rc = audit(s, p, "read", r->id, NULL);
    if (rc != 0) {
        ctw_record_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

/* Iteration wrapper: filters by access and collects ids for the audit. */
typedef struct iter_ctx {
    const ctw_principal *p;
    ctw_record_fn fn;
    void *ud;
    char *ids;          /* comma-separated ids read, for the audit entry */
    size_t len, cap;
    size_t count;
    int oom;
} iter_ctx;

static int iter_one(void *ud, const ctw_record *r)
{
    iter_ctx *c = ud;
    if (ctw_access_check(c->p, r) != CTW_ACCESS_READ) return 0;
    size_t need = strlen(r->id) + 2;
    if (c->len + need > c->cap) {
        size_t ncap = c->cap ? c->cap * 2 : 4096;
        while (ncap < c->len + need) ncap *= 2;
        char *n = realloc(c->ids, ncap);
        if (!n) {
            c->oom = 1;
            return CTW_ENOMEM;
        }
        c->ids = n;
        c->cap = ncap;
    }
    if (c->len) c->ids[c->len++] = ',';
    memcpy(c->ids + c->len, r->id, need - 2);
    c->len += need - 2;
    c->ids[c->len] = '\0';
    c->count++;
    return c->fn(c->ud, r);
}

int ctw_store_iterate(ctw_store *s, const ctw_principal *p, const char *source, bool include_removed,
                      ctw_record_fn fn, void *ud)
{
    iter_ctx c = {.p = p, .fn = fn, .ud = ud};
    int rc = s->be->iterate(s->impl, source, include_removed, iter_one, &c);
    if (c.count > 0) {
        char detail[160];
        snprintf(detail, sizeof detail, "%zu records%s%s", c.count, source ? " of source " : "",
                 source ? source : "");
        int arc = audit(s, p, "read-many", c.ids, detail);
        if (rc == 0) rc = arc;
    }
    free(c.ids);
    return rc;
}

typedef struct sys_ctx {
    ctw_record_fn fn;
    void *ud;
    size_t count;
} sys_ctx;

static int sys_one(void *ud, const ctw_record *r)
{
    sys_ctx *c = ud;
    c->count++;
    return c->fn(c->ud, r);
}

int ctw_store_iterate_system(ctw_store *s, const char *purpose, ctw_record_fn fn, void *ud)
{
    static const ctw_principal system = {.user = "system", .agency = "LOCAL", .role = CTW_ROLE_SYSTEM_ADMIN};
    sys_ctx c = {.fn = fn, .ud = ud};
    int rc = s->be->iterate(s->impl, NULL, false, sys_one, &c);
    char detail[160];
    snprintf(detail, sizeof detail, "%zu records for %s", c.count, purpose ? purpose : "system");
    ctw_principal p = system;
    p.purpose = purpose;
    int arc = audit(s, &p, "process", NULL, detail);
    return rc != 0 ? rc : arc;
}

int ctw_store_iterate_heads(ctw_store *s, const char *source, ctw_head_fn fn, void *ud)
{
    return s->be->iterate_heads(s->impl, source, fn, ud);
}

int ctw_store_mark_removed(ctw_store *s, const ctw_principal *p, const char *id, const char *when)
{
    ctw_record *r = NULL;
    int rc = s->be->load(s->impl, id, &r);
    if (rc != 0) return rc;
    bool ok = ctw_access_can_write(p, r);
    ctw_record_free(r);
    if (!ok) return CTW_EACCES;
    return s->be->mark_removed(s->impl, id, when);
}

int ctw_store_change_seq(ctw_store *s, int64_t *seq)
{
    return s->be->change_seq(s->impl, seq);
}

int ctw_store_counts(ctw_store *s, ctw_count_fn fn, void *ud)
{
    return s->be->counts(s->impl, fn, ud);
}

int ctw_store_note_import(ctw_store *s, const char *source, const char *format, const char *files,
                          const char *summary_json, const char *when)
{
    return s->be->note_import(s->impl, source, format, files, summary_json, when);
}

void ctw__audit_hash(const char *prev_hash, const ctw__audit_entry *e, char out[65])
{
    crypto_generichash_state st;
    unsigned char h[32];
    const char *fields[] = {prev_hash ? prev_hash : "", e->time, e->user, e->agency, e->role,
                            e->action, e->purpose, e->records, e->detail};
    crypto_generichash_init(&st, NULL, 0, sizeof h);
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        const char *f = fields[i] ? fields[i] : "";
        /* length-prefixed so that moving bytes between fields changes the hash */
        unsigned char len[8];
        size_t n = strlen(f);
        for (int b = 0; b < 8; b++) len[b] = (unsigned char)(n >> (8 * b));
        crypto_generichash_update(&st, len, sizeof len);
        crypto_generichash_update(&st, (const unsigned char *)f, n);
    }
    crypto_generichash_final(&st, h, sizeof h);
    sodium_bin2hex(out, 65, h, sizeof h);
}

void ctw_now_iso(char buf[32])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

/* For travel.c, which shares this layer but not the handle's layout. */
const ctw__store_backend *ctw__store_be(ctw_store *s) { return s->be; }
void *ctw__store_impl(ctw_store *s) { return s->impl; }
