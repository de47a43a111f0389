/* routes.c — the API's resources: which path and method do what.
 *
 *   GET /healthz                 liveness and the store's schema version
 *   GET /api/v1/stats            record counts (ctw_stats_json)
 *   GET /api/v1/records/{id}     one record as the principal may see it
 *   PUT /api/v1/records/{id}/restriction   the owner sets who may see it
 *   POST /api/v1/screen          screen one query (a person or organisation)
 *   POST /api/v1/screen/batch    screen up to SCREEN_BATCH_MAX queries
 *   POST /api/v1/documents/check         is this document stolen, lost, revoked?
 *   POST /api/v1/documents/check/batch   up to CTW_DOC_BATCH_MAX of them
 *   POST /api/v1/manifests               screen a PAXLST, PNRGOV or JSON manifest
 *   GET, POST /api/v1/rules              the risk rules; a new rule
 *   GET, PUT /api/v1/rules/{id}          one rule (?version= not yet); a new version
 *   GET /api/v1/persons/{id}/movements   a person's movements and co-travellers
 *   GET /api/v1/audit            the audit log, oldest first, a page at a time
 *                                (auditors and system administrators only)
 *   /api/v1/notices...           notices on records (routes_notices.c)
 *   reviews, DELETE of a record, agencies, users, keys: routes_admin.c
 *   /api/v1/hits...              hits and their follow-up (routes_hits.c)
 *
 * HEAD is accepted wherever GET is (libmicrohttpd drops the body). The
 * contract for clients is docs/api/openapi.yaml; keep the two in step.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <sodium.h>

#include "ctwatch/access.h"
#include "ctwatch/auth.h"
#include "ctwatch/clock.h"
#include "ctwatch/hit.h"
#include "ctwatch/json.h"
#include "ctwatch/match.h"
#include "ctwatch/notice.h"
#include "ctwatch/rules.h"
#include "ctwatch/store.h"
#include "http/http_int.h"

#define RECORD_ID_MAX 64
#define ALLOW_GET "GET, HEAD"
#define ALLOW_POST "POST"
#define ALLOW_GET_POST "GET, HEAD, POST"
#define ALLOW_GET_PUT "GET, HEAD, PUT"
#define ALLOW_PUT "PUT"
#define SCREEN_BATCH_MAX 10000
#define AUDIT_IDS_MAX (256 * 1024) /* record ids named in one audit entry */
#define AUDIT_IDS_FIRST 4096       /* ... the list's first size (it grows to AUDIT_IDS_MAX) */

/* Who a request acts as: the user (or border system key) its bearer
 * token belongs to, authenticated by the router before any route runs
 * (ctw__http_route). Routes never see an unauthenticated request. */
static const ctw_principal *request_principal(const ctw__http_request *rq)
{
    return rq->principal;
}

static bool is_get(const char *method)
{
    return strcmp(method, "GET") == 0 || strcmp(method, "HEAD") == 0;
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

json_t *ctw__http_parse_body(const ctw__http_request *rq, ctw__http_reply *out)
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

/* --- PUT /api/v1/records/{id}/restriction ---------------------------------------- */

/* Body {"kind": "agencies", "list": ["DEU-NCB", "BEL-NCB"]}: list only for
 * regions, agencies and all-except. The store checks the codes and who
 * may write; here only the body's shape is checked. */
static void put_restriction(ctw_http_server *srv, const ctw__http_request *rq, const char *id, ctw__http_reply *out)
{
    if (!valid_record_id(id)) {
        ctw__http_error(out, 400, "invalid", "a record id is 1 to 64 characters of A-Z a-z 0-9 . _ : -");
        return;
    }
    json_t *body = ctw__http_parse_body(rq, out);
    if (!body) return;
    char *list = NULL;
    ctw_store *s = NULL;
    const char *key;
    json_t *v;
    if (!json_is_object(body)) {
        ctw__http_error(out, 400, "invalid", "the body must be an object {\"kind\", \"list\"}");
        goto out;
    }
    json_object_foreach(body, key, v) {
        if (strcmp(key, "kind") != 0 && strcmp(key, "list") != 0) {
            char msg[160];
            snprintf(msg, sizeof msg, "unknown key \"%.64s\": the body has \"kind\" and \"list\"", key);
            ctw__http_error(out, 400, "invalid", msg);
            goto out;
        }
    }
    json_t *jkind = json_object_get(body, "kind"), *jlist = json_object_get(body, "list");
    int kind = json_is_string(jkind) ? ctw_restrict_kind_from_name(json_string_value(jkind)) : -1;
    if (kind < 0) {
        ctw__http_error(out, 400, "invalid",
                        "\"kind\" must be one of \"all\", \"regions\", \"agencies\", \"all-except\", \"hit-only\"");
        goto out;
    }
    if (jlist && !json_is_null(jlist)) {
        if (!json_is_array(jlist) || json_array_size(jlist) > CTW_RESTRICT_MAX_LIST) {
            ctw__http_error(out, 400, "invalid", "\"list\" must be an array of at most 100 codes");
            goto out;
        }
        size_t n = json_array_size(jlist), len = 0, i;
        list = malloc(n * 34 + 1);
        if (!list) {
            internal_error(out, CTW_ENOMEM);
            goto out;
        }
        list[0] = '\0';
        json_array_foreach(jlist, i, v) {
            const char *e = json_string_value(v);
            size_t elen = e ? strlen(e) : 0;
            /* a comma inside one entry would make two; the store checks the rest */
            if (!e || elen != json_string_length(v) || elen > 32 || strchr(e, ',')) {
                ctw__http_error(out, 400, "invalid", "each entry of \"list\" is a code of 2 to 32 characters A-Z 0-9 -");
                goto out;
            }
            if (len) list[len++] = ',';
            memcpy(list + len, e, elen + 1);
            len += elen;
        }
    }
    ctw_error err = {0};
    s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, err.code ? err.code : CTW_ESTORE);
        goto out;
    }
    ctw_restriction r = {.kind = (ctw_restrict_kind)kind, .list = list};
    int rc = ctw_store_set_restriction(s, request_principal(rq), id, &r, &err);
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
    if (rc == 0) {
        json_t *res = json_pack("{s:s}", "kind", ctw_restrict_kind_name(r.kind));
        if (res && jlist && json_array_size(jlist) > 0) json_object_set(res, "list", jlist);
        out->status = 200;
        out->body = res ? json_pack("{s:s,s:o}", "id", id, "restriction", res) : NULL;
    } else if (rc == CTW_ENOTFOUND) {
        ctw__http_error(out, 404, "not_found", "no such record");
    } else if (rc == CTW_EACCES) {
        ctw__http_error(out, 403, "forbidden",
                        "only the owning agency's supervisor or agency administrator may change who sees this record");
    } else if (rc == CTW_EINVAL) {
        char msg[800];
        snprintf(msg, sizeof msg, "%.256s%s%.512s", err.where, err.where[0] ? ": " : "", err.message);
        ctw__http_error(out, 400, "invalid", msg);
    } else {
        internal_error(out, rc);
    }
