/* clock.c — ctw_clock_now() (see clock.h). Alone in its file on purpose:
 * the test build of the server links a copy compiled with
 * -DCTW_TEST_CLOCK ahead of libctwatch.a, and the archive's copy is then
 * never pulled in; another symbol here would pull it in and clash. */
#include <time.h>

#include "ctwatch/clock.h"

#ifdef CTW_TEST_CLOCK
#include <stdio.h>
#include <stdlib.h>

/* Seconds written in $CTWATCH_TEST_CLOCK_FILE (0 when unset or unreadable). */
static int64_t test_offset(void)
{
    const char *path = getenv("CTWATCH_TEST_CLOCK_FILE");
    if (!path || !*path) return 0;
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    long long off = 0;
    if (fscanf(f, "%lld", &off) != 1) off = 0;
    fclose(f);
    return (int64_t)off;
}
#endif

int64_t ctw_clock_now(void)
{
#ifdef CTW_TEST_CLOCK
    return (int64_t)time(NULL) + test_offset();
#else
    return (int64_t)time(NULL);
#endif
}
