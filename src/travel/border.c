/* border.c — screening a whole manifest (see border.h): every traveller's
 * names against the watchlist, every document against the stolen and lost
 * documents, every enabled risk rule; then the movements of those who
 * matched a person of interest and of everyone who travelled with them.
 *
 * The name screening, the document check and the rules each live in their
 * own module; this file only puts a traveller's data into their queries
 * and their answers into one result. It decides no access on its own: name
 * hits come through ctw_match_screen(), document hits through
 * ctw_docindex_check(), both of which apply the access check.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctwatch/border.h"
#include "ctwatch/notice.h"
#include "ctwatch/rules.h"

/* --- rulesets ------------------------------------------------------------ */

struct ctw_ruleset {
    size_t n, cap;
    ctw_rule **rules;
    char **ids;
    int64_t *versions;
};

void ctw_ruleset_free(ctw_ruleset *rs)
{
    if (!rs) return;
    for (size_t i = 0; i < rs->n; i++) {
        ctw_rule_free(rs->rules[i]);
        free(rs->ids[i]);
    }
    free(rs->rules);
    free(rs->ids);
    free(rs->versions);
    free(rs);
}

size_t ctw_ruleset_count(const ctw_ruleset *rs)
{
    return rs ? rs->n : 0;
}

typedef struct load_ctx {
    ctw_ruleset *rs;
    ctw_error *err;
} load_ctx;

static int load_rule(void *ud, const ctw_rule_row *row)
{
    load_ctx *c = ud;
    ctw_ruleset *rs = c->rs;
    if (!row->enabled) return 0;
    if (rs->n == rs->cap) {
        size_t ncap = rs->cap ? rs->cap * 2 : 16;
        ctw_rule **r = realloc(rs->rules, ncap * sizeof *r);
        if (r) rs->rules = r;
        char **ids = realloc(rs->ids, ncap * sizeof *ids);
        if (ids) rs->ids = ids;
        int64_t *v = realloc(rs->versions, ncap * sizeof *v);
        if (v) rs->versions = v;
        if (!r || !ids || !v) return ctw_error_set(c->err, CTW_ENOMEM, NULL, "out of memory");
        rs->cap = ncap;
    }
    ctw_rule *rule = NULL;
    ctw_error perr = {0};
    int rc = ctw_rule_parse_text(row->definition, strlen(row->definition), &rule, &perr);
    if (rc != 0)  /* stored rules were checked when written: a failure is a bug or a newer schema */
        return ctw_error_set(c->err, rc, row->id, "stored rule does not parse: %s: %s", perr.where, perr.message);
    rs->rules[rs->n] = rule;
    rs->ids[rs->n] = strdup(row->id);
    rs->versions[rs->n] = row->version;
    if (!rs->ids[rs->n]) {
        ctw_rule_free(rule);
        return ctw_error_set(c->err, CTW_ENOMEM, NULL, "out of memory");
    }
    rs->n++;
    return 0;
}

int ctw_ruleset_load(ctw_store *s, ctw_ruleset **out, ctw_error *err)
{
    ctw_ruleset *rs = calloc(1, sizeof *rs);
    if (!rs) return ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    load_ctx c = {.rs = rs, .err = err};
    int rc = ctw_store_iterate_rules(s, false, load_rule, &c);
    if (rc != 0) {
        if (err && err->code == 0) ctw_error_set(err, rc, NULL, "loading rules failed: %s", ctw_strerror(rc));
        ctw_ruleset_free(rs);
        return rc;
    }
    *out = rs;
    return 0;
}

/* --- one traveller ------------------------------------------------------------ */

static void set_str(json_t *o, const char *key, const char *v)
{
    if (v && *v) json_object_set_new(o, key, json_string(v));
}

static json_t *leg_json(const ctw_leg *l)
{
    json_t *o = json_object();
    set_str(o, "carrier", l->carrier);
    set_str(o, "flight", l->flight);
    set_str(o, "origin", l->origin);
    set_str(o, "destination", l->destination);
    set_str(o, "departure", l->departure);
    set_str(o, "arrival", l->arrival);
    return o;
}

/* The leg a traveller is on for movements: the message's flight, else the
 * first leg of the traveller's booking. */
static const ctw_leg *traveller_leg(const ctw_manifest *m, const ctw_traveller *t)
{
    if (m->n_legs > 0) return &m->legs[0];
    if (t->booking >= 0 && (size_t)t->booking < m->n_bookings && m->bookings[t->booking].n_legs > 0)
        return &m->bookings[t->booking].legs[0];
    return NULL;
}

