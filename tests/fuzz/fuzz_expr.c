// fuzz_expr.c — libFuzzer target for src/expr: any bytes (up to the first NUL) are parsed as
// an expression, as an expression with a format specifier, and as a template whose holes are
// parsed in turn. Nothing may crash, hang or leak; a failed parse must say something with a
// column inside the text; and every tree that parses must print as text that parses back to
// the same tree (same S-expression dump) and prints the same again.
//   scripts/fuzz.sh 600 expr
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "expr/expr.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok, const char *what, const char *text) {
    if (!ok) {
        fprintf(stderr, "fuzz_expr: %s\n  input: %s\n", what, text ? text : "(null)");
        abort();   // libFuzzer reports the crash and saves the input
    }
}

// Characters as src/expr counts them for columns: a continuation byte starts one only after
// an ASCII byte (a stray one).
static int columns(const char *s) {
    int n = 0;
    for (size_t i = 0; s[i]; i++)
        n += ((unsigned char)s[i] & 0xC0) != 0x80 || i == 0 || (unsigned char)s[i - 1] < 0x80;
    return n;
}

static void check_error(const ExprError *err, const char *text) {
    require(err->msg[0] != 0, "error without a message", text);
    require(err->column >= 0 && err->column <= columns(text) + 1, "error column outside the text", text);
}

// Every node's column lies inside the text it was parsed from.
static void check_columns(const Expr *e, int ncols, const char *text) {
    if (!e)
        return;
    require(e->column >= 1 && e->column <= ncols, "node column outside the text", text);
    check_columns(e->a, ncols, text);
    check_columns(e->b, ncols, text);
    check_columns(e->c, ncols, text);
    for (int k = 0; k < e->nargs; k++)
        check_columns(e->args[k], ncols, text);
    for (int k = 0; k < e->nitems; k++)
        check_columns(e->items[k], ncols, text);
}

static void round_trip(Arena *a, const Expr *e, const char *text) {
    check_columns(e, columns(text), text);
    char *t1 = expr_to_text(a, e), *d1 = expr_dump(a, e);
    require(t1 && d1, "no text for a tree", text);
    ExprError err;
    Expr *e2 = expr_parse(a, t1, &err);
    if (!e2 && strcmp(err.msg, "expression is too deeply nested") == 0)
        return;   // printing can add a parenthesis that tips a tree at the limit over it
    if (!e2)
        fprintf(stderr, "printed: %s\nerror: %d: %s\n", t1, err.column, err.msg);
    require(e2 != NULL, "printed text does not parse", text);
    char *t2 = expr_to_text(a, e2), *d2 = expr_dump(a, e2);
    if (strcmp(d1, d2) != 0 || strcmp(t1, t2) != 0)
        fprintf(stderr, "printed: %s\nreprinted: %s\ndump: %s\nredump: %s\n", t1, t2, d1, d2);
    require(strcmp(d1, d2) == 0, "printed text parses to another tree", text);
    require(strcmp(t1, t2) == 0, "printing is not stable", text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    char *s = malloc(size + 1);
    Arena *a = arena_new();
    if (!s || !a) {
        free(s);
        arena_free(a);
        return 0;
    }
    memcpy(s, data, size);
    s[size] = 0;

    ExprError err;
    Expr *e = expr_parse(a, s, &err);
    if (e)
        round_trip(a, e, s);
    else
        check_error(&err, s);

    const char *spec = NULL;
    e = expr_parse_with_spec(a, s, &spec, &err);
    if (e)
        round_trip(a, e, s);
    else
        check_error(&err, s);
    if (spec) {
        require(spec[0] != 0, "empty format specifier", s);
        require(strcspn(spec, " \t,") == strlen(spec), "format specifier not trimmed", s);
    }

    ExprTemplatePart *parts = NULL;
    int n = 0;
    if (expr_template_split(a, s, &parts, &n, &err) == 0) {
        for (int k = 0; k < n; k++) {
            require(parts[k].text != NULL && parts[k].column >= 1 && parts[k].column <= columns(s),
                    "bad template part", s);
            if (!parts[k].is_hole)
                continue;
            require(parts[k].text[0] != 0, "empty hole", s);
            Expr *h = expr_parse(a, parts[k].text, &err);
            if (h)
                round_trip(a, h, parts[k].text);
            else
                check_error(&err, parts[k].text);
        }
    } else {
        check_error(&err, s);
    }

    arena_free(a);
    free(s);
    return 0;
}
