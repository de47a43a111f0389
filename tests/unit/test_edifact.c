/* test_edifact.c — the UN/EDIFACT tokenizer of src/travel (edifact_int.h):
 * separators from UNA or the defaults, release characters, folding, the
 * repairs real files need, and the faults and limits it reports. */
#include "test_util.h"

#include "travel/edifact_int.h"

/* Tokenize s into *seg one segment after another. */
typedef struct tok {
    ctw__edi t;
    ctw__edi_seg seg;
    ctw_error err;
} tok;

static tok *tok_new(const char *s, size_t len)
{
    tok *k = calloc(1, sizeof *k);
    assert_non_null(k);
    ctw_error_clear(&k->err);
    int rc = ctw__edi_init(&k->t, s, len, &k->err);
    if (rc) fail_msg("init: %d %s: %s", rc, k->err.where, k->err.message);
    return k;
}

static void next_seg(tok *k, const char *tag)
{
    int rc = ctw__edi_next(&k->t, &k->seg, &k->err);
    if (rc != CTW__EDI_SEG) fail_msg("expected %s, got rc %d (%s: %s)", tag, rc, k->err.where, k->err.message);
    assert_string_equal(k->seg.tag, tag);
}

static void comp_eq(tok *k, size_t e, size_t c, const char *want)
{
    char buf[256];
    ctw__edi_get(&k->seg, e, c, buf, sizeof buf);
    assert_string_equal(buf, want);
}

static void test_defaults(void **state)
{
    (void)state;
    const char *s = "UNB+UNOA:4+APIS*C3K:ZZ'UNH+1+PAXLST:D:02B'NAD+FL+++O?'NEIL:ANN?+MARIE'FTX+a?:b??c'";
    tok *k = tok_new(s, strlen(s));
    assert_false(k->t.una);
    next_seg(k, "UNB");
    assert_int_equal(k->seg.index, 1);
    assert_int_equal(k->seg.offset, 0);
    assert_int_equal(k->seg.n_elems, 2);
    comp_eq(k, 0, 0, "UNOA");
    comp_eq(k, 0, 1, "4");
    comp_eq(k, 1, 0, "APIS*C3K");  /* '*' is data without a UNA saying otherwise */
    comp_eq(k, 1, 1, "ZZ");
    assert_null(ctw__edi_comp(&k->seg, 2, 0));
    assert_null(ctw__edi_comp(&k->seg, 1, 2));
    next_seg(k, "UNH");
    assert_int_equal(k->seg.offset, 23);
    assert_true(ctw__edi_is(&k->seg, 1, 0, "PAXLST"));
    assert_true(ctw__edi_is(&k->seg, 1, 1, "D"));
    next_seg(k, "NAD");
    assert_int_equal(k->seg.n_elems, 4);
    comp_eq(k, 1, 0, "");
    comp_eq(k, 3, 0, "O'NEIL");
    comp_eq(k, 3, 1, "ANN+MARIE");
    next_seg(k, "FTX");
    comp_eq(k, 0, 0, "a:b?c");
    assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW__EDI_END);
    free(k);
}

