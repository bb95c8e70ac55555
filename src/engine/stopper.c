/* ICorDebug's Stop, bounded. The runtime ignores Stop's timeout (CordbProcess::StopInternal
 * sets it to INFINITE) and waits until every managed thread has reached a safe place. In
 * mixed mode a thread frozen by the tracer can hold what that needs (a lock of the PAL, a
 * thread in cooperative mode), and then Stop never returns: an engine thread inside it would
 * answer no request and no signal again (issue 19). So Stop runs on a thread of its own and
 * the engine waits for it a bounded time:
 *
 *   eng_stop ──▶ Stop() on the stop thread ──answer within the wait──▶ 0, a hold taken
 *                                          └─no answer───▶ 1: "late"; the engine goes on
 *   late Stop answered ──▶ CE_STOP_DONE event ──▶ eng_stop_collect:
 *        at a native stop: its hold (the managed view becomes available)
 *        running: Continue at once (nobody stopped)     gone: nothing
 *
 * While a Stop is late the engine makes no ICorDebug call that takes the right side's
 * stop-go lock (Stop, Continue, Detach, Terminate: the late Stop holds it) and none that
 * could wait on the helper thread: the native views answer, the rest is refused (session.c,
 * works_while_stop_late). Continuing the native stop lets the frozen threads go, which is
 * what the late Stop waits for. kill ends the process with SIGKILL, the keeper's word gives
 * the exit. One Stop call at a time. */
#include "engine/internal.h"
#include "base/log.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

struct StopCall {
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    EngSession     *s;
    ICorDebugProcess *process;     /* AddRef'd for the call */
    unsigned        generation;
    int             done, late;
    HRESULT         hr;
    pthread_t       th;
};

static void *stop_main(void *arg)
{
    StopCall *c = arg;
    HRESULT hr = c->process->lpVtbl->Stop(c->process, 0xFFFFFFFF);
    pthread_mutex_lock(&c->mu);
    c->hr = hr;
    c->done = 1;
    int late = c->late;
    pthread_cond_broadcast(&c->cv);
    pthread_mutex_unlock(&c->mu);
    if (late) {
        /* The engine went on without this answer: tell it. */
        ClrEvent *ev = clr_event_new(CE_NATIVE);     /* aux NULL: "the late Stop answered" */
        if (ev) { ev->generation = c->generation; ev->hr = hr; eng_post_event(c->s, ev, 0); }
    }
    return NULL;
}

int eng_stop_wait_ms(void)
{
    const char *e = getenv("CORDBG_STOP_WAIT_MS");
    int ms = e ? atoi(e) : 0;
    return ms > 0 ? ms : 2000;
}

/* A request that ends the session (kill, detach, a signal's terminate) or a Ctrl-C's pause
 * is queued: the engine stops waiting for the runtime at once (the stop is shown, native
 * view only) to answer it. */
static int urgent_request(EngSession *s)
{
    int found = 0;
    pthread_mutex_lock(&s->mu);
    for (Request *r = s->rq_head; r && !found; r = r->next)
        found = r->kind == REQ_KILL || r->kind == REQ_TERMINATE || r->kind == REQ_SHUTDOWN || r->kind == REQ_DETACH ||
                r->kind == REQ_PAUSE;
    pthread_mutex_unlock(&s->mu);
    return found;
}

