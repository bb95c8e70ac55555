/* meta/md_sig: signature blobs (II.23.2) -> MdType trees; C#-style names; custom attributes
 * the debugger cares about. Recursion is bounded (MAX_DEPTH) and every count is checked
 * against the bytes left before anything is allocated, so hostile blobs cost O(blob) memory. */
#include "meta/sig.h"
#include "meta/md_internal.h"

#define MAX_DEPTH 64

typedef struct {
    MdRd r;
    MdPool *pool;
    int depth;
} Dec;

static MdType *new_ty(Dec *d, MdTypeKind k)
{
    MdType *t = md_pool_alloc(d->pool, sizeof *t);
    if (!t) {
        d->r.bad = 1;
        return NULL;
    }
    t->kind = k;
    return t;
}

static uint32_t dec_tdor(Dec *d)
{
    uint32_t v = rd_cu(&d->r);
    static const uint8_t tab[3] = {MD_T_TypeDef, MD_T_TypeRef, MD_T_TypeSpec};
    if ((v & 3) == 3 || (v >> 2) == 0) {
        d->r.bad = 1;
        return 0;
    }
    return ((uint32_t)tab[v & 3] << 24) | (v >> 2);
}

static int peek(Dec *d)
{
    return rd_left(&d->r) ? d->r.p[d->r.pos] : -1;
}

static void skip_cmods(Dec *d)
{
    while (!d->r.bad && (peek(d) == MD_ET_CMOD_OPT || peek(d) == MD_ET_CMOD_REQD)) {
        rd_u8(&d->r);
        dec_tdor(d);
    }
}

static MdMethodSig *dec_method(Dec *d, int first);

/* A count claimed by the blob is at most the bytes left (each element takes >= 1 byte). */
static int check_count(Dec *d, uint32_t n)
{
    if (d->r.bad || n > rd_left(&d->r)) {
        d->r.bad = 1;
        return 0;
    }
    return 1;
}

static MdType *dec_type(Dec *d)
{
    if (++d->depth > MAX_DEPTH) {
        d->r.bad = 1;
        return NULL;
    }
    skip_cmods(d);
    uint8_t b = rd_u8(&d->r);
    MdType *t = NULL;
    if (d->r.bad) goto out;
    switch (b) {
    case MD_ET_VOID: case MD_ET_BOOLEAN: case MD_ET_CHAR: case MD_ET_I1: case MD_ET_U1:
    case MD_ET_I2: case MD_ET_U2: case MD_ET_I4: case MD_ET_U4: case MD_ET_I8: case MD_ET_U8:
    case MD_ET_R4: case MD_ET_R8: case MD_ET_STRING: case MD_ET_TYPEDBYREF: case MD_ET_I:
    case MD_ET_U: case MD_ET_OBJECT:
        if ((t = new_ty(d, MD_TY_PRIM))) t->elem = b;
        break;
    case MD_ET_PTR: case MD_ET_BYREF: case MD_ET_SZARRAY: case MD_ET_PINNED:
        t = new_ty(d, b == MD_ET_PTR ? MD_TY_PTR : b == MD_ET_BYREF ? MD_TY_BYREF
                    : b == MD_ET_SZARRAY ? MD_TY_SZARRAY : MD_TY_PINNED);
        if (t) t->inner = dec_type(d);
        break;
    case MD_ET_VALUETYPE: case MD_ET_CLASS:
        if ((t = new_ty(d, MD_TY_NAMED))) {
            t->valuetype = b == MD_ET_VALUETYPE;
            t->token = dec_tdor(d);
        }
        break;
    case MD_ET_VAR: case MD_ET_MVAR:
        if ((t = new_ty(d, b == MD_ET_VAR ? MD_TY_VAR : MD_TY_MVAR))) t->index = rd_cu(&d->r);
        break;
    case MD_ET_ARRAY: {
        if (!(t = new_ty(d, MD_TY_ARRAY))) break;
        t->inner = dec_type(d);
        t->rank = rd_cu(&d->r);
        uint32_t nsizes = rd_cu(&d->r);
        if (!check_count(d, nsizes)) break;
        for (uint32_t i = 0; i < nsizes; i++) rd_cu(&d->r);
        uint32_t nlo = rd_cu(&d->r);
        if (!check_count(d, nlo)) break;
        for (uint32_t i = 0; i < nlo; i++) rd_cs(&d->r);
        if (t->rank == 0 || t->rank > 32) d->r.bad = 1;
        break;
    }
    case MD_ET_GENERICINST: {
        uint8_t k = rd_u8(&d->r);
        if (k != MD_ET_CLASS && k != MD_ET_VALUETYPE) {
            d->r.bad = 1;
            break;
        }
        if (!(t = new_ty(d, MD_TY_GENERIC))) break;
        MdType *g = new_ty(d, MD_TY_NAMED);
        if (!g) break;
        g->valuetype = k == MD_ET_VALUETYPE;
        g->token = dec_tdor(d);
        t->inner = g;
        t->valuetype = g->valuetype;
        uint32_t n = rd_cu(&d->r);
        if (n == 0 || !check_count(d, n)) {
            d->r.bad = 1;
            break;
        }
        t->args = md_pool_alloc(d->pool, sizeof(MdType *) * n);
        if (!t->args) {
            d->r.bad = 1;
            break;
        }
        t->nargs = n;
        for (uint32_t i = 0; i < n && !d->r.bad; i++) t->args[i] = dec_type(d);
        break;
    }
    case MD_ET_FNPTR:
        if ((t = new_ty(d, MD_TY_FNPTR))) t->fnsig = dec_method(d, -1);
        break;
    default:
        d->r.bad = 1;
        break;
    }
out:
    d->depth--;
    return d->r.bad ? NULL : t;
}

