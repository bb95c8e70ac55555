/* The lifeline of an attached process: a small process (cordbg re-executed in a hidden
 * mode) that outlives cordbg. If cordbg dies without ending its debugging session (kill -9,
 * a crash), the runtime's left side would keep the program suspended for ever and turn
 * every later debugger away (it waits for the dead session to come back). The lifeline
 * then speaks the runtime's debugger transport itself, as the dead session: it takes the
 * session back (SessionResync), stops the runtime if it runs (ASYNC_BREAK), detaches
 * (DETACH_FROM_PROCESS: patches removed, threads resumed) and closes the session
 * (SessionClose), so the program runs on and can be attached again.
 *
 *   cordbg ── pipe (only cordbg holds the write end) ──▶ lifeline
 *   'd' then close: the session ended normally, the lifeline exits
 *   EOF without 'd': cordbg is gone, the lifeline rescues the process
 *
 * Called from the engine thread; the spawn is posix_spawn (safe in a threaded process). */
#ifndef CORDBG_CLR_LIFELINE_H
#define CORDBG_CLR_LIFELINE_H
#include <stddef.h>

typedef struct ClrLifeline {
    int pid;     /* the lifeline process, 0 if none */
    int fd;      /* write end of its pipe, -1 if none */
} ClrLifeline;

/* Start a lifeline for TARGET (attached, its session open). 0, or -errno with err. */
int clr_lifeline_start(ClrLifeline *l, int target, char *err, size_t cap);

/* The session ends normally (detach, kill, exit): tell the lifeline and reap it. */
void clr_lifeline_end(ClrLifeline *l);

/* `cordbg --lifeline PID INODE`: the lifeline itself, its pipe's read end on descriptor 3;
 * INODE is the runtime's -in FIFO of the live connection. Returns its exit status. */
int clr_lifeline_main(int target, unsigned long dead_in);

#endif
