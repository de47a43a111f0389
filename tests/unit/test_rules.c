/* test_rules.c — risk rules: every field and operator on a hand-built
 * manifest, and/or/not, explanations, canonical definitions, and each kind
 * of invalid rule with the exact path it is reported at. */
#include "test_util.h"

#include <jansson.h>

#include "ctwatch/rules.h"

/* ---- a hand-built manifest ---------------------------------------------------
 *
 * Flight LH0400 FRA → IAD, departing 2026-03-10T10:30.
 *   t0 passenger, born 2000-03-11 (25 at departure, 26 the next day), M,
 *      nationality "syr" as sent, passport SYR expiring in 30 days; booking 0,
 *      made 2026-03-08T12:30, itinerary DAM → IST → FRA → IAD (one way).
 *   t1 passenger on booking 0, no birth date, F, nationality "D" (Germany
 *      in ICAO 9303), no document.
 *   t2 crew, born 1980-01-01, nationality FRA, identity card without
 *      expiry, no booking; no embark/debark (the flight's airports count).
 *   t3 passenger, booking 1 made 2026-01-01: FRA → IAD, IAD → FRA (return).
 */
static ctw_leg leg(ctw_arena *a, const char *carrier, const char *flight, const char *from, const char *to,
                   const char *dep)
{
    ctw_leg l = {ctw_arena_strdup(a, carrier), ctw_arena_strdup(a, flight), ctw_arena_strdup(a, from),
                 ctw_arena_strdup(a, to), ctw_arena_strdup(a, dep), NULL};
    return l;
}

static ctw_manifest *manifest_new(void)
{
    ctw_manifest *m = calloc(1, sizeof *m);
    assert_non_null(m);
    ctw_arena_init(&m->arena);
    ctw_arena *a = &m->arena;
    m->format = CTW_MANIFEST_JSON;
    m->version = "json";

    m->n_legs = 1;
    m->legs = ctw_arena_alloc(a, sizeof *m->legs);
    m->legs[0] = leg(a, "LH", "LH0400", "FRA", "IAD", "2026-03-10T10:30");

    m->n_bookings = 2;
    m->bookings = ctw_arena_alloc(a, 2 * sizeof *m->bookings);
    memset(m->bookings, 0, 2 * sizeof *m->bookings);
    m->bookings[0].locator = "ABC123";
    m->bookings[0].created = "2026-03-08T12:30";
    m->bookings[0].n_legs = 3;
    m->bookings[0].legs = ctw_arena_alloc(a, 3 * sizeof(ctw_leg));
    m->bookings[0].legs[0] = leg(a, "RB", "RB0441", "DAM", "IST", "2026-03-09T08:00");
    m->bookings[0].legs[1] = leg(a, "TK", "TK1587", "IST", "FRA", "2026-03-10T06:00");
    m->bookings[0].legs[2] = leg(a, "LH", "LH0400", "FRA", "IAD", "2026-03-10T10:30");
    m->bookings[1].locator = "XYZ789";
    m->bookings[1].created = "2026-01-01T00:00";
    m->bookings[1].n_legs = 2;
    m->bookings[1].legs = ctw_arena_alloc(a, 2 * sizeof(ctw_leg));
    m->bookings[1].legs[0] = leg(a, "LH", "LH0400", "FRA", "IAD", "2026-03-10T10:30");
    m->bookings[1].legs[1] = leg(a, "LH", "LH0401", "IAD", "FRA", "2026-03-20T17:00");

    m->n_travellers = 4;
    m->travellers = ctw_arena_alloc(a, 4 * sizeof *m->travellers);
    memset(m->travellers, 0, 4 * sizeof *m->travellers);
    ctw_traveller *t = m->travellers;
    t[0] = (ctw_traveller){.role = CTW_TRAVELLER_PASSENGER, .surname = "HADDAD", .given = "ALI",
                           .birth_date = "2000-03-11", .sex = 'M', .nationality = "syr", .embark = "FRA",
                           .debark = "IAD", .booking = 0, .n_documents = 1};
    t[0].documents = ctw_arena_alloc(a, sizeof(ctw_travel_doc));
    t[0].documents[0] = (ctw_travel_doc){"P", "N0123456", "SYR", "2026-04-09", NULL};
    t[1] = (ctw_traveller){.role = CTW_TRAVELLER_PASSENGER, .surname = "HADDAD", .given = "MAYA", .sex = 'F',
                           .nationality = "D", .embark = "FRA", .debark = "IAD", .booking = 0};
    t[2] = (ctw_traveller){.role = CTW_TRAVELLER_CREW, .surname = "MARTIN", .birth_date = "1980-01-01",
                           .sex = 'F', .nationality = "FRA", .booking = -1, .n_documents = 1};
    t[2].documents = ctw_arena_alloc(a, sizeof(ctw_travel_doc));
    t[2].documents[0] = (ctw_travel_doc){"I", "X4RTBPFW4", "FRA", NULL, NULL};
    t[3] = (ctw_traveller){.role = CTW_TRAVELLER_PASSENGER, .surname = "SMITH", .birth_date = "1970-06-15",
                           .sex = 'M', .nationality = "USA", .embark = "FRA", .debark = "IAD", .booking = 1};
    return m;
}

static void manifest_free(ctw_manifest *m)
{
    ctw_arena_free(&m->arena);
    free(m);
}

static int setup(void **state)
{
    *state = manifest_new();
    return 0;
}

static int teardown(void **state)
{
    manifest_free(*state);
    return 0;
}

static ctw_rule *parse_ok(const char *text)
{
    ctw_rule *r = NULL;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_rule_parse_text(text, strlen(text), &r, &err);
    if (rc != 0) fail_msg("%s: rc %d at \"%s\": %s", text, rc, err.where, err.message);
    return r;
}

