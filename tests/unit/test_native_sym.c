// test_native_sym.c — native symbols (src/native/sym.c) on this very process: the fixture
// library libnsfix.so (tests/unit/fixtures/nsfix.c, -g -O0) and its stripped copy without
// DWARF are dlopen()ed, then looked at through ns_* with memory read from /proc/self/mem
// (no ptrace): modules, symbols by address and by name, file:line to addresses and back,
// line and function ranges, entry points, and an unwind through the fixture's recursion.
// Lines are found by the fixture's "@mark:NAME" comments, never hard-coded.
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <ucontext.h>
#include <unistd.h>

#include "native/sym.h"
#include "unit.h"

#define FIXTURE_SRC "tests/unit/fixtures/nsfix.c"

typedef int (*nsfix_cb)(void *arg);
typedef int (*add_fn)(int, int);
typedef int (*entry_fn)(int, nsfix_cb, void *);

// What a test has open: both fixture libraries, /proc/self/mem and a refreshed NsSpace.
typedef struct Fix {
    void    *dw, *nodw;         // dlopen handles
    int      mem_fd;
    NsSpace *sp;
    uint64_t add, add_nodw, entry;   // nsfix_add in each library, nsfix_entry (DWARF one)
} Fix;

static int read_self(void *ctx, uint64_t addr, void *buf, size_t len) {
    int fd = *(int *)ctx;
    if (addr > (uint64_t)INT64_MAX - len) return -1;
    return pread(fd, buf, len, (off_t)addr) == (ssize_t)len ? 0 : -1;
}

// build*/tests/fixtures/NAME, next to this binary (build/ or build-san/).
static void fixture_path(const char *name, char *out, size_t cap) {
    char exe[4096];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    exe[n > 0 ? n : 0] = '\0';
    snprintf(out, cap, "%s/fixtures/%s", dirname(exe), name);
}

static void fix_close(Fix *f) {
    ns_free(f->sp);
    if (f->dw) dlclose(f->dw);
    if (f->nodw) dlclose(f->nodw);
    if (f->mem_fd >= 0) close(f->mem_fd);
    memset(f, 0, sizeof *f);
    f->mem_fd = -1;
}

static int fix_open(Fix *f) {
    memset(f, 0, sizeof *f);
    f->mem_fd = -1;
    char path[4200];
    fixture_path("libnsfix.so", path, sizeof path);
    f->dw = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!f->dw) fprintf(stderr, "dlopen: %s\n", dlerror());
    fixture_path("libnsfix_nodw.so", path, sizeof path);
    f->nodw = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!f->nodw) fprintf(stderr, "dlopen: %s\n", dlerror());
    f->mem_fd = open("/proc/self/mem", O_RDONLY | O_CLOEXEC);
    f->sp = ns_new(getpid(), read_self, &f->mem_fd);
    CHECK(f->dw && f->nodw && f->mem_fd >= 0 && f->sp);
    if (!f->dw || !f->nodw || f->mem_fd < 0 || !f->sp) {
        fix_close(f);
        return 0;
    }
    f->add = (uint64_t)(uintptr_t)dlsym(f->dw, "nsfix_add");
    f->add_nodw = (uint64_t)(uintptr_t)dlsym(f->nodw, "nsfix_add");
    f->entry = (uint64_t)(uintptr_t)dlsym(f->dw, "nsfix_entry");
    CHECK_EQ_INT(ns_refresh(f->sp), 0);
    return f->add && f->add_nodw && f->entry;
}

// The line of the fixture that carries "@mark:NAME" (0 if none).
static uint32_t mark(const char *name) {
    FILE *fp = fopen(FIXTURE_SRC, "r");
    if (!fp) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n", FIXTURE_SRC);
        return 0;
    }
    char want[128], line[512];
    snprintf(want, sizeof want, "@mark:%s", name);
    size_t wl = strlen(want);
    uint32_t n = 0, found = 0;
    while (!found && fgets(line, sizeof line, fp)) {
        n++;
        const char *p = strstr(line, want);
        if (p && (p[wl] == '\0' || p[wl] == '\n' || p[wl] == ' ')) found = n;
    }
    fclose(fp);
    CHECK(found != 0);
    return found;
}

static int ends_with(const char *s, const char *suffix) {
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && strcmp(s + a - b, suffix) == 0;
}

static const NsModuleInfo *find_module(const NsModuleInfo *mods, size_t n, const char *name) {
    for (size_t i = 0; i < n; i++)
        if (strcmp(mods[i].name, name) == 0) return &mods[i];
    return NULL;
}

