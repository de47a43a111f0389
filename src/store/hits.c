/* hits.c — hits and their follow-up above any backend (see hit.h).
 *
 * The one rule of who knows a hit: the checking agency and the owner
 * agency, nobody else (a system administrator neither: a hit is a
 * conversation between two agencies). What each side is shown:
 *   owner     everything: record or document, name, the query
 *   checker   the query it sent and whom to contact; the record id and the
 *             name only while the access check still lets it read the
 *             record (decided at each read: the owner may have restricted
 *             it since)
 * Every read and every write here appends an audit entry; a refused call
 * appends "hit-denied" and changes nothing else.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ctwatch/clock.h"
#include "ctwatch/hit.h"
#include "store/store_int.h"

#define DEFAULT_LIST 50

/* --- collecting hits from screening answers -------------------------------- */

void ctw_hit_batch_init(ctw_hit_batch *b)
{
    memset(b, 0, sizeof *b);
}

void ctw_hit_batch_free(ctw_hit_batch *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->n_owned; i++) free(b->owned[i]);
    free(b->owned);
    free(b->v);
    memset(b, 0, sizeof *b);
}

void ctw_hit_make_id(char id[CTW_HIT_ID_SIZE])
{
    /* The creation second (8 hex digits, big-endian: ids sort by time),
     * a counter of this process (4 hex digits), then 32 random bits. The
     * store's unique index on hit ids then grows at its right edge: a busy
     * server's commit of many hits rewrites a page or two of that index.
     * With 48 random bits after the second, the hits of one second landed
     * on random pages among that second's, one page per hit, and the audit
     * writer's commits, which every screening answer waits for, wrote
     * about a third more pages (69 WAL writes a commit against 46, under
     * wrk set up as `make bench` sets it). Two ids of one process differ
     * by the counter unless 65,536 hits are made in one second; ids of two
     * processes (the server, a CLI) need the same second, counter and 32
     * random bits to collide. The random bits come from a pool per thread,
     * filled for 60 ids at a time: libsodium asks the kernel (getrandom)
     * on every call, and one system call per hit was 0.9 per screening
     * request of a busy server; now 0.02. (A forked child would repeat its
     * parent's pool: ctwatch does not fork.) */
    static _Thread_local unsigned char pool[240];
    static _Thread_local size_t pool_left;
    static _Atomic uint32_t counter;
    if (pool_left < 4) {
        randombytes_buf(pool, sizeof pool);
        pool_left = sizeof pool;
    }
    uint32_t second = (uint32_t)ctw_clock_now();
    uint32_t n = counter++;
    unsigned char raw[10] = {(unsigned char)(second >> 24), (unsigned char)(second >> 16),
                             (unsigned char)(second >> 8), (unsigned char)second,
                             (unsigned char)(n >> 8), (unsigned char)n};
    unsigned char *draw = pool + sizeof pool - pool_left;
    memcpy(raw + 6, draw, 4);
    sodium_memzero(draw, 4); /* each draw is used once */
    pool_left -= 4;
    id[0] = 'H';
    id[1] = '-';
    sodium_bin2hex(id + 2, CTW_HIT_ID_SIZE - 2, raw, sizeof raw);
}

/* Keep s (malloc'd) until the batch is freed; false when out of memory
 * (s is freed then). */
static bool keep(ctw_hit_batch *b, char *s)
{
    if (!s) return false;
    if (b->n_owned == b->cap_owned) {
        size_t cap = b->cap_owned ? b->cap_owned * 2 : 8;
        char **v = realloc(b->owned, cap * sizeof *v);
        if (!v) {
            free(s);
            return false;
        }
        b->owned = v;
        b->cap_owned = cap;
    }
    b->owned[b->n_owned++] = s;
    return true;
}

static const char *str(json_t *o, const char *key)
{
    return json_string_value(json_object_get(o, key));
}

/* Add a hit for screening hit h if it is one: an alert (documents: any
 * hit) on what another agency owns. query: JSON text kept by b. */
