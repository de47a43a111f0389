/* paxlst.c — UN/EDIFACT PAXLST (API passenger and crew lists, D02B/D05B).
 *
 * Owned by the travel module; the contract is ctw_paxlst_parse() in
 * manifest.h. What is read (element positions after the tag, 0-based;
 * "a:b" are components of one element):
 *
 *   UNB+UNOA:4+SENDER:ZZ+RECEIVER+date:time+ref'      sender = 1:0
 *   UNG+PAXLST+SENDER+...'                            sender if UNB had none
 *   UNH+ref+PAXLST:D:02B:UN:IATA+access+01:C'         message_ref, version
 *                                                     "D:02B", part "01:C"
 *   BGM+250'  crew list (every traveller is crew)   BGM+745' passengers
 *   TDT+20+UA0989+++UA'                               a leg: flight, carrier
 *     LOC+125+FRA'  DTM+189:1701271725:201'           departure airport, time
 *     LOC+87+IAD'   DTM+232:1701280710:201'           arrival airport, time
 *     LOC+92+MIA'   (multi-leg: first 92 = from, second = to)
 *   NAD+FL+++SURNAME:GIVEN:GIVEN2'                    traveller: FL/DDU
 *     ATT+2++F'  DTM+329:780706'                      passenger, FM/DDT crew
 *     LOC+178+FRA' LOC+179+IAD'                       embark, debark
 *     LOC+174+GBR' LOC+180+:::Hartford USA'           residence, birth place
 *     NAT+2+GBR'  RFF+AVF:QXGYLO'  RFF+ABO:ref'       nationality, booking,
 *     RFF+SEA:12A'                                    traveller ref, seat
 *     DOC+P:110:111+123456789'                        document type, number
 *       DTM+36:191218'  DTM+182:...'  LOC+91+GBR'     expiry, issue, issuer
 *   CNT+41:8'  CNT+42:206'                            crew / passenger totals
 *   UNT+152+ref'  UNE+1+ref'  UNZ+1+ref'
 *
 * Faults that leave the content readable become warnings: counts in CNT or
 * UNT that disagree with what is there, a part of a multi-part message,
 * unknown segments (once per tag), a last segment without terminator,
 * text after UNZ. No UNH, a segment before UNH, or bytes where a segment
 * tag must be fail with CTW_EPARSE naming segment, tag and byte.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "travel/edifact_int.h"
#include "travel/manifest_int.h"

typedef enum { PX_MESSAGE = 0, PX_LEG, PX_TRAVELLER } px_ctx;

typedef struct px {
    ctw__mb b;
    ctw__edi t;
    ctw__edi_seg seg;
    ctw_error *err;
    char where_buf[96];           /* "segment 14 (NAD) at byte 612", made when needed */
    bool where_ok;
    px_ctx ctx;
    long leg, trav, doc;          /* current leg, traveller, document; -1 none */
    bool crew_list;
    bool seen_unh, seen_unt, seen_unz, done;
    size_t unh_index;
    long cnt41, cnt42;            /* -1 when absent */
    size_t cnt41_seg, cnt42_seg;
} px;

/* Where the current segment is, for warnings and errors. Formatted only
 * when asked: most segments never need it. */
static const char *where(px *p)
{
    if (!p->where_ok) {
        ctw__edi_where(&p->seg, p->where_buf, sizeof p->where_buf);
        p->where_ok = true;
    }
    return p->where_buf;
}

static size_t code(px *p, size_t e, size_t c, char *buf, size_t cap)
{
    size_t n = ctw__edi_get(&p->seg, e, c, buf, cap);
    while (n > 0 && buf[n - 1] == ' ') buf[--n] = '\0';
    size_t a = 0;
    while (a < n && buf[a] == ' ') a++;
    if (a) memmove(buf, buf + a, n - a + 1);
    return n - a;
}

static bool is(px *p, size_t e, size_t c, const char *s)
{
    return ctw__edi_is(&p->seg, e, c, s);
}

static const char *str(px *p, size_t e, size_t c)
{
    return ctw__mb_edi(&p->b, &p->seg, e, c);
}

/* A count such as "0000152"; -1 when it is no number. */
static long count(px *p, size_t e, size_t c)
{
    char buf[32];
    size_t n = code(p, e, c, buf, sizeof buf);
    if (n == 0 || n > 9) return -1;
    for (size_t i = 0; i < n; i++)
        if (buf[i] < '0' || buf[i] > '9') return -1;
    return strtol(buf, NULL, 10);
}

