/* Checks and waits before an attach. See attach.h.
 *
 * Why before: the runtime's debugger transport is a pair of FIFOs that any process of the
 * user can open. A second right side that opens them while a first one is connected writes
 * its session request into the first session's byte stream: the left side tears that session
 * down and the first debugger is wedged for good. So every reason not to attach that /proc
 * can tell is found here, before mscordbi is asked to connect. */
#include "clr/attach.h"
#include "base/os.h"
#include "base/log.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static void comm_of(int pid, char *buf, size_t cap)
{
    if (os_proc_stat_field(pid, 2, buf, cap) != 0) snprintf(buf, cap, "?");
}

/* The value of NAME in a NUL-separated environment block, or NULL. */
static const char *env_get(const char *env, size_t len, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = env; p < env + len; p += strlen(p) + 1)
        if (strncmp(p, name, n) == 0 && p[n] == '=') return p + n + 1;
    return NULL;
}

/* The runtime's CLRConfig reads DOTNET_X first, then COMPlus_X; values are hexadecimal. */
static int config_is_zero(const char *env, size_t len, const char *name, char *spelled, size_t cap)
{
    char key[96];
    const char *v = NULL;
    snprintf(key, sizeof key, "DOTNET_%s", name);
    v = env_get(env, len, key);
    if (!v) {
        snprintf(key, sizeof key, "COMPlus_%s", name);
        v = env_get(env, len, key);
    }
    if (!v || !*v) return 0;
    char *end;
    unsigned long x = strtoul(v, &end, 16);
    if (*end || x != 0) return 0;
    snprintf(spelled, cap, "%s=%s", key, v);
    return 1;
}

static int status_field(int pid, const char *name)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/status", pid);
    char *text;
    if (os_read_file(path, 1 << 16, &text, NULL) != 0) return 0;
    const char *t = strstr(text, name);
    int v = t ? atoi(t + strlen(name)) : 0;
    free(text);
    return v;
}

/* The process whose thread traces PID (TracerPid names the tracing thread), or 0. */
static int tracer_of(int pid)
{
    int tracer = status_field(pid, "\nTracerPid:");
    if (tracer <= 0) return 0;
    int tgid = status_field(tracer, "\nTgid:");
    return tgid > 0 ? tgid : tracer;
}

/* The target's own TMPDIR (where its runtime made the FIFOs), without trailing slashes. */
static void target_tmpdir(const char *env, size_t len, char *out, size_t cap)
{
    const char *t = env ? env_get(env, len, "TMPDIR") : NULL;
    snprintf(out, cap, "%s", t && *t ? t : "/tmp");
    size_t n = strlen(out);
    while (n > 1 && out[n - 1] == '/') out[--n] = 0;
}

static int read_environ(int pid, char **env, size_t *len)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", pid);
    return os_read_file(path, 1 << 22, env, len);
}

int clr_attach_check_holder(int pid, char *why, size_t cap)
{
    char hname[64], comm[64];
    int holder = clr_debug_pipe_holder(pid, hname, sizeof hname);
    if (holder <= 0) return 0;
    comm_of(pid, comm, sizeof comm);
    snprintf(why, cap, "process %d (%s) is already being debugged: process %d (%s) holds its "
             "runtime's debugger connection", pid, comm, holder, hname);
    return -EBUSY;
}

