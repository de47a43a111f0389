/* doctable.c — the SLTD table: normalisation, keys, and an open-addressing
 * hash table of 64-bit keys (see doctable.h).
 *
 * Layout. One array of 16-byte slots, capacity a power of two:
 *
 *   offset  0  uint64  key     ctw_doc_key(state, number); 0 = empty slot
 *           8  uint32  ref     the caller's row id
 *          12  uint8   status  ctw_doc_status
 *          13  char    type    first letter of the document type
 *          14  2 bytes padding (zero)
 *
 * Four slots share a 64-byte cache line. A slot's home is the top log2(cap)
 * bits of its key: the key is already a well-mixed hash, so no second hash
 * is needed. Collisions go to the next slots (linear probing), ordered the
 * Robin Hood way: along a run, entries stay sorted by home, so an entry's
 * distance from home tells a lookup when the key it seeks can no longer
 * come (a slot whose entry lives nearer its home than we are from ours).
 * Plain linear probing at a load of 3/4 scans about 8.5 slots for a miss;
 * with the order a miss stops about as early as a hit does (Amble and
 * Knuth's ordered hash tables). At 100M entries one-at-a-time checks run
 * 1.6 times as fast as in a bare linear-probing table of the same keys,
 * which scans every miss to an empty slot. Deletion shifts the rest of the
 * run back one slot (no tombstones, so a table with churn does not slow
 * down).
 *
 * Size. The load factor is at most 3/4; the table doubles past it. With
 * 100,000,000 entries the capacity is 2^27 (load 0.745): 2 GiB, 21.5 bytes
 * per document. Right after a doubling it is 3/8 full, 43 bytes per
 * document; ctw_doctable_new(expected) sizes for a known count up front.
 * Arrays of 2 MiB and more come from mmap, aligned to 2 MiB and marked for
 * transparent huge pages: with 4 kB pages nearly every random lookup in
 * 2 GiB would also miss the TLB and walk the page tables.
 *
 * Batches. A lookup in a table far larger than the caches is one DRAM
 * access and a few instructions; on this machine (a virtual machine, so a
 * TLB miss walks two sets of page tables) that access costs 300-400 ns
 * when nothing overlaps it. ctw_doctable_check_batch prefetches the home
 * slot of the key PREFETCH_AHEAD places ahead, so that many loads are in
 * flight at once. Measured on 100M random keys (2^27 slots): a distance
 * of 4 gives 15M checks/s, 8 to 64 all about 19M/s; 16 leaves a margin.
 * Prefetching the next line as well (a run may cross it) gained nothing.
 * ctw_doctable_add_batch does the same for a load: 100M documents took
 * 85 s to normalise, key and add one ctw_doctable_add at a time (each add
 * waits for its own miss), 17 s with batches of 4096 (bench/travel_bench).
 *
 * Keys. ctw_doc_key folds the state and the number into 64 bits with a
 * multiply-rotate round per 8-byte word and a xor-shift-multiply finish
 * (written for this file; the constants are random odd numbers). Every
 * input bit reaches the top bits, which pick the slot. The hash is not
 * keyed: someone who could choose the numbers on the list could crowd a
 * run, but the list comes from police and border agencies, not from the
 * people being checked, and a crowded run costs time, never a wrong answer.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "ctwatch/doctable.h"
#include "travel/travel_int.h"

int ctw__doctable_fail_next_alloc;

/* ---- statuses ------------------------------------------------------------ */

static const char *const status_names[] = {
    [CTW_DOC_NONE] = "none",           [CTW_DOC_STOLEN] = "stolen",
    [CTW_DOC_LOST] = "lost",           [CTW_DOC_REVOKED] = "revoked",
    [CTW_DOC_INVALIDATED] = "invalidated", [CTW_DOC_STOLEN_BLANK] = "stolen-blank",
};
#define N_STATUS (sizeof status_names / sizeof status_names[0])

const char *ctw_doc_status_name(ctw_doc_status s)
{
    return (unsigned)s < N_STATUS ? status_names[s] : "?";
}

