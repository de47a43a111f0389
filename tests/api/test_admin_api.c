/* test_admin_api.c — administration over the API (issue 5) against a real
 * `ctwatch serve` (the test build, whose clock the suite moves forward):
 * agencies, users, passwords, TOTP and API keys with least privilege; a
 * disabled user's token refused at once; a wrong TOTP refused; brute
 * force throttled with 429 and Retry-After, an unknown user answered as a
 * wrong password is; sessions expiring idle and absolutely; malformed and
 * oversized bodies on every POST and PUT refused; and after every refusal
 * the store unchanged.
 *
 * Agencies FRA-NCB and DEU-NCB (europe), KEN-NCB (east-africa); users
 * root (system-admin), admin.fra and admin.deu (agency-admin), officer.fra,
 * analyst.fra, auditor.fra, officer.deu.
 */
#include "admin_util.h"

#define MAX_BODY (64 * 1024)

static char *clock_dir;

static void build_store(void)
{
    ctw_store *s = NULL;
    ctw_error err = {0};
    if (ctw_store_open(g.db, CTW_STORE_CREATE, &s, &err) != 0) fail_msg("store open: %s", err.message);
    make_agency(s, "FRA-NCB", "FRA", "europe,schengen");
    make_agency(s, "DEU-NCB", "DEU", "europe,schengen");
    make_agency(s, "KEN-NCB", "KEN", "east-africa");
    make_user(s, "root", "FRA-NCB", CTW_ROLE_SYSTEM_ADMIN);
    make_user(s, "admin.fra", "FRA-NCB", CTW_ROLE_AGENCY_ADMIN);
    make_user(s, "admin.deu", "DEU-NCB", CTW_ROLE_AGENCY_ADMIN);
    make_user(s, "officer.fra", "FRA-NCB", CTW_ROLE_OFFICER);
    make_user(s, "analyst.fra", "FRA-NCB", CTW_ROLE_ANALYST);
    make_user(s, "auditor.fra", "FRA-NCB", CTW_ROLE_AUDITOR);
    make_user(s, "officer.deu", "DEU-NCB", CTW_ROLE_OFFICER);
    ctw_store_close(s);
}

static int group_setup(void **state)
{
    (void)state;
    clock_dir = ctw_test_tmpdir();
    if (use_test_clock(clock_dir) != 0) return -1;
    return api_server_start(build_store, MAX_BODY);
}

static int group_teardown(void **state)
{
    (void)state;
    int rc = api_server_stop();
    ctw_test_rmdir(clock_dir);
    free(clock_dir);
    return rc;
}

/* A body never holds a secret kept by the store. */
static void assert_no_secrets(const char *path, const char *token)
{
    resp r;
    assert_int_equal(http_req_as(token, NULL, path, NULL, 0, NULL, &r), CURLE_OK);
    assert_int_equal(r.status, 200);
    static const char *const banned[] = {"password", "hash", "secret", "$argon2", "totp_secret", "ctwk_", "ctws_"};
    for (size_t i = 0; i < sizeof banned / sizeof banned[0]; i++)
        if (strstr(r.body, banned[i])) fail_msg("GET %s shows \"%s\": %s", path, banned[i], r.body);
    resp_free(&r);
}

