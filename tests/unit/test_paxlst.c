/* test_paxlst.c — PAXLST (API passenger and crew lists): every GTAS sample
 * in tests/data/travel/gtas/apis with its counts and fields read off the
 * files by hand, then hand-made messages for dates, warnings, faults and
 * the limits of manifest.h. */
#include <time.h>

#include "test_util.h"

#include "ctwatch/manifest.h"

#define APIS "tests/data/travel/gtas/apis/"

/* ---- helpers --------------------------------------------------------------- */

static ctw_manifest *parse_str(const char *s, size_t len)
{
    ctw_manifest *m = NULL;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_paxlst_parse(s, len, &m, &err);
    if (rc) fail_msg("rc %d %s: %s", rc, err.where, err.message);
    return m;
}

static ctw_manifest *parse_file(const char *path)
{
    size_t len;
    char *buf = ctw_test_slurp(path, &len);
    ctw_manifest *m = NULL;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_manifest_parse(buf, len, CTW_MANIFEST_DETECT, &m, &err);
    free(buf);
    if (rc) fail_msg("%s: rc %d %s: %s", path, rc, err.where, err.message);
    assert_int_equal(m->format, CTW_MANIFEST_PAXLST);
    return m;
}

/* A parse that must fail with code; *out must stay untouched. */
static void parse_fails(const char *s, size_t len, int code, const char *where_part, ctw_error *err)
{
    ctw_manifest sentinel, *m = &sentinel;
    ctw_error_clear(err);
    int rc = ctw_paxlst_parse(s, len, &m, err);
    if (rc != code) fail_msg("expected %d, got %d (%s: %s)", code, rc, err->where, err->message);
    assert_ptr_equal(m, &sentinel);
    assert_true(err->message[0] != '\0');
    if (where_part && !strstr(err->where, where_part))
        fail_msg("where \"%s\" lacks \"%s\"", err->where, where_part);
}

static size_t n_warnings(const ctw_manifest *m, const char *code)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_warnings; i++)
        if (strcmp(m->warnings[i].code, code) == 0) n++;
    return n;
}

/* The first warning with code whose message holds part, or fail. */
static const char *warning(const ctw_manifest *m, const char *code, const char *part)
{
    for (size_t i = 0; i < m->n_warnings; i++)
        if (strcmp(m->warnings[i].code, code) == 0 && (!part || strstr(m->warnings[i].message, part)))
            return m->warnings[i].message;
    fail_msg("no warning %s with \"%s\"", code, part ? part : "");
    return NULL;
}

static void str_eq(const char *got, const char *want)
{
    if (!want) {
        assert_null(got);
        return;
    }
    assert_non_null(got);
    assert_string_equal(got, want);
}

static void leg_eq(const ctw_leg *l, const char *carrier, const char *flight, const char *from,
                   const char *to, const char *dep, const char *arr)
{
    str_eq(l->carrier, carrier);
    str_eq(l->flight, flight);
    str_eq(l->origin, from);
    str_eq(l->destination, to);
    str_eq(l->departure, dep);
    str_eq(l->arrival, arr);
}

static void doc_eq(const ctw_travel_doc *d, const char *type, const char *number, const char *issuer,
                   const char *expiry)
{
    str_eq(d->type, type);
    str_eq(d->number, number);
    str_eq(d->issuing_state, issuer);
    str_eq(d->expiry, expiry);
}

static size_t count_role(const ctw_manifest *m, ctw_traveller_role r)
{
    size_t n = 0;
    for (size_t i = 0; i < m->n_travellers; i++)
        if (m->travellers[i].role == r) n++;
    return n;
}

/* ---- the GTAS samples ------------------------------------------------------ */

