/* The native engine's tracer thread: ptrace stops, triage, int3 breakpoints, steps. See nt.h
 * for the contract and the triage table; this file's sections follow the life of a stop:
 * wake-up (SIGCHLD self-pipe and requests), the wait loop, triage, breakpoints, steps,
 * requests. Everything below "tracer thread only" runs on the tracer. */
#include "native/nt.h"
#include "native/core.h"
#include "native/disasm.h"
#include "base/os.h"
#include "base/log.h"

#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef TRAP_BRKPT
#define TRAP_BRKPT 1
#endif
#ifndef TRAP_TRACE
#define TRAP_TRACE 2
#endif
#ifndef TRAP_HWBKPT
#define TRAP_HWBKPT 4
#endif

enum { STEP_NONE, STEP_OVER_SITE, STEP_USER };

typedef struct Thread {
    int      tid;
    int      stopped;           /* in a ptrace stop now */
    int      pending_sig;       /* to deliver at the next resume */
    int      stepping;          /* STEP_OVER_SITE / STEP_USER: a single step we began */
    int      parked;            /* rewound to a user breakpoint while another event is reported */
    siginfo_t deferred;         /* a signal stop seen while another event is reported */
    int      has_deferred;
    unsigned dr_gen;            /* the watchpoint set its debug registers hold (NtProc.dr_gen) */
    unsigned wp_deferred;       /* watch slots it hit while another event was reported */
    uint64_t emu_open[2];       /* emulated watchpoints: pages opened for its single step */
    int      nemu_open;
} Thread;

/* An address holding our int3: who wants it. */
typedef struct Site {
    uint64_t addr;
    uint8_t  orig;
    int      inserted;
    int      rbrk;              /* the dynamic linker's rendezvous */
    int      step_ret;          /* the step's return breakpoint */
    int      target;            /* a step target (nt_step_targets) */
    int      users;             /* enabled user breakpoints here */
} Site;

typedef struct Break {
    int       id;
    int       enabled;
    char     *module, *func, *file;
    uint32_t  line;
    uint64_t  addr;             /* address breakpoint (func and file NULL) */
    uint64_t *locs; int nlocs;
    char      refused[256];     /* mixed mode: why its only code found cannot take an int3 */
} Break;

typedef struct Step {
    int      active, tid, kind;
    uint64_t lo, hi;            /* the line's code */
    uint32_t line;
    uint64_t ret_addr, ret_sp;  /* a return breakpoint: hit by tid with rsp >= ret_sp */
    int      free_run;          /* mixed: left native code; the engine ends it */
    int      after_call;        /* the last single step executed a call */
} Step;

/* A hardware watchpoint: one debug register (its index in NtProc.wslot). */
typedef struct Watch {
    int      used, id;
    uint64_t addr;
    int      len, kind;         /* 'w', 'r', 'a' */
    uint8_t  old[8];            /* the value at the last report (or when set) */
    int      emulated;          /* by page protection (the machine's debug registers do not trap) */
    uint64_t page;              /* emulated: its page, and that page's own protection */
    int      orig_prot;
} Watch;

typedef enum ReqKind {
    R_WATCH, R_WATCH_REMOVE,
    R_SEIZE, R_ATTACH, R_DETACH, R_KILL, R_RESUME, R_INTERRUPT, R_STEP, R_STEP_CANCEL,
    R_BREAK, R_BREAK_REMOVE, R_BREAK_ENABLE, R_BREAK_INFO, R_TARGETS, R_REGS,
    R_SET_REG, R_THREADS, R_WRITE, R_WRITE_CORE, R_QUIT,
} ReqKind;

typedef struct Req {
    ReqKind kind;
    int a, b;
    const char *s1, *s2, *s3;
    uint32_t u;
    uint64_t addr;
    const void *in; void *out; size_t len;
    char *err; size_t cap;
    int rc, done;
    struct Req *next;
} Req;

struct NtProc {
    NtMode    mode;
    NtSink    sink;
    void     *ctx;
    pthread_t thread;
    int       tracer_tid;
    int       wake[2];          /* self-pipe: SIGCHLD and requests */
    pthread_mutex_t mu;         /* the request queue, sites (read by nt_read_mem) */
    pthread_cond_t  cv;
    Req      *rq_head, *rq_tail;
    pthread_mutex_t sym_mu;
    NsSpace  *sym;
    unsigned  libs_gen, sym_gen; /* refresh the symbols when they differ */
    unsigned  debug_gen;        /* ns_debug_generation() pending breakpoints were bound with */
    int       mem_fd;           /* /proc/PID/mem */
    NdDisasm *dis;
    NdDisasm *dis_intel;        /* emulated watchpoints: an access's size from "dword ptr" */
    CoreFile *core;             /* nt_open_core: no tracer thread; everything from the core */

    /* Tracer thread only from here (sites also under mu). */
    int       pid;              /* 0: no process */
    int       quit;
    int       held;             /* an event was reported and not yet resumed */
    int       stop_in_runtime;  /* mixed: stop at user breakpoints the runtime's own code reaches
                                 * too (CORDBG_MIXED_STOP_IN_RUNTIME=1, a diagnostic: it can
                                 * deadlock the runtime, see on_site) */
    Thread  **threads; size_t nthreads, capthreads;   /* each Thread stays put until removed */
    Site     *sites;   size_t nsites, capsites;
    Break    *bps;     size_t nbps, capbps;
    Step      step;
    int       target_tid;       /* step targets: only this thread (0: any) */
    int       early[16];        /* forked children whose first stop came before the fork event */
    int       nearly;
    uint64_t  rbrk_addr;
    Watch     wslot[4];         /* DR0-DR3 */
    unsigned  dr_gen;           /* bumped at every change of wslot */
    int       dr_ever;          /* a watchpoint was set once: new threads get the registers */
    int       hw_watch;         /* the debug registers trap here: 1 yes, 0 no (emulate), -1 not probed */
};

/* ---------------------------------------------------------------- wake-up
 * The tracer sleeps in poll() on its self-pipe. SIGCHLD (a tracee changed state) writes a
 * byte to every live tracer's pipe; so does every request. The handler is the one piece of
 * process-wide state: signal handlers cannot be given a context. */

#define MAX_TRACERS 8
static int g_wake_fds[MAX_TRACERS];
static pid_t g_owner;
static pthread_mutex_t g_wake_mu = PTHREAD_MUTEX_INITIALIZER;

static void on_sigchld(int sig)
{
    (void)sig;
    int saved = errno;
    if (getpid() == g_owner)
        for (int i = 0; i < MAX_TRACERS; i++) {
            int fd = __atomic_load_n(&g_wake_fds[i], __ATOMIC_ACQUIRE);
            if (fd > 0) { ssize_t w = write(fd, "c", 1); (void)w; }
        }
    errno = saved;
}

static void wake_register(int fd, int on)
{
    pthread_mutex_lock(&g_wake_mu);
    if (!g_owner) {
        g_owner = getpid();
        struct sigaction sa = { .sa_handler = on_sigchld, .sa_flags = SA_RESTART };
        sigemptyset(&sa.sa_mask);
        sigaction(SIGCHLD, &sa, NULL);
    }
    for (int i = 0; i < MAX_TRACERS; i++) {
        if (on && g_wake_fds[i] == 0) { __atomic_store_n(&g_wake_fds[i], fd, __ATOMIC_RELEASE); break; }
        if (!on && g_wake_fds[i] == fd) { __atomic_store_n(&g_wake_fds[i], 0, __ATOMIC_RELEASE); break; }
    }
    pthread_mutex_unlock(&g_wake_mu);
}

static void wake(NtProc *p) { ssize_t w = write(p->wake[1], "r", 1); (void)w; }

/* ---------------------------------------------------------------- waitpid for others
 * A tracee counts as a child of every thread of the tracer's process, so another thread's
 * waitpid(pid) steals its ptrace stops: the runtime's DAC (inside libmscordaccore, loaded
 * by the right side) polls waitpid(debuggee) and took a stop for the process's end. cordbg
 * exports its own waitpid (Makefile: --export-dynamic-symbol), which libraries bind to
 * before libc's: for a pid cordbg traces, any thread but the tracer gets ECHILD, as for a
 * process that is not its child (the PAL then asks kill(pid, 0)); a wait for any child
 * is limited to the caller's own children (__WNOTHREAD). */

static int g_traced[MAX_TRACERS];       /* pid traced by each live tracer, 0 if none */
static int g_tracer_tids[MAX_TRACERS];

static void traced_set(int slot_fd, int pid, int tracer_tid)
{
    pthread_mutex_lock(&g_wake_mu);
    for (int i = 0; i < MAX_TRACERS; i++)
        if (g_wake_fds[i] == slot_fd) {
            __atomic_store_n(&g_tracer_tids[i], tracer_tid, __ATOMIC_RELEASE);
            __atomic_store_n(&g_traced[i], pid, __ATOMIC_RELEASE);
        }
    pthread_mutex_unlock(&g_wake_mu);
}

pid_t waitpid(pid_t pid, int *status, int options)
{
    int self = (int)syscall(SYS_gettid);
    int tracer = 0, traced = 0;
    for (int i = 0; i < MAX_TRACERS; i++) {
        int t = __atomic_load_n(&g_traced[i], __ATOMIC_ACQUIRE);
        if (!t) continue;
        traced = 1;
        if (__atomic_load_n(&g_tracer_tids[i], __ATOMIC_ACQUIRE) == self) tracer = 1;
        if (pid == t && !tracer) { errno = ECHILD; return -1; }
    }
    if (traced && !tracer && pid <= 0) options |= __WNOTHREAD;
    return (pid_t)syscall(SYS_wait4, pid, status, options, NULL);
}

/* ---------------------------------------------------------------- signals */

const char *nt_signal_name(int signo)
{
    static const char *const names[] = {
        [SIGHUP] = "SIGHUP", [SIGINT] = "SIGINT", [SIGQUIT] = "SIGQUIT", [SIGILL] = "SIGILL",
        [SIGTRAP] = "SIGTRAP", [SIGABRT] = "SIGABRT", [SIGBUS] = "SIGBUS", [SIGFPE] = "SIGFPE",
        [SIGKILL] = "SIGKILL", [SIGUSR1] = "SIGUSR1", [SIGSEGV] = "SIGSEGV", [SIGUSR2] = "SIGUSR2",
        [SIGPIPE] = "SIGPIPE", [SIGALRM] = "SIGALRM", [SIGTERM] = "SIGTERM", [SIGSTKFLT] = "SIGSTKFLT",
        [SIGCHLD] = "SIGCHLD", [SIGCONT] = "SIGCONT", [SIGSTOP] = "SIGSTOP", [SIGTSTP] = "SIGTSTP",
        [SIGTTIN] = "SIGTTIN", [SIGTTOU] = "SIGTTOU", [SIGURG] = "SIGURG", [SIGXCPU] = "SIGXCPU",
        [SIGXFSZ] = "SIGXFSZ", [SIGVTALRM] = "SIGVTALRM", [SIGPROF] = "SIGPROF", [SIGWINCH] = "SIGWINCH",
        [SIGIO] = "SIGIO", [SIGPWR] = "SIGPWR", [SIGSYS] = "SIGSYS",
    };
    static __thread char rt[16];
    if (signo > 0 && signo < (int)(sizeof names / sizeof names[0]) && names[signo]) return names[signo];
    if (signo >= SIGRTMIN && signo <= SIGRTMAX) {
        snprintf(rt, sizeof rt, "SIG%d", signo);
        return rt;
    }
    snprintf(rt, sizeof rt, "signal %d", signo);
    return rt;
}

const char *nt_signal_meaning(int signo)
{
    switch (signo) {
    case SIGSEGV: return "Segmentation fault";
    case SIGABRT: return "Aborted";
    case SIGBUS:  return "Bus error";
    case SIGFPE:  return "Arithmetic exception";
    case SIGILL:  return "Illegal instruction";
    case SIGTRAP: return "Trace/breakpoint trap";
    case SIGUSR1: return "User defined signal 1";
    case SIGUSR2: return "User defined signal 2";
    case SIGINT:  return "Interrupt";
    case SIGTERM: return "Terminated";
    case SIGKILL: return "Killed";
    case SIGPIPE: return "Broken pipe";
    case SIGHUP:  return "Hangup";
    case SIGQUIT: return "Quit";
    case SIGALRM: return "Alarm clock";
    case SIGCHLD: return "Child status changed";
    case SIGSYS:  return "Bad system call";
    default:      return strsignal(signo);
    }
}

/* ---------------------------------------------------------------- tracer thread only */

static Thread *thread_find(NtProc *p, int tid)
{
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i]->tid == tid) return p->threads[i];
    return NULL;
}

/* Threads are allocated one by one: a Thread * held across a call that adds threads (a
 * clone seen while waiting) stays valid. */
static Thread *thread_add(NtProc *p, int tid)
{
    Thread *t = thread_find(p, tid);
    if (t) return t;
    if (p->nthreads == p->capthreads) {
        size_t cap = p->capthreads ? p->capthreads * 2 : 16;
        Thread **n = realloc(p->threads, cap * sizeof *n);
        if (!n) return NULL;
        p->threads = n;
        p->capthreads = cap;
    }
    t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->tid = tid;
    p->threads[p->nthreads++] = t;
    return t;
}

static void thread_remove(NtProc *p, int tid)
{
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i]->tid == tid) {
            free(p->threads[i]);
            p->threads[i] = p->threads[--p->nthreads];
            return;
        }
}

