/* Values as a user sees them: reading debuggee values, their C# type names, one-line
 * summaries (enums by name, decimals exact, DebuggerDisplay and ToString honoured) and their
 * children (fields and properties through the base types, array elements paged, a
 * DebuggerTypeProxy's view, DebuggerBrowsable honoured). */
#include "eval/eval.h"
#include "base/utf.h"
#include "base/log.h"
#include "meta/sig.h"
#include "meta/pdb.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_enum_type(EvCtx *c, ICorDebugType *t);

enum { STRING_LIMIT = 512, SUMMARY_DEPTH = 3 };
enum { FD_STATIC = 0x0010, FD_LITERAL = 0x0040, MD_STATIC = 0x0010 };

int ev_is_primitive(CorElementType et)
{
    return (et >= ELEMENT_TYPE_BOOLEAN && et <= ELEMENT_TYPE_R8) || et == ELEMENT_TYPE_I || et == ELEMENT_TYPE_U;
}

static int is_reference_et(CorElementType et)
{
    return et == ELEMENT_TYPE_STRING || et == ELEMENT_TYPE_CLASS || et == ELEMENT_TYPE_OBJECT ||
           et == ELEMENT_TYPE_SZARRAY || et == ELEMENT_TYPE_ARRAY;
}

static size_t prim_size(CorElementType et)
{
    switch (et) {
    case ELEMENT_TYPE_BOOLEAN: case ELEMENT_TYPE_I1: case ELEMENT_TYPE_U1: return 1;
    case ELEMENT_TYPE_CHAR: case ELEMENT_TYPE_I2: case ELEMENT_TYPE_U2: return 2;
    case ELEMENT_TYPE_I4: case ELEMENT_TYPE_U4: case ELEMENT_TYPE_R4: return 4;
    default: return 8;
    }
}

/* Raw little-endian bytes of a primitive into bits/d, sign-extended as its type says. */
static void prim_from_bytes(EvVal *out, const uint8_t *b)
{
    uint64_t u = 0;
    size_t n = prim_size(out->et);
    for (size_t i = 0; i < n; i++) u |= (uint64_t)b[i] << (8 * i);
    switch (out->et) {
    case ELEMENT_TYPE_I1: u = (uint64_t)(int64_t)(int8_t)u; break;
    case ELEMENT_TYPE_I2: u = (uint64_t)(int64_t)(int16_t)u; break;
    case ELEMENT_TYPE_I4: u = (uint64_t)(int64_t)(int32_t)u; break;
    case ELEMENT_TYPE_R4: { float f; uint32_t w = (uint32_t)u; memcpy(&f, &w, 4); out->d = f; break; }
    case ELEMENT_TYPE_R8: memcpy(&out->d, &u, 8); break;
    default: break;
    }
    out->bits = u;
}

ICorDebugType *ev_type_of(EvCtx *c, ICorDebugValue *v)
{
    ICorDebugValue2 *v2 = NULL;
    ICorDebugType *t = NULL;
    if (SUCCEEDED(COM(v, QueryInterface, &IID_ICorDebugValue2, (void **)&v2)) && v2) {
        if (FAILED(COM(v2, GetExactType, &t))) t = NULL;
        COM0(v2, Release);
    }
    return t ? ev_keep(c, t) : NULL;
}

ICorDebugClass *ev_class_of_type(EvCtx *c, ICorDebugType *t)
{
    ICorDebugClass *cls = NULL;
    if (!t || FAILED(COM(t, GetClass, &cls)) || !cls) return NULL;
    return ev_keep(c, cls);
}

Module *ev_module_of_class(EvCtx *c, ICorDebugClass *cls, const MdMeta **md, uint32_t *rid)
{
    ICorDebugModule *mod = NULL;
    mdTypeDef tok = 0;
    if (!cls || FAILED(COM(cls, GetModule, &mod)) || !mod) return NULL;
    COM(cls, GetToken, &tok);
    Module *m = evh_module_by_iface(c, mod);
    COM0(mod, Release);
    PdbModule *sym = m ? evh_module_symbols(c, m, 1) : NULL;
    if (!sym) return NULL;
    if (md) *md = &pdb_module_image(sym)->md;
    if (rid) *rid = tok & 0x00ffffff;
    return m;
}

/* ---------------------------------------------------------------- type names */

/* C#'s built-in types: keyword, element type (decimal is a struct: none), System name. The
 * one table every conversion between the three goes through. */
static const struct Builtin { const char *kw; CorElementType et; const char *system; } builtins[] = {
    { "void", ELEMENT_TYPE_VOID, "System.Void" },       { "bool", ELEMENT_TYPE_BOOLEAN, "System.Boolean" },
    { "char", ELEMENT_TYPE_CHAR, "System.Char" },       { "sbyte", ELEMENT_TYPE_I1, "System.SByte" },
    { "byte", ELEMENT_TYPE_U1, "System.Byte" },         { "short", ELEMENT_TYPE_I2, "System.Int16" },
    { "ushort", ELEMENT_TYPE_U2, "System.UInt16" },     { "int", ELEMENT_TYPE_I4, "System.Int32" },
    { "uint", ELEMENT_TYPE_U4, "System.UInt32" },       { "long", ELEMENT_TYPE_I8, "System.Int64" },
    { "ulong", ELEMENT_TYPE_U8, "System.UInt64" },      { "float", ELEMENT_TYPE_R4, "System.Single" },
    { "double", ELEMENT_TYPE_R8, "System.Double" },     { "string", ELEMENT_TYPE_STRING, "System.String" },
    { "object", ELEMENT_TYPE_OBJECT, "System.Object" }, { "nint", ELEMENT_TYPE_I, "System.IntPtr" },
    { "nuint", ELEMENT_TYPE_U, "System.UIntPtr" },      { "decimal", 0, "System.Decimal" },
};
#define NBUILTINS (sizeof builtins / sizeof *builtins)

const char *ev_keyword_of_et(CorElementType et)
{
    for (size_t i = 0; i < NBUILTINS; i++) if (et && builtins[i].et == et) return builtins[i].kw;
    return NULL;
}

CorElementType ev_et_of_keyword(const char *kw)
{
    for (size_t i = 0; i < NBUILTINS; i++) if (!strcmp(kw, builtins[i].kw)) return builtins[i].et;
    return 0;
}

const char *ev_system_name(const char *kw)
{
    for (size_t i = 0; i < NBUILTINS; i++) if (!strcmp(kw, builtins[i].kw)) return builtins[i].system;
    return NULL;
}

static const char *system_keyword(const char *full)
{
    for (size_t i = 0; i < NBUILTINS; i++) if (!strcmp(full, builtins[i].system)) return builtins[i].kw;
    return NULL;
}

/* "Ns.Outer.Inner" of a TypeDef, generic arity suffixes dropped. */
static void typedef_name(const MdMeta *md, uint32_t rid, char *out, size_t cap)
{
    char acc[512] = "";
    for (uint32_t t = rid, guard = 0; t && guard < 16; t = md_enclosing_type(md, t), guard++) {
        const char *name = md_string(md, md_get(md, MD_T_TypeDef, t, MD_TypeDef_Name));
        size_t n = strcspn(name, "`");
        char joined[512];
        const char *outer_ns = md_enclosing_type(md, t) ? "" : md_string(md, md_get(md, MD_T_TypeDef, t, MD_TypeDef_Namespace));
        snprintf(joined, sizeof joined, "%s%s%.*s%s%s", outer_ns, outer_ns[0] ? "." : "", (int)n, name,
                 acc[0] ? "." : "", acc);
        snprintf(acc, sizeof acc, "%s", joined);
    }
    snprintf(out, cap, "%s", acc);
}

ICorDebugType *ev_typedef_type(EvCtx *c, Module *m, uint32_t rid, ICorDebugType **args, size_t nargs)
{
    PdbModule *sym = evh_module_symbols(c, m, 1);
    ICorDebugClass *cls = NULL;
    ICorDebugClass2 *c2 = NULL;
    ICorDebugType *t = NULL;
    if (!sym || FAILED(COM(evh_module_iface(c, m), GetClassFromToken, 0x02000000u | rid, &cls)) || !cls) return NULL;
    ev_keep(c, cls);
    if (FAILED(COM(cls, QueryInterface, &IID_ICorDebugClass2, (void **)&c2)) || !c2) return NULL;
    ev_keep(c, c2);
    /* Value type or class: by what it extends (System.Enum itself is a class). */
    const MdMeta *md = &pdb_module_image(sym)->md;
    uint32_t ext = md_coded_token(MD_CI_TypeDefOrRef, md_get(md, MD_T_TypeDef, rid, MD_TypeDef_Extends));
    char base[256] = "", self[256];
    if (ext) md_token_type_name(md, ext, base, sizeof base);
    typedef_name(md, rid, self, sizeof self);
    int vt = (!strcmp(base, "System.ValueType") || !strcmp(base, "System.Enum")) && strcmp(self, "System.Enum");
    if (FAILED(COM(c2, GetParameterizedType, vt ? ELEMENT_TYPE_VALUETYPE : ELEMENT_TYPE_CLASS, (ULONG32)nargs, args, &t)) || !t)
        return NULL;
    return ev_keep(c, t);
}

/* The type's generic arguments (kept), up to cap; the count. */
static size_t type_args(EvCtx *c, ICorDebugType *t, ICorDebugType **out, size_t cap)
{
    ICorDebugTypeEnum *en = NULL;
    size_t n = 0;
    if (FAILED(COM(t, EnumerateTypeParameters, &en)) || !en) return 0;
    ICorDebugType *a = NULL;
    ULONG got = 0;
    while (n < cap && SUCCEEDED(COM(en, Next, 1, &a, &got)) && got == 1) out[n++] = ev_keep(c, a);
    COM0(en, Release);
    return n;
}

/* Class name of a CLASS/VALUETYPE type without its generic arguments. */
static void class_type_name(EvCtx *c, ICorDebugType *t, char *out, size_t cap)
{
    ICorDebugClass *cls = ev_class_of_type(c, t);
    const MdMeta *md = NULL;
    uint32_t rid = 0;
    if (cls && ev_module_of_class(c, cls, &md, &rid)) typedef_name(md, rid, out, cap);
    else if (cls) evh_class_name(c, cls, out, cap);
    else snprintf(out, cap, "?");
}

