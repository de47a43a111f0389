/* test_travel_store.c — the store's travel tables (issue 4): documents
 * (owner-only changes, the access check on reads, the change feed), rules
 * (versions), movements (one per traveller and flight, links, access and
 * audit on reads). */
#include "test_util.h"

#include <sqlite3.h>

#include "ctwatch/store.h"

typedef struct fixture {
    char *dir;
    char path[600];
    ctw_store *s;
} fixture;

static const ctw_principal fra = {.user = "ana", .agency = "FRA-NCB", .role = CTW_ROLE_SUPERVISOR,
                                  .purpose = "test"};
static const ctw_principal deu = {.user = "udo", .agency = "DEU-NCB", .role = CTW_ROLE_SUPERVISOR,
                                  .purpose = "test"};
static const ctw_principal deu_officer = {.user = "olaf", .agency = "DEU-NCB", .role = CTW_ROLE_OFFICER,
                                          .purpose = "border check"};

static int setup(void **state)
{
    fixture *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/store.db", f->dir);
    ctw_error err;
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE, &f->s, &err), 0);
    ctw_agency a = {.code = "FRA-NCB", .name = "NCB Paris", .country = "FRA", .kind = "ncb"};
    ctw_agency b = {.code = "DEU-NCB", .name = "NCB Wiesbaden", .country = "DEU", .kind = "ncb"};
    assert_int_equal(ctw_store_ensure_agency(f->s, &a), 0);
    assert_int_equal(ctw_store_ensure_agency(f->s, &b), 0);
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

static int64_t count_rows(fixture *f, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open_v2(f->path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static ctw_document doc(const char *number, const char *status)
{
    ctw_document d = {.issuing_state = "FRA", .type = "P", .number = number, .number_norm = number,
                      .status = status, .owner = "FRA-NCB", .reported = "2026-01-05",
                      .restriction = {.kind = CTW_RESTRICT_ALL}};
    return d;
}

static void put_ok(fixture *f, const ctw_principal *p, ctw_document d, int want, int64_t *ref)
{
    int outcome = -1;
    assert_int_equal(ctw_store_begin(f->s), 0);
    assert_int_equal(ctw_store_put_document(f->s, p, &d, &outcome, ref), 0);
    assert_int_equal(ctw_store_commit(f->s), 0);
    assert_int_equal(outcome, want);
}

static void documents_added_changed_unchanged(void **state)
{
    fixture *f = *state;
    int64_t r1 = 0, r2 = 0, r3 = 0;
    put_ok(f, &fra, doc("12AB34567", "stolen"), CTW_PUT_ADDED, &r1);
    put_ok(f, &fra, doc("12AB34567", "stolen"), CTW_PUT_UNCHANGED, &r2);
    assert_true(r1 > 0);
    assert_int_equal(r1, r2);
    put_ok(f, &fra, doc("12AB34567", "revoked"), CTW_PUT_CHANGED, &r3);
    assert_int_equal(r1, r3);
    /* the same number as another type is another document */
    ctw_document id = doc("12AB34567", "lost");
    id.type = "I";
    int64_t r4 = 0;
    put_ok(f, &fra, id, CTW_PUT_ADDED, &r4);
    assert_true(r4 != r1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM documents"), 2);
    /* the review date is five years on */
    assert_int_equal(count_rows(f, "SELECT count(*) FROM documents WHERE review_date > '2030-'"), 2);
}

static void documents_only_owner_writes(void **state)
{
    fixture *f = *state;
    put_ok(f, &fra, doc("X1", "stolen"), CTW_PUT_ADDED, NULL);
    /* DEU may neither report a document as owned by FRA, nor change FRA's */
    ctw_document d = doc("X2", "stolen");
    assert_int_equal(ctw_store_begin(f->s), 0);
    assert_int_equal(ctw_store_put_document(f->s, &deu, &d, NULL, NULL), CTW_EACCES);
    d = doc("X1", "lost");
    assert_int_equal(ctw_store_put_document(f->s, &deu, &d, NULL, NULL), CTW_EACCES);
    d.owner = "DEU-NCB";
    assert_int_equal(ctw_store_put_document(f->s, &deu, &d, NULL, NULL), CTW_EACCES);
    assert_int_equal(ctw_store_commit(f->s), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM documents WHERE status='stolen'"), 1);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM documents"), 1);
}

static void documents_read_is_checked_and_audited(void **state)
{
    fixture *f = *state;
    int64_t open_ref = 0, closed_ref = 0;
    put_ok(f, &fra, doc("OPEN1", "stolen"), CTW_PUT_ADDED, &open_ref);
    ctw_document d = doc("CLOSED1", "lost");
    d.restriction.kind = CTW_RESTRICT_AGENCIES;
    d.restriction.list = "BEL-NCB";
    put_ok(f, &fra, d, CTW_PUT_ADDED, &closed_ref);
    int64_t audit0 = count_rows(f, "SELECT count(*) FROM audit");

    ctw_arena a;
    ctw_arena_init(&a);
    ctw_document out;
    assert_int_equal(ctw_store_get_document(f->s, &deu_officer, open_ref, &a, &out), 0);
    assert_string_equal(out.number, "OPEN1");
    assert_string_equal(out.status, "stolen");
    assert_int_equal(ctw_store_get_document(f->s, &deu_officer, closed_ref, &a, &out), CTW_EACCES);
    assert_null(out.number);                   /* nothing but status and owner */
    assert_string_equal(out.owner, "FRA-NCB");
    assert_string_equal(out.status, "lost");
    assert_int_equal(ctw_store_get_document(f->s, &fra, closed_ref, &a, &out), 0);
    assert_string_equal(out.number, "CLOSED1");
    assert_int_equal(ctw_store_get_document(f->s, &fra, 999999, &a, &out), CTW_ENOTFOUND);
    ctw_arena_free(&a);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM audit"), audit0 + 3);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM audit WHERE action='read-denied'"), 1);
}

