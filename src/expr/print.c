/* print.c — trees back into text: canonical C# (expr_to_text, expr_type_to_text) with only
 * the parentheses the grammar needs, and an S-expression dump (expr_dump) that shows the
 * tree's shape for tests and for checking that text reads back as the same tree.
 *
 * The parser and this printer must agree: parse(to_text(e)) is e. Three places need more
 * than precedence: a generic name (`F<int>`) is only generic when a token from C#'s list
 * follows it, so elsewhere it gets parentheses; a cast to a name (`(T)x`) only casts when
 * the operand does not start with + or -; and `a < b, c > (d)` reads as a generic call, so
 * expr_to_text checks its result and, if it reads back differently, parenthesises the right
 * side of every `<`. */
#include "expr/expr_internal.h"

#include "base/strbuf.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Pr {
    StrBuf b;
    int    safe;    /* parenthesise names right of `<` */
    int    oom;
} Pr;

/* Printing precedence: binary operators sit at PR_BINARY + expr_binary_prec(op). */
enum { PR_ASSIGN = 1, PR_COND, PR_COALESCE, PR_BINARY = PR_COALESCE, PR_UNARY = 14, PR_PRIMARY,
       PR_ALWAYS };

static void putn(Pr *p, const char *s, size_t n) {
    if (sb_append(&p->b, s, n) < 0)
        p->oom = 1;
}

static void put(Pr *p, const char *s) { putn(p, s, strlen(s)); }

static void putf(Pr *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void putf(Pr *p, const char *fmt, ...) {
    char buf[128];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    put(p, buf);
}

static void insert_at(Pr *p, size_t pos, const char *s) {
    size_t k = strlen(s), old = p->b.len;
    if (p->oom || pos > old)
        return;
    for (size_t i = 0; i < k; i++)
        if (sb_putc(&p->b, ' ') < 0) {
            p->oom = 1;
            return;
        }
    memmove(p->b.data + pos + k, p->b.data + pos, old - pos);
    memcpy(p->b.data + pos, s, k);
}

static char at_pos(const Pr *p, size_t pos) { return pos < p->b.len ? p->b.data[pos] : 0; }

static char *finish(Pr *p, Arena *a) {
    char *s = NULL;
    if (!p->oom)
        s = arena_push_copy(a, p->b.data ? p->b.data : "", p->b.len + 1);
    sb_free(&p->b);
    return s;
}

/* ---- literals ---- */

/* One UTF-16 unit of a char or string literal, escaped where C# needs it or where it
 * would be invisible. */
static void put_unit(Pr *p, uint32_t c, char quote) {
    static const char named[] = {0, 0, 0, 0, 0, 0, 0, 'a', 'b', 't', 'n', 'v', 'f', 'r'};
    if (c == '\\' || c == (uint32_t)quote) {
        char s[3] = {'\\', (char)c, 0};
        put(p, s);
    } else if (c == 0) {
        put(p, "\\0");
    } else if (c < sizeof named && named[c]) {
        char s[3] = {'\\', named[c], 0};
        put(p, s);
    } else if (c < 0x20 || c == 0x7F || (c >= 0x80 && c <= 0x9F) || c == 0x2028 || c == 0x2029 ||
               (c >= 0xD800 && c <= 0xDFFF)) {
        putf(p, "\\u%04X", (unsigned)c);
    } else {
        char s[4];
        putn(p, s, (size_t)expr_utf8_put(s, c));
    }
}

/* Length of the UTF-8 sequence at s[i] (surrogates in their 3-byte form allowed, *cp
 * set), or 0 if it is not one. */
static int seq_len(const unsigned char *s, size_t i, size_t n, uint32_t *cp) {
    unsigned c = s[i];
    int len;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF)
        len = 2, v = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
        len = 3, v = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
        len = 4, v = c & 0x07, min = 0x10000;
    else
        return 0;
    if (n - i < (size_t)len)
        return 0;
    for (int k = 1; k < len; k++) {
        if ((s[i + k] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i + k] & 0x3F);
    }
    if (v < min || v > 0x10FFFF)
        return 0;
    *cp = v;
    return len;
}

