/* cmd_rules.c — `ctwatch rules`: the analysts' risk rules (issue 4).
 *
 *   ctwatch rules add FILE            a new rule from a JSON file (- for stdin)
 *   ctwatch rules update ID FILE      a new version of rule ID
 *   ctwatch rules list [--all-versions]
 *   ctwatch rules show ID [--version N]
 *   ctwatch rules check FILE          parse only: is this rule valid?
 *
 * Rules are checked by ctw_rule_parse() before they are stored; a faulty
 * rule is refused with the JSON path of its fault ("when.all[2].op").
 * Output is JSON; exit 0 done, 1 refused or failed, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/import.h"
#include "ctwatch/rules.h"

#define RULE_MAX_BYTES (64 * 1024)

static void usage(FILE *out)
{
    fprintf(out, "usage: ctwatch rules add FILE [--disabled] [--db PATH]\n"
                 "       ctwatch rules update ID FILE [--disabled] [--db PATH]\n"
                 "       ctwatch rules list [--all-versions] [--db PATH]\n"
                 "       ctwatch rules show ID [--version N] [--db PATH]\n"
                 "       ctwatch rules check FILE\n");
}

static int read_rule(const char *file, ctw_rule **rule, char **canon)
{
    char *data = NULL;
    size_t len = 0;
    ctw_error err = {0};
    if (ctw_read_file(file, RULE_MAX_BYTES + 1, &data, &len, &err) != 0) {
        ctw_cli_report("rules", &err);
        return 1;
    }
    int rc = ctw_rule_parse_text(data, len, rule, &err);
    free(data);
    if (rc != 0) {
        ctw_cli_error("rules", "%s: invalid rule: %s%s%s", file, err.where, err.where[0] ? ": " : "", err.message);
        return 1;
    }
    json_t *def = ctw_rule_definition(*rule);
    *canon = def ? json_dumps(def, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
    json_decref(def);
    if (!*canon) {
        ctw_rule_free(*rule);
        ctw_cli_error("rules", "out of memory");
        return 1;
    }
    return 0;
}

static int print_row(void *ud, const ctw_rule_row *r)
{
    (void)ud;
    json_t *o = ctw_rule_row_json(r);
    json_dumpf(o, stdout, JSON_COMPACT);
    fputc('\n', stdout);
    json_decref(o);
    return 0;
}

int ctw_cmd_rules(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},  {"version", required_argument, NULL, 'v'},
        {"all-versions", no_argument, NULL, 'a'}, {"disabled", no_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},      {0}};
    const char *db = ctw_store_default_target();
    long version = 0;
    bool all = false, disabled = false;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'v': {
            char *end;
            version = strtol(optarg, &end, 10);
            if (*end || version < 1) {
                ctw_cli_error("rules", "--version must be a positive number");
                return 2;
            }
            break;
        }
        case 'a': all = true; break;
        case 'x': disabled = true; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    int nargs = argc - optind;
    bool add = strcmp(sub, "add") == 0, update = strcmp(sub, "update") == 0;
    if (strcmp(sub, "check") == 0 && nargs == 1) {
        ctw_rule *rule = NULL;
        char *canon = NULL;
        if (read_rule(argv[optind], &rule, &canon) != 0) return 1;
        printf("{\"valid\":true,\"definition\":%s}\n", canon);
        free(canon);
        ctw_rule_free(rule);
        return 0;
    }
    if ((add && nargs == 1) || (update && nargs == 2)) {
        ctw_rule *rule = NULL;
        char *canon = NULL;
        if (read_rule(argv[argc - 1], &rule, &canon) != 0) return 1;
        ctw_store *s = ctw_cli_open_store("rules", db, false);
        int rc = s ? 0 : CTW_ESTORE;
        char id[32];
        int64_t v = 0;
        if (rc == 0) {
            ctw_rule_row row = {.name = ctw_rule_name(rule), .severity = ctw_rule_severity(rule),
                                .enabled = !disabled, .definition = canon};
            rc = ctw_store_put_rule(s, ctw_principal_cli(), update ? argv[optind] : NULL, &row, id, sizeof id, &v);
            if (rc == CTW_ENOTFOUND) ctw_cli_error("rules", "no rule %s", argv[optind]);
            else if (rc != 0) ctw_cli_error("rules", "storing the rule failed: %s", ctw_strerror(rc));
            else printf("{\"id\":\"%s\",\"version\":%lld}\n", id, (long long)v);
        }
        ctw_store_close(s);
        free(canon);
        ctw_rule_free(rule);
        return rc == 0 ? 0 : 1;
    }
    if ((strcmp(sub, "list") == 0 && nargs == 0) || (strcmp(sub, "show") == 0 && nargs == 1)) {
        ctw_store *s = ctw_cli_open_store("rules", db, false);
        if (!s) return 1;
        int rc = nargs == 0 ? ctw_store_iterate_rules(s, all, print_row, NULL)
                            : ctw_store_get_rule(s, argv[optind], version, print_row, NULL);
        ctw_store_close(s);
        if (rc == CTW_ENOTFOUND) ctw_cli_error("rules", "no rule %s", argv[optind]);
        else if (rc != 0) ctw_cli_error("rules", "reading rules failed: %s", ctw_strerror(rc));
        return rc == 0 ? 0 : 1;
    }
    usage(stderr);
    return 2;
}
