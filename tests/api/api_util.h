/* api_util.h — what the API suites share: a real `ctwatch serve` started
 * on 127.0.0.1 port 0 over a store the suite builds, and libcurl helpers.
 * Included by one test program each (static functions, one server).
 */
#ifndef CTW_API_UTIL_H
#define CTW_API_UTIL_H

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <strings.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include <pthread.h>
#include <sqlite3.h>

#include "test_util.h"

#include "ctwatch/access.h"
#include "ctwatch/auth.h"
#include "ctwatch/store.h"

/* The server under test and its scratch directory. */
static struct {
    char *dir;
    char db[600];
    char log[600];
    pid_t pid;
    int out_fd;          /* the server's stdout */
    unsigned port;
    char base[64];       /* http://127.0.0.1:PORT */
    char token[128];     /* the session of the suite's analyst (API_USER of LOCAL) */
} g;

/* The analyst every request of a suite acts as, unless a test says otherwise. */
#define API_USER "analyst.local"
#define API_PASSWORD "correct horse battery staple"

/* --- HTTP helpers ------------------------------------------------------------ */

typedef struct resp {
    long status;
    char *body;
    size_t len;
    char headers[8192];
    size_t hlen;
} resp;

static inline size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    resp *r = ud;
    size_t k = size * n;
    char *b = realloc(r->body, r->len + k + 1);
    if (!b) return 0;
    memcpy(b + r->len, p, k);
    r->body = b;
    r->len += k;
    r->body[r->len] = '\0';
    return k;
}

static inline size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    resp *r = ud;
    size_t k = size * n;
    /* keep only the last response's headers (a 100 Continue may precede) */
    if (k >= 5 && strncmp(p, "HTTP/", 5) == 0) r->hlen = 0;
    if (r->hlen + k < sizeof r->headers) {
        memcpy(r->headers + r->hlen, p, k);
        r->hlen += k;
        r->headers[r->hlen] = '\0';
    }
    return k;
}

static inline void resp_free(resp *r)
{
    free(r->body);
    memset(r, 0, sizeof *r);
}

/* Value of header name in r (case-insensitive name), copied to out. */
static inline bool header_value(const resp *r, const char *name, char *out, size_t cap)
{
    size_t n = strlen(name);
    for (const char *line = r->headers; *line;) {
        const char *eol = strstr(line, "\r\n");
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        if (len > n && strncasecmp(line, name, n) == 0 && line[n] == ':') {
            const char *v = line + n + 1;
            while (*v == ' ') v++;
            size_t vl = len - (size_t)(v - line);
            if (vl >= cap) vl = cap - 1;
            memcpy(out, v, vl);
            out[vl] = '\0';
            return true;
        }
        if (!eol) break;
        line = eol + 2;
    }
    return false;
}

static inline void setup_easy(CURL *h, const char *path, resp *r)
{
    char url[1024];
    snprintf(url, sizeof url, "%s%s", g.base, path);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, r);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, r);
    curl_easy_setopt(h, CURLOPT_PATH_AS_IS, 1L); /* send "../" as written */
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
}

/* One request on a fresh handle. Returns the CURLcode; r filled. */
/* One request on a fresh handle, as the bearer of token (NULL: no
 * Authorization header). hdrs (may be NULL) are sent too. r filled. */
static inline CURLcode http_req_as(const char *token, const char *method, const char *path, const char *body,
                                   size_t len, struct curl_slist *hdrs, resp *r)
{
    CURL *h = curl_easy_init();
    assert_non_null(h);
    memset(r, 0, sizeof *r);
    setup_easy(h, path, r);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)len);
    }
    if (method) curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    struct curl_slist *all = NULL;
    for (struct curl_slist *i = hdrs; i; i = i->next) all = curl_slist_append(all, i->data);
    if (token) {
        char auth[256];
        assert_true(snprintf(auth, sizeof auth, "Authorization: Bearer %s", token) < (int)sizeof auth);
        all = curl_slist_append(all, auth);
    }
    if (all) curl_easy_setopt(h, CURLOPT_HTTPHEADER, all);
    CURLcode rc = curl_easy_perform(h);
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_easy_cleanup(h);
    curl_slist_free_all(all);
    return rc;
}

/* A header list carrying the suite analyst's token, for tests that drive
 * libcurl themselves. The caller frees it with curl_slist_free_all. */
static inline struct curl_slist *api_auth_header(void)
{
    char auth[256];
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", g.token);
    return curl_slist_append(NULL, auth);
}

/* One request as the suite's analyst. */
static inline CURLcode http_req(const char *method, const char *path, const char *body, size_t len,
                                struct curl_slist *hdrs, resp *r)
{
    return http_req_as(g.token, method, path, body, len, hdrs, r);
}

/* The suite's analyst: a user of agency LOCAL with a session token in
 * g.token (made with the library, as `ctwatch users add` and a login do). */
