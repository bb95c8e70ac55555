// test_native_core.c — the ELF core reader and writer (src/native/core.c).
// A tiny C program (written and compiled here with cc, so that the core is of a plain
// process, not of this ASan-instrumented one) crashes with SIGSEGV after putting a known
// value in r12; its kernel core (RLIMIT_CORE raised in the child; /proc/sys/kernel/core_pattern
// must name a file — when it is a pipe the kernel part is skipped and said so, the writer's
// tests cover the rest) is read back: pid, threads, registers, the saved memory of a global
// and of a stack string, code read from the executable on disk (the kernel leaves it out),
// NT_FILE naming libc. Then the same program, stopped under ptrace, is written by core_write
// and read back (same bytes, same registers) and gdb opens that core too. Truncated and
// bit-flipped copies open with a reason or with warnings, never crash.
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/user.h>
#include <sys/wait.h>
#include <unistd.h>

#include "native/core.h"
#include "unit.h"

#define R12_MARK 0x1122334455667788ull

static const char CRASHER_SRC[] =
    "#include <pthread.h>\n"
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "#include <unistd.h>\n"
    "#include <sys/resource.h>\n"
    "#include <sys/mman.h>\n"
    "#include <fcntl.h>\n"
    "char marker[64] = \"cordbg-core-marker:data\";\n"
    "static void *blocked(void *a) { (void)a; for (;;) pause(); return 0; }\n"
    "int main(int argc, char **argv) {\n"
    "    struct rlimit rl = { RLIM_INFINITY, RLIM_INFINITY };\n"
    "    setrlimit(RLIMIT_CORE, &rl);\n"
    "    volatile char stackstr[32];\n"
    "    strcpy((char *)stackstr, \"cordbg-stack-marker\");\n"
    "    pthread_t t; pthread_create(&t, 0, blocked, 0);\n"
    "    int fd = open(\"page.bin\", O_RDWR | O_CREAT | O_TRUNC, 0600);\n"
    "    static char page[4096] = \"cordbg-file-page\";\n"
    "    if (fd < 0 || write(fd, page, sizeof page) != sizeof page) return 3;\n"
    "    void *m = mmap(0, 3 * 4096, PROT_READ, MAP_PRIVATE, fd, 0);\n"
    "    printf(\"%p %p %p\\n\", (void *)marker, (void *)stackstr, m); fflush(stdout);\n"
    "    if (argc > 1 && strcmp(argv[1], \"spin\") == 0)\n"
    "        __asm__ volatile(\"movabs $0x1122334455667788, %%r12\\n1: pause\\n jmp 1b\" ::: \"r12\");\n"
    "    __asm__ volatile(\"movabs $0x1122334455667788, %%r12\\n xor %%eax, %%eax\\n"
    " .globl crash_here\\ncrash_here: mov (%%rax), %%rax\" ::: \"r12\", \"rax\", \"memory\");\n"
    "    return stackstr[0];\n"
    "}\n";

// A temp dir with the compiled crasher, shared by the tests of this binary.
static char g_dir[256];
static char g_prog[300];
static int  g_ready = -1;          // -1 not tried, 0 failed, 1 ready

static void cleanup_dir(void)
{
    if (!g_dir[0]) return;
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf %s", g_dir);
    if (system(cmd) != 0) fprintf(stderr, "could not remove %s\n", g_dir);
}

static int build_crasher(void)
{
    if (g_ready >= 0) return g_ready;
    g_ready = 0;
    snprintf(g_dir, sizeof g_dir, "/tmp/cordbg-core-test-XXXXXX");
    if (!mkdtemp(g_dir)) return 0;
    atexit(cleanup_dir);            // whichever tests ran
    char src[300], cmd[1024];
    snprintf(src, sizeof src, "%s/crasher.c", g_dir);
    snprintf(g_prog, sizeof g_prog, "%s/crasher", g_dir);
    FILE *f = fopen(src, "w");
    if (!f) return 0;
    fputs(CRASHER_SRC, f);
    fclose(f);
    snprintf(cmd, sizeof cmd, "cc -g -O0 -pthread -o %s %s", g_prog, src);
    int rc = system(cmd);
    CHECK_EQ_INT(rc, 0);
    g_ready = rc == 0;
    return g_ready;
}