/* String bytes: valid UTF-8 as is (escaped where put_unit would), a lone surrogate in its
 * 3-byte form as \uXXXX (the lexer makes that form from such an escape), and any other
 * byte as itself, which reads back as the same byte. */
static void put_string(Pr *p, const char *text, size_t len) {
    const unsigned char *s = (const unsigned char *)(text ? text : "");
    put(p, "\"");
    for (size_t i = 0; i < len;) {
        uint32_t cp, cp2;
        int k = s[i] < 0x80 ? 1 : seq_len(s, i, len, &cp);
        if (s[i] < 0x80) {
            put_unit(p, s[i], '"');
        } else if (!k) {
            putn(p, (const char *)s + i, 1);
            k = 1;
        } else if (cp >= 0xD800 && cp <= 0xDBFF && seq_len(s, i + 3, len, &cp2) == 3 &&
                   cp2 >= 0xDC00 && cp2 <= 0xDFFF) {
            /* Printed as two escapes, a high and a low surrogate would join into one
             * code point when read back; as bytes they stay what they are. */
            putn(p, (const char *)s + i, 6);
            k = 6;
        } else if (cp >= 0x80 && cp <= 0x9F) {
            put_unit(p, cp, '"');
        } else if (cp == 0x2028 || cp == 0x2029 || (cp >= 0xD800 && cp <= 0xDFFF)) {
            put_unit(p, cp, '"');
        } else {
            putn(p, (const char *)s + i, (size_t)k);
        }
        i += (size_t)k;
    }
    put(p, "\"");
}

/* The shortest decimal that reads back as v (as a float when is_float), in positional
 * form for ordinary magnitudes and with an exponent otherwise. */
