// test_expr.c — the C# expression parser (src/expr): every literal form with its C# type and
// value, precedence and associativity (through expr_dump's S-expressions), C#'s cast and
// generic-name rules, the refused constructs and every error with its column, canonical text
// and its round trip, format specifiers, templates, and arbitrary bytes.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/strbuf.h"
#include "expr/expr.h"
#include "unit.h"

// The tree as an S-expression, or "error COLUMN: MESSAGE".
static const char *dump(Arena *a, const char *src) {
    ExprError err;
    Expr *e = expr_parse(a, src, &err);
    if (!e)
        return arena_printf(a, "error %d: %s", err.column, err.msg);
    return expr_dump(a, e);
}

// Canonical text, after checking that it reads back as the same tree and prints the same.
static const char *text(Arena *a, const char *src) {
    ExprError err;
    Expr *e = expr_parse(a, src, &err);
    if (!e)
        return arena_printf(a, "error %d: %s", err.column, err.msg);
    char *t = expr_to_text(a, e);
    Expr *back = expr_parse(a, t, &err);
    if (!back)
        return arena_printf(a, "reparse of <%s> failed: %d: %s", t, err.column, err.msg);
    if (strcmp(expr_dump(a, e), expr_dump(a, back)) != 0)
        return arena_printf(a, "<%s> reads back as %s, not %s", t, expr_dump(a, back), expr_dump(a, e));
    if (strcmp(t, expr_to_text(a, back)) != 0)
        return arena_printf(a, "<%s> prints again as <%s>", t, expr_to_text(a, back));
    return t;
}

static const Expr *lit(Arena *a, const char *src) {
    ExprError err;
    Expr *e = expr_parse(a, src, &err);
    if (!e)
        fprintf(stderr, "  %s: error %d: %s\n", src, err.column, err.msg);
    return e && e->kind == EX_LITERAL ? e : NULL;
}

#define CHECK_INT_LIT(src, kind_, value)                                    \
    do {                                                                    \
        const Expr *e_ = lit(a, src);                                       \
        CHECK(e_ != NULL);                                                  \
        if (e_) {                                                           \
            CHECK_EQ_INT(e_->lit.kind, kind_);                              \
            CHECK(e_->lit.u == (uint64_t)(value));                          \
        }                                                                   \
    } while (0)

#define CHECK_REAL_LIT(src, kind_, value)                                   \
    do {                                                                    \
        const Expr *e_ = lit(a, src);                                       \
        CHECK(e_ != NULL);                                                  \
        if (e_) {                                                           \
            CHECK_EQ_INT(e_->lit.kind, kind_);                              \
            CHECK(e_->lit.d == (value));                                    \
        }                                                                   \
    } while (0)

#define CHECK_STR_LIT(src, bytes)                                           \
    do {                                                                    \
        const Expr *e_ = lit(a, src);                                       \
        CHECK(e_ != NULL && e_->lit.kind == LIT_STRING);                    \
        if (e_) {                                                           \
            CHECK_EQ_INT(e_->lit.len, sizeof(bytes) - 1);                   \
            CHECK_EQ_MEM(e_->lit.text, bytes, sizeof(bytes) - 1);           \
        }                                                                   \
    } while (0)

#define CHECK_DUMP(src, want) CHECK_EQ_STR(dump(a, src), want)
#define CHECK_TEXT(src, want) CHECK_EQ_STR(text(a, src), want)

TEST(integer_literal_types) {
    Arena *a = arena_new();
    CHECK_INT_LIT("0", LIT_INT, 0);
    CHECK_INT_LIT("2147483647", LIT_INT, 2147483647);
    CHECK_INT_LIT("2147483648", LIT_UINT, 2147483648u);
    CHECK_INT_LIT("4294967295", LIT_UINT, 4294967295u);
    CHECK_INT_LIT("4294967296", LIT_LONG, 4294967296u);
    CHECK_INT_LIT("9223372036854775807", LIT_LONG, INT64_MAX);
    CHECK_INT_LIT("9223372036854775808", LIT_ULONG, 9223372036854775808u);
    CHECK_INT_LIT("18446744073709551615", LIT_ULONG, UINT64_MAX);
    CHECK_INT_LIT("0x7FFFFFFF", LIT_INT, 0x7FFFFFFF);
    CHECK_INT_LIT("0x80000000", LIT_UINT, 0x80000000u);
    CHECK_INT_LIT("0xFFFFFFFFFFFFFFFF", LIT_ULONG, UINT64_MAX);
    CHECK_INT_LIT("0xff", LIT_INT, 255);
    CHECK_INT_LIT("0x_FF", LIT_INT, 255);
    CHECK_INT_LIT("1_000", LIT_INT, 1000);
    CHECK_INT_LIT("1__000_000", LIT_INT, 1000000);
    CHECK_INT_LIT("0b101", LIT_INT, 5);
    CHECK_INT_LIT("0B1111_0000", LIT_INT, 240);
    arena_free(a);
}

TEST(integer_literal_suffixes) {
    Arena *a = arena_new();
    CHECK_INT_LIT("1u", LIT_UINT, 1);
    CHECK_INT_LIT("1U", LIT_UINT, 1);
    CHECK_INT_LIT("5000000000u", LIT_ULONG, 5000000000u);
    CHECK_INT_LIT("1L", LIT_LONG, 1);
    CHECK_INT_LIT("1l", LIT_LONG, 1);
    CHECK_INT_LIT("9223372036854775808L", LIT_ULONG, 9223372036854775808u);
    CHECK_INT_LIT("1UL", LIT_ULONG, 1);
    CHECK_INT_LIT("1ul", LIT_ULONG, 1);
    CHECK_INT_LIT("1LU", LIT_ULONG, 1);
    CHECK_INT_LIT("1Lu", LIT_ULONG, 1);
    CHECK_INT_LIT("0xFFu", LIT_UINT, 255);
    CHECK_INT_LIT("0b1L", LIT_LONG, 1);
    arena_free(a);
}