static void threads_clear(NtProc *p)
{
    for (size_t i = 0; i < p->nthreads; i++) free(p->threads[i]);
    p->nthreads = 0;
}

static void post(NtProc *p, NtEvent *ev)
{
    if (p->sink) p->sink(p->ctx, ev);
}

static int get_regs(int tid, struct user_regs_struct *r)
{
    return ptrace(PTRACE_GETREGS, tid, NULL, r) == 0 ? 0 : -errno;
}

/* What an unwind starts from. */
static NsRegs ns_regs_of(const struct user_regs_struct *r)
{
    return (NsRegs){ .rax = r->rax, .rdx = r->rdx, .rcx = r->rcx, .rbx = r->rbx, .rsi = r->rsi, .rdi = r->rdi,
                     .rbp = r->rbp, .rsp = r->rsp, .r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11,
                     .r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rip = r->rip };
}

static uint64_t thread_pc(int tid)
{
    struct user_regs_struct r;
    return get_regs(tid, &r) == 0 ? r.rip : 0;
}

static int set_pc(int tid, uint64_t pc)
{
    struct user_regs_struct r;
    if (get_regs(tid, &r) != 0) return -1;
    r.rip = pc;
    return ptrace(PTRACE_SETREGS, tid, NULL, &r) == 0 ? 0 : -1;
}

/* ---- memory (the /proc/PID/mem file; the tracer may write read-only text through it) */

static int mem_read_raw(NtProc *p, uint64_t addr, void *buf, size_t len)
{
    if (p->mem_fd < 0) return -1;
    ssize_t r = pread(p->mem_fd, buf, len, (off_t)addr);
    return r == (ssize_t)len ? 0 : -1;
}

static int mem_write_raw(NtProc *p, uint64_t addr, const void *buf, size_t len)
{
    if (p->mem_fd < 0) return -1;
    ssize_t r = pwrite(p->mem_fd, buf, len, (off_t)addr);
    return r == (ssize_t)len ? 0 : -1;
}

static int sym_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    return nt_read_mem(ctx, addr, buf, len);
}

/* ---- sites: int3s in memory */

static Site *site_find(NtProc *p, uint64_t addr)
{
    for (size_t i = 0; i < p->nsites; i++)
        if (p->sites[i].addr == addr) return &p->sites[i];
    return NULL;
}

static int site_wanted(const Site *s) { return s->rbrk || s->step_ret || s->target || s->users > 0; }

static Site *site_get(NtProc *p, uint64_t addr)
{
    Site *s = site_find(p, addr);
    if (s) return s;
    uint8_t orig;
    if (mem_read_raw(p, addr, &orig, 1) != 0) return NULL;
    pthread_mutex_lock(&p->mu);
    if (p->nsites == p->capsites) {
        size_t cap = p->capsites ? p->capsites * 2 : 32;
        Site *n = realloc(p->sites, cap * sizeof *n);
        if (!n) { pthread_mutex_unlock(&p->mu); return NULL; }
        p->sites = n;
        p->capsites = cap;
    }
    s = &p->sites[p->nsites++];
    memset(s, 0, sizeof *s);
    s->addr = addr;
    s->orig = orig;
    pthread_mutex_unlock(&p->mu);
    return s;
}

/* Insert or remove the int3 as the site's wants say; drop a site nobody wants. */
static void site_sync(NtProc *p, Site *s)
{
    uint8_t int3 = 0xcc;
    if (site_wanted(s) && !s->inserted) {
        if (mem_write_raw(p, s->addr, &int3, 1) == 0) s->inserted = 1;
    } else if (!site_wanted(s)) {
        if (s->inserted) mem_write_raw(p, s->addr, &s->orig, 1);
        pthread_mutex_lock(&p->mu);
        *s = p->sites[--p->nsites];
        pthread_mutex_unlock(&p->mu);
    }
}

static void sites_remove_all(NtProc *p)
{
    for (size_t i = 0; i < p->nsites; i++)
        if (p->sites[i].inserted) {
            mem_write_raw(p, p->sites[i].addr, &p->sites[i].orig, 1);
            p->sites[i].inserted = 0;
        }
}

/* ---- waiting for one thread */

static int is_exit(int status) { return WIFEXITED(status) || WIFSIGNALED(status); }

/* Block until thread t reports a stop (or ends: returns 1). A signal it stops with meanwhile
 * is kept for its resume; a clone is noted. */
static void handle_clone(NtProc *p, Thread *t);
static unsigned dr6_take(NtProc *p, Thread *t);
static int emu_fault_open(NtProc *p, Thread *t, uint64_t addr);
static int emu_page_of(NtProc *p, uint64_t addr);
static void emu_reprotect(NtProc *p, Thread *t);
static int wait_thread_stop(NtProc *p, Thread *t, int want_trace)
{
    for (;;) {
        int status;
        int r = waitpid(t->tid, &status, __WALL);
        if (r < 0) {
            if (errno == EINTR) continue;
            return 1;
        }
        if (is_exit(status)) return 1;
        if (!WIFSTOPPED(status)) continue;
        int sig = WSTOPSIG(status), event = status >> 16;
        t->stopped = 1;
        if (event == PTRACE_EVENT_CLONE) { handle_clone(p, t); if (!want_trace) return 0; }
        else if (event == PTRACE_EVENT_STOP) { if (!want_trace) return 0; }
        else if (event) { if (!want_trace) return 0; }
        else if (sig == SIGTRAP && want_trace) {
            siginfo_t si;
            if (ptrace(PTRACE_GETSIGINFO, t->tid, NULL, &si) == 0 && si.si_code == TRAP_TRACE) {
                if (t->nemu_open) emu_reprotect(p, t);
                return 0;
            }
            if (!t->pending_sig) t->pending_sig = SIGTRAP;
        } else if (sig == SIGSEGV && want_trace && t->tid && emu_fault_open(p, t, 0)) {
            /* the stepped instruction touched a page an emulated watchpoint closed: step it
             * again with the page open (and closed again after) */
        } else {
            if (!t->pending_sig && sig != SIGSTOP) t->pending_sig = sig;
            if (!want_trace) return 0;
        }
        /* waiting for a trace trap: go on stepping (the signal waits for later) */
        if (ptrace(PTRACE_SINGLESTEP, t->tid, NULL, NULL) != 0) return 1;
        t->stopped = 0;
    }
}

/* One instruction of thread t (stopped), stepping over our int3 there, synchronously. */
static int step_over_site(NtProc *p, Thread *t)
{
    uint64_t pc = thread_pc(t->tid);
    Site *s = site_find(p, pc);
    int was = s && s->inserted;
    if (was) { mem_write_raw(p, pc, &s->orig, 1); s->inserted = 0; }
    int gone = 0;
    if (ptrace(PTRACE_SINGLESTEP, t->tid, NULL, NULL) == 0) {
        t->stopped = 0;
        gone = wait_thread_stop(p, t, 1);
    } else {
        gone = 1;
    }
    s = site_find(p, pc);
    if (s && site_wanted(s) && !s->inserted) site_sync(p, s);
    if (gone) { thread_remove(p, t->tid); return 1; }
    t->wp_deferred |= dr6_take(p, t);
    return 0;
}

/* ---- hardware watchpoints: the debug registers of every thread
 * Each thread has its own DR0-DR7 (the kernel gives a new thread empty ones), so a thread
 * is brought up to date (dr_apply) before it runs again whenever its dr_gen is behind:
 * new threads at their first resume, running threads by a brief interrupt when a
 * watchpoint is set or deleted. A hit is a SIGTRAP after the accessing instruction, with
 * DR6 naming the slot; DR6 is cleared after each look (the kernel keeps its bits). */

static long dr_off(int i) { return (long)offsetof(struct user, u_debugreg[i]); }

static int dr_apply(NtProc *p, Thread *t)
{
    if (t->dr_gen == p->dr_gen) return 0;
    if (!p->dr_ever || p->hw_watch == 0) { t->dr_gen = p->dr_gen; return 0; }
    /* DR7 off first: the kernel checks each address against the enabled lengths. */
    if (ptrace(PTRACE_POKEUSER, t->tid, (void *)dr_off(7), (void *)0) != 0) return -errno;
    unsigned long dr7 = 0;
    for (int i = 0; i < 4; i++) {
        const Watch *w = &p->wslot[i];
        if (!w->used || w->emulated) continue;
        if (ptrace(PTRACE_POKEUSER, t->tid, (void *)dr_off(i), (void *)(uintptr_t)w->addr) != 0) return -errno;
        unsigned long rw = w->kind == 'w' ? 1 : 3;           /* 01 write, 11 read or write */
        unsigned long len = w->len == 1 ? 0 : w->len == 2 ? 1 : w->len == 8 ? 2 : 3;
        dr7 |= 1ul << (2 * i) | rw << (16 + 4 * i) | len << (18 + 4 * i);
    }
    if (dr7 && ptrace(PTRACE_POKEUSER, t->tid, (void *)dr_off(7), (void *)dr7) != 0) return -errno;
    t->dr_gen = p->dr_gen;
    return 0;
}

/* The watch slots thread t (stopped by a SIGTRAP) hit, from DR6, which is cleared. */
static unsigned dr6_take(NtProc *p, Thread *t)
{
    if (!p->dr_ever || p->hw_watch == 0) return 0;
    errno = 0;
    long dr6 = ptrace(PTRACE_PEEKUSER, t->tid, (void *)dr_off(6), NULL);
    if (errno || !(dr6 & 0xf)) return 0;
    ptrace(PTRACE_POKEUSER, t->tid, (void *)dr_off(6), (void *)0);
    unsigned mask = 0;
    for (int i = 0; i < 4; i++)
        if ((dr6 >> i & 1) && p->wslot[i].used) mask |= 1u << i;
    return mask;
}

/* A thread stopped for someone else (an interrupt) with a SIGTRAP of ours waiting: keep
 * the hit for later instead of delivering the trap to the program. */
static void absorb_watch_trap(NtProc *p, Thread *t)
{
    if (t->pending_sig == SIGSEGV && p->dr_ever) {
        /* an access to a page an emulated watchpoint closed: it faults again when resumed */
        siginfo_t si;
        if (ptrace(PTRACE_GETSIGINFO, t->tid, NULL, &si) == 0 && si.si_signo == SIGSEGV && si.si_code == SEGV_ACCERR &&
            emu_page_of(p, (uint64_t)(uintptr_t)si.si_addr))
            t->pending_sig = 0;
        return;
    }
    if (t->pending_sig != SIGTRAP) return;
    unsigned m = dr6_take(p, t);
    if (m) { t->wp_deferred |= m; t->pending_sig = 0; }
}

/* Whether the hits in mask make a stop (ev filled): a write watch only when the value
 * changed, a read watch only when it did not (a change means a write), an access watch
 * always. The remembered value follows the memory either way. */
static int watch_check(NtProc *p, Thread *t, unsigned mask, NtEvent *ev)
{
    int found = 0;
    for (int i = 0; i < 4; i++) {
        Watch *w = &p->wslot[i];
        if (!(mask >> i & 1) || !w->used) continue;
        uint8_t now[8] = { 0 };
        if (mem_read_raw(p, w->addr, now, (size_t)w->len) != 0) continue;
        int changed = memcmp(now, w->old, (size_t)w->len) != 0;
        int stop = w->kind == 'a' || (w->kind == 'w' && changed) || (w->kind == 'r' && !changed);
        if (stop && !found) {
            memset(ev, 0, sizeof *ev);
            ev->kind = NT_EV_WATCH;
            ev->tid = t->tid;
            ev->pc = thread_pc(t->tid);
            ev->bp_id = w->id;
            ev->addr = w->addr;
            ev->wlen = w->len;
            ev->wchanged = changed;
            memcpy(ev->wold, w->old, (size_t)w->len);
            memcpy(ev->wnew, now, (size_t)w->len);
            found = 1;
        }
        memcpy(w->old, now, (size_t)w->len);
    }
    return found;
}


/* ---- emulated watchpoints: page protection
 * Some machines accept the debug registers and never trap (virtual machines whose
 * hypervisor does not pass them through: gdb's hardware watchpoints stay silent there
 * too). Probed once; then a watchpoint closes its page instead (mprotect, made by the
 * tracee itself: a syscall instruction placed at a stopped thread's pc). An access to the
 * page faults before it happens: the page is opened, the instruction single-stepped,
 * the page closed again, and the hit judged as a debug register's would be (after the
 * access). Costs: every access to the page steps; a system call given a buffer on the
 * page fails with EFAULT; a signal delivered on a closed stack page kills the thread. */

static int probe_target;

/* Do the debug registers trap on this machine? A forked child watches a global it writes. */
static int probe_hw_watch(void)
{
    const char *force = getenv("CORDBG_WATCHPOINTS");
    if (force && strcmp(force, "emulated") == 0) return 0;
    if (force && strcmp(force, "hardware") == 0) return 1;
    pid_t c = fork();
    if (c < 0) return 1;
    if (c == 0) {
        ptrace(PTRACE_TRACEME, 0, NULL, NULL);
        raise(SIGSTOP);
        __atomic_store_n(&probe_target, 1, __ATOMIC_SEQ_CST);
        _exit(0);
    }
    int st, ok = 0;
    if (waitpid(c, &st, __WALL) == c && WIFSTOPPED(st) &&
        ptrace(PTRACE_POKEUSER, c, (void *)dr_off(0), (void *)&probe_target) == 0 &&
        ptrace(PTRACE_POKEUSER, c, (void *)dr_off(7), (void *)(1ul | 1ul << 16 | 3ul << 18)) == 0 &&
        ptrace(PTRACE_CONT, c, NULL, NULL) == 0 && waitpid(c, &st, __WALL) == c)
        ok = WIFSTOPPED(st) && WSTOPSIG(st) == SIGTRAP;
    kill(c, SIGKILL);
    while (waitpid(c, &st, __WALL) == c && !WIFEXITED(st) && !WIFSIGNALED(st)) {}
    log_msg(LOG_INFO, "native", "hardware watchpoints %s", ok ? "trap" : "do not trap: emulated by page protection");
    return ok;
}

/* The protection of the mapping holding addr (from /proc/PID/maps), or -1. */
static int prot_of(NtProc *p, uint64_t addr)
{
    char path[64], *text = NULL;
    snprintf(path, sizeof path, "/proc/%d/maps", p->pid);
    if (os_read_file(path, 64u << 20, &text, NULL) != 0) return -1;
    int prot = -1;
    for (char *l = text; l && *l; ) {
        unsigned long lo, hi;
        char perm[8];
        if (sscanf(l, "%lx-%lx %7s", &lo, &hi, perm) == 3 && addr >= lo && addr < hi) {
            prot = (perm[0] == 'r' ? PROT_READ : 0) | (perm[1] == 'w' ? PROT_WRITE : 0) | (perm[2] == 'x' ? PROT_EXEC : 0);
            break;
        }
        l = strchr(l, '\n');
        if (l) l++;
    }
    free(text);
    return prot;
}

/* What a page must allow with the emulated watchpoints on it (orig: its own protection,
 * -1 when none is there). */
static int page_wanted(NtProc *p, uint64_t page, int *orig)
{
    *orig = -1;
    int prot = 0;
    for (int i = 0; i < 4; i++) {
        const Watch *w = &p->wslot[i];
        if (!w->used || !w->emulated || w->page != page) continue;
        if (*orig < 0) prot = *orig = w->orig_prot;
        prot &= w->kind == 'w' ? ~PROT_WRITE : ~(PROT_READ | PROT_WRITE);
    }
    return prot;
}

/* mprotect(page, one page, prot) made by stopped thread t. 0 or -1. */
static int inject_mprotect(NtProc *p, Thread *t, uint64_t page, int prot)
{
    struct user_regs_struct saved, r;
    if (get_regs(t->tid, &saved) != 0) return -1;
    uint8_t code[2];
    static const uint8_t syscall_insn[2] = { 0x0f, 0x05 };
    if (mem_read_raw(p, saved.rip, code, 2) != 0 || mem_write_raw(p, saved.rip, syscall_insn, 2) != 0) return -1;
    r = saved;
    r.rax = SYS_mprotect;
    r.rdi = page;
    r.rsi = 4096;
    r.rdx = (unsigned long)prot;
    r.orig_rax = (unsigned long)-1;     /* no system call restart may rewind this pc */
    int rc = -1;
    int keep = t->nemu_open;
    t->nemu_open = 0;
    if (ptrace(PTRACE_SETREGS, t->tid, NULL, &r) == 0 && ptrace(PTRACE_SINGLESTEP, t->tid, NULL, NULL) == 0) {
        t->stopped = 0;
        /* The step's trap after a system call comes as TRAP_BRKPT (user_single_step_report):
         * done when the pc is past the instruction; a signal before it waits for later. */
        for (int guard = 0; guard < 64; guard++) {
            int status;
            if (waitpid(t->tid, &status, __WALL) < 0) { if (errno == EINTR) continue; break; }
            if (is_exit(status)) break;
            if (!WIFSTOPPED(status)) continue;
            t->stopped = 1;
            int sig = WSTOPSIG(status), event = status >> 16;
            if (event == PTRACE_EVENT_CLONE) handle_clone(p, t);
            struct user_regs_struct after;
            if (get_regs(t->tid, &after) != 0) break;
            if (after.rip == saved.rip + 2) { rc = after.rax == 0 ? 0 : -1; break; }
            if (!event && sig != SIGTRAP && sig != SIGSTOP && !t->pending_sig) t->pending_sig = sig;
            if (ptrace(PTRACE_SINGLESTEP, t->tid, NULL, NULL) != 0) break;
            t->stopped = 0;
        }
    }
    t->nemu_open = keep;
    mem_write_raw(p, saved.rip, code, 2);
    ptrace(PTRACE_SETREGS, t->tid, NULL, &saved);
    return rc;
}

static int emu_page_of(NtProc *p, uint64_t addr)
{
    for (int i = 0; i < 4; i++)
        if (p->wslot[i].used && p->wslot[i].emulated && p->wslot[i].page == (addr & ~4095ull)) return 1;
    return 0;
}

/* t stopped at a SIGSEGV: when it is an access to a closed page, open the page for t's
 * next single step (closed again by emu_reprotect), note the watch slots the access may
 * touch, and return 1. addr 0: read the fault address from the signal. */
static int emu_fault_open(NtProc *p, Thread *t, uint64_t addr)
{
    if (!addr) {
        siginfo_t si;
        if (ptrace(PTRACE_GETSIGINFO, t->tid, NULL, &si) != 0 || si.si_signo != SIGSEGV || si.si_code != SEGV_ACCERR) return 0;
        addr = (uint64_t)(uintptr_t)si.si_addr;
    }
    uint64_t page = addr & ~4095ull;
    if (!emu_page_of(p, addr) || t->nemu_open >= 2) return 0;
    int orig;
    page_wanted(p, page, &orig);
    if (orig < 0 || inject_mprotect(p, t, page, orig) != 0) return 0;
    t->emu_open[t->nemu_open++] = page;
    /* The access's size from its instruction's memory operand (implicit ones, push, pop,
     * call, ret, string moves: 8). */
    uint64_t size = 8;
    uint8_t code[16];
    NdInsn in;
    if (!p->dis_intel) p->dis_intel = nd_new(1);
    if (p->dis_intel && nt_read_mem(p, thread_pc(t->tid), code, sizeof code) == 0 &&
        nd_decode(p->dis_intel, code, sizeof code, thread_pc(t->tid), &in, 1) == 1) {
        static const struct { const char *ptr; int size; } ops[] = {
            { "xmmword ptr", 16 }, { "ymmword ptr", 32 }, { "zmmword ptr", 64 }, { "qword ptr", 8 },
            { "dword ptr", 4 }, { "tbyte ptr", 10 }, { "word ptr", 2 }, { "byte ptr", 1 },
        };
        for (size_t k = 0; k < sizeof ops / sizeof ops[0]; k++)
            if (strstr(in.text, ops[k].ptr)) { size = (uint64_t)ops[k].size; break; }
    }
    for (int i = 0; i < 4; i++) {
        const Watch *w = &p->wslot[i];
        if (w->used && w->emulated && addr < w->addr + (uint64_t)w->len && addr + size > w->addr) t->wp_deferred |= 1u << i;
    }
    return 1;
}

static void emu_reprotect(NtProc *p, Thread *t)
{
    int n = t->nemu_open;
    t->nemu_open = 0;
    for (int i = 0; i < n; i++) {
        int orig;
        int prot = page_wanted(p, t->emu_open[i], &orig);
        if (orig >= 0) inject_mprotect(p, t, t->emu_open[i], prot);
    }
}

/* A stopped thread to make a system call with: a stopped one, else one interrupted for it
 * (*temp set: resume it after). */
static Thread *syscall_thread(NtProc *p, int *temp)
{
    *temp = 0;
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i]->stopped && !p->threads[i]->nemu_open) return p->threads[i];
    Thread *t = thread_find(p, p->pid);
    if (!t && p->nthreads) t = p->threads[0];
    if (!t || ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL) != 0) return NULL;
    if (wait_thread_stop(p, t, 0)) { thread_remove(p, t->tid); return NULL; }
    *temp = 1;
    return t;
}

static int resume_thread(NtProc *p, Thread *t);
static void absorb_watch_trap(NtProc *p, Thread *t);

/* Give a page the protection its emulated watchpoints want now. 0 or -1. */
static int emu_sync_page(NtProc *p, uint64_t page, int orig_if_none)
{
    int orig;
    int prot = page_wanted(p, page, &orig);
    if (orig < 0) prot = orig_if_none;
    int temp;
    Thread *t = syscall_thread(p, &temp);
    if (!t) return -1;
    int rc = inject_mprotect(p, t, page, prot);
    if (temp) {
        absorb_watch_trap(p, t);
        if (!(t->wp_deferred && p->held)) resume_thread(p, t);
    }
    return rc;
}

static void report(NtProc *p, NtEvent *ev);
static void step_clear(NtProc *p);

/* Hits of thread t to report now, unless another event is being reported (then t waits,
 * stopped, and req_resume reports them). 1 when t was taken care of (reported or kept). */
static int watch_deliver(NtProc *p, Thread *t)
{
    if (!t->wp_deferred) return 0;
    if (p->held) return 1;
    unsigned m = t->wp_deferred;
    t->wp_deferred = 0;
    NtEvent ev;
    if (!watch_check(p, t, m, &ev)) return 0;
    if (p->step.active) step_clear(p);      /* a watchpoint ends a step */
    report(p, &ev);
    return 1;
}

static int resume_thread(NtProc *p, Thread *t)
{
    if (!t->stopped) return 0;
    if (watch_deliver(p, t)) return 0;
    dr_apply(p, t);
    Site *s = site_find(p, thread_pc(t->tid));
    if (s && s->inserted && step_over_site(p, t)) return 0;   /* it ended */
    if (watch_deliver(p, t)) return 0;                        /* the stepped instruction hit one */
    int sig = t->pending_sig;
    t->pending_sig = 0;
    t->parked = 0;
    if (ptrace(PTRACE_CONT, t->tid, NULL, (void *)(long)sig) != 0) {
        if (errno == ESRCH) return 0;
        return -errno;
    }
    t->stopped = 0;
    return 0;
}

/* Stop every running thread (interrupt and wait), except `except`. */
static void stop_all(NtProc *p, int except)
{
    for (size_t i = 0; i < p->nthreads; i++) {
        Thread *t = p->threads[i];
        if (t->stopped || t->tid == except) continue;
        ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL);
    }
    for (size_t i = 0; i < p->nthreads; i++) {
        Thread *t = p->threads[i];
        if (t->stopped || t->tid == except) continue;
        if (wait_thread_stop(p, t, 0)) { thread_remove(p, t->tid); i--; continue; }
        absorb_watch_trap(p, t);
        /* At one of our user int3s: rewind, so that it is hit again after the resume. */
        siginfo_t si;
        if (t->pending_sig == SIGTRAP && ptrace(PTRACE_GETSIGINFO, t->tid, NULL, &si) == 0 &&
            (si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT)) {
            uint64_t pc = thread_pc(t->tid);
            Site *s = site_find(p, pc - 1);
            if (s && s->inserted) { set_pc(t->tid, pc - 1); t->pending_sig = 0; }
        }
    }
}

static void resume_all(NtProc *p)
{
    for (size_t i = 0; i < p->nthreads; i++) {
        if (p->held) break;     /* a thread's waiting watchpoint hit was reported instead */
        size_t before = p->nthreads;
        resume_thread(p, p->threads[i]);
        if (p->nthreads < before) i--;
    }
}

/* Report a stop to the engine: native mode stops the world first. */
static void report(NtProc *p, NtEvent *ev)
{
    if (p->mode == NT_NATIVE) stop_all(p, ev->tid);
    p->held = 1;
    post(p, ev);
}

/* ---- symbols */

NsSpace *nt_sym_lock(NtProc *p)
{
    pthread_mutex_lock(&p->sym_mu);
    unsigned gen = __atomic_load_n(&p->libs_gen, __ATOMIC_ACQUIRE);
    if (p->sym && (p->sym_gen != gen || ns_stale(p->sym))) {
        ns_refresh(p->sym);
        p->sym_gen = gen;
    }
    return p->sym;
}

void nt_sym_unlock(NtProc *p) { pthread_mutex_unlock(&p->sym_mu); }

int nt_is_runtime_library(const char *name)
{
    static const char *const prefixes[] = {
        "libcoreclr", "libclrjit", "libSystem.", "libmscordbi", "libmscordaccore", "libhostfxr",
        "libhostpolicy", "libclrgc", "libcoreclrtraceptprovider", "libMicrosoft.",
    };
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (strncmp(name, prefixes[i], strlen(prefixes[i])) == 0) return 1;
    return 0;
}

/* The runtime's libraries whose code the runtime itself runs on its own threads or
 * patches: no int3 of cordbg's there in mixed mode (DESIGN.md, Interop rules). The
 * P/Invoke shims (libSystem.Native.so, libSystem.*.Native.so) are not among them: the
 * runtime never patches them, and only threads that came from managed code through a
 * P/Invoke (preemptive mode: the runtime's synchronization does not wait for them) run
 * there, as in any user library. */
int nt_forbids_breakpoints(const char *name)
{
    return nt_is_runtime_library(name) && strncmp(name, "libSystem.", 10) != 0;
}

/* Mixed mode: whether an int3 may go at addr; if not, why, in why. */
static int int3_allowed_locked(NsSpace *sp, uint64_t addr, char *why, size_t cap)
{
    NsModuleInfo m;
    if (!sp || !ns_module_at(sp, addr, &m)) {
        snprintf(why, cap, "0x%llx is in no library (jitted code: only the runtime's debugger patches it)",
                 (unsigned long long)addr);
        return 0;
    }
    if (!nt_forbids_breakpoints(m.name)) return 1;
    snprintf(why, cap, "%s is the runtime's own library: mixed mode places no breakpoints in it (cordbg --native can)",
             m.name);
    return 0;
}

static int runtime_code_locked(NsSpace *sp, uint64_t addr)
{
    NsModuleInfo m;
    if (!sp || !ns_module_at(sp, addr, &m)) return 1;
    return nt_is_runtime_library(m.name);
}

int nt_is_runtime_code(NtProc *p, uint64_t addr)
{
    NsSpace *sp = nt_sym_lock(p);
    int r = runtime_code_locked(sp, addr);
    nt_sym_unlock(p);
    return r;
}

/* ---- breakpoints */

static void break_unbind(NtProc *p, Break *b)
{
    for (int i = 0; i < b->nlocs; i++) {
        Site *s = site_find(p, b->locs[i]);
        if (s && b->enabled) { s->users--; site_sync(p, s); }
    }
    free(b->locs);
    b->locs = NULL;
    b->nlocs = 0;
}

/* Bind b where its code is loaded now (keeping what is bound). Returns its location count. */
static int break_bind(NtProc *p, Break *b)
{
    if (b->nlocs > 0) return b->nlocs;
    uint64_t addrs[64];
    int n = 0;
    NsSpace *sp = nt_sym_lock(p);
    if (sp) {
        if (b->func) n = ns_function_addrs(sp, b->module, b->func, addrs, 64);
        else if (b->file) { uint32_t used; n = ns_line_addrs(sp, b->module, b->file, b->line, addrs, 64, &used); }
        else if (b->addr) { addrs[0] = b->addr; n = 1; }
        if (n > 64) n = 64;
        /* Never patch the runtime's code: its own int3s and threads live there. */
        if (p->mode == NT_MIXED) {
            int k = 0;
            char why[256] = "";
            for (int i = 0; i < n; i++)
                if (int3_allowed_locked(sp, addrs[i], why, sizeof why)) addrs[k++] = addrs[i];
            if (n > 0 && k == 0) snprintf(b->refused, sizeof b->refused, "%s", why);
            n = k;
        }
    }
    nt_sym_unlock(p);
    if (n <= 0) return 0;
    b->locs = malloc((size_t)n * sizeof *b->locs);
    if (!b->locs) return 0;
    for (int i = 0; i < n; i++) {
        Site *s = site_get(p, addrs[i]);
        if (!s) continue;
        b->locs[b->nlocs++] = addrs[i];
        if (b->enabled) { s->users++; site_sync(p, s); }
    }
    return b->nlocs;
}

static Break *break_find(NtProc *p, int id)
{
    for (size_t i = 0; i < p->nbps; i++) if (p->bps[i].id == id) return &p->bps[i];
    return NULL;
}

static int bind_pending(NtProc *p)
{
    int bound = 0;
    for (size_t i = 0; i < p->nbps; i++)
        if (p->bps[i].nlocs == 0 && break_bind(p, &p->bps[i]) > 0) bound++;
    return bound;
}

static int user_bp_at(NtProc *p, uint64_t addr)
{
    for (size_t i = 0; i < p->nbps; i++) {
        Break *b = &p->bps[i];
        if (!b->enabled) continue;
        for (int k = 0; k < b->nlocs; k++) if (b->locs[k] == addr) return b->id;
    }
    return 0;
}

/* The dynamic linker's rendezvous function: a breakpoint there sees every dlopen/dlclose. */
static void set_rbrk(NtProc *p)
{
    if (p->rbrk_addr) return;
    uint64_t a = 0;
    NsSpace *sp = nt_sym_lock(p);
    if (sp && ns_function_addrs(sp, "ld-linux-x86-64.so.2", "_dl_debug_state", &a, 1) < 1) a = 0;
    nt_sym_unlock(p);
    if (!a) return;
    Site *s = site_get(p, a);
    if (!s) return;
    s->rbrk = 1;
    site_sync(p, s);
    p->rbrk_addr = a;
}

static void libs_changed(NtProc *p, int tid)
{
    __atomic_add_fetch(&p->libs_gen, 1, __ATOMIC_RELEASE);
    int bound = bind_pending(p);
    NtEvent ev = { .kind = NT_EV_LIBS, .tid = tid, .nbound = bound };
    post(p, &ev);
}

/* ---- steps */

static void step_clear(NtProc *p)
{
    if (p->step.ret_addr) {
        Site *s = site_find(p, p->step.ret_addr);
        if (s) { s->step_ret = 0; site_sync(p, s); }
    }
    memset(&p->step, 0, sizeof p->step);
}

static void targets_clear(NtProc *p)
{
    for (size_t i = 0; i < p->nsites; i++)
        if (p->sites[i].target) {
            p->sites[i].target = 0;
            size_t before = p->nsites;
            site_sync(p, &p->sites[i]);
            if (p->nsites < before) i--;
        }
    p->target_tid = 0;
}

static int set_step_ret(NtProc *p, uint64_t addr, uint64_t sp)
{
    Site *s = site_get(p, addr);
    if (!s) return -1;
    s->step_ret = 1;
    site_sync(p, s);
    p->step.ret_addr = addr;
    p->step.ret_sp = sp;
    return 0;
}

static void step_report(NtProc *p, Thread *t)
{
    uint64_t pc = thread_pc(t->tid);
    step_clear(p);
    NtEvent ev = { .kind = NT_EV_STEP, .tid = t->tid, .pc = pc };
    report(p, &ev);
}

static int step_single(NtProc *p, Thread *t)
{
    Site *s = site_find(p, thread_pc(t->tid));
    if (s && s->inserted) {
        /* The step's one instruction is the one under our int3. */
        if (step_over_site(p, t)) return -1;
        return 1;   /* done synchronously: the caller treats it as a completed step */
    }
    dr_apply(p, t);
    int sig = t->pending_sig;
    t->pending_sig = 0;
    t->stepping = STEP_USER;
    if (ptrace(PTRACE_SINGLESTEP, t->tid, NULL, (void *)(long)sig) != 0) return -1;
    t->stopped = 0;
    return 0;
}

static int code_at(NtProc *p, uint64_t pc, uint8_t *buf, size_t len)
{
    return nt_read_mem(p, pc, buf, len);
}

/* Whether pc is in code a module covers (else: jitted code or stubs). */
static int in_module(NtProc *p, uint64_t pc)
{
    NsModuleInfo m;
    NsSpace *sp = nt_sym_lock(p);
    int r = sp && ns_module_at(sp, pc, &m);
    nt_sym_unlock(p);
    return r;
}

static int line_of(NtProc *p, uint64_t pc, uint64_t *lo, uint64_t *hi, uint32_t *line)
{
    NsSpace *sp = nt_sym_lock(p);
    int rc = -1;
    NsWhere w;
    if (sp && ns_line_range(sp, pc, lo, hi) == 0) {
        ns_where(sp, pc, &w);
        *line = w.line;
        rc = w.line ? 0 : -1;
    }
    nt_sym_unlock(p);
    return rc;
}

/* Where a function entered at pc should stop a step into it: after its prologue. */
static uint64_t after_prologue(NtProc *p, uint64_t pc)
{
    NsSpace *sp = nt_sym_lock(p);
    uint64_t a = 0;
    NsWhere w;
    if (sp && ns_where(sp, pc, &w) && w.func[0] && w.func_start == pc && w.line) {
        uint64_t addrs[8];
        int n = ns_function_addrs(sp, w.module, w.func, addrs, 8);
        for (int i = 0; i < n && i < 8; i++)
            if (addrs[i] >= pc && (!a || addrs[i] < a)) a = addrs[i];
    }
    nt_sym_unlock(p);
    return a ? a : pc;
}


/* Decide the next move of a line step ('s' / 'o') from thread t's new pc. */
static void step_next(NtProc *p, Thread *t)
{
    Step *st = &p->step;
    for (int guard = 0; guard < 1000000; guard++) {
        struct user_regs_struct r;
        if (get_regs(t->tid, &r) != 0) { step_clear(p); return; }
        uint64_t pc = r.rip;
        if (st->kind == 'i') { step_report(p, t); return; }
        if (st->kind == 'n' && !st->after_call) { step_report(p, t); return; }

        int in_range = pc >= st->lo && pc < st->hi;
        if (!in_range && st->kind != 'i' && st->kind != 'n') {
            if (!in_module(p, pc)) {
                if (p->mode == NT_MIXED) {
                    /* Into managed code (a callback, or the return from a P/Invoke): the
                     * engine's managed breakpoints end the step; a call's return breakpoint
                     * brings it back here if no user code runs. */
                    if (st->after_call && !st->ret_addr) {
                        uint64_t ra = 0;
                        if (code_at(p, r.rsp, (uint8_t *)&ra, 8) == 0) set_step_ret(p, ra, r.rsp + 8);
                    }
                    st->free_run = 1;
                    resume_thread(p, t);
                    return;
                }
                step_report(p, t);
                return;
            }
            uint64_t lo, hi;
            uint32_t line;
            int has_line = line_of(p, pc, &lo, &hi, &line) == 0;
            if (st->after_call) {
                /* Entered a function. */
                st->after_call = 0;
                int user = has_line && !nt_is_runtime_code(p, pc);
                if (st->kind == 's' && user) {
                    uint64_t stop = after_prologue(p, pc);
                    if (stop == pc) { step_report(p, t); return; }
                    st->lo = st->hi = 0;
                    st->kind = 'c';          /* run to the end of the prologue */
                    set_step_ret(p, stop, 0);
                    resume_all(p);   /* all threads: the step's may wait on another's lock */
                    return;
                }
                /* No line info (or over): come back at the return address. */
                uint64_t ra = 0;
                if (code_at(p, r.rsp, (uint8_t *)&ra, 8) != 0) { step_report(p, t); return; }
                set_step_ret(p, ra, r.rsp + 8);
                resume_all(p);   /* all threads: the step's may wait on another's lock */
                return;
            }
            if (!has_line) {
                /* Returned into code without line info: stop there (as gdb does). */
                step_report(p, t);
                return;
            }
            if (line != st->line && pc == lo) { step_report(p, t); return; }
            /* The middle of a line (back in a caller), or the same line again: go on to the
             * start of the next line. */
            st->lo = lo; st->hi = hi;
            if (line != st->line) st->line = line;
            else if (pc == lo) { /* same line, new block: keep going */ }
        }
        /* One more instruction: over a call ('o'), into it ('s'). */
        uint8_t code[16];
        int is_call = 0, len = 0;
        if (code_at(p, pc, code, sizeof code) == 0) len = nd_insn_len(p->dis, code, sizeof code, pc, &is_call);
        if (is_call && (st->kind == 'o' || st->kind == 'n')) {
            st->after_call = 1;
            set_step_ret(p, pc + (uint64_t)len, r.rsp);
            resume_all(p);   /* all threads: the step's may wait on another's lock */
            return;
        }
        st->after_call = is_call;
        int rc = step_single(p, t);
        if (rc < 0) { step_clear(p); return; }
        if (rc == 0) return;        /* the trap comes back through the wait loop */
        /* stepped synchronously over our int3: look again */
        if (st->kind == 'n') { st->after_call = 0; step_report(p, t); return; }
    }
    step_report(p, t);
}

/* The step's return breakpoint was hit by t at pc (rewound). 1 when it belonged to the step. */
static int step_ret_hit(NtProc *p, Thread *t, uint64_t pc)
{
    Step *st = &p->step;
    if (!st->active || st->ret_addr != pc || t->tid != st->tid) return 0;
    struct user_regs_struct r;
    if (get_regs(t->tid, &r) != 0) return 0;
    if (st->ret_sp && r.rsp < st->ret_sp) return 0;          /* a deeper recursion */
    Site *s = site_find(p, pc);
    if (s) { s->step_ret = 0; site_sync(p, s); }
    st->ret_addr = 0;
    st->after_call = 0;
    st->free_run = 0;
    if (st->kind == 'f' || st->kind == 'c' || st->kind == 'n') { step_report(p, t); return 1; }
    step_next(p, t);
    return 1;
}

/* ---------------------------------------------------------------- triage */

static int is_passed_in_mixed(int sig)
{
    return sig == SIGRTMIN || (sig > SIGRTMIN && sig <= SIGRTMAX) || sig == SIGCHLD || sig == SIGPIPE ||
           sig == SIGWINCH || sig == SIGURG || sig == SIGALRM || sig == SIGPROF || sig == SIGVTALRM ||
           sig == SIGIO || sig == SIGCONT || sig == SIGINT || sig == SIGQUIT || sig == SIGUSR1 || sig == SIGUSR2;
}

static int is_nostop_native(int sig)
{
    return sig == SIGCHLD || sig == SIGWINCH || sig == SIGURG || sig == SIGALRM || sig == SIGPROF ||
           sig == SIGVTALRM || sig == SIGIO || sig == SIGCONT;
}

static int is_lib_of_system(const char *name)
{
    return strncmp(name, "libc.so", 7) == 0 || strncmp(name, "libc-", 5) == 0 ||
           strncmp(name, "ld-linux", 8) == 0 || strncmp(name, "libpthread", 10) == 0 ||
           strncmp(name, "libstdc++", 9) == 0 || strncmp(name, "libgcc_s", 8) == 0;
}

/* The module of thread t's first frame outside the C library (of the first depth frames),
 * into out: 1, or 0 when that frame is jitted code or there is none. */