static inline void api_make_analyst(void)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    if (ctw_store_open(g.db, 0, &s, &err) != 0) fail_msg("store open: %s", err.message);
    ctw_agency local = {.code = "LOCAL", .name = "Local agency", .kind = "ncb"};
    assert_int_equal(ctw_store_ensure_agency(s, &local), 0);
    if (ctw_auth_user_create(s, ctw_principal_cli(), API_USER, "LOCAL", CTW_ROLE_ANALYST, API_PASSWORD, &err) != 0)
        fail_msg("user: %s", err.message);
    ctw_principal p = {0};
    ctw_arena a;
    ctw_arena_init(&a);
    char token[CTW_AUTH_TOKEN_SIZE];
    if (ctw_auth_login(s, API_USER, API_PASSWORD, NULL, NULL, (int64_t)time(NULL), token, &p, &a, &err) != 0)
        fail_msg("login: %s", err.message);
    snprintf(g.token, sizeof g.token, "%s", token);
    ctw_arena_free(&a);
    ctw_store_close(s);
}

static inline json_t *get_json(const char *path, long want_status)
{
    resp r;
    assert_int_equal(http_req(NULL, path, NULL, 0, NULL, &r), CURLE_OK);
    if (r.status != want_status) fail_msg("GET %s: status %ld, body %s", path, r.status, r.body);
    json_error_t je;
    json_t *j = json_loadb(r.body ? r.body : "", r.len, 0, &je);
    if (!j) fail_msg("GET %s: body is not JSON: %s", path, r.body ? r.body : "(none)");
    resp_free(&r);
    return j;
}

static inline void assert_error_code(json_t *j, const char *code)
{
    const char *got = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
    if (!got || strcmp(got, code) != 0)
        fail_msg("want error code %s, got %s", code, got ? got : "(none)");
    assert_non_null(json_string_value(json_object_get(json_object_get(j, "error"), "message")));
}

static inline void assert_healthy(void)
{
    json_t *j = get_json("/healthz", 200);
    assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
    json_decref(j);
}

/* POST body to path; the status must be want_status; the reply as JSON. */
static inline json_t *post_json(const char *path, const char *body, long want_status)
{
    resp r;
    assert_int_equal(http_req("POST", path, body, strlen(body), NULL, &r), CURLE_OK);
    if (r.status != want_status) fail_msg("POST %s %s: status %ld, body %s", path, body, r.status, r.body);
    json_error_t je;
    json_t *j = json_loadb(r.body ? r.body : "", r.len, 0, &je);
    if (!j) fail_msg("POST %s: body is not JSON: %s", path, r.body ? r.body : "(none)");
    resp_free(&r);
    return j;
}

/* A user `name` of agency with role and password API_PASSWORD, made with
 * the library as `ctwatch users add` does, and signed in: its session
 * token is written to token_out (128 bytes). */
static inline void api_make_user(ctw_store *s, const char *name, const char *agency, ctw_role role, char *token_out)
{
    ctw_error err = {0};
    if (ctw_auth_user_create(s, ctw_principal_cli(), name, agency, role, API_PASSWORD, &err) != 0)
        fail_msg("user %s: %s", name, err.message);
    ctw_principal p = {0};
    ctw_arena a;
    ctw_arena_init(&a);
    char token[CTW_AUTH_TOKEN_SIZE];
    if (ctw_auth_login(s, name, API_PASSWORD, NULL, NULL, (int64_t)time(NULL), token, &p, &a, &err) != 0)
        fail_msg("login %s: %s", name, err.message);
    snprintf(token_out, 128, "%s", token);
    ctw_arena_free(&a);
}

/* A request as the bearer of token; the status must be want; the reply
 * as JSON (the caller json_decrefs it). */
static inline json_t *api_call(const char *token, const char *method, const char *path, const char *body, long want)
{
    resp r;
    assert_int_equal(http_req_as(token, method, path, body, body ? strlen(body) : 0, NULL, &r), CURLE_OK);
    if (r.status != want)
        fail_msg("%s %s %s: status %ld, want %ld, body %s", method ? method : "GET", path, body ? body : "",
                 r.status, want, r.body ? r.body : "");
    json_t *j = json_loadb(r.body ? r.body : "", r.len, 0, NULL);
    if (!j) fail_msg("%s %s: body is not JSON: %s", method ? method : "GET", path, r.body ? r.body : "(none)");
    resp_free(&r);
    return j;
}

/* Number of audit entries with this action in the server's store. */
static inline long count_audit(const char *action)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    long n = -1;
    assert_int_equal(sqlite3_open_v2(g.db, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM audit WHERE action=?1", -1, &st, NULL), SQLITE_OK);
    sqlite3_bind_text(st, 1, action, -1, SQLITE_STATIC);
    if (sqlite3_step(st) == SQLITE_ROW) n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

/* Read the server's first stdout line, waiting at most 10 s. */
static inline bool read_listening(char *line, size_t cap)
{
    size_t n = 0;
    struct timespec t0, t;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &t);
        long left = 10000 - (long)((t.tv_sec - t0.tv_sec) * 1000 + (t.tv_nsec - t0.tv_nsec) / 1000000);
        if (left <= 0) return false;
        struct pollfd p = {.fd = g.out_fd, .events = POLLIN};
        int pr = poll(&p, 1, (int)left);
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) return false;
        char ch;
        ssize_t k = read(g.out_fd, &ch, 1);
        if (k <= 0) return false;
        if (ch == '\n') break;
        if (n + 1 < cap) line[n++] = ch;
    }
    line[n] = '\0';
    return true;
}

