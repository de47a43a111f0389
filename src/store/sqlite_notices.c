/* sqlite_notices.c — the SQLite backend's notices table (issue 5).
 *
 * Schema 6 in sqlite.c creates the table, its index and the triggers that
 * move the change feed. Statements are prepared on first use and kept in
 * the handle (ctw__sqlite_notices). Like sqlite.c, nothing here decides
 * access or writes audit entries: src/store/notices.c does both. Rows are
 * read joined with their record, whose owner and restriction are what the
 * access check is made on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/notice.h"
#include "store/sqlite_int.h"
#include "store/store_int.h"

enum { NS_INSERT, NS_GET, NS_SET_STATE, NS_LIST, NS_LIST_RECORD, NS_BEST, NS_PUBLISHED, NS_CANCEL_RECORD,
       NS__COUNT };

#define NOTICE_COLS "n.seq, n.record_id, n.kind, n.state, n.action, n.summary, n.valid_until, n.owner," \
                    " n.created, n.created_by, n.updated, n.published, n.published_by, n.cancelled,"   \
                    " n.cancelled_by, n.cancel_reason, r.owner, r.restriction, r.restriction_list"
#define NOTICE_FROM " FROM notices n JOIN records r ON r.id = n.record_id"
/* ?1 after, ?2 kind, ?3 state as read (expired computed with ?4 today), ?5 record */
#define NOTICE_MATCH                                                                                     \
    " WHERE n.seq > ?1 AND (?2 IS NULL OR n.kind = ?2)"                                                  \
    " AND (?3 IS NULL OR (CASE WHEN n.state = 'published' AND n.valid_until < ?4 THEN 'expired'"         \
    "   ELSE n.state END) = ?3)"
/* the strength order of notice.h */
#define ACTION_RANK "CASE n.action WHEN 'arrest' THEN 0 WHEN 'locate' THEN 1 WHEN 'inform' THEN 2 ELSE 3 END"
#define KIND_RANK                                                                                          \
    "CASE n.kind WHEN 'red' THEN 0 WHEN 'diffusion' THEN 1 WHEN 'orange' THEN 2 WHEN 'black' THEN 3"      \
    " WHEN 'yellow' THEN 4 WHEN 'blue' THEN 5 WHEN 'un-special' THEN 6 WHEN 'sanctions' THEN 7"           \
    " WHEN 'purple' THEN 8 WHEN 'green' THEN 9 ELSE 10 END"
#define SCREENABLE "n.state = 'published' AND (n.valid_until IS NULL OR n.valid_until >= ?2)"

static const char *const notice_sql[NS__COUNT] = {
    [NS_INSERT] = "INSERT INTO notices (record_id, kind, state, action, summary, valid_until, owner, created,"
                  " created_by, updated, published, published_by)"
                  " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    [NS_GET] = "SELECT " NOTICE_COLS NOTICE_FROM " WHERE n.seq = ?1",
    [NS_SET_STATE] = "UPDATE notices SET state=?2, updated=?3, published=?4, published_by=?5, cancelled=?6,"
                     " cancelled_by=?7, cancel_reason=?8 WHERE seq=?1 AND state=?9",
    [NS_LIST] = "SELECT " NOTICE_COLS NOTICE_FROM NOTICE_MATCH " ORDER BY n.seq",
    [NS_LIST_RECORD] = "SELECT " NOTICE_COLS NOTICE_FROM NOTICE_MATCH " AND n.record_id = ?5 ORDER BY n.seq",
    [NS_BEST] = "SELECT " NOTICE_COLS NOTICE_FROM " WHERE n.record_id = ?1 AND r.status = 'active' AND " SCREENABLE
                " ORDER BY " ACTION_RANK ", " KIND_RANK ", n.seq DESC LIMIT 1",
    /* NS_BEST for every record at once (the screening index's copy): the
     * same join and order, all published notices, expired ones too, since
     * whether one has expired is decided on the day it is read */
    [NS_PUBLISHED] = "SELECT n.seq, n.record_id, n.kind, n.action, n.valid_until" NOTICE_FROM
                     " WHERE r.status = 'active' AND n.state = 'published'"
                     " ORDER BY n.record_id, " ACTION_RANK ", " KIND_RANK ", n.seq DESC",
    [NS_CANCEL_RECORD] = "UPDATE notices SET state='cancelled', updated=?2, cancelled=?2, cancelled_by=?3,"
                         " cancel_reason=?4 WHERE record_id=?1 AND state IN ('draft','review','published')",
};

struct ctw__sqlite_notices {
    sqlite3_stmt *st[NS__COUNT];
    sqlite3_stmt *batch[CTW__NOTICE_BATCH + 1];   /* [n]: the insert of n import notices */
};

void ctw__sqlite_notices_free(ctw__sqlite_notices *t)
{
    if (!t) return;
    for (int i = 0; i < NS__COUNT; i++) sqlite3_finalize(t->st[i]);
    for (int i = 0; i <= CTW__NOTICE_BATCH; i++) sqlite3_finalize(t->batch[i]);
    free(t);
}

