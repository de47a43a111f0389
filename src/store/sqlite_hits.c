/* sqlite_hits.c — the hits tables of the SQLite backend (schema 7; see
 * hit.h and store_int.h). Statements are prepared per call: hits are
 * written once per alert and read by people, not in a hot loop.
 *
 * The statements the audit writer runs for every hit (insert the hit, its
 * event) and the poller's newest-event read are prepared once per handle
 * and kept (ctw__sqlite_hits); the readers' statements are prepared per
 * call.
 *
 * A hit row is read with the current restriction of what it names joined
 * in, so that hits.c can decide per reader whether the checker may see the
 * record (a restriction may have changed since the screening):
 *   record   -> records(id)          restriction, restriction_list, first name
 *   document -> documents(ref) ("doc:<ref>")   restriction, restriction_list
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/error.h"
#include "store/sqlite_int.h"

#define HIT_COLS                                                                                                   \
    "h.seq, h.id, h.created, h.kind, h.checking_agency, h.checking_user, h.owner, h.record, h.document, h.name,"  \
    " h.query, h.score, h.decision, h.notice_id, h.notice_kind, h.notice_action, h.state, h.updated,"              \
    " coalesce(r.restriction, d.restriction), coalesce(r.restriction_list, d.restriction_list),"                   \
    " (r.id IS NOT NULL OR d.ref IS NOT NULL),"                                                                    \
    " (SELECT n.full FROM names n WHERE n.record_id = h.record ORDER BY n.seq LIMIT 1)"
#define HIT_FROM                                                                                                   \
    " FROM hits h LEFT JOIN records r ON r.id = h.record"                                                          \
    " LEFT JOIN documents d ON h.document IS NOT NULL AND d.ref = CAST(substr(h.document, 5) AS INTEGER)"
#define HIT_NCOLS 22

enum { HS_INSERT, HS_EVENT, HS_LAST, HS__COUNT };
static const char *const hits_sql[HS__COUNT] = {
    [HS_INSERT] = ("INSERT INTO hits (id, created, kind, checking_agency, checking_user, owner, record,"
                   " document, name, query, score, decision, notice_id, notice_kind, notice_action,"
                   " state, updated) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,"
                   " 'pending', ?2)"),
    [HS_EVENT] = ("INSERT INTO hit_events (hit_seq, time, user, agency, event, note)"
                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"),
    [HS_LAST] = "SELECT coalesce(max(seq), 0) FROM hit_events",
};

struct ctw__sqlite_hits {
    sqlite3_stmt *st[HS__COUNT];
};

void ctw__sqlite_hits_free(ctw__sqlite_hits *h)
{
    if (!h) return;
    for (int i = 0; i < HS__COUNT; i++) sqlite3_finalize(h->st[i]);
    free(h);
}

/* A kept statement, prepared on first use, reset and unbound. */
static sqlite3_stmt *kept(void *impl, int which)
{
    ctw__sqlite_hits **slot = ctw__sqlite_hits_slot(impl);
    if (!*slot && !(*slot = calloc(1, sizeof **slot))) return NULL;
    return ctw__sq_stmt(impl, &(*slot)->st[which], hits_sql[which]);
}

