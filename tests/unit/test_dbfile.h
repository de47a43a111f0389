/* test_dbfile.h — a store file in a scratch directory, for the tests of
 * the SQLite layer itself (test_walbuf.c, test_checkpoint.c), and helpers
 * for an open connection. */
#ifndef CTW_TEST_DBFILE_H
#define CTW_TEST_DBFILE_H

#include <sys/stat.h>

#include "store/sqlite_int.h"
#include "test_util.h"

/* path is dir/t.db, wal its log. ctw_test_dbfile_setup and _teardown
 * are cmocka fixtures; the setup also registers the store's VFS
 * (sqlite_walbuf.c). */
typedef struct ctw_test_dbfile {
    char *dir;
    char path[600], wal[610];
} ctw_test_dbfile;

static inline int ctw_test_dbfile_setup(void **state)
{
    ctw_test_dbfile *f = calloc(1, sizeof *f);
    f->dir = ctw_test_tmpdir();
    snprintf(f->path, sizeof f->path, "%s/t.db", f->dir);
    snprintf(f->wal, sizeof f->wal, "%s-wal", f->path);
    assert_int_equal(ctw__sqlite_walbuf_register(), SQLITE_OK);
    *state = f;
    return 0;
}

static inline int ctw_test_dbfile_teardown(void **state)
{
    ctw_test_dbfile *f = *state;
    ctw_test_rmdir(f->dir);
    free(f->dir);
    free(f);
    return 0;
}

/* sql on an open connection; fails the test if SQLite refuses it. */
static inline void ctw_test_db_exec(sqlite3 *db, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK) fail_msg("%s: %s", sql, msg ? msg : "?");
}

/* The first column of the one row sql returns on an open connection. */
static inline int64_t ctw_test_db_int(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    int64_t v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

/* The size of the file at path (which must exist). */
static inline off_t ctw_test_file_size(const char *path)
{
    struct stat sb;
    assert_int_equal(stat(path, &sb), 0);
    return sb.st_size;
}

#endif
