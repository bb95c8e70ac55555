/* The evaluator's frame context (eval/evhost.h), served by the session: the evaluator asks
 * for frames, modules, symbols and class names through this table and has its function
 * evaluations run by the event loop here (funceval.c); it never sees EngSession. */
#include "engine/internal.h"
#include "eval/eval.h"

static ICorDebugFrame *host_frame_at(void *eng, ICorDebugThread *t, int index) { return t ? eng_frame_at(eng, t, index) : NULL; }
static int host_where_frame(void *eng, ICorDebugFrame *f, Where *w) { return eng_where_frame(eng, f, w); }
static size_t host_nmodules(void *eng) { return ((EngSession *)eng)->nmodules; }
static Module *host_module_at(void *eng, size_t i)
{
    EngSession *s = eng;
    return i < s->nmodules ? &s->modules[i] : NULL;
}
static Module *host_module_by_id(void *eng, int id) { return eng_module_by_id(eng, id); }
static Module *host_module_by_iface(void *eng, ICorDebugModule *m) { return eng_module_by_iface(eng, m); }
static ICorDebugModule *host_module_iface(const Module *m) { return m->m; }
static const char *host_module_name(const Module *m) { return m->name; }
static int host_module_user_code(const Module *m) { return m->user_code; }
static PdbModule *host_module_symbols(void *eng, Module *m, int want_metadata) { return eng_module_symbols(eng, m, want_metadata); }
static void host_class_name(ICorDebugClass *cls, char *out, size_t cap) { eng_class_name(cls, out, cap, NULL); }

const EvHost eng_evhost = {
    .frame_at = host_frame_at,
    .where_frame = host_where_frame,
    .nmodules = host_nmodules,
    .module_at = host_module_at,
    .module_by_id = host_module_by_id,
    .module_by_iface = host_module_by_iface,
    .module_iface = host_module_iface,
    .module_name = host_module_name,
    .module_user_code = host_module_user_code,
    .module_symbols = host_module_symbols,
    .class_name = host_class_name,
    .eval_ready = eng_eval_ready,
    .run_eval = eng_run_eval,
};

int eng_eval_init(EvCtx *c, EngSession *s)
{
    int stopped = s->state == ENG_STOPPED;
    Thread *th = stopped ? eng_selected_thread(s) : NULL;
    EvFrameRef at = { th ? th->t : NULL, th ? th->id : 0, s->current_frame };
    int rc = ev_init(c, &eng_evhost, s, &at, s->funceval);
    if (!c->arena) return -1;
    if (s->core) {
        c->no_funceval = "cannot call functions in a core dump: values show their fields";
        c->allow_side_effects = 0;
        c->no_writes = "this is a core dump: nothing in it can be changed";
    }
    c->just_my_code = s->just_my_code;
    c->to_string = !s->no_to_string;
    c->raw = s->raw_structure;
    if (!stopped) return ev_fail(c, s->state == ENG_NONE ? "the program is not being run" : "the program is running");
    if (rc != 0) return -1;
    if (!th) return ev_fail(c, "no thread to evaluate on");
    if (th->stuck_eval)
        return ev_fail(c, "thread %d is still running an evaluation that could not be aborted (its frames are the "
                       "evaluation's until it returns); select another thread", th->id);
    return 0;
}

int eng_eval_init_on(EvCtx *c, EngSession *s, ICorDebugThread *t)
{
    EvFrameRef at = { t, 0, 0 };
    if (ev_init(c, &eng_evhost, s, &at, 0) != 0) return -1;
    if (s->core) c->no_funceval = "cannot call functions in a core dump: values show their fields";
    c->allow_side_effects = 0;
    c->just_my_code = s->just_my_code;
    c->to_string = !s->no_to_string;
    c->raw = s->raw_structure;
    return 0;
}
