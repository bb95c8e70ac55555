/* Return values (issue 17): after `finish` (a step out) and after a step over a call, the
 * value the call returned, as Visual Studio shows it ("Frames.Program.Compute returned 42"),
 * at the stop and in the frame's locals.
 *
 * The runtime keeps a call's return value only for a moment: right after the call returns,
 * at the native offsets ICorDebugCode3::GetReturnValueLiveOffset gives for the call's IL
 * offset, where ICorDebugILFrame3::GetReturnValueForILOffset reads it.
 *   - A step out stops exactly there (the return address in the caller): the calls of the
 *     caller's method are matched against the frame's native offset.
 *   - A step over passes there: before the step, a breakpoint goes at the live offsets of
 *     each call in the stepped range (the frame's own native code); when one is hit in
 *     that same frame, the value is read and the step goes on.
 * The value is turned into text at once (a value dies at the next Continue), without
 * running code in the program (no ToString: the step is still under way). */
#include "engine/internal.h"
#include "eval/eval.h"
#include "meta/sig.h"
#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ECMA-335 III: the operand size of opcode op (two-byte opcodes after 0xFE when fe), or -1
 * for an opcode not defined; `switch` (0x45) is handled by the caller. */
static int operand_size(uint8_t op, int fe)
{
    if (fe) {
        switch (op) {
        case 0x06: case 0x07: case 0x15: case 0x16: case 0x1C: return 4;  /* ldftn ldvirtftn initobj constrained. sizeof */
        case 0x09: case 0x0A: case 0x0B: case 0x0C: case 0x0D: case 0x0E: return 2;  /* ldarg.. stloc */
        case 0x12: case 0x19: return 1;                                   /* unaligned. no. */
        default: return op <= 0x1E ? 0 : -1;
        }
    }
    if (op <= 0x0D) return 0;
    if (op <= 0x13) return 1;                       /* ldarg.s .. stloc.s */
    if (op <= 0x1E) return 0;                       /* ldnull, ldc.i4.m1 .. ldc.i4.8 */
    switch (op) {
    case 0x1F: return 1;                            /* ldc.i4.s */
    case 0x20: case 0x22: return 4;                 /* ldc.i4, ldc.r4 */
    case 0x21: case 0x23: return 8;                 /* ldc.i8, ldc.r8 */
    case 0x25: case 0x26: case 0x2A: return 0;      /* dup pop ret */
    case 0x27: case 0x28: case 0x29: return 4;      /* jmp call calli */
    case 0xDE: return 1;                            /* leave.s */
    case 0xDD: return 4;                            /* leave */
    case 0xA3: case 0xA4: case 0xA5: case 0x8C: case 0x8D: case 0x8F: case 0xC2: case 0xC6: case 0xD0: return 4;
    }
    if (op >= 0x2B && op <= 0x37) return 1;         /* br.s family */
    if (op >= 0x38 && op <= 0x44) return 4;         /* br family */
    if (op >= 0x46 && op <= 0x6E) return 0;
    if (op >= 0x6F && op <= 0x75) return 4;         /* callvirt cpobj ldobj ldstr newobj castclass isinst */
    if (op == 0x76 || op == 0x7A) return 0;
    if (op == 0x79 || (op >= 0x7B && op <= 0x81)) return 4;  /* unbox, field access, stobj */
    if ((op >= 0x82 && op <= 0x8B) || op == 0x8E || (op >= 0x90 && op <= 0xA2) || (op >= 0xB3 && op <= 0xBA) ||
        op == 0xC3 || (op >= 0xD1 && op <= 0xDC) || op == 0xDF || op == 0xE0)
        return 0;
    return -1;
}

/* The calls (call, callvirt) in IL [from, to) of a body: their offsets and method tokens,
 * up to cap; the count. A byte stream that does not decode ends the scan. */
