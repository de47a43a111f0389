/* cmd_export.c — `ctwatch export --format ftm [--source NAME] [--output FILE]`.
 * FtM JSON lines that `ctwatch import --format ftm` reads back. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/import.h"

static int write_line(void *ud, const char *line, size_t len)
{
    FILE *out = ud;
    if (fwrite(line, 1, len, out) != len || fputc('\n', out) == EOF) return CTW_EIO;
    return 0;
}

static int export_one(void *ud, const ctw_record *r)
{
    return ctw_ftm_write(r, write_line, ud);
}

int ctw_cmd_export(int argc, char **argv)
{
    static const struct option opts[] = {{"db", required_argument, NULL, 'd'},
                                         {"format", required_argument, NULL, 'f'},
                                         {"source", required_argument, NULL, 's'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *db = ctw_store_default_target(), *format = "ftm", *source = NULL, *output = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "d:f:s:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 'f': format = optarg; break;
        case 's': source = optarg; break;
        case 'o': output = optarg; break;
        case 'h': printf("usage: ctwatch export --format ftm [--source NAME] [--output FILE] [--db PATH]\n"); return 0;
        default: return 2;
        }
    }
    if (strcmp(format, "ftm") != 0) {
        ctw_cli_error("export", "unknown format '%s' (supported: ftm)", format);
        return 2;
    }
    if (optind != argc) {
        ctw_cli_error("export", "unexpected argument '%s'", argv[optind]);
        return 2;
    }
    ctw_store *s = ctw_cli_open_store("export", db, false);
    if (!s) return 1;
    FILE *out = stdout;
    if (output && !(out = fopen(output, "w"))) {
        ctw_cli_error("export", "cannot write %s: %s", output, strerror(errno));
        ctw_store_close(s);
        return 1;
    }
    int rc = ctw_store_iterate(s, ctw_principal_cli(), source, false, export_one, out);
    ctw_store_close(s);
    if (fflush(out) != 0 && rc == 0) rc = CTW_EIO;
    if (out != stdout) fclose(out);
    if (rc != 0) {
        ctw_cli_error("export", "%s", ctw_strerror(rc));
        return 1;
    }
    return 0;
}
