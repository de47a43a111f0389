/* test_hits.c — the hits store layer (hit.h): which screening hits become
 * hits, what each side sees, the owner's decisions and their states,
 * messages, the stream's feed, the audit entries, refusals that change
 * nothing, and hits written through the audit writer's group commit. */
#include <pthread.h>
#include <time.h>

#include "test_util.h"

#include "ctwatch/access.h"
#include "ctwatch/clock.h"
#include "ctwatch/hit.h"
#include "ctwatch/store.h"

typedef struct fixture {
    char *dir;
    char path[600];
    ctw_store *s;
    char id[64];      /* DEU-NCB's person, hit-only */
} fixture;

static const ctw_principal deu_an = {.user = "an.deu", .agency = "DEU-NCB", .role = CTW_ROLE_ANALYST};
static const ctw_principal deu_sup = {.user = "sup.deu", .agency = "DEU-NCB", .role = CTW_ROLE_SUPERVISOR};
static const ctw_principal deu_aud = {.user = "aud.deu", .agency = "DEU-NCB", .role = CTW_ROLE_AUDITOR};
static const ctw_principal bel_off = {.user = "off.bel", .agency = "BEL-NCB", .role = CTW_ROLE_OFFICER};
static const ctw_principal fra_an = {.user = "an.fra", .agency = "FRA-NCB", .role = CTW_ROLE_ANALYST};
static const ctw_principal auditor = {.user = "dpo", .agency = "DEU-NCB", .role = CTW_ROLE_AUDITOR};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE, &f->s, &err), 0);
    static const char *const codes[] = {"DEU-NCB", "BEL-NCB", "FRA-NCB"};
    for (size_t i = 0; i < 3; i++) {
        ctw_agency a = {.code = codes[i]};
        assert_int_equal(ctw_store_ensure_agency(f->s, &a), 0);
    }
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = "test";
    r->source_id = "R1";
    r->owner = "DEU-NCB";
    r->created = r->updated = "2026-01-02T03:04:05Z";
    r->review_date = "2031-01-02";
    r->version = 1;
    r->restriction.kind = CTW_RESTRICT_HIT_ONLY;
    ctw_record_make_id(r);
    ctw_record_add_name(r, "Karl Beispiel", CTW_NAME_PRIMARY, NULL);
    assert_int_equal(ctw_store_begin(f->s), 0);
    assert_int_equal(ctw_store_put(f->s, ctw_principal_cli(), r), 0);
    assert_int_equal(ctw_store_commit(f->s), 0);
    snprintf(f->id, sizeof f->id, "%s", r->id);
    ctw_record_free(r);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    fixture *f = *state;
    ctw_store_close(f->s);
    ctw_test_rmdir(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

static int count_one(void *ud, const ctw_audit_entry *e)
{
    (void)e;
    ++*(long *)ud;
    return 0;
}

static long audits(fixture *f, const char *action)
{
    long n = 0;
    ctw_audit_filter flt = {.action = action};
    assert_int_equal(ctw_store_audit_list(f->s, &auditor, &flt, count_one, &n), 0);
    return n;
}

/* Write one hit on f's record found by BEL-NCB's officer; its id to id. */
static void make_hit(fixture *f, char id[CTW_HIT_ID_SIZE])
{
    ctw_hit_new h = {.kind = "person", .owner = "DEU-NCB", .record = f->id, .query = "{\"name\":\"Karl Beispiel\"}",
                     .score = 0.97, .decision = "alert"};
    ctw_hit_make_id(h.id);
    assert_int_equal(ctw_store_begin(f->s), 0);
    int64_t seq = 0;
    assert_int_equal(ctw_store_hit_insert(f->s, &bel_off, &h, "2026-11-30T12:00:00Z", &seq), 0);
    assert_true(seq > 0);
    assert_int_equal(ctw_store_commit(f->s), 0);
    memcpy(id, h.id, CTW_HIT_ID_SIZE);
}

static const char *state_of(fixture *f, const char *id)
{
    static char buf[32];
    json_t *j = NULL;
    assert_int_equal(ctw_store_hit_get(f->s, &deu_an, id, &j), 0);
    snprintf(buf, sizeof buf, "%s", json_string_value(json_object_get(j, "state")));
    json_decref(j);
    return buf;
}

static void test_collect(void **state)
{
    (void)state;
    json_t *hits = json_loads("[{\"record\":\"a\",\"owner\":\"DEU-NCB\",\"score\":0.95,\"decision\":\"alert\","
                              "\"name\":\"Karl\",\"notice\":{\"id\":\"N-1\",\"kind\":\"red\",\"action\":\"arrest\"}},"
                              " {\"record\":\"b\",\"owner\":\"DEU-NCB\",\"score\":0.75,\"decision\":\"review\"},"
                              " {\"record\":\"c\",\"owner\":\"BEL-NCB\",\"score\":0.99,\"decision\":\"alert\"},"
                              " {\"record\":\"d\",\"owner\":\"FRA-NCB\",\"score\":0.9,\"decision\":\"alert\","
                              "  \"restricted\":true}]",
                              0, NULL);
    json_t *query = json_pack("{s:s}", "name", "Karl");
    ctw_hit_batch b;
    ctw_hit_batch_init(&b);
    assert_int_equal(ctw_hit_collect(&b, &bel_off, "person", query, hits), 0);
    /* alerts on others' records only: not the review, not BEL-NCB's own */
    assert_int_equal(b.n, 2);
    assert_string_equal(b.v[0].record, "a");
    assert_string_equal(b.v[0].owner, "DEU-NCB");
    assert_string_equal(b.v[0].name, "Karl");
    assert_string_equal(b.v[0].notice_kind, "red");
    assert_string_equal(b.v[0].query, "{\"name\":\"Karl\"}");
    assert_string_equal(b.v[1].record, "d");
    assert_null(b.v[1].name);
    assert_string_equal(json_string_value(json_object_get(json_array_get(hits, 0), "hit")), b.v[0].id);
    assert_null(json_object_get(json_array_get(hits, 1), "hit"));
    assert_null(json_object_get(json_array_get(hits, 2), "hit"));
    assert_int_equal(strncmp(b.v[0].id, "H-", 2), 0);
    assert_int_equal(strlen(b.v[0].id), 22);
    assert_string_not_equal(b.v[0].id, b.v[1].id);
    /* a document hit is a hit whatever its decision */
    json_t *docs = json_loads("[{\"document\":\"doc:7\",\"owner\":\"FRA-NCB\",\"status\":\"stolen\"}]", 0, NULL);
    assert_int_equal(ctw_hit_collect(&b, &bel_off, "document", query, docs), 0);
    assert_int_equal(b.n, 3);
    assert_string_equal(b.v[2].document, "doc:7");
    assert_null(b.v[2].record);
    /* no agency (the command line): no hits */
    ctw_principal cli = {.user = "cli", .role = CTW_ROLE_SYSTEM_ADMIN};
    json_t *more = json_loads("[{\"record\":\"e\",\"owner\":\"DEU-NCB\",\"score\":0.95,\"decision\":\"alert\"}]", 0, NULL);
    assert_int_equal(ctw_hit_collect(&b, &cli, "person", query, more), 0);
    assert_int_equal(b.n, 3);
    ctw_hit_batch_free(&b);
    json_decref(hits);
    json_decref(docs);
    json_decref(more);
    json_decref(query);

    /* a manifest: the traveller (and the document) as the query */
    json_t *m = json_loads("{\"flight\":{\"number\":\"AF1\"},\"travellers\":[{\"surname\":\"X\",\"given\":\"Y\","
                           "\"hits\":[],\"documents\":[{\"number\":\"L1\",\"issuing_state\":\"UTO\","
                           "\"hits\":[{\"document\":\"doc:1\",\"owner\":\"FRA-NCB\"}]}]}]}",
                           0, NULL);
    ctw_hit_batch_init(&b);
    assert_int_equal(ctw_hit_collect_manifest(&b, &bel_off, m), 0);
    assert_int_equal(b.n, 1);
    assert_string_equal(b.v[0].kind, "manifest");
    json_t *q = json_loads(b.v[0].query, 0, NULL);
    assert_string_equal(json_string_value(json_object_get(q, "surname")), "X");
    assert_string_equal(json_string_value(json_object_get(json_object_get(q, "document"), "number")), "L1");
    assert_string_equal(json_string_value(json_object_get(json_object_get(q, "flight"), "number")), "AF1");
    json_decref(q);
    ctw_hit_batch_free(&b);
    json_decref(m);
}

static void test_sides_see_what_they_may(void **state)
{
    fixture *f = *state;
    char id[CTW_HIT_ID_SIZE];
    make_hit(f, id);
    json_t *j = NULL;
    /* the owner: everything */
    assert_int_equal(ctw_store_hit_get(f->s, &deu_an, id, &j), 0);
    assert_string_equal(json_string_value(json_object_get(j, "record")), f->id);
    assert_string_equal(json_string_value(json_object_get(j, "name")), "Karl Beispiel");
    assert_string_equal(json_string_value(json_object_get(j, "side")), "owner");
    assert_int_equal(json_array_size(json_object_get(j, "events")), 1);
    json_decref(j);
    /* the checker of a hit-only record: whom to contact, its query */
    assert_int_equal(ctw_store_hit_get(f->s, &bel_off, id, &j), 0);
    assert_true(json_is_null(json_object_get(j, "record")));
    assert_true(json_is_null(json_object_get(j, "name")));
    assert_string_equal(json_string_value(json_object_get(j, "contact")), "DEU-NCB");
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "query"), "name")), "Karl Beispiel");
    json_decref(j);
    /* a third agency: no such hit, and the refusal is audited */
    long denied = audits(f, "hit-denied");
    j = NULL;
    assert_int_equal(ctw_store_hit_get(f->s, &fra_an, id, &j), CTW_ENOTFOUND);
    assert_null(j);
    assert_int_equal(audits(f, "hit-denied"), denied + 1);
    assert_int_equal(ctw_store_hit_get(f->s, &deu_an, "H-00000000000000000000", &j), CTW_ENOTFOUND);
    /* the owner opens the record to all: the checker now sees it */
    ctw_restriction all = {.kind = CTW_RESTRICT_ALL};
    ctw_error err;
    assert_int_equal(ctw_store_set_restriction(f->s, &deu_sup, f->id, &all, &err), 0);
    assert_int_equal(ctw_store_hit_get(f->s, &bel_off, id, &j), 0);
    assert_string_equal(json_string_value(json_object_get(j, "record")), f->id);
    json_decref(j);
    assert_int_equal(audits(f, "hit-read"), 3);
}

