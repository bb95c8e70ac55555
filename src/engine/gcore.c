/* generate-core-file: a core dump of the live stopped process (issue 23), one that
 * eng_open_core opens with the same stacks and values.
 *
 * Managed mode: cordbg is not the process's ptrace tracer, so the runtime's own createdump
 * (beside libcoreclr.so, found from /proc/PID/maps) writes a full dump: it attaches with
 * ptrace, writes every readable mapping and the threads' registers, and lets go; the
 * runtime's threads stay parked by the debugger meanwhile. Mixed and native modes: cordbg
 * is the tracer (createdump could not attach), so its own writer does it (nt_write_core).
 * Either way the program goes on afterwards as if nothing happened. */
#include "engine/internal.h"
#include "native/nt.h"
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

/* createdump of the runtime process pid runs: DIR/createdump where DIR holds the
 * libcoreclr.so it mapped. 0, or -1 with why. */
static int find_createdump(int pid, char *out, size_t cap, char *why, size_t wcap)
{
    char maps[64];
    snprintf(maps, sizeof maps, "/proc/%d/maps", pid);
    FILE *f = fopen(maps, "re");
    if (!f) { snprintf(why, wcap, "cannot read %s: %s", maps, strerror(errno)); return -1; }
    char line[4608];
    int found = 0;
    while (!found && fgets(line, sizeof line, f)) {
        line[strcspn(line, "\n")] = 0;
        char *path = strchr(line, '/');
        if (!path) continue;
        size_t n = strlen(path);
        if (n < 14 || strcmp(path + n - 14, "/libcoreclr.so") != 0) continue;
        snprintf(out, cap, "%.*screatedump", (int)(n - 13), path);
        found = 1;
    }
    fclose(f);
    if (!found) {
        snprintf(why, wcap, "process %d maps no libcoreclr.so (a single-file or native AOT app?): no createdump to write its "
                 "dump; debug it with --mixed to have cordbg write the core itself", pid);
        return -1;
    }
    if (access(out, X_OK) != 0) { snprintf(why, wcap, "the runtime's %s: %s", out, strerror(errno)); return -1; }
    return 0;
}

/* The last non-empty line of text (createdump's reason for failing). */
static void last_line(const char *text, char *out, size_t cap)
{
    out[0] = 0;
    const char *p = text;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len) snprintf(out, cap, "%.*s", (int)len, p);
        p += len + (eol != NULL);
    }
}

/* createdump writes the threads in its own order (the main thread first), and a core's
 * readers take the first thread for the one that stopped (the kernel writes the crashing
 * thread first). Put thread tid's notes first: its group (NT_PRSTATUS up to the next one)
 * changes place with the first group when both are the same size (createdump writes every
 * thread alike). 0 moved or nothing to do, -1 when the notes are not as expected. */
