/* Types and methods by name, as an expression names them: type look-up through the loaded
 * modules (namespaces of the frame's method first), overload resolution by argument types,
 * calls through function evaluation, and moving values made by cordbg into the program
 * (arguments, assignments). */
#include "eval/eval.h"
#include "base/utf.h"
#include "meta/sig.h"
#include "meta/pdb.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MD_STATIC = 0x0010 };

/* ---------------------------------------------------------------- types */

/* Does TypeDef rid of md have the full name `full` (dotted, nesting with dots) and
 * generic arity `arity`? */
static int typedef_matches(const MdMeta *md, uint32_t rid, const char *full, int arity)
{
    const char *name = md_string(md, md_get(md, MD_T_TypeDef, rid, MD_TypeDef_Name));
    size_t n = strcspn(name, "`");
    int have_arity = name[n] ? atoi(name + n + 1) : 0;
    size_t flen = strlen(full);
    /* The simple name first: cheap, and rules out nearly every row. */
    if (flen < n || strncmp(full + flen - n, name, n) || (flen > n && full[flen - n - 1] != '.')) return 0;
    uint32_t outer = md_enclosing_type(md, rid);
    if (have_arity != arity && !(outer && arity == 0)) {
        /* A nested type of a generic type counts the outer type's parameters too. */
        if (!outer || have_arity > arity) return 0;
    }
    size_t rest = flen > n ? flen - n - 1 : 0;
    if (outer) {
        if (!rest) return 0;
        char prefix[512];
        if (rest >= sizeof prefix) return 0;
        memcpy(prefix, full, rest);
        prefix[rest] = 0;
        return typedef_matches(md, outer, prefix, 0) || typedef_matches(md, outer, prefix, arity);
    }
    const char *ns = md_string(md, md_get(md, MD_T_TypeDef, rid, MD_TypeDef_Namespace));
    return strlen(ns) == rest && !strncmp(full, ns, rest);
}

/* The loaded type with that full name and arity, instantiated with args (may be NULL). */
static ICorDebugType *type_by_full_name(EvCtx *c, const char *full, ICorDebugType **args, int nargs)
{
    for (size_t i = 0; i < evh_nmodules(c); i++) {
        Module *m = evh_module_at(c, i);
        PdbModule *sym = evh_module_symbols(c, m, 1);
        if (!sym) continue;
        const MdMeta *md = &pdb_module_image(sym)->md;
        uint32_t rows = md_rows(md, MD_T_TypeDef);
        for (uint32_t r = 1; r <= rows; r++) {
            if (!typedef_matches(md, r, full, nargs)) continue;
            ICorDebugType *t = ev_typedef_type(c, m, r, args, (size_t)nargs);
            if (t) return t;
        }
    }
    return NULL;
}

/* Namespaces to try for a simple name: the frame method's namespace and its parents, its
 * enclosing types, then System. */
int ev_find_type(EvCtx *c, const char *name, ExprType *const *targs, int ntargs, ICorDebugType **out)
{
    ICorDebugType *args[16];
    *out = NULL;
    if (ntargs > 16) return ev_fail(c, "too many type arguments");
    for (int i = 0; i < ntargs; i++)
        if (ev_type_from_expr(c, targs[i], &args[i]) != 0) return -1;
    const char *kw = ev_system_name(name);
    if (kw) name = kw;
    if ((*out = type_by_full_name(c, name, args, ntargs))) return 0;
    /* Relative to the frame's method: its type's namespace, outer types and the namespace's parents. */
    const Where *w = ev_where(c);
    Module *m = w ? evh_module_by_id(c, w->module_id) : NULL;
    PdbModule *sym = m ? evh_module_symbols(c, m, 1) : NULL;
    if (sym) {
        const MdMeta *md = &pdb_module_image(sym)->md;
        uint32_t t = md_method_owner(md, w->token & 0x00ffffff);
        char scope[512] = "";
        uint32_t top = t;
        for (uint32_t k = t; k; k = md_enclosing_type(md, k)) top = k;
        snprintf(scope, sizeof scope, "%s", md_string(md, md_get(md, MD_T_TypeDef, top, MD_TypeDef_Namespace)));
        /* Nested types of the method's type and its outer types. */
        for (uint32_t k = t; k; k = md_enclosing_type(md, k)) {
            char tn[512], full[1024];
            md_token_type_name(md, 0x02000000u | k, tn, sizeof tn);
            char *lt = strchr(tn, '<');
            if (lt) *lt = 0;
            snprintf(full, sizeof full, "%s.%s", tn, name);
            if ((*out = type_by_full_name(c, full, args, ntargs))) return 0;
        }
        for (;;) {
            char full[1024];
            snprintf(full, sizeof full, "%s%s%s", scope, scope[0] ? "." : "", name);
            if ((*out = type_by_full_name(c, full, args, ntargs))) return 0;
            char *dot = strrchr(scope, '.');
            if (!scope[0]) break;
            if (dot) *dot = 0; else scope[0] = 0;
        }
        /* The using directives of the method's scope, from the PDB's import scopes. */
        const PdbFile *pdb = pdb_module_pdb(sym);
        uint32_t first, end;
        if (pdb) {
            pdb_method_scopes(pdb, w->token & 0x00ffffff, &first, &end);
            uint32_t imp = first < end ? md_get(&pdb->md, MD_T_LocalScope, first, MD_LocalScope_ImportScope) : 0;
            MdPool pool = { 0 };
            for (int guard = 0; imp && guard < 16; guard++) {
                PdbImport *im;
                uint32_t n;
                if (pdb_imports(pdb, &pool, imp, &im, &n) == 0)
                    for (uint32_t k = 0; k < n; k++) {
                        if (!im[k].target_namespace || im[k].alias) continue;
                        char full[1024];
                        snprintf(full, sizeof full, "%s.%s", im[k].target_namespace, name);
                        if ((*out = type_by_full_name(c, full, args, ntargs))) { md_pool_free(&pool); return 0; }
                    }
                imp = md_get(&pdb->md, MD_T_ImportScope, imp, MD_ImportScope_Parent);
            }
            md_pool_free(&pool);
        }
    }
    char full[1024];
    snprintf(full, sizeof full, "System.%s", name);
    if ((*out = type_by_full_name(c, full, args, ntargs))) return 0;
    return ev_fail(c, "CS0246: The type or namespace name '%s' could not be found", name);
}

