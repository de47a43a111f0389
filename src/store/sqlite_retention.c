/* sqlite_retention.c — the SQLite backend's part of retention (issue 5):
 * records due for review, a new review date, and the real deletion of a
 * record.
 *
 * A deletion removes the rows of every element table and the record row
 * in the caller's transaction; movements.person is cleared (the schema's
 * ON DELETE SET NULL does it too, but the deletion must not depend on
 * PRAGMA foreign_keys). The connection runs with PRAGMA secure_delete=ON
 * (sqlite.c), so SQLite overwrites the freed cells and pages with zeros.
 * In WAL mode the pages as they were before the deletion stay in the -wal
 * file until a checkpoint copies the new ones into the database and the
 * log restarts: erase_log runs wal_checkpoint(TRUNCATE) after the commit.
 *
 * Statements are rare (administrative calls): prepared per call.
 */
#include <string.h>

#include "ctwatch/store.h"
#include "store/sqlite_int.h"
#include "store/store_int.h"

/* The record's first primary name (else its first name) as the listing's name. */
static const char review_sql[] =
    "SELECT r.id, r.kind, r.owner, r.review_date, r.status, r.restriction, r.restriction_list,"
    " (SELECT n.full FROM names n WHERE n.record_id = r.id ORDER BY n.kind <> 'primary', n.seq LIMIT 1)"
    " FROM records r WHERE (?1 IS NULL OR r.owner = ?1) AND r.review_date <= ?2"
    " ORDER BY r.review_date, r.id LIMIT ?3";

int ctw__sq_review_iterate(void *impl, const char *owner, const char *until, int limit,
                           int (*fn)(void *ud, const ctw_review_item *r, const ctw_restriction *restriction),
                           void *ud)
{
    sqlite3 *db = ctw__sqlite_db(impl);
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, review_sql, -1, &st, NULL) != SQLITE_OK) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, owner);
    ctw__sq_bind_text(st, 2, until);
    sqlite3_bind_int(st, 3, limit);
    int rc, frc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ctw_review_item it = {
            .id = (const char *)sqlite3_column_text(st, 0),
            .kind = ctw_kind_from_name((const char *)sqlite3_column_text(st, 1)),
            .owner = (const char *)sqlite3_column_text(st, 2),
            .review_date = (const char *)sqlite3_column_text(st, 3),
            .status = (const char *)sqlite3_column_text(st, 4),
            .name = (const char *)sqlite3_column_text(st, 7),
        };
        int k = ctw_restrict_kind_from_name((const char *)sqlite3_column_text(st, 5));
        /* an unreadable restriction is the strictest, as in sqlite.c */
        ctw_restriction r = {.kind = k < 0 ? CTW_RESTRICT_HIT_ONLY : (ctw_restrict_kind)k,
                             .list = (const char *)sqlite3_column_text(st, 6)};
        if ((frc = fn(ud, &it, &r)) != 0) break;
    }
    sqlite3_finalize(st);
    if (frc != 0) return frc;
    return rc == SQLITE_DONE ? 0 : ctw__sq_error(rc);
}

/* Run one statement with ?1 = id (and ?2, ?3 when given); its changes in *n. */
static int run(sqlite3 *db, const char *sql, const char *id, const char *a2, const char *a3, int *n)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, id);
    if (a2) ctw__sq_bind_text(st, 2, a2);
    if (a3) ctw__sq_bind_text(st, 3, a3);
    int rc = sqlite3_step(st);
    sqlite3_finalize(st);
    if (rc != SQLITE_DONE) return ctw__sq_error(rc);
    if (n) *n = sqlite3_changes(db);
    return 0;
}

int ctw__sq_review_set(void *impl, const char *id, const char *date, const char *when)
{
    int n = 0;
    int rc = run(ctw__sqlite_db(impl),
                 "UPDATE records SET review_date=?2, version=version+1, updated=?3 WHERE id=?1", id, date, when, &n);
    return rc == 0 && n == 0 ? CTW_ENOTFOUND : rc;
}

int ctw__sq_record_delete(void *impl, const char *id)
{
    static const char *const steps[] = {
        "UPDATE movements SET person = NULL WHERE person = ?1",
        /* the hits on it hold its name and the queries that found it */
        "DELETE FROM hit_messages WHERE hit_seq IN (SELECT seq FROM hits WHERE record = ?1)",
        "DELETE FROM hit_events WHERE hit_seq IN (SELECT seq FROM hits WHERE record = ?1)",
        "DELETE FROM hits WHERE record = ?1",
        "DELETE FROM names WHERE record_id = ?1",
        "DELETE FROM birth_dates WHERE record_id = ?1",
        "DELETE FROM birth_places WHERE record_id = ?1",
        "DELETE FROM nationalities WHERE record_id = ?1",
        "DELETE FROM identifiers WHERE record_id = ?1",
        "DELETE FROM addresses WHERE record_id = ?1",
        "DELETE FROM listings WHERE record_id = ?1",
        "DELETE FROM attributes WHERE record_id = ?1",
    };
    sqlite3 *db = ctw__sqlite_db(impl);
    int rc = 0, n = 0;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0] && rc == 0; i++) rc = run(db, steps[i], id, NULL, NULL, NULL);
    /* last: the feed's trigger writes the 'delete' change */
    if (rc == 0) rc = run(db, "DELETE FROM records WHERE id = ?1", id, NULL, NULL, &n);
    return rc == 0 && n == 0 ? CTW_ENOTFOUND : rc;
}

int ctw__sq_erase_log(void *impl)
{
    sqlite3 *db = ctw__sqlite_db(impl);
    int log = -1, done = -1;
    int rc = sqlite3_wal_checkpoint_v2(db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log, &done);
    if (rc == SQLITE_BUSY) return CTW_ECONFLICT;
    if (rc != SQLITE_OK) return ctw__sq_error(rc);
    /* TRUNCATE leaves an empty log (0, 0); -1 when not in WAL mode */
    return log <= 0 || log == done ? 0 : CTW_ECONFLICT;
}
