/* Function evaluation: run a method, constructor or allocation on the stopped thread.
 *
 * An evaluation is set up with ICorDebugEval, then the process is let go (every hold
 * answered) with the other threads suspended, and this thread waits on the engine's own
 * event queue for EvalComplete/EvalException. Events that arrive meanwhile are decided as
 * usual except those that would stop the program (breakpoints, steps, exceptions of the
 * evaluated code): funceval_filter_event answers them. Past the timeout, what is done
 * depends on what the thread does (its kernel state):
 *   - it runs (a loop): Abort, a thread abort that takes effect at the loop's back edge and
 *     runs the finally blocks on the way out;
 *   - it waits (a lock, an event, another thread's work): most likely for a thread the
 *     evaluation suspended, so every thread is let run for a while (Visual Studio's "all
 *     threads run"), which lets the holder finish and the evaluation end normally. It is
 *     not aborted: an abort does not interrupt a wait on Linux (dotnet/runtime#82422), and
 *     one delivered as Monitor.Enter acquires the lock leaves that lock held for ever.
 * If the evaluation still has not ended, the process is stopped again so the session goes on,
 * and the thread is reported as still busy (it returns normally when it can).
 *
 * Never RudeAbort: it skips finally blocks, so a lock the evaluated code holds (a `lock` in a
 * getter) would stay held for ever and the program deadlock later.
 *
 *   STOPPED ──setup (CallFunction...)──▶ let go ──EvalComplete/EvalException──▶ STOPPED (held 1)
 *                         timeout, runs  │ ──Abort──▶ timeout ──────────────────────────┐
 *                         timeout, waits │ ──Stop, every thread runs──▶ timeout ───────┤
 *                                        └──────────────── Stop() ◀────────────────────┘
 */
#include "engine/internal.h"
#include "eval/eval.h"
#include "base/utf.h"
#include "base/log.h"
#include "clr/dbi.h"
#include "meta/sig.h"

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
    ICorDebugProcess *stop;     /* Stop this process instead (the same hazard) */
    int rude, done, abandoned;
    HRESULT hr;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} AbortCall;

static void abort_call_free(AbortCall *a)
{
    if (a->e) COM0(a->e, Release);
    if (a->stop) COM0(a->stop, Release);
    pthread_mutex_destroy(&a->mu);
    pthread_cond_destroy(&a->cv);
    free(a);
}

