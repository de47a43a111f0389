/* ctw_bench.c — the screening benchmark behind `make bench` (DESIGN.md §8).
 *
 * One program, one subcommand per part; bench/run.sh drives them and the
 * peers (PostgreSQL, wrk) and then asks `report` for bench/RESULTS.md.
 *
 *   ctw_bench lists   DATA YENTE OUT.json            1. in-process, UN + OFAC
 *   ctw_bench pg      DATA YENTE CONNINFO OUT.json   2. PostgreSQL peer, same list and queries
 *   ctw_bench synth   YENTE N OUT.json               3. N synthetic persons (seed 1)
 *   ctw_bench wrk-lua YENTE SET OUT.lua              4. the wrk script: SET queries (parts 1-2's) or hit-heavy
 *   ctw_bench free-port                              a free 127.0.0.1 port, printed
 *   ctw_bench report  DIR OUT.md                     RESULTS.md from DIR/{lists,pg,synth,http}.json
 *
 * DATA is tests/data; YENTE is the folder of the yente candidate-generation
 * fixtures (eval data, read in place from ../shared, never copied).
 *
 * The query set of parts 1 and 2 is the 683 typo'd UN names (treated file,
 * with their birth date and nationality) and the first 10,000 names of the
 * global negatives, shuffled together once with a fixed seed. The truth of
 * positive i is every UN or OFAC record with a name equal, after ctw_text_fold, to
 * the clean name on row i of the untreated file.
 *
 * Each part first runs every query once (warm-up, and the recall figures),
 * then loops over the shuffled set timing each query with clock_gettime
 * until BENCH_SECONDS (default 5) have passed; PostgreSQL gets
 * BENCH_PG_SECONDS (default 30) over the same order, stopping early at the
 * end of the set. Latencies are sorted; percentiles are nearest-rank.
 */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <math.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>

#include <jansson.h>
#include <libpq-fe.h>

#include "ctwatch/error.h"
#include "ctwatch/import.h"
#include "ctwatch/match.h"
#include "ctwatch/record.h"
#include "ctwatch/synth.h"
#include "ctwatch/text.h"

#define YENTE_POS_TREATED   "candidate_generation_benchmark_fixtures_positives_un_treated.csv"
#define YENTE_POS_UNTREATED "candidate_generation_benchmark_fixtures_positives_un_untreated.csv"
#define YENTE_NEG_GLOBAL    "candidate_generation_benchmark_fixtures_negatives_global.csv"
#define N_NEGATIVES         10000
#define N_FRESH             20000   /* further negatives, each screened once (ctw_fresh_stream) */
#define SHUFFLE_SEED        20260227u
#define SYNTH_SEED          1u
#define SYNTH_CHUNK         10000u  /* persons per generate/parse round */
#define SYNTH_EVERY         100u    /* every 100th person gives a query */
#define SYNTH_NEG_PASS      2000u   /* negatives screened for the false-hit figures */
#define FOLD_CAP            (4 * CTW_TEXT_MAX_INPUT + 16)

/* The PostgreSQL peer: best effort on the same names. A trigram match (GIN
 * index) or the same Double Metaphone code (expression index), the best
 * trigram similarity per record. Ties are broken by a hash of the id, so
 * neither source wins them systematically. */
#define PG_THRESHOLD "0.3"
#define PG_SQL                                                                      \
    "SELECT record_id, max(similarity(name, $1)) AS s FROM names "                  \
    "WHERE person AND (name % $1 OR (dmetaphone($1) <> '' AND dmetaphone(name) = dmetaphone($1))) " \
    "GROUP BY record_id ORDER BY s DESC, md5(record_id) LIMIT 10"

/* ---- small helpers ------------------------------------------------------ */

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ctw_bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) die("out of memory");
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = xmalloc(n);
    memcpy(d, s, n);
    return d;
}

static char *xjoin(const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *d = xmalloc(la + lb + 1);
    memcpy(d, a, la);
    memcpy(d + la, b, lb + 1);
    return d;
}

static double env_double(const char *name, double dflt)
{
    const char *v = getenv(name);
    if (!v || !*v) return dflt;
    char *end;
    errno = 0;
    double d = strtod(v, &end);
    if (errno || *end || !(d > 0)) die("%s: expected a positive number, got '%s'", name, v);
    return d;
}

static uint64_t splitmix64(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

/* kB value of a "Key:   123 kB" line of /proc/self/status, or -1. */
static long proc_status_kb(const char *key)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f) return -1;
    char line[256];
    long v = -1;
    size_t kl = strlen(key);
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, key, kl) == 0 && line[kl] == ':') {
            v = strtol(line + kl + 1, NULL, 10);
            break;
        }
    }
    fclose(f);
    return v;
}

static char *path_join(const char *dir, const char *file)
{
    size_t n = strlen(dir) + strlen(file) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", dir, file);
    return p;
}

static char *slurp(const char *path, size_t *len)
{
    ctw_error err = {0};
    char *buf = NULL;
    int rc = ctw_read_file(path, CTW_IMPORT_MAX_FILE, &buf, len, &err);
    if (rc) die("%s: %s (%s)", path, err.message[0] ? err.message : ctw_strerror(rc), err.where);
    return buf;
}

static void write_json(json_t *o, const char *path)
{
    if (json_dump_file(o, path, JSON_INDENT(2) | JSON_SORT_KEYS) != 0) die("cannot write %s", path);
}

/* ---- CSV (RFC 4180: quotes, doubled quotes, newlines inside quotes) ----- */

typedef struct csv_row {
    char *name, *dob, *nat, *gender;
} csv_row;

typedef struct csv_rows {
    csv_row *v;
    size_t n;
} csv_rows;

/* Parse one field starting at *p; returns a new string, advances *p past
 * the field (to the ',' or end of line), sets *eol when the record ends. */
static char *csv_field(const char **p, const char *end, bool *eol)
{
    const char *s = *p;
    size_t cap = 64, n = 0;
    char *out = xmalloc(cap);
    bool quoted = s < end && *s == '"';
    if (quoted) s++;
    while (s < end) {
        char c = *s;
        if (quoted) {
            if (c == '"') {
                if (s + 1 < end && s[1] == '"') {
                    s += 2;
                    c = '"';
                } else {
                    quoted = false;
                    s++;
                    continue;
                }
            } else {
                s++;
            }
        } else {
            if (c == ',' || c == '\n' || c == '\r') break;
            s++;
        }
        if (n + 2 > cap) out = xrealloc(out, cap *= 2);
        out[n++] = c;
    }
    out[n] = '\0';
    *eol = true;
    if (s < end && *s == ',') {
        *eol = false;
        s++;
    } else {
        if (s < end && *s == '\r') s++;
        if (s < end && *s == '\n') s++;
    }
    *p = s;
    return out;
}

/* Read a yente fixture: full_name, date_of_birth, nationality by header. */
static csv_rows csv_read(const char *path, size_t max_rows)
{
    size_t len;
    char *buf = slurp(path, &len);
    const char *p = buf, *end = buf + len;
    csv_rows rows = {0};
    size_t cap = 0;
    int col_name = -1, col_dob = -1, col_nat = -1, col_gender = -1;
    bool header = true;
    while (p < end && rows.n < max_rows) {
        bool eol = false;
        csv_row row = {0};
        for (int col = 0; !eol; col++) {
            char *f = csv_field(&p, end, &eol);
            if (header) {
                if (strcmp(f, "full_name") == 0) col_name = col;
                if (strcmp(f, "date_of_birth") == 0) col_dob = col;
                if (strcmp(f, "nationality") == 0) col_nat = col;
                if (strcmp(f, "gender") == 0) col_gender = col;
                free(f);
            } else if (col == col_name) row.name = f;
            else if (col == col_dob) row.dob = f;
            else if (col == col_nat) row.nat = f;
            else if (col == col_gender) row.gender = f;
            else free(f);
        }
        if (header) {
            if (col_name < 0) die("%s: no full_name column", path);
            header = false;
            continue;
        }
        if (!row.name) row.name = xstrdup("");
        if (rows.n == cap) rows.v = xrealloc(rows.v, (cap = cap ? cap * 2 : 1024) * sizeof *rows.v);
        rows.v[rows.n++] = row;
    }
    free(buf);
    return rows;
}

static void csv_rows_free(csv_rows *rows)
{
    for (size_t i = 0; i < rows->n; i++) {
        free(rows->v[i].name);
        free(rows->v[i].dob);
        free(rows->v[i].nat);
        free(rows->v[i].gender);
    }
    free(rows->v);
    *rows = (csv_rows){0};
}

static size_t dobs_dropped; /* fixture dates the query API would refuse */

/* A birth date the query API takes (YYYY, YYYY-MM, YYYY-MM-DD, a real
 * calendar date), else NULL: the typo'd fixtures hold dates such as
 * 1948-13-16, which the API refuses; a client would send the name alone. */
static const char *clean_dob(const char *s)
{
    if (!s || !*s) return NULL;
    size_t n = strlen(s);
    if (n != 4 && n != 7 && n != 10) goto bad;
    for (size_t i = 0; i < n; i++) {
        bool dash = i == 4 || i == 7;
        if (dash ? s[i] != '-' : (s[i] < '0' || s[i] > '9')) goto bad;
    }
    int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
    if (n >= 7) {
        int m = (s[5] - '0') * 10 + (s[6] - '0');
        if (m < 1 || m > 12) goto bad;
        if (n == 10) {
            static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
            int d = (s[8] - '0') * 10 + (s[9] - '0');
            bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
            if (d < 1 || d > mdays[m - 1] || (m == 2 && d == 29 && !leap)) goto bad;
        }
    }
    return s;
bad:
    dobs_dropped++;
    return NULL;
}

static const char *nonempty(const char *s)
{
    return s && *s ? s : NULL;
}

/* ---- queries ------------------------------------------------------------- */

typedef struct query {
    const char *name, *dob, *nat;
    long pos;            /* index of the positive it is, -1 for a negative */
} query;

typedef struct query_set {
    query *v;
    size_t n;
    size_t npos, nneg;
} query_set;

static void shuffle(query *v, size_t n, uint64_t seed)
{
    uint64_t s = seed;
    for (size_t i = n; i > 1; i--) {
        size_t j = (size_t)(splitmix64(&s) % i);
        query t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

/* ---- latency ------------------------------------------------------------ */

typedef struct lat {
    uint64_t *v;
    size_t n, cap;
} lat;

static void lat_add(lat *l, uint64_t ns)
{
    if (l->n == l->cap) l->v = xrealloc(l->v, (l->cap = l->cap ? l->cap * 2 : 65536) * sizeof *l->v);
    l->v[l->n++] = ns;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Nearest rank, in microseconds. */
static double lat_pct_us(const lat *l, double p)
{
    if (!l->n) return 0;
    size_t r = (size_t)ceil(p * (double)l->n);
    if (r < 1) r = 1;
    if (r > l->n) r = l->n;
    return (double)l->v[r - 1] / 1000.0;
}

static json_t *lat_json(lat *l, uint64_t elapsed_ns)
{
    qsort(l->v, l->n, sizeof *l->v, cmp_u64);
    double secs = (double)elapsed_ns / 1e9;
    return json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f}",
                     "queries", (json_int_t)l->n, "seconds", secs,
                     "qps", secs > 0 ? (double)l->n / secs : 0.0,
                     "p50_us", lat_pct_us(l, 0.50), "p99_us", lat_pct_us(l, 0.99),
                     "p999_us", lat_pct_us(l, 0.999), "max_us", lat_pct_us(l, 1.0),
                     "mean_us", l->n ? (double)elapsed_ns / 1000.0 / (double)l->n : 0.0);
}

/* ---- loading the UN and OFAC lists -------------------------------------- */

typedef struct pair {
    char *id, *s;
    bool person;          /* the name is a person's (PostgreSQL filters on it as ctwatch does) */
} pair;

typedef struct pairs {
    pair *v;
    size_t n, cap;
} pairs;

static void pairs_add(pairs *p, const char *id, const char *s)
{
    if (p->n == p->cap) p->v = xrealloc(p->v, (p->cap = p->cap ? p->cap * 2 : 4096) * sizeof *p->v);
    p->v[p->n].id = xstrdup(id);
    p->v[p->n].s = xstrdup(s);
    p->n++;
}

static void pairs_add_kind(pairs *p, const char *id, const char *s, bool person)
{
    pairs_add(p, id, s);
    p->v[p->n - 1].person = person;
}

static void pairs_free(pairs *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->v[i].id);
        free(p->v[i].s);
    }
    free(p->v);
    memset(p, 0, sizeof *p);
}

/* The folded form of s into out (FOLD_CAP bytes); false if it cannot fold. */
static bool fold(const char *s, char *out)
{
    size_t n;
    return ctw_text_fold(s, strlen(s), out, FOLD_CAP, &n) == 0 && n > 0;
}

typedef struct load_ctx {
    const char *prefix;       /* id prefix: "un:" or "ofac:" */
    ctw_match_builder *b;     /* add here (timed), or NULL */
    uint64_t add_ns;
    size_t records, names;
    pairs *all_names;         /* (id, name) of every name, for PostgreSQL, or NULL */
    pairs *folded;            /* (id, folded name) of every name, or NULL */
    int rc;
    char foldbuf[FOLD_CAP];
} load_ctx;