static size_t il_calls(const MdMethodBody *b, uint32_t from, uint32_t to, uint32_t *offs, uint32_t *toks, size_t cap, int newobj)
{
    size_t n = 0;
    uint32_t off = 0;
    if (to > b->il_size) to = b->il_size;
    while (off < to && n < cap) {
        uint32_t at = off;
        uint8_t op = b->il[off++];
        int fe = op == 0xFE;
        if (fe) {
            if (off >= b->il_size) break;
            op = b->il[off++];
        }
        int sz;
        if (!fe && op == 0x45) {                    /* switch: a count, then that many targets */
            if (off + 4 > b->il_size) break;
            uint32_t k = (uint32_t)b->il[off] | (uint32_t)b->il[off + 1] << 8 | (uint32_t)b->il[off + 2] << 16 |
                         (uint32_t)b->il[off + 3] << 24;
            if (k > b->il_size / 4) break;
            sz = 4 + (int)(4 * k);
        } else sz = operand_size(op, fe);
        if (sz < 0 || off + (uint32_t)sz > b->il_size) break;
        if (!fe && (op == 0x28 || op == 0x6F || (newobj && op == 0x73)) && at >= from) {
            offs[n] = at;
            toks[n] = (uint32_t)b->il[off] | (uint32_t)b->il[off + 1] << 8 | (uint32_t)b->il[off + 2] << 16 |
                      (uint32_t)b->il[off + 3] << 24;
            n++;
        }
        off += (uint32_t)sz;
    }
    return n;
}

/* "Ns.Type.Method" of a method token (MethodDef, MemberRef, MethodSpec) as frames name it. */
static void callee_name(const MdMeta *md, uint32_t tok, char *out, size_t cap, int depth)
{
    uint32_t table = tok >> 24, rid = tok & 0x00ffffff;
    snprintf(out, cap, "method 0x%08x", (unsigned)tok);
    if (table == MD_T_MethodDef && rid && rid <= md_rows(md, MD_T_MethodDef)) {
        char full[1024];
        md_method_display_ex(md, rid, MD_DISP_TYPE | MD_DISP_FRIENDLY, NULL, 0, 0, full, sizeof full);
        /* No return type, no parameter list: the name is the part before the '(' that
         * matches the last ')', after the last space outside <> before it. */
        size_t len = strlen(full);
        int d = 0;
        size_t open = len;
        for (size_t i = len; i-- > 0;) {
            if (full[i] == ')') d++;
            else if (full[i] == '(' && --d == 0) { open = i; break; }
        }
        full[open] = 0;
        char *name = full;
        d = 0;
        for (char *p = full; *p; p++) {
            if (*p == '<') d++;
            else if (*p == '>') d--;
            else if (*p == ' ' && d == 0) name = p + 1;
        }
        snprintf(out, cap, "%s", name);
    } else if (table == MD_T_MemberRef && rid && rid <= md_rows(md, MD_T_MemberRef)) {
        uint32_t parent = md_coded_token(MD_CI_MemberRefParent, md_get(md, MD_T_MemberRef, rid, MD_MemberRef_Class));
        const char *name = md_string(md, md_get(md, MD_T_MemberRef, rid, MD_MemberRef_Name));
        char type[512] = "";
        uint32_t pt = parent >> 24;
        if (pt == MD_T_TypeDef || pt == MD_T_TypeRef || pt == MD_T_TypeSpec) md_token_type_name(md, parent, type, sizeof type);
        snprintf(out, cap, "%s%s%s", type, type[0] ? "." : "", name ? name : "?");
    } else if (table == MD_T_MethodSpec && rid && rid <= md_rows(md, MD_T_MethodSpec) && depth < 2) {
        uint32_t m = md_coded_token(MD_CI_MethodDefOrRef, md_get(md, MD_T_MethodSpec, rid, MD_MethodSpec_Method));
        callee_name(md, m, out, cap, depth + 1);
    }
}

void retval_forget_bps(EngSession *s)
{
    for (size_t i = 0; i < s->nretbps; i++) {
        s->retbps[i].bp->lpVtbl->Activate(s->retbps[i].bp, FALSE);
        s->retbps[i].bp->lpVtbl->Release(s->retbps[i].bp);
    }
    free(s->retbps);
    s->retbps = NULL;
    s->nretbps = s->cap_retbps = 0;
}