/* Method-like signature; `first` is the calling-convention byte if already read, else -1. */
static MdMethodSig *dec_method(Dec *d, int first)
{
    MdMethodSig *s = md_pool_alloc(d->pool, sizeof *s);
    if (!s) {
        d->r.bad = 1;
        return NULL;
    }
    s->conv = first >= 0 ? (uint8_t)first : rd_u8(&d->r);
    if (s->conv & MD_CC_GENERIC) s->gen_count = rd_cu(&d->r);
    if (s->gen_count > 0xFFFF) d->r.bad = 1; /* GenericParam.Number is 16 bits */
    uint32_t n = rd_cu(&d->r);
    if (!check_count(d, n)) return NULL;
    s->ret = dec_type(d);
    s->params = md_pool_alloc(d->pool, sizeof(MdType *) * (n ? n : 1));
    if (!s->params) {
        d->r.bad = 1;
        return NULL;
    }
    s->nparams = n;
    for (uint32_t i = 0; i < n && !d->r.bad; i++) {
        if (peek(d) == MD_ET_SENTINEL) rd_u8(&d->r);
        s->params[i] = dec_type(d);
    }
    return d->r.bad ? NULL : s;
}

static Dec dec_make(MdPool *pool, const uint8_t *p, uint32_t len)
{
    Dec d = {rd_make(p, len), pool, 0};
    if (!p) d.r.bad = 1;
    return d;
}

int md_decode_type(MdPool *pool, const uint8_t *p, uint32_t len, MdType **out)
{
    Dec d = dec_make(pool, p, len);
    *out = dec_type(&d);
    return d.r.bad ? MD_EBADFMT : 0;
}

int md_decode_method_sig(MdPool *pool, const uint8_t *p, uint32_t len, MdMethodSig **out)
{
    Dec d = dec_make(pool, p, len);
    uint8_t c = rd_u8(&d.r);
    if ((c & 0x0F) > 0x05 && (c & 0x0F) != 0x09) d.r.bad = 1; /* not a method calling convention */
    *out = d.r.bad ? NULL : dec_method(&d, c);
    return d.r.bad ? MD_EBADFMT : 0;
}

int md_decode_field_sig(MdPool *pool, const uint8_t *p, uint32_t len, MdType **out)
{
    Dec d = dec_make(pool, p, len);
    if ((rd_u8(&d.r) & 0x0F) != 0x06) d.r.bad = 1;
    *out = d.r.bad ? NULL : dec_type(&d);
    return d.r.bad ? MD_EBADFMT : 0;
}

int md_decode_property_sig(MdPool *pool, const uint8_t *p, uint32_t len, MdMethodSig **out)
{
    Dec d = dec_make(pool, p, len);
    uint8_t c = rd_u8(&d.r);
    if ((c & 0x0F) != 0x08) d.r.bad = 1;
    *out = d.r.bad ? NULL : dec_method(&d, c);
    return d.r.bad ? MD_EBADFMT : 0;
}