static int add_one(ctw_hit_batch *b, const ctw_principal *p, const char *kind, const char *query, json_t *h,
                   bool document)
{
    const char *owner = str(h, "owner");
    if (!owner || !*owner || strcmp(owner, p->agency) == 0) return 0;
    if (!document) {
        const char *d = str(h, "decision");
        if (!d || strcmp(d, "alert") != 0) return 0;
    }
    if (b->n == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 4;
        ctw_hit_new *v = realloc(b->v, cap * sizeof *v);
        if (!v) return CTW_ENOMEM;
        b->v = v;
        b->cap = cap;
    }
    ctw_hit_new *n = &b->v[b->n];
    memset(n, 0, sizeof *n);
    ctw_hit_make_id(n->id);
    if (json_object_set_new(h, "hit", json_string(n->id)) != 0) return CTW_ENOMEM;
    n->kind = kind;
    n->owner = owner;
    n->record = document ? NULL : str(h, "record");
    n->document = document ? str(h, "document") : NULL;
    n->name = document ? NULL : str(h, "name");   /* absent when the checker may only know of it */
    n->query = query;
    n->score = document ? 1.0 : json_number_value(json_object_get(h, "score"));
    n->decision = "alert";
    json_t *notice = json_object_get(h, "notice");
    if (json_is_object(notice)) {
        n->notice_id = str(notice, "id");
        n->notice_kind = str(notice, "kind");
        n->notice_action = str(notice, "action");
    }
    b->n++;
    return 0;
}

/* The query as text, made once for all the hits it gave (NULL: none yet). */
static int query_text(ctw_hit_batch *b, json_t *query, const char **text)
{
    if (*text) return 0;
    char *t = json_dumps(query ? query : json_null(), JSON_COMPACT | JSON_SORT_KEYS);
    if (!keep(b, t)) return CTW_ENOMEM;
    *text = t;
    return 0;
}

static bool any_hit(const ctw_principal *p, json_t *hits, bool document)
{
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h) {
        const char *owner = str(h, "owner");
        const char *d = str(h, "decision");
        if (owner && *owner && strcmp(owner, p->agency) != 0 && (document || (d && strcmp(d, "alert") == 0)))
            return true;
    }
    return false;
}

static int collect(ctw_hit_batch *b, const ctw_principal *p, const char *kind, json_t *query, json_t *hits,
                   bool document)
{
    if (!p || !p->agency || !*p->agency || !any_hit(p, hits, document)) return 0;
    const char *text = NULL;
    int rc = query_text(b, query, &text);
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h) {
        if (rc != 0) break;
        rc = add_one(b, p, kind, text, h, document);
    }
    return rc;
}

int ctw_hit_collect(ctw_hit_batch *b, const ctw_principal *p, const char *kind, json_t *query, json_t *hits)
{
    return collect(b, p, kind, query, hits, strcmp(kind, "document") == 0);
}

int ctw_hit_collect_manifest(ctw_hit_batch *b, const ctw_principal *p, json_t *answer)
{
    static const char *const fields[] = {"surname", "given", "birth_date", "sex", "nationality", "booking"};
    size_t i;
    json_t *t;
    int rc = 0;
    json_array_foreach(json_object_get(answer, "travellers"), i, t) {
        json_t *q = json_object();
        if (!q) return CTW_ENOMEM;
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            json_t *v = json_object_get(t, fields[f]);
            if (v) json_object_set(q, fields[f], v);
        }
        json_t *flight = json_object_get(answer, "flight");
        if (flight) json_object_set(q, "flight", flight);
        rc = collect(b, p, "manifest", q, json_object_get(t, "hits"), false);
        size_t k;
        json_t *d;
        json_array_foreach(json_object_get(t, "documents"), k, d) {
            if (rc != 0) break;
            json_t *dq = json_deep_copy(q);
            if (!dq) {
                rc = CTW_ENOMEM;
                break;
            }
            json_t *doc = json_object();
            static const char *const dfields[] = {"type", "number", "issuing_state"};
            for (size_t f = 0; f < 3; f++) {
                json_t *v = json_object_get(d, dfields[f]);
                if (v) json_object_set(doc, dfields[f], v);
            }
            json_object_set_new(dq, "document", doc);
            rc = collect(b, p, "manifest", dq, json_object_get(d, "hits"), true);
            json_decref(dq);
        }
        json_decref(q);
        if (rc != 0) break;
    }
    return rc;
}

