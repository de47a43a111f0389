/* server.c — the HTTP transport (see http.h): libmicrohttpd, limits,
 * request bodies, security headers, the access log and store handles.
 *
 * Threads. A few connection threads (libmicrohttpd's epoll pool, one per
 * core by default) read requests and write answers and never wait on a
 * disk. The routes run on a pool of worker threads, because many of them
 * wait: on the store's write lock, on fsync; a single screening by a
 * caller the token cache knows runs on the connection thread itself
 * (route_here: it only computes). A screening answer waits for
 * its audit entry to be on disk; its worker does not: the route hands the
 * entry over (ctw__http_defer_audit), the worker goes on to the next
 * request, and the audit writer's group commit (audit_writer.c) hands the
 * connection back once the entry is written. So a busy server holds no
 * thread per waiting request, and one fsync answers every request that
 * arrived during the one before.
 *
 * Life of a request (libmicrohttpd calls on_request several times):
 *   1st call  headers are in: allocate the request state, refuse at once a
 *             Content-Length over max_body (413, connection closed);
 *   Nth call  a piece of the body: append to a buffer capped at max_body;
 *             past the cap, drop the data and remember "too large";
 *   last call (upload_data_size == 0) the web interface's files are
 *             answered at once; a single screening by a known token is
 *             routed here (route_here), its connection suspended only to
 *             wait for the audit writer; anything else: suspend the
 *             connection and queue the request for a worker (RQ_WORKING);
 *   worker    route it; if the answer waits for an audit entry, submit it
 *             to the audit writer; otherwise, or when the writer is done
 *             (on its thread), mark the request RQ_ANSWERED and resume the
 *             connection;
 *   again     (after the resume) queue the answer, or a 500 if the audit
 *             entry could not be written;
 *   on_completed  write the access-log line and free the state.
 * libmicrohttpd itself refuses headers that do not fit the connection's
 * memory pool (431), which is how max_header is enforced.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "ctwatch/auth.h"
#include "ctwatch/border.h"
#include "ctwatch/hit.h"
#include "ctwatch/json.h"
#include "ctwatch/match.h"
#include "ctwatch/clock.h"
#include "http/http_int.h"
#include "http/static.h"

#define DEFAULT_MAX_CONNECTIONS 1024u
#define DEFAULT_TIMEOUT_SECONDS 30u
#define DEFAULT_MAX_BODY (16u * 1024u * 1024u)
#define DEFAULT_MAX_HEADER (16u * 1024u)
/* The connection's memory pool also holds the request line, the response
 * headers and a small read buffer for the body: room beyond max_header. */
#define HEADER_HEADROOM (16u * 1024u)
#define MAX_THREADS 256u
#define DEFAULT_WORKERS 16u
#define MAX_WORKERS 1024u
/* The access log is written in chunks of this size, and at least every
 * LOG_FLUSH_MS: one write(2) per many requests rather than per request.
 * At most LOG_CHUNKS_MAX chunks exist: while the file takes a write, up to
 * that much (2 MiB, ~10,000 lines) gathers before a request must wait. */
#define LOG_BUF_BYTES (64u * 1024u)
#define LOG_FLUSH_MS 1000u
#define LOG_CHUNKS_MAX 32u
/* After a body went over max_body we read on (so that the client sees the
 * 413 rather than a reset) but only this much more; then we hang up. */
#define DRAIN_LIMIT (1024u * 1024u)
/* Hit streams (GET /api/v1/hits/stream): at most this many open at once
 * (a suspended stream holds a connection slot, never a thread); a comment
 * every KEEPALIVE_MS; the hits table polled every POLL_MS for hits other
 * processes wrote; events read STREAM_BATCH at a time; at shutdown, open
 * streams get STOP_WAIT_MS to end before the daemon closes them. */
#define STREAM_MAX 64u
#define STREAM_KEEPALIVE_MS 15000u
#define STREAM_POLL_MS 500u
#define STREAM_BATCH 50
#define STREAM_BUF_MAX (1024u * 1024u)
#define STREAM_STOP_WAIT_MS 3000u
/* A stream's session is checked again at most this often (each check is a
 * write: it restarts the session's idle clock), and the poller resumes
 * streams at most this often, so that a burst of hits is sent in batches
 * rather than costing every open stream a turn per hit. */
#define STREAM_AUTH_MS 1000u
#define STREAM_MIN_ROUND_MS 100u

typedef struct hit_stream hit_stream;
typedef struct http_req http_req;

typedef struct log_chunk {
    struct log_chunk *next;
    size_t len;
    char data[LOG_BUF_BYTES];
} log_chunk;

struct ctw_http_server {
    ctw_http_config cfg;       /* defaults filled in */
    struct MHD_Daemon *daemon;
    unsigned port;

    pthread_mutex_t pool_mu;   /* guards pool / npool */
    ctw_store **pool;          /* idle store handles, at most pool_cap */
    size_t npool, pool_cap;

    /* The access log: lines gather in a chunk (log_cur); a full chunk is
     * queued (log_full) for the flusher thread, which writes the queue to
     * cfg.access_log without holding log_mu, and what has gathered at
     * least every LOG_FLUSH_MS and on stop, so that no line is lost on an
     * orderly shutdown. Request threads never write the file: a write that
     * blocks (a page under write-back, a slow disk, a pipe nobody reads)
     * used to hold log_mu, and every request waited at its log line
     * (bench/README.md, "The access log's writes"). */
    pthread_mutex_t log_mu;    /* guards the chunks, log_nchunks, log_stop */
    pthread_cond_t log_cv;     /* wakes the flusher: a chunk is full, or stop */
    pthread_cond_t log_room;   /* wakes a request waiting for a chunk */
    log_chunk *log_cur;        /* lines being gathered, or NULL */
    log_chunk *log_full;       /* full chunks, oldest first, for the flusher */
    log_chunk **log_full_tail;
    log_chunk *log_free;       /* written chunks, for reuse */
    size_t log_nchunks;        /* chunks allocated, at most LOG_CHUNKS_MAX */
    bool log_stop;
    bool log_thread_started;
    pthread_t log_thread;

    ctw_match_registry *registry;   /* the current screening index */
    ctw_match_follower *follower;   /* rebuilds it when the store changes */
    ctw_audit_writer *audit;        /* group commit of request audit entries */
    ctw_auth_cache *auth_cache;     /* accepted tokens (auth.h says when it may answer) */

    ctw_docindex *docs;             /* stolen and lost documents in memory */
    pthread_mutex_t docs_mu;        /* one refresher at a time */
    uint64_t docs_refreshed_ms;     /* monotonic time of the last refresh */

    ctw__http_static *web;          /* the web interface's files, or NULL */

    /* hit streams: the list, the newest hit event known, the poller */
    pthread_mutex_t streams_mu;     /* guards everything below */
    pthread_cond_t streams_cv;      /* poller: wake up; stop: a stream ended */
    hit_stream *streams;
    unsigned n_streams;
    int64_t hits_latest;            /* newest hit event seq seen in the store */
    bool hits_wake;                 /* a hit was written here: poll now */
    bool streams_stopping;
    bool poller_running;
    pthread_t poller;

    /* the workers and their queue of requests to route */
    pthread_mutex_t jobs_mu;        /* guards everything below */
    pthread_cond_t jobs_cv;         /* a job was queued, or stop */
    pthread_cond_t idle_cv;         /* in_flight fell to 0 */
    http_req *jobs_head, *jobs_tail;
    hit_stream *fills_head, *fills_tail; /* hit streams to fill (stream_read) */
    size_t in_flight;               /* flight_begin: requests being answered, streams being filled */
    bool jobs_stop;                 /* workers: end when the queue is empty */
    bool draining;                  /* stopping: answer new requests 503 at once */
    pthread_t *workers;
    unsigned n_workers;             /* started */
};

