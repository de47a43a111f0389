/* test_ftm.c — the FtM JSON-lines reader and writer, and ctw_read_file. */
#include "test_util.h"

#include <sys/stat.h>

#include "ctwatch/import.h"

#define FIXTURE "tests/data/ftm/sample.ftm.json"
#define MAX_RECS 64

typedef struct coll {
    ctw_record *v[MAX_RECS];
    size_t n;
} coll;

static int collect(void *ud, ctw_record *r)
{
    coll *c = ud;
    if (c->n == MAX_RECS) {
        ctw_record_free(r);
        return -100;
    }
    c->v[c->n++] = r;
    return 0;
}

static void coll_free(coll *c)
{
    for (size_t i = 0; i < c->n; i++) ctw_record_free(c->v[i]);
    c->n = 0;
}

static int read_str(const char *text, coll *c, ctw_error *err)
{
    ctw_error_clear(err);
    return ctw_ftm_read_mem(text, strlen(text), "t.json", collect, c, err);
}

static const ctw_name *find_name(const ctw_record *r, const char *full)
{
    for (size_t i = 0; i < r->names.n; i++)
        if (strcmp(r->names.v[i].full, full) == 0) return &r->names.v[i];
    fail_msg("no name \"%s\" in %s", full, r->source_id);
    return NULL;
}

static const char *attr(const ctw_record *r, const char *key)
{
    for (size_t i = 0; i < r->attributes.n; i++)
        if (strcmp(r->attributes.v[i].key, key) == 0) return r->attributes.v[i].value;
    return NULL;
}

static void assert_str_or_null(const char *a, const char *b)
{
    if (!a || !b) assert_ptr_equal(a, b);
    else assert_string_equal(a, b);
}

static void read_fixture(coll *c)
{
    size_t len;
    char *buf = ctw_test_slurp(FIXTURE, &len);
    ctw_error err;
    ctw_error_clear(&err);
    /* The reader must not rely on a NUL after the buffer. */
    char *exact = malloc(len);
    assert_non_null(exact);
    memcpy(exact, buf, len);
    int rc = ctw_ftm_read_mem(exact, len, FIXTURE, collect, c, &err);
    if (rc) fail_msg("%s: %s", err.where, err.message);
    free(exact);
    free(buf);
}

/* ---- the fixture, field by field ----------------------------------------- */

