/* mrz.h — ICAO Doc 9303 machine readable zones: parse, check, and write
 * names in MRZ form.
 *
 *   TD1  3 × 30   identity cards (9303 Part 5)
 *   TD2  2 × 36   identity cards (Part 6)      MRV-B  2 × 36  visas (Part 7)
 *   TD3  2 × 44   passports (Part 4)           MRV-A  2 × 44  visas (Part 7)
 *
 * Everything here works on caller-owned memory: a ctw_mrz is a plain struct
 * of fixed-size arrays (no allocation, nothing to free), usually on the
 * stack. All functions are thread-safe.
 */
#ifndef CTWATCH_MRZ_H
#define CTWATCH_MRZ_H

#include <stdbool.h>
#include <stddef.h>

#include "ctwatch/error.h"

#define CTW_MRZ_MAX_INPUT   512  /* bytes of one MRZ text; longer: rejected */
#define CTW_MRZ_MAX_ISSUES  16   /* issues recorded per MRZ; more are dropped */

typedef enum ctw_mrz_format {
    CTW_MRZ_TD1 = 1,
    CTW_MRZ_TD2,
    CTW_MRZ_TD3,
    CTW_MRZ_MRVA,
    CTW_MRZ_MRVB,
} ctw_mrz_format;

/* One check digit. `present` is false where the format has no such check
 * (MRV has no composite nor optional-data check; TD1/TD2 no optional). */
typedef struct ctw_mrz_check {
    bool present;
    char digit;       /* as printed: '0'..'9', or '<' (allowed for an empty field) */
    char expected;    /* computed: '0'..'9' */
    bool ok;
} ctw_mrz_check;

/* A problem found in an MRZ that was still parsed. code is a machine
 * name: "check_digit", "bad_date", "bad_sex", "bad_document_code",
 * "unknown_country", "missing_check_digit". */
typedef struct ctw_mrz_issue {
    char code[24];
    char message[120];
} ctw_mrz_issue;

typedef struct ctw_mrz {
    ctw_mrz_format format;
    char document_code[3];      /* "P", "ID", "V", ... (trailing '<' dropped) */
    char issuing_state[4];      /* "UTO", "D" (trailing '<' dropped) */
    char nationality[4];
    char document_number[32];   /* with TD1/TD2 overflow joined; fillers dropped */
    char optional_data[32];     /* TD3: personal number; TD1: line 1 optional data
                                   (after any number overflow); TD2/MRV: optional data.
                                   Trailing fillers dropped, inner '<' kept. */
    char optional_data2[16];    /* TD1 line 2 optional data; "" elsewhere */
    char birth_date[7];         /* YYMMDD as printed, '<' for unknown parts */
    char birth_date_iso[11];    /* "1974-08-12"; unknown parts as X ("1974-XX-XX", ISO 8601-2) */
    char expiry_date[7];
    char expiry_date_iso[11];
    char sex;                   /* 'M', 'F', 'X', or '<' (unspecified) */
    char primary[48];           /* surname: fillers as single spaces, trimmed */
    char secondary[48];         /* given names, the same */
    bool name_full;             /* the name field has no trailing filler: maybe truncated */
    ctw_mrz_check number_check, birth_check, expiry_check, optional_check, composite_check;
    size_t n_issues;
    ctw_mrz_issue issues[CTW_MRZ_MAX_ISSUES];
    bool valid;                 /* every present check right and no issue */
} ctw_mrz;

/* Parse one MRZ. text (len bytes, need not be NUL terminated) holds its
 * lines joined by '|' or by newlines, or simply concatenated; trailing
 * spaces and CR of each line are trimmed and empty lines skipped.
 *
 * Returns 0 when the shape is right (then *out is filled, and problems such
 * as a wrong check digit or an unknown country are listed in out->issues
 * with out->valid false), CTW_EINVAL for NULL arguments, or CTW_EPARSE when
 * the text is no MRZ: wrong number or length of lines, or a character
 * outside [A-Z0-9<]. On CTW_EPARSE *out is untouched and err (may be NULL)
 * is filled: err->where holds the machine code of the rejection
 * ("bad_length" or "bad_character", since an MRZ has no file and line) and
 * err->message a one-line explanation naming line and column. */
int ctw_mrz_parse(const char *text, size_t len, ctw_mrz *out, ctw_error *err);

/* ICAO 9303 Part 3 check digit of n characters of s: weights 7,3,1;
 * '0'-'9' = 0-9, 'A'-'Z' = 10-35, '<' = 0. Returns '0'..'9', or -1 if s
 * holds any other character. */
int ctw_mrz_check_digit(const char *s, size_t n);

/* Format name: "TD1", "TD2", "TD3", "MRV-A", "MRV-B" ("?" otherwise). Static. */
const char *ctw_mrz_format_name(ctw_mrz_format f);

/* Write a name in MRZ form per 9303 Part 3: "SURNAME<<GIVEN<NAMES", padded
 * with '<' or cut to exactly `width` characters, NUL terminated, into out
 * (cap bytes, at least width + 1). surname and given are UTF-8 in any
 * script (given may be NULL or ""). Latin letters lose their diacritics
 * (ICU NFD) except the 9303 special letters (Ä→AE, Ö→OE, Ü→UE, ß→SS,
 * Å→AA, Æ→AE, Ø→OE, Þ→TH, ...); Cyrillic follows the 9303 table (Ж→ZH,
 * Х→KH, Ц→TS, Щ→SHCH, Ю→IU, Я→IA, ...); other scripts fall back to
 * ctw_text_romanise()'s general form, upper-cased. Spaces and hyphens
 * become '<', other punctuation is dropped.
 * Returns 0, CTW_EINVAL (NULL, invalid UTF-8, width 0), CTW_ELIMIT (cap too
 * small or input over CTW_MRZ_MAX_INPUT) or CTW_ENOMEM; on error out holds "" (if cap > 0). */
int ctw_mrz_name(const char *surname, const char *given, size_t width, char *out, size_t cap);

#endif
