/* Post-mortem sessions: a core dump opened as a process stopped for good (issue 23).
 *
 *   REQ_OPEN_CORE: core_open → the runtime the core maps (libcoreclr.so's folder here, else an
 *   installed runtime of the same version) → its right side opened over a data target on the
 *   core (OpenVirtualProcessImpl2) → threads and modules registered as a live session has
 *   them → the crash moment as an EN_STOPPED (the thread with a current exception at its
 *   first user frame: ENG_STOP_UNHANDLED; else the thread that got the signal).
 *   A core with no libcoreclr.so mapped: native views only (native_core_begin).
 *   core_session_end closes it all (next run, attach, open, or the session's end).
 * While s->core is set, core_refuse answers what needs a running process. */
#include "engine/internal.h"
#include "clr/datatarget.h"
#include "native/core.h"
#include "base/log.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static size_t dt_read(void *ctx, uint64_t addr, void *buf, size_t len)
{
    return core_read(ctx, addr, buf, len);
}

/* The Windows-layout AMD64 CONTEXT (winnt.h) of a core thread's registers. */
static int dt_context(void *ctx, uint32_t tid, uint8_t *c)
{
    const CoreThread *t = core_thread_by_tid(ctx, (int)tid);
    if (!t) return -1;
    const NtRegs *r = &t->regs;
    uint32_t flags = 0x0010001F;    /* CONTEXT_AMD64 | CONTROL | INTEGER | SEGMENTS | FLOATING_POINT | DEBUG */
    memcpy(c + 0x30, &flags, 4);
    memcpy(c + 0x34, &r->mxcsr, 4);
    uint16_t seg[6] = { (uint16_t)r->cs, (uint16_t)r->ds, (uint16_t)r->es, (uint16_t)r->fs, (uint16_t)r->gs, (uint16_t)r->ss };
    memcpy(c + 0x38, seg, sizeof seg);
    uint32_t ef = (uint32_t)r->eflags;
    memcpy(c + 0x44, &ef, 4);
    /* rax rcx rdx rbx rsp rbp rsi rdi r8..r15 rip */
    uint64_t gp[17] = { r->rax, r->rcx, r->rdx, r->rbx, r->rsp, r->rbp, r->rsi, r->rdi,
                        r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->rip };
    memcpy(c + 0x78, gp, sizeof gp);
    if (t->has_fpregs) {            /* FltSave (XMM_SAVE_AREA32) */
        memcpy(c + 0x100, &r->fcw, 2);
        memcpy(c + 0x102, &r->fsw, 2);
        c[0x104] = (uint8_t)r->ftw;
        memcpy(c + 0x106, &r->fop, 2);
        memcpy(c + 0x118, &r->mxcsr, 4);
        memcpy(c + 0x120, r->st, sizeof r->st);
        memcpy(c + 0x1a0, r->xmm, sizeof r->xmm);
    }
    return 0;
}

/* libcoreclr.so's mapping at file offset 0 in the core, or NULL. */
static const CoreMapping *coreclr_mapping(CoreFile *cf)
{
    for (size_t i = 0; i < core_nmappings(cf); i++) {
        const CoreMapping *m = core_mapping(cf, i);
        const char *b = m->path ? strrchr(m->path, '/') : NULL;
        if (b && strcmp(b + 1, "libcoreclr.so") == 0 && m->offset == 0) return m;
    }
    return NULL;
}

static int has_dbi(const char *dir)
{
    char p[1200];
    snprintf(p, sizeof p, "%s/libmscordbi.so", dir);
    if (access(p, R_OK) != 0) return 0;
    snprintf(p, sizeof p, "%s/libmscordaccore.so", dir);
    return access(p, R_OK) == 0;
}

/* The runtime folder on this machine for the one the core ran on (its folder: dir, its
 * version: ver, "" when unknown): that folder, else a folder of the same version beside the
 * installed runtimes, else the program's own folder (self-contained). 0, or -1. */
