/* sqlite_checkpoint.c — checkpoints of a busy writer's WAL, on a thread of
 * their own (the store open flag CTW_STORE_HOT_WRITER).
 *
 * Why: by default SQLite checkpoints inside the commit that takes the WAL
 * past 1,000 pages: that commit copies every page of the log into the
 * database file and syncs it before it returns. For the audit writer of a
 * busy server (audit_writer.c) that commit is a group commit that every
 * waiting screening answer is waiting for, so each checkpoint held a few
 * dozen answers for several milliseconds, and a slow sync of the database
 * file for tens of them (bench/README.md, "Checkpoints inside the group
 * commit"): part of the long tail of the HTTP latency.
 *
 * How:
 *   - The writer's connection gets a WAL hook (which replaces SQLite's
 *     automatic checkpoint on that connection). After each commit the hook
 *     looks at the log's size and, past CHECKPOINT_FRAMES, marks a
 *     checkpoint due and wakes the checkpointer. Nothing else runs on the
 *     writer's thread.
 *   - The checkpointer has its own connection to the same file. It first
 *     runs a PASSIVE checkpoint, which copies the log's pages into the
 *     database without taking the write lock: the writer goes on
 *     committing meanwhile. A passive checkpoint can never let the log
 *     start over while the writer keeps appending, so it then runs a
 *     RESTART checkpoint, which holds the write lock only while it copies
 *     the few frames committed during the first and waits for readers of
 *     the old log; the writer's next transaction then starts the log from
 *     its beginning. So the log stays near CHECKPOINT_FRAMES pages and the
 *     writer waits only for that short second step.
 *   - Durability is SQLite's own: a commit is on disk once its WAL frames
 *     are synced (synchronous=FULL), whoever checkpoints later; the
 *     checkpointer's connection also syncs the database file before the
 *     log may restart. A process killed mid-checkpoint is recovered from
 *     the log as after any crash.
 *   - The RESTART step waits for the write lock and for readers of the old
 *     log only briefly (BUSY_TRIES waits of BUSY_WAIT_US): while it waits
 *     for readers it holds the write lock, so the writer waits with it. A
 *     long reader (an export) therefore costs the writer a few milliseconds
 *     per attempt, and attempts are spaced by CHECKPOINT_FRAMES more frames
 *     of log: the log then grows as it would under SQLite's own
 *     checkpoints, which cannot restart it under such a reader either.
 *
 * Ownership: the checkpointer belongs to the store handle whose connection
 * it watches (sqlite.c), started at open and stopped before that
 * connection closes.
 */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <time.h>

#include "store/sqlite_int.h"

/* SQLite's own default for automatic checkpoints (SQLITE_DEFAULT_WAL_AUTOCHECKPOINT). */
#define CHECKPOINT_FRAMES 1000
/* The checkpointer's waits for the write lock or a reader of the old log. */
#define BUSY_TRIES 40
#define BUSY_WAIT_US 100

struct ctw__sq_checkpointer {
    sqlite3 *watched;         /* the writer's connection: only its hook is ours */
    sqlite3 *db;              /* the checkpointer's own connection */
    pthread_t thread;
    pthread_mutex_t mu;       /* guards due, stop, due_at, runs */
    pthread_cond_t cv;        /* due or stop */
    bool due, stop;
    int due_at;               /* frames of log that make a checkpoint due */
    unsigned long runs;       /* restarts of the log, for tests */
};

/* The WAL hook: on the writer's thread, after each commit. */
static int on_commit(void *ud, sqlite3 *db, const char *schema, int frames)
{
    (void)db;
    (void)schema;
    ctw__sq_checkpointer *c = ud;
    if (frames < CHECKPOINT_FRAMES) return SQLITE_OK;
    pthread_mutex_lock(&c->mu);
    if (!c->due && frames >= c->due_at) {
        c->due = true;
        pthread_cond_signal(&c->cv);
    }
    pthread_mutex_unlock(&c->mu);
    return SQLITE_OK;
}

static void *checkpointer_main(void *arg)
{
    ctw__sq_checkpointer *c = arg;
    pthread_setname_np(pthread_self(), "ctw-checkpoint"); /* for top -H and perf */
    pthread_mutex_lock(&c->mu);
    for (;;) {
        while (!c->due && !c->stop) pthread_cond_wait(&c->cv, &c->mu);
        if (c->stop) break;
        c->due = false;
        pthread_mutex_unlock(&c->mu);

        int log = 0;
        int rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_PASSIVE, &log, NULL);
        if (rc == SQLITE_OK) rc = sqlite3_wal_checkpoint_v2(c->db, NULL, SQLITE_CHECKPOINT_RESTART, &log, NULL);

        pthread_mutex_lock(&c->mu);
        if (rc == SQLITE_OK) {
            c->runs++;
            c->due_at = CHECKPOINT_FRAMES;
        } else {
            /* the log could not start over (a reader of it, or busy): try
             * again once it has grown by as much again */
            c->due_at = (log > 0 ? log : CHECKPOINT_FRAMES) + CHECKPOINT_FRAMES;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return NULL;
}

/* The checkpointer connection's busy handler: a few short waits. */
static int brief_wait(void *ud, int tries)
{
    (void)ud;
    if (tries >= BUSY_TRIES) return 0;
    struct timespec ts = {0, BUSY_WAIT_US * 1000L};
    nanosleep(&ts, NULL);
    return 1;
}

int ctw__sq_checkpointer_start(sqlite3 *watched, const char *target, const char *vfs, ctw__sq_checkpointer **out)
{
    ctw__sq_checkpointer *c = calloc(1, sizeof *c);
    if (!c) return SQLITE_NOMEM;
    c->watched = watched;
    c->due_at = CHECKPOINT_FRAMES;
    int rc = sqlite3_open_v2(target, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, vfs);
    if (rc == SQLITE_OK) rc = sqlite3_busy_handler(c->db, brief_wait, NULL);
    /* the checkpoint syncs the database file before the log may restart */
    if (rc == SQLITE_OK) rc = sqlite3_exec(c->db, "PRAGMA synchronous=FULL", NULL, NULL, NULL);
    if (rc != SQLITE_OK) {
        sqlite3_close(c->db);
        free(c);
        return rc;
    }
    pthread_mutex_init(&c->mu, NULL);
    pthread_cond_init(&c->cv, NULL);
    if (pthread_create(&c->thread, NULL, checkpointer_main, c) != 0) {
        pthread_mutex_destroy(&c->mu);
        pthread_cond_destroy(&c->cv);
        sqlite3_close(c->db);
        free(c);
        return SQLITE_NOMEM;
    }
    sqlite3_wal_hook(watched, on_commit, c);
    *out = c;
    return SQLITE_OK;
}

unsigned long ctw__sq_checkpointer_runs(ctw__sq_checkpointer *c)
{
    pthread_mutex_lock(&c->mu);
    unsigned long n = c->runs;
    pthread_mutex_unlock(&c->mu);
    return n;
}

void ctw__sq_checkpointer_stop(ctw__sq_checkpointer *c)
{
    if (!c) return;
    /* back to SQLite's automatic checkpoints for whatever the connection
     * still commits (and its close, which checkpoints if it is the last) */
    sqlite3_wal_autocheckpoint(c->watched, CHECKPOINT_FRAMES);
    pthread_mutex_lock(&c->mu);
    c->stop = true;
    pthread_cond_signal(&c->cv);
    pthread_mutex_unlock(&c->mu);
    pthread_join(c->thread, NULL);
    sqlite3_close(c->db);
    pthread_mutex_destroy(&c->mu);
    pthread_cond_destroy(&c->cv);
    free(c);
}
