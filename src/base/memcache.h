/* memcache: a snapshot cache of the debuggee's memory while it is stopped.
 *
 * The runtime's right side (libmscordbi) and its DAC read the debuggee a few bytes at a
 * time with pread64 on /proc/PID/mem: about 1,100 system calls per stop. cordbg's
 * executable defines and exports open/open64/openat/pread/pread64/pwrite/pwrite64/read/
 * write/close (Makefile: --export-dynamic-symbol), so the runtime's libraries bind to these
 * instead of libc's, as they already do for waitpid. Reads on a /proc/PID/mem fd (the
 * right side's, the DAC's, and cordbg's native engine's) are served from 4 KiB pages read
 * once, but only while the cache is enabled:
 *
 *  - mc_enable() when the process is stopped: the runtime's "synchronized" event read from
 *    its debugger transport (memcache.c parses the transport's headers), a managed callback
 *    entered (every ICorDebug event is sent synchronized); never at a native-mode stop
 *    (tried, then taken out: a watchpoint test failed once with it in a CI run);
 *  - everything that can let the program run or change its memory drops every page and
 *    disables the cache: any message of the right side on the transport (Continue,
 *    function evaluation, breakpoint and stepper requests, Stop, Detach: the left side does
 *    every ICorDebug change), but for a write-memory or read-memory request: the written
 *    bytes' pages go at the request, and every page at its answer, with the cache still
 *    serving (the process stays synchronized; the left side's transport thread has handled
 *    the message and the acknowledgements it carries); any pwrite on /proc/PID/mem; any ptrace request but a read or a stop
 *    (cordbg's native engine: pokes, continues, single steps; --wrap=ptrace); a
 *    /proc/PID/mem opened anew (a process attached or launched runs until its first stop).
 *
 * The cache is on; CORDBG_MEMCACHE=0 turns it off (the floor of bench/ and its "without"
 * figures). Pages older than 20 ms are read again even within a stop.
 *
 * A synchronized process is not a frozen one: the runtime lets threads in preemptive mode
 * run while it is stopped (the tiered compilation's background JIT, which installs code and
 * updates its tables in the native heap; native threads of the program's own libraries), so
 * a page may change during a stop with no debugger message at all, cache or not; the right
 * side reading it a few bytes at a time already sees such changes at whatever moment each
 * read happens. The cache's rule is the one it can keep: nothing the debugger does (a
 * message to the left side, a write, a ptrace request) is ever followed by a read served
 * from before it.
 *
 * The verification mode (CORDBG_MEMCACHE_VERIFY=1; tests/run.py turns it on for the whole
 * suite) proves that rule on every read served: each is read fresh as well and compared. A
 * difference while no thread of the program but the runtime's debugger helper (".NET
 * Debugger") and its transport thread (".NET DebugPipe") ran since the cache began serving
 * or was last flushed (schedstat of every thread, taken at the callback) is a cache bug: on
 * stderr as "cordbg: memcache: stale read at 0xADDR (N bytes) from CALLERS; +OFF cached ..
 * fresh ..; threads that ran: ..." and in CORDBG_MEMCACHE_REPORT, which fails the test. A
 * difference while other threads ran is the program's own doing: counted, and noted in the
 * report with the names of the threads that ran. */
#ifndef CORDBG_BASE_MEMCACHE_H
#define CORDBG_BASE_MEMCACHE_H

#include <stdint.h>

typedef struct {
    int           enabled;      /* serving reads now */
    int           off;          /* CORDBG_MEMCACHE=0 */
    int           verify;       /* CORDBG_MEMCACHE_VERIFY=1 */
    unsigned      valid_pages;  /* pages held for the current stop */
    uint64_t      hits, fills, direct, drops, stale;
    uint64_t      range_drops;  /* write-memory requests: only their pages dropped */
    uint64_t      verified;     /* verify: reads served and compared */
    uint64_t      concurrent;   /* verify: differences made by the program's running threads */
    uint64_t      preads;       /* pread system calls made on /proc/PID/mem */
} McStats;

/* The process is stopped (synchronized): reads may be cached until the next mc_drop. */
void mc_enable(void);
/* The process may run or its memory may change: drop every page, stop serving. */
void mc_drop(const char *why);
void mc_stats(McStats *out);
/* While on, nothing is served (and turning it on drops every page): the engine holds the
 * cache off from an attach until the process is held, and through a detach. Detaching after
 * an attach failed now and then with the cache serving (the right side reported the live
 * process terminated); the cause is not found, so those phases read fresh. */
void mc_hold(int on);
/* A fault, for the test that the verification catches a cache that misses a drop: while on,
 * nothing drops the cache (turning it off drops it). `maintenance memcache skip-drops on|off`. */
void mc_fault_skip_drops(int on);

#endif
