/* cmd_mrz.c — `ctwatch mrz`: parse and check machine readable zones read
 * from stdin, one JSON line out per MRZ.
 *
 * Input: each non-empty line is either a whole MRZ with its lines joined
 * by '|' (or concatenated, 88/72/90 characters), or one MRZ line; then
 * consecutive lines of the same length form one MRZ (44,44 / 36,36 /
 * 30,30,30). A run that stops short is reported as a bad_length MRZ.
 *
 * Output: {"input":"..|..","format":"TD3","document_code":"P",...,
 *          "checks":{"document_number":{"digit":"6","expected":"6","ok":true},..},
 *          "errors":[{"code":"check_digit","message":"..."}],"valid":false}
 * Exit 0 when every MRZ was read (valid or not), 1 on I/O error, 2 on usage.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "cli/cli.h"
#include "ctwatch/mrz.h"

#define LINE_MAX_BYTES 4096

static json_t *check_json(const ctw_mrz_check *c)
{
    char d[2] = {c->digit, 0}, e[2] = {c->expected, 0};
    return json_pack("{s:s,s:s,s:b}", "digit", d, "expected", e, "ok", c->ok);
}

static json_t *str_or_null(const char *s)
{
    return s[0] ? json_string(s) : json_null();
}

static json_t *mrz_json(const char *input, const ctw_mrz *m)
{
    char sex[2] = {m->sex, 0};
    json_t *o = json_object();
    json_object_set_new(o, "input", json_string(input));
    json_object_set_new(o, "format", json_string(ctw_mrz_format_name(m->format)));
    json_object_set_new(o, "document_code", json_string(m->document_code));
    json_object_set_new(o, "issuing_state", json_string(m->issuing_state));
    json_object_set_new(o, "document_number", json_string(m->document_number));
    json_object_set_new(o, "nationality", json_string(m->nationality));
    json_object_set_new(o, "birth_date", json_string(m->birth_date));
    json_object_set_new(o, "birth_date_iso", json_string(m->birth_date_iso));
    json_object_set_new(o, "expiry_date", json_string(m->expiry_date));
    json_object_set_new(o, "expiry_date_iso", json_string(m->expiry_date_iso));
    json_object_set_new(o, "sex", json_string(sex));
    json_object_set_new(o, "primary_identifier", json_string(m->primary));
    json_object_set_new(o, "secondary_identifier", json_string(m->secondary));
    json_object_set_new(o, "name_full", json_boolean(m->name_full));
    json_object_set_new(o, "optional_data", str_or_null(m->optional_data));
    if (m->format == CTW_MRZ_TD1) json_object_set_new(o, "optional_data2", str_or_null(m->optional_data2));
    json_t *checks = json_object();
    static const char *names[] = {"document_number", "birth_date", "expiry_date", "optional_data", "composite"};
    const ctw_mrz_check *cs[] = {&m->number_check, &m->birth_check, &m->expiry_check, &m->optional_check,
                                 &m->composite_check};
    for (size_t i = 0; i < 5; i++)
        if (cs[i]->present) json_object_set_new(checks, names[i], check_json(cs[i]));
    json_object_set_new(o, "checks", checks);
    json_t *errs = json_array();
    for (size_t i = 0; i < m->n_issues; i++)
        json_array_append_new(errs, json_pack("{s:s,s:s}", "code", m->issues[i].code, "message",
                                              m->issues[i].message));
    json_object_set_new(o, "errors", errs);
    json_object_set_new(o, "valid", json_boolean(m->valid));
    return o;
}

/* Parse `input` (lines joined by '|') and print its JSON line. */
static int emit(const char *input)
{
    ctw_mrz m;
    ctw_error err;
    ctw_error_clear(&err);
    json_t *o;
    if (ctw_mrz_parse(input, strlen(input), &m, &err) == 0) {
        o = mrz_json(input, &m);
    } else {
        o = json_pack("{s:s,s:n,s:[{s:s,s:s}],s:b}", "input", input, "format", "errors", "code",
                      err.where[0] ? err.where : "invalid", "message", err.message, "valid", 0);
    }
    if (!o) return -1;
    int rc = json_dumpf(o, stdout, JSON_COMPACT);
    json_decref(o);
    if (rc != 0 || fputc('\n', stdout) == EOF) return -1;
    return 0;
}

int ctw_cmd_mrz(int argc, char **argv)
{
    static const struct option opts[] = {{"help", no_argument, NULL, 'h'}, {0}};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (c) {
        case 'h':
            printf("usage: ctwatch mrz < FILE   (one MRZ per line with lines joined by '|', or one MRZ line per line)\n");
            return 0;
        default: return 2;
        }
    }
    if (optind != argc) {
        ctw_cli_error("mrz", "takes no arguments; the MRZs come on stdin");
        return 2;
    }

    /* pending: MRZ lines seen so far of a one-line-per-line MRZ, joined by '|'. */
    char pending[3 * (44 + 1) + 1];
    size_t npending = 0, pending_w = 0;
    pending[0] = '\0';
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    int status = 0;
    while ((n = getline(&line, &cap, stdin)) > 0) {
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
            line[--n] = '\0';
        if (n == 0) continue;
        if (n > LINE_MAX_BYTES) line[LINE_MAX_BYTES] = '\0';  /* the parser rejects it by length */
        size_t len = (size_t)n;
        bool part = memchr(line, '|', len) == NULL && (len == 44 || len == 36 || len == 30);
        if (npending > 0 && (!part || len != pending_w)) {
            /* A run that stopped short: report it as what it is. */
            if (emit(pending) != 0) goto io_error;
            npending = 0;
            pending[0] = '\0';
        }
        if (!part) {
            if (emit(line) != 0) goto io_error;
            continue;
        }
        size_t used = strlen(pending);
        snprintf(pending + used, sizeof pending - used, "%s%s", npending ? "|" : "", line);
        npending++;
        pending_w = len;
        if (npending == (len == 30 ? 3u : 2u)) {
            if (emit(pending) != 0) goto io_error;
            npending = 0;
            pending[0] = '\0';
        }
    }
    if (ferror(stdin)) {
        ctw_cli_error("mrz", "reading stdin: %s", strerror(errno));
        status = 1;
        goto out;
    }
    if (npending > 0 && emit(pending) != 0) goto io_error;
    if (fflush(stdout) != 0) goto io_error;
    goto out;

io_error:
    ctw_cli_error("mrz", "writing stdout: %s", strerror(errno));
    status = 1;
out:
    free(line);
    return status;
}
