/* The engine: its thread, its queue, and the decisions on every managed event.
 * See session.h for the state diagram. Rules (DESIGN.md, "Threads and the event loop"):
 * callbacks only post; every ICorDebug call is made here; every event but ExitProcess
 * is answered with exactly one Continue, or the process is held in STOPPED until a
 * front end asks to go on. */
#include "engine/internal.h"
#include "base/memcache.h"
#include "base/os.h"
#include "base/strbuf.h"
#include "clr/callback.h"
#include "clr/dbi.h"
#include "clr/launch.h"
#include "clr/runtime.h"
#include "meta/pdb.h"
#include "meta/md.h"
#include "clr/watch.h"
#include "clr/attach.h"
#include "base/utf.h"
#include "base/log.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---------------------------------------------------------------- queue */

void eng_post_event(EngSession *s, ClrEvent *ev, int stamp)
{
    pthread_mutex_lock(&s->mu);
    if (stamp) ev->generation = s->generation;
    if (s->ev_tail) s->ev_tail->next = ev; else s->ev_head = ev;
    s->ev_tail = ev;
    pthread_cond_signal(&s->cv);         /* only the engine thread waits on cv */
    pthread_mutex_unlock(&s->mu);
}

static void sink(void *ctx, ClrEvent *ev) { eng_post_event(ctx, ev, 0); }

/* Append a request and wake the engine. Called with s->mu held. */
static void enqueue_request(EngSession *s, Request *rq)
{
    if (s->rq_tail) s->rq_tail->next = rq; else s->rq_head = rq;
    s->rq_tail = rq;
    pthread_cond_signal(&s->cv);
}

static void submit(EngSession *s, Request *rq)
{
    pthread_mutex_lock(&s->mu);
    enqueue_request(s, rq);
    while (!rq->done) pthread_cond_wait(&s->done_cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
}

/* The oldest queued event, or NULL. Called with s->mu held. */
static ClrEvent *take_event(EngSession *s)
{
    ClrEvent *ev = s->ev_head;
    if (ev) {
        s->ev_head = ev->next;
        if (!s->ev_head) s->ev_tail = NULL;
    }
    return ev;
}

static void handle_event(EngSession *s, ClrEvent *ev);

/* Decide on one event outside the lock, then free it. Called with s->mu held; returns
 * with it held again. */
static void run_event(EngSession *s, ClrEvent *ev)
{
    pthread_mutex_unlock(&s->mu);
    handle_event(s, ev);
    clr_event_free(ev);
    pthread_mutex_lock(&s->mu);
}

ClrEvent *eng_wait_event(EngSession *s, const struct timespec *deadline)
{
    pthread_mutex_lock(&s->mu);
    while (!s->ev_head) {
        if (!deadline) pthread_cond_wait(&s->cv, &s->mu);
        else if (pthread_cond_timedwait(&s->cv, &s->mu, deadline) == ETIMEDOUT) break;
    }
    ClrEvent *ev = take_event(s);
    pthread_mutex_unlock(&s->mu);
    return ev;
}

void eng_handle_event(EngSession *s, ClrEvent *ev) { handle_event(s, ev); }

static void complete(EngSession *s, Request *rq)
{
    pthread_mutex_lock(&s->mu);
    rq->done = 1;
    int drop = rq->abandoned;
    s->public_state = s->state;
    s->public_pid = s->state == ENG_NONE ? 0 : s->pid;
    s->public_launched = s->launched;
    pthread_cond_broadcast(&s->done_cv);
    pthread_mutex_unlock(&s->mu);
    if (drop) { eng_result_free(&rq->own); free(rq); }
}

void eng_fail(Request *rq, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rq->res->err, sizeof rq->res->err, fmt, ap);
    va_end(ap);
    rq->res->status = -1;
}

static void set_state(EngSession *s, EngState st)
{
    if (st != ENG_STOPPED && s->nvrefs) vars_clear(s);
    int resumed = s->state == ENG_STOPPED && st == ENG_RUNNING && !s->killing;
    s->state = st;
    pthread_mutex_lock(&s->mu);
    s->public_state = st;
    s->public_pid = st == ENG_NONE ? 0 : s->pid;
    s->public_launched = s->launched;
    pthread_mutex_unlock(&s->mu);
    if (resumed) {
        EngNotice n = { .kind = EN_RESUMED, .pid = s->pid, .quiet = 1 };
        s->notify(s->notify_ctx, &n);
    }
}

/* ---------------------------------------------------------------- notices */

void eng_set_state(EngSession *s, EngState st) { set_state(s, st); }
void eng_complete(EngSession *s, Request *rq) { complete(s, rq); }

void eng_notify(EngSession *s, EngNotice *n)
{
    if (!n->pid) n->pid = s->pid;
    s->notify(s->notify_ctx, n);
}

void eng_notify_error(EngSession *s, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    EngNotice n = { .kind = EN_ERROR, .message = msg };
    eng_notify(s, &n);
}

/* ---------------------------------------------------------------- tables */

static Thread *find_thread(EngSession *s, ICorDebugThread *t, size_t *index)
{
    DWORD tid = 0;
    if (!t || FAILED(t->lpVtbl->GetID(t, &tid))) return NULL;
    for (size_t i = 0; i < s->nthreads; i++)
        if (s->threads[i].tid == tid) { if (index) *index = i; return &s->threads[i]; }
    return NULL;
}

static Thread *add_thread(EngSession *s, ICorDebugThread *t)
{
    Thread *have = find_thread(s, t, NULL);
    if (have) return have;
    if (!GROW(s->threads, s->nthreads, s->cap_threads)) return NULL;
    DWORD tid = 0;
    t->lpVtbl->GetID(t, &tid);
    t->lpVtbl->AddRef(t);
    Thread *th = &s->threads[s->nthreads++];
    *th = (Thread){ .id = ++s->next_thread_id, .tid = tid, .t = t };
    return th;
}

static char *module_path(ICorDebugModule *m, int *dynamic)
{
    BOOL dyn = FALSE, mem = FALSE;
    m->lpVtbl->IsDynamic(m, &dyn);
    m->lpVtbl->IsInMemory(m, &mem);
    *dynamic = dyn || mem;
    WCHAR buf[1024];
    ULONG32 len = 0;
    if (SUCCEEDED(m->lpVtbl->GetName(m, 1024, &len, buf)) && len > 0) {
        buf[len < 1024 ? len : 1023] = 0;
        return utf8_from_utf16_malloc((const uint16_t *)buf, (size_t)-1);
    }
    return strdup(dyn ? "<dynamic module>" : "<in-memory module>");
}

static void free_module(Module *m)
{
    m->m->lpVtbl->Release(m->m);
    if (m->sym) pdb_module_close(m->sym);
    enc_module_free(m);
    free(m->path);
    free(m->symbols);
}

Module *eng_module_by_iface(EngSession *s, ICorDebugModule *mod)
{
    for (size_t i = 0; i < s->nmodules; i++)
        if (s->modules[i].m == mod) return &s->modules[i];
    /* Another interface pointer of the same module: compare load addresses. */
    CORDB_ADDRESS base = 0;
    if (FAILED(mod->lpVtbl->GetBaseAddress(mod, &base)) || !base) return NULL;
    for (size_t i = 0; i < s->nmodules; i++) {
        CORDB_ADDRESS b = 0;
        if (SUCCEEDED(s->modules[i].m->lpVtbl->GetBaseAddress(s->modules[i].m, &b)) && b == base)
            return &s->modules[i];
    }
    return NULL;
}

Module *eng_module_by_id(EngSession *s, int id)
{
    for (size_t i = 0; i < s->nmodules; i++)
        if (s->modules[i].id == id) return &s->modules[i];
    return NULL;
}

PdbModule *eng_module_symbols(EngSession *s, Module *m, int want_metadata)
{
    (void)s;
    if (m->sym) return m->sym;
    if (m->sym_state < 0 || m->dynamic || !m->path) return NULL;
    if (!m->symbols && !want_metadata) return NULL;
    char err[512];
    PdbModule *mod = NULL;
    int rc = pdb_module_open(m->path, &mod, err, sizeof err);
    if (!mod) {
        log_msg(LOG_INFO, "engine", "symbols of %s: %s", m->path, err);
        m->sym_state = -1;
        return NULL;
    }
    if (rc != 0 && m->symbols) log_msg(LOG_INFO, "engine", "symbols of %s: %s", m->path, err);
    m->sym = mod;
    m->sym_state = 1;
    return mod;
}

static void release_tables(EngSession *s)
{
    for (size_t i = 0; i < s->nthreads; i++) {
        if (s->threads[i].stuck_eval) s->threads[i].stuck_eval->lpVtbl->Release(s->threads[i].stuck_eval);
        s->threads[i].t->lpVtbl->Release(s->threads[i].t);
    }
    for (size_t i = 0; i < s->nmodules; i++) free_module(&s->modules[i]);
    for (size_t i = 0; i < s->ndomains; i++) s->domains[i].ad->lpVtbl->Release(s->domains[i].ad);
    s->nthreads = s->nmodules = s->ndomains = 0;
    s->current_thread = 0;
}

/* Drop everything of the process and the ICorDebug instance; state NONE. */
static void teardown(EngSession *s)
{
    mc_hold(0);
    clr_lifeline_end(&s->lifeline);
    vars_clear(s);
    native_end(s);                 /* frozen threads let go: a late Stop can answer now */
    eng_stop_end(s, 3000);
    clr_watch_stop(s->watch);
    s->watch = NULL;
    step_cancel(s);
    bp_process_gone(s);
    release_tables(s);
    enc_session_end(s);
    s->entry_set = 0;
    if (s->process) { s->process->lpVtbl->Release(s->process); s->process = NULL; }
    if (s->cordb) {
        HRESULT hr = s->cordb->lpVtbl->Terminate(s->cordb);
        if (hr == CORDBG_E_ILLEGAL_SHUTDOWN_ORDER && GROW(s->retired, s->nretired, s->cap_retired)) {
            /* The process is gone but the right side has not said so yet: finish the
             * shutdown when its ExitProcess arrives (on_stale_event); its callback stays
             * open for that. */
            s->retired[s->nretired++] = (struct Retired){ s->generation, s->cordb, s->callback };
            s->callback = NULL;
        } else {
            if (FAILED(hr)) log_msg(LOG_INFO, "engine", "ICorDebug::Terminate: 0x%08x", (unsigned)hr);
            s->cordb->lpVtbl->Release(s->cordb);
        }
        s->cordb = NULL;
    }
    if (s->callback) {
        clr_callback_close(s->callback);
        clr_callback_release(s->callback);
        s->callback = NULL;
    }
    s->killing = 0;
    s->held = 0;
    s->wedged = 0;
    s->stop_abandoned = 0;
    s->exit_deadline_ms = 0;
    set_state(s, ENG_NONE);
    s->pid = 0;
    s->launched = 0;
}

/* ---------------------------------------------------------------- stops */

static void finish_waiting(EngSession *s)
{
    if (s->waiting) {
        Request *rq = s->waiting;
        s->waiting = NULL;
        complete(s, rq);
    }
}

void eng_finish_waiting(EngSession *s) { finish_waiting(s); }

/* What a stop says beyond its reason. */
typedef struct StopInfo {
    int bp_id;
    const int *bp_ids; int nbp_ids;     /* all the breakpoints of the stop (bp_id first) */
    const Where *where;             /* NULL: the thread's top frame */
    const char *exception, *message;
    const char *condition_error;
} StopInfo;

