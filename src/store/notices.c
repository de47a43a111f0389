/* notices.c — notices on records: the rules, the access check and the
 * audit (see notice.h). The backend (sqlite_notices.c) only moves rows.
 *
 * Every read passes ctw_access_check_owned() with the owner and the
 * restriction of the notice's record, read in the same query as the
 * notice; every write runs in a transaction with its audit entry, and a
 * refusal commits only its audit entry ("notice-denied").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctwatch/clock.h"
#include "ctwatch/notice.h"
#include "ctwatch/store.h"
#include "store/store_int.h"

#define BE(s) ctw__store_be(s)
#define IMPL(s) ctw__store_impl(s)
#define AUDIT_IDS_MAX (256 * 1024) /* record ids named in one read-many entry */

static const char *const kinds[] = {"red", "blue", "yellow", "green", "orange", "black", "purple",
                                    "un-special", "diffusion", "national", "sanctions"};
static const char *const actions[] = {"arrest", "locate", "inform", "monitor"};
static const char *const states[] = {"draft", "review", "published", "cancelled", "expired"};

static bool one_of(const char *v, const char *const *set, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        if (strcmp(v, set[i]) == 0) return true;
    return false;
}

bool ctw_notice_kind_valid(const char *kind) { return one_of(kind, kinds, sizeof kinds / sizeof kinds[0]); }
bool ctw_notice_action_valid(const char *a) { return one_of(a, actions, sizeof actions / sizeof actions[0]); }
bool ctw_notice_state_valid(const char *st) { return one_of(st, states, sizeof states / sizeof states[0]); }

/* Today in UTC as "YYYY-MM-DD", by ctw_clock_now(): time(NULL) in every
 * shipped build; a test can move it to see a notice expire (clock.h). */
static void today(char out[16])
{
    time_t t = (time_t)ctw_clock_now();
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

bool ctw_notice_date_in_future(const char *d)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return false;
    int y = (d[0] - '0') * 1000 + (d[1] - '0') * 100 + (d[2] - '0') * 10 + (d[3] - '0');
    int m = (d[5] - '0') * 10 + (d[6] - '0');
    int day = (d[8] - '0') * 10 + (d[9] - '0');
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12 || day < 1) return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (day > mdays[m - 1] + (m == 2 && leap)) return false;
    char now[16];
    today(now);
    return strcmp(d, now) > 0;
}

bool ctw_notice_parse_id(const char *id, int64_t *seq)
{
    if (!id || id[0] != 'N' || id[1] != '-' || id[2] < '1' || id[2] > '9') return false;
    int64_t v = 0;
    size_t i = 2;
    for (; id[i]; i++) {
        if (id[i] < '0' || id[i] > '9' || i > 19) return false;
        v = v * 10 + (id[i] - '0');
    }
    *seq = v;
    return true;
}

/* A published notice whose validity has passed reads as expired. */
static void read_state(ctw_notice *n, const char *day)
{
    if (n->state && strcmp(n->state, "published") == 0 && n->valid_until && strcmp(n->valid_until, day) < 0)
        n->state = "expired";
}

static bool member(const ctw_principal *p, const char *owner)
{
    return p && !p->scope && p->agency && owner && strcmp(p->agency, owner) == 0;
}

/* create and submit: officer, analyst or supervisor of the owner agency */
static bool may_draft(const ctw_principal *p, const char *owner)
{
    return member(p, owner) &&
           (p->role == CTW_ROLE_OFFICER || p->role == CTW_ROLE_ANALYST || p->role == CTW_ROLE_SUPERVISOR);
}

/* publish and cancel: a supervisor of the owner agency */
static bool may_decide(const ctw_principal *p, const char *owner)
{
    return member(p, owner) && p->role == CTW_ROLE_SUPERVISOR;
}

/* Commit the transaction with one audit entry, or roll everything back. */
static int finish(ctw_store *s, const ctw_principal *p, const char *action, const char *records, const char *detail)
{
    int rc = ctw_store_audit(s, p, action, records, detail);
    if (rc == 0) rc = ctw_store_commit(s);
    if (rc != 0) ctw_store_rollback(s);
    return rc;
}

