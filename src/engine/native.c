/* The native side of a session (mixed and native modes): the tracer (native/nt.h) started
 * with the process, its events turned into stops, and what a native stop answers: continue,
 * steps, call stacks, registers, memory, disassembly, native breakpoints.
 *
 * Stops in mixed mode (DESIGN.md: one "stopped" state whichever side stopped):
 *   native event on thread T ─▶ T frozen by the tracer; ICorDebug Stop() synchronizes the
 *       managed threads (T is in native code: preemptive, so Stop does not wait for it)
 *       ─▶ STOPPED (nstop.active). Continue: ICorDebug Continue, then the tracer resumes.
 *       The tracer never freezes a thread the runtime's own code brought to a user
 *       breakpoint (nt.c, hit_by_runtime). Stop is bounded all the same (stopper.c): if T
 *       holds what the runtime needs, the stop shows the native view only ("late"), and
 *       continuing it lets T go and leaves the late Stop's answer to be continued.
 *   managed event ─▶ synchronized; no thread frozen; native registers read by a brief
 *       interrupt of the thread. A native event meanwhile waits (nt_pending) and becomes the
 *       next stop instead of running.
 * Steps that cross worlds:
 *   managed step into a P/Invoke ─▶ one-shot int3s at every user native function (the
 *       tracer's step targets, on the stepping thread only); the first hit ends the step.
 *   native finish/step returning into managed code ─▶ a managed breakpoint at the managed
 *       caller's return address (ICorDebugCode::CreateBreakpoint at a native offset). */
#include "engine/internal.h"
#include "base/log.h"
#include "base/strbuf.h"
#include "native/core.h"
#include "native/disasm.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---------------------------------------------------------------- events in */

static void sink(void *ctx, const NtEvent *ev)
{
    EngSession *s = ctx;
    ClrEvent *ce = clr_event_new(CE_NATIVE);
    NtEvent *copy = malloc(sizeof *copy);
    if (!ce || !copy) { free(copy); clr_event_free(ce); return; }
    *copy = *ev;
    ce->aux = copy;
    eng_post_event(s, ce, 1);
}

int native_thread_id(EngSession *s, uint32_t tid)
{
    for (size_t i = 0; i < s->nthreads; i++) if (s->threads[i].tid == tid) return s->threads[i].id;
    for (size_t i = 0; i < s->nnthr; i++) if (s->nthr[i].tid == tid) return s->nthr[i].id;
    if (!GROW(s->nthr, s->nnthr, s->cap_nthr)) return 0;
    s->nthr[s->nnthr] = (struct NThread){ ++s->next_thread_id, tid };
    return s->nthr[s->nnthr++].id;
}

static uint32_t tid_of_id(EngSession *s, int id)
{
    for (size_t i = 0; i < s->nthreads; i++) if (s->threads[i].id == id) return s->threads[i].tid;
    for (size_t i = 0; i < s->nnthr; i++) if (s->nthr[i].id == id) return s->nthr[i].tid;
    return 0;
}

/* The OS thread the user is looking at. */
static uint32_t selected_tid(EngSession *s)
{
    if (s->current_thread) { uint32_t t = tid_of_id(s, s->current_thread); if (t) return t; }
    if (s->nstop.active) return (uint32_t)s->nstop.tid;
    return (uint32_t)s->pid;
}

/* "compute+0x14 (libnative.so)", file and line of a native address. */
static void describe_addr(EngSession *s, uint64_t pc, int is_return, EngFrameInfo *fi)
{
    NsWhere w;
    memset(&w, 0, sizeof w);
    NsSpace *sp = nt_sym_lock(s->nt);
    int known = sp ? ns_where(sp, is_return ? pc - 1 : pc, &w) : 0;
    nt_sym_unlock(s->nt);
    fi->kind = ENG_FRAME_NATIVE;
    uint64_t off = is_return && w.func[0] ? pc - w.func_start : w.offset;
    if (w.func[0] && known) snprintf(fi->function, sizeof fi->function, "%s+0x%" PRIx64 " (%s)", w.func, off, w.module);
    else if (known) snprintf(fi->function, sizeof fi->function, "0x%016" PRIx64 " (%s)", pc, w.module);
    else snprintf(fi->function, sizeof fi->function, "0x%016" PRIx64 " [no module]", pc);
    if (w.line) {
        snprintf(fi->file, sizeof fi->file, "%s", w.file);
        fi->line = w.line;
    }
}

void native_describe_frame(EngSession *s, const NsFrame *nf, EngFrameInfo *fi)
{
    int index = fi->index;
    memset(fi, 0, sizeof *fi);
    fi->index = index;
    describe_addr(s, nf->pc, index > 0 && nf->where.module_id && nf->pc != nf->where.func_start, fi);
    fi->ip = nf->pc;
}

static void regs_to_ns(const NtRegs *r, NsRegs *o)
{
    *o = (NsRegs){ .rax = r->rax, .rdx = r->rdx, .rcx = r->rcx, .rbx = r->rbx, .rsi = r->rsi, .rdi = r->rdi,
                   .rbp = r->rbp, .rsp = r->rsp, .r8 = r->r8, .r9 = r->r9, .r10 = r->r10, .r11 = r->r11,
                   .r12 = r->r12, .r13 = r->r13, .r14 = r->r14, .r15 = r->r15, .rip = r->rip };
}

/* Native frames from registers, up to (not including) the first address no module covers. */
static int unwind_from(EngSession *s, const NsRegs *regs, NsFrame **out)
{
    enum { MAX = 256 };
    NsFrame *f = calloc(MAX, sizeof *f);
    if (!f) return 0;
    NsSpace *sp = nt_sym_lock(s->nt);
    int n = sp ? ns_unwind(sp, regs, f, MAX) : 0;
    nt_sym_unlock(s->nt);
    int k = 0;
    while (k < n && f[k].where.module_id) k++;
    if (k == 0 && n > 0) k = 1;       /* the top frame always shows, even in jitted code */
    *out = f;
    return k;
}

int native_frames_from_regs(EngSession *s, const NtRegs *r, NsFrame **out)
{
    *out = NULL;
    if (!s->nt || !r) return 0;
    NsRegs nr;
    regs_to_ns(r, &nr);
    return unwind_from(s, &nr, out);
}

/* AMD64 CONTEXT offsets (winnt.h): what ICorDebugRegisterSet::GetThreadContext fills. */
enum { CTX_SIZE = 1232, CTX_RAX = 0x78, CTX_RCX = 0x80, CTX_RDX = 0x88, CTX_RBX = 0x90, CTX_RSP = 0x98,
       CTX_RBP = 0xa0, CTX_RSI = 0xa8, CTX_RDI = 0xb0, CTX_R8 = 0xb8, CTX_RIP = 0xf8 };

static uint64_t ctx_u64(const uint8_t *c, size_t off) { uint64_t v; memcpy(&v, c + off, 8); return v; }

/* Which registers of a frame could be had (those that could not are shown as such, never
 * as 0): cs and ss, the other segment registers with fs_base and gs_base, the x87/SSE state. */
typedef struct RegAvail { int eflags, cs_ss, seg, fp; } RegAvail;

/* The integer registers, rip and eflags of an ICorDebug register set (its CONTEXT), and
 * what else it has (av, may be NULL): the runtime fills cs, ss and the FP/SSE save area
 * (FltSave) only for the frame it stopped in, and never fs_base or gs_base. 0, or -1. */