int ctw_store_hit_insert(ctw_store *s, const ctw_principal *checker, const ctw_hit_new *h, const char *now,
                         int64_t *seq)
{
    if (!checker || !checker->agency || !h || !h->owner || !h->kind || !h->query) return CTW_EINVAL;
    return ctw__store_be(s)->hit_insert(ctw__store_impl(s), h, checker->agency, checker->user ? checker->user : "",
                                        now, seq);
}

/* --- what each side sees --------------------------------------------------- */

static bool is_owner(const ctw_principal *p, const ctw__hit_row *h)
{
    return p && p->agency && h->owner && strcmp(p->agency, h->owner) == 0;
}

static bool is_party(const ctw_principal *p, const ctw__hit_row *h)
{
    return is_owner(p, h) || (p && p->agency && h->checking_agency && strcmp(p->agency, h->checking_agency) == 0);
}

static bool may_act(const ctw_principal *p)
{
    return !p->scope &&
           (p->role == CTW_ROLE_OFFICER || p->role == CTW_ROLE_ANALYST || p->role == CTW_ROLE_SUPERVISOR);
}

/* The hit as p (a party) sees it, without events and messages. */
static json_t *hit_json(const ctw_principal *p, const ctw__hit_row *h)
{
    bool owner = is_owner(p, h);
    bool reads = owner;
    if (!owner && h->target_found && h->restriction) {
        int k = ctw_restrict_kind_from_name(h->restriction);
        ctw_restriction r = {.kind = k < 0 ? CTW_RESTRICT_HIT_ONLY : (ctw_restrict_kind)k, .list = h->restriction_list};
        reads = ctw_access_check_owned(p, h->owner, &r) == CTW_ACCESS_READ;
    }
    json_t *q = h->query ? json_loads(h->query, 0, NULL) : NULL;
    const char *name = h->name ? h->name : h->record_name;
    json_t *o = json_object();
    if (!o) {
        json_decref(q);
        return NULL;
    }
    json_object_set_new(o, "id", json_string(h->id));
    json_object_set_new(o, "seq", json_integer(h->seq));
    json_object_set_new(o, "created", json_string(h->created));
    json_object_set_new(o, "kind", json_string(h->kind));
    json_object_set_new(o, "side", json_string(owner ? "owner" : "checker"));
    json_object_set_new(o, "checking_agency", json_string(h->checking_agency));
    json_object_set_new(o, "checking_user", json_string(h->checking_user));
    json_object_set_new(o, "owner", json_string(h->owner));
    json_object_set_new(o, "record", reads && h->record ? json_string(h->record) : json_null());
    json_object_set_new(o, "document", reads && h->document ? json_string(h->document) : json_null());
    json_object_set_new(o, "name", reads && name ? json_string(name) : json_null());
    json_object_set_new(o, "query", q ? q : json_null());
    json_object_set_new(o, "score", json_real(h->score));
    json_object_set_new(o, "decision", json_string(h->decision));
    json_object_set_new(o, "contact", json_string(h->owner));
    if (h->notice_id)
        json_object_set_new(o, "notice",
                            json_pack("{s:s,s:s?,s:s?}", "id", h->notice_id, "kind", h->notice_kind, "action",
                                      h->notice_action));
    json_object_set_new(o, "state", json_string(h->state));
    json_object_set_new(o, "updated", json_string(h->updated));
    return o;
}

/* What the audit entry names: the record or document and the hit. */
static void audit_ids(const ctw__hit_row *h, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s", h->record ? h->record : h->document ? h->document : "");
}

static int denied(ctw_store *s, const ctw_principal *p, const char *id, const char *what, int rc)
{
    char detail[160];
    snprintf(detail, sizeof detail, "%s %.40s: %s", what, id ? id : "", ctw_strerror(rc));
    int arc = ctw_store_audit(s, p, "hit-denied", "", detail);
    return arc != 0 ? arc : rc;
}

/* --- list and read --------------------------------------------------------- */

/* Hit ids for an audit entry, comma-separated (malloc'd, grows). */
typedef struct id_list {
    char *ids;
    size_t len, cap;
} id_list;

