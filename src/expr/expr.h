/* expr.h — cordbg's expression language: a C# subset, parsed in C into a tree.
 *
 * Pure: no process, no ICorDebug. The evaluator (eval/eval.c) walks the tree
 * against a stopped frame. Everything a parse returns lives in the caller's Arena.
 *
 * The grammar is C#'s expression grammar (ECMA-334 §12) without lambdas, query expressions,
 * patterns beyond `is Type`, object/collection initialisers and `stackalloc`. Those are
 * refused with an error that names them, never parsed wrongly.
 */
#ifndef CORDBG_EXPR_EXPR_H
#define CORDBG_EXPR_EXPR_H

#include "base/arena.h"

#include <stddef.h>
#include <stdint.h>

/* Literal kinds, named after the C# type a literal of that form has. */
typedef enum ExprLitKind {
    LIT_NULL, LIT_BOOL, LIT_CHAR, LIT_STRING,
    LIT_INT, LIT_UINT, LIT_LONG, LIT_ULONG,       /* integer literals: the C# rules pick the kind */
    LIT_FLOAT, LIT_DOUBLE, LIT_DECIMAL,
} ExprLitKind;

typedef struct ExprLit {
    ExprLitKind kind;
    uint64_t    u;          /* BOOL, CHAR (UTF-16 code unit), integer kinds (bit pattern) */
    double      d;          /* FLOAT (already rounded to float), DOUBLE */
    const char *text;       /* STRING: UTF-8 after escapes (may hold NUL: see len); DECIMAL:
                             * the digits as written, without suffix, e.g. "1.50" */
    size_t      len;        /* STRING: bytes in text */
} ExprLit;

/* A type as written: keyword (int), name (List<int>, System.IO.File, Outer.Inner),
 * with array ranks, nullable `?` and pointer `*`. */
typedef struct ExprType ExprType;
struct ExprType {
    const char *name;       /* dotted as written: "int", "System.Collections.Generic.List";
                             * keyword types keep the keyword ("int", "string", "object") */
    int         is_keyword; /* int, uint, long, ulong, short, ushort, byte, sbyte, char, bool,
                             * float, double, decimal, string, object, nint, nuint, void */
    ExprType  **args;       /* generic arguments of the last name part; NULL if none */
    int         nargs;
    int         nullable;   /* T? */
    int         pointer;    /* number of '*' */
    int        *ranks;      /* array ranks outermost first: int[][,] = {1, 2}; NULL if none */
    int         nranks;
    int         column;
};

typedef enum ExprKind {
    EX_LITERAL,     /* lit */
    EX_NAME,        /* name, with optional explicit generic args (type_args), e.g. Foo<int> */
    EX_THIS, EX_BASE,
    EX_MEMBER,      /* a.name  (conditional: a?.name); type_args for a.M<T>(...) */
    EX_INDEX,       /* a[args] (conditional: a?[args]) */
    EX_CALL,        /* a(args): a is EX_NAME or EX_MEMBER */
    EX_NEW,         /* new type(args) */
    EX_NEW_ARRAY,   /* new type[args] (type is the element type, rank = nargs) or with an
                     * initialiser: new type[] { items } / new[] { items } (type NULL) */
    EX_UNARY,       /* op a: '+', '-', '!', '~', OP_PREINC, OP_PREDEC, OP_POSTINC, OP_POSTDEC */
    EX_BINARY,      /* a op b */
    EX_CONDITIONAL, /* a ? b : c */
    EX_ASSIGN,      /* a = b (op '='), or compound: a op= b (op the binary operator) */
    EX_IS,          /* a is type  (negated: a is not type); is null / is not null: type NULL */
    EX_AS,          /* a as type */
    EX_CAST,        /* (type)a */
    EX_TYPEOF,      /* typeof(type) */
    EX_SIZEOF,      /* sizeof(type) */
    EX_DEFAULT,     /* default(type), or the bare `default` literal (type NULL) */
    EX_CHECKED,     /* checked(a) / unchecked(a): a, with checked set to 1 / 0 */
    EX_TYPE,        /* a type where an expression stands: the left of `int.MaxValue` */
    EX_TUPLE,       /* (a, b) or (x: a, y: b): items, names (NULL where unnamed) */
    EX_INTERP,      /* $"text{a,align:format}": items (string literals for the text, the holes'
                     * expressions), names (each hole's format or NULL), aligns (0: none) */
    EX_WITH,        /* a with { N = v, ... }: items the values, names the members */
} ExprKind;

/* Operators that are more than one character. Single-character ones are themselves
 * ('+', '-', '*', '/', '%', '&', '|', '^', '<', '>', '!', '~'). */
