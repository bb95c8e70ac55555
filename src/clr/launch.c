/* The runtime-startup handshake over the PAL's named semaphores. See launch.h. */
#include "clr/launch.h"
#include "clr/runtime.h"
#include "base/os.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif
#ifndef SYS_close_range
#define SYS_close_range 436
#endif

/* In a child of cordbg: close every descriptor from 3 up but the ones in keep (ascending).
 * Another launch's lifeline inherited here would keep that keeper from ever seeing EOF.
 * Async-signal-safe. */
static void close_all_but(const int *keep, int n)
{
    int from = 3;
    for (int i = 0; i <= n; i++) {
        int to = i < n ? keep[i] - 1 : 0x7fffffff;
        if (to >= from && syscall(SYS_close_range, from, to, 0) != 0)
            for (int fd = from; fd <= to && fd < 65536; fd++) close(fd);
        if (i < n && keep[i] + 1 > from) from = keep[i] + 1;
    }
}

static int cmp_fd(const void *a, const void *b) { return *(const int *)a - *(const int *)b; }

int clr_find_on_path(const char *prog, char *out, size_t cap)
{
    if (strchr(prog, '/')) {
        if (access(prog, X_OK) != 0) return -errno;
        snprintf(out, cap, "%s", prog);
        return 0;
    }
    const char *path = getenv("PATH");
    if (!path) path = "/usr/local/bin:/usr/bin:/bin";
    while (*path) {
        size_t n = strcspn(path, ":");
        snprintf(out, cap, "%.*s/%s", (int)n, n ? path : ".", prog);
        struct stat st;
        if (stat(out, &st) == 0 && S_ISREG(st.st_mode) && access(out, X_OK) == 0) return 0;
        path += n + (path[n] == ':');
    }
    return -ENOENT;
}

/* The environment for the child: cordbg's own with spec->env_set applied. Built before
 * fork, because the child of a multi-threaded process may only call async-signal-safe code. */
static char **build_env(char *const *env_set)
{
    size_t n = 0, extra = 0;
    while (environ[n]) n++;
    while (env_set && env_set[extra]) extra++;
    char **env = calloc(n + extra + 1, sizeof *env);
    if (!env) return NULL;
    size_t len = 0;
    for (size_t i = 0; i < n; i++) {
        const char *eq = strchr(environ[i], '=');
        size_t key = eq ? (size_t)(eq - environ[i]) : strlen(environ[i]);
        int replaced = 0;
        for (size_t j = 0; j < extra; j++)
            if (strncmp(env_set[j], environ[i], key) == 0 && env_set[j][key] == '=') replaced = 1;
        if (!replaced) env[len++] = environ[i];
    }
    for (size_t j = 0; j < extra; j++) env[len++] = env_set[j];
    env[len] = NULL;
    return env;
}

static void unlink_sems(ClrLaunch *l)
{
    if (l->st_name[0]) sem_unlink(l->st_name);
    if (l->co_name[0]) sem_unlink(l->co_name);
}

static void close_sems(ClrLaunch *l)
{
    if (l->st && l->st != SEM_FAILED) sem_close(l->st);
    if (l->co && l->co != SEM_FAILED) sem_close(l->co);
    l->st = l->co = NULL;
}

static sem_t *create_sem(const char *name)
{
    sem_t *s = sem_open(name, O_CREAT | O_EXCL, 0700, 0);
    if (s == SEM_FAILED && errno == EEXIST) {
        /* Left behind by a debugger that died mid-launch with a recycled pid. */
        sem_unlink(name);
        s = sem_open(name, O_CREAT | O_EXCL, 0700, 0);
    }
    return s;
}