typedef struct seen {
    int n;
    int64_t last_seq;
    char ops[8][8];
} seen;

static int count_doc(void *ud, const ctw_document *d)
{
    (void)d;
    ((seen *)ud)->n++;
    return 0;
}

static int note_change(void *ud, int64_t seq, int64_t ref, const char *op)
{
    seen *s = ud;
    (void)ref;
    if (s->n < 8) snprintf(s->ops[s->n], sizeof s->ops[0], "%s", op);
    s->n++;
    s->last_seq = seq;
    return 0;
}

static void documents_feed(void **state)
{
    fixture *f = *state;
    put_ok(f, &fra, doc("F1", "stolen"), CTW_PUT_ADDED, NULL);
    seen all = {0};
    int64_t last = -1;
    assert_int_equal(ctw_store_iterate_documents_system(f->s, "test", count_doc, &all, &last), 0);
    assert_int_equal(all.n, 1);
    assert_int_equal(last, 1);
    put_ok(f, &fra, doc("F1", "lost"), CTW_PUT_CHANGED, NULL);
    put_ok(f, &fra, doc("F2", "lost"), CTW_PUT_ADDED, NULL);
    seen ch = {0};
    assert_int_equal(ctw_store_document_changes(f->s, last, note_change, &ch), 0);
    assert_int_equal(ch.n, 2);
    assert_string_equal(ch.ops[0], "update");
    assert_string_equal(ch.ops[1], "insert");
    assert_int_equal(ch.last_seq, 3);
}

typedef struct rules_seen {
    int n;
    int64_t version;
    char name[64];
} rules_seen;

static int note_rule(void *ud, const ctw_rule_row *r)
{
    rules_seen *s = ud;
    s->n++;
    s->version = r->version;
    snprintf(s->name, sizeof s->name, "%s", r->name);
    return 0;
}