/* A refusal: only its audit entry is committed; returns code. */
static int refuse(ctw_store *s, const ctw_principal *p, const char *records, int code, ctw_error *err,
                  const char *detail)
{
    int rc = finish(s, p, "notice-denied", records, detail);
    if (rc != 0) return ctw_error_set(err, rc, NULL, "cannot write the audit entry");
    return code;
}

/* Copy n's strings into a so that *out outlives the statement. */
static int copy_out(const ctw_notice *n, ctw_arena *a, ctw_notice *out)
{
    ctw_notice c = *n;
    const char **f[] = {&c.record, &c.kind, &c.state, &c.action, &c.summary, &c.valid_until, &c.owner,
                        &c.created, &c.created_by, &c.updated, &c.published, &c.published_by,
                        &c.cancelled, &c.cancelled_by, &c.cancel_reason};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++) {
        if (!*f[i]) continue;
        if (!(*f[i] = ctw_arena_strdup(a, *f[i]))) return CTW_ENOMEM;
    }
    *out = c;
    return 0;
}

int ctw_notice_create(ctw_store *s, const ctw_principal *p, const ctw_notice_new *n, ctw_arena *a,
                      ctw_notice *out, ctw_error *err)
{
    if (!s || !p || !n || !a) return ctw_error_set(err, CTW_EINVAL, NULL, "missing argument");
    if (!n->record || !*n->record || strlen(n->record) > 64)
        return ctw_error_set(err, CTW_EINVAL, "record", "a record id is required (at most 64 characters)");
    if (!ctw_notice_kind_valid(n->kind))
        return ctw_error_set(err, CTW_EINVAL, "kind",
                             "kind is one of red, blue, yellow, green, orange, black, purple, un-special, "
                             "diffusion, national, sanctions");
    if (!ctw_notice_action_valid(n->action))
        return ctw_error_set(err, CTW_EINVAL, "action", "action is one of arrest, locate, inform, monitor");
    if (n->summary && strlen(n->summary) > CTW_NOTICE_SUMMARY_MAX)
        return ctw_error_set(err, CTW_EINVAL, "summary", "at most %d bytes", CTW_NOTICE_SUMMARY_MAX);
    if (n->valid_until && !ctw_notice_date_in_future(n->valid_until))
        return ctw_error_set(err, CTW_EINVAL, "valid_until", "a real date YYYY-MM-DD after today");

    int rc = ctw_store_begin(s);
    if (rc != 0) return ctw_error_set(err, rc, NULL, "cannot start a transaction");
    ctw_record *r = NULL;
    int lrc = BE(s)->load(IMPL(s), n->record, &r);
    if (lrc != 0 && lrc != CTW_ENOTFOUND) {
        ctw_store_rollback(s);
        return ctw_error_set(err, lrc, "record", "cannot load the record");
    }
    char detail[256];
    if (lrc == CTW_ENOTFOUND || ctw_access_check(p, r) != CTW_ACCESS_READ) {
        /* hit-only included: another agency learns nothing more here */
        ctw_record_free(r);
        ctw_error_set(err, CTW_ENOTFOUND, "record", "no such record");
        snprintf(detail, sizeof detail, "create: no such record");
        return refuse(s, p, lrc == 0 ? n->record : "", CTW_ENOTFOUND, err, detail);
    }
    if (!may_draft(p, r->owner)) {
        ctw_error_set(err, CTW_EACCES, "record",
                      "only an officer, analyst or supervisor of %s may put a notice on its record", r->owner);
        snprintf(detail, sizeof detail, "create: not a drafter of the owner (owner %.64s)", r->owner);
        ctw_record_free(r);
        return refuse(s, p, n->record, CTW_EACCES, err, detail);
    }
    if (r->status != CTW_STATUS_ACTIVE) {
        ctw_record_free(r);
        ctw_error_set(err, CTW_ECONFLICT, "record", "the record was removed by its source");
        return refuse(s, p, n->record, CTW_ECONFLICT, err, "create: record removed");
    }
    char now[32];
    ctw_now_iso(now);
    ctw_notice row = {.record = r->id, .kind = n->kind, .state = "draft", .action = n->action,
                      .summary = n->summary, .valid_until = n->valid_until, .owner = r->owner,
                      .created = now, .created_by = p->user ? p->user : "", .updated = now};
    int64_t seq = 0;
    rc = BE(s)->notice_insert(IMPL(s), &row, &seq);
    if (rc == 0) {
        snprintf(detail, sizeof detail, "N-%lld: collection: %s, %s, draft", (long long)seq, n->kind, n->action);
        rc = finish(s, p, "notice-create", r->id, detail);
    } else {
        ctw_store_rollback(s);
    }
    ctw_record_free(r);
    if (rc != 0) return ctw_error_set(err, rc, NULL, "cannot store the notice: %s", ctw_strerror(rc));
    if (out) {
        const char *owner;
        ctw_restriction rr;
        rc = BE(s)->notice_get(IMPL(s), seq, a, out, &owner, &rr);
        if (rc != 0) return ctw_error_set(err, rc, NULL, "cannot read the new notice");
    }
    return 0;
}

