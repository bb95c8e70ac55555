/* memcache: a snapshot cache of the debuggee's memory while it is stopped.
 *
 * The runtime's right side (libmscordbi) and its DAC read the debuggee a few bytes at a
 * time with pread64 on /proc/PID/mem: about 1,100 system calls per stop. cordbg's
 * executable defines and exports open/open64/openat/pread/pread64/pwrite/pwrite64/write/
 * close (Makefile: --export-dynamic-symbol), so the runtime's libraries bind to these
 * instead of libc's, as they already do for waitpid. Reads on a /proc/PID/mem fd are
 * served from 4 KiB pages read once, but only while the cache is enabled:
 *
 *  - mc_enable() is called when a managed callback is entered (the runtime is synchronized:
 *    every ICorDebug event is sent stopped, and stays so until the debugger answers);
 *  - everything that can let the program run or change its memory drops every page and
 *    disables the cache until the next callback: any write on the runtime's debugger
 *    transport pipes (Continue, function evaluation, SetValue/WriteMemory, breakpoint and
 *    stepper requests, Stop, Detach: the left side does every ICorDebug write), any pwrite
 *    on /proc/PID/mem, and any ptrace request but a read (cordbg's native engine:
 *    pokes, continues, single steps; the Makefile links with --wrap=ptrace).
 *
 * CORDBG_MEMCACHE=1 turns the cache on; it is OFF by default. The verification mode
 * (CORDBG_MEMCACHE_VERIFY=1: every cache hit is read fresh again and compared, a difference
 * reported on stderr as "cordbg: memcache: stale read at 0xADDR (N bytes) from CALLERS; +OFF
 * cached .. fresh ..") found differences in a few e2e tests (test_evaldiff,
 * test_eval_semantics, test_stepping2's ConfigureAwait(false) step): pages of the runtime's
 * native heap that changed while every callback rule above held. The runtime keeps threads
 * in preemptive mode running while it is synchronized (the tiered compilation's background
 * JIT, thread-pool threads waking up), so a "stopped" process's memory is not frozen, and no
 * rule about debugger events can make a snapshot of it exact. Until that is solved (for
 * instance by freezing those threads, or by caching only within one ICorDebug call), the
 * cache stays opt-in. */
#ifndef CORDBG_CLR_MEMCACHE_H
#define CORDBG_CLR_MEMCACHE_H

#include <stdint.h>

typedef struct {
    int           enabled;      /* serving reads now */
    int           off;          /* CORDBG_MEMCACHE=0 */
    int           verify;       /* CORDBG_MEMCACHE_VERIFY=1 */
    unsigned      valid_pages;  /* pages held for the current stop */
    uint64_t      hits, fills, direct, drops, stale;
    uint64_t      preads;       /* pread system calls made on /proc/PID/mem */
} McStats;

/* The process is stopped (synchronized): reads may be cached until the next mc_drop. */
void mc_enable(void);
/* The process may run or its memory may change: drop every page, stop serving. */
void mc_drop(const char *why);
void mc_stats(McStats *out);

#endif