// §12.8.3: the two literals that only fit after the minus sign.
TEST(integer_literal_minimum_values) {
    Arena *a = arena_new();
    CHECK_INT_LIT("-2147483648", LIT_INT, (uint64_t)(int64_t)INT32_MIN);
    CHECK_INT_LIT("-9223372036854775808", LIT_LONG, (uint64_t)INT64_MIN);
    CHECK_INT_LIT("-9223372036854775808L", LIT_LONG, (uint64_t)INT64_MIN);
    CHECK_DUMP("-2147483648u", "(- 2147483648u)");
    CHECK_DUMP("-0x80000000", "(- 2147483648u)");
    CHECK_DUMP("-(2147483648)", "(- 2147483648u)");
    CHECK_DUMP("-2147483647", "(- 2147483647)");
    CHECK_DUMP("-2147483648.ToString()", "(- (call (. 2147483648u ToString)))");
    CHECK_TEXT("(-2147483648).ToString()", "(-2147483648).ToString()");
    CHECK_TEXT("- -2147483648", "- -2147483648");
    arena_free(a);
}

TEST(integer_literal_errors) {
    Arena *a = arena_new();
    CHECK_DUMP("18446744073709551616", "error 1: Integral constant is too large");
    CHECK_DUMP("x + 99999999999999999999", "error 5: Integral constant is too large");
    CHECK_DUMP("0x1_0000_0000_0000_0000", "error 1: Integral constant is too large");
    CHECK_DUMP("0b11111111111111111111111111111111111111111111111111111111111111111", "error 1: Integral constant is too large");
    CHECK_DUMP("0x", "error 1: Invalid number");
    CHECK_DUMP("1_", "error 1: Invalid number");
    CHECK_DUMP("0b102", "error 5: Invalid token '2' in expression");
    arena_free(a);
}

TEST(real_literals) {
    Arena *a = arena_new();
    CHECK_REAL_LIT("1.5", LIT_DOUBLE, 1.5);
    CHECK_REAL_LIT("1e10", LIT_DOUBLE, 1e10);
    CHECK_REAL_LIT("1E+3", LIT_DOUBLE, 1000.0);
    CHECK_REAL_LIT("2.5e-3", LIT_DOUBLE, 2.5e-3);
    CHECK_REAL_LIT(".5", LIT_DOUBLE, 0.5);
    CHECK_REAL_LIT("1_0.2_5", LIT_DOUBLE, 10.25);
    CHECK_REAL_LIT("2d", LIT_DOUBLE, 2.0);
    CHECK_REAL_LIT("2.5D", LIT_DOUBLE, 2.5);
    CHECK_REAL_LIT("1.5f", LIT_FLOAT, 1.5);
    CHECK_REAL_LIT("3F", LIT_FLOAT, 3.0);
    CHECK_REAL_LIT("0.1f", LIT_FLOAT, (double)0.1f);     // rounded to float, kept as double
    const Expr *e = lit(a, "2.50m");
    CHECK(e && e->lit.kind == LIT_DECIMAL);
    CHECK_EQ_STR(e ? e->lit.text : NULL, "2.50");
    e = lit(a, "1M");
    CHECK(e && e->lit.kind == LIT_DECIMAL);
    CHECK_EQ_STR(e ? e->lit.text : NULL, "1");
    e = lit(a, "1_000.5e2m");
    CHECK_EQ_STR(e ? e->lit.text : NULL, "1000.5e2");
    CHECK_DUMP("1.ToString()", "(call (. 1 ToString))");
    CHECK_DUMP("1e39f", "error 1: Floating-point constant is outside the range of type 'float'");
    CHECK_DUMP("1e309", "error 1: Floating-point constant is outside the range of type 'double'");
    CHECK_DUMP("1e29m", "error 1: Floating-point constant is outside the range of type 'decimal'");
    CHECK_DUMP("1e", "error 1: Invalid real literal");
    CHECK_DUMP("1e+", "error 1: Invalid real literal");
    arena_free(a);
}

TEST(char_literals) {
    Arena *a = arena_new();
    CHECK_INT_LIT("'a'", LIT_CHAR, 'a');
    CHECK_INT_LIT("'\\u0041'", LIT_CHAR, 0x41);
    CHECK_INT_LIT("'\\U00000041'", LIT_CHAR, 0x41);
    CHECK_INT_LIT("'\\x41'", LIT_CHAR, 0x41);
    CHECK_INT_LIT("'\\x4142'", LIT_CHAR, 0x4142);
    CHECK_INT_LIT("'\\''", LIT_CHAR, '\'');
    CHECK_INT_LIT("'\\\"'", LIT_CHAR, '"');
    CHECK_INT_LIT("'\"'", LIT_CHAR, '"');
    CHECK_INT_LIT("'\\\\'", LIT_CHAR, '\\');
    CHECK_INT_LIT("'\\0'", LIT_CHAR, 0);
    CHECK_INT_LIT("'\\a'", LIT_CHAR, 7);
    CHECK_INT_LIT("'\\b'", LIT_CHAR, 8);
    CHECK_INT_LIT("'\\f'", LIT_CHAR, 12);
    CHECK_INT_LIT("'\\n'", LIT_CHAR, 10);
    CHECK_INT_LIT("'\\r'", LIT_CHAR, 13);
    CHECK_INT_LIT("'\\t'", LIT_CHAR, 9);
    CHECK_INT_LIT("'\\v'", LIT_CHAR, 11);
    CHECK_INT_LIT("'\xC3\xA9'", LIT_CHAR, 0xE9);              // é as UTF-8
    CHECK_INT_LIT("'\xE2\x82\xAC'", LIT_CHAR, 0x20AC);        // €
    arena_free(a);
}

TEST(char_literal_errors) {
    Arena *a = arena_new();
    CHECK_DUMP("''", "error 1: Empty character literal");
    CHECK_DUMP("x == 'ab'", "error 6: Too many characters in character literal");
    CHECK_DUMP("'\\U0001F600'", "error 1: Too many characters in character literal");
    CHECK_DUMP("'\xF0\x9F\x98\x80'", "error 1: Too many characters in character literal");
    CHECK_DUMP("'a", "error 1: Newline in constant");
    CHECK_DUMP("'", "error 1: Newline in constant");
    CHECK_DUMP("'\\q'", "error 2: Unrecognized escape sequence");
    CHECK_DUMP("'\\x'", "error 2: Unrecognized escape sequence");
    CHECK_DUMP("'\\u12'", "error 2: Unrecognized escape sequence");
    CHECK_DUMP("'\\U00110000'", "error 2: Unrecognized escape sequence");
    arena_free(a);
}