out:
    free(list);
    json_decref(body);
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

/* Append the record and notice ids of hits to the audit entry's list
 * *ids (capacity *cap), growing it up to AUDIT_IDS_MAX; false when the
 * list had to be cut there. Most answers need a few hundred bytes: a
 * buffer of AUDIT_IDS_MAX per request cost every request a heap
 * consolidation when it was freed. */
static bool append_hit_ids(json_t *hits, char **ids, size_t *cap, size_t *len)
{
    size_t start = *len;
    for (;;) {
        bool whole = ctw_match_hit_ids(hits, *ids, *cap, len);
        whole &= ctw_notice_hit_ids(hits, *ids, *cap, len);
        if (whole || *cap >= AUDIT_IDS_MAX) return whole;
        size_t grown = *cap * 8 < AUDIT_IDS_MAX ? *cap * 8 : AUDIT_IDS_MAX;
        char *bigger = realloc(*ids, grown);
        if (!bigger) return false;
        *ids = bigger;
        *cap = grown;
        *len = start;   /* this answer's ids again, into the larger list */
        (*ids)[start] = '\0';
    }
}

/* {"id": id or null, "hits": hits}, taking hits; NULL when memory runs
 * out. Member by member: json_pack reads its format on every answer. */
static json_t *id_and_hits(const char *id, json_t *hits)
{
    json_t *o = json_object();
    if (!o || json_object_set_new_nocheck(o, "id", id ? json_string(id) : json_null()) != 0) {
        json_decref(hits);
        json_decref(o);
        return NULL;
    }
    if (json_object_set_new_nocheck(o, "hits", hits) != 0) { /* hits released */
        json_decref(o);
        return NULL;
    }
    return o;
}

static void post_screen(ctw_http_server *srv, const ctw__http_request *rq, bool batch, ctw__http_reply *out)
{
    const ctw_principal *p = request_principal(rq);
    json_t *body = ctw__http_parse_body(rq, out);
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
    size_t ids_cap = AUDIT_IDS_FIRST, ids_len = 0;
    char *ids = malloc(ids_cap);
    int rc = ix && results && ids ? 0 : CTW_ENOMEM;
    ctw_store *ns = rc == 0 ? ctw__http_store_acquire(srv, &err) : NULL;  /* each hit's notice */
    if (rc == 0 && !ns) rc = CTW_ESTORE;
    bool all_ids = true;
    size_t failed = 0;
    if (ids) ids[0] = '\0';
    ctw_hit_batch found;
    ctw_hit_batch_init(&found);
    for (size_t i = 0; i < nq && rc == 0; i++) {
        json_t *hits = NULL;
        rc = ctw_match_screen(ix, p, &qs[i], &hits, &err);
        if (rc != 0) {
            failed = i;
            break;
        }
        if ((rc = ctw_match_annotate_notices(ix, ns, p, hits)) != 0) {
            json_decref(hits);
            break;
        }
        rc = ctw_hit_collect(&found, p, "person", batch ? json_array_get(queries, i) : body, hits);
        all_ids &= append_hit_ids(hits, &ids, &ids_cap, &ids_len);
        /* a result that cannot be kept fails the batch: never one quietly missing */
        if (json_array_append_new(results, batch ? id_and_hits(qs[i].id, hits) : hits) != 0) {
            rc = CTW_ENOMEM;
            break;
        }
    }
    ctw_match_index_release(ix);
    if (ns) ctw__http_store_release(srv, ns, rc == CTW_ESTORE);
    if (rc == 0) {
        json_t *answer = batch ? json_pack("{s:o}", "results", results)
                               : id_and_hits(qs[0].id, json_incref(json_array_get(results, 0)));
        if (!batch) json_decref(results);
        char detail[96];
        snprintf(detail, sizeof detail, "%zu %s%s", nq, nq == 1 ? "query" : "queries",
                 all_ids ? "" : " (hit list cut at 256 KiB)");
        /* no answer without its audit entry (and its hits) on disk; the
         * hits point into the answer, which the server keeps until then */
        if (!answer || ctw__http_defer_audit(out, p, "screen", ids, detail, &found) != 0) {
            json_decref(answer);
            internal_error(out, CTW_ENOMEM);
        } else {
            ids = NULL; /* taken */
            out->status = 200;
            out->body = answer;
        }
    } else if (rc == CTW_EINVAL || rc == CTW_ELIMIT) {
        query_error(out, &err, batch ? (long)failed : -1);
        json_decref(results);
    } else {
        internal_error(out, rc);
        json_decref(results);
    }
    ctw_hit_batch_free(&found);
    free(ids);
    free(qs);
    json_decref(body);
}

/* --- POST /api/v1/documents/check(/batch) ----------------------------------- */