static int regs_from_register_set(ICorDebugRegisterSet *rs, NtRegs *out, RegAvail *av)
{
    uint8_t ctx[CTX_SIZE];
    memset(ctx, 0, sizeof ctx);
    uint32_t flags = 0x0010000F;         /* CONTEXT_AMD64 | CONTROL | INTEGER | SEGMENTS | FLOATING_POINT */
    memcpy(ctx + 0x30, &flags, 4);
    if (FAILED(rs->lpVtbl->GetThreadContext(rs, CTX_SIZE, ctx)) || !ctx_u64(ctx, CTX_RIP)) return -1;
    memset(out, 0, sizeof *out);
    if (av) {
        memset(av, 0, sizeof *av);
        uint32_t got;
        uint16_t seg_cs, seg_ss, fcw;
        memcpy(&got, ctx + 0x30, 4);
        memcpy(&seg_cs, ctx + 0x38, 2);
        memcpy(&seg_ss, ctx + 0x42, 2);
        memcpy(&fcw, ctx + 0x100, 2);    /* FltSave.ControlWord: never 0 once filled (0x37f) */
        if (seg_cs && seg_ss) {
            av->cs_ss = av->eflags = 1;   /* the frame stopped in: its flags are real too */
            out->cs = seg_cs;
            out->ss = seg_ss;
        }
        if ((got & 0x8) && fcw) {
            av->fp = 1;
            out->fcw = fcw;
            memcpy(&out->fsw, ctx + 0x102, 2);
            out->ftw = ctx[0x104];
            memcpy(&out->fop, ctx + 0x106, 2);
            memcpy(&out->mxcsr, ctx + 0x118, 4);
            for (int i = 0; i < 8; i++) memcpy(out->st[i], ctx + 0x120 + 16 * (size_t)i, 16);
            for (int i = 0; i < 16; i++) memcpy(out->xmm[i], ctx + 0x1a0 + 16 * (size_t)i, 16);
        }
    }
    out->rax = ctx_u64(ctx, CTX_RAX); out->rcx = ctx_u64(ctx, CTX_RCX); out->rdx = ctx_u64(ctx, CTX_RDX);
    out->rbx = ctx_u64(ctx, CTX_RBX); out->rsp = ctx_u64(ctx, CTX_RSP); out->rbp = ctx_u64(ctx, CTX_RBP);
    out->rsi = ctx_u64(ctx, CTX_RSI); out->rdi = ctx_u64(ctx, CTX_RDI); out->rip = ctx_u64(ctx, CTX_RIP);
    for (int i = 0; i < 8; i++) (&out->r8)[i] = ctx_u64(ctx, CTX_R8 + 8 * (size_t)i);
    uint32_t ef;
    memcpy(&ef, ctx + 0x44, 4);          /* EFlags */
    out->eflags = ef;
    return 0;
}

/* A frame of the program's own native code (not the runtime's, the host's or the C
 * library's): what makes an unmanaged stretch worth unfolding at a managed stop. */
static int user_native_frame(const NsFrame *f)
{
    static const char *const system[] = { "libc.", "libc-", "ld-linux", "libstdc++", "libgcc", "libm.", "libpthread",
                                          "libdl.", "librt.", "dotnet", "[vdso]" };
    if (!f->where.module_id || nt_is_runtime_library(f->where.module)) return 0;
    for (size_t i = 0; i < sizeof system / sizeof system[0]; i++)
        if (strncmp(f->where.module, system[i], strlen(system[i])) == 0) return 0;
    return 1;
}

int native_chain_frames(EngSession *s, ICorDebugThread *t, ICorDebugChain *chain, int first, NsFrame **out)
{
    *out = NULL;
    if (!s->nt) return 0;
    DWORD tid = 0;
    t->lpVtbl->GetID(t, &tid);
    NsRegs regs;
    if (first && s->nstop.active && (DWORD)s->nstop.tid == tid) {
        NtRegs r;
        if (nt_get_regs(s->nt, (int)tid, &r) != 0) return 0;
        regs_to_ns(&r, &regs);
        return unwind_from(s, &regs, out);
    }
    ICorDebugRegisterSet *rs = NULL;
    if (FAILED(chain->lpVtbl->GetRegisterSet(chain, &rs)) || !rs) return 0;
    NtRegs r;
    int rc = regs_from_register_set(rs, &r, NULL);
    rs->lpVtbl->Release(rs);
    if (rc != 0) return 0;
    regs_to_ns(&r, &regs);
    int n = unwind_from(s, &regs, out);
    /* Only the runtime's own code (and the host's): one "[native code]" line, as in
     * managed mode. */
    int user = 0;
    for (int i = 0; i < n && !user; i++) user = user_native_frame(&(*out)[i]);
    if (!user) { free(*out); *out = NULL; n = 0; }
    return n;
}

/* The native frames of the stretch a V3 stack walk stands at (GetFrame gave no frame): from
 * the walk's CONTEXT, up to the first address no module covers (jitted code). A stretch of
 * only the runtime's own code gives 0 (shown as one "[native code]" line). malloc'ed. */
int native_stackwalk_frames(EngSession *s, ICorDebugStackWalk *sw, NsFrame **out)
{
    *out = NULL;
    if (!s->nt || !sw) return 0;
    uint8_t ctx[CTX_SIZE];
    memset(ctx, 0, sizeof ctx);
    uint32_t flags = 0x0010000B;         /* CONTEXT_AMD64 | CONTROL | INTEGER | SEGMENTS */
    memcpy(ctx + 0x30, &flags, 4);
    ULONG32 got = 0;
    if (FAILED(sw->lpVtbl->GetContext(sw, flags, CTX_SIZE, &got, ctx)) || !ctx_u64(ctx, CTX_RIP)) return 0;
    NsRegs r = { .rax = ctx_u64(ctx, CTX_RAX), .rcx = ctx_u64(ctx, CTX_RCX), .rdx = ctx_u64(ctx, CTX_RDX),
                 .rbx = ctx_u64(ctx, CTX_RBX), .rsp = ctx_u64(ctx, CTX_RSP), .rbp = ctx_u64(ctx, CTX_RBP),
                 .rsi = ctx_u64(ctx, CTX_RSI), .rdi = ctx_u64(ctx, CTX_RDI), .rip = ctx_u64(ctx, CTX_RIP) };
    for (int i = 0; i < 8; i++) (&r.r8)[i] = ctx_u64(ctx, CTX_R8 + 8 * (size_t)i);
    int n = unwind_from(s, &r, out);
    NsFrame *f = *out;
    if (s->core) {
        /* A dump the runtime wrote at a signal: the thread sits in the runtime's failure path
         * (its signal handler waiting for createdump). The crash is below the signal frame:
         * start there, as a live session's stop at that signal would. */
        int sig = -1;
        for (int i = 0; i < n && sig < 0; i++) {
            if (strcmp(f[i].where.func, "__restore_rt") == 0) sig = i;
            else if (user_native_frame(&f[i])) break;
        }
        if (sig >= 0 && sig + 1 < n) {
            memmove(f, f + sig + 1, (size_t)(n - sig - 1) * sizeof *f);
            n -= sig + 1;
        }
    }
    int user = 0;
    for (int i = 0; i < n && !user; i++) user = user_native_frame(&f[i]);
    if (!user) { free(*out); *out = NULL; n = 0; }
    return n;
}

/* ---------------------------------------------------------------- stops */

static void clear_xbps(EngSession *s)
{
    for (size_t i = 0; i < s->nxbps; i++) {
        s->xbps[i]->lpVtbl->Activate(s->xbps[i], FALSE);
        s->xbps[i]->lpVtbl->Release(s->xbps[i]);
    }
    s->nxbps = 0;
}