static void test_decisions(void **state)
{
    fixture *f = *state;
    char id[CTW_HIT_ID_SIZE];
    make_hit(f, id);
    json_t *j = NULL;
    long denied = audits(f, "hit-denied");
    /* refusals change nothing */
    assert_int_equal(ctw_store_hit_decide(f->s, &bel_off, id, "confirmed", NULL, &j), CTW_EACCES);
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_aud, id, "confirmed", NULL, &j), CTW_EACCES);
    assert_int_equal(ctw_store_hit_decide(f->s, &fra_an, id, "confirmed", NULL, &j), CTW_ENOTFOUND);
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_an, id, "closed", NULL, &j), CTW_ECONFLICT);
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_an, id, "approved", NULL, &j), CTW_EINVAL);
    char long_note[CTW_HIT_NOTE_MAX + 2];
    memset(long_note, 'n', sizeof long_note - 1);
    long_note[sizeof long_note - 1] = '\0';
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_an, id, "confirmed", long_note, &j), CTW_EINVAL);
    assert_null(j);
    assert_int_equal(audits(f, "hit-denied"), denied + 4);
    assert_string_equal(state_of(f, id), "pending");
    /* the owner's analyst marks it a false match, with a note */
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_an, id, "false-match", "different birth year", &j), 0);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "false-match");
    json_t *ev = json_array_get(json_object_get(j, "events"), 1);
    assert_string_equal(json_string_value(json_object_get(ev, "event")), "false-match");
    assert_string_equal(json_string_value(json_object_get(ev, "note")), "different birth year");
    json_decref(j);
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_sup, id, "confirmed", NULL, NULL), CTW_ECONFLICT);
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_sup, id, "closed", NULL, NULL), 0);
    assert_string_equal(state_of(f, id), "closed");
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_sup, id, "closed", NULL, NULL), CTW_ECONFLICT);
    assert_int_equal(audits(f, "hit-false-match"), 1);
    assert_int_equal(audits(f, "hit-closed"), 1);
}

