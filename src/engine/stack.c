/* Call stacks: a thread's chains and frames as the runtime reports them, each frame turned
 * into source terms (where.c). Managed frames come from ICorDebug; native stretches and
 * the runtime's internal frames are shown as such, not hidden. Frame objects die at each
 * Continue, so nothing here is kept: every request walks again. */
#include "engine/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *internal_frame_name(CorDebugInternalFrameType t)
{
    switch ((int)t) {
    case 1: return "managed to unmanaged transition";   /* STUBFRAME_M2U */
    case 2: return "unmanaged to managed transition";   /* STUBFRAME_U2M */
    case 3: return "app domain transition";
    case 4: return "lightweight function";
    case 5: return "function evaluation";
    case 6: return "internal call";
    case 7: return "class initialization";
    case 8: return "exception";
    case 9: return "security";
    case 10: return "JIT compilation";
    default: return "runtime";
    }
}

/* Visit each frame of thread t, top first: fn gets the frame (NULL for a native stretch
 * of an unmanaged chain), the native frame when the native engine unwound that stretch
 * (mixed mode: one visit per native frame), and its index; nonzero stops the walk. */
typedef int (*FrameVisit)(EngSession *s, ICorDebugFrame *f, const NsFrame *nf, int index, void *ctx);

/* The V3 stack walk (ICorDebugThread3::CreateStackWalk): what a dump offers, where the
 * right side has no shim and EnumerateChains fails. A stretch of native code comes as a
 * frame-less step (one "[native code]" frame per stretch). */
static int walk_v3(EngSession *s, ICorDebugThread *t, FrameVisit visit, void *ctx)
{
    ICorDebugThread3 *t3 = NULL;
    ICorDebugStackWalk *sw = NULL;
    if (FAILED(t->lpVtbl->QueryInterface(t, &IID_ICorDebugThread3, (void **)&t3)) || !t3) return -1;
    HRESULT hr = t3->lpVtbl->CreateStackWalk(t3, &sw);
    t3->lpVtbl->Release(t3);
    if (FAILED(hr) || !sw) return -1;
    int index = 0, stop = 0, in_native = 0;
    for (int guard = 0; !stop && guard < 100000; guard++) {
        ICorDebugFrame *f = NULL;
        hr = sw->lpVtbl->GetFrame(sw, &f);
        if (FAILED(hr)) break;
        if (f) {
            in_native = 0;
            stop = visit(s, f, NULL, index++, ctx);
            f->lpVtbl->Release(f);
        } else if (!in_native) {
            in_native = 1;
            /* Mixed mode over a core: the stretch's native frames, unwound with CFI from the
             * context the walk is at (a dump's crash: from below the signal frame; a stretch
             * of only the runtime's code stays one "[native code]" line). */
            NsFrame *nf = NULL;
            int n = s->mode == ENG_MODE_MIXED ? native_stackwalk_frames(s, sw, &nf) : 0;
            for (int i = 0; i < n && !stop; i++) stop = visit(s, NULL, &nf[i], index++, ctx);
            free(nf);
            if (!n) stop = visit(s, NULL, NULL, index++, ctx);
        }
        if (sw->lpVtbl->Next(sw) != S_OK) break;    /* CORDBG_S_AT_END_OF_STACK, or a failure */
    }
    sw->lpVtbl->Release(sw);
    return 0;
}