static int dec_list(MdPool *pool, const uint8_t *p, uint32_t len, uint8_t lead, MdType ***out,
                    uint32_t *n)
{
    Dec d = dec_make(pool, p, len);
    *out = NULL;
    *n = 0;
    if (rd_u8(&d.r) != lead) return MD_EBADFMT;
    uint32_t c = rd_cu(&d.r);
    if (!check_count(&d, c)) return MD_EBADFMT;
    MdType **v = md_pool_alloc(pool, sizeof(MdType *) * (c ? c : 1));
    if (!v) return MD_ENOMEM;
    for (uint32_t i = 0; i < c && !d.r.bad; i++) v[i] = dec_type(&d);
    if (d.r.bad) return MD_EBADFMT;
    *out = v;
    *n = c;
    return 0;
}

int md_decode_locals_sig(MdPool *pool, const uint8_t *p, uint32_t len, MdType ***out, uint32_t *n)
{
    return dec_list(pool, p, len, 0x07, out, n);
}

int md_decode_methodspec(MdPool *pool, const uint8_t *p, uint32_t len, MdType ***out, uint32_t *n)
{
    return dec_list(pool, p, len, 0x0A, out, n);
}

/* ---- names ---- */

typedef struct {
    char *buf;
    size_t cap, len;
} Sb;

static void put(Sb *s, const char *t, size_t n)
{
    if (s->len + 1 < s->cap) {
        size_t room = s->cap - 1 - s->len;
        memcpy(s->buf + s->len, t, n < room ? n : room);
    }
    s->len += n;
    if (s->cap) s->buf[s->len < s->cap ? s->len : s->cap - 1] = 0;
}
static void puts_(Sb *s, const char *t) { put(s, t, strlen(t)); }
static void putu(Sb *s, uint32_t v)
{
    char b[16];
    put(s, b, (size_t)snprintf(b, sizeof b, "%u", v));
}

uint32_t md_enclosing_type(const MdMeta *m, uint32_t rid)
{
    uint32_t r = md_lower_bound(m, MD_T_NestedClass, MD_NestedClass_NestedClass, rid);
    if (r <= md_rows(m, MD_T_NestedClass) && md_get(m, MD_T_NestedClass, r, MD_NestedClass_NestedClass) == rid)
        return md_get(m, MD_T_NestedClass, r, MD_NestedClass_EnclosingClass);
    return 0;
}

static uint32_t owner_by_list(const MdMeta *m, int col, int target, uint32_t rid)
{
    uint32_t t = md_lower_bound(m, MD_T_TypeDef, col, rid + 1);
    if (t <= 1) return 0;
    t--;
    uint32_t f, e;
    md_list_range(m, MD_T_TypeDef, t, col, target, &f, &e);
    return (rid >= f && rid < e) ? t : 0;
}

uint32_t md_method_owner(const MdMeta *m, uint32_t rid)
{
    return owner_by_list(m, MD_TypeDef_MethodList, MD_T_MethodDef, rid);
}

uint32_t md_field_owner(const MdMeta *m, uint32_t rid)
{
    return owner_by_list(m, MD_TypeDef_FieldList, MD_T_Field, rid);
}

const char *md_generic_param_name(const MdMeta *m, uint32_t owner, uint32_t n)
{
    uint32_t key = md_coded_from_token(MD_CI_TypeOrMethodDef, owner);
    if (key == UINT32_MAX || (owner & 0xFFFFFF) == 0) return NULL;
    uint32_t rows = md_rows(m, MD_T_GenericParam);
    for (uint32_t r = md_lower_bound(m, MD_T_GenericParam, MD_GenericParam_Owner, key);
         r <= rows && md_get(m, MD_T_GenericParam, r, MD_GenericParam_Owner) == key; r++)
        if (md_get(m, MD_T_GenericParam, r, MD_GenericParam_Number) == n)
            return md_string(m, md_get(m, MD_T_GenericParam, r, MD_GenericParam_Name));
    return NULL;
}

/* Print the i-th generic argument (callback so args can be types or parameter names). */
typedef void (*ArgFn)(Sb *s, const void *ud, uint32_t i);

static void type_name(Sb *s, const MdMeta *m, const MdType *t, const MdGenCtx *g, int depth);

typedef struct {
    const MdMeta *m;
    const MdType *const *args;
    const MdGenCtx *g;
    int depth;
} TypeArgs;

static void arg_type(Sb *s, const void *ud, uint32_t i)
{
    const TypeArgs *a = ud;
    type_name(s, a->m, a->args[i], a->g, a->depth + 1);
}

typedef struct {
    const MdMeta *m;
    uint32_t owner;
} ParamArgs;

static void arg_param(Sb *s, const void *ud, uint32_t i)
{
    const ParamArgs *a = ud;
    const char *n = md_generic_param_name(a->m, a->owner, i);
    if (n && *n) puts_(s, n);
    else {
        puts_(s, "!");
        putu(s, i);
    }
}

