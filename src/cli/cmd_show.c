/* cmd_show.c — `ctwatch show ID`: one record as JSON. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "ctwatch/json.h"

int ctw_cmd_show(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *db = ctw_store_default_target();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'h': printf("usage: ctwatch show [--db PATH] ID\n"); return 0;
        default: return 2;
        }
    }
    if (optind + 1 != argc) {
        ctw_cli_error("show", "give exactly one record id");
        return 2;
    }
    ctw_store *s = ctw_cli_open_store("show", db, false);
    if (!s) return 1;
    ctw_record *r = NULL;
    int rc = ctw_store_get(s, ctw_principal_cli(), argv[optind], &r);
    ctw_store_close(s);
    if (rc != 0) {
        ctw_cli_error("show", "%s: %s", argv[optind], rc == CTW_ENOTFOUND ? "no such record" : ctw_strerror(rc));
        ctw_record_free(r);
        return 1;
    }
    json_t *o = ctw_record_to_json(r, CTW_JSON_FULL);
    ctw_record_free(r);
    if (!o) {
        ctw_cli_error("show", "out of memory");
        return 1;
    }
    json_dumpf(o, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(o);
    return 0;
}
