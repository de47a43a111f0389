/* retention.c — review dates and the real deletion of records (issue 5;
 * see the retention block of store.h). Backend-independent: who may
 * decide, what a reason may hold, and the audit entries live here; the
 * rows move in the backend (sqlite_retention.c).
 *
 * What the audit log keeps of a deleted record: its id (in the entry's
 * records), who, when, and the reason the supervisor gave. The reason is
 * refused when it repeats a name or an identifier number of the record,
 * since the log is never cut and would otherwise keep what was deleted.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ctwatch/access.h"
#include "ctwatch/store.h"
#include "store/store_int.h"

#define BE(s) ctw__store_be(s)
#define IMPL(s) ctw__store_impl(s)

/* Words of a name shorter than this are not looked for in a reason: "Li"
 * or "Abu" would refuse reasons for no good cause. */
#define REASON_NAME_MIN 4

/* May p extend or delete a record of owner? The owner's supervisor, or the
 * operator of the store file through the command line. */
static bool may_decide(const ctw_principal *p, const char *owner)
{
    if (!p || p->scope) return false;
    if (p == ctw_principal_cli()) return true;
    return p->role == CTW_ROLE_SUPERVISOR && p->agency && owner && strcmp(p->agency, owner) == 0;
}

static bool may_list(const ctw_principal *p)
{
    if (!p || p->scope) return false;
    if (p == ctw_principal_cli()) return true;
    /* the list names persons: the agency's readers, not its administrator
     * of users (access.h: agency-admin reads no records) */
    return p->agency && (p->role == CTW_ROLE_SUPERVISOR || p->role == CTW_ROLE_ANALYST);
}

/* "YYYY-MM-DD" of the UTC day `days` from today. */
static void day_from_today(long days, char out[16])
{
    time_t t = time(NULL) + (time_t)days * 86400;
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(out, 16, "%Y-%m-%d", &tm);
}

/* Today + CTW_RETENTION_YEARS; 29 February becomes the 28th. */
static void review_from_today(char out[16])
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    if (tm.tm_mon == 1 && tm.tm_mday == 29) tm.tm_mday = 28;
    tm.tm_year += CTW_RETENTION_YEARS;
    strftime(out, 16, "%Y-%m-%d", &tm);
}

static bool valid_date(const char *d)
{
    if (!d || strlen(d) != 10 || d[4] != '-' || d[7] != '-') return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (d[i] < '0' || d[i] > '9')) return false;
    return true;
}

/* 0 if reason is 1..CTW_RETENTION_REASON_MAX bytes of text (no control
 * characters but newline and tab); CTW_EINVAL with the reason otherwise. */
static int check_reason_text(const char *reason, ctw_error *err)
{
    size_t n = reason ? strnlen(reason, CTW_RETENTION_REASON_MAX + 1) : 0;
    if (n == 0) return ctw_error_set(err, CTW_EINVAL, "reason", "a reason is required");
    if (n > CTW_RETENTION_REASON_MAX)
        return ctw_error_set(err, CTW_EINVAL, "reason", "at most %d bytes", CTW_RETENTION_REASON_MAX);
    bool text = false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)reason[i];
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            return ctw_error_set(err, CTW_EINVAL, "reason", "control characters are not allowed");
        if (c != ' ' && c != '\n' && c != '\t') text = true;
    }
    if (!text) return ctw_error_set(err, CTW_EINVAL, "reason", "a reason is required");
    return 0;
}

static bool word_byte(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 0x80;
}

/* True if the n bytes of word occur in hay as a whole word, ASCII case ignored. */
static bool has_word(const char *hay, const char *word, size_t n)
{
    for (const char *h = hay; *h; h++) {
        if (strncasecmp(h, word, n) != 0) continue;
        bool start = h == hay || !word_byte((unsigned char)h[-1]);
        if (start && !word_byte((unsigned char)h[n])) return true;
    }
    return false;
}

/* True if a word of name of at least REASON_NAME_MIN bytes is a word of reason. */
static bool mentions_name(const char *reason, const char *name)
{
    for (const char *p = name; p && *p;) {
        while (*p && !word_byte((unsigned char)*p)) p++;
        size_t n = 0;
        while (word_byte((unsigned char)p[n])) n++;
        if (n >= REASON_NAME_MIN && has_word(reason, p, n)) return true;
        p += n;
    }
    return false;
}