int ev_type_from_expr(EvCtx *c, const ExprType *t, ICorDebugType **out)
{
    *out = NULL;
    if (t->pointer) return ev_fail(c, "pointer types are not supported in expressions");
    ICorDebugType *base;
    if (ev_find_type(c, t->name, t->args, t->nargs, &base) != 0) return -1;
    if (t->nullable) {
        ICorDebugType *arg[1] = { base };
        base = type_by_full_name(c, "System.Nullable", arg, 1);
        if (!base) return ev_fail(c, "System.Nullable is not loaded");
    }
    if (t->nranks) {
        /* Arrays need an existing instance to name their type: ICorDebug makes array
         * types only from an element type through an array allocation. */
        return ev_fail(c, "array types are supported only in 'new %s[n]'", t->name);
    }
    *out = base;
    return 0;
}

/* ---------------------------------------------------------------- methods */

/* Can an array argument a be passed for an array of elem? Arrays of value types convert
 * only to arrays of the same type; arrays of references to arrays of object, string or
 * a named class (its bases are not checked: the runtime refuses a wrong one). */
static int array_elem_fits(EvCtx *c, const MdMeta *md, const MdType *elem, const EvVal *a)
{
    ICorDebugType *at = a->type, *et_type = NULL;
    CorElementType have = 0;
    if (!elem) return 0;
    if (elem->kind == MD_TY_VAR || elem->kind == MD_TY_MVAR) return 1;
    if (!at || FAILED(COM(at, GetFirstTypeParameter, &et_type)) || !et_type) return 0;
    ev_keep(c, et_type);
    if (FAILED(COM(et_type, GetType, &have))) return 0;
    int have_ref = have == ELEMENT_TYPE_CLASS || have == ELEMENT_TYPE_STRING || have == ELEMENT_TYPE_OBJECT ||
                   have == ELEMENT_TYPE_SZARRAY || have == ELEMENT_TYPE_ARRAY;
    if (elem->kind == MD_TY_PRIM) {
        if (elem->elem == MD_ET_OBJECT) return have_ref;
        return (CorElementType)elem->elem == have;
    }
    char want[512], got[512];
    if (elem->kind == MD_TY_NAMED || elem->kind == MD_TY_GENERIC) {
        const MdType *named = elem->kind == MD_TY_GENERIC ? elem->inner : elem;
        if (!named) return 0;
        if (!named->valuetype) return have_ref;
        md_token_type_name(md, named->token, want, sizeof want);
        ev_type_name(c, et_type, got, sizeof got);
        char *lt = strchr(want, '<');
        if (lt) *lt = 0;
        lt = strchr(got, '<');
        if (lt) *lt = 0;
        return have == ELEMENT_TYPE_VALUETYPE && !strcmp(want, got);
    }
    if (elem->kind == MD_TY_SZARRAY || elem->kind == MD_TY_ARRAY) return have == ELEMENT_TYPE_SZARRAY || have == ELEMENT_TYPE_ARRAY;
    return 0;
}

int ev_declares_interface(EvCtx *c, ICorDebugType *t, const char *name, const char *full)
{
    ICorDebugClass *cls = ev_class_of_type(c, t);
    const MdMeta *md;
    uint32_t rid;
    if (!cls || !ev_module_of_class(c, cls, &md, &rid)) return 0;
    uint32_t rows = md_rows(md, MD_T_InterfaceImpl);
    for (uint32_t r = 1; r <= rows; r++) {
        if (md_get(md, MD_T_InterfaceImpl, r, MD_InterfaceImpl_Class) != rid) continue;
        char iname[1024], stripped[512];
        md_token_type_name(md, md_coded_token(MD_CI_TypeDefOrRef, md_get(md, MD_T_InterfaceImpl, r, MD_InterfaceImpl_Interface)),
                           iname, sizeof iname);
        snprintf(stripped, sizeof stripped, "%s", iname);
        char *lt = strchr(stripped, '<');
        if (lt) *lt = 0;
        if (!strcmp(stripped, name) && (!full || !strcmp(iname, full))) return 1;
    }
    return 0;
}

/* Does a's type implement the interface (or generic class) p names? Proven from metadata or
 * refused: the runtime does not check a funceval's arguments, so a wrong guess would run the
 * callee on an object of another type. Generic interfaces match when their arguments are the
 * same text, or are the method's own type parameters (inferred later). */
