/* static.h — the web interface's files, served at / beside the API.
 *
 * The files (web/dist: index.html and vite's hashed assets/) are read
 * once when the server starts, into memory, and answered from there:
 * no file system access while serving, so no race with a file swapped or
 * a symlink planted after start, no descriptor per request, and nothing
 * outside the root can be reached whatever the path. A new build is
 * picked up by restarting the server.
 */
#ifndef CTW_HTTP_STATIC_H
#define CTW_HTTP_STATIC_H

#include <stdbool.h>
#include <stddef.h>

#include "ctwatch/error.h"

#define CTW_STATIC_PATH_MAX 255                 /* bytes of a request path */
#define CTW_STATIC_FILE_MAX (8u * 1024u * 1024u) /* bytes of one file */
#define CTW_STATIC_TOTAL_MAX (64u * 1024u * 1024u)
#define CTW_STATIC_FILES_MAX 4096u
#define CTW_STATIC_DEPTH_MAX 8

typedef struct ctw__http_static ctw__http_static;

/* Clean the decoded request path url (n bytes, may hold NUL bytes) into
 * out (cap bytes): the path relative to the root, segments joined by '/',
 * no leading '/', "" for the root. Empty and "." segments are dropped.
 * Returns 0, or -1 (out is then "") when the path is refused: not starting
 * with '/', longer than CTW_STATIC_PATH_MAX, a NUL, control or non-ASCII
 * byte, a backslash, a ".." segment or any segment starting with '.'
 * (hidden files), or a result that does not fit out. (libmicrohttpd
 * decodes a request's %00 into the end of its path string, so there a NUL
 * can only shorten the path to a prefix, which is then cleaned like any.) */
int ctw__http_static_path(const char *url, size_t n, char *out, size_t cap);

/* Read every regular file under root (not following symlinks, skipping
 * hidden names; at most CTW_STATIC_FILES_MAX files of CTW_STATIC_FILE_MAX
 * bytes, CTW_STATIC_TOTAL_MAX in all, CTW_STATIC_DEPTH_MAX levels) into
 * *out, which the caller frees with ctw__http_static_free(). A root
 * without index.html is refused. Returns 0, or a CTW_E* code with err set
 * (nothing is kept). */
int ctw__http_static_load(const char *root, ctw__http_static **out, ctw_error *err);
void ctw__http_static_free(ctw__http_static *st);

/* Whether st holds the file at path (cleaned, relative to the root), and
 * how many files it holds. */
bool ctw__http_static_has(const ctw__http_static *st, const char *path);
size_t ctw__http_static_count(const ctw__http_static *st);

/* Whether url is the web interface's (not /api/..., not /healthz). */
bool ctw__http_static_wants(const char *url);

/* Answer a request for url (method GET or HEAD, else 405) from st (NULL:
 * no web interface, 404) on the libmicrohttpd connection conn; sets
 * *status and *bytes for the access log. Returns libmicrohttpd's
 * MHD_Result (as int, so that this header needs no microhttpd.h). */
int ctw__http_static_answer(const ctw__http_static *st, void *conn, const char *method, const char *url,
                            unsigned *status, size_t *bytes);

#endif