static void put_real(Pr *p, double v, int is_float) {
    const char *ty = is_float ? "float" : "double";
    if (isnan(v)) {
        putf(p, "%s.NaN", ty);
        return;
    }
    if (isinf(v)) {
        putf(p, "%s.%s", ty, v < 0 ? "NegativeInfinity" : "PositiveInfinity");
        return;
    }
    if (signbit(v)) {
        put(p, "-");
        v = -v;
    }
    char buf[64];
    /* printf and strtod follow LC_NUMERIC; C# text is always the C locale's. */
    locale_t c = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    locale_t old = c ? uselocale(c) : (locale_t)0;
    for (int prec = 1; prec <= 17; prec++) {
        snprintf(buf, sizeof buf, "%.*e", prec - 1, v);
        if (is_float ? strtof(buf, NULL) == (float)v : strtod(buf, NULL) == v)
            break;
    }
    if (c) {
        uselocale(old);
        freelocale(c);
    }
    char digits[32];
    int nd = 0;
    const char *q = buf;
    for (; *q && *q != 'e' && nd < 31; q++)
        if (*q >= '0' && *q <= '9')
            digits[nd++] = *q;
    while (nd > 1 && digits[nd - 1] == '0')
        nd--;
    int exp = *q == 'e' ? atoi(q + 1) : 0;
    if (v == 0)
        nd = 1, exp = 0;
    if (exp >= -5 && exp < 15) {
        if (exp >= 0) {
            for (int k = 0; k <= exp; k++)
                putn(p, k < nd ? &digits[k] : "0", 1);
            if (nd > exp + 1) {
                put(p, ".");
                putn(p, digits + exp + 1, (size_t)(nd - exp - 1));
            } else if (!is_float) {
                put(p, ".0");
            }
        } else {
            put(p, "0.");
            for (int k = 0; k < -exp - 1; k++)
                put(p, "0");
            putn(p, digits, (size_t)nd);
        }
    } else {
        putn(p, digits, 1);
        if (nd > 1) {
            put(p, ".");
            putn(p, digits + 1, (size_t)(nd - 1));
        }
        putf(p, "E%c%d", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
    }
    if (is_float)
        put(p, "f");
}

static void put_lit(Pr *p, const ExprLit *l) {
    switch (l->kind) {
    case LIT_NULL: put(p, "null"); break;
    case LIT_BOOL: put(p, l->u ? "true" : "false"); break;
    case LIT_CHAR:
        put(p, "'");
        put_unit(p, (uint32_t)(l->u & 0xFFFF), '\'');
        put(p, "'");
        break;
    case LIT_STRING: put_string(p, l->text, l->len); break;
    case LIT_INT: putf(p, "%d", (int)(int32_t)(uint32_t)l->u); break;
    case LIT_UINT: putf(p, "%uu", (unsigned)(uint32_t)l->u); break;
    case LIT_LONG: putf(p, "%lldL", (long long)(int64_t)l->u); break;
    case LIT_ULONG: putf(p, "%lluUL", (unsigned long long)l->u); break;
    case LIT_FLOAT: put_real(p, l->d, 1); break;
    case LIT_DOUBLE: put_real(p, l->d, 0); break;
    case LIT_DECIMAL:
        put(p, l->text ? l->text : "0");
        put(p, "m");
        break;
    }
}

static int lit_negative(const ExprLit *l) {
    return (l->kind == LIT_INT && (int32_t)(uint32_t)l->u < 0) ||
           (l->kind == LIT_LONG && (int64_t)l->u < 0) ||
           ((l->kind == LIT_FLOAT || l->kind == LIT_DOUBLE) && signbit(l->d));
}

char *expr_lit_to_text(Arena *a, const ExprLit *l) {
    Pr p = {0};
    put_lit(&p, l);
    return finish(&p, a);
}

/* ---- types ---- */

/* A name that is a keyword was written @name; dotted names are checked part by part
 * (parts inside <...> were printed canonically already). */
static void put_ident(Pr *p, const char *name) {
    if (!name) {
        put(p, "?");
        return;
    }
    int depth = 0;
    for (const char *s = name; *s;) {
        if (depth == 0 && (s == name || s[-1] == '.')) {
            size_t k = strcspn(s, ".<");
            char part[64];
            if (k && k < sizeof part) {
                memcpy(part, s, k);
                part[k] = 0;
                if (expr_keyword(part) != KW_NONE)
                    put(p, "@");
            }
        }
        depth += *s == '<' ? 1 : *s == '>' ? -1 : 0;
        putn(p, s++, 1);
    }
}

static void put_type(Pr *p, const ExprType *t, int with_ranks);

static void put_targs(Pr *p, ExprType *const *args, int n) {
    if (n <= 0)
        return;
    put(p, "<");
    for (int k = 0; k < n; k++) {
        if (k)
            put(p, ", ");
        put_type(p, args ? args[k] : NULL, 1);
    }
    put(p, ">");
}

static void put_ranks(Pr *p, const ExprType *t) {
    for (int k = 0; t->ranks && k < t->nranks; k++) {
        put(p, "[");
        for (int r = 1; r < t->ranks[k]; r++)
            put(p, ",");
        put(p, "]");
    }
}

static void put_type(Pr *p, const ExprType *t, int with_ranks) {
    if (!t) {
        put(p, "?");
        return;
    }
    if (t->is_keyword)
        put(p, t->name ? t->name : "?");
    else
        put_ident(p, t->name);
    put_targs(p, t->args, t->nargs);
    if (t->nullable)
        put(p, "?");
    for (int k = 0; k < t->pointer; k++)
        put(p, "*");
    if (with_ranks)
        put_ranks(p, t);
}

char *expr_type_to_text(Arena *a, const ExprType *t) {
    Pr p = {0};
    put_type(&p, t, 1);
    return finish(&p, a);
}

/* ---- C# text ---- */

const char *expr_op_text(int op) {
    switch (op) {
    case OP_EQ: return "==";
    case OP_NE: return "!=";
    case OP_LE: return "<=";
    case OP_GE: return ">=";
    case OP_ANDAND: return "&&";
    case OP_OROR: return "||";
    case OP_SHL: return "<<";
    case OP_SHR: return ">>";
    case OP_USHR: return ">>>";
    case OP_COALESCE: return "??";
    case OP_PREINC: case OP_POSTINC: return "++";
    case OP_PREDEC: case OP_POSTDEC: return "--";
    case '+': return "+";
    case '-': return "-";
    case '*': return "*";
    case '/': return "/";
    case '%': return "%";
    case '&': return "&";
    case '|': return "|";
    case '^': return "^";
    case '<': return "<";
    case '>': return ">";
    case '!': return "!";
    case '~': return "~";
    case '=': return "=";
    default: return "?";
    }
}

static int node_prec(const Expr *e) {
    switch (e->kind) {
    case EX_ASSIGN: return PR_ASSIGN;
    case EX_CONDITIONAL: return PR_COND;
    case EX_BINARY:
        return e->op == OP_COALESCE ? PR_COALESCE : PR_BINARY + expr_binary_prec(e->op);
    case EX_IS: case EX_AS: return PR_BINARY + EXPR_PREC_RELATIONAL;
    case EX_UNARY:
        return e->op == OP_POSTINC || e->op == OP_POSTDEC ? PR_PRIMARY : PR_UNARY;
    case EX_CAST: return PR_UNARY;
    case EX_WITH: return PR_BINARY + 10;   /* between unary and multiplicative */
    case EX_LITERAL: return lit_negative(&e->lit) ? PR_UNARY : PR_PRIMARY;
    default: return PR_PRIMARY;
    }
}

/* The operators after which `F<T>` still reads as generic (§6.2.5's list). */
static int generic_safe_after(int op) {
    return op == OP_EQ || op == OP_NE || op == '|' || op == '^' || op == OP_ANDAND ||
           op == OP_OROR || op == '&';
}

static int definite_type(const ExprType *t) {
    return t && (t->is_keyword || t->nullable || t->pointer || t->nranks);
}

static void pr(Pr *p, const Expr *e, int min, int follow_ok);

static void pr_list(Pr *p, Expr *const *v, int n) {
    for (int k = 0; k < n; k++) {
        if (k)
            put(p, ", ");
        pr(p, v ? v[k] : NULL, PR_ASSIGN, 1);
    }
}

/* An argument list with C#'s named arguments: `1, c: 5`. */
static void pr_args(Pr *p, const Expr *e) {
    for (int k = 0; k < e->nargs; k++) {
        if (k)
            put(p, ", ");
        if (e->arg_names && e->arg_names[k]) {
            put_ident(p, e->arg_names[k]);
            put(p, ": ");
        }
        pr(p, e->args ? e->args[k] : NULL, PR_ASSIGN, 1);
    }
}

/* e's text; follow_ok says the token after it keeps a generic name generic. */
static void pr_body(Pr *p, const Expr *e, int follow_ok) {
    switch (e->kind) {
    case EX_LITERAL:
        put_lit(p, &e->lit);
        break;
    case EX_NAME:
        put_ident(p, e->name);
        put_targs(p, e->type_args, e->ntype_args);
        break;
    case EX_THIS: put(p, "this"); break;
    case EX_BASE: put(p, "base"); break;
    case EX_MEMBER:
        pr(p, e->a, PR_PRIMARY, 1);
        put(p, e->conditional ? "?." : ".");
        put_ident(p, e->name);
        put_targs(p, e->type_args, e->ntype_args);
        break;
    case EX_INDEX:
        /* `new int[3][0]` would read as a jagged array type. */
        pr(p, e->a, e->a && e->a->kind == EX_NEW_ARRAY && !e->a->items ? PR_ALWAYS : PR_PRIMARY, 1);
        put(p, e->conditional ? "?[" : "[");
        pr_list(p, e->args, e->nargs);
        put(p, "]");
        break;
    case EX_CALL:
        pr(p, e->a, PR_PRIMARY, 1);
        put(p, "(");
        pr_args(p, e);
        put(p, ")");
        break;
    case EX_NEW:
        put(p, "new ");
        put_type(p, e->type, 1);
        put(p, "(");
        pr_args(p, e);
        put(p, ")");
        break;
    case EX_NEW_ARRAY:
        if (!e->type) {
            put(p, "new[]");
        } else {
            put(p, "new ");
            put_type(p, e->type, 0);
            put(p, "[");
            pr_list(p, e->args, e->nargs);
            put(p, "]");
            put_ranks(p, e->type);
        }
        if (e->items) {
            put(p, " {");
            for (int k = 0; k < e->nitems; k++) {
                put(p, k ? ", " : " ");
                pr(p, e->items[k], PR_ASSIGN, 1);
            }
            put(p, " }");
        }
        break;
    case EX_UNARY:
        if (e->op == OP_POSTINC || e->op == OP_POSTDEC) {
            pr(p, e->a, PR_PRIMARY, 0);
            put(p, expr_op_text(e->op));
        } else {
            const char *op = expr_op_text(e->op);
            put(p, op);
            size_t mark = p->b.len;
            pr(p, e->a, PR_UNARY, follow_ok);
            /* - -x, not --x; + +x, not ++x */
            char last = op[strlen(op) - 1], first = at_pos(p, mark);
            if ((last == '-' || last == '+') && first == last)
                insert_at(p, mark, " ");
        }
        break;
    case EX_BINARY: {
        int prec = node_prec(e), coalesce = e->op == OP_COALESCE;
        int lmin = coalesce ? prec + 1 : prec, rmin = coalesce ? prec : prec + 1;
        /* `x is T < y`: the type would take `<` as the start of its type arguments. */
        if (e->op == '<' && e->a && (e->a->kind == EX_IS || e->a->kind == EX_AS))
            lmin = PR_ALWAYS;
        if (p->safe && e->op == '<' && e->b && (e->b->kind == EX_NAME || e->b->kind == EX_MEMBER))
            rmin = PR_ALWAYS;
        pr(p, e->a, lmin, generic_safe_after(e->op));
        put(p, " ");
        put(p, expr_op_text(e->op));
        put(p, " ");
        pr(p, e->b, rmin, follow_ok);
        break;
    }
    case EX_CONDITIONAL:
        pr(p, e->a, PR_COALESCE, 1);
        put(p, " ? ");
        pr(p, e->b, PR_ASSIGN, 1);
        put(p, " : ");
        pr(p, e->c, PR_ASSIGN, follow_ok);
        break;
    case EX_ASSIGN:
        pr(p, e->a, PR_COALESCE, 0);
        put(p, " ");
        if (e->op != '=')
            put(p, expr_op_text(e->op));
        put(p, "= ");
        pr(p, e->b, PR_ASSIGN, follow_ok);
        break;
    case EX_IS:
    case EX_AS:
        pr(p, e->a, PR_BINARY + EXPR_PREC_RELATIONAL, 0);
        put(p, e->kind == EX_AS ? " as " : e->negated ? " is not " : " is ");
        if (e->kind == EX_IS && !e->type)
            put(p, "null");
        else
            put_type(p, e->type, 1);
        break;
    case EX_CAST: {
        put(p, "(");
        put_type(p, e->type, 1);
        put(p, ")");
        size_t mark = p->b.len;
        pr(p, e->a, PR_UNARY, follow_ok);
        /* (T)-x subtracts unless T can only be a type: (T)(-x). */
        char first = at_pos(p, mark);
        if (!definite_type(e->type) && (first == '-' || first == '+')) {
            insert_at(p, mark, "(");
            put(p, ")");
        }
        break;
    }
    case EX_TYPEOF:
    case EX_SIZEOF:
        put(p, e->kind == EX_TYPEOF ? "typeof(" : "sizeof(");
        put_type(p, e->type, 1);
        put(p, ")");
        break;
    case EX_DEFAULT:
        if (!e->type) {
            put(p, "default");
            break;
        }
        put(p, "default(");
        put_type(p, e->type, 1);
        put(p, ")");
        break;
    case EX_CHECKED:
        put(p, e->checked ? "checked(" : "unchecked(");
        pr(p, e->a, PR_ASSIGN, 1);
        put(p, ")");
        break;
    case EX_TYPE:
        put_type(p, e->type, 1);
        break;
    case EX_TUPLE:
        put(p, "(");
        for (int k = 0; k < e->nitems; k++) {
            if (k)
                put(p, ", ");
            if (e->names && e->names[k])
                putf(p, "%s: ", e->names[k]);
            pr(p, e->items[k], PR_ASSIGN, 1);
        }
        put(p, ")");
        break;
    case EX_INTERP:
        /* Each piece as a hole: {"text"} reads back as the same string. */
        put(p, "$\"");
        for (int k = 0; k < e->nitems; k++) {
            put(p, "{");
            pr(p, e->items[k], PR_ASSIGN + 1, 1);
            if (e->aligns && e->aligns[k])
                putf(p, ",%d", e->aligns[k]);
            if (e->names && e->names[k])
                putf(p, ":%s", e->names[k]);
            put(p, "}");
        }
        put(p, "\"");
        break;
    case EX_WITH:
        pr(p, e->a, PR_UNARY, 1);
        put(p, " with { ");
        for (int k = 0; k < e->nitems; k++) {
            putf(p, "%s%s = ", k ? ", " : "", e->names[k]);
            pr(p, e->items[k], PR_ASSIGN, 1);
        }
        put(p, " }");
        break;
    }
}

static void pr(Pr *p, const Expr *e, int min, int follow_ok) {
    if (!e) {
        put(p, "?");
        return;
    }
    int paren = node_prec(e) < min;
    if (!follow_ok && (e->kind == EX_NAME || e->kind == EX_MEMBER) && e->ntype_args > 0)
        paren = 1;
    if (paren)
        put(p, "(");
    pr_body(p, e, paren ? 1 : follow_ok);
    if (paren)
        put(p, ")");
}

static char *render(Arena *a, const Expr *e, int safe) {
    Pr p = {.safe = safe};
    pr(&p, e, PR_ASSIGN, 1);
    return finish(&p, a);
}

void expr_error_text(const ExprError *err, char *out, size_t cap) {
    if (err->column) snprintf(out, cap, "%s (column %d)", err->msg, err->column);
    else snprintf(out, cap, "%s", err->msg);
}

char *expr_to_text(Arena *a, const Expr *e) {
    char *t = render(a, e, 0);
    if (!t || !e)
        return t;
    ExprError err;
    Expr *back = expr_parse_n(a, t, strlen(t), &err);
    char *d0 = expr_dump(a, e), *d1 = back ? expr_dump(a, back) : NULL;
    if (d0 && d1 && strcmp(d0, d1) == 0)
        return t;
    char *s = render(a, e, 1);
    return s ? s : t;
}

/* ---- S-expression dump ---- */

static void dump(Pr *p, const Expr *e);

static void dump_list(Pr *p, Expr *const *v, int n) {
    for (int k = 0; k < n; k++) {
        put(p, " ");
        dump(p, v ? v[k] : NULL);
    }
}

/* Arguments, a named one as `(: name value)`. */
static void dump_args(Pr *p, const Expr *e) {
    for (int k = 0; k < e->nargs; k++) {
        put(p, " ");
        if (e->arg_names && e->arg_names[k]) {
            put(p, "(: ");
            put_ident(p, e->arg_names[k]);
            put(p, " ");
        }
        dump(p, e->args ? e->args[k] : NULL);
        if (e->arg_names && e->arg_names[k])
            put(p, ")");
    }
}

static void dump(Pr *p, const Expr *e) {
    if (!e) {
        put(p, "?");
        return;
    }
    switch (e->kind) {
    case EX_LITERAL:
        put_lit(p, &e->lit);
        return;
    case EX_NAME:
        put_ident(p, e->name);
        put_targs(p, e->type_args, e->ntype_args);
        return;
    case EX_THIS: put(p, "this"); return;
    case EX_BASE: put(p, "base"); return;
    case EX_DEFAULT:
        if (!e->type) {
            put(p, "default");
            return;
        }
        break;
    default:
        break;
    }
    put(p, "(");
    switch (e->kind) {
    case EX_MEMBER:
        put(p, e->conditional ? "?. " : ". ");
        dump(p, e->a);
        put(p, " ");
        put_ident(p, e->name);
        put_targs(p, e->type_args, e->ntype_args);
        break;
    case EX_INDEX:
        put(p, e->conditional ? "?[] " : "[] ");
        dump(p, e->a);
        dump_list(p, e->args, e->nargs);
        break;
    case EX_CALL:
        put(p, "call ");
        dump(p, e->a);
        dump_args(p, e);
        break;
    case EX_NEW:
        put(p, "new ");
        put_type(p, e->type, 1);
        dump_args(p, e);
        break;
    case EX_NEW_ARRAY:
        put(p, "new-array ");
        if (e->type)
            put_type(p, e->type, 1);
        else
            put(p, "-");
        if (e->nargs) {
            put(p, " [");
            for (int k = 0; k < e->nargs; k++) {
                if (k)
                    put(p, " ");
                dump(p, e->args[k]);
            }
            put(p, "]");
        }
        if (e->items) {
            put(p, " {");
            for (int k = 0; k < e->nitems; k++) {
                if (k)
                    put(p, " ");
                dump(p, e->items[k]);
            }
            put(p, "}");
        }
        break;
    case EX_UNARY:
        put(p, e->op == OP_PREINC || e->op == OP_PREDEC ? "pre" : e->op == OP_POSTINC || e->op == OP_POSTDEC ? "post" : "");
        put(p, expr_op_text(e->op));
        put(p, " ");
        dump(p, e->a);
        break;
    case EX_BINARY:
    case EX_ASSIGN:
        put(p, e->kind == EX_ASSIGN && e->op != '=' ? expr_op_text(e->op) : "");
        put(p, e->kind == EX_ASSIGN ? "= " : expr_op_text(e->op));
        if (e->kind == EX_BINARY)
            put(p, " ");
        dump(p, e->a);
        put(p, " ");
        dump(p, e->b);
        break;
    case EX_CONDITIONAL:
        put(p, "?: ");
        dump(p, e->a);
        put(p, " ");
        dump(p, e->b);
        put(p, " ");
        dump(p, e->c);
        break;
    case EX_IS:
    case EX_AS:
        put(p, e->kind == EX_AS ? "as " : e->negated ? "is-not " : "is ");
        dump(p, e->a);
        put(p, " ");
        if (e->type)
            put_type(p, e->type, 1);
        else
            put(p, "null");
        break;
    case EX_CAST:
        put(p, "cast ");
        put_type(p, e->type, 1);
        put(p, " ");
        dump(p, e->a);
        break;
    case EX_TYPEOF:
    case EX_SIZEOF:
    case EX_DEFAULT:
    case EX_TYPE:
        put(p, e->kind == EX_TYPEOF ? "typeof " : e->kind == EX_SIZEOF ? "sizeof " : e->kind == EX_DEFAULT ? "default " : "type ");
        put_type(p, e->type, 1);
        break;
    case EX_CHECKED:
        put(p, e->checked ? "checked " : "unchecked ");
        dump(p, e->a);
        break;
    case EX_TUPLE:
        put(p, "tuple");
        for (int k = 0; k < e->nitems; k++) {
            put(p, " ");
            if (e->names[k])
                putf(p, "%s: ", e->names[k]);
            dump(p, e->items[k]);
        }
        break;
    case EX_INTERP:
        put(p, "$");
        for (int k = 0; k < e->nitems; k++) {
            put(p, " ");
            if (e->aligns[k] || e->names[k])
                put(p, "{");
            dump(p, e->items[k]);
            if (e->aligns[k])
                putf(p, ",%d", e->aligns[k]);
            if (e->names[k])
                putf(p, ":%s", e->names[k]);
            if (e->aligns[k] || e->names[k])
                put(p, "}");
        }
        break;
    case EX_WITH:
        put(p, "with ");
        dump(p, e->a);
        for (int k = 0; k < e->nitems; k++) {
            putf(p, " (= %s ", e->names[k]);
            dump(p, e->items[k]);
            put(p, ")");
        }
        break;
    default:
        break;
    }
    put(p, ")");
}

char *expr_dump(Arena *a, const Expr *e) {
    Pr p = {0};
    dump(&p, e);
    return finish(&p, a);
}
