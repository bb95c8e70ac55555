/* template.c — text that is scanned for brackets rather than parsed: the format specifier
 * after a top-level comma ("x, h") and templates ("a {expr} b {expr,nq}") for log points
 * and DebuggerDisplay. Braces and commas inside string and char literals never count. */
#include "expr/expr_internal.h"

#include <string.h>

static size_t quotes_at(const char *s, size_t i, size_t n) {
    size_t k = i;
    while (k < n && s[k] == '"')
        k++;
    return k - i;
}

size_t expr_skip_literal(const char *s, size_t i, size_t n) {
    size_t j = i;
    int verbatim = 0;
    while (j < n && (s[j] == '$' || s[j] == '@')) {
        verbatim |= s[j] == '@';
        j++;
    }
    if (j >= n)
        return i;
    if (s[j] == '\'' && j == i) {
        for (size_t k = j + 1; k < n; k++) {
            if (s[k] == '\\')
                k++;
            else if (s[k] == '\'')
                return k + 1;
            else if (s[k] == '\n' || s[k] == '\r')
                return k;
        }
        return n;
    }
    if (s[j] != '"')
        return i;
    size_t q = quotes_at(s, j, n);
    if (q >= 3) {
        /* raw: ends at the next run of as many quotes */
        for (size_t k = j + q; k < n;) {
            size_t r = quotes_at(s, k, n);
            if (r >= q)
                return k + r;
            k += r ? r : 1;
        }
        return n;
    }
    for (size_t k = j + 1; k < n; k++) {
        if (verbatim) {
            if (s[k] == '"') {
                if (k + 1 < n && s[k + 1] == '"')
                    k++;
                else
                    return k + 1;
            }
        } else if (s[k] == '\\') {
            k++;
        } else if (s[k] == '"') {
            return k + 1;
        } else if (s[k] == '\n' || s[k] == '\r') {
            return k;
        }
    }
    return n;
}

