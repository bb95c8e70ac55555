/* eval/eval: values and expressions at a stop, for the engine (the layer above).
 *
 * One EvCtx lives for one request (print, a breakpoint condition, a log point, info locals).
 * Every COM reference it hands out is kept in the context and released when it ends, so
 * callers never Release what they get from ev_* functions; what it allocates lives in its
 * arena, freed then too.
 *
 * ICorDebug neuters every value and frame at a Continue, and a function evaluation is a
 * Continue. So: primitives are read into the EvVal at once; the frame is fetched again after
 * each evaluation (ev_frame); object references an evaluator holds across an evaluation are
 * pinned first (ev_hold: a strong handle replaces the plain reference). */
#ifndef CORDBG_EVAL_EVAL_H
#define CORDBG_EVAL_EVAL_H
#include "eval/evhost.h"
#include "clr/dbi.h"
#include "base/arena.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "expr/expr.h"

#define COM(o, m, ...) ((o)->lpVtbl->m((o), __VA_ARGS__))
#define COM0(o, m) ((o)->lpVtbl->m(o))

/* A value while an expression is evaluated. Either in the debuggee (v set) or made by
 * cordbg (a literal or a result computed here: v NULL). */
typedef struct EvVal {
    ICorDebugValue *v;          /* debuggee value, or NULL */
    ICorDebugType  *type;       /* its exact type when known, or NULL */
    ICorDebugType  *decl;       /* its static type as C# sees it (the declared type of the local,
                                 * parameter, field or method result) when that differs from
                                 * `type` or is known; NULL: use type (ev_static_type) */
    CorElementType  et;         /* ELEMENT_TYPE_*; 0 for a type name or a method group */
    uint64_t        bits;       /* primitives: the value (integers sign- or zero-extended) */
    double          d;          /* R4/R8 */
    const char     *str;        /* cordbg-made string (UTF-8, arena), when et is STRING and v NULL */
    size_t          len;
    int             is_null;    /* the null literal, or a null reference */
    int             is_type;    /* names a type (`Math` in Math.Max): type set, nothing else */
    int             is_lvalue;  /* v is a home (local, argument, field, element) that can be set */
    int             is_const;   /* a C# constant expression's value (literal, const, folded from them) */
    const char    **tuple_names;    /* a named tuple local's element names (arena; NULL: unnamed) */
    uint32_t        ntuple_names;
    int             view;       /* EV_VIEW_*: v is an object, shown as one of its groups */
} EvVal;

/* The groups Visual Studio shows under a value (children of their own, named as here): the
 * raw members behind a DebuggerTypeProxy, the non-public members of a type outside the
 * user's code, and an IEnumerable's items, enumerated only when that child is expanded. */
enum { EV_VIEW_NONE, EV_VIEW_RAW, EV_VIEW_NONPUBLIC, EV_VIEW_RESULTS };
#define EV_RAW_VIEW "Raw View"
#define EV_NONPUBLIC_VIEW "Non-Public members"
#define EV_RESULTS_VIEW "Results View"
#define EV_RESULTS_NOTE "Expanding the Results View will enumerate the IEnumerable"
#define EV_RESULTS_MAX 1000     /* items a Results View enumerates at most */

/* The type C# reasons with (overloads, operators, casts, `is`): the declared type when known. */
static inline ICorDebugType *ev_static_type(const EvVal *v) { return v->decl ? v->decl : v->type; }

/* A variable of the frame: its source name and value, or a note when it has none (a
 * constant's text, "<not available here>"). */
typedef struct EvVar { const char *name; EvVal val; const char *note; } EvVar;

