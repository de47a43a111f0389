/* test_record.c — record building, dates, scripts, ids, JSON and hashes. */
#include "test_util.h"

#include "ctwatch/json.h"
#include "ctwatch/record.h"

static void test_parse_dates(void **state)
{
    (void)state;
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    ctw_date d;
    static const struct { const char *in, *from; ctw_date_precision p; } ok[] = {
        {"1971-05-02", "1971-05-02", CTW_DATE_EXACT}, {"1971-05", "1971-05", CTW_DATE_MONTH},
        {"1971", "1971", CTW_DATE_YEAR},              {"10 Jul 1963", "1963-07-10", CTW_DATE_EXACT},
        {"Jul 1963", "1963-07", CTW_DATE_MONTH},      {"02/05/1971", "1971-05-02", CTW_DATE_EXACT},
        {"1971/05/02", "1971-05-02", CTW_DATE_EXACT}, {" 2000-02-29 ", "2000-02-29", CTW_DATE_EXACT},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        assert_int_equal(ctw_record_parse_date(r, ok[i].in, &d), 0);
        assert_string_equal(d.from, ok[i].from);
        assert_int_equal(d.precision, ok[i].p);
    }
    static const char *const bad[] = {"1971-13-01", "1900-02-29", "1971-04-31", "circa 1970", "71", "", "abcd"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(ctw_record_parse_date(r, bad[i], &d), CTW_EINVAL);
        assert_null(d.from);
    }
    ctw_record_free(r);
}

static void test_names_and_scripts(void **state)
{
    (void)state;
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    assert_int_equal(ctw_record_add_name(r, "  Usama   bin\tLadin ", CTW_NAME_PRIMARY, NULL), 0);
    assert_int_equal(ctw_record_add_name(r, "Usama bin Ladin", CTW_NAME_PRIMARY, NULL), 0); /* duplicate */
    assert_int_equal(ctw_record_add_name(r, "أسامة بن لادن", CTW_NAME_ORIGINAL, NULL), 0);
    assert_int_equal(ctw_record_add_name(r, "Усама бен Ладен", CTW_NAME_ALIAS_STRONG, "Good"), 0);
    assert_int_equal(ctw_record_add_name(r, "   ", CTW_NAME_ALIAS_WEAK, NULL), 0); /* empty: skipped */
    assert_int_equal(r->names.n, 3);
    assert_string_equal(r->names.v[0].full, "Usama bin Ladin");
    assert_string_equal(r->names.v[0].script, "Latn");
    assert_string_equal(r->names.v[1].script, "Arab");
    assert_string_equal(r->names.v[2].script, "Cyrl");
    assert_string_equal(r->names.v[2].quality, "Good");
    assert_string_equal(ctw_script_of("毛泽东"), "Hani");
    assert_string_equal(ctw_script_of("123 -"), "Zyyy");
    assert_string_equal(ctw_record_display_name(r), "Usama bin Ladin");
    ctw_record_free(r);
}

static void test_ids_are_stable(void **state)
{
    (void)state;
    ctw_record *a = ctw_record_new(CTW_KIND_PERSON), *b = ctw_record_new(CTW_KIND_PERSON);
    a->source = "un-sc"; a->source_id = "QDi.430";
    b->source = "un-sc"; b->source_id = "QDi.431";
    assert_int_equal(ctw_record_make_id(a), 0);
    assert_int_equal(ctw_record_make_id(b), 0);
    assert_int_equal(strlen(a->id), 24);
    assert_true(strncmp(a->id, "ctw-", 4) == 0);
    assert_string_not_equal(a->id, b->id);
    const char *first = a->id;
    assert_int_equal(ctw_record_make_id(a), 0);
    assert_string_equal(first, a->id);
    /* ("un", "-scQDi") must not collide with ("un-sc", "QDi") */
    b->source = "un-scQ"; b->source_id = "Di.430";
    assert_int_equal(ctw_record_make_id(b), 0);
    assert_string_not_equal(a->id, b->id);
    ctw_record_free(a);
    ctw_record_free(b);
}

static void test_content_hash(void **state)
{
    (void)state;
    ctw_record *a = ctw_record_new(CTW_KIND_PERSON), *b = ctw_record_new(CTW_KIND_PERSON);
    ctw_record_add_name(a, "John Smith", CTW_NAME_PRIMARY, NULL);
    ctw_record_add_name(b, "John Smith", CTW_NAME_PRIMARY, NULL);
    a->owner = "A"; b->owner = "B"; /* provenance is not content */
    a->version = 1; b->version = 7;
    char ha[33], hb[33];
    assert_int_equal(ctw_record_content_hash(a, ha), 0);
    assert_int_equal(ctw_record_content_hash(b, hb), 0);
    assert_string_equal(ha, hb);
    ctw_record_add_nationality_text(b, "Syria");
    assert_int_equal(ctw_record_content_hash(b, hb), 0);
    assert_string_not_equal(ha, hb);
    assert_string_equal(b->nationalities.v[0].country, "SYR");
    json_t *o = ctw_record_to_json(b, CTW_JSON_FULL);
    assert_non_null(o);
    assert_string_equal(json_string_value(json_object_get(json_array_get(json_object_get(o, "names"), 0), "kind")),
                        "primary");
    json_decref(o);
    ctw_record_free(a);
    ctw_record_free(b);
}

static void test_invalid_utf8_is_refused_by_json(void **state)
{
    (void)state;
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    ctw_record_add_name(r, "Bad \xff name", CTW_NAME_PRIMARY, NULL);
    assert_null(ctw_record_to_json(r, CTW_JSON_FULL));
    char h[33];
    assert_int_equal(ctw_record_content_hash(r, h), CTW_ENOMEM);
    ctw_record_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse_dates),
        cmocka_unit_test(test_names_and_scripts),
        cmocka_unit_test(test_ids_are_stable),
        cmocka_unit_test(test_content_hash),
        cmocka_unit_test(test_invalid_utf8_is_refused_by_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
