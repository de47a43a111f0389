/* test_notice_memory.c — a screening hit's notice answered from the
 * index's copy of the notices (ctw_match_index_build_at) is the one the
 * store gives (ctw_match_annotate_notices without an index), byte for byte;
 * once the change feed has moved the store is asked again; and every way a
 * published notice can change moves the feed (schema 8).
 *
 * This file links its own ctw_clock_now() ahead of the library (clock.h),
 * so that a notice valid when the index was built can expire before a hit
 * is annotated, as it does at midnight on a running server. */
#include "test_util.h"

#include <sqlite3.h>
#include <time.h>

#include "ctwatch/access.h"
#include "ctwatch/clock.h"
#include "ctwatch/import.h"
#include "ctwatch/match.h"
#include "ctwatch/notice.h"
#include "ctwatch/store.h"

#define UN_XML "tests/data/un/consolidated-2026-02-27.xml"

static int64_t clock_shift; /* seconds this test has moved the clock on */

int64_t ctw_clock_now(void)
{
    return (int64_t)time(NULL) + clock_shift;
}

static const ctw_principal deu_ana = {.user = "ana.deu", .agency = "DEU-NCB", .role = CTW_ROLE_ANALYST};
static const ctw_principal deu_sup = {.user = "sup.deu", .agency = "DEU-NCB", .role = CTW_ROLE_SUPERVISOR};
static const ctw_principal deu_aud = {.user = "aud.deu", .agency = "DEU-NCB", .role = CTW_ROLE_AUDITOR};
static const ctw_principal deu_key = {.user = "key:gate", .agency = "DEU-NCB", .role = CTW_ROLE_SUPERVISOR,
                                      .scope = "screening"};
static const ctw_principal bel_ana = {.user = "ana.bel", .agency = "BEL-NCB", .role = CTW_ROLE_ANALYST};
static const ctw_principal fra_ana = {.user = "ana.fra", .agency = "FRA-NCB", .role = CTW_ROLE_ANALYST};

typedef char nid[CTW_NOTICE_ID_MAX];

typedef struct fixture {
    char *dir;
    char path[600];
    ctw_store *s;
    /* records, all DEU-NCB's: A many notices; B an expired red, a yellow
     * until tomorrow and a green; C one notice until tomorrow; D hit-only;
     * E restricted to DEU-NCB; G a draft only; H its only notice expired */
    char a[64], b[64], c[64], d[64], e[64], g[64], h[64];
    nid a_red_until, a_red, b_red, b_yellow, b_green, c_blue, d_red, e_black;
} fixture;

