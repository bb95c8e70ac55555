/* Types and methods by name, as an expression names them: type look-up through the loaded
 * modules (namespaces of the frame's method first), overload resolution by argument types,
 * calls through function evaluation, and moving values made by cordbg into the program
 * (arguments, assignments). */
#include "eval/eval.h"
#include "base/utf.h"
#include "meta/sig.h"
#include "meta/pdb.h"

#include <stdarg.h>
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

/* ---------------------------------------------------------------- static types
 *
 * Overload resolution reasons as C# does, with the arguments' static types and the
 * parameters' declared types (C# spec §12.6.4). Both become a CTy: a small type model that
 * can be built from a runtime type (ICorDebugType), from a signature (with the class's and
 * the method's type arguments substituted, or a method's type parameter left open while it is
 * being inferred), and compared by full metadata name across modules. */

typedef enum { CT_NULL = 1, CT_PRIM, CT_NAMED, CT_ARRAY, CT_MVAR } CtKind;
typedef struct CTy CTy;
struct CTy {
    CtKind kind;
    CorElementType et;          /* CT_PRIM: BOOLEAN..R8, I, U, STRING, OBJECT */
    const char *name;           /* CT_NAMED: "System.Collections.Generic.List`1" */
    int valuetype;              /* CT_NAMED: a struct or enum */
    CTy **args;                 /* CT_NAMED: generic arguments */
    int nargs;
    CTy *elem;                  /* CT_ARRAY */
    uint32_t rank;              /* CT_ARRAY: 0 for a vector (T[]) */
    uint32_t index;             /* CT_MVAR */
    ICorDebugType *dbg;         /* the runtime's type, when known */
    const MdMeta *md;           /* its TypeDef, once found (CT_NAMED, CT_PRIM) */
    uint32_t rid;
    int looked;
};

enum { MAXP = 32, MAXG = 16 };

static CTy *ct_new(EvCtx *c, CtKind k)
{
    CTy *t = arena_push(c->arena, sizeof *t);
    if (t) { memset(t, 0, sizeof *t); t->kind = k; }
    return t;
}

static CTy *ct_prim(EvCtx *c, CorElementType et)
{
    CTy *t = ct_new(c, CT_PRIM);
    if (t) t->et = et;
    return t;
}

/* The element type of a built-in type's System name ("System.Int32"), 0 for others
 * (System.Decimal stays a named struct, as in metadata). */
static CorElementType et_of_system(const char *full)
{
    static const CorElementType ets[] = { ELEMENT_TYPE_BOOLEAN, ELEMENT_TYPE_CHAR, ELEMENT_TYPE_I1, ELEMENT_TYPE_U1,
                                          ELEMENT_TYPE_I2, ELEMENT_TYPE_U2, ELEMENT_TYPE_I4, ELEMENT_TYPE_U4,
                                          ELEMENT_TYPE_I8, ELEMENT_TYPE_U8, ELEMENT_TYPE_R4, ELEMENT_TYPE_R8,
                                          ELEMENT_TYPE_STRING, ELEMENT_TYPE_OBJECT, ELEMENT_TYPE_I, ELEMENT_TYPE_U };
    for (size_t i = 0; i < sizeof ets / sizeof *ets; i++) {
        const char *kw = ev_keyword_of_et(ets[i]), *sys = kw ? ev_system_name(kw) : NULL;
        if (sys && !strcmp(sys, full)) return ets[i];
    }
    return 0;
}

static const char *system_of_et(CorElementType et)
{
    const char *kw = ev_keyword_of_et(et);
    return kw ? ev_system_name(kw) : NULL;
}

/* "Ns.Outer.Inner`1" of a TypeDef or TypeRef row (arity suffixes kept: they tell
 * List`1 from List`2). */
static void tok_name_at(const MdMeta *md, uint32_t tok, char *out, size_t cap, int depth)
{
    uint32_t tab = tok >> 24, rid = tok & 0x00ffffff;
    out[0] = 0;
    if (depth > 8) return;      /* nesting that loops (a damaged image) */
    if (tab == MD_T_TypeDef) {
        const char *name = md_string(md, md_get(md, MD_T_TypeDef, rid, MD_TypeDef_Name));
        uint32_t outer = md_enclosing_type(md, rid);
        if (outer && outer != rid) {
            char o[512];
            tok_name_at(md, 0x02000000u | outer, o, sizeof o, depth + 1);
            snprintf(out, cap, "%s.%s", o, name);
        } else {
            const char *ns = md_string(md, md_get(md, MD_T_TypeDef, rid, MD_TypeDef_Namespace));
            snprintf(out, cap, "%s%s%s", ns, *ns ? "." : "", name);
        }
    } else if (tab == MD_T_TypeRef) {
        const char *name = md_string(md, md_get(md, MD_T_TypeRef, rid, MD_TypeRef_Name));
        uint32_t scope = md_coded_token(MD_CI_ResolutionScope, md_get(md, MD_T_TypeRef, rid, MD_TypeRef_ResolutionScope));
        if ((scope >> 24) == MD_T_TypeRef && (scope & 0x00ffffff) != rid) {
            char o[512];
            tok_name_at(md, scope, o, sizeof o, depth + 1);
            snprintf(out, cap, "%s.%s", o, name);
        } else {
            const char *ns = md_string(md, md_get(md, MD_T_TypeRef, rid, MD_TypeRef_Namespace));
            snprintf(out, cap, "%s%s%s", ns, *ns ? "." : "", name);
        }
    }
}

static void tok_full_name(const MdMeta *md, uint32_t tok, char *out, size_t cap)
{
    tok_name_at(md, tok, out, cap, 0);
}

static CTy *ct_named(EvCtx *c, const char *full, int valuetype, CTy **args, int nargs)
{
    CorElementType et = nargs ? 0 : et_of_system(full);
    if (et) return ct_prim(c, et);
    CTy *t = ct_new(c, CT_NAMED);
    if (!t) return NULL;
    t->name = arena_strdup(c->arena, full);
    t->valuetype = valuetype;
    t->args = args;
    t->nargs = nargs;
    return t;
}

static CTy *ct_from_dbg(EvCtx *c, ICorDebugType *d)
{
    CorElementType et = 0;
    if (!d || FAILED(COM(d, GetType, &et))) return NULL;
    CTy *t = NULL;
    if (ev_is_primitive(et) || et == ELEMENT_TYPE_STRING || et == ELEMENT_TYPE_OBJECT) {
        t = ct_prim(c, et);
    } else if (et == ELEMENT_TYPE_SZARRAY || et == ELEMENT_TYPE_ARRAY) {
        ICorDebugType *e = NULL;
        ULONG32 rank = 1;
        if (FAILED(COM(d, GetFirstTypeParameter, &e)) || !e) return NULL;
        ev_keep(c, e);
        COM(d, GetRank, &rank);
        if (!(t = ct_new(c, CT_ARRAY)) || !(t->elem = ct_from_dbg(c, e))) return NULL;
        t->rank = et == ELEMENT_TYPE_SZARRAY ? 0 : rank;
    } else if (et == ELEMENT_TYPE_CLASS || et == ELEMENT_TYPE_VALUETYPE) {
        ICorDebugClass *cls = ev_class_of_type(c, d);
        const MdMeta *md;
        uint32_t rid;
        if (!cls || !ev_module_of_class(c, cls, &md, &rid)) return NULL;
        char full[1024];
        tok_full_name(md, 0x02000000u | rid, full, sizeof full);
        ICorDebugType *ta[MAXG];
        size_t n = type_args_of(c, d, ta, MAXG);
        CTy **args = n ? arena_push(c->arena, n * sizeof *args) : NULL;
        for (size_t i = 0; i < n; i++)
            if (!args || !(args[i] = ct_from_dbg(c, ta[i]))) return NULL;
        if (!(t = ct_named(c, full, et == ELEMENT_TYPE_VALUETYPE, args, (int)n))) return NULL;
        t->md = md;
        t->rid = rid;
        t->looked = 1;
    } else {
        return NULL;
    }
    if (t) t->dbg = d;
    return t;
}

static CTy *ct_from_token(EvCtx *c, const MdMeta *md, uint32_t tok, CTy **cargs, int ncargs, int valuetype);

/* A signature's type, the class's type parameters (VAR) replaced by cargs and the method's
 * (MVAR) by margs, or left as CT_MVAR when margs is NULL. NULL: not a type C# passes by
 * value (pointers, by-reference, function pointers). */
static CTy *ct_from_md(EvCtx *c, const MdMeta *md, const MdType *p, CTy **cargs, int ncargs, CTy **margs, int nmargs)
{
    if (!p) return NULL;
    switch (p->kind) {
    case MD_TY_PRIM:
        if (p->elem == MD_ET_VOID || p->elem == MD_ET_TYPEDBYREF) return NULL;
        return ct_prim(c, (CorElementType)p->elem);
    case MD_TY_NAMED:
        return ct_from_token(c, md, p->token, NULL, 0, p->valuetype);
    case MD_TY_GENERIC: {
        if (!p->inner || !p->nargs || p->nargs > MAXG) return NULL;
        CTy **args = arena_push(c->arena, p->nargs * sizeof *args);
        if (!args) return NULL;
        for (uint32_t i = 0; i < p->nargs; i++)
            if (!(args[i] = ct_from_md(c, md, p->args[i], cargs, ncargs, margs, nmargs))) return NULL;
        char full[1024];
        tok_full_name(md, p->inner->token, full, sizeof full);
        return ct_named(c, full, p->inner->valuetype, args, (int)p->nargs);
    }
    case MD_TY_SZARRAY: case MD_TY_ARRAY: {
        CTy *t = ct_new(c, CT_ARRAY);
        if (!t || !(t->elem = ct_from_md(c, md, p->inner, cargs, ncargs, margs, nmargs))) return NULL;
        t->rank = p->kind == MD_TY_SZARRAY ? 0 : p->rank;
        return t;
    }
    case MD_TY_VAR:
        return (int)p->index < ncargs ? cargs[p->index] : NULL;
    case MD_TY_MVAR:
        if (margs) return (int)p->index < nmargs ? margs[p->index] : NULL;
        {
            CTy *t = ct_new(c, CT_MVAR);
            if (t) t->index = p->index;
            return t;
        }
    default:
        return NULL;
    }
}