static void test_messages(void **state)
{
    fixture *f = *state;
    char id[CTW_HIT_ID_SIZE];
    make_hit(f, id);
    json_t *m = NULL;
    assert_int_equal(ctw_store_hit_message(f->s, &bel_off, id, "", &m), CTW_EINVAL);
    assert_int_equal(ctw_store_hit_message(f->s, &bel_off, id, " \n\t", &m), CTW_EINVAL);
    char big[CTW_HIT_TEXT_MAX + 2];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_int_equal(ctw_store_hit_message(f->s, &bel_off, id, big, &m), CTW_EINVAL);
    assert_int_equal(ctw_store_hit_message(f->s, &fra_an, id, "hello", &m), CTW_ENOTFOUND);
    assert_int_equal(ctw_store_hit_message(f->s, &deu_aud, id, "hello", &m), CTW_EACCES);
    assert_null(m);
    assert_int_equal(ctw_store_hit_message(f->s, &bel_off, id, "at gate B12", &m), 0);
    assert_int_equal(json_integer_value(json_object_get(m, "seq")), 1);
    json_decref(m);
    assert_int_equal(ctw_store_hit_message(f->s, &deu_an, id, "hold him", &m), 0);
    assert_int_equal(json_integer_value(json_object_get(m, "seq")), 2);
    json_decref(m);
    json_t *j = NULL;
    assert_int_equal(ctw_store_hit_get(f->s, &bel_off, id, &j), 0);
    json_t *msgs = json_object_get(j, "messages");
    assert_int_equal(json_array_size(msgs), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(msgs, 0), "agency")), "BEL-NCB");
    assert_string_equal(json_string_value(json_object_get(json_array_get(msgs, 1), "text")), "hold him");
    assert_int_equal(json_array_size(json_object_get(j, "events")), 3);
    assert_string_equal(json_string_value(json_object_get(j, "state")), "pending");
    json_decref(j);
    assert_int_equal(audits(f, "hit-message"), 2);
}

