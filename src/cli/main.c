/* main.c — the ctwatch program: one binary for the server and the tools.
 *
 * argv[1] names the command; each command parses the rest itself
 * (cmd_<name>.c). JSON goes to stdout, errors to stderr, and the exit status
 * is 0 on success, 1 on failure, 2 on a usage error.
 */
#include <malloc.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "cli/cli.h"
#include "ctwatch/store.h"

#define CTW_VERSION "0.1.0"

static const struct {
    const char *name;
    int (*fn)(int, char **);
    const char *summary;
} commands[] = {
    {"init", ctw_cmd_init, "create (or migrate) the store"},
    {"import", ctw_cmd_import, "import a watchlist: --format {un-xml,ofac-csv,ftm} [--owner AGENCY] FILE..."},
    {"stats", ctw_cmd_stats, "counts per type and source (--json)"},
    {"show", ctw_cmd_show, "print one record as JSON: show ID"},
    {"restrict", ctw_cmd_restrict, "set who may see a record: restrict ID --kind K [--list a,b]"},
    {"export", ctw_cmd_export, "export records: --format ftm [--source NAME]"},
    {"serve", ctw_cmd_serve, "serve the HTTP API: --listen ADDR:PORT"},
    {"screen", ctw_cmd_screen, "screen a person: --name NAME [--dob D] [--nationality C] ..., or --batch FILE"},
    {"compare", ctw_cmd_compare, "score name pairs: --batch FILE of {\"id\",\"a\",\"b\"} lines"},
    {"synth", ctw_cmd_synth, "synthetic data: synth persons N --seed S (FtM JSON lines)"},
    {"mrz", ctw_cmd_mrz, "parse and check machine readable zones from stdin (one per line, or lines joined with |)"},
    {"documents", ctw_cmd_documents, "stolen and lost travel documents: import FILE.csv | check --state S --number N | stats"},
    {"manifest", ctw_cmd_manifest, "screen a passenger manifest (PAXLST, PNRGOV, JSON): screen FILE | parse FILE"},
    {"rules", ctw_cmd_rules, "risk rules: add FILE | update ID FILE | list | show ID | check FILE"},
    {"movements", ctw_cmd_movements, "movements of a person of interest and their co-travellers: movements ID"},
    {"audit", ctw_cmd_audit, "the audit log: verify (exit 1 if tampered with) | list [--limit N] [--action A] [--user U] [--since ISO]"},
    {"agencies", ctw_cmd_agencies, "agencies and their regions: add CODE --name N --kind K [--country C] [--regions r1,r2] | list"},
    {"users", ctw_cmd_users, "users: add USER --agency A --role R | passwd USER | disable|enable USER | list | totp USER (password on stdin)"},
    {"keys", ctw_cmd_keys, "API keys of border systems (screening only): add --agency A --name N | revoke ID | list"},
    {"notices", ctw_cmd_notices, "notices on records: list | show ID | create --record ID --kind K --action A | submit|publish|cancel ID"},
    {"reviews", ctw_cmd_reviews, "records due for review: [--within DAYS] [--agency A] | extend ID --reason R"},
    {"delete", ctw_cmd_delete, "delete a record for real (retention): delete ID --reason R"},
    {"login", ctw_cmd_login, "log in (for testing): login USER [--totp CODE], password on stdin; prints a session token"},
};

static void usage(FILE *out)
{
    fprintf(out, "ctwatch %s — counter-terrorism information exchange and screening\n\n"
                 "usage: ctwatch COMMAND [OPTIONS]\n\ncommands:\n", CTW_VERSION);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
    fprintf(out, "  %-8s %s\n  %-8s %s\n", "help", "this text; `ctwatch COMMAND --help` for a command",
            "version", "print the version");
    fprintf(out, "\nevery command takes --db PATH (default $CTWATCH_DB or ./var/ctwatch.db)\n");
}

void ctw_cli_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "ctwatch %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void ctw_cli_report(const char *cmd, const ctw_error *err)
{
    if (err->where[0])
        fprintf(stderr, "ctwatch %s: %s: %s\n", cmd, err->where, err->message);
    else
        fprintf(stderr, "ctwatch %s: %s\n", cmd, err->message[0] ? err->message : ctw_strerror(err->code));
}

ctw_store *ctw_cli_open_store(const char *cmd, const char *db, bool create)
{
    ctw_store *s = NULL;
    ctw_error err;
    ctw_error_clear(&err);
    if (ctw_store_open(db, create ? CTW_STORE_CREATE : 0, &s, &err) != 0) {
        ctw_cli_report(cmd, &err);
        return NULL;
    }
    return s;
}

/* glibc gives the top of its heap back to the kernel once 128 KiB there are
 * free, and takes it back on the next allocation, each page faulted in
 * anew. SQLite frees and allocates a page cache of ~90 KiB for every
 * temporary b-tree and statement journal, which an import opens for each
 * record it writes: the UN list's import made ~1,600 brk calls and spent
 * over a third of its time in page faults and trims. Keeping up to 64 MiB
 * free at the top, and growing the heap 16 MiB at a time, took that import
 * from 0.33-0.38 s to 0.21-0.22 s on the bench machine (bench/RESULTS.md).
 * A process that frees a lot keeps it until exit; the server holds its
 * index for its life anyway. */
static void tune_malloc(void)
{
    mallopt(M_TRIM_THRESHOLD, 64 << 20);
    mallopt(M_TOP_PAD, 16 << 20);
}

int main(int argc, char **argv)
{
    tune_malloc();
    if (sodium_init() < 0) {
        fprintf(stderr, "ctwatch: libsodium failed to start\n");
        return 1;
    }
    if (argc < 2) {
        usage(stderr);
        return 2;
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        printf("{\"version\":\"%s\",\"schema\":%d}\n", CTW_VERSION, ctw_store_schema_latest());
        return 0;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (strcmp(cmd, commands[i].name) == 0) return commands[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "ctwatch: unknown command '%s'\n\n", cmd);
    usage(stderr);
    return 2;
}
