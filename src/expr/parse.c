/* parse.c — tokens into an Expr tree: recursive descent over C#'s expression grammar
 * (ECMA-334 §12), with C#'s two lookahead rules for generic names and casts.
 *
 * Levels, loosest first (each function parses one and calls the next):
 *   parse_expr        assignment   = and compound   right-assoc
 *   parse_conditional ?:           right-assoc
 *   parse_coalesce    ??           right-assoc
 *   parse_binary      || && | ^ & == != < > <= >= is as << >> >>> + - * / %   (precedence climbing)
 *   parse_unary       + - ! ~ ++ -- (T)x
 *   parse_postfix     a.b a?.b a(b) a[b] a?[b] a++ a-- a!
 *   parse_primary     literals, names, this, base, (e), new, typeof, sizeof, default, checked
 *
 * p->depth counts recursion and operator chains (a chain builds a deep tree iteratively,
 * and the printer and the evaluator walk it recursively); past EXPR_MAX_DEPTH the parse
 * fails, so no input can exhaust the stack.
 *
 * Lookahead (type_at with out == NULL) only reads tokens; it allocates nothing. The same
 * function then builds the type it scanned, so the two can never disagree. */
#include "expr/expr_internal.h"

#include "base/strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Parser {
    Arena       *a;
    const char  *src;
    const Token *t;
    int          nt, pos;
    int         *match;     /* index of the bracket closing t[i], or -1 */
    int          depth;
    int          scan_deep; /* a lookahead gave up because of depth, not syntax */
    ExprError   *err;
    ExprError    lexerr;
    int          failed;
} Parser;

typedef struct Vec {
    void **v;
    int    n, cap;
} Vec;

static const Token *at(const Parser *p, int i) {
    return &p->t[i < 0 ? 0 : i >= p->nt ? p->nt - 1 : i];
}

static const Token *tk(const Parser *p, int k) { return at(p, p->pos + k); }

static int is_punct(const Token *t, int op) { return t->kind == TK_PUNCT && t->op == op; }
static int is_kw(const Token *t, Keyword kw) { return t->kind == TK_KEYWORD && t->op == (int)kw; }
static int is_ident(const Token *t, const char *name) {
    return t->kind == TK_IDENT && strcmp(t->name, name) == 0;
}