static void test_agencies(void **state)
{
    (void)state;
    char root[128], admin[128], officer[128];
    login("root", root);
    login("admin.fra", admin);
    login("officer.fra", officer);
    /* anyone signed in lists them, regions as a list */
    json_t *j = call(officer, NULL, "/api/v1/agencies", NULL, 200);
    json_t *list = json_object_get(j, "agencies");
    assert_int_equal(json_array_size(list), 4);   /* and LOCAL, of the suite's analyst */
    json_t *fra = json_array_get(list, 1);
    assert_string_equal(json_string_value(json_object_get(fra, "code")), "FRA-NCB");
    assert_int_equal(json_array_size(json_object_get(fra, "regions")), 2);
    assert_string_equal(json_string_value(json_array_get(json_object_get(fra, "regions"), 0)), "europe");
    json_decref(j);

    const char *eth = "{\"code\":\"ETH-NCB\",\"name\":\"NCB Addis Ababa\",\"kind\":\"ncb\",\"country\":\"ETH\","
                      "\"regions\":[\"east-africa\",\"igad\"]}";
    /* an agency administrator and an officer do not add agencies */
    long denied = count_audit("admin-denied");
    refused_unchanged(admin, "POST", "/api/v1/agencies", eth, strlen(eth), 403, "forbidden");
    refused_unchanged(officer, "POST", "/api/v1/agencies", eth, strlen(eth), 403, "forbidden");
    assert_int_equal(count_audit("admin-denied"), denied + 2);
    /* bad bodies */
    static const char *const bad[] = {
        "{\"name\":\"x\",\"kind\":\"ncb\"}",                                              /* no code */
        "{\"code\":\"eth\",\"name\":\"x\",\"kind\":\"ncb\"}",                             /* lower case */
        "{\"code\":\"ETH-NCB\",\"name\":\"x\",\"kind\":\"police\"}",                      /* unknown kind */
        "{\"code\":\"ETH-NCB\",\"name\":\"x\",\"kind\":\"ncb\",\"country\":\"ET\"}",      /* alpha-2 */
        "{\"code\":\"ETH-NCB\",\"name\":\"x\",\"kind\":\"ncb\",\"regions\":\"east-africa\"}",
        "{\"code\":\"ETH-NCB\",\"name\":\"x\",\"kind\":\"ncb\",\"regions\":[\"a,b\"]}",
        "{\"code\":\"ETH-NCB\",\"name\":\"x\",\"kind\":\"ncb\",\"regions\":[\"east africa\"]}",
        "{\"code\":\"ETH-NCB\",\"name\":\"x\",\"kind\":\"ncb\",\"regions\":[7]}",
        "{\"code\":\"ETH-NCB\",\"name\":\"x\",\"kind\":\"ncb\",\"owner\":\"me\"}",        /* unknown key */
        "{\"code\":7,\"name\":\"x\",\"kind\":\"ncb\"}",
        "[\"ETH-NCB\"]",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused_unchanged(root, "POST", "/api/v1/agencies", bad[i], strlen(bad[i]), 400, "invalid");
    bad_bodies_unchanged(root, "POST", "/api/v1/agencies", 20000);
    /* the system administrator adds it */
    j = call(root, "POST", "/api/v1/agencies", eth, 201);
    assert_string_equal(json_string_value(json_object_get(j, "code")), "ETH-NCB");
    assert_string_equal(json_string_value(json_array_get(json_object_get(j, "regions"), 1)), "igad");
    json_decref(j);
    char *regions = db_text("SELECT regions FROM agencies WHERE code='ETH-NCB'", NULL);
    assert_string_equal(regions, "east-africa,igad");
    free(regions);
    refused_unchanged(root, "POST", "/api/v1/agencies", eth, strlen(eth), 409, "conflict");
    j = call(root, "DELETE", "/api/v1/agencies", NULL, 405);
    json_decref(j);
}

static void test_users_least_privilege(void **state)
{
    (void)state;
    char root[128], admin[128], admin_deu[128], officer[128], auditor[128];
    login("root", root);
    login("admin.fra", admin);
    login("admin.deu", admin_deu);
    login("officer.fra", officer);
    login("auditor.fra", auditor);
    /* an agency administrator lists its own agency's users, with no secret */
    json_t *j = call(admin, NULL, "/api/v1/users", NULL, 200);
    size_t i;
    json_t *u;
    size_t n = 0;
    json_array_foreach(json_object_get(j, "users"), i, u) {
        assert_string_equal(json_string_value(json_object_get(u, "agency")), "FRA-NCB");
        n++;
    }
    assert_int_equal(n, 5);
    json_decref(j);
    assert_no_secrets("/api/v1/users", admin);
    assert_no_secrets("/api/v1/users", root);
    j = call(root, NULL, "/api/v1/users?agency=DEU-NCB", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "users")), 2);
    json_decref(j);
    j = call(auditor, NULL, "/api/v1/users", NULL, 200);   /* auditors may list */
    json_decref(j);
    refused_unchanged(admin, "GET", "/api/v1/users?agency=DEU-NCB", NULL, 0, 403, "forbidden");
    refused_unchanged(officer, "GET", "/api/v1/users", NULL, 0, 403, "forbidden");

    /* an agency administrator creates users of its own agency... */
    j = call(admin, "POST", "/api/v1/users",
             "{\"username\":\"officer2.fra\",\"role\":\"officer\",\"password\":\"" PASSWORD "\"}", 201);
    assert_string_equal(json_string_value(json_object_get(j, "agency")), "FRA-NCB");
    assert_string_equal(json_string_value(json_object_get(j, "role")), "officer");
    assert_true(json_is_true(json_object_get(j, "enabled")));
    assert_null(json_object_get(j, "password"));
    json_decref(j);
    /* ...but no system administrator, no auditor, nobody of another agency */
    const char *create[] = {
        "{\"username\":\"evil.root\",\"role\":\"system-admin\",\"password\":\"" PASSWORD "\"}",
        "{\"username\":\"evil.aud\",\"role\":\"auditor\",\"password\":\"" PASSWORD "\"}",
        "{\"username\":\"evil.deu\",\"role\":\"officer\",\"agency\":\"DEU-NCB\",\"password\":\"" PASSWORD "\"}",
    };
    for (i = 0; i < 3; i++) refused_unchanged(admin, "POST", "/api/v1/users", create[i], strlen(create[i]), 403, "forbidden");
    refused_unchanged(officer, "POST", "/api/v1/users", create[0], 0, 403, "forbidden");
    /* the system administrator may */
    j = call(root, "POST", "/api/v1/users", "{\"username\":\"analyst.deu\",\"role\":\"analyst\",\"agency\":\"DEU-NCB\"}",
             201);
    json_decref(j);
    /* bad bodies */
    static const char *const bad[] = {
        "{\"username\":\"x\",\"role\":\"officer\"}",                   /* name too short */
        "{\"username\":\"Officer3\",\"role\":\"officer\"}",            /* upper case */
        "{\"username\":\"officer3.fra\",\"role\":\"chief\"}",          /* unknown role */
        "{\"username\":\"officer3.fra\"}",                             /* no role */
        "{\"username\":\"officer3.fra\",\"role\":\"officer\",\"password\":\"short\"}",
        "{\"username\":\"officer3.fra\",\"role\":\"officer\",\"password\":\"officer3.fra\"}",
        "{\"username\":\"officer3.fra\",\"role\":\"officer\",\"enabled\":true}",   /* unknown key */
        "{\"username\":[\"officer3.fra\"],\"role\":\"officer\"}",
    };
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused_unchanged(admin, "POST", "/api/v1/users", bad[i], strlen(bad[i]), 400, "invalid");
    refused_unchanged(admin, "POST", "/api/v1/users", "{\"username\":\"officer.fra\",\"role\":\"officer\"}", 0, 409,
                      "conflict");
    refused_unchanged(admin, "POST", "/api/v1/users", "{\"username\":\"ghost.fra\",\"role\":\"officer\",\"agency\":\"XXX-NCB\"}",
                      0, 404, "not_found");
    bad_bodies_unchanged(admin, "POST", "/api/v1/users", 20000);

    /* roles: within what the administrator may give */
    j = call(admin, "PUT", "/api/v1/users/officer2.fra", "{\"role\":\"analyst\"}", 200);
    assert_string_equal(json_string_value(json_object_get(j, "role")), "analyst");
    json_decref(j);
    refused_unchanged(admin, "PUT", "/api/v1/users/officer2.fra", "{\"role\":\"system-admin\"}", 0, 403, "forbidden");
    refused_unchanged(admin, "PUT", "/api/v1/users/officer2.fra", "{\"role\":\"auditor\"}", 0, 403, "forbidden");
    refused_unchanged(admin, "PUT", "/api/v1/users/auditor.fra", "{\"enabled\":false}", 0, 403, "forbidden");
    refused_unchanged(admin, "PUT", "/api/v1/users/root", "{\"enabled\":false}", 0, 403, "forbidden");
    refused_unchanged(admin_deu, "PUT", "/api/v1/users/officer2.fra", "{\"enabled\":false}", 0, 403, "forbidden");
    refused_unchanged(admin_deu, "POST", "/api/v1/users/officer2.fra/password", "{\"password\":\"" PASSWORD "x\"}", 0,
                      403, "forbidden");
    refused_unchanged(admin_deu, "POST", "/api/v1/users/officer2.fra/totp", NULL, 0, 403, "forbidden");
    refused_unchanged(officer, "PUT", "/api/v1/users/officer2.fra", "{\"role\":\"supervisor\"}", 0, 403, "forbidden");
    refused_unchanged(admin, "PUT", "/api/v1/users/nobody.fra", "{\"role\":\"analyst\"}", 0, 404, "not_found");
    static const char *const bad_put[] = {"{}", "{\"role\":\"chief\"}", "{\"enabled\":\"no\"}", "{\"enabled\":0}",
                                          "{\"role\":\"analyst\",\"agency\":\"DEU-NCB\"}"};
    for (i = 0; i < sizeof bad_put / sizeof bad_put[0]; i++)
        refused_unchanged(admin, "PUT", "/api/v1/users/officer2.fra", bad_put[i], strlen(bad_put[i]), 400, "invalid");
    bad_bodies_unchanged(admin, "PUT", "/api/v1/users/officer2.fra", 20000);
    j = call(admin, "GET", "/api/v1/users/officer2.fra", NULL, 405);
    json_decref(j);
}

