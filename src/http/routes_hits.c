/* routes_hits.c — the hits resources (issue 5 part 5; hit.h):
 *
 *   GET  /api/v1/hits?state=&side=&after=&limit=   the inbox, newest first
 *   GET  /api/v1/hits/stream?after=                 text/event-stream (server.c)
 *   GET  /api/v1/hits/{id}                          one hit, events, messages
 *   POST /api/v1/hits/{id}/confirm                  {"note"?}  owner agency
 *   POST /api/v1/hits/{id}/false-match              {"note"?}  owner agency
 *   POST /api/v1/hits/{id}/close                    {"note"?}  owner agency
 *   POST /api/v1/hits/{id}/messages                 {"text"}   either agency
 *
 * Only the two agencies of a hit know it: anyone else gets 404. A key
 * scoped to screening never gets here (the router answers 403 first).
 * Bodies and query strings are checked before the store is touched, so a
 * malformed request changes nothing.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ctwatch/hit.h"
#include "http/http_int.h"

#define HITS_PREFIX "/api/v1/hits"
#define PARAM_MAX 64

static void store_error(ctw__http_reply *out, int rc, const char *what)
{
    switch (rc) {
    case CTW_ENOTFOUND: ctw__http_error(out, 404, "not_found", "no such hit"); break;
    case CTW_EACCES: ctw__http_error(out, 403, "forbidden", what); break;
    case CTW_ECONFLICT: ctw__http_error(out, 409, "conflict", "the hit is not in a state that allows this"); break;
    case CTW_EINVAL: ctw__http_error(out, 400, "invalid", "invalid request"); break;
    default: ctw__http_error(out, 500, "internal", ctw_strerror(rc)); break;
    }
}

/* "H-" and 20 lower-case hex digits. */
static bool valid_hit_id(const char *s, size_t n)
{
    if (n != 22 || s[0] != 'H' || s[1] != '-') return false;
    for (size_t i = 2; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return false;
    return true;
}

static bool parse_int(const char *s, int64_t min, int64_t max, int64_t *out)
{
    if (!s || !*s || strlen(s) > 19) return false;
    for (const char *c = s; *c; c++)
        if (*c < '0' || *c > '9') return false;
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno != 0 || v < min || v > max) return false;
    *out = v;
    return true;
}

/* --- query strings ------------------------------------------------------------ */

typedef struct params {
    const char *const *names;  /* allowed, NULL-terminated */
    const char *val[6];
    char msg[160];
} params;

static int param_one(void *ud, const char *name, const char *value)
{
    params *q = ud;
    int i = 0;
    while (q->names[i] && strcmp(q->names[i], name) != 0) i++;
    if (!q->names[i]) {
        snprintf(q->msg, sizeof q->msg, "unknown parameter '%.40s'", name);
        return -1;
    }
    if (q->val[i]) {
        snprintf(q->msg, sizeof q->msg, "parameter '%s' is given twice", name);
        return -1;
    }
    if (value && strlen(value) > PARAM_MAX && strcmp(name, "token") != 0) {
        snprintf(q->msg, sizeof q->msg, "parameter '%s' is longer than %d bytes", name, PARAM_MAX);
        return -1;
    }
    q->val[i] = value ? value : "";
    return 0;
}

static bool read_params(const ctw__http_request *rq, params *q, ctw__http_reply *out)
{
    if (ctw__http_query_each(rq, param_one, q) != 0) {
        ctw__http_error(out, 400, "invalid", q->msg);
        return false;
    }
    return true;
}

/* --- GET /api/v1/hits ------------------------------------------------------------ */

