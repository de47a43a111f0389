/* sqlite_travel.c — the SQLite backend's travel tables (issue 4): stolen and
 * lost documents, risk rules, movements and links.
 *
 * Schema 3 in sqlite.c creates the tables. Statements are prepared on first
 * use and kept in the handle (ctw__sqlite_travel), so a server that never
 * touches travel data pays nothing. Like sqlite.c, nothing here decides
 * access or writes audit entries: src/store/travel.c does both.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ctwatch/store.h"
#include "store/sqlite_int.h"
#include "store/store_int.h"

enum {
    TS_DOC_BY_KEY, TS_DOC_FIND, TS_DOC_BY_REF, TS_DOC_INSERT, TS_DOC_UPDATE, TS_DOC_ALL, TS_DOC_LAST_CHANGE,
    TS_DOC_CHANGES, TS_DOC_COUNTS, TS_RULE_NEXT, TS_RULE_NEW_ID, TS_RULE_INSERT, TS_RULE_LATEST,
    TS_RULE_ALL, TS_RULE_ONE, TS_RULE_ONE_LATEST, TS_MOVE_UPSERT, TS_LINK_INSERT, TS_MOVES_OF,
    TS_CO_TRAVELLERS, TS__COUNT
};

#define DOC_COLS "ref, issuing_state, type, number, number_norm, status, owner, reported," \
                 " restriction, restriction_list, review_date, created, updated"
#define MOVE_COLS "m.seq, m.person, m.reason, m.score, m.surname, m.given, m.birth_date, m.sex," \
                  " m.nationality, m.doc_type, m.doc_number, m.doc_state, m.carrier, m.flight," \
                  " m.origin, m.destination, m.departure, m.arrival, m.booking, m.source," \
                  " m.message_ref, m.agency, m.recorded"

static const char *const travel_sql[TS__COUNT] = {
    [TS_DOC_BY_KEY] = "SELECT " DOC_COLS " FROM documents WHERE issuing_state=?1 AND number_norm=?2 AND type=?3",
    [TS_DOC_FIND] = "SELECT ref FROM documents WHERE issuing_state=?1 AND number_norm=?2 ORDER BY ref",
    [TS_DOC_BY_REF] = "SELECT " DOC_COLS " FROM documents WHERE ref=?1",
    [TS_DOC_INSERT] = "INSERT INTO documents (issuing_state, type, number, number_norm, status, owner,"
                      " reported, restriction, restriction_list, review_date, created, updated)"
                      " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
    [TS_DOC_UPDATE] = "UPDATE documents SET number=?2, status=?3, owner=?4, reported=?5, updated=?6"
                      " WHERE ref=?1",
    [TS_DOC_ALL] = "SELECT " DOC_COLS " FROM documents ORDER BY ref",
    [TS_DOC_LAST_CHANGE] = "SELECT coalesce(max(seq), 0) FROM document_changes",
    [TS_DOC_CHANGES] = "SELECT seq, ref, op FROM document_changes WHERE seq > ?1 ORDER BY seq",
    [TS_DOC_COUNTS] = "SELECT status, count(*) FROM documents GROUP BY status ORDER BY status",
    [TS_RULE_NEXT] = "SELECT coalesce(max(version), 0) + 1, count(*) FROM rules WHERE id=?1",
    [TS_RULE_NEW_ID] = "SELECT coalesce(max(CAST(substr(id, 6) AS INTEGER)), 0) + 1 FROM rules",
    [TS_RULE_INSERT] = "INSERT INTO rules (id, version, name, severity, enabled, definition, author,"
                       " agency, created) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)",
    [TS_RULE_LATEST] = "SELECT r.id, r.version, r.name, r.severity, r.enabled, r.definition, r.author,"
                       " r.agency, r.created FROM rules r WHERE r.version ="
                       " (SELECT max(version) FROM rules WHERE id = r.id)"
                       " ORDER BY CAST(substr(r.id, 6) AS INTEGER), r.id",
    [TS_RULE_ALL] = "SELECT id, version, name, severity, enabled, definition, author, agency, created"
                    " FROM rules ORDER BY CAST(substr(id, 6) AS INTEGER), id, version",
    [TS_RULE_ONE] = "SELECT id, version, name, severity, enabled, definition, author, agency, created"
                    " FROM rules WHERE id=?1 AND version=?2",
    [TS_RULE_ONE_LATEST] = "SELECT id, version, name, severity, enabled, definition, author, agency,"
                           " created FROM rules WHERE id=?1 ORDER BY version DESC LIMIT 1",
    /* A match wins over a co-traveller reason; a known person is never
     * forgotten by a later co-traveller sighting of the same movement. */
    [TS_MOVE_UPSERT] = "INSERT INTO movements (key, person, reason, score, surname, given, birth_date,"
                       " sex, nationality, doc_type, doc_number, doc_state, carrier, flight, origin,"
                       " destination, departure, arrival, booking, source, message_ref, agency, recorded)"
                       " VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,"
                       " ?21,?22,?23)"
                       " ON CONFLICT(key) DO UPDATE SET"
                       " person = coalesce(excluded.person, person),"
                       " reason = CASE WHEN excluded.reason = 'match' THEN 'match' ELSE reason END,"
                       " score = max(score, excluded.score), recorded = excluded.recorded"
                       " RETURNING seq",
    [TS_LINK_INSERT] = "INSERT INTO links (a, b, type, date, source) VALUES (?1,?2,?3,?4,?5)"
                       " ON CONFLICT(a, b, type) DO NOTHING",
    [TS_MOVES_OF] = "SELECT " MOVE_COLS " FROM movements m WHERE m.person=?1"
                    " ORDER BY m.departure, m.seq",
    [TS_CO_TRAVELLERS] = "SELECT l.type, " MOVE_COLS " FROM links l JOIN movements m"
                         " ON m.seq = CASE WHEN l.a = ?1 THEN l.b ELSE l.a END"
                         " WHERE l.a = ?1 OR l.b = ?1 ORDER BY l.type, m.surname, m.seq",
};