static void test_una_separators(void **state)
{
    (void)state;
    /* GTAS airline2.edi: element '*', terminator '$', CRLF after each, and a
     * space between a tag and its first separator */
    const char *s = "UNA:*.? $\r\nUNB*UNOA:4*SDT:ZZ$\r\nUNG *PAXLST*AMERICAN AIRLINES:ZZ$\r\n"
                    "NAD*FL***BETTON:DAVID:$\r\nFTX*a+b'c?$d$";
    tok *k = tok_new(s, strlen(s));
    assert_true(k->t.una);
    assert_false(k->t.una_repaired);
    assert_int_equal(k->t.elem, '*');
    assert_int_equal(k->t.term, '$');
    assert_int_equal(k->t.rel, '?');
    next_seg(k, "UNB");
    assert_int_equal(k->seg.index, 1);
    comp_eq(k, 1, 0, "SDT");
    next_seg(k, "UNG");
    comp_eq(k, 0, 0, "PAXLST");
    comp_eq(k, 1, 0, "AMERICAN AIRLINES");
    next_seg(k, "NAD");
    comp_eq(k, 3, 0, "BETTON");
    comp_eq(k, 3, 1, "DAVID");
    comp_eq(k, 3, 2, "");
    next_seg(k, "FTX");
    comp_eq(k, 0, 0, "a+b'c$d");
    assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW__EDI_END);
    free(k);

    /* GTAS danglingMetaCharacter.txt: '-' separates elements, '*' ends segments */
    const char *d = "UNA:-.? *UNB-IATA:1-DL--200223:1410-0.579602*\nTKT-0.291204:T:1*";
    k = tok_new(d, strlen(d));
    assert_int_equal(k->t.rel, '?');
    assert_int_equal(k->t.rep, 0);  /* a space: "not used" */
    next_seg(k, "UNB");
    comp_eq(k, 3, 0, "200223");
    comp_eq(k, 4, 0, "0.579602");
    next_seg(k, "TKT");
    comp_eq(k, 0, 0, "0.291204");
    free(k);

    /* A space in the release position means no release character. */
    const char *n = "UNA:+.  'FTX+a?b'";
    k = tok_new(n, strlen(n));
    assert_int_equal(k->t.rel, 0);
    next_seg(k, "FTX");
    comp_eq(k, 0, 0, "a?b");
    free(k);
}

static void test_whitespace_and_folding(void **state)
{
    (void)state;
    /* leading spaces (apisMessage.txt), "' \r\n" after segments, and line
     * folding inside values (pnr1.txt: "SMITHJ\r\nR") */
    const char *s = " UNA:+.?*'\n UNB+AIR1'\r\n\r\nTIF+SMITHJR+JOHNMR:A:1' \r\n"
                    "SSR+DOCS:HK::DL:::::/P/GBR/1/GBR/12JUL64/M/23AUG19/SMITHJ\r\nR/JOHN'  \n";
    tok *k = tok_new(s, strlen(s));
    assert_true(k->t.una);
    assert_int_equal(k->t.una_offset, 1);
    next_seg(k, "UNB");
    assert_int_equal(k->seg.offset, 12);
    next_seg(k, "TIF");
    comp_eq(k, 0, 0, "SMITHJR");
    next_seg(k, "SSR");
    const ctw__edi_span *sp = ctw__edi_comp(&k->seg, 0, 8);
    assert_non_null(sp);
    assert_true(sp->flags & CTW__EDI_FOLDED);
    comp_eq(k, 0, 8, "/P/GBR/1/GBR/12JUL64/M/23AUG19/SMITHJR/JOHN");
    assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW__EDI_END);
    free(k);

    /* A line break right after a tag is no separator: that is junk. */
    const char *j = "UNB+X'SRC\r\nRCI+DL:ABC'";
    k = tok_new(j, strlen(j));
    next_seg(k, "UNB");
    assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW__EDI_JUNK);
    free(k);
}