static int load_sink(void *ud, ctw_record *r)
{
    load_ctx *c = ud;
    int rc = 0;
    if (!r->source_id) {
        fprintf(stderr, "ctw_bench: a %s record without source id\n", c->prefix);
        rc = CTW_EINVAL;
        goto out;
    }
    char *id = xjoin(c->prefix, r->source_id);
    r->id = ctw_record_str(r, id);
    if (!r->id) {
        free(id);
        rc = CTW_ENOMEM;
        goto out;
    }
    for (size_t i = 0; i < r->names.n; i++) {
        const char *full = r->names.v[i].full;
        if (!full) continue;
        if (c->all_names) pairs_add_kind(c->all_names, id, full, r->kind == CTW_KIND_PERSON);
        if (c->folded && fold(full, c->foldbuf)) pairs_add(c->folded, id, c->foldbuf);
        /* OFAC writes "DALE, Anders Cameroon Ostensvig": its twin of the UN's
         * "ANDERS CAMEROON OSTENSVIG DALE" is the same person, in the truth too */
        const char *comma = strchr(full, ',');
        if (c->folded && comma && !strchr(comma + 1, ',')) {
            size_t cap = strlen(full) + 2;
            char *turned = xmalloc(cap);
            snprintf(turned, cap, "%s %.*s", comma + 1, (int)(comma - full), full);
            if (fold(turned, c->foldbuf)) pairs_add(c->folded, id, c->foldbuf);
            free(turned);
        }
    }
    free(id);
    c->records++;
    c->names += r->names.n;
    if (c->b) {
        uint64_t t0 = now_ns();
        rc = ctw_match_builder_add(c->b, r);
        c->add_ns += now_ns() - t0;
        if (rc) fprintf(stderr, "ctw_bench: builder_add %s: %s\n", r->id, ctw_strerror(rc));
    }
out:
    ctw_record_free(r);
    if (rc) c->rc = rc;
    return rc;
}

typedef struct lists {
    size_t un_records, ofac_records, names;
    uint64_t parse_ns, add_ns;
} lists;

/* Read the UN XML and the OFAC CSVs under data into the ctx's sinks. */
static lists load_lists(const char *data, ctw_match_builder *b, pairs *all_names, pairs *un_folded)
{
    lists L = {0};
    ctw_error err = {0};
    uint64_t t0 = now_ns();

    char *un_path = path_join(data, "un/consolidated-2026-02-27.xml");
    size_t un_len;
    char *un = slurp(un_path, &un_len);
    load_ctx *c = calloc(1, sizeof *c);
    if (!c) die("out of memory");
    *c = (load_ctx){.prefix = "un:", .b = b, .all_names = all_names, .folded = un_folded};
    int rc = ctw_un_xml_read_mem(un, un_len, un_path, load_sink, c, &err);
    if (rc || c->rc) die("UN list: %s %s", err.where, err.message[0] ? err.message : ctw_strerror(rc));
    L.un_records = c->records;
    L.names += c->names;
    L.add_ns += c->add_ns;
    free(un);
    free(un_path);

    const char *files[3] = {"ofac/sdn.csv", "ofac/alt.csv", "ofac/add.csv"};
    char *paths[3], *bufs[3];
    size_t lens[3];
    for (int i = 0; i < 3; i++) {
        paths[i] = path_join(data, files[i]);
        bufs[i] = slurp(paths[i], &lens[i]);
    }
    /* an OFAC record with the same name is the same person listed twice:
     * it belongs to the truth as much as the UN record does */
    *c = (load_ctx){.prefix = "ofac:", .b = b, .all_names = all_names, .folded = un_folded};
    rc = ctw_ofac_csv_read_mem(bufs[0], lens[0], paths[0], bufs[1], lens[1], paths[1], bufs[2], lens[2],
                               paths[2], load_sink, c, &err);
    if (rc || c->rc) die("OFAC list: %s %s", err.where, err.message[0] ? err.message : ctw_strerror(rc));
    L.ofac_records = c->records;
    L.names += c->names;
    L.add_ns += c->add_ns;
    for (int i = 0; i < 3; i++) {
        free(paths[i]);
        free(bufs[i]);
    }
    free(c);
    L.parse_ns = now_ns() - t0 - L.add_ns;
    return L;
}

/* ---- the UN query set and its truth ------------------------------------- */

typedef struct un_queries {
    query_set qs;                /* shuffled positives and negatives */
    csv_rows treated, untreated, negatives;
    char ***truth;               /* per positive: NULL-terminated UN and OFAC record ids */
    size_t no_truth;             /* positives whose clean name matches no listed name */
} un_queries;

static bool in_truth(char **truth, const char *id)
{
    for (size_t i = 0; truth && truth[i]; i++)
        if (strcmp(truth[i], id) == 0) return true;
    return false;
}

static un_queries un_queries_load(const char *yente, const pairs *un_folded)
{
    un_queries U = {0};
    char *p;
    U.treated = csv_read(p = path_join(yente, YENTE_POS_TREATED), SIZE_MAX), free(p);
    U.untreated = csv_read(p = path_join(yente, YENTE_POS_UNTREATED), SIZE_MAX), free(p);
    U.negatives = csv_read(p = path_join(yente, YENTE_NEG_GLOBAL), N_NEGATIVES), free(p);
    if (U.treated.n != U.untreated.n)
        die("treated (%zu) and untreated (%zu) positives are not row-aligned", U.treated.n, U.untreated.n);

    U.truth = calloc(U.treated.n, sizeof *U.truth);
    if (!U.truth) die("out of memory");
    char *want = xmalloc(FOLD_CAP);
    for (size_t i = 0; i < U.untreated.n; i++) {
        size_t n = 0;
        char **t = NULL;
        if (fold(U.untreated.v[i].name, want)) {
            for (size_t k = 0; k < un_folded->n; k++) {
                if (strcmp(un_folded->v[k].s, want) != 0 || in_truth(t, un_folded->v[k].id)) continue;
                t = xrealloc(t, (n + 2) * sizeof *t);
                t[n++] = un_folded->v[k].id;
                t[n] = NULL;
            }
        }
        U.truth[i] = t;
        if (!n) U.no_truth++;
    }
    free(want);

    U.qs.npos = U.treated.n;
    U.qs.nneg = U.negatives.n;
    U.qs.n = U.qs.npos + U.qs.nneg;
    U.qs.v = xmalloc(U.qs.n * sizeof *U.qs.v);
    for (size_t i = 0; i < U.treated.n; i++) {
        csv_row *r = &U.treated.v[i];
        U.qs.v[i] = (query){r->name, clean_dob(r->dob), nonempty(r->nat), (long)i};
    }
    for (size_t i = 0; i < U.negatives.n; i++) {
        csv_row *r = &U.negatives.v[i];
        U.qs.v[U.qs.npos + i] = (query){r->name, clean_dob(r->dob), nonempty(r->nat), -1};
    }
    shuffle(U.qs.v, U.qs.n, SHUFFLE_SEED);
    return U;
}

/* ---- screening with ctwatch --------------------------------------------- */

typedef struct result {
    bool ok;
    char top[128];       /* record id of the best hit, "" if none */
    bool at1;            /* the best hit is true */
    bool tie1;           /* a true hit has the best score (ties shared) */
    bool in10;           /* a true record among the hits */
    size_t ntop;         /* hits sharing the best score */
    size_t nhits;
    double top_score;
} result;

/* Screen one query; the hits' record ids go through check for recall@10. */
static result ctw_screen_one(const ctw_match_index *ix, const query *q, bool with_attrs, char **truth)
{
    result res = {0};
    ctw_screen_query sq = {0};
    sq.name = q->name;
    sq.schema = "Person"; /* the queries are people, as a border check knows */
    if (with_attrs) {
        sq.dob = q->dob;
        sq.nationality = q->nat;
    }
    json_t *hits = NULL;
    ctw_error err = {0};
    int rc = ctw_match_screen(ix, ctw_principal_cli(), &sq, &hits, &err);
    if (rc != 0) {
        static unsigned shown;
        if (shown++ < 5)
            fprintf(stderr, "ctw_bench: query \"%s\" dob=%s nat=%s: %s (%s)\n", q->name, sq.dob ? sq.dob : "-",
                    sq.nationality ? sq.nationality : "-", ctw_strerror(rc), err.message);
        return res;
    }
    res.ok = true;
    res.nhits = json_array_size(hits);
    for (size_t i = 0; i < res.nhits; i++) {
        json_t *h = json_array_get(hits, i);
        const char *id = json_string_value(json_object_get(h, "record"));
        if (!id) continue;
        double score = json_number_value(json_object_get(h, "score"));
        if (i == 0) {
            snprintf(res.top, sizeof res.top, "%s", id);
            res.top_score = score;
        }
        if (score == res.top_score) res.ntop++;
        if (truth && in_truth(truth, id)) {
            res.in10 = true;
            if (i == 0) res.at1 = true;
            if (score == res.top_score) res.tie1 = true;
        }
    }
    json_decref(hits);
    return res;
}

/* Timed loop over qs (whole set repeated) until min_ns have passed and at
 * least TIMED_MIN_QUERIES were screened, so that a slow index still gives a
 * p99 worth the name; but never past TIMED_MAX_FACTOR * min_ns. */
#define TIMED_MIN_QUERIES 1000u
#define TIMED_MAX_FACTOR  12u
static json_t *ctw_timed(const ctw_match_index *ix, const query_set *qs, uint64_t min_ns, size_t *errors)
{
    lat l = {0};
    uint64_t start = now_ns(), t = start;
    for (size_t i = 0; t - start < min_ns || (l.n < TIMED_MIN_QUERIES && t - start < TIMED_MAX_FACTOR * min_ns);
         i = (i + 1) % qs->n) {
        const query *q = &qs->v[i];
        ctw_screen_query sq = {.name = q->name, .dob = q->dob, .nationality = q->nat, .schema = "Person"};
        json_t *hits = NULL;
        ctw_error err = {0};
        uint64_t t0 = now_ns();
        int rc = ctw_match_screen(ix, ctw_principal_cli(), &sq, &hits, &err);
        json_decref(hits);
        t = now_ns();
        if (rc) (*errors)++;
        lat_add(&l, t - t0);
    }
    json_t *o = lat_json(&l, t - start);
    free(l.v);
    return o;
}

/* The next N_FRESH names of negatives_global after the query set's, never
 * screened in this process, each screened once as a border's stream
 * would bring them: the memos hold what earlier traffic (the query set)
 * brought, and every name is new. How often its words were in the memos
 * says how far the replayed loop's figure is from such a stream. */
static json_t *ctw_fresh_stream(const ctw_match_index *ix, const char *yente, size_t *errors)
{
    char *p = path_join(yente, YENTE_NEG_GLOBAL);
    csv_rows rows = csv_read(p, N_NEGATIVES + N_FRESH);
    free(p);
    if (rows.n <= N_NEGATIVES) die("negatives_global: fewer than %d rows", N_NEGATIVES + 1);
    ctw_text_word_memo_stats w0, w1;
    ctw_match_index_stats m0 = {0}, m1 = {0};
    ctw_text_word_memo_stats_get(&w0);
    ctw_match_index_stats_get(ix, &m0);
    lat l = {0};
    uint64_t start = now_ns();
    for (size_t i = N_NEGATIVES; i < rows.n; i++) {
        const csv_row *r = &rows.v[i];
        ctw_screen_query sq = {.name = r->name, .dob = clean_dob(r->dob), .nationality = nonempty(r->nat),
                               .schema = "Person"};
        json_t *hits = NULL;
        ctw_error err = {0};
        uint64_t t0 = now_ns();
        int rc = ctw_match_screen(ix, ctw_principal_cli(), &sq, &hits, &err);
        lat_add(&l, now_ns() - t0);
        json_decref(hits);
        if (rc) (*errors)++;
    }
    json_t *o = lat_json(&l, now_ns() - start);
    free(l.v);
    ctw_text_word_memo_stats_get(&w1);
    ctw_match_index_stats_get(ix, &m1);
    uint64_t looks = (w1.hits - w0.hits) + (w1.misses - w0.misses);
    json_object_set_new(o, "word_memo_hit", json_real(looks ? (double)(w1.hits - w0.hits) / (double)looks : 0));
    json_object_set_new(o, "unlisted_words_before", json_integer((json_int_t)m0.memo_unlisted_words));
    json_object_set_new(o, "unlisted_words_added",
                        json_integer((json_int_t)(m1.memo_unlisted_words - m0.memo_unlisted_words)));
    csv_rows_free(&rows);
    return o;
}

static json_t *host_json(void)
{
    struct utsname u;
    char sys[512] = "?";
    if (uname(&u) == 0) snprintf(sys, sizeof sys, "%s %s %s", u.sysname, u.release, u.machine);
    cpu_set_t set;
    long ncpu = sched_getaffinity(0, sizeof set, &set) == 0 ? CPU_COUNT(&set) : sysconf(_SC_NPROCESSORS_ONLN);
    char model[256] = "?";
    FILE *f = fopen("/proc/cpuinfo", "r");
    if (f) {
        char line[512];
        while (fgets(line, sizeof line, f)) {
            if (strncmp(line, "model name", 10) == 0) {
                char *c = strchr(line, ':');
                if (c) {
                    c++;
                    while (*c == ' ' || *c == '\t') c++;
                    c[strcspn(c, "\n")] = '\0';
                    snprintf(model, sizeof model, "%s", c);
                }
                break;
            }
        }
        fclose(f);
    }
    return json_pack("{s:s, s:I, s:s}", "uname", sys, "nproc", (json_int_t)ncpu, "cpu", model);
}