static void type_name_rec(EvCtx *c, ICorDebugType *t, StrBuf *b, int depth)
{
    CorElementType et = 0;
    if (!t || depth > 16 || FAILED(COM(t, GetType, &et))) { sb_puts(b, "?"); return; }
    const char *kw = ev_keyword_of_et(et);
    if (kw) { sb_puts(b, kw); return; }
    ICorDebugType *args[16];
    switch (et) {
    case ELEMENT_TYPE_SZARRAY: case ELEMENT_TYPE_ARRAY: {
        /* C# writes int[][,] for an array of 2-D arrays: the outermost rank comes first. */
        ICorDebugType *elem = NULL;
        COM(t, GetFirstTypeParameter, &elem);
        if (elem) ev_keep(c, elem);
        ICorDebugType *inner = elem;
        StrBuf ranks;
        sb_init(&ranks);
        ULONG32 rank = 1;
        COM(t, GetRank, &rank);
        sb_putc(&ranks, '[');
        for (ULONG32 i = 1; i < rank; i++) sb_putc(&ranks, ',');
        sb_putc(&ranks, ']');
        CorElementType iet = 0;
        while (inner && SUCCEEDED(COM(inner, GetType, &iet)) && (iet == ELEMENT_TYPE_SZARRAY || iet == ELEMENT_TYPE_ARRAY)) {
            ULONG32 r = 1;
            COM(inner, GetRank, &r);
            sb_putc(&ranks, '[');
            for (ULONG32 i = 1; i < r; i++) sb_putc(&ranks, ',');
            sb_putc(&ranks, ']');
            ICorDebugType *next = NULL;
            COM(inner, GetFirstTypeParameter, &next);
            inner = next ? ev_keep(c, next) : NULL;
        }
        type_name_rec(c, inner, b, depth + 1);
        sb_puts(b, ranks.data ? ranks.data : "[]");
        sb_free(&ranks);
        return;
    }
    case ELEMENT_TYPE_PTR: case ELEMENT_TYPE_BYREF: {
        ICorDebugType *elem = NULL;
        COM(t, GetFirstTypeParameter, &elem);
        if (elem) ev_keep(c, elem);
        if (et == ELEMENT_TYPE_BYREF) sb_puts(b, "ref ");
        type_name_rec(c, elem, b, depth + 1);
        if (et == ELEMENT_TYPE_PTR) sb_putc(b, '*');
        return;
    }
    case ELEMENT_TYPE_CLASS: case ELEMENT_TYPE_VALUETYPE: {
        char name[512];
        class_type_name(c, t, name, sizeof name);
        const char *k = system_keyword(name);
        size_t n = type_args(c, t, args, 16);
        if (k && !n) { sb_puts(b, k); return; }
        if (!strcmp(name, "System.Nullable") && n == 1) {
            type_name_rec(c, args[0], b, depth + 1);
            sb_putc(b, '?');
            return;
        }
        sb_puts(b, name);
        if (n) {
            sb_putc(b, '<');
            for (size_t i = 0; i < n; i++) {
                if (i) sb_puts(b, ", ");
                type_name_rec(c, args[i], b, depth + 1);
            }
            sb_putc(b, '>');
        }
        return;
    }
    case ELEMENT_TYPE_FNPTR: sb_puts(b, "delegate*"); return;
    default: sb_printf(b, "element type 0x%x", (unsigned)et); return;
    }
}

void ev_type_name(EvCtx *c, ICorDebugType *t, char *out, size_t cap)
{
    StrBuf b;
    sb_init(&b);
    type_name_rec(c, t, &b, 0);
    snprintf(out, cap, "%s", b.data ? b.data : "?");
    sb_free(&b);
}

void ev_val_type_name(EvCtx *c, const EvVal *v, char *out, size_t cap)
{
    if (v->view) { snprintf(out, cap, "%s", ""); return; }     /* a group has no type of its own */
    if (v->is_type || v->type) { ev_type_name(c, v->type, out, cap); return; }
    if (v->is_null && !v->v) { snprintf(out, cap, "null"); return; }
    const char *kw = ev_keyword_of_et(v->et);
    snprintf(out, cap, "%s", kw ? kw : "?");
}

/* ---------------------------------------------------------------- reading */

ICorDebugValue *ev_deref(EvCtx *c, ICorDebugValue *v, int *is_null)
{
    *is_null = 0;
    for (int i = 0; v && i < 8; i++) {
        ICorDebugReferenceValue *rv = NULL;
        ICorDebugBoxValue *bx = NULL;
        if (SUCCEEDED(COM(v, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&rv)) && rv) {
            ev_keep(c, rv);
            BOOL null = FALSE;
            COM(rv, IsNull, &null);
            if (null) { *is_null = 1; return NULL; }
            ICorDebugValue *next = NULL;
            if (FAILED(COM(rv, Dereference, &next)) || !next) return NULL;
            v = ev_keep(c, next);
            continue;
        }
        if (SUCCEEDED(COM(v, QueryInterface, &IID_ICorDebugBoxValue, (void **)&bx)) && bx) {
            ev_keep(c, bx);
            ICorDebugObjectValue *ov = NULL;
            if (FAILED(COM(bx, GetObject, &ov)) || !ov) return NULL;
            v = ev_keep(c, (ICorDebugValue *)ov);
            continue;
        }
        return v;
    }
    return NULL;
}

ICorDebugValue *ev_pin(EvCtx *c, ICorDebugValue *v)
{
    ICorDebugHandleValue *h = NULL;
    if (!v) return v;
    if (SUCCEEDED(COM(v, QueryInterface, &IID_ICorDebugHandleValue, (void **)&h)) && h) {
        COM0(h, Release);
        return v;
    }
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v, &null);
    ICorDebugHeapValue2 *hv = NULL;
    if (!obj || FAILED(COM(obj, QueryInterface, &IID_ICorDebugHeapValue2, (void **)&hv)) || !hv) return v;
    ev_keep(c, hv);
    if (FAILED(COM(hv, CreateHandle, HANDLE_STRONG, &h)) || !h) return v;
    if (!GROW(c->handles_, c->nhandles_, c->caphandles_)) { COM0(h, Dispose); COM0(h, Release); return v; }
    c->handles_[c->nhandles_++] = h;        /* disposed and released by ev_done */
    return (ICorDebugValue *)h;
}

/* System.Enum, System.Nullable, ... : the full name of a type's class ("" when none). */
static void class_full_name(EvCtx *c, ICorDebugType *t, char *out, size_t cap)
{
    CorElementType et = 0;
    out[0] = 0;
    if (!t || FAILED(COM(t, GetType, &et)) || (et != ELEMENT_TYPE_CLASS && et != ELEMENT_TYPE_VALUETYPE)) return;
    class_type_name(c, t, out, cap);
}

int ev_is_enum(EvCtx *c, ICorDebugType *t) { return is_enum_type(c, t); }

static int is_enum_type(EvCtx *c, ICorDebugType *t)
{
    ICorDebugType *base = NULL;
    if (!t || FAILED(COM(t, GetBase, &base)) || !base) return 0;
    ev_keep(c, base);
    char name[128];
    class_full_name(c, base, name, sizeof name);
    return !strcmp(name, "System.Enum");
}

/* The instance field `name` of the object value (struct or dereferenced object). */
static ICorDebugValue *field_by_name(EvCtx *c, ICorDebugValue *obj, ICorDebugType *t, const char *name)
{
    ICorDebugObjectValue *ov = NULL;
    if (FAILED(COM(obj, QueryInterface, &IID_ICorDebugObjectValue, (void **)&ov)) || !ov) return NULL;
    ev_keep(c, ov);
    for (ICorDebugType *cur = t; cur; ) {
        ICorDebugClass *cls = ev_class_of_type(c, cur);
        const MdMeta *md;
        uint32_t rid;
        if (cls && ev_module_of_class(c, cls, &md, &rid)) {
            uint32_t first, end;
            md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_FieldList, MD_T_Field, &first, &end);
            for (uint32_t f = first; f < end; f++) {
                if (md_get(md, MD_T_Field, f, MD_Field_Flags) & FD_STATIC) continue;
                if (strcmp(md_string(md, md_get(md, MD_T_Field, f, MD_Field_Name)), name)) continue;
                ICorDebugValue *fv = NULL;
                if (SUCCEEDED(COM(ov, GetFieldValue, cls, 0x04000000u | f, &fv)) && fv) return ev_keep(c, fv);
                return NULL;
            }
        }
        ICorDebugType *base = NULL;
        if (FAILED(COM(cur, GetBase, &base)) || !base) break;
        cur = ev_keep(c, base);
    }
    return NULL;
}

ICorDebugValue *ev_field(EvCtx *c, ICorDebugValue *obj, const char *name)
{
    ICorDebugType *t = ev_type_of(c, obj);
    return t ? field_by_name(c, obj, t, name) : NULL;
}

/* Is t the struct behind a C# number keyword (System.Int32 is int)? A boxed number's
 * inside is one of these. */
static int is_number_struct(EvCtx *c, ICorDebugType *t)
{
    char tn[64];
    if (!t) return 0;
    ev_type_name(c, t, tn, sizeof tn);
    return ev_is_primitive(ev_et_of_keyword(tn));
}

int ev_from_value(EvCtx *c, ICorDebugValue *v, EvVal *out)
{
    memset(out, 0, sizeof *out);
    out->v = v;
    CorElementType et = 0;
    if (FAILED(COM(v, GetType, &et))) return ev_fail(c, "cannot read the value");
    out->et = et;
    out->type = ev_type_of(c, v);
    if (ev_is_primitive(et)) {
        ICorDebugGenericValue *gv = NULL;
        uint8_t b[8] = { 0 };
        if (FAILED(COM(v, QueryInterface, &IID_ICorDebugGenericValue, (void **)&gv)) || !gv)
            return ev_fail(c, "cannot read the value");
        HRESULT hr = COM(gv, GetValue, b);
        COM0(gv, Release);
        if (FAILED(hr)) return ev_fail(c, "cannot read the value (0x%08x)", (unsigned)hr);
        prim_from_bytes(out, b);
        return 0;
    }
    if (is_reference_et(et)) {
        ICorDebugReferenceValue *rv = NULL;
        if (SUCCEEDED(COM(v, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&rv)) && rv) {
            BOOL null = FALSE;
            COM(rv, IsNull, &null);
            COM0(rv, Release);
            out->is_null = null != 0;
        }
        return 0;
    }
    if (et == ELEMENT_TYPE_VALUETYPE && is_number_struct(c, out->type)) {
        /* A boxed number's inside is a struct System.Int32 { m_value }: the number itself. */
        ICorDebugValue *mv = field_by_name(c, v, out->type, "m_value");
        if (mv) return ev_from_value(c, mv, out);
    }
    if (et == ELEMENT_TYPE_VALUETYPE && out->type && is_enum_type(c, out->type)) {
        /* An enum's value is its one instance field, value__. */
        ICorDebugValue *fv = field_by_name(c, v, out->type, "value__");
        EvVal under;
        if (fv && ev_from_value(c, fv, &under) == 0) out->bits = under.bits;
    }
    return 0;
}

int ev_string_of(EvCtx *c, const EvVal *v, char **out, size_t *len)
{
    if (!v->v) {
        *out = (char *)(v->str ? v->str : "");
        *len = v->len;
        return 0;
    }
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v->v, &null);
    ICorDebugStringValue *sv = NULL;
    if (!obj || FAILED(COM(obj, QueryInterface, &IID_ICorDebugStringValue, (void **)&sv)) || !sv)
        return ev_fail(c, null ? "the string is null" : "not a string");
    ev_keep(c, sv);
    ULONG32 n = 0, got = 0;
    COM(sv, GetLength, &n);
    WCHAR *w = arena_push(c->arena, ((size_t)n + 1) * sizeof(WCHAR));
    if (!w) return ev_fail(c, "out of memory");
    if (FAILED(COM(sv, GetString, n + 1, &got, w))) return ev_fail(c, "cannot read the string");
    w[got < n ? got : n] = 0;
    *out = utf8_from_utf16(c->arena, (const uint16_t *)w, got < n ? got : n);
    *len = *out ? strlen(*out) : 0;
    return *out ? 0 : ev_fail(c, "out of memory");
}

/* ---------------------------------------------------------------- formatting */

/* C# text of a double (or float): .NET's ToString(), the shortest digits that read back the
 * same, laid out positionally unless the exponent is 15 or more (7 for float) or below -4:
 * 90, 5400000, 0.0001, 1E-05, 1E+15, 1.7976931348623157E+308, -0. */
