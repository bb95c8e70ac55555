/* Function evaluation: run a method, constructor or allocation on the stopped thread.
 *
 * An evaluation is set up with ICorDebugEval, then the process is let go (every hold
 * answered) with the other threads suspended, and this thread waits on the engine's own
 * event queue for EvalComplete/EvalException. Events that arrive meanwhile are decided as
 * usual except those that would stop the program (breakpoints, steps, exceptions of the
 * evaluated code): funceval_filter_event answers them. Past the timeout the evaluation is
 * aborted (Abort, then RudeAbort); if even that does not end it, the process is stopped
 * again so the session goes on, and the thread is reported as still busy.
 *
 *   STOPPED ──setup (CallFunction...)──▶ let go ──EvalComplete/EvalException──▶ STOPPED (held 1)
 *                                          │ timeout ──Abort──▶ │ timeout ──RudeAbort──▶ │ timeout
 *                                          └────────────── Stop() ◀──────────────────────┘
 */
#include "engine/internal.h"
#include "eval/eval.h"
#include "base/utf.h"
#include "base/log.h"
#include "clr/dbi.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int funceval_filter_event(EngSession *s, ClrEvent *ev)
{
    switch (ev->kind) {
    case CE_EVAL_COMPLETE: case CE_EVAL_EXCEPTION:
        funceval_stuck_done(s, ev);
        return 1;
    case CE_BREAKPOINT: {
        size_t bi;
        Breakpoint *bp = ev->breakpoint ? bp_find_hit(s, ev->breakpoint, &bi) : NULL;
        if (bp && bp->enabled && !bp->internal && !s->eval_hit_bp) {
            s->eval_hit_bp = bp->id;
            if (s->eval_bp_abort && s->eval_active) COM0(s->eval_active, Abort);
        }
        return 1;
    }
    case CE_STEP_COMPLETE: case CE_BREAK: case CE_EXCEPTION: case CE_EXCEPTION2:
    case CE_EXCEPTION_UNWIND:
        return 1;
    default:
        return 0;
    }
}

int funceval_stuck_done(EngSession *s, ClrEvent *ev)
{
    for (size_t i = 0; i < s->nthreads; i++) {
        Thread *th = &s->threads[i];
        if (!th->stuck_eval || (ev->eval && ev->eval != th->stuck_eval)) continue;
        COM0(th->stuck_eval, Release);
        th->stuck_eval = NULL;
        eng_notify_error(s, "the evaluation that could not be aborted on thread %d has ended", th->id);
        return 1;
    }
    return 0;
}

/* Abort and RudeAbort are answered by the runtime's helper thread, which can wait for ever
 * to interrupt a thread spinning in a loop (dotnet/coreclr#4623). They are made from a
 * thread of their own, so that the engine gives up after a while instead of hanging. */
typedef struct AbortCall {
    ICorDebugEval *e;
    int rude, done, abandoned;
    HRESULT hr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} AbortCall;

static void abort_call_free(AbortCall *a)
{
    COM0(a->e, Release);
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->cv);
    free(a);
}

static void *abort_main(void *arg)
{
    AbortCall *a = arg;
    HRESULT hr = E_FAIL;
    if (!a->rude) {
        hr = COM0(a->e, Abort);
    } else {
        ICorDebugEval2 *e2 = NULL;
        if (SUCCEEDED(COM(a->e, QueryInterface, &IID_ICorDebugEval2, (void **)&e2)) && e2) {
            hr = COM0(e2, RudeAbort);
            COM0(e2, Release);
        }
    }
    pthread_mutex_lock(&a->mu);
    a->hr = hr;
    a->done = 1;
    int abandoned = a->abandoned;
    pthread_cond_signal(&a->cv);
    pthread_mutex_unlock(&a->mu);
    if (abandoned) abort_call_free(a);
    return NULL;
}

