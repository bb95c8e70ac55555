/* Completions at a stop (DAP's completions request): the names a C# expression could use
 * next. Names in scope (locals, arguments, members of `this` and statics of the frame's
 * type) or the members of a receiver's type after `expr.`; read from metadata, so that
 * completing never runs the program's code beyond what evaluating the receiver needs. */
#include "eval/eval.h"
#include "meta/symbols.h"

#include <stdio.h>
#include <string.h>

enum { FIELD_STATIC = 0x10, FIELD_ACCESS = 0x7, ACC_PRIVATE = 1, METHOD_STATIC = 0x10, METHOD_SPECIAL = 0x800 };

static int starts_with(const char *s, const char *prefix) { return !strncmp(s, prefix, strlen(prefix)); }

/* Compiler-made names (<Name>k__BackingField, <>c, CS$...) are not the user's to type. */
static int speakable(const char *name) { return name[0] && !strchr(name, '<') && !strchr(name, '$') && !strchr(name, '.'); }

static void add(EvCtx *c, EvCompletion **out, size_t *n, size_t *cap, const char *label, const char *kind)
{
    for (size_t i = 0; i < *n; i++) if (!strcmp((*out)[i].label, label)) return;   /* overloads, overrides, hiding */
    if (*n == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        EvCompletion *g = arena_push(c->arena, nc * sizeof *g);
        if (!g) return;
        if (*n) memcpy(g, *out, *n * sizeof *g);
        *out = g;
        *cap = nc;
    }
    snprintf((*out)[*n].label, sizeof (*out)[*n].label, "%s", label);
    (*out)[*n].kind = kind;
    (*n)++;
}

/* Members of one type definition that match: statics (want & 1) and instance ones (want & 2);
 * private ones only of the type itself (own). */
static void typedef_members(EvCtx *c, const MdMeta *md, uint32_t rid, int want, int own, const char *prefix,
                            EvCompletion **out, size_t *n, size_t *cap)
{
    uint32_t first, end;
    md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_FieldList, MD_T_Field, &first, &end);
    for (uint32_t f = first; f < end; f++) {
        uint32_t fl = md_get(md, MD_T_Field, f, MD_Field_Flags);
        const char *name = md_string(md, md_get(md, MD_T_Field, f, MD_Field_Name));
        if (!(want & ((fl & FIELD_STATIC) ? 1 : 2)) || (!own && (fl & FIELD_ACCESS) == ACC_PRIVATE)) continue;
        if (speakable(name) && starts_with(name, prefix)) add(c, out, n, cap, name, "field");
    }
    /* Properties: their map row names the type; HASTHIS (0x20) in the signature's first
     * byte says an instance one. */
    uint32_t pfirst, pend;
    md_type_properties(md, rid, &pfirst, &pend);
    for (uint32_t p = pfirst; p < pend; p++) {
        const char *name = md_string(md, md_get(md, MD_T_Property, p, MD_Property_Name));
        const uint8_t *sig;
        uint32_t len;
        int inst = md_blob(md, md_get(md, MD_T_Property, p, MD_Property_Type), &sig, &len) == 0 && len && (sig[0] & 0x20);
        if (!(want & (inst ? 2 : 1))) continue;
        if (speakable(name) && starts_with(name, prefix)) add(c, out, n, cap, name, "property");
    }
    md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_MethodList, MD_T_MethodDef, &first, &end);
    for (uint32_t k = first; k < end; k++) {
        uint32_t fl = md_get(md, MD_T_MethodDef, k, MD_MethodDef_Flags);
        const char *name = md_string(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Name));
        if ((fl & METHOD_SPECIAL) || !(want & ((fl & METHOD_STATIC) ? 1 : 2))) continue;   /* accessors, operators, .ctor */
        if (!own && (fl & FIELD_ACCESS) == ACC_PRIVATE) continue;
        if (speakable(name) && starts_with(name, prefix)) add(c, out, n, cap, name, "method");
    }
}

/* Members of type t and its bases. */
static void type_members(EvCtx *c, ICorDebugType *t, int want, const char *prefix, EvCompletion **out, size_t *n, size_t *cap)
{
    for (int depth = 0; t && depth < 16; depth++) {
        const MdMeta *md;
        uint32_t rid;
        ICorDebugClass *cls = ev_class_of_type(c, t);
        if (cls && ev_module_of_class(c, cls, &md, &rid)) typedef_members(c, md, rid, want, depth == 0, prefix, out, n, cap);
        ICorDebugType *b = NULL;
        if (FAILED(COM(t, GetBase, &b)) || !b) break;
        t = ev_keep(c, b);
    }
}

int ev_complete(EvCtx *c, const char *receiver, const char *prefix, EvCompletion **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    if (receiver) {
        EvVal v;
        if (ev_evaluate(c, receiver, &v) != 0) return -1;
        if (v.is_type) {
            type_members(c, v.type, 1, prefix, out, n, &cap);
            return 0;
        }
        if (v.is_null) return ev_fail(c, "'%s' is null", receiver);
        ICorDebugType *t = v.type;
        if (!t && v.v) t = ev_type_of(c, v.v);
        if (!t) return ev_fail(c, "'%s' has no type to complete members of", receiver);
        type_members(c, t, 2, prefix, out, n, &cap);
        return 0;
    }
    EvVar *vars;
    size_t nv;
    if (ev_frame_locals(c, &vars, &nv) == 0)
        for (size_t i = 0; i < nv; i++)
            if (speakable(vars[i].name) && starts_with(vars[i].name, prefix)) add(c, out, n, &cap, vars[i].name, "variable");
    if (ev_frame_args(c, &vars, &nv) == 0)
        for (size_t i = 0; i < nv; i++)
            if (speakable(vars[i].name) && starts_with(vars[i].name, prefix)) add(c, out, n, &cap, vars[i].name, "variable");
    c->err[0] = 0;
    EvVal self;
    if (ev_this(c, &self) == 0 && self.v && !self.is_null) {
        if (starts_with("this", prefix)) add(c, out, n, &cap, "this", "keyword");
        ICorDebugType *t = self.type ? self.type : ev_type_of(c, self.v);
        type_members(c, t, 3, prefix, out, n, &cap);
    }
    c->err[0] = 0;
    /* Statics of the frame's own type (a static method has no `this` to find them by). */
    ICorDebugFrame *f = ev_frame(c);
    ICorDebugFunction *fn = NULL;
    ICorDebugClass *cls = NULL;
    if (f && SUCCEEDED(COM(f, GetFunction, &fn)) && fn && ev_keep(c, fn) && SUCCEEDED(COM(fn, GetClass, &cls)) && cls) {
        ev_keep(c, cls);
        const MdMeta *md;
        uint32_t rid;
        if (ev_module_of_class(c, cls, &md, &rid)) typedef_members(c, md, rid, 1, 1, prefix, out, n, &cap);
    }
    return 0;
}
