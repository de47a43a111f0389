/* test_json.c — ctw_json_compact writes what jansson's json_dumpb writes
 * (JSON_COMPACT | JSON_REAL_PRECISION(10)), byte for byte, and refuses
 * what jansson refuses. */
#include "test_util.h"

#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>

#include "ctwatch/json.h"

#define FLAGS (JSON_COMPACT | JSON_REAL_PRECISION(10) | JSON_ENCODE_ANY)

/* Both writers on v: the same bytes. */
static void assert_same_text(const json_t *v)
{
    size_t want_len = json_dumpb(v, NULL, 0, FLAGS);
    assert_true(want_len > 0);
    char *want = malloc(want_len);
    assert_non_null(want);
    assert_int_equal(json_dumpb(v, want, want_len, FLAGS), want_len);
    size_t len = 0;
    char *got = ctw_json_compact(v, 0, &len);
    assert_non_null(got);
    if (len != want_len || memcmp(got, want, len) != 0)
        fail_msg("ctw_json_compact wrote\n  %s\njansson wrote\n  %.*s", got, (int)want_len, want);
    assert_int_equal(got[len], '\0');
    free(got);
    free(want);
}

static void test_reals(void **state)
{
    (void)state;
    static const double reals[] = {
        0.0, -0.0, 1.0, -1.0, 0.96, -0.04, 0.037, 0.947, 0.5, 0.001, -0.001, 0.1 + 0.2, 1.0 / 3.0,
        123456.789, -123456.789, 999999.999, 1e6, 1000000.001, 1234567.891, 3.14159265358979, 1e-4, 1e-5,
        1.5e-7, 1e20, -1e21, 1e300, -1e-300, DBL_MAX, DBL_MIN, 4.9e-324, 9999999999.0, 12345678901.0, 2.5e-3,
        0.0005, 0.9995, 100.0, 7.25, 42.125,
    };
    for (size_t i = 0; i < sizeof reals / sizeof reals[0]; i++) {
        json_t *v = json_real(reals[i]);
        assert_non_null(v);
        assert_same_text(v);
        json_decref(v);
    }
    /* every thousandth in a range, the scores' own grid */
    for (int k = -2000; k <= 2000; k++) {
        json_t *v = json_real(k / 1000.0);
        assert_same_text(v);
        json_decref(v);
    }
}

static void test_integers_and_constants(void **state)
{
    (void)state;
    static const json_int_t ints[] = {0, 1, -1, 9, 10, 99, -100, 123456789, INT64_MAX, INT64_MIN, INT64_MIN + 1};
    for (size_t i = 0; i < sizeof ints / sizeof ints[0]; i++) {
        json_t *v = json_integer(ints[i]);
        assert_same_text(v);
        json_decref(v);
    }
    assert_same_text(json_true());
    assert_same_text(json_false());
    assert_same_text(json_null());
}

static void test_strings(void **state)
{
    (void)state;
    static const char *const strs[] = {
        "", "plain", "quote \" and backslash \\ and slash /", "tab\tnew\nline\rcr\bbs\fff",
        "\x01\x02\x1f\x7f", "أسامة بن لادن", "Усама", "😀 astral", "日本語", "mixed \"ü\"\n",
    };
    for (size_t i = 0; i < sizeof strs / sizeof strs[0]; i++) {
        json_t *v = json_string(strs[i]);
        assert_non_null(v);
        assert_same_text(v);
        json_t *o = json_pack("{s:s}", strs[i], strs[i]); /* as a key too */
        assert_same_text(o);
        json_decref(o);
        json_decref(v);
    }
    json_t *nul = json_stringn("a\0b", 3); /* a NUL inside a string */
    assert_same_text(nul);
    json_decref(nul);
}

static void test_containers(void **state)
{
    (void)state;
    json_t *v = json_loads("{\"empty_array\":[],\"empty_object\":{},\"nested\":[[],{}],"
                           "\"mixed\":[1,2.5,\"x\",null,true,false,-0.0,1e-7],\"deep\":{\"a\":{\"b\":[0.96]}}}",
                           0, NULL);
    assert_non_null(v);
    assert_same_text(v);
    json_decref(v);
    /* a screening answer's shape, keys in the order they were added */
    json_t *answer = json_loads(
        "{\"id\":null,\"hits\":[{\"record\":\"ctw-1e67\",\"name\":\"BIN LADIN, Usama\",\"score\":0.96,"
        "\"decision\":\"alert\",\"explain\":[{\"feature\":\"name\",\"effect\":1.0,\"aligned\":[{\"query\":\"usama\","
        "\"similarity\":1.0,\"weight\":0.947}],\"unmatched_query\":[],\"parts_conflict\":false},"
        "{\"feature\":\"birth_date\",\"effect\":-0.04}],\"notice\":{\"id\":\"N-1\"},\"hit\":\"H-6b0f\"}]}",
        0, NULL);
    assert_non_null(answer);
    assert_same_text(answer);
    json_decref(answer);
}

