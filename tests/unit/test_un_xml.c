/* test_un_xml.c — the UN Security Council Consolidated List reader
 * (src/import/un_xml.c) on the real list of 2026-02-27 and on hostile input.
 */
#include "test_util.h"

#include <pthread.h>

#include <libxml/xmlerror.h>

#include "ctwatch/import.h"

#define UN_FILE "tests/data/un/consolidated-2026-02-27.xml"

/* ---- a sink that keeps what it is given ----------------------------------- */

typedef struct collected {
    ctw_record **v;
    size_t n, cap;
    size_t stop_after; /* 0: never stop */
    int stop_rc;
} collected;

static int keep_sink(void *ud, ctw_record *rec)
{
    collected *c = ud;
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 64;
        ctw_record **v = realloc(c->v, cap * sizeof *v);
        if (!v) {
            ctw_record_free(rec);
            return CTW_ENOMEM;
        }
        c->v = v;
        c->cap = cap;
    }
    c->v[c->n++] = rec;
    if (c->stop_after && c->n == c->stop_after) return c->stop_rc;
    return 0;
}

static void collected_free(collected *c)
{
    for (size_t i = 0; i < c->n; i++) ctw_record_free(c->v[i]);
    free(c->v);
    memset(c, 0, sizeof *c);
}

static int read_str(const char *xml, collected *c, ctw_error *err)
{
    return ctw_un_xml_read_mem(xml, strlen(xml), "t.xml", keep_sink, c, err);
}

/* The real list is read once and shared by the tests that look at it. */
static collected un_all;

static int setup_real(void **state)
{
    (void)state;
    size_t len;
    char *buf = ctw_test_slurp(UN_FILE, &len);
    ctw_error err = {0};
    int rc = ctw_un_xml_read_mem(buf, len, UN_FILE, keep_sink, &un_all, &err);
    free(buf);
    if (rc != 0) fprintf(stderr, "read %s: %d %s %s\n", UN_FILE, rc, err.where, err.message);
    return rc;
}

static int teardown_real(void **state)
{
    (void)state;
    collected_free(&un_all);
    return 0;
}

static const ctw_record *find(const char *source_id)
{
    for (size_t i = 0; i < un_all.n; i++)
        if (strcmp(un_all.v[i]->source_id, source_id) == 0) return un_all.v[i];
    fail_msg("no record %s", source_id);
    return NULL;
}

static const ctw_name *find_name(const ctw_record *r, const char *full)
{
    for (size_t i = 0; i < r->names.n; i++)
        if (strcmp(r->names.v[i].full, full) == 0) return &r->names.v[i];
    fail_msg("%s has no name \"%s\"", r->source_id, full);
    return NULL;
}

static bool has_date(const ctw_record *r, ctw_date_precision p, const char *from, const char *to)
{
    for (size_t i = 0; i < r->birth_dates.n; i++) {
        const ctw_date *d = &r->birth_dates.v[i];
        if (d->precision == p && d->from && strcmp(d->from, from) == 0 &&
            ((!to && !d->to) || (to && d->to && strcmp(d->to, to) == 0)))
            return true;
    }
    return false;
}

/* Strict UTF-8: no overlongs, no surrogates, nothing past U+10FFFF. */
static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (s && *p) {
        unsigned c = *p;
        int n = c < 0x80 ? 0 : (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (n < 0 || (n == 1 && c < 0xC2) || c > 0xF4) return false;
        unsigned cp = n == 0 ? c : c & (0x3F >> n);
        for (int i = 1; i <= n; i++) {
            if ((p[i] & 0xC0) != 0x80) return false;
            cp = (cp << 6) | (p[i] & 0x3F);
        }
        if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
            return false;
        p += n + 1;
    }
    return true;
}

/* ---- the real list -------------------------------------------------------- */

static void test_counts_and_ids(void **state)
{
    (void)state;
    size_t persons = 0, orgs = 0;
    for (size_t i = 0; i < un_all.n; i++) {
        const ctw_record *r = un_all.v[i];
        if (r->kind == CTW_KIND_PERSON) persons++;
        else if (r->kind == CTW_KIND_ORGANISATION) orgs++;
        else fail_msg("record %zu has kind %d", i, r->kind);
        assert_non_null(r->source_id);
        assert_true(r->names.n > 0);
        assert_int_equal(r->listings.n, 1);
        for (size_t j = 0; j < i; j++)
            if (strcmp(un_all.v[j]->source_id, r->source_id) == 0)
                fail_msg("source_id %s twice", r->source_id);
    }
    assert_int_equal(persons, 730);
    assert_int_equal(orgs, 273);
}