static void describe_status(int status, char *buf, size_t cap)
{
    if (WIFEXITED(status)) snprintf(buf, cap, "exited with code %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) snprintf(buf, cap, "was killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    else snprintf(buf, cap, "stopped unexpectedly");
}

/* In the forked child (async-signal-safe calls only: the parent has threads): wait for
 * "go", then exec; on failure report errno (exec) or -errno (chdir) on fail_fd. */
static void child_exec(const ClrLaunchSpec *spec, char **env, int go_fd, int fail_fd)
{
    char c;
    if (read(go_fd, &c, 1) != 1) _exit(126);
    if (spec->redirect) {
        /* Through copies above 2, so that a pipe already at 0..2 is not lost. */
        int tmp[3];
        for (int i = 0; i < 3; i++) tmp[i] = fcntl(spec->stdio[i], F_DUPFD_CLOEXEC, 3);
        for (int i = 0; i < 3; i++) if (tmp[i] < 0 || dup2(tmp[i], i) < 0) _exit(125);
    }
    /* Dispositions and the mask cordbg set for itself must not leak into the program, but
     * for SIGINT when asked: an ignored SIGINT stays ignored by the runtime, so the
     * terminal's Ctrl-C pauses through cordbg instead. */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGINT, spec->ignore_sigint ? SIG_IGN : SIG_DFL);
    signal(SIGQUIT, SIG_DFL);
    signal(SIGPIPE, SIG_DFL);
    int e = 0;
    if (spec->cwd && chdir(spec->cwd) != 0) e = -errno;
    if (!e) { execve(spec->path, spec->argv, env); e = errno; }
    ssize_t w = write(fail_fd, &e, sizeof e);
    (void)w;
    _exit(127);
}

/* The keeper's watch over the program and cordbg's lifeline: the program's wait status
 * when it ends; -1 when cordbg detached ('d') and the program is on its own. A lifeline
 * that breaks (cordbg gone) kills the program rather than leave it held. */
static int keeper_watch(pid_t child, int life_fd)
{
    int pfd = (int)syscall(SYS_pidfd_open, child, 0);
    struct pollfd fds[2] = { { .fd = pfd, .events = POLLIN }, { .fd = life_fd, .events = POLLIN } };
    while (pfd >= 0) {
        if (poll(fds, 2, -1) < 0) { if (errno == EINTR) continue; break; }
        if (fds[0].revents) break;
        if (fds[1].revents) {
            char cmd;
            ssize_t r = read(life_fd, &cmd, 1);
            if (r < 0 && errno == EINTR) continue;
            if (r == 1 && cmd == 'd') return -1;          /* detached: the program is on its own */
            if (r <= 0) { kill(child, SIGKILL); break; } /* cordbg is gone */
        }
    }
    int status = 0;
    while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    return status;
}

/* Parent side, once the program's pid is known and it waits for "go" on go_fd: the
 * semaphores, exec, and the wait for its runtime to reach the handshake. remote: the
 * keeper is a terminal host that always answers the exec with an int (0: it worked);
 * locally EOF on fail_fd means it worked. */
static int handshake(const ClrLaunchSpec *spec, ClrLaunch *out, int go_fd, int fail_fd, int remote,
                     int *exit_status, char *err, size_t errcap)
{
    pid_t pid = out->pid;
    if (spec->before_exec) {
        int brc = spec->before_exec(spec->before_exec_ctx, pid, err, errcap);
        if (brc != 0) { clr_launch_abort(out); return brc < 0 ? brc : -EIO; }
    }
    unsigned long long key = 0;
    int rc = spec->no_runtime ? 0 : clr_process_start_key(pid, &key);
    if (rc == 0 && !spec->no_runtime) {
        snprintf(out->co_name, sizeof out->co_name, "/clrco%08x%016llx", (unsigned)pid, key);
        snprintf(out->st_name, sizeof out->st_name, "/clrst%08x%016llx", (unsigned)pid, key);
        out->co = create_sem(out->co_name);
        out->st = out->co == SEM_FAILED ? SEM_FAILED : create_sem(out->st_name);
        if (out->co == SEM_FAILED || out->st == SEM_FAILED) rc = -errno;
    }
    if (rc != 0) {
        snprintf(err, errcap, "cannot set up the runtime-startup handshake: %s", strerror(-rc));
        clr_launch_abort(out);
        return rc;
    }
    ssize_t w = write(go_fd, "g", 1);
    (void)w;
    int exec_errno = 0;
    ssize_t r;
    do r = read(fail_fd, &exec_errno, sizeof exec_errno); while (r < 0 && errno == EINTR);
    if (remote && r != (ssize_t)sizeof exec_errno) {
        snprintf(err, errcap, "the terminal that was to run the program went away");
        clr_launch_abort(out);
        return -EIO;
    }
    if (r == (ssize_t)sizeof exec_errno && exec_errno != 0) {
        int st;
        clr_launch_wait_exit(out, &st);
        unlink_sems(out);
        close_sems(out);
        if (exec_errno < 0)
            snprintf(err, errcap, "cannot change to directory %s: %s", spec->cwd, strerror(-exec_errno));
        else
            snprintf(err, errcap, "cannot execute %s: %s", spec->path, strerror(exec_errno));
        return exec_errno < 0 ? exec_errno : -exec_errno;
    }

    if (spec->no_runtime) return 0;
    /* The program runs; wait for its runtime to reach the handshake, noticing if it dies
     * first (not a .NET program, a startup error, debugging disabled). */
    for (;;) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        ts.tv_nsec += 100 * 1000 * 1000;
        if (ts.tv_nsec >= 1000000000L) { ts.tv_sec++; ts.tv_nsec -= 1000000000L; }
        if (sem_timedwait(out->st, &ts) == 0) break;
        if (errno != ETIMEDOUT && errno != EINTR) {
            snprintf(err, errcap, "waiting for the runtime: %s", strerror(errno));
            clr_launch_abort(out);
            return -EIO;
        }
        struct pollfd pfd = { .fd = out->status_fd, .events = POLLIN };
        int status;
        if (poll(&pfd, 1, 0) == 1 && clr_launch_wait_exit(out, &status) == 0) {
            char what[128];
            describe_status(status, what, sizeof what);
            *exit_status = status;
            snprintf(err, errcap, "the program %s before the .NET runtime started "
                     "(not a .NET program, or the runtime failed to start)", what);
            unlink_sems(out);
            close_sems(out);
            return -ECHILD;
        }
    }
    return 0;
}