static void test_sample_fields(void **state)
{
    (void)state;
    coll c = {0};
    read_fixture(&c);
    /* Address and the orphan Passport are dropped; order is the file's. */
    assert_int_equal(c.n, 6);
    const char *ids[] = {"NK-karim", "NK-ivan", "NK-maria", "NK-alnoor", "NK-sunrise", "NK-ocean"};
    for (size_t i = 0; i < 6; i++) assert_string_equal(c.v[i]->source_id, ids[i]);

    const ctw_record *k = c.v[0];
    assert_int_equal(k->kind, CTW_KIND_PERSON);
    assert_int_equal(k->names.n, 4);
    assert_string_equal(k->names.v[0].full, "Karim Youssef Haddad");
    assert_int_equal(k->names.v[0].kind, CTW_NAME_PRIMARY);
    assert_string_equal(k->names.v[0].script, "Latn");
    const ctw_name *ar = find_name(k, "كريم يوسف حداد");
    assert_int_equal(ar->kind, CTW_NAME_ALIAS_STRONG);
    assert_string_equal(ar->script, "Arab");
    assert_int_equal(find_name(k, "Abu Youssef")->kind, CTW_NAME_ALIAS_STRONG);
    assert_int_equal(find_name(k, "The Accountant")->kind, CTW_NAME_ALIAS_WEAK);
    assert_int_equal(k->birth_dates.n, 1);
    assert_int_equal(k->birth_dates.v[0].precision, CTW_DATE_YEAR);
    assert_string_equal(k->birth_dates.v[0].from, "1978");
    assert_int_equal(k->birth_places.n, 1);
    assert_string_equal(k->birth_places.v[0].place, "Aleppo");
    assert_int_equal(k->nationalities.n, 1);
    assert_string_equal(k->nationalities.v[0].country, "SYR");
    assert_string_equal(k->nationalities.v[0].text, "sy");
    assert_string_equal(k->gender, "male");
    /* The Passport on line 1 came before its holder. */
    assert_int_equal(k->identifiers.n, 1);
    assert_string_equal(k->identifiers.v[0].type, "passport");
    assert_string_equal(k->identifiers.v[0].number, "N0123456");
    assert_string_equal(k->identifiers.v[0].country, "SYR");
    assert_string_equal(k->identifiers.v[0].issued, "2015-03-01");
    assert_string_equal(k->identifiers.v[0].expires, "2025-02-28");
    /* The Sanction on line 5 came after it. */
    assert_int_equal(k->listings.n, 1);
    assert_string_equal(k->listings.v[0].kind, "sanctions-listing");
    assert_string_equal(k->listings.v[0].program, "SDGT");
    assert_string_equal(k->listings.v[0].authority, "US OFAC");
    assert_string_equal(k->listings.v[0].listed_on, "2019-05-10");
    assert_string_equal(k->remarks, "Treasurer of a fictitious network.\n"
                                    "Provided financial support to a designated group.");
    assert_string_equal(attr(k, "position"), "Treasurer");
    assert_string_equal(attr(k, "topics"), "sanction,role.terror");

    const ctw_record *iv = c.v[1];
    assert_int_equal(iv->names.n, 2);
    const ctw_name *pn = &iv->names.v[0];
    assert_string_equal(pn->full, "Ivan Petrovich Sokolov");
    assert_int_equal(pn->kind, CTW_NAME_PRIMARY);
    assert_string_equal(pn->given, "Ivan");
    assert_string_equal(pn->patronymic, "Petrovich");
    assert_string_equal(pn->family, "Sokolov");
    assert_null(pn->middle);
    const ctw_name *cy = find_name(iv, "Иван Петрович Соколов");
    assert_int_equal(cy->kind, CTW_NAME_ALIAS_STRONG);
    assert_string_equal(cy->script, "Cyrl");
    assert_int_equal(iv->birth_dates.n, 2);
    assert_int_equal(iv->birth_dates.v[0].precision, CTW_DATE_EXACT);
    assert_string_equal(iv->birth_dates.v[0].from, "1970-01-02");
    assert_string_equal(iv->birth_dates.v[1].from, "1971-01-02");
    assert_string_equal(iv->nationalities.v[0].country, "RUS");
    assert_int_equal(iv->identifiers.n, 2);
    /* passportNumber takes the country of the only nationality */
    assert_string_equal(iv->identifiers.v[0].type, "passport");
    assert_string_equal(iv->identifiers.v[0].number, "7512345678");
    assert_string_equal(iv->identifiers.v[0].country, "RUS");
    /* an Identification without a type is a national id */
    assert_string_equal(iv->identifiers.v[1].type, "national-id");
    assert_string_equal(iv->identifiers.v[1].number, "4509 123456");
    assert_string_equal(iv->identifiers.v[1].country, "RUS");
    assert_int_equal(iv->addresses.n, 1);
    assert_string_equal(iv->addresses.v[0].full, "ul. Lenina 1, Moscow, Russia");
    assert_int_equal(iv->listings.n, 0);

    const ctw_record *m = c.v[2];
    assert_int_equal(m->names.n, 2);
    assert_string_equal(m->names.v[0].full, "Maria Ortega");
    assert_int_equal(m->names.v[0].kind, CTW_NAME_PRIMARY);
    assert_string_equal(m->names.v[0].given, "Maria");
    assert_string_equal(m->names.v[0].family, "Ortega");
    const ctw_name *prev = find_name(m, "Maria Ortega Ruiz");
    assert_int_equal(prev->kind, CTW_NAME_ALIAS_STRONG);
    assert_string_equal(prev->quality, "previous");
    assert_int_equal(m->birth_dates.v[0].precision, CTW_DATE_MONTH);
    assert_string_equal(m->birth_dates.v[0].from, "1975-06");
    assert_int_equal(m->nationalities.n, 2);
    assert_string_equal(m->nationalities.v[0].country, "COL");
    assert_string_equal(m->nationalities.v[1].country, "RKS"); /* FtM "xk" */
    assert_string_equal(m->gender, "female");
    assert_string_equal(attr(m, "title"), "Dr.");

    const ctw_record *o = c.v[3];
    assert_int_equal(o->kind, CTW_KIND_ORGANISATION);
    assert_null(attr(o, "ftm-schema"));
    assert_int_equal(o->names.n, 3);
    assert_string_equal(o->names.v[0].full, "Al-Noor Relief Foundation");
    assert_int_equal(find_name(o, "مؤسسة النور للإغاثة")->kind, CTW_NAME_ALIAS_STRONG);
    assert_int_equal(find_name(o, "Al Noor")->kind, CTW_NAME_ALIAS_WEAK);
    assert_string_equal(o->addresses.v[0].full, "House 12, Street 4, Peshawar, Pakistan");
    assert_string_equal(attr(o, "country"), "PAK");
    assert_string_equal(o->remarks, "Charity used as a front.");

    const ctw_record *s = c.v[4];
    assert_int_equal(s->kind, CTW_KIND_ORGANISATION);
    assert_string_equal(attr(s, "ftm-schema"), "Company");
    assert_string_equal(attr(s, "country"), "ARE");
    assert_int_equal(s->identifiers.n, 1);
    assert_string_equal(s->identifiers.v[0].type, "registration");
    assert_string_equal(s->identifiers.v[0].number, "CN-1234567");
    assert_null(s->identifiers.v[0].country);
    assert_int_equal(s->listings.n, 1);
    assert_string_equal(s->listings.v[0].program, "EU-TERR");
    assert_null(s->listings.v[0].authority);

    const ctw_record *v = c.v[5];
    assert_int_equal(v->kind, CTW_KIND_VESSEL);
    assert_string_equal(v->identifiers.v[0].type, "imo");
    assert_string_equal(v->identifiers.v[0].number, "IMO 9123456");
    assert_string_equal(attr(v, "vessel-flag"), "PAN");
    coll_free(&c);
}

