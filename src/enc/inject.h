/* enc/inject: code injection (seed 001: "a combination of Edit and Continue operations and
 * function evaluation"). C# the plain evaluator refuses (lambdas, LINQ, query syntax,
 * switch expressions, statements) is compiled by the helper as a new method of the type
 * around the frame's position, with the frame's locals and parameters as `ref` parameters;
 * the delta is applied and committed, and the method is called on the stopped thread with
 * the frame's own variables (eng_call_injected), so that assignments stick. Called from a
 * front end's thread, with the EncService's user lock held by the caller. */
#ifndef CORDBG_ENC_INJECT_H
#define CORDBG_ENC_INJECT_H
#include "enc/enc.h"
#include "engine/session.h"

enum { ENC_INJECT_EXPRESSION, ENC_INJECT_STATEMENTS };

/* Compile TEXT at frame FRAME (-1: the selected one) of thread THREAD (0: the selected
 * one), add it to the program and run it there. r->text: the value as print shows it (NULL
 * for statements and void), r->message its type; on failure r->err, and the compiler's
 * diagnostics one per line in r->text ("CS1002: ; expected", "warning CS0168: ..."). flags: ENG_EVAL_HEX;
 * max_children as eng_evaluate_n. */
void enc_inject(EncService *svc, EngSession *s, int thread, int frame, int kind, const char *text, EngResult *r);
void enc_inject_ex(EncService *svc, EngSession *s, int thread, int frame, int kind, const char *text,
                   int flags, int max_children, EngResult *r);

/* Does cordbg's own expression parser refuse TEXT (a format specifier after a comma
 * allowed)? Only such text goes to injection from print and a REPL: the plain evaluator
 * stays the fast path. */
int enc_refused_syntax(const char *text);

/* Does TEXT read as statements rather than one expression (a `;` outside strings and
 * brackets, or a leading statement keyword)? */
int enc_looks_like_statements(const char *text);

#endif