typedef struct EvCtx {
    const EvHost *host;         /* the engine's services (eval/evhost.h) */
    void       *eng;            /* the engine's own pointer, passed back to them */
    Arena      *arena;
    ICorDebugThread *thread;    /* the thread evaluated on */
    int         thread_id;      /* its number, for messages */
    int         just_my_code;   /* the session's just-my-code setting (the engine sets it) */
    int         frame_index;
    ICorDebugValue *scope_this; /* DebuggerDisplay: names resolve as members of this object */
    int         funceval;       /* implicit function evaluation allowed (getters, ToString) */
    const char *no_funceval;    /* !funceval: why (NULL: the user turned it off) */
    const char *no_writes;      /* !allow_side_effects: why, when not the usual (a core dump) */
    int         to_string;      /* with funceval: a type's own ToString() shows it (allowToString) */
    int         raw;            /* raw structure: no DebuggerTypeProxy, no DebuggerDisplay */
    int         no_calls;       /* a hover: methods the expression names are refused (side effects);
                                 * getters, ToString and DebuggerDisplay still run */
    int         allow_side_effects; /* 0: assignments and ++/-- are refused (conditions, display) */
    int         hex;            /* integers shown in hex */
    unsigned    evals;          /* function evaluations run so far */
    int         checked;        /* inside checked(...) */
    int         explicit_unchecked; /* inside unchecked(...): constants may overflow */
    int         depth;          /* nesting of DebuggerDisplay/ToString formatting */
    int         raw_members;    /* members include compiler-made fields (<>4__this, <x>5__2) */
    char        err[512];       /* the failure's message */
    int         threw;          /* err is an exception thrown by the debuggee ("Type: msg") */
    /* private */
    ICorDebugFrame *frame_;  ICorDebugILFrame *il_;  unsigned frame_evals_;
    ICorDebugType *object_type_, *string_type_;   /* System.Object, System.String, once found */
    IUnknown   **keep_;   size_t nkeep_, capkeep_;
    EvVal      **holds_;  size_t nholds_, capholds_;
    ICorDebugHandleValue **handles_; size_t nhandles_, caphandles_;
    Where       where_;  int have_where_;
    /* the frame's variables, as read after evaluation number vars_evals_ */
    EvVar      *args_, *locals_;  size_t nargs_, nlocals_;  int have_args_, have_locals_;  unsigned vars_evals_;
} EvCtx;

/* ---- context (eval.c) ---- */
/* A context on frame `at`, served by host, with an arena of its own; funceval: implicit
 * function evaluation allowed (the session's setting). Without a thread (at or at->thread
 * NULL) it reads and names values but has no frame and runs nothing. -1 and err when it
 * cannot be made (out of memory). ev_done ends it either way. */
int  ev_init(EvCtx *c, const EvHost *host, void *eng, const EvFrameRef *at, int funceval);
void ev_done(EvCtx *c);
int  ev_fail(EvCtx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));  /* returns -1 */
void *ev_keep(EvCtx *c, void *unk);     /* released with the context; returns unk */
ICorDebugFrame *ev_frame(EvCtx *c);     /* current again after evaluations; NULL if none */
ICorDebugILFrame *ev_ilframe(EvCtx *c);
const Where *ev_where(EvCtx *c);
size_t ev_hold(EvCtx *c, EvVal *v);     /* pin v across evaluations until ev_unhold(mark) */
void ev_unhold(EvCtx *c, size_t mark);

/* Parse and evaluate text; 0 and *out, or -1 and c->err. */
int ev_evaluate(EvCtx *c, const char *text, EvVal *out);
int ev_eval_expr(EvCtx *c, const Expr *e, EvVal *out);
/* The same with a format specifier after a comma (h, x, d, nq, raw), applied to the context
 * once the value is there (hex display; raw: no implicit evaluation). *spec: it, or NULL. */
int ev_evaluate_spec(EvCtx *c, const char *text, EvVal *out, const char **spec);
/* Evaluate a condition to a bool: 1 true, 0 false, -1 error. */
int ev_condition(EvCtx *c, const char *text);

/* The frame context's services, for the evaluator's files (eval/evhost.h). */
static inline ICorDebugFrame *evh_frame_at(EvCtx *c, int index) { return c->host->frame_at(c->eng, c->thread, index); }
static inline int evh_where_frame(EvCtx *c, ICorDebugFrame *f, Where *w) { return c->host->where_frame(c->eng, f, w); }
static inline size_t evh_nmodules(EvCtx *c) { return c->host->nmodules(c->eng); }
static inline Module *evh_module_at(EvCtx *c, size_t i) { return c->host->module_at(c->eng, i); }
static inline Module *evh_module_by_id(EvCtx *c, int id) { return c->host->module_by_id(c->eng, id); }
static inline Module *evh_module_by_iface(EvCtx *c, ICorDebugModule *m) { return c->host->module_by_iface(c->eng, m); }
static inline ICorDebugModule *evh_module_iface(EvCtx *c, const Module *m) { return c->host->module_iface(m); }
static inline const char *evh_module_name(EvCtx *c, const Module *m) { return c->host->module_name(m); }
static inline int evh_module_user_code(EvCtx *c, const Module *m) { return c->host->module_user_code(m); }
static inline PdbModule *evh_module_symbols(EvCtx *c, Module *m, int want_metadata)
{ return c->host->module_symbols(c->eng, m, want_metadata); }
static inline void evh_class_name(EvCtx *c, ICorDebugClass *cls, char *out, size_t cap) { c->host->class_name(cls, out, cap); }