/* Make the stop the user sees for a native event (the tracer holds the thread). */
static void native_stop(EngSession *s, const NtEvent *ev)
{
    if (s->cordb && s->process) {
        /* Synchronize the managed side too, waiting a bounded time: the frozen thread may
         * hold what the runtime needs to synchronize (stopper.c). Without an answer the stop
         * is shown at once with the native view only; the managed view follows when the
         * runtime answers. */
        HRESULT hr = S_OK;
        int ms = eng_stop_wait_ms();
        int rc = eng_stop(s, ms, &hr);
        if (rc == 0) native_stop_synced(s);
        else if (rc < 0) log_msg(LOG_INFO, "native", "ICorDebug Stop at a native stop: 0x%08x", (unsigned)hr);
        else {
            char msg[300];
            snprintf(msg, sizeof msg, "the runtime has not synchronized with this stop (waited up to %d ms; a frozen thread "
                     "holds what it needs): native view only; continue, kill and detach work", ms);
            EngNotice n = { .kind = EN_LOG, .category = "native", .message = msg };
            eng_notify(s, &n);
        }
    }
    s->nstop.active = 1;
    s->nstop.tid = ev->tid;
    s->nstop.pc = ev->pc;
    s->current_thread = native_thread_id(s, (uint32_t)ev->tid);
    s->current_frame = 0;
    vars_clear(s);
    eng_set_state(s, ENG_STOPPED);
    EngFrameInfo fi = { 0 };
    describe_addr(s, ev->pc, 0, &fi);
    char source[512] = "";
    if (fi.line) eng_source_line(s, 0, fi.file, fi.line, source, sizeof source);
    EngStopReason reason = ENG_STOP_STEP;
    switch (ev->kind) {
    case NT_EV_BREAKPOINT: reason = ev->bp_id > 0 ? ENG_STOP_BREAKPOINT : ENG_STOP_STEP; break;
    case NT_EV_SIGNAL:     reason = ENG_STOP_SIGNAL; break;
    case NT_EV_INTERRUPT:  reason = s->state == ENG_ATTACHING || (s->waiting && s->waiting->kind == REQ_ATTACH)
                                    ? ENG_STOP_ATTACH : ENG_STOP_PAUSE; break;
    case NT_EV_WATCH:      reason = ENG_STOP_WATCH; break;
    default: break;
    }
    char wtext[1024] = "";
    if (reason == ENG_STOP_WATCH) native_watch_text(s, ev, wtext, sizeof wtext);
    if (ev->bp_id > 0)
        for (size_t i = 0; i < s->nbps; i++)
            if (s->bps[i].id == ev->bp_id) {
                s->bps[i].hits++;
                if (s->bps[i].temporary) { nt_break_remove(s->nt, ev->bp_id); bp_delete(s, &s->bps[i]); }
                break;
            }
    char addr[64];
    snprintf(addr, sizeof addr, "0x%" PRIx64, ev->addr);
    EngNotice n = { .kind = EN_STOPPED, .reason = reason, .thread_id = s->current_thread, .tid = (uint32_t)ev->tid,
                    .bp_id = ev->bp_id > 0 ? ev->bp_id : 0, .function = fi.function,
                    .file = fi.line ? fi.file : NULL, .line = fi.line, .source = source[0] ? source : NULL,
                    .exception = reason == ENG_STOP_SIGNAL ? nt_signal_name(ev->signo) : NULL,
                    .message = reason == ENG_STOP_SIGNAL ? nt_signal_meaning(ev->signo) : reason == ENG_STOP_WATCH ? wtext : NULL,
                    .path = reason == ENG_STOP_SIGNAL && (ev->signo == SIGSEGV || ev->signo == SIGBUS) ? addr : NULL };
    eng_notify(s, &n);
    eng_finish_waiting(s);
}

void native_event(EngSession *s, ClrEvent *ce)
{
    const NtEvent *ev = ce->aux;
    if (!s->nt || ce->generation != s->generation) return;
    switch (ev->kind) {
    case NT_EV_EXIT:
        if (!s->cordb) {
            /* A native session ends with its process; the keeper saw the same status. */
            int status = ev->status, kst;
            if (s->launched) clr_launch_wait_exit(&s->launch, &kst);
            eng_report_exit(s, 1, status);
        }
        return;
    case NT_EV_THREAD: {
        /* Mixed mode numbers threads as ICorDebug reports them; a thread it never
         * reports gets its number at its first native stop. */
        int id = ev->created && !s->cordb ? native_thread_id(s, (uint32_t)ev->tid) : 0;
        if (!ev->created)
            for (size_t i = 0; i < s->nnthr; i++)
                if (s->nthr[i].tid == (uint32_t)ev->tid) { id = s->nthr[i].id; s->nthr[i] = s->nthr[--s->nnthr]; break; }
        if (!s->cordb && id) {
            EngNotice n = { .kind = ev->created ? EN_THREAD_CREATED : EN_THREAD_EXITED, .thread_id = id,
                            .tid = (uint32_t)ev->tid, .quiet = !s->verbose_events };
            eng_notify(s, &n);
        }
        return;
    }
    case NT_EV_LIBS:
        if (ev->nbound > 0) bp_native_bound(s);
        return;
    case NT_EV_EXEC: {
        /* The launch's own exec is no news; a later one is (gdb says it the same way). */
        if (s->nstop.execs++ == 0 && s->launched) return;
        char msg[1200];
        snprintf(msg, sizeof msg, "process %d is executing new program: %s", ev->tid, ev->path);
        EngNotice n = { .kind = EN_LOG, .category = "native", .message = msg };
        eng_notify(s, &n);
        return;
    }
    case NT_EV_FORK: {
        char msg[128];
        snprintf(msg, sizeof msg, "Detaching after fork from child process %d", ev->child_pid);
        EngNotice n = { .kind = EN_LOG, .category = "native", .message = msg };
        eng_notify(s, &n);
        return;
    }
    case NT_EV_BREAKPOINT: case NT_EV_STEP: case NT_EV_SIGNAL: case NT_EV_INTERRUPT: case NT_EV_WATCH:
        if (s->state == ENG_STOPPED && !s->nstop.active && s->cordb) {
            /* Managed-stopped already: this stop comes next, instead of running. */
            if (!s->nt_pending) {
                /* the caller frees ce: keep a copy */
                ClrEvent *keep = clr_event_new(CE_NATIVE);
                NtEvent *copy = keep ? malloc(sizeof *copy) : NULL;
                if (keep && copy) { *copy = *ev; keep->aux = copy; keep->generation = ce->generation; s->nt_pending = keep; }
                else { free(copy); clr_event_free(keep); }
            }
            return;
        }
        if (s->state == ENG_NONE) return;
        native_stop(s, ev);
        return;
    }
}

/* ---------------------------------------------------------------- life */

int native_before_exec(void *ctx, int pid, char *err, size_t cap)
{
    EngSession *s = ctx;
    if (s->mode == ENG_MODE_NATIVE) native_thread_id(s, (uint32_t)pid);   /* the main thread is thread 1 */
    return nt_seize_child(s->nt, pid, err, cap);
}

int native_begin(EngSession *s, char *err, size_t cap)
{
    native_end(s);
    s->nt = nt_new(s->mode == ENG_MODE_NATIVE ? NT_NATIVE : NT_MIXED, sink, s);
    if (!s->nt) { snprintf(err, cap, "cannot start the native engine"); return -1; }
    return 0;
}

void native_end(EngSession *s)
{
    if (s->nt) { nt_free(s->nt); s->nt = NULL; }
    native_watch_forget(s);
    memset(&s->nstop, 0, sizeof s->nstop);
    if (s->nt_pending) { clr_event_free(s->nt_pending); s->nt_pending = NULL; }
    free(s->nthr);
    s->nthr = NULL;
    s->nnthr = s->cap_nthr = 0;
    for (size_t i = 0; i < s->nxbps; i++) s->xbps[i]->lpVtbl->Release(s->xbps[i]);
    free(s->xbps);
    s->xbps = NULL;
    s->nxbps = s->cap_xbps = 0;
}

void native_stop_synced(EngSession *s)
{
    step_cancel(s);
    clear_xbps(s);
}

void native_managed_stop(EngSession *s)
{
    if (s->nt) nt_step_cancel(s->nt);
    clear_xbps(s);
}

/* A library of the program's own, not of the system or the runtime: where a step from
 * managed code may go into native code. */
static int is_user_library(const char *path)
{
    static const char *const system_dirs[] = { "/usr/lib/", "/lib/", "/lib64/", "/usr/lib64/", "/usr/share/dotnet/" };
    if (path[0] != '/') return 0;                    /* [vdso] */
    for (size_t i = 0; i < sizeof system_dirs / sizeof system_dirs[0]; i++)
        if (strncmp(path, system_dirs[i], strlen(system_dirs[i])) == 0) return 0;
    return 1;
}

void native_arm_step_into(EngSession *s, uint32_t tid)
{
    if (!s->nt) return;
    enum { CAP = 4096 };
    uint64_t *addrs = malloc(CAP * sizeof *addrs);
    if (!addrs) return;
    int n = 0;
    NsSpace *sp = nt_sym_lock(s->nt);
    NsModuleInfo *mods = NULL;
    size_t nm = 0;
    if (sp && ns_modules(sp, &mods, &nm) == 0) {
        for (size_t i = 0; i < nm && n < CAP; i++) {
            if (!mods[i].has_dwarf || !is_user_library(mods[i].path)) continue;
            if (nt_is_runtime_library(mods[i].name)) continue;
            log_msg(LOG_DEBUG, "native", "step targets in %s", mods[i].path);
            int k = ns_module_entry_points(sp, mods[i].id, addrs + n, CAP - n);
            if (k > 0) n += k < CAP - n ? k : CAP - n;
        }
    }
    free(mods);
    nt_sym_unlock(s->nt);
    if (n) nt_step_targets(s->nt, addrs, n, (int)tid);
    free(addrs);
}

