/* test_ofac_csv.c — the OFAC SDN legacy CSV reader on the real 2021 files
 * (tests/data/ofac) and on small hand-made inputs for the faults. */
#include "test_util.h"

#include "ctwatch/import.h"

/* Defined in src/import/ofac_csv.c; the prototype belongs in a private
 * src/import/import_int.h once there is one. */
#include "import/import_int.h"

/* ---- a sink that counts and keeps the records it is asked to ---------- */

#define KEEP_MAX 8

typedef struct collect {
    size_t total;
    size_t by_kind[5];
    size_t stop_after;          /* 0: never stop */
    const char *keep_ids[KEEP_MAX];
    ctw_record *kept[KEEP_MAX];
    char last_id[32];
} collect;

static int collect_sink(void *ud, ctw_record *rec)
{
    collect *c = ud;
    c->total++;
    if ((size_t)rec->kind < 5) c->by_kind[rec->kind]++;
    snprintf(c->last_id, sizeof c->last_id, "%s", rec->source_id ? rec->source_id : "");
    for (int i = 0; i < KEEP_MAX; i++) {
        if (c->keep_ids[i] && rec->source_id && strcmp(c->keep_ids[i], rec->source_id) == 0) {
            c->kept[i] = rec;
            rec = NULL;
            break;
        }
    }
    ctw_record_free(rec);
    if (c->stop_after && c->total == c->stop_after) return 42;
    return 0;
}

static void collect_free(collect *c)
{
    for (int i = 0; i < KEEP_MAX; i++) ctw_record_free(c->kept[i]);
}

typedef struct files {
    char *sdn, *alt, *add;
    size_t sdn_len, alt_len, add_len;
} files;

static void load(files *f)
{
    f->sdn = ctw_test_slurp("tests/data/ofac/sdn.csv", &f->sdn_len);
    f->alt = ctw_test_slurp("tests/data/ofac/alt.csv", &f->alt_len);
    f->add = ctw_test_slurp("tests/data/ofac/add.csv", &f->add_len);
}

static void unload(files *f)
{
    free(f->sdn);
    free(f->alt);
    free(f->add);
}

static int read_real(collect *c, ctw_error *err, size_t *oalt, size_t *oadd)
{
    files f;
    load(&f);
    int rc = ctw__ofac_csv_read_mem_counted(f.sdn, f.sdn_len, "sdn.csv", f.alt, f.alt_len,
                                            "alt.csv", f.add, f.add_len, "add.csv",
                                            collect_sink, c, err, oalt, oadd);
    unload(&f);
    return rc;
}

static int read_str(const char *sdn, const char *alt, const char *add, collect *c, ctw_error *err)
{
    return ctw_ofac_csv_read_mem(sdn, sdn ? strlen(sdn) : 0, "t-sdn.csv",
                                 alt, alt ? strlen(alt) : 0, "t-alt.csv",
                                 add, add ? strlen(add) : 0, "t-add.csv",
                                 collect_sink, c, err);
}

static const char *attr(const ctw_record *r, const char *key)
{
    for (size_t i = 0; i < r->attributes.n; i++)
        if (strcmp(r->attributes.v[i].key, key) == 0) return r->attributes.v[i].value;
    return NULL;
}

static const ctw_name *name_of(const ctw_record *r, const char *full)
{
    for (size_t i = 0; i < r->names.n; i++)
        if (strcmp(r->names.v[i].full, full) == 0) return &r->names.v[i];
    return NULL;
}

/* ---- the real files ----------------------------------------------------- */

