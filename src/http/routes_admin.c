/* routes_admin.c — retention and administration over the API (issue 5).
 *
 *   GET    /api/v1/reviews?within=DAYS&limit=N    records of the caller's agency due for review
 *   POST   /api/v1/records/{id}/review             {"decision":"extend","reason"}: five more years
 *   DELETE /api/v1/records/{id}                    {"reason"}: the record is deleted for real
 *   GET, POST /api/v1/agencies                     agencies; a new one (system administrator)
 *   GET, POST /api/v1/users                        users the caller may manage; a new one
 *   PUT    /api/v1/users/{name}                    {"role","enabled"}
 *   POST   /api/v1/users/{name}/password           {"password"}
 *   POST   /api/v1/users/{name}/totp               enrol TOTP: the otpauth URI, shown once
 *   GET, POST /api/v1/keys                         API keys of border systems; a new one
 *   DELETE /api/v1/keys/{id}                       revoke a key
 *
 * Who may do what is decided by the library, never here: the store's
 * retention functions (store.h) and src/auth/auth.c, which also write the
 * audit entries, refusals included. This file checks the shape of each
 * body (at most ADMIN_BODY_MAX bytes, an object with known keys of the
 * right types: 413 or 400 before anything is read or written) and maps
 * the library's codes to statuses. Nothing answered holds a password
 * hash, a TOTP secret other than the one just enrolled, or a key other
 * than the one just made.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "ctwatch/auth.h"
#include "ctwatch/store.h"
#include "http/http_int.h"

/* Every body here is a few short fields; a reason is at most 1 KiB. */
#define ADMIN_BODY_MAX (16 * 1024)
#define REVIEWS_DEFAULT_LIMIT 1000
#define REVIEWS_WITHIN_MAX 36500   /* days: a hundred years */
#define ID_MAX 64

static const char records_prefix[] = "/api/v1/records/";
static const char users_prefix[] = "/api/v1/users/";
static const char keys_prefix[] = "/api/v1/keys/";

/* --- small helpers ------------------------------------------------------------ */

static bool method_is(const ctw__http_request *rq, const char *m) { return strcmp(rq->method, m) == 0; }
static bool is_get(const ctw__http_request *rq) { return method_is(rq, "GET") || method_is(rq, "HEAD"); }

static void not_allowed(ctw__http_reply *out, const char *allow)
{
    char msg[96];
    snprintf(msg, sizeof msg, "this resource answers %s", allow);
    ctw__http_error(out, 405, "method_not_allowed", msg);
    out->allow = allow;
}

/* The library's error as a reply: the status for its code, its message. */
static void library_error(ctw__http_reply *out, int rc, const ctw_error *err)
{
    char msg[800];
    const char *m = err && err->message[0] ? err->message : ctw_strerror(rc);
    if (err && err->where[0] && (rc == CTW_EINVAL || rc == CTW_ENOTFOUND))
        snprintf(msg, sizeof msg, "%.200s: %.500s", err->where, m);
    else
        snprintf(msg, sizeof msg, "%.700s", m);
    switch (rc) {
    case CTW_EINVAL: ctw__http_error(out, 400, "invalid", msg); break;
    case CTW_EACCES: ctw__http_error(out, 403, "forbidden", msg); break;
    case CTW_ENOTFOUND: ctw__http_error(out, 404, "not_found", msg); break;
    case CTW_EEXIST: ctw__http_error(out, 409, "conflict", msg); break;
    case CTW_ELIMIT: ctw__http_error(out, 413, "too_large", msg); break;
    /* the code's name only: details of the store stay in the server */
    default: ctw__http_error(out, 500, "internal", ctw_strerror(rc)); break;
    }
}

/* A field of a body: its name, the JSON type wanted, and where it goes. */
typedef enum { F_STRING, F_BOOL, F_STRINGS } field_type;
typedef struct field {
    const char *name;
    field_type type;
    bool required;
    json_t *value;       /* borrowed from the body once parsed */
} field;