// Starts the crasher (mode: "crash" or "spin") in g_dir; reads the two addresses it prints.
static uint64_t g_filemap;        // the crasher's mapping of page.bin (one page of a 3-page mapping)

static pid_t start_crasher(const char *mode, uint64_t *marker, uint64_t *stack)
{
    int fds[2];
    if (pipe(fds) != 0) return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], 1);
        close(fds[0]);
        close(fds[1]);
        if (chdir(g_dir) != 0) _exit(126);
        execl(g_prog, g_prog, mode, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    char line[128] = {0};
    size_t n = 0;
    while (n < sizeof line - 1) {
        ssize_t r = read(fds[0], line + n, 1);
        if (r <= 0 || line[n] == '\n') break;
        n++;
    }
    close(fds[0]);
    unsigned long long a = 0, b = 0, c = 0;
    if (sscanf(line, "%llx %llx %llx", &a, &b, &c) != 3) {
        fprintf(stderr, "crasher said \"%s\"\n", line);
        return pid > 0 ? -pid : -1;
    }
    *marker = a;
    *stack = b;
    g_filemap = c;
    return pid;
}

static int core_pattern_is_file(void)
{
    char pat[256] = {0};
    FILE *f = fopen("/proc/sys/kernel/core_pattern", "r");
    if (!f) return 0;
    if (!fgets(pat, sizeof pat, f)) pat[0] = '|';
    fclose(f);
    return pat[0] != '|';
}

// The kernel core of the crasher: its path in out (found in g_dir: "core" or "core.PID").
static int kernel_core(char *out, size_t cap, pid_t *pidp, uint64_t *marker, uint64_t *stack)
{
    if (!build_crasher()) return 0;
    if (!core_pattern_is_file()) {
        fprintf(stderr, "note: core_pattern is a pipe here: kernel core tests skipped\n");
        return 0;
    }
    pid_t pid = start_crasher("crash", marker, stack);
    CHECK(pid > 0);
    if (pid <= 0) { if (pid < -1) waitpid(-pid, NULL, 0); return 0; }
    int st = 0;
    waitpid(pid, &st, 0);
    CHECK(WIFSIGNALED(st) && WTERMSIG(st) == SIGSEGV);
    CHECK(WCOREDUMP(st));
    *pidp = pid;
    char cand[2][400];
    snprintf(cand[0], sizeof cand[0], "%s/core.%d", g_dir, (int)pid);
    snprintf(cand[1], sizeof cand[1], "%s/core", g_dir);
    for (int i = 0; i < 2; i++)
        if (access(cand[i], R_OK) == 0) {
            snprintf(out, cap, "%s", cand[i]);
            return 1;
        }
    fprintf(stderr, "no core file in %s (core_pattern names another place?)\n", g_dir);
    return 0;
}

static uint64_t sym_addr(const char *prog, const char *name)
{
    char cmd[600], line[256];
    snprintf(cmd, sizeof cmd, "nm %s", prog);
    FILE *p = popen(cmd, "r");
    if (!p) return 0;
    uint64_t v = 0;
    while (fgets(line, sizeof line, p)) {
        unsigned long long a;
        char t, nm[200];
        if (sscanf(line, "%llx %c %199s", &a, &t, nm) == 3 && strcmp(nm, name) == 0) v = a;
    }
    pclose(p);
    return v;
}

// The load address of prog in the core: the NT_FILE mapping of it at file offset 0.
static uint64_t load_base(const CoreFile *cf, const char *prog)
{
    for (size_t i = 0; i < core_nmappings(cf); i++) {
        const CoreMapping *m = core_mapping(cf, i);
        if (m->offset == 0 && strcmp(m->path, prog) == 0) return m->start;
    }
    return 0;
}