struct ctw__sqlite_travel {
    sqlite3_stmt *st[TS__COUNT];
};

void ctw__sqlite_travel_free(ctw__sqlite_travel *t)
{
    if (!t) return;
    for (int i = 0; i < TS__COUNT; i++) sqlite3_finalize(t->st[i]);
    free(t);
}


/* The statement, prepared on first use, reset and unbound; NULL on failure. */
static sqlite3_stmt *tstmt(void *impl, int which)
{
    ctw__sqlite_travel **slot = ctw__sqlite_travel_slot(impl);
    if (!*slot && !(*slot = calloc(1, sizeof **slot))) return NULL;
    return ctw__sq_stmt(impl, &(*slot)->st[which], travel_sql[which]);
}

static const char *col_str(sqlite3_stmt *st, int i, ctw_arena *a)
{
    const unsigned char *v = sqlite3_column_text(st, i);
    return v ? ctw_arena_strdup(a, (const char *)v) : NULL;
}

static const char *col_ref(sqlite3_stmt *st, int i)
{
    return (const char *)sqlite3_column_text(st, i);
}

/* Fill d from a row of DOC_COLS; strings copied into a, or borrowed from
 * the statement when a is NULL (valid until the next step). */
static int doc_from_row(sqlite3_stmt *st, ctw_arena *a, ctw_document *d)
{
    memset(d, 0, sizeof *d);
    d->ref = sqlite3_column_int64(st, 0);
#define S(i) (a ? col_str(st, i, a) : col_ref(st, i))
    d->issuing_state = S(1);
    d->type = S(2);
    d->number = S(3);
    d->number_norm = S(4);
    d->status = S(5);
    d->owner = S(6);
    d->reported = S(7);
    int kind = ctw_restrict_kind_from_name(col_ref(st, 8));
    d->restriction.kind = kind < 0 ? CTW_RESTRICT_HIT_ONLY : (ctw_restrict_kind)kind;
    d->restriction.list = S(9);
    d->review_date = S(10);
    d->created = S(11);
    d->updated = S(12);
#undef S
    if (a && (!d->issuing_state || !d->number || !d->status || !d->owner)) return CTW_ENOMEM;
    return 0;
}

