/* store.c — the backend-independent layer of ctw_store (see store.h).
 *
 * This is where the access check and the audit entry happen for every
 * read, whatever the backend: the backends only move bytes.
 */
#include <stdarg.h>
#include <stdio.h>
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

/* An export page: ids up to `after` are passed over before the access
 * check, so they are neither read nor audited; the page stops at limit. */
typedef struct export_ctx {
    iter_ctx it;
    const char *after;
    size_t limit;
    bool more;
} export_ctx;

enum { EXPORT_PAGE_FULL = 1 };

static int export_one(void *ud, const ctw_record *r)
{
    export_ctx *c = ud;
    if (c->after && strcmp(r->id, c->after) <= 0) return 0;
    if (ctw_access_check(c->it.p, r) != CTW_ACCESS_READ) return 0;
    if (c->it.count == c->limit) {
        c->more = true;
        return EXPORT_PAGE_FULL;
    }
    return iter_one(&c->it, r);
}

int ctw_store_export(ctw_store *s, const ctw_principal *p, const char *source, const char *after, size_t limit,
                     ctw_record_fn fn, void *ud, bool *more)
{
    if (!p || !fn || limit == 0) return CTW_EINVAL;
    *more = false;
    if (!ctw_access_role_permits(p, CTW_OP_EXPORT)) {
        int arc = audit(s, p, "export-denied", "", source ? source : "all sources");
        return arc != 0 ? arc : CTW_EACCES;
    }
    export_ctx c = {.it = {.p = p, .fn = fn, .ud = ud}, .after = after, .limit = limit};
    int rc = s->be->iterate(s->impl, source, false, export_one, &c);
    if (rc == EXPORT_PAGE_FULL) rc = 0;
    char detail[200];
    snprintf(detail, sizeof detail, "%zu records%s%.64s%s", c.it.count, source ? " of source " : "",
             source ? source : "", c.more ? " (more follow)" : "");
    /* written even for an empty page: the attempt is a processing too */
    int arc = audit(s, p, "export", c.it.ids ? c.it.ids : "", detail);
    free(c.it.ids);
    *more = c.more;
    return rc != 0 ? rc : arc;
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

/* Checks list for kind (see ctw_store_set_restriction); 0, or CTW_EINVAL
 * with the reason in err. */
static int check_restriction_list(ctw_restrict_kind kind, const char *list, ctw_error *err)
{
    bool wants = kind == CTW_RESTRICT_REGIONS || kind == CTW_RESTRICT_AGENCIES || kind == CTW_RESTRICT_ALL_EXCEPT;
    if (!wants) {
        if (list && *list)
            return ctw_error_set(err, CTW_EINVAL, "list", "restriction \"%s\" takes no list",
                                 ctw_restrict_kind_name(kind));
        return 0;
    }
    if (!list || !*list)
        return ctw_error_set(err, CTW_EINVAL, "list", "restriction \"%s\" needs a non-empty list",
                             ctw_restrict_kind_name(kind));
    size_t entries = 0;
    for (const char *q = list;;) {
        size_t n = 0;
        for (; q[n] && q[n] != ','; n++) {
            unsigned char c = (unsigned char)q[n];
            bool ok = (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
                      (kind == CTW_RESTRICT_REGIONS && c >= 'a' && c <= 'z');
            if (!ok)
                return ctw_error_set(err, CTW_EINVAL, "list", "entry %zu: only %s, digits and '-' are allowed",
                                     entries + 1, kind == CTW_RESTRICT_REGIONS ? "letters" : "upper-case letters");
        }
        if (n < 2 || n > 32)
            return ctw_error_set(err, CTW_EINVAL, "list", "entry %zu: 2 to 32 characters", entries + 1);
        if (++entries > CTW_RESTRICT_MAX_LIST)
            return ctw_error_set(err, CTW_EINVAL, "list", "at most %d entries", CTW_RESTRICT_MAX_LIST);
        if (!q[n]) break;
        q += n + 1;
    }
    return 0;
}

int ctw_store_set_restriction(ctw_store *s, const ctw_principal *p, const char *id, const ctw_restriction *r,
                              ctw_error *err)
{
    if (!p || !id || !*id || !r) return ctw_error_set(err, CTW_EINVAL, NULL, "missing principal, id or restriction");
    char rid[160];
    snprintf(rid, sizeof rid, "%s", id);  /* the id as the audit names it: outside input, bounded */
    ctw_record *old = NULL;
    char detail[8192];
    const char *action = "restriction-denied";
    int rc = ctw_store_begin(s);
    if (rc != 0) return ctw_error_set(err, rc, NULL, "cannot start a transaction");
    int lrc = s->be->load(s->impl, id, &old);
    if (lrc == CTW_ENOTFOUND || (lrc == 0 && ctw_access_check(p, old) == CTW_ACCESS_DENY)) {
        rc = ctw_error_set(err, CTW_ENOTFOUND, rid, "no such record");
        snprintf(detail, sizeof detail, "no such record");
    } else if (lrc != 0) {
        ctw_store_rollback(s);
        return ctw_error_set(err, lrc, rid, "cannot load the record");
    } else if (!ctw_access_can_write(p, old)) {
        rc = ctw_error_set(err, CTW_EACCES, rid, "only the owner's supervisor or agency administrator (%s) may "
                           "change who sees this record", old->owner);
        snprintf(detail, sizeof detail, "not the owner's supervisor or agency administrator (owner %s)", old->owner);
    } else if ((unsigned)r->kind > CTW_RESTRICT_HIT_ONLY) {
        rc = ctw_error_set(err, CTW_EINVAL, "kind", "unknown restriction kind");
        snprintf(detail, sizeof detail, "invalid: unknown kind");
    } else if ((rc = check_restriction_list(r->kind, r->list, err)) != 0) {
        snprintf(detail, sizeof detail, "invalid: %s", err ? err->message : "bad list");
    } else {
        const char *list = r->list && *r->list ? r->list : NULL;
        const char *ol = old->restriction.list;
        snprintf(detail, sizeof detail, "%s%s%s -> %s%s%s", ctw_restrict_kind_name(old->restriction.kind),
                 ol && *ol ? ":" : "", ol && *ol ? ol : "", ctw_restrict_kind_name(r->kind), list ? ":" : "",
                 list ? list : "");
        char now[32];
        ctw_now_iso(now);
        rc = s->be->set_restriction(s->impl, id, ctw_restrict_kind_name(r->kind), list, now);
        if (rc != 0) {
            ctw_record_free(old);
            ctw_store_rollback(s);
            return ctw_error_set(err, rc, rid, "cannot write the restriction");
        }
        action = "restriction-change";
    }
    ctw_record_free(old);
    /* a refusal commits only its audit entry */
    int arc = audit(s, p, action, rid, detail);
    if (arc == 0) arc = ctw_store_commit(s);
    if (arc != 0) {
        ctw_store_rollback(s);
        return ctw_error_set(err, arc, rid, "cannot write the audit entry");
    }
    return rc;
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

/* --- verifying the audit log (issue 5) ------------------------------------
 *
 * One pass in seq order. Each entry must give its own hash from its fields
 * and prev_hash, sit at the seq after its predecessor's, and chain to the
 * predecessor's hash; the end of the walk must be where the anchor says
 * the store's appends left it. When a link breaks, the walk reads on to
 * tell a reordering (the missing neighbour turns up later in seq order)
 * from a removal or a rewrite; memory stays constant however long the log.
 */
typedef struct verify_ctx {
    int64_t rows;              /* rows read */
    int64_t good;              /* rows found intact before the fault */
    int64_t last_seq;          /* seq of the last intact row (0: none yet) */
    char last_hash[65];        /* its hash ("" before the first entry) */
    const char *kind;          /* set once a fault is final */
    int64_t bad_seq;
    char message[256];
    /* a broken link (or a gap) at seq r after intact seq q, being classified */
    bool broken;
    int64_t q, r;
    char want_hash[65];        /* hash r chains to: its real predecessor's */
    bool want_hash_set;
    char want_prev[65];        /* hash of q: what q's real successor chains to */
    int64_t moved_seq;         /* > 0: where a neighbour turned up */
} verify_ctx;

static bool is_hash(const char *h) { return h && strlen(h) == 64; }

static int verify_row(void *ud, const ctw_audit_entry *r)
{
    verify_ctx *c = ud;
    c->rows++;
    if (c->broken) {
        if ((c->want_hash_set && r->hash && strcmp(r->hash, c->want_hash) == 0) ||
            (r->prev_hash && strcmp(r->prev_hash, c->want_prev) == 0)) {
            c->moved_seq = r->seq;
            return 1;
        }
        return 0;
    }
    bool gap = r->seq != c->last_seq + 1;
    if (!gap) {
        ctw__audit_entry e = {r->time, r->user, r->agency, r->role, r->action, r->purpose, r->records, r->detail};
        /* every column is NOT NULL: a NULL was put there outside the store */
        bool complete = e.time && e.user && e.agency && e.role && e.action && e.purpose && e.records && e.detail &&
                        r->prev_hash && r->hash;
        char h[65];
        if (complete) ctw__audit_hash(r->prev_hash, &e, h);
        if (!complete || strcmp(h, r->hash) != 0) {
            c->kind = "changed";
            c->bad_seq = r->seq;
            snprintf(c->message, sizeof c->message, "entry %lld does not match its hash: it was changed",
                     (long long)r->seq);
            return 1;
        }
    }
    if (gap || strcmp(r->prev_hash, c->last_hash) != 0) {
        c->broken = true;
        c->q = c->last_seq;
        c->r = r->seq;
        c->want_hash_set = is_hash(r->prev_hash);
        snprintf(c->want_hash, sizeof c->want_hash, "%s", c->want_hash_set ? r->prev_hash : "");
        snprintf(c->want_prev, sizeof c->want_prev, "%s", c->last_hash);
        return 0;
    }
    c->good++;
    c->last_seq = r->seq;
    snprintf(c->last_hash, sizeof c->last_hash, "%s", r->hash);
    return 0;
}

static void verify_fault(verify_ctx *c, const char *kind, int64_t seq, int64_t entries, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void verify_fault(verify_ctx *c, const char *kind, int64_t seq, int64_t entries, const char *fmt, ...)
{
    va_list ap;
    c->kind = kind;
    c->bad_seq = seq;
    c->good = entries;
    va_start(ap, fmt);
    vsnprintf(c->message, sizeof c->message, fmt, ap);
    va_end(ap);
}

/* Name the fault behind a broken link between intact seq q and seq r. */
static void verify_classify_break(verify_ctx *c, const ctw__audit_anchor *a)
{
    long long q = c->q, r = c->r;
    /* the first seq out of place: after q, unless the log starts at or below 0 */
    long long first = r > q ? q + 1 : r;
    if (c->moved_seq > 0)
        verify_fault(c, "reordered", first, c->good, "entry %lld chains to entry %lld, found later: entries were reordered",
                     r, (long long)c->moved_seq);
    else if (r <= q)
        verify_fault(c, "reordered", r, c->good, "entry %lld has a seq the store never gives: it was renumbered", r);
    else if (r != q + 1)
        verify_fault(c, "removed", first, c->good, "seq %lld is missing: the log goes from %lld to %lld", first, q, r);
    else if (a->present && a->count > c->rows)
        verify_fault(c, "removed", first, c->good,
                     "entry %lld chains to an entry that is gone; %lld entries were appended, %lld remain", r,
                     (long long)a->count, (long long)c->rows);
    else if (q > 0)
        /* q gives its own hash and chains well, yet r was chained to another
         * hash: q was edited and given a new hash */
        verify_fault(c, "changed", q, c->good - 1,
                     "entry %lld is not the entry %lld was chained to: it was changed and rehashed", q, r);
    else
        verify_fault(c, "changed", r, c->good, "entry %lld does not start the chain: its prev_hash was changed", r);
}

/* The walk was intact: compare its end with the anchor. */
static void verify_end(verify_ctx *c, const ctw__audit_anchor *a)
{
    long long last = c->last_seq;
    if (!a->present)
        verify_fault(c, "truncated", 0, c->good, "the audit anchor is missing: the newest entries may have been removed");
    else if (last < a->last_seq)
        verify_fault(c, "truncated", last + 1, c->good,
                     "the log ends at seq %lld, its anchor at seq %lld: the newest entries were removed", last,
                     (long long)a->last_seq);
    else if (last > a->last_seq)
        verify_fault(c, "added", a->last_seq + 1, c->good,
                     "entries after seq %lld were not appended by the store (its anchor ends there)",
                     (long long)a->last_seq);
    else if (strcmp(c->last_hash, a->last_hash) != 0)
        verify_fault(c, "changed", last, last > 0 ? c->good - 1 : 0,
                     "entry %lld does not hold the hash its anchor recorded: it was changed and rehashed", last);
    else if (a->count > c->rows)
        verify_fault(c, "removed", 0, c->good, "%lld entries were appended, %lld remain: entries were removed",
                     (long long)a->count, (long long)c->rows);
    else if (a->count < c->rows)
        verify_fault(c, "added", 0, c->good, "%lld entries were appended, the log holds %lld",
                     (long long)a->count, (long long)c->rows);
}

int ctw_store_audit_verify(ctw_store *s, ctw_audit_verify_result *out, ctw_error *err)
{
    if (!out) return ctw_error_set(err, CTW_EINVAL, NULL, "no result to fill");
    if (!s->be->audit_iterate)
        return ctw_error_set(err, CTW_EUNSUPPORTED, s->be->name, "this backend cannot read its audit log");
    verify_ctx c = {0};
    ctw__audit_anchor a;
    int rc = s->be->audit_iterate(s->impl, NULL, verify_row, &c, &a);
    if (rc < 0) return ctw_error_set(err, rc, s->be->name, "cannot read the audit log: %s", ctw_strerror(rc));
    if (!c.kind && c.broken) verify_classify_break(&c, &a);
    if (!c.kind && !c.broken) verify_end(&c, &a);
    memset(out, 0, sizeof *out);
    out->ok = c.kind == NULL;
    out->entries = c.good;
    out->first_bad_seq = c.kind ? c.bad_seq : 0;
    out->kind = c.kind;
    snprintf(out->message, sizeof out->message, "%s", c.kind ? c.message : "the audit log is intact");
    return 0;
}

/* --- listing the audit log ----------------------------------------------- */

typedef struct list_ctx {
    ctw_audit_fn fn;
    void *ud;
    int64_t count;
} list_ctx;

static int list_one(void *ud, const ctw_audit_entry *e)
{
    list_ctx *c = ud;
    c->count++;
    return c->fn(c->ud, e);
}

int ctw_store_audit_list(ctw_store *s, const ctw_principal *p, const ctw_audit_filter *f, ctw_audit_fn fn, void *ud)
{
    if (!p || !fn) return CTW_EINVAL;
    /* who read what is itself sensitive: it shows where investigations look */
    if (!ctw_access_role_permits(p, CTW_OP_AUDIT_READ)) return CTW_EACCES;
    if (!s->be->audit_iterate) return CTW_EUNSUPPORTED;
    if (f && f->limit > 0 && f->first > 0) return CTW_EINVAL;
    list_ctx c = {.fn = fn, .ud = ud};
    int rc = s->be->audit_iterate(s->impl, f, list_one, &c, NULL);
    if (rc != 0 && c.count == 0) return rc;
    /* the filter, so that the entry says what was looked for */
    char detail[1536];
    size_t n = (size_t)snprintf(detail, sizeof detail, "%lld audit entries", (long long)c.count);
    const char *const names[] = {"action", "user", "agency", "since", "until", "record"};
    const char *const vals[] = {f ? f->action : NULL, f ? f->user : NULL,  f ? f->agency : NULL,
                                f ? f->since : NULL,  f ? f->until : NULL, f ? f->record : NULL};
    for (size_t i = 0; i < sizeof names / sizeof names[0] && n < sizeof detail; i++)
        if (vals[i]) n += (size_t)snprintf(detail + n, sizeof detail - n, "; %s=%.200s", names[i], vals[i]);
    const char *const inames[] = {"limit", "after", "first"};
    const int64_t ivals[] = {f ? f->limit : 0, f ? f->after : 0, f ? f->first : 0};
    for (size_t i = 0; i < sizeof inames / sizeof inames[0] && n < sizeof detail; i++)
        if (ivals[i] > 0) n += (size_t)snprintf(detail + n, sizeof detail - n, "; %s=%lld", inames[i], (long long)ivals[i]);
    int arc = audit(s, p, "audit-read", NULL, detail);
    return rc != 0 ? rc : arc;
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
