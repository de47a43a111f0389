/* docindex.c — a process's copy of the stolen and lost documents (see
 * border.h): the compact table of doctable.c filled from the store, kept
 * current from the document change feed, and the one document check that
 * the CLI, the HTTP API and manifest screening share.
 *
 * Only keys, types, statuses and store refs live in memory (about 21 bytes
 * a document); what an officer is shown of a hit is read from the store
 * through ctw_store_get_document(), which decides access and audits.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/border.h"
#include "ctwatch/doctable.h"

struct ctw_docindex {
    pthread_rwlock_t lock;
    ctw_doctable *table;
    int64_t last_change;     /* document feed position the table reflects */
};

static char type_code(const char *type)
{
    return type && *type ? type[0] : '\0';
}

/* One document into the table (a change applied by a refresh). */
static int load_one(void *ud, const ctw_document *d)
{
    ctw_docindex *ix = ud;
    ctw_doc_status st;
    if (ctw_doc_status_parse(d->status, &st) != 0) return 0;  /* the schema allows no other */
    if (d->ref <= 0 || d->ref > (int64_t)UINT32_MAX) return CTW_ELIMIT;
    uint64_t key = ctw_doc_key(d->issuing_state, d->number_norm, strlen(d->number_norm));
    return ctw_doctable_add(ix->table, key, (uint32_t)d->ref, type_code(d->type), st);
}

/* A full load: entries gathered and added a batch at a time, which lets
 * the table prefetch (one add per document is several times slower). */
#define LOAD_BATCH 4096

typedef struct loader {
    ctw_doctable *table;
    ctw_doc_entry buf[LOAD_BATCH];
    size_t n;
} loader;

static int load_flush(loader *l)
{
    int rc = l->n ? ctw_doctable_add_batch(l->table, l->buf, l->n) : 0;
    l->n = 0;
    return rc;
}

static int load_batched(void *ud, const ctw_document *d)
{
    loader *l = ud;
    ctw_doc_status st;
    if (ctw_doc_status_parse(d->status, &st) != 0) return 0;
    if (d->ref <= 0 || d->ref > (int64_t)UINT32_MAX) return CTW_ELIMIT;
    l->buf[l->n] = (ctw_doc_entry){.key = ctw_doc_key(d->issuing_state, d->number_norm, strlen(d->number_norm)),
                                   .ref = (uint32_t)d->ref, .status = (uint8_t)st, .type = type_code(d->type)};
    return ++l->n == LOAD_BATCH ? load_flush(l) : 0;
}

static int sum_counts(void *ud, const char *status, int64_t count)
{
    (void)status;
    *(int64_t *)ud += count;
    return 0;
}

/* Fill a fresh table from the store; swap it in on success. */
static int reload(ctw_docindex *ix, ctw_store *s, ctw_error *err)
{
    int64_t expected = 0;
    ctw_store_document_counts(s, sum_counts, &expected);  /* a size hint: growth is the fallback */
    loader *l = calloc(1, sizeof *l);
    if (!l) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    int rc = ctw_doctable_new(expected > 1024 ? (size_t)expected : 1024, &l->table);
    if (rc != 0) {
        free(l);
        return ctw_error_set(err, rc, NULL, "cannot allocate the document table");
    }
    int64_t last = 0;
    rc = ctw_store_iterate_documents_system(s, "stolen and lost documents table", load_batched, l, &last);
    if (rc == 0) rc = load_flush(l);
    ctw_doctable *table = l->table;
    free(l);
    if (rc != 0) {
        ctw_doctable_free(table);
        return ctw_error_set(err, rc, NULL, "loading documents failed: %s", ctw_strerror(rc));
    }
    pthread_rwlock_wrlock(&ix->lock);
    ctw_doctable *old = ix->table;
    ix->table = table;
    ix->last_change = last;
    pthread_rwlock_unlock(&ix->lock);
    ctw_doctable_free(old);
    return 0;
}

int ctw_docindex_load(ctw_store *s, ctw_docindex **out, ctw_error *err)
{
    ctw_docindex *ix = calloc(1, sizeof *ix);
    if (!ix) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    pthread_rwlock_init(&ix->lock, NULL);
    int rc = reload(ix, s, err);
    if (rc != 0) {
        ctw_docindex_free(ix);
        return rc;
    }
    *out = ix;
    return 0;
}

void ctw_docindex_free(ctw_docindex *ix)
{
    if (!ix) return;
    ctw_doctable_free(ix->table);
    pthread_rwlock_destroy(&ix->lock);
    free(ix);
}