static void put_args(Sb *s, ArgFn fn, const void *ud, uint32_t from, uint32_t to)
{
    puts_(s, "<");
    for (uint32_t i = from; i < to && s->len < s->cap; i++) { /* stop once the buffer is full */
        if (i > from) puts_(s, ", ");
        fn(s, ud, i);
    }
    puts_(s, ">");
}

/* Name and namespace of a TypeDef or TypeRef token; 0 ok. */
static int type_ident(const MdMeta *m, uint32_t tok, const char **ns, const char **name)
{
    uint32_t t = tok >> 24, rid = tok & 0xFFFFFF;
    if (t == MD_T_TypeDef && rid && rid <= md_rows(m, t)) {
        *ns = md_string(m, md_get(m, t, rid, MD_TypeDef_Namespace));
        *name = md_string(m, md_get(m, t, rid, MD_TypeDef_Name));
        return 0;
    }
    if (t == MD_T_TypeRef && rid && rid <= md_rows(m, t)) {
        *ns = md_string(m, md_get(m, t, rid, MD_TypeRef_Namespace));
        *name = md_string(m, md_get(m, t, rid, MD_TypeRef_Name));
        return 0;
    }
    return -1;
}

static uint32_t outer_token(const MdMeta *m, uint32_t tok)
{
    uint32_t t = tok >> 24, rid = tok & 0xFFFFFF;
    if (t == MD_T_TypeDef) {
        uint32_t e = md_enclosing_type(m, rid);
        return e ? ((uint32_t)MD_T_TypeDef << 24 | e) : 0;
    }
    if (t == MD_T_TypeRef) {
        uint32_t sc = md_coded_token(MD_CI_ResolutionScope, md_get(m, t, rid, MD_TypeRef_ResolutionScope));
        return (sc >> 24) == MD_T_TypeRef ? sc : 0;
    }
    return 0;
}

/* "Ns.Outer<A>.Inner<B>": arity from each level's `N suffix; args handed out outermost first. */
static void named(Sb *s, const MdMeta *m, uint32_t tok, ArgFn fn, const void *ud, uint32_t nargs,
                  int inst)
{
    uint32_t chain[16];
    int n = 0;
    for (uint32_t c = tok; c && n < 16; c = outer_token(m, c)) chain[n++] = c;
    const char *ns, *name;
    if (n == 1 && inst && type_ident(m, tok, &ns, &name) == 0 && !strcmp(ns, "System")) {
        if (!strcmp(name, "Nullable`1") && nargs == 1) {
            fn(s, ud, 0);
            puts_(s, "?");
            return;
        }
        if (!strncmp(name, "ValueTuple`", 11) && nargs >= 2 && nargs <= 7 &&
            (uint32_t)(name[11] - '0') == nargs && name[12] == 0) {
            puts_(s, "(");
            for (uint32_t i = 0; i < nargs; i++) {
                if (i) puts_(s, ", ");
                fn(s, ud, i);
            }
            puts_(s, ")");
            return;
        }
    }
    uint32_t used = 0;
    for (int i = n - 1; i >= 0; i--) {
        if (type_ident(m, chain[i], &ns, &name) != 0) {
            puts_(s, "?");
            continue;
        }
        if (i == n - 1 && *ns) {
            puts_(s, ns);
            puts_(s, ".");
        }
        const char *tick = strrchr(name, '`');
        uint32_t ar = 0;
        if (tick && tick[1]) {
            const char *q = tick + 1;
            while (*q >= '0' && *q <= '9' && ar < 1000) ar = ar * 10 + (uint32_t)(*q++ - '0');
            if (*q) {
                ar = 0;
                tick = NULL;
            }
        } else tick = NULL;
        put(s, name, tick ? (size_t)(tick - name) : strlen(name));
        if (ar && used + ar <= nargs) {
            put_args(s, fn, ud, used, used + ar);
            used += ar;
        }
        if (i > 0) puts_(s, ".");
    }
    if (used < nargs) put_args(s, fn, ud, used, nargs);
}