TEST(string_literals) {
    Arena *a = arena_new();
    CHECK_STR_LIT("\"a\\tb\"", "a\tb");
    CHECK_STR_LIT("\"\"", "");
    CHECK_STR_LIT("\"a\\0b\"", "a\0b");
    CHECK_STR_LIT("\"\\'\\\"\\\\\\a\\b\\f\\n\\r\\v\"", "'\"\\\a\b\f\n\r\v");
    CHECK_STR_LIT("\"\\u00e9\"", "\xC3\xA9");
    CHECK_STR_LIT("\"\\x41\\x00e9!\"", "A\xC3\xA9!");
    CHECK_STR_LIT("\"\\U0001F600\"", "\xF0\x9F\x98\x80");
    CHECK_STR_LIT("\"\\uD83D\\uDE00\"", "\xF0\x9F\x98\x80");    // a pair of escapes is one code point
    CHECK_STR_LIT("\"\\uD83Dx\"", "\xED\xA0\xBDx");              // a lone surrogate keeps its 3 bytes
    CHECK_STR_LIT("\"h\xC3\xA9llo\"", "h\xC3\xA9llo");
    CHECK_STR_LIT("@\"c:\\x\"\"y\"", "c:\\x\"y");
    CHECK_STR_LIT("@\"a\nb\"", "a\nb");
    CHECK_STR_LIT("@\"\"", "");
    CHECK_STR_LIT("\"\"\"say \"hi\" \"\"\"", "say \"hi\" ");
    CHECK_STR_LIT("\"\"\"\"a\"\"\"b\"\"\"\"", "a\"\"\"b");
    CHECK_STR_LIT("\"\"\"\n    one\n      two\n    \"\"\"", "one\n  two");
    arena_free(a);
}

/* Issue 17: tuple literals, interpolated strings, with expressions. */
TEST(tuples_interpolation_with) {
    Arena *a = arena_new();
    CHECK_DUMP("(a, b)", "(tuple a b)");
    CHECK_DUMP("(x: 1, y: b + 1).x", "(. (tuple x: 1 y: (+ b 1)) x)");
    CHECK_DUMP("(a ? b : c, d)", "(tuple (?: a b c) d)");
    CHECK_DUMP("$\"x{1}\"", "($ \"x\" 1)");
    CHECK_DUMP("$\"{{{i,5}}}{d:F1} {s.Length,-3:x}\"", "($ \"{\" {i,5} \"}\" {d:F1} \" \" {(. s Length),-3:x})");
    CHECK_DUMP("$\"{dict[\"k\"]}\\t\"", "($ ([] dict \"k\") \"\\t\")");
    CHECK_DUMP("$\"{(t ? 1 : 2)}\"", "($ (?: t 1 2))");
    CHECK_DUMP("p with { X = 1, Y = a + 1 }", "(with p (= X 1) (= Y (+ a 1)))");
    CHECK_DUMP("(p with { X = 1 }).X * 2", "(* (. (with p (= X 1)) X) 2)");
    CHECK_DUMP("a * p with { X = 1 }", "(* a (with p (= X 1)))");
    CHECK_DUMP("p with { }", "(with p)");
    {
        /* holes nest: as deep as the parser allows, never deeper (no stack overflow) */
        StrBuf b;
        sb_init(&b);
        for (int k = 0; k < 3000; k++) sb_puts(&b, "$\"{");
        sb_puts(&b, "1");
        for (int k = 0; k < 3000; k++) sb_puts(&b, "}\"");
        const char *d = dump(a, b.data);
        CHECK(strstr(d, "too deeply nested") != NULL);
        sb_free(&b);
    }
    CHECK_TEXT("(x: 1, y: 2).x", "(x: 1, y: 2).x");
    CHECK_TEXT("p with { X = 1 }", "p with { X = 1 }");
    CHECK_TEXT("$\"a{i,5:x}\"", "$\"{\"a\"}{i,5:x}\"");
    arena_free(a);
}

TEST(string_literal_errors) {
    Arena *a = arena_new();
    CHECK_DUMP("\"abc", "error 1: Newline in constant");
    CHECK_DUMP("s + \"a\nb\"", "error 5: Newline in constant");
    CHECK_DUMP("\"a\\qb\"", "error 3: Unrecognized escape sequence");
    CHECK_DUMP("@\"abc", "error 1: Unterminated string literal");
    CHECK_DUMP("\"\"\"abc", "error 1: Unterminated raw string literal");
    CHECK_DUMP("\"\"\"\n  a\n b\n  \"\"\"", "error 9: Line does not start with the same whitespace as the closing line of the raw string literal");
    CHECK_DUMP("a + @$\"x\"", "error 5: verbatim and raw interpolated strings are not supported in cordbg expressions");
    CHECK_DUMP("$@\"x\"", "error 1: verbatim and raw interpolated strings are not supported in cordbg expressions");
    CHECK_DUMP("$\"x{1\"", "error 1: Newline in constant");
    CHECK_DUMP("$\"{a +}\"", "error 1: Expected expression");
    /* Debugger pseudo-variables are identifiers, '$' included. */
    CHECK_DUMP("$exception.Message", "(. $exception Message)");
    CHECK_DUMP("$ x", "error 1: Unexpected character '$'");
    arena_free(a);
}

TEST(names_and_keywords) {
    Arena *a = arena_new();
    CHECK_DUMP("x", "x");
    CHECK_DUMP("_a1", "_a1");
    CHECK_DUMP("@class", "@class");
    CHECK_DUMP("\xC3\xA9t\xC3\xA9", "\xC3\xA9t\xC3\xA9");
    CHECK_DUMP("this", "this");
    CHECK_DUMP("base.M()", "(call (. base M))");
    CHECK_DUMP("true != false", "(!= true false)");
    CHECK_DUMP("null", "null");
    CHECK_DUMP("int.MaxValue", "(. (type int) MaxValue)");
    CHECK_DUMP("string.Empty", "(. (type string) Empty)");
    CHECK_DUMP("global::System.Math.PI", "(. (. System Math) PI)");
    CHECK_DUMP("nameof(x)", "(call nameof x)");
    CHECK_DUMP("@", "error 1: Keyword, identifier, or string expected after verbatim specifier: @");
    CHECK_DUMP("int", "error 1: Invalid expression term 'int'");
    CHECK_DUMP("a + class", "error 5: Invalid expression term 'class'");
    arena_free(a);
}