static int iface_fits(EvCtx *c, const MdMeta *md, const MdType *p, const EvVal *a)
{
    const MdType *named = p->kind == MD_TY_GENERIC ? p->inner : p;
    if (!named || named->kind != MD_TY_NAMED) return 0;
    char want[512], want_full[1024];
    md_token_type_name(md, named->token, want, sizeof want);
    char *lt = strchr(want, '<');
    if (lt) *lt = 0;
    int open = 0;
    if (p->kind == MD_TY_GENERIC)
        for (uint32_t i = 0; i < p->nargs; i++)
            if (p->args[i]->kind == MD_TY_VAR || p->args[i]->kind == MD_TY_MVAR) open = 1;
    md_type_name(md, p, NULL, want_full, sizeof want_full);
    if (a->et == ELEMENT_TYPE_SZARRAY || a->et == ELEMENT_TYPE_ARRAY) {
        static const char *plain[] = { "System.Collections.IEnumerable", "System.Collections.ICollection",
                                       "System.Collections.IList", "System.ICloneable", "System.Array" };
        static const char *generic[] = { "System.Collections.Generic.IEnumerable", "System.Collections.Generic.ICollection",
                                         "System.Collections.Generic.IList", "System.Collections.Generic.IReadOnlyList",
                                         "System.Collections.Generic.IReadOnlyCollection" };
        if (p->kind != MD_TY_GENERIC) {
            for (size_t i = 0; i < sizeof plain / sizeof *plain; i++) if (!strcmp(want, plain[i])) return 1;
            return 0;
        }
        for (size_t i = 0; i < sizeof generic / sizeof *generic; i++)
            if (!strcmp(want, generic[i])) return p->nargs == 1 && a->et == ELEMENT_TYPE_SZARRAY && array_elem_fits(c, md, p->args[0], a);
        return 0;
    }
    ICorDebugType *cur = a->type;
    if (a->v) {
        int null = 0;
        ICorDebugValue *o = ev_deref(c, a->v, &null);
        if (o) cur = ev_type_of(c, o);
    }
    for (int depth = 0; cur && depth < 32; depth++) {
        if (ev_declares_interface(c, cur, want, p->kind != MD_TY_GENERIC || open ? NULL : want_full)) return 1;
        ICorDebugType *b = NULL;
        if (FAILED(COM(cur, GetBase, &b)) || !b) break;
        cur = ev_keep(c, b);
    }
    return 0;
}

/* How well an argument fits a parameter: -1 not at all, higher is better. */
static int arg_fit(EvCtx *c, const MdMeta *md, const MdType *p, const EvVal *a)
{
    if (p->kind == MD_TY_VAR || p->kind == MD_TY_MVAR) return 1;
    if (p->kind == MD_TY_BYREF) return -1;
    if (p->kind == MD_TY_PRIM) {
        uint8_t e = p->elem;
        if (e == MD_ET_OBJECT) return 1;
        if (e == MD_ET_STRING) return a->et == ELEMENT_TYPE_STRING ? 4 : (a->is_null && !ev_is_primitive(a->et) ? 2 : -1);
        if (!ev_is_primitive(a->et) || a->is_null) return -1;
        if ((CorElementType)e == a->et) return 4;
        /* Implicit numeric conversions (C# §10.2.3). */
        static const char *widen[] = {
            [ELEMENT_TYPE_I1] = "\x06\x08\x0a\x0c\x0d",
            [ELEMENT_TYPE_U1] = "\x06\x07\x08\x09\x0a\x0b\x0c\x0d",
            [ELEMENT_TYPE_I2] = "\x08\x0a\x0c\x0d",
            [ELEMENT_TYPE_U2] = "\x08\x09\x0a\x0b\x0c\x0d",
            [ELEMENT_TYPE_I4] = "\x0a\x0c\x0d",
            [ELEMENT_TYPE_U4] = "\x0a\x0b\x0c\x0d",
            [ELEMENT_TYPE_I8] = "\x0c\x0d",
            [ELEMENT_TYPE_U8] = "\x0c\x0d",
            [ELEMENT_TYPE_CHAR] = "\x07\x08\x09\x0a\x0b\x0c\x0d",
            [ELEMENT_TYPE_R4] = "\x0d",
        };
        if ((size_t)a->et < sizeof widen / sizeof *widen && widen[a->et] && strchr(widen[a->et], e)) return 2;
        return -1;
    }
    if (p->kind == MD_TY_NAMED || p->kind == MD_TY_GENERIC || p->kind == MD_TY_SZARRAY || p->kind == MD_TY_ARRAY) {
        if (a->is_null && !ev_is_primitive(a->et)) return (p->kind == MD_TY_NAMED && p->valuetype) ? -1 : 2;
        char want[512], have[512];
        const MdType *named = p->kind == MD_TY_GENERIC ? p->inner : p;
        if (p->kind == MD_TY_SZARRAY || p->kind == MD_TY_ARRAY)
            return (a->et == ELEMENT_TYPE_SZARRAY || a->et == ELEMENT_TYPE_ARRAY) && array_elem_fits(c, md, p->inner, a)
                   ? 2 : -1;
        md_token_type_name(md, named->token, want, sizeof want);
        char *lt = strchr(want, '<');
        if (lt) *lt = 0;
        /* The argument's type or one of its bases by name; interfaces are not checked. */
        ICorDebugType *t = a->type;
        for (int depth = 0; t && depth < 16; depth++) {
            ev_type_name(c, t, have, sizeof have);
            lt = strchr(have, '<');
            if (lt) *lt = 0;
            const char *sys = ev_system_name(have);     /* "decimal" is System.Decimal */
            if (!strcmp(sys ? sys : have, want)) return depth ? 3 : 4;
            ICorDebugType *b = NULL;
            if (FAILED(COM(t, GetBase, &b)) || !b) break;
            t = ev_keep(c, b);
        }
        if (!strcmp(want, "System.Object")) return 1;
        if (!strcmp(want, "System.Decimal") && ev_is_primitive(a->et) && !a->is_null && a->et != ELEMENT_TYPE_R4 &&
            a->et != ELEMENT_TYPE_R8 && a->et != ELEMENT_TYPE_BOOLEAN && a->et != ELEMENT_TYPE_I && a->et != ELEMENT_TYPE_U)
            return 1;
        if (named->valuetype) return -1;   /* a struct parameter takes that struct only */
        if (ev_is_primitive(a->et) && !a->is_null) {
            /* A number for an interface: its System type's (int is IComparable). */
            ICorDebugType *pt;
            EvVal boxed = *a;
            const char *kw = ev_keyword_of_et(a->et);
            if (!kw || ev_find_type(c, kw, NULL, 0, &pt) != 0) { c->err[0] = 0; return -1; }
            boxed.v = NULL;
            boxed.type = pt;
            boxed.et = ELEMENT_TYPE_VALUETYPE;
            return iface_fits(c, md, p, &boxed) ? 0 : -1;
        }
        return iface_fits(c, md, p, a) ? 0 : -1;
    }
    return 0;
}