static int walk(EngSession *s, ICorDebugThread *t, FrameVisit visit, void *ctx)
{
    ICorDebugChainEnum *chains = NULL;
    if (FAILED(t->lpVtbl->EnumerateChains(t, &chains)) || !chains) return walk_v3(s, t, visit, ctx);
    int index = 0, stop = 0, nchain = 0;
    DWORD tid = 0;
    t->lpVtbl->GetID(t, &tid);
    int frozen = s->nstop.active && (DWORD)s->nstop.tid == tid;
    ICorDebugChain *chain = NULL;
    ULONG got = 0;
    while (!stop && SUCCEEDED(chains->lpVtbl->Next(chains, 1, &chain, &got)) && got == 1) {
        BOOL managed = FALSE;
        chain->lpVtbl->IsManaged(chain, &managed);
        int first = nchain++ == 0;
        if (!managed || (first && frozen)) {
            /* Mixed mode: the stretch's native frames (the frozen thread's top ones from its
             * live registers, which the runtime does not track). */
            NsFrame *nf = NULL;
            int n = s->nt ? native_chain_frames(s, t, chain, first, &nf) : 0;
            for (int i = 0; i < n && !stop; i++) stop = visit(s, NULL, &nf[i], index++, ctx);
            free(nf);
            if (!n && !managed) stop = visit(s, NULL, NULL, index++, ctx);
        }
        if (managed && !stop) {
            ICorDebugFrameEnum *frames = NULL;
            if (SUCCEEDED(chain->lpVtbl->EnumerateFrames(chain, &frames)) && frames) {
                ICorDebugFrame *f = NULL;
                ULONG n = 0;
                while (!stop && SUCCEEDED(frames->lpVtbl->Next(frames, 1, &f, &n)) && n == 1) {
                    stop = visit(s, f, NULL, index++, ctx);
                    f->lpVtbl->Release(f);
                }
                frames->lpVtbl->Release(frames);
            }
        }
        chain->lpVtbl->Release(chain);
    }
    chains->lpVtbl->Release(chains);
    return 0;
}

/* Describe one frame for a front end. */
static void describe(EngSession *s, ICorDebugFrame *f, int index, int with_args, EngFrameInfo *fi)
{
    memset(fi, 0, sizeof *fi);
    fi->index = index;
    if (!f) {
        fi->kind = ENG_FRAME_NATIVE;
        snprintf(fi->function, sizeof fi->function, "[native code]");
        return;
    }
    ICorDebugInternalFrame *inf = NULL;
    if (SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugInternalFrame, (void **)&inf)) && inf) {
        CorDebugInternalFrameType type = 0;
        inf->lpVtbl->GetFrameType(inf, &type);
        inf->lpVtbl->Release(inf);
        fi->kind = ENG_FRAME_RUNTIME;
        snprintf(fi->function, sizeof fi->function, "[%s]", internal_frame_name(type));
        return;
    }
    Where w;
    if (eng_where_frame(s, f, &w) != 0) {
        fi->kind = ENG_FRAME_NATIVE;
        snprintf(fi->function, sizeof fi->function, "[native code]");
        return;
    }
    fi->kind = w.user_code ? ENG_FRAME_USER : ENG_FRAME_EXTERNAL;
    if (with_args && fi->kind == ENG_FRAME_USER) eng_where_args(s, f, &w);
    snprintf(fi->function, sizeof fi->function, "%s", w.function);
    snprintf(fi->file, sizeof fi->file, "%s", w.file);
    fi->line = w.line;
    fi->il = w.il;
    fi->module_id = w.module_id;
    fi->ip = lowlevel_frame_ip(f);
}

typedef struct Collect {
    EngFrameInfo *frames;
    size_t n, cap, limit;
    int with_args;
} Collect;

static int collect(EngSession *s, ICorDebugFrame *f, const NsFrame *nf, int index, void *ctx)
{
    Collect *c = ctx;
    if (c->limit && c->n >= c->limit) return 1;
    if (!GROW(c->frames, c->n, c->cap)) return 1;
    if (nf) {
        c->frames[c->n].index = index;
        native_describe_frame(s, nf, &c->frames[c->n++]);
        return 0;
    }
    describe(s, f, index, c->with_args, &c->frames[c->n++]);
    return 0;
}

int eng_stack(EngSession *s, ICorDebugThread *t, size_t limit, int with_args, EngFrameInfo **out, size_t *n)
{
    Collect c = { .limit = limit, .with_args = with_args };
    int rc = walk(s, t, collect, &c);
    *out = c.frames;
    *n = c.n;
    return rc;
}

