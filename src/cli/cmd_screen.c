/* cmd_screen.c — `ctwatch screen`: screen one person, or a batch of JSON
 * lines, against every active record of the store.
 *
 *   ctwatch screen --name NAME [--dob DATE] [--nationality CC] [--gender G]
 *                  [--document NUMBER] [--schema S] [--threshold X] [--limit N]
 *   ctwatch screen --batch FILE      (FILE of {"id","name",...} lines; - for stdin)
 *
 * One output line per query: {"id":..,"hits":[...]} or {"id":..,"error":{...}}.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/match.h"

#define BATCH_LINE_MAX (1024 * 1024)

static void usage(FILE *out)
{
    fprintf(out, "usage: ctwatch screen --name NAME [--dob YYYY[-MM[-DD]]] [--nationality CC] [--gender m|f]\n"
                 "                      [--document NUMBER] [--schema Person|Organization|Vessel|Airplane]\n"
                 "                      [--threshold X] [--limit N] [--db PATH]\n"
                 "       ctwatch screen --batch FILE [--threshold X] [--limit N] [--db PATH]\n"
                 "Hits at or above %.2f are alerts, at or above %.2f reviews (the default threshold).\n",
            CTW_MATCH_ALERT, CTW_MATCH_REVIEW);
}

static int print_result(const char *id, json_t *hits)
{
    json_t *o = json_pack("{s:s?,s:O}", "id", id, "hits", hits);
    if (!o) return CTW_ENOMEM;
    int rc = json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10)) == 0 && fputc('\n', stdout) != EOF ? 0 : CTW_EIO;
    json_decref(o);
    return rc;
}

static void print_error(const char *id, long line, const ctw_error *err)
{
    json_t *o = json_pack("{s:s?,s:{s:s,s:s,s:s?}}", "id", id, "error", "code", ctw_errname(err->code), "message",
                          err->message, "field", err->where[0] ? err->where : NULL);
    if (line > 0) json_object_set_new(o, "line", json_integer(line));
    json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(o);
}

int ctw_cmd_screen(int argc, char **argv)
{
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},       {"name", required_argument, NULL, 'n'},
        {"dob", required_argument, NULL, 'b'},      {"nationality", required_argument, NULL, 'c'},
        {"gender", required_argument, NULL, 'g'},   {"document", required_argument, NULL, 'D'},
        {"schema", required_argument, NULL, 's'},   {"threshold", required_argument, NULL, 't'},
        {"limit", required_argument, NULL, 'l'},    {"batch", required_argument, NULL, 'B'},
        {"help", no_argument, NULL, 'h'},           {0}};
    const char *db = ctw_store_default_target(), *batch = NULL;
    ctw_screen_query q = {0};
    double threshold = 0;
    long limit = 0;
    int c;
    char *end;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:n:b:c:g:D:s:t:l:B:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'n': q.name = optarg; break;
        case 'b': q.dob = optarg; break;
        case 'c': q.nationality = optarg; break;
        case 'g': q.gender = optarg; break;
        case 'D': q.document = optarg; break;
        case 's': q.schema = optarg; break;
        case 'B': batch = optarg; break;
        case 't':
            errno = 0;
            threshold = strtod(optarg, &end);
            if (errno || *end || threshold <= 0 || threshold > 1) {
                ctw_cli_error("screen", "--threshold must be a number in (0, 1]");
                return 2;
            }
            break;
        case 'l':
            errno = 0;
            limit = strtol(optarg, &end, 10);
            if (errno || *end || limit < 1 || limit > CTW_MATCH_MAX_LIMIT) {
                ctw_cli_error("screen", "--limit must be 1..%d", CTW_MATCH_MAX_LIMIT);
                return 2;
            }
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc || (!q.name && !batch) || (q.name && batch)) {
        ctw_cli_error("screen", "give --name NAME or --batch FILE");
        usage(stderr);
        return 2;
    }
    FILE *in = NULL;
    if (batch) {
        in = strcmp(batch, "-") == 0 ? stdin : fopen(batch, "r");
        if (!in) {
            ctw_cli_error("screen", "cannot read %s: %s", batch, strerror(errno));
            return 1;
        }
    }
    ctw_store *s = ctw_cli_open_store("screen", db, false);
    if (!s) {
        if (in && in != stdin) fclose(in);
        return 1;
    }
    ctw_error err;
    ctw_error_clear(&err);
    ctw_match_index *ix = NULL;
    if (ctw_match_index_build(s, &ix, &err) != 0) {
        ctw_cli_report("screen", &err);
        ctw_store_close(s);
        if (in && in != stdin) fclose(in);
        return 1;
    }
    const ctw_principal *p = ctw_principal_cli();
    int status = 0;
    size_t ids_cap = 256 * 1024, ids_len = 0, queries = 0;
    bool all_ids = true;
    char *ids = malloc(ids_cap);
    if (ids) ids[0] = '\0';
    if (!batch) {
        q.threshold = threshold;
        q.limit = (int)limit;
        json_t *hits = NULL;
        if (ctw_match_screen(ix, p, &q, &hits, &err) != 0) {
            ctw_cli_report("screen", &err);
            status = err.code == CTW_ENOMEM ? 1 : 2;
        } else {
            queries = 1;
            if (ids) all_ids &= ctw_match_hit_ids(hits, ids, ids_cap, &ids_len);
            json_dumpf(hits, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
            fputc('\n', stdout);
            json_decref(hits);
        }
    } else {
        char *line = NULL;
        size_t cap = 0;
        ssize_t n;
        long lineno = 0;
        while ((n = getline(&line, &cap, in)) > 0) {
            lineno++;
            if (n == 1 && line[0] == '\n') continue;
            if ((size_t)n > BATCH_LINE_MAX) {
                ctw_error_set(&err, CTW_ELIMIT, NULL, "line %ld is longer than %d bytes", lineno, BATCH_LINE_MAX);
                print_error(NULL, lineno, &err);
                status = 1;
                continue;
            }
            json_error_t jerr;
            json_t *obj = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &jerr);
            if (!obj) {
                ctw_error_set(&err, CTW_EINVAL, NULL, "line %ld is not JSON: %s", lineno, jerr.text);
                print_error(NULL, lineno, &err);
                status = 1;
                continue;
            }
            ctw_screen_query bq;
            json_t *hits = NULL;
            const char *qid = json_string_value(json_object_get(obj, "id"));
            if (ctw_screen_query_from_json(obj, &bq, &err) != 0 ||
                (bq.threshold = threshold, bq.limit = (int)limit, ctw_match_screen(ix, p, &bq, &hits, &err)) != 0) {
                print_error(qid, lineno, &err);
                status = 1;
            } else {
                queries++;
                if (ids) all_ids &= ctw_match_hit_ids(hits, ids, ids_cap, &ids_len);
                if (print_result(bq.id, hits) != 0) status = 1;
                json_decref(hits);
            }
            json_decref(obj);
        }
        free(line);
        if (in != stdin) fclose(in);
    }
    char detail[128];
    snprintf(detail, sizeof detail, "%zu queries%s%s", queries, batch ? " in a batch" : "",
             all_ids ? "" : " (hit list cut at 256 KiB)");
    if (queries > 0 && ctw_store_audit(s, p, "screen", ids ? ids : "", detail) != 0) {
        ctw_cli_error("screen", "cannot write the audit entry");
        status = 1;
    }
    free(ids);
    ctw_match_index_release(ix);
    ctw_store_close(s);
    return status;
}