void retval_clear(EngSession *s)
{
    s->nretvals = 0;
    s->retval_thread = 0;
}

/* The frame's method: its module, metadata and body; NULL when it has no symbols. */
static const MdMeta *frame_method(EngSession *s, ICorDebugFrame *f, Module **mo, uint32_t *token, MdMethodBody *body)
{
    Where w;
    if (eng_where_frame(s, f, &w) != 0 || !w.module_id) return NULL;
    Module *m = eng_module_by_id(s, w.module_id);
    PdbModule *sym = m ? eng_module_symbols(s, m, 1) : NULL;
    if (!sym || md_method_body(pdb_module_image(sym), w.token & 0x00ffffff, body) != 0) return NULL;
    *mo = m;
    *token = w.token;
    return &pdb_module_image(sym)->md;
}

static ICorDebugCode3 *frame_code3(ICorDebugFrame *f, ICorDebugCode **native)
{
    ICorDebugNativeFrame *nf = NULL;
    ICorDebugCode3 *c3 = NULL;
    *native = NULL;
    if (FAILED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugNativeFrame, (void **)&nf)) || !nf) return NULL;
    if (SUCCEEDED(nf->lpVtbl->GetCode(nf, native)) && *native &&
        FAILED((*native)->lpVtbl->QueryInterface(*native, &IID_ICorDebugCode3, (void **)&c3)))
        c3 = NULL;
    nf->lpVtbl->Release(nf);
    if (!c3 && *native) { (*native)->lpVtbl->Release(*native); *native = NULL; }
    return c3;
}

/* Read the value the call at IL offset il returned, in frame f, into the list shown at
 * the next stop. */
static void capture(EngSession *s, ICorDebugThread *t, ICorDebugFrame *f, const MdMeta *md, uint32_t il, uint32_t callee)
{
    ICorDebugILFrame3 *f3 = NULL;
    ICorDebugValue *v = NULL;
    if (FAILED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame3, (void **)&f3)) || !f3) return;
    HRESULT hr = f3->lpVtbl->GetReturnValueForILOffset(f3, il, &v);
    f3->lpVtbl->Release(f3);
    if (FAILED(hr) || !v) {
        log_msg(LOG_DEBUG, "retval", "no return value at IL 0x%x: 0x%08x", (unsigned)il, (unsigned)hr);
        return;
    }
    if (s->nretvals == sizeof s->retvals / sizeof *s->retvals) {
        /* Visual Studio keeps the last ones: drop the oldest. */
        memmove(&s->retvals[0], &s->retvals[1], sizeof s->retvals - sizeof s->retvals[0]);
        s->nretvals--;
    }
    RetVal *r = &s->retvals[s->nretvals];
    callee_name(md, callee, r->name, sizeof r->name, 0);
    DWORD tid = 0;
    t->lpVtbl->GetID(t, &tid);
    Thread *th = NULL;
    for (size_t i = 0; i < s->nthreads; i++)
        if (s->threads[i].tid == tid) th = &s->threads[i];
    if (!th) {
        v->lpVtbl->Release(v);
        return;
    }
    /* On its thread (where a static member of the value is read), with no function
     * evaluation: no code runs in the program in the middle of a step. */
    EvCtx c;
    int ok = eng_eval_init_on(&c, s, t) == 0;
    EvVal ev;
    StrBuf b;
    sb_init(&b);
    if (c.arena) ev_keep(&c, v);
    else v->lpVtbl->Release(v);
    if (ok && ev_from_value(&c, v, &ev) == 0) ev_summary(&c, &ev, &b);
    snprintf(r->value, sizeof r->value, "%s", b.data ? b.data : "?");
    sb_free(&b);
    ev_done(&c);
    s->retval_thread = th->id;
    s->nretvals++;
    log_msg(LOG_DEBUG, "retval", "%s returned %s", r->name, r->value);
}