static int has_libc(const CoreFile *cf)
{
    for (size_t i = 0; i < core_nmappings(cf); i++)
        if (strstr(core_mapping(cf, i)->path, "/libc.so") || strstr(core_mapping(cf, i)->path, "/libc-")) return 1;
    return 0;
}

static char g_core[400];
static pid_t g_core_pid;
static uint64_t g_marker, g_stack;

TEST(kernel_core_reads)
{
    if (!kernel_core(g_core, sizeof g_core, &g_core_pid, &g_marker, &g_stack)) { g_core[0] = 0; return; }
    char err[256] = "";
    CoreFile *cf = core_open(g_core, err, sizeof err);
    CHECK(cf != NULL);
    if (!cf) { fprintf(stderr, "core_open: %s\n", err); return; }
    CHECK_EQ_STR(core_warnings(cf), "");
    CHECK_EQ_INT(core_pid(cf), g_core_pid);
    CHECK_EQ_STR(core_comm(cf), "crasher");
    CHECK(strstr(core_args(cf), "crash") != NULL);
    CHECK_EQ_INT(core_nthreads(cf), 2);
    const CoreThread *t = core_thread(cf, 0);
    CHECK(t && t->tid == g_core_pid);
    CHECK(t && t->signo == SIGSEGV);
    CHECK(t && t->regs.r12 == R12_MARK);
    CHECK(t && t->regs.rax == 0);
    CHECK(t && t->has_fpregs);
    CHECK(core_thread(cf, 1) && core_thread(cf, 1)->tid != g_core_pid);
    CHECK(core_thread_by_tid(cf, g_core_pid) == t);
    CHECK(core_thread(cf, 2) == NULL);
    CoreSigInfo si = core_siginfo(cf);
    CHECK(si.valid && si.signo == SIGSEGV && si.addr == 0);
    // Memory the kernel saved: the global and the stack string.
    char buf[64] = {0};
    CHECK_EQ_INT(core_read(cf, g_marker, buf, 24), 24);
    CHECK_EQ_STR(buf, "cordbg-core-marker:data");
    CHECK(core_saved(cf, g_marker));
    memset(buf, 0, sizeof buf);
    CHECK_EQ_INT(core_read(cf, g_stack, buf, 20), 20);
    CHECK_EQ_STR(buf, "cordbg-stack-marker");
    // The faulting instruction (mov (%rax),%rax: 48 8b 00): code the kernel left out, read
    // from the executable on disk through NT_FILE.
    uint64_t base = load_base(cf, g_prog), crash = sym_addr(g_prog, "crash_here");
    CHECK(base != 0 && crash != 0);
    CHECK(t && t->regs.rip == base + crash);
    uint8_t code[3] = {0};
    CHECK(t && core_read(cf, t->regs.rip, code, 3) == 3);
    CHECK(code[0] == 0x48 && code[1] == 0x8b && code[2] == 0x00);
    CHECK(t && !core_saved(cf, t->regs.rip));
    const CoreMapping *m = t ? core_mapping_at(cf, t->regs.rip) : NULL;
    CHECK(m && strcmp(m->path, g_prog) == 0);
    CHECK(has_libc(cf));
    // A private file mapping the kernel left out: its page is read from the file; the two
    // pages past the file's end are unreadable (SIGBUS in the process).
    memset(buf, 0, sizeof buf);
    CHECK(!core_saved(cf, g_filemap));
    CHECK_EQ_INT(core_read(cf, g_filemap + 4096 - 8, buf, 16), 8);
    CHECK_EQ_INT(core_read(cf, g_filemap, buf, 17), 17);
    CHECK_EQ_STR(buf, "cordbg-file-page");
    for (size_t i = 1; i < core_nmappings(cf); i++)
        CHECK(core_mapping(cf, i - 1)->end <= core_mapping(cf, i)->start);
    uint64_t v = 0;
    CHECK(core_auxv(cf, AT_PAGESZ, &v) && v == (uint64_t)sysconf(_SC_PAGESIZE));
    CHECK(core_auxv(cf, AT_ENTRY, &v) && v > base);
    CHECK(!core_auxv(cf, 0x7777, &v));
    // Nothing at address 0 nor at the very top; a read across the top stops there.
    CHECK_EQ_INT(core_read(cf, 0, buf, 8), 0);
    CHECK_EQ_INT(core_read(cf, UINT64_MAX - 3, buf, 8), 0);
    // Substitutions: the program read from a copy elsewhere; a missing place reads nothing.
    char local[512];
    CHECK_EQ_INT(core_local_path(cf, g_prog, local, sizeof local), 1);
    CHECK_EQ_STR(local, g_prog);
    // A prefix that is not whole path components does not apply ("/tmp/x" is not "/tmp/xy").
    char partial[300];
    snprintf(partial, sizeof partial, "%.*s", (int)strlen(g_dir) - 1, g_dir);
    CHECK_EQ_INT(core_map_path(cf, partial, "/nonexistent-dir"), 0);
    CHECK_EQ_INT(core_local_path(cf, g_prog, local, sizeof local), 1);
    CHECK_EQ_STR(local, g_prog);
    CHECK_EQ_INT(core_map_path(cf, g_dir, "/nonexistent-dir"), 0);
    CHECK_EQ_INT(core_local_path(cf, g_prog, local, sizeof local), 0);
    CHECK(strncmp(local, "/nonexistent-dir/crasher", 24) == 0);
    CHECK(t && core_read(cf, t->regs.rip, code, 3) == 0);
    char moved[400], cmd[1000];
    snprintf(moved, sizeof moved, "%s/moved", g_dir);
    snprintf(cmd, sizeof cmd, "mkdir -p %s && cp %s %s/", moved, g_prog, moved);
    CHECK_EQ_INT(system(cmd), 0);
    CHECK_EQ_INT(core_map_path(cf, g_dir, moved), 0);   // later pairs win
    memset(code, 0, sizeof code);
    CHECK(t && core_read(cf, t->regs.rip, code, 3) == 3 && code[1] == 0x8b);
    core_close(cf);
}

