/* pnrgov.c — PNRGOV (10.1, 11.1, 13.1): Passenger Name Records pushed to
 * authorities, read into bookings and travellers.
 *
 * Owned by the travel module; the contract is ctw_pnrgov_parse() in
 * manifest.h. The message (element positions after the tag, 0-based;
 * "a:b" are components of one element; only what is read is shown):
 *
 *   UNB+IATA:1+DL++101209:2100+020A07'            sender = 1:0
 *   UNH+1+PNRGOV:10:1:IA+F6C2C268+01:C'           ref, version, part (3:0/3:1)
 *   MSG+:22'  ORG+DL:ATL+...'
 *   TVL+121210:0915+LHR+JFK+DL+324'               the flight reported (level 0)
 *   EQN+2'                                        PNRs in the whole push
 *   SRC'                                          ── one PNR from here ──
 *     RCI+DL:MFN4TI::061210:1010'                 locator, its system, created
 *     DAT+700:061210:1010+710:061210:1200'        last change / ticketing date
 *     TIF+SMITHJR+JOHNMR:A:1:1'                   surname + given(+title) :
 *                                                 type (A, C, IN infant) : ref :
 *                                                 travels with an infant
 *       SSR+DOCS:HK::DL:::::/P/GBR/123456789/GBR/12JUL64/M/23AUG19/SMITHJR/JOHN/ROBERT+::1'
 *            free text 0:8 = /type/issuer/number/nationality/birth/sex/expiry/
 *            surname/given/middle; sex MI/FI is an infant's; 1:2 = traveller ref
 *       SSR+DOCO:...:/birthplace/V/number/issue place/issue date/...'
 *       SSR+INFT:...:SURNAME/GIVEN/10AUG11+::1'   an infant on this adult
 *     TVL+121210:0915::1230+LHR+JFK+DL+324:B'     the booking's legs, in order:
 *                                                 dep date:time:arr date:time
 *       SSR+SEAT:HK:2:DL:::LHR:JFK+15A::1+15B::2' seat : : traveller ref
 *       TRI++108:::1'  TIF+SMITHJR+JOHNMR:A:1'  SSD+15A++++Y'   check-in seat
 *     EQN+1'  RCI+DL:ABCDEF'                      a PNR split from this one
 *     ABI+...'  SAC  TIF  TVL  SSR ...            history: not read
 *     LTS+free text'                              not read
 *   UNT+135+1'  UNE  UNZ
 *
 * Line breaks inside segments are folding (the tokenizer drops them), so
 * "SMITHJ\r\nR" reads SMITHJR; a space folded into a name by some senders
 * ("TESTSURNA MEONE") is undone where the TIF spells the same name without
 * it (see merge_names).
 *
 * A traveller comes from a TIF at PNR level; SSR DOCS refine the identity
 * (names from the document win, see merge_names) and add the document; an
 * infant may come from its own TIF, an SSR INFT or an infant's DOCS, and
 * these are joined by name. A TIF in the itinerary (after TRI) names a
 * traveller already known (by reference, else by name) for the seat that
 * follows; an unknown one is added.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "travel/edifact_int.h"
#include "travel/manifest_int.h"

typedef enum { PN_HEADER = 0, PN_PNR, PN_ITIN, PN_HISTORY } pn_ctx;

#define TF_DOCS 1u       /* identity refined by an SSR DOCS */
#define TF_SEAT_SHIFT 1  /* bits 1-3: rank of the seat held + 1 (see give_seat) */
#define TF_SEAT_MASK (7u << TF_SEAT_SHIFT)

/* The names a TIF gave a traveller, before DOCS refined them. */
typedef struct pn_orig {
    const char *surname, *given;
} pn_orig;

typedef struct pn {
    ctw__mb b;
    ctw__edi t;
    ctw__edi_seg seg;
    ctw_error *err;
    char where_buf[96];           /* "segment 14 (NAD) at byte 612", made when needed */
    bool where_ok;
    pn_ctx ctx;
    bool seen_unh, seen_unt, seen_unz, done;
    size_t unh_index;
    long eqn;                     /* EQN at level 0, -1 absent */
    size_t eqn_seg, n_pnrs;
    long bk;                      /* current booking, -1 none */
    size_t first;                 /* first traveller of the current PNR */
    long trav;                    /* last TIF traveller at PNR level */
    long checkin;                 /* traveller of the current TRI group */
    const char *leg_from, *leg_to;/* current itinerary leg */
    long split_left;              /* RCIs still expected after an EQN in a PNR */
    const char *dat700, *dat710;  /* booking date candidates of the PNR */
    pn_orig *orig;
    size_t orig_cap;
} pn;

/* Where the current segment is, for warnings and errors. Formatted only
 * when asked: most segments never need it. */
static const char *where(pn *p)
{
    if (!p->where_ok) {
        ctw__edi_where(&p->seg, p->where_buf, sizeof p->where_buf);
        p->where_ok = true;
    }
    return p->where_buf;
}

