/* sqlite_int.h — what sqlite.c shares with sqlite_travel.c (private).
 *
 * sqlite.c owns the handle (the connection, its prepared statements, the
 * migrations); sqlite_travel.c holds the travel tables' statements (issue 4)
 * in a struct that sqlite.c keeps in the handle and frees on close.
 */
#ifndef CTW_SQLITE_INT_H
#define CTW_SQLITE_INT_H

#include <sqlite3.h>

#include "ctwatch/store.h"

typedef struct ctw__sqlite_travel ctw__sqlite_travel;

sqlite3 *ctw__sqlite_db(void *impl);
ctw__sqlite_travel **ctw__sqlite_travel_slot(void *impl);
void ctw__sqlite_travel_free(ctw__sqlite_travel *t);

/* The travel part of the backend table (see store_int.h for each). */
int ctw__sq_document_by_key(void *impl, const char *state, const char *number_norm, const char *type,
                            ctw_arena *a, ctw_document *out);
int ctw__sq_document_by_ref(void *impl, int64_t ref, ctw_arena *a, ctw_document *out);
int ctw__sq_document_find(void *impl, const char *state, const char *number_norm,
                          int (*fn)(void *ud, int64_t ref), void *ud);
int ctw__sq_document_insert(void *impl, const ctw_document *d, int64_t *ref);
int ctw__sq_document_update(void *impl, const ctw_document *d);
int ctw__sq_document_iterate(void *impl, ctw_document_fn fn, void *ud, int64_t *last_change);
int ctw__sq_document_changes(void *impl, int64_t since, ctw_document_change_fn fn, void *ud);
int ctw__sq_document_counts(void *impl, ctw_status_count_fn fn, void *ud);
int ctw__sq_rule_put(void *impl, const ctw_rule_row *r, char *id_out, size_t id_cap, int64_t *version_out);
int ctw__sq_rule_iterate(void *impl, const char *id, int64_t version, bool all_versions,
                         ctw_rule_row_fn fn, void *ud);
int ctw__sq_movement_add(void *impl, const ctw_movement *m, int64_t *seq);
int ctw__sq_link_add(void *impl, int64_t a, int64_t b, const char *type, const char *date, const char *source);
int ctw__sq_person_movements(void *impl, const char *id, json_t **out, char **ids);

#endif