void retval_arm_step_over(EngSession *s, ICorDebugThread *t, uint32_t il_start, uint32_t il_end)
{
    retval_forget_bps(s);
    ICorDebugFrame *f = NULL;
    if (FAILED(t->lpVtbl->GetActiveFrame(t, &f)) || !f) return;
    Module *m = NULL;
    uint32_t token = 0;
    MdMethodBody body;
    ICorDebugCode *native = NULL;
    ICorDebugCode3 *c3 = NULL;
    const MdMeta *md = frame_method(s, f, &m, &token, &body);
    if (md) c3 = frame_code3(f, &native);
    CORDB_ADDRESS lo = 0, hi = 0;
    f->lpVtbl->GetStackRange(f, &lo, &hi);
    f->lpVtbl->Release(f);
    s->retbp_frame = lo;
    s->retbp_token = token;
    if (!c3) return;
    enum { MAX_CALLS = 64 };
    uint32_t offs[MAX_CALLS], toks[MAX_CALLS];
    size_t n = il_calls(&body, il_start, il_end, offs, toks, MAX_CALLS, 0);
    for (size_t i = 0; i < n; i++) {
        ULONG32 live[8], got = 0;
        HRESULT hr = c3->lpVtbl->GetReturnValueLiveOffset(c3, offs[i], 8, &got, live);
        if (FAILED(hr)) {       /* a void method, or a return the runtime cannot give */
            log_msg(LOG_DEBUG, "retval", "call at IL 0x%x: no live offset (0x%08x)", (unsigned)offs[i], (unsigned)hr);
            continue;
        }
        for (ULONG32 k = 0; k < got && k < 8; k++) {
            ICorDebugFunctionBreakpoint *bp = NULL;
            if (FAILED(native->lpVtbl->CreateBreakpoint(native, live[k], &bp)) || !bp) continue;
            if (!GROW(s->retbps, s->nretbps, s->cap_retbps)) { bp->lpVtbl->Activate(bp, FALSE); bp->lpVtbl->Release(bp); break; }
            s->retbps[s->nretbps++] = (RetBp){ .bp = bp, .il = offs[i], .callee = toks[i] };
        }
    }
    c3->lpVtbl->Release(c3);
    native->lpVtbl->Release(native);
    log_msg(LOG_DEBUG, "retval", "step over: %zu call(s), %zu return breakpoint(s)", n, s->nretbps);
}

int retval_breakpoint(EngSession *s, ClrEvent *ev)
{
    size_t i = 0;
    for (; i < s->nretbps; i++)
        if ((void *)s->retbps[i].bp == (void *)ev->breakpoint) break;
    if (i == s->nretbps) return 0;
    /* The stepped frame's own call, not a deeper call of the same method (recursion). */
    ICorDebugFrame *f = NULL;
    CORDB_ADDRESS lo = 0, hi = 0;
    if (ev->thread && SUCCEEDED(ev->thread->lpVtbl->GetActiveFrame(ev->thread, &f)) && f &&
        SUCCEEDED(f->lpVtbl->GetStackRange(f, &lo, &hi)) && lo == s->retbp_frame) {
        Module *m;
        uint32_t token;
        MdMethodBody body;
        const MdMeta *md = frame_method(s, f, &m, &token, &body);
        if (md && token == s->retbp_token) capture(s, ev->thread, f, md, s->retbps[i].il, s->retbps[i].callee);
    }
    if (f) f->lpVtbl->Release(f);
    return 1;
}

