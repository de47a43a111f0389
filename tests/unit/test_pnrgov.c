/* test_pnrgov.c — PNRGOV: every GTAS sample in tests/data/travel/gtas/pnr
 * (28 files) with the PNRs, travellers and fields read off the files by
 * hand, then hand-made messages for titles, infants, seats, multi-part
 * messages, faults and limits. */
#include "test_util.h"

#include "ctwatch/manifest.h"

#define PNR "tests/data/travel/gtas/pnr/"

/* ---- helpers ------------------------------------------------------------------ */

static ctw_manifest *parse_str(const char *s)
{
    ctw_manifest *m = NULL;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_pnrgov_parse(s, strlen(s), &m, &err);
    if (rc) fail_msg("rc %d %s: %s", rc, err.where, err.message);
    return m;
}

static ctw_manifest *parse_file(const char *name)
{
    char path[256];
    snprintf(path, sizeof path, PNR "%s", name);
    size_t len;
    char *buf = ctw_test_slurp(path, &len);
    ctw_manifest *m = NULL;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_manifest_parse(buf, len, CTW_MANIFEST_DETECT, &m, &err);
    free(buf);
    if (rc) fail_msg("%s: rc %d %s: %s", path, rc, err.where, err.message);
    assert_int_equal(m->format, CTW_MANIFEST_PNRGOV);
    return m;
}