static const char *prim_name(uint8_t e)
{
    switch (e) {
    case MD_ET_VOID: return "void";
    case MD_ET_BOOLEAN: return "bool";
    case MD_ET_CHAR: return "char";
    case MD_ET_I1: return "sbyte";
    case MD_ET_U1: return "byte";
    case MD_ET_I2: return "short";
    case MD_ET_U2: return "ushort";
    case MD_ET_I4: return "int";
    case MD_ET_U4: return "uint";
    case MD_ET_I8: return "long";
    case MD_ET_U8: return "ulong";
    case MD_ET_R4: return "float";
    case MD_ET_R8: return "double";
    case MD_ET_STRING: return "string";
    case MD_ET_OBJECT: return "object";
    case MD_ET_I: return "nint";
    case MD_ET_U: return "nuint";
    case MD_ET_TYPEDBYREF: return "System.TypedReference";
    }
    return "?";
}

static void token_name(Sb *s, const MdMeta *m, uint32_t tok, int depth);

/* Is a TypeDef or TypeRef token System.Decimal (a value type C# names by a keyword)? */
static int is_system_decimal(const MdMeta *m, uint32_t tok)
{
    uint32_t t = tok >> 24, rid = tok & 0xFFFFFF;
    if (t == MD_T_TypeRef)
        return !strcmp(md_string(m, md_get(m, MD_T_TypeRef, rid, MD_TypeRef_Name)), "Decimal") &&
               !strcmp(md_string(m, md_get(m, MD_T_TypeRef, rid, MD_TypeRef_Namespace)), "System");
    if (t == MD_T_TypeDef)
        return !strcmp(md_string(m, md_get(m, MD_T_TypeDef, rid, MD_TypeDef_Name)), "Decimal") &&
               !strcmp(md_string(m, md_get(m, MD_T_TypeDef, rid, MD_TypeDef_Namespace)), "System");
    return 0;
}

static void type_name(Sb *s, const MdMeta *m, const MdType *t, const MdGenCtx *g, int depth)
{
    if (!t || depth > MAX_DEPTH) {
        puts_(s, "?");
        return;
    }
    switch (t->kind) {
    case MD_TY_PRIM: puts_(s, prim_name(t->elem)); break;
    case MD_TY_NAMED:
        if (is_system_decimal(m, t->token)) puts_(s, "decimal");   /* C#'s keyword, as for int */
        else token_name(s, m, t->token, depth + 1);
        break;
    case MD_TY_GENERIC: {
        TypeArgs a = {m, (const MdType *const *)t->args, g, depth};
        if (t->inner && (t->inner->token >> 24) != MD_T_TypeSpec)
            named(s, m, t->inner->token, arg_type, &a, t->nargs, 1);
        else puts_(s, "?");
        break;
    }
    case MD_TY_SZARRAY: type_name(s, m, t->inner, g, depth + 1); puts_(s, "[]"); break;
    case MD_TY_ARRAY:
        type_name(s, m, t->inner, g, depth + 1);
        puts_(s, "[");
        if (t->rank == 1) puts_(s, "*");
        for (uint32_t i = 1; i < t->rank; i++) puts_(s, ",");
        puts_(s, "]");
        break;
    case MD_TY_PTR: type_name(s, m, t->inner, g, depth + 1); puts_(s, "*"); break;
    case MD_TY_BYREF: puts_(s, "ref "); type_name(s, m, t->inner, g, depth + 1); break;
    case MD_TY_PINNED: type_name(s, m, t->inner, g, depth + 1); puts_(s, " pinned"); break;
    case MD_TY_VAR: case MD_TY_MVAR: {
        int isv = t->kind == MD_TY_VAR;
        if (g && g->targs && (isv ? t->index < g->ntype : t->index < g->nmethod)) {
            puts_(s, g->targs[isv ? t->index : g->ntype + t->index]);
            break;
        }
        uint32_t owner = isv ? (g && g->type_rid ? ((uint32_t)MD_T_TypeDef << 24 | g->type_rid) : 0)
                             : (g && g->method_rid ? ((uint32_t)MD_T_MethodDef << 24 | g->method_rid) : 0);
        const char *n = owner ? md_generic_param_name(m, owner, t->index) : NULL;
        if (n && *n) puts_(s, n);
        else {
            puts_(s, isv ? "!" : "!!");
            putu(s, t->index);
        }
        break;
    }
    case MD_TY_FNPTR:
        puts_(s, "delegate*<");
        if (t->fnsig) {
            for (uint32_t i = 0; i < t->fnsig->nparams; i++) {
                type_name(s, m, t->fnsig->params[i], g, depth + 1);
                puts_(s, ", ");
            }
            type_name(s, m, t->fnsig->ret, g, depth + 1);
        }
        puts_(s, ">");
        break;
    }
}

