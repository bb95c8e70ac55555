/* The pidfd watcher. See watch.h. */
#include "clr/watch.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef SYS_pidfd_open
#define SYS_pidfd_open 434
#endif

struct ClrWatch {
    pthread_t    thread;
    int          pidfd;
    int          cancel[2];    /* a byte on cancel[1] ends the thread */
    ClrEventSink sink;
    void        *ctx;
    unsigned     generation;
};

static void *watch_main(void *arg)
{
    ClrWatch *w = arg;
    struct pollfd fds[2] = { { .fd = w->pidfd, .events = POLLIN }, { .fd = w->cancel[0], .events = POLLIN } };
    for (;;) {
        int n = poll(fds, 2, -1);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0 || fds[1].revents) return NULL;
        if (fds[0].revents) break;
    }
    ClrEvent *ev = clr_event_new(CE_PROCESS_GONE);
    if (ev) {
        ev->generation = w->generation;
        clr_event_deliver(w->sink, w->ctx, ev);
    }
    return NULL;
}

ClrWatch *clr_watch_start(int pid, ClrEventSink sink, void *ctx, unsigned generation)
{
    int fd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (fd < 0) return NULL;
    ClrWatch *w = calloc(1, sizeof *w);
    if (!w) { close(fd); return NULL; }
    w->pidfd = fd;
    w->sink = sink;
    w->ctx = ctx;
    w->generation = generation;
    if (pipe2(w->cancel, O_CLOEXEC) != 0) { close(fd); free(w); return NULL; }
    if (pthread_create(&w->thread, NULL, watch_main, w) != 0) {
        close(fd); close(w->cancel[0]); close(w->cancel[1]); free(w);
        return NULL;
    }
    return w;
}

void clr_watch_stop(ClrWatch *w)
{
    if (!w) return;
    ssize_t r = write(w->cancel[1], "x", 1);
    (void)r;
    pthread_join(w->thread, NULL);
    close(w->pidfd);
    close(w->cancel[0]);
    close(w->cancel[1]);
    free(w);
}

char clr_proc_state(int pid, int *exit_status)
{
    char path[64], buf[4096];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return '?';
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return '?';
    buf[n] = 0;
    char *p = strrchr(buf, ')');
    if (!p || !p[1] || !p[2]) return '?';
    char state = p[2];
    /* Fields after ')' start at 3 (state); exit_code is field 52. */
    p += 2;
    for (int field = 3; field < 52 && p; field++) {
        p = strchr(p, ' ');
        if (p) p++;
    }
    if (p && exit_status) *exit_status = atoi(p);
    return state;
}