static void *abort_main(void *arg)
{
    AbortCall *a = arg;
    HRESULT hr = E_FAIL;
    if (a->stop) {
        hr = COM(a->stop, Stop, 0xFFFFFFFF);
    } else if (!a->rude) {
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

/* 0 and the call's HRESULT, or -1 when it did not return within ms. With p: p->Stop. */
static int abort_with_timeout(ICorDebugEval *e, ICorDebugProcess *p, int rude, int ms, HRESULT *hr)
{
    AbortCall *a = calloc(1, sizeof *a);
    if (!a) return -1;
    a->e = p ? NULL : e;
    a->stop = p;
    a->rude = rude;
    if (a->e) COM0(e, AddRef);
    if (p) COM0(p, AddRef);
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

/* Does thread tid of process pid wait (sleeping in the kernel: a lock, an event, a join)
 * rather than run? A few looks, since a running thread may be caught in a system call. */
static int thread_waits(int pid, uint32_t tid)
{
    char path[96];
    snprintf(path, sizeof path, "/proc/%d/task/%u/stat", pid, (unsigned)tid);
    for (int i = 0; i < 5; i++) {
        FILE *f = fopen(path, "r");
        if (!f) return 0;
        char buf[512];
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        fclose(f);
        buf[n] = 0;
        const char *close = strrchr(buf, ')');          /* the name may hold spaces and ')' */
        if (!close || close[1] != ' ') return 0;
        char st = close[2];
        if (st == 'R') return 0;
        struct timespec pause = { 0, 10 * 1000000L };
        nanosleep(&pause, NULL);
    }
    return 1;
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

    int aborted = 0, others_ran = 0, waits = 0;
    int exc = 0, done = 0, gone = 0, timed_out = 0;
    struct timespec deadline;
    deadline_in(&deadline, s->eval_timeout_ms);
    while (!done) {
        ClrEvent *ev = eng_wait_event(s, &deadline);
        if (!ev) {
            timed_out = 1;
            Thread *th = eng_thread_by_id(s, c->thread_id);
            waits = th ? thread_waits(s->pid, th->tid) : 0;
            if (!waits && !aborted && !others_ran) {
                /* Asked while the evaluation runs (no Stop: a thread spinning in a loop
                 * cannot be suspended on Linux, so Stop would wait for ever). */
                HRESULT ha = E_FAIL;
                if (abort_with_timeout(e, NULL, 0, 3000, &ha) != 0) {
                    log_msg(LOG_INFO, "eval", "Abort did not return: the runtime's debugger is stuck");
                    s->wedged = 1;
                    break;
                }
                aborted = 1;
                log_msg(LOG_INFO, "eval", "timed out, running: Abort (0x%08x)", (unsigned)ha);
                /* The abort takes effect when the thread reaches a point where it can be
                 * interrupted: a loop's back edge soon. */
                deadline_in(&deadline, 2000);
                continue;
            }
            /* It waits (or the abort did not end it): Stop can suspend it now. Once, every
             * thread runs for a while (but those the user froze), so that one holding what
             * it waits for can let go; after that, the process is taken back and the
             * evaluation left pending. */
            HRESULT hs = E_FAIL;
            if (abort_with_timeout(e, s->process, 0, 3000, &hs) != 0) {
                log_msg(LOG_INFO, "eval", "Stop did not return: the runtime's debugger is stuck");
                s->wedged = 1;
                break;
            }
            if (FAILED(hs)) break;
            s->held = 1;
            if (others_ran || aborted || !waits) break;
            COM(s->process, SetAllThreadsDebugState, THREAD_RUN, NULL);
            for (size_t i = 0; i < s->nthreads; i++)
                if (s->threads[i].frozen) COM(s->threads[i].t, SetDebugState, THREAD_SUSPEND);
            others_ran = 1;
            log_msg(LOG_INFO, "eval", "timed out, waiting: every thread runs for it to end");
            eng_release_holds(s);
            deadline_in(&deadline, s->eval_timeout_ms > 2000 ? s->eval_timeout_ms : 2000);
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
    if (!done || timed_out) c->funceval = 0;
    /* Every thread runs again at the next continue, but those the user froze. */
    COM(s->process, SetAllThreadsDebugState, THREAD_RUN, NULL);
    for (size_t i = 0; i < s->nthreads; i++)
        if (s->threads[i].frozen) COM(s->threads[i].t, SetDebugState, THREAD_SUSPEND);
    if (!done && aborted)
        return ev_fail(c, "the evaluation did not end after %d ms and the runtime could not abort it (it waits in "
                       "native code; dotnet/runtime#82422): thread %d runs it until it returns; the abort stays "
                       "pending, and if it lands as a lock is taken, that lock stays held", s->eval_timeout_ms, c->thread_id);
    if (!done)
        return ev_fail(c, "the evaluation did not end after %d ms: it waits%s, and was not aborted (an abort cannot "
                       "interrupt a wait on Linux, dotnet/runtime#82422, and one that lands as a lock is taken leaves "
                       "the lock held): thread %d runs it until it returns", s->eval_timeout_ms,
                       others_ran ? " even with every thread let run for a while" : "", c->thread_id);
    if (others_ran) {
        /* The user sees the other threads elsewhere than they were: say why. */
        char note[256];
        snprintf(note, sizeof note, "note: the evaluation on thread %d waited for another thread: every thread ran "
                 "until it ended", c->thread_id);
        EngNotice n = { .kind = EN_NOTE, .message = note };
        eng_notify(s, &n);
    }

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
        return ev_fail(c, "the evaluation timed out after %d ms and was aborted (its finally blocks ran)", s->eval_timeout_ms);
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
    if (s->core) return ev_fail(c, "cannot call functions in a core dump: values show their fields");
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

/* ---------------------------------------------------------------- injected methods
 *
 * Code injection (src/enc/inject.c) adds a method to the program by Edit and Continue and
 * runs it here: a function evaluation on the stopped thread whose arguments are the frame's
 * own variables. The helper declares each local and parameter the code uses as a `ref`
 * parameter, and the variable's ICorDebugValue is passed as it is: the runtime's funceval
 * (debug/ee/funceval.cpp) passes a byref parameter the address of the argument's home (a
 * stack slot, or a field inside a heap object for hoisted locals of async methods and
 * closures: an interior pointer it keeps GC-protected and writes back through), or, for a
 * variable in a register of the leaf frame, a buffer whose value it stores back into the
 * thread's context when the call ends. A register of a caller's frame cannot be updated
 * (CORDBG_E_FUNC_EVAL_CANNOT_UPDATE_REGISTER_IN_NONLEAF_FRAME): only optimized code keeps
 * locals there, and that is refused with the reason. */

/* The frame's variable NAME (locals first: they hide nothing in C#, where a local cannot
 * take a parameter's name), as its home; -1 and c->err when there is none. */
static int injected_arg(EvCtx *c, const char *name, EvVal *out)
{
    for (int pass = 0; pass < 2; pass++) {
        EvVar *vars;
        size_t n;
        if ((pass == 0 ? ev_frame_locals(c, &vars, &n) : ev_frame_args(c, &vars, &n)) != 0) return -1;
        for (size_t i = 0; i < n; i++) {
            if (strcmp(vars[i].name, name) != 0) continue;
            if (!vars[i].val.v)
                return ev_fail(c, "variable '%s' has no value here%s%s", name, vars[i].note ? ": " : "",
                               vars[i].note ? vars[i].note : "");
            *out = vars[i].val;
            return 0;
        }
    }
    return ev_fail(c, "no variable '%s' in this frame", name);
}

/* A default value for parameter `index` (0-based, after `this`) of fn: for a variable of
 * the source the frame does not hold (an outer local a lambda did not capture) that the
 * code does not use. Numbers, bool and char: zero; references: null; -1 for anything else
 * (a struct). */
static int injected_default(EvCtx *c, ICorDebugFunction *fn, uint32_t token, int index, ICorDebugValue **out)
{
    ICorDebugModule *mod = NULL;
    IMetaDataImport *mdi = NULL;
    PCCOR_SIGNATURE sig = NULL;
    ULONG siglen = 0;
    int rc = -1;
    if (SUCCEEDED(COM(fn, GetModule, &mod)) && mod) {
        if (SUCCEEDED(COM(mod, GetMetaDataInterface, &IID_IMetaDataImport, (IUnknown **)&mdi)) && mdi) {
            mdTypeDef owner;
            DWORD attr, impl;
            ULONG rva, nlen;
            if (SUCCEEDED(COM(mdi, GetMethodProps, token, &owner, NULL, 0, &nlen, &attr, &sig, &siglen, &rva, &impl))) {
                MdPool pool = { 0 };
                MdMethodSig *ms = NULL;
                if (sig && md_decode_method_sig(&pool, sig, siglen, &ms) == 0 && index >= 0 && (uint32_t)index < ms->nparams) {
                    const MdType *t = ms->params[index];
                    if (t->kind == MD_TY_BYREF && t->inner) t = t->inner;
                    uint8_t zero[8] = { 0 };
                    if (t->kind == MD_TY_PRIM && ((t->elem >= MD_ET_BOOLEAN && t->elem <= MD_ET_R8) || t->elem == MD_ET_I || t->elem == MD_ET_U))
                        rc = ev_create_primitive(c, (CorElementType)t->elem, zero, out);
                    else if ((t->kind == MD_TY_PRIM && (t->elem == MD_ET_STRING || t->elem == MD_ET_OBJECT)) ||
                             (t->kind == MD_TY_NAMED && !t->valuetype) || t->kind == MD_TY_SZARRAY || t->kind == MD_TY_ARRAY ||
                             (t->kind == MD_TY_GENERIC && t->inner && !t->inner->valuetype))
                        rc = ev_create_null(c, out);
                }
                md_pool_free(&pool);
            }
            COM0(mdi, Release);
        }
        COM0(mod, Release);
    }
    return rc;
}

/* Type arguments for a method of a generic class: those of the receiver's exact type, or
 * (static) the frame's own. The injected method itself is never generic. */
static size_t injected_type_args(EvCtx *c, ICorDebugValue *receiver, ICorDebugType **targs, size_t cap)
{
    ICorDebugTypeEnum *te = NULL;
    ULONG n = 0;
    if (receiver) {
        ICorDebugType *t = ev_type_of(c, receiver);
        if (!t || FAILED(COM(t, EnumerateTypeParameters, &te)) || !te) return 0;
    } else {
        ICorDebugILFrame2 *f2 = NULL;
        ICorDebugILFrame *il = ev_ilframe(c);
        if (!il || FAILED(COM(il, QueryInterface, &IID_ICorDebugILFrame2, (void **)&f2)) || !f2) return 0;
        HRESULT hr = COM(f2, EnumerateTypeParameters, &te);
        COM0(f2, Release);
        if (FAILED(hr) || !te) return 0;
    }
    COM(te, Next, (ULONG)cap, targs, &n);
    COM0(te, Release);
    for (ULONG k = 0; k < n; k++) ev_keep(c, targs[k]);
    return n;
}

/* Make THREAD_ID (if > 0) and FRAME (if >= 0) the selected ones; -1 (rq failed) for no
 * such thread. */
static int select_thread_frame(EngSession *s, Request *rq, int thread_id, int frame)
{
    if (thread_id > 0 && thread_id != s->current_thread) {
        if (!eng_thread_by_id(s, thread_id)) { eng_fail(rq, "no thread %d", thread_id); return -1; }
        s->current_thread = thread_id;
        s->current_frame = 0;
    }
    if (frame >= 0) s->current_frame = frame;
    return 0;
}

static void req_call_injected(EngSession *s, Request *rq)
{
    const __typeof__(rq->arg.call_injected) *a = &rq->arg.call_injected;
    if (select_thread_frame(s, rq, a->thread_id, a->frame) != 0) return;
    EvCtx c;
    if (eng_eval_init(&c, s) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    c.allow_side_effects = 1;
    if (!ev_frame(&c)) { eng_fail(rq, "no frame %d on thread %d", s->current_frame, c.thread_id); ev_done(&c); return; }
    Module *m = NULL;
    for (size_t i = 0; i < s->nmodules && !m; i++)
        if (s->modules[i].path && strcmp(s->modules[i].path, a->module) == 0) m = &s->modules[i];
    ICorDebugFunction *fn = NULL;
    char hb[96];
    HRESULT hr;
    if (!m) {
        eng_fail(rq, "module %s is not loaded in the program", a->module);
    } else if (FAILED(hr = COM(m->m, GetFunctionFromToken, a->token, &fn)) || !fn) {
        eng_fail(rq, "no method 0x%08x in %s: %s", (unsigned)a->token, m->name, clr_hr_str(hr, hb, sizeof hb));
    } else {
        ev_keep(&c, fn);
        size_t nargs = (size_t)a->nparams + (a->is_static ? 0 : 1);
        ICorDebugValue **args = arena_push(c.arena, (nargs ? nargs : 1) * sizeof *args);
        size_t k = 0;
        int ok = args != NULL;
        if (!ok) ev_fail(&c, "out of memory");
        if (ok && !a->is_static) {
            EvVal self;
            if (ev_this(&c, &self) != 0 || !self.v) ok = 0;
            else args[k++] = self.v;
        }
        for (int i = 0; ok && i < a->nparams; i++) {
            /* "?name": a variable the code does not use; without it in the frame, a default */
            const char *name = a->names[i];
            int optional = name[0] == '?';
            EvVal v = { 0 };
            if (injected_arg(&c, name + optional, &v) == 0) {
                args[k++] = v.v;
            } else if (optional) {
                char why[sizeof c.err];
                snprintf(why, sizeof why, "%s", c.err);
                ICorDebugValue *d = NULL;
                if (injected_default(&c, fn, a->token, i, &d) == 0 && d) { args[k++] = d; c.err[0] = 0; }
                else { ev_fail(&c, "%s", why); ok = 0; }
            } else {
                ok = 0;
            }
        }
        ICorDebugType *targs[32];
        size_t ntargs = ok ? injected_type_args(&c, a->is_static ? NULL : args[0], targs, 32) : 0;
        ICorDebugValue *res = NULL;
        if (ok && ev_call(&c, fn, targs, ntargs, args, nargs, &res) != 0) {
            if (strstr(c.err, "80131329") || strstr(c.err, "NONLEAF"))
                ev_fail(&c, "a variable of this frame lives in a register of a calling frame (optimized code): it "
                            "cannot be passed by reference; select frame 0 or build without optimizations");
            ok = 0;
        }
        if (!ok) {
            eng_fail(rq, "%s", c.err);
        } else if (res) {
            EvVal v;
            if (ev_from_value(&c, res, &v) != 0) {
                eng_fail(rq, "%s", c.err);
            } else {
                char tn[512];
                ev_val_type_name(&c, &v, tn, sizeof tn);
                snprintf(rq->res->message, sizeof rq->res->message, "%s", tn);
                StrBuf b;
                sb_init(&b);
                c.hex = (a->flags & ENG_EVAL_HEX) != 0;
                ev_format_n(&c, &v, a->max_children > 0 ? (size_t)a->max_children : 100, &b);
                rq->res->text = sb_take(&b);
                if (!rq->res->text) eng_fail(rq, "out of memory");
            }
        }
    }
    ev_done(&c);
}


/* Where a frame is, for compiling code placed there (code injection): its module, method,
 * IL offset and the source position of the statement at that offset. */
static void req_frame_location(EngSession *s, Request *rq)
{
    const __typeof__(rq->arg.frame_location) *a = &rq->arg.frame_location;
    EngFrameLocation *out = a->out;
    memset(out, 0, sizeof *out);
    if (select_thread_frame(s, rq, a->thread_id, a->frame) != 0) return;
    EvCtx c;
    if (eng_eval_init(&c, s) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    const Where *w = ev_frame(&c) ? ev_where(&c) : NULL;
    Module *m = w ? eng_module_by_id(s, w->module_id) : NULL;
    PdbModule *sym = m ? eng_module_symbols(s, m, 0) : NULL;
    const PdbFile *pdb = sym ? pdb_module_pdb(sym) : NULL;
    PdbLocation loc;
    if (!w) {
        eng_fail(rq, "frame %d of thread %d is not managed code", s->current_frame, c.thread_id);
    } else if (!pdb || !m->path) {
        eng_fail(rq, "%s has no symbols: code cannot be placed in it", m ? m->name : "this frame's module");
    } else if (pdb_module_locate(sym, w->token, w->il, &loc) != 0 || loc.hidden) {
        eng_fail(rq, "frame %d (%s) is at no source line (IL 0x%x)", s->current_frame, w->function, (unsigned)w->il);
    } else {
        out->thread_id = c.thread_id;
        out->frame = s->current_frame;
        snprintf(out->module, sizeof out->module, "%s", m->path);
        out->token = w->token;
        out->il = w->il;
        snprintf(out->file, sizeof out->file, "%s", pdb_document_name(pdb, loc.doc));
        out->line = loc.line;
        out->column = loc.col;
        snprintf(out->function, sizeof out->function, "%s", w->function);
    }
    ev_done(&c);
}

void funceval_request(EngSession *s, Request *rq)
{
    if (rq->kind == REQ_CALL_INJECTED) req_call_injected(s, rq);
    else if (rq->kind == REQ_FRAME_LOCATION) req_frame_location(s, rq);
}