static void token_name(Sb *s, const MdMeta *m, uint32_t tok, int depth)
{
    uint32_t t = tok >> 24, rid = tok & 0xFFFFFF;
    if (t == MD_T_TypeSpec) {
        const uint8_t *p;
        uint32_t len;
        MdPool pool = {0};
        MdType *ty = NULL;
        if (depth < 8 && md_blob(m, md_get(m, MD_T_TypeSpec, rid, MD_TypeSpec_Signature), &p, &len) == 0 &&
            md_decode_type(&pool, p, len, &ty) == 0)
            type_name(s, m, ty, NULL, depth + 1);
        else puts_(s, "?");
        md_pool_free(&pool);
        return;
    }
    if (t == MD_T_TypeDef) {
        /* a definition shows its own generic parameters: Outer<T>.Inner */
        uint32_t np = 0;
        uint32_t key = md_coded_from_token(MD_CI_TypeOrMethodDef, tok);
        uint32_t rows = md_rows(m, MD_T_GenericParam);
        for (uint32_t r = md_lower_bound(m, MD_T_GenericParam, MD_GenericParam_Owner, key);
             r <= rows && md_get(m, MD_T_GenericParam, r, MD_GenericParam_Owner) == key; r++) np++;
        ParamArgs a = {m, tok};
        named(s, m, tok, arg_param, &a, np, 0);
        return;
    }
    named(s, m, tok, arg_param, NULL, 0, 0);
}

size_t md_type_name(const MdMeta *m, const MdType *t, const MdGenCtx *g, char *buf, size_t cap)
{
    Sb s = {buf, cap, 0};
    if (cap) buf[0] = 0;
    type_name(&s, m, t, g, 0);
    return s.len;
}

size_t md_token_type_name(const MdMeta *m, uint32_t token, char *buf, size_t cap)
{
    Sb s = {buf, cap, 0};
    if (cap) buf[0] = 0;
    token_name(&s, m, token, 0);
    return s.len;
}

uint32_t md_generic_param_count(const MdMeta *m, uint32_t owner)
{
    uint32_t np = 0;
    uint32_t key = md_coded_from_token(MD_CI_TypeOrMethodDef, owner);
    if (key == UINT32_MAX || (owner & 0xFFFFFF) == 0) return 0;
    uint32_t rows = md_rows(m, MD_T_GenericParam);
    for (uint32_t r = md_lower_bound(m, MD_T_GenericParam, MD_GenericParam_Owner, key);
         r <= rows && md_get(m, MD_T_GenericParam, r, MD_GenericParam_Owner) == key; r++) np++;
    return np;
}

static void arg_str(Sb *s, const void *ud, uint32_t i)
{
    puts_(s, ((const char *const *)ud)[i]);
}

/* A name the C# compiler made: "<Outer>k__Rest"; the outer name's span and the kind
 * letter; 0 when not one. "<<Main>$>b__0_2" has the outer name "<Main>$". */
static int generated_name(const char *n, size_t *outer_len, char *kind, const char **rest)
{
    if (n[0] != '<') return 0;
    int depth = 0;
    for (const char *p = n; *p; p++) {
        if (*p == '<') depth++;
        else if (*p == '>' && --depth == 0) {
            if (!p[1] || p[2] != '_' || p[3] != '_') return 0;
            *outer_len = (size_t)(p - n - 1);
            *kind = p[1];
            *rest = p + 4;
            return 1;
        }
    }
    return 0;
}

size_t md_method_display(const MdMeta *m, uint32_t rid, int with_type, char *buf, size_t cap)
{
    return md_method_display_ex(m, rid, with_type ? MD_DISP_TYPE : 0, NULL, 0, 0, buf, cap);
}