static int first_module_past_libc(NtProc *p, Thread *t, int depth, char *out, size_t cap)
{
    struct user_regs_struct r;
    if (get_regs(t->tid, &r) != 0) return 0;
    NsRegs nr = ns_regs_of(&r);
    NsFrame frames[16];
    int found = 0;
    NsSpace *sp = nt_sym_lock(p);
    int n = sp ? ns_unwind(sp, &nr, frames, depth < 16 ? depth : 16) : 0;
    for (int i = 0; i < n; i++) {
        if (frames[i].where.module_id == 0) break;                 /* jitted code */
        if (is_lib_of_system(frames[i].where.module)) continue;
        snprintf(out, cap, "%s", frames[i].where.module);
        found = 1;
        break;
    }
    nt_sym_unlock(p);
    return found;
}

/* Mixed mode: does a fault or abort on thread t belong to user native code? Its first
 * frames outside the C library decide: a user library's, else the runtime's own. */
static int fault_is_users(NtProc *p, Thread *t)
{
    char m[256];
    return first_module_past_libc(p, t, 8, m, sizeof m) && !nt_is_runtime_library(m);
}

/* Mixed mode: is thread t (at a user breakpoint in a shared function such as write or
 * malloc) there on the runtime's own business? Its first frames outside the C library
 * decide: libcoreclr, libclrjit, the host... are the runtime's; the System.* libraries
 * (the target of the program's own P/Invokes), jitted code and user libraries are the
 * program's. The runtime calls write and friends with its own locks held (the PAL's
 * synchronization manager, the debugger transport): a thread frozen there makes every
 * ICorDebug Stop wait for ever, so such hits are never stops (DESIGN.md, Interop rules). */
static int hit_by_runtime(NtProc *p, Thread *t)
{
    char m[256];
    return first_module_past_libc(p, t, 12, m, sizeof m) && nt_forbids_breakpoints(m);
}

static void handle_clone(NtProc *p, Thread *t)
{
    unsigned long msg = 0;
    ptrace(PTRACE_GETEVENTMSG, t->tid, NULL, &msg);
    if (msg && !thread_find(p, (int)msg)) {
        Thread *n = thread_add(p, (int)msg);
        if (n) n->stopped = 0;       /* its first stop comes through the wait loop */
        NtEvent ev = { .kind = NT_EV_THREAD, .tid = (int)msg, .created = 1 };
        post(p, &ev);
    }
}

/* The thread group of a task: our threads have the process's; a forked child its own. */
static int tgid_of(int tid)
{
    char path[64], *text = NULL;
    snprintf(path, sizeof path, "/proc/%d/status", tid);
    if (os_read_file(path, 1 << 16, &text, NULL) != 0) return -1;
    const char *l = strstr(text, "\nTgid:");
    int tgid = l ? atoi(l + 6) : -1;
    free(text);
    return tgid;
}

/* A forked child inherited our int3s: take them out of its memory and let it go. */
static void handle_fork(NtProc *p, Thread *t, int vfork)
{
    unsigned long child = 0;
    ptrace(PTRACE_GETEVENTMSG, t->tid, NULL, &child);
    if (!child) return;
    int seen = 0;
    for (int i = 0; i < p->nearly; i++)
        if (p->early[i] == (int)child) { p->early[i] = p->early[--p->nearly]; seen = 1; break; }
    int status;
    /* Its first stop (unless it came already): it must not run with our int3s. */
    if (!seen) while (waitpid((pid_t)child, &status, __WALL) < 0 && errno == EINTR) {}
    if (vfork) {
        /* Memory is shared until the child execs: out with every int3 until VFORK_DONE. */
        sites_remove_all(p);
    } else {
        for (size_t i = 0; i < p->nsites; i++)
            if (p->sites[i].inserted) {
                unsigned long word;
                uint64_t a = p->sites[i].addr;
                errno = 0;
                word = (unsigned long)ptrace(PTRACE_PEEKDATA, (pid_t)child, (void *)a, NULL);
                if (errno) continue;
                word = (word & ~0xfful) | p->sites[i].orig;
                ptrace(PTRACE_POKEDATA, (pid_t)child, (void *)a, (void *)word);
            }
    }
    ptrace(PTRACE_DETACH, (pid_t)child, NULL, NULL);
    NtEvent ev = { .kind = NT_EV_FORK, .tid = t->tid, .child_pid = (int)child };
    post(p, &ev);
}

static void handle_exec(NtProc *p, Thread *t)
{
    /* The old image is gone, and with it every thread but this one and every int3. */
    int pid = p->pid;
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i]->tid != t->tid && p->threads[i]->tid != pid) { thread_remove(p, p->threads[i]->tid); i--; }
    t->tid = pid;
    pthread_mutex_lock(&p->mu);
    p->nsites = 0;
    pthread_mutex_unlock(&p->mu);
    p->rbrk_addr = 0;
    for (size_t i = 0; i < p->nbps; i++) { free(p->bps[i].locs); p->bps[i].locs = NULL; p->bps[i].nlocs = 0; }
    /* The new image's addresses mean something else (and exec cleared the registers). */
    memset(p->wslot, 0, sizeof p->wslot);
    p->dr_gen++;
    t->dr_gen = p->dr_gen;
    t->wp_deferred = 0;
    step_clear(p);
    if (p->mem_fd >= 0) close(p->mem_fd);
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    p->mem_fd = open(path, O_RDWR | O_CLOEXEC);
    __atomic_add_fetch(&p->libs_gen, 1, __ATOMIC_RELEASE);
    set_rbrk(p);
    bind_pending(p);
    NtEvent ev = { .kind = NT_EV_EXEC, .tid = pid };
    os_pid_exe(pid, ev.path, sizeof ev.path);
    post(p, &ev);
}

/* No process any more (it ended, or cordbg let it go): threads, sites and files dropped. */
static void process_forget(NtProc *p)
{
    threads_clear(p);
    pthread_mutex_lock(&p->mu);
    p->nsites = 0;
    pthread_mutex_unlock(&p->mu);
    p->pid = 0;
    memset(p->wslot, 0, sizeof p->wslot);
    p->dr_gen++;
    traced_set(p->wake[1], 0, 0);
    p->held = 0;
    p->rbrk_addr = 0;
    if (p->mem_fd >= 0) close(p->mem_fd);
    p->mem_fd = -1;
}

static void process_gone(NtProc *p, int status)
{
    NtEvent ev = { .kind = NT_EV_EXIT, .tid = p->pid, .status = status };
    for (size_t i = 0; i < p->nbps; i++) { free(p->bps[i].locs); p->bps[i].locs = NULL; p->bps[i].nlocs = 0; }
    memset(&p->step, 0, sizeof p->step);
    process_forget(p);
    post(p, &ev);
}

/* Our int3 at pc was hit by t (pc rewound already). */
static void on_site(NtProc *p, Thread *t, Site *s, uint64_t pc)
{
    if (s->step_ret && step_ret_hit(p, t, pc)) return;
    if (s->rbrk) {
        libs_changed(p, t->tid);
        s = site_find(p, pc);        /* binding may have grown (moved) the site table */
        if (!s || (!s->target && !user_bp_at(p, pc))) { resume_thread(p, t); return; }
    }
    if (s->target && (!p->target_tid || p->target_tid == t->tid) && !p->held) {
        targets_clear(p);
        step_clear(p);
        NtEvent ev = { .kind = NT_EV_BREAKPOINT, .tid = t->tid, .pc = pc, .bp_id = -1 };
        report(p, &ev);
        return;
    }
    int id = user_bp_at(p, pc);
    if (id && p->mode == NT_MIXED && !p->stop_in_runtime && hit_by_runtime(p, t)) {
        log_msg(LOG_DEBUG, "native", "breakpoint %d at 0x%" PRIx64 " reached by the runtime's code on %d: passed", id, pc, t->tid);
        resume_thread(p, t);
        return;
    }
    if (id && p->held) { t->parked = 1; return; }     /* hit again after the resume */
    if (id) {
        if (p->step.active) step_clear(p);
        NtEvent ev = { .kind = NT_EV_BREAKPOINT, .tid = t->tid, .pc = pc, .bp_id = id };
        report(p, &ev);
        return;
    }
    resume_thread(p, t);      /* someone else's step breakpoint, or a deleted one */
}

static void on_signal(NtProc *p, Thread *t, int sig)
{
    siginfo_t si;
    memset(&si, 0, sizeof si);
    ptrace(PTRACE_GETSIGINFO, t->tid, NULL, &si);
    if (sig == SIGTRAP) {
        /* A watchpoint of ours (DR6 says which; during a single step the code is TRAP_TRACE). */
        unsigned wm = si.si_code == TRAP_HWBKPT || si.si_code == TRAP_TRACE ? dr6_take(p, t) : 0;
        if (wm) {
            if (si.si_code == TRAP_TRACE && t->stepping) {
                t->stepping = 0;
                if (p->step.active && p->step.tid == t->tid) step_clear(p);
            }
            t->wp_deferred |= wm;
            if (!watch_deliver(p, t)) resume_thread(p, t);
            return;
        }
        /* A program that blocks SIGTRAP and raised one has it pending: the kernel merges
         * the trap of our int3 or step into it, and the siginfo is the raise's (SI_TKILL).
         * So our int3s are known by address, as gdb does, and a step by its thread. */
        int sent = si.si_code <= 0;            /* SI_USER, SI_TKILL, SI_QUEUE: raised */
        if (si.si_code == SI_KERNEL || si.si_code == TRAP_BRKPT || sent) {
            uint64_t pc = thread_pc(t->tid);
            Site *s = site_find(p, pc - 1);
            if (s && s->inserted) {
                set_pc(t->tid, pc - 1);
                on_site(p, t, s, pc - 1);
                return;
            }
        }
        if ((si.si_code == TRAP_TRACE || sent) && t->stepping) {
            t->stepping = 0;
            if (p->step.active && p->step.tid == t->tid) step_next(p, t);
            else resume_thread(p, t);
            return;
        }
        if (p->mode == NT_MIXED) {
            /* The runtime's own trap: hand it back. */
            t->pending_sig = SIGTRAP;
            resume_thread(p, t);
            return;
        }
        /* Native mode: the program's own trap (raise(SIGTRAP), an int3 in its code) is a
         * stop, and is not delivered when it goes on, as gdb does (SIGTRAP: stop, print,
         * nopass). A program that blocks or ignores SIGTRAP changes nothing: the int3s
         * and steps are cordbg's, seen before any delivery. */
        t->pending_sig = 0;
        if (p->held) { t->deferred = si; t->has_deferred = 1; return; }
        if (p->step.active) step_clear(p);
        NtEvent ev = { .kind = NT_EV_SIGNAL, .tid = t->tid, .pc = thread_pc(t->tid), .signo = sig,
                       .code = si.si_code, .addr = (uint64_t)(uintptr_t)si.si_addr };
        report(p, &ev);
        return;
    }
    if (sig == SIGSEGV && p->dr_ever && emu_fault_open(p, t, 0)) {
        /* An emulated watchpoint's page: the access runs with the page open, then judged. */
        int stepping = t->stepping;
        t->stepping = 0;
        if (ptrace(PTRACE_SINGLESTEP, t->tid, NULL, NULL) != 0) { emu_reprotect(p, t); return; }
        t->stopped = 0;
        if (wait_thread_stop(p, t, 1)) { thread_remove(p, t->tid); return; }
        if (watch_deliver(p, t)) return;
        if (stepping == STEP_USER && p->step.active && p->step.tid == t->tid) { step_next(p, t); return; }
        resume_thread(p, t);
        return;
    }
    int stop;
    if (p->mode == NT_MIXED) {
        if (is_passed_in_mixed(sig)) stop = 0;
        else if (sig == SIGSEGV || sig == SIGBUS || sig == SIGFPE || sig == SIGILL || sig == SIGABRT)
            stop = fault_is_users(p, t);
        else stop = 1;
    } else {
        stop = !is_nostop_native(sig);
    }
    t->pending_sig = sig;
    log_msg(LOG_DEBUG, "native", "signal %d on %d code %d: %s", sig, t->tid, si.si_code, stop ? "stop" : "passed");
    if (!stop) { resume_thread(p, t); return; }
    if (p->held) { t->deferred = si; t->has_deferred = 1; return; }
    if (p->step.active) step_clear(p);
    NtEvent ev = { .kind = NT_EV_SIGNAL, .tid = t->tid, .pc = thread_pc(t->tid), .signo = sig,
                   .code = si.si_code, .addr = (uint64_t)(uintptr_t)si.si_addr };
    report(p, &ev);
}

static void on_wait(NtProc *p, int tid, int status)
{
    Thread *t = thread_find(p, tid);
    log_msg(LOG_DEBUG, "native", "wait %d: status 0x%x (%s%s sig %d event %d)%s", tid, (unsigned)status,
            WIFEXITED(status) ? "exited" : WIFSIGNALED(status) ? "killed" : WIFSTOPPED(status) ? "stopped" : "?",
            "", WIFSTOPPED(status) ? WSTOPSIG(status) : 0, status >> 16, t ? "" : " (new)");
    if (is_exit(status)) {
        if (tid == p->pid) { process_gone(p, status); return; }
        if (t) {
            thread_remove(p, tid);
            NtEvent ev = { .kind = NT_EV_THREAD, .tid = tid, .created = 0 };
            post(p, &ev);
        }
        return;
    }
    if (!WIFSTOPPED(status)) return;
    if (!t) {
        /* A forked child's first stop, ahead of the fork event: it waits, stopped, for
         * handle_fork (which takes our int3s out of it first). */
        if (tgid_of(tid) != p->pid) {
            if (p->nearly < (int)(sizeof p->early / sizeof p->early[0])) p->early[p->nearly++] = tid;
            else ptrace(PTRACE_DETACH, tid, NULL, NULL);
            return;
        }
        /* A new thread's first stop, ahead of its parent's clone event. */
        t = thread_add(p, tid);
        if (!t) return;
    }
    t->stopped = 1;
    int sig = WSTOPSIG(status), event = status >> 16;
    switch (event) {
    case 0:
        on_signal(p, t, sig);
        return;
    case PTRACE_EVENT_CLONE:
        handle_clone(p, t);
        break;
    case PTRACE_EVENT_FORK:
        handle_fork(p, t, 0);
        break;
    case PTRACE_EVENT_VFORK:
        handle_fork(p, t, 1);
        break;
    case PTRACE_EVENT_VFORK_DONE:
        for (size_t i = 0; i < p->nsites; i++) site_sync(p, &p->sites[i]);
        break;
    case PTRACE_EVENT_EXEC:
        handle_exec(p, t);
        t = thread_find(p, p->pid);
        if (!t) return;
        break;
    case PTRACE_EVENT_STOP:
        /* An interrupt or group stop nobody waits for now (a new thread's first stop, or
         * a late interrupt). Keep it stopped while the world is held in native mode. */
        if (p->held && p->mode == NT_NATIVE) return;
        break;
    default:
        break;
    }
    if (p->held && p->mode == NT_NATIVE) return;
    resume_thread(p, t);
}