/* "UA0989" → "UA" when TDT names no carrier. */
static const char *carrier_of(px *p, const char *flight)
{
    if (!flight || strlen(flight) < 3) return NULL;
    char a = flight[0], c = flight[1], d = flight[2];
    bool alnum = ((a >= 'A' && a <= 'Z') || (a >= '0' && a <= '9')) &&
                 ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'));
    bool letter = (a >= 'A' && a <= 'Z') || (c >= 'A' && c <= 'Z');
    if (!alnum || !letter || d < '0' || d > '9') return NULL;
    return ctw__mb_text(&p->b, flight, 2);
}

static void date_field(px *p, const char **dst, ctw__date_kind kind, const char *what)
{
    char val[32], fmt[8];
    code(p, 0, 1, val, sizeof val);
    code(p, 0, 2, fmt, sizeof fmt);
    if (!val[0]) return;
    int f = fmt[0] ? (int)strtol(fmt, NULL, 10) : 0;
    char iso[20];
    if (!ctw__date_edifact(val, f, kind, iso)) {
        ctw__mb_warn(&p->b, "bad_date", "%s: %s \"%s\" is no date", where(p), what, val);
        return;
    }
    *dst = ctw__mb_text(&p->b, iso, strlen(iso));
}

/* A location: its code, or its name when no code is sent (LOC+180+:::Hartford USA). */
static const char *location(px *p)
{
    const char *s = str(p, 1, 0);
    return s ? s : str(p, 1, 3);
}

static ctw_traveller *cur(px *p)
{
    return p->trav >= 0 ? &p->b.m->travellers[p->trav] : NULL;
}

static ctw_travel_doc *cur_doc(px *p)
{
    ctw_traveller *t = cur(p);
    return t && p->doc >= 0 ? &t->documents[p->doc] : NULL;
}

static int on_unh(px *p)
{
    ctw_manifest *m = p->b.m;
    char type[16];
    code(p, 1, 0, type, sizeof type);
    if (strcmp(type, "PAXLST") != 0)
        return ctw_error_set(p->err, CTW_EPARSE, where(p), "message type is \"%s\", not PAXLST", type);
    if (p->seen_unh) {
        ctw__mb_warn(&p->b, "several_messages",
                     "%s: a further message in the interchange; its travellers are added", where(p));
    } else {
        m->message_ref = str(p, 0, 0);
        char v[16], r[16], buf[48];
        code(p, 1, 1, v, sizeof v);
        code(p, 1, 2, r, sizeof r);
        if (v[0] || r[0]) {
            int n = snprintf(buf, sizeof buf, "%s:%s", v, r);
            m->version = ctw__mb_text(&p->b, buf, (size_t)n);
        }
        char seq[16], mark[8];
        code(p, 3, 0, seq, sizeof seq);
        code(p, 3, 1, mark, sizeof mark);
        if (seq[0]) {
            int n = mark[0] ? snprintf(buf, sizeof buf, "%s:%s", seq, mark)
                            : snprintf(buf, sizeof buf, "%s", seq);
            m->part = ctw__mb_text(&p->b, buf, (size_t)n);
            ctw__mb_warn(&p->b, "multi_part",
                         "%s: part %s%s%s of a multi-part message; the other parts hold more travellers",
                         where(p), seq, mark[0] ? ", marked " : "", mark);
        }
    }
    p->seen_unh = true;
    p->seen_unt = false;
    p->unh_index = p->seg.index;
    p->ctx = PX_MESSAGE;
    return 0;
}

static void on_unt(px *p)
{
    long n = count(p, 0, 0);
    size_t have = p->seg.index - p->unh_index + 1;
    if (n < 0)
        ctw__mb_warn(&p->b, "bad_value", "%s: segment count is no number", where(p));
    else if ((size_t)n != have)
        ctw__mb_warn(&p->b, "count_mismatch",
                     "%s: UNT declares %ld segments, the message has %zu (UNH to UNT)", where(p), n,
                     have);
    char ref[64];
    code(p, 1, 0, ref, sizeof ref);
    const char *mref = p->b.m->message_ref;
    if (ref[0] && mref && strcmp(ref, mref) != 0)
        ctw__mb_warn(&p->b, "ref_mismatch", "%s: UNT reference \"%s\" is not the UNH's \"%s\"",
                     where(p), ref, mref);
    p->seen_unt = true;
    p->ctx = PX_MESSAGE;
}

