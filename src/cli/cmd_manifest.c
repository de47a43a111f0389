/* cmd_manifest.c — `ctwatch manifest`: passenger manifests (issue 4).
 *
 *   ctwatch manifest screen FILE [--format paxlst|pnrgov|json] [--threshold X]
 *                               [--no-movements] [--db PATH]
 *       every traveller's names against the watchlist, documents against the
 *       stolen and lost documents, the enabled risk rules; prints one JSON
 *       object {"flight","travellers","warnings","summary"}
 *   ctwatch manifest parse FILE [--format F]
 *       the manifest as read, without screening (no store needed)
 *
 * FILE may be - for stdin. A message that cannot be read is refused with
 * the segment and byte of the fault, and nothing is recorded.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/border.h"
#include "ctwatch/import.h"
#include "ctwatch/manifest.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ctwatch manifest screen FILE [--format paxlst|pnrgov|json] [--threshold X]\n"
                 "                               [--no-movements] [--db PATH]\n"
                 "       ctwatch manifest parse FILE [--format paxlst|pnrgov|json]\n");
}

static int read_input(const char *file, char **data, size_t *len)
{
    ctw_error err = {0};
    /* one byte over the limit is enough for the parser to refuse it */
    if (ctw_read_file(file, (size_t)CTW_MANIFEST_MAX_BYTES + 1, data, len, &err) != 0) {
        ctw_cli_report("manifest", &err);
        return 1;
    }
    return 0;
}

static int parse_format(const char *s, ctw_manifest_format *f)
{
    if (!s) *f = CTW_MANIFEST_DETECT;
    else if (strcmp(s, "paxlst") == 0) *f = CTW_MANIFEST_PAXLST;
    else if (strcmp(s, "pnrgov") == 0) *f = CTW_MANIFEST_PNRGOV;
    else if (strcmp(s, "json") == 0) *f = CTW_MANIFEST_JSON;
    else return -1;
    return 0;
}

int ctw_cmd_manifest(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"format", required_argument, NULL, 'f'},
        {"threshold", required_argument, NULL, 't'}, {"no-movements", no_argument, NULL, 'N'},
        {"help", no_argument, NULL, 'h'},          {0}};
    const char *db = ctw_store_default_target(), *format = NULL;
    double threshold = 0;
    bool movements = true;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f': format = optarg; break;
        case 't': {
            char *end;
            threshold = strtod(optarg, &end);
            if (*end || threshold <= 0 || threshold > 1) {
                ctw_cli_error("manifest", "--threshold must be a number in (0, 1]");
                return 2;
            }
            break;
        }
        case 'N': movements = false; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    ctw_manifest_format fmt;
    if (parse_format(format, &fmt) != 0) {
        ctw_cli_error("manifest", "--format must be paxlst, pnrgov or json");
        return 2;
    }
    bool screen = strcmp(sub, "screen") == 0;
    if ((!screen && strcmp(sub, "parse") != 0) || optind != argc - 1) {
        usage(stderr);
        return 2;
    }
    const char *file = argv[optind];
    char *data = NULL;
    size_t len = 0;
    if (read_input(file, &data, &len) != 0) return 1;
    ctw_manifest *m = NULL;
    ctw_error err = {0};
    int rc = ctw_manifest_parse(data, len, fmt, &m, &err);
    free(data);
    if (rc != 0) {
        ctw_cli_error("manifest", "%s: %s%s%s", file, err.where, err.where[0] ? ": " : "", err.message);
        return 1;
    }
    json_t *out = NULL;
    if (!screen) {
        out = ctw_manifest_to_json(m);
        rc = out ? 0 : CTW_ENOMEM;
    } else {
        ctw_store *s = ctw_cli_open_store("manifest", db, false);
        ctw_match_index *ix = NULL;
        ctw_docindex *docs = NULL;
        ctw_ruleset *rules = NULL;
        rc = s ? 0 : CTW_ESTORE;
        if (rc == 0) rc = ctw_match_index_build(s, &ix, &err);
        if (rc == 0) rc = ctw_docindex_load(s, &docs, &err);
        if (rc == 0) rc = ctw_ruleset_load(s, &rules, &err);
        char *records = NULL;
        if (rc == 0) {
            ctw_border b = {.names = ix, .documents = docs, .rules = rules, .store = s,
                            .threshold = threshold, .record_movements = movements};
            rc = ctw_manifest_screen(&b, ctw_principal_cli(), m, &out, &records, &err);
        }
        if (rc == 0) {
            char detail[300];
            snprintf(detail, sizeof detail, "manifest %.100s (%s): %zu travellers", file,
                     ctw_manifest_format_name(m->format), m->n_travellers);
            rc = ctw_store_audit(s, ctw_principal_cli(), "screen-manifest", records ? records : "", detail);
            if (rc != 0) ctw_error_set(&err, rc, NULL, "audit failed");
        }
        free(records);
        if (rc != 0 && s) ctw_cli_report("manifest", &err);
        ctw_ruleset_free(rules);
        ctw_docindex_free(docs);
        if (ix) ctw_match_index_release(ix);
        ctw_store_close(s);
    }
    ctw_manifest_free(m);
    if (rc == 0) {
        json_dumpf(out, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10));
        fputc('\n', stdout);
    }
    json_decref(out);
    return rc == 0 ? 0 : 1;
}
