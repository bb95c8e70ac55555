/* memcache: the snapshot cache of the debuggee's memory (see memcache.h for the rules).
 *
 * The libc functions defined here replace libc's for cordbg and, being exported, for the
 * runtime's libraries (libmscordbi, libmscordaccore). They forward with raw system calls,
 * so they never recurse and need no dlsym. */
#undef _FORTIFY_SOURCE
#include "base/memcache.h"

#include <dlfcn.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <time.h>
#include <unistd.h>

#define MC_PAGE     4096u
#define MC_SLOTS    1024u           /* direct-mapped: at most 4 MiB of pages */
#define MC_MAX_READ (4 * MC_PAGE)   /* larger reads go straight to the kernel */
#define MC_MAXFD    4096
/* A page is read again once this old, even within a stop. The runtime lets threads in
 * preemptive mode run while it is synchronized (the tiered compilation's background JIT
 * among them: it installs code and updates its own tables in the native heap), so the
 * memory of a "stopped" process can change under the right side, cache or not; the
 * verification mode saw such differences in test_evaldiff only for pages older than a stop
 * of many evaluations. One condition or one step reads its pages within a millisecond. */
#define MC_MAX_AGE_NS (20 * 1000000LL)

enum { FD_NONE, FD_MEM, FD_PIPE };

typedef struct {
    uint64_t       page;   /* address / MC_PAGE */
    int            pid;
    unsigned       epoch;  /* valid only while equal to the current epoch */
    long long      filled; /* CLOCK_MONOTONIC_COARSE, ns */
    unsigned char *buf;    /* MC_PAGE bytes, allocated on first use */
} Slot;

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static Slot            slots[MC_SLOTS];
static unsigned        epoch = 1;   /* bumped at every drop: every slot becomes invalid */
static int             enabled;
static int             any_filled;  /* a page was read since the last drop */
static McStats         st;
static atomic_int      cfg_read;    /* CORDBG_MEMCACHE / _VERIFY read once */
static int             cfg_off, cfg_verify;
/* mc_fault_skip_drops(), for the test that the verification catches a cache that misses a
 * drop: while set, no drop happens at all, and pages never get too old. */
static int             fault_skipping;

/* Verification only: which of the debuggee's threads ran since the cache began serving.
 * The runtime leaves threads in preemptive mode running while it is synchronized (the
 * tiered compilation's background JIT, native threads of the program's own libraries), so
 * a page may change during a stop with no debugger message at all. A difference is a cache
 * bug only if no thread but the runtime's debugger helper and its transport thread ran:
 * they act only on the right side's messages, and each of those drops the cache. /proc/PID/task/TID/schedstat's
 * run time and timeslice count tell whether a thread ran. */
#define MC_MAX_TASKS 512
typedef struct { int tid; unsigned long long ran_ns, slices; } TaskRun;
static TaskRun snap[MC_MAX_TASKS];
static int     nsnap, snap_pid, last_mem_pid;

/* fd -> kind, and for FD_MEM the pid. Set at open, cleared at close. */
static _Atomic unsigned char fd_kind[MC_MAXFD];
static int                   fd_pid[MC_MAXFD];
static unsigned short        pipe_pending[MC_MAXFD];   /* FD_PIPE: size of the event block read next */
static unsigned short        pipe_wpending[MC_MAXFD];  /* FD_PIPE: size of a memory request's block written next */

static void config(void)
{
    if (atomic_load_explicit(&cfg_read, memory_order_acquire)) return;
    /* On unless CORDBG_MEMCACHE=0 (bench/floor.c, and the measurements of the cost without). */
    const char *e = getenv("CORDBG_MEMCACHE");
    cfg_off = e && !strcmp(e, "0");
    e = getenv("CORDBG_MEMCACHE_VERIFY");
    cfg_verify = e && *e && strcmp(e, "0");
    atomic_store_explicit(&cfg_read, 1, memory_order_release);
}

