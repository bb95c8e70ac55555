/* Values for front ends that browse (DAP): scopes, variable references, paged children,
 * evaluation results that can be expanded, and assignment by name.
 *
 * A reference names a value for as long as the program stays stopped. ICorDebug neuters
 * every value at a Continue, and a function evaluation is a Continue, so a reference cannot
 * simply keep an ICorDebugValue. Instead:
 *   - an object (class instance, array, boxed value) is held by a strong handle of its own,
 *     which survives evaluations and is disposed when the program runs again;
 *   - a struct is named by where it lives: child `index` of another reference, a variable of
 *     a frame, or the expression that produced it (evaluated again when expanded).
 * The frame a reference belongs to is recorded with it; reading one selects that frame. */
#include "engine/internal.h"
#include "eval/eval.h"
#include "base/log.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum VrKind { VR_LOCALS = 1, VR_ARGS, VR_EXCEPTION, VR_OBJECT, VR_CHILD, VR_EXPR } VrKind;

struct VarRef {
    VrKind kind;
    int thread_id, frame;           /* where the value is read */
    ICorDebugHandleValue *handle;   /* VR_OBJECT */
    int view;                       /* VR_OBJECT: EV_VIEW_* (a group of the object's) */
    int parent;                     /* VR_CHILD: child `index` of reference `parent` */
    uint32_t index;
    char *expr;                     /* VR_EXPR */
    char *evalname;                 /* an expression that names it ("" when none can be made) */
};

void vars_clear(EngSession *s)
{
    for (size_t i = 0; i < s->nvrefs; i++) {
        VarRef *v = &s->vrefs[i];
        if (v->handle) {
            /* After the process is gone the handle is only released. */
            if (s->state != ENG_NONE) COM0(v->handle, Dispose);
            COM0(v->handle, Release);
        }
        free(v->expr);
        free(v->evalname);
    }
    free(s->vrefs);
    s->vrefs = NULL;
    s->nvrefs = s->cap_vrefs = 0;
}

static VarRef *ref_get(EngSession *s, int id)
{
    return id > 0 && (size_t)id <= s->nvrefs ? &s->vrefs[id - 1] : NULL;
}

/* A new reference (0 when out of memory); takes handle. */
static int ref_new(EngSession *s, VrKind kind, int thread_id, int frame, const char *evalname)
{
    if (!GROW(s->vrefs, s->nvrefs, s->cap_vrefs)) return 0;
    VarRef *v = &s->vrefs[s->nvrefs];
    memset(v, 0, sizeof *v);
    v->kind = kind;
    v->thread_id = thread_id;
    v->frame = frame;
    v->evalname = strdup(evalname ? evalname : "");
    if (!v->evalname) return 0;
    return (int)++s->nvrefs;
}

/* Make the frame of a reference the selected one, and a context there. */
static int ctx_at(EngSession *s, EvCtx *c, int thread_id, int frame)
{
    if (thread_id && thread_id != s->current_thread) {
        s->current_thread = thread_id;
        s->current_frame = 0;
    }
    if (frame >= 0) s->current_frame = frame;
    if (eng_eval_init(c, s) != 0) return -1;
    if (thread_id && c->thread_id != thread_id) return ev_fail(c, "no thread %d", thread_id);
    /* A dump's top is mostly the runtime's native code (the failure path that wrote it):
     * frame 0 means the first managed frame there. */
    for (int f = 1; !ev_frame(c) && s->core && frame == 0 && f < 64; f++) {
        ev_done(c);
        s->current_frame = f;
        if (eng_eval_init(c, s) != 0) return -1;
    }
    if (!ev_frame(c)) return ev_fail(c, "no frame %d on thread %d", s->current_frame, c->thread_id);
    return 0;
}

/* ---------------------------------------------------------------- resolving */

static int is_object(const EvVal *v)
{
    switch (v->et) {
    case ELEMENT_TYPE_CLASS: case ELEMENT_TYPE_OBJECT: case ELEMENT_TYPE_SZARRAY:
    case ELEMENT_TYPE_ARRAY: case ELEMENT_TYPE_STRING: case ELEMENT_TYPE_GENERICINST:
        return v->v != NULL && !v->is_null;
    default:
        return 0;
    }
}