typedef struct Cand {
    Module *m;
    const MdMeta *md;
    uint32_t rid;
    ICorDebugType *owner;
    int score, is_static, extension;
    uint32_t gen_count;
    MdMethodSig *sig;
} Cand;

/* Candidates named `name` on t and its bases. */
static void collect(EvCtx *c, ICorDebugType *t, const char *name, size_t nargs, int want_static, int want_instance,
                    const EvVal *args, Cand *best, MdPool *pool, ExprType *const *targs, int ntargs)
{
    for (int depth = 0; t && depth < 32; depth++) {
        ICorDebugClass *cls = ev_class_of_type(c, t);
        const MdMeta *md;
        uint32_t rid;
        Module *m = cls ? ev_module_of_class(c, cls, &md, &rid) : NULL;
        if (!m) break;
        uint32_t first, end;
        md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_MethodList, MD_T_MethodDef, &first, &end);
        for (uint32_t k = first; k < end; k++) {
            if (strcmp(md_string(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Name)), name)) continue;
            int is_static = (md_get(md, MD_T_MethodDef, k, MD_MethodDef_Flags) & MD_STATIC) != 0;
            if ((is_static && !want_static) || (!is_static && !want_instance)) continue;
            const uint8_t *p;
            uint32_t len;
            MdMethodSig *sig;
            if (md_blob(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Signature), &p, &len) != 0 ||
                md_decode_method_sig(pool, p, len, &sig) != 0 || sig->nparams != nargs)
                continue;
            if (ntargs && (int)sig->gen_count != ntargs) continue;
            int score = 1;
            for (size_t i = 0; i < nargs && score > 0; i++) {
                int f = arg_fit(c, md, sig->params[i], &args[i]);
                score = f < 0 ? -1 : score + f;
            }
            if (score > best->score) *best = (Cand){ m, md, k, t, score, is_static, 0, sig->gen_count, sig };
        }
        ICorDebugType *base = NULL;
        if (FAILED(COM(t, GetBase, &base)) || !base) break;
        t = ev_keep(c, base);
    }
}

/* Extension methods: static methods of the user's modules whose first parameter fits. */
static void collect_extensions(EvCtx *c, const char *name, const EvVal *args, size_t nargs, Cand *best, MdPool *pool)
{
    for (size_t i = 0; i < evh_nmodules(c); i++) {
        Module *m = evh_module_at(c, i);
        if (!evh_module_user_code(c, m)) continue;
        PdbModule *sym = evh_module_symbols(c, m, 1);
        if (!sym) continue;
        const MdMeta *md = &pdb_module_image(sym)->md;
        uint32_t rows = md_rows(md, MD_T_MethodDef);
        for (uint32_t k = 1; k <= rows; k++) {
            if (!(md_get(md, MD_T_MethodDef, k, MD_MethodDef_Flags) & MD_STATIC)) continue;
            if (strcmp(md_string(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Name)), name)) continue;
            const uint8_t *p;
            uint32_t len;
            MdMethodSig *sig;
            if (md_blob(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Signature), &p, &len) != 0 ||
                md_decode_method_sig(pool, p, len, &sig) != 0 || sig->nparams != nargs || sig->gen_count)
                continue;
            int score = 1;
            for (size_t a = 0; a < nargs && score > 0; a++) {
                int f = arg_fit(c, md, sig->params[a], &args[a]);
                score = f < 0 ? -1 : score + f;
            }
            if (score <= best->score) continue;
            /* Its declaring type as an ICorDebugType (extension classes are not generic). */
            ICorDebugType *t = ev_typedef_type(c, m, md_method_owner(md, k), NULL, 0);
            if (!t) continue;
            *best = (Cand){ m, md, k, t, score, 1, 1, 0, sig };
        }
    }
}

int ev_find_extension_only(EvCtx *c, const char *name)
{
    for (size_t i = 0; i < evh_nmodules(c); i++) {
        Module *m = evh_module_at(c, i);
        PdbModule *sym = evh_module_user_code(c, m) ? evh_module_symbols(c, m, 1) : NULL;
        if (!sym) continue;
        const MdMeta *md = &pdb_module_image(sym)->md;
        uint32_t rows = md_rows(md, MD_T_MethodDef);
        for (uint32_t k = 1; k <= rows; k++)
            if ((md_get(md, MD_T_MethodDef, k, MD_MethodDef_Flags) & MD_STATIC) &&
                !strcmp(md_string(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Name)), name))
                return 1;
    }
    return 0;
}