/* ---- small helpers --------------------------------------------------------- */

static size_t code(pn *p, size_t e, size_t c, char *buf, size_t cap)
{
    size_t n = ctw__edi_get(&p->seg, e, c, buf, cap);
    while (n > 0 && buf[n - 1] == ' ') buf[--n] = '\0';
    size_t a = 0;
    while (a < n && buf[a] == ' ') a++;
    if (a) memmove(buf, buf + a, n - a + 1);
    return n - a;
}

static const char *str(pn *p, size_t e, size_t c)
{
    return ctw__mb_edi(&p->b, &p->seg, e, c);
}

static const char *text(pn *p, const char *s)
{
    return s ? ctw__mb_text(&p->b, s, strlen(s)) : NULL;
}

static ctw_traveller *tr(pn *p, long i)
{
    return &p->b.m->travellers[i];
}

/* Letters and digits only, upper case: names compared without the spaces
 * and punctuation that folding and senders add or drop. */
static size_t squash(const char *s, char *out, size_t cap)
{
    size_t k = 0;
    for (; s && *s && k + 1 < cap; s++) {
        char c = *s;
        if (c >= 'a' && c <= 'z') c = (char)(c - 'a' + 'A');
        if ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || (unsigned char)c >= 0x80)
            out[k++] = c;
    }
    out[k] = '\0';
    return k;
}

static bool same_squashed(const char *a, const char *b)
{
    char x[256], y[256];
    squash(a, x, sizeof x);
    squash(b, y, sizeof y);
    return x[0] && strcmp(x, y) == 0;
}

static bool first_word_eq(const char *a, const char *b)
{
    if (!a || !b) return true;  /* a missing given name does not disagree */
    char x[128], y[128];
    size_t i = 0, j = 0;
    for (; a[i] && a[i] != ' ' && i + 1 < sizeof x; i++) x[i] = a[i];
    x[i] = '\0';
    for (; b[j] && b[j] != ' ' && j + 1 < sizeof y; j++) y[j] = b[j];
    y[j] = '\0';
    return same_squashed(x, y);
}

static bool name_matches(const char *s1, const char *g1, const char *s2, const char *g2)
{
    return s1 && s2 && same_squashed(s1, s2) && first_word_eq(g1, g2);
}

/* ---- titles ------------------------------------------------------------------ */

/* AIRIMP glues the title to the given name ("JOHNMR"); some senders write it
 * as a word ("NINA MS"). Split it off: given keeps the name, *title gets the
 * title. A glued title is split only where two letters stay before it. */
static void split_title(const char *given, char *name, size_t cap, char *title, size_t tcap)
{
    static const char *const words[] = {"MR", "MRS", "MS", "MISS", "MSTR", "MASTER", "DR", "PROF", "REV"};
    static const char *const glued[] = {"MSTR", "MISS", "MRS", "MR", "MS"};
    snprintf(name, cap, "%s", given ? given : "");
    title[0] = '\0';
    size_t n = strlen(name);
    while (n > 0 && name[n - 1] == ' ') name[--n] = '\0';
    char *sp = strrchr(name, ' ');
    if (sp) {
        for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
            if (strcmp(sp + 1, words[i]) == 0) {
                snprintf(title, tcap, "%s", words[i]);
                *sp = '\0';
                return;
            }
        }
    }
    char *last = sp ? sp + 1 : name;
    size_t ln = strlen(last);
    for (size_t i = 0; i < sizeof glued / sizeof glued[0]; i++) {
        size_t tl = strlen(glued[i]);
        if (ln >= tl + 2 && strcmp(last + ln - tl, glued[i]) == 0) {
            snprintf(title, tcap, "%s", glued[i]);
            last[ln - tl] = '\0';
            return;
        }
    }
}

/* Drop a known title from the end of a DOCS given name ("MOLLYMRS"). */
static void strip_known_title(char *name, const char *title)
{
    if (!title || !*title) return;
    size_t n = strlen(name), tl = strlen(title);
    if (n >= tl + 2 && strcmp(name + n - tl, title) == 0) {
        name[n - tl] = '\0';
        n -= tl;
        while (n > 0 && name[n - 1] == ' ') name[--n] = '\0';
    }
}

/* ---- travellers ------------------------------------------------------------- */

static long add_traveller(pn *p, ctw_traveller_role role)
{
    long i = ctw__mb_add_traveller(&p->b, role, &p->seg, NULL, p->err);
    if (i < 0) return i;
    if ((size_t)i >= p->orig_cap) {
        size_t nc = p->orig_cap ? p->orig_cap * 2 : 64;
        pn_orig *o = realloc(p->orig, nc * sizeof *o);
        if (!o) {
            p->b.nomem = true;
            return ctw_error_set(p->err, CTW_ENOMEM, where(p), "out of memory");
        }
        p->orig = o;
        p->orig_cap = nc;
    }
    p->orig[i].surname = p->orig[i].given = NULL;
    tr(p, i)->booking = p->bk;
    return i;
}