static void parse_fails(const char *s, size_t len, int code, const char *where_part, ctw_error *err)
{
    ctw_manifest sentinel, *m = &sentinel;
    ctw_error_clear(err);
    int rc = ctw_pnrgov_parse(s, len, &m, err);
    if (rc != code) fail_msg("expected %d, got %d (%s: %s)", code, rc, err->where, err->message);
    assert_ptr_equal(m, &sentinel);
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

static void warning(const ctw_manifest *m, const char *code, const char *part)
{
    for (size_t i = 0; i < m->n_warnings; i++)
        if (strcmp(m->warnings[i].code, code) == 0 && (!part || strstr(m->warnings[i].message, part)))
            return;
    fail_msg("no warning %s with \"%s\"", code, part ? part : "");
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

/* The traveller with this surname and given name; fails when absent. */
static const ctw_traveller *who(const ctw_manifest *m, const char *surname, const char *given)
{
    for (size_t i = 0; i < m->n_travellers; i++) {
        const ctw_traveller *t = &m->travellers[i];
        if (t->surname && strcmp(t->surname, surname) == 0 && t->given && strcmp(t->given, given) == 0)
            return t;
    }
    fail_msg("no traveller %s / %s", surname, given);
    return NULL;
}

static const ctw_booking *booking_of(const ctw_manifest *m, const ctw_traveller *t)
{
    assert_true(t->booking >= 0 && (size_t)t->booking < m->n_bookings);
    return &m->bookings[t->booking];
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

static void person(const ctw_traveller *t, ctw_traveller_role role, const char *title,
                   const char *birth, char sex, const char *seat, const char *ref)
{
    assert_int_equal(t->role, role);
    str_eq(t->title, title);
    str_eq(t->birth_date, birth);
    assert_int_equal(t->sex, sex);
    str_eq(t->seat, seat);
    str_eq(t->reference, ref);
}

static void doc_eq(const ctw_traveller *t, size_t i, const char *type, const char *number,
                   const char *issuer, const char *expiry)
{
    assert_true(i < t->n_documents);
    const ctw_travel_doc *d = &t->documents[i];
    str_eq(d->type, type);
    str_eq(d->number, number);
    str_eq(d->issuing_state, issuer);
    str_eq(d->expiry, expiry);
}

#define P CTW_TRAVELLER_PASSENGER
#define I CTW_TRAVELLER_INFANT

/* ---- the GTAS samples, one test each ---------------------------------------------- */

static void test_2_pnrs_basic(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__2_pnrs_basic.edi");
    str_eq(m->version, "PNRGOV:10:1");
    str_eq(m->message_ref, "1");
    str_eq(m->sender, "DL");
    assert_int_equal(m->n_legs, 1);
    leg_eq(&m->legs[0], "DL", "324", "LHR", "JFK", "2010-12-12T09:15", NULL);
    assert_int_equal(m->n_bookings, 2);
    assert_int_equal(m->n_travellers, 4);
    const ctw_booking *b = &m->bookings[0];
    str_eq(b->locator, "MFN4TI");
    str_eq(b->carrier, "DL");
    str_eq(b->created, "2010-12-06T10:10");  /* DAT+700 */
    assert_int_equal(b->n_legs, 2);
    leg_eq(&b->legs[0], "DL", "324", "LHR", "JFK", "2010-12-12T09:15", "2010-12-12T12:30");
    leg_eq(&b->legs[1], "DL", "330", "JFK", "YVR", "2010-12-12T22:00", "2010-12-12T23:30");
    str_eq(m->bookings[1].locator, "23456");
    str_eq(m->bookings[1].carrier, "1A");
    /* DOCS names win over TIF "SMITHJR+JOHNMR" (folded over two lines) */
    const ctw_traveller *t = who(m, "SMITHJR", "MRJONATHON ROBERT");
    person(t, P, "MR", "1964-07-12", 'M', "15A", "1");
    str_eq(t->nationality, "GBR");
    doc_eq(t, 0, "P", "123456789", "GBR", "2019-08-23");
    str_eq(booking_of(m, t)->locator, "MFN4TI");
    t = who(m, "JONES", "WILLIAMNEVELL");
    person(t, P, "MR", "1964-07-12", 'M', "15B", "2");
    assert_int_equal(t->n_documents, 0);  /* DOCS without type and number */
    t = who(m, "WAYNE", "JOHNALVA");
    person(t, P, "MR", "2012-07-12", 'M', "17A", "1");
    str_eq(booking_of(m, t)->locator, "23456");
    t = who(m, "COOPER", "GARYWILLIAM");
    person(t, P, "MR", "2015-07-12", 'M', "15A", "2");  /* check-in SSD beats SSR SEAT 17B */
    doc_eq(t, 0, "P", "987654321", "GBR", "2013-01-15");
    warning(m, "split_pnr", "ABCDEF");
    warning(m, "count_mismatch", "UNT declares 135");
    ctw_manifest_free(m);
}

static void test_3_pnrs(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__3_pnrs.edi");
    str_eq(m->version, "PNRGOV:11:1");
    str_eq(m->message_ref, "00102181551362");
    assert_int_equal(m->n_bookings, 3);
    assert_int_equal(m->n_travellers, 13);
    leg_eq(&m->legs[0], "TZ", "0006", "SIN", "OOL", "2013-05-28T22:25", "2013-05-29T07:50");
    str_eq(m->bookings[0].locator, "W9TEND");
    str_eq(m->bookings[0].created, "2013-05-23T18:13:48");  /* RCI date and time */
    assert_int_equal(m->bookings[0].n_legs, 2);
    const ctw_booking *b = &m->bookings[1];
    str_eq(b->locator, "D1RGHI");
    assert_int_equal(b->n_legs, 4);
    leg_eq(&b->legs[0], "BA", "0011", "LHR", "SIN", "2013-05-27T19:15", "2013-05-28T15:05");
    leg_eq(&b->legs[3], "BA", "0012", "SIN", "LHR", "2013-06-05T22:55", "2013-06-06T05:00");
    str_eq(m->bookings[2].locator, "GBFKSK");
    const ctw_traveller *t = who(m, "VANDENBERG", "KEVIN MICHAEL");
    person(t, P, "MR", "1980-07-04", 'M', NULL, "43576");
    doc_eq(t, 0, "P", "548721687", "USA", "2019-01-12");
    t = who(m, "DYE", "DOLAN");
    person(t, P, "MR", "1990-02-01", 'M', "54A", "43577");
    t = who(m, "DYE", "KAYLA");
    person(t, P, "MS", "1993-04-07", 'F', "54B", "43578");
    t = who(m, "DYE", "ARCHER");
    person(t, I, NULL, "2012-04-15", 'M', NULL, "43578I");  /* DOCS sex MI */
    doc_eq(t, 0, "P", "654321987", "USA", "2019-12-31");
    str_eq(booking_of(m, t)->locator, "D1RGHI");
    t = who(m, "CAPSON", "HUNTER");
    person(t, P, NULL, "1992-04-27", 'M', NULL, "43580");
    who(m, "CAPSON", "LISAL");
    who(m, "ALLEN", "SETH");
    who(m, "TBA", "C");  /* unnamed seats of the group are travellers too */
    who(m, "TBA", "H");
    str_eq(booking_of(m, who(m, "TBA", "H"))->locator, "GBFKSK");
    assert_int_equal(n_warnings(m, "count_mismatch"), 0);
    ctw_manifest_free(m);
}

static void test_adult_and_infant(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__adult_and_infant.edi");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 2);
    str_eq(m->bookings[0].locator, "XXXYET");
    str_eq(m->bookings[0].carrier, "AM");
    str_eq(m->bookings[0].created, "2013-04-30T11:55:00");
    assert_int_equal(m->bookings[0].n_legs, 3);
    leg_eq(&m->bookings[0].legs[0], "AM", "709", "BOG", "MEX", "2013-05-15T01:05", "2013-05-15T05:57");
    const ctw_traveller *t = who(m, "TESTSURNAMEONE", "TESTNAMEONE");
    person(t, P, "MRS", "1976-05-30", 'F', NULL, "1.1");
    doc_eq(t, 0, "P", "52263000", "CO", "2015-10-31");
    /* the infant: SSR INFT, its DOCS (sex FI, "TESTSUR NAMETWO") and its TIF are one */
    t = who(m, "TESTSURNAMETWO", "TESTNAMETWO");
    person(t, I, NULL, "2011-08-10", 'F', NULL, "2.1");
    doc_eq(t, 0, "P", "AO234000", "COL", "2022-12-21");
    ctw_manifest_free(m);
}

static void test_codeshare(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__codeshare.edi");
    warning(m, "bad_una", NULL);  /* "UNA:+\*'" lost its decimal mark */
    leg_eq(&m->legs[0], "SQ", "609", "ICN", "SIN", "2013-05-27T16:40", "2013-05-27T22:00");
    assert_int_equal(m->n_bookings, 2);
    assert_int_equal(m->n_travellers, 2);
    str_eq(m->bookings[0].locator, "2LS6KP");
    str_eq(m->bookings[0].carrier, "1A");
    str_eq(m->bookings[0].created, "2013-05-20T04:39");
    leg_eq(&m->bookings[0].legs[0], "KE", "609", "ICN", "SIN", "2013-05-27T16:40", "2013-05-27T22:00");
    const ctw_traveller *t = who(m, "PARK", "SEJOON");
    person(t, P, "MR", "1972-09-10", 'M', "39G", "1");  /* SSD 039G */
    doc_eq(t, 0, "P", "JR3364288", "KR", "2016-07-05");
    assert_int_equal(t->n_documents, 1);  /* repeated DOCS (KR and KOR) are one document */
    t = who(m, "KIM", "KONG CHUN");  /* DOCS "KON G CHUN" is folding damage */
    person(t, P, "MRS", "1957-02-15", 'F', "14A", "3");
    doc_eq(t, 0, "P", "M17072944", "KOR", "2019-03-23");
    str_eq(booking_of(m, t)->locator, "X49V9U");
    ctw_manifest_free(m);
}

static void test_infant(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__infant.edi");
    warning(m, "bad_una", NULL);  /* its UNA ends in U+2019 */
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 2);
    str_eq(m->bookings[0].locator, "3PGZOV");
    const ctw_traveller *t = who(m, "BELT", "ISABELLE RUTH");
    person(t, P, "MRS", "1978-07-01", 'F', "11D", "2");
    doc_eq(t, 0, "P", "509229987", "GBR", "2022-11-12");
    t = who(m, "BELT", "SOPHY OLIVIA");
    person(t, I, NULL, "2012-09-20", 'F', "11D", "3");
    doc_eq(t, 0, "P", "512731999", "GBR", "2017-10-25");
    ctw_manifest_free(m);
}

static void test_multiple_flight_leg_pnr(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__multiple_flight_leg_pnr.txt");
    str_eq(m->version, "PNRGOV:13:1");
    leg_eq(&m->legs[0], "UA", "988", "FRA", "IAD", "2018-05-12T12:20", "2018-05-12T15:05");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 2);
    const ctw_booking *b = &m->bookings[0];
    str_eq(b->locator, "80F4E3");
    str_eq(b->created, "2018-03-11T22:20");  /* "RCI+UA:80F4E3:110318:2220" */
    assert_int_equal(b->n_legs, 4);
    leg_eq(&b->legs[1], "UA", "8749", "FRA", "KWI", "2018-05-05T13:35", "2018-05-05T20:05");
    leg_eq(&b->legs[2], "UA", "8750", "KWI", "FRA", "2018-05-12T01:50", "2018-05-12T07:00");
    const ctw_traveller *t = who(m, "CHENNAPRAGADA", "STACY CHARLES");
    person(t, P, "MR", "1972-02-18", 'M', "26K", "1");
    doc_eq(t, 0, "P", "25084013", "ERI", "2025-11-17");
    t = who(m, "NUTTALL", "PETER PERRY");
    person(t, P, "MR", "1964-01-12", 'M', "43E", "2");
    warning(m, "count_mismatch", "EQN");
    ctw_manifest_free(m);
}

static void test_no_pnr_history(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__no_pnr_history.edi");
    assert_int_equal(m->n_bookings, 3);
    assert_int_equal(m->n_travellers, 4);
    str_eq(m->bookings[0].locator, "3MZVP2");
    str_eq(m->bookings[1].locator, "33O6DK");
    str_eq(m->bookings[2].locator, "35K2IO");
    leg_eq(&m->bookings[1].legs[0], "LH", "9457", "VCE", "MUC", "2013-05-27T13:00", "2013-05-27T14:05");
    const ctw_traveller *t = who(m, "JACKS", "JAMES");
    person(t, P, NULL, "1966-04-21", 'M', NULL, "1");
    t = who(m, "CARRERA", "MARCUS");
    person(t, P, "MR", "1980-04-17", 'M', NULL, "1");
    doc_eq(t, 0, "P", "YA0196755", "IT", "2020-01-11");
    t = who(m, "DORON", "NINA");
    person(t, P, "MS", "1953-02-05", 'F', NULL, "2");
    t = who(m, "LENDROT", "CHARLOTTE");
    str_eq(booking_of(m, t)->locator, "35K2IO");
    assert_int_equal(n_warnings(m, "count_mismatch"), 0);
    ctw_manifest_free(m);
}

static void test_pnr1_pnr2(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__pnr1.txt");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 2);
    str_eq(m->bookings[0].locator, "MFN4TI");
    const ctw_traveller *t = who(m, "SMITHJR", "MRJONATHON ROBERT");
    doc_eq(t, 0, "P", "123456789", "GBR", "2019-08-23");
    person(who(m, "JONES", "WILLIAMNEVELL"), P, "MR", "1964-07-12", 'M', "15B", "2");
    warning(m, "count_mismatch", "EQN");
    ctw_manifest_free(m);

    m = parse_file("gtas-loader__pnr2.txt");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 2);
    str_eq(m->bookings[0].locator, "23456");
    str_eq(m->bookings[0].carrier, "1A");
    t = who(m, "WAYNE", "JOHNALVA");  /* "WAYNE\r\n/JOHNALVA" */
    doc_eq(t, 0, "P", "123456789", "GBR", "2015-08-23");
    t = who(m, "COOPER", "GARYWILLIAM");  /* "COOPE\r\nR/GARYWILLIAM" */
    person(t, P, "MR", "2015-07-12", 'M', "15A", "2");
    ctw_manifest_free(m);
}