static int find_runtime(const char *dir, const char *ver, const char *program_dir, char *out, size_t cap)
{
    if (has_dbi(dir)) { snprintf(out, cap, "%s", dir); return 0; }
    char def[512];
    if (ver[0] && clr_default_runtime_dir(def, sizeof def) == 0) {
        char *slash = strrchr(def, '/');
        if (slash) {
            *slash = 0;
            snprintf(out, cap, "%s/%s", def, ver);
            if (has_dbi(out)) return 0;
        }
    }
    if (program_dir && program_dir[0] && has_dbi(program_dir)) {
        char p[1200];
        snprintf(p, sizeof p, "%s/libcoreclr.so", program_dir);
        if (access(p, R_OK) == 0) { snprintf(out, cap, "%s", program_dir); return 0; }
    }
    return -1;
}

static void end_views(EngSession *s)
{
    vars_clear(s);
    native_end(s);
}

void core_session_end(EngSession *s)
{
    if (!s->core) return;
    end_views(s);
    eng_core_release_tables(s);
    if (s->process) { s->process->lpVtbl->Release(s->process); s->process = NULL; }
    clr_dt_release(s->core_dt);
    s->core_dt = NULL;
    core_close(s->core);
    s->core = NULL;
    s->funceval = s->core_saved_funceval;
    s->pid = 0;
    pthread_mutex_lock(&s->mu);
    s->public_core = 0;
    s->public_pid = 0;
    pthread_mutex_unlock(&s->mu);
    eng_set_state(s, ENG_NONE);
}

/* Every module of every app domain, registered as the live session's load events do. */
static void register_modules(EngSession *s)
{
    ICorDebugAppDomainEnum *ade = NULL;
    if (FAILED(s->process->lpVtbl->EnumerateAppDomains(s->process, &ade)) || !ade) return;
    ICorDebugAppDomain *ad;
    ULONG got;
    while (ade->lpVtbl->Next(ade, 1, &ad, &got) == S_OK && got == 1) {
        ICorDebugAssemblyEnum *ae = NULL;
        if (SUCCEEDED(ad->lpVtbl->EnumerateAssemblies(ad, &ae)) && ae) {
            ICorDebugAssembly *as;
            while (ae->lpVtbl->Next(ae, 1, &as, &got) == S_OK && got == 1) {
                ICorDebugModuleEnum *me = NULL;
                if (SUCCEEDED(as->lpVtbl->EnumerateModules(as, &me)) && me) {
                    ICorDebugModule *m;
                    while (me->lpVtbl->Next(me, 1, &m, &got) == S_OK && got == 1) {
                        eng_core_add_module(s, m);
                        m->lpVtbl->Release(m);
                    }
                    me->lpVtbl->Release(me);
                }
                as->lpVtbl->Release(as);
            }
            ae->lpVtbl->Release(ae);
        }
        ad->lpVtbl->Release(ad);
    }
    ade->lpVtbl->Release(ade);
}

static void register_threads(EngSession *s)
{
    ICorDebugThreadEnum *te = NULL;
    HRESULT hr = s->process->lpVtbl->EnumerateThreads(s->process, &te);
    if (FAILED(hr) || !te) { log_msg(LOG_INFO, "dump", "EnumerateThreads: 0x%08x", (unsigned)hr); return; }
    ICorDebugThread *t;
    ULONG got;
    while (te->lpVtbl->Next(te, 1, &t, &got) == S_OK && got == 1) {
        eng_core_add_thread(s, t);
        t->lpVtbl->Release(t);
    }
    te->lpVtbl->Release(te);
}

/* PROGRAM against the dump: a module of the same file name whose PE headers in the dump are
 * the file's. A warning when not (another program, or rebuilt since). */