/* The day after today by this file's clock, "YYYY-MM-DD". */
static void tomorrow(char out[16])
{
    time_t t = (time_t)(ctw_clock_now() + 86400);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* A published notice on record: drafted, submitted, published by DEU-NCB. */
static void publish(fixture *f, const char *record, const char *kind, const char *action, const char *until,
                    char *id)
{
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice n;
    ctw_error err = {0};
    ctw_notice_new nn = {.record = record, .kind = kind, .action = action, .valid_until = until};
    assert_int_equal(ctw_notice_create(f->s, &deu_ana, &nn, &a, &n, &err), 0);
    snprintf(id, CTW_NOTICE_ID_MAX, "%s", n.id);
    assert_int_equal(ctw_notice_submit(f->s, &deu_ana, id, &a, NULL, &err), 0);
    assert_int_equal(ctw_notice_publish(f->s, &deu_sup, id, &a, NULL, &err), 0);
    ctw_arena_free(&a);
}

/* Let a published notice's validity pass (the API never lets a past date
 * in); the feed moves, as it does for any such change. */
static void expire(fixture *f, const char *id)
{
    char sql[160];
    snprintf(sql, sizeof sql, "UPDATE notices SET valid_until = '2020-01-01' WHERE seq = %s", id + 2);
    ctw_test_sql_exec(f->path, sql);
}

static int setup(void **state)
{
    clock_shift = 0;
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE, &f->s, &err), 0);
    const char *agencies[] = {"DEU-NCB", "BEL-NCB", "FRA-NCB"};
    for (size_t i = 0; i < 3; i++) {
        ctw_agency ag = {.code = agencies[i]};
        assert_int_equal(ctw_store_ensure_agency(f->s, &ag), 0);
    }
    char until[16], scratch[CTW_NOTICE_ID_MAX];
    tomorrow(until);
    ctw_test_put_person(f->s, "A", "Karl Beispiel", CTW_RESTRICT_ALL, NULL, f->a);
    ctw_test_put_person(f->s, "B", "Anna Musterfrau", CTW_RESTRICT_ALL, NULL, f->b);
    ctw_test_put_person(f->s, "C", "Otto Ablaufdatum", CTW_RESTRICT_ALL, NULL, f->c);
    ctw_test_put_person(f->s, "D", "Geheim Verborgen", CTW_RESTRICT_HIT_ONLY, NULL, f->d);
    ctw_test_put_person(f->s, "E", "Rita Regionalis", CTW_RESTRICT_AGENCIES, "DEU-NCB", f->e);
    ctw_test_put_person(f->s, "G", "Willi Entwurfmann", CTW_RESTRICT_ALL, NULL, f->g);
    ctw_test_put_person(f->s, "H", "Hanna Vergangenheit", CTW_RESTRICT_ALL, NULL, f->h);
    /* A: six of different rank; two red/arrest, the newer one wins */
    publish(f, f->a, "national", "monitor", NULL, scratch);
    publish(f, f->a, "green", "monitor", NULL, scratch);
    publish(f, f->a, "red", "arrest", until, f->a_red_until);
    publish(f, f->a, "blue", "locate", NULL, scratch);
    publish(f, f->a, "red", "arrest", NULL, f->a_red);
    publish(f, f->a, "orange", "inform", NULL, scratch);
    /* B: the strongest has expired; a weaker one is valid until tomorrow */
    publish(f, f->b, "red", "arrest", until, f->b_red);
    expire(f, f->b_red);
    publish(f, f->b, "yellow", "locate", until, f->b_yellow);
    publish(f, f->b, "green", "monitor", NULL, f->b_green);
    publish(f, f->c, "blue", "locate", until, f->c_blue);
    publish(f, f->d, "red", "arrest", NULL, f->d_red);
    publish(f, f->e, "black", "locate", NULL, f->e_black);
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_notice_new draft = {.record = f->g, .kind = "red", .action = "arrest"};
    assert_int_equal(ctw_notice_create(f->s, &deu_ana, &draft, &a, NULL, &err), 0);
    ctw_arena_free(&a);
    publish(f, f->h, "red", "arrest", until, scratch);
    expire(f, scratch);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    clock_shift = 0;
    ctw_store_close(f->s);
    ctw_test_rmdir(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* The index as a server's follower builds it: at the feed position read first. */
static ctw_match_index *build_at_feed(fixture *f)
{
    int64_t seq = -1;
    assert_int_equal(ctw_store_change_seq(f->s, &seq), 0);
    ctw_match_index *ix = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_match_index_build_at(f->s, seq, &ix, &err), 0);
    assert_true(ctw_match_index_feed_seq(ix) == seq);
    return ix;
}

/* hits annotated for p (a copy; hits is left as it was), as compact JSON. */
static char *annotated(ctw_store *s, const ctw_match_index *ix, const ctw_principal *p, const json_t *hits)
{
    json_t *c = json_deep_copy(hits);
    assert_non_null(c);
    assert_int_equal(ctw_match_annotate_notices(ix, s, p, c), 0);
    char *text = json_dumps(c, JSON_COMPACT);
    json_decref(c);
    return text;
}

/* The answer from ix and the answer from the store: they must be the same
 * bytes. Returns the one from ix (free it). */
static char *both_ways(fixture *f, const ctw_match_index *ix, const ctw_principal *p, const json_t *hits)
{
    char *mem = annotated(f->s, ix, p, hits), *sql = annotated(f->s, NULL, p, hits);
    assert_string_equal(mem, sql);
    free(sql);
    return mem;
}

/* The screening answer for name as p gets it from ix (not annotated). */
static json_t *screen(const ctw_match_index *ix, const ctw_principal *p, const char *name)
{
    ctw_screen_query q = {.name = name, .limit = 20};
    json_t *hits = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_match_screen(ix, p, &q, &hits, &err), 0);
    return hits;
}

/* In annotated text: the notice id on record's hit into out, "" for a hit
 * without a notice, "gone" when the hit was dropped. */
static void notice_on(const char *text, const char *record, char *out, size_t cap)
{
    json_t *hits = json_loads(text, 0, NULL);
    assert_non_null(hits);
    snprintf(out, cap, "gone");
    size_t i;
    json_t *h;
    json_array_foreach(hits, i, h) {
        if (strcmp(json_string_value(json_object_get(h, "record")), record) != 0) continue;
        const char *id = json_string_value(json_object_get(json_object_get(h, "notice"), "id"));
        snprintf(out, cap, "%s", id ? id : "");
    }
    json_decref(hits);
}