/* The type's generic arguments, appended to out (kept). */
static size_t type_args_of(EvCtx *c, ICorDebugType *t, ICorDebugType **out, size_t cap)
{
    ICorDebugTypeEnum *en = NULL;
    size_t n = 0;
    if (!t || FAILED(COM(t, EnumerateTypeParameters, &en)) || !en) return 0;
    ICorDebugType *a = NULL;
    ULONG got = 0;
    while (n < cap && SUCCEEDED(COM(en, Next, 1, &a, &got)) && got == 1) out[n++] = ev_keep(c, a);
    COM0(en, Release);
    return n;
}

/* ---------------------------------------------------------------- arguments
 *
 * Every argument handed to ICorDebugEval has exactly the type of the parameter it fills:
 * the runtime copies what it is given into the callee's frame without checking, so an int
 * passed for an object or a long is read as whatever its bits mean there, and the program
 * dies. Primitives are converted to the parameter's type, value types boxed for a reference
 * parameter; anything else that does not fit exactly is refused. */

typedef enum ParamShape { PS_PRIM, PS_REF, PS_VALUE, PS_BAD } ParamShape;

static int is_unsigned_et(CorElementType et)
{
    return et == ELEMENT_TYPE_BOOLEAN || et == ELEMENT_TYPE_CHAR || et == ELEMENT_TYPE_U1 ||
           et == ELEMENT_TYPE_U2 || et == ELEMENT_TYPE_U4 || et == ELEMENT_TYPE_U8 || et == ELEMENT_TYPE_U;
}

/* What kind of value parameter p wants; *prim for PS_PRIM, *vt (when known) for PS_VALUE.
 * Generic parameters are looked up in the call's type arguments: the class's nclass first,
 * then the method's. */
static ParamShape param_shape(EvCtx *c, const MdType *p, ICorDebugType **ta, size_t nclass, size_t nta,
                              CorElementType *prim, ICorDebugType **vt)
{
    *vt = NULL;
    switch (p->kind) {
    case MD_TY_PRIM:
        if (p->elem == MD_ET_OBJECT || p->elem == MD_ET_STRING) return PS_REF;
        if (ev_is_primitive((CorElementType)p->elem)) { *prim = (CorElementType)p->elem; return PS_PRIM; }
        return PS_BAD;
    case MD_TY_NAMED: return p->valuetype ? PS_VALUE : PS_REF;
    case MD_TY_GENERIC: return p->inner && p->inner->valuetype ? PS_VALUE : PS_REF;
    case MD_TY_SZARRAY: case MD_TY_ARRAY: return PS_REF;
    case MD_TY_VAR: case MD_TY_MVAR: {
        size_t k = p->kind == MD_TY_VAR ? p->index : nclass + p->index;
        if (k >= nta || !ta[k]) return PS_BAD;
        CorElementType et = 0;
        if (FAILED(COM(ta[k], GetType, &et))) return PS_BAD;
        if (ev_is_primitive(et)) { *prim = et; return PS_PRIM; }
        if (et == ELEMENT_TYPE_VALUETYPE) {
            /* `int` written as a type argument is the class System.Int32: a primitive here. */
            char name[256];
            ev_type_name(c, ta[k], name, sizeof name);
            CorElementType pet = ev_et_of_keyword(name);
            if (ev_is_primitive(pet)) { *prim = pet; return PS_PRIM; }
            *vt = ta[k];
            return PS_VALUE;
        }
        return PS_REF;
    }
    default: return PS_BAD;
    }
}

/* A primitive's value as the bytes of element type et (a numeric conversion). */
static void prim_bytes(const EvVal *a, CorElementType et, uint8_t b[8])
{
    int from_float = a->et == ELEMENT_TYPE_R4 || a->et == ELEMENT_TYPE_R8;
    double d = from_float ? a->d : is_unsigned_et(a->et) ? (double)a->bits : (double)(int64_t)a->bits;
    memset(b, 0, 8);
    if (et == ELEMENT_TYPE_R8) { memcpy(b, &d, 8); return; }
    if (et == ELEMENT_TYPE_R4) { float f = (float)d; memcpy(b, &f, 4); return; }
    uint64_t bits = from_float ? (uint64_t)(int64_t)a->d : a->bits;
    for (int i = 0; i < 8; i++) b[i] = (uint8_t)(bits >> (8 * i));
}