static void check_program(EngSession *s, const char *program)
{
    const char *b = strrchr(program, '/');
    b = b ? b + 1 : program;
    char want[512];
    size_t bl = strlen(b);
    if (bl > 4 && strcmp(b + bl - 4, ".dll") == 0) snprintf(want, sizeof want, "%s", b);
    else snprintf(want, sizeof want, "%s.dll", b);      /* an apphost runs NAME.dll */
    char dll[4096];
    snprintf(dll, sizeof dll, "%s", program);
    if (!(bl > 4 && strcmp(b + bl - 4, ".dll") == 0)) snprintf(dll, sizeof dll, "%s.dll", program);
    for (size_t i = 0; i < s->nmodules; i++) {
        Module *m = &s->modules[i];
        const char *mb = m->path ? strrchr(m->path, '/') : NULL;
        if (!mb || strcmp(mb + 1, want) != 0) continue;
        CORDB_ADDRESS base = 0;
        uint8_t core_hdr[512], file_hdr[512];
        FILE *f = fopen(dll, "rb");
        size_t got = f ? fread(file_hdr, 1, sizeof file_hdr, f) : 0;
        if (f) fclose(f);
        if (SUCCEEDED(m->m->lpVtbl->GetBaseAddress(m->m, &base)) && base && got == sizeof file_hdr &&
            core_read(s->core, base, core_hdr, sizeof core_hdr) == sizeof core_hdr &&
            memcmp(core_hdr, file_hdr, sizeof core_hdr) != 0) {
            char note[1200];
            snprintf(note, sizeof note, "warning: %s does not match the dump's %s (built again since?): "
                     "its source lines may be wrong", dll, m->path);
            EngNotice n = { .kind = EN_NOTE, .message = note };
            eng_notify(s, &n);
        }
        return;
    }
    char note[1200];
    snprintf(note, sizeof note, "warning: %s is not a module of this dump (it ran another program): PROGRAM is not used", want);
    EngNotice n = { .kind = EN_NOTE, .message = note };
    eng_notify(s, &n);
}

static int has_exception(ICorDebugThread *t)
{
    ICorDebugValue *v = NULL;
    if (FAILED(t->lpVtbl->GetCurrentException(t, &v)) || !v) return 0;
    v->lpVtbl->Release(v);
    return 1;
}

/* The crash moment: the stop notice, and the thread and frame selected. */
static void crash_stop(EngSession *s)
{
    Thread *exc = NULL, *sig = NULL;
    CoreSigInfo si = core_siginfo(s->core);
    const CoreThread *first = core_nthreads(s->core) ? core_thread(s->core, 0) : NULL;
    for (size_t i = 0; i < s->nthreads; i++) {
        if (!exc && has_exception(s->threads[i].t)) exc = &s->threads[i];
        if (!sig && first && s->threads[i].tid == (uint32_t)first->tid) sig = &s->threads[i];
    }
    Thread *th = exc ? exc : sig ? sig : s->nthreads ? &s->threads[0] : NULL;
    if (th) {
        /* What the right side offers without a live process (the log says; stack.c falls
         * back to the V3 walk where the V2 chains fail). */
        ICorDebugChainEnum *ce = NULL;
        ICorDebugFrame *af = NULL;
        HRESULT h1 = th->t->lpVtbl->EnumerateChains(th->t, &ce);
        HRESULT h2 = th->t->lpVtbl->GetActiveFrame(th->t, &af);
        log_msg(LOG_INFO, "dump", "thread %u: EnumerateChains 0x%08x, GetActiveFrame 0x%08x%s", (unsigned)th->tid,
                (unsigned)h1, (unsigned)h2, af ? "" : " (no frame)");
        if (ce) ce->lpVtbl->Release(ce);
        if (af) af->lpVtbl->Release(af);
    }
    if (!th) {
        eng_set_state(s, ENG_STOPPED);
        EngNotice n = { .kind = EN_STOPPED, .reason = ENG_STOP_SIGNAL, .exception = si.signo ? nt_signal_name(si.signo) : NULL };
        eng_notify(s, &n);
        return;
    }
    /* The throwing frame: the first frame in the user's code (the runtime's failure path
     * and the framework's throw helpers are above it). */
    Where w;
    int have = eng_where_thread(s, th->t, 1, &w) == 0;
    int frame = 0;
    if (have) {
        EngFrameInfo *fr = NULL;
        size_t n = 0;
        if (eng_stack(s, th->t, 0, 0, &fr, &n) == 0) {
            int managed = -1;
            for (size_t i = 0; i < n; i++) {
                if (fr[i].kind == ENG_FRAME_USER && fr[i].line) { frame = (int)i; managed = -1; break; }
                if (managed < 0 && (fr[i].kind == ENG_FRAME_USER || fr[i].kind == ENG_FRAME_EXTERNAL)) managed = (int)i;
            }
            /* No user frame left (an async method's exception rethrown at an await): the
             * first managed frame, where locals can be read. */
            if (managed > 0) frame = managed;
            free(fr);
        }
    }
    char type[512] = "", msg[4096] = "";
    if (exc) {
        /* The message, then where it was thrown as the exception recorded it (its frames may
         * be gone: an async method's exception is rethrown by the awaiter). */
        eng_exception_info(s, th->t, type, sizeof type, msg, 1024);
        ICorDebugValue *v = NULL;
        if (SUCCEEDED(th->t->lpVtbl->GetCurrentException(th->t, &v)) && v) {
            char st[3000];
            size_t ml = strlen(msg);
            if (eng_exception_stack(s, v, st, sizeof st) && ml + 2 < sizeof msg)
                snprintf(msg + ml, sizeof msg - ml, "\n%s", st);
            v->lpVtbl->Release(v);
        }
    }
    eng_core_stop(s, exc ? ENG_STOP_UNHANDLED : ENG_STOP_SIGNAL, th->t, have ? &w : NULL, frame,
                  exc ? type : si.signo ? nt_signal_name(si.signo) : NULL,
                  exc ? msg : si.signo ? nt_signal_meaning(si.signo) : NULL);
}

