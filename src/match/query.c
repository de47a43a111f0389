/* query.c — screening queries from JSON, and the server's current index. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "match/match_int.h"

#define MAX_QUERY_FIELD 4096 /* bytes in any query field */

int ctw_screen_query_from_json(json_t *obj, ctw_screen_query *q, ctw_error *err)
{
    static const char *const fields[] = {"id", "name", "dob", "nationality", "gender", "document", "schema"};
    const char **slots[] = {&q->id, &q->name, &q->dob, &q->nationality, &q->gender, &q->document, &q->schema};
    memset(q, 0, sizeof *q);
    if (!json_is_object(obj)) return ctw_error_set(err, CTW_EINVAL, NULL, "a query must be a JSON object");
    const char *key;
    json_t *v;
    json_object_foreach(obj, key, v) {
        size_t i;
        if (strcmp(key, "threshold") == 0) {
            if (!json_is_number(v) || json_number_value(v) <= 0 || json_number_value(v) > 1)
                return ctw_error_set(err, CTW_EINVAL, key, "threshold must be a number in (0, 1]");
            q->threshold = json_number_value(v);
            continue;
        }
        if (strcmp(key, "limit") == 0) {
            if (!json_is_integer(v) || json_integer_value(v) < 1 || json_integer_value(v) > CTW_MATCH_MAX_LIMIT)
                return ctw_error_set(err, CTW_EINVAL, key, "limit must be an integer 1..%d", CTW_MATCH_MAX_LIMIT);
            q->limit = (int)json_integer_value(v);
            continue;
        }
        for (i = 0; i < sizeof fields / sizeof fields[0]; i++)
            if (strcmp(key, fields[i]) == 0) break;
        if (i == sizeof fields / sizeof fields[0])
            return ctw_error_set(err, CTW_EINVAL, key, "unknown field '%.40s' (id, name, dob, nationality, gender, document, schema, threshold, limit)", key);
        if (json_is_null(v)) continue;
        if (!json_is_string(v)) return ctw_error_set(err, CTW_EINVAL, key, "field '%s' must be a string", key);
        if (json_string_length(v) > MAX_QUERY_FIELD)
            return ctw_error_set(err, CTW_ELIMIT, key, "field '%s' is longer than %d bytes", key, MAX_QUERY_FIELD);
        if (memchr(json_string_value(v), '\0', json_string_length(v)))
            return ctw_error_set(err, CTW_EINVAL, key, "field '%s' holds a NUL character", key);
        *slots[i] = json_string_value(v);
    }
    if (!q->name || !*q->name) return ctw_error_set(err, CTW_EINVAL, "name", "a query needs a name");
    return ctw_screen_query_check(q, err);
}

bool ctw_match_hit_ids(json_t *hits, char *buf, size_t cap, size_t *len)
{
    size_t i;
    json_t *h;
    if (cap == 0) return false;
    json_array_foreach(hits, i, h) {
        const char *id = json_string_value(json_object_get(h, "record"));
        if (!id) continue;
        int n = snprintf(buf + *len, cap - *len, "%s%s", *len ? "," : "", id);
        if (n < 0 || (size_t)n >= cap - *len) {
            buf[*len] = '\0';
            return false;
        }
        *len += (size_t)n;
    }
    return true;
}

struct ctw_match_registry {
    pthread_mutex_t mu;   /* held only to swap or take a reference: no reader waits on a build */
    ctw_match_index *current;
};

ctw_match_registry *ctw_match_registry_new(void)
{
    ctw_match_registry *r = calloc(1, sizeof *r);
    if (r) pthread_mutex_init(&r->mu, NULL);
    return r;
}

void ctw_match_registry_free(ctw_match_registry *r)
{
    if (!r) return;
    ctw_match_index_release(r->current);
    pthread_mutex_destroy(&r->mu);
    free(r);
}

void ctw_match_registry_publish(ctw_match_registry *r, ctw_match_index *ix)
{
    pthread_mutex_lock(&r->mu);
    ctw_match_index *old = r->current;
    r->current = ix;
    pthread_mutex_unlock(&r->mu);
    ctw_match_index_release(old); /* freed when its last reader lets go */
}

ctw_match_index *ctw_match_registry_acquire(ctw_match_registry *r)
{
    pthread_mutex_lock(&r->mu);
    ctw_match_index *ix = r->current;
    ctw_match_index_retain(ix);
    pthread_mutex_unlock(&r->mu);
    return ix;
}