static void test_pnr3_pnr4(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__pnr3.txt");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 4);
    str_eq(m->bookings[0].locator, "52865E");
    str_eq(m->bookings[0].created, "2019-07-22T09:05");
    assert_int_equal(m->bookings[0].n_legs, 3);
    leg_eq(&m->bookings[0].legs[0], "UA", "9146", "FRA", "OSL", "2019-08-20T10:05", "2019-08-20T12:00");
    const ctw_traveller *t = who(m, "DOOLIN", "PETER SEBASTIAN");
    person(t, P, NULL, "1949-09-21", 'M', "48D", "1");
    str_eq(t->nationality, "PAK");
    doc_eq(t, 0, "P", "276222776", "GBR", "2017-12-20");
    t = who(m, "WOO", "FEN MULAN");
    person(t, P, NULL, "1997-09-04", 'F', "73E", "3");
    doc_eq(t, 0, NULL, "270398251", "ERI", "2017-11-18");  /* "//ERI/...": no type sent */
    who(m, "CHISOLM", "MERLE LEISA");
    person(who(m, "FENWICK", "ABBY LOUISE"), P, NULL, "1953-07-06", 'F', "56D", "4");
    ctw_manifest_free(m);

    m = parse_file("gtas-loader__pnr4.txt");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 1);
    str_eq(m->bookings[0].locator, "0995F0");
    assert_int_equal(m->bookings[0].n_legs, 2);
    t = who(m, "RAVAL", "CHRISTOPHER JAY");
    person(t, P, NULL, "1964-09-09", 'M', "48E", "1");
    doc_eq(t, 0, "P", "117557052", "GBR", "2025-05-16");
    ctw_manifest_free(m);
}