static json_t *index_json(const ctw_match_index *ix)
{
    ctw_match_index_stats st = {0};
    ctw_match_index_stats_get(ix, &st);
    return json_pack("{s:I, s:I, s:I, s:I, s:I}", "records", (json_int_t)st.records, "names",
                     (json_int_t)st.names, "tokens", (json_int_t)st.tokens, "keys", (json_int_t)st.keys,
                     "bytes", (json_int_t)st.bytes);
}

static json_t *rss_json(void)
{
    malloc_trim(0); /* what the process still holds, not freed-but-cached heap */
    return json_pack("{s:I, s:I}", "vmrss_kb", (json_int_t)proc_status_kb("VmRSS"), "vmhwm_kb",
                     (json_int_t)proc_status_kb("VmHWM"));
}

static int cmd_lists(const char *data, const char *yente, const char *out)
{
    json_t *o = json_object();
    json_object_set_new(o, "rss_start", rss_json());

    pairs un_folded = {0};
    ctw_match_builder *b = ctw_match_builder_new();
    if (!b) die("ctw_match_builder_new failed");
    lists L = load_lists(data, b, NULL, &un_folded);
    ctw_match_index *ix = NULL;
    uint64_t t0 = now_ns();
    int rc = ctw_match_builder_finish(b, &ix);
    uint64_t finish_ns = now_ns() - t0;
    if (rc) die("ctw_match_builder_finish: %s", ctw_strerror(rc));
    json_object_set_new(o, "un_records", json_integer((json_int_t)L.un_records));
    json_object_set_new(o, "ofac_records", json_integer((json_int_t)L.ofac_records));
    json_object_set_new(o, "list_names", json_integer((json_int_t)L.names));
    json_object_set_new(o, "parse_s", json_real((double)L.parse_ns / 1e9));
    json_object_set_new(o, "build_s", json_real((double)(L.add_ns + finish_ns) / 1e9));
    json_object_set_new(o, "index", index_json(ix));

    un_queries U = un_queries_load(yente, &un_folded);
    json_object_set_new(o, "rss_built", rss_json());
    json_object_set_new(o, "positives", json_integer((json_int_t)U.qs.npos));
    json_object_set_new(o, "negatives", json_integer((json_int_t)U.qs.nneg));
    json_object_set_new(o, "positives_without_truth", json_integer((json_int_t)U.no_truth));
    json_object_set_new(o, "dobs_dropped", json_integer((json_int_t)dobs_dropped));

    /* Warm-up pass over the whole set, which also gives the recall figures
     * (and how often a first-time stream finds its words in the word memo). */
    size_t r1 = 0, t1 = 0, r10 = 0, wide = 0, r1_name = 0, errors = 0, neg_hit = 0, neg_alert = 0;
    ctw_text_word_memo_stats wm0, wm1, wm2;
    ctw_text_word_memo_stats_get(&wm0);
    for (size_t i = 0; i < U.qs.n; i++) {
        const query *q = &U.qs.v[i];
        char **truth = q->pos >= 0 ? U.truth[q->pos] : NULL;
        result res = ctw_screen_one(ix, q, true, truth);
        if (!res.ok) errors++;
        if (q->pos >= 0) {
            r1 += res.at1;
            if (!res.tie1 && getenv("BENCH_SHOW_MISSES"))
                fprintf(stderr, "ctw_bench: miss: \"%s\" dob=%s nat=%s (clean \"%s\"): top %s %.3f\n", q->name,
                        q->dob ? q->dob : "-", q->nat ? q->nat : "-", U.untreated.v[q->pos].name,
                        res.top[0] ? res.top : "(none)", res.top_score);
            t1 += res.tie1;
            r10 += res.in10;
            wide += res.tie1 && !res.at1 && res.ntop > 2;
            result rn = ctw_screen_one(ix, q, false, truth);
            r1_name += rn.tie1;
        } else {
            if (res.nhits) neg_hit++;
            if (res.nhits && res.top_score >= CTW_MATCH_ALERT) neg_alert++;
        }
    }
    double np = (double)U.qs.npos;
    json_object_set_new(o, "recall1", json_real(np ? (double)t1 / np : 0));
    json_object_set_new(o, "recall1_strict", json_real(np ? (double)r1 / np : 0));
    json_object_set_new(o, "recall10", json_real(np ? (double)r10 / np : 0));
    json_object_set_new(o, "wide_ties", json_integer((json_int_t)wide));
    json_object_set_new(o, "recall1_name_only", json_real(np ? (double)r1_name / np : 0));
    json_object_set_new(o, "negatives_with_hit", json_integer((json_int_t)neg_hit));
    json_object_set_new(o, "negatives_with_alert", json_integer((json_int_t)neg_alert));

    uint64_t min_ns = (uint64_t)(env_double("BENCH_SECONDS", 5) * 1e9);
    ctw_text_word_memo_stats_get(&wm1);
    json_object_set_new(o, "timed", ctw_timed(ix, &U.qs, min_ns, &errors));
    ctw_text_word_memo_stats_get(&wm2);
    ctw_match_index_stats after = {0};
    ctw_match_index_stats_get(ix, &after);
    json_object_set_new(o, "memo_bytes", json_integer((json_int_t)after.memo_bytes));
    json_object_set_new(o, "memo_unlisted_words", json_integer((json_int_t)after.memo_unlisted_words));
    json_object_set_new(o, "fresh", ctw_fresh_stream(ix, yente, &errors));
    /* The timed loop replays the set, so every word is in the word memo by
     * then; a stream of names never seen finds fewer (the warm-up pass).
     * The same loop with the memo off shows what it is worth. */
    uint64_t first_look = (wm1.hits - wm0.hits) + (wm1.misses - wm0.misses);
    uint64_t timed_look = (wm2.hits - wm1.hits) + (wm2.misses - wm1.misses);
    json_object_set_new(o, "word_memo_first_pass_hit",
                        json_real(first_look ? (double)(wm1.hits - wm0.hits) / (double)first_look : 0));
    json_object_set_new(o, "word_memo_timed_hit",
                        json_real(timed_look ? (double)(wm2.hits - wm1.hits) / (double)timed_look : 0));
    json_object_set_new(o, "word_memo_words", json_integer((json_int_t)wm2.words));
    json_object_set_new(o, "word_memo_bytes", json_integer((json_int_t)wm2.bytes));
    ctw_text_word_memo_set(false);
    json_object_set_new(o, "timed_no_word_memo", ctw_timed(ix, &U.qs, min_ns, &errors));
    ctw_text_word_memo_set(true);
    json_object_set_new(o, "errors", json_integer((json_int_t)errors));
    json_object_set_new(o, "ok", json_true());
    write_json(o, out);
    json_decref(o);
    ctw_match_index_release(ix);
    pairs_free(&un_folded);
    return 0;
}

/* ---- the PostgreSQL peer -------------------------------------------------- */

static void pg_exec(PGconn *c, const char *sql)
{
    PGresult *r = PQexec(c, sql);
    ExecStatusType st = PQresultStatus(r);
    if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) die("PostgreSQL: %s: %s", sql, PQerrorMessage(c));
    PQclear(r);
}

/* Append s to the COPY text-format line, escaping what COPY treats specially. */
static void copy_escape(char **buf, size_t *n, size_t *cap, const char *s)
{
    for (; *s; s++) {
        if (*n + 3 > *cap) *buf = xrealloc(*buf, *cap = *cap * 2 + 64);
        char c = *s;
        if (c == '\\' || c == '\t' || c == '\n' || c == '\r') {
            (*buf)[(*n)++] = '\\';
            c = c == '\t' ? 't' : c == '\n' ? 'n' : c == '\r' ? 'r' : '\\';
        }
        (*buf)[(*n)++] = c;
    }
}

typedef struct pg_result {
    bool ok;
    bool at1, tie1, in10;  /* as in result */
    size_t ntop;
} pg_result;

static pg_result pg_screen(PGconn *c, const char *name, char **truth)
{
    pg_result res = {0};
    const char *vals[1] = {name};
    PGresult *r = PQexecPrepared(c, "screen", 1, vals, NULL, NULL, 0);
    if (PQresultStatus(r) == PGRES_TUPLES_OK) {
        res.ok = true;
        int n = PQntuples(r);
        const char *top_score = n ? PQgetvalue(r, 0, 1) : "";
        for (int i = 0; i < n; i++) {
            const char *id = PQgetvalue(r, i, 0);
            if (strcmp(PQgetvalue(r, i, 1), top_score) == 0) res.ntop++;
            if (truth && in_truth(truth, id)) {
                res.in10 = true;
                if (i == 0) res.at1 = true;
                if (strcmp(PQgetvalue(r, i, 1), top_score) == 0) res.tie1 = true;
            }
        }
    }
    PQclear(r);
    return res;
}

/* ---- ctwatch and PostgreSQL in alternation -------------------------------- */

/* The machine is shared: parts 1 and 2, a minute apart, can meet very
 * different neighbours (PostgreSQL's own rate moved by a third between two
 * runs of the same code). So the ratio is also measured in alternation:
 * PAIR_ROUNDS rounds, each on one slice of PAIR_SLICE queries of the set
 * (the next slice each round), timed on PostgreSQL once and on ctwatch
 * repeated for at least as long, the order of the two swapped every round;
 * the ratio of a round compares the two on the same queries within a few
 * seconds, and the median of the rounds' ratios is reported. */
#define PAIR_ROUNDS 7
#define PAIR_SLICE 1000

static double median_of(double *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && v[j - 1] > v[j]; j--) {
            double x = v[j];
            v[j] = v[j - 1];
            v[j - 1] = x;
        }
    return n == 0 ? NAN : n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

/* Queries/s of PostgreSQL over q[0..n), once. */
static double pg_slice_qps(PGconn *c, const query *q, size_t n, size_t *errors)
{
    uint64_t t0 = now_ns();
    for (size_t i = 0; i < n; i++) {
        const char *vals[1] = {q[i].name};
        PGresult *qr = PQexecPrepared(c, "screen", 1, vals, NULL, NULL, 0);
        if (PQresultStatus(qr) != PGRES_TUPLES_OK) (*errors)++;
        PQclear(qr);
    }
    return (double)n / ((double)(now_ns() - t0) / 1e9);
}

/* Queries/s of ctwatch over q[0..n), repeated for at least min_ns. */
static double ctw_slice_qps(const ctw_match_index *ix, const query *q, size_t n, uint64_t min_ns, size_t *errors)
{
    size_t done = 0;
    uint64_t t0 = now_ns(), t = t0;
    while (t - t0 < min_ns) {
        for (size_t i = 0; i < n; i++) {
            ctw_screen_query sq = {.name = q[i].name, .dob = q[i].dob, .nationality = q[i].nat, .schema = "Person"};
            json_t *hits = NULL;
            ctw_error err = {0};
            if (ctw_match_screen(ix, ctw_principal_cli(), &sq, &hits, &err) != 0) (*errors)++;
            json_decref(hits);
        }
        done += n;
        t = now_ns();
    }
    return (double)done / ((double)(t - t0) / 1e9);
}

static json_t *paired_rounds(PGconn *c, const ctw_match_index *ix, const query_set *qs, size_t *errors)
{
    /* the first pass over the set, as part 1's warm-up */
    ctw_slice_qps(ix, qs->v, qs->n, 0, errors);
    double ratio[PAIR_ROUNDS], cq[PAIR_ROUNDS], pq[PAIR_ROUNDS];
    json_t *rounds = json_array();
    size_t slice = qs->n < PAIR_SLICE ? qs->n : PAIR_SLICE;
    for (int r = 0; r < PAIR_ROUNDS; r++) {
        const query *q = qs->v + ((size_t)r * slice) % (qs->n - slice + 1);
        uint64_t t0 = now_ns();
        if (r % 2 == 0) {
            pq[r] = pg_slice_qps(c, q, slice, errors);
            cq[r] = ctw_slice_qps(ix, q, slice, now_ns() - t0, errors);
        } else {
            uint64_t pg_ns = (uint64_t)((double)slice / (pq[r - 1] > 0 ? pq[r - 1] : 1) * 1e9);
            cq[r] = ctw_slice_qps(ix, q, slice, pg_ns, errors);
            pq[r] = pg_slice_qps(c, q, slice, errors);
        }
        ratio[r] = pq[r] > 0 ? cq[r] / pq[r] : NAN;
        json_array_append_new(rounds, json_pack("{s:f,s:f,s:f}", "ctwatch_qps", cq[r], "pg_qps", pq[r], "ratio", ratio[r]));
    }
    json_t *o = json_pack("{s:i,s:i,s:o}", "rounds_n", PAIR_ROUNDS, "slice", (json_int_t)slice, "rounds", rounds);
    json_object_set_new(o, "median_ratio", json_real(median_of(ratio, PAIR_ROUNDS)));
    json_object_set_new(o, "median_ctwatch_qps", json_real(median_of(cq, PAIR_ROUNDS)));
    json_object_set_new(o, "median_pg_qps", json_real(median_of(pq, PAIR_ROUNDS)));
    return o;
}