static void enter_stop(EngSession *s, EngStopReason reason, ICorDebugThread *t, const StopInfo *info)
{
    s->held++;      /* the event that stops is answered by the next continue */
    s->bp_stop.active = 0;
    s->current_frame = 0;
    if (reason != ENG_STOP_STEP) step_cancel(s);   /* a breakpoint or exception ends a step */
    if (s->nt) native_managed_stop(s);
    Thread *th = t ? find_thread(s, t, NULL) : NULL;
    if (t && !th) th = add_thread(s, t);
    if (th) s->current_thread = th->id;
    else if (!s->current_thread && s->nthreads) s->current_thread = s->threads[0].id;
    set_state(s, ENG_STOPPED);
    Where top;
    const Where *w = info && info->where ? info->where : NULL;
    if (!w && t && eng_where_thread(s, t, 0, &top) == 0) w = &top;
    char source[512] = "";
    if (w && w->line) eng_source_line(s, w->module_id, w->file, w->line, source, sizeof source);
    char returned[2048] = "";
    if (reason == ENG_STOP_STEP) retval_lines(s, returned, sizeof returned);
    EngNotice n = { .kind = EN_STOPPED, .reason = reason,
                    .thread_id = th ? th->id : 0, .tid = th ? th->tid : 0,
                    .bp_id = info ? info->bp_id : 0,
                    .bp_ids = info ? info->bp_ids : NULL, .nbp_ids = info ? info->nbp_ids : 0,
                    .function = w && w->function[0] ? w->function : NULL,
                    .file = w && w->line ? w->file : NULL, .line = w ? w->line : 0,
                    .source = source[0] ? source : NULL,
                    .exception = info ? info->exception : NULL, .message = info ? info->message : NULL,
                    .condition_error = info ? info->condition_error : NULL,
                    .returned = returned[0] ? returned : NULL };
    eng_notify(s, &n);
    finish_waiting(s);
}

/* A breakpoint was hit: stop for it, or go on when it is not (or no longer) one of ours.
 * Breakpoints bound at one place share one ICorDebug breakpoint (breakpoints.c): each
 * enabled one counts the hit and has its condition and log message weighed, and the one
 * stop lists every one that stops. */
static int on_breakpoint(EngSession *s, ClrEvent *ev)
{
    enum { MAX_AT_ONCE = 64 };
    int ids[MAX_AT_ONCE], stops[MAX_AT_ONCE];
    /* A call's return value passing by during a step over (retval.c): read, and on. */
    if (s->nretbps && ev->breakpoint && retval_breakpoint(s, ev)) return 0;
    size_t n = ev->breakpoint ? bp_hit_ids(s, ev->breakpoint, ids, MAX_AT_ONCE) : 0, nstops = 0;
    char why[512] = "";
    int why_id = 0, entry = 0;
    for (size_t k = 0; k < n; k++) {
        size_t bi = 0;
        /* Breakpoints may go while conditions are weighed (a log point deleted...): find
         * each again by its id. */
        Breakpoint *bp = bp_hit_by_id(s, ids[k], ev->breakpoint, &bi);
        if (!bp || !bp->enabled) continue;
        if (bp->internal) { entry = 1; continue; }     /* the entry stop's: the stop's reason */
        /* Code the user asked not to see (debugger attributes): no stop, no hit, no log. */
        if (bp->b[bi].attrs && eng_bp_never_stops(s, bp->b[bi].attrs)) continue;
        char one[512];
        if (!inspect_breakpoint_hit(s, bp, ev->thread, one, sizeof one)) continue;
        if (s->state == ENG_NONE) return 1;     /* the program ended during a condition's evaluation */
        if (one[0] && !why[0]) { snprintf(why, sizeof why, "%s", one); why_id = ids[k]; }
        stops[nstops++] = ids[k];
    }
    if (!nstops && !entry) return 0;
    /* The breakpoint whose condition failed comes first: the stop says why. */
    for (size_t k = 1; why_id && k < nstops; k++)
        if (stops[k] == why_id) { stops[k] = stops[0]; stops[0] = why_id; }
    size_t bi = 0;
    Breakpoint *bp = bp_hit_by_id(s, nstops ? stops[0] : 0, ev->breakpoint, &bi);
    if (!bp) return 0;
    /* The binding says where: no stack walk (the runtime's costs ~2 ms after a Continue). */
    Where w;
    Module *m = eng_module_by_id(s, bp->b[bi].module_id);
    int known = m && eng_where_code(s, m, bp->b[bi].token, bp->b[bi].il, &w) == 0;
    if (known) eng_where_instantiate(s, ev->thread, &w);
    StopInfo info = { .bp_id = nstops ? stops[0] : 0, .bp_ids = stops, .nbp_ids = (int)nstops,
                      .where = known ? &w : NULL, .condition_error = why[0] ? why : NULL };
    /* The entry stop with the user's breakpoints there: one stop, at entry, naming them. */
    EngStopReason reason = entry ? ENG_STOP_ENTRY : ENG_STOP_BREAKPOINT;
    for (size_t k = 0; k < nstops + (size_t)entry; k++) {
        Breakpoint *t = bp_hit_by_id(s, k < nstops ? stops[k] : 0, ev->breakpoint, &bi);
        if (t && t->temporary) bp_delete(s, t);
    }
    enter_stop(s, reason, ev->thread, &info);
    /* A Debugger.Break() on this line that follows the continue is this same stop. */
    DWORD tid = 0;
    if (known && w.line && ev->thread && SUCCEEDED(ev->thread->lpVtbl->GetID(ev->thread, &tid)))
        s->bp_stop = (struct BpStop){ .active = 1, .tid = tid, .module_id = w.module_id, .token = w.token, .line = w.line };
    return 1;
}

/* Debugger.Break() called on the line where a breakpoint has just stopped the same thread,
 * with only a continue between (vsdbg's behaviour): the user has seen this stop already. */
static int break_repeats_bp_stop(EngSession *s, ClrEvent *ev)
{
    if (!s->bp_stop.active) return 0;
    s->bp_stop.active = 0;
    DWORD tid = 0;
    Where w;
    if (!ev->thread || FAILED(ev->thread->lpVtbl->GetID(ev->thread, &tid)) || tid != s->bp_stop.tid) return 0;
    if (eng_where_thread(s, ev->thread, 1, &w) != 0 || !w.user_code) return 0;
    return w.module_id == s->bp_stop.module_id && w.token == s->bp_stop.token && w.line == s->bp_stop.line;
}

/* Does an exception type name pass the `catch throw TYPE...` filter? Names match whole or
 * by their last part ("InvalidOperationException" matches System.InvalidOperationException). */
static int type_wanted(const char *filter, const char *type)
{
    if (!filter[0]) return 1;
    const char *last = strrchr(type, '.');
    last = last ? last + 1 : type;
    const char *p = filter;
    while (*p) {
        size_t n = strcspn(p, " ");
        if ((strlen(type) == n && strncmp(p, type, n) == 0) || (strlen(last) == n && strncmp(p, last, n) == 0))
            return 1;
        p += n;
        while (*p == ' ') p++;
    }
    return 0;
}

/* logging.exceptions: vsdbg's "Exception thrown: 'T' in M.dll" for every first-chance
 * exception, whether it stops or not. The module is the throwing frame's. */
static void tell_thrown(EngSession *s, ClrEvent *ev)
{
    char type[512], msg[64];
    if (!ev->thread) return;
    eng_exception_info(s, ev->thread, type, sizeof type, msg, sizeof msg);
    const char *path = NULL;
    ICorDebugFunction *f = NULL;
    ICorDebugModule *mod = NULL;
    if (ev->frame && SUCCEEDED(ev->frame->lpVtbl->GetFunction(ev->frame, &f)) && f) {
        if (SUCCEEDED(f->lpVtbl->GetModule(f, &mod)) && mod) {
            Module *m = eng_module_by_iface(s, mod);
            if (m) path = m->path;
            mod->lpVtbl->Release(mod);
        }
        f->lpVtbl->Release(f);
    }
    eng_notify(s, &(EngNotice){ .kind = EN_EXCEPTION_THROWN, .pid = s->pid, .exception = type, .path = path });
}

/* ICorDebugManagedCallback2::Exception: the stages of one exception's dispatch. The
 * frame's place is looked up only when a decision needs it: a caught exception that no
 * catch setting asks about costs no stack work beyond the runtime's own. */
static int on_exception(EngSession *s, ClrEvent *ev)
{
    enum { FIRST_CHANCE = 1, USER_FIRST_CHANCE = 2, CATCH_HANDLER_FOUND = 3, UNHANDLED = 4 };
    DWORD tid = 0;
    Where w;
    int have_where = 0;
#define WHERE_KNOWN() (have_where = have_where || (ev->frame && eng_where_frame(s, ev->frame, &w) == 0))
    EngStopReason reason;
    switch (ev->subtype) {
    case FIRST_CHANCE:
        if (s->log_exceptions) tell_thrown(s, ev);
        if (!s->catches.on_user_unhandled && !s->catches.on_throw && !s->catches.on_unhandled) return 0;
        if (ev->thread) ev->thread->lpVtbl->GetID(ev->thread, &tid);
        s->user_throw_tid = WHERE_KNOWN() && w.user_code ? tid : 0;
        s->user_first_tid = s->user_throw_tid;
        if (!s->catches.on_throw) return 0;
        if (s->just_my_code && !(have_where && w.user_code)) return 0;
        reason = ENG_STOP_THROW;
        break;
    case USER_FIRST_CHANCE:
        /* Thrown in code that is not the user's (int.Parse) and now in a user frame: with
         * just my code, the first-chance stop is here, in the user frame that called into
         * the framework. Once per exception: not when it was thrown in user code. */
        if (!s->catches.on_throw || !s->just_my_code) return 0;
        if (ev->thread) ev->thread->lpVtbl->GetID(ev->thread, &tid);
        if (s->user_first_tid && s->user_first_tid == tid) return 0;
        s->user_first_tid = tid;
        if (!WHERE_KNOWN() || !w.user_code) return 0;
        reason = ENG_STOP_THROW;
        break;
    case CATCH_HANDLER_FOUND: {
        /* Thrown in user code and caught only in code that is not the user's, or by the
         * compiler's catch-all of an async method with no user catch among its awaiters. */
        if (ev->thread) ev->thread->lpVtbl->GetID(ev->thread, &tid);
        int user_threw = s->user_throw_tid && s->user_throw_tid == tid;
        s->user_throw_tid = 0;
        if (!user_threw || (!s->catches.on_user_unhandled && !s->catches.on_unhandled)) return 0;
        int in_user = WHERE_KNOWN() && w.user_code;
        if (in_user && exc_is_async_catch(s, ev->frame, ev->offset)) {
            int fate = exc_async_fate(s, ev->thread, ev->frame);
            if (fate == EXC_CAUGHT_BY_USER) return 0;
            if (fate == EXC_UNHANDLED && s->catches.on_unhandled) {
                /* Out of async Main: the <Main> stub's rethrow ends the process. Stop now,
                 * at the throw, and not again for that rethrow. */
                reason = ENG_STOP_UNHANDLED;
                s->unhandled_exc = exc_current_address(s, ev->thread);
                s->unhandled_exc_gen = s->generation;
            } else if (s->catches.on_user_unhandled) {
                reason = ENG_STOP_USER_UNHANDLED;
            } else {
                return 0;
            }
        } else {
            if (!s->catches.on_user_unhandled || in_user) return 0;
            reason = ENG_STOP_USER_UNHANDLED;
        }
        have_where = 0;
        break;
    }
    case UNHANDLED:
        if (!s->catches.on_unhandled) return 0;
        if (s->unhandled_exc && s->unhandled_exc_gen == s->generation &&
            s->unhandled_exc == exc_current_address(s, ev->thread)) {
            s->unhandled_exc = 0;
            return 0;
        }
        reason = ENG_STOP_UNHANDLED;
        break;
    default:
        return 0;
    }
#undef WHERE_KNOWN
    char type[512], msg[1024];
    eng_exception_info(s, ev->thread, type, sizeof type, msg, sizeof msg);
    if (reason == ENG_STOP_THROW && !type_wanted(s->catches.throw_types, type)) return 0;
    Where site;
    if (!have_where && ev->thread && eng_where_thread(s, ev->thread, s->just_my_code, &site) == 0) {
        w = site;
        have_where = 1;
    }
    StopInfo info = { .where = have_where ? &w : NULL, .exception = type, .message = msg };
    /* Thrown inside the framework: the user frame it reached is the one to look at. */
    int frame = ev->subtype == USER_FIRST_CHANCE ? eng_frame_index_of(s, ev->thread, ev->frame) : 0;
    enter_stop(s, reason, ev->thread, &info);
    if (frame > 0) s->current_frame = frame;
    return 1;
}

