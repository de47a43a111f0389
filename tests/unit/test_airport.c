/* test_airport.c — the OpenFlights airport table: IATA and ICAO lookup,
 * countries as alpha-3, and every airport of the vendored file found. */
#include "test_util.h"

#include "ctwatch/airport.h"
#include "ctwatch/country.h"

static void test_lookup(void **state)
{
    (void)state;
    static const struct { const char *code, *iata, *country; } cases[] = {
        {"FRA", "FRA", "DEU"}, {"IAD", "IAD", "USA"}, {"LHR", "LHR", "GBR"}, {"JFK", "JFK", "USA"},
        {"EGLL", "LHR", "GBR"}, {"KJFK", "JFK", "USA"}, {"fra", "FRA", "DEU"}, {"eddf", "FRA", "DEU"},
        {"DAM", "DAM", "SYR"}, {"BGW", "BGW", "IRQ"}, {"IST", "IST", "TUR"},
        {"CUR", "CUR", "CUW"},  /* Netherlands Antilles in the file: Curaçao now */
        {"FIH", "FIH", "COD"},  /* "Congo (Kinshasa)" in the file */
        {"RGN", "RGN", "MMR"},  /* "Burma" */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const ctw_airport *a = ctw_airport_lookup(cases[i].code);
        if (!a) fail_msg("%s: not found", cases[i].code);
        assert_string_equal(a->iata, cases[i].iata);
        assert_string_equal(a->country, cases[i].country);
        assert_string_equal(ctw_airport_country(cases[i].code), cases[i].country);
    }
    const ctw_airport *fra = ctw_airport_lookup("FRA");
    assert_string_equal(fra->icao, "EDDF");
    assert_string_equal(fra->name, "Frankfurt am Main Airport");
    assert_string_equal(fra->city, "Frankfurt");
    assert_true(fra->lat > 50.0 && fra->lat < 50.1);
    assert_true(fra->lon > 8.5 && fra->lon < 8.6);

    /* An airport with an ICAO code and no IATA code. */
    const ctw_airport *pe = ctw_airport_lookup("LFAG");
    assert_non_null(pe);
    assert_null(pe->iata);
    assert_string_equal(pe->country, "FRA");
}

static void test_unknown(void **state)
{
    (void)state;
    static const char *const bad[] = {"QQQ", "ZZZZ", "", "FR", "FRAN ", "EGLLX", "F-A", "FRÄ", " FRA"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        if (ctw_airport_lookup(bad[i])) fail_msg("\"%s\" should be unknown", bad[i]);
        assert_null(ctw_airport_country(bad[i]));
    }
    assert_null(ctw_airport_lookup(NULL));
    assert_null(ctw_airport_country(NULL));
}

/* Field i of a line of airports.dat (quoted or not, "" inside quotes). */
static bool csv_field(const char *line, int want, char *out, size_t cap)
{
    const char *p = line;
    for (int i = 0;; i++) {
        size_t o = 0;
        if (*p == '"') {
            for (p++; *p && !(*p == '"' && p[1] != '"'); p++) {
                if (*p == '"') p++;
                if (o + 1 < cap) out[o++] = *p;
            }
            if (*p == '"') p++;
        } else {
            for (; *p && *p != ',' && *p != '\n'; p++)
                if (o + 1 < cap) out[o++] = *p;
        }
        out[o] = '\0';
        if (i == want) return true;
        if (*p != ',') return false;
        p++;
    }
}

static void test_whole_file(void **state)
{
    (void)state;
    size_t len;
    char *text = ctw_test_slurp("data/openflights/openflights_airports.dat", &len);
    size_t n_iata = 0;
    char *save = NULL;
    for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char iata[16];
        if (!csv_field(line, 4, iata, sizeof iata) || strlen(iata) != 3) continue;
        n_iata++;
        const ctw_airport *a = ctw_airport_lookup(iata);
        if (!a) fail_msg("%s from the file is not in the table", iata);
        if (!ctw_country_is_code(a->country)) fail_msg("%s: country %s is not a code", iata, a->country);
    }
    free(text);
    assert_true(n_iata > 6000);
    assert_true(ctw_airport_count() >= n_iata);
    assert_true(ctw_airport_count() > 7000);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lookup),
        cmocka_unit_test(test_unknown),
        cmocka_unit_test(test_whole_file),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