// A 1-byte read loop over every mapping's first page and every segment edge: the read
// engine agrees with itself whatever the chunking.
TEST(kernel_core_read_chunks)
{
    if (!g_core[0]) return;
    char err[256];
    CoreFile *cf = core_open(g_core, err, sizeof err);
    CHECK(cf != NULL);
    if (!cf) return;
    uint8_t big[8192], one;
    for (size_t i = 0; i < core_nmappings(cf); i++) {
        const CoreMapping *m = core_mapping(cf, i);
        size_t n = core_read(cf, m->start, big, sizeof big);
        size_t lim = n < 300 ? n : 300;
        for (size_t k = 0; k < lim; k += 7) {
            CHECK(core_read(cf, m->start + k, &one, 1) == 1);
            CHECK(one == big[k]);
        }
    }
    core_close(cf);
}

// ---------------------------------------------------------------- writing

typedef struct Mem { int fd; } Mem;

static int read_mem(void *ctx, uint64_t addr, void *buf, size_t len)
{
    Mem *m = ctx;
    if (addr > (uint64_t)INT64_MAX - len) return -1;
    return pread(m->fd, buf, len, (off_t)addr) == (ssize_t)len ? 0 : -1;
}

static int to_core_thread(int tid, CoreThread *t)
{
    struct user_regs_struct r;
    struct user_fpregs_struct f;
    memset(t, 0, sizeof *t);
    if (ptrace(PTRACE_GETREGS, tid, NULL, &r) != 0) return -1;
    t->tid = tid;
    NtRegs *o = &t->regs;
    o->rax = r.rax; o->rbx = r.rbx; o->rcx = r.rcx; o->rdx = r.rdx; o->rsi = r.rsi; o->rdi = r.rdi;
    o->rbp = r.rbp; o->rsp = r.rsp; o->r8 = r.r8; o->r9 = r.r9; o->r10 = r.r10; o->r11 = r.r11;
    o->r12 = r.r12; o->r13 = r.r13; o->r14 = r.r14; o->r15 = r.r15; o->rip = r.rip;
    o->eflags = r.eflags; o->cs = r.cs; o->ss = r.ss; o->ds = r.ds; o->es = r.es; o->fs = r.fs;
    o->gs = r.gs; o->fs_base = r.fs_base; o->gs_base = r.gs_base; o->orig_rax = r.orig_rax;
    if (ptrace(PTRACE_GETFPREGS, tid, NULL, &f) == 0) {
        t->has_fpregs = 1;
        o->fcw = f.cwd; o->fsw = f.swd; o->ftw = f.ftw; o->fop = f.fop; o->mxcsr = f.mxcsr;
        memcpy(o->st, f.st_space, sizeof o->st);
        memcpy(o->xmm, f.xmm_space, sizeof o->xmm);
    }
    return 0;
}