static int on_nad(px *p)
{
    char q[8];
    code(p, 0, 0, q, sizeof q);
    bool pax = strcmp(q, "FL") == 0 || strcmp(q, "DDU") == 0;
    bool crew = strcmp(q, "FM") == 0 || strcmp(q, "DDT") == 0;
    if (!pax && !crew) {
        /* MS (the sender's contact) and other parties are no travellers */
        p->ctx = PX_MESSAGE;
        p->trav = -1;
        return 0;
    }
    ctw_traveller_role role = (crew || p->crew_list) ? CTW_TRAVELLER_CREW : CTW_TRAVELLER_PASSENGER;
    long ti = ctw__mb_add_traveller(&p->b, role, &p->seg, NULL, p->err);
    if (ti < 0) return (int)ti;
    p->trav = ti;
    p->doc = -1;
    p->ctx = PX_TRAVELLER;
    ctw_traveller *t = cur(p);
    t->surname = str(p, 3, 0);
    /* given names: the rest of C080 (3036 × 4; the sixth is a format code) */
    char given[512];
    size_t k = 0;
    for (size_t c = 1; c <= 4; c++) {
        char part[256];
        size_t n = code(p, 3, c, part, sizeof part);
        if (n == 0 || k + n + 2 > sizeof given) continue;
        if (k) given[k++] = ' ';
        memcpy(given + k, part, n);
        k += n;
    }
    t->given = ctw__mb_text(&p->b, given, k);
    if (!t->surname && !t->given) t->surname = str(p, 2, 0);  /* C058 free-form name */
    if (!t->surname && !t->given)
        ctw__mb_warn(&p->b, "missing_name", "%s: traveller without a name", where(p));
    return 0;
}

static void on_tdt(px *p)
{
    ctw_leg *l = ctw__mb_add_leg(&p->b);
    if (!l) return;
    p->leg = (long)(p->b.m->n_legs - 1);
    p->ctx = PX_LEG;
    p->trav = -1;
    l->flight = str(p, 1, 0);
    l->carrier = str(p, 4, 0);
    if (!l->carrier) l->carrier = carrier_of(p, l->flight);
}

static void on_loc(px *p)
{
    char q[8];
    code(p, 0, 0, q, sizeof q);
    if (p->ctx == PX_LEG && p->leg >= 0) {
        ctw_leg *l = &p->b.m->legs[p->leg];
        if (strcmp(q, "125") == 0) l->origin = location(p);
        else if (strcmp(q, "87") == 0) l->destination = location(p);
        else if (strcmp(q, "92") == 0) {
            if (!l->origin) l->origin = location(p);
            else l->destination = location(p);
        }
        return;
    }
    ctw_traveller *t = cur(p);
    if (p->ctx != PX_TRAVELLER || !t) return;
    if (strcmp(q, "178") == 0) t->embark = location(p);
    else if (strcmp(q, "179") == 0) t->debark = location(p);
    else if (strcmp(q, "174") == 0) t->residence = location(p);
    else if (strcmp(q, "180") == 0) t->birth_place = location(p);
    else if (strcmp(q, "91") == 0) {
        ctw_travel_doc *d = cur_doc(p);
        if (d) d->issuing_state = location(p);
    }
    /* 22 (customs clearance airport) has no field in ctw_traveller */
}

static void on_dtm(px *p)
{
    char q[8];
    code(p, 0, 0, q, sizeof q);
    if (p->ctx == PX_LEG && p->leg >= 0) {
        ctw_leg *l = &p->b.m->legs[p->leg];
        if (strcmp(q, "189") == 0) date_field(p, &l->departure, CTW__DATE_TRAVEL, "departure");
        else if (strcmp(q, "232") == 0) date_field(p, &l->arrival, CTW__DATE_TRAVEL, "arrival");
        return;
    }
    ctw_traveller *t = cur(p);
    if (p->ctx != PX_TRAVELLER || !t) return;
    if (strcmp(q, "329") == 0) {
        date_field(p, &t->birth_date, CTW__DATE_BIRTH, "birth date");
    } else if (strcmp(q, "36") == 0 || strcmp(q, "182") == 0) {
        ctw_travel_doc *d = cur_doc(p);
        if (!d) return;
        if (q[0] == '3') date_field(p, &d->expiry, CTW__DATE_TRAVEL, "document expiry");
        else date_field(p, &d->issued, CTW__DATE_TRAVEL, "document issue date");
    }
}

