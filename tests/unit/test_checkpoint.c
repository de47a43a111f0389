/* test_checkpoint.c — checkpoints on a thread of their own
 * (src/store/sqlite_checkpoint.c): under a writer that commits small
 * transactions one after another, the log is checkpointed and starts over
 * (it stays near 1,000 pages instead of growing with every commit), every
 * row reads back through SQLite's own VFS, a reader that holds the old log
 * neither fails the writer nor stops the log from starting over once it
 * ends, and a store handle opened with CTW_STORE_HOT_WRITER
 * writes and reads back as any other, and waits for a write lock another
 * connection holds instead of failing. */
#include "test_util.h"
#include "test_dbfile.h"

#include <pthread.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ctwatch/store.h"
#include "store/sqlite_int.h"

/* SQLite's page plus the WAL frame header; the checkpointer's threshold. */
#define FRAME_BYTES (4096 + 24)
#define THRESHOLD_FRAMES 1000

/* A writer's connection as the store opens it. */
static sqlite3 *open_writer(const char *path)
{
    sqlite3 *db = NULL;
    assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, CTW_SQLITE_WALBUF_VFS),
                     SQLITE_OK);
    sqlite3_busy_timeout(db, 10000);
    ctw_test_db_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL");
    ctw_test_db_exec(db, "CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, v TEXT)");
    return db;
}

static void pause_us(long us)
{
    struct timespec ts = {us / 1000000, (us % 1000000) * 1000};
    nanosleep(&ts, NULL);
}

/* n commits of one ~3 KB row each (a page or two of log apiece), with a
 * short pause after each as the audit writer has between its batches
 * (waking the requests it answered). Every commit must succeed. */
static void commit_rows(sqlite3 *db, int from, int n)
{
    sqlite3_stmt *st = NULL;
    assert_int_equal(sqlite3_prepare_v2(db, "INSERT INTO t (id, v) VALUES (?1, printf('%.3000c', ?1 % 26 + 65))",
                                        -1, &st, NULL),
                     SQLITE_OK);
    for (int i = from; i < from + n; i++) {
        sqlite3_bind_int(st, 1, i);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_reset(st);
        pause_us(300);
    }
    sqlite3_finalize(st);
}

/* Wait up to 20 s for the checkpointer to have started the log over at
 * least `want` times; its count. */
static unsigned long wait_runs(ctw__sq_checkpointer *c, unsigned long want)
{
    for (int i = 0; i < 2000 && ctw__sq_checkpointer_runs(c) < want; i++) pause_us(10000);
    return ctw__sq_checkpointer_runs(c);
}

/* 5,000 commits, ~7,500 pages of log: without checkpoints the log file
 * would hold them all; SQLite's automatic checkpoint is off on this
 * connection (the hook replaces it), so only the checkpointer keeps it
 * small. */
static void test_log_starts_over(void **state)
{
    ctw_test_dbfile *f = *state;
    sqlite3 *db = open_writer(f->path);
    ctw__sq_checkpointer *c = NULL;
    assert_int_equal(ctw__sq_checkpointer_start(db, f->path, CTW_SQLITE_WALBUF_VFS, &c), SQLITE_OK);
    commit_rows(db, 1, 5000);
    assert_true(wait_runs(c, 2) >= 2);
    /* the file only grows: its size is the log's high-water mark */
    off_t wal = ctw_test_file_size(f->wal);
    assert_true(wal > 0);
    assert_true(wal < (off_t)(3 * THRESHOLD_FRAMES) * FRAME_BYTES);
    ctw__sq_checkpointer_stop(c);

    /* everything committed reads back, through SQLite's own VFS */
    sqlite3 *plain = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &plain, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(ctw_test_db_int(plain, "SELECT count(*) FROM t"), 5000);
    assert_int_equal(ctw_test_db_int(plain, "SELECT max(id) FROM t"), 5000);
    assert_int_equal(ctw_test_db_int(plain, "SELECT count(*) FROM t WHERE length(v) != 3000"), 0);
    sqlite3_close(plain);
    sqlite3_close(db);
}

