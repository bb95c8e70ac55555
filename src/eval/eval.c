/* The expression evaluator: walks a parsed C# expression (expr/expr.h) against the selected
 * frame. Names resolve as C# does inside the method: locals (hoisted ones of async methods,
 * iterators and closures by their source names), parameters, members of `this`, statics of
 * the enclosing types, then types. Arithmetic follows C#'s numeric promotions with
 * unchecked overflow unless inside checked(...); what C# would throw (division by zero, null
 * dereference, bad casts, index out of range) becomes the result's error. */
#include "eval/eval.h"
#include "base/utf.h"
#include "meta/sig.h"
#include "meta/pdb.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MD_STATIC = 0x0010 };
#define NRE "System.NullReferenceException: Object reference not set to an instance of an object."

/* ---------------------------------------------------------------- context */

int ev_init(EvCtx *c, const EvHost *host, void *eng, const EvFrameRef *at, int funceval)
{
    memset(c, 0, sizeof *c);
    c->host = host;
    c->eng = eng;
    c->arena = arena_new();
    if (!c->arena) return ev_fail(c, "out of memory");
    c->funceval = funceval;
    c->to_string = 1;
    c->allow_side_effects = 1;
    if (at) {
        c->thread = at->thread;
        c->thread_id = at->thread_id;
        c->frame_index = at->frame_index;
    }
    return 0;
}

void ev_done(EvCtx *c)
{
    for (size_t i = 0; i < c->nhandles_; i++) {
        COM0(c->handles_[i], Dispose);
        COM0(c->handles_[i], Release);
    }
    for (size_t i = c->nkeep_; i-- > 0;) c->keep_[i]->lpVtbl->Release(c->keep_[i]);
    if (c->il_) COM0(c->il_, Release);
    if (c->frame_) COM0(c->frame_, Release);
    free(c->keep_);
    free(c->holds_);
    free(c->handles_);
    c->keep_ = NULL;
    c->holds_ = NULL;
    c->handles_ = NULL;
    c->nkeep_ = c->nholds_ = c->nhandles_ = 0;
    c->frame_ = NULL;
    c->il_ = NULL;
    arena_free(c->arena);
    c->arena = NULL;
}

int ev_fail(EvCtx *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->err, sizeof c->err, fmt, ap);
    va_end(ap);
    return -1;
}

void *ev_keep(EvCtx *c, void *unk)
{
    if (!unk) return NULL;
    if (!GROW(c->keep_, c->nkeep_, c->capkeep_)) {
        /* Cannot track it: leak rather than release what the caller is about to use. */
        return unk;
    }
    c->keep_[c->nkeep_++] = unk;
    return unk;
}

ICorDebugFrame *ev_frame(EvCtx *c)
{
    if (c->frame_ && c->frame_evals_ == c->evals) return c->frame_;
    if (c->il_) { COM0(c->il_, Release); c->il_ = NULL; }
    if (c->frame_) { COM0(c->frame_, Release); c->frame_ = NULL; }
    c->frame_ = evh_frame_at(c, c->frame_index);
    c->frame_evals_ = c->evals;
    if (c->frame_ && FAILED(COM(c->frame_, QueryInterface, &IID_ICorDebugILFrame, (void **)&c->il_))) c->il_ = NULL;
    if (c->frame_ && !c->have_where_) c->have_where_ = evh_where_frame(c, c->frame_, &c->where_) == 0;
    return c->frame_;
}

ICorDebugILFrame *ev_ilframe(EvCtx *c)
{
    ev_frame(c);
    return c->il_;
}

const Where *ev_where(EvCtx *c)
{
    ev_frame(c);
    return c->have_where_ ? &c->where_ : NULL;
}

size_t ev_hold(EvCtx *c, EvVal *v)
{
    size_t mark = c->nholds_;
    if (GROW(c->holds_, c->nholds_, c->capholds_)) c->holds_[c->nholds_++] = v;
    return mark;
}

void ev_unhold(EvCtx *c, size_t mark)
{
    if (mark < c->nholds_) c->nholds_ = mark;
}

/* ---------------------------------------------------------------- frame variables */

static const MdMeta *frame_md(EvCtx *c, PdbModule **sym_out)
{
    const Where *w = ev_where(c);
    Module *m = w ? evh_module_by_id(c, w->module_id) : NULL;
    PdbModule *sym = m ? evh_module_symbols(c, m, 1) : NULL;
    if (sym_out) *sym_out = sym;
    return sym ? &pdb_module_image(sym)->md : NULL;
}

/* Is the method's `this` a compiler-made closure or state machine (a type named <...>)? */
static int this_is_generated(EvCtx *c)
{
    PdbModule *sym;
    const MdMeta *md = frame_md(c, &sym);
    const Where *w = ev_where(c);
    if (!md || !w) return 0;
    uint32_t rid = w->token & 0x00ffffff;
    if (md_get(md, MD_T_MethodDef, rid, MD_MethodDef_Flags) & MD_STATIC) return 0;
    uint32_t t = md_method_owner(md, rid);
    return t && md_string(md, md_get(md, MD_T_TypeDef, t, MD_TypeDef_Name))[0] == '<';
}

static int raw_this(EvCtx *c, EvVal *out)
{
    ICorDebugILFrame *il = ev_ilframe(c);
    PdbModule *sym;
    const MdMeta *md = frame_md(c, &sym);
    const Where *w = ev_where(c);
    if (!il || !md || !w) return ev_fail(c, "the selected frame is not managed code");
    if (md_get(md, MD_T_MethodDef, w->token & 0x00ffffff, MD_MethodDef_Flags) & MD_STATIC)
        return ev_fail(c, "CS0026: Keyword 'this' is not valid in a static method");
    ICorDebugValue *v = NULL;
    if (FAILED(COM(il, GetArgument, 0, &v)) || !v) return ev_fail(c, "'this' is not available here");
    ev_keep(c, v);
    return ev_from_value(c, v, out);
}

static int field_value(EvCtx *c, const EvVal *obj, const char *name, EvVal *out)
{
    int saved = c->funceval, raw = c->raw_members;
    c->funceval = 0;            /* fields only: no getter runs to find a hoisted local */
    c->raw_members = 1;
    int rc = ev_member(c, obj, name, out);
    c->funceval = saved;
    c->raw_members = raw;
    return rc;
}

/* The fields of a closure or state machine, compiler-made names included. */
static int raw_fields(EvCtx *c, const EvVal *obj, EvChild **ch, size_t *n)
{
    size_t total;
    int saved = c->funceval, raw = c->raw_members;
    c->funceval = 0;
    c->raw_members = 1;
    int rc = ev_children(c, obj, 0, 256, ch, n, &total);
    c->funceval = saved;
    c->raw_members = raw;
    return rc;
}

int ev_this(EvCtx *c, EvVal *out)
{
    if (raw_this(c, out) != 0) return -1;
    if (!this_is_generated(c)) return 0;
    /* The user's `this` is the closure's or state machine's <>4__this, maybe in an outer closure. */
    EvVal cur = *out;
    for (int depth = 0; depth < 8; depth++) {
        if (field_value(c, &cur, "<>4__this", out) == 0) return 0;
        /* Nested closures reach the outer one through CS$<>8__locals fields. */
        EvChild *ch;
        size_t n;
        raw_fields(c, &cur, &ch, &n);
        size_t i = 0;
        for (; i < n; i++) if (!strncmp(ch[i].name, "CS$<>8__locals", 14) && !ch[i].error) break;
        if (i == n) break;
        cur = ch[i].val;
    }
    return ev_fail(c, "CS0027: Keyword 'this' is not available in the current context");
}

/* ---------------------------------------------------------------- static types */

/* The type a signature declares, where it says more than the value's exact type does: a
 * variable of type object, string, or a class or interface (which may hold a derived
 * object or a boxed number). Value types and generic instantiations are exactly the
 * value's type already: NULL there (ev_static_type then uses the exact type). */
static ICorDebugType *decl_of_sig(EvCtx *c, Module *m, const MdMeta *md, const MdType *t);

/* The same for a member of type owner: its class's type parameters (T of Box<T>) stand for
 * owner's type arguments. */
static ICorDebugType *member_sig_decl(EvCtx *c, Module *m, const MdMeta *md, const MdType *t, ICorDebugType *owner)
{
    if (t && t->kind == MD_TY_VAR && owner) {
        ICorDebugTypeEnum *te = NULL;
        ICorDebugType *args[32];
        ULONG n = 0;
        ICorDebugType *out = NULL;
        if (SUCCEEDED(COM(owner, EnumerateTypeParameters, &te)) && te) {
            COM(te, Next, 32, args, &n);
            COM0(te, Release);
            for (ULONG k = 0; k < n; k++) ev_keep(c, args[k]);
        }
        if (t->index < n) {
            CorElementType et = 0;
            COM(args[t->index], GetType, &et);
            if (et == ELEMENT_TYPE_OBJECT || et == ELEMENT_TYPE_STRING || et == ELEMENT_TYPE_CLASS) out = args[t->index];
        }
        return out;
    }
    return decl_of_sig(c, m, md, t);
}

static ICorDebugType *decl_of_sig(EvCtx *c, Module *m, const MdMeta *md, const MdType *t)
{
    char saved[sizeof c->err];
    memcpy(saved, c->err, sizeof saved);
    ICorDebugType *out = NULL;
    while (t && (t->kind == MD_TY_PINNED)) t = t->inner;
    if (!t) return NULL;
    if (t->kind == MD_TY_PRIM && (t->elem == MD_ET_OBJECT || t->elem == MD_ET_STRING)) {
        ICorDebugType **slot = t->elem == MD_ET_OBJECT ? &c->object_type_ : &c->string_type_;
        if (!*slot && ev_find_type(c, t->elem == MD_ET_OBJECT ? "object" : "string", NULL, 0, slot) != 0) *slot = NULL;
        out = *slot;
    } else if (t->kind == MD_TY_NAMED && !t->valuetype && md && m) {
        uint32_t table = t->token >> 24, rid = t->token & 0x00ffffff;
        if (table == 0x02) {
            out = ev_typedef_type(c, m, rid, NULL, 0);
        } else if (table == 0x01) {
            char name[512];
            md_token_type_name(md, t->token, name, sizeof name);
            if (!strchr(name, '<') && ev_find_type(c, name, NULL, 0, &out) != 0) out = NULL;
        }
    }
    memcpy(c->err, saved, sizeof saved);
    return out;
}

/* The declared type of member `name` (a field, or a property's getter's result) of type t
 * or its bases, where it says more than the value does (decl_of_sig); NULL otherwise. */
static ICorDebugType *member_decl(EvCtx *c, ICorDebugType *t, const char *name)
{
    char getter[256];
    snprintf(getter, sizeof getter, "get_%s", name);
    for (int depth = 0; t && depth < 16; depth++) {
        const MdMeta *md;
        uint32_t rid, first, end;
        ICorDebugClass *cls = ev_class_of_type(c, t);
        Module *m = cls ? ev_module_of_class(c, cls, &md, &rid) : NULL;
        if (m) {
            MdPool pool = { 0 };
            const uint8_t *p;
            uint32_t len;
            MdType *ft = NULL;
            md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_FieldList, MD_T_Field, &first, &end);
            for (uint32_t f = first; f < end && !ft; f++)
                if (!strcmp(md_string(md, md_get(md, MD_T_Field, f, MD_Field_Name)), name) &&
                    (md_blob(md, md_get(md, MD_T_Field, f, MD_Field_Signature), &p, &len) != 0 ||
                     md_decode_field_sig(&pool, p, len, &ft) != 0 || !ft)) break;
            md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_MethodList, MD_T_MethodDef, &first, &end);
            for (uint32_t k = first; k < end && !ft; k++) {
                MdMethodSig *sig;
                if (!strcmp(md_string(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Name)), getter) &&
                    md_blob(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Signature), &p, &len) == 0 &&
                    md_decode_method_sig(&pool, p, len, &sig) == 0 && sig->nparams == 0)
                    ft = sig->ret;
            }
            ICorDebugType *d = ft ? member_sig_decl(c, m, md, ft, t) : NULL;
            md_pool_free(&pool);
            if (ft) return d;
        }
        ICorDebugType *b = NULL;
        if (FAILED(COM(t, GetBase, &b)) || !b) break;
        t = ev_keep(c, b);
    }
    return NULL;
}

/* The declared result type of method `name` taking nargs arguments, of type t or its bases,
 * when every such overload declares the same one (decl_of_sig); NULL otherwise. */
static ICorDebugType *method_result_decl(EvCtx *c, ICorDebugType *t, const char *name, size_t nargs)
{
    ICorDebugType *found = NULL;
    int any = 0;
    for (int depth = 0; t && depth < 16; depth++) {
        const MdMeta *md;
        uint32_t rid, first, end;
        ICorDebugClass *cls = ev_class_of_type(c, t);
        Module *m = cls ? ev_module_of_class(c, cls, &md, &rid) : NULL;
        if (m) {
            MdPool pool = { 0 };
            md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_MethodList, MD_T_MethodDef, &first, &end);
            for (uint32_t k = first; k < end; k++) {
                const uint8_t *p;
                uint32_t len;
                MdMethodSig *sig;
                if (strcmp(md_string(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Name)), name) ||
                    md_blob(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Signature), &p, &len) != 0 ||
                    md_decode_method_sig(&pool, p, len, &sig) != 0 || sig->nparams != nargs) continue;
                ICorDebugType *d = member_sig_decl(c, m, md, sig->ret, t);
                char a[256], b[256];
                if (any && (!d || !found)) { found = NULL; any = 2; break; }
                if (any && d && found) {
                    ev_type_name(c, d, a, sizeof a);
                    ev_type_name(c, found, b, sizeof b);
                    if (strcmp(a, b)) { found = NULL; any = 2; break; }
                }
                found = d;
                any = 1;
            }
            md_pool_free(&pool);
            if (any) return any == 1 ? found : NULL;   /* the most derived type's methods hide the rest */
        }
        ICorDebugType *b = NULL;
        if (FAILED(COM(t, GetBase, &b)) || !b) break;
        t = ev_keep(c, b);
    }
    return NULL;
}

/* The declared types of a method's locals (its LocalVarSig), in the pool. */
static int local_sig_types(EvCtx *c, PdbModule *sym, uint32_t rid, MdPool *pool, MdType ***types, uint32_t *n)
{
    (void)c;
    MdMethodBody body;
    const MdMeta *md = &pdb_module_image(sym)->md;
    const uint8_t *p;
    uint32_t len;
    *types = NULL;
    *n = 0;
    if (md_method_body(pdb_module_image(sym), rid, &body) != 0 || (body.local_sig_token >> 24) != MD_T_StandAloneSig) return -1;
    uint32_t row = body.local_sig_token & 0x00ffffff;
    if (!row || row > md_rows(md, MD_T_StandAloneSig)) return -1;
    if (md_blob(md, md_get(md, MD_T_StandAloneSig, row, MD_StandAloneSig_Signature), &p, &len) != 0) return -1;
    return md_decode_locals_sig(pool, p, len, types, n);
}

typedef struct VarList { EvVar *v; size_t n, cap; } VarList;

static void var_add(EvCtx *c, VarList *l, const char *name, const EvVal *val, const char *note)
{
    for (size_t i = 0; i < l->n; i++) if (!strcmp(l->v[i].name, name)) return;   /* inner scope wins */
    if (l->n == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 32;
        EvVar *p = arena_push(c->arena, ncap * sizeof *p);
        if (!p) return;
        if (l->n) memcpy(p, l->v, l->n * sizeof *p);
        l->v = p;
        l->cap = ncap;
    }
    EvVar *e = &l->v[l->n++];
    memset(e, 0, sizeof *e);
    e->name = arena_strdup(c->arena, name);
    if (val) e->val = *val;
    e->note = note;
}

/* Hoisted variables: fields of a closure or state machine object. <name>5__N is a hoisted
 * local; plain names are captured variables (or the kickoff's parameters); CS$<>8__locals
 * leads to an outer closure. */
typedef struct HoistScopes {
    const PdbIlRange *r;    /* the MoveNext's StateMachineHoistedLocalScopes, or NULL */
    uint32_t n, il;         /* how many; the frame's IL offset */
} HoistScopes;

/* Is hoisted local `<x>5__N` (slot N-1) in scope at the frame's offset? Without scopes in
 * the PDB, yes. */
static int hoisted_in_scope(const HoistScopes *hs, const char *suffix)
{
    if (!hs || !hs->r) return 1;
    long slot = strtol(suffix, NULL, 10) - 1;
    if (slot < 0 || (uint32_t)slot >= hs->n) return 1;
    const PdbIlRange *r = &hs->r[slot];
    return r->length && hs->il >= r->start && hs->il - r->start < r->length;
}