/* Evaluate a single condition (JSON text) for traveller t. */
static int eval_cond(const ctw_manifest *m, size_t t, const char *cond)
{
    char text[4096];
    snprintf(text, sizeof text, "{\"name\": \"test\", \"when\": %s}", cond);
    ctw_rule *r = parse_ok(text);
    json_t *matched = NULL;
    int rc = ctw_rule_eval(r, m, t, &matched);
    assert_true(rc == 0 || rc == 1);
    assert_true(rc == 1 ? json_is_array(matched) && json_array_size(matched) > 0 : matched == NULL);
    json_decref(matched);
    ctw_rule_free(r);
    return rc;
}

typedef struct ecase {
    size_t t;
    const char *cond;
    int fired;
} ecase;

static void run_cases(const ctw_manifest *m, const ecase *c, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int got = eval_cond(m, c[i].t, c[i].cond);
        if (got != c[i].fired) fail_msg("t%zu %s: expected %d, got %d", c[i].t, c[i].cond, c[i].fired, got);
    }
}

#define C(t, field, op, value, fired) {t, "{\"field\": \"" field "\", \"op\": \"" op "\", \"value\": " value "}", fired}

static void test_route_fields(void **state)
{
    static const ecase cases[] = {
        C(0, "route.origin", "eq", "\"FRA\"", 1), C(0, "route.origin", "eq", "\"fra\"", 1),
        C(0, "route.origin", "eq", "\"DAM\"", 0), C(0, "route.origin", "ne", "\"DAM\"", 1),
        C(0, "route.origin", "eq", "\"EDDF\"", 1), /* ICAO in the rule becomes IATA */
        C(2, "route.origin", "eq", "\"FRA\"", 1),  /* no embark: the flight's */
        C(0, "route.destination", "eq", "\"IAD\"", 1), C(0, "route.destination", "in", "[\"JFK\", \"IAD\"]", 1),
        C(0, "route.destination", "not_in", "[\"JFK\", \"IAD\"]", 0),
        C(0, "route.airports", "in", "[\"DAM\"]", 1), C(0, "route.airports", "eq", "\"IST\"", 1),
        C(0, "route.airports", "not_in", "[\"DAM\", \"BGW\"]", 0), C(0, "route.airports", "ne", "\"IST\"", 0),
        C(2, "route.airports", "in", "[\"DAM\"]", 0), C(2, "route.airports", "not_in", "[\"DAM\"]", 1),
        C(2, "route.airports", "ne", "\"DAM\"", 1), C(2, "route.airports", "eq", "\"IAD\"", 1),
        C(0, "route.origin_country", "eq", "\"DEU\"", 1), C(0, "route.origin_country", "eq", "\"de\"", 1),
        C(0, "route.destination_country", "eq", "\"USA\"", 1),
        C(0, "route.destination_country", "eq", "\"United States\"", 1),
        C(0, "route.countries", "in", "[\"SYR\", \"IRQ\"]", 1), C(3, "route.countries", "in", "[\"SYR\", \"IRQ\"]", 0),
        C(0, "route.countries", "eq", "\"TUR\"", 1), C(3, "route.countries", "not_in", "[\"SYR\"]", 1),
        C(0, "route.countries", "not_in", "[\"SYR\"]", 0), C(0, "route.countries", "ne", "\"SYR\"", 0),
        C(3, "route.countries", "exists", "true", 1),
    };
    run_cases(*state, cases, sizeof cases / sizeof cases[0]);
}

static void test_flight_and_traveller_fields(void **state)
{
    static const ecase cases[] = {
        C(0, "flight.carrier", "eq", "\"LH\"", 1), C(0, "flight.carrier", "in", "[\"UA\", \"lh\"]", 1),
        C(0, "flight.carrier", "ne", "\"LH\"", 0),
        C(0, "flight.number", "eq", "\"LH400\"", 1), C(0, "flight.number", "eq", "\"lh 0400\"", 1),
        C(0, "flight.number", "eq", "\"LH401\"", 0), C(0, "flight.number", "in", "[\"UA989\", \"LH400\"]", 1),
        C(0, "traveller.age", "eq", "25", 1), C(0, "traveller.age", "between", "[18, 30]", 1),
        C(0, "traveller.age", "between", "[25, 25]", 1), C(0, "traveller.age", "between", "[26, 30]", 0),
        C(0, "traveller.age", "lt", "25", 0), C(0, "traveller.age", "le", "25", 1),
        C(0, "traveller.age", "gt", "24.5", 1), C(0, "traveller.age", "ge", "26", 0),
        C(0, "traveller.age", "ne", "25", 0), C(0, "traveller.age", "in", "[18, 25]", 1),
        C(0, "traveller.age", "not_in", "[18, 25]", 0), C(3, "traveller.age", "eq", "55", 1),
        /* unknown birth date: every test false, exists tells */
        C(1, "traveller.age", "lt", "200", 0), C(1, "traveller.age", "ge", "0", 0),
        C(1, "traveller.age", "ne", "25", 0), C(1, "traveller.age", "not_in", "[25]", 0),
        C(1, "traveller.age", "exists", "true", 0), C(1, "traveller.age", "exists", "false", 1),
        C(0, "traveller.age", "exists", "true", 1),
        C(1, "traveller.sex", "eq", "\"f\"", 1), C(0, "traveller.sex", "ne", "\"M\"", 0),
        C(0, "traveller.sex", "in", "[\"X\", \"M\"]", 1),
        C(0, "traveller.nationality", "eq", "\"SYR\"", 1), C(1, "traveller.nationality", "eq", "\"DEU\"", 1),
        C(0, "traveller.nationality", "in", "[\"Syria\", \"IQ\"]", 1),
        C(2, "traveller.nationality", "not_in", "[\"SYR\", \"IRQ\"]", 1),
        C(0, "traveller.residence", "exists", "true", 0),
        C(2, "traveller.role", "eq", "\"crew\"", 1), C(0, "traveller.role", "eq", "\"passenger\"", 1),
        C(0, "traveller.role", "in", "[\"crew\", \"INFANT\"]", 0), C(0, "traveller.role", "ne", "\"crew\"", 1),
    };
    run_cases(*state, cases, sizeof cases / sizeof cases[0]);
}