static int core_put_first(const char *path, uint32_t tid)
{
    int fd = open(path, O_RDWR | O_CLOEXEC);
    if (fd < 0) return -1;
    int rc = -1;
    unsigned char eh[64];
    uint8_t *notes = NULL;
    if (pread(fd, eh, sizeof eh, 0) != (ssize_t)sizeof eh) goto out;
    uint64_t phoff;
    uint16_t phentsize, phnum;
    memcpy(&phoff, eh + 32, 8);
    memcpy(&phentsize, eh + 54, 2);
    memcpy(&phnum, eh + 56, 2);
    if (phentsize != 56) goto out;
    for (uint16_t i = 0; i < phnum; i++) {
        unsigned char ph[56];
        uint32_t type;
        uint64_t off, filesz;
        if (pread(fd, ph, sizeof ph, (off_t)(phoff + (uint64_t)i * 56)) != (ssize_t)sizeof ph) goto out;
        memcpy(&type, ph, 4);
        memcpy(&off, ph + 8, 8);
        memcpy(&filesz, ph + 32, 8);
        if (type != 4 /* PT_NOTE */) continue;
        if (filesz > (64u << 20) || !(notes = malloc(filesz ? filesz : 1))) goto out;
        if (pread(fd, notes, filesz, (off_t)off) != (ssize_t)filesz) goto out;
        /* the groups: each NT_PRSTATUS and the thread notes after it */
        size_t starts[4096], nst = 0, end = 0, first_of = (size_t)-1;
        size_t o = 0;
        while (o + 12 <= filesz) {
            uint32_t nsz, dsz, nt;
            memcpy(&nsz, notes + o, 4);
            memcpy(&dsz, notes + o + 4, 4);
            memcpy(&nt, notes + o + 8, 4);
            size_t next = o + 12 + ((nsz + 3u) & ~3u) + ((dsz + 3u) & ~3u);
            if (next > filesz || next <= o) goto out;
            size_t desc = o + 12 + ((nsz + 3u) & ~3u);
            if (nt == 1 /* NT_PRSTATUS */) {
                if (nst == sizeof starts / sizeof *starts || dsz < 36) goto out;
                uint32_t pid;
                memcpy(&pid, notes + desc + 32, 4);     /* pr_pid */
                if (pid == tid) first_of = nst;
                starts[nst++] = o;
            } else if (nst && nt != 2 /* NT_FPREGSET */ && nt != 0x202 /* NT_X86_XSTATE */) {
                if (!end) end = o;                      /* a process note after the threads */
            }
            o = next;
        }
        if (!end) end = o;
        if (first_of == (size_t)-1) goto out;
        if (first_of == 0) { rc = 0; goto out; }
        size_t len0 = (nst > 1 ? starts[1] : end) - starts[0];
        size_t lenk = (first_of + 1 < nst ? starts[first_of + 1] : end) - starts[first_of];
        if (len0 != lenk || starts[0] + len0 != starts[1]) goto out;
        uint8_t *tmp = malloc(len0);
        if (!tmp) goto out;
        memcpy(tmp, notes + starts[0], len0);
        memmove(notes + starts[0], notes + starts[first_of], len0);
        memcpy(notes + starts[first_of], tmp, len0);
        free(tmp);
        rc = pwrite(fd, notes, filesz, (off_t)off) == (ssize_t)filesz ? 0 : -1;
        goto out;
    }
out:
    free(notes);
    close(fd);
    return rc;
}

/* Run createdump --full -f path pid; its output is kept for the error. 0, or -1 with why. */
static int run_createdump(const char *tool, const char *path, int pid, uint32_t first_tid, char *why, size_t wcap)
{
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0) { snprintf(why, wcap, "cannot run createdump: %s", strerror(errno)); return -1; }
    char spid[16];
    snprintf(spid, sizeof spid, "%d", pid);
    /* --crashthread: the thread stopped at is written first, and a reader selects it */
    char stid[32];
    snprintf(stid, sizeof stid, "%u", (unsigned)first_tid);
    char *argv[] = { (char *)tool, "--full", "-f", (char *)path, "--crashthread", stid, spid, NULL };
    if (!first_tid) { argv[4] = spid; argv[5] = NULL; }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 2);
    posix_spawnattr_init(&at);
    /* cordbg's threads block SIGINT and the like: createdump must not inherit that. */
    sigset_t none;
    sigemptyset(&none);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETSIGMASK);
    pid_t child;
    int rc = posix_spawn(&child, tool, &fa, &at, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        snprintf(why, wcap, "cannot run %s: %s", tool, strerror(rc));
        return -1;
    }
    /* Its output until it ends; a full dump of a large heap takes a while, but a
     * createdump that hangs (stuck in ptrace) must not hang the debugger forever. */
    char text[8192];
    size_t len = 0;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    int timed_out = 0;
    for (;;) {
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        long left = 600000 - ((now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000);
        if (left <= 0) { timed_out = 1; break; }
        struct pollfd p = { .fd = fds[0], .events = POLLIN };
        int pr = poll(&p, 1, (int)left);
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) { timed_out = pr == 0; break; }
        char buf[1024];
        ssize_t n = read(fds[0], buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        /* keep the tail (buf is smaller than text): the reason is at the end */
        if (len + (size_t)n > sizeof text - 1) {
            size_t drop = len + (size_t)n - (sizeof text - 1);
            memmove(text, text + drop, len - drop);
            len -= drop;
        }
        memcpy(text + len, buf, (size_t)n);
        len += (size_t)n;
    }
    close(fds[0]);
    text[len] = 0;
    if (timed_out) kill(child, SIGKILL);
    int st = 0;
    while (waitpid(child, &st, 0) < 0 && errno == EINTR) {}
    if (timed_out) { snprintf(why, wcap, "createdump did not finish in 10 minutes: stopped"); return -1; }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        char tail[600];
        last_line(text, tail, sizeof tail);
        if (WIFSIGNALED(st)) snprintf(why, wcap, "createdump was killed by signal %d%s%s", WTERMSIG(st), tail[0] ? ": " : "", tail);
        else snprintf(why, wcap, "createdump failed (exit code %d)%s%s", WEXITSTATUS(st), tail[0] ? ": " : "", tail);
        return -1;
    }
    return 0;
}