static void post_documents_check(ctw_http_server *srv, const ctw__http_request *rq, bool batch,
                                 ctw__http_reply *out)
{
    const ctw_principal *p = request_principal(rq);
    json_t *body = ctw__http_parse_body(rq, out);
    if (!body) return;
    json_t *queries = batch ? json_object_get(body, "queries") : NULL;
    if (batch && (!json_is_array(queries) || json_array_size(queries) == 0 || json_object_size(body) != 1)) {
        ctw__http_error(out, 400, "invalid", "the body must be {\"queries\":[document queries]}");
        json_decref(body);
        return;
    }
    size_t nq = batch ? json_array_size(queries) : 1;
    if (nq > CTW_DOC_BATCH_MAX) {
        char msg[96];
        snprintf(msg, sizeof msg, "at most %d documents in one batch", CTW_DOC_BATCH_MAX);
        ctw__http_error(out, 413, "too_large", msg);
        json_decref(body);
        return;
    }
    ctw_doc_query *qs = calloc(nq, sizeof *qs);
    ctw_error err = {0};
    if (!qs) {
        internal_error(out, CTW_ENOMEM);
        json_decref(body);
        return;
    }
    for (size_t i = 0; i < nq; i++) {   /* all valid, or nothing is checked */
        if (ctw_doc_query_from_json(batch ? json_array_get(queries, i) : body, &qs[i], &err) != 0) {
            query_error(out, &err, batch ? (long)i : -1);
            free(qs);
            json_decref(body);
            return;
        }
    }
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    json_t *results = json_array();
    int rc = s && results ? 0 : CTW_ESTORE;
    size_t hits = 0, failed = 0;
    json_t *hit_ids = json_array();
    ctw_hit_batch found;
    ctw_hit_batch_init(&found);
    if (rc == 0) {
        ctw_docindex *ix = ctw__http_docindex(srv, s);
        for (size_t i = 0; i < nq && rc == 0; i++) {
            json_t *res = NULL;
            rc = ctw_docindex_check(ix, s, p, &qs[i], &res, &err);
            if (rc != 0) {
                failed = i;
                break;
            }
            rc = ctw_hit_collect(&found, p, "document", batch ? json_array_get(queries, i) : body,
                                 json_object_get(res, "hits"));
            size_t k;
            json_t *h;
            json_array_foreach(json_object_get(res, "hits"), k, h) {
                json_array_append(hit_ids, json_object_get(h, "document"));
                hits++;
            }
            json_array_append_new(results, res);
        }
    }
    ctw__http_store_release(srv, s, rc != 0 && rc != CTW_EINVAL);
    if (rc == 0) {
        json_t *answer = batch ? json_pack("{s:o}", "results", results) : json_incref(json_array_get(results, 0));
        if (!batch) json_decref(results);
        char detail[96];
        size_t cap = 1, used = 0, k;
        json_t *h;
        json_array_foreach(hit_ids, k, h) cap += json_string_length(h) + 1;
        char *ids = calloc(1, cap);
        json_array_foreach(hit_ids, k, h) {
            if (ids) used += (size_t)snprintf(ids + used, cap - used, "%s%s", k ? "," : "", json_string_value(h));
        }
        snprintf(detail, sizeof detail, "%zu documents checked, %zu hits", nq, hits);
        /* answered once the entry and its hits are on disk (see post_screen) */
        if (!answer || !ids || ctw__http_defer_audit(out, p, "check-documents", ids, detail, &found) != 0) {
            free(ids);
            json_decref(answer);
            internal_error(out, CTW_ENOMEM);
        } else {
            out->status = 200;
            out->body = answer;
        }
    } else if (rc == CTW_EINVAL || rc == CTW_ELIMIT) {
        query_error(out, &err, batch ? (long)failed : -1);
        json_decref(results);
    } else {
        internal_error(out, rc);
        json_decref(results);
    }
    ctw_hit_batch_free(&found);
    json_decref(hit_ids);
    free(qs);
    json_decref(body);
}

/* --- POST /api/v1/manifests --------------------------------------------------- */

static void post_manifest(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const ctw_principal *p = request_principal(rq);
    if (!rq->body || rq->body_len == 0) {
        ctw__http_error(out, 400, "invalid", "the body must be a PAXLST, PNRGOV or JSON manifest");
        return;
    }
    ctw_manifest *m = NULL;
    ctw_error err = {0};
    int rc = ctw_manifest_parse(rq->body, rq->body_len, CTW_MANIFEST_DETECT, &m, &err);
    if (rc != 0) {
        char msg[1200];
        snprintf(msg, sizeof msg, "%s%s%s", err.where, err.where[0] ? ": " : "", err.message);
        ctw__http_error(out, rc == CTW_ELIMIT ? 413 : rc == CTW_EUNSUPPORTED ? 415 : 400,
                        rc == CTW_ELIMIT ? "too_large" : rc == CTW_EUNSUPPORTED ? "unsupported" : "invalid", msg);
        return;
    }
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    ctw_match_index *ix = ctw__http_index_acquire(srv);
    ctw_ruleset *rules = NULL;
    json_t *res = NULL;
    char *records = NULL;
    rc = s && ix ? 0 : CTW_ESTORE;
    if (rc == 0) rc = ctw_ruleset_load(s, &rules, &err);
    if (rc == 0) {
        ctw_border b = {.names = ix, .documents = ctw__http_docindex(srv, s), .rules = rules, .store = s,
                        .record_movements = true};
        rc = ctw_manifest_screen(&b, p, m, &res, &records, &err);
    }
    ctw_ruleset_free(rules);
    if (ix) ctw_match_index_release(ix);
    ctw__http_store_release(srv, s, rc != 0);
    if (rc == 0) {
        char detail[160];
        snprintf(detail, sizeof detail, "manifest %.60s (%s): %zu travellers", m->message_ref ? m->message_ref : "",
                 ctw_manifest_format_name(m->format), m->n_travellers);
        ctw_hit_batch found;
        ctw_hit_batch_init(&found);
        rc = ctw_hit_collect_manifest(&found, p, res);
        if (rc == 0 && !records && !(records = strdup(""))) rc = CTW_ENOMEM;
        /* answered once the entry and its hits are on disk (see post_screen) */
        if (rc == 0 && ctw__http_defer_audit(out, p, "screen-manifest", records, detail, &found) != 0) rc = CTW_ENOMEM;
        if (rc == 0) records = NULL; /* taken */
        ctw_hit_batch_free(&found);
    }
    free(records);
    ctw_manifest_free(m);
    if (rc != 0) {
        json_decref(res);
        internal_error(out, rc);
        return;
    }
    out->status = 200;
    out->body = res;
}