static void test_document_and_booking_fields(void **state)
{
    static const ecase cases[] = {
        C(0, "document.type", "eq", "\"P\"", 1), C(2, "document.type", "eq", "\"i\"", 1),
        C(1, "document.type", "ne", "\"P\"", 0), /* no document: false */
        C(0, "document.issuing_state", "eq", "\"SYR\"", 1), C(2, "document.issuing_state", "in", "[\"FRA\"]", 1),
        C(0, "document.expires_in_days", "eq", "30", 1), C(0, "document.expires_in_days", "lt", "31", 1),
        C(0, "document.expires_in_days", "lt", "30", 0), C(2, "document.expires_in_days", "lt", "100000", 0),
        C(1, "document.expires_in_days", "ge", "0", 0), C(2, "document.expires_in_days", "exists", "false", 1),
        C(1, "document.missing", "eq", "true", 1), C(0, "document.missing", "eq", "true", 0),
        C(0, "document.missing", "ne", "true", 1), C(0, "document.missing", "exists", "true", 1),
        /* booking 0 made 2026-03-08T12:30, first leg 2026-03-09T08:00: 19.5 hours */
        C(0, "booking.hours_before_departure", "eq", "19.5", 1),
        C(0, "booking.hours_before_departure", "lt", "48", 1),
        C(3, "booking.hours_before_departure", "lt", "48", 0),
        C(3, "booking.hours_before_departure", "gt", "1000", 1),
        C(2, "booking.hours_before_departure", "lt", "1e9", 0),
        C(0, "booking.one_way", "eq", "true", 1), C(3, "booking.one_way", "eq", "false", 1),
        C(3, "booking.one_way", "ne", "false", 0), C(2, "booking.one_way", "eq", "false", 0),
        C(2, "booking.one_way", "exists", "true", 0),
        C(0, "booking.companions", "eq", "1", 1), C(1, "booking.companions", "eq", "1", 1),
        C(3, "booking.companions", "eq", "0", 1), C(2, "booking.companions", "eq", "0", 0),
        C(0, "booking.legs", "eq", "3", 1), C(3, "booking.legs", "between", "[1, 2]", 1),
        C(2, "booking.legs", "exists", "true", 0),
    };
    run_cases(*state, cases, sizeof cases / sizeof cases[0]);
}

static void test_and_or_not(void **state)
{
    static const ecase cases[] = {
        {0, "{\"all\": [{\"field\": \"traveller.age\", \"op\": \"lt\", \"value\": 30},"
            "{\"field\": \"traveller.sex\", \"op\": \"eq\", \"value\": \"M\"}]}", 1},
        {3, "{\"all\": [{\"field\": \"traveller.age\", \"op\": \"lt\", \"value\": 30},"
            "{\"field\": \"traveller.sex\", \"op\": \"eq\", \"value\": \"M\"}]}", 0},
        {3, "{\"any\": [{\"field\": \"traveller.age\", \"op\": \"lt\", \"value\": 30},"
            "{\"field\": \"traveller.sex\", \"op\": \"eq\", \"value\": \"M\"}]}", 1},
        {2, "{\"any\": [{\"field\": \"traveller.age\", \"op\": \"lt\", \"value\": 30},"
            "{\"field\": \"traveller.sex\", \"op\": \"eq\", \"value\": \"M\"}]}", 0},
        {2, "{\"not\": {\"field\": \"traveller.sex\", \"op\": \"eq\", \"value\": \"M\"}}", 1},
        {0, "{\"not\": {\"not\": {\"field\": \"traveller.sex\", \"op\": \"eq\", \"value\": \"M\"}}}", 1},
        /* unknown is false, so not(unknown) is true */
        {1, "{\"not\": {\"field\": \"traveller.age\", \"op\": \"lt\", \"value\": 18}}", 1},
        {1, "{\"all\": [{\"field\": \"traveller.age\", \"op\": \"exists\"},"
            "{\"not\": {\"field\": \"traveller.age\", \"op\": \"lt\", \"value\": 18}}]}", 0},
        {0, "{\"all\": [{\"any\": [{\"field\": \"route.countries\", \"op\": \"in\", \"value\": [\"IRQ\"]},"
            "{\"field\": \"route.countries\", \"op\": \"in\", \"value\": [\"SYR\"]}]},"
            "{\"not\": {\"any\": [{\"field\": \"traveller.nationality\", \"op\": \"eq\", \"value\": \"FRA\"},"
            "{\"field\": \"document.missing\", \"op\": \"eq\", \"value\": true}]}}]}", 1},
    };
    run_cases(*state, cases, sizeof cases / sizeof cases[0]);
}

static const char example_rule[] =
    "{\"name\": \"Young one-way travellers from conflict zones\", \"description\": \"example\","
    " \"severity\": \"high\", \"when\": {\"all\": ["
    "  {\"field\": \"route.countries\", \"op\": \"in\", \"value\": [\"SYR\", \"IRQ\"]},"
    "  {\"field\": \"traveller.age\", \"op\": \"between\", \"value\": [18, 30]},"
    "  {\"field\": \"booking.one_way\", \"op\": \"eq\", \"value\": true},"
    "  {\"not\": {\"field\": \"traveller.nationality\", \"op\": \"in\", \"value\": [\"FRA\"]}},"
    "  {\"any\": [ {\"field\": \"booking.hours_before_departure\", \"op\": \"lt\", \"value\": 48},"
    "            {\"field\": \"booking.companions\", \"op\": \"eq\", \"value\": 0} ]} ]}}";

static void assert_json_text(json_t *got, const char *want_text)
{
    json_error_t jerr;
    json_t *want = json_loads(want_text, 0, &jerr);
    if (!want) fail_msg("bad expected JSON: %s", jerr.text);
    if (!json_equal(got, want)) {
        char *g = json_dumps(got, JSON_COMPACT | JSON_ENCODE_ANY);
        fail_msg("got %s\nwant %s", g ? g : "NULL", want_text);
    }
    json_decref(want);
}