static void fmt_real(double d, int is_float, char *out, size_t cap)
{
    if (isnan(d)) { snprintf(out, cap, "NaN"); return; }
    if (isinf(d)) { snprintf(out, cap, d > 0 ? "Infinity" : "-Infinity"); return; }
    char e[40];
    int p;
    for (p = 1; p <= 17; p++) {
        snprintf(e, sizeof e, "%.*e", p - 1, d);
        if (is_float ? (float)strtod(e, NULL) == (float)d : strtod(e, NULL) == d) break;
    }
    /* e is [-]D[.DDD]e[+-]XX: split it into its digits and exponent. */
    char digits[24];
    size_t nd = 0;
    const char *q = e;
    int neg = *q == '-';
    if (neg) q++;
    for (; *q && *q != 'e'; q++) if (*q != '.' && nd + 1 < sizeof digits) digits[nd++] = *q;
    while (nd > 1 && digits[nd - 1] == '0') nd--;
    digits[nd] = 0;
    int x = *q == 'e' ? atoi(q + 1) : 0;
    StrBuf b;
    sb_init(&b);
    if (neg) sb_putc(&b, '-');
    if (x >= (is_float ? 9 : 17) || x < -4) {   /* as .NET: past 9 (float) or 17 (double) integer digits */
        sb_putc(&b, digits[0]);
        if (nd > 1) sb_printf(&b, ".%s", digits + 1);
        sb_printf(&b, "E%c%02d", x < 0 ? '-' : '+', x < 0 ? -x : x);
    } else if (x >= 0) {
        for (int i = 0; i <= x; i++) sb_putc(&b, (size_t)i < nd ? digits[i] : '0');
        if (nd > (size_t)x + 1) sb_printf(&b, ".%s", digits + x + 1);
    } else {
        sb_puts(&b, "0.");
        for (int i = 0; i < -x - 1; i++) sb_putc(&b, '0');
        sb_puts(&b, digits);
    }
    snprintf(out, cap, "%s", b.data ? b.data : "0");
    sb_free(&b);
}