/* The statement, prepared on first use, reset and unbound; NULL on failure. */
static sqlite3_stmt *nstmt(void *impl, int which)
{
    ctw__sqlite_notices **slot = ctw__sqlite_notices_slot(impl);
    if (!*slot && !(*slot = calloc(1, sizeof **slot))) return NULL;
    return ctw__sq_stmt(impl, &(*slot)->st[which], notice_sql[which]);
}

static const char *col(sqlite3_stmt *st, int i, ctw_arena *a)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return v && a ? ctw_arena_strdup(a, v) : v;
}

/* Fill n, *owner and *rr from a row of NOTICE_COLS; strings copied into a,
 * or borrowed from the statement when a is NULL (valid until the next step). */
static int notice_from_row(sqlite3_stmt *st, ctw_arena *a, ctw_notice *n, const char **owner, ctw_restriction *rr)
{
    memset(n, 0, sizeof *n);
    n->seq = sqlite3_column_int64(st, 0);
    snprintf(n->id, sizeof n->id, "N-%lld", (long long)n->seq);
    const char **cols[] = {&n->record, &n->kind, &n->state, &n->action, &n->summary, &n->valid_until,
                           &n->owner, &n->created, &n->created_by, &n->updated, &n->published,
                           &n->published_by, &n->cancelled, &n->cancelled_by, &n->cancel_reason, owner};
    for (int i = 0; i < (int)(sizeof cols / sizeof cols[0]); i++) {
        *cols[i] = col(st, i + 1, a);
        if (a && !*cols[i] && sqlite3_column_type(st, i + 1) != SQLITE_NULL) return CTW_ENOMEM;
    }
    int kind = ctw_restrict_kind_from_name((const char *)sqlite3_column_text(st, 17));
    /* an unreadable restriction is the strictest, never "all" */
    rr->kind = kind < 0 ? CTW_RESTRICT_HIT_ONLY : (ctw_restrict_kind)kind;
    rr->list = col(st, 18, a);
    if (a && !rr->list && sqlite3_column_type(st, 18) != SQLITE_NULL) return CTW_ENOMEM;
    return 0;
}

int ctw__sq_notice_insert(void *impl, const ctw_notice *n, int64_t *seq)
{
    sqlite3_stmt *st = nstmt(impl, NS_INSERT);
    if (!st) return CTW_ESTORE;
    const char *v[] = {n->record, n->kind, n->state, n->action, n->summary, n->valid_until,
                       n->owner, n->created, n->created_by, n->updated, n->published, n->published_by};
    for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++) ctw__sq_bind_text(st, i + 1, v[i]);
    int rc = ctw__sq_step_done(st);
    if (rc == 0 && seq) *seq = sqlite3_last_insert_rowid(ctw__sqlite_db(impl));
    return rc;
}

/* One statement per batch size, made on first use: a row is
 * (?k, ?1 kind, 'published', ?2 action, ?3 owner, ?4 now...) with k from 5. */
static sqlite3_stmt *batch_stmt(void *impl, size_t n)
{
    ctw__sqlite_notices **slot = ctw__sqlite_notices_slot(impl);
    if (!*slot && !(*slot = calloc(1, sizeof **slot))) return NULL;
    sqlite3_stmt **st = &(*slot)->batch[n];
    if (!*st) {
        static const char head[] = "INSERT INTO notices (record_id, kind, state, action, owner, created, created_by,"
                                   " updated, published, published_by) VALUES ";
        char sql[sizeof head + CTW__NOTICE_BATCH * 72];
        size_t len = (size_t)snprintf(sql, sizeof sql, "%s", head);
        for (size_t i = 0; i < n; i++)
            len += (size_t)snprintf(sql + len, sizeof sql - len,
                                    "%s(?%zu,?1,'published',?2,?3,?4,'import',?4,?4,'import')", i ? "," : "",
                                    i + 5);
        if (sqlite3_prepare_v3(ctw__sqlite_db(impl), sql, (int)len, SQLITE_PREPARE_PERSISTENT, st, NULL) != SQLITE_OK)
            return NULL;
    }
    sqlite3_reset(*st);
    sqlite3_clear_bindings(*st);
    return *st;
}

int ctw__sq_notice_publish_batch(void *impl, const char *const *records, size_t n, const char *kind,
                                 const char *action, const char *owner, const char *now)
{
    if (n == 0) return 0;
    if (n > CTW__NOTICE_BATCH) return CTW_EINVAL;
    sqlite3_stmt *st = batch_stmt(impl, n);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, kind);
    ctw__sq_bind_text(st, 2, action);
    ctw__sq_bind_text(st, 3, owner);
    ctw__sq_bind_text(st, 4, now);
    for (size_t i = 0; i < n; i++) ctw__sq_bind_text(st, (int)i + 5, records[i]);
    return ctw__sq_step_done(st);
}

