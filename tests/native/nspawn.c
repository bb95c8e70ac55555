/* nspawn: a C debuggee for `cordbg --native` on programs that start other programs and on
 * programs that block SIGTRAP (issue 19, item 5). Built by tests/run.py with gcc -g -O0 into
 * tests/out/native/nspawn. Lines the tests use carry `// @mark:NAME` comments.
 *
 *   nspawn fork-exec    fork; the child execs /bin/sh -c 'echo nspawn: child says hi; exit 7';
 *                       the parent waits, prints "nspawn: child exited 7", then calls
 *                       twice(20) and prints "nspawn: twice(20) = 40"; exits 0
 *   nspawn vfork-exec   the same with vfork (memory shared until the exec)
 *   nspawn sigtrap      blocks SIGTRAP (sigprocmask) and ignores it (SIG_IGN), raises it
 *                       (it stays pending), then calls twice(20) and prints
 *                       "nspawn: twice(20) = 40"; exits 0
 *   nspawn raise        raise(SIGTRAP) with no handler (alone: it dies of SIGTRAP; under
 *                       a debugger that does not pass it on, as gdb: goes on), then prints
 *                       "nspawn: after the trap" and exits 0
 * An unknown mode prints a usage line to stderr and exits 2. */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

int twice(int x)
{
    int r = x * 2; // @mark:twice_body
    return r;
}

static int spawn(int use_vfork)
{
    fflush(stdout);
    pid_t pid = use_vfork ? vfork() : fork();
    if (pid < 0) { perror("fork"); return 1; }
    if (pid == 0) {
        execl("/bin/sh", "sh", "-c", "echo nspawn: child says hi; exit 7", (char *)NULL);
        _exit(127);
    }
    int st = 0;
    while (waitpid(pid, &st, 0) < 0) {}
    printf("nspawn: child exited %d\n", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    printf("nspawn: twice(20) = %d\n", twice(20)); // @mark:after_child
    return 0;
}

static int sigtrap_blocked(void)
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTRAP);
    sigprocmask(SIG_BLOCK, &set, NULL);
    signal(SIGTRAP, SIG_IGN);
    raise(SIGTRAP);
    printf("nspawn: twice(20) = %d\n", twice(20)); // @mark:after_block
    return 0;
}

static int raise_trap(void)
{
    raise(SIGTRAP); // @mark:raise_trap
    printf("nspawn: after the trap\n");
    return 0;
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IOLBF, 0);
    const char *mode = argc > 1 ? argv[1] : "";
    if (!strcmp(mode, "fork-exec")) return spawn(0);
    if (!strcmp(mode, "vfork-exec")) return spawn(1);
    if (!strcmp(mode, "sigtrap")) return sigtrap_blocked();
    if (!strcmp(mode, "raise")) return raise_trap();
    fprintf(stderr, "usage: nspawn fork-exec|vfork-exec|sigtrap|raise\n");
    return 2;
}