static int cmd_pg(const char *data, const char *yente, const char *conninfo, const char *out)
{
    json_t *o = json_object();
    pairs all_names = {0}, un_folded = {0};
    /* ctwatch's index too, from the same reading, for the alternating rounds */
    ctw_match_builder *b = ctw_match_builder_new();
    if (!b) die("ctw_match_builder_new failed");
    lists L = load_lists(data, b, &all_names, &un_folded);
    ctw_match_index *ix = NULL;
    if (ctw_match_builder_finish(b, &ix) != 0) die("ctw_match_builder_finish failed");
    un_queries U = un_queries_load(yente, &un_folded);

    PGconn *c = PQconnectdb(conninfo);
    if (PQstatus(c) != CONNECTION_OK) die("PostgreSQL connect: %s", PQerrorMessage(c));
    PGresult *vr = PQexec(c, "SHOW server_version");
    json_object_set_new(o, "server_version",
                        json_string(PQresultStatus(vr) == PGRES_TUPLES_OK ? PQgetvalue(vr, 0, 0) : "?"));
    PQclear(vr);

    pg_exec(c, "SET client_min_messages = warning");
    uint64_t t0 = now_ns();
    pg_exec(c, "CREATE EXTENSION IF NOT EXISTS pg_trgm");
    pg_exec(c, "CREATE EXTENSION IF NOT EXISTS fuzzystrmatch");
    pg_exec(c, "DROP TABLE IF EXISTS names");
    pg_exec(c, "CREATE TABLE names (record_id text NOT NULL, name text NOT NULL, person boolean NOT NULL)");
    PGresult *r = PQexec(c, "COPY names (record_id, name, person) FROM STDIN");
    if (PQresultStatus(r) != PGRES_COPY_IN) die("COPY: %s", PQerrorMessage(c));
    PQclear(r);
    size_t cap = 1 << 16, n = 0;
    char *buf = xmalloc(cap);
    for (size_t i = 0; i < all_names.n; i++) {
        copy_escape(&buf, &n, &cap, all_names.v[i].id);
        if (n + 2 > cap) buf = xrealloc(buf, cap *= 2);
        buf[n++] = '\t';
        copy_escape(&buf, &n, &cap, all_names.v[i].s);
        if (n + 4 > cap) buf = xrealloc(buf, cap *= 2);
        buf[n++] = '\t';
        buf[n++] = all_names.v[i].person ? 't' : 'f';
        buf[n++] = '\n';
        if (n > (1u << 20) || i + 1 == all_names.n) {
            if (PQputCopyData(c, buf, (int)n) != 1) die("COPY data: %s", PQerrorMessage(c));
            n = 0;
        }
    }
    free(buf);
    if (PQputCopyEnd(c, NULL) != 1) die("COPY end: %s", PQerrorMessage(c));
    r = PQgetResult(c);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die("COPY: %s", PQerrorMessage(c));
    PQclear(r);
    while ((r = PQgetResult(c))) PQclear(r);
    uint64_t t1 = now_ns();
    pg_exec(c, "CREATE INDEX names_trgm ON names USING gin (name gin_trgm_ops)");
    pg_exec(c, "CREATE INDEX names_dmetaphone ON names (dmetaphone(name))");
    pg_exec(c, "ANALYZE names");
    uint64_t t2 = now_ns();
    json_object_set_new(o, "rows", json_integer((json_int_t)all_names.n));
    json_object_set_new(o, "records", json_integer((json_int_t)(L.un_records + L.ofac_records)));
    json_object_set_new(o, "load_s", json_real((double)(t1 - t0) / 1e9));
    json_object_set_new(o, "index_s", json_real((double)(t2 - t1) / 1e9));

    pg_exec(c, "SET pg_trgm.similarity_threshold = " PG_THRESHOLD);
    pg_exec(c, "SET max_parallel_workers_per_gather = 0"); /* one core, as ctwatch */
    pg_exec(c, "SET jit = off");
    r = PQprepare(c, "screen", PG_SQL, 1, NULL);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) die("PREPARE: %s", PQerrorMessage(c));
    PQclear(r);
    json_object_set_new(o, "sql", json_string(PG_SQL));
    json_object_set_new(o, "similarity_threshold", json_string(PG_THRESHOLD));

    /* Recall pass over the positives (also the warm-up). */
    size_t r1 = 0, tied = 0, r10 = 0, wide = 0, errors = 0;
    for (size_t i = 0; i < U.treated.n; i++) {
        pg_result res = pg_screen(c, U.treated.v[i].name, U.truth[i]);
        if (!res.ok) errors++;
        r1 += res.at1;
        tied += res.tie1;
        r10 += res.in10;
        wide += res.tie1 && !res.at1 && res.ntop > 2;
    }
    double np = (double)U.treated.n;
    json_object_set_new(o, "positives", json_integer((json_int_t)U.qs.npos));
    json_object_set_new(o, "positives_without_truth", json_integer((json_int_t)U.no_truth));
    json_object_set_new(o, "recall1", json_real(np ? (double)tied / np : 0));
    json_object_set_new(o, "recall1_strict", json_real(np ? (double)r1 / np : 0));
    json_object_set_new(o, "recall10", json_real(np ? (double)r10 / np : 0));
    json_object_set_new(o, "wide_ties", json_integer((json_int_t)wide));

    /* Timed: the same shuffled order as ctwatch, up to BENCH_PG_SECONDS or
     * the end of the set. */
    uint64_t min_ns = (uint64_t)(env_double("BENCH_PG_SECONDS", 30) * 1e9);
    lat l = {0};
    uint64_t start = now_ns(), t = start;
    for (size_t i = 0; i < U.qs.n && t - start < min_ns; i++) {
        const char *vals[1] = {U.qs.v[i].name};
        uint64_t q0 = now_ns();
        PGresult *qr = PQexecPrepared(c, "screen", 1, vals, NULL, NULL, 0);
        if (PQresultStatus(qr) != PGRES_TUPLES_OK) errors++;
        PQclear(qr);
        t = now_ns();
        lat_add(&l, t - q0);
    }
    json_object_set_new(o, "timed", lat_json(&l, t - start));
    json_object_set_new(o, "set_size", json_integer((json_int_t)U.qs.n));
    free(l.v);
    json_object_set_new(o, "paired", paired_rounds(c, ix, &U.qs, &errors));
    ctw_match_index_release(ix);
    json_object_set_new(o, "errors", json_integer((json_int_t)errors));
    PQfinish(c);
    json_object_set_new(o, "ok", json_true());
    write_json(o, out);
    json_decref(o);
    pairs_free(&all_names);
    pairs_free(&un_folded);
    return 0;
}

/* ---- synthetic persons ---------------------------------------------------- */

typedef struct sbuf {
    char *p;
    size_t n, cap;
} sbuf;

static int sbuf_line(void *ud, const char *line, size_t len)
{
    sbuf *b = ud;
    if (b->n + len + 1 > b->cap) {
        while (b->n + len + 1 > b->cap) b->cap = b->cap ? b->cap * 2 : (1u << 20);
        b->p = xrealloc(b->p, b->cap);
    }
    memcpy(b->p + b->n, line, len);
    b->n += len;
    b->p[b->n++] = '\n';
    return 0;
}

typedef struct synth_ctx {
    ctw_match_builder *b;
    uint64_t add_ns;
    size_t records, persons;
    pairs picked;       /* (record id, primary name) of every SYNTH_EVERY-th person */
    uint64_t *picked_h; /* hash of each picked name, folded */
    uint64_t *h;        /* hash of every person's folded display name (namesakes) */
    size_t hn, hcap;
    uint64_t fold_ns;   /* time spent on that, kept out of the read time */
    int rc;
    char foldbuf[FOLD_CAP];
} synth_ctx;

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return h;
}

/* How many persons have the folded display name of hash h (h sorted). */
static size_t namesakes(const uint64_t *h, size_t n, uint64_t key)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (h[mid] < key) lo = mid + 1;
        else hi = mid;
    }
    size_t k = 0;
    while (lo + k < n && h[lo + k] == key) k++;
    return k;
}

static int synth_sink(void *ud, ctw_record *r)
{
    synth_ctx *c = ud;
    int rc = 0;
    if (!r->source_id) {
        rc = CTW_EINVAL;
        goto out;
    }
    char *id = xjoin("synth:", r->source_id);
    r->id = ctw_record_str(r, id);
    free(id);
    if (!r->id) {
        rc = CTW_ENOMEM;
        goto out;
    }
    c->records++;
    if (r->kind == CTW_KIND_PERSON) {
        c->persons++;
        const char *name = ctw_record_display_name(r);
        uint64_t f0 = now_ns();
        uint64_t hash = fold(name, c->foldbuf) ? fnv1a(c->foldbuf) : 0;
        if (c->hn == c->hcap) c->h = xrealloc(c->h, (c->hcap = c->hcap ? c->hcap * 2 : 1u << 16) * sizeof *c->h);
        c->h[c->hn++] = hash;
        c->fold_ns += now_ns() - f0;
        /* "synth-<seed>-<index>" */
        const char *dash = strrchr(r->source_id, '-');
        char *end = NULL;
        unsigned long long idx = dash ? strtoull(dash + 1, &end, 10) : 1;
        if (dash && end && *end == '\0' && idx % SYNTH_EVERY == 0 && *name) {
            pairs_add(&c->picked, r->id, name);
            c->picked_h = xrealloc(c->picked_h, c->picked.n * sizeof *c->picked_h);
            c->picked_h[c->picked.n - 1] = hash;
        }
    }
    uint64_t t0 = now_ns();
    rc = ctw_match_builder_add(c->b, r);
    c->add_ns += now_ns() - t0;
out:
    ctw_record_free(r);
    if (rc) c->rc = rc;
    return rc;
}

/* UTF-8 length of the code point starting with byte c (1 for stray bytes). */
static size_t u8len(unsigned char c)
{
    return c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
}

/* A deterministic perturbation of name for query k: one typo (substitute,
 * delete, transpose or double a character, never the first of a token) in
 * a token of three or more characters, then the first and last tokens
 * swapped. Works on code points, so any script stays valid UTF-8. */
static char *perturb(const char *name, uint64_t k)
{
    uint64_t s = 0xC0FFEEu ^ (k * 0x9E3779B97F4A7C15u);
    /* split into tokens of code points */
    size_t len = strlen(name);
    char *copy = xstrdup(name);
    char *toks[CTW_TEXT_MAX_TOKENS * 2];
    size_t nt = 0;
    char *save = NULL;
    for (char *t = strtok_r(copy, " ", &save); t && nt < sizeof toks / sizeof *toks; t = strtok_r(NULL, " ", &save))
        toks[nt++] = t;
    char *out = xmalloc(len + 8);
    if (nt == 0) {
        memcpy(out, name, len + 1);
        free(copy);
        return out;
    }
    /* pick the token: a random one with >= 3 code points, if any */
    size_t cand[CTW_TEXT_MAX_TOKENS * 2], nc = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t cps = 0;
        for (const char *p = toks[i]; *p; p += u8len((unsigned char)*p)) cps++;
        if (cps >= 3) cand[nc++] = i;
    }
    size_t ti = nc ? cand[splitmix64(&s) % nc] : (size_t)(splitmix64(&s) % nt);
    /* code point offsets of the token */
    const char *tok = toks[ti];
    size_t off[512], ncp = 0;
    for (size_t p = 0; tok[p] && ncp < 511; p += u8len((unsigned char)tok[p])) off[ncp++] = p;
    off[ncp] = strlen(tok);
    char *typo = xmalloc(strlen(tok) + 8);
    size_t tn = 0;
    if (ncp >= 2) {
        size_t pos = 1 + (size_t)(splitmix64(&s) % (ncp - 1)); /* never the first */
        unsigned op = (unsigned)(splitmix64(&s) % 4);
        bool ascii = off[pos + 1] - off[pos] == 1;
        if (op == 0 && !ascii) op = 1;          /* substitute only ASCII letters */
        if (op == 2 && pos + 1 >= ncp) op = 1;  /* transpose needs a next one */
        memcpy(typo, tok, off[pos]);
        tn = off[pos];
        const char *cp = tok + off[pos];
        size_t cl = off[pos + 1] - off[pos], consumed = cl;
        switch (op) {
        case 0: { /* substitute with another letter of the same case */
            char ch = *cp, base = (ch >= 'A' && ch <= 'Z') ? 'A' : 'a';
            char r = (char)(base + (char)(splitmix64(&s) % 26));
            if (r == ch) r = (char)(base + (r - base + 1) % 26);
            typo[tn++] = r;
            break;
        }
        case 1: /* delete */
            break;
        case 2: { /* transpose with the next */
            size_t nl = off[pos + 2] - off[pos + 1];
            memcpy(typo + tn, tok + off[pos + 1], nl);
            tn += nl;
            memcpy(typo + tn, cp, cl);
            tn += cl;
            consumed = cl + nl;
            break;
        }
        default: /* double */
            memcpy(typo + tn, cp, cl);
            tn += cl;
            memcpy(typo + tn, cp, cl);
            tn += cl;
            break;
        }
        size_t rest = off[pos] + consumed;
        size_t rl = strlen(tok) - rest;
        memcpy(typo + tn, tok + rest, rl);
        tn += rl;
    } else {
        memcpy(typo, tok, strlen(tok));
        tn = strlen(tok);
    }
    typo[tn] = '\0';
    toks[ti] = typo;
    if (nt >= 2) {
        char *t = toks[0];
        toks[0] = toks[nt - 1];
        toks[nt - 1] = t;
    }
    size_t n = 0;
    for (size_t i = 0; i < nt; i++) {
        size_t l = strlen(toks[i]);
        if (i) out[n++] = ' ';
        memcpy(out + n, toks[i], l);
        n += l;
    }
    out[n] = '\0';
    free(typo);
    free(copy);
    return out;
}

