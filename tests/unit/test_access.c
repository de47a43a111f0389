/* test_access.c — the one access check, rule by rule. */
#include "test_util.h"

#include "ctwatch/access.h"

static ctw_record *rec(const char *owner, ctw_restrict_kind k, const char *list)
{
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->owner = owner;
    r->restriction.kind = k;
    r->restriction.list = list;
    return r;
}

static void test_rules(void **state)
{
    (void)state;
    ctw_principal fra = {.user = "u1", .agency = "FRA-NCB", .regions = "europe", .role = CTW_ROLE_ANALYST};
    ctw_principal ken = {.user = "u2", .agency = "KEN-NCB", .regions = "east-africa,africa", .role = CTW_ROLE_OFFICER};
    ctw_principal nobody = {.user = "x", .agency = "FRA-NCB", .role = CTW_ROLE_NONE};
    ctw_record *r;

    r = rec("KEN-NCB", CTW_RESTRICT_ALL, NULL);
    assert_int_equal(ctw_access_check(&fra, r), CTW_ACCESS_READ);
    assert_int_equal(ctw_access_check(&nobody, r), CTW_ACCESS_DENY);
    assert_int_equal(ctw_access_check(NULL, r), CTW_ACCESS_DENY);
    ctw_record_free(r);

    r = rec("KEN-NCB", CTW_RESTRICT_AGENCIES, "USA-NCB, FRA-NCB");
    assert_int_equal(ctw_access_check(&fra, r), CTW_ACCESS_READ);
    ctw_record_free(r);
    r = rec("KEN-NCB", CTW_RESTRICT_AGENCIES, "FRA-NCBX,USA-NCB");
    assert_int_equal(ctw_access_check(&fra, r), CTW_ACCESS_HIT_ONLY);
    assert_int_equal(ctw_access_check(&ken, r), CTW_ACCESS_READ); /* owner */
    ctw_record_free(r);

    r = rec("USA-NCB", CTW_RESTRICT_REGIONS, "africa");
    assert_int_equal(ctw_access_check(&ken, r), CTW_ACCESS_READ);
    assert_int_equal(ctw_access_check(&fra, r), CTW_ACCESS_HIT_ONLY);
    ctw_record_free(r);

    r = rec("USA-NCB", CTW_RESTRICT_ALL_EXCEPT, "FRA-NCB");
    assert_int_equal(ctw_access_check(&fra, r), CTW_ACCESS_HIT_ONLY);
    assert_int_equal(ctw_access_check(&ken, r), CTW_ACCESS_READ);
    ctw_record_free(r);

    r = rec("USA-NCB", CTW_RESTRICT_HIT_ONLY, NULL);
    assert_int_equal(ctw_access_check(&ken, r), CTW_ACCESS_HIT_ONLY);
    assert_int_equal(ctw_access_check(ctw_principal_cli(), r), CTW_ACCESS_READ);
    assert_false(ctw_access_can_write(&ken, r));
    assert_true(ctw_access_can_write(ctw_principal_cli(), r));
    ctw_principal usa_sup = {.user = "s", .agency = "USA-NCB", .role = CTW_ROLE_SUPERVISOR};
    ctw_principal usa_off = {.user = "o", .agency = "USA-NCB", .role = CTW_ROLE_OFFICER};
    assert_true(ctw_access_can_write(&usa_sup, r));
    assert_false(ctw_access_can_write(&usa_off, r));
    ctw_record_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_rules)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