static CTy *ct_from_token(EvCtx *c, const MdMeta *md, uint32_t tok, CTy **cargs, int ncargs, int valuetype)
{
    if ((tok >> 24) == MD_T_TypeSpec) {
        const uint8_t *p;
        uint32_t len;
        MdType *ty;
        MdPool pool = { 0 };
        CTy *t = NULL;
        if (md_blob(md, md_get(md, MD_T_TypeSpec, tok & 0x00ffffff, MD_TypeSpec_Signature), &p, &len) == 0 &&
            md_decode_type(&pool, p, len, &ty) == 0)
            t = ct_from_md(c, md, ty, cargs, ncargs, NULL, 0);
        md_pool_free(&pool);
        return t;
    }
    char full[1024];
    tok_full_name(md, tok, full, sizeof full);
    if (!full[0]) return NULL;
    CTy *t = ct_named(c, full, valuetype, NULL, 0);
    if (t && t->kind == CT_NAMED && (tok >> 24) == MD_T_TypeDef) {
        t->md = md;
        t->rid = tok & 0x00ffffff;
        t->looked = 1;
    }
    return t;
}

/* TypeDefs found by name during one resolution (reset by resolve_and_invoke: modules may
 * load or unload between requests); the evaluator runs on the engine's one thread. */
static struct DefHit { char name[256]; const MdMeta *md; uint32_t rid; } def_cache[64];
static size_t ndef_cache;

/* Find the TypeDef of a named or built-in type in the loaded modules (once). */
static int ct_def(EvCtx *c, CTy *t)
{
    if (t->looked) return t->md != NULL;
    t->looked = 1;
    const char *full = t->kind == CT_PRIM ? system_of_et(t->et) : t->kind == CT_NAMED ? t->name : NULL;
    if (!full) return 0;
    for (size_t i = 0; i < ndef_cache; i++)
        if (!strcmp(def_cache[i].name, full)) {
            t->md = def_cache[i].md;
            t->rid = def_cache[i].rid;
            return t->md != NULL;
        }
    int found = 0;
    const char *simple = strrchr(full, '.');
    simple = simple ? simple + 1 : full;
    for (size_t i = 0; i < evh_nmodules(c); i++) {
        PdbModule *sym = evh_module_symbols(c, evh_module_at(c, i), 1);
        if (!sym) continue;
        const MdMeta *md = &pdb_module_image(sym)->md;
        uint32_t rows = md_rows(md, MD_T_TypeDef);
        for (uint32_t r = 1; r <= rows; r++) {
            if (strcmp(md_string(md, md_get(md, MD_T_TypeDef, r, MD_TypeDef_Name)), simple)) continue;
            char have[1024];
            tok_full_name(md, 0x02000000u | r, have, sizeof have);
            if (strcmp(have, full)) continue;
            t->md = md;
            t->rid = r;
            found = 1;
            break;
        }
        if (found) break;
    }
    if (ndef_cache < sizeof def_cache / sizeof *def_cache && strlen(full) < sizeof def_cache[0].name) {
        struct DefHit *h = &def_cache[ndef_cache++];
        snprintf(h->name, sizeof h->name, "%s", full);
        h->md = t->md;
        h->rid = t->rid;
    }
    return found;
}

static int ct_eq(const CTy *a, const CTy *b)
{
    if (!a || !b || a->kind != b->kind) return 0;
    switch (a->kind) {
    case CT_NULL: return 1;
    case CT_PRIM: return a->et == b->et;
    case CT_MVAR: return a->index == b->index;
    case CT_ARRAY: return a->rank == b->rank && ct_eq(a->elem, b->elem);
    case CT_NAMED:
        if (strcmp(a->name, b->name) || a->nargs != b->nargs) return 0;
        for (int i = 0; i < a->nargs; i++) if (!ct_eq(a->args[i], b->args[i])) return 0;
        return 1;
    }
    return 0;
}

static int ct_is_named(const CTy *t, const char *full) { return t && t->kind == CT_NAMED && !strcmp(t->name, full); }

static int ct_is_value(EvCtx *c, CTy *t)
{
    if (t->kind == CT_PRIM) return t->et != ELEMENT_TYPE_STRING && t->et != ELEMENT_TYPE_OBJECT;
    if (t->kind != CT_NAMED) return 0;
    if (t->valuetype) return 1;
    if (!ct_def(c, t)) return 0;
    uint32_t ext = md_coded_token(MD_CI_TypeDefOrRef, md_get(t->md, MD_T_TypeDef, t->rid, MD_TypeDef_Extends));
    char base[256] = "";
    if (ext && (ext >> 24) != MD_T_TypeSpec) tok_full_name(t->md, ext, base, sizeof base);
    if (!strcmp(base, "System.Enum") || (!strcmp(base, "System.ValueType") && strcmp(t->name, "System.Enum")))
        t->valuetype = 1;
    return t->valuetype;
}

static int ct_is_enum(EvCtx *c, CTy *t)
{
    if (t->kind != CT_NAMED || !ct_def(c, t)) return 0;
    uint32_t ext = md_coded_token(MD_CI_TypeDefOrRef, md_get(t->md, MD_T_TypeDef, t->rid, MD_TypeDef_Extends));
    char base[256] = "";
    if (ext && (ext >> 24) != MD_T_TypeSpec) tok_full_name(t->md, ext, base, sizeof base);
    return !strcmp(base, "System.Enum");
}

static int ct_is_ref(EvCtx *c, CTy *t)
{
    return t->kind == CT_NULL || t->kind == CT_ARRAY || (t->kind == CT_PRIM && !ct_is_value(c, t)) ||
           (t->kind == CT_NAMED && !ct_is_value(c, t));
}

/* Direct supertypes: the base class and the interfaces the TypeDef lists (the C# compiler
 * lists every interface, inherited ones too), instantiated with t's arguments. */
static int ct_supers(EvCtx *c, CTy *t, CTy **out, int cap)
{
    int n = 0;
    if ((t->kind != CT_NAMED && t->kind != CT_PRIM) || !ct_def(c, t)) return 0;
    const MdMeta *md = t->md;
    uint32_t ext = md_coded_token(MD_CI_TypeDefOrRef, md_get(md, MD_T_TypeDef, t->rid, MD_TypeDef_Extends));
    if (ext && n < cap && (out[n] = ct_from_token(c, md, ext, t->args, t->nargs, 0))) n++;
    uint32_t rows = md_rows(md, MD_T_InterfaceImpl);
    for (uint32_t r = md_lower_bound(md, MD_T_InterfaceImpl, MD_InterfaceImpl_Class, t->rid);
         r && r <= rows && md_get(md, MD_T_InterfaceImpl, r, MD_InterfaceImpl_Class) == t->rid && n < cap; r++) {
        uint32_t it = md_coded_token(MD_CI_TypeDefOrRef, md_get(md, MD_T_InterfaceImpl, r, MD_InterfaceImpl_Interface));
        if (it && (out[n] = ct_from_token(c, md, it, t->args, t->nargs, 0))) n++;
    }
    return n;
}

/* Every class and interface t converts to by reference or boxing (itself first). */
static int ct_closure(EvCtx *c, CTy *t, CTy **out, int cap)
{
    int n = 0;
    if (cap) out[n++] = t;
    for (int i = 0; i < n; i++) {
        CTy *sup[64];
        int k = ct_supers(c, out[i], sup, 64);
        for (int j = 0; j < k; j++) {
            int seen = 0;
            for (int q = 0; q < n && !seen; q++) seen = ct_eq(out[q], sup[j]);
            if (!seen && n < cap) out[n++] = sup[j];
        }
    }
    return n;
}

static int conv_implicit(EvCtx *c, CTy *s, CTy *t, const EvVal *cval);

/* An implicit reference conversion, with the variance of IEnumerable<out T> and its
 * read-only relatives (string[] to IEnumerable<object>). */
static int ref_to(EvCtx *c, CTy *have, CTy *want)
{
    if (ct_eq(have, want)) return 1;
    if (have->kind != CT_NAMED || want->kind != CT_NAMED || strcmp(have->name, want->name) ||
        have->nargs != want->nargs)
        return 0;
    static const char *covariant[] = { "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.IEnumerator`1",
                                       "System.Collections.Generic.IReadOnlyList`1",
                                       "System.Collections.Generic.IReadOnlyCollection`1", "System.IComparable`1" };
    int co = 0;
    for (size_t i = 0; i < sizeof covariant / sizeof *covariant; i++) if (!strcmp(want->name, covariant[i])) co = 1;
    if (!co) return 0;
    for (int i = 0; i < have->nargs; i++)
        if (!ct_eq(have->args[i], want->args[i]) &&
            !(ct_is_ref(c, have->args[i]) && conv_implicit(c, have->args[i], want->args[i], NULL)))
            return 0;
    return 1;
}

static int is_array_iface(const char *name)
{
    static const char *g[] = { "System.Collections.Generic.IEnumerable`1", "System.Collections.Generic.ICollection`1",
                               "System.Collections.Generic.IList`1", "System.Collections.Generic.IReadOnlyList`1",
                               "System.Collections.Generic.IReadOnlyCollection`1" };
    for (size_t i = 0; i < sizeof g / sizeof *g; i++) if (!strcmp(name, g[i])) return 1;
    return 0;
}

/* C#'s implicit numeric conversions (§10.2.3). */
static int numeric_widens(CorElementType from, CorElementType to)
{
    static const char *widen[] = {
        [ELEMENT_TYPE_I1] = "\x06\x08\x0a\x0c\x0d", [ELEMENT_TYPE_U1] = "\x06\x07\x08\x09\x0a\x0b\x0c\x0d",
        [ELEMENT_TYPE_I2] = "\x08\x0a\x0c\x0d",     [ELEMENT_TYPE_U2] = "\x08\x09\x0a\x0b\x0c\x0d",
        [ELEMENT_TYPE_I4] = "\x0a\x0c\x0d",         [ELEMENT_TYPE_U4] = "\x0a\x0b\x0c\x0d",
        [ELEMENT_TYPE_I8] = "\x0c\x0d",             [ELEMENT_TYPE_U8] = "\x0c\x0d",
        [ELEMENT_TYPE_CHAR] = "\x07\x08\x09\x0a\x0b\x0c\x0d", [ELEMENT_TYPE_R4] = "\x0d",
    };
    return (size_t)from < sizeof widen / sizeof *widen && widen[from] && to && strchr(widen[from], (int)to);
}

