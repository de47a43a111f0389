/* auth_int.h — what the files of src/auth share, and what its unit test
 * looks at (private to the module and tests/unit/test_auth.c).
 */
#ifndef CTW_AUTH_INT_H
#define CTW_AUTH_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctwatch/auth.h"

/* Number of Argon2id verifications run by this process. The test of the
 * unknown-user path checks that it grows by one there too: that, not a
 * stopwatch, is how we show the path costs the same as a wrong password. */
unsigned long ctw__auth_verify_count(void);

/* RFC 4648 base32 (A-Z2-7) of in without padding into out (cap bytes,
 * NUL-terminated); CTW_ELIMIT if out is too small. */
int ctw__auth_base32(const uint8_t *in, size_t n, char *out, size_t cap);

/* True if code (exactly 6 ASCII digits) is the TOTP code of key at one of
 * the steps of now-30 s, now, now+30 s that is later than last_step; then
 * *step is that step. Compared in constant time. */
bool ctw__auth_totp_match(const uint8_t *key, size_t key_len, const char *code, int64_t now, int64_t last_step,
                          int64_t *step);

/* Count of identity changes committed by this process (every write
 * transaction of auth.c bumps it). The token cache (cache.c) drops what
 * it learnt before the count moved. */
uint64_t ctw__auth_generation(void);

/* True if token has the shape of a session token or an API key
 * (prefix, length); says nothing about whether the store knows it. */
bool ctw__auth_token_wellformed(const char *token);

/* ctw_auth_authenticate(), also giving the moment the token stops working
 * whatever happens (*expires: a session's absolute expiry, INT64_MAX for
 * an API key). */
int ctw__auth_authenticate(ctw_store *s, const char *bearer_token, int64_t now, ctw_principal *principal_out,
                           ctw_arena *a, int64_t *expires, ctw_error *err);

#endif