int clr_debug_pipe_holder(int pid, char *name, size_t cap)
{
    unsigned long long key;
    if (clr_process_start_key(pid, &key) != 0) return 0;
    /* Matched by name first (cheap), then by inode, so a TMPDIR spelled differently
     * (trailing slash, symlink) still counts. */
    char needle[96];
    snprintf(needle, sizeof needle, "clr-debug-pipe-%d-%llu-", pid, key);
    DIR *d = opendir("/proc");
    if (!d) return 0;
    int holder = 0;
    struct dirent *e;
    while (!holder && (e = readdir(d))) {
        char *end;
        long other = strtol(e->d_name, &end, 10);
        if (*end || other <= 0 || other == pid || other == getpid()) continue;
        char fddir[64];
        snprintf(fddir, sizeof fddir, "/proc/%ld/fd", other);
        DIR *fds = opendir(fddir);
        if (!fds) continue;   /* another user's process, or gone */
        struct dirent *f;
        while ((f = readdir(fds))) {
            if (f->d_name[0] == '.') continue;
            char link[300], target[1024];
            snprintf(link, sizeof link, "%s/%s", fddir, f->d_name);
            if (os_read_link(link, target, sizeof target) != 0) continue;
            const char *base = strrchr(target, '/');
            if (!base || strncmp(base + 1, needle, strlen(needle)) != 0) continue;
            struct stat st;
            if (stat(link, &st) != 0 || !S_ISFIFO(st.st_mode)) continue;
            /* A debugger writes to -in and reads -out; the runtime (and any child that
             * inherited its descriptors) the other way round. */
            char info[300], *text;
            snprintf(info, sizeof info, "/proc/%ld/fdinfo/%s", other, f->d_name);
            if (os_read_file(info, 1 << 16, &text, NULL) != 0) continue;
            const char *fl = strstr(text, "flags:");
            int acc = fl ? (int)(strtoul(fl + 6, NULL, 8) & O_ACCMODE) : -1;
            free(text);
            size_t tl = strlen(target);
            if (tl > 10 && strcmp(target + tl - 10, " (deleted)") == 0) target[tl -= 10] = 0;
            int in = tl > 3 && strcmp(target + tl - 3, "-in") == 0;
            if ((in && acc == O_WRONLY) || (!in && acc == O_RDONLY)) { holder = (int)other; break; }
        }
        closedir(fds);
    }
    closedir(d);
    if (holder && name) comm_of(holder, name, cap);
    return holder;
}

static int pipes_exist(int pid);

int clr_attach_check(int pid, int native, char *why, size_t cap)
{
    if (!os_proc_exists(pid)) { snprintf(why, cap, "no process with id %d", pid); return -ESRCH; }
    char comm[64];
    comm_of(pid, comm, sizeof comm);
    char st[8];
    if (os_proc_stat_field(pid, 3, st, sizeof st) == 0 && (st[0] == 'Z' || st[0] == 'X')) {
        snprintf(why, cap, "process %d (%s) has already exited (a zombie its parent has not reaped)", pid, comm);
        return -ESRCH;
    }
    char *env = NULL;
    size_t len = 0;
    int rc = read_environ(pid, &env, &len);
    if (rc == -EACCES || rc == -EPERM) {
        struct stat s;
        char path[64];
        snprintf(path, sizeof path, "/proc/%d", pid);
        if (stat(path, &s) == 0 && s.st_uid != getuid())
            snprintf(why, cap, "process %d (%s) belongs to user id %u and cordbg runs as %u: "
                     "only root may debug another user's process", pid, comm, (unsigned)s.st_uid, (unsigned)getuid());
        else
            snprintf(why, cap, "not allowed to inspect process %d (%s): %s (ptrace permission: "
                     "see /proc/sys/kernel/yama/ptrace_scope)", pid, comm, strerror(-rc));
        return rc;
    }
    int tracer = tracer_of(pid);
    if (tracer > 0) {
        char tcomm[64];
        comm_of(tracer, tcomm, sizeof tcomm);
        snprintf(why, cap, "process %d (%s) is already being debugged: process %d (%s) traces it",
                 pid, comm, tracer, tcomm);
        free(env);
        return -EBUSY;
    }
    if (native) { free(env); return 0; }
    char spelled[128];
    if (env && (config_is_zero(env, len, "EnableDiagnostics", spelled, sizeof spelled) ||
                config_is_zero(env, len, "EnableDiagnostics_Debugger", spelled, sizeof spelled))) {
        snprintf(why, cap, "process %d (%s) was started with %s: its runtime does not allow a debugger",
                 pid, comm, spelled);
        free(env);
        return -EPERM;
    }
    /* The right side looks for the FIFOs in cordbg's TMPDIR; the runtime made them in its own. */
    char theirs[512];
    target_tmpdir(env, len, theirs, sizeof theirs);
    const char *ours = os_tmpdir();
    if (env && strcmp(theirs, ours) != 0) {
        struct stat a, b;
        if (stat(theirs, &a) != 0 || stat(ours, &b) != 0 || a.st_dev != b.st_dev || a.st_ino != b.st_ino) {
            snprintf(why, cap, "process %d (%s) runs with TMPDIR=%s, where its runtime keeps its debugger "
                     "pipes; cordbg's is %s: start cordbg with TMPDIR=%s", pid, comm, theirs, ours, theirs);
            free(env);
            return -ENOENT;
        }
    }
    free(env);
    /* No pipes yet, no holder: the scan of every process is left for later (the caller
     * checks again once the runtime is up: clr_attach_check_holder). */
    if (!pipes_exist(pid)) return 0;
    char hname[64];
    int holder = clr_debug_pipe_holder(pid, hname, sizeof hname);
    if (holder > 0) {
        snprintf(why, cap, "process %d (%s) is already being debugged: process %d (%s) holds its "
                 "runtime's debugger connection", pid, comm, holder, hname);
        return -EBUSY;
    }
    return 0;
}