static void test_all_utf8_and_mapped(void **state)
{
    (void)state;
    size_t unmapped = 0;
    for (size_t i = 0; i < un_all.n; i++) {
        const ctw_record *r = un_all.v[i];
        assert_true(utf8_ok(r->remarks));
        for (size_t j = 0; j < r->names.n; j++) {
            assert_true(utf8_ok(r->names.v[j].full));
            assert_non_null(r->names.v[j].script);
        }
        for (size_t j = 0; j < r->addresses.n; j++) assert_true(utf8_ok(r->addresses.v[j].full));
        for (size_t j = 0; j < r->birth_places.n; j++) assert_true(utf8_ok(r->birth_places.v[j].place));
        for (size_t j = 0; j < r->nationalities.n; j++)
            if (!r->nationalities.v[j].country) {
                fprintf(stderr, "unmapped nationality %s: %s\n", r->source_id, r->nationalities.v[j].text);
                unmapped++;
            }
    }
    assert_int_equal(unmapped, 0);
}

/* QDi.290: three given names, a Cyrillic original-script name, birth dates
 * as exact dates and as a year (also from an alias), two nationalities,
 * a Russian passport. */
static void test_person_umarov(void **state)
{
    (void)state;
    const ctw_record *r = find("QDi.290");
    assert_int_equal(r->kind, CTW_KIND_PERSON);
    assert_null(r->gender);

    const ctw_name *n = find_name(r, "DOKU KHAMATOVICH UMAROV");
    assert_int_equal(n->kind, CTW_NAME_PRIMARY);
    assert_string_equal(n->given, "DOKU");
    assert_string_equal(n->middle, "KHAMATOVICH");
    assert_string_equal(n->family, "UMAROV");
    assert_string_equal(n->script, "Latn");
    assert_ptr_equal(n, &r->names.v[0]);

    n = find_name(r, "Умаров Доку Хаматович");
    assert_int_equal(n->kind, CTW_NAME_ORIGINAL);
    assert_string_equal(n->script, "Cyrl");

    n = find_name(r, "Lom-ali Butayev (Butaev)");
    assert_int_equal(n->kind, CTW_NAME_ALIAS_STRONG);
    assert_string_equal(n->quality, "Good");
    n = find_name(r, "Dokka Umarov");
    assert_int_equal(n->kind, CTW_NAME_ALIAS_STRONG);
    assert_int_equal(r->names.n, 4); /* "Dokka Umarov" is listed twice, kept once */

    assert_int_equal(r->birth_dates.n, 4);
    assert_int_equal(r->birth_dates.v[0].precision, CTW_DATE_EXACT);
    assert_string_equal(r->birth_dates.v[0].from, "1964-04-13");
    assert_true(has_date(r, CTW_DATE_EXACT, "1965-04-13", NULL));
    assert_true(has_date(r, CTW_DATE_EXACT, "1964-05-12", NULL));
    assert_true(has_date(r, CTW_DATE_YEAR, "1955", NULL));

    assert_int_equal(r->birth_places.n, 1);
    assert_string_equal(r->birth_places.v[0].country, "RUS");
    assert_non_null(strstr(r->birth_places.v[0].place, "Kharsenoy Village"));

    assert_int_equal(r->nationalities.n, 2);
    assert_string_equal(r->nationalities.v[0].country, "RUS");
    assert_string_equal(r->nationalities.v[0].text, "Russian Federation");
    assert_string_equal(r->nationalities.v[1].country, "SUN");

    assert_int_equal(r->identifiers.n, 1);
    const ctw_identifier *id = &r->identifiers.v[0];
    assert_string_equal(id->type, "passport");
    assert_string_equal(id->number, "96 03 464086");
    assert_string_equal(id->country, "RUS");
    assert_string_equal(id->issued, "2003-06-01");

    assert_int_equal(r->addresses.n, 0); /* <INDIVIDUAL_ADDRESS><COUNTRY/></...> */
    assert_non_null(strstr(r->remarks, "Physical description: 180 cm tall"));
    assert_non_null(strstr(r->remarks, "\n")); /* line breaks of COMMENTS1 kept */

    const ctw_listing *l = &r->listings.v[0];
    assert_string_equal(l->kind, "un-sc-sanctions-listing");
    assert_string_equal(l->authority, "UN Security Council");
    assert_string_equal(l->program, "Al-Qaida");
    assert_string_equal(l->reference, "QDi.290");
    assert_string_equal(l->listed_on, "2011-03-10");
    assert_string_equal(l->status, "published");
}