/* A reader that keeps a snapshot of the old log: the log cannot start
 * over under it, the writer's commits still all succeed, and once the
 * reader ends the log starts over again. */
static void test_reader_holds_the_log(void **state)
{
    ctw_test_dbfile *f = *state;
    sqlite3 *db = open_writer(f->path);
    ctw__sq_checkpointer *c = NULL;
    assert_int_equal(ctw__sq_checkpointer_start(db, f->path, CTW_SQLITE_WALBUF_VFS, &c), SQLITE_OK);
    commit_rows(db, 1, 100);

    sqlite3 *reader = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &reader, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    ctw_test_db_exec(reader, "BEGIN");
    assert_int_equal(ctw_test_db_int(reader, "SELECT count(*) FROM t"), 100);

    commit_rows(db, 101, 1500); /* past the threshold while the reader holds its snapshot */
    pause_us(200000);
    unsigned long held = ctw__sq_checkpointer_runs(c);
    assert_int_equal(held, 0);
    assert_int_equal(ctw_test_db_int(reader, "SELECT count(*) FROM t"), 100); /* its snapshot, still */
    ctw_test_db_exec(reader, "COMMIT");
    sqlite3_close(reader);

    commit_rows(db, 1601, 1500); /* the next attempt comes after another threshold's worth */
    assert_true(wait_runs(c, 1) >= 1);
    ctw__sq_checkpointer_stop(c);
    assert_int_equal(ctw_test_db_int(db, "SELECT count(*) FROM t"), 3100);
    sqlite3_close(db);
}

static void *release_later(void *arg)
{
    pause_us(300000);
    ctw_test_db_exec(arg, "COMMIT");
    return NULL;
}

/* The store open flag: a file store gets the checkpointer and writes as
 * any other, waiting (its own busy handler) for a write lock that another
 * connection holds for a while; ":memory:" (no log) opens without one. */
static void test_store_flag(void **state)
{
    ctw_test_dbfile *f = *state;
    ctw_store *s = NULL;
    ctw_error err = {0};
    assert_int_equal(ctw_store_open(f->path, CTW_STORE_CREATE | CTW_STORE_HOT_WRITER, &s, &err), 0);
    const ctw_principal *p = ctw_principal_cli();
    for (int i = 0; i < 50; i++) {
        assert_int_equal(ctw_store_begin(s), 0);
        assert_int_equal(ctw_store_audit(s, p, "test-checkpoint", NULL, "{}"), 0);
        assert_int_equal(ctw_store_commit(s), 0);
    }

    sqlite3 *other = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &other, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    ctw_test_db_exec(other, "BEGIN IMMEDIATE");
    pthread_t t;
    assert_int_equal(pthread_create(&t, NULL, release_later, other), 0);
    assert_int_equal(ctw_store_begin(s), 0); /* waits for the commit above */
    assert_int_equal(ctw_store_audit(s, p, "test-checkpoint", NULL, "{}"), 0);
    assert_int_equal(ctw_store_commit(s), 0);
    pthread_join(t, NULL);
    sqlite3_close(other);
    ctw_store_close(s);

    sqlite3 *plain = NULL;
    assert_int_equal(sqlite3_open_v2(f->path, &plain, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    assert_int_equal(ctw_test_db_int(plain, "SELECT count(*) FROM audit WHERE action = 'test-checkpoint'"), 51);
    sqlite3_close(plain);

    s = NULL;
    assert_int_equal(ctw_store_open(":memory:", CTW_STORE_CREATE | CTW_STORE_HOT_WRITER, &s, &err), 0);
    ctw_store_close(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_log_starts_over, ctw_test_dbfile_setup, ctw_test_dbfile_teardown),
        cmocka_unit_test_setup_teardown(test_reader_holds_the_log, ctw_test_dbfile_setup, ctw_test_dbfile_teardown),
        cmocka_unit_test_setup_teardown(test_store_flag, ctw_test_dbfile_setup, ctw_test_dbfile_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