/* --- /api/v1/rules -------------------------------------------------------------- */

static int collect_rule(void *ud, const ctw_rule_row *r)
{
    return json_array_append_new(ud, ctw_rule_row_json(r)) == 0 ? 0 : CTW_ENOMEM;
}

static bool valid_rule_id(const char *id)
{
    size_t n = strlen(id);
    if (n < 6 || n > 24 || strncmp(id, "rule-", 5) != 0) return false;
    for (size_t i = 5; i < n; i++)
        if (id[i] < '0' || id[i] > '9') return false;
    return true;
}

static void rules_resource(ctw_http_server *srv, const ctw__http_request *rq, const char *id, ctw__http_reply *out)
{
    const ctw_principal *p = request_principal(rq);
    if (id && !valid_rule_id(id)) {
        ctw__http_error(out, 404, "not_found", "no such rule");
        return;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, CTW_ESTORE);
        return;
    }
    int rc = 0;
    if (is_get(rq->method)) {
        json_t *arr = json_array();
        rc = id ? ctw_store_get_rule(s, id, 0, collect_rule, arr) : ctw_store_iterate_rules(s, false, collect_rule, arr);
        if (rc == 0) {
            out->status = 200;
            out->body = id ? json_incref(json_array_get(arr, 0)) : json_pack("{s:O}", "rules", arr);
        } else if (rc == CTW_ENOTFOUND) {
            ctw__http_error(out, 404, "not_found", "no such rule");
        } else {
            internal_error(out, rc);
        }
        json_decref(arr);
    } else {
        ctw_rule *rule = NULL;
        if (!rq->body || rq->body_len == 0) {
            ctw__http_error(out, 400, "invalid", "the body must be a rule definition (JSON)");
        } else if ((rc = ctw_rule_parse_text(rq->body, rq->body_len, &rule, &err)) != 0) {
            query_error(out, &err, -1);
            rc = 0;
        } else {
            json_t *def = ctw_rule_definition(rule);
            char *canon = def ? json_dumps(def, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
            json_decref(def);
            ctw_rule_row row = {.name = ctw_rule_name(rule), .severity = ctw_rule_severity(rule), .enabled = true,
                                .definition = canon};
            char newid[32];
            int64_t version = 0;
            rc = canon ? ctw_store_put_rule(s, p, id, &row, newid, sizeof newid, &version) : CTW_ENOMEM;
            free(canon);
            if (rc == 0) {
                json_t *arr = json_array();
                rc = ctw_store_get_rule(s, newid, version, collect_rule, arr);
                if (rc == 0) {
                    out->status = id ? 200 : 201;
                    out->body = json_incref(json_array_get(arr, 0));
                }
                json_decref(arr);
            }
            if (rc == CTW_ENOTFOUND) ctw__http_error(out, 404, "not_found", "no such rule");
            else if (rc == CTW_EACCES) ctw__http_error(out, 403, "forbidden", "this role may not change rules");
            else if (rc != 0) internal_error(out, rc);
            if (rc == CTW_ENOTFOUND || rc == CTW_EACCES) rc = 0;
        }
        ctw_rule_free(rule);
    }
    ctw__http_store_release(srv, s, rc != 0 && rc != CTW_ENOTFOUND);
}

/* --- GET /api/v1/persons/{id}/movements ------------------------------------------ */

static void get_movements(ctw_http_server *srv, const ctw__http_request *rq, const char *id, ctw__http_reply *out)
{
    if (!valid_record_id(id)) {
        ctw__http_error(out, 404, "not_found", "no such record");
        return;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, CTW_ESTORE);
        return;
    }
    json_t *arr = NULL;
    int rc = ctw_store_person_movements(s, request_principal(rq), id, &arr);
    ctw__http_store_release(srv, s, rc != 0 && rc != CTW_ENOTFOUND && rc != CTW_EACCES);
    if (rc == CTW_ENOTFOUND) {
        ctw__http_error(out, 404, "not_found", "no such record");
    } else if (rc == CTW_EACCES) {
        ctw__http_error(out, 403, "restricted", "the record is restricted by its owner: contact the owner");
    } else if (rc != 0) {
        internal_error(out, rc);
    } else {
        out->status = 200;
        out->body = json_pack("{s:s,s:o}", "person", id, "movements", arr);
    }
}

/* --- GET /api/v1/audit ------------------------------------------------------------- */

#define AUDIT_PAGE_DEFAULT 100
#define AUDIT_PAGE_MAX 1000
#define AUDIT_PARAM_MAX 128

enum { AQ_ACTION, AQ_USER, AQ_AGENCY, AQ_SINCE, AQ_UNTIL, AQ_RECORD, AQ_AFTER, AQ_LIMIT, AQ_N };
static const char *const audit_params[AQ_N] = {"action", "user", "agency", "since", "until", "record", "after", "limit"};

typedef struct audit_query {
    const char *val[AQ_N];
    bool seen[AQ_N];
    char msg[192];  /* why the query is refused */
} audit_query;