// The one after-prologue address of nsfix_add in the DWARF library (0 if not exactly one).
static uint64_t add_body_addr(Fix *f) {
    uint64_t a[4] = {0};
    int n = ns_function_addrs(f->sp, "libnsfix.so", "nsfix_add", a, 4);
    CHECK_EQ_INT(n, 1);
    return n == 1 ? a[0] : 0;
}

// ---- modules ------------------------------------------------------------------------------

TEST(modules_listed_with_what_they_have) {
    Fix f;
    if (!fix_open(&f)) return;
    CHECK_EQ_INT(ns_refresh(f.sp), 0);   // nothing changed: cheap, same answer
    NsModuleInfo *mods = NULL;
    size_t n = 0;
    CHECK_EQ_INT(ns_modules(f.sp, &mods, &n), 0);
    CHECK(n >= 4);
    for (size_t i = 1; i < n; i++) CHECK(mods[i - 1].start < mods[i].start);
    for (size_t i = 0; i < n; i++) {
        CHECK(mods[i].id > 0 && mods[i].start < mods[i].end);
        for (size_t j = 0; j < i; j++) CHECK(mods[i].id != mods[j].id);
    }
    const NsModuleInfo *dw = find_module(mods, n, "libnsfix.so");
    const NsModuleInfo *nodw = find_module(mods, n, "libnsfix_nodw.so");
    const NsModuleInfo *self = find_module(mods, n, "test_native_sym");
    CHECK(dw && nodw && self);
    if (dw && nodw && self) {
        CHECK(dw->has_dwarf && dw->has_symtab);
        CHECK(!nodw->has_dwarf && nodw->has_symtab);   // .dynsym only
        CHECK(self->has_symtab);
        CHECK(f.add >= dw->start && f.add < dw->end);
        CHECK(ends_with(dw->path, "/fixtures/libnsfix.so"));
        Dl_info di;
        CHECK(dladdr((void *)(uintptr_t)f.add, &di) != 0);
        CHECK_EQ_INT(dw->bias, (uint64_t)(uintptr_t)di.dli_fbase);
        NsModuleInfo at;
        CHECK_EQ_INT(ns_module_at(f.sp, f.add, &at), 1);
        CHECK_EQ_INT(at.id, dw->id);
        CHECK_EQ_STR(at.name, "libnsfix.so");
        CHECK_EQ_INT(ns_module_at(f.sp, f.add_nodw, &at), 1);
        CHECK_EQ_INT(at.id, nodw->id);
    }
    NsModuleInfo at;
    CHECK_EQ_INT(ns_module_at(f.sp, 0x10, &at), 0);
    free(mods);
    fix_close(&f);
}

TEST(module_ids_stable_while_mapped) {
    Fix f;
    if (!fix_open(&f)) return;
    NsModuleInfo dw, nodw, again;
    CHECK_EQ_INT(ns_module_at(f.sp, f.add, &dw), 1);
    CHECK_EQ_INT(ns_module_at(f.sp, f.add_nodw, &nodw), 1);
    // a new mapping elsewhere (a loaded library changes the maps): ids survive
    void *extra = dlopen("libm.so.6", RTLD_NOW | RTLD_LOCAL);
    CHECK_EQ_INT(ns_refresh(f.sp), 0);
    CHECK_EQ_INT(ns_module_at(f.sp, f.add, &again), 1);
    CHECK_EQ_INT(again.id, dw.id);
    // unloading the stripped library drops it; the other keeps its id
    dlclose(f.nodw);
    f.nodw = NULL;
    CHECK_EQ_INT(ns_refresh(f.sp), 0);
    CHECK_EQ_INT(ns_module_at(f.sp, f.add, &again), 1);
    CHECK_EQ_INT(again.id, dw.id);
    NsModuleInfo *mods = NULL;
    size_t n = 0;
    CHECK_EQ_INT(ns_modules(f.sp, &mods, &n), 0);
    CHECK(find_module(mods, n, "libnsfix_nodw.so") == NULL);
    free(mods);
    // loaded again it is a new module: a new id
    char path[4200];
    fixture_path("libnsfix_nodw.so", path, sizeof path);
    f.nodw = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    CHECK(f.nodw != NULL);
    CHECK_EQ_INT(ns_refresh(f.sp), 0);
    uint64_t add2 = (uint64_t)(uintptr_t)(f.nodw ? dlsym(f.nodw, "nsfix_add") : NULL);
    CHECK_EQ_INT(ns_module_at(f.sp, add2, &again), 1);
    CHECK(again.id != nodw.id && again.id != dw.id);
    if (extra) dlclose(extra);
    fix_close(&f);
}