static ssize_t raw_pread(int fd, void *buf, size_t n, uint64_t off)
{
    return syscall(SYS_pread64, fd, buf, n, (off_t)off);
}

static int fd_kind_of(int fd)
{
    return fd >= 0 && fd < MC_MAXFD ? atomic_load_explicit(&fd_kind[fd], memory_order_relaxed) : FD_NONE;
}

/* What an opened path is to us: the debuggee's memory, or the runtime's transport pipe
 * (/tmp/clr-debug-pipe-PID-N-in|out). */
static void classify(int fd, const char *path)
{
    if (fd < 0 || fd >= MC_MAXFD || !path) return;
    int kind = FD_NONE, pid = 0;
    const char *p = path;
    if (!strncmp(p, "/proc/", 6)) {
        char *end;
        long v = strtol(p + 6, &end, 10);
        if (end != p + 6 && !strcmp(end, "/mem") && v > 0) { kind = FD_MEM; pid = (int)v; last_mem_pid = pid; }
    } else if (strstr(p, "clr-debug-pipe-")) {
        kind = FD_PIPE;
    }
    fd_pid[fd] = pid;
    pipe_pending[fd] = pipe_wpending[fd] = 0;
    atomic_store_explicit(&fd_kind[fd], (unsigned char)kind, memory_order_release);
    /* a process opened anew (attach, launch) is running: nothing is served for it until its
     * first callback or native stop */
    if (kind == FD_MEM) mc_drop("open");
}

/* Small whole-file read with raw system calls (no stdio: we run under the runtime's
 * threads and inside our own interposed functions). */
static int read_small(const char *path, char *buf, size_t cap)
{
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = syscall(SYS_read, fd, buf, cap - 1);
    syscall(SYS_close, fd);
    if (n < 0) return -1;
    buf[n] = 0;
    return (int)n;
}

static int task_run(int pid, int tid, TaskRun *out)
{
    char path[64], buf[128];
    snprintf(path, sizeof path, "/proc/%d/task/%d/schedstat", pid, tid);
    if (read_small(path, buf, sizeof buf) < 0) return -1;
    out->tid = tid;
    return sscanf(buf, "%llu %*u %llu", &out->ran_ns, &out->slices) == 2 ? 0 : -1;
}

/* The debuggee's threads: up to cap tids. */
static int list_tasks(int pid, int *tids, int cap)
{
    char path[48];
    snprintf(path, sizeof path, "/proc/%d/task", pid);
    int fd = (int)syscall(SYS_openat, AT_FDCWD, path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return 0;
    int n = 0;
    char buf[4096];
    for (;;) {
        long got = syscall(SYS_getdents64, fd, buf, sizeof buf);
        if (got <= 0) break;
        for (long at = 0; at < got;) {
            struct { uint64_t ino; int64_t off; unsigned short reclen; unsigned char type; char name[]; } *d =
                (void *)(buf + at);
            char *end;
            long v = strtol(d->name, &end, 10);
            if (end != d->name && !*end && v > 0 && n < cap) tids[n++] = (int)v;
            at += d->reclen;
        }
    }
    syscall(SYS_close, fd);
    return n;
}

static void snapshot_tasks(int pid)
{
    int tids[MC_MAX_TASKS];
    int n = list_tasks(pid, tids, MC_MAX_TASKS);
    nsnap = 0;
    snap_pid = pid;
    for (int i = 0; i < n; i++)
        if (task_run(pid, tids[i], &snap[nsnap]) == 0) nsnap++;
}

/* The threads that ran since the snapshot, by name, into out; *helper_only set when the
 * runtime's debugger helper was the only one. */
static void ran_since_snapshot(char *out, size_t cap, int *helper_only)
{
    int tids[MC_MAX_TASKS];
    int n = list_tasks(snap_pid, tids, MC_MAX_TASKS), others = 0;
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        TaskRun now;
        if (task_run(snap_pid, tids[i], &now) < 0) continue;
        const TaskRun *then = NULL;
        for (int j = 0; j < nsnap && !then; j++)
            if (snap[j].tid == tids[i]) then = &snap[j];
        if (then && then->ran_ns == now.ran_ns && then->slices == now.slices) continue;
        char path[64], comm[32] = "?";
        snprintf(path, sizeof path, "/proc/%d/task/%d/comm", snap_pid, tids[i]);
        if (read_small(path, comm, sizeof comm) > 0) comm[strcspn(comm, "\n")] = 0;
        /* the runtime's debugger helper and its transport thread act on the right side's
         * messages only */
        if (strcmp(comm, ".NET Debugger") != 0 && strcmp(comm, ".NET DebugPipe") != 0) others++;
        if (len + strlen(comm) + 16 < cap)
            len += (size_t)snprintf(out + len, cap - len, "%s%s%s", len ? ", " : "", comm, then ? "" : " (new)");
    }
    *helper_only = others == 0;
}