/* Make a scratch directory, let build_store() fill g.db, start
 * `$CTWATCH_BIN serve` on port 0 with the given --max-body and read its
 * port. 0, or -1 with the reason on stderr. */
/* api_server_start with the serve option "--threads N" (connection
 * threads), for a suite that needs to know how many there are. */
static inline int api_server_start_threads(void (*build_store)(void), size_t max_body, unsigned threads);

static inline int api_server_start(void (*build_store)(void), size_t max_body)
{
    return api_server_start_threads(build_store, max_body, 0);
}

/* threads 0: the server's default. */
static inline int api_server_start_threads(void (*build_store)(void), size_t max_body, unsigned threads)
{
    const char *bin = getenv("CTWATCH_BIN");
    if (!bin || !*bin) {
        fprintf(stderr, "CTWATCH_BIN is not set (the path of build/bin/ctwatch)\n");
        return -1;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    g.dir = ctw_test_tmpdir();
    snprintf(g.db, sizeof g.db, "%s/ctwatch.db", g.dir);
    snprintf(g.log, sizeof g.log, "%s/access.log", g.dir);
    build_store();
    api_make_analyst();

    int fds[2];
    if (pipe(fds) != 0) return -1;
    pid_t pid = fork();
    if (pid < 0) return -1;
    if (pid == 0) {
        /* stderr to a file: the server's own messages (e.g. about the
         * refused 64 KB header) are not test output; shown on failure */
        char errpath[700];
        snprintf(errpath, sizeof errpath, "%s/server.err", g.dir);
        int efd = open(errpath, O_WRONLY | O_CREAT | O_TRUNC, 0600);
        if (efd >= 0) dup2(efd, STDERR_FILENO);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        char maxb[32], nthreads[16];
        snprintf(maxb, sizeof maxb, "%zu", max_body);
        snprintf(nthreads, sizeof nthreads, "%u", threads);
        if (threads > 0)
            execl(bin, bin, "serve", "--db", g.db, "--listen", "127.0.0.1:0", "--access-log", g.log, "--max-body",
                  maxb, "--threads", nthreads, (char *)NULL);
        else
            execl(bin, bin, "serve", "--db", g.db, "--listen", "127.0.0.1:0", "--access-log", g.log, "--max-body",
                  maxb, (char *)NULL); /* the default threads and workers */
        _exit(127);
    }
    close(fds[1]);
    g.pid = pid;
    g.out_fd = fds[0];

    char line[256];
    if (!read_listening(line, sizeof line)) {
        fprintf(stderr, "server did not say it was listening within 10 s\n");
        return -1;
    }
    json_error_t je;
    json_t *j = json_loads(line, 0, &je);
    const char *hp = json_string_value(json_object_get(j, "listening"));
    const char *colon = hp ? strrchr(hp, ':') : NULL;
    if (!colon || strncmp(hp, "127.0.0.1:", 10) != 0) {
        fprintf(stderr, "bad listening line: %s\n", line);
        json_decref(j);
        return -1;
    }
    g.port = (unsigned)strtoul(colon + 1, NULL, 10);
    json_decref(j);
    if (g.port == 0) return -1;
    snprintf(g.base, sizeof g.base, "http://127.0.0.1:%u", g.port);
    return 0;
}

/* SIGTERM the server; -1 unless it exits 0 within 30 s (then it is killed:
 * a server that hangs on stop fails the suite rather than stalling it).
 * Removes the scratch directory. */
static inline int api_server_stop(void)
{
    int ok = 0;
    if (g.pid > 0) {
        kill(g.pid, SIGTERM);
        int st = 0;
        pid_t w = 0;
        for (int i = 0; i < 3000 && (w = waitpid(g.pid, &st, WNOHANG)) == 0; i++) {
            struct timespec ten_ms = {0, 10 * 1000 * 1000};
            nanosleep(&ten_ms, NULL);
        }
        if (w == 0) {
            fprintf(stderr, "server did not exit within 30 s of SIGTERM: killed\n");
            kill(g.pid, SIGKILL);
            waitpid(g.pid, &st, 0);
            ok = -1;
        } else if (w != g.pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
            fprintf(stderr, "server did not exit 0 on SIGTERM (status 0x%x)\n", st);
            ok = -1;
        }
        if (ok != 0) {
            char errpath[700];
            snprintf(errpath, sizeof errpath, "%s/server.err", g.dir);
            FILE *f = fopen(errpath, "r");
            char line[512];
            while (f && fgets(line, sizeof line, f)) fprintf(stderr, "server: %s", line);
            if (f) fclose(f);
        }
        close(g.out_fd);
    }
    if (g.dir) {
        ctw_test_rmdir(g.dir);
        free(g.dir);
    }
    curl_global_cleanup();
    return ok;
}

#endif