int ctw_doc_status_parse(const char *text, ctw_doc_status *out)
{
    char buf[16];
    size_t n = 0;
    if (!text || !out) return CTW_EINVAL;
    /* Lower case, with ' ' and '_' read as '-'; longer than any name: no match. */
    for (; text[n]; n++) {
        if (n + 1 >= sizeof buf) return CTW_EINVAL;
        char c = text[n];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        else if (c == ' ' || c == '_') c = '-';
        buf[n] = c;
    }
    buf[n] = '\0';
    for (size_t i = 0; i < N_STATUS; i++)
        if (strcmp(buf, status_names[i]) == 0) {
            *out = (ctw_doc_status)i;
            return 0;
        }
    return CTW_EINVAL;
}

/* ---- normalisation --------------------------------------------------------- */

int ctw_doc_number_norm(const char *in, char out[CTW_DOC_NUMBER_MAX + 1])
{
    char buf[CTW_DOC_NUMBER_MAX + 1];
    size_t n = 0;
    if (!in || !out) return CTW_EINVAL;
    for (const unsigned char *p = (const unsigned char *)in; *p; p++) {
        unsigned c = *p;
        if (c - '0' < 10u || c - 'A' < 26u) {
            /* kept as it is */
        } else if (c - 'a' < 26u) {
            c -= 'a' - 'A';
        } else if (c == ' ' || c == '-' || c == '/' || c == '.' || c == '<') {
            continue;
        } else {
            return CTW_EINVAL;
        }
        if (n == CTW_DOC_NUMBER_MAX) return CTW_EINVAL;
        buf[n++] = (char)c;
    }
    if (n == 0) return CTW_EINVAL;
    buf[n] = '\0';
    memcpy(out, buf, n + 1);
    return (int)n;
}

int ctw_doc_state_norm(const char *in, char out[4])
{
    char up[4] = {0};
    size_t n = 0;
    if (!in || !out) return CTW_EINVAL;
    for (; in[n] && in[n] != '<'; n++) {
        if (n == 3) return CTW_EINVAL;
        unsigned c = (unsigned char)in[n];
        if (c - 'a' < 26u) c -= 'a' - 'A';
        if (c - 'A' >= 26u) return CTW_EINVAL;
        up[n] = (char)c;
    }
    for (size_t k = n; in[k]; k++)
        if (in[k] != '<') return CTW_EINVAL;  /* fillers only at the end */
    const char *code = NULL;
    if (n == 3)
        code = ctw__travel_code3_known(up) ? up : NULL;
    else if (n == 2)
        code = ctw__travel_code2_alpha3(up);
    else if (n == 1 && up[0] == 'D')  /* ICAO 9303 Part 3: Germany is "D<<" */
        code = "DEU";
    if (!code) return CTW_EINVAL;
    memcpy(out, code, 4);
    return 0;
}

/* ---- keys ---------------------------------------------------------------- */

#define K1 0x50d6c377b543ebf7ull
#define K2 0x86735cb7c6934ed3ull
#define K3 0x8aaa2de4d8c8affdull
#define K4 0xc00772816f096dfbull
#define K5 0xdb779e9e03cea573ull
#define K6 0xee5dad8df3388e07ull

static inline uint64_t rotl64(uint64_t x, unsigned r)
{
    return (x << r) | (x >> (64 - r));
}

/* Up to 8 bytes as a little-endian word, whatever the machine's order. */
static inline uint64_t word_le(const unsigned char *p, size_t n)
{
    uint64_t w = 0;
    for (size_t i = 0; i < n; i++) w |= (uint64_t)p[i] << (8 * i);
    return w;
}

static inline uint64_t word8_le(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w);
#endif
    return w;
}

static inline uint64_t key_round(uint64_t h, uint64_t w)
{
    w *= K1;
    w ^= w >> 29;
    w *= K2;
    h ^= w;
    return rotl64(h, 27) * K3 + K4;
}