/* True if number (at least REASON_NAME_MIN bytes) occurs anywhere in reason. */
static bool mentions_number(const char *reason, const char *number)
{
    size_t n = number ? strlen(number) : 0;
    if (n < REASON_NAME_MIN) return false;
    for (const char *h = reason; *h; h++)
        if (strncasecmp(h, number, n) == 0) return true;
    return false;
}

/* CTW_EINVAL if the reason repeats personal data of r: a word of one of
 * its names, or an identifier number. */
static int check_reason_private(const ctw_record *r, const char *reason, ctw_error *err)
{
    for (size_t i = 0; i < r->names.n; i++) {
        const ctw_name *nm = &r->names.v[i];
        if (mentions_name(reason, nm->full) || mentions_name(reason, nm->given) ||
            mentions_name(reason, nm->family) || mentions_name(reason, nm->middle) ||
            mentions_name(reason, nm->patronymic))
            return ctw_error_set(err, CTW_EINVAL, "reason",
                                 "the reason must not repeat the record's names: the audit log keeps it");
    }
    for (size_t i = 0; i < r->identifiers.n; i++)
        if (mentions_number(reason, r->identifiers.v[i].number))
            return ctw_error_set(err, CTW_EINVAL, "reason",
                                 "the reason must not repeat the record's identifiers: the audit log keeps it");
    return 0;
}

/* --- listing --------------------------------------------------------------- */

typedef struct list_ctx {
    const ctw_principal *p;
    ctw_review_fn fn;
    void *ud;
    char *ids;
    size_t len, cap;
    int count;
} list_ctx;

static int append_id(list_ctx *c, const char *id)
{
    size_t n = strlen(id);
    if (c->len + n + 2 > c->cap) {
        size_t cap = c->cap ? c->cap : 1024;
        while (cap < c->len + n + 2) cap *= 2;
        char *p = realloc(c->ids, cap);
        if (!p) return CTW_ENOMEM;
        c->ids = p;
        c->cap = cap;
    }
    if (c->len) c->ids[c->len++] = ',';
    memcpy(c->ids + c->len, id, n + 1);
    c->len += n;
    return 0;
}

static int list_one(void *ud, const ctw_review_item *it, const ctw_restriction *r)
{
    list_ctx *c = ud;
    /* the one access check; an owner reads its own, so this never hides
     * a row today, but no name leaves the store without it */
    if (!it->id || ctw_access_check_owned(c->p, it->owner, r) != CTW_ACCESS_READ) return 0;
    int rc = append_id(c, it->id);
    if (rc != 0) return rc;
    c->count++;
    return c->fn(c->ud, it);
}

int ctw_store_reviews_due(ctw_store *s, const ctw_principal *p, const char *agency, const char *until, int limit,
                          ctw_review_fn fn, void *ud, ctw_error *err)
{
    if (!s || !fn) return ctw_error_set(err, CTW_EINVAL, NULL, "nothing to list with");
    if (!valid_date(until)) return ctw_error_set(err, CTW_EINVAL, "until", "a date YYYY-MM-DD is required");
    if (limit < 1 || limit > CTW_REVIEWS_MAX)
        return ctw_error_set(err, CTW_EINVAL, "limit", "from 1 to %d", CTW_REVIEWS_MAX);
    bool cli = p == ctw_principal_cli();
    if (!may_list(p) || (!cli && agency && strcmp(agency, p->agency) != 0)) {
        char detail[160];
        snprintf(detail, sizeof detail, "list reviews%s%.40s: not a supervisor, analyst or agency administrator of it",
                 agency ? " of " : "", agency ? agency : "");
        if (p) ctw_store_audit(s, p, "review-denied", NULL, detail);
        return ctw_error_set(err, CTW_EACCES, NULL, "only the owner agency's supervisors, analysts and agency "
                                                    "administrators list its reviews");
    }
    list_ctx c = {.p = p, .fn = fn, .ud = ud};
    int rc = BE(s)->review_iterate(IMPL(s), cli ? agency : p->agency, until, limit, list_one, &c);
    if (rc == 0 || c.count > 0) {
        char detail[96];
        snprintf(detail, sizeof detail, "%d records due by %s", c.count, until);
        int arc = ctw_store_audit(s, p, "review-list", c.ids ? c.ids : "", detail);
        if (rc == 0) rc = arc;
    }
    free(c.ids);
    if (rc != 0 && err && err->code == 0) ctw_error_set(err, rc, NULL, "cannot list the reviews: %s", ctw_strerror(rc));
    return rc;
}

