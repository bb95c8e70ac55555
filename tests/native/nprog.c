/* nprog: a pure C debuggee for cordbg's native-only end-to-end tests. Built by
 * tests/run.py with gcc -g -O0 -pthread -rdynamic ... -ldl into tests/out/native/nprog.
 * Lines the tests use carry `// @mark:NAME` comments (unique across the .c files of
 * tests/native): cdb.find_mark("native", NAME, file="nprog.c").
 *
 *   nprog [basic]        work(3) calls helper(); prints "nprog: work(3) = 19"; exits 3
 *   nprog dlopen [LIB]   dlopen(LIB, RTLD_NOW) (default: libnative.so next to nprog),
 *                        calls its compute(4); prints "nprog: compute(4) = 30"; exits 0
 *   nprog threads        creates and joins 200 threads one after another;
 *                        prints "nprog: threads done"; exits 0
 *   nprog segv           NULL write in crash_here(): dies of SIGSEGV
 *   nprog abort          abort() in abort_here(): dies of SIGABRT
 *   nprog signal         raise(SIGUSR1) with a handler installed;
 *                        prints "nprog: handled SIGUSR1"; exits 0
 *   nprog fork           the child prints "nprog: child" and exits 5; the parent waits
 *                        for it, prints "nprog: child exited 5"; exits 0
 *   nprog exec           prints "nprog: exec", then execs /proc/self/exe basic
 *                        (so: basic's output, exit code 3)
 *   nprog loop           prints "nprog: looping", then calls spin(i) forever (sleeping
 *                        1 ms between calls); for attach/pause/detach tests
 * An unknown mode prints a usage line to stderr and exits 2. */
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

struct point {
    int x;
    int y;
};

int helper(int x)
{ // @mark:helper_open
    int doubled = x * 2; // @mark:helper_double
    int result = doubled + 1; // @mark:helper_result
    return result; // @mark:helper_return
}

int work(int n)
{ // @mark:work_open
    struct point pt; // @mark:work_decl
    pt.x = n; // @mark:work_pt_x
    pt.y = n * 2; // @mark:work_pt_y
    double ratio = n / 2.0; // @mark:work_ratio
    int total = 0; // @mark:work_total
    for (int i = 0; i < n; i++) {
        total += helper(i); // @mark:work_call
    }
    total += pt.x + pt.y; // @mark:work_sum
    if (ratio > 1.0)
        total += 1; // @mark:work_ratio_add
    return total; // @mark:work_return
}

static int mode_basic(void)
{
    int r = work(3); // @mark:main_work
    printf("nprog: work(3) = %d\n", r); // @mark:main_print
    return 3;
}

static int mode_dlopen(const char *argv0, const char *lib)
{
    char path[4096];
    if (!lib) {
        /* default: libnative.so in nprog's own directory */
        ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
        if (n < 0) {
            perror("nprog: readlink /proc/self/exe");
            return 1;
        }
        path[n] = 0;
        char *slash = strrchr(path, '/');
        snprintf(slash ? slash + 1 : path, sizeof path - (slash ? (size_t)(slash + 1 - path) : 0),
                 "libnative.so");
        lib = path;
    }
    (void)argv0;
    void *h = dlopen(lib, RTLD_NOW); // @mark:dlopen_call
    if (!h) {
        fprintf(stderr, "nprog: dlopen %s: %s\n", lib, dlerror());
        return 1;
    }
    int (*compute)(int) = (int (*)(int))dlsym(h, "compute"); // @mark:dlopen_sym
    if (!compute) {
        fprintf(stderr, "nprog: dlsym compute: %s\n", dlerror());
        return 1;
    }
    int r = compute(4); // @mark:dlopen_compute
    printf("nprog: compute(4) = %d\n", r);
    return 0;
}

static void *thread_body(void *arg)
{
    int *slot = arg; // @mark:thread_body
    *slot = *slot * 2;
    return NULL;
}

static int mode_threads(void)
{
    for (int i = 0; i < 200; i++) {
        pthread_t t;
        int slot = i;
        if (pthread_create(&t, NULL, thread_body, &slot) != 0) { // @mark:threads_create
            perror("nprog: pthread_create");
            return 1;
        }
        pthread_join(t, NULL); // @mark:threads_join
    }
    printf("nprog: threads done\n");
    return 0;
}

void crash_here(void)
{ // @mark:segv_open
    int *volatile p = NULL;
    *p = 42; // @mark:segv_write
}

void abort_here(void)
{ // @mark:abort_open
    abort(); // @mark:abort_call
}

static volatile sig_atomic_t handled;

static void on_usr1(int sig)
{ // @mark:handler_open
    handled = sig; // @mark:handler_body
}

static int mode_signal(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_usr1;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGUSR1, &sa, NULL); // @mark:signal_install
    raise(SIGUSR1); // @mark:signal_raise
    if (handled != SIGUSR1) {
        fprintf(stderr, "nprog: SIGUSR1 not handled\n");
        return 1;
    }
    printf("nprog: handled SIGUSR1\n"); // @mark:signal_done
    return 0;
}

static int mode_fork(void)
{
    fflush(stdout);
    pid_t pid = fork(); // @mark:fork_call
    if (pid < 0) {
        perror("nprog: fork");
        return 1;
    }
    if (pid == 0) {
        printf("nprog: child\n"); // @mark:fork_child
        fflush(stdout);
        _exit(5);
    }
    int status = 0;
    if (waitpid(pid, &status, 0) != pid) { // @mark:fork_wait
        perror("nprog: waitpid");
        return 1;
    }
    if (WIFEXITED(status))
        printf("nprog: child exited %d\n", WEXITSTATUS(status)); // @mark:fork_parent
    else
        printf("nprog: child died of signal %d\n", WIFSIGNALED(status) ? WTERMSIG(status) : -1);
    return 0;
}

static int mode_exec(const char *argv0)
{
    printf("nprog: exec\n");
    fflush(stdout);
    char *args[] = {(char *)argv0, "basic", NULL};
    execv("/proc/self/exe", args); // @mark:exec_call
    perror("nprog: execv /proc/self/exe");
    return 1;
}

static volatile long spun;

void spin(int i)
{ // @mark:spin_open
    spun += i % 7; // @mark:spin_body
}

static int mode_loop(void)
{
    printf("nprog: looping\n");
    fflush(stdout);
    for (int i = 0;; i++) {
        spin(i); // @mark:loop_call
        usleep(1000);
    }
    return 0;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "basic";
    if (!strcmp(mode, "basic"))
        return mode_basic();
    if (!strcmp(mode, "dlopen"))
        return mode_dlopen(argv[0], argc > 2 ? argv[2] : NULL);
    if (!strcmp(mode, "threads"))
        return mode_threads();
    if (!strcmp(mode, "segv")) {
        crash_here(); // @mark:main_segv
        return 1;
    }
    if (!strcmp(mode, "abort")) {
        abort_here(); // @mark:main_abort
        return 1;
    }
    if (!strcmp(mode, "signal"))
        return mode_signal();
    if (!strcmp(mode, "fork"))
        return mode_fork();
    if (!strcmp(mode, "exec"))
        return mode_exec(argv[0]);
    if (!strcmp(mode, "loop"))
        return mode_loop();
    fprintf(stderr, "usage: nprog [basic|dlopen [LIB]|threads|segv|abort|signal|fork|exec|loop]\n");
    return 2;
}
