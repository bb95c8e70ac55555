/* The native engine: one tracer thread per traced process makes every ptrace call (the
 * kernel ties a tracee to the thread that attached it). Other threads ask it through the
 * nt_* requests below (each blocks until the tracer has answered) and hear from it through
 * the sink, which the tracer calls on its own thread and which must not block.
 *
 * Triage, on the tracer thread, never waiting for anyone (DESIGN.md, Interop rules):
 *   SIGTRAP at an int3 cordbg placed ........ its breakpoint: a user stop, or internal work
 *                                             (the dynamic linker's rendezvous, a step's bp)
 *   SIGTRAP after a single step cordbg began  cordbg's step
 *   any other SIGTRAP (the runtime's patches and steps), SIGRTMIN.. (its suspension
 *   signals), SIGSEGV/SIGFPE/SIGBUS outside user native code (its null checks)
 *                                             ........ handed back at once, no stop
 *   other signals ............................ a stop (NT_EV_SIGNAL), delivered on resume
 *
 * Stops. Native mode: all-stop (every thread interrupted before the event is reported).
 * Mixed mode: only the event's thread is frozen; the engine synchronizes the managed
 * threads with ICorDebug (never freezing the runtime's own threads). While an event is
 * reported and not resumed, other threads reaching a user breakpoint are rewound and
 * parked; they hit it again after the resume.
 *
 * Thread states: RUNNING ─(any ptrace stop)─▶ STOPPED ─(PTRACE_CONT/SINGLESTEP)─▶ RUNNING;
 * a STOPPED thread keeps a signal to deliver at its next resume (pending_sig). */
#ifndef CORDBG_NATIVE_NT_H
#define CORDBG_NATIVE_NT_H
#include <stddef.h>
#include <stdint.h>
#include "native/sym.h"

typedef struct NtProc NtProc;

typedef enum NtMode { NT_NATIVE, NT_MIXED } NtMode;

typedef enum NtEventKind {
    NT_EV_BREAKPOINT,   /* tid stopped at user breakpoint bp_id (bp_id -1: a step target) */
    NT_EV_STEP,         /* a step (nt_step) ended at pc */
    NT_EV_SIGNAL,       /* tid received signo (code, addr): a stop; delivered on resume */
    NT_EV_INTERRUPT,    /* nt_interrupt: everything native is stopped (tid: the first thread) */
    NT_EV_LIBS,         /* shared libraries changed; breakpoints (re)bound: nbound of them */
    NT_EV_EXEC,         /* the process executed a new program (path) */
    NT_EV_THREAD,       /* a thread appeared (created 1) or ended (created 0); quiet */
    NT_EV_FORK,         /* the process forked child_pid; the child was let go without breakpoints */
    NT_EV_EXIT,         /* the process ended (status: its wait status) */
    NT_EV_WATCH,        /* tid triggered hardware watchpoint bp_id at addr: old and new value
                           (wlen bytes each; wchanged 0 for a read) */
} NtEventKind;

typedef struct NtEvent {
    NtEventKind kind;
    int      tid;
    uint64_t pc;
    int      bp_id;
    int      signo, code;
    uint64_t addr;
    int      status;
    int      created;
    int      child_pid;
    int      nbound;
    char     path[1024];
    uint8_t  wold[8], wnew[8];
    int      wlen, wchanged;
} NtEvent;

typedef void (*NtSink)(void *ctx, const NtEvent *ev);

/* Registers of a stopped thread (x86-64), general purpose and FP/SSE. */
typedef struct NtRegs {
    uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip, eflags, cs, ss, ds, es, fs, gs, fs_base, gs_base, orig_rax;
    uint16_t fcw, fsw, ftw, fop;
    uint32_t mxcsr;
    uint8_t  st[8][16];         /* x87 registers, 80 bits each in 16-byte slots */
    uint8_t  xmm[16][16];
} NtRegs;

typedef struct NtThreadInfo {
    int  tid;
    int  stopped;               /* ptrace-stopped now */
    uint64_t pc;                /* when stopped */
    char name[32];
} NtThreadInfo;

typedef struct NtBreakInfo {
    int      id;
    int      nlocs;
    uint64_t first;             /* its first location, 0 when pending */
    char     refused[256];      /* pending because its code is where mixed mode places no
                                   int3 (the runtime's own libraries): why; else "" */
} NtBreakInfo;

NtProc *nt_new(NtMode mode, NtSink sink, void *ctx);
/* Stops tracing (detaching from a live process: every int3 removed) and ends the thread. */
void    nt_free(NtProc *p);
NtMode  nt_mode(NtProc *p);
int     nt_pid(NtProc *p);

/* Trace a program cordbg started, still held before its exec (one thread). The exec is then
 * seen (breakpoints bind as libraries load). 0 or -errno (err says why). */
int nt_seize_child(NtProc *p, int pid, char *err, size_t cap);
/* Attach to every thread of a running process. native mode: it is left stopped
 * (NT_EV_INTERRUPT follows); mixed: it runs on. */
