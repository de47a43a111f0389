/* error.h — the one error convention of libctwatch.
 *
 * Functions that act return int: 0 on success or a negative CTW_E* code.
 * Predicates return bool. A call that fails changes nothing that the caller
 * can observe (no half-written output parameter, no half-applied write).
 *
 * Where a failure needs more words than a code (a parser naming the file and
 * line of a fault), the function also fills a caller-owned ctw_error.
 */
#ifndef CTWATCH_ERROR_H
#define CTWATCH_ERROR_H

#include <stddef.h>

enum {
    CTW_OK = 0,
    CTW_ENOMEM = -1,    /* allocation failed */
    CTW_EINVAL = -2,    /* bad argument or malformed input */
    CTW_EIO = -3,       /* file or socket I/O failed */
    CTW_ENOTFOUND = -4, /* no such record / file / route */
    CTW_EACCES = -5,    /* the caller may not see or do this */
    CTW_ELIMIT = -6,    /* a size or count limit was exceeded */
    CTW_ESTORE = -7,    /* the store (SQLite / PostgreSQL) failed */
    CTW_EPARSE = -8,    /* outside input could not be parsed */
    CTW_EEXIST = -9,    /* already exists */
    CTW_ECONFLICT = -10,/* concurrent change, version mismatch */
    CTW_EUNSUPPORTED = -11, /* not built in / unknown format */
};

/* Static string for a CTW_E* code; never NULL, never to be freed. */
const char *ctw_strerror(int code);
/* Short machine name for a code ("not_found", "invalid", ...), static. */
const char *ctw_errname(int code);

/* Detailed error filled by functions that read outside input.
 * Owned by the caller (usually on the stack); holds no heap memory. */
typedef struct ctw_error {
    int code;            /* CTW_E* code, 0 when no error */
    char where[256];     /* "file.xml:123" or "file.xml: element INDIVIDUAL #12" */
    char message[512];   /* human-readable, one line */
} ctw_error;

void ctw_error_clear(ctw_error *err);
/* Set err (if non-NULL) and return code, so callers can write
 *   return ctw_error_set(err, CTW_EPARSE, "f.csv:12", "unterminated quote");
 * `where` may be NULL. printf-style message. */
int ctw_error_set(ctw_error *err, int code, const char *where, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
