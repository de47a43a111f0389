/* json.h — JSON forms of records (jansson), the content hash, and the
 * compact text of any value (the server's answers).
 *
 * The JSON form is the one `ctwatch show`, `GET /api/v1/records/{id}` and
 * the export print. Every json_t returned is a new reference owned by the
 * caller (json_decref it). ctw_json_compact writes one's text fast.
 */
#ifndef CTWATCH_JSON_H
#define CTWATCH_JSON_H

#include <jansson.h>

#include "ctwatch/record.h"

enum {
    CTW_JSON_FULL = 0,        /* identity, provenance and content */
    CTW_JSON_CONTENT_ONLY = 1 /* content only: what the content hash covers */
};

/* New JSON object for r; NULL on allocation failure. */
json_t *ctw_record_to_json(const ctw_record *r, int flags);

/* Hash of the content (CTW_JSON_CONTENT_ONLY, keys sorted, compact):
 * 32 hex digits of BLAKE2b-128 written to out (33 bytes with NUL).
 * Two records with the same content have the same hash. */
int ctw_record_content_hash(const ctw_record *r, char out[33]);

/* The compact text of v, byte for byte what json_dumpb(v, JSON_COMPACT |
 * JSON_REAL_PRECISION(10)) writes, in a malloc'd buffer (the caller frees
 * it) with room for `spare` more bytes after the text and then a NUL; its
 * length in *len. NULL when memory runs out, a string is not UTF-8, or v
 * is nested deeper than 2048. Faster than jansson's dump on the answers
 * the server writes (src/core/json_write.c says why). */
char *ctw_json_compact(const json_t *v, size_t spare, size_t *len);

/* Write a JSON error body {"error":{"code":..,"message":..}}; new reference. */
json_t *ctw_json_error(const char *code, const char *message);

#endif