static void test_gtas_test1_crew(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file(APIS "gtas-loader__Test1.txt");
    str_eq(m->version, "D:02B");
    str_eq(m->message_ref, "1402010600");
    str_eq(m->sender, "APIS*C3K");  /* no UNA: '*' is data */
    assert_null(m->part);
    assert_int_equal(m->n_legs, 1);
    leg_eq(&m->legs[0], "UA", "UA0989", "FRA", "IAD", "2017-01-27T17:25", "2017-01-28T07:10");
    assert_int_equal(m->n_travellers, 8);
    assert_int_equal(count_role(m, CTW_TRAVELLER_CREW), 8);  /* BGM+250, NAD+FM */
    assert_int_equal(m->n_bookings, 0);
    const ctw_traveller *t = &m->travellers[0];
    str_eq(t->surname, "Steur");
    str_eq(t->given, "Andrea Pat");
    str_eq(t->birth_date, "1978-07-06");
    assert_int_equal(t->sex, 'F');
    str_eq(t->nationality, "GBR");
    str_eq(t->residence, "GBR");
    str_eq(t->birth_place, "Hartford USA");
    str_eq(t->embark, "FRA");
    str_eq(t->debark, "IAD");
    assert_int_equal(t->booking, -1);
    assert_int_equal(t->n_documents, 1);
    doc_eq(&t->documents[0], "P", "123456789", "GBR", "2061-02-18");  /* 61 < 70: 2061 */
    t = &m->travellers[7];
    str_eq(t->surname, "Zschieschak");
    str_eq(t->given, "Jaclyn Pat");
    str_eq(t->birth_date, "1978-07-13");
    assert_int_equal(m->travellers[2].sex, 'M');
    /* UNT+0000152 is wrong (107 segments from UNH to UNT); CNT+41+8 is right */
    assert_int_equal(m->n_warnings, 1);
    warning(m, "count_mismatch", "(UNT)");
    warning(m, "count_mismatch", "152");
    assert_int_equal(n_warnings(m, "count_mismatch"), 1);
    ctw_manifest_free(m);
}

static void test_gtas_test3_passengers(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file(APIS "gtas-loader__Test3.txt");
    str_eq(m->version, "D:02B");
    str_eq(m->message_ref, "WSPDLA");
    str_eq(m->sender, "DELTAMATIC");
    str_eq(m->part, "01:C");
    warning(m, "multi_part", "01");
    assert_int_equal(m->n_travellers, 260);
    assert_int_equal(count_role(m, CTW_TRAVELLER_PASSENGER), 260);
    leg_eq(&m->legs[0], "UA", "UA0989", "FRA", "IAD", "2017-01-27T17:25", "2017-01-28T07:10");
    const ctw_traveller *t = &m->travellers[0];
    str_eq(t->surname, "Kuchel");
    str_eq(t->given, "Rachel Pat");
    str_eq(t->birth_date, "1977-10-19");
    str_eq(t->nationality, "USA");
    doc_eq(&t->documents[0], "P", "12345678", "USA", "2019-12-18");
    t = &m->travellers[259];
    str_eq(t->surname, "Pfaffelhuber");
    str_eq(t->given, "Lisa Pat");
    str_eq(t->birth_date, "1978-07-05");
    doc_eq(&t->documents[0], "P", "12345678", "GBR", "2020-09-02");
    /* the one byte that is not ASCII: "Nov\x87k", Mac Roman á */
    bool found = false;
    for (size_t i = 0; i < m->n_travellers; i++)
        if (strcmp(m->travellers[i].surname, "Nov\xC3\xA1k") == 0) found = true;
    assert_true(found);
    warning(m, "charset", "Nov");
    /* CNT+41:206 (crew, in a passenger list) and UNT+099 disagree */
    warning(m, "count_mismatch", "CNT+41 declares 206 crew");
    warning(m, "count_mismatch", "UNT declares 99");
    ctw_manifest_free(m);
}

static void test_gtas_airline2(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file(APIS "gtas-loader__airline2.edi");  /* UNA:*.? $ and CRLF */
    str_eq(m->sender, "SDT");
    str_eq(m->part, "10:F");
    warning(m, "multi_part", "10");
    assert_int_equal(m->n_travellers, 10);
    leg_eq(&m->legs[0], "TN", "TN506", "BRE", "YEU", "2014-05-11T13:40", "2014-05-11T17:00");
    /* every traveller shares the booking QXGYLO */
    assert_int_equal(m->n_bookings, 1);
    str_eq(m->bookings[0].locator, "QXGYLO");
    for (size_t i = 0; i < m->n_travellers; i++) assert_int_equal(m->travellers[i].booking, 0);
    const ctw_traveller *t = &m->travellers[0];
    str_eq(t->surname, "BETTON");
    str_eq(t->given, "DAVID");
    str_eq(t->birth_date, "1954-10-16");
    doc_eq(&t->documents[0], "P", "178556534", "USA", "2018-02-21");
    t = &m->travellers[8];
    str_eq(t->surname, "STEWART");
    str_eq(t->given, "MARYJANE");
    doc_eq(&t->documents[0], "P", "179868051", "USA", "2018-02-21");
    warning(m, "count_mismatch", "CNT+42 declares 136 passengers");
    warning(m, "count_mismatch", "UNT declares 121");
    warning(m, "ref_mismatch", "140211180 0");
    ctw_manifest_free(m);
}