static void dump_one(FILE *f, const ctw_match_index *ix, const char *set, size_t i, const ctw_screen_query *sq);

static int cmd_synth(const char *yente, const char *count, const char *out)
{
    char *end;
    errno = 0;
    unsigned long long N = strtoull(count, &end, 10);
    if (errno || *end || N == 0 || N > CTW_SYNTH_MAX_PERSONS) die("synth: bad count '%s'", count);

    json_t *o = json_object();
    json_object_set_new(o, "persons_requested", json_integer((json_int_t)N));
    json_object_set_new(o, "seed", json_integer(SYNTH_SEED));
    synth_ctx *c = calloc(1, sizeof *c);
    if (!c) die("out of memory");
    c->b = ctw_match_builder_new();
    if (!c->b) die("ctw_match_builder_new failed");
    sbuf lines = {0};
    uint64_t gen_ns = 0, read_ns = 0;
    size_t bytes = 0;
    for (size_t first = 0; first < N; first += SYNTH_CHUNK) {
        size_t cnt = N - first < SYNTH_CHUNK ? (size_t)(N - first) : SYNTH_CHUNK;
        lines.n = 0;
        uint64_t t0 = now_ns();
        int rc = ctw_synth_persons(SYNTH_SEED, first, cnt, sbuf_line, &lines);
        uint64_t t1 = now_ns();
        if (rc) die("ctw_synth_persons(%zu, %zu): %s", first, cnt, ctw_strerror(rc));
        bytes += lines.n;
        ctw_error err = {0};
        rc = ctw_ftm_read_mem(lines.p, lines.n, "synth", synth_sink, c, &err);
        uint64_t t2 = now_ns();
        if (rc || c->rc) die("synth FtM read: %s %s", err.where, err.message[0] ? err.message : ctw_strerror(rc ? rc : c->rc));
        gen_ns += t1 - t0;
        read_ns += t2 - t1;
        if ((first + cnt) % 100000 == 0 || first + cnt == N)
            fprintf(stderr, "ctw_bench: synth: %zu persons generated and added (%.0f s)\n", first + cnt,
                    (double)(gen_ns + read_ns) / 1e9);
    }
    free(lines.p);
    ctw_match_index *ix = NULL;
    uint64_t t0 = now_ns();
    int rc = ctw_match_builder_finish(c->b, &ix);
    uint64_t finish_ns = now_ns() - t0;
    if (rc) die("ctw_match_builder_finish: %s", ctw_strerror(rc));
    json_object_set_new(o, "records", json_integer((json_int_t)c->records));
    json_object_set_new(o, "persons", json_integer((json_int_t)c->persons));
    json_object_set_new(o, "ftm_bytes", json_integer((json_int_t)bytes));
    json_object_set_new(o, "generate_s", json_real((double)gen_ns / 1e9));
    json_object_set_new(o, "ftm_read_s", json_real((double)(read_ns - c->add_ns - c->fold_ns) / 1e9));
    json_object_set_new(o, "build_s", json_real((double)(c->add_ns + finish_ns) / 1e9));
    json_object_set_new(o, "finish_s", json_real((double)finish_ns / 1e9));
    json_object_set_new(o, "index", index_json(ix));

    /* Namesakes: a picked person whose exact name (folded) other persons
     * share cannot be told apart by a name-only query. */
    qsort(c->h, c->hn, sizeof *c->h, cmp_u64);
    bool *unique = xmalloc((c->picked.n ? c->picked.n : 1) * sizeof *unique);
    size_t nunique = 0;
    for (size_t i = 0; i < c->picked.n; i++) {
        unique[i] = namesakes(c->h, c->hn, c->picked_h[i]) <= 1;
        nunique += unique[i];
    }
    free(c->h);
    c->h = NULL;
    json_object_set_new(o, "positives_unique_name", json_integer((json_int_t)nunique));
    json_object_set_new(o, "rss_built", rss_json());

    /* Queries: the picked persons perturbed, and the global negatives. */
    char *p;
    csv_rows neg = csv_read(p = path_join(yente, YENTE_NEG_GLOBAL), N_NEGATIVES);
    free(p);
    size_t npos = c->picked.n;
    query_set qs = {.npos = npos, .nneg = neg.n, .n = npos + neg.n};
    qs.v = xmalloc(qs.n * sizeof *qs.v);
    char **pert = xmalloc((npos ? npos : 1) * sizeof *pert);
    char ***truth = xmalloc((npos ? npos : 1) * sizeof *truth);
    for (size_t i = 0; i < npos; i++) {
        pert[i] = perturb(c->picked.v[i].s, i);
        truth[i] = xmalloc(2 * sizeof **truth);
        truth[i][0] = c->picked.v[i].id;
        truth[i][1] = NULL;
        qs.v[i] = (query){pert[i], NULL, NULL, (long)i};
    }
    for (size_t i = 0; i < neg.n; i++)
        qs.v[npos + i] = (query){neg.v[i].name, clean_dob(neg.v[i].dob), nonempty(neg.v[i].nat), -1};
    shuffle(qs.v, qs.n, SHUFFLE_SEED);
    json_t *ex = json_array();
    for (size_t i = 0; i < npos && i < 5; i++)
        json_array_append_new(ex, json_pack("{s:s, s:s}", "person", c->picked.v[i].s, "query", pert[i]));
    json_object_set_new(o, "perturbed_examples", ex);

    /* BENCH_SYNTH_DUMP=FILE: every query's answer written out (as `dump`
     * does for the lists) before anything is timed, so that two builds can
     * be shown to answer the same on a large list too. */
    const char *dump_path = getenv("BENCH_SYNTH_DUMP");
    if (dump_path && *dump_path) {
        FILE *df = fopen(dump_path, "w");
        if (!df) die("cannot write %s", dump_path);
        for (size_t i = 0; i < qs.n; i++) {
            ctw_screen_query sq = {.name = qs.v[i].name, .dob = qs.v[i].dob, .nationality = qs.v[i].nat,
                                   .schema = "Person"};
            dump_one(df, ix, "synth", i, &sq);
        }
        if (fclose(df) != 0) die("cannot write %s", dump_path);
    }

    /* Recall pass (and warm-up): the perturbed queries in generation order,
     * then the first SYNTH_NEG_PASS negatives for the false-hit figures;
     * bounded by BENCH_SYNTH_PASS_SECONDS so a slow matcher cannot make the
     * run endless (the figures then cover the queries screened). */
    uint64_t pass_max = (uint64_t)(env_double("BENCH_SYNTH_PASS_SECONDS", 300) * 1e9);
    fprintf(stderr, "ctw_bench: synth: index built in %.1f s; recall pass over %zu + %zu queries\n",
            (double)(c->add_ns + finish_ns) / 1e9, npos, neg.n < SYNTH_NEG_PASS ? neg.n : (size_t)SYNTH_NEG_PASS);
    uint64_t pass0 = now_ns();
    size_t r1 = 0, t1 = 0, r10 = 0, wide = 0, errors = 0, neg_hit = 0, neg_alert = 0, pdone = 0, ndone = 0;
    size_t udone = 0, u1 = 0;
    for (size_t i = 0; i < npos && now_ns() - pass0 < pass_max; i++, pdone++) {
        if (i && i % 2000 == 0)
            fprintf(stderr, "ctw_bench: synth: %zu queries (%.0f s)\n", i, (double)(now_ns() - pass0) / 1e9);
        query q = {pert[i], NULL, NULL, (long)i};
        result res = ctw_screen_one(ix, &q, true, truth[i]);
        if (!res.ok) errors++;
        r1 += res.at1;
        t1 += res.tie1;
        r10 += res.in10;
        wide += res.tie1 && !res.at1 && res.ntop > 2;
        if (unique[i]) {
            udone++;
            u1 += res.tie1;
        }
    }
    for (size_t i = 0; i < neg.n && i < SYNTH_NEG_PASS && now_ns() - pass0 < pass_max; i++, ndone++) {
        query q = {neg.v[i].name, clean_dob(neg.v[i].dob), nonempty(neg.v[i].nat), -1};
        result res = ctw_screen_one(ix, &q, true, NULL);
        if (!res.ok) errors++;
        if (res.nhits) neg_hit++;
        if (res.nhits && res.top_score >= CTW_MATCH_ALERT) neg_alert++;
    }
    json_object_set_new(o, "recall_pass_s", json_real((double)(now_ns() - pass0) / 1e9));
    json_object_set_new(o, "positives", json_integer((json_int_t)npos));
    json_object_set_new(o, "positives_screened", json_integer((json_int_t)pdone));
    json_object_set_new(o, "negatives", json_integer((json_int_t)neg.n));
    json_object_set_new(o, "negatives_screened", json_integer((json_int_t)ndone));
    json_object_set_new(o, "dobs_dropped", json_integer((json_int_t)dobs_dropped));
    json_object_set_new(o, "recall1", json_real(pdone ? (double)t1 / (double)pdone : 0));
    json_object_set_new(o, "recall1_strict", json_real(pdone ? (double)r1 / (double)pdone : 0));
    json_object_set_new(o, "recall1_unique", json_real(udone ? (double)u1 / (double)udone : 0));
    json_object_set_new(o, "unique_screened", json_integer((json_int_t)udone));
    json_object_set_new(o, "recall10", json_real(pdone ? (double)r10 / (double)pdone : 0));
    json_object_set_new(o, "wide_ties", json_integer((json_int_t)wide));
    json_object_set_new(o, "negatives_with_hit", json_integer((json_int_t)neg_hit));
    json_object_set_new(o, "negatives_with_alert", json_integer((json_int_t)neg_alert));
    uint64_t min_ns = (uint64_t)(env_double("BENCH_SECONDS", 5) * 1e9);
    json_object_set_new(o, "timed", ctw_timed(ix, &qs, min_ns, &errors));
    json_object_set_new(o, "errors", json_integer((json_int_t)errors));
    json_object_set_new(o, "ok", json_true());
    write_json(o, out);
    json_decref(o);
    ctw_match_index_release(ix);
    return 0;
}

/* ---- the wrk script ------------------------------------------------------ */

/* s as a Lua string literal: printable ASCII as is, the rest as \ddd. */
static void lua_quote(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p >= 0x20 && *p < 0x7f && *p != '"' && *p != '\\') fputc(*p, f);
        else fprintf(f, "\\%03u", *p);
    }
    fputc('"', f);
}

/* One body per query: {"name":…} and, as parts 1 and 2 screen them, the
 * birth date, the nationality and "schema":"Person" when asked for. */
static void lua_body(FILE *f, const query *q, bool with_attrs)
{
    json_t *b = json_pack("{s:s}", "name", q->name);
    if (with_attrs) {
        if (q->dob) json_object_set_new(b, "dob", json_string(q->dob));
        if (q->nat) json_object_set_new(b, "nationality", json_string(q->nat));
        json_object_set_new(b, "schema", json_string("Person"));
    }
    char *js = json_dumps(b, JSON_COMPACT);
    if (!js) die("cannot encode the body of \"%s\"", q->name);
    fputs("  ", f);
    lua_quote(f, js);
    fputs(",\n", f);
    free(js);
    json_decref(b);
}

/* The wrk script of part 4, for one of two sets of bodies:
 *   queries    the query set of parts 1 and 2 (683 typo'd UN names and
 *              10,000 global negatives, in their shuffled order, with their
 *              birth dates and nationalities): the budget's figure;
 *   hit-heavy  100 typo'd UN names and 100 negatives, alternating, names
 *              only: half the requests raise an alert whose hit is written
 *              with the audit entry, the server's most expensive answer. */
static int cmd_wrk_lua(const char *yente, const char *set, const char *out)
{
    bool hit_heavy = strcmp(set, "hit-heavy") == 0;
    if (!hit_heavy && strcmp(set, "queries") != 0) die("wrk-lua: unknown set \"%s\" (queries or hit-heavy)", set);
    FILE *f = fopen(out, "w");
    if (!f) die("cannot write %s", out);
    fprintf(f, "-- generated by ctw_bench wrk-lua (%s): POST /api/v1/screen, cycling through the bodies\n"
               "local bodies = {\n",
            set);
    size_t nb = 0;
    if (hit_heavy) {
        char *p;
        csv_rows pos = csv_read(p = path_join(yente, YENTE_POS_TREATED), SIZE_MAX);
        free(p);
        csv_rows neg = csv_read(p = path_join(yente, YENTE_NEG_GLOBAL), 100);
        free(p);
        size_t step = pos.n / 100 ? pos.n / 100 : 1;
        for (size_t i = 0; i < 100; i++) {
            size_t k = i * step;
            for (int which = 0; which < 2; which++) {
                const char *name = which == 0 ? (k < pos.n ? pos.v[k].name : NULL) : (i < neg.n ? neg.v[i].name : NULL);
                if (!name || !*name) continue;
                lua_body(f, &(query){name, NULL, NULL, -1}, false);
                nb++;
            }
        }
        csv_rows_free(&pos);
        csv_rows_free(&neg);
    } else {
        pairs none = {0};
        un_queries U = un_queries_load(yente, &none);
        for (size_t i = 0; i < U.qs.n; i++) {
            if (!U.qs.v[i].name || !*U.qs.v[i].name) continue;
            lua_body(f, &U.qs.v[i], true);
            nb++;
        }
        /* the rest of U lives until the process ends */
    }
    /* Each thread formats every request once, in init (after the lines
     * run.sh appends, which set the Authorization header), and then only
     * cycles through them: wrk shares the server's two cores, and formatting
     * a request per call, as the script did until 2026-12-02, cost wrk ~12 %
     * more CPU per request (bench/README.md, "The audit commit interval"). */
    fputs("}\n"
          "local requests = {}\n"
          "local i = 0\n"
          "wrk.method = \"POST\"\n"
          "wrk.headers[\"Content-Type\"] = \"application/json\"\n"
          "init = function(args)\n"
          "  for k, b in ipairs(bodies) do requests[k] = wrk.format(nil, \"/api/v1/screen\", nil, b) end\n"
          "end\n"
          "request = function()\n"
          "  i = i % #requests + 1\n"
          "  return requests[i]\n"
          "end\n"
          "done = function(summary, latency, requests)\n"
          "  local e = summary.errors\n"
          "  io.write(string.format('{\"wrk\":true,\"requests\":%d,\"duration_us\":%d,\"bytes\":%d,\"mean_us\":%.0f,'\n"
          "    .. '\"p50_us\":%d,\"p90_us\":%d,\"p99_us\":%d,\"p999_us\":%d,\"max_us\":%d,'\n"
          "    .. '\"non2xx\":%d,\"connect_errors\":%d,\"read_errors\":%d,\"write_errors\":%d,\"timeouts\":%d,\"bodies\":%d}\\n',\n"
          "    summary.requests, summary.duration, summary.bytes, latency.mean,\n"
          "    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency:percentile(99.9), latency.max,\n"
          "    e.status, e.connect, e.read, e.write, e.timeout, #bodies))\n"
          "end\n",
          f);
    if (fclose(f) != 0) die("cannot write %s", out);
    fprintf(stderr, "ctw_bench: %zu bodies (%s) in %s\n", nb, set, out);
    return 0;
}

