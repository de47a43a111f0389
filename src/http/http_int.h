/* http_int.h — private interface between the server core and the routes.
 *
 * server.c owns libmicrohttpd: connections, limits, bodies, the access log
 * and the pool of store handles. routes.c knows nothing of libmicrohttpd:
 * it maps (method, path, body) to a status and a JSON body, so the API's
 * behaviour can be read (and tested) apart from the transport.
 */
#ifndef CTW_HTTP_INT_H
#define CTW_HTTP_INT_H

#include <stdbool.h>
#include <stddef.h>

#include <jansson.h>

#include "ctwatch/border.h"
#include "ctwatch/http.h"
#include "ctwatch/match.h"
#include "ctwatch/store.h"

/* What a route answers. body is a new reference the caller (server.c)
 * takes over; allow is a static string sent as the Allow header, or NULL. */
typedef struct ctw__http_reply {
    unsigned status;
    json_t *body;
    const char *allow;
    const char *www_authenticate;  /* static; sent with a 401 */
    unsigned retry_after;          /* seconds, sent as Retry-After when > 0 (429) */
    struct ctw__http_stream *stream;  /* set by ctw__http_stream_open: the answer is an
                                         event stream, not body (server.c takes it over) */
    struct ctw__http_deferred *audit; /* set by ctw__http_defer_audit: the answer goes out
                                         once this audit entry is on disk (server.c) */
} ctw__http_reply;

/* A request as routes see it. Strings are owned by the server and valid
 * for the call only. The body is at most the configured max_body bytes. */
typedef struct ctw__http_request {
    const char *method;
    const char *path;     /* decoded, without the query string */
    const char *body;     /* NULL when there was none */
    size_t body_len;
    const char *authorization;  /* the Authorization header, or NULL */
    const char *remote_addr;    /* the peer's address (the socket's, never a header) */
    const ctw_principal *principal;  /* who the request acts as: set by the router once
                                        the bearer token is authenticated */
    void *conn;           /* the transport's connection, opaque: for ctw__http_query */
    const char *last_event_id;  /* the Last-Event-ID header (event streams), or NULL */
} ctw__http_request;

/* The query argument name of rq (decoded; the first if repeated), or NULL
 * when absent. A name given without "=value" is present with a NULL value,
 * which this cannot tell from absent: ctw__http_query_each can. Valid for
 * the call only. */
const char *ctw__http_query(const ctw__http_request *rq, const char *name);
/* The request header name of rq (case-insensitive), or NULL. Valid for the
 * call only. */
const char *ctw__http_header(const ctw__http_request *rq, const char *name);
/* Call fn for each query argument of rq in order (value NULL when the name
 * came without "="); stops at the first nonzero return, which is returned. */
typedef int (*ctw__http_query_fn)(void *ud, const char *name, const char *value);
int ctw__http_query_each(const ctw__http_request *rq, ctw__http_query_fn fn, void *ud);

/* The token of an "Authorization: Bearer TOKEN" header, or NULL. */
const char *ctw__http_bearer_token(const char *authorization);

/* Answer rq. Always fills *out (a 500 JSON error if nothing better). */
void ctw__http_route(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out);

/* A store handle for the calling thread's exclusive use until it is given
 * back with ctw__http_store_release(). Handles are reused across requests
 * and threads, never shared by two at once (store handles are
 * single-thread). NULL with err filled if the store cannot be opened. */
ctw_store *ctw__http_store_acquire(ctw_http_server *srv, ctw_error *err);
/* Give s back; broken: the store failed on it, close it rather than reuse. */
void ctw__http_store_release(ctw_http_server *srv, ctw_store *s, bool broken);

/* The principal behind a bearer token (strings in a), as
 * ctw_auth_authenticate() at the current time would say, answered from the
 * server's token cache when its rule allows (auth.h, ctw_auth_cache) and
 * from a pooled store handle otherwise. */
int ctw__http_authenticate(ctw_http_server *srv, const char *token, ctw_principal *p, ctw_arena *a, ctw_error *err);

/* The current screening index with a reference (ctw_match_index_release
 * it), never NULL once the server runs. */
ctw_match_index *ctw__http_index_acquire(ctw_http_server *srv);
/* The stolen and lost documents table, first brought up to date with the
 * store's document feed if the refresh interval has passed (s: the
 * request's store handle). Lives as long as the server. */
ctw_docindex *ctw__http_docindex(ctw_http_server *srv, ctw_store *s);
/* Append an audit entry through the group-commit writer; returns once it
 * is on disk (0) or failed to be written. */
int ctw__http_audit(ctw_http_server *srv, const ctw_principal *p, const char *action, const char *records,
                    const char *detail);

/* The web interface's routes (routes_web.c): GET /api/v1/me and
 * /api/v1/search. True when rq was one of them and out is filled. */
bool ctw__http_route_web(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out);

/* Route handlers kept in their own files (routes_*.c), called by the
 * router after authentication and the role gate. */
void ctw__http_get_export(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out);
/* rq's body parsed as one JSON value (a new reference), duplicate keys
 * refused; NULL with a 400 in out (jansson's words) otherwise. */
json_t *ctw__http_parse_body(const ctw__http_request *rq, ctw__http_reply *out);

/* The notices resources (routes_notices.c): true when rq's path is under
 * /api/v1/notices, with *out filled; false to let other routes look. */
bool ctw__http_notices_route(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out);
/* The retention and administration routes (routes_admin.c): answer rq
 * into out and return true if its path is one of theirs (any method),
 * false to let the other routes answer it. rq is authenticated. */
bool ctw__http_route_admin(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out);
/* Answer out only once this audit entry, and the hits of a screening
 * (hit.h), are on disk in one group commit. The route returns at once and
 * its thread serves others meanwhile: the server submits the entry when
 * the route has returned and sends out when the commit is done, or a 500
 * in its place when the commit failed (the answer is then never sent).
 * Takes records (malloc'd) and the hits of *hits (left empty); copies p
 * and detail; action is a static string. The hits may point into
 * out->body, which the server keeps until they are written. 0, or
 * CTW_ENOMEM with nothing taken. At most one per reply. */
struct ctw_hit_batch;
int ctw__http_defer_audit(ctw__http_reply *out, const ctw_principal *p, const char *action, char *records,
                          const char *detail, struct ctw_hit_batch *hits);

/* The hits resources (routes_hits.c): true when rq's path is one of them
 * (then *out is filled), false to let the router go on. */
bool ctw__http_hits_route(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out);

/* Make out an event stream of the hits of p's agency after event seq
 * `after` (server.c; hit.h says what is sent). p and token (the bearer
 * token p was authenticated with, checked again before every batch of
 * events and every keepalive: a session that ended ends its stream) are
 * copied. Fills out with 503 when the server's streams are at their cap
 * or it is stopping. */
void ctw__http_stream_open(ctw_http_server *srv, const ctw_principal *p, const char *token, int64_t after,
                           ctw__http_reply *out);

/* Fill out with a JSON error {"error":{"code":..,"message":..}}. */
void ctw__http_error(ctw__http_reply *out, unsigned status, const char *code, const char *message);

#endif
