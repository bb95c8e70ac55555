/* memcache: the snapshot cache of the debuggee's memory (see memcache.h for the rules).
 *
 * The libc functions defined here replace libc's for cordbg and, being exported, for the
 * runtime's libraries (libmscordbi, libmscordaccore). They forward with raw system calls,
 * so they never recurse and need no dlsym. */
#undef _FORTIFY_SOURCE
#include "clr/memcache.h"

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

/* fd -> kind, and for FD_MEM the pid. Set at open, cleared at close. */
static _Atomic unsigned char fd_kind[MC_MAXFD];
static int                   fd_pid[MC_MAXFD];

static void config(void)
{
    if (atomic_load_explicit(&cfg_read, memory_order_acquire)) return;
    /* Off unless asked for: see memcache.h for the stale reads the verification found. */
    const char *e = getenv("CORDBG_MEMCACHE");
    cfg_off = !e || !*e || !strcmp(e, "0");
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
        if (end != p + 6 && !strcmp(end, "/mem") && v > 0) { kind = FD_MEM; pid = (int)v; }
    } else if (strstr(p, "clr-debug-pipe-")) {
        kind = FD_PIPE;
    }
    fd_pid[fd] = pid;
    atomic_store_explicit(&fd_kind[fd], (unsigned char)kind, memory_order_release);
}

void mc_enable(void)
{
    config();
    pthread_mutex_lock(&mu);
    enabled = !cfg_off;
    pthread_mutex_unlock(&mu);
}

void mc_drop(const char *why)
{
    (void)why;
    pthread_mutex_lock(&mu);
    if (enabled || any_filled) st.drops++;
    enabled = 0;
    epoch++;
    any_filled = 0;
    pthread_mutex_unlock(&mu);
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

static void report_stale(uint64_t addr, size_t n, void *caller, const unsigned char *cached,
                         const unsigned char *fresh, size_t nfresh)
{
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
    char line[768];
    int len = snprintf(line, sizeof line, "cordbg: memcache: stale read at 0x%llx (%zu bytes) from %s%s\n",
                       (unsigned long long)addr, n, where, diff);
    if (len < 0) return;
    if ((size_t)len >= sizeof line) len = (int)sizeof line - 1;
    fputs(line, stderr);
    /* also to CORDBG_MEMCACHE_REPORT when set: tests/run.py fails any test that leaves one,
     * whatever the test does with cordbg's stderr */
    const char *rep = getenv("CORDBG_MEMCACHE_REPORT");
    if (rep && *rep) {
        int fd = (int)syscall(SYS_openat, AT_FDCWD, rep, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
        if (fd >= 0) {
            if (syscall(SYS_write, fd, line, (size_t)len) < 0) { /* nothing more to do */ }
            syscall(SYS_close, fd);
        }
    }
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
        if (!(s->buf && s->epoch == epoch && s->page == page && s->pid == pid && now - s->filled < MC_MAX_AGE_NS)) {
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
        ssize_t r = raw_pread(fd, tmp, n, off);
        if (r != (ssize_t)n || memcmp(tmp, buf, n)) {
            st.stale++;
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

/* Every message from the right side to the left side may let the program run or make the
 * left side write its memory: drop before it leaves. */
ssize_t write(int fd, const void *buf, size_t n)
{
    int k = fd_kind_of(fd);
    if (k == FD_PIPE || k == FD_MEM) mc_drop("transport");
    return syscall(SYS_write, fd, buf, n);
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
