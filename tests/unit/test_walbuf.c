/* test_walbuf.c — the store's VFS (src/store/sqlite_walbuf.c): a WAL file's
 * writes are held and go out in one write before any other operation on
 * the file; commits, rollbacks, frames rewritten within a transaction and
 * a process killed mid-transaction read back exactly as with SQLite's own
 * VFS, from a connection that uses SQLite's own VFS. */
#include "test_util.h"
#include "test_dbfile.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "store/sqlite_int.h"

/* A connection as the store opens it, through the buffering VFS, with a
 * page cache small enough that big transactions spill frames early. */
static sqlite3 *open_buffered(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, CTW_SQLITE_WALBUF_VFS),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    ctw_test_db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; PRAGMA cache_size=8");
    return db;
}

/* A connection through SQLite's own VFS. */
static sqlite3 *open_plain(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 5000);
    return db;
}

static void integrity_ok(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
}

/* Through SQLite's own VFS, a fresh connection finds n rows in t, the
 * highest id max_id (0: not checked) and a sound database. */
static void plain_sees(const char *path, int64_t n, int64_t max_id)
{
    sqlite3 *plain = open_plain(path);
    assert_int_equal(ctw_test_db_int(plain, "SELECT count(*) FROM t"), n);
    if (max_id) assert_int_equal(ctw_test_db_int(plain, "SELECT max(id) FROM t"), max_id);
    integrity_ok(plain);
    sqlite3_close(plain);
}

/* Rows n of ~600 bytes each, in one transaction of db. */
static void insert_rows(sqlite3 *db, int from, int n)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t (id, v) VALUES (?1, printf('%.600c', ?1 % 26 + 65))",
                                        -1, &st, NULL),
                     SQLITE_OK);
    for (int i = from; i < from + n; i++) {
        sqlite3_bind_int(st, 1, i);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
    }
    sqlite3_finalize(st);
}

/* The WAL file's own handle holds a write until the next operation on it. */
static void test_write_held_until_next_operation(void **state)
{
    ctw_test_dbfile *f = *state;
    sqlite3 *db = open_buffered(f->path);
    ctw_test_db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    sqlite3_file *wal = NULL;
    assert_int_equal(sqlite3_file_control(db, "main", SQLITE_FCNTL_JOURNAL_POINTER, &wal), SQLITE_OK);
    assert_non_null(wal);
    assert_non_null(wal->pMethods);

    off_t before = ctw_test_file_size(f->wal);
    assert_true(before > 0); /* the CREATE's commit */
    char junk[100];
    memset(junk, 'x', sizeof junk);
    /* past every frame: SQLite never reads it (its checksums do not match) */
    off_t at = before + 4096;
    assert_int_equal(wal->pMethods->xWrite(wal, junk, sizeof junk, at), SQLITE_OK);
    assert_int_equal(wal->pMethods->xWrite(wal, junk, sizeof junk, at + (off_t)sizeof junk), SQLITE_OK);
    assert_int_equal(ctw_test_file_size(f->wal), before); /* held */
    char back[2 * sizeof junk];
    assert_int_equal(wal->pMethods->xRead(wal, back, sizeof back, at), SQLITE_OK);
    assert_memory_equal(back, junk, sizeof junk);
    assert_memory_equal(back + sizeof junk, junk, sizeof junk);
    assert_int_equal(ctw_test_file_size(f->wal), at + (off_t)sizeof back); /* out before the read */

    /* a write that does not follow the held one sends that one out first */
    assert_int_equal(wal->pMethods->xWrite(wal, "ab", 2, at + 1000), SQLITE_OK);
    assert_int_equal(wal->pMethods->xWrite(wal, "cd", 2, at + 500), SQLITE_OK);
    assert_int_equal(ctw_test_file_size(f->wal), at + 1002);
    sqlite3_int64 size = 0;
    assert_int_equal(wal->pMethods->xFileSize(wal, &size), SQLITE_OK);
    assert_int_equal(size, at + 1002);
    char two[2];
    assert_int_equal(wal->pMethods->xRead(wal, two, 2, at + 500), SQLITE_OK);
    assert_memory_equal(two, "cd", 2);

    /* the store still works over the junk, and says it is sound */
    insert_rows(db, 1, 10);
    assert_int_equal(ctw_test_db_int(db, "SELECT count(*) FROM t"), 10);
    plain_sees(f->path, 10, 0);
    sqlite3_close(db);
}