typedef struct seen {
    int n;
    char events[8][16];
} seen;

static int on_event(void *ud, int64_t seq, const char *event, json_t *hit)
{
    seen *s = ud;
    assert_true(seq > 0);
    assert_non_null(json_object_get(hit, "id"));
    assert_null(json_object_get(hit, "messages"));
    if (s->n < 8) snprintf(s->events[s->n], sizeof s->events[0], "%s", event);
    s->n++;
    return 0;
}

static void test_feed_and_list(void **state)
{
    fixture *f = *state;
    char a[CTW_HIT_ID_SIZE], b[CTW_HIT_ID_SIZE];
    make_hit(f, a);
    make_hit(f, b);
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_an, a, "confirmed", NULL, NULL), 0);
    int64_t last = 0, newest = 0;
    assert_int_equal(ctw_store_hit_last_event(f->s, &newest), 0);
    assert_int_equal(newest, 3);
    seen s = {0};
    assert_int_equal(ctw_store_hit_events(f->s, NULL, &bel_off, 0, 50, on_event, &s, &last), 0);
    assert_int_equal(s.n, 3);
    assert_string_equal(s.events[0], "created");
    assert_string_equal(s.events[2], "confirmed");
    assert_int_equal(last, 3);
    /* a page at a time */
    memset(&s, 0, sizeof s);
    assert_int_equal(ctw_store_hit_events(f->s, NULL, &deu_an, 0, 2, on_event, &s, &last), 0);
    assert_int_equal(s.n, 2);
    assert_int_equal(last, 2);
    /* a third agency gets nothing, but moves on */
    memset(&s, 0, sizeof s);
    assert_int_equal(ctw_store_hit_events(f->s, NULL, &fra_an, 0, 50, on_event, &s, &last), 0);
    assert_int_equal(s.n, 0);
    assert_int_equal(last, 3);
    assert_int_equal(audits(f, "hit-stream"), 2);

    json_t *l = NULL;
    assert_int_equal(ctw_store_hits_list(f->s, &deu_an, NULL, &l), 0);
    json_t *hits = json_object_get(l, "hits");
    assert_int_equal(json_array_size(hits), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(hits, 0), "id")), b); /* newest first */
    assert_null(json_object_get(json_array_get(hits, 0), "events"));
    json_decref(l);
    ctw_hit_filter flt = {.state = "confirmed"};
    assert_int_equal(ctw_store_hits_list(f->s, &bel_off, &flt, &l), 0);
    assert_int_equal(json_array_size(json_object_get(l, "hits")), 1);
    json_decref(l);
    flt = (ctw_hit_filter){.side = "owner"};
    assert_int_equal(ctw_store_hits_list(f->s, &bel_off, &flt, &l), 0);
    assert_int_equal(json_array_size(json_object_get(l, "hits")), 0);
    json_decref(l);
    flt = (ctw_hit_filter){.after = 1, .limit = 1};
    assert_int_equal(ctw_store_hits_list(f->s, &bel_off, &flt, &l), 0);
    assert_int_equal(json_array_size(json_object_get(l, "hits")), 1);
    json_decref(l);
    assert_int_equal(ctw_store_hits_list(f->s, &fra_an, NULL, &l), 0);
    assert_int_equal(json_array_size(json_object_get(l, "hits")), 0);
    json_decref(l);
    flt = (ctw_hit_filter){.state = "open"};
    assert_int_equal(ctw_store_hits_list(f->s, &bel_off, &flt, &l), CTW_EINVAL);
    flt = (ctw_hit_filter){.limit = CTW_HIT_LIST_MAX + 1};
    assert_int_equal(ctw_store_hits_list(f->s, &bel_off, &flt, &l), CTW_EINVAL);
}

static int woken;
static void on_hits(void *ud)
{
    (void)ud;
    woken++;
}

