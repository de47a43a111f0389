/* word_memo.c — what ICU made of a word, remembered (bounded, shared).
 *
 * ICU's rule-based transliterators (Any-Latin and the script-specific ones)
 * are the dearest step of screening a name written in another script:
 * ~20 % of all screening work on the UN + OFAC bench, where more than half
 * of the negatives are not in Latin letters. Travellers' names are made of
 * a small vocabulary that repeats (Zipf): of the non-Latin words in a
 * stream of 50,000 first-time names of yente's negatives, 88 % had been
 * seen earlier in the stream. romanise.c transliterates such names word by
 * word (where that is provably the same as transliterating them whole, see
 * romanise.c) and keeps each word's result here.
 *
 * The memo is a process-wide set-associative table: 64 shards, each with
 * its own mutex, of 256 sets of 4 ways (65,536 words at most). A word is
 * at most CTW__WORD_MEMO_KEY_MAX UTF-16 units and its result at most
 * CTW__WORD_MEMO_VALUE_MAX bytes (longer ones are not kept), so the memo never
 * holds more than ~12 MB; 4-5 MB is typical. A full set replaces its
 * ways in turn (round robin): no recency bookkeeping on the hit path.
 * Readers copy the result out under the shard's mutex, so a replaced entry
 * can be freed at once. Entries live until the process exits.
 *
 * Owner: the text module (romanise.c is the only caller).
 */
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/text.h"
#include "text/text_int.h"

#define SHARDS 64
#define SETS 256
#define WAYS 4

typedef struct entry {
    uint64_t hash;
    uint16_t klen;      /* UTF-16 units */
    uint16_t vlen;      /* bytes */
    uint8_t which;
    UChar key[];        /* klen units, then vlen bytes of value */
} entry;

typedef struct shard {
    pthread_mutex_t mu;
    entry *set[SETS][WAYS];
    uint8_t next[SETS];  /* the way a full set replaces next */
} shard;

static shard shards[SHARDS];
static pthread_once_t once = PTHREAD_ONCE_INIT;
static _Atomic uint64_t n_hits, n_misses, n_bytes, n_words;
static _Thread_local bool off;   /* ctw_text_word_memo_set(false) on this thread */

static void init(void)
{
    for (int i = 0; i < SHARDS; i++) pthread_mutex_init(&shards[i].mu, NULL);
}

static uint64_t hash_word(int which, const UChar *w, int32_t n)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)which;
    const unsigned char *p = (const unsigned char *)w;
    for (size_t i = 0; i < (size_t)n * sizeof(UChar); i++) {
        h ^= p[i];
        h *= 1099511628211ULL;
    }
    return h ^ (h >> 29);
}

static const char *value_of(const entry *e)
{
    return (const char *)(e->key + e->klen);
}

void ctw_text_word_memo_set(bool on)
{
    off = !on;
}

bool ctw__text_word_memo_on(void)
{
    return !off;
}

void ctw_text_word_memo_stats_get(ctw_text_word_memo_stats *st)
{
    st->hits = atomic_load_explicit(&n_hits, memory_order_relaxed);
    st->misses = atomic_load_explicit(&n_misses, memory_order_relaxed);
    st->words = atomic_load_explicit(&n_words, memory_order_relaxed);
    st->bytes = atomic_load_explicit(&n_bytes, memory_order_relaxed);
}

int ctw__text_word_memo_get(int which, const UChar *w, int32_t n, char *out, size_t cap)
{
    if (n <= 0 || n > CTW__WORD_MEMO_KEY_MAX) return -1;
    pthread_once(&once, init);
    uint64_t h = hash_word(which, w, n);
    shard *s = &shards[h >> 58];
    unsigned set = (unsigned)(h >> 8) % SETS;
    int len = -1;
    pthread_mutex_lock(&s->mu);
    for (int k = 0; k < WAYS; k++) {
        const entry *e = s->set[set][k];
        if (e && e->hash == h && e->which == which && e->klen == n &&
            memcmp(e->key, w, (size_t)n * sizeof(UChar)) == 0) {
            if (e->vlen < cap) {
                memcpy(out, value_of(e), e->vlen);
                out[e->vlen] = '\0';
                len = e->vlen;
            }
            break;
        }
    }
    pthread_mutex_unlock(&s->mu);
    atomic_fetch_add_explicit(len >= 0 ? &n_hits : &n_misses, 1, memory_order_relaxed);
    return len;
}

void ctw__text_word_memo_put(int which, const UChar *w, int32_t n, const char *v, size_t vlen)
{
    if (n <= 0 || n > CTW__WORD_MEMO_KEY_MAX || vlen > CTW__WORD_MEMO_VALUE_MAX) return;
    pthread_once(&once, init);
    size_t size = sizeof(entry) + (size_t)n * sizeof(UChar) + vlen;
    entry *e = malloc(size);
    if (!e) return;   /* a memo that cannot grow is only slower */
    e->hash = hash_word(which, w, n);
    e->klen = (uint16_t)n;
    e->vlen = (uint16_t)vlen;
    e->which = (uint8_t)which;
    memcpy(e->key, w, (size_t)n * sizeof(UChar));
    memcpy((char *)(e->key + n), v, vlen);
    shard *s = &shards[e->hash >> 58];
    unsigned set = (unsigned)(e->hash >> 8) % SETS;
    entry *old = NULL;
    pthread_mutex_lock(&s->mu);
    int way = -1;
    for (int k = 0; k < WAYS && way < 0; k++) {
        const entry *x = s->set[set][k];
        if (!x) way = k;
        else if (x->hash == e->hash && x->which == e->which && x->klen == e->klen &&
                 memcmp(x->key, e->key, (size_t)n * sizeof(UChar)) == 0)
            way = k;   /* another thread put the same word first */
    }
    if (way < 0) way = s->next[set]++ % WAYS;
    old = s->set[set][way];
    s->set[set][way] = e;
    pthread_mutex_unlock(&s->mu);
    if (old) {
        atomic_fetch_sub_explicit(&n_bytes, sizeof(entry) + old->klen * sizeof(UChar) + old->vlen,
                                  memory_order_relaxed);
        atomic_fetch_sub_explicit(&n_words, 1, memory_order_relaxed);
        free(old);
    }
    atomic_fetch_add_explicit(&n_bytes, size, memory_order_relaxed);
    atomic_fetch_add_explicit(&n_words, 1, memory_order_relaxed);
}
