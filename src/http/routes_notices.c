/* routes_notices.c — the notices resources (issue 5; notice.h).
 *
 *   GET  /api/v1/notices?state=&kind=&record=&limit=&after=   notices the caller may read
 *   POST /api/v1/notices                 {"record","kind","action","summary","valid_until"} → 201 draft
 *   GET  /api/v1/notices/{id}            one notice (404 when unknown or not visible)
 *   POST /api/v1/notices/{id}/submit     draft → review (officer, analyst, supervisor of the owner)
 *   POST /api/v1/notices/{id}/publish    review → published (supervisor of the owner)
 *   POST /api/v1/notices/{id}/cancel     {"reason"} draft|review|published → cancelled (supervisor)
 *
 * The rules, the access check and the audit are the store's (notices.c);
 * here only the request's shape is checked. Wrong state 409, wrong role or
 * agency 403, unknown or invisible 404.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/notice.h"
#include "http/http_int.h"

#define NOTICES_PATH "/api/v1/notices"

static void internal_error(ctw__http_reply *out, int rc)
{
    ctw__http_error(out, 500, "internal", ctw_strerror(rc));
}

/* The body as a JSON object, or NULL with a 400 in out. An empty body is
 * {} when allow_empty. */
static json_t *body_object(const ctw__http_request *rq, bool allow_empty, ctw__http_reply *out)
{
    if ((!rq->body || rq->body_len == 0) && allow_empty) return json_object();
    json_t *v = ctw__http_parse_body(rq, out);
    if (v && !json_is_object(v)) {
        ctw__http_error(out, 400, "invalid", "the body must be a JSON object");
        json_decref(v);
        return NULL;
    }
    return v;
}

/* Field name of body as a string without NUL bytes into *out (NULL when
 * absent or null); false with a 400 in out otherwise. */
static bool string_field(json_t *body, const char *name, const char **v, ctw__http_reply *out)
{
    json_t *j = json_object_get(body, name);
    *v = NULL;
    if (!j || json_is_null(j)) return true;
    if (!json_is_string(j) || strlen(json_string_value(j)) != json_string_length(j)) {
        char msg[96];
        snprintf(msg, sizeof msg, "\"%s\" must be a string", name);
        ctw__http_error(out, 400, "invalid", msg);
        return false;
    }
    *v = json_string_value(j);
    return true;
}

/* Only the named keys (NULL-terminated) may appear. */
static bool known_keys(json_t *body, const char *const *keys, const char *hint, ctw__http_reply *out)
{
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        bool ok = false;
        for (size_t i = 0; keys[i] && !ok; i++) ok = strcmp(key, keys[i]) == 0;
        if (!ok) {
            char msg[200];
            snprintf(msg, sizeof msg, "unknown key \"%.64s\": the body has %s", key, hint);
            ctw__http_error(out, 400, "invalid", msg);
            return false;
        }
    }
    return true;
}

/* A store call's error as a reply. */
static void notice_error(ctw__http_reply *out, int rc, const ctw_error *err)
{
    char msg[800];
    snprintf(msg, sizeof msg, "%.200s%s%.512s", err->where, err->where[0] ? ": " : "",
             err->message[0] ? err->message : ctw_strerror(rc));
    switch (rc) {
    case CTW_EINVAL: ctw__http_error(out, 400, "invalid", msg); break;
    case CTW_ENOTFOUND: ctw__http_error(out, 404, "not_found", "no such notice or record"); break;
    case CTW_EACCES: ctw__http_error(out, 403, "forbidden", msg); break;
    case CTW_ECONFLICT: ctw__http_error(out, 409, "conflict", msg); break;
    default: internal_error(out, rc); break;
    }
}

static void reply_notice(ctw__http_reply *out, unsigned status, const ctw_notice *n)
{
    out->status = status;
    out->body = ctw_notice_json(n);
    if (!out->body) internal_error(out, CTW_ENOMEM);
}