static void on_att(px *p)
{
    ctw_traveller *t = cur(p);
    if (p->ctx != PX_TRAVELLER || !t || !is(p, 0, 0, "2")) return;
    char s[8];
    code(p, 2, 0, s, sizeof s);
    if (!s[0]) return;
    if (s[1] == '\0' && (s[0] == 'M' || s[0] == 'F' || s[0] == 'X' || s[0] == 'U')) {
        t->sex = s[0];
    } else {
        t->sex = 'U';
        ctw__mb_warn(&p->b, "bad_value", "%s: sex \"%s\" read as unknown", where(p), s);
    }
}

static void on_rff(px *p)
{
    ctw_traveller *t = cur(p);
    if (p->ctx != PX_TRAVELLER || !t) return;
    char q[8];
    code(p, 0, 0, q, sizeof q);
    if (strcmp(q, "AVF") == 0) {
        const char *loc = str(p, 0, 1);
        if (!loc) return;
        long bi = ctw__mb_booking_for(&p->b, loc);
        if (bi >= 0) t->booking = bi;
    } else if (strcmp(q, "ABO") == 0) {
        t->reference = str(p, 0, 1);
    } else if (strcmp(q, "SEA") == 0) {
        t->seat = str(p, 0, 1);
    }
}

static void on_doc(px *p)
{
    if (p->ctx != PX_TRAVELLER || p->trav < 0) return;
    ctw_travel_doc *d = ctw__mb_add_doc(&p->b, (size_t)p->trav);
    if (!d) return;
    p->doc = (long)cur(p)->n_documents - 1;
    d->type = str(p, 0, 0);
    d->number = str(p, 1, 0);
}

static void on_cnt(px *p)
{
    char q[8];
    code(p, 0, 0, q, sizeof q);
    /* CNT+42:2 as the standard has it; CNT+41+8 is seen too */
    long n = ctw__edi_comp(&p->seg, 0, 1) ? count(p, 0, 1) : count(p, 1, 0);
    if (strcmp(q, "41") == 0) {
        p->cnt41 = n;
        p->cnt41_seg = p->seg.index;
    } else if (strcmp(q, "42") == 0) {
        p->cnt42 = n;
        p->cnt42_seg = p->seg.index;
    }
    p->ctx = PX_MESSAGE;
}

#define T CTW__EDI_TAG

static int segment(px *p)
{
    const char *tag = p->seg.tag;
    ctw_manifest *m = p->b.m;
    p->where_ok = false;
    if (p->seg.unterminated)
        ctw__mb_warn(&p->b, "unterminated_segment", "%s: the message ends without its terminator",
                     where(p));
    if (p->seen_unz) {
        ctw__mb_warn(&p->b, "trailing_data", "%s: data after UNZ is ignored", where(p));
        p->done = true;
        return 0;
    }
    switch (p->seg.tag_id) {
    case T('U', 'N', 'B'):
    case T('U', 'N', 'G'):
        if (!m->sender) m->sender = str(p, 1, 0);
        return 0;
    case T('U', 'N', 'H'):
        return on_unh(p);
    case T('U', 'N', 'Z'):
        p->seen_unz = true;
        return 0;
    }
    if (!p->seen_unh)
        return ctw_error_set(p->err, CTW_EPARSE, where(p), "%s before the message header UNH", tag);
    if (p->seen_unt) {
        if (p->seg.tag_id != T('U', 'N', 'E'))
            ctw__mb_warn(&p->b, "outside_message", "%s: segment between UNT and the next UNH ignored",
                         where(p));
        return 0;
    }
    switch (p->seg.tag_id) {
    case T('N', 'A', 'D'): return on_nad(p);
    case T('T', 'D', 'T'): on_tdt(p); break;
    case T('L', 'O', 'C'): on_loc(p); break;
    case T('D', 'T', 'M'): on_dtm(p); break;
    case T('A', 'T', 'T'): on_att(p); break;
    case T('R', 'F', 'F'): on_rff(p); break;
    case T('D', 'O', 'C'): on_doc(p); break;
    case T('C', 'N', 'T'): on_cnt(p); break;
    case T('U', 'N', 'T'): on_unt(p); break;
    case T('B', 'G', 'M'): p->crew_list = is(p, 0, 0, "250"); break;
    case T('N', 'A', 'T'): {
        ctw_traveller *t = cur(p);
        if (p->ctx == PX_TRAVELLER && t && is(p, 0, 0, "2")) t->nationality = str(p, 1, 0);
        break;
    }
    /* segments a PAXLST may carry that hold nothing for a manifest */
    case T('C', 'O', 'M'): case T('G', 'E', 'I'): case T('F', 'T', 'X'): case T('M', 'E', 'A'):
    case T('Q', 'T', 'Y'): case T('E', 'M', 'P'): case T('C', 'P', 'I'): case T('F', 'I', 'I'):
    case T('U', 'N', 'E'): case T('U', 'N', 'S'): case T('C', 'T', 'A'): case T('E', 'R', 'P'):
    case T('E', 'R', 'C'):
        break;
    default:
        ctw__mb_warn_unknown(&p->b, tag, where(p));
    }
    return 0;
}