// ---- by address ----------------------------------------------------------------------------

TEST(where_function_entry_and_body) {
    Fix f;
    if (!fix_open(&f)) return;
    NsWhere w;
    CHECK_EQ_INT(ns_where(f.sp, f.add, &w), 1);
    CHECK_EQ_INT(w.addr, f.add);
    CHECK_EQ_STR(w.module, "libnsfix.so");
    CHECK(w.module_id > 0);
    CHECK_EQ_STR(w.func, "nsfix_add");
    CHECK_EQ_INT(w.func_start, f.add);
    CHECK_EQ_INT(w.offset, 0);
    CHECK(ends_with(w.file, "/tests/unit/fixtures/nsfix.c"));
    CHECK(w.file[0] == '/');   // comp dir joined
    CHECK_EQ_INT(w.line, mark("add_sig"));
    uint64_t body = add_body_addr(&f);
    CHECK(body > f.add);
    CHECK_EQ_INT(ns_where(f.sp, body, &w), 1);
    CHECK_EQ_STR(w.func, "nsfix_add");
    CHECK_EQ_INT(w.offset, body - f.add);
    CHECK_EQ_INT(w.line, mark("add_body"));
    CHECK(w.column > 0);
    fix_close(&f);
}

TEST(where_without_dwarf_and_nowhere) {
    Fix f;
    if (!fix_open(&f)) return;
    NsWhere w;
    CHECK_EQ_INT(ns_where(f.sp, f.add_nodw + 1, &w), 1);
    CHECK_EQ_STR(w.module, "libnsfix_nodw.so");
    CHECK_EQ_STR(w.func, "nsfix_add");         // from .dynsym
    CHECK_EQ_INT(w.offset, 1);
    CHECK_EQ_STR(w.file, "");
    CHECK_EQ_INT(w.line, 0);
    // not a module: a null page, the heap (like jitted code), the far end of the space
    void *heap = malloc(64);
    uint64_t nowhere[] = {0, 0x10, (uint64_t)(uintptr_t)heap, UINT64_MAX};
    for (size_t i = 0; i < sizeof nowhere / sizeof nowhere[0]; i++) {
        memset(&w, 0x5a, sizeof w);
        CHECK_EQ_INT(ns_where(f.sp, nowhere[i], &w), 0);
        CHECK_EQ_INT(w.addr, nowhere[i]);
        CHECK_EQ_INT(w.module_id, 0);
        CHECK_EQ_STR(w.module, "");
        CHECK_EQ_STR(w.func, "");
        CHECK_EQ_INT(w.func_start, 0);
        CHECK_EQ_STR(w.file, "");
        CHECK_EQ_INT(w.line, 0);
    }
    free(heap);
    fix_close(&f);
}

// A function of the test binary itself (not the fixture): its own DWARF, its own module.
static __attribute__((noinline)) int local_marker(int x) {
    return x * 7 + 1;
}

TEST(where_in_main_executable) {
    Fix f;
    if (!fix_open(&f)) return;
    NsWhere w;
    uint64_t a = (uint64_t)(uintptr_t)local_marker;
    CHECK_EQ_INT(local_marker(1), 8);
    CHECK_EQ_INT(ns_where(f.sp, a, &w), 1);
    CHECK_EQ_STR(w.module, "test_native_sym");
    CHECK_EQ_STR(w.func, "local_marker");
    CHECK(ends_with(w.file, "test_native_sym.c"));
    CHECK(w.line > 0);
    fix_close(&f);
}

TEST(symbolize) {
    Fix f;
    if (!fix_open(&f)) return;
    char buf[128];
    ns_symbolize(f.sp, f.add, buf, sizeof buf);
    CHECK_EQ_STR(buf, "nsfix_add");
    ns_symbolize(f.sp, f.add + 4, buf, sizeof buf);
    CHECK_EQ_STR(buf, "nsfix_add+0x4");
    ns_symbolize(f.sp, f.add_nodw + 0x11, buf, sizeof buf);
    CHECK_EQ_STR(buf, "nsfix_add+0x11");
    ns_symbolize(f.sp, f.add + 4, buf, 5);
    CHECK_EQ_STR(buf, "nsfi");                  // cut, still terminated
    strcpy(buf, "junk");
    ns_symbolize(f.sp, 0x10, buf, sizeof buf);
    CHECK_EQ_STR(buf, "");
    ns_symbolize(f.sp, f.add, buf, 0);          // no room: untouched, no crash
    fix_close(&f);
}

