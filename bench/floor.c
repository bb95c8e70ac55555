/* floor: the least a managed debugger can do, for bench/run.py to measure cordbg against.
 *
 * It uses cordbg's own ICorDebug bindings (src/clr: the launch handshake, libmscordbi.so
 * loaded by hand, the managed callback) and nothing of the engine: one breakpoint at
 * FILE:LINE (resolved once, before the launch, from the portable PDB), and every event is
 * answered with Continue on the runtime's callback thread itself. What it does at a hit:
 *
 *   (default)        nothing: Continue                      (P1, P2, P3: the round trip)
 *   --steps N        N source steps from the first hit: the    (P4)
 *                    active frame's IP, its sequence point's IL range, StepRange over it
 *   --walk           at the first hit, every frame's function token and IL offset  (P6)
 *   --array NAME,K   at the first hit, K elements of the int[] local NAME  (P7)
 *   --local NAME     at every hit, the int local NAME of the active frame    (P2's floor)
 *   --stackwalk      with --local: the frame from ICorDebugStackWalk, not GetActiveFrame
 *   --no-bp          no breakpoint at all (the run the others are compared with)
 *   --hop            answer events on the main thread instead, as cordbg's engine does
 *                    (the callback posts, another thread decides and Continues)
 *
 * It prints one "key value" line per figure on stdout:
 *   hits, handshake_ms (the runtime parked at its startup handshake), attached_ms (ICorDebug
 *   attached and the runtime let go), first_hit_ms (all three from the start of the launch), steps, step_ms, walk_frames, walk_ms,
 *   array_sum, array_ms, rss_kib (its own peak), exit (the program's exit status).
 *
 *   build/floor [options] FILE:LINE PROGRAM.dll [ARGS...]                                  */
#include "clr/callback.h"
#include "clr/dbi.h"
#include "clr/launch.h"
#include "clr/runtime.h"
#include "meta/symbols.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>

#define COM(o, m, ...) ((o)->lpVtbl->m((o), __VA_ARGS__))
#define COM0(o, m) ((o)->lpVtbl->m(o))

static struct {
    /* what to do */
    const char *dll_base;         /* the program's file name: its module gets the breakpoint */
    uint32_t    token, il;        /* the breakpoint's method and IL offset */
    int         no_bp, walk, hop, local, stackwalk;
    uint32_t    local_slot;
    int64_t     local_sum;
    long        steps_wanted;
    uint32_t    array_slot, array_count;
    int         array;
    PdbModule  *sym;
    /* what happened (callback thread only, until done) */
    ICorDebugFunctionBreakpoint *bp;
    long        hits, steps;
    double      t0, handshake, attached, first_hit, step_start, step_end, walk_ms, array_ms;
    long        walk_frames;
    int64_t     array_sum;
    const char *failure;
    /* the main thread waits for ExitProcess */
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    int         done;
    ClrEvent   *head, *tail;      /* --hop: events for the main thread */
} F = { .mu = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER };

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void fail(const char *why)
{
    if (!F.failure) F.failure = why;
}

/* Does the module's file name end with the program's? */
static int is_program_module(ICorDebugModule *m)
{
    WCHAR w[1024];
    ULONG32 n = 0;
    if (FAILED(COM(m, GetName, 1024, &n, w))) return 0;
    char name[1024];
    ULONG32 i;
    for (i = 0; i < n && w[i] && i + 1 < sizeof name; i++) name[i] = (char)w[i];
    name[i] = 0;
    size_t a = strlen(name), b = strlen(F.dll_base);
    return a >= b && strcmp(name + a - b, F.dll_base) == 0 && (a == b || name[a - b - 1] == '/');
}

