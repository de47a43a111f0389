/* doctable.h — stolen and lost travel documents (SLTD): the exact check.
 *
 * A border or visa check asks one question many times: "is this document
 * (issuing state, number) reported stolen, lost, revoked, ...?". The answer
 * must come from memory, for a hundred million reported documents, at
 * millions of checks a second. This module is the in-memory part:
 *
 *   1. normalise what was read or typed: the number (ctw_doc_number_norm)
 *      and the issuing state (ctw_doc_state_norm, "D" and "DE" → "DEU");
 *   2. reduce (state, number) to one 64-bit key (ctw_doc_key);
 *   3. look the key up in a ctw_doctable, one at a time (ctw_doctable_find)
 *      or in batches (ctw_doctable_check_batch), which is the fast path.
 *
 * The table keeps no strings: a slot holds the key, the caller's row id
 * (`ref`, e.g. the store's row of the record), the status and the first
 * letter of the document type. Two different documents share a key with
 * probability about 2^-64 per pair, so a match is the answer for a screen
 * and the record behind `ref` is the proof: whoever acts on a hit reads
 * the record and compares state and number before anyone is stopped.
 *
 * The document type is not part of the key: a check at a border may not
 * know it (an officer types a number), and the same number can be reported
 * for a passport and an identity card. ctw_doctable_find returns every
 * entry with the key.
 *
 * Thread safety: the functions without a table are pure and thread-safe.
 * A ctw_doctable is not internally synchronised: any number of threads may
 * call the const functions at once; ctw_doctable_add, _remove and _free
 * need the caller's exclusive lock.
 */
#ifndef CTWATCH_DOCTABLE_H
#define CTWATCH_DOCTABLE_H

#include <stddef.h>
#include <stdint.h>

#include "ctwatch/error.h"

/* What was reported about a document. Stored as one byte. */
typedef enum ctw_doc_status {
    CTW_DOC_NONE = 0,        /* not reported (a batch check's "no match") */
    CTW_DOC_STOLEN,
    CTW_DOC_LOST,
    CTW_DOC_REVOKED,
    CTW_DOC_INVALIDATED,
    CTW_DOC_STOLEN_BLANK,    /* a blank booklet or card stolen before issue */
} ctw_doc_status;

/* "none", "stolen", "lost", "revoked", "invalidated", "stolen-blank";
 * "?" for a value outside the enum. Static; never free it. */
const char *ctw_doc_status_name(ctw_doc_status s);

/* The status named by text, in any case; "stolen blank", "stolen_blank"
 * and "stolen-blank" are the same, and "none" is CTW_DOC_NONE.
 * Returns 0 and sets *out, or CTW_EINVAL (NULL or unknown; *out untouched). */
int ctw_doc_status_parse(const char *text, ctw_doc_status *out);

/* The longest normalised number kept (9303 numbers are 9 characters, with
 * the TD1/TD2 overflow up to 24; national formats stay below 20). */
#define CTW_DOC_NUMBER_MAX 32

/* Normalise a document number as read or typed: ASCII letters upper-cased,
 * digits kept, ' ', '-', '/', '.' and '<' (the MRZ filler) dropped.
 * in is NUL-terminated. Letters that look alike (O and 0, I and 1) are NOT
 * merged: issuing states use both, and a merged key would hit other
 * documents.
 * Returns the length (1..CTW_DOC_NUMBER_MAX) with out NUL-terminated, or
 * CTW_EINVAL for NULL, any other byte, nothing left, or more than
 * CTW_DOC_NUMBER_MAX characters left; on error out is untouched. */
int ctw_doc_number_norm(const char *in, char out[CTW_DOC_NUMBER_MAX + 1]);

/* The issuing state as the 3-letter code used in keys. in is
 * NUL-terminated, in any case, trailing MRZ fillers ('<') ignored:
 *   an alpha-3 code or ICAO 9303 code (UTO, XXA, UNO, RKS, ...) is kept,
 *   an ISO 3166-1 alpha-2 code is mapped ("DE" → "DEU"),
 *   ICAO's one-letter "D" is "DEU".
 * Names ("Germany") are not accepted: an import names codes.
 * Returns 0 with out = the code, NUL-terminated, or CTW_EINVAL (NULL or
 * not a known code; out untouched). Uses ctw_country_lookup once to build
 * a table of every code, then answers from it. */
int ctw_doc_state_norm(const char *in, char out[4]);

/* The key of (state, number): state as ctw_doc_state_norm gives it
 * (3 letters, NUL-terminated), number_norm as ctw_doc_number_norm gives it
 * (len bytes; need not be NUL-terminated). A 64-bit hash that depends on
 * every byte and on the length; never 0 (0 marks an empty slot). The same
 * on every platform, so keys may be stored and compared across machines. */
