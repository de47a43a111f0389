/* cmd_serve.c — `ctwatch serve`: run the HTTP API until SIGINT or SIGTERM.
 *
 *   ctwatch serve [--db PATH] [--listen ADDR:PORT] [--threads N] [--workers N]
 *                 [--max-body BYTES] [--access-log PATH|-|none] [--demo-banner]
 *                 [--web DIR|none]
 *
 * Once listening it prints one line on stdout, {"listening":"ADDR:PORT"},
 * which scripts and the API tests read to learn the port (with :0).
 * Signals are blocked before the server's threads start, so they inherit
 * the mask and only the main thread, waiting in sigwait(), ever sees them.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "ctwatch/access.h"
#include "ctwatch/http.h"
#include "ctwatch/store.h"

#define CMD "serve"

static void usage(FILE *f)
{
    fputs("usage: ctwatch serve [--db PATH] [--listen ADDR:PORT] [--threads N] [--workers N]\n"
          "                     [--max-body BYTES] [--access-log PATH|-|none] [--demo-banner]\n"
          "                     [--web DIR|none]\n"
          "  --listen       address and port (default 127.0.0.1:8080; port 0 picks one)\n"
          "  --threads      connection threads, 1 to 256 (default: one per core)\n"
          "  --workers      threads that answer requests, 1 to 1024 (default 16)\n"
          "  --web          the web interface's files, served at / (default: web/dist of the\n"
          "                 checkout beside bin/, or share/ctwatch/web beside an installed bin/)\n"
          "  --access-log   JSON lines per request: a file, - for stdout, none (default stderr)\n",
          f);
}

/* Parse an unsigned decimal in [min, max] — the whole string. */
static bool parse_unsigned(const char *s, unsigned long long min, unsigned long long max,
                           unsigned long long *out)
{
    if (!s || !*s || *s == '-' || *s == '+') return false;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno != 0 || *end != '\0' || v < min || v > max) return false;
    *out = v;
    return true;
}

/* "127.0.0.1:8080" or "[::1]:8080" into addr (cap bytes) and port. */
static bool parse_listen(const char *s, char *addr, size_t cap, unsigned *port)
{
    const char *colon = strrchr(s, ':');
    if (!colon) return false;
    const char *a = s;
    size_t n = (size_t)(colon - s);
    if (n >= 2 && a[0] == '[' && a[n - 1] == ']') {
        a++;
        n -= 2;
    }
    if (n == 0 || n >= cap) return false;
    memcpy(addr, a, n);
    addr[n] = '\0';
    unsigned long long p;
    if (!parse_unsigned(colon + 1, 0, 65535, &p)) return false;
    *port = (unsigned)p;
    return true;
}

/* The web interface's files when --web is not given: found from the
 * program's own place, never the working directory, so that a checkout's
 * bin/ctwatch serves its web/dist and an installed /usr/bin/ctwatch
 * /usr/share/ctwatch/web. NULL when neither has an index.html. */
static const char *default_web_root(char *buf, size_t cap)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0) return NULL;
    exe[n] = '\0';
    char *slash = strrchr(exe, '/');
    if (!slash) return NULL;
    *slash = '\0'; /* the bin/ directory */
    static const char *const rel[] = {"../web/dist", "../share/ctwatch/web"};
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        char index[PATH_MAX + 64];
        struct stat st;
        int k = snprintf(index, sizeof index, "%s/%s/index.html", exe, rel[i]);
        if (k < 0 || (size_t)k >= sizeof index || (size_t)k - 11 >= cap) continue;
        if (stat(index, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        memcpy(buf, index, (size_t)k - 11);
        buf[k - 11] = '\0';
        return buf;
    }
    return NULL;
}

/* For a file target, say plainly when there is no store yet (opening
 * without CREATE would fail with a less helpful message). */
static bool store_file_missing(const char *target)
{
    if (strncmp(target, "postgresql:", 11) == 0 || strncmp(target, "postgres:", 9) == 0)
        return false;
    const char *path = strncmp(target, "sqlite:", 7) == 0 ? target + 7 : target;
    struct stat st;
    return stat(path, &st) != 0 && errno == ENOENT;
}

typedef struct first_id {
    char id[80];
} first_id;

static int take_first_person(void *ud, const ctw_record *r)
{
    first_id *f = ud;
    if (r->kind != CTW_KIND_PERSON || !r->id) return 0;
    snprintf(f->id, sizeof f->id, "%s", r->id);
    return 1; /* stop */
}

static void print_banner(ctw_store *s, const char *db, const char *url, bool web)
{
    first_id f = {{0}};
    ctw_store_iterate(s, ctw_principal_cli(), "un-sc", false, take_first_person, &f);
    if (!f.id[0]) ctw_store_iterate(s, ctw_principal_cli(), NULL, false, take_first_person, &f);

    fprintf(stderr,
            "\n"
            "  ctwatch is serving the watchlist API at %s\n"
            "  store: %s\n"
            "\n"
            "%s%s%s"
            "  Try (after signing in as printed above: every API call but /healthz needs\n"
            "  Authorization: Bearer TOKEN, here $TOKEN):\n"
            "    curl -s %s/healthz\n"
            "    curl -s -H \"Authorization: Bearer $TOKEN\" %s/api/v1/stats | jq .\n",
            url, db, web ? "  Web interface: open " : "", web ? url : "",
            web ? "/ in a browser and sign in with a user printed above.\n\n" : "", url, url);
    if (f.id[0])
        fprintf(stderr,
                "    curl -s -H \"Authorization: Bearer $TOKEN\" %s/api/v1/records/%s | jq .\n"
                "    ./bin/ctwatch show --db %s %s\n",
                url, f.id, db, f.id);
    else
        fputs("    (the store has no records yet: run ctwatch import)\n", stderr);
    fprintf(stderr,
            "    curl -s -H \"Authorization: Bearer $TOKEN\" -XPOST %s/api/v1/screen -d '{\"name\":\"Emran Ali\",\"dob\":\"1967-07-04\"}' | jq .\n"
            "    ./bin/ctwatch screen --db %s --name 'أسامة بن لادن'\n"
            "\n"
            "  At the border (the demo loaded tests/data/travel/documents.csv and one risk rule):\n"
            "    curl -s -H \"Authorization: Bearer $TOKEN\" -XPOST %s/api/v1/documents/check -d '{\"state\":\"UTO\",\"number\":\"L898902C3\"}' | jq .\n"
            "    curl -s -H \"Authorization: Bearer $TOKEN\" -XPOST %s/api/v1/manifests --data-binary @tests/data/travel/manifest_af1234.json | jq .summary\n"
            "    curl -s -H \"Authorization: Bearer $TOKEN\" -XPOST %s/api/v1/manifests --data-binary @tests/data/travel/gtas/apis/gtas-loader__Test1.txt | jq .summary\n",
            url, db, url, url, url);
    fputs("\n  Stop with Ctrl-C.\n\n", stderr);
}