static int load_one_doc(sqlite3_stmt *st, ctw_arena *a, ctw_document *out)
{
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) rc = doc_from_row(st, a, out);
    else rc = rc == SQLITE_DONE ? CTW_ENOTFOUND : ctw__sq_error(rc);
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_document_by_key(void *impl, const char *state, const char *number_norm, const char *type,
                            ctw_arena *a, ctw_document *out)
{
    sqlite3_stmt *st = tstmt(impl, TS_DOC_BY_KEY);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, state);
    ctw__sq_bind_text(st, 2, number_norm);
    ctw__sq_bind_text(st, 3, type ? type : "");
    return load_one_doc(st, a, out);
}

int ctw__sq_document_find(void *impl, const char *state, const char *number_norm,
                          int (*fn)(void *ud, int64_t ref), void *ud)
{
    sqlite3_stmt *st = tstmt(impl, TS_DOC_FIND);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, state);
    ctw__sq_bind_text(st, 2, number_norm);
    int rc = 0;
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) break;
        if (s != SQLITE_ROW) {
            rc = ctw__sq_error(s);
            break;
        }
        if ((rc = fn(ud, sqlite3_column_int64(st, 0))) != 0) break;
    }
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_document_by_ref(void *impl, int64_t ref, ctw_arena *a, ctw_document *out)
{
    sqlite3_stmt *st = tstmt(impl, TS_DOC_BY_REF);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, ref);
    return load_one_doc(st, a, out);
}

int ctw__sq_document_insert(void *impl, const ctw_document *d, int64_t *ref)
{
    sqlite3_stmt *st = tstmt(impl, TS_DOC_INSERT);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, d->issuing_state);
    ctw__sq_bind_text(st, 2, d->type ? d->type : "");
    ctw__sq_bind_text(st, 3, d->number);
    ctw__sq_bind_text(st, 4, d->number_norm);
    ctw__sq_bind_text(st, 5, d->status);
    ctw__sq_bind_text(st, 6, d->owner);
    ctw__sq_bind_text(st, 7, d->reported);
    ctw__sq_bind_text(st, 8, ctw_restrict_kind_name(d->restriction.kind));
    ctw__sq_bind_text(st, 9, d->restriction.list);
    ctw__sq_bind_text(st, 10, d->review_date);
    ctw__sq_bind_text(st, 11, d->created);
    ctw__sq_bind_text(st, 12, d->updated);
    int rc = ctw__sq_step_done(st);
    if (rc == 0 && ref) *ref = sqlite3_last_insert_rowid(ctw__sqlite_db(impl));
    return rc;
}

int ctw__sq_document_update(void *impl, const ctw_document *d)
{
    sqlite3_stmt *st = tstmt(impl, TS_DOC_UPDATE);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, d->ref);
    ctw__sq_bind_text(st, 2, d->number);
    ctw__sq_bind_text(st, 3, d->status);
    ctw__sq_bind_text(st, 4, d->owner);
    ctw__sq_bind_text(st, 5, d->reported);
    ctw__sq_bind_text(st, 6, d->updated);
    return ctw__sq_step_done(st);
}