typedef struct refresh_ctx {
    ctw_docindex *ix;
    ctw_store *s;
    size_t applied;
    bool need_reload;     /* a deletion: its key is gone with its row */
    int64_t last;
} refresh_ctx;

/* Changes applied one by one under the write lock, at most this many: a
 * bigger batch (an import while serving) is a full reload instead, built
 * beside the table and swapped in, so checks never wait for it. */
#define MAX_INCREMENTAL 10000

static int apply_change(void *ud, int64_t seq, int64_t ref, const char *op)
{
    refresh_ctx *c = ud;
    if (c->applied == MAX_INCREMENTAL) {
        c->need_reload = true;
        return 1;  /* stop here */
    }
    c->last = seq;
    c->applied++;
    if (strcmp(op, "delete") == 0) {
        c->need_reload = true;
        return 0;
    }
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_document d;
    int rc = ctw_store_document_row(c->s, ref, &a, &d);
    if (rc == CTW_ENOTFOUND) c->need_reload = true;   /* deleted since: the delete comes later */
    else if (rc == 0) rc = load_one(c->ix, &d);       /* same (key, ref): status and type updated */
    ctw_arena_free(&a);
    return rc == CTW_ENOTFOUND ? 0 : rc;
}

int ctw_docindex_refresh(ctw_docindex *ix, ctw_store *s, size_t *applied)
{
    refresh_ctx c = {.ix = ix, .s = s};
    pthread_rwlock_wrlock(&ix->lock);
    c.last = ix->last_change;
    int rc = ctw_store_document_changes(s, ix->last_change, apply_change, &c);
    if (rc == 1) rc = 0;  /* stopped for a reload */
    if (rc == 0) ix->last_change = c.last;
    pthread_rwlock_unlock(&ix->lock);
    if (rc == 0 && c.need_reload) rc = reload(ix, s, NULL);
    if (applied) *applied = c.applied;
    return rc;
}

size_t ctw_docindex_count(ctw_docindex *ix)
{
    pthread_rwlock_rdlock(&ix->lock);
    size_t n = ctw_doctable_count(ix->table);
    pthread_rwlock_unlock(&ix->lock);
    return n;
}

size_t ctw_docindex_bytes(ctw_docindex *ix)
{
    pthread_rwlock_rdlock(&ix->lock);
    size_t n = ctw_doctable_bytes(ix->table);
    pthread_rwlock_unlock(&ix->lock);
    return n;
}

int ctw_doc_query_from_json(json_t *obj, ctw_doc_query *q, ctw_error *err)
{
    memset(q, 0, sizeof *q);
    if (!json_is_object(obj)) return ctw_error_set(err, CTW_EINVAL, "query", "a document query is a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        const char **slot = strcmp(key, "id") == 0                                            ? &q->id
                            : strcmp(key, "state") == 0 || strcmp(key, "issuing_state") == 0 ? &q->state
                            : strcmp(key, "number") == 0                                      ? &q->number
                            : strcmp(key, "type") == 0                                        ? &q->type
                                                                                              : NULL;
        if (!slot) return ctw_error_set(err, CTW_EINVAL, key, "unknown field \"%s\"", key);
        if (json_is_null(v)) continue;
        if (!json_is_string(v)) return ctw_error_set(err, CTW_EINVAL, key, "\"%s\" must be a string", key);
        if (json_string_length(v) > 64) return ctw_error_set(err, CTW_ELIMIT, key, "\"%s\" is over 64 bytes", key);
        *slot = json_string_value(v);
    }
    if (!q->number) return ctw_error_set(err, CTW_EINVAL, "number", "a document number is required");
    if (!q->state) return ctw_error_set(err, CTW_EINVAL, "state", "the issuing state is required");
    /* checked here too, so that a batch with a bad query checks nothing */
    char state[4], number[CTW_DOC_NUMBER_MAX + 1];
    if (ctw_doc_number_norm(q->number, number) < 0)
        return ctw_error_set(err, CTW_EINVAL, "number",
                             "not a document number: letters and digits, at most %d", CTW_DOC_NUMBER_MAX);
    if (ctw_doc_state_norm(q->state, state) != 0)
        return ctw_error_set(err, CTW_EINVAL, "state", "\"%s\" is not a country or ICAO code", q->state);
    return 0;
}

typedef struct found_list {
    ctw_doc_match *v;
    size_t n;
} found_list;

