/* test_manifest_json.c — the plain JSON manifest (ctw_manifest_parse_json),
 * format detection by ctw_manifest_parse, and ctw_manifest_to_json. */
#include "test_util.h"

#include "ctwatch/manifest.h"

static ctw_manifest *parse_ok(const char *s)
{
    ctw_manifest *m = NULL;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_manifest_parse(s, strlen(s), CTW_MANIFEST_DETECT, &m, &err);
    if (rc) fail_msg("rc %d %s: %s", rc, err.where, err.message);
    assert_int_equal(m->format, CTW_MANIFEST_JSON);
    return m;
}

/* A parse that must fail with code at exactly where; *out untouched. */
static void parse_fails(const char *s, int code, const char *where)
{
    ctw_manifest sentinel, *m = &sentinel;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_manifest_parse_json(s, strlen(s), &m, &err);
    if (rc != code) fail_msg("%s: expected %d, got %d (%s: %s)", s, code, rc, err.where, err.message);
    assert_ptr_equal(m, &sentinel);
    assert_true(err.message[0] != '\0');
    if (where && strcmp(err.where, where) != 0) fail_msg("where \"%s\", wanted \"%s\"", err.where, where);
}

static void str_eq(const char *got, const char *want)
{
    if (!want) {
        assert_null(got);
        return;
    }
    if (!got) fail_msg("NULL, wanted \"%s\"", want);
    assert_string_equal(got, want);
}

static const char *doc =
    "{\"flight\": {\"carrier\":\"AF\",\"number\":\"AF123\",\"origin\":\"CDG\",\"destination\":\"JFK\","
    "              \"departure\":\"2026-12-01T10:30\",\"arrival\":\"2026-12-01T13:05\"},"
    " \"travellers\": ["
    "  {\"surname\":\"Dupont\",\"given\":\"Marie  Claire\",\"birth_date\":\"1980-01-31\",\"sex\":\"F\","
    "   \"nationality\":\"FRA\",\"role\":\"passenger\",\"booking\":\"ABC123\",\"booked\":\"2026-11-20T09:00\","
    "   \"itinerary\":[{\"carrier\":\"AF\",\"number\":\"AF123\",\"origin\":\"CDG\",\"destination\":\"JFK\","
    "                  \"departure\":\"2026-12-01T10:30\"},"
    "                 {\"carrier\":\"AF\",\"flight\":\"AF9\",\"origin\":\"JFK\",\"destination\":\"LAX\"}],"
    "   \"seat\":\"12A\",\"embark\":\"CDG\",\"debark\":\"JFK\","
    "   \"documents\":[{\"type\":\"P\",\"number\":\"12AB34567\",\"issuing_state\":\"FRA\",\"expiry\":\"2030-01-01\"},"
    "                  {\"type\":\"I\",\"number\":\"X1\",\"issued\":\"2020-02-29\"}]},"
    "  {\"surname\":\"Dupont\",\"given\":\"Paul\",\"role\":\"infant\",\"booking\":\"ABC123\",\"sex\":\"m\","
    "   \"documents\":null,\"seat\":null},"
    "  {\"surname\":\"Smith\",\"role\":\"crew\",\"residence\":\"GBR\",\"birth_place\":\"Leeds\",\"reference\":\"C1\","
    "   \"title\":\"DR\",\"shoe_size\":44},"
    "  {\"given\":\"Ahmad\",\"booked\":\"2026-10-01\",\"shoe_size\":45}"
    " ]}";