int ctw__sq_document_iterate(void *impl, ctw_document_fn fn, void *ud, int64_t *last_change)
{
    sqlite3 *db = ctw__sqlite_db(impl);
    /* one read transaction: the table and the feed position agree */
    bool own_tx = sqlite3_get_autocommit(db);
    if (own_tx && sqlite3_exec(db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK) return CTW_ESTORE;
    int rc = 0;
    sqlite3_stmt *st = tstmt(impl, TS_DOC_LAST_CHANGE);
    if (!st) rc = CTW_ESTORE;
    else if (sqlite3_step(st) == SQLITE_ROW) {
        if (last_change) *last_change = sqlite3_column_int64(st, 0);
        sqlite3_reset(st);
    } else rc = CTW_ESTORE;
    if (rc == 0 && !(st = tstmt(impl, TS_DOC_ALL))) rc = CTW_ESTORE;
    while (rc == 0) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) break;
        if (s != SQLITE_ROW) {
            rc = ctw__sq_error(s);
            break;
        }
        ctw_document d;
        doc_from_row(st, NULL, &d);
        rc = fn(ud, &d);
    }
    if (st) sqlite3_reset(st);
    if (own_tx) sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
    return rc;
}

int ctw__sq_document_changes(void *impl, int64_t since, ctw_document_change_fn fn, void *ud)
{
    sqlite3_stmt *st = tstmt(impl, TS_DOC_CHANGES);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, since);
    int rc = 0;
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) break;
        if (s != SQLITE_ROW) {
            rc = ctw__sq_error(s);
            break;
        }
        rc = fn(ud, sqlite3_column_int64(st, 0), sqlite3_column_int64(st, 1), col_ref(st, 2));
        if (rc != 0) break;
    }
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_document_counts(void *impl, ctw_status_count_fn fn, void *ud)
{
    sqlite3_stmt *st = tstmt(impl, TS_DOC_COUNTS);
    if (!st) return CTW_ESTORE;
    int rc = 0;
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) break;
        if (s != SQLITE_ROW) {
            rc = ctw__sq_error(s);
            break;
        }
        if ((rc = fn(ud, col_ref(st, 0), sqlite3_column_int64(st, 1))) != 0) break;
    }
    sqlite3_reset(st);
    return rc;
}

/* --- rules ---------------------------------------------------------------- */

int ctw__sq_rule_put(void *impl, const ctw_rule_row *r, char *id_out, size_t id_cap, int64_t *version_out)
{
    char id[32];
    int64_t version = 1;
    sqlite3_stmt *st;
    if (r->id) {
        if (!(st = tstmt(impl, TS_RULE_NEXT))) return CTW_ESTORE;
        ctw__sq_bind_text(st, 1, r->id);
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_reset(st);
            return CTW_ESTORE;
        }
        version = sqlite3_column_int64(st, 0);
        int64_t exists = sqlite3_column_int64(st, 1);
        sqlite3_reset(st);
        if (!exists) return CTW_ENOTFOUND;
        snprintf(id, sizeof id, "%s", r->id);
    } else {
        if (!(st = tstmt(impl, TS_RULE_NEW_ID))) return CTW_ESTORE;
        if (sqlite3_step(st) != SQLITE_ROW) {
            sqlite3_reset(st);
            return CTW_ESTORE;
        }
        snprintf(id, sizeof id, "rule-%lld", (long long)sqlite3_column_int64(st, 0));
        sqlite3_reset(st);
    }
    if (!(st = tstmt(impl, TS_RULE_INSERT))) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, id);
    sqlite3_bind_int64(st, 2, version);
    ctw__sq_bind_text(st, 3, r->name);
    ctw__sq_bind_text(st, 4, r->severity);
    sqlite3_bind_int(st, 5, r->enabled);
    ctw__sq_bind_text(st, 6, r->definition);
    ctw__sq_bind_text(st, 7, r->author);
    ctw__sq_bind_text(st, 8, r->agency);
    ctw__sq_bind_text(st, 9, r->created);
    int rc = ctw__sq_step_done(st);
    if (rc != 0) return rc;
    if (id_out && id_cap) snprintf(id_out, id_cap, "%s", id);
    if (version_out) *version_out = version;
    return 0;
}