void core_session_request(EngSession *s, Request *rq)
{
    const char *path = rq->arg.open_core.core, *program = rq->arg.open_core.program;
    char err[1024];
    if (s->state != ENG_NONE) eng_core_end_process(s);
    CoreFile *cf = core_open(path, err, sizeof err);
    if (!cf) { eng_fail(rq, "%s", err); return; }
    s->core = cf;
    s->core_saved_funceval = s->funceval;
    s->funceval = 0;        /* nothing runs in a dump: values show their fields */
    const char *warn = core_warnings(cf);
    if (warn && warn[0]) { EngNotice n = { .kind = EN_NOTE, .message = warn }; eng_notify(s, &n); }
    s->pid = core_pid(cf);
    pthread_mutex_lock(&s->mu);
    s->public_core = 1;
    s->public_pid = s->pid;
    pthread_mutex_unlock(&s->mu);
    char program_dir[1024] = "";
    if (program) {
        char real[4096];
        if (!realpath(program, real)) {
            eng_fail(rq, "%s: no such program", program);
            core_session_end(s);
            return;
        }
        snprintf(program_dir, sizeof program_dir, "%s", real);
        char *sl = strrchr(program_dir, '/');
        if (sl) *sl = 0;
    }
    CoreSigInfo si = core_siginfo(cf);
    const CoreMapping *clr = coreclr_mapping(cf);
    char what[1500];
    const char *comm = core_comm(cf);
    const char *args = core_args(cf);
    int wl = snprintf(what, sizeof what, "core of process %d (%s)", s->pid, args && args[0] ? args : comm ? comm : "?");
    if (si.signo) wl += snprintf(what + wl, sizeof what - (size_t)wl, ": killed by signal %d", si.signo);
    if (!clr) {
        /* Not a .NET process: the native views. */
        s->mode = ENG_MODE_NATIVE;
        if (native_core_begin(s, err, sizeof err) != 0) {
            eng_fail(rq, "%s: not a .NET process (no libcoreclr.so mapped), and %s", path, err);
            core_session_end(s);
            return;
        }
        eng_set_state(s, ENG_STOPPED);
        snprintf(what + wl, sizeof what - (size_t)wl, ", no .NET runtime: native views only");
        snprintf(rq->res->message, sizeof rq->res->message, "%s", what);
        EngNotice n = { .kind = EN_STOPPED, .reason = ENG_STOP_SIGNAL,
                        .exception = si.signo ? nt_signal_name(si.signo) : NULL,
                        .message = si.signo ? nt_signal_meaning(si.signo) : NULL, .thread_id = s->current_thread, .tid = (uint32_t)s->nstop.tid };
        eng_notify(s, &n);
        return;
    }
    /* The runtime: libcoreclr.so's folder names its version (…/Microsoft.NETCore.App/10.0.12/). */
    char dir[1024], ver[64] = "", rtdir[1024];
    snprintf(dir, sizeof dir, "%s", clr->path);
    char *sl = strrchr(dir, '/');
    if (sl) *sl = 0;
    const char *last = strrchr(dir, '/');
    last = last ? last + 1 : dir;
    if (last[0] >= '0' && last[0] <= '9') snprintf(ver, sizeof ver, "%s", last);
    if (find_runtime(dir, ver, program_dir, rtdir, sizeof rtdir) != 0) {
        if (ver[0]) eng_fail(rq, "the dump's runtime is .NET %s (%s), which is not installed here: install that version, "
                             "or give the self-contained program as PROGRAM", ver, dir);
        else eng_fail(rq, "the dump's runtime (%s) is not on this machine: give the self-contained program as PROGRAM", dir);
        core_session_end(s);
        return;
    }
    s->runtime_major = atoi(ver[0] ? ver : last);
    if (clr_dbi_load(&s->dbi, rtdir, err, sizeof err) != 0) { eng_fail(rq, "%s", err); core_session_end(s); return; }
    ClrDataTargetOps ops = { dt_read, dt_context, cf };
    s->core_dt = clr_dt_new(&ops, program_dir);
    char dac[1200];
    snprintf(dac, sizeof dac, "%s/libmscordaccore.so", rtdir);
    if (!s->core_dt || clr_dt_open_process(&s->dbi, s->core_dt, clr->start, dac, &s->process, err, sizeof err) != 0) {
        eng_fail(rq, "%s", s->core_dt ? err : "out of memory");
        core_session_end(s);
        return;
    }
    /* The native side over the core too: registers, memory, disassembly and libraries in
     * every mode; native frames in the stacks in mixed mode. Without it the managed views
     * stand alone. */
    if (native_core_begin(s, err, sizeof err) != 0) {
        char note[1200];
        snprintf(note, sizeof note, "native views of the core are not available: %s", err);
        EngNotice n = { .kind = EN_NOTE, .message = note };
        eng_notify(s, &n);
    }
    s->nstop.active = 0;            /* a managed stop: its views are the right side's */
    register_modules(s);
    register_threads(s);
    if (program) check_program(s, program);
    wl += snprintf(what + wl, sizeof what - (size_t)wl, ", runtime %s", ver[0] ? ver : rtdir);
    snprintf(rq->res->message, sizeof rq->res->message, "%s", what);
    crash_stop(s);
}

