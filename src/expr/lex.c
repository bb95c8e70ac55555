/* lex.c — C# expression text into tokens: identifiers and keywords, every literal form with
 * the C# type and value it has, and the punctuators. Works on any bytes: it never reads past
 * n, and the first bad token becomes a TK_ERROR that carries the C# compiler's message (the
 * parser reports it only if it gets that far, so errors come out in text order). */
#include "expr/expr_internal.h"

#include <locale.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct Lexer {
    Arena      *a;
    const char *s;
    size_t      n, i;
    size_t      col_off;    /* columns are asked for in increasing order: resume from here */
    int         col;
    Token      *t;
    int         nt, cap;
    ExprError  *err;
    int         failed;
    int         oom;
} Lexer;

void expr_error(ExprError *err, int column, const char *fmt, ...) {
    if (!err)
        return;
    va_list ap;
    va_start(ap, fmt);
    err->column = column;
    vsnprintf(err->msg, sizeof err->msg, fmt, ap);
    va_end(ap);
}

int expr_column(const char *s, size_t off) {
    int col = 1;
    for (size_t i = 0; i < off; i++)
        col += expr_new_column(s, i);
    return col;
}

static int lx_col(Lexer *L, size_t off) {
    if (off < L->col_off) {
        L->col_off = 0;
        L->col = 1;
    }
    for (; L->col_off < off; L->col_off++)
        L->col += expr_new_column(L->s, L->col_off);
    return L->col;
}