static long find_by_ref(pn *p, const char *ref)
{
    if (!ref || !*ref || p->bk < 0) return -1;
    for (size_t i = p->first; i < p->b.m->n_travellers; i++) {
        const char *r = tr(p, (long)i)->reference;
        if (r && strcmp(r, ref) == 0) return (long)i;
    }
    return -1;
}

/* A traveller of this PNR with this name (current or as the TIF gave it);
 * infants only, or no infants. */
static long find_by_name(pn *p, const char *surname, const char *given, bool infant)
{
    if (!surname) return -1;
    for (size_t i = p->first; i < p->b.m->n_travellers; i++) {
        ctw_traveller *t = tr(p, (long)i);
        if ((t->role == CTW_TRAVELLER_INFANT) != infant) continue;
        if (name_matches(surname, given, t->surname, t->given) ||
            name_matches(surname, given, p->orig[i].surname, p->orig[i].given))
            return (long)i;
    }
    return -1;
}

/* ---- booking ------------------------------------------------------------------ */

static void close_pnr(pn *p)
{
    if (p->bk < 0) return;
    ctw_booking *bk = &p->b.m->bookings[p->bk];
    if (!bk->created) bk->created = p->dat700 ? p->dat700 : p->dat710;
    p->bk = -1;
}

static int open_pnr(pn *p)
{
    close_pnr(p);
    long bi = ctw__mb_add_booking(&p->b, NULL);
    if (bi < 0) return ctw_error_set(p->err, CTW_ENOMEM, where(p), "out of memory");
    p->bk = bi;
    p->first = p->b.m->n_travellers;
    p->trav = p->checkin = -1;
    p->leg_from = p->leg_to = NULL;
    p->split_left = 0;
    p->dat700 = p->dat710 = NULL;
    p->ctx = PN_PNR;
    p->n_pnrs++;
    return 0;
}

/* A PNR segment before any SRC: assume the PNR began. */
static int need_pnr(pn *p)
{
    if (p->bk >= 0) return 0;
    ctw__mb_warn(&p->b, "missing_segment", "%s: %s before any SRC; a PNR is assumed to begin",
                 where(p), p->seg.tag);
    return open_pnr(p);
}

/* ---- TVL ------------------------------------------------------------------------ */

static const char *pnr_date(pn *p, const char *d, const char *t, ctw__date_kind kind, const char *what)
{
    if (!d || !*d) return NULL;
    char iso[20];
    if (!ctw__date_pnr(d, t, kind, iso)) {
        ctw__mb_warn(&p->b, "bad_date", "%s: %s \"%s%s%s\" is no date", where(p), what, d,
                     t && *t ? " " : "", t ? t : "");
        return NULL;
    }
    return text(p, iso);
}

/* Fill a leg from the TVL in p->seg; false when it is no flight (no
 * airports: an operating-carrier TVL "TVL+++++303:Y", or a hotel). */
static bool read_tvl(pn *p, ctw_leg *l, bool fill)
{
    char from[16], to[16];
    code(p, 1, 0, from, sizeof from);
    code(p, 2, 0, to, sizeof to);
    if (!from[0] || !to[0]) return false;
    if (!fill) return true;
    char dd[16], dt[16], ad[16], at[16];
    code(p, 0, 0, dd, sizeof dd);
    code(p, 0, 1, dt, sizeof dt);
    code(p, 0, 2, ad, sizeof ad);
    code(p, 0, 3, at, sizeof at);
    /* "120518:1220:1505": a time where the arrival date belongs */
    if (strlen(ad) == 4 && !at[0]) {
        memcpy(at, ad, sizeof at);
        ad[0] = '\0';
    }
    l->origin = str(p, 1, 0);
    l->destination = str(p, 2, 0);
    l->carrier = str(p, 3, 0);
    l->flight = str(p, 4, 0);
    l->departure = pnr_date(p, dd, dt, CTW__DATE_TRAVEL, "departure");
    if (ad[0]) {
        l->arrival = pnr_date(p, ad, at, CTW__DATE_TRAVEL, "arrival");
    } else if (at[0] && dd[0]) {
        /* same day, or the next when the arrival time is earlier */
        char iso[20];
        if (ctw__date_pnr(dd, at, CTW__DATE_TRAVEL, iso)) {
            if (dt[0] && strcmp(at, dt) < 0 && !ctw__date_next_day(iso)) iso[0] = '\0';
            if (iso[0]) l->arrival = text(p, iso);
        } else {
            ctw__mb_warn(&p->b, "bad_date", "%s: arrival time \"%s\" is no time", where(p), at);
        }
    }
    return true;
}

