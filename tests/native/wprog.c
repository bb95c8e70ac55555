/* wprog: a pure C debuggee for cordbg's hardware watchpoint tests (watch, rwatch, awatch).
 * Built by tests/run.py with gcc -g -O0 -pthread into tests/out/native/wprog. Lines the
 * tests use carry `// @mark:NAME` comments: cdb.find_mark("native", NAME, file="wprog.c").
 *
 *   wprog [basic]   counter goes 0 -> 1 -> 2 -> 3 (bump), reader_value is read twice
 *                   (read_it), a local acc goes 0 -> 0 -> 10 -> 30 (local_work), small,
 *                   letter and ratio are written once each; prints
 *                   "wprog: counter = 3, acc = 30, read = 14, small = 5, letter = B, ratio = 2.5"; exits 0
 *   wprog thread    a second thread sets shared_value to 42 (thread_body); prints
 *                   "wprog: shared = 42"; exits 0 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

int counter;
int reader_value = 7;
static short small;
char letter = 'A';
double ratio = 1.0;
long spare[4];
int shared_value;

void bump(void)
{
    counter++; // @mark:bump_body
}

int read_it(void)
{
    int v = reader_value; // @mark:read_body
    return v;
}

int local_work(void)
{
    int acc = 0; // @mark:local_init
    for (int i = 0; i < 3; i++) {
        acc += i * 10; // @mark:local_add
    }
    return acc; // @mark:local_return
}

static void *thread_body(void *arg)
{
    (void)arg;
    shared_value = 42; // @mark:thread_write
    return NULL;
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "basic";
    if (strcmp(mode, "basic") == 0) {
        bump(); // @mark:main_first_bump
        bump();
        bump();
        int r = read_it() + read_it(); // @mark:main_read
        int acc = local_work();
        small = 5; // @mark:main_small
        letter = 'B'; // @mark:main_letter
        ratio = 2.5; // @mark:main_ratio
        spare[1] = 1;
        printf("wprog: counter = %d, acc = %d, read = %d, small = %d, letter = %c, ratio = %g\n", counter, acc, r,
               small, letter, ratio); // @mark:main_print
        return 0;
    }
    if (strcmp(mode, "thread") == 0) {
        pthread_t t;
        if (pthread_create(&t, NULL, thread_body, NULL) != 0) return 1; // @mark:main_create
        pthread_join(t, NULL);
        printf("wprog: shared = %d\n", shared_value); // @mark:main_shared
        return 0;
    }
    fprintf(stderr, "usage: wprog [basic|thread]\n");
    return 2;
}
