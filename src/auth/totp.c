/* totp.c — time-based one-time passwords (RFC 6238 over RFC 4226 HOTP).
 *
 *   T    = floor(unix_time / 30)                   the step
 *   mac  = HMAC-SHA1(secret, T as 8 bytes, big-endian)
 *   o    = mac[19] & 0x0f                           dynamic truncation
 *   bin  = (mac[o] & 0x7f) << 24 | mac[o+1] << 16 | mac[o+2] << 8 | mac[o+3]
 *   code = bin mod 10^digits, written with leading zeros
 *
 * HMAC-SHA1 comes from Nettle: libsodium has no SHA-1, and a SHA-1 of our
 * own would be one more primitive to get wrong. SHA-1's collision
 * weakness does not touch HMAC-SHA1 as a PRF, which is all TOTP needs,
 * and it is the algorithm every authenticator app implements.
 */
#include <stdio.h>
#include <string.h>

#include <nettle/hmac.h>
#include <sodium.h>

#include "auth/auth_int.h"
#include "ctwatch/auth.h"

enum { STEP_SECONDS = 30 };

uint32_t ctw_auth_totp_code(const uint8_t *key, size_t key_len, int64_t t, unsigned digits)
{
    uint64_t step = t > 0 ? (uint64_t)t / STEP_SECONDS : 0;
    uint8_t msg[8], mac[SHA1_DIGEST_SIZE];
    for (int i = 7; i >= 0; i--) {
        msg[i] = (uint8_t)(step & 0xff);
        step >>= 8;
    }
    struct hmac_sha1_ctx ctx;
    hmac_sha1_set_key(&ctx, key_len, key);
    hmac_sha1_update(&ctx, sizeof msg, msg);
    hmac_sha1_digest(&ctx, sizeof mac, mac);
    sodium_memzero(&ctx, sizeof ctx);   /* the context holds the keyed pads */
    unsigned o = mac[SHA1_DIGEST_SIZE - 1] & 0x0f;
    uint32_t bin = (uint32_t)(mac[o] & 0x7f) << 24 | (uint32_t)mac[o + 1] << 16 | (uint32_t)mac[o + 2] << 8 |
                   (uint32_t)mac[o + 3];
    if (digits < 6) digits = 6;
    if (digits > 8) digits = 8;
    uint32_t mod = 1;
    for (unsigned i = 0; i < digits; i++) mod *= 10;
    return bin % mod;
}

bool ctw__auth_totp_match(const uint8_t *key, size_t key_len, const char *code, int64_t now, int64_t last_step,
                          int64_t *step)
{
    if (!key || !code) return false;
    for (int i = 0; i < 6; i++)
        if (code[i] < '0' || code[i] > '9') return false;
    if (code[6] != '\0') return false;
    int64_t base = now > 0 ? now / STEP_SECONDS : 0;
    bool found = false;
    /* every candidate is computed and compared, so the time does not tell
     * which step matched */
    for (int64_t d = -1; d <= 1; d++) {
        int64_t t = base + d;
        if (t < 0) continue;
        char want[8];
        snprintf(want, sizeof want, "%06u", (unsigned)ctw_auth_totp_code(key, key_len, t * STEP_SECONDS, 6));
        bool eq = sodium_memcmp(want, code, 6) == 0;
        if (eq && t > last_step && !found) {
            found = true;
            *step = t;
        }
    }
    return found;
}

int ctw__auth_base32(const uint8_t *in, size_t n, char *out, size_t cap)
{
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    size_t need = (n * 8 + 4) / 5 + 1;
    if (cap < need) return CTW_ELIMIT;
    size_t o = 0;
    uint32_t buf = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        buf = (buf << 8) | in[i];
        bits += 8;
        while (bits >= 5) {
            out[o++] = alphabet[(buf >> (bits - 5)) & 31];
            bits -= 5;
        }
    }
    if (bits > 0) out[o++] = alphabet[(buf << (5 - bits)) & 31];
    out[o] = '\0';
    return 0;
}
