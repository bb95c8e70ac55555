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

#include <stdio.h>
#include <string.h>

void step_cancel(EngSession *s)
{
    if (!s->stepper) return;
    s->stepper->lpVtbl->Deactivate(s->stepper);
    s->stepper->lpVtbl->Release(s->stepper);
    s->stepper = NULL;
}

/* Arm a stepper on thread t's active frame. kind: 'i' into, 'o' over, 'u' out. */
static int arm(EngSession *s, ICorDebugThread *t, int kind, char *err, size_t cap)
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
    st->lpVtbl->SetInterceptMask(st, INTERCEPT_NONE);
    ICorDebugStepper2 *st2 = NULL;
    if (SUCCEEDED(st->lpVtbl->QueryInterface(st, &IID_ICorDebugStepper2, (void **)&st2)) && st2) {
        st2->lpVtbl->SetJMC(st2, s->just_my_code ? TRUE : FALSE);
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
    if (kind == 'u') hr = st->lpVtbl->StepOut(st);
    else if (have_range) hr = st->lpVtbl->StepRange(st, kind == 'i', &range, 1);
    else hr = st->lpVtbl->StepOut(st);  /* no source here: go back to the caller */
    if (FAILED(hr)) {
        st->lpVtbl->Release(st);
        snprintf(err, cap, "the runtime refused the step: %s", clr_hr_str(hr, b, sizeof b));
        return -1;
    }
    step_cancel(s);
    s->stepper = st;
    s->step_kind = kind;
    return 0;
}

void step_request(EngSession *s, Request *rq)
{
    if (s->state == ENG_NONE) { snprintf(rq->res->err, sizeof rq->res->err, "the program is not being run"); rq->res->status = -1; return; }
    if (s->state != ENG_STOPPED) { snprintf(rq->res->err, sizeof rq->res->err, "the program is already running"); rq->res->status = -1; return; }
    Thread *th = NULL;
    for (size_t i = 0; i < s->nthreads; i++)
        if (s->threads[i].id == s->current_thread) th = &s->threads[i];
    if (!th && s->nthreads) th = &s->threads[0];
    if (!th) { snprintf(rq->res->err, sizeof rq->res->err, "no thread to step"); rq->res->status = -1; return; }
    if (arm(s, th->t, rq->value, rq->res->err, sizeof rq->res->err) != 0) { rq->res->status = -1; return; }
    s->step_thread = th->id;
    eng_resume(s, rq);
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
    if (known && w.user_code && w.line == 0 && s->step_kind != 'u' && s->step_hops < 64) {
        /* A hidden sequence point: keep going to the next visible line. */
        char err[256];
        s->step_hops++;
        if (arm(s, ev->thread, 'o', err, sizeof err) == 0) {
            eng_continue_event(s, ev);
            return 1;
        }
        log_msg(LOG_INFO, "step", "cannot step on from a hidden point: %s", err);
    }
    s->step_hops = 0;
    eng_stop_at(s, ENG_STOP_STEP, ev->thread, known ? &w : NULL);
    return 1;
}