/* Parse rq's body into fields: 413 over ADMIN_BODY_MAX, 400 unless it is
 * one JSON object whose keys are among fields, each of its type; an empty
 * body is an empty object when no field is required. The body (a new
 * reference, to json_decref) or NULL with out filled. */
static json_t *admin_body(const ctw__http_request *rq, field *fields, size_t n, ctw__http_reply *out)
{
    char msg[256];
    if (rq->body_len > ADMIN_BODY_MAX) {
        snprintf(msg, sizeof msg, "the body is larger than %d bytes", ADMIN_BODY_MAX);
        ctw__http_error(out, 413, "too_large", msg);
        return NULL;
    }
    json_t *body;
    if (!rq->body || rq->body_len == 0) {
        body = json_object();
    } else if (!(body = ctw__http_parse_body(rq, out))) {
        return NULL;
    }
    if (!json_is_object(body)) {
        ctw__http_error(out, 400, "invalid", "the body must be a JSON object");
        goto bad;
    }
    const char *key;
    json_t *v;
    json_object_foreach(body, key, v) {
        field *f = NULL;
        for (size_t i = 0; i < n && !f; i++)
            if (strcmp(fields[i].name, key) == 0) f = &fields[i];
        if (!f) {
            size_t len = (size_t)snprintf(msg, sizeof msg, "unknown key \"%.40s\": the body has", key);
            for (size_t i = 0; i < n && len < sizeof msg; i++)
                len += (size_t)snprintf(msg + len, sizeof msg - len, "%s\"%s\"", i ? ", " : " ", fields[i].name);
            ctw__http_error(out, 400, "invalid", msg);
            goto bad;
        }
        bool ok = f->type == F_STRING ? json_is_string(v) && strlen(json_string_value(v)) == json_string_length(v)
                : f->type == F_BOOL   ? json_is_boolean(v)
                                      : json_is_array(v);
        if (ok && f->type == F_STRINGS) {
            size_t i;
            json_t *e;
            json_array_foreach(v, i, e) ok = ok && json_is_string(e) && strlen(json_string_value(e)) == json_string_length(e);
        }
        if (!ok) {
            snprintf(msg, sizeof msg, "\"%s\" must be %s", f->name,
                     f->type == F_STRING ? "a string (no NUL)" : f->type == F_BOOL ? "true or false"
                                                                                   : "an array of strings");
            ctw__http_error(out, 400, "invalid", msg);
            goto bad;
        }
        f->value = v;
    }
    for (size_t i = 0; i < n; i++) {
        if (fields[i].required && !fields[i].value) {
            snprintf(msg, sizeof msg, "\"%s\" is required", fields[i].name);
            ctw__http_error(out, 400, "invalid", msg);
            goto bad;
        }
    }
    return body;
bad:
    json_decref(body);
    return NULL;
}

static const char *str(const field *f) { return f->value ? json_string_value(f->value) : NULL; }

/* Copy the path segment after prefix (up to the next '/' or the end) into
 * out; the rest of the path after it in *rest. False when empty or too long. */
static bool segment(const char *path, const char *prefix, char *out, size_t cap, const char **rest)
{
    const char *p = path + strlen(prefix);
    size_t n = strcspn(p, "/");
    if (n == 0 || n >= cap) return false;
    memcpy(out, p, n);
    out[n] = '\0';
    *rest = p + n;
    return true;
}

/* Acquire the store or answer 500. */
static ctw_store *store_or_fail(ctw_http_server *srv, ctw__http_reply *out)
{
    ctw_error err = {0};
    ctw_store *s = ctw__http_store_acquire(srv, &err);
    if (!s) ctw__http_error(out, 500, "internal", ctw_strerror(err.code ? err.code : CTW_ESTORE));
    return s;
}

static void release(ctw_http_server *srv, ctw_store *s, int rc)
{
    ctw__http_store_release(srv, s, rc == CTW_ESTORE);
}

/* Answer 200 {key: [...]} with what list(s, rq, array, err) collects, or
 * the library's error. */
