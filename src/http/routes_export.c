/* routes_export.c — GET /api/v1/export: records an agency may read, in
 * FollowTheMoney form, a page at a time.
 *
 * An export is a disclosure (issue 5): it goes through ctw_store_export(),
 * which asks the one access check for every record (hit-only and hidden
 * records are simply absent) and writes one audit entry naming the records
 * handed out. The page is bounded (EXPORT_PAGE_MAX) so a reply's size is.
 */
#include <stdlib.h>
#include <string.h>

#include "ctwatch/import.h"
#include "http/http_int.h"

#define EXPORT_PAGE_DEFAULT 500
#define EXPORT_PAGE_MAX 2000
#define EXPORT_ARG_MAX 128

typedef struct page {
    json_t *entities;
    char last_id[80]; /* id of the last record added: the next page starts after it */
} page;

static int add_line(void *ud, const char *line, size_t len)
{
    page *pg = ud;
    json_t *e = json_loadb(line, len, 0, NULL);
    if (!e || json_array_append_new(pg->entities, e) != 0) return CTW_ENOMEM;
    return 0;
}

static int add_record(void *ud, const ctw_record *r)
{
    page *pg = ud;
    int rc = ctw_ftm_write(r, add_line, pg);
    if (rc == 0) snprintf(pg->last_id, sizeof pg->last_id, "%s", r->id);
    return rc;
}

/* A query argument of at most EXPORT_ARG_MAX printable characters, or NULL. */
static bool arg_ok(const char *v)
{
    if (!v) return true;
    size_t n = strlen(v);
    if (n == 0 || n > EXPORT_ARG_MAX) return false;
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)v[i] < 0x21 || v[i] == 0x7f) return false;
    return true;
}

void ctw__http_get_export(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const char *format = ctw__http_query(rq, "format");
    const char *source = ctw__http_query(rq, "source");
    const char *after = ctw__http_query(rq, "after");
    const char *limit_s = ctw__http_query(rq, "limit");
    if (format && strcmp(format, "ftm") != 0) {
        ctw__http_error(out, 400, "invalid", "\"format\" must be \"ftm\" (FollowTheMoney JSON entities)");
        return;
    }
    if (!arg_ok(source) || !arg_ok(after)) {
        ctw__http_error(out, 400, "invalid", "\"source\" and \"after\" are 1 to 128 printable characters");
        return;
    }
    long limit = EXPORT_PAGE_DEFAULT;
    if (limit_s) {
        char *end = NULL;
        limit = strtol(limit_s, &end, 10);
        if (!*limit_s || *end || limit < 1 || limit > EXPORT_PAGE_MAX) {
            ctw__http_error(out, 400, "invalid", "\"limit\" must be a number from 1 to 2000");
            return;
        }
    }
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) {
        ctw__http_error(out, 500, "internal", "the store cannot be opened");
        return;
    }
    page pg = {.entities = json_array()};
    bool more = false;
    int rc = pg.entities ? ctw_store_export(s, rq->principal, source, after, (size_t)limit, add_record, &pg, &more)
                         : CTW_ENOMEM;
    ctw__http_store_release(srv, s, rc != 0 && rc != CTW_EACCES && rc != CTW_ENOMEM);
    if (rc == CTW_EACCES) {
        json_decref(pg.entities);
        ctw__http_error(out, 403, "forbidden", "only analysts, supervisors and system administrators export records");
        return;
    }
    if (rc != 0) {
        json_decref(pg.entities);
        ctw__http_error(out, 500, "internal", ctw_strerror(rc));
        return;
    }
    out->status = 200;
    out->body = json_pack("{s:s,s:o,s:o}", "format", "ftm", "entities", pg.entities, "next",
                          more ? json_string(pg.last_id) : json_null());
}