static void check_message_example(ctw_manifest *m)
{
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 5);
    str_eq(m->bookings[0].locator, "7C789A");
    str_eq(m->bookings[0].created, "2018-08-23T12:20");
    assert_int_equal(m->bookings[0].n_legs, 3);
    leg_eq(&m->bookings[0].legs[0], "ET", "834", "WDH", "ADD", "2018-09-27T14:20", "2018-09-27T21:20");
    const ctw_traveller *t = who(m, "LOBB", "MOLLY ZARA");  /* DOCS "MOLLYMRS/ZARA" */
    person(t, P, "MRS", "1954-08-13", 'F', "22C", "1");
    doc_eq(t, 0, "P", "796428965", "GBR", "2025-04-26");
    t = who(m, "PHILIPPS", "MATTHIAS TIM");
    doc_eq(t, 0, "P", "330102546", NULL, "2024-01-08");
    person(who(m, "HABTE", "LIYA SOPHIA"), P, "MRS", "1960-03-29", 'F', "33J", "5");
    who(m, "BOLOGNA", "BRANDON WINSTON");
    who(m, "EULENBERGER", "LUCA MARIO");
}

static void test_message_example(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__pnrMessageExample.txt");
    check_message_example(m);
    ctw_manifest_free(m);
    m = parse_file("gtas-parsers__pnrMessageExample.txt");  /* the same file in gtas-parsers */
    check_message_example(m);
    ctw_manifest_free(m);
}