static void do_continue(EngSession *s, ICorDebugController *c)
{
    if (!c) c = (ICorDebugController *)s->process;
    if (!c) return;
    HRESULT hr = c->lpVtbl->Continue(c, FALSE);
    if (FAILED(hr) && hr != CORDBG_E_PROCESS_TERMINATED) {
        char b[96];
        eng_notify_error(s, "Continue failed: %s", clr_hr_str(hr, b, sizeof b));
    }
}

/* The process has ended: report it with its wait status when known, and end the session. */
static void report_exit(EngSession *s, int known, int status)
{
    EngNotice n = { .kind = s->killing ? EN_KILLED : EN_PROCESS_EXITED, .pid = s->pid, .exit_code = -1 };
    if (known && WIFEXITED(status)) n.exit_code = WEXITSTATUS(status);
    else if (known && WIFSIGNALED(status)) n.signal = WTERMSIG(status);
    teardown(s);
    eng_notify(s, &n);
    finish_waiting(s);
}

void eng_report_exit(EngSession *s, int known, int status) { report_exit(s, known, status); }

static void on_exit_process(EngSession *s)
{
    int status = 0;
    int known = s->launched && clr_launch_wait_exit(&s->launch, &status) == 0;
    report_exit(s, known, status);
}

/* A late event of an earlier session: only its ExitProcess matters, which lets that
 * session's ICorDebug shut down at last. */
static void on_stale_event(EngSession *s, ClrEvent *ev)
{
    if (ev->kind != CE_EXIT_PROCESS) return;
    for (size_t i = 0; i < s->nretired; i++) {
        if (s->retired[i].generation != ev->generation) continue;
        ICorDebug *cordb = s->retired[i].cordb;
        HRESULT hr = cordb->lpVtbl->Terminate(cordb);
        if (FAILED(hr)) log_msg(LOG_INFO, "engine", "late ICorDebug::Terminate: 0x%08x", (unsigned)hr);
        cordb->lpVtbl->Release(cordb);
        clr_callback_close(s->retired[i].callback);
        clr_callback_release(s->retired[i].callback);
        s->retired[i] = s->retired[--s->nretired];
        return;
    }
}

/* The process ended (its pidfd said so). The runtime's own ExitProcess follows unless the
 * process stays a zombie, which it does while a parent that is not cordbg has not reaped
 * it: the right side probes the pid, and a zombie still answers. Then report the end here. */
static void on_process_gone(EngSession *s)
{
    /* A program cordbg started is reaped by its keeper at once, so the right side sees it
     * gone on its next probe and sends ExitProcess: wait for that rather than tear the
     * session down under the right side's own exit handling. */
    int status = 0;
    if (s->wedged && s->launched && !s->stop_call && !s->stop_abandoned) {
        /* An evaluation the runtime could not abort: its event thread still sees the process
         * die and usually reports it, and tearing ICorDebug down under that thread's exit
         * handling crashed inside libmscordbi (a NULL read on its event thread). So wait for
         * its ExitProcess a bounded time, then take the keeper's word (engine_main). */
        s->exit_deadline_ms = os_monotonic_ns() / 1000000u + 3000;
        return;
    }
    if ((s->wedged || s->stop_call || s->stop_abandoned) && s->launched) {
        /* The right side may never report it: take the keeper's word. */
        report_exit(s, clr_launch_wait_exit(&s->launch, &status) == 0, status);
        return;
    }
    if (s->launched) return;
    if (clr_proc_state(s->pid, &status) == 'Z') report_exit(s, 1, status);
}

/* ---------------------------------------------------------------- events */

static int is_last_attach_event(EngSession *s)
{
    BOOL queued = FALSE;
    if (!s->process) return 1;
    if (FAILED(s->process->lpVtbl->HasQueuedCallbacks(s->process, NULL, &queued))) return 1;
    return !queued;
}

/* Methods of a user module that say DebuggerHidden, DebuggerNonUserCode or
 * DebuggerStepThrough (themselves or through their type) are not the user's: the runtime's
 * just-my-code steppers go through them. */
static void mark_non_user_methods(EngSession *s, Module *m)
{
    PdbModule *sym = eng_module_symbols(s, m, 0);
    if (!sym) return;
    const MdMeta *md = &pdb_module_image(sym)->md;
    uint32_t rows = md_rows(md, MD_T_MethodDef);
    for (uint32_t rid = 1; rid <= rows; rid++) {
        uint32_t tok = 0x06000000u | rid;
        if (eng_method_is_user_code(sym, tok)) continue;
        ICorDebugFunction *fn = NULL;
        ICorDebugFunction2 *fn2 = NULL;
        if (SUCCEEDED(m->m->lpVtbl->GetFunctionFromToken(m->m, tok, &fn)) && fn) {
            if (SUCCEEDED(fn->lpVtbl->QueryInterface(fn, &IID_ICorDebugFunction2, (void **)&fn2)) && fn2) {
                fn2->lpVtbl->SetJMCStatus(fn2, FALSE);
                fn2->lpVtbl->Release(fn2);
            }
            fn->lpVtbl->Release(fn);
        }
    }
}

/* Is m the program's own assembly (the one `run` started)? */
static int is_program_module(EngSession *s, Module *m)
{
    if (!s->program_real[0] || !m->path) return 0;
    char real[4096];
    if (!realpath(m->path, real)) return 0;
    size_t n = strlen(s->program_real);
    /* An apphost "app" runs "app.dll". */
    return strcmp(real, s->program_real) == 0 ||
           (strncmp(real, s->program_real, n) == 0 && strcmp(real + n, ".dll") == 0);
}

static void on_load_module(EngSession *s, ClrEvent *ev)
{
    if (!GROW(s->modules, s->nmodules, s->cap_modules)) return;
    Module *m = &s->modules[s->nmodules++];
    memset(m, 0, sizeof *m);
    m->id = ++s->next_module_id;
    m->m = ev->module;
    m->m->lpVtbl->AddRef(m->m);
    m->path = module_path(ev->module, &m->dynamic);
    const char *base = m->path ? strrchr(m->path, '/') : NULL;
    snprintf(m->name, sizeof m->name, "%s", base ? base + 1 : m->path ? m->path : "?");
    char *dot = strrchr(m->name, '.');
    if (dot && (strcmp(dot, ".dll") == 0 || strcmp(dot, ".exe") == 0)) *dot = 0;
    char where[1024];
    int probe = m->dynamic || !m->path ? 0 : pdb_probe(m->path, where, sizeof where);
    if (probe > 0) m->symbols = strdup(where);
    m->user_code = m->symbols != NULL;
    /* The runtime's just-my-code steppers skip modules not marked as the user's. */
    ICorDebugModule2 *m2 = NULL;
    /* (A core dump's modules change nothing: the right side has no process to tell.) */
    if (m->user_code && !s->core && SUCCEEDED(ev->module->lpVtbl->QueryInterface(ev->module, &IID_ICorDebugModule2, (void **)&m2)) && m2) {
        m2->lpVtbl->SetJMCStatus(m2, TRUE, 0, NULL);
        m2->lpVtbl->Release(m2);
        mark_non_user_methods(s, m);
    }
    if (s->verbose_events && !s->core) ev->module->lpVtbl->EnableClassLoadCallbacks(ev->module, TRUE);
    /* suppressJITOptimizations: only possible now, in the load callback, before any of the
     * module's code is compiled; a Release build's locals can then be seen. */
    if (s->suppress_jit_opt && !s->core && SUCCEEDED(ev->module->lpVtbl->QueryInterface(ev->module, &IID_ICorDebugModule2, (void **)&m2)) && m2) {
        HRESULT hr = m2->lpVtbl->SetJITCompilerFlags(m2, CORDEBUG_JIT_DISABLE_OPTIMIZATION);
        if (FAILED(hr)) log_msg(LOG_INFO, "engine", "%s: SetJITCompilerFlags: 0x%08x", m->name, (unsigned)hr);
        m2->lpVtbl->Release(m2);
        m2 = NULL;
    }
    if (!s->core) enc_module_loaded(s, m);
    EngNotice n = { .kind = EN_MODULE_LOADED, .id = m->id, .path = m->path, .has_symbols = m->symbols != NULL,
                    .message = probe == MD_EMISMATCH ? "symbols do not match" : NULL };
    /* Its source documents (the user's modules are the ones with symbols: a few files). */
    StrBuf docs;
    sb_init(&docs);
    eng_module_documents(s, m, 0, &docs);
    n.documents = docs.data;
    eng_notify(s, &n);
    sb_free(&docs);
    /* Bind before the module's code can run: the process is held until Continue. */
    if (s->stop_at_entry && !s->core && !s->entry_set && is_program_module(s, m)) {
        s->entry_set = 1;
        /* Without symbols there is no first line: say so, and stop at the entry method's
         * first instruction all the same rather than let the program run to its end. */
        if (!m->symbols) {
            char note[1400];
            snprintf(note, sizeof note, "stop at entry: %s has no symbols (%s): stopping at its entry point without source",
                     m->name, probe == MD_EMISMATCH ? "its .pdb does not match it" : "no .pdb next to it, none embedded");
            EngNotice nn = { .kind = EN_NOTE, .message = note };
            eng_notify(s, &nn);
        }
        bp_entry_module_loaded(s, m);
    }
    if (!s->core) bp_module_loaded(s, m);
}

static void on_unload_module(EngSession *s, ClrEvent *ev)
{
    for (size_t i = 0; i < s->nmodules; i++) {
        if (s->modules[i].m != ev->module) continue;
        EngNotice n = { .kind = EN_MODULE_UNLOADED, .id = s->modules[i].id, .path = s->modules[i].path };
        eng_notify(s, &n);
        bp_module_unloaded(s, &s->modules[i]);
        free_module(&s->modules[i]);
        memmove(&s->modules[i], &s->modules[i + 1], (s->nmodules - i - 1) * sizeof *s->modules);
        s->nmodules--;
        return;
    }
}

static void on_thread(EngSession *s, ClrEvent *ev, int created)
{
    size_t idx = 0;
    Thread *th = created ? add_thread(s, ev->thread) : find_thread(s, ev->thread, &idx);
    if (!th) return;
    EngNotice tn = { .kind = created ? EN_THREAD_CREATED : EN_THREAD_EXITED, .thread_id = th->id, .tid = th->tid,
                     .quiet = !s->verbose_events };
    eng_notify(s, &tn);
    if (!created) {
        if (s->current_thread == th->id) s->current_thread = 0;
        if (th->stuck_eval) th->stuck_eval->lpVtbl->Release(th->stuck_eval);
        th->t->lpVtbl->Release(th->t);
        memmove(&s->threads[idx], &s->threads[idx + 1], (s->nthreads - idx - 1) * sizeof *s->threads);
        s->nthreads--;
    }
}

static char *appdomain_name(ICorDebugAppDomain *ad)
{
    WCHAR buf[256];
    ULONG32 len = 0;
    if (SUCCEEDED(ad->lpVtbl->GetName(ad, 256, &len, buf)) && len > 0) {
        buf[len < 256 ? len : 255] = 0;
        return utf8_from_utf16_malloc((const uint16_t *)buf, (size_t)-1);
    }
    return strdup("?");
}