static void on_tvl(pn *p)
{
    if (p->ctx == PN_HISTORY) return;
    if (p->ctx == PN_HEADER) {
        if (!read_tvl(p, NULL, false)) return;
        ctw_leg *l = ctw__mb_add_leg(&p->b);
        if (l) read_tvl(p, l, true);
        return;
    }
    if (!read_tvl(p, NULL, false)) {
        /* a hotel or car has an origin but no destination: it still opens
         * a segment group, whose seats belong to no flight */
        char from[16];
        if (code(p, 1, 0, from, sizeof from)) {
            p->ctx = PN_ITIN;
            p->leg_from = p->leg_to = NULL;
            p->checkin = -1;
        }
        return;
    }
    ctw_leg *l = ctw__mb_add_booking_leg(&p->b, (size_t)p->bk);
    if (!l) return;
    read_tvl(p, l, true);
    p->ctx = PN_ITIN;
    p->leg_from = l->origin;
    p->leg_to = l->destination;
    p->checkin = -1;
}

/* ---- seats ----------------------------------------------------------------------- */

static bool on_reported_flight(pn *p, const char *from, const char *to)
{
    const ctw_manifest *m = p->b.m;
    if (!m->n_legs || !from || !to) return false;
    for (size_t i = 0; i < m->n_legs; i++)
        if (m->legs[i].origin && m->legs[i].destination && strcmp(m->legs[i].origin, from) == 0 &&
            strcmp(m->legs[i].destination, to) == 0)
            return true;
    return false;
}

/* A traveller has one seat field: the seat on the flight reported wins over
 * seats on other legs, and on the same leg the seat taken at check-in (SSD)
 * wins over the one requested (SSR SEAT); otherwise the first stays. */
static void give_seat(pn *p, long ti, const char *seat, const char *from, const char *to, bool ssd)
{
    if (ti < 0 || !seat) return;
    while (*seat == '0' && seat[1] >= '0' && seat[1] <= '9') seat++;  /* "074E" is 74E */
    if (!*seat || strcmp(seat, "XXX") == 0) return;
    bool digit = false;
    for (const char *s = seat; *s; s++)
        if (*s >= '0' && *s <= '9') digit = true;
    if (!digit) return;  /* ".03BN03AN" and the like are no seat numbers */
    ctw_traveller *t = tr(p, ti);
    unsigned rank = (on_reported_flight(p, from, to) ? 2u : 0u) + (ssd ? 1u : 0u) + 1u;
    unsigned held = (p->b.tflags[ti] & TF_SEAT_MASK) >> TF_SEAT_SHIFT;
    if (rank <= held) return;
    t->seat = text(p, seat);
    p->b.tflags[ti] = (uint8_t)((p->b.tflags[ti] & ~TF_SEAT_MASK) | (rank << TF_SEAT_SHIFT));
}

/* ---- TIF --------------------------------------------------------------------------- */

static int on_tif(pn *p)
{
    if (p->ctx == PN_HISTORY) return 0;
    int rc = need_pnr(p);
    if (rc) return rc;
    char q[8];
    code(p, 0, 1, q, sizeof q);
    if (strcmp(q, "G") == 0) return 0;  /* a group's name, no person */
    const char *surname = str(p, 0, 0);
    size_t ne = p->seg.n_elems > 1 ? p->seg.n_elems : 2;
    for (size_t e = 1; e < ne; e++) {
        char given_raw[256], given[256], title[16], type[8], ref[32];
        code(p, e, 0, given_raw, sizeof given_raw);
        code(p, e, 1, type, sizeof type);
        code(p, e, 2, ref, sizeof ref);
        split_title(given_raw, given, sizeof given, title, sizeof title);
        const char *gv = text(p, given);
        bool infant = strcmp(type, "IN") == 0;
        /* the same traveller again (by reference), a check-in TIF naming
         * a known one, or an infant first met in an SSR */
        long ti = find_by_ref(p, ref);
        if (ti < 0 && (p->ctx == PN_ITIN || infant)) ti = find_by_name(p, surname, gv, infant);
        if (ti < 0) {
            ti = add_traveller(p, infant ? CTW_TRAVELLER_INFANT : CTW_TRAVELLER_PASSENGER);
            if (ti < 0) return (int)ti;
        }
        ctw_traveller *t = tr(p, ti);
        if (!t->surname) t->surname = surname;
        if (!t->given) t->given = gv;
        if (!t->title && title[0]) t->title = text(p, title);
        if (!t->reference && ref[0]) t->reference = text(p, ref);
        if (!p->orig[ti].surname) {
            p->orig[ti].surname = surname;
            p->orig[ti].given = gv;
        }
        if (p->ctx == PN_ITIN) p->checkin = ti;
        else p->trav = ti;
    }
    return 0;
}

/* ---- SSR DOCS / DOCO / INFT -------------------------------------------------------- */

#define DOCS_FIELDS 12