static int is_space(char c) {
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_word(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* The last top-level comma is the one that counts: in "F<int, T>.X, h" only ", h" is
 * followed by a bare word. Angle brackets are not tracked (`a < b, c > d` is ambiguous
 * anyway); a generic argument list rarely ends in a bare word. */
size_t expr_split_spec(const char *s, size_t n, size_t *spec_off, size_t *spec_len) {
    int depth = 0;
    size_t comma = n;
    for (size_t i = 0; i < n;) {
        size_t j = expr_skip_literal(s, i, n);
        if (j != i) {
            i = j;
            continue;
        }
        char c = s[i];
        if (c == '(' || c == '[' || c == '{')
            depth++;
        else if ((c == ')' || c == ']' || c == '}') && depth > 0)
            depth--;
        else if (c == ',' && depth == 0)
            comma = i;
        i++;
    }
    if (comma == n)
        return n;
    size_t a = comma + 1, b = n;
    while (a < b && is_space(s[a]))
        a++;
    while (b > a && is_space(s[b - 1]))
        b--;
    if (a == b)
        return n;
    for (size_t k = a; k < b; k++)
        if (!is_word(s[k]))
            return n;
    *spec_off = a;
    *spec_len = b - a;
    return comma;
}

typedef struct Parts {
    ExprTemplatePart *v;
    int n, cap;
} Parts;

static int add_part(Arena *a, Parts *ps, ExprTemplatePart part) {
    if (ps->n == ps->cap) {
        int cap = ps->cap ? ps->cap * 2 : 8;
        ExprTemplatePart *v = arena_push(a, (size_t)cap * sizeof *v);
        if (!v)
            return -1;
        if (ps->n)
            memcpy(v, ps->v, (size_t)ps->n * sizeof *v);
        ps->v = v;
        ps->cap = cap;
    }
    ps->v[ps->n++] = part;
    return 0;
}

/* The literal run collected so far in buf becomes a part. */
static int flush_literal(Arena *a, Parts *ps, char *buf, size_t *len, int column) {
    if (!*len)
        return 0;
    ExprTemplatePart part = {.is_hole = 0, .text = arena_strndup(a, buf, *len), .column = column};
    *len = 0;
    return part.text ? add_part(a, ps, part) : -1;
}

int expr_template_split(Arena *a, const char *text, ExprTemplatePart **parts, int *nparts, ExprError *err) {
    return expr_template_split_ex(a, text, 0, parts, nparts, err);
}

int expr_template_split_ex(Arena *a, const char *text, int flags, ExprTemplatePart **parts, int *nparts,
                           ExprError *err) {
    const char *s = text ? text : "";
    size_t n = strlen(s), len = 0;
    Parts ps = {0};
    char *buf = a ? arena_push(a, n + 1) : NULL;
    int lit_col = 1, col = 1;     /* col: column of s[i], kept in step with i */
    if (err)
        memset(err, 0, sizeof *err);
    *parts = NULL;
    *nparts = 0;
    if (!buf)
        goto oom;
    for (size_t i = 0; i < n;) {
        char c = s[i];
        /* \{ and \} are literal braces, as the runtime's DebuggerDisplay and VS's tracepoints
         * read them (the compiler's anonymous types: "\{ A = {A} }"). */
        if (c == '\\' && i + 1 < n && (s[i + 1] == '{' || s[i + 1] == '}')) {
            if (!len)
                lit_col = col;
            buf[len++] = s[i + 1];
            i += 2;
            col += 2;
            continue;
        }
        if ((c == '{' || c == '}') && i + 1 < n && s[i + 1] == c) {
            if (!len)
                lit_col = col;
            buf[len++] = c;
            i += 2;
            col += 2;
            continue;
        }
        if (c == '}' && !(flags & EXPR_TEMPLATE_LENIENT)) {
            expr_error(err, col, "stray '}' in template; write '}}' for a literal '}'");
            return -1;
        }
        if (c != '{') {     /* a lenient template's stray '}' is text, as the runtime shows it */
            if (!len)
                lit_col = col;
            buf[len++] = c;
            col += expr_new_column(s, i);
            i++;
            continue;
        }
        if (flush_literal(a, &ps, buf, &len, lit_col) < 0)
            goto oom;
        /* The hole runs to the '}' that balances its '{', past literals and nested braces. */
        size_t start = i + 1, j = start;
        int depth = 0;
        while (j < n) {
            size_t k = expr_skip_literal(s, j, n);
            if (k != j) {
                j = k;
                continue;
            }
            if (s[j] == '{')
                depth++;
            else if (s[j] == '}' && depth-- == 0)
                break;
            j++;
        }
        if (j >= n) {
            expr_error(err, expr_column(s, n), "'}' expected");
            return -1;
        }
        size_t off = 0, slen = 0, elen = expr_split_spec(s + start, j - start, &off, &slen);
        size_t e0 = start, e1 = start + elen;
        while (e0 < e1 && is_space(s[e0]))
            e0++;
        while (e1 > e0 && is_space(s[e1 - 1]))
            e1--;
        if (e0 == e1) {
            expr_error(err, col, "expression expected inside '{}'");
            return -1;
        }
        ExprTemplatePart part = {.is_hole = 1, .text = arena_strndup(a, s + e0, e1 - e0),
                                 .column = col + expr_column(s + i, e0 - i) - 1};
        if (elen < j - start && !(part.spec = arena_strndup(a, s + start + off, slen)))
            goto oom;
        if (!part.text || add_part(a, &ps, part) < 0)
            goto oom;
        col += expr_column(s + i, j + 1 - i) - 1;
        i = j + 1;
    }
    if (flush_literal(a, &ps, buf, &len, lit_col) < 0)
        goto oom;
    if (!ps.v && !(ps.v = arena_push(a, sizeof *ps.v)))
        goto oom;
    *parts = ps.v;
    *nparts = ps.n;
    return 0;
oom:
    expr_error(err, 0, "out of memory");
    return -1;
}