int ctw__sq_rule_iterate(void *impl, const char *id, int64_t version, bool all_versions,
                         ctw_rule_row_fn fn, void *ud)
{
    sqlite3_stmt *st;
    if (id && version > 0) {
        if (!(st = tstmt(impl, TS_RULE_ONE))) return CTW_ESTORE;
        ctw__sq_bind_text(st, 1, id);
        sqlite3_bind_int64(st, 2, version);
    } else if (id) {
        if (!(st = tstmt(impl, TS_RULE_ONE_LATEST))) return CTW_ESTORE;
        ctw__sq_bind_text(st, 1, id);
    } else if (!(st = tstmt(impl, all_versions ? TS_RULE_ALL : TS_RULE_LATEST))) {
        return CTW_ESTORE;
    }
    int rc = 0, rows = 0;
    for (;;) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) break;
        if (s != SQLITE_ROW) {
            rc = ctw__sq_error(s);
            break;
        }
        rows++;
        ctw_rule_row r = {
            .id = col_ref(st, 0), .version = sqlite3_column_int64(st, 1), .name = col_ref(st, 2),
            .severity = col_ref(st, 3), .enabled = sqlite3_column_int(st, 4) != 0,
            .definition = col_ref(st, 5), .author = col_ref(st, 6), .agency = col_ref(st, 7),
            .created = col_ref(st, 8),
        };
        if ((rc = fn(ud, &r)) != 0) break;
    }
    sqlite3_reset(st);
    if (rc == 0 && id && rows == 0) return CTW_ENOTFOUND;
    return rc;
}

/* --- movements -------------------------------------------------------------- */

/* The identity of a movement: the same traveller (name, birth date,
 * document) on the same flight (carrier, number, route, departure). */
static void movement_key(const ctw_movement *m, char out[65])
{
    const char *parts[] = {m->surname, m->given, m->birth_date, m->doc_state, m->doc_number,
                           m->carrier, m->flight, m->origin, m->destination, m->departure};
    crypto_generichash_state h;
    unsigned char digest[32];
    crypto_generichash_init(&h, NULL, 0, sizeof digest);
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
        const char *p = parts[i] ? parts[i] : "";
        crypto_generichash_update(&h, (const unsigned char *)p, strlen(p) + 1);  /* NUL separates */
    }
    crypto_generichash_final(&h, digest, sizeof digest);
    sodium_bin2hex(out, 65, digest, sizeof digest);
}

int ctw__sq_movement_add(void *impl, const ctw_movement *m, int64_t *seq)
{
    sqlite3_stmt *st = tstmt(impl, TS_MOVE_UPSERT);
    if (!st) return CTW_ESTORE;
    char key[65];
    movement_key(m, key);
    ctw__sq_bind_text(st, 1, key);
    ctw__sq_bind_text(st, 2, m->person);
    ctw__sq_bind_text(st, 3, m->reason);
    sqlite3_bind_double(st, 4, m->score);
    const char *cols[] = {m->surname, m->given, m->birth_date, m->sex, m->nationality, m->doc_type,
                          m->doc_number, m->doc_state, m->carrier, m->flight, m->origin, m->destination,
                          m->departure, m->arrival, m->booking, m->source, m->message_ref, m->agency,
                          m->recorded};
    for (int i = 0; i < (int)(sizeof cols / sizeof cols[0]); i++) ctw__sq_bind_text(st, 5 + i, cols[i]);
    int rc = sqlite3_step(st);
    if (rc == SQLITE_ROW) {
        if (seq) *seq = sqlite3_column_int64(st, 0);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : CTW_ESTORE;
    } else {
        rc = ctw__sq_error(rc);
    }
    sqlite3_reset(st);
    return rc;
}

