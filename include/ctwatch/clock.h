/* clock.h — the clock sessions and login throttles are measured by, and
 * the day on which a notice's validity ends (notices.c).
 *
 * ctw_clock_now() is time(NULL) in every build the project ships. Only the
 * API tests' copy of the server (build/bin/ctwatch-testclock, linked with
 * src/core/clock.c compiled with -DCTW_TEST_CLOCK; never copied to bin/)
 * adds the number of seconds written in the file named by
 * $CTWATCH_TEST_CLOCK_FILE, read at each call, so that a test can move a
 * running server's clock forward to see a session expire. The release
 * binary holds no code that reads that variable: no setting of a deployed
 * server can move its clock. A unit test may link its own ctw_clock_now()
 * ahead of the library in the same way (test_notice_memory.c).
 */
#ifndef CTWATCH_CLOCK_H
#define CTWATCH_CLOCK_H

#include <stdint.h>

/* Unix seconds, for expiry and throttling (auth.h's `now`). */
int64_t ctw_clock_now(void);

#endif