static void get_list(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    static const char *const names[] = {"state", "side", "after", "limit", NULL};
    params q = {.names = names};
    if (!read_params(rq, &q, out)) return;
    ctw_hit_filter f = {.state = q.val[0] && *q.val[0] ? q.val[0] : NULL,
                        .side = q.val[1] && *q.val[1] ? q.val[1] : NULL};
    int64_t v;
    if (f.state && strcmp(f.state, "pending") != 0 && strcmp(f.state, "confirmed") != 0 &&
        strcmp(f.state, "false-match") != 0 && strcmp(f.state, "closed") != 0) {
        ctw__http_error(out, 400, "invalid", "state is pending, confirmed, false-match or closed");
        return;
    }
    if (f.side && strcmp(f.side, "owner") != 0 && strcmp(f.side, "checker") != 0) {
        ctw__http_error(out, 400, "invalid", "side is owner or checker");
        return;
    }
    if (q.val[2] && *q.val[2]) {
        if (!parse_int(q.val[2], 0, INT64_MAX, &v)) {
            ctw__http_error(out, 400, "invalid", "after is a hit seq (a whole number)");
            return;
        }
        f.after = v;
    }
    if (q.val[3] && *q.val[3]) {
        if (!parse_int(q.val[3], 1, CTW_HIT_LIST_MAX, &v)) {
            ctw__http_error(out, 400, "invalid", "limit is 1 to 500");
            return;
        }
        f.limit = (int)v;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        store_error(out, CTW_ESTORE, NULL);
        return;
    }
    json_t *list = NULL;
    int rc = ctw_store_hits_list(s, rq->principal, &f, &list);
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    if (rc != 0) {
        store_error(out, rc, "this user has no agency");
        return;
    }
    out->status = 200;
    out->body = list;
}

/* --- GET /api/v1/hits/stream ------------------------------------------------------ */

static void get_stream(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    static const char *const names[] = {"after", "token", NULL};
    params q = {.names = names};
    if (!read_params(rq, &q, out)) return;
    const char *after = q.val[0] && *q.val[0] ? q.val[0] : rq->last_event_id;
    int64_t from = -1;
    if (after && *after && !parse_int(after, 0, INT64_MAX, &from)) {
        ctw__http_error(out, 400, "invalid", "after (or Last-Event-ID) is an event seq (a whole number)");
        return;
    }
    const ctw_principal *p = rq->principal;
    if (!p->agency || !*p->agency) {
        ctw__http_error(out, 403, "forbidden", "this user has no agency");
        return;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        store_error(out, CTW_ESTORE, NULL);
        return;
    }
    /* without a point to resume from, the stream starts at the newest event */
    int rc = from < 0 ? ctw_store_hit_last_event(s, &from) : 0;
    if (rc == 0) rc = ctw_store_audit(s, p, "hit-stream-open", "", after ? "resumed" : "new");
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    if (rc != 0) {
        store_error(out, rc, NULL);
        return;
    }
    /* the token the router authenticated: the header's, else ?token= */
    const char *token = rq->authorization && strncasecmp(rq->authorization, "Bearer ", 7) == 0
                            ? rq->authorization + 7 : q.val[1];
    while (token && *token == ' ') token++;
    ctw__http_stream_open(srv, p, token ? token : "", from, out);
}

/* --- one hit ------------------------------------------------------------------------ */

/* The body of a decision: none, or {"note": string}. */
static bool decision_body(const ctw__http_request *rq, json_t **body, const char **note, ctw__http_reply *out)
{
    *body = NULL;
    *note = NULL;
    if (!rq->body || rq->body_len == 0) return true;
    json_error_t jerr;
    *body = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
    json_t *n = json_object_get(*body, "note");
    if (!json_is_object(*body) || json_object_size(*body) != (n ? 1u : 0u) || (n && !json_is_string(n))) {
        ctw__http_error(out, 400, "invalid", "the body is empty or {\"note\": \"text\"}");
        json_decref(*body);
        *body = NULL;
        return false;
    }
    *note = json_string_value(n);
    if (*note && strlen(*note) > CTW_HIT_NOTE_MAX) {
        ctw__http_error(out, 400, "invalid", "the note is longer than 1000 bytes");
        json_decref(*body);
        *body = NULL;
        return false;
    }
    return true;
}

static void post_decision(ctw_http_server *srv, const ctw__http_request *rq, const char *id, const char *event,
                          ctw__http_reply *out)
{
    json_t *body;
    const char *note;
    if (!decision_body(rq, &body, &note, out)) return;
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    json_t *hit = NULL;
    int rc = s ? ctw_store_hit_decide(s, rq->principal, id, event, note, &hit) : CTW_ESTORE;
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    json_decref(body);
    if (rc != 0) {
        store_error(out, rc, "only an officer, analyst or supervisor of the owner agency decides on a hit");
        return;
    }
    out->status = 200;
    out->body = hit;
}