TEST(precedence) {
    Arena *a = arena_new();
    CHECK_DUMP("1 + 2 * 3", "(+ 1 (* 2 3))");
    CHECK_DUMP("(1 + 2) * 3", "(* (+ 1 2) 3)");
    CHECK_DUMP("a * b % c / d", "(/ (% (* a b) c) d)");
    CHECK_DUMP("a << 1 + 2", "(<< a (+ 1 2))");
    CHECK_DUMP("a < b << c", "(< a (<< b c))");
    CHECK_DUMP("a == b < c", "(== a (< b c))");
    CHECK_DUMP("a & b == c", "(& a (== b c))");
    CHECK_DUMP("a | b ^ c & d", "(| a (^ b (& c d)))");
    CHECK_DUMP("a || b && c | d", "(|| a (&& b (| c d)))");
    CHECK_DUMP("a ?? b || c", "(?? a (|| b c))");
    CHECK_DUMP("a ? b : c ?? d", "(?: a b (?? c d))");
    CHECK_DUMP("x = a ? b : c", "(= x (?: a b c))");
    CHECK_DUMP("-a * !b + ~c", "(+ (* (- a) (! b)) (~ c))");
    CHECK_DUMP("-a.b", "(- (. a b))");
    CHECK_DUMP("a++ + ++b", "(+ (post++ a) (pre++ b))");
    CHECK_DUMP("a-- - --b", "(- (post-- a) (pre-- b))");
    CHECK_DUMP("a is T == b", "(== (is a T) b)");
    CHECK_DUMP("a + b as T", "(as (+ a b) T)");
    CHECK_DUMP("a >= b", "(>= a b)");
    CHECK_DUMP("a >> 2 >>> 3", "(>>> (>> a 2) 3)");
    CHECK_DUMP("a > > b", "error 5: Invalid expression term '>'");
    arena_free(a);
}

TEST(associativity) {
    Arena *a = arena_new();
    CHECK_DUMP("a - b - c", "(- (- a b) c)");
    CHECK_DUMP("a - (b - c)", "(- a (- b c))");
    CHECK_DUMP("a = b = c", "(= a (= b c))");
    CHECK_DUMP("a += b -= c", "(+= a (-= b c))");
    CHECK_DUMP("a ?? b ?? c", "(?? a (?? b c))");
    CHECK_DUMP("a ? b : c ? d : e", "(?: a b (?: c d e))");
    CHECK_DUMP("a ? b ? c : d : e", "(?: a (?: b c d) e)");
    CHECK_DUMP("a < b < c", "(< (< a b) c)");
    CHECK_DUMP("- - a", "(- (- a))");
    CHECK_DUMP("!!a", "(! (! a))");
    arena_free(a);
}

TEST(assignments) {
    Arena *a = arena_new();
    CHECK_DUMP("a = 1", "(= a 1)");
    CHECK_DUMP("a += 1", "(+= a 1)");
    CHECK_DUMP("a -= 1", "(-= a 1)");
    CHECK_DUMP("a *= 1", "(*= a 1)");
    CHECK_DUMP("a /= 1", "(/= a 1)");
    CHECK_DUMP("a %= 1", "(%= a 1)");
    CHECK_DUMP("a &= 1", "(&= a 1)");
    CHECK_DUMP("a |= 1", "(|= a 1)");
    CHECK_DUMP("a ^= 1", "(^= a 1)");
    CHECK_DUMP("a <<= 1", "(<<= a 1)");
    CHECK_DUMP("a >>= 1", "(>>= a 1)");
    CHECK_DUMP("a >>>= 1", "(>>>= a 1)");
    CHECK_DUMP("a ?\?= b", "(?\?= a b)");
    CHECK_DUMP("a.b[1] = c", "(= ([] (. a b) 1) c)");
    CHECK_DUMP("a > >= 1", "error 5: Invalid expression term '>='");
    arena_free(a);
}

TEST(casts) {
    Arena *a = arena_new();
    CHECK_DUMP("(int)x", "(cast int x)");
    CHECK_DUMP("(int)-x", "(cast int (- x))");
    CHECK_DUMP("(a)-b", "(- a b)");
    CHECK_DUMP("(a)+b", "(+ a b)");
    CHECK_DUMP("(a)(b)", "(cast a b)");
    CHECK_DUMP("(a)b", "(cast a b)");
    CHECK_DUMP("(a)!b", "(cast a (! b))");
    CHECK_DUMP("(a)1", "(cast a 1)");
    CHECK_DUMP("(a).b", "(. a b)");
    CHECK_DUMP("(a.b)c.d", "(cast a.b (. c d))");
    CHECK_DUMP("(int?)x", "(cast int? x)");
    CHECK_DUMP("(int[])x", "(cast int[] x)");
    CHECK_DUMP("(int[][,])x", "(cast int[][,] x)");
    CHECK_DUMP("(byte*)p", "(cast byte* p)");
    CHECK_DUMP("(a * b)", "(* a b)");
    CHECK_DUMP("(List<int>)x", "(cast List<int> x)");
    CHECK_DUMP("(List<int>)-x", "(- List<int> x)");
    CHECK_DUMP("(object)(int)x", "(cast object (cast int x))");
    CHECK_DUMP("(string)null", "(cast string null)");
    CHECK_DUMP("(T)this", "(cast T this)");
    CHECK_DUMP("(x) is T", "(is x T)");
    arena_free(a);
}

TEST(generic_names_and_less_than) {
    Arena *a = arena_new();
    CHECK_DUMP("List<int>.Count", "(. List<int> Count)");
    CHECK_DUMP("M<int>(x)", "(call M<int> x)");
    CHECK_DUMP("x.M<int, string>()", "(call (. x M<int, string>))");
    CHECK_DUMP("a < b > c", "(> (< a b) c)");
    CHECK_DUMP("a < b && c > d", "(&& (< a b) (> c d))");
    CHECK_DUMP("f(a < b, c > d)", "(call f (< a b) (> c d))");
    CHECK_DUMP("f(a < b, c > (d))", "(call f (call a<b, c> d))");
    CHECK_DUMP("Dictionary<string, List<int>>.Empty", "(. Dictionary<string, List<int>> Empty)");
    CHECK_DUMP("F<List<int?>>()", "(call F<List<int?>>)");
    CHECK_DUMP("a<b>>c", "(< a (>> b c))");
    CHECK_DUMP("A<B> == c", "(== A<B> c)");
    CHECK_DUMP("A<B> + c", "(> (< A B) (+ c))");
    CHECK_DUMP("a < b ? c : d", "(?: (< a b) c d)");
    CHECK_DUMP("Outer<int>.Inner.X", "(. (. Outer<int> Inner) X)");
    arena_free(a);
}

