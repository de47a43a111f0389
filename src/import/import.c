/* import.c — apply a watchlist to the store (see import.h).
 *
 * One import is one transaction:
 *   read every file (capped) → reader → sink(record):
 *       stamp id/source/owner → head(source, source_id)
 *         none                  → put, version 1         "added"
 *         same hash, active     → nothing                "unchanged"
 *         other hash or removed → put, version + 1       "changed"
 *   after the reader finished: active records of the source that the input
 *   no longer holds → mark removed                       "removed"
 *   a record added (or back after a removal) gets one published notice of
 *   the list's kind (notice.h): UN → un-special/inform, OFAC →
 *   sanctions/inform, FtM → national/monitor, owned by the import's owner;
 *   a removed record's open notices are cancelled
 *   note the import, audit it, commit.
 * Any failure rolls the whole transaction back: the store is as it was.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctwatch/import.h"
#include "ctwatch/json.h"
#include "ctwatch/notice.h"

static const char *const format_names[] = {NULL, "un-xml", "ofac-csv", "ftm"};

const char *ctw_import_format_name(ctw_import_format f)
{
    return f >= CTW_FORMAT_UN_XML && f <= CTW_FORMAT_FTM ? format_names[f] : "unknown";
}

int ctw_import_format_from_name(const char *s)
{
    for (int f = CTW_FORMAT_UN_XML; s && f <= CTW_FORMAT_FTM; f++)
        if (strcmp(s, format_names[f]) == 0) return f;
    return CTW_EINVAL;
}

#define N_KINDS 5 /* indexed by ctw_kind */

typedef struct import_ctx {
    ctw_store *store;
    const ctw_principal *p;
    const char *owner, *source, *now;
    const char *notice_kind, *notice_action;   /* of the notice each new record gets */
    char pending[CTW_NOTICE_IMPORT_BATCH][72]; /* records put that wait for their notice */
    size_t npending;
    char review_date[32];
    json_t *gone;             /* [id, kind] of records the source no longer has */
    json_t *seen;             /* source_id -> true, this import's records */
    long added[N_KINDS], changed[N_KINDS], removed[N_KINDS], unchanged[N_KINDS];
    ctw_error *err;
    const char *file;         /* current file, for messages */
} import_ctx;

/* Write the gathered records' notices (one multi-row insert). */
static int flush_notices(import_ctx *c)
{
    const char *ids[CTW_NOTICE_IMPORT_BATCH];
    for (size_t i = 0; i < c->npending; i++) ids[i] = c->pending[i];
    int rc = ctw_notice_import_publish_many(c->store, ids, c->npending, c->notice_kind, c->notice_action, c->owner,
                                            c->now);
    c->npending = 0;
    if (rc != 0) ctw_error_set(c->err, rc, c->file, "cannot store the notices: %s", ctw_strerror(rc));
    return rc;
}

/* Record id gets its published notice with the next batch. */
static int want_notice(import_ctx *c, const char *id)
{
    if (strlen(id) >= sizeof c->pending[0]) return ctw_error_set(c->err, CTW_EINVAL, c->file, "record id too long");
    snprintf(c->pending[c->npending++], sizeof c->pending[0], "%s", id);
    return c->npending == CTW_NOTICE_IMPORT_BATCH ? flush_notices(c) : 0;
}