/* ---- round trip ---------------------------------------------------------- */

typedef struct text {
    char *s;
    size_t n, cap;
    size_t lines;
} text;

static int append_line(void *ud, const char *line, size_t len)
{
    text *t = ud;
    assert_null(memchr(line, '\n', len));
    if (t->n + len + 2 > t->cap) {
        t->cap = (t->n + len + 2) * 2;
        t->s = realloc(t->s, t->cap);
        assert_non_null(t->s);
    }
    memcpy(t->s + t->n, line, len);
    t->n += len;
    t->s[t->n++] = '\n';
    t->s[t->n] = '\0';
    t->lines++;
    return 0;
}

static void same_record(const ctw_record *a, const ctw_record *b)
{
    assert_string_equal(a->source_id, b->source_id);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->names.n, b->names.n);
    for (size_t i = 0; i < a->names.n; i++) {
        const ctw_name *x = &a->names.v[i], *y = find_name(b, x->full);
        assert_int_equal(x->kind, y->kind);
        assert_str_or_null(x->quality, y->quality);
        assert_str_or_null(x->given, y->given);
        assert_str_or_null(x->middle, y->middle);
        assert_str_or_null(x->family, y->family);
        assert_str_or_null(x->patronymic, y->patronymic);
    }
    assert_int_equal(a->birth_dates.n, b->birth_dates.n);
    for (size_t i = 0; i < a->birth_dates.n; i++) {
        assert_int_equal(a->birth_dates.v[i].precision, b->birth_dates.v[i].precision);
        assert_str_or_null(a->birth_dates.v[i].from, b->birth_dates.v[i].from);
        assert_str_or_null(a->birth_dates.v[i].text, b->birth_dates.v[i].text);
    }
    assert_int_equal(a->birth_places.n, b->birth_places.n);
    for (size_t i = 0; i < a->birth_places.n; i++)
        assert_string_equal(a->birth_places.v[i].place, b->birth_places.v[i].place);
    assert_int_equal(a->nationalities.n, b->nationalities.n);
    for (size_t i = 0; i < a->nationalities.n; i++) {
        /* the writer normalises codes, so the source's text may change */
        assert_str_or_null(a->nationalities.v[i].country, b->nationalities.v[i].country);
        if (!a->nationalities.v[i].country)
            assert_string_equal(a->nationalities.v[i].text, b->nationalities.v[i].text);
    }
    assert_str_or_null(a->gender, b->gender);
    assert_int_equal(a->identifiers.n, b->identifiers.n);
    for (size_t i = 0; i < a->identifiers.n; i++) {
        const ctw_identifier *x = &a->identifiers.v[i], *y = &b->identifiers.v[i];
        assert_string_equal(x->type, y->type);
        assert_string_equal(x->number, y->number);
        assert_str_or_null(x->country, y->country);
        assert_str_or_null(x->issued, y->issued);
        assert_str_or_null(x->expires, y->expires);
    }
    assert_int_equal(a->addresses.n, b->addresses.n);
    for (size_t i = 0; i < a->addresses.n; i++)
        assert_string_equal(a->addresses.v[i].full, b->addresses.v[i].full);
    assert_int_equal(a->listings.n, b->listings.n);
    for (size_t i = 0; i < a->listings.n; i++) {
        assert_str_or_null(a->listings.v[i].program, b->listings.v[i].program);
        assert_str_or_null(a->listings.v[i].authority, b->listings.v[i].authority);
        assert_str_or_null(a->listings.v[i].listed_on, b->listings.v[i].listed_on);
    }
    assert_str_or_null(a->remarks, b->remarks);
    assert_int_equal(a->attributes.n, b->attributes.n);
    for (size_t i = 0; i < a->attributes.n; i++) {
        assert_string_equal(a->attributes.v[i].key, b->attributes.v[i].key);
        assert_string_equal(a->attributes.v[i].value, b->attributes.v[i].value);
    }
}