TEST(member_access_chains) {
    Arena *a = arena_new();
    CHECK_DUMP("a.b.c", "(. (. a b) c)");
    CHECK_DUMP("a?.b", "(?. a b)");
    CHECK_DUMP("a?[i]", "(?[] a i)");
    CHECK_DUMP("a?.b.c?[1](2)", "(call (?[] (. (?. a b) c) 1) 2)");
    CHECK_DUMP("a[1, 2][3]", "([] ([] a 1 2) 3)");
    CHECK_DUMP("f()()", "(call (call f))");
    CHECK_DUMP("x!.y", "(. x y)");
    CHECK_DUMP("a ? .5 : b", "(?: a 0.5 b)");
    CHECK_DUMP("a.@int", "(. a @int)");
    CHECK_DUMP("a.", "error 3: Identifier expected");
    CHECK_DUMP("a.int", "error 3: Identifier expected");
    CHECK_DUMP("a[]", "error 3: Syntax error; value expected");
    arena_free(a);
}

TEST(new_expressions) {
    Arena *a = arena_new();
    CHECK_DUMP("new T()", "(new T)");
    CHECK_DUMP("new List<int>(a, b)", "(new List<int> a b)");
    CHECK_DUMP("new System.Text.StringBuilder(16).Append(x)", "(call (. (new System.Text.StringBuilder 16) Append) x)");
    CHECK_DUMP("new int[3]", "(new-array int [3])");
    CHECK_DUMP("new int[3, n]", "(new-array int [3 n])");
    CHECK_DUMP("new int[] {1, 2,}", "(new-array int {1 2})");
    CHECK_DUMP("new int[] {}", "(new-array int {})");
    CHECK_DUMP("new int[2] {1, 2}", "(new-array int [2] {1 2})");
    CHECK_DUMP("new[] {1, 2}", "(new-array - {1 2})");
    CHECK_DUMP("new[] {1, 2}.Length", "(. (new-array - {1 2}) Length)");
    CHECK_DUMP("new int[3][]", "(new-array int[] [3])");
    CHECK_DUMP("new int[][,] { null }", "(new-array int[,] {null})");
    CHECK_DUMP("new int?[2]", "(new-array int? [2])");
    CHECK_DUMP("new Dictionary<int, string>.KeyCollection(d)", "(new Dictionary<int, string>.KeyCollection d)");
    CHECK_DUMP("new int[3][1]", "error 12: Invalid rank specifier: expected ',' or ']'");
    CHECK_DUMP("new int[]", "error 10: Array creation must have array size or array initializer");
    CHECK_DUMP("new int", "error 8: A new expression requires (), [], or {} after type");
    CHECK_DUMP("new 1", "error 5: Type expected");
    arena_free(a);
}

TEST(typeof_sizeof_default_checked) {
    Arena *a = arena_new();
    CHECK_DUMP("typeof(int)", "(typeof int)");
    CHECK_DUMP("typeof(Dictionary<string, int[]>)", "(typeof Dictionary<string, int[]>)");
    CHECK_DUMP("typeof(global::System.String)", "(typeof System.String)");
    CHECK_DUMP("typeof(void)", "(typeof void)");
    CHECK_DUMP("sizeof(long)", "(sizeof long)");
    CHECK_DUMP("default(int?)", "(default int?)");
    CHECK_DUMP("default", "default");
    CHECK_DUMP("x == default", "(== x default)");
    CHECK_DUMP("checked(a + b)", "(checked (+ a b))");
    CHECK_DUMP("unchecked((int)x)", "(unchecked (cast int x))");
    CHECK_DUMP("typeof(1)", "error 8: Type expected");
    CHECK_DUMP("typeof(int", "error 11: Syntax error, ')' expected");
    CHECK_DUMP("checked a", "error 9: Syntax error, '(' expected");
    arena_free(a);
}

TEST(is_and_as) {
    Arena *a = arena_new();
    CHECK_DUMP("x is string", "(is x string)");
    CHECK_DUMP("x is not string", "(is-not x string)");
    CHECK_DUMP("x is null", "(is x null)");
    CHECK_DUMP("x is not null", "(is-not x null)");
    CHECK_DUMP("x is List<int> && y", "(&& (is x List<int>) y)");
    CHECK_DUMP("x is int? ? a : b", "(?: (is x int?) a b)");
    CHECK_DUMP("x is T ? a : b", "(?: (is x T) a b)");
    CHECK_DUMP("x is int[]", "(is x int[])");
    CHECK_DUMP("x as string ?? \"\"", "(?? (as x string) \"\")");
    CHECK_DUMP("x as int? ?? 0", "(?? (as x int?) 0)");
    CHECK_DUMP("(x as T).y", "(. (as x T) y)");
    CHECK_DUMP("x is T < y", "(< (is x T) y)");
    CHECK_DUMP("x as 1", "error 6: Type expected");
    arena_free(a);
}