static void on_appdomain(EngSession *s, ClrEvent *ev, int created)
{
    ULONG32 id = 0;
    ev->appdomain->lpVtbl->GetID(ev->appdomain, &id);
    if (created) {
        ev->appdomain->lpVtbl->Attach(ev->appdomain);
        if (GROW(s->domains, s->ndomains, s->cap_domains)) {
            ev->appdomain->lpVtbl->AddRef(ev->appdomain);
            s->domains[s->ndomains++] = (AppDomain){ .id = (int)id, .ad = ev->appdomain };
        }
    } else {
        for (size_t i = 0; i < s->ndomains; i++) {
            if (s->domains[i].ad != ev->appdomain) continue;
            s->domains[i].ad->lpVtbl->Release(s->domains[i].ad);
            s->domains[i] = s->domains[--s->ndomains];
            break;
        }
    }
    if (s->verbose_events) {
        char *name = appdomain_name(ev->appdomain);
        EngNotice n = { .kind = created ? EN_APPDOMAIN_CREATED : EN_APPDOMAIN_EXITED, .id = (int)id, .name = name };
        eng_notify(s, &n);
        free(name);
    }
}

static void on_assembly(EngSession *s, ClrEvent *ev, int loaded)
{
    if (!s->verbose_events) return;
    WCHAR buf[1024];
    ULONG32 len = 0;
    char *path = NULL;
    if (SUCCEEDED(ev->assembly->lpVtbl->GetName(ev->assembly, 1024, &len, buf)) && len > 0) {
        buf[len < 1024 ? len : 1023] = 0;
        path = utf8_from_utf16_malloc((const uint16_t *)buf, (size_t)-1);
    }
    EngNotice n = { .kind = loaded ? EN_ASSEMBLY_LOADED : EN_ASSEMBLY_UNLOADED, .path = path ? path : "?" };
    eng_notify(s, &n);
    free(path);
}

static void on_class(EngSession *s, ClrEvent *ev, int loaded)
{
    if (!s->verbose_events || !ev->klass) return;
    char name[1024];
    eng_class_name(ev->klass, name, sizeof name, NULL);
    EngNotice n = { .kind = loaded ? EN_CLASS_LOADED : EN_CLASS_UNLOADED, .name = name };
    eng_notify(s, &n);
}

static void on_log(EngSession *s, ClrEvent *ev)
{
    Thread *th = find_thread(s, ev->thread, NULL);
    const char *msg = ev->text2 ? ev->text2 : "";
    size_t len = strlen(msg);
    char *copy = strndup(msg, len);
    if (!copy) return;
    while (len && (copy[len - 1] == '\n' || copy[len - 1] == '\r')) copy[--len] = 0;
    EngNotice n = { .kind = EN_LOG, .category = ev->text1 ? ev->text1 : "",
                    .message = copy, .thread_id = th ? th->id : 0, .tid = th ? th->tid : 0 };
    eng_notify(s, &n);
    free(copy);
}

/* Decide on one managed event: report it, then Continue, or hold the process. */
static void handle_event(EngSession *s, ClrEvent *ev)
{
    log_msg(LOG_DEBUG, "engine", "event %s", clr_event_name(ev->kind));
    if (ev->kind == CE_NATIVE && !ev->aux) { eng_stop_collect(s); return; }   /* a late Stop answered */
    if (ev->kind == CE_NATIVE) { native_event(s, ev); return; }
    if (!s->cordb || ev->generation != s->generation) {
        on_stale_event(s, ev);
        return;
    }
    if (s->eval_active && funceval_filter_event(s, ev)) {
        do_continue(s, ev->controller);
        return;
    }
    int stop = 0;
    EngStopReason reason = ENG_STOP_BREAK;
    switch (ev->kind) {
    case CE_CREATE_PROCESS:  break;
    case CE_EXIT_PROCESS:    on_exit_process(s); return;
    case CE_PROCESS_GONE:    on_process_gone(s); return;
    case CE_CREATE_THREAD:   on_thread(s, ev, 1); break;
    case CE_EXIT_THREAD:     on_thread(s, ev, 0); break;
    case CE_LOAD_MODULE:     on_load_module(s, ev); break;
    case CE_UNLOAD_MODULE:   on_unload_module(s, ev); break;
    case CE_CREATE_APPDOMAIN: on_appdomain(s, ev, 1); break;
    case CE_EXIT_APPDOMAIN:  on_appdomain(s, ev, 0); break;
    case CE_LOAD_ASSEMBLY:   on_assembly(s, ev, 1); break;
    case CE_UNLOAD_ASSEMBLY: on_assembly(s, ev, 0); break;
    case CE_LOAD_CLASS:      on_class(s, ev, 1); break;
    case CE_UNLOAD_CLASS:    on_class(s, ev, 0); break;
    case CE_LOG_MESSAGE:     on_log(s, ev); break;
    case CE_EVAL_COMPLETE: case CE_EVAL_EXCEPTION: funceval_stuck_done(s, ev); break;
    case CE_FUNCTION_REMAP_OPPORTUNITY: case CE_FUNCTION_REMAP_COMPLETE:
        if (!s->killing && enc_remap_event(s, ev)) return;
        break;
    case CE_BREAK:           stop = !break_repeats_bp_stop(s, ev); reason = ENG_STOP_BREAK; break;
    case CE_BREAKPOINT:
        if (!s->killing && s->nxbps && native_xbp_hit(s, ev)) return;
        if (!s->killing && s->nasync_bps && step_async_resume(s, ev)) return;
        if (!s->killing && s->state != ENG_ATTACHING && on_breakpoint(s, ev)) return;
        break;
    case CE_STEP_COMPLETE:
        if (!s->killing && step_complete(s, ev)) return;
        break;
    case CE_EXCEPTION2:
        if (!s->killing && s->state != ENG_ATTACHING && on_exception(s, ev)) return;
        break;
    case CE_DEBUGGER_ERROR: {
        char b[96];
        eng_notify_error(s, "the runtime's debugger reported an internal error (%s, code %u)",
                     clr_hr_str(ev->hr, b, sizeof b), (unsigned)ev->code);
        break;
    }
    default: break;  /* events later layers will act on; nothing to decide yet */
    }
    if (s->state == ENG_ATTACHING) {
        if (!stop && is_last_attach_event(s)) {
            /* The runtime sends one fake event per existing app domain, assembly, module
             * and thread; after the last one the process is held, as gdb's attach does. */
            if (s->nthreads) s->current_thread = s->threads[0].id;
            s->held = 1;
            mc_hold(0);
            set_state(s, ENG_STOPPED);
            EngNotice n = { .kind = EN_STOPPED, .reason = ENG_STOP_ATTACH };
            eng_notify(s, &n);
            finish_waiting(s);
            return;
        }
    }
    if (stop && !s->killing) { enter_stop(s, reason, ev->thread, NULL); return; }
    do_continue(s, ev->controller);
}

/* ---------------------------------------------------------------- requests */

static int begin_debugging(EngSession *s, int pid, const ClrRuntimeInfo *rt, char *err, size_t cap)
{
    s->runtime_major = atoi(rt->version);
    if (clr_dbi_load(&s->dbi, rt->dir, err, cap) != 0) return -1;
    if (clr_dbi_create(&s->dbi, pid, rt, &s->cordb, err, cap) != 0) return -1;
    s->generation++;
    s->callback = clr_callback_new(sink, s, s->generation);
    char b[96];
    HRESULT hr = s->callback ? s->cordb->lpVtbl->SetManagedHandler(s->cordb, clr_callback_iface(s->callback))
                             : E_OUTOFMEMORY;
    if (FAILED(hr)) {
        snprintf(err, cap, "SetManagedHandler failed: %s", clr_hr_str(hr, b, sizeof b));
        return -1;
    }
    s->pid = pid;
    hr = s->cordb->lpVtbl->DebugActiveProcess(s->cordb, (DWORD)pid, FALSE, &s->process);
    if (FAILED(hr)) {
        snprintf(err, cap, "cannot attach the debugger to process %d: %s", pid, clr_hr_str(hr, b, sizeof b));
        s->process = NULL;
        return -1;
    }
    s->watch = clr_watch_start(pid, sink, s, s->generation);
    return 0;
}

/* A run that fails before the launch: a terminal host's socket is the launch's to close. */
static void early_fail(const EngLaunchArgs *a)
{
    if (a->in_terminal && a->terminal_fd >= 0) close(a->terminal_fd);
}

static void req_run(EngSession *s, Request *rq)
{
    const EngLaunchArgs *a = rq->arg.run.args;
    if (s->state != ENG_NONE) { eng_fail(rq, "the program is already running (pid %d); use kill first", s->pid); early_fail(a); return; }
    if (access(a->program, F_OK) != 0) { eng_fail(rq, "%s: %s", a->program, strerror(errno)); early_fail(a); return; }

    size_t nargs = 0;
    while (a->args && a->args[nargs]) nargs++;
    char **argv = calloc(nargs + 3, sizeof *argv);
    char exe[1024], err[1024];
    if (!argv) { eng_fail(rq, "out of memory"); early_fail(a); return; }
    size_t k = 0;
    const char *dot = strrchr(a->program, '.');
    if (s->mode != ENG_MODE_NATIVE && dot && strcmp(dot, ".dll") == 0) {
        int is = clr_file_is_assembly(a->program);
        if (is <= 0) {
            eng_fail(rq, "%s: %s", a->program, is < 0 ? strerror(-is) : "not a .NET assembly (no CLI header)");
            free(argv);
            early_fail(a);
            return;
        }
        if (clr_find_on_path("dotnet", exe, sizeof exe) != 0) {
            eng_fail(rq, "cannot find 'dotnet' on PATH to run %s", a->program);
            free(argv);
            early_fail(a);
            return;
        }
        argv[k++] = "dotnet";
        argv[k++] = (char *)a->program;
    } else {
        if (access(a->program, X_OK) != 0) {
            eng_fail(rq, "%s: not an app .dll and not executable", a->program);
            free(argv);
            early_fail(a);
            return;
        }
        snprintf(exe, sizeof exe, "%s", a->program);
        argv[k++] = (char *)a->program;
    }
    for (size_t i = 0; i < nargs; i++) argv[k++] = a->args[i];
    argv[k] = NULL;

    /* A program whose runtime is not there would only die in the host with a message on
     * its own stderr; name the runtime it needs instead. */
    if (s->mode != ENG_MODE_NATIVE &&
        clr_check_program_runtime(a->program, argv[0] != a->program, a->env, err, sizeof err) != 0) {
        eng_fail(rq, "%s", err);
        free(argv);
        early_fail(a);
        return;
    }
    if (!realpath(a->program, s->program_real)) s->program_real[0] = 0;
    /* (.NET 8: no EnC, see enc_module_loaded; the variable alone breaks its mixed stack
     * walk and its pause of a spinning thread) */
    int fx8 = clr_program_tfm_major(a->program) == 8;
    char **enc_env = s->mode != ENG_MODE_NATIVE && !fx8 ? enc_launch_env(s, a->env) : NULL;
    ClrLaunchSpec spec = { .path = exe, .argv = argv, .cwd = a->cwd, .env_set = enc_env ? enc_env : a->env,
                           .ignore_sigint = a->sigint_is_cordbgs, .redirect = a->redirect,
                           .stdio = { a->stdio[0], a->stdio[1], a->stdio[2] },
                           .in_terminal = a->in_terminal, .terminal_fd = a->terminal_fd };
    ClrLaunch launch;
    int exit_status;
    if (s->mode != ENG_MODE_MANAGED) {
        /* The tracer takes the program before its exec (mixed: before the runtime starts). */
        if (native_begin(s, err, sizeof err) != 0) { eng_fail(rq, "%s", err); free(argv); early_fail(a); return; }
        s->generation++;
        spec.before_exec = native_before_exec;
        spec.before_exec_ctx = s;
        spec.no_runtime = s->mode == ENG_MODE_NATIVE;
        bp_native_push(s);
    }
    int rc = clr_launch_start(&spec, &launch, &exit_status, err, sizeof err);
    s->launch = launch;
    free(argv);
    free(enc_env);
    if (rc != 0) { native_end(s); eng_fail(rq, "%s", err); return; }
    if (s->mode == ENG_MODE_NATIVE) {
        s->launched = 1;
        s->pid = launch.pid;
        set_state(s, ENG_RUNNING);
        EngNotice n = { .kind = EN_PROCESS_STARTED, .pid = launch.pid, .path = a->program };
        eng_notify(s, &n);
        s->waiting = rq;      /* completes at the first stop or at exit */
        return;
    }

    ClrRuntimeInfo rt;
    rc = clr_runtime_of_pid(launch.pid, &rt);
    if (rc != 0) {
        eng_fail(rq, "process %d reached the runtime handshake but has no libcoreclr.so mapped", launch.pid);
        clr_launch_abort(&launch);
        return;
    }
    s->launched = 1;
    if (begin_debugging(s, launch.pid, &rt, err, sizeof err) != 0) {
        eng_fail(rq, "%s", err);
        clr_launch_abort(&launch);
        teardown(s);
        return;
    }
    set_state(s, ENG_RUNNING);
    EngNotice n = { .kind = EN_PROCESS_STARTED, .pid = launch.pid, .path = a->program };
    eng_notify(s, &n);
    clr_launch_release(&launch);
    s->waiting = rq;          /* completes at the first stop or at exit */
}