/* Is it a reference to something on the heap (a handle can be made)? */
static ICorDebugHandleValue *pin_heap(EvCtx *c, const EvVal *v)
{
    if (!v->v || v->is_null) return NULL;
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v->v, &null);
    ICorDebugHeapValue2 *hv = NULL;
    ICorDebugHandleValue *h = NULL;
    if (!obj || FAILED(COM(obj, QueryInterface, &IID_ICorDebugHeapValue2, (void **)&hv)) || !hv) return NULL;
    HRESULT hr = COM(hv, CreateHandle, HANDLE_STRONG, &h);
    COM0(hv, Release);
    return SUCCEEDED(hr) ? h : NULL;
}

static int frame_vars(EvCtx *c, VrKind kind, EvVar **vars, size_t *n)
{
    if (kind == VR_ARGS) return ev_frame_args(c, vars, n);
    return ev_frame_locals(c, vars, n);
}

static int resolve(EvCtx *c, int id, EvVal *out, int depth);

/* Child `index` of reference `parent` (a scope or a value). */
static int child_of(EvCtx *c, int parent, uint32_t index, EvVal *out, int depth)
{
    VarRef *p = ref_get(c->eng, parent);
    if (!p) return ev_fail(c, "stale variable reference");
    if (p->kind == VR_LOCALS || p->kind == VR_ARGS) {
        EvVar *vars;
        size_t n;
        if (frame_vars(c, p->kind, &vars, &n) != 0) return -1;
        if (index >= n) return ev_fail(c, "the variable is gone");
        if (!vars[index].val.v && vars[index].note) return ev_fail(c, "%s", vars[index].note);
        *out = vars[index].val;
        return 0;
    }
    EvVal pv;
    if (resolve(c, parent, &pv, depth + 1) != 0) return -1;
    EvChild *ch;
    size_t n, total;
    if (ev_children(c, &pv, index, 1, &ch, &n, &total) != 0) return -1;
    if (n < 1) return ev_fail(c, "the value has no element %u any more", index);
    if (ch[0].error) return ev_fail(c, "%s", ch[0].error);
    *out = ch[0].val;
    return 0;
}

static int resolve(EvCtx *c, int id, EvVal *out, int depth)
{
    VarRef *r = ref_get(c->eng, id);
    if (!r) return ev_fail(c, "invalid variable reference %d (references last until the program runs again)", id);
    if (depth > 64) return ev_fail(c, "value nested too deeply");
    switch (r->kind) {
    case VR_OBJECT: {
        int view = r->view;
        if (ev_from_value(c, (ICorDebugValue *)r->handle, out) != 0) return -1;
        out->view = view;
        return 0;
    }
    case VR_EXPR:     return ev_evaluate(c, r->expr, out);
    case VR_CHILD:    return child_of(c, r->parent, r->index, out, depth);
    case VR_EXCEPTION: return ev_evaluate(c, "$exception", out);
    default:          return ev_fail(c, "a scope is not a value");
    }
}

/* ---------------------------------------------------------------- describing values */

static void add_value(EngResult *r, size_t *cap, const EngValue *v)
{
    if (!GROW(r->values, r->nvalues, *cap)) return;
    r->values[r->nvalues++] = *v;
}

/* The expression for a child: parent.Name, parent[0], parent["key"]. */
static void child_evalname(const char *parent, const char *name, char *out, size_t cap)
{
    out[0] = 0;
    if (!parent || !*parent || !name || !*name) return;
    if (name[0] == '[') snprintf(out, cap, "%s%s", parent, name);
    else if (name[0] == '*' && !name[1]) snprintf(out, cap, "*(%s)", parent);
    else if (strchr(name, ' ') || strchr(name, '<') || strchr(name, '(')) return; /* "Raw View", compiler names */
    else snprintf(out, cap, "%s.%s", parent, name);
}

/* Fill out for value v. The reference for its children: a handle for an object; for a
 * struct, child `index` of `parent` (or, without a parent, the expression `expr`). */