static sqlite3_stmt *prepare(void *impl, const char *sql)
{
    sqlite3_stmt *st = NULL;
    if (sqlite3_prepare_v2(ctw__sqlite_db(impl), sql, -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return NULL;
    }
    return st;
}

/* Column i as text: copied into a when a is given, else valid until the
 * next step. */
static const char *col(sqlite3_stmt *st, int i, ctw_arena *a)
{
    const char *v = (const char *)sqlite3_column_text(st, i);
    return a && v ? ctw_arena_strdup(a, v) : v;
}

static void read_row(sqlite3_stmt *st, int base, ctw_arena *a, ctw__hit_row *h)
{
    memset(h, 0, sizeof *h);
    h->seq = sqlite3_column_int64(st, base + 0);
    h->id = col(st, base + 1, a);
    h->created = col(st, base + 2, a);
    h->kind = col(st, base + 3, a);
    h->checking_agency = col(st, base + 4, a);
    h->checking_user = col(st, base + 5, a);
    h->owner = col(st, base + 6, a);
    h->record = col(st, base + 7, a);
    h->document = col(st, base + 8, a);
    h->name = col(st, base + 9, a);
    h->query = col(st, base + 10, a);
    h->score = sqlite3_column_double(st, base + 11);
    h->decision = col(st, base + 12, a);
    h->notice_id = col(st, base + 13, a);
    h->notice_kind = col(st, base + 14, a);
    h->notice_action = col(st, base + 15, a);
    h->state = col(st, base + 16, a);
    h->updated = col(st, base + 17, a);
    h->restriction = col(st, base + 18, a);
    h->restriction_list = col(st, base + 19, a);
    h->target_found = sqlite3_column_int(st, base + 20) != 0;
    h->record_name = col(st, base + 21, a);
}

int ctw__sq_hit_insert(void *impl, const ctw_hit_new *h, const char *checking_agency, const char *checking_user,
                       const char *now, int64_t *seq)
{
    sqlite3_stmt *st = kept(impl, HS_INSERT);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, h->id);
    ctw__sq_bind_text(st, 2, now);
    ctw__sq_bind_text(st, 3, h->kind);
    ctw__sq_bind_text(st, 4, checking_agency);
    ctw__sq_bind_text(st, 5, checking_user);
    ctw__sq_bind_text(st, 6, h->owner);
    ctw__sq_bind_text(st, 7, h->record);
    ctw__sq_bind_text(st, 8, h->document);
    ctw__sq_bind_text(st, 9, h->name);
    ctw__sq_bind_text(st, 10, h->query);
    sqlite3_bind_double(st, 11, h->score);
    ctw__sq_bind_text(st, 12, h->decision);
    ctw__sq_bind_text(st, 13, h->notice_id);
    ctw__sq_bind_text(st, 14, h->notice_kind);
    ctw__sq_bind_text(st, 15, h->notice_action);
    int rc = ctw__sq_step_done(st);
    if (rc != 0) return rc;
    int64_t hs = sqlite3_last_insert_rowid(ctw__sqlite_db(impl));
    if (seq) *seq = hs;
    return ctw__sq_hit_event_add(impl, hs, checking_user, checking_agency, "created", NULL, now, NULL);
}

int ctw__sq_hit_get(void *impl, const char *id, ctw_arena *a, ctw__hit_row *out)
{
    sqlite3_stmt *st = prepare(impl, "SELECT " HIT_COLS HIT_FROM " WHERE h.id = ?1");
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, id);
    int step = sqlite3_step(st), rc;
    if (step == SQLITE_ROW) {
        read_row(st, 0, a, out);
        rc = 0;
    } else {
        rc = step == SQLITE_DONE ? CTW_ENOTFOUND : ctw__sq_error(step);
    }
    sqlite3_finalize(st);
    return rc;
}

int ctw__sq_hit_list(void *impl, const char *agency, const char *side, const char *state, int64_t after, int limit,
                     ctw__hit_row_fn fn, void *ud)
{
    const char *where = !side                         ? "(h.owner = ?1 OR h.checking_agency = ?1)"
                        : strcmp(side, "owner") == 0 ? "h.owner = ?1"
                                                     : "h.checking_agency = ?1";
    char sql[1400];
    snprintf(sql, sizeof sql,
             "SELECT " HIT_COLS HIT_FROM " WHERE %s AND (?2 IS NULL OR h.state = ?2) AND h.seq > ?3"
             " ORDER BY h.seq DESC LIMIT ?4",
             where);
    sqlite3_stmt *st = prepare(impl, sql);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, agency);
    ctw__sq_bind_text(st, 2, state);
    sqlite3_bind_int64(st, 3, after);
    sqlite3_bind_int(st, 4, limit);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        ctw__hit_row h;
        read_row(st, 0, NULL, &h);
        rc = fn(ud, &h);
    }
    if (rc == 0 && step != SQLITE_DONE) rc = ctw__sq_error(step);
    sqlite3_finalize(st);
    return rc;
}

int ctw__sq_hit_set_state(void *impl, int64_t seq, const char *from, const char *to, const char *now)
{
    /* from is a comma-separated list of states: matched as ",state," */
    sqlite3_stmt *st = prepare(impl, "UPDATE hits SET state = ?2, updated = ?3"
                                     " WHERE seq = ?1 AND instr(',' || ?4 || ',', ',' || state || ',') > 0");
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, seq);
    ctw__sq_bind_text(st, 2, to);
    ctw__sq_bind_text(st, 3, now);
    ctw__sq_bind_text(st, 4, from);
    int rc = ctw__sq_step_done(st);
    sqlite3_finalize(st);
    if (rc == 0 && sqlite3_changes(ctw__sqlite_db(impl)) != 1) rc = CTW_ECONFLICT;
    return rc;
}

int ctw__sq_hit_event_add(void *impl, int64_t hit_seq, const char *user, const char *agency, const char *event,
                          const char *note, const char *now, int64_t *seq)
{
    sqlite3_stmt *st = kept(impl, HS_EVENT);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, hit_seq);
    ctw__sq_bind_text(st, 2, now);
    ctw__sq_bind_text(st, 3, user);
    ctw__sq_bind_text(st, 4, agency);
    ctw__sq_bind_text(st, 5, event);
    ctw__sq_bind_text(st, 6, note);
    int rc = ctw__sq_step_done(st);
    if (rc == 0 && seq) *seq = sqlite3_last_insert_rowid(ctw__sqlite_db(impl));
    return rc;
}

