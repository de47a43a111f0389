/* arena.c — chunked bump allocator (see arena.h).
 *
 * Blocks are linked newest first. A request larger than half the default
 * block size gets a block of its own, so big strings waste nothing.
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctwatch/arena.h"

#define ARENA_BLOCK 4096u
#define ARENA_ALIGN 16u

struct ctw_arena_block {
    ctw_arena_block *next;
    size_t used, size;
    _Alignas(16) unsigned char data[];
};

void ctw_arena_init(ctw_arena *a)
{
    a->head = NULL;
    a->total = 0;
}

void ctw_arena_free(ctw_arena *a)
{
    ctw_arena_block *b = a->head;
    while (b) {
        ctw_arena_block *next = b->next;
        free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}

void *ctw_arena_alloc(ctw_arena *a, size_t n)
{
    if (n == 0) n = 1;
    if (n > SIZE_MAX - ARENA_ALIGN - sizeof(ctw_arena_block)) return NULL;
    size_t need = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    ctw_arena_block *b = a->head;
    if (!b || b->size - b->used < need) {
        size_t size = need > ARENA_BLOCK / 2 ? need : ARENA_BLOCK;
        ctw_arena_block *nb = malloc(sizeof *nb + size);
        if (!nb) return NULL;
        nb->used = 0;
        nb->size = size;
        if (b && size == need && b->size - b->used >= ARENA_ALIGN) {
            /* keep the partly used block in front for small requests */
            nb->next = b->next;
            b->next = nb;
        } else {
            nb->next = b;
            a->head = nb;
        }
        b = nb;
    }
    void *p = b->data + b->used;
    b->used += need;
    a->total += need;
    return p;
}

char *ctw_arena_strndup(ctw_arena *a, const char *s, size_t n)
{
    if (!s) return NULL;
    char *p = ctw_arena_alloc(a, n + 1);
    if (!p) return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *ctw_arena_strdup(ctw_arena *a, const char *s)
{
    return s ? ctw_arena_strndup(a, s, strlen(s)) : NULL;
}

char *ctw_arena_printf(ctw_arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *p = NULL;
    if (n >= 0 && (p = ctw_arena_alloc(a, (size_t)n + 1)) != NULL)
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}
