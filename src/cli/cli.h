/* cli.h — the commands of the ctwatch program (private to src/cli).
 *
 * main.c dispatches argv[1] to one ctw_cmd_* function; each lives in its
 * own file (cmd_<name>.c), parses its own options with getopt_long, prints
 * JSON on stdout, errors on stderr as "ctwatch <cmd>: message", and returns
 * the process exit status: 0 ok, 1 failure, 2 usage error.
 */
#ifndef CTW_CLI_H
#define CTW_CLI_H

#include "ctwatch/error.h"
#include "ctwatch/store.h"

int ctw_cmd_init(int argc, char **argv);
int ctw_cmd_import(int argc, char **argv);
int ctw_cmd_stats(int argc, char **argv);
int ctw_cmd_show(int argc, char **argv);
int ctw_cmd_restrict(int argc, char **argv);
int ctw_cmd_export(int argc, char **argv);
int ctw_cmd_serve(int argc, char **argv);
int ctw_cmd_screen(int argc, char **argv);
int ctw_cmd_compare(int argc, char **argv);
int ctw_cmd_synth(int argc, char **argv);
int ctw_cmd_mrz(int argc, char **argv);
int ctw_cmd_documents(int argc, char **argv);
int ctw_cmd_manifest(int argc, char **argv);
int ctw_cmd_rules(int argc, char **argv);
int ctw_cmd_movements(int argc, char **argv);
int ctw_cmd_audit(int argc, char **argv);
int ctw_cmd_users(int argc, char **argv);
int ctw_cmd_keys(int argc, char **argv);
int ctw_cmd_login(int argc, char **argv);
int ctw_cmd_agencies(int argc, char **argv);
int ctw_cmd_notices(int argc, char **argv);
int ctw_cmd_reviews(int argc, char **argv);
int ctw_cmd_delete(int argc, char **argv);

/* Print "ctwatch <cmd>: <fmt...>" to stderr. */
void ctw_cli_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print a ctw_error as "ctwatch <cmd>: <where>: <message>". */
void ctw_cli_report(const char *cmd, const ctw_error *err);
/* Open the store named by --db (or the default), creating it if `create`.
 * Prints the error and returns NULL on failure. */
ctw_store *ctw_cli_open_store(const char *cmd, const char *db, bool create);

#endif