void retval_after_step_out(EngSession *s, ICorDebugThread *t, CORDB_ADDRESS left)
{
    ICorDebugFrame *f = NULL;
    if (!t || FAILED(t->lpVtbl->GetActiveFrame(t, &f)) || !f) return;
    CORDB_ADDRESS lo = 0, hi = 0;
    if (left && (FAILED(f->lpVtbl->GetStackRange(f, &lo, &hi)) || lo == left)) {
        f->lpVtbl->Release(f);              /* still in the stepped frame: no return here */
        return;
    }
    Module *m = NULL;
    uint32_t token = 0;
    MdMethodBody body;
    ICorDebugCode *native = NULL;
    ICorDebugCode3 *c3 = NULL;
    ICorDebugNativeFrame *nf = NULL;
    ULONG32 ip = 0;
    const MdMeta *md = frame_method(s, f, &m, &token, &body);
    if (md && SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugNativeFrame, (void **)&nf)) && nf) {
        if (SUCCEEDED(nf->lpVtbl->GetIP(nf, &ip))) c3 = frame_code3(f, &native);
        nf->lpVtbl->Release(nf);
    }
    if (c3) {
        enum { MAX_CALLS = 512 };
        uint32_t *offs = malloc(MAX_CALLS * sizeof *offs), *toks = malloc(MAX_CALLS * sizeof *toks);
        size_t n = offs && toks ? il_calls(&body, 0, body.il_size, offs, toks, MAX_CALLS, 0) : 0;
        int found = 0;
        for (size_t i = 0; i < n && !found; i++) {
            ULONG32 live[8], got = 0;
            if (FAILED(c3->lpVtbl->GetReturnValueLiveOffset(c3, offs[i], 8, &got, live))) continue;
            for (ULONG32 k = 0; k < got && k < 8 && !found; k++)
                if (live[k] == ip) {
                    capture(s, t, f, md, offs[i], toks[i]);
                    found = 1;
                }
        }
        free(offs);
        free(toks);
        c3->lpVtbl->Release(c3);
        native->lpVtbl->Release(native);
    }
    f->lpVtbl->Release(f);
}

size_t retval_lines(EngSession *s, char *out, size_t cap)
{
    size_t o = 0;
    if (cap) out[0] = 0;
    for (size_t i = 0; i < s->nretvals && o + 1 < cap; i++)
        o += (size_t)snprintf(out + o, cap - o, "%s%s returned %s", i ? "\n" : "", s->retvals[i].name, s->retvals[i].value);
    return s->nretvals;
}

void retval_method_name(EngSession *s, int module_id, uint32_t token, char *out, size_t cap)
{
    out[0] = 0;
    Module *m = eng_module_by_id(s, module_id);
    PdbModule *sym = m ? eng_module_symbols(s, m, 1) : NULL;
    if (sym) callee_name(&pdb_module_image(sym)->md, token, out, cap, 0);
}

void retval_step_targets(EngSession *s, Request *rq)
{
    if (s->state != ENG_STOPPED) { eng_fail(rq, "the program is not stopped"); return; }
    Thread *th = NULL;
    for (size_t i = 0; i < s->nthreads; i++) if (s->threads[i].id == rq->arg.step_targets.thread_id) th = &s->threads[i];
    if (!th) { eng_fail(rq, "no thread %d", rq->arg.step_targets.thread_id); return; }
    ICorDebugFrame *f = NULL;
    if (FAILED(th->t->lpVtbl->GetActiveFrame(th->t, &f)) || !f) { eng_fail(rq, "thread %d has no managed frame", th->id); return; }
    Module *m = NULL;
    uint32_t token = 0;
    MdMethodBody body;
    Where w;
    const MdMeta *md = frame_method(s, f, &m, &token, &body);
    int at = eng_where_frame(s, f, &w);
    f->lpVtbl->Release(f);
    PdbModule *sym = md ? eng_module_symbols(s, m, 0) : NULL;
    PdbLocation loc;
    if (!md || at != 0 || !sym || pdb_module_locate(sym, token, w.il, &loc) != 0) {
        eng_fail(rq, "the current statement has no symbols");
        return;
    }
    enum { MAX_CALLS = 64 };
    uint32_t offs[MAX_CALLS], toks[MAX_CALLS];
    size_t n = il_calls(&body, loc.il_start, loc.il_end, offs, toks, MAX_CALLS, 1);
    size_t cap = 0;
    for (size_t i = 0; i < n; i++) {
        if (!GROW(rq->res->values, rq->res->nvalues, cap)) break;
        EngValue *v = &rq->res->values[rq->res->nvalues++];
        memset(v, 0, sizeof *v);
        callee_name(md, toks[i], v->name, sizeof v->name, 0);
    }
}