static int before(const struct timespec *a, const struct timespec *b)
{
    return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

/* Wait for the call until deadline (NULL: no wait), in short slices, so that a request
 * ending the session is not kept waiting. 1 when it answered (joined, freed, s->stop_call
 * cleared, *hr set). */
static int stop_take(EngSession *s, const struct timespec *deadline, HRESULT *hr)
{
    StopCall *c = s->stop_call;
    if (!c) return 0;
    pthread_mutex_lock(&c->mu);
    while (!c->done && deadline) {
        struct timespec slice;
        clock_gettime(CLOCK_REALTIME, &slice);
        if (!before(&slice, deadline)) break;
        slice.tv_nsec += 50 * 1000000L;
        if (slice.tv_nsec >= 1000000000L) { slice.tv_sec++; slice.tv_nsec -= 1000000000L; }
        if (before(deadline, &slice)) slice = *deadline;
        if (pthread_cond_timedwait(&c->cv, &c->mu, &slice) != ETIMEDOUT || c->done) continue;
        pthread_mutex_unlock(&c->mu);
        int ending = urgent_request(s);
        pthread_mutex_lock(&c->mu);
        if (ending) break;
    }
    int done = c->done;
    if (!done) c->late = 1;
    pthread_mutex_unlock(&c->mu);
    if (!done) return 0;
    pthread_join(c->th, NULL);
    *hr = c->hr;
    c->process->lpVtbl->Release(c->process);
    pthread_cond_destroy(&c->cv);
    pthread_mutex_destroy(&c->mu);
    free(c);
    s->stop_call = NULL;
    return 1;
}

static void deadline_in(struct timespec *t, int ms)
{
    clock_gettime(CLOCK_REALTIME, t);
    t->tv_sec += ms / 1000;
    t->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) { t->tv_sec++; t->tv_nsec -= 1000000000L; }
}

int eng_stop(EngSession *s, int ms, HRESULT *phr)
{
    HRESULT hr = E_FAIL;
    if (phr) *phr = S_OK;
    if (!s->process) { if (phr) *phr = E_FAIL; return -1; }
    if (!s->stop_call) {
        StopCall *c = calloc(1, sizeof *c);
        if (!c) { if (phr) *phr = E_OUTOFMEMORY; return -1; }
        pthread_mutex_init(&c->mu, NULL);
        pthread_cond_init(&c->cv, NULL);
        c->s = s;
        c->process = s->process;
        c->process->lpVtbl->AddRef(c->process);
        c->generation = s->generation;
        if (pthread_create(&c->th, NULL, stop_main, c) != 0) {
            c->process->lpVtbl->Release(c->process);
            free(c);
            if (phr) *phr = E_FAIL;
            return -1;
        }
        s->stop_call = c;
    }
    /* A Stop already late is this one too: its answer is this call's. */
    struct timespec dl;
    deadline_in(&dl, ms);
    if (!stop_take(s, &dl, &hr)) {
        log_msg(LOG_INFO, "engine", "ICorDebug Stop: no answer within %d ms (late)", ms);
        return 1;
    }
    if (phr) *phr = hr;
    if (FAILED(hr)) return -1;
    s->held++;
    return 0;
}

int eng_stop_late(EngSession *s) { return s->stop_call != NULL; }

void eng_stop_collect(EngSession *s)
{
    HRESULT hr;
    if (!stop_take(s, NULL, &hr)) return;
    if (FAILED(hr)) { log_msg(LOG_INFO, "engine", "late ICorDebug Stop: 0x%08x", (unsigned)hr); return; }
    if (s->state == ENG_STOPPED) {
        /* The stop shown now holds it too (a native stop gains its managed view); the
         * continue from that stop releases it. */
        s->held++;
        if (s->nstop.active) native_stop_synced(s);
        log_msg(LOG_INFO, "engine", "late ICorDebug Stop answered: the managed view is back");
        return;
    }
    if (s->state == ENG_NONE || s->killing) return;
    /* Running again: nobody wants this stop; the holds a continue from the native-only stop
     * left owed go with it. */
    int n = s->held + 1;
    s->held = 0;
    while (n-- > 0 && s->process) {
        HRESULT c = s->process->lpVtbl->Continue(s->process, FALSE);
        if (FAILED(c)) log_msg(LOG_INFO, "engine", "Continue after a late Stop: 0x%08x", (unsigned)c);
    }
}

void eng_stop_end(EngSession *s, int ms)
{
    HRESULT hr;
    if (!s->stop_call) return;
    struct timespec dl;
    deadline_in(&dl, ms);
    if (stop_take(s, &dl, &hr)) return;
    /* It never answered (the right side is stuck for good): leave the thread, and its
     * references, to the end of cordbg rather than wait for ever. */
    StopCall *c = s->stop_call;
    log_msg(LOG_INFO, "engine", "ICorDebug Stop never answered: abandoned");
    pthread_detach(c->th);
    s->stop_call = NULL;
    s->stop_abandoned = 1;
}