static void test_writer_commits_hits_with_the_entry(void **state)
{
    fixture *f = *state;
    ctw_audit_writer *w = NULL;
    ctw_error err;
    assert_int_equal(ctw_audit_writer_start(f->path, &w, &err), 0);
    ctw_audit_writer_on_hits(w, on_hits, NULL);
    long screens = audits(f, "screen");
    ctw_hit_new h = {.kind = "person", .owner = "DEU-NCB", .record = f->id, .query = "{}", .score = 0.9,
                     .decision = "alert"};
    ctw_hit_make_id(h.id);
    woken = 0;
    assert_int_equal(ctw_audit_writer_append_hits(w, &bel_off, "screen", f->id, "1 query", &h, 1), 0);
    assert_int_equal(woken, 1);
    /* an entry without hits wakes no one */
    assert_int_equal(ctw_audit_writer_append(w, &bel_off, "screen", "", "1 query"), 0);
    assert_int_equal(woken, 1);
    /* a hit that cannot be written (the same id) fails its entry too */
    assert_int_equal(ctw_audit_writer_append_hits(w, &bel_off, "screen", f->id, "1 query", &h, 1), CTW_ESTORE);
    ctw_audit_writer_stop(w);
    assert_int_equal(audits(f, "screen"), screens + 2);
    json_t *j = NULL;
    assert_int_equal(ctw_store_hit_get(f->s, &deu_an, h.id, &j), 0);
    assert_string_equal(json_string_value(json_object_get(j, "checking_user")), "off.bel");
    json_decref(j);
}

/* Hit ids: "H-", the creation second in 8 hex digits, a counter of the
 * process in 4, 8 random ones: made one after the other, they sort in the
 * order made (the store's index on them grows at its right edge). */
static void test_hit_ids(void **state)
{
    (void)state;
    enum { N = 4000 };
    char (*ids)[CTW_HIT_ID_SIZE] = calloc(N, CTW_HIT_ID_SIZE);
    assert_non_null(ids);
    int64_t t0 = ctw_clock_now();
    for (int i = 0; i < N; i++) ctw_hit_make_id(ids[i]);
    int64_t t1 = ctw_clock_now();
    for (int i = 0; i < N; i++) {
        assert_int_equal(strlen(ids[i]), 22);
        assert_memory_equal(ids[i], "H-", 2);
        assert_int_equal(strspn(ids[i] + 2, "0123456789abcdef"), 20);
        char second[9];
        memcpy(second, ids[i] + 2, 8);
        second[8] = '\0';
        int64_t s = (int64_t)strtoul(second, NULL, 16);
        if (s < t0 || s > t1) fail_msg("%s: second %lld outside [%lld, %lld]", ids[i], (long long)s, (long long)t0, (long long)t1);
    }
    /* in the order made; the 16-bit counter may wrap once among N */
    int unordered = 0;
    for (int i = 1; i < N; i++) unordered += strcmp(ids[i - 1], ids[i]) >= 0;
    assert_true(unordered <= 1);
    /* ids of the same second differ in their random part */
    qsort(ids, N, CTW_HIT_ID_SIZE, (int (*)(const void *, const void *))strcmp);
    for (int i = 1; i < N; i++)
        if (strcmp(ids[i - 1], ids[i]) == 0) fail_msg("id %s made twice", ids[i]);
    free(ids);
}

/* Entries submitted without waiting: done() is called once per job, on the
 * writer's thread, after the commit that holds it (0), or with CTW_ESTORE
 * when the commit failed; a job without done() is refused. */
typedef struct counted_job {
    ctw_audit_job job;
    int calls, rc;
    pthread_mutex_t *mu;
    pthread_cond_t *cv;
} counted_job;

static void count_done(ctw_audit_job *job, int rc)
{
    counted_job *c = (counted_job *)job;
    pthread_mutex_lock(c->mu);
    c->calls++;
    c->rc = rc;
    pthread_cond_broadcast(c->cv);
    pthread_mutex_unlock(c->mu);
}

static void test_writer_submit(void **state)
{
    fixture *f = *state;
    enum { N = 40 };
    ctw_audit_writer *w = NULL;
    ctw_error err;
    assert_int_equal(ctw_audit_writer_start(f->path, &w, &err), 0);
    long screens = audits(f, "screen");
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    counted_job jobs[N + 1];
    ctw_hit_new hits[N + 1];
    for (int i = 0; i <= N; i++) {
        hits[i] = (ctw_hit_new){.kind = "person", .owner = "DEU-NCB", .record = f->id, .query = "{}", .score = 0.9,
                                .decision = "alert"};
        ctw_hit_make_id(hits[i].id);
        jobs[i] = (counted_job){.job = {.p = &bel_off, .action = "screen", .records = f->id, .detail = "1 query",
                                        .hits = &hits[i], .n_hits = 1, .done = count_done},
                                .rc = -1, .mu = &mu, .cv = &cv};
    }
    /* the last one repeats the first's hit id: its commit must fail */
    memcpy(hits[N].id, hits[0].id, sizeof hits[N].id);
    counted_job refused = {.job = {.p = &bel_off, .action = "screen"}, .mu = &mu, .cv = &cv};
    assert_int_equal(ctw_audit_writer_submit(w, &refused.job), CTW_EINVAL); /* no done() */
    for (int i = 0; i < N; i++) assert_int_equal(ctw_audit_writer_submit(w, &jobs[i].job), 0);
    pthread_mutex_lock(&mu);
    for (int i = 0; i < N; i++)
        while (jobs[i].calls == 0) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    assert_int_equal(ctw_audit_writer_submit(w, &jobs[N].job), 0);
    pthread_mutex_lock(&mu);
    while (jobs[N].calls == 0) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    ctw_audit_writer_stop(w);
    for (int i = 0; i < N; i++) {
        assert_int_equal(jobs[i].calls, 1);
        assert_int_equal(jobs[i].rc, 0);
        json_t *j = NULL;
        assert_int_equal(ctw_store_hit_get(f->s, &deu_an, hits[i].id, &j), 0);
        json_decref(j);
    }
    assert_int_equal(jobs[N].calls, 1);
    assert_int_equal(jobs[N].rc, CTW_ESTORE);
    assert_int_equal(refused.calls, 0);
    assert_int_equal(audits(f, "screen"), screens + N);
}