/* Per-request state, *con_cls of libmicrohttpd; freed in on_completed. */
enum rq_phase {
    RQ_READING = 0,  /* headers and body arriving (connection threads) */
    RQ_WORKING,      /* suspended: queued for a worker, routed, or its audit entry being written */
    RQ_ANSWERED      /* reply is ready: the connection thread sends it */
};
struct http_req {
    struct timespec start;
    char method[16];
    char path[256];      /* for the log only: printable ASCII, truncated */
    unsigned status;     /* 0 until a response is queued */
    size_t bytes;        /* body bytes of the response */
    char *body;          /* request body, capped at max_body: small_body or malloc'd */
    size_t body_len;
    size_t body_cap;
    /* Most bodies (a screening query) fit here. The whole struct stays
     * under glibc's 1 KiB "large request" size: a larger malloc makes it
     * first sweep the fast bins the screening filled (malloc_consolidate). */
    char small_body[400];
    bool too_large;
    size_t drained;      /* bytes dropped after too_large */
    /* Routing on a worker. Between the suspend and the resume only the
     * worker and then the audit writer touch what follows. */
    enum rq_phase phase;
    struct MHD_Connection *c;
    const char *url, *http_method;  /* libmicrohttpd's, valid while the request lives */
    char peer[64];                  /* the socket's address */
    http_req *next_job;             /* the workers' queue */
    ctw__http_reply reply;          /* the route's answer */
    int audit_rc;                   /* the deferred audit entry's commit: 0 or an error */
    bool in_flight;                 /* counted in srv->in_flight */
};
_Static_assert(sizeof(http_req) < 1000, "http_req must stay a small malloc (see small_body)");

/* --- screening index and audit ------------------------------------------ */

ctw_match_index *ctw__http_index_acquire(ctw_http_server *srv)
{
    return ctw_match_registry_acquire(srv->registry);
}

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The CLOCK_REALTIME time ms milliseconds from now, as
 * pthread_cond_timedwait takes it. */
static struct timespec deadline_in_ms(uint64_t ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += (time_t)(ms / 1000u);
    until.tv_nsec += (long)(ms % 1000u) * 1000000L;
    until.tv_sec += until.tv_nsec / 1000000000L;
    until.tv_nsec %= 1000000000L;
    return until;
}

/* With streams_mu held: wait on streams_cv for at most STREAM_POLL_MS. */
static void streams_wait_poll(ctw_http_server *srv)
{
    struct timespec until = deadline_in_ms(STREAM_POLL_MS);
    pthread_cond_timedwait(&srv->streams_cv, &srv->streams_mu, &until);
}

ctw_docindex *ctw__http_docindex(ctw_http_server *srv, ctw_store *s)
{
    /* Catch up with the store's document feed at most once per refresh
     * interval; a request that finds another thread refreshing goes on
     * with the table as it is (the refresher holds the write lock only
     * while it applies changes). */
    unsigned every = srv->cfg.index_refresh_ms ? srv->cfg.index_refresh_ms : 1000;
    if (now_ms() - __atomic_load_n(&srv->docs_refreshed_ms, __ATOMIC_RELAXED) >= every &&
        pthread_mutex_trylock(&srv->docs_mu) == 0) {
        ctw_docindex_refresh(srv->docs, s, NULL);
        __atomic_store_n(&srv->docs_refreshed_ms, now_ms(), __ATOMIC_RELAXED);
        pthread_mutex_unlock(&srv->docs_mu);
    }
    return srv->docs;
}

int ctw__http_audit(ctw_http_server *srv, const ctw_principal *p, const char *action, const char *records,
                    const char *detail)
{
    return ctw_audit_writer_append(srv->audit, p, action, records, detail);
}

/* --- authentication ------------------------------------------------------ */

int ctw__http_authenticate(ctw_http_server *srv, const char *token, ctw_principal *p, ctw_arena *a, ctw_error *err)
{
    int64_t now = ctw_clock_now(); /* the test clock in the test build (clock.h) */
    if (ctw_auth_cache_lookup(srv->auth_cache, token, now, p, a) == 0) return 0;
    ctw_store *s = ctw__http_store_acquire(srv, err);
    int rc = s ? ctw_auth_authenticate_cached(srv->auth_cache, s, token, now, p, a, err) : CTW_ESTORE;
    ctw__http_store_release(srv, s, rc != 0 && rc != CTW_EACCES);
    return rc;
}

/* --- audit entries answered later (ctw__http_defer_audit) ------------------- */

typedef struct ctw__http_deferred ctw__http_deferred;

/* The audit job of one reply and what it owns; the reply's body holds the
 * strings its hits point to. Freed once the answer is queued. */
struct ctw__http_deferred {
    ctw_audit_job job;       /* first: done() is given &job */
    ctw_principal p;         /* its strings live in strings */
    char *strings;
    char *records, *detail;
    ctw_hit_batch hits;
    http_req *rq;            /* set when submitted */
};

static void deferred_free(ctw__http_deferred *d)
{
    if (!d) return;
    ctw_hit_batch_free(&d->hits);
    free(d->records);
    free(d->detail);
    free(d->strings);
    free(d);
}

/* Copy s into the block at *at; NULL stays NULL. */
static const char *copy_into(char **at, const char *s)
{
    if (!s) return NULL;
    size_t n = strlen(s) + 1;
    char *d = memcpy(*at, s, n);
    *at += n;
    return d;
}

int ctw__http_defer_audit(ctw__http_reply *out, const ctw_principal *p, const char *action, char *records,
                          const char *detail, struct ctw_hit_batch *hits)
{
    if (!out || !p || !action || out->audit) return CTW_EINVAL;
    const char *parts[] = {p->user, p->agency, p->regions, p->purpose, p->scope};
    size_t need = 0;
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) need += parts[i] ? strlen(parts[i]) + 1 : 0;
    ctw__http_deferred *d = calloc(1, sizeof *d);
    char *detail_copy = detail ? strdup(detail) : NULL;
    char *strings = malloc(need ? need : 1);
    if (!d || (detail && !detail_copy) || !strings) {
        free(d);
        free(detail_copy);
        free(strings);
        return CTW_ENOMEM;
    }
    char *at = strings;
    d->p = (ctw_principal){.user = copy_into(&at, p->user), .agency = copy_into(&at, p->agency),
                           .regions = copy_into(&at, p->regions), .role = p->role,
                           .purpose = copy_into(&at, p->purpose), .scope = copy_into(&at, p->scope)};
    d->strings = strings;
    d->records = records;
    d->detail = detail_copy;
    if (hits) {
        d->hits = *hits;
        ctw_hit_batch_init(hits);
    } else {
        ctw_hit_batch_init(&d->hits);
    }
    d->job = (ctw_audit_job){.p = &d->p, .action = action, .records = records ? records : "",
                             .detail = d->detail, .hits = d->hits.v, .n_hits = d->hits.n};
    out->audit = d;
    return 0;
}

/* --- store handles ------------------------------------------------------ */

ctw_store *ctw__http_store_acquire(ctw_http_server *srv, ctw_error *err)
{
    ctw_store *s = NULL;
    pthread_mutex_lock(&srv->pool_mu);
    if (srv->npool > 0) s = srv->pool[--srv->npool];
    pthread_mutex_unlock(&srv->pool_mu);
    if (s) return s;
    /* Opened outside the lock: opening may wait on SQLite's busy handler. */
    if (ctw_store_open(srv->cfg.store_target, 0, &s, err) != 0) return NULL;
    return s;
}

void ctw__http_store_release(ctw_http_server *srv, ctw_store *s, bool broken)
{
    if (!s) return;
    if (!broken) {
        pthread_mutex_lock(&srv->pool_mu);
        if (srv->npool < srv->pool_cap) {
            srv->pool[srv->npool++] = s;
            s = NULL;
        }
        pthread_mutex_unlock(&srv->pool_mu);
    }
    if (s) ctw_store_close(s);
}

/* --- responses ------------------------------------------------------------ */

void ctw__http_error(ctw__http_reply *out, unsigned status, const char *code, const char *message)
{
    out->status = status;
    out->body = ctw_json_error(code, message);
    out->allow = NULL;
}

/* Queue body (consumed) with status and the headers every response carries.
 * The text is the compact JSON and a newline, in a buffer we malloc so that
 * MHD may free() it whatever allocator jansson was given. */