static void test_round_trip(void **state)
{
    (void)state;
    coll c = {0};
    read_fixture(&c);
    for (size_t i = 0; i < c.n; i++) {
        text t = {0};
        assert_int_equal(ctw_ftm_write(c.v[i], append_line, &t), 0);
        assert_int_equal(t.lines, 1 + c.v[i]->identifiers.n + c.v[i]->listings.n);
        coll back = {0};
        ctw_error err;
        ctw_error_clear(&err);
        int rc = ctw_ftm_read_mem(t.s, t.n, "written", collect, &back, &err);
        if (rc) fail_msg("%s: %s\n%s", err.where, err.message, t.s);
        assert_int_equal(back.n, 1);
        same_record(c.v[i], back.v[0]);
        coll_free(&back);
        free(t.s);
    }
    coll_free(&c);
}

static void test_write_shape(void **state)
{
    (void)state;
    coll c = {0};
    read_fixture(&c);
    text t = {0};
    assert_int_equal(ctw_ftm_write(c.v[0], append_line, &t), 0);
    /* alpha-2 in lower case, FtM property names, sub-entity ids */
    assert_non_null(strstr(t.s, "\"nationality\":[\"sy\"]"));
    assert_non_null(strstr(t.s, "\"weakAlias\":[\"The Accountant\"]"));
    assert_non_null(strstr(t.s, "{\"id\":\"NK-karim-doc-1\",\"schema\":\"Passport\""));
    assert_non_null(strstr(t.s, "{\"id\":\"NK-karim-sanction-1\",\"schema\":\"Sanction\""));
    assert_non_null(strstr(t.s, "\"holder\":[\"NK-karim\"]"));
    free(t.s);

    /* A record with neither source id nor id cannot be written. */
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    assert_int_equal(ctw_record_add_name(r, "X", CTW_NAME_PRIMARY, NULL), 0);
    text t2 = {0};
    assert_int_equal(ctw_ftm_write(r, append_line, &t2), CTW_EINVAL);
    assert_int_equal(t2.lines, 0);
    ctw_record_free(r);
    coll_free(&c);
}

static int stop_after_first(void *ud, const char *line, size_t len)
{
    (void)line;
    (void)len;
    int *calls = ud;
    return ++*calls == 1 ? 7 : 0;
}

static void test_write_stop(void **state)
{
    (void)state;
    coll c = {0};
    read_fixture(&c);
    int calls = 0;
    assert_int_equal(ctw_ftm_write(c.v[0], stop_after_first, &calls), 7);
    assert_int_equal(calls, 1);
    coll_free(&c);
}

/* ---- errors ---------------------------------------------------------------- */