typedef int (*list_fn)(ctw_store *s, const ctw__http_request *rq, json_t *arr, ctw_error *err);
static void reply_list(ctw_http_server *srv, const ctw__http_request *rq, const char *key, list_fn list,
                       ctw__http_reply *out)
{
    ctw_store *s = store_or_fail(srv, out);
    if (!s) return;
    json_t *arr = json_array();
    ctw_error err = {0};
    int rc = arr ? list(s, rq, arr, &err) : CTW_ENOMEM;
    release(srv, s, rc);
    if (rc != 0) {
        json_decref(arr);
        library_error(out, rc, &err);
        return;
    }
    out->status = 200;
    out->body = json_pack("{s:o}", key, arr);
}

/* --- retention ------------------------------------------------------------------- */

static int review_collect(void *ud, const ctw_review_item *r)
{
    json_t *o = json_pack("{s:s,s:s?,s:s,s:s,s:s,s:s?}", "record", r->id, "name", r->name, "review_date",
                          r->review_date, "owner", r->owner, "kind", ctw_kind_name(r->kind), "status", r->status);
    return o && json_array_append_new(ud, o) == 0 ? 0 : CTW_ENOMEM;
}

/* A whole number from lo to hi in text; false otherwise. */
static bool parse_int(const char *text, long lo, long hi, long *out)
{
    if (!text || !*text || strlen(text) > 9) return false;
    char *end;
    long v = strtol(text, &end, 10);
    if (*end || v < lo || v > hi) return false;
    *out = v;
    return true;
}

static void get_reviews(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    long within = 0, limit = REVIEWS_DEFAULT_LIMIT;
    const char *w = ctw__http_query(rq, "within"), *l = ctw__http_query(rq, "limit");
    char msg[128];
    if (w && !parse_int(w, 0, REVIEWS_WITHIN_MAX, &within)) {
        snprintf(msg, sizeof msg, "parameter 'within' wants a number of days from 0 to %d", REVIEWS_WITHIN_MAX);
        ctw__http_error(out, 400, "invalid", msg);
        return;
    }
    if (l && !parse_int(l, 1, CTW_REVIEWS_MAX, &limit)) {
        snprintf(msg, sizeof msg, "parameter 'limit' wants an integer from 1 to %d", CTW_REVIEWS_MAX);
        ctw__http_error(out, 400, "invalid", msg);
        return;
    }
    char until[16];
    ctw_store_review_until(within, until);
    ctw_store *s = store_or_fail(srv, out);
    if (!s) return;
    json_t *arr = json_array();
    ctw_error err = {0};
    int rc = arr ? ctw_store_reviews_due(s, rq->principal, NULL, until, (int)limit, review_collect, arr, &err)
                 : CTW_ENOMEM;
    release(srv, s, rc);
    if (rc != 0) {
        json_decref(arr);
        library_error(out, rc, &err);
        return;
    }
    out->status = 200;
    out->body = json_pack("{s:o,s:s}", "reviews", arr, "until", until);
}

static void post_review(ctw_http_server *srv, const ctw__http_request *rq, const char *id, ctw__http_reply *out)
{
    field f[] = {{"decision", F_STRING, true, NULL}, {"reason", F_STRING, true, NULL}};
    json_t *body = admin_body(rq, f, 2, out);
    if (!body) return;
    if (strcmp(str(&f[0]), "extend") != 0) {
        ctw__http_error(out, 400, "invalid",
                        "\"decision\" must be \"extend\"; to delete the record, DELETE /api/v1/records/{id}");
        json_decref(body);
        return;
    }
    ctw_store *s = store_or_fail(srv, out);
    if (s) {
        char date[16];
        ctw_error err = {0};
        int rc = ctw_store_review_extend(s, rq->principal, id, str(&f[1]), date, &err);
        release(srv, s, rc);
        if (rc == 0) {
            out->status = 200;
            out->body = json_pack("{s:s,s:s,s:s}", "record", id, "decision", "extend", "review_date", date);
        } else {
            library_error(out, rc, &err);
        }
    }
    json_decref(body);
}