static void test_disabled_user_refused_at_once(void **state)
{
    (void)state;
    char admin[128], tok[128], tok2[128];
    login("admin.fra", admin);
    login("analyst.fra", tok);
    login("analyst.fra", tok2);
    json_t *j = call(tok, NULL, "/api/v1/stats", NULL, 200);
    json_decref(j);
    j = call(admin, "PUT", "/api/v1/users/analyst.fra", "{\"enabled\":false}", 200);
    assert_true(json_is_false(json_object_get(j, "enabled")));
    json_decref(j);
    /* the very next request with either of its sessions */
    j = call(tok, NULL, "/api/v1/stats", NULL, 401);
    assert_string_equal(error_code(j), "unauthorized");
    json_decref(j);
    j = call(tok2, NULL, "/api/v1/stats", NULL, 401);
    json_decref(j);
    char *n = db_text("SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username='analyst.fra'",
                      NULL);
    assert_string_equal(n, "0");
    free(n);
    /* and no new one */
    j = call(NULL, "POST", "/api/v1/login", "{\"username\":\"analyst.fra\",\"password\":\"" PASSWORD "\"}", 401);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "message")), CTW_AUTH_INVALID);
    json_decref(j);
    j = call(admin, "PUT", "/api/v1/users/analyst.fra", "{\"enabled\":true}", 200);
    json_decref(j);
    login("analyst.fra", tok);
    j = call(tok, NULL, "/api/v1/stats", NULL, 200);
    json_decref(j);
}