int native_xbp_hit(EngSession *s, ClrEvent *ev)
{
    for (size_t i = 0; i < s->nxbps; i++)
        if ((void *)s->xbps[i] == (void *)ev->breakpoint) {
            clear_xbps(s);
            if (s->nt) nt_step_cancel(s->nt);
            eng_stop_at(s, ENG_STOP_STEP, ev->thread, NULL);
            return 1;
        }
    return 0;
}

/* A managed breakpoint at the return address of the first managed frame under thread tid's
 * native frames: where a finish (or step) out of native code lands. */
static int arm_managed_return(EngSession *s, uint32_t tid)
{
    ICorDebugThread *t = NULL;
    if (!s->process || FAILED(s->process->lpVtbl->GetThread(s->process, tid, &t)) || !t) return -1;
    int rc = -1;
    ICorDebugFrame *f = NULL;
    for (int i = 0; rc != 0 && i < 8 && (f = eng_frame_at(s, t, i)); i++) {
        ICorDebugNativeFrame *nf = NULL;
        ICorDebugCode *code = NULL;
        ULONG32 ip = 0;
        if (SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugNativeFrame, (void **)&nf)) && nf &&
            SUCCEEDED(nf->lpVtbl->GetIP(nf, &ip)) && SUCCEEDED(nf->lpVtbl->GetCode(nf, &code)) && code) {
            ICorDebugFunctionBreakpoint *bp = NULL;
            if (SUCCEEDED(code->lpVtbl->CreateBreakpoint(code, ip, &bp)) && bp) {
                if (GROW(s->xbps, s->nxbps, s->cap_xbps)) { s->xbps[s->nxbps++] = bp; rc = 0; }
                else bp->lpVtbl->Release(bp);
            }
        }
        if (code) code->lpVtbl->Release(code);
        if (nf) nf->lpVtbl->Release(nf);
        f->lpVtbl->Release(f);
    }
    t->lpVtbl->Release(t);
    return rc;
}

/* Managed breakpoints at the start of every user method (modules with symbols, just my
 * code): a native step that calls into managed code (a callback through a reverse
 * P/Invoke) ends at the first one reached. At most CAP of them. */
static void arm_managed_entries(EngSession *s)
{
    enum { CAP = 4000 };
    size_t armed = 0;
    for (size_t i = 0; i < s->nmodules && armed < CAP; i++) {
        Module *m = &s->modules[i];
        if (!m->user_code) continue;
        PdbModule *sym = eng_module_symbols(s, m, 0);
        if (!sym || !pdb_module_pdb(sym)) continue;
        const MdMeta *md = &pdb_module_image(sym)->md;
        uint32_t rows = md_rows(md, MD_T_MethodDef);
        for (uint32_t rid = 1; rid <= rows && armed < CAP; rid++) {
            uint32_t tok = 0x06000000u | rid;
            PdbLocation loc;
            if (!eng_method_is_user_code(sym, tok) || pdb_module_locate(sym, tok, 0, &loc) != 0) continue;
            ICorDebugFunction *fn = NULL;
            ICorDebugFunctionBreakpoint *bp = NULL;
            if (SUCCEEDED(m->m->lpVtbl->GetFunctionFromToken(m->m, tok, &fn)) && fn &&
                SUCCEEDED(fn->lpVtbl->CreateBreakpoint(fn, &bp)) && bp) {
                if (GROW(s->xbps, s->nxbps, s->cap_xbps)) { s->xbps[s->nxbps++] = bp; armed++; }
                else bp->lpVtbl->Release(bp);
            }
            if (fn) fn->lpVtbl->Release(fn);
        }
    }
}

/* ---------------------------------------------------------------- requests */

static void resume_native_stop(EngSession *s, Request *rq)
{
    s->nstop.active = 0;
    vars_clear(s);
    eng_set_state(s, ENG_RUNNING);
    s->waiting = rq;
    /* A late Stop holds the right side's stop-go lock: Continue would wait for it, and it
     * waits for the threads the tracer lets go next. Its answer continues (stopper.c). */
    if (s->cordb && !eng_stop_late(s)) eng_release_holds(s);
}

static void req_continue(EngSession *s, Request *rq)
{
    if (s->state != ENG_STOPPED) { eng_fail(rq, s->state == ENG_NONE ? "the program is not being run" : "the program is already running"); return; }
    resume_native_stop(s, rq);
    if (nt_resume(s->nt, 0) != 0) eng_notify_error(s, "cannot resume process %d", s->pid);
}

static void req_step(EngSession *s, Request *rq)
{
    static const struct { int in, out; } kinds[] = { { 'i', 's' }, { 'o', 'o' }, { 'u', 'f' }, { 'I', 'i' }, { 'N', 'n' } };
    int kind = 0;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) if (kinds[i].in == rq->arg.step.kind) kind = kinds[i].out;
    if (!kind) { eng_fail(rq, "unknown step kind"); return; }
    int tid = s->nstop.tid;
    uint32_t sel = selected_tid(s);
    if (sel) tid = (int)sel;
    char err[256] = "";
    /* A step out of native code into a managed caller ends at a managed breakpoint (not
     * while the managed side has not synchronized: nothing managed can be set then). */
    int managed = s->cordb && !eng_stop_late(s);
    if (s->cordb && kind == 'f') {
        NtRegs r;
        if (nt_get_regs(s->nt, tid, &r) != 0) { eng_fail(rq, "cannot read thread %d's registers", tid); return; }
        NsRegs nr;
        regs_to_ns(&r, &nr);
        NsFrame fr[2];
        NsSpace *sp = nt_sym_lock(s->nt);
        int n = sp ? ns_unwind(sp, &nr, fr, 2) : 0;
        nt_sym_unlock(s->nt);
        if (n >= 2 && fr[1].where.module_id == 0) {
            if (!managed) { eng_fail(rq, "finish into managed code needs the managed view (the runtime has not synchronized yet): continue"); return; }
            if (arm_managed_return(s, (uint32_t)tid) != 0) { eng_fail(rq, "cannot find the managed caller of this frame"); return; }
            resume_native_stop(s, rq);
            nt_resume(s->nt, 0);
            return;
        }
    }
    /* Leaving native code for managed code (a return, or a callback) is caught there. */
    if (managed && (kind == 's' || kind == 'o')) arm_managed_return(s, (uint32_t)tid);
    if (managed && kind == 's') arm_managed_entries(s);
    resume_native_stop(s, rq);
    if (nt_step(s->nt, tid, kind, err, sizeof err) != 0) {
        /* Nothing moved: the stop stands. */
        s->waiting = NULL;
        if (s->cordb && eng_stop(s, eng_stop_wait_ms(), NULL) == 0) clear_xbps(s);
        s->nstop.active = 1;
        eng_set_state(s, ENG_STOPPED);
        eng_fail(rq, "%s", err[0] ? err : "cannot step");
    }
}

static void native_backtrace(EngSession *s, Request *rq)
{
    uint32_t tid = rq->arg.backtrace.thread_id ? tid_of_id(s, rq->arg.backtrace.thread_id) : selected_tid(s);
    if (!tid) { eng_fail(rq, "no thread %d (see info threads)", rq->arg.backtrace.thread_id); return; }
    NtRegs r;
    if (nt_get_regs(s->nt, (int)tid, &r) != 0) { eng_fail(rq, "cannot read the registers of thread %u", tid); return; }
    NsRegs nr;
    regs_to_ns(&r, &nr);
    enum { MAX = 1024 };
    NsFrame *f = calloc(MAX, sizeof *f);
    if (!f) { eng_fail(rq, "out of memory"); return; }
    NsSpace *sp = nt_sym_lock(s->nt);
    int n = sp ? ns_unwind(sp, &nr, f, MAX) : 0;
    nt_sym_unlock(s->nt);
    if (rq->arg.backtrace.limit > 0 && n > rq->arg.backtrace.limit) n = rq->arg.backtrace.limit;
    EngResult *res = rq->res;
    res->frames = calloc(n > 0 ? (size_t)n : 1, sizeof *res->frames);
    if (!res->frames) { free(f); eng_fail(rq, "out of memory"); return; }
    for (int i = 0; i < n; i++) {
        EngFrameInfo *fi = &res->frames[i];
        fi->index = i;
        native_describe_frame(s, &f[i], fi);
        fi->current = i == s->current_frame && native_thread_id(s, tid) == s->current_thread;
    }
    res->nframes = (size_t)n;
    res->id = native_thread_id(s, tid);
    free(f);
}

