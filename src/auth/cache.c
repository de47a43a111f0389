/* cache.c — a server's cache of accepted tokens (auth.h gives the rule).
 *
 * A fixed table of slots, direct-mapped by the token's BLAKE2b-256 hash
 * (the same hash the store keeps; the token itself is never kept). An
 * entry remembers the principal, the process's identity generation at the
 * time the store was asked, when it was asked, and the absolute expiry:
 *
 *   hash[32] | generation | checked (Unix s) | expires | role, scope, purpose | "user\0agency\0regions\0"
 *
 * One mutex guards the table; it is held only to compare 32 bytes and copy
 * a few short strings, never across a store call. An entry is written with
 * the generation read BEFORE the store was asked: a revocation committed
 * while the answer was on its way makes the entry stale at once.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "auth/auth_int.h"
#include "ctwatch/auth.h"

#define DEFAULT_SLOTS 1024u
#define MAX_SLOTS (1u << 20)
#define HASH_BYTES 32

typedef struct entry {
    uint8_t hash[HASH_BYTES];
    bool used;
    ctw_role role;
    uint64_t generation; /* ctw__auth_generation() before the store was asked */
    int64_t checked;     /* `now` of the store's answer */
    int64_t expires;     /* absolute expiry; INT64_MAX for a key */
    char *strings;       /* user NUL agency NUL regions NUL (malloc) */
    const char *scope, *purpose; /* static strings from auth.c, or NULL */
} entry;

struct ctw_auth_cache {
    pthread_mutex_t mu;
    size_t mask;
    entry *slots;
};

int ctw_auth_cache_new(size_t slots, ctw_auth_cache **out)
{
    if (!out) return CTW_EINVAL;
    size_t n = 1;
    if (slots == 0) slots = DEFAULT_SLOTS;
    if (slots > MAX_SLOTS) slots = MAX_SLOTS;
    while (n < slots) n <<= 1;
    ctw_auth_cache *c = calloc(1, sizeof *c);
    if (!c || !(c->slots = calloc(n, sizeof *c->slots))) {
        free(c);
        return CTW_ENOMEM;
    }
    c->mask = n - 1;
    pthread_mutex_init(&c->mu, NULL);
    *out = c;
    return 0;
}

static void entry_clear(entry *e)
{
    free(e->strings);
    memset(e, 0, sizeof *e);
}

void ctw_auth_cache_free(ctw_auth_cache *c)
{
    if (!c) return;
    for (size_t i = 0; i <= c->mask; i++) entry_clear(&c->slots[i]);
    free(c->slots);
    pthread_mutex_destroy(&c->mu);
    free(c);
}

static void hash_token(const char *token, uint8_t h[HASH_BYTES])
{
    crypto_generichash(h, HASH_BYTES, (const unsigned char *)token, strlen(token), NULL, 0);
}

static entry *slot_of(ctw_auth_cache *c, const uint8_t h[HASH_BYTES])
{
    uint64_t k;
    memcpy(&k, h, sizeof k);
    return &c->slots[k & c->mask];
}

/* May e answer for the token hashed to h at now (c->mu held)? */
static bool entry_answers(const entry *e, const uint8_t h[HASH_BYTES], uint64_t gen, int64_t now)
{
    return e->used && sodium_memcmp(e->hash, h, HASH_BYTES) == 0 && e->generation == gen && now >= e->checked &&
           now - e->checked < CTW_AUTH_RECHECK_SECONDS && now < e->expires;
}

int ctw_auth_cache_lookup(ctw_auth_cache *c, const char *bearer_token, int64_t now, ctw_principal *principal_out,
                          ctw_arena *a)
{
    if (!c || !principal_out || !a || !ctw__auth_token_wellformed(bearer_token)) return CTW_ENOTFOUND;
    uint8_t h[HASH_BYTES];
    hash_token(bearer_token, h);
    uint64_t gen = ctw__auth_generation();
    int rc = CTW_ENOTFOUND;
    pthread_mutex_lock(&c->mu);
    entry *e = slot_of(c, h);
    if (entry_answers(e, h, gen, now)) {
        const char *user = e->strings;
        const char *agency = user + strlen(user) + 1;
        const char *regions = agency + strlen(agency) + 1;
        ctw_principal p = {.user = ctw_arena_strdup(a, user), .agency = ctw_arena_strdup(a, agency),
                           .regions = *regions ? ctw_arena_strdup(a, regions) : NULL, .role = e->role,
                           .scope = e->scope, .purpose = e->purpose};
        if (p.user && p.agency && (!*regions || p.regions)) {
            *principal_out = p;
            rc = 0;
        }
    }
    pthread_mutex_unlock(&c->mu);
    return rc;
}

bool ctw_auth_cache_has(ctw_auth_cache *c, const char *bearer_token, int64_t now)
{
    if (!c || !ctw__auth_token_wellformed(bearer_token)) return false;
    uint8_t h[HASH_BYTES];
    hash_token(bearer_token, h);
    uint64_t gen = ctw__auth_generation();
    pthread_mutex_lock(&c->mu);
    bool ok = entry_answers(slot_of(c, h), h, gen, now);
    pthread_mutex_unlock(&c->mu);
    return ok;
}

/* The entry's strings in one allocation; NULL when out of memory. */
static char *pack_strings(const ctw_principal *p)
{
    const char *regions = p->regions ? p->regions : "";
    size_t lu = strlen(p->user) + 1, la = strlen(p->agency) + 1, lr = strlen(regions) + 1;
    char *s = malloc(lu + la + lr);
    if (!s) return NULL;
    memcpy(s, p->user, lu);
    memcpy(s + lu, p->agency, la);
    memcpy(s + lu + la, regions, lr);
    return s;
}

int ctw_auth_authenticate_cached(ctw_auth_cache *c, ctw_store *s, const char *bearer_token, int64_t now,
                                 ctw_principal *principal_out, ctw_arena *a, ctw_error *err)
{
    uint64_t gen = ctw__auth_generation(); /* before the store is asked: see the top */
    int64_t expires = 0;
    int rc = ctw__auth_authenticate(s, bearer_token, now, principal_out, a, &expires, err);
    if (!c || (rc != 0 && rc != CTW_EACCES) || !ctw__auth_token_wellformed(bearer_token)) return rc;
    uint8_t h[HASH_BYTES];
    hash_token(bearer_token, h);
    /* built outside the lock; a failed malloc only means no entry */
    char *strings = rc == 0 ? pack_strings(principal_out) : NULL;
    pthread_mutex_lock(&c->mu);
    entry *e = slot_of(c, h);
    bool mine = e->used && sodium_memcmp(e->hash, h, HASH_BYTES) == 0;
    if (rc != 0) {
        if (mine) entry_clear(e);
    } else if (strings) {
        /* the slot is ours now, whoever had it: two tokens that share a
         * slot only both go to the store, as without a cache */
        entry_clear(e);
        memcpy(e->hash, h, HASH_BYTES);
        e->used = true;
        e->role = principal_out->role;
        e->generation = gen;
        e->checked = now;
        e->expires = expires;
        e->strings = strings;
        e->scope = principal_out->scope;
        e->purpose = principal_out->purpose;
        strings = NULL;
    }
    pthread_mutex_unlock(&c->mu);
    free(strings);
    return rc;
}
