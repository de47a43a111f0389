/* cmd_notices.c — `ctwatch notices`: notices on records (issue 5, notice.h).
 *
 *   ctwatch notices list [--state S] [--kind K] [--record ID] [--limit N] [--after N]
 *   ctwatch notices show ID
 *   ctwatch notices create --record ID --kind K --action A [--summary TEXT] [--valid-until YYYY-MM-DD]
 *   ctwatch notices submit ID | publish ID | cancel ID [--reason TEXT]
 *
 * The command line is the local operator: it reads as the local
 * administrator, and writes as a supervisor of the record's owner agency
 * (user "cli"), so the store's rules — the state machine, the checks of
 * kind, action and dates, the audit — apply as for anyone. Output is JSON
 * (one notice per line for list); exit 0 done, 1 refused or failed, 2
 * usage or invalid input.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/notice.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ctwatch notices list [--state S] [--kind K] [--record ID] [--limit N] [--after N] [--db PATH]\n"
                 "       ctwatch notices show ID [--db PATH]\n"
                 "       ctwatch notices create --record ID --kind K --action A [--summary TEXT]\n"
                 "                              [--valid-until YYYY-MM-DD] [--db PATH]\n"
                 "       ctwatch notices submit|publish ID [--db PATH]\n"
                 "       ctwatch notices cancel ID [--reason TEXT] [--db PATH]\n"
                 "kinds: red blue yellow green orange black purple un-special diffusion national sanctions\n"
                 "actions: arrest locate inform monitor\n");
}

static void print_notice(const ctw_notice *n)
{
    json_t *o = ctw_notice_json(n);
    if (o) json_dumpf(o, stdout, JSON_COMPACT);
    fputc('\n', stdout);
    json_decref(o);
}

static int print_one(void *ud, const ctw_notice *n)
{
    (void)ud;
    print_notice(n);
    return 0;
}

/* The operator acting for owner: a supervisor of that agency. */
static ctw_principal operator_for(const char *owner)
{
    ctw_principal p = {.user = "cli", .agency = owner, .role = CTW_ROLE_SUPERVISOR, .purpose = "administration"};
    return p;
}

static int exit_code(int rc)
{
    return rc == 0 ? 0 : rc == CTW_EINVAL ? 2 : 1;
}

static int create(ctw_store *s, const ctw_notice_new *nn)
{
    ctw_record *r = NULL;
    int rc = ctw_store_get(s, ctw_principal_cli(), nn->record, &r);
    if (rc != 0) {
        ctw_cli_error("notices", "no record %s", nn->record);
        ctw_record_free(r);
        return 1;
    }
    ctw_principal p = operator_for(r->owner);
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    ctw_error err = {0};
    rc = ctw_notice_create(s, &p, nn, &a, &n, &err);
    if (rc == 0) print_notice(&n);
    else ctw_cli_report("notices", &err);
    ctw_arena_free(&a);
    ctw_record_free(r);
    return exit_code(rc);
}

static int step(ctw_store *s, const char *sub, const char *id, const char *reason)
{
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    int rc = ctw_notice_get(s, ctw_principal_cli(), id, &a, &n);
    if (rc != 0) {
        ctw_cli_error("notices", "no notice %s", id);
        ctw_arena_free(&a);
        return 1;
    }
    ctw_principal p = operator_for(n.owner);
    ctw_error err = {0};
    if (strcmp(sub, "submit") == 0) rc = ctw_notice_submit(s, &p, id, &a, &n, &err);
    else if (strcmp(sub, "publish") == 0) rc = ctw_notice_publish(s, &p, id, &a, &n, &err);
    else rc = ctw_notice_cancel(s, &p, id, reason, &a, &n, &err);
    if (rc == 0) print_notice(&n);
    else ctw_cli_report("notices", &err);
    ctw_arena_free(&a);
    return exit_code(rc);
}

int ctw_cmd_notices(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"state", required_argument, NULL, 's'},
        {"kind", required_argument, NULL, 'k'},   {"record", required_argument, NULL, 'r'},
        {"limit", required_argument, NULL, 'l'},  {"after", required_argument, NULL, 'a'},
        {"action", required_argument, NULL, 'A'}, {"summary", required_argument, NULL, 'S'},
        {"valid-until", required_argument, NULL, 'v'}, {"reason", required_argument, NULL, 'R'},
        {"help", no_argument, NULL, 'h'},         {0}};
    const char *db = ctw_store_default_target();
    ctw_notice_filter f = {0};
    ctw_notice_new nn = {0};
    const char *reason = NULL;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': f.state = optarg; break;
        case 'k': f.kind = nn.kind = optarg; break;
        case 'r': f.record = nn.record = optarg; break;
        case 'l':
        case 'a': {
            const char *digits = c == 'a' && strncmp(optarg, "N-", 2) == 0 ? optarg + 2 : optarg;
            char *end;
            long long v = strtoll(digits, &end, 10);
            if (end == digits || *end || v < (c == 'l' ? 1 : 0) || (c == 'l' && v > CTW_NOTICE_LIST_MAX)) {
                ctw_cli_error("notices", c == 'l' ? "--limit is 1 to 1000" : "--after is a notice id or number");
                return 2;
            }
            if (c == 'l') f.limit = (int)v;
            else f.after = v;
            break;
        }
        case 'A': nn.action = optarg; break;
        case 'S': nn.summary = optarg; break;
        case 'v': nn.valid_until = optarg; break;
        case 'R': reason = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    int nargs = argc - optind;
    bool is_step = strcmp(sub, "submit") == 0 || strcmp(sub, "publish") == 0 || strcmp(sub, "cancel") == 0;
    bool ok = (strcmp(sub, "list") == 0 && nargs == 0) || (strcmp(sub, "show") == 0 && nargs == 1) ||
              (strcmp(sub, "create") == 0 && nargs == 0) || (is_step && nargs == 1);
    if (!ok) {
        usage(stderr);
        return 2;
    }
    if (strcmp(sub, "create") == 0 && (!nn.record || !nn.kind || !nn.action)) {
        ctw_cli_error("notices", "create needs --record, --kind and --action");
        return 2;
    }
    if (strcmp(sub, "list") == 0 && ((f.state && !ctw_notice_state_valid(f.state)) ||
                                     (f.kind && !ctw_notice_kind_valid(f.kind)))) {
        ctw_cli_error("notices", "unknown --state or --kind");
        return 2;
    }
    ctw_store *s = ctw_cli_open_store("notices", db, false);
    if (!s) return 1;
    int rc = 0;
    if (strcmp(sub, "list") == 0) {
        rc = ctw_notice_list(s, ctw_principal_cli(), &f, print_one, NULL);
        if (rc != 0) ctw_cli_error("notices", "listing failed: %s", ctw_strerror(rc));
        rc = rc == 0 ? 0 : 1;
    } else if (strcmp(sub, "show") == 0) {
        ctw_arena a;
        ctw_arena_init(&a);
        ctw_notice n;
        int grc = ctw_notice_get(s, ctw_principal_cli(), argv[optind], &a, &n);
        if (grc == 0) print_notice(&n);
        else ctw_cli_error("notices", "no notice %s", argv[optind]);
        ctw_arena_free(&a);
        rc = grc == 0 ? 0 : 1;
    } else if (strcmp(sub, "create") == 0) {
        rc = create(s, &nn);
    } else {
        rc = step(s, sub, argv[optind], reason);
    }
    ctw_store_close(s);
    return rc;
}