int ev_box(EvCtx *c, const EvVal *a, ICorDebugValue **out)
{
    ICorDebugType *t = NULL;
    uint8_t prim[8], *bytes = prim;
    ULONG32 size = 0;
    if (ev_is_primitive(a->et)) {
        const char *kw = ev_keyword_of_et(a->et);
        if (!kw || ev_find_type(c, kw, NULL, 0, &t) != 0) return ev_fail(c, "cannot box a value of this type");
        prim_bytes(a, a->et, prim);
    } else {
        if (!a->v || !(t = a->type ? a->type : ev_type_of(c, a->v))) return ev_fail(c, "cannot box this value");
        ICorDebugGenericValue *gv = NULL;
        if (FAILED(COM(a->v, GetSize, &size)) || !size ||
            FAILED(COM(a->v, QueryInterface, &IID_ICorDebugGenericValue, (void **)&gv)) || !gv)
            return ev_fail(c, "cannot box this value: its bytes cannot be read");
        ev_keep(c, gv);
        if (!(bytes = arena_push(c->arena, size))) return ev_fail(c, "out of memory");
        if (FAILED(COM(gv, GetValue, bytes))) return ev_fail(c, "cannot box this value: its bytes cannot be read");
    }
    ICorDebugClass *cls = ev_class_of_type(c, t);
    if (!cls) return ev_fail(c, "cannot box this value: its type has no class");
    ICorDebugType *ta[16];
    size_t nta = type_args_of(c, t, ta, 16);
    ICorDebugValue *ref = NULL;
    if (ev_new_object_nc(c, cls, ta, nta, &ref) != 0) return -1;
    if (!ref) return ev_fail(c, "cannot box this value");
    /* ref -> the box -> the value inside it. */
    ICorDebugReferenceValue *rv = NULL;
    ICorDebugValue *obj = NULL;
    ICorDebugBoxValue *bx = NULL;
    ICorDebugObjectValue *inner = NULL;
    ICorDebugGenericValue *igv = NULL;
    if (FAILED(COM(ref, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&rv)) || !rv ||
        !ev_keep(c, rv) || FAILED(COM(rv, Dereference, &obj)) || !obj || !ev_keep(c, obj) ||
        FAILED(COM(obj, QueryInterface, &IID_ICorDebugBoxValue, (void **)&bx)) || !bx || !ev_keep(c, bx) ||
        FAILED(COM(bx, GetObject, &inner)) || !inner || !ev_keep(c, inner) ||
        FAILED(COM(inner, QueryInterface, &IID_ICorDebugGenericValue, (void **)&igv)) || !igv || !ev_keep(c, igv))
        return ev_fail(c, "cannot box this value: the runtime made no box");
    ULONG32 isize = 0;
    if (FAILED(COM((ICorDebugValue *)inner, GetSize, &isize)) || (size && isize != size) || (!size && isize > 8))
        return ev_fail(c, "cannot box this value: sizes differ");
    char b[96];
    HRESULT hr = COM(igv, SetValue, bytes);
    if (FAILED(hr)) return ev_fail(c, "cannot box this value: %s", clr_hr_str(hr, b, sizeof b));
    /* Pinned by a strong handle to the box: it survives the next argument's evaluation. */
    ICorDebugHeapValue2 *hv = NULL;
    ICorDebugHandleValue *h = NULL;
    if (SUCCEEDED(COM(obj, QueryInterface, &IID_ICorDebugHeapValue2, (void **)&hv)) && hv && ev_keep(c, hv) &&
        SUCCEEDED(COM(hv, CreateHandle, HANDLE_STRONG, &h)) && h && GROW(c->handles_, c->nhandles_, c->caphandles_)) {
        c->handles_[c->nhandles_++] = h;        /* disposed and released by ev_done */
        *out = (ICorDebugValue *)h;
        return 0;
    }
    if (h) { COM0(h, Dispose); COM0(h, Release); }
    *out = ref;
    return 0;
}

/* A type's name made comparable: C# keywords as their System names, generic arguments
 * dropped ("decimal" and "System.Decimal" are one type). In place. */
static void same_type_name(char *name)
{
    char *lt = strchr(name, '<');
    if (lt) *lt = 0;
    const char *sys = ev_system_name(name);
    if (sys) memmove(name, sys, strlen(sys) + 1);   /* callers' buffers (256+) hold any System name */
}

/* Argument a made into exactly what parameter p of the chosen method takes. */
static int marshal_arg(EvCtx *c, const MdMeta *md, const MdType *p, ICorDebugType **ta, size_t nclass,
                       size_t nta, const EvVal *a, ICorDebugValue **out)
{
    CorElementType prim = 0;
    ICorDebugType *vt = NULL;
    char tn[256];
    switch (param_shape(c, p, ta, nclass, nta, &prim, &vt)) {
    case PS_PRIM: {
        if (!ev_is_primitive(a->et) || a->is_null) break;
        if ((prim == ELEMENT_TYPE_BOOLEAN) != (a->et == ELEMENT_TYPE_BOOLEAN)) break;
        if (a->v && a->et == prim) { *out = a->v; return 0; }
        uint8_t bytes[8];
        prim_bytes(a, prim, bytes);
        return ev_create_primitive(c, prim, bytes, out);
    }
    case PS_REF:
        if (!a->is_null && (ev_is_primitive(a->et) || a->et == ELEMENT_TYPE_VALUETYPE)) return ev_box(c, a, out);
        return ev_materialize(c, a, NULL, out);
    case PS_VALUE: {
        char want[512] = "";
        if (vt) ev_type_name(c, vt, want, sizeof want);
        else if (p->kind == MD_TY_NAMED) md_token_type_name(md, p->token, want, sizeof want);
        else md_type_name(md, p, NULL, want, sizeof want);
        same_type_name(want);
        if (a->v && !a->is_null && a->et == ELEMENT_TYPE_VALUETYPE) { *out = a->v; return 0; }   /* arg_fit named it */
        if (a->v && !a->is_null && !ev_is_primitive(a->et)) {
            /* A boxed value of the parameter's type (a decimal made by cordbg): the runtime
             * unboxes it into the parameter. */
            int null = 0;
            ICorDebugValue *o = ev_deref(c, a->v, &null);
            CorElementType oet = 0;
            ICorDebugType *ot = o ? ev_type_of(c, o) : NULL;
            if (ot && SUCCEEDED(COM(o, GetType, &oet)) && oet == ELEMENT_TYPE_VALUETYPE) {
                ev_type_name(c, ot, tn, sizeof tn);
                same_type_name(tn);
                if (!strcmp(tn, want)) { *out = a->v; return 0; }
            }
            break;
        }
        /* An integer for a decimal parameter: C#'s implicit conversion, new decimal(long). */
        if (strcmp(want, "System.Decimal") || !ev_is_primitive(a->et) || a->is_null ||
            a->et == ELEMENT_TYPE_BOOLEAN || a->et == ELEMENT_TYPE_R4 || a->et == ELEMENT_TYPE_R8)
            break;
        ICorDebugType *dt;
        if (ev_find_type(c, "decimal", NULL, 0, &dt) != 0) return -1;
        EvVal wide = *a, dv;
        wide.v = NULL;
        wide.et = is_unsigned_et(a->et) ? ELEMENT_TYPE_U8 : ELEMENT_TYPE_I8;
        if (ev_new_instance(c, dt, &wide, 1, &dv) != 0) return -1;
        *out = dv.v;
        return 0;
    }
    case PS_BAD:
        return ev_fail(c, "cannot pass an argument to a parameter of this kind (by reference, pointer)");
    }
    ev_val_type_name(c, a, tn, sizeof tn);
    return ev_fail(c, "cannot pass a value of type '%s' to this parameter: the call is not made", tn);
}

