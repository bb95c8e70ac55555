/* Source-level stepping built from the runtime's IL steppers (seed 001: stepping by
 * statements is the debugger's job). A step covers the IL range of the current statement
 * from the PDB; the runtime stops when the thread leaves it. Landing on a hidden sequence
 * point (0xFEEFEE, compiler glue) steps on; with just-my-code the runtime's JMC stepper
 * does not stop in code that is not the user's.
 *
 *   STOPPED ──step/next/finish──▶ STEPPING (RUNNING) ──StepComplete──▶ hidden? step again
 *                                        │                              └─▶ STOPPED
 *                                        └─ breakpoint / exception / exit: step cancelled */
#include "engine/internal.h"
#include "base/log.h"
#include "meta/md.h"

#include <stdio.h>
#include <string.h>

/* Async stepping (issue 5): a step over an `await` that suspends the method would leave
 * MoveNext and end wherever the thread goes next. Instead, breakpoints wait at the resume
 * offsets the PDB names (AsyncMethodSteppingInformation), and only the same state machine
 * instance (a strong handle to MoveNext's `this`) ends the step there, on whatever thread
 * it resumes. */
static void async_clear(EngSession *s)
{
    for (size_t i = 0; i < s->nasync_bps; i++) {
        s->async_bps[i]->lpVtbl->Activate(s->async_bps[i], FALSE);
        s->async_bps[i]->lpVtbl->Release(s->async_bps[i]);
    }
    s->nasync_bps = 0;
    if (s->async_this) { s->async_this->lpVtbl->Release(s->async_this); s->async_this = NULL; }
    s->async_finish = 0;
    s->async_notify = 0;
}

void step_cancel(EngSession *s)
{
    async_clear(s);
    retval_forget_bps(s);
    if (!s->stepper) return;
    s->stepper->lpVtbl->Deactivate(s->stepper);
    s->stepper->lpVtbl->Release(s->stepper);
    s->stepper = NULL;
}

/* Address of the object MoveNext's `this` refers to in frame f (0 if unknown). */
static CORDB_ADDRESS this_address(ICorDebugFrame *f, ICorDebugHandleValue **handle)
{
    ICorDebugILFrame *il = NULL;
    ICorDebugValue *v = NULL;
    ICorDebugReferenceValue *rv = NULL;
    CORDB_ADDRESS addr = 0;
    if (FAILED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame, (void **)&il)) || !il) return 0;
    if (SUCCEEDED(il->lpVtbl->GetArgument(il, 0, &v)) && v &&
        SUCCEEDED(v->lpVtbl->QueryInterface(v, &IID_ICorDebugReferenceValue, (void **)&rv)) && rv) {
        rv->lpVtbl->GetValue(rv, &addr);
        ICorDebugValue *obj = NULL;
        ICorDebugHeapValue2 *hv = NULL;
        if (handle && SUCCEEDED(rv->lpVtbl->Dereference(rv, &obj)) && obj) {
            if (SUCCEEDED(obj->lpVtbl->QueryInterface(obj, &IID_ICorDebugHeapValue2, (void **)&hv)) && hv) {
                hv->lpVtbl->CreateHandle(hv, HANDLE_STRONG, handle);
                hv->lpVtbl->Release(hv);
            }
            obj->lpVtbl->Release(obj);
        }
        rv->lpVtbl->Release(rv);
    }
    if (v) v->lpVtbl->Release(v);
    il->lpVtbl->Release(il);
    return addr;
}

/* ---- finish out of an async method (issue 16) ----
 * The awaiting caller resumes wherever its continuation runs: inline in this method's
 * SetResult, or on its own thread when the task completed before the caller registered
 * its continuation (it then never suspends). A stepper on this thread alone races with
 * that, and under load it ended in whatever this pool thread ran next. So, as vsdbg does,
 * the method's Task gets the runtime's wait-notification bit
 * (TaskStateFlags.WaitCompletionNotification): the awaiter's GetResult on that task then
 * calls Task.NotifyDebuggerOfWaitCompletion on the thread where the caller goes on; a
 * breakpoint there, for this task only, then a step out to the first user frame and over
 * the rest of the awaiting statement, ends in the caller after its await. */
enum { TASK_WAIT_NOTIFICATION = 0x10000000 };

static void utf16_name(const char *name, WCHAR *w, size_t cap)
{
    size_t i = 0;
    for (; name[i] && i + 1 < cap; i++) w[i] = (WCHAR)(unsigned char)name[i];
    w[i] = 0;
}

/* The instance field `name` of an object (or of the object a reference points to), looked
 * up through its exact type and its bases; AddRef'ed, or NULL. */