static int held_off;   /* mc_hold: no serving at all */

void mc_hold(int on)
{
    if (on) mc_drop("hold");
    pthread_mutex_lock(&mu);
    held_off = on;
    pthread_mutex_unlock(&mu);
}

void mc_enable(void)
{
    config();
    pthread_mutex_lock(&mu);
    if (held_off) {
        pthread_mutex_unlock(&mu);
        return;
    }
    if (cfg_verify && !cfg_off && !enabled && last_mem_pid > 0) snapshot_tasks(last_mem_pid);
    enabled = !cfg_off;
    pthread_mutex_unlock(&mu);
}

void mc_drop(const char *why)
{
    (void)why;
    config();
    pthread_mutex_lock(&mu);
    if (fault_skipping) {
        pthread_mutex_unlock(&mu);
        return;
    }
    if (enabled || any_filled) st.drops++;
    enabled = 0;
    epoch++;
    any_filled = 0;
    pthread_mutex_unlock(&mu);
}

void mc_fault_skip_drops(int on)
{
    pthread_mutex_lock(&mu);
    fault_skipping = on;
    pthread_mutex_unlock(&mu);
    if (!on) mc_drop("fault");
}

void mc_stats(McStats *out)
{
    config();
    pthread_mutex_lock(&mu);
    *out = st;
    out->enabled = enabled;
    out->off = cfg_off;
    out->verify = cfg_verify;
    unsigned n = 0;
    for (unsigned i = 0; i < MC_SLOTS; i++)
        if (slots[i].buf && slots[i].epoch == epoch) n++;
    out->valid_pages = n;
    pthread_mutex_unlock(&mu);
}

static void report_line(const char *line, int len, int to_stderr)
{
    if (to_stderr) fputs(line, stderr);
    /* also to CORDBG_MEMCACHE_REPORT when set: tests/run.py fails any test that leaves a
     * stale read there, whatever the test does with cordbg's stderr */
    const char *rep = getenv("CORDBG_MEMCACHE_REPORT");
    if (rep && *rep) {
        int fd = (int)syscall(SYS_openat, AT_FDCWD, rep, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) {
            if (syscall(SYS_write, fd, line, (size_t)len) < 0) { /* nothing more to do */ }
            syscall(SYS_close, fd);
        }
    }
}

/* A served read differed from a fresh one. A bug of the cache (a "stale read", on stderr
 * and in the report) when no thread of the program but the debugger's own ran since the
 * cache began serving; otherwise the program's own running threads changed the page during
 * the stop (see snap above): counted and noted in the report only, at most 20 times. */
