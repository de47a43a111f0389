/* cmd_synth.c — `ctwatch synth KIND N [--seed S] [--output FILE]`:
 * synthetic data for benchmarks, evaluation and training.
 *
 * KIND is a sub-command word (see include/ctwatch/synth.h):
 *   persons    a watchlist of N made-up persons as FtM JSON lines
 *   documents  N made-up stolen and lost travel documents as the SLTD
 *              import CSV (include/ctwatch/doccsv.h), header line first
 * to stdout unless --output.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/doccsv.h"
#include "ctwatch/synth.h"

#define SYNTH_USAGE "usage: ctwatch synth persons|documents N [--seed S] [--output FILE]\n"

/* A whole decimal number with nothing around it: strtoull alone accepts
 * leading spaces, signs ("-1" wraps) and trailing junk. */
static int parse_u64(const char *s, uint64_t *out)
{
    if (!s || *s < '0' || *s > '9') return CTW_EINVAL;
    errno = 0;
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end) return CTW_EINVAL;
    *out = (uint64_t)v;
    return 0;
}

/* Lines are gathered in a large buffer and written in big blocks: a
 * million persons is a few hundred MB, and stdout's own buffer is small
 * (and may not be resized once used). */
#define SINK_BUF (1u << 20)

typedef struct sink {
    FILE *f;
    char *buf;
    size_t n;
} sink;

static int sink_flush(sink *k)
{
    if (k->n && fwrite(k->buf, 1, k->n, k->f) != k->n) return CTW_EIO;
    k->n = 0;
    return 0;
}

static int write_line(void *ud, const char *line, size_t len)
{
    sink *k = ud;
    if (len + 1 > SINK_BUF - k->n) {
        int rc = sink_flush(k);
        if (rc) return rc;
        if (len + 1 > SINK_BUF) /* longer than the buffer: write it through */
            return fwrite(line, 1, len, k->f) == len && putc('\n', k->f) != EOF ? 0 : CTW_EIO;
    }
    memcpy(k->buf + k->n, line, len);
    k->buf[k->n + len] = '\n';
    k->n += len + 1;
    return 0;
}

int ctw_cmd_synth(int argc, char **argv)
{
    static const struct option opts[] = {{"seed", required_argument, NULL, 's'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0}};
    const char *seed_text = NULL, *output = NULL;
    int c;
    optind = 0; /* 0, not 1: glibc then also forgets a half-read option cluster from an earlier call */
    while ((c = getopt_long(argc, argv, "s:o:h", opts, NULL)) != -1) {
        switch (c) {
        case 's': seed_text = optarg; break;
        case 'o': output = optarg; break;
        case 'h':
            printf(SYNTH_USAGE "kinds: persons (FtM JSON lines: Person, Passport, Sanction),\n"
                               "       documents (stolen and lost travel documents, import CSV)\n");
            return 0;
        default: fputs(SYNTH_USAGE, stderr); return 2;
        }
    }
    if (optind >= argc) {
        ctw_cli_error("synth", "missing kind (persons, documents)");
        fputs(SYNTH_USAGE, stderr);
        return 2;
    }
    const char *kind = argv[optind];
    bool documents = strcmp(kind, "documents") == 0;
    if (!documents && strcmp(kind, "persons") != 0) {
        ctw_cli_error("synth", "unknown kind '%s' (supported: persons, documents)", kind);
        return 2;
    }
    if (optind + 1 >= argc) {
        ctw_cli_error("synth", "missing N (how many %s)", kind);
        fputs(SYNTH_USAGE, stderr);
        return 2;
    }
    if (optind + 2 < argc) {
        ctw_cli_error("synth", "unexpected argument '%s'", argv[optind + 2]);
        return 2;
    }
    uint64_t n = 0, seed = 1;
    unsigned max_n = documents ? CTW_SYNTH_MAX_DOCUMENTS : CTW_SYNTH_MAX_PERSONS;
    if (parse_u64(argv[optind + 1], &n) != 0 || n == 0 || n > max_n) {
        ctw_cli_error("synth", "invalid N '%s' (a whole number from 1 to %u)", argv[optind + 1], max_n);
        return 2;
    }
    if (seed_text && parse_u64(seed_text, &seed) != 0) {
        ctw_cli_error("synth", "invalid seed '%s' (a whole number from 0 to %" PRIu64 ")", seed_text,
                      UINT64_MAX);
        return 2;
    }

    sink k = {stdout, malloc(SINK_BUF), 0};
    if (!k.buf) {
        ctw_cli_error("synth", "%s", ctw_strerror(CTW_ENOMEM));
        return 1;
    }
    if (output && !(k.f = fopen(output, "w"))) {
        ctw_cli_error("synth", "cannot write %s: %s", output, strerror(errno));
        free(k.buf);
        return 1;
    }
    int rc;
    if (documents) {
        rc = write_line(&k, CTW_DOCCSV_HEADER, strlen(CTW_DOCCSV_HEADER));
        if (rc == 0) rc = ctw_synth_documents(seed, 0, (size_t)n, write_line, &k);
    } else {
        rc = ctw_synth_persons(seed, 0, (size_t)n, write_line, &k);
    }
    if (rc == 0) rc = sink_flush(&k);
    if (fflush(k.f) != 0 && rc == 0) rc = CTW_EIO;
    int err = errno;
    if (output && fclose(k.f) != 0 && rc == 0) {
        rc = CTW_EIO;
        err = errno;
    }
    free(k.buf);
    if (rc != 0) {
        if (rc == CTW_EIO)
            ctw_cli_error("synth", "cannot write %s: %s", output ? output : "standard output", strerror(err));
        else
            ctw_cli_error("synth", "%s", ctw_strerror(rc));
        return 1;
    }
    return 0;
}