static ICorDebugValue *field_value(ICorDebugValue *v, const char *name)
{
    ICorDebugReferenceValue *rv = NULL;
    ICorDebugValue *obj = NULL, *out = NULL;
    if (SUCCEEDED(v->lpVtbl->QueryInterface(v, &IID_ICorDebugReferenceValue, (void **)&rv)) && rv) {
        BOOL null = TRUE;
        rv->lpVtbl->IsNull(rv, &null);
        if (!null) rv->lpVtbl->Dereference(rv, &obj);
        rv->lpVtbl->Release(rv);
        if (!obj) return NULL;
    } else {
        obj = v;
        obj->lpVtbl->AddRef(obj);
    }
    ICorDebugObjectValue *ov = NULL;
    ICorDebugValue2 *v2 = NULL;
    ICorDebugType *ty = NULL;
    WCHAR w[64];
    utf16_name(name, w, 64);
    if (SUCCEEDED(obj->lpVtbl->QueryInterface(obj, &IID_ICorDebugObjectValue, (void **)&ov)) && ov &&
        SUCCEEDED(obj->lpVtbl->QueryInterface(obj, &IID_ICorDebugValue2, (void **)&v2)) && v2)
        v2->lpVtbl->GetExactType(v2, &ty);
    for (int depth = 0; ty && !out && depth < 16; depth++) {
        ICorDebugClass *c = NULL;
        ICorDebugModule *mod = NULL;
        IMetaDataImport *md = NULL;
        mdTypeDef td = 0;
        mdFieldDef fd = 0;
        if (SUCCEEDED(ty->lpVtbl->GetClass(ty, &c)) && c && SUCCEEDED(c->lpVtbl->GetToken(c, &td)) &&
            SUCCEEDED(c->lpVtbl->GetModule(c, &mod)) && mod &&
            SUCCEEDED(mod->lpVtbl->GetMetaDataInterface(mod, &IID_IMetaDataImport, (IUnknown **)&md)) && md &&
            SUCCEEDED(md->lpVtbl->FindField(md, td, w, NULL, 0, &fd)) && fd)
            if (FAILED(ov->lpVtbl->GetFieldValue(ov, c, fd, &out))) out = NULL;
        if (md) md->lpVtbl->Release(md);
        if (mod) mod->lpVtbl->Release(mod);
        if (c) c->lpVtbl->Release(c);
        ICorDebugType *base = NULL;
        if (!out) ty->lpVtbl->GetBase(ty, &base);
        ty->lpVtbl->Release(ty);
        ty = base;
    }
    if (ty) ty->lpVtbl->Release(ty);
    if (v2) v2->lpVtbl->Release(v2);
    if (ov) ov->lpVtbl->Release(ov);
    obj->lpVtbl->Release(obj);
    return out;
}

/* A breakpoint at the start of System.Threading.Tasks.Task.NotifyDebuggerOfWaitCompletion
 * (CoreLib); NULL when CoreLib or the method cannot be found. */
static ICorDebugFunctionBreakpoint *wait_notification_bp(EngSession *s)
{
    ICorDebugFunctionBreakpoint *bp = NULL;
    for (size_t i = 0; i < s->nmodules && !bp; i++) {
        Module *m = &s->modules[i];
        if (strcmp(m->name, "System.Private.CoreLib")) continue;
        IMetaDataImport *md = NULL;
        mdTypeDef td = 0;
        mdMethodDef mt = 0;
        WCHAR w[64];
        if (FAILED(m->m->lpVtbl->GetMetaDataInterface(m->m, &IID_IMetaDataImport, (IUnknown **)&md)) || !md) continue;
        utf16_name("System.Threading.Tasks.Task", w, 64);
        if (SUCCEEDED(md->lpVtbl->FindTypeDefByName(md, w, 0, &td))) {
            utf16_name("NotifyDebuggerOfWaitCompletion", w, 64);
            md->lpVtbl->FindMethod(md, td, w, NULL, 0, &mt);
        }
        md->lpVtbl->Release(md);
        ICorDebugFunction *fn = NULL;
        ICorDebugCode *code = NULL;
        if (mt && SUCCEEDED(m->m->lpVtbl->GetFunctionFromToken(m->m, mt, &fn)) &&
            SUCCEEDED(fn->lpVtbl->GetILCode(fn, &code)) && SUCCEEDED(code->lpVtbl->CreateBreakpoint(code, 0, &bp)) && bp)
            bp->lpVtbl->Activate(bp, TRUE);
        if (code) code->lpVtbl->Release(code);
        if (fn) fn->lpVtbl->Release(fn);
    }
    return bp;
}

/* The task of an async method's state machine `sm` (MoveNext's `this`): its builder's
 * m_task, a reference (AddRef'ed), or NULL when there is none: the kickoff method has not
 * asked for it yet (the method has not returned to its caller: before its first await), or
 * the builder keeps none (ValueTask's). */
static ICorDebugValue *sm_task(ICorDebugValue *sm)
{
    ICorDebugValue *builder = field_value(sm, "<>t__builder");
    ICorDebugValue *task = builder ? field_value(builder, "m_task") : NULL;
    if (builder) builder->lpVtbl->Release(builder);
    return task;
}

/* The stepped state machine (async_this), dereferenced; AddRef'ed or NULL. */
static ICorDebugValue *stepped_sm(EngSession *s)
{
    ICorDebugValue *sm = NULL;
    if (!s->async_this || FAILED(s->async_this->lpVtbl->Dereference(s->async_this, &sm))) return NULL;
    return sm;
}

