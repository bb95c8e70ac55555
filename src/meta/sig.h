/* meta/sig: ECMA-335 II.23.2 signature blobs decoded into a small type model, C#-style names
 * for types, methods and fields, and the debugger-relevant custom attributes (II.23.3).
 * Decoded trees live in the caller's MdPool; names are written into caller buffers. */
#ifndef CORDBG_META_SIG_H
#define CORDBG_META_SIG_H

#include "meta/md.h"

/* II.23.1.16 element types */
enum {
    MD_ET_END = 0x00, MD_ET_VOID = 0x01, MD_ET_BOOLEAN = 0x02, MD_ET_CHAR = 0x03, MD_ET_I1 = 0x04,
    MD_ET_U1 = 0x05, MD_ET_I2 = 0x06, MD_ET_U2 = 0x07, MD_ET_I4 = 0x08, MD_ET_U4 = 0x09,
    MD_ET_I8 = 0x0a, MD_ET_U8 = 0x0b, MD_ET_R4 = 0x0c, MD_ET_R8 = 0x0d, MD_ET_STRING = 0x0e,
    MD_ET_PTR = 0x0f, MD_ET_BYREF = 0x10, MD_ET_VALUETYPE = 0x11, MD_ET_CLASS = 0x12,
    MD_ET_VAR = 0x13, MD_ET_ARRAY = 0x14, MD_ET_GENERICINST = 0x15, MD_ET_TYPEDBYREF = 0x16,
    MD_ET_I = 0x18, MD_ET_U = 0x19, MD_ET_FNPTR = 0x1b, MD_ET_OBJECT = 0x1c, MD_ET_SZARRAY = 0x1d,
    MD_ET_MVAR = 0x1e, MD_ET_CMOD_REQD = 0x1f, MD_ET_CMOD_OPT = 0x20, MD_ET_INTERNAL = 0x21,
    MD_ET_SENTINEL = 0x41, MD_ET_PINNED = 0x45,
};

typedef enum {
    MD_TY_PRIM,    /* elem: VOID..R8, STRING, OBJECT, I, U, TYPEDBYREF */
    MD_TY_NAMED,   /* token: TypeDef/TypeRef/TypeSpec; valuetype says CLASS or VALUETYPE */
    MD_TY_GENERIC, /* inner: the named generic type; args[nargs] */
    MD_TY_SZARRAY, /* inner[] */
    MD_TY_ARRAY,   /* inner[,] with rank */
    MD_TY_PTR, MD_TY_BYREF, MD_TY_PINNED,
    MD_TY_VAR, MD_TY_MVAR, /* index */
    MD_TY_FNPTR,   /* fnsig */
} MdTypeKind;

typedef struct MdMethodSig MdMethodSig;
typedef struct MdType {
    MdTypeKind kind;
    uint8_t elem, valuetype;
    uint32_t token, index, rank;
    struct MdType *inner;
    struct MdType **args;
    uint32_t nargs;
    MdMethodSig *fnsig;
} MdType;

enum { MD_CC_HASTHIS = 0x20, MD_CC_EXPLICITTHIS = 0x40, MD_CC_GENERIC = 0x10, MD_CC_VARARG = 0x05 };

struct MdMethodSig {
    uint8_t conv;
    uint32_t gen_count;
    MdType *ret;
    MdType **params;
    uint32_t nparams;
};

/* Decoders: 0 ok, MD_EBADFMT for malformed blobs (never reads outside [p, p+len)). */
int md_decode_type(MdPool *pool, const uint8_t *p, uint32_t len, MdType **out);
int md_decode_method_sig(MdPool *pool, const uint8_t *p, uint32_t len, MdMethodSig **out);
int md_decode_field_sig(MdPool *pool, const uint8_t *p, uint32_t len, MdType **out);
/* Property signature: the property type; params as for a method. */
int md_decode_property_sig(MdPool *pool, const uint8_t *p, uint32_t len, MdMethodSig **out);
/* LocalVarSig (0x07): locals[n] */
int md_decode_locals_sig(MdPool *pool, const uint8_t *p, uint32_t len, MdType ***out, uint32_t *n);
/* MethodSpec instantiation (0x0A): args[n] */
int md_decode_methodspec(MdPool *pool, const uint8_t *p, uint32_t len, MdType ***out, uint32_t *n);