/* ---- waiting for a runtime that has not started yet ----
 * A process started a moment ago may still be in the dotnet host (or not have exec'd it
 * yet), or its runtime may be half-way through its start-up, where a right side that
 * connects waits for answers that do not come. So the attach waits until the runtime's
 * debugger runs (pipes, its ".NET Debugger" thread) and the program's own assembly is
 * loaded, or the process is old enough that it never will be. */

static double seconds_since_boot(void)
{
    char *text;
    if (os_read_file("/proc/uptime", 256, &text, NULL) != 0) return -1;
    double up = atof(text);
    free(text);
    return up;
}

/* How long PID has been running, in seconds (-1 unknown). */
static double process_age(int pid)
{
    unsigned long long start;
    double up = seconds_since_boot();
    long tck = sysconf(_SC_CLK_TCK);
    if (up < 0 || tck <= 0 || clr_process_start_key(pid, &start) != 0) return -1;
    return up - (double)start / (double)tck;
}

static int maps_have(int pid, const char *what)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    char *maps;
    if (os_read_file(path, 1 << 24, &maps, NULL) != 0) return 0;
    int yes = strstr(maps, what) != NULL;
    free(maps);
    return yes;
}

/* The program's own assembly is mapped: the runtime's start-up is over. `dotnet X.dll`:
 * X.dll; an apphost X: X.dll beside it. 0 when it cannot tell. */
static int program_loaded(int pid)
{
    char path[64], *cmd = NULL;
    size_t len = 0;
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    if (os_read_file(path, 1 << 16, &cmd, &len) != 0) return 0;
    char want[600] = "";
    for (const char *a = cmd; a < cmd + len; a += strlen(a) + 1) {
        size_t n = strlen(a);
        if (n > 4 && strcmp(a + n - 4, ".dll") == 0) {
            const char *b = strrchr(a, '/');
            snprintf(want, sizeof want, "/%s", b ? b + 1 : a);
            break;
        }
    }
    free(cmd);
    if (!want[0]) {
        char exe[512];
        if (os_pid_exe(pid, exe, sizeof exe) != 0) return 0;
        const char *b = strrchr(exe, '/');
        if (!b || strncmp(b + 1, "dotnet", 6) == 0) return 0;
        snprintf(want, sizeof want, "%s.dll", b);
    }
    return maps_have(pid, want);
}

/* The executable is a .NET host (dotnet or an apphost): it names libhostfxr.so. */
static int exe_is_host(int pid)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    char *img = NULL;
    size_t len = 0;
    if (os_read_file(path, 1 << 26, &img, &len) != 0) return 0;
    static const char want[] = "libhostfxr.so";
    int yes = memmem(img, len, want, sizeof want - 1) != NULL;
    free(img);
    return yes;
}

/* Signs that PID is on its way to a .NET runtime: the dotnet host, or its libraries mapped. */
static int looks_like_dotnet(int pid)
{
    char exe[1024];
    if (os_pid_exe(pid, exe, sizeof exe) == 0) {
        const char *b = strrchr(exe, '/');
        if (b && strncmp(b + 1, "dotnet", 6) == 0 && (b[7] == 0 || b[7] == ' ')) return 1;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    char *maps;
    if (os_read_file(path, 1 << 24, &maps, NULL) != 0) return 0;
    int yes = strstr(maps, "/libhostfxr.so") || strstr(maps, "/libhostpolicy.so") || strstr(maps, "/libcoreclr.so");
    free(maps);
    return yes;
}

static int pipes_exist(int pid)
{
    char *env = NULL;
    size_t len = 0;
    char dir[512];
    if (read_environ(pid, &env, &len) != 0) env = NULL;
    target_tmpdir(env, len, dir, sizeof dir);
    free(env);
    return clr_has_debug_pipe(pid, dir);
}

/* A thread of PID named name (its comm). */
static int has_thread(int pid, const char *name)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/task", pid);
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    struct dirent *e;
    while (!found && (e = readdir(d))) {
        if (e->d_name[0] == '.') continue;
        char path[128], comm[64];
        snprintf(path, sizeof path, "%s/%s/comm", dir, e->d_name);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) continue;
        ssize_t n = read(fd, comm, sizeof comm - 1);
        close(fd);
        if (n <= 0) continue;
        comm[n] = 0;
        comm[strcspn(comm, "\n")] = 0;
        found = strcmp(comm, name) == 0;
    }
    closedir(d);
    return found;
}