static void add_hoisted(EvCtx *c, VarList *l, const EvVal *obj, int want_params, const MdMeta *md, uint32_t kickoff,
                        const HoistScopes *hs, int depth)
{
    EvChild *ch;
    size_t n;
    if (raw_fields(c, obj, &ch, &n) != 0) return;
    if (want_params && kickoff && md) {
        /* A state machine's parameters, in the kickoff method's declaration order. */
        uint32_t first, end;
        md_list_range(md, MD_T_MethodDef, kickoff, MD_MethodDef_ParamList, MD_T_Param, &first, &end);
        for (uint32_t seq = 1; seq < 256; seq++) {
            const char *pname = NULL;
            for (uint32_t p = first; p < end && !pname; p++)
                if (md_get(md, MD_T_Param, p, MD_Param_Sequence) == seq) pname = md_string(md, md_get(md, MD_T_Param, p, MD_Param_Name));
            if (!pname) break;
            for (size_t i = 0; i < n; i++)
                if (!ch[i].error && !strcmp(ch[i].name, pname)) { var_add(c, l, pname, &ch[i].val, NULL); break; }
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        const char *name = ch[i].name;
        if (ch[i].error) continue;
        if (!strncmp(name, "CS$<>8__locals", 14)) {
            if (depth < 8 && !want_params) add_hoisted(c, l, &ch[i].val, 0, md, 0, NULL, depth + 1);
            continue;
        }
        int is_param = 0;
        if (kickoff && md) {
            uint32_t first, end;
            md_list_range(md, MD_T_MethodDef, kickoff, MD_MethodDef_ParamList, MD_T_Param, &first, &end);
            for (uint32_t p = first; p < end && !is_param; p++)
                is_param = !strcmp(md_string(md, md_get(md, MD_T_Param, p, MD_Param_Name)), name);
        }
        if (name[0] == '<') {
            const char *close = strchr(name, '>');
            if (want_params || !close || strncmp(close, ">5__", 4) || close == name + 1) continue;
            if (!hoisted_in_scope(hs, close + 4)) continue;     /* its block is not running */
            char *plain = arena_strndup(c->arena, name + 1, (size_t)(close - name - 1));
            if (plain) var_add(c, l, plain, &ch[i].val, NULL);
            continue;
        }
        /* A state machine's plain fields are its method's parameters; a closure's are the
         * variables it captured. */
        if (kickoff ? (want_params && is_param) : !want_params) var_add(c, l, name, &ch[i].val, NULL);
    }
}

/* The cached variables, when no evaluation ran since they were read. */
static int cached_vars(EvCtx *c, int args, EvVar **out, size_t *n)
{
    if (c->vars_evals_ != c->evals) c->have_args_ = c->have_locals_ = 0;
    if (!(args ? c->have_args_ : c->have_locals_)) return 0;
    *out = args ? c->args_ : c->locals_;
    *n = args ? c->nargs_ : c->nlocals_;
    return 1;
}

/* Keep what was read, if no evaluation ran while it was (`at`: the count before). */
static void cache_vars(EvCtx *c, int args, EvVar *v, size_t n, unsigned at)
{
    if (c->evals != at) return;
    if (c->vars_evals_ != at) c->have_args_ = c->have_locals_ = 0;
    c->vars_evals_ = at;
    if (args) { c->args_ = v; c->nargs_ = n; c->have_args_ = 1; }
    else { c->locals_ = v; c->nlocals_ = n; c->have_locals_ = 1; }
}

/* 1: *out and *n answered from what was read before; 0: the selected frame's IL frame, symbols,
 * metadata and place, and the evaluation count now (for cache_vars), to read them; -1: the
 * selected frame is not managed code (c->err says so). */
static int frame_vars_begin(EvCtx *c, int args, EvVar **out, size_t *n, ICorDebugILFrame **il,
                            PdbModule **sym, const MdMeta **md, const Where **w, unsigned *at)
{
    *out = NULL;
    *n = 0;
    if (cached_vars(c, args, out, n)) return 1;
    *at = c->evals;
    *il = ev_ilframe(c);
    *md = frame_md(c, sym);
    *w = ev_where(c);
    if (!*il || !*md || !*w) return ev_fail(c, "the selected frame is not managed code");
    return 0;
}

int ev_frame_args(EvCtx *c, EvVar **out, size_t *n)
{
    VarList l = { 0 };
    MdPool ppool = { 0 };
    ICorDebugILFrame *il;
    PdbModule *sym;
    const MdMeta *md;
    const Where *w;
    unsigned at;
    int st = frame_vars_begin(c, 1, out, n, &il, &sym, &md, &w, &at);
    if (st) return st > 0 ? 0 : -1;
    uint32_t rid = w->token & 0x00ffffff;
    int is_static = (md_get(md, MD_T_MethodDef, rid, MD_MethodDef_Flags) & MD_STATIC) != 0;
    const PdbFile *pdb = pdb_module_pdb(sym);
    uint32_t kickoff = pdb ? pdb_kickoff_method(pdb, rid) : 0;
    DWORD index = 0;
    if (!is_static) {
        EvVal self;
        if (ev_this(c, &self) == 0) var_add(c, &l, "this", &self, NULL);
        c->err[0] = 0;
        index = 1;
    }
    if (kickoff) {
        /* An async method or iterator: its parameters live in the state machine. */
        EvVal sm;
        if (raw_this(c, &sm) == 0) add_hoisted(c, &l, &sm, 1, md, kickoff, NULL, 0);
    } else {
        uint32_t first, end;
        md_list_range(md, MD_T_MethodDef, rid, MD_MethodDef_ParamList, MD_T_Param, &first, &end);
        /* The parameters' declared types, for C#'s static reasoning (decl). */
        Module *m = evh_module_by_id(c, w->module_id);
        MdMethodSig *psig = NULL;
        const uint8_t *sp;
        uint32_t slen;
        if (md_blob(md, md_get(md, MD_T_MethodDef, rid, MD_MethodDef_Signature), &sp, &slen) != 0 ||
            md_decode_method_sig(&ppool, sp, slen, &psig) != 0) psig = NULL;
        for (uint32_t seq = 1; seq < 256; seq++) {
            const char *name = NULL;
            for (uint32_t p = first; p < end && !name; p++)
                if (md_get(md, MD_T_Param, p, MD_Param_Sequence) == seq) name = md_string(md, md_get(md, MD_T_Param, p, MD_Param_Name));
            ICorDebugValue *v = NULL;
            if (FAILED(COM(il, GetArgument, index + seq - 1, &v)) || !v) break;
            ev_keep(c, v);
            EvVal val;
            char fallback[32];
            snprintf(fallback, sizeof fallback, "arg%u", (unsigned)seq);
            if (ev_from_value(c, v, &val) != 0) continue;
            val.is_lvalue = 1;
            if (psig && seq - 1 < psig->nparams) val.decl = decl_of_sig(c, m, md, psig->params[seq - 1]);
            var_add(c, &l, name && *name ? name : fallback, &val, NULL);
        }
    }
    md_pool_free(&ppool);
    *out = l.v;
    *n = l.n;
    cache_vars(c, 1, l.v, l.n, at);
    return 0;
}

/* The element names the PDB gives a tuple local (TupleElementNames), copied into the arena. */
static void tuple_names_of(EvCtx *c, const PdbFile *pdb, MdPool *pool, uint32_t local_row, EvVal *val)
{
    const char **names;
    uint32_t n;
    if (!local_row || pdb_tuple_names(pdb, pool, 0x33000000u | local_row, &names, &n) != 0 || !n) return;
    const char **copy = arena_push(c->arena, n * sizeof *copy);
    if (!copy) return;
    for (uint32_t i = 0; i < n; i++) copy[i] = names[i] ? arena_strdup(c->arena, names[i]) : NULL;
    val->tuple_names = copy;
    val->ntuple_names = n;
}

int ev_frame_locals(EvCtx *c, EvVar **out, size_t *n)
{
    VarList l = { 0 };
    ICorDebugILFrame *il;
    PdbModule *sym;
    const MdMeta *md;
    const Where *w;
    unsigned at;
    int st = frame_vars_begin(c, 0, out, n, &il, &sym, &md, &w, &at);
    if (st) return st > 0 ? 0 : -1;
    const PdbFile *pdb = pdb_module_pdb(sym);
    if (!pdb) return ev_fail(c, "no symbols for %s", w->function);
    MdPool pool = { 0 };
    PdbLocal *locals = NULL;
    uint32_t nl = 0;
    if (pdb_module_locals_at(sym, &pool, w->token, w->il, &locals, &nl) != 0) nl = 0;
    MdType **ltypes;
    uint32_t nltypes;
    if (local_sig_types(c, sym, w->token & 0x00ffffff, &pool, &ltypes, &nltypes) != 0) nltypes = 0;
    Module *lm = evh_module_by_id(c, w->module_id);
    /* Innermost scopes come last: add in reverse so that an inner name hides an outer one. */
    for (uint32_t k = nl; k-- > 0;) {
        PdbLocal *pl = &locals[k];
        if (pl->attrs & 1) continue;                         /* compiler temporaries */
        if (pl->is_const) {
            char text[256];
            pdb_constant_text(pdb, pl->const_sig, pl->const_sig_len, text, sizeof text);
            var_add(c, &l, pl->name, NULL, arena_strdup(c->arena, text));
            continue;
        }
        ICorDebugValue *v = NULL;
        if (FAILED(COM(il, GetLocalVariable, pl->slot, &v)) || !v) {
            var_add(c, &l, pl->name, NULL, "<not available here>");
            continue;
        }
        ev_keep(c, v);
        EvVal val;
        if (ev_from_value(c, v, &val) != 0) { var_add(c, &l, pl->name, NULL, "<unreadable>"); continue; }
        val.is_lvalue = 1;
        if (!strncmp(pl->name, "CS$<>8__locals", 14)) {
            add_hoisted(c, &l, &val, 0, md, 0, NULL, 0);     /* the method's own closure */
            continue;
        }
        if (pl->slot < nltypes) val.decl = decl_of_sig(c, lm, md, ltypes[pl->slot]);
        tuple_names_of(c, pdb, &pool, pl->row, &val);
        var_add(c, &l, pl->name, &val, NULL);
    }
    md_pool_free(&pool);
    /* Back to declaration order (they were added innermost first). */
    for (size_t i = 0, j = l.n ? l.n - 1 : 0; i < j; i++, j--) {
        EvVar tmp = l.v[i];
        l.v[i] = l.v[j];
        l.v[j] = tmp;
    }
    if (this_is_generated(c)) {
        EvVal self;
        uint32_t kickoff = pdb_kickoff_method(pdb, w->token & 0x00ffffff);
        HoistScopes hs = { .il = w->il };
        PdbIlRange *r = NULL;
        if (kickoff && pdb_hoisted_scopes(pdb, &pool, w->token & 0x00ffffff, &r, &hs.n) == 0) hs.r = r;
        if (raw_this(c, &self) == 0) add_hoisted(c, &l, &self, 0, md, kickoff, &hs, 0);
        md_pool_free(&pool);
        c->err[0] = 0;
    }
    *out = l.v;
    *n = l.n;
    cache_vars(c, 0, l.v, l.n, at);
    return 0;
}

/* ---------------------------------------------------------------- numbers */

static int is_enum_val(EvCtx *c, const EvVal *v)
{
    return v->et == ELEMENT_TYPE_VALUETYPE && v->type && ev_is_enum(c, v->type);
}

/* An enum type's underlying integer type (its value__ field's), I4 when it cannot be read. */
static CorElementType enum_underlying(EvCtx *c, ICorDebugType *t)
{
    const MdMeta *md;
    uint32_t rid, first, end;
    ICorDebugClass *cls = t ? ev_class_of_type(c, t) : NULL;
    Module *m = cls ? ev_module_of_class(c, cls, &md, &rid) : NULL;
    if (!m) return ELEMENT_TYPE_I4;
    md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_FieldList, MD_T_Field, &first, &end);
    for (uint32_t f = first; f < end; f++) {
        if (strcmp(md_string(md, md_get(md, MD_T_Field, f, MD_Field_Name)), "value__")) continue;
        const uint8_t *p;
        uint32_t len;
        if (md_blob(md, md_get(md, MD_T_Field, f, MD_Field_Signature), &p, &len) == 0 && len >= 2 && p[1] >= ELEMENT_TYPE_BOOLEAN &&
            p[1] <= ELEMENT_TYPE_U8)
            return (CorElementType)p[1];
    }
    return ELEMENT_TYPE_I4;
}

/* An enum value of type t with the bits cut to its underlying type, as the program holds it. */
static void set_enum(EvCtx *c, EvVal *out, ICorDebugType *t, uint64_t bits);

/* The numeric kind of a value for arithmetic: its element type, enums as their value,
 * 0 when not numeric. */
static CorElementType num_et(EvCtx *c, const EvVal *v)
{
    if (v->is_null || v->is_type) return 0;
    if (ev_is_primitive(v->et) && v->et != ELEMENT_TYPE_BOOLEAN) return v->et;
    if (is_enum_val(c, v)) return ELEMENT_TYPE_I8;
    return 0;
}

static int is_signed(CorElementType et)
{
    return et == ELEMENT_TYPE_I1 || et == ELEMENT_TYPE_I2 || et == ELEMENT_TYPE_I4 || et == ELEMENT_TYPE_I8 || et == ELEMENT_TYPE_I;
}

/* C# binary numeric promotion (§12.4.7.3). 0 when the pair has none (ulong with a signed type). */
static CorElementType promote(CorElementType a, CorElementType b)
{
    if (a == ELEMENT_TYPE_R8 || b == ELEMENT_TYPE_R8) return ELEMENT_TYPE_R8;
    if (a == ELEMENT_TYPE_R4 || b == ELEMENT_TYPE_R4) return ELEMENT_TYPE_R4;
    if (a == ELEMENT_TYPE_U8 || b == ELEMENT_TYPE_U8) {
        CorElementType o = a == ELEMENT_TYPE_U8 ? b : a;
        if (o != ELEMENT_TYPE_U8 && is_signed(o)) return 0;
        return ELEMENT_TYPE_U8;
    }
    if (a == ELEMENT_TYPE_I8 || b == ELEMENT_TYPE_I8 || a == ELEMENT_TYPE_I || b == ELEMENT_TYPE_I ||
        a == ELEMENT_TYPE_U || b == ELEMENT_TYPE_U) return ELEMENT_TYPE_I8;
    if (a == ELEMENT_TYPE_U4 || b == ELEMENT_TYPE_U4) {
        CorElementType o = a == ELEMENT_TYPE_U4 ? b : a;
        return (o == ELEMENT_TYPE_I1 || o == ELEMENT_TYPE_I2 || o == ELEMENT_TYPE_I4) ? ELEMENT_TYPE_I8 : ELEMENT_TYPE_U4;
    }
    return ELEMENT_TYPE_I4;
}

static double as_double(const EvVal *v)
{
    if (v->et == ELEMENT_TYPE_R4 || v->et == ELEMENT_TYPE_R8) return v->d;
    return is_signed(v->et) || v->et == ELEMENT_TYPE_VALUETYPE ? (double)(int64_t)v->bits : (double)v->bits;
}

/* The value as a float, converted once from its own type (not through double). */
static float as_float(const EvVal *v)
{
    if (v->et == ELEMENT_TYPE_R4 || v->et == ELEMENT_TYPE_R8) return (float)v->d;
    return is_signed(v->et) || v->et == ELEMENT_TYPE_VALUETYPE ? (float)(int64_t)v->bits : (float)v->bits;
}

static void set_prim(EvVal *out, CorElementType et, uint64_t bits, double d)
{
    memset(out, 0, sizeof *out);
    out->et = et;
    if (et == ELEMENT_TYPE_R4) out->d = (float)d;
    else if (et == ELEMENT_TYPE_R8) out->d = d;
    else {
        /* Keep the bits normalised to the type's width and signedness. */
        switch (et) {
        case ELEMENT_TYPE_I1: bits = (uint64_t)(int64_t)(int8_t)bits; break;
        case ELEMENT_TYPE_U1: case ELEMENT_TYPE_BOOLEAN: bits &= 0xff; break;
        case ELEMENT_TYPE_I2: bits = (uint64_t)(int64_t)(int16_t)bits; break;
        case ELEMENT_TYPE_U2: case ELEMENT_TYPE_CHAR: bits &= 0xffff; break;
        case ELEMENT_TYPE_I4: bits = (uint64_t)(int64_t)(int32_t)bits; break;
        case ELEMENT_TYPE_U4: bits &= 0xffffffffu; break;
        default: break;
        }
        out->bits = bits;
    }
}

static void set_enum(EvCtx *c, EvVal *out, ICorDebugType *t, uint64_t bits)
{
    EvVal n;
    set_prim(&n, enum_underlying(c, t), bits, 0);
    memset(out, 0, sizeof *out);
    out->et = ELEMENT_TYPE_VALUETYPE;
    out->type = t;
    out->bits = n.bits;
}

/* The C# keyword of an element type, for messages ("object" for the rest). */
static const char *et_name(CorElementType et)
{
    const char *kw = ev_keyword_of_et(et);
    return kw ? kw : "object";
}

/* A value's type as C# names it in messages: its static type. */
static void type_text(EvCtx *c, const EvVal *v, char *out, size_t cap)
{
    if (v->decl && !v->is_type) ev_type_name(c, v->decl, out, cap);
    else ev_val_type_name(c, v, out, cap);
}

/* Is v's static type the one named (C# keyword for built-in types: "object", "string")? */
static int static_is(EvCtx *c, const EvVal *v, const char *name)
{
    char tn[256];
    if (v->is_type || (v->is_null && !v->v && !v->decl)) return 0;
    type_text(c, v, tn, sizeof tn);
    return !strcmp(tn, name);
}

/* A Nullable<T> value: 1, with *has and (when it has one) *inner; 0 when v is none. */
static int nullable_parts(EvCtx *c, const EvVal *v, int *has, EvVal *inner)
{
    char tn[256];
    if (v->is_type || v->is_null || v->et != ELEMENT_TYPE_VALUETYPE || !v->type || !v->v) return 0;
    ev_type_name(c, v->type, tn, sizeof tn);
    size_t n = strlen(tn);
    if (!n || tn[n - 1] != '?') return 0;
    EvVal hv;
    int saved = c->funceval;
    c->funceval = 0;
    int rc = ev_member(c, v, "hasValue", &hv);
    if (rc == 0) rc = ev_member(c, v, "value", inner);
    c->funceval = saved;
    if (rc != 0) { c->err[0] = 0; return 0; }
    *has = hv.bits != 0;
    inner->is_lvalue = 0;
    return 1;
}

static int overflow(EvCtx *c);
/* Overflow of a constant expression is the compiler's error, of a variable's the runtime's. */
static int overflow_at(EvCtx *c, int konst)
{
    if (konst) return ev_fail(c, "CS0220: The operation overflows at compile time in checked mode");
    return overflow(c);
}

static int overflow(EvCtx *c)
{
    c->threw = 1;
    return ev_fail(c, "System.OverflowException: Arithmetic operation resulted in an overflow.");
}