static double seconds_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void wait_all(counted_job *jobs, int n, pthread_mutex_t *mu, pthread_cond_t *cv)
{
    pthread_mutex_lock(mu);
    for (int i = 0; i < n; i++)
        while (jobs[i].calls == 0) pthread_cond_wait(cv, mu);
    pthread_mutex_unlock(mu);
}

/* n jobs of an entry without hits, marked not done yet */
static void entry_jobs(counted_job *jobs, int n, const char *detail, pthread_mutex_t *mu, pthread_cond_t *cv)
{
    for (int i = 0; i < n; i++)
        jobs[i] = (counted_job){.job = {.p = &bel_off, .action = "screen", .records = "", .detail = detail,
                                        .done = count_done},
                                .rc = -1, .mu = mu, .cv = cv};
}

/* true once job is done, false if it is not within ms milliseconds */
static bool done_within(counted_job *job, pthread_mutex_t *mu, pthread_cond_t *cv, long ms)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until); /* the clock of a default condition variable */
    until.tv_sec += ms / 1000;
    until.tv_nsec += (ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) until.tv_sec++, until.tv_nsec -= 1000000000L;
    pthread_mutex_lock(mu);
    while (job->calls == 0 && pthread_cond_timedwait(cv, mu, &until) == 0) {}
    bool done = job->calls > 0;
    pthread_mutex_unlock(mu);
    return done;
}

/* A busy writer begins commits at most once per interval: entries queued
 * within it after a commit began wait for it to end and share one commit,
 * even when the writer was free before the first of them (without the
 * interval the first would be committed alone, the 50 ms sleep leaves it
 * time to). Here a batch of one makes the writer busy. */
static void test_writer_interval_gathers_entries(void **state)
{
    fixture *f = *state;
    enum { N = 4 };
    ctw_audit_writer *w = NULL;
    ctw_error err;
    assert_int_equal(ctw_audit_writer_start(f->path, &w, &err), 0);
    ctw_audit_writer_set_pacing(w, 1000000, 1); /* 1 s: far longer than the test takes to queue N */
    long screens = audits(f, "screen");
    /* the first entry of an idle writer: committed at once */
    assert_int_equal(ctw_audit_writer_batches(w), 0);
    assert_int_equal(ctw_audit_writer_append(w, &bel_off, "screen", "", "first"), 0);
    assert_int_equal(ctw_audit_writer_batches(w), 1);
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    counted_job jobs[N];
    entry_jobs(jobs, N, "paced", &mu, &cv);
    assert_int_equal(ctw_audit_writer_submit(w, &jobs[0].job), 0);
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    for (int i = 1; i < N; i++) assert_int_equal(ctw_audit_writer_submit(w, &jobs[i].job), 0);
    wait_all(jobs, N, &mu, &cv);
    assert_int_equal(ctw_audit_writer_batches(w), 2);
    for (int i = 0; i < N; i++) {
        assert_int_equal(jobs[i].calls, 1);
        assert_int_equal(jobs[i].rc, 0);
    }
    /* interval 0: still busy, but commits as soon as the writer is free
     * again, not a second after the last one began */
    ctw_audit_writer_set_pacing(w, 0, 1);
    for (int i = 0; i < N; i++) jobs[i].calls = 0;
    assert_int_equal(ctw_audit_writer_submit(w, &jobs[0].job), 0);
    assert_true(done_within(&jobs[0], &mu, &cv, 500));
    assert_int_equal(ctw_audit_writer_batches(w), 3);
    ctw_audit_writer_stop(w);
    assert_int_equal(audits(f, "screen"), screens + 1 + N + 1);
}

/* The interval is only for a busy writer: after batches smaller than the
 * busy size the next entry is committed at once; after one as large, the
 * next entries wait for the interval together, and go on waiting while
 * batches hold half the busy size; a smaller batch ends it. The test holds
 * the write lock on a connection of its own so that entries queue up
 * behind a commit into a large batch. */