uint64_t ctw_doc_key(const char state[4], const char *number_norm, size_t len)
{
    const unsigned char *s = (const unsigned char *)state, *p = (const unsigned char *)number_norm;
    /* First word: the three state letters and the length, so that no two
     * (state, number) pairs feed the same words. */
    uint64_t h = key_round(K5, (uint64_t)s[0] | (uint64_t)s[1] << 8 | (uint64_t)s[2] << 16 | (uint64_t)len << 24);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) h = key_round(h, word8_le(p + i));
    if (i < len) h = key_round(h, word_le(p + i, len - i));
    h ^= h >> 31;
    h *= K6;
    h ^= h >> 29;
    h *= K1;
    h ^= h >> 32;
    return h ? h : K2; /* 0 marks an empty slot */
}

/* ---- the table --------------------------------------------------------------- */

typedef struct slot {
    uint64_t key;
    uint32_t ref;
    uint8_t status;
    char type;
    uint8_t pad[2];
} slot;

_Static_assert(sizeof(slot) == 16, "four slots to a cache line");

struct ctw_doctable {
    slot *slots;
    uint64_t mask;      /* capacity - 1 */
    unsigned shift;     /* home = key >> shift; 64 - log2(capacity) */
    size_t count;
    size_t limit;       /* entries allowed before doubling: 3/4 of capacity */
    size_t alloc_bytes; /* bytes of the slot array as allocated */
    bool mapped;        /* the array came from mmap */
};

#define MIN_LOG2 4u
#define MAX_LOG2 32u                 /* 2^31 entries need 2^32 slots at 3/4 */
#define HUGE_PAGE ((size_t)2 << 20)
#ifndef PREFETCH_AHEAD /* -DPREFETCH_AHEAD=N to measure another distance */
#define PREFETCH_AHEAD 16
#endif

static size_t limit_of(size_t cap)
{
    return cap - cap / 4;
}

typedef struct slots_mem {
    slot *slots;
    size_t bytes;
    bool mapped;
} slots_mem;

/* A zeroed array of 2^log2 slots. Big arrays from mmap, cut to a 2 MiB
 * boundary so that transparent huge pages can back all of it. */