typedef struct Find {
    int want;
    ICorDebugFrame *found;
} Find;

static int find(EngSession *s, ICorDebugFrame *f, const NsFrame *nf, int index, void *ctx)
{
    (void)s;
    Find *fd = ctx;
    if (index != fd->want) return 0;
    if (f) { f->lpVtbl->AddRef(f); fd->found = f; }
    return 1;
}

typedef struct FindAddr {
    CORDB_ADDRESS lo;
    int index;
} FindAddr;

static int find_addr(EngSession *s, ICorDebugFrame *f, const NsFrame *nf, int index, void *ctx)
{
    (void)s;
    FindAddr *fa = ctx;
    CORDB_ADDRESS lo = 0, hi = 0;
    if (nf || !f || FAILED(f->lpVtbl->GetStackRange(f, &lo, &hi)) || lo != fa->lo) return 0;
    fa->index = index;
    return 1;
}

int eng_frame_index_of(EngSession *s, ICorDebugThread *t, ICorDebugFrame *f)
{
    CORDB_ADDRESS lo = 0, hi = 0;
    if (!f || FAILED(f->lpVtbl->GetStackRange(f, &lo, &hi))) return -1;
    FindAddr fa = { .lo = lo, .index = -1 };
    walk(s, t, find_addr, &fa);
    return fa.index;
}

ICorDebugFrame *eng_frame_at(EngSession *s, ICorDebugThread *t, int index)
{
    /* The top frame needs no stack walk (a walk right after a Continue costs milliseconds):
     * what breakpoint conditions and log points evaluate in. */
    if (index == 0) {
        ICorDebugFrame *f = NULL;
        ICorDebugILFrame *il = NULL;
        if (SUCCEEDED(t->lpVtbl->GetActiveFrame(t, &f)) && f &&
            SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame, (void **)&il)) && il) {
            il->lpVtbl->Release(il);
            return f;
        }
        if (f) f->lpVtbl->Release(f);
    }
    Find fd = { .want = index };
    walk(s, t, find, &fd);
    return fd.found;
}

/* Mixed mode: the return address into native code of thread t's top managed frame, when
 * its caller is native (a callback called through a reverse P/Invoke). 0 when not. */
typedef struct NativeCaller { int seen_managed; uint64_t pc; } NativeCaller;

static int native_caller(EngSession *s, ICorDebugFrame *f, const NsFrame *nf, int index, void *ctx)
{
    (void)s;
    NativeCaller *nc = ctx;
    if (index == 0) { nc->seen_managed = f != NULL && nf == NULL; return !nc->seen_managed; }
    if (nf) { nc->pc = nf->pc; return 1; }
    if (f) {
        /* A transition frame of the runtime sits between the two: look past it. */
        ICorDebugInternalFrame *inf = NULL;
        if (SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugInternalFrame, (void **)&inf)) && inf) {
            inf->lpVtbl->Release(inf);
            return 0;
        }
    }
    return 1;
}

uint64_t eng_native_caller_pc(EngSession *s, ICorDebugThread *t)
{
    NativeCaller nc = { 0 };
    if (!s->nt) return 0;
    walk(s, t, native_caller, &nc);
    return nc.pc;
}

/* Every managed frame of t, top first, to fn (nonzero stops). For where.c in a dump. */
typedef struct ManagedVisit { int (*fn)(EngSession *, ICorDebugFrame *, void *); void *ctx; } ManagedVisit;

static int managed_only(EngSession *s, ICorDebugFrame *f, const NsFrame *nf, int index, void *ctx)
{
    (void)nf; (void)index;
    ManagedVisit *mv = ctx;
    return f ? mv->fn(s, f, mv->ctx) : 0;
}

int eng_walk_managed(EngSession *s, ICorDebugThread *t, int (*fn)(EngSession *, ICorDebugFrame *, void *), void *ctx)
{
    ManagedVisit mv = { fn, ctx };
    return walk(s, t, managed_only, &mv);
}