static void test_writer_interval_only_when_busy(void **state)
{
    fixture *f = *state;
    enum { N = 10 };
    ctw_audit_writer *w = NULL;
    ctw_error err;
    assert_int_equal(ctw_audit_writer_start(f->path, &w, &err), 0);
    ctw_audit_writer_set_pacing(w, 1000000, 4); /* busy: a batch of 4, until one of 1; interval 1 s */
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    counted_job jobs[N];
    entry_jobs(jobs, N, "gate", &mu, &cv);
    assert_int_equal(ctw_audit_writer_append(w, &bel_off, "screen", "", "first"), 0); /* a batch of 1 */
    /* not busy: committed at once, well within the 1 s interval */
    assert_int_equal(ctw_audit_writer_submit(w, &jobs[0].job), 0);
    assert_true(done_within(&jobs[0], &mu, &cv, 500));
    assert_int_equal(ctw_audit_writer_batches(w), 2);

    /* four entries queued behind a commit that waits for the write lock */
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(ctw_audit_writer_submit(w, &jobs[1].job), 0);
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    for (int i = 2; i <= 5; i++) assert_int_equal(ctw_audit_writer_submit(w, &jobs[i].job), 0);
    nanosleep(&(struct timespec){0, 10 * 1000 * 1000}, NULL);
    assert_int_equal(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL), SQLITE_OK);
    sqlite3_close(db);
    wait_all(jobs + 1, 5, &mu, &cv); /* the last batch held four of them, or all five */
    uint64_t before = ctw_audit_writer_batches(w);

    /* busy now: the next two, 50 ms apart, share one commit, and a batch
     * of two (half the busy size) keeps the writer busy */
    assert_int_equal(ctw_audit_writer_submit(w, &jobs[6].job), 0);
    nanosleep(&(struct timespec){0, 50 * 1000 * 1000}, NULL);
    assert_int_equal(ctw_audit_writer_submit(w, &jobs[7].job), 0);
    wait_all(jobs + 6, 2, &mu, &cv);
    assert_int_equal(ctw_audit_writer_batches(w), before + 1);
    /* still busy: one entry waits for the interval, and its batch of one ends it */
    assert_int_equal(ctw_audit_writer_submit(w, &jobs[8].job), 0);
    assert_false(done_within(&jobs[8], &mu, &cv, 300));
    wait_all(jobs + 8, 1, &mu, &cv);
    assert_int_equal(ctw_audit_writer_submit(w, &jobs[9].job), 0);
    assert_true(done_within(&jobs[9], &mu, &cv, 500));
    assert_int_equal(ctw_audit_writer_batches(w), before + 3);
    ctw_audit_writer_stop(w);
    for (int i = 0; i < N; i++) assert_int_equal(jobs[i].rc, 0);
}

/* Stopping writes what waits for the interval at once, not at its end. */
static void test_writer_stop_does_not_wait_for_the_interval(void **state)
{
    fixture *f = *state;
    ctw_audit_writer *w = NULL;
    ctw_error err;
    assert_int_equal(ctw_audit_writer_start(f->path, &w, &err), 0);
    ctw_audit_writer_set_pacing(w, 20u * 1000000u, 1); /* above the cap: 10 s */
    long screens = audits(f, "screen");
    assert_int_equal(ctw_audit_writer_append(w, &bel_off, "screen", "", "first"), 0);
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
    counted_job job;
    entry_jobs(&job, 1, "last", &mu, &cv);
    assert_int_equal(ctw_audit_writer_submit(w, &job.job), 0);
    double t0 = seconds_now();
    ctw_audit_writer_stop(w);
    assert_true(seconds_now() - t0 < 5.0); /* the interval is 10 s */
    assert_int_equal(job.calls, 1);
    assert_int_equal(job.rc, 0);
    assert_int_equal(audits(f, "screen"), screens + 2);
}

/* Schema 9: the CHECKs of hits and hit_events as comparisons. Writing a
 * row then opens no temporary b-tree (SQLite's OpenEphemeral, which an
 * "IN (three or more constants)" opens for every row); the same values
 * are still refused; and a store of schema 8 is upgraded in place, its
 * hits untouched. */
static int ephemeral_tables(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    char explain[1024];
    snprintf(explain, sizeof explain, "EXPLAIN %s", sql);
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(db, explain, -1, &st, NULL), SQLITE_OK);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW) n += strcmp((const char *)sqlite3_column_text(st, 1), "OpenEphemeral") == 0;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static int sql_rc(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    int rc = sqlite3_exec(db, sql, NULL, NULL, NULL);
    sqlite3_close(db);
    return rc;
}