int nt_attach(NtProc *p, int pid, char *err, size_t cap);
/* Remove every int3, detach from every thread (their pending signals delivered). */
int nt_detach(NtProc *p);
/* Kill the process and wait until it is gone (NT_EV_EXIT follows). */
int nt_kill(NtProc *p);

/* Resume after a stop: every thread (tid 0), or (native mode) only tid with the others
 * left stopped. A stopped thread's pending signal is delivered. */
int nt_resume(NtProc *p, int only_tid);
/* Stop everything native (async; NT_EV_INTERRUPT reports it). */
int nt_interrupt(NtProc *p);
/* Steps of thread tid, reported by NT_EV_STEP (or a breakpoint/signal on the way):
 *   'i' one instruction      'n' one instruction, over calls
 *   's' source line, into functions with line info     'o' source line, over calls
 *   'f' until the current function returns (to frame_cfa's caller)
 * mixed mode: code no module covers (jitted code) is never stepped in: a call into it is
 * stepped over ('o', 'n') or run freely ('s'), a return into it runs freely; the engine's
 * managed breakpoints then end the step. */
int nt_step(NtProc *p, int tid, int kind, char *err, size_t cap);
/* Forget a step in progress (its internal breakpoints removed). */
int nt_step_cancel(NtProc *p);

/* User breakpoints on a function name or FILE:LINE (module: a file name filter or NULL).
 * They bind now where the code is loaded and whenever a library loads. Returns the number
 * of locations bound now (0: pending), or -1 with err. */
int nt_break_add(NtProc *p, int id, const char *module, const char *func, const char *file,
                 uint32_t line, char *err, size_t cap);
/* A breakpoint on an address (must be in a mapped module). */
int nt_break_addr(NtProc *p, int id, uint64_t addr, char *err, size_t cap);
int nt_break_remove(NtProc *p, int id);
int nt_break_enable(NtProc *p, int id, int on);
int nt_break_info(NtProc *p, int id, NtBreakInfo *out);
/* One-shot breakpoints that end a step (NT_EV_BREAKPOINT with bp_id -1), for the engine's
 * step into native code from managed code; cleared by nt_step_cancel or when one is hit. */
int nt_step_targets(NtProc *p, const uint64_t *addrs, int n, int only_tid);

/* Hardware watchpoints (x86-64 debug registers DR0-DR3, DR7), on every thread of the process,
 * those created later too. kind 'w' write, 'r' read, 'a' access (read or write; x86 has no
 * read-only watch: 'r' is an access watch that does not report writes that change the
 * value). len 1, 2, 4 or 8, addr aligned to it. A write watch whose value did not change
 * does not stop (as gdb's). 0, or -1 with err (no free register, bad size or alignment). */
int nt_watch_add(NtProc *p, int id, uint64_t addr, int len, int kind, char *err, size_t cap);
int nt_watch_remove(NtProc *p, int id);

int nt_get_regs(NtProc *p, int tid, NtRegs *out);
int nt_set_reg(NtProc *p, int tid, const char *name, uint64_t value);
/* Target memory (our int3s are hidden on read and kept on write). Any thread. */
int nt_read_mem(NtProc *p, uint64_t addr, void *buf, size_t len);
int nt_write_mem(NtProc *p, uint64_t addr, const void *buf, size_t len);
/* Threads (malloc'ed array). */
int nt_threads(NtProc *p, NtThreadInfo **out, size_t *n);
/* The process's native symbols. Lock around every use from outside the tracer. */
NsSpace *nt_sym_lock(NtProc *p);
void     nt_sym_unlock(NtProc *p);
/* 1 when addr is in a library of the runtime (libcoreclr, libclrjit, libSystem.*, ...) or
 * in no module at all: not user code (steps do not stop there). */
int nt_is_runtime_code(NtProc *p, uint64_t addr);
/* The same by a library's file name ("libcoreclr.so"); no lock taken. */
int nt_is_runtime_library(const char *name);
/* Mixed mode places no breakpoints in this library (the runtime's own, not its P/Invoke shims). */
int nt_forbids_breakpoints(const char *name);

/* Post-mortem (issue 23). A tracer over a core dump: no thread, no process; threads,
 * registers, memory and symbols come from cf (borrowed: it outlives p); every request that
 * needs a live process fails (-EPERM, err "not possible in a core dump"). */
struct CoreFile;
NtProc *nt_open_core(struct CoreFile *cf, NtMode mode);
int     nt_is_core(const NtProc *p);
/* Write a core dump of the traced process to path (threads running are stopped for the
 * while and run on after it). 0, or -1 with err. */
int     nt_write_core(NtProc *p, const char *path, char *err, size_t cap);
/* The same with thread first_tid first (the one the user stopped at: a core's reader shows
 * it as the crashing thread); 0: stopped threads first, in the tracer's order. */
int     nt_write_core_first(NtProc *p, const char *path, int first_tid, char *err, size_t cap);

/* "SIGSEGV" and "Segmentation fault" for a signal number. */
const char *nt_signal_name(int signo);
const char *nt_signal_meaning(int signo);

#endif