static void test_full_document(void **state)
{
    (void)state;
    ctw_manifest *m = parse_ok(doc);
    str_eq(m->version, "json");
    assert_int_equal(m->n_legs, 1);
    const ctw_leg *l = &m->legs[0];
    str_eq(l->carrier, "AF");
    str_eq(l->flight, "AF123");
    str_eq(l->origin, "CDG");
    str_eq(l->destination, "JFK");
    str_eq(l->departure, "2026-12-01T10:30");
    str_eq(l->arrival, "2026-12-01T13:05");
    assert_int_equal(m->n_travellers, 4);
    const ctw_traveller *t = &m->travellers[0];
    str_eq(t->surname, "Dupont");
    str_eq(t->given, "Marie Claire");  /* runs of spaces made one */
    str_eq(t->birth_date, "1980-01-31");
    assert_int_equal(t->sex, 'F');
    str_eq(t->nationality, "FRA");
    assert_int_equal(t->role, CTW_TRAVELLER_PASSENGER);
    str_eq(t->seat, "12A");
    str_eq(t->embark, "CDG");
    str_eq(t->debark, "JFK");
    assert_int_equal(t->n_documents, 2);
    str_eq(t->documents[0].type, "P");
    str_eq(t->documents[0].number, "12AB34567");
    str_eq(t->documents[0].issuing_state, "FRA");
    str_eq(t->documents[0].expiry, "2030-01-01");
    str_eq(t->documents[1].issued, "2020-02-29");
    /* the two Duponts share booking ABC123 */
    assert_int_equal(m->n_bookings, 2);
    assert_int_equal(t->booking, 0);
    assert_int_equal(m->travellers[1].booking, 0);
    const ctw_booking *b = &m->bookings[0];
    str_eq(b->locator, "ABC123");
    str_eq(b->created, "2026-11-20T09:00");
    assert_int_equal(b->n_legs, 2);
    str_eq(b->legs[0].flight, "AF123");
    str_eq(b->legs[1].flight, "AF9");
    str_eq(b->legs[1].destination, "LAX");
    t = &m->travellers[1];
    assert_int_equal(t->role, CTW_TRAVELLER_INFANT);
    assert_int_equal(t->sex, 'M');
    assert_null(t->seat);
    assert_int_equal(t->n_documents, 0);
    t = &m->travellers[2];
    assert_int_equal(t->role, CTW_TRAVELLER_CREW);
    str_eq(t->title, "DR");
    str_eq(t->residence, "GBR");
    str_eq(t->birth_place, "Leeds");
    str_eq(t->reference, "C1");
    assert_int_equal(t->booking, -1);
    /* a booking date without locator: a booking of its own */
    t = &m->travellers[3];
    str_eq(t->given, "Ahmad");
    assert_int_equal(t->booking, 1);
    assert_null(m->bookings[1].locator);
    str_eq(m->bookings[1].created, "2026-10-01");
    /* an unknown key is warned about once, by name */
    assert_int_equal(m->n_warnings, 1);
    str_eq(m->warnings[0].code, "unknown_field");
    assert_non_null(strstr(m->warnings[0].message, "travellers[2].shoe_size"));
    ctw_manifest_free(m);
}

static void test_wrong_types_name_the_path(void **state)
{
    (void)state;
    parse_fails("{\"travellers\":[{\"surname\":\"A\"},{\"surname\":\"B\"},{\"surname\":\"C\"},"
                "{\"surname\":\"D\",\"documents\":[{\"number\":12345}]}]}",
                CTW_EPARSE, "travellers[3].documents[0].number");
    parse_fails("{\"travellers\":[{\"surname\":7}]}", CTW_EPARSE, "travellers[0].surname");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"documents\":{}}]}", CTW_EPARSE,
                "travellers[0].documents");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"documents\":[1]}]}", CTW_EPARSE,
                "travellers[0].documents[0]");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"itinerary\":[{\"origin\":[]}]}]}", CTW_EPARSE,
                "travellers[0].itinerary[0].origin");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"itinerary\":\"CDG\"}]}", CTW_EPARSE,
                "travellers[0].itinerary");
    parse_fails("{\"flight\":{\"departure\":true},\"travellers\":[]}", CTW_EPARSE, "flight.departure");
    parse_fails("{\"flight\":[],\"travellers\":[]}", CTW_EPARSE, "flight");
    parse_fails("{\"travellers\":{}}", CTW_EPARSE, "travellers");
    parse_fails("{\"flight\":{}}", CTW_EPARSE, "travellers");
    parse_fails("{\"travellers\":[\"Smith\"]}", CTW_EPARSE, "travellers[0]");
    parse_fails("[]", CTW_EPARSE, "manifest");
    /* values outside their lists and dates that are no dates */
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"sex\":\"male\"}]}", CTW_EPARSE, "travellers[0].sex");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"role\":\"pilot\"}]}", CTW_EPARSE, "travellers[0].role");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"birth_date\":\"31/01/1980\"}]}", CTW_EPARSE,
                "travellers[0].birth_date");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"birth_date\":\"1981-02-29\"}]}", CTW_EPARSE,
                "travellers[0].birth_date");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"birth_date\":\"1980-01-31T10:00\"}]}", CTW_EPARSE,
                "travellers[0].birth_date");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"booked\":\"2026-11-20T25:00\"}]}", CTW_EPARSE,
                "travellers[0].booked");
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"documents\":[{\"expiry\":\"2030\"}]}]}", CTW_EPARSE,
                "travellers[0].documents[0].expiry");
    parse_fails("{\"travellers\":[{\"sex\":\"M\"}]}", CTW_EPARSE, "travellers[0]");
}

