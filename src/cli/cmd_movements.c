/* cmd_movements.c — `ctwatch movements ID`: the recorded movements of a
 * person of interest, oldest first, each with its co-travellers (issue 4).
 * Prints the JSON array of ctw_store_person_movements(). */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"

int ctw_cmd_movements(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *db = ctw_store_default_target();
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'h': printf("usage: ctwatch movements RECORD_ID [--db PATH]\n"); return 0;
        default: fprintf(stderr, "usage: ctwatch movements RECORD_ID [--db PATH]\n"); return 2;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "usage: ctwatch movements RECORD_ID [--db PATH]\n");
        return 2;
    }
    ctw_store *s = ctw_cli_open_store("movements", db, false);
    if (!s) return 1;
    json_t *out = NULL;
    int rc = ctw_store_person_movements(s, ctw_principal_cli(), argv[optind], &out);
    ctw_store_close(s);
    if (rc == CTW_ENOTFOUND) {
        ctw_cli_error("movements", "no record %s", argv[optind]);
        return 1;
    }
    if (rc != 0) {
        ctw_cli_error("movements", "reading movements failed: %s", ctw_strerror(rc));
        return 1;
    }
    json_dumpf(out, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(out);
    return 0;
}