static void put_char_escaped(StrBuf *b, uint32_t cp, char quote)
{
    switch (cp) {
    case '\0': sb_puts(b, "\\0"); return;
    case '\a': sb_puts(b, "\\a"); return;
    case '\b': sb_puts(b, "\\b"); return;
    case '\f': sb_puts(b, "\\f"); return;
    case '\n': sb_puts(b, "\\n"); return;
    case '\r': sb_puts(b, "\\r"); return;
    case '\t': sb_puts(b, "\\t"); return;
    case '\v': sb_puts(b, "\\v"); return;
    case '\\': sb_puts(b, "\\\\"); return;
    default: break;
    }
    if (cp == (uint32_t)quote) { sb_putc(b, '\\'); sb_putc(b, quote); return; }
    if (cp < 0x20 || cp == 0x7f) { sb_printf(b, "\\u%04x", (unsigned)cp); return; }
    char u[5];
    size_t n;
    if (cp < 0x80) { u[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { u[0] = (char)(0xC0 | cp >> 6); u[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else if (cp < 0x10000) { u[0] = (char)(0xE0 | cp >> 12); u[1] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[2] = (char)(0x80 | (cp & 0x3F)); n = 3; }
    else { u[0] = (char)(0xF0 | cp >> 18); u[1] = (char)(0x80 | ((cp >> 12) & 0x3F)); u[2] = (char)(0x80 | ((cp >> 6) & 0x3F)); u[3] = (char)(0x80 | (cp & 0x3F)); n = 4; }
    sb_append(b, u, n);
}

/* A UTF-8 string as a C# literal, cut at `limit` characters with its length noted. */
static void put_string_literal(StrBuf *b, const char *s, size_t len, size_t limit)
{
    size_t chars = 0, i = 0;
    sb_putc(b, '"');
    while (i < len) {
        unsigned char ch = (unsigned char)s[i];
        uint32_t cp = ch;
        size_t n = 1;
        if (ch >= 0xF0 && i + 3 < len) { cp = (uint32_t)(ch & 7) << 18 | (uint32_t)(s[i + 1] & 0x3F) << 12 | (uint32_t)(s[i + 2] & 0x3F) << 6 | (uint32_t)(s[i + 3] & 0x3F); n = 4; }
        else if (ch >= 0xE0 && i + 2 < len) { cp = (uint32_t)(ch & 0xF) << 12 | (uint32_t)(s[i + 1] & 0x3F) << 6 | (uint32_t)(s[i + 2] & 0x3F); n = 3; }
        else if (ch >= 0xC0 && i + 1 < len) { cp = (uint32_t)(ch & 0x1F) << 6 | (uint32_t)(s[i + 1] & 0x3F); n = 2; }
        if (chars == limit) break;
        put_char_escaped(b, cp, '"');
        chars++;
        i += n;
    }
    sb_putc(b, '"');
    if (i < len) {
        /* Count the whole string's characters for the note. */
        size_t total = chars;
        for (; i < len; i++) if (((unsigned char)s[i] & 0xC0) != 0x80) total++;
        sb_printf(b, "... (%zu characters)", total);
    }
}

static void fmt_integer(const EvVal *v, int hex, StrBuf *b)
{
    int is_signed = v->et == ELEMENT_TYPE_I1 || v->et == ELEMENT_TYPE_I2 || v->et == ELEMENT_TYPE_I4 ||
                    v->et == ELEMENT_TYPE_I8 || v->et == ELEMENT_TYPE_I;
    if (hex) {
        size_t n = prim_size(v->et);
        uint64_t mask = n >= 8 ? ~0ull : ((1ull << (8 * n)) - 1);
        sb_printf(b, "0x%0*llx", (int)(2 * n), (unsigned long long)(v->bits & mask));
    } else if (is_signed) {
        sb_printf(b, "%lld", (long long)v->bits);
    } else {
        sb_printf(b, "%llu", (unsigned long long)v->bits);
    }
}

static void fmt_primitive(EvCtx *c, const EvVal *v, StrBuf *b)
{
    char t[64];
    switch (v->et) {
    case ELEMENT_TYPE_BOOLEAN: sb_puts(b, v->bits ? "true" : "false"); return;
    case ELEMENT_TYPE_CHAR:
        if (c->hex) { sb_printf(b, "0x%04x ", (unsigned)(v->bits & 0xffff)); }
        sb_putc(b, '\'');
        put_char_escaped(b, (uint32_t)(v->bits & 0xffff), '\'');
        sb_putc(b, '\'');
        return;
    case ELEMENT_TYPE_R4: fmt_real(v->d, 1, t, sizeof t); sb_puts(b, t); return;
    case ELEMENT_TYPE_R8: fmt_real(v->d, 0, t, sizeof t); sb_puts(b, t); return;
    default: fmt_integer(v, c->hex, b); return;
    }
}

/* Decimal: 96-bit integer, scale and sign from the fields of System.Decimal. */
static int fmt_decimal(EvCtx *c, const EvVal *v, StrBuf *b)
{
    ICorDebugValue *obj = v->v;
    int null = 0;
    if (obj) obj = ev_deref(c, obj, &null);
    if (!obj) return -1;
    EvVal f, h, l;
    ICorDebugValue *fv = field_by_name(c, obj, v->type, "_flags");
    ICorDebugValue *hv = field_by_name(c, obj, v->type, "_hi32");
    ICorDebugValue *lv = field_by_name(c, obj, v->type, "_lo64");
    if (!fv || !hv || !lv || ev_from_value(c, fv, &f) || ev_from_value(c, hv, &h) || ev_from_value(c, lv, &l)) return -1;
    uint32_t w[3] = { (uint32_t)l.bits, (uint32_t)(l.bits >> 32), (uint32_t)h.bits };
    unsigned scale = (unsigned)(f.bits >> 16) & 0xff;
    int neg = (f.bits & 0x80000000u) != 0;
    char digits[40];
    int nd = 0;
    while (w[0] || w[1] || w[2]) {
        uint64_t rem = 0;
        for (int i = 2; i >= 0; i--) {
            uint64_t cur = rem << 32 | w[i];
            w[i] = (uint32_t)(cur / 10);
            rem = cur % 10;
        }
        digits[nd++] = (char)('0' + rem);
    }
    while (nd <= (int)scale) digits[nd++] = '0';
    if (neg) sb_putc(b, '-');
    for (int i = nd - 1; i >= 0; i--) {
        sb_putc(b, digits[i]);
        if (i == (int)scale && i) sb_putc(b, '.');
    }
    return 0;
}

/* Enum value by its names, as .NET's Enum.ToString() gives them: a member whose value it is
 * (All); for [Flags], else the members that make it up, found from the largest value down and
 * shown in ascending order (Read | Write); else the number. */
static void fmt_enum(EvCtx *c, const EvVal *v, StrBuf *b)
{
    ICorDebugClass *cls = ev_class_of_type(c, v->type);
    const MdMeta *md;
    uint32_t rid;
    if (!cls || !ev_module_of_class(c, cls, &md, &rid)) { fmt_integer(v, c->hex, b); return; }
    MdPool pool = { 0 };
    MdDebugAttrs attrs;
    int flags = md_debug_attrs(md, &pool, 0x02000000u | rid, &attrs) == 0 && (attrs.flags & MD_ATTR_FLAGS);
    md_pool_free(&pool);
    uint32_t first, end;
    md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_FieldList, MD_T_Field, &first, &end);
    enum { MAX_MEMBERS = 128 };
    struct { const char *name; uint64_t bits; } m[MAX_MEMBERS];
    size_t n = 0;
    uint64_t value = v->bits;
    /* A value that is no member is shown as a number of the enum's underlying type (the
     * constants' type): ~Perm.None is -1, not 18446744073709551615. */
    EvVal num = *v;
    for (uint32_t f = first; f < end && n < MAX_MEMBERS; f++) {
        if (!(md_get(md, MD_T_Field, f, MD_Field_Flags) & FD_LITERAL)) continue;
        uint32_t key = md_coded_from_token(MD_CI_HasConstant, 0x04000000u | f);
        uint32_t row = md_lower_bound(md, MD_T_Constant, MD_Constant_Parent, key);
        if (row == 0 || row > md_rows(md, MD_T_Constant) || md_get(md, MD_T_Constant, row, MD_Constant_Parent) != key) continue;
        const uint8_t *p;
        uint32_t len;
        if (md_blob(md, md_get(md, MD_T_Constant, row, MD_Constant_Value), &p, &len) != 0) continue;
        EvVal k = { .et = (CorElementType)md_get(md, MD_T_Constant, row, MD_Constant_Type) };
        if (!ev_is_primitive(k.et) || len < prim_size(k.et)) continue;
        prim_from_bytes(&k, p);
        if (num.et == v->et) {
            num.et = k.et;
            size_t sz = prim_size(k.et);
            if (sz < 8) {
                uint64_t mask = (1ull << (8 * sz)) - 1, sign = 1ull << (8 * sz - 1);
                num.bits &= mask;
                if (k.et == ELEMENT_TYPE_I1 || k.et == ELEMENT_TYPE_I2 || k.et == ELEMENT_TYPE_I4)
                    num.bits = (num.bits ^ sign) - sign;
            }
            value = num.bits;
        }
        const char *name = md_string(md, md_get(md, MD_T_Field, f, MD_Field_Name));
        if (k.bits == value) { sb_puts(b, name); return; }
        m[n].name = name;
        m[n].bits = k.bits;
        n++;
    }
    if (!flags || value == 0) { fmt_integer(&num, c->hex, b); return; }
    /* Ascending by value (insertion sort: enums are small), then greedy from the top. */
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && m[j - 1].bits > m[j].bits; j--) {
            const char *tn = m[j].name; uint64_t tb = m[j].bits;
            m[j].name = m[j - 1].name; m[j].bits = m[j - 1].bits;
            m[j - 1].name = tn; m[j - 1].bits = tb;
        }
    int used[MAX_MEMBERS] = { 0 };
    uint64_t rest = value;
    for (size_t i = n; i-- > 0 && rest;)
        if (m[i].bits && (rest & m[i].bits) == m[i].bits) { rest &= ~m[i].bits; used[i] = 1; }
    if (rest) { fmt_integer(&num, c->hex, b); return; }
    const char *sep = "";
    for (size_t i = 0; i < n; i++)
        if (used[i]) { sb_printf(b, "%s%s", sep, m[i].name); sep = " | "; }
}

/* Debugger attributes of a type (first found up its base types). */
static int type_attrs(EvCtx *c, ICorDebugType *t, MdPool *pool, MdDebugAttrs *out, uint32_t want, ICorDebugType **owner)
{
    for (int depth = 0; t && depth < 16; depth++) {
        ICorDebugClass *cls = ev_class_of_type(c, t);
        const MdMeta *md;
        uint32_t rid;
        if (cls && ev_module_of_class(c, cls, &md, &rid) &&
            md_debug_attrs(md, pool, 0x02000000u | rid, out) == 0 && (out->flags & want)) {
            if (owner) *owner = t;
            return 1;
        }
        ICorDebugType *base = NULL;
        if (FAILED(COM(t, GetBase, &base)) || !base) break;
        t = ev_keep(c, base);
    }
    return 0;
}

/* Evaluate a DebuggerDisplay-style template against obj. */
static int fmt_template(EvCtx *c, ICorDebugValue *obj, const char *tmpl, StrBuf *b)
{
    ExprTemplatePart *parts;
    int n;
    ExprError err;
    if (expr_template_split_ex(c->arena, tmpl, EXPR_TEMPLATE_LENIENT, &parts, &n, &err) != 0) return -1;
    ICorDebugValue *saved = c->scope_this;
    c->scope_this = obj;
    c->depth++;
    for (int i = 0; i < n; i++) {
        if (!parts[i].is_hole) { sb_puts(b, parts[i].text); continue; }
        EvVal v;
        size_t mark = c->nholds_;
        if (ev_evaluate(c, parts[i].text, &v) != 0) {
            sb_printf(b, "{%s}", c->err);
            c->err[0] = 0;
            continue;
        }
        ev_hold(c, &v);
        int nq = parts[i].spec && (strstr(parts[i].spec, "nq") || strstr(parts[i].spec, "raw"));
        char *s;
        size_t len;
        if (nq && (v.et == ELEMENT_TYPE_STRING) && !v.is_null && ev_string_of(c, &v, &s, &len) == 0) sb_append(b, s, len);
        else ev_summary(c, &v, b);
        ev_unhold(c, mark);
    }
    c->depth--;
    c->scope_this = saved;
    return 0;
}

/* Does the type (or a base below Object/ValueType/Enum) declare ToString()? */
static int overrides_to_string(EvCtx *c, ICorDebugType *t)
{
    for (int depth = 0; t && depth < 16; depth++) {
        ICorDebugClass *cls = ev_class_of_type(c, t);
        const MdMeta *md;
        uint32_t rid;
        if (!cls || !ev_module_of_class(c, cls, &md, &rid)) return 0;
        char name[256];
        typedef_name(md, rid, name, sizeof name);
        if (!strcmp(name, "System.Object") || !strcmp(name, "System.ValueType") || !strcmp(name, "System.Enum")) return 0;
        uint32_t first, end;
        md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_MethodList, MD_T_MethodDef, &first, &end);
        for (uint32_t m = first; m < end; m++) {
            if (strcmp(md_string(md, md_get(md, MD_T_MethodDef, m, MD_MethodDef_Name)), "ToString")) continue;
            if (md_get(md, MD_T_MethodDef, m, MD_MethodDef_Flags) & MD_STATIC) continue;
            const uint8_t *p;
            uint32_t len;
            if (md_blob(md, md_get(md, MD_T_MethodDef, m, MD_MethodDef_Signature), &p, &len) == 0 && len >= 2 && p[1] == 0)
                return 1;
        }
        ICorDebugType *base = NULL;
        if (FAILED(COM(t, GetBase, &base)) || !base) return 0;
        t = ev_keep(c, base);
    }
    return 0;
}

static void fmt_array_summary(EvCtx *c, ICorDebugValue *obj, ICorDebugType *t, StrBuf *b)
{
    ICorDebugArrayValue *av = NULL;
    char name[256];
    ICorDebugType *elem = NULL;
    if (t) COM(t, GetFirstTypeParameter, &elem);
    if (elem) ev_keep(c, elem);
    /* The element type's name without this array's own brackets: int[][] shows {int[3][]}. */
    if (elem) ev_type_name(c, elem, name, sizeof name); else snprintf(name, sizeof name, "?");
    char *bracket = strchr(name, '[');
    char tail[64] = "";
    if (bracket) { snprintf(tail, sizeof tail, "%s", bracket); *bracket = 0; }
    if (FAILED(COM(obj, QueryInterface, &IID_ICorDebugArrayValue, (void **)&av)) || !av) { sb_printf(b, "{%s[]%s}", name, tail); return; }
    ev_keep(c, av);
    ULONG32 rank = 1, dims[32], base[32] = { 0 };
    BOOL has_base = FALSE;
    COM(av, GetRank, &rank);
    if (rank > 32) rank = 32;
    COM(av, GetDimensions, rank, dims);
    COM(av, HasBaseIndicies, &has_base);
    if (has_base) COM(av, GetBaseIndicies, rank, base);
    sb_printf(b, "{%s[", name);
    for (ULONG32 i = 0; i < rank; i++) {
        if (i) sb_puts(b, ", ");
        if (base[i]) sb_printf(b, "%u..%u", (unsigned)base[i], (unsigned)(base[i] + dims[i] - 1));
        else sb_printf(b, "%u", (unsigned)dims[i]);
    }
    sb_printf(b, "]%s}", tail);
}

void ev_summary(EvCtx *c, const EvVal *v, StrBuf *b)
{
    if (v->view) { if (v->view == EV_VIEW_RESULTS) sb_puts(b, EV_RESULTS_NOTE); return; }
    if (v->is_type) { char n[256]; ev_type_name(c, v->type, n, sizeof n); sb_printf(b, "{type %s}", n); return; }
    if (!v->v) {
        if (v->is_null) sb_puts(b, "null");
        else if (v->et == ELEMENT_TYPE_VALUETYPE && v->type && is_enum_type(c, v->type)) fmt_enum(c, v, b);
        else if (v->et == ELEMENT_TYPE_STRING) put_string_literal(b, v->str ? v->str : "", v->len, STRING_LIMIT);
        else if (ev_is_primitive(v->et)) fmt_primitive(c, v, b);
        else sb_puts(b, "?");
        return;
    }
    if (ev_is_primitive(v->et)) { fmt_primitive(c, v, b); return; }
    if (v->is_null) { sb_puts(b, "null"); return; }
    if (v->et == ELEMENT_TYPE_PTR) {
        ICorDebugReferenceValue *rv = NULL;
        CORDB_ADDRESS a = 0;
        if (SUCCEEDED(COM(v->v, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&rv)) && rv) {
            COM(rv, GetValue, &a);
            COM0(rv, Release);
        }
        sb_printf(b, "0x%016llx", (unsigned long long)a);
        return;
    }
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v->v, &null);
    if (null) { sb_puts(b, "null"); return; }
    if (!obj) { sb_puts(b, "<unreadable>"); return; }
    CorElementType et = 0;
    COM(obj, GetType, &et);
    ICorDebugType *t = ev_type_of(c, obj);
    if (et == ELEMENT_TYPE_STRING) {
        EvVal sv = { .v = obj, .et = ELEMENT_TYPE_STRING };
        char *s;
        size_t len;
        if (ev_string_of(c, &sv, &s, &len) == 0) put_string_literal(b, s, len, STRING_LIMIT);
        else sb_puts(b, "<unreadable string>");
        return;
    }
    if (et == ELEMENT_TYPE_SZARRAY || et == ELEMENT_TYPE_ARRAY) { fmt_array_summary(c, obj, t, b); return; }
    EvVal num;
    if (ev_is_primitive(et) || (et == ELEMENT_TYPE_VALUETYPE && is_number_struct(c, t))) {   /* a boxed number */
        if (ev_from_value(c, obj, &num) == 0 && ev_is_primitive(num.et)) fmt_primitive(c, &num, b);
        else sb_puts(b, "<unreadable>");
        return;
    }
    char name[512];
    class_full_name(c, t, name, sizeof name);
    if (!strcmp(name, "System.Decimal")) {
        EvVal dv = { .v = obj, .type = t };
        if (fmt_decimal(c, &dv, b) == 0) return;
    }
    if (!strcmp(name, "System.Nullable")) {
        ICorDebugValue *has = field_by_name(c, obj, t, "hasValue");
        EvVal hv;
        if (has && ev_from_value(c, has, &hv) == 0) {
            if (!hv.bits) { sb_puts(b, "null"); return; }
            ICorDebugValue *inner = field_by_name(c, obj, t, "value");
            EvVal iv;
            if (inner && ev_from_value(c, inner, &iv) == 0) { ev_summary(c, &iv, b); return; }
        }
    }
    if (t && et == ELEMENT_TYPE_VALUETYPE && is_enum_type(c, t)) {
        EvVal ev;
        if (ev_from_value(c, obj, &ev) == 0) { fmt_enum(c, &ev, b); return; }
    }
    /* DebuggerDisplay, then a ToString of the type's own, then the type's name. Holes and
     * ToString run code in the program: only with implicit evaluation on (raw views too). */
    MdPool pool = { 0 };
    MdDebugAttrs attrs;
    int done = 0;
    if (c->funceval && !c->raw && c->depth < SUMMARY_DEPTH && type_attrs(c, t, &pool, &attrs, MD_ATTR_DEBUGGER_DISPLAY, NULL) && attrs.display) {
        char *tmpl = arena_strdup(c->arena, attrs.display);
        /* Holes see the object as `this`: a reference to it (methods take references, not
         * the object's bytes), pinned as holes may run getters; a struct as itself. */
        ICorDebugValue *self = et == ELEMENT_TYPE_VALUETYPE ? obj : (c->funceval ? ev_pin(c, v->v) : v->v);
        done = tmpl && fmt_template(c, self, tmpl, b) == 0;
    }
    md_pool_free(&pool);
    if (done) return;
    if (c->funceval && c->to_string && c->depth < SUMMARY_DEPTH && overrides_to_string(c, t)) {
        EvVal self;
        char *s = NULL;
        if (ev_from_value(c, et == ELEMENT_TYPE_VALUETYPE ? obj : v->v, &self) == 0 && ev_to_string(c, &self, &s) == 0 && s) {
            sb_puts(b, s);
            return;
        }
        c->err[0] = 0;
    }
    char tn[512];
    ev_type_name(c, t, tn, sizeof tn);
    sb_printf(b, "{%s}", tn);
}

