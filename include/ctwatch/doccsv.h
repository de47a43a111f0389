/* doccsv.h — the import format of stolen and lost travel documents (CSV).
 *
 *   issuing_state,type,number,status,reported,owner
 *   DEU,P,C01X00T47,stolen,2019-04-11,DEU-NCB
 *   FR,I,"12 AB 34567",lost,2021-11-30,FRA-NCB
 *
 * One header line, exactly as above, then one document per line. Fields
 * may be quoted (RFC 4180: "..." with "" for a quote; a quoted field may
 * hold commas and line breaks). Lines end in LF or CRLF; empty lines are
 * skipped; a UTF-8 byte order mark before the header is skipped.
 *
 *   issuing_state  ISO 3166-1 alpha-3 or alpha-2, or an ICAO 9303 code
 *                  ("D", "XXA", "UNO"); see ctw_doc_state_norm
 *   type           1-2 upper-case letters: P passport, I identity card,
 *                  V visa, A/C crew and other documents, PD diplomatic, ...
 *   number         as printed; see ctw_doc_number_norm (at most 32
 *                  characters after normalisation)
 *   status         stolen, lost, revoked, invalidated, stolen-blank (any
 *                  case; "stolen blank" and "stolen_blank" too)
 *   reported       YYYY-MM-DD, a real calendar date, years 1900-2099
 *   owner          the agency that reported it, [A-Z0-9-]{2,32} ("FRA-NCB")
 *
 * No field may be longer than CTW_DOCCSV_FIELD_MAX bytes.
 */
#ifndef CTWATCH_DOCCSV_H
#define CTWATCH_DOCCSV_H

#include <stddef.h>

#include "ctwatch/doctable.h"
#include "ctwatch/error.h"

#define CTW_DOCCSV_HEADER "issuing_state,type,number,status,reported,owner"
#define CTW_DOCCSV_FIELDS 6
#define CTW_DOCCSV_FIELD_MAX 64

/* One row as the callback sees it. Every pointer points into the reader's
 * buffers (NUL-terminated, quotes removed) and is valid only during the
 * callback; copy what you keep. */
typedef struct ctw_doc_row {
    const char *issuing_state;  /* as in the file */
    const char *type;           /* as in the file (validated) */
    const char *number;         /* as in the file */
    const char *number_norm;    /* ctw_doc_number_norm of number */
    size_t number_norm_len;     /* its length, for ctw_doc_key */
    const char *status_text;    /* as in the file */
    ctw_doc_status status;      /* never CTW_DOC_NONE */
    const char *reported;       /* YYYY-MM-DD (validated) */
    const char *owner;          /* validated */
    char state_norm[4];         /* ctw_doc_state_norm of issuing_state */
} ctw_doc_row;

/* Called once per document, in file order; line is the line the row starts
 * on (1-based; the header is line 1). Return 0 to go on; anything else
 * stops the read and becomes its result. */
typedef int (*ctw_doc_row_fn)(void *ud, const ctw_doc_row *row, size_t line);

/* Read a whole file held in memory (data, len bytes; need not be
 * NUL-terminated) and hand every row to fn. filename is only used in
 * error positions ("FILE:LINE"; NULL reads as "-").
 *
 * Every row is checked before fn sees it. The first bad one stops the read
 * with CTW_EPARSE and err (may be NULL) filled: where = "FILE:LINE" of the
 * row, message one line naming the field and what is wrong (bad header,
 * wrong field count, field too long, unterminated quote, text after a
 * closing quote, or a bad state, type, number, status, date or owner).
 * Rows before it have already been handed to fn: a caller that wants all
 * or nothing collects them and applies them after a 0 return.
 *
 * err is cleared at the start. When fn returns non-zero the read stops
 * and returns that value; if fn left err->code at 0 (it may fill err
 * itself through ud), err gets the code, where = FILE:LINE and a message.
 * Returns 0, CTW_EINVAL (data or fn NULL), CTW_EPARSE, or fn's value.
 * Allocates nothing; reentrant. */
int ctw_doccsv_parse(const char *data, size_t len, const char *filename, ctw_doc_row_fn fn, void *ud,
                     ctw_error *err);

#endif