/* How long an attach waits for a runtime that has not started yet. */
enum { ENG_ATTACH_WAIT_MS = 30000 };

static void attach_note(void *ctx, const char *text)
{
    EngNotice n = { .kind = EN_NOTE, .message = text };
    eng_notify(ctx, &n);
}

static void req_attach(EngSession *s, Request *rq)
{
    mc_hold(1);     /* released once the process is held, or at teardown (memcache.h) */
    if (s->state != ENG_NONE) { eng_fail(rq, "already debugging process %d", s->pid); return; }
    int pid = rq->arg.attach.pid;
    if (pid <= 0) { eng_fail(rq, "invalid process id %d", pid); return; }
    if (pid == getpid()) { eng_fail(rq, "cordbg cannot debug itself"); return; }
    char err[512];
    /* Every reason /proc can give is found before the transport is touched: a second right
     * side on a held process would wreck the first debugger's session. */
    if (clr_attach_check(pid, s->mode == ENG_MODE_NATIVE, err, sizeof err) != 0) { eng_fail(rq, "%s", err); return; }
    if (s->mode != ENG_MODE_MANAGED) {
        if (native_begin(s, err, sizeof err) != 0) { eng_fail(rq, "%s", err); return; }
        s->generation++;
        bp_native_push(s);
    }
    if (s->mode == ENG_MODE_NATIVE) {
        s->pid = pid;
        s->launched = 0;
        set_state(s, ENG_ATTACHING);
        native_thread_id(s, (uint32_t)pid);   /* the main thread is thread 1 */
        s->waiting = rq;      /* completes at the tracer's first stop */
        if (nt_attach(s->nt, pid, err, sizeof err) != 0) {
            s->waiting = NULL;
            native_end(s);
            set_state(s, ENG_NONE);
            s->pid = 0;
            eng_fail(rq, "%s", err);
            return;
        }
        EngNotice n = { .kind = EN_ATTACHED, .pid = pid };
        eng_notify(s, &n);
        return;
    }
    if (s->nt && nt_attach(s->nt, pid, err, sizeof err) != 0) { native_end(s); eng_fail(rq, "%s", err); return; }
    ClrRuntimeInfo rt;
    /* A program started a moment ago may not have its runtime yet: wait for it (as
     * dbgshim's registration for a pid does), then check for a holder again. */
    if (clr_attach_wait_runtime(pid, ENG_ATTACH_WAIT_MS, &rt, attach_note, s, err, sizeof err) != 0) {
        native_end(s);
        eng_fail(rq, "%s", err);
        return;
    }
    if (clr_attach_check_holder(pid, err, sizeof err) != 0) {
        native_end(s);
        eng_fail(rq, "%s", err);
        return;
    }
    char mem[64];
    snprintf(mem, sizeof mem, "/proc/%d/mem", pid);
    FILE *f = fopen(mem, "re");
    if (!f) {
        int e = errno;
        native_end(s);
        eng_fail(rq, "cannot read the memory of process %d: %s (the same user and ptrace permission are "
                 "needed; see /proc/sys/kernel/yama/ptrace_scope)", pid, strerror(e));
        return;
    }
    fclose(f);
    s->launched = 0;
    if (begin_debugging(s, pid, &rt, err, sizeof err) != 0) {
        eng_fail(rq, "%s", err);
        teardown(s);
        return;
    }
    if (clr_lifeline_start(&s->lifeline, pid, err, sizeof err) != 0)
        eng_notify_error(s, "%s: if cordbg dies, process %d may stay suspended", err, pid);
    set_state(s, ENG_ATTACHING);
    EngNotice n = { .kind = EN_ATTACHED, .pid = pid };
    eng_notify(s, &n);
    s->waiting = rq;          /* completes after the last fake attach event */
}

static void req_continue(EngSession *s, Request *rq)
{
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not being run"); return; }
    if (s->state != ENG_STOPPED) { eng_fail(rq, "the program is already running"); return; }
    eng_resume(s, rq);
}

void eng_resume(EngSession *s, Request *rq)
{
    retval_clear(s);            /* the values returned are those of the step that ends next */
    set_state(s, ENG_RUNNING);
    s->waiting = rq;
    /* One Continue for each stop the process is held by (a pause and the events that
     * arrived while paused each hold it once). */
    eng_release_holds(s);
}

void eng_continue_event(EngSession *s, ClrEvent *ev) { do_continue(s, ev->controller); }

void eng_release_holds(EngSession *s)
{
    int n = s->held > 0 ? s->held : 1;
    s->held = 0;
    while (n-- > 0) do_continue(s, NULL);
}

void eng_core_add_module(EngSession *s, ICorDebugModule *m)
{
    ClrEvent ev = { .kind = CE_LOAD_MODULE, .module = m };
    on_load_module(s, &ev);
}

void eng_core_add_thread(EngSession *s, ICorDebugThread *t) { add_thread(s, t); }
void eng_core_release_tables(EngSession *s) { release_tables(s); }
static void shutdown_process(EngSession *s);
void eng_core_end_process(EngSession *s) { shutdown_process(s); }

void eng_core_stop(EngSession *s, EngStopReason reason, ICorDebugThread *t, const Where *w, int frame,
                   const char *exception, const char *message)
{
    StopInfo info = { .where = w, .exception = exception, .message = message };
    enter_stop(s, reason, t, &info);
    s->held = 0;            /* nothing to continue in a dump */
    if (frame > 0) s->current_frame = frame;
}

void eng_stop_at(EngSession *s, EngStopReason reason, ICorDebugThread *t, const Where *w)
{
    StopInfo info = { .where = w };
    enter_stop(s, reason, t, &info);
}

/* The thread a pause shows when none was named: one running user code, as a user who
 * breaks into a busy program expects, not the main thread parked in a wait. Best first:
 * its top frame is user code; it has a user frame and is not in a wait, sleep or join;
 * it has a user frame; any. Ties keep the thread shown last, else the oldest. */
static Thread *pause_pick_thread(EngSession *s)
{
    Thread *best = NULL;
    int best_rank = -1;
    for (size_t i = 0; i < s->nthreads; i++) {
        Thread *th = &s->threads[i];
        int rank = 0;
        Where w;
        ICorDebugFrame *top = NULL;
        if (SUCCEEDED(th->t->lpVtbl->GetActiveFrame(th->t, &top)) && top) {
            if (eng_where_frame(s, top, &w) == 0 && w.user_code) rank = 3;
            top->lpVtbl->Release(top);
        }
        if (rank == 0 && eng_where_thread(s, th->t, 1, &w) == 0 && w.user_code) {
            CorDebugUserState us = 0;
            int waiting = SUCCEEDED(th->t->lpVtbl->GetUserState(th->t, &us)) && (us & USER_WAIT_SLEEP_JOIN);
            rank = waiting ? 1 : 2;
        }
        log_msg(LOG_DEBUG, "engine", "pause: thread %d (tid %u) rank %d", th->id, (unsigned)th->tid, rank);
        if (rank > best_rank || (rank == best_rank && th->id == s->current_thread)) {
            best = th;
            best_rank = rank;
        }
    }
    return best;
}

/* ICorDebug's Stop synchronizes every managed thread; the stop shows the named thread, else
 * the one pause_pick_thread chooses, at its first user frame. */
static void pause_now(EngSession *s, int thread_id)
{
    char b[96];
    HRESULT hr = S_OK;
    int ms = eng_stop_wait_ms();
    int rc = eng_stop(s, ms, &hr);
    if (rc > 0) { eng_notify_error(s, "cannot pause process %d: the runtime did not synchronize within %d ms", s->pid, ms); return; }
    if (rc < 0) { eng_notify_error(s, "cannot pause process %d: %s", s->pid, clr_hr_str(hr, b, sizeof b)); return; }
    s->bp_stop.active = 0;
    step_cancel(s);               /* a step in progress ends with the pause, as at any other stop */
    Thread *th = thread_id ? eng_thread_by_id(s, thread_id) : NULL;
    if (!th) th = pause_pick_thread(s);
    if (!th) th = eng_selected_thread(s);
    s->current_frame = 0;
    set_state(s, ENG_STOPPED);
    Where w;
    int known = th && eng_where_thread(s, th->t, 1, &w) == 0;
    char source[512] = "";
    if (known && w.line) eng_source_line(s, w.module_id, w.file, w.line, source, sizeof source);
    if (th) s->current_thread = th->id;
    EngNotice n = { .kind = EN_STOPPED, .reason = ENG_STOP_PAUSE,
                    .thread_id = th ? th->id : 0, .tid = th ? th->tid : 0,
                    .function = known && w.function[0] ? w.function : NULL,
                    .file = known && w.line ? w.file : NULL, .line = known ? w.line : 0,
                    .source = source[0] ? source : NULL };
    eng_notify(s, &n);
    finish_waiting(s);
}

/* Break into the running program; value: the thread to show (0: choose). A front end
 * that answers a continue before the engine has resumed sends that continue first (see
 * eng_continue_start), so a pause right after it finds the program running. */
static void req_pause(EngSession *s, Request *rq)
{
    if (s->state != ENG_RUNNING || s->killing) { eng_fail(rq, "the program is not running"); return; }
    pause_now(s, rq->arg.pause.thread_id);
}

static void req_kill(EngSession *s, Request *rq)
{
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not being run"); return; }
    vars_clear(s);
    /* A run or continue in progress (another front-end thread waits in it) ends here too. */
    finish_waiting(s);
    s->killing = 1;
    if (!s->cordb) {
        /* Native session: the tracer kills and reaps it; its exit event ends the session. */
        s->waiting = rq;
        if (s->state == ENG_STOPPED) set_state(s, ENG_RUNNING);
        nt_kill(s->nt);
        return;
    }
    /* A wedged runtime debugger would not answer Terminate: the signal needs nobody. */
    /* ... nor would one whose Stop is late (it holds the right side's stop-go lock). */
    HRESULT hr = s->wedged || s->stop_call ? E_FAIL : s->process->lpVtbl->Terminate(s->process, 137);
    if (FAILED(hr) && hr != CORDBG_E_PROCESS_TERMINATED) {
        /* Terminate refused: end it ourselves; ExitProcess follows either way. */
        kill(s->pid, SIGKILL);
    }
    if (s->state == ENG_STOPPED) set_state(s, ENG_RUNNING);
    s->waiting = rq;          /* completes at ExitProcess */
}

