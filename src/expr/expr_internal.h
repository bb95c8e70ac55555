/* expr_internal.h — what the expression parser's files share: tokens, the lexer's entry
 * point, the literal skipper that template and spec splitting use, and column counting.
 * Not for use outside src/expr. */
#ifndef CORDBG_EXPR_INTERNAL_H
#define CORDBG_EXPR_INTERNAL_H

#include "expr/expr.h"

#include <stddef.h>

/* Nesting of expressions, operator chains and types beyond this is refused, so recursion
 * (here and in every walker of the tree) stays shallow whatever the input. */
#define EXPR_MAX_DEPTH 256

typedef enum TokKind {
    TK_EOF, TK_ERROR, TK_IDENT, TK_KEYWORD, TK_PUNCT,
    TK_INT, TK_REAL, TK_CHAR, TK_STRING,
    TK_INTERP,  /* $"...": name is the text between the quotes, braces and escapes as written */
} TokKind;

/* Keywords the parser looks at by name; every other reserved word is KW_OTHER (never an
 * identifier, never the start of an expression). The KW_BOOL..KW_NUINT run is the
 * predefined types. */
typedef enum Keyword {
    KW_NONE,
    KW_BOOL, KW_BYTE, KW_CHAR, KW_DECIMAL, KW_DOUBLE, KW_FLOAT, KW_INT, KW_LONG, KW_OBJECT,
    KW_SBYTE, KW_SHORT, KW_STRING, KW_UINT, KW_ULONG, KW_USHORT, KW_VOID, KW_NINT, KW_NUINT,
    KW_AS, KW_IS, KW_BASE, KW_THIS, KW_NEW, KW_TYPEOF, KW_SIZEOF, KW_DEFAULT, KW_CHECKED,
    KW_UNCHECKED, KW_TRUE, KW_FALSE, KW_NULL, KW_STACKALLOC, KW_THROW, KW_SWITCH, KW_DELEGATE,
    KW_REF, KW_OUT, KW_IN,
    KW_OTHER,
} Keyword;

#define KW_IS_TYPE(k) ((k) >= KW_BOOL && (k) <= KW_NUINT)

/* Punctuators of more than one character that expr.h has no OP_ code for. A compound
 * assignment is P_COMPOUND | its binary operator (`+=` is P_COMPOUND | '+'). `>>`, `>>>`,
 * `>>=` and `>>>=` are never single tokens: the lexer gives `>` and `>=` only, and the
 * parser joins adjacent ones where an operator may stand, so `List<List<int>>` closes. */
enum {
    P_INC = 512, P_DEC, P_LAMBDA /* => */, P_PTR /* -> */, P_COLONCOLON, P_DOTDOT,
    P_COMPOUND = 0x10000,
};

typedef struct Token {
    TokKind     kind;
    int         op;          /* TK_PUNCT: the character or a P_/OP_ code; TK_KEYWORD: Keyword */
    int         column;      /* 1-based, of the first byte */
    int         space_before;/* whitespace (or the start) precedes: `> >` is not `>>` */
    size_t      off, len;    /* the token's bytes in the source */
    const char *name;        /* TK_IDENT (without '@'), TK_KEYWORD: the text */
    ExprLit     lit;         /* literals */
    int         dec_plain;   /* TK_INT: decimal digits, no suffix or only L (see unary minus) */
    int         suffix_l;    /* TK_INT: the suffix is L alone */
} Token;

/* Lexes src[0..n) completely. Always returns an array ending in TK_EOF, or with a TK_ERROR
 * token in place of the first bad one (its message in *lexerr, the column inside the token
 * where the fault is); NULL only on OOM. */
Token *expr_lex(Arena *a, const char *src, size_t n, int *ntok, ExprError *lexerr);

/* The keyword s is (KW_NONE for an identifier): the printer writes such names as @name. */
Keyword expr_keyword(const char *s);

/* If s[i] starts a string or char literal (any C# form, interpolated ones included), the
 * index just past it (n when it is unterminated); otherwise i. Used where text is scanned
 * for brackets without being lexed: spec and template splitting. */
size_t expr_skip_literal(const char *s, size_t i, size_t n);

/* s[i] is the '$' of $"...": the index just past its closing quote (holes may hold strings
 * and brackets), or 0 when it does not close on its line. */
size_t expr_interp_end(const char *s, size_t i, size_t n);

/* Does s[i] begin a column? Every byte but a continuation byte after a non-ASCII byte: so a
 * stray continuation byte (after ASCII, where a token can start) still gets its own. */
static inline int expr_new_column(const char *s, size_t i) {
    return ((unsigned char)s[i] & 0xC0) != 0x80 || i == 0 || (unsigned char)s[i - 1] < 0x80;
}

/* 1-based column of byte off: characters (as expr_new_column counts them) before it, plus one. */
int expr_column(const char *s, size_t off);

/* Finds the format specifier of s[0..n): the last comma outside brackets and literals
 * followed only by a word (letters, digits, '_'). Returns the length of the expression part
 * and sets *spec_off and *spec_len (trimmed), or returns n when there is no specifier. */
size_t expr_split_spec(const char *s, size_t n, size_t *spec_off, size_t *spec_len);

/* Binary operator precedence, 1 (||) to 10 (* / %); 0 for anything else. `??` is not
 * here: it is right-associative and parsed on its own level above ||. */
#define EXPR_PREC_RELATIONAL 7      /* < > <= >= is as */
int expr_binary_prec(int op);

/* Parses src[0..n) (no NUL needed at n); columns count from src. */
Expr *expr_parse_n(Arena *a, const char *src, size_t n, ExprError *err);

/* Literal text as C# writes it: 1u, 2L, 1.5f, 2.50m, "a\tb", 'x'. */
char *expr_lit_to_text(Arena *a, const ExprLit *l);

/* UTF-8 encoding of cp into out (>= 4 bytes); surrogates get the 3-byte form WTF-8 uses,
 * which the printer turns back into \uXXXX. Returns the byte count. */
int expr_utf8_put(char *out, uint32_t cp);

void expr_error(ExprError *err, int column, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif
