/* test_static.c — the web interface's files (src/http/static.c): the
 * request path cleaner, and loading a web root that holds what must never
 * be served (a symlink out of the root, hidden files, a file too large). */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "test_util.h"

#include "http/static.h"

static const char *clean(const char *url, size_t n, char *out, size_t cap)
{
    return ctw__http_static_path(url, n, out, cap) == 0 ? out : NULL;
}

static void test_path_accepts(void **state)
{
    (void)state;
    char out[CTW_STATIC_PATH_MAX + 1];
    assert_string_equal(clean("/", 1, out, sizeof out), "");
    assert_string_equal(clean("/index.html", 11, out, sizeof out), "index.html");
    assert_string_equal(clean("/assets/index-BGLMLKKn.js", 25, out, sizeof out), "assets/index-BGLMLKKn.js");
    assert_string_equal(clean("//a/./b//", 9, out, sizeof out), "a/b");
    assert_string_equal(clean("/person/ctw-1", 13, out, sizeof out), "person/ctw-1");
}

static void test_path_refuses(void **state)
{
    (void)state;
    char out[CTW_STATIC_PATH_MAX + 1];
    static const char *const bad[] = {"", "index.html", "/..", "/../etc/passwd", "/assets/../../x", "/a/..",
                                      "/.env", "/.git/config", "/a/.hidden", "/a\\..\\b", "/a\tb", "/caf\xc3\xa9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        snprintf(out, sizeof out, "x"); /* a marker the call must clear */
        if (clean(bad[i], strlen(bad[i]), out, sizeof out)) fail_msg("accepted \"%s\" as \"%s\"", bad[i], out);
        assert_string_equal(out, "");
    }
    /* a NUL inside the decoded path (%00) */
    assert_null(clean("/index.html\0.png", 16, out, sizeof out));
    /* too long, and a result larger than the buffer */
    char longp[CTW_STATIC_PATH_MAX + 2];
    memset(longp, 'a', sizeof longp);
    longp[0] = '/';
    assert_null(clean(longp, sizeof longp, out, sizeof out));
    assert_null(clean("/abcdef", 7, out, 4));
    assert_non_null(clean("/abc", 4, out, 4));
}

static void put(const char *dir, const char *name, const char *text)
{
    char p[700];
    assert_true(snprintf(p, sizeof p, "%s/%s", dir, name) < (int)sizeof p);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_load_root(void **state)
{
    (void)state;
    char *dir = ctw_test_tmpdir();
    char root[600], p[700], target[700];
    snprintf(root, sizeof root, "%s/dist", dir);
    assert_int_equal(mkdir(root, 0700), 0);
    ctw__http_static *st = NULL;
    ctw_error err = {0};
    /* no index.html: refused */
    assert_int_not_equal(ctw__http_static_load(root, &st, &err), 0);
    assert_null(st);

    put(root, "index.html", "<!doctype html>");
    snprintf(p, sizeof p, "%s/assets", root);
    assert_int_equal(mkdir(p, 0700), 0);
    put(p, "app.js", "export {}");
    put(root, ".env", "SECRET=1");
    put(dir, "outside.txt", "outside the root");
    snprintf(target, sizeof target, "%s/outside.txt", dir);
    snprintf(p, sizeof p, "%s/link.txt", root);
    assert_int_equal(symlink(target, p), 0);
    snprintf(p, sizeof p, "%s/linkdir", root);
    assert_int_equal(symlink(dir, p), 0);
    assert_int_equal(ctw__http_static_load(root, &st, &err), 0);
    assert_non_null(st);
    /* what is served: the regular files; never a hidden file nor anything through a symlink */
    assert_true(ctw__http_static_has(st, "index.html"));
    assert_true(ctw__http_static_has(st, "assets/app.js"));
    assert_false(ctw__http_static_has(st, ".env"));
    assert_false(ctw__http_static_has(st, "link.txt"));
    assert_false(ctw__http_static_has(st, "linkdir/outside.txt"));
    assert_int_equal(ctw__http_static_count(st), 2);
    ctw__http_static_free(st);

    /* a file over the limit: the whole root is refused, with its name */
    snprintf(p, sizeof p, "%s/big.bin", root);
    int fd = open(p, O_WRONLY | O_CREAT, 0600);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, (off_t)CTW_STATIC_FILE_MAX + 1), 0);
    close(fd);
    st = NULL;
    assert_int_equal(ctw__http_static_load(root, &st, &err), CTW_ELIMIT);
    assert_null(st);
    assert_non_null(strstr(err.where, "big.bin"));
    ctw_test_rmdir(dir);
    free(dir);
}

static void test_wants(void **state)
{
    (void)state;
    assert_true(ctw__http_static_wants("/"));
    assert_true(ctw__http_static_wants("/assets/x.js"));
    assert_true(ctw__http_static_wants("/apix"));
    assert_true(ctw__http_static_wants("/healthzz"));
    assert_false(ctw__http_static_wants("/api"));
    assert_false(ctw__http_static_wants("/api/v1/stats"));
    assert_false(ctw__http_static_wants("/healthz"));
    assert_false(ctw__http_static_wants("/healthz/x"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_path_accepts),
        cmocka_unit_test(test_path_refuses),
        cmocka_unit_test(test_load_root),
        cmocka_unit_test(test_wants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
