/* routes_web.c — what the web interface asks beyond the rest of the API.
 *
 *   GET /api/v1/me                    who the session acts as
 *   GET /api/v1/search?q=&limit=      persons and organisations by name
 *                                     (the screening index, ranked and
 *                                     explained, each with its strongest
 *                                     notice), documents by "STATE NUMBER",
 *                                     notices of the records found or of a
 *                                     kind ("red")
 *
 * Every result passes the same access checks as POST /api/v1/screen and
 * POST /api/v1/documents/check, and a search leaves one audit entry
 * naming the records and documents it showed.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/access.h"
#include "ctwatch/border.h"
#include "ctwatch/match.h"
#include "ctwatch/notice.h"
#include "http/http_int.h"

#define SEARCH_Q_MAX 200
#define SEARCH_LIMIT_DEFAULT 20
#define SEARCH_LIMIT_MAX 50
#define SEARCH_THRESHOLD 0.6 /* lower than screening's review line: a search explores */
#define SEARCH_IDS_MAX (64 * 1024)
#define SEARCH_NOTICE_RECORDS 5  /* the best records whose notices are listed */
#define SEARCH_NOTICES_MAX 50

static void get_me(const ctw__http_request *rq, ctw__http_reply *out)
{
    const ctw_principal *p = rq->principal;
    json_t *regions = json_array();
    if (regions && p->regions) {
        const char *s = p->regions;
        while (*s) {
            const char *comma = strchr(s, ',');
            size_t n = comma ? (size_t)(comma - s) : strlen(s);
            if (n) json_array_append_new(regions, json_stringn(s, n));
            s += n + (comma ? 1 : 0);
        }
    }
    out->status = 200;
    out->body = json_pack("{s:s?,s:s?,s:o,s:s,s:s?}", "user", p->user, "agency", p->agency, "regions",
                          regions ? regions : json_array(), "role", ctw_role_name(p->role), "scope", p->scope);
}

/* "UTO L898902C3" or "UTO:L898902C3": a state of 1 to 3 letters and a
 * number with a digit in it; into state and number (each cap bytes). */
static bool document_terms(const char *q, char *state, char *number, size_t cap)
{
    size_t i = 0, n = 0;
    while (q[i] == ' ') i++;
    while (isalpha((unsigned char)q[i]) && n < 3) state[n++] = q[i++];
    state[n] = '\0';
    if (n == 0 || (q[i] != ' ' && q[i] != ':')) return false;
    while (q[i] == ' ' || q[i] == ':') i++;
    size_t m = 0;
    bool digit = false;
    for (; q[i] && m + 1 < cap; i++) {
        unsigned char ch = (unsigned char)q[i];
        if (ch == ' ' || ch == '-' || ch == '<') continue;
        if (!isalnum(ch)) return false;
        digit |= isdigit(ch) != 0;
        number[m++] = (char)ch;
    }
    number[m] = '\0';
    return q[i] == '\0' && digit && m >= 4;
}

static int notice_collect(void *ud, const ctw_notice *n)
{
    json_t *arr = ud;
    if (json_array_size(arr) >= SEARCH_NOTICES_MAX) return 1; /* enough */
    json_t *j = ctw_notice_json(n);
    return j && json_array_append_new(arr, j) == 0 ? 0 : CTW_ENOMEM;
}

/* The notices of the search: a kind's published ones when q names a kind,
 * else those of the best records found that p may read. Each list is
 * access-checked and audited by ctw_notice_list itself. */
static int search_notices(ctw_store *s, const ctw_principal *p, const char *q, json_t *records, json_t *notices)
{
    if (ctw_notice_kind_valid(q)) {
        ctw_notice_filter f = {.kind = q, .state = "published", .limit = SEARCH_NOTICES_MAX};
        int rc = ctw_notice_list(s, p, &f, notice_collect, notices);
        return rc == 1 ? 0 : rc;
    }
    size_t i, done = 0;
    json_t *hit;
    json_array_foreach(records, i, hit) {
        const char *rec = json_string_value(json_object_get(hit, "record"));
        if (!rec || json_is_true(json_object_get(hit, "restricted")) || !json_object_get(hit, "notice")) continue;
        if (done++ == SEARCH_NOTICE_RECORDS) break;
        ctw_notice_filter f = {.record = rec, .limit = 10};
        int rc = ctw_notice_list(s, p, &f, notice_collect, notices);
        if (rc == 1) break;
        if (rc != 0) return rc;
    }
    return 0;
}

