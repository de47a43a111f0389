/* fuzz_manifest.h — what the three manifest fuzz targets share: run one
 * parser on the bytes and check the contract of manifest.h on what it
 * returns (counts within the limits, booking indices in range, every
 * string UTF-8 so that ctw_manifest_to_json() succeeds), or, on failure,
 * that it said why and left *out untouched. Included by one target each.
 */
#ifndef CTW_FUZZ_MANIFEST_H
#define CTW_FUZZ_MANIFEST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/manifest.h"

static void check(const ctw_manifest *m)
{
    if (m->n_travellers > CTW_MANIFEST_MAX_TRAVELLERS) abort();
    if (m->n_warnings > CTW_MANIFEST_MAX_WARNINGS) abort();
    for (size_t i = 0; i < m->n_travellers; i++) {
        const ctw_traveller *t = &m->travellers[i];
        if (t->booking < -1 || (t->booking >= 0 && (size_t)t->booking >= m->n_bookings)) abort();
        if (t->n_documents && !t->documents) abort();
        if (t->sex && !strchr("MFXU", t->sex)) abort();
    }
    for (size_t i = 0; i < m->n_warnings; i++)
        if (!m->warnings[i].code || !m->warnings[i].message) abort();
    json_t *j = ctw_manifest_to_json(m);
    if (!j) abort();
    json_decref(j);
}

static void run(int (*parse)(const char *, size_t, ctw_manifest **, ctw_error *), const uint8_t *data,
                size_t size)
{
    ctw_manifest sentinel, *m = &sentinel;
    ctw_error err;
    ctw_error_clear(&err);
    if (parse((const char *)data, size, &m, &err) == 0) {
        check(m);
        ctw_manifest_free(m);
    } else if (m != &sentinel || err.message[0] == '\0') {
        abort();
    }
}

static int detect(const char *data, size_t len, ctw_manifest **out, ctw_error *err)
{
    return ctw_manifest_parse(data, len, CTW_MANIFEST_DETECT, out, err);
}

#endif