/* A managed core: the native side answers only its own views (the rest are the right side's
 * over the core, not a native stop's). */
int core_native_request(EngSession *s, Request *rq)
{
    if (!s->core || !s->process) return 1;
    switch (rq->kind) {
    case REQ_REGS: case REQ_MEMORY: case REQ_DISASM: case REQ_SHLIBS: case REQ_MODE: return 1;
    default: return 0;
    }
}

/* What a core session cannot do. 1 when rq was refused (failed). */
int core_refuse(EngSession *s, Request *rq)
{
    if (!s->core) return 0;
    switch (rq->kind) {
    case REQ_CONTINUE: case REQ_STEP: case REQ_JUMP: case REQ_PAUSE:
        eng_fail(rq, "this is a core dump: the process is not running (quit, or open another)");
        return 1;
    case REQ_KILL: case REQ_DETACH:
        eng_fail(rq, "this is a core dump: there is no process to end (quit, or open another)");
        return 1;
    case REQ_BREAK: case REQ_WATCH:
        eng_fail(rq, "this is a core dump: breakpoints need a running process");
        return 1;
    case REQ_SET_VALUE: case REQ_SET_REG: case REQ_ENC_APPLY: case REQ_ENC_COMMIT:
        eng_fail(rq, "this is a core dump: nothing in it can be changed");
        return 1;
    case REQ_CALL_INJECTED:
        eng_fail(rq, "cannot call functions in a core dump: values show their fields");
        return 1;
    case REQ_RUN: case REQ_ATTACH: case REQ_SHUTDOWN: case REQ_TERMINATE:
        core_session_end(s);
        return 0;
    default:
        return 0;
    }
}
