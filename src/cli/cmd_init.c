/* cmd_init.c — `ctwatch init [--db PATH]`: create or migrate the store. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

int ctw_cmd_init(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *db = ctw_store_default_target();
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'h': printf("usage: ctwatch init [--db PATH]\n"); return 0;
        default: return 2;
        }
    }
    if (optind != argc) {
        ctw_cli_error("init", "unexpected argument '%s'", argv[optind]);
        return 2;
    }
    ctw_store *s = ctw_cli_open_store("init", db, true);
    if (!s) return 1;
    ctw_agency local = {.code = "LOCAL", .name = "This installation", .kind = "local"};
    int rc = ctw_store_ensure_agency(s, &local);
    if (rc == 0) rc = ctw_store_audit(s, ctw_principal_cli(), "init", NULL, db);
    if (rc != 0) {
        ctw_cli_error("init", "%s", ctw_strerror(rc));
        ctw_store_close(s);
        return 1;
    }
    printf("{\"store\":\"%s\",\"backend\":\"%s\",\"schema_version\":%d}\n", db, ctw_store_backend(s),
           ctw_store_schema_version(s));
    ctw_store_close(s);
    return 0;
}