static void test_gtas_multiple_legs(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file(APIS "gtas-loader__multiple_flight_leg_apis.txt");
    str_eq(m->version, "D:05B");
    assert_int_equal(m->n_legs, 3);
    leg_eq(&m->legs[0], "QQ", "QQ877", "MIA", "IAD", "2008-07-10T15:00", "2008-07-10T17:55");
    leg_eq(&m->legs[1], "QQ", "QQ827", "IAD", "JFK", "2008-08-10T18:30", "2008-08-10T19:30");
    leg_eq(&m->legs[2], "QQ", "QQ827", "JFK", "CDG", "2008-08-10T20:00", "2008-08-11T06:30");
    assert_int_equal(m->n_travellers, 2);
    assert_int_equal(m->n_bookings, 1);
    str_eq(m->bookings[0].locator, "GJIO3RT");
    const ctw_traveller *t = &m->travellers[0];
    str_eq(t->surname, "BARRETT");
    str_eq(t->given, "TODD");
    str_eq(t->birth_date, "1968-02-23");
    str_eq(t->embark, "MIA");
    str_eq(t->debark, "CDG");
    str_eq(t->reference, "UUI34T543");
    doc_eq(&t->documents[0], "P", "YY3478621G", "FRA", "2008-12-30");
    t = &m->travellers[1];
    str_eq(t->surname, "LANG");
    assert_int_equal(t->sex, 'F');
    str_eq(t->residence, "ESP");
    assert_int_equal(t->booking, 0);
    /* "13Nov09" after UNZ */
    warning(m, "trailing_data", NULL);
    assert_int_equal(n_warnings(m, "count_mismatch"), 0);
    ctw_manifest_free(m);
}

static void test_gtas_apis_message(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file(APIS "gtas-parsers__apisMessage.txt");
    str_eq(m->sender, "AIR1");
    str_eq(m->message_ref, "PAX001");
    assert_int_equal(m->n_legs, 2);
    leg_eq(&m->legs[0], "AA", "AA123", "ATL", "ORD", "2007-02-19T15:40", "2007-02-19T17:40");
    leg_eq(&m->legs[1], "AA", "AA124", "ORD", "JFK", "2007-02-19T18:40", "2007-02-19T19:55");
    assert_int_equal(m->n_travellers, 2);
    str_eq(m->travellers[0].surname, "CLARK");
    str_eq(m->travellers[0].given, "MICHAEL");
    str_eq(m->travellers[0].birth_date, "1972-09-07");
    str_eq(m->travellers[1].given, "CHERYL");
    str_eq(m->travellers[1].embark, "ORD");
    str_eq(m->travellers[1].reference, "TYL009");
    assert_int_equal(m->travellers[1].n_documents, 0);
    assert_int_equal(m->n_bookings, 1);
    str_eq(m->bookings[0].locator, "TYR123");
    assert_int_equal(m->n_warnings, 0);
    ctw_manifest_free(m);
}

/* ---- hand-made messages -------------------------------------------------------- */

#define HEAD "UNA:+.? 'UNB+UNOA:4+SNDR+RCVR+260101:1200+1'UNH+M1+PAXLST:D:05B:UN:IATA'BGM+745'" \
             "TDT+20+AF0123+++AF'LOC+125+CDG'DTM+189:202612011030:203'LOC+87+JFK'DTM+232:20261201:102'"