// ---- by name -------------------------------------------------------------------------------

TEST(function_addrs_by_name) {
    Fix f;
    if (!fix_open(&f)) return;
    uint64_t a[4] = {0};
    // both libraries define it: one address each, sorted
    CHECK_EQ_INT(ns_function_addrs(f.sp, NULL, "nsfix_add", a, 4), 2);
    CHECK(a[0] < a[1]);
    uint64_t body = add_body_addr(&f);
    CHECK(a[0] == body || a[1] == body);
    CHECK(a[0] == f.add_nodw || a[1] == f.add_nodw);   // no DWARF: the symbol's address
    // cap: the count is the full one, only cap written
    uint64_t one[2] = {0, 0xdead};
    CHECK_EQ_INT(ns_function_addrs(f.sp, NULL, "nsfix_add", one, 1), 2);
    CHECK_EQ_INT(one[1], 0xdead);
    CHECK_EQ_INT(ns_function_addrs(f.sp, "libnsfix_nodw.so", "nsfix_add", a, 4), 1);
    CHECK_EQ_INT(a[0], f.add_nodw);
    // a static function: .symtab of the DWARF library, not in the stripped one
    CHECK_EQ_INT(ns_function_addrs(f.sp, "libnsfix.so", "nsfix_helper", a, 4), 1);
    NsWhere w;
    CHECK_EQ_INT(ns_where(f.sp, a[0], &w), 1);
    CHECK_EQ_STR(w.func, "nsfix_helper");
    CHECK_EQ_INT(w.line, mark("helper_body"));
    CHECK_EQ_INT(ns_function_addrs(f.sp, "libnsfix_nodw.so", "nsfix_helper", a, 4), 0);
    // the recursive one: after its prologue is the "if"
    CHECK_EQ_INT(ns_function_addrs(f.sp, "libnsfix.so", "nsfix_recurse", a, 4), 1);
    CHECK_EQ_INT(ns_where(f.sp, a[0], &w), 1);
    CHECK_EQ_INT(w.line, mark("recurse_base") - 1);
    // misses
    CHECK_EQ_INT(ns_function_addrs(f.sp, NULL, "nsfix_no_such_function", a, 4), 0);
    CHECK_EQ_INT(ns_function_addrs(f.sp, "libnosuch.so", "nsfix_add", a, 4), 0);
    CHECK_EQ_INT(ns_function_addrs(f.sp, NULL, "", a, 4), 0);
    // an import of the test binary is not a definition there
    CHECK_EQ_INT(ns_function_addrs(f.sp, "test_native_sym", "dlopen", a, 4), 0);
    // the path of the module works as its name
    NsModuleInfo mi;
    CHECK_EQ_INT(ns_module_at(f.sp, f.add, &mi), 1);
    CHECK_EQ_INT(ns_function_addrs(f.sp, mi.path, "nsfix_add", a, 4), 1);
    fix_close(&f);
}

// ---- by line -------------------------------------------------------------------------------