static void report_stale(uint64_t addr, size_t n, void *caller, const unsigned char *cached,
                         const unsigned char *fresh, size_t nfresh)
{
    char ran[256];
    int helper_only = 1;
    ran_since_snapshot(ran, sizeof ran, &helper_only);
    if (!helper_only) {
        if (st.concurrent++ >= 20) return;
        char line[512];
        int len = snprintf(line, sizeof line,
                           "cordbg: memcache: 0x%llx (%zu bytes) changed during the stop; threads that ran: %s\n",
                           (unsigned long long)addr, n, ran);
        if (len > 0) report_line(line, (size_t)len >= sizeof line ? (int)sizeof line - 1 : len, 0);
        return;
    }
    st.stale++;

    Dl_info di;
    char where[512];
    if (caller && dladdr(caller, &di) && di.dli_fname) {
        const char *lib = strrchr(di.dli_fname, '/');
        lib = lib ? lib + 1 : di.dli_fname;
        if (di.dli_sname)
            snprintf(where, sizeof where, "%s!%s+0x%lx", lib, di.dli_sname,
                     (unsigned long)((char *)caller - (char *)di.dli_saddr));
        else
            snprintf(where, sizeof where, "%s+0x%lx", lib, (unsigned long)((char *)caller - (char *)di.dli_fbase));
    } else {
        snprintf(where, sizeof where, "%p", caller);
    }
    /* the callers above, for a bug report: libraries and offsets */
    void *bt[8];
    int nb = backtrace(bt, 8);
    size_t wl = strlen(where);
    for (int i = 2; i < nb && wl + 80 < sizeof where; i++) {
        if (dladdr(bt[i], &di) && di.dli_fname) {
            const char *lib = strrchr(di.dli_fname, '/');
            lib = lib ? lib + 1 : di.dli_fname;
            wl += (size_t)snprintf(where + wl, sizeof where - wl, " < %s+0x%lx", lib,
                                   (unsigned long)((char *)bt[i] - (char *)di.dli_fbase));
        }
    }
    /* where they first differ, and 8 bytes of each from there */
    char diff[96] = "";
    size_t at = 0;
    while (at < nfresh && cached[at] == fresh[at]) at++;
    if (at < nfresh) {
        size_t k = nfresh - at < 8 ? nfresh - at : 8, dl = 0;
        dl += (size_t)snprintf(diff + dl, sizeof diff - dl, "; +%zu cached", at);
        for (size_t j = 0; j < k; j++) dl += (size_t)snprintf(diff + dl, sizeof diff - dl, " %02x", cached[at + j]);
        dl += (size_t)snprintf(diff + dl, sizeof diff - dl, " fresh");
        for (size_t j = 0; j < k; j++) dl += (size_t)snprintf(diff + dl, sizeof diff - dl, " %02x", fresh[at + j]);
    }
    char line[1024];
    int len = snprintf(line, sizeof line, "cordbg: memcache: stale read at 0x%llx (%zu bytes) from %s%s; threads that ran: %s\n",
                       (unsigned long long)addr, n, where, diff, *ran ? ran : "none");
    if (len < 0) return;
    if ((size_t)len >= sizeof line) len = (int)sizeof line - 1;
    report_line(line, len, 1);
}

/* With CORDBG_MEMCACHE_REPORT, one line of counts per cordbg process at its exit, for the
 * test run's closing lines. */
__attribute__((destructor)) static void report_counts(void)
{
    const char *rep = getenv("CORDBG_MEMCACHE_REPORT");
    if (!rep || !*rep || !cfg_verify || !st.verified) return;
    char line[160];
    int len = snprintf(line, sizeof line, "cordbg: memcache: counts %llu reads verified, %llu stale, %llu changed by the program\n",
                       (unsigned long long)st.verified, (unsigned long long)st.stale, (unsigned long long)st.concurrent);
    if (len > 0 && (size_t)len < sizeof line) report_line(line, len, 0);
}

/* A read on a /proc/PID/mem fd. Under the lock from look-up to copy, so a drop (which
 * takes the lock before the write or ptrace that lets the program go) never interleaves
 * with a fill or a hit: a page filled is a page of the stopped process. */