static void delete_record(ctw_http_server *srv, const ctw__http_request *rq, const char *id, ctw__http_reply *out)
{
    field f[] = {{"reason", F_STRING, true, NULL}};
    json_t *body = admin_body(rq, f, 1, out);
    if (!body) return;
    ctw_store *s = store_or_fail(srv, out);
    if (s) {
        bool overwritten = false;
        ctw_error err = {0};
        int rc = ctw_store_record_delete(s, rq->principal, id, str(&f[0]), &overwritten, &err);
        release(srv, s, rc);
        if (rc == 0) {
            out->status = 200;
            out->body = json_pack("{s:s,s:b,s:b}", "record", id, "deleted", 1, "storage_overwritten", overwritten);
        } else {
            library_error(out, rc, &err);
        }
    }
    json_decref(body);
}

/* --- agencies ------------------------------------------------------------------------ */

static int agency_collect(void *ud, const ctw_agency *a)
{
    json_t *regions = json_array();
    for (const char *p = a->regions; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n) json_array_append_new(regions, json_stringn(p, n));
        p += n + (p[n] == ',');
    }
    json_t *o = json_pack("{s:s,s:s?,s:s?,s:s?,s:s?,s:o}", "code", a->code, "name", a->name, "country", a->country,
                          "kind", a->kind, "contact", a->contact, "regions", regions);
    return o && json_array_append_new(ud, o) == 0 ? 0 : CTW_ENOMEM;
}

static int list_agencies(ctw_store *s, const ctw__http_request *rq, json_t *arr, ctw_error *err)
{
    (void)rq;
    (void)err;
    return ctw_auth_agency_iterate(s, agency_collect, arr);
}

static void agencies_resource(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    if (is_get(rq)) {
        reply_list(srv, rq, "agencies", list_agencies, out);
        return;
    }
    field f[] = {{"code", F_STRING, true, NULL},     {"name", F_STRING, true, NULL},
                 {"kind", F_STRING, true, NULL},     {"country", F_STRING, false, NULL},
                 {"contact", F_STRING, false, NULL}, {"regions", F_STRINGS, false, NULL}};
    json_t *body = admin_body(rq, f, sizeof f / sizeof f[0], out);
    if (!body) return;
    /* regions as a list; the library checks each name (no comma gets through) */
    char regions[34 * 32 + 1] = "";
    size_t len = 0, i;
    json_t *e;
    json_array_foreach(f[5].value, i, e) {
        const char *r = json_string_value(e);
        size_t n = strlen(r);
        if (i >= 32 || n == 0 || n > 32 || strchr(r, ',')) {
            ctw__http_error(out, 400, "invalid", "\"regions\": up to 32 names of 1 to 32 of A-Z, a-z, 0-9, '-', '_'");
            json_decref(body);
            return;
        }
        len += (size_t)snprintf(regions + len, sizeof regions - len, "%s%s", i ? "," : "", r);
    }
    ctw_agency a = {.code = str(&f[0]), .name = str(&f[1]), .kind = str(&f[2]), .country = str(&f[3]),
                    .contact = str(&f[4]), .regions = len ? regions : NULL};
    ctw_store *s = store_or_fail(srv, out);
    if (s) {
        ctw_error err = {0};
        int rc = ctw_auth_agency_add(s, rq->principal, &a, &err);
        release(srv, s, rc);
        if (rc == 0) {
            json_t *arr = json_array();
            if (arr && agency_collect(arr, &a) == 0) {
                out->status = 201;
                out->body = json_incref(json_array_get(arr, 0));
            }
            json_decref(arr);
        } else {
            library_error(out, rc, &err);
        }
    }
    json_decref(body);
}

/* --- users -------------------------------------------------------------------------------- */

static json_t *user_json(const ctw_user *u)
{
    return json_pack("{s:s,s:s,s:s,s:b,s:b,s:s?,s:s?}", "username", u->username, "agency", u->agency, "role",
                     ctw_role_name(u->role), "enabled", u->enabled, "totp", u->totp, "created", u->created,
                     "updated", u->updated);
}

static int user_collect(void *ud, const ctw_user *u)
{
    json_t *o = user_json(u);
    return o && json_array_append_new(ud, o) == 0 ? 0 : CTW_ENOMEM;
}