static enum MHD_Result send_json(struct MHD_Connection *c, http_req *rq, const ctw__http_reply *out)
{
    unsigned status = out->status;
    json_t *body = out->body;
    const char *allow = out->allow;
    static const char fallback[] =
        "{\"error\":{\"code\":\"internal\",\"message\":\"out of memory\"}}\n";
    char *text = NULL;
    size_t len = 0;
    if (body) {
        /* compact, with room for the final newline; MHD frees it */
        size_t n = 0;
        text = ctw_json_compact(body, 1, &n);
        if (text) {
            text[n] = '\n';
            len = n + 1;
        }
        json_decref(body);
    }
    struct MHD_Response *resp;
    if (text) {
        resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
        if (!resp) free(text);
    } else {
        status = MHD_HTTP_INTERNAL_SERVER_ERROR;
        allow = NULL;
        len = sizeof fallback - 1;
        resp = MHD_create_response_from_buffer(len, (void *)fallback, MHD_RESPMEM_PERSISTENT);
    }
    if (!resp) return MHD_NO;
    int ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json") &&
             MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") &&
             MHD_add_response_header(resp, "Referrer-Policy", "no-referrer") &&
             MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") &&
             MHD_add_response_header(resp, "Content-Security-Policy",
                                     "default-src 'none'; frame-ancestors 'none'") &&
             (!allow || MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, allow)) &&
             (!out->www_authenticate || !text ||
              MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE, out->www_authenticate));
    if (ok && out->retry_after > 0 && text) {
        char ra[16];
        snprintf(ra, sizeof ra, "%u", out->retry_after);
        ok = MHD_add_response_header(resp, MHD_HTTP_HEADER_RETRY_AFTER, ra);
    }
    if (!ok) {
        MHD_destroy_response(resp);
        return MHD_NO;
    }
    rq->status = status;
    rq->bytes = len;
    enum MHD_Result r = MHD_queue_response(c, status, resp);
    MHD_destroy_response(resp);
    return r;
}

static enum MHD_Result send_too_large(struct MHD_Connection *c, http_req *rq, size_t max)
{
    char msg[96];
    snprintf(msg, sizeof msg, "request body is larger than %zu bytes", max);
    ctw__http_reply out = {.status = MHD_HTTP_CONTENT_TOO_LARGE, .body = ctw_json_error("too_large", msg)};
    return send_json(c, rq, &out);
}

/* --- access log ------------------------------------------------------------ */

/* Copy s for the log: printable ASCII only, so the line is valid JSON
 * whatever bytes the client sent. */
static void log_copy(char *dst, size_t cap, const char *s)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < cap; i++) {
        unsigned char ch = (unsigned char)s[i];
        dst[i] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '?';
    }
    dst[i] = '\0';
}

static void remote_address(struct MHD_Connection *c, char *buf, size_t cap)
{
    snprintf(buf, cap, "-");
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (!ci || !ci->client_addr) return;
    const struct sockaddr *sa = ci->client_addr;
    if (sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, buf,
                  (socklen_t)cap);
    else if (sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, buf,
                  (socklen_t)cap);
}

/* Queue chunk c for the flusher (log_mu held). */
static void log_queue_locked(ctw_http_server *srv, log_chunk *c)
{
    c->next = NULL;
    *srv->log_full_tail = c;
    srv->log_full_tail = &c->next;
}

/* Take the queue, write it in order without log_mu, and give the chunks
 * back for reuse. Called with log_mu held; returns with it held. */
static void log_write_queue_locked(ctw_http_server *srv)
{
    log_chunk *list = srv->log_full;
    srv->log_full = NULL;
    srv->log_full_tail = &srv->log_full;
    if (!list) return;
    pthread_mutex_unlock(&srv->log_mu);
    for (log_chunk *c = list; c; c = c->next) fwrite(c->data, 1, c->len, srv->cfg.access_log);
    fflush(srv->cfg.access_log);
    pthread_mutex_lock(&srv->log_mu);
    while (list) {
        log_chunk *next = list->next;
        list->next = srv->log_free;
        srv->log_free = list;
        list = next;
    }
    pthread_cond_broadcast(&srv->log_room);
}

static void *log_flusher(void *arg)
{
    ctw_http_server *srv = arg;
    pthread_mutex_lock(&srv->log_mu);
    uint64_t flushed_ms = now_ms();
    for (;;) {
        if (!srv->log_full && !srv->log_stop) {
            struct timespec until = deadline_in_ms(LOG_FLUSH_MS);
            pthread_cond_timedwait(&srv->log_cv, &srv->log_mu, &until);
        }
        bool stopping = srv->log_stop;
        /* what has gathered goes too, at least every LOG_FLUSH_MS and at the stop */
        if ((stopping || now_ms() - flushed_ms >= LOG_FLUSH_MS) && srv->log_cur && srv->log_cur->len > 0) {
            log_queue_locked(srv, srv->log_cur);
            srv->log_cur = NULL;
        }
        if (srv->log_full) {
            log_write_queue_locked(srv);
            flushed_ms = now_ms();
        } else if (stopping) {
            break;
        }
    }
    pthread_mutex_unlock(&srv->log_mu);
    return NULL;
}

/* The access-log line of a finished request:
 *   {"time":"2026-11-30T17:40:57.123Z","remote":"127.0.0.1","method":"POST",
 *    "path":"/api/v1/screen","status":200,"bytes":931,"duration_ms":1.234,"complete":true}
 * method and path went through log_copy (printable ASCII); '"' and '\\'
 * are escaped here, so the line is JSON whatever the client sent. */
static void log_request(ctw_http_server *srv, struct MHD_Connection *c, const http_req *rq,
                        enum MHD_RequestTerminationCode toe)
{
    if (!srv->cfg.access_log) return;
    struct timespec now, wall;
    clock_gettime(CLOCK_MONOTONIC, &now);
    clock_gettime(CLOCK_REALTIME, &wall);
    int64_t us = (int64_t)(now.tv_sec - rq->start.tv_sec) * 1000000 + (now.tv_nsec - rq->start.tv_nsec) / 1000;
    if (us < 0) us = 0;
    struct tm tm;
    gmtime_r(&wall.tv_sec, &tm);
    char stamp[32], remote[INET6_ADDRSTRLEN + 1], path[2 * sizeof rq->path];
    strftime(stamp, sizeof stamp, "%Y-%m-%dT%H:%M:%S", &tm);
    remote_address(c, remote, sizeof remote);
    size_t j = 0;
    for (size_t i = 0; rq->path[i]; i++) {
        if (rq->path[i] == '"' || rq->path[i] == '\\') path[j++] = '\\';
        path[j++] = rq->path[i];
    }
    path[j] = '\0';
    /* methods with '"' or '\\' are refused by libmicrohttpd's strict parser;
     * the log says "?" for one all the same */
    const char *method = strpbrk(rq->method, "\"\\") ? "?" : rq->method;
    char line[sizeof path + 320];
    int n = snprintf(line, sizeof line,
                     "{\"time\":\"%s.%03dZ\",\"remote\":\"%s\",\"method\":\"%s\",\"path\":\"%s\",\"status\":%u,"
                     "\"bytes\":%zu,\"duration_ms\":%lld.%03lld,\"complete\":%s}\n",
                     stamp, (int)(wall.tv_nsec / 1000000L) % 1000, remote, method, path, rq->status, rq->bytes,
                     (long long)(us / 1000), (long long)(us % 1000),
                     toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "true" : "false");
    if (n <= 0 || (size_t)n >= sizeof line) return;
    pthread_mutex_lock(&srv->log_mu);
    while (!srv->log_cur || srv->log_cur->len + (size_t)n > LOG_BUF_BYTES) {
        if (srv->log_cur) { /* full: the flusher's now */
            log_queue_locked(srv, srv->log_cur);
            srv->log_cur = NULL;
            pthread_cond_signal(&srv->log_cv);
        }
        log_chunk *chunk = srv->log_free;
        if (chunk) {
            srv->log_free = chunk->next;
        } else if (srv->log_nchunks < LOG_CHUNKS_MAX && (chunk = malloc(sizeof *chunk)) != NULL) {
            srv->log_nchunks++;
        } else if (srv->log_nchunks == 0) {
            pthread_mutex_unlock(&srv->log_mu); /* no memory for any: the line is lost */
            return;
        } else {
            /* every chunk waits for the file: so does this request */
            pthread_cond_wait(&srv->log_room, &srv->log_mu);
            continue;
        }
        chunk->len = 0;
        srv->log_cur = chunk;
    }
    memcpy(srv->log_cur->data + srv->log_cur->len, line, (size_t)n);
    srv->log_cur->len += (size_t)n;
    pthread_mutex_unlock(&srv->log_mu);
}