/* Split SSR free text at '/' (one leading '/' skipped) into f[]. */
static size_t split_slash(char *s, char **f, size_t max)
{
    if (*s == '/') s++;
    size_t n = 0;
    while (n < max) {
        f[n++] = s;
        char *sl = strchr(s, '/');
        if (!sl) break;
        *sl = '\0';
        s = sl + 1;
    }
    for (size_t i = 0; i < n; i++) {
        char *x = f[i];
        while (*x == ' ') x++;
        size_t k = strlen(x);
        while (k > 0 && x[k - 1] == ' ') x[--k] = '\0';
        f[i] = x;
    }
    for (size_t i = n; i < max; i++) f[i] = "";
    return n;
}

/* When the DOCS text d holds a space and a name we already have reads the
 * same without it, that name (a or b); else NULL. */
static const char *unfolded(const char *d, const char *a, const char *b)
{
    if (!strchr(d, ' ')) return NULL;
    if (a && !strchr(a, ' ') && same_squashed(d, a)) return a;
    if (b && !strchr(b, ' ') && same_squashed(d, b)) return b;
    if (a && same_squashed(d, a) && strlen(a) < strlen(d)) return a;
    if (b && same_squashed(d, b) && strlen(b) < strlen(d)) return b;
    return NULL;
}

/* DOCS names onto traveller ti. Names from the document win, with one
 * exception: a DOCS name part holding a space where the TIF has the same
 * letters without it keeps the TIF spelling, because that space is most
 * likely folding damage ("TESTSURNA MEONE" for TESTSURNAMEONE). */
static void merge_names(pn *p, long ti, const char *ds, const char *dg, const char *dm)
{
    ctw_traveller *t = tr(p, ti);
    const pn_orig *o = &p->orig[ti];
    if (*ds) {
        const char *keep = unfolded(ds, t->surname, o->surname);
        t->surname = keep ? keep : text(p, ds);
    }
    if (!*dg && !*dm) return;
    char g1[256];
    snprintf(g1, sizeof g1, "%s", dg);
    strip_known_title(g1, t->title);
    const char *first = g1;
    /* only the first given name can be compared: the names we hold may
     * already include the middle one */
    char cur_first[256] = "";
    if (t->given && *dm) {
        snprintf(cur_first, sizeof cur_first, "%s", t->given);
        size_t cl = strlen(cur_first), ml = strlen(dm);
        if (cl > ml + 1 && strcmp(cur_first + cl - ml, dm) == 0 && cur_first[cl - ml - 1] == ' ')
            cur_first[cl - ml - 1] = '\0';
    } else if (t->given) {
        snprintf(cur_first, sizeof cur_first, "%s", t->given);
    }
    const char *keep = unfolded(g1, cur_first[0] ? cur_first : NULL, o->given);
    if (keep) first = keep;
    char full[512];
    if (*first && *dm) snprintf(full, sizeof full, "%s %s", first, dm);
    else snprintf(full, sizeof full, "%s", *first ? first : dm);
    t->given = text(p, full);
}

static void add_document(pn *p, long ti, const char *type, const char *number, const char *issuer,
                         const char *expiry, const char *issued)
{
    if (!*number && !*type) return;
    ctw_traveller *t = tr(p, ti);
    for (size_t i = 0; i < t->n_documents; i++) {
        const ctw_travel_doc *d = &t->documents[i];
        if (same_squashed(d->number, number) &&
            (!d->type || !*type || strcmp(d->type, type) == 0))
            return;  /* the same document again (SSRs repeat per leg) */
    }
    ctw_travel_doc *d = ctw__mb_add_doc(&p->b, (size_t)ti);
    if (!d) return;
    d->type = text(p, type);
    d->number = text(p, number);
    d->issuing_state = text(p, issuer);
    d->expiry = expiry;
    d->issued = issued;
}

/* Whom an SSR is about: its traveller reference, else a name, else (at PNR
 * level) the traveller of the last TIF. -1: nobody known. */
static long ssr_target(pn *p, const char *ref, const char *surname, const char *given, bool infant)
{
    long ti = find_by_ref(p, ref);
    if (ti >= 0 && (tr(p, ti)->role == CTW_TRAVELLER_INFANT) == infant) return ti;
    ti = find_by_name(p, surname, given, infant);
    if (ti >= 0) return ti;
    if (!infant && p->ctx == PN_PNR && p->trav >= 0) {
        ctw_traveller *t = tr(p, p->trav);
        if (!(p->b.tflags[p->trav] & TF_DOCS) || !surname || name_matches(surname, NULL, t->surname, NULL))
            return p->trav;
    }
    return -1;
}