static void describe(EvCtx *c, const char *name, const EvVal *v, const char *error, int parent, uint32_t index,
                     const char *expr, const char *evalname, EngValue *out)
{
    memset(out, 0, sizeof *out);
    snprintf(out->name, sizeof out->name, "%s", name);
    snprintf(out->evaluate_name, sizeof out->evaluate_name, "%s", evalname ? evalname : "");
    if (error) {
        snprintf(out->value, sizeof out->value, "<error: %s>", error);
        out->error = 1;
        return;
    }
    /* Type, children and pin first: the summary may run code (ToString, DebuggerDisplay),
     * which neuters the plain value. */
    ev_val_type_name(c, v, out->type, sizeof out->type);
    out->address = lowlevel_value_address(v->v);
    EvVal shown = *v;
    EngSession *s = c->eng;
    int id = 0;
    if (ev_has_children(c, v)) {
        /* A dump makes no handles (no process to hold them): its objects are found again
         * by their path, which nothing can change. */
        ICorDebugHandleValue *h = is_object(v) ? pin_heap(c, v) : NULL;
        if (h) {
            if (h && (id = ref_new(s, VR_OBJECT, c->thread_id, c->frame_index, evalname))) {
                s->vrefs[id - 1].handle = h;
                s->vrefs[id - 1].view = v->view;
                if (ev_from_value(c, (ICorDebugValue *)h, &shown) != 0) shown = *v;
                shown.view = v->view;
            } else if (h) {
                COM0(h, Dispose);
                COM0(h, Release);
            }
        } else if (parent) {
            if ((id = ref_new(s, VR_CHILD, c->thread_id, c->frame_index, evalname))) {
                s->vrefs[id - 1].parent = parent;
                s->vrefs[id - 1].index = index;
            }
        } else if (expr) {
            if ((id = ref_new(s, VR_EXPR, c->thread_id, c->frame_index, evalname)) && !(s->vrefs[id - 1].expr = strdup(expr))) id = 0;
        }
        if (id && (v->et == ELEMENT_TYPE_SZARRAY || v->et == ELEMENT_TYPE_ARRAY)) {
            EvChild *ch;
            size_t n, total = 0;
            if (ev_children(c, &shown, 0, 0, &ch, &n, &total) == 0) out->indexed = (int)(total > 0x7fffffff ? 0x7fffffff : total);
        }
    }
    out->ref = id;
    StrBuf b;
    sb_init(&b);
    ev_summary(c, &shown, &b);
    snprintf(out->value, sizeof out->value, "%s", b.data ? b.data : "");
    sb_free(&b);
    c->err[0] = 0;
}

/* ---------------------------------------------------------------- requests */