size_t md_method_display_ex(const MdMeta *m, uint32_t rid, int flags, const char *const *targs,
                            uint32_t ntype, uint32_t nmethod, char *buf, size_t cap)
{
    int with_type = flags & MD_DISP_TYPE;
    Sb s = {buf, cap, 0};
    if (cap) buf[0] = 0;
    if (rid == 0 || rid > md_rows(m, MD_T_MethodDef)) {
        puts_(&s, "?");
        return s.len;
    }
    MdPool pool = {0};
    const uint8_t *p;
    uint32_t len;
    MdMethodSig *sig = NULL;
    if (md_blob(m, md_get(m, MD_T_MethodDef, rid, MD_MethodDef_Signature), &p, &len) == 0)
        md_decode_method_sig(&pool, p, len, &sig);
    uint32_t owner = md_method_owner(m, rid);
    MdGenCtx g = {owner, rid, targs, ntype, nmethod};
    if (sig) {
        type_name(&s, m, sig->ret, &g, 0);
        puts_(&s, " ");
    }
    if (with_type && owner) {
        /* Visual Studio shows a lambda's or local function's frame under the user's type,
         * not the compiler's nested <>c or <>c__DisplayClass0_0 (which repeat the enclosing
         * types' generic parameters first, so the arguments stay a prefix). */
        uint32_t shown = owner;
        if (flags & MD_DISP_FRIENDLY)
            while (md_string(m, md_get(m, MD_T_TypeDef, shown, MD_TypeDef_Name))[0] == '<' &&
                   md_enclosing_type(m, shown))
                shown = md_enclosing_type(m, shown);
        uint32_t tok = (uint32_t)MD_T_TypeDef << 24 | shown;
        uint32_t np = md_generic_param_count(m, tok);
        if (targs && np <= ntype) named(&s, m, tok, arg_str, targs, np, 0);
        else if (shown == owner) token_name(&s, m, tok, 0);
        else {
            ParamArgs a = {m, tok};
            named(&s, m, tok, arg_param, &a, np, 0);
        }
        puts_(&s, ".");
    }
    const char *mname = md_string(m, md_get(m, MD_T_MethodDef, rid, MD_MethodDef_Name));
    size_t olen = 0;
    char kind = 0;
    const char *rest = NULL;
    if ((flags & MD_DISP_FRIENDLY) && generated_name(mname, &olen, &kind, &rest) && (kind == 'b' || kind == 'g')) {
        put(&s, mname + 1, olen);   /* the enclosing method */
        puts_(&s, ".");
        if (kind == 'b') {
            puts_(&s, "AnonymousMethod__");
            puts_(&s, rest);
        } else {
            const char *bar = strchr(rest, '|');
            put(&s, rest, bar ? (size_t)(bar - rest) : strlen(rest));
        }
    } else puts_(&s, mname);
    if (sig && sig->gen_count) {
        ParamArgs a = {m, (uint32_t)MD_T_MethodDef << 24 | rid};
        if (targs && sig->gen_count == nmethod) put_args(&s, arg_str, targs + ntype, 0, nmethod);
        else put_args(&s, arg_param, &a, 0, sig->gen_count);
    }
    puts_(&s, "(");
    if (sig) {
        uint32_t pf, pe;
        md_list_range(m, MD_T_MethodDef, rid, MD_MethodDef_ParamList, MD_T_Param, &pf, &pe);
        for (uint32_t i = 0; i < sig->nparams; i++) {
            if (i) puts_(&s, ", ");
            const char *pname = NULL;
            uint32_t pflags = 0;
            for (uint32_t r = pf; r < pe && r < pf + 1024; r++)
                if (md_get(m, MD_T_Param, r, MD_Param_Sequence) == i + 1) {
                    pname = md_string(m, md_get(m, MD_T_Param, r, MD_Param_Name));
                    pflags = md_get(m, MD_T_Param, r, MD_Param_Flags);
                    break;
                }
            const MdType *pt = sig->params[i];
            if (pt && pt->kind == MD_TY_BYREF && (pflags & 0x3) == 0x2) {
                puts_(&s, "out ");
                pt = pt->inner;
            } else if (pt && pt->kind == MD_TY_BYREF && (pflags & 0x3) == 0x1) {
                puts_(&s, "in ");
                pt = pt->inner;
            }
            type_name(&s, m, pt, &g, 0);
            if (pname && *pname) {
                puts_(&s, " ");
                puts_(&s, pname);
            }
        }
    } else puts_(&s, "?");
    puts_(&s, ")");
    md_pool_free(&pool);
    return s.len;
}

/* ---- custom attributes ---- */

int md_attr_type(const MdMeta *m, uint32_t ca_rid, const char **ns, const char **name)
{
    *ns = *name = "";
    uint32_t ctor = md_coded_token(MD_CI_CustomAttributeType,
                                   md_get(m, MD_T_CustomAttribute, ca_rid, MD_CustomAttribute_Type));
    uint32_t tt = 0;
    if ((ctor >> 24) == MD_T_MethodDef) {
        uint32_t o = md_method_owner(m, ctor & 0xFFFFFF);
        if (o) tt = (uint32_t)MD_T_TypeDef << 24 | o;
    } else if ((ctor >> 24) == MD_T_MemberRef) {
        tt = md_coded_token(MD_CI_MemberRefParent, md_get(m, MD_T_MemberRef, ctor & 0xFFFFFF, MD_MemberRef_Class));
    }
    return type_ident(m, tt, ns, name) == 0 ? 0 : MD_ENOTFOUND;
}