static int on_docs(pn *p, char *ftext, const char *ref)
{
    char *f[DOCS_FIELDS];
    split_slash(ftext, f, DOCS_FIELDS);
    const char *type = f[0], *issuer = f[1], *number = f[2], *nat = f[3], *birth = f[4],
               *sex = f[5], *expiry = f[6], *surname = f[7], *given = f[8], *middle = f[9];
    bool infant = strcmp(sex, "MI") == 0 || strcmp(sex, "FI") == 0;
    long ti = ssr_target(p, ref, *surname ? surname : NULL, *given ? given : NULL, infant);
    if (ti < 0) {
        if (!*surname) return 0;  /* a document of nobody we know */
        ti = add_traveller(p, infant ? CTW_TRAVELLER_INFANT : CTW_TRAVELLER_PASSENGER);
        if (ti < 0) return (int)ti;
    }
    ctw_traveller *t = tr(p, ti);
    /* an infant's DOCS carries the reference of the adult it travels with */
    if (!infant && ref && *ref && !t->reference) t->reference = text(p, ref);
    if (*birth && !t->birth_date) t->birth_date = pnr_date(p, birth, NULL, CTW__DATE_BIRTH, "birth date");
    if (*sex && !t->sex) {
        char c = sex[0];
        t->sex = (c == 'M' || c == 'F' || c == 'X' || c == 'U') ? c : 'U';
    }
    if (*nat && !t->nationality) t->nationality = text(p, nat);
    merge_names(p, ti, surname, given, middle);
    const char *exp = *expiry ? pnr_date(p, expiry, NULL, CTW__DATE_TRAVEL, "document expiry") : NULL;
    add_document(p, ti, type, number, issuer, exp, NULL);
    p->b.tflags[ti] |= TF_DOCS;
    return 0;
}

/* DOCO (other documents, visas): /birthplace/type/number/issue place/issue date/... */
static void on_doco(pn *p, char *ftext, const char *ref)
{
    char *f[DOCS_FIELDS];
    split_slash(ftext, f, DOCS_FIELDS);
    long ti = ssr_target(p, ref, NULL, NULL, false);
    if (ti < 0) return;
    ctw_traveller *t = tr(p, ti);
    if (*f[0] && !t->birth_place) t->birth_place = text(p, f[0]);
    const char *issued = *f[4] ? pnr_date(p, f[4], NULL, CTW__DATE_TRAVEL, "document issue date") : NULL;
    add_document(p, ti, f[1], f[2], f[3], NULL, issued);
}

/* INFT: SURNAME/GIVEN/DDMONYY or SURNAME/GIVEN DDMONYY. */
static int on_inft(pn *p, char *ftext)
{
    char *f[4];
    size_t n = split_slash(ftext, f, 4);
    if (n < 1 || !*f[0]) return 0;
    char given[128], date[16] = "";
    snprintf(given, sizeof given, "%s", n > 1 ? f[1] : "");
    char *sp = strrchr(given, ' ');
    if (sp && (strlen(sp + 1) == 7)) {
        snprintf(date, sizeof date, "%s", sp + 1);
        *sp = '\0';
    }
    if (n > 2 && strlen(f[2]) == 7) snprintf(date, sizeof date, "%s", f[2]);
    long ti = find_by_name(p, f[0], given[0] ? given : NULL, true);
    if (ti < 0) {
        ti = add_traveller(p, CTW_TRAVELLER_INFANT);
        if (ti < 0) return (int)ti;
        tr(p, ti)->surname = text(p, f[0]);
        tr(p, ti)->given = text(p, given);
    }
    ctw_traveller *t = tr(p, ti);
    if (date[0] && !t->birth_date) {
        char iso[20];
        if (ctw__date_pnr(date, NULL, CTW__DATE_BIRTH, iso)) t->birth_date = text(p, iso);
    }
    return 0;
}

static int on_ssr(pn *p)
{
    if (p->ctx == PN_HISTORY || p->ctx == PN_HEADER) return 0;
    char type[8], ref[32];
    code(p, 0, 0, type, sizeof type);
    code(p, 1, 2, ref, sizeof ref);
    bool docs = strcmp(type, "DOCS") == 0, doco = strcmp(type, "DOCO") == 0,
         inft = strcmp(type, "INFT") == 0;
    if (docs || doco || inft) {
        const ctw__edi_span *sp = ctw__edi_comp(&p->seg, 0, 8);
        if (!sp || sp->n == 0) return 0;
        char stackbuf[1024];
        char *buf = sp->n < sizeof stackbuf ? stackbuf : malloc(sp->n + 1);
        if (!buf) {
            p->b.nomem = true;
            return 0;
        }
        ctw__edi_text(&p->seg, sp, buf, sp->n + 1);
        int rc = 0;
        if (docs) rc = on_docs(p, buf, ref);
        else if (doco) on_doco(p, buf, ref);
        else rc = on_inft(p, buf);
        if (buf != stackbuf) free(buf);
        return rc;
    }
    /* seats: SEAT, and the smoking/no-smoking seat requests that carry one */
    if (strcmp(type, "SEAT") && strcmp(type, "NSST") && strcmp(type, "SMST") && strcmp(type, "RQST"))
        return 0;
    char from[16], to[16];
    code(p, 0, 6, from, sizeof from);
    code(p, 0, 7, to, sizeof to);
    for (size_t e = 1; e < p->seg.n_elems; e++) {
        char seat[16], r[32];
        code(p, e, 0, seat, sizeof seat);
        code(p, e, 2, r, sizeof r);
        if (!seat[0] || !r[0]) continue;
        give_seat(p, find_by_ref(p, r), seat, from, to, false);
    }
    return 0;
}