int expr_utf8_put(char *out, uint32_t cp) {
    if (cp < 0x80) {
        out[0] = (char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* One code point of well-formed UTF-8 at s[*i], or U+FFFD for one bad byte. */
static uint32_t utf8_next(const char *s, size_t n, size_t *i) {
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = n - *i;
    unsigned c = p[0];
    int len;
    uint32_t cp, min;
    if (c < 0x80) {
        (*i)++;
        return c;
    } else if (c >= 0xC2 && c <= 0xDF) {
        len = 2, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4, cp = c & 0x07, min = 0x10000;
    } else {
        (*i)++;
        return 0xFFFD;
    }
    if ((size_t)len > left) {
        (*i)++;
        return 0xFFFD;
    }
    for (int k = 1; k < len; k++) {
        if ((p[k] & 0xC0) != 0x80) {
            (*i)++;
            return 0xFFFD;
        }
        cp = (cp << 6) | (p[k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        (*i)++;
        return 0xFFFD;
    }
    *i += (size_t)len;
    return cp;
}

static const struct { const char *word; Keyword kw; } keywords[] = {
    {"bool", KW_BOOL}, {"byte", KW_BYTE}, {"char", KW_CHAR}, {"decimal", KW_DECIMAL},
    {"double", KW_DOUBLE}, {"float", KW_FLOAT}, {"int", KW_INT}, {"long", KW_LONG},
    {"object", KW_OBJECT}, {"sbyte", KW_SBYTE}, {"short", KW_SHORT}, {"string", KW_STRING},
    {"uint", KW_UINT}, {"ulong", KW_ULONG}, {"ushort", KW_USHORT}, {"void", KW_VOID},
    {"nint", KW_NINT}, {"nuint", KW_NUINT},
    {"as", KW_AS}, {"is", KW_IS}, {"base", KW_BASE}, {"this", KW_THIS}, {"new", KW_NEW},
    {"typeof", KW_TYPEOF}, {"sizeof", KW_SIZEOF}, {"default", KW_DEFAULT},
    {"checked", KW_CHECKED}, {"unchecked", KW_UNCHECKED}, {"true", KW_TRUE},
    {"false", KW_FALSE}, {"null", KW_NULL}, {"stackalloc", KW_STACKALLOC},
    {"throw", KW_THROW}, {"switch", KW_SWITCH}, {"delegate", KW_DELEGATE}, {"ref", KW_REF},
    {"out", KW_OUT}, {"in", KW_IN},
    {"abstract", KW_OTHER}, {"break", KW_OTHER}, {"case", KW_OTHER}, {"catch", KW_OTHER},
    {"class", KW_OTHER}, {"const", KW_OTHER}, {"continue", KW_OTHER}, {"do", KW_OTHER},
    {"else", KW_OTHER}, {"enum", KW_OTHER}, {"event", KW_OTHER}, {"explicit", KW_OTHER},
    {"extern", KW_OTHER}, {"finally", KW_OTHER}, {"fixed", KW_OTHER}, {"for", KW_OTHER},
    {"foreach", KW_OTHER}, {"goto", KW_OTHER}, {"if", KW_OTHER}, {"implicit", KW_OTHER},
    {"interface", KW_OTHER}, {"internal", KW_OTHER}, {"lock", KW_OTHER},
    {"namespace", KW_OTHER}, {"operator", KW_OTHER}, {"override", KW_OTHER},
    {"params", KW_OTHER}, {"private", KW_OTHER}, {"protected", KW_OTHER},
    {"public", KW_OTHER}, {"readonly", KW_OTHER}, {"return", KW_OTHER},
    {"sealed", KW_OTHER}, {"static", KW_OTHER}, {"struct", KW_OTHER}, {"try", KW_OTHER},
    {"unsafe", KW_OTHER}, {"using", KW_OTHER}, {"virtual", KW_OTHER},
    {"volatile", KW_OTHER}, {"while", KW_OTHER},
};

static Keyword keyword_of(const char *w, size_t len) {
    if (len < 2 || len > 10)
        return KW_NONE;
    for (size_t k = 0; k < sizeof keywords / sizeof keywords[0]; k++)
        if (keywords[k].word[0] == w[0] && strlen(keywords[k].word) == len &&
            memcmp(keywords[k].word, w, len) == 0)
            return keywords[k].kw;
    return KW_NONE;
}

Keyword expr_keyword(const char *s) { return keyword_of(s, strlen(s)); }

static int is_ident_start(unsigned char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c >= 0x80;
}

static int is_ident_part(unsigned char c) {
    return is_ident_start(c) || (c >= '0' && c <= '9');
}

static int is_digit(char c) { return c >= '0' && c <= '9'; }

static int hex_val(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static Token *push_tok(Lexer *L, TokKind kind, size_t off) {
    if (L->nt == L->cap) {
        int cap = L->cap ? L->cap * 2 : 16;
        Token *t = arena_push(L->a, (size_t)cap * sizeof *t);
        if (!t) {
            L->oom = 1;
            return NULL;
        }
        if (L->nt)
            memcpy(t, L->t, (size_t)L->nt * sizeof *t);
        L->t = t;
        L->cap = cap;
    }
    Token *t = &L->t[L->nt++];
    memset(t, 0, sizeof *t);
    t->kind = kind;
    t->off = off;
    t->column = lx_col(L, off);
    return t;
}

/* Records the lexer's one error; the token being lexed becomes TK_ERROR. Returns -1. */
static int lx_fail(Lexer *L, size_t at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int lx_fail(Lexer *L, size_t at, const char *fmt, ...) {
    if (L->failed)
        return -1;
    L->failed = 1;
    L->err->column = lx_col(L, at);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(L->err->msg, sizeof L->err->msg, fmt, ap);
    va_end(ap);
    return -1;
}

/* ---- numbers ---- */

/* Digits in base 10 with '_' between them, from L->i; accumulates into *v (sets *over on
 * overflow) when v is set. Returns the number of digits, or -1 when a separator is not
 * between digits. */
static int dec_run(Lexer *L, uint64_t *v, int *over) {
    int digits = 0, last_us = 0;
    while (L->i < L->n && (is_digit(L->s[L->i]) || (L->s[L->i] == '_' && digits))) {
        char c = L->s[L->i++];
        if (c == '_') {
            last_us = 1;
            continue;
        }
        last_us = 0;
        digits++;
        if (v) {
            unsigned d = (unsigned)(c - '0');
            if (*v > (UINT64_MAX - d) / 10)
                *over = 1;
            else
                *v = *v * 10 + d;
        }
    }
    return last_us ? -1 : digits;
}

/* C#'s choice of type for an integer literal by its value and suffix (ECMA-334 §6.4.5.3). */
static void int_kind(ExprLit *l, uint64_t v, int su, int sl) {
    l->u = v;
    if (su && sl)
        l->kind = LIT_ULONG;
    else if (su)
        l->kind = v <= 0xFFFFFFFFu ? LIT_UINT : LIT_ULONG;
    else if (sl)
        l->kind = v <= (uint64_t)INT64_MAX ? LIT_LONG : LIT_ULONG;
    else if (v <= 0x7FFFFFFFu)
        l->kind = LIT_INT;
    else if (v <= 0xFFFFFFFFu)
        l->kind = LIT_UINT;
    else if (v <= (uint64_t)INT64_MAX)
        l->kind = LIT_LONG;
    else
        l->kind = LIT_ULONG;
}

/* After the digits: [uU][lL]? or [lL][uU]?; sets *su / *sl. */
static void int_suffix(Lexer *L, int *su, int *sl) {
    for (int k = 0; k < 2 && L->i < L->n; k++) {
        char c = L->s[L->i];
        if ((c == 'u' || c == 'U') && !*su)
            *su = 1;
        else if ((c == 'l' || c == 'L') && !*sl)
            *sl = 1;
        else
            break;
        L->i++;
    }
}

static int lex_number(Lexer *L, Token *t) {
    const char *s = L->s;
    size_t start = L->i;
    int su = 0, sl = 0, over = 0;
    uint64_t v = 0;

    if (s[start] == '0' && start + 1 < L->n &&
        (s[start + 1] == 'x' || s[start + 1] == 'X' || s[start + 1] == 'b' || s[start + 1] == 'B')) {
        unsigned base = (s[start + 1] == 'x' || s[start + 1] == 'X') ? 16 : 2;
        int digits = 0, last_us = 0;
        L->i += 2;
        while (L->i < L->n) {
            char c = s[L->i];
            int d = hex_val(c);
            if (c == '_') {
                last_us = 1;
                L->i++;
                continue;
            }
            if (d < 0 || (unsigned)d >= base)
                break;
            last_us = 0;
            digits++;
            L->i++;
            if (v > (UINT64_MAX - (unsigned)d) / base)
                over = 1;
            else
                v = v * base + (unsigned)d;
        }
        if (!digits || last_us)
            return lx_fail(L, start, "Invalid number");
        if (over)
            return lx_fail(L, start, "Integral constant is too large");
        int_suffix(L, &su, &sl);
        t->kind = TK_INT;
        int_kind(&t->lit, v, su, sl);
        return 0;
    }

    int is_real = 0;
    if (dec_run(L, &v, &over) < 0)
        return lx_fail(L, start, "Invalid number");
    if (L->i + 1 < L->n && s[L->i] == '.' && is_digit(s[L->i + 1])) {
        is_real = 1;
        L->i++;
        if (dec_run(L, NULL, NULL) < 0)
            return lx_fail(L, start, "Invalid number");
    }
    if (L->i < L->n && (s[L->i] == 'e' || s[L->i] == 'E')) {
        size_t j = L->i + 1;
        if (j < L->n && (s[j] == '+' || s[j] == '-'))
            j++;
        if (j >= L->n || !is_digit(s[j]))
            return lx_fail(L, start, "Invalid real literal");
        is_real = 1;
        L->i = j;
        if (dec_run(L, NULL, NULL) < 0)
            return lx_fail(L, start, "Invalid number");
    }
    size_t end = L->i;

    char suf = L->i < L->n ? s[L->i] : 0;
    ExprLitKind kind = LIT_DOUBLE;
    if (suf == 'f' || suf == 'F' || suf == 'd' || suf == 'D' || suf == 'm' || suf == 'M') {
        is_real = 1;
        kind = (suf == 'f' || suf == 'F') ? LIT_FLOAT : (suf == 'm' || suf == 'M') ? LIT_DECIMAL : LIT_DOUBLE;
        L->i++;
    }
    if (!is_real) {
        if (over)
            return lx_fail(L, start, "Integral constant is too large");
        int_suffix(L, &su, &sl);
        t->kind = TK_INT;
        t->dec_plain = !su;
        t->suffix_l = sl && !su;
        int_kind(&t->lit, v, su, sl);
        return 0;
    }

    /* The text without separators: for strtod, and kept as a decimal literal's digits. */
    char *buf = arena_push(L->a, end - start + 1);
    if (!buf) {
        L->oom = 1;
        return -1;
    }
    for (size_t k = start, blen = 0; k < end; k++)
        if (s[k] != '_')
            buf[blen++] = s[k];
    /* strtod follows LC_NUMERIC; C# text always means the C locale. */
    locale_t c_loc = newlocale(LC_ALL_MASK, "C", (locale_t)0);
    if (!c_loc) {
        L->oom = 1;
        return -1;
    }
    t->kind = TK_REAL;
    t->lit.kind = kind;
    int bad = 0;
    if (kind == LIT_FLOAT) {
        float f = strtof_l(buf, NULL, c_loc);
        bad = isinf(f);
        t->lit.d = f;
    } else {
        double d = strtod_l(buf, NULL, c_loc);
        bad = isinf(d) || (kind == LIT_DECIMAL && d >= 79228162514264337593543950336.0);
        t->lit.d = kind == LIT_DOUBLE ? d : 0;
        if (kind == LIT_DECIMAL)
            t->lit.text = buf;
    }
    freelocale(c_loc);
    if (bad)
        return lx_fail(L, start, "Floating-point constant is outside the range of type '%s'",
                       kind == LIT_FLOAT ? "float" : kind == LIT_DECIMAL ? "decimal" : "double");
    return 0;
}

/* ---- characters and strings ---- */

/* s[L->i] is the backslash of an escape; moves past it. \U may give a code point above
 * U+FFFF; \x takes one to four hex digits. */
static int lex_escape(Lexer *L, uint32_t *cp) {
    size_t at = L->i++;
    if (L->i >= L->n)
        return lx_fail(L, at, "Unrecognized escape sequence");
    char c = L->s[L->i++];
    int want = 0, least = 0;
    switch (c) {
    case '\'': *cp = '\''; return 0;
    case '"':  *cp = '"';  return 0;
    case '\\': *cp = '\\'; return 0;
    case '0':  *cp = 0;    return 0;
    case 'a':  *cp = 7;    return 0;
    case 'b':  *cp = 8;    return 0;
    case 'f':  *cp = 12;   return 0;
    case 'n':  *cp = 10;   return 0;
    case 'r':  *cp = 13;   return 0;
    case 't':  *cp = 9;    return 0;
    case 'v':  *cp = 11;   return 0;
    case 'x':  want = 4, least = 1; break;
    case 'u':  want = 4, least = 4; break;
    case 'U':  want = 8, least = 8; break;
    default:
        return lx_fail(L, at, "Unrecognized escape sequence");
    }
    uint32_t v = 0;
    int got = 0;
    while (got < want && L->i < L->n && hex_val(L->s[L->i]) >= 0) {
        v = v * 16 + (uint32_t)hex_val(L->s[L->i++]);
        got++;
    }
    if (got < least || v > 0x10FFFF)
        return lx_fail(L, at, "Unrecognized escape sequence");
    *cp = v;
    return 0;
}

static int is_newline(char c) { return c == '\n' || c == '\r'; }

static int lex_char(Lexer *L, Token *t) {
    size_t start = L->i++;
    uint32_t cp;
    if (L->i >= L->n || is_newline(L->s[L->i]))
        return lx_fail(L, start, "Newline in constant");
    if (L->s[L->i] == '\'')
        return lx_fail(L, start, "Empty character literal");
    if (L->s[L->i] == '\\') {
        if (lex_escape(L, &cp) < 0)
            return -1;
    } else {
        cp = utf8_next(L->s, L->n, &L->i);
    }
    if (L->i < L->n && L->s[L->i] == '\'' && cp <= 0xFFFF) {
        L->i++;
        t->kind = TK_CHAR;
        t->lit.kind = LIT_CHAR;
        t->lit.u = cp;
        return 0;
    }
    /* More before the closing quote (or a code point that needs two UTF-16 units). */
    for (size_t j = L->i; j < L->n && !is_newline(L->s[j]); j++)
        if (L->s[j] == '\'' && (j == L->i || L->s[j - 1] != '\\'))
            return lx_fail(L, start, "Too many characters in character literal");
    if (cp > 0xFFFF)
        return lx_fail(L, start, "Too many characters in character literal");
    return lx_fail(L, start, "Newline in constant");
}

static int finish_string(Lexer *L, Token *t, char *buf, size_t len) {
    buf[len] = 0;
    t->kind = TK_STRING;
    t->lit.kind = LIT_STRING;
    t->lit.text = buf;
    t->lit.len = len;
    return 0;
}

/* Bytes from s[start] to the end of a regular string literal (or of the line or text):
 * the decoded text is never longer, so that sizes its buffer. */
static size_t string_extent(const char *s, size_t start, size_t n) {
    size_t k = start + 1;
    while (k < n && s[k] != '"' && !is_newline(s[k]))
        k += s[k] == '\\' ? 2 : 1;
    return (k < n ? k : n) - start + 1;
}

static int lex_string(Lexer *L, Token *t) {
    size_t start = L->i++;
    char *buf = arena_push(L->a, string_extent(L->s, start, L->n));
    size_t len = 0;
    if (!buf) {
        L->oom = 1;
        return -1;
    }
    for (;;) {
        if (L->i >= L->n || is_newline(L->s[L->i]))
            return lx_fail(L, start, "Newline in constant");
        char c = L->s[L->i];
        if (c == '"') {
            L->i++;
            return finish_string(L, t, buf, len);
        }
        if (c != '\\') {
            buf[len++] = c;
            L->i++;
            continue;
        }
        uint32_t cp;
        if (lex_escape(L, &cp) < 0)
            return -1;
        /* A surrogate pair written as two escapes is one code point in UTF-8. */
        if (cp >= 0xD800 && cp <= 0xDBFF && L->i + 1 < L->n && L->s[L->i] == '\\' &&
            (L->s[L->i + 1] == 'u' || L->s[L->i + 1] == 'x')) {
            size_t save = L->i;
            uint32_t lo;
            if (lex_escape(L, &lo) < 0)
                return -1;
            if (lo >= 0xDC00 && lo <= 0xDFFF)
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
            else
                L->i = save;
        }
        len += (size_t)expr_utf8_put(buf + len, cp);
    }
}

static int lex_verbatim_string(Lexer *L, Token *t) {
    size_t start = L->i, k = start + 2;
    while (k < L->n && (L->s[k] != '"' || (k + 1 < L->n && L->s[k + 1] == '"')))
        k += L->s[k] == '"' ? 2 : 1;
    L->i += 2;
    char *buf = arena_push(L->a, (k < L->n ? k : L->n) - start + 1);
    size_t len = 0;
    if (!buf) {
        L->oom = 1;
        return -1;
    }
    while (L->i < L->n) {
        char c = L->s[L->i++];
        if (c == '"') {
            if (L->i < L->n && L->s[L->i] == '"') {
                L->i++;
            } else {
                return finish_string(L, t, buf, len);
            }
        }
        buf[len++] = c;
    }
    return lx_fail(L, start, "Unterminated string literal");
}

static size_t quote_run(const char *s, size_t i, size_t n) {
    size_t k = i;
    while (k < n && s[k] == '"')
        k++;
    return k - i;
}

/* Past one line break (\r\n, \n or \r) at s[i], if there is one. */
static size_t skip_newline(const char *s, size_t i, size_t n) {
    if (i < n && s[i] == '\r')
        return i + 1 < n && s[i + 1] == '\n' ? i + 2 : i + 1;
    return i < n && s[i] == '\n' ? i + 1 : i;
}

/* Raw string literals ("""...""", C# 11): single-line, or multi-line with the closing
 * line's indentation removed from every content line. */
static int lex_raw_string(Lexer *L, Token *t) {
    const char *s = L->s;
    size_t n = L->n, start = L->i, q = quote_run(s, start, n), j = start + q, len = 0;
    char *buf;
    size_t k = j;
    while (k < n && (s[k] == ' ' || s[k] == '\t'))
        k++;
    if (k < n && !is_newline(s[k])) {
        for (k = j; k < n && !is_newline(s[k]);) {
            size_t r = quote_run(s, k, n);
            if (r == 0) {
                k++;
                continue;
            }
            if (r > q)
                return lx_fail(L, k, "The raw string literal does not start with enough quote characters to allow this many consecutive quote characters as content");
            if (r == q) {
                if (!(buf = arena_push(L->a, k - j + 1))) {
                    L->oom = 1;
                    return -1;
                }
                memcpy(buf, s + j, k - j);
                L->i = k + q;
                return finish_string(L, t, buf, k - j);
            }
            k += r;
        }
        return lx_fail(L, start, "Unterminated raw string literal");
    }
    /* Multi-line: find the closing line first, for its indentation. */
    size_t first = skip_newline(s, k, n), line = first, close_ws = 0, close_at = 0;
    int found = 0;
    while (line < n && !found) {
        size_t w = line;
        while (w < n && (s[w] == ' ' || s[w] == '\t'))
            w++;
        size_t r = quote_run(s, w, n);
        if (r >= q) {
            if (r > q)
                return lx_fail(L, w, "The raw string literal does not start with enough quote characters to allow this many consecutive quote characters as content");
            found = 1;
            close_ws = line;
            close_at = w;
            break;
        }
        size_t e = w;
        while (e < n && !is_newline(s[e])) {
            size_t rr = quote_run(s, e, n);
            if (rr >= q)
                return lx_fail(L, e, "The raw string literal does not start with enough quote characters to allow this many consecutive quote characters as content");
            e += rr ? rr : 1;
        }
        line = skip_newline(s, e, n);
        if (line == e)
            break;
    }
    if (!found)
        return lx_fail(L, start, "Unterminated raw string literal");
    size_t indent = close_at - close_ws;
    if (!(buf = arena_push(L->a, close_at - start + 1))) {
        L->oom = 1;
        return -1;
    }
    for (line = first; line < close_ws;) {
        size_t e = line;
        while (e < n && !is_newline(s[e]))
            e++;
        size_t next = skip_newline(s, e, n);
        int blank = 1;
        for (size_t x = line; x < e; x++)
            if (s[x] != ' ' && s[x] != '\t')
                blank = 0;
        if (!blank && (e - line < indent || memcmp(s + line, s + close_ws, indent) != 0))
            return lx_fail(L, line, "Line does not start with the same whitespace as the closing line of the raw string literal");
        if (!blank) {
            memcpy(buf + len, s + line + indent, e - line - indent);
            len += e - line - indent;
        }
        /* The newline ending the last content line belongs to the delimiter. */
        if (next < close_ws) {
            memcpy(buf + len, s + e, next - e);
            len += next - e;
        }
        line = next;
    }
    L->i = close_at + q;
    return finish_string(L, t, buf, len);
}

/* ---- punctuators ---- */

static const struct { const char *text; int op; } puncts[] = {
    {"<<=", P_COMPOUND | OP_SHL}, {"?" "?=", P_COMPOUND | OP_COALESCE},
    {"++", P_INC}, {"--", P_DEC}, {"+=", P_COMPOUND | '+'}, {"-=", P_COMPOUND | '-'},
    {"*=", P_COMPOUND | '*'}, {"/=", P_COMPOUND | '/'}, {"%=", P_COMPOUND | '%'},
    {"&=", P_COMPOUND | '&'}, {"|=", P_COMPOUND | '|'}, {"^=", P_COMPOUND | '^'},
    {"&&", OP_ANDAND}, {"||", OP_OROR}, {"==", OP_EQ}, {"!=", OP_NE}, {"<=", OP_LE},
    {">=", OP_GE}, {"<<", OP_SHL}, {"??", OP_COALESCE}, {"=>", P_LAMBDA}, {"->", P_PTR},
    {"::", P_COLONCOLON}, {"..", P_DOTDOT},
};

static int lex_punct(Lexer *L, Token *t) {
    const char *p = L->s + L->i;
    size_t left = L->n - L->i;
    for (size_t k = 0; k < sizeof puncts / sizeof puncts[0]; k++) {
        size_t len = strlen(puncts[k].text);
        if (len <= left && memcmp(p, puncts[k].text, len) == 0) {
            t->kind = TK_PUNCT;
            t->op = puncts[k].op;
            L->i += len;
            return 0;
        }
    }
    if (p[0] && strchr("+-*/%&|^!~=<>?:;,.()[]{}", p[0])) {
        t->kind = TK_PUNCT;
        t->op = (unsigned char)p[0];
        L->i++;
        return 0;
    }
    unsigned char c = (unsigned char)p[0];
    if (c >= 0x20 && c < 0x7F)
        return lx_fail(L, L->i, "Unexpected character '%c'", c);
    return lx_fail(L, L->i, "Unexpected character '\\u%04X'", c);
}

static void lex_ident(Lexer *L, Token *t, int verbatim) {
    size_t start = L->i;
    while (L->i < L->n && is_ident_part((unsigned char)L->s[L->i]))
        L->i++;
    size_t len = L->i - start;
    Keyword kw = verbatim ? KW_NONE : keyword_of(L->s + start, len);
    t->kind = kw ? TK_KEYWORD : TK_IDENT;
    t->op = kw;
    t->name = arena_strndup(L->a, L->s + start, len);
    if (!t->name)
        L->oom = 1;
}

size_t expr_interp_end(const char *s, size_t i, size_t n) {
    size_t k = i + 2;
    int depth = 0;
    while (k < n) {
        char ch = s[k];
        if (depth == 0) {
            if (is_newline(ch))
                return 0;
            if (ch == '\\') {
                k += 2;
                continue;
            }
            if (ch == '"')
                return k + 1;
            if (ch == '{') {
                if (k + 1 < n && s[k + 1] == '{')
                    k++;
                else
                    depth = 1;
            } else if (ch == '}' && k + 1 < n && s[k + 1] == '}') {
                k++;
            }
            k++;
            continue;
        }
        size_t e = expr_skip_literal(s, k, n);
        if (e != k) {
            k = e;
            continue;
        }
        if (ch == '(' || ch == '[' || ch == '{')
            depth++;
        else if (ch == ')' || ch == ']' || ch == '}')
            depth--;
        k++;
    }
    return 0;
}

static int lex_one(Lexer *L, Token *t) {
    const char *s = L->s;
    size_t i = L->i, n = L->n;
    unsigned char c = (unsigned char)s[i];
    char c1 = i + 1 < n ? s[i + 1] : 0, c2 = i + 2 < n ? s[i + 2] : 0;
    if (is_ident_start(c)) {
        lex_ident(L, t, 0);
        return 0;
    }
    if (is_digit((char)c) || (c == '.' && is_digit(c1)))
        return lex_number(L, t);
    if (c == '"')
        return (c1 == '"' && c2 == '"') ? lex_raw_string(L, t) : lex_string(L, t);
    if (c == '\'')
        return lex_char(L, t);
    if (c == '$' && c1 == '"' && !(c2 == '"' && i + 3 < n && s[i + 3] == '"')) {
        /* An interpolated string: the parser splits its text and parses the holes. */
        size_t end = expr_interp_end(s, i, n);
        if (!end)
            return lx_fail(L, i, "Newline in constant");
        t->kind = TK_INTERP;
        t->name = arena_strndup(L->a, s + i + 2, end - i - 3);
        if (!t->name)
            L->oom = 1;
        L->i = end;
        return 0;
    }
    if (c == '$' && (c1 == '"' || c1 == '@' || c1 == '$'))
        return lx_fail(L, i, "verbatim and raw interpolated strings are not supported in cordbg expressions");
    if (c == '$' && is_ident_start((unsigned char)c1)) {
        /* A debugger pseudo-variable: $exception. One identifier, '$' included. */
        L->i++;
        lex_ident(L, t, 1);
        t->name = t->name ? arena_strndup(L->a, s + i, L->i - i) : NULL;
        if (!t->name)
            L->oom = 1;
        return 0;
    }
    if (c == '@') {
        if (c1 == '"') {
            L->i = i;
            return lex_verbatim_string(L, t);
        }
        if (c1 == '$')
            return lx_fail(L, i, "verbatim and raw interpolated strings are not supported in cordbg expressions");
        if (i + 1 < n && is_ident_start((unsigned char)c1)) {
            L->i++;
            lex_ident(L, t, 1);
            return 0;
        }
        return lx_fail(L, i, "Keyword, identifier, or string expected after verbatim specifier: @");
    }
    return lex_punct(L, t);
}

Token *expr_lex(Arena *a, const char *src, size_t n, int *ntok, ExprError *lexerr) {
    Lexer L = {.a = a, .s = src, .n = n, .col = 1, .err = lexerr};
    int space = 1;
    for (;;) {
        while (L.i < n && (src[L.i] == ' ' || src[L.i] == '\t' || src[L.i] == '\n' ||
                           src[L.i] == '\r' || src[L.i] == '\v' || src[L.i] == '\f')) {
            L.i++;
            space = 1;
        }
        size_t start = L.i;
        Token *t = push_tok(&L, L.i >= n ? TK_EOF : TK_ERROR, start);
        if (!t)
            return NULL;
        t->space_before = space;
        space = 0;
        if (L.i >= n)
            break;
        int rc = lex_one(&L, t);
        if (L.oom)
            return NULL;
        t->len = L.i - start;
        if (rc < 0 || L.failed) {
            t->kind = TK_ERROR;
            t->len = L.i > start ? L.i - start : 1;
            if (!push_tok(&L, TK_EOF, L.i))
                return NULL;
            break;
        }
    }
    *ntok = L.nt;
    return L.t;
}
