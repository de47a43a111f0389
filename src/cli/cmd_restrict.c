/* cmd_restrict.c — `ctwatch restrict ID --kind K [--list a,b]`: set who
 * may see a record (issue 5), as the local administrator. Prints the
 * record's new restriction as JSON. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"
#include "ctwatch/access.h"

int ctw_cmd_restrict(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"kind", required_argument, NULL, 'k'},
                                         {"list", required_argument, NULL, 'l'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = ctw_store_default_target();
    const char *kind = NULL, *list = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:k:l:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'k': kind = optarg; break;
        case 'l': list = optarg; break;
        case 'h':
            printf("usage: ctwatch restrict [--db PATH] ID --kind all|regions|agencies|all-except|hit-only"
                   " [--list CODE,CODE...]\n");
            return 0;
        default: return 2;
        }
    }
    if (optind + 1 != argc) {
        ctw_cli_error("restrict", "give exactly one record id");
        return 2;
    }
    int k = kind ? ctw_restrict_kind_from_name(kind) : -1;
    if (k < 0) {
        ctw_cli_error("restrict", "--kind must be all, regions, agencies, all-except or hit-only");
        return 2;
    }
    ctw_store *s = ctw_cli_open_store("restrict", db, false);
    if (!s) return 1;
    ctw_restriction r = {.kind = (ctw_restrict_kind)k, .list = list};
    ctw_error err = {0};
    const char *id = argv[optind];
    int rc = ctw_store_set_restriction(s, ctw_principal_cli(), id, &r, &err);
    ctw_store_close(s);
    if (rc != 0) {
        ctw_cli_report("restrict", &err);
        return rc == CTW_EINVAL ? 2 : 1;
    }
    json_t *o = json_pack("{s:s,s:{s:s,s:s?}}", "id", id, "restriction", "kind", ctw_restrict_kind_name(r.kind),
                          "list", list && *list ? list : NULL);
    if (!o) {
        ctw_cli_error("restrict", "out of memory");
        return 1;
    }
    json_dumpf(o, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
    json_decref(o);
    return 0;
}