/* Range check for checked conversions of an integer or real to et. */
static int fits(CorElementType et, int neg, uint64_t mag_or_bits, double d, int from_real)
{
    double lo, hi;
    switch (et) {
    case ELEMENT_TYPE_I1: lo = -128; hi = 127; break;
    case ELEMENT_TYPE_U1: lo = 0; hi = 255; break;
    case ELEMENT_TYPE_I2: lo = -32768; hi = 32767; break;
    case ELEMENT_TYPE_U2: case ELEMENT_TYPE_CHAR: lo = 0; hi = 65535; break;
    case ELEMENT_TYPE_I4: lo = -2147483648.0; hi = 2147483647.0; break;
    case ELEMENT_TYPE_U4: lo = 0; hi = 4294967295.0; break;
    case ELEMENT_TYPE_I8: case ELEMENT_TYPE_I:
        if (from_real) return d >= -9223372036854775808.0 && d < 9223372036854775808.0;
        return neg || mag_or_bits <= (uint64_t)INT64_MAX;
    case ELEMENT_TYPE_U8: case ELEMENT_TYPE_U:
        if (from_real) return d > -1.0 && d < 18446744073709551616.0;
        return !neg;
    default: return 1;
    }
    if (from_real) return d > lo - 1 && d < hi + 1;
    if (neg) return (double)(int64_t)mag_or_bits >= lo;
    return (double)mag_or_bits <= hi;
}

/* Numeric conversion (explicit, as a cast: checked when c->checked). */
static int convert_num(EvCtx *c, const EvVal *v, CorElementType to, EvVal *out)
{
    CorElementType from = num_et(c, v);
    if (!from) return -1;
    if (to == ELEMENT_TYPE_R4 || to == ELEMENT_TYPE_R8) { set_prim(out, to, 0, as_double(v)); return 0; }
    if (from == ELEMENT_TYPE_R4 || from == ELEMENT_TYPE_R8) {
        double d = v->d;
        if (!isnan(d) && fits(to, 0, 0, trunc(d), 1)) {
            set_prim(out, to, is_signed(to) || d < 0 ? (uint64_t)(int64_t)d : (uint64_t)d, 0);
            return 0;
        }
        if (c->checked) return overflow(c);
        /* Unchecked, as .NET 9+ converts on x64: saturated into the target's range (NaN is 0);
         * a type smaller than int goes through int first and keeps its low bits, so
         * (byte)-2.25 is 254. */
        if (isnan(d)) { set_prim(out, to, 0, 0); return 0; }
        d = trunc(d);
        uint64_t bits;
        switch (to) {
        case ELEMENT_TYPE_U4: bits = d < 0 ? 0 : d > 4294967295.0 ? 0xffffffffu : (uint64_t)d; break;
        case ELEMENT_TYPE_I8: case ELEMENT_TYPE_I:
            bits = d < -9223372036854775808.0 ? (uint64_t)INT64_MIN : (uint64_t)INT64_MAX; break;
        case ELEMENT_TYPE_U8: case ELEMENT_TYPE_U: bits = d < 0 ? 0 : UINT64_MAX; break;
        default: bits = (uint64_t)(int64_t)(d < -2147483648.0 ? -2147483648.0 : d > 2147483647.0 ? 2147483647.0 : d); break;
        }
        set_prim(out, to, bits, 0);
        return 0;
    }
    int neg = (is_signed(from) || from == ELEMENT_TYPE_VALUETYPE) && (int64_t)v->bits < 0;
    if (c->checked && !fits(to, neg, v->bits, 0, 0)) return overflow(c);
    set_prim(out, to, v->bits, 0);
    return 0;
}

static int arith(EvCtx *c, int op, const EvVal *a, const EvVal *b, EvVal *out)
{
    CorElementType ta = num_et(c, a), tb = num_et(c, b);
    CorElementType t = promote(ta, tb);
    if (!t) {
        char x[128], y[128];
        type_text(c, a, x, sizeof x);
        type_text(c, b, y, sizeof y);
        return ev_fail(c, "CS0034: Operator '%c' is ambiguous on operands of type '%s' and '%s'", op, x, y);
    }
    if (t == ELEMENT_TYPE_R4 || t == ELEMENT_TYPE_R8) {
        /* float arithmetic: each operand made a float first, as C# does; + - * / % of two
         * floats done in double and rounded once give the float result exactly. */
        int fl = t == ELEMENT_TYPE_R4;
        double x = fl ? as_float(a) : as_double(a), y = fl ? as_float(b) : as_double(b), r;
        switch (op) {
        case '+': r = x + y; break;
        case '-': r = x - y; break;
        case '*': r = x * y; break;
        case '/': r = x / y; break;
        case '%': r = fmod(x, y); break;
        default: return ev_fail(c, "CS0019: Operator '%c' cannot be applied to operands of type '%s'", op, et_name(t));
        }
        set_prim(out, t, 0, r);
        return 0;
    }
    EvVal x, y;
    convert_num(c, a, t, &x);
    convert_num(c, b, t, &y);
    int sgn = is_signed(t);
    /* Constants fold at compile time, in checked mode unless inside unchecked(...). */
    int konst = a->is_const && b->is_const && !c->explicit_unchecked;
    int bits = t == ELEMENT_TYPE_I4 || t == ELEMENT_TYPE_U4 ? 32 : 64;
    uint64_t r = 0;
    int64_t sx = (int64_t)x.bits, sy = (int64_t)y.bits;
    switch (op) {
    case '+': case '-': case '*': {
        if (sgn && bits == 32) {
            int64_t w = op == '+' ? sx + sy : op == '-' ? sx - sy : sx * sy;
            if ((w < INT32_MIN || w > INT32_MAX) && (c->checked || konst)) return overflow_at(c, konst);
            r = (uint64_t)w;
        } else if (!sgn && bits == 32) {
            uint64_t w = op == '+' ? x.bits + y.bits : op == '-' ? x.bits - y.bits : x.bits * y.bits;
            if ((w > UINT32_MAX) && (c->checked || konst)) return overflow_at(c, konst);
            r = w;
        } else if (sgn) {
            int64_t w;
            int of = op == '+' ? __builtin_add_overflow(sx, sy, &w) : op == '-' ? __builtin_sub_overflow(sx, sy, &w) : __builtin_mul_overflow(sx, sy, &w);
            if (of && (c->checked || konst)) return overflow_at(c, konst);
            r = (uint64_t)w;
        } else {
            uint64_t w;
            int of = op == '+' ? __builtin_add_overflow(x.bits, y.bits, &w) : op == '-' ? __builtin_sub_overflow(x.bits, y.bits, &w) : __builtin_mul_overflow(x.bits, y.bits, &w);
            if (of && (c->checked || konst)) return overflow_at(c, konst);
            r = w;
        }
        break;
    }
    case '/': case '%':
        if (y.bits == 0) { c->threw = 1; return ev_fail(c, "System.DivideByZeroException: Attempted to divide by zero."); }
        if (sgn) {
            int64_t min = bits == 32 ? INT32_MIN : INT64_MIN;
            if (sy == -1 && sx == min) {
                /* .NET throws for % too (the x64 idiv traps); only the compiler folds a
                 * constant int.MinValue % -1 to 0. */
                if (op == '/' || !(a->is_const && b->is_const)) return overflow_at(c, konst && op == '/');
                r = 0;
            } else {
                r = (uint64_t)(op == '/' ? sx / sy : sx % sy);
            }
        } else {
            r = op == '/' ? x.bits / y.bits : x.bits % y.bits;
        }
        break;
    case '&': r = x.bits & y.bits; break;
    case '|': r = x.bits | y.bits; break;
    case '^': r = x.bits ^ y.bits; break;
    default: return ev_fail(c, "bad operator");
    }
    set_prim(out, t, r, 0);
    return 0;
}

/* ---------------------------------------------------------------- helpers */

static int to_bool(EvCtx *c, const EvVal *v, int *b)
{
    if (v->et != ELEMENT_TYPE_BOOLEAN) {
        char t[128];
        type_text(c, v, t, sizeof t);
        return ev_fail(c, "CS0029: Cannot implicitly convert type '%s' to 'bool'", t);
    }
    *b = v->bits != 0;
    return 0;
}

static void set_bool(EvVal *out, int b) { set_prim(out, ELEMENT_TYPE_BOOLEAN, b ? 1 : 0, 0); }

static int is_string(const EvVal *v) { return v->et == ELEMENT_TYPE_STRING && !v->is_type; }

static int is_float_val(const EvVal *v)
{
    return !v->is_null && !v->is_type && (v->et == ELEMENT_TYPE_R4 || v->et == ELEMENT_TYPE_R8);
}

/* A value as string concatenation shows it: C#'s ToString of each. */
static int concat_text(EvCtx *c, const EvVal *v, char **out, size_t *len)
{
    if (v->is_null) { *out = ""; *len = 0; return 0; }
    if (is_string(v)) return ev_string_of(c, v, out, len);
    StrBuf b;
    sb_init(&b);
    if (v->et == ELEMENT_TYPE_BOOLEAN) sb_puts(&b, v->bits ? "True" : "False");
    else if (v->et == ELEMENT_TYPE_CHAR) {
        uint16_t w[2] = { (uint16_t)v->bits, 0 };
        char *s = utf8_from_utf16(c->arena, w, 1);
        sb_puts(&b, s ? s : "?");
    } else if (ev_is_primitive(v->et)) {
        int saved = c->hex;
        c->hex = 0;
        ev_summary(c, v, &b);
        c->hex = saved;
    } else {
        sb_free(&b);
        if (ev_to_string(c, v, out) != 0) return -1;
        *len = strlen(*out);
        return 0;
    }
    *out = arena_strdup(c->arena, b.data ? b.data : "");
    *len = strlen(*out);
    sb_free(&b);
    return 0;
}

static CORDB_ADDRESS address_of(EvCtx *c, const EvVal *v)
{
    if (!v->v || v->is_null) return 0;
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v->v, &null);
    CORDB_ADDRESS a = 0;
    if (obj) COM(obj, GetAddress, &a);
    return a;
}

/* == on two values; *eq set. */
static int equals(EvCtx *c, const EvVal *a, const EvVal *b, int *eq)
{
    if (static_is(c, a, "object") || static_is(c, b, "object")) {
        /* object == x is reference equality (C# §12.12.7), with x of a reference type. */
        const EvVal *o = static_is(c, a, "object") ? b : a;
        if (!o->is_null && !o->is_type && (ev_is_primitive(o->et) || (o->et == ELEMENT_TYPE_VALUETYPE && !o->decl)) &&
            !static_is(c, o, "object")) {
            char x[128], y[128];
            type_text(c, a, x, sizeof x);
            type_text(c, b, y, sizeof y);
            return ev_fail(c, "CS0019: Operator '==' cannot be applied to operands of type '%s' and '%s'", x, y);
        }
        if (a->is_null || b->is_null) { *eq = a->is_null && b->is_null; return 0; }
        if (is_string(a) && is_string(b) && (!a->v || !b->v)) {
            /* A literal is interned: the same object as an equal string literal of the
             * program's. */
            char *x, *y;
            size_t lx, ly;
            if (ev_string_of(c, a, &x, &lx) || ev_string_of(c, b, &y, &ly)) return -1;
            *eq = lx == ly && !memcmp(x, y, lx);
            return 0;
        }
        /* A value boxed here for the comparison is a new object: equal to nothing. */
        *eq = a->v && b->v && !ev_is_primitive(a->et) && !ev_is_primitive(b->et) && address_of(c, a) == address_of(c, b);
        return 0;
    }
    CorElementType ta = num_et(c, a), tb = num_et(c, b);
    if (ta && tb) {
        CorElementType t = promote(ta, tb);
        if (t == ELEMENT_TYPE_R4 || t == ELEMENT_TYPE_R8) { *eq = as_double(a) == as_double(b); return 0; }
        EvVal x, y;
        convert_num(c, a, t ? t : ELEMENT_TYPE_I8, &x);
        convert_num(c, b, t ? t : ELEMENT_TYPE_I8, &y);
        *eq = x.bits == y.bits;
        return 0;
    }
    if (a->et == ELEMENT_TYPE_BOOLEAN && b->et == ELEMENT_TYPE_BOOLEAN) { *eq = !a->bits == !b->bits; return 0; }
    if (a->is_null || b->is_null) {
        const EvVal *o = a->is_null ? b : a;
        if (ev_is_primitive(o->et) && !o->is_null) return ev_fail(c, "CS0019: Operator '==' cannot be applied to operands of type '%s' and '<null>'", et_name(o->et));
        if (o->is_null) { *eq = 1; return 0; }
        /* A Nullable<T> without a value equals null. */
        StrBuf sbuf;
        sb_init(&sbuf);
        char tn[256];
        type_text(c, o, tn, sizeof tn);
        if (strchr(tn, '?')) {
            ev_summary(c, o, &sbuf);
            *eq = sbuf.data && !strcmp(sbuf.data, "null");
            sb_free(&sbuf);
            return 0;
        }
        sb_free(&sbuf);
        *eq = 0;
        return 0;
    }
    if (is_string(a) && is_string(b)) {
        char *x, *y;
        size_t lx, ly;
        if (ev_string_of(c, a, &x, &lx) || ev_string_of(c, b, &y, &ly)) return -1;
        *eq = lx == ly && !memcmp(x, y, lx);
        return 0;
    }
    if (a->v && b->v && !ev_is_primitive(a->et) && !ev_is_primitive(b->et)) {
        *eq = address_of(c, a) == address_of(c, b);
        return 0;
    }
    char x[128], y[128];
    type_text(c, a, x, sizeof x);
    type_text(c, b, y, sizeof y);
    return ev_fail(c, "CS0019: Operator '==' cannot be applied to operands of type '%s' and '%s'", x, y);
}

/* Did the last call fail because no method of that name applies (rather than running and
 * failing, or being ambiguous)? */
static int no_applicable_method(const EvCtx *c)
{
    static const char *codes[] = { "CS1501:", "CS0117:", "CS1061:", "CS1503:", "CS7036:", "CS0411:", "CS1739:" };
    if (c->threw) return 0;
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) if (!strncmp(c->err, codes[i], 7)) return 1;
    return 0;
}

/* A user-defined operator (op_Addition...) of either operand's type; 1 if there was one. */
static int user_operator(EvCtx *c, const char *opname, EvVal *a, EvVal *b, EvVal *out, int *rc)
{
    const EvVal *sides[2] = { a, b };
    for (int i = 0; i < 2; i++) {
        const EvVal *s = sides[i];
        if (!s || !s->type || s->is_null || ev_is_primitive(s->et) || is_string(s) || s->et == 0) continue;
        EvVal tv = { .is_type = 1, .type = s->type };
        EvVal args[2] = { *a };
        size_t n = 1;
        if (b) { args[1] = *b; n = 2; }
        size_t mark = ev_hold(c, a);
        if (b) ev_hold(c, b);
        char saved[sizeof c->err];
        memcpy(saved, c->err, sizeof saved);
        *rc = ev_call_method(c, &tv, opname, NULL, 0, args, n, out);
        ev_unhold(c, mark);
        if (*rc == 0 || !no_applicable_method(c)) return 1;
        memcpy(c->err, saved, sizeof saved);
    }
    return 0;
}

static int is_decimal(EvCtx *c, const EvVal *v)
{
    char tn[64];
    if (!v->type || v->is_type) return 0;
    ev_type_name(c, v->type, tn, sizeof tn);
    return !strcmp(tn, "decimal");
}

/* A number as System.Decimal in the program (for decimal arithmetic). */
static int to_decimal(EvCtx *c, const EvVal *v, EvVal *out)
{
    if (is_decimal(c, v)) { *out = *v; return 0; }
    ICorDebugType *dt;
    if (ev_find_type(c, "decimal", NULL, 0, &dt) != 0) return -1;
    EvVal arg = *v;
    if (arg.et != ELEMENT_TYPE_R8 && arg.et != ELEMENT_TYPE_R4 && arg.et != ELEMENT_TYPE_I8 && arg.et != ELEMENT_TYPE_U8 &&
        arg.et != ELEMENT_TYPE_I4 && arg.et != ELEMENT_TYPE_U4)
        convert_num(c, v, ELEMENT_TYPE_I4, &arg);
    return ev_new_instance(c, dt, &arg, 1, out);
}

/* The decimal of a literal's digits: new decimal(lo, mid, hi, negative, scale). */
static int decimal_literal(EvCtx *c, const char *text, EvVal *out)
{
    uint32_t w[3] = { 0, 0, 0 };
    int scale = 0, seen_dot = 0;
    for (const char *p = text; *p; p++) {
        if (*p == '.') { seen_dot = 1; continue; }
        if (*p == '_') continue;
        if (*p < '0' || *p > '9') return ev_fail(c, "bad decimal literal '%s'", text);
        uint64_t carry = (uint64_t)(*p - '0');
        for (int i = 0; i < 3; i++) {
            uint64_t cur = (uint64_t)w[i] * 10 + carry;
            w[i] = (uint32_t)cur;
            carry = cur >> 32;
        }
        if (carry) return ev_fail(c, "CS0594: Floating-point constant is outside the range of type 'decimal'");
        if (seen_dot) scale++;
    }
    if (scale > 28) return ev_fail(c, "decimal literal '%s' has too many digits after the point", text);
    ICorDebugType *dt;
    if (ev_find_type(c, "decimal", NULL, 0, &dt) != 0) return -1;
    EvVal args[5];
    set_prim(&args[0], ELEMENT_TYPE_I4, w[0], 0);
    set_prim(&args[1], ELEMENT_TYPE_I4, w[1], 0);
    set_prim(&args[2], ELEMENT_TYPE_I4, w[2], 0);
    set_bool(&args[3], 0);
    set_prim(&args[4], ELEMENT_TYPE_U1, (uint64_t)scale, 0);
    return ev_new_instance(c, dt, args, 5, out);
}

static int literal_(EvCtx *c, const ExprLit *l, EvVal *out);
static int literal(EvCtx *c, const ExprLit *l, EvVal *out)
{
    int rc = literal_(c, l, out);
    if (rc == 0 && l->kind != LIT_NULL) out->is_const = 1;
    return rc;
}