static void test_pnr_split(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-loader__pnr_split.edi");
    assert_int_equal(m->n_bookings, 2);
    assert_int_equal(m->n_travellers, 3);
    str_eq(m->bookings[0].locator, "ICOXXX");
    str_eq(m->bookings[0].created, "2013-04-12T17:55:00");
    str_eq(m->bookings[1].locator, "BJOXXX");
    leg_eq(&m->bookings[0].legs[1], "AM", "499", "LAS", "MTY", "2013-05-26T13:11", "2013-05-26T18:00");
    person(who(m, "TESTSURNAMEONE", "TESTNAMEONE"), P, "MRS", NULL, 0, NULL, "1.1");
    person(who(m, "TESTSURNAMEONE", "TESTNAMETWO"), P, "MR", NULL, 0, NULL, "2.1");
    const ctw_traveller *t = who(m, "TESTSURNAMETHREE", "TESTNAMETHREE");
    person(t, P, "MR", "1994-10-14", 'M', NULL, "1.1");
    doc_eq(t, 0, "P", "AO589000", "CO", "2023-05-08");
    /* the PNR ZLMXXX split from BJOXXX is named, not read */
    warning(m, "split_pnr", "ZLMXXX");
    assert_null(m->part);
    ctw_manifest_free(m);
}

static void test_big_messages(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-parsers__bigMessagePnr.txt");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 7);
    str_eq(m->bookings[0].locator, "86C92D");
    person(who(m, "HOLCOMBE", "LORELEI LISE"), P, "MRS", "1998-08-12", 'F', "38E", "1");
    const ctw_traveller *t = who(m, "HOU", "LI SHI");  /* TIF "HOU+LIMR" */
    person(t, P, "MR", "1993-09-25", 'M', NULL, "7");
    doc_eq(t, 0, "P", "945329717", "ERI", "2023-04-21");
    ctw_manifest_free(m);

    m = parse_file("gtas-parsers__bigbigPnr.txt");
    assert_int_equal(m->n_bookings, 47);
    assert_int_equal(m->n_travellers, 86);
    str_eq(m->bookings[0].locator, "BGXFR4");
    str_eq(m->bookings[46].locator, "RG7B22");
    t = who(m, "LAI", "BI DULCE");
    person(t, P, NULL, "1989-05-28", 'F', "1A", "1");
    doc_eq(t, 0, "P", "191259499", "ERI", "2022-07-24");
    t = who(m, "BRYAN", "KENNY JAY");
    person(t, P, NULL, "1946-10-14", 'M', "24A", "3");  /* SSD on JFK-GYE XL1439 */
    str_eq(booking_of(m, t)->locator, "RG7B22");
    warning(m, "count_mismatch", "declares 1 PNRs, the message holds 47");
    ctw_manifest_free(m);

    m = parse_file("gtas-parsers__pnrWithBags.txt");
    assert_int_equal(m->n_bookings, 127);
    assert_int_equal(m->n_travellers, 268);
    str_eq(m->bookings[0].locator, "157313");
    t = who(m, "FENNER", "JACKI ANJA");
    person(t, P, "MRS", "1970-06-02", 'F', "22J", "1");  /* SSD on FRA-IAD UA988 */
    doc_eq(t, 0, NULL, "448763368", "USA", "2022-05-18");
    t = who(m, "ALLKINS", "ELISE CHARLIE");
    doc_eq(t, 0, "P", "628326846", "GBR", "2022-07-22");
    ctw_manifest_free(m);
}

/* pnrBadFormat.txt: the UNH reference is folded over two lines, UNT is
 * glued to the RCI before it and counts 173 segments of 24, the UNZ has no
 * terminator and a line of English follows the interchange. All of it is
 * readable: warnings, and both travellers. */
static void test_bad_format(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-parsers__pnrBadFormat.txt");
    str_eq(m->message_ref, "00102181551362");
    str_eq(m->sender, "TZ");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 2);
    str_eq(m->bookings[0].locator, "35K2IO");
    str_eq(m->bookings[0].carrier, "1A");
    str_eq(m->bookings[0].created, "2013-02-15T01:49");
    leg_eq(&m->bookings[0].legs[0], "LH", "474", "MUC", "YUL", "2013-05-27T15:50", "2013-05-27T18:20");
    person(who(m, "DORON", "NINA"), P, "MS", "1953-02-05", 'F', NULL, "2");
    person(who(m, "LENDROT", "CHARLOTTE"), P, "MS", "1952-02-14", 'F', NULL, "1");
    warning(m, "count_mismatch", "segment 26 (UNT)");
    warning(m, "unterminated_segment", "(UNZ)");
    warning(m, "trailing_data", NULL);
    assert_int_equal(m->n_warnings, 3);
    ctw_manifest_free(m);

    m = parse_file("gtas-parsers__pnrMessagePg76.txt");  /* the same without the English */
    assert_int_equal(m->n_travellers, 2);
    warning(m, "unterminated_segment", "(UNZ)");
    assert_int_equal(n_warnings(m, "trailing_data"), 0);
    ctw_manifest_free(m);
}

