/* cmd_compare.c — `ctwatch compare --batch FILE`: score name pairs with the
 * screening scorer, for evaluation on labelled pairs.
 *
 * Input lines {"id":"p1","a":"name one","b":"name two","schema":"Person"};
 * output lines {"id":"p1","score":0.87}, or {"id":..,"error":{...}}.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/match.h"
#include "ctwatch/text.h"

#define LINE_MAX_BYTES (64 * 1024)

static int bad_line(long lineno, const char *id, const char *msg)
{
    json_t *o = json_pack("{s:s?,s:i,s:{s:s,s:s}}", "id", id, "line", (json_int_t)lineno, "error", "code", "invalid",
                          "message", msg);
    json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10));
    fputc('\n', stdout);
    json_decref(o);
    return 1;
}

int ctw_cmd_compare(int argc, char **argv)
{
    static const struct option opts[] = {{"batch", required_argument, NULL, 'B'}, {"help", no_argument, NULL, 'h'}, {0}};
    const char *batch = NULL;
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "B:h", opts, NULL)) != -1) {
        switch (c) {
        case 'B': batch = optarg; break;
        case 'h': printf("usage: ctwatch compare --batch FILE   (lines {\"id\",\"a\",\"b\",\"schema\"}; - for stdin)\n"); return 0;
        default: return 2;
        }
    }
    if (!batch || optind != argc) {
        ctw_cli_error("compare", "give --batch FILE");
        return 2;
    }
    FILE *in = strcmp(batch, "-") == 0 ? stdin : fopen(batch, "r");
    if (!in) {
        ctw_cli_error("compare", "cannot read %s: %s", batch, strerror(errno));
        return 1;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    long lineno = 0;
    int status = 0;
    while ((n = getline(&line, &cap, in)) > 0) {
        lineno++;
        if (n == 1 && line[0] == '\n') continue;
        if (n > LINE_MAX_BYTES) {
            status = bad_line(lineno, NULL, "line too long");
            continue;
        }
        json_error_t jerr;
        json_t *o = json_loadb(line, (size_t)n, JSON_REJECT_DUPLICATES, &jerr);
        const char *id = json_string_value(json_object_get(o, "id"));
        const char *a = json_string_value(json_object_get(o, "a"));
        const char *b = json_string_value(json_object_get(o, "b"));
        json_t *sch = json_object_get(o, "schema");
        if (!o) {
            status = bad_line(lineno, NULL, jerr.text);
        } else if (!a || !b) {
            status = bad_line(lineno, id, "each line needs strings \"a\" and \"b\"");
        } else if (sch && !json_is_string(sch)) {
            status = bad_line(lineno, id, "\"schema\" must be a string");
        } else if (strlen(a) > CTW_TEXT_MAX_INPUT || strlen(b) > CTW_TEXT_MAX_INPUT) {
            status = bad_line(lineno, id, "a name is too long");
        } else {
            double s = ctw_match_compare_names(a, b, json_string_value(sch));
            json_t *r = json_pack("{s:s?,s:f}", "id", id, "score", s);
            json_dumpf(r, stdout, JSON_COMPACT | JSON_REAL_PRECISION(10));
            fputc('\n', stdout);
            json_decref(r);
        }
        json_decref(o);
    }
    free(line);
    if (in != stdin) fclose(in);
    return status;
}