static void test_real_counts(void **state)
{
    (void)state;
    collect c = {0};
    ctw_error err;
    size_t oalt = 99, oadd = 99;
    assert_int_equal(read_real(&c, &err, &oalt, &oadd), 0);
    assert_int_equal(c.total, 8976);
    assert_int_equal(c.by_kind[CTW_KIND_PERSON], 4620);
    assert_int_equal(c.by_kind[CTW_KIND_ORGANISATION], 3673);
    assert_int_equal(c.by_kind[CTW_KIND_VESSEL], 406);
    assert_int_equal(c.by_kind[CTW_KIND_AIRCRAFT], 277);
    assert_int_equal(oalt, 0);
    assert_int_equal(oadd, 0);
    /* The last row sits right before the 0x1A byte and is read. */
    assert_string_equal(c.last_id, "32391");
    collect_free(&c);
}

static void test_real_trailing_eof_byte(void **state)
{
    (void)state;
    files f;
    load(&f);
    assert_true(f.sdn_len > 0 && f.sdn[f.sdn_len - 1] == 0x1A);
    assert_true(f.alt[f.alt_len - 1] == 0x1A && f.add[f.add_len - 1] == 0x1A);
    /* And without it, the same rows. */
    collect c = {0};
    ctw_error err;
    assert_int_equal(ctw_ofac_csv_read_mem(f.sdn, f.sdn_len - 1, "sdn.csv", f.alt, f.alt_len - 1,
                                           "alt.csv", f.add, f.add_len - 1, "add.csv",
                                           collect_sink, &c, &err), 0);
    assert_int_equal(c.total, 8976);
    unload(&f);
}

static void test_real_individual(void **state)
{
    (void)state;
    collect c = {.keep_ids = {"10375"}};
    ctw_error err;
    assert_int_equal(read_real(&c, &err, NULL, NULL), 0);
    ctw_record *r = c.kept[0];
    assert_non_null(r);
    assert_int_equal(r->kind, CTW_KIND_PERSON);
    assert_string_equal(r->source_id, "10375");

    /* names: primary + 2 aliases from alt.csv, none in Remarks */
    assert_int_equal(r->names.n, 3);
    const ctw_name *n = &r->names.v[0];
    assert_int_equal(n->kind, CTW_NAME_PRIMARY);
    assert_string_equal(n->full, "AL-AHMAD, Ahmad Muhammad Yunis");
    assert_string_equal(n->family, "AL-AHMAD");
    assert_string_equal(n->given, "Ahmad Muhammad Yunis");
    n = name_of(r, "AL-BADANI, Ahmad Muhammad Mahmud 'Abdallah");
    assert_non_null(n);
    assert_int_equal(n->kind, CTW_NAME_ALIAS_STRONG);
    assert_string_equal(n->quality, "aka");
    assert_string_equal(n->family, "AL-BADANI");
    assert_non_null(name_of(r, "AL-BARRANI, Ahmad Muhammad Al-Abdullah"));

    assert_int_equal(r->birth_dates.n, 1);
    assert_int_equal(r->birth_dates.v[0].precision, CTW_DATE_EXACT);
    assert_string_equal(r->birth_dates.v[0].from, "1978-09-19");
    assert_null(r->birth_dates.v[0].to);

    assert_int_equal(r->birth_places.n, 1);
    assert_string_equal(r->birth_places.v[0].place, "Al-Anbar, Iraq");
    assert_string_equal(r->birth_places.v[0].country, "IRQ");

    assert_int_equal(r->nationalities.n, 1);
    assert_string_equal(r->nationalities.v[0].country, "IRQ");
    assert_string_equal(r->nationalities.v[0].text, "Iraq");

    /* "passport place of issue: ..." is prose, not a second passport */
    assert_int_equal(r->identifiers.n, 1);
    const ctw_identifier *id = &r->identifiers.v[0];
    assert_string_equal(id->type, "passport");
    assert_string_equal(id->number, "H0347417");
    assert_string_equal(id->country, "IRQ");
    assert_string_equal(id->issued, "2003-02-20");
    assert_string_equal(id->expires, "2011-02-19");
    assert_null(id->note);

    assert_int_equal(r->addresses.n, 1);
    const ctw_address *a = &r->addresses.v[0];
    assert_string_equal(a->street, "Al-Mazzah Al-Jabal District, 6 Subdistrict, 3 area, "
                                   "Al-Iskan complex, 40/2, Fifth Floor");
    assert_string_equal(a->city, "Damascus");
    assert_string_equal(a->country, "SYR");
    assert_string_equal(a->full, "Al-Mazzah Al-Jabal District, 6 Subdistrict, 3 area, "
                                 "Al-Iskan complex, 40/2, Fifth Floor, Damascus, Syria");

    assert_int_equal(r->listings.n, 1);
    const ctw_listing *l = &r->listings.v[0];
    assert_string_equal(l->kind, "sanctions-listing");
    assert_string_equal(l->authority, "US OFAC");
    assert_string_equal(l->program, "IRAQ2");
    assert_string_equal(l->reference, "10375");
    assert_string_equal(l->status, "published");

    assert_null(r->gender);
    assert_int_equal(r->attributes.n, 0);
    assert_string_equal(r->remarks,
                        "DOB 19 Sep 1978; POB Al-Anbar, Iraq; nationality Iraq; Passport H0347417 "
                        "(Iraq) issued 20 Feb 2003 expires 19 Feb 2011; passport place of issue: "
                        "Al-Anbar, Iraq.");
    collect_free(&c);
}