static void req_detach(EngSession *s, Request *rq)
{
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not being run"); return; }
    /* The runtime refuses to detach from a program changed by Edit and Continue
     * (CORDBG_E_DETACH_FAILED_ON_ENC), as in Visual Studio: said before anything is undone. */
    for (size_t i = 0; i < s->nmodules; i++)
        if (s->modules[i].enc_applied) {
            eng_fail(rq, "cannot detach from process %d: its code was changed by Edit and Continue (%s), and the "
                     "runtime does not allow a debugger to leave such a process; continue it to its end, or kill it",
                     s->pid, s->modules[i].name);
            return;
        }
    if (s->nt) {
        /* Every int3 out and every thread let go first (a frozen one too). */
        nt_detach(s->nt);
        s->nstop.active = 0;
        if (!s->cordb) {
            int pid = s->pid;
            if (s->launched) clr_launch_forget(&s->launch);
            teardown(s);
            EngNotice n = { .kind = EN_DETACHED, .pid = pid };
            eng_notify(s, &n);
            if (s->waiting && s->waiting != rq) finish_waiting(s);
            return;
        }
    }
    char b[96];
    if (s->state != ENG_STOPPED || s->stop_call) {
        /* (a late Stop: the tracer let its threads go above, so it can answer now) */
        HRESULT hr = S_OK;
        int rc = eng_stop(s, 3 * eng_stop_wait_ms(), &hr);
        if (rc > 0) { eng_fail(rq, "cannot stop process %d to detach: the runtime does not synchronize (kill ends it)", s->pid); return; }
        if (rc < 0) { eng_fail(rq, "cannot stop process %d to detach: %s", s->pid, clr_hr_str(hr, b, sizeof b)); return; }
    }
    /* Take cordbg's breakpoints and value handles out first: nothing of the debugger
     * stays in the program. */
    vars_clear(s);
    bp_process_gone(s);
    while (s->held > 1) { do_continue(s, NULL); s->held--; }
    mc_hold(1);
    HRESULT hr = s->process->lpVtbl->Detach(s->process);
    mc_hold(0);
    if (FAILED(hr)) { eng_fail(rq, "detach from process %d failed: %s", s->pid, clr_hr_str(hr, b, sizeof b)); return; }
    int pid = s->pid;
    if (s->launched) clr_launch_forget(&s->launch);
    teardown(s);
    EngNotice n = { .kind = EN_DETACHED, .pid = pid };
    eng_notify(s, &n);
    /* A continue (or an attach) in progress on another front-end thread ends with it. */
    if (s->waiting && s->waiting != rq) {
        if (s->waiting->kind == REQ_ATTACH) eng_fail(s->waiting, "detached before the attach completed");
        finish_waiting(s);
    }
}

static void req_modules(EngSession *s, Request *rq)
{
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not being run"); return; }
    EngResult *r = rq->res;
    r->modules = calloc(s->nmodules ? s->nmodules : 1, sizeof *r->modules);
    if (!r->modules) { eng_fail(rq, "out of memory"); return; }
    for (size_t i = 0; i < s->nmodules; i++) {
        EngModuleInfo *mi = &r->modules[i];
        mi->id = s->modules[i].id;
        mi->has_symbols = s->modules[i].symbols != NULL;
        mi->dynamic = s->modules[i].dynamic;
        snprintf(mi->path, sizeof mi->path, "%s", s->modules[i].path ? s->modules[i].path : "?");
        snprintf(mi->symbols, sizeof mi->symbols, "%s", s->modules[i].symbols ? s->modules[i].symbols : "");
    }
    r->nmodules = s->nmodules;
}

static void req_verbose(EngSession *s, Request *rq)
{
    s->verbose_events = rq->arg.verbose.on;
    /* Class load events exist only for modules that asked; that call needs a held process. */
    if (s->state == ENG_STOPPED)
        for (size_t i = 0; i < s->nmodules; i++)
            s->modules[i].m->lpVtbl->EnableClassLoadCallbacks(s->modules[i].m, rq->arg.verbose.on ? TRUE : FALSE);
}

/* End of the session: kill what cordbg launched, detach from what it attached to. */
static void shutdown_process(EngSession *s)
{
    if (s->core) { core_session_end(s); return; }
    if (s->state == ENG_NONE) return;
    EngResult tmp = { 0 };
    Request rq = { .res = &tmp };
    if (s->launched) {
        req_kill(s, &rq);
        s->waiting = NULL;
        /* Drain events until ExitProcess tears the process down. The right side may never
         * send it (killed while it was still connecting, or stuck): once the process is
         * gone and a few seconds passed, the keeper's word ends the session; a process
         * still there then gets SIGKILL. Never an unbounded wait (issue 19). */
        pthread_mutex_lock(&s->mu);
        struct timespec start;
        clock_gettime(CLOCK_MONOTONIC, &start);
        while (s->state != ENG_NONE) {
            if (s->ev_head) { run_event(s, take_event(s)); continue; }
            struct timespec dl;
            clock_gettime(CLOCK_REALTIME, &dl);
            dl.tv_nsec += 200 * 1000000L;
            if (dl.tv_nsec >= 1000000000L) { dl.tv_sec++; dl.tv_nsec -= 1000000000L; }
            if (pthread_cond_timedwait(&s->cv, &s->mu, &dl) != ETIMEDOUT || s->ev_head) continue;
            struct timespec now;
            clock_gettime(CLOCK_MONOTONIC, &now);
            if (now.tv_sec - start.tv_sec < 3) continue;
            pthread_mutex_unlock(&s->mu);
            int st = 0;
            char ps = clr_proc_state(s->pid, &st);
            if (ps == 'Z' || ps == 'X' || ps == '?') {
                log_msg(LOG_INFO, "engine", "no ExitProcess from the runtime's debugger: the keeper's word ends the session");
                report_exit(s, clr_launch_wait_exit(&s->launch, &st) == 0, st);
            } else {
                kill(s->pid, SIGKILL);
            }
            pthread_mutex_lock(&s->mu);
        }
        pthread_mutex_unlock(&s->mu);
    } else {
        req_detach(s, &rq);
    }
}

static void req_catch(EngSession *s, Request *rq)
{
    EngCatchInfo *c = &s->catches;
    const char *kind = rq->arg.catches.kind, *types = rq->arg.catches.types;
    int on = rq->arg.catches.on;
    if (kind) {
        if (strcmp(kind, "throw") == 0) {
            c->on_throw = on;
            snprintf(c->throw_types, sizeof c->throw_types, "%s", on && types ? types : "");
        } else if (strcmp(kind, "user-unhandled") == 0) {
            c->on_user_unhandled = on;
        } else if (strcmp(kind, "unhandled") == 0) {
            c->on_unhandled = on;
        } else {
            eng_fail(rq, "unknown exception stop '%s' (throw, user-unhandled, unhandled)", kind);
            return;
        }
    }
    rq->res->catches = *c;
}

/* Breakpoints change while the program runs (editors set them at any time): ICorDebug
 * changes them only while the process is synchronized, so stop it for the change. Events
 * that arrive meanwhile wait in the queue and are handled as usual afterwards. */
static void bp_request_running(EngSession *s, Request *rq)
{
    char b[96];
    if (s->killing) { eng_fail(rq, "the program is being killed"); return; }
    HRESULT hr = S_OK;
    int rc = eng_stop(s, eng_stop_wait_ms(), &hr);
    if (rc > 0) { eng_fail(rq, "cannot stop process %d to change breakpoints: the runtime did not synchronize", s->pid); return; }
    if (rc < 0) { eng_fail(rq, "cannot stop process %d to change breakpoints: %s", s->pid, clr_hr_str(hr, b, sizeof b)); return; }
    s->held--;
    bp_request(s, rq);
    hr = s->process->lpVtbl->Continue(s->process, FALSE);
    if (FAILED(hr)) eng_notify_error(s, "cannot let process %d go on after changing breakpoints: %s", s->pid, clr_hr_str(hr, b, sizeof b));
}

/* Requests that need nothing from the runtime's debugger (or end the process without it). */
static int works_when_wedged(ReqKind k)
{
    return k == REQ_KILL || k == REQ_SHUTDOWN || k == REQ_TERMINATE || k == REQ_LIST_BPS || k == REQ_CATCH ||
           k == REQ_ENTRY || k == REQ_JMC || k == REQ_STEPFILTER || k == REQ_VERBOSE || k == REQ_EVAL_SETTINGS ||
           k == REQ_SRCMAP || k == REQ_EXACTSRC || k == REQ_NOJITOPT || k == REQ_EXCLOG || k == REQ_SRCDIRS ||
           k == REQ_ENC_SET || k == REQ_ENC_MODULES || k == REQ_ENC_COMMIT;
}

/* A source path prefix the PDBs use (the build machine's) and the local one it stands for;
 * line breakpoints given with local paths bind to documents under the build path. A pair
 * for a prefix already mapped replaces it. */
static void req_source_map(EngSession *s, Request *rq)
{
    const char *from = rq->arg.srcmap.from, *to = rq->arg.srcmap.to;
    if (!from) {
        for (size_t i = 0; i < s->nmap; i++) { free(s->map_from[i]); free(s->map_to[i]); }
        s->nmap = 0;
        return;
    }
    size_t i = 0;
    while (i < s->nmap && strcmp(s->map_from[i], from)) i++;
    if (i == s->nmap) {
        char **f = realloc(s->map_from, (s->nmap + 1) * sizeof *f);
        if (f) s->map_from = f;
        char **t = f ? realloc(s->map_to, (s->nmap + 1) * sizeof *t) : NULL;
        if (t) s->map_to = t;
        if (!f || !t || !(s->map_from[i] = strdup(from))) { eng_fail(rq, "out of memory"); return; }
        s->map_to[i] = NULL;
        s->nmap++;
    }
    free(s->map_to[i]);
    if (!(s->map_to[i] = strdup(to))) { s->map_to[i] = strdup(""); }
}