/* 0 and the call's HRESULT, or -1 when it did not return within ms. */
static int abort_with_timeout(ICorDebugEval *e, int rude, int ms, HRESULT *hr)
{
    AbortCall *a = calloc(1, sizeof *a);
    if (!a) return -1;
    a->e = e;
    a->rude = rude;
    COM0(e, AddRef);
    pthread_mutex_init(&a->mu, NULL);
    pthread_cond_init(&a->cv, NULL);
    pthread_t t;
    if (pthread_create(&t, NULL, abort_main, a) != 0) { abort_call_free(a); return -1; }
    pthread_detach(t);
    struct timespec dl;
    clock_gettime(CLOCK_REALTIME, &dl);
    dl.tv_sec += ms / 1000;
    dl.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (dl.tv_nsec >= 1000000000L) { dl.tv_sec++; dl.tv_nsec -= 1000000000L; }
    pthread_mutex_lock(&a->mu);
    while (!a->done && pthread_cond_timedwait(&a->cv, &a->mu, &dl) != ETIMEDOUT) {}
    int done = a->done;
    if (!done) a->abandoned = 1;        /* the thread frees it when the call returns, if ever */
    *hr = a->hr;
    pthread_mutex_unlock(&a->mu);
    if (done) abort_call_free(a);
    return done ? 0 : -1;
}

static void deadline_in(struct timespec *ts, int ms)
{
    clock_gettime(CLOCK_REALTIME, ts);
    ts->tv_sec += ms / 1000;
    ts->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts->tv_nsec >= 1000000000L) { ts->tv_sec++; ts->tv_nsec -= 1000000000L; }
}

/* EvHost.run_eval: let the process run the evaluation set up in e; 0 with *result (NULL:
 * void), or -1. */