static int ids_add(id_list *l, const char *id)
{
    size_t need = strlen(id) + 2;
    if (l->len + need >= l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 512;
        while (cap <= l->len + need) cap *= 2;
        char *n = realloc(l->ids, cap);
        if (!n) return CTW_ENOMEM;
        l->ids = n;
        l->cap = cap;
    }
    l->len += (size_t)snprintf(l->ids + l->len, l->cap - l->len, "%s%s", l->len ? "," : "", id);
    return 0;
}

typedef struct list_ctx {
    const ctw_principal *p;
    json_t *hits;
    id_list ids;
} list_ctx;

static int list_one(void *ud, const ctw__hit_row *h)
{
    list_ctx *c = ud;
    json_t *o = hit_json(c->p, h);
    if (!o || json_array_append_new(c->hits, o) != 0) return CTW_ENOMEM;
    return ids_add(&c->ids, h->id);
}

static bool valid_state(const char *s)
{
    return strcmp(s, "pending") == 0 || strcmp(s, "confirmed") == 0 || strcmp(s, "false-match") == 0 ||
           strcmp(s, "closed") == 0;
}

int ctw_store_hits_list(ctw_store *s, const ctw_principal *p, const ctw_hit_filter *f, json_t **out)
{
    ctw_hit_filter none = {0};
    if (!f) f = &none;
    if (!p || !p->agency || !*p->agency) return CTW_EACCES;
    if ((f->state && !valid_state(f->state)) || f->after < 0 || f->limit < 0 || f->limit > CTW_HIT_LIST_MAX ||
        (f->side && strcmp(f->side, "owner") != 0 && strcmp(f->side, "checker") != 0))
        return CTW_EINVAL;
    list_ctx c = {.p = p, .hits = json_array()};
    if (!c.hits) return CTW_ENOMEM;
    int rc = ctw__store_be(s)->hit_list(ctw__store_impl(s), p->agency, f->side, f->state, f->after,
                                        f->limit ? f->limit : DEFAULT_LIST, list_one, &c);
    if (rc == 0) {
        char detail[96];
        snprintf(detail, sizeof detail, "%zu hits listed", json_array_size(c.hits));
        /* the hit ids: records stay behind them */
        rc = ctw_store_audit(s, p, "hit-list", c.ids.ids ? c.ids.ids : "", detail);
    }
    free(c.ids.ids);
    if (rc != 0) {
        json_decref(c.hits);
        return rc;
    }
    *out = json_pack("{s:o}", "hits", c.hits);
    return *out ? 0 : CTW_ENOMEM;
}

static int add_event(void *ud, int64_t seq, const char *time, const char *user, const char *agency,
                     const char *event, const char *note)
{
    (void)seq;
    json_t *o = json_pack("{s:s,s:s,s:s,s:s}", "time", time, "user", user, "agency", agency, "event", event);
    if (!o) return CTW_ENOMEM;
    if (note) json_object_set_new(o, "note", json_string(note));
    return json_array_append_new(json_object_get(ud, "events"), o) == 0 ? 0 : CTW_ENOMEM;
}

static int add_message(void *ud, int64_t seq, const char *time, const char *user, const char *agency,
                       const char *event, const char *text)
{
    (void)event;
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s}", "seq", (json_int_t)seq, "time", time, "user", user, "agency",
                          agency, "text", text ? text : "");
    if (!o) return CTW_ENOMEM;
    return json_array_append_new(json_object_get(ud, "messages"), o) == 0 ? 0 : CTW_ENOMEM;
}