static int is_integral(CorElementType et)
{
    return et == ELEMENT_TYPE_I1 || et == ELEMENT_TYPE_U1 || et == ELEMENT_TYPE_I2 || et == ELEMENT_TYPE_U2 ||
           et == ELEMENT_TYPE_I4 || et == ELEMENT_TYPE_U4 || et == ELEMENT_TYPE_I8 || et == ELEMENT_TYPE_U8 ||
           et == ELEMENT_TYPE_CHAR;
}

/* A constant int (or long) that fits the target: C#'s implicit constant expression
 * conversion (§10.2.11). cval: the argument when it is a constant, else NULL. */
static int const_fits(const EvVal *cval, CorElementType to)
{
    if (!cval || (cval->et != ELEMENT_TYPE_I4 && cval->et != ELEMENT_TYPE_I8)) return 0;
    int64_t v = (int64_t)cval->bits;
    if (cval->et == ELEMENT_TYPE_I8) return to == ELEMENT_TYPE_U8 && v >= 0;
    switch (to) {
    case ELEMENT_TYPE_I1: return v >= -128 && v <= 127;
    case ELEMENT_TYPE_U1: return v >= 0 && v <= 255;
    case ELEMENT_TYPE_I2: return v >= -32768 && v <= 32767;
    case ELEMENT_TYPE_U2: return v >= 0 && v <= 65535;
    case ELEMENT_TYPE_U4: case ELEMENT_TYPE_U8: return v >= 0;
    default: return 0;
    }
}

/* Is there an implicit conversion from s to t (identity, numeric, constant, nullable, null
 * literal, reference, boxing)? User-defined conversions are not considered. */
static int conv_implicit(EvCtx *c, CTy *s, CTy *t, const EvVal *cval)
{
    if (!s || !t) return 0;
    if (ct_eq(s, t)) return 1;
    if (t->kind == CT_PRIM && t->et == ELEMENT_TYPE_OBJECT) return 1;
    if (s->kind == CT_NULL) return ct_is_ref(c, t) || ct_is_named(t, "System.Nullable`1");
    if (s->kind == CT_PRIM && t->kind == CT_PRIM && s->et != ELEMENT_TYPE_STRING && s->et != ELEMENT_TYPE_OBJECT)
        return numeric_widens(s->et, t->et) || const_fits(cval, t->et);
    /* The constant 0 converts to every enum (§10.2.4). */
    if (cval && s->kind == CT_PRIM && is_integral(s->et) && s->et != ELEMENT_TYPE_CHAR && !cval->bits && ct_is_enum(c, t))
        return 1;
    if (s->kind == CT_PRIM && is_integral(s->et) && ct_is_named(t, "System.Decimal")) return 1;
    if (ct_is_named(t, "System.Nullable`1") && t->nargs == 1 && !ct_is_named(s, "System.Nullable`1"))
        return ct_is_value(c, s) && conv_implicit(c, s, t->args[0], cval);
    if (t->kind == CT_ARRAY) {
        return s->kind == CT_ARRAY && s->rank == t->rank && ct_is_ref(c, s->elem) && ct_is_ref(c, t->elem) &&
               conv_implicit(c, s->elem, t->elem, NULL);
    }
    if (t->kind != CT_NAMED && !(t->kind == CT_PRIM && t->et == ELEMENT_TYPE_STRING)) return 0;
    if (s->kind == CT_ARRAY) {
        if (t->kind != CT_NAMED) return 0;
        if (!strcmp(t->name, "System.Array") || !strcmp(t->name, "System.ICloneable") ||
            !strcmp(t->name, "System.Collections.IEnumerable") || !strcmp(t->name, "System.Collections.ICollection") ||
            !strcmp(t->name, "System.Collections.IList") || !strcmp(t->name, "System.Collections.IStructuralEquatable") ||
            !strcmp(t->name, "System.Collections.IStructuralComparable"))
            return 1;
        if (s->rank == 0 && t->nargs == 1 && is_array_iface(t->name))
            return ct_eq(s->elem, t->args[0]) ||
                   (ct_is_ref(c, s->elem) && ct_is_ref(c, t->args[0]) && conv_implicit(c, s->elem, t->args[0], NULL));
        return 0;
    }
    if (s->kind != CT_NAMED && s->kind != CT_PRIM) return 0;
    /* Reference and boxing conversions: to a base class or an interface of s. */
    if (ct_is_value(c, s) && ct_is_named(t, "System.Enum")) return ct_is_enum(c, s);
    CTy *all[96];
    int n = ct_closure(c, s, all, 96);
    for (int i = 1; i < n; i++) if (ref_to(c, all[i], t)) return 1;
    return 0;
}

/* The C# name of a CTy, for messages: "int", "List<int>", "string[]". */
static void ct_text(EvCtx *c, const CTy *t, char *out, size_t cap)
{
    if (!t) { snprintf(out, cap, "?"); return; }
    switch (t->kind) {
    case CT_NULL: snprintf(out, cap, "<null>"); return;
    case CT_PRIM: snprintf(out, cap, "%s", ev_keyword_of_et(t->et) ? ev_keyword_of_et(t->et) : "?"); return;
    case CT_MVAR: snprintf(out, cap, "T%u", (unsigned)t->index); return;
    case CT_ARRAY: {
        char e[512];
        ct_text(c, t->elem, e, sizeof e);
        snprintf(out, cap, "%s[%s]", e, t->rank > 1 ? "," : "");
        return;
    }
    case CT_NAMED: {
        if (ct_is_named(t, "System.Decimal")) { snprintf(out, cap, "decimal"); return; }
        if (ct_is_named(t, "System.Nullable`1") && t->nargs == 1) {
            char e[512];
            ct_text(c, t->args[0], e, sizeof e);
            snprintf(out, cap, "%s?", e);
            return;
        }
        size_t len = 0;
        const char *p = t->name;
        /* Namespaces dropped for generic instantiations' readability as C# shows them. */
        if (t->nargs) { const char *d = strrchr(p, '.'); if (d) p = d + 1; }
        for (; *p && *p != '`' && len + 1 < cap; p++) out[len++] = *p;
        out[len] = 0;
        if (t->nargs) {
            snprintf(out + len, cap - len, "<");
            for (int i = 0; i < t->nargs; i++) {
                char a[256];
                ct_text(c, t->args[i], a, sizeof a);
                len = strlen(out);
                snprintf(out + len, cap - len, "%s%s", i ? ", " : "", a);
            }
            len = strlen(out);
            snprintf(out + len, cap - len, ">");
        }
        return;
    }
    }
}

/* The runtime's type for a CTy (for type arguments and array elements). */
static ICorDebugType *ct_to_dbg(EvCtx *c, CTy *t)
{
    if (!t) return NULL;
    if (t->dbg) return t->dbg;
    if (t->kind == CT_PRIM) {
        const char *kw = ev_keyword_of_et(t->et);
        ICorDebugType *d;
        if (kw && ev_find_type(c, kw, NULL, 0, &d) == 0) return t->dbg = d;
        c->err[0] = 0;
        return NULL;
    }
    if (t->kind == CT_NAMED) {
        ICorDebugType *args[MAXG];
        for (int i = 0; i < t->nargs && i < MAXG; i++)
            if (!(args[i] = ct_to_dbg(c, t->args[i]))) return NULL;
        char full[1024];
        size_t k = 0;
        for (const char *p = t->name; *p && k + 1 < sizeof full; p++) {
            if (*p == '`') { while (p[1] >= '0' && p[1] <= '9') p++; continue; }
            full[k++] = *p;
        }
        full[k] = 0;
        return t->dbg = type_by_full_name(c, full, args, t->nargs);
    }
    return NULL;
}

/* An argument's static type: its declared type, else the value's own (cordbg-made values:
 * their literal's type). */