/* Wait for the awaiter of the task of state machine `sm`: 0 when armed (async_notify); 1
 * when the task has completed already; -1 when there is no task to mark. */
static int notify_arm(EngSession *s, ICorDebugValue *sm)
{
    enum { TASK_COMPLETED = 0x1600000 };   /* RanToCompletion | Faulted | Canceled */
    ICorDebugValue *task = sm_task(sm);
    ICorDebugValue *flags = task ? field_value(task, "m_stateFlags") : NULL;
    ICorDebugGenericValue *gv = NULL;
    ICorDebugFunctionBreakpoint *bp = NULL;
    int rc = -1;
    int32_t fl = 0;
    if (!flags || FAILED(flags->lpVtbl->QueryInterface(flags, &IID_ICorDebugGenericValue, (void **)&gv)) || !gv ||
        FAILED(gv->lpVtbl->GetValue(gv, &fl)))
        goto out;
    if (fl & TASK_COMPLETED) { rc = 1; goto out; }
    if (!(bp = wait_notification_bp(s)) || !GROW(s->async_bps, s->nasync_bps, s->cap_async_bps)) goto out;
    fl |= TASK_WAIT_NOTIFICATION;
    if (FAILED(gv->lpVtbl->SetValue(gv, &fl))) goto out;
    s->async_bps[s->nasync_bps++] = bp;
    s->async_notify = (int)s->nasync_bps;
    bp = NULL;
    log_msg(LOG_DEBUG, "step", "async step: waiting for the task's awaiter too");
    rc = 0;
out:
    if (bp) { bp->lpVtbl->Activate(bp, FALSE); bp->lpVtbl->Release(bp); }
    if (gv) gv->lpVtbl->Release(gv);
    if (flags) flags->lpVtbl->Release(flags);
    if (task) task->lpVtbl->Release(task);
    return rc;
}

/* Step from async MoveNext frame f: remember its state machine (async_this, unless the
 * resume points did) and wait for its task's awaiter (notify_arm's result). */
static int notify_arm_frame(EngSession *s, ICorDebugFrame *f, uint32_t movenext)
{
    ICorDebugILFrame *il = NULL;
    ICorDebugValue *sm = NULL;
    int rc = -1;
    if (!s->async_this) {
        this_address(f, &s->async_this);
        s->async_method = movenext;
    }
    if (s->async_this && SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame, (void **)&il)) && il &&
        SUCCEEDED(il->lpVtbl->GetArgument(il, 0, &sm)) && sm)
        rc = notify_arm(s, sm);
    if (sm) sm->lpVtbl->Release(sm);
    if (il) il->lpVtbl->Release(il);
    return rc;
}

/* Is this thread's top frame Task.NotifyDebuggerOfWaitCompletion for the stepped state
 * machine's task? */
static int our_task_notified(EngSession *s, ICorDebugThread *t)
{
    ICorDebugFrame *f = NULL;
    CORDB_ADDRESS here = 0, ours = 0;
    if (t && SUCCEEDED(t->lpVtbl->GetActiveFrame(t, &f)) && f) {
        here = this_address(f, NULL);
        f->lpVtbl->Release(f);
    }
    ICorDebugValue *sm = stepped_sm(s);
    ICorDebugValue *task = sm ? sm_task(sm) : NULL;
    ICorDebugReferenceValue *rv = NULL;
    if (task && SUCCEEDED(task->lpVtbl->QueryInterface(task, &IID_ICorDebugReferenceValue, (void **)&rv)) && rv) {
        rv->lpVtbl->GetValue(rv, &ours);
        rv->lpVtbl->Release(rv);
    }
    if (task) task->lpVtbl->Release(task);
    if (sm) sm->lpVtbl->Release(sm);
    return here && here == ours;
}

/* Is the stepped state machine's MoveNext a caller of thread t's top frame (a step into
 * entered a callee, not code the thread ran after leaving the method)? */
static int sm_below(EngSession *s, ICorDebugThread *t)
{
    ICorDebugFrame *f = NULL;
    CORDB_ADDRESS ours = 0;
    int found = 0;
    if (!s->async_this || FAILED(s->async_this->lpVtbl->GetValue(s->async_this, &ours)) || !ours) return 0;
    if (FAILED(t->lpVtbl->GetActiveFrame(t, &f)) || !f) return 0;
    for (int depth = 0; f && !found && depth < 256; depth++) {
        ICorDebugFrame *caller = NULL;
        if (FAILED(f->lpVtbl->GetCaller(f, &caller))) caller = NULL;
        f->lpVtbl->Release(f);
        f = caller;
        if (f) found = this_address(f, NULL) == ours;
    }
    if (f) f->lpVtbl->Release(f);
    return found;
}