TEST(refused_constructs) {
    Arena *a = arena_new();
    CHECK_DUMP("x => x", "error 1: lambda expressions are not supported in cordbg expressions");
    CHECK_DUMP("f((a, b) => a)", "error 3: lambda expressions are not supported in cordbg expressions");
    CHECK_DUMP("() => 1", "error 1: lambda expressions are not supported in cordbg expressions");
    CHECK_DUMP("async x => 1", "error 1: lambda expressions are not supported in cordbg expressions");
    CHECK_DUMP("list.Where(x => x > 1)", "error 12: lambda expressions are not supported in cordbg expressions");
    CHECK_DUMP("from x in y select x", "error 1: query expressions are not supported in cordbg expressions");
    CHECK_DUMP("new T { A = 1 }", "error 7: object initializers are not supported in cordbg expressions");
    CHECK_DUMP("new T() { A = 1 }", "error 9: object initializers are not supported in cordbg expressions");
    CHECK_DUMP("new List<int> { 1 }", "error 15: collection initializers are not supported in cordbg expressions");
    CHECK_DUMP("new { A = 1 }", "error 5: anonymous types are not supported in cordbg expressions");
    CHECK_DUMP("new()", "error 4: target-typed 'new()' is not supported in cordbg expressions");
    CHECK_DUMP("new int[,] { {1} }", "error 12: multi-dimensional array initializers are not supported in cordbg expressions");
    CHECK_DUMP("stackalloc int[3]", "error 1: stackalloc is not supported in cordbg expressions");
    CHECK_DUMP("await t", "error 1: await expressions are not supported in cordbg expressions");
    CHECK_DUMP("x ?? throw e", "error 6: throw expressions are not supported in cordbg expressions");
    CHECK_DUMP("x switch { _ => 1 }", "error 3: switch expressions are not supported in cordbg expressions");
    CHECK_DUMP("p with X", "error 3: Invalid token 'with' in expression");
    CHECK_DUMP("delegate { }", "error 1: anonymous methods are not supported in cordbg expressions");
    CHECK_DUMP("x is int y", "error 3: patterns other than 'is Type' and 'is null' are not supported in cordbg expressions");
    CHECK_DUMP("x is > 5", "error 3: patterns other than 'is Type' and 'is null' are not supported in cordbg expressions");
    CHECK_DUMP("x is { }", "error 3: patterns other than 'is Type' and 'is null' are not supported in cordbg expressions");
    CHECK_DUMP("x is var v", "error 3: patterns other than 'is Type' and 'is null' are not supported in cordbg expressions");
    CHECK_DUMP("x is 1 or 2", "error 3: patterns other than 'is Type' and 'is null' are not supported in cordbg expressions");
    CHECK_DUMP("x is null or T", "error 3: patterns other than 'is Type' and 'is null' are not supported in cordbg expressions");
    CHECK_DUMP("f(x: 1)", "(call f (: x 1))");
    CHECK_DUMP("Opt(1, c: a ? b : d)", "(call Opt 1 (: c (?: a b d)))");
    CHECK_DUMP("new P(y: 2)", "(new P (: y 2))");
    CHECK_TEXT("Opt(b: 3,a:1)", "Opt(b: 3, a: 1)");
    CHECK_DUMP("a[x: 1]", "error 3: named arguments are not supported in cordbg expressions");
    CHECK_DUMP("(a)", "a");
    CHECK_DUMP("f(out x)", "error 3: 'out' arguments are not supported in cordbg expressions");
    CHECK_DUMP("a[1..2]", "error 4: range expressions are not supported in cordbg expressions");
    CHECK_DUMP("p->x", "error 2: pointer member access '->' is not supported in cordbg expressions");
    arena_free(a);
}

TEST(syntax_errors_with_columns) {
    Arena *a = arena_new();
    CHECK_DUMP(")", "error 1: Invalid expression term ')'");
    CHECK_DUMP("f(1, )", "error 6: Invalid expression term ')'");
    CHECK_DUMP("(1 + 2", "error 7: Syntax error, ')' expected");
    CHECK_DUMP("f(1", "error 4: Syntax error, ')' expected");
    CHECK_DUMP("f(1 2)", "error 5: Syntax error, ',' expected");
    CHECK_DUMP("a[1", "error 4: Syntax error, ']' expected");
    CHECK_DUMP("a ? b", "error 6: Syntax error, ':' expected");
    CHECK_DUMP("1 2", "error 3: Invalid token '2' in expression");
    CHECK_DUMP("a b", "error 3: Invalid token 'b' in expression");
    CHECK_DUMP("a)", "error 2: Invalid token ')' in expression");
    CHECK_DUMP("a # b", "error 3: Unexpected character '#'");
    CHECK_DUMP("a ` b", "error 3: Unexpected character '`'");
    CHECK_DUMP("a \\ b", "error 3: Unexpected character '\\'");
    CHECK_DUMP("a \x01", "error 3: Unexpected character '\\u0001'");
    CHECK_DUMP("1 +", "error 4: Expected expression");
    CHECK_DUMP("", "error 1: Expected expression");
    CHECK_DUMP("   ", "error 4: Expected expression");
    CHECK_DUMP("\xC3\xA9 + )", "error 5: Invalid expression term ')'");    // columns count characters
    CHECK_DUMP("x + 'ab' + #", "error 5: Too many characters in character literal");
    CHECK_DUMP(") + #", "error 1: Invalid expression term ')'");             // the first error wins
    arena_free(a);
}

TEST(nesting_limit) {
    Arena *a = arena_new();
    char buf[2048];
    for (int depth = 100; depth <= 300; depth += 200) {
        int n = 0;
        for (int k = 0; k < depth; k++)
            buf[n++] = '(';
        buf[n++] = '1';
        for (int k = 0; k < depth; k++)
            buf[n++] = ')';
        buf[n] = 0;
        if (depth == 100)
            CHECK_EQ_STR(dump(a, buf), "1");
        else
            CHECK_EQ_STR(dump(a, buf), "error 257: expression is too deeply nested");
    }
    memset(buf, '-', 1000);
    strcpy(buf + 1000, "x");
    CHECK(strstr(dump(a, buf), "expression is too deeply nested") != NULL);
    for (int k = 0; k < 400; k++)
        memcpy(buf + 2 * k, "1+", 2);
    strcpy(buf + 800, "1");
    CHECK(strstr(dump(a, buf), "expression is too deeply nested") != NULL);
    for (int k = 0; k < 600; k++)
        memcpy(buf + 3 * k, "a<b", 3);
    buf[1800] = 0;
    CHECK(strncmp(dump(a, buf), "error", 5) == 0);
    arena_free(a);
}

TEST(canonical_text_round_trip) {
    Arena *a = arena_new();
    CHECK_TEXT("1+2*3", "1 + 2 * 3");
    CHECK_TEXT("(1+2)*3", "(1 + 2) * 3");
    CHECK_TEXT("a-(b-c)", "a - (b - c)");
    CHECK_TEXT("(a-b)-c", "a - b - c");
    CHECK_TEXT("(a=b)=c", "(a = b) = c");
    CHECK_TEXT("(a?b:c)?d:e", "(a ? b : c) ? d : e");
    CHECK_TEXT("(a??b)??c", "(a ?? b) ?? c");
    CHECK_TEXT("-(-x)", "- -x");
    CHECK_TEXT("+(+x)", "+ +x");
    CHECK_TEXT("-(--x)", "- --x");
    CHECK_TEXT("(-x).y", "(-x).y");
    CHECK_TEXT("((int)x).y", "((int)x).y");
    CHECK_TEXT("(T)(-x)", "(T)(-x)");
    CHECK_TEXT("(int)(-x)", "(int)-x");
    CHECK_TEXT("(List<int>) - x", "(List<int>) - x");
    CHECK_TEXT("(A<B>)++", "(A<B>)++");
    CHECK_TEXT("(x as T) < y", "(x as T) < y");
    CHECK_TEXT("(new int[3])[0]", "(new int[3])[0]");
    CHECK_TEXT("f((a < b), c > (d == e))", "f(a < (b), c > (d == e))");
    CHECK_TEXT("(a<b)>(c==d)", "a < (b) > (c == d)");
    CHECK_TEXT("a  <  b", "a < b");
    CHECK_TEXT("x?.y?[1]", "x?.y?[1]");
    CHECK_TEXT("new int[][]{new int[]{1}}", "new int[][] { new int[] { 1 } }");
    CHECK_TEXT("new[]{1,2}", "new[] { 1, 2 }");
    CHECK_TEXT("new int[] {}", "new int[] { }");
    CHECK_TEXT("x is not null", "x is not null");
    CHECK_TEXT("a>>=1", "a >>= 1");
    CHECK_TEXT("@class.@int", "@class.@int");
    CHECK_TEXT("typeof(List<int>[])", "typeof(List<int>[])");
    CHECK_TEXT("global::A.B", "A.B");
    CHECK_TEXT("checked(a*b)", "checked(a * b)");
    arena_free(a);
}