static void post_notice(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    static const char *const keys[] = {"record", "kind", "action", "summary", "valid_until", NULL};
    json_t *body = body_object(rq, false, out);
    if (!body) return;
    ctw_notice_new n = {0};
    if (!known_keys(body, keys, "\"record\", \"kind\", \"action\", \"summary\", \"valid_until\"", out) ||
        !string_field(body, "record", &n.record, out) || !string_field(body, "kind", &n.kind, out) ||
        !string_field(body, "action", &n.action, out) || !string_field(body, "summary", &n.summary, out) ||
        !string_field(body, "valid_until", &n.valid_until, out))
        goto out;
    if (!n.record || !n.kind || !n.action) {
        ctw__http_error(out, 400, "invalid", "\"record\", \"kind\" and \"action\" are required");
        goto out;
    }
    if (n.summary && strlen(n.summary) > CTW_NOTICE_SUMMARY_MAX) {
        ctw__http_error(out, 413, "too_large", "\"summary\" is at most 4096 bytes");
        goto out;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, CTW_ESTORE);
        goto out;
    }
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice created;
    int rc = ctw_notice_create(s, rq->principal, &n, &a, &created, &err);
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    if (rc == 0) reply_notice(out, 201, &created);
    else notice_error(out, rc, &err);
    ctw_arena_free(&a);
out:
    json_decref(body);
}

static void post_step(ctw_http_server *srv, const ctw__http_request *rq, const char *id, const char *step,
                      ctw__http_reply *out)
{
    static const char *const cancel_keys[] = {"reason", NULL};
    static const char *const no_keys[] = {NULL};
    bool cancel = strcmp(step, "cancel") == 0;
    json_t *body = body_object(rq, true, out);
    if (!body) return;
    const char *reason = NULL;
    if (!known_keys(body, cancel ? cancel_keys : no_keys, cancel ? "only \"reason\"" : "no keys", out) ||
        !string_field(body, "reason", &reason, out))
        goto out;
    if (reason && strlen(reason) > CTW_NOTICE_REASON_MAX) {
        ctw__http_error(out, 413, "too_large", "\"reason\" is at most 1024 bytes");
        goto out;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, CTW_ESTORE);
        goto out;
    }
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    int rc = cancel                          ? ctw_notice_cancel(s, rq->principal, id, reason, &a, &n, &err)
             : strcmp(step, "publish") == 0 ? ctw_notice_publish(s, rq->principal, id, &a, &n, &err)
                                             : ctw_notice_submit(s, rq->principal, id, &a, &n, &err);
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    if (rc == 0) reply_notice(out, 200, &n);
    else notice_error(out, rc, &err);
    ctw_arena_free(&a);
out:
    json_decref(body);
}

static void get_notice(ctw_http_server *srv, const ctw__http_request *rq, const char *id, ctw__http_reply *out)
{
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, CTW_ESTORE);
        return;
    }
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    int rc = ctw_notice_get(s, rq->principal, id, &a, &n);
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    if (rc == 0) reply_notice(out, 200, &n);
    else if (rc == CTW_ENOTFOUND) ctw__http_error(out, 404, "not_found", "no such notice");
    else internal_error(out, rc);
    ctw_arena_free(&a);
}

typedef struct list_query {
    ctw_notice_filter f;
    char msg[200];
} list_query;