static int literal_(EvCtx *c, const ExprLit *l, EvVal *out)
{
    memset(out, 0, sizeof *out);
    switch (l->kind) {
    case LIT_NULL: out->is_null = 1; return 0;
    case LIT_BOOL: set_bool(out, l->u != 0); return 0;
    case LIT_CHAR: set_prim(out, ELEMENT_TYPE_CHAR, l->u, 0); return 0;
    case LIT_STRING: out->et = ELEMENT_TYPE_STRING; out->str = l->text; out->len = l->len; return 0;
    case LIT_INT: set_prim(out, ELEMENT_TYPE_I4, l->u, 0); return 0;
    case LIT_UINT: set_prim(out, ELEMENT_TYPE_U4, l->u, 0); return 0;
    case LIT_LONG: set_prim(out, ELEMENT_TYPE_I8, l->u, 0); return 0;
    case LIT_ULONG: set_prim(out, ELEMENT_TYPE_U8, l->u, 0); return 0;
    case LIT_FLOAT: set_prim(out, ELEMENT_TYPE_R4, 0, l->d); return 0;
    case LIT_DOUBLE: set_prim(out, ELEMENT_TYPE_R8, 0, l->d); return 0;
    case LIT_DECIMAL: return decimal_literal(c, l->text, out);
    }
    return ev_fail(c, "bad literal");
}

/* ---------------------------------------------------------------- names */

static void fill_member_decl(EvCtx *c, const EvVal *obj, const char *name, EvVal *out);

static int lookup_name(EvCtx *c, const Expr *e, EvVal *out)
{
    const char *name = e->name;
    if (c->scope_this) {
        EvVal self;
        if (ev_from_value(c, c->scope_this, &self) == 0 && ev_member(c, &self, name, out) == 0) return 0;
        if (c->threw) return -1;
    } else {
        if (!strcmp(name, "$exception")) {
            ICorDebugValue *v = NULL;
            if (FAILED(COM(c->thread, GetCurrentException, &v)) || !v) return ev_fail(c, "there is no current exception");
            ev_keep(c, v);
            return ev_from_value(c, v, out);
        }
        EvVar *vars;
        size_t n;
        if (ev_frame_locals(c, &vars, &n) == 0)
            for (size_t i = 0; i < n; i++) {
                if (strcmp(vars[i].name, name)) continue;
                if (!vars[i].val.v && vars[i].note) {
                    /* A constant: its text is C#; evaluate it. */
                    return ev_evaluate(c, vars[i].note, out);
                }
                *out = vars[i].val;
                return 0;
            }
        if (ev_frame_args(c, &vars, &n) == 0)
            for (size_t i = 0; i < n; i++)
                if (!strcmp(vars[i].name, name) && strcmp(name, "this")) { *out = vars[i].val; return 0; }
        EvVal self;
        if (ev_this(c, &self) == 0) {
            if (ev_member(c, &self, name, out) == 0) { fill_member_decl(c, &self, name, out); return 0; }
            if (c->threw) return -1;
        }
        /* Statics of the method's type and its enclosing types. */
        const Where *w = ev_where(c);
        PdbModule *sym;
        const MdMeta *md = frame_md(c, &sym);
        Module *m = w ? evh_module_by_id(c, w->module_id) : NULL;
        if (md && m) {
            for (uint32_t t = md_method_owner(md, w->token & 0x00ffffff); t; t = md_enclosing_type(md, t)) {
                /* Generic enclosing types: their statics need the instantiation; not had here. */
                ICorDebugType *ty = ev_typedef_type(c, m, t, NULL, 0);
                if (!ty) continue;
                EvVal tv = { .is_type = 1, .type = ty };
                if (ev_member(c, &tv, name, out) == 0) { fill_member_decl(c, &tv, name, out); return 0; }
                if (c->threw) return -1;
            }
        }
    }
    ICorDebugType *t;
    if (ev_find_type(c, name, e->type_args, e->ntype_args, &t) == 0) {
        memset(out, 0, sizeof *out);
        out->is_type = 1;
        out->type = t;
        return 0;
    }
    return ev_fail(c, "CS0103: The name '%s' does not exist in the current context", name);
}

/* C# reasons with a member's declared type (an object field holding a number): out->decl
 * from obj's type's field or property `name`. */
static void fill_member_decl(EvCtx *c, const EvVal *obj, const char *name, EvVal *out)
{
    if (out->is_type || out->decl || !(out->v || out->is_null)) return;
    ICorDebugType *owner = obj->type;
    if (!obj->is_type && obj->v) {
        int null = 0;
        ICorDebugValue *o = ev_deref(c, obj->v, &null);
        if (o) owner = ev_type_of(c, o);
    }
    const char *member = name;
    for (uint32_t k = 0; k < obj->ntuple_names && k < 7; k++)
        if (obj->tuple_names[k] && !strcmp(obj->tuple_names[k], name))
            member = arena_printf(c->arena, "Item%u", (unsigned)k + 1);   /* a named tuple element */
    if (owner && member) out->decl = member_decl(c, owner, member);
}

/* "System.Collections" of a chain of names (a.b.c), or NULL when it is not one. */
static char *dotted(EvCtx *c, const Expr *e)
{
    if (e->kind == EX_NAME && !e->ntype_args) return arena_strdup(c->arena, e->name);
    if (e->kind == EX_MEMBER && !e->conditional && !e->ntype_args) {
        char *left = dotted(c, e->a);
        return left ? arena_printf(c->arena, "%s.%s", left, e->name) : NULL;
    }
    return NULL;
}

/* ---------------------------------------------------------------- the walk */

static int eval(EvCtx *c, const Expr *e, EvVal *out);

static int eval_args(EvCtx *c, Expr *const *args, int n, EvVal **out, size_t *mark)
{
    EvVal *v = arena_push(c->arena, (size_t)(n ? n : 1) * sizeof *v);
    if (!v) return ev_fail(c, "out of memory");
    *mark = c->nholds_;
    for (int i = 0; i < n; i++) {
        if (eval(c, args[i], &v[i]) != 0) { ev_unhold(c, *mark); return -1; }
        ev_hold(c, &v[i]);
    }
    *out = v;
    return 0;
}

/* Is e a constant expression C# converts by value (a literal, -1, 1 + 2)? */
static int is_const_expr(const Expr *e)
{
    if (!e) return 0;
    if (e->kind == EX_LITERAL) return 1;
    if (e->kind == EX_UNARY && (e->op == '-' || e->op == '+' || e->op == '~')) return is_const_expr(e->a);
    if (e->kind == EX_CHECKED) return is_const_expr(e->a);
    if (e->kind == EX_BINARY && e->op != OP_COALESCE) return is_const_expr(e->a) && is_const_expr(e->b);
    return 0;
}

/* Per argument: its name (a named argument) and whether it is a constant. */
static EvArg *arg_info(EvCtx *c, const Expr *e)
{
    EvArg *info = arena_push(c->arena, (size_t)(e->nargs ? e->nargs : 1) * sizeof *info);
    if (!info) return NULL;
    for (int i = 0; i < e->nargs; i++) {
        info[i].name = e->arg_names ? e->arg_names[i] : NULL;
        info[i].is_const = is_const_expr(e->args[i]);
    }
    return info;
}

static int member_access(EvCtx *c, const Expr *e, EvVal *out)
{
    EvVal obj;
    if (eval(c, e->a, &obj) != 0) {
        /* a.b.c may name a type through its namespace: System.Math (the whole chain), or
         * System.Math.PI (the chain before the member). */
        char saved[sizeof c->err];
        memcpy(saved, c->err, sizeof saved);
        char *whole = dotted(c, e);
        ICorDebugType *wt;
        if (whole && !c->threw && ev_find_type(c, whole, NULL, 0, &wt) == 0) {
            memset(out, 0, sizeof *out);
            out->is_type = 1;
            out->type = wt;
            c->err[0] = 0;
            return 0;
        }
        char *chain = dotted(c, e->a);
        ICorDebugType *t;
        if (!chain || c->threw || ev_find_type(c, chain, NULL, 0, &t) != 0) {
            memcpy(c->err, saved, sizeof saved);
            return -1;
        }
        memset(&obj, 0, sizeof obj);
        obj.is_type = 1;
        obj.type = t;
        c->err[0] = 0;
    }
    if (obj.is_null && e->conditional) { memset(out, 0, sizeof *out); out->is_null = 1; return 0; }
    if (obj.is_null && !obj.is_type) { c->threw = 1; return ev_fail(c, NRE); }
    /* What cordbg can answer itself: string and array lengths. */
    if (!obj.is_type && !strcmp(e->name, "Length")) {
        if (is_string(&obj)) {
            char *s;
            size_t len;
            if (ev_string_of(c, &obj, &s, &len) != 0) return -1;
            uint16_t *w = utf16_from_utf8(c->arena, s, len);
            set_prim(out, ELEMENT_TYPE_I4, w ? utf16_len(w) : 0, 0);
            return 0;
        }
        int null = 0;
        ICorDebugValue *o = obj.v ? ev_deref(c, obj.v, &null) : NULL;
        ICorDebugArrayValue *av = NULL;
        if (o && SUCCEEDED(COM(o, QueryInterface, &IID_ICorDebugArrayValue, (void **)&av)) && av) {
            ev_keep(c, av);
            ULONG32 n = 0;
            COM(av, GetCount, &n);
            set_prim(out, ELEMENT_TYPE_I4, n, 0);
            return 0;
        }
    }
    if (!obj.is_type && !strcmp(e->name, "Rank") && obj.v) {
        /* System.Array's Rank, answered from the array itself. */
        int null = 0;
        ICorDebugValue *o = ev_deref(c, obj.v, &null);
        ICorDebugArrayValue *av = NULL;
        if (o && SUCCEEDED(COM(o, QueryInterface, &IID_ICorDebugArrayValue, (void **)&av)) && av) {
            ev_keep(c, av);
            ULONG32 rank = 1;
            COM(av, GetRank, &rank);
            set_prim(out, ELEMENT_TYPE_I4, rank, 0);
            return 0;
        }
    }
    if (!obj.v && !obj.is_type) {
        /* A value cordbg made (a literal): members come from the program's copy. */
        ICorDebugValue *mv;
        if (ev_materialize(c, &obj, NULL, &mv) != 0 || ev_from_value(c, mv, &obj) != 0) return -1;
    }
    int rc = ev_member_ex(c, &obj, e->name, 1, out);
    if (rc == 0) fill_member_decl(c, &obj, e->name, out);
    /* A const field (int.MaxValue) has no home: its value came from the metadata. */
    if (rc == 0 && obj.is_type && !out->v && !out->is_type && (ev_is_primitive(out->et) || out->et == ELEMENT_TYPE_STRING))
        out->is_const = 1;
    return rc;
}

static int concat_text(EvCtx *c, const EvVal *v, char **out, size_t *len);

static int call(EvCtx *c, const Expr *e, EvVal *out)
{
    const Expr *f = e->a;
    EvVal target;
    const char *name;
    ExprType *const *targs = f->type_args;
    int ntargs = f->ntype_args;
    if (f->kind == EX_MEMBER) {
        name = f->name;
        if (eval(c, f->a, &target) != 0) {
            char *chain = dotted(c, f->a);
            ICorDebugType *t;
            char saved[sizeof c->err];
            memcpy(saved, c->err, sizeof saved);
            if (!chain || c->threw || ev_find_type(c, chain, NULL, 0, &t) != 0) { memcpy(c->err, saved, sizeof saved); return -1; }
            memset(&target, 0, sizeof target);
            target.is_type = 1;
            target.type = t;
        }
        if (target.is_null && f->conditional) { memset(out, 0, sizeof *out); out->is_null = 1; return 0; }
    } else if (f->kind == EX_NAME) {
        name = f->name;
        /* A method of this class: on `this` (the object a DebuggerDisplay describes), else
         * static on the method's type. */
        if (c->scope_this) {
            if (ev_from_value(c, c->scope_this, &target) != 0) return -1;
        } else if (ev_this(c, &target) != 0) {
            const Where *w = ev_where(c);
            PdbModule *sym;
            const MdMeta *md = frame_md(c, &sym);
            Module *m = w ? evh_module_by_id(c, w->module_id) : NULL;
            ICorDebugType *ty = md && m ? ev_typedef_type(c, m, md_method_owner(md, w->token & 0x00ffffff), NULL, 0) : NULL;
            if (!ty) return ev_fail(c, "CS0103: The name '%s' does not exist in the current context", name);
            memset(&target, 0, sizeof target);
            target.is_type = 1;
            target.type = ty;
        }
    } else {
        return ev_fail(c, "CS0149: Method name expected");
    }
    if (!target.is_type && !target.is_null && ev_is_primitive(target.et) && !strcmp(name, "ToString") && e->nargs == 0) {
        /* A number's ToString() is C#'s, made here. */
        char *text;
        size_t len;
        if (concat_text(c, &target, &text, &len) != 0) return -1;
        memset(out, 0, sizeof *out);
        out->et = ELEMENT_TYPE_STRING;
        out->str = text;
        out->len = len;
        return 0;
    }
    /* A hover runs no method the expression calls (VS's data tips); getters, indexers,
     * operators and the display's own evaluations (DebuggerDisplay holes) still run. */
    if (c->no_calls && c->depth == 0)
        return ev_fail(c, "This expression causes side effects and will not be evaluated");
    size_t mark = ev_hold(c, &target);
    EvVal *args;
    size_t amark;
    if (eval_args(c, e->args, e->nargs, &args, &amark) != 0) { ev_unhold(c, mark); return -1; }
    int rc = ev_call_method_args(c, &target, name, targs, ntargs, args, arg_info(c, e), (size_t)e->nargs,
                                 f->kind == EX_NAME, out);
    ev_unhold(c, mark);
    if (rc == 0 && !out->decl && !out->is_type && (out->v || out->is_null) && !ntargs) {
        /* C# reasons with the method's declared result type (object Get() returning 5). */
        ICorDebugType *owner = target.is_type ? target.type : NULL;
        if (!target.is_type && target.v) {
            int null = 0;
            ICorDebugValue *o = ev_deref(c, target.v, &null);
            if (o) owner = ev_type_of(c, o);
        }
        char saved[sizeof c->err];
        memcpy(saved, c->err, sizeof saved);
        if (owner) out->decl = method_result_decl(c, owner, name, (size_t)e->nargs);
        memcpy(c->err, saved, sizeof saved);
    }
    return rc;
}

static int index_access(EvCtx *c, const Expr *e, EvVal *out)
{
    EvVal obj;
    if (eval(c, e->a, &obj) != 0) return -1;
    if (obj.is_null) {
        if (e->conditional) { memset(out, 0, sizeof *out); out->is_null = 1; return 0; }
        c->threw = 1;
        return ev_fail(c, NRE);
    }
    size_t mark = ev_hold(c, &obj);
    EvVal *args;
    size_t amark;
    if (eval_args(c, e->args, e->nargs, &args, &amark) != 0) { ev_unhold(c, mark); return -1; }
    int rc;
    if (is_string(&obj) && e->nargs == 1 && num_et(c, &args[0])) {
        char *s;
        size_t len;
        rc = ev_string_of(c, &obj, &s, &len);
        uint16_t *w = rc == 0 ? utf16_from_utf8(c->arena, s, len) : NULL;
        int64_t i = (int64_t)args[0].bits;
        if (rc == 0 && (!w || i < 0 || (uint64_t)i >= utf16_len(w))) {
            c->threw = 1;
            rc = ev_fail(c, "System.IndexOutOfRangeException: Index was outside the bounds of the array.");
        } else if (rc == 0) {
            set_prim(out, ELEMENT_TYPE_CHAR, w[i], 0);
        }
        ev_unhold(c, mark);
        return rc;
    }
    int null = 0;
    ICorDebugValue *o = obj.v ? ev_deref(c, obj.v, &null) : NULL;
    ICorDebugArrayValue *av = NULL;
    if (o && SUCCEEDED(COM(o, QueryInterface, &IID_ICorDebugArrayValue, (void **)&av)) && av) {
        ev_keep(c, av);
        ULONG32 rank = 1, dims[32], base[32] = { 0 };
        BOOL has_base = FALSE;
        COM(av, GetRank, &rank);
        if ((ULONG32)e->nargs != rank) { ev_unhold(c, mark); return ev_fail(c, "CS0022: Wrong number of indices inside []; expected %u", (unsigned)rank); }
        COM(av, GetDimensions, rank, dims);
        COM(av, HasBaseIndicies, &has_base);
        if (has_base) COM(av, GetBaseIndicies, rank, base);
        size_t pos = 0;
        for (ULONG32 d = 0; d < rank; d++) {
            EvVal iv;
            if (!num_et(c, &args[d]) || convert_num(c, &args[d], ELEMENT_TYPE_I8, &iv) != 0) {
                ev_unhold(c, mark);
                return ev_fail(c, "CS0029: Cannot implicitly convert the index to 'int'");
            }
            int64_t i = (int64_t)iv.bits - (int64_t)(int32_t)base[d];
            if (i < 0 || (uint64_t)i >= dims[d]) {
                ev_unhold(c, mark);
                c->threw = 1;
                return ev_fail(c, "System.IndexOutOfRangeException: Index was outside the bounds of the array.");
            }
            pos = pos * dims[d] + (size_t)i;
        }
        ICorDebugValue *ev = NULL;
        if (FAILED(COM(av, GetElementAtPosition, (ULONG32)pos, &ev)) || !ev) { ev_unhold(c, mark); return ev_fail(c, "cannot read the element"); }
        ev_keep(c, ev);
        ev_unhold(c, mark);
        if (ev_from_value(c, ev, out) != 0) return -1;
        out->is_lvalue = 1;
        /* An element of object[] (or of a class type) has that static type. */
        ICorDebugType *at = ev_type_of(c, o), *elem = NULL;
        CorElementType eet = 0;
        if (at && SUCCEEDED(COM(at, GetFirstTypeParameter, &elem)) && elem) {
            ev_keep(c, elem);
            COM(elem, GetType, &eet);
            if (eet == ELEMENT_TYPE_OBJECT || eet == ELEMENT_TYPE_STRING || eet == ELEMENT_TYPE_CLASS) out->decl = elem;
        }
        return 0;
    }
    /* Anything else with an indexer: this[...] is get_Item. */
    rc = ev_call_method(c, &obj, "get_Item", NULL, 0, args, (size_t)e->nargs, out);
    ev_unhold(c, mark);
    return rc;
}