/* Call a resolved candidate with `self` (NULL for static) and args. */
static int invoke(EvCtx *c, const Cand *cd, const EvVal *self, EvVal *args, size_t nargs,
                  ExprType *const *targs, int ntargs, int is_ctor, EvVal *out)
{
    ICorDebugFunction *fn = NULL;
    if (FAILED(COM(evh_module_iface(c, cd->m), GetFunctionFromToken, 0x06000000u | cd->rid, &fn)) || !fn)
        return ev_fail(c, "cannot find the method's code");
    ev_keep(c, fn);
    ICorDebugType *ta[32];
    size_t nta = type_args_of(c, cd->owner, ta, 16);
    /* Method type arguments: as written, else inferred from the arguments' types. */
    for (uint32_t g = 0; g < cd->gen_count && nta < 32; g++) {
        ICorDebugType *t = NULL;
        if (ntargs) {
            if (ev_type_from_expr(c, targs[g], &t) != 0) return -1;
        } else {
            for (uint32_t p = 0; p < cd->sig->nparams && !t; p++) {
                if (cd->sig->params[p]->kind != MD_TY_MVAR || cd->sig->params[p]->index != g) continue;
                ICorDebugValue *mv;
                if (ev_materialize(c, &args[p], NULL, &mv) != 0) return -1;
                t = ev_type_of(c, mv);
            }
            if (!t) return ev_fail(c, "CS0411: The type arguments for method '%s' cannot be inferred from the usage",
                                   md_string(cd->md, md_get(cd->md, MD_T_MethodDef, cd->rid, MD_MethodDef_Name)));
        }
        ta[nta++] = t;
    }
    ICorDebugValue *argv[33];
    size_t n = 0;
    if (nargs > 32) return ev_fail(c, "too many arguments");
    size_t mark = c->nholds_;
    if (self && !cd->is_static) {
        if (!self->v) return ev_fail(c, "cannot call a method on a value made by cordbg");
        argv[n++] = self->v;
    }
    size_t nclass = nta > cd->gen_count ? nta - cd->gen_count : 0;
    for (size_t i = 0; i < nargs; i++) {
        /* Making an argument may run an evaluation: what was made before must survive it. */
        ev_hold(c, &args[i]);
        if (marshal_arg(c, cd->md, cd->sig->params[i], ta, nclass, nta, &args[i], &argv[n]) != 0) {
            ev_unhold(c, mark);
            return -1;
        }
        /* A box or a string just made is a plain reference: pinned, it survives the next
         * argument's evaluation. */
        if (argv[n] != args[i].v) argv[n] = ev_pin(c, argv[n]);
        if (self && !cd->is_static) argv[0] = self->v;
        n++;
    }
    ev_unhold(c, mark);
    ICorDebugValue *result = NULL;
    int rc = is_ctor ? ev_new_object(c, fn, ta, nta, argv, n, &result) : ev_call(c, fn, ta, nta, argv, n, &result);
    if (rc != 0) return -1;
    memset(out, 0, sizeof *out);
    if (!result) { out->et = ELEMENT_TYPE_VOID; return 0; }
    return ev_from_value(c, result, out);
}

static int resolve_and_invoke(EvCtx *c, ICorDebugType *t, const EvVal *self, const char *name, ExprType *const *targs,
                              int ntargs, EvVal *args, size_t nargs, int is_ctor, EvVal *out)
{
    MdPool pool = { 0 };
    Cand best = { .score = 0 };
    collect(c, t, name, nargs, 1, self != NULL || is_ctor, args, &best, &pool, targs, ntargs);
    if (is_ctor && best.m && best.owner != t) best.m = NULL;      /* constructors are not inherited */
    if (!best.m && self && !is_ctor && self->v) {
        /* An extension method takes the object as its first argument. */
        EvVal *all = arena_push(c->arena, (nargs + 1) * sizeof *all);
        if (!all) { md_pool_free(&pool); return ev_fail(c, "out of memory"); }
        all[0] = *self;
        memcpy(all + 1, args, nargs * sizeof *args);
        collect_extensions(c, name, all, nargs + 1, &best, &pool);
        if (best.m) {
            int rc = invoke(c, &best, NULL, all, nargs + 1, targs, ntargs, 0, out);
            md_pool_free(&pool);
            return rc;
        }
    }
    if (!best.m) {
        md_pool_free(&pool);
        char tn[256];
        ev_type_name(c, t, tn, sizeof tn);
        if (is_ctor) return ev_fail(c, "CS1729: '%s' does not contain a constructor that takes %zu arguments", tn, nargs);
        return ev_fail(c, "CS1501: no overload of '%s.%s' takes %zu argument%s of these types", tn, name, nargs, nargs == 1 ? "" : "s");
    }
    if (best.is_static && self && !is_ctor && !self->is_type) {
        /* An instance expression used to reach a static method: C# refuses (CS0176). */
        md_pool_free(&pool);
        return ev_fail(c, "CS0176: Member '%s' cannot be accessed with an instance reference; qualify it with a type name instead", name);
    }
    int rc = invoke(c, &best, self && !self->is_type ? self : NULL, args, nargs, targs, ntargs, is_ctor, out);
    md_pool_free(&pool);
    return rc;
}