static int cmd_free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    if (fd < 0) die("socket: %s", strerror(errno));
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t al = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0 || getsockname(fd, (struct sockaddr *)&a, &al) != 0)
        die("bind 127.0.0.1:0: %s", strerror(errno));
    printf("%u\n", (unsigned)ntohs(a.sin_port));
    close(fd);
    return 0;
}

/* ---- RESULTS.md ---------------------------------------------------------- */

static json_t *load_part(const char *dir, const char *name)
{
    char *p = path_join(dir, name);
    json_error_t je;
    json_t *o = json_load_file(p, 0, &je);
    free(p);
    return o;
}

static double num(const json_t *o, const char *path)
{
    /* "a.b.c"; a number picks an element of an array ("a.2.c") */
    char buf[128];
    snprintf(buf, sizeof buf, "%s", path);
    const json_t *cur = o;
    char *save = NULL;
    for (char *k = strtok_r(buf, ".", &save); k && cur; k = strtok_r(NULL, ".", &save))
        cur = json_is_array(cur) ? json_array_get(cur, strtoul(k, NULL, 10)) : json_object_get(cur, k);
    return cur ? json_number_value(cur) : NAN;
}

static const char *str(const json_t *o, const char *key)
{
    const char *s = json_string_value(json_object_get(o, key));
    return s ? s : "";
}

static bool part_ok(const json_t *o)
{
    return o && json_is_true(json_object_get(o, "ok"));
}

static const char *part_why(const json_t *o)
{
    if (!o) return "no result (the part did not run)";
    const char *e = json_string_value(json_object_get(o, "error"));
    return e ? e : "failed";
}

/* A wrk summary (part 4): requests per second, and its failed requests. */
static double wrk_rps(const json_t *w)
{
    return num(w, "requests") / (num(w, "duration_us") / 1e6);
}

static double wrk_failures(const json_t *w)
{
    return num(w, "non2xx") + num(w, "connect_errors") + num(w, "read_errors") + num(w, "write_errors") +
           num(w, "timeouts");
}

static void fmt_int(char *b, size_t n, double v)
{
    if (isnan(v)) {
        snprintf(b, n, "–");
        return;
    }
    /* thousands separators */
    char raw[64];
    snprintf(raw, sizeof raw, "%.0f", v);
    size_t len = strlen(raw), j = 0, lead = raw[0] == '-';
    for (size_t i = 0; i < len && j + 2 < n; i++) {
        if (i > lead && (len - i) % 3 == 0) b[j++] = ',';
        b[j++] = raw[i];
    }
    b[j] = '\0';
}

/* v with thousands separators, in one of 16 rotating static buffers (so a
 * few may be used in one printf). */
static const char *FI(double v)
{
    static char ring[16][64];
    static unsigned k;
    char *b = ring[k++ % 16];
    fmt_int(b, sizeof ring[0], v);
    return b;
}

static const char *verdict(bool ok)
{
    return ok ? "met" : "**NOT met**";
}

static void budget_row(FILE *f, const char *what, const char *target, const char *measured, bool known, bool ok)
{
    fprintf(f, "| %s | %s | %s | %s |\n", what, target, known ? measured : "not measured", known ? verdict(ok) : "–");
}