/* --- hit streams (GET /api/v1/hits/stream) -----------------------------------
 *
 * An event stream is an endless chunked response whose body comes from
 * stream_read(). libmicrohttpd's worker threads each serve many
 * connections, so the callback never blocks: when it has nothing to send it
 * suspends the connection (MHD_ALLOW_SUSPEND_RESUME) and returns 0, the
 * pattern microhttpd.h prescribes; a suspended stream costs a connection
 * slot and no thread. The poller thread resumes suspended streams when
 *   - a hit event newer than the stream's last one exists: the audit
 *     writer calls hits_written() after committing hits (at once), and the
 *     poller reads the newest hit event seq every STREAM_POLL_MS (hits
 *     written by another process, e.g. a second server on the same file);
 *   - the stream's keepalive is due (a ": keepalive" comment line).
 * Filling the buffer (reading the events, auditing them, checking the
 * session) reads the store and waits for a commit, so stream_read does
 * not do it: it suspends the connection and queues the stream for a
 * worker (queue_fill), which fills it and resumes the connection; the
 * next stream_read sends what it found. Such a fill counts as a request
 * in flight: stopping waits for it. The poller resumes only streams
 * parked for lack of news, never one a worker holds.
 * Before a batch of events (at most once per STREAM_AUTH_MS) and each
 * keepalive the stream's token is authenticated again: a logout, a
 * disabled user, an expired session or a revoked key ends the stream
 * there. The stream's audit entries go through the group-commit writer.
 * Suspension and its flag change under streams_mu, and the poller marks a
 * stream resumed under it before calling MHD_resume_connection outside it,
 * so a connection is resumed only after it was suspended, exactly once.
 * A suspended connection cannot end (MHD does not look at it), so the
 * poller may resume it without holding the lock; the stream is freed by
 * the response's free callback, after MHD is done with the connection.
 *
 * Shutdown: streams_stop() marks the streams stopping and resumes them all;
 * each callback then ends its stream; it waits up to STREAM_STOP_WAIT_MS for
 * them (a client that reads nothing keeps its connection until
 * MHD_stop_daemon closes it), and MHD is never stopped with a connection
 * suspended (an API violation).
 */
struct hit_stream {
    hit_stream *prev, *next;
    ctw_http_server *srv;
    struct MHD_Connection *c;
    ctw_principal p;          /* strings owned below */
    char *user, *agency, *regions, *purpose, *scope;
    char *token;              /* to check the session again; wiped on free */
    int64_t last;             /* newest event seq looked at */
    bool suspended;           /* guarded by srv->streams_mu */
    uint64_t auth_ms;         /* when the session was last checked */
    bool greeted;
    char *buf;                /* bytes to send: buf[off..len) */
    size_t len, off, cap;
    uint64_t last_write_ms;
    /* Filled on a worker (queue_fill): from the queue until the resume,
     * the worker owns what stream_fill touches; then stream_read reads
     * fill_rc. fill_keepalive is stream_fill's argument. */
    enum { FILL_NONE, FILL_QUEUED, FILL_DONE } fill_state;
    bool fill_keepalive;
    int fill_rc;
    hit_stream *next_fill;
};

/* Free st and what it owns (not linked, or unlinked already). */
static void stream_destroy(hit_stream *st)
{
    if (!st) return;
    free(st->user);
    free(st->agency);
    free(st->regions);
    free(st->purpose);
    free(st->scope);
    if (st->token) sodium_memzero(st->token, strlen(st->token));
    free(st->token);
    free(st->buf);
    free(st);
}

/* The response's free callback: MHD is done with the stream. */
static void stream_free(void *cls)
{
    hit_stream *st = cls;
    ctw_http_server *srv = st->srv;
    pthread_mutex_lock(&srv->streams_mu);
    if (st->prev) st->prev->next = st->next;
    else srv->streams = st->next;
    if (st->next) st->next->prev = st->prev;
    srv->n_streams--;
    pthread_cond_broadcast(&srv->streams_cv);
    pthread_mutex_unlock(&srv->streams_mu);
    stream_destroy(st);
}

/* Append n bytes to the stream's buffer; false past STREAM_BUF_MAX or out
 * of memory. */
static bool stream_put(hit_stream *st, const char *text, size_t n)
{
    if (n > STREAM_BUF_MAX || st->len > STREAM_BUF_MAX - n) return false;
    if (st->len + n > st->cap) {
        size_t cap = st->cap ? st->cap : 4096;
        while (cap < st->len + n) cap *= 2;
        char *b = realloc(st->buf, cap);
        if (!b) return false;
        st->buf = b;
        st->cap = cap;
    }
    memcpy(st->buf + st->len, text, n);
    st->len += n;
    return true;
}

/* One event: "event: hit|hit-update\nid: SEQ\ndata: {json}\n\n". The JSON
 * is compact, so it holds no newline. */
static int stream_event(void *ud, int64_t seq, const char *event, json_t *hit)
{
    hit_stream *st = ud;
    json_object_set_new(hit, "event", json_string(event));
    size_t dn = 0;
    char *data = ctw_json_compact(hit, 0, &dn);
    if (!data) return CTW_ENOMEM;
    char head[96];
    int hn = snprintf(head, sizeof head, "event: %s\nid: %lld\ndata: ",
                      strcmp(event, "created") == 0 ? "hit" : "hit-update", (long long)seq);
    bool ok = stream_put(st, head, (size_t)hn) && stream_put(st, data, dn) && stream_put(st, "\n\n", 2);
    free(data);
    return ok ? 0 : CTW_ENOMEM;
}

/* Is the stream's session (or key) still good? A logout, a disabled
 * user, an expired session or a revoked key ends the stream. */
static int stream_session(hit_stream *st, ctw_store *s)
{
    ctw_principal p = {0};
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_error err = {0};
    int rc = ctw_auth_authenticate(s, st->token, (int64_t)time(NULL), &p, &a, &err);
    if (rc == 0 && (!p.agency || strcmp(p.agency, st->agency) != 0)) rc = CTW_EACCES;
    ctw_arena_free(&a);
    return rc;
}

/* Fill the buffer with the events after st->last (the caller's agency's
 * only), or the keepalive comment when keepalive. 0, or a CTW_E* code:
 * the stream ends. */
static int stream_fill(hit_stream *st, bool keepalive)
{
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(st->srv, &err);
    if (!s) return CTW_ESTORE;
    int64_t last = st->last;
    int rc = 0;
    if (keepalive || now_ms() - st->auth_ms >= STREAM_AUTH_MS) {
        rc = stream_session(st, s);
        st->auth_ms = now_ms();
    }
    if (rc == 0 && keepalive) {
        static const char ka[] = ": keepalive\n\n";
        rc = stream_put(st, ka, sizeof ka - 1) ? 0 : CTW_ENOMEM;
    } else if (rc == 0) {
        rc = ctw_store_hit_events(s, st->srv->audit, &st->p, st->last, STREAM_BATCH, stream_event, st, &last);
    }
    ctw__http_store_release(st->srv, s, rc == CTW_ESTORE);
    if (rc == 0) st->last = last;
    else st->len = st->off = 0; /* events not audited are not sent */
    return rc;
}

static bool queue_fill(ctw_http_server *srv, hit_stream *st, bool keepalive);