static ssize_t cached_pread(int fd, void *buf, size_t n, uint64_t off, void *caller)
{
    config();
    if (cfg_off || n == 0 || n > MC_MAX_READ || off + n < off) return raw_pread(fd, buf, n, off);
    int pid = fd_pid[fd];
    pthread_mutex_lock(&mu);
    if (!enabled) {
        st.direct++;
        st.preads++;
        pthread_mutex_unlock(&mu);
        return raw_pread(fd, buf, n, off);
    }
    int all_hit = 1;
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    long long now = ts.tv_sec * 1000000000LL + ts.tv_nsec;
    uint64_t a = off, end = off + n;
    unsigned char *dst = buf;
    while (a < end) {
        uint64_t page = a / MC_PAGE;
        unsigned in = (unsigned)(a % MC_PAGE);
        size_t take = MC_PAGE - in;
        if (take > end - a) take = (size_t)(end - a);
        Slot *s = &slots[(page ^ (uint64_t)pid * 0x9e3779b1u) % MC_SLOTS];
        if (!(s->buf && s->epoch == epoch && s->page == page && s->pid == pid && (now - s->filled < MC_MAX_AGE_NS || fault_skipping))) {
            all_hit = 0;
            if (!s->buf && !(s->buf = malloc(MC_PAGE))) goto direct;
            st.preads++;
            if (raw_pread(fd, s->buf, MC_PAGE, page * MC_PAGE) != (ssize_t)MC_PAGE) {
                s->epoch = 0;   /* a page not wholly readable is never cached */
                goto direct;
            }
            s->filled = now;
            any_filled = 1;
            s->page = page;
            s->pid = pid;
            s->epoch = epoch;
            st.fills++;
        }
        memcpy(dst, s->buf + in, take);
        dst += take;
        a += take;
    }
    if (all_hit) st.hits++;
    if (cfg_verify) {
        unsigned char tmp[MC_MAX_READ];
        st.preads++;
        st.verified++;
        ssize_t r = raw_pread(fd, tmp, n, off);
        if (r != (ssize_t)n || memcmp(tmp, buf, n)) {
            report_stale(off, n, caller, (const unsigned char *)buf, tmp, r == (ssize_t)n ? n : 0);
        }
    }
    pthread_mutex_unlock(&mu);
    return (ssize_t)n;
direct:
    st.direct++;
    st.preads++;
    pthread_mutex_unlock(&mu);
    return raw_pread(fd, buf, n, off);
}

/* ------------------------------------------------------------- the libc replacements */

static int do_openat(int dirfd, const char *path, int flags, mode_t mode)
{
    int fd = (int)syscall(SYS_openat, dirfd, path, flags, mode);
    if (fd >= 0) classify(fd, path);
    return fd;
}

static mode_t open_mode(int flags, va_list ap)
{
    return (flags & O_CREAT) || (flags & __O_TMPFILE) == __O_TMPFILE ? (mode_t)va_arg(ap, int) : 0;
}

int open(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t m = open_mode(flags, ap);
    va_end(ap);
    return do_openat(AT_FDCWD, path, flags, m);
}

int open64(const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t m = open_mode(flags, ap);
    va_end(ap);
    return do_openat(AT_FDCWD, path, flags | O_LARGEFILE, m);
}

int openat(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t m = open_mode(flags, ap);
    va_end(ap);
    return do_openat(dirfd, path, flags, m);
}

int openat64(int dirfd, const char *path, int flags, ...)
{
    va_list ap;
    va_start(ap, flags);
    mode_t m = open_mode(flags, ap);
    va_end(ap);
    return do_openat(dirfd, path, flags | O_LARGEFILE, m);
}

int close(int fd)
{
    if (fd >= 0 && fd < MC_MAXFD) atomic_store_explicit(&fd_kind[fd], FD_NONE, memory_order_release);
    return (int)syscall(SYS_close, fd);
}

ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
    if (fd_kind_of(fd) == FD_MEM) return cached_pread(fd, buf, n, (uint64_t)off, __builtin_return_address(0));
    return raw_pread(fd, buf, n, (uint64_t)off);
}

ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
    if (fd_kind_of(fd) == FD_MEM) return cached_pread(fd, buf, n, (uint64_t)off, __builtin_return_address(0));
    return raw_pread(fd, buf, n, (uint64_t)off);
}