/* QDi.289: two passports from two countries and a Kuwaiti civil id. */
static void test_person_documents(void **state)
{
    (void)state;
    const ctw_record *r = find("QDi.289");
    assert_string_equal(find_name(r, "سعید جان عبد السلام")->script, "Arab");
    assert_int_equal(find_name(r, "Qazi Abdullah")->kind, CTW_NAME_ALIAS_WEAK);
    assert_string_equal(find_name(r, "Qazi Abdullah")->quality, "Low");
    assert_int_equal(r->identifiers.n, 3);
    assert_string_equal(r->identifiers.v[0].type, "passport");
    assert_string_equal(r->identifiers.v[0].number, "OR801168");
    assert_string_equal(r->identifiers.v[0].country, "AFG");
    assert_string_equal(r->identifiers.v[0].issued, "2006-02-28");
    assert_string_equal(r->identifiers.v[1].type, "passport");
    assert_string_equal(r->identifiers.v[1].number, "4117921");
    assert_string_equal(r->identifiers.v[1].country, "PAK");
    assert_string_equal(r->identifiers.v[2].type, "national-id");
    assert_string_equal(r->identifiers.v[2].number, "281020505755");
    assert_string_equal(r->identifiers.v[2].country, "KWT");
    assert_non_null(strstr(r->identifiers.v[2].note, "Civil Identification number"));
}

/* CDi.030: born BETWEEN 1973 and 1974; gender Male. */
static void test_between(void **state)
{
    (void)state;
    const ctw_record *r = find("CDi.030");
    assert_string_equal(r->gender, "male");
    assert_int_equal(r->birth_dates.n, 1);
    assert_int_equal(r->birth_dates.v[0].precision, CTW_DATE_RANGE);
    assert_string_equal(r->birth_dates.v[0].from, "1973");
    assert_string_equal(r->birth_dates.v[0].to, "1974");
    assert_string_equal(r->nationalities.v[0].country, "COD");
    assert_string_equal(r->addresses.v[0].full, "Belgium");
    assert_string_equal(r->addresses.v[0].country, "BEL");
    assert_string_equal(r->addresses.v[0].note, "As of 14 December 2022");
    assert_string_equal(r->listings.v[0].program, "DRC");
}

/* CDi.014: an exact date and an APPROXIMATELY year; two designations. */
static void test_approximately(void **state)
{
    (void)state;
    const ctw_record *r = find("CDi.014");
    assert_int_equal(r->birth_dates.n, 2);
    assert_true(has_date(r, CTW_DATE_EXACT, "1962-03-17", NULL));
    assert_true(has_date(r, CTW_DATE_APPROX, "1966", NULL));
    size_t designations = 0;
    for (size_t i = 0; i < r->attributes.n; i++)
        if (strcmp(r->attributes.v[i].key, "designation") == 0) designations++;
    assert_int_equal(designations, 2);
}

/* Month written as text in NOTE, and a Hijri date kept as text only. */
static void test_dates_as_text(void **state)
{
    (void)state;
    size_t month = 0, text_only = 0;
    for (size_t i = 0; i < un_all.n; i++)
        for (size_t j = 0; j < un_all.v[i]->birth_dates.n; j++) {
            const ctw_date *d = &un_all.v[i]->birth_dates.v[j];
            if (d->precision == CTW_DATE_MONTH && d->text && strcmp(d->text, "Nov. 1973") == 0) {
                assert_string_equal(d->from, "1973-11");
                month++;
            }
            if (!d->from) {
                assert_non_null(d->text);
                if (strstr(d->text, "Hijri")) text_only++;
            }
        }
    assert_int_equal(month, 1);
    assert_int_equal(text_only, 1);
}