static int sink(void *ud, ctw_record *r)
{
    import_ctx *c = ud;
    int rc;
    if (!r->source_id || r->kind == CTW_KIND_UNKNOWN || r->names.n == 0) {
        rc = ctw_error_set(c->err, CTW_EPARSE, c->file, "record %s has no %s", r->source_id ? r->source_id : "?",
                           !r->source_id ? "source id" : r->kind == CTW_KIND_UNKNOWN ? "kind" : "name");
        goto out;
    }
    if (json_object_get(c->seen, r->source_id)) {
        rc = ctw_error_set(c->err, CTW_EPARSE, c->file, "source id %s appears twice", r->source_id);
        goto out;
    }
    if (json_object_set_new(c->seen, r->source_id, json_true()) != 0) {
        rc = ctw_error_set(c->err, CTW_ENOMEM, c->file, "out of memory");
        goto out;
    }
    r->source = ctw_record_str(r, c->source);
    r->owner = ctw_record_str(r, c->owner);
    r->created = r->updated = ctw_record_str(r, c->now);
    r->review_date = ctw_record_str(r, c->review_date);
    r->status = CTW_STATUS_ACTIVE;
    r->restriction.kind = CTW_RESTRICT_ALL;
    if ((rc = ctw_record_make_id(r)) != 0 || !r->source || !r->owner || !r->created || !r->review_date) {
        rc = ctw_error_set(c->err, CTW_ENOMEM, c->file, "out of memory");
        goto out;
    }
    ctw_record_head head;
    rc = ctw_store_head(c->store, r->source, r->source_id, &head);
    if (rc == CTW_ENOTFOUND) {
        r->version = 1;
        rc = ctw_store_put(c->store, c->p, r);
        if (rc == 0) rc = want_notice(c, r->id);
        if (rc == 0) c->added[r->kind]++;
    } else if (rc == 0) {
        char hash[33];
        if ((rc = ctw_record_content_hash(r, hash)) != 0) goto fail;
        if (head.status == CTW_STATUS_ACTIVE && strcmp(hash, head.content_hash) == 0) {
            c->unchanged[r->kind]++;
        } else {
            r->version = head.version + 1;
            rc = ctw_store_put(c->store, c->p, r);
            /* back on the list: its notices were cancelled when it left */
            if (rc == 0 && head.status != CTW_STATUS_ACTIVE) rc = want_notice(c, r->id);
            if (rc == 0) c->changed[r->kind]++;
        }
    }
fail:
    if (rc != 0 && c->err && c->err->code == 0)
        ctw_error_set(c->err, rc, c->file, "cannot store record %s: %s", r->source_id, ctw_strerror(rc));
out:
    ctw_record_free(r);
    return rc;
}

/* Collect first, change after: the head cursor must not see its own writes. */
static int find_gone(void *ud, const char *source_id, const ctw_record_head *h)
{
    import_ctx *c = ud;
    if (json_object_get(c->seen, source_id)) return 0;
    return json_array_append_new(c->gone, json_pack("[s,i]", h->id, (int)h->kind)) == 0 ? 0 : CTW_ENOMEM;
}

static int mark_gone(import_ctx *c)
{
    size_t i;
    json_t *e;
    int rc = ctw_store_iterate_heads(c->store, c->source, find_gone, c);
    if (rc != 0) return ctw_error_set(c->err, rc, c->source, "cannot list records: %s", ctw_strerror(rc));
    json_array_foreach(c->gone, i, e) {
        const char *id = json_string_value(json_array_get(e, 0));
        int kind = (int)json_integer_value(json_array_get(e, 1));
        rc = ctw_store_mark_removed(c->store, c->p, id, c->now);
        if (rc == 0) rc = ctw_notice_import_cancel(c->store, id, c->now);
        if (rc != 0) return ctw_error_set(c->err, rc, id, "cannot mark record removed: %s", ctw_strerror(rc));
        c->removed[kind > 0 && kind < N_KINDS ? kind : 0]++;
    }
    return 0;
}

static json_t *per_kind(const long *counts, long *total)
{
    json_t *o = json_object();
    for (int k = CTW_KIND_PERSON; k < N_KINDS; k++) {
        json_object_set_new(o, ctw_kind_name((ctw_kind)k), json_integer(counts[k]));
        *total += counts[k];
    }
    return o;
}

/* OFAC files are told apart by name (sdn / alt / add), else by how many
 * columns the first line has (12 / 5 / 6). Returns 0 sdn, 1 alt, 2 add. */
static int ofac_role(const char *path, const char *buf, size_t len)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (strstr(base, "alt")) return 1;
    if (strstr(base, "add")) return 2;
    if (strstr(base, "sdn")) return 0;
    int cols = 1;
    bool q = false;
    for (size_t i = 0; i < len && buf[i] != '\n'; i++) {
        if (buf[i] == '"') q = !q;
        else if (buf[i] == ',' && !q) cols++;
    }
    return cols == 5 ? 1 : cols == 6 ? 2 : 0;
}

/* Source name for FtM: "ftm:" + the first file's name without directories
 * and extensions. */
static void ftm_source(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    snprintf(out, cap, "ftm:%.*s", (int)(n ? n : strlen(base)), base);
}