static void set_breakpoint(ICorDebugModule *m)
{
    ICorDebugFunction *fn = NULL;
    ICorDebugCode *code = NULL;
    if (FAILED(COM(m, GetFunctionFromToken, F.token, &fn)) || FAILED(COM(fn, GetILCode, &code)) ||
        FAILED(COM(code, CreateBreakpoint, F.il, &F.bp)))
        fail("cannot set the breakpoint");
    if (code) COM0(code, Release);
    if (fn) COM0(fn, Release);
}

static ICorDebugILFrame *active_il_frame(ICorDebugThread *t)
{
    ICorDebugFrame *f = NULL;
    ICorDebugILFrame *il = NULL;
    if (F.stackwalk) {
        ICorDebugThread3 *t3 = NULL;
        ICorDebugStackWalk *sw = NULL;
        if (SUCCEEDED(COM(t, QueryInterface, &IID_ICorDebugThread3, (void **)&t3)) && t3) {
            if (SUCCEEDED(COM(t3, CreateStackWalk, &sw)) && sw) {
                COM(sw, GetFrame, &f);
                COM0(sw, Release);
            }
            COM0(t3, Release);
        }
    } else {
        COM(t, GetActiveFrame, &f);
    }
    if (f) {
        COM(f, QueryInterface, &IID_ICorDebugILFrame, (void **)&il);
        COM0(f, Release);
    }
    return il;
}

/* StepRange over the sequence point the thread is in (what `next` must do at the least). */
static void step(ICorDebugThread *t)
{
    ICorDebugILFrame *f = active_il_frame(t);
    if (!f) { fail("no active frame to step in"); return; }
    ULONG32 ip = 0;
    CorDebugMappingResult mapping;
    mdMethodDef token = 0;
    PdbLocation loc;
    COR_DEBUG_STEP_RANGE range = { 0, 0 };
    if (SUCCEEDED(COM(f, GetIP, &ip, &mapping)) && SUCCEEDED(COM(f, GetFunctionToken, &token)) &&
        pdb_module_locate(F.sym, token, ip, &loc) == 0) {
        range.startOffset = loc.il_start;
        range.endOffset = loc.il_end;
    }
    ICorDebugStepper *st = NULL;
    if (FAILED(COM(f, CreateStepper, &st)) || !st) { COM0(f, Release); fail("cannot create a stepper"); return; }
    COM0(f, Release);
    COM(st, SetUnmappedStopMask, STOP_NONE);
    COM(st, SetInterceptMask, INTERCEPT_NONE);
    HRESULT hr = range.endOffset > range.startOffset ? COM(st, StepRange, FALSE, &range, 1) : COM0(st, StepOut);
    if (FAILED(hr)) fail("the runtime refused the step");
    COM0(st, Release);            /* the runtime keeps it until the step completes */
}

/* Every frame's token and IL offset, as a backtrace needs at the least. */
static void walk(ICorDebugThread *t)
{
    double t0 = now_ms();
    ICorDebugChainEnum *chains = NULL;
    if (FAILED(COM(t, EnumerateChains, &chains)) || !chains) { fail("cannot enumerate chains"); return; }
    ICorDebugChain *chain;
    ULONG got;
    while (SUCCEEDED(COM(chains, Next, 1, &chain, &got)) && got == 1) {
        ICorDebugFrameEnum *frames = NULL;
        if (SUCCEEDED(COM(chain, EnumerateFrames, &frames)) && frames) {
            ICorDebugFrame *fr[64];
            ULONG n;
            while (SUCCEEDED(COM(frames, Next, 64, fr, &n)) && n > 0) {
                for (ULONG i = 0; i < n; i++) {
                    ICorDebugILFrame *il = NULL;
                    mdMethodDef token;
                    ULONG32 ip;
                    CorDebugMappingResult mapping;
                    if (SUCCEEDED(COM(fr[i], QueryInterface, &IID_ICorDebugILFrame, (void **)&il)) && il) {
                        if (SUCCEEDED(COM(il, GetFunctionToken, &token)) && SUCCEEDED(COM(il, GetIP, &ip, &mapping)))
                            F.walk_frames++;
                        COM0(il, Release);
                    }
                    COM0(fr[i], Release);
                }
            }
            COM0(frames, Release);
        }
        COM0(chain, Release);
    }
    COM0(chains, Release);
    F.walk_ms = now_ms() - t0;
}

