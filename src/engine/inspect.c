/* Inspection requests at a stop (print, info args/locals, info statics, evaluation settings)
 * and the decisions a breakpoint makes when crossed: its condition, hit count, ignore count
 * and log message. Each builds an EvCtx for the request and ends it before answering. */
#include "engine/internal.h"
#include "eval/eval.h"
#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void add_var(EngResult *r, size_t *cap, const char *name, const char *value)
{
    if (!GROW(r->vars, r->nvars, *cap)) return;
    EngVar *v = &r->vars[r->nvars++];
    snprintf(v->name, sizeof v->name, "%s", name);
    snprintf(v->value, sizeof v->value, "%s", value);
}

/* One line for a variable: its value, or why there is none. */
static void var_text(EvCtx *c, const EvVar *v, StrBuf *b)
{
    if (v->note && !v->val.v) {
        sb_puts(b, v->note);
        return;
    }
    ev_summary(c, &v->val, b);
}

void vars_request(EngSession *s, Request *rq)
{
    EvCtx c;
    if (eng_eval_init(&c, s) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    EvVar *vars;
    size_t n, cap = 0;
    int rc = rq->arg.vars.kind == 'a' ? ev_frame_args(&c, &vars, &n) : ev_frame_locals(&c, &vars, &n);
    if (rc != 0) {
        eng_fail(rq, "%s", c.err);
    } else {
        /* As Visual Studio's Locals: what the calls just stepped over returned, first. */
        for (size_t i = 0; rq->arg.vars.kind != 'a' && c.frame_index == 0 && c.thread_id == s->retval_thread && i < s->nretvals; i++) {
            char name[300];
            snprintf(name, sizeof name, "%s returned", s->retvals[i].name);
            add_var(rq->res, &cap, name, s->retvals[i].value);
        }
        for (size_t i = 0; i < n; i++) {
            StrBuf b;
            sb_init(&b);
            var_text(&c, &vars[i], &b);
            add_var(rq->res, &cap, vars[i].name, b.data ? b.data : "");
            sb_free(&b);
        }
    }
    ev_done(&c);
}

static void req_evaluate(EngSession *s, Request *rq)
{
    EvCtx c;
    if (eng_eval_init(&c, s) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    int flags = rq->arg.evaluate.flags;
    c.hex = (flags & ENG_EVAL_HEX) != 0;
    c.allow_side_effects = !(flags & ENG_EVAL_NO_SIDE_EFFECTS) && !s->core;   /* a core: c.no_writes says why */
    c.no_calls = !c.allow_side_effects && !s->core;   /* a core: refused, saying why */
    const char *spec;
    EvVal v;
    if (ev_evaluate_spec(&c, rq->arg.evaluate.expr, &v, &spec) != 0) {
        eng_fail(rq, "%s", c.err);
    } else {
        char tn[512];
        ev_val_type_name(&c, &v, tn, sizeof tn);
        snprintf(rq->res->message, sizeof rq->res->message, "%s", tn);
        StrBuf b;
        sb_init(&b);
        if (flags & ENG_EVAL_TYPE) sb_puts(&b, tn);
        else if (v.et == ELEMENT_TYPE_VOID && !v.v && !v.is_type) sb_puts(&b, "(no value: the method returns void)");
        else if (spec && !strcmp(spec, "nq") && v.et == ELEMENT_TYPE_STRING && !v.is_null) {
            char *str;
            size_t len;
            if (ev_string_of(&c, &v, &str, &len) == 0) sb_append(&b, str, len);
        } else if (flags & ENG_EVAL_EXPAND) {
            ev_format_n(&c, &v, rq->arg.evaluate.max_children > 0 ? (size_t)rq->arg.evaluate.max_children : 100, &b);
        } else {
            ev_format(&c, &v, 0, &b);
        }
        rq->res->text = sb_take(&b);
        if (!rq->res->text) eng_fail(rq, "out of memory");
    }
    ev_done(&c);
}

static void req_statics(EngSession *s, Request *rq)
{
    EvCtx c;
    if (eng_eval_init(&c, s) != 0) { eng_fail(rq, "%s", c.err); ev_done(&c); return; }
    ExprError perr;
    Expr *e = expr_parse(c.arena, rq->arg.statics.type, &perr);
    EvVal tv;
    if (!e) {
        eng_fail(rq, "'%s' is not a type name: %s", rq->arg.statics.type, perr.msg);
    } else if (ev_eval_expr(&c, e, &tv) != 0) {
        eng_fail(rq, "%s", c.err);
    } else if (!tv.is_type) {
        eng_fail(rq, "'%s' is a value, not a type", rq->arg.statics.type);
    } else {
        /* The statics are the type's children as a type value: walk its members. */
        size_t cap = 0;
        EvChild *ch;
        size_t n;
        if (ev_static_members(&c, tv.type, &ch, &n) != 0) {
            eng_fail(rq, "%s", c.err);
        } else {
            for (size_t i = 0; i < n; i++) {
                StrBuf b;
                sb_init(&b);
                if (ch[i].error) sb_printf(&b, "<error: %s>", ch[i].error);
                else ev_summary(&c, &ch[i].val, &b);
                add_var(rq->res, &cap, ch[i].name, b.data ? b.data : "");
                sb_free(&b);
            }
            if (!n) snprintf(rq->res->message, sizeof rq->res->message, "no static fields or properties");
        }
    }
    ev_done(&c);
}

void inspect_request(EngSession *s, Request *rq)
{
    switch (rq->kind) {
    case REQ_EVALUATE: req_evaluate(s, rq); break;
    case REQ_STATICS:  req_statics(s, rq); break;
    case REQ_EVAL_SETTINGS:
        if (rq->arg.eval_settings.implicit >= 0) s->funceval = rq->arg.eval_settings.implicit;
        if (rq->arg.eval_settings.timeout_ms > 0) s->eval_timeout_ms = rq->arg.eval_settings.timeout_ms;
        if (rq->arg.eval_settings.bp_abort >= 0) s->eval_bp_abort = rq->arg.eval_settings.bp_abort;
        if (rq->arg.eval_settings.display & ENG_EVDISP_SET) {
            s->no_to_string = (rq->arg.eval_settings.display & ENG_EVDISP_NO_TO_STRING) != 0;
            s->raw_structure = (rq->arg.eval_settings.display & ENG_EVDISP_RAW) != 0;
        }
        snprintf(rq->res->message, sizeof rq->res->message, "eval %s, timeout %d ms, breakpoints in evaluations %s",
                 s->funceval ? "on" : "off", s->eval_timeout_ms, s->eval_bp_abort ? "abort them" : "ignored");
        break;
    default: break;
    }
}

/* ---------------------------------------------------------------- breakpoint decisions */

/* A log point's message, with each {EXPR} evaluated in c (NULL: the message has none).
 * An empty message counts the hit and prints nothing. */
static void log_point(EngSession *s, Breakpoint *bp, EvCtx *c, ICorDebugThread *t)
{
    if (!bp->log_message[0]) return;
    StrBuf b;
    sb_init(&b);
    ExprTemplatePart *parts;
    int n;
    ExprError err;
    if (!c) {
        sb_puts(&b, bp->log_message);
    } else if (expr_template_split(c->arena, bp->log_message, &parts, &n, &err) != 0) {
        sb_printf(&b, "%s (log message error: %s)", bp->log_message, err.msg);
    } else {
        for (int i = 0; i < n; i++) {
            if (!parts[i].is_hole) { sb_puts(&b, parts[i].text); continue; }
            EvVal v;
            if (ev_evaluate(c, parts[i].text, &v) != 0) { sb_printf(&b, "{error: %s}", c->err); continue; }
            int nq = parts[i].spec && !strcmp(parts[i].spec, "nq");
            char *str;
            size_t len;
            if (nq && v.et == ELEMENT_TYPE_STRING && !v.is_null && ev_string_of(c, &v, &str, &len) == 0) sb_append(&b, str, len);
            else ev_summary(c, &v, &b);
        }
    }
    DWORD tid = 0;
    COM(t, GetID, &tid);
    int thread_id = 0;
    for (size_t i = 0; i < s->nthreads; i++) if (s->threads[i].tid == tid) thread_id = s->threads[i].id;
    EngNotice note = { .kind = EN_LOGPOINT, .bp_id = bp->id, .thread_id = thread_id, .tid = tid,
                       .message = b.data ? b.data : "" };
    eng_notify(s, &note);
    sb_free(&b);
}

/* Count a crossing whose condition held: does the hit count let it stop? */
static int counted_hit(Breakpoint *bp)
{
    bp->hits++;
    if (bp->ignore) { bp->ignore--; return 0; }
    if (bp->hit_op == '=') return bp->hits == bp->hit_count;
    if (bp->hit_op == '>') return bp->hits >= bp->hit_count;
    if (bp->hit_op == '%') return bp->hit_count && bp->hits % bp->hit_count == 0;
    return 1;
}

int inspect_breakpoint_hit(EngSession *s, Breakpoint *bp, ICorDebugThread *t, char *why, size_t cap)
{
    why[0] = 0;
    if (!bp->condition && !bp->hit_op && !bp->ignore && !bp->log_message) { bp->hits++; return 1; }
    /* No expression to evaluate: decide without an evaluation context (no stack walk). */
    if (!bp->condition && !(bp->log_message && strchr(bp->log_message, '{'))) {
        if (!counted_hit(bp)) return 0;
        if (!bp->log_message) return 1;
        log_point(s, bp, NULL, t);
        return 0;
    }
    Thread *th = NULL;
    DWORD tid = 0;
    COM(t, GetID, &tid);
    for (size_t i = 0; i < s->nthreads; i++) if (s->threads[i].tid == tid) th = &s->threads[i];
    if (!th) { bp->hits++; return 1; }
    /* Evaluate as at a stop on this thread's top frame; the public state does not change. */
    EngState saved_state = s->state;
    int saved_thread = s->current_thread, saved_frame = s->current_frame;
    s->state = ENG_STOPPED;
    s->current_thread = th->id;
    s->current_frame = 0;
    EvCtx c;
    int stop = 1;
    if (eng_eval_init(&c, s) != 0) {
        snprintf(why, cap, "%s", c.err);
    } else {
        c.allow_side_effects = 0;
        if (bp->condition) {
            int r = ev_condition(&c, bp->condition);
            if (r < 0) snprintf(why, cap, "%s", c.err);
            else if (r == 0) stop = 0;
        }
        if (stop && !why[0]) {
            stop = counted_hit(bp);
            if (stop && bp->log_message) {
                log_point(s, bp, &c, t);
                stop = 0;
            }
        }
    }
    ev_done(&c);
    if (s->state == ENG_STOPPED) s->state = saved_state;     /* NONE if the program exited meanwhile */
    s->current_thread = saved_thread;
    s->current_frame = saved_frame;
    /* An evaluation let the program run and stopped it again at its end: one hold
     * either way, answered by the caller's Continue or by the next continue after a stop. */
    s->held = 0;
    return stop;
}
