/* edifact_int.h — UN/EDIFACT tokenizer, private to src/travel.
 *
 * Owned by the travel module (paxlst.c, pnrgov.c and manifest.c use it).
 * The tokenizer never allocates: a segment is a set of spans into the
 * caller's buffer, valid as long as that buffer. Text is unescaped only
 * when a parser asks for it (ctw__edi_text).
 *
 * What the tokenizer accepts, and why (every rule comes from a real file):
 *   - UNA service string advice with any six characters; without UNA the
 *     defaults  : + . ? (space) '  (component, element, decimal, release,
 *     reserved, terminator). A space as release character means "none".
 *   - A UNA that lost a character (":+\*'" of the GTAS codeshare sample)
 *     or whose terminator is a typographic apostrophe U+2019 (copied from a
 *     word processor) is repaired, and ctw__edi.una_repaired says so.
 *   - Whitespace (space, tab, CR, LF) before a segment tag is skipped;
 *     many files end segments with "' \r\n".
 *   - CR and LF inside a segment are line folding, not data: the
 *     terminator alone ends a segment, and ctw__edi_text drops the breaks
 *     ("SMITHJ\r\nR" reads "SMITHJR").
 *   - When the terminator is ' and a line ends in U+2019 instead, that
 *     character ends the segment (counted in ctw__edi.curly_terminators).
 *   - A last segment without terminator ends at its first line break (the
 *     rest is left for the caller to judge) and is flagged unterminated.
 *   - Spaces between the tag and the first separator ("UNG *PAXLST") are
 *     skipped.
 *
 * Limits: CTW_MANIFEST_MAX_SEGMENTS segments, CTW_MANIFEST_MAX_ELEMENTS
 * data elements per segment and CTW__EDI_MAX_COMPONENTS components per
 * segment; more fail with CTW_ELIMIT.
 */
#ifndef CTW_TRAVEL_EDIFACT_INT_H
#define CTW_TRAVEL_EDIFACT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctwatch/error.h"
#include "ctwatch/manifest.h"

#define CTW__EDI_MAX_COMPONENTS 1024  /* per segment, over all its elements */

/* One component: raw bytes as sent, release characters and line breaks
 * still in place (flags say whether there are any). */
typedef struct ctw__edi_span {
    const char *p;
    uint32_t n;
    uint32_t flags;
} ctw__edi_span;

#define CTW__EDI_RELEASED 1u   /* holds a release character */
#define CTW__EDI_FOLDED   2u   /* holds CR or LF */

/* A segment tag as one number, for switch statements: CTW__EDI_TAG('N','A','D'). */
#define CTW__EDI_TAG(a, b, c) \
    ((uint32_t)(unsigned char)(a) << 16 | (uint32_t)(unsigned char)(b) << 8 | (uint32_t)(unsigned char)(c))

typedef struct ctw__edi_seg {
    char tag[4];
    uint32_t tag_id;           /* CTW__EDI_TAG of tag */
    size_t index;              /* 1-based position among the segments (UNA not counted) */
    size_t offset;             /* byte offset of the tag in the message */
    bool unterminated;         /* the message ended before its terminator */
    char rel;                  /* release character, 0 for none */
    size_t n_elems;            /* data elements after the tag */
    uint16_t elem_first[CTW_MANIFEST_MAX_ELEMENTS];
    uint16_t elem_comps[CTW_MANIFEST_MAX_ELEMENTS];
    size_t n_comps;
    ctw__edi_span comps[CTW__EDI_MAX_COMPONENTS];
} ctw__edi_seg;

typedef struct ctw__edi {
    const char *data, *end, *pos;
    char comp, elem, dec, rel, rep, term;  /* rel/rep 0: none */
    bool una;                  /* the message opened with UNA */
    bool una_repaired;         /* ... and it had to be repaired */
    size_t una_offset;
    size_t n_segments;
    size_t curly_terminators;  /* segments ended by U+2019 at a line end */
    uint8_t cls[256];          /* byte classes for the scanner */
} ctw__edi;

/* Results of ctw__edi_next besides errors. */
#define CTW__EDI_END  0        /* no more segments */
#define CTW__EDI_SEG  1        /* *seg holds the next segment */
#define CTW__EDI_JUNK 2        /* bytes at t->pos that are no segment (no
                                  tag): the caller decides (trailing text
                                  after UNZ, or an error via ctw__edi_junk) */

/* Start reading data[0..len): reads the UNA if there is one. Returns 0 or
 * CTW_EPARSE (a UNA that cannot be read) with err filled. */
int ctw__edi_init(ctw__edi *t, const char *data, size_t len, ctw_error *err);

/* Next segment into *seg (caller-owned, reused between calls). Returns
 * CTW__EDI_SEG, CTW__EDI_END, CTW__EDI_JUNK, or CTW_EPARSE / CTW_ELIMIT
 * with err naming segment number, tag and byte offset. */
int ctw__edi_next(ctw__edi *t, ctw__edi_seg *seg, ctw_error *err);

/* Fill err for the junk ctw__edi_next reported; returns CTW_EPARSE. */
int ctw__edi_junk(const ctw__edi *t, ctw_error *err);

/* "segment 14 (NAD) at byte 612" into buf. */
void ctw__edi_where(const ctw__edi_seg *seg, char *buf, size_t cap);

/* Component c of data element e (both 0-based, the tag is not an
 * element), or NULL when the segment has no such component. */
const ctw__edi_span *ctw__edi_comp(const ctw__edi_seg *seg, size_t e, size_t c);

/* Text of a span without release characters and line breaks, cut to
 * cap - 1 bytes, NUL-terminated; returns its length. A NULL span gives "". */
size_t ctw__edi_text(const ctw__edi_seg *seg, const ctw__edi_span *sp, char *buf, size_t cap);

/* The text of component (e, c) into buf as ctw__edi_text; "" if absent. */
size_t ctw__edi_get(const ctw__edi_seg *seg, size_t e, size_t c, char *buf, size_t cap);

/* True when component (e, c) reads exactly s (after unescaping). */
bool ctw__edi_is(const ctw__edi_seg *seg, size_t e, size_t c, const char *s);

/* How many times tag occurs in the message as a segment tag (followed by
 * the element separator), counted from t's position without tokenizing:
 * an upper bound, for sizing arrays. */
size_t ctw__edi_count_tag(const ctw__edi *t, const char *tag);

/* The message type named by the first UNH of data ("PAXLST", "PNRGOV")
 * into buf. Returns 0, CTW_ENOTFOUND (no UNH before the data ends or a
 * fault), or CTW_EPARSE/CTW_ELIMIT from the tokenizer with err filled. */
int ctw__edi_message_type(const char *data, size_t len, char *buf, size_t cap, ctw_error *err);

#endif