static const char *booking_locator(const ctw_manifest *m, const ctw_traveller *t)
{
    return t->booking >= 0 && (size_t)t->booking < m->n_bookings ? m->bookings[t->booking].locator : NULL;
}

/* Append a comma-separated id to the audit list (grown with realloc). */
typedef struct idlist {
    char *buf;
    size_t len, cap;
} idlist;

static void idlist_add(idlist *l, const char *id)
{
    if (!id) return;
    size_t need = l->len + strlen(id) + 2;
    if (need > l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 256;
        while (ncap < need) ncap *= 2;
        char *n = realloc(l->buf, ncap);
        if (!n) return;  /* the entry says less; screening goes on */
        l->buf = n;
        l->cap = ncap;
    }
    l->len += (size_t)snprintf(l->buf + l->len, l->cap - l->len, "%s%s", l->len ? "," : "", id);
}

typedef struct summary {
    size_t alerts, reviews, documents_flagged, rules_fired, movements;
} summary;

static const char *rank_decision(const char *a, const char *b)
{
    static const char *const order[] = {"clear", "review", "alert"};
    int ra = 0, rb = 0;
    for (int i = 0; i < 3; i++) {
        if (strcmp(a, order[i]) == 0) ra = i;
        if (strcmp(b, order[i]) == 0) rb = i;
    }
    return ra >= rb ? a : b;
}

/* The name screening of one traveller, done ahead by screen_all_names. */
typedef struct name_result {
    json_t *hits;   /* array of hits (owned until screen_traveller takes it) */
    json_t *note;   /* why the screening was partial, or NULL */
} name_result;

static void screen_names(const ctw_border *b, const ctw_principal *p, const ctw_traveller *t, name_result *r)
{
    char name[512];
    snprintf(name, sizeof name, "%s%s%s", t->given ? t->given : "", t->given && *t->given ? " " : "",
             t->surname ? t->surname : "");
    json_t *hits = NULL;
    ctw_screen_query q = {
        .name = name, .dob = t->birth_date, .nationality = t->nationality,
        .gender = t->sex == 'M' ? "m" : t->sex == 'F' ? "f" : NULL,
        .document = t->n_documents > 0 ? t->documents[0].number : NULL,
        .schema = "Person", .threshold = b->threshold, .limit = 5,
    };
    ctw_error qerr = {0};
    if (name[0] == '\0' || ctw_match_screen(b->names, p, &q, &hits, &qerr) != 0) {
        /* a traveller whose data the screening refuses (a birth date of
         * 31 February) is screened by name alone, and says so */
        json_decref(hits);
        hits = NULL;
        q.dob = NULL;
        q.nationality = NULL;
        if (name[0] && ctw_match_screen(b->names, p, &q, &hits, &qerr) == 0)
            r->note = json_sprintf("screened by name only: %s", qerr.message);
        else
            r->note = json_string("no name to screen");
    }
    r->hits = hits;
}

typedef struct names_job {
    const ctw_border *b;
    const ctw_principal *p;
    const ctw_manifest *m;
    name_result *res;
    size_t next;    /* the next traveller to take (atomic) */
} names_job;

static void *names_worker(void *arg)
{
    names_job *j = arg;
    for (;;) {
        size_t i = __atomic_fetch_add(&j->next, 1, __ATOMIC_RELAXED);
        if (i >= j->m->n_travellers) break;
        screen_names(j->b, j->p, &j->m->travellers[i], &j->res[i]);
    }
    return NULL;
}

/* Screen every traveller's names on up to MAX_NAME_THREADS threads: the
 * index is shared read-only and each screening is independent, so a
 * flight's answer comes as soon as the cores allow. Small manifests stay on
 * the calling thread. */
#define MAX_NAME_THREADS 4
#define MIN_PER_THREAD 16

static void screen_all_names(const ctw_border *b, const ctw_principal *p, const ctw_manifest *m, name_result *res)
{
    names_job j = {.b = b, .p = p, .m = m, .res = res};
    long cores = sysconf(_SC_NPROCESSORS_ONLN);
    size_t extra = cores > 1 ? (size_t)cores - 1 : 0;
    if (extra > MAX_NAME_THREADS - 1) extra = MAX_NAME_THREADS - 1;
    if (extra > m->n_travellers / MIN_PER_THREAD) extra = m->n_travellers / MIN_PER_THREAD;
    pthread_t th[MAX_NAME_THREADS];
    size_t started = 0;
    for (size_t k = 0; k < extra; k++)
        if (pthread_create(&th[started], NULL, names_worker, &j) == 0) started++;
    names_worker(&j);  /* the caller works too; a thread that failed to start is not needed */
    for (size_t k = 0; k < started; k++) pthread_join(th[k], NULL);
}