static void test_real_vessel_and_entity(void **state)
{
    (void)state;
    /* 4234 HERMANN: every vessel column set; its add.csv row is all -0-.
     * 10481 SOLEIMANI: several programmes, a diplomatic passport. */
    collect c = {.keep_ids = {"4234", "10481", "306"}};
    ctw_error err;
    assert_int_equal(read_real(&c, &err, NULL, NULL), 0);
    ctw_record *v = c.kept[0];
    assert_non_null(v);
    assert_int_equal(v->kind, CTW_KIND_VESSEL);
    assert_string_equal(ctw_record_display_name(v), "HERMANN");
    assert_null(v->names.v[0].family); /* only individuals are split */
    assert_string_equal(attr(v, "call-sign"), "CL2685");
    assert_string_equal(attr(v, "vessel-type"), "General Cargo");
    assert_string_equal(attr(v, "tonnage"), "2597");
    assert_string_equal(attr(v, "gross-registered-tonnage"), "1098");
    assert_string_equal(attr(v, "vessel-flag"), "Cuba");
    assert_string_equal(attr(v, "vessel-owner"), "Compania Navegacion Golfo S.A.");
    assert_null(attr(v, "title"));
    assert_int_equal(v->attributes.n, 6);
    assert_int_equal(v->addresses.n, 0);
    assert_null(v->remarks);
    assert_string_equal(v->listings.v[0].program, "CUBA");

    ctw_record *p = c.kept[1];
    assert_non_null(p);
    assert_string_equal(p->listings.v[0].program, "SDGT; SYRIA; NPWMD; IRGC; IFSR");
    assert_null(p->gender); /* no "Gender" item in this one's Remarks */
    assert_int_equal(p->nationalities.n, 1); /* nationality Iran; citizen Iran */
    assert_int_equal(p->identifiers.n, 1);
    assert_string_equal(p->identifiers.v[0].type, "passport");
    assert_string_equal(p->identifiers.v[0].number, "008827");
    assert_string_equal(p->identifiers.v[0].country, "IRN");
    assert_string_equal(p->identifiers.v[0].issued, "1999");
    assert_string_equal(p->identifiers.v[0].note, "diplomatic");

    /* 306 BANCO NACIONAL DE CUBA: weak a.k.a. only in Remarks */
    ctw_record *o = c.kept[2];
    assert_non_null(o);
    assert_int_equal(o->kind, CTW_KIND_ORGANISATION);
    const ctw_name *n = name_of(o, "BNC");
    assert_non_null(n);
    assert_int_equal(n->kind, CTW_NAME_ALIAS_WEAK);
    assert_string_equal(n->quality, "a.k.a.");
    n = name_of(o, "NATIONAL BANK OF CUBA");
    assert_non_null(n);
    assert_int_equal(n->kind, CTW_NAME_ALIAS_STRONG);
    assert_int_equal(o->addresses.n, 4);
    assert_string_equal(o->addresses.v[0].full, "Zweierstrasse 35, Zurich CH-8022, Switzerland");
    assert_string_equal(o->addresses.v[0].country, "CHE");
    collect_free(&c);
}