TEST(canonical_literal_text) {
    Arena *a = arena_new();
    CHECK_TEXT("1u", "1u");
    CHECK_TEXT("2L", "2L");
    CHECK_TEXT("3ul", "3UL");
    CHECK_TEXT("4294967295", "4294967295u");
    CHECK_TEXT("0xFF", "255");
    CHECK_TEXT("1_000", "1000");
    CHECK_TEXT("1.5f", "1.5f");
    CHECK_TEXT("2.5m", "2.5m");
    CHECK_TEXT("2.50M", "2.50m");
    CHECK_TEXT("1.5", "1.5");
    CHECK_TEXT("1.5d", "1.5");
    CHECK_TEXT("0.1", "0.1");
    CHECK_TEXT("1e3", "1000.0");
    CHECK_TEXT("3f", "3f");
    CHECK_TEXT("1e300", "1E+300");
    CHECK_TEXT("1.5e-7", "1.5E-7");
    CHECK_TEXT("0.000015", "0.000015");
    CHECK_TEXT("0.0000015", "1.5E-6");
    CHECK_TEXT("0.00015", "0.00015");
    CHECK_TEXT("123456789.123", "123456789.123");
    CHECK_TEXT("'\\x41'", "'A'");
    CHECK_TEXT("'\\''", "'\\''");
    CHECK_TEXT("'\"'", "'\"'");
    CHECK_TEXT("'\\0'", "'\\0'");
    CHECK_TEXT("'\\u0001'", "'\\u0001'");
    CHECK_TEXT("'\\uD800'", "'\\uD800'");
    CHECK_TEXT("'\xC3\xA9'", "'\xC3\xA9'");
    CHECK_TEXT("\"a\\tb\"", "\"a\\tb\"");
    CHECK_TEXT("@\"c:\\x\"\"y\"", "\"c:\\\\x\\\"y\"");
    CHECK_TEXT("\"\\u2028\\x85\"", "\"\\u2028\\u0085\"");
    CHECK_TEXT("\"\\uD83D\\uDE00\"", "\"\xF0\x9F\x98\x80\"");
    CHECK_TEXT("\"\\uDE00\\uD83D\"", "\"\\uDE00\\uD83D\"");
    CHECK_TEXT("\"a\\0b\"", "\"a\\0b\"");
    CHECK_TEXT("true", "true");
    CHECK_TEXT("null", "null");
    arena_free(a);
}

TEST(type_text) {
    Arena *a = arena_new();
    ExprError err;
    Expr *e = expr_parse(a, "typeof(global::System.Collections.Generic.Dictionary<string, int?[]>[][,])", &err);
    CHECK(e && e->kind == EX_TYPEOF && e->type);
    if (e && e->type) {
        const ExprType *t = e->type;
        CHECK_EQ_STR(t->name, "System.Collections.Generic.Dictionary");
        CHECK_EQ_INT(t->is_keyword, 0);
        CHECK_EQ_INT(t->nargs, 2);
        CHECK_EQ_INT(t->nranks, 2);
        CHECK(t->nranks == 2 && t->ranks[0] == 1 && t->ranks[1] == 2);
        CHECK_EQ_INT(t->column, 8);
        CHECK(t->nargs == 2 && t->args[0]->is_keyword && t->args[1]->nullable && t->args[1]->nranks == 1);
        CHECK_EQ_STR(expr_type_to_text(a, t), "System.Collections.Generic.Dictionary<string, int?[]>[][,]");
    }
    e = expr_parse(a, "(int**)p", &err);
    CHECK(e && e->kind == EX_CAST && e->type->pointer == 2 && e->type->is_keyword);
    e = expr_parse(a, "(A<int>.B<string>)x", &err);
    CHECK(e && e->kind == EX_CAST);
    if (e) {
        CHECK_EQ_STR(e->type->name, "A<int>.B");
        CHECK_EQ_INT(e->type->nargs, 1);
        CHECK_EQ_STR(expr_type_to_text(a, e->type), "A<int>.B<string>");
    }
    arena_free(a);
}

TEST(columns_of_nodes) {
    Arena *a = arena_new();
    ExprError err;
    Expr *e = expr_parse(a, "  a + b.c(d)", &err);
    CHECK(e && e->kind == EX_BINARY);
    if (e) {
        CHECK_EQ_INT(e->column, 3);
        CHECK_EQ_INT(e->a->column, 3);
        CHECK_EQ_INT(e->b->kind, EX_CALL);
        CHECK_EQ_INT(e->b->column, 7);
        CHECK_EQ_INT(e->b->args[0]->column, 11);
    }
    e = expr_parse(a, "x = -2147483648", &err);
    CHECK(e && e->b->kind == EX_LITERAL && e->b->column == 5);
    arena_free(a);
}

