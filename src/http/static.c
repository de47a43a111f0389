/* static.c — the web interface's files in memory (see static.h).
 *
 * Answers, for a path that is not /api/... nor /healthz:
 *   GET|HEAD a file that exists       200 with its type, ETag, Cache-Control
 *            (If-None-Match equal)    304
 *   GET|HEAD "/" or a path whose last segment has no '.' (a screen of the
 *            single-page app, e.g. /search)            index.html
 *   GET|HEAD any other missing path (an asset)         404
 *   a refused path (.., NUL, hidden, too long)         400
 *   another method                                     405, Allow: GET, HEAD
 * Every answer carries the security headers of the web interface: the
 * page may load only what ctwatch itself serves (no inline script or
 * style, no other host, not framed).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <microhttpd.h>
#include <sodium.h>

#include "http/static.h"

#define CSP "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " \
            "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"

typedef struct static_file {
    char *path;          /* relative to the root, "assets/index-abc.js" */
    unsigned char *data;
    size_t len;
    const char *type;    /* static string */
    char etag[36];       /* "\"" 32 hex "\"" */
    bool immutable;      /* under assets/: vite names them by content */
} static_file;

struct ctw__http_static {
    static_file *files;  /* sorted by path */
    size_t n, cap;
    size_t total;
    const static_file *index;
};

/* --- paths ---------------------------------------------------------------- */

int ctw__http_static_path(const char *url, size_t n, char *out, size_t cap)
{
    if (cap == 0) return -1;
    out[0] = '\0';
    if (!url || n == 0 || url[0] != '/' || n > CTW_STATIC_PATH_MAX) return -1;
    size_t o = 0;
    size_t i = 1;
    while (i <= n) {
        size_t start = i;
        while (i < n && url[i] != '/') {
            unsigned char ch = (unsigned char)url[i];
            if (ch < 0x20 || ch >= 0x7f || ch == '\\') goto refuse;
            i++;
        }
        size_t len = i - start;
        i++; /* past the '/' (or the end) */
        if (len == 0 || (len == 1 && url[start] == '.')) continue;
        if (url[start] == '.') goto refuse; /* "..", ".env", ".git" */
        if (o + (o ? 1 : 0) + len + 1 > cap) goto refuse;
        if (o) out[o++] = '/';
        memcpy(out + o, url + start, len);
        o += len;
        out[o] = '\0';
    }
    return 0;
refuse:
    out[0] = '\0';
    return -1;
}

bool ctw__http_static_wants(const char *url)
{
    if (!url) return false;
    if (strncmp(url, "/api/", 5) == 0 || strcmp(url, "/api") == 0) return false;
    if (strncmp(url, "/healthz", 8) == 0 && (url[8] == '\0' || url[8] == '/')) return false;
    return true;
}

static const char *content_type(const char *path)
{
    static const char *const map[][2] = {
        {".html", "text/html; charset=utf-8"},       {".js", "text/javascript; charset=utf-8"},
        {".mjs", "text/javascript; charset=utf-8"},  {".css", "text/css; charset=utf-8"},
        {".json", "application/json"},               {".map", "application/json"},
        {".svg", "image/svg+xml"},                   {".png", "image/png"},
        {".ico", "image/x-icon"},                    {".woff2", "font/woff2"},
        {".txt", "text/plain; charset=utf-8"},       {".webmanifest", "application/manifest+json"},
    };
    const char *dot = strrchr(path, '.');
    if (dot && !strchr(dot, '/'))
        for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
            if (strcmp(dot, map[i][0]) == 0) return map[i][1];
    return "application/octet-stream";
}

/* --- loading ---------------------------------------------------------------- */

static int add_file(ctw__http_static *st, const char *rel, unsigned char *data, size_t len, ctw_error *err)
{
    if (st->n == CTW_STATIC_FILES_MAX)
        return ctw_error_set(err, CTW_ELIMIT, rel, "web root: more than %u files", CTW_STATIC_FILES_MAX);
    if (st->n == st->cap) {
        size_t cap = st->cap ? st->cap * 2 : 32;
        static_file *f = realloc(st->files, cap * sizeof *f);
        if (!f) return ctw_error_set(err, CTW_ENOMEM, rel, "out of memory");
        st->files = f;
        st->cap = cap;
    }
    static_file *f = &st->files[st->n];
    *f = (static_file){.path = strdup(rel), .data = data, .len = len, .type = content_type(rel),
                       .immutable = strncmp(rel, "assets/", 7) == 0};
    if (!f->path) return ctw_error_set(err, CTW_ENOMEM, rel, "out of memory");
    unsigned char h[16];
    crypto_generichash(h, sizeof h, data, len, NULL, 0);
    f->etag[0] = '"';
    sodium_bin2hex(f->etag + 1, 33, h, sizeof h);
    f->etag[33] = '"';
    f->etag[34] = '\0';
    st->n++;
    return 0;
}