static void test_password_change(void **state)
{
    (void)state;
    char admin[128], tok[128];
    login("admin.fra", admin);
    login("officer.fra", tok);
    refused_unchanged(admin, "POST", "/api/v1/users/officer.fra/password", "{\"password\":\"short\"}", 0, 400, "invalid");
    refused_unchanged(admin, "POST", "/api/v1/users/officer.fra/password", "{}", 0, 400, "invalid");
    refused_unchanged(admin, "POST", "/api/v1/users/officer.fra/password", "{\"password\":\"officer.fra\"}", 0, 400,
                      "invalid");
    bad_bodies_unchanged(admin, "POST", "/api/v1/users/officer.fra/password", 20000);
    json_t *j = call(admin, "POST", "/api/v1/users/officer.fra/password", "{\"password\":\"a brand new passphrase\"}", 200);
    json_decref(j);
    j = call(tok, NULL, "/api/v1/stats", NULL, 401);   /* the old session ended */
    json_decref(j);
    j = call(NULL, "POST", "/api/v1/login", "{\"username\":\"officer.fra\",\"password\":\"" PASSWORD "\"}", 401);
    json_decref(j);
    login_totp("officer.fra", "a brand new passphrase", NULL, tok);
    j = call(admin, "POST", "/api/v1/users/officer.fra/password", "{\"password\":\"" PASSWORD "\"}", 200);
    json_decref(j);
}