static ssize_t stream_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    (void)pos;
    hit_stream *st = cls;
    ctw_http_server *srv = st->srv;
    /* back from a worker (queue_fill): what it found, perhaps nothing for
     * this agency, is in the buffer */
    bool refilled = st->fill_state == FILL_DONE;
    st->fill_state = FILL_NONE;
    if (refilled && st->fill_rc != 0) return MHD_CONTENT_READER_END_OF_STREAM;
    if (st->off == st->len) {
        st->off = st->len = 0;
        pthread_mutex_lock(&srv->streams_mu);
        bool stopping = srv->streams_stopping;
        int64_t latest = srv->hits_latest;
        pthread_mutex_unlock(&srv->streams_mu);
        if (stopping) return MHD_CONTENT_READER_END_OF_STREAM;
        if (!st->greeted) {
            /* at once, so that the client knows the stream is open */
            static const char hello[] = "retry: 3000\n: connected\n\n";
            st->greeted = stream_put(st, hello, sizeof hello - 1);
            if (!st->greeted) return MHD_CONTENT_READER_END_WITH_ERROR;
        } else if (!refilled && (st->last < latest || now_ms() - st->last_write_ms >= STREAM_KEEPALIVE_MS)) {
            /* Reading events audits them, and checking the session reads
             * the store: a worker's work, not a connection thread's, whose
             * other connections would wait for the commit. */
            if (!queue_fill(srv, st, st->last >= latest)) return MHD_CONTENT_READER_END_OF_STREAM;
            return 0;
        }
        if (st->len == 0) {
            /* nothing to send: park the connection until the poller has news */
            pthread_mutex_lock(&srv->streams_mu);
            if (!srv->streams_stopping && st->last >= srv->hits_latest) {
                st->suspended = true;
                MHD_suspend_connection(st->c);
            }
            pthread_mutex_unlock(&srv->streams_mu);
            return 0;
        }
    }
    size_t n = st->len - st->off;
    if (n > max) n = max;
    memcpy(buf, st->buf + st->off, n);
    st->off += n;
    st->last_write_ms = now_ms();
    return (ssize_t)n;
}

/* Mark the suspended streams that need a turn (all when `all`) resumed and
 * return them in a malloc'd array (*n of them); the caller resumes them
 * outside the lock. Called with streams_mu held. */
static struct MHD_Connection **streams_due(ctw_http_server *srv, bool all, size_t *n)
{
    *n = 0;
    if (srv->n_streams == 0) return NULL;
    struct MHD_Connection **v = calloc(srv->n_streams, sizeof *v);
    if (!v) return NULL;
    uint64_t now = now_ms();
    for (hit_stream *st = srv->streams; st; st = st->next) {
        if (!st->suspended) continue;
        if (all || st->last < srv->hits_latest || now - st->last_write_ms >= STREAM_KEEPALIVE_MS) {
            st->suspended = false;
            v[(*n)++] = st->c;
        }
    }
    return v;
}

static void resume_all(struct MHD_Connection **v, size_t n)
{
    for (size_t i = 0; i < n; i++) MHD_resume_connection(v[i]);
    free(v);
}

static void *poller_main(void *arg)
{
    ctw_http_server *srv = arg;
    ctw_error err = {0};
    ctw_store *s = NULL;
    uint64_t round_ms = 0;
    pthread_mutex_lock(&srv->streams_mu);
    while (!srv->streams_stopping) {
        uint64_t since = now_ms() - round_ms;
        if (srv->hits_wake && since < STREAM_MIN_ROUND_MS) {
            /* a burst: let it gather for the rest of the round */
            struct timespec until = deadline_in_ms(STREAM_MIN_ROUND_MS - since);
            while (!srv->streams_stopping &&
                   pthread_cond_timedwait(&srv->streams_cv, &srv->streams_mu, &until) == 0) {
            }
            if (srv->streams_stopping) break;
        } else if (!srv->hits_wake) {
            streams_wait_poll(srv);
            if (srv->streams_stopping) break;
        }
        srv->hits_wake = false;
        bool any = srv->n_streams > 0;
        pthread_mutex_unlock(&srv->streams_mu);
        int64_t latest = 0;
        if (any && !s && ctw_store_open(srv->cfg.store_target, 0, &s, &err) != 0) s = NULL;
        if (any && s && ctw_store_hit_last_event(s, &latest) != 0) {
            ctw_store_close(s); /* try a fresh handle next time */
            s = NULL;
        }
        pthread_mutex_lock(&srv->streams_mu);
        if (latest > srv->hits_latest) srv->hits_latest = latest;
        size_t n = 0;
        struct MHD_Connection **due = streams_due(srv, false, &n);
        if (n > 0) round_ms = now_ms();
        pthread_mutex_unlock(&srv->streams_mu);
        resume_all(due, n);
        pthread_mutex_lock(&srv->streams_mu);
    }
    pthread_mutex_unlock(&srv->streams_mu);
    ctw_store_close(s);
    return NULL;
}

/* The audit writer committed hits: poll now rather than in up to 500 ms. */
static void hits_written(void *ud)
{
    ctw_http_server *srv = ud;
    pthread_mutex_lock(&srv->streams_mu);
    srv->hits_wake = true;
    pthread_cond_broadcast(&srv->streams_cv);
    pthread_mutex_unlock(&srv->streams_mu);
}

static void streams_stop(ctw_http_server *srv)
{
    pthread_mutex_lock(&srv->streams_mu);
    srv->streams_stopping = true;
    pthread_cond_broadcast(&srv->streams_cv);
    bool joined = srv->poller_running;
    srv->poller_running = false;
    pthread_mutex_unlock(&srv->streams_mu);
    if (joined) pthread_join(srv->poller, NULL);

    pthread_mutex_lock(&srv->streams_mu);
    size_t n = 0;
    struct MHD_Connection **all = streams_due(srv, true, &n);
    pthread_mutex_unlock(&srv->streams_mu);
    resume_all(all, n);

    struct timespec until = deadline_in_ms(STREAM_STOP_WAIT_MS);
    pthread_mutex_lock(&srv->streams_mu);
    while (srv->n_streams > 0 && pthread_cond_timedwait(&srv->streams_cv, &srv->streams_mu, &until) == 0) {
    }
    pthread_mutex_unlock(&srv->streams_mu);
}

static char *dup_opt(const char *s, bool *oom)
{
    if (!s) return NULL;
    char *d = strdup(s);
    if (!d) *oom = true;
    return d;
}

void ctw__http_stream_open(ctw_http_server *srv, const ctw_principal *p, const char *token, int64_t after,
                           ctw__http_reply *out)
{
    hit_stream *st = calloc(1, sizeof *st);
    bool oom = !st;
    if (st) {
        st->token = dup_opt(token, &oom);
        st->user = dup_opt(p->user, &oom);
        st->agency = dup_opt(p->agency, &oom);
        st->regions = dup_opt(p->regions, &oom);
        st->purpose = dup_opt(p->purpose, &oom);
        st->scope = dup_opt(p->scope, &oom);
    }
    if (oom) {
        stream_destroy(st);
        ctw__http_error(out, 500, "internal", ctw_strerror(CTW_ENOMEM));
        return;
    }
    st->srv = srv;
    st->p = (ctw_principal){.user = st->user, .agency = st->agency, .regions = st->regions, .role = p->role,
                            .purpose = st->purpose, .scope = st->scope};
    st->last = after;
    st->last_write_ms = st->auth_ms = now_ms();
    pthread_mutex_lock(&srv->streams_mu);
    bool full = srv->n_streams >= STREAM_MAX || srv->streams_stopping;
    if (!full) {
        st->next = srv->streams;
        if (srv->streams) srv->streams->prev = st;
        srv->streams = st;
        srv->n_streams++;
    }
    pthread_mutex_unlock(&srv->streams_mu);
    if (full) {
        stream_destroy(st);
        ctw__http_error(out, 503, "unavailable", "too many open hit streams; retry later");
        out->retry_after = 5;
        return;
    }
    out->status = 200;
    out->stream = (struct ctw__http_stream *)st;
}

/* Queue the event stream st (which the response now owns). */
static enum MHD_Result send_stream(struct MHD_Connection *c, http_req *rq, hit_stream *st)
{
    st->c = c;
    struct MHD_Response *resp = MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 4096, stream_read, st, stream_free);
    if (!resp) {
        stream_free(st);
        return MHD_NO;
    }
    if (!(MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, "text/event-stream") &&
          MHD_add_response_header(resp, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") &&
          MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff") &&
          MHD_add_response_header(resp, "X-Accel-Buffering", "no"))) {
        MHD_destroy_response(resp);
        return MHD_NO;
    }
    rq->status = 200;
    enum MHD_Result r = MHD_queue_response(c, 200, resp);
    MHD_destroy_response(resp);
    return r;
}

/* --- workers ---------------------------------------------------------------- */

/* rq's answer is ready: hand the connection back to its connection thread,
 * which calls on_request again (any thread; the resume orders the writes
 * before it). */