/* ---------------------------------------------------------------- members */

typedef struct Member {
    const char *name;           /* as shown (auto-property backing fields under the property) */
    int is_field;
    uint32_t token;             /* field, or the property's getter */
    ICorDebugType *owner;       /* the type (in the hierarchy) that declares it */
    ICorDebugClass *cls;
    int is_static;
    int browsable;              /* -1 no attribute, else DebuggerBrowsableState */
    int is_public;
    int is_literal;             /* a const: no storage, its value is in the metadata */
    int user;                   /* declared in the user's code (a module with symbols) */
    int hidden;                 /* made by the compiler: not listed among the children */
} Member;

/* The value of const field `field_tok` of owner, from the Constant table. */
static int literal_value(EvCtx *c, ICorDebugType *owner, uint32_t field_tok, EvVal *out)
{
    ICorDebugClass *cls = ev_class_of_type(c, owner);
    const MdMeta *md;
    uint32_t rid;
    if (!cls || !ev_module_of_class(c, cls, &md, &rid)) return ev_fail(c, "cannot read the constant");
    uint32_t key = md_coded_from_token(MD_CI_HasConstant, field_tok);
    uint32_t row = md_lower_bound(md, MD_T_Constant, MD_Constant_Parent, key);
    const uint8_t *p;
    uint32_t len;
    if (!row || row > md_rows(md, MD_T_Constant) || md_get(md, MD_T_Constant, row, MD_Constant_Parent) != key ||
        md_blob(md, md_get(md, MD_T_Constant, row, MD_Constant_Value), &p, &len) != 0)
        return ev_fail(c, "the constant has no value in the metadata");
    memset(out, 0, sizeof *out);
    out->et = (CorElementType)md_get(md, MD_T_Constant, row, MD_Constant_Type);
    if (out->et == ELEMENT_TYPE_STRING) {
        out->str = utf8_from_utf16(c->arena, (const uint16_t *)p, len / 2);
        out->len = out->str ? strlen(out->str) : 0;
        return 0;
    }
    if (out->et == ELEMENT_TYPE_CLASS) { out->is_null = 1; return 0; }
    if (!ev_is_primitive(out->et) || len < prim_size(out->et)) return ev_fail(c, "unreadable constant");
    prim_from_bytes(out, p);
    if (is_enum_type(c, owner)) { out->type = owner; out->et = ELEMENT_TYPE_VALUETYPE; }  /* an enum's members have its type */
    return 0;
}

static int getter_of(const MdMeta *md, uint32_t prop_rid)
{
    uint32_t key = md_coded_from_token(MD_CI_HasSemantics, 0x17000000u | prop_rid);
    uint32_t rows = md_rows(md, MD_T_MethodSemantics);
    for (uint32_t r = md_lower_bound(md, MD_T_MethodSemantics, MD_MethodSemantics_Association, key);
         r && r <= rows && md_get(md, MD_T_MethodSemantics, r, MD_MethodSemantics_Association) == key; r++)
        if (md_get(md, MD_T_MethodSemantics, r, MD_MethodSemantics_Semantics) & 0x2)
            return (int)md_get(md, MD_T_MethodSemantics, r, MD_MethodSemantics_Method);
    return 0;
}

static int browsable_of(const MdMeta *md, MdPool *pool, uint32_t token)
{
    MdDebugAttrs a;
    if (md_debug_attrs(md, pool, token, &a) == 0 && (a.flags & MD_ATTR_DEBUGGER_BROWSABLE)) return a.browsable_state;
    return -1;
}

static int member_cmp(const void *a, const void *b)
{
    const Member *x = a, *y = b;
    int r = strcasecmp(x->name, y->name);
    return r ? r : strcmp(x->name, y->name);
}

/* A record class: the compiler gives it a `<Clone>$` method. */
static int is_record(const MdMeta *md, uint32_t rid)
{
    uint32_t first, end;
    md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_MethodList, MD_T_MethodDef, &first, &end);
    for (uint32_t m = first; m < end; m++)
        if (!strcmp(md_string(md, md_get(md, MD_T_MethodDef, m, MD_MethodDef_Name)), "<Clone>$")) return 1;
    return 0;
}

/* Fields and properties of t and its bases (statics or instance ones), sorted by name. */
static int list_members(EvCtx *c, ICorDebugType *t, int statics, Member **out, size_t *n)
{
    size_t cap = 0;
    *out = NULL;
    *n = 0;
    MdPool pool = { 0 };
    for (int depth = 0; t && depth < 32; depth++) {
        ICorDebugClass *cls = ev_class_of_type(c, t);
        const MdMeta *md;
        uint32_t rid;
        Module *mod = cls ? ev_module_of_class(c, cls, &md, &rid) : NULL;
        if (!mod) break;
        int user = evh_module_user_code(c, mod);
        char tname[256];
        typedef_name(md, rid, tname, sizeof tname);
        if (!strcmp(tname, "System.Object") || !strcmp(tname, "System.ValueType") || !strcmp(tname, "System.Enum")) break;
        /* Properties first: a backing field is then shown under its property. */
        size_t props_start = *n;
        uint32_t pfirst, pend;
        md_type_properties(md, rid, &pfirst, &pend);
        for (uint32_t p = pfirst; p < pend; p++) {
            int g = getter_of(md, p);
            if (!g) continue;
            int is_static = (md_get(md, MD_T_MethodDef, (uint32_t)g, MD_MethodDef_Flags) & MD_STATIC) != 0;
            if (is_static != statics) continue;
            const uint8_t *sig;
            uint32_t slen;
            /* Indexers (properties with parameters) are not members to show. */
            if (md_blob(md, md_get(md, MD_T_Property, p, MD_Property_Type), &sig, &slen) != 0 || slen < 2 || sig[1] != 0) continue;
            const char *pname = md_string(md, md_get(md, MD_T_Property, p, MD_Property_Name));
            if (strchr(pname, '.')) continue;       /* explicit interface implementations */
            /* A record's EqualityContract is the compiler's: readable by name, not shown. */
            int hidden = !strcmp(pname, "EqualityContract") && is_record(md, rid);
            int dup = 0;
            for (size_t k = 0; k < *n && !dup; k++) dup = !strcmp((*out)[k].name, pname);
            if (dup) continue;
            if (!GROW(*out, *n, cap)) break;
            (*out)[(*n)++] = (Member){ .name = arena_strdup(c->arena, pname), .token = 0x06000000u | (uint32_t)g,
                                      .owner = t, .cls = cls, .is_static = is_static,
                                      .browsable = browsable_of(md, &pool, 0x17000000u | p),
                                      .is_public = (md_get(md, MD_T_MethodDef, (uint32_t)g, MD_MethodDef_Flags) & 7) == 6,
                                      .user = user, .hidden = hidden };
        }
        size_t props_end = *n;
        uint32_t first, end;
        md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_FieldList, MD_T_Field, &first, &end);
        for (uint32_t f = first; f < end; f++) {
            uint32_t flags = md_get(md, MD_T_Field, f, MD_Field_Flags);
            if (((flags & FD_STATIC) != 0) != statics) continue;
            const char *fname = md_string(md, md_get(md, MD_T_Field, f, MD_Field_Name));
            int backing = 0;
            if (fname[0] == '<') {
                /* <Name>k__BackingField (an anonymous type's <Name>i__Field): read the field
                 * for the property (no evaluation). */
                const char *close = strchr(fname, '>');
                if (close && (!strcmp(close, ">k__BackingField") || !strcmp(close, ">i__Field"))) {
                    for (size_t k = props_start; k < props_end; k++) {
                        Member *pm = &(*out)[k];
                        if (strlen(pm->name) == (size_t)(close - fname - 1) && !strncmp(pm->name, fname + 1, (size_t)(close - fname - 1))) {
                            pm->is_field = 1;
                            pm->token = 0x04000000u | f;
                            backing = 1;
                        }
                    }
                    if (backing) continue;
                }
                /* Other compiler-made fields (closures, state machines) are not shown, but
                 * hoisted variables are found through them. */
                if (!c->raw_members) continue;
            }
            if ((flags & FD_LITERAL) && !statics) continue;
            int dup = 0;
            for (size_t k = 0; k < *n && !dup; k++) dup = !strcmp((*out)[k].name, fname);
            if (dup) continue;
            if (!GROW(*out, *n, cap)) break;
            (*out)[(*n)++] = (Member){ .name = arena_strdup(c->arena, fname), .is_field = 1, .token = 0x04000000u | f,
                                      .owner = t, .cls = cls, .is_static = statics,
                                      .browsable = browsable_of(md, &pool, 0x04000000u | f), .is_public = (flags & 7) == 6,
                                      .is_literal = (flags & FD_LITERAL) != 0, .user = user };
        }
        ICorDebugType *base = NULL;
        if (FAILED(COM(t, GetBase, &base)) || !base) break;
        t = ev_keep(c, base);
    }
    md_pool_free(&pool);
    if (*n > 1) qsort(*out, *n, sizeof **out, member_cmp);
    return 0;
}

/* Read one member of the object ref refers to (a reference, handle or struct; NULL for
 * statics). Dereferenced here, each time: an evaluation before may have neutered the last. */
static int read_member(EvCtx *c, ICorDebugValue *ref, const Member *mb, EvVal *out)
{
    int null = 0;
    ICorDebugValue *obj = ref ? ev_deref(c, ref, &null) : NULL;
    if (ref && !obj) return ev_fail(c, "cannot read the object");
    if (mb->is_literal) return literal_value(c, mb->owner, mb->token, out);
    if (mb->is_field) {
        ICorDebugValue *fv = NULL;
        HRESULT hr;
        if (mb->is_static) {
            ICorDebugFrame *f = ev_frame(c);
            hr = COM(mb->owner, GetStaticFieldValue, mb->token, f, &fv);
        } else {
            ICorDebugObjectValue *ov = NULL;
            if (!obj || FAILED(COM(obj, QueryInterface, &IID_ICorDebugObjectValue, (void **)&ov)) || !ov)
                return ev_fail(c, "not an object");
            ev_keep(c, ov);
            hr = COM(ov, GetFieldValue, mb->cls, mb->token, &fv);
        }
        if (FAILED(hr) || !fv) {
            if (hr == CORDBG_E_STATIC_VAR_NOT_AVAILABLE || hr == CORDBG_E_CLASS_NOT_LOADED)
                return ev_fail(c, "not available yet (the class is not initialised)");
            char b[96];
            return ev_fail(c, "cannot read %s: %s", mb->name, clr_hr_str(hr, b, sizeof b));
        }
        ev_keep(c, fv);
        if (ev_from_value(c, fv, out) != 0) return -1;
        out->is_lvalue = 1;
        return 0;
    }
    if (!c->funceval) return ev_fail(c, "%s", c->no_funceval ? c->no_funceval : "Implicit function evaluation is turned off by the user");
    EvVal self = { 0 };
    if (ref && ev_from_value(c, ref, &self) != 0) return -1;
    return ev_call_getter(c, ref ? &self : NULL, mb->owner, mb->token, out);
}

/* A property of t or a base implementing an interface's `name` explicitly
 * ("System.Collections.ICollection.Count"): *out its getter. */