/* danglingMetaCharacter.txt: '*' ends segments and '-' separates elements
 * (a regular-expression split chokes on '*'); UNT-34 counts wrong. */
static void test_dangling_meta_character(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-parsers__danglingMetaCharacter.txt");
    str_eq(m->version, "PNRGOV:13:1");
    str_eq(m->sender, "DL");
    leg_eq(&m->legs[0], "DL", "441", "JFK", "MBJ", "2020-02-23T10:10", "2020-02-23T14:22");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 1);
    const ctw_booking *b = &m->bookings[0];
    str_eq(b->locator, "BGXFR4");
    str_eq(b->created, "2020-01-26T21:00");
    assert_int_equal(b->n_legs, 3);
    leg_eq(&b->legs[0], "VS", "138", "JFK", "LHR", "2020-02-21T21:00", "2020-02-22T09:00");
    leg_eq(&b->legs[1], "BA", "117", "LHR", "JFK", "2020-02-22T08:25", "2020-02-22T11:25");
    const ctw_traveller *t = who(m, "SERIO", "REUBEN JOAQUIN");
    person(t, P, NULL, "1994-10-20", 'M', "1A", "1");
    doc_eq(t, 0, "P", "9173574", "THA", "2028-04-20");
    warning(m, "count_mismatch", "UNT declares 34");
    assert_int_equal(m->n_warnings, 1);
    ctw_manifest_free(m);
}

static void test_pg75_pg77_codeshare77(void **state)
{
    (void)state;
    /* Pg75: three lines end in U+2019 instead of '; an ORG swallows a TIF */
    ctw_manifest *m = parse_file("gtas-parsers__pnrMessagePg75.txt");
    warning(m, "curly_quote", "3 segments");
    assert_int_equal(m->n_bookings, 2);
    assert_int_equal(m->n_travellers, 2);
    person(who(m, "PARK", "SEJOON"), P, "MR", "1972-09-10", 'M', "39G", "1");
    const ctw_traveller *t = who(m, "KIM", "KONG CHUN");  /* known from DOCS and the check-in TIF */
    person(t, P, "MRS", "1957-02-15", 'F', "14A", "3");
    str_eq(booking_of(m, t)->locator, "X49V9U");
    ctw_manifest_free(m);

    m = parse_file("gtas-parsers__pnrMessagePg77.txt");
    assert_int_equal(m->n_travellers, 1);
    str_eq(m->bookings[0].locator, "W9TEND");
    t = who(m, "VANDENBERG", "KEVIN MICHAEL");  /* "VANDENBE\nRG" */
    doc_eq(t, 0, "P", "548721687", "USA", "2019-01-12");
    assert_int_equal(m->bookings[0].n_legs, 2);
    ctw_manifest_free(m);

    m = parse_file("gtas-parsers__modifyPnr77ForCodeShare.txt");
    assert_int_equal(m->n_travellers, 1);
    assert_int_equal(m->bookings[0].n_legs, 6);
    leg_eq(&m->bookings[0].legs[0], "SQ", "5678", "LHR", "ARN", "2022-01-11T19:00", "2022-01-11T22:30");
    leg_eq(&m->bookings[0].legs[3], "TZ", "0002", "OOL", "SIN", "2013-05-31T09:00", NULL);
    warning(m, "bad_date", "4321");
    who(m, "VANDENBERG", "KEVIN MICHAEL");
    ctw_manifest_free(m);
}

static void test_pnr_message_one_line(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-parsers__pnrMessage.txt");
    assert_int_equal(m->n_bookings, 1);
    assert_int_equal(m->n_travellers, 2);
    person(who(m, "SMITHJR", "JONATHON ROBERT"), P, "MR", "1964-07-12", 'M', "15A", "1");
    who(m, "JONES", "WILLIAMNEVELL");
    ctw_manifest_free(m);
}

static void test_small_lobb_messages(void **state)
{
    (void)state;
    static const char *const files[] = {"gtas-parsers__pnrAddressPhoneCTCM.txt", "gtas-parsers__pnrEdge.txt",
                                        "gtas-parsers__pnrNoOrgMsg.txt", "gtas-parsers__pnrPhoneCTCM.txt",
                                        "gtas-parsers__pnrPhoneCTC_M.txt"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        ctw_manifest *m = parse_file(files[i]);
        assert_int_equal(m->n_bookings, 1);
        assert_int_equal(m->n_travellers, 1);
        str_eq(m->bookings[0].locator, "7C789A");
        str_eq(m->bookings[0].created, "2018-08-23T12:20");
        leg_eq(&m->legs[0], "UA", "988", "FRA", "IAD", "2018-09-28T12:20", "2018-09-28T15:05");
        person(who(m, "LOBB", "MOLLY"), P, "MRS", NULL, 0, NULL, "1");
        warning(m, "count_mismatch", "UNT declares 50");
        ctw_manifest_free(m);
    }
}

