// test_native_ntcore.c — native views of a core dump (src/native/nt.c nt_open_core and
// nt_write_core, src/native/sym.c ns_new_static): a child of this test sleeps (/bin/sleep);
// the native tracer attaches (all-stop), reads its registers and unwinds it, writes a core of
// it with nt_write_core; the core opened again (core_open + nt_open_core) gives the same
// threads, registers (FP/SSE too) and stack, its modules come from the core's NT_FILE, and
// whatever needs a live process is refused.
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>
#include <unistd.h>

#include "native/core.h"
#include "native/nt.h"
#include "unit.h"

// The child: /bin/sleep (a plain program: this test binary, built with ASan, maps terabytes
// of shadow memory, no fit for a core), waited for until it sleeps in the C library.
static int child_sleeping(pid_t pid)
{
    char path[64], exe[4096], buf[512];
    snprintf(path, sizeof path, "/proc/%d/exe", (int)pid);
    ssize_t n = readlink(path, exe, sizeof exe - 1);
    if (n <= 0) return 0;
    exe[n] = 0;
    if (!strstr(exe, "sleep")) return 0;
    snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
    FILE *f = fopen(path, "r");
    if (!f) return 0;
    size_t got = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[got] = 0;
    const char *rp = strrchr(buf, ')');
    return rp && rp[1] == ' ' && rp[2] == 'S';
}

// Events of the live tracer: the attach's interrupt is waited for.
static pthread_mutex_t ev_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t ev_cv = PTHREAD_COND_INITIALIZER;
static int ev_interrupts;

static void sink(void *ctx, const NtEvent *ev)
{
    (void)ctx;
    pthread_mutex_lock(&ev_mu);
    if (ev->kind == NT_EV_INTERRUPT) ev_interrupts++;
    pthread_cond_broadcast(&ev_cv);
    pthread_mutex_unlock(&ev_mu);
}

static int wait_interrupt(void)
{
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += 30;
    pthread_mutex_lock(&ev_mu);
    while (!ev_interrupts)
        if (pthread_cond_timedwait(&ev_cv, &ev_mu, &dl) == ETIMEDOUT) break;
    int got = ev_interrupts;
    pthread_mutex_unlock(&ev_mu);
    return got;
}

enum { MAXF = 64 };

static NsRegs ns_of(const NtRegs *r)
{
    return (NsRegs){ .rax = r->rax, .rdx = r->rdx, .rcx = r->rcx, .rbx = r->rbx, .rsi = r->rsi, .rdi = r->rdi,
                     .rbp = r->rbp, .rsp = r->rsp, .r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11,
                     .r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rip = r->rip };
}

static int unwind(NtProc *p, const NtRegs *r, NsFrame *f)
{
    NsRegs nr = ns_of(r);
    NsSpace *sp = nt_sym_lock(p);
    int n = sp ? ns_unwind(sp, &nr, f, MAXF) : 0;
    nt_sym_unlock(p);
    return n;
}

