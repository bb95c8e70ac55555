/* The lifeline of an attached process. See lifeline.h.
 *
 * What the runtime does when its debugger dies (measured on .NET 10, and read in
 * dotnet/runtime src/coreclr/debug/shared/dbgtransportsession.cpp): the left side's
 * transport thread sees its pipe break, re-creates the FIFOs (new inodes) and waits for the
 * same session to come back (SS_Resync). Threads stopped for the debugger stay stopped. A
 * new right side is turned away: its SessionRequest carries a new random session id, and the
 * left side rejects any id but its own -- which it never recorded, so it is all zeros. It does
 * accept SessionResync from whoever connects. So the lifeline connects, resyncs (claiming it
 * saw every message, so nothing is re-sent), and then acts as the dead right side would have
 * at a detach.
 *
 * Wire format (little-endian, as both sides are the same machine):
 *   MessageHeader, 48 bytes:  0 type  4 data size  8 id  12 reply id  16 last seen id
 *                             20 reserved  24 type-specific (16)  40 zero (8)
 *   MT_Event's type-specific: 24 IPC event type (0: old style)  28 debugger event type
 *   DebuggerIPCEvent header, the whole event for the ones sent here, 48 bytes:
 *                             0 next  8 type  12 process id  16 thread id  24 app domain
 *                             32 thread  40 hr  44 reply required  45 async send
 * Message ids 0 pass the left side's replay check, so the lifeline needs no counters. */
#include "clr/lifeline.h"
#include "clr/runtime.h"
#include "base/os.h"
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

#ifndef SYS_close_range
#define SYS_close_range 436
#endif

enum {
    MT_SESSION_RESYNC = 3, MT_SESSION_CLOSE = 4, MT_EVENT = 5,
    DB_IPCE_SYNC_COMPLETE = 0x0102, DB_IPCE_ASYNC_BREAK = 0x0200, DB_IPCE_DETACH_FROM_PROCESS = 0x022f,
    HEADER_SIZE = 48, EVENT_SIZE = 48, MAX_BLOCK = 1 << 20,
};

static void pipe_paths(int target, char *in, char *out, size_t cap);
static ino_t inode_of(const char *path);

int clr_lifeline_start(ClrLifeline *l, int target, char *err, size_t cap)
{
    l->pid = 0;
    l->fd = -1;
    int p[2];
    if (pipe2(p, O_CLOEXEC) != 0) { snprintf(err, cap, "pipe: %s", strerror(errno)); return -errno; }
    if (p[0] == 3) {      /* dup2(3, 3) would leave it close-on-exec */
        int fd = fcntl(p[0], F_DUPFD_CLOEXEC, 10);
        close(p[0]);
        p[0] = fd;
    }
    /* The FIFO of the live connection, known here for sure: the lifeline's own start may
     * come after cordbg's death, when the runtime has made the next one already. */
    char in[1024], out[1024], pidstr[16], inostr[32];
    pipe_paths(target, in, out, sizeof in);
    snprintf(pidstr, sizeof pidstr, "%d", target);
    snprintf(inostr, sizeof inostr, "%lu", (unsigned long)inode_of(in));
    char *argv[] = { "cordbg", "--lifeline", pidstr, inostr, NULL };
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, p[0], 3);
    /* Never the DAP channel or a terminal's input: only stderr, for its one line. */
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
    posix_spawnattr_init(&at);
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
    pid_t pid;
    int rc = posix_spawn(&pid, "/proc/self/exe", &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(p[0]);
    if (rc != 0) {
        close(p[1]);
        snprintf(err, cap, "cannot start the lifeline process: %s", strerror(rc));
        return -rc;
    }
    l->pid = pid;
    l->fd = p[1];
    return 0;
}