static void test_real_dob_forms(void **state)
{
    (void)state;
    collect c = {.keep_ids = {"29677", "31373", "7929", "9584"}};
    ctw_error err;
    assert_int_equal(read_real(&c, &err, NULL, NULL), 0);

    const ctw_date *d = &c.kept[0]->birth_dates.v[0]; /* DOB 01 Jan 1964 to 31 Dec 1964 */
    assert_int_equal(c.kept[0]->birth_dates.n, 1);
    assert_int_equal(d->precision, CTW_DATE_RANGE);
    assert_string_equal(d->from, "1964-01-01");
    assert_string_equal(d->to, "1964-12-31");
    assert_string_equal(d->text, "01 Jan 1964 to 31 Dec 1964");

    d = &c.kept[1]->birth_dates.v[0]; /* DOB 1981 to 1983 */
    assert_int_equal(d->precision, CTW_DATE_RANGE);
    assert_string_equal(d->from, "1981");
    assert_string_equal(d->to, "1983");

    d = &c.kept[2]->birth_dates.v[0]; /* DOB circa 07 Jul 1966 */
    assert_int_equal(d->precision, CTW_DATE_APPROX);
    assert_string_equal(d->from, "1966-07-07");
    assert_string_equal(d->text, "circa 07 Jul 1966");

    ctw_record *r = c.kept[3]; /* DOB 1955; alt. DOB circa 1952 */
    assert_int_equal(r->birth_dates.n, 2);
    assert_int_equal(r->birth_dates.v[0].precision, CTW_DATE_YEAR);
    assert_string_equal(r->birth_dates.v[0].from, "1955");
    assert_int_equal(r->birth_dates.v[1].precision, CTW_DATE_APPROX);
    assert_string_equal(r->birth_dates.v[1].from, "1952");
    assert_string_equal(r->birth_places.v[0].country, "PHL");
    const ctw_name *n = name_of(r, "SAJIRUN, Radulan");
    assert_non_null(n);
    assert_int_equal(n->kind, CTW_NAME_ALIAS_WEAK);
    assert_string_equal(n->family, "SAJIRUN");
    assert_non_null(name_of(r, "COMMANDER PUTOL"));
    collect_free(&c);
}

/* ---- small inputs ------------------------------------------------------- */

#define ROW1 "1,\"DOE, John\",\"individual\",\"SDGT] [IRGC\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ," \
             "\"DOB Jul 1963; nationality Yemen; National ID No. 123 (Yemen); Gender Female; " \
             "Email Address a@b.c; Vessel Registration Identification IMO 9187629; " \
             "Digital Currency Address - XBT 1abc; Title Big Boss.\""
#define ROW2 "2,\"ACME, \"\"LTD\"\"\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- "

