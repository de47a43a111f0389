/* error.c — CTW_E* codes to text, and the detailed ctw_error. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ctwatch/error.h"

static const struct { int code; const char *name; const char *text; } errors[] = {
    {CTW_OK, "ok", "success"},
    {CTW_ENOMEM, "no_memory", "out of memory"},
    {CTW_EINVAL, "invalid", "invalid argument or input"},
    {CTW_EIO, "io", "input/output error"},
    {CTW_ENOTFOUND, "not_found", "not found"},
    {CTW_EACCES, "forbidden", "access denied"},
    {CTW_ELIMIT, "too_large", "a size or count limit was exceeded"},
    {CTW_ESTORE, "store", "store error"},
    {CTW_EPARSE, "parse", "input could not be parsed"},
    {CTW_EEXIST, "exists", "already exists"},
    {CTW_ECONFLICT, "conflict", "conflicting change"},
    {CTW_EUNSUPPORTED, "unsupported", "not supported"},
};

const char *ctw_strerror(int code)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
        if (errors[i].code == code) return errors[i].text;
    return "unknown error";
}

const char *ctw_errname(int code)
{
    for (size_t i = 0; i < sizeof errors / sizeof errors[0]; i++)
        if (errors[i].code == code) return errors[i].name;
    return "unknown";
}

void ctw_error_clear(ctw_error *err)
{
    if (!err) return;
    err->code = 0;
    err->where[0] = '\0';
    err->message[0] = '\0';
}

int ctw_error_set(ctw_error *err, int code, const char *where, const char *fmt, ...)
{
    if (!err) return code;
    err->code = code;
    snprintf(err->where, sizeof err->where, "%s", where ? where : "");
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return code;
}