static const char *ser_string(MdPool *pool, MdRd *r)
{
    if (rd_left(r) && r->p[r->pos] == 0xFF) {
        rd_u8(r);
        return NULL;
    }
    uint32_t n = rd_cu(r);
    const uint8_t *b = rd_bytes(r, n);
    return b ? md_pool_strndup(pool, (const char *)b, n) : NULL;
}

/* After an attribute's fixed arguments: the string value of the named field or property
 * `want` (II.23.3: count, then FIELD/PROPERTY, type, name, value), or NULL. Only string
 * named arguments are read; one of another type ends the scan, as its size is unknown. */
static const char *named_string_arg(MdPool *pool, MdRd *r, const char *want)
{
    uint32_t n = rd_u16(r);
    for (uint32_t i = 0; i < n && !r->bad; i++) {
        uint8_t kind = rd_u8(r), type = rd_u8(r);
        if ((kind != 0x53 && kind != 0x54) || type != MD_ET_STRING) return NULL;
        const char *name = ser_string(pool, r);
        const char *value = ser_string(pool, r);
        if (!r->bad && name && !strcmp(name, want)) return value;
    }
    return NULL;
}

int md_debug_attrs(const MdMeta *m, MdPool *pool, uint32_t token, MdDebugAttrs *out)
{
    memset(out, 0, sizeof *out);
    uint32_t key = md_coded_from_token(MD_CI_HasCustomAttribute, token);
    if (key == UINT32_MAX) return MD_ENOTFOUND;
    uint32_t rows = md_rows(m, MD_T_CustomAttribute);
    for (uint32_t r = md_lower_bound(m, MD_T_CustomAttribute, MD_CustomAttribute_Parent, key);
         r <= rows && md_get(m, MD_T_CustomAttribute, r, MD_CustomAttribute_Parent) == key; r++) {
        const char *ns, *name;
        if (md_attr_type(m, r, &ns, &name) != 0) continue;
        int sys_diag = !strcmp(ns, "System.Diagnostics");
        const uint8_t *p;
        uint32_t len;
        if (md_blob(m, md_get(m, MD_T_CustomAttribute, r, MD_CustomAttribute_Value), &p, &len) != 0) continue;
        MdRd rd = rd_make(p, len);
        int prolog = rd_u16(&rd) == 0x0001;
        if (sys_diag && !strcmp(name, "DebuggerHiddenAttribute")) out->flags |= MD_ATTR_DEBUGGER_HIDDEN;
        else if (sys_diag && !strcmp(name, "DebuggerStepThroughAttribute"))
            out->flags |= MD_ATTR_DEBUGGER_STEP_THROUGH;
        else if (sys_diag && !strcmp(name, "DebuggerNonUserCodeAttribute"))
            out->flags |= MD_ATTR_DEBUGGER_NON_USER_CODE;
        else if (sys_diag && !strcmp(name, "DebuggerStepperBoundaryAttribute"))
            out->flags |= MD_ATTR_DEBUGGER_STEPPER_BOUNDARY;
        else if (!strcmp(ns, "System.Runtime.CompilerServices") && !strcmp(name, "CompilerGeneratedAttribute"))
            out->flags |= MD_ATTR_COMPILER_GENERATED;
        else if (sys_diag && !strcmp(name, "DebuggerBrowsableAttribute")) {
            int32_t v = (int32_t)rd_u32(&rd);
            if (prolog && !rd.bad) {
                out->flags |= MD_ATTR_DEBUGGER_BROWSABLE;
                out->browsable_state = v;
            }
        } else if (sys_diag && !strcmp(name, "DebuggerDisplayAttribute")) {
            const char *v = prolog ? ser_string(pool, &rd) : NULL;
            if (!rd.bad) {
                out->flags |= MD_ATTR_DEBUGGER_DISPLAY;
                out->display = v;
                out->display_name = named_string_arg(pool, &rd, "Name");
            }
        } else if (sys_diag && !strcmp(name, "DebuggerTypeProxyAttribute")) {
            /* Both constructors (Type and string) serialise the type as its name. */
            const char *v = prolog ? ser_string(pool, &rd) : NULL;
            if (!rd.bad && v) {
                out->flags |= MD_ATTR_DEBUGGER_TYPE_PROXY;
                out->type_proxy = v;
            }
        } else if (!strcmp(ns, "System") && !strcmp(name, "FlagsAttribute")) {
            out->flags |= MD_ATTR_FLAGS;
        }
    }
    return 0;
}