/* Read the regular file name in dirfd, at most CTW_STATIC_FILE_MAX bytes. */
static int read_file_at(int dirfd, const char *name, const char *rel, unsigned char **data, size_t *len,
                        ctw_error *err)
{
    /* O_NONBLOCK: a fifo swapped in after the fstatat must not hang the start */
    int fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) return ctw_error_set(err, CTW_EIO, rel, "web root: cannot open: %s", strerror(errno));
    struct stat sb;
    int rc = 0;
    unsigned char *buf = NULL;
    if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
        rc = ctw_error_set(err, CTW_EIO, rel, "web root: not a regular file");
        goto out;
    }
    if ((unsigned long long)sb.st_size > CTW_STATIC_FILE_MAX) {
        rc = ctw_error_set(err, CTW_ELIMIT, rel, "web root: file larger than %u bytes", CTW_STATIC_FILE_MAX);
        goto out;
    }
    size_t want = (size_t)sb.st_size, got = 0;
    buf = malloc(want ? want : 1);
    if (!buf) {
        rc = ctw_error_set(err, CTW_ENOMEM, rel, "out of memory");
        goto out;
    }
    while (got < want) {
        ssize_t r = read(fd, buf + got, want - got);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) {
            rc = ctw_error_set(err, CTW_EIO, rel, "web root: short read");
            goto out;
        }
        got += (size_t)r;
    }
    *data = buf;
    *len = want;
    buf = NULL;
out:
    free(buf);
    close(fd);
    return rc;
}

/* Load directory dirfd (rel: its path from the root, "" for the root);
 * takes dirfd over. */
static int load_dir(ctw__http_static *st, int dirfd, const char *rel, int depth, ctw_error *err)
{
    DIR *d = fdopendir(dirfd);
    if (!d) {
        close(dirfd);
        return ctw_error_set(err, CTW_EIO, rel, "web root: cannot read directory: %s", strerror(errno));
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.') continue; /* ., .., hidden files */
        char path[CTW_STATIC_PATH_MAX + 1], clean[CTW_STATIC_PATH_MAX + 1];
        int k = snprintf(path, sizeof path, "/%s%s%s", rel, *rel ? "/" : "", e->d_name);
        /* a name no request could reach is not loaded */
        if (k < 0 || (size_t)k >= sizeof path || ctw__http_static_path(path, (size_t)k, clean, sizeof clean) != 0)
            continue;
        struct stat sb;
        if (fstatat(dirfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISDIR(sb.st_mode)) {
            if (depth >= CTW_STATIC_DEPTH_MAX) continue;
            int sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
            if (sub >= 0) rc = load_dir(st, sub, clean, depth + 1, err);
        } else if (S_ISREG(sb.st_mode)) { /* symlinks, devices, fifos: never */
            unsigned char *data = NULL;
            size_t len = 0;
            rc = read_file_at(dirfd, e->d_name, clean, &data, &len, err);
            if (rc == 0 && len > CTW_STATIC_TOTAL_MAX - st->total)
                rc = ctw_error_set(err, CTW_ELIMIT, clean, "web root: more than %u bytes in all", CTW_STATIC_TOTAL_MAX);
            if (rc == 0) rc = add_file(st, clean, data, len, err);
            if (rc == 0) st->total += len;
            else free(data);
        }
    }
    closedir(d);
    return rc;
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const static_file *)a)->path, ((const static_file *)b)->path);
}

static const static_file *find(const ctw__http_static *st, const char *path)
{
    static_file key = {.path = (char *)path};
    if (st->n == 0) return NULL;
    return bsearch(&key, st->files, st->n, sizeof *st->files, by_path);
}

bool ctw__http_static_has(const ctw__http_static *st, const char *path)
{
    return st && path && find(st, path) != NULL;
}

size_t ctw__http_static_count(const ctw__http_static *st)
{
    return st ? st->n : 0;
}

void ctw__http_static_free(ctw__http_static *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->n; i++) {
        free(st->files[i].path);
        free(st->files[i].data);
    }
    free(st->files);
    free(st);
}