static void req_scopes(EngSession *s, Request *rq)
{
    EvCtx c;
    if (ctx_at(s, &c, rq->arg.scopes.thread_id, rq->arg.scopes.frame) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    size_t cap = 0;
    static const struct { VrKind kind; const char *name; } scopes[] = {
        { VR_LOCALS, "Locals" }, { VR_ARGS, "Arguments" },
    };
    for (size_t i = 0; i < sizeof scopes / sizeof *scopes; i++) {
        EvVar *vars;
        size_t n = 0;
        if (frame_vars(&c, scopes[i].kind, &vars, &n) != 0) { n = 0; c.err[0] = 0; }
        EngValue v = { 0 };
        snprintf(v.name, sizeof v.name, "%s", scopes[i].name);
        v.ref = ref_new(s, scopes[i].kind, c.thread_id, c.frame_index, "");
        v.named = (int)n;
        if (scopes[i].kind == VR_LOCALS && c.frame_index == 0 && c.thread_id == s->retval_thread)
            v.named += (int)s->nretvals;        /* the return values listed first */
        add_value(rq->res, &cap, &v);
    }
    ICorDebugValue *exc = NULL;
    if (SUCCEEDED(COM(c.thread, GetCurrentException, &exc)) && exc) {
        COM0(exc, Release);
        EngValue v = { 0 };
        snprintf(v.name, sizeof v.name, "Exception");
        v.ref = ref_new(s, VR_EXCEPTION, c.thread_id, c.frame_index, "");
        v.named = 1;
        add_value(rq->res, &cap, &v);
    }
    ev_done(&c);
}

static void req_variables(EngSession *s, Request *rq)
{
    VarRef *r = ref_get(s, rq->arg.variables.ref);
    if (!r) { eng_fail(rq, "invalid variable reference %d (references last until the program runs again)", rq->arg.variables.ref); return; }
    int id = rq->arg.variables.ref;
    size_t start = rq->arg.variables.start;
    size_t count = rq->arg.variables.count;
    EvCtx c;
    if (ctx_at(s, &c, r->thread_id, r->frame) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    c.hex = (rq->arg.variables.flags & ENG_EVAL_HEX) != 0;
    size_t cap = 0;
    VrKind kind = r->kind;
    char parent_name[512];
    snprintf(parent_name, sizeof parent_name, "%s", r->evalname);   /* r moves as references are added */
    if (kind == VR_LOCALS || kind == VR_ARGS) {
        EvVar *vars;
        size_t n;
        if (frame_vars(&c, kind, &vars, &n) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
        /* As Visual Studio's Locals: what the calls just stepped over returned, first. */
        for (size_t i = 0; kind == VR_LOCALS && start == 0 && c.frame_index == 0 && c.thread_id == s->retval_thread &&
                           i < s->nretvals; i++) {
            EngValue v = { 0 };
            snprintf(v.name, sizeof v.name, "%s returned", s->retvals[i].name);
            snprintf(v.value, sizeof v.value, "%s", s->retvals[i].value);
            add_value(rq->res, &cap, &v);
        }
        size_t end = count && start + count < n ? start + count : n;
        for (size_t i = start; i < end; i++) {
            EngValue v;
            if (!vars[i].val.v && vars[i].note) {
                memset(&v, 0, sizeof v);
                snprintf(v.name, sizeof v.name, "%s", vars[i].name);
                snprintf(v.value, sizeof v.value, "%s", vars[i].note);
            } else {
                describe(&c, vars[i].name, &vars[i].val, NULL, id, (uint32_t)i, NULL, vars[i].name, &v);
                /* An evaluation (ToString, DebuggerDisplay) makes the cached variables stale. */
                if (frame_vars(&c, kind, &vars, &n) != 0) break;
                if (end > n) end = n;
            }
            add_value(rq->res, &cap, &v);
        }
        ev_done(&c);
        return;
    }
    if (kind == VR_EXCEPTION) {
        EvVal ev;
        EngValue v;
        if (start > 0) { ev_done(&c); return; }
        int rc = ev_evaluate(&c, "$exception", &ev);
        describe(&c, "$exception", &ev, rc ? c.err : NULL, 0, 0, "$exception", "$exception", &v);
        add_value(rq->res, &cap, &v);
        ev_done(&c);
        return;
    }
    EvVal pv;
    if (resolve(&c, id, &pv, 0) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    ev_hold(&c, &pv);
    EvChild *ch;
    size_t n, total;
    if (ev_children(&c, &pv, start, count ? count : 1000, &ch, &n, &total) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    for (size_t i = 0; i < n; i++) ev_hold(&c, &ch[i].val);
    for (size_t i = 0; i < n; i++) {
        unsigned evals = c.evals;
        EngValue v;
        char en[512];
        /* A group's members are the object's own (named from it); a Results View's items
         * have no expression that names them. */
        if (ch[i].val.view) snprintf(en, sizeof en, "%s", parent_name);
        else if (pv.view == EV_VIEW_RESULTS) en[0] = 0;
        else child_evalname(parent_name, ch[i].name, en, sizeof en);
        describe(&c, ch[i].name, &ch[i].val, ch[i].error, id, (uint32_t)(start + i), NULL, en, &v);
        if (ch[i].val.view) v.evaluate_name[0] = 0;
        add_value(rq->res, &cap, &v);
        if (c.evals != evals && pv.view != EV_VIEW_RESULTS) {
            /* Structs read before an evaluation are stale now: read the rest again (not a
             * Results View's items: pinned or read already, and enumerating runs code). */
            EvChild *again;
            size_t m, t2;
            if (i + 1 < n && ev_children(&c, &pv, start + i + 1, n - i - 1, &again, &m, &t2) == 0 && m == n - i - 1) {
                for (size_t k = 0; k < m; k++) { ch[i + 1 + k] = again[k]; ev_hold(&c, &ch[i + 1 + k].val); }
            }
        }
    }
    if (!count && total > n) {
        EngValue v = { 0 };
        snprintf(v.name, sizeof v.name, "...");
        snprintf(v.value, sizeof v.value, "%zu more (ask for a range)", total - n);
        add_value(rq->res, &cap, &v);
    }
    rq->res->id = (int)(total > 0x7fffffff ? 0x7fffffff : total);
    ev_done(&c);
}

/* Evaluate rq->arg.eval_ref.expr in a frame; the result is r->values[0], expandable. */
static void req_evaluate_ref(EngSession *s, Request *rq)
{
    EvCtx c;
    if (ctx_at(s, &c, rq->arg.eval_ref.thread_id, rq->arg.eval_ref.frame) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    c.hex = (rq->arg.eval_ref.flags & ENG_EVAL_HEX) != 0;
    /* No side effects means no assignments and no calls the expression makes; getters,
     * ToString and DebuggerDisplay still run (as in a hover). */
    c.allow_side_effects = !(rq->arg.eval_ref.flags & ENG_EVAL_NO_SIDE_EFFECTS) && !s->core;
    c.no_calls = !c.allow_side_effects && !s->core;   /* a core: refused, saying why */
    const char *spec;
    EvVal v;
    if (ev_evaluate_spec(&c, rq->arg.eval_ref.expr, &v, &spec) != 0) {
        eng_fail(rq, "%s", c.err);
    } else {
        EngValue out;
        if (v.et == ELEMENT_TYPE_VOID && !v.v && !v.is_type) {
            memset(&out, 0, sizeof out);
            snprintf(out.value, sizeof out.value, "(no value: the method returns void)");
        } else if (spec && !strcmp(spec, "nq") && v.et == ELEMENT_TYPE_STRING && !v.is_null) {
            memset(&out, 0, sizeof out);
            char *str;
            size_t len;
            if (ev_string_of(&c, &v, &str, &len) == 0) snprintf(out.value, sizeof out.value, "%.*s", (int)len, str);
            snprintf(out.type, sizeof out.type, "string");
        } else {
            /* Without a format specifier the text names the value again (add to watch). */
            describe(&c, "", &v, NULL, 0, 0, rq->arg.eval_ref.expr, spec ? "" : rq->arg.eval_ref.expr, &out);
            /* `x, raw`: its children are the raw ones too (an object's reference keeps that). */
            if (spec && !strcmp(spec, "raw") && out.ref && s->vrefs[out.ref - 1].kind == VR_OBJECT && !v.view)
                s->vrefs[out.ref - 1].view = EV_VIEW_RAW;
        }
        size_t cap = 0;
        add_value(rq->res, &cap, &out);
        if (!rq->res->nvalues) eng_fail(rq, "out of memory");
    }
    ev_done(&c);
}

/* Assign: the child `name` of reference `ref` (or, with no reference, the expression `name`
 * in a frame) gets the value of expression `value` (rq->arg.set_value). */
static void req_set_value(EngSession *s, Request *rq)
{
    char target[1024];
    const char *name = rq->arg.set_value.name;
    int thread_id = rq->arg.set_value.thread_id, frame = rq->arg.set_value.frame;
    if (rq->arg.set_value.ref) {
        VarRef *r = ref_get(s, rq->arg.set_value.ref);
        if (!r) { eng_fail(rq, "invalid variable reference %d", rq->arg.set_value.ref); return; }
        thread_id = r->thread_id;
        frame = r->frame;
        if (r->kind == VR_LOCALS || r->kind == VR_ARGS) snprintf(target, sizeof target, "%s", name);
        else child_evalname(r->evalname, name, target, sizeof target);
        if (!target[0]) { eng_fail(rq, "'%s' cannot be set here (no expression names it)", name); return; }
    } else {
        snprintf(target, sizeof target, "%s", name);
    }
    EvCtx c;
    if (ctx_at(s, &c, thread_id, frame) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    c.hex = (rq->arg.set_value.flags & ENG_EVAL_HEX) != 0;
    char assign[2200];
    snprintf(assign, sizeof assign, "%s = (%s)", target, rq->arg.set_value.value);
    EvVal v;
    if (ev_evaluate(&c, assign, &v) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    /* Show the target as it reads now (a property may not keep what it was given), from a
     * fresh context: the frame's variables the old one read are the values before. */
    ev_done(&c);
    EvVal now;
    EngValue out;
    if (ctx_at(s, &c, thread_id, frame) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    c.hex = (rq->arg.set_value.flags & ENG_EVAL_HEX) != 0;
    if (ev_evaluate(&c, target, &now) != 0) { eng_fail(rq, "set, but cannot be read again: %s", c.err); ev_done(&c); return; }
    describe(&c, name, &now, NULL, 0, 0, target, target, &out);
    size_t cap = 0;
    add_value(rq->res, &cap, &out);
    ev_done(&c);
}

/* The word being completed at the end of TEXT and the receiver expression before its `.`
 * (NULL when none): scanned back over names, dots and balanced brackets. */
static size_t complete_split(const char *text, char *recv, size_t cap, int *has_recv)
{
    size_t len = strlen(text), p = len;
    while (p > 0 && (isalnum((unsigned char)text[p - 1]) || text[p - 1] == '_' || (unsigned char)text[p - 1] >= 0x80)) p--;
    *has_recv = 0;
    if (p == 0 || text[p - 1] != '.') return p;
    size_t q = p - 1;
    int depth = 0;
    while (q > 0) {
        char ch = text[q - 1];
        if (ch == ')' || ch == ']') depth++;
        else if (ch == '(' || ch == '[') { if (!depth) break; depth--; }
        else if (!depth && !(isalnum((unsigned char)ch) || ch == '_' || ch == '.' || (unsigned char)ch >= 0x80)) break;
        q--;
    }
    if (q == p - 1 || depth) return p;
    snprintf(recv, cap, "%.*s", (int)(p - 1 - q), text + q);
    *has_recv = 1;
    return p;
}

static void req_complete(EngSession *s, Request *rq)
{
    EvCtx c;
    if (ctx_at(s, &c, rq->arg.complete.thread_id, rq->arg.complete.frame) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    /* The receiver is evaluated as a hover would, but without implicit getters either:
     * completing must not run the program's code. */
    c.allow_side_effects = 0;
    c.no_calls = 1;
    c.funceval = 0;
    char recv[1024];
    int has_recv;
    const char *text = rq->arg.complete.text;
    size_t start = complete_split(text, recv, sizeof recv, &has_recv);
    EvCompletion *items;
    size_t n;
    if (ev_complete(&c, has_recv ? recv : NULL, text + start, &items, &n) != 0) {
        eng_fail(rq, "%s", c.err);
    } else {
        size_t cap = 0;
        for (size_t i = 0; i < n; i++) {
            EngValue v = { 0 };
            snprintf(v.name, sizeof v.name, "%s", items[i].label);
            snprintf(v.type, sizeof v.type, "%s", items[i].kind);
            add_value(rq->res, &cap, &v);
        }
        rq->res->id = (int)start;
    }
    ev_done(&c);
}

void varref_request(EngSession *s, Request *rq)
{
    switch (rq->kind) {
    case REQ_SCOPES:    req_scopes(s, rq); break;
    case REQ_VARIABLES: req_variables(s, rq); break;
    case REQ_EVAL_REF:  req_evaluate_ref(s, rq); break;
    case REQ_SET_VALUE: req_set_value(s, rq); break;
    case REQ_COMPLETE:  req_complete(s, rq); break;
    default: break;
    }
}