int ctw__sq_hit_message_add(void *impl, int64_t hit_seq, const char *user, const char *agency, const char *text,
                            const char *now, int64_t *seq)
{
    sqlite3_stmt *st = prepare(impl, "INSERT INTO hit_messages (hit_seq, time, user, agency, text)"
                                     " VALUES (?1, ?2, ?3, ?4, ?5)");
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, hit_seq);
    ctw__sq_bind_text(st, 2, now);
    ctw__sq_bind_text(st, 3, user);
    ctw__sq_bind_text(st, 4, agency);
    ctw__sq_bind_text(st, 5, text);
    int rc = ctw__sq_step_done(st);
    sqlite3_finalize(st);
    if (rc != 0 || !seq) return rc;
    st = prepare(impl, "SELECT count(*) FROM hit_messages WHERE hit_seq = ?1");
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, hit_seq);
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) *seq = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return step == SQLITE_ROW ? 0 : ctw__sq_error(step);
}

static int steps(void *impl, const char *sql, int64_t hit_seq, ctw__hit_step_fn fn, void *ud)
{
    sqlite3_stmt *st = prepare(impl, sql);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, hit_seq);
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW)
        rc = fn(ud, sqlite3_column_int64(st, 0), col(st, 1, NULL), col(st, 2, NULL), col(st, 3, NULL),
                col(st, 4, NULL), col(st, 5, NULL));
    if (rc == 0 && step != SQLITE_DONE) rc = ctw__sq_error(step);
    sqlite3_finalize(st);
    return rc;
}

int ctw__sq_hit_history(void *impl, int64_t hit_seq, ctw__hit_step_fn fn_event, ctw__hit_step_fn fn_msg, void *ud)
{
    int rc = steps(impl, "SELECT seq, time, user, agency, event, note FROM hit_events WHERE hit_seq = ?1 ORDER BY seq",
                   hit_seq, fn_event, ud);
    if (rc == 0)
        rc = steps(impl,
                   "SELECT row_number() OVER (ORDER BY seq), time, user, agency, 'message', text FROM hit_messages"
                   " WHERE hit_seq = ?1 ORDER BY seq",
                   hit_seq, fn_msg, ud);
    return rc;
}

int ctw__sq_hit_events_since(void *impl, const char *agency, int64_t after, int limit,
                             int (*fn)(void *ud, int64_t seq, const char *event, const ctw__hit_row *h), void *ud,
                             int64_t *last)
{
    /* one read transaction: the newest seq and the rows agree */
    sqlite3 *db = ctw__sqlite_db(impl);
    bool own_tx = sqlite3_get_autocommit(db);
    if (own_tx && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return CTW_ESTORE;
    int64_t newest = after;
    int rc = ctw__sq_hit_last_event(impl, &newest);
    sqlite3_stmt *st = rc == 0 ? prepare(impl, "SELECT e.seq, e.event, " HIT_COLS HIT_FROM
                                               " JOIN hit_events e ON e.hit_seq = h.seq"
                                               " WHERE e.seq > ?1 AND e.seq <= ?2 AND"
                                               " (h.owner = ?3 OR h.checking_agency = ?3)"
                                               " ORDER BY e.seq LIMIT ?4")
                               : NULL;
    if (rc == 0 && !st) rc = CTW_ESTORE;
    int64_t seen = newest;
    if (rc == 0) {
        sqlite3_bind_int64(st, 1, after);
        sqlite3_bind_int64(st, 2, newest);
        ctw__sq_bind_text(st, 3, agency);
        sqlite3_bind_int(st, 4, limit);
        int step, n = 0;
        while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
            ctw__hit_row h;
            read_row(st, 2, NULL, &h);
            int64_t seq = sqlite3_column_int64(st, 0);
            rc = fn(ud, seq, col(st, 1, NULL), &h);
            if (++n == limit) seen = seq; /* more may follow: resume after this one */
        }
        if (rc == 0 && step != SQLITE_DONE) rc = ctw__sq_error(step);
        sqlite3_finalize(st);
    }
    if (own_tx) sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    if (rc == 0 && last) *last = seen > after ? seen : after;
    return rc;
}

int ctw__sq_hit_last_event(void *impl, int64_t *seq)
{
    sqlite3_stmt *st = kept(impl, HS_LAST);
    if (!st) return CTW_ESTORE;
    int step = sqlite3_step(st);
    if (step == SQLITE_ROW) *seq = sqlite3_column_int64(st, 0);
    sqlite3_reset(st);
    return step == SQLITE_ROW ? 0 : ctw__sq_error(step);
}