/* The first error wins; at the lexer's error token, the lexer's message is the error. */
static void *fail(Parser *p, const Token *t, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void *fail(Parser *p, const Token *t, const char *fmt, ...) {
    if (p->failed)
        return NULL;
    p->failed = 1;
    if (t->kind == TK_ERROR) {
        *p->err = p->lexerr;
        return NULL;
    }
    va_list ap;
    va_start(ap, fmt);
    p->err->column = t->column;
    vsnprintf(p->err->msg, sizeof p->err->msg, fmt, ap);
    va_end(ap);
    return NULL;
}

static void *oom(Parser *p) {
    if (!p->failed) {
        p->failed = 1;
        expr_error(p->err, 0, "out of memory");
    }
    return NULL;
}

static void *too_deep(Parser *p) { return fail(p, tk(p, 0), "expression is too deeply nested"); }

/* Token text for messages, shortened: long string literals would drown the message. */
typedef struct TokText { char s[64]; } TokText;

static const char *tok_text(const Parser *p, const Token *t, TokText *buf) {
    if (t->kind == TK_EOF)
        return "";
    size_t len = t->len < 40 ? t->len : 40;
    while (len < t->len && len > 0 && ((unsigned char)p->src[t->off + len] & 0xC0) == 0x80)
        len--;    /* cut between characters */
    snprintf(buf->s, sizeof buf->s, "%.*s%s", (int)len, p->src + t->off, t->len > len ? "..." : "");
    return buf->s;
}

static int vec_push(Parser *p, Vec *v, void *x) {
    if (v->n == v->cap) {
        int cap = v->cap ? v->cap * 2 : 4;
        void **nv = arena_push(p->a, (size_t)cap * sizeof *nv);
        if (!nv) {
            oom(p);
            return -1;
        }
        if (v->n)
            memcpy(nv, v->v, (size_t)v->n * sizeof *nv);
        v->v = nv;
        v->cap = cap;
    }
    v->v[v->n++] = x;
    return 0;
}

static Expr *new_expr(Parser *p, ExprKind kind, int column) {
    Expr *e = arena_push(p->a, sizeof *e);
    if (!e)
        return oom(p);
    e->kind = kind;
    e->column = column;
    return e;
}

static int int_push(Parser *p, int **v, int *n, int *cap, int x) {
    if (*n == *cap) {
        int c = *cap ? *cap * 2 : 4;
        int *nv = arena_push(p->a, (size_t)c * sizeof *nv);
        if (!nv) {
            oom(p);
            return -1;
        }
        if (*n)
            memcpy(nv, *v, (size_t)*n * sizeof *nv);
        *v = nv;
        *cap = c;
    }
    (*v)[(*n)++] = x;
    return 0;
}

/* ---- token classes ---- */

/* Can t begin an expression? Decides whether a `?` or `*` after a type belongs to it
 * (`x is int? ? a : b`, `(int*)p`), the way Roslyn does. */
static int starts_expr(const Token *t) {
    switch (t->kind) {
    case TK_IDENT: case TK_INT: case TK_REAL: case TK_CHAR: case TK_STRING:
        return 1;
    case TK_KEYWORD:
        return KW_IS_TYPE(t->op) || t->op == KW_BASE || t->op == KW_THIS || t->op == KW_NEW ||
               t->op == KW_TYPEOF || t->op == KW_SIZEOF || t->op == KW_DEFAULT ||
               t->op == KW_CHECKED || t->op == KW_UNCHECKED || t->op == KW_TRUE ||
               t->op == KW_FALSE || t->op == KW_NULL || t->op == KW_STACKALLOC ||
               t->op == KW_THROW || t->op == KW_DELEGATE;
    case TK_PUNCT:
        return t->op == '(' || t->op == '!' || t->op == '~' || t->op == '+' || t->op == '-' ||
               t->op == P_INC || t->op == P_DEC;
    default:
        return 0;
    }
}

/* §12.9.7: `(x)y` is a cast when x is only a type, or when y starts with one of these;
 * so `(a)-b` subtracts and `(a)(b)` casts. */
static int cast_follows(const Token *t) {
    switch (t->kind) {
    case TK_IDENT: case TK_INT: case TK_REAL: case TK_CHAR: case TK_STRING:
        return 1;
    case TK_KEYWORD:
        return t->op != KW_AS && t->op != KW_IS && t->op != KW_SWITCH;
    case TK_PUNCT:
        return t->op == '(' || t->op == '!' || t->op == '~';
    default:
        return 0;
    }
}

/* §6.2.5: `name<...>` is a generic name only when one of these follows the `>`;
 * otherwise `<` is less-than (`a < b > c` compares). */
static int generic_follows(const Token *t) {
    if (t->kind == TK_EOF)
        return 1;
    if (t->kind != TK_PUNCT)
        return 0;
    switch (t->op) {
    case '(': case ')': case ']': case '}': case ':': case ';': case ',': case '.': case '?':
    case OP_EQ: case OP_NE: case '|': case '^': case OP_ANDAND: case OP_OROR: case '&': case '[':
        return 1;
    default:
        return 0;
    }
}

static int type_start(const Token *t) {
    return t->kind == TK_IDENT || (t->kind == TK_KEYWORD && KW_IS_TYPE(t->op));
}

/* Tokens that start a construct cordbg refuses, named so the message says which. */
static const char *refused(const Parser *p, int i) {
    const Token *t = at(p, i);
    if (is_kw(t, KW_SWITCH))
        return "switch expressions are not supported in cordbg expressions";
    if (is_ident(t, "with") && is_punct(at(p, i + 1), '{'))
        return "with expressions are not supported in cordbg expressions";
    if (is_punct(t, P_LAMBDA))
        return "lambda expressions are not supported in cordbg expressions";
    if (is_punct(t, P_DOTDOT))
        return "range expressions are not supported in cordbg expressions";
    if (is_punct(t, P_PTR))
        return "pointer member access '->' is not supported in cordbg expressions";
    return NULL;
}

static int expect(Parser *p, int op, const char *what) {
    const Token *t = tk(p, 0);
    if (is_punct(t, op)) {
        p->pos++;
        return 0;
    }
    const char *r = refused(p, p->pos);
    if (r)
        fail(p, t, "%s", r);
    else
        fail(p, t, "Syntax error, '%s' expected", what);
    return -1;
}

/* After an item of a list closed by `close`: a missing comma or a missing closer. */
static void *list_fail(Parser *p, const char *close) {
    const Token *t = tk(p, 0);
    const char *r = refused(p, p->pos);
    if (r)
        return fail(p, t, "%s", r);
    return fail(p, t, "Syntax error, '%s' expected", starts_expr(t) ? "," : close);
}

/* ---- types ---- */

enum { TY_NO_RANKS = 1 };   /* `new int[3]`: the brackets are sizes, not part of the type */

static int type_at(Parser *p, int i, int depth, int flags, ExprType **out, int *definite);

/* `<T, U>` at t[i]: the index after `>`, or -1. Builds into *out when out is set. */
static int targs_at(Parser *p, int i, int depth, Vec *out) {
    i++;
    for (;;) {
        ExprType *ty = NULL;
        int j = type_at(p, i, depth, 0, out ? &ty : NULL, NULL);
        if (j < 0)
            return -1;
        if (out && vec_push(p, out, ty) < 0)
            return -1;
        const Token *t = at(p, j);
        if (is_punct(t, ','))
            i = j + 1;
        else if (is_punct(t, '>'))
            return j + 1;
        else
            return -1;
    }
}

/* `Outer<int>` as the qualifier of `Outer<int>.Inner`: ExprType keeps generic arguments
 * for the last part only, so earlier ones stay in the name, printed canonically. */
static int put_args(Parser *p, StrBuf *b, const Vec *args) {
    if (sb_putc(b, '<') < 0)
        return -1;
    for (int k = 0; k < args->n; k++) {
        char *arg = expr_type_to_text(p->a, args->v[k]);
        if (!arg || (k && sb_puts(b, ", ") < 0) || sb_puts(b, arg) < 0)
            return -1;
    }
    return sb_putc(b, '>');
}

/* A type at t[i]: the index after it, or -1 if none is there. With out NULL it only looks;
 * with out set it builds the same type (call it so only after a look succeeded). *definite
 * is set when the text can only be a type: keyword, `?`, `*` or `[]` in it. */
static int type_at(Parser *p, int i, int depth, int flags, ExprType **out, int *definite) {
    if (depth > EXPR_MAX_DEPTH) {
        p->scan_deep = 1;
        return -1;
    }
    const Token *t = at(p, i);
    int column = t->column, def = 0;
    if (is_ident(t, "global") && is_punct(at(p, i + 1), P_COLONCOLON)) {
        i += 2;
        t = at(p, i);
    }
    ExprType *ty = NULL;
    if (out) {
        ty = arena_push(p->a, sizeof *ty);
        if (!ty) {
            oom(p);
            return -1;
        }
        ty->column = column;
        *out = ty;
    }
    if (t->kind == TK_KEYWORD && KW_IS_TYPE(t->op)) {
        if (ty) {
            ty->name = t->name;
            ty->is_keyword = 1;
        }
        def = 1;
        i++;
    } else if (t->kind == TK_IDENT) {
        StrBuf name;     /* the dotted name, when building */
        sb_init(&name);
        for (;;) {
            const Token *id = at(p, i++);
            Vec args = {0};
            if (is_punct(at(p, i), '<')) {
                int j = targs_at(p, i, depth + 1, ty ? &args : NULL);
                if (j >= 0)
                    i = j;
                else if (p->scan_deep || p->failed)
                    break;
                else
                    args = (Vec){0};    /* `x is T < y`: not type arguments after all */
            }
            if (ty && ((name.len && sb_putc(&name, '.') < 0) || sb_puts(&name, id->name) < 0)) {
                oom(p);
                break;
            }
            if (is_punct(at(p, i), '.') && at(p, i + 1)->kind == TK_IDENT) {
                if (ty && args.n && put_args(p, &name, &args) < 0) {
                    oom(p);
                    break;
                }
                i++;
                continue;
            }
            if (ty) {
                ty->args = (ExprType **)args.v;
                ty->nargs = args.n;
                if (!(ty->name = arena_strndup(p->a, name.data, name.len)))
                    oom(p);
            }
            break;
        }
        sb_free(&name);
        if (p->failed || p->scan_deep)
            return -1;
    } else {
        return -1;
    }
    int nullable = 0, pointer = 0, nranks = 0, cap = 0;
    int *ranks = NULL;
    for (;;) {
        const Token *s = at(p, i);
        if (is_punct(s, '?') && !nullable && !starts_expr(at(p, i + 1))) {
            nullable = 1;
            i++;
        } else if (is_punct(s, '*') && !nranks && !starts_expr(at(p, i + 1))) {
            pointer++;
            i++;
        } else if (is_punct(s, '[') && !(flags & TY_NO_RANKS)) {
            int j = i + 1, rank = 1;
            while (is_punct(at(p, j), ','))
                j++, rank++;
            if (!is_punct(at(p, j), ']'))
                break;
            if (ty && int_push(p, &ranks, &nranks, &cap, rank) < 0)
                return -1;
            if (!ty)
                nranks++;
            i = j + 1;
        } else {
            break;
        }
        def = 1;
    }
    if (ty) {
        ty->nullable = nullable;
        ty->pointer = pointer;
        ty->ranks = ranks;
        ty->nranks = nranks;
    }
    if (definite)
        *definite = def;
    return i;
}

/* A type at the current token, or the C# error. */
static ExprType *parse_type(Parser *p, int flags) {
    int def;
    p->scan_deep = 0;
    int j = type_at(p, p->pos, p->depth, flags, NULL, &def);
    if (j < 0)
        return p->scan_deep ? too_deep(p) : fail(p, tk(p, 0), "Type expected");
    ExprType *ty = NULL;
    if (type_at(p, p->pos, p->depth, flags, &ty, &def) != j || p->failed)
        return p->failed ? NULL : fail(p, tk(p, 0), "Type expected");
    p->pos = j;
    return ty;
}

/* ---- expressions ---- */

static Expr *parse_expr(Parser *p);
static Expr *parse_unary(Parser *p);

static Expr *lambda_fail(Parser *p, const Token *t) {
    return fail(p, t, "lambda expressions are not supported in cordbg expressions");
}

/* `(args)` or `[args]` from the opener at the current token. names (calls and `new`
 * only; NULL elsewhere): C#'s named arguments, `name: expr`, one name or NULL per argument,
 * *names left NULL when every argument is positional. */
static int parse_args(Parser *p, int close, Expr ***out, int *n, const char ***names) {
    Vec v = {0}, nv = {0};
    int any_name = 0;
    if (names)
        *names = NULL;
    p->pos++;
    if (is_punct(tk(p, 0), close)) {
        if (close == ']') {
            fail(p, tk(p, 0), "Syntax error; value expected");
            return -1;
        }
        p->pos++;
        *out = NULL;
        *n = 0;
        return 0;
    }
    for (;;) {
        const Token *t = tk(p, 0);
        const char *name = NULL;
        if (t->kind == TK_IDENT && is_punct(tk(p, 1), ':')) {
            if (!names) {
                fail(p, t, "named arguments are not supported in cordbg expressions");
                return -1;
            }
            name = t->name;
            any_name = 1;
            p->pos += 2;
            t = tk(p, 0);
        }
        if (is_kw(t, KW_REF) || is_kw(t, KW_OUT) || is_kw(t, KW_IN)) {
            fail(p, t, "'%s' arguments are not supported in cordbg expressions", t->name);
            return -1;
        }
        Expr *e = parse_expr(p);
        if (!e || vec_push(p, &v, e) < 0 || (names && vec_push(p, &nv, (void *)name) < 0))
            return -1;
        t = tk(p, 0);
        if (is_punct(t, ',')) {
            p->pos++;
            continue;
        }
        if (is_punct(t, close)) {
            p->pos++;
            break;
        }
        list_fail(p, close == ')' ? ")" : "]");
        return -1;
    }
    *out = (Expr **)v.v;
    *n = v.n;
    if (names && any_name)
        *names = (const char **)nv.v;
    return 0;
}

/* Explicit type arguments after a name, when C#'s rule says they are that. */
static int generic_args(Parser *p, ExprType ***out, int *n) {
    if (!is_punct(tk(p, 0), '<'))
        return 0;
    p->scan_deep = 0;
    int j = targs_at(p, p->pos, p->depth + 1, NULL);
    if (j < 0 || !generic_follows(at(p, j)))
        return p->failed ? -1 : 0;
    Vec v = {0};
    if (targs_at(p, p->pos, p->depth + 1, &v) != j)
        return p->failed ? -1 : (fail(p, tk(p, 0), "Type expected"), -1);
    p->pos = j;
    *out = (ExprType **)v.v;
    *n = v.n;
    return 0;
}

static Expr *initializer_fail(Parser *p) {
    const Token *t = tk(p, 0), *u = tk(p, 1);
    if (is_punct(u, '}') || is_punct(u, '[') || (u->kind == TK_IDENT && is_punct(tk(p, 2), '=')))
        return fail(p, t, "object initializers are not supported in cordbg expressions");
    return fail(p, t, "collection initializers are not supported in cordbg expressions");
}

static Expr *multidim_fail(Parser *p) {
    return fail(p, tk(p, 0), "multi-dimensional array initializers are not supported in cordbg expressions");
}

/* `{ a, b, }` of an array creation; items is never NULL afterwards, even when empty. */
static int parse_array_init(Parser *p, Expr *e) {
    Vec v = {0};
    p->pos++;
    while (!is_punct(tk(p, 0), '}')) {
        if (is_punct(tk(p, 0), '{')) {
            multidim_fail(p);
            return -1;
        }
        Expr *x = parse_expr(p);
        if (!x || vec_push(p, &v, x) < 0)
            return -1;
        if (is_punct(tk(p, 0), ','))
            p->pos++;
        else if (!is_punct(tk(p, 0), '}')) {
            list_fail(p, "}");
            return -1;
        }
    }
    p->pos++;
    e->items = v.n ? (Expr **)v.v : arena_push(p->a, sizeof(Expr *));
    e->nitems = v.n;
    if (!e->items) {
        oom(p);
        return -1;
    }
    return 0;
}

static Expr *parse_new(Parser *p) {
    int column = tk(p, 0)->column;
    p->pos++;
    const Token *t = tk(p, 0);
    if (is_punct(t, '[')) {
        if (!is_punct(tk(p, 1), ']'))
            return fail(p, tk(p, 1), "Syntax error, ']' expected");
        p->pos += 2;
        if (!is_punct(tk(p, 0), '{'))
            return fail(p, tk(p, 0), "Syntax error, '{' expected");
        Expr *e = new_expr(p, EX_NEW_ARRAY, column);
        return e && parse_array_init(p, e) == 0 ? e : NULL;
    }
    if (is_punct(t, '{'))
        return fail(p, t, "anonymous types are not supported in cordbg expressions");
    if (is_punct(t, '('))
        return fail(p, t, "target-typed 'new()' is not supported in cordbg expressions");
    ExprType *ty = parse_type(p, TY_NO_RANKS);
    if (!ty)
        return NULL;
    t = tk(p, 0);
    if (is_punct(t, '(')) {
        Expr *e = new_expr(p, EX_NEW, column);
        if (!e)
            return NULL;
        e->type = ty;
        if (parse_args(p, ')', &e->args, &e->nargs, &e->arg_names) < 0)
            return NULL;
        if (is_punct(tk(p, 0), '{'))
            return initializer_fail(p);
        return e;
    }
    if (is_punct(t, '{'))
        return initializer_fail(p);
    if (!is_punct(t, '['))
        return fail(p, t, "A new expression requires (), [], or {} after type");

    Expr *e = new_expr(p, EX_NEW_ARRAY, column);
    if (!e)
        return NULL;
    if (!is_punct(tk(p, 1), ',') && !is_punct(tk(p, 1), ']')) {
        Vec sizes = {0};
        p->pos++;
        for (;;) {
            Expr *x = parse_expr(p);
            if (!x || vec_push(p, &sizes, x) < 0)
                return NULL;
            if (is_punct(tk(p, 0), ',')) {
                p->pos++;
                continue;
            }
            if (is_punct(tk(p, 0), ']')) {
                p->pos++;
                break;
            }
            return list_fail(p, "]");
        }
        e->args = (Expr **)sizes.v;
        e->nargs = sizes.n;
    }
    int *ranks = NULL, nranks = 0, cap = 0;
    while (is_punct(tk(p, 0), '[')) {
        int j = p->pos + 1, rank = 1;
        while (is_punct(at(p, j), ','))
            j++, rank++;
        if (!is_punct(at(p, j), ']'))
            return fail(p, at(p, j), "Invalid rank specifier: expected ',' or ']'");
        if (int_push(p, &ranks, &nranks, &cap, rank) < 0)
            return NULL;
        p->pos = j + 1;
    }
    int has_init = is_punct(tk(p, 0), '{');
    if (!e->nargs) {
        /* `new T[] {..}`: the first brackets are the array's own; cordbg has rank 1 only. */
        if (ranks[0] != 1 && has_init)
            return multidim_fail(p);
        if (!has_init)
            return fail(p, tk(p, 0), "Array creation must have array size or array initializer");
        ranks++;
        nranks--;
    }
    ExprType *el = arena_push(p->a, sizeof *el);
    if (!el)
        return oom(p);
    *el = *ty;
    el->ranks = nranks ? ranks : NULL;
    el->nranks = nranks;
    e->type = el;
    if (has_init) {
        if (e->nargs > 1)
            return multidim_fail(p);
        if (parse_array_init(p, e) < 0)
            return NULL;
    }
    return e;
}

/* `from x in ...` (or `from T x in`): a query expression, not a name. */
static int query_follows(const Parser *p) {
    const Token *a = tk(p, 1), *b = tk(p, 2), *c = tk(p, 3);
    return (a->kind == TK_IDENT && is_kw(b, KW_IN)) ||
           (type_start(a) && b->kind == TK_IDENT && is_kw(c, KW_IN));
}

static Expr *parse_name(Parser *p) {
    const Token *t = tk(p, 0);
    int column = t->column;
    if (is_ident(t, "global") && is_punct(tk(p, 1), P_COLONCOLON)) {
        p->pos += 2;
        t = tk(p, 0);
        if (t->kind != TK_IDENT)
            return fail(p, t, "Identifier expected");
    }
    if (is_punct(tk(p, 1), P_LAMBDA))
        return lambda_fail(p, t);
    if (is_ident(t, "async")) {
        const Token *u = tk(p, 1);
        int close = p->match[p->pos + 1 < p->nt ? p->pos + 1 : p->nt - 1];
        if ((u->kind == TK_IDENT && is_punct(tk(p, 2), P_LAMBDA)) ||
            (is_punct(u, '(') && close > 0 && is_punct(at(p, close + 1), P_LAMBDA)))
            return lambda_fail(p, t);
        if (is_kw(u, KW_DELEGATE))
            return fail(p, t, "anonymous methods are not supported in cordbg expressions");
    }
    if (is_ident(t, "from") && query_follows(p))
        return fail(p, t, "query expressions are not supported in cordbg expressions");
    /* `await(x)` and `await + 1` use a name; `await x` awaits. */
    if (is_ident(t, "await") && tk(p, 1)->kind != TK_PUNCT && starts_expr(tk(p, 1)))
        return fail(p, t, "await expressions are not supported in cordbg expressions");
    Expr *e = new_expr(p, EX_NAME, column);
    if (!e)
        return NULL;
    e->name = t->name;
    p->pos++;
    if (generic_args(p, &e->type_args, &e->ntype_args) < 0)
        return NULL;
    return e;
}

/* `(T)` of typeof / sizeof / default(T). */
static ExprType *paren_type(Parser *p) {
    if (expect(p, '(', "(") < 0)
        return NULL;
    ExprType *ty = parse_type(p, 0);
    if (!ty || expect(p, ')', ")") < 0)
        return NULL;
    return ty;
}

static Expr *parse_keyword(Parser *p) {
    const Token *t = tk(p, 0);
    TokText tt;
    Expr *e;
    switch ((Keyword)t->op) {
    case KW_TRUE:
    case KW_FALSE:
    case KW_NULL:
        if (!(e = new_expr(p, EX_LITERAL, t->column)))
            return NULL;
        e->lit.kind = t->op == KW_NULL ? LIT_NULL : LIT_BOOL;
        e->lit.u = t->op == KW_TRUE;
        p->pos++;
        return e;
    case KW_THIS:
    case KW_BASE:
        p->pos++;
        return new_expr(p, t->op == KW_THIS ? EX_THIS : EX_BASE, t->column);
    case KW_NEW:
        return parse_new(p);
    case KW_TYPEOF:
    case KW_SIZEOF:
    case KW_DEFAULT:
        if (!(e = new_expr(p, t->op == KW_TYPEOF ? EX_TYPEOF : t->op == KW_SIZEOF ? EX_SIZEOF : EX_DEFAULT, t->column)))
            return NULL;
        p->pos++;
        if (t->op == KW_DEFAULT && !is_punct(tk(p, 0), '('))
            return e;
        return (e->type = paren_type(p)) ? e : NULL;
    case KW_CHECKED:
    case KW_UNCHECKED:
        if (!(e = new_expr(p, EX_CHECKED, t->column)))
            return NULL;
        e->checked = t->op == KW_CHECKED;
        p->pos++;
        if (expect(p, '(', "(") < 0 || !(e->a = parse_expr(p)) || expect(p, ')', ")") < 0)
            return NULL;
        return e;
    case KW_STACKALLOC:
        return fail(p, t, "stackalloc is not supported in cordbg expressions");
    case KW_THROW:
        return fail(p, t, "throw expressions are not supported in cordbg expressions");
    case KW_DELEGATE:
        return fail(p, t, "anonymous methods are not supported in cordbg expressions");
    default:
        break;
    }
    if (KW_IS_TYPE(t->op) && is_punct(tk(p, 1), '.')) {
        /* `int.MaxValue`: the keyword type stands where an expression does. */
        ExprType *ty = arena_push(p->a, sizeof *ty);
        if (!ty || !(e = new_expr(p, EX_TYPE, t->column)))
            return oom(p);
        ty->name = t->name;
        ty->is_keyword = 1;
        ty->column = t->column;
        e->type = ty;
        p->pos++;
        return e;
    }
    const char *r = refused(p, p->pos);
    return r ? fail(p, t, "%s", r) : fail(p, t, "Invalid expression term '%s'", tok_text(p, t, &tt));
}

/* A tuple element's `name:`, if there is one (consumed). */
static const char *tuple_name(Parser *p) {
    const Token *t = tk(p, 0);
    if (t->kind == TK_IDENT && is_punct(tk(p, 1), ':') && !is_punct(tk(p, 2), ':')) {
        p->pos += 2;
        return t->name;
    }
    return NULL;
}

static Expr *parse_paren(Parser *p) {
    int open = p->pos, close = p->match[open];
    if (close > open && is_punct(at(p, close + 1), P_LAMBDA))
        return lambda_fail(p, tk(p, 0));
    int column = tk(p, 0)->column;
    p->pos++;
    const char *first_name = tuple_name(p);
    Expr *e = parse_expr(p);
    if (!e)
        return NULL;
    if (is_punct(tk(p, 0), ',') || first_name) {
        /* A tuple literal (C# 7): (a, b), (x: a, y: b). */
        Vec items = {0}, names = {0};
        if (vec_push(p, &items, e) < 0 || vec_push(p, &names, (void *)first_name) < 0)
            return NULL;
        while (is_punct(tk(p, 0), ',')) {
            p->pos++;
            const char *name = tuple_name(p);
            Expr *x = parse_expr(p);
            if (!x || vec_push(p, &items, x) < 0 || vec_push(p, &names, (void *)name) < 0)
                return NULL;
        }
        if (expect(p, ')', ")") < 0)
            return NULL;
        if (items.n < 2)
            return fail(p, tk(p, 0), "Tuple must contain at least two elements.");
        Expr *t = new_expr(p, EX_TUPLE, column);
        if (!t)
            return NULL;
        t->items = (Expr **)items.v;
        t->nitems = items.n;
        t->names = (const char **)names.v;
        return t;
    }
    return expect(p, ')', ")") < 0 ? NULL : e;
}

/* $"text{expr,align:format}text": the text's pieces as string literals and the holes'
 * expressions, each parsed on its own. */
static Expr *parse_n_at(Arena *a, const char *src, size_t n, ExprError *err, int depth);

static Expr *parse_interp(Parser *p) {
    const Token *t = tk(p, 0);
    const char *s = t->name;
    size_t n = strlen(s), i = 0;
    Vec items = {0}, formats = {0};
    int *aligns = NULL, na = 0, capa = 0;
    StrBuf lit;
    sb_init(&lit);
    while (i <= n) {
        if (i == n || (s[i] == '{' && !(i + 1 < n && s[i + 1] == '{'))) {
            if (lit.len) {
                /* The text so far: a string literal, so escapes read as in "...". */
                char *q = arena_printf(p->a, "\"%.*s\"", (int)lit.len, lit.data);
                ExprError err;
                Expr *x = q ? expr_parse(p->a, q, &err) : NULL;
                lit.len = 0;
                if (lit.data)
                    lit.data[0] = 0;
                if (!x || x->kind != EX_LITERAL) {
                    sb_free(&lit);
                    return x ? fail(p, t, "bad interpolated string") : fail(p, t, "%s", err.msg);
                }
                if (vec_push(p, &items, x) < 0 || vec_push(p, &formats, NULL) < 0 || int_push(p, &aligns, &na, &capa, 0) < 0) {
                    sb_free(&lit);
                    return NULL;
                }
            }
            if (i == n)
                break;
            /* A hole: up to its closing brace, with `,align` and `:format` at its top level. */
            size_t k = i + 1, comma = 0, colon = 0;
            int depth = 0;
            while (k < n) {
                size_t e = expr_skip_literal(s, k, n);
                if (e != k) {
                    k = e;
                    continue;
                }
                char ch = s[k];
                if (depth == 0 && ch == '}')
                    break;
                if (ch == '(' || ch == '[' || ch == '{')
                    depth++;
                else if (ch == ')' || ch == ']' || ch == '}')
                    depth--;
                else if (depth == 0 && ch == ',' && !comma && !colon)
                    comma = k;
                else if (depth == 0 && ch == ':' && !colon && !(k + 1 < n && s[k + 1] == ':'))
                    colon = k;
                k++;
            }
            if (k >= n) {
                sb_free(&lit);
                return fail(p, t, "Unterminated interpolated string hole");
            }
            size_t end = comma ? comma : colon ? colon : k;
            ExprError err;
            if (p->depth + 1 > EXPR_MAX_DEPTH) {
                sb_free(&lit);
                return too_deep(p);
            }
            Expr *x = parse_n_at(p->a, s + i + 1, end - i - 1, &err, p->depth + 1);
            if (!x) {
                sb_free(&lit);
                return fail(p, t, "%s", err.msg);
            }
            int align = 0;
            if (comma) {
                char *stop;
                long a = strtol(s + comma + 1, &stop, 10);
                while (*stop == ' ')
                    stop++;
                if (stop != s + (colon ? colon : k)) {
                    sb_free(&lit);
                    return fail(p, t, "the alignment of an interpolated string hole must be a constant integer");
                }
                align = (int)a;
            }
            const char *fmt = colon ? arena_strndup(p->a, s + colon + 1, k - colon - 1) : NULL;
            if (vec_push(p, &items, x) < 0 || vec_push(p, &formats, (void *)fmt) < 0 ||
                int_push(p, &aligns, &na, &capa, align) < 0) {
                sb_free(&lit);
                return NULL;
            }
            i = k + 1;
            continue;
        }
        if ((s[i] == '{' || s[i] == '}') && i + 1 < n && s[i + 1] == s[i]) {
            sb_putc(&lit, s[i]);
            i += 2;
            continue;
        }
        if (s[i] == '\\' && i + 1 < n) {
            sb_putc(&lit, s[i]);
            sb_putc(&lit, s[i + 1]);
            i += 2;
            continue;
        }
        sb_putc(&lit, s[i]);
        i++;
    }
    sb_free(&lit);
    Expr *e = new_expr(p, EX_INTERP, t->column);
    if (!e)
        return NULL;
    e->items = (Expr **)items.v;
    e->nitems = items.n;
    e->names = (const char **)formats.v;
    e->aligns = aligns;
    p->pos++;
    return e;
}

static Expr *parse_primary(Parser *p) {
    const Token *t = tk(p, 0);
    TokText tt;
    switch (t->kind) {
    case TK_INT:
    case TK_REAL:
    case TK_CHAR:
    case TK_STRING: {
        Expr *e = new_expr(p, EX_LITERAL, t->column);
        if (!e)
            return NULL;
        e->lit = t->lit;
        p->pos++;
        return e;
    }
    case TK_INTERP:
        return parse_interp(p);
    case TK_IDENT:
        return parse_name(p);
    case TK_KEYWORD:
        return parse_keyword(p);
    case TK_EOF:
        return fail(p, t, "Expected expression");
    case TK_PUNCT:
        if (t->op == '(')
            return parse_paren(p);
        break;
    default:
        break;
    }
    const char *r = refused(p, p->pos);
    return r ? fail(p, t, "%s", r) : fail(p, t, "Invalid expression term '%s'", tok_text(p, t, &tt));
}

static Expr *parse_postfix(Parser *p, Expr *e) {
    int saved = p->depth;
    while (e) {
        const Token *t = tk(p, 0);
        int cond = 0;
        if (is_punct(t, '?') && (is_punct(tk(p, 1), '.') || is_punct(tk(p, 1), '['))) {
            cond = 1;
            p->pos++;
            t = tk(p, 0);
        }
        if (is_punct(t, '!')) {
            p->pos++;    /* null-forgiving `x!`: changes nothing at run time */
            continue;
        }
        ExprKind kind;
        if (is_punct(t, '.'))
            kind = EX_MEMBER;
        else if (is_punct(t, '['))
            kind = EX_INDEX;
        else if (is_punct(t, '('))
            kind = EX_CALL;
        else if (is_punct(t, P_INC) || is_punct(t, P_DEC))
            kind = EX_UNARY;
        else
            break;
        if (++p->depth > EXPR_MAX_DEPTH)
            return too_deep(p);
        Expr *n = new_expr(p, kind, e->column);
        if (!n)
            return NULL;
        n->a = e;
        n->conditional = cond;
        if (kind == EX_MEMBER) {
            const Token *id = tk(p, 1);
            if (id->kind != TK_IDENT)
                return fail(p, id, "Identifier expected");
            n->name = id->name;
            p->pos += 2;
            if (generic_args(p, &n->type_args, &n->ntype_args) < 0)
                return NULL;
        } else if (kind == EX_INDEX || kind == EX_CALL) {
            if (parse_args(p, kind == EX_INDEX ? ']' : ')', &n->args, &n->nargs,
                           kind == EX_CALL ? &n->arg_names : NULL) < 0)
                return NULL;
        } else {
            n->op = t->op == P_INC ? OP_POSTINC : OP_POSTDEC;
            p->pos++;
        }
        e = n;
    }
    p->depth = saved;
    return e;
}

/* `(T)x`, if the parenthesis at the current token is a cast; NULL (p->failed unset) if not. */
static Expr *try_cast(Parser *p) {
    int open = p->pos, close = p->match[open], def = 0;
    if (close < 0)
        return NULL;
    if (is_punct(at(p, close + 1), P_LAMBDA))
        return lambda_fail(p, tk(p, 0));
    p->scan_deep = 0;
    int j = type_at(p, open + 1, p->depth, 0, NULL, &def);
    if (j < 0 && p->scan_deep)
        return too_deep(p);
    if (j != close || !(def || cast_follows(at(p, close + 1))))
        return NULL;
    ExprType *ty = NULL;
    if (type_at(p, open + 1, p->depth, 0, &ty, &def) != j)
        return p->failed ? NULL : oom(p);
    p->pos = close + 1;
    int saved = p->depth;
    if (++p->depth > EXPR_MAX_DEPTH)
        return too_deep(p);
    Expr *a = parse_unary(p);
    p->depth = saved;
    if (!a)
        return NULL;
    Expr *e = new_expr(p, EX_CAST, at(p, open)->column);
    if (!e)
        return NULL;
    e->type = ty;
    e->a = a;
    return e;
}

static Expr *parse_unary(Parser *p) {
    const Token *t = tk(p, 0);
    if (t->kind == TK_PUNCT) {
        int op = 0;
        switch (t->op) {
        case '+': case '-': case '!': case '~': op = t->op; break;
        case P_INC: op = OP_PREINC; break;
        case P_DEC: op = OP_PREDEC; break;
        case '(': {
            Expr *c = try_cast(p);
            if (c || p->failed)
                return c;
            break;
        }
        }
        if (op) {
            int saved = p->depth;
            if (++p->depth > EXPR_MAX_DEPTH)
                return too_deep(p);
            const Token *lit = tk(p, 1);
            p->pos++;
            Expr *a = parse_unary(p);
            p->depth = saved;
            if (!a)
                return NULL;
            /* §12.8.3: -2147483648 is an int and -9223372036854775808 a long, though the
             * literals alone would be uint and ulong. */
            if (op == '-' && a->kind == EX_LITERAL && lit->kind == TK_INT && lit->dec_plain &&
                a->column == lit->column) {
                if (a->lit.u == 0x80000000u && !lit->suffix_l) {
                    a->lit.kind = LIT_INT;
                    a->lit.u = (uint64_t)(int64_t)INT32_MIN;
                    a->column = t->column;
                    return a;
                }
                if (a->lit.u == 0x8000000000000000u) {
                    a->lit.kind = LIT_LONG;
                    a->column = t->column;
                    return a;
                }
            }
            Expr *e = new_expr(p, EX_UNARY, t->column);
            if (!e)
                return NULL;
            e->op = op;
            e->a = a;
            return e;
        }
    }
    return parse_postfix(p, parse_primary(p));
}

int expr_binary_prec(int op) {
    switch (op) {
    case OP_OROR: return 1;
    case OP_ANDAND: return 2;
    case '|': return 3;
    case '^': return 4;
    case '&': return 5;
    case OP_EQ: case OP_NE: return 6;
    case '<': case '>': case OP_LE: case OP_GE: return EXPR_PREC_RELATIONAL;
    case OP_SHL: case OP_SHR: case OP_USHR: return 8;
    case '+': case '-': return 9;
    case '*': case '/': case '%': return 10;
    default: return 0;
    }
}

enum { B_IS = 0x20001, B_AS };

/* The binary operator at the current token and how many tokens spell it; `>>` and `>>>`
 * are adjacent `>` tokens, and `>>=` / `>>>=` are assignments, not operators here. */
static int peek_binop(const Parser *p, int *ntok) {
    const Token *t = tk(p, 0), *u = tk(p, 1), *v = tk(p, 2);
    *ntok = 1;
    if (is_kw(t, KW_IS))
        return B_IS;
    if (is_kw(t, KW_AS))
        return B_AS;
    if (t->kind != TK_PUNCT)
        return 0;
    if (t->op == '>' && !u->space_before) {
        if (is_punct(u, OP_GE))
            return 0;
        if (is_punct(u, '>')) {
            if (!v->space_before && is_punct(v, OP_GE))
                return 0;
            if (!v->space_before && is_punct(v, '>')) {
                *ntok = 3;
                return OP_USHR;
            }
            *ntok = 2;
            return OP_SHR;
        }
    }
    return expr_binary_prec(t->op) ? t->op : 0;
}

/* `=` gives '='; a compound assignment gives its binary operator. */
static int peek_assign(const Parser *p, int *ntok) {
    const Token *t = tk(p, 0), *u = tk(p, 1), *v = tk(p, 2);
    *ntok = 1;
    if (is_punct(t, '='))
        return '=';
    if (t->kind == TK_PUNCT && (t->op & P_COMPOUND))
        return t->op & ~P_COMPOUND;
    if (is_punct(t, '>') && !u->space_before) {
        if (is_punct(u, OP_GE)) {
            *ntok = 2;
            return OP_SHR;
        }
        if (is_punct(u, '>') && !v->space_before && is_punct(v, OP_GE)) {
            *ntok = 3;
            return OP_USHR;
        }
    }
    return 0;
}

static Expr *pattern_fail(Parser *p, const Token *t) {
    return fail(p, t, "patterns other than 'is Type' and 'is null' are not supported in cordbg expressions");
}

/* After a type or `null` in `is`: a designation, `and`/`or`/`when`, a property or
 * positional pattern. */
static int pattern_continues(const Token *t) {
    return t->kind == TK_IDENT || is_punct(t, '{') || is_punct(t, '(');
}

/* `x is [not] Type` / `x is [not] null`; the `is` is consumed. */
static Expr *parse_is(Parser *p, Expr *l, const Token *is) {
    Expr *e = new_expr(p, EX_IS, l->column);
    if (!e)
        return NULL;
    e->a = l;
    const Token *t = tk(p, 0);
    if (is_ident(t, "not") && (is_kw(tk(p, 1), KW_NULL) || type_start(tk(p, 1)))) {
        e->negated = 1;
        p->pos++;
        t = tk(p, 0);
    }
    if (is_kw(t, KW_NULL)) {
        p->pos++;
        return pattern_continues(tk(p, 0)) ? pattern_fail(p, is) : e;
    }
    if (!type_start(t))
        return pattern_fail(p, t->kind == TK_ERROR ? t : is);
    int def;
    p->scan_deep = 0;
    int j = type_at(p, p->pos, p->depth, 0, NULL, &def);
    if (j < 0)
        return p->scan_deep ? too_deep(p) : pattern_fail(p, is);
    if (pattern_continues(at(p, j)))
        return pattern_fail(p, is);
    return (e->type = parse_type(p, 0)) ? e : NULL;
}

/* x with { A = v, B = w } (C# 9), after a unary expression. */
static Expr *parse_with(Parser *p, Expr *l) {
    while (l && is_ident(tk(p, 0), "with") && is_punct(tk(p, 1), '{')) {
        Expr *e = new_expr(p, EX_WITH, l->column);
        Vec items = {0}, names = {0};
        if (!e)
            return NULL;
        p->pos += 2;
        while (!is_punct(tk(p, 0), '}')) {
            const Token *t = tk(p, 0);
            if (t->kind != TK_IDENT || !is_punct(tk(p, 1), '='))
                return fail(p, t, "Invalid initializer member declarator");
            p->pos += 2;
            Expr *v = parse_expr(p);
            if (!v || vec_push(p, &items, v) < 0 || vec_push(p, &names, (void *)t->name) < 0)
                return NULL;
            if (is_punct(tk(p, 0), ','))
                p->pos++;
            else if (!is_punct(tk(p, 0), '}'))
                return list_fail(p, "}");
        }
        p->pos++;
        e->a = l;
        e->items = (Expr **)items.v;
        e->nitems = items.n;
        e->names = (const char **)names.v;
        l = e;
    }
    return l;
}

static Expr *parse_binary(Parser *p, int min) {
    Expr *l = parse_with(p, parse_unary(p));
    int saved = p->depth;
    while (l) {
        int ntok, op = peek_binop(p, &ntok);
        int prec = (op == B_IS || op == B_AS) ? EXPR_PREC_RELATIONAL : expr_binary_prec(op);
        if (!op || prec < min)
            break;
        if (++p->depth > EXPR_MAX_DEPTH)
            return too_deep(p);
        const Token *t = tk(p, 0);
        p->pos += ntok;
        if (op == B_IS) {
            l = parse_is(p, l, t);
            continue;
        }
        Expr *e = new_expr(p, op == B_AS ? EX_AS : EX_BINARY, l->column);
        if (!e)
            return NULL;
        e->a = l;
        if (op == B_AS) {
            if (!(e->type = parse_type(p, 0)))
                return NULL;
        } else {
            e->op = op;
            if (!(e->b = parse_binary(p, prec + 1)))
                return NULL;
        }
        l = e;
    }
    p->depth = saved;
    return l;
}

static Expr *binary_node(Parser *p, ExprKind kind, int op, Expr *a, Expr *b) {
    Expr *e = new_expr(p, kind, a->column);
    if (e) {
        e->op = op;
        e->a = a;
        e->b = b;
    }
    return e;
}

static Expr *parse_coalesce(Parser *p) {
    Expr *l = parse_binary(p, 1);
    if (!l || !is_punct(tk(p, 0), OP_COALESCE))
        return l;
    int saved = p->depth;
    if (++p->depth > EXPR_MAX_DEPTH)
        return too_deep(p);
    p->pos++;
    Expr *r = parse_coalesce(p);
    p->depth = saved;
    return r ? binary_node(p, EX_BINARY, OP_COALESCE, l, r) : NULL;
}

static Expr *parse_conditional(Parser *p) {
    Expr *c = parse_coalesce(p);
    if (!c || !is_punct(tk(p, 0), '?'))
        return c;
    p->pos++;
    Expr *e = new_expr(p, EX_CONDITIONAL, c->column);
    if (!e || !(e->b = parse_expr(p)) || expect(p, ':', ":") < 0 || !(e->c = parse_expr(p)))
        return NULL;
    e->a = c;
    return e;
}

static Expr *parse_expr(Parser *p) {
    int saved = p->depth;
    if (++p->depth > EXPR_MAX_DEPTH)
        return too_deep(p);
    Expr *l = parse_conditional(p);
    int ntok, op;
    if (l && (op = peek_assign(p, &ntok))) {
        p->pos += ntok;
        Expr *r = parse_expr(p);
        l = r ? binary_node(p, EX_ASSIGN, op, l, r) : NULL;
    }
    p->depth = saved;
    return l;
}

/* For each bracket token, the index of its partner (-1 if unbalanced), so `(...) =>` and
 * casts are recognised without rescanning. */
static int *match_brackets(Parser *p) {
    int *m = arena_push(p->a, (size_t)p->nt * sizeof *m);
    int *stack = arena_push(p->a, (size_t)p->nt * sizeof *stack);
    int sp = 0;
    if (!m || !stack)
        return NULL;
    for (int i = 0; i < p->nt; i++) {
        const Token *t = &p->t[i];
        m[i] = -1;
        if (t->kind != TK_PUNCT)
            continue;
        if (t->op == '(' || t->op == '[' || t->op == '{') {
            stack[sp++] = i;
        } else if (t->op == ')' || t->op == ']' || t->op == '}') {
            int want = t->op == ')' ? '(' : t->op == ']' ? '[' : '{';
            if (sp && p->t[stack[sp - 1]].op == want) {
                m[i] = stack[--sp];
                m[m[i]] = i;
            }
        }
    }
    return m;
}

static Expr *parse_n_at(Arena *a, const char *src, size_t n, ExprError *err, int depth);

Expr *expr_parse_n(Arena *a, const char *src, size_t n, ExprError *err) { return parse_n_at(a, src, n, err, 0); }

/* A whole expression, nested `depth` deep already (an interpolated string's hole). */
static Expr *parse_n_at(Arena *a, const char *src, size_t n, ExprError *err, int depth) {
    ExprError dummy;
    if (!err)
        err = &dummy;
    memset(err, 0, sizeof *err);
    if (!src)
        src = "", n = 0;
    Parser p = {.a = a, .src = src, .err = err, .depth = depth};
    if (!a)
        return oom(&p);
    p.t = expr_lex(a, src, n, &p.nt, &p.lexerr);
    if (!p.t || !(p.match = match_brackets(&p)))
        return oom(&p);
    Expr *e = parse_expr(&p);
    const Token *t = tk(&p, 0);
    if (e && t->kind != TK_EOF) {
        TokText tt;
        const char *r = refused(&p, p.pos);
        if (r)
            fail(&p, t, "%s", r);
        else
            fail(&p, t, "Invalid token '%s' in expression", tok_text(&p, t, &tt));
    }
    return p.failed ? NULL : e;
}

Expr *expr_parse(Arena *a, const char *text, ExprError *err) {
    return expr_parse_n(a, text, text ? strlen(text) : 0, err);
}

Expr *expr_parse_with_spec(Arena *a, const char *text, const char **spec, ExprError *err) {
    size_t n = text ? strlen(text) : 0, off = 0, len = 0;
    size_t elen = expr_split_spec(text ? text : "", n, &off, &len);
    const char *sp = NULL;
    if (elen < n && a && !(sp = arena_strndup(a, text + off, len))) {
        expr_error(err, 0, "out of memory");
        return NULL;
    }
    if (spec)
        *spec = sp;
    return expr_parse_n(a, text, elen, err);
}