static void get_search(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const ctw_principal *p = rq->principal;
    const char *q = ctw__http_query(rq, "q");
    const char *lim = ctw__http_query(rq, "limit");
    if (!q || !*q || strlen(q) > SEARCH_Q_MAX) {
        ctw__http_error(out, 400, "invalid", "parameter 'q' wants 1 to 200 bytes: a name, or a document as STATE NUMBER");
        return;
    }
    long limit = SEARCH_LIMIT_DEFAULT;
    if (lim) {
        char *end;
        limit = strtol(lim, &end, 10);
        if (*lim == '\0' || *end != '\0' || limit < 1 || limit > SEARCH_LIMIT_MAX) {
            ctw__http_error(out, 400, "invalid", "parameter 'limit' wants an integer from 1 to 50");
            return;
        }
    }
    json_t *records = NULL, *documents = json_array();
    char *ids = malloc(SEARCH_IDS_MAX);
    size_t ids_len = 0;
    ctw_error err = {0};
    int rc = documents && ids ? 0 : CTW_ENOMEM;
    if (ids) ids[0] = '\0';

    /* names: the screening index, as POST /api/v1/screen would */
    ctw_screen_query sq = {.name = q, .threshold = SEARCH_THRESHOLD, .limit = (int)limit};
    ctw_match_index *ix = rc == 0 ? ctw__http_index_acquire(srv) : NULL;
    if (rc == 0) rc = ix ? ctw_match_screen(ix, p, &sq, &records, &err) : CTW_ENOMEM;
    if (rc == CTW_EINVAL || rc == CTW_ELIMIT) {
        rc = 0; /* not a name the index takes (too long, no letters): no names */
        records = json_array();
    }
    if (rc == 0 && !records) rc = CTW_ENOMEM;
    /* each readable hit's strongest notice, as screening gives it; the notices */
    json_t *notices = json_array();
    if (rc == 0 && !notices) rc = CTW_ENOMEM;
    if (rc == 0) {
        ctw_store *ns = ctw__http_store_acquire(srv, &err);
        rc = ns ? ctw_match_annotate_notices(ix, ns, p, records) : CTW_ESTORE;
        if (rc == 0) rc = search_notices(ns, p, q, records, notices);
        ctw__http_store_release(srv, ns, rc == CTW_ESTORE);
    }
    if (ix) ctw_match_index_release(ix);
    if (rc == 0) {
        ctw_match_hit_ids(records, ids, SEARCH_IDS_MAX, &ids_len);
        ctw_notice_hit_ids(records, ids, SEARCH_IDS_MAX, &ids_len);
    }

    /* documents: only when the query reads as STATE NUMBER */
    char state[4], number[64];
    size_t ndocs = 0;
    if (rc == 0 && document_terms(q, state, number, sizeof number)) {
        ctw_doc_query dq = {.state = state, .number = number};
        ctw_store *s = ctw__http_store_acquire(srv, &err);
        json_t *res = NULL;
        int drc = s ? ctw_docindex_check(ctw__http_docindex(srv, s), s, p, &dq, &res, &err) : CTW_ESTORE;
        ctw__http_store_release(srv, s, drc != 0 && drc != CTW_EINVAL);
        if (drc == 0) {
            size_t k;
            json_t *h;
            json_array_foreach(json_object_get(res, "hits"), k, h) {
                const char *doc = json_string_value(json_object_get(h, "document"));
                if (doc && ids_len + strlen(doc) + 2 < SEARCH_IDS_MAX)
                    ids_len += (size_t)snprintf(ids + ids_len, SEARCH_IDS_MAX - ids_len, "%s%s", ids_len ? "," : "", doc);
                json_array_append(documents, h);
                ndocs++;
            }
            json_decref(res);
        } else if (drc != CTW_EINVAL) {
            rc = drc; /* a state that is no country is simply no document */
        }
    }
    if (rc == 0) {
        char detail[96];
        snprintf(detail, sizeof detail, "search: %zu records, %zu documents, %zu notices", json_array_size(records), ndocs,
                 json_array_size(notices));
        rc = ctw__http_audit(srv, p, "search", ids, detail); /* nothing shown without it */
    }
    if (rc != 0) {
        json_decref(records);
        json_decref(documents);
        json_decref(notices);
        ctw__http_error(out, 500, "internal", ctw_strerror(rc));
    } else {
        out->status = 200;
        out->body = json_pack("{s:s,s:o,s:o,s:o}", "q", q, "records", records, "documents", documents, "notices", notices);
    }
    free(ids);
}

bool ctw__http_route_web(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const char *path = rq->path;
    bool me = strcmp(path, "/api/v1/me") == 0;
    if (!me && strcmp(path, "/api/v1/search") != 0) return false;
    if (strcmp(rq->method, "GET") != 0 && strcmp(rq->method, "HEAD") != 0) {
        ctw__http_error(out, 405, "method_not_allowed", "this resource answers GET and HEAD");
        out->allow = "GET, HEAD";
        return true;
    }
    if (me) get_me(rq, out);
    else get_search(srv, rq, out);
    if (!out->body) ctw__http_error(out, 500, "internal", "out of memory");
    return true;
}