/* ---- RCI, DAT, EQN --------------------------------------------------------------- */

static void on_rci(pn *p)
{
    if (p->ctx == PN_HISTORY || p->bk < 0) return;
    char carrier[16], loc[32], c2[16], c3[16], c4[16];
    code(p, 0, 0, carrier, sizeof carrier);
    code(p, 0, 1, loc, sizeof loc);
    if (p->split_left > 0) {
        p->split_left--;
        ctw__mb_warn(&p->b, "split_pnr",
                     "%s: PNR %s was split from this one; its travellers are in its own PNR",
                     where(p), loc);
        return;
    }
    ctw_booking *bk = &p->b.m->bookings[p->bk];
    if (bk->locator) return;  /* the RCIs of the itinerary repeat it */
    bk->locator = str(p, 0, 1);
    bk->carrier = str(p, 0, 0);
    code(p, 0, 2, c2, sizeof c2);
    code(p, 0, 3, c3, sizeof c3);
    code(p, 0, 4, c4, sizeof c4);
    /* 9916/9994 are components 3 and 4; some senders leave out the
     * control type and send "UA:80F4E3:110318:2220" */
    const char *d = c3, *t = c4;
    size_t n2 = strlen(c2), n3 = strlen(c3);
    if (n2 == 6 && !c4[0] && (n3 == 0 || n3 == 4 || n3 == 6)) {
        d = c2;
        t = c3;
    }
    if (*d) bk->created = pnr_date(p, d, t, CTW__DATE_TRAVEL, "booking date");
}

static void on_dat(pn *p)
{
    if (p->ctx != PN_PNR) return;
    for (size_t e = 0; e < p->seg.n_elems; e++) {
        char q[8], d[16], t[16];
        code(p, e, 0, q, sizeof q);
        code(p, e, 1, d, sizeof d);
        code(p, e, 2, t, sizeof t);
        if (!d[0]) continue;
        if (strcmp(q, "700") == 0 && !p->dat700)
            p->dat700 = pnr_date(p, d, t, CTW__DATE_TRAVEL, "PNR transaction date");
        else if (strcmp(q, "710") == 0 && !p->dat710)
            p->dat710 = pnr_date(p, d, t, CTW__DATE_TRAVEL, "ticketing date");
    }
}

static long number(pn *p, size_t e, size_t c)
{
    char buf[16];
    size_t n = code(p, e, c, buf, sizeof buf);
    if (n == 0 || n > 9) return -1;
    for (size_t i = 0; i < n; i++)
        if (buf[i] < '0' || buf[i] > '9') return -1;
    return strtol(buf, NULL, 10);
}

static void on_eqn(pn *p)
{
    long n = number(p, 0, 0);
    if (p->ctx == PN_HEADER) {
        p->eqn = n;
        p->eqn_seg = p->seg.index;
    } else if (p->ctx != PN_HISTORY && n > 0) {
        p->split_left = n > 99 ? 99 : n;
    }
}

/* ---- envelope -------------------------------------------------------------------- */

static int on_unh(pn *p)
{
    ctw_manifest *m = p->b.m;
    char type[16];
    code(p, 1, 0, type, sizeof type);
    if (strcmp(type, "PNRGOV") != 0)
        return ctw_error_set(p->err, CTW_EPARSE, where(p), "message type is \"%s\", not PNRGOV", type);
    if (p->seen_unh) {
        ctw__mb_warn(&p->b, "several_messages",
                     "%s: a further message in the interchange; its PNRs are added", where(p));
        close_pnr(p);
    } else {
        m->message_ref = str(p, 0, 0);
        char v[16], r[16], buf[48];
        code(p, 1, 1, v, sizeof v);
        code(p, 1, 2, r, sizeof r);
        int n = v[0] || r[0] ? snprintf(buf, sizeof buf, "PNRGOV:%s:%s", v, r)
                             : snprintf(buf, sizeof buf, "PNRGOV");
        m->version = ctw__mb_text(&p->b, buf, (size_t)n);
        char seq[16], mark[8];
        code(p, 3, 0, seq, sizeof seq);
        code(p, 3, 1, mark, sizeof mark);
        if (seq[0]) {
            n = mark[0] ? snprintf(buf, sizeof buf, "%s:%s", seq, mark)
                        : snprintf(buf, sizeof buf, "%s", seq);
            m->part = ctw__mb_text(&p->b, buf, (size_t)n);
            ctw__mb_warn(&p->b, "multi_part",
                         "%s: part %s%s%s of a multi-part message; the other parts hold more PNRs",
                         where(p), seq, mark[0] ? ", marked " : "", mark);
        }
    }
    p->seen_unh = true;
    p->seen_unt = false;
    p->unh_index = p->seg.index;
    p->ctx = PN_HEADER;
    return 0;
}