static int audit_param(void *ud, const char *name, const char *value)
{
    audit_query *q = ud;
    int i = 0;
    while (i < AQ_N && strcmp(name, audit_params[i]) != 0) i++;
    if (i == AQ_N) {
        snprintf(q->msg, sizeof q->msg,
                 "unknown parameter '%.40s' (action, user, agency, since, until, record, after, limit)", name);
        return -1;
    }
    if (q->seen[i]) {
        snprintf(q->msg, sizeof q->msg, "parameter '%s' is given twice", name);
        return -1;
    }
    q->seen[i] = true;
    if (value && strlen(value) > AUDIT_PARAM_MAX) {
        snprintf(q->msg, sizeof q->msg, "parameter '%s' is longer than %d bytes", name, AUDIT_PARAM_MAX);
        return -1;
    }
    q->val[i] = value && *value ? value : NULL; /* "name=" or "name": no filter */
    return 0;
}

static bool digits(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

static int two(const char *s)
{
    return (s[0] - '0') * 10 + (s[1] - '0');
}

/* An ISO date or UTC time as the log writes them: YYYY-MM-DD, optionally
 * THH:MM, THH:MM:SS or THH:MM:SSZ; compared as text with the entries. */
static bool audit_time_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 10 || !digits(s, 4) || s[4] != '-' || !digits(s + 5, 2) || s[7] != '-' || !digits(s + 8, 2)) return false;
    if (two(s + 5) < 1 || two(s + 5) > 12 || two(s + 8) < 1 || two(s + 8) > 31) return false;
    if (n == 10) return true;
    if ((n != 16 && n != 19 && n != 20) || s[10] != 'T' || !digits(s + 11, 2) || s[13] != ':' || !digits(s + 14, 2))
        return false;
    if (two(s + 11) > 23 || two(s + 14) > 59) return false;
    if (n == 16) return true;
    if (s[16] != ':' || !digits(s + 17, 2) || two(s + 17) > 60) return false;
    return n == 19 || s[19] == 'Z';
}

/* A non-negative decimal integer of at most 18 digits (no sign, no spaces). */
static bool audit_int(const char *s, int64_t *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 18 || !digits(s, n)) return false;
    int64_t v = 0;
    for (size_t i = 0; i < n; i++) v = v * 10 + (s[i] - '0');
    *out = v;
    return true;
}

/* A column as JSON: NULL, or bytes that are not UTF-8 (only an edit outside
 * the store puts them there; the verifier names such an entry), as null. */
static json_t *audit_str(const char *v)
{
    json_t *j = v ? json_string(v) : NULL;
    return j ? j : json_null();
}

typedef struct audit_page {
    json_t *entries;
    int64_t last_seq;
} audit_page;

static int audit_collect(void *ud, const ctw_audit_entry *e)
{
    audit_page *pg = ud;
    json_t *o = json_object();
    if (!o || json_array_append_new(pg->entries, o) != 0) return CTW_ENOMEM;
    json_object_set_new(o, "seq", json_integer(e->seq));
    const char *const names[] = {"time",    "user",    "agency", "role",      "action", "purpose",
                                 "records", "detail",  "prev_hash", "hash"};
    const char *const vals[] = {e->time,    e->user,   e->agency,    e->role,   e->action, e->purpose,
                                e->records, e->detail, e->prev_hash, e->hash};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) json_object_set_new(o, names[i], audit_str(vals[i]));
    pg->last_seq = e->seq;
    return 0;
}

static void get_audit(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const ctw_principal *p = request_principal(rq);
    audit_query q = {0};
    if (ctw__http_query_each(rq, audit_param, &q) != 0) {
        ctw__http_error(out, 400, "invalid", q.msg);
        return;
    }
    ctw_audit_filter f = {.action = q.val[AQ_ACTION], .user = q.val[AQ_USER], .agency = q.val[AQ_AGENCY],
                          .since = q.val[AQ_SINCE], .until = q.val[AQ_UNTIL], .record = q.val[AQ_RECORD],
                          .first = AUDIT_PAGE_DEFAULT};
    for (int i = AQ_SINCE; i <= AQ_UNTIL; i++) {
        if (q.val[i] && !audit_time_ok(q.val[i])) {
            snprintf(q.msg, sizeof q.msg,
                     "parameter '%s' wants an ISO date or UTC time (2026-03-01, 2026-03-01T12:00:00Z)",
                     audit_params[i]);
            ctw__http_error(out, 400, "invalid", q.msg);
            return;
        }
    }
    if (q.val[AQ_AFTER] && !audit_int(q.val[AQ_AFTER], &f.after)) {
        ctw__http_error(out, 400, "invalid", "parameter 'after' wants a seq (a non-negative integer)");
        return;
    }
    if (q.val[AQ_LIMIT] && (!audit_int(q.val[AQ_LIMIT], &f.first) || f.first < 1 || f.first > AUDIT_PAGE_MAX)) {
        snprintf(q.msg, sizeof q.msg, "parameter 'limit' wants an integer from 1 to %d", AUDIT_PAGE_MAX);
        ctw__http_error(out, 400, "invalid", q.msg);
        return;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, CTW_ESTORE);
        return;
    }
    audit_page pg = {.entries = json_array()};
    int rc = pg.entries ? ctw_store_audit_list(s, p, &f, audit_collect, &pg) : CTW_ENOMEM;
    ctw__http_store_release(srv, s, rc != 0 && rc != CTW_EACCES && rc != CTW_ENOMEM);
    if (rc == CTW_EACCES) {
        json_decref(pg.entries);
        /* a look at who looked where is itself worth recording */
        char detail[400];
        snprintf(detail, sizeof detail, "%.16s %.100s from %.64s", rq->method, rq->path,
                 rq->remote_addr ? rq->remote_addr : "-");
        if (ctw__http_audit(srv, p, "audit-read-denied", "", detail) != 0) {
            internal_error(out, CTW_ESTORE);
            return;
        }
        ctw__http_error(out, 403, "forbidden", "only auditors and system administrators read the audit log");
        return;
    }
    if (rc != 0) {
        /* nothing is shown unless its audit-read entry is on disk */
        json_decref(pg.entries);
        internal_error(out, rc);
        return;
    }
    /* a full page may have a next one; the cursor is the page's last seq */
    bool full = (int64_t)json_array_size(pg.entries) == f.first;
    out->status = 200;
    out->body = json_pack("{s:o,s:o}", "entries", pg.entries, "next_after",
                          full ? json_integer(pg.last_seq) : json_null());
}