static void answer_ready(http_req *rq)
{
    rq->phase = RQ_ANSWERED;
    MHD_resume_connection(rq->c);
}

/* The audit writer's thread: the entry is on disk (rc 0) or not. */
static void deferred_done(ctw_audit_job *job, int rc)
{
    ctw__http_deferred *d = (ctw__http_deferred *)job; /* job is its first member */
    d->rq->audit_rc = rc;
    answer_ready(d->rq);
}

/* Route rq into rq->reply, on whichever thread runs it. */
static void route_request(ctw_http_server *srv, http_req *rq)
{
    struct MHD_Connection *c = rq->c;
    ctw__http_request in = {.method = rq->http_method, .path = rq->url, .body = rq->body, .body_len = rq->body_len,
                            .authorization = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                                         MHD_HTTP_HEADER_AUTHORIZATION),
                            .remote_addr = rq->peer, .conn = c,
                            .last_event_id = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Last-Event-ID")};
    ctw__http_route(srv, &in, &rq->reply);
}

/* rq is routed and its connection suspended: hand its audit entry to the
 * writer, whose callback resumes the connection, or resume it now. */
static void hand_back(ctw_http_server *srv, http_req *rq)
{
    ctw__http_deferred *d = rq->reply.audit;
    if (d) {
        d->rq = rq;
        d->job.done = deferred_done;
        int rc = ctw_audit_writer_submit(srv->audit, &d->job);
        if (rc == 0) return; /* deferred_done resumes */
        rq->audit_rc = rc;
    }
    answer_ready(rq);
}

static void route_one(ctw_http_server *srv, http_req *rq)
{
    route_request(srv, rq);
    hand_back(srv, rq);
}

/* One more connection in flight (a request, or a stream being filled):
 * false when the server is stopping, and then nothing is counted.
 * Stopping waits until the count is back to 0 (workers_drain). */
static bool flight_begin(ctw_http_server *srv)
{
    pthread_mutex_lock(&srv->jobs_mu);
    bool ok = !srv->draining;
    if (ok) srv->in_flight++;
    pthread_mutex_unlock(&srv->jobs_mu);
    return ok;
}

static void flight_end(ctw_http_server *srv)
{
    pthread_mutex_lock(&srv->jobs_mu);
    if (--srv->in_flight == 0) pthread_cond_broadcast(&srv->idle_cv);
    pthread_mutex_unlock(&srv->jobs_mu);
}

/* Suspend st's connection and queue it for a worker to fill (stream_fill);
 * false when the server is stopping (end the stream instead). Called from
 * stream_read, on st's connection thread. */
static bool queue_fill(ctw_http_server *srv, hit_stream *st, bool keepalive)
{
    if (!flight_begin(srv)) return false; /* stopping waits for it, as for a request */
    st->fill_state = FILL_QUEUED;
    st->fill_keepalive = keepalive;
    st->next_fill = NULL;
    /* suspended before a worker can see it: its resume must come after */
    MHD_suspend_connection(st->c);
    pthread_mutex_lock(&srv->jobs_mu);
    if (srv->fills_tail) srv->fills_tail->next_fill = st;
    else srv->fills_head = st;
    srv->fills_tail = st;
    pthread_cond_signal(&srv->jobs_cv);
    pthread_mutex_unlock(&srv->jobs_mu);
    return true;
}

/* A worker fills st and gives the connection back. st may be freed as
 * soon as it is resumed: nothing of it is touched after. */
static void fill_one(ctw_http_server *srv, hit_stream *st)
{
    st->fill_rc = stream_fill(st, st->fill_keepalive);
    st->fill_state = FILL_DONE;
    MHD_resume_connection(st->c);
    flight_end(srv);
}

static void *worker_main(void *arg)
{
    ctw_http_server *srv = arg;
    pthread_setname_np(pthread_self(), "ctw-worker"); /* for top -H and perf */
    pthread_mutex_lock(&srv->jobs_mu);
    for (;;) {
        while (!srv->jobs_head && !srv->fills_head && !srv->jobs_stop)
            pthread_cond_wait(&srv->jobs_cv, &srv->jobs_mu);
        hit_stream *st = srv->fills_head;
        if (st) {
            srv->fills_head = st->next_fill;
            if (!srv->fills_head) srv->fills_tail = NULL;
            pthread_mutex_unlock(&srv->jobs_mu);
            fill_one(srv, st);
            pthread_mutex_lock(&srv->jobs_mu);
            continue;
        }
        http_req *rq = srv->jobs_head;
        if (!rq) break; /* stopping, and nothing is left */
        srv->jobs_head = rq->next_job;
        if (!srv->jobs_head) srv->jobs_tail = NULL;
        pthread_mutex_unlock(&srv->jobs_mu);
        route_one(srv, rq);
        pthread_mutex_lock(&srv->jobs_mu);
    }
    pthread_mutex_unlock(&srv->jobs_mu);
    return NULL;
}

/* Suspend rq's connection and queue it for a worker; false when the server
 * is stopping (answer at once instead). */
static bool queue_for_worker(ctw_http_server *srv, struct MHD_Connection *c, http_req *rq)
{
    if (!flight_begin(srv)) return false;
    rq->in_flight = true;
    rq->c = c;
    rq->phase = RQ_WORKING;
    rq->next_job = NULL;
    /* suspended before a worker can see it: its resume must come after */
    MHD_suspend_connection(c);
    pthread_mutex_lock(&srv->jobs_mu);
    if (srv->jobs_tail) srv->jobs_tail->next_job = rq;
    else srv->jobs_head = rq;
    srv->jobs_tail = rq;
    pthread_cond_signal(&srv->jobs_cv);
    pthread_mutex_unlock(&srv->jobs_mu);
    return true;
}

/* Answered on the connection thread (see "Threads" above): one screening,
 * of a body small enough to parse at once, by a caller whose token the
 * authentication cache vouches for. Its route does CPU work on the
 * in-memory index and hands its audit entry to the writer: nothing on the
 * way waits on a disk, and a worker would only add a thread hand-off each
 * way (bench/http_ab.sh: requests/s x1.20, CPU per request x0.79). A token
 * the cache does not know is asked of the store, and a refusal waits for
 * its audit entry: those requests go to a worker. */
#define HERE_MAX_BODY (64u * 1024u)

static bool route_here(ctw_http_server *srv, struct MHD_Connection *c, const http_req *rq)
{
    if (strcmp(rq->url, "/api/v1/screen") != 0 || strcmp(rq->http_method, "POST") != 0 ||
        rq->body_len > HERE_MAX_BODY)
        return false;
    const char *token =
        ctw__http_bearer_token(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION));
    return token && ctw_auth_cache_has(srv->auth_cache, token, ctw_clock_now());
}

/* rq is answered, or its connection ended (the client went away while its
 * request was routed): no longer in flight. */
static void request_landed(ctw_http_server *srv, http_req *rq)
{
    if (!rq->in_flight) return;
    rq->in_flight = false;
    flight_end(srv);
}

/* The connection thread, after the resume: queue rq's answer. */
static enum MHD_Result send_answer(ctw_http_server *srv, struct MHD_Connection *c, http_req *rq)
{
    ctw__http_reply out = rq->reply;
    rq->reply = (ctw__http_reply){0};
    ctw__http_deferred *d = out.audit;
    if (d && rq->audit_rc != 0) {
        /* no answer without its audit entry: the entry could not be written */
        json_decref(out.body);
        ctw__http_error(&out, 500, "internal", ctw_strerror(CTW_ESTORE));
    }
    enum MHD_Result r = out.stream ? send_stream(c, rq, (hit_stream *)out.stream) : send_json(c, rq, &out);
    deferred_free(d); /* after the body it pointed into was written out */
    request_landed(srv, rq);
    return r;
}

static enum MHD_Result answer_here(ctw_http_server *srv, struct MHD_Connection *c, http_req *rq)
{
    if (!flight_begin(srv)) {
        ctw__http_reply out = {0};
        ctw__http_error(&out, 503, "unavailable", "the server is stopping");
        return send_json(c, rq, &out);
    }
    rq->in_flight = true;
    rq->c = c;
    route_request(srv, rq);
    if (!rq->reply.audit) return send_answer(srv, c, rq); /* an error: no entry to wait for */
    rq->phase = RQ_WORKING;
    /* suspended before the writer can resume it */
    MHD_suspend_connection(c);
    hand_back(srv, rq);
    return MHD_YES;
}