static void test_dates(void **state)
{
    (void)state;
    /* a birth date is never in the future: the century is the latest that
     * keeps it on or before today */
    time_t now = time(NULL) + 2 * 86400;
    struct tm tm;
    gmtime_r(&now, &tm);
    char future[40], msg[1024];
    snprintf(future, sizeof future, "%02d%02d%02d", tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday);
    int n = snprintf(msg, sizeof msg,
                     HEAD "NAD+FL+++A:B'DTM+329:120101'NAD+FL+++C:D'DTM+329:991231'"
                          "NAD+FL+++E:F'DTM+329:%s'NAD+FL+++G:H'DTM+329:19650304:102'"
                          "DOC+P+X1'DTM+36:690101'DTM+182:700101'"
                          "NAD+FL+++I:J'DTM+329:991340'ATT+2++Q'UNT+22+M1'",
                     future);
    ctw_manifest *m = parse_str(msg, (size_t)n);
    leg_eq(&m->legs[0], "AF", "AF0123", "CDG", "JFK", "2026-12-01T10:30", "2026-12-01");
    str_eq(m->travellers[0].birth_date, "2012-01-01");
    str_eq(m->travellers[1].birth_date, "1999-12-31");
    char want[48];
    snprintf(want, sizeof want, "19%02d-%02d-%02d", tm.tm_year % 100, tm.tm_mon + 1, tm.tm_mday);
    str_eq(m->travellers[2].birth_date, want);
    str_eq(m->travellers[3].birth_date, "1965-03-04");
    /* documents: 00-69 → 20YY, 70-99 → 19YY */
    str_eq(m->travellers[3].documents[0].expiry, "2069-01-01");
    str_eq(m->travellers[3].documents[0].issued, "1970-01-01");
    /* a bad date and a bad sex are warnings, the fields stay empty */
    assert_null(m->travellers[4].birth_date);
    warning(m, "bad_date", "991340");
    assert_int_equal(m->travellers[4].sex, 'U');
    warning(m, "bad_value", "\"Q\"");
    assert_int_equal(n_warnings(m, "count_mismatch"), 0);
    ctw_manifest_free(m);
}

static void test_unknown_segments_warned_once(void **state)
{
    (void)state;
    const char *s = HEAD "XYZ+1'NAD+FL+++A:B'XYZ+2'ABC+3'XYZ+4'GEI+4+173'FTX+x'UNT+15+M1'";
    ctw_manifest *m = parse_str(s, strlen(s));
    assert_int_equal(n_warnings(m, "unknown_segment"), 2);
    warning(m, "unknown_segment", "XYZ");
    warning(m, "unknown_segment", "ABC");
    assert_int_equal(m->n_warnings, 2);
    ctw_manifest_free(m);
}

static void test_crew_and_roles(void **state)
{
    (void)state;
    const char *s = "UNH+1+PAXLST:D:02B:UN:IATA'BGM+745'NAD+FL+++P:A'NAD+FM+++C:B'NAD+DDT+++C:C'"
                    "NAD+DDU+++P:D'NAD+MS+++SENDER'UNT+8+1'";
    ctw_manifest *m = parse_str(s, strlen(s));
    assert_int_equal(m->n_travellers, 4);  /* NAD+MS is the sender's contact */
    assert_int_equal(m->travellers[0].role, CTW_TRAVELLER_PASSENGER);
    assert_int_equal(m->travellers[1].role, CTW_TRAVELLER_CREW);
    assert_int_equal(m->travellers[2].role, CTW_TRAVELLER_CREW);
    assert_int_equal(m->travellers[3].role, CTW_TRAVELLER_PASSENGER);
    str_eq(ctw_traveller_role_name(m->travellers[1].role), "crew");
    assert_int_equal(m->n_warnings, 0);
    ctw_manifest_free(m);

    const char *c = "UNH+1+PAXLST:D:02B:UN:IATA'BGM+250'NAD+FL+++P:A'RFF+SEA:12A'CNT+41:1'UNT+6+1'";
    m = parse_str(c, strlen(c));
    assert_int_equal(m->travellers[0].role, CTW_TRAVELLER_CREW);  /* a crew list */
    str_eq(m->travellers[0].seat, "12A");
    assert_int_equal(m->n_warnings, 0);
    ctw_manifest_free(m);
}

static void test_faults(void **state)
{
    (void)state;
    ctw_error err;
    parse_fails("", 0, CTW_EPARSE, "message", &err);
    const char *s1 = "UNB+UNOA:4+X'BGM+745'UNH+1+PAXLST:D:02B'";
    parse_fails(s1, strlen(s1), CTW_EPARSE, "segment 2 (BGM) at byte 13", &err);
    const char *s2 = "UNH+1+PAXLST:D:02B'BGM+745'NAD+FL+++A:B'n0t a segment'UNT+4+1'";
    parse_fails(s2, strlen(s2), CTW_EPARSE, "segment 4 at byte 40", &err);
    const char *s3 = "UNH+1+PAXLST:D:02B'NAD+FL+++A?";
    parse_fails(s3, strlen(s3), CTW_EPARSE, "segment 2 (NAD) at byte 19", &err);
    const char *s4 = "UNH+1+PNRGOV:11:1:IA'UNT+2+1'";
    parse_fails(s4, strlen(s4), CTW_EPARSE, "segment 1 (UNH)", &err);
    assert_non_null(strstr(err.message, "PNRGOV"));
    const char *s5 = "UNA:+'UNH+1+PAXLST'";
    parse_fails(s5, strlen(s5), CTW_EPARSE, "UNA", &err);
    ctw_manifest *m = NULL;
    assert_int_equal(ctw_paxlst_parse(NULL, 0, &m, &err), CTW_EINVAL);
    assert_int_equal(ctw_paxlst_parse("UNH", 3, NULL, &err), CTW_EINVAL);

    /* damage that leaves the content readable */
    const char *w = "UNH+1+PAXLST:D:02B+X+2:C'NAD+FL+++A:B'ATT+2++M'CNT+42:1'UNT+5+1'UNE+1+1'UNZ+1+1'junk";
    m = parse_str(w, strlen(w));
    str_eq(m->part, "2:C");
    warning(m, "multi_part", "part 2");
    warning(m, "trailing_data", NULL);
    assert_int_equal(m->n_travellers, 1);
    ctw_manifest_free(m);
    const char *u = "UNH+1+PAXLST:D:02B'NAD+FL+++A:B'";
    m = parse_str(u, strlen(u));
    warning(m, "missing_segment", "UNT");
    ctw_manifest_free(m);
}

