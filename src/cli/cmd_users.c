/* cmd_users.c — `ctwatch users`, `ctwatch keys`, `ctwatch login`: the
 * identities of issue 5 (auth.h) from the command line.
 *
 *   ctwatch users add USER --agency A --role R [--password-stdin]
 *   ctwatch users passwd USER [--password-stdin]
 *   ctwatch users disable|enable USER
 *   ctwatch users list [--agency A]
 *   ctwatch users totp USER            enrol: prints the otpauth:// URI
 *   ctwatch keys add --agency A --name N [--scope screening]
 *   ctwatch keys revoke ID
 *   ctwatch keys list
 *   ctwatch login USER [--totp CODE]   prints a session token (for testing)
 *
 * Passwords are read from standard input only (one line; without echo
 * when it is a terminal), never from argv, where `ps` and shell history
 * would show them. --password-stdin says so explicitly and changes
 * nothing. The program acts as ctw_principal_cli(), the administrator of
 * the store file. Output is JSON; exit 0 done, 1 refused or failed, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "cli/cli.h"
#include "ctwatch/auth.h"

typedef struct opts {
    const char *db, *agency, *role, *name, *scope, *totp;
} opts;

/* Parse the options of every sub-command from argv[first] on; the
 * remaining arguments are argv[optind..argc). 0, or the exit status. */
static int parse(int argc, char **argv, int first, opts *o, void (*usage)(FILE *))
{
    static const struct option longopts[] = {
        {"db", required_argument, NULL, 'd'},      {"agency", required_argument, NULL, 'a'},
        {"role", required_argument, NULL, 'r'},    {"name", required_argument, NULL, 'n'},
        {"scope", required_argument, NULL, 's'},   {"totp", required_argument, NULL, 't'},
        {"password-stdin", no_argument, NULL, 'p'}, {"help", no_argument, NULL, 'h'},
        {0}};
    *o = (opts){.db = ctw_store_default_target()};
    int c;
    optind = first;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o->db = optarg; break;
        case 'a': o->agency = optarg; break;
        case 'r': o->role = optarg; break;
        case 'n': o->name = optarg; break;
        case 's': o->scope = optarg; break;
        case 't': o->totp = optarg; break;
        case 'p': break;   /* the only source there is */
        case 'h': usage(stdout); return -1;
        default: usage(stderr); return 2;
        }
    }
    return 0;
}

/* Read the password: one line of stdin, at most CTW_AUTH_PASSWORD_MAX
 * bytes, echo off on a terminal. 0 or 1 (message printed). buf holds
 * CTW_AUTH_PASSWORD_MAX + 2 bytes. */
static int read_password(const char *cmd, const char *prompt, char *buf, size_t cap)
{
    bool tty = isatty(STDIN_FILENO);
    struct termios saved, quiet;
    if (tty && tcgetattr(STDIN_FILENO, &saved) == 0) {
        fprintf(stderr, "%s", prompt);
        quiet = saved;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    } else {
        tty = false;
    }
    char *line = fgets(buf, (int)cap, stdin);
    if (tty) {
        tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
        fputc('\n', stderr);
    }
    if (!line) {
        ctw_cli_error(cmd, "no password on standard input");
        return 1;
    }
    size_t n = strlen(buf);
    bool whole_line = n > 0 && buf[n - 1] == '\n';
    if (!whole_line && n == cap - 1 && !feof(stdin)) {
        sodium_memzero(buf, cap);
        ctw_cli_error(cmd, "password longer than %d bytes", CTW_AUTH_PASSWORD_MAX);
        return 1;
    }
    if (whole_line) buf[--n] = '\0';
    if (n > 0 && buf[n - 1] == '\r') buf[--n] = '\0';
    return 0;
}

static void print_json(json_t *o)
{
    if (o) {
        json_dumpf(o, stdout, JSON_COMPACT);
        fputc('\n', stdout);
    }
    json_decref(o);
}

/* The error of a library call: its message, or the code's text. */
static int report(const char *cmd, int rc, const ctw_error *err)
{
    ctw_cli_error(cmd, "%s", err->message[0] ? err->message : ctw_strerror(rc));
    return 1;
}

/* --- users ------------------------------------------------------------------ */