static void handle_request(EngSession *s, Request *rq)
{
    rq->res->status = 0;
    if (s->core && core_refuse(s, rq)) {
        if (rq->async) free(rq);
        else complete(s, rq);
        return;
    }
    if (s->wedged && s->state != ENG_NONE && !works_when_wedged(rq->kind)) {
        eng_fail(rq, "the runtime's debugger in process %d no longer answers (an evaluation could not be aborted); "
                 "only 'kill' can end the program", s->pid);
        complete(s, rq);
        return;
    }
    if (core_native_request(s, rq) && native_request(s, rq)) {
        if (s->waiting == rq) return;
        if (rq->async) free(rq);
        else complete(s, rq);
        return;
    }
    if (s->stop_call && s->state == ENG_STOPPED && !works_when_wedged(rq->kind) && rq->kind != REQ_DETACH) {
        /* A native stop the runtime has not synchronized with: ICorDebug would wait on it. */
        eng_fail(rq, "the runtime has not synchronized with this native stop (a frozen thread holds what it needs): "
                 "native views only (bt, info registers, x, disassemble); continue, kill or detach");
        if (rq->async) free(rq);
        else complete(s, rq);
        return;
    }
    switch (rq->kind) {
    case REQ_RUN:      req_run(s, rq); break;
    case REQ_ATTACH:   req_attach(s, rq); break;
    case REQ_CONTINUE: req_continue(s, rq); break;
    case REQ_KILL:     req_kill(s, rq); break;
    case REQ_DETACH:   req_detach(s, rq); break;
    case REQ_THREADS:  req_threads(s, rq); break;
    case REQ_MODULES:  req_modules(s, rq); break;
    case REQ_VERBOSE:  req_verbose(s, rq); break;
    case REQ_SHUTDOWN: shutdown_process(s); s->quit = 1; break;
    case REQ_ENTRY:    s->stop_at_entry = rq->arg.entry.on; break;
    case REQ_JMC:      s->just_my_code = rq->arg.jmc.on; break;
    case REQ_SRCMAP:   req_source_map(s, rq); break;
    case REQ_EXACTSRC: s->require_exact_source = rq->arg.exactsrc.on; break;
    case REQ_NOJITOPT: s->suppress_jit_opt = rq->arg.nojitopt.on; break;
    case REQ_EXCLOG:   s->log_exceptions = rq->arg.exclog.on; break;
    case REQ_SRCDIRS:  source_dirs_request(s, rq); break;
    case REQ_STEPFILTER: s->step_filtering = rq->arg.stepfilter.on; break;
    case REQ_BREAK: case REQ_DELETE: case REQ_ENABLE: case REQ_LIST_BPS:
    case REQ_BP_CONDITION: case REQ_BP_HITS: case REQ_BP_IGNORE: case REQ_BP_LOG:
        if (rq->kind != REQ_LIST_BPS && s->state == ENG_RUNNING) bp_request_running(s, rq);
        else bp_request(s, rq);
        break;
    case REQ_BP_LINES: bp_lines_request(s, rq); break;
    case REQ_BP_LOCS: bp_locations_request(s, rq); break;
    case REQ_STEP_TARGETS: retval_step_targets(s, rq); break;
    case REQ_DOCUMENTS: documents_request(s, rq); break;
    case REQ_SCOPES: case REQ_VARIABLES: case REQ_EVAL_REF: case REQ_SET_VALUE: case REQ_COMPLETE: varref_request(s, rq); break;
    case REQ_CATCH:    req_catch(s, rq); break;
    case REQ_PAUSE:    req_pause(s, rq); break;
    case REQ_BACKTRACE: req_backtrace(s, rq); break;
    case REQ_SELECT_THREAD: req_select_thread(s, rq); break;
    case REQ_SELECT_FRAME: req_select_frame(s, rq); break;
    case REQ_FREEZE:   req_freeze(s, rq); break;
    case REQ_STEP:     s->bp_stop.active = 0; step_request(s, rq); break;
    case REQ_JUMP:     step_jump(s, rq); break;
    case REQ_SOURCE:   source_request(s, rq); break;
    case REQ_VARS:     vars_request(s, rq); break;
    case REQ_EVALUATE: case REQ_STATICS: case REQ_EVAL_SETTINGS: inspect_request(s, rq); break;
    case REQ_MODE: case REQ_REGS: case REQ_MEMORY: case REQ_DISASM: case REQ_SHLIBS: case REQ_SET_REG:
        break;    /* native_request answered them */
    case REQ_LOWLEVEL: lowlevel_request(s, rq); break;
    case REQ_WATCH: native_watch_request(s, rq); break;
    case REQ_ENC_SET: case REQ_ENC_APPLY: case REQ_ENC_MODULES: case REQ_ENC_COMMIT: enc_engine_request(s, rq); break;
    case REQ_CALL_INJECTED: case REQ_FRAME_LOCATION: funceval_request(s, rq); break;
    case REQ_OPEN_CORE: core_session_request(s, rq); break;
    case REQ_GEN_CORE: gcore_request(s, rq); break;
    case REQ_TERMINATE:
        /* A signal ends cordbg: let the program go first (killed if cordbg started it). */
        if (s->waiting) {
            Request *w = s->waiting;
            s->waiting = NULL;
            eng_fail(w, "interrupted");
            complete(s, w);
        }
        shutdown_process(s);
        break;
    }
    if (s->waiting == rq) return;
    if (rq->async) free(rq);
    else complete(s, rq);
}

static void *engine_main(void *arg)
{
    EngSession *s = arg;
    pthread_mutex_lock(&s->mu);
    while (!s->quit) {
        if (s->ev_head) {
            run_event(s, take_event(s));
        } else if (s->rq_head) {
            Request *rq = s->rq_head;
            s->rq_head = rq->next;
            if (!s->rq_head) s->rq_tail = NULL;
            pthread_mutex_unlock(&s->mu);
            handle_request(s, rq);
            pthread_mutex_lock(&s->mu);
        } else if (s->exit_deadline_ms) {
            uint64_t now = os_monotonic_ns() / 1000000u;
            if (now >= s->exit_deadline_ms) {
                s->exit_deadline_ms = 0;
                if (s->state != ENG_NONE && s->launched) {
                    pthread_mutex_unlock(&s->mu);
                    int status = 0;
                    log_msg(LOG_INFO, "engine", "no ExitProcess from a wedged runtime debugger: the keeper's word ends the session");
                    report_exit(s, clr_launch_wait_exit(&s->launch, &status) == 0, status);
                    pthread_mutex_lock(&s->mu);
                }
                continue;
            }
            struct timespec dl;
            clock_gettime(CLOCK_REALTIME, &dl);
            uint64_t ns = (uint64_t)dl.tv_nsec + (s->exit_deadline_ms - now) * 1000000u;
            dl.tv_sec += (time_t)(ns / 1000000000u);
            dl.tv_nsec = (long)(ns % 1000000000u);
            pthread_cond_timedwait(&s->cv, &s->mu, &dl);
        } else {
            pthread_cond_wait(&s->cv, &s->mu);
        }
    }
    /* Events that raced the shutdown: release them. */
    for (ClrEvent *ev; (ev = take_event(s));) clr_event_free(ev);
    pthread_mutex_unlock(&s->mu);
    return NULL;
}

/* ---------------------------------------------------------------- public */

EngSession *eng_session_new(EngNotifyFn fn, void *ctx)
{
    EngSession *s = calloc(1, sizeof *s);
    if (!s) return NULL;
    pthread_mutex_init(&s->mu, NULL);
    pthread_cond_init(&s->cv, NULL);
    pthread_cond_init(&s->done_cv, NULL);
    s->notify = fn;
    s->notify_ctx = ctx;
    s->just_my_code = 1;
    const char *enc_env_on = getenv("CORDBG_ENC");
    s->enc_on = !(enc_env_on && (!strcmp(enc_env_on, "0") || !strcmp(enc_env_on, "off")));
    s->require_exact_source = 1;     /* as vsdbg */
    s->step_filtering = 1;
    s->catches.on_unhandled = 1;
    s->funceval = 1;
    s->eval_timeout_ms = 5000;
    if (pthread_create(&s->thread, NULL, engine_main, s) != 0) {
        pthread_mutex_destroy(&s->mu);
        pthread_cond_destroy(&s->cv);
        pthread_cond_destroy(&s->done_cv);
        free(s);
        return NULL;
    }
    return s;
}

static void call2(EngSession *s, Request rq, EngResult *r)
{
    memset(r, 0, sizeof *r);
    rq.res = r;
    submit(s, &rq);
}

/* A request without arguments. */
static void call(EngSession *s, ReqKind kind, EngResult *r)
{
    call2(s, (Request){ .kind = kind }, r);
}

void eng_session_free(EngSession *s)
{
    if (!s) return;
    EngResult r;
    call(s, REQ_SHUTDOWN, &r);
    pthread_join(s->thread, NULL);
    release_tables(s);
    bp_free_all(s);
    /* Instances still waiting for their ExitProcess: try once more; the runtime's
     * objects of a process that is gone are freed with cordbg's own exit otherwise. */
    for (size_t i = 0; i < s->nretired; i++) {
        clr_callback_close(s->retired[i].callback);
        if (SUCCEEDED(s->retired[i].cordb->lpVtbl->Terminate(s->retired[i].cordb)))
            s->retired[i].cordb->lpVtbl->Release(s->retired[i].cordb);
        clr_callback_release(s->retired[i].callback);
    }
    free(s->retired);
    for (size_t i = 0; i < s->nmap; i++) { free(s->map_from[i]); free(s->map_to[i]); }
    for (size_t i = 0; i < s->nsrc_dirs; i++) free(s->src_dirs[i]);
    free(s->src_dirs);
    free(s->map_from);
    free(s->map_to);
    free(s->async_bps);
    free(s->threads);
    free(s->modules);
    free(s->domains);
    pthread_mutex_destroy(&s->mu);
    pthread_cond_destroy(&s->cv);
    pthread_cond_destroy(&s->done_cv);
    free(s);
}

void eng_result_free(EngResult *r)
{
    free(r->threads);
    free(r->modules);
    free(r->bps);
    free(r->frames);
    free(r->text);
    free(r->vars);
    free(r->values);
    free(r->lines);
    free(r->insns);
    r->insns = NULL;
    r->ninsns = 0;
    r->values = NULL;
    r->nvalues = 0;
    r->lines = NULL;
    r->nlines = 0;
    r->vars = NULL;
    r->nvars = 0;
    r->text = NULL;
    r->frames = NULL;
    r->nframes = 0;
    r->threads = NULL;
    r->modules = NULL;
    r->bps = NULL;
    r->nthreads = r->nmodules = r->nbps = 0;
}

EngState eng_state(EngSession *s)
{
    pthread_mutex_lock(&s->mu);
    EngState st = s->public_state;
    pthread_mutex_unlock(&s->mu);
    return st;
}

int eng_pid(EngSession *s)
{
    pthread_mutex_lock(&s->mu);
    int pid = s->public_pid;
    pthread_mutex_unlock(&s->mu);
    return pid;
}

int eng_is_core(EngSession *s)
{
    pthread_mutex_lock(&s->mu);
    int c = s->public_core;
    pthread_mutex_unlock(&s->mu);
    return c;
}

int eng_launched(EngSession *s)
{
    pthread_mutex_lock(&s->mu);
    int l = s->public_launched;
    pthread_mutex_unlock(&s->mu);
    return l;
}

void eng_run(EngSession *s, const EngLaunchArgs *a, EngResult *r) { call2(s, (Request){ .kind = REQ_RUN, .arg.run = { a } }, r); }
void eng_attach(EngSession *s, int pid, EngResult *r) { call2(s, (Request){ .kind = REQ_ATTACH, .arg.attach = { pid } }, r); }
void eng_open_core(EngSession *s, const char *core, const char *program, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_OPEN_CORE, .arg.open_core = { core, program } }, r);
}
void eng_generate_core(EngSession *s, const char *path, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_GEN_CORE, .arg.gen_core = { path } }, r);
}
void eng_continue(EngSession *s, EngResult *r) { call(s, REQ_CONTINUE, r); }
void eng_kill(EngSession *s, EngResult *r) { call(s, REQ_KILL, r); }
void eng_detach(EngSession *s, EngResult *r) { call(s, REQ_DETACH, r); }
void eng_list_threads(EngSession *s, EngResult *r) { call(s, REQ_THREADS, r); }
void eng_list_modules(EngSession *s, EngResult *r) { call(s, REQ_MODULES, r); }
void eng_set_verbose_events(EngSession *s, int on, EngResult *r) { call2(s, (Request){ .kind = REQ_VERBOSE, .arg.verbose = { on } }, r); }
/* A request nobody waits for (from a signal-handling thread, say). */
static void post_async(EngSession *s, Request init)
{
    Request *rq = calloc(1, sizeof *rq);
    if (!rq) return;
    *rq = init;
    rq->async = 1;
    rq->res = &rq->own;
    pthread_mutex_lock(&s->mu);
    enqueue_request(s, rq);
    pthread_mutex_unlock(&s->mu);
}

void eng_pause_async(EngSession *s) { post_async(s, (Request){ .kind = REQ_PAUSE }); }
void eng_pause_thread_async(EngSession *s, int thread_id) { post_async(s, (Request){ .kind = REQ_PAUSE, .arg.pause = { thread_id } }); }

/* A request sent now and waited for later: its place in the engine's queue is taken at once. */
static EngPending *start_call(EngSession *s, Request init)
{
    Request *rq = calloc(1, sizeof *rq);
    if (!rq) return NULL;
    *rq = init;
    rq->res = &rq->own;
    pthread_mutex_lock(&s->mu);
    enqueue_request(s, rq);
    pthread_mutex_unlock(&s->mu);
    return (EngPending *)rq;
}