/* RFC 4648 base32 (no padding) to bytes; the number of bytes. */
static size_t base32_decode(const char *in, uint8_t *out, size_t cap)
{
    uint32_t buf = 0;
    int bits = 0;
    size_t n = 0;
    for (; *in; in++) {
        const char *alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        const char *p = strchr(alphabet, *in);
        assert_non_null(p);
        buf = (buf << 5) | (uint32_t)(p - alphabet);
        bits += 5;
        if (bits >= 8) {
            assert_true(n < cap);
            out[n++] = (uint8_t)(buf >> (bits - 8));
            bits -= 8;
        }
    }
    return n;
}

static void test_totp(void **state)
{
    (void)state;
    char admin[128], tok[128], code[16];
    login("admin.fra", admin);
    bad_bodies_unchanged(admin, "POST", "/api/v1/users/officer2.fra/totp", 20000);
    refused_unchanged(admin, "POST", "/api/v1/users/officer2.fra/totp", "{\"secret\":\"AAAA\"}", 0, 400, "invalid");
    json_t *j = call(admin, "POST", "/api/v1/users/officer2.fra/totp", NULL, 200);
    const char *uri = json_string_value(json_object_get(j, "otpauth_uri"));
    const char *secret = json_string_value(json_object_get(j, "secret"));
    assert_non_null(uri);
    assert_int_equal(strncmp(uri, "otpauth://totp/ctwatch:officer2.fra?secret=", 43), 0);
    assert_non_null(strstr(uri, secret));
    uint8_t key[32];
    size_t klen = base32_decode(secret, key, sizeof key);
    assert_int_equal(klen, CTW_AUTH_TOTP_SECRET_BYTES);
    json_decref(j);
    /* shown once: listed as enrolled, never with the secret */
    assert_no_secrets("/api/v1/users", admin);
    char *enrolled = db_text("SELECT totp_secret IS NOT NULL FROM users WHERE username='officer2.fra'", NULL);
    assert_string_equal(enrolled, "1");
    free(enrolled);

    /* no code, a wrong code, a malformed code: one answer */
    const char *no_code = "{\"username\":\"officer2.fra\",\"password\":\"" PASSWORD "\"}";
    j = call(NULL, "POST", "/api/v1/login", no_code, 401);
    json_decref(j);
    uint32_t right = ctw_auth_totp_code(key, klen, server_now(), 6);
    snprintf(code, sizeof code, "%06u", (right + 1) % 1000000);
    char body[256];
    snprintf(body, sizeof body, "{\"username\":\"officer2.fra\",\"password\":\"" PASSWORD "\",\"totp\":\"%s\"}", code);
    j = call(NULL, "POST", "/api/v1/login", body, 401);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "message")), CTW_AUTH_INVALID);
    json_decref(j);
    j = call(NULL, "POST", "/api/v1/login",
             "{\"username\":\"officer2.fra\",\"password\":\"" PASSWORD "\",\"totp\":\"12ab56\"}", 401);
    json_decref(j);
    /* the right one, once */
    snprintf(code, sizeof code, "%06u", right);
    login_totp("officer2.fra", PASSWORD, code, tok);
    j = call(tok, NULL, "/api/v1/stats", NULL, 200);
    json_decref(j);
    snprintf(body, sizeof body, "{\"username\":\"officer2.fra\",\"password\":\"" PASSWORD "\",\"totp\":\"%s\"}", code);
    j = call(NULL, "POST", "/api/v1/login", body, 401);   /* replayed */
    json_decref(j);
}