TEST(format_specifiers) {
    Arena *a = arena_new();
    ExprError err;
    const char *spec = "unset";
    Expr *e = expr_parse_with_spec(a, "x, h", &spec, &err);
    CHECK(e && e->kind == EX_NAME);
    CHECK_EQ_STR(spec, "h");
    e = expr_parse_with_spec(a, "s.Name ,nq ", &spec, &err);
    CHECK(e && e->kind == EX_MEMBER);
    CHECK_EQ_STR(spec, "nq");
    e = expr_parse_with_spec(a, "f(a, b)", &spec, &err);
    CHECK(e && e->kind == EX_CALL);
    CHECK(spec == NULL);
    e = expr_parse_with_spec(a, "arr[1, 2]", &spec, &err);
    CHECK(e && e->kind == EX_INDEX);
    CHECK(spec == NULL);
    e = expr_parse_with_spec(a, "new[] {1, 2}, raw", &spec, &err);
    CHECK(e && e->kind == EX_NEW_ARRAY);
    CHECK_EQ_STR(spec, "raw");
    e = expr_parse_with_spec(a, "\"a, b\" + 'c', x", &spec, &err);
    CHECK(e && e->kind == EX_BINARY);
    CHECK_EQ_STR(spec, "x");
    e = expr_parse_with_spec(a, "Dictionary<int, T>.Empty, d", &spec, &err);
    CHECK_EQ_STR(spec, "d");
    CHECK_EQ_STR(e ? expr_dump(a, e) : "", "(. Dictionary<int, T> Empty)");
    e = expr_parse_with_spec(a, "x,", &spec, &err);
    CHECK(e == NULL && spec == NULL);
    CHECK_EQ_INT(err.column, 2);
    e = expr_parse_with_spec(a, "a, b c", &spec, &err);
    CHECK(e == NULL && spec == NULL);
    e = expr_parse_with_spec(a, "a + ), h", &spec, &err);    // columns stay those of the whole text
    CHECK(e == NULL);
    CHECK_EQ_STR(spec, "h");
    CHECK_EQ_INT(err.column, 5);
    e = expr_parse_with_spec(a, "x", NULL, &err);
    CHECK(e != NULL);
    arena_free(a);
}

// Renders parts as "T[text]@col" / "H[text|spec]@col".
static const char *parts_of(Arena *a, const char *tmpl) {
    ExprTemplatePart *parts;
    int n;
    ExprError err;
    if (expr_template_split(a, tmpl, &parts, &n, &err) != 0)
        return arena_printf(a, "error %d: %s", err.column, err.msg);
    char *s = "";
    for (int k = 0; k < n; k++) {
        if (parts[k].is_hole)
            s = arena_printf(a, "%sH[%s%s%s]@%d ", s, parts[k].text, parts[k].spec ? "|" : "",
                             parts[k].spec ? parts[k].spec : "", parts[k].column);
        else
            s = arena_printf(a, "%sT[%s]@%d ", s, parts[k].text, parts[k].column);
    }
    return s;
}

TEST(templates) {
    Arena *a = arena_new();
    CHECK_EQ_STR(parts_of(a, ""), "");
    CHECK_EQ_STR(parts_of(a, "plain text"), "T[plain text]@1 ");
    CHECK_EQ_STR(parts_of(a, "x = {x}"), "T[x = ]@1 H[x]@6 ");
    CHECK_EQ_STR(parts_of(a, "{a}{b}"), "H[a]@2 H[b]@5 ");
    CHECK_EQ_STR(parts_of(a, "{{literal}} {{"), "T[{literal} {]@1 ");
    CHECK_EQ_STR(parts_of(a, "a {{{x}}} b"), "T[a {]@1 H[x]@6 T[} b]@8 ");
    CHECK_EQ_STR(parts_of(a, "{ name , nq }!"), "H[name|nq]@3 T[!]@14 ");
    CHECK_EQ_STR(parts_of(a, "{f(a, b)}"), "H[f(a, b)]@2 ");
    CHECK_EQ_STR(parts_of(a, "{new[] {1,2}.Length}"), "H[new[] {1,2}.Length]@2 ");
    CHECK_EQ_STR(parts_of(a, "{\"}\" + '{'}"), "H[\"}\" + '{']@2 ");
    CHECK_EQ_STR(parts_of(a, "{@\"a\"\"}\"}"), "H[@\"a\"\"}\"]@2 ");
    CHECK_EQ_STR(parts_of(a, "\xC3\xA9{x,h}"), "T[\xC3\xA9]@1 H[x|h]@3 ");
    CHECK_EQ_STR(parts_of(a, "a {x"), "error 5: '}' expected");
    CHECK_EQ_STR(parts_of(a, "a {\"}\""), "error 7: '}' expected");
    CHECK_EQ_STR(parts_of(a, "a } b"), "error 3: stray '}' in template; write '}}' for a literal '}'");
    CHECK_EQ_STR(parts_of(a, "a { } b"), "error 3: expression expected inside '{}'");
    /* The runtime's escapes: the compiler's anonymous types write "\{ A = {A} }". */
    CHECK_EQ_STR(parts_of(a, "\\{ A = {A} \\}"), "T[{ A = ]@1 H[A]@9 T[ }]@11 ");
    CHECK_EQ_STR(parts_of(a, "a\\b"), "T[a\\b]@1 ");
    {
        ExprTemplatePart *parts;
        int n;
        ExprError err;
        CHECK(expr_template_split_ex(a, "\\{ A = {A} }", EXPR_TEMPLATE_LENIENT, &parts, &n, &err) == 0);
        CHECK(n == 3 && !strcmp(parts[2].text, " }"));
    }
    arena_free(a);
}

// A deterministic PRNG (xorshift) makes the same 200 strings every run.
static uint32_t next_rand(uint32_t *s) {
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

TEST(random_bytes_never_crash) {
    static const char *pieces[] = {"(", ")", "[", "]", "{", "}", "<", ">", ",", ".", "?", ":",
                                   "a", "1", "'", "\"", "@", "$", "new ", "is ", "int", "=",
                                   "-", "+", "!", "\\", "0x", "e", " ", "List<int>", "??"};
    uint32_t seed = 12345;
    int parsed = 0;
    for (int i = 0; i < 200; i++) {
        Arena *a = arena_new();
        char buf[80];
        size_t n = 0, len = next_rand(&seed) % 40;
        while (n < len) {
            uint32_t r = next_rand(&seed);
            if (r % 3 == 0) {
                buf[n++] = (char)(1 + (r >> 8) % 255);   // any byte but NUL
            } else {
                const char *p = pieces[(r >> 8) % (sizeof pieces / sizeof pieces[0])];
                size_t k = strlen(p);
                if (n + k >= sizeof buf)
                    break;
                memcpy(buf + n, p, k);
                n += k;
            }
        }
        buf[n] = 0;
        const char *t = text(a, buf);
        CHECK(t != NULL);
        if (t && strncmp(t, "error", 5) != 0) {
            parsed++;
            CHECK(strstr(t, "reads back") == NULL && strstr(t, "reparse") == NULL && strstr(t, "prints again") == NULL);
        }
        const char *spec;
        ExprError err;
        expr_parse_with_spec(a, buf, &spec, &err);
        ExprTemplatePart *parts;
        int np;
        expr_template_split(a, buf, &parts, &np, &err);
        arena_free(a);
    }
    CHECK(parsed > 0);
}

UNIT_MAIN()