/* ---------------------------------------------------------------- requests */

static int seize(NtProc *p, int tid)
{
    long opts = PTRACE_O_TRACECLONE | PTRACE_O_TRACEEXEC | PTRACE_O_TRACEFORK | PTRACE_O_TRACEVFORK |
                PTRACE_O_TRACEVFORKDONE;
    if (ptrace(PTRACE_SEIZE, tid, NULL, (void *)opts) != 0) return -errno;
    return 0;
}

static int open_process(NtProc *p, int pid, char *err, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    p->mem_fd = open(path, O_RDWR | O_CLOEXEC);
    if (p->mem_fd < 0) {
        snprintf(err, cap, "cannot open %s: %s", path, strerror(errno));
        return -errno;
    }
    p->pid = pid;
    traced_set(p->wake[1], pid, p->tracer_tid);
    pthread_mutex_lock(&p->sym_mu);
    if (p->sym) ns_free(p->sym);
    p->sym = ns_new(pid, sym_read, p);
    pthread_mutex_unlock(&p->sym_mu);
    __atomic_add_fetch(&p->libs_gen, 1, __ATOMIC_RELEASE);
    return 0;
}

static int req_seize(NtProc *p, Req *rq)
{
    int pid = rq->a;
    int rc = seize(p, pid);
    if (rc) { snprintf(rq->err, rq->cap, "cannot trace process %d: %s", pid, strerror(-rc)); return rc; }
    rc = open_process(p, pid, rq->err, rq->cap);
    if (rc) { ptrace(PTRACE_DETACH, pid, NULL, NULL); return rc; }
    Thread *t = thread_add(p, pid);
    if (t) t->stopped = 0;
    return 0;
}

/* Whether thread tid of pid is gone or a zombie (state Z or X in its stat). */
static int thread_has_exited(int pid, int tid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/task/%d/stat", pid, tid);
    FILE *f = fopen(path, "r");
    if (!f) return 1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = 0;
    const char *rp = strrchr(buf, ')');
    return !rp || rp[1] != ' ' || rp[2] == 'Z' || rp[2] == 'X';
}

static int req_attach(NtProc *p, Req *rq)
{
    int pid = rq->a;
    int rc = open_process(p, pid, rq->err, rq->cap);
    if (rc) return rc;
    /* Seize every thread, again until no new one appears (they may be creating more). */
    for (int pass = 0, added = 1; added && pass < 100; pass++) {
        added = 0;
        char dir[64];
        snprintf(dir, sizeof dir, "/proc/%d/task", pid);
        DIR *d = opendir(dir);
        if (!d) { snprintf(rq->err, rq->cap, "no process %d", pid); p->pid = 0; return -ESRCH; }
        struct dirent *e;
        while ((e = readdir(d))) {
            int tid = atoi(e->d_name);
            if (tid <= 0 || thread_find(p, tid)) continue;
            int r = seize(p, tid);
            if (r == -ESRCH) continue;
            /* a thread that has just exited is still listed until reaped; seizing it is
             * refused with EPERM (a program starting up ends threads often) */
            if (r == -EPERM && tid != pid && thread_has_exited(pid, tid)) continue;
            if (r) {
                closedir(d);
                snprintf(rq->err, rq->cap, "cannot trace process %d: %s%s", pid, strerror(-r),
                         r == -EPERM ? " (is another debugger attached, or ptrace_scope set?)" : "");
                for (size_t i = 0; i < p->nthreads; i++) ptrace(PTRACE_DETACH, p->threads[i]->tid, NULL, NULL);
                threads_clear(p);
                p->pid = 0;
                return r;
            }
            thread_add(p, tid);
            added = 1;
        }
        closedir(d);
    }
    /* Stop them all to place the rendezvous breakpoint, then native mode stays stopped. */
    stop_all(p, 0);
    set_rbrk(p);
    bind_pending(p);
    if (p->mode == NT_MIXED) {
        resume_all(p);
    } else {
        p->held = 1;
        NtEvent ev = { .kind = NT_EV_INTERRUPT, .tid = pid, .pc = thread_pc(pid) };
        post(p, &ev);
    }
    return 0;
}

static int req_detach(NtProc *p)
{
    if (!p->pid) return 0;
    stop_all(p, 0);
    /* Pages closed by emulated watchpoints open again. */
    for (int i = 0; i < 4; i++)
        if (p->wslot[i].used && p->wslot[i].emulated) {
            Watch w = p->wslot[i];
            for (int k = 0; k < 4; k++) if (p->wslot[k].emulated && p->wslot[k].page == w.page) p->wslot[k].used = 0;
            emu_sync_page(p, w.page, w.orig_prot);
        }
    step_clear(p);
    targets_clear(p);
    for (size_t i = 0; i < p->nbps; i++) break_unbind(p, &p->bps[i]);
    if (p->rbrk_addr) { Site *s = site_find(p, p->rbrk_addr); if (s) { s->rbrk = 0; site_sync(p, s); } }
    sites_remove_all(p);
    for (size_t i = 0; i < p->nthreads; i++) {
        Thread *t = p->threads[i];
        /* No watchpoint may trap a program nobody traces any more. */
        if (p->dr_ever) ptrace(PTRACE_POKEUSER, t->tid, (void *)dr_off(7), (void *)0);
        if (t->wp_deferred && t->pending_sig == SIGTRAP) t->pending_sig = 0;
        /* A thread rewound onto an int3 we just removed executes the original instruction. */
        ptrace(PTRACE_DETACH, t->tid, NULL, (void *)(long)t->pending_sig);
    }
    process_forget(p);
    return 0;
}

static int req_kill(NtProc *p)
{
    if (!p->pid) return 0;
    int pid = p->pid;
    kill(pid, SIGKILL);
    /* Reap every thread until the leader's end is seen. */
    while (p->pid) {
        int status;
        int tid = waitpid(-1, &status, __WALL | __WNOTHREAD);
        if (tid < 0) {
            if (errno == EINTR) continue;
            process_gone(p, W_EXITCODE(0, SIGKILL));
            break;
        }
        if (tid == pid && is_exit(status)) process_gone(p, status);
        else if (is_exit(status)) thread_remove(p, tid);
    }
    return 0;
}

static int req_step(NtProc *p, Req *rq)
{
    Thread *t = thread_find(p, rq->a);
    if (!t || !t->stopped) { snprintf(rq->err, rq->cap, "thread %d is not stopped", rq->a); return -1; }
    int kind = rq->b;
    struct user_regs_struct r;
    if (get_regs(t->tid, &r) != 0) { snprintf(rq->err, rq->cap, "cannot read thread %d's registers", t->tid); return -1; }
    step_clear(p);
    Step *st = &p->step;
    st->tid = t->tid;
    st->kind = kind;
    if (kind == 's' || kind == 'o') {
        if (line_of(p, r.rip, &st->lo, &st->hi, &st->line) != 0) {
            /* No line here: a step leaves the function (as gdb's `step` does). */
            kind = st->kind = 'f';
        }
    }
    if (kind == 'f') {
        NsRegs nr = ns_regs_of(&r);
        NsFrame fr[2];
        NsSpace *sp = nt_sym_lock(p);
        int n = sp ? ns_unwind(sp, &nr, fr, 2) : 0;
        nt_sym_unlock(p);
        if (n < 2 || !fr[1].pc) { snprintf(rq->err, rq->cap, "cannot find the caller of this frame"); st->kind = 0; return -1; }
        if (p->mode == NT_MIXED && !in_module(p, fr[1].pc)) {
            snprintf(rq->err, rq->cap, "the caller is managed code"); st->kind = 0; return -2;
        }
        st->active = 1;
        set_step_ret(p, fr[1].pc, fr[0].cfa ? fr[0].cfa : r.rsp + 8);
        p->held = 0;
        resume_all(p);
        return 0;
    }
    st->active = 1;
    p->held = 0;
    if (kind == 'n' || kind == 'i') {
        uint8_t code[16];
        int is_call = 0, len = 0;
        if (kind == 'n' && code_at(p, r.rip, code, sizeof code) == 0)
            len = nd_insn_len(p->dis, code, sizeof code, r.rip, &is_call);
        if (is_call) {
            st->after_call = 1;
            set_step_ret(p, r.rip + (uint64_t)len, r.rsp);
            resume_all(p);
            return 0;
        }
        int rc = step_single(p, t);
        if (rc < 0) { step_clear(p); snprintf(rq->err, rq->cap, "cannot step thread %d", t->tid); return -1; }
        if (rc == 1) step_report(p, t);
        return 0;
    }
    step_next(p, t);
    return 0;
}

/* Bring every thread's debug registers up to date: stopped ones now, running ones by a
 * brief interrupt (mixed mode: threads the runtime parks). 0, or -errno of the first
 * thread that refused them. */
static int dr_sync_all(NtProc *p)
{
    p->dr_gen++;
    int rc = 0;
    for (size_t i = 0; i < p->nthreads; i++) {
        Thread *t = p->threads[i];
        int r;
        if (t->stopped) {
            r = dr_apply(p, t);
        } else {
            if (ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL) != 0) continue;
            if (wait_thread_stop(p, t, 0)) { thread_remove(p, t->tid); i--; continue; }
            absorb_watch_trap(p, t);
            r = dr_apply(p, t);
            if (!t->wp_deferred || p->held) {
                if (t->wp_deferred) t->parked = 1;
                else resume_thread(p, t);
            }
        }
        if (r && r != -ESRCH && !rc) rc = r;
    }
    return rc;
}

static int req_watch(NtProc *p, Req *rq)
{
    int len = rq->b, kind = (int)rq->u;
    uint64_t addr = rq->addr;
    if (!p->pid) { snprintf(rq->err, rq->cap, "the program is not being run"); return -1; }
    if (len != 1 && len != 2 && len != 4 && len != 8) {
        snprintf(rq->err, rq->cap, "a hardware watchpoint covers 1, 2, 4 or 8 bytes, not %d", len);
        return -1;
    }
    if (addr % (uint64_t)len) {
        snprintf(rq->err, rq->cap, "a hardware watchpoint of %d bytes needs an address aligned to %d (0x%" PRIx64 " is not)",
                 len, len, addr);
        return -1;
    }
    int slot = -1;
    for (int i = 0; i < 4; i++) {
        if (p->wslot[i].used && p->wslot[i].id == rq->a) { snprintf(rq->err, rq->cap, "watchpoint %d exists", rq->a); return -1; }
        if (!p->wslot[i].used && slot < 0) slot = i;
    }
    if (slot < 0) {
        snprintf(rq->err, rq->cap, "no free debug register: x86-64 has 4 hardware watchpoints and all are in use (delete one)");
        return -1;
    }
    Watch *w = &p->wslot[slot];
    memset(w, 0, sizeof *w);
    if (mem_read_raw(p, addr, w->old, (size_t)len) != 0) {
        snprintf(rq->err, rq->cap, "Cannot access memory at address 0x%" PRIx64, addr);
        return -1;
    }
    w->used = 1;
    w->id = rq->a;
    w->addr = addr;
    w->len = len;
    w->kind = kind;
    p->dr_ever = 1;
    if (p->hw_watch < 0) p->hw_watch = probe_hw_watch();
    if (!p->hw_watch) {
        w->emulated = 1;
        w->page = addr & ~4095ull;
        int orig;
        w->used = 0;
        page_wanted(p, w->page, &orig);
        w->used = 1;
        w->orig_prot = orig >= 0 ? orig : prot_of(p, addr);
        if (w->orig_prot < 0 || emu_sync_page(p, w->page, w->orig_prot) != 0) {
            uint64_t page = w->page;
            int op = w->orig_prot;
            memset(w, 0, sizeof *w);
            if (op >= 0) emu_sync_page(p, page, op);
            snprintf(rq->err, rq->cap, "cannot protect the page of 0x%" PRIx64 " to emulate the watchpoint", addr);
            return -1;
        }
        return 1;
    }
    int rc = dr_sync_all(p);
    if (rc) {
        memset(w, 0, sizeof *w);
        dr_sync_all(p);
        snprintf(rq->err, rq->cap, "the kernel refused the debug registers for 0x%" PRIx64 ": %s", addr, strerror(-rc));
        return -1;
    }
    return 0;
}

