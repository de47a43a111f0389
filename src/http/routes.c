/* routes.c — the API's resources: which path and method do what.
 *
 *   GET /healthz                 liveness and the store's schema version
 *   GET /api/v1/stats            record counts (ctw_stats_json)
 *   GET /api/v1/records/{id}     one record as the principal may see it
 *
 * HEAD is accepted wherever GET is (libmicrohttpd drops the body). The
 * contract for clients is docs/api/openapi.yaml; keep the two in step.
 */
#include <string.h>

#include "ctwatch/access.h"
#include "ctwatch/json.h"
#include "ctwatch/store.h"
#include "http/http_int.h"

#define RECORD_ID_MAX 64
#define ALLOW_GET "GET, HEAD"

/* Who a request acts as. Authentication does not exist yet, so every
 * request is this fixed, unprivileged analyst of the local agency; the
 * exchange issue replaces it with the authenticated user of the request
 * (and its agency, regions and stated purpose). Keep it the only place. */
static const ctw_principal *request_principal(const ctw__http_request *rq)
{
    static const ctw_principal anonymous_api = {
        .user = "anonymous-api", .agency = "LOCAL", .regions = NULL,
        .role = CTW_ROLE_ANALYST, .purpose = "api",
    };
    (void)rq;
    return &anonymous_api;
}

static void internal_error(ctw__http_reply *out, int rc)
{
    /* The code's name only: details of the store stay in the server. */
    ctw__http_error(out, 500, "internal", ctw_strerror(rc));
}

/* --- GET /healthz --------------------------------------------------------- */

static void get_healthz(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    (void)rq;
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        out->status = 503;
        out->body = json_pack("{s:s,s:{s:s,s:s}}", "status", "unavailable", "error", "code",
                              "unavailable", "message", "the store cannot be opened");
        return;
    }
    out->status = 200;
    out->body = json_pack("{s:s,s:s,s:i}", "status", "ok", "store", ctw_store_backend(s),
                          "schema_version", ctw_store_schema_version(s));
    ctw__http_store_release(srv, s, false);
}

/* --- GET /api/v1/stats ------------------------------------------------------ */

static void get_stats(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    (void)rq;
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, err.code ? err.code : CTW_ESTORE);
        return;
    }
    json_t *stats = ctw_stats_json(s, &err);
    ctw__http_store_release(srv, s, !stats && err.code == CTW_ESTORE);
    if (!stats) {
        internal_error(out, err.code ? err.code : CTW_ENOMEM);
        return;
    }
    out->status = 200;
    out->body = stats;
}

/* --- GET /api/v1/records/{id} --------------------------------------------- */

/* Ids are opaque but short and plain: [A-Za-z0-9._:-]{1,64}. Anything else
 * (a slash, "..", percent-decoded bytes) is refused before the store. */
static bool valid_record_id(const char *id)
{
    size_t n = strlen(id);
    if (n == 0 || n > RECORD_ID_MAX) return false;
    for (size_t i = 0; i < n; i++) {
        char ch = id[i];
        bool ok = (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
                  (ch >= '0' && ch <= '9') || ch == '.' || ch == '_' || ch == ':' || ch == '-';
        if (!ok) return false;
    }
    return true;
}

static void get_record(ctw_http_server *srv, const ctw__http_request *rq, const char *id,
                       ctw__http_reply *out)
{
    if (!valid_record_id(id)) {
        ctw__http_error(out, 400, "invalid",
                        "a record id is 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        return;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, err.code ? err.code : CTW_ESTORE);
        return;
    }
    ctw_record *rec = NULL;
    int rc = ctw_store_get(s, request_principal(rq), id, &rec);
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);

    if (rc == 0) {
        out->status = 200;
        out->body = ctw_record_to_json(rec, CTW_JSON_FULL);
        if (!out->body) internal_error(out, CTW_ENOMEM);
    } else if (rc == CTW_ENOTFOUND) {
        ctw__http_error(out, 404, "not_found", "no such record");
    } else if (rc == CTW_EACCES) {
        /* Hit-only: the caller learns that the record exists and whom to
         * ask, nothing else (DESIGN.md §5). */
        const char *owner = rec && rec->owner ? rec->owner : "the owning agency";
        char msg[160];
        snprintf(msg, sizeof msg, "restricted: contact %s", owner);
        out->status = 403;
        out->body = json_pack("{s:{s:s,s:s},s:s}", "error", "code", "forbidden", "message", msg,
                              "owner", owner);
    } else {
        internal_error(out, rc);
    }
    ctw_record_free(rec);
}

/* --- the router ------------------------------------------------------------- */

static bool is_get(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
}

void ctw__http_route(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    static const char records_prefix[] = "/api/v1/records/";
    const char *path = rq->path;
    enum { NONE, HEALTHZ, STATS, RECORD } route = NONE;

    out->status = 0;
    out->body = NULL;
    out->allow = NULL;
    if (strcmp(path, "/healthz") == 0) route = HEALTHZ;
    else if (strcmp(path, "/api/v1/stats") == 0) route = STATS;
    else if (strncmp(path, records_prefix, sizeof records_prefix - 1) == 0) route = RECORD;

    if (route == NONE) {
        ctw__http_error(out, 404, "not_found", "no such resource");
        return;
    }
    if (!is_get(rq->method)) {
        ctw__http_error(out, 405, "method_not_allowed", "this resource answers GET and HEAD");
        out->allow = ALLOW_GET;
        return;
    }
    switch (route) {
    case HEALTHZ: get_healthz(srv, rq, out); break;
    case STATS: get_stats(srv, rq, out); break;
    case RECORD: get_record(srv, rq, path + sizeof records_prefix - 1, out); break;
    case NONE: break;
    }
    if (!out->body) internal_error(out, CTW_ENOMEM);
}
