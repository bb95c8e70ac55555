/* symprog: the program of tests/e2e/test_native_syms.py (built by that test with gcc -g -O0,
 * linked with one of its libsym.so builds, see symlib.c).
 *   symprog lib     prints "symprog: symlib_entry(5) = 16" (exits 0)
 *   symprog write   say() calls write(2) itself: "symprog: hello" (exits 0)
 *   symprog qsort   sorts 4 ints with qsort and the comparator by_value, so that a stop in
 *                   by_value has the C library's qsort frames between it and main;
 *                   prints "symprog: sorted 1 2 3 4" (exits 0) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int symlib_entry(int n);

static void __attribute__((noinline)) say(const char *text)
{
    ssize_t r = write(1, text, strlen(text)); // @mark:symprog_write
    (void)r;
}

static int by_value(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b; // @mark:symprog_cmp
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 ? argv[1] : "lib";
    if (strcmp(mode, "lib") == 0) {
        int r = symlib_entry(5); // @mark:symprog_call
        printf("symprog: symlib_entry(5) = %d\n", r);
        return 0;
    }
    if (strcmp(mode, "write") == 0) {
        say("symprog: hello\n"); // @mark:symprog_say
        return 0;
    }
    if (strcmp(mode, "qsort") == 0) {
        int v[4] = { 3, 1, 4, 2 };
        qsort(v, 4, sizeof v[0], by_value); // @mark:symprog_qsort
        printf("symprog: sorted %d %d %d %d\n", v[0], v[1], v[2], v[3]);
        return 0;
    }
    fprintf(stderr, "usage: symprog [lib|write|qsort]\n");
    return 2;
}