static const char *const names[] = {"Karl Beispiel", "Anna Musterfrau", "Otto Ablaufdatum", "Geheim Verborgen",
                                    "Rita Regionalis", "Willi Entwurfmann", "Hanna Vergangenheit"};
static const ctw_principal *const principals[] = {&deu_ana, &deu_key, &deu_aud, &bel_ana, &fra_ana};

/* Every name screened as every principal, and the owner's answers read
 * as every other principal: both ways, the same bytes. */
static void all_the_same(fixture *f, const ctw_match_index *ix)
{
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        json_t *own = screen(ix, &deu_ana, names[i]);
        for (size_t k = 0; k < sizeof principals / sizeof principals[0]; k++) {
            free(both_ways(f, ix, principals[k], own));
            json_t *theirs = screen(ix, principals[k], names[i]);
            free(both_ways(f, ix, principals[k], theirs));
            json_decref(theirs);
        }
        json_decref(own);
    }
}

/* The notice on record's hit in the answer to name, screened and read as p. */
static void expect(fixture *f, const ctw_match_index *ix, const ctw_principal *p, const char *name,
                   const char *record, const char *want)
{
    json_t *hits = screen(ix, p, name);
    char *text = both_ways(f, ix, p, hits);
    char got[64];
    notice_on(text, record, got, sizeof got);
    assert_string_equal(got, want);
    free(text);
    json_decref(hits);
}

static void test_memory_answers_as_the_store(void **state)
{
    fixture *f = *state;
    ctw_match_index *ix = build_at_feed(f);
    /* A 6, B 3 (the expired red too), C, D, E 1 each; G and H are not indexed */
    ctw_match_index_stats st;
    ctw_match_index_stats_get(ix, &st);
    assert_int_equal(st.records, 5);
    assert_int_equal(st.notices, 12);
    assert_true(st.notice_bytes >= 12 * sizeof(ctw_match_notice));
    size_t n = 0;
    const char *owner = NULL;
    const ctw_restriction *rr = NULL;
    const ctw_match_notice *kept = ctw_match_index_notices(ix, f->a, &n, &owner, &rr);
    assert_non_null(kept);
    assert_int_equal(n, 6);
    assert_string_equal(owner, "DEU-NCB");
    char first[CTW_NOTICE_ID_MAX];
    snprintf(first, sizeof first, "N-%lld", (long long)kept[0].seq);
    assert_string_equal(first, f->a_red);
    assert_string_equal(kept[5].kind, "national");
    assert_null(ctw_match_index_notices(ix, f->g, &n, &owner, &rr));
    assert_null(ctw_match_index_notices(ix, "no-such-record", &n, &owner, &rr));

    all_the_same(f, ix);
    /* several of different rank: the strongest, of two equal the newest */
    expect(f, ix, &deu_ana, "Karl Beispiel", f->a, f->a_red);
    expect(f, ix, &bel_ana, "Karl Beispiel", f->a, f->a_red);
    /* an expired notice passed over for a weaker valid one */
    expect(f, ix, &deu_ana, "Anna Musterfrau", f->b, f->b_yellow);
    /* hit-only: the other agency's hit is marked restricted, no notice */
    expect(f, ix, &bel_ana, "Geheim Verborgen", f->d, "");
    expect(f, ix, &deu_key, "Geheim Verborgen", f->d, f->d_red);
    /* a principal who may not read the record: the hit, no notice */
    json_t *own = screen(ix, &deu_ana, "Rita Regionalis");
    char *text = both_ways(f, ix, &fra_ana, own);
    char got[64];
    notice_on(text, f->e, got, sizeof got);
    assert_string_equal(got, "");
    free(text);
    text = both_ways(f, ix, &deu_aud, own);
    notice_on(text, f->e, got, sizeof got);
    assert_string_equal(got, "");
    free(text);
    json_decref(own);
    /* records the index does not hold: read from the store, dropped there */
    char in[400];
    snprintf(in, sizeof in,
             "[{\"record\":\"%s\",\"score\":0.9},{\"record\":\"%s\",\"score\":0.9},"
             "{\"record\":\"no-such-record\",\"score\":0.9},{\"score\":0.9},{\"record\":\"%s\",\"score\":0.5}]",
             f->g, f->h, f->a);
    json_t *made = json_loads(in, 0, NULL);
    text = both_ways(f, ix, &deu_ana, made);
    snprintf(in, sizeof in, "[{\"record\":\"%s\",\"score\":0.5,\"notice\":{\"id\":\"%s\",\"kind\":\"red\","
             "\"action\":\"arrest\"}}]", f->a, f->a_red);
    assert_string_equal(text, in);
    free(text);
    json_decref(made);
    /* an empty answer stays empty */
    json_t *none = json_array();
    text = both_ways(f, ix, &deu_ana, none);
    assert_string_equal(text, "[]");
    free(text);
    json_decref(none);

    /* two days on, with no change to the store (the feed has not moved):
     * B's yellow has expired, C's only notice too (its hit is dropped) */
    clock_shift = 2 * 86400;
    all_the_same(f, ix);
    expect(f, ix, &deu_ana, "Anna Musterfrau", f->b, f->b_green);
    expect(f, ix, &deu_ana, "Otto Ablaufdatum", f->c, "gone");
    expect(f, ix, &deu_ana, "Karl Beispiel", f->a, f->a_red);
    clock_shift = 0;
    ctw_match_index_release(ix);

    /* an index built without a feed position keeps no notices */
    ctw_error err = {0};
    assert_int_equal(ctw_match_index_build(f->s, &ix, &err), 0);
    assert_true(ctw_match_index_feed_seq(ix) == CTW_MATCH_FEED_UNKNOWN);
    ctw_match_index_stats_get(ix, &st);
    assert_int_equal(st.notices, 0);
    assert_null(ctw_match_index_notices(ix, f->a, &n, &owner, &rr));
    all_the_same(f, ix);
    ctw_match_index_release(ix);
}