/* Alias texts holding several names are split on ';' only. */
static void test_alias_lists(void **state)
{
    (void)state;
    const ctw_record *r = find("QDe.137");
    assert_int_equal(r->kind, CTW_KIND_ORGANISATION);
    assert_string_equal(r->names.v[0].full, "AL-NUSRAH FRONT FOR THE PEOPLE OF THE LEVANT");
    assert_int_equal(r->names.v[0].kind, CTW_NAME_PRIMARY);
    assert_int_equal(find_name(r, "جبهة النصرة لأهل الشام")->kind, CTW_NAME_ORIGINAL);
    assert_string_equal(find_name(r, "Hay’at Tahrir al-Sham (HTS)")->quality, "a.k.a.");
    assert_string_equal(find_name(r, "هيئة تحرير الشام")->script, "Arab"); /* "(original script)" dropped */
    assert_int_equal(find_name(r, "Jabhat al-Nusrah")->kind, CTW_NAME_ALIAS_STRONG);
    assert_int_equal(find_name(r, "the Victory Front")->kind, CTW_NAME_ALIAS_STRONG);
    for (size_t i = 0; i < r->names.n; i++) assert_null(strchr(r->names.v[i].full, ';'));

    /* commas are part of names */
    bool seen = false;
    for (size_t i = 0; i < un_all.n && !seen; i++)
        for (size_t j = 0; j < un_all.v[i]->names.n; j++)
            if (strcmp(un_all.v[i]->names.v[j].full, "AWEYS, Sheikh Hassan Dahir") == 0) seen = true;
    assert_true(seen);
}

/* ---- hostile and broken input --------------------------------------------- */

static void test_truncated(void **state)
{
    (void)state;
    size_t len;
    char *buf = ctw_test_slurp(UN_FILE, &len);
    assert_true(len > 100000);
    collected c = {0};
    ctw_error err = {0};
    int rc = ctw_un_xml_read_mem(buf, 100000, "cut.xml", keep_sink, &c, &err);
    free(buf);
    assert_int_equal(rc, CTW_EPARSE);
    assert_int_equal(err.code, CTW_EPARSE);
    assert_int_equal(c.n, 0);
    assert_int_equal(strncmp(err.where, "cut.xml:", 8), 0);
    assert_true(strtol(err.where + 8, NULL, 10) > 1000);
    assert_non_null(strstr(err.message, "XML not well-formed: Premature end of data in tag"));
    /* nothing of the parse is left in libxml2's per-thread error state */
    assert_null(xmlGetLastError());
    collected_free(&c);
}

static void test_wrong_root(void **state)
{
    (void)state;
    collected c = {0};
    ctw_error err = {0};
    int rc = read_str("<?xml version=\"1.0\"?>\n<sdnList><INDIVIDUALS/></sdnList>", &c, &err);
    assert_int_equal(rc, CTW_EPARSE);
    assert_string_equal(err.where, "t.xml:2");
    assert_non_null(strstr(err.message, "<sdnList>"));
    assert_non_null(strstr(err.message, "CONSOLIDATED_LIST"));
    assert_int_equal(c.n, 0);

    rc = read_str("", &c, &err);
    assert_int_equal(rc, CTW_EPARSE);
    rc = read_str("not xml at all", &c, &err);
    assert_int_equal(rc, CTW_EPARSE);
    assert_int_equal(strncmp(err.where, "t.xml:1", 7), 0);
}

static void test_missing_reference(void **state)
{
    (void)state;
    collected c = {0};
    ctw_error err = {0};
    int rc = read_str("<CONSOLIDATED_LIST><INDIVIDUALS>\n"
                      "<INDIVIDUAL><DATAID>1</DATAID><FIRST_NAME>A</FIRST_NAME>"
                      "<REFERENCE_NUMBER>X.1</REFERENCE_NUMBER></INDIVIDUAL>\n"
                      "<INDIVIDUAL><DATAID>6907993</DATAID><FIRST_NAME>B</FIRST_NAME>"
                      "<REFERENCE_NUMBER>  </REFERENCE_NUMBER></INDIVIDUAL>\n"
                      "</INDIVIDUALS></CONSOLIDATED_LIST>",
                      &c, &err);
    assert_int_equal(rc, CTW_EPARSE);
    assert_string_equal(err.where, "t.xml:3");
    assert_string_equal(err.message, "INDIVIDUAL #2 (DATAID 6907993): no REFERENCE_NUMBER");
    assert_int_equal(c.n, 1); /* the first one had already gone to the sink */
    collected_free(&c);
}