/* The user as the caller may now list it. */
typedef struct one_user {
    const char *name;
    json_t *found;
} one_user;

static int user_find(void *ud, const ctw_user *u)
{
    one_user *o = ud;
    if (strcmp(u->username, o->name) != 0) return 0;
    o->found = user_json(u);
    return o->found ? 1 : CTW_ENOMEM;
}

/* Answer status with the user name's row; the change is made whatever the
 * listing gives (an administrator may always list whom it manages). */
static void reply_user(ctw_store *s, const ctw_principal *p, const char *name, unsigned status, ctw__http_reply *out)
{
    one_user o = {.name = name};
    ctw_auth_user_iterate(s, p, NULL, user_find, &o, NULL);
    out->status = status;
    out->body = o.found ? o.found : json_pack("{s:s}", "username", name);
}

static int list_users(ctw_store *s, const ctw__http_request *rq, json_t *arr, ctw_error *err)
{
    const char *agency = ctw__http_query(rq, "agency");
    return ctw_auth_user_iterate(s, rq->principal, agency && *agency ? agency : NULL, user_collect, arr, err);
}

static void users_collection(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const ctw_principal *p = rq->principal;
    if (is_get(rq)) {
        reply_list(srv, rq, "users", list_users, out);
        return;
    }
    field f[] = {{"username", F_STRING, true, NULL}, {"role", F_STRING, true, NULL},
                 {"agency", F_STRING, false, NULL},  {"password", F_STRING, false, NULL}};
    json_t *body = admin_body(rq, f, sizeof f / sizeof f[0], out);
    if (!body) return;
    ctw_role role = ctw_auth_role_from_name(str(&f[1]));
    if (role == CTW_ROLE_NONE) {
        ctw__http_error(out, 400, "invalid", "\"role\" must be officer, analyst, supervisor, agency-admin, auditor "
                                             "or system-admin");
        json_decref(body);
        return;
    }
    /* the caller's own agency unless another is named */
    const char *agency = str(&f[2]) ? str(&f[2]) : p->agency;
    ctw_store *s = store_or_fail(srv, out);
    if (s) {
        ctw_error err = {0};
        int rc = ctw_auth_user_create(s, p, str(&f[0]), agency, role, str(&f[3]), &err);
        if (rc == 0) reply_user(s, p, str(&f[0]), 201, out);
        else library_error(out, rc, &err);
        release(srv, s, rc);
    }
    json_decref(body);
}

static void put_user(ctw_http_server *srv, const ctw__http_request *rq, const char *name, ctw__http_reply *out)
{
    field f[] = {{"role", F_STRING, false, NULL}, {"enabled", F_BOOL, false, NULL}};
    json_t *body = admin_body(rq, f, 2, out);
    if (!body) return;
    ctw_role role = f[0].value ? ctw_auth_role_from_name(str(&f[0])) : CTW_ROLE_NONE;
    if (!f[0].value && !f[1].value) {
        ctw__http_error(out, 400, "invalid", "the body names \"role\", \"enabled\" or both");
    } else if (f[0].value && role == CTW_ROLE_NONE) {
        ctw__http_error(out, 400, "invalid", "\"role\" must be officer, analyst, supervisor, agency-admin, auditor "
                                             "or system-admin");
    } else {
        ctw_store *s = store_or_fail(srv, out);
        if (s) {
            ctw_error err = {0};
            bool enabled = f[1].value && json_is_true(f[1].value);
            int rc = 0;
            /* disabling first, enabling last: a failure half way never
             * leaves a user enabled that was to be disabled */
            if (f[1].value && !enabled) rc = ctw_auth_user_set_enabled(s, rq->principal, name, false, &err);
            if (rc == 0 && f[0].value) rc = ctw_auth_user_set_role(s, rq->principal, name, role, &err);
            if (rc == 0 && f[1].value && enabled) rc = ctw_auth_user_set_enabled(s, rq->principal, name, true, &err);
            if (rc == 0) reply_user(s, rq->principal, name, 200, out);
            else library_error(out, rc, &err);
            release(srv, s, rc);
        }
    }
    json_decref(body);
}