TEST(line_addrs_by_file_and_line) {
    Fix f;
    if (!fix_open(&f)) return;
    uint64_t body = add_body_addr(&f);
    uint64_t a[4] = {0};
    uint32_t used = 0;
    uint32_t add_body = mark("add_body");
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "nsfix.c", add_body, a, 4, &used), 1);
    CHECK_EQ_INT(a[0], body);
    CHECK_EQ_INT(used, add_body);
    // trailing components, the full path, a path with . and .. in it
    NsWhere w;
    CHECK_EQ_INT(ns_where(f.sp, body, &w), 1);
    const char *queries[] = {"fixtures/nsfix.c", "tests/unit/fixtures/nsfix.c", w.file,
                             "./tests/unit/../unit/fixtures//nsfix.c"};
    for (size_t i = 0; i < sizeof queries / sizeof queries[0]; i++) {
        a[0] = 0;
        CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, queries[i], add_body, a, 4, &used), 1);
        CHECK_EQ_INT(a[0], body);
    }
    CHECK_EQ_INT(ns_line_addrs(f.sp, "libnsfix.so", "nsfix.c", add_body, a, 4, NULL), 1);
    // the function's first line: its entry
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "nsfix.c", mark("add_sig"), a, 4, &used), 1);
    CHECK_EQ_INT(a[0], f.add);
    // a line without code moves to the next one with code
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "nsfix.c", mark("add_gap"), a, 4, &used), 1);
    CHECK_EQ_INT(used, mark("add_after_gap"));
    CHECK_EQ_INT(ns_where(f.sp, a[0], &w), 1);
    CHECK_EQ_INT(w.line, mark("add_after_gap"));
    CHECK_EQ_STR(w.func, "nsfix_add");
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "nsfix.c", 1, a, 4, &used), 1);   // before all code
    CHECK_EQ_INT(used, mark("helper_sig"));
    // a line in the recursion: one function, one address
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "nsfix.c", mark("recurse_call"), a, 4, &used), 1);
    CHECK_EQ_INT(ns_where(f.sp, a[0], &w), 1);
    CHECK_EQ_STR(w.func, "nsfix_recurse");
    // past the last code of the file: the file is known, no code
    used = 77;
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "nsfix.c", mark("end_of_code"), a, 4, &used), 0);
    CHECK_EQ_INT(used, 0);
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "nsfix.c", 100000, a, 4, &used), 0);
    // unknown files, partial component names, a module without DWARF
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "no_such_file.c", 3, a, 4, &used), -1);
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "sfix.c", add_body, a, 4, &used), -1);
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "/nsfix.c", add_body, a, 4, &used), -1);
    CHECK_EQ_INT(ns_line_addrs(f.sp, NULL, "", add_body, a, 4, &used), -1);
    CHECK_EQ_INT(ns_line_addrs(f.sp, "libnsfix_nodw.so", "nsfix.c", add_body, a, 4, &used), -1);
    CHECK_EQ_INT(ns_line_addrs(f.sp, "libnosuch.so", "nsfix.c", add_body, a, 4, &used), -1);
    fix_close(&f);
}

TEST(line_range_and_function_range) {
    Fix f;
    if (!fix_open(&f)) return;
    uint64_t body = add_body_addr(&f);
    uint64_t lo = 0, hi = 0;
    NsWhere w;
    CHECK_EQ_INT(ns_line_range(f.sp, body, &lo, &hi), 0);
    CHECK(lo <= body && body < hi);
    CHECK_EQ_INT(ns_where(f.sp, lo, &w), 1);
    CHECK_EQ_INT(w.line, mark("add_body"));
    CHECK_EQ_INT(ns_where(f.sp, hi - 1, &w), 1);
    CHECK_EQ_INT(w.line, mark("add_body"));
    CHECK_EQ_INT(ns_where(f.sp, hi, &w), 1);
    CHECK(w.line != mark("add_body"));
    if (lo > f.add) {   // the byte before belongs to another line
        CHECK_EQ_INT(ns_where(f.sp, lo - 1, &w), 1);
        CHECK(w.line != mark("add_body"));
    }
    // from the middle of the line's code: the same range
    uint64_t lo2 = 0, hi2 = 0;
    CHECK_EQ_INT(ns_line_range(f.sp, hi - 1, &lo2, &hi2), 0);
    CHECK_EQ_INT(lo2, lo);
    CHECK_EQ_INT(hi2, hi);
    CHECK_EQ_INT(ns_line_range(f.sp, f.add_nodw, &lo, &hi), -1);   // no DWARF
    CHECK_EQ_INT(ns_line_range(f.sp, 0x10, &lo, &hi), -1);

    CHECK_EQ_INT(ns_function_range(f.sp, body, &lo, &hi), 0);
    CHECK_EQ_INT(lo, f.add);
    CHECK(hi > body);
    CHECK_EQ_INT(ns_where(f.sp, hi - 1, &w), 1);
    CHECK_EQ_STR(w.func, "nsfix_add");
    // without DWARF: from the symbol table, the same size
    uint64_t dlo = 0, dhi = 0;
    CHECK_EQ_INT(ns_function_range(f.sp, f.add_nodw + 3, &dlo, &dhi), 0);
    CHECK_EQ_INT(dlo, f.add_nodw);
    CHECK_EQ_INT(dhi - dlo, hi - lo);
    CHECK_EQ_INT(ns_function_range(f.sp, 0x10, &lo, &hi), -1);
    fix_close(&f);
}