#define INSERT_HIT(kind, state)                                                                                    \
    "INSERT INTO hits (id, created, kind, checking_agency, checking_user, owner, query, decision, state, updated)" \
    " VALUES ('H-check', 't', '" kind "', 'BEL-NCB', 'u', 'DEU-NCB', '{}', 'alert', '" state "', 't')"
#define INSERT_EVENT(event) \
    "INSERT INTO hit_events (hit_seq, time, user, agency, event) VALUES (1, 't', 'u', 'DEU-NCB', '" event "')"

static void test_schema_9_checks_as_comparisons(void **state)
{
    fixture *f = *state;
    char id[CTW_HIT_ID_SIZE];
    make_hit(f, id);
    assert_int_equal(ctw_store_schema_version(f->s), 9);
    assert_int_equal(ephemeral_tables(f->path, INSERT_HIT("person", "pending")), 0);
    assert_int_equal(ephemeral_tables(f->path, INSERT_EVENT("message")), 0);
    /* what the lists refused is refused, and writes nothing */
    assert_int_equal(sql_rc(f->path, INSERT_HIT("vessel", "pending")), SQLITE_CONSTRAINT);
    assert_int_equal(sql_rc(f->path, INSERT_HIT("person", "open")), SQLITE_CONSTRAINT);
    assert_int_equal(sql_rc(f->path, INSERT_EVENT("deleted")), SQLITE_CONSTRAINT);
    assert_int_equal(sql_rc(f->path, "UPDATE hits SET state = 'gone'"), SQLITE_CONSTRAINT);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM hits"), 1);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM hit_events"), 1);
    assert_string_equal(state_of(f, id), "pending");

    /* back to schema 8, with schema 7's text of the CHECKs */
    ctw_store_close(f->s);
    f->s = NULL;
    ctw_test_sql_exec(f->path,
                      "PRAGMA writable_schema=ON;"
                      "UPDATE sqlite_master SET sql = replace(replace(sql,"
                      "  'CHECK (kind = ''person'' OR kind = ''document'' OR kind = ''manifest'')',"
                      "  'CHECK (kind IN (''person'',''document'',''manifest''))'),"
                      "  'CHECK (state = ''pending'' OR state = ''confirmed'' OR state = ''false-match'' OR state = ''closed'')',"
                      "  'CHECK (state IN (''pending'',''confirmed'',''false-match'',''closed''))') WHERE name = 'hits';"
                      "UPDATE sqlite_master SET sql = replace(sql,"
                      "  'CHECK (event = ''created'' OR event = ''confirmed'' OR event = ''false-match'' OR event = ''closed'' OR event = ''message'')',"
                      "  'CHECK (event IN (''created'',''confirmed'',''false-match'',''closed'',''message''))')"
                      "  WHERE name = 'hit_events';"
                      "PRAGMA writable_schema=OFF; PRAGMA user_version = 8;");
    /* schema 8's writes open one temporary b-tree per list */
    assert_int_equal(ephemeral_tables(f->path, INSERT_HIT("person", "pending")), 2);
    assert_int_equal(ephemeral_tables(f->path, INSERT_EVENT("message")), 1);
    long long cookie = ctw_test_sql_int(f->path, "PRAGMA schema_version");

    ctw_error err = {0};
    assert_int_equal(ctw_store_open(f->path, 0, &f->s, &err), 0);
    assert_int_equal(ctw_store_schema_version(f->s), 9);
    assert_true(ctw_test_sql_int(f->path, "PRAGMA schema_version") > cookie);
    assert_int_equal(ephemeral_tables(f->path, INSERT_HIT("person", "pending")), 0);
    assert_int_equal(ephemeral_tables(f->path, INSERT_EVENT("message")), 0);
    assert_int_equal(sql_rc(f->path, INSERT_EVENT("deleted")), SQLITE_CONSTRAINT);
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM pragma_integrity_check WHERE integrity_check = 'ok'"), 1);
    /* the hit as it was, and its life goes on */
    assert_string_equal(state_of(f, id), "pending");
    json_t *j = NULL;
    assert_int_equal(ctw_store_hit_decide(f->s, &deu_an, id, "confirmed", NULL, &j), 0);
    json_decref(j);
    assert_string_equal(state_of(f, id), "confirmed");
    assert_int_equal(ctw_test_sql_int(f->path, "SELECT count(*) FROM hit_events"), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_collect),
        cmocka_unit_test_setup_teardown(test_sides_see_what_they_may, setup, teardown),
        cmocka_unit_test_setup_teardown(test_decisions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_messages, setup, teardown),
        cmocka_unit_test_setup_teardown(test_feed_and_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_commits_hits_with_the_entry, setup, teardown),
        cmocka_unit_test(test_hit_ids),
        cmocka_unit_test_setup_teardown(test_writer_submit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_interval_gathers_entries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_interval_only_when_busy, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_stop_does_not_wait_for_the_interval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_schema_9_checks_as_comparisons, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