EngPending *eng_continue_start(EngSession *s) { return start_call(s, (Request){ .kind = REQ_CONTINUE }); }
EngPending *eng_step_start(EngSession *s, int kind) { return start_call(s, (Request){ .kind = REQ_STEP, .arg.step = { kind } }); }
EngPending *eng_step_into_start(EngSession *s, const char *target)
{
    Request rq = { .kind = REQ_STEP, .arg.step = { 'i' } };
    snprintf(rq.arg.step.target, sizeof rq.arg.step.target, "%s", target ? target : "");
    return start_call(s, rq);
}
void eng_step_targets(EngSession *s, int thread_id, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_STEP_TARGETS, .arg.step_targets = { thread_id } }, r);
}

void eng_wait(EngSession *s, EngPending *p, EngResult *r)
{
    Request *rq = (Request *)p;
    memset(r, 0, sizeof *r);
    if (!rq) { r->status = -1; snprintf(r->err, sizeof r->err, "out of memory"); return; }
    pthread_mutex_lock(&s->mu);
    while (!rq->done) pthread_cond_wait(&s->done_cv, &s->mu);
    pthread_mutex_unlock(&s->mu);
    *r = rq->own;
    free(rq);
}

void eng_abandon(EngSession *s, EngPending *p)
{
    Request *rq = (Request *)p;
    if (!rq) return;
    pthread_mutex_lock(&s->mu);
    int done = rq->done;
    rq->abandoned = 1;
    pthread_mutex_unlock(&s->mu);
    if (done) { eng_result_free(&rq->own); free(rq); }
}

void eng_terminate(EngSession *s, EngResult *r) { call(s, REQ_TERMINATE, r); }

void eng_set_stop_at_entry(EngSession *s, int on, EngResult *r) { call2(s, (Request){ .kind = REQ_ENTRY, .arg.entry = { on } }, r); }
void eng_source_map(EngSession *s, const char *from, const char *to, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_SRCMAP, .arg.srcmap = { from, to ? to : "" } }, r);
}
void eng_set_edit_and_continue(EngSession *s, int on, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_ENC_SET, .arg.enc_set = { on } }, r);
}
void eng_enc_apply(EngSession *s, const EngEncDelta *d, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_ENC_APPLY, .arg.enc_apply = { d } }, r);
}
int eng_enc_modules(EngSession *s, EngEncModule **out, size_t *n, char *err, size_t cap)
{
    EngResult r;
    *out = NULL;
    *n = 0;
    call2(s, (Request){ .kind = REQ_ENC_MODULES, .arg.enc_modules = { out, n } }, &r);
    if (r.status != 0) snprintf(err, cap, "%s", r.err);
    eng_result_free(&r);
    return r.status;
}
void eng_enc_commit_text(EngSession *s, const char *module, const char *path, const char *text, size_t len, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_ENC_COMMIT, .arg.enc_commit = { module, path, text, len } }, r);
}
void eng_set_suppress_jit_optimizations(EngSession *s, int on, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_NOJITOPT, .arg.nojitopt = { on } }, r);
}
void eng_source_dirs(EngSession *s, const char *dirs, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_SRCDIRS, .arg.srcdirs = { dirs } }, r);
}
void eng_set_exception_log(EngSession *s, int on, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_EXCLOG, .arg.exclog = { on } }, r);
}
void eng_set_symbol_paths(const char *const *dirs, size_t n) { pdb_set_search_paths(dirs, n); }

void eng_set_require_exact_source(EngSession *s, int on, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_EXACTSRC, .arg.exactsrc = { on } }, r);
}
void eng_set_just_my_code(EngSession *s, int on, EngResult *r) { call2(s, (Request){ .kind = REQ_JMC, .arg.jmc = { on } }, r); }
void eng_break(EngSession *s, const char *location, int temporary, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_BREAK, .arg.brk = { location, temporary } }, r);
}
void eng_delete_breakpoint(EngSession *s, int id, EngResult *r) { call2(s, (Request){ .kind = REQ_DELETE, .arg.del = { id } }, r); }
void eng_enable_breakpoint(EngSession *s, int id, int enable, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_ENABLE, .arg.enable = { id, enable } }, r);
}
void eng_list_breakpoints(EngSession *s, EngResult *r) { call(s, REQ_LIST_BPS, r); }
void eng_watch(EngSession *s, const char *expr, int kind, int check, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_WATCH, .arg.watch = { expr, kind, check, 0, 0, 0 } }, r);
}
void eng_watch_at(EngSession *s, const char *label, uint64_t addr, int len, char enc, int kind, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_WATCH, .arg.watch = { label, kind, 0, addr, len, enc } }, r);
}
void eng_catch(EngSession *s, const char *kind, const char *types, int on, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_CATCH, .arg.catches = { kind, types, on } }, r);
}

void eng_backtrace(EngSession *s, int thread_id, int limit, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_BACKTRACE, .arg.backtrace = { limit, thread_id } }, r);
}
void eng_select_thread(EngSession *s, int thread_id, EngResult *r) { call2(s, (Request){ .kind = REQ_SELECT_THREAD, .arg.select_thread = { thread_id } }, r); }
void eng_select_frame(EngSession *s, int index, int relative, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_SELECT_FRAME, .arg.select_frame = { index, relative } }, r);
}
void eng_freeze_thread(EngSession *s, int thread_id, int freeze, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_FREEZE, .arg.freeze = { thread_id, freeze } }, r);
}
void eng_step(EngSession *s, int kind, EngResult *r) { call2(s, (Request){ .kind = REQ_STEP, .arg.step = { kind } }, r); }
void eng_jump(EngSession *s, int line, int relative, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_JUMP, .arg.jump = { line, relative } }, r);
}
void eng_source(EngSession *s, const char *where, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_SOURCE, .arg.source = { where } }, r);
}
void eng_set_step_filtering(EngSession *s, int on, EngResult *r) { call2(s, (Request){ .kind = REQ_STEPFILTER, .arg.stepfilter = { on } }, r); }
void eng_frame_vars(EngSession *s, int kind, EngResult *r) { call2(s, (Request){ .kind = REQ_VARS, .arg.vars = { kind } }, r); }

void eng_evaluate(EngSession *s, const char *expr, int flags, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_EVALUATE, .arg.evaluate = { expr, flags, 0 } }, r);
}
void eng_evaluate_n(EngSession *s, const char *expr, int flags, int max_children, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_EVALUATE, .arg.evaluate = { expr, flags, max_children } }, r);
}
void eng_call_injected(EngSession *s, int thread_id, int frame, const char *module_path, uint32_t method_token,
                       int is_static, const char *const *param_names, int nparams, EngResult *r)
{
    eng_call_injected_ex(s, thread_id, frame, module_path, method_token, is_static, param_names, nparams, 0, 0, r);
}
void eng_call_injected_ex(EngSession *s, int thread_id, int frame, const char *module_path, uint32_t method_token,
                          int is_static, const char *const *param_names, int nparams, int flags, int max_children,
                          EngResult *r)
{
    call2(s, (Request){ .kind = REQ_CALL_INJECTED, .arg.call_injected = { thread_id, frame, module_path, method_token,
                        is_static, param_names, nparams, flags, max_children } }, r);
}
void eng_frame_location(EngSession *s, int thread_id, int frame, EngFrameLocation *out, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_FRAME_LOCATION, .arg.frame_location = { thread_id, frame, out } }, r);
}
void eng_statics(EngSession *s, const char *type, EngResult *r) { call2(s, (Request){ .kind = REQ_STATICS, .arg.statics = { type } }, r); }
void eng_set_eval(EngSession *s, int implicit, int timeout_ms, int bp_abort, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_EVAL_SETTINGS, .arg.eval_settings = { implicit, timeout_ms, bp_abort } }, r);
}
void eng_set_eval_display(EngSession *s, int to_string, int raw_structure, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_EVAL_SETTINGS, .arg.eval_settings = { -1, 0, -1,
                        ENG_EVDISP_SET | (to_string ? 0 : ENG_EVDISP_NO_TO_STRING) | (raw_structure ? ENG_EVDISP_RAW : 0) } }, r);
}
void eng_bp_condition(EngSession *s, int id, const char *expr, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_BP_CONDITION, .arg.bp_condition = { id, expr } }, r);
}
void eng_bp_hit_condition(EngSession *s, int id, int op, unsigned count, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_BP_HITS, .arg.bp_hits = { id, op, count } }, r);
}
void eng_bp_ignore(EngSession *s, int id, unsigned count, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_BP_IGNORE, .arg.bp_ignore = { id, count } }, r);
}
void eng_bp_log_message(EngSession *s, int id, const char *message, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_BP_LOG, .arg.bp_log = { id, message } }, r);
}

void eng_scopes(EngSession *s, int thread_id, int frame, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_SCOPES, .arg.scopes = { thread_id, frame } }, r);
}
void eng_variables(EngSession *s, int ref, size_t start, size_t count, int flags, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_VARIABLES, .arg.variables = { ref, start > 0x7fffffff ? 0x7fffffff : start,
                                                                 count > 0x7fffffff ? 0x7fffffff : count, flags } }, r);
}
void eng_evaluate_at(EngSession *s, int thread_id, int frame, const char *expr, int flags, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_EVAL_REF, .arg.eval_ref = { thread_id, frame, expr, flags } }, r);
}
void eng_set_value(EngSession *s, int ref, const char *name, int thread_id, int frame, const char *value, int flags, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_SET_VALUE, .arg.set_value = { ref, name, thread_id, frame, value, flags } }, r);
}
void eng_completions(EngSession *s, int thread_id, int frame, const char *text, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_COMPLETE, .arg.complete = { thread_id, frame, text } }, r);
}
void eng_breakpoint_locations(EngSession *s, const char *file, int first, int last, const char *program, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_BP_LOCS, .arg.bp_locs = { file, first, last, program } }, r);
}
void eng_documents(EngSession *s, int module_id, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_DOCUMENTS, .arg.documents = { module_id } }, r);
}
void eng_breakpoint_lines(EngSession *s, const char *file, int first, int last, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_BP_LINES, .arg.bp_lines = { file, first, last } }, r);
}

void eng_set_mode(EngSession *s, EngMode mode, EngResult *r) { call2(s, (Request){ .kind = REQ_MODE, .arg.mode = { (int)mode } }, r); }
EngMode eng_mode(EngSession *s)
{
    pthread_mutex_lock(&s->mu);
    EngMode m = (EngMode)s->mode;   /* written by the engine thread only between runs */
    pthread_mutex_unlock(&s->mu);
    return m;
}
void eng_registers(EngSession *s, int all, EngResult *r) { call2(s, (Request){ .kind = REQ_REGS, .arg.regs = { all } }, r); }
void eng_set_register(EngSession *s, const char *name, uint64_t value, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_SET_REG, .arg.set_reg = { name, value } }, r);
}
void eng_read_memory(EngSession *s, const char *expr, size_t len, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_MEMORY, .arg.memory = { expr, len } }, r);
}
void eng_disassemble(EngSession *s, const char *expr, int count, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_DISASM, .arg.disasm = { expr, count } }, r);
}
void eng_shared_libraries(EngSession *s, EngResult *r) { call(s, REQ_SHLIBS, r); }
void eng_mem_read(EngSession *s, uint64_t addr, size_t len, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_LOWLEVEL, .arg.ll = { .op = LL_READ, .addr = addr, .len = len } }, r);
}
void eng_mem_write(EngSession *s, uint64_t addr, const void *data, size_t len, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_LOWLEVEL, .arg.ll = { .op = LL_WRITE, .addr = addr, .data = data, .len = len } }, r);
}
void eng_disasm_at(EngSession *s, uint64_t addr, long insn_offset, int count, int symbols, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_LOWLEVEL, .arg.ll = { .op = LL_DISASM, .addr = addr, .offset = insn_offset,
                                                         .count = count, .symbols = symbols } }, r);
}
void eng_frame_registers(EngSession *s, int thread_id, int frame, EngResult *r)
{
    call2(s, (Request){ .kind = REQ_LOWLEVEL, .arg.ll = { .op = LL_REGS, .thread_id = thread_id, .frame = frame } }, r);
}
