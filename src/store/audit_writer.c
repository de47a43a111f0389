/* audit_writer.c — group commit for the audit log of a busy server.
 *
 * Every screening request must leave an audit entry that is on disk before
 * the answer goes out. One transaction per request would cost one fsync
 * per request; here request threads queue their entries and wait, and one
 * writer thread commits everything queued in one transaction, then wakes
 * them all. Under load many entries share one fsync; an idle server pays
 * one commit per request, as before.
 *
 * An entry may carry hits (hit.h): they are written in the entry's
 * transaction, so a screening's answer, which names its hits, waits for
 * no commit of its own. The hit rows are the appender's, borrowed: it waits
 * until the batch is written. After a commit that wrote hits, on_hits is
 * called (streams are woken).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/hit.h"
#include "ctwatch/store.h"

typedef struct pending {
    struct pending *next;
    ctw_principal p;          /* strings copied below */
    char *user, *agency, *regions, *purpose, *action, *records, *detail;
    const ctw_hit_new *hits;  /* borrowed: the appender waits */
    size_t n_hits;
    uint64_t batch;
} pending;

struct ctw_audit_writer {
    ctw_store *store;
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pending *head, *tail;
    uint64_t next_batch;      /* batch the next queued entry joins */
    uint64_t committed;       /* last batch written (successfully or not) */
    int last_rc;              /* result of batch `committed` */
    uint64_t failed_batch;    /* most recent batch that failed */
    bool stop;
    void (*on_hits)(void *ud);
    void *on_hits_ud;
};

static void pending_free(pending *e)
{
    free(e->user);
    free(e->agency);
    free(e->regions);
    free(e->purpose);
    free(e->action);
    free(e->records);
    free(e->detail);
    free(e);
}

static char *dup_or_null(const char *s, bool *oom)
{
    if (!s) return NULL;
    char *d = strdup(s);
    if (!d) *oom = true;
    return d;
}

static void *writer_main(void *arg)
{
    ctw_audit_writer *w = arg;
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && !w->stop) pthread_cond_wait(&w->work, &w->mu);
        if (!w->head && w->stop) break;
        pending *list = w->head;
        uint64_t batch = w->next_batch++;
        w->head = w->tail = NULL;
        void (*on_hits)(void *) = w->on_hits;
        void *on_hits_ud = w->on_hits_ud;
        pthread_mutex_unlock(&w->mu);

        int rc = ctw_store_begin(w->store);
        size_t hits = 0;
        char now[32];
        ctw_now_iso(now);
        for (pending *e = list; e && rc == 0; e = e->next) {
            rc = ctw_store_audit(w->store, &e->p, e->action, e->records, e->detail);
            for (size_t i = 0; i < e->n_hits && rc == 0; i++) rc = ctw_store_hit_insert(w->store, &e->p, &e->hits[i], now, NULL);
            hits += e->n_hits;
        }
        if (rc == 0) rc = ctw_store_commit(w->store);
        if (rc != 0) ctw_store_rollback(w->store);
        if (rc == 0 && hits > 0 && on_hits) on_hits(on_hits_ud);
        while (list) {
            pending *n = list->next;
            pending_free(list);
            list = n;
        }

        pthread_mutex_lock(&w->mu);
        w->committed = batch;
        w->last_rc = rc;
        if (rc != 0) w->failed_batch = batch;
        pthread_cond_broadcast(&w->done);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int ctw_audit_writer_start(const char *target, ctw_audit_writer **out, ctw_error *err)
{
    ctw_audit_writer *w = calloc(1, sizeof *w);
    if (!w) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    int rc = ctw_store_open(target, 0, &w->store, err);
    if (rc != 0) {
        free(w);
        return rc;
    }
    w->next_batch = 1;
    pthread_mutex_init(&w->mu, NULL);
    pthread_cond_init(&w->work, NULL);
    pthread_cond_init(&w->done, NULL);
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        ctw_store_close(w->store);
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->work);
        pthread_cond_destroy(&w->done);
        free(w);
        return ctw_error_set(err, CTW_ENOMEM, NULL, "cannot start the audit writer");
    }
    *out = w;
    return 0;
}

int ctw_audit_writer_append(ctw_audit_writer *w, const ctw_principal *p, const char *action, const char *records,
                            const char *detail)
{
    return ctw_audit_writer_append_hits(w, p, action, records, detail, NULL, 0);
}

void ctw_audit_writer_on_hits(ctw_audit_writer *w, void (*fn)(void *ud), void *ud)
{
    pthread_mutex_lock(&w->mu);
    w->on_hits = fn;
    w->on_hits_ud = ud;
    pthread_mutex_unlock(&w->mu);
}

int ctw_audit_writer_append_hits(ctw_audit_writer *w, const ctw_principal *p, const char *action,
                                 const char *records, const char *detail, const ctw_hit_new *hits, size_t n)
{
    if (!w || !p || !action) return CTW_EINVAL;
    pending *e = calloc(1, sizeof *e);
    if (!e) return CTW_ENOMEM;
    bool oom = false;
    e->user = dup_or_null(p->user, &oom);
    e->agency = dup_or_null(p->agency, &oom);
    e->regions = dup_or_null(p->regions, &oom);
    e->purpose = dup_or_null(p->purpose, &oom);
    e->action = dup_or_null(action, &oom);
    e->records = dup_or_null(records, &oom);
    e->detail = dup_or_null(detail, &oom);
    if (oom) {
        pending_free(e);
        return CTW_ENOMEM;
    }
    e->p = (ctw_principal){.user = e->user, .agency = e->agency, .regions = e->regions, .role = p->role,
                           .purpose = e->purpose};
    e->hits = hits;
    e->n_hits = hits ? n : 0;
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
        pthread_mutex_unlock(&w->mu);
        pending_free(e);
        return CTW_EIO;
    }
    uint64_t my = w->next_batch;
    if (w->tail) w->tail->next = e;
    else w->head = e;
    w->tail = e;
    pthread_cond_signal(&w->work);
    while (w->committed < my) pthread_cond_wait(&w->done, &w->mu);
    int rc = w->failed_batch == my ? CTW_ESTORE : 0;
    pthread_mutex_unlock(&w->mu);
    return rc;
}

void ctw_audit_writer_stop(ctw_audit_writer *w)
{
    if (!w) return;
    pthread_mutex_lock(&w->mu);
    w->stop = true;
    pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    pthread_join(w->thread, NULL);
    ctw_store_close(w->store);
    pthread_mutex_destroy(&w->mu);
    pthread_cond_destroy(&w->work);
    pthread_cond_destroy(&w->done);
    free(w);
}