static CTy *arg_cty(EvCtx *c, const EvVal *a)
{
    ICorDebugType *st = ev_static_type(a);
    if (st) {
        CTy *t = ct_from_dbg(c, st);
        /* A variable holding a boxed value: without its declared type, all C# could know is
         * object. (A decimal cordbg computed is a box too, but a value, not a variable.) */
        if (t && !a->decl && a->v && a->is_lvalue && (a->et == ELEMENT_TYPE_CLASS || a->et == ELEMENT_TYPE_OBJECT) &&
            ct_is_value(c, t))
            return ct_prim(c, ELEMENT_TYPE_OBJECT);
        if (t) return t;
    }
    if (a->is_null && !ev_is_primitive(a->et)) return ct_new(c, CT_NULL);
    if (ev_is_primitive(a->et) || a->et == ELEMENT_TYPE_STRING) return ct_prim(c, a->et);
    if (a->v) {
        int null = 0;
        ICorDebugValue *o = ev_deref(c, a->v, &null);
        if (o) return ct_from_dbg(c, ev_type_of(c, o));
        if (null) return ct_new(c, CT_NULL);
    }
    return NULL;
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
    } else if (!a->v && a->et == ELEMENT_TYPE_VALUETYPE && a->type) {
        /* An enum constant cordbg read from metadata: its bits, as many as the box holds. */
        t = a->type;
        for (int i = 0; i < 8; i++) prim[i] = (uint8_t)(a->bits >> (8 * i));
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

static int make_value_of(EvCtx *c, ICorDebugType *t, uint64_t bits, ICorDebugValue **out);
static int make_nullable(EvCtx *c, ICorDebugType *nt, const EvVal *a, ICorDebugValue **out);
static int zero_struct(EvCtx *c, ICorDebugType *t, ICorDebugValue **out);
/* The pinned box of the last value make_value_of made: the value inside it goes stale at the
 * next evaluation, so invoke takes it out of the box again just before the call. (The
 * evaluator runs on the engine's one thread.) */
static ICorDebugValue *made_box;

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
        if (p->kind == MD_TY_GENERIC || vt) {
            /* A T? parameter: null is a T? without a value; a T is wrapped. */
            CTy *cargs[MAXG], *margs[MAXG];
            size_t k = 0, g = 0;
            for (; k < nclass && k < MAXG; k++) if (!(cargs[k] = ct_from_dbg(c, ta[k]))) break;
            for (; nclass + g < nta && g < MAXG; g++) if (!(margs[g] = ct_from_dbg(c, ta[nclass + g]))) break;
            CTy *pct = vt ? ct_from_dbg(c, vt) : ct_from_md(c, md, p, cargs, (int)k, margs, (int)g);
            if (pct && ct_is_named(pct, "System.Nullable`1")) {
                ICorDebugType *nt = ct_to_dbg(c, pct);
                if (!nt) break;
                if (a->is_null) return zero_struct(c, nt, out);
                return make_nullable(c, nt, a, out);
            }
        }
        if (a->v && !a->is_null && a->et == ELEMENT_TYPE_VALUETYPE) { *out = a->v; return 0; }   /* resolution named it */
        if (!a->v && !a->is_null && ev_is_primitive(a->et) && a->et != ELEMENT_TYPE_BOOLEAN && !a->bits) {
            /* The constant 0 for an enum. */
            ICorDebugType *en = vt ? vt : p->kind == MD_TY_NAMED ? ct_to_dbg(c, ct_from_md(c, md, p, NULL, 0, NULL, 0)) : NULL;
            if (en && ev_is_enum(c, en)) return make_value_of(c, en, 0, out);
        }
        if (!a->v && !a->is_null && a->et == ELEMENT_TYPE_VALUETYPE && a->type) return make_value_of(c, a->type, a->bits, out);
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

/* ---------------------------------------------------------------- overload resolution */

enum { PARAM_OPTIONAL = 0x0010, PARAM_HAS_DEFAULT = 0x1000 };

/* The Param row of method k's parameter number seq (1-based), or 0. */
static uint32_t param_row(const MdMeta *md, uint32_t k, uint32_t seq)
{
    uint32_t first, end;
    md_list_range(md, MD_T_MethodDef, k, MD_MethodDef_ParamList, MD_T_Param, &first, &end);
    for (uint32_t r = first; r < end; r++)
        if (md_get(md, MD_T_Param, r, MD_Param_Sequence) == seq) return r;
    return 0;
}

/* Does the token carry the attribute System(.Runtime.CompilerServices).<name>? */
static int has_attr(const MdMeta *md, uint32_t tok, const char *ns, const char *name)
{
    uint32_t key = md_coded_from_token(MD_CI_HasCustomAttribute, tok);
    if (!(tok & 0x00ffffff) || key == UINT32_MAX) return 0;
    uint32_t rows = md_rows(md, MD_T_CustomAttribute);
    for (uint32_t a = md_lower_bound(md, MD_T_CustomAttribute, MD_CustomAttribute_Parent, key);
         a && a <= rows && md_get(md, MD_T_CustomAttribute, a, MD_CustomAttribute_Parent) == key; a++) {
        const char *ans, *aname;
        if (md_attr_type(md, a, &ans, &aname) == 0 && !strcmp(ans, ns) && !strcmp(aname, name)) return 1;
    }
    return 0;
}

typedef struct Cand {
    Module *m;
    const MdMeta *md;
    uint32_t rid;
    ICorDebugType *owner;
    int is_static, extension, depth;
    uint32_t gen_count;
    MdMethodSig *sig;
    int expanded, ndefaults;
    int argp[MAXP];             /* argument i fills parameter argp[i] */
    CTy *pt[MAXP];              /* ... converting to this type (a params array's element type) */
    CTy *margs[MAXG];           /* the method's type arguments, given or inferred */
    CTy *cargs[MAXG];
    int ncargs;
} Cand;

/* A candidate for method k of module m (md its metadata) on owner, with signature sig. */
static void cand_init(Cand *cd, Module *m, const MdMeta *md, uint32_t k, ICorDebugType *owner, MdMethodSig *sig)
{
    memset(cd, 0, sizeof *cd);
    cd->m = m;
    cd->md = md;
    cd->rid = k;
    cd->owner = owner;
    cd->is_static = (md_get(md, MD_T_MethodDef, k, MD_MethodDef_Flags) & MD_STATIC) != 0;
    cd->sig = sig;
    cd->gen_count = sig ? sig->gen_count : 0;
}

/* Why no candidate applies: the reason from the furthest stage reached, as C# words it. */
typedef struct Why { int rank; char msg[480]; } Why;

static void why_set(Why *w, int rank, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void why_set(Why *w, int rank, const char *fmt, ...)
{
    if (rank <= w->rank) return;
    w->rank = rank;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(w->msg, sizeof w->msg, fmt, ap);
    va_end(ap);
}

/* "Program.Opt(int, int, int)" as the compiler names a method in messages. */
static void method_text(const Cand *cd, char *out, size_t cap)
{
    const MdMeta *md = cd->md;
    uint32_t owner = md_method_owner(md, cd->rid);
    /* The type with its namespace, as the compiler's messages name it (arity suffixes dropped). */
    char full[512], tn[512];
    size_t k = 0;
    tok_full_name(md, 0x02000000u | owner, full, sizeof full);
    for (const char *q = full; *q && k + 1 < sizeof tn; q++) {
        if (*q == '`') { while (q[1] >= '0' && q[1] <= '9') q++; continue; }
        tn[k++] = *q;
    }
    tn[k] = 0;
    const char *mn = md_string(md, md_get(md, MD_T_MethodDef, cd->rid, MD_MethodDef_Name));
    size_t len = 0;
    int n = snprintf(out, cap, "%s.%s", tn, mn);
    len = n > 0 ? (size_t)n : 0;
    MdGenCtx g = { .type_rid = owner, .method_rid = cd->rid };
    if (cd->gen_count && len < cap) {
        len += (size_t)snprintf(out + len, cap - len, "<");
        for (uint32_t i = 0; i < cd->gen_count && len < cap; i++) {
            const char *gn = md_generic_param_name(md, 0x06000000u | cd->rid, i);
            len += (size_t)snprintf(out + len, cap - len, "%s%s", i ? ", " : "", gn && *gn ? gn : "T");
        }
        if (len < cap) len += (size_t)snprintf(out + len, cap - len, ">");
    }
    if (len < cap) len += (size_t)snprintf(out + len, cap - len, "(");
    for (uint32_t i = 0; i < cd->sig->nparams && len < cap; i++) {
        char pn[256];
        md_type_name(md, cd->sig->params[i], &g, pn, sizeof pn);
        int is_params = i + 1 == cd->sig->nparams && has_attr(md, 0x08000000u | param_row(md, cd->rid, i + 1), "System", "ParamArrayAttribute");
        len += (size_t)snprintf(out + len, cap - len, "%s%s%s", i ? ", " : "", is_params ? "params " : "", pn);
    }
    if (len < cap) snprintf(out + len, cap - len, ")");
}

/* Lower-bound inference of the method's type parameters from an argument of type s for a
 * parameter of type p (§12.6.3.10, without lambdas). */
static void infer(EvCtx *c, CTy *s, CTy *p, CTy *bounds[MAXG][8], int *nb, int depth)
{
    if (!s || !p || depth > 8 || s->kind == CT_NULL) return;
    if (p->kind == CT_MVAR) {
        if (p->index >= MAXG || nb[p->index] >= 8) return;
        for (int i = 0; i < nb[p->index]; i++) if (ct_eq(bounds[p->index][i], s)) return;
        bounds[p->index][nb[p->index]++] = s;
        return;
    }
    if (p->kind == CT_ARRAY) {
        if (s->kind == CT_ARRAY && s->rank == p->rank) infer(c, s->elem, p->elem, bounds, nb, depth + 1);
        return;
    }
    if (p->kind != CT_NAMED || !p->nargs) return;
    if (s->kind == CT_ARRAY) {
        if (s->rank == 0 && p->nargs == 1 && is_array_iface(p->name)) infer(c, s->elem, p->args[0], bounds, nb, depth + 1);
        return;
    }
    CTy *all[96];
    int n = ct_closure(c, s, all, 96);
    for (int i = 0; i < n; i++) {
        if (all[i]->kind != CT_NAMED || strcmp(all[i]->name, p->name) || all[i]->nargs != p->nargs) continue;
        for (int k = 0; k < p->nargs; k++) infer(c, all[i]->args[k], p->args[k], bounds, nb, depth + 1);
        return;
    }
}

/* Only identity, reference and boxing conversions carry an extension method's receiver. */
static int receiver_converts(EvCtx *c, CTy *s, CTy *t)
{
    if (ct_eq(s, t)) return 1;
    if (s->kind == CT_PRIM && t->kind == CT_PRIM && t->et != ELEMENT_TYPE_OBJECT) return 0;
    if (ct_is_named(t, "System.Nullable`1") || ct_is_named(t, "System.Decimal")) return 0;
    return conv_implicit(c, s, t, NULL);
}

/* Is cd applicable to the arguments in its normal form (expanded 0) or with its params
 * array expanded? Fills the argument-to-parameter map and the types. */
static int applicable(EvCtx *c, Cand *cd, int expanded, CTy **at, const EvVal *args, const EvArg *info,
                      size_t nargs, CTy **targs, int ntargs, Why *why)
{
    const MdMeta *md = cd->md;
    MdMethodSig *sig = cd->sig;
    uint32_t np = sig->nparams;
    char mtext[512];
    method_text(cd, mtext, sizeof mtext);
    const char *mname = md_string(md, md_get(md, MD_T_MethodDef, cd->rid, MD_MethodDef_Name));
    cd->expanded = expanded;
    cd->ndefaults = 0;
    if (np > MAXP || nargs > MAXP) return 0;
    if (expanded) {
        if (!np || sig->params[np - 1]->kind != MD_TY_SZARRAY ||
            !has_attr(md, 0x08000000u | param_row(md, cd->rid, np), "System", "ParamArrayAttribute"))
            return 0;
    }
    /* Arguments to parameters: positional ones in order, named ones by name. */
    int filled[MAXP] = { 0 };
    for (size_t i = 0; i < nargs; i++) {
        const char *name = info ? info[i].name : NULL;
        int p = -1;
        if (name) {
            for (uint32_t k = 0; k < np && p < 0; k++) {
                uint32_t r = param_row(md, cd->rid, k + 1);
                if (r && !strcmp(md_string(md, md_get(md, MD_T_Param, r, MD_Param_Name)), name)) p = (int)k;
            }
            if (p < 0) {
                why_set(why, 2, "CS1739: The best overload for '%s' does not have a parameter named '%s'", mname, name);
                return 0;
            }
            if (expanded && (uint32_t)p == np - 1) return 0;    /* a named params argument is the array itself */
        } else if (i < np && !(expanded && i >= np - 1)) {
            p = (int)i;
        } else if (expanded) {
            p = (int)np - 1;
        } else {
            why_set(why, 1, "CS1501: No overload for method '%s' takes %zu arguments", mname, nargs);
            return 0;
        }
        if (filled[p] && !(expanded && (uint32_t)p == np - 1)) {
            why_set(why, 2, "CS1744: Named argument '%s' specifies a parameter for which a positional argument has already been given",
                    name ? name : "?");
            return 0;
        }
        filled[p] = 1;
        cd->argp[i] = p;
    }
    for (uint32_t k = 0; k < np; k++) {
        if (filled[k] || (expanded && k == np - 1)) continue;
        uint32_t r = param_row(md, cd->rid, k + 1);
        uint32_t fl = r ? md_get(md, MD_T_Param, r, MD_Param_Flags) : 0;
        if (fl & (PARAM_HAS_DEFAULT | PARAM_OPTIONAL)) { cd->ndefaults++; continue; }
        if (k == np - 1 && has_attr(md, 0x08000000u | r, "System", "ParamArrayAttribute")) return 0;  /* expanded form */
        why_set(why, 3, "CS7036: There is no argument given that corresponds to the required parameter '%s' of '%s'",
                r ? md_string(md, md_get(md, MD_T_Param, r, MD_Param_Name)) : "?", mtext);
        return 0;
    }
    /* Parameter types, the method's type parameters given or inferred. */
    CTy **margs = NULL;
    if (cd->gen_count) {
        if (cd->gen_count > MAXG) return 0;
        if (ntargs) {
            if ((uint32_t)ntargs != cd->gen_count) return 0;
            for (int g = 0; g < ntargs; g++) cd->margs[g] = targs[g];
        } else {
            CTy *bounds[MAXG][8];
            int nb[MAXG] = { 0 };
            for (size_t i = 0; i < nargs; i++) {
                const MdType *p = sig->params[cd->argp[i]];
                if (expanded && (uint32_t)cd->argp[i] == np - 1) p = p->inner;
                infer(c, at[i], ct_from_md(c, md, p, cd->cargs, cd->ncargs, NULL, 0), bounds, nb, 0);
            }
            for (uint32_t g = 0; g < cd->gen_count; g++) {
                CTy *pick = NULL;
                for (int k = 0; k < nb[g]; k++) {
                    int all = 1;
                    for (int q = 0; q < nb[g] && all; q++) all = conv_implicit(c, bounds[g][q], bounds[g][k], NULL);
                    if (all && pick && !ct_eq(pick, bounds[g][k])) { pick = NULL; break; }
                    if (all) pick = bounds[g][k];
                }
                if (!pick) {
                    why_set(why, 4, "CS0411: The type arguments for method '%s' cannot be inferred from the usage. "
                            "Try specifying the type arguments explicitly.", mtext);
                    return 0;
                }
                cd->margs[g] = pick;
            }
        }
        margs = cd->margs;
    }
    for (size_t i = 0; i < nargs; i++) {
        const MdType *p = sig->params[cd->argp[i]];
        if (p->kind == MD_TY_BYREF) {
            /* ref, out and in parameters: cordbg passes no variable by reference. */
            uint32_t r = param_row(md, cd->rid, (uint32_t)cd->argp[i] + 1);
            uint32_t fl = r ? md_get(md, MD_T_Param, r, MD_Param_Flags) : 0;
            why_set(why, 5, "CS1620: Argument %zu must be passed with the '%s' keyword (cordbg passes no argument by reference)",
                    i + 1, (fl & 0x2) ? "out" : (fl & 0x1) ? "in" : "ref");
            return 0;
        }
        if (expanded && (uint32_t)cd->argp[i] == np - 1) p = p->inner;
        CTy *pt = ct_from_md(c, md, p, cd->cargs, cd->ncargs, margs, (int)cd->gen_count);
        cd->pt[i] = pt;
        const EvVal *cval = info && info[i].is_const ? &args[i] : NULL;
        int ok = pt && at[i] && (cd->extension && i == 0 ? receiver_converts(c, at[i], pt) : conv_implicit(c, at[i], pt, cval));
        if (!ok) {
            char sn[256], tn[256];
            ct_text(c, at[i], sn, sizeof sn);
            ct_text(c, pt, tn, sizeof tn);
            if (cd->extension && i == 0)
                why_set(why, 5, "CS1929: '%s' does not contain a definition for '%s' and the best extension method overload "
                        "'%s' requires a receiver of type '%s'", sn, mname, mtext, tn);
            else
                why_set(why, 5, "CS1503: Argument %zu: cannot convert from '%s' to '%s'", i + 1 - (size_t)cd->extension, sn, tn);
            return 0;
        }
    }
    /* Parameters no argument fills: their types too (defaults are made for them). */
    return 1;
}

/* Is conversion of an argument of type s to t1 better than to t2 (§12.6.4.5)? 1, -1 (t2
 * better) or 0. */
static int better_conv(EvCtx *c, CTy *s, CTy *t1, CTy *t2)
{
    if (ct_eq(t1, t2)) return 0;
    int e1 = ct_eq(s, t1), e2 = ct_eq(s, t2);
    if (e1 != e2) return e1 ? 1 : -1;
    int c12 = conv_implicit(c, t1, t2, NULL), c21 = conv_implicit(c, t2, t1, NULL);
    if (c12 && !c21) return 1;
    if (c21 && !c12) return -1;
    if (t1->kind == CT_PRIM && t2->kind == CT_PRIM) {
        static const CorElementType sgn[] = { ELEMENT_TYPE_I1, ELEMENT_TYPE_I2, ELEMENT_TYPE_I4, ELEMENT_TYPE_I8 };
        static const CorElementType uns[] = { ELEMENT_TYPE_U1, ELEMENT_TYPE_U2, ELEMENT_TYPE_U4, ELEMENT_TYPE_U8 };
        int s1 = -1, u1 = -1, s2 = -1, u2 = -1;
        for (int i = 0; i < 4; i++) {
            if (t1->et == sgn[i]) s1 = i;
            if (t1->et == uns[i]) u1 = i;
            if (t2->et == sgn[i]) s2 = i;
            if (t2->et == uns[i]) u2 = i;
        }
        if (s1 >= 0 && u2 >= 0 && u2 >= s1) return 1;
        if (s2 >= 0 && u1 >= 0 && u1 >= s2) return -1;
    }
    return 0;
}

/* Better function member (§12.6.4.3): 1 a is better, -1 b is, 0 neither. */
static int better(EvCtx *c, const Cand *a, const Cand *b, CTy **at, size_t nargs)
{
    int ab = 0, ba = 0, same = 1;
    for (size_t i = 0; i < nargs; i++) {
        int r = better_conv(c, at[i], a->pt[i], b->pt[i]);
        if (r > 0) ab = 1;
        if (r < 0) ba = 1;
        if (!ct_eq(a->pt[i], b->pt[i])) same = 0;
    }
    if (ab != ba) return ab ? 1 : -1;
    if (!same) return 0;
    /* The same parameter types: the tie-breaking rules. */
    if (!a->gen_count != !b->gen_count) return a->gen_count ? -1 : 1;
    if (a->expanded != b->expanded) return a->expanded ? -1 : 1;
    if (a->expanded && a->sig->nparams != b->sig->nparams) return a->sig->nparams > b->sig->nparams ? 1 : -1;
    if (!a->ndefaults != !b->ndefaults) return a->ndefaults ? -1 : 1;
    if (a->depth != b->depth) return a->depth < b->depth ? 1 : -1;   /* an override's base declaration */
    return 0;
}

/* A method of md's TypeDef row k as a candidate: kept when applicable in either form. */
typedef struct Cands { Cand *v; size_t n, cap; int seen; Why why; } Cands;

static void consider(EvCtx *c, Cands *cs, Module *m, const MdMeta *md, uint32_t k, ICorDebugType *owner, int depth,
                     int extension, MdPool *pool, CTy **at, const EvVal *args, const EvArg *info, size_t nargs,
                     CTy **targs, int ntargs)
{
    const uint8_t *p;
    uint32_t len;
    MdMethodSig *sig;
    if (md_blob(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Signature), &p, &len) != 0 ||
        md_decode_method_sig(pool, p, len, &sig) != 0 || (sig->conv & 0x0f) == MD_CC_VARARG)
        return;
    /* A params span (C# 13) cannot be made in the program; the array overload beside it does
     * the same. */
    if (sig->nparams && has_attr(md, 0x08000000u | param_row(md, k, sig->nparams), "System.Runtime.CompilerServices",
                                 "ParamCollectionAttribute"))
        return;
    cs->seen = 1;
    Cand cd;
    cand_init(&cd, m, md, k, owner, sig);
    cd.extension = extension;
    cd.depth = depth;
    ICorDebugType *ta[MAXG];
    size_t nta = type_args_of(c, owner, ta, MAXG);
    for (size_t i = 0; i < nta; i++)
        if (!(cd.cargs[i] = ct_from_dbg(c, ta[i]))) return;
    cd.ncargs = (int)nta;
    for (int form = 0; form < 2; form++) {
        if (!applicable(c, &cd, form, at, args, info, nargs, targs, ntargs, &cs->why)) continue;
        if (cs->n == cs->cap) {
            size_t ncap = cs->cap ? cs->cap * 2 : 8;
            Cand *nv = arena_push(c->arena, ncap * sizeof *nv);
            if (!nv) return;
            if (cs->n) memcpy(nv, cs->v, cs->n * sizeof *nv);
            cs->v = nv;
            cs->cap = ncap;
        }
        cs->v[cs->n++] = cd;
        break;      /* the normal form when it applies: the expanded one could not be better */
    }
}

/* Methods named `name` on t and its bases. */
static void collect(EvCtx *c, Cands *cs, ICorDebugType *t, const char *name, int want_static, int want_instance,
                    MdPool *pool, CTy **at, const EvVal *args, const EvArg *info, size_t nargs, CTy **targs, int ntargs)
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
            consider(c, cs, m, md, k, t, depth, 0, pool, at, args, info, nargs, targs, ntargs);
        }
        ICorDebugType *base = NULL;
        if (FAILED(COM(t, GetBase, &base)) || !base) break;
        t = ev_keep(c, base);
    }
}

