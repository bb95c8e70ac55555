/* ncrash: a pure C program that dies of SIGSEGV two calls deep from main, with a second
 * thread blocked in a read, for cordbg's post-mortem tests (tests/e2e/test_core_native.py
 * builds it with gcc -g -O0 -pthread). Lines the tests use carry `// @mark:NAME` comments.
 *
 *   ncrash        prints "ncrash: ready", then main -> crash_outer(14) -> crash_inner()
 *                 writes through NULL: SIGSEGV */
#include <pthread.h>
#include <stdio.h>
#include <unistd.h>

static int pipe_fds[2];
static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static int parked;

void *park_here(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&mu);
    parked = 1;
    pthread_cond_signal(&cv);
    pthread_mutex_unlock(&mu);
    char c;
    ssize_t r = read(pipe_fds[0], &c, 1); // @mark:ncrash_park
    (void)r;
    return NULL;
}

int crash_inner(int *where, int value)
{
    int doubled = value * 2;
    *where = doubled; // @mark:ncrash_write
    return doubled;
}

int crash_outer(int value)
{
    int *volatile where = NULL;
    int tripled = value * 3;
    return crash_inner(where, tripled) + 1; // @mark:ncrash_call
}

int main(void)
{
    pthread_t t;
    if (pipe(pipe_fds) != 0 || pthread_create(&t, NULL, park_here, NULL) != 0) return 1;
    pthread_mutex_lock(&mu);
    while (!parked) pthread_cond_wait(&cv, &mu);
    pthread_mutex_unlock(&mu);
    printf("ncrash: ready\n");
    fflush(stdout);
    return crash_outer(14); // @mark:ncrash_main
}
