/* follow.c — keep a server's screening index current.
 *
 * The first index is built before the follower returns, so a server never
 * answers a screening request without one. Then a thread watches the
 * store's change feed; when it moves, a new index is built on the side and
 * published by pointer swap (ctw_match_registry_publish). Screening goes on
 * against the old index meanwhile and never sees half of a rebuild.
 */
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ctwatch/match.h"

struct ctw_match_follower {
    char *target;
    ctw_match_registry *reg;
    unsigned interval_ms;
    int64_t seq;              /* change feed position of the published index */
    pthread_t thread;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    bool stop;
    unsigned long rebuilds;
};

/* Build from a fresh store handle; *seq is read before the build, so a
 * change that lands during the build triggers one more. The index keeps
 * *seq: what it holds is at least as new as that position, and a change
 * it may have missed has moved the feed past it, so notices.c, which takes
 * hits' notices from the index only while the feed is at *seq, reads such
 * a change from the store. */
static int build(const char *target, ctw_match_index **out, int64_t *seq, ctw_error *err)
{
    ctw_store *s = NULL;
    int rc = ctw_store_open(target, 0, &s, err);
    if (rc != 0) return rc;
    rc = ctw_store_change_seq(s, seq);
    if (rc != 0) ctw_error_set(err, rc, target, "cannot read the change feed");
    if (rc == 0) rc = ctw_match_index_build_at(s, *seq, out, err);
    ctw_store_close(s);
    return rc;
}

static void *follow_main(void *arg)
{
    ctw_match_follower *f = arg;
    pthread_mutex_lock(&f->mu);
    while (!f->stop) {
        struct timespec until;
        clock_gettime(CLOCK_REALTIME, &until);
        until.tv_sec += f->interval_ms / 1000;
        until.tv_nsec += (long)(f->interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_cond_timedwait(&f->cv, &f->mu, &until);
        if (f->stop) break;
        pthread_mutex_unlock(&f->mu);

        ctw_store *s = NULL;
        ctw_error err;
        int64_t now = f->seq;
        if (ctw_store_open(f->target, 0, &s, &err) == 0) {
            ctw_store_change_seq(s, &now);
            ctw_store_close(s);
        }
        if (now != f->seq) {
            ctw_match_index *ix = NULL;
            int64_t seq = 0;
            if (build(f->target, &ix, &seq, &err) == 0) {
                ctw_match_registry_publish(f->reg, ix);
                f->seq = seq;
                f->rebuilds++;
            }
        }
        pthread_mutex_lock(&f->mu);
    }
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

int ctw_match_follower_start(const char *target, ctw_match_registry *reg, unsigned interval_ms,
                             ctw_match_follower **out, ctw_error *err)
{
    ctw_match_follower *f = calloc(1, sizeof *f);
    if (!f || !(f->target = strdup(target))) {
        free(f);
        return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    }
    f->reg = reg;
    f->interval_ms = interval_ms ? interval_ms : 1000;
    ctw_match_index *ix = NULL;
    int rc = build(target, &ix, &f->seq, err);
    if (rc != 0) {
        free(f->target);
        free(f);
        return rc;
    }
    ctw_match_registry_publish(reg, ix);
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (pthread_create(&f->thread, NULL, follow_main, f) != 0) {
        pthread_mutex_destroy(&f->mu);
        pthread_cond_destroy(&f->cv);
        free(f->target);
        free(f);
        return ctw_error_set(err, CTW_ENOMEM, NULL, "cannot start the index thread");
    }
    *out = f;
    return 0;
}

void ctw_match_follower_stop(ctw_match_follower *f)
{
    if (!f) return;
    pthread_mutex_lock(&f->mu);
    f->stop = true;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
    pthread_join(f->thread, NULL);
    pthread_mutex_destroy(&f->mu);
    pthread_cond_destroy(&f->cv);
    free(f->target);
    free(f);
}