uint64_t ctw_doc_key(const char state[4], const char *number_norm, size_t len);

/* The table: entries (key, ref) with status and type. */
typedef struct ctw_doctable ctw_doctable;

/* At most this many entries (the slot index is 32 bits). */
#define CTW_DOCTABLE_MAX_ENTRIES ((size_t)1 << 31)

/* A new empty table sized so that `expected` entries fit without growing
 * (0 is allowed: a small table that grows). *out is the caller's; free it
 * with ctw_doctable_free. Returns 0, CTW_EINVAL (out NULL), CTW_ELIMIT
 * (expected over CTW_DOCTABLE_MAX_ENTRIES) or CTW_ENOMEM; on error *out
 * is untouched. */
int ctw_doctable_new(size_t expected, ctw_doctable **out);

/* Release the table and everything it holds. NULL is allowed. */
void ctw_doctable_free(ctw_doctable *t);

/* One entry as a check sees it. status CTW_DOC_NONE means "no entry". */
typedef struct ctw_doc_match {
    uint32_t ref;     /* the caller's id given to ctw_doctable_add */
    uint8_t status;   /* a ctw_doc_status */
    char type;        /* first letter of the document type ('P', 'I', ...), or 0 */
} ctw_doc_match;

/* Add the entry (key, ref). The same (key, ref) again updates its type and
 * status in place; the same key with another ref is another entry (the
 * same number reported twice, or for a passport and an identity card).
 * type is the first letter of the document type (0 if unknown). The table
 * doubles when it would pass its load factor; that moves every entry (and
 * briefly holds both arrays).
 * Returns 0, CTW_EINVAL (t NULL, key 0, status CTW_DOC_NONE or out of
 * range), CTW_ELIMIT (CTW_DOCTABLE_MAX_ENTRIES reached) or CTW_ENOMEM
 * (growing failed); on error the table is unchanged. */
int ctw_doctable_add(ctw_doctable *t, uint64_t key, uint32_t ref, char type, ctw_doc_status status);

/* One entry for ctw_doctable_add_batch. */
typedef struct ctw_doc_entry {
    uint64_t key;
    uint32_t ref;
    uint8_t status;   /* a ctw_doc_status other than CTW_DOC_NONE */
    char type;
} ctw_doc_entry;

/* The same as ctw_doctable_add for e[0], e[1], ... e[n-1] in that order
 * (a later entry with the same key and ref updates an earlier one), but
 * all or nothing, and faster for a load: every entry is checked first, the
 * table grows once to hold count + n (updates count as new here), and the
 * slots are prefetched some entries ahead as in the batch check. e is the
 * caller's and is not kept.
 * Returns 0, CTW_ELIMIT (count + n over CTW_DOCTABLE_MAX_ENTRIES; checked
 * before any entry is read), CTW_EINVAL (t NULL, e NULL with n > 0, or an
 * entry with key 0 or a bad status) or CTW_ENOMEM; on error the table is
 * unchanged. */
int ctw_doctable_add_batch(ctw_doctable *t, const ctw_doc_entry *e, size_t n);

/* Remove the entry (key, ref). Returns 0, CTW_EINVAL (t NULL) or
 * CTW_ENOTFOUND (no such entry; nothing changes). The table never shrinks. */
int ctw_doctable_remove(ctw_doctable *t, uint64_t key, uint32_t ref);

/* Every entry with key: the first min(count, cap) are written to out
 * (caller's array of cap; may be NULL when cap is 0), in no set order.
 * Returns the number of entries with the key, which may exceed cap. */
size_t ctw_doctable_find(const ctw_doctable *t, uint64_t key, ctw_doc_match *out, size_t cap);

/* The batch check: out[i] = the first entry found for keys[i], or
 * {0, CTW_DOC_NONE, 0} when there is none (or keys[i] is 0). keys and out
 * are the caller's arrays of n. The lookups are interleaved with software
 * prefetches of the slots some keys ahead, so the memory latency of one
 * lookup overlaps the work of others: on a table far larger than the
 * caches this is several times faster than n calls of ctw_doctable_find.
 * A key with several entries gives one of them here; ask
 * ctw_doctable_find for all. */
void ctw_doctable_check_batch(const ctw_doctable *t, const uint64_t *keys, size_t n, ctw_doc_match *out);

/* Number of entries. */
size_t ctw_doctable_count(const ctw_doctable *t);

/* Bytes of memory the table holds (its slot array and itself). */
size_t ctw_doctable_bytes(const ctw_doctable *t);

#endif
