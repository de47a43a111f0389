/* travel_int.h — internals of src/travel shared with its tests (private).
 */
#ifndef CTW_TRAVEL_INT_H
#define CTW_TRAVEL_INT_H

/* Fault injection for tests (SQLite's malloc-failure idea): while non-zero,
 * the next slot-array allocation of a ctw_doctable fails as if the memory
 * were gone, and the counter drops back to 0. Not synchronised: set it
 * only while no other thread uses a table. Production code never sets it. */
extern int ctw__doctable_fail_next_alloc;

#endif