static int explicit_member(EvCtx *c, ICorDebugType *t, const char *name, Member *out)
{
    size_t nl = strlen(name);
    for (int depth = 0; t && depth < 32; depth++) {
        ICorDebugClass *cls = ev_class_of_type(c, t);
        const MdMeta *md;
        uint32_t rid;
        if (!cls || !ev_module_of_class(c, cls, &md, &rid)) return 0;
        uint32_t pfirst, pend;
        md_type_properties(md, rid, &pfirst, &pend);
        for (uint32_t p = pfirst; p < pend; p++) {
            const char *pname = md_string(md, md_get(md, MD_T_Property, p, MD_Property_Name));
            size_t pl = strlen(pname);
            if (pl <= nl + 1 || pname[pl - nl - 1] != '.' || strcmp(pname + pl - nl, name)) continue;
            int g = getter_of(md, p);
            if (!g || (md_get(md, MD_T_MethodDef, (uint32_t)g, MD_MethodDef_Flags) & MD_STATIC)) continue;
            *out = (Member){ .name = name, .token = 0x06000000u | (uint32_t)g, .owner = t, .cls = cls };
            return 1;
        }
        ICorDebugType *base = NULL;
        if (FAILED(COM(t, GetBase, &base)) || !base) return 0;
        t = ev_keep(c, base);
    }
    return 0;
}

int ev_member(EvCtx *c, const EvVal *objv, const char *name, EvVal *out)
{
    return ev_member_ex(c, objv, name, 0, out);
}

int ev_member_ex(EvCtx *c, const EvVal *objv, const char *name, int instance_only, EvVal *out)
{
    ICorDebugValue *obj = NULL;
    ICorDebugType *t = objv->type;
    if (!objv->is_type) {
        if (objv->is_null) return ev_fail(c, "System.NullReferenceException: Object reference not set to an instance of an object.");
        if (!objv->v) return ev_fail(c, "'%s' is not a member of a value made here", name);
        int null = 0;
        obj = ev_deref(c, objv->v, &null);
        if (null) { c->threw = 1; return ev_fail(c, "System.NullReferenceException: Object reference not set to an instance of an object."); }
        if (!obj) return ev_fail(c, "cannot read the object");
        t = ev_type_of(c, obj);
    }
    if (!t) return ev_fail(c, "the value's type is unknown");
    for (int statics = objv->is_type ? 1 : 0; statics < 2; statics++) {
        Member *ms;
        size_t n;
        list_members(c, t, statics, &ms, &n);
        for (size_t i = 0; i < n; i++) {
            if (strcmp(ms[i].name, name)) continue;
            Member mb = ms[i];
            free(ms);
            if (statics && instance_only && !objv->is_type)     /* obj.StaticField: C# refuses */
                return ev_fail(c, "CS0176: Member '%s' cannot be accessed with an instance reference; qualify it with a type name instead", name);
            return read_member(c, statics ? NULL : objv->v, &mb, out);
        }
        free(ms);
        if (objv->is_type) break;
    }
    /* Inside a DebuggerDisplay, a name may be a member the type implements explicitly
     * ({Count} for ICollection.Count): the runtime's displays find those too. */
    if (c->depth > 0 && c->scope_this && !objv->is_type) {
        Member mb;
        if (explicit_member(c, t, name, &mb)) return read_member(c, objv->v, &mb, out);
    }
    /* A named tuple's element: pair.name is pair.Item1. */
    for (uint32_t k = 0; k < objv->ntuple_names && k < 7; k++)
        if (objv->tuple_names[k] && !strcmp(objv->tuple_names[k], name)) {
            char item[16];
            snprintf(item, sizeof item, "Item%u", (unsigned)k + 1);
            return ev_member(c, objv, item, out);
        }
    char tn[256];
    ev_type_name(c, t, tn, sizeof tn);
    return ev_fail(c, "CS1061: '%s' does not contain a definition for '%s'", tn, name);
}

int ev_assign_struct(EvCtx *c, const EvVal *dst, const EvVal *src)
{
    int null = 0;
    ICorDebugValue *sobj = ev_deref(c, src->v, &null);
    if (!sobj) return ev_fail(c, "cannot read the source struct");
    Member *ms;
    size_t nm;
    list_members(c, dst->type, 0, &ms, &nm);
    int rc = 0;
    for (size_t i = 0; i < nm && rc == 0; i++) {
        if (!ms[i].is_field || ms[i].is_literal) continue;
        EvVal home, val;
        rc = read_member(c, dst->v, &ms[i], &home);
        if (rc == 0) rc = read_member(c, sobj, &ms[i], &val);
        if (rc == 0) rc = ev_assign(c, &home, &val);
    }
    free(ms);
    return rc;
}

int ev_static_members(EvCtx *c, ICorDebugType *t, EvChild **out, size_t *n)
{
    Member *ms;
    size_t nm, cap = 0;
    *out = NULL;
    *n = 0;
    list_members(c, t, 1, &ms, &nm);
    for (size_t i = 0; i < nm; i++) {
        if (ms[i].browsable == 0) continue;
        EvChild *p = NULL;
        if (*n >= cap) {
            size_t ncap = cap ? cap * 2 : 16;
            p = arena_push(c->arena, ncap * sizeof *p);
            if (!p) break;
            if (*n) memcpy(p, *out, *n * sizeof *p);
            *out = p;
            cap = ncap;
        }
        EvChild *ch = &(*out)[(*n)++];
        memset(ch, 0, sizeof *ch);
        ch->name = ms[i].name;
        ch->is_static = 1;
        if (read_member(c, NULL, &ms[i], &ch->val) != 0) {
            ch->error = arena_strdup(c->arena, c->err);
            c->err[0] = 0;
        }
    }
    free(ms);
    return 0;
}

/* ---------------------------------------------------------------- children */

static int add_child(EvCtx *c, EvChild **out, size_t *n, size_t *cap, const char *name)
{
    if (*n >= *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        EvChild *p = arena_push(c->arena, ncap * sizeof *p);
        if (!p) return -1;
        if (*n) memcpy(p, *out, *n * sizeof *p);
        *out = p;
        *cap = ncap;
    }
    memset(&(*out)[*n], 0, sizeof **out);
    (*out)[(*n)++].name = name;
    return 0;
}

/* Elements [start, start+count) of an array. */
static int array_children(EvCtx *c, ICorDebugValue *obj, size_t start, size_t count,
                          EvChild **out, size_t *n, size_t *total, size_t *cap)
{
    ICorDebugArrayValue *av = NULL;
    if (FAILED(COM(obj, QueryInterface, &IID_ICorDebugArrayValue, (void **)&av)) || !av) return -1;
    ev_keep(c, av);
    ULONG32 rank = 1, cnt = 0, dims[32], base[32] = { 0 };
    BOOL has_base = FALSE;
    COM(av, GetRank, &rank);
    if (rank > 32) rank = 32;
    COM(av, GetCount, &cnt);
    COM(av, GetDimensions, rank, dims);
    COM(av, HasBaseIndicies, &has_base);
    if (has_base) COM(av, GetBaseIndicies, rank, base);
    *total += cnt;
    int name_tmpl_state = 0;
    const char *name_tmpl = NULL;
    for (size_t pos = start; pos < cnt && pos < start + count; pos++) {
        char name[160];
        size_t o = 0, rem = pos;
        ULONG32 idx[32];
        for (int d = (int)rank - 1; d >= 0; d--) {
            idx[d] = dims[d] ? (ULONG32)(rem % dims[d]) : 0;
            rem = dims[d] ? rem / dims[d] : 0;
        }
        o += (size_t)snprintf(name + o, sizeof name - o, "[");
        for (ULONG32 d = 0; d < rank && o < sizeof name; d++)
            o += (size_t)snprintf(name + o, sizeof name - o, "%s%u", d ? ", " : "", (unsigned)(idx[d] + base[d]));
        if (o < sizeof name) snprintf(name + o, sizeof name - o, "]");
        if (add_child(c, out, n, cap, arena_strdup(c->arena, name)) != 0) return -1;
        EvChild *ch = &(*out)[*n - 1];
        ICorDebugValue *ev = NULL;
        if (FAILED(COM(av, GetElementAtPosition, (ULONG32)pos, &ev)) || !ev) { ch->error = "<unreadable>"; continue; }
        ev_keep(c, ev);
        if (ev_from_value(c, ev, &ch->val) != 0) { ch->error = arena_strdup(c->arena, c->err); continue; }
        ch->val.is_lvalue = 1;
        /* An element type may name its elements: DebuggerDisplay(Name = "[{Key}]") of a
         * dictionary's entries. Looked up once per array. */
        if (name_tmpl_state == 0) {
            name_tmpl_state = -1;
            int null = 0;
            ICorDebugValue *eo = !ch->val.is_null && !ev_is_primitive(ch->val.et) ? ev_deref(c, ev, &null) : NULL;
            MdPool pool = { 0 };
            MdDebugAttrs attrs;
            if (eo && type_attrs(c, ev_type_of(c, eo), &pool, &attrs, MD_ATTR_DEBUGGER_DISPLAY, NULL) && attrs.display_name) {
                name_tmpl = arena_strdup(c->arena, attrs.display_name);
                name_tmpl_state = 1;
            }
            md_pool_free(&pool);
        }
        if (name_tmpl_state == 1 && !ch->val.is_null) {
            int null = 0;
            ICorDebugValue *eo = ev_deref(c, ev, &null);
            CorElementType oet = 0;
            if (eo) COM(eo, GetType, &oet);
            StrBuf nb;
            sb_init(&nb);
            if (eo && fmt_template(c, oet == ELEMENT_TYPE_VALUETYPE ? eo : ev_pin(c, ev), name_tmpl, &nb) == 0 && nb.data)
                ch->name = arena_strdup(c->arena, nb.data);
            sb_free(&nb);
        }
    }
    return 0;
}

static ICorDebugValue *make_proxy(EvCtx *c, ICorDebugValue *ref, ICorDebugType *t);

/* Which members object_children lists. As vsdbg (its result provider hides non-public members
 * of non-user code when just my code is on): a type of the user's code shows all its members at
 * the top; a type from elsewhere (the framework) shows its public members there and the others,
 * unless a DebuggerBrowsable attribute places them, in a "Non-Public members" group. Without
 * just my code every member is at the top. */
enum {
    OC_TOP,         /* public members, and non-public ones of the user's types; then the group */
    OC_PUBLIC,      /* public members only (a type proxy) */
    OC_NONPUBLIC,   /* the group's insides */
    OC_ALL,         /* every member, flat (compiler-made fields looked up by the evaluator) */
};

static int in_group(EvCtx *c, const Member *m)
{
    return c->just_my_code && !m->is_public && !m->user && m->browsable < 0;
}

/* Child number *total (counted either way) is a group of obj's: shown if in the page. */
static int add_view(EvCtx *c, const EvVal *obj, int view, size_t start, size_t count,
                    EvChild **out, size_t *n, size_t *total, size_t *cap)
{
    size_t pos = (*total)++;
    if (pos < start || *n >= count) return 0;
    const char *name = view == EV_VIEW_RAW ? EV_RAW_VIEW : view == EV_VIEW_NONPUBLIC ? EV_NONPUBLIC_VIEW : EV_RESULTS_VIEW;
    if (add_child(c, out, n, cap, name) != 0) return -1;
    EvVal *g = &(*out)[*n - 1].val;
    memset(g, 0, sizeof *g);
    g->v = ev_pin(c, obj->v);       /* its children are read after other children ran getters */
    g->type = obj->type;
    g->et = obj->et;
    g->view = view;
    return 0;
}