static void test_crlf_lf_and_fields(void **state)
{
    (void)state;
    const char *lf = ROW1 "\n" ROW2 "\n";
    const char *crlf = ROW1 "\r\n\r\n" ROW2 "\r\n\x1a";
    const char *alt = "1,10,\"fka\",\"ROE, Jane\",-0- \r\n9,11,\"aka\",\"NOBODY\",-0- \r\n";
    const char *add = "2,5,-0- ,-0- ,\"Nowhere Land\",\"PO box only\"\n";
    for (int pass = 0; pass < 2; pass++) {
        collect c = {.keep_ids = {"1", "2"}};
        ctw_error err;
        assert_int_equal(read_str(pass ? crlf : lf, alt, add, &c, &err), 0);
        assert_int_equal(c.total, 2);
        ctw_record *r = c.kept[0];
        assert_int_equal(r->kind, CTW_KIND_PERSON);
        assert_string_equal(r->listings.v[0].program, "SDGT; IRGC");
        assert_int_equal(r->birth_dates.v[0].precision, CTW_DATE_MONTH);
        assert_string_equal(r->birth_dates.v[0].from, "1963-07");
        assert_string_equal(r->nationalities.v[0].country, "YEM");
        assert_string_equal(r->gender, "female");
        assert_string_equal(attr(r, "email"), "a@b.c");
        assert_string_equal(attr(r, "title"), "Big Boss");
        assert_int_equal(r->identifiers.n, 3);
        assert_string_equal(r->identifiers.v[0].type, "national-id");
        assert_string_equal(r->identifiers.v[0].number, "123");
        assert_string_equal(r->identifiers.v[0].country, "YEM");
        assert_string_equal(r->identifiers.v[1].type, "imo");
        assert_string_equal(r->identifiers.v[1].number, "9187629");
        assert_string_equal(r->identifiers.v[2].type, "digital-currency-address");
        assert_string_equal(r->identifiers.v[2].number, "1abc");
        assert_string_equal(r->identifiers.v[2].note, "XBT");
        const ctw_name *n = name_of(r, "ROE, Jane");
        assert_non_null(n);
        assert_int_equal(n->kind, CTW_NAME_ALIAS_STRONG);
        assert_string_equal(n->quality, "fka");

        r = c.kept[1];
        assert_int_equal(r->kind, CTW_KIND_ORGANISATION);
        assert_string_equal(ctw_record_display_name(r), "ACME, \"LTD\"");
        assert_null(r->names.v[0].family);
        assert_null(r->listings.v[0].program);
        assert_int_equal(r->addresses.n, 1);
        assert_null(r->addresses.v[0].street);
        assert_string_equal(r->addresses.v[0].full, "Nowhere Land");
        assert_string_equal(r->addresses.v[0].note, "PO box only");
        collect_free(&c);
    }
}

static void test_windows_1252(void **state)
{
    (void)state;
    /* 0xE9 is é, 0x93/0x94 are curly quotes: not UTF-8, so read as cp1252 */
    const char *sdn = "7,\"CAF\xe9 \x93X\x94\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
    collect c = {.keep_ids = {"7"}};
    ctw_error err;
    assert_int_equal(read_str(sdn, NULL, NULL, &c, &err), 0);
    assert_string_equal(ctw_record_display_name(c.kept[0]), "CAF\xc3\xa9 \xe2\x80\x9cX\xe2\x80\x9d");
    collect_free(&c);
}

static void test_broken_quote(void **state)
{
    (void)state;
    collect c = {0};
    ctw_error err;
    /* The quote opened on line 2 never closes. */
    const char *sdn = ROW2 "\n3,\"BROKEN,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
    assert_int_equal(read_str(sdn, NULL, NULL, &c, &err), CTW_EPARSE);
    assert_string_equal(err.where, "t-sdn.csv:2");
    assert_non_null(strstr(err.message, "unterminated quoted field"));
    assert_int_equal(c.total, 1);

    /* ... or "closes" on a later line, in the middle of that line's text */
    const char *sdn2 = "3,\"BROKEN,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n" ROW2 "\n"
                       "4,\"OTHER\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
    memset(&c, 0, sizeof c);
    assert_int_equal(read_str(sdn2, NULL, NULL, &c, &err), CTW_EPARSE);
    assert_string_equal(err.where, "t-sdn.csv:1");
    assert_non_null(strstr(err.message, "unterminated quoted field"));
    assert_int_equal(c.total, 0);

    /* in alt.csv, the error names alt.csv */
    memset(&c, 0, sizeof c);
    assert_int_equal(read_str(ROW2 "\n", "1,2,\"aka\",\"X\",-0- \n1,3,\"aka,\"Y,-0- \n", NULL,
                              &c, &err), CTW_EPARSE);
    assert_string_equal(err.where, "t-alt.csv:2");
    assert_int_equal(c.total, 0);
}