int ctw__sq_notice_get(void *impl, int64_t seq, ctw_arena *a, ctw_notice *out, const char **record_owner,
                       ctw_restriction *rr)
{
    sqlite3_stmt *st = nstmt(impl, NS_GET);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, seq);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) rc = notice_from_row(st, a, out, record_owner, rr);
    else rc = rc == SQLITE_DONE ? CTW_ENOTFOUND : ctw__sq_error(rc);
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_notice_set_state(void *impl, const ctw_notice *n, const char *from_state)
{
    sqlite3_stmt *st = nstmt(impl, NS_SET_STATE);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, n->seq);
    const char *v[] = {n->state, n->updated, n->published, n->published_by, n->cancelled, n->cancelled_by,
                       n->cancel_reason, from_state};
    for (int i = 0; i < (int)(sizeof v / sizeof v[0]); i++) ctw__sq_bind_text(st, i + 2, v[i]);
    int rc = ctw__sq_step_done(st);
    if (rc == 0 && sqlite3_changes(ctw__sqlite_db(impl)) == 0) rc = CTW_ECONFLICT;
    return rc;
}

int ctw__sq_notice_iterate(void *impl, const ctw_notice_filter *f, const char *today,
                           int (*fn)(void *ud, const ctw_notice *n, const char *record_owner,
                                     const ctw_restriction *rr),
                           void *ud)
{
    bool by_record = f && f->record;
    sqlite3_stmt *st = nstmt(impl, by_record ? NS_LIST_RECORD : NS_LIST);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, f && f->after > 0 ? f->after : 0);
    ctw__sq_bind_text(st, 2, f ? f->kind : NULL);
    ctw__sq_bind_text(st, 3, f ? f->state : NULL);
    ctw__sq_bind_text(st, 4, today);
    if (by_record) ctw__sq_bind_text(st, 5, f->record);
    int rc, frc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ctw_notice n;
        const char *owner;
        ctw_restriction rr;
        notice_from_row(st, NULL, &n, &owner, &rr);
        if ((frc = fn(ud, &n, owner, &rr)) != 0) break;
    }
    sqlite3_reset(st);
    if (frc != 0) return frc;
    return rc == SQLITE_DONE ? 0 : ctw__sq_error(rc);
}

int ctw__sq_notice_best(void *impl, const char *id, const char *today, ctw_arena *a, ctw_notice *out,
                        const char **record_owner, ctw_restriction *rr)
{
    sqlite3_stmt *st = nstmt(impl, NS_BEST);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, id);
    ctw__sq_bind_text(st, 2, today);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) rc = notice_from_row(st, a, out, record_owner, rr);
    else rc = rc == SQLITE_DONE ? CTW_ENOTFOUND : ctw__sq_error(rc);
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_notice_iterate_published(void *impl, int (*fn)(void *ud, const ctw_notice *n), void *ud)
{
    sqlite3_stmt *st = nstmt(impl, NS_PUBLISHED);
    if (!st) return CTW_ESTORE;
    int rc, frc = 0;
    while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
        ctw_notice n = {.seq = sqlite3_column_int64(st, 0), .state = "published"};
        snprintf(n.id, sizeof n.id, "N-%lld", (long long)n.seq);
        n.record = (const char *)sqlite3_column_text(st, 1);
        n.kind = (const char *)sqlite3_column_text(st, 2);
        n.action = (const char *)sqlite3_column_text(st, 3);
        n.valid_until = (const char *)sqlite3_column_text(st, 4);
        if (!n.record || !n.kind || !n.action) {
            frc = CTW_ESTORE;   /* NOT NULL columns; NULL here is out of memory */
            break;
        }
        if ((frc = fn(ud, &n)) != 0) break;
    }
    sqlite3_reset(st);
    if (frc != 0) return frc;
    return rc == SQLITE_DONE ? 0 : ctw__sq_error(rc);
}

int ctw__sq_notice_cancel_record(void *impl, const char *id, const char *now, const char *by, const char *reason)
{
    sqlite3_stmt *st = nstmt(impl, NS_CANCEL_RECORD);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, id);
    ctw__sq_bind_text(st, 2, now);
    ctw__sq_bind_text(st, 3, by);
    ctw__sq_bind_text(st, 4, reason);
    return ctw__sq_step_done(st);
}

int ctw__sq_iterate_screenable(void *impl, const char *today, ctw_record_fn fn, void *ud)
{
    /* today is "YYYY-MM-DD" made by the store, never outside input; a
     * literal keeps the shared id-collecting loop free of parameters */
    char sql[400];
    if (strlen(today) != 10 || strspn(today, "0123456789-") != 10) return CTW_EINVAL;
    snprintf(sql, sizeof sql,
             "SELECT id FROM records r WHERE r.status = 'active' AND EXISTS (SELECT 1 FROM notices n"
             " WHERE n.record_id = r.id AND n.state = 'published'"
             " AND (n.valid_until IS NULL OR n.valid_until >= '%s')) ORDER BY id",
             today);
    return ctw__sq_iterate_query(impl, sql, fn, ud);
}
