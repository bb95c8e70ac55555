/* Launching a .NET program stopped before any managed code runs: the runtime-startup
 * handshake that dbgshim's RegisterForRuntimeStartup performs, done by cordbg itself.
 *
 *   parent                               child (its parent is a small keeper process,
 *                                               so that waitpid stays cordbg's alone)
 *   fork keeper ─▶ fork child ────────▶  blocks on a pipe (not yet exec'd)
 *   key = starttime of child; sem_open "co", "st" (O_EXCL)
 *   release child ───────────────────▶  execve(dotnet app.dll ...)
 *   sem_wait "st"   ◀──────────────────  runtime: Debugger::Startup done, posts "st",
 *                                          waits on "co"
 *   (caller: load mscordbi, DebugActiveProcess)
 *   clr_launch_release: post "co" ────▶  runtime goes on; managed code starts
 *
 * Called from one thread (the engine's); holds no global state. */
#ifndef CORDBG_CLR_LAUNCH_H
#define CORDBG_CLR_LAUNCH_H
#include <semaphore.h>

typedef struct ClrLaunch {
    int    pid;
    int    keeper_pid;     /* the child's parent: waits for it and reports its status */
    int    status_fd;      /* the keeper writes the child's wait status here */
    int    lifeline_fd;    /* closing it without detaching first makes the keeper kill the
                            * program: a debugger that dies never leaves it held */
    sem_t *st, *co;
    char   st_name[64], co_name[64];
} ClrLaunch;

typedef struct ClrLaunchSpec {
    const char *path;          /* executable to exec (absolute or found on PATH) */
    char *const *argv;         /* argv[0] included, NULL-terminated */
    const char *cwd;           /* NULL: inherit */
    char *const *env_set;      /* "NAME=VALUE" entries added to / replacing cordbg's environment; may be NULL */
    int ignore_sigint;         /* start the program with SIGINT ignored (the terminal's Ctrl-C is cordbg's) */
    int redirect;              /* the program's stdin, stdout, stderr are stdio[0..2] (else cordbg's) */
    int stdio[3];
    int in_terminal;           /* a terminal host (clr_terminal_host) connected on terminal_fd starts
                                * and keeps the program instead of a keeper forked here;
                                * the launch owns terminal_fd from then on (closes it) */
    int terminal_fd;
    /* Called with the program's pid while it is still held before its exec (a tracer
     * attaches here); nonzero aborts the launch with err. May be NULL. */
    int (*before_exec)(void *ctx, int pid, char *err, size_t cap);
    void *before_exec_ctx;
    int no_runtime;            /* not a .NET program: no handshake, return once it execs */
} ClrLaunchSpec;

/* Start the program and wait until its runtime is parked in the startup handshake.
 * 0 on success (*out filled; call clr_launch_release or clr_launch_abort exactly once).
 * On failure the child is gone and reaped, err holds a one-line reason, and the
 * child's exit status (if it exited) is in *exit_status, else -1. */
int clr_launch_start(const ClrLaunchSpec *spec, ClrLaunch *out, int *exit_status, char *err, size_t errcap);

/* Let the runtime go on (post "co") and remove both semaphores. */
void clr_launch_release(ClrLaunch *l);

/* The child's wait status once it has ended (blocks until it has). 0, or -1 when the
 * keeper could not tell. Closes the keeper's pipe and reaps the keeper. */
int clr_launch_wait_exit(ClrLaunch *l, int *status);

/* Forget the child without waiting (after detach): the keeper goes on waiting alone. */
void clr_launch_forget(ClrLaunch *l);

/* Give up on a started launch: kill and reap the child, remove the semaphores. */
void clr_launch_abort(ClrLaunch *l);

/* The other end of in_terminal, run by `cordbg --terminal-host` in the user's terminal:
 * receive the spec on fd, start the program held before exec, let it go when told, report
 * its pid, exec result and wait status, and kill it if cordbg goes away. Returns the
 * program's exit status (for the host's own). */
int clr_terminal_host(int fd);

/* Look PROG up on PATH (or take it as is when it has a '/'); 0 and the path in out, or -ENOENT. */
int clr_find_on_path(const char *prog, char *out, size_t cap);

#endif
