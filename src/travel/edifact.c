/* edifact.c — UN/EDIFACT tokenizer (see edifact_int.h for the rules).
 *
 * Owned by the travel module. The syntax, with the default separators:
 *
 *   UNA:+.? '                     service string advice (optional, first):
 *   |  ||||||                     component : element + decimal . release ?
 *   |  ||||||                     reserved (space) terminator '
 *   UNB+UNOA:4+SENDER+...'        segment = tag, then elements split by +,
 *   NAD+FL+++SMITH:JOHN:PAT'      each element split into components by :
 *   FTX+++O?'NEIL'                ? releases the next character (O'NEIL)
 *
 * Positions used in errors: the segment number counts segments from the
 * first after the UNA (UNB is 1), the byte offset is that of the tag.
 */
#include <stdio.h>
#include <string.h>

#include "travel/edifact_int.h"

/* Byte classes of the scanner. */
enum { C_DATA = 0, C_REL, C_TERM, C_ELEM, C_COMP, C_NL, C_E2 };

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool is_tag_char(unsigned char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* U+2018 or U+2019 (E2 80 98 / E2 80 99) at p. */
static bool is_curly(const char *p, const char *end)
{
    return end - p >= 3 && (unsigned char)p[0] == 0xE2 && (unsigned char)p[1] == 0x80 &&
           ((unsigned char)p[2] == 0x98 || (unsigned char)p[2] == 0x99);
}

/* A curly apostrophe at p that ends its line (spaces may follow). */
static bool curly_ends_line(const char *p, const char *end)
{
    if (!is_curly(p, end)) return false;
    p += 3;
    while (p < end && (*p == ' ' || *p == '\t')) p++;
    return p == end || *p == '\r' || *p == '\n';
}

static void set_classes(ctw__edi *t)
{
    memset(t->cls, C_DATA, sizeof t->cls);
    t->cls['\r'] = C_NL;
    t->cls['\n'] = C_NL;
    if (t->term == '\'') t->cls[0xE2] = C_E2;
    t->cls[(unsigned char)t->comp] = C_COMP;
    t->cls[(unsigned char)t->elem] = C_ELEM;
    t->cls[(unsigned char)t->term] = C_TERM;
    if (t->rel) t->cls[(unsigned char)t->rel] = C_REL;
}

static bool service_char_ok(char c)
{
    unsigned char u = (unsigned char)c;
    return u > 0x20 && u < 0x7F && !is_tag_char(u) && !(u >= 'a' && u <= 'z');
}

/* UNA: six service characters. Real files lose one (":+\*'") or end in a
 * typographic apostrophe; both are repaired as documented in the header. */
static int read_una(ctw__edi *t, const char *p, ctw_error *err)
{
    char where[64];
    snprintf(where, sizeof where, "UNA at byte %zu", t->una_offset);
    char c[6];
    size_t n = 0;
    const char *q = p;
    bool curly = false;
    while (n < 6 && q < t->end) {
        if (is_curly(q, t->end)) {
            c[n++] = '\'';
            q += 3;
            curly = true;
            continue;
        }
        unsigned char u = (unsigned char)*q;
        /* A space is a legal service character (reserved, release "none"),
         * anything else that is no punctuation ends the string early. */
        if (u < 0x20 || u >= 0x7F || is_tag_char(u) || (u >= 'a' && u <= 'z')) break;
        c[n++] = (char)u;
        q++;
    }
    t->dec = '.';
    t->rep = 0;
    if (n == 6) {
        t->comp = c[0];
        t->elem = c[1];
        t->dec = c[2];
        t->rel = c[3];
        t->rep = c[4];
        t->term = c[5];
    } else if (n == 5 || n == 4) {
        /* One or two of decimal/release/reserved are missing: keep the
         * separators and terminator at the ends; the release character is
         * the first middle one that is no decimal mark. */
        t->comp = c[0];
        t->elem = c[1];
        t->term = c[n - 1];
        t->rel = 0;
        for (size_t i = 2; i + 1 < n; i++) {
            if (c[i] == '.' || c[i] == ',') {
                t->dec = c[i];
            } else if (!t->rel) {
                t->rel = c[i];
            } else {
                t->rep = c[i];
            }
        }
        t->una_repaired = true;
    } else {
        return ctw_error_set(err, CTW_EPARSE, where,
                             "service string advice needs 6 characters after UNA, found %zu", n);
    }
    if (curly) t->una_repaired = true;
    if (t->rel == ' ') t->rel = 0;
    if (t->rep == ' ') t->rep = 0;
    if (!service_char_ok(t->comp) || !service_char_ok(t->elem) || !service_char_ok(t->term) ||
        (t->rel && !service_char_ok(t->rel)))
        return ctw_error_set(err, CTW_EPARSE, where, "UNA separators must be punctuation");
    if (t->comp == t->elem || t->comp == t->term || t->elem == t->term ||
        (t->rel && (t->rel == t->comp || t->rel == t->elem || t->rel == t->term)))
        return ctw_error_set(err, CTW_EPARSE, where,
                             "UNA names the same character for two separators (\"%c%c%c%c\")",
                             t->comp, t->elem, t->rel ? t->rel : ' ', t->term);
    t->pos = q;
    return 0;
}

int ctw__edi_init(ctw__edi *t, const char *data, size_t len, ctw_error *err)
{
    memset(t, 0, sizeof *t);
    t->data = data ? data : "";
    t->end = t->data + (data ? len : 0);
    t->pos = t->data;
    t->comp = ':';
    t->elem = '+';
    t->dec = '.';
    t->rel = '?';
    t->rep = 0;
    t->term = '\'';
    const char *p = t->data;
    if (t->end - p >= 3 && (unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB &&
        (unsigned char)p[2] == 0xBF)
        p += 3;  /* UTF-8 byte order mark */
    while (p < t->end && is_space((unsigned char)*p)) p++;
    t->pos = p;
    if (t->end - p >= 3 && memcmp(p, "UNA", 3) == 0) {
        t->una = true;
        t->una_offset = (size_t)(p - t->data);
        int rc = read_una(t, p + 3, err);
        if (rc) return rc;
    }
    set_classes(t);
    return 0;
}

void ctw__edi_where(const ctw__edi_seg *seg, char *buf, size_t cap)
{
    snprintf(buf, cap, "segment %zu (%s) at byte %zu", seg->index, seg->tag[0] ? seg->tag : "?",
             seg->offset);
}

int ctw__edi_junk(const ctw__edi *t, ctw_error *err)
{
    char where[96], shown[16];
    size_t k = 0;
    for (const char *p = t->pos; p < t->end && k < 8; p++) {
        unsigned char u = (unsigned char)*p;
        shown[k++] = (u >= 0x20 && u < 0x7F && u != '"') ? (char)u : '.';
    }
    shown[k] = '\0';
    snprintf(where, sizeof where, "segment %zu at byte %zu", t->n_segments + 1,
             (size_t)(t->pos - t->data));
    return ctw_error_set(err, CTW_EPARSE, where, "expected a segment tag, found \"%s\"", shown);
}

static int seg_fail(const ctw__edi_seg *seg, ctw_error *err, int code, const char *msg)
{
    char where[96];
    ctw__edi_where(seg, where, sizeof where);
    return ctw_error_set(err, code, where, "%s", msg);
}

/* Scan the body of a segment (after its tag) from p up to limit. On return
 * *stop is where scanning ended (after the terminator when found) and
 * *terminated says whether a terminator was found; *first_nl is the first
 * unreleased line break (or NULL). */
static int scan_body(ctw__edi *t, ctw__edi_seg *seg, const char *p, const char *limit,
                     const char **stop, bool *terminated, const char **first_nl, ctw_error *err)
{
    const uint8_t *cls = t->cls;
    seg->n_elems = 0;
    seg->n_comps = 0;
    *terminated = false;
    *first_nl = NULL;
    /* p is at the first separator after the tag, or at the terminator. */
    const char *cstart = NULL;
    uint32_t flags = 0;
    bool open = false;  /* a component is being collected */
    while (p < limit) {
        /* most bytes are data: pass them in a tight loop */
        while (cls[(unsigned char)*p] == C_DATA && ++p < limit) {
        }
        if (p >= limit) break;
        unsigned char u = (unsigned char)*p;
        switch (cls[u]) {
        case C_DATA:
            p++;
            continue;
        case C_NL:
            if (!*first_nl) *first_nl = p;
            flags |= CTW__EDI_FOLDED;
            p++;
            continue;
        case C_REL:
            if (p + 1 >= t->end)
                return seg_fail(seg, err, CTW_EPARSE,
                                "release character at the very end of the message");
            flags |= CTW__EDI_RELEASED;
            p += 2;
            continue;
        case C_E2:
            if (!curly_ends_line(p, limit)) {
                p++;
                continue;
            }
            t->curly_terminators++;
            goto terminate_curly;
        case C_TERM:
            goto terminate;
        case C_ELEM:
        case C_COMP:
            if (open) {
                ctw__edi_span *sp = &seg->comps[seg->n_comps - 1];
                sp->n = (uint32_t)(p - cstart);
                sp->flags = flags;
            }
            if (cls[u] == C_ELEM) {
                if (seg->n_elems >= CTW_MANIFEST_MAX_ELEMENTS) {
                    char msg[96];
                    snprintf(msg, sizeof msg, "more than %d data elements in one segment",
                             CTW_MANIFEST_MAX_ELEMENTS);
                    return seg_fail(seg, err, CTW_ELIMIT, msg);
                }
                seg->elem_first[seg->n_elems] = (uint16_t)seg->n_comps;
                seg->elem_comps[seg->n_elems] = 0;
                seg->n_elems++;
            } else if (seg->n_elems == 0) {
                /* components of the tag itself (segment repetition): skip */
                p++;
                open = false;
                continue;
            }
            if (seg->n_comps >= CTW__EDI_MAX_COMPONENTS) {
                char msg[96];
                snprintf(msg, sizeof msg, "more than %d components in one segment",
                         CTW__EDI_MAX_COMPONENTS);
                return seg_fail(seg, err, CTW_ELIMIT, msg);
            }
            seg->elem_comps[seg->n_elems - 1]++;
            p++;
            cstart = p;
            flags = 0;
            seg->comps[seg->n_comps].p = cstart;
            seg->comps[seg->n_comps].n = 0;
            seg->comps[seg->n_comps].flags = 0;
            seg->n_comps++;
            open = true;
            continue;
        }
    }
    /* limit reached without terminator */
    if (open) {
        ctw__edi_span *sp = &seg->comps[seg->n_comps - 1];
        sp->n = (uint32_t)(p - cstart);
        sp->flags = flags;
    }
    *stop = p;
    return 0;

terminate:
    if (open) {
        ctw__edi_span *sp = &seg->comps[seg->n_comps - 1];
        sp->n = (uint32_t)(p - cstart);
        sp->flags = flags;
    }
    *terminated = true;
    *stop = p + 1;
    return 0;

terminate_curly:
    if (open) {
        ctw__edi_span *sp = &seg->comps[seg->n_comps - 1];
        sp->n = (uint32_t)(p - cstart);
        sp->flags = flags;
    }
    *terminated = true;
    *stop = p + 3;
    return 0;
}

int ctw__edi_next(ctw__edi *t, ctw__edi_seg *seg, ctw_error *err)
{
    const char *p = t->pos;
    while (p < t->end && is_space((unsigned char)*p)) p++;
    t->pos = p;
    if (p >= t->end) return CTW__EDI_END;

    /* The tag: three capitals or digits, then perhaps spaces. */
    if (t->end - p < 3 || !is_tag_char((unsigned char)p[0]) || !is_tag_char((unsigned char)p[1]) ||
        !is_tag_char((unsigned char)p[2]))
        return CTW__EDI_JUNK;
    const char *q = p + 3;
    while (q < t->end && *q == ' ') q++;
    if (q < t->end) {
        unsigned char u = (unsigned char)*q;
        uint8_t c = t->cls[u];
        /* A line break right after a tag is no separator: "SRC\r\nRCI+"
         * would otherwise swallow the next segment. */
        bool ok = c == C_ELEM || c == C_COMP || c == C_TERM ||
                  (c == C_E2 && curly_ends_line(q, t->end));
        if (!ok) return CTW__EDI_JUNK;
    }

    if (t->n_segments >= CTW_MANIFEST_MAX_SEGMENTS) {
        char where[64];
        snprintf(where, sizeof where, "segment %zu at byte %zu", t->n_segments + 1,
                 (size_t)(p - t->data));
        return ctw_error_set(err, CTW_ELIMIT, where, "more than %d segments in one message",
                             CTW_MANIFEST_MAX_SEGMENTS);
    }
    t->n_segments++;
    memcpy(seg->tag, p, 3);
    seg->tag[3] = '\0';
    seg->tag_id = CTW__EDI_TAG(p[0], p[1], p[2]);
    seg->index = t->n_segments;
    seg->offset = (size_t)(p - t->data);
    seg->unterminated = false;
    seg->rel = t->rel;

    const char *stop, *first_nl;
    bool terminated;
    int rc = scan_body(t, seg, q, t->end, &stop, &terminated, &first_nl, err);
    if (rc) return rc;
    if (!terminated) {
        /* The message ends inside this segment. If the segment spans lines,
         * only its first line is taken: what follows is most likely text
         * appended to the message (GTAS pnrBadFormat.txt). */
        seg->unterminated = true;
        if (first_nl) {
            const char *cut = first_nl;
            rc = scan_body(t, seg, q, cut, &stop, &terminated, &first_nl, err);
            if (rc) return rc;
            stop = cut;
        }
    }
    t->pos = stop;
    return CTW__EDI_SEG;
}

const ctw__edi_span *ctw__edi_comp(const ctw__edi_seg *seg, size_t e, size_t c)
{
    if (e >= seg->n_elems || c >= seg->elem_comps[e]) return NULL;
    return &seg->comps[seg->elem_first[e] + c];
}

size_t ctw__edi_text(const ctw__edi_seg *seg, const ctw__edi_span *sp, char *buf, size_t cap)
{
    if (cap == 0) return 0;
    if (!sp) {
        buf[0] = '\0';
        return 0;
    }
    size_t k = 0;
    if (!sp->flags) {
        k = sp->n < cap - 1 ? sp->n : cap - 1;
        memcpy(buf, sp->p, k);
    } else {
        const char *p = sp->p, *end = sp->p + sp->n;
        while (p < end && k + 1 < cap) {
            char ch = *p;
            if (seg->rel && ch == seg->rel && p + 1 < end) {
                buf[k++] = p[1];
                p += 2;
                continue;
            }
            p++;
            if (ch == '\r' || ch == '\n') continue;
            buf[k++] = ch;
        }
    }
    buf[k] = '\0';
    return k;
}

size_t ctw__edi_get(const ctw__edi_seg *seg, size_t e, size_t c, char *buf, size_t cap)
{
    return ctw__edi_text(seg, ctw__edi_comp(seg, e, c), buf, cap);
}

bool ctw__edi_is(const ctw__edi_seg *seg, size_t e, size_t c, const char *s)
{
    char buf[64];
    size_t n = strlen(s);
    if (n >= sizeof buf) return false;
    const ctw__edi_span *sp = ctw__edi_comp(seg, e, c);
    if (!sp) return n == 0;
    size_t k = ctw__edi_text(seg, sp, buf, sizeof buf);
    /* trailing and leading spaces are no part of a code */
    size_t a = 0;
    while (a < k && buf[a] == ' ') a++;
    while (k > a && buf[k - 1] == ' ') k--;
    return k - a == n && memcmp(buf + a, s, n) == 0;
}

size_t ctw__edi_count_tag(const ctw__edi *t, const char *tag)
{
    size_t n = 0;
    const char *p = t->pos, *end = t->end;
    while (end - p >= 4) {
        const char *q = memchr(p, tag[0], (size_t)(end - p - 3));
        if (!q) break;
        if (q[1] == tag[1] && q[2] == tag[2] && q[3] == t->elem) n++;
        p = q + 1;
    }
    return n;
}

int ctw__edi_message_type(const char *data, size_t len, char *buf, size_t cap, ctw_error *err)
{
    ctw__edi t;
    int rc = ctw__edi_init(&t, data, len, err);
    if (rc) return rc;
    ctw__edi_seg seg;
    for (int i = 0; i < 8; i++) {
        rc = ctw__edi_next(&t, &seg, err);
        if (rc < 0) return rc;
        if (rc != CTW__EDI_SEG) return CTW_ENOTFOUND;
        if (strcmp(seg.tag, "UNH") == 0) {
            char tmp[64];
            ctw__edi_get(&seg, 1, 0, tmp, sizeof tmp);
            snprintf(buf, cap, "%s", tmp);
            return 0;
        }
    }
    return CTW_ENOTFOUND;
}