static void native_threads(EngSession *s, Request *rq)
{
    NtThreadInfo *ti = NULL;
    size_t n = 0;
    if (nt_threads(s->nt, &ti, &n) != 0) { eng_fail(rq, "cannot list the threads"); return; }
    EngResult *r = rq->res;
    r->threads = calloc(n ? n : 1, sizeof *r->threads);
    if (!r->threads) { free(ti); eng_fail(rq, "out of memory"); return; }
    for (size_t i = 0; i < n; i++) {
        EngThreadInfo *t = &r->threads[i];
        t->id = native_thread_id(s, (uint32_t)ti[i].tid);
        t->tid = (uint32_t)ti[i].tid;
        t->current = t->id == s->current_thread;
        snprintf(t->name, sizeof t->name, "%s", ti[i].name);
        snprintf(t->state, sizeof t->state, "%s", ti[i].stopped ? "stopped" : "running");
        if (ti[i].stopped && ti[i].pc) { describe_addr(s, ti[i].pc, 0, &t->top); t->has_top = 1; }
    }
    r->nthreads = n;
    free(ti);
}

static void select_native_thread(EngSession *s, Request *rq)
{
    int id = rq->arg.select_thread.thread_id;
    uint32_t tid = tid_of_id(s, id);
    if (!tid) { eng_fail(rq, "no thread %d (see info threads)", id); return; }
    s->current_thread = id;
    s->current_frame = 0;
    Request bt = *rq;
    bt.arg.backtrace.limit = 1;
    bt.arg.backtrace.thread_id = id;
    native_backtrace(s, &bt);
}

static void select_native_frame(EngSession *s, Request *rq)
{
    int index = rq->arg.select_frame.relative ? s->current_frame + rq->arg.select_frame.index : rq->arg.select_frame.index;
    if (index < 0) { eng_fail(rq, "no frame below frame 0"); return; }
    Request bt = *rq;
    bt.arg.backtrace.limit = index + 1;
    bt.arg.backtrace.thread_id = 0;
    native_backtrace(s, &bt);
    EngResult *r = rq->res;
    if (r->status) return;
    if ((size_t)index >= r->nframes) {
        size_t n = r->nframes;
        free(r->frames);
        r->frames = NULL;
        r->nframes = 0;
        eng_fail(rq, "no frame %d: the thread has %zu frame%s", index, n, n == 1 ? "" : "s");
        return;
    }
    s->current_frame = index;
    if (index) memmove(&r->frames[0], &r->frames[index], sizeof r->frames[0]);
    r->frames[0].current = 1;
    r->nframes = 1;
    if (r->frames[0].line)
        eng_source_line(s, 0, r->frames[0].file, r->frames[0].line, r->frames[0].source, sizeof r->frames[0].source);
}

/* Target memory as the program sees it: cordbg's int3s hidden by the tracer, and at a
 * managed stop the runtime's own breakpoint patches hidden by ICorDebug's ReadMemory. */
static int read_target(EngSession *s, uint64_t addr, void *buf, size_t len)
{
    /* jitted code and the runtime's libraries hold the runtime's patches; ours are elsewhere */
    if (s->process && s->state == ENG_STOPPED && nt_is_runtime_code(s->nt, addr)) {
        SIZE_T got = 0;
        if (SUCCEEDED(s->process->lpVtbl->ReadMemory(s->process, addr, (DWORD)len, buf, &got)) && got == len) return 0;
    }
    return nt_read_mem(s->nt, addr, buf, len);
}

/* NtRegs fields by name, as `info registers` lists them; the first GP_NAMED are the ones an
 * address expression may name ($rax ... $eflags). */
static const struct RegField { const char *name; size_t off; } reg_fields[] = {
#define R(x) { #x, offsetof(NtRegs, x) }
    R(rax), R(rbx), R(rcx), R(rdx), R(rsi), R(rdi), R(rbp), R(rsp), R(r8), R(r9), R(r10), R(r11),
    R(r12), R(r13), R(r14), R(r15), R(rip), R(eflags), R(cs), R(ss), R(ds), R(es), R(fs), R(gs),
    R(fs_base), R(gs_base),
#undef R
};
enum { GP_NAMED = 18, NREG_FIELDS = sizeof reg_fields / sizeof reg_fields[0] };

static uint64_t reg_value(const NtRegs *r, size_t i)
{
    uint64_t v;
    memcpy(&v, (const char *)r + reg_fields[i].off, 8);
    return v;
}

/* The registers of the selected frame: at a native stop (or in a native session) the frozen
 * thread's, unwound to the selected native frame; at a managed stop the managed frame's own
 * (its CONTEXT from ICorDebug: the thread itself sits in the runtime's breakpoint handler),
 * with the jitted method's code range in *lo, *hi. 0, or -1. */
static int frame_regs(EngSession *s, NtRegs *out, uint64_t *lo, uint64_t *hi, char *fname, size_t fcap,
                      RegAvail *avail)
{
    RegAvail av_local;
    RegAvail *av = avail ? avail : &av_local;
    *av = (RegAvail){ 1, 1, 1, 1 };
    *lo = *hi = 0;
    if (fname) fname[0] = 0;
    uint32_t tid = selected_tid(s);
    if ((s->cordb || (s->core && s->process)) && !s->nstop.active) {   /* a managed stop, or a .NET core */
        Thread *th = eng_selected_thread(s);
        ICorDebugFrame *f = th ? eng_frame_at(s, th->t, s->current_frame) : NULL;
        ICorDebugNativeFrame *nf = NULL;
        int rc = -1;
        if (f && SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugNativeFrame, (void **)&nf)) && nf) {
            ICorDebugRegisterSet *rs = NULL;
            if (SUCCEEDED(nf->lpVtbl->GetRegisterSet(nf, &rs)) && rs) {
                rc = regs_from_register_set(rs, out, av);
                rs->lpVtbl->Release(rs);
            }
            ICorDebugCode *code = NULL;
            CORDB_ADDRESS a = 0;
            ULONG32 size = 0;
            if (rc == 0 && SUCCEEDED(nf->lpVtbl->GetCode(nf, &code)) && code) {
                if (SUCCEEDED(code->lpVtbl->GetAddress(code, &a)) && SUCCEEDED(code->lpVtbl->GetSize(code, &size)) && a) {
                    *lo = a;
                    *hi = a + size;
                }
                Where w;
                if (fname && eng_where_frame(s, f, &w) == 0) snprintf(fname, fcap, "%s", w.function);
                code->lpVtbl->Release(code);
            }
            nf->lpVtbl->Release(nf);
        }
        if (f) f->lpVtbl->Release(f);
        if (rc == 0) {
            /* No fs_base/gs_base in a CONTEXT, and segments only in the frame stopped in:
             * they are the thread's (the same in every frame), so in mixed mode take them
             * from it; managed-only there is no one to ask. */
            NtRegs t;
            if (s->nt && tid && nt_get_regs(s->nt, (int)tid, &t) == 0) {
                out->cs = t.cs; out->ss = t.ss; out->ds = t.ds; out->es = t.es; out->fs = t.fs; out->gs = t.gs;
                out->fs_base = t.fs_base; out->gs_base = t.gs_base;
                av->cs_ss = av->seg = 1;
            }
            return 0;
        }
        /* not a managed frame: the thread's own registers */
    }
    *av = (RegAvail){ 1, 1, 1, 1 };
    if (!s->nt || !tid || nt_get_regs(s->nt, (int)tid, out) != 0) return -1;
    if (s->current_frame > 0 && (!s->cordb || s->nstop.active)) {
        NsRegs nr;
        regs_to_ns(out, &nr);
        NsFrame fr[64];
        NsSpace *sp = nt_sym_lock(s->nt);
        int n = sp ? ns_unwind(sp, &nr, fr, 64) : 0;
        nt_sym_unlock(s->nt);
        if (s->current_frame < n) { out->rip = fr[s->current_frame].pc; out->rsp = fr[s->current_frame].sp; }
    }
    return 0;
}

