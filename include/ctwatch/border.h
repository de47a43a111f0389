/* border.h — the checks at a border (issue 4): is this document stolen,
 * lost or revoked; and, for a whole flight, who on it is wanted, which
 * documents are flagged, which risk rules fire — with the movements of
 * persons of interest and their companions recorded.
 *
 * A ctw_docindex is a process's in-memory copy of the stolen and lost
 * documents (a ctw_doctable of keys, types, statuses and store refs),
 * loaded from the store and kept current from its document change feed.
 * Readers and the refresher may run on different threads: the index holds
 * a read-write lock. Everything a caller learns about a document that hit
 * comes from the store through ctw_store_get_document(), so the access
 * check and its audit entry apply to every hit.
 */
#ifndef CTWATCH_BORDER_H
#define CTWATCH_BORDER_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ctwatch/access.h"
#include "ctwatch/error.h"
#include "ctwatch/manifest.h"
#include "ctwatch/match.h"
#include "ctwatch/store.h"

#define CTW_DOC_BATCH_MAX 10000   /* documents per batch request */

typedef struct ctw_docindex ctw_docindex;

/* Load every document of s. *out is owned by the caller (ctw_docindex_free). */
int ctw_docindex_load(ctw_store *s, ctw_docindex **out, ctw_error *err);
/* Apply the store's document changes since the last load or refresh.
 * *applied (may be NULL) gets the number of changes applied. */
int ctw_docindex_refresh(ctw_docindex *ix, ctw_store *s, size_t *applied);
void ctw_docindex_free(ctw_docindex *ix);
size_t ctw_docindex_count(ctw_docindex *ix);
size_t ctw_docindex_bytes(ctw_docindex *ix);

/* One document to check. Strings borrowed from the caller. */
typedef struct ctw_doc_query {
    const char *id;       /* caller's id, echoed (may be NULL) */
    const char *state;    /* issuing state: alpha-3, alpha-2 or an ICAO code */
    const char *number;
    const char *type;     /* "P", "I", ... or NULL: any type */
} ctw_doc_query;

/* Parse {"id","state","number","type"} (strings; "issuing_state" is taken
 * for "state"); unknown keys refused. Strings point into obj. */
int ctw_doc_query_from_json(json_t *obj, ctw_doc_query *q, ctw_error *err);

/* Check q as principal p, in ix, or with ix NULL by the store's indexed
 * lookup (a one-off check that should not load every document). *result
 * is a new object:
 *   {"id":..,"state":"DEU","number":"C01X00T47","status":"stolen"|"none",
 *    "hits":[{"document":"doc:12","status":"stolen","type":"P","number":..,
 *             "owner":"DEU-NCB","reported":"2025-03-01"}]}
 * A document p may only know exists is reported as
 *   {"document":"doc:12","restricted":true,"owner":..,"message":"hit: contact <owner>"}
 * and its status as "hit". Each hit was read through
 * ctw_store_get_document() (access check and audit entry); the caller
 * audits the check itself. Returns 0, or CTW_EINVAL with err naming the
 * field (no number, a state that is no country). */
int ctw_docindex_check(ctw_docindex *ix, ctw_store *s, const ctw_principal *p, const ctw_doc_query *q,
                       json_t **result, ctw_error *err);

/* --- manifests ------------------------------------------------------------ */

/* The enabled risk rules (newest versions) of a store, compiled. */
typedef struct ctw_ruleset ctw_ruleset;
int ctw_ruleset_load(ctw_store *s, ctw_ruleset **out, ctw_error *err);
void ctw_ruleset_free(ctw_ruleset *rs);
size_t ctw_ruleset_count(const ctw_ruleset *rs);

typedef struct ctw_border {
    const ctw_match_index *names;  /* the watchlist (required) */
    ctw_docindex *documents;       /* stolen and lost documents, or NULL: not checked */
    const ctw_ruleset *rules;      /* risk rules, or NULL: none */
    ctw_store *store;              /* for document hits and movements (required) */
    double threshold;              /* name hits at or above; <= 0: CTW_MATCH_REVIEW */
    bool record_movements;         /* write movements and links (inside the call's own transaction) */
} ctw_border;

/* Screen every traveller of m as principal p: names against the watchlist,
 * every document against the stolen and lost documents, every rule. *out
 * is a new object {"flight":{..},"legs":[..],"format":..,"message_ref":..,
 * "travellers":[{identity as read, "documents":[{..,"status":..,"hits":[..]}],
 * "hits":[name hits],"rules":[{"rule","version","name","severity","matched":[..]}],
 * "decision":"alert"|"review"|"clear"}],"warnings":[..],"summary":{..}}.
 * Travellers who match a person of interest at the alert threshold, and
 * everyone on the same flight with them, are recorded as movements, linked
 * by booking or flight. *audit_records (may be NULL) gets a malloc'd
 * comma-separated list of the records and documents that hit, for the
 * caller's audit entry. */
int ctw_manifest_screen(const ctw_border *b, const ctw_principal *p, const ctw_manifest *m, json_t **out,
                        char **audit_records, ctw_error *err);

#endif