enum {
    OP_EQ = 256,    /* == */
    OP_NE,          /* != */
    OP_LE, OP_GE,   /* <= >= */
    OP_ANDAND,      /* && */
    OP_OROR,        /* || */
    OP_SHL, OP_SHR, OP_USHR,   /* << >> >>> */
    OP_COALESCE,    /* ?? */
    OP_PREINC, OP_PREDEC, OP_POSTINC, OP_POSTDEC,
};

typedef struct Expr Expr;
struct Expr {
    ExprKind    kind;
    int         column;     /* 1-based column of the node's first character in the text */
    int         op;         /* EX_UNARY, EX_BINARY, EX_ASSIGN */
    int         conditional;/* EX_MEMBER / EX_INDEX reached through ?. / ?[ */
    int         negated;    /* EX_IS: `is not` */
    int         checked;    /* EX_CHECKED: 1 checked, 0 unchecked */
    ExprLit     lit;        /* EX_LITERAL */
    const char *name;       /* EX_NAME, EX_MEMBER (identifier; @-prefix removed) */
    ExprType  **type_args;  /* EX_NAME, EX_MEMBER: explicit generic arguments, or NULL */
    int         ntype_args;
    ExprType   *type;       /* EX_NEW, EX_NEW_ARRAY, EX_IS, EX_AS, EX_CAST, EX_TYPEOF, EX_SIZEOF,
                             * EX_DEFAULT, EX_TYPE */
    Expr       *a, *b, *c;  /* operands: unary a; binary a b; conditional a b c; member/index/
                             * call target a; cast/is/as/checked operand a */
    Expr      **args;       /* EX_CALL, EX_INDEX, EX_NEW, EX_NEW_ARRAY sizes */
    int         nargs;
    const char **arg_names; /* EX_CALL, EX_NEW: named arguments (`c: 5`): per argument its
                             * parameter name, or NULL for a positional one; NULL if none */
    Expr      **items;      /* EX_NEW_ARRAY initialiser, EX_TUPLE, EX_INTERP, EX_WITH; or NULL */
    int         nitems;
    const char **names;     /* EX_TUPLE element names, EX_INTERP formats, EX_WITH members */
    int        *aligns;     /* EX_INTERP: each item's alignment (0: none) */
};

typedef struct ExprError {
    int  column;            /* 1-based; 0 when not tied to a place */
    char msg[256];          /* in the C# compiler's words: "; expected", "Invalid expression term ')'" */
} ExprError;

/* An error as one line: "msg (column N)", or msg alone when it has no column. */
void expr_error_text(const ExprError *err, char *out, size_t cap);

/* Parse one whole expression. NULL on error (err filled). Text is UTF-8. */
Expr *expr_parse(Arena *a, const char *text, ExprError *err);

/* A format specifier may follow the expression after a top-level comma, as in Visual
 * Studio's watch window ("x, h", "s, nq"): *spec gets it (trimmed; NULL when none) and the
 * expression is parsed from what comes before. */
Expr *expr_parse_with_spec(Arena *a, const char *text, const char **spec, ExprError *err);

/* Templates: log point messages and DebuggerDisplay strings, "text {expr} more {expr,nq}".
 * `{{` and `}}` are literal braces, so are `\{` and `\}` (the runtime's escapes). Holes may contain braces inside strings, chars and
 * nested brackets. Parts alternate; each is literal text or a hole's expression text (its
 * spec split off as above, but not parsed). */
typedef struct ExprTemplatePart {
    int         is_hole;
    const char *text;       /* literal text (braces unescaped), or the hole's expression */
    const char *spec;       /* hole's format specifier after a top-level comma, or NULL */
    int         column;     /* 1-based column of the part's first character */
} ExprTemplatePart;

/* Split a template. 0 ok; -1 on an unclosed or stray brace (err filled). */
int expr_template_split(Arena *a, const char *text, ExprTemplatePart **parts, int *nparts, ExprError *err);
/* EXPR_TEMPLATE_LENIENT: a stray '}' is literal text (DebuggerDisplay strings, as the runtime
 * reads them), not an error. */
enum { EXPR_TEMPLATE_LENIENT = 1 };
int expr_template_split_ex(Arena *a, const char *text, int flags, ExprTemplatePart **parts, int *nparts,
                           ExprError *err);

/* The expression tree back as C# text (fully parenthesised where precedence needs it):
 * for tests, `ptype`, and messages. */
char *expr_to_text(Arena *a, const Expr *e);
char *expr_type_to_text(Arena *a, const ExprType *t);
/* An operator's C# spelling: "+", "==", "??", "++" ("?" for a value that is none). */
const char *expr_op_text(int op);

/* The tree's shape as an S-expression, for tests and for checking that text reads back as
 * the same tree: "(+ 1 (* 2 3))", "(. a b)", "(?. a b)", "(call f x)", "([] a i)",
 * "(cast int x)", "(is x T)", "(is-not x null)", "(pre++ x)", "(+= a b)", "(?: c a b)". */
char *expr_dump(Arena *a, const Expr *e);

#endif