/* Runtime type test: is v's object of type t (or derived from it, or implementing it)? */
static int instance_of(EvCtx *c, const EvVal *v, ICorDebugType *t)
{
    if (v->is_null) return 0;
    char want[512], have[512];
    ev_type_name(c, t, want, sizeof want);
    int has;
    EvVal inner;
    if (nullable_parts(c, v, &has, &inner)) {
        /* A Nullable<T> is its value, boxed: nothing without one. */
        if (!has) return 0;
        return instance_of(c, &inner, t);
    }
    if (!strcmp(want, "object")) return 1;
    ICorDebugType *cur = v->type;
    if (v->v) {
        int null = 0;
        ICorDebugValue *o = ev_deref(c, v->v, &null);
        if (!o) return 0;
        cur = ev_type_of(c, o);
    }
    if (ev_is_primitive(v->et)) {
        /* A number is an instance of its System struct's bases and interfaces (boxed). */
        ICorDebugType *st;
        const char *kw = ev_keyword_of_et(v->et);
        if (kw && ev_find_type(c, kw, NULL, 0, &st) == 0) cur = st;
        else c->err[0] = 0;
    }
    if (!cur) {
        snprintf(have, sizeof have, "%s", et_name(v->et));
        return !strcmp(have, want) || !strcmp(want, "object");
    }
    for (int depth = 0; cur && depth < 32; depth++) {
        ev_type_name(c, cur, have, sizeof have);
        if (!strcmp(have, want)) return 1;
        /* Interfaces the type implements, by name (a generic one by its name alone). */
        char stripped[512];
        snprintf(stripped, sizeof stripped, "%s", want);
        char *lt = strchr(stripped, '<');
        if (lt) *lt = 0;
        if (ev_declares_interface(c, cur, stripped, lt ? NULL : want)) return 1;
        ICorDebugType *b = NULL;
        if (FAILED(COM(cur, GetBase, &b)) || !b) break;
        cur = ev_keep(c, b);
    }
    return 0;
}

/* The primitive (or string) element type a type stands for; 0 for any other type. */
static CorElementType prim_of_type(EvCtx *c, ICorDebugType *t)
{
    char n[128];
    ev_type_name(c, t, n, sizeof n);
    CorElementType et = ev_et_of_keyword(n);
    return ev_is_primitive(et) || et == ELEMENT_TYPE_STRING ? et : 0;
}

/* Casts to and from decimal run in the program, as C# compiles them: new decimal(x) (the
 * constructor for the number's own type) and decimal.ToInt32(m) and its kin, which truncate
 * and throw OverflowException out of range. 1 when it was one (*rc its result). */
static int decimal_cast(EvCtx *c, EvVal *v, ICorDebugType *t, CorElementType to, EvVal *out, int *rc)
{
    char tn[64];
    ev_type_name(c, t, tn, sizeof tn);
    int to_decimal = !strcmp(tn, "decimal");
    if (to_decimal && ev_is_primitive(v->et) && !v->is_null && v->et != ELEMENT_TYPE_BOOLEAN) {
        EvVal arg = *v;
        arg.v = NULL;
        if (arg.et != ELEMENT_TYPE_R4 && arg.et != ELEMENT_TYPE_R8)
            arg.et = is_signed(v->et) ? ELEMENT_TYPE_I8 : ELEMENT_TYPE_U8;
        *rc = ev_new_instance(c, t, &arg, 1, out);
        return 1;
    }
    if (!is_decimal(c, v) || !to || to == ELEMENT_TYPE_STRING || to == ELEMENT_TYPE_BOOLEAN) return 0;
    static const struct { CorElementType et; const char *method; } conv[] = {
        { ELEMENT_TYPE_I1, "ToSByte" }, { ELEMENT_TYPE_U1, "ToByte" }, { ELEMENT_TYPE_I2, "ToInt16" },
        { ELEMENT_TYPE_U2, "ToUInt16" }, { ELEMENT_TYPE_CHAR, "ToUInt16" }, { ELEMENT_TYPE_I4, "ToInt32" },
        { ELEMENT_TYPE_U4, "ToUInt32" }, { ELEMENT_TYPE_I8, "ToInt64" }, { ELEMENT_TYPE_U8, "ToUInt64" },
        { ELEMENT_TYPE_R4, "ToSingle" }, { ELEMENT_TYPE_R8, "ToDouble" },
    };
    for (size_t i = 0; i < sizeof conv / sizeof *conv; i++) {
        if (conv[i].et != to) continue;
        EvVal type_val = { .is_type = 1, .type = v->type };
        *rc = ev_call_method(c, &type_val, conv[i].method, NULL, 0, v, 1, out);
        if (*rc == 0 && to == ELEMENT_TYPE_CHAR) set_prim(out, ELEMENT_TYPE_CHAR, out->bits, 0);
        return 1;
    }
    return 0;
}

static int cast_value(EvCtx *c, const ExprType *et, EvVal v, EvVal *out);

/* Is v statically a string? A string cordbg made, or a variable declared string (one
 * declared object may hold a string too: a cast of it is decided at run time). */
static int known_string(EvCtx *c, const EvVal *v)
{
    return is_string(v) && (!v->v || (v->decl && static_is(c, v, "string")));
}

static int cast(EvCtx *c, const Expr *e, EvVal *out)
{
    EvVal v;
    if (eval(c, e->a, &v) != 0) return -1;
    const ExprType *et = e->type;
    int has;
    EvVal inner;
    int from_nullable = nullable_parts(c, &v, &has, &inner);
    if (et->nullable && !et->nranks && !et->pointer) {
        /* To T?: null stays null, a value converts to T (C# §10.6.1). */
        if (v.is_null || (from_nullable && !has)) {
            ICorDebugType *nt;
            if (ev_type_from_expr(c, et, &nt) != 0) return -1;
            memset(out, 0, sizeof *out);
            out->is_null = 1;
            out->decl = nt;
            return 0;
        }
        ExprType u = *et;
        u.nullable = 0;
        return cast_value(c, &u, from_nullable ? inner : v, out);
    }
    if (from_nullable && strcmp(et->name, "object") && strcmp(et->name, "string") && et->is_keyword && !et->nranks) {
        /* From T? to a value type: its Value, which throws without one. */
        if (!has) {
            c->threw = 1;
            return ev_fail(c, "System.InvalidOperationException: Nullable object must have a value.");
        }
        v = inner;
    }
    int rc = cast_value(c, et, v, out);
    if (rc == 0) out->is_const = v.is_const && !out->v && (ev_is_primitive(out->et) || out->et == ELEMENT_TYPE_STRING);
    return rc;
}

static int cast_value(EvCtx *c, const ExprType *et, EvVal v, EvVal *out)
{
    int rc;
    ICorDebugType *t = NULL;
    if (!strcmp(et->name, "object") && !et->nranks) {
        *out = v;
        out->is_lvalue = 0;
        if (!c->object_type_ && ev_find_type(c, "object", NULL, 0, &c->object_type_) != 0) c->object_type_ = NULL;
        out->decl = c->object_type_;
        return 0;
    }
    if (ev_type_from_expr(c, et, &t) != 0) return -1;
    CorElementType to = prim_of_type(c, t);
    char want_name[64];
    ev_type_name(c, t, want_name, sizeof want_name);
    int want_decimal = !strcmp(want_name, "decimal");
    /* C# has no conversion between string and a value type, nor from bool to decimal
     * (CS0030), whatever the value. */
    if (!v.is_null && !v.is_type &&
        ((known_string(c, &v) && ((to && to != ELEMENT_TYPE_STRING) || want_decimal)) ||
         (to == ELEMENT_TYPE_STRING && (ev_is_primitive(v.et) || v.et == ELEMENT_TYPE_VALUETYPE) && !static_is(c, &v, "object")) ||
         (v.et == ELEMENT_TYPE_BOOLEAN && want_decimal))) {
        char tn[128];
        type_text(c, &v, tn, sizeof tn);
        return ev_fail(c, "CS0030: Cannot convert type '%s' to '%s'", tn, et->name);
    }
    /* Unboxing: the boxed value first. */
    if (v.v && !ev_is_primitive(v.et) && !v.is_null && (to || want_decimal || ev_is_enum(c, t))) {
        int null = 0;
        ICorDebugValue *o = ev_deref(c, v.v, &null);
        CorElementType oet = 0;
        if (o) COM(o, GetType, &oet);
        if (o && (ev_is_primitive(oet) || oet == ELEMENT_TYPE_VALUETYPE)) {
            EvVal u;
            if (ev_from_value(c, o, &u) == 0) {
                /* Unboxing needs the boxed type itself (or an enum's underlying type,
                 * or an enum over it): (long)(object)17 throws InvalidCastException. */
                CorElementType have = ev_is_primitive(u.et) ? u.et : 0;
                int ok = v.et == ELEMENT_TYPE_VALUETYPE || /* a struct itself, not a box */
                         is_enum_val(c, &u) || ev_is_enum(c, t) ||  /* enums: not checked here */
                         (have && to ? have == to : (want_decimal && is_decimal(c, &u)));
                if (!ok) {
                    char have_n[128];
                    type_text(c, &u, have_n, sizeof have_n);
                    c->threw = 1;
                    return ev_fail(c, "System.InvalidCastException: Unable to cast object of type '%s' to type '%s'.",
                                   have_n, want_name);
                }
                v = u;
            }
        }
    }
    if (static_is(c, &v, "object") && !v.v && ev_is_primitive(v.et) && to && to != v.et) {
        /* A number cordbg boxed ((object)17): unboxing needs exactly its type. */
        c->threw = 1;
        return ev_fail(c, "System.InvalidCastException: Unable to cast object of type '%s' to type '%s'.",
                       et_name(v.et), want_name);
    }
    v.decl = NULL;      /* what follows converts the value itself */
    if (decimal_cast(c, &v, t, to, out, &rc)) return rc;
    if (to && to != ELEMENT_TYPE_STRING) {
        if (v.is_null) return ev_fail(c, "CS0037: Cannot convert null to '%s' because it is a non-nullable value type", et->name);
        if (v.et == ELEMENT_TYPE_BOOLEAN || to == ELEMENT_TYPE_BOOLEAN) {
            if (v.et == to) { *out = v; return 0; }
            char tn[128];
            type_text(c, &v, tn, sizeof tn);
            return ev_fail(c, "CS0030: Cannot convert type '%s' to '%s'", tn, et->name);
        }
        if (!num_et(c, &v)) {
            char tn[128];
            type_text(c, &v, tn, sizeof tn);
            c->threw = v.v != NULL;
            return ev_fail(c, c->threw ? "System.InvalidCastException: Unable to cast object of type '%s' to type '%s'."
                                       : "Cannot convert type '%s' to '%s'", tn, et->name);
        }
        if (v.is_const && to != ELEMENT_TYPE_R4 && to != ELEMENT_TYPE_R8) {
            /* A constant out of the target's range: the compiler refuses it (CS0221)
             * unless unchecked, where a real folds to 0 and an integer keeps its low bits. */
            int saved = c->checked;
            c->checked = 1;
            int fit = convert_num(c, &v, to, out);
            c->checked = saved;
            if (fit == 0) return 0;
            c->threw = 0;
            if (c->explicit_unchecked) {
                if (is_float_val(&v)) { set_prim(out, to, 0, 0); return 0; }
                return convert_num(c, &v, to, out);
            }
            char text[64];
            if (is_float_val(&v)) snprintf(text, sizeof text, "%.17g", v.d);
            else snprintf(text, sizeof text, is_signed(v.et) ? "%lld" : "%llu", (long long)v.bits);
            return ev_fail(c, "CS0221: Constant value '%s' cannot be converted to a '%s' (use 'unchecked' syntax to override)", text, et->name);
        }
        return convert_num(c, &v, to, out);
    }
    if (ev_is_enum(c, t)) {
        if (!num_et(c, &v)) return ev_fail(c, "Cannot convert to '%s'", et->name);
        memset(out, 0, sizeof *out);
        out->et = ELEMENT_TYPE_VALUETYPE;
        out->type = t;
        out->bits = v.bits;
        return 0;
    }
    if (v.is_null) { *out = v; out->type = t; return 0; }
    if (instance_of(c, &v, t) && !v.is_null && (ev_is_primitive(v.et) || v.et == ELEMENT_TYPE_VALUETYPE)) {
        /* A number or struct cast to an interface or a base class: boxed, as C# does. */
        ICorDebugValue *boxed;
        if (ev_box(c, &v, &boxed) != 0 || ev_from_value(c, boxed, out) != 0) return -1;
        out->decl = t;
        return 0;
    }
    if (!instance_of(c, &v, t)) {
        char have[256], want[256];
        type_text(c, &v, have, sizeof have);
        ev_type_name(c, t, want, sizeof want);
        if (v.v) {
            int null = 0;
            ICorDebugValue *o = ev_deref(c, v.v, &null);
            if (o) ev_type_name(c, ev_type_of(c, o), have, sizeof have);
        }
        c->threw = 1;
        return ev_fail(c, "System.InvalidCastException: Unable to cast object of type '%s' to type '%s'.", have, want);
    }
    *out = v;
    out->is_lvalue = 0;
    out->decl = t;
    return 0;
}

/* A string cordbg made becomes an object in the program before any home is looked up:
 * making it runs an evaluation, which would make the home stale. */
static int prepare_source(EvCtx *c, EvVal *v)
{
    if (v->v || v->is_null || v->et != ELEMENT_TYPE_STRING) return 0;
    ICorDebugValue *mv;
    if (ev_materialize(c, v, NULL, &mv) != 0 || ev_from_value(c, ev_pin(c, mv), v) != 0) return -1;
    return 0;
}

/* Assign `value` to what `lhs` names. */
static int assign_to(EvCtx *c, const Expr *lhs, EvVal *value)
{
    if (prepare_source(c, value) != 0) return -1;
    size_t mark = ev_hold(c, value);
    int rc;
    if (lhs->kind == EX_MEMBER) {
        EvVal obj, cur;
        rc = eval(c, lhs->a, &obj);
        if (rc == 0) {
            /* A field (or auto-property's backing field) is written in place; a property
             * otherwise goes through its setter. */
            int saved = c->funceval;
            c->funceval = 0;
            int found = ev_member(c, &obj, lhs->name, &cur);
            c->funceval = saved;
            if (found == 0 && cur.is_lvalue) {
                rc = ev_assign(c, &cur, value);
            } else {
                char *setter = arena_printf(c->arena, "set_%s", lhs->name);
                EvVal ignored;
                rc = ev_call_method(c, &obj, setter, NULL, 0, value, 1, &ignored);
                if (rc != 0 && no_applicable_method(c))
                    rc = ev_fail(c, "Property or indexer '%s' cannot be assigned to -- it is read only", lhs->name);
            }
        }
    } else if (lhs->kind == EX_INDEX) {
        EvVal target;
        rc = eval(c, lhs, &target);
        if (rc == 0 && target.is_lvalue) {
            rc = ev_assign(c, &target, value);
        } else if (rc == 0 || !c->threw) {
            EvVal obj, *args;
            size_t amark;
            rc = eval(c, lhs->a, &obj);
            if (rc == 0) {
                ev_hold(c, &obj);
                rc = eval_args(c, lhs->args, lhs->nargs, &args, &amark);
                if (rc == 0) {
                    EvVal *all = arena_push(c->arena, ((size_t)lhs->nargs + 1) * sizeof *all);
                    if (!all) rc = ev_fail(c, "out of memory");
                    else {
                        memcpy(all, args, (size_t)lhs->nargs * sizeof *all);
                        all[lhs->nargs] = *value;
                        EvVal ignored;
                        rc = ev_call_method(c, &obj, "set_Item", NULL, 0, all, (size_t)lhs->nargs + 1, &ignored);
                    }
                }
            }
        }
    } else if (lhs->kind == EX_NAME) {
        EvVal target;
        rc = eval(c, lhs, &target);
        if (rc == 0 && !target.is_lvalue) rc = ev_fail(c, "'%s' cannot be assigned to", lhs->name);
        else if (rc == 0) rc = ev_assign(c, &target, value);
    } else {
        rc = ev_fail(c, "CS0131: The left-hand side of an assignment must be a variable, property or indexer");
    }
    ev_unhold(c, mark);
    return rc;
}

static int binary(EvCtx *c, int op, EvVal *a, EvVal *b, EvVal *out);