int ctw_cmd_serve(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},
        {"listen", required_argument, NULL, 'l'},
        {"threads", required_argument, NULL, 't'},
        {"workers", required_argument, NULL, 'W'},
        {"max-body", required_argument, NULL, 'b'},
        {"access-log", required_argument, NULL, 'a'},
        {"demo-banner", no_argument, NULL, 'B'},
        {"web", required_argument, NULL, 'w'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    const char *db = NULL;
    const char *listen = "127.0.0.1:8080";
    const char *log_path = NULL;
    const char *web = NULL;
    char web_buf[PATH_MAX + 32];
    bool banner = false;
    unsigned long long threads = 0, workers = 0, max_body = 0;
    char addr[64];
    unsigned port = 0;
    int c;

    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': listen = optarg; break;
        case 'a': log_path = optarg; break;
        case 'B': banner = true; break;
        case 'w': web = optarg; break;
        case 't':
            if (!parse_unsigned(optarg, 1, 256, &threads)) {
                ctw_cli_error(CMD, "--threads: expected 1 to 256, got '%s'", optarg);
                return 2;
            }
            break;
        case 'W':
            if (!parse_unsigned(optarg, 1, 1024, &workers)) {
                ctw_cli_error(CMD, "--workers: expected 1 to 1024, got '%s'", optarg);
                return 2;
            }
            break;
        case 'b':
            if (!parse_unsigned(optarg, 1, (unsigned long long)1 << 32, &max_body)) {
                ctw_cli_error(CMD, "--max-body: expected a number of bytes, got '%s'", optarg);
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind < argc) {
        ctw_cli_error(CMD, "unexpected argument '%s'", argv[optind]);
        usage(stderr);
        return 2;
    }
    if (!parse_listen(listen, addr, sizeof addr, &port)) {
        ctw_cli_error(CMD, "--listen: expected ADDR:PORT, got '%s'", listen);
        return 2;
    }
    if (!db) db = ctw_store_default_target();
    if (!web) web = default_web_root(web_buf, sizeof web_buf);
    else if (strcmp(web, "none") == 0) web = NULL;

    if (store_file_missing(db)) {
        ctw_cli_error(CMD, "no store at %s; run ctwatch init", db);
        return 1;
    }
    /* Open once here: a missing or unmigratable store fails now, clearly,
     * rather than as 500s later. Workers open their own handles. */
    ctw_store *store = ctw_cli_open_store(CMD, db, false);
    if (!store) return 1;
    if (ctw_store_schema_version(store) != ctw_store_schema_latest()) {
        ctw_cli_error(CMD, "store %s has schema %d, this build needs %d; run ctwatch init", db,
                      ctw_store_schema_version(store), ctw_store_schema_latest());
        ctw_store_close(store);
        return 1;
    }

    FILE *log = stderr;
    bool log_owned = false;
    if (log_path && strcmp(log_path, "none") == 0) {
        log = NULL;
    } else if (log_path && strcmp(log_path, "-") == 0) {
        log = stdout;
    } else if (log_path) {
        log = fopen(log_path, "a");
        if (!log) {
            ctw_cli_error(CMD, "cannot open access log %s: %s", log_path, strerror(errno));
            ctw_store_close(store);
            return 1;
        }
        log_owned = true;
    }

    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);

    ctw_http_config cfg = {
        .store_target = db,
        .address = addr,
        .port = port,
        .threads = (unsigned)threads,
        .workers = (unsigned)workers,
        .max_body = (size_t)max_body,
        .access_log = log,
        .web_root = web,
    };
    ctw_http_server *srv = NULL;
    ctw_error err = {0};
    int status = 1;
    if (ctw_http_start(&cfg, &srv, &err) != 0) {
        ctw_cli_report(CMD, &err);
        goto out_close;
    }

    char hostport[96], url[128];
    bool v6 = strchr(addr, ':') != NULL;
    snprintf(hostport, sizeof hostport, "%s%s%s:%u", v6 ? "[" : "", addr, v6 ? "]" : "",
             ctw_http_port(srv));
    snprintf(url, sizeof url, "http://%s", hostport);
    printf("{\"listening\":\"%s\"}\n", hostport);
    fflush(stdout);
    if (banner) print_banner(store, db, url, web != NULL);

    int sig = 0;
    while (sigwait(&stop, &sig) != 0) {
    }
    ctw_http_stop(srv);
    status = 0;

out_close:
    ctw_store_close(store);
    if (log_owned) fclose(log);
    return status;
}