static void test_limits(void **state)
{
    (void)state;
    ctw_error err;
    /* message bytes */
    size_t big = (size_t)CTW_MANIFEST_MAX_BYTES + 1;
    char *b = malloc(big);
    assert_non_null(b);
    memset(b, ' ', big);
    memcpy(b, "UNH+1+PAXLST:D:02B'", 19);
    parse_fails(b, big, CTW_ELIMIT, "message", &err);
    assert_non_null(strstr(err.message, "limit"));
    ctw_manifest *m = NULL;
    assert_int_equal(ctw_manifest_parse(b, big, CTW_MANIFEST_DETECT, &m, &err), CTW_ELIMIT);
    free(b);

    /* travellers: 20000 are read, one more is refused */
    size_t cap = 64 + (size_t)(CTW_MANIFEST_MAX_TRAVELLERS + 1) * 16;
    b = malloc(cap);
    assert_non_null(b);
    size_t n = (size_t)snprintf(b, cap, "UNH+1+PAXLST:D:02B'");
    for (int i = 0; i < CTW_MANIFEST_MAX_TRAVELLERS; i++) n += (size_t)snprintf(b + n, cap - n, "NAD+FL+++S:G'");
    m = parse_str(b, n);
    assert_int_equal(m->n_travellers, CTW_MANIFEST_MAX_TRAVELLERS);
    ctw_manifest_free(m);
    n += (size_t)snprintf(b + n, cap - n, "NAD+FL+++S:G'");
    parse_fails(b, n, CTW_ELIMIT, "(NAD)", &err);
    assert_non_null(strstr(err.message, "travellers"));
    free(b);

    /* segments */
    size_t segs = CTW_MANIFEST_MAX_SEGMENTS + 1;
    b = malloc(32 + segs * 4);
    assert_non_null(b);
    n = (size_t)snprintf(b, 32, "UNH+1+PAXLST:D:02B'");
    for (size_t i = 1; i < segs - 1; i++, n += 4) memcpy(b + n, "FTX'", 4);
    m = parse_str(b, n);  /* exactly the limit */
    ctw_manifest_free(m);
    memcpy(b + n, "FTX'", 4);
    parse_fails(b, n + 4, CTW_ELIMIT, "segment 200001", &err);
    free(b);

    /* elements per segment */
    char e[512];
    n = (size_t)snprintf(e, sizeof e, "UNH+1+PAXLST:D:02B'FTX");
    for (int i = 0; i <= CTW_MANIFEST_MAX_ELEMENTS; i++) n += (size_t)snprintf(e + n, sizeof e - n, "+x");
    n += (size_t)snprintf(e + n, sizeof e - n, "'");
    parse_fails(e, n, CTW_ELIMIT, "segment 2 (FTX) at byte 19", &err);
    assert_non_null(strstr(err.message, "64"));

    /* warnings: the first 256 are kept, the rest counted */
    cap = 64 + 300 * 16;
    b = malloc(cap);
    assert_non_null(b);
    n = (size_t)snprintf(b, cap, "UNH+1+PAXLST:D:02B'NAD+FL+++S:G'");
    for (int i = 0; i < 300; i++) n += (size_t)snprintf(b + n, cap - n, "DTM+329:9913%02d'", i % 100);
    m = parse_str(b, n);
    assert_int_equal(m->n_warnings, CTW_MANIFEST_MAX_WARNINGS);
    assert_int_equal(m->n_warnings_dropped, 300 - CTW_MANIFEST_MAX_WARNINGS + 1);  /* + no UNT */
    ctw_manifest_free(m);
    free(b);
}