static int assignment(EvCtx *c, const Expr *e, EvVal *out)
{
    if (!c->allow_side_effects) return ev_fail(c, "%s", c->no_writes ? c->no_writes : "assignments are not allowed here (the expression must not change the program)");
    EvVal v;
    if (e->op == '=') {
        if (eval(c, e->b, &v) != 0) return -1;
    } else {
        EvVal cur, rhs;
        if (eval(c, e->a, &cur) != 0) return -1;
        size_t mark = ev_hold(c, &cur);
        if (e->op == OP_COALESCE && !cur.is_null) { ev_unhold(c, mark); *out = cur; return 0; }
        int rc = eval(c, e->b, &rhs);
        if (rc == 0) rc = e->op == OP_COALESCE ? (v = rhs, 0) : binary(c, e->op, &cur, &rhs, &v);
        ev_unhold(c, mark);
        if (rc != 0) return -1;
        /* Compound assignment converts back to the variable's type (C# §12.21.4). */
        CorElementType to = num_et(c, &cur);
        if (to && num_et(c, &v) && ev_is_primitive(cur.et)) {
            EvVal conv;
            if (convert_num(c, &v, cur.et, &conv) == 0) v = conv;
        }
    }
    if (e->a->kind == EX_NAME && num_et(c, &v) && !is_enum_val(c, &v) && !is_float_val(&v) && !is_decimal(c, &v)) {
        /* An integer into a decimal variable: C#'s implicit conversion, made in the
         * program before the variable is looked up for the write. */
        EvVal home, dec;
        if (eval(c, e->a, &home) == 0 && is_decimal(c, &home)) {
            if (to_decimal(c, &v, &dec) != 0) return -1;
            dec.v = ev_pin(c, dec.v);
            v = dec;
        }
        c->err[0] = 0;
    }
    if (!v.is_null && (ev_is_primitive(v.et) || v.et == ELEMENT_TYPE_VALUETYPE) && !static_is(c, &v, "object")) {
        /* A number or struct into a home of a reference type (object o = 5): boxed, as C#
         * does, before the home is looked up for the write (boxing runs in the program). */
        EvVal home;
        size_t mark = ev_hold(c, &v);
        int rc = eval(c, e->a, &home);
        ev_unhold(c, mark);
        ICorDebugType *ht = rc == 0 ? ev_static_type(&home) : NULL;
        CorElementType het = 0;
        if (ht) COM(ht, GetType, &het);
        if (rc == 0 && home.is_lvalue && (het == ELEMENT_TYPE_OBJECT || het == ELEMENT_TYPE_CLASS) &&
            home.decl) {
            ICorDebugValue *boxed;
            if (ev_box(c, &v, &boxed) != 0) return -1;
            EvVal bv = { .v = boxed, .et = ELEMENT_TYPE_CLASS, .type = ev_type_of(c, boxed), .decl = ht };
            v = bv;
        }
        c->err[0] = 0;
        c->threw = 0;
    }
    if (assign_to(c, e->a, &v) != 0) return -1;
    *out = v;
    if (e->a->kind == EX_NAME && ev_is_primitive(v.et)) {
        /* The value of `x = y` is x's after the conversion (`i = c` is 65, not 'A'). */
        EvVal home, conv;
        if (eval(c, e->a, &home) == 0 && ev_is_primitive(home.et) && home.et != v.et && num_et(c, &v) &&
            convert_num(c, &v, home.et, &conv) == 0)
            *out = conv;
        c->err[0] = 0;
        c->threw = 0;
    }
    out->is_lvalue = 0;
    return 0;
}

static int incdec(EvCtx *c, const Expr *e, EvVal *out)
{
    if (!c->allow_side_effects) return ev_fail(c, "%s", c->no_writes ? c->no_writes : "increments are not allowed here (the expression must not change the program)");
    EvVal cur, one, next;
    if (eval(c, e->a, &cur) != 0) return -1;
    if (!num_et(c, &cur) || !ev_is_primitive(cur.et)) return ev_fail(c, "CS0023: Operator '%s' cannot be applied to this operand", e->op == OP_PREINC || e->op == OP_POSTINC ? "++" : "--");
    set_prim(&one, ELEMENT_TYPE_I4, 1, 0);
    int up = e->op == OP_PREINC || e->op == OP_POSTINC;
    if (arith(c, up ? '+' : '-', &cur, &one, &next) != 0) return -1;
    EvVal conv;
    if (convert_num(c, &next, cur.et, &conv) != 0) return -1;
    EvVal old = cur;
    size_t mark = ev_hold(c, &old);
    int rc = assign_to(c, e->a, &conv);
    ev_unhold(c, mark);
    if (rc != 0) return -1;
    *out = (e->op == OP_POSTINC || e->op == OP_POSTDEC) ? old : conv;
    out->is_lvalue = 0;
    return 0;
}

static const char *op_method(int op)
{
    switch (op) {
    case '+': return "op_Addition";
    case '-': return "op_Subtraction";
    case '*': return "op_Multiply";
    case '/': return "op_Division";
    case '%': return "op_Modulus";
    case '&': return "op_BitwiseAnd";
    case '|': return "op_BitwiseOr";
    case '^': return "op_ExclusiveOr";
    case '<': return "op_LessThan";
    case '>': return "op_GreaterThan";
    case OP_LE: return "op_LessThanOrEqual";
    case OP_GE: return "op_GreaterThanOrEqual";
    case OP_EQ: return "op_Equality";
    case OP_NE: return "op_Inequality";
    default: return NULL;
    }
}

/* C#'s error for an operator with no applicable overload (code: "CS0019") or with two
 * equally good ones (CS0034: a signed integer with a ulong). */
static int operands_error(EvCtx *c, const char *code, int op, const EvVal *a, const EvVal *b)
{
    char x[128], y[128];
    type_text(c, a, x, sizeof x);
    type_text(c, b, y, sizeof y);
    if (a->is_null) snprintf(x, sizeof x, "<null>");
    if (b->is_null) snprintf(y, sizeof y, "<null>");
    if (!strcmp(code, "CS0034"))
        return ev_fail(c, "CS0034: Operator '%s' is ambiguous on operands of type '%s' and '%s'", expr_op_text(op), x, y);
    return ev_fail(c, "%s: Operator '%s' cannot be applied to operands of type '%s' and '%s'", code, expr_op_text(op), x, y);
}


static int binary(EvCtx *c, int op, EvVal *a, EvVal *b, EvVal *out)
{
    const char *opm = op_method(op);
    /* Lifted operators (C# §12.4.8) on Nullable<T>: the operator of T on the values; an
     * operand without one makes the result null (false for < > <= >=), and == and !=
     * compare null-ness. */
    {
        int ha = 1, hb = 1;
        EvVal ia, ib;
        int na = nullable_parts(c, a, &ha, &ia), nb = nullable_parts(c, b, &hb, &ib);
        if (na || nb) {
            EvVal *x = na ? &ia : a, *y = nb ? &ib : b;
            int xn = na ? !ha : x->is_null, yn = nb ? !hb : y->is_null;
            if (op == OP_EQ || op == OP_NE) {
                if (xn || yn) { set_bool(out, op == OP_EQ ? xn && yn : !(xn && yn)); return 0; }
                return binary(c, op, x, y, out);
            }
            /* The operator must exist for T (checked on the values, whatever they are). */
            if (!(xn || yn)) return binary(c, op, x, y, out);
            if (x->is_null || y->is_null || (!num_et(c, x) && x->et != ELEMENT_TYPE_BOOLEAN) ||
                (!num_et(c, y) && y->et != ELEMENT_TYPE_BOOLEAN))
                return operands_error(c, "CS0019", op, a, b);
            if (op == '<' || op == '>' || op == OP_LE || op == OP_GE) { set_bool(out, 0); return 0; }
            memset(out, 0, sizeof *out);
            out->is_null = 1;
            return 0;
        }
    }
    /* null with a number: the lifted operator of int? (`nul?.Length > 0`, `null + 1`): null,
     * or false for < > <= >=. */
    if (op != OP_EQ && op != OP_NE && !a->is_type && !b->is_type && (a->is_null || b->is_null) &&
        !(a->is_null && b->is_null) && num_et(c, a->is_null ? b : a) && !static_is(c, a->is_null ? b : a, "object") &&
        op != OP_ANDAND && op != OP_OROR) {
        if (op == '<' || op == '>' || op == OP_LE || op == OP_GE) { set_bool(out, 0); return 0; }
        memset(out, 0, sizeof *out);
        out->is_null = 1;
        return 0;
    }
    /* An operand whose static type is object has only object's operators: == and != as
     * reference equality, + with a string; C# rejects the rest (CS0019) whatever the
     * object holds. */
    if ((static_is(c, a, "object") || static_is(c, b, "object")) && op != OP_EQ && op != OP_NE &&
        !(op == '+' && ((is_string(a) && !static_is(c, a, "object")) || (is_string(b) && !static_is(c, b, "object")))))
        return operands_error(c, "CS0019", op, a, b);
    /* decimal has no operator with float or double (neither converts implicitly to the
     * other), and no bitwise or shift operators: C# rejects these (CS0019). */
    if ((is_decimal(c, a) || is_decimal(c, b)) &&
        (is_float_val(a) || is_float_val(b) || op == '&' || op == '|' || op == '^' ||
         op == OP_SHL || op == OP_SHR || op == OP_USHR))
        return operands_error(c, "CS0019", op, a, b);
    /* A signed integer with a ulong: every candidate operator fits equally (CS0034) for
     * arithmetic and comparisons; for & | ^ the bool operators are candidates too and
     * none applies (CS0019). */
    if (num_et(c, a) && num_et(c, b) && !promote(num_et(c, a), num_et(c, b)) &&
        !is_enum_val(c, a) && !is_enum_val(c, b) && op != OP_SHL && op != OP_SHR && op != OP_USHR)
        return operands_error(c, op == '&' || op == '|' || op == '^' ? "CS0019" : "CS0034", op, a, b);
    /* Decimal and user-defined operators run in the program. */
    if (opm && (is_decimal(c, a) || is_decimal(c, b)) && num_et(c, a) + num_et(c, b) > 0) {
        EvVal da, db;
        size_t mark = ev_hold(c, a);
        ev_hold(c, b);
        int rc = to_decimal(c, a, &da);
        if (rc == 0) { ev_hold(c, &da); rc = to_decimal(c, b, &db); }
        if (rc == 0) { ev_hold(c, &db); rc = user_operator(c, opm, &da, &db, out, &rc) ? rc : ev_fail(c, "no decimal operator"); }
        ev_unhold(c, mark);
        return rc;
    }
    int rc;
    if (opm && !(op == OP_EQ || op == OP_NE) && user_operator(c, opm, a, b, out, &rc)) return rc;
    if ((op == OP_EQ || op == OP_NE) && !a->is_null && !b->is_null && a->type && !ev_is_primitive(a->et) &&
        !is_string(a) && !is_enum_val(c, a) && user_operator(c, opm, a, b, out, &rc)) return rc;
    switch (op) {
    case '+':
        if (is_string(a) || is_string(b)) {
            char *x, *y;
            size_t lx, ly;
            size_t mark = ev_hold(c, a);
            ev_hold(c, b);
            int r = concat_text(c, a, &x, &lx);
            if (r == 0) r = concat_text(c, b, &y, &ly);
            ev_unhold(c, mark);
            if (r != 0) return -1;
            memset(out, 0, sizeof *out);
            out->et = ELEMENT_TYPE_STRING;
            out->str = arena_printf(c->arena, "%.*s%.*s", (int)lx, x, (int)ly, y);
            out->len = lx + ly;
            return 0;
        }
        /* fall through */
    case '-': case '*': case '/': case '%':
        if (!num_et(c, a) || !num_et(c, b)) break;
        if ((is_enum_val(c, a) && (op == '+' || op == '-') && !is_enum_val(c, b)) ||
            (op == '+' && is_enum_val(c, b) && !is_enum_val(c, a))) {
            /* E + U, U + E and E - U are of the enum type (C# §12.10.5). */
            ICorDebugType *t = is_enum_val(c, a) ? a->type : b->type;
            if (arith(c, op, a, b, out) != 0) return -1;
            set_enum(c, out, t, out->bits);
            return 0;
        }
        return arith(c, op, a, b, out);
    case '&': case '|': case '^':
        if (a->et == ELEMENT_TYPE_BOOLEAN && b->et == ELEMENT_TYPE_BOOLEAN) {
            int x = a->bits != 0, y = b->bits != 0;
            set_bool(out, op == '&' ? x & y : op == '|' ? x | y : x ^ y);
            return 0;
        }
        if (!num_et(c, a) || !num_et(c, b) || a->et == ELEMENT_TYPE_R4 || a->et == ELEMENT_TYPE_R8 ||
            b->et == ELEMENT_TYPE_R4 || b->et == ELEMENT_TYPE_R8) break;
        if ((is_enum_val(c, a) && (is_enum_val(c, b) || (b->is_const && !b->bits))) ||
            (is_enum_val(c, b) && a->is_const && !a->bits)) {
            /* E op E, and E op 0 (the constant 0 converts to any enum). */
            ICorDebugType *t = is_enum_val(c, a) ? a->type : b->type;
            uint64_t r = op == '&' ? a->bits & b->bits : op == '|' ? a->bits | b->bits : a->bits ^ b->bits;
            set_enum(c, out, t, r);
            return 0;
        }
        return arith(c, op, a, b, out);
    case OP_SHL: case OP_SHR: case OP_USHR: {
        CorElementType t = num_et(c, a);
        if (!t || !num_et(c, b) || t == ELEMENT_TYPE_R4 || t == ELEMENT_TYPE_R8) break;
        /* the count is an int: only types that convert to int implicitly qualify */
        switch (b->et) {
        case ELEMENT_TYPE_I1: case ELEMENT_TYPE_U1: case ELEMENT_TYPE_I2: case ELEMENT_TYPE_U2:
        case ELEMENT_TYPE_I4: case ELEMENT_TYPE_CHAR: break;
        default: return operands_error(c, "CS0019", op, a, b);
        }
        if (t != ELEMENT_TYPE_U4 && t != ELEMENT_TYPE_I8 && t != ELEMENT_TYPE_U8) t = ELEMENT_TYPE_I4;
        EvVal x;
        convert_num(c, a, t, &x);
        int wide = t == ELEMENT_TYPE_I8 || t == ELEMENT_TYPE_U8;
        unsigned n = (unsigned)(b->bits & (wide ? 63 : 31));
        uint64_t r;
        if (op == OP_SHL) r = x.bits << n;
        else if (op == OP_USHR || !is_signed(t)) r = (wide ? x.bits : (x.bits & 0xffffffffu)) >> n;
        else r = (uint64_t)((int64_t)x.bits >> n);
        set_prim(out, t, r, 0);
        return 0;
    }
    case OP_EQ: case OP_NE: {
        int eq = 0;
        if (equals(c, a, b, &eq) != 0) {
            if (op == OP_NE && !strncmp(c->err, "CS0019: Operator '=='", 20)) {
                char *p = strstr(c->err, "==");
                if (p) p[0] = '!';
            }
            return -1;
        }
        set_bool(out, op == OP_EQ ? eq : !eq);
        return 0;
    }
    case '<': case '>': case OP_LE: case OP_GE: {
        CorElementType t = promote(num_et(c, a), num_et(c, b));
        if (!num_et(c, a) || !num_et(c, b) || !t) break;
        int r;
        if (t == ELEMENT_TYPE_R4 || t == ELEMENT_TYPE_R8) {
            double x = as_double(a), y = as_double(b);
            r = op == '<' ? x < y : op == '>' ? x > y : op == OP_LE ? x <= y : x >= y;
        } else {
            EvVal x, y;
            convert_num(c, a, t, &x);
            convert_num(c, b, t, &y);
            if (is_signed(t)) {
                int64_t p = (int64_t)x.bits, q = (int64_t)y.bits;
                r = op == '<' ? p < q : op == '>' ? p > q : op == OP_LE ? p <= q : p >= q;
            } else {
                uint64_t p = x.bits, q = y.bits;
                r = op == '<' ? p < q : op == '>' ? p > q : op == OP_LE ? p <= q : p >= q;
            }
        }
        set_bool(out, r);
        return 0;
    }
    default: break;
    }
    return operands_error(c, "CS0019", op, a, b);
}

/* C#'s unary numeric promotion: the small integers become int; the rest stay as they are. */
static CorElementType unary_promote(CorElementType t)
{
    switch (t) {
    case ELEMENT_TYPE_I1: case ELEMENT_TYPE_U1: case ELEMENT_TYPE_I2: case ELEMENT_TYPE_U2: case ELEMENT_TYPE_CHAR:
        return ELEMENT_TYPE_I4;
    default: return t;
    }
}

static int unary_value(EvCtx *c, const Expr *e, EvVal v, EvVal *out);

static int unary(EvCtx *c, const Expr *e, EvVal *out)
{
    if (e->op == OP_PREINC || e->op == OP_PREDEC || e->op == OP_POSTINC || e->op == OP_POSTDEC) return incdec(c, e, out);
    EvVal v;
    if (eval(c, e->a, &v) != 0) return -1;
    int rc = unary_value(c, e, v, out);
    if (rc == 0) out->is_const = v.is_const && !out->v;
    return rc;
}

static int unary_value(EvCtx *c, const Expr *e, EvVal v, EvVal *out)
{
    int has;
    EvVal inner;
    if (nullable_parts(c, &v, &has, &inner)) {
        /* Lifted: the operator of T on the value; null without one. */
        if (!has && (num_et(c, &inner) || inner.et == ELEMENT_TYPE_BOOLEAN)) {
            memset(out, 0, sizeof *out);
            out->is_null = 1;
            return 0;
        }
        v = inner;
    }
    if (static_is(c, &v, "object")) {
        char tn[128];
        type_text(c, &v, tn, sizeof tn);
        return ev_fail(c, "CS0023: Operator '%s' cannot be applied to operand of type '%s'", expr_op_text(e->op), tn);
    }
    CorElementType t = num_et(c, &v);
    if ((e->op == '-' || e->op == '+') && is_decimal(c, &v)) {
        /* decimal's own operators, run in the program */
        int rc;
        size_t mark = ev_hold(c, &v);
        if (!user_operator(c, e->op == '-' ? "op_UnaryNegation" : "op_UnaryPlus", &v, NULL, out, &rc))
            rc = ev_fail(c, "CS0023: Operator '%c' cannot be applied to operand of type 'decimal'", e->op);
        ev_unhold(c, mark);
        return rc;
    }
    switch (e->op) {
    case '!': {
        int b;
        if (to_bool(c, &v, &b) != 0) return ev_fail(c, "CS0023: Operator '!' cannot be applied to operand of type '%s'", et_name(v.et));
        set_bool(out, !b);
        return 0;
    }
    case '+':
        if (!t) break;
        if (t == ELEMENT_TYPE_R4 || t == ELEMENT_TYPE_R8) { *out = v; out->v = NULL; out->is_lvalue = 0; return 0; }
        return convert_num(c, &v, unary_promote(t), out);
    case '-': {
        if (!t) break;
        if (t == ELEMENT_TYPE_R4 || t == ELEMENT_TYPE_R8) { set_prim(out, t, 0, -v.d); return 0; }
        if (t == ELEMENT_TYPE_U8) return ev_fail(c, "CS0023: Operator '-' cannot be applied to operand of type 'ulong'");
        /* -x is 0 - x in x's promoted type; a uint's is a long. */
        EvVal zero;
        set_prim(&zero, t == ELEMENT_TYPE_U4 ? ELEMENT_TYPE_I8 : unary_promote(t), 0, 0);
        return arith(c, '-', &zero, &v, out);
    }
    case '~': {
        if (!t || t == ELEMENT_TYPE_R4 || t == ELEMENT_TYPE_R8) break;
        CorElementType p = unary_promote(t);
        EvVal x;
        convert_num(c, &v, p, &x);
        if (is_enum_val(c, &v)) { set_enum(c, out, v.type, ~v.bits); return 0; }
        set_prim(out, p, ~x.bits, 0);
        return 0;
    }
    default: break;
    }
    char tn[128];
    type_text(c, &v, tn, sizeof tn);
    return ev_fail(c, "CS0023: Operator '%s' cannot be applied to operand of type '%s'", expr_op_text(e->op), tn);
}