static int screen_traveller(const ctw_border *b, const ctw_principal *p, const ctw_manifest *m, size_t i,
                            name_result *pre, json_t **out, const char **best_record, double *best_score,
                            idlist *ids, summary *sum, ctw_error *err)
{
    const ctw_traveller *t = &m->travellers[i];
    json_t *o = json_object();
    json_object_set_new(o, "index", json_integer((json_int_t)i));
    json_object_set_new(o, "role", json_string(ctw_traveller_role_name(t->role)));
    set_str(o, "surname", t->surname);
    set_str(o, "given", t->given);
    set_str(o, "birth_date", t->birth_date);
    if (t->sex) json_object_set_new(o, "sex", json_sprintf("%c", t->sex));
    set_str(o, "nationality", t->nationality);
    set_str(o, "residence", t->residence);
    set_str(o, "embark", t->embark);
    set_str(o, "debark", t->debark);
    set_str(o, "seat", t->seat);
    set_str(o, "booking", booking_locator(m, t));
    const char *decision = "clear";
    *best_record = NULL;
    *best_score = 0;

    /* names: screened before, in parallel (screen_all_names) */
    json_t *hits = pre->hits;
    pre->hits = NULL;
    if (pre->note) json_object_set_new(o, "note", pre->note);
    pre->note = NULL;
    if (!hits) hits = json_array();
    /* each hit's strongest notice, where p may read the record (notice.h) */
    int nrc = ctw_match_annotate_notices(b->names, b->store, p, hits);
    if (nrc != 0) {
        json_decref(hits);
        json_decref(o);
        return ctw_error_set(err, nrc, NULL, "cannot read the hits' notices: %s", ctw_strerror(nrc));
    }
    size_t k;
    json_t *h;
    json_array_foreach(hits, k, h) {
        const char *d = json_string_value(json_object_get(h, "decision"));
        if (d && strcmp(d, "below") != 0) decision = rank_decision(decision, d);
        idlist_add(ids, json_string_value(json_object_get(h, "record")));
        const char *nid = json_string_value(json_object_get(json_object_get(h, "notice"), "id"));
        if (nid) idlist_add(ids, nid);  /* the notice shown is audited with the screening */
        double sc = json_number_value(json_object_get(h, "score"));
        if (d && strcmp(d, "alert") == 0 && sc > *best_score) {
            *best_score = sc;
            *best_record = json_string_value(json_object_get(h, "record"));
        }
    }
    json_object_set_new(o, "hits", hits);

    /* documents */
    json_t *docs = json_array();
    for (size_t d = 0; d < t->n_documents; d++) {
        const ctw_travel_doc *td = &t->documents[d];
        json_t *dj = json_object();
        set_str(dj, "type", td->type);
        set_str(dj, "number", td->number);
        set_str(dj, "issuing_state", td->issuing_state);
        set_str(dj, "expiry", td->expiry);
        if (b->documents && td->number && td->issuing_state) {
            ctw_doc_query dq = {.state = td->issuing_state, .number = td->number, .type = td->type};
            json_t *res = NULL;
            ctw_error derr = {0};
            int rc = ctw_docindex_check(b->documents, b->store, p, &dq, &res, &derr);
            if (rc == 0) {
                const char *st = json_string_value(json_object_get(res, "status"));
                json_object_set_new(dj, "status", json_string(st));
                json_t *dh = json_object_get(res, "hits");
                if (json_array_size(dh) > 0) {
                    json_object_set(dj, "hits", dh);
                    size_t j;
                    json_t *x;
                    json_array_foreach(dh, j, x) idlist_add(ids, json_string_value(json_object_get(x, "document")));
                    decision = "alert";
                    sum->documents_flagged++;
                }
                json_decref(res);
            } else if (rc == CTW_EINVAL) {
                json_object_set_new(dj, "status", json_string("unchecked"));
                json_object_set_new(dj, "note", json_string(derr.message));
            } else {
                json_decref(dj);
                json_decref(docs);
                json_decref(o);
                return ctw_error_set(err, rc, derr.where, "%s", derr.message);
            }
        } else {
            json_object_set_new(dj, "status", json_string("unchecked"));
        }
        json_array_append_new(docs, dj);
    }
    json_object_set_new(o, "documents", docs);

    /* rules */
    json_t *fired = json_array();
    for (size_t r = 0; b->rules && r < b->rules->n; r++) {
        json_t *matched = NULL;
        int rc = ctw_rule_eval(b->rules->rules[r], m, i, &matched);
        if (rc < 0) {
            json_decref(fired);
            json_decref(o);
            return ctw_error_set(err, rc, b->rules->ids[r], "rule evaluation failed: %s", ctw_strerror(rc));
        }
        if (rc == 1) {
            json_t *f = json_object();
            json_object_set_new(f, "rule", json_string(b->rules->ids[r]));
            json_object_set_new(f, "version", json_integer(b->rules->versions[r]));
            json_object_set_new(f, "name", json_string(ctw_rule_name(b->rules->rules[r])));
            const char *sev = ctw_rule_severity(b->rules->rules[r]);
            json_object_set_new(f, "severity", json_string(sev));
            json_object_set_new(f, "matched", matched ? matched : json_array());
            json_array_append_new(fired, f);
            sum->rules_fired++;
            decision = rank_decision(decision, strcmp(sev, "high") == 0 ? "alert" : "review");
        }
    }
    json_object_set_new(o, "rules", fired);
    json_object_set_new(o, "decision", json_string(decision));
    if (strcmp(decision, "alert") == 0) sum->alerts++;
    else if (strcmp(decision, "review") == 0) sum->reviews++;
    *out = o;
    return 0;
}