static void test_syntax_and_duplicates(void **state)
{
    (void)state;
    parse_fails("{\"travellers\":[{\"surname\":\"A\",\"surname\":\"B\"}]}", CTW_EPARSE, NULL);
    parse_fails("{\"travellers\":[", CTW_EPARSE, NULL);
    parse_fails("", CTW_EPARSE, NULL);
    parse_fails("{\"travellers\":[{\"surname\":\"A\\u0000B\"}]}", CTW_EPARSE, NULL);
    ctw_error err;
    ctw_manifest sentinel, *m = &sentinel;
    assert_int_equal(ctw_manifest_parse_json("{\"travellers\":[}", 16, &m, &err), CTW_EPARSE);
    assert_non_null(strstr(err.where, "line 1"));
    assert_ptr_equal(m, &sentinel);
    assert_int_equal(ctw_manifest_parse_json(NULL, 0, &m, &err), CTW_EINVAL);
    assert_int_equal(ctw_manifest_parse(NULL, 0, CTW_MANIFEST_DETECT, &m, &err), CTW_EINVAL);
}

static void test_limits(void **state)
{
    (void)state;
    size_t n = CTW_MANIFEST_MAX_TRAVELLERS + 1;
    size_t cap = 64 + n * 16;
    char *b = malloc(cap);
    assert_non_null(b);
    size_t k = (size_t)snprintf(b, cap, "{\"travellers\":[");
    for (size_t i = 0; i < n; i++) k += (size_t)snprintf(b + k, cap - k, "%s{\"surname\":\"S\"}", i ? "," : "");
    k += (size_t)snprintf(b + k, cap - k, "]}");
    parse_fails(b, CTW_ELIMIT, "travellers");
    /* one fewer is fine */
    char *last = strrchr(b, '{');
    memcpy(last - 1, "]}", 3);
    ctw_manifest *m = parse_ok(b);
    assert_int_equal(m->n_travellers, CTW_MANIFEST_MAX_TRAVELLERS);
    ctw_manifest_free(m);
    free(b);

    size_t big = (size_t)CTW_MANIFEST_MAX_BYTES + 1;
    b = malloc(big);
    assert_non_null(b);
    memset(b, ' ', big);
    b[0] = '{';
    ctw_error err;
    ctw_manifest sentinel, *mp = &sentinel;
    assert_int_equal(ctw_manifest_parse_json(b, big, &mp, &err), CTW_ELIMIT);
    assert_int_equal(ctw_manifest_parse(b, big, CTW_MANIFEST_DETECT, &mp, &err), CTW_ELIMIT);
    assert_ptr_equal(mp, &sentinel);
    free(b);

    /* warnings: one per unknown key name, at most 256 kept */
    cap = 64 + 300 * 24;
    b = malloc(cap);
    assert_non_null(b);
    k = (size_t)snprintf(b, cap, "{\"travellers\":[{\"surname\":\"S\"");
    for (int i = 0; i < 300; i++) k += (size_t)snprintf(b + k, cap - k, ",\"x%d\":1", i);
    snprintf(b + k, cap - k, "}]}");
    m = parse_ok(b);
    assert_true(m->n_warnings + m->n_warnings_dropped >= 32);  /* names past 32 are not remembered */
    assert_true(m->n_warnings <= CTW_MANIFEST_MAX_WARNINGS);
    ctw_manifest_free(m);
    free(b);
}

