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

#include <stddef.h>
#include <stdint.h>

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

#endif