typedef enum { STEP_SUBMIT, STEP_PUBLISH, STEP_CANCEL } step_kind;

static int transition(ctw_store *s, const ctw_principal *p, const char *id, step_kind step, const char *reason,
                      ctw_arena *a, ctw_notice *out, ctw_error *err)
{
    static const char *const names[] = {"submit", "publish", "cancel"};
    const char *name = names[step];
    if (!s || !p || !id || !a) return ctw_error_set(err, CTW_EINVAL, NULL, "missing argument");
    if (reason && strlen(reason) > CTW_NOTICE_REASON_MAX)
        return ctw_error_set(err, CTW_EINVAL, "reason", "at most %d bytes", CTW_NOTICE_REASON_MAX);
    int64_t seq;
    if (!ctw_notice_parse_id(id, &seq)) return ctw_error_set(err, CTW_ENOTFOUND, NULL, "no such notice");
    char day[16], now[32], detail[400];
    today(day);
    ctw_now_iso(now);
    int rc = ctw_store_begin(s);
    if (rc != 0) return ctw_error_set(err, rc, NULL, "cannot start a transaction");
    ctw_notice n;
    const char *owner = NULL;
    ctw_restriction rr;
    rc = BE(s)->notice_get(IMPL(s), seq, a, &n, &owner, &rr);
    if (rc != 0 && rc != CTW_ENOTFOUND) {
        ctw_store_rollback(s);
        return ctw_error_set(err, rc, NULL, "cannot load the notice");
    }
    if (rc == CTW_ENOTFOUND || ctw_access_check_owned(p, owner, &rr) != CTW_ACCESS_READ) {
        ctw_error_set(err, CTW_ENOTFOUND, NULL, "no such notice");
        snprintf(detail, sizeof detail, "N-%lld: %s: no such notice", (long long)seq, name);
        return refuse(s, p, rc == 0 ? n.record : "", CTW_ENOTFOUND, err, detail);
    }
    bool allowed = step == STEP_SUBMIT ? may_draft(p, owner) : may_decide(p, owner);
    if (!allowed) {
        ctw_error_set(err, CTW_EACCES, NULL, step == STEP_SUBMIT
                                                 ? "only an officer, analyst or supervisor of %s may submit it"
                                                 : "only a supervisor of %s may %s it",
                      owner, name);
        snprintf(detail, sizeof detail, "%s: %s: not allowed (owner %.64s)", n.id, name, owner);
        return refuse(s, p, n.record, CTW_EACCES, err, detail);
    }
    const char *from = n.state;
    bool ok = step == STEP_SUBMIT    ? strcmp(from, "draft") == 0
              : step == STEP_PUBLISH ? strcmp(from, "review") == 0
                                     : strcmp(from, "cancelled") != 0;
    if (ok && step == STEP_PUBLISH && n.valid_until && strcmp(n.valid_until, day) < 0) {
        ctw_error_set(err, CTW_ECONFLICT, NULL, "the notice's validity (%s) has passed", n.valid_until);
        snprintf(detail, sizeof detail, "%s: publish: validity passed", n.id);
        return refuse(s, p, n.record, CTW_ECONFLICT, err, detail);
    }
    if (!ok) {
        read_state(&n, day);
        ctw_error_set(err, CTW_ECONFLICT, NULL, "a %s notice cannot be %s", n.state,
                      step == STEP_SUBMIT ? "submitted (only a draft)"
                      : step == STEP_PUBLISH ? "published (only one in review)"
                                             : "cancelled again");
        snprintf(detail, sizeof detail, "%s: %s: wrong state %s", n.id, name, n.state);
        return refuse(s, p, n.record, CTW_ECONFLICT, err, detail);
    }
    ctw_notice c = n;
    c.updated = now;
    if (step == STEP_SUBMIT) {
        c.state = "review";
    } else if (step == STEP_PUBLISH) {
        c.state = "published";
        c.published = now;
        c.published_by = p->user ? p->user : "";
    } else {
        c.state = "cancelled";
        c.cancelled = now;
        c.cancelled_by = p->user ? p->user : "";
        c.cancel_reason = reason;
    }
    rc = BE(s)->notice_set_state(IMPL(s), &c, from);
    if (rc != 0) {
        ctw_store_rollback(s);
        return ctw_error_set(err, rc, NULL, "cannot change the notice: %s", ctw_strerror(rc));
    }
    char action[32];
    snprintf(action, sizeof action, "notice-%s", name);
    snprintf(detail, sizeof detail, "%s: alteration: %s -> %s%s%.200s", n.id, from, c.state,
             reason && *reason ? ": " : "", reason && *reason ? reason : "");
    rc = finish(s, p, action, n.record, detail);
    if (rc != 0) return ctw_error_set(err, rc, NULL, "cannot commit: %s", ctw_strerror(rc));
    if (out) {
        read_state(&c, day);
        if ((rc = copy_out(&c, a, out)) != 0) return ctw_error_set(err, rc, NULL, "out of memory");
    }
    return 0;
}