ssize_t pwrite64(int fd, const void *buf, size_t n, off64_t off)
{
    if (fd_kind_of(fd) == FD_MEM) mc_drop("pwrite");
    return syscall(SYS_pwrite64, fd, buf, n, off);
}

ssize_t pwrite(int fd, const void *buf, size_t n, off_t off)
{
    if (fd_kind_of(fd) == FD_MEM) mc_drop("pwrite");
    return syscall(SYS_pwrite64, fd, buf, n, off);
}

/* ------------------------------------------------------------- the debugger transport
 *
 * The runtime's debugger transport (the right side <-> the left side over the pipes
 * /tmp/clr-debug-pipe-PID-N-in|out) sends each message as a 48-byte header, then its data
 * block: at 0 the message type, at 4 the data block's size, at 8 the message's id, at 12
 * the id it answers; for the memory messages the left side's address at 24 and the size at
 * 32. Types: 5 an event (the right side's requests: Continue, evaluations, breakpoints,
 * steppers, Stop, Detach...; the left side's events), 6 read memory, 7 write memory.
 *
 *  - The right side's messages drop the cache, but for a write-memory request (its bytes'
 *    pages are dropped at the request) and a read-memory request: at their answer every
 *    page goes and the cache goes on serving (see on_pipe_read). A header that does not
 *    parse drops everything.
 *  - The left side's event 0x0102 is its "synchronized": every thread the runtime stops is
 *    stopped, before the right side does the work that leads to a callback (reading the
 *    exception, the thread, the frames: most of an exception's reads). The cache serves
 *    from there. An event that does not parse only means it waits for the callback. */
#define TR_HEADER        48
#define TR_MT_EVENT      5
#define TR_MT_READ       6
#define TR_MT_WRITE      7
#define TR_SYNC_COMPLETE 0x0102
#define TR_MAX_WRITES    8

typedef struct { uint32_t id; uint64_t addr; uint32_t len; } PendingWrite;
static PendingWrite pending_writes[TR_MAX_WRITES];   /* under mu */
static int          npending_writes;

static uint32_t word32(const unsigned char *b, size_t at)
{
    uint32_t v;
    memcpy(&v, b + at, 4);
    return v;
}

/* Drop the pages of [addr, addr+len), of any process; under mu. */
static void drop_range_locked(uint64_t addr, uint64_t len)
{
    if (len > 16 * MC_PAGE) {   /* a large write: everything */
        epoch++;
        any_filled = 0;
        return;
    }
    for (uint64_t page = addr / MC_PAGE; page <= (addr + len - 1) / MC_PAGE; page++)
        for (unsigned i = 0; i < MC_SLOTS; i++)
            if (slots[i].page == page) slots[i].epoch = 0;
}

/* A message of the right side, about to be written. */
static void on_pipe_write(int fd, const unsigned char *buf, size_t n)
{
    if (pipe_wpending[fd] && n == pipe_wpending[fd]) {   /* a memory request's data block */
        pipe_wpending[fd] = 0;
        return;
    }
    pipe_wpending[fd] = 0;
    uint32_t type = n == TR_HEADER ? word32(buf, 0) : 0, len = n == TR_HEADER ? word32(buf, 4) : 0;
    if (n == TR_HEADER && type == TR_MT_READ && len < 0x10000) {
        pipe_wpending[fd] = (unsigned short)len;
        return;
    }
    if (n == TR_HEADER && type == TR_MT_WRITE && len < 0x10000) {
        uint64_t addr;
        memcpy(&addr, buf + 24, 8);
        uint32_t cb = word32(buf, 32);
        pthread_mutex_lock(&mu);
        if (cb > 0 && npending_writes < TR_MAX_WRITES && addr + cb > addr && !fault_skipping) {
            drop_range_locked(addr, cb);
            pending_writes[npending_writes++] = (PendingWrite){ word32(buf, 8), addr, cb };
            st.range_drops++;
            pthread_mutex_unlock(&mu);
            pipe_wpending[fd] = (unsigned short)len;
            return;
        }
        pthread_mutex_unlock(&mu);
    }
    mc_drop("transport");
}