/* Extension methods (static, [Extension]) named `name` in every loaded module: the user's
 * and the framework's (System.Linq.Enumerable). args[0] is the receiver. */
static void collect_extensions(EvCtx *c, Cands *cs, const char *name, MdPool *pool, CTy **at, const EvVal *args,
                               const EvArg *info, size_t nargs, CTy **targs, int ntargs)
{
    for (size_t i = 0; i < evh_nmodules(c); i++) {
        Module *m = evh_module_at(c, i);
        PdbModule *sym = evh_module_symbols(c, m, 1);
        if (!sym) continue;
        const MdMeta *md = &pdb_module_image(sym)->md;
        uint32_t rows = md_rows(md, MD_T_MethodDef);
        for (uint32_t k = 1; k <= rows; k++) {
            if (!(md_get(md, MD_T_MethodDef, k, MD_MethodDef_Flags) & MD_STATIC)) continue;
            if (strcmp(md_string(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Name)), name)) continue;
            if (!has_attr(md, 0x06000000u | k, "System.Runtime.CompilerServices", "ExtensionAttribute")) continue;
            uint32_t owner = md_method_owner(md, k);
            /* Extension classes are static and not generic: their type is made without arguments. */
            ICorDebugType *t = ev_typedef_type(c, m, owner, NULL, 0);
            if (!t) continue;
            consider(c, cs, m, md, k, t, 0, 1, pool, at, args, info, nargs, targs, ntargs);
        }
    }
}