/* ---- a terminal host as the keeper (DAP's runInTerminal) ----
 * The spec travels as one message: u32 length, then NUL-terminated strings: path, cwd ("":
 * none), argc, argv..., envc, env.... Then the host sends the pid (int), the exec result
 * (int, 0: it worked) after "g", and the wait status (int) at the end; cordbg sends "g",
 * then "d" (detach) or closes the socket (the program is killed). */

static int write_str(int fd, const char *s) { return os_write_all(fd, s, strlen(s) + 1); }

static int send_spec(int fd, const ClrLaunchSpec *spec)
{
    size_t argc = 0, envc = 0, len = 0;
    while (spec->argv[argc]) len += strlen(spec->argv[argc++]) + 1;
    while (spec->env_set && spec->env_set[envc]) len += strlen(spec->env_set[envc++]) + 1;
    char nums[2][24];
    snprintf(nums[0], sizeof nums[0], "%zu", argc);
    snprintf(nums[1], sizeof nums[1], "%zu", envc);
    const char *cwd = spec->cwd ? spec->cwd : "";
    len += strlen(spec->path) + 1 + strlen(cwd) + 1 + strlen(nums[0]) + 1 + strlen(nums[1]) + 1;
    if (len > (1u << 24)) return -1;
    uint32_t n32 = (uint32_t)len;
    if (os_write_all(fd, &n32, sizeof n32) != 0) return -1;
    if (write_str(fd, spec->path) || write_str(fd, cwd) || write_str(fd, nums[0])) return -1;
    for (size_t i = 0; i < argc; i++) if (write_str(fd, spec->argv[i])) return -1;
    if (write_str(fd, nums[1])) return -1;
    for (size_t i = 0; i < envc; i++) if (write_str(fd, spec->env_set[i])) return -1;
    return 0;
}

static int launch_in_terminal(const ClrLaunchSpec *spec, ClrLaunch *out, int *exit_status, char *err, size_t errcap)
{
    int fd = spec->terminal_fd;
    if (send_spec(fd, spec) != 0) {
        snprintf(err, errcap, "cannot send the program to the terminal: %s", strerror(errno));
        close(fd);
        return -EIO;
    }
    int pid = -1, rc = os_read_full(fd, &pid, sizeof pid);
    if (rc != 0 || pid <= 0) {
        snprintf(err, errcap, "the terminal could not start the program");
        close(fd);
        return -EIO;
    }
    out->pid = pid;
    out->keeper_pid = 0;            /* not cordbg's child: the terminal's */
    out->status_fd = fd;
    out->lifeline_fd = dup(fd);
    return handshake(spec, out, fd, fd, 1, exit_status, err, errcap);
}