static int slots_alloc(unsigned log2, slots_mem *m)
{
    if (ctw__doctable_fail_next_alloc) {
        ctw__doctable_fail_next_alloc = 0;
        return CTW_ENOMEM;
    }
    size_t bytes = ((size_t)1 << log2) * sizeof(slot);
    if (bytes < HUGE_PAGE) {
        slot *s = calloc((size_t)1 << log2, sizeof(slot));
        if (!s) return CTW_ENOMEM;
        *m = (slots_mem){s, bytes, false};
        return 0;
    }
    size_t span = bytes + HUGE_PAGE;
    char *raw = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (raw == MAP_FAILED) return CTW_ENOMEM;
    uintptr_t a = ((uintptr_t)raw + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    char *start = (char *)a;
    if (start > raw) munmap(raw, (size_t)(start - raw));
    size_t tail = (size_t)(raw + span - (start + bytes));
    if (tail) munmap(start + bytes, tail);
#ifdef MADV_HUGEPAGE
    madvise(start, bytes, MADV_HUGEPAGE); /* advice only: without it we are just slower */
#endif
    *m = (slots_mem){(slot *)start, bytes, true};
    return 0;
}

static void slots_free(slot *s, size_t bytes, bool mapped)
{
    if (!s) return;
    if (mapped)
        munmap(s, bytes);
    else
        free(s);
}

static inline size_t home_of(const ctw_doctable *t, uint64_t key)
{
    return (size_t)(key >> t->shift);
}

/* How far the entry at i lives from its home. */
static inline size_t dist_of(const ctw_doctable *t, size_t i, uint64_t key)
{
    return (size_t)((i - home_of(t, key)) & t->mask);
}

int ctw_doctable_new(size_t expected, ctw_doctable **out)
{
    if (!out) return CTW_EINVAL;
    if (expected > CTW_DOCTABLE_MAX_ENTRIES) return CTW_ELIMIT;
    unsigned log2 = MIN_LOG2;
    while (limit_of((size_t)1 << log2) < expected) log2++;
    ctw_doctable *t = calloc(1, sizeof *t);
    if (!t) return CTW_ENOMEM;
    slots_mem m;
    int rc = slots_alloc(log2, &m);
    if (rc != 0) {
        free(t);
        return rc;
    }
    t->slots = m.slots;
    t->alloc_bytes = m.bytes;
    t->mapped = m.mapped;
    t->mask = ((uint64_t)1 << log2) - 1;
    t->shift = 64 - log2;
    t->limit = limit_of((size_t)1 << log2);
    *out = t;
    return 0;
}

void ctw_doctable_free(ctw_doctable *t)
{
    if (!t) return;
    slots_free(t->slots, t->alloc_bytes, t->mapped);
    free(t);
}

/* Robin Hood insertion of a new entry s, known to be absent, from its home:
 * it takes the first slot whose entry is nearer its own home than s would
 * be (or an empty one), and the displaced entry moves on the same way. */
static void place(ctw_doctable *t, slot s)
{
    size_t i = home_of(t, s.key), d = 0;
    for (;; i = (i + 1) & t->mask, d++) {
        slot *cur = &t->slots[i];
        if (cur->key == 0) {
            *cur = s;
            return;
        }
        size_t cd = dist_of(t, i, cur->key);
        if (cd < d) {
            slot tmp = *cur;
            *cur = s;
            s = tmp;
            d = cd;
        }
    }
}

/* Move every entry into a new array of 2^log2 slots. */
static int grow_to(ctw_doctable *t, unsigned log2)
{
    if (log2 > MAX_LOG2) return CTW_ELIMIT;
    slots_mem m;
    int rc = slots_alloc(log2, &m);
    if (rc != 0) return rc;
    ctw_doctable old = *t;
    t->slots = m.slots;
    t->alloc_bytes = m.bytes;
    t->mapped = m.mapped;
    t->mask = ((uint64_t)1 << log2) - 1;
    t->shift = 64 - log2;
    t->limit = limit_of((size_t)1 << log2);
    for (size_t i = 0; i <= old.mask; i++)
        if (old.slots[i].key) place(t, old.slots[i]);
    slots_free(old.slots, old.alloc_bytes, old.mapped);
    return 0;
}

static int grow(ctw_doctable *t)
{
    return grow_to(t, 64 - t->shift + 1);
}

/* The slot of (key, ref), or SIZE_MAX. */
static size_t locate(const ctw_doctable *t, uint64_t key, uint32_t ref)
{
    size_t i = home_of(t, key), d = 0;
    for (;; i = (i + 1) & t->mask, d++) {
        const slot *s = &t->slots[i];
        if (s->key == 0) return SIZE_MAX;
        if (s->key == key) {
            if (s->ref == ref) return i;
        } else if (dist_of(t, i, s->key) < d) {
            return SIZE_MAX;
        }
    }
}

int ctw_doctable_add(ctw_doctable *t, uint64_t key, uint32_t ref, char type, ctw_doc_status status)
{
    if (!t || key == 0 || status == CTW_DOC_NONE || (unsigned)status >= N_STATUS) return CTW_EINVAL;
    size_t at = locate(t, key, ref);
    if (at != SIZE_MAX) {
        t->slots[at].status = (uint8_t)status;
        t->slots[at].type = type;
        return 0;
    }
    if (t->count >= CTW_DOCTABLE_MAX_ENTRIES) return CTW_ELIMIT;
    if (t->count >= t->limit) {
        int rc = grow(t);
        if (rc != 0) return rc;
    }
    place(t, (slot){key, ref, (uint8_t)status, type, {0, 0}});
    t->count++;
    return 0;
}

int ctw_doctable_add_batch(ctw_doctable *t, const ctw_doc_entry *e, size_t n)
{
    if (!t || (!e && n > 0)) return CTW_EINVAL;
    if (n > CTW_DOCTABLE_MAX_ENTRIES - t->count) return CTW_ELIMIT;
    for (size_t i = 0; i < n; i++)
        if (e[i].key == 0 || e[i].status == CTW_DOC_NONE || e[i].status >= N_STATUS) return CTW_EINVAL;
    /* Grow first, to the size that holds them all: after this nothing
     * can fail, so the batch is all or nothing. */
    unsigned log2 = 64 - t->shift;
    while (limit_of((size_t)1 << log2) < t->count + n) log2++;
    if (log2 > 64 - t->shift) {
        int rc = grow_to(t, log2);
        if (rc != 0) return rc;
    }
    for (size_t i = 0; i < n && i < PREFETCH_AHEAD; i++) __builtin_prefetch(&t->slots[home_of(t, e[i].key)], 1);
    for (size_t i = 0; i < n; i++) {
        if (i + PREFETCH_AHEAD < n) __builtin_prefetch(&t->slots[home_of(t, e[i + PREFETCH_AHEAD].key)], 1);
        size_t at = locate(t, e[i].key, e[i].ref);
        if (at != SIZE_MAX) {
            t->slots[at].status = e[i].status;
            t->slots[at].type = e[i].type;
            continue;
        }
        place(t, (slot){e[i].key, e[i].ref, e[i].status, e[i].type, {0, 0}});
        t->count++;
    }
    return 0;
}

int ctw_doctable_remove(ctw_doctable *t, uint64_t key, uint32_t ref)
{
    if (!t) return CTW_EINVAL;
    if (key == 0) return CTW_ENOTFOUND;
    size_t i = locate(t, key, ref);
    if (i == SIZE_MAX) return CTW_ENOTFOUND;
    /* Backward shift: pull the rest of the run one slot nearer home, up to
     * an empty slot or an entry already at its home. */
    for (;;) {
        size_t j = (i + 1) & t->mask;
        const slot *next = &t->slots[j];
        if (next->key == 0 || dist_of(t, j, next->key) == 0) break;
        t->slots[i] = *next;
        i = j;
    }
    t->slots[i] = (slot){0};
    t->count--;
    return 0;
}

size_t ctw_doctable_find(const ctw_doctable *t, uint64_t key, ctw_doc_match *out, size_t cap)
{
    size_t n = 0;
    if (!t || key == 0) return 0;
    size_t i = home_of(t, key), d = 0;
    for (;; i = (i + 1) & t->mask, d++) {
        const slot *s = &t->slots[i];
        if (s->key == 0) break;
        if (s->key == key) {
            if (n < cap) out[n] = (ctw_doc_match){s->ref, s->status, s->type};
            n++;
        } else if (dist_of(t, i, s->key) < d) {
            break;
        }
    }
    return n;
}

/* The first entry with key, as a batch wants it. */
static inline ctw_doc_match first_match(const ctw_doctable *t, uint64_t key)
{
    size_t i = home_of(t, key), d = 0;
    for (;; i = (i + 1) & t->mask, d++) {
        const slot *s = &t->slots[i];
        if (s->key == key) return (ctw_doc_match){s->ref, s->status, s->type};
        if (s->key == 0 || dist_of(t, i, s->key) < d) return (ctw_doc_match){0, CTW_DOC_NONE, 0};
    }
}

void ctw_doctable_check_batch(const ctw_doctable *t, const uint64_t *keys, size_t n, ctw_doc_match *out)
{
    if (!t) {
        for (size_t i = 0; i < n; i++) out[i] = (ctw_doc_match){0, CTW_DOC_NONE, 0};
        return;
    }
    size_t i = 0;
    for (; i < n && i < PREFETCH_AHEAD; i++) __builtin_prefetch(&t->slots[home_of(t, keys[i])]);
    for (i = 0; i < n; i++) {
        if (i + PREFETCH_AHEAD < n) __builtin_prefetch(&t->slots[home_of(t, keys[i + PREFETCH_AHEAD])]);
        out[i] = keys[i] ? first_match(t, keys[i]) : (ctw_doc_match){0, CTW_DOC_NONE, 0};
    }
}

size_t ctw_doctable_count(const ctw_doctable *t)
{
    return t ? t->count : 0;
}

size_t ctw_doctable_bytes(const ctw_doctable *t)
{
    return t ? t->alloc_bytes + sizeof *t : 0;
}
