/* libnative.so: native code called by tests/programs/Interop through P/Invoke, for
 * cordbg's native and mixed-mode end-to-end tests. Built by tests/run.py with
 * gcc -g -O0 -fPIC -shared -pthread into tests/out/native/ (and copied next to
 * Interop.dll). Every line a test may need carries a `// @mark:NAME` comment (names are
 * unique across the .c files of tests/native); find them with cdb.find_mark("native", NAME,
 * file="native.c").
 *
 * Results: native_add(a, b) = a + b; compute(n) = 1^2 + ... + n^2 (compute(5) = 55);
 * call_back(cb, x) = cb(x) + 1; native_nested(d) = d; thread_churn(n) = n;
 * native_crash(1) dies of SIGSEGV, native_crash(2) of SIGABRT. */
#include <pthread.h>
#include <stddef.h>
#include <stdlib.h>

typedef int (*callback_fn)(int);

int native_add(int a, int b)
{ // @mark:add_open
    int sum = a + b; // @mark:add_sum
    return sum; // @mark:add_return
}

static int square(int v)
{ // @mark:square_open
    int sq = v * v; // @mark:square_body
    return sq; // @mark:square_return
}

int compute(int n)
{ // @mark:compute_open
    int total = 0; // @mark:compute_init
    for (int i = 1; i <= n; i++) { // @mark:compute_loop
        int sq = square(i); // @mark:compute_square
        total = native_add(total, sq); // @mark:compute_add
    }
    return total; // @mark:compute_return
}

int call_back(callback_fn cb, int x)
{ // @mark:callback_open
    int r = cb(x); // @mark:callback_call
    r = r + 1; // @mark:callback_after
    return r; // @mark:callback_return
}

void native_crash(int kind)
{ // @mark:crash_open
    int *volatile p = NULL; // @mark:crash_null
    if (kind == 1) {
        *p = kind; // @mark:crash_segv
    } else if (kind == 2) {
        abort(); // @mark:crash_abort
    }
}

static void *churn_thread(void *arg)
{
    int *slot = arg; // @mark:churn_thread_body
    *slot = *slot + 1;
    return NULL;
}

int thread_churn(int n)
{ // @mark:churn_open
    int done = 0;
    for (int i = 0; i < n; i++) {
        pthread_t t;
        int slot = i;
        if (pthread_create(&t, NULL, churn_thread, &slot) != 0) // @mark:churn_create
            abort();
        pthread_join(t, NULL); // @mark:churn_join
        if (slot == i + 1)
            done++;
    }
    return done; // @mark:churn_return
}

int native_nested(int depth)
{ // @mark:nested_open
    if (depth <= 1)
        return 1; // @mark:nested_bottom
    int below = native_nested(depth - 1); // @mark:nested_call
    return below + 1; // @mark:nested_return
}