static void rules_are_versioned(void **state)
{
    fixture *f = *state;
    ctw_rule_row r = {.name = "first", .severity = "high", .enabled = true, .definition = "{}"};
    char id[32];
    int64_t v = 0;
    assert_int_equal(ctw_store_put_rule(f->s, &fra, NULL, &r, id, sizeof id, &v), 0);
    assert_string_equal(id, "rule-1");
    assert_int_equal(v, 1);
    r.name = "first, tightened";
    assert_int_equal(ctw_store_put_rule(f->s, &fra, "rule-1", &r, id, sizeof id, &v), 0);
    assert_int_equal(v, 2);
    r.name = "second";
    assert_int_equal(ctw_store_put_rule(f->s, &fra, NULL, &r, id, sizeof id, &v), 0);
    assert_string_equal(id, "rule-2");
    /* an officer may not write rules; an unknown id is not found */
    assert_int_equal(ctw_store_put_rule(f->s, &deu_officer, NULL, &r, id, sizeof id, &v), CTW_EACCES);
    assert_int_equal(ctw_store_put_rule(f->s, &fra, "rule-9", &r, id, sizeof id, &v), CTW_ENOTFOUND);

    rules_seen latest = {0}, all = {0}, one = {0};
    assert_int_equal(ctw_store_iterate_rules(f->s, false, note_rule, &latest), 0);
    assert_int_equal(latest.n, 2);
    assert_int_equal(ctw_store_iterate_rules(f->s, true, note_rule, &all), 0);
    assert_int_equal(all.n, 3);
    assert_int_equal(ctw_store_get_rule(f->s, "rule-1", 1, note_rule, &one), 0);
    assert_string_equal(one.name, "first");
    assert_int_equal(ctw_store_get_rule(f->s, "rule-1", 0, note_rule, &one), 0);
    assert_string_equal(one.name, "first, tightened");
    assert_int_equal(one.version, 2);
    assert_int_equal(ctw_store_get_rule(f->s, "rule-1", 7, note_rule, &one), CTW_ENOTFOUND);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM audit WHERE action='rule-change'"), 3);
}

static ctw_record *person(const char *owner, const char *sid, ctw_restrict_kind k, const char *list)
{
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = "test";
    r->source_id = ctw_record_str(r, sid);
    r->owner = owner;
    r->created = r->updated = "2026-01-02T03:04:05Z";
    r->review_date = "2031-01-02";
    r->restriction.kind = k;
    r->restriction.list = list;
    ctw_record_make_id(r);
    ctw_record_add_name(r, "Test Person", CTW_NAME_PRIMARY, NULL);
    return r;
}

static ctw_movement move(const char *surname, const char *person_id, const char *reason)
{
    ctw_movement m = {.person = person_id, .reason = reason, .score = person_id ? 0.93 : 0,
                      .surname = surname, .given = "A", .birth_date = "1980-01-01",
                      .doc_number = surname, .doc_state = "FRA", .carrier = "AF", .flight = "AF123",
                      .origin = "CDG", .destination = "IST", .departure = "2026-12-01T10:00",
                      .booking = "ABC123", .source = "json", .agency = "DEU-NCB",
                      .recorded = "2026-11-30T12:00:00Z"};
    return m;
}

