/* Thread and stack requests: info threads, backtrace, thread/frame selection, freeze and
 * thaw. Each reads the process as it is at this stop; nothing here outlives a Continue. */
#include "engine/internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void thread_name(int pid, uint32_t tid, char *out, size_t cap)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/task/%u/comm", pid, (unsigned)tid);
    FILE *f = fopen(path, "re");
    out[0] = 0;
    if (f) {
        if (fgets(out, (int)cap, f)) out[strcspn(out, "\n")] = 0;
        fclose(f);
    }
}

void req_threads(EngSession *s, Request *rq)
{
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not being run"); return; }
    EngResult *r = rq->res;
    r->threads = calloc(s->nthreads ? s->nthreads : 1, sizeof *r->threads);
    if (!r->threads) { eng_fail(rq, "out of memory"); return; }
    for (size_t i = 0; i < s->nthreads; i++) {
        EngThreadInfo *ti = &r->threads[i];
        ti->id = s->threads[i].id;
        ti->tid = s->threads[i].tid;
        ti->current = ti->id == s->current_thread;
        ti->frozen = s->threads[i].frozen;
        thread_name(s->pid, ti->tid, ti->name, sizeof ti->name);
        if (s->state == ENG_STOPPED) {
            eng_thread_info(s->threads[i].t, ti->managed_name, sizeof ti->managed_name, ti->state, sizeof ti->state);
            /* Where it is: its first user frame, else its top frame. */
            EngFrameInfo *frames = NULL;
            size_t n = 0;
            if (eng_stack(s, s->threads[i].t, 64, 0, &frames, &n) == 0 && n) {
                size_t pick = 0;
                for (size_t k = 0; k < n; k++)
                    if (frames[k].kind == ENG_FRAME_USER) { pick = k; break; }
                ti->top = frames[pick];
                ti->has_top = 1;
            }
            free(frames);
        }
    }
    r->nthreads = s->nthreads;
}

Thread *eng_thread_by_id(EngSession *s, int id)
{
    for (size_t i = 0; i < s->nthreads; i++)
        if (s->threads[i].id == id) return &s->threads[i];
    return NULL;
}

Thread *eng_selected_thread(EngSession *s)
{
    Thread *th = eng_thread_by_id(s, s->current_thread);
    return th ? th : s->nthreads ? &s->threads[0] : NULL;
}

static int need_stopped(EngSession *s, Request *rq)
{
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not being run"); return 0; }
    if (s->state != ENG_STOPPED) { eng_fail(rq, "the program is running; stacks are read while it is stopped"); return 0; }
    return 1;
}

void req_backtrace(EngSession *s, Request *rq)
{
    if (!need_stopped(s, rq)) return;
    Thread *th = rq->arg.backtrace.thread_id ? eng_thread_by_id(s, rq->arg.backtrace.thread_id) : eng_selected_thread(s);
    if (!th) { eng_fail(rq, "no thread %d (see info threads)", rq->arg.backtrace.thread_id); return; }
    EngResult *r = rq->res;
    if (eng_stack(s, th->t, rq->arg.backtrace.limit > 0 ? (size_t)rq->arg.backtrace.limit : 0, 1, &r->frames, &r->nframes) != 0) {
        eng_fail(rq, "cannot walk the stack of thread %d", th->id);
        return;
    }
    if (th->id == s->current_thread || (!s->current_thread && th == eng_selected_thread(s)))
        for (size_t i = 0; i < r->nframes; i++) r->frames[i].current = (int)i == s->current_frame;
    r->id = th->id;
}

/* Put frame `index` of th in r->frames[0]; 0, or -1 with the reason. */
static int one_frame(EngSession *s, Request *rq, Thread *th, int index)
{
    EngResult *r = rq->res;
    EngFrameInfo *frames = NULL;
    size_t n = 0;
    if (index < 0) { eng_fail(rq, "no frame below frame 0"); return -1; }
    eng_stack(s, th->t, (size_t)index + 1, 0, &frames, &n);
    if ((size_t)index >= n) {
        eng_fail(rq, "no frame %d: thread %d has %zu frame%s", index, th->id, n, n == 1 ? "" : "s");
        free(frames);
        return -1;
    }
    if (index > 0) memmove(&frames[0], &frames[index], sizeof *frames);
    frames[0].current = 1;
    if (frames[0].line)
        eng_source_line(s, frames[0].module_id, frames[0].file, frames[0].line, frames[0].source, sizeof frames[0].source);
    r->frames = frames;
    r->nframes = 1;
    r->id = th->id;
    return 0;
}

void req_select_thread(EngSession *s, Request *rq)
{
    if (!need_stopped(s, rq)) return;
    Thread *th = eng_thread_by_id(s, rq->arg.select_thread.thread_id);
    if (!th) { eng_fail(rq, "no thread %d (see info threads)", rq->arg.select_thread.thread_id); return; }
    if (one_frame(s, rq, th, 0) == 0) {
        s->current_thread = th->id;
        s->current_frame = 0;
    }
}

void req_select_frame(EngSession *s, Request *rq)
{
    if (!need_stopped(s, rq)) return;
    Thread *th = eng_selected_thread(s);
    if (!th) { eng_fail(rq, "no thread"); return; }
    int index = rq->arg.select_frame.relative ? s->current_frame + rq->arg.select_frame.index : rq->arg.select_frame.index;
    if (one_frame(s, rq, th, index) == 0) {
        s->current_thread = th->id;
        s->current_frame = index;
    }
}

void req_freeze(EngSession *s, Request *rq)
{
    if (!need_stopped(s, rq)) return;
    Thread *th = eng_thread_by_id(s, rq->arg.freeze.thread_id);
    if (!th) { eng_fail(rq, "no thread %d (see info threads)", rq->arg.freeze.thread_id); return; }
    char b[96];
    HRESULT hr = th->t->lpVtbl->SetDebugState(th->t, rq->arg.freeze.freeze ? THREAD_SUSPEND : THREAD_RUN);
    if (FAILED(hr)) { eng_fail(rq, "cannot %s thread %d: %s", rq->arg.freeze.freeze ? "freeze" : "thaw", th->id, clr_hr_str(hr, b, sizeof b)); return; }
    th->frozen = rq->arg.freeze.freeze;
}

