/* routes.c — the API's resources: which path and method do what.
 *
 *   GET /healthz                 liveness and the store's schema version
 *   GET /api/v1/stats            record counts (ctw_stats_json)
 *   GET /api/v1/records/{id}     one record as the principal may see it
 *   POST /api/v1/screen          screen one query (a person or organisation)
 *   POST /api/v1/screen/batch    screen up to SCREEN_BATCH_MAX queries
 *
 * HEAD is accepted wherever GET is (libmicrohttpd drops the body). The
 * contract for clients is docs/api/openapi.yaml; keep the two in step.
 */
#include <string.h>

#include "ctwatch/access.h"
#include "ctwatch/json.h"
#include "ctwatch/match.h"
#include "ctwatch/store.h"
#include "http/http_int.h"

#define RECORD_ID_MAX 64
#define ALLOW_GET "GET, HEAD"
#define ALLOW_POST "POST"
#define SCREEN_BATCH_MAX 10000
#define AUDIT_IDS_MAX (256 * 1024) /* record ids named in one audit entry */

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

/* --- POST /api/v1/screen, /api/v1/screen/batch -------------------------------- */

/* Parse the body as one JSON value; 400 with jansson's words otherwise. */
static json_t *parse_body(const ctw__http_request *rq, ctw__http_reply *out)
{
    if (!rq->body || rq->body_len == 0) {
        ctw__http_error(out, 400, "invalid", "a JSON body is required");
        return NULL;
    }
    json_error_t jerr;
    json_t *v = json_loadb(rq->body, rq->body_len, JSON_REJECT_DUPLICATES, &jerr);
    if (!v) {
        char msg[256];
        snprintf(msg, sizeof msg, "the body is not JSON: %s (line %d, column %d)", jerr.text, jerr.line, jerr.column);
        ctw__http_error(out, 400, "invalid", msg);
    }
    return v;
}

static void query_error(ctw__http_reply *out, const ctw_error *err, long index)
{
    char msg[1024];
    if (index >= 0)
        snprintf(msg, sizeof msg, "query %ld: %s%s%s", index, err->where[0] ? err->where : "",
                 err->where[0] ? ": " : "", err->message);
    else
        snprintf(msg, sizeof msg, "%s%s%s", err->where[0] ? err->where : "", err->where[0] ? ": " : "", err->message);
    ctw__http_error(out, err->code == CTW_ELIMIT ? 413 : 400, err->code == CTW_ELIMIT ? "too_large" : "invalid", msg);
}

static void post_screen(ctw_http_server *srv, const ctw__http_request *rq, bool batch, ctw__http_reply *out)
{
    const ctw_principal *p = request_principal(rq);
    json_t *body = parse_body(rq, out);
    if (!body) return;
    json_t *queries = batch ? json_object_get(body, "queries") : NULL;
    if (batch) {
        const char *key;
        json_t *v;
        json_object_foreach(body, key, v) {
            if (strcmp(key, "queries") != 0) {
                char msg[128];
                snprintf(msg, sizeof msg, "unknown field '%.40s' (queries)", key);
                ctw__http_error(out, 400, "invalid", msg);
                json_decref(body);
                return;
            }
        }
        if (!json_is_array(queries) || json_array_size(queries) == 0) {
            ctw__http_error(out, 400, "invalid", "\"queries\" must be a non-empty array of query objects");
            json_decref(body);
            return;
        }
        if (json_array_size(queries) > SCREEN_BATCH_MAX) {
            char msg[128];
            snprintf(msg, sizeof msg, "at most %d queries in one batch", SCREEN_BATCH_MAX);
            ctw__http_error(out, 413, "too_large", msg);
            json_decref(body);
            return;
        }
    }
    size_t nq = batch ? json_array_size(queries) : 1;
    /* Validate every query before screening any: a bad batch does nothing. */
    ctw_screen_query *qs = calloc(nq, sizeof *qs);
    if (!qs) {
        internal_error(out, CTW_ENOMEM);
        json_decref(body);
        return;
    }
    ctw_error err = {0};
    for (size_t i = 0; i < nq; i++) {
        if (ctw_screen_query_from_json(batch ? json_array_get(queries, i) : body, &qs[i], &err) != 0) {
            query_error(out, &err, batch ? (long)i : -1);
            free(qs);
            json_decref(body);
            return;
        }
    }
    ctw_match_index *ix = ctw__http_index_acquire(srv);
    json_t *results = json_array();
    char *ids = malloc(AUDIT_IDS_MAX);
    size_t ids_len = 0;
    int rc = ix && results && ids ? 0 : CTW_ENOMEM;
    bool all_ids = true;
    size_t failed = 0;
    if (ids) ids[0] = '\0';
    for (size_t i = 0; i < nq && rc == 0; i++) {
        json_t *hits = NULL;
        rc = ctw_match_screen(ix, p, &qs[i], &hits, &err);
        if (rc != 0) {
            failed = i;
            break;
        }
        all_ids &= ctw_match_hit_ids(hits, ids, AUDIT_IDS_MAX, &ids_len);
        json_array_append_new(results, batch ? json_pack("{s:s?,s:o}", "id", qs[i].id, "hits", hits) : hits);
    }
    ctw_match_index_release(ix);
    if (rc == 0) {
        char detail[96];
        snprintf(detail, sizeof detail, "%zu %s%s", nq, nq == 1 ? "query" : "queries",
                 all_ids ? "" : " (hit list cut at 256 KiB)");
        /* no answer without its audit entry on disk */
        rc = ctw__http_audit(srv, p, "screen", ids, detail);
    }
    if (rc == CTW_EINVAL || rc == CTW_ELIMIT) {
        query_error(out, &err, batch ? (long)failed : -1);
        json_decref(results);
    } else if (rc != 0) {
        internal_error(out, rc);
        json_decref(results);
    } else {
        out->status = 200;
        out->body = batch ? json_pack("{s:o}", "results", results)
                          : json_pack("{s:s?,s:o}", "id", qs[0].id, "hits", results ? json_incref(json_array_get(results, 0)) : NULL);
        if (!batch) json_decref(results);
    }
    free(ids);
    free(qs);
    json_decref(body);
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
    enum { NONE, HEALTHZ, STATS, RECORD, SCREEN, SCREEN_BATCH } route = NONE;

    out->status = 0;
    out->body = NULL;
    out->allow = NULL;
    if (strcmp(path, "/healthz") == 0) route = HEALTHZ;
    else if (strcmp(path, "/api/v1/stats") == 0) route = STATS;
    else if (strncmp(path, records_prefix, sizeof records_prefix - 1) == 0) route = RECORD;
    else if (strcmp(path, "/api/v1/screen") == 0) route = SCREEN;
    else if (strcmp(path, "/api/v1/screen/batch") == 0) route = SCREEN_BATCH;

    if (route == NONE) {
        ctw__http_error(out, 404, "not_found", "no such resource");
        return;
    }
    if (route == SCREEN || route == SCREEN_BATCH) {
        if (strcmp(rq->method, "POST") != 0) {
            ctw__http_error(out, 405, "method_not_allowed", "this resource answers POST");
            out->allow = ALLOW_POST;
            return;
        }
        post_screen(srv, rq, route == SCREEN_BATCH, out);
        if (!out->body) internal_error(out, CTW_ENOMEM);
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
    case NONE: case SCREEN: case SCREEN_BATCH: break;
    }
    if (!out->body) internal_error(out, CTW_ENOMEM);
}