static void test_explanation(void **state)
{
    ctw_manifest *m = *state;
    ctw_rule *r = parse_ok(example_rule);
    assert_string_equal(ctw_rule_name(r), "Young one-way travellers from conflict zones");
    assert_string_equal(ctw_rule_severity(r), "high");
    json_t *matched = NULL;
    assert_int_equal(ctw_rule_eval(r, m, 0, &matched), 1);
    assert_json_text(matched,
        "[{\"path\":\"when.all[0]\",\"field\":\"route.countries\",\"op\":\"in\",\"value\":[\"IRQ\",\"SYR\"],"
        "  \"actual\":[\"DEU\",\"SYR\",\"TUR\",\"USA\"]},"
        " {\"path\":\"when.all[1]\",\"field\":\"traveller.age\",\"op\":\"between\",\"value\":[18,30],\"actual\":25},"
        " {\"path\":\"when.all[2]\",\"field\":\"booking.one_way\",\"op\":\"eq\",\"value\":true,\"actual\":true},"
        " {\"path\":\"when.all[3].not\",\"field\":\"traveller.nationality\",\"op\":\"in\",\"value\":[\"FRA\"],"
        "  \"actual\":\"SYR\",\"negated\":true},"
        " {\"path\":\"when.all[4].any[0]\",\"field\":\"booking.hours_before_departure\",\"op\":\"lt\",\"value\":48,"
        "  \"actual\":19.5}]");
    json_decref(matched);

    /* t1: same booking, but no birth date: does not fire, matched is NULL */
    matched = json_object();
    json_t *before = matched;
    assert_int_equal(ctw_rule_eval(r, m, 1, &matched), 0);
    assert_null(matched);
    json_decref(before);
    /* no explanation asked for */
    assert_int_equal(ctw_rule_eval(r, m, 0, NULL), 1);
    assert_int_equal(ctw_rule_eval(r, m, 3, NULL), 0);
    ctw_rule_free(r);

    /* not over an unknown fact says why */
    r = parse_ok("{\"name\": \"n\", \"when\": {\"not\": {\"field\": \"traveller.age\", \"op\": \"lt\", \"value\": 18}}}");
    assert_int_equal(ctw_rule_eval(r, m, 1, &matched), 1);
    assert_json_text(matched, "[{\"path\":\"when.not\",\"field\":\"traveller.age\",\"op\":\"lt\",\"value\":18,"
                              "\"actual\":null,\"unknown\":\"birth date unknown\",\"negated\":true}]");
    json_decref(matched);
    ctw_rule_free(r);

    /* not over a group shows the group; any lists every true member */
    r = parse_ok("{\"name\": \"g\", \"when\": {\"all\": ["
                 "{\"not\": {\"all\": [{\"field\": \"traveller.sex\", \"op\": \"eq\", \"value\": \"F\"}]}},"
                 "{\"any\": [{\"field\": \"traveller.sex\", \"op\": \"eq\", \"value\": \"M\"},"
                 "           {\"field\": \"flight.carrier\", \"op\": \"eq\", \"value\": \"UA\"},"
                 "           {\"field\": \"flight.number\", \"op\": \"eq\", \"value\": \"LH400\"}]}]}}");
    assert_int_equal(ctw_rule_eval(r, m, 0, &matched), 1);
    assert_json_text(matched,
        "[{\"path\":\"when.all[0].not\",\"negated\":true,"
        "  \"condition\":{\"all\":[{\"field\":\"traveller.sex\",\"op\":\"eq\",\"value\":\"F\"}]}},"
        " {\"path\":\"when.all[1].any[0]\",\"field\":\"traveller.sex\",\"op\":\"eq\",\"value\":\"M\",\"actual\":\"M\"},"
        " {\"path\":\"when.all[1].any[2]\",\"field\":\"flight.number\",\"op\":\"eq\",\"value\":\"LH400\",\"actual\":\"LH400\"}]");
    json_decref(matched);
    ctw_rule_free(r);

    /* exists false on a missing fact, and a role shown by name */
    r = parse_ok("{\"name\": \"e\", \"when\": {\"all\": [{\"field\": \"booking.legs\", \"op\": \"exists\", \"value\": false},"
                 "{\"field\": \"traveller.role\", \"op\": \"eq\", \"value\": \"Crew\"}]}}");
    assert_int_equal(ctw_rule_eval(r, m, 2, &matched), 1);
    assert_json_text(matched,
        "[{\"path\":\"when.all[0]\",\"field\":\"booking.legs\",\"op\":\"exists\",\"value\":false,\"actual\":null,"
        "  \"unknown\":\"no booking\"},"
        " {\"path\":\"when.all[1]\",\"field\":\"traveller.role\",\"op\":\"eq\",\"value\":\"crew\",\"actual\":\"crew\"}]");
    json_decref(matched);
    ctw_rule_free(r);
}