/* The full hit (events and messages) of row h for p. */
static int full_json(ctw_store *s, const ctw_principal *p, const ctw__hit_row *h, json_t **out)
{
    json_t *o = hit_json(p, h);
    if (!o) return CTW_ENOMEM;
    json_object_set_new(o, "events", json_array());
    json_object_set_new(o, "messages", json_array());
    int rc = ctw__store_be(s)->hit_history(ctw__store_impl(s), h->seq, add_event, add_message, o);
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

int ctw_store_hit_get(ctw_store *s, const ctw_principal *p, const char *id, json_t **out)
{
    if (!p || !id) return CTW_EINVAL;
    ctw_arena a;
    ctw_arena_init(&a);
    ctw__hit_row h;
    int rc = ctw__store_be(s)->hit_get(ctw__store_impl(s), id, &a, &h);
    if (rc == 0 && !is_party(p, &h)) rc = CTW_ENOTFOUND;
    if (rc == CTW_ENOTFOUND) {
        ctw_arena_free(&a);
        return denied(s, p, id, "read", rc);
    }
    json_t *o = NULL;
    if (rc == 0) rc = full_json(s, p, &h, &o);
    if (rc == 0) {
        char ids[128], detail[96];
        audit_ids(&h, ids, sizeof ids);
        snprintf(detail, sizeof detail, "hit %s (%s side)", h.id, is_owner(p, &h) ? "owner" : "checker");
        /* the checker's entry does not name a record it may not read */
        rc = ctw_store_audit(s, p, "hit-read", is_owner(p, &h) ? ids : "", detail);
    }
    ctw_arena_free(&a);
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    *out = o;
    return 0;
}

/* --- writes ---------------------------------------------------------------- */

/* Run a write on hit id in its own transaction: load, check, act, audit.
 * act returns 0 or a refusal code; the refusal is audited after rollback. */
typedef int (*hit_act_fn)(ctw_store *s, const ctw_principal *p, const ctw__hit_row *h, const char *now, void *ud);

static int hit_write(ctw_store *s, const ctw_principal *p, const char *id, const char *what, hit_act_fn act,
                     void *ud)
{
    ctw_arena a;
    ctw_arena_init(&a);
    ctw__hit_row h;
    char now[32];
    ctw_now_iso(now);
    int rc = ctw_store_begin(s);
    if (rc != 0) {
        ctw_arena_free(&a);
        return rc;
    }
    rc = ctw__store_be(s)->hit_get(ctw__store_impl(s), id, &a, &h);
    if (rc == 0 && !is_party(p, &h)) rc = CTW_ENOTFOUND;
    if (rc == 0) rc = act(s, p, &h, now, ud);
    if (rc == 0) rc = ctw_store_commit(s);
    if (rc != 0) ctw_store_rollback(s);
    ctw_arena_free(&a);
    if (rc == CTW_ENOTFOUND || rc == CTW_EACCES || rc == CTW_ECONFLICT) return denied(s, p, id, what, rc);
    return rc;
}

typedef struct decide_ctx {
    const char *event, *note;
    json_t **out;
} decide_ctx;

static int decide_act(ctw_store *s, const ctw_principal *p, const ctw__hit_row *h, const char *now, void *ud)
{
    decide_ctx *c = ud;
    if (!is_owner(p, h) || !may_act(p)) return CTW_EACCES;
    const char *from = strcmp(c->event, "closed") == 0 ? "confirmed,false-match" : "pending";
    const ctw__store_backend *be = ctw__store_be(s);
    void *impl = ctw__store_impl(s);
    int rc = be->hit_set_state(impl, h->seq, from, c->event, now);
    if (rc == 0) rc = be->hit_event_add(impl, h->seq, p->user ? p->user : "", p->agency, c->event, c->note, now, NULL);
    char action[32], ids[128], detail[96];
    snprintf(action, sizeof action, "hit-%s", c->event);
    audit_ids(h, ids, sizeof ids);
    snprintf(detail, sizeof detail, "hit %s: %s -> %s", h->id, h->state, c->event);
    if (rc == 0) rc = ctw_store_audit(s, p, action, ids, detail);
    if (rc == 0 && c->out) {
        ctw_arena a;
        ctw_arena_init(&a);
        ctw__hit_row now_row;
        rc = be->hit_get(impl, h->id, &a, &now_row);
        if (rc == 0) rc = full_json(s, p, &now_row, c->out);
        ctw_arena_free(&a);
    }
    return rc;
}

static bool blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\n' && *s != '\r') return false;
    return true;
}

