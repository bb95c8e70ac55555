/* libsym.so: a library whose symbols and lines live elsewhere than in its own .symtab, for
 * tests/e2e/test_native_syms.py, which builds it (with symprog.c) into test-private
 * directories, one per way of shipping symbols:
 *   stripped       strip --strip-all: exported functions in .dynsym only
 *   build-id       -g, debug file split off (objcopy --only-keep-debug), found as
 *                  DIR/.build-id/xx/rest.debug under `set debug-file-directory DIR`
 *   debuglink      -g, no build-id, .gnu_debuglink to libsym.so.debug, found as
 *                  DIR/<the library's directory>/libsym.so.debug
 *   minidebuginfo  strip --strip-all, then .gnu_debugdata: an xz-compressed ELF whose
 *                  .symtab names the static function (as Fedora ships its libraries)
 * symlib_entry(n) (exported) = symlib_inner(n) + 1; symlib_inner (static, so in no .dynsym)
 * = 0 + 1 + ... + n. */

static int __attribute__((noinline)) symlib_inner(int n)
{
    int total = 0; // @mark:symlib_inner_init
    for (int i = 0; i <= n; i++)
        total += i; // @mark:symlib_inner_loop
    return total;
}

int symlib_entry(int n)
{
    int r = symlib_inner(n); // @mark:symlib_entry_call
    return r + 1;
}