/* ---- values (values.c) ---- */
/* From a debuggee value: read primitives, follow nothing. */
int  ev_from_value(EvCtx *c, ICorDebugValue *v, EvVal *out);
/* Instance field `name` of object obj (dereferenced) or of a base type, by its metadata
 * name (private and compiler-made ones too); NULL if none. Kept by the context. */
ICorDebugValue *ev_field(EvCtx *c, ICorDebugValue *obj, const char *name);
/* The object behind references and boxes (NULL for null: *is_null set). */
ICorDebugValue *ev_deref(EvCtx *c, ICorDebugValue *v, int *is_null);
ICorDebugType  *ev_type_of(EvCtx *c, ICorDebugValue *v);
/* A reference that survives evaluations: a strong handle to v's object (v itself for
 * structs, null and values that already are handles). */
ICorDebugValue *ev_pin(EvCtx *c, ICorDebugValue *v);
int ev_is_enum(EvCtx *c, ICorDebugType *t);
/* "int", "string", "System.Collections.Generic.List<int>", "int[,]". */
void ev_type_name(EvCtx *c, ICorDebugType *t, char *out, size_t cap);
void ev_val_type_name(EvCtx *c, const EvVal *v, char *out, size_t cap);
/* One line for a value: 42, "text", Green, {Ns.Type}, Count = 3, null. */
void ev_summary(EvCtx *c, const EvVal *v, StrBuf *out);
/* Its children (fields, properties, elements, a proxy's members): *total counts them all,
 * out gets [start, start + count). Children are EvVals named as shown. */
typedef struct EvChild {
    const char *name;           /* "X", "[0]", "[0, 1]", "[\"one\"]" */
    EvVal       val;
    const char *error;          /* could not be read (a getter threw...): shown instead */
    int         is_static;
} EvChild;
int  ev_children(EvCtx *c, const EvVal *v, size_t start, size_t count, EvChild **out, size_t *n, size_t *total);
int  ev_has_children(EvCtx *c, const EvVal *v);
/* Is v an object that implements IEnumerable (it can have a Results View)? */
int  ev_has_results_view(EvCtx *c, const EvVal *v);
int  ev_static_members(EvCtx *c, ICorDebugType *t, EvChild **out, size_t *n);
/* A value as text made for a user: summary and (expand) one level of children. */
void ev_format(EvCtx *c, const EvVal *v, int expand, StrBuf *out);
void ev_format_n(EvCtx *c, const EvVal *v, size_t max_children, StrBuf *out);

/* Member look-up on a value or a type (fields, properties, walking base types). */
int ev_member(EvCtx *c, const EvVal *obj, const char *name, EvVal *out);
/* The same; instance_only: a static member reached through an instance is refused (CS0176),
 * as in `obj.StaticField` (a simple name inside an instance method still finds statics). */
int ev_member_ex(EvCtx *c, const EvVal *obj, const char *name, int instance_only, EvVal *out);
/* Statics of a type, by name. */
int ev_find_type(EvCtx *c, const char *name, ExprType *const *args, int nargs, ICorDebugType **out);
int ev_type_from_expr(EvCtx *c, const ExprType *t, ICorDebugType **out);
/* The frame's variables as the user wrote them: arguments, locals, hoisted locals. Read
 * once and kept until a function evaluation makes them stale (every name looks here). */
int ev_frame_args(EvCtx *c, EvVar **out, size_t *n);
int ev_frame_locals(EvCtx *c, EvVar **out, size_t *n);
int ev_this(EvCtx *c, EvVal *out);     /* the user's `this` (through closures/state machines) */
/* Completions (complete.c): names matching prefix in scope (receiver NULL), or members of
 * the receiver expression's type (a type name: its statics). kind: "variable", "field",
 * "property", "method", "keyword". The array lives in the context's arena. */
typedef struct EvCompletion { char label[256]; const char *kind; } EvCompletion;
int ev_complete(EvCtx *c, const char *receiver, const char *prefix, EvCompletion **out, size_t *n);
/* Write src into the home dst (after conversion to dst's type). */
int ev_assign(EvCtx *c, const EvVal *dst, const EvVal *src);
/* Same-typed structs: field by field (values.c). */
int ev_assign_struct(EvCtx *c, const EvVal *dst, const EvVal *src);
/* Convert for a call argument or an assignment: to the debuggee (strings made with
 * NewString, primitives with CreateValue). */
