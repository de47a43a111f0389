/* sqlite_walbuf.c — a SQLite VFS that writes a commit's WAL frames with one
 * system call instead of two per page.
 *
 * Why: SQLite writes each WAL frame as two writes, its 24-byte header and
 * then its page. The audit writer of a busy server commits ~25 pages per
 * group commit, so ~50 pwrite calls before each fdatasync, and on a
 * virtual machine every system call costs the hypervisor (bench/README.md,
 * "What limits the HTTP figure"). This VFS is the default one ("unix")
 * with one change: writes to a WAL file that follow each other are
 * gathered in a buffer and reach the file in one write, before anything
 * else touches the file.
 *
 * Why it keeps SQLite's guarantees:
 *   - The buffer is written out before every other operation on the WAL
 *     file: read, sync, truncate, size, file control, close. So this
 *     connection reads back what it wrote, and the sync that ends a commit
 *     (synchronous=FULL, which every store connection sets: sqlite.c)
 *     syncs every frame of it. A commit that returned is on disk exactly as
 *     without the buffer.
 *   - Other connections and processes read WAL frames only up to the last
 *     commit published in the WAL index, which SQLite updates after that
 *     sync; frames still in a buffer belong to a transaction in progress,
 *     which holds the write lock, so no recovery can read past them either.
 *   - A process killed with frames in its buffer loses only frames of an
 *     uncommitted transaction: the same as being killed before SQLite
 *     wrote them. WAL recovery ignores them by their checksums and salts.
 *   - A write that is not the continuation of what is buffered (SQLite
 *     rewriting a frame of the same transaction) first writes the buffer
 *     out, so writes reach the file in the order SQLite made them.
 * Only WAL files are wrapped; the database file, its shared memory index
 * and every other file are the default VFS's own, untouched.
 */
#include <stdbool.h>
#include <string.h>

#include "store/sqlite_int.h"

/* Bytes gathered before they are written anyway: a group commit of the
 * audit writer is ~25 frames of 4,120 bytes (~100 KB); an import's big
 * transaction goes out in pieces of this size. The default VFS writes at
 * most 128 KiB - 1 in one call (unixWrite masks the count to 17 bits: a
 * larger write came back short, "database or disk is full"). */
#define WALBUF_CAP (124 * 1024)

typedef struct walbuf_file {
    sqlite3_file base;        /* pMethods: walbuf_io */
    sqlite3_file *real;       /* the default VFS's file, just after this struct */
    sqlite3_int64 off;        /* file offset of buf[0] */
    int len;                  /* bytes held in buf */
    unsigned char *buf;       /* WALBUF_CAP bytes, from the first write on */
} walbuf_file;

/* the real file sits after the header, aligned for any of its members */
#define REAL_OFFSET ((sizeof(walbuf_file) + 15) & ~(size_t)15)

static sqlite3_vfs *g_real;   /* the default VFS, which does the work */
static sqlite3_vfs g_vfs;

static int flush(walbuf_file *f)
{
    if (f->len == 0) return SQLITE_OK;
    int n = f->len;
    f->len = 0; /* on error the transaction fails and SQLite rewrites what it needs */
    return f->real->pMethods->xWrite(f->real, f->buf, n, f->off);
}

static int wb_close(sqlite3_file *file)
{
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    int rc2 = f->real->pMethods->xClose(f->real);
    sqlite3_free(f->buf);
    f->buf = NULL;
    return rc != SQLITE_OK ? rc : rc2;
}

static int wb_read(sqlite3_file *file, void *out, int amt, sqlite3_int64 off)
{
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xRead(f->real, out, amt, off);
}

static int wb_write(sqlite3_file *file, const void *data, int amt, sqlite3_int64 off)
{
    walbuf_file *f = (walbuf_file *)file;
    if (f->len > 0 && off == f->off + f->len && amt <= WALBUF_CAP - f->len) {
        memcpy(f->buf + f->len, data, (size_t)amt);
        f->len += amt;
        return SQLITE_OK;
    }
    int rc = flush(f);
    if (rc != SQLITE_OK) return rc;
    if (!f->buf && amt <= WALBUF_CAP) f->buf = sqlite3_malloc(WALBUF_CAP);
    if (!f->buf || amt > WALBUF_CAP) return f->real->pMethods->xWrite(f->real, data, amt, off);
    memcpy(f->buf, data, (size_t)amt);
    f->off = off;
    f->len = amt;
    return SQLITE_OK;
}

static int wb_truncate(sqlite3_file *file, sqlite3_int64 size)
{
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xTruncate(f->real, size);
}

static int wb_sync(sqlite3_file *file, int flags)
{
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xSync(f->real, flags);
}

static int wb_file_size(sqlite3_file *file, sqlite3_int64 *size)
{
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileSize(f->real, size);
}

static int wb_lock(sqlite3_file *file, int level)
{
    walbuf_file *f = (walbuf_file *)file;
    return f->real->pMethods->xLock(f->real, level);
}

static int wb_unlock(sqlite3_file *file, int level)
{
    walbuf_file *f = (walbuf_file *)file;
    return f->real->pMethods->xUnlock(f->real, level);
}

static int wb_check_reserved(sqlite3_file *file, int *out)
{
    walbuf_file *f = (walbuf_file *)file;
    return f->real->pMethods->xCheckReservedLock(f->real, out);
}