int ctw_notice_submit(ctw_store *s, const ctw_principal *p, const char *id, ctw_arena *a, ctw_notice *out,
                      ctw_error *err)
{
    return transition(s, p, id, STEP_SUBMIT, NULL, a, out, err);
}

int ctw_notice_publish(ctw_store *s, const ctw_principal *p, const char *id, ctw_arena *a, ctw_notice *out,
                       ctw_error *err)
{
    return transition(s, p, id, STEP_PUBLISH, NULL, a, out, err);
}

int ctw_notice_cancel(ctw_store *s, const ctw_principal *p, const char *id, const char *reason, ctw_arena *a,
                      ctw_notice *out, ctw_error *err)
{
    return transition(s, p, id, STEP_CANCEL, reason, a, out, err);
}

int ctw_notice_get(ctw_store *s, const ctw_principal *p, const char *id, ctw_arena *a, ctw_notice *out)
{
    int64_t seq;
    if (!s || !p || !a || !out) return CTW_EINVAL;
    if (!ctw_notice_parse_id(id, &seq)) return CTW_ENOTFOUND;
    ctw_notice n;
    const char *owner;
    ctw_restriction rr;
    int rc = BE(s)->notice_get(IMPL(s), seq, a, &n, &owner, &rr);
    if (rc != 0) return rc;
    char detail[64];
    switch (ctw_access_check_owned(p, owner, &rr)) {
    case CTW_ACCESS_DENY:
        return CTW_ENOTFOUND;
    case CTW_ACCESS_HIT_ONLY:
        snprintf(detail, sizeof detail, "notice %s of a restricted record", n.id);
        rc = ctw_store_audit(s, p, "read-denied", n.record, detail);
        return rc != 0 ? rc : CTW_ENOTFOUND;
    case CTW_ACCESS_READ:
        break;
    }
    snprintf(detail, sizeof detail, "notice %s", n.id);
    rc = ctw_store_audit(s, p, "read", n.record, detail);
    if (rc != 0) return rc;
    char day[16];
    today(day);
    read_state(&n, day);
    *out = n;
    return 0;
}

typedef struct list_ctx {
    const ctw_principal *p;
    const char *day;
    int limit, count;
    ctw_notice_fn fn;
    void *ud;
    int frc;            /* fn's stop value */
    char *ids;          /* record ids shown, for the audit entry */
    size_t len;
    bool cut;
} list_ctx;