/* The one best candidate, or NULL and c->err (ambiguity). */
static Cand *pick_best(EvCtx *c, Cands *cs, CTy **at, size_t nargs)
{
    if (!cs->n) return NULL;
    /* Methods of a more derived type hide those of its bases (§12.6.4.1). */
    int min_depth = 1 << 30;
    for (size_t i = 0; i < cs->n; i++) if (cs->v[i].depth < min_depth) min_depth = cs->v[i].depth;
    Cand *best = NULL;
    for (size_t i = 0; i < cs->n; i++) {
        Cand *a = &cs->v[i];
        if (a->depth != min_depth && !a->extension) continue;
        int wins = 1;
        for (size_t j = 0; j < cs->n && wins; j++) {
            Cand *b = &cs->v[j];
            if (j == i || (b->depth != min_depth && !b->extension)) continue;
            if (better(c, a, b, at, nargs) <= 0) wins = 0;
        }
        if (wins) { best = a; break; }
    }
    if (best) return best;
    char t1[512] = "", t2[512] = "";
    int k = 0;
    for (size_t i = 0; i < cs->n && k < 2; i++) {
        if (cs->v[i].depth != min_depth && !cs->v[i].extension) continue;
        method_text(&cs->v[i], k ? t2 : t1, sizeof t1);
        k++;
    }
    ev_fail(c, "CS0121: The call is ambiguous between the following methods or properties: '%s' and '%s'", t1, t2);
    return NULL;
}

/* ---------------------------------------------------------------- calling */

/* Write the bytes of a value of element type et (or a struct's bytes) into a home. */
static int set_bytes(EvCtx *c, ICorDebugValue *home, const void *bytes)
{
    ICorDebugGenericValue *gv = NULL;
    char b[96];
    if (FAILED(COM(home, QueryInterface, &IID_ICorDebugGenericValue, (void **)&gv)) || !gv)
        return ev_fail(c, "cannot write into the program's value");
    ev_keep(c, gv);
    HRESULT hr = COM(gv, SetValue, (void *)bytes);
    return FAILED(hr) ? ev_fail(c, "cannot write into the program's value: %s", clr_hr_str(hr, b, sizeof b)) : 0;
}

/* A value of enum type t holding the bits: the value inside a box made for it (an enum's
 * value made by CreateValueForType cannot be written). */
static int make_value_of(EvCtx *c, ICorDebugType *t, uint64_t bits, ICorDebugValue **out)
{
    EvVal tmp;
    memset(&tmp, 0, sizeof tmp);
    tmp.et = ELEMENT_TYPE_VALUETYPE;
    tmp.type = t;
    tmp.bits = bits;
    ICorDebugValue *box;
    if (ev_box(c, &tmp, &box) != 0) return -1;
    made_box = box;
    int null = 0;
    if (!(*out = ev_deref(c, box, &null))) return ev_fail(c, "cannot make this value in the program");
    return 0;
}

/* A zero value of value type t, made inside a box of its own type (a value made by
 * CreateValueForType cannot be written, nor passed as an argument); the box is pinned and
 * remembered in made_box. */
static int zero_struct(EvCtx *c, ICorDebugType *t, ICorDebugValue **out)
{
    ICorDebugClass *cls = ev_class_of_type(c, t);
    ICorDebugType *targs[MAXG];
    size_t n = type_args_of(c, t, targs, MAXG);
    ICorDebugValue *ref = NULL;
    if (!cls || ev_new_object_nc(c, cls, targs, n, &ref) != 0 || !ref) return ev_fail(c, "cannot make a value of this type");
    ICorDebugValue *box = ev_pin(c, ref);
    int null = 0;
    if (!(*out = ev_deref(c, box, &null))) return ev_fail(c, "cannot make a value of this type");
    made_box = box;
    return 0;
}

/* A T? holding a's value, its fields set as an assignment sets them. */
static int make_nullable(EvCtx *c, ICorDebugType *nt, const EvVal *a, ICorDebugValue **out)
{
    EvVal dst;
    if (zero_struct(c, nt, out) != 0 || ev_from_value(c, *out, &dst) != 0) return -1;
    dst.is_lvalue = 1;
    return ev_assign(c, &dst, a);
}

/* The default value of parameter k (0-based) of cd, as its own type: the Constant table's
 * value, null, or default(T) for [Optional] and `= default`. Refused when cordbg cannot make
 * it exactly (a decimal's DecimalConstantAttribute, a nullable with a value). */
static int default_arg(EvCtx *c, const Cand *cd, uint32_t k, ICorDebugType **ta, size_t nclass, size_t nta,
                       ICorDebugValue **out)
{
    const MdMeta *md = cd->md;
    uint32_t r = param_row(md, cd->rid, k + 1);
    const char *pname = r ? md_string(md, md_get(md, MD_T_Param, r, MD_Param_Name)) : "?";
    const MdType *p = cd->sig->params[k];
    CorElementType prim = 0;
    ICorDebugType *vt = NULL;
    ParamShape shape = param_shape(c, p, ta, nclass, nta, &prim, &vt);
    CTy *pt = ct_from_md(c, md, p, (CTy **)cd->cargs, cd->ncargs, (CTy **)cd->margs, (int)cd->gen_count);
    uint32_t key = md_coded_from_token(MD_CI_HasConstant, 0x08000000u | r);
    uint32_t row = r ? md_lower_bound(md, MD_T_Constant, MD_Constant_Parent, key) : 0;
    const uint8_t *b = NULL;
    uint32_t len = 0;
    int have = row && row <= md_rows(md, MD_T_Constant) && md_get(md, MD_T_Constant, row, MD_Constant_Parent) == key &&
               md_blob(md, md_get(md, MD_T_Constant, row, MD_Constant_Value), &b, &len) == 0;
    CorElementType cet = have ? (CorElementType)md_get(md, MD_T_Constant, row, MD_Constant_Type) : ELEMENT_TYPE_CLASS;
    if (cet == ELEMENT_TYPE_CLASS) {
        /* null, or default(T) of a value type. */
        if (shape == PS_REF) return ev_create_null(c, out);
        ICorDebugType *d = vt ? vt : ct_to_dbg(c, pt);
        if (shape == PS_PRIM) {
            uint8_t z[8] = { 0 };
            return ev_create_primitive(c, prim, z, out);
        }
        if (pt && ct_is_named(pt, "System.Decimal") && r) {
            /* A decimal default lives in [DecimalConstant(scale, sign, hi, mid, lo)]. */
            uint32_t key2 = md_coded_from_token(MD_CI_HasCustomAttribute, 0x08000000u | r);
            uint32_t rows = md_rows(md, MD_T_CustomAttribute);
            for (uint32_t a = md_lower_bound(md, MD_T_CustomAttribute, MD_CustomAttribute_Parent, key2);
                 a && a <= rows && md_get(md, MD_T_CustomAttribute, a, MD_CustomAttribute_Parent) == key2; a++) {
                const char *ans, *aname;
                const uint8_t *blob;
                uint32_t blen;
                if (md_attr_type(md, a, &ans, &aname) != 0 || strcmp(aname, "DecimalConstantAttribute") ||
                    md_blob(md, md_get(md, MD_T_CustomAttribute, a, MD_CustomAttribute_Value), &blob, &blen) != 0 ||
                    blen < 16 || blob[0] != 1 || blob[1] != 0)
                    continue;
                uint32_t w[3];
                for (int i = 0; i < 3; i++)
                    w[i] = (uint32_t)blob[4 + 4 * i] | (uint32_t)blob[5 + 4 * i] << 8 | (uint32_t)blob[6 + 4 * i] << 16 |
                           (uint32_t)blob[7 + 4 * i] << 24;
                EvVal dargs[5], dv;
                memset(dargs, 0, sizeof dargs);
                dargs[0].et = dargs[1].et = dargs[2].et = ELEMENT_TYPE_I4;
                dargs[0].bits = (uint64_t)(int64_t)(int32_t)w[2];       /* lo */
                dargs[1].bits = (uint64_t)(int64_t)(int32_t)w[1];       /* mid */
                dargs[2].bits = (uint64_t)(int64_t)(int32_t)w[0];       /* hi */
                dargs[3].et = ELEMENT_TYPE_BOOLEAN;
                dargs[3].bits = blob[3] != 0;
                dargs[4].et = ELEMENT_TYPE_U1;
                dargs[4].bits = blob[2];
                ICorDebugType *dt = ct_to_dbg(c, pt);
                if (!dt || ev_new_instance(c, dt, dargs, 5, &dv) != 0) return -1;
                *out = dv.v;
                return 0;
            }
        }
        if (shape == PS_VALUE && d) return zero_struct(c, d, out);
        return ev_fail(c, "cannot pass the default value of parameter '%s': the call is not made", pname);
    }
    if (cet == ELEMENT_TYPE_STRING) {
        if (!pt || !(pt->kind == CT_PRIM && (pt->et == ELEMENT_TYPE_STRING || pt->et == ELEMENT_TYPE_OBJECT))) goto refuse;
        char *s = utf8_from_utf16(c->arena, (const uint16_t *)b, len / 2);
        if (!s) return ev_fail(c, "out of memory");
        return ev_new_string(c, s, strlen(s), out);
    }
    if (!ev_is_primitive(cet) || len > 8) goto refuse;
    uint8_t bytes[8] = { 0 };
    memcpy(bytes, b, len);
    if (shape == PS_PRIM && prim == cet) return ev_create_primitive(c, prim, bytes, out);
    if (shape == PS_VALUE && pt && ct_is_enum(c, pt)) {
        ICorDebugType *d = vt ? vt : ct_to_dbg(c, pt);
        uint64_t bits = 0;
        for (uint32_t i = 0; i < len; i++) bits |= (uint64_t)bytes[i] << (8 * i);
        if (d) return make_value_of(c, d, bits, out);
    }
refuse:
    return ev_fail(c, "cannot pass the default value of parameter '%s': the call is not made", pname);
}