/* Is the thread's top frame the stepped state machine (MoveNext's `this` is it)? */
static int same_state_machine(EngSession *s, ICorDebugThread *t)
{
    ICorDebugFrame *f = NULL;
    CORDB_ADDRESS here = 0, ours = 0;
    if (t && SUCCEEDED(t->lpVtbl->GetActiveFrame(t, &f)) && f) {
        here = this_address(f, NULL);
        f->lpVtbl->Release(f);
    }
    if (s->async_this) s->async_this->lpVtbl->GetValue(s->async_this, &ours);
    return here && here == ours;
}

/* When the statement being stepped over holds awaits of an async MoveNext, wait at their
 * resume points too. */
static void async_arm(EngSession *s, ICorDebugFrame *f, Module *m, PdbModule *sym, const Where *w,
                      COR_DEBUG_STEP_RANGE range)
{
    const PdbFile *pdb = pdb_module_pdb(sym);
    MdPool pool = { 0 };
    PdbAsyncInfo ai;
    if (!pdb || pdb_async_info(pdb, &pool, w->token & 0x00ffffff, &ai) != 0) { md_pool_free(&pool); return; }
    for (uint32_t i = 0; i < ai.nawaits; i++) {
        const PdbAwait *a = &ai.awaits[i];
        if (a->yield_offset < range.startOffset || a->yield_offset >= range.endOffset) continue;
        ICorDebugFunction *fn = NULL;
        ICorDebugCode *code = NULL;
        ICorDebugFunctionBreakpoint *bp = NULL;
        if (SUCCEEDED(m->m->lpVtbl->GetFunctionFromToken(m->m, 0x06000000 | a->resume_method, &fn)) &&
            SUCCEEDED(fn->lpVtbl->GetILCode(fn, &code)) &&
            SUCCEEDED(code->lpVtbl->CreateBreakpoint(code, a->resume_offset, &bp)) && bp &&
            GROW(s->async_bps, s->nasync_bps, s->cap_async_bps)) {
            bp->lpVtbl->Activate(bp, TRUE);
            s->async_bps[s->nasync_bps++] = bp;
            bp = NULL;
        }
        if (bp) bp->lpVtbl->Release(bp);
        if (code) code->lpVtbl->Release(code);
        if (fn) fn->lpVtbl->Release(fn);
    }
    if (s->nasync_bps && !s->async_this) {
        s->async_method = w->token;
        this_address(f, &s->async_this);
        log_msg(LOG_DEBUG, "step", "async step: %zu resume point(s)", s->nasync_bps);
    }
    md_pool_free(&pool);
}

/* Is w in an async method's MoveNext? Then *rest is [w's IL offset, end of its code). */
static int async_method_rest(const PdbModule *sym, const Where *w, COR_DEBUG_STEP_RANGE *rest)
{
    const PdbFile *pdb = pdb_module_pdb(sym);
    uint32_t rid = w->token & 0x00ffffff;
    MdPool pool = { 0 };
    PdbAsyncInfo ai;
    int is_async = pdb && pdb_async_info(pdb, &pool, rid, &ai) == 0;
    md_pool_free(&pool);
    MdMethodBody body;
    if (!is_async || md_method_body(pdb_module_image(sym), rid, &body) != 0 || body.il_size <= w->il) return 0;
    rest->startOffset = w->il;
    rest->endOffset = body.il_size;
    return 1;
}

/* Arm a stepper on thread t's active frame. kind: 'i' into, 'o' over, 'u' out, 'U' out to
 * the first user frame (just-my-code whatever the setting: out of the runtime's code), 'O'
 * out to the caller whoever's it is (no just-my-code), 'r' into the rest of the statement,
 * or of the method where it has no lines (just-my-code whatever the setting). With
 * keep_async, the resume points of an async step already waiting stay as they are; else
 * they are set anew for the awaits in this statement. */