static int req_watch_remove(NtProc *p, Req *rq)
{
    for (int i = 0; i < 4; i++)
        if (p->wslot[i].used && p->wslot[i].id == rq->a) {
            Watch w = p->wslot[i];
            memset(&p->wslot[i], 0, sizeof p->wslot[i]);
            if (w.emulated) {
                for (size_t k = 0; k < p->nthreads; k++) p->threads[k]->wp_deferred &= ~(1u << i);
                if (p->pid) emu_sync_page(p, w.page, w.orig_prot);
                return 0;
            }
            for (size_t k = 0; k < p->nthreads; k++) p->threads[k]->wp_deferred &= ~(1u << i);
            if (p->pid) dr_sync_all(p);
            return 0;
        }
    return -ENOENT;
}

static int req_break(NtProc *p, Req *rq)
{
    if (break_find(p, rq->a)) { snprintf(rq->err, rq->cap, "breakpoint %d exists", rq->a); return -1; }
    if (p->nbps == p->capbps) {
        size_t cap = p->capbps ? p->capbps * 2 : 8;
        Break *n = realloc(p->bps, cap * sizeof *n);
        if (!n) { snprintf(rq->err, rq->cap, "out of memory"); return -1; }
        p->bps = n;
        p->capbps = cap;
    }
    Break *b = &p->bps[p->nbps++];
    memset(b, 0, sizeof *b);
    b->id = rq->a;
    b->enabled = 1;
    b->module = rq->s1 ? strdup(rq->s1) : NULL;
    b->func = rq->s2 ? strdup(rq->s2) : NULL;
    b->file = rq->s3 ? strdup(rq->s3) : NULL;
    b->line = rq->u;
    b->addr = rq->addr;
    if (!p->pid) return 0;
    int n = break_bind(p, b);
    if (n == 0 && b->refused[0]) {
        /* found, but only where it may not go: say so now rather than stay pending (the
         * engine drops a new one; one pushed again at attach stays, its note says why) */
        snprintf(rq->err, rq->cap, "%s", b->refused);
        return -1;
    }
    return n;
}

static void break_free(Break *b)
{
    free(b->module); free(b->func); free(b->file); free(b->locs);
}

static int fill_regs(int tid, NtRegs *o);

static int req_regs(NtProc *p, Req *rq)
{
    Thread *t = thread_find(p, rq->a);
    if (!t) return -ESRCH;
    int temp = !t->stopped;
    if (temp) {
        /* A running thread (mixed mode: parked by the runtime, not by us): stop it a moment. */
        if (ptrace(PTRACE_INTERRUPT, t->tid, NULL, NULL) != 0) return -errno;
        if (wait_thread_stop(p, t, 0)) { thread_remove(p, rq->a); return -ESRCH; }
        absorb_watch_trap(p, t);       /* a watchpoint hit it stopped with is kept, not delivered */
    }
    int rc = fill_regs(t->tid, rq->out);
    if (temp) resume_thread(p, t);
    return rc;
}

/* The registers of stopped thread tid, general purpose and FP/SSE. */
static int fill_regs(int tid, NtRegs *o)
{
    memset(o, 0, sizeof *o);
    struct user_regs_struct r;
    struct user_fpregs_struct f;
    int rc = get_regs(tid, &r);
    if (rc == 0) {
        o->rax = r.rax; o->rbx = r.rbx; o->rcx = r.rcx; o->rdx = r.rdx; o->rsi = r.rsi; o->rdi = r.rdi;
        o->rbp = r.rbp; o->rsp = r.rsp; o->r8 = r.r8; o->r9 = r.r9; o->r10 = r.r10; o->r11 = r.r11;
        o->r12 = r.r12; o->r13 = r.r13; o->r14 = r.r14; o->r15 = r.r15; o->rip = r.rip;
        o->eflags = r.eflags; o->cs = r.cs; o->ss = r.ss; o->ds = r.ds; o->es = r.es; o->fs = r.fs;
        o->gs = r.gs; o->fs_base = r.fs_base; o->gs_base = r.gs_base; o->orig_rax = r.orig_rax;
        if (ptrace(PTRACE_GETFPREGS, tid, NULL, &f) == 0) {
            o->fcw = f.cwd; o->fsw = f.swd; o->ftw = f.ftw; o->fop = f.fop; o->mxcsr = f.mxcsr;
            memcpy(o->st, f.st_space, sizeof o->st);
            memcpy(o->xmm, f.xmm_space, sizeof o->xmm);
        }
    }
    return rc;
}

static int req_set_reg(NtProc *p, Req *rq)
{
    Thread *t = thread_find(p, rq->a);
    if (!t || !t->stopped) { snprintf(rq->err, rq->cap, "thread %d is not stopped", rq->a); return -1; }
    struct user_regs_struct r;
    if (get_regs(t->tid, &r) != 0) return -1;
    static const struct { const char *name; size_t off; } regs[] = {
#define R(n) { #n, offsetof(struct user_regs_struct, n) }
        R(rax), R(rbx), R(rcx), R(rdx), R(rsi), R(rdi), R(rbp), R(rsp), R(r8), R(r9), R(r10), R(r11),
        R(r12), R(r13), R(r14), R(r15), R(rip), R(eflags),
#undef R
    };
    const char *name = rq->s1;
    if (strcmp(name, "pc") == 0) name = "rip";
    if (strcmp(name, "sp") == 0) name = "rsp";
    for (size_t i = 0; i < sizeof regs / sizeof regs[0]; i++)
        if (strcmp(regs[i].name, name) == 0) {
            memcpy((char *)&r + regs[i].off, &rq->addr, 8);
            return ptrace(PTRACE_SETREGS, t->tid, NULL, &r) == 0 ? 0 : -errno;
        }
    snprintf(rq->err, rq->cap, "no register $%s", rq->s1);
    return -1;
}

static int req_threads(NtProc *p, Req *rq)
{
    NtThreadInfo *a = calloc(p->nthreads ? p->nthreads : 1, sizeof *a);
    if (!a) return -ENOMEM;
    for (size_t i = 0; i < p->nthreads; i++) {
        a[i].tid = p->threads[i]->tid;
        a[i].stopped = p->threads[i]->stopped;
        if (a[i].stopped) a[i].pc = thread_pc(a[i].tid);
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/task/%d/comm", p->pid, a[i].tid);
        char *s = NULL;
        if (os_read_file(path, 64, &s, NULL) == 0) {
            s[strcspn(s, "\n")] = 0;
            snprintf(a[i].name, sizeof a[i].name, "%s", s);
            free(s);
        }
    }
    *(NtThreadInfo **)rq->out = a;
    rq->len = p->nthreads;
    return 0;
}

/* core_write's reader: the tracee's memory as the program sees it (our int3s hidden). */
static int core_mem_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    return nt_read_mem(ctx, addr, buf, len);
}

/* generate-core-file: every thread stopped (those running only for the while), their
 * registers, and core_write over the tracee's memory. The threads stopped already come
 * first (the one whose event is shown among them), as the kernel puts the crashing one. */
static int req_write_core(NtProc *p, Req *rq)
{
    if (!p->pid) { snprintf(rq->err, rq->cap, "no process"); return -1; }
    size_t n0 = p->nthreads;
    int *ran = calloc(n0 ? n0 : 1, sizeof *ran);
    if (!ran) { snprintf(rq->err, rq->cap, "out of memory"); return -1; }
    size_t nran = 0;
    for (size_t i = 0; i < n0; i++) if (!p->threads[i]->stopped) ran[nran++] = p->threads[i]->tid;
    stop_all(p, 0);
    CoreThread *th = calloc(p->nthreads ? p->nthreads : 1, sizeof *th);
    int rc = -1;
    if (!th) { snprintf(rq->err, rq->cap, "out of memory"); goto out; }
    size_t n = 0;
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 0; i < p->nthreads; i++) {
            Thread *t = p->threads[i];
            int was_running = 0;
            for (size_t k = 0; k < nran; k++) if (ran[k] == t->tid) was_running = 1;
            if (was_running != pass || !t->stopped) continue;
            if (fill_regs(t->tid, &th[n].regs) != 0) continue;
            th[n].tid = t->tid;
            th[n].signo = t->pending_sig;
            th[n].has_fpregs = 1;
            n++;
        }
    /* The thread the user stopped at first: the one a core shows first (as the crashing one). */
    for (size_t i = 1; i < n; i++)
        if (th[i].tid == rq->a) {
            CoreThread first = th[i];
            memmove(&th[1], &th[0], i * sizeof *th);
            th[0] = first;
            break;
        }
    if (n == 0) snprintf(rq->err, rq->cap, "cannot read the registers of any thread");
    else rc = core_write(rq->s1, p->pid, th, n, core_mem_read, p, rq->err, rq->cap);
out:
    free(th);
    for (size_t i = 0; i < p->nthreads; i++) {
        Thread *t = p->threads[i];
        for (size_t k = 0; k < nran; k++)
            if (ran[k] == t->tid && t->stopped) {
                size_t before = p->nthreads;
                resume_thread(p, t);
                if (p->nthreads < before) i--;
                break;
            }
    }
    free(ran);
    return rc;
}

static int req_resume(NtProc *p, int only)
{
    if (!p->pid) return -ESRCH;
    /* A signal that waited while another event was shown is the next event. */
    for (size_t i = 0; i < p->nthreads; i++) {
        Thread *t = p->threads[i];
        if (!t->has_deferred) continue;
        t->has_deferred = 0;
        NtEvent ev = { .kind = NT_EV_SIGNAL, .tid = t->tid, .pc = thread_pc(t->tid),
                       .signo = t->deferred.si_signo, .code = t->deferred.si_code,
                       .addr = (uint64_t)(uintptr_t)t->deferred.si_addr };
        p->held = 1;
        post(p, &ev);
        return 0;
    }
    /* So is a watchpoint hit that waited. */
    p->held = 0;
    for (size_t i = 0; i < p->nthreads; i++)
        if (p->threads[i]->wp_deferred && watch_deliver(p, p->threads[i]) && p->held) return 0;
    if (only) {
        Thread *t = thread_find(p, only);
        if (!t) return -ESRCH;
        return resume_thread(p, t);
    }
    resume_all(p);
    return 0;
}

static void handle_req(NtProc *p, Req *rq)
{
    int rc = 0;
    unsigned dgen = ns_debug_generation();
    if (p->pid && p->debug_gen != dgen) {
        /* set debug-file-directory: symbols found only now may bind pending breakpoints */
        p->debug_gen = dgen;
        int bound = bind_pending(p);
        NtEvent ev = { .kind = NT_EV_LIBS, .nbound = bound };
        if (bound > 0) post(p, &ev);
    }
    switch (rq->kind) {
    case R_SEIZE: rc = req_seize(p, rq); break;
    case R_ATTACH: rc = req_attach(p, rq); break;
    case R_DETACH: rc = req_detach(p); break;
    case R_KILL: rc = req_kill(p); break;
    case R_RESUME: rc = req_resume(p, rq->a); break;
    case R_INTERRUPT:
        if (!p->pid) { rc = -ESRCH; break; }
        if (p->held) break;
        stop_all(p, 0);
        p->held = 1;
        {
            Thread *t = thread_find(p, p->pid);
            if (!t && p->nthreads) t = p->threads[0];
            NtEvent ev = { .kind = NT_EV_INTERRUPT, .tid = t ? t->tid : p->pid, .pc = t ? thread_pc(t->tid) : 0 };
            step_clear(p);
            post(p, &ev);
        }
        break;
    case R_STEP: rc = req_step(p, rq); break;
    case R_STEP_CANCEL: step_clear(p); targets_clear(p); break;
    case R_BREAK: rc = req_break(p, rq); break;
    case R_BREAK_REMOVE: {
        Break *b = break_find(p, rq->a);
        if (!b) { rc = -ENOENT; break; }
        break_unbind(p, b);
        break_free(b);
        *b = p->bps[--p->nbps];
        break;
    }
    case R_BREAK_ENABLE: {
        Break *b = break_find(p, rq->a);
        if (!b) { rc = -ENOENT; break; }
        if (b->enabled == rq->b) break;
        b->enabled = rq->b;
        for (int i = 0; i < b->nlocs; i++) {
            Site *s = site_find(p, b->locs[i]);
            if (!s) continue;
            s->users += rq->b ? 1 : -1;
            site_sync(p, s);
        }
        break;
    }
    case R_BREAK_INFO: {
        Break *b = break_find(p, rq->a);
        if (!b) { rc = -ENOENT; break; }
        NtBreakInfo *o = rq->out;
        o->id = b->id;
        o->nlocs = b->nlocs;
        o->first = b->nlocs ? b->locs[0] : 0;
        snprintf(o->refused, sizeof o->refused, "%s", b->nlocs ? "" : b->refused);
        break;
    }
    case R_TARGETS: {
        targets_clear(p);
        const uint64_t *a = rq->in;
        for (size_t i = 0; i < rq->len; i++) {
            if (p->mode == NT_MIXED && nt_is_runtime_code(p, a[i])) continue;
            Site *s = site_get(p, a[i]);
            if (!s) continue;
            s->target = 1;
            site_sync(p, s);
        }
        p->target_tid = rq->a;
        break;
    }
    case R_REGS: rc = req_regs(p, rq); break;
    case R_SET_REG: rc = req_set_reg(p, rq); break;
    case R_THREADS: rc = req_threads(p, rq); break;
    case R_WRITE: {
        /* Keep our int3s: write the user's bytes under them into the sites' originals. */
        const uint8_t *src = rq->in;
        uint8_t *copy = malloc(rq->len ? rq->len : 1);
        if (!copy) { rc = -ENOMEM; break; }
        memcpy(copy, src, rq->len);
        for (size_t i = 0; i < p->nsites; i++) {
            Site *s = &p->sites[i];
            if (s->addr >= rq->addr && s->addr < rq->addr + rq->len && s->inserted) {
                s->orig = copy[s->addr - rq->addr];
                copy[s->addr - rq->addr] = 0xcc;
            }
        }
        rc = mem_write_raw(p, rq->addr, copy, rq->len) == 0 ? 0 : -EIO;
        free(copy);
        break;
    }
    case R_WATCH: rc = req_watch(p, rq); break;
    case R_WATCH_REMOVE: rc = req_watch_remove(p, rq); break;
    case R_WRITE_CORE: rc = req_write_core(p, rq); break;
    case R_QUIT: p->quit = 1; break;
    }
    rq->rc = rc;
}