// Seizes and interrupts every thread of pid; fills threads (main thread first).
static size_t stop_all(pid_t pid, CoreThread *threads, size_t cap)
{
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
    DIR *d = opendir(dir);
    if (!d) return 0;
    int tids[16];
    size_t n = 0;
    tids[n++] = pid;
    struct dirent *e;
    while ((e = readdir(d)) && n < 16) {
        int tid = atoi(e->d_name);
        if (tid > 0 && tid != pid) tids[n++] = tid;
    }
    closedir(d);
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        int st;
        if (ptrace(PTRACE_SEIZE, tids[i], NULL, NULL) != 0) continue;
        if (ptrace(PTRACE_INTERRUPT, tids[i], NULL, NULL) != 0) continue;
        if (waitpid(tids[i], &st, __WALL) != tids[i]) continue;
        if (to_core_thread(tids[i], &threads[k]) == 0) k++;
    }
    return k;
}

static char g_wcore[400];

TEST(write_live_core)
{
    if (!build_crasher()) return;
    uint64_t marker = 0, stack = 0;
    pid_t pid = start_crasher("spin", &marker, &stack);
    CHECK(pid > 0);
    if (pid <= 0) { if (pid < -1) { kill(-pid, SIGKILL); waitpid(-pid, NULL, 0); } return; }
    // It spins with r12 set once it has printed; wait until a stop shows the mark.
    CoreThread th[8];
    size_t n = 0;
    for (int tries = 0; tries < 200; tries++) {
        n = stop_all(pid, th, 8);
        if (n && th[0].regs.r12 == R12_MARK) break;
        for (size_t i = 0; i < n; i++) ptrace(PTRACE_DETACH, th[i].tid, NULL, NULL);
        n = 0;
        usleep(10000);
    }
    CHECK_EQ_INT(n, 2);
    char memp[64];
    snprintf(memp, sizeof memp, "/proc/%d/mem", (int)pid);
    Mem mem = { open(memp, O_RDONLY | O_CLOEXEC) };
    CHECK(mem.fd >= 0);
    snprintf(g_wcore, sizeof g_wcore, "%s/written.core", g_dir);
    char err[256] = "";
    int rc = n ? core_write(g_wcore, pid, th, n, read_mem, &mem, err, sizeof err) : -1;
    CHECK_EQ_INT(rc, 0);
    if (rc) fprintf(stderr, "core_write: %s\n", err);
    // The same bytes as the live process, read back.
    CoreFile *cf = rc == 0 ? core_open(g_wcore, err, sizeof err) : NULL;
    CHECK(cf != NULL);
    if (cf) {
        CHECK_EQ_STR(core_warnings(cf), "");
        CHECK_EQ_INT(core_pid(cf), pid);
        CHECK_EQ_STR(core_comm(cf), "crasher");
        CHECK(strstr(core_args(cf), "spin") != NULL);
        CHECK_EQ_INT(core_nthreads(cf), n);
        for (size_t i = 0; i < n && i < core_nthreads(cf); i++) {
            const CoreThread *t = core_thread(cf, i);
            CHECK_EQ_INT(t->tid, th[i].tid);
            CHECK_EQ_MEM(&t->regs, &th[i].regs, offsetof(NtRegs, fcw));
            CHECK(t->has_fpregs);
            CHECK(t->regs.mxcsr == th[i].regs.mxcsr && t->regs.fcw == th[i].regs.fcw);
            CHECK_EQ_MEM(t->regs.xmm, th[i].regs.xmm, sizeof t->regs.xmm);
        }
        CHECK(core_thread(cf, 0)->regs.r12 == R12_MARK);
        char a[64] = {0}, b[64] = {0};
        CHECK_EQ_INT(core_read(cf, marker, a, 24), 24);
        CHECK_EQ_STR(a, "cordbg-core-marker:data");
        CHECK_EQ_INT(core_read(cf, stack, b, 20), 20);
        CHECK_EQ_STR(b, "cordbg-stack-marker");
        // Code is saved too (the core stands alone): the same bytes as the live process.
        uint64_t pc = core_thread(cf, 0)->regs.rip;
        uint8_t live[256], saved[256];
        CHECK(read_mem(&mem, pc, live, sizeof live) == 0);
        CHECK_EQ_INT(core_read(cf, pc, saved, sizeof saved), sizeof saved);
        CHECK_EQ_MEM(saved, live, sizeof live);
        CHECK(core_saved(cf, pc));
        CHECK(has_libc(cf));
        // A mapping readable only in part (past its file's end): the readable page is saved,
        // the rest is not (and reads stop there).
        char pg[20] = {0};
        CHECK(core_saved(cf, g_filemap) && !core_saved(cf, g_filemap + 4096));
        CHECK_EQ_INT(core_read(cf, g_filemap, pg, 17), 17);
        CHECK_EQ_STR(pg, "cordbg-file-page");
        CHECK_EQ_INT(core_read(cf, g_filemap + 4096 - 8, pg, 16), 8);
        uint64_t v = 0;
        CHECK(core_auxv(cf, AT_PAGESZ, &v) && v == (uint64_t)sysconf(_SC_PAGESIZE));
        // Every mapping: the first page is the live one.
        for (size_t i = 0; i < core_nmappings(cf); i++) {
            const CoreMapping *m = core_mapping(cf, i);
            uint8_t x[64], y[64];
            if (read_mem(&mem, m->start, x, sizeof x) != 0) continue;
            CHECK_EQ_INT(core_read(cf, m->start, y, sizeof y), sizeof y);
            CHECK_EQ_MEM(y, x, sizeof x);
        }
        core_close(cf);
    }
    if (mem.fd >= 0) close(mem.fd);
    // Killed while traced: its threads' exits are ours to reap (__WALL), the leader's last.
    kill(pid, SIGKILL);
    for (size_t i = 0; i < n; i++)
        if (th[i].tid != pid) waitpid(th[i].tid, NULL, __WALL);
    waitpid(pid, NULL, __WALL);
    // A bad path fails with a reason.
    err[0] = 0;
    CHECK_EQ_INT(core_write("/nonexistent-dir/x.core", getpid(), th, n, read_mem, &mem, err, sizeof err), -1);
    CHECK(err[0] != 0);
}

