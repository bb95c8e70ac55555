/* Watching a debuggee's life from outside the runtime. The right side notices a process's
 * end by probing its pid, which a zombie (a process whose parent has not reaped it yet)
 * still answers; a pidfd does not wait for the reaping. The watcher thread posts one
 * CE_PROCESS_GONE event to the sink when the process ends, and does nothing else. */
#ifndef CORDBG_CLR_WATCH_H
#define CORDBG_CLR_WATCH_H
#include "clr/callback.h"

typedef struct ClrWatch ClrWatch;

/* Start watching PID. NULL when the kernel has no pidfd (then only the runtime's own
 * exit report is heard). */
ClrWatch *clr_watch_start(int pid, ClrEventSink sink, void *ctx, unsigned generation);
/* Stop the watcher (joins its thread); no event is posted after this returns. */
void clr_watch_stop(ClrWatch *w);

/* What /proc says of a process: 'Z' zombie, 'X' dead, '?' gone or unreadable, else the
 * state letter; *exit_status gets field 52 (the wait status) when the process is a zombie. */
char clr_proc_state(int pid, int *exit_status);

#endif