/* An address expression: [$reg | number | native function] [(+|-) number]... */
static int eval_address(EngSession *s, const char *text, uint64_t *out, char *err, size_t cap)
{
    const char *p = text;
    uint64_t acc = 0;
    int sign = 1, terms = 0;
    while (*p) {
        while (isspace((unsigned char)*p)) p++;
        if (!*p) break;
        if (terms && (*p == '+' || *p == '-')) { sign = *p == '-' ? -1 : 1; p++; continue; }
        uint64_t v = 0;
        if (*p == '$') {
            const char *b = ++p;
            while (isalnum((unsigned char)*p) || *p == '_') p++;
            char name[32];
            snprintf(name, sizeof name, "%.*s", (int)(p - b), b);
            NtRegs r;
            uint64_t clo, chi;
            if (frame_regs(s, &r, &clo, &chi, NULL, 0, NULL) != 0) { snprintf(err, cap, "cannot read the registers"); return -1; }
            const char *want = !strcmp(name, "pc") ? "rip" : !strcmp(name, "sp") ? "rsp" : !strcmp(name, "fp") ? "rbp" : name;
            size_t i = 0;
            while (i < GP_NAMED && strcmp(reg_fields[i].name, want) != 0) i++;
            if (i == GP_NAMED) { snprintf(err, cap, "no register $%s", name); return -1; }
            v = reg_value(&r, i);
        } else if (isdigit((unsigned char)*p)) {
            char *end;
            errno = 0;
            v = strtoull(p, &end, 0);
            if (errno) { snprintf(err, cap, "number out of range in '%s'", text); return -1; }
            p = end;
        } else if (isalpha((unsigned char)*p) || *p == '_') {
            const char *b = p;
            while (isalnum((unsigned char)*p) || *p == '_' || *p == '.') p++;
            char name[256];
            snprintf(name, sizeof name, "%.*s", (int)(p - b), b);
            uint64_t a[4];
            NsSpace *sp = nt_sym_lock(s->nt);
            int n = sp ? ns_function_addrs(sp, NULL, name, a, 4) : 0;
            uint64_t lo = 0, hi = 0;
            /* the function's start, not its after-prologue address */
            if (n > 0 && ns_function_range(sp, a[0], &lo, &hi) == 0) a[0] = lo;
            nt_sym_unlock(s->nt);
            if (n <= 0) { snprintf(err, cap, "no symbol \"%s\" in the native code", name); return -1; }
            v = a[0];
        } else {
            snprintf(err, cap, "cannot read the address '%s': want $reg, a number or a function, with + or -", text);
            return -1;
        }
        acc = sign > 0 ? acc + v : acc - v;
        terms++;
        while (isspace((unsigned char)*p)) p++;
        if (*p && *p != '+' && *p != '-') { snprintf(err, cap, "cannot read the address '%s'", text); return -1; }
    }
    if (!terms) { snprintf(err, cap, "an address is missing"); return -1; }
    *out = acc;
    return 0;
}

static void req_registers(EngSession *s, Request *rq)
{
    uint32_t tid = selected_tid(s);
    NtRegs r;
    uint64_t clo, chi;
    RegAvail av;
    char method[512];
    if (frame_regs(s, &r, &clo, &chi, method, sizeof method, &av) != 0) {
        if (!s->nt) eng_fail(rq, "this frame's registers are unavailable without the native side (cordbg --mixed)");
        else eng_fail(rq, "cannot read the registers of thread %u", tid);
        return;
    }
    size_t nregs = NREG_FIELDS;
    size_t total = nregs + (rq->arg.regs.all ? 16 + 8 + 3 : 0);
    EngResult *res = rq->res;
    res->vars = calloc(total, sizeof *res->vars);
    if (!res->vars) { eng_fail(rq, "out of memory"); return; }
    for (size_t i = 0; i < nregs; i++) {
        uint64_t v = reg_value(&r, i);
        const char *name = reg_fields[i].name;
        EngVar *e = &res->vars[res->nvars++];
        snprintf(e->name, sizeof e->name, "%s", name);
        int cs_ss = strcmp(name, "cs") == 0 || strcmp(name, "ss") == 0;
        if (i >= GP_NAMED && !(cs_ss ? av.cs_ss || av.seg : av.seg)) {
            snprintf(e->value, sizeof e->value, "<unavailable>");
        } else if (strcmp(name, "eflags") == 0 && !av.eflags) {
            snprintf(e->value, sizeof e->value, "<unavailable>");   /* a caller's: not kept */
        } else if (strcmp(name, "eflags") == 0) {
            static const struct { int bit; const char *n; } fl[] = {
                { 0, "CF" }, { 2, "PF" }, { 4, "AF" }, { 6, "ZF" }, { 7, "SF" }, { 8, "TF" }, { 9, "IF" },
                { 10, "DF" }, { 11, "OF" },
            };
            char names[128] = "[ ";
            for (size_t k = 0; k < sizeof fl / sizeof fl[0]; k++)
                if (v >> fl[k].bit & 1) { strcat(names, fl[k].n); strcat(names, " "); }
            strcat(names, "]");
            snprintf(e->value, sizeof e->value, "0x%" PRIx64 "\t%s", v, names);
        } else if (strcmp(name, "rip") == 0) {
            EngFrameInfo fi = { 0 };
            if (s->nt) describe_addr(s, v, 0, &fi);
            /* jitted code is in no module: name it by its method */
            if ((!s->nt || strstr(fi.function, "[no module]")) && method[0] && clo <= v && v < chi)
                snprintf(fi.function, sizeof fi.function, "%s+0x%" PRIx64, method, v - clo);
            snprintf(e->value, sizeof e->value, "0x%" PRIx64 "\t%s", v, fi.function);
        } else if (strcmp(name, "rsp") == 0 || strcmp(name, "rbp") == 0) {
            snprintf(e->value, sizeof e->value, "0x%" PRIx64 "\t0x%" PRIx64, v, v);
        } else {
            snprintf(e->value, sizeof e->value, "0x%" PRIx64 "\t%" PRId64, v, (int64_t)v);
        }
    }
    if (rq->arg.regs.all) {
        for (int i = 0; i < 8; i++) {
            EngVar *e = &res->vars[res->nvars++];
            snprintf(e->name, sizeof e->name, "st%d", i);
            /* 80-bit extended: long double on x86-64 */
            long double ld;
            memcpy(&ld, r.st[i], 10 <= sizeof ld ? 10 : sizeof ld);
            char raw[64];
            snprintf(raw, sizeof raw, "0x%02x%02x%02x%02x%02x%02x%02x%02x%02x%02x",
                     r.st[i][9], r.st[i][8], r.st[i][7], r.st[i][6], r.st[i][5], r.st[i][4], r.st[i][3],
                     r.st[i][2], r.st[i][1], r.st[i][0]);
            snprintf(e->value, sizeof e->value, "%Lg\t(raw %s)", ld, raw);
            if (!av.fp) snprintf(e->value, sizeof e->value, "<unavailable>");
        }
        for (int i = 0; i < 16; i++) {
            EngVar *e = &res->vars[res->nvars++];
            snprintf(e->name, sizeof e->name, "xmm%d", i);
            double d[2]; float f[4]; uint64_t q[2];
            memcpy(d, r.xmm[i], 16); memcpy(f, r.xmm[i], 16); memcpy(q, r.xmm[i], 16);
            snprintf(e->value, sizeof e->value, "{v4_float = {%g, %g, %g, %g}, v2_double = {%g, %g}, "
                     "v2_int64 = {0x%" PRIx64 ", 0x%" PRIx64 "}}", f[0], f[1], f[2], f[3], d[0], d[1], q[0], q[1]);
            if (!av.fp) snprintf(e->value, sizeof e->value, "<unavailable>");
        }
        EngVar *e = &res->vars[res->nvars++];
        snprintf(e->name, sizeof e->name, "mxcsr");
        snprintf(e->value, sizeof e->value, "0x%x\t0x%x", r.mxcsr, r.mxcsr);
        e = &res->vars[res->nvars++];
        snprintf(e->name, sizeof e->name, "fctrl");
        snprintf(e->value, sizeof e->value, "0x%x\t%u", r.fcw, r.fcw);
        e = &res->vars[res->nvars++];
        snprintf(e->name, sizeof e->name, "fstat");
        snprintf(e->value, sizeof e->value, "0x%x\t%u", r.fsw, r.fsw);
        /* a managed caller's frame: the runtime keeps no FP/SSE state for it */
        for (size_t k = res->nvars - 3; !av.fp && k < res->nvars; k++)
            snprintf(res->vars[k].value, sizeof res->vars[k].value, "<unavailable>");
    }
}