static void test_feed_moved_reads_the_store(void **state)
{
    fixture *f = *state;
    ctw_match_index *ix = build_at_feed(f);
    expect(f, ix, &deu_ana, "Karl Beispiel", f->a, f->a_red);
    /* cancelled, and no rebuild: the index still holds the notice, the
     * answer follows the store */
    ctw_arena a;
    ctw_arena_init(&a);
    ctw_error err = {0};
    assert_int_equal(ctw_notice_cancel(f->s, &deu_sup, f->a_red, "arrested", &a, NULL, &err), 0);
    expect(f, ix, &deu_ana, "Karl Beispiel", f->a, f->a_red_until);
    /* C's only notice cancelled: its hit goes */
    assert_int_equal(ctw_notice_cancel(f->s, &deu_sup, f->c_blue, NULL, &a, NULL, &err), 0);
    expect(f, ix, &deu_ana, "Otto Ablaufdatum", f->c, "gone");
    /* a stronger notice published on B */
    nid b_black;
    publish(f, f->b, "black", "arrest", NULL, b_black);
    expect(f, ix, &deu_ana, "Anna Musterfrau", f->b, b_black);
    /* a record made hit-only: BEL's hit on it loses the notice */
    json_t *own = screen(ix, &deu_ana, "Karl Beispiel");
    char sql[200];
    snprintf(sql, sizeof sql, "UPDATE records SET restriction = 'hit-only' WHERE id = '%s'", f->a);
    ctw_test_sql_exec(f->path, sql);
    char *text = both_ways(f, ix, &bel_ana, own);
    char got[64];
    notice_on(text, f->a, got, sizeof got);
    assert_string_equal(got, "");
    free(text);
    json_decref(own);
    all_the_same(f, ix);
    ctw_match_index_release(ix);

    /* rebuilt at the new position: from memory again, the same answers */
    ix = build_at_feed(f);
    all_the_same(f, ix);
    expect(f, ix, &deu_ana, "Karl Beispiel", f->a, f->a_red_until);
    expect(f, ix, &bel_ana, "Karl Beispiel", f->a, "");

    /* and it is the index that answers while the feed stands: a change
     * made behind the feed's back (its trigger dropped) is not seen */
    snprintf(sql, sizeof sql,
             "DROP TRIGGER notices_update_feed; UPDATE notices SET state = 'cancelled' WHERE seq = %s",
             f->a_red_until + 2);
    ctw_test_sql_exec(f->path, sql);
    json_t *hits = screen(ix, &deu_ana, "Karl Beispiel");
    char *mem = annotated(f->s, ix, &deu_ana, hits), *store = annotated(f->s, NULL, &deu_ana, hits);
    notice_on(mem, f->a, got, sizeof got);
    assert_string_equal(got, f->a_red_until);
    notice_on(store, f->a, got, sizeof got);
    assert_string_not_equal(got, f->a_red_until);
    free(mem);
    free(store);
    json_decref(hits);
    ctw_match_index_release(ix);
    ctw_arena_free(&a);
}

static long long changes(fixture *f)
{
    return ctw_test_sql_int(f->path, "SELECT coalesce(max(seq), 0) FROM changes");
}