// gdb opens the written core: both threads, the crasher's main on the stack.
TEST(write_core_gdb)
{
    if (!g_wcore[0] || access(g_wcore, R_OK) != 0) return;
    if (system("command -v gdb >/dev/null 2>&1") != 0) {
        fprintf(stderr, "note: no gdb here: write_core_gdb checks nothing\n");
        return;
    }
    char cmd[1200];
    snprintf(cmd, sizeof cmd, "gdb -nx -batch -ex 'info threads' -ex bt %s %s 2>&1", g_prog, g_wcore);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    if (!p) return;
    char line[1024];
    int threads = 0, in_main = 0;
    while (fgets(line, sizeof line, p)) {
        if (strstr(line, "Thread ") || strstr(line, "LWP ")) threads++;
        if (strstr(line, " main ") && strstr(line, "crasher.c")) in_main = 1;
    }
    pclose(p);
    CHECK(threads >= 2);
    CHECK(in_main);
}

// ---------------------------------------------------------------- bad input

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    uint8_t *b = n > 0 ? malloc((size_t)n) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) { free(b); b = NULL; }
    fclose(f);
    *len = b ? (size_t)n : 0;
    return b;
}

// Every accessor and a few reads: nothing may crash whatever was opened.
static void exercise(CoreFile *cf)
{
    uint8_t buf[512];
    (void)core_warnings(cf); (void)core_pid(cf); (void)core_comm(cf); (void)core_args(cf);
    (void)core_siginfo(cf);
    for (size_t i = 0; i < core_nthreads(cf); i++) {
        const CoreThread *t = core_thread(cf, i);
        core_read(cf, t->regs.rsp, buf, sizeof buf);
        core_read(cf, t->regs.rip, buf, 16);
    }
    for (size_t i = 0; i < core_nmappings(cf) && i < 64; i++) {
        const CoreMapping *m = core_mapping(cf, i);
        core_read(cf, m->start, buf, sizeof buf);
        core_read(cf, m->end - 8, buf, 16);
        CHECK(core_mapping_at(cf, m->start) == m);
    }
    uint64_t v;
    core_auxv(cf, AT_ENTRY, &v);
}