/* Stop: answer new requests at once (503), wait until every queued or
 * routed request has been answered, so that libmicrohttpd is never
 * stopped with a connection suspended, then end the workers. The
 * connection threads still run meanwhile: they send the answers. */
static void workers_drain(ctw_http_server *srv)
{
    pthread_mutex_lock(&srv->jobs_mu);
    srv->draining = true;
    while (srv->in_flight > 0) pthread_cond_wait(&srv->idle_cv, &srv->jobs_mu);
    pthread_mutex_unlock(&srv->jobs_mu);
}

static void workers_stop(ctw_http_server *srv)
{
    pthread_mutex_lock(&srv->jobs_mu);
    srv->jobs_stop = true;
    pthread_cond_broadcast(&srv->jobs_cv);
    pthread_mutex_unlock(&srv->jobs_mu);
    for (unsigned i = 0; i < srv->n_workers; i++) pthread_join(srv->workers[i], NULL);
    srv->n_workers = 0;
}

/* --- libmicrohttpd callbacks ----------------------------------------------- */

/* Append a piece of body; false when it would pass max_body. */
static bool body_append(http_req *rq, const char *data, size_t n, size_t max)
{
    if (n > max || rq->body_len > max - n) return false;
    if (!rq->body) {
        rq->body = rq->small_body;
        rq->body_cap = sizeof rq->small_body;
    }
    if (rq->body_len + n + 1 > rq->body_cap) {
        size_t cap = rq->body_cap < 4096 ? 4096 : rq->body_cap;
        while (cap < rq->body_len + n + 1) cap = cap > max / 2 ? max + 1 : cap * 2;
        char *p = rq->body == rq->small_body ? malloc(cap) : realloc(rq->body, cap);
        if (!p) return false;
        if (rq->body == rq->small_body) memcpy(p, rq->small_body, rq->body_len);
        rq->body = p;
        rq->body_cap = cap;
    }
    memcpy(rq->body + rq->body_len, data, n);
    rq->body_len += n;
    rq->body[rq->body_len] = '\0'; /* so a route may parse it as text */
    return true;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_data_size,
                                  void **con_cls)
{
    ctw_http_server *srv = cls;
    http_req *rq = *con_cls;
    (void)version;

    if (!rq) {
        rq = calloc(1, sizeof *rq);
        if (!rq) return MHD_NO;
        clock_gettime(CLOCK_MONOTONIC, &rq->start);
        log_copy(rq->method, sizeof rq->method, method);
        log_copy(rq->path, sizeof rq->path, url);
        *con_cls = rq;

        /* Refuse before reading a byte of a body announced too large. An
         * unparseable length is left to libmicrohttpd, which rejects it. */
        const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                     MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (end != cl && errno == 0 && n > srv->cfg.max_body) {
                rq->too_large = true;
                return send_too_large(c, rq, srv->cfg.max_body);
            }
        }
        return MHD_YES;
    }

    if (*upload_data_size > 0) {
        size_t n = *upload_data_size;
        *upload_data_size = 0;
        if (rq->status != 0) return MHD_YES; /* answered already; ignore */
        if (!rq->too_large && !body_append(rq, upload_data, n, srv->cfg.max_body)) {
            rq->too_large = true;
            if (rq->body != rq->small_body) free(rq->body);
            rq->body = NULL;
            rq->body_len = rq->body_cap = 0;
        }
        if (rq->too_large) {
            rq->drained += n;
            if (rq->drained > DRAIN_LIMIT) return MHD_NO; /* hang up */
        }
        return MHD_YES;
    }

    if (rq->phase == RQ_ANSWERED) return send_answer(srv, c, rq);
    if (rq->phase == RQ_WORKING) return MHD_YES; /* not ours until the resume */
    if (rq->status != 0) return MHD_YES; /* the early 413 is queued */
    if (rq->too_large) return send_too_large(c, rq, srv->cfg.max_body);
    /* the web interface: everything but /api/ and /healthz (static.c),
     * from memory, at once */
    if (ctw__http_static_wants(url))
        return (enum MHD_Result)ctw__http_static_answer(srv->web, c, method, url, &rq->status, &rq->bytes);

    remote_address(c, rq->peer, sizeof rq->peer);
    rq->url = url;
    rq->http_method = method;
    if (route_here(srv, c, rq)) return answer_here(srv, c, rq);
    if (queue_for_worker(srv, c, rq)) return MHD_YES;
    ctw__http_reply out = {0};
    ctw__http_error(&out, 503, "unavailable", "the server is stopping");
    return send_json(c, rq, &out);
}

/* --- query arguments (for routes, which never see libmicrohttpd) ------------ */

const char *ctw__http_query(const ctw__http_request *rq, const char *name)
{
    return rq->conn ? MHD_lookup_connection_value(rq->conn, MHD_GET_ARGUMENT_KIND, name) : NULL;
}

const char *ctw__http_header(const ctw__http_request *rq, const char *name)
{
    return rq->conn ? MHD_lookup_connection_value(rq->conn, MHD_HEADER_KIND, name) : NULL;
}

typedef struct query_walk {
    ctw__http_query_fn fn;
    void *ud;
    int rc;
} query_walk;

static enum MHD_Result query_one(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    query_walk *w = cls;
    w->rc = w->fn(w->ud, key ? key : "", value);
    return w->rc == 0 ? MHD_YES : MHD_NO;
}

int ctw__http_query_each(const ctw__http_request *rq, ctw__http_query_fn fn, void *ud)
{
    query_walk w = {.fn = fn, .ud = ud};
    if (rq->conn) MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, query_one, &w);
    return w.rc;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    ctw_http_server *srv = cls;
    http_req *rq = *con_cls;
    if (!rq) return;
    log_request(srv, c, rq, toe);
    /* an answer never sent: the client went away before it was ready */
    json_decref(rq->reply.body);
    deferred_free(rq->reply.audit);
    if (rq->reply.stream) stream_free(rq->reply.stream);
    request_landed(srv, rq);
    if (rq->body != rq->small_body) free(rq->body);
    free(rq);
    *con_cls = NULL;
}

static void on_mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    fputs("ctwatch serve: http: ", stderr);
    vfprintf(stderr, fmt, ap);
}

/* --- start / stop ------------------------------------------------------------ */

/* Stop the flusher and write the last lines. */
static void log_stop(ctw_http_server *srv)
{
    pthread_mutex_lock(&srv->log_mu);
    srv->log_stop = true;
    pthread_cond_signal(&srv->log_cv);
    pthread_mutex_unlock(&srv->log_mu);
    if (srv->log_thread_started) pthread_join(srv->log_thread, NULL);
    srv->log_thread_started = false;
    /* the flusher wrote everything; without one (it never started) nothing was logged */
}

static void log_free_chunks(log_chunk *c)
{
    while (c) {
        log_chunk *next = c->next;
        free(c);
        c = next;
    }
}

static void server_free(ctw_http_server *srv)
{
    streams_stop(srv); /* no-op unless the daemon never started */
    workers_stop(srv);  /* idle by now: ctw_http_stop drained them */
    free(srv->workers);
    log_stop(srv);
    free(srv->log_cur);
    log_free_chunks(srv->log_full);
    log_free_chunks(srv->log_free);
    pthread_cond_destroy(&srv->log_cv);
    pthread_cond_destroy(&srv->log_room);
    ctw_match_follower_stop(srv->follower);
    ctw_match_registry_free(srv->registry);
    ctw_audit_writer_stop(srv->audit);
    ctw_auth_cache_free(srv->auth_cache);
    ctw_docindex_free(srv->docs);
    ctw__http_static_free(srv->web);
    pthread_mutex_destroy(&srv->docs_mu);
    for (size_t i = 0; i < srv->npool; i++) ctw_store_close(srv->pool[i]);
    free(srv->pool);
    pthread_mutex_destroy(&srv->pool_mu);
    pthread_mutex_destroy(&srv->log_mu);
    pthread_mutex_destroy(&srv->streams_mu);
    pthread_cond_destroy(&srv->streams_cv);
    pthread_mutex_destroy(&srv->jobs_mu);
    pthread_cond_destroy(&srv->jobs_cv);
    pthread_cond_destroy(&srv->idle_cv);
    free(srv);
}