enum { LIST_FULL = 1 };

static int list_one(void *ud, const ctw_notice *n, const char *owner, const ctw_restriction *rr)
{
    list_ctx *c = ud;
    if (ctw_access_check_owned(c->p, owner, rr) != CTW_ACCESS_READ) return 0;
    ctw_notice v = *n;
    read_state(&v, c->day);
    size_t need = strlen(v.record) + 1;
    if (!c->cut && c->len + need + 1 < AUDIT_IDS_MAX) {
        c->len += (size_t)snprintf(c->ids + c->len, AUDIT_IDS_MAX - c->len, "%s%s", c->len ? "," : "", v.record);
    } else {
        c->cut = true;
    }
    c->count++;
    if ((c->frc = c->fn(c->ud, &v)) != 0) return c->frc;
    return c->count >= c->limit ? LIST_FULL : 0;
}

int ctw_notice_list(ctw_store *s, const ctw_principal *p, const ctw_notice_filter *f, ctw_notice_fn fn, void *ud)
{
    if (!s || !p || !fn) return CTW_EINVAL;
    int limit = f && f->limit > 0 ? f->limit : 100;
    if (limit > CTW_NOTICE_LIST_MAX) return CTW_EINVAL;
    if (f && ((f->state && !ctw_notice_state_valid(f->state)) || (f->kind && !ctw_notice_kind_valid(f->kind))))
        return CTW_EINVAL;
    char day[16];
    today(day);
    list_ctx c = {.p = p, .day = day, .limit = limit, .fn = fn, .ud = ud, .ids = malloc(AUDIT_IDS_MAX)};
    if (!c.ids) return CTW_ENOMEM;
    c.ids[0] = '\0';
    int rc = BE(s)->notice_iterate(IMPL(s), f, day, list_one, &c);
    if (rc == LIST_FULL) rc = 0;
    if (c.count > 0) {
        char detail[160];
        snprintf(detail, sizeof detail, "%d notices%s", c.count, c.cut ? " (record list cut at 256 KiB)" : "");
        int arc = ctw_store_audit(s, p, "read-many", c.ids, detail);
        if (rc == 0) rc = arc;
    }
    free(c.ids);
    return rc;
}

json_t *ctw_notice_json(const ctw_notice *n)
{
    return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s,s:s,s:s,s:s,s:s?,s:s?,s:s?,s:s?,s:s?}", "id", n->id,
                     "record", n->record, "kind", n->kind, "state", n->state, "action", n->action, "summary",
                     n->summary, "valid_until", n->valid_until, "owner", n->owner ? n->owner : "", "created",
                     n->created ? n->created : "", "created_by", n->created_by ? n->created_by : "", "updated",
                     n->updated ? n->updated : "", "published", n->published, "published_by", n->published_by,
                     "cancelled", n->cancelled, "cancelled_by", n->cancelled_by, "cancel_reason",
                     n->cancel_reason);
}

int ctw_notice_annotate_hits(ctw_store *s, const ctw_principal *p, json_t *hits, ctw_notice_known_fn known, void *ud)
{
    if (!s || !p || !json_is_array(hits)) return CTW_EINVAL;
    if (json_array_size(hits) == 0) return 0;
    char day[16];
    today(day);
    ctw_arena a;
    ctw_arena_init(&a);
    int rc = 0;
    for (size_t i = 0; i < json_array_size(hits);) {
        json_t *h = json_array_get(hits, i);
        const char *rec = json_string_value(json_object_get(h, "record"));
        ctw_notice_known k = {.kind = NULL};
        rc = known && rec ? known(ud, rec, day, &k) : CTW_NOTICE_ASK_STORE;
        if (rc == CTW_NOTICE_ASK_STORE) {
            ctw_notice n;
            rc = rec ? BE(s)->notice_best(IMPL(s), rec, day, &a, &n, &k.owner, &k.restriction) : CTW_ENOTFOUND;
            if (rc == 0) {
                memcpy(k.id, n.id, sizeof k.id);
                k.kind = n.kind;
                k.action = n.action;
            }
        }
        if (rc == CTW_ENOTFOUND) {
            /* no longer screenable (expired since the index was built) */
            json_array_remove(hits, i);
            rc = 0;
            continue;
        }
        if (rc != 0) break;
        if (!json_is_true(json_object_get(h, "restricted")) &&
            ctw_access_check_owned(p, k.owner, &k.restriction) == CTW_ACCESS_READ) {
            /* member by member: json_pack reads its format each time, and
             * every answer with hits comes here (see screen.c) */
            json_t *o = json_object();
            bool ok = o && json_object_set_new_nocheck(o, "id", json_string(k.id)) == 0 &&
                      json_object_set_new_nocheck(o, "kind", json_string(k.kind)) == 0 &&
                      json_object_set_new_nocheck(o, "action", json_string(k.action)) == 0;
            if (!ok) json_decref(o);
            if (!ok || json_object_set_new_nocheck(h, "notice", o) != 0) {
                rc = CTW_ENOMEM;
                break;
            }
        }
        i++;
    }
    ctw_arena_free(&a);
    return rc;
}