/* Members of an object as children (mode OC_*). */
static int object_children(EvCtx *c, ICorDebugValue *obj, ICorDebugType *t, size_t start, size_t count,
                           EvChild **out, size_t *n, size_t *total, size_t *cap, int depth, int mode)
{
    Member *ms;
    size_t nm;
    list_members(c, t, 0, &ms, &nm);
    /* Getters run code: the object must outlive each evaluation. */
    for (size_t i = 0; i < nm && c->funceval; i++)
        if (!ms[i].is_field) { obj = ev_pin(c, obj); break; }
    int grouped = 0;
    for (size_t i = 0; i < nm; i++) {
        if (ms[i].browsable == 0 || ms[i].hidden) continue;  /* Never; the compiler's */
        if (mode == OC_PUBLIC && !ms[i].is_public) continue;
        if (mode == OC_TOP && in_group(c, &ms[i])) { grouped = 1; continue; }
        if (mode == OC_NONPUBLIC && !in_group(c, &ms[i])) continue;
        if (ms[i].browsable == 3 && depth < 4) {             /* RootHidden: its children here */
            EvVal mv;
            if (read_member(c, obj, &ms[i], &mv) != 0 || mv.is_null || !mv.v) continue;
            int null = 0;
            ICorDebugValue *inner = ev_deref(c, mv.v, &null);
            if (!inner) continue;
            CorElementType et = 0;
            COM(inner, GetType, &et);
            if (et == ELEMENT_TYPE_SZARRAY || et == ELEMENT_TYPE_ARRAY) {
                size_t s2 = start > *total ? start - *total : 0;
                size_t have = *n;
                array_children(c, inner, s2, count > have ? count - have : 0, out, n, total, cap);
            } else {
                object_children(c, ev_pin(c, mv.v), ev_type_of(c, inner), 0, (size_t)-1, out, n, total, cap, depth + 1, OC_ALL);
            }
            continue;
        }
        size_t pos = (*total)++;
        if (pos < start || *n >= count) continue;
        if (add_child(c, out, n, cap, ms[i].name) != 0) break;
        EvChild *ch = &(*out)[*n - 1];
        if (read_member(c, obj, &ms[i], &ch->val) != 0) {
            ch->error = arena_strdup(c->arena, c->err);
            c->err[0] = 0;
            c->threw = 0;
        }
    }
    free(ms);
    if (grouped) {
        EvVal self = { .v = obj, .type = t };
        CorElementType oet = 0;
        int null = 0;
        ICorDebugValue *o = ev_deref(c, obj, &null);
        if (o) COM(o, GetType, &oet);
        self.et = oet ? oet : ELEMENT_TYPE_CLASS;
        return add_view(c, &self, EV_VIEW_NONPUBLIC, start, count, out, n, total, cap);
    }
    return 0;
}

/* ---------------------------------------------------------------- results views */

/* Method `method` of CoreLib's type `type` (the first of that name), or NULL. */
static ICorDebugFunction *corelib_method(EvCtx *c, const char *type, const char *method)
{
    for (size_t i = 0; i < evh_nmodules(c); i++) {
        Module *m = evh_module_at(c, i);
        if (strcmp(evh_module_name(c, m), "System.Private.CoreLib")) continue;
        PdbModule *sym = evh_module_symbols(c, m, 1);
        if (!sym) return NULL;
        const MdMeta *md = &pdb_module_image(sym)->md;
        uint32_t rows = md_rows(md, MD_T_TypeDef);
        for (uint32_t r = 1; r <= rows; r++) {
            char full[512];
            typedef_name(md, r, full, sizeof full);
            if (strcmp(full, type)) continue;
            uint32_t first, end;
            md_list_range(md, MD_T_TypeDef, r, MD_TypeDef_MethodList, MD_T_MethodDef, &first, &end);
            for (uint32_t k = first; k < end; k++) {
                if (strcmp(md_string(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Name)), method)) continue;
                ICorDebugFunction *fn = NULL;
                if (FAILED(COM(evh_module_iface(c, m), GetFunctionFromToken, 0x06000000u | k, &fn)) || !fn) return NULL;
                return ev_keep(c, fn);
            }
            return NULL;
        }
        return NULL;
    }
    return NULL;
}

static int is_enumerable(EvCtx *c, ICorDebugType *t);

int ev_has_results_view(EvCtx *c, const EvVal *v)
{
    if (v->is_null || !v->v || ev_is_primitive(v->et)) return 0;
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v->v, &null);
    CorElementType et = 0;
    if (!obj || FAILED(COM(obj, GetType, &et)) || (et != ELEMENT_TYPE_CLASS && et != ELEMENT_TYPE_GENERICINST)) return 0;
    return is_enumerable(c, ev_type_of(c, obj));
}

/* Is t (or a base) an IEnumerable? */
static int is_enumerable(EvCtx *c, ICorDebugType *t)
{
    for (int depth = 0; t && depth < 32; depth++) {
        if (ev_declares_interface(c, t, "System.Collections.IEnumerable", NULL) ||
            ev_declares_interface(c, t, "System.Collections.Generic.IEnumerable", NULL))
            return 1;
        ICorDebugType *base = NULL;
        if (FAILED(COM(t, GetBase, &base)) || !base) return 0;
        t = ev_keep(c, base);
    }
    return 0;
}

/* A Results View's items: the IEnumerable enumerated, as VS's view does, by calling its
 * GetEnumerator, then MoveNext and Current (interface methods: the runtime dispatches them to
 * the object's own), at most EV_RESULTS_MAX items. Runs the program's code: only on request. */
static int results_children(EvCtx *c, ICorDebugValue *ref, size_t start, size_t count,
                            EvChild **out, size_t *n, size_t *total, size_t *cap)
{
    if (!c->funceval) return ev_fail(c, "%s", c->no_funceval ? c->no_funceval : "Implicit function evaluation is turned off by the user");
    ICorDebugFunction *get_enum = corelib_method(c, "System.Collections.IEnumerable", "GetEnumerator");
    ICorDebugFunction *move_next = corelib_method(c, "System.Collections.IEnumerator", "MoveNext");
    ICorDebugFunction *current = corelib_method(c, "System.Collections.IEnumerator", "get_Current");
    if (!get_enum || !move_next || !current) return ev_fail(c, "cannot find IEnumerable's methods in System.Private.CoreLib");
    ICorDebugValue *self = ev_pin(c, ref), *en = NULL;
    if (ev_call(c, get_enum, NULL, 0, &self, 1, &en) != 0) return -1;
    if (!en) return ev_fail(c, "GetEnumerator() returned nothing");
    en = ev_pin(c, en);
    for (size_t k = 0; k < EV_RESULTS_MAX; k++) {
        ICorDebugValue *more = NULL;
        EvVal mv;
        if (ev_call(c, move_next, NULL, 0, &en, 1, &more) != 0 || !more || ev_from_value(c, more, &mv) != 0) {
            /* The enumeration threw (or failed): the items so far, then why it ended. */
            size_t pos = (*total)++;
            if (pos >= start && *n < count && add_child(c, out, n, cap, "Error") == 0)
                (*out)[*n - 1].error = arena_strdup(c->arena, c->err[0] ? c->err : "MoveNext() gave no answer");
            c->err[0] = 0;
            c->threw = 0;
            break;
        }
        if (!mv.bits) break;
        size_t pos = (*total)++;
        if (pos < start || *n >= count) continue;
        char name[32];
        snprintf(name, sizeof name, "[%zu]", k);
        if (add_child(c, out, n, cap, arena_strdup(c->arena, name)) != 0) return -1;
        EvChild *ch = &(*out)[*n - 1];
        ICorDebugValue *cur = NULL;
        if (ev_call(c, current, NULL, 0, &en, 1, &cur) != 0) {
            ch->error = arena_strdup(c->arena, c->err);
            c->err[0] = 0;
            c->threw = 0;
            continue;
        }
        /* Current is an object: a boxed number shows as the number it holds. */
        int null = 0;
        ICorDebugValue *pinned = cur ? ev_pin(c, cur) : NULL, *o = pinned ? ev_deref(c, pinned, &null) : NULL;
        CorElementType oet = 0;
        if (o) COM(o, GetType, &oet);
        if (o && ev_is_primitive(oet) && ev_from_value(c, o, &ch->val) == 0) continue;
        if (!pinned || ev_from_value(c, pinned, &ch->val) != 0) ch->error = "<unreadable>";
    }
    return 0;
}

static int children_of(EvCtx *c, const EvVal *v, size_t start, size_t count, EvChild **out, size_t *n, size_t *total);

/* A tuple's element name for a member name: "name" for Item1 when the PDB names it; NULL when
 * it has none. */
static const char *tuple_name_of(const EvVal *v, const char *member)
{
    if (!v->ntuple_names || strncmp(member, "Item", 4)) return NULL;
    char *end;
    unsigned long k = strtoul(member + 4, &end, 10);
    if (*end || k < 1 || k > 7 || k > v->ntuple_names) return NULL;
    return v->tuple_names[k - 1];
}

int ev_children(EvCtx *c, const EvVal *v, size_t start, size_t count, EvChild **out, size_t *n, size_t *total)
{
    int rc = children_of(c, v, start, count, out, n, total);
    /* A named tuple's elements under their names (the PDB's TupleElementNames), as C# shows them. */
    for (size_t i = 0; rc == 0 && v->ntuple_names && i < *n; i++) {
        const char *tn = tuple_name_of(v, (*out)[i].name);
        if (tn) (*out)[i].name = tn;
    }
    return rc;
}