static void req_memory(EngSession *s, Request *rq)
{
    uint64_t addr;
    char err[256];
    if (eval_address(s, rq->arg.memory.expr, &addr, err, sizeof err) != 0) { eng_fail(rq, "%s", err); return; }
    size_t len = rq->arg.memory.len;
    if (len == 0 || len > (1u << 20)) { eng_fail(rq, "a memory read is 1 byte to 1 MiB"); return; }
    EngResult *r = rq->res;
    r->text = malloc(len);
    if (!r->text) { eng_fail(rq, "out of memory"); return; }
    if (read_target(s, addr, r->text, len) != 0) {
        free(r->text);
        r->text = NULL;
        eng_fail(rq, "Cannot access memory at address 0x%" PRIx64, addr);
        return;
    }
    r->id = (int)len;
    snprintf(r->message, sizeof r->message, "0x%" PRIx64, addr);
}

static void req_disasm(EngSession *s, Request *rq)
{
    char err[256];
    uint64_t pc = 0, start, end, code_lo = 0, code_hi = 0;
    NtRegs regs;
    char method[512];
    if (frame_regs(s, &regs, &code_lo, &code_hi, method, sizeof method, NULL) == 0) pc = regs.rip;
    uint64_t at = pc;
    const char *where = rq->arg.disasm.expr;
    if (where && *where && eval_address(s, where, &at, err, sizeof err) != 0) { eng_fail(rq, "%s", err); return; }
    int asked = rq->arg.disasm.count;   /* <= 0: the whole function */
    int count = asked;
    if (count <= 0) {
        NsSpace *sp = nt_sym_lock(s->nt);
        int rc = sp ? ns_function_range(sp, at, &start, &end) : -1;
        nt_sym_unlock(s->nt);
        /* jitted code: the managed frame's method, as the runtime placed it */
        int jitted = rc != 0 && code_lo && at >= code_lo && at < code_hi;
        if (jitted) { start = code_lo; end = code_hi; rc = 0; }
        else method[0] = 0;
        if (rc != 0) { eng_fail(rq, "No function contains specified address 0x%" PRIx64 ".", at); return; }
        if (end - start > 65536) end = start + 65536;
        count = 100000;
    } else {
        start = at;
        end = at + (uint64_t)count * 15;
        if (count > 10000) { eng_fail(rq, "at most 10000 instructions at a time"); return; }
    }
    size_t len = (size_t)(end - start);
    uint8_t *code = malloc(len ? len : 1);
    NdInsn *ins = calloc((size_t)(count < 65536 ? count : 65536), sizeof *ins);
    NdDisasm *d = nd_new(0);
    if (!code || !ins || !d) { free(code); free(ins); if (d) nd_free(d); eng_fail(rq, "out of memory"); return; }
    /* Read what is readable (the range may run past the end of the mapping). */
    size_t got = len;
    while (got > 0 && read_target(s, start, code, got) != 0) got = got > 64 ? got / 2 : got - 1;
    if (!got) { free(code); free(ins); nd_free(d); eng_fail(rq, "Cannot access memory at address 0x%" PRIx64, start); return; }
    int n = nd_decode(d, code, got, start, ins, count < 65536 ? count : 65536);
    StrBuf out;
    sb_init(&out);
    char fname[300] = "";
    if (asked <= 0) {
        EngFrameInfo fi = { 0 };
        describe_addr(s, start, 0, &fi);
        /* "work+0x0 (nprog)" → "work" (gdb's header names the function alone) */
        char *plus = strstr(fi.function, "+0x");
        if (plus && !method[0]) *plus = 0;
        snprintf(fname, sizeof fname, "%s", method[0] ? method : fi.function);
        sb_printf(&out, "Dump of assembler code for function %s:\n", fname);
    }
    NsSpace *sp = nt_sym_lock(s->nt);
    for (int i = 0; i < n; i++) {
        char sym[300] = "";
        if (sp) ns_symbolize(sp, ins[i].addr, sym, sizeof sym);
        char tsym[300] = "";
        if (sp && ins[i].target) ns_symbolize(sp, ins[i].target, tsym, sizeof tsym);
        sb_printf(&out, "%s0x%016" PRIx64 "%s%s%s:\t%s%s%s%s\n", ins[i].addr == pc ? "=> " : "   ", ins[i].addr,
                  sym[0] ? " <" : "", sym, sym[0] ? ">" : "", ins[i].text,
                  tsym[0] ? " <" : "", tsym, tsym[0] ? ">" : "");
    }
    nt_sym_unlock(s->nt);
    if (asked <= 0) sb_printf(&out, "End of assembler dump.\n");
    free(code);
    free(ins);
    nd_free(d);
    EngResult *r = rq->res;
    r->text = sb_take(&out);
    if (!r->text) eng_fail(rq, "out of memory");
}

static void req_shlibs(EngSession *s, Request *rq)
{
    NsModuleInfo *m = NULL;
    size_t n = 0;
    NsSpace *sp = nt_sym_lock(s->nt);
    int rc = sp ? ns_modules(sp, &m, &n) : -1;
    nt_sym_unlock(s->nt);
    if (rc != 0) { eng_fail(rq, "cannot read the process's libraries"); return; }
    EngResult *r = rq->res;
    r->modules = calloc(n ? n : 1, sizeof *r->modules);
    if (!r->modules) { free(m); eng_fail(rq, "out of memory"); return; }
    for (size_t i = 0; i < n; i++) {
        EngModuleInfo *mi = &r->modules[i];
        mi->id = m[i].id;
        mi->start = m[i].start;
        mi->end = m[i].end;
        mi->has_symbols = m[i].has_dwarf ? 2 : m[i].has_symtab ? 1 : 0;
        snprintf(mi->path, sizeof mi->path, "%s", m[i].path);
    }
    r->nmodules = n;
    free(m);
}

static void req_set_reg(EngSession *s, Request *rq)
{
    uint32_t tid = selected_tid(s);
    if (!s->nstop.active && s->cordb) { eng_fail(rq, "registers can be set at a native stop only"); return; }
    const char *name = rq->arg.set_reg.name;
    if (nt_set_reg(s->nt, (int)tid, name, rq->arg.set_reg.value) != 0) eng_fail(rq, "cannot set $%s", name);
}

static int native_views(ReqKind k)
{
    return k == REQ_REGS || k == REQ_MEMORY || k == REQ_DISASM || k == REQ_SHLIBS || k == REQ_SET_REG;
}