static int cmd_report(const char *dir, const char *out)
{
    json_t *L = load_part(dir, "lists.json"), *P = load_part(dir, "pg.json"), *S = load_part(dir, "synth.json"),
           *H = load_part(dir, "http.json"), *M = load_part(dir, "meta.json"), *host = host_json();
    bool l_ok = part_ok(L), p_ok = part_ok(P), s_ok = part_ok(S), h_ok = part_ok(H);
    char tmp[256];
    char *path = xjoin(out, ".tmp");
    FILE *f = fopen(path, "w");
    if (!f) die("cannot write %s", path);

    time_t now = time(NULL);
    struct tm tm;
    gmtime_r(&now, &tm);
    char date[64];
    strftime(date, sizeof date, "%Y-%m-%d %H:%M:%S UTC", &tm);

    fprintf(f, "# ctwatch benchmark results\n\n"
               "Generated by `make bench` (bench/run.sh, bench/ctw_bench.c) on %s. Regenerated whole on each run;\n"
               "do not edit by hand.\n\n",
            date);
    fprintf(f, "| machine | |\n|---|---|\n| `uname -srm` | %s |\n| `nproc` | %" JSON_INTEGER_FORMAT " |\n| CPU | %s |\n",
            str(host, "uname"), json_integer_value(json_object_get(host, "nproc")), str(host, "cpu"));
    if (M && *str(M, "commit")) fprintf(f, "| source | `%s` |\n", str(M, "commit"));
    fputs("\n> This machine is shared with other work and noisy: absolute times move from run to run (by tens of\n"
          "> percent). The ratios measured in the same run — ctwatch against PostgreSQL on the same list, the same\n"
          "> queries and the same core — matter more than the absolute figures.\n\n",
          f);

    /* ---- budgets ---- */
    fputs("## Budgets (DESIGN.md §8)\n\n| budget | target | measured | verdict |\n|---|---|---|---|\n", f);
    double lq = num(L, "timed.qps"), lp99 = num(L, "timed.p99_us");
    snprintf(tmp, sizeof tmp, "%s q/s", FI(lq));
    budget_row(f, "UN + OFAC person screening, one core: throughput", "≥ 20,000 queries/s", tmp, l_ok, lq >= 20000);
    snprintf(tmp, sizeof tmp, "%.3f ms", lp99 / 1000);
    budget_row(f, "UN + OFAC person screening, one core: p99", "≤ 1 ms", tmp, l_ok, lp99 <= 1000);

    double sq = num(S, "timed.qps"), sp99 = num(S, "timed.p99_us"), sbytes = num(S, "index.bytes"),
           sbuild = num(S, "build_s"), sn = num(S, "persons");
    char sname[96];
    snprintf(sname, sizeof sname, "%s synthetic persons", s_ok ? FI(sn) : "1,000,000");
    bool s_full = s_ok && num(S, "persons_requested") >= 1000000;
    const char *s_note = s_ok && !s_full ? " (fewer persons than the budget's million: indicative only)" : "";
    snprintf(tmp, sizeof tmp, "%s q/s%s", FI(sq), s_note);
    char what[160];
    snprintf(what, sizeof what, "%s, one core: throughput", sname);
    budget_row(f, what, "≥ 2,000 queries/s", tmp, s_ok, sq >= 2000);
    snprintf(tmp, sizeof tmp, "%.3f ms%s", sp99 / 1000, s_note);
    snprintf(what, sizeof what, "%s: p99", sname);
    budget_row(f, what, "≤ 5 ms", tmp, s_ok, sp99 <= 5000);
    snprintf(tmp, sizeof tmp, "%.2f GB (%s bytes)%s", sbytes / 1e9, FI(sbytes), s_note);
    snprintf(what, sizeof what, "%s: index memory", sname);
    budget_row(f, what, "≤ 2 GB", tmp, s_ok, sbytes <= 2e9);
    snprintf(tmp, sizeof tmp, "%.1f s%s", sbuild, s_note);
    snprintf(what, sizeof what, "%s: index build", sname);
    budget_row(f, what, "≤ 60 s", tmp, s_ok, sbuild <= 60);

    double pq = num(P, "timed.qps"), ratio = pq > 0 ? lq / pq : NAN;
    double lr = num(L, "recall1"), pr = num(P, "recall1");
    /* the verdict is the alternating rounds' median (section 1–2 says why);
     * the two sequential parts' ratio is given beside it */
    double paired = num(P, "paired.median_ratio");
    if (!isnan(paired)) {
        snprintf(tmp, sizeof tmp, "%.1f× (median of %.0f alternating rounds; parts 1 and 2 apart: %.1f×, %s vs %.1f q/s)",
                 paired, num(P, "paired.rounds_n"), ratio, FI(lq), pq);
        budget_row(f, "UN + OFAC: throughput against PostgreSQL (pg_trgm + fuzzystrmatch)", "≥ 50×", tmp,
                   l_ok && p_ok, paired >= 50);
    } else {
        snprintf(tmp, sizeof tmp, "%.1f× (%s vs %.1f q/s)", ratio, FI(lq), pq);
        budget_row(f, "UN + OFAC: throughput against PostgreSQL (pg_trgm + fuzzystrmatch)", "≥ 50×", tmp,
                   l_ok && p_ok, ratio >= 50);
    }
    snprintf(tmp, sizeof tmp, "recall@1 %.1f%% vs %.1f%%", 100 * lr, 100 * pr);
    budget_row(f, "UN + OFAC: … at higher recall", "ctwatch recall@1 > PostgreSQL's", tmp, l_ok && p_ok, lr > pr);

    /* part 4: the query set of parts 1-2 (the budget), then the hit-heavy set */
    const json_t *HH = H ? json_object_get(H, "hit_heavy") : NULL;
    double hq = h_ok ? wrk_rps(H) : NAN, hp99 = num(H, "p99_us");
    double hhq = h_ok && HH ? wrk_rps(HH) : NAN, hhp99 = HH ? num(HH, "p99_us") : NAN;
    snprintf(tmp, sizeof tmp, "%s req/s", FI(hq));
    budget_row(f, "HTTP screening over loopback, both cores, keep-alive, the query set of parts 1–2: throughput",
               "≥ 15,000 requests/s", tmp, h_ok, hq >= 15000 && wrk_failures(H) == 0);
    snprintf(tmp, sizeof tmp, "%.2f ms", hp99 / 1000);
    budget_row(f, "HTTP screening over loopback, the query set of parts 1–2: p99", "≤ 10 ms", tmp, h_ok, hp99 <= 10000);
    snprintf(tmp, sizeof tmp, "%s req/s", FI(hhq));
    budget_row(f, "HTTP, hit-heavy bodies (half of them alerts, each writing a hit): throughput", "≥ 15,000 requests/s",
               tmp, h_ok && HH, hhq >= 15000 && wrk_failures(HH) == 0);
    snprintf(tmp, sizeof tmp, "%.2f ms", hhp99 / 1000);
    budget_row(f, "HTTP, hit-heavy bodies: p99", "≤ 10 ms", tmp, h_ok && HH, hhp99 <= 10000);
    double imp = num(H, "import_un_s");
    snprintf(tmp, sizeof tmp, "%.3f s (`ctwatch import`, SQLite store, median of 3)", imp);
    budget_row(f, "import of the UN list", "≤ 0.5 s", tmp, h_ok && !isnan(imp), imp <= 0.5);
    fputs("\nThe document-check, MRZ and manifest budgets of §8 are measured by bench/travel_bench.c and "
          "bench/manifest_bench.c: their tables are the last two sections below.\n\n",
          f);

    /* ---- 1 + 2 ---- */
    fputs("## 1–2. UN + OFAC, in process, one thread — ctwatch and PostgreSQL side by side\n\n", f);
    if (!l_ok) fprintf(f, "ctwatch part failed: %s\n\n", part_why(L));
    if (!p_ok) fprintf(f, "PostgreSQL part failed: %s\n\n", part_why(P));
    if (l_ok || p_ok) {
        fputs("| | ctwatch | PostgreSQL | ctwatch / PostgreSQL |\n|---|---|---|---|\n", f);
#define ROW2(label, lv, pv, fmt)                                                                      \
    do {                                                                                             \
        double a_ = (lv), b_ = (pv);                                                                 \
        char sa_[64], sb_[64], sr_[64];                                                              \
        if (isnan(a_)) snprintf(sa_, sizeof sa_, "–");                                               \
        else snprintf(sa_, sizeof sa_, fmt, a_);                                                     \
        if (isnan(b_)) snprintf(sb_, sizeof sb_, "–");                                               \
        else snprintf(sb_, sizeof sb_, fmt, b_);                                                     \
        if (isnan(a_) || isnan(b_) || b_ == 0) snprintf(sr_, sizeof sr_, "–");                       \
        else snprintf(sr_, sizeof sr_, "%.2f", a_ / b_);                                             \
        fprintf(f, "| %s | %s | %s | %s |\n", label, sa_, sb_, sr_);                                 \
    } while (0)
        fprintf(f, "| records (UN + OFAC) | %s | %s | |\n", FI(num(L, "un_records") + num(L, "ofac_records")),
                FI(num(P, "records")));
        fprintf(f, "| names indexed | %s | %s rows | |\n", FI(num(L, "index.names")), FI(num(P, "rows")));
        fprintf(f, "| index build | %.3f s (parse %.3f s apart) | %.3f s COPY + %.3f s GIN/btree + ANALYZE | |\n",
                num(L, "build_s"), num(L, "parse_s"), num(P, "load_s"), num(P, "index_s"));
        fprintf(f, "| index memory | %.1f MiB (%s bytes, index stats) | – | |\n", num(L, "index.bytes") / 1048576.0,
                FI(num(L, "index.bytes")));
        if (!isnan(num(L, "memo_bytes")))
            fprintf(f, "| … its memo of word matches after the run | %.1f MiB (%s bytes) | – | |\n",
                    num(L, "memo_bytes") / 1048576.0, FI(num(L, "memo_bytes")));
        fprintf(f, "| process RSS / peak after build | %.1f / %.1f MiB | – | |\n", num(L, "rss_built.vmrss_kb") / 1024,
                num(L, "rss_built.vmhwm_kb") / 1024);
        fprintf(f, "| queries timed | %s in %.1f s | %s in %.1f s | |\n", FI(num(L, "timed.queries")),
                num(L, "timed.seconds"), FI(num(P, "timed.queries")), num(P, "timed.seconds"));
        ROW2("**queries/s**", lq, pq, "%.0f");
        ROW2("p50 latency (µs)", num(L, "timed.p50_us"), num(P, "timed.p50_us"), "%.0f");
        ROW2("p99 latency (µs)", lp99, num(P, "timed.p99_us"), "%.0f");
        ROW2("p99.9 latency (µs)", num(L, "timed.p999_us"), num(P, "timed.p999_us"), "%.0f");
        ROW2("max latency (µs)", num(L, "timed.max_us"), num(P, "timed.max_us"), "%.0f");
        ROW2("**recall@1**, 683 typo'd UN names (%)", 100 * lr, 100 * pr, "%.1f");
        ROW2("recall@1, ties not shared (%)", 100 * num(L, "recall1_strict"), 100 * num(P, "recall1_strict"), "%.1f");
        ROW2("recall@10 (%)", 100 * num(L, "recall10"), 100 * num(P, "recall10"), "%.1f");
        fprintf(f, "| positives counted only thanks to a tie of 3 or more hits | %s | %s | |\n",
                FI(num(L, "wide_ties")), FI(num(P, "wide_ties")));
        fprintf(f, "| recall@1, name only (%%) | %.1f | (always name only) | |\n", 100 * num(L, "recall1_name_only"));
        if (!isnan(num(L, "fresh.qps"))) {
            ROW2("queries/s, a stream of 20,000 names never screened before", num(L, "fresh.qps"), pq, "%.0f");
            ROW2("… its p99 latency (µs)", num(L, "fresh.p99_us"), num(P, "timed.p99_us"), "%.0f");
        }
        if (!isnan(num(L, "memo_unlisted_words")))
            fprintf(f, "| memo of word matches: words the list does not hold, after the timed loop / the stream | %s / %s | – | |\n",
                    FI(num(L, "memo_unlisted_words")),
                    FI(num(L, "memo_unlisted_words") + num(L, "fresh.unlisted_words_added")));
        if (!isnan(num(L, "timed_no_word_memo.qps"))) {
            ROW2("queries/s, names romanised whole (word memo off)", num(L, "timed_no_word_memo.qps"), pq, "%.0f");
            fprintf(f, "| word memo: words found, first pass / timed loop (%%) | %.1f / %.1f | – | |\n",
                    100 * num(L, "word_memo_first_pass_hit"), 100 * num(L, "word_memo_timed_hit"));
            fprintf(f, "| word memo: words held after the run | %s (%.1f MiB) | – | |\n", FI(num(L, "word_memo_words")),
                    num(L, "word_memo_bytes") / 1048576.0);
        }
        fprintf(f, "| negatives (10,000) with any hit ≥ review / ≥ alert | %s / %s | – | |\n",
                FI(num(L, "negatives_with_hit")), FI(num(L, "negatives_with_alert")));
        if (!isnan(num(P, "paired.median_ratio"))) {
            ROW2("**alternating rounds**: median queries/s", num(P, "paired.median_ctwatch_qps"),
                 num(P, "paired.median_pg_qps"), "%.0f");
            fprintf(f, "| … median of the rounds' ratios | | | **%.2f** |\n", num(P, "paired.median_ratio"));
            char rr[512] = "";
            size_t rn = 0;
            for (int i = 0; i < (int)num(P, "paired.rounds_n") && rn + 16 < sizeof rr; i++) {
                char key[64];
                snprintf(key, sizeof key, "paired.rounds.%d.ratio", i);
                rn += (size_t)snprintf(rr + rn, sizeof rr - rn, "%s%.1f", i ? ", " : "", num(P, key));
            }
            fprintf(f, "| … each round's ratio | | | %s |\n", rr);
        }
        fprintf(f, "| failed queries | %s | %s | |\n\n", FI(num(L, "errors")), FI(num(P, "errors")));
        fprintf(f,
                "Queries: the %s typo'd UN names of yente's `positives_un_treated` fixture (with birth date and\n"
                "nationality; ctwatch uses them, PostgreSQL's query cannot) and the first %s names of\n"
                "`negatives_global`, shuffled together once with a fixed seed; the timed loop runs that order\n"
                "(ctwatch repeats it for at least BENCH_SECONDS and 1,000 queries (capped at 12 × BENCH_SECONDS);\n"
                "here %.0f s; PostgreSQL runs it from the start for up to\n"
                "BENCH_PG_SECONDS, a prefix of the same order). Latency is clock_gettime around each call,\n"
                "sorted, nearest rank. ctwatch goes through `ctw_match_screen` including building the JSON hits;\n"
                "PostgreSQL through libpq over a Unix socket, one connection, a prepared statement.\n\n"
                "Truth of a positive: the UN or OFAC record(s) having a name (\"FAMILY, Given\" also read \"Given FAMILY\")\n"
                "equal, after `ctw_text_fold`, to the\n"
                "row-aligned clean name of `positives_un_untreated` (%s of %s positives have none and count as\n"
                "misses for both). A person listed by both the UN and OFAC has two records, and either is the\n"
                "right person. **recall@1**: a true record has the best score (ties shared: a UN record and its OFAC\n"
                "twin often tie, and which one is listed first is an accident of ordering: ctwatch breaks ties\n"
                "by load order, UN first; PostgreSQL by a hash of the id). \"Ties not shared\": the first hit\n"
                "listed is a true record. ctwatch runs at its default review threshold %.2f and limit 10,\n"
                "PostgreSQL at LIMIT 10. %s fixture birth dates that are not calendar dates (1948-13-16: typos\n"
                "of the treated file, which the query API refuses) are left out of their queries, as a\n"
                "client would.\n\n",
                FI(num(L, "positives")), FI(num(L, "negatives")), num(L, "timed.seconds"),
                FI(num(L, "positives_without_truth")), FI(num(L, "positives")), CTW_MATCH_REVIEW,
                FI(num(L, "dobs_dropped")));
        if (!isnan(num(L, "timed_no_word_memo.qps")))
            fprintf(f,
                    "Word memo: a name written in one script is romanised word by word and what ICU makes of\n"
                    "each word is remembered (`src/text/word_memo.c`, at most 65,536 words), which gives the same\n"
                    "forms as romanising the name whole (`make eval`, section 6). The timed loop replays the same\n"
                    "queries, so there it finds every word; the untimed first pass, a stream of names seen for the\n"
                    "first time, found %.0f %% of its words there (the longer the stream, the more of its words\n"
                    "it has met before: names share a small vocabulary). The row \"word memo\n"
                    "off\" is the same timed loop romanising every name whole through ICU, a floor for the gain.\n\n",
                    100 * num(L, "word_memo_first_pass_hit"));
        if (!isnan(num(P, "paired.median_ratio")))
            fprintf(f,
                    "Alternating rounds: parts 1 and 2 run a minute apart on a shared machine, and their\n"
                    "neighbours differ (PostgreSQL's rate alone has moved by a third between two runs of the\n"
                    "same code). So the PostgreSQL process also builds ctwatch's index and times both in %.0f\n"
                    "rounds, each on the next slice of %.0f queries of the same order: PostgreSQL once,\n"
                    "ctwatch repeated for as long, which goes first swapped every round. A round's ratio\n"
                    "compares the two on the same queries within seconds; the budget's verdict is the\n"
                    "median of the rounds' ratios. Even so, whole runs of the same code differ: PostgreSQL's\n"
                    "client and server take turns on the two cores and suffer more from a busy neighbour\n"
                    "than one screening thread, and across this machine's runs its rate has ranged from\n"
                    "about 550 to 835 q/s. One run's verdict is not the last word on this budget.\n\n",
                    num(P, "paired.rounds_n"), num(P, "paired.slice"));
        if (!isnan(num(L, "fresh.qps")))
            fprintf(f,
                    "Memos and a stream of new names: what a word matches in the list is remembered with the\n"
                    "index, for the list's own words and for up to 32,768 others (misspellings, the names of\n"
                    "people on no list; `src/match/index.c`). The timed loop replays the same queries, so there\n"
                    "every word is remembered. The row \"a stream of 20,000 names never screened before\" is\n"
                    "the next 20,000 names of `negatives_global`, each screened once right after the timed loop,\n"
                    "as a border's stream of new travellers would come (their words found in the word memo:\n"
                    "%.0f %%; %s words the list does not hold added to the index's memo); its ratio is to\n"
                    "PostgreSQL's rate on the query set.\n\n",
                    100 * num(L, "fresh.word_memo_hit"), FI(num(L, "fresh.unlisted_words_added")));
        if (p_ok)
            fprintf(f,
                    "PostgreSQL %s (own temporary cluster, `fsync=off`, defaults otherwise; session `jit = off`,\n"
                    "`max_parallel_workers_per_gather = 0`, `pg_trgm.similarity_threshold = %s`), table\n"
                    "`names(record_id, name, person)` with every name of every kind, a GIN `gin_trgm_ops` index and a\n"
                    "btree index on `dmetaphone(name)`; the queries are people, so both sides look at people\n"
                    "only (ctwatch's queries say `schema: Person`, PostgreSQL's filter on `person`):\n\n```sql\n%s\n```\n\n",
                    str(P, "server_version"), str(P, "similarity_threshold"), str(P, "sql"));
    }

    /* ---- 3 ---- */
    fputs("## 3. Synthetic persons, in process, one thread\n\n", f);
    if (!s_ok) {
        fprintf(f, "Not measured: %s\n\n", S ? part_why(S) : "skipped (BENCH_SYNTH=0) or did not run");
    } else {
        fprintf(f, "| | |\n|---|---|\n");
        fprintf(f, "| persons (seed %.0f) / records | %s / %s |\n", num(S, "seed"), FI(sn), FI(num(S, "records")));
        fprintf(f, "| generation (`ctw_synth_persons`, %.0f MB of FtM lines) | %.1f s |\n", num(S, "ftm_bytes") / 1e6,
                num(S, "generate_s"));
        fprintf(f, "| FtM read (`ctw_ftm_read_mem`) | %.1f s |\n", num(S, "ftm_read_s"));
        fprintf(f, "| index build (add + finish) | %.1f s (finish %.1f s) |\n", sbuild, num(S, "finish_s"));
        fprintf(f, "| index memory | %.1f MiB (%s bytes; %s names, %s keys) |\n", sbytes / 1048576.0, FI(sbytes),
                FI(num(S, "index.names")), FI(num(S, "index.keys")));
        fprintf(f, "| process RSS / peak after build | %.1f / %.1f MiB |\n", num(S, "rss_built.vmrss_kb") / 1024,
                num(S, "rss_built.vmhwm_kb") / 1024);
        fprintf(f, "| queries timed | %s in %.1f s |\n", FI(num(S, "timed.queries")), num(S, "timed.seconds"));
        fprintf(f, "| **queries/s** | %.0f |\n", sq);
        fprintf(f, "| p50 / p99 / p99.9 / max (µs) | %.0f / %.0f / %.0f / %.0f |\n", num(S, "timed.p50_us"), sp99,
                num(S, "timed.p999_us"), num(S, "timed.max_us"));
        fprintf(f, "| **recall@1**, %s of %s perturbed persons (%%) | %.1f |\n", FI(num(S, "positives_screened")),
                FI(num(S, "positives")), 100 * num(S, "recall1"));
        fprintf(f, "| recall@1, ties not shared (%%) | %.1f |\n", 100 * num(S, "recall1_strict"));
        fprintf(f, "| recall@1 on the %s persons whose name no other person has (%%) | %.1f |\n",
                FI(num(S, "unique_screened")), 100 * num(S, "recall1_unique"));
        fprintf(f, "| recall@10 (%%) | %.1f |\n", 100 * num(S, "recall10"));
        fprintf(f, "| positives counted only thanks to a tie of 3 or more hits | %s |\n", FI(num(S, "wide_ties")));
        fprintf(f, "| negatives (first %s) with any hit ≥ review / ≥ alert | %s / %s |\n",
                FI(num(S, "negatives_screened")), FI(num(S, "negatives_with_hit")), FI(num(S, "negatives_with_alert")));
        fprintf(f, "| recall pass (untimed warm-up, bounded by BENCH_SYNTH_PASS_SECONDS) | %.0f s |\n",
                num(S, "recall_pass_s"));
        fprintf(f, "| failed queries | %s |\n\n", FI(num(S, "errors")));
        fputs("Queries: the display name of every 100th generated person with one typo (substitution, deletion,\n"
              "transposition or doubling, never a token's first character) and its first and last tokens\n"
              "swapped, name only; and the same 10,000 global negatives (with birth date and nationality),\n"
              "shuffled together. Truth: the person the query came from; recall@1 shares ties as in part 1.\n"
              "Synthetic lists repeat common names as real ones do: a person with namesakes (the same display\n"
              "name after `ctw_text_fold`) cannot be singled out by a name-only query, so recall@1 is also\n"
              "given for the persons whose name is unique in the list. Examples:\n\n",
              f);
        json_t *ex = json_object_get(S, "perturbed_examples");
        size_t i;
        json_t *e;
        json_array_foreach(ex, i, e) fprintf(f, "- `%s` → `%s`\n", str(e, "person"), str(e, "query"));
        fputs("\n", f);
    }

    /* ---- 4 ---- */
    fputs("## 4. HTTP over loopback (`ctwatch serve`, wrk)\n\n", f);
    if (!h_ok) {
        fprintf(f, "Not measured: %s\n\n", part_why(H));
    } else {
        const json_t *runs[2] = {H, HH};
        fprintf(f, "| | the query set of parts 1–2 (the budget) | hit-heavy bodies |\n|---|---|---|\n");
        fprintf(f, "| bodies | %.0f | %s |\n", num(H, "bodies"), HH ? FI(num(HH, "bodies")) : "–");
        fputs("| requests in the run", f);
        for (int r = 0; r < 2; r++) {
            if (runs[r]) fprintf(f, " | %s in %.1f s", FI(num(runs[r], "requests")), num(runs[r], "duration_us") / 1e6);
            else fputs(" | –", f);
        }
        fprintf(f, " |\n| **requests/s** | %.0f | %.0f |\n", hq, hhq);
        fputs("| p50 / p90 / p99 / p99.9 / max (ms)", f);
        for (int r = 0; r < 2; r++) {
            if (runs[r])
                fprintf(f, " | %.2f / %.2f / %.2f / %.2f / %.2f", num(runs[r], "p50_us") / 1000, num(runs[r], "p90_us") / 1000,
                        num(runs[r], "p99_us") / 1000, num(runs[r], "p999_us") / 1000, num(runs[r], "max_us") / 1000);
            else fputs(" | –", f);
        }
        fputs(" |\n| wrk's mean latency, corrected / its requests' own mean (ms) ¹", f);
        for (int r = 0; r < 2; r++) {
            if (runs[r])
                fprintf(f, " | %.2f / %.2f", num(runs[r], "mean_us") / 1000,
                        num(H, "connections") * num(runs[r], "duration_us") / num(runs[r], "requests") / 1000);
            else fputs(" | –", f);
        }
        fputs(" |\n| the server's own: p50 / p90 / p99 / p99.9 / max (ms) ²", f);
        for (int r = 0; r < 2; r++) {
            if (runs[r] && json_object_get(runs[r], "server"))
                fprintf(f, " | %.2f / %.2f / %.2f / %.2f / %.2f", num(runs[r], "server.p50_ms"), num(runs[r], "server.p90_ms"),
                        num(runs[r], "server.p99_ms"), num(runs[r], "server.p999_ms"), num(runs[r], "server.max_ms"));
            else fputs(" | –", f);
        }
        fputs(" |\n| HTTP status ≥ 400", f);
        for (int r = 0; r < 2; r++) fprintf(f, " | %s", runs[r] ? FI(num(runs[r], "non2xx")) : "–");
        fputs(" |\n| socket errors (connect / read / write / timeout)", f);
        for (int r = 0; r < 2; r++) {
            if (runs[r])
                fprintf(f, " | %s / %s / %s / %s", FI(num(runs[r], "connect_errors")), FI(num(runs[r], "read_errors")),
                        FI(num(runs[r], "write_errors")), FI(num(runs[r], "timeouts")));
            else fputs(" | –", f);
        }
        fputs(" |\n\n", f);
        fputs("¹ wrk 4 corrects its latencies for coordinated omission: after the run, every latency of at least twice\n"
              "the mean interval between two requests of a connection adds samples at that interval below it, the\n"
              "requests a client sending at a steady rate would have had waiting. Its percentiles above include them.\n"
              "The requests' own mean is connections × seconds ÷ requests (each connection has one request in flight);\n"
              "where the corrected mean is higher, a stall added samples (bench/README.md, \"wrk's correction\").\n"
              "² From the server's access log: each screening's time from its headers read to its answer sent.\n\n",
              f);
        fprintf(f, "`ctwatch import` of the UN list (median of 3 new stores) / of OFAC, into SQLite: %.3f s / %.3f s.\n\n", imp,
                num(H, "import_ofac_s"));
        char threads[64] = "";
        if (num(H, "server_threads") > 0) snprintf(threads, sizeof threads, " --threads %.0f", num(H, "server_threads"));
        fprintf(f,
                "`ctwatch serve%s --access-log FILE` on 127.0.0.1 with UN + OFAC imported%s; `wrk -t%.0f\n"
                "-c%.0f -d%.0fs --latency` (keep-alive) POSTing to `/api/v1/screen` as a signed-in analyst, twice on\n"
                "the same server: first the query set of parts 1 and 2 (683 typo'd UN names and 10,000 global\n"
                "negatives in their shuffled order, each with its birth date and nationality, as parts 1 and 2\n"
                "screen them), which is the budget's figure; then hit-heavy bodies (100 typo'd UN names and 100\n"
                "negatives, alternating, names only), where half the requests raise an alert. wrk runs on the same\n"
                "two cores as the server, so the server has less than two cores. Every request is audited by the\n"
                "server and answered only once its audit entry is on disk, with the hit that an alert on another\n"
                "agency's record raises (the bench agency owns no record). What limits these figures on this\n"
                "machine is measured in bench/README.md.\n\n",
                threads, threads[0] ? "" : " (a connection thread per core, 16 workers)", num(H, "wrk_threads"), num(H, "connections"),
                num(H, "seconds"));
    }
    if (fclose(f) != 0) die("cannot write %s", path);
    if (rename(path, out) != 0) die("rename %s: %s", path, strerror(errno));
    free(path);
    json_decref(L);
    json_decref(P);
    json_decref(S);
    json_decref(H);
    json_decref(M);
    json_decref(host);
    return 0;
}

