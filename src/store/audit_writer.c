/* audit_writer.c — group commit for the audit log of a busy server.
 *
 * Every screening request must leave an audit entry that is on disk before
 * the answer goes out. One transaction per request would cost one fsync
 * per request; here request threads queue their entries and wait, and one
 * writer thread commits everything queued in one transaction, then wakes
 * them all. Under load many entries share one fsync; an idle server pays
 * one commit per request, as before.
 *
 * The policy, and why:
 *   - No batch size: the writer takes the whole queue when it is free.
 *     While one batch's fsync runs, the next batch gathers, so the batch
 *     grows with the load by itself.
 *   - But when the server is busy, commits begin at most once per commit
 *     interval (1 ms by default; ctw_audit_writer_set_pacing): an entry
 *     queued sooner than that after the last commit began waits for the
 *     rest of the interval, and so do all the others that arrive
 *     meanwhile. An fsync on a virtual disk is also CPU: every flush is a
 *     VM exit and a block request, ~100 us of the server's CPU here.
 *     Without the interval a loaded server committed every ~0.5 ms, ~12
 *     entries a batch, and the flushes took a tenth of its CPU; with 1 ms,
 *     bench/http_ab.sh measured about half the fsyncs and, on the bench's
 *     query set, requests/s x1.05 to x1.12; on answers that write hits
 *     (slower commits, already further apart) no clear gain (bench/README.md,
 *     "The audit commit interval").
 *   - The writer becomes busy with a batch of at least busy_batch entries
 *     (16 by default: that many requests were waiting on one commit) and
 *     stays busy while its batches hold at least half that. A server that
 *     never gets there has CPU to spare: the interval would buy it nothing
 *     and cost every answer up to an interval of waiting (with the interval
 *     always on, 8 connections gave requests/s x0.75 and p99 +1.1 ms), so
 *     its writer commits as soon as it is free, as before. The half is
 *     there because the interval itself sets the batch (the entries of one
 *     interval: 13 at 13,000 requests/s), which may fall below busy_batch
 *     while the load that made the writer busy lasts. PostgreSQL's
 *     commit_delay and commit_siblings are the same idea.
 *     A request waits for at most the commit in progress, the rest of the
 *     interval, and its own commit.
 *   - An entry (ctw_audit_job) is the caller's: on the stack of a thread
 *     that waits in ctw_audit_writer_append_hits, or in the state of a
 *     request that ctw_audit_writer_submit queued without waiting (a
 *     server answering many connections on few threads). The writer reads
 *     it until it calls the job's done(); nothing is copied or allocated
 *     per entry, and every string stays the caller's.
 *   - A store busy with another writer (an import) delays a batch rather
 *     than failing it, for up to BUSY_ATTEMPTS busy waits.
 *   - The writer calls done() of exactly the jobs of the batch it
 *     committed; a waiting thread's done() posts its own semaphore. A
 *     broadcast on one condition variable woke every waiter of every
 *     batch, and each then queued for the writer's mutex: the waking cost
 *     grew with the square of the batch.
 */
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctwatch/hit.h"
#include "ctwatch/store.h"

/* A job of a thread that waits for it (ctw_audit_writer_append_hits). */
typedef struct waiting_job {
    ctw_audit_job job;
    int rc;
    sem_t done;
} waiting_job;

/* A new writer's pacing (see the top): the commit interval in
 * microseconds, and the last batch's size that makes the server busy. */
#define DEFAULT_COMMIT_INTERVAL_US 1000u
#define DEFAULT_BUSY_BATCH 16u

struct ctw_audit_writer {
    ctw_store *store;
    pthread_t thread;
    pthread_mutex_t mu;       /* guards what follows */
    pthread_cond_t work;      /* the queue is no longer empty, or stop (CLOCK_MONOTONIC) */
    ctw_audit_job *head, *tail;
    bool stop;
    unsigned interval_us;     /* when busy, commits begin at most this often */
    unsigned busy_batch;      /* ... busy: the last batch had this many entries */
    bool busy;                /* the last batches were large (see the top) */
    uint64_t last_begin_us;   /* when the last commit began (monotonic) */
    uint64_t batches;         /* commits done (ctw_audit_writer_batches) */
    void (*on_hits)(void *ud);
    void *on_hits_ud;
};

/* A long write by another connection (an import) may hold the store's
 * write lock for longer than one busy wait of the store (its busy
 * timeout, 10 s): the batch waits up to this many of them before its
 * requests fail. Nothing is written before the lock is ours. */
#define BUSY_ATTEMPTS 6

/* Write list in one transaction: 0, or the store's error for all of it. */
static int write_batch(ctw_audit_writer *w, ctw_audit_job *list)
{
    int rc = ctw_store_begin(w->store);
    for (int i = 1; rc == CTW_ECONFLICT && i < BUSY_ATTEMPTS; i++) rc = ctw_store_begin(w->store);
    char now[32];
    ctw_now_iso(now);
    for (ctw_audit_job *e = list; e && rc == 0; e = e->next) {
        rc = ctw_store_audit(w->store, e->p, e->action, e->records, e->detail);
        for (size_t i = 0; i < e->n_hits && rc == 0; i++)
            rc = ctw_store_hit_insert(w->store, e->p, &e->hits[i], now, NULL);
    }
    if (rc == 0) rc = ctw_store_commit(w->store);
    if (rc != 0) ctw_store_rollback(w->store);
    return rc;
}

static uint64_t monotonic_us(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000u + (uint64_t)t.tv_nsec / 1000u;
}

/* With w->mu held and the queue not empty: wait (the lock released) until
 * the interval since the last commit began is over, or the writer is
 * stopping, which writes at once. Submitting does not wake this wait: the
 * queue is not empty, so ctw_audit_writer_submit does not signal. */