int ctw__sq_link_add(void *impl, int64_t a, int64_t b, const char *type, const char *date, const char *source)
{
    if (a == b) return 0;
    if (a > b) {  /* one row per pair, whatever the order given */
        int64_t t = a;
        a = b;
        b = t;
    }
    sqlite3_stmt *st = tstmt(impl, TS_LINK_INSERT);
    if (!st) return CTW_ESTORE;
    sqlite3_bind_int64(st, 1, a);
    sqlite3_bind_int64(st, 2, b);
    ctw__sq_bind_text(st, 3, type);
    ctw__sq_bind_text(st, 4, date);
    ctw__sq_bind_text(st, 5, source);
    return ctw__sq_step_done(st);
}

/* A movement row (MOVE_COLS starting at column `c`) as a JSON object. */
static json_t *movement_json(sqlite3_stmt *st, int c)
{
    static const char *const names[] = {"person", "reason", "score", "surname", "given", "birth_date",
                                        "sex", "nationality", "doc_type", "doc_number", "doc_state",
                                        "carrier", "flight", "origin", "destination", "departure",
                                        "arrival", "booking", "source", "message_ref", "agency",
                                        "recorded"};
    json_t *o = json_object();
    if (!o) return NULL;
    json_object_set_new(o, "movement", json_integer(sqlite3_column_int64(st, c)));
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
        int col = c + 1 + i;
        if (sqlite3_column_type(st, col) == SQLITE_NULL) continue;
        if (strcmp(names[i], "score") == 0)
            json_object_set_new(o, names[i], json_real(sqlite3_column_double(st, col)));
        else
            json_object_set_new(o, names[i], json_string(col_ref(st, col)));
    }
    return o;
}

int ctw__sq_person_movements(void *impl, const char *id, json_t **out, char **ids)
{
    sqlite3_stmt *st = tstmt(impl, TS_MOVES_OF);
    if (!st) return CTW_ESTORE;
    ctw__sq_bind_text(st, 1, id);
    json_t *arr = json_array();
    /* the movements first, then each one's co-travellers: two statements
     * cannot share one prepared handle while it steps */
    int64_t seqs[4096];
    size_t n = 0;
    int rc = 0;
    while (arr) {
        int s = sqlite3_step(st);
        if (s == SQLITE_DONE) break;
        if (s != SQLITE_ROW) {
            rc = ctw__sq_error(s);
            break;
        }
        if (n == sizeof seqs / sizeof seqs[0]) break;  /* the newest are left out (store.h) */
        seqs[n++] = sqlite3_column_int64(st, 0);
        json_t *e = json_object();
        json_object_set_new(e, "movement", movement_json(st, 0));
        json_object_set_new(e, "co_travellers", json_array());
        json_array_append_new(arr, e);
    }
    sqlite3_reset(st);
    if (!arr) return CTW_ENOMEM;
    size_t ids_cap = n * 24 + 1, ids_len = 0;
    char *idbuf = calloc(1, ids_cap);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (idbuf) ids_len += (size_t)snprintf(idbuf + ids_len, ids_cap - ids_len, "%sm%lld",
                                               i ? "," : "", (long long)seqs[i]);
        sqlite3_stmt *co = tstmt(impl, TS_CO_TRAVELLERS);
        if (!co) {
            rc = CTW_ESTORE;
            break;
        }
        sqlite3_bind_int64(co, 1, seqs[i]);
        json_t *list = json_object_get(json_array_get(arr, i), "co_travellers");
        for (;;) {
            int s = sqlite3_step(co);
            if (s == SQLITE_DONE) break;
            if (s != SQLITE_ROW) {
                rc = ctw__sq_error(s);
                break;
            }
            json_t *m = movement_json(co, 1);
            if (m) json_object_set_new(m, "link", json_string(col_ref(co, 0)));
            json_array_append_new(list, m);
        }
        sqlite3_reset(co);
    }
    if (rc != 0) {
        json_decref(arr);
        free(idbuf);
        return rc;
    }
    *out = arr;
    *ids = idbuf;
    return 0;
}
