/* hit.h — hits and their follow-up (issue 5, DESIGN.md §4–5).
 *
 * A hit is made when a screening by agency A (a person, a document, a
 * manifest) gives an alert on a record or document owned by agency B ≠ A
 * that A may read or only know of. Both agencies see it; the owner
 * confirms it or marks it a false match, then closes it; both exchange
 * messages on it; every step is an event with its time.
 *
 *   pending --confirm--> confirmed   --close--> closed
 *           --false-match--> false-match --close--> closed
 *
 * Hits are written with the screening's audit entry, in the same group
 * commit (ctw_audit_writer_append_hits, store.h): the answer naming the
 * hit goes out only once the hit and the entry are on disk. The command
 * line's screening acts as the local operator and makes no hits.
 *
 * Every read and write below goes through the access rule of hits — only
 * the two agencies of a hit know it exists (others get CTW_ENOTFOUND) —
 * and appends an audit entry.
 */
#ifndef CTWATCH_HIT_H
#define CTWATCH_HIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "ctwatch/access.h"
#include "ctwatch/store.h"

#define CTW_HIT_ID_SIZE 24      /* "H-" + 20 hex digits + NUL, rounded */
#define CTW_HIT_TEXT_MAX 4000   /* bytes of a message */
#define CTW_HIT_NOTE_MAX 1000   /* bytes of a state change's note */
#define CTW_HIT_LIST_MAX 500    /* hits in one list */

/* A hit to be written (the screening side). Strings are borrowed: they must
 * outlive the call that writes the hit. */
typedef struct ctw_hit_new {
    char id[CTW_HIT_ID_SIZE];   /* "H-…", from ctw_hit_make_id() */
    const char *kind;           /* "person", "document" or "manifest" */
    const char *owner;          /* agency owning the record or document */
    const char *record;         /* record id, or NULL */
    const char *document;       /* "doc:<ref>", or NULL */
    const char *name;           /* best matching name the checker was shown, or NULL (hit-only) */
    const char *query;          /* JSON text of what was screened */
    double score;               /* 1 for a document */
    const char *decision;       /* "alert" */
    const char *notice_id, *notice_kind, *notice_action;  /* the screening hit's "notice", or NULL */
} ctw_hit_new;

/* Hits found in one request's screening results. Owns the query texts. */
typedef struct ctw_hit_batch {
    ctw_hit_new *v;
    size_t n, cap;
    char **owned;               /* strings the batch frees */
    size_t n_owned, cap_owned;
} ctw_hit_batch;

void ctw_hit_batch_init(ctw_hit_batch *b);
void ctw_hit_batch_free(ctw_hit_batch *b);

/* A fresh hit id into id: "H-" and 20 lower-case hex digits: 8 of the
 * creation second (ctw_clock_now), 4 of a counter of the process, 8
 * random. Ids made one after the other sort in that order. */
void ctw_hit_make_id(char id[CTW_HIT_ID_SIZE]);

/* Walk the hits of one screening answer (an array as ctw_match_screen or
 * ctw_docindex_check give it) as seen by p, and add to b a hit for each
 * that is an alert (every document hit is one) on something owned by
 * another agency than p's; that screening hit gains "hit":"H-…". query is
 * what was screened (copied as text); kind "person", "document" or
 * "manifest". A principal without an agency (the command line) makes no
 * hits. 0 or CTW_ENOMEM (b then keeps what it had). */
int ctw_hit_collect(ctw_hit_batch *b, const ctw_principal *p, const char *kind, json_t *query, json_t *hits);

/* The same for a manifest answer {"travellers":[{...,"hits":[..],
 * "documents":[{...,"hits":[..]}]}]}: kind "manifest", the query is the
 * traveller (name, birth date, nationality, flight) and, for a document
 * hit, the document. */
int ctw_hit_collect_manifest(ctw_hit_batch *b, const ctw_principal *p, json_t *answer);

/* Write h as found by checker: the hit and its "created" event. Must run
 * inside a transaction (the audit writer's); no audit entry here: the
 * screening's entry names the hit. *seq (may be NULL) gets the hit's seq. */
int ctw_store_hit_insert(ctw_store *s, const ctw_principal *checker, const ctw_hit_new *h, const char *now,
                         int64_t *seq);

/* ctw_audit_writer_append (store.h) with hits: the n hits (found by p) are
 * written in the same transaction as the entry, and the call returns once
 * both are on disk (0) or neither is (CTW_ESTORE). hits are borrowed until
 * the call returns. */