void clr_lifeline_end(ClrLifeline *l)
{
    if (l->pid <= 0) return;
    if (l->fd >= 0) {
        ssize_t w = write(l->fd, "d", 1);
        (void)w;
        close(l->fd);
        l->fd = -1;
    }
    if (l->pid > 0) {
        /* It exits at once on 'd'; do not hang a session's end on it if it does not. */
        for (int i = 0; i < 200; i++) {
            pid_t r = waitpid(l->pid, NULL, WNOHANG);
            if (r == l->pid || (r < 0 && errno != EINTR)) break;
            struct timespec ts = { 0, 10 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
        l->pid = 0;
    }
}

/* ---- the lifeline process ---- */

static uint64_t now_ms(void) { return os_monotonic_ns() / 1000000u; }

static void nap(void) { struct timespec ts = { 0, 10 * 1000 * 1000 }; nanosleep(&ts, NULL); }

/* n bytes from a non-blocking fd before deadline (ms); 0 or -1. */
static int read_by(int fd, void *buf, size_t n, uint64_t deadline)
{
    size_t got = 0;
    while (got < n) {
        uint64_t t = now_ms();
        if (t >= deadline) return -1;
        struct pollfd p = { .fd = fd, .events = POLLIN };
        int pr = poll(&p, 1, (int)(deadline - t));
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) return -1;
        ssize_t r = read(fd, (char *)buf + got, n - got);
        if (r > 0) got += (size_t)r;
        else if (r == 0) nap();       /* no writer yet, or it is gone: the deadline decides */
        else if (errno != EAGAIN && errno != EINTR) return -1;
    }
    return 0;
}

static void put32(unsigned char *p, uint32_t v) { memcpy(p, &v, 4); }
static uint32_t get32(const unsigned char *p) { uint32_t v; memcpy(&v, p, 4); return v; }

static int send_header(int fd, uint32_t type, uint32_t size, uint32_t last_seen, uint32_t event)
{
    unsigned char h[HEADER_SIZE] = { 0 };
    put32(h + 0, type);
    put32(h + 4, size);
    put32(h + 16, last_seen);
    if (type == MT_EVENT) put32(h + 28, event);
    return os_write_all(fd, h, sizeof h);
}

static int send_event(int fd, int target, uint32_t event, int reply)
{
    unsigned char e[EVENT_SIZE] = { 0 };
    put32(e + 8, event);
    put32(e + 12, (uint32_t)target);
    e[44] = (unsigned char)reply;
    if (send_header(fd, MT_EVENT, sizeof e, 0, event) != 0) return -1;
    return os_write_all(fd, e, sizeof e);
}

/* Read messages until an event of type want arrives (1), or the deadline (0), or the
 * connection fails (-1). Replies to requests the lifeline never made do not occur. */
static int await_event(int fd, uint32_t want, uint64_t deadline)
{
    for (;;) {
        unsigned char h[HEADER_SIZE];
        if (read_by(fd, h, sizeof h, deadline) != 0) return now_ms() >= deadline ? 0 : -1;
        uint32_t size = get32(h + 4);
        if (size > MAX_BLOCK) return -1;
        unsigned char *block = size ? malloc(size) : NULL;
        if (size && (!block || read_by(fd, block, size, deadline + 2000) != 0)) { free(block); return -1; }
        uint32_t type = get32(h), event = size >= 12 ? get32(block + 8) : 0;
        free(block);
        if (type == MT_EVENT && (event & 0x0FFF) == want) return 1;
    }
}

static int target_alive(int target)
{
    char st[8];
    return os_proc_stat_field(target, 3, st, sizeof st) == 0 && st[0] != 'Z' && st[0] != 'X';
}

static void pipe_paths(int target, char *in, char *out, size_t cap)
{
    unsigned long long key = 0;
    clr_process_start_key(target, &key);
    snprintf(in, cap, "%s/clr-debug-pipe-%d-%llu-in", os_tmpdir(), target, key);
    snprintf(out, cap, "%s/clr-debug-pipe-%d-%llu-out", os_tmpdir(), target, key);
}

static ino_t inode_of(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISFIFO(st.st_mode) ? st.st_ino : 0;
}

/* cordbg is gone: end its session on the runtime's side. 0 when the program runs on. */
static int rescue(int target, ino_t dead_in)
{
    char in[1024], out[1024];
    pipe_paths(target, in, out, sizeof in);
    /* The left side drops the dead connection and makes new FIFOs; connecting before that
     * would write into the dead session's stream. */
    uint64_t deadline = now_ms() + 10000;
    ino_t ino;
    while ((ino = inode_of(in)) == 0 || ino == dead_in) {
        if (!target_alive(target) || now_ms() >= deadline) {
            log_msg(LOG_INFO, "lifeline", "%s was not made anew (inode %lu)", in, (unsigned long)dead_in);
            return -1;
        }
        nap();
    }
    int wfd = -1;
    while ((wfd = open(in, O_WRONLY | O_NONBLOCK | O_CLOEXEC)) < 0) {
        if (errno != ENXIO || !target_alive(target) || now_ms() >= deadline) {
            log_msg(LOG_INFO, "lifeline", "cannot open %s: %s", in, strerror(errno));
            return -1;
        }
        nap();      /* ENXIO: the left side is not reading yet */
    }
    int rfd = open(out, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (rfd < 0) { close(wfd); return -1; }
    int fl = fcntl(wfd, F_GETFL);
    if (fl >= 0) fcntl(wfd, F_SETFL, fl & ~O_NONBLOCK);
    int rc = -1;
    unsigned char h[HEADER_SIZE];
    /* A left side that waits for its session to come back speaks first (SessionResync); one
     * that waits for a new session says nothing: then there is nothing to rescue. */
    if (read_by(rfd, h, sizeof h, now_ms() + 3000) != 0 || get32(h) != MT_SESSION_RESYNC) {
        log_msg(LOG_INFO, "lifeline", "the runtime does not wait for its old session");
        goto done;
    }
    /* "Seen everything": the left side re-sends nothing of the dead session. */
    if (send_header(wfd, MT_SESSION_RESYNC, 0, 0xFFFFFFFFu, 0) != 0) goto done;
    /* Detach wants the runtime stopped; a runtime already stopped ignores this. */
    if (send_event(wfd, target, DB_IPCE_ASYNC_BREAK, 0) != 0) goto done;
    if (await_event(rfd, DB_IPCE_SYNC_COMPLETE, now_ms() + 1500) < 0) goto done;
    /* The runtime's own detach: it removes every patch and control and resumes the threads. */
    if (send_event(wfd, target, DB_IPCE_DETACH_FROM_PROCESS, 1) != 0) goto done;
    if (await_event(rfd, DB_IPCE_DETACH_FROM_PROCESS, now_ms() + 10000) != 1) {
        log_msg(LOG_INFO, "lifeline", "no answer to the detach");
        goto done;
    }
    /* Back to waiting for a new debugger. */
    send_header(wfd, MT_SESSION_CLOSE, 0, 0, 0);
    rc = 0;
done:
    close(wfd);
    close(rfd);
    return rc;
}

int clr_lifeline_main(int target, unsigned long dead_in)
{
    /* Nothing of cordbg's but the pipe: a copy of its transport descriptors here would keep
     * the dead session's connection open. */
    if (syscall(SYS_close_range, 4, ~0u, 0) != 0)
        for (int fd = 4; fd < 65536; fd++) close(fd);
    setsid();        /* the terminal's signals are cordbg's, not the lifeline's */
    signal(SIGINT, SIG_IGN);
    signal(SIGQUIT, SIG_IGN);
    signal(SIGHUP, SIG_IGN);
    signal(SIGPIPE, SIG_IGN);
    char c = 0;
    ssize_t r;
    do r = read(3, &c, 1); while (r < 0 && errno == EINTR);
    if (r == 1 && c == 'd') return 0;
    if (!target_alive(target)) return 0;
    if (rescue(target, (ino_t)dead_in) == 0) {
        fprintf(stderr, "cordbg: the debugger of process %d ended without detaching; "
                "its lifeline detached it, and it runs on\n", target);
        return 0;
    }
    if (target_alive(target))
        fprintf(stderr, "cordbg: the debugger of process %d ended without detaching, and its "
                "lifeline could not detach it: it may stay suspended\n", target);
    return 1;
}