/* The runtime's debugger can take a right side: its pipes are there and its debugger
 * thread runs (the pipes come first; a right side that connects before that thread
 * answers waits for replies that do not come). */
static int debugger_ready(int pid) { return pipes_exist(pid) && has_thread(pid, ".NET Debugger"); }

int clr_attach_wait_runtime(int pid, int limit_ms, ClrRuntimeInfo *rt,
                            void (*note)(void *ctx, const char *text), void *ctx,
                            char *why, size_t cap)
{
    char comm[64];
    comm_of(pid, comm, sizeof comm);
    int rc = clr_runtime_of_pid(pid, rt);
    double age = process_age(pid);
    /* A runtime that is up and not just started is attached to at once. */
    if (rc == 0 && debugger_ready(pid) && (age < 0 || age > 5.0)) return 0;
    if (rc != 0 && rc != -ENOENT) {
        if (rc == -ESRCH) snprintf(why, cap, "no process with id %d", pid);
        else snprintf(why, cap, "cannot read the memory map of process %d (%s): %s", pid, comm, strerror(-rc));
        return rc;
    }
    /* Young, or its runtime not up yet: wait until the runtime runs the program itself.
     * (Holding it in the start-up handshake, as dbgshim does, was tried: a process stopped
     * that early and then detached did not always go on under load.) */
    uint64_t t0 = os_monotonic_ns();
    int noted = 0, host = rc == -ENOENT && exe_is_host(pid);
    for (;;) {
        uint64_t now = os_monotonic_ns();
        double waited = (double)(now - t0) / 1e9;
        char st[8];
        if (os_proc_stat_field(pid, 3, st, sizeof st) != 0 || st[0] == 'Z' || st[0] == 'X') {
            snprintf(why, cap, "process %d (%s) exited before a .NET runtime started in it: not a .NET program, "
                     "or its runtime failed to start", pid, comm);
            return -ESRCH;
        }
        rc = clr_runtime_of_pid(pid, rt);
        if (rc == 0 && debugger_ready(pid)) {
            if (program_loaded(pid)) return 0;
            age = process_age(pid);
            if (age < 0 || age > 5.0) return 0;
        } else if (rc == -ENOENT && !host && !looks_like_dotnet(pid)) {
            age = process_age(pid);
            if (age < 0 || age > 3.0) {
                snprintf(why, cap, "process %d (%s) is not a .NET process: no .NET runtime (libcoreclr.so) in it", pid, comm);
                    return -ENOENT;
            }
        } else if (rc != 0 && rc != -ENOENT) {
            snprintf(why, cap, "cannot read the memory map of process %d (%s): %s", pid, comm, strerror(-rc));
            return rc;
        }
        if (waited * 1000 >= limit_ms) {
            if (rc == 0)
                snprintf(why, cap, "the .NET runtime of process %d (%s) did not open its debugger pipes "
                         "(clr-debug-pipe-%d-* in its TMPDIR) within %d s", pid, comm, pid, limit_ms / 1000);
            else
                snprintf(why, cap, "process %d (%s) is not a .NET process: no .NET runtime started in it within %d s",
                         pid, comm, limit_ms / 1000);
            return -ETIMEDOUT;
        }
        if (!noted && waited > 0.3 && note) {
            char text[160];
            snprintf(text, sizeof text, "Waiting for the .NET runtime to start in process %d (%s), up to %d s...",
                     pid, comm, limit_ms / 1000);
            note(ctx, text);
            noted = 1;
        }
        struct timespec ts = { 0, 20 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
}


int clr_attach_not_dotnet(int pid, char *why, size_t cap)
{
    ClrRuntimeInfo rt;
    if (clr_runtime_of_pid(pid, &rt) != -ENOENT || looks_like_dotnet(pid) || exe_is_host(pid)) return 0;
    char comm[64];
    comm_of(pid, comm, sizeof comm);
    snprintf(why, cap, "process %d (%s) is not a .NET process: no .NET runtime (libcoreclr.so) in it", pid, comm);
    return -ENOENT;
}