static void test_wrong_columns_and_ent_num(void **state)
{
    (void)state;
    collect c = {0};
    ctw_error err;
    assert_int_equal(read_str(ROW2 "\n5,\"SHORT\",-0- \n", NULL, NULL, &c, &err), CTW_EPARSE);
    assert_string_equal(err.where, "t-sdn.csv:2");
    assert_non_null(strstr(err.message, "expected 12 columns, found 3"));

    memset(&c, 0, sizeof c);
    assert_int_equal(read_str(ROW2 "\n", NULL, "2,5,\"a\",\"b\",\"c\",-0- ,\"extra\"\n", &c, &err),
                     CTW_EPARSE);
    assert_string_equal(err.where, "t-add.csv:1");
    assert_non_null(strstr(err.message, "expected 6 columns, found 7"));

    memset(&c, 0, sizeof c);
    assert_int_equal(read_str("x2,\"A\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
                              NULL, NULL, &c, &err), CTW_EPARSE);
    assert_string_equal(err.where, "t-sdn.csv:1");
    assert_non_null(strstr(err.message, "ent_num"));

    memset(&c, 0, sizeof c);
    assert_int_equal(read_str(ROW2 "\n" ROW2 "\n", NULL, NULL, &c, &err), CTW_EPARSE);
    assert_string_equal(err.where, "t-sdn.csv:2");
    assert_non_null(strstr(err.message, "duplicate"));

    memset(&c, 0, sizeof c);
    assert_int_equal(read_str("2,\"A\",\"ship\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n",
                              NULL, NULL, &c, &err), CTW_EPARSE);
    assert_non_null(strstr(err.message, "SDN_Type"));
}

static void test_field_limit(void **state)
{
    (void)state;
    size_t big = CTW_IMPORT_MAX_FIELD + 10;
    const char *tail = "\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \n";
    char *sdn = malloc(big + 64);
    assert_non_null(sdn);
    int n = snprintf(sdn, 64, "1,\"");
    memset(sdn + n, 'A', big);
    memcpy(sdn + n + big, tail, strlen(tail) + 1);
    collect c = {0};
    ctw_error err;
    assert_int_equal(read_str(sdn, NULL, NULL, &c, &err), CTW_ELIMIT);
    assert_string_equal(err.where, "t-sdn.csv:1");
    free(sdn);
}

static void test_sink_stop_and_empty(void **state)
{
    (void)state;
    collect c = {.stop_after = 3};
    ctw_error err;
    assert_int_equal(read_real(&c, &err, NULL, NULL), 42);
    assert_int_equal(c.total, 3);

    memset(&c, 0, sizeof c);
    assert_int_equal(read_str(NULL, NULL, NULL, &c, &err), 0);
    assert_int_equal(c.total, 0);
    assert_int_equal(read_str("\x1a", "", "\r\n", &c, &err), 0);
    assert_int_equal(c.total, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_real_counts),
        cmocka_unit_test(test_real_trailing_eof_byte),
        cmocka_unit_test(test_real_individual),
        cmocka_unit_test(test_real_vessel_and_entity),
        cmocka_unit_test(test_real_dob_forms),
        cmocka_unit_test(test_crlf_lf_and_fields),
        cmocka_unit_test(test_windows_1252),
        cmocka_unit_test(test_broken_quote),
        cmocka_unit_test(test_wrong_columns_and_ent_num),
        cmocka_unit_test(test_field_limit),
        cmocka_unit_test(test_sink_stop_and_empty),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