static void on_unt(pn *p)
{
    long n = number(p, 0, 0);
    size_t have = p->seg.index - p->unh_index + 1;
    if (n < 0)
        ctw__mb_warn(&p->b, "bad_value", "%s: segment count is no number", where(p));
    else if ((size_t)n != have)
        ctw__mb_warn(&p->b, "count_mismatch",
                     "%s: UNT declares %ld segments, the message has %zu (UNH to UNT)", where(p), n,
                     have);
    close_pnr(p);
    p->seen_unt = true;
    p->ctx = PN_HEADER;
}

#define T CTW__EDI_TAG

static int segment(pn *p)
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
    case T('S', 'R', 'C'): return open_pnr(p);
    case T('T', 'I', 'F'): return on_tif(p);
    case T('S', 'S', 'R'): return on_ssr(p);
    case T('T', 'V', 'L'): on_tvl(p); break;
    case T('R', 'C', 'I'):
        if (p->ctx == PN_HEADER) {
            int rc = need_pnr(p);
            if (rc) return rc;
        }
        on_rci(p);
        break;
    case T('D', 'A', 'T'): on_dat(p); break;
    case T('E', 'Q', 'N'): on_eqn(p); break;
    case T('T', 'R', 'I'): p->checkin = -1; break;
    case T('S', 'S', 'D'):
        if (p->ctx == PN_ITIN && p->checkin >= 0) {
            char seat[16];
            code(p, 0, 0, seat, sizeof seat);
            give_seat(p, p->checkin, seat, p->leg_from, p->leg_to, true);
        }
        break;
    case T('A', 'B', 'I'):
        if (p->bk >= 0) p->ctx = PN_HISTORY;
        break;
    case T('U', 'N', 'T'): on_unt(p); break;
    /* segments of PNRGOV that hold nothing for a manifest */
    case T('M', 'S', 'G'): case T('O', 'R', 'G'): case T('I', 'F', 'T'): case T('A', 'D', 'D'):
    case T('E', 'B', 'D'): case T('F', 'T', 'I'): case T('R', 'E', 'F'): case T('F', 'A', 'R'):
    case T('T', 'K', 'T'): case T('M', 'O', 'N'): case T('P', 'T', 'K'): case T('T', 'X', 'D'):
    case T('F', 'O', 'P'): case T('A', 'P', 'D'): case T('R', 'P', 'I'): case T('T', 'R', 'A'):
    case T('T', 'B', 'D'): case T('S', 'A', 'C'): case T('L', 'T', 'S'): case T('E', 'R', 'C'):
    case T('U', 'N', 'E'): case T('C', 'V', 'R'): case T('P', 'T', 'S'): case T('P', 'R', 'E'):
    case T('Q', 'T', 'Y'): case T('F', 'T', 'X'): case T('T', 'R', 'F'): case T('R', 'C', 'V'):
    case T('M', 'E', 'A'):
        break;
    default:
        ctw__mb_warn_unknown(&p->b, tag, where(p));
    }
    return 0;
}

static void final_checks(pn *p)
{
    close_pnr(p);
    if (p->eqn >= 0 && (size_t)p->eqn != p->n_pnrs)
        ctw__mb_warn(&p->b, "count_mismatch",
                     "segment %zu (EQN): declares %ld PNRs, the message holds %zu", p->eqn_seg,
                     p->eqn, p->n_pnrs);
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

int ctw_pnrgov_parse(const char *data, size_t len, ctw_manifest **out, ctw_error *err)
{
    if (!data || !out) return ctw_error_set(err, CTW_EINVAL, NULL, "NULL argument");
    if (len > CTW_MANIFEST_MAX_BYTES)
        return ctw_error_set(err, CTW_ELIMIT, "message", "message of %zu bytes, the limit is %u",
                             len, CTW_MANIFEST_MAX_BYTES);
    pn *p = calloc(1, sizeof *p);
    if (!p) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    p->err = err;
    p->eqn = -1;
    p->bk = p->trav = p->checkin = -1;
    int rc = ctw__mb_init(&p->b, CTW_MANIFEST_PNRGOV);
    if (rc) {
        free(p);
        return ctw_error_set(err, rc, NULL, "out of memory");
    }
    rc = ctw__edi_init(&p->t, data, len, err);
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
        rc = ctw_error_set(err, CTW_EPARSE, "message", "no UNH segment: this is no PNRGOV message");
    if (rc == 0) {
        final_checks(p);
        if (p->b.nomem) rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    }
    free(p->orig);
    if (rc) {
        ctw__mb_abort(&p->b);
        free(p);
        return rc;
    }
    *out = ctw__mb_finish(&p->b);
    free(p);
    return 0;
}