/* --- POST /api/v1/login, /api/v1/logout ----------------------------------------- */

#define AUTH_REALM "Bearer realm=\"ctwatch\""

static void post_login(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    json_t *body = ctw__http_parse_body(rq, out);
    if (!body) return;
    const char *user = NULL, *password = NULL, *totp = NULL, *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        const char **slot = strcmp(key, "username") == 0 ? &user
                            : strcmp(key, "password") == 0 ? &password
                            : strcmp(key, "totp") == 0     ? &totp
                                                           : NULL;
        if (!slot || !json_is_string(v)) {
            ctw__http_error(out, 400, "invalid", "the body is {\"username\",\"password\",\"totp\"?} (strings)");
            json_decref(body);
            return;
        }
        *slot = json_string_value(v);
    }
    if (!user || !password) {
        ctw__http_error(out, 400, "invalid", "username and password are required");
        json_decref(body);
        return;
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        json_decref(body);
        internal_error(out, CTW_ESTORE);
        return;
    }
    char token[CTW_AUTH_TOKEN_SIZE];
    ctw_principal p = {0};
    ctw_arena a;
    ctw_arena_init(&a);
    int rc = ctw_auth_login(s, user, password, totp, rq->remote_addr, ctw_clock_now(), token, &p, &a, &err);
    ctw__http_store_release(srv, s, rc != 0 && rc != CTW_EACCES && rc != CTW_ELIMIT && rc != CTW_EINVAL);
    json_decref(body);
    if (rc == 0) {
        out->status = 200;
        out->body = json_pack("{s:s,s:s,s:s,s:s,s:i,s:i}", "token", token, "user", p.user, "agency", p.agency,
                              "role", ctw_role_name(p.role), "idle_timeout_s", CTW_AUTH_IDLE_SECONDS,
                              "max_lifetime_s", CTW_AUTH_ABSOLUTE_SECONDS);
    } else if (rc == CTW_ELIMIT) {
        /* "too many attempts, retry in N s" */
        const char *in = strstr(err.message, "retry in ");
        long secs = in ? strtol(in + 9, NULL, 10) : 60;
        out->retry_after = secs > 0 ? (unsigned)secs : 1;
        ctw__http_error(out, 429, "too_many_attempts", err.message);
    } else if (rc == CTW_EACCES || rc == CTW_EINVAL) {
        /* one answer for an unknown user, a wrong password or TOTP, a disabled user */
        ctw__http_error(out, 401, "unauthorized", CTW_AUTH_INVALID);
        out->www_authenticate = AUTH_REALM;
    } else {
        internal_error(out, rc);
    }
    sodium_memzero(token, sizeof token);
    ctw_arena_free(&a);
}

/* The token of "Authorization: Bearer <token>", or NULL. */
const char *ctw__http_bearer_token(const char *authorization)
{
    if (!authorization || strncasecmp(authorization, "Bearer ", 7) != 0) return NULL;
    const char *t = authorization + 7;
    while (*t == ' ') t++;
    return *t ? t : NULL;
}

static void post_logout(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        internal_error(out, CTW_ESTORE);
        return;
    }
    int rc = ctw_auth_logout(s, ctw__http_bearer_token(rq->authorization), ctw_clock_now(), &err);
    ctw__http_store_release(srv, s, rc != 0 && rc != CTW_ENOTFOUND);
    if (rc == 0 || rc == CTW_ENOTFOUND) {
        out->status = 200;
        out->body = json_pack("{s:b}", "logged_out", rc == 0);
    } else {
        internal_error(out, rc);
    }
}

/* Authenticate rq's bearer token into *p (strings in a). On failure the
 * reply is filled (401, with the reason) and the refusal audited. */
static bool authenticate(ctw_http_server *srv, const ctw__http_request *rq, ctw_principal *p, ctw_arena *a,
                         ctw__http_reply *out)
{
    const char *token = ctw__http_bearer_token(rq->authorization);
    /* a browser's EventSource cannot send headers: the hit stream also takes
     * ?token= (never logged: the access log has the path only) */
    if (!token && strcmp(rq->path, "/api/v1/hits/stream") == 0) token = ctw__http_query(rq, "token");
    ctw_error err = {0};
    int rc = CTW_EACCES;
    if (!token) {
        ctw_error_set(&err, CTW_EACCES, NULL, "sign in: POST /api/v1/login, then send Authorization: Bearer TOKEN");
    } else {
        rc = ctw__http_authenticate(srv, token, p, a, &err);
    }
    if (rc == 0) {
        if (!p->purpose) p->purpose = "api";
        return true;
    }
    if (rc != CTW_EACCES) {
        internal_error(out, rc);
        return false;
    }
    static const ctw_principal nobody = {.user = "-", .agency = "-", .role = CTW_ROLE_NONE, .purpose = "api"};
    char detail[400];
    snprintf(detail, sizeof detail, "%.16s %.100s from %.64s: %.200s", rq->method, rq->path,
             rq->remote_addr ? rq->remote_addr : "-", err.message);
    if (ctw__http_audit(srv, &nobody, "auth-denied", "", detail) != 0) {
        internal_error(out, CTW_ESTORE);
        return false;
    }
    ctw__http_error(out, 401, "unauthorized", err.message);
    out->www_authenticate = AUTH_REALM;
    return false;
}

/* --- the router ------------------------------------------------------------- */

static void route_authenticated(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out);

/* A purpose is 1 to 200 bytes of printable text (UTF-8 allowed; no control
 * characters, which could forge lines in a log reader). */
static bool purpose_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 200) return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f) return false;
    }
    return true;
}