static void movements_dedupe_link_and_access(void **state)
{
    fixture *f = *state;
    ctw_record *open = person("FRA-NCB", "P1", CTW_RESTRICT_ALL, NULL);
    ctw_record *closed = person("FRA-NCB", "P2", CTW_RESTRICT_AGENCIES, "BEL-NCB");
    assert_int_equal(ctw_store_begin(f->s), 0);
    assert_int_equal(ctw_store_put(f->s, &fra, open), 0);
    assert_int_equal(ctw_store_put(f->s, &fra, closed), 0);

    int64_t a = 0, a2 = 0, b = 0, c = 0;
    ctw_movement ma = move("ONE", open->id, "match");
    ctw_movement mb = move("TWO", NULL, "co-traveller");
    ctw_movement mc = move("THREE", closed->id, "match");  /* a companion who matched a closed record */
    assert_int_equal(ctw_store_add_movement(f->s, &deu, &ma, &a), 0);
    assert_int_equal(ctw_store_add_movement(f->s, &deu, &mb, &b), 0);
    assert_int_equal(ctw_store_add_movement(f->s, &deu, &mc, &c), 0);
    /* the same traveller on the same flight again: the same movement; a
     * later co-traveller sighting does not undo the match */
    ctw_movement again = move("ONE", NULL, "co-traveller");
    assert_int_equal(ctw_store_add_movement(f->s, &deu, &again, &a2), 0);
    assert_int_equal(a, a2);
    assert_int_equal(ctw_store_add_link(f->s, a, b, "same-booking", "2026-12-01", "json"), 0);
    assert_int_equal(ctw_store_add_link(f->s, b, a, "same-booking", "2026-12-01", "json"), 0);
    assert_int_equal(ctw_store_add_link(f->s, a, c, "same-flight", "2026-12-01", "json"), 0);
    ctw_movement bad = move("X", NULL, "rumour");
    assert_int_equal(ctw_store_add_movement(f->s, &deu, &bad, NULL), CTW_EINVAL);
    assert_int_equal(ctw_store_commit(f->s), 0);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM movements"), 3);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM movements WHERE reason='match'"), 2);
    assert_int_equal(count_rows(f, "SELECT count(*) FROM links"), 2);

    json_t *tl = NULL;
    assert_int_equal(ctw_store_person_movements(f->s, &deu_officer, open->id, &tl), 0);
    assert_int_equal(json_array_size(tl), 1);
    json_t *first = json_array_get(tl, 0);
    assert_string_equal(json_string_value(json_object_get(json_object_get(first, "movement"), "flight")),
                        "AF123");
    json_t *co = json_object_get(first, "co_travellers");
    assert_int_equal(json_array_size(co), 2);
    /* DEU may not read the closed record: its companion's person id is gone */
    size_t i;
    json_t *m;
    json_array_foreach(co, i, m) {
        const char *sn = json_string_value(json_object_get(m, "surname"));
        if (strcmp(sn, "THREE") == 0) assert_null(json_object_get(m, "person"));
    }
    json_decref(tl);
    /* FRA (the owner) sees it */
    assert_int_equal(ctw_store_person_movements(f->s, &fra, open->id, &tl), 0);
    json_array_foreach(json_object_get(json_array_get(tl, 0), "co_travellers"), i, m) {
        const char *sn = json_string_value(json_object_get(m, "surname"));
        if (strcmp(sn, "THREE") == 0)
            assert_string_equal(json_string_value(json_object_get(m, "person")), closed->id);
    }
    json_decref(tl);
    /* the movements of a closed record are not given to DEU */
    tl = NULL;
    assert_int_equal(ctw_store_person_movements(f->s, &deu_officer, closed->id, &tl), CTW_EACCES);
    assert_null(tl);
    assert_int_equal(ctw_store_person_movements(f->s, &deu_officer, "no-such-id", &tl), CTW_ENOTFOUND);
    assert_true(count_rows(f, "SELECT count(*) FROM audit WHERE detail LIKE 'movements of%'") >= 2);
    ctw_record_free(open);
    ctw_record_free(closed);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(documents_added_changed_unchanged, setup, teardown),
        cmocka_unit_test_setup_teardown(documents_only_owner_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(documents_read_is_checked_and_audited, setup, teardown),
        cmocka_unit_test_setup_teardown(documents_feed, setup, teardown),
        cmocka_unit_test_setup_teardown(rules_are_versioned, setup, teardown),
        cmocka_unit_test_setup_teardown(movements_dedupe_link_and_access, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