void gcore_request(EngSession *s, Request *rq)
{
    if (s->core) { eng_fail(rq, "this session is a core dump already: nothing runs to dump"); return; }
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not being run"); return; }
    if (s->state != ENG_STOPPED) { eng_fail(rq, "the program is running: stop it first (Ctrl-C, a breakpoint)"); return; }
    char path[4096];
    const char *want = rq->arg.gen_core.path;
    if (want && *want) snprintf(path, sizeof path, "%s", want);
    else snprintf(path, sizeof path, "core.%d", s->pid);
    if (strchr(path, '%')) {
        /* createdump would read %p, %e... as its patterns */
        eng_fail(rq, "the core's file name cannot hold '%%': %s", path);
        return;
    }
    /* A dump must never replace something that is not a file (a directory, a device). */
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) { eng_fail(rq, "%s exists and is not a regular file", path); return; }
    char why[1024];
    Thread *sel = eng_selected_thread(s);
    uint32_t first_tid = s->nstop.active ? (uint32_t)s->nstop.tid : sel ? sel->tid : 0;
    if (s->nt) {
        /* cordbg is the tracer (mixed, native): nobody else can attach; its own writer. */
        if (nt_write_core_first(s->nt, path, (int)first_tid, why, sizeof why) != 0) {
            eng_fail(rq, "cannot write %s: %s", path, why);
            return;
        }
    } else {
        char tool[4200];
        if (find_createdump(s->pid, tool, sizeof tool, why, sizeof why) != 0) { eng_fail(rq, "%s", why); return; }
        /* A stale file of the same name would pass the check below if createdump wrote nothing. */
        if (unlink(path) != 0 && errno != ENOENT) { eng_fail(rq, "cannot replace %s: %s", path, strerror(errno)); return; }
        if (run_createdump(tool, path, s->pid, first_tid, why, sizeof why) != 0) { eng_fail(rq, "cannot write %s: %s", path, why); return; }
        if (first_tid && core_put_first(path, first_tid) != 0)
            log_msg(LOG_INFO, "gcore", "%s: thread %u could not be put first", path, (unsigned)first_tid);
    }
    /* What is there must be an ELF core. */
    unsigned char h[18] = { 0 };
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    ssize_t n = fd >= 0 ? pread(fd, h, sizeof h, 0) : -1;
    int ok = fd >= 0 && fstat(fd, &st) == 0 && n == (ssize_t)sizeof h && !memcmp(h, "\177ELF", 4) && h[16] == 4 /* ET_CORE */;
    if (fd >= 0) close(fd);
    if (!ok) { eng_fail(rq, "the dump written to %s is not an ELF core", path); return; }
    double mb = (double)st.st_size / (1024.0 * 1024.0);
    snprintf(rq->res->message, sizeof rq->res->message, "Saved corefile %s (%.1f MB)", path, mb);
}