static int children_of(EvCtx *c, const EvVal *v, size_t start, size_t count, EvChild **out, size_t *n, size_t *total)
{
    *out = NULL;
    *n = 0;
    *total = 0;
    size_t cap = 0;
    if (v->is_null || !v->v) return 0;
    if (v->view == EV_VIEW_RESULTS) return results_children(c, v->v, start, count, out, n, total, &cap);
    if (ev_is_primitive(v->et)) return 0;
    if (v->et == ELEMENT_TYPE_PTR) {
        ICorDebugReferenceValue *rv = NULL;
        ICorDebugValue *target = NULL;
        BOOL null = TRUE;
        if (FAILED(COM(v->v, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&rv)) || !rv) return 0;
        ev_keep(c, rv);
        COM(rv, IsNull, &null);
        if (null || FAILED(COM(rv, Dereference, &target)) || !target) return 0;
        ev_keep(c, target);
        *total = 1;
        if (start > 0 || count == 0) return 0;
        add_child(c, out, n, &cap, "*");
        if (ev_from_value(c, target, &(*out)[0].val) != 0) (*out)[0].error = "<unreadable>";
        return 0;
    }
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v->v, &null);
    if (!obj) return 0;
    CorElementType et = 0;
    COM(obj, GetType, &et);
    if (et == ELEMENT_TYPE_STRING || ev_is_primitive(et)) return 0;
    if (et == ELEMENT_TYPE_SZARRAY || et == ELEMENT_TYPE_ARRAY)
        return array_children(c, obj, start, count, out, n, total, &cap);
    ICorDebugType *t = ev_type_of(c, obj);
    if (!t) return 0;
    char name[256];
    class_full_name(c, t, name, sizeof name);
    if (!strcmp(name, "System.Decimal") || is_enum_type(c, t)) return 0;
    if (!strcmp(name, "System.Nullable")) {
        ICorDebugValue *has = field_by_name(c, obj, t, "hasValue");
        EvVal hv, iv;
        ICorDebugValue *inner = field_by_name(c, obj, t, "value");
        if (!has || ev_from_value(c, has, &hv) != 0 || !hv.bits || !inner || ev_from_value(c, inner, &iv) != 0) return 0;
        return ev_children(c, &iv, start, count, out, n, total);
    }
    /* No code can run (a core dump, or evaluation off): a List<T> by its contents all the
     * same, read from its fields (_items up to _size), as its proxy would show it. */
    if (!c->funceval && !c->raw && v->view == EV_VIEW_NONE &&
        !strcmp(name, "System.Collections.Generic.List")) {
        ICorDebugValue *items = field_by_name(c, obj, t, "_items"), *size = field_by_name(c, obj, t, "_size");
        EvVal sv;
        int nul = 0;
        ICorDebugValue *arr = items && size && ev_from_value(c, size, &sv) == 0 ? ev_deref(c, items, &nul) : NULL;
        if (arr) {
            size_t sz = (size_t)sv.bits, want = count;
            if (start + want > sz) want = sz > start ? sz - start : 0;
            int rc = want ? array_children(c, arr, start, want, out, n, total, &cap) : 0;
            *total = sz;
            return rc;
        }
    }
    if (v->view == EV_VIEW_NONPUBLIC) return object_children(c, v->v, t, start, count, out, n, total, &cap, 0, OC_NONPUBLIC);
    if (c->raw_members) return object_children(c, v->v, t, start, count, out, n, total, &cap, 0, OC_ALL);
    /* The object as itself, proxy and DebuggerDisplay put aside: its Raw View, or `, raw`. */
    int raw = c->raw || v->view == EV_VIEW_RAW;
    EvVal self = *v;
    self.view = EV_VIEW_NONE;
    self.v = ev_pin(c, v->v);       /* getters and proxies run code; the groups read it after */
    if (c->funceval && !raw) {
        ICorDebugValue *proxy = make_proxy(c, self.v, t);
        if (proxy) {
            proxy = ev_pin(c, proxy);
            ICorDebugValue *pobj = ev_deref(c, proxy, &null);
            if (pobj) {
                if (object_children(c, proxy, ev_type_of(c, pobj), start, count, out, n, total, &cap, 0, OC_PUBLIC) != 0) return -1;
                return add_view(c, &self, EV_VIEW_RAW, start, count, out, n, total, &cap);
            }
        }
        c->err[0] = 0;
    }
    if (object_children(c, self.v, t, start, count, out, n, total, &cap, 0, OC_TOP) != 0) return -1;
    /* An IEnumerable that no proxy shows (an iterator, a LINQ query): its items on request. */
    if (c->funceval && !raw && et != ELEMENT_TYPE_VALUETYPE && is_enumerable(c, t))
        return add_view(c, &self, EV_VIEW_RESULTS, start, count, out, n, total, &cap);
    return 0;
}

int ev_has_children(EvCtx *c, const EvVal *v)
{
    if (v->view) return v->v != NULL;
    if (v->is_null || !v->v || ev_is_primitive(v->et)) return 0;
    if (v->et == ELEMENT_TYPE_PTR) return 1;
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v->v, &null);
    if (!obj) return 0;
    CorElementType et = 0;
    COM(obj, GetType, &et);
    if (et == ELEMENT_TYPE_STRING || ev_is_primitive(et)) return 0;
    if (et == ELEMENT_TYPE_VALUETYPE && is_number_struct(c, ev_type_of(c, obj))) return 0;
    if (et == ELEMENT_TYPE_SZARRAY || et == ELEMENT_TYPE_ARRAY) {
        ICorDebugArrayValue *av = NULL;
        ULONG32 cnt = 0;
        if (SUCCEEDED(COM(obj, QueryInterface, &IID_ICorDebugArrayValue, (void **)&av)) && av) {
            COM(av, GetCount, &cnt);
            COM0(av, Release);
        }
        return cnt > 0;
    }
    ICorDebugType *t = ev_type_of(c, obj);
    char name[256];
    class_full_name(c, t, name, sizeof name);
    if (!strcmp(name, "System.Decimal") || (t && is_enum_type(c, t))) return 0;
    if (!strcmp(name, "System.Nullable")) {
        ICorDebugValue *has = field_by_name(c, obj, t, "hasValue");
        ICorDebugValue *inner = field_by_name(c, obj, t, "value");
        EvVal hv, iv;
        if (!has || ev_from_value(c, has, &hv) != 0 || !hv.bits) return 0;
        return inner && ev_from_value(c, inner, &iv) == 0 && ev_has_children(c, &iv);
    }
    return 1;
}

/* ---------------------------------------------------------------- type proxies */

/* The proxy type named by a DebuggerTypeProxy string, instantiated with t's own generic
 * arguments: "System.Collections.Generic.ICollectionDebugView`1[[...]], System.Private.CoreLib". */
static ICorDebugType *proxy_type(EvCtx *c, ICorDebugType *owner, const char *spec)
{
    char name[512];
    size_t n = strcspn(spec, "[,");
    if (n >= sizeof name) return NULL;
    memcpy(name, spec, n);
    name[n] = 0;
    /* Nested types are written Outer+Inner. */
    for (char *p = name; *p; p++) if (*p == '+') *p = '.';
    char *tick = strchr(name, '`');
    if (tick) *tick = 0;
    ICorDebugType *args[16];
    size_t na = type_args(c, owner, args, 16);
    /* Look in the owner's module first, then everywhere. */
    ICorDebugClass *ocls = ev_class_of_type(c, owner);
    ICorDebugModule *omod = NULL;
    if (ocls) { COM(ocls, GetModule, &omod); if (omod) ev_keep(c, omod); }
    for (int pass = 0; pass < 2; pass++) {
        for (size_t i = 0; i < evh_nmodules(c); i++) {
            Module *m = evh_module_at(c, i);
            if ((pass == 0) != (evh_module_iface(c, m) == omod || (omod && evh_module_by_iface(c, omod) == m))) continue;
            PdbModule *sym = evh_module_symbols(c, m, 1);
            if (!sym) continue;
            const MdMeta *md = &pdb_module_image(sym)->md;
            uint32_t rows = md_rows(md, MD_T_TypeDef);
            for (uint32_t r = 1; r <= rows; r++) {
                char full[512];
                typedef_name(md, r, full, sizeof full);
                if (strcmp(full, name)) continue;
                return ev_typedef_type(c, m, r, args, na);
            }
        }
    }
    return NULL;
}

/* An instance of obj's DebuggerTypeProxy, made by its constructor taking obj; NULL if none. */
static ICorDebugValue *make_proxy(EvCtx *c, ICorDebugValue *ref, ICorDebugType *t)
{
    MdPool pool = { 0 };
    MdDebugAttrs attrs;
    ICorDebugType *owner = NULL;
    ICorDebugValue *result = NULL;
    if (!type_attrs(c, t, &pool, &attrs, MD_ATTR_DEBUGGER_TYPE_PROXY, &owner) || !attrs.type_proxy) goto out;
    ICorDebugType *pt = proxy_type(c, owner, attrs.type_proxy);
    if (!pt) goto out;
    ICorDebugClass *pcls = ev_class_of_type(c, pt);
    const MdMeta *md;
    uint32_t rid;
    Module *m = pcls ? ev_module_of_class(c, pcls, &md, &rid) : NULL;
    if (!m) goto out;
    uint32_t first, end;
    md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_MethodList, MD_T_MethodDef, &first, &end);
    for (uint32_t k = first; k < end; k++) {
        if (strcmp(md_string(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Name)), ".ctor")) continue;
        const uint8_t *sig;
        uint32_t slen;
        if (md_blob(md, md_get(md, MD_T_MethodDef, k, MD_MethodDef_Signature), &sig, &slen) != 0 || slen < 2 || sig[1] != 1) continue;
        ICorDebugFunction *fn = NULL;
        if (FAILED(COM(evh_module_iface(c, m), GetFunctionFromToken, 0x06000000u | k, &fn)) || !fn) continue;
        ev_keep(c, fn);
        ICorDebugType *targs[16];
        size_t na = type_args(c, pt, targs, 16);
        /* The constructor takes the object: a handle, so that it is valid as an argument. */
        ICorDebugValue *arg = ev_pin(c, ref);
        if (ev_new_object(c, fn, targs, na, &arg, 1, &result) != 0) result = NULL;
        break;
    }
out:
    md_pool_free(&pool);
    return result;
}

/* ---------------------------------------------------------------- whole values */

void ev_format(EvCtx *c, const EvVal *v, int expand, StrBuf *out)
{
    if (!expand) { ev_summary(c, v, out); return; }
    ev_format_n(c, v, 100, out);
}

void ev_format_n(EvCtx *c, const EvVal *v, size_t shown, StrBuf *out)
{
    ev_summary(c, v, out);
    if (!ev_has_children(c, v)) return;
    EvChild *ch;
    size_t n, total;
    if (ev_children(c, v, 0, shown, &ch, &n, &total) != 0) {
        sb_printf(out, "\n  <error: %s>", c->err);      /* a Results View whose enumeration failed */
        c->err[0] = 0;
        return;
    }
    for (size_t i = 0; i < n; i++) ev_hold(c, &ch[i].val);
    /* The groups come last (at most three): past the elements shown, they are fetched apart
     * and not counted among the "more". */
    EvChild *tail = NULL;
    size_t ntail = 0, tt;
    size_t tail_start = total > 3 && total - 3 > n ? total - 3 : n;
    if (total > n && v->view != EV_VIEW_RESULTS &&        /* no groups there: do not enumerate again */
        ev_children(c, v, tail_start, total - tail_start, &tail, &ntail, &tt) != 0) {
        ntail = 0;
        c->err[0] = 0;
    }
    size_t more = total - n;
    for (size_t i = 0; i < ntail; i++) if (tail[i].val.view) { ev_hold(c, &tail[i].val); more--; }
    for (size_t i = 0; i < n; i++) {
        if (ch[i].val.view) continue;
        sb_printf(out, "\n  %s = ", ch[i].name);
        if (ch[i].error) sb_printf(out, "<error: %s>", ch[i].error);
        else ev_summary(c, &ch[i].val, out);
    }
    if (more) sb_printf(out, "\n  ... %zu more", more);
    /* Groups last, as VS lists them: the non-public members shown one level down; the raw
     * and results views named (`print x, raw`, `print x, results` show them). */
    for (size_t j = 0; j < n + ntail; j++) {
        EvChild *cj = j < n ? &ch[j] : &tail[j - n];
        const EvVal *g = &cj->val;
        if (!g->view) continue;
        sb_printf(out, "\n  %s", cj->name);
        if (g->view == EV_VIEW_RESULTS) sb_printf(out, " = %s", EV_RESULTS_NOTE);
        if (g->view != EV_VIEW_NONPUBLIC) continue;
        EvChild *gc;
        size_t gn, gtotal;
        if (ev_children(c, g, 0, shown, &gc, &gn, &gtotal) != 0) { sb_printf(out, "\n    <error: %s>", c->err); c->err[0] = 0; continue; }
        for (size_t k = 0; k < gn; k++) {
            sb_printf(out, "\n    %s = ", gc[k].name);
            if (gc[k].error) sb_printf(out, "<error: %s>", gc[k].error);
            else ev_summary(c, &gc[k].val, out);
        }
        if (gtotal > gn) sb_printf(out, "\n    ... %zu more", gtotal - gn);
    }
}
