/* arena.h — bump allocator for memory that dies all at once.
 *
 * A record (ctw_record) keeps every string it holds in its own arena, so
 * freeing the record is one call. HTTP requests get an arena too.
 * Blocks grow geometrically; nothing is freed before ctw_arena_free().
 */
#ifndef CTWATCH_ARENA_H
#define CTWATCH_ARENA_H

#include <stddef.h>

typedef struct ctw_arena_block ctw_arena_block;
typedef struct ctw_arena {
    ctw_arena_block *head;
    size_t total;   /* bytes handed out, for limits and stats */
} ctw_arena;

/* Initialise an empty arena (no allocation yet). */
void ctw_arena_init(ctw_arena *a);
/* Release every block. The arena may be reused after ctw_arena_init(). */
void ctw_arena_free(ctw_arena *a);

/* Memory owned by the arena, aligned for any type, valid until
 * ctw_arena_free(). Returns NULL on allocation failure or overflow. */
void *ctw_arena_alloc(ctw_arena *a, size_t n);
/* Copy of s (NULL gives NULL), owned by the arena. */
char *ctw_arena_strdup(ctw_arena *a, const char *s);
/* Copy of the n bytes at s plus a NUL, owned by the arena. */
char *ctw_arena_strndup(ctw_arena *a, const char *s, size_t n);
/* printf into the arena. */
char *ctw_arena_printf(ctw_arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#endif