TEST(nt_write_core_reads_back_as_the_live_process)
{
    pid_t pid = fork();
    if (pid == 0) {
        execl("/bin/sleep", "sleep", "1000", (char *)NULL);
        _exit(127);
    }
    CHECK(pid > 0);
    if (pid <= 0) return;
    // a deadline, not a pause: it goes on as soon as the child sleeps
    for (int i = 0; i < 30000 && !child_sleeping(pid); i++) usleep(1000);
    CHECK(child_sleeping(pid));
    NtProc *live = nt_new(NT_NATIVE, sink, NULL);
    CHECK(live != NULL);
    char err[256] = "";
    int rc = live ? nt_attach(live, pid, err, sizeof err) : -1;
    if (rc != 0) fprintf(stderr, "attach: %s\n", err);
    CHECK_EQ_INT(rc, 0);
    CHECK(rc == 0 && wait_interrupt() == 1);

    // The live view: registers, stack (in the C library's sleep, called by sleep's main).
    NtRegs lr;
    memset(&lr, 0, sizeof lr);
    CHECK_EQ_INT(nt_get_regs(live, pid, &lr), 0);
    NsFrame lf[MAXF];
    int ln = unwind(live, &lr, lf);
    CHECK(ln >= 2);
    CHECK(ln >= 1 && strncmp(lf[0].where.module, "libc.so", 7) == 0);

    char path[] = "/tmp/cordbg-ntcore-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    if (fd >= 0) close(fd);
    err[0] = 0;
    rc = nt_write_core(live, path, err, sizeof err);
    if (rc != 0) fprintf(stderr, "nt_write_core: %s\n", err);
    CHECK_EQ_INT(rc, 0);

    // The core: same threads, registers, stack.
    CoreFile *cf = core_open(path, err, sizeof err);
    if (!cf) fprintf(stderr, "core_open: %s\n", err);
    CHECK(cf != NULL);
    NtProc *dead = cf ? nt_open_core(cf, NT_NATIVE) : NULL;
    CHECK(dead != NULL);
    if (dead) {
        CHECK(nt_is_core(dead));
        CHECK(!nt_is_core(live));
        CHECK_EQ_INT(nt_pid(dead), pid);
        NtThreadInfo *ti = NULL;
        size_t nt = 0;
        CHECK_EQ_INT(nt_threads(dead, &ti, &nt), 0);
        CHECK_EQ_INT((int)nt, 1);
        CHECK(nt >= 1 && ti[0].tid == pid && ti[0].stopped && ti[0].pc == lr.rip);
        free(ti);

        NtRegs cr;
        memset(&cr, 0, sizeof cr);
        CHECK_EQ_INT(nt_get_regs(dead, pid, &cr), 0);
        CHECK(cr.rip == lr.rip && cr.rsp == lr.rsp && cr.rbp == lr.rbp && cr.rax == lr.rax && cr.r15 == lr.r15);
        CHECK(cr.fs_base == lr.fs_base && cr.eflags == lr.eflags);
        CHECK_EQ_MEM(cr.xmm, lr.xmm, sizeof cr.xmm);
        CHECK(cr.mxcsr == lr.mxcsr && cr.fcw == lr.fcw);
        CHECK(nt_get_regs(dead, pid + 100000, &cr) != 0);

        NsFrame cf_[MAXF];
        int cn = unwind(dead, &cr, cf_);
        CHECK_EQ_INT(cn, ln);
        for (int i = 0; i < cn && i < ln; i++) {
            CHECK(cf_[i].pc == lf[i].pc && cf_[i].cfa == lf[i].cfa);
            CHECK_EQ_STR(cf_[i].where.func, lf[i].where.func);
        }

        // Memory as the live process has it (its stack's top).
        uint8_t a[64], b[64];
        CHECK_EQ_INT(nt_read_mem(live, lr.rsp, a, sizeof a), 0);
        CHECK_EQ_INT(nt_read_mem(dead, lr.rsp, b, sizeof b), 0);
        CHECK_EQ_MEM(a, b, sizeof a);

        // Modules from the core's NT_FILE: the program and the C library, by path.
        NsSpace *sp = nt_sym_lock(dead);
        NsModuleInfo *mods = NULL;
        size_t nm = 0;
        CHECK(sp && ns_modules(sp, &mods, &nm) == 0);
        nt_sym_unlock(dead);
        int self = 0, libc = 0, vdso = 0;
        char exe[4096], link[64];
        snprintf(link, sizeof link, "/proc/%d/exe", (int)pid);
        ssize_t el = readlink(link, exe, sizeof exe - 1);
        exe[el > 0 ? el : 0] = 0;
        for (size_t i = 0; i < nm; i++) {
            if (strcmp(mods[i].path, exe) == 0) self = 1;
            if (strncmp(mods[i].name, "libc.so", 7) == 0) libc = 1;
            if (strcmp(mods[i].name, "[vdso]") == 0 && mods[i].has_symtab) vdso = 1;   // read from the core
        }
        free(mods);
        CHECK(self && libc && vdso);
        CHECK(!nt_is_runtime_code(dead, lr.rip));

        // Refused: nothing runs in a core.
        err[0] = 0;
        CHECK(nt_break_add(dead, 1, NULL, "nanosleep", NULL, 0, err, sizeof err) < 0);
        CHECK(strstr(err, "core dump") != NULL);
        err[0] = 0;
        CHECK(nt_step(dead, pid, 'i', err, sizeof err) < 0 && strstr(err, "core dump"));
        CHECK(nt_resume(dead, 0) < 0);
        CHECK(nt_interrupt(dead) < 0);
        CHECK(nt_kill(dead) < 0);
        CHECK(nt_detach(dead) < 0);
        CHECK(nt_set_reg(dead, pid, "rax", 1) < 0);
        CHECK(nt_write_mem(dead, lr.rsp, a, 8) < 0);
        CHECK(nt_watch_add(dead, 2, lr.rsp & ~7ull, 8, 'w', err, sizeof err) < 0);
        CHECK(nt_write_core(dead, path, err, sizeof err) < 0);
        nt_free(dead);
    }
    if (cf) core_close(cf);
    if (!getenv("NTCORE_KEEP")) unlink(path); else fprintf(stderr, "core kept: %s\n", path);

    // The live process ran on after the core was written? In native mode it stays stopped
    // (it was stopped by the attach): nt_write_core stops only what ran, resumes only that.
    NtRegs again;
    CHECK_EQ_INT(nt_get_regs(live, pid, &again), 0);
    CHECK(again.rip == lr.rip);
    if (live) { nt_kill(live); nt_free(live); }
}

UNIT_MAIN()