/* array_count elements of the int[] in local array_slot of the active frame. */
static void read_array(ICorDebugThread *t)
{
    double t0 = now_ms();
    ICorDebugILFrame *f = active_il_frame(t);
    ICorDebugValue *v = NULL, *obj = NULL;
    ICorDebugReferenceValue *ref = NULL;
    ICorDebugArrayValue *arr = NULL;
    if (!f || FAILED(COM(f, GetLocalVariable, F.array_slot, &v)) ||
        FAILED(COM(v, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&ref)) ||
        FAILED(COM(ref, Dereference, &obj)) ||
        FAILED(COM(obj, QueryInterface, &IID_ICorDebugArrayValue, (void **)&arr))) {
        fail("cannot read the array local");
    } else {
        for (ULONG32 i = 0; i < F.array_count; i++) {
            ICorDebugValue *e = NULL;
            ICorDebugGenericValue *g = NULL;
            int32_t x = 0;
            if (FAILED(COM(arr, GetElementAtPosition, i, &e)) ||
                FAILED(COM(e, QueryInterface, &IID_ICorDebugGenericValue, (void **)&g)) ||
                FAILED(COM(g, GetValue, &x))) {
                fail("cannot read an array element");
            }
            F.array_sum += x;
            if (g) COM0(g, Release);
            if (e) COM0(e, Release);
        }
    }
    if (arr) COM0(arr, Release);
    if (obj) COM0(obj, Release);
    if (ref) COM0(ref, Release);
    if (v) COM0(v, Release);
    if (f) COM0(f, Release);
    F.array_ms = now_ms() - t0;
}

/* The int local local_slot of the active frame (what a condition on it needs at the least). */
static void read_local(ICorDebugThread *t)
{
    ICorDebugILFrame *f = active_il_frame(t);
    ICorDebugValue *v = NULL;
    ICorDebugGenericValue *g = NULL;
    int32_t x = 0;
    if (!f || FAILED(COM(f, GetLocalVariable, F.local_slot, &v)) ||
        FAILED(COM(v, QueryInterface, &IID_ICorDebugGenericValue, (void **)&g)) || FAILED(COM(g, GetValue, &x)))
        fail("cannot read the local");
    F.local_sum += x;
    if (g) COM0(g, Release);
    if (v) COM0(v, Release);
    if (f) COM0(f, Release);
}

static void handle(ClrEvent *ev)
{
    switch (ev->kind) {
    case CE_LOAD_MODULE:
        if (!F.no_bp && !F.bp && is_program_module(ev->module)) set_breakpoint(ev->module);
        break;
    case CE_BREAKPOINT:
        if (F.local) read_local(ev->thread);
        if (F.hits++ == 0) {
            F.first_hit = now_ms() - F.t0;
            fputs("first_hit\n", stdout);       /* for a reader timing the launch (P5) */
            fflush(stdout);
            if (F.walk) walk(ev->thread);
            if (F.array) read_array(ev->thread);
            if (F.steps_wanted) {
                COM(F.bp, Activate, FALSE);
                F.step_start = now_ms();
                step(ev->thread);
            }
        }
        break;
    case CE_STEP_COMPLETE:
        if (++F.steps < F.steps_wanted) step(ev->thread);
        else F.step_end = now_ms();
        break;
    case CE_EXIT_PROCESS:
        pthread_mutex_lock(&F.mu);
        F.done = 1;
        pthread_cond_signal(&F.cv);
        pthread_mutex_unlock(&F.mu);
        break;
    default:
        break;
    }
    if (ev->controller && FAILED(COM(ev->controller, Continue, FALSE))) fail("Continue failed");
    clr_event_free(ev);
}