static void test_seat_formats_doco_prefixes(void **state)
{
    (void)state;
    ctw_manifest *m = parse_file("gtas-parsers__pnrSeatFormats.txt");
    /* SEAT 36K on FRA-IAD, the flight reported, beats NSST 074E on SFO-IAD */
    person(who(m, "LOBB", "MOLLY ZARA"), P, "MRS", "1954-08-13", 'F', "36K", "1");
    ctw_manifest_free(m);

    m = parse_file("gtas-parsers__pnrWithDoco.txt");
    const ctw_traveller *t = who(m, "ACKARY", "CHARLES MUHAMMAD");
    person(t, P, "MR", "1948-12-26", 'M', "23K", "1");
    assert_int_equal(t->n_documents, 2);
    doc_eq(t, 0, "P", "602120901", "GBR", "2021-01-30");
    doc_eq(t, 1, "V", "8675309", "OTHER PLACE", NULL);  /* SSR DOCO: a visa */
    str_eq(t->documents[1].issued, "2006-12-22");
    ctw_manifest_free(m);

    m = parse_file("gtas-parsers__pnrWithPrefixesAndBookingDetailBags.txt");
    assert_int_equal(m->n_travellers, 2);
    str_eq(m->bookings[0].locator, "8A4E83");
    assert_int_equal(m->bookings[0].n_legs, 4);
    person(who(m, "ADONAY", "YORDA KISANET"), P, "MRS", "1997-06-18", 'F', "8A", "1");
    t = who(m, "PETROS", "FNAN ZAHRA");
    person(t, P, "MRS", "1992-09-06", 'F', "6C", "2");
    doc_eq(t, 0, "P", "586993080", "CZE", "2025-07-17");
    ctw_manifest_free(m);
}

/* ---- hand-made messages ------------------------------------------------------------ */

#define HEAD "UNB+IATA:1+XX'UNH+7+PNRGOV:13:1:IA+REF'MSG+:22'ORG+XX'TVL+010126:1000:010126:1200+AAA+BBB+XX+1'EQN+1'"

static void test_titles_infants_tifs(void **state)
{
    (void)state;
    const char *s = HEAD "SRC'RCI+XX:LOC001::311225:2359'"
                         "TIF+ADAMS+JOHN PAULMR:A:1'TIF+DOE+JANE DR:A:2'TIF+ONE+AL:A:3'"
                         "TIF+GROUP OF TEN:G'TIF+TWO+ANN:A:4+BOB:C:5'"
                         "SSR+INFT:HK:1:XX:::::ADAMS/BABY 01JAN25+::1'"
                         "SSR+DOCS:HK:1:XX:::::/P/FRA/P9/FRA/01JAN25/FI/01JAN30/ADAMS/BABY/ROSE+::1'"
                         "SSR+DOCS:HK:1:XX:::::/P/FRA/P1/FRA/02FEB70/M/02FEB30/ADAMS/JOHN PAUL+::1'"
                         "TVL+010126:1000::1200+AAA+BBB+XX+1'SSR+SEAT:HK:2:XX:::AAA:BBB+01A::1+2B::2'"
                         "TRI++1:::4'TIF+TWO+ANN:A:4'SSD+03C'"
                         "UNT+21+7'";
    ctw_manifest *m = parse_str(s);
    assert_int_equal(m->n_bookings, 1);
    str_eq(m->bookings[0].created, "2025-12-31T23:59");
    assert_int_equal(m->n_travellers, 6);  /* no group name; the infant once */
    const ctw_traveller *t = who(m, "ADAMS", "JOHN PAUL");
    person(t, P, "MR", "1970-02-02", 'M', "1A", "1");
    person(who(m, "DOE", "JANE"), P, "DR", NULL, 0, "2B", "2");
    person(who(m, "ONE", "AL"), P, NULL, NULL, 0, NULL, "3");  /* too short to hold a title */
    person(who(m, "TWO", "ANN"), P, NULL, NULL, 0, "3C", "4");
    person(who(m, "TWO", "BOB"), P, NULL, NULL, 0, NULL, "5");
    t = who(m, "ADAMS", "BABY ROSE");
    person(t, I, NULL, "2025-01-01", 'F', NULL, NULL);  /* an infant's SSRs carry the adult's ref */
    assert_int_equal(t->n_documents, 1);
    assert_int_equal(m->n_warnings, 0);
    ctw_manifest_free(m);
}