int ev_call_method(EvCtx *c, const EvVal *obj_or_type, const char *name, ExprType *const *targs,
                   int ntargs, EvVal *args, size_t nargs, EvVal *out)
{
    if (!c->allow_side_effects && !c->funceval)
        return ev_fail(c, "function evaluation is off (set eval on)");
    ICorDebugType *t = obj_or_type->type;
    EvVal self = *obj_or_type;
    if (!obj_or_type->is_type) {
        if (obj_or_type->is_null) { c->threw = 1; return ev_fail(c, "System.NullReferenceException: Object reference not set to an instance of an object."); }
        if (!obj_or_type->v) {
            /* A value made by cordbg (a literal, a sum): move it into the program first. */
            ICorDebugValue *mv;
            if (ev_materialize(c, obj_or_type, NULL, &mv) != 0) return -1;
            if (ev_from_value(c, mv, &self) != 0) return -1;
        }
        int null = 0;
        ICorDebugValue *obj = ev_deref(c, self.v, &null);
        if (obj) t = ev_type_of(c, obj);
        /* A primitive's methods are those of its System type (int is System.Int32). */
        CorElementType oet = 0;
        if (obj) COM(obj, GetType, &oet);
        const char *kw = ev_is_primitive(oet) || oet == ELEMENT_TYPE_STRING ? ev_keyword_of_et(oet) : NULL;
        ICorDebugType *pt;
        if (kw && ev_find_type(c, kw, NULL, 0, &pt) == 0) t = pt;
        /* A boxed value's methods are its value type's. */
        if (obj && self.v != obj) {
            CorElementType et = 0;
            COM(obj, GetType, &et);
            if (et == ELEMENT_TYPE_VALUETYPE || ev_is_primitive(et)) self.v = obj;
        }
    }
    if (!t) return ev_fail(c, "the value's type is unknown");
    return resolve_and_invoke(c, t, obj_or_type->is_type ? NULL : &self, name, targs, ntargs, args, nargs, 0, out);
}

int ev_new_instance(EvCtx *c, ICorDebugType *t, EvVal *args, size_t nargs, EvVal *out)
{
    CorElementType et = 0;
    COM(t, GetType, &et);
    if (et == ELEMENT_TYPE_VALUETYPE && nargs == 0) {
        ICorDebugValue *v;
        if (ev_create_value(c, t, &v) != 0) return -1;
        return ev_from_value(c, v, out);
    }
    return resolve_and_invoke(c, t, NULL, ".ctor", NULL, 0, args, nargs, 1, out);
}

int ev_call_getter(EvCtx *c, const EvVal *obj, ICorDebugType *owner, uint32_t getter_token, EvVal *out)
{
    ICorDebugClass *cls = ev_class_of_type(c, owner);
    const MdMeta *md;
    uint32_t rid;
    Module *m = cls ? ev_module_of_class(c, cls, &md, &rid) : NULL;
    if (!m) return ev_fail(c, "cannot find the getter");
    MdPool pool = { 0 };
    const uint8_t *p;
    uint32_t len;
    MdMethodSig *sig = NULL;
    uint32_t k = getter_token & 0x00ffffff;
    if (md_blob(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Signature), &p, &len) == 0)
        md_decode_method_sig(&pool, p, len, &sig);
    Cand cd = { m, md, k, owner, 1, (md_get(md, MD_T_MethodDef, k, MD_MethodDef_Flags) & MD_STATIC) != 0, 0, 0, sig };
    int rc = sig ? invoke(c, &cd, obj, NULL, 0, NULL, 0, 0, out) : ev_fail(c, "bad getter signature");
    md_pool_free(&pool);
    return rc;
}

int ev_to_string(EvCtx *c, const EvVal *v, char **out)
{
    EvVal r;
    size_t len;
    if (ev_call_method(c, v, "ToString", NULL, 0, NULL, 0, &r) != 0) return -1;
    if (r.is_null) { *out = ""; return 0; }
    return ev_string_of(c, &r, out, &len);
}

/* ---------------------------------------------------------------- into the program */

int ev_materialize(EvCtx *c, const EvVal *v, ICorDebugType *want, ICorDebugValue **out)
{
    (void)want;
    if (v->v) { *out = v->v; return 0; }
    if (v->is_type) return ev_fail(c, "a type is not a value");
    if (v->et == ELEMENT_TYPE_STRING && !v->is_null) return ev_new_string(c, v->str ? v->str : "", v->len, out);
    if (v->is_null) return ev_create_null(c, out);
    if (ev_is_primitive(v->et)) {
        uint8_t b[8];
        uint64_t bits = v->bits;
        if (v->et == ELEMENT_TYPE_R4) { float f = (float)v->d; memcpy(b, &f, 4); }
        else if (v->et == ELEMENT_TYPE_R8) memcpy(b, &v->d, 8);
        else for (int i = 0; i < 8; i++) b[i] = (uint8_t)(bits >> (8 * i));
        return ev_create_primitive(c, v->et, b, out);
    }
    return ev_fail(c, "this value cannot be passed to the program");
}