static int new_array(EvCtx *c, const Expr *e, EvVal *out)
{
    ICorDebugType *elem = NULL;
    EvVal *items = NULL;
    size_t imark = c->nholds_;
    if (e->nitems || !e->nargs) {
        if (eval_args(c, e->items, e->nitems, &items, &imark) != 0) return -1;
    }
    if (e->type) {
        if (ev_type_from_expr(c, e->type, &elem) != 0) { ev_unhold(c, imark); return -1; }
    } else if (e->nitems) {
        /* new[] { ... }: the element type of the first item. */
        ICorDebugValue *mv;
        if (ev_materialize(c, &items[0], NULL, &mv) != 0) { ev_unhold(c, imark); return -1; }
        elem = ev_type_of(c, mv);
    }
    if (!elem) { ev_unhold(c, imark); return ev_fail(c, "CS0826: No best type found for implicitly-typed array"); }
    uint32_t rank = e->nargs ? (uint32_t)e->nargs : 1, dims[32];
    if (rank > 32) { ev_unhold(c, imark); return ev_fail(c, "too many dimensions"); }
    for (uint32_t d = 0; d < rank; d++) {
        if (e->nargs) {
            EvVal n, conv;
            if (eval(c, e->args[d], &n) != 0 || convert_num(c, &n, ELEMENT_TYPE_I8, &conv) != 0) { ev_unhold(c, imark); return ev_fail(c, "array size must be a number"); }
            if ((int64_t)conv.bits < 0) { c->threw = 1; ev_unhold(c, imark); return ev_fail(c, "System.OverflowException: Arithmetic operation resulted in an overflow."); }
            dims[d] = (uint32_t)conv.bits;
        } else {
            dims[d] = (uint32_t)e->nitems;
        }
    }
    for (int i = 0; i < e->nitems; i++)
        if (prepare_source(c, &items[i]) != 0) { ev_unhold(c, imark); return -1; }
    ICorDebugValue *arr;
    if (ev_new_array(c, elem, rank, dims, &arr) != 0) { ev_unhold(c, imark); return -1; }
    arr = ev_pin(c, arr);
    for (int i = 0; i < e->nitems; i++) {
        int null = 0;
        ICorDebugValue *o = ev_deref(c, arr, &null);
        ICorDebugArrayValue *av = NULL;
        ICorDebugValue *slot = NULL;
        if (!o || FAILED(COM(o, QueryInterface, &IID_ICorDebugArrayValue, (void **)&av)) || !av) break;
        ev_keep(c, av);
        if (FAILED(COM(av, GetElementAtPosition, (ULONG32)i, &slot)) || !slot) break;
        ev_keep(c, slot);
        EvVal dst;
        if (ev_from_value(c, slot, &dst) != 0) break;
        dst.is_lvalue = 1;
        if (ev_assign(c, &dst, &items[i]) != 0) { ev_unhold(c, imark); return -1; }
    }
    ev_unhold(c, imark);
    return ev_from_value(c, arr, out);
}

/* The type C# gives an element of a tuple literal: its static type, or a literal's keyword type. */
static ICorDebugType *natural_type(EvCtx *c, const EvVal *v)
{
    ICorDebugType *t = ev_static_type(v);
    if (t) return t;
    const char *kw = ev_keyword_of_et(v->et);
    if (!kw || v->is_null || v->is_type) return NULL;
    if (ev_find_type(c, kw, NULL, 0, &t) != 0) return NULL;
    return t;
}

/* (a, b, ...): a System.ValueTuple made by its constructor, with the elements' names. */
static int tuple_literal(EvCtx *c, const Expr *e, EvVal *out)
{
    if (e->nitems > 7) return ev_fail(c, "tuples of more than 7 elements are not supported in cordbg expressions");
    EvVal *items;
    size_t mark;
    if (eval_args(c, e->items, e->nitems, &items, &mark) != 0) return -1;
    ICorDebugType *targs[7];
    ExprType dummy[7], *dp[7];
    for (int i = 0; i < e->nitems; i++) {
        targs[i] = natural_type(c, &items[i]);
        if (!targs[i]) {
            ev_unhold(c, mark);
            return ev_fail(c, "CS8135: Tuple with %d elements cannot be converted to type 'object'", e->nitems);
        }
        memset(&dummy[i], 0, sizeof dummy[i]);
        dummy[i].name = "int";
        dummy[i].is_keyword = 1;
        dp[i] = &dummy[i];
    }
    /* ValueTuple`n itself, instantiated with the elements' types. */
    ICorDebugType *any, *tt = NULL;
    int rc = ev_find_type(c, "System.ValueTuple", dp, e->nitems, &any);
    if (rc == 0) {
        const MdMeta *md;
        uint32_t rid;
        ICorDebugClass *cls = ev_class_of_type(c, any);
        Module *m = cls ? ev_module_of_class(c, cls, &md, &rid) : NULL;
        tt = m ? ev_typedef_type(c, m, rid, targs, (size_t)e->nitems) : NULL;
        if (!tt) rc = ev_fail(c, "System.ValueTuple is not loaded");
    }
    for (int i = 0; rc == 0 && i < e->nitems; i++) rc = prepare_source(c, &items[i]);
    if (rc == 0) rc = ev_new_instance(c, tt, items, (size_t)e->nitems, out);
    ev_unhold(c, mark);
    if (rc != 0) return -1;
    int named = 0;
    for (int i = 0; i < e->nitems; i++) named |= e->names[i] != NULL;
    if (named) {
        out->tuple_names = (const char **)e->names;
        out->ntuple_names = (uint32_t)e->nitems;
    }
    return 0;
}

/* The text of one hole of an interpolated string: ToString(format) of the value (run in
 * the program for a format), padded to the alignment. */
static int hole_text(EvCtx *c, EvVal *v, const char *format, int align, StrBuf *out)
{
    char *text = NULL;
    size_t len = 0;
    if (v->is_null) {
        text = "";
    } else if (format && *format && !is_string(v)) {
        ICorDebugValue *target = v->v;
        if (ev_is_primitive(v->et) || v->et == ELEMENT_TYPE_VALUETYPE) {
            if (ev_box(c, v, &target) != 0) return -1;
        } else if (!target && ev_materialize(c, v, NULL, &target) != 0) {
            return -1;
        }
        EvVal obj = { .v = target, .et = ELEMENT_TYPE_CLASS, .type = ev_type_of(c, target) }, res;
        EvVal fmt = { .et = ELEMENT_TYPE_STRING, .str = format, .len = strlen(format) };
        size_t mark = ev_hold(c, &obj);
        int rc = prepare_source(c, &fmt);
        if (rc == 0) rc = ev_call_method(c, &obj, "ToString", NULL, 0, &fmt, 1, &res);
        ev_unhold(c, mark);
        if (rc != 0 && !c->threw) {
            /* Not IFormattable: string.Format ignores the format, and so does cordbg. */
            c->err[0] = 0;
            if (concat_text(c, v, &text, &len) != 0) return -1;
        } else if (rc != 0 || ev_string_of(c, &res, &text, &len) != 0) {
            return -1;
        }
    } else if (concat_text(c, v, &text, &len) != 0) {
        return -1;
    }
    if (!len) len = strlen(text);
    size_t chars = 0;
    for (size_t i = 0; i < len; i++) chars += ((unsigned char)text[i] & 0xC0) != 0x80;
    size_t width = (size_t)(align < 0 ? -(long)align : align);
    if (align > 0) for (size_t i = chars; i < width; i++) sb_putc(out, ' ');
    sb_printf(out, "%.*s", (int)len, text);
    if (align < 0) for (size_t i = chars; i < width; i++) sb_putc(out, ' ');
    return 0;
}

/* $"...": the pieces and the holes' texts joined (C#'s string.Format, piece by piece). */
static int interpolated(EvCtx *c, const Expr *e, EvVal *out)
{
    StrBuf b;
    sb_init(&b);
    for (int i = 0; i < e->nitems; i++) {
        EvVal v;
        if (eval(c, e->items[i], &v) != 0 || hole_text(c, &v, e->names[i], e->aligns[i], &b) != 0) { sb_free(&b); return -1; }
    }
    memset(out, 0, sizeof *out);
    out->et = ELEMENT_TYPE_STRING;
    out->len = b.len;
    out->str = arena_strndup(c->arena, b.data ? b.data : "", b.len);
    sb_free(&b);
    return out->str ? 0 : ev_fail(c, "out of memory");
}

/* rec with { A = v }: the record's <Clone>$ copy, then the members set in the copy (the
 * backing field of an init-only property, or its setter); the original is left alone. */
static int with_expression(EvCtx *c, const Expr *e, EvVal *out)
{
    EvVal obj;
    if (eval(c, e->a, &obj) != 0) return -1;
    if (obj.is_null) { c->threw = 1; return ev_fail(c, NRE); }
    if (obj.et == ELEMENT_TYPE_VALUETYPE || ev_is_primitive(obj.et))
        return ev_fail(c, "with expressions on structs are not supported in cordbg expressions");
    EvVal clone;
    if (ev_call_method(c, &obj, "<Clone>$", NULL, 0, NULL, 0, &clone) != 0) {
        if (c->threw) return -1;
        char tn[256];
        type_text(c, &obj, tn, sizeof tn);
        return ev_fail(c, "CS8858: The receiver type '%s' is not a valid record type and is not a struct type.", tn);
    }
    clone.v = ev_pin(c, clone.v);
    size_t mark = ev_hold(c, &clone);
    for (int i = 0; i < e->nitems; i++) {
        EvVal v, cur;
        if (eval(c, e->items[i], &v) != 0 || prepare_source(c, &v) != 0) { ev_unhold(c, mark); return -1; }
        size_t vm = ev_hold(c, &v);
        int saved = c->funceval;
        c->funceval = 0;
        int found = ev_member(c, &clone, e->names[i], &cur);
        c->funceval = saved;
        int rc;
        if (found == 0 && cur.is_lvalue) {
            rc = ev_assign(c, &cur, &v);
        } else {
            char *setter = arena_printf(c->arena, "set_%s", e->names[i]);
            EvVal ignored;
            c->err[0] = 0;
            rc = ev_call_method(c, &clone, setter, NULL, 0, &v, 1, &ignored);
            if (rc != 0 && !c->threw)
                rc = ev_fail(c, "CS0117: '%s' does not contain a definition for '%s'", "the record", e->names[i]);
        }
        ev_unhold(c, vm);
        if (rc != 0) { ev_unhold(c, mark); return -1; }
    }
    ev_unhold(c, mark);
    return ev_from_value(c, clone.v, out);
}

/* typeof(T): the program's own System.Type for T (Type.GetType of its assembly-qualified
 * name), so that it compares and shows as the program's; a type name when it cannot be had. */
static int type_object(EvCtx *c, ICorDebugType *t, EvVal *out)
{
    memset(out, 0, sizeof *out);
    out->is_type = 1;
    out->type = t;
    if (!c->funceval) return 0;
    const MdMeta *md;
    uint32_t rid;
    ICorDebugClass *cls = ev_class_of_type(c, t);
    Module *m = cls ? ev_module_of_class(c, cls, &md, &rid) : NULL;
    CorElementType et = 0;
    COM(t, GetType, &et);
    if (!m || et == ELEMENT_TYPE_ARRAY || et == ELEMENT_TYPE_SZARRAY) return 0;
    ICorDebugTypeEnum *te = NULL;
    ULONG ntargs = 0;
    if (SUCCEEDED(COM(t, EnumerateTypeParameters, &te)) && te) {
        COM(te, GetCount, &ntargs);
        COM0(te, Release);
    }
    if (ntargs) return 0;    /* generic instantiations: their names need the arguments' too */
    char name[1024] = "";
    for (uint32_t k = rid; k; k = md_enclosing_type(md, k)) {
        char part[512];
        const char *ns = md_string(md, md_get(md, MD_T_TypeDef, k, MD_TypeDef_Namespace));
        const char *n = md_string(md, md_get(md, MD_T_TypeDef, k, MD_TypeDef_Name));
        uint32_t outer = md_enclosing_type(md, k);
        snprintf(part, sizeof part, "%s%s%s%s%s", !outer && *ns ? ns : "", !outer && *ns ? "." : "", n, *name ? "+" : "", name);
        snprintf(name, sizeof name, "%s", part);
    }
    char *aqn = arena_printf(c->arena, "%s, %s", name, evh_module_name(c, m));
    ICorDebugType *type_t;
    char saved[sizeof c->err];
    memcpy(saved, c->err, sizeof saved);
    if (!aqn || ev_find_type(c, "System.Type", NULL, 0, &type_t) != 0) { memcpy(c->err, saved, sizeof saved); return 0; }
    EvVal tv = { .is_type = 1, .type = type_t }, arg = { .et = ELEMENT_TYPE_STRING, .str = aqn, .len = strlen(aqn) }, res;
    if (prepare_source(c, &arg) != 0 || ev_call_method(c, &tv, "GetType", NULL, 0, &arg, 1, &res) != 0 || res.is_null) {
        c->threw = 0;
        memcpy(c->err, saved, sizeof saved);
        return 0;
    }
    *out = res;
    return 0;
}

/* nameof(x), nameof(a.b), nameof(List<int>): the last name, checked to exist where cordbg
 * can look it up (a simple name). 1 when e is a nameof call (*rc its result). */
static int name_of(EvCtx *c, const Expr *e, EvVal *out, int *rc)
{
    if (e->a->kind != EX_NAME || strcmp(e->a->name, "nameof") || e->nargs != 1) return 0;
    const Expr *x = e->args[0];
    if (x->kind != EX_NAME && x->kind != EX_MEMBER) {
        *rc = ev_fail(c, "CS8081: Expression does not have a name.");
        return 1;
    }
    if (x->kind == EX_NAME) {
        EvVal probe;
        if (lookup_name(c, x, &probe) != 0) { *rc = -1; return 1; }
    }
    memset(out, 0, sizeof *out);
    out->et = ELEMENT_TYPE_STRING;
    out->str = x->name;
    out->len = strlen(x->name);
    out->is_const = 1;
    *rc = 0;
    return 1;
}