/* A random value: containers up to `depth` deep, strings of ASCII,
 * control characters and multi-byte letters, reals of every size. */
static json_t *random_value(unsigned *seed, int depth)
{
    static const char *const pieces[] = {"a", "Z", " ", "\"", "\\", "/", "\n", "\x01", "\x1f", "é", "ب", "日", "😀", "0"};
    int kind = rand_r(seed) % (depth > 0 ? 8 : 6);
    switch (kind) {
    case 0: return json_integer((json_int_t)rand_r(seed) * (rand_r(seed) % 2 ? 1 : -1) * rand_r(seed));
    case 1: {
        double d;
        switch (rand_r(seed) % 4) {
        case 0: d = (rand_r(seed) % 2000001 - 1000000) / 1000.0; break;              /* thousandths */
        case 1: d = ldexp((double)rand_r(seed), rand_r(seed) % 200 - 100); break;    /* any size */
        case 2: d = (double)rand_r(seed) / RAND_MAX; break;                           /* any digits */
        default: d = (rand_r(seed) % 2000001 - 1000000) / 1000.0 + 1e-9; break;      /* near the grid */
        }
        if (!isfinite(d)) d = 0.5;
        return json_real(d);
    }
    case 2: {
        char s[64] = "";
        int n = rand_r(seed) % 8;
        for (int i = 0; i < n; i++) strcat(s, pieces[rand_r(seed) % (sizeof pieces / sizeof pieces[0])]);
        return json_string(s);
    }
    case 3: return json_true();
    case 4: return json_false();
    case 5: return json_null();
    case 6: {
        json_t *a = json_array();
        int n = rand_r(seed) % 5;
        for (int i = 0; i < n; i++) json_array_append_new(a, random_value(seed, depth - 1));
        return a;
    }
    default: {
        json_t *o = json_object();
        int n = rand_r(seed) % 5;
        for (int i = 0; i < n; i++) {
            char key[32];
            snprintf(key, sizeof key, "k%d%s", rand_r(seed) % 50, i % 2 ? "\"\\\n" : "é");
            json_object_set_new(o, key, random_value(seed, depth - 1));
        }
        return o;
    }
    }
}

static void test_random_values(void **state)
{
    (void)state;
    unsigned seed = 20261202;
    for (int i = 0; i < 3000; i++) {
        json_t *v = random_value(&seed, 5);
        assert_non_null(v);
        assert_same_text(v);
        json_decref(v);
    }
}

static void test_refusals_and_room(void **state)
{
    (void)state;
    /* invalid UTF-8 slipped past jansson's checks: both refuse to write it */
    static const char *const bad[] = {"\xff", "a\xc3", "\xed\xa0\x80", "\xc0\xaf", "\xf4\x90\x80\x80", "\x80"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_t *v = json_stringn_nocheck(bad[i], strlen(bad[i]));
        assert_int_equal(json_dumpb(v, NULL, 0, FLAGS), 0);
        size_t len = 99;
        assert_null(ctw_json_compact(v, 0, &len));
        json_t *in_array = json_pack("[o]", v);
        assert_null(ctw_json_compact(in_array, 0, &len));
        json_decref(in_array);
    }
    /* nested past the bound: refused, not a stack overflow */
    json_t *deep = json_array(), *top = deep;
    for (int i = 0; i < 3000; i++) {
        json_t *inner = json_array();
        json_array_append_new(deep, inner);
        deep = inner;
    }
    assert_null(ctw_json_compact(top, 0, NULL));
    json_decref(top);
    assert_null(ctw_json_compact(NULL, 0, NULL));
    /* the spare room after the text is there to write into */
    json_t *v = json_pack("{s:f}", "score", 0.5);
    size_t len = 0;
    char *text = ctw_json_compact(v, 3, &len);
    assert_non_null(text);
    assert_string_equal(text, "{\"score\":0.5}");
    memcpy(text + len, "\n\n\n", 3);
    text[len + 3] = '\0';
    assert_string_equal(text, "{\"score\":0.5}\n\n\n");
    free(text);
    json_decref(v);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reals),
        cmocka_unit_test(test_integers_and_constants),
        cmocka_unit_test(test_strings),
        cmocka_unit_test(test_containers),
        cmocka_unit_test(test_random_values),
        cmocka_unit_test(test_refusals_and_room),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