static void expect_error(const char *input, int code, const char *where, const char *in_message)
{
    coll c = {0};
    ctw_error err;
    assert_int_equal(read_str(input, &c, &err), code);
    assert_int_equal(err.code, code);
    assert_string_equal(err.where, where);
    if (in_message && !strstr(err.message, in_message))
        fail_msg("message \"%s\" lacks \"%s\"", err.message, in_message);
    /* nothing reaches the sink when the input is bad */
    assert_int_equal(c.n, 0);
}

#define P1 "{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[\"A\"]}}\n"
#define P2 "{\"id\":\"b\",\"schema\":\"Person\",\"properties\":{\"name\":[\"B\"]}}\n"

static void test_errors(void **state)
{
    (void)state;
    expect_error(P1 P2 "{\"id\":\"c\",\"schema\":\"Person\",\"properties\":{\"name\":[\"C\"]}\n",
                 CTW_EPARSE, "t.json:3", "column");
    expect_error(P1 "{\"id\":\"c\",\"properties\":{}}\n", CTW_EPARSE, "t.json:2", "schema");
    expect_error(P1 "{\"schema\":\"Person\"}\n", CTW_EPARSE, "t.json:2", "id");
    expect_error("[1,2]\n", CTW_EPARSE, "t.json:1", "not a JSON object");
    expect_error(P1 P2 P1, CTW_EPARSE, "t.json:3", "line 1");
    expect_error("{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":\"A\"}}",
                 CTW_EPARSE, "t.json:1", "\"name\"");
    expect_error("{\"id\":\"a\",\"schema\":\"Person\",\"properties\":{\"name\":[1]}}",
                 CTW_EPARSE, "t.json:1", "array of strings");
    expect_error("{\"id\":\"a\",\"schema\":\"Person\",\"properties\":[]}", CTW_EPARSE, "t.json:1",
                 "properties");
    expect_error("{\"id\":\"a\",\"id\":\"b\",\"schema\":\"Person\"}", CTW_EPARSE, "t.json:1", "duplicate");
    /* a duplicate among folded entities counts too */
    expect_error(P1 "{\"id\":\"a\",\"schema\":\"Passport\",\"properties\":{\"holder\":[\"a\"]}}",
                 CTW_EPARSE, "t.json:2", "duplicate");
}

static void test_line_cap(void **state)
{
    (void)state;
    size_t head = strlen(P1);
    size_t len = head + CTW_IMPORT_MAX_LINE + 1;
    char *buf = malloc(len);
    assert_non_null(buf);
    memcpy(buf, P1, head);
    memset(buf + head, ' ', len - head);
    buf[head] = '{';
    coll c = {0};
    ctw_error err;
    ctw_error_clear(&err);
    assert_int_equal(ctw_ftm_read_mem(buf, len, "big.json", collect, &c, &err), CTW_ELIMIT);
    assert_string_equal(err.where, "big.json:2");
    assert_int_equal(c.n, 0);
    /* exactly at the cap is fine (a blank line) */
    memset(buf + head, ' ', len - head);
    assert_int_equal(ctw_ftm_read_mem(buf, len - 1, "big.json", collect, &c, &err), 0);
    assert_int_equal(c.n, 1);
    coll_free(&c);
    free(buf);
}

static void test_lenient_bits(void **state)
{
    (void)state;
    coll c = {0};
    ctw_error err;
    /* BOM, CRLF, blank lines, no final newline, unknown schema, no properties,
     * lowercase alpha-3, unparseable date kept as text */
    const char *in = "\xEF\xBB\xBF" "{\"id\":\"x\",\"schema\":\"Family\",\"properties\":{}}\r\n"
                     "\r\n   \n"
                     "{\"id\":\"o\",\"schema\":\"LegalEntity\"}\r\n"
                     "{\"id\":\"p\",\"schema\":\"Person\",\"properties\":{\"name\":[\"  \",\"Real  Name\"],"
                     "\"nationality\":[\"rus\",\"Russia\",\"zz\"],\"birthDate\":[\"circa 1960\",\"\"],"
                     "\"gender\":[\"Male\"]}}";
    assert_int_equal(read_str(in, &c, &err), 0);
    assert_int_equal(c.n, 2);
    assert_int_equal(c.v[0]->names.n, 0);
    assert_string_equal(c.v[0]->attributes.v[0].value, "LegalEntity");
    const ctw_record *p = c.v[1];
    assert_int_equal(p->names.n, 1);
    assert_string_equal(p->names.v[0].full, "Real Name");
    assert_int_equal(p->names.v[0].kind, CTW_NAME_PRIMARY);
    assert_int_equal(p->nationalities.n, 2);
    assert_string_equal(p->nationalities.v[0].country, "RUS");
    assert_null(p->nationalities.v[1].country);
    assert_string_equal(p->nationalities.v[1].text, "zz");
    assert_int_equal(p->birth_dates.n, 1);
    assert_null(p->birth_dates.v[0].from);
    assert_string_equal(p->birth_dates.v[0].text, "circa 1960");
    assert_string_equal(p->gender, "male");

    /* and that writes and reads back the same */
    text t = {0};
    assert_int_equal(ctw_ftm_write(p, append_line, &t), 0);
    coll back = {0};
    assert_int_equal(ctw_ftm_read_mem(t.s, t.n, "w", collect, &back, &err), 0);
    same_record(p, back.v[0]);
    free(t.s);
    coll_free(&back);
    coll_free(&c);

    /* empty input: no records, no error */
    assert_int_equal(ctw_ftm_read_mem(NULL, 0, NULL, collect, &c, &err), 0);
    assert_int_equal(c.n, 0);
}