static int list_arg(void *ud, const char *name, const char *value)
{
    list_query *q = ud;
    if (!value || !*value) {
        snprintf(q->msg, sizeof q->msg, "parameter '%.40s' needs a value", name);
        return CTW_EINVAL;
    }
    if (strcmp(name, "state") == 0) {
        q->f.state = value;
        if (!ctw_notice_state_valid(value)) {
            snprintf(q->msg, sizeof q->msg, "state is one of draft, review, published, cancelled, expired");
            return CTW_EINVAL;
        }
    } else if (strcmp(name, "kind") == 0) {
        q->f.kind = value;
        if (!ctw_notice_kind_valid(value)) {
            snprintf(q->msg, sizeof q->msg, "kind '%.32s' is not a notice kind", value);
            return CTW_EINVAL;
        }
    } else if (strcmp(name, "record") == 0) {
        q->f.record = value;
        if (strlen(value) > 64) {
            snprintf(q->msg, sizeof q->msg, "record is an id of at most 64 characters");
            return CTW_EINVAL;
        }
    } else if (strcmp(name, "limit") == 0 || strcmp(name, "after") == 0) {
        bool limit = name[0] == 'l';
        const char *digits = !limit && strncmp(value, "N-", 2) == 0 ? value + 2 : value;
        char *end;
        long long v = strtoll(digits, &end, 10);
        if (*end || end == digits || v < (limit ? 1 : 0) || (limit && v > CTW_NOTICE_LIST_MAX)) {
            snprintf(q->msg, sizeof q->msg, limit ? "limit is an integer from 1 to 1000"
                                                  : "after is a notice id (N-12) or its number");
            return CTW_EINVAL;
        }
        if (limit) q->f.limit = (int)v;
        else q->f.after = v;
    } else {
        snprintf(q->msg, sizeof q->msg, "unknown parameter '%.40s' (state, kind, record, limit, after)", name);
        return CTW_EINVAL;
    }
    return 0;
}

static int list_one(void *ud, const ctw_notice *n)
{
    json_t *o = ctw_notice_json(n);
    return o && json_array_append_new(ud, o) == 0 ? 0 : CTW_ENOMEM;
}

static void list_notices(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    list_query q = {{0}};
    if (ctw__http_query_each(rq, list_arg, &q) != 0) {
        ctw__http_error(out, 400, "invalid", q.msg);
        return;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, CTW_ESTORE);
        return;
    }
    json_t *arr = json_array();
    int rc = arr ? ctw_notice_list(s, rq->principal, &q.f, list_one, arr) : CTW_ENOMEM;
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    if (rc != 0) {
        json_decref(arr);
        internal_error(out, rc);
        return;
    }
    out->status = 200;
    out->body = json_pack("{s:o}", "notices", arr);
}

bool ctw__http_notices_route(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const char *path = rq->path;
    size_t base = sizeof NOTICES_PATH - 1;
    if (strncmp(path, NOTICES_PATH, base) != 0 || (path[base] != '\0' && path[base] != '/')) return false;
    bool get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    bool post = strcmp(rq->method, "POST") == 0;
    if (path[base] == '\0') {
        if (get) list_notices(srv, rq, out);
        else if (post) post_notice(srv, rq, out);
        else {
            ctw__http_error(out, 405, "method_not_allowed", "this resource answers GET, HEAD and POST");
            out->allow = "GET, HEAD, POST";
        }
    } else {
        /* /api/v1/notices/{id}[/{step}] */
        const char *id = path + base + 1;
        const char *slash = strchr(id, '/');
        char idbuf[CTW_NOTICE_ID_MAX];
        size_t idlen = slash ? (size_t)(slash - id) : strlen(id);
        const char *step = slash ? slash + 1 : NULL;
        if (idlen == 0 || idlen >= sizeof idbuf ||
            (step && strcmp(step, "submit") != 0 && strcmp(step, "publish") != 0 && strcmp(step, "cancel") != 0)) {
            ctw__http_error(out, 404, "not_found", "no such resource");
        } else {
            memcpy(idbuf, id, idlen);
            idbuf[idlen] = '\0';
            if (!step && get) get_notice(srv, rq, idbuf, out);
            else if (step && post) post_step(srv, rq, idbuf, step, out);
            else {
                ctw__http_error(out, 405, "method_not_allowed",
                                step ? "this resource answers POST" : "this resource answers GET and HEAD");
                out->allow = step ? "POST" : "GET, HEAD";
            }
        }
    }
    if (!out->body) internal_error(out, CTW_ENOMEM);
    return true;
}