typedef struct Layout { uint64_t phoff, phnum, note_off, note_sz, load_off; } Layout;

static Layout layout_of(const uint8_t *b, size_t n)
{
    Layout l = {0};
    const Elf64_Ehdr *eh = (const Elf64_Ehdr *)b;
    if (n < sizeof *eh) return l;
    l.phoff = eh->e_phoff;
    l.phnum = eh->e_phnum;
    for (uint64_t i = 0; i < l.phnum && l.phoff + (i + 1) * sizeof(Elf64_Phdr) <= n; i++) {
        Elf64_Phdr ph;
        memcpy(&ph, b + l.phoff + i * sizeof ph, sizeof ph);
        if (ph.p_type == PT_NOTE && !l.note_off) { l.note_off = ph.p_offset; l.note_sz = ph.p_filesz; }
        if (ph.p_type == PT_LOAD && ph.p_filesz && !l.load_off) l.load_off = ph.p_offset;
    }
    return l;
}

static void truncations(const char *path)
{
    size_t n;
    uint8_t *b = slurp(path, &n);
    CHECK(b != NULL);
    if (!b) return;
    Layout l = layout_of(b, n);
    CHECK(l.note_off && l.load_off);
    uint64_t cuts[] = {
        0, 3, 4, 20, 63,                                                // the ELF header
        64, l.phoff + 30, l.phoff + l.phnum * 56 / 2, l.phoff + l.phnum * 56 - 1,   // program headers
        l.note_off, l.note_off + 12, l.note_off + 100, l.note_off + 400,   // notes: first PRSTATUS
        l.note_off + l.note_sz / 2, l.note_off + l.note_sz - 1,
        l.load_off, l.load_off + 100, l.load_off + 5000, n / 2, n - 1,   // segments
    };
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        if (cuts[i] > n) continue;
        char err[256] = "";
        CoreFile *cf = core_open_mem(b, (size_t)cuts[i], err, sizeof err);
        if (!cf) {
            CHECK(err[0] != 0);
            // Cut before the notes: nothing is left to show.
            continue;
        }
        // What opens says what it lost.
        CHECK(core_warnings(cf)[0] != 0);
        if (cuts[i] >= l.note_off + l.note_sz) CHECK(strstr(core_warnings(cf), "truncated") != NULL);
        exercise(cf);
        core_close(cf);
    }
    // A cut inside the segments keeps the threads and says how many segments were lost.
    char err[256];
    CoreFile *cf = core_open_mem(b, n - 1, err, sizeof err);
    CHECK(cf != NULL);
    if (cf) {
        CHECK(core_nthreads(cf) >= 1);
        CHECK(strstr(core_warnings(cf), "memory segments lie past the end of the file") != NULL);
        core_close(cf);
    }
    // Cut in the ELF header: a reason.
    cf = core_open_mem(b, 40, err, sizeof err);
    CHECK(cf == NULL && strstr(err, "truncated"));
    cf = core_open_mem(b, 0, err, sizeof err);
    CHECK(cf == NULL && strstr(err, "not an ELF file"));
    free(b);
}

