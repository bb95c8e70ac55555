/* libplain.so and libstripped.so: native code without debug information, for cordbg's
 * native and mixed-mode end-to-end tests (called by tests/programs/Interop). Built by
 * tests/run.py into tests/out/native/:
 *   libplain.so     gcc -O0 -fPIC -shared (no -g: ELF symbols only)
 *   libstripped.so  gcc -O0 -fPIC -shared -Wl,-Bsymbolic, then strip --strip-all
 *                   (dynamic symbols only)
 * plain_work(n) = 0 + 1 + ... + (n - 1) (plain_work(10) = 45); plain_crash() dies of
 * SIGSEGV. The marks below are for reading only (there is no line table). */
#include <stddef.h>

int plain_work(int n)
{
    int total = 0; // @mark:plain_init
    for (int i = 0; i < n; i++)
        total += i; // @mark:plain_loop
    return total;
}

void plain_crash(void)
{
    int *volatile p = NULL;
    *p = 1; // @mark:plain_crash
}