static int wb_file_control(sqlite3_file *file, int op, void *arg)
{
    walbuf_file *f = (walbuf_file *)file;
    int rc = flush(f);
    return rc != SQLITE_OK ? rc : f->real->pMethods->xFileControl(f->real, op, arg);
}

static int wb_sector_size(sqlite3_file *file)
{
    walbuf_file *f = (walbuf_file *)file;
    return f->real->pMethods->xSectorSize(f->real);
}

static int wb_device_characteristics(sqlite3_file *file)
{
    walbuf_file *f = (walbuf_file *)file;
    return f->real->pMethods->xDeviceCharacteristics(f->real);
}

/* Version 1: shared memory and memory mapping belong to the database
 * file, never to a WAL file, so SQLite asks neither of it. */
static const sqlite3_io_methods walbuf_io = {
    .iVersion = 1,
    .xClose = wb_close,
    .xRead = wb_read,
    .xWrite = wb_write,
    .xTruncate = wb_truncate,
    .xSync = wb_sync,
    .xFileSize = wb_file_size,
    .xLock = wb_lock,
    .xUnlock = wb_unlock,
    .xCheckReservedLock = wb_check_reserved,
    .xFileControl = wb_file_control,
    .xSectorSize = wb_sector_size,
    .xDeviceCharacteristics = wb_device_characteristics,
};

static int wb_open(sqlite3_vfs *vfs, const char *name, sqlite3_file *file, int flags, int *out_flags)
{
    (void)vfs;
    if (!(flags & SQLITE_OPEN_WAL)) return g_real->xOpen(g_real, name, file, flags, out_flags);
    walbuf_file *f = (walbuf_file *)file;
    memset(f, 0, sizeof *f);
    f->real = (sqlite3_file *)((char *)file + REAL_OFFSET);
    int rc = g_real->xOpen(g_real, name, f->real, flags, out_flags);
    if (rc != SQLITE_OK) {
        /* SQLite closes a file whose open failed only if it has methods */
        if (f->real->pMethods) f->real->pMethods->xClose(f->real);
        f->base.pMethods = NULL;
        return rc;
    }
    f->base.pMethods = &walbuf_io;
    return SQLITE_OK;
}

/* The rest is the default VFS's, called with its own handle. */
static int wb_delete(sqlite3_vfs *v, const char *name, int sync_dir)
{
    (void)v;
    return g_real->xDelete(g_real, name, sync_dir);
}

static int wb_access(sqlite3_vfs *v, const char *name, int flags, int *out)
{
    (void)v;
    return g_real->xAccess(g_real, name, flags, out);
}

static int wb_full_pathname(sqlite3_vfs *v, const char *name, int n, char *out)
{
    (void)v;
    return g_real->xFullPathname(g_real, name, n, out);
}

static void *wb_dlopen(sqlite3_vfs *v, const char *name)
{
    (void)v;
    return g_real->xDlOpen(g_real, name);
}

static void wb_dlerror(sqlite3_vfs *v, int n, char *msg)
{
    (void)v;
    g_real->xDlError(g_real, n, msg);
}

static void (*wb_dlsym(sqlite3_vfs *v, void *h, const char *sym))(void)
{
    (void)v;
    return g_real->xDlSym(g_real, h, sym);
}

static void wb_dlclose(sqlite3_vfs *v, void *h)
{
    (void)v;
    g_real->xDlClose(g_real, h);
}

static int wb_randomness(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return g_real->xRandomness(g_real, n, out);
}

static int wb_sleep(sqlite3_vfs *v, int us)
{
    (void)v;
    return g_real->xSleep(g_real, us);
}

static int wb_current_time(sqlite3_vfs *v, double *out)
{
    (void)v;
    return g_real->xCurrentTime(g_real, out);
}

static int wb_last_error(sqlite3_vfs *v, int n, char *out)
{
    (void)v;
    return g_real->xGetLastError ? g_real->xGetLastError(g_real, n, out) : 0;
}

static int wb_current_time64(sqlite3_vfs *v, sqlite3_int64 *out)
{
    (void)v;
    if (g_real->iVersion >= 2 && g_real->xCurrentTimeInt64) return g_real->xCurrentTimeInt64(g_real, out);
    double d;
    int rc = g_real->xCurrentTime(g_real, &d);
    *out = (sqlite3_int64)(d * 86400000.0);
    return rc;
}

int ctw__sqlite_walbuf_register(void)
{
    if (sqlite3_vfs_find(CTW_SQLITE_WALBUF_VFS)) return SQLITE_OK;
    g_real = sqlite3_vfs_find(NULL);
    if (!g_real) return SQLITE_ERROR;
    g_vfs = (sqlite3_vfs){
        .iVersion = 2,
        .szOsFile = (int)(REAL_OFFSET + (size_t)g_real->szOsFile),
        .mxPathname = g_real->mxPathname,
        .zName = CTW_SQLITE_WALBUF_VFS,
        .xOpen = wb_open,
        .xDelete = wb_delete,
        .xAccess = wb_access,
        .xFullPathname = wb_full_pathname,
        .xDlOpen = wb_dlopen,
        .xDlError = wb_dlerror,
        .xDlSym = wb_dlsym,
        .xDlClose = wb_dlclose,
        .xRandomness = wb_randomness,
        .xSleep = wb_sleep,
        .xCurrentTime = wb_current_time,
        .xGetLastError = wb_last_error,
        .xCurrentTimeInt64 = wb_current_time64,
    };
    return sqlite3_vfs_register(&g_vfs, 0);
}