int ev_materialize(EvCtx *c, const EvVal *v, ICorDebugType *want, ICorDebugValue **out);
/* Reading small pieces. */
int ev_string_of(EvCtx *c, const EvVal *v, char **out, size_t *len);  /* string value -> UTF-8 */
int ev_is_primitive(CorElementType et);
/* C#'s built-in types: "int" <-> ELEMENT_TYPE_I4 <-> "System.Int32" (NULL / 0 when none). */
const char *ev_keyword_of_et(CorElementType et);
CorElementType ev_et_of_keyword(const char *kw);
const char *ev_system_name(const char *kw);
ICorDebugClass *ev_class_of_type(EvCtx *c, ICorDebugType *t);
Module *ev_module_of_class(EvCtx *c, ICorDebugClass *cls, const MdMeta **md, uint32_t *typedef_rid);
/* TypeDef rid of module m as an ICorDebugType instantiated with args: a value type when it
 * extends System.ValueType or System.Enum. NULL when the runtime cannot make it. */
ICorDebugType *ev_typedef_type(EvCtx *c, Module *m, uint32_t rid, ICorDebugType **args, size_t nargs);

/* ---- function evaluation (funceval.c) ---- */
/* Call fn (with type args for the class then the method) on this thread. 0: *result (NULL for
 * void); -1: c->err (c->threw when the debuggee threw). */
int ev_call(EvCtx *c, ICorDebugFunction *fn, ICorDebugType **targs, size_t ntargs,
            ICorDebugValue **args, size_t nargs, ICorDebugValue **result);
int ev_new_object(EvCtx *c, ICorDebugFunction *ctor, ICorDebugType **targs, size_t ntargs,
                  ICorDebugValue **args, size_t nargs, ICorDebugValue **result);
/* An instance of cls made without a constructor: for a value type, a boxed default value. */
int ev_new_object_nc(EvCtx *c, ICorDebugClass *cls, ICorDebugType **targs, size_t ntargs, ICorDebugValue **result);
int ev_new_string(EvCtx *c, const char *utf8, size_t len, ICorDebugValue **result);
int ev_new_array(EvCtx *c, ICorDebugType *elem, uint32_t rank, const uint32_t *dims, ICorDebugValue **result);
int ev_create_value(EvCtx *c, ICorDebugType *t, ICorDebugValue **result);   /* no run needed */
int ev_create_primitive(EvCtx *c, CorElementType et, const uint8_t bytes[8], ICorDebugValue **result);
int ev_create_null(EvCtx *c, ICorDebugValue **result);
/* A number's or struct's value boxed in the program: an object of its value type made
 * without a constructor, the value's bytes copied in; pinned by a strong handle (calls.c). */
int ev_box(EvCtx *c, const EvVal *a, ICorDebugValue **out);
/* new T(args) (calls.c). */
int ev_new_instance(EvCtx *c, ICorDebugType *t, EvVal *args, size_t nargs, EvVal *out);
/* Methods: by name on a type (instance or static), resolved for the argument values. */
int ev_call_method(EvCtx *c, const EvVal *obj_or_type, const char *name, ExprType *const *targs,
                   int ntargs, EvVal *args, size_t nargs, EvVal *out);
/* The same as C# binds a call (overloads by static types, named arguments, optional and
 * params parameters, type inference, extension methods); info: per argument its name (a
 * named argument) and whether it is a constant (C#'s constant conversions), or NULL.
 * simple_name: `F(x)` written without a receiver (statics of the enclosing types too). */
typedef struct EvArg { const char *name; int is_const; } EvArg;
int ev_call_method_args(EvCtx *c, const EvVal *obj_or_type, const char *name, ExprType *const *targs, int ntargs,
                        EvVal *args, const EvArg *info, size_t nargs, int simple_name, EvVal *out);
int ev_new_instance_args(EvCtx *c, ICorDebugType *t, EvVal *args, const EvArg *info, size_t nargs, EvVal *out);
int ev_call_getter(EvCtx *c, const EvVal *obj, ICorDebugType *owner, uint32_t getter_token, EvVal *out);
int ev_to_string(EvCtx *c, const EvVal *v, char **out);  /* calls ToString() */
/* Does type t itself (not its bases) declare an interface named `name` (generic arguments
 * dropped)? With full, the interface's whole name must be that too. */
int ev_declares_interface(EvCtx *c, ICorDebugType *t, const char *name, const char *full);

#endif