/* Transactions many times the buffer, pages spilled and rewritten, a
 * rollback, a checkpoint: another connection through SQLite's own VFS
 * reads what was committed and nothing else. */
static void test_big_transactions(void **state)
{
    ctw_test_dbfile *f = *state;
    sqlite3 *db = open_buffered(f->path);
    ctw_test_db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); CREATE INDEX t_v ON t(v)");
    ctw_test_db_exec(db, "BEGIN");
    insert_rows(db, 1, 4000); /* ~2.5 MB: twenty buffers and more */
    /* pages spilled to the WAL and then changed again in the same
     * transaction are rewritten (and read back) by SQLite */
    ctw_test_db_exec(db, "UPDATE t SET v = upper(v) || 'z' WHERE id % 7 = 0");
    ctw_test_db_exec(db, "UPDATE t SET v = v || 'y' WHERE id % 7 = 0");
    assert_int_equal(ctw_test_db_int(db, "SELECT count(*) FROM t WHERE v LIKE '%zy'"), 4000 / 7);
    ctw_test_db_exec(db, "COMMIT");

    sqlite3 *plain = open_plain(f->path);
    assert_int_equal(ctw_test_db_int(plain, "SELECT count(*) FROM t"), 4000);
    assert_int_equal(ctw_test_db_int(plain, "SELECT count(*) FROM t WHERE v LIKE '%zy'"), 4000 / 7);
    assert_int_equal(ctw_test_db_int(plain, "SELECT sum(length(v)) FROM t"), 4000 * 600 + 2 * (4000 / 7));

    ctw_test_db_exec(db, "BEGIN");
    insert_rows(db, 5000, 3000);
    ctw_test_db_exec(db, "DELETE FROM t WHERE id < 100");
    ctw_test_db_exec(db, "ROLLBACK");
    assert_int_equal(ctw_test_db_int(db, "SELECT count(*) FROM t"), 4000);
    assert_int_equal(ctw_test_db_int(plain, "SELECT count(*) FROM t"), 4000);

    insert_rows(db, 9000, 5); /* autocommit, after the rolled-back frames */
    assert_int_equal(ctw_test_db_int(plain, "SELECT count(*) FROM t"), 4005);
    ctw_test_db_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)");
    assert_int_equal(ctw_test_file_size(f->wal), 0);
    insert_rows(db, 9100, 5);
    assert_int_equal(ctw_test_db_int(plain, "SELECT count(*) FROM t"), 4010);
    integrity_ok(plain);
    sqlite3_close(plain);
    sqlite3_close(db);
    plain_sees(f->path, 4010, 0);
}

/* A process killed with a transaction in progress, frames of it written
 * and frames still held: its commits are all there, the rest is not. */
static void test_killed_mid_transaction(void **state)
{
    ctw_test_dbfile *f = *state;
    sqlite3 *db = open_buffered(f->path);
    ctw_test_db_exec(db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)");
    sqlite3_close(db);

    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        sqlite3 *c = open_buffered(f->path);
        for (int i = 0; i < 20; i++) insert_rows(c, 1 + i * 10, 10); /* 20 commits */
        ctw_test_db_exec(c, "BEGIN");
        insert_rows(c, 1000, 3000); /* spills, part written, part held */
        raise(SIGKILL);
        _exit(3);
    }
    int status = 0;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

    plain_sees(f->path, 200, 200);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_held_until_next_operation, ctw_test_dbfile_setup, ctw_test_dbfile_teardown),
        cmocka_unit_test_setup_teardown(test_big_transactions, ctw_test_dbfile_setup, ctw_test_dbfile_teardown),
        cmocka_unit_test_setup_teardown(test_killed_mid_transaction, ctw_test_dbfile_setup, ctw_test_dbfile_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