/* A large list (400 passengers) parses whole; its speed is measured by the
 * fuzz/bench runs, not asserted here. */
static void test_large_list(void **state)
{
    (void)state;
    size_t cap = 512 + 400 * 400;
    char *b = malloc(cap);
    assert_non_null(b);
    size_t n = (size_t)snprintf(b, cap, HEAD);
    for (int i = 0; i < 400; i++)
        n += (size_t)snprintf(b + n, cap - n,
                              "NAD+FL+++SURNAME%03d:GIVEN:MIDDLE'ATT+2++%c'DTM+329:%02d0101'LOC+178+CDG'"
                              "LOC+179+JFK'NAT+2+FRA'RFF+AVF:BK%03d'RFF+SEA:%dA'DOC+P:110:111+%09d'"
                              "DTM+36:300101'LOC+91+FRA'",
                              i, i % 2 ? 'F' : 'M', 40 + i % 50, i / 2, i % 60 + 1, 100000 + i);
    n += (size_t)snprintf(b + n, cap - n, "CNT+42:400'UNT+%d+M1'UNZ+1+1'", 400 * 11 + 9);
    ctw_manifest *m = parse_str(b, n);
    assert_int_equal(m->n_travellers, 400);
    assert_int_equal(m->n_bookings, 200);  /* two passengers per locator */
    assert_int_equal(m->travellers[398].booking, m->travellers[399].booking);
    str_eq(m->bookings[m->travellers[399].booking].locator, "BK199");
    str_eq(m->travellers[399].surname, "SURNAME399");
    str_eq(m->travellers[399].given, "GIVEN MIDDLE");
    str_eq(m->travellers[399].documents[0].number, "000100399");
    assert_int_equal(m->n_warnings, 0);
    ctw_manifest_free(m);
    free(b);
}

static void test_to_json(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file(APIS "gtas-loader__multiple_flight_leg_apis.txt");
    json_t *j = ctw_manifest_to_json(m);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "format")), "paxlst");
    assert_string_equal(json_string_value(json_object_get(j, "version")), "D:05B");
    assert_string_equal(json_string_value(json_object_get(j, "message_ref")), "123456789");
    json_t *flight = json_object_get(j, "flight");
    assert_string_equal(json_string_value(json_object_get(flight, "flight")), "QQ877");
    assert_int_equal(json_array_size(json_object_get(j, "legs")), 3);
    json_t *trs = json_object_get(j, "travellers");
    assert_int_equal(json_array_size(trs), 2);
    json_t *t0 = json_array_get(trs, 0);
    assert_string_equal(json_string_value(json_object_get(t0, "surname")), "BARRETT");
    assert_string_equal(json_string_value(json_object_get(t0, "role")), "passenger");
    assert_string_equal(json_string_value(json_object_get(t0, "booking")), "GJIO3RT");
    assert_string_equal(json_string_value(json_object_get(t0, "sex")), "M");
    json_t *d0 = json_array_get(json_object_get(t0, "documents"), 0);
    assert_string_equal(json_string_value(json_object_get(d0, "number")), "YY3478621G");
    assert_null(json_object_get(t0, "seat"));  /* not sent: left out */
    assert_int_equal(json_array_size(json_object_get(j, "bookings")), 1);
    json_t *w = json_array_get(json_object_get(j, "warnings"), 0);
    assert_string_equal(json_string_value(json_object_get(w, "code")), "trailing_data");
    json_decref(j);
    ctw_manifest_free(m);
    assert_null(ctw_manifest_to_json(NULL));
    str_eq(ctw_manifest_format_name(CTW_MANIFEST_PAXLST), "paxlst");
    str_eq(ctw_manifest_format_name((ctw_manifest_format)99), "?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gtas_test1_crew),   cmocka_unit_test(test_gtas_test3_passengers),
        cmocka_unit_test(test_gtas_airline2),     cmocka_unit_test(test_gtas_multiple_legs),
        cmocka_unit_test(test_gtas_apis_message), cmocka_unit_test(test_dates),
        cmocka_unit_test(test_unknown_segments_warned_once), cmocka_unit_test(test_crew_and_roles),
        cmocka_unit_test(test_faults),            cmocka_unit_test(test_limits),
        cmocka_unit_test(test_large_list),        cmocka_unit_test(test_to_json),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