static void test_feed_complete_for_notices(void **state)
{
    fixture *f = *state;
    /* an importer's notice, inserted published on a record already there */
    long long before = changes(f);
    assert_int_equal(ctw_store_begin(f->s), 0);
    assert_int_equal(ctw_notice_import_publish(f->s, f->g, "national", "monitor", "DEU-NCB", "2026-03-01T00:00:00Z"),
                     0);
    assert_int_equal(ctw_store_commit(f->s), 0);
    assert_true(changes(f) > before);
    char sql[400];
    snprintf(sql, sizeof sql, "SELECT count(*) FROM changes WHERE seq > %lld AND record_id = '%s'", before, f->g);
    assert_int_equal(ctw_test_sql_int(f->path, sql), 1);
    /* a batch of them: one change each */
    const char *two[] = {f->c, f->h};
    before = changes(f);
    assert_int_equal(ctw_store_begin(f->s), 0);
    assert_int_equal(ctw_notice_import_publish_many(f->s, two, 2, "sanctions", "inform", "DEU-NCB",
                                                    "2026-03-01T00:00:00Z"),
                     0);
    assert_int_equal(ctw_store_commit(f->s), 0);
    assert_int_equal(changes(f), before + 2);
    /* any insert of a published notice; a draft moves nothing */
    before = changes(f);
    snprintf(sql, sizeof sql,
             "INSERT INTO notices (record_id, kind, state, action, owner, created, created_by, updated)"
             " VALUES ('%s', 'blue', 'draft', 'locate', 'DEU-NCB', 'x', 'x', 'x')",
             f->a);
    ctw_test_sql_exec(f->path, sql);
    assert_int_equal(changes(f), before);
    snprintf(sql, sizeof sql,
             "INSERT INTO notices (record_id, kind, state, action, owner, created, created_by, updated)"
             " VALUES ('%s', 'blue', 'published', 'locate', 'DEU-NCB', 'x', 'x', 'x')",
             f->a);
    ctw_test_sql_exec(f->path, sql);
    assert_int_equal(changes(f), before + 1);
    /* kind, action or record of a published notice; not of a draft */
    before = changes(f);
    snprintf(sql, sizeof sql, "UPDATE notices SET kind = 'purple' WHERE seq = %s", f->a_red + 2);
    ctw_test_sql_exec(f->path, sql);
    assert_int_equal(changes(f), before + 1);
    snprintf(sql, sizeof sql, "UPDATE notices SET action = 'inform' WHERE seq = %s", f->a_red + 2);
    ctw_test_sql_exec(f->path, sql);
    assert_int_equal(changes(f), before + 2);
    snprintf(sql, sizeof sql, "UPDATE notices SET record_id = '%s' WHERE seq = %s", f->b, f->a_red + 2);
    ctw_test_sql_exec(f->path, sql);
    assert_int_equal(changes(f), before + 4); /* both records */
    snprintf(sql, sizeof sql, "UPDATE notices SET kind = 'green' WHERE state = 'draft'");
    ctw_test_sql_exec(f->path, sql);
    assert_int_equal(changes(f), before + 4);

    /* a real import: each record moves the feed twice, itself and its notice */
    ctw_error err = {0};
    json_t *sum = NULL;
    const char *un[] = {UN_XML};
    before = changes(f);
    assert_int_equal(ctw_import_files(f->s, ctw_principal_cli(), CTW_FORMAT_UN_XML, un, 1, NULL, &sum, &err), 0);
    json_decref(sum);
    long long n_un = ctw_test_sql_int(f->path, "SELECT count(*) FROM records WHERE source = 'un-sc'");
    assert_true(n_un > 900);
    snprintf(sql, sizeof sql, "SELECT count(*) FROM changes WHERE seq > %lld", before);
    assert_int_equal(ctw_test_sql_int(f->path, sql), 2 * n_un);
    /* and the memory answers them as the store does */
    ctw_match_index *ix = build_at_feed(f);
    ctw_match_index_stats st;
    ctw_match_index_stats_get(ix, &st);
    assert_true(st.notices >= (size_t)n_un);
    const char *un_names[] = {"Eric Badege", "Abu Bakr al-Baghdadi", "Hafiz Muhammad Saeed", "Ri Won Ho"};
    for (size_t i = 0; i < sizeof un_names / sizeof un_names[0]; i++) {
        for (size_t k = 0; k < sizeof principals / sizeof principals[0]; k++) {
            json_t *hits = screen(ix, principals[k], un_names[i]);
            free(both_ways(f, ix, principals[k], hits));
            json_decref(hits);
        }
    }
    ctw_match_index_release(ix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_memory_answers_as_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feed_moved_reads_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feed_complete_for_notices, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