TEST(module_entry_points) {
    Fix f;
    if (!fix_open(&f)) return;
    NsModuleInfo dw, nodw;
    CHECK_EQ_INT(ns_module_at(f.sp, f.add, &dw), 1);
    CHECK_EQ_INT(ns_module_at(f.sp, f.add_nodw, &nodw), 1);
    uint64_t a[16] = {0};
    int n = ns_module_entry_points(f.sp, dw.id, a, 16);
    CHECK_EQ_INT(n, 4);   // helper, add, recurse, entry
    const char *names[] = {"nsfix_helper", "nsfix_add", "nsfix_recurse", "nsfix_entry"};
    for (size_t i = 0; i < 4; i++) {
        uint64_t want = 0;
        CHECK_EQ_INT(ns_function_addrs(f.sp, "libnsfix.so", names[i], &want, 1), 1);
        int found = 0;
        for (int k = 0; k < n && k < 16; k++) found |= a[k] == want;
        CHECK(found);
    }
    CHECK_EQ_INT(ns_module_entry_points(f.sp, dw.id, NULL, 0), 4);   // counting only
    CHECK_EQ_INT(ns_module_entry_points(f.sp, nodw.id, a, 16), 0);
    CHECK_EQ_INT(ns_module_entry_points(f.sp, 999999, a, 16), 0);
    fix_close(&f);
}

// ---- unwinding -----------------------------------------------------------------------------

typedef struct UnwindCtx {
    NsSpace *sp;
    int      max, n;
    NsFrame *frames;
} UnwindCtx;

// Called at the bottom of the fixture's recursion: unwinds from right here, while every
// frame of the recursion is still live on the stack.
static __attribute__((noinline)) int unwind_here(void *arg) {
    UnwindCtx *c = arg;
    ucontext_t uc;
    if (getcontext(&uc) != 0) return -1;
    const greg_t *g = uc.uc_mcontext.gregs;
    NsRegs r = {
        .rax = (uint64_t)g[REG_RAX], .rdx = (uint64_t)g[REG_RDX], .rcx = (uint64_t)g[REG_RCX],
        .rbx = (uint64_t)g[REG_RBX], .rsi = (uint64_t)g[REG_RSI], .rdi = (uint64_t)g[REG_RDI],
        .rbp = (uint64_t)g[REG_RBP], .rsp = (uint64_t)g[REG_RSP], .r8 = (uint64_t)g[REG_R8],
        .r9 = (uint64_t)g[REG_R9], .r10 = (uint64_t)g[REG_R10], .r11 = (uint64_t)g[REG_R11],
        .r12 = (uint64_t)g[REG_R12], .r13 = (uint64_t)g[REG_R13], .r14 = (uint64_t)g[REG_R14],
        .r15 = (uint64_t)g[REG_R15], .rip = (uint64_t)g[REG_RIP],
    };
    c->n = ns_unwind(c->sp, &r, c->frames, c->max);
    return 1000;
}

static int run_unwind(Fix *f, UnwindCtx *c, int depth) {
    entry_fn entry = (entry_fn)(uintptr_t)f->entry;
    return entry(depth, unwind_here, c);
}

TEST(unwind_through_recursion) {
    Fix f;
    if (!fix_open(&f)) return;
    UnwindCtx c = {.sp = f.sp, .max = 32, .frames = calloc(32, sizeof(NsFrame))};
    if (!c.frames) { fix_close(&f); CHECK(0); return; }
    // nsfix_helper(n) = 3n + 1, the recursion adds n, unwind_here returns 1000
    CHECK_EQ_INT(run_unwind(&f, &c, 3), 1013);
    NsFrame *fr = c.frames;
    CHECK(c.n >= 7 && c.n <= 32);
    if (c.n >= 7) {
        CHECK_EQ_STR(fr[0].where.func, "unwind_here");
        CHECK_EQ_STR(fr[0].where.module, "test_native_sym");
        for (int i = 1; i <= 4; i++) {
            CHECK_EQ_STR(fr[i].where.func, "nsfix_recurse");
            CHECK_EQ_STR(fr[i].where.module, "libnsfix.so");
            CHECK_EQ_INT(fr[i].where.line, mark(i == 1 ? "recurse_base" : "recurse_call"));
            CHECK_EQ_INT(fr[i].where.addr, fr[i].pc);   // the return address itself
        }
        CHECK_EQ_STR(fr[5].where.func, "nsfix_entry");
        CHECK_EQ_INT(fr[5].where.line, mark("entry_call"));
        CHECK_EQ_STR(fr[6].where.func, "run_unwind");
        int saw_main = 0;
        for (int i = 0; i < c.n; i++) saw_main |= strcmp(fr[i].where.func, "main") == 0;
        CHECK(saw_main);
        // the stack grows down: callers' stack pointers are higher; a CFA is its caller's sp
        for (int i = 0; i + 1 < c.n; i++) {
            CHECK(fr[i + 1].sp > fr[i].sp);
            CHECK_EQ_INT(fr[i].cfa, fr[i + 1].sp);
        }
        CHECK(fr[0].cfa > fr[0].sp);
    }
    // max frames, and the last one still gets its CFA
    c.max = 3;
    memset(c.frames, 0, 32 * sizeof(NsFrame));
    CHECK_EQ_INT(run_unwind(&f, &c, 2), 1009);   // 7 + 2 + 1000
    CHECK_EQ_INT(c.n, 3);
    CHECK(fr[2].cfa > fr[2].sp && fr[2].sp > 0);
    c.max = 1;
    CHECK_EQ_INT(run_unwind(&f, &c, 0), 1001);
    CHECK_EQ_INT(c.n, 1);
    CHECK_EQ_STR(fr[0].where.func, "unwind_here");
    // a refresh between unwinds (the space is attached once)
    CHECK_EQ_INT(ns_refresh(f.sp), 0);
    c.max = 32;
    CHECK_EQ_INT(run_unwind(&f, &c, 1), 1005);
    CHECK(c.n >= 5);
    CHECK_EQ_STR(fr[3].where.func, "nsfix_entry");
    free(c.frames);
    fix_close(&f);
}

