/* cmd_import.c — `ctwatch import --format F [--owner A] [--source S] FILE...`. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli.h"
#include "ctwatch/import.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ctwatch import --format {un-xml,ofac-csv,ftm} [--owner AGENCY] [--source NAME]\n"
                 "                      [--db PATH] FILE...\n"
                 "  un-xml    UN Security Council Consolidated List (one XML file)\n"
                 "  ofac-csv  OFAC SDN legacy CSV: sdn.csv [alt.csv] [add.csv]\n"
                 "  ftm       FollowTheMoney entities, JSON lines\n"
                 "Re-importing a source is idempotent; records gone from it are marked removed.\n");
}

int ctw_cmd_import(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"owner", required_argument, NULL, 'o'},
                                         {"source", required_argument, NULL, 's'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = ctw_store_default_target();
    const char *format = NULL;
    ctw_import_opts io = {0};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:o:s:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f': format = optarg; break;
        case 'o': io.owner = optarg; break;
        case 's': io.source = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    int fmt = ctw_import_format_from_name(format);
    if (!format || fmt < 0) {
        ctw_cli_error("import", format ? "unknown format '%s'" : "--format is required%s", format ? format : "");
        usage(stderr);
        return 2;
    }
    if (optind >= argc) {
        ctw_cli_error("import", "no input files");
        return 2;
    }
    ctw_store *s = ctw_cli_open_store("import", db, false);
    if (!s) return 1;
    json_t *summary = NULL;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_import_files(s, ctw_principal_cli(), (ctw_import_format)fmt, (const char *const *)argv + optind,
                              (size_t)(argc - optind), &io, &summary, &err);
    ctw_store_close(s);
    if (rc != 0) {
        ctw_cli_report("import", &err);
        fprintf(stderr, "ctwatch import: nothing was imported; the store is unchanged\n");
        return 1;
    }
    json_dumpf(summary, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(summary);
    return 0;
}
