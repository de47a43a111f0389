/* test_util.h — helpers shared by the cmocka tests.
 *
 * Tests run from the repository root (make test does so); fixtures are in
 * tests/data. A test that needs a scratch directory gets a fresh one under
 * $TMPDIR that it removes itself.
 */
#ifndef CTW_TEST_UTIL_H
#define CTW_TEST_UTIL_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <sqlite3.h>

#include "ctwatch/access.h"
#include "ctwatch/record.h"
#include "ctwatch/store.h"

/* Read a whole fixture file; fails the test if it cannot. Caller frees. */
static inline char *ctw_test_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) fail_msg("cannot open fixture %s", path);
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
    buf[n] = '\0';
    fclose(f);
    if (len) *len = (size_t)n;
    return buf;
}

/* A fresh temporary directory path (mkdtemp); caller frees the string and
 * removes the directory with ctw_test_rmdir. */
static inline char *ctw_test_tmpdir(void)
{
    const char *base = getenv("TMPDIR");
    char tmpl[512];
    snprintf(tmpl, sizeof tmpl, "%s/ctwtest.XXXXXX", base && *base ? base : "/tmp");
    char *d = mkdtemp(tmpl);
    assert_non_null(d);
    return strdup(d);
}

static inline void ctw_test_rmdir(const char *dir)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

/* Run sql (one or more statements) on the store file at path, beside the
 * code under test; fails the test if SQLite refuses it. */
static inline void ctw_test_sql_exec(const char *path, const char *sql)
{
    sqlite3 *db;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg ? msg : "?");
    sqlite3_close(db);
}

/* The first column of the first row of sql on the store file at path, or
 * -1 when there is no row. */
static inline long long ctw_test_sql_int(const char *path, const char *sql)
{
    sqlite3 *db;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open(path, &db), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    long long v = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

/* Put a person record of DEU-NCB from source "deu-national" (source_id,
 * one primary name, restriction rk with its list, or NULL) into s as the
 * command line; its id into id_out (64 bytes). */
static inline void ctw_test_put_person(ctw_store *s, const char *source_id, const char *name, ctw_restrict_kind rk,
                                       const char *list, char *id_out)
{
    ctw_record *r = ctw_record_new(CTW_KIND_PERSON);
    r->source = "deu-national";
    r->source_id = source_id;
    r->owner = "DEU-NCB";
    r->created = r->updated = "2026-01-02T03:04:05Z";
    r->review_date = "2031-01-02";
    r->version = 1;
    r->restriction.kind = rk;
    r->restriction.list = list;
    ctw_record_make_id(r);
    ctw_record_add_name(r, name, CTW_NAME_PRIMARY, NULL);
    assert_int_equal(ctw_store_put(s, ctw_principal_cli(), r), 0);
    snprintf(id_out, 64, "%s", r->id);
    r->restriction.list = NULL; /* the caller's string */
    ctw_record_free(r);
}

#endif