/* --- deciding ---------------------------------------------------------------- */

typedef enum { DECIDE_EXTEND, DECIDE_DELETE } decision;

/* Both decisions: load, check p and the reason, act, audit, commit. A
 * refusal of p commits its audit entry only; a bad reason changes nothing. */
static int decide(ctw_store *s, const ctw_principal *p, const char *id, const char *reason, decision what,
                  char new_date[16], ctw_error *err)
{
    if (!s || !p || !id || !*id) return ctw_error_set(err, CTW_EINVAL, NULL, "missing principal or record id");
    int rc = check_reason_text(reason, err);
    if (rc != 0) return rc;
    char rid[80];
    snprintf(rid, sizeof rid, "%.64s", id);   /* outside input, bounded for the audit */
    const char *denied = what == DECIDE_DELETE ? "delete-denied" : "review-denied";
    ctw_record *r = NULL;
    if ((rc = ctw_store_begin(s)) != 0) return ctw_error_set(err, rc, NULL, "cannot start a transaction");
    int lrc = BE(s)->load(IMPL(s), id, &r);
    char detail[CTW_RETENTION_REASON_MAX + 128];
    const char *action = denied;
    if (lrc == CTW_ENOTFOUND || (lrc == 0 && ctw_access_check(p, r) == CTW_ACCESS_DENY)) {
        rc = ctw_error_set(err, CTW_ENOTFOUND, rid, "no such record");
        snprintf(detail, sizeof detail, "%s: no such record", what == DECIDE_DELETE ? "delete" : "extend");
    } else if (lrc != 0) {
        ctw_store_rollback(s);
        return ctw_error_set(err, lrc, rid, "cannot load the record");
    } else if (!may_decide(p, r->owner)) {
        rc = ctw_error_set(err, CTW_EACCES, rid, "only a supervisor of %s may %s this record", r->owner,
                           what == DECIDE_DELETE ? "delete" : "extend");
        snprintf(detail, sizeof detail, "%s: not a supervisor of the owner %s",
                 what == DECIDE_DELETE ? "delete" : "extend", r->owner);
    } else if ((rc = check_reason_private(r, reason, err)) != 0) {
        ctw_record_free(r);
        ctw_store_rollback(s);
        return rc;
    } else if (what == DECIDE_EXTEND) {
        char now[32], date[16];
        ctw_now_iso(now);
        review_from_today(date);
        rc = BE(s)->review_set(IMPL(s), id, date, now);
        snprintf(detail, sizeof detail, "review_date %s -> %s; reason: %s", r->review_date ? r->review_date : "-",
                 date, reason);
        action = "review-extend";
        if (rc == 0 && new_date) memcpy(new_date, date, 16);
    } else {
        rc = BE(s)->record_delete(IMPL(s), id);
        snprintf(detail, sizeof detail, "reason: %s", reason);
        action = "record-delete";
    }
    ctw_record_free(r);
    bool acted = action != denied;
    if (acted && rc != 0) {
        ctw_store_rollback(s);
        return ctw_error_set(err, rc, rid, "cannot %s the record: %s", what == DECIDE_DELETE ? "delete" : "extend",
                             ctw_strerror(rc));
    }
    int arc = ctw_store_audit(s, p, action, rid, detail);
    if (arc == 0) arc = ctw_store_commit(s);
    if (arc != 0) {
        ctw_store_rollback(s);
        return ctw_error_set(err, arc, rid, "cannot write the audit entry");
    }
    return rc;
}

int ctw_store_review_extend(ctw_store *s, const ctw_principal *p, const char *id, const char *reason,
                            char new_date[16], ctw_error *err)
{
    return decide(s, p, id, reason, DECIDE_EXTEND, new_date, err);
}

int ctw_store_record_delete(ctw_store *s, const ctw_principal *p, const char *id, const char *reason,
                            bool *overwritten, ctw_error *err)
{
    if (overwritten) *overwritten = false;
    int rc = decide(s, p, id, reason, DECIDE_DELETE, NULL, err);
    if (rc == 0 && BE(s)->erase_log) {
        bool done = BE(s)->erase_log(IMPL(s)) == 0;
        if (overwritten) *overwritten = done;
    }
    return rc;
}

void ctw_store_review_until(long within_days, char out[16]) { day_from_today(within_days, out); }