static void on_event(void *ctx, ClrEvent *ev)
{
    (void)ctx;
    if (!F.hop) { handle(ev); return; }
    pthread_mutex_lock(&F.mu);
    if (F.tail) F.tail->next = ev; else F.head = ev;
    F.tail = ev;
    pthread_cond_signal(&F.cv);
    pthread_mutex_unlock(&F.mu);
}

/* The slot of local NAME at the breakpoint. */
static int local_slot(MdPool *pool, const char *name, uint32_t *slot)
{
    PdbLocal *locals;
    uint32_t n;
    if (pdb_module_locals_at(F.sym, pool, F.token, F.il, &locals, &n) != 0) return -1;
    for (uint32_t k = 0; k < n; k++)
        if (!locals[k].is_const && !strcmp(locals[k].name, name)) { *slot = locals[k].slot; return 0; }
    return -1;
}

static int usage(void)
{
    fprintf(stderr, "usage: floor [--no-bp] [--hop] [--local NAME [--stackwalk]] [--steps N] [--walk] [--array NAME,COUNT] FILE:LINE PROGRAM.dll [ARGS...]\n");
    return 2;
}

int main(int argc, char **argv)
{
    /* The floor is what any ICorDebug debugger pays: never cordbg's memory cache (linked in
     * with src/clr, and bound by the runtime's libraries like cordbg's own). */
    setenv("CORDBG_MEMCACHE", "0", 1);
    int i = 1;
    const char *array_name = NULL, *local_name = NULL;
    for (; i < argc && argv[i][0] == '-'; i++) {
        if (!strcmp(argv[i], "--no-bp")) F.no_bp = 1;
        else if (!strcmp(argv[i], "--hop")) F.hop = 1;
        else if (!strcmp(argv[i], "--stackwalk")) F.stackwalk = 1;
        else if (!strcmp(argv[i], "--local") && i + 1 < argc) { local_name = argv[++i]; F.local = 1; }
        else if (!strcmp(argv[i], "--walk")) F.walk = 1;
        else if (!strcmp(argv[i], "--steps") && i + 1 < argc) F.steps_wanted = atol(argv[++i]);
        else if (!strcmp(argv[i], "--array") && i + 1 < argc) {
            static char name[128];
            snprintf(name, sizeof name, "%s", argv[++i]);
            char *comma = strchr(name, ',');
            if (!comma) return usage();
            *comma = 0;
            array_name = name;
            F.array = 1;
            F.array_count = (uint32_t)atol(comma + 1);
        } else return usage();
    }
    if (argc - i < 2) return usage();
    const char *where = argv[i], *dll = argv[i + 1];
    char **prog_args = argv + i + 2;
    const char *slash = strrchr(dll, '/');
    F.dll_base = slash ? slash + 1 : dll;

    /* The breakpoint's place, from the PDB, before anything runs. */
    char err[512], file[512];
    const char *colon = strrchr(where, ':');
    if (!colon || colon == where) return usage();
    snprintf(file, sizeof file, "%.*s", (int)(colon - where), where);
    if (F.no_bp) goto launch;
    if (pdb_module_open(dll, &F.sym, err, sizeof err) != 0 || !pdb_module_pdb(F.sym)) {
        fprintf(stderr, "floor: %s: no symbols: %s\n", dll, err);
        return 1;
    }
    MdPool pool = { 0 };
    PdbLineHit *hits;
    uint32_t nhits, bound;
    if (pdb_module_resolve_line(F.sym, &pool, file, (uint32_t)atol(colon + 1), &hits, &nhits, &bound, err, sizeof err) != 0 ||
        nhits == 0) {
        fprintf(stderr, "floor: %s: %s\n", where, err);
        return 1;
    }
    F.token = hits[0].method_token;
    F.il = hits[0].il;
    if ((array_name && local_slot(&pool, array_name, &F.array_slot) != 0) ||
        (local_name && local_slot(&pool, local_name, &F.local_slot) != 0)) {
        fprintf(stderr, "floor: no local %s at %s\n", array_name ? array_name : local_name, where);
        return 1;
    }
    md_pool_free(&pool);

launch:
    /* Launch, held at the runtime's startup handshake; attach; let it go. */
    char dotnet[1024];
    if (clr_find_on_path("dotnet", dotnet, sizeof dotnet) != 0) { fprintf(stderr, "floor: no dotnet on PATH\n"); return 1; }
    int nargs = 0;
    while (prog_args[nargs]) nargs++;
    char **cargv = calloc((size_t)nargs + 3, sizeof *cargv);
    if (!cargv) return 1;
    cargv[0] = "dotnet";
    cargv[1] = (char *)dll;
    for (int k = 0; k < nargs; k++) cargv[2 + k] = prog_args[k];
    F.t0 = now_ms();
    ClrLaunchSpec spec = { .path = dotnet, .argv = cargv };
    ClrLaunch launch;
    int status;
    if (clr_launch_start(&spec, &launch, &status, err, sizeof err) != 0) { fprintf(stderr, "floor: %s\n", err); return 1; }
    F.handshake = now_ms() - F.t0;
    ClrRuntimeInfo rt;
    ClrDbi dbi = { 0 };
    ICorDebug *cordb = NULL;
    ICorDebugProcess *process = NULL;
    ClrCallback *cb = NULL;
    if (clr_runtime_of_pid(launch.pid, &rt) != 0 || clr_dbi_load(&dbi, rt.dir, err, sizeof err) != 0 ||
        clr_dbi_create(&dbi, launch.pid, &rt, &cordb, err, sizeof err) != 0 ||
        !(cb = clr_callback_new(on_event, NULL, 1)) ||
        FAILED(COM(cordb, SetManagedHandler, clr_callback_iface(cb))) ||
        FAILED(COM(cordb, DebugActiveProcess, (DWORD)launch.pid, FALSE, &process))) {
        fprintf(stderr, "floor: cannot debug process %d: %s\n", launch.pid, err[0] ? err : "ICorDebug refused");
        clr_launch_abort(&launch);
        return 1;
    }
    clr_launch_release(&launch);
    F.attached = now_ms() - F.t0;

    pthread_mutex_lock(&F.mu);
    while (!F.done) {
        ClrEvent *ev = F.head;
        if (!ev) { pthread_cond_wait(&F.cv, &F.mu); continue; }
        F.head = ev->next;
        if (!F.head) F.tail = NULL;
        pthread_mutex_unlock(&F.mu);
        handle(ev);
        pthread_mutex_lock(&F.mu);
    }
    pthread_mutex_unlock(&F.mu);
    clr_launch_wait_exit(&launch, &status);
    double total = now_ms() - F.t0;

    clr_callback_close(cb);
    if (F.bp) COM0(F.bp, Release);
    COM0(process, Release);
    COM0(cordb, Terminate);
    COM0(cordb, Release);
    clr_callback_release(cb);
    if (F.sym) pdb_module_close(F.sym);
    free(cargv);

    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("hits %ld\nhandshake_ms %.3f\nattached_ms %.3f\nfirst_hit_ms %.3f\nsteps %ld\nstep_ms %.3f\nwalk_frames %ld\nwalk_ms %.3f\n"
           "local_sum %lld\narray_sum %lld\narray_ms %.3f\ntotal_ms %.3f\nrss_kib %ld\nexit %d\n",
           F.hits, F.handshake, F.attached, F.first_hit, F.steps, F.step_end - F.step_start, F.walk_frames, F.walk_ms,
           (long long)F.local_sum, (long long)F.array_sum, F.array_ms, total, ru.ru_maxrss,
           WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
    if (F.failure) { fprintf(stderr, "floor: %s\n", F.failure); return 1; }
    return 0;
}