int ctw_audit_writer_append_hits(ctw_audit_writer *w, const ctw_principal *p, const char *action,
                                 const char *records, const char *detail, const ctw_hit_new *hits, size_t n);
/* The same without waiting, for a server that answers many connections on
 * few threads and must not hold one of them through a commit. The caller
 * fills a job and keeps it, and all it points to, until the writer's
 * thread calls job->done(job, rc): 0 once the entry and its hits are on
 * disk, CTW_ESTORE when neither is. done() must not block; after it
 * returns the writer never touches the job again. ctw_audit_writer_submit
 * returns 0 when the job is queued; otherwise (CTW_EINVAL: no principal,
 * action or done; CTW_EIO: the writer is stopping) done() is never
 * called. */
typedef struct ctw_audit_job ctw_audit_job;
struct ctw_audit_job {
    const ctw_principal *p;
    const char *action, *records, *detail;
    const ctw_hit_new *hits;   /* n_hits of them, or NULL */
    size_t n_hits;
    void (*done)(ctw_audit_job *job, int rc);
    ctw_audit_job *next;       /* the writer's queue */
};
int ctw_audit_writer_submit(ctw_audit_writer *w, ctw_audit_job *job);
/* fn(ud) is called by the writer's thread after each commit that wrote
 * hits (a server wakes its streams). Set it before the first append. */
void ctw_audit_writer_on_hits(ctw_audit_writer *w, void (*fn)(void *ud), void *ud);

/* What ctw_store_hits_list passes on: NULL or 0 fields match all. */
typedef struct ctw_hit_filter {
    const char *state;          /* "pending", "confirmed", "false-match", "closed" */
    const char *side;           /* "owner" (hits on what p's agency owns) or "checker" */
    int64_t after;              /* > 0: hits with a seq above it */
    int limit;                  /* 1..CTW_HIT_LIST_MAX; 0: 50 */
} ctw_hit_filter;

/* The hits of p's agency (either side unless f->side), newest first, as
 * {"hits":[hit JSON without events and messages]} in *out (a new
 * reference). Audited ("hit-list"). CTW_EINVAL for a bad filter. */
int ctw_store_hits_list(ctw_store *s, const ctw_principal *p, const ctw_hit_filter *f, json_t **out);

/* Hit id as p sees it, with its events and messages. Audited ("hit-read").
 * CTW_ENOTFOUND when there is no such hit or p's agency is neither side. */
int ctw_store_hit_get(ctw_store *s, const ctw_principal *p, const char *id, json_t **out);

/* The owner's decision: event "confirmed", "false-match" (from pending)
 * or "closed" (from confirmed or false-match), with an optional note. In
 * its own transaction, audited ("hit-confirmed", ...). CTW_ENOTFOUND as
 * above; CTW_EACCES unless p is an officer, analyst or supervisor of the
 * owner agency; CTW_ECONFLICT in the wrong state; CTW_EINVAL for a bad
 * event or note. *out (may be NULL) gets the hit as p now sees it. A
 * refusal changes nothing. */
int ctw_store_hit_decide(ctw_store *s, const ctw_principal *p, const char *id, const char *event,
                         const char *note, json_t **out);

/* A message from p (either agency; officer, analyst or supervisor) on hit
 * id: 1..CTW_HIT_TEXT_MAX bytes, not only blanks. Own transaction, with a
 * "message" event; audited ("hit-message"). *out gets the message JSON
 * {"seq","time","user","agency","text"}. */
int ctw_store_hit_message(ctw_store *s, const ctw_principal *p, const char *id, const char *text, json_t **out);

/* Events of hits of p's agency after event seq `after`, oldest first, at
 * most max: fn(ud, seq, event, hit) with event "created", "confirmed",
 * "false-match", "closed" or "message" and hit the hit JSON (without
 * events and messages, valid during the call). *last (may be NULL) gets
 * the seq to resume after: the last event looked at, whoever's. One audit
 * entry ("hit-stream") names the hits passed on, if any, appended through
 * w (group commit) when w is given, else to s; fn should only buffer what
 * it is given until this returns 0, for a failure of the entry is
 * returned. */
typedef int (*ctw_hit_event_fn)(void *ud, int64_t seq, const char *event, json_t *hit);
int ctw_store_hit_events(ctw_store *s, ctw_audit_writer *w, const ctw_principal *p, int64_t after, int max,
                         ctw_hit_event_fn fn, void *ud, int64_t *last);

/* The newest event seq of all hits (0 when none): no personal data, no
 * audit. Servers poll it to notice hits written by another process. */
int ctw_store_hit_last_event(ctw_store *s, int64_t *seq);

#endif