/* --- movements --------------------------------------------------------------- */

static void fill_movement(ctw_movement *mv, const ctw_manifest *m, const ctw_traveller *t, const char *agency,
                          const char *now)
{
    const ctw_leg *leg = traveller_leg(m, t);
    memset(mv, 0, sizeof *mv);
    mv->surname = t->surname;
    mv->given = t->given;
    mv->birth_date = t->birth_date;
    mv->nationality = t->nationality;
    if (t->n_documents > 0) {
        mv->doc_type = t->documents[0].type;
        mv->doc_number = t->documents[0].number;
        mv->doc_state = t->documents[0].issuing_state;
    }
    if (leg) {
        mv->carrier = leg->carrier;
        mv->flight = leg->flight;
        mv->origin = t->embark ? t->embark : leg->origin;
        mv->destination = t->debark ? t->debark : leg->destination;
        mv->departure = leg->departure;
        mv->arrival = leg->arrival;
    }
    mv->booking = booking_locator(m, t);
    mv->source = ctw_manifest_format_name(m->format);
    mv->message_ref = m->message_ref;
    mv->agency = agency;
    mv->recorded = now;
}

static bool same_str(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* Record the matched travellers and everyone who flew with them. */
static int record_movements(const ctw_border *b, const ctw_principal *p, const ctw_manifest *m,
                            const char **best, const double *score, summary *sum)
{
    size_t n = m->n_travellers, matched = 0;
    for (size_t i = 0; i < n; i++) matched += best[i] != NULL;
    if (matched == 0) return 0;
    int64_t *seq = calloc(n, sizeof *seq);
    if (!seq) return CTW_ENOMEM;
    char now[32];
    ctw_now_iso(now);
    const char *agency = p->agency ? p->agency : "LOCAL";
    int rc = ctw_store_begin(b->store);
    for (size_t i = 0; rc == 0 && i < n; i++) {
        const ctw_traveller *t = &m->travellers[i];
        ctw_movement mv;
        fill_movement(&mv, m, t, agency, now);
        char sex[2] = {t->sex, '\0'};
        mv.sex = t->sex ? sex : NULL;
        mv.person = best[i];
        mv.reason = best[i] ? "match" : "co-traveller";
        mv.score = best[i] ? score[i] : 0;
        rc = ctw_store_add_movement(b->store, p, &mv, &seq[i]);
        if (rc == 0) sum->movements++;
    }
    /* link every matched traveller to each companion: the same booking
     * where they share one, otherwise the same flight */
    for (size_t i = 0; rc == 0 && i < n; i++) {
        if (!best[i]) continue;
        const ctw_traveller *ti = &m->travellers[i];
        const ctw_leg *leg = traveller_leg(m, ti);
        for (size_t j = 0; rc == 0 && j < n; j++) {
            if (j == i) continue;
            const ctw_traveller *tj = &m->travellers[j];
            bool booking = same_str(booking_locator(m, ti), booking_locator(m, tj));
            rc = ctw_store_add_link(b->store, seq[i], seq[j], booking ? "same-booking" : "same-flight",
                                    leg ? leg->departure : NULL, ctw_manifest_format_name(m->format));
        }
    }
    if (rc == 0) rc = ctw_store_commit(b->store);
    else ctw_store_rollback(b->store);
    free(seq);
    return rc;
}

int ctw_manifest_screen(const ctw_border *b, const ctw_principal *p, const ctw_manifest *m, json_t **out,
                        char **audit_records, ctw_error *err)
{
    if (!b || !b->names || !b->store || !p || !m || !out)
        return ctw_error_set(err, CTW_EINVAL, NULL, "manifest screening needs an index, a store and a manifest");
    json_t *res = json_object(), *travellers = json_array();
    const char **best = calloc(m->n_travellers + 1, sizeof *best);
    double *score = calloc(m->n_travellers + 1, sizeof *score);
    idlist ids = {0};
    summary sum = {0};
    int rc = res && travellers && best && score ? 0 : ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    json_t **rows = calloc(m->n_travellers + 1, sizeof *rows);
    if (!rows && rc == 0) rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    name_result *names = calloc(m->n_travellers + 1, sizeof *names);
    if (!names && rc == 0) rc = ctw_error_set(err, CTW_ENOMEM, NULL, "out of memory");
    if (rc == 0) screen_all_names(b, p, m, names);
    for (size_t i = 0; rc == 0 && i < m->n_travellers; i++)
        rc = screen_traveller(b, p, m, i, &names[i], &rows[i], &best[i], &score[i], &ids, &sum, err);
    for (size_t i = 0; names && i < m->n_travellers; i++) {  /* what a failure left unclaimed */
        json_decref(names[i].hits);
        json_decref(names[i].note);
    }
    free(names);
    if (rc == 0 && b->record_movements) {
        rc = record_movements(b, p, m, best, score, &sum);
        if (rc != 0) ctw_error_set(err, rc, NULL, "recording movements failed: %s", ctw_strerror(rc));
    }
    for (size_t i = 0; rows && i < m->n_travellers; i++) {
        if (rows[i] && rc == 0) json_array_append_new(travellers, rows[i]);
        else json_decref(rows[i]);
    }
    free(rows);
    free(best);
    free(score);
    if (rc != 0) {
        json_decref(res);
        json_decref(travellers);
        free(ids.buf);
        return rc;
    }
    json_object_set_new(res, "format", json_string(ctw_manifest_format_name(m->format)));
    set_str(res, "version", m->version);
    set_str(res, "message_ref", m->message_ref);
    json_object_set_new(res, "flight", m->n_legs > 0 ? leg_json(&m->legs[0]) : json_null());
    json_t *legs = json_array();
    for (size_t i = 0; i < m->n_legs; i++) json_array_append_new(legs, leg_json(&m->legs[i]));
    json_object_set_new(res, "legs", legs);
    json_object_set_new(res, "travellers", travellers);
    json_t *warnings = json_array();
    for (size_t i = 0; i < m->n_warnings; i++) {
        json_t *w = json_object();
        set_str(w, "code", m->warnings[i].code);
        set_str(w, "message", m->warnings[i].message);
        json_array_append_new(warnings, w);
    }
    json_object_set_new(res, "warnings", warnings);
    json_t *s = json_object();
    json_object_set_new(s, "travellers", json_integer((json_int_t)m->n_travellers));
    json_object_set_new(s, "alerts", json_integer((json_int_t)sum.alerts));
    json_object_set_new(s, "review", json_integer((json_int_t)sum.reviews));
    json_object_set_new(s, "documents_flagged", json_integer((json_int_t)sum.documents_flagged));
    json_object_set_new(s, "rules_fired", json_integer((json_int_t)sum.rules_fired));
    json_object_set_new(s, "movements_recorded", json_integer((json_int_t)sum.movements));
    json_object_set_new(s, "rules_evaluated", json_integer((json_int_t)ctw_ruleset_count(b->rules)));
    json_object_set_new(res, "summary", s);
    *out = res;
    if (audit_records) *audit_records = ids.buf;
    else free(ids.buf);
    return 0;
}