static void test_una_repairs(void **state)
{
    (void)state;
    /* GTAS codeshare.edi lost the decimal mark: ":+\*'" */
    const char *s = "UNA:+\\*'\nUNB+IATA:1+1A'LTS+14\\:30 \\*1A'";
    tok *k = tok_new(s, strlen(s));
    assert_true(k->t.una_repaired);
    assert_int_equal(k->t.comp, ':');
    assert_int_equal(k->t.elem, '+');
    assert_int_equal(k->t.rel, '\\');
    assert_int_equal(k->t.term, '\'');
    next_seg(k, "UNB");
    next_seg(k, "LTS");
    comp_eq(k, 0, 0, "14:30 *1A");
    free(k);

    /* GTAS infant.edi: the terminator of the UNA is U+2019 */
    const char *c = "UNA:+.\\*\xE2\x80\x99 UNB+IATA:1+1A+KRC'UNH+1'";
    k = tok_new(c, strlen(c));
    assert_true(k->t.una_repaired);
    assert_int_equal(k->t.term, '\'');
    assert_int_equal(k->t.rel, '\\');
    next_seg(k, "UNB");
    comp_eq(k, 2, 0, "KRC");
    next_seg(k, "UNH");
    free(k);

    /* Unreadable UNAs fail with CTW_EPARSE at the UNA. */
    const char *bad[] = {"UNA:+'", "UNA:::.? 'UNB'", "UNA:+.:*'UNB'", "UNA"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ctw__edi t;
        ctw_error err;
        ctw_error_clear(&err);
        assert_int_equal(ctw__edi_init(&t, bad[i], strlen(bad[i]), &err), CTW_EPARSE);
        assert_non_null(strstr(err.where, "UNA at byte 0"));
    }
}

static void test_curly_terminator(void **state)
{
    (void)state;
    /* pnrMessagePg75.txt: a line ends in U+2019 instead of ' */
    const char *s = "SSR+DOCS:HK:1:SQ:::::/P/KR/JR1/KR/10SEP72/M/05JUL16/PARK/SEJOONM\xE2\x80\x99\n"
                    "TVL+270513:1640+ICN+SIN'FTX+O\xE2\x80\x99NEIL'";
    tok *k = tok_new(s, strlen(s));
    next_seg(k, "SSR");
    comp_eq(k, 0, 8, "/P/KR/JR1/KR/10SEP72/M/05JUL16/PARK/SEJOONM");
    next_seg(k, "TVL");
    comp_eq(k, 1, 0, "ICN");
    next_seg(k, "FTX");  /* inside a line it stays data */
    comp_eq(k, 0, 0, "O\xE2\x80\x99NEIL");
    assert_int_equal(k->t.curly_terminators, 1);
    free(k);
}

static void test_unterminated_and_junk(void **state)
{
    (void)state;
    /* pnrBadFormat.txt: UNZ without terminator, then free text */
    const char *s = "UNT+2+1'\nUNZ+1+00102181551362\n\nModify above message to create bad message.\n";
    tok *k = tok_new(s, strlen(s));
    next_seg(k, "UNT");
    next_seg(k, "UNZ");
    assert_true(k->seg.unterminated);
    comp_eq(k, 1, 0, "00102181551362");
    assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW__EDI_JUNK);
    assert_int_equal(ctw__edi_junk(&k->t, &k->err), CTW_EPARSE);
    assert_string_equal(k->err.where, "segment 3 at byte 31");
    assert_non_null(strstr(k->err.message, "Modify a"));
    free(k);

    /* an unterminated segment on one line is all taken */
    const char *u = "UNB+A'UNZ+1+REF";
    k = tok_new(u, strlen(u));
    next_seg(k, "UNB");
    assert_false(k->seg.unterminated);
    next_seg(k, "UNZ");
    assert_true(k->seg.unterminated);
    comp_eq(k, 1, 0, "REF");
    assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW__EDI_END);
    free(k);

    /* lower case, short or odd tags are junk */
    const char *junk[] = {"unb+x'", "UN", "U?B+'", "UNB-x'"};
    for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++) {
        k = tok_new(junk[i], strlen(junk[i]));
        assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW__EDI_JUNK);
        free(k);
    }
}

static void test_release_at_end(void **state)
{
    (void)state;
    const char *s = "UNB+A'NAD+FL+++SMITH?";
    tok *k = tok_new(s, strlen(s));
    next_seg(k, "UNB");
    assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW_EPARSE);
    assert_string_equal(k->err.where, "segment 2 (NAD) at byte 6");
    assert_non_null(strstr(k->err.message, "release"));
    free(k);
}