void ctw__http_route(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const char *path = rq->path;
    out->status = 0;
    out->body = NULL;
    out->allow = NULL;
    out->www_authenticate = NULL;
    out->retry_after = 0;
    out->stream = NULL;
    out->audit = NULL;
    if (strcmp(path, "/healthz") == 0) {
        if (!is_get(rq->method)) {
            ctw__http_error(out, 405, "method_not_allowed", "this resource answers GET and HEAD");
            out->allow = ALLOW_GET;
        } else {
            get_healthz(srv, rq, out);
        }
        if (!out->body) internal_error(out, CTW_ENOMEM);
        return;
    }
    if (strcmp(path, "/api/v1/login") == 0 || strcmp(path, "/api/v1/logout") == 0) {
        if (strcmp(rq->method, "POST") != 0) {
            ctw__http_error(out, 405, "method_not_allowed", "this resource answers POST");
            out->allow = ALLOW_POST;
        } else if (path[8] == 'l' && path[11] == 'i') {
            post_login(srv, rq, out);
        } else {
            post_logout(srv, rq, out);
        }
        if (!out->body) internal_error(out, CTW_ENOMEM);
        return;
    }
    /* Everything else acts as an authenticated principal. */
    ctw_principal who = {0};
    ctw_arena who_arena;
    ctw_arena_init(&who_arena);
    if (!authenticate(srv, rq, &who, &who_arena, out)) {
        ctw_arena_free(&who_arena);
        if (!out->body) internal_error(out, CTW_ENOMEM);
        return;
    }
    /* why the caller processes the data (EU LED Art. 25): the X-Purpose
     * header, kept in every audit entry of this request */
    const char *purpose = ctw__http_header(rq, "X-Purpose");
    if (purpose) {
        if (!purpose_ok(purpose)) {
            ctw_arena_free(&who_arena);
            ctw__http_error(out, 400, "invalid",
                            "X-Purpose is 1 to 200 printable characters (say why: a case number, a check)");
            return;
        }
        who.purpose = purpose;
    }
    ctw__http_request authed = *rq;
    authed.principal = &who;
    route_authenticated(srv, &authed, out);
    ctw_arena_free(&who_arena);
}

/* The operation a path performs, for the role gate (access.h); -1 where
 * the handler decides by itself (its own rules, e.g. notices and hits). */
static int route_operation(const char *path, const char *method)
{
    static const char records_prefix[] = "/api/v1/records/";
    static const char restriction_suffix[] = "/restriction";
    size_t plen = strlen(path);
    if (strcmp(path, "/api/v1/screen") == 0 || strcmp(path, "/api/v1/screen/batch") == 0 ||
        strcmp(path, "/api/v1/documents/check") == 0 || strcmp(path, "/api/v1/documents/check/batch") == 0 ||
        strcmp(path, "/api/v1/manifests") == 0)
        return CTW_OP_SCREEN;
    if (strncmp(path, records_prefix, sizeof records_prefix - 1) == 0)
        return plen > sizeof restriction_suffix &&
                       strcmp(path + plen - (sizeof restriction_suffix - 1), restriction_suffix) == 0
                   ? CTW_OP_RESTRICT
                   : CTW_OP_READ;
    if (strncmp(path, "/api/v1/persons/", 16) == 0) return CTW_OP_READ;
    if (strcmp(path, "/api/v1/rules") == 0 || strncmp(path, "/api/v1/rules/", 14) == 0)
        return is_get(method) ? CTW_OP_RULES_READ : CTW_OP_RULES_WRITE;
    if (strcmp(path, "/api/v1/audit") == 0) return CTW_OP_AUDIT_READ;
    if (strcmp(path, "/api/v1/stats") == 0) return CTW_OP_STATS;
    if (strcmp(path, "/api/v1/export") == 0) return CTW_OP_EXPORT;
    if (strcmp(path, "/api/v1/search") == 0) return CTW_OP_READ;
    /* notices are on records: a role that reads no records has none of
     * them; the handlers then apply the owner's rules (drafters, supervisors) */
    if (strcmp(path, "/api/v1/notices") == 0 || strncmp(path, "/api/v1/notices/", 16) == 0) return CTW_OP_READ;
    /* hits name persons and queries: the same readers */
    if (strcmp(path, "/api/v1/hits") == 0 || strncmp(path, "/api/v1/hits/", 13) == 0) return CTW_OP_READ;
    return -1;
}

/* Least privilege before any handler runs: a role that may not perform
 * the route's operation at all gets 403, whatever record it names (so the
 * answer says nothing about the record). A key scoped to screening reaches
 * the screening routes only. */
static bool role_gate(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    /* the audit action of a refusal, by operation: the same names the
     * store layer uses when it refuses on its own */
    static const char *const denied[CTW_OP__COUNT] = {
        [CTW_OP_SCREEN] = "screen-denied",       [CTW_OP_READ] = "read-denied",
        [CTW_OP_RESTRICT] = "restriction-denied", [CTW_OP_RULES_READ] = "rules-denied",
        [CTW_OP_RULES_WRITE] = "rules-denied",    [CTW_OP_AUDIT_READ] = "audit-read-denied",
        [CTW_OP_IDENTITIES] = "admin-denied",     [CTW_OP_STATS] = "stats-denied",
        [CTW_OP_EXPORT] = "export-denied",
    };
    const ctw_principal *p = rq->principal;
    int op = route_operation(rq->path, rq->method);
    if (op < 0 ? !p->scope : ctw_access_role_permits(p, (ctw_operation)op))
        return true;
    /* every authorisation decision is logged (issue 5 part 7) */
    char detail[400];
    snprintf(detail, sizeof detail, "%.16s %.100s from %.64s", rq->method, rq->path,
             rq->remote_addr ? rq->remote_addr : "-");
    if (ctw__http_audit(srv, p, op < 0 ? "scope-denied" : denied[op], "", detail) != 0) {
        internal_error(out, CTW_ESTORE);
        return false;
    }
    if (p->scope) {
        ctw__http_error(out, 403, "forbidden", "this key may only screen travellers and check documents");
    } else {
        char msg[160];
        snprintf(msg, sizeof msg, "the %s role may not %s", ctw_role_name(p->role),
                 ctw_operation_name((ctw_operation)op));
        ctw__http_error(out, 403, "forbidden", msg);
    }
    return false;
}

