/* fuzz_text.c — any bytes through the whole text pipeline: fold,
 * romanise, tokens of every form, Double Metaphone of every token, and
 * the similarities between forms. Nothing may crash, leak, or break the
 * form invariants (ASCII lower case, single spaces). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char folded[CTW_TEXT_MAX_INPUT * 4];
    size_t n;
    (void)ctw_text_fold((const char *)data, size, folded, sizeof folded, &n);

    ctw_text_forms f;
    if (ctw_text_romanise((const char *)data, size, &f) != 0) return 0;
    for (size_t i = 0; i < f.n; i++) {
        const char *s = f.form[i];
        for (size_t k = 0; s[k]; k++) {
            char c = s[k];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || (c == ' ' && k > 0 && s[k + 1] && s[k + 1] != ' ')))
                abort();
        }
        ctw_arena a;
        ctw_arena_init(&a);
        ctw_name_token *t;
        size_t nt;
        if (ctw_text_name_tokens(s, &a, &t, &nt) == 0) {
            for (size_t k = 0; k < nt; k++) {
                char p[17], alt[17], sx[8], buf[64];
                ctw_double_metaphone(t[k].text, 4, p, alt);
                ctw_soundex(t[k].text, sx);
                ctw_metaphone(t[k].text, buf, sizeof buf);
                ctw_nysiis(t[k].text, buf, sizeof buf);
                ctw_match_rating_codex(t[k].text, buf, sizeof buf);
            }
        }
        ctw_arena_free(&a);
        double j = ctw_jaro_winkler(f.form[0], s, true);
        if (!(j >= 0.0 && j <= 1.0 + 1e-9)) abort();
        (void)ctw_levenshtein(f.form[0], s);
        (void)ctw_damerau_levenshtein(f.form[0], s);
    }
    ctw_text_forms_free(&f);

    /* The raw bytes too, NUL-terminated: the encoders take any string. */
    if (size <= 256) {
        char raw[257], p[17], alt[17];
        memcpy(raw, data, size);
        raw[size] = '\0';
        ctw_double_metaphone(raw, 16, p, alt);
        (void)ctw_jaro_winkler(raw, "vladimir putin", false);
        (void)ctw_match_rating_compare(raw, "smith");
        (void)ctw_hamming(raw, "abc");
    }
    return 0;
}