static void test_multi_part_and_envelope(void **state)
{
    (void)state;
    const char *s = "UNA:+.?*'UNB+IATA:1+XX'UNH+7+PNRGOV:11:1:IA+REF+2:C'SRC'RCI+XX:L1'TIF+A+B:A:1'"
                    "XYZ+1'XYZ+2'UNT+7+7'UNZ+1+1'";
    ctw_manifest *m = parse_str(s);
    str_eq(m->part, "2:C");
    str_eq(m->version, "PNRGOV:11:1");
    warning(m, "multi_part", "part 2, marked C");
    assert_int_equal(n_warnings(m, "unknown_segment"), 1);
    assert_int_equal(n_warnings(m, "count_mismatch"), 0);
    assert_int_equal(m->n_travellers, 1);
    ctw_manifest_free(m);

    /* a PNR without SRC is read, with a warning */
    const char *n = "UNH+7+PNRGOV:11:1:IA'RCI+XX:L2'TIF+C+D:A:1'UNT+4+7'";
    m = parse_str(n);
    warning(m, "missing_segment", "SRC");
    str_eq(m->bookings[0].locator, "L2");
    who(m, "C", "D");
    ctw_manifest_free(m);
}

static void test_faults(void **state)
{
    (void)state;
    ctw_error err;
    const char *s1 = "UNB+IATA:1+DL'SRC'UNH+1+PNRGOV:10:1:IA'";
    parse_fails(s1, strlen(s1), CTW_EPARSE, "segment 2 (SRC) at byte 14", &err);
    const char *s2 = "UNH+1+PNRGOV:10:1:IA'SRC'RCI+DL:AB'TIF+X+Y:A:1'\x01\x02garbage'UNT+5+1'";
    parse_fails(s2, strlen(s2), CTW_EPARSE, "segment 5 at byte 47", &err);
    const char *s3 = "UNH+1+PNRGOV:10:1:IA'SRC'TIF+X+Y?";
    parse_fails(s3, strlen(s3), CTW_EPARSE, "segment 3 (TIF) at byte 25", &err);
    const char *s4 = "UNH+1+PAXLST:D:05B:UN:IATA'";
    parse_fails(s4, strlen(s4), CTW_EPARSE, "(UNH)", &err);
    parse_fails("UNB+X'", 6, CTW_EPARSE, "message", &err);
    assert_non_null(strstr(err.message, "UNH"));
    ctw_manifest *m = NULL;
    assert_int_equal(ctw_pnrgov_parse(NULL, 1, &m, &err), CTW_EINVAL);
}

static void test_limits(void **state)
{
    (void)state;
    ctw_error err;
    size_t cap = 64 + (size_t)(CTW_MANIFEST_MAX_TRAVELLERS + 1) * 24;
    char *b = malloc(cap);
    assert_non_null(b);
    size_t n = (size_t)snprintf(b, cap, "UNH+1+PNRGOV:13:1:IA'SRC'RCI+XX:L'");
    for (int i = 0; i <= CTW_MANIFEST_MAX_TRAVELLERS; i++)
        n += (size_t)snprintf(b + n, cap - n, "TIF+S+G:A:%d'", i);
    parse_fails(b, n, CTW_ELIMIT, "(TIF)", &err);
    assert_non_null(strstr(err.message, "20000 travellers"));
    free(b);

    char e[1024];
    n = (size_t)snprintf(e, sizeof e, "UNH+1+PNRGOV:13:1:IA'SRC'SSR+SEAT:HK:99:XX:::AAA:BBB");
    for (int i = 0; i <= CTW_MANIFEST_MAX_ELEMENTS; i++) n += (size_t)snprintf(e + n, sizeof e - n, "+%dA::%d", i + 1, i);
    n += (size_t)snprintf(e + n, sizeof e - n, "'");
    parse_fails(e, n, CTW_ELIMIT, "segment 3 (SSR) at byte 25", &err);

    size_t big = (size_t)CTW_MANIFEST_MAX_BYTES + 1;
    b = calloc(1, big);
    assert_non_null(b);
    parse_fails(b, big, CTW_ELIMIT, NULL, &err);
    free(b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_2_pnrs_basic),         cmocka_unit_test(test_3_pnrs),
        cmocka_unit_test(test_adult_and_infant),     cmocka_unit_test(test_codeshare),
        cmocka_unit_test(test_infant),               cmocka_unit_test(test_multiple_flight_leg_pnr),
        cmocka_unit_test(test_no_pnr_history),       cmocka_unit_test(test_pnr1_pnr2),
        cmocka_unit_test(test_pnr3_pnr4),            cmocka_unit_test(test_message_example),
        cmocka_unit_test(test_pnr_split),            cmocka_unit_test(test_big_messages),
        cmocka_unit_test(test_bad_format),           cmocka_unit_test(test_dangling_meta_character),
        cmocka_unit_test(test_pg75_pg77_codeshare77), cmocka_unit_test(test_pnr_message_one_line),
        cmocka_unit_test(test_small_lobb_messages),  cmocka_unit_test(test_seat_formats_doco_prefixes),
        cmocka_unit_test(test_titles_infants_tifs),  cmocka_unit_test(test_multi_part_and_envelope),
        cmocka_unit_test(test_faults),               cmocka_unit_test(test_limits),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
