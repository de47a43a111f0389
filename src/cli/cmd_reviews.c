/* cmd_reviews.c — retention from the command line (issue 5), as the
 * local administrator (ctw_principal_cli()):
 *
 *   ctwatch reviews [--within DAYS] [--agency CODE] [--limit N]
 *       records whose review date falls within DAYS from today (default 0:
 *       due now), oldest first, as JSON {"until","reviews":[...]}
 *   ctwatch reviews extend ID --reason R
 *       a new review date five years from today
 *   ctwatch delete ID --reason R
 *       delete the record for real (store.h: ctw_store_record_delete)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/access.h"

static void print_json(json_t *o)
{
    json_dumpf(o, stdout, JSON_INDENT(2));
    fputc('\n', stdout);
}

static int collect(void *ud, const ctw_review_item *r)
{
    json_t *o = json_pack("{s:s,s:s?,s:s,s:s,s:s,s:s?}", "record", r->id, "name", r->name, "review_date",
                          r->review_date, "owner", r->owner, "kind", ctw_kind_name(r->kind), "status", r->status);
    return o && json_array_append_new(ud, o) == 0 ? 0 : CTW_ENOMEM;
}

/* A whole number from lo to hi, or -1. */
static long number(const char *text, long lo, long hi)
{
    char *end;
    long v = strtol(text, &end, 10);
    return *text && !*end && v >= lo && v <= hi ? v : -1;
}

typedef struct opts {
    const char *db, *reason, *agency;
    long within, limit;
} opts;

/* Parse the options of cmd into o; the index of the first operand, or -1
 * (usage printed or an error reported: the exit status in *status). */
static int parse(const char *cmd, int argc, char **argv, opts *o, int *status)
{
    static const struct option longopts[] = {{"db", required_argument, NULL, 'd'},
                                             {"reason", required_argument, NULL, 'r'},
                                             {"within", required_argument, NULL, 'w'},
                                             {"agency", required_argument, NULL, 'a'},
                                             {"limit", required_argument, NULL, 'l'},
                                             {"help", no_argument, NULL, 'h'},
                                             {0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:r:w:a:l:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'r': o->reason = optarg; break;
        case 'a': o->agency = optarg; break;
        case 'w':
            if ((o->within = number(optarg, 0, 36500)) < 0) {
                ctw_cli_error(cmd, "--within wants a number of days from 0 to 36500");
                *status = 2;
                return -1;
            }
            break;
        case 'l':
            if ((o->limit = number(optarg, 1, CTW_REVIEWS_MAX)) < 0) {
                ctw_cli_error(cmd, "--limit wants a number from 1 to %d", CTW_REVIEWS_MAX);
                *status = 2;
                return -1;
            }
            break;
        case 'h':
            printf("usage: ctwatch reviews [--db PATH] [--within DAYS] [--agency CODE] [--limit N]\n"
                   "       ctwatch reviews extend [--db PATH] ID --reason TEXT\n"
                   "       ctwatch delete [--db PATH] ID --reason TEXT\n");
            *status = 0;
            return -1;
        default: *status = 2; return -1;
        }
    }
    return optind;
}

static int decide(const char *cmd, bool del, int argc, char **argv)
{
    opts o = {.db = ctw_store_default_target()};
    int status = 0, first = parse(cmd, argc, argv, &o, &status);
    if (first < 0) return status;
    if (first + 1 != argc) {
        ctw_cli_error(cmd, "give exactly one record id");
        return 2;
    }
    if (!o.reason) {
        ctw_cli_error(cmd, "--reason is required (it is kept in the audit log)");
        return 2;
    }
    ctw_store *s = ctw_cli_open_store(cmd, o.db, false);
    if (!s) return 1;
    ctw_error err = {0};
    const char *id = argv[first];
    char date[16] = "";
    bool overwritten = false;
    int rc = del ? ctw_store_record_delete(s, ctw_principal_cli(), id, o.reason, &overwritten, &err)
                 : ctw_store_review_extend(s, ctw_principal_cli(), id, o.reason, date, &err);
    ctw_store_close(s);
    if (rc != 0) {
        ctw_cli_report(cmd, &err);
        return rc == CTW_EINVAL ? 2 : 1;
    }
    json_t *out = del ? json_pack("{s:s,s:b,s:b}", "record", id, "deleted", 1, "storage_overwritten", overwritten)
                      : json_pack("{s:s,s:s,s:s}", "record", id, "decision", "extend", "review_date", date);
    if (!out) return 1;
    print_json(out);
    json_decref(out);
    return 0;
}

int ctw_cmd_reviews(int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "extend") == 0) return decide("reviews extend", false, argc - 1, argv + 1);
    opts o = {.db = ctw_store_default_target(), .limit = CTW_REVIEWS_MAX};
    int status = 0, first = parse("reviews", argc, argv, &o, &status);
    if (first < 0) return status;
    if (first != argc) {
        ctw_cli_error("reviews", "unknown argument '%s' (reviews [--within DAYS] | reviews extend ID --reason R)",
                      argv[first]);
        return 2;
    }
    ctw_store *s = ctw_cli_open_store("reviews", o.db, false);
    if (!s) return 1;
    char until[16];
    ctw_store_review_until(o.within, until);
    json_t *arr = json_array();
    ctw_error err = {0};
    int rc = arr ? ctw_store_reviews_due(s, ctw_principal_cli(), o.agency, until, (int)o.limit, collect, arr, &err)
                 : CTW_ENOMEM;
    ctw_store_close(s);
    if (rc != 0) {
        json_decref(arr);
        ctw_cli_report("reviews", &err);
        return rc == CTW_EINVAL ? 2 : 1;
    }
    json_t *out = json_pack("{s:s,s:o}", "until", until, "reviews", arr);
    if (!out) return 1;
    print_json(out);
    json_decref(out);
    return 0;
}

int ctw_cmd_delete(int argc, char **argv) { return decide("delete", true, argc, argv); }