int ctw_store_hit_decide(ctw_store *s, const ctw_principal *p, const char *id, const char *event,
                         const char *note, json_t **out)
{
    if (!p || !id || !event) return CTW_EINVAL;
    if (strcmp(event, "confirmed") != 0 && strcmp(event, "false-match") != 0 && strcmp(event, "closed") != 0)
        return CTW_EINVAL;
    if (note && strlen(note) > CTW_HIT_NOTE_MAX) return CTW_EINVAL;
    json_t *o = NULL;
    decide_ctx c = {.event = event, .note = note && !blank(note) ? note : NULL, .out = out ? &o : NULL};
    int rc = hit_write(s, p, id, event, decide_act, &c);
    if (rc != 0) {
        json_decref(o);
        return rc;
    }
    if (out) *out = o;
    return 0;
}

typedef struct message_ctx {
    const char *text;
    json_t *msg;
} message_ctx;

static int message_act(ctw_store *s, const ctw_principal *p, const ctw__hit_row *h, const char *now, void *ud)
{
    message_ctx *c = ud;
    if (!may_act(p)) return CTW_EACCES;
    const ctw__store_backend *be = ctw__store_be(s);
    void *impl = ctw__store_impl(s);
    int64_t n = 0;
    const char *user = p->user ? p->user : "";
    int rc = be->hit_message_add(impl, h->seq, user, p->agency, c->text, now, &n);
    if (rc == 0) rc = be->hit_event_add(impl, h->seq, user, p->agency, "message", NULL, now, NULL);
    if (rc == 0) {
        char ids[128], detail[96];
        audit_ids(h, ids, sizeof ids);
        snprintf(detail, sizeof detail, "hit %s: message %lld", h->id, (long long)n);
        rc = ctw_store_audit(s, p, "hit-message", is_owner(p, h) ? ids : "", detail);
    }
    if (rc == 0) {
        c->msg = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "seq", (json_int_t)n, "hit", h->id, "time", now, "user", user,
                           "agency", p->agency, "text", c->text);
        if (!c->msg) rc = CTW_ENOMEM;
    }
    return rc;
}

int ctw_store_hit_message(ctw_store *s, const ctw_principal *p, const char *id, const char *text, json_t **out)
{
    if (!p || !id || !text || !*text || strlen(text) > CTW_HIT_TEXT_MAX || blank(text)) return CTW_EINVAL;
    message_ctx c = {.text = text};
    int rc = hit_write(s, p, id, "message", message_act, &c);
    if (rc != 0) {
        json_decref(c.msg);
        return rc;
    }
    if (out) *out = c.msg;
    else json_decref(c.msg);
    return 0;
}

/* --- the stream's feed ----------------------------------------------------- */

typedef struct events_ctx {
    const ctw_principal *p;
    ctw_hit_event_fn fn;
    void *ud;
    id_list ids;
    size_t n;
} events_ctx;

static int event_one(void *ud, int64_t seq, const char *event, const ctw__hit_row *h)
{
    events_ctx *c = ud;
    json_t *o = hit_json(c->p, h);
    if (!o) return CTW_ENOMEM;
    int rc = c->fn(c->ud, seq, event, o);
    json_decref(o);
    if (rc != 0) return rc;
    c->n++;
    return ids_add(&c->ids, h->id);
}

int ctw_store_hit_events(ctw_store *s, ctw_audit_writer *w, const ctw_principal *p, int64_t after, int max,
                         ctw_hit_event_fn fn, void *ud, int64_t *last)
{
    if (!p || !p->agency || !*p->agency || !fn || max <= 0) return CTW_EINVAL;
    events_ctx c = {.p = p, .fn = fn, .ud = ud};
    int64_t seen = after;
    int rc = ctw__store_be(s)->hit_events_since(ctw__store_impl(s), p->agency, after, max, event_one, &c, &seen);
    if (rc == 0 && c.n > 0) {
        char detail[64];
        snprintf(detail, sizeof detail, "%zu hit events streamed", c.n);
        rc = w ? ctw_audit_writer_append(w, p, "hit-stream", c.ids.ids, detail)
               : ctw_store_audit(s, p, "hit-stream", c.ids.ids, detail);
    }
    free(c.ids.ids);
    if (rc == 0 && last) *last = seen;
    return rc;
}

int ctw_store_hit_last_event(ctw_store *s, int64_t *seq)
{
    return ctw__store_be(s)->hit_last_event(ctw__store_impl(s), seq);
}