static void test_definition(void **state)
{
    (void)state;
    ctw_rule *r = parse_ok(
        "{\"when\": {\"any\": [{\"field\": \"route.airports\", \"op\": \"in\", \"value\": [\"egll\", \"DAM\", \"LHR\"]},"
        " {\"field\": \"traveller.nationality\", \"op\": \"not_in\", \"value\": [\"Syria\", \"iq\", \"SYR\"]},"
        " {\"field\": \"traveller.age\", \"op\": \"exists\"},"
        " {\"field\": \"flight.number\", \"op\": \"eq\", \"value\": \"ua0989\"},"
        " {\"field\": \"booking.hours_before_departure\", \"op\": \"le\", \"value\": 12.5}]},"
        " \"name\": \"Canonical\", \"severity\": \"LOW\"}");
    json_t *d = ctw_rule_definition(r);
    const char *want =
        "{\"name\":\"Canonical\",\"severity\":\"low\",\"when\":{\"any\":["
        "{\"field\":\"route.airports\",\"op\":\"in\",\"value\":[\"DAM\",\"LHR\"]},"
        "{\"field\":\"traveller.nationality\",\"op\":\"not_in\",\"value\":[\"IRQ\",\"SYR\"]},"
        "{\"field\":\"traveller.age\",\"op\":\"exists\",\"value\":true},"
        "{\"field\":\"flight.number\",\"op\":\"eq\",\"value\":\"UA989\"},"
        "{\"field\":\"booking.hours_before_departure\",\"op\":\"le\",\"value\":12.5}]}}";
    assert_json_text(d, want);
    /* parsing the canonical form gives it back */
    ctw_rule *r2 = NULL;
    ctw_error err;
    assert_int_equal(ctw_rule_parse(d, &r2, &err), 0);
    json_t *d2 = ctw_rule_definition(r2);
    assert_true(json_equal(d, d2));
    json_decref(d);
    json_decref(d2);
    ctw_rule_free(r);
    ctw_rule_free(r2);

    r = parse_ok("{\"name\": \"d\", \"description\": \"line one\\nline two\", "
                 "\"when\": {\"field\": \"document.missing\", \"op\": \"eq\", \"value\": true}}");
    assert_string_equal(ctw_rule_severity(r), "medium");
    d = ctw_rule_definition(r);
    assert_json_text(d, "{\"name\":\"d\",\"description\":\"line one\\nline two\",\"severity\":\"medium\","
                        "\"when\":{\"field\":\"document.missing\",\"op\":\"eq\",\"value\":true}}");
    json_decref(d);
    ctw_rule_free(r);
}

/* ---- invalid rules ------------------------------------------------------------- */

typedef struct bad {
    const char *text;
    int code;
    const char *where;
    const char *message;  /* a part of the message */
} bad;

static void expect_bad_text(const char *text, size_t len, int code, const char *where, const char *message)
{
    ctw_rule *r = (ctw_rule *)(uintptr_t)1;  /* must stay untouched */
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_rule_parse_text(text, len, &r, &err);
    if (rc != code || strcmp(err.where, where) != 0 || !strstr(err.message, message))
        fail_msg("%.200s\n  expected %d at \"%s\" (%s)\n  got %d at \"%s\": %s", text, code, where, message, rc,
                 err.where, err.message);
    assert_int_equal(err.code, code);
    assert_ptr_equal(r, (ctw_rule *)(uintptr_t)1);
}

#define RULE(when) "{\"name\": \"x\", \"when\": " when "}"
#define LEAF(field, op, value) "{\"field\": \"" field "\", \"op\": \"" op "\", \"value\": " value "}"