int ctw__http_static_load(const char *root, ctw__http_static **out, ctw_error *err)
{
    *out = NULL;
    if (sodium_init() < 0) return ctw_error_set(err, CTW_EIO, NULL, "libsodium cannot start");
    ctw__http_static *st = calloc(1, sizeof *st);
    if (!st) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    /* the root itself may be a symlink (an operator's choice); nothing under it */
    int fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    int rc = fd < 0 ? ctw_error_set(err, CTW_EIO, root, "web root: %s", strerror(errno))
                    : load_dir(st, fd, "", 0, err);
    if (rc == 0) {
        if (st->n) qsort(st->files, st->n, sizeof *st->files, by_path);
        st->index = find(st, "index.html");
        if (!st->index) rc = ctw_error_set(err, CTW_ENOTFOUND, root, "web root: no index.html (run make web)");
    }
    if (rc != 0) {
        ctw__http_static_free(st);
        return rc;
    }
    *out = st;
    return 0;
}

/* --- answering ---------------------------------------------------------------- */

static int queue(struct MHD_Connection *c, unsigned code, struct MHD_Response *r, const static_file *f,
                 unsigned *status, size_t *bytes, size_t len)
{
    if (!r) return MHD_NO;
    int ok = MHD_add_response_header(r, "Content-Security-Policy", CSP) &&
             MHD_add_response_header(r, "X-Content-Type-Options", "nosniff") &&
             MHD_add_response_header(r, "Referrer-Policy", "no-referrer") &&
             MHD_add_response_header(r, "X-Frame-Options", "DENY") &&
             MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
    if (ok && f) {
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_ETAG, f->etag) &&
             MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL,
                                     f->immutable ? "public, max-age=31536000, immutable" : "no-cache");
        if (ok && code == MHD_HTTP_OK) ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, f->type);
    } else if (ok) {
        ok = MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store") &&
             MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
        if (ok && code == MHD_HTTP_METHOD_NOT_ALLOWED) ok = MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
    }
    if (!ok) {
        MHD_destroy_response(r);
        return MHD_NO;
    }
    *status = code;
    *bytes = len;
    enum MHD_Result res = MHD_queue_response(c, code, r);
    MHD_destroy_response(r);
    return res;
}

static int error(struct MHD_Connection *c, unsigned code, const char *body, unsigned *status, size_t *bytes)
{
    size_t len = strlen(body);
    return queue(c, code, MHD_create_response_from_buffer(len, (void *)body, MHD_RESPMEM_PERSISTENT), NULL, status,
                 bytes, len);
}

/* Whether the If-None-Match header (a list of tags, or *) names etag. */
static bool etag_matches(const char *inm, const char *etag)
{
    if (!inm) return false;
    if (strcmp(inm, "*") == 0) return true;
    size_t n = strlen(etag);
    for (const char *p = inm; (p = strstr(p, etag)) != NULL; p += n) {
        const char *after = p + n;
        if (*after == '\0' || *after == ',' || *after == ' ') return true;
    }
    return false;
}

int ctw__http_static_answer(const ctw__http_static *st, void *conn, const char *method, const char *url,
                            unsigned *status, size_t *bytes)
{
    struct MHD_Connection *c = conn;
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
        return error(c, MHD_HTTP_METHOD_NOT_ALLOWED,
                     "{\"error\":{\"code\":\"method_not_allowed\",\"message\":\"the web interface answers GET and HEAD\"}}\n",
                     status, bytes);
    if (!st)
        return error(c, MHD_HTTP_NOT_FOUND,
                     "{\"error\":{\"code\":\"not_found\",\"message\":\"no such resource (the web interface is not "
                     "served: build it with make web, or give ctwatch serve --web DIR)\"}}\n",
                     status, bytes);
    char path[CTW_STATIC_PATH_MAX + 1];
    if (ctw__http_static_path(url, strlen(url), path, sizeof path) != 0)
        return error(c, MHD_HTTP_BAD_REQUEST, "{\"error\":{\"code\":\"invalid\",\"message\":\"refused path\"}}\n",
                     status, bytes);
    const static_file *f = path[0] ? find(st, path) : st->index;
    if (!f) {
        const char *last = strrchr(path, '/');
        last = last ? last + 1 : path;
        if (strchr(last, '.') || strncmp(path, "assets/", 7) == 0)
            return error(c, MHD_HTTP_NOT_FOUND, "{\"error\":{\"code\":\"not_found\",\"message\":\"no such file\"}}\n",
                         status, bytes);
        f = st->index; /* a screen of the single-page app */
    }
    if (etag_matches(MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_NONE_MATCH), f->etag))
        return queue(c, MHD_HTTP_NOT_MODIFIED, MHD_create_response_from_buffer(0, NULL, MHD_RESPMEM_PERSISTENT), f,
                     status, bytes, 0);
    return queue(c, MHD_HTTP_OK, MHD_create_response_from_buffer(f->len, f->data, MHD_RESPMEM_PERSISTENT), f, status,
                 bytes, f->len);
}