static int arm(EngSession *s, ICorDebugThread *t, int kind, int keep_async, char *err, size_t cap)
{
    ICorDebugFrame *f = NULL;
    char b[96];
    if (FAILED(t->lpVtbl->GetActiveFrame(t, &f)) || !f) {
        snprintf(err, cap, "the thread has no managed frame to step in");
        return -1;
    }
    Where w;
    eng_where_frame(s, f, &w);
    ICorDebugStepper *st = NULL;
    HRESULT hr = f->lpVtbl->CreateStepper(f, &st);
    f->lpVtbl->Release(f);
    if (FAILED(hr) || !st) {
        snprintf(err, cap, "cannot step here: %s", clr_hr_str(hr, b, sizeof b));
        return -1;
    }
    st->lpVtbl->SetUnmappedStopMask(st, STOP_NONE);
    /* Into a call also means into the static constructor it triggers (the runtime runs it
     * from its own helpers: "intercepted" code). */
    st->lpVtbl->SetInterceptMask(st, kind == 'i' || kind == 'r' ? INTERCEPT_CLASS_INIT : INTERCEPT_NONE);
    ICorDebugStepper2 *st2 = NULL;
    if (SUCCEEDED(st->lpVtbl->QueryInterface(st, &IID_ICorDebugStepper2, (void **)&st2)) && st2) {
        st2->lpVtbl->SetJMC(st2, kind != 'O' && (s->just_my_code || kind == 'U' || kind == 'r') ? TRUE : FALSE);
        st2->lpVtbl->Release(st2);
    }
    /* The IL range of the statement the thread is in (or of the hidden stretch). */
    COR_DEBUG_STEP_RANGE range = { 0, 0 };
    int have_range = 0;
    Module *m = w.module_id ? eng_module_by_id(s, w.module_id) : NULL;
    PdbModule *sym = m ? eng_module_symbols(s, m, 0) : NULL;
    PdbLocation loc;
    if (sym && pdb_module_pdb(sym) && pdb_module_locate(sym, w.token, w.il, &loc) == 0) {
        range.startOffset = loc.il_start;
        range.endOffset = loc.il_end;
        have_range = loc.il_end > loc.il_start;
    }
    if (!keep_async) async_clear(s);
    /* Kept (a hidden stretch of the same state machine) or not, the awaits whose yields are
     * in this range get resume points: the IsCompleted check and the yield of an `await`
     * lie in the hidden code after its statement. */
    if ((kind == 'o' || kind == 'i' || kind == 'r') && have_range && (!keep_async || s->async_this)) {
        ICorDebugFrame *af = NULL;
        if (SUCCEEDED(t->lpVtbl->GetActiveFrame(t, &af)) && af) {
            async_arm(s, af, m, sym, &w, range);
            af->lpVtbl->Release(af);
        }
    }
    /* Out of an async method (finish, or a step off its end): its awaiting caller goes on
     * wherever the continuation runs, so wait for the awaiter of the method's task, on
     * whatever thread (notify_arm). Before the method has first returned to its caller it
     * has no task yet: finish steps out to the caller first (never into the rest of the
     * method, which may call deeper user code), then waits from there (step_complete). */
    COR_DEBUG_STEP_RANGE rest = { w.il, 0 };
    int is_async = !keep_async && sym && async_method_rest(sym, &w, &rest);
    int finish_later = 0;
    if (is_async && (kind == 'u' || ((kind == 'o' || kind == 'i') && have_range))) {
        ICorDebugFrame *af = NULL;
        int rc = SUCCEEDED(t->lpVtbl->GetActiveFrame(t, &af)) && af ? notify_arm_frame(s, af, w.token) : -1;
        if (af) af->lpVtbl->Release(af);
        if (kind == 'u' && rc == 0) {
            st->lpVtbl->Release(st);
            if (s->stepper) {
                s->stepper->lpVtbl->Deactivate(s->stepper);
                s->stepper->lpVtbl->Release(s->stepper);
                s->stepper = NULL;
            }
            s->step_kind = 'u';
            s->async_finish = 1;
            return 0;
        }
        if (kind == 'u') {
            kind = 'U';   /* out of the builder's and the kickoff method's frames */
            finish_later = s->async_this != NULL;
            ICorDebugStepper2 *jmc = NULL;
            if (SUCCEEDED(st->lpVtbl->QueryInterface(st, &IID_ICorDebugStepper2, (void **)&jmc)) && jmc) {
                jmc->lpVtbl->SetJMC(jmc, TRUE);
                jmc->lpVtbl->Release(jmc);
            }
        }
    }
    MdMethodBody body;
    COR_DEBUG_STEP_RANGE tail = { w.il, 0 };
    if (kind == 'r' && !have_range && sym && md_method_body(pdb_module_image(sym), w.token & 0x00ffffff, &body) == 0 &&
        body.il_size > w.il)
        tail.endOffset = body.il_size;
    /* Over a statement's calls: their return values are read on the way (retval.c). */
    if (kind == 'o' && have_range && !tail.endOffset) retval_arm_step_over(s, t, range.startOffset, range.endOffset);
    else {
        retval_forget_bps(s);
        s->retbp_frame = 0;
    }
    if (kind == 'u' || kind == 'U' || kind == 'O') hr = st->lpVtbl->StepOut(st);
    else if (tail.endOffset) hr = st->lpVtbl->StepRange(st, TRUE, &tail, 1);
    else if (have_range) hr = st->lpVtbl->StepRange(st, kind == 'i' || kind == 'r', &range, 1);
    else hr = st->lpVtbl->StepOut(st);  /* no source here: go back to the caller */
    if (finish_later) s->async_finish = 2;   /* the state machine is known, its task to come */
    if (FAILED(hr)) {
        st->lpVtbl->Release(st);
        if (!keep_async) async_clear(s);
        snprintf(err, cap, "the runtime refused the step: %s", clr_hr_str(hr, b, sizeof b));
        return -1;
    }
    if (s->stepper) {
        s->stepper->lpVtbl->Deactivate(s->stepper);
        s->stepper->lpVtbl->Release(s->stepper);
    }
    s->stepper = st;
    s->step_kind = kind == 'U' || kind == 'O' ? 'u' : kind == 'r' ? 'i' : kind;
    return 0;
}

