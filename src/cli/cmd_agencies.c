/* cmd_agencies.c — `ctwatch agencies`: the agencies that users and keys
 * belong to, and their regions (issue 5, item 1).
 *
 *   ctwatch agencies add CODE --name N --kind K [--country C] [--regions r1,r2] [--contact X]
 *   ctwatch agencies list
 *
 * --country takes a name or a code ("France", "FR", "FRA") and stores the
 * alpha-3 code. The regions of an agency are what the access check
 * compares with a record's "regions" restriction for the agency's users.
 * Output is JSON; exit 0 done, 1 refused or failed, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/auth.h"
#include "ctwatch/country.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ctwatch agencies add CODE --name N --kind K [--country C] [--regions r1,r2]"
                 " [--contact X] [--db PATH]\n"
                 "       ctwatch agencies list [--db PATH]\n"
                 "kinds: ncb, national-service, international-organisation\n");
}

static int print_agency(void *ud, const ctw_agency *a)
{
    (void)ud;
    json_t *o = json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:s?}", "code", a->code, "name", a->name, "country", a->country,
                          "kind", a->kind, "contact", a->contact, "regions", a->regions);
    if (o) {
        json_dumpf(o, stdout, JSON_COMPACT);
        fputc('\n', stdout);
    }
    json_decref(o);
    return 0;
}

int ctw_cmd_agencies(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},      {"name", required_argument, NULL, 'n'},
        {"kind", required_argument, NULL, 'k'},    {"country", required_argument, NULL, 'c'},
        {"regions", required_argument, NULL, 'r'}, {"contact", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},          {0}};
    const char *db = ctw_store_default_target();
    ctw_agency a = {0};
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'n': a.name = optarg; break;
        case 'k': a.kind = optarg; break;
        case 'c': a.country = optarg; break;
        case 'r': a.regions = optarg; break;
        case 'o': a.contact = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    int nargs = argc - optind;
    bool add = strcmp(sub, "add") == 0, list = strcmp(sub, "list") == 0;
    if (!((add && nargs == 1 && a.name && a.kind) || (list && nargs == 0))) {
        usage(stderr);
        return 2;
    }
    if (add && a.country) {
        const char *alpha3 = ctw_country_lookup(a.country);
        if (!alpha3) {
            ctw_cli_error("agencies", "unknown country '%s'", a.country);
            return 2;
        }
        a.country = alpha3;
    }
    ctw_store *s = ctw_cli_open_store("agencies", db, false);
    if (!s) return 1;
    ctw_error err = {0};
    int rc;
    if (add) {
        a.code = argv[optind];
        rc = ctw_auth_agency_add(s, ctw_principal_cli(), &a, &err);
        if (rc == 0) print_agency(NULL, &a);
    } else {
        rc = ctw_auth_agency_iterate(s, print_agency, NULL);
    }
    ctw_store_close(s);
    if (rc != 0) ctw_cli_error("agencies", "%s", err.message[0] ? err.message : ctw_strerror(rc));
    return rc == 0 ? 0 : 1;
}
