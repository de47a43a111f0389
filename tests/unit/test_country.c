/* test_country.c — country names to ISO 3166 alpha-3 with Debian iso-codes. */
#include "test_util.h"

#include "ctwatch/country.h"

static void test_lookup(void **state)
{
    (void)state;
    static const struct { const char *in, *code; } cases[] = {
        {"Iraq", "IRQ"}, {"iraq", "IRQ"}, {"IQ", "IRQ"}, {"irq", "IRQ"}, {"sy", "SYR"},
        {"Syrian Arab Republic", "SYR"}, {"Syria", "SYR"}, {"Democratic Republic of the Congo", "COD"},
        {"Congo, The Democratic Republic of the", "COD"}, {"Russian Federation", "RUS"}, {"Russia", "RUS"},
        {"United Kingdom of Great Britain and Northern Ireland", "GBR"}, {"Iran (Islamic Republic of)", "IRN"},
        {"Korea, North", "PRK"}, {"Côte d'Ivoire", "CIV"}, {"Cote d'Ivoire", "CIV"}, {"Burma", "MMR"},
        {"Yugoslavia", "YUG"}, {"Türkiye", "TUR"}, {"the Netherlands", "NLD"}, {"Iraq (as at 2003)", "IRQ"},
        {"XXA", "XXA"}, {"D", "DEU"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *got = ctw_country_lookup(cases[i].in);
        if (!got || strcmp(got, cases[i].code) != 0)
            fail_msg("%s: expected %s, got %s", cases[i].in, cases[i].code, got ? got : "NULL");
    }
    assert_null(ctw_country_lookup("Atlantis"));
    assert_null(ctw_country_lookup(""));
    assert_null(ctw_country_lookup(NULL));
    assert_true(ctw_country_is_code("FRA"));
    assert_false(ctw_country_is_code("QQQ"));
    assert_string_equal(ctw_country_name("SYR"), "Syria");
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_lookup)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