int ctw_import_files(ctw_store *s, const ctw_principal *p, ctw_import_format fmt, const char *const *files,
                     size_t nfiles, const ctw_import_opts *opts, json_t **summary, ctw_error *err)
{
    static const ctw_import_opts no_opts;
    if (!opts) opts = &no_opts;
    ctw_error_clear(err);
    if (nfiles == 0) return ctw_error_set(err, CTW_EINVAL, NULL, "no input files");
    if (fmt == CTW_FORMAT_UN_XML && nfiles != 1)
        return ctw_error_set(err, CTW_EINVAL, NULL, "the UN list is one XML file, %zu given", nfiles);
    if (fmt == CTW_FORMAT_OFAC_CSV && nfiles > 3)
        return ctw_error_set(err, CTW_EINVAL, NULL, "OFAC takes sdn.csv, alt.csv and add.csv, %zu files given",
                             nfiles);
    if (fmt < CTW_FORMAT_UN_XML || fmt > CTW_FORMAT_FTM)
        return ctw_error_set(err, CTW_EINVAL, NULL, "unknown import format");

    char source_buf[128], now_buf[32];
    import_ctx c = {.store = s, .p = p, .err = err};
    c.owner = opts->owner ? opts->owner
                          : fmt == CTW_FORMAT_UN_XML ? "UN-SC" : fmt == CTW_FORMAT_OFAC_CSV ? "US-OFAC" : "LOCAL";
    c.notice_kind = fmt == CTW_FORMAT_UN_XML ? "un-special" : fmt == CTW_FORMAT_OFAC_CSV ? "sanctions" : "national";
    c.notice_action = fmt == CTW_FORMAT_FTM ? "monitor" : "inform";
    if (opts->source) {
        c.source = opts->source;
    } else if (fmt == CTW_FORMAT_FTM) {
        ftm_source(files[0], source_buf, sizeof source_buf);
        c.source = source_buf;
    } else {
        c.source = fmt == CTW_FORMAT_UN_XML ? "un-sc" : "ofac-sdn";
    }
    if (opts->now) {
        c.now = opts->now;
    } else {
        ctw_now_iso(now_buf);
        c.now = now_buf;
    }
    /* review five years after creation (INTERPOL RPD art. 49) */
    int y = 0, m = 0, d = 0;
    if (sscanf(c.now, "%4d-%2d-%2d", &y, &m, &d) != 3)
        return ctw_error_set(err, CTW_EINVAL, NULL, "bad timestamp %s", c.now);
    if (m == 2 && d == 29) d = 28;
    snprintf(c.review_date, sizeof c.review_date, "%04d-%02d-%02d", y + 5, m, d);

    char *bufs[3] = {NULL, NULL, NULL};
    size_t lens[3] = {0, 0, 0};
    const char *names[3] = {NULL, NULL, NULL};
    char **ftm_bufs = NULL;
    size_t *ftm_lens = NULL;
    int rc = 0;
    bool in_tx = false;

    c.seen = json_object();
    c.gone = json_array();
    if (!c.seen || !c.gone) {
        json_decref(c.seen);
        json_decref(c.gone);
        return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    }

    /* Read everything before the transaction: a missing file fails fast. */
    if (fmt == CTW_FORMAT_FTM) {
        ftm_bufs = calloc(nfiles, sizeof *ftm_bufs);
        ftm_lens = calloc(nfiles, sizeof *ftm_lens);
        if (!ftm_bufs || !ftm_lens) {
            rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
            goto out;
        }
        for (size_t i = 0; i < nfiles; i++)
            if ((rc = ctw_read_file(files[i], CTW_IMPORT_MAX_FILE, &ftm_bufs[i], &ftm_lens[i], err)) != 0) goto out;
    } else {
        for (size_t i = 0; i < nfiles; i++) {
            char *buf;
            size_t len;
            if ((rc = ctw_read_file(files[i], CTW_IMPORT_MAX_FILE, &buf, &len, err)) != 0) goto out;
            int role = fmt == CTW_FORMAT_UN_XML ? 0 : ofac_role(files[i], buf, len);
            if (bufs[role]) {
                free(buf);
                rc = ctw_error_set(err, CTW_EINVAL, files[i], "two files look like the same OFAC table (%s and %s)",
                                   names[role], files[i]);
                goto out;
            }
            bufs[role] = buf;
            lens[role] = len;
            names[role] = files[i];
        }
        if (fmt == CTW_FORMAT_OFAC_CSV && !bufs[0]) {
            rc = ctw_error_set(err, CTW_EINVAL, NULL, "OFAC import needs sdn.csv");
            goto out;
        }
    }

    if ((rc = ctw_store_begin(s)) != 0) {
        ctw_error_set(err, rc, NULL, "cannot start a transaction: %s", ctw_strerror(rc));
        goto out;
    }
    in_tx = true;
    ctw_agency agency = {.code = c.owner,
                         .name = strcmp(c.owner, "UN-SC") == 0     ? "United Nations Security Council"
                                 : strcmp(c.owner, "US-OFAC") == 0 ? "US Treasury Office of Foreign Assets Control"
                                                                   : NULL,
                         .kind = strcmp(c.owner, "UN-SC") == 0 ? "international-organisation" : NULL};
    if ((rc = ctw_store_ensure_agency(s, &agency)) != 0) {
        ctw_error_set(err, rc, NULL, "cannot register agency %s", c.owner);
        goto out;
    }

    switch (fmt) {
    case CTW_FORMAT_UN_XML:
        c.file = names[0];
        rc = ctw_un_xml_read_mem(bufs[0], lens[0], names[0], sink, &c, err);
        break;
    case CTW_FORMAT_OFAC_CSV:
        c.file = names[0];
        rc = ctw_ofac_csv_read_mem(bufs[0], lens[0], names[0], bufs[1], lens[1], names[1] ? names[1] : "alt.csv",
                                   bufs[2], lens[2], names[2] ? names[2] : "add.csv", sink, &c, err);
        break;
    case CTW_FORMAT_FTM:
        for (size_t i = 0; i < nfiles && rc == 0; i++) {
            c.file = files[i];
            rc = ctw_ftm_read_mem(ftm_bufs[i], ftm_lens[i], files[i], sink, &c, err);
        }
        break;
    }
    if (rc != 0) {
        if (err && err->code == 0) ctw_error_set(err, rc, c.file, "%s", ctw_strerror(rc));
        goto out;
    }
    if ((rc = flush_notices(&c)) != 0 || (rc = mark_gone(&c)) != 0) goto out;

    long ta = 0, tc = 0, tr = 0, tu = 0;
    json_t *files_json = json_array();
    for (size_t i = 0; i < nfiles; i++) json_array_append_new(files_json, json_string(files[i]));
    json_t *sum = json_pack("{s:s,s:s,s:s,s:o,s:o,s:o,s:o,s:o}", "source", c.source, "format",
                            ctw_import_format_name(fmt), "owner", c.owner, "files", files_json, "added",
                            per_kind(c.added, &ta), "changed", per_kind(c.changed, &tc), "removed",
                            per_kind(c.removed, &tr), "unchanged", per_kind(c.unchanged, &tu));
    if (!sum || json_object_set_new(sum, "total", json_pack("{s:I,s:I,s:I,s:I}", "added", (json_int_t)ta, "changed",
                                                            (json_int_t)tc, "removed", (json_int_t)tr, "unchanged",
                                                            (json_int_t)tu)) != 0) {
        json_decref(sum);
        rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
        goto out;
    }
    char *sum_text = json_dumps(sum, JSON_COMPACT);
    char *files_text = json_dumps(json_object_get(sum, "files"), JSON_COMPACT);
    if (!sum_text || !files_text) rc = CTW_ENOMEM;
    if (rc == 0) rc = ctw_store_note_import(s, c.source, ctw_import_format_name(fmt), files_text, sum_text, c.now);
    if (rc == 0) rc = ctw_store_audit(s, p, "import", NULL, sum_text);
    free(sum_text);
    free(files_text);
    if (rc == 0) rc = ctw_store_commit(s);
    if (rc != 0) {
        json_decref(sum);
        ctw_error_set(err, rc, NULL, "cannot commit the import: %s", ctw_strerror(rc));
        goto out;
    }
    in_tx = false;
    *summary = sum;

out:
    if (in_tx) ctw_store_rollback(s);
    json_decref(c.seen);
    json_decref(c.gone);
    for (int i = 0; i < 3; i++) free(bufs[i]);
    if (ftm_bufs)
        for (size_t i = 0; i < nfiles; i++) free(ftm_bufs[i]);
    free(ftm_bufs);
    free(ftm_lens);
    return rc;
}