static void test_keys(void **state)
{
    (void)state;
    char admin[128], admin_deu[128], officer[128];
    login("admin.fra", admin);
    login("admin.deu", admin_deu);
    login("officer.fra", officer);
    json_t *j = call(admin, "POST", "/api/v1/keys", "{\"name\":\"cdg-gate-1\"}", 201);
    const char *key = json_string_value(json_object_get(j, "key"));
    json_int_t id = json_integer_value(json_object_get(j, "id"));
    assert_string_equal(json_string_value(json_object_get(j, "agency")), "FRA-NCB");
    assert_string_equal(json_string_value(json_object_get(j, "scope")), "screening");
    assert_int_equal(strncmp(key, "ctwk_", 5), 0);
    char keytok[128];
    snprintf(keytok, sizeof keytok, "%s", key);
    json_decref(j);
    /* listed without the key; the other agency sees none of it */
    assert_no_secrets("/api/v1/keys", admin);
    j = call(admin, NULL, "/api/v1/keys", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "keys")), 1);
    json_decref(j);
    j = call(admin_deu, NULL, "/api/v1/keys", NULL, 200);
    assert_int_equal(json_array_size(json_object_get(j, "keys")), 0);
    json_decref(j);
    /* the key screens, and administers nothing */
    j = call(keytok, "POST", "/api/v1/screen", "{\"name\":\"Nobody Atall\"}", 200);
    json_decref(j);
    refused_unchanged(keytok, "GET", "/api/v1/users", NULL, 0, 403, "forbidden");
    refused_unchanged(keytok, "POST", "/api/v1/keys", "{\"name\":\"more\"}", 0, 403, "forbidden");
    /* creation and revocation: own agency only */
    refused_unchanged(admin, "POST", "/api/v1/keys", "{\"name\":\"x\",\"agency\":\"DEU-NCB\"}", 0, 403, "forbidden");
    refused_unchanged(officer, "POST", "/api/v1/keys", "{\"name\":\"x\"}", 0, 403, "forbidden");
    refused_unchanged(officer, "GET", "/api/v1/keys", NULL, 0, 403, "forbidden");
    refused_unchanged(admin, "POST", "/api/v1/keys", "{\"name\":\"cdg-gate-1\"}", 0, 409, "conflict");
    static const char *const bad[] = {"{}", "{\"name\":\"a b\"}", "{\"name\":\"x\",\"scope\":\"admin\"}",
                                      "{\"name\":\"x\",\"key\":\"ctwk_mine\"}", "{\"name\":1}"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        refused_unchanged(admin, "POST", "/api/v1/keys", bad[i], strlen(bad[i]), 400, "invalid");
    bad_bodies_unchanged(admin, "POST", "/api/v1/keys", 20000);
    char path[64];
    snprintf(path, sizeof path, "/api/v1/keys/%lld", (long long)id);
    refused_unchanged(admin_deu, "DELETE", path, NULL, 0, 403, "forbidden");
    refused_unchanged(admin, "DELETE", "/api/v1/keys/99999", NULL, 0, 404, "not_found");
    refused_unchanged(admin, "DELETE", "/api/v1/keys/abc", NULL, 0, 404, "not_found");
    bad_bodies_unchanged(admin, "DELETE", path, 20000);
    j = call(admin, "DELETE", path, NULL, 200);
    assert_true(json_is_true(json_object_get(j, "revoked")));
    json_decref(j);
    /* refused at once */
    j = call(keytok, "POST", "/api/v1/screen", "{\"name\":\"Nobody Atall\"}", 401);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "API key revoked");
    json_decref(j);
}

/* A login's status and body. */
static long try_login(const char *user, const char *password, char *body_out, size_t cap, char *retry, size_t rcap)
{
    char body[256];
    snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, password);
    resp r;
    assert_int_equal(http_req_as(NULL, "POST", "/api/v1/login", body, strlen(body), NULL, &r), CURLE_OK);
    snprintf(body_out, cap, "%s", r.body ? r.body : "");
    if (retry && !header_value(&r, "Retry-After", retry, rcap)) retry[0] = '\0';
    long status = r.status;
    resp_free(&r);
    return status;
}

