/* cmd_documents.c — `ctwatch documents`: the stolen and lost travel
 * documents.
 *
 *   ctwatch documents import FILE.csv [--db PATH]
 *       header issuing_state,type,number,status,reported,owner; the whole
 *       file or nothing (one transaction); prints {"rows","added","changed","unchanged"}
 *   ctwatch documents check --state S --number N [--type T] [--db PATH]
 *   ctwatch documents check --mrz "LINE1|LINE2" [--db PATH]
 *   ctwatch documents check --batch FILE [--db PATH]
 *       FILE (- for stdin) of {"id","state","number","type"} lines; one
 *       result line per query
 *   ctwatch documents stats [--db PATH]
 *
 * A check by the CLI looks the number up in the store's index rather than
 * loading every document into memory: one check pays for itself only.
 * Exit status: 0 done (a check that finds a stolen document is still 0:
 * the answer is in the JSON), 1 failure, 2 usage.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "ctwatch/border.h"
#include "ctwatch/doccsv.h"
#include "ctwatch/import.h"
#include "ctwatch/mrz.h"

#define IMPORT_MAX_BYTES ((size_t)16 << 30)   /* a CSV of some 300 million documents */
#define BATCH_LINE_MAX 4096

static void usage(FILE *out)
{
    fprintf(out, "usage: ctwatch documents import FILE.csv [--db PATH]\n"
                 "       ctwatch documents check --state S --number N [--type T] [--db PATH]\n"
                 "       ctwatch documents check --mrz 'LINE1|LINE2[|LINE3]' [--db PATH]\n"
                 "       ctwatch documents check --batch FILE [--db PATH]\n"
                 "       ctwatch documents stats [--db PATH]\n"
                 "CSV header: " CTW_DOCCSV_HEADER "\n");
}

typedef struct import_ctx {
    ctw_store *s;
    size_t rows, added, changed, unchanged;
    char last_owner[40];
    ctw_error *err;
    const char *file;
} import_ctx;

static int import_row(void *ud, const ctw_doc_row *row, size_t line)
{
    import_ctx *c = ud;
    if (strcmp(c->last_owner, row->owner) != 0) {
        /* an owner named by the file becomes an agency if it is not one yet */
        ctw_agency a = {.code = row->owner, .name = row->owner, .kind = "ncb"};
        if (ctw_store_ensure_agency(c->s, &a) != 0)
            return ctw_error_set(c->err, CTW_ESTORE, c->file, "line %zu: cannot add agency %s", line, row->owner);
        snprintf(c->last_owner, sizeof c->last_owner, "%s", row->owner);
    }
    ctw_document d = {
        .issuing_state = row->state_norm, .type = row->type, .number = row->number,
        .number_norm = row->number_norm, .status = ctw_doc_status_name(row->status),
        .owner = row->owner, .reported = row->reported, .restriction = {.kind = CTW_RESTRICT_ALL},
    };
    int outcome = 0;
    int rc = ctw_store_put_document(c->s, ctw_principal_cli(), &d, &outcome, NULL);
    if (rc != 0) {
        char where[600];
        snprintf(where, sizeof where, "%s:%zu", c->file, line);
        return ctw_error_set(c->err, rc, where, "cannot store the document: %s", ctw_strerror(rc));
    }
    c->rows++;
    if (outcome == CTW_PUT_ADDED) c->added++;
    else if (outcome == CTW_PUT_CHANGED) c->changed++;
    else c->unchanged++;
    return 0;
}

static int do_import(const char *db, const char *file)
{
    ctw_error err = {0};
    char *data = NULL;
    size_t len = 0;
    if (ctw_read_file(file, IMPORT_MAX_BYTES, &data, &len, &err) != 0) {
        ctw_cli_report("documents", &err);
        return 1;
    }
    ctw_store *s = ctw_cli_open_store("documents", db, true);
    if (!s) {
        free(data);
        return 1;
    }
    import_ctx c = {.s = s, .err = &err, .file = file};
    int rc = ctw_store_begin(s);
    if (rc == 0) rc = ctw_doccsv_parse(data, len, file, import_row, &c, &err);
    char detail[300];
    snprintf(detail, sizeof detail, "documents from %.200s: %zu rows, %zu added, %zu changed", file, c.rows,
             c.added, c.changed);
    if (rc == 0) rc = ctw_store_audit(s, ctw_principal_cli(), "import", NULL, detail);
    if (rc == 0) rc = ctw_store_commit(s);
    else ctw_store_rollback(s);
    free(data);
    if (rc != 0) {
        if (err.code == 0) ctw_error_set(&err, rc, file, "import failed: %s", ctw_strerror(rc));
        ctw_cli_report("documents", &err);
        ctw_store_close(s);
        return 1;
    }
    ctw_store_close(s);
    printf("{\"file\":\"%s\",\"rows\":%zu,\"added\":%zu,\"changed\":%zu,\"unchanged\":%zu}\n", file, c.rows,
           c.added, c.changed, c.unchanged);
    return 0;
}

static void print_json(json_t *o)
{
    json_dumpf(o, stdout, JSON_COMPACT);
    fputc('\n', stdout);
}

static void print_query_error(const char *id, const ctw_error *err)
{
    json_t *o = json_pack("{s:s?,s:{s:s,s:s,s:s?}}", "id", id, "error", "code", ctw_errname(err->code),
                          "message", err->message, "field", err->where[0] ? err->where : NULL);
    print_json(o);
    json_decref(o);
}