static void post_password(ctw_http_server *srv, const ctw__http_request *rq, const char *name, ctw__http_reply *out)
{
    field f[] = {{"password", F_STRING, true, NULL}};
    json_t *body = admin_body(rq, f, 1, out);
    if (!body) return;
    ctw_store *s = store_or_fail(srv, out);
    if (s) {
        ctw_error err = {0};
        int rc = ctw_auth_user_set_password(s, rq->principal, name, str(&f[0]), &err);
        release(srv, s, rc);
        if (rc == 0) {
            out->status = 200;
            out->body = json_pack("{s:s,s:b}", "username", name, "sessions_ended", 1);
        } else {
            library_error(out, rc, &err);
        }
    }
    json_decref(body);
}

static void post_totp(ctw_http_server *srv, const ctw__http_request *rq, const char *name, ctw__http_reply *out)
{
    json_t *body = admin_body(rq, NULL, 0, out);
    if (!body) return;
    json_decref(body);
    ctw_store *s = store_or_fail(srv, out);
    if (!s) return;
    char secret[CTW_AUTH_TOTP_B32_SIZE], uri[CTW_AUTH_TOTP_URI_SIZE];
    ctw_error err = {0};
    int rc = ctw_auth_totp_enable(s, rq->principal, name, secret, uri, &err);
    release(srv, s, rc);
    if (rc == 0) {
        /* shown once: the store keeps the secret, no call gives it again */
        out->status = 200;
        out->body = json_pack("{s:s,s:s,s:s}", "username", name, "secret", secret, "otpauth_uri", uri);
    } else {
        library_error(out, rc, &err);
    }
    sodium_memzero(secret, sizeof secret);
    sodium_memzero(uri, sizeof uri);
}

static void users_item(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    char name[CTW_AUTH_USERNAME_MAX + 1];
    const char *rest;
    if (!segment(rq->path, users_prefix, name, sizeof name, &rest)) {
        ctw__http_error(out, 404, "not_found", "no such user");
        return;
    }
    if (!*rest) {
        if (!method_is(rq, "PUT")) not_allowed(out, "PUT");
        else put_user(srv, rq, name, out);
        return;
    }
    bool pw = strcmp(rest, "/password") == 0, totp = strcmp(rest, "/totp") == 0;
    if (!pw && !totp) {
        ctw__http_error(out, 404, "not_found", "no such resource");
        return;
    }
    if (!method_is(rq, "POST")) not_allowed(out, "POST");
    else if (pw) post_password(srv, rq, name, out);
    else post_totp(srv, rq, name, out);
}

/* --- API keys ----------------------------------------------------------------------------------- */

static int key_collect(void *ud, const ctw_api_key *k)
{
    json_t *o = json_pack("{s:I,s:s,s:s,s:s,s:s?,s:s?}", "id", (json_int_t)k->id, "agency", k->agency, "name",
                          k->name, "scope", k->scope, "created", k->created, "revoked", k->revoked);
    return o && json_array_append_new(ud, o) == 0 ? 0 : CTW_ENOMEM;
}

static int list_keys(ctw_store *s, const ctw__http_request *rq, json_t *arr, ctw_error *err)
{
    return ctw_auth_key_iterate(s, rq->principal, key_collect, arr, err);
}

static void keys_collection(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const ctw_principal *p = rq->principal;
    if (is_get(rq)) {
        reply_list(srv, rq, "keys", list_keys, out);
        return;
    }
    field f[] = {{"name", F_STRING, true, NULL}, {"agency", F_STRING, false, NULL}, {"scope", F_STRING, false, NULL}};
    json_t *body = admin_body(rq, f, sizeof f / sizeof f[0], out);
    if (!body) return;
    const char *agency = str(&f[1]) ? str(&f[1]) : p->agency;
    ctw_store *s = store_or_fail(srv, out);
    if (s) {
        char key[CTW_AUTH_TOKEN_SIZE];
        int64_t id = 0;
        ctw_error err = {0};
        int rc = ctw_auth_key_create(s, p, agency, str(&f[0]), str(&f[2]), &id, key, &err);
        release(srv, s, rc);
        if (rc == 0) {
            /* the key itself is shown here once and never again */
            out->status = 201;
            out->body = json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)id, "agency", agency, "name",
                                  str(&f[0]), "scope", str(&f[2]) ? str(&f[2]) : CTW_AUTH_SCOPE_SCREENING, "key", key);
            sodium_memzero(key, sizeof key);
        } else {
            library_error(out, rc, &err);
        }
    }
    json_decref(body);
}