/* ---- main ---------------------------------------------------------------- */

/* ---- dump: every answer, for comparing two builds ------------------------- */

/* One line per query: the set's label, the query number and the whole
 * answer (hits with their explanations, keys sorted), or the error. Two
 * builds of the matcher give the same results exactly when their dumps
 * are the same bytes (diff them). */
static void dump_one(FILE *f, const ctw_match_index *ix, const char *set, size_t i, const ctw_screen_query *sq)
{
    json_t *hits = NULL;
    ctw_error err = {0};
    int rc = ctw_match_screen(ix, ctw_principal_cli(), sq, &hits, &err);
    if (rc != 0) {
        fprintf(f, "%s %zu error %d %s\n", set, i, rc, err.message);
        return;
    }
    char *s = json_dumps(hits, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(17));
    fprintf(f, "%s %zu %s\n", set, i, s ? s : "(oom)");
    free(s);
    json_decref(hits);
}

static int cmd_dump(const char *data, const char *yente, const char *nk_cases, const char *out)
{
    FILE *f = fopen(out, "w");
    if (!f) die("cannot write %s", out);
    pairs un_folded = {0};
    ctw_match_builder *b = ctw_match_builder_new();
    if (!b) die("ctw_match_builder_new failed");
    load_lists(data, b, NULL, &un_folded);
    ctw_match_index *ix = NULL;
    if (ctw_match_builder_finish(b, &ix) != 0) die("ctw_match_builder_finish failed");
    un_queries U = un_queries_load(yente, &un_folded);
    char *p;
    csv_rows neg[2];
    neg[0] = csv_read(p = path_join(yente, YENTE_NEG_GLOBAL), SIZE_MAX), free(p);
    neg[1] = csv_read(p = path_join(yente, "candidate_generation_benchmark_fixtures_negatives_us.csv"), SIZE_MAX),
    free(p);
    /* the bench's own set, as its timed loop screens it */
    for (size_t i = 0; i < U.qs.n; i++) {
        const query *q = &U.qs.v[i];
        ctw_screen_query sq = {.name = q->name, .dob = q->dob, .nationality = q->nat, .schema = "Person"};
        dump_one(f, ix, "bench", i, &sq);
    }
    /* UN positives: name alone; and down to a low threshold with many hits */
    for (size_t i = 0; i < U.treated.n; i++) {
        csv_row *r = &U.treated.v[i];
        ctw_screen_query sq = {.name = r->name, .schema = "Person"};
        dump_one(f, ix, "pos-name", i, &sq);
        sq.dob = clean_dob(r->dob);
        sq.nationality = nonempty(r->nat);
        sq.threshold = 0.01;
        sq.limit = 50;
        dump_one(f, ix, "pos-low", i, &sq);
        sq = (ctw_screen_query){.name = r->name, .threshold = 0.3, .limit = 20};
        dump_one(f, ix, "pos-any", i, &sq);
    }
    /* every negative with all it gives; the first 20,000 also by name alone
     * and with no schema (organisations and vessels are candidates too) */
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < neg[k].n; i++) {
            csv_row *r = &neg[k].v[i];
            ctw_screen_query sq = {.name = r->name, .dob = clean_dob(r->dob), .nationality = nonempty(r->nat),
                                   .gender = nonempty(r->gender), .schema = "Person"};
            dump_one(f, ix, k ? "neg-us" : "neg-global", i, &sq);
            if (i >= 20000) continue;
            sq = (ctw_screen_query){.name = r->name, .schema = "Person", .threshold = 0.5};
            dump_one(f, ix, k ? "neg-us-name" : "neg-global-name", i, &sq);
            sq = (ctw_screen_query){.name = r->name};
            dump_one(f, ix, k ? "neg-us-any" : "neg-global-any", i, &sq);
        }
    /* the name benchmark: its pairs compared, and each name screened */
    size_t len;
    char *buf = slurp(nk_cases, &len);
    const char *c = buf, *end = buf + len;
    size_t row = 0;
    while (c < end) {
        char *fld[8] = {0};
        bool eol = false;
        for (int col = 0; !eol; col++) {
            char *v = csv_field(&c, end, &eol);
            if (col < 8) fld[col] = v;
            else free(v);
        }
        if (row > 0 && fld[1] && fld[2] && fld[3]) {
            fprintf(f, "pair %zu %.17g %.17g\n", row, ctw_match_compare_names(fld[2], fld[3], fld[1]),
                    ctw_match_compare_names(fld[3], fld[2], NULL));
            ctw_screen_query sq = {.name = fld[2], .threshold = 0.3};
            dump_one(f, ix, "nk-a", row, &sq);
            sq.name = fld[3];
            sq.schema = fld[1];
            if (strcmp(fld[1], "Person") == 0 || strcmp(fld[1], "Company") == 0 ||
                strcmp(fld[1], "Organization") == 0)
                dump_one(f, ix, "nk-b", row, &sq);
        }
        for (int col = 0; col < 8; col++) free(fld[col]);
        row++;
    }
    free(buf);
    if (fclose(f) != 0) die("cannot write %s", out);
    ctw_match_index_release(ix);
    pairs_free(&un_folded);
    return 0;
}

static void usage(void)
{
    fputs("usage: ctw_bench lists DATA YENTE OUT.json\n"
          "       ctw_bench pg DATA YENTE CONNINFO OUT.json\n"
          "       ctw_bench synth YENTE N OUT.json\n"
          "       ctw_bench wrk-lua YENTE queries|hit-heavy OUT.lua\n"
          "       ctw_bench free-port\n"
          "       ctw_bench report DIR OUT.md\n"
          "       ctw_bench dump DATA YENTE NAME_BENCH_CSV OUT.txt\n",
          stderr);
    exit(2);
}

int main(int argc, char **argv)
{
    if (argc < 2) usage();
    const char *cmd = argv[1];
    if (strcmp(cmd, "lists") == 0 && argc == 5) return cmd_lists(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "pg") == 0 && argc == 6) return cmd_pg(argv[2], argv[3], argv[4], argv[5]);
    if (strcmp(cmd, "synth") == 0 && argc == 5) return cmd_synth(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "wrk-lua") == 0 && argc == 5) return cmd_wrk_lua(argv[2], argv[3], argv[4]);
    if (strcmp(cmd, "free-port") == 0 && argc == 2) return cmd_free_port();
    if (strcmp(cmd, "report") == 0 && argc == 4) return cmd_report(argv[2], argv[3]);
    if (strcmp(cmd, "dump") == 0 && argc == 6) return cmd_dump(argv[2], argv[3], argv[4], argv[5]);
    usage();
}