/* The record id of a path "<prefix>ID<suffix>" (prefix_len and suffix_len
 * bytes around it) into id (RECORD_ID_MAX + 1 bytes); false with a 404 in
 * out when it is empty or too long. */
static bool id_between(const char *path, size_t plen, size_t prefix_len, size_t suffix_len, char *id,
                       ctw__http_reply *out)
{
    size_t idlen = plen - prefix_len - suffix_len;
    if (idlen == 0 || idlen > RECORD_ID_MAX) {
        ctw__http_error(out, 404, "not_found", "no such record");
        return false;
    }
    memcpy(id, path + prefix_len, idlen);
    id[idlen] = '\0';
    return true;
}

/* The routes behind authentication, after the role gate. */
static void route_authenticated(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    static const char records_prefix[] = "/api/v1/records/";
    static const char persons_prefix[] = "/api/v1/persons/";
    static const char rules_prefix[] = "/api/v1/rules/";
    static const char movements_suffix[] = "/movements";
    static const char restriction_suffix[] = "/restriction";
    const char *path = rq->path;
    enum { NONE, HEALTHZ, STATS, RECORD, SCREEN, SCREEN_BATCH } route = NONE;
    if (!role_gate(srv, rq, out)) return;
    if (ctw__http_route_web(srv, rq, out)) return; /* /me, /search (routes_web.c) */
    if (ctw__http_notices_route(srv, rq, out)) return;
    /* retention and administration (issue 5) */
    if (ctw__http_route_admin(srv, rq, out)) return;
    /* hits and their follow-up (issue 5) */
    if (ctw__http_hits_route(srv, rq, out)) return;
    /* the travel resources (issue 4) */
    bool post = strcmp(rq->method, "POST") == 0;
    size_t plen = strlen(path);
    if (strcmp(path, "/api/v1/documents/check") == 0 || strcmp(path, "/api/v1/documents/check/batch") == 0 ||
        strcmp(path, "/api/v1/manifests") == 0) {
        if (!post) {
            ctw__http_error(out, 405, "method_not_allowed", "this resource answers POST");
            out->allow = ALLOW_POST;
            return;
        }
        if (path[8] == 'm') post_manifest(srv, rq, out);
        else post_documents_check(srv, rq, plen > sizeof "/api/v1/documents/check" - 1, out);
        if (!out->body) internal_error(out, CTW_ENOMEM);
        return;
    }
    if (strcmp(path, "/api/v1/rules") == 0 || strncmp(path, rules_prefix, sizeof rules_prefix - 1) == 0) {
        bool one = path[sizeof rules_prefix - 2] == '/';
        if (!(is_get(rq->method) || (!one && post) || (one && strcmp(rq->method, "PUT") == 0))) {
            ctw__http_error(out, 405, "method_not_allowed", one ? "this resource answers GET, HEAD and PUT"
                                                               : "this resource answers GET, HEAD and POST");
            out->allow = one ? ALLOW_GET_PUT : ALLOW_GET_POST;
            return;
        }
        rules_resource(srv, rq, one ? path + sizeof rules_prefix - 1 : NULL, out);
        if (!out->body) internal_error(out, CTW_ENOMEM);
        return;
    }
    if (strncmp(path, persons_prefix, sizeof persons_prefix - 1) == 0 && plen > sizeof movements_suffix &&
        strcmp(path + plen - (sizeof movements_suffix - 1), movements_suffix) == 0) {
        if (!is_get(rq->method)) {
            ctw__http_error(out, 405, "method_not_allowed", "this resource answers GET and HEAD");
            out->allow = ALLOW_GET;
            return;
        }
        char id[RECORD_ID_MAX + 1];
        if (!id_between(path, plen, sizeof persons_prefix - 1, sizeof movements_suffix - 1, id, out)) return;
        get_movements(srv, rq, id, out);
        if (!out->body) internal_error(out, CTW_ENOMEM);
        return;
    }
    /* before the record route: this path is one of its suffixes */
    if (strncmp(path, records_prefix, sizeof records_prefix - 1) == 0 && plen > sizeof restriction_suffix &&
        strcmp(path + plen - (sizeof restriction_suffix - 1), restriction_suffix) == 0) {
        if (strcmp(rq->method, "PUT") != 0) {
            ctw__http_error(out, 405, "method_not_allowed", "this resource answers PUT");
            out->allow = ALLOW_PUT;
            return;
        }
        char id[RECORD_ID_MAX + 1];
        if (!id_between(path, plen, sizeof records_prefix - 1, sizeof restriction_suffix - 1, id, out)) return;
        put_restriction(srv, rq, id, out);
        if (!out->body) internal_error(out, CTW_ENOMEM);
        return;
    }
    if (strcmp(path, "/api/v1/audit") == 0) {
        /* read-only through the API: nobody edits the log (issue 5) */
        if (!is_get(rq->method)) {
            ctw__http_error(out, 405, "method_not_allowed", "the audit log answers GET and HEAD; nobody edits it");
            out->allow = ALLOW_GET;
            return;
        }
        get_audit(srv, rq, out);
        if (!out->body) internal_error(out, CTW_ENOMEM);
        return;
    }
    if (strcmp(path, "/api/v1/export") == 0) {
        if (!is_get(rq->method)) {
            ctw__http_error(out, 405, "method_not_allowed", "this resource answers GET and HEAD");
            out->allow = ALLOW_GET;
            return;
        }
        ctw__http_get_export(srv, rq, out);
        if (!out->body) internal_error(out, CTW_ENOMEM);
        return;
    }
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