static bool any_text_contains(const collected *c, const char *needle)
{
    for (size_t i = 0; i < c->n; i++) {
        const ctw_record *r = c->v[i];
        for (size_t j = 0; j < r->names.n; j++)
            if (strstr(r->names.v[j].full, needle)) return true;
        if (r->remarks && strstr(r->remarks, needle)) return true;
    }
    return false;
}

/* External entities and external DTDs are never fetched or expanded. */
static void test_xxe(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>X&e;Y</FIRST_NAME>"
        "<REFERENCE_NUMBER>T.1</REFERENCE_NUMBER><COMMENTS1>&e;</COMMENTS1>"
        "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",

        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY % p SYSTEM \"file:///etc/passwd\"> %p;]>\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>X</FIRST_NAME>"
        "<REFERENCE_NUMBER>T.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",

        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE CONSOLIDATED_LIST SYSTEM \"file:///etc/passwd\">\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>X</FIRST_NAME>"
        "<REFERENCE_NUMBER>T.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",

        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE CONSOLIDATED_LIST [<!ENTITY e SYSTEM \"http://127.0.0.1:9/x\">]>\n"
        "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>X&e;</FIRST_NAME>"
        "<REFERENCE_NUMBER>T.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
    };
    for (size_t i = 0; i < sizeof docs / sizeof docs[0]; i++) {
        collected c = {0};
        ctw_error err = {0};
        int rc = read_str(docs[i], &c, &err);
        assert_true(rc == 0 || rc == CTW_EPARSE);
        assert_false(any_text_contains(&c, "root:"));
        if (rc == 0) {
            assert_int_equal(c.n, 1);
            assert_string_equal(c.v[0]->names.v[0].full, i == 0 ? "XY" : "X");
        }
        collected_free(&c);
    }
}

/* An entity bomb is neither expanded nor slow. */
static void test_entity_bomb(void **state)
{
    (void)state;
    collected c = {0};
    ctw_error err = {0};
    int rc = read_str("<?xml version=\"1.0\"?>\n<!DOCTYPE CONSOLIDATED_LIST [\n"
                      "<!ENTITY a \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\">\n"
                      "<!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">\n"
                      "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\">\n"
                      "<!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">\n"
                      "<!ENTITY e \"&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;\">\n"
                      "<!ENTITY f \"&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;\">\n]>\n"
                      "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>Z&f;&f;&f;</FIRST_NAME>"
                      "<REFERENCE_NUMBER>T.1</REFERENCE_NUMBER></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>",
                      &c, &err);
    assert_true(rc == 0 || rc == CTW_EPARSE);
    if (rc == 0) assert_string_equal(c.v[0]->names.v[0].full, "Z");
    collected_free(&c);
}

/* One field over CTW_IMPORT_MAX_FIELD is refused, with the element named. */
static void test_field_cap(void **state)
{
    (void)state;
    size_t big = CTW_IMPORT_MAX_FIELD + 10;
    const char *pre = "<CONSOLIDATED_LIST><ENTITIES>\n<ENTITY><DATAID>7</DATAID>"
                      "<REFERENCE_NUMBER>E.1</REFERENCE_NUMBER><COMMENTS1>";
    const char *post = "</COMMENTS1></ENTITY></ENTITIES></CONSOLIDATED_LIST>";
    size_t len = strlen(pre) + big + strlen(post);
    char *xml = malloc(len + 1);
    assert_non_null(xml);
    memcpy(xml, pre, strlen(pre));
    memset(xml + strlen(pre), 'x', big);
    memcpy(xml + strlen(pre) + big, post, strlen(post) + 1);
    collected c = {0};
    ctw_error err = {0};
    assert_int_equal(read_str(xml, &c, &err), CTW_ELIMIT);
    assert_string_equal(err.where, "t.xml:2");
    assert_non_null(strstr(err.message, "ENTITY #1 (DATAID 7)"));
    assert_non_null(strstr(err.message, "COMMENTS1"));
    assert_int_equal(c.n, 0);
    free(xml);
}