// Flips bits in the headers and the notes of a copy of the core (in place in a file, so
// that each try costs a few preads, not a copy of the core).
static void bitflips(const char *path)
{
    size_t n;
    uint8_t *b = slurp(path, &n);
    CHECK(b != NULL);
    if (!b) return;
    Layout l = layout_of(b, n);
    char copy[400];
    snprintf(copy, sizeof copy, "%s/flipped.core", g_dir);
    int fd = open(copy, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    CHECK(fd >= 0 && write(fd, b, n) == (ssize_t)n);
    uint64_t hdr_end = l.phoff + l.phnum * 56;
    uint64_t note_end = l.note_off + (l.note_sz < 6000 ? l.note_sz : 6000);
    uint32_t seed = 12345;
    int opened = 0, refused = 0;
    for (uint64_t off = 0; fd >= 0 && off < note_end && off < n; off++) {
        if (off >= hdr_end && off < l.note_off) continue;
        if (off >= l.note_off && off % 3) continue;       // every third byte of the notes
        seed = seed * 1103515245u + 12345u;
        uint8_t x = b[off] ^ ((uint8_t)(1u << ((seed >> 16) % 8)) | (off % 5 == 0 ? 0x80 : 0));
        if (pwrite(fd, &x, 1, (off_t)off) != 1) break;
        char err[256] = "";
        CoreFile *cf = core_open(copy, err, sizeof err);
        if (cf) { opened++; exercise(cf); core_close(cf); }
        else { refused++; CHECK(err[0] != 0); }
        if (pwrite(fd, &b[off], 1, (off_t)off) != 1) break;
    }
    if (fd >= 0) close(fd);
    unlink(copy);
    CHECK(opened > 0 && refused > 0);
    // Not a core: an executable.
    char err[256];
    size_t pn;
    uint8_t *prog = slurp(g_prog, &pn);
    CoreFile *cf = prog ? core_open_mem(prog, pn, err, sizeof err) : NULL;
    CHECK(prog && !cf && strstr(err, "not a core dump"));
    free(prog);
    free(b);
}

TEST(truncated_kernel_core)
{
    if (g_core[0]) truncations(g_core);
}

TEST(truncated_written_core)
{
    if (g_wcore[0] && access(g_wcore, R_OK) == 0) truncations(g_wcore);
}

TEST(bitflipped_cores)
{
    if (g_core[0]) bitflips(g_core);
    if (g_wcore[0] && access(g_wcore, R_OK) == 0) bitflips(g_wcore);
}

TEST(not_a_core)
{
    char err[256];
    CHECK(core_open("/nonexistent/core", err, sizeof err) == NULL && strstr(err, "cannot open"));
    CHECK(core_open("/proc", err, sizeof err) == NULL && strstr(err, "not a regular file"));
    CHECK(core_open_mem("hello", 5, err, sizeof err) == NULL && strstr(err, "not an ELF file"));
}

UNIT_MAIN()