/* The terminal side: read the spec, start the program held before exec, and keep it. */
int clr_terminal_host(int fd)
{
    uint32_t len = 0;
    if (os_read_full(fd, &len, sizeof len) != 0 || len == 0 || len > (1u << 24)) return 1;
    char *buf = malloc(len + 1);
    if (!buf || os_read_full(fd, buf, len) != 0) { free(buf); return 1; }
    buf[len] = 0;
    const char *p = buf, *end = buf + len;
    const char *items[3];
    size_t ni = 0;
    /* path, cwd, argc */
    while (ni < 3 && p < end) { items[ni++] = p; p += strlen(p) + 1; }
    if (ni < 3) { free(buf); return 1; }
    size_t argc = strtoul(items[2], NULL, 10);
    if (argc > 100000) { free(buf); return 1; }
    char **argv = calloc(argc + 1, sizeof *argv);
    for (size_t i = 0; argv && i < argc && p < end; i++) { argv[i] = (char *)p; p += strlen(p) + 1; }
    size_t envc = p < end ? strtoul(p, NULL, 10) : 0;
    if (p < end) p += strlen(p) + 1;
    if (envc > 100000) envc = 0;
    char **env_set = calloc(envc + 1, sizeof *env_set);
    for (size_t i = 0; env_set && i < envc && p < end; i++) { env_set[i] = (char *)p; p += strlen(p) + 1; }
    if (!argv || !env_set || !argv[0]) { free(argv); free(env_set); free(buf); return 1; }
    ClrLaunchSpec spec = { .path = items[0], .argv = argv, .cwd = items[1][0] ? items[1] : NULL, .env_set = env_set };
    char **env = build_env(env_set);
    int go[2], fail[2];
    if (!env || pipe2(go, O_CLOEXEC) != 0) return 1;
    if (pipe2(fail, O_CLOEXEC) != 0) return 1;
    pid_t child = fork();
    if (child == 0) {
        close(fd);
        child_exec(&spec, env, go[0], fail[1]);
    }
    close(go[0]);
    close(fail[1]);
    int pid_msg = child;
    if (write(fd, &pid_msg, sizeof pid_msg) != (ssize_t)sizeof pid_msg || child < 0) { if (child > 0) kill(child, SIGKILL); return 1; }
    char c;
    if (os_read_full(fd, &c, 1) != 0 || c != 'g') { kill(child, SIGKILL); return 1; }
    ssize_t w = write(go[1], "g", 1);
    (void)w;
    close(go[1]);
    int e = 0;
    ssize_t r;
    do r = read(fail[0], &e, sizeof e); while (r < 0 && errno == EINTR);
    if (r != (ssize_t)sizeof e) e = 0;
    w = write(fd, &e, sizeof e);
    int status = 0;
    if (e == 0) {
        signal(SIGINT, SIG_IGN);       /* the terminal's Ctrl-C is the program's */
        status = keeper_watch(child, fd);
        if (status != -1) w = write(fd, &status, sizeof status);
    } else {
        while (waitpid(child, &status, 0) < 0 && errno == EINTR) {}
    }
    free(env);
    free(argv);
    free(env_set);
    free(buf);
    if (status == -1) return 0;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

int clr_launch_start(const ClrLaunchSpec *spec, ClrLaunch *out, int *exit_status, char *err, size_t errcap)
{
    memset(out, 0, sizeof *out);
    out->status_fd = -1;
    out->lifeline_fd = -1;
    *exit_status = -1;
    if (spec->in_terminal) return launch_in_terminal(spec, out, exit_status, err, errcap);
    char **env = build_env(spec->env_set);
    if (!env) { snprintf(err, errcap, "out of memory"); return -ENOMEM; }

    /* go: parent -> child "exec now"; fail: child -> parent exec errno (CLOEXEC, so EOF
     * means exec worked); info: keeper -> parent the child's pid, later its wait status. */
    /* life: cordbg holds the write end; EOF at the keeper means cordbg died without
     * detaching, and the keeper then kills the program rather than leave it held. */
    int go[2], fail[2], info[2], life[2];
    if (pipe2(go, O_CLOEXEC) != 0) { free(env); snprintf(err, errcap, "pipe: %s", strerror(errno)); return -errno; }
    if (pipe2(fail, O_CLOEXEC) != 0 || pipe2(info, O_CLOEXEC) != 0 || pipe2(life, O_CLOEXEC) != 0) {
        int e = errno;
        close(go[0]); close(go[1]); free(env);
        snprintf(err, errcap, "pipe: %s", strerror(e));
        return -e;
    }

    /* What the keeper keeps (sorted before fork: qsort is no business of a forked child). */
    int keep[7] = { go[0], fail[1], info[1], life[0] };
    int nkeep = 4;
    if (spec->redirect)
        for (int i = 0; i < 3; i++) keep[nkeep++] = spec->stdio[i];
    qsort(keep, (size_t)nkeep, sizeof keep[0], cmp_fd);
    pid_t keeper = fork();
    if (keeper < 0) {
        int e = errno;
        close(go[0]); close(go[1]); close(fail[0]); close(fail[1]); close(info[0]); close(info[1]);
        close(life[0]); close(life[1]); free(env);
        snprintf(err, errcap, "fork: %s", strerror(e));
        return -e;
    }
    if (keeper == 0) {
        /* Keeper and child: async-signal-safe calls only (the parent has threads). */
        close(go[1]);
        close(fail[0]);
        close(info[0]);
        close(life[1]);
        close_all_but(keep, nkeep);
        pid_t child = fork();
        if (child == 0) {
            close(info[1]);
            close(life[0]);
            child_exec(spec, env, go[0], fail[1]);
        }
        close(go[0]);
        close(fail[1]);
        if (spec->redirect)
            for (int i = 0; i < 3; i++) if (spec->stdio[i] > 2) close(spec->stdio[i]);
        /* The terminal's Ctrl-C is for the debugger and the program, not the keeper. */
        signal(SIGINT, SIG_IGN);
        signal(SIGQUIT, SIG_IGN);
        signal(SIGPIPE, SIG_IGN);
        int pid_msg = child;
        ssize_t w = write(info[1], &pid_msg, sizeof pid_msg);
        (void)w;
        if (child < 0) _exit(1);
        int status = keeper_watch(child, life[0]);
        if (status != -1) w = write(info[1], &status, sizeof status);
        _exit(0);
    }
    free(env);
    close(go[0]);
    close(fail[1]);
    close(info[1]);
    close(life[0]);
    out->keeper_pid = keeper;
    out->status_fd = info[0];
    out->lifeline_fd = life[1];
    int child_pid = -1;
    if (os_read_full(info[0], &child_pid, sizeof child_pid) != 0 || child_pid <= 0) {
        close(go[1]); close(fail[0]); close(info[0]); close(life[1]);
        out->lifeline_fd = -1;
        waitpid(keeper, NULL, 0);
        snprintf(err, errcap, "fork: cannot start the program");
        return -EIO;
    }
    out->pid = child_pid;
    int rc = handshake(spec, out, go[1], fail[0], 0, exit_status, err, errcap);
    close(go[1]);
    close(fail[0]);
    return rc;
}

void clr_launch_release(ClrLaunch *l)
{
    if (l->co && l->co != SEM_FAILED) sem_post(l->co);
    unlink_sems(l);
    close_sems(l);
}

int clr_launch_wait_exit(ClrLaunch *l, int *status)
{
    int rc = -1;
    if (l->status_fd >= 0) {
        rc = os_read_full(l->status_fd, status, sizeof *status);
        close(l->status_fd);
        l->status_fd = -1;
    }
    if (l->keeper_pid > 0) {
        while (waitpid(l->keeper_pid, NULL, 0) < 0 && errno == EINTR) {}
        l->keeper_pid = 0;
    }
    if (l->lifeline_fd >= 0) close(l->lifeline_fd);
    l->lifeline_fd = -1;
    return rc;
}

void clr_launch_forget(ClrLaunch *l)
{
    if (l->lifeline_fd >= 0) {
        ssize_t w = write(l->lifeline_fd, "d", 1);
        (void)w;
        close(l->lifeline_fd);
        l->lifeline_fd = -1;
    }
    if (l->status_fd >= 0) close(l->status_fd);
    l->status_fd = -1;
    /* The keeper outlives cordbg's interest; reap it now if it is already done. */
    if (l->keeper_pid > 0) waitpid(l->keeper_pid, NULL, WNOHANG);
    l->keeper_pid = 0;
}

void clr_launch_abort(ClrLaunch *l)
{
    if (l->pid > 0) kill(l->pid, SIGKILL);
    int status;
    clr_launch_wait_exit(l, &status);
    unlink_sems(l);
    close_sems(l);
}