static void test_brute_force_throttled(void **state)
{
    (void)state;
    char wrong[512], unknown[512], retry[32];
    /* an unknown user and a wrong password: the same answer */
    assert_int_equal(try_login("officer.deu", "not the password", wrong, sizeof wrong, NULL, 0), 401);
    assert_int_equal(try_login("ghost.deu", "not the password", unknown, sizeof unknown, NULL, 0), 401);
    assert_string_equal(wrong, unknown);
    for (int i = 1; i < CTW_AUTH_THROTTLE_USER; i++) {
        assert_int_equal(try_login("officer.deu", "not the password", wrong, sizeof wrong, NULL, 0), 401);
        assert_int_equal(try_login("ghost.deu", "not the password", unknown, sizeof unknown, NULL, 0), 401);
        assert_string_equal(wrong, unknown);
    }
    /* now even the right password waits, with Retry-After */
    char *before = store_snapshot();
    assert_int_equal(try_login("officer.deu", PASSWORD, wrong, sizeof wrong, retry, sizeof retry), 429);
    assert_non_null(strstr(wrong, "too_many_attempts"));
    long secs = strtol(retry, NULL, 10);
    assert_true(secs >= 1 && secs <= CTW_AUTH_THROTTLE_WINDOW);
    assert_int_equal(try_login("ghost.deu", PASSWORD, unknown, sizeof unknown, retry, sizeof retry), 429);
    assert_true(strtol(retry, NULL, 10) >= 1);
    char *after = store_snapshot();
    assert_string_equal(before, after);
    free(before);
    free(after);
    /* other users are not locked out */
    char tok[128];
    login("officer.fra", tok);
    /* once the failures leave the window, the right password works */
    advance_clock(CTW_AUTH_THROTTLE_WINDOW + 1);
    login("officer.deu", tok);
    json_t *j = call(tok, NULL, "/api/v1/stats", NULL, 200);
    json_decref(j);
}

static void test_session_idle_expiry(void **state)
{
    (void)state;
    char tok[128];
    login("officer.fra", tok);
    json_t *j;
    /* used every 29 minutes, it lives on */
    for (int i = 0; i < 3; i++) {
        advance_clock(CTW_AUTH_IDLE_SECONDS - 60);
        j = call(tok, NULL, "/api/v1/stats", NULL, 200);
        json_decref(j);
    }
    /* 30 minutes without use end it */
    advance_clock(CTW_AUTH_IDLE_SECONDS + 1);
    j = call(tok, NULL, "/api/v1/stats", NULL, 401);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "message")),
                        "session expired (idle)");
    json_decref(j);
    j = call(tok, NULL, "/api/v1/stats", NULL, 401);   /* and it stays ended */
    json_decref(j);
}

static void test_session_absolute_expiry(void **state)
{
    (void)state;
    char tok[128];
    login("officer.fra", tok);
    json_t *j;
    int64_t used = 0;
    /* in use all along, yet over after twelve hours */
    while (used + 25 * 60 < CTW_AUTH_ABSOLUTE_SECONDS - 60) {
        advance_clock(25 * 60);
        used += 25 * 60;
        j = call(tok, NULL, "/api/v1/stats", NULL, 200);
        json_decref(j);
    }
    advance_clock(CTW_AUTH_ABSOLUTE_SECONDS - used);
    j = call(tok, NULL, "/api/v1/stats", NULL, 401);
    assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "message")), "session expired");
    json_decref(j);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_agencies),
        cmocka_unit_test(test_users_least_privilege),
        cmocka_unit_test(test_disabled_user_refused_at_once),
        cmocka_unit_test(test_password_change),
        cmocka_unit_test(test_totp),
        cmocka_unit_test(test_keys),
        cmocka_unit_test(test_brute_force_throttled),
        cmocka_unit_test(test_session_idle_expiry),
        cmocka_unit_test(test_session_absolute_expiry),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