static void test_sink_stops(void **state)
{
    (void)state;
    size_t len;
    char *buf = ctw_test_slurp(UN_FILE, &len);
    collected c = {.stop_after = 3, .stop_rc = 42};
    ctw_error err = {0};
    int rc = ctw_un_xml_read_mem(buf, len, UN_FILE, keep_sink, &c, &err);
    free(buf);
    assert_int_equal(rc, 42);
    assert_int_equal(c.n, 3);
    assert_string_equal(c.v[0]->source_id, "CDi.001");
    collected_free(&c);
}

static void test_bad_arguments(void **state)
{
    (void)state;
    collected c = {0};
    ctw_error err = {0};
    assert_int_equal(ctw_un_xml_read_mem("<a/>", 4, "x", NULL, &c, &err), CTW_EINVAL);
    assert_int_equal(ctw_un_xml_read_mem(NULL, 4, "x", keep_sink, &c, &err), CTW_EINVAL);
    /* the cap is checked before the buffer is touched */
    assert_int_equal(ctw_un_xml_read_mem("<a/>", (size_t)CTW_IMPORT_MAX_FILE + 1, "big.xml",
                                         keep_sink, &c, &err),
                     CTW_ELIMIT);
    assert_string_equal(err.where, "big.xml");
    /* NULL name and NULL err are allowed */
    assert_int_equal(ctw_un_xml_read_mem("<x/>", 4, NULL, keep_sink, &c, NULL), CTW_EPARSE);
    assert_int_equal(c.n, 0);
}

/* Good and broken files read at once on several threads do not disturb
 * each other's results or error messages. */
typedef struct thread_job {
    const char *buf;
    size_t len;
    int rc;
    size_t n;
    ctw_error err;
} thread_job;

static int count_sink(void *ud, ctw_record *rec)
{
    ((thread_job *)ud)->n++;
    ctw_record_free(rec);
    return 0;
}

static void *thread_main(void *arg)
{
    thread_job *j = arg;
    j->rc = ctw_un_xml_read_mem(j->buf, j->len, "thr.xml", count_sink, j, &j->err);
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    size_t len;
    char *buf = ctw_test_slurp(UN_FILE, &len);
    thread_job jobs[4];
    pthread_t th[4];
    for (int i = 0; i < 4; i++) {
        jobs[i] = (thread_job){.buf = buf, .len = i % 2 ? 100000 : len};
        assert_int_equal(pthread_create(&th[i], NULL, thread_main, &jobs[i]), 0);
    }
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pthread_join(th[i], NULL), 0);
        if (i % 2) {
            assert_int_equal(jobs[i].rc, CTW_EPARSE);
            assert_non_null(strstr(jobs[i].err.message, "Premature end of data"));
        } else {
            assert_int_equal(jobs[i].rc, 0);
            assert_int_equal(jobs[i].n, 1003);
        }
    }
    free(buf);
}

int main(void)
{
    const struct CMUnitTest real[] = {
        cmocka_unit_test(test_counts_and_ids),
        cmocka_unit_test(test_all_utf8_and_mapped),
        cmocka_unit_test(test_person_umarov),
        cmocka_unit_test(test_person_documents),
        cmocka_unit_test(test_between),
        cmocka_unit_test(test_approximately),
        cmocka_unit_test(test_dates_as_text),
        cmocka_unit_test(test_alias_lists),
    };
    const struct CMUnitTest hostile[] = {
        cmocka_unit_test(test_truncated),
        cmocka_unit_test(test_wrong_root),
        cmocka_unit_test(test_missing_reference),
        cmocka_unit_test(test_xxe),
        cmocka_unit_test(test_entity_bomb),
        cmocka_unit_test(test_field_cap),
        cmocka_unit_test(test_sink_stops),
        cmocka_unit_test(test_bad_arguments),
        cmocka_unit_test(test_threads),
    };
    int failed = cmocka_run_group_tests_name("un_xml real list", real, setup_real, teardown_real);
    failed += cmocka_run_group_tests_name("un_xml hostile input", hostile, NULL, NULL);
    return failed;
}