void step_request(EngSession *s, Request *rq)
{
    if (s->state == ENG_NONE) { snprintf(rq->res->err, sizeof rq->res->err, "the program is not being run"); rq->res->status = -1; return; }
    if (s->state != ENG_STOPPED) { snprintf(rq->res->err, sizeof rq->res->err, "the program is already running"); rq->res->status = -1; return; }
    Thread *th = eng_selected_thread(s);
    if (!th) { snprintf(rq->res->err, sizeof rq->res->err, "no thread to step"); rq->res->status = -1; return; }
    int ins = rq->arg.step.kind == 'I' || rq->arg.step.kind == 'N';   /* by instruction (lowlevel.c) */
    if (ins && lowlevel_step_instruction(s, th->t, rq->arg.step.kind, rq->res->err, sizeof rq->res->err) != 0) { rq->res->status = -1; return; }
    if (!ins && arm(s, th->t, rq->arg.step.kind, 0, rq->res->err, sizeof rq->res->err) != 0) { rq->res->status = -1; return; }
    s->step_thread = th->id;
    snprintf(s->step_target, sizeof s->step_target, "%s", rq->arg.step.kind == 'i' ? rq->arg.step.target : "");
    Where start;
    s->step_start_token = eng_where_thread(s, th->t, 0, &start) == 0 ? start.token : 0;
    s->step_start_il = s->step_start_token ? start.il : 0;
    Where from;
    if (s->step_target[0] && eng_where_thread(s, th->t, 0, &from) == 0) {
        s->step_origin_module = from.module_id;
        s->step_origin_token = from.token;
    }
    eng_resume(s, rq);
}

int step_rearm(EngSession *s, ICorDebugThread *t, char *err, size_t cap)
{
    int kind = s->step_kind;
    if (s->stepper) {
        s->stepper->lpVtbl->Deactivate(s->stepper);
        s->stepper->lpVtbl->Release(s->stepper);
        s->stepper = NULL;
    }
    return arm(s, t, kind, 1, err, cap);
}

/* Has w's method any (non-hidden) line? */
static int method_has_lines(EngSession *s, const Where *w)
{
    Module *m = eng_module_by_id(s, w->module_id);
    PdbModule *sym = m ? eng_module_symbols(s, m, 0) : NULL;
    const PdbFile *pdb = sym ? pdb_module_pdb(sym) : NULL;
    PdbSpIter it;
    PdbSeqPoint sp;
    if (!pdb || pdb_sp_begin(pdb, w->token & 0x00ffffff, &it) != 0) return 0;
    while (pdb_sp_next(&it, &sp) == 1)
        if (!sp.hidden) return 1;
    return 0;
}

/* Step filtering: a property accessor or an operator (special-name get_/set_/op_ methods)
 * is stepped through, not stopped in, when the user steps into a call. */
static int filtered(EngSession *s, const Where *w)
{
    if (!s->step_filtering || !w->module_id) return 0;
    Module *m = eng_module_by_id(s, w->module_id);
    PdbModule *sym = m ? eng_module_symbols(s, m, 1) : NULL;
    if (!sym) return 0;
    const MdMeta *md = &pdb_module_image(sym)->md;
    uint32_t rid = w->token & 0x00ffffff;
    enum { SPECIAL_NAME = 0x0800 };
    if (!(md_get(md, MD_T_MethodDef, rid, MD_MethodDef_Flags) & SPECIAL_NAME)) return 0;
    const char *name = md_string(md, md_get(md, MD_T_MethodDef, rid, MD_MethodDef_Name));
    return name && (!strncmp(name, "get_", 4) || !strncmp(name, "set_", 4) || !strncmp(name, "op_", 3));
}

/* StepComplete: stop at the new statement, or step on through compiler glue. Returns 1
 * when the session stopped (or stepped on: the event is answered either way). */