/* Names of generic parameters in scope: of a TypeDef (VAR) and a MethodDef (MVAR); 0 = none,
 * printed then as !0 / !!0. */
typedef struct {
    uint32_t type_rid, method_rid;
    /* An instantiation's type arguments by name (a frame's: Box<string>.Max): the type's
     * ntype first (VAR i), then the method's nmethod (MVAR i); NULL: the parameters' names. */
    const char *const *targs;
    uint32_t ntype, nmethod;
} MdGenCtx;

/* C#-style names, truncated to cap (always NUL-terminated); return the full length. */
size_t md_type_name(const MdMeta *m, const MdType *t, const MdGenCtx *g, char *buf, size_t cap);
/* TypeDef/TypeRef/TypeSpec token -> "Ns.Outer<T>.Inner" (definitions show their parameters). */
size_t md_token_type_name(const MdMeta *m, uint32_t token, char *buf, size_t cap);
/* "RetType Name<T>(int a, ref string b)" for MethodDef `rid` (with_type: "Ns.Type.Name"). */
size_t md_method_display(const MdMeta *m, uint32_t rid, int with_type, char *buf, size_t cap);
/* The same as a call stack shows it (flags MD_DISP_*): MD_DISP_TYPE the owner type,
 * MD_DISP_FRIENDLY compiler-made names as Visual Studio shows them (a lambda
 * "<Main>b__0_2" of "<>c" as "Program.Main.AnonymousMethod__0_2", a local function
 * "<Main>g__Helper|0_0" as "Program.Main.Helper"; generated nested types left out), and
 * with targs (g) the instantiation's type arguments in place of the parameters' names. */
enum { MD_DISP_TYPE = 1, MD_DISP_FRIENDLY = 2 };
size_t md_method_display_ex(const MdMeta *m, uint32_t rid, int flags, const char *const *targs,
                            uint32_t ntype, uint32_t nmethod, char *buf, size_t cap);
/* The number of generic parameters TypeDef or MethodDef token owner declares. */
uint32_t md_generic_param_count(const MdMeta *m, uint32_t owner_token);
/* The generic parameter name number `n` of TypeDef or MethodDef token owner; NULL if none. */
const char *md_generic_param_name(const MdMeta *m, uint32_t owner_token, uint32_t n);

/* Ownership look-ups (binary searches over the sorted list columns). 0 when not found. */
uint32_t md_method_owner(const MdMeta *m, uint32_t method_rid); /* TypeDef rid */
uint32_t md_field_owner(const MdMeta *m, uint32_t field_rid);
uint32_t md_enclosing_type(const MdMeta *m, uint32_t typedef_rid);

/* Debugger-relevant custom attributes on a token (TypeDef, MethodDef, Field, Property, ...). */
enum {
    MD_ATTR_DEBUGGER_HIDDEN = 1u << 0,
    MD_ATTR_DEBUGGER_STEP_THROUGH = 1u << 1,
    MD_ATTR_DEBUGGER_NON_USER_CODE = 1u << 2,
    MD_ATTR_COMPILER_GENERATED = 1u << 3,
    MD_ATTR_DEBUGGER_BROWSABLE = 1u << 4,
    MD_ATTR_DEBUGGER_DISPLAY = 1u << 5,
    MD_ATTR_DEBUGGER_STEPPER_BOUNDARY = 1u << 6,
    MD_ATTR_DEBUGGER_TYPE_PROXY = 1u << 7,
    MD_ATTR_FLAGS = 1u << 8,                /* System.FlagsAttribute (enums) */
};
typedef struct {
    uint32_t flags;
    int browsable_state;   /* DebuggerBrowsableState: 0 Never, 2 Collapsed, 3 RootHidden */
    const char *display;   /* DebuggerDisplay's value (pool), or NULL */
    const char *display_name;  /* its Name = "..." (the member's shown name), or NULL */
    const char *type_proxy;    /* DebuggerTypeProxy's type, as serialised: "Ns.T`1[[...]], Asm" */
} MdDebugAttrs;
int md_debug_attrs(const MdMeta *m, MdPool *pool, uint32_t token, MdDebugAttrs *out);

/* The type (namespace, name) of CustomAttribute row `rid`; 0 ok. */
int md_attr_type(const MdMeta *m, uint32_t ca_rid, const char **ns, const char **name);

#endif