static void users_usage(FILE *out)
{
    fprintf(out, "usage: ctwatch users add USER --agency A --role R [--password-stdin] [--db PATH]\n"
                 "       ctwatch users passwd USER [--password-stdin] [--db PATH]\n"
                 "       ctwatch users disable|enable USER [--db PATH]\n"
                 "       ctwatch users list [--agency A] [--db PATH]\n"
                 "       ctwatch users totp USER [--db PATH]\n"
                 "roles: officer, analyst, supervisor, agency-admin, auditor, system-admin\n"
                 "the password is read from standard input, never from the command line\n");
}

static int print_user(void *ud, const ctw_user *u)
{
    (void)ud;
    print_json(json_pack("{s:I,s:s,s:s,s:s,s:b,s:b,s:s?,s:s?}", "id", (json_int_t)u->id, "username", u->username,
                         "agency", u->agency, "role", ctw_role_name(u->role), "enabled", u->enabled, "totp", u->totp,
                         "created", u->created, "updated", u->updated));
    return 0;
}

int ctw_cmd_users(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        users_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    opts o;
    int st = parse(argc, argv, 2, &o, users_usage);
    if (st != 0) return st < 0 ? 0 : st;
    int nargs = argc - optind;
    const char *user = nargs == 1 ? argv[optind] : NULL;
    bool add = strcmp(sub, "add") == 0, passwd = strcmp(sub, "passwd") == 0;
    bool disable = strcmp(sub, "disable") == 0, enable = strcmp(sub, "enable") == 0;
    bool list = strcmp(sub, "list") == 0, totp = strcmp(sub, "totp") == 0;
    if (!((list && nargs == 0) || ((add || passwd || disable || enable || totp) && nargs == 1))) {
        users_usage(stderr);
        return 2;
    }
    ctw_role role = CTW_ROLE_NONE;
    if (add) {
        if (!o.agency || !o.role) {
            ctw_cli_error("users", "add needs --agency and --role");
            return 2;
        }
        if ((role = ctw_auth_role_from_name(o.role)) == CTW_ROLE_NONE) {
            ctw_cli_error("users", "unknown role '%s'", o.role);
            return 2;
        }
    }
    char pw[CTW_AUTH_PASSWORD_MAX + 2];
    pw[0] = '\0';
    if ((add || passwd) && read_password("users", "password: ", pw, sizeof pw) != 0) return 1;

    ctw_store *s = ctw_cli_open_store("users", o.db, false);
    int rc = s ? 0 : CTW_ESTORE;
    ctw_error err = {0};
    const ctw_principal *me = ctw_principal_cli();
    if (!s) {
        /* reported by ctw_cli_open_store */
    } else if (add || passwd) {
        rc = add ? ctw_auth_user_create(s, me, user, o.agency, role, pw, &err)
                 : ctw_auth_user_set_password(s, me, user, pw, &err);
        if (rc == 0 && add)
            print_json(json_pack("{s:s,s:s,s:s}", "username", user, "agency", o.agency, "role", ctw_role_name(role)));
        else if (rc == 0)
            print_json(json_pack("{s:s,s:b}", "username", user, "password_changed", 1));
    } else if (disable || enable) {
        rc = ctw_auth_user_set_enabled(s, me, user, enable, &err);
        if (rc == 0) print_json(json_pack("{s:s,s:b}", "username", user, "enabled", enable));
    } else if (list) {
        rc = ctw_auth_user_iterate(s, me, o.agency, print_user, NULL, &err);
    } else if (totp) {
        char secret[CTW_AUTH_TOTP_B32_SIZE], uri[CTW_AUTH_TOTP_URI_SIZE];
        rc = ctw_auth_totp_enable(s, me, user, secret, uri, &err);
        if (rc == 0) print_json(json_pack("{s:s,s:s,s:s}", "username", user, "secret", secret, "uri", uri));
        sodium_memzero(secret, sizeof secret);
    }
    sodium_memzero(pw, sizeof pw);
    ctw_store_close(s);
    if (rc != 0 && s) return report("users", rc, &err);
    return rc == 0 ? 0 : 1;
}

/* --- keys -------------------------------------------------------------------- */

