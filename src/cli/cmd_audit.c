/* cmd_audit.c — `ctwatch audit`: the audit log, for the local administrator
 * and data protection officers (issue 5).
 *
 *   ctwatch audit verify [--db PATH]
 *       {"ok":true,"entries":N}                                       exit 0
 *       {"ok":false,"entries_checked":N,"first_bad_seq":S,"kind":K,
 *        "message":M}                                                 exit 1
 *       (kinds and their meaning: ctw_store_audit_verify in store.h;
 *       first_bad_seq 0: no single entry can be named)
 *   ctwatch audit list [--limit N] [--action A] [--user U] [--since ISO] [--db PATH]
 *       one JSON object per entry, oldest first; --limit keeps the newest N
 *
 * Both leave an entry of their own, as the command line's operator:
 * "audit-verify" once the result is known (so the walk never includes it),
 * "audit-read" after the listing, and only then is the listing printed.
 * Exit status: 0 done (verify: the log is intact), 1 failure or a log that
 * was tampered with, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

static void usage(FILE *out)
{
    fprintf(out, "usage: ctwatch audit verify [--db PATH]\n"
                 "       ctwatch audit list [--limit N] [--action A] [--user U] [--since ISO] [--db PATH]\n"
                 "verify exits 0 when the log is intact, 1 when it was tampered with (or cannot be read)\n");
}

static int do_verify(const char *db)
{
    ctw_store *s = ctw_cli_open_store("audit", db, false);
    if (!s) return 1;
    ctw_audit_verify_result res;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_store_audit_verify(s, &res, &err);
    if (rc != 0) {
        ctw_cli_report("audit", &err);
        ctw_store_close(s);
        return 1;
    }
    char detail[320];
    if (res.ok)
        snprintf(detail, sizeof detail, "intact: %lld entries", (long long)res.entries);
    else
        snprintf(detail, sizeof detail, "%s at seq %lld: %s", res.kind, (long long)res.first_bad_seq, res.message);
    int arc = ctw_store_audit(s, ctw_principal_cli(), "audit-verify", NULL, detail);
    ctw_store_close(s);
    json_t *o = res.ok ? json_pack("{s:b,s:I}", "ok", 1, "entries", (json_int_t)res.entries)
                       : json_pack("{s:b,s:I,s:I,s:s,s:s}", "ok", 0, "entries_checked", (json_int_t)res.entries,
                                   "first_bad_seq", (json_int_t)res.first_bad_seq, "kind", res.kind, "message",
                                   res.message);
    if (!o) {
        ctw_cli_error("audit", "out of memory");
        return 1;
    }
    /* the result is no personal data: shown even if its own entry failed */
    json_dumpf(o, stdout, JSON_COMPACT);
    fputc('\n', stdout);
    json_decref(o);
    if (arc != 0) {
        ctw_cli_error("audit", "cannot append the audit-verify entry: %s", ctw_strerror(arc));
        return 1;
    }
    return res.ok ? 0 : 1;
}

/* A column as JSON: NULL (or bytes that are not UTF-8, which only an edit
 * outside the store puts there; verify names such an entry) as null. */
static json_t *str_or_null(const char *v)
{
    json_t *j = v ? json_string(v) : NULL;
    return j ? j : json_null();
}

static int list_one(void *ud, const ctw_audit_entry *e)
{
    FILE *out = ud;
    json_t *o = json_object();
    if (!o) return CTW_ENOMEM;
    json_object_set_new(o, "seq", json_integer(e->seq));
    const char *const names[] = {"time", "user", "agency", "role", "action", "purpose", "records", "detail", "hash"};
    const char *const vals[] = {e->time, e->user, e->agency, e->role, e->action, e->purpose, e->records, e->detail,
                                e->hash};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) json_object_set_new(o, names[i], str_or_null(vals[i]));
    int rc = json_dumpf(o, out, JSON_COMPACT) == 0 && fputc('\n', out) != EOF ? 0 : CTW_EIO;
    json_decref(o);
    return rc;
}

/* "YYYY-MM-DD", optionally followed by a time: compared as text with the
 * entries' "YYYY-MM-DDTHH:MM:SSZ". */
static bool iso_ok(const char *s)
{
    static const char pat[] = "dddd-dd-dd";
    size_t n = strlen(s);
    if (n < sizeof pat - 1 || n > 32) return false;
    for (size_t i = 0; i < sizeof pat - 1; i++)
        if (pat[i] == 'd' ? (s[i] < '0' || s[i] > '9') : s[i] != pat[i]) return false;
    return true;
}

static int do_list(const char *db, const ctw_audit_filter *f)
{
    /* held back until the store has recorded the read (ctw_store_audit_list) */
    FILE *tmp = tmpfile();
    if (!tmp) {
        ctw_cli_error("audit", "cannot create a temporary file");
        return 1;
    }
    ctw_store *s = ctw_cli_open_store("audit", db, false);
    if (!s) {
        fclose(tmp);
        return 1;
    }
    int rc = ctw_store_audit_list(s, ctw_principal_cli(), f, list_one, tmp);
    ctw_store_close(s);
    if (rc != 0) {
        ctw_cli_error("audit", "cannot list the audit log: %s", ctw_strerror(rc));
        fclose(tmp);
        return 1;
    }
    rewind(tmp);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, tmp)) > 0) fwrite(buf, 1, n, stdout);
    rc = ferror(tmp) ? 1 : 0;
    fclose(tmp);
    if (fflush(stdout) != 0) rc = 1;
    return rc;
}

int ctw_cmd_audit(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},     {"limit", required_argument, NULL, 'l'},
        {"action", required_argument, NULL, 'a'}, {"user", required_argument, NULL, 'u'},
        {"since", required_argument, NULL, 's'},  {"help", no_argument, NULL, 'h'},
        {0}};
    const char *db = ctw_store_default_target();
    ctw_audit_filter f = {0};
    bool filtered = false;
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'l': {
            char *end;
            long long v = strtoll(optarg, &end, 10);
            if (end == optarg || *end || v <= 0) {
                ctw_cli_error("audit", "--limit wants a positive number, not '%s'", optarg);
                return 2;
            }
            f.limit = v;
            filtered = true;
            break;
        }
        case 'a': f.action = optarg; filtered = true; break;
        case 'u': f.user = optarg; filtered = true; break;
        case 's':
            if (!iso_ok(optarg)) {
                ctw_cli_error("audit", "--since wants an ISO date or time (2026-03-01, 2026-03-01T12:00:00Z)");
                return 2;
            }
            f.since = optarg;
            filtered = true;
            break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (optind != argc) {
        usage(stderr);
        return 2;
    }
    if (strcmp(sub, "verify") == 0) {
        if (filtered) {
            ctw_cli_error("audit", "verify checks the whole log: it takes no filter");
            return 2;
        }
        return do_verify(db);
    }
    if (strcmp(sub, "list") == 0) return do_list(db, &f);
    ctw_cli_error("audit", "unknown subcommand '%s'", sub);
    usage(stderr);
    return 2;
}
