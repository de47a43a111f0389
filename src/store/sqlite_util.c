/* sqlite_util.c — small helpers of the SQLite backend shared by its
 * travel (sqlite_travel.c) and identity (sqlite_auth.c) parts; see
 * sqlite_int.h. sqlite.c keeps its own for its prepared-at-open statements.
 */
#include "ctwatch/error.h"
#include "store/sqlite_int.h"

int ctw__sq_error(int rc)
{
    if (rc == SQLITE_NOMEM) return CTW_ENOMEM;
    if (rc == SQLITE_CONSTRAINT) return CTW_EINVAL;
    if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) return CTW_ECONFLICT;
    return CTW_ESTORE;
}

sqlite3_stmt *ctw__sq_stmt(void *impl, sqlite3_stmt **slot, const char *sql)
{
    if (!*slot && sqlite3_prepare_v3(ctw__sqlite_db(impl), sql, -1, SQLITE_PREPARE_PERSISTENT, slot, NULL) !=
                      SQLITE_OK)
        return NULL;
    sqlite3_reset(*slot);
    sqlite3_clear_bindings(*slot);
    return *slot;
}

void ctw__sq_bind_text(sqlite3_stmt *st, int i, const char *v)
{
    if (v) sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
    else sqlite3_bind_null(st, i);
}

int ctw__sq_step_done(sqlite3_stmt *st)
{
    int rc = sqlite3_step(st);
    sqlite3_reset(st);
    return rc == SQLITE_DONE ? 0 : ctw__sq_error(rc);
}