static void keys_usage(FILE *out)
{
    fprintf(out, "usage: ctwatch keys add --agency A --name N [--scope screening] [--db PATH]\n"
                 "       ctwatch keys revoke ID [--db PATH]\n"
                 "       ctwatch keys list [--db PATH]\n"
                 "a key is printed once, when it is made; the store keeps only its hash\n");
}

static int print_key(void *ud, const ctw_api_key *k)
{
    (void)ud;
    print_json(json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?}", "id", (json_int_t)k->id, "agency", k->agency, "name", k->name,
                         "scope", k->scope, "created", k->created, "revoked", k->revoked));
    return 0;
}

int ctw_cmd_keys(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        keys_usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    opts o;
    int st = parse(argc, argv, 2, &o, keys_usage);
    if (st != 0) return st < 0 ? 0 : st;
    int nargs = argc - optind;
    bool add = strcmp(sub, "add") == 0, revoke = strcmp(sub, "revoke") == 0, list = strcmp(sub, "list") == 0;
    if (!((add && nargs == 0 && o.agency && o.name) || (revoke && nargs == 1) || (list && nargs == 0))) {
        keys_usage(stderr);
        return 2;
    }
    long long id = 0;
    if (revoke) {
        char *end;
        id = strtoll(argv[optind], &end, 10);
        if (*end || id < 1) {
            ctw_cli_error("keys", "ID must be a positive number");
            return 2;
        }
    }
    ctw_store *s = ctw_cli_open_store("keys", o.db, false);
    if (!s) return 1;
    ctw_error err = {0};
    const ctw_principal *me = ctw_principal_cli();
    int rc = 0;
    if (add) {
        char key[CTW_AUTH_TOKEN_SIZE];
        int64_t kid = 0;
        rc = ctw_auth_key_create(s, me, o.agency, o.name, o.scope, &kid, key, &err);
        if (rc == 0) {
            print_json(json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)kid, "agency", o.agency, "name", o.name,
                                 "scope", o.scope ? o.scope : CTW_AUTH_SCOPE_SCREENING, "key", key));
            fprintf(stderr, "ctwatch keys: the key is shown this once; only its hash is kept\n");
        }
        sodium_memzero(key, sizeof key);
    } else if (revoke) {
        rc = ctw_auth_key_revoke(s, me, (int64_t)id, &err);
        if (rc == 0) print_json(json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1));
    } else {
        rc = ctw_auth_key_iterate(s, me, print_key, NULL, &err);
    }
    ctw_store_close(s);
    return rc == 0 ? 0 : report("keys", rc, &err);
}

/* --- login ------------------------------------------------------------------- */

static void login_usage(FILE *out)
{
    fprintf(out, "usage: ctwatch login USER [--totp CODE] [--db PATH]\n"
                 "reads the password from standard input and prints a session token\n");
}

int ctw_cmd_login(int argc, char **argv)
{
    opts o;
    int st = parse(argc, argv, 1, &o, login_usage);
    if (st != 0) return st < 0 ? 0 : st;
    if (argc - optind != 1) {
        login_usage(stderr);
        return 2;
    }
    const char *user = argv[optind];
    char pw[CTW_AUTH_PASSWORD_MAX + 2];
    if (read_password("login", "password: ", pw, sizeof pw) != 0) return 1;
    ctw_store *s = ctw_cli_open_store("login", o.db, false);
    if (!s) {
        sodium_memzero(pw, sizeof pw);
        return 1;
    }
    ctw_error err = {0};
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_principal p;
    char token[CTW_AUTH_TOKEN_SIZE];
    int rc = ctw_auth_login(s, user, pw, o.totp, NULL, (int64_t)time(NULL), token, &p, &a, &err);
    sodium_memzero(pw, sizeof pw);
    if (rc == 0) {
        print_json(json_pack("{s:s,s:s,s:s,s:s?,s:s,s:i,s:i}", "token", token, "user", p.user, "agency", p.agency,
                             "regions", p.regions, "role", ctw_role_name(p.role), "idle_seconds",
                             CTW_AUTH_IDLE_SECONDS, "absolute_seconds", CTW_AUTH_ABSOLUTE_SECONDS));
        sodium_memzero(token, sizeof token);
    }
    ctw_arena_free(&a);
    ctw_store_close(s);
    return rc == 0 ? 0 : report("login", rc, &err);
}