static void wait_for_interval(ctw_audit_writer *w)
{
    uint64_t due = w->last_begin_us + w->interval_us;
    while (!w->stop) {
        uint64_t now = monotonic_us();
        if (now >= due) return;
        struct timespec at = {.tv_sec = (time_t)(due / 1000000u), .tv_nsec = (long)(due % 1000000u) * 1000};
        if (pthread_cond_timedwait(&w->work, &w->mu, &at) == ETIMEDOUT) return;
    }
}

static void *writer_main(void *arg)
{
    ctw_audit_writer *w = arg;
    pthread_setname_np(pthread_self(), "ctw-audit"); /* for top -H and perf */
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (!w->head && !w->stop) pthread_cond_wait(&w->work, &w->mu);
        if (!w->head && w->stop) break;
        if (w->busy) wait_for_interval(w);
        w->last_begin_us = monotonic_us();
        w->batches++;
        ctw_audit_job *list = w->head;
        w->head = w->tail = NULL;
        size_t n = 0;
        for (ctw_audit_job *e = list; e; e = e->next) n++;
        w->busy = w->busy_batch == 0 || n >= w->busy_batch || (w->busy && 2 * n >= w->busy_batch);
        void (*on_hits)(void *) = w->on_hits;
        void *on_hits_ud = w->on_hits_ud;
        pthread_mutex_unlock(&w->mu);

        size_t hits = 0;
        for (ctw_audit_job *e = list; e; e = e->next) hits += e->n_hits;
        int rc = write_batch(w, list);
        if (rc == 0 && hits > 0 && on_hits) on_hits(on_hits_ud);
        while (list) {
            ctw_audit_job *next = list->next; /* read before done() frees the job */
            list->done(list, rc == 0 ? 0 : CTW_ESTORE);
            list = next;
        }

        pthread_mutex_lock(&w->mu);
    }
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

int ctw_audit_writer_start(const char *target, ctw_audit_writer **out, ctw_error *err)
{
    ctw_audit_writer *w = calloc(1, sizeof *w);
    if (!w) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    /* its commits are what every waiting answer waits for: checkpoints of
     * the log run beside them, not inside them (sqlite_checkpoint.c) */
    int rc = ctw_store_open(target, CTW_STORE_HOT_WRITER, &w->store, err);
    if (rc != 0) {
        free(w);
        return rc;
    }
    pthread_mutex_init(&w->mu, NULL);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC); /* the interval's clock */
    pthread_cond_init(&w->work, &ca);
    pthread_condattr_destroy(&ca);
    w->interval_us = DEFAULT_COMMIT_INTERVAL_US;
    w->busy_batch = DEFAULT_BUSY_BATCH;
    if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
        ctw_store_close(w->store);
        pthread_mutex_destroy(&w->mu);
        pthread_cond_destroy(&w->work);
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

void ctw_audit_writer_set_pacing(ctw_audit_writer *w, unsigned interval_us, unsigned busy_batch)
{
    pthread_mutex_lock(&w->mu);
    w->interval_us = interval_us > CTW_AUDIT_INTERVAL_MAX_US ? CTW_AUDIT_INTERVAL_MAX_US : interval_us;
    w->busy_batch = busy_batch;
    pthread_mutex_unlock(&w->mu);
}

uint64_t ctw_audit_writer_batches(ctw_audit_writer *w)
{
    pthread_mutex_lock(&w->mu);
    uint64_t n = w->batches;
    pthread_mutex_unlock(&w->mu);
    return n;
}

void ctw_audit_writer_on_hits(ctw_audit_writer *w, void (*fn)(void *ud), void *ud)
{
    pthread_mutex_lock(&w->mu);
    w->on_hits = fn;
    w->on_hits_ud = ud;
    pthread_mutex_unlock(&w->mu);
}

int ctw_audit_writer_submit(ctw_audit_writer *w, ctw_audit_job *job)
{
    if (!w || !job || !job->p || !job->action || !job->done || (job->n_hits > 0 && !job->hits))
        return CTW_EINVAL;
    job->next = NULL;
    pthread_mutex_lock(&w->mu);
    if (w->stop) {
        pthread_mutex_unlock(&w->mu);
        return CTW_EIO;
    }
    bool was_empty = !w->head;
    if (w->tail) w->tail->next = job;
    else w->head = job;
    w->tail = job;
    /* the writer sleeps only on an empty queue: one wake-up per batch */
    if (was_empty) pthread_cond_signal(&w->work);
    pthread_mutex_unlock(&w->mu);
    return 0;
}

static void wake_waiter(ctw_audit_job *job, int rc)
{
    waiting_job *wj = (waiting_job *)job; /* job is its first member */
    wj->rc = rc;
    sem_post(&wj->done);
}

int ctw_audit_writer_append_hits(ctw_audit_writer *w, const ctw_principal *p, const char *action,
                                 const char *records, const char *detail, const ctw_hit_new *hits, size_t n)
{
    if (!w || !p || !action) return CTW_EINVAL;
    waiting_job wj = {.job = {.p = p, .action = action, .records = records, .detail = detail, .hits = hits,
                              .n_hits = hits ? n : 0, .done = wake_waiter},
                      .rc = CTW_ESTORE};
    if (sem_init(&wj.done, 0, 0) != 0) return CTW_ENOMEM;
    int rc = ctw_audit_writer_submit(w, &wj.job);
    if (rc == 0) {
        while (sem_wait(&wj.done) != 0) {} /* EINTR: a signal, wait on */
        rc = wj.rc;
    }
    sem_destroy(&wj.done);
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
    free(w);
}
