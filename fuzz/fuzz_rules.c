/* fuzz_rules.c — any bytes as a risk rule (ctw_rule_parse_text). A rule that
 * parses is evaluated for every traveller of a small fixed manifest, with
 * and without an explanation, and its canonical definition must parse again
 * to the same definition. Nothing may crash or leak; a refused rule must
 * say why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctwatch/rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Flight LH0400 FRA → IAD; a young traveller on a one-way booking from
 * Damascus with a companion who has no birth date and no document; crew
 * without a booking; a traveller whose fields are odd (long codes, a bad
 * date, a booking index out of range). Built once, never freed. */
static ctw_manifest m;

static ctw_leg leg(const char *carrier, const char *flight, const char *from, const char *to, const char *dep)
{
    return (ctw_leg){carrier, flight, from, to, dep, NULL};
}

static void build(void)
{
    ctw_arena_init(&m.arena);
    ctw_arena *a = &m.arena;
    m.n_legs = 1;
    m.legs = ctw_arena_alloc(a, sizeof *m.legs);
    m.legs[0] = leg("LH", "LH0400", "FRA", "IAD", "2026-03-10T10:30");
    m.n_bookings = 1;
    m.bookings = ctw_arena_alloc(a, sizeof *m.bookings);
    m.bookings[0] = (ctw_booking){"ABC123", "1A", "2026-03-08T12:30", 3, ctw_arena_alloc(a, 3 * sizeof(ctw_leg))};
    m.bookings[0].legs[0] = leg("RB", "RB0441", "DAM", "IST", "2026-03-09T08:00");
    m.bookings[0].legs[1] = leg("TK", "TK1587", "IST", "FRA", "2026-03-10T06:00");
    m.bookings[0].legs[2] = leg("LH", "LH0400", "FRA", "IAD", "2026-03-10T10:30");
    m.n_travellers = 4;
    m.travellers = ctw_arena_alloc(a, 4 * sizeof *m.travellers);
    memset(m.travellers, 0, 4 * sizeof *m.travellers);
    ctw_traveller *t = m.travellers;
    t[0] = (ctw_traveller){.birth_date = "2000-03-11", .sex = 'M', .nationality = "SYR", .embark = "FRA",
                           .debark = "IAD", .booking = 0, .n_documents = 1};
    t[0].documents = ctw_arena_alloc(a, sizeof(ctw_travel_doc));
    t[0].documents[0] = (ctw_travel_doc){"P", "N0123456", "SYR", "2026-04-09", NULL};
    t[1] = (ctw_traveller){.sex = 'F', .nationality = "D", .booking = 0};
    t[2] = (ctw_traveller){.role = CTW_TRAVELLER_CREW, .birth_date = "1980-01-01", .nationality = "FRA", .booking = -1};
    t[3] = (ctw_traveller){.role = (ctw_traveller_role)9, .birth_date = "1980-02-30", .sex = 'q',
                           .nationality = "\xff\xfe long nationality", .embark = "ZZZZZZZZZZ", .booking = 42,
                           .n_documents = 1};
    t[3].documents = ctw_arena_alloc(a, sizeof(ctw_travel_doc));
    t[3].documents[0] = (ctw_travel_doc){"PASSPORT", NULL, "", "9999-12-31T99:99", NULL};
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!m.travellers) build();
    ctw_rule *r = NULL;
    ctw_error err;
    ctw_error_clear(&err);
    int rc = ctw_rule_parse_text((const char *)data, size, &r, &err);
    if (rc != 0) {
        if (r || err.code != rc || err.message[0] == '\0') abort();
        return 0;
    }
    if (!ctw_rule_name(r) || !ctw_rule_severity(r)) abort();
    for (size_t t = 0; t < m.n_travellers; t++) {
        json_t *matched = NULL;
        int fired = ctw_rule_eval(r, &m, t, &matched);
        if (fired != 0 && fired != 1) abort();
        if (fired != (matched != NULL)) abort();
        if (matched && json_array_size(matched) == 0) abort();
        json_decref(matched);
        if (ctw_rule_eval(r, &m, t, NULL) != fired) abort();
    }
    if (ctw_rule_eval(r, &m, m.n_travellers, NULL) != CTW_EINVAL) abort();

    /* the canonical form parses again, to itself */
    json_t *def = ctw_rule_definition(r);
    if (!def) abort();
    ctw_rule *r2 = NULL;
    if (ctw_rule_parse(def, &r2, &err) != 0) abort();
    json_t *def2 = ctw_rule_definition(r2);
    if (!json_equal(def, def2)) abort();
    json_decref(def);
    json_decref(def2);
    ctw_rule_free(r2);
    ctw_rule_free(r);
    return 0;
}