int step_complete(EngSession *s, ClrEvent *ev)
{
    if (!s->stepper || (void *)ev->stepper != (void *)s->stepper) return 0;
    s->stepper->lpVtbl->Release(s->stepper);
    s->stepper = NULL;
    Where w;
    int known = ev->thread && eng_where_thread(s, ev->thread, 0, &w) == 0;
    if (known) log_msg(LOG_DEBUG, "step", "step ended in %s at line %u (IL 0x%x)", w.function, (unsigned)w.line, (unsigned)w.il);
    if (s->step_kind == 'I' || s->step_kind == 'N') {
        /* one instruction: wherever it is, the stop */
        s->step_hops = 0;
        eng_stop_at(s, ENG_STOP_STEP, ev->thread, known ? &w : NULL);
        return 1;
    }
    char err[256];
    if (s->async_finish == 2) {
        /* Out of an async method that had not yet returned to its caller: back in the
         * caller now, the method has its task. Not completed: wait for its awaiter as
         * usual. Completed: only the rest of the caller's statement is left. */
        ICorDebugValue *sm = stepped_sm(s);
        int rc = sm ? notify_arm(s, sm) : -1;
        if (sm) sm->lpVtbl->Release(sm);
        if (rc == 0) {
            s->async_finish = 1;
            eng_continue_event(s, ev);
            return 1;
        }
        async_clear(s);
        if (known && s->step_kind == 'u') s->step_then = 'o';
    }
    if (known && s->step_kind == 'i' && filtered(s, &w) && s->step_hops < 64) {
        /* Landed in a filtered accessor: out of it, then on with the step into. */
        s->step_hops++;
        if (arm(s, ev->thread, 'u', 0, err, sizeof err) == 0) {
            s->step_then = 'i';
            eng_continue_event(s, ev);
            return 1;
        }
    }
    if (known && s->step_kind == 'u' && s->step_then && s->step_hops < 64) {
        /* Back from a filtered accessor, mid-statement: finish stepping into the rest
         * (or over it, back in an async method's caller after its await). Still in code
         * that is not the user's: out again. */
        int user = (w.user_code && w.module_id) || s->step_then == 'r';
        int then = user ? s->step_then : 'U';
        if (user) s->step_then = 0;
        s->step_hops++;
        if (arm(s, ev->thread, then, 0, err, sizeof err) == 0) {
            eng_continue_event(s, ev);
            return 1;
        }
    }
    s->step_then = 0;
    /* The same method is not enough: another invocation of it may run on this thread once
     * the stepped one has yielded (a thread-pool thread takes its next work item). */
    int in_async = s->nasync_bps && known && w.token == s->async_method && same_state_machine(s, ev->thread);
    if (s->nasync_bps && !in_async && s->step_kind == 'i' && sm_below(s, ev->thread)) {
        /* Stepped into a call of the async method: a new place, where the step goes on. */
        async_clear(s);
    } else if (s->nasync_bps && !in_async) {
        /* The method yielded at the await: the step goes on at its resume point, where
         * step_async_resume picks it up. */
        eng_continue_event(s, ev);
        return 1;
    }
    if (known && s->step_kind == 'i' && !w.line && w.module_id && !method_has_lines(s, &w) && s->step_hops < 64) {
        /* Stepped into a compiler-generated method without a line: an async method's state
         * machine constructor, called by the kickoff stub. Back to its caller without
         * just-my-code (the stub), then into the rest of that: on to the state machine's
         * MoveNext, the method the user stepped into (else only the rest of the caller's
         * statement, where the caller is the user's). */
        s->step_hops++;
        if (arm(s, ev->thread, 'O', 0, err, sizeof err) == 0) {
            s->step_then = 'r';
            eng_continue_event(s, ev);
            return 1;
        }
    }
    /* Compiler glue (a hidden point, or code that is not the user's, such as an async
     * method's DebuggerStepThrough stub) is stepped through. */
    if (known && (w.line == 0 || (s->just_my_code && !w.user_code)) && s->step_hops < 64) {
        s->step_hops++;
        if (arm(s, ev->thread, 'o', in_async, err, sizeof err) == 0) {
            eng_continue_event(s, ev);
            return 1;
        }
        log_msg(LOG_INFO, "step", "cannot step on from here: %s", err);
    }
    if (known && s->step_target[0] && s->step_hops < 64) {
        /* A step into one call of the statement: another call of it was entered first, so
         * out of that one and into the rest of the statement; back in the stepping method
         * (the statement is done without reaching it) or in the target: stop. */
        char here[512];
        retval_method_name(s, w.module_id, w.token, here, sizeof here);
        int origin = w.module_id == s->step_origin_module && w.token == s->step_origin_token;
        if (strcmp(here, s->step_target) && !origin) {
            s->step_hops++;
            if (arm(s, ev->thread, 'u', 0, err, sizeof err) == 0) {
                s->step_then = 'i';
                eng_continue_event(s, ev);
                return 1;
            }
        }
    }
    s->step_target[0] = 0;
    async_clear(s);
    retval_forget_bps(s);
    /* Out of a method: the value it returned, read at the return address (finish). */
    if (s->step_kind == 'u') retval_after_step_out(s, ev->thread, 0);
    else if (s->step_kind == 'o' && !s->nretvals && s->retbp_frame) retval_after_step_out(s, ev->thread, s->retbp_frame);
    s->step_hops = 0;
    eng_stop_at(s, ENG_STOP_STEP, ev->thread, known ? &w : NULL);
    return 1;
}

static const char *setip_refusal(HRESULT hr)
{
    switch (hr) {
    case CORDBG_E_CANT_SET_IP_INTO_FINALLY: return "the runtime cannot move into a finally block";
    case CORDBG_E_CANT_SET_IP_OUT_OF_FINALLY:
    case CORDBG_E_CANT_SET_IP_OUT_OF_FINALLY_ON_WIN64: return "the runtime cannot move out of a finally block";
    case CORDBG_E_CANT_SET_IP_INTO_CATCH: return "the runtime cannot move into a catch block";
    case CORDBG_E_CANT_SET_IP_OUT_OF_CATCH_ON_WIN64: return "the runtime cannot move out of a catch block";
    case CORDBG_E_CANT_SETIP_INTO_OR_OUT_OF_FILTER: return "the runtime cannot move into or out of an exception filter";
    case CORDBG_E_SET_IP_NOT_ALLOWED_ON_NONLEAF_FRAME: return "only the innermost frame's position can be set";
    case CORDBG_E_SET_IP_NOT_ALLOWED_ON_EXCEPTION: return "the thread is handling an exception";
    case CORDBG_E_SET_IP_IMPOSSIBLE: return "the runtime cannot move there from here (the stack would not be consistent)";
    default: return NULL;
    }
}

