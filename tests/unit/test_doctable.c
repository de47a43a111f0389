/* test_doctable.c — the SLTD table: statuses, number and state
 * normalisation, keys, and the hash table (add, update, find, remove,
 * growth, Robin Hood runs that wrap around the end, the batch check, and
 * allocation failures injected through travel_int.h). */
#include <stdbool.h>

#include "test_util.h"

#include "ctwatch/doctable.h"
#include "travel/travel_int.h"

/* splitmix64: test data only */
static uint64_t rnd(uint64_t *s)
{
    uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

static void test_status(void **state)
{
    (void)state;
    static const struct { const char *text; ctw_doc_status s; } ok[] = {
        {"stolen", CTW_DOC_STOLEN},           {"LOST", CTW_DOC_LOST},
        {"Revoked", CTW_DOC_REVOKED},         {"invalidated", CTW_DOC_INVALIDATED},
        {"stolen-blank", CTW_DOC_STOLEN_BLANK}, {"Stolen Blank", CTW_DOC_STOLEN_BLANK},
        {"STOLEN_BLANK", CTW_DOC_STOLEN_BLANK}, {"none", CTW_DOC_NONE},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        ctw_doc_status s = 99;
        assert_int_equal(ctw_doc_status_parse(ok[i].text, &s), 0);
        assert_int_equal(s, ok[i].s);
    }
    static const char *const bad[] = {"", "stole", "stolen  blank", "stolenblank", "stolen-blank-x",
                                      "a-very-long-status-name", " stolen"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ctw_doc_status s = 99;
        assert_int_equal(ctw_doc_status_parse(bad[i], &s), CTW_EINVAL);
        assert_int_equal(s, 99); /* untouched */
    }
    assert_int_equal(ctw_doc_status_parse(NULL, &(ctw_doc_status){0}), CTW_EINVAL);
    assert_int_equal(ctw_doc_status_parse("lost", NULL), CTW_EINVAL);

    /* every name parses back to its status */
    for (int s = CTW_DOC_NONE; s <= CTW_DOC_STOLEN_BLANK; s++) {
        ctw_doc_status back;
        assert_int_equal(ctw_doc_status_parse(ctw_doc_status_name(s), &back), 0);
        assert_int_equal(back, s);
    }
    assert_string_equal(ctw_doc_status_name(CTW_DOC_STOLEN_BLANK), "stolen-blank");
    assert_string_equal(ctw_doc_status_name(CTW_DOC_NONE), "none");
    assert_string_equal(ctw_doc_status_name((ctw_doc_status)42), "?");
}

static void norm_is(const char *in, const char *want)
{
    char out[CTW_DOC_NUMBER_MAX + 1];
    int n = ctw_doc_number_norm(in, out);
    if (n < 0) fail_msg("'%s' refused", in);
    assert_string_equal(out, want);
    assert_int_equal(n, strlen(want));
}

static void norm_bad(const char *in)
{
    char out[CTW_DOC_NUMBER_MAX + 1] = "KEEP";
    if (ctw_doc_number_norm(in, out) != CTW_EINVAL) fail_msg("'%s' accepted", in ? in : "(null)");
    assert_string_equal(out, "KEEP");
}

static void test_number_norm(void **state)
{
    (void)state;
    norm_is("C01X00T47", "C01X00T47");
    norm_is("c01x00t47", "C01X00T47");
    norm_is("12 AB 34567", "12AB34567");
    norm_is("L898902C3<<<", "L898902C3");
    norm_is("ab-12/34.5", "AB12345");
    norm_is("0O1Il", "0O1IL"); /* look-alikes stay apart */
    norm_is("X", "X");
    norm_is("12345678901234567890123456789012", "12345678901234567890123456789012");
    norm_is("1234 5678 9012 3456 7890 1234 5678 9012", "12345678901234567890123456789012");

    norm_bad(NULL);
    norm_bad("");
    norm_bad(" - / . <");
    norm_bad("AB#123");
    norm_bad("AB_123");
    norm_bad("AB,123");
    norm_bad("AB\t123");
    norm_bad("\xC3\x84" "B123"); /* ÄB123 */
    norm_bad("123456789012345678901234567890123");
    assert_int_equal(ctw_doc_number_norm("AB1", NULL), CTW_EINVAL);
}

static void state_is(const char *in, const char *want)
{
    char out[4] = "";
    if (ctw_doc_state_norm(in, out) != 0) fail_msg("'%s' refused", in);
    assert_string_equal(out, want);
}

static void state_bad(const char *in)
{
    char out[4] = "KEP";
    if (ctw_doc_state_norm(in, out) != CTW_EINVAL) fail_msg("'%s' accepted", in ? in : "(null)");
    assert_string_equal(out, "KEP");
}

static void test_state_norm(void **state)
{
    (void)state;
    state_is("DEU", "DEU");
    state_is("DE", "DEU");
    state_is("de", "DEU");
    state_is("D", "DEU");
    state_is("D<<", "DEU");
    state_is("d<<", "DEU");
    state_is("GBR", "GBR");
    state_is("GB", "GBR");
    state_is("gbr", "GBR");
    state_is("US", "USA");
    state_is("FR", "FRA");
    state_is("XXA", "XXA");   /* stateless person (ICAO) */
    state_is("UNO", "UNO");   /* United Nations */
    state_is("RKS", "RKS");   /* Kosovo (ICAO) */
    state_is("UTO", "UTO");   /* the 9303 specimens' Utopia */

    state_bad(NULL);
    state_bad("");
    state_bad("<<<");
    state_bad("ZZZ");
    state_bad("QQ");
    state_bad("E");
    state_bad("DEUT");
    state_bad("DE<U");
    state_bad("Germany");
    state_bad("DE ");
    state_bad("D-");
    assert_int_equal(ctw_doc_state_norm("DEU", NULL), CTW_EINVAL);
}

static uint64_t key_of(const char *state_text, const char *number)
{
    char st[4], num[CTW_DOC_NUMBER_MAX + 1];
    assert_int_equal(ctw_doc_state_norm(state_text, st), 0);
    int n = ctw_doc_number_norm(number, num);
    assert_true(n > 0);
    return ctw_doc_key(st, num, (size_t)n);
}

static void test_key(void **state)
{
    (void)state;
    uint64_t k = key_of("DEU", "C01X00T47");
    assert_true(k != 0);
    /* The same document however it was written down. */
    assert_true(key_of("D", "c01x00t47") == k);
    assert_true(key_of("de", "C01-X00 T47") == k);
    /* Pinned, so that a change of the hash (which would invalidate stored
     * keys) is a deliberate one. */
    assert_true(k == ctw_doc_key("DEU", "C01X00T47", 9));
    char hex[32];
    snprintf(hex, sizeof hex, "%016llx", (unsigned long long)k);
    assert_string_equal(hex, "b3e175463a403cd7");

    /* Other state, other number, a prefix, an extra character: other keys. */
    assert_true(key_of("AUT", "C01X00T47") != k);
    assert_true(key_of("DEU", "C01X00T48") != k);
    assert_true(key_of("DEU", "C01X00T4") != k);
    assert_true(key_of("DEU", "C01X00T470") != k);
    assert_true(ctw_doc_key("DEU", "12345678", 8) != ctw_doc_key("DEU", "123456780", 9));
    assert_true(ctw_doc_key("DEU", "1234567812345678", 16) != ctw_doc_key("DEU", "1234567812345679", 16));

    /* The top bits pick the slot: sequential numbers must spread evenly
     * over them (65,536 keys into 256 buckets by the top 8 bits). */
    unsigned bucket[256] = {0};
    for (unsigned i = 0; i < 65536; i++) {
        char num[16];
        int n = snprintf(num, sizeof num, "%09u", i);
        uint64_t key = ctw_doc_key("GBR", num, (size_t)n);
        assert_true(key != 0);
        bucket[key >> 56]++;
    }
    for (unsigned b = 0; b < 256; b++) {
        if (bucket[b] < 256 / 2 || bucket[b] > 256 * 3 / 2) fail_msg("bucket %u holds %u of 65536", b, bucket[b]);
    }
}

static ctw_doctable *new_table(size_t expected)
{
    ctw_doctable *t = NULL;
    assert_int_equal(ctw_doctable_new(expected, &t), 0);
    assert_non_null(t);
    return t;
}

static void test_add_find_remove(void **state)
{
    (void)state;
    ctw_doctable *t = new_table(0);
    uint64_t k = key_of("FRA", "12AB34567");
    ctw_doc_match m[4];

    assert_int_equal(ctw_doctable_find(t, k, m, 4), 0);
    assert_int_equal(ctw_doctable_add(t, k, 7, 'P', CTW_DOC_STOLEN), 0);
    assert_int_equal(ctw_doctable_count(t), 1);
    assert_int_equal(ctw_doctable_find(t, k, m, 4), 1);
    assert_int_equal(m[0].ref, 7);
    assert_int_equal(m[0].status, CTW_DOC_STOLEN);
    assert_int_equal(m[0].type, 'P');

    /* The same (key, ref): an update in place. */
    assert_int_equal(ctw_doctable_add(t, k, 7, 'P', CTW_DOC_REVOKED), 0);
    assert_int_equal(ctw_doctable_count(t), 1);
    assert_int_equal(ctw_doctable_find(t, k, m, 4), 1);
    assert_int_equal(m[0].status, CTW_DOC_REVOKED);

    /* The same number as an identity card, reported by someone else. */
    assert_int_equal(ctw_doctable_add(t, k, 8, 'I', CTW_DOC_LOST), 0);
    assert_int_equal(ctw_doctable_add(t, k, 9, 'V', CTW_DOC_STOLEN_BLANK), 0);
    assert_int_equal(ctw_doctable_count(t), 3);
    assert_int_equal(ctw_doctable_find(t, k, m, 4), 3);
    unsigned seen = 0;
    for (int i = 0; i < 3; i++) {
        if (m[i].ref == 7) assert_int_equal(m[i].type, 'P'), seen |= 1;
        if (m[i].ref == 8) assert_int_equal(m[i].type, 'I'), assert_int_equal(m[i].status, CTW_DOC_LOST), seen |= 2;
        if (m[i].ref == 9) assert_int_equal(m[i].type, 'V'), seen |= 4;
    }
    assert_int_equal(seen, 7);
    /* cap smaller than the count: the count is still the whole */
    assert_int_equal(ctw_doctable_find(t, k, m, 1), 3);
    assert_int_equal(ctw_doctable_find(t, k, NULL, 0), 3);

    /* Other documents do not see them. */
    assert_int_equal(ctw_doctable_find(t, key_of("FRA", "12AB34568"), m, 4), 0);
    assert_int_equal(ctw_doctable_find(t, key_of("DEU", "12AB34567"), m, 4), 0);

    assert_int_equal(ctw_doctable_remove(t, k, 8), 0);
    assert_int_equal(ctw_doctable_remove(t, k, 8), CTW_ENOTFOUND);
    assert_int_equal(ctw_doctable_remove(t, k, 1234), CTW_ENOTFOUND);
    assert_int_equal(ctw_doctable_remove(t, key_of("FRA", "1"), 7), CTW_ENOTFOUND);
    assert_int_equal(ctw_doctable_count(t), 2);
    assert_int_equal(ctw_doctable_find(t, k, m, 4), 2);
    assert_true(m[0].ref != 8 && m[1].ref != 8);

    /* Bad arguments change nothing. */
    assert_int_equal(ctw_doctable_add(t, 0, 1, 'P', CTW_DOC_STOLEN), CTW_EINVAL);
    assert_int_equal(ctw_doctable_add(t, k, 1, 'P', CTW_DOC_NONE), CTW_EINVAL);
    assert_int_equal(ctw_doctable_add(t, k, 1, 'P', (ctw_doc_status)6), CTW_EINVAL);
    assert_int_equal(ctw_doctable_add(NULL, k, 1, 'P', CTW_DOC_STOLEN), CTW_EINVAL);
    assert_int_equal(ctw_doctable_remove(NULL, k, 7), CTW_EINVAL);
    assert_int_equal(ctw_doctable_remove(t, 0, 7), CTW_ENOTFOUND);
    assert_int_equal(ctw_doctable_count(t), 2);
    assert_int_equal(ctw_doctable_find(t, 0, m, 4), 0);
    assert_int_equal(ctw_doctable_find(NULL, k, m, 4), 0);
    assert_int_equal(ctw_doctable_count(NULL), 0);
    assert_int_equal(ctw_doctable_bytes(NULL), 0);

    ctw_doctable_free(t);
    ctw_doctable_free(NULL);
}

static void test_new_limits(void **state)
{
    (void)state;
    ctw_doctable *t = (ctw_doctable *)0x1;
    assert_int_equal(ctw_doctable_new(10, NULL), CTW_EINVAL);
    assert_int_equal(ctw_doctable_new(CTW_DOCTABLE_MAX_ENTRIES + 1, &t), CTW_ELIMIT);
    assert_true(t == (ctw_doctable *)0x1);

    /* The memory budget of the issue: 100 million documents in at most 24
     * bytes each, without growing. The array is mapped, not touched, so
     * this costs no real memory. */
    t = new_table(100000000);
    size_t bytes = ctw_doctable_bytes(t);
    assert_true(bytes <= (size_t)24 * 100000000);
    assert_true(bytes >= (size_t)16 * 100000000);
    ctw_doctable_free(t);

    /* A small expectation gives a small table. */
    t = new_table(1000);
    assert_true(ctw_doctable_bytes(t) <= 2048 * 16 + 256);
    ctw_doctable_free(t);
}

/* Keys whose home is the last slot of a 16-slot table: the run wraps to
 * slot 0, where it meets entries whose home is slot 0 or 1. */
static void test_wrapping_runs(void **state)
{
    (void)state;
    ctw_doctable *t = new_table(0); /* 16 slots, 12 entries before growing */
    uint64_t keys[12];
    size_t n = 0;
    for (uint64_t i = 1; i <= 6; i++) keys[n++] = 0xF000000000000000ull | i;   /* home 15 */
    for (uint64_t i = 1; i <= 3; i++) keys[n++] = 0x0000000000000000ull | i;   /* home 0 */
    for (uint64_t i = 1; i <= 3; i++) keys[n++] = 0x1000000000000000ull | i;   /* home 1 */
    /* interleaved insertion order */
    static const int order[12] = {9, 0, 6, 1, 10, 2, 7, 3, 11, 4, 8, 5};
    for (int i = 0; i < 12; i++)
        assert_int_equal(ctw_doctable_add(t, keys[order[i]], (uint32_t)order[i], 'P', CTW_DOC_LOST), 0);
    size_t bytes = ctw_doctable_bytes(t);
    ctw_doc_match m[2];
    for (int i = 0; i < 12; i++) {
        assert_int_equal(ctw_doctable_find(t, keys[i], m, 2), 1);
        assert_int_equal(m[0].ref, i);
    }
    /* misses inside the crowded area */
    assert_int_equal(ctw_doctable_find(t, 0xF000000000000007ull, m, 2), 0);
    assert_int_equal(ctw_doctable_find(t, 0x0000000000000009ull, m, 2), 0);
    assert_int_equal(ctw_doctable_find(t, 0x2000000000000001ull, m, 2), 0);

    /* Remove from the middle of the wrapped run: the rest shifts back. */
    for (int i = 0; i < 12; i += 2) {
        assert_int_equal(ctw_doctable_remove(t, keys[i], (uint32_t)i), 0);
        for (int j = 0; j < 12; j++)
            assert_int_equal(ctw_doctable_find(t, keys[j], m, 2), (j <= i && j % 2 == 0) ? 0 : 1);
    }
    assert_int_equal(ctw_doctable_count(t), 6);
    assert_int_equal(ctw_doctable_bytes(t), bytes); /* never grew */
    ctw_doctable_free(t);
}

/* Random adds, updates and removes against a plain list. Keys come from a
 * small set with few distinct top bits, so runs are long and keys repeat
 * with several refs. */
static void test_against_model(void **state)
{
    (void)state;
    enum { OPS = 40000, MAXE = 3000 };
    struct ent { uint64_t key; uint32_t ref; uint8_t status; char type; } *model = calloc(MAXE + 1, sizeof *model);
    assert_non_null(model);
    size_t nm = 0;
    ctw_doctable *t = new_table(0);
    uint64_t s = 42;
    for (int op = 0; op < OPS; op++) {
        uint64_t r = rnd(&s);
        uint64_t key = ((r & 0x7) << 61) | ((r >> 8) & 0x1FF) | 1; /* 8 homes, 256 keys each */
        uint32_t ref = (uint32_t)((r >> 20) & 3);
        size_t at = SIZE_MAX;
        for (size_t i = 0; i < nm; i++)
            if (model[i].key == key && model[i].ref == ref) at = i;
        if ((r >> 40) % 3 == 0) {
            int rc = ctw_doctable_remove(t, key, ref);
            if (at == SIZE_MAX) {
                assert_int_equal(rc, CTW_ENOTFOUND);
            } else {
                assert_int_equal(rc, 0);
                model[at] = model[--nm];
            }
        } else if (at != SIZE_MAX || nm < MAXE) {
            uint8_t st = (uint8_t)(1 + (r >> 50) % 5);
            char type = "PIVAC"[(r >> 54) % 5];
            assert_int_equal(ctw_doctable_add(t, key, ref, type, (ctw_doc_status)st), 0);
            if (at == SIZE_MAX) at = nm++;
            model[at] = (struct ent){key, ref, st, type};
        }
        assert_int_equal(ctw_doctable_count(t), nm);
        if (op % 4000 == 3999 || op == OPS - 1) {
            for (size_t i = 0; i < nm; i++) {
                ctw_doc_match m[8];
                size_t want = 0;
                for (size_t j = 0; j < nm; j++) want += model[j].key == model[i].key;
                size_t got = ctw_doctable_find(t, model[i].key, m, 8);
                assert_int_equal(got, want);
                bool found = false;
                for (size_t j = 0; j < got && j < 8; j++)
                    if (m[j].ref == model[i].ref) {
                        assert_int_equal(m[j].status, model[i].status);
                        assert_int_equal(m[j].type, model[i].type);
                        found = true;
                    }
                assert_true(found);
            }
        }
    }
    ctw_doctable_free(t);
    free(model);
}

/* Growth from the smallest table through many doublings keeps every entry;
 * then half are removed and the rest still found. */
static void test_growth(void **state)
{
    (void)state;
    enum { N = 100000 };
    uint64_t *keys = malloc(N * sizeof *keys);
    assert_non_null(keys);
    ctw_doctable *t = new_table(0);
    size_t bytes0 = ctw_doctable_bytes(t);
    uint64_t s = 7;
    for (uint32_t i = 0; i < N; i++) {
        keys[i] = rnd(&s) | 1;
        assert_int_equal(ctw_doctable_add(t, keys[i], i, 'P', CTW_DOC_STOLEN), 0);
        if ((i & (i + 1)) == 0) /* at 2^k - 1: everything so far is still there */
            for (uint32_t j = 0; j <= i; j++) assert_int_equal(ctw_doctable_find(t, keys[j], NULL, 0), 1);
    }
    assert_int_equal(ctw_doctable_count(t), N);
    size_t bytes = ctw_doctable_bytes(t);
    assert_true(bytes > bytes0);
    assert_true(bytes >= N * 16 * 4 / 3);  /* load factor at most 3/4 */
    assert_true(bytes <= N * 16 * 3 + 4096); /* and at least 3/8 */
    for (uint32_t i = 0; i < N; i++) {
        ctw_doc_match m;
        assert_int_equal(ctw_doctable_find(t, keys[i], &m, 1), 1);
        assert_int_equal(m.ref, i);
    }
    for (uint32_t i = 0; i < N; i += 2) assert_int_equal(ctw_doctable_remove(t, keys[i], i), 0);
    for (uint32_t i = 0; i < N; i++) assert_int_equal(ctw_doctable_find(t, keys[i], NULL, 0), i % 2);
    assert_int_equal(ctw_doctable_count(t), N / 2);
    ctw_doctable_free(t);
    free(keys);
}

/* 200,000 documents, 1,000,000 probes (half hits, some duplicates and 0):
 * the batch gives what single lookups give. */
static void test_batch_equals_single(void **state)
{
    (void)state;
    enum { DOCS = 200000, PROBES = 1000000 };
    uint64_t *keys = malloc(DOCS * sizeof *keys), *probes = malloc(PROBES * sizeof *probes);
    ctw_doc_match *out = malloc(PROBES * sizeof *out);
    assert_true(keys && probes && out);
    ctw_doctable *t = new_table(DOCS);
    uint64_t s = 2026;
    for (uint32_t i = 0; i < DOCS; i++) {
        char num[16];
        int n = snprintf(num, sizeof num, "X%08u", (unsigned)(rnd(&s) % 100000000u));
        keys[i] = ctw_doc_key("ITA", num, (size_t)n);
        ctw_doc_status st = (ctw_doc_status)(1 + i % 5);
        assert_int_equal(ctw_doctable_add(t, keys[i], i, "PI"[i % 2], st), 0);
        if (i % 50 == 0) assert_int_equal(ctw_doctable_add(t, keys[i], i + DOCS, 'V', CTW_DOC_LOST), 0);
    }
    size_t hits_expected = 0;
    for (size_t i = 0; i < PROBES; i++) {
        uint64_t r = rnd(&s);
        if (r % 1000 == 0)
            probes[i] = 0;
        else if (r & 1)
            probes[i] = keys[(r >> 8) % DOCS];
        else
            probes[i] = rnd(&s) | 1;
    }
    ctw_doctable_check_batch(t, probes, PROBES, out);
    for (size_t i = 0; i < PROBES; i++) {
        ctw_doc_match m = {0, 0, 0};
        size_t n = ctw_doctable_find(t, probes[i], &m, 1);
        if (n == 0) {
            assert_int_equal(out[i].status, CTW_DOC_NONE);
            assert_int_equal(out[i].ref, 0);
        } else {
            hits_expected++;
            assert_int_equal(out[i].ref, m.ref);
            assert_int_equal(out[i].status, m.status);
            assert_int_equal(out[i].type, m.type);
        }
    }
    assert_true(hits_expected > PROBES * 45 / 100 && hits_expected < PROBES * 55 / 100);
    /* small batches (shorter than the prefetch window) and an empty one */
    ctw_doctable_check_batch(t, probes, 3, out);
    ctw_doctable_check_batch(t, probes, 0, out);
    ctw_doc_match none[2] = {{1, 1, 'P'}, {1, 1, 'P'}};
    ctw_doctable_check_batch(NULL, probes, 2, none);
    assert_int_equal(none[0].status, CTW_DOC_NONE);
    assert_int_equal(none[1].ref, 0);
    ctw_doctable_free(t);
    free(keys);
    free(probes);
    free(out);
}

/* The batch add is n single adds, all or nothing. */
static void test_add_batch(void **state)
{
    (void)state;
    enum { N = 50000 };
    ctw_doc_entry *e = malloc(N * sizeof *e);
    assert_non_null(e);
    uint64_t s = 99;
    for (uint32_t i = 0; i < N; i++) {
        uint64_t r = rnd(&s);
        /* every 10th entry repeats an earlier key with another ref, every
         * 25th repeats an earlier (key, ref): an update inside the batch */
        if (i > 0 && i % 25 == 0)
            e[i] = (ctw_doc_entry){e[i / 2].key, e[i / 2].ref, CTW_DOC_REVOKED, 'A'};
        else if (i > 0 && i % 10 == 0)
            e[i] = (ctw_doc_entry){e[i - 1].key, i, CTW_DOC_LOST, 'I'};
        else
            e[i] = (ctw_doc_entry){r | 1, i, (uint8_t)(1 + r % 5), "PIV"[r % 3]};
    }
    ctw_doctable *single = new_table(0), *batch = new_table(0);
    for (uint32_t i = 0; i < N; i++)
        assert_int_equal(ctw_doctable_add(single, e[i].key, e[i].ref, e[i].type, e[i].status), 0);
    assert_int_equal(ctw_doctable_add_batch(batch, e, N / 2), 0); /* grows from 16 slots */
    assert_int_equal(ctw_doctable_add_batch(batch, e + N / 2, N - N / 2), 0);
    assert_int_equal(ctw_doctable_count(batch), ctw_doctable_count(single));
    for (uint32_t i = 0; i < N; i++) {
        ctw_doc_match a[8], b[8];
        size_t na = ctw_doctable_find(single, e[i].key, a, 8), nb = ctw_doctable_find(batch, e[i].key, b, 8);
        assert_int_equal(na, nb);
        for (size_t j = 0; j < na && j < 8; j++) {
            bool same = false;
            for (size_t k = 0; k < nb && k < 8; k++)
                same |= a[j].ref == b[k].ref && a[j].status == b[k].status && a[j].type == b[k].type;
            assert_true(same);
        }
    }

    /* A bad entry anywhere: nothing of the batch goes in. */
    size_t count = ctw_doctable_count(batch), bytes = ctw_doctable_bytes(batch);
    ctw_doc_entry bad_batch[3] = {{123457, 1, CTW_DOC_STOLEN, 'P'}, {123459, 2, CTW_DOC_NONE, 'P'},
                                  {123461, 3, CTW_DOC_STOLEN, 'P'}};
    assert_int_equal(ctw_doctable_add_batch(batch, bad_batch, 3), CTW_EINVAL);
    bad_batch[1] = (ctw_doc_entry){0, 2, CTW_DOC_LOST, 'P'};
    assert_int_equal(ctw_doctable_add_batch(batch, bad_batch, 3), CTW_EINVAL);
    bad_batch[1] = (ctw_doc_entry){123459, 2, 9, 'P'};
    assert_int_equal(ctw_doctable_add_batch(batch, bad_batch, 3), CTW_EINVAL);
    assert_int_equal(ctw_doctable_find(batch, 123457, NULL, 0), 0);
    /* too many, or no memory for them */
    assert_int_equal(ctw_doctable_add_batch(batch, bad_batch, CTW_DOCTABLE_MAX_ENTRIES), CTW_ELIMIT);
    bad_batch[1] = (ctw_doc_entry){123459, 2, CTW_DOC_LOST, 'P'};
    ctw_doc_entry *many = calloc(N * 2, sizeof *many);
    assert_non_null(many);
    for (uint32_t i = 0; i < N * 2; i++) many[i] = (ctw_doc_entry){rnd(&s) | 1, i, CTW_DOC_STOLEN, 'P'};
    ctw__doctable_fail_next_alloc = 1;
    assert_int_equal(ctw_doctable_add_batch(batch, many, N * 2), CTW_ENOMEM);
    ctw__doctable_fail_next_alloc = 0;
    assert_int_equal(ctw_doctable_find(batch, many[0].key, NULL, 0), 0);
    assert_int_equal(ctw_doctable_count(batch), count);
    assert_int_equal(ctw_doctable_bytes(batch), bytes);
    assert_int_equal(ctw_doctable_add_batch(batch, bad_batch, 3), 0);
    assert_int_equal(ctw_doctable_count(batch), count + 3);
    assert_int_equal(ctw_doctable_add_batch(batch, NULL, 0), 0);
    assert_int_equal(ctw_doctable_add_batch(batch, NULL, 1), CTW_EINVAL);
    assert_int_equal(ctw_doctable_add_batch(NULL, bad_batch, 1), CTW_EINVAL);
    ctw_doctable_free(single);
    ctw_doctable_free(batch);
    free(e);
    free(many);
}

/* Injected allocation failures: nothing is created, nothing changes. */
static void test_alloc_failures(void **state)
{
    (void)state;
    ctw_doctable *t = (ctw_doctable *)0x1;
    ctw__doctable_fail_next_alloc = 1;
    assert_int_equal(ctw_doctable_new(100, &t), CTW_ENOMEM);
    assert_true(t == (ctw_doctable *)0x1);

    t = new_table(0);
    for (uint32_t i = 0; i < 12; i++)
        assert_int_equal(ctw_doctable_add(t, ((uint64_t)i << 59) | 5, i, 'P', CTW_DOC_STOLEN), 0);
    size_t bytes = ctw_doctable_bytes(t);
    /* The 13th entry needs a bigger array; that allocation fails. */
    ctw__doctable_fail_next_alloc = 1;
    assert_int_equal(ctw_doctable_add(t, 77, 12, 'P', CTW_DOC_STOLEN), CTW_ENOMEM);
    assert_int_equal(ctw_doctable_count(t), 12);
    assert_int_equal(ctw_doctable_bytes(t), bytes);
    assert_int_equal(ctw_doctable_find(t, 77, NULL, 0), 0);
    for (uint32_t i = 0; i < 12; i++) assert_int_equal(ctw_doctable_find(t, ((uint64_t)i << 59) | 5, NULL, 0), 1);
    /* An update needs no memory and still works. */
    ctw__doctable_fail_next_alloc = 1;
    assert_int_equal(ctw_doctable_add(t, 5, 0, 'I', CTW_DOC_LOST), 0);
    ctw__doctable_fail_next_alloc = 0;
    /* And the next try grows. */
    assert_int_equal(ctw_doctable_add(t, 77, 12, 'P', CTW_DOC_STOLEN), 0);
    assert_true(ctw_doctable_bytes(t) > bytes);
    assert_int_equal(ctw_doctable_find(t, 77, NULL, 0), 1);
    ctw_doctable_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_status),
        cmocka_unit_test(test_number_norm),
        cmocka_unit_test(test_state_norm),
        cmocka_unit_test(test_key),
        cmocka_unit_test(test_add_find_remove),
        cmocka_unit_test(test_new_limits),
        cmocka_unit_test(test_wrapping_runs),
        cmocka_unit_test(test_against_model),
        cmocka_unit_test(test_growth),
        cmocka_unit_test(test_batch_equals_single),
        cmocka_unit_test(test_add_batch),
        cmocka_unit_test(test_alloc_failures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