/* Every message from the right side to the left side may let the program run or make the
 * left side write its memory: see on_pipe_write. */
ssize_t write(int fd, const void *buf, size_t n)
{
    int k = fd_kind_of(fd);
    if (k == FD_PIPE) on_pipe_write(fd, buf, n);
    else if (k == FD_MEM) mc_drop("pwrite");
    return syscall(SYS_write, fd, buf, n);
}

/* A message of the left side, just read. */
static void on_pipe_read(int fd, const unsigned char *buf, size_t r)
{
    if (pipe_pending[fd] && r == pipe_pending[fd] && r >= 12) {
        pipe_pending[fd] = 0;
        if ((word32(buf, 8) & 0xffff) == TR_SYNC_COMPLETE) mc_enable();
        return;
    }
    pipe_pending[fd] = 0;
    if (r != TR_HEADER) return;
    uint32_t type = word32(buf, 0), len = word32(buf, 4);
    if (type == TR_MT_EVENT && len >= 12 && len < 0x10000) {
        pipe_pending[fd] = (unsigned short)len;
    } else if (type == TR_MT_WRITE || type == TR_MT_READ) {
        /* The answer to a memory request: the bytes are written now, and the left side's
         * transport thread (".NET DebugPipe") has handled the message, which also carries
         * the right side's acknowledgements: it frees the events they acknowledge, and the
         * right side reads those events' data. So every page goes, but the process is still
         * synchronized: the cache goes on serving, from fresh pages. */
        uint32_t reply = word32(buf, 12);
        int found = type == TR_MT_READ;
        pthread_mutex_lock(&mu);
        for (int i = 0; i < npending_writes && !found; i++) {
            if (pending_writes[i].id != reply) continue;
            pending_writes[i] = pending_writes[--npending_writes];
            found = 1;
        }
        if (found) {
            epoch++;
            any_filled = 0;
            st.range_drops++;
            if (cfg_verify && enabled && last_mem_pid > 0) snapshot_tasks(last_mem_pid);
        }
        pthread_mutex_unlock(&mu);
        if (!found) mc_drop("transport");
    }
}

ssize_t read(int fd, void *buf, size_t n)
{
    ssize_t r = syscall(SYS_read, fd, buf, n);
    if (r > 0 && fd_kind_of(fd) == FD_PIPE) on_pipe_read(fd, buf, (size_t)r);
    return r;
}

/* cordbg's own ptrace calls (the native engine): anything but a read may change memory or
 * let a thread run. */
long __wrap_ptrace(int req, ...);
long __real_ptrace(int req, ...);
long __wrap_ptrace(int req, ...)
{
    va_list ap;
    va_start(ap, req);
    pid_t pid = va_arg(ap, pid_t);
    void *addr = va_arg(ap, void *);
    void *data = va_arg(ap, void *);
    va_end(ap);
    switch (req) {
    case PTRACE_PEEKTEXT: case PTRACE_PEEKDATA: case PTRACE_PEEKUSER: case PTRACE_GETREGS:
    case PTRACE_GETFPREGS: case PTRACE_GETREGSET: case PTRACE_GETSIGINFO: case PTRACE_GETEVENTMSG:
    case PTRACE_INTERRUPT: case PTRACE_SETOPTIONS:   /* stopping a thread changes no memory */
        break;
    default:
        mc_drop("ptrace");
    }
    return __real_ptrace(req, pid, addr, data);
}