static void test_limits(void **state)
{
    (void)state;
    /* 64 data elements are fine, 65 are not */
    char buf[4096];
    size_t n = (size_t)snprintf(buf, sizeof buf, "FTX");
    for (int i = 0; i < CTW_MANIFEST_MAX_ELEMENTS; i++) n += (size_t)snprintf(buf + n, sizeof buf - n, "+%d", i);
    buf[n++] = '\'';
    tok *k = tok_new(buf, n);
    next_seg(k, "FTX");
    assert_int_equal(k->seg.n_elems, CTW_MANIFEST_MAX_ELEMENTS);
    comp_eq(k, 63, 0, "63");
    free(k);
    n--;
    n += (size_t)snprintf(buf + n, sizeof buf - n, "+64'");
    k = tok_new(buf, n);
    assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW_ELIMIT);
    assert_string_equal(k->err.where, "segment 1 (FTX) at byte 0");
    free(k);

    /* components */
    size_t cap = 8 + 2 * (CTW__EDI_MAX_COMPONENTS + 2);
    char *c = malloc(cap);
    assert_non_null(c);
    size_t m = 0;
    memcpy(c, "FTX+", 4);
    m = 4;
    for (int i = 0; i <= CTW__EDI_MAX_COMPONENTS; i++) {  /* one component too many */
        c[m++] = i ? ':' : 'x';
        c[m++] = 'y';
    }
    c[m++] = '\'';
    k = tok_new(c, m);
    assert_int_equal(ctw__edi_next(&k->t, &k->seg, &k->err), CTW_ELIMIT);
    assert_non_null(strstr(k->err.message, "components"));
    free(k);
    free(c);

    /* segments */
    size_t segs = CTW_MANIFEST_MAX_SEGMENTS + 1;
    char *big = malloc(segs * 4);
    assert_non_null(big);
    for (size_t i = 0; i < segs; i++) memcpy(big + 4 * i, "DTM'", 4);
    k = tok_new(big, segs * 4);
    int rc;
    size_t got = 0;
    while ((rc = ctw__edi_next(&k->t, &k->seg, &k->err)) == CTW__EDI_SEG) got++;
    assert_int_equal(rc, CTW_ELIMIT);
    assert_int_equal(got, CTW_MANIFEST_MAX_SEGMENTS);
    assert_non_null(strstr(k->err.where, "segment 200001 at byte 800000"));
    free(k);
    free(big);
}

static void test_message_type(void **state)
{
    (void)state;
    char type[16];
    ctw_error err;
    const char *p = "UNA:+.? 'UNB+UNOA:4+X'UNG+PAXLST'UNH+1+PAXLST:D:05B:UN:IATA'";
    assert_int_equal(ctw__edi_message_type(p, strlen(p), type, sizeof type, &err), 0);
    assert_string_equal(type, "PAXLST");
    const char *q = "UNB+IATA:1+DL'UNH+1+PNRGOV:10:1:IA+F6'";
    assert_int_equal(ctw__edi_message_type(q, strlen(q), type, sizeof type, &err), 0);
    assert_string_equal(type, "PNRGOV");
    const char *r = "UNB+IATA:1+DL'UNZ+1'";
    assert_int_equal(ctw__edi_message_type(r, strlen(r), type, sizeof type, &err), CTW_ENOTFOUND);
    assert_int_equal(ctw__edi_message_type("hello", 5, type, sizeof type, &err), CTW_ENOTFOUND);
    assert_int_equal(ctw__edi_message_type("", 0, type, sizeof type, &err), CTW_ENOTFOUND);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults),          cmocka_unit_test(test_una_separators),
        cmocka_unit_test(test_whitespace_and_folding), cmocka_unit_test(test_una_repairs),
        cmocka_unit_test(test_curly_terminator),  cmocka_unit_test(test_unterminated_and_junk),
        cmocka_unit_test(test_release_at_end),    cmocka_unit_test(test_limits),
        cmocka_unit_test(test_message_type),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