static void test_invalid(void **state)
{
    (void)state;
    static const bad cases[] = {
        {"[]", CTW_EINVAL, "", "a rule must be a JSON object"},
        {"{\"when\": " LEAF("traveller.age", "lt", "3") "}", CTW_EINVAL, "name", "needs a \"name\""},
        {"{\"name\": \"\", \"when\": " LEAF("traveller.age", "lt", "3") "}", CTW_EINVAL, "name", "must not be empty"},
        {"{\"name\": \"   \", \"when\": " LEAF("traveller.age", "lt", "3") "}", CTW_EINVAL, "name", "must not be empty"},
        {"{\"name\": 7, \"when\": " LEAF("traveller.age", "lt", "3") "}", CTW_EINVAL, "name", "must be a string"},
        {"{\"name\": \"a\\tb\", \"when\": " LEAF("traveller.age", "lt", "3") "}", CTW_EINVAL, "name", "control character"},
        {"{\"name\": \"x\", \"description\": 3, \"when\": " LEAF("traveller.age", "lt", "3") "}", CTW_EINVAL,
         "description", "must be a string"},
        {"{\"name\": \"x\", \"severity\": \"urgent\", \"when\": " LEAF("traveller.age", "lt", "3") "}", CTW_EINVAL,
         "severity", "unknown severity \"urgent\"; expected low, medium or high"},
        {"{\"name\": \"x\", \"severity\": 3, \"when\": " LEAF("traveller.age", "lt", "3") "}", CTW_EINVAL,
         "severity", "must be a string"},
        {"{\"name\": \"x\", \"wehn\": {}}", CTW_EINVAL, "wehn", "unknown key \"wehn\""},
        {"{\"name\": \"x\"}", CTW_EINVAL, "when", "needs a \"when\""},
        {RULE("[]"), CTW_EINVAL, "when", "a condition must be an object"},
        {RULE("{\"all\": [" LEAF("traveller.age", "lt", "3") ", " LEAF("traveller.age", "lt", "3") ", "
              LEAF("traveller.age", "eqq", "3") "]}"),
         CTW_EINVAL, "when.all[2].op",
         "unknown operator \"eqq\"; expected one of eq, ne, in, not_in, lt, le, gt, ge, between, exists"},
        {RULE(LEAF("traveler.age", "lt", "3")), CTW_EINVAL, "when.field",
         "unknown field \"traveler.age\" (did you mean \"traveller.age\"?)"},
        {RULE(LEAF("age", "lt", "3")), CTW_EINVAL, "when.field", "did you mean \"traveller.age\"?"},
        {RULE(LEAF("passenger.shoe_size", "lt", "3")), CTW_EINVAL, "when.field", "unknown field \"passenger.shoe_size\""},
        {RULE("{\"field\": 3, \"op\": \"eq\", \"value\": 3}"), CTW_EINVAL, "when.field", "must be a string"},
        {RULE("{\"op\": \"eq\", \"value\": 3}"), CTW_EINVAL, "when", "needs a \"field\""},
        {RULE("{\"field\": \"traveller.age\", \"value\": 3}"), CTW_EINVAL, "when", "needs an \"op\""},
        {RULE("{\"field\": \"traveller.age\", \"op\": \"eq\"}"), CTW_EINVAL, "when", "operator \"eq\" needs a \"value\""},
        {RULE("{\"field\": \"traveller.age\", \"op\": \"eq\", \"value\": 3, \"comment\": 1}"), CTW_EINVAL,
         "when.comment", "unknown key \"comment\""},
        {RULE(LEAF("traveller.nationality", "lt", "3")), CTW_EINVAL, "when.op",
         "operator \"lt\" does not apply to \"traveller.nationality\""},
        {RULE(LEAF("route.countries", "between", "[1, 2]")), CTW_EINVAL, "when.op", "use eq, ne, in, not_in or exists"},
        {RULE(LEAF("booking.one_way", "in", "[true]")), CTW_EINVAL, "when.op", "use eq, ne or exists"},
        {RULE(LEAF("traveller.age", "eq", "\"25\"")), CTW_EINVAL, "when.value", "takes a number; got a string"},
        {RULE(LEAF("traveller.age", "gt", "null")), CTW_EINVAL, "when.value", "takes a number; got null"},
        {RULE(LEAF("traveller.age", "between", "[30, 18]")), CTW_EINVAL, "when.value", "low <= high"},
        {RULE(LEAF("traveller.age", "between", "[18]")), CTW_EINVAL, "when.value", "takes [low, high]"},
        {RULE(LEAF("traveller.age", "between", "[18, \"x\"]")), CTW_EINVAL, "when.value[1]", "takes a number"},
        {RULE(LEAF("traveller.age", "lt", "1e10")), CTW_EINVAL, "when.value", "out of range"},
        {RULE(LEAF("traveller.nationality", "in", "[]")), CTW_EINVAL, "when.value", "at least one value"},
        {RULE(LEAF("traveller.nationality", "in", "\"SYR\"")), CTW_EINVAL, "when.value", "takes an array of strings"},
        {RULE(LEAF("traveller.nationality", "in", "[\"SYR\", \"XYZ\"]")), CTW_EINVAL, "when.value[1]",
         "unknown country \"XYZ\""},
        {RULE(LEAF("traveller.nationality", "eq", "\"SYR; IRQ\"")), CTW_EINVAL, "when.value", "unknown country"},
        {RULE(LEAF("traveller.nationality", "eq", "3")), CTW_EINVAL, "when.value", "takes a country code (a string); got a number"},
        {RULE(LEAF("route.origin", "eq", "\"FRAX1\"")), CTW_EINVAL, "when.value", "is not an airport code"},
        {RULE(LEAF("route.origin", "eq", "\"ZZZZ\"")), CTW_EINVAL, "when.value", "unknown ICAO airport code \"ZZZZ\""},
        {RULE(LEAF("route.airports", "in", "[\"FRA\", \"LFAG\"]")), CTW_EINVAL, "when.value[1]", "has no IATA code"},
        {RULE(LEAF("flight.carrier", "eq", "\"L\"")), CTW_EINVAL, "when.value", "not an airline code"},
        {RULE(LEAF("flight.number", "eq", "\"400\"")), CTW_EINVAL, "when.value", "not a flight number"},
        {RULE(LEAF("flight.number", "eq", "\"LH40000\"")), CTW_EINVAL, "when.value", "not a flight number"},
        {RULE(LEAF("traveller.sex", "eq", "\"male\"")), CTW_EINVAL, "when.value", "expected M, F, X or U"},
        {RULE(LEAF("traveller.role", "eq", "\"pilot\"")), CTW_EINVAL, "when.value", "unknown role \"pilot\""},
        {RULE(LEAF("document.type", "eq", "\"PASS\"")), CTW_EINVAL, "when.value", "not a document type code"},
        {RULE(LEAF("document.missing", "eq", "\"yes\"")), CTW_EINVAL, "when.value", "takes true or false"},
        {RULE(LEAF("document.missing", "exists", "1")), CTW_EINVAL, "when.value", "takes true or false"},
        {RULE("{\"all\": [" LEAF("traveller.age", "lt", "3") "], \"field\": \"x\"}"), CTW_EINVAL, "when.field",
         "cannot stand beside \"all\""},
        {RULE("{\"any\": [], \"not\": {}}"), CTW_EINVAL, "when.not", "cannot stand beside \"any\""},
        {RULE("{\"all\": []}"), CTW_EINVAL, "when.all", "needs at least one condition"},
        {RULE("{\"any\": {}}"), CTW_EINVAL, "when.any", "takes an array of conditions"},
        {RULE("{\"all\": [1]}"), CTW_EINVAL, "when.all[0]", "a condition must be an object"},
        {RULE("{\"all\": [{\"not\": {\"any\": [" LEAF("traveller.age", "lt", "3") ", " LEAF("flight.carrier", "eq", "\"LH\"")
              ", {\"field\": \"flight.carrier\", \"op\": \"eq\", \"value\": \"LH\", \"x\": 1}]}}]}"),
         CTW_EINVAL, "when.all[0].not.any[2].x", "unknown key \"x\""},
        {"{\"name\": \"x\", \"when\": ", CTW_EPARSE, "line 1, column 22", "not JSON"},
        {"{\"name\": \"x\", \"name\": \"y\", \"when\": {}}", CTW_EPARSE, "line 1, column 20", "duplicate"},
        {"{\"name\": \"x\", \"when\": {\"field\": \"traveller.age\", \"op\": \"eq\", \"value\": 3}} trailing",
         CTW_EPARSE, "line 1, column 82", "end of file expected"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        expect_bad_text(cases[i].text, strlen(cases[i].text), cases[i].code, cases[i].where, cases[i].message);

    /* a name of 200 characters is fine (multi-byte ones count once), 201 is not */
    char text[2048];
    char name[1024] = "";
    for (int i = 0; i < 200; i++) strncat(name, i % 2 ? "\xc3\xa9" : "a", sizeof name - strlen(name) - 1);
    snprintf(text, sizeof text, "{\"name\": \"%s\", \"when\": " LEAF("traveller.age", "lt", "3") "}", name);
    ctw_rule_free(parse_ok(text));
    snprintf(text, sizeof text, "{\"name\": \"%sa\", \"when\": " LEAF("traveller.age", "lt", "3") "}", name);
    expect_bad_text(text, strlen(text), CTW_EINVAL, "name", "201 characters; at most 200");

    /* NULL arguments */
    ctw_rule *r = NULL;
    ctw_error err;
    assert_int_equal(ctw_rule_parse(NULL, &r, &err), CTW_EINVAL);
    assert_int_equal(ctw_rule_parse_text(NULL, 0, &r, &err), CTW_EINVAL);
    assert_int_equal(ctw_rule_parse_text("{}", 2, NULL, NULL), CTW_EINVAL);
    assert_null(r);
}

/* A growing buffer for generated rules. */
typedef struct sbuf {
    char *p;
    size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
    size_t n = strlen(s);
    if (b->len + n + 1 > b->cap) {
        b->cap = (b->len + n + 1) * 2;
        b->p = realloc(b->p, b->cap);
        assert_non_null(b->p);
    }
    memcpy(b->p + b->len, s, n + 1);
    b->len += n;
}

static void test_limits(void **state)
{
    ctw_manifest *m = *state;
    sbuf b = {0};
    char num[32];

    /* nesting: "when" is depth 1; 15 nots around a leaf (depth 16) pass, 16 do not */
    for (int depth = 16; depth <= 17; depth++) {
        b.len = 0;
        sb_add(&b, "{\"name\": \"deep\", \"when\": ");
        for (int i = 1; i < depth; i++) sb_add(&b, "{\"not\": ");
        sb_add(&b, LEAF("traveller.age", "lt", "30"));
        for (int i = 1; i < depth; i++) sb_add(&b, "}");
        sb_add(&b, "}");
        if (depth == 16) {
            ctw_rule *r = parse_ok(b.p);
            assert_int_equal(ctw_rule_eval(r, m, 0, NULL), 0);  /* 15 nots: an odd number */
            ctw_rule_free(r);
        } else {
            char where[256] = "when";
            for (int i = 1; i < depth; i++) strncat(where, ".not", sizeof where - strlen(where) - 1);
            expect_bad_text(b.p, b.len, CTW_ELIMIT, where, "nested deeper than 16");
        }
    }

    /* conditions: an "all" of 255 leaves is 256 conditions; of 256, one too many */
    for (int n = 255; n <= 256; n++) {
        b.len = 0;
        sb_add(&b, "{\"name\": \"wide\", \"when\": {\"all\": [");
        for (int i = 0; i < n; i++) {
            if (i) sb_add(&b, ",");
            sb_add(&b, LEAF("traveller.age", "lt", "30"));
        }
        sb_add(&b, "]}}");
        if (n == 255) {
            ctw_rule *r = parse_ok(b.p);
            assert_int_equal(ctw_rule_eval(r, m, 0, NULL), 1);
            ctw_rule_free(r);
        } else {
            expect_bad_text(b.p, b.len, CTW_ELIMIT, "when.all[255]", "more than 256 conditions");
        }
    }

    /* in-lists: 1000 values, not 1001 */
    for (int n = 1000; n <= 1001; n++) {
        b.len = 0;
        sb_add(&b, "{\"name\": \"list\", \"when\": {\"field\": \"booking.companions\", \"op\": \"in\", \"value\": [");
        for (int i = 0; i < n; i++) {
            snprintf(num, sizeof num, "%s%d", i ? "," : "", n - i);  /* descending: sorted on parse */
            sb_add(&b, num);
        }
        sb_add(&b, "]}}");
        if (n == 1000) {
            ctw_rule *r = parse_ok(b.p);
            assert_int_equal(ctw_rule_eval(r, m, 0, NULL), 1);  /* 1 companion */
            assert_int_equal(ctw_rule_eval(r, m, 3, NULL), 0);  /* 0 */
            ctw_rule_free(r);
        } else {
            expect_bad_text(b.p, b.len, CTW_ELIMIT, "when.value", "1001 values; the limit is 1000");
        }
    }

    /* size: text over 64 KiB, and a json_t whose compact form is */
    b.len = 0;
    sb_add(&b, "{\"name\": \"big\", \"when\": " LEAF("traveller.age", "lt", "30") "}");
    while (b.len <= CTW_RULE_MAX_BYTES) sb_add(&b, "                                ");
    expect_bad_text(b.p, b.len, CTW_ELIMIT, "", "the limit is 65536");
    json_t *big = json_loads("{\"name\": \"big\", \"when\": " LEAF("traveller.age", "lt", "30") "}", 0, NULL);
    assert_non_null(big);
    ctw_rule *r = NULL;
    ctw_error err;
    assert_int_equal(ctw_rule_parse(big, &r, &err), 0);
    ctw_rule_free(r);
    r = NULL;
    char *pad = malloc(CTW_RULE_MAX_BYTES);
    assert_non_null(pad);
    memset(pad, 'x', CTW_RULE_MAX_BYTES - 1);
    pad[CTW_RULE_MAX_BYTES - 1] = '\0';
    json_object_set_new(big, "description", json_string(pad));
    assert_int_equal(ctw_rule_parse(big, &r, &err), CTW_ELIMIT);
    assert_string_equal(err.where, "");
    assert_non_null(strstr(err.message, "over 65536 bytes"));
    assert_null(r);
    /* under the byte limit but over the description limit */
    pad[CTW_RULE_MAX_DESCRIPTION + 1] = '\0';
    json_object_set_new(big, "description", json_string(pad));
    assert_int_equal(ctw_rule_parse(big, &r, &err), CTW_EINVAL);
    assert_string_equal(err.where, "description");
    free(pad);
    json_decref(big);
    free(b.p);
}

static void test_eval_edges(void **state)
{
    ctw_manifest *m = *state;
    ctw_rule *r = parse_ok(RULE(LEAF("route.airports", "in", "[\"BGW\"]")));
    json_t *matched = NULL;
    assert_int_equal(ctw_rule_eval(r, m, 4, &matched), CTW_EINVAL);
    assert_int_equal(ctw_rule_eval(NULL, m, 0, &matched), CTW_EINVAL);
    assert_int_equal(ctw_rule_eval(r, NULL, 0, &matched), CTW_EINVAL);
    assert_null(matched);

    /* a long itinerary (more airports than fit on the stack), BGW on the 40th leg */
    ctw_booking *b = &m->bookings[1];
    ctw_leg *saved = b->legs;
    size_t saved_n = b->n_legs;
    static const char *const hubs[] = {"FRA", "IAD", "JFK", "LHR", "CDG", "AMS", "MAD", "FCO", "ZRH", "VIE",
                                       "CPH", "OSL", "ARN", "HEL", "WAW", "PRG", "BUD", "ATH", "LIS", "DUB"};
    b->n_legs = 40;
    b->legs = ctw_arena_alloc(&m->arena, 40 * sizeof(ctw_leg));
    for (size_t i = 0; i < 40; i++)
        b->legs[i] = leg(&m->arena, "LH", "LH1", hubs[i % 20], i == 39 ? "BGW" : hubs[(i + 1) % 20], "2026-03-10");
    assert_int_equal(ctw_rule_eval(r, m, 3, &matched), 1);
    json_t *actual = json_object_get(json_array_get(matched, 0), "actual");
    assert_int_equal(json_array_size(actual), 21);
    json_decref(matched);
    ctw_rule_free(r);
    r = parse_ok(RULE(LEAF("route.countries", "eq", "\"IRQ\"")));
    assert_int_equal(ctw_rule_eval(r, m, 3, NULL), 1);
    ctw_rule_free(r);
    b->legs = saved;
    b->n_legs = saved_n;

    /* odd data: a flight number that is no designator, a bad date, odd codes */
    ctw_traveller *t = &m->travellers[3];
    m->legs[0].flight = "??";
    t->birth_date = "1970-02-30";
    t->nationality = "Deutschland-lang-name";
    r = parse_ok(RULE("{\"all\": [" LEAF("flight.number", "ne", "\"LH400\"") ","
                      "{\"not\": " LEAF("traveller.age", "ge", "0") "},"
                      LEAF("traveller.nationality", "not_in", "[\"DEU\"]") "]}"));
    assert_int_equal(ctw_rule_eval(r, m, 3, &matched), 1);
    assert_json_text(matched,
        "[{\"path\":\"when.all[0]\",\"field\":\"flight.number\",\"op\":\"ne\",\"value\":\"LH400\",\"actual\":\"??\"},"
        " {\"path\":\"when.all[1].not\",\"field\":\"traveller.age\",\"op\":\"ge\",\"value\":0,\"actual\":null,"
        "  \"unknown\":\"birth date is not a full date\",\"negated\":true},"
        " {\"path\":\"when.all[2]\",\"field\":\"traveller.nationality\",\"op\":\"not_in\",\"value\":[\"DEU\"],"
        "  \"actual\":\"Deutschland-lang-name\"}]");
    json_decref(matched);
    ctw_rule_free(r);

    /* a bare flight number takes the carrier */
    m->legs[0].flight = "0400";
    assert_int_equal(eval_cond(m, 3, LEAF("flight.number", "eq", "\"LH400\"")), 1);
    /* a manifest without legs: the booking gives the flight */
    m->n_legs = 0;
    assert_int_equal(eval_cond(m, 0, LEAF("flight.number", "eq", "\"LH400\"")), 1);
    assert_int_equal(eval_cond(m, 0, LEAF("traveller.age", "eq", "25")), 1);
    assert_int_equal(eval_cond(m, 2, LEAF("flight.carrier", "exists", "true")), 0);
    /* a booking index out of range is no booking */
    m->travellers[0].booking = 7;
    assert_int_equal(eval_cond(m, 0, LEAF("booking.legs", "exists", "false")), 1);
}

/* jansson allocations that fail after a countdown: every error path of the
 * explanation and the definition is taken once (ASan checks for leaks). */
static long alloc_budget = -1;

static void *failing_malloc(size_t n)
{
    if (alloc_budget == 0) return NULL;
    if (alloc_budget > 0) alloc_budget--;
    return malloc(n);
}

static void test_out_of_memory(void **state)
{
    ctw_manifest *m = *state;
    ctw_rule *r = parse_ok(example_rule);
    json_set_alloc_funcs(failing_malloc, free);
    bool eval_ok = false, def_ok = false;
    for (long budget = 0; budget < 400 && !(eval_ok && def_ok); budget++) {
        json_t *matched = NULL;
        alloc_budget = budget;
        int rc = ctw_rule_eval(r, m, 0, &matched);
        alloc_budget = -1;
        if (rc == 1) {
            assert_int_equal(json_array_size(matched), 5);
            json_decref(matched);
            eval_ok = true;
        } else {
            assert_int_equal(rc, CTW_ENOMEM);
            assert_null(matched);
        }
        alloc_budget = budget;
        json_t *d = ctw_rule_definition(r);
        alloc_budget = -1;
        if (d) def_ok = true;
        json_decref(d);
    }
    json_set_alloc_funcs(malloc, free);
    assert_true(eval_ok && def_ok);
    ctw_rule_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_route_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_flight_and_traveller_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_document_and_booking_fields, setup, teardown),
        cmocka_unit_test_setup_teardown(test_and_or_not, setup, teardown),
        cmocka_unit_test_setup_teardown(test_explanation, setup, teardown),
        cmocka_unit_test_setup_teardown(test_definition, setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid, setup, teardown),
        cmocka_unit_test_setup_teardown(test_limits, setup, teardown),
        cmocka_unit_test_setup_teardown(test_eval_edges, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_memory, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