static int eval(EvCtx *c, const Expr *e, EvVal *out)
{
    memset(out, 0, sizeof *out);
    switch (e->kind) {
    case EX_LITERAL: return literal(c, &e->lit, out);
    case EX_NAME: return lookup_name(c, e, out);
    case EX_THIS: case EX_BASE:
        if (c->scope_this) return ev_from_value(c, c->scope_this, out);
        return ev_this(c, out);
    case EX_MEMBER: return member_access(c, e, out);
    case EX_INDEX: return index_access(c, e, out);
    case EX_CALL: {
        int rc;
        if (name_of(c, e, out, &rc)) return rc;
        return call(c, e, out);
    }
    case EX_TUPLE: return tuple_literal(c, e, out);
    case EX_INTERP: return interpolated(c, e, out);
    case EX_WITH: return with_expression(c, e, out);
    case EX_NEW: {
        ICorDebugType *t;
        if (ev_type_from_expr(c, e->type, &t) != 0) return -1;
        EvVal *args;
        size_t mark;
        if (eval_args(c, e->args, e->nargs, &args, &mark) != 0) return -1;
        int rc = ev_new_instance_args(c, t, args, arg_info(c, e), (size_t)e->nargs, out);
        ev_unhold(c, mark);
        return rc;
    }
    case EX_NEW_ARRAY: return new_array(c, e, out);
    case EX_UNARY: return unary(c, e, out);
    case EX_BINARY: {
        EvVal a, b;
        if (eval(c, e->a, &a) != 0) return -1;
        if (e->op == OP_ANDAND || e->op == OP_OROR) {
            /* && and || exist for bool only: C# rejects others with CS0019 (without
             * evaluating the right side here, which may have effects). */
            int x, y;
            if (a.et != ELEMENT_TYPE_BOOLEAN || a.is_null || a.is_type) {
                char tn[128];
                type_text(c, &a, tn, sizeof tn);
                return ev_fail(c, "CS0019: Operator '%s' cannot be applied to an operand of type '%s'", expr_op_text(e->op), tn);
            }
            if (to_bool(c, &a, &x) != 0) return -1;
            if (e->op == OP_ANDAND ? !x : x) { set_bool(out, x); return 0; }
            if (eval(c, e->b, &b) != 0) return -1;
            if (b.et != ELEMENT_TYPE_BOOLEAN || b.is_null || b.is_type) return operands_error(c, "CS0019", e->op, &a, &b);
            if (to_bool(c, &b, &y) != 0) return -1;
            set_bool(out, y);
            return 0;
        }
        if (e->op == OP_COALESCE) {
            int has;
            EvVal inner;
            if (nullable_parts(c, &a, &has, &inner)) {
                /* a ?? b on a Nullable<T>: its value when it has one (of type T). */
                if (has) { *out = inner; return 0; }
                return eval(c, e->b, out);
            }
            if (!a.is_null) { *out = a; return 0; }
            return eval(c, e->b, out);
        }
        size_t mark = ev_hold(c, &a);
        int rc = eval(c, e->b, &b);
        if (rc == 0) { ev_hold(c, &b); rc = binary(c, e->op, &a, &b, out); }
        ev_unhold(c, mark);
        out->is_lvalue = 0;
        if (rc == 0) out->is_const = a.is_const && b.is_const && !out->v;
        return rc;
    }
    case EX_CONDITIONAL: {
        EvVal cond;
        int b;
        if (eval(c, e->a, &cond) != 0 || to_bool(c, &cond, &b) != 0) return -1;
        return eval(c, b ? e->b : e->c, out);
    }
    case EX_ASSIGN: return assignment(c, e, out);
    case EX_IS: case EX_AS: {
        EvVal v;
        if (eval(c, e->a, &v) != 0) return -1;
        if (e->kind == EX_IS && !e->type) { set_bool(out, e->negated ? !v.is_null : v.is_null); return 0; }
        ICorDebugType *t;
        if (ev_type_from_expr(c, e->type, &t) != 0) return -1;
        int is = instance_of(c, &v, t);
        if (e->kind == EX_IS) { set_bool(out, e->negated ? !is : is); return 0; }
        if (is) { *out = v; out->is_lvalue = 0; }
        else out->is_null = 1;
        return 0;
    }
    case EX_CAST: return cast(c, e, out);
    case EX_TYPEOF: {
        ICorDebugType *t;
        if (ev_type_from_expr(c, e->type, &t) != 0) return -1;
        return type_object(c, t, out);
    }
    case EX_SIZEOF: {
        static const struct { const char *n; int size; } sizes[] = {
            { "bool", 1 }, { "byte", 1 }, { "sbyte", 1 }, { "char", 2 }, { "short", 2 }, { "ushort", 2 },
            { "int", 4 }, { "uint", 4 }, { "float", 4 }, { "long", 8 }, { "ulong", 8 }, { "double", 8 },
            { "decimal", 16 }, { "nint", 8 }, { "nuint", 8 },
        };
        for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++)
            if (e->type->is_keyword && !e->type->nranks && !e->type->nullable && !strcmp(e->type->name, sizes[i].n)) {
                set_prim(out, ELEMENT_TYPE_I4, (uint64_t)sizes[i].size, 0);
                return 0;
            }
        ICorDebugType *t;
        if (ev_type_from_expr(c, e->type, &t) != 0) return -1;
        ICorDebugValue *v;
        CorElementType et = 0;
        COM(t, GetType, &et);
        if (et != ELEMENT_TYPE_VALUETYPE) return ev_fail(c, "CS0208: Cannot take the size of a managed type ('%s')", e->type->name);
        if (ev_create_value(c, t, &v) != 0) return -1;
        ULONG32 size = 0;
        COM(v, GetSize, &size);
        set_prim(out, ELEMENT_TYPE_I4, size, 0);
        return 0;
    }
    case EX_DEFAULT: {
        if (!e->type) { out->is_null = 1; return 0; }
        ICorDebugType *t;
        if (ev_type_from_expr(c, e->type, &t) != 0) return -1;
        CorElementType p = prim_of_type(c, t);
        if (p && p != ELEMENT_TYPE_STRING) { set_prim(out, p, 0, 0); return 0; }
        CorElementType et = 0;
        COM(t, GetType, &et);
        if (et == ELEMENT_TYPE_VALUETYPE) {
            /* A struct's default: a zeroed instance in the program (boxed, then its
             * inside), whose fields read as any struct's. */
            ICorDebugValue *v;
            ICorDebugClass *cls = ev_class_of_type(c, t);
            ICorDebugType *targs[16];
            ULONG n = 0;
            ICorDebugTypeEnum *te = NULL;
            if (SUCCEEDED(COM(t, EnumerateTypeParameters, &te)) && te) {
                COM(te, Next, 16, targs, &n);
                COM0(te, Release);
                for (ULONG k = 0; k < n; k++) ev_keep(c, targs[k]);
            }
            if (cls && ev_new_object_nc(c, cls, targs, n, &v) == 0) {
                int null = 0;
                ICorDebugValue *inside = ev_deref(c, ev_pin(c, v), &null);
                if (inside && ev_from_value(c, inside, out) == 0) return 0;
            }
            c->threw = 0;
            if (ev_create_value(c, t, &v) != 0) return -1;
            return ev_from_value(c, v, out);
        }
        out->is_null = 1;
        out->type = t;
        return 0;
    }
    case EX_CHECKED: {
        int saved = c->checked, saved_u = c->explicit_unchecked;
        c->checked = e->checked;
        c->explicit_unchecked = !e->checked;
        int rc = eval(c, e->a, out);
        c->checked = saved;
        c->explicit_unchecked = saved_u;
        return rc;
    }
    case EX_TYPE: {
        ICorDebugType *t;
        if (ev_type_from_expr(c, e->type, &t) != 0) return -1;
        out->is_type = 1;
        out->type = t;
        return 0;
    }
    }
    return ev_fail(c, "unsupported expression");
}

int ev_eval_expr(EvCtx *c, const Expr *e, EvVal *out)
{
    c->threw = 0;
    return eval(c, e, out);
}

int ev_evaluate(EvCtx *c, const char *text, EvVal *out)
{
    ExprError err;
    Expr *e = expr_parse(c->arena, text, &err);
    if (!e) {
        expr_error_text(&err, c->err, sizeof c->err);
        return -1;
    }
    return ev_eval_expr(c, e, out);
}

int ev_evaluate_spec(EvCtx *c, const char *text, EvVal *out, const char **spec)
{
    ExprError err;
    *spec = NULL;
    Expr *e = expr_parse_with_spec(c->arena, text, spec, &err);
    if (!e) {
        expr_error_text(&err, c->err, sizeof c->err);
        return -1;
    }
    const char *f = *spec;
    if (f && strcmp(f, "h") && strcmp(f, "x") && strcmp(f, "nq") && strcmp(f, "d") && strcmp(f, "raw") && strcmp(f, "results"))
        return ev_fail(c, "unknown format specifier '%s' (h, x, d, nq, raw, results)", f);
    if (ev_eval_expr(c, e, out) != 0) return -1;
    if (f && (!strcmp(f, "h") || !strcmp(f, "x"))) c->hex = 1;
    if (f && !strcmp(f, "d")) c->hex = 0;
    /* raw: the object's own members, no proxy or DebuggerDisplay; getters still run (VS). */
    if (f && !strcmp(f, "raw")) c->raw = 1;
    /* results: an IEnumerable's items (its Results View), as VS's specifier. */
    if (f && !strcmp(f, "results")) {
        if (!ev_has_results_view(c, out)) return ev_fail(c, "'results' needs an object that implements IEnumerable");
        out->view = EV_VIEW_RESULTS;
    }
    return 0;
}

int ev_condition(EvCtx *c, const char *text)
{
    EvVal v;
    if (ev_evaluate(c, text, &v) != 0) return -1;
    int b;
    if (to_bool(c, &v, &b) != 0) return -1;
    return b;
}

/* ---------------------------------------------------------------- assignment */

/* C#'s implicit numeric conversions (§10.2.3): may a `from` convert to `to` without a cast? */
static int implicit_numeric(CorElementType from, CorElementType to)
{
    if (from == to) return 1;
    int real = to == ELEMENT_TYPE_R4 || to == ELEMENT_TYPE_R8;
    switch (from) {
    case ELEMENT_TYPE_I1: return to == ELEMENT_TYPE_I2 || to == ELEMENT_TYPE_I4 || to == ELEMENT_TYPE_I8 || to == ELEMENT_TYPE_I || real;
    case ELEMENT_TYPE_U1: return to == ELEMENT_TYPE_I2 || to == ELEMENT_TYPE_U2 || to == ELEMENT_TYPE_I4 || to == ELEMENT_TYPE_U4 ||
                                 to == ELEMENT_TYPE_I8 || to == ELEMENT_TYPE_U8 || to == ELEMENT_TYPE_I || to == ELEMENT_TYPE_U || real;
    case ELEMENT_TYPE_I2: return to == ELEMENT_TYPE_I4 || to == ELEMENT_TYPE_I8 || to == ELEMENT_TYPE_I || real;
    case ELEMENT_TYPE_U2: case ELEMENT_TYPE_CHAR:
        return (from == ELEMENT_TYPE_CHAR && to == ELEMENT_TYPE_U2) || to == ELEMENT_TYPE_I4 || to == ELEMENT_TYPE_U4 ||
               to == ELEMENT_TYPE_I8 || to == ELEMENT_TYPE_U8 || to == ELEMENT_TYPE_I || to == ELEMENT_TYPE_U || real;
    case ELEMENT_TYPE_I4: return to == ELEMENT_TYPE_I8 || to == ELEMENT_TYPE_I || real;
    case ELEMENT_TYPE_U4: return to == ELEMENT_TYPE_I8 || to == ELEMENT_TYPE_U8 || to == ELEMENT_TYPE_U || real;
    case ELEMENT_TYPE_I8: case ELEMENT_TYPE_U8: return real;
    case ELEMENT_TYPE_I: return to == ELEMENT_TYPE_I8 || real;
    case ELEMENT_TYPE_U: return to == ELEMENT_TYPE_U8 || real;
    case ELEMENT_TYPE_R4: return to == ELEMENT_TYPE_R8;
    default: return 0;
    }
}

/* May a constant of type `from` convert implicitly to `to` (§10.2.11: an int constant to
 * a smaller integer type, a long one to ulong, when the value fits)? */
static int implicit_constant(CorElementType from, CorElementType to)
{
    if (from == ELEMENT_TYPE_I4)
        return to == ELEMENT_TYPE_I1 || to == ELEMENT_TYPE_U1 || to == ELEMENT_TYPE_I2 || to == ELEMENT_TYPE_U2 ||
               to == ELEMENT_TYPE_U4 || to == ELEMENT_TYPE_U8;
    return from == ELEMENT_TYPE_I8 && to == ELEMENT_TYPE_U8;
}

int ev_assign(EvCtx *c, const EvVal *dst, const EvVal *src)
{
    if (!dst->v || !dst->is_lvalue) return ev_fail(c, "CS0131: The left-hand side of an assignment must be a variable, property or indexer");
    char b[96];
    if (ev_is_primitive(dst->et)) {
        EvVal conv;
        if (src->et == ELEMENT_TYPE_BOOLEAN || dst->et == ELEMENT_TYPE_BOOLEAN) {
            if (src->et != dst->et) {
                char tn[128];
                type_text(c, src, tn, sizeof tn);
                return ev_fail(c, "CS0029: Cannot implicitly convert type '%s' to '%s'", tn, et_name(dst->et));
            }
            conv = *src;
        } else {
            EvVal s = *src;
            if (s.v && !ev_is_primitive(s.et) && !s.is_null) {
                int null = 0;
                ICorDebugValue *o = ev_deref(c, s.v, &null);
                if (o) ev_from_value(c, o, &s);       /* a boxed number */
            }
            if (!num_et(c, &s)) {
                char tn[128];
                type_text(c, src, tn, sizeof tn);
                return ev_fail(c, "CS0029: Cannot implicitly convert type '%s' to '%s'", tn, et_name(dst->et));
            }
            /* Only C#'s implicit conversions: `c = by` (byte to char) needs a cast. A
             * constant converts when its value fits (checked below). */
            if (src->v == s.v && !implicit_numeric(is_enum_val(c, &s) ? 0 : s.et, dst->et) &&
                !(src->is_const && implicit_constant(s.et, dst->et))) {
                char tn[128];
                type_text(c, src, tn, sizeof tn);
                return ev_fail(c, "CS0266: Cannot implicitly convert type '%s' to '%s'. An explicit conversion exists (are you missing a cast?)",
                               tn, et_name(dst->et));
            }
            int saved = c->checked;
            c->checked = 1;             /* a value that does not fit is refused, not wrapped */
            int rc = convert_num(c, &s, dst->et, &conv);
            c->checked = saved;
            if (rc != 0) {
                c->threw = 0;
                char tn[128];
                type_text(c, src, tn, sizeof tn);
                if (src->is_const && !is_float_val(&s))
                    return ev_fail(c, is_signed(s.et) ? "CS0031: Constant value '%lld' cannot be converted to a '%s'"
                                                      : "CS0031: Constant value '%llu' cannot be converted to a '%s'",
                                   (long long)s.bits, et_name(dst->et));
                return ev_fail(c, "Constant value cannot be converted to a '%s' (the value does not fit)", et_name(dst->et));
            }
        }
        uint8_t bytes[8];
        if (dst->et == ELEMENT_TYPE_R4) { float f = (float)conv.d; memcpy(bytes, &f, 4); }
        else if (dst->et == ELEMENT_TYPE_R8) memcpy(bytes, &conv.d, 8);
        else for (int i = 0; i < 8; i++) bytes[i] = (uint8_t)(conv.bits >> (8 * i));
        ICorDebugGenericValue *gv = NULL;
        if (FAILED(COM(dst->v, QueryInterface, &IID_ICorDebugGenericValue, (void **)&gv)) || !gv)
            return ev_fail(c, "this variable cannot be written");
        HRESULT hr = COM(gv, SetValue, bytes);
        COM0(gv, Release);
        return FAILED(hr) ? ev_fail(c, "cannot write the variable: %s", clr_hr_str(hr, b, sizeof b)) : 0;
    }
    if (dst->et == ELEMENT_TYPE_VALUETYPE && dst->type && ev_is_enum(c, dst->type)) {
        if (!is_enum_val(c, src) && !(num_et(c, src) && src->bits == 0)) {
            char tn[128], dn[128];
            type_text(c, src, tn, sizeof tn);
            ev_type_name(c, dst->type, dn, sizeof dn);
            return ev_fail(c, "CS0029: Cannot implicitly convert type '%s' to '%s'", tn, dn);
        }
        EvVal under;
        int saved = c->funceval;
        c->funceval = 0;
        int rc = ev_member(c, dst, "value__", &under);
        c->funceval = saved;
        if (rc != 0) return -1;
        EvVal num = *src;
        num.et = under.et;
        num.type = NULL;
        return ev_assign(c, &under, &num);
    }
    if (dst->et == ELEMENT_TYPE_VALUETYPE) {
        char dn[256], sn[256];
        ev_type_name(c, dst->type, dn, sizeof dn);
        size_t dl = strlen(dn);
        if (dl && dn[dl - 1] == '?') {
            /* Nullable<T>: set hasValue, and value from the source. */
            EvVal has, val;
            int saved = c->funceval;
            c->funceval = 0;
            int rc = ev_member(c, dst, "hasValue", &has);
            if (rc == 0) rc = ev_member(c, dst, "value", &val);
            c->funceval = saved;
            if (rc != 0) return -1;
            EvVal t, f;
            set_bool(&t, 1);
            set_bool(&f, 0);
            if (src->is_null) return ev_assign(c, &has, &f);
            if (ev_assign(c, &val, src) != 0) return -1;
            return ev_assign(c, &has, &t);
        }
        if (!src->v) return ev_fail(c, "CS0029: Cannot implicitly convert this value to '%s'", dn);
        ev_val_type_name(c, src, sn, sizeof sn);
        if (strcmp(dn, sn)) return ev_fail(c, "CS0029: Cannot implicitly convert type '%s' to '%s'", sn, dn);
        return ev_assign_struct(c, dst, src);
    }
    /* References: point the home at the source's object. */
    ICorDebugReferenceValue *rv = NULL;
    if (FAILED(COM(dst->v, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&rv)) || !rv)
        return ev_fail(c, "this variable cannot be written");
    ev_keep(c, rv);
    CORDB_ADDRESS addr = 0;
    if (!src->is_null) {
        if (ev_is_primitive(src->et)) {
            char dn[128];
            ev_type_name(c, dst->type, dn, sizeof dn);
            return ev_fail(c, "CS0029: Cannot implicitly convert type '%s' to '%s'", et_name(src->et), dn);
        }
        if (static_is(c, src, "object") && src->decl && dst->decl && !static_is(c, dst, "object")) {
            char dn[256];
            ev_type_name(c, dst->decl, dn, sizeof dn);
            return ev_fail(c, "CS0266: Cannot implicitly convert type 'object' to '%s'. An explicit conversion exists (are you missing a cast?)", dn);
        }
        if (src->v && !ev_is_primitive(src->et) && ev_static_type(dst)) {
            /* The source's object must be of the variable's type. */
            EvVal probe = *src;
            if (!instance_of(c, &probe, ev_static_type(dst))) {
                char dn[256], sn[256];
                ev_type_name(c, ev_static_type(dst), dn, sizeof dn);
                int null = 0;
                ICorDebugValue *o = ev_deref(c, src->v, &null);
                ev_type_name(c, o ? ev_type_of(c, o) : NULL, sn, sizeof sn);
                return ev_fail(c, "CS0029: Cannot implicitly convert type '%s' to '%s'", sn, dn);
            }
        }
        ICorDebugValue *sv;
        EvVal keep = *src;
        size_t mark = ev_hold(c, &keep);
        if (!keep.v) { ev_unhold(c, mark); return ev_fail(c, "internal error: the value was not moved into the program first"); }
        int rc = ev_materialize(c, &keep, NULL, &sv);
        ev_unhold(c, mark);
        if (rc != 0) return -1;
        ICorDebugReferenceValue *srv = NULL;
        if (FAILED(COM(sv, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&srv)) || !srv)
            return ev_fail(c, "cannot take the value's address");
        COM(srv, GetValue, &addr);
        COM0(srv, Release);
    }
    HRESULT hr = COM(rv, SetValue, addr);
    return FAILED(hr) ? ev_fail(c, "cannot write the reference: %s", clr_hr_str(hr, b, sizeof b)) : 0;
}