static void *tracer_main(void *arg)
{
    NtProc *p = arg;
    p->tracer_tid = (int)gettid();
    for (;;) {
        pthread_mutex_lock(&p->mu);
        Req *rq = p->rq_head;
        if (rq) { p->rq_head = rq->next; if (!p->rq_head) p->rq_tail = NULL; }
        pthread_mutex_unlock(&p->mu);
        if (rq) {
            handle_req(p, rq);
            pthread_mutex_lock(&p->mu);
            rq->done = 1;
            pthread_cond_broadcast(&p->cv);
            pthread_mutex_unlock(&p->mu);
            continue;
        }
        if (p->quit) break;
        int status;
        int tid = p->pid ? waitpid(-1, &status, __WALL | __WNOTHREAD | WNOHANG) : 0;
        if (tid > 0) { on_wait(p, tid, status); continue; }
        struct pollfd pfd = { .fd = p->wake[0], .events = POLLIN };
        if (poll(&pfd, 1, -1) > 0) {
            char buf[256];
            ssize_t r = read(p->wake[0], buf, sizeof buf);
            (void)r;
        }
    }
    return NULL;
}

/* ---------------------------------------------------------------- public API */

static int core_call(NtProc *p, Req *rq);

static int call(NtProc *p, Req *rq)
{
    if (p->core) return core_call(p, rq);
    rq->done = 0;
    rq->next = NULL;
    pthread_mutex_lock(&p->mu);
    if (p->rq_tail) p->rq_tail->next = rq; else p->rq_head = rq;
    p->rq_tail = rq;
    wake(p);
    while (!rq->done) pthread_cond_wait(&p->cv, &p->mu);
    pthread_mutex_unlock(&p->mu);
    return rq->rc;
}

NtProc *nt_new(NtMode mode, NtSink sink, void *ctx)
{
    NtProc *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->mode = mode;
    const char *sir = getenv("CORDBG_MIXED_STOP_IN_RUNTIME");
    p->stop_in_runtime = sir && strcmp(sir, "1") == 0;
    p->sink = sink;
    p->ctx = ctx;
    p->mem_fd = -1;
    p->hw_watch = -1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->sym_mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->dis = nd_new(0);
    if (!p->dis || pipe2(p->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
        if (p->dis) nd_free(p->dis);
        free(p);
        return NULL;
    }
    wake_register(p->wake[1], 1);
    if (pthread_create(&p->thread, NULL, tracer_main, p) != 0) {
        wake_register(p->wake[1], 0);
        close(p->wake[0]); close(p->wake[1]);
        nd_free(p->dis);
        free(p);
        return NULL;
    }
    return p;
}

void nt_free(NtProc *p)
{
    if (!p) return;
    if (p->core) {
        /* no thread, no process: only what nt_open_core made */
        if (p->sym) ns_free(p->sym);
        pthread_mutex_destroy(&p->mu);
        pthread_mutex_destroy(&p->sym_mu);
        pthread_cond_destroy(&p->cv);
        free(p);
        return;
    }
    Req d = { .kind = R_DETACH };
    call(p, &d);
    Req q = { .kind = R_QUIT };
    call(p, &q);
    pthread_join(p->thread, NULL);
    wake_register(p->wake[1], 0);
    close(p->wake[0]);
    close(p->wake[1]);
    for (size_t i = 0; i < p->nbps; i++) break_free(&p->bps[i]);
    free(p->bps);
    threads_clear(p);
    free(p->threads);
    free(p->sites);
    if (p->sym) ns_free(p->sym);
    if (p->mem_fd >= 0) close(p->mem_fd);
    nd_free(p->dis);
    if (p->dis_intel) nd_free(p->dis_intel);
    pthread_mutex_destroy(&p->mu);
    pthread_mutex_destroy(&p->sym_mu);
    pthread_cond_destroy(&p->cv);
    free(p);
}

NtMode nt_mode(NtProc *p) { return p->mode; }
int    nt_pid(NtProc *p) { return p->pid; }

int nt_seize_child(NtProc *p, int pid, char *err, size_t cap)
{
    Req rq = { .kind = R_SEIZE, .a = pid, .err = err, .cap = cap };
    return call(p, &rq);
}

int nt_attach(NtProc *p, int pid, char *err, size_t cap)
{
    Req rq = { .kind = R_ATTACH, .a = pid, .err = err, .cap = cap };
    return call(p, &rq);
}

int nt_detach(NtProc *p) { Req rq = { .kind = R_DETACH }; return call(p, &rq); }
int nt_kill(NtProc *p) { Req rq = { .kind = R_KILL }; return call(p, &rq); }
int nt_resume(NtProc *p, int only_tid) { Req rq = { .kind = R_RESUME, .a = only_tid }; return call(p, &rq); }
int nt_interrupt(NtProc *p) { Req rq = { .kind = R_INTERRUPT }; return call(p, &rq); }
int nt_step_cancel(NtProc *p) { Req rq = { .kind = R_STEP_CANCEL }; return call(p, &rq); }

int nt_step(NtProc *p, int tid, int kind, char *err, size_t cap)
{
    Req rq = { .kind = R_STEP, .a = tid, .b = kind, .err = err, .cap = cap };
    return call(p, &rq);
}

int nt_break_add(NtProc *p, int id, const char *module, const char *func, const char *file,
                 uint32_t line, char *err, size_t cap)
{
    Req rq = { .kind = R_BREAK, .a = id, .s1 = module, .s2 = func, .s3 = file, .u = line, .err = err, .cap = cap };
    return call(p, &rq);
}

int nt_break_addr(NtProc *p, int id, uint64_t addr, char *err, size_t cap)
{
    Req rq = { .kind = R_BREAK, .a = id, .addr = addr, .err = err, .cap = cap };
    return call(p, &rq);
}

int nt_break_remove(NtProc *p, int id) { Req rq = { .kind = R_BREAK_REMOVE, .a = id }; return call(p, &rq); }
int nt_break_enable(NtProc *p, int id, int on) { Req rq = { .kind = R_BREAK_ENABLE, .a = id, .b = on }; return call(p, &rq); }
int nt_break_info(NtProc *p, int id, NtBreakInfo *out) { Req rq = { .kind = R_BREAK_INFO, .a = id, .out = out }; return call(p, &rq); }

int nt_step_targets(NtProc *p, const uint64_t *addrs, int n, int only_tid)
{
    Req rq = { .kind = R_TARGETS, .in = addrs, .len = n > 0 ? (size_t)n : 0, .a = only_tid };
    return call(p, &rq);
}

int nt_get_regs(NtProc *p, int tid, NtRegs *out) { Req rq = { .kind = R_REGS, .a = tid, .out = out }; return call(p, &rq); }

int nt_set_reg(NtProc *p, int tid, const char *name, uint64_t value)
{
    char err[128];
    Req rq = { .kind = R_SET_REG, .a = tid, .s1 = name, .addr = value, .err = err, .cap = sizeof err };
    return call(p, &rq);
}

int nt_threads(NtProc *p, NtThreadInfo **out, size_t *n)
{
    Req rq = { .kind = R_THREADS, .out = out };
    *out = NULL;
    int rc = call(p, &rq);
    *n = rc == 0 ? rq.len : 0;
    return rc;
}

int nt_read_mem(NtProc *p, uint64_t addr, void *buf, size_t len)
{
    if (p->core) return core_read(p->core, addr, buf, len) == len ? 0 : -1;
    if (mem_read_raw(p, addr, buf, len) != 0) return -1;
    pthread_mutex_lock(&p->mu);
    for (size_t i = 0; i < p->nsites; i++) {
        const Site *s = &p->sites[i];
        if (s->inserted && s->addr >= addr && s->addr < addr + len) ((uint8_t *)buf)[s->addr - addr] = s->orig;
    }
    pthread_mutex_unlock(&p->mu);
    return 0;
}

int nt_write_mem(NtProc *p, uint64_t addr, const void *buf, size_t len)
{
    Req rq = { .kind = R_WRITE, .addr = addr, .in = buf, .len = len };
    return call(p, &rq);
}

int nt_watch_add(NtProc *p, int id, uint64_t addr, int len, int kind, char *err, size_t cap)
{
    Req rq = { .kind = R_WATCH, .a = id, .b = len, .u = (uint32_t)kind, .addr = addr, .err = err, .cap = cap };
    return call(p, &rq);
}

int nt_watch_remove(NtProc *p, int id) { Req rq = { .kind = R_WATCH_REMOVE, .a = id }; return call(p, &rq); }

/* ---------------------------------------------------------------- post-mortem
 * A tracer over a core dump: requests are answered at once on the caller's thread from the
 * core (there is no tracer thread); whatever needs the process alive fails. */

static const char core_refusal[] = "not possible in a core dump: the process is not running";

static int core_call(NtProc *p, Req *rq)
{
    switch (rq->kind) {
    case R_REGS: {
        const CoreThread *t = core_thread_by_tid(p->core, rq->a);
        if (!t) return -ESRCH;
        *(NtRegs *)rq->out = t->regs;
        return 0;
    }
    case R_THREADS: {
        size_t n = core_nthreads(p->core);
        NtThreadInfo *a = calloc(n ? n : 1, sizeof *a);
        if (!a) return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
            const CoreThread *t = core_thread(p->core, i);
            a[i].tid = t->tid;
            a[i].stopped = 1;
            a[i].pc = t->regs.rip;
            /* a core names only the process (its main thread's comm) */
            if (t->tid == p->pid) snprintf(a[i].name, sizeof a[i].name, "%s", core_comm(p->core));
        }
        *(NtThreadInfo **)rq->out = a;
        rq->len = n;
        return 0;
    }
    case R_STEP_CANCEL:
        return 0;       /* nothing in progress, ever: callers clear after every stop */
    case R_BREAK_INFO:
        memset(rq->out, 0, sizeof(NtBreakInfo));
        return -ENOENT;
    default:
        if (rq->err && rq->cap) snprintf(rq->err, rq->cap, "%s", core_refusal);
        return -EPERM;
    }
}

static int core_sym_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    return core_read(ctx, addr, buf, len) == len ? 0 : -1;
}

NtProc *nt_open_core(CoreFile *cf, NtMode mode)
{
    if (!cf) return NULL;
    NtProc *p = calloc(1, sizeof *p);
    if (!p) return NULL;
    p->mode = mode;
    p->core = cf;
    p->pid = core_pid(cf);
    p->mem_fd = -1;
    p->wake[0] = p->wake[1] = -1;
    pthread_mutex_init(&p->mu, NULL);
    pthread_mutex_init(&p->sym_mu, NULL);
    pthread_cond_init(&p->cv, NULL);
    p->sym = ns_new_static(core_sym_read, cf);
    size_t n = core_nmappings(cf);
    NsMapping *m = calloc(n ? n : 1, sizeof *m);
    char (*paths)[1024] = calloc(n ? n : 1, sizeof *paths);
    int ok = p->sym && m && paths;
    for (size_t i = 0; ok && i < n; i++) {
        const CoreMapping *cm = core_mapping(cf, i);
        /* the file as this machine has it (core_map_path's substitutions); gone: no module */
        if (!core_local_path(cf, cm->path, paths[i], sizeof paths[i])) paths[i][0] = 0;
        m[i] = (NsMapping){ .start = cm->start, .end = cm->end, .offset = cm->offset, .path = paths[i] };
    }
    uint64_t vdso = 0;
    if (!core_auxv(cf, AT_SYSINFO_EHDR, &vdso) || !core_saved(cf, vdso)) vdso = 0;
    if (ok) ok = ns_set_mappings(p->sym, m, n, vdso) == 0;
    free(m);
    free(paths);
    if (ok) ns_refresh(p->sym);     /* a module that fails to open is only left out */
    if (!ok) {
        if (p->sym) ns_free(p->sym);
        pthread_mutex_destroy(&p->mu);
        pthread_mutex_destroy(&p->sym_mu);
        pthread_cond_destroy(&p->cv);
        free(p);
        return NULL;
    }
    return p;
}

int nt_is_core(const NtProc *p) { return p && p->core != NULL; }

int nt_write_core(NtProc *p, const char *path, char *err, size_t cap)
{
    return nt_write_core_first(p, path, 0, err, cap);
}

int nt_write_core_first(NtProc *p, const char *path, int first_tid, char *err, size_t cap)
{
    if (cap) err[0] = 0;
    if (p->core) { snprintf(err, cap, "%s", core_refusal); return -1; }
    Req rq = { .kind = R_WRITE_CORE, .a = first_tid, .s1 = path, .err = err, .cap = cap };
    int rc = call(p, &rq);
    if (rc != 0 && !err[0]) snprintf(err, cap, "cannot write the core (%s)", strerror(rc < 0 ? -rc : EIO));
    return rc == 0 ? 0 : -1;
}