/* Store lookup: the type is checked on the row itself (type 0 = any). */
static int collect_ref(void *ud, int64_t ref)
{
    found_list *fl = ud;
    if (fl->n == 16) return 1;
    fl->v[fl->n].ref = (uint32_t)ref;
    fl->v[fl->n].type = 0;
    fl->v[fl->n].status = 0;
    fl->n++;
    return 0;
}

int ctw_docindex_check(ctw_docindex *ix, ctw_store *s, const ctw_principal *p, const ctw_doc_query *q,
                       json_t **result, ctw_error *err)
{
    char state[4], number[CTW_DOC_NUMBER_MAX + 1];
    if (!q->number || ctw_doc_number_norm(q->number, number) < 0)
        return ctw_error_set(err, CTW_EINVAL, "number",
                             "not a document number: letters and digits, at most %d", CTW_DOC_NUMBER_MAX);
    if (!q->state || ctw_doc_state_norm(q->state, state) != 0)
        return ctw_error_set(err, CTW_EINVAL, "state", "\"%s\" is not a country or ICAO code",
                             q->state ? q->state : "");
    char want_type = type_code(q->type);
    ctw_doc_match found[16];
    size_t n;
    if (ix) {
        uint64_t key = ctw_doc_key(state, number, strlen(number));
        pthread_rwlock_rdlock(&ix->lock);
        n = ctw_doctable_find(ix->table, key, found, sizeof found / sizeof found[0]);
        pthread_rwlock_unlock(&ix->lock);
        if (n > sizeof found / sizeof found[0]) n = sizeof found / sizeof found[0];
    } else {
        found_list fl = {.v = found};
        int frc = ctw_store_find_documents(s, state, number, collect_ref, &fl);
        if (frc < 0) return ctw_error_set(err, frc, NULL, "document lookup failed: %s", ctw_strerror(frc));
        n = fl.n;
    }

    json_t *res = json_object(), *hits = json_array();
    if (!res || !hits) {
        json_decref(res);
        json_decref(hits);
        return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    }
    if (q->id) json_object_set_new(res, "id", json_string(q->id));
    json_object_set_new(res, "state", json_string(state));
    json_object_set_new(res, "number", json_string(number));
    char status[24] = "none";   /* a hit's status outlives the hit's arena */
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        /* a type given must agree; a document stored without a type matches any */
        if (want_type && found[i].type && found[i].type != want_type) continue;
        ctw_arena a;
        ctw_arena_init(&a);
        ctw_document d;
        int grc = ctw_store_get_document(s, p, found[i].ref, &a, &d);
        if (grc == 0) {
            /* the fingerprint matched: make sure the row is this document */
            bool type_ok = !want_type || !d.type || !d.type[0] || d.type[0] == want_type;
            if (type_ok && strcmp(d.issuing_state, state) == 0 && strcmp(d.number_norm, number) == 0) {
                json_t *h = json_object();
                json_object_set_new(h, "document", json_sprintf("doc:%lld", (long long)d.ref));
                json_object_set_new(h, "status", json_string(d.status));
                if (d.type && *d.type) json_object_set_new(h, "type", json_string(d.type));
                json_object_set_new(h, "number", json_string(d.number));
                json_object_set_new(h, "issuing_state", json_string(d.issuing_state));
                json_object_set_new(h, "owner", json_string(d.owner));
                if (d.reported) json_object_set_new(h, "reported", json_string(d.reported));
                json_array_append_new(hits, h);
                if (strcmp(status, "none") == 0 || strcmp(status, "hit") == 0)
                    snprintf(status, sizeof status, "%s", d.status);
            }
        } else if (grc == CTW_EACCES) {
            char id[32], msg[96];
            snprintf(id, sizeof id, "doc:%lld", (long long)found[i].ref);
            snprintf(msg, sizeof msg, "hit: contact %s", d.owner ? d.owner : "the owner");
            json_t *h = json_object();
            json_object_set_new(h, "document", json_string(id));
            json_object_set_new(h, "restricted", json_true());
            json_object_set_new(h, "owner", json_string(d.owner ? d.owner : ""));
            json_object_set_new(h, "message", json_string(msg));
            json_array_append_new(hits, h);
            if (strcmp(status, "none") == 0) snprintf(status, sizeof status, "hit");
        } else if (grc != CTW_ENOTFOUND) {
            rc = ctw_error_set(err, grc, NULL, "reading a document failed: %s", ctw_strerror(grc));
        }
        ctw_arena_free(&a);
    }
    if (rc != 0) {
        json_decref(res);
        json_decref(hits);
        return rc;
    }
    json_object_set_new(res, "status", json_string(status));
    json_object_set_new(res, "hits", hits);
    *result = res;
    return 0;
}