/* A params array of the expanded form: made in the program, each element converted to the
 * element type and stored. */
static int params_array(EvCtx *c, const Cand *cd, ICorDebugType **ta, size_t nclass, size_t nta, EvVal *args,
                        size_t nargs, ICorDebugValue **out)
{
    uint32_t last = cd->sig->nparams - 1;
    const MdType *elem = cd->sig->params[last]->inner;
    CTy *ect = ct_from_md(c, cd->md, elem, (CTy **)cd->cargs, cd->ncargs, (CTy **)cd->margs, (int)cd->gen_count);
    ICorDebugType *et = ct_to_dbg(c, ect);
    if (!et) return ev_fail(c, "cannot make the params array: its element type is not loaded");
    CorElementType prim = 0;
    ICorDebugType *vt = NULL;
    ParamShape shape = param_shape(c, elem, ta, nclass, nta, &prim, &vt);
    if (shape != PS_PRIM && shape != PS_REF) return ev_fail(c, "cannot make a params array of structs: the call is not made");
    size_t n = 0, idx[MAXP];
    for (size_t i = 0; i < nargs; i++) if ((uint32_t)cd->argp[i] == last) idx[n++] = i;
    /* References first (they may run evaluations), pinned; then the array; then the stores. */
    ICorDebugValue *vals[MAXP];
    for (size_t j = 0; j < n && shape == PS_REF; j++) {
        if (marshal_arg(c, cd->md, elem, ta, nclass, nta, &args[idx[j]], &vals[j]) != 0) return -1;
        if (vals[j] != args[idx[j]].v) vals[j] = ev_pin(c, vals[j]);
    }
    uint32_t dim = (uint32_t)n;
    ICorDebugValue *arr;
    if (ev_new_array(c, et, 1, &dim, &arr) != 0) return -1;
    arr = ev_pin(c, arr);
    int null = 0;
    ICorDebugValue *o = ev_deref(c, arr, &null);
    ICorDebugArrayValue *av = NULL;
    if (!o || FAILED(COM(o, QueryInterface, &IID_ICorDebugArrayValue, (void **)&av)) || !av)
        return ev_fail(c, "cannot make the params array");
    ev_keep(c, av);
    for (size_t j = 0; j < n; j++) {
        ICorDebugValue *slot = NULL;
        if (FAILED(COM(av, GetElementAtPosition, (ULONG32)j, &slot)) || !slot) return ev_fail(c, "cannot fill the params array");
        ev_keep(c, slot);
        const EvVal *a = &args[idx[j]];
        if (shape == PS_PRIM) {
            if (!ev_is_primitive(a->et) || a->is_null) return ev_fail(c, "cannot fill the params array");
            uint8_t bytes[8];
            prim_bytes(a, prim, bytes);
            if (set_bytes(c, slot, bytes) != 0) return -1;
            continue;
        }
        CORDB_ADDRESS addr = 0;
        ICorDebugReferenceValue *src = NULL, *dst = NULL;
        if (FAILED(COM(vals[j], QueryInterface, &IID_ICorDebugReferenceValue, (void **)&src)) || !src ||
            !ev_keep(c, src) || FAILED(COM(src, GetValue, &addr)) ||
            FAILED(COM(slot, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&dst)) || !dst || !ev_keep(c, dst) ||
            FAILED(COM(dst, SetValue, addr)))
            return ev_fail(c, "cannot fill the params array");
    }
    *out = arr;
    return 0;
}

/* Call a resolved candidate with `self` (NULL for static) and args, in C#'s shape: every
 * parameter gets a value of exactly its type (defaults filled, the params array built). */
static int invoke(EvCtx *c, const Cand *cd, const EvVal *self, EvVal *args, size_t nargs, int is_ctor, EvVal *out)
{
    ICorDebugFunction *fn = NULL;
    if (FAILED(COM(evh_module_iface(c, cd->m), GetFunctionFromToken, 0x06000000u | cd->rid, &fn)) || !fn)
        return ev_fail(c, "cannot find the method's code");
    ev_keep(c, fn);
    ICorDebugType *ta[MAXG * 2];
    size_t nta = type_args_of(c, cd->owner, ta, MAXG);
    size_t nclass = nta;
    for (uint32_t g = 0; g < cd->gen_count; g++) {
        ICorDebugType *t = ct_to_dbg(c, cd->margs[g]);
        if (!t) {
            char tn[256];
            ct_text(c, cd->margs[g], tn, sizeof tn);
            return ev_fail(c, "cannot instantiate the method with '%s' (the type is not loaded)", tn);
        }
        ta[nta++] = t;
    }
    uint32_t np = cd->sig->nparams;
    if (np > MAXP || nargs > MAXP) return ev_fail(c, "too many arguments");
    ICorDebugValue *argv[MAXP + 1];
    size_t n = 0;
    size_t mark = c->nholds_;
    int this_slot = self && !cd->is_static;
    /* Making an argument may run an evaluation: what is held survives it. */
    EvVal keep_self;
    if (this_slot) {
        if (!self->v) return ev_fail(c, "cannot call a method on a value made by cordbg");
        keep_self = *self;
        ev_hold(c, &keep_self);
    }
    for (size_t i = 0; i < nargs; i++) ev_hold(c, &args[i]);
    int rc = 0;
    if (this_slot) {
        /* A value type's `this` for a method of a class (Object, ValueType, Enum: HasFlag,
         * Equals, GetType) is its box. */
        ICorDebugValue *tv = keep_self.v;
        CorElementType oet = 0, vet = 0;
        COM(cd->owner, GetType, &oet);
        COM(tv, GetType, &vet);
        /* A number as `this` is boxed too: the runtime unboxes it for the value type's method
         * (a number cordbg made has no home in the program to point `this` at). */
        if ((oet == ELEMENT_TYPE_CLASS && (vet == ELEMENT_TYPE_VALUETYPE || ev_is_primitive(vet))) || ev_is_primitive(vet)) {
            rc = ev_box(c, &keep_self, &tv);
            if (rc == 0) tv = ev_pin(c, tv);
        }
        argv[n++] = tv;
    }
    ICorDebugValue *boxes[MAXP] = { 0 };
    for (uint32_t k = 0; k < np && rc == 0; k++) {
        ICorDebugValue *v = NULL;
        made_box = NULL;
        if (cd->expanded && k == np - 1) {
            rc = params_array(c, cd, ta, nclass, nta, args, nargs, &v);
        } else {
            size_t i = 0;
            while (i < nargs && (uint32_t)cd->argp[i] != k) i++;
            if (i < nargs) {
                rc = marshal_arg(c, cd->md, cd->sig->params[k], ta, nclass, nta, &args[i], &v);
                if (rc == 0 && v != args[i].v) v = ev_pin(c, v);
            } else {
                rc = default_arg(c, cd, k, ta, nclass, nta, &v);
                if (rc == 0) v = ev_pin(c, v);
            }
        }
        boxes[k] = made_box;
        argv[n++] = v;
    }
    for (uint32_t k = 0; k < np && rc == 0; k++) {
        int null = 0;
        ICorDebugValue *inner = boxes[k] ? ev_deref(c, boxes[k], &null) : NULL;
        if (inner) argv[k + (size_t)this_slot] = inner;
    }
    ev_unhold(c, mark);
    if (rc != 0) return -1;
    ICorDebugValue *result = NULL;
    rc = is_ctor ? ev_new_object(c, fn, ta, nta, argv, n, &result) : ev_call(c, fn, ta, nta, argv, n, &result);
    if (rc != 0) return -1;
    memset(out, 0, sizeof *out);
    if (!result) { out->et = ELEMENT_TYPE_VOID; return 0; }
    return ev_from_value(c, result, out);
}

/* The types a simple name's method is looked up in from the frame: the frame method's type
 * and the types enclosing it, so that code the compiler moved into a state machine, an
 * iterator or a closure class still finds its user type's static methods. */
static size_t scope_types(EvCtx *c, ICorDebugType **out, size_t cap)
{
    const Where *w = ev_where(c);
    Module *m = w ? evh_module_by_id(c, w->module_id) : NULL;
    PdbModule *sym = m ? evh_module_symbols(c, m, 1) : NULL;
    if (!sym) return 0;
    const MdMeta *md = &pdb_module_image(sym)->md;
    size_t n = 0;
    for (uint32_t t = md_method_owner(md, w->token & 0x00ffffff), guard = 0; t && n < cap && guard < 16;
         t = md_enclosing_type(md, t), guard++) {
        ICorDebugType *ty = ev_typedef_type(c, m, t, NULL, 0);
        if (ty) out[n++] = ty;
    }
    return n;
}