TEST(unwind_stops_at_unknown_code_and_bad_stacks) {
    Fix f;
    if (!fix_open(&f)) return;
    NsFrame fr[8];
    // pc in no module (jitted code would be): that frame only, module 0
    uint64_t *fake_stack = calloc(64, sizeof(uint64_t));
    NsRegs r = {0};
    r.rip = (uint64_t)(uintptr_t)fake_stack;
    r.rsp = (uint64_t)(uintptr_t)(fake_stack + 32);
    CHECK_EQ_INT(ns_unwind(f.sp, &r, fr, 8), 1);
    CHECK_EQ_INT(fr[0].pc, r.rip);
    CHECK_EQ_INT(fr[0].where.module_id, 0);
    // at nsfix_add's entry with a return address that points nowhere: two frames, the
    // second one in no module
    for (int i = 0; i < 64; i++) fake_stack[i] = 0x4141414141414141ull;
    r.rip = f.add;
    r.rbp = (uint64_t)(uintptr_t)(fake_stack + 40);
    CHECK_EQ_INT(ns_unwind(f.sp, &r, fr, 8), 2);
    CHECK_EQ_STR(fr[0].where.func, "nsfix_add");
    CHECK_EQ_INT(fr[1].pc, 0x4141414141414141ull);
    CHECK_EQ_INT(fr[1].where.module_id, 0);
    CHECK_EQ_INT(fr[0].cfa, r.rsp + 8);
    // a stack pointer into nothing: the first frame only
    r.rsp = 0x10;
    r.rbp = 0x10;
    CHECK_EQ_INT(ns_unwind(f.sp, &r, fr, 8), 1);
    CHECK_EQ_STR(fr[0].where.func, "nsfix_add");
    // the stripped library has .eh_frame: unwinding still finds the caller's pc
    r.rip = f.add_nodw;
    r.rsp = (uint64_t)(uintptr_t)(fake_stack + 32);
    fake_stack[32] = f.add + 1;   // "returns" into the other library
    CHECK(ns_unwind(f.sp, &r, fr, 2) == 2);
    CHECK_EQ_STR(fr[0].where.module, "libnsfix_nodw.so");
    CHECK_EQ_STR(fr[1].where.func, "nsfix_add");
    CHECK_EQ_INT(ns_unwind(f.sp, &r, fr, 0), 0);
    CHECK_EQ_INT(ns_unwind(f.sp, NULL, fr, 8), 0);
    free(fake_stack);
    fix_close(&f);
}

// ---- garbage -------------------------------------------------------------------------------