static void post_message(ctw_http_server *srv, const ctw__http_request *rq, const char *id, ctw__http_reply *out)
{
    json_error_t jerr;
    json_t *body = rq->body && rq->body_len ? json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
    json_t *t = json_object_get(body, "text");
    const char *text = json_string_value(t);
    if (!json_is_object(body) || json_object_size(body) != 1 || !text) {
        ctw__http_error(out, 400, "invalid", "the body is {\"text\": \"message\"}");
        json_decref(body);
        return;
    }
    size_t n = strlen(text), blanks = strspn(text, " \t\r\n");
    if (n == 0 || blanks == n || n > CTW_HIT_TEXT_MAX || n != json_string_length(t)) {
        ctw__http_error(out, 400, "invalid", "the text is 1 to 4000 bytes, not only blanks, without NUL");
        json_decref(body);
        return;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    json_t *msg = NULL;
    int rc = s ? ctw_store_hit_message(s, rq->principal, id, text, &msg) : CTW_ESTORE;
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    json_decref(body);
    if (rc != 0) {
        store_error(out, rc, "only an officer, analyst or supervisor writes on a hit");
        return;
    }
    out->status = 201;
    out->body = msg;
}

static void get_one(ctw_http_server *srv, const ctw__http_request *rq, const char *id, ctw__http_reply *out)
{
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    json_t *hit = NULL;
    int rc = s ? ctw_store_hit_get(s, rq->principal, id, &hit) : CTW_ESTORE;
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    if (rc != 0) {
        store_error(out, rc, NULL);
        return;
    }
    out->status = 200;
    out->body = hit;
}

static void method_not_allowed(ctw__http_reply *out, bool get)
{
    ctw__http_error(out, 405, "method_not_allowed", get ? "this resource answers GET and HEAD" : "this resource answers POST");
    out->allow = get ? "GET, HEAD" : "POST";
}

bool ctw__http_hits_route(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const char *path = rq->path;
    size_t pl = sizeof HITS_PREFIX - 1;
    if (strncmp(path, HITS_PREFIX, pl) != 0 || (path[pl] != '\0' && path[pl] != '/')) return false;
    bool get = strcmp(rq->method, "GET") == 0 || strcmp(rq->method, "HEAD") == 0;
    bool post = strcmp(rq->method, "POST") == 0;
    const char *rest = path + pl;
    if (*rest == '\0') {
        if (!get) method_not_allowed(out, true);
        else get_list(srv, rq, out);
    } else if (strcmp(rest, "/stream") == 0) {
        if (strcmp(rq->method, "GET") != 0) {
            ctw__http_error(out, 405, "method_not_allowed", "the stream answers GET");
            out->allow = "GET";
        } else {
            get_stream(srv, rq, out);
        }
    } else {
        const char *id = rest + 1;
        const char *slash = strchr(id, '/');
        size_t idlen = slash ? (size_t)(slash - id) : strlen(id);
        char idbuf[32];
        if (!valid_hit_id(id, idlen)) {
            ctw__http_error(out, 404, "not_found", "no such hit");
            return true;
        }
        memcpy(idbuf, id, idlen);
        idbuf[idlen] = '\0';
        const char *sub = slash ? slash + 1 : NULL;
        if (!sub) {
            if (!get) method_not_allowed(out, true);
            else get_one(srv, rq, idbuf, out);
        } else if (strcmp(sub, "confirm") == 0 || strcmp(sub, "false-match") == 0 || strcmp(sub, "close") == 0 ||
                   strcmp(sub, "messages") == 0) {
            if (!post) method_not_allowed(out, false);
            else if (sub[0] == 'm') post_message(srv, rq, idbuf, out);
            else
                post_decision(srv, rq, idbuf,
                              sub[0] == 'c' && sub[1] == 'o' && sub[2] == 'n' ? "confirmed"
                              : sub[0] == 'f'                                ? "false-match"
                                                                             : "closed",
                              out);
        } else {
            ctw__http_error(out, 404, "not_found", "no such resource");
        }
    }
    if (!out->body && !out->stream) ctw__http_error(out, 500, "internal", ctw_strerror(CTW_ENOMEM));
    return true;
}