static int resolve_and_invoke(EvCtx *c, ICorDebugType *t, const EvVal *self, const char *name, ExprType *const *targs,
                              int ntargs, EvVal *args, const EvArg *info, size_t nargs, int is_ctor, int simple_name,
                              EvVal *out)
{
    if (nargs + 1 > MAXP) return ev_fail(c, "too many arguments");
    ndef_cache = 0;
    CTy *tv[MAXG];
    if (ntargs > MAXG) return ev_fail(c, "too many type arguments");
    for (int g = 0; g < ntargs; g++) {
        ICorDebugType *d;
        if (ev_type_from_expr(c, targs[g], &d) != 0) return -1;
        if (!(tv[g] = ct_from_dbg(c, d))) return ev_fail(c, "cannot use this type argument");
    }
    /* Argument types; room before them for an extension method's receiver. */
    CTy *atv[MAXP + 1];
    CTy **at = atv + 1;
    for (size_t i = 0; i < nargs; i++) {
        if (!(at[i] = arg_cty(c, &args[i]))) {
            c->err[0] = 0;
            return ev_fail(c, "cannot tell the type of argument %zu", i + 1);
        }
    }
    MdPool pool = { 0 };
    Cands cs;
    memset(&cs, 0, sizeof cs);
    int want_instance = (self != NULL && !self->is_type) || is_ctor;
    int want_static = !is_ctor && (self == NULL || self->is_type || simple_name);
    ICorDebugType *scopes[17];
    size_t nscopes = 0;
    if (t) scopes[nscopes++] = t;
    if (simple_name) nscopes += scope_types(c, scopes + nscopes, 16);
    for (size_t sidx = 0; sidx < nscopes && !cs.seen; sidx++)
        collect(c, &cs, scopes[sidx], name, want_static, want_instance && sidx == 0, &pool, at, args, info, nargs, tv, ntargs);
    if (is_ctor) {
        /* constructors are not inherited */
        size_t k = 0;
        for (size_t i = 0; i < cs.n; i++) if (cs.v[i].depth == 0) cs.v[k++] = cs.v[i];
        cs.n = k;
    }
    Cand *best = NULL;
    int rc;
    c->err[0] = 0;
    if (cs.n) {
        best = pick_best(c, &cs, at, nargs);
        if (!best) { md_pool_free(&pool); return -1; }
    } else if (self && !self->is_type && !is_ctor && self->v) {
        /* No applicable instance method: extension methods, the object as their first argument. */
        Cands xs;
        memset(&xs, 0, sizeof xs);
        EvVal *all = arena_push(c->arena, (nargs + 1) * sizeof *all);
        EvArg *ainfo = arena_push(c->arena, (nargs + 1) * sizeof *ainfo);
        if (!all || !ainfo) { md_pool_free(&pool); return ev_fail(c, "out of memory"); }
        all[0] = *self;
        memcpy(all + 1, args, nargs * sizeof *args);
        memset(ainfo, 0, (nargs + 1) * sizeof *ainfo);
        if (info) memcpy(ainfo + 1, info, nargs * sizeof *info);
        atv[0] = arg_cty(c, self);
        if (!atv[0]) { md_pool_free(&pool); c->err[0] = 0; return ev_fail(c, "the value's type is unknown"); }
        collect_extensions(c, &xs, name, &pool, atv, all, ainfo, nargs + 1, tv, ntargs);
        if (xs.n) {
            Cand *xb = pick_best(c, &xs, atv, nargs + 1);
            rc = xb ? invoke(c, xb, NULL, all, nargs + 1, 0, out) : -1;
            md_pool_free(&pool);
            return rc;
        }
        if (!cs.seen && xs.seen) cs.why = xs.why;
        cs.seen |= xs.seen;
    }
    if (!best) {
        md_pool_free(&pool);
        char tn[256];
        if (t) ev_type_name(c, t, tn, sizeof tn);
        else snprintf(tn, sizeof tn, "?");
        if (cs.seen && cs.why.rank) return ev_fail(c, "%s", cs.why.msg);
        if (is_ctor) return ev_fail(c, "CS1729: '%s' does not contain a constructor that takes %zu arguments", tn, nargs);
        if (simple_name) return ev_fail(c, "CS0103: The name '%s' does not exist in the current context", name);
        if (self && !self->is_type) {
            CTy *st = arg_cty(c, self);
            if (st) ct_text(c, st, tn, sizeof tn);
            return ev_fail(c, "CS1061: '%s' does not contain a definition for '%s' and no accessible extension method '%s' "
                           "accepting a first argument of type '%s' could be found", tn, name, name, tn);
        }
        return ev_fail(c, "CS0117: '%s' does not contain a definition for '%s'", tn, name);
    }
    if (best->is_static && self && !is_ctor && !self->is_type && !simple_name) {
        /* An instance expression used to reach a static method: C# refuses (CS0176). */
        md_pool_free(&pool);
        return ev_fail(c, "CS0176: Member '%s' cannot be accessed with an instance reference; qualify it with a type name instead", name);
    }
    if (!best->is_static && !is_ctor && (!self || self->is_type)) {
        md_pool_free(&pool);
        char mt[512];
        method_text(best, mt, sizeof mt);
        return ev_fail(c, "CS0120: An object reference is required for the non-static field, method, or property '%s'", mt);
    }
    rc = invoke(c, best, self && !self->is_type ? self : NULL, args, nargs, is_ctor, out);
    md_pool_free(&pool);
    return rc;
}

/* A value the program holds for a method's `this`: a number or an enum constant cordbg made
 * is moved into the program first; a boxed value's methods are its value type's, looked up
 * in the runtime type (overrides found there are the ones the program would run). */
static int receiver(EvCtx *c, const EvVal *obj, EvVal *self, ICorDebugType **t)
{
    *self = *obj;
    if (!obj->v) {
        ICorDebugValue *mv;
        if (obj->et == ELEMENT_TYPE_VALUETYPE && obj->type) {
            if (make_value_of(c, obj->type, obj->bits, &mv) != 0) return -1;
        } else if (ev_materialize(c, obj, NULL, &mv) != 0) {
            return -1;
        }
        if (ev_from_value(c, mv, self) != 0) return -1;
        self->decl = obj->decl ? obj->decl : obj->type;
    }
    int null = 0;
    ICorDebugValue *o = ev_deref(c, self->v, &null);
    ICorDebugType *rt = o ? ev_type_of(c, o) : NULL;
    CorElementType oet = 0;
    if (o) COM(o, GetType, &oet);
    const char *kw = ev_is_primitive(oet) || oet == ELEMENT_TYPE_STRING ? ev_keyword_of_et(oet) : NULL;
    ICorDebugType *pt;
    if (kw && ev_find_type(c, kw, NULL, 0, &pt) == 0) rt = pt;
    /* An array's methods are System.Array's (GetLength, GetValue...). */
    if ((oet == ELEMENT_TYPE_SZARRAY || oet == ELEMENT_TYPE_ARRAY) && (pt = type_by_full_name(c, "System.Array", NULL, 0)))
        rt = pt;
    c->err[0] = 0;
    if (o && self->v != o && (oet == ELEMENT_TYPE_VALUETYPE || ev_is_primitive(oet))) self->v = o;
    *t = rt;
    return 0;
}

int ev_call_method_args(EvCtx *c, const EvVal *obj_or_type, const char *name, ExprType *const *targs, int ntargs,
                        EvVal *args, const EvArg *info, size_t nargs, int simple_name, EvVal *out)
{
    if (!c->allow_side_effects && !c->funceval)
        return ev_fail(c, "%s", c->no_funceval ? c->no_funceval : "function evaluation is off (set eval on)");
    ICorDebugType *t = obj_or_type->type;
    EvVal self = *obj_or_type;
    if (!obj_or_type->is_type) {
        if (obj_or_type->is_null) { c->threw = 1; return ev_fail(c, "System.NullReferenceException: Object reference not set to an instance of an object."); }
        if (receiver(c, obj_or_type, &self, &t) != 0) return -1;
    }
    if (!t) return ev_fail(c, "the value's type is unknown");
    return resolve_and_invoke(c, t, obj_or_type->is_type ? NULL : &self, name, targs, ntargs, args, info, nargs, 0,
                              simple_name, out);
}

int ev_call_method(EvCtx *c, const EvVal *obj_or_type, const char *name, ExprType *const *targs,
                   int ntargs, EvVal *args, size_t nargs, EvVal *out)
{
    return ev_call_method_args(c, obj_or_type, name, targs, ntargs, args, NULL, nargs, 0, out);
}

int ev_new_instance_args(EvCtx *c, ICorDebugType *t, EvVal *args, const EvArg *info, size_t nargs, EvVal *out)
{
    CorElementType et = 0;
    COM(t, GetType, &et);
    if (et == ELEMENT_TYPE_VALUETYPE && nargs == 0) {
        /* new S(): a zero S, boxed in the program as `new S(4)` is (a value made by
         * CreateValueForType reads as null and cannot be passed as an argument). */
        ICorDebugClass *cls = ev_class_of_type(c, t);
        ICorDebugType *targs[MAXG];
        size_t n = type_args_of(c, t, targs, MAXG);
        ICorDebugValue *ref = NULL;
        if (!cls || ev_new_object_nc(c, cls, targs, n, &ref) != 0 || !ref) return ev_fail(c, "cannot make a value of this type");
        return ev_from_value(c, ev_pin(c, ref), out);
    }
    char tname[16] = "";
    if (et == ELEMENT_TYPE_CLASS) ev_type_name(c, t, tname, sizeof tname);
    if (et == ELEMENT_TYPE_STRING || !strcmp(tname, "string")) {
        /* The runtime makes no string by running a constructor in an evaluation
         * (Argument_CannotCreateString): new string(ch, count) is built here instead. */
        int named = 0;
        for (size_t i = 0; info && i < nargs; i++) named |= info[i].name != NULL;
        if (nargs != 2 || named || args[0].et != ELEMENT_TYPE_CHAR || args[0].is_null ||
            !ev_is_primitive(args[1].et) || args[1].et == ELEMENT_TYPE_BOOLEAN || args[1].et == ELEMENT_TYPE_CHAR ||
            args[1].et == ELEMENT_TYPE_R4 || args[1].et == ELEMENT_TYPE_R8)
            return ev_fail(c, "only new string(char, int) can make a string in an evaluation");
        int64_t count = (int64_t)args[1].bits;
        if (count < 0) return ev_fail(c, "System.ArgumentOutOfRangeException: Count cannot be less than zero.");
        if (count > (1 << 20)) return ev_fail(c, "a string of %lld characters is more than cordbg makes", (long long)count);
        char enc[8];
        uint16_t u = (uint16_t)args[0].bits;
        int n = utf8_from_utf16_buf(enc, sizeof enc, &u, 1);
        if (n <= 0) return ev_fail(c, "cannot encode that character");
        char *text = arena_push(c->arena, (size_t)count * (size_t)n + 1);
        for (int64_t i = 0; i < count; i++) memcpy(text + i * n, enc, (size_t)n);
        text[count * n] = 0;
        memset(out, 0, sizeof *out);
        out->et = ELEMENT_TYPE_STRING;
        out->str = text;
        out->len = (size_t)(count * n);
        return 0;
    }
    return resolve_and_invoke(c, t, NULL, ".ctor", NULL, 0, args, info, nargs, 1, 0, out);
}

int ev_new_instance(EvCtx *c, ICorDebugType *t, EvVal *args, size_t nargs, EvVal *out)
{
    return ev_new_instance_args(c, t, args, NULL, nargs, out);
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
    Cand cd;
    cand_init(&cd, m, md, k, owner, sig);
    int rc = sig && !sig->nparams && !sig->gen_count ? invoke(c, &cd, obj, NULL, 0, 0, out) : ev_fail(c, "bad getter signature");
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
