/* fuzz_screen.c — any bytes as a screening request body: JSON parsing,
 * the query reader (ctw_screen_query_from_json) and a screening against a
 * small index, as POST /api/v1/screen and `ctwatch screen --batch` do.
 * Nothing may crash or leak; a query either screens or is refused. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ctwatch/match.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static ctw_match_index *ix;

static void add(ctw_match_builder *b, const char *id, const char *name, const char *alias, const char *dob,
                const char *nat, ctw_kind kind)
{
    ctw_record *r = ctw_record_new(kind);
    r->id = id;
    r->source_id = id;
    r->owner = "UN-SC";
    ctw_record_add_name(r, name, CTW_NAME_PRIMARY, NULL);
    if (alias) ctw_record_add_name(r, alias, CTW_NAME_ALIAS_WEAK, "Low");
    if (dob) ctw_record_parse_date(r, dob, ctw_record_add_birth_date(r));
    if (nat) ctw_record_add_nationality_text(r, nat);
    ctw_identifier *d = ctw_record_add_identifier(r);
    d->type = "passport";
    d->number = "C527049";
    ctw_match_builder_add(b, r);
    ctw_record_free(r);
}

static void build(void)
{
    ctw_match_builder *b = ctw_match_builder_new();
    add(b, "a", "Usama Muhammed Awad bin Laden", "أسامة بن لادن", "1957-03-10", "Saudi Arabia", CTW_KIND_PERSON);
    add(b, "b", "Ayman al-Zawahiri", "Dr. Ayman", "1951", "Egypt", CTW_KIND_PERSON);
    add(b, "c", "Владимир Путин", "Vladimir Putin", "1952-10-07", "RU", CTW_KIND_PERSON);
    add(b, "d", "金正恩", "Kim Jong Un", NULL, "KP", CTW_KIND_PERSON);
    add(b, "e", "Al-Qaida in the Islamic Maghreb", "AQIM", NULL, NULL, CTW_KIND_ORGANISATION);
    add(b, "f", "A.B.C. Trading Company Ltd", "ABC Co", NULL, NULL, CTW_KIND_ORGANISATION);
    ctw_match_builder_finish(b, &ix);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ix) build();
    json_t *obj = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
    if (!obj) return 0;
    ctw_screen_query q;
    ctw_error err;
    if (ctw_screen_query_from_json(obj, &q, &err) == 0) {
        json_t *hits = NULL;
        if (ctw_match_screen(ix, ctw_principal_cli(), &q, &hits, &err) == 0) {
            if (!json_is_array(hits)) abort();
            json_decref(hits);
        }
        (void)ctw_match_compare_names(q.name, "Usama bin Ladin", q.schema);
    }
    json_decref(obj);
    return 0;
}