// Damaged copies of the fixture mapped read-only at offset 0 (how a loaded library looks in
// the maps): every lookup over them must answer something and never crash.
TEST(corrupt_elf_files) {
    Fix f;
    if (!fix_open(&f)) return;
    char src[4200];
    fixture_path("libnsfix.so", src, sizeof src);
    FILE *in = fopen(src, "rb");
    CHECK(in != NULL);
    if (!in) { fix_close(&f); return; }
    uint8_t *orig = malloc(1 << 20);
    size_t len = orig ? fread(orig, 1, 1 << 20, in) : 0;
    fclose(in);
    CHECK(len > 4096 && len < (1 << 20));
    uint8_t *copy = len ? malloc(len) : NULL;
    uint32_t seed = 12345;
    for (int variant = 0; variant < 6 && copy; variant++) {
        memcpy(copy, orig, len);
        size_t n = len;
        if (variant == 0) n = 64;                            // the ELF header only
        if (variant == 1) n = len / 2;                       // cut in the middle
        for (size_t i = 4; variant >= 2 && i < n; i++) {     // bytes flipped here and there
            seed = seed * 1103515245u + 12345u;
            if ((seed >> 16) % (variant == 2 ? 7u : variant == 3 ? 50u : 400u) == 0)
                copy[i] ^= (uint8_t)(seed >> 8) | 1;
        }
        if (variant == 5) memset(copy + 0x20, 0xff, 0x20);  // wild header offsets and counts
        char tmp[] = "/tmp/cordbg-nsfix-XXXXXX";
        int fd = mkstemp(tmp);
        CHECK(fd >= 0);
        if (fd < 0) break;
        CHECK(write(fd, copy, n) == (ssize_t)n);
        size_t maplen = (n + 4095) & ~(size_t)4095;
        void *map = mmap(NULL, maplen, PROT_READ, MAP_PRIVATE, fd, 0);
        CHECK(map != MAP_FAILED);
        if (map != MAP_FAILED) {
            CHECK_EQ_INT(ns_refresh(f.sp), 0);
            uint64_t base = (uint64_t)(uintptr_t)map;
            NsModuleInfo *mods = NULL;
            size_t nm = 0;
            CHECK_EQ_INT(ns_modules(f.sp, &mods, &nm), 0);
            free(mods);
            NsWhere w;
            char buf[64];
            uint64_t lo, hi, a[4];
            uint32_t used;
            for (uint64_t off = 0; off < maplen; off += 0x301) {
                ns_where(f.sp, base + off, &w);
                ns_symbolize(f.sp, base + off, buf, sizeof buf);
                ns_line_range(f.sp, base + off, &lo, &hi);
                ns_function_range(f.sp, base + off, &lo, &hi);
            }
            NsModuleInfo mi;
            if (ns_module_at(f.sp, base, &mi)) ns_module_entry_points(f.sp, mi.id, a, 4);
            const char *name = strrchr(tmp, '/') + 1;
            ns_function_addrs(f.sp, name, "nsfix_add", a, 4);
            ns_line_addrs(f.sp, name, "nsfix.c", mark("add_body"), a, 4, &used);
            NsRegs r = {.rip = base + 0x1100, .rsp = (uint64_t)(uintptr_t)copy + 64};
            NsFrame fr[4];
            CHECK(ns_unwind(f.sp, &r, fr, 4) >= 1);
            // the real library is still described right
            CHECK_EQ_INT(ns_where(f.sp, f.add, &w), 1);
            CHECK_EQ_STR(w.func, "nsfix_add");
            munmap(map, maplen);
        }
        close(fd);
        unlink(tmp);
    }
    free(copy);
    free(orig);
    fix_close(&f);
}

TEST(no_such_process_and_null_space) {
    NsSpace *sp = ns_new(999999999, NULL, NULL);
    CHECK(sp != NULL);
    if (sp) {
        CHECK(ns_refresh(sp) < 0);
        NsWhere w;
        CHECK_EQ_INT(ns_where(sp, 0x400000, &w), 0);
        NsModuleInfo *mods = (NsModuleInfo *)1;
        size_t n = 7;
        CHECK_EQ_INT(ns_modules(sp, &mods, &n), 0);
        CHECK(mods == NULL && n == 0);
        uint64_t a[2];
        CHECK_EQ_INT(ns_function_addrs(sp, NULL, "main", a, 2), 0);
        CHECK_EQ_INT(ns_line_addrs(sp, NULL, "x.c", 1, a, 2, NULL), -1);
        // no modules, no reader: one frame from the registers
        NsRegs r = {.rip = 0x1234, .rsp = 0x5678};
        NsFrame fr[4];
        CHECK_EQ_INT(ns_unwind(sp, &r, fr, 4), 1);
        CHECK_EQ_INT(fr[0].pc, 0x1234);
        CHECK_EQ_INT(fr[0].where.module_id, 0);
        ns_free(sp);
    }
    CHECK_EQ_INT(ns_refresh(NULL), -EINVAL);
    NsWhere w;
    CHECK_EQ_INT(ns_where(NULL, 0x1000, &w), 0);
    ns_free(NULL);
}

UNIT_MAIN()
