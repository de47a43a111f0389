/* synth.h — synthetic watchlists for benchmarks, evaluation and training.
 *
 * `ctwatch synth persons N --seed S` writes a realistic, made-up watchlist
 * as FollowTheMoney JSON lines (the shape src/import/ftm.c reads): Person
 * entities with names drawn from many cultures and scripts (transliteration
 * variants, kunyas, reordered names, original-script names, weak aliases),
 * birth dates of mixed precision, nationalities, genders and places of
 * birth, plus Passport entities for some persons and Sanction entities
 * (listings such as an INTERPOL Red Notice or a UN Security Council
 * listing) for others. No real person is described; names are common names
 * combined at random, so common names repeat as they do on real lists.
 *
 * Determinism: the output depends only on (seed, person index). The same
 * arguments give byte-identical lines on every run, and the lines for
 * persons [first, first+count) are the same whether they are generated
 * alone or as part of a longer run, so `persons 1000` is a prefix of
 * `persons 2000` with the same seed. No global state is touched; the
 * functions are safe to call from several threads at once.
 */
#ifndef CTWATCH_SYNTH_H
#define CTWATCH_SYNTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctwatch/doctable.h" /* ctw_doc_status */
#include "ctwatch/error.h"
#include "ctwatch/import.h" /* ctw_line_fn */

/* The largest count the CLI accepts (the library takes any count). */
#define CTW_SYNTH_MAX_PERSONS 100000000u

/* Generate persons first .. first+count-1 for seed and hand each entity to
 * fn as one JSON line (no newline; the buffer is only valid during the
 * call, fn copies what it keeps). A person is one Person line followed by
 * its Passport, Identification and Sanction lines, if any. Entity ids are
 * "synth-<seed>-<index>" with "-doc-<k>", "-id-<k>" and "-sanction-<k>"
 * suffixes for the folded entities.
 *
 * Returns 0, CTW_EINVAL if fn is NULL or first+count overflows, or the
 * first non-zero value fn returns (generation stops there). */
int ctw_synth_persons(uint64_t seed, size_t first, size_t count, ctw_line_fn fn, void *ud);

/* ---- stolen and lost travel documents ---------------------------------------
 *
 * `ctwatch synth documents N --seed S` writes N made-up SLTD records in the
 * import CSV format (include/ctwatch/doccsv.h; the header line first).
 * Issuing states are weighted roughly by population and travel volume
 * (about 70 states and the UN), each with number shapes like its real ones
 * (DEU nine characters from CFGHJKLMNPRTVWXYZ0-9, FRA 99AA99999, GBR and
 * USA nine digits, ...); types mostly P, then I, then V, A, C, PD, PS;
 * statuses about 55 % stolen, 38 % lost, the rest revoked, invalidated or
 * stolen-blank; reported dates over the ten years up to 2026-02-27 (a
 * fixed end, so the output never depends on the clock); owners mostly the
 * issuing state's "<ALPHA3>-NCB". A few rows are written the way agencies
 * really send them: "D" or alpha-2 states, lower-case or spaced numbers, a
 * quoted number. No number is known to belong to a real document.
 *
 * Determinism as for persons: document i depends only on (seed, i). */

/* The largest count the CLI accepts (the library takes any count). */
#define CTW_SYNTH_MAX_DOCUMENTS 1000000000u

/* One synthetic document, fields as they are written to the CSV. */
typedef struct ctw_synth_doc {
    char issuing_state[4]; /* mostly alpha-3; sometimes alpha-2, or "D" */
    char type[3];          /* "P", "I", "V", "A", "C", "PD", "PS" */
    char number[24];       /* as printed: may hold lower case, ' ' or '-' */
    bool quoted;           /* write the number in quotes (some exporters do) */
    ctw_doc_status status;
    char reported[11];     /* YYYY-MM-DD */
    char owner[16];        /* "DEU-NCB", "FRA-MFA", ... */
} ctw_synth_doc;

/* A cursor over documents first, first+1, ... of one seed. Plain data:
 * copy it, keep it on the stack; nothing to free. */
typedef struct ctw_synth_doc_state {
    uint64_t seed;
    uint64_t next;  /* index of the document ctw_synth_doc_next gives next */
} ctw_synth_doc_state;

/* Start a cursor at document `first` of seed. */
void ctw_synth_doc_init(ctw_synth_doc_state *st, uint64_t seed, uint64_t first);
/* The next document into *out (caller's), without any I/O. Thread-safe for
 * distinct cursors. */
void ctw_synth_doc_next(ctw_synth_doc_state *st, ctw_synth_doc *out);
/* Document `index` of seed, the same as the cursor gives. */
void ctw_synth_doc_at(uint64_t seed, uint64_t index, ctw_synth_doc *out);

/* Write d as one CSV line (no line end) into buf (cap bytes), NUL-terminated.
 * Returns the length, or CTW_ELIMIT if cap is too small (buf then holds ""). */
int ctw_synth_doc_csv(const ctw_synth_doc *d, char *buf, size_t cap);

/* Documents first .. first+count-1 of seed as CSV lines (no header, no line
 * end; the buffer is only valid during the call) handed to fn. The caller
 * writes CTW_DOCCSV_HEADER first. Returns 0, CTW_EINVAL (fn NULL, or
 * first+count overflows) or the first non-zero value fn returns. */
int ctw_synth_documents(uint64_t seed, size_t first, size_t count, ctw_line_fn fn, void *ud);

#endif
