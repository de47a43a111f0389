/* http.h — the HTTP API server (libmicrohttpd).
 *
 * The server is thin: it validates a request, calls the library as the
 * request's principal, and writes JSON. Requests borrow store handles
 * from a pool, one at a time. Limits: body and header sizes, connections,
 * and request time are set from ctw_http_config and enforced before any
 * work is done.
 */
#ifndef CTWATCH_HTTP_H
#define CTWATCH_HTTP_H

#include <stdio.h>

#include "ctwatch/error.h"

typedef struct ctw_http_config {
    const char *store_target;   /* passed to ctw_store_open() by each worker */
    const char *address;        /* "127.0.0.1" (default) */
    unsigned port;              /* 0: an ephemeral port, see ctw_http_port() */
    unsigned threads;           /* connection (I/O) threads: 0: one per online core; at most 256 */
    unsigned workers;           /* threads that run the routes: 0: 16; at most 1024 */
    unsigned max_connections;   /* 0: 1024 */
    unsigned timeout_seconds;   /* idle / request time limit; 0: 30 */
    size_t max_body;            /* bytes; 0: 16 MiB */
    size_t max_header;          /* bytes per request's headers; 0: 16 KiB */
    FILE *access_log;           /* JSON lines, one per request; NULL: none */
    unsigned index_refresh_ms;  /* how often to look for store changes; 0: 1000 */
    const char *web_root;       /* the web interface's files (web/dist), read at start; NULL: none */
} ctw_http_config;

typedef struct ctw_http_server ctw_http_server;

/* Start serving in background threads. On success *out is owned by the
 * caller and stopped with ctw_http_stop(). The config's strings and FILE
 * must outlive the server. */
int ctw_http_start(const ctw_http_config *cfg, ctw_http_server **out, ctw_error *err);
/* The port actually bound (useful with port 0). */
unsigned ctw_http_port(const ctw_http_server *s);
/* Stop accepting, finish running requests, free everything. */
void ctw_http_stop(ctw_http_server *s);

#endif