int ctw_http_start(const ctw_http_config *cfg, ctw_http_server **out, ctw_error *err)
{
    if (!cfg || !out || !cfg->store_target)
        return ctw_error_set(err, CTW_EINVAL, NULL, "http: no store target");
    if (cfg->port > 65535)
        return ctw_error_set(err, CTW_EINVAL, NULL, "http: port %u out of range", cfg->port);

    ctw_http_server *srv = calloc(1, sizeof *srv);
    if (!srv) return ctw_error_set(err, CTW_ENOMEM, NULL, "http: out of memory");
    srv->cfg = *cfg;
    if (!srv->cfg.address) srv->cfg.address = "127.0.0.1";
    /* Threads (see the top of this file): connection threads, one per
     * core unless told, and workers for the routes. */
    if (srv->cfg.threads == 0) {
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        srv->cfg.threads = cores > 0 ? (unsigned)cores : 1u;
    }
    if (srv->cfg.threads > MAX_THREADS) srv->cfg.threads = MAX_THREADS;
    if (srv->cfg.workers == 0) srv->cfg.workers = DEFAULT_WORKERS;
    if (srv->cfg.workers > MAX_WORKERS) srv->cfg.workers = MAX_WORKERS;
    if (srv->cfg.max_connections == 0) srv->cfg.max_connections = DEFAULT_MAX_CONNECTIONS;
    if (srv->cfg.timeout_seconds == 0) srv->cfg.timeout_seconds = DEFAULT_TIMEOUT_SECONDS;
    if (srv->cfg.max_body == 0) srv->cfg.max_body = DEFAULT_MAX_BODY;
    if (srv->cfg.max_body > SIZE_MAX / 4) srv->cfg.max_body = SIZE_MAX / 4; /* body_append's sums */
    if (srv->cfg.max_header == 0) srv->cfg.max_header = DEFAULT_MAX_HEADER;
    pthread_mutex_init(&srv->pool_mu, NULL);
    pthread_mutex_init(&srv->log_mu, NULL);
    pthread_cond_init(&srv->log_cv, NULL);
    pthread_cond_init(&srv->log_room, NULL);
    srv->log_full_tail = &srv->log_full;
    pthread_mutex_init(&srv->docs_mu, NULL);
    pthread_mutex_init(&srv->streams_mu, NULL);
    pthread_cond_init(&srv->streams_cv, NULL);
    pthread_mutex_init(&srv->jobs_mu, NULL);
    pthread_cond_init(&srv->jobs_cv, NULL);
    pthread_cond_init(&srv->idle_cv, NULL);
    /* a handle for each thread that may hold one: workers, and connection
     * threads filling hit streams */
    srv->pool_cap = (size_t)srv->cfg.workers + srv->cfg.threads;
    srv->pool = calloc(srv->pool_cap, sizeof *srv->pool);
    srv->workers = calloc(srv->cfg.workers, sizeof *srv->workers);
    srv->registry = ctw_match_registry_new();
    if (!srv->pool || !srv->workers || !srv->registry || ctw_auth_cache_new(0, &srv->auth_cache) != 0) {
        server_free(srv);
        return ctw_error_set(err, CTW_ENOMEM, NULL, "http: out of memory");
    }
    if (srv->cfg.access_log) {
        if (pthread_create(&srv->log_thread, NULL, log_flusher, srv) != 0) {
            server_free(srv);
            return ctw_error_set(err, CTW_ENOMEM, NULL, "http: cannot start the access-log thread");
        }
        srv->log_thread_started = true;
    }
    /* The screening index is built before the first request is accepted. */
    int rc = srv->cfg.web_root ? ctw__http_static_load(srv->cfg.web_root, &srv->web, err) : 0;
    if (rc == 0) rc = ctw_match_follower_start(srv->cfg.store_target, srv->registry, srv->cfg.index_refresh_ms,
                                      &srv->follower, err);
    if (rc == 0) rc = ctw_audit_writer_start(srv->cfg.store_target, &srv->audit, err);
    if (rc == 0) ctw_audit_writer_on_hits(srv->audit, hits_written, srv);
    if (rc == 0) {
        /* so are the stolen and lost documents */
        ctw_store *s = ctw__http_store_acquire(srv, err);
        rc = s ? ctw_docindex_load(s, &srv->docs, err) : CTW_ESTORE;
        ctw__http_store_release(srv, s, rc != 0);
        srv->docs_refreshed_ms = now_ms();
    }
    if (rc != 0) {
        server_free(srv);
        return rc;
    }

    /* Bind exactly the address asked for: MHD's default is every address. */
    struct sockaddr_in sin = {0};
    struct sockaddr_in6 sin6 = {0};
    const struct sockaddr *sa;
    /* ALLOW_SUSPEND_RESUME: hit streams park their connection (see above) */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG | MHD_ALLOW_SUSPEND_RESUME;
    if (inet_pton(AF_INET, srv->cfg.address, &sin.sin_addr) == 1) {
        sin.sin_family = AF_INET;
        sin.sin_port = htons((uint16_t)srv->cfg.port);
        sa = (const struct sockaddr *)&sin;
    } else if (inet_pton(AF_INET6, srv->cfg.address, &sin6.sin6_addr) == 1) {
        sin6.sin6_family = AF_INET6;
        sin6.sin6_port = htons((uint16_t)srv->cfg.port);
        sa = (const struct sockaddr *)&sin6;
        flags |= MHD_USE_IPv6;
    } else {
        server_free(srv);
        return ctw_error_set(err, CTW_EINVAL, NULL, "http: not an IP address: %s",
                             cfg->address);
    }

    size_t pool_bytes = srv->cfg.max_header + HEADER_HEADROOM;
    if (pool_bytes < srv->cfg.max_header) pool_bytes = srv->cfg.max_header; /* overflow */

    for (unsigned i = 0; i < srv->cfg.workers; i++) {
        if (pthread_create(&srv->workers[i], NULL, worker_main, srv) != 0) {
            server_free(srv);
            return ctw_error_set(err, CTW_ENOMEM, NULL, "http: cannot start the worker threads");
        }
        srv->n_workers++;
    }
    srv->daemon = MHD_start_daemon(
        flags, (uint16_t)srv->cfg.port, NULL, NULL, on_request, srv,
        /* first, so that MHD's own start-up messages go through it too */
        MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, NULL,
        MHD_OPTION_SOCK_ADDR, sa,
        /* the connection threads (1: libmicrohttpd's one internal thread) */
        MHD_OPTION_THREAD_POOL_SIZE, (unsigned int)srv->cfg.threads,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned int)srv->cfg.max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)srv->cfg.timeout_seconds,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, pool_bytes,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv,
        /* reject requests that bend HTTP/1.1 syntax: input is hostile */
        MHD_OPTION_STRICT_FOR_CLIENT, (int)1,
        MHD_OPTION_END);
    if (!srv->daemon) {
        int e = errno;
        ctw_error_set(err, CTW_EIO, NULL, "http: cannot listen on %s:%u: %s", srv->cfg.address,
                      srv->cfg.port, e ? strerror(e) : "libmicrohttpd refused to start");
        server_free(srv);
        return CTW_EIO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(srv->daemon, MHD_DAEMON_INFO_BIND_PORT);
    srv->port = di ? di->port : srv->cfg.port;
    if (pthread_create(&srv->poller, NULL, poller_main, srv) != 0) {
        MHD_stop_daemon(srv->daemon);
        server_free(srv);
        return ctw_error_set(err, CTW_ENOMEM, NULL, "http: cannot start the hit stream poller");
    }
    srv->poller_running = true;
    *out = srv;
    return 0;
}

unsigned ctw_http_port(const ctw_http_server *s)
{
    return s ? s->port : 0;
}

void ctw_http_stop(ctw_http_server *s)
{
    if (!s) return;
    /* End the hit streams and answer every request in progress first: MHD
     * must not stop with a connection suspended. Then stop MHD, whose
     * threads run the callbacks: afterwards none runs, so the pool and the
     * log are ours alone. */
    streams_stop(s);
    workers_drain(s);
    MHD_stop_daemon(s->daemon);
    server_free(s);
}
