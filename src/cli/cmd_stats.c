/* cmd_stats.c — `ctwatch stats [--json]`: counts per type and source. */
#include <getopt.h>
#include <stdio.h>

#include "cli/cli.h"

int ctw_cmd_stats(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"json", no_argument, NULL, 'j'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = ctw_store_default_target();
    bool as_json = false;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:jh", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'j': as_json = true; break;
        case 'h': printf("usage: ctwatch stats [--json] [--db PATH]\n"); return 0;
        default: return 2;
        }
    }
    ctw_store *s = ctw_cli_open_store("stats", db, false);
    if (!s) return 1;
    ctw_error err;
    ctw_error_clear(&err);
    json_t *st = ctw_stats_json(s, &err);
    ctw_store_close(s);
    if (!st) {
        ctw_cli_report("stats", &err);
        return 1;
    }
    if (as_json) {
        json_dumpf(st, stdout, JSON_INDENT(2));
        fputc('\n', stdout);
    } else {
        json_t *tot = json_object_get(st, "total");
        printf("records: %lld active, %lld removed\n", (long long)json_integer_value(json_object_get(tot, "active")),
               (long long)json_integer_value(json_object_get(tot, "removed")));
        const char *src;
        json_t *kinds;
        json_object_foreach(json_object_get(st, "by_source"), src, kinds) {
            printf("%s:", src);
            const char *k;
            json_t *n;
            json_object_foreach(kinds, k, n) printf(" %s %lld", k, (long long)json_integer_value(n));
            printf("\n");
        }
    }
    json_decref(st);
    return 0;
}