static void final_checks(px *p)
{
    ctw_manifest *m = p->b.m;
    size_t crew = 0, pax = 0;
    for (size_t i = 0; i < m->n_travellers; i++) {
        if (m->travellers[i].role == CTW_TRAVELLER_CREW) crew++;
        else pax++;
    }
    if (p->cnt41 >= 0 && (size_t)p->cnt41 != crew)
        ctw__mb_warn(&p->b, "count_mismatch",
                     "segment %zu (CNT): CNT+41 declares %ld crew, the message holds %zu crew and %zu passengers",
                     p->cnt41_seg, p->cnt41, crew, pax);
    if (p->cnt42 >= 0 && (size_t)p->cnt42 != pax)
        ctw__mb_warn(&p->b, "count_mismatch",
                     "segment %zu (CNT): CNT+42 declares %ld passengers, the message holds %zu passengers and %zu crew",
                     p->cnt42_seg, p->cnt42, pax, crew);
    if (!p->seen_unt)
        ctw__mb_warn(&p->b, "missing_segment", "no UNT: the message may have been cut short");
    if (p->t.una_repaired)
        ctw__mb_warn(&p->b, "bad_una", "UNA at byte %zu was damaged and has been read as \"%c%c%c%c%c%c\"",
                     p->t.una_offset, p->t.comp, p->t.elem, p->t.dec, p->t.rel ? p->t.rel : ' ',
                     p->t.rep ? p->t.rep : ' ', p->t.term);
    if (p->t.curly_terminators)
        ctw__mb_warn(&p->b, "curly_quote", "%zu segments end in a typographic apostrophe (U+2019)",
                     p->t.curly_terminators);
}

int ctw_paxlst_parse(const char *data, size_t len, ctw_manifest **out, ctw_error *err)
{
    if (!data || !out) return ctw_error_set(err, CTW_EINVAL, NULL, "NULL argument");
    if (len > CTW_MANIFEST_MAX_BYTES)
        return ctw_error_set(err, CTW_ELIMIT, "message", "message of %zu bytes, the limit is %u",
                             len, CTW_MANIFEST_MAX_BYTES);
    px *p = calloc(1, sizeof *p);
    if (!p) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    p->err = err;
    p->leg = p->trav = p->doc = -1;
    p->cnt41 = p->cnt42 = -1;
    int rc = ctw__mb_init(&p->b, CTW_MANIFEST_PAXLST);
    if (rc) {
        free(p);
        return ctw_error_set(err, rc, NULL, "out of memory");
    }
    rc = ctw__edi_init(&p->t, data, len, err);
    if (rc == 0) ctw__mb_reserve_travellers(&p->b, ctw__edi_count_tag(&p->t, "NAD"));
    while (rc == 0 && !p->done) {
        int r = ctw__edi_next(&p->t, &p->seg, err);
        if (r == CTW__EDI_END) break;
        if (r == CTW__EDI_JUNK) {
            if (p->seen_unz || (p->seen_unt && p->seen_unh)) {
                ctw__mb_warn(&p->b, "trailing_data", "text after the end of the message at byte %zu is ignored",
                             (size_t)(p->t.pos - p->t.data));
                break;
            }
            rc = ctw__edi_junk(&p->t, err);
            break;
        }
        if (r < 0) {
            rc = r;
            break;
        }
        rc = segment(p);
        if (rc == 0 && p->b.nomem) rc = ctw_error_set(err, CTW_ENOMEM, where(p), "out of memory");
    }
    if (rc == 0 && !p->seen_unh)
        rc = ctw_error_set(err, CTW_EPARSE, "message", "no UNH segment: this is no PAXLST message");
    if (rc == 0) {
        final_checks(p);
        if (p->b.nomem) rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    }
    if (rc) {
        ctw__mb_abort(&p->b);
        free(p);
        return rc;
    }
    *out = ctw__mb_finish(&p->b);
    free(p);
    return 0;
}