static int stop_at_second(void *ud, ctw_record *r)
{
    size_t *n = ud;
    ctw_record_free(r);
    return ++*n == 2 ? 42 : 0;
}

static void test_sink_stop(void **state)
{
    (void)state;
    size_t len;
    char *buf = ctw_test_slurp(FIXTURE, &len);
    size_t n = 0;
    ctw_error err;
    ctw_error_clear(&err);
    /* the remaining records are freed by the reader (valgrind checks) */
    assert_int_equal(ctw_ftm_read_mem(buf, len, FIXTURE, stop_at_second, &n, &err), 42);
    assert_int_equal(n, 2);
    free(buf);
}

/* ---- ctw_read_file ----------------------------------------------------------- */

static void test_read_file(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 0;
    ctw_error err;
    ctw_error_clear(&err);
    assert_int_equal(ctw_read_file(FIXTURE, CTW_IMPORT_MAX_FILE, &buf, &len, &err), 0);
    assert_non_null(buf);
    assert_true(len > 100);
    assert_int_equal(buf[len], '\0');
    free(buf);

    buf = NULL;
    assert_int_equal(ctw_read_file("tests/data/ftm/no-such-file.json", 100, &buf, &len, &err), CTW_EIO);
    assert_null(buf);
    assert_non_null(strstr(err.message, "cannot open tests/data/ftm/no-such-file.json"));
    assert_non_null(strstr(err.message, "No such file"));

    assert_int_equal(ctw_read_file(FIXTURE, 10, &buf, &len, &err), CTW_ELIMIT);
    assert_null(buf);
    assert_non_null(strstr(err.message, "is larger than 10 bytes"));

    /* a pipe-like file with no size: the cap is checked while reading */
    char *dir = ctw_test_tmpdir();
    char path[600];
    assert_int_equal(ctw_read_file("/proc/self/status", 16, &buf, &len, &err), CTW_ELIMIT);
    assert_null(buf);

    /* exactly max bytes is allowed; empty files read as empty */
    snprintf(path, sizeof path, "%s/ten", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("0123456789", f);
    fclose(f);
    assert_int_equal(ctw_read_file(path, 10, &buf, &len, &err), 0);
    assert_int_equal(len, 10);
    assert_string_equal(buf, "0123456789");
    free(buf);
    snprintf(path, sizeof path, "%s/empty", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    fclose(f);
    assert_int_equal(ctw_read_file(path, 10, &buf, &len, &err), 0);
    assert_int_equal(len, 0);
    free(buf);
    /* a directory opens but cannot be read */
    assert_int_equal(ctw_read_file(dir, 10, &buf, &len, &err), CTW_EIO);
    ctw_test_rmdir(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_fields), cmocka_unit_test(test_round_trip),
        cmocka_unit_test(test_write_shape),   cmocka_unit_test(test_write_stop),
        cmocka_unit_test(test_errors),        cmocka_unit_test(test_line_cap),
        cmocka_unit_test(test_lenient_bits),  cmocka_unit_test(test_sink_stop),
        cmocka_unit_test(test_read_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