/* Check one query; the audit entry names the hits. */
static int check_one(ctw_store *s, const ctw_doc_query *q, size_t *hits)
{
    json_t *res = NULL;
    ctw_error err = {0};
    int rc = ctw_docindex_check(NULL, s, ctw_principal_cli(), q, &res, &err);
    if (rc == CTW_EINVAL || rc == CTW_ELIMIT) {
        print_query_error(q->id, &err);
        return 0;
    }
    if (rc != 0) {
        ctw_cli_report("documents", &err);
        return rc;
    }
    *hits += json_array_size(json_object_get(res, "hits"));
    print_json(res);
    json_decref(res);
    return 0;
}

static int do_check(const char *db, ctw_doc_query *q, const char *mrz, const char *batch)
{
    ctw_mrz parsed;
    if (mrz) {
        ctw_error err = {0};
        if (ctw_mrz_parse(mrz, strlen(mrz), &parsed, &err) != 0) {
            ctw_cli_error("documents", "--mrz: %s", err.message);
            return 1;
        }
        q->state = parsed.issuing_state;
        q->number = parsed.document_number;
        static char type[2];
        type[0] = parsed.document_code[0];
        q->type = type;
    }
    FILE *in = NULL;
    if (batch) {
        in = strcmp(batch, "-") == 0 ? stdin : fopen(batch, "r");
        if (!in) {
            ctw_cli_error("documents", "cannot open %s", batch);
            return 1;
        }
    }
    ctw_store *s = ctw_cli_open_store("documents", db, false);
    if (!s) {
        if (in && in != stdin) fclose(in);
        return 1;
    }
    size_t checked = 0, hits = 0;
    int rc = 0;
    if (!in) {
        rc = check_one(s, q, &hits);
        checked = 1;
    } else {
        char *line = malloc(BATCH_LINE_MAX);
        long lineno = 0;
        while (rc == 0 && line && fgets(line, BATCH_LINE_MAX, in)) {
            lineno++;
            if (line[strspn(line, " \t\r\n")] == '\0') continue;
            json_error_t jerr;
            json_t *obj = json_loads(line, JSON_REJECT_DUPLICATES, &jerr);
            ctw_doc_query bq;
            ctw_error err = {0};
            if (!obj) {
                ctw_error_set(&err, CTW_EPARSE, "", "line %ld: %s", lineno, jerr.text);
                print_query_error(NULL, &err);
            } else if (ctw_doc_query_from_json(obj, &bq, &err) != 0) {
                const char *id = json_string_value(json_object_get(obj, "id"));
                print_query_error(id, &err);
            } else {
                rc = check_one(s, &bq, &hits);
                checked++;
            }
            json_decref(obj);
        }
        free(line);
        if (in != stdin) fclose(in);
    }
    char detail[160];
    snprintf(detail, sizeof detail, "%zu documents checked, %zu hits", checked, hits);
    if (rc == 0 && checked > 0) rc = ctw_store_audit(s, ctw_principal_cli(), "check-documents", NULL, detail);
    ctw_store_close(s);
    return rc == 0 ? 0 : 1;
}

static int print_count(void *ud, const char *status, int64_t count)
{
    json_object_set_new(ud, status, json_integer(count));
    return 0;
}

static int do_stats(const char *db)
{
    ctw_store *s = ctw_cli_open_store("documents", db, false);
    if (!s) return 1;
    json_t *o = json_object();
    int rc = ctw_store_document_counts(s, print_count, o);
    ctw_store_close(s);
    if (rc != 0) {
        json_decref(o);
        ctw_cli_error("documents", "counting failed: %s", ctw_strerror(rc));
        return 1;
    }
    print_json(o);
    json_decref(o);
    return 0;
}

int ctw_cmd_documents(int argc, char **argv)
{
    if (argc < 2 || strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const char *sub = argv[1];
    static const struct option opts[] = {
        {"db", required_argument, NULL, 'd'},    {"state", required_argument, NULL, 's'},
        {"number", required_argument, NULL, 'n'}, {"type", required_argument, NULL, 't'},
        {"mrz", required_argument, NULL, 'm'},   {"batch", required_argument, NULL, 'B'},
        {"help", no_argument, NULL, 'h'},        {0}};
    const char *db = ctw_store_default_target(), *mrz = NULL, *batch = NULL;
    ctw_doc_query q = {0};
    int c;
    optind = 2;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': db = optarg; break;
        case 's': q.state = optarg; break;
        case 'n': q.number = optarg; break;
        case 't': q.type = optarg; break;
        case 'm': mrz = optarg; break;
        case 'B': batch = optarg; break;
        case 'h': usage(stdout); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (strcmp(sub, "import") == 0) {
        if (optind != argc - 1) {
            usage(stderr);
            return 2;
        }
        return do_import(db, argv[optind]);
    }
    if (strcmp(sub, "check") == 0) {
        int forms = (q.number || q.state) + (mrz != NULL) + (batch != NULL);
        if (optind != argc || forms != 1 || (!mrz && !batch && (!q.number || !q.state))) {
            ctw_cli_error("documents", "check takes --state and --number, or --mrz, or --batch");
            return 2;
        }
        return do_check(db, &q, mrz, batch);
    }
    if (strcmp(sub, "stats") == 0) return optind == argc ? do_stats(db) : 2;
    ctw_cli_error("documents", "unknown subcommand \"%s\"", sub);
    usage(stderr);
    return 2;
}