/* Set next statement: move the innermost frame's IL position to the start of LINE of the
 * same method (rq->arg.jump.line; relative set: from the current line). */
void step_jump(EngSession *s, Request *rq)
{
    EngResult *r = rq->res;
    char b[96];
#define JUMP_FAIL(...) do { snprintf(r->err, sizeof r->err, __VA_ARGS__); r->status = -1; goto out; } while (0)
    ICorDebugFrame *f = NULL;
    ICorDebugILFrame *il = NULL;
    MdPool pool = { 0 };
    if (s->state != ENG_STOPPED) {
        snprintf(r->err, sizeof r->err, s->state == ENG_NONE ? "the program is not being run" : "the program is running");
        r->status = -1;
        return;
    }
    if (s->current_frame != 0) JUMP_FAIL("jump moves the innermost frame only; select frame 0 first");
    Thread *th = eng_selected_thread(s);
    if (!th || FAILED(th->t->lpVtbl->GetActiveFrame(th->t, &f)) || !f) JUMP_FAIL("the thread has no managed frame");
    Where w;
    eng_where_frame(s, f, &w);
    if (!w.line) JUMP_FAIL("no source position here (no symbols for %s)", w.function);
    Module *m = eng_module_by_id(s, w.module_id);
    PdbModule *sym = m ? eng_module_symbols(s, m, 0) : NULL;
    if (!sym) JUMP_FAIL("no symbols for %s", w.function);
    long target = rq->arg.jump.relative ? (long)w.line + rq->arg.jump.line : rq->arg.jump.line;
    if (target < 1) JUMP_FAIL("line %ld is before the start of the file", target);
    PdbLineHit *hits = NULL;
    uint32_t n = 0, bound = 0;
    char err[256];
    if (pdb_module_resolve_line(sym, &pool, w.file, (uint32_t)target, &hits, &n, &bound, err, sizeof err) != 0)
        JUMP_FAIL("%s", err);
    uint32_t il_target = UINT32_MAX;
    for (uint32_t i = 0; i < n; i++)
        if (hits[i].method_token == w.token && hits[i].il < il_target) il_target = hits[i].il;
    if (il_target == UINT32_MAX) JUMP_FAIL("line %ld is not in %s: jump stays within the current method", target, w.function);
    if (FAILED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame, (void **)&il)) || !il) JUMP_FAIL("not an IL frame");
    HRESULT hr = il->lpVtbl->CanSetIP(il, il_target);
    if (hr == S_OK) hr = il->lpVtbl->SetIP(il, il_target);
    if (FAILED(hr) || hr != S_OK) {
        const char *why = setip_refusal(hr);
        JUMP_FAIL("cannot jump to line %u: %s", (unsigned)bound, why ? why : clr_hr_str(hr, b, sizeof b));
    }
    snprintf(r->message, sizeof r->message, "%s at %s:%u", w.function, strrchr(w.file, '/') ? strrchr(w.file, '/') + 1 : w.file, (unsigned)bound);
    r->id = (int)bound;
out:
    md_pool_free(&pool);
    if (il) il->lpVtbl->Release(il);
    if (f) f->lpVtbl->Release(f);
#undef JUMP_FAIL
}

/* A breakpoint event: one of the resume points of an async step? Then, for the same state
 * machine, finish the awaiting statement with a step over and stop after it. */
int step_async_resume(EngSession *s, ClrEvent *ev)
{
    size_t i = 0;
    for (; i < s->nasync_bps; i++)
        if ((void *)s->async_bps[i] == (void *)ev->breakpoint) break;
    if (i == s->nasync_bps) return 0;
    int notified = s->async_notify && i == (size_t)(s->async_notify - 1);
    if (notified ? !our_task_notified(s, ev->thread) : !same_state_machine(s, ev->thread)) {
        eng_continue_event(s, ev);   /* another invocation of the same method, another task */
        return 1;
    }
    async_clear(s);
    char err[256];
    if (notified) {
        /* In Task.NotifyDebuggerOfWaitCompletion, called by the awaiter's GetResult (the
         * method returned): out to the caller, then over the rest of its awaiting statement. */
        s->step_hops = 0;
        if (arm(s, ev->thread, 'U', 0, err, sizeof err) == 0) {
            s->step_then = 'o';
            eng_continue_event(s, ev);
            return 1;
        }
        log_msg(LOG_INFO, "step", "cannot step out to the awaiting caller: %s", err);
    } else if (arm(s, ev->thread, 'o', 0, err, sizeof err) == 0) {
        s->step_kind = 'o';
        eng_continue_event(s, ev);
        return 1;
    }
    Where w;
    int known = eng_where_thread(s, ev->thread, 0, &w) == 0;
    eng_stop_at(s, ENG_STOP_STEP, ev->thread, known ? &w : NULL);
    return 1;
}