int eng_run_eval(EvCtx *c, ICorDebugEval *e, ICorDebugValue **result)
{
    EngSession *s = c->eng;
    *result = NULL;
    /* Values pinned by the evaluator must survive the Continue. */
    for (size_t i = 0; i < c->nholds_; i++) {
        EvVal *h = c->holds_[i];
        if (!h || !h->v || h->is_null || ev_is_primitive(h->et)) continue;
        ICorDebugValue *p = ev_pin(c, h->v);
        if (p != h->v) { h->v = p; h->is_lvalue = 0; }
    }

    /* Only this thread runs: the others stay where the user saw them. */
    COM(s->process, SetAllThreadsDebugState, THREAD_SUSPEND, c->thread);
    COM(c->thread, SetDebugState, THREAD_RUN);
    s->eval_active = e;
    s->eval_hit_bp = 0;
    c->evals++;
    eng_release_holds(s);

    int phase = 0;          /* 0 running, 1 Abort sent, 2 RudeAbort sent, 3 given up */
    int exc = 0, done = 0, gone = 0;
    struct timespec deadline;
    deadline_in(&deadline, s->eval_timeout_ms);
    while (!done) {
        ClrEvent *ev = eng_wait_event(s, &deadline);
        if (!ev) {
            phase++;
            if (phase <= 2) {
                /* Asked while the evaluation runs (no Stop: a thread spinning in a loop
                 * cannot be suspended on Linux, so Stop would wait for ever). */
                HRESULT ha = E_FAIL;
                if (abort_with_timeout(e, phase == 2, 3000, &ha) != 0) {
                    log_msg(LOG_INFO, "eval", "%s did not return: the runtime's debugger is stuck", phase == 1 ? "Abort" : "RudeAbort");
                    s->wedged = 1;
                    break;
                }
                log_msg(LOG_INFO, "eval", "timed out: %s (0x%08x)", phase == 1 ? "Abort" : "RudeAbort", (unsigned)ha);
            } else {
                /* Take the process back; the evaluation stays pending on its thread. (A
                 * thread waiting in native code can be stopped; a spinning one was caught
                 * by the wedge check above.) */
                HRESULT hr = COM(s->process, Stop, 0xFFFFFFFF);
                if (SUCCEEDED(hr)) s->held = 1;
                break;
            }
            /* The abort takes effect when the thread reaches a point where it can be
             * interrupted: a loop's back edge soon, a wait never (dotnet/runtime#82422). */
            deadline_in(&deadline, phase == 1 ? 2000 : 1000);
            continue;
        }
        if ((ev->kind == CE_EVAL_COMPLETE || ev->kind == CE_EVAL_EXCEPTION) &&
            ev->generation == s->generation && (!ev->eval || ev->eval == e)) {
            exc = ev->kind == CE_EVAL_EXCEPTION;
            done = 1;
            s->held = 1;            /* answered by the next continue */
            clr_event_free(ev);
            break;
        }
        eng_handle_event(s, ev);
        clr_event_free(ev);
        if (s->state == ENG_NONE) { gone = 1; break; }
    }
    s->eval_active = NULL;
    if (gone) return ev_fail(c, "the program exited during the evaluation");
    if (s->wedged)
        return ev_fail(c, "the evaluation did not end after %d ms and the runtime's debugger did not answer the abort "
                       "(a thread in a loop cannot be interrupted on Linux: dotnet/coreclr#4623); only 'kill' can end the program now",
                       s->eval_timeout_ms);
    if (!done) {
        /* Still running: remember it, so the thread is not used again until it ends. */
        Thread *th = eng_thread_by_id(s, c->thread_id);
        if (th) { COM0(e, AddRef); th->stuck_eval = e; }
    }
    /* After one timeout, showing values does not run more getters in this request. */
    if (!done || phase) c->funceval = 0;
    /* Every thread runs again at the next continue, but those the user froze. */
    COM(s->process, SetAllThreadsDebugState, THREAD_RUN, NULL);
    for (size_t i = 0; i < s->nthreads; i++)
        if (s->threads[i].frozen) COM(s->threads[i].t, SetDebugState, THREAD_SUSPEND);
    if (!done)
        return ev_fail(c, "the evaluation did not end after %d ms and the runtime could not abort it (it waits in "
                       "native code; dotnet/runtime#82422): thread %d runs it until it returns", s->eval_timeout_ms, c->thread_id);

    ICorDebugValue *v = NULL;
    HRESULT hr = COM(e, GetResult, &v);
    if (s->eval_hit_bp && s->eval_bp_abort) {
        /* Asked to stop at a breakpoint: the evaluation's result does not count, whether
         * the abort took effect or the code ran to its end first. */
        if (v) COM0(v, Release);
        return ev_fail(c, "the evaluation hit breakpoint %d and was %s", s->eval_hit_bp,
                       hr == CORDBG_S_FUNC_EVAL_ABORTED ? "aborted" : "abandoned (it ran to its end before the abort)");
    }
    if (hr == CORDBG_S_FUNC_EVAL_ABORTED) {
        if (v) COM0(v, Release);
        return ev_fail(c, "the evaluation timed out after %d ms and was aborted", s->eval_timeout_ms);
    }
    if (FAILED(hr)) {
        char b[96];
        return ev_fail(c, "the evaluation gave no result: %s", clr_hr_str(hr, b, sizeof b));
    }
    if (exc) {
        char type[256], msg[400];
        if (v) {
            eng_exception_value_info(v, type, sizeof type, msg, sizeof msg);
            COM0(v, Release);
        } else {
            snprintf(type, sizeof type, "exception");
            msg[0] = 0;
        }
        ev_fail(c, "%s%s%s", type, msg[0] ? ": " : "", msg);
        c->threw = 1;
        return -1;
    }
    if (hr == CORDBG_S_FUNC_EVAL_HAS_NO_RESULT || !v) {
        if (v) COM0(v, Release);
        return 0;
    }
    *result = ev_keep(c, v);
    return 0;
}

/* EvHost.eval_ready: may an evaluation start on the context's thread now? */
int eng_eval_ready(EvCtx *c)
{
    EngSession *s = c->eng;
    if (s->state != ENG_STOPPED || !s->process) return ev_fail(c, "the program is not stopped");
    if (s->eval_active) return ev_fail(c, "an evaluation is already running");
    if (!c->thread) return ev_fail(c, "no thread to evaluate on");
    Thread *th = eng_thread_by_id(s, c->thread_id);
    if (!th) return ev_fail(c, "thread %d has exited", c->thread_id);
    if (th->frozen) return ev_fail(c, "thread %d is frozen; thaw it to evaluate functions on it", c->thread_id);
    if (th->stuck_eval)
        return ev_fail(c, "thread %d is still running an evaluation that could not be aborted", c->thread_id);
    return 0;
}