int native_request(EngSession *s, Request *rq)
{
    if (rq->kind == REQ_WATCH) { native_watch_request(s, rq); return 1; }
    if (rq->kind == REQ_MODE) {
        if (s->state != ENG_NONE) { eng_fail(rq, "the mode changes only between runs (kill or detach first)"); return 1; }
        s->mode = rq->arg.mode.mode;
        /* Breakpoints set before the mode was chosen (DAP sends them before launch): a C
         * file or a bare function name is native from now on. */
        for (size_t i = 0; i < s->nbps; i++)
            if (!s->bps[i].native && !s->bps[i].nb && !s->bps[i].internal && bp_is_native_spec(s, &s->bps[i]))
                s->bps[i].native = 1;
        return 1;
    }
    int live = s->nt && s->state != ENG_NONE;
    if (s->core && s->nt && (rq->kind == REQ_SET_REG ||
                             (!s->cordb && (rq->kind == REQ_CONTINUE || rq->kind == REQ_STEP || rq->kind == REQ_PAUSE ||
                                            rq->kind == REQ_JUMP)))) {
        eng_fail(rq, "not possible in a core dump: the process is not running");
        return 1;
    }
    if (native_views(rq->kind)) {
        if (!live && rq->kind == REQ_REGS && s->cordb && s->state == ENG_STOPPED) {
            /* managed-only: the managed frame's registers as ICorDebug has them (what it
             * does not have is shown as unavailable) */
            req_registers(s, rq);
            return 1;
        }
        if (!live) {
            eng_fail(rq, s->state == ENG_NONE ? "the program is not being run"
                                              : "native views need mixed or native mode (cordbg --mixed, or set mixed on before run)");
            return 1;
        }
        if (s->state != ENG_STOPPED && rq->kind != REQ_SHLIBS) { eng_fail(rq, "the program is running; pause it first"); return 1; }
        switch (rq->kind) {
        case REQ_REGS:    req_registers(s, rq); break;
        case REQ_MEMORY:  req_memory(s, rq); break;
        case REQ_DISASM:  req_disasm(s, rq); break;
        case REQ_SHLIBS:  req_shlibs(s, rq); break;
        case REQ_SET_REG: req_set_reg(s, rq); break;
        default: break;
        }
        return 1;
    }
    if (!live) return 0;
    /* A managed stop with a native stop waiting: continuing shows that one instead. */
    if (s->nt_pending && s->state == ENG_STOPPED && (rq->kind == REQ_CONTINUE || rq->kind == REQ_STEP)) {
        ClrEvent *p = s->nt_pending;
        s->nt_pending = NULL;
        s->waiting = rq;
        s->held--;                    /* the managed stop's hold becomes the native stop's */
        native_stop(s, p->aux);
        clr_event_free(p);
        return 1;
    }
    int native_stopped = s->state == ENG_STOPPED && (s->nstop.active || !s->cordb);
    /* A native stop whose managed side has not synchronized answers as a native session. */
    /* (A .NET core session has a process from its data target but no Cordb.) */
    int native_only = (!s->cordb && !(s->core && s->process)) || (native_stopped && eng_stop_late(s));
    switch (rq->kind) {
    case REQ_CONTINUE:
        if (!native_stopped) return 0;
        req_continue(s, rq);
        return 1;
    case REQ_STEP:
        if (native_stopped) { req_step(s, rq); return 1; }
        if (rq->arg.step.kind == 'I' || rq->arg.step.kind == 'N') return 0;   /* the runtime's stepper (lowlevel.c) */
        if (rq->arg.step.kind == 'i' && s->state == ENG_STOPPED) {
            Thread *th = eng_selected_thread(s);
            if (th) native_arm_step_into(s, th->tid);
        }
        if (rq->arg.step.kind == 'u' && s->state == ENG_STOPPED) {
            /* finish from a callback returns to its native caller, not past it to the
             * next managed frame (where the runtime's step out goes). */
            Thread *th = eng_selected_thread(s);
            uint64_t ra = th && s->current_frame == 0 ? eng_native_caller_pc(s, th->t) : 0;
            if (ra) nt_step_targets(s->nt, &ra, 1, (int)th->tid);
        }
        return 0;
    case REQ_BACKTRACE:
        if (!native_only) return 0;
        if (s->state != ENG_STOPPED) { eng_fail(rq, "the program is running; pause it first"); return 1; }
        native_backtrace(s, rq);
        return 1;
    case REQ_THREADS:
        if (!native_only) return 0;
        native_threads(s, rq);
        return 1;
    case REQ_SELECT_THREAD:
        if (!native_only && !(s->nstop.active && !eng_thread_by_id(s, rq->arg.select_thread.thread_id))) return 0;
        select_native_thread(s, rq);
        return 1;
    case REQ_SELECT_FRAME:
        if (!native_only) return 0;
        select_native_frame(s, rq);
        return 1;
    case REQ_PAUSE:
        if (!native_only) return 0;
        if (s->state != ENG_RUNNING) { eng_fail(rq, "the program is not running"); return 1; }
        nt_interrupt(s->nt);
        return 1;
    case REQ_VARS: case REQ_EVALUATE: case REQ_SCOPES: case REQ_VARIABLES: case REQ_EVAL_REF: case REQ_SET_VALUE:
    case REQ_JUMP: case REQ_STATICS: case REQ_COMPLETE: case REQ_CALL_INJECTED: case REQ_FRAME_LOCATION:
        if (!native_only) return 0;
        eng_fail(rq, "native code has no C# values here: use info registers, x and disassemble");
        return 1;
    default:
        return 0;
    }
}

int eng_set_debug_file_directory(const char *dirs, char *out, size_t cap)
{
    /* libdwfl takes an entry not starting with '/' as relative to each library's own
     * directory (as ".debug" is): make the user's relative ones absolute from here */
    char cwd[4096];
    if (!getcwd(cwd, sizeof cwd)) cwd[0] = 0;
    size_t len = strlen(dirs) + 1;
    for (const char *p = dirs; *p; p++) if (*p == ':') len += strlen(cwd) + 1;
    char *abs = malloc(len + strlen(cwd) + 2);
    if (!abs) return -1;
    size_t o = 0;
    for (const char *p = dirs; *p;) {
        size_t n = strcspn(p, ":");
        if (n) {
            if (o) abs[o++] = ':';
            if (p[0] != '/' && cwd[0]) o += (size_t)sprintf(abs + o, "%s/", cwd);
            memcpy(abs + o, p, n);
            o += n;
        }
        p += n;
        if (*p == ':') p++;
    }
    abs[o] = 0;
    int rc = ns_set_debug_file_directory(abs);
    free(abs);
    ns_debug_file_directory(out, cap);
    return rc;
}

/* ---------------------------------------------------------------- for nwatch.c */

int native_eval_address(EngSession *s, const char *text, uint64_t *out, char *err, size_t cap)
{
    return eval_address(s, text, out, err, cap);
}

int native_selected_frame(EngSession *s, uint64_t *pc, uint64_t *cfa, uint64_t *rbp)
{
    *pc = *cfa = *rbp = 0;
    if (!s->nt || s->state != ENG_STOPPED || (s->cordb && !s->nstop.active)) return -1;
    uint32_t tid = selected_tid(s);
    NtRegs r;
    if (!tid || nt_get_regs(s->nt, (int)tid, &r) != 0) return -1;
    NsRegs nr;
    regs_to_ns(&r, &nr);
    enum { MAX = 64 };
    NsFrame fr[MAX];
    int want = s->current_frame;
    NsSpace *sp = nt_sym_lock(s->nt);
    int n = sp ? ns_unwind(sp, &nr, fr, want + 2 < MAX ? want + 2 : MAX) : 0;   /* the cfa of the last frame is 0 */
    nt_sym_unlock(s->nt);
    if (want >= n) return -1;
    *pc = want > 0 ? fr[want].pc - 1 : fr[want].pc;
    *cfa = fr[want].cfa;
    if (want == 0) *rbp = r.rbp;
    return 0;
}

int native_core_begin(EngSession *s, char *err, size_t cap)
{
    native_end(s);
    if (!s->core) { snprintf(err, cap, "no core dump is open"); return -1; }
    s->nt = nt_open_core(s->core, s->mode == ENG_MODE_NATIVE ? NT_NATIVE : NT_MIXED);
    if (!s->nt) { snprintf(err, cap, "cannot read the core's threads and libraries (out of memory)"); return -1; }
    size_t n = core_nthreads(s->core);
    if (n == 0) { native_end(s); snprintf(err, cap, "the core holds no thread"); return -1; }
    /* The stop the core shows: the thread the kernel wrote first (the one that got the
     * signal), frozen where it was. The managed side (core.c) may select another. */
    const CoreThread *first = core_thread(s->core, 0);
    /* Mixed (a .NET core): the managed side numbers the threads and picks the crash moment;
     * s->nt serves the native stretches of its stacks and the native views. */
    if (s->mode != ENG_MODE_NATIVE) return 0;
    /* numbered as a live native session numbers them: the main thread is thread 1 */
    int pid = core_pid(s->core);
    if (core_thread_by_tid(s->core, pid)) native_thread_id(s, (uint32_t)pid);
    for (size_t i = 0; i < n; i++) native_thread_id(s, (uint32_t)core_thread(s->core, i)->tid);
    s->nstop.active = 1;
    s->nstop.tid = first->tid;
    s->nstop.pc = first->regs.rip;
    s->current_thread = native_thread_id(s, (uint32_t)first->tid);
    s->current_frame = 0;
    return 0;
}