static void delete_key(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    long id;
    if (!parse_int(rq->path + sizeof keys_prefix - 1, 1, 999999999, &id)) {
        ctw__http_error(out, 404, "not_found", "no such API key");
        return;
    }
    if (!method_is(rq, "DELETE")) {
        not_allowed(out, "DELETE");
        return;
    }
    json_t *body = admin_body(rq, NULL, 0, out);
    if (!body) return;
    json_decref(body);
    ctw_store *s = store_or_fail(srv, out);
    if (!s) return;
    ctw_error err = {0};
    int rc = ctw_auth_key_revoke(s, rq->principal, (int64_t)id, &err);
    release(srv, s, rc);
    if (rc == 0) {
        out->status = 200;
        out->body = json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1);
    } else {
        library_error(out, rc, &err);
    }
}

/* --- the dispatch --------------------------------------------------------------------------------- */

/* Retention routes under /api/v1/records/: true if this path is one. GET
 * and HEAD of a record stay with routes.c. */
static bool records_routes(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    char id[ID_MAX + 1];
    const char *rest;
    if (!segment(rq->path, records_prefix, id, sizeof id, &rest)) return false;
    if ((!*rest && !is_get(rq)) || strcmp(rest, "/review") == 0) {
        /* ids are [A-Za-z0-9._:-]{1,64}, as routes.c reads them: nothing
         * else reaches the store or its audit entries */
        for (const char *c = id; *c; c++) {
            if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-", *c)) {
                ctw__http_error(out, 400, "invalid", "a record id is 1 to 64 characters of A-Z a-z 0-9 . _ : -");
                return true;
            }
        }
    }
    if (!*rest) {
        if (is_get(rq)) return false;
        if (!method_is(rq, "DELETE")) not_allowed(out, "GET, HEAD, DELETE");
        else delete_record(srv, rq, id, out);
        return true;
    }
    if (strcmp(rest, "/review") != 0) return false;
    if (!method_is(rq, "POST")) not_allowed(out, "POST");
    else post_review(srv, rq, id, out);
    return true;
}

bool ctw__http_route_admin(ctw_http_server *srv, const ctw__http_request *rq, ctw__http_reply *out)
{
    const char *path = rq->path;
    bool get = is_get(rq), post = method_is(rq, "POST");
    if (strncmp(path, records_prefix, sizeof records_prefix - 1) == 0) {
        if (!records_routes(srv, rq, out)) return false;
    } else if (strcmp(path, "/api/v1/reviews") == 0) {
        if (!get) not_allowed(out, "GET, HEAD");
        else get_reviews(srv, rq, out);
    } else if (strcmp(path, "/api/v1/agencies") == 0 || strcmp(path, "/api/v1/users") == 0 ||
               strcmp(path, "/api/v1/keys") == 0) {
        if (!get && !post) not_allowed(out, "GET, HEAD, POST");
        else if (path[8] == 'a') agencies_resource(srv, rq, out);
        else if (path[8] == 'u') users_collection(srv, rq, out);
        else keys_collection(srv, rq, out);
    } else if (strncmp(path, users_prefix, sizeof users_prefix - 1) == 0) {
        users_item(srv, rq, out);
    } else if (strncmp(path, keys_prefix, sizeof keys_prefix - 1) == 0) {
        delete_key(srv, rq, out);
    } else {
        return false;
    }
    if (!out->body) ctw__http_error(out, 500, "internal", ctw_strerror(CTW_ENOMEM));
    return true;
}