static void test_detection(void **state)
{
    (void)state;
    ctw_manifest *m = NULL;
    ctw_error err;
    const char *p = "\xEF\xBB\xBF\r\n UNA:+.? 'UNB+UNOA:4+X'UNH+1+PAXLST:D:05B:UN:IATA'NAD+FL+++A:B'UNT+3+1'";
    assert_int_equal(ctw_manifest_parse(p, strlen(p), CTW_MANIFEST_DETECT, &m, &err), 0);
    assert_int_equal(m->format, CTW_MANIFEST_PAXLST);
    ctw_manifest_free(m);
    const char *q = "UNB+IATA:1+DL'UNH+1+PNRGOV:10:1:IA'SRC'TIF+A+B:A:1'UNT+4+1'";
    assert_int_equal(ctw_manifest_parse(q, strlen(q), CTW_MANIFEST_DETECT, &m, &err), 0);
    assert_int_equal(m->format, CTW_MANIFEST_PNRGOV);
    str_eq(ctw_manifest_format_name(m->format), "pnrgov");
    ctw_manifest_free(m);
    /* an explicit format is used as given */
    assert_int_equal(ctw_manifest_parse(q, strlen(q), CTW_MANIFEST_PAXLST, &m, &err), CTW_EPARSE);
    assert_int_equal(ctw_manifest_parse(q, strlen(q), CTW_MANIFEST_PNRGOV, &m, &err), 0);
    ctw_manifest_free(m);
    const char *j = " {\"travellers\":[]}";
    assert_int_equal(ctw_manifest_parse(j, strlen(j), CTW_MANIFEST_JSON, &m, &err), 0);
    ctw_manifest_free(m);

    ctw_manifest sentinel, *s = &sentinel;
    const char *o = "UNB+UNOA:4+X'UNH+1+CUSRES:D:96A'UNT+2+1'";
    assert_int_equal(ctw_manifest_parse(o, strlen(o), CTW_MANIFEST_DETECT, &s, &err), CTW_EUNSUPPORTED);
    assert_non_null(strstr(err.message, "CUSRES"));
    assert_int_equal(ctw_manifest_parse("hello", 5, CTW_MANIFEST_DETECT, &s, &err), CTW_EUNSUPPORTED);
    assert_int_equal(ctw_manifest_parse("", 0, CTW_MANIFEST_DETECT, &s, &err), CTW_EUNSUPPORTED);
    const char *bad = "UNA:+'UNH+1+PAXLST'";
    assert_int_equal(ctw_manifest_parse(bad, strlen(bad), CTW_MANIFEST_DETECT, &s, &err), CTW_EPARSE);
    assert_int_equal(ctw_manifest_parse("x", 1, (ctw_manifest_format)42, &s, &err), CTW_EINVAL);
    assert_ptr_equal(s, &sentinel);
}

static void test_to_json(void **state)
{
    (void)state;
    ctw_manifest *m = parse_ok(doc);
    json_t *j = ctw_manifest_to_json(m);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "format")), "json");
    assert_string_equal(json_string_value(json_object_get(j, "version")), "json");
    assert_null(json_object_get(j, "message_ref"));
    json_t *f = json_object_get(j, "flight");
    assert_string_equal(json_string_value(json_object_get(f, "flight")), "AF123");
    assert_string_equal(json_string_value(json_object_get(f, "arrival")), "2026-12-01T13:05");
    assert_int_equal(json_array_size(json_object_get(j, "legs")), 1);
    json_t *bks = json_object_get(j, "bookings");
    assert_int_equal(json_array_size(bks), 2);
    json_t *b0 = json_array_get(bks, 0);
    assert_string_equal(json_string_value(json_object_get(b0, "locator")), "ABC123");
    assert_string_equal(json_string_value(json_object_get(b0, "created")), "2026-11-20T09:00");
    assert_int_equal(json_array_size(json_object_get(b0, "legs")), 2);
    json_t *trs = json_object_get(j, "travellers");
    assert_int_equal(json_array_size(trs), 4);
    json_t *t1 = json_array_get(trs, 1);
    assert_string_equal(json_string_value(json_object_get(t1, "role")), "infant");
    assert_string_equal(json_string_value(json_object_get(t1, "booking")), "ABC123");
    json_t *t3 = json_array_get(trs, 3);
    assert_string_equal(json_string_value(json_object_get(t3, "booking")), "");  /* no locator */
    json_t *t2 = json_array_get(trs, 2);
    assert_null(json_object_get(t2, "booking"));
    assert_string_equal(json_string_value(json_object_get(t2, "title")), "DR");
    assert_int_equal(json_array_size(json_object_get(j, "warnings")), 1);
    assert_int_equal(json_integer_value(json_object_get(j, "warnings_dropped")), 0);
    json_decref(j);
    ctw_manifest_free(m);

    /* a manifest with no flight says so */
    m = parse_ok("{\"travellers\":[]}");
    j = ctw_manifest_to_json(m);
    assert_true(json_is_null(json_object_get(j, "flight")));
    assert_int_equal(json_array_size(json_object_get(j, "travellers")), 0);
    json_decref(j);
    ctw_manifest_free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_full_document), cmocka_unit_test(test_wrong_types_name_the_path),
        cmocka_unit_test(test_syntax_and_duplicates), cmocka_unit_test(test_limits),
        cmocka_unit_test(test_detection),     cmocka_unit_test(test_to_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