bool ctw_notice_hit_ids(json_t *hits, char *buf, size_t cap, size_t *len)
{
    size_t i;
    json_t *h;
    if (cap == 0) return false;
    json_array_foreach(hits, i, h) {
        const char *id = json_string_value(json_object_get(json_object_get(h, "notice"), "id"));
        if (!id) continue;
        int n = snprintf(buf + *len, cap - *len, "%s%s", *len ? "," : "", id);
        if (n < 0 || (size_t)n >= cap - *len) {
            buf[*len] = '\0';
            return false;
        }
        *len += (size_t)n;
    }
    return true;
}

int ctw_notice_import_publish_many(ctw_store *s, const char *const *records, size_t n, const char *kind,
                                   const char *action, const char *owner, const char *now)
{
    if (!s || (n && !records) || !ctw_notice_kind_valid(kind) || !ctw_notice_action_valid(action) || !owner || !now)
        return CTW_EINVAL;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i += CTW__NOTICE_BATCH) {
        size_t k = n - i < CTW__NOTICE_BATCH ? n - i : CTW__NOTICE_BATCH;
        rc = BE(s)->notice_publish_batch(IMPL(s), records + i, k, kind, action, owner, now);
    }
    return rc;
}

int ctw_notice_import_publish(ctw_store *s, const char *record, const char *kind, const char *action,
                              const char *owner, const char *now)
{
    if (!record) return CTW_EINVAL;
    return ctw_notice_import_publish_many(s, &record, 1, kind, action, owner, now);
}

int ctw_notice_iterate_published(ctw_store *s, ctw_notice_fn fn, void *ud)
{
    if (!s || !fn) return CTW_EINVAL;
    return BE(s)->notice_iterate_published(IMPL(s), fn, ud);
}

int ctw_notice_import_cancel(ctw_store *s, const char *record, const char *now)
{
    if (!record || !now) return CTW_EINVAL;
    return BE(s)->notice_cancel_record(IMPL(s), record, now, "import", "removed from source");
}

/* --- the screening index's view of the store ------------------------------- */

typedef struct screenable_ctx {
    ctw_record_fn fn;
    void *ud;
    size_t count;
} screenable_ctx;

static int screenable_one(void *ud, const ctw_record *r)
{
    screenable_ctx *c = ud;
    c->count++;
    return c->fn(c->ud, r);
}

int ctw_store_iterate_screenable(ctw_store *s, const char *purpose, ctw_record_fn fn, void *ud)
{
    static const ctw_principal system = {.user = "system", .agency = "LOCAL", .role = CTW_ROLE_SYSTEM_ADMIN};
    char day[16];
    today(day);
    screenable_ctx c = {.fn = fn, .ud = ud};
    int rc = BE(s)->iterate_screenable(IMPL(s), day, screenable_one, &c);
    char detail[200];
    snprintf(detail, sizeof detail, "%zu records with a published notice for %s", c.count,
             purpose ? purpose : "system");
    ctw_principal p = system;
    p.purpose = purpose;
    int arc = ctw_store_audit(s, &p, "process", NULL, detail);
    return rc != 0 ? rc : arc;
}
