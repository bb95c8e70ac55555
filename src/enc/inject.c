/* Code injection: frame position -> helper `inject` -> deltas applied -> commit -> call.
 * See inject.h. The helper keeps the injection pending until commit or discard; a delta the
 * runtime refuses is discarded, so the helper's state stays what the program runs. */
#include "enc/inject.h"
#include "base/arena.h"
#include "base/log.h"
#include "base/os.h"
#include "base/strbuf.h"
#include "expr/expr.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { INJECT_TIMEOUT_MS = 120000 };   /* the first use builds the module's baseline */

int enc_refused_syntax(const char *text)
{
    Arena *a = arena_new();
    if (!a) return 0;
    const char *spec = NULL;
    ExprError err;
    int refused = expr_parse_with_spec(a, text, &spec, &err) == NULL &&
                  /* C# the evaluator knows it does not do (lambdas, queries, switch
                   * expressions...) or statements; a typo keeps the evaluator's own error,
                   * with its column, and starts no compiler */
                  (strstr(err.msg, "not supported in cordbg expressions") || enc_looks_like_statements(text));
    arena_free(a);
    return refused;
}

int enc_looks_like_statements(const char *text)
{
    const char *p = text;
    while (isspace((unsigned char)*p)) p++;
    static const char *const kw[] = { "if", "for", "foreach", "while", "do", "var", "return", "switch",
                                      "try", "throw", "using", "lock", "{", NULL };
    for (int i = 0; kw[i]; i++) {
        size_t n = strlen(kw[i]);
        if (!strncmp(p, kw[i], n) && (kw[i][0] == '{' || (!isalnum((unsigned char)p[n]) && p[n] != '_'))) return 1;
    }
    /* a ';' at depth 0 outside strings and chars */
    int depth = 0;
    for (const char *q = p; *q; q++) {
        if (*q == '"' || *q == '\'') {
            char quote = *q;
            int verbatim = quote == '"' && q > p && q[-1] == '@';
            for (q++; *q && *q != quote; q++)
                if (*q == '\\' && !verbatim && q[1]) q++;
            if (!*q) break;
        } else if (*q == '(' || *q == '[' || *q == '{') {
            depth++;
        } else if (*q == ')' || *q == ']' || *q == '}') {
            depth--;
        } else if (*q == ';' && depth == 0) {
            return 1;
        }
    }
    return 0;
}

/* The helper's diagnostics: "error CS1002: ; expected" lines into b; the first error's
 * text into first. */
static void diagnostics_text(json_t *reply, StrBuf *b, char *first, size_t cap)
{
    json_t *diags = json_object_get(reply, "diagnostics");
    size_t i;
    json_t *dj;
    first[0] = 0;
    json_array_foreach(diags, i, dj) {
        const char *sev = json_string_value(json_object_get(dj, "severity"));
        const char *id = json_string_value(json_object_get(dj, "id"));
        const char *msg = json_string_value(json_object_get(dj, "message"));
        if (b->len) sb_puts(b, "\n");
        /* "CS0103: The name 'x' does not exist...", as the evaluator words its own; others
         * (warnings) say what they are */
        int is_error = !sev || !strcmp(sev, "error");
        sb_printf(b, "%s%s%s%s%s", is_error ? "" : sev, is_error || !id ? "" : " ", id ? id : "", id ? ": " : "",
                  msg ? msg : "");
        if (!first[0] && (!sev || !strcmp(sev, "error")))
            snprintf(first, cap, "%s%s%s", id ? id : "", id ? ": " : "", msg ? msg : "");
    }
}

static uint32_t *tokens_of(json_t *arr, size_t *n)
{
    *n = json_array_size(arr);
    uint32_t *t = calloc(*n ? *n : 1, sizeof *t);
    if (!t) { *n = 0; return NULL; }
    for (size_t i = 0; i < *n; i++) t[i] = (uint32_t)json_integer_value(json_array_get(arr, i));
    return t;
}

static uint8_t *bytes_of(json_t *o, const char *key, size_t *len)
{
    const char *b64 = json_string_value(json_object_get(o, key));
    *len = 0;
    if (!b64 || !*b64) return NULL;
    return enc_b64_decode(b64, len);
}

/* Apply each delta of the reply; 0, or -1 with r->err (those applied before stay applied:
 * an injection has one module's). */
static int apply_deltas(EngSession *s, json_t *reply, EngResult *r)
{
    json_t *deltas = json_object_get(reply, "deltas");
    size_t i;
    json_t *dj;
    json_array_foreach(deltas, i, dj) {
        EngEncDelta d = { 0 };
        d.module = json_string_value(json_object_get(dj, "module"));
        uint8_t *md = bytes_of(dj, "metadata", &d.metadata_len);
        uint8_t *il = bytes_of(dj, "il", &d.il_len);
        uint8_t *pdb = bytes_of(dj, "pdb", &d.pdb_len);
        uint32_t *um = tokens_of(json_object_get(dj, "updatedMethods"), &d.nupdated_methods);
        uint32_t *am = tokens_of(json_object_get(dj, "addedMethods"), &d.nadded_methods);
        uint32_t *ut = tokens_of(json_object_get(dj, "updatedTypes"), &d.nupdated_types);
        d.metadata = md;
        d.il = il;
        d.pdb = pdb;
        d.updated_methods = um;
        d.added_methods = am;
        d.updated_types = ut;
        int rc = 0;
        if (!d.module || !md) {
            snprintf(r->err, sizeof r->err, "the helper's delta has no %s", d.module ? "metadata" : "module");
            rc = -1;
        } else {
            EngResult ar;
            eng_enc_apply(s, &d, &ar);
            if (ar.status != 0) {
                snprintf(r->err, sizeof r->err, "the runtime refused the injected code: %s", ar.err);
                rc = -1;
            }
            eng_result_free(&ar);
        }
        free(md);
        free(il);
        free(pdb);
        free(um);
        free(am);
        free(ut);
        if (rc != 0) { r->status = -1; return -1; }
    }
    return 0;
}

/* Does TEXT hold NAME as an identifier (not inside a longer one; strings not excluded:
 * a false yes only costs the default)? */
static int names_identifier(const char *text, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = strstr(text, name); p; p = strstr(p + 1, name)) {
        int before = p > text && (isalnum((unsigned char)p[-1]) || p[-1] == '_' || p[-1] == '@');
        int after = isalnum((unsigned char)p[n]) || p[n] == '_';
        if (!before && !after) return 1;
    }
    return 0;
}

static void free_marked(char **marked, size_t n)
{
    for (size_t i = 0; marked && i < n; i++) free(marked[i]);
    free(marked);
}

static void simple_request(EncService *svc, const char *cmd)
{
    json_t *req = json_pack("{s:s}", "cmd", cmd);
    json_t *reply = NULL;
    char err[256];
    if (req && enc_request(svc, req, 30000, &reply, err, sizeof err) == 0) json_decref(reply);
    json_decref(req);
}

void enc_inject_ex(EncService *svc, EngSession *s, int thread, int frame, int kind, const char *text,
                   int flags, int max_children, EngResult *r)
{
    memset(r, 0, sizeof *r);
    uint64_t t0 = os_monotonic_ns();
    EngFrameLocation loc;
    EngResult lr;
    eng_frame_location(s, thread, frame, &loc, &lr);
    if (lr.status != 0) {
        *r = lr;
        return;
    }
    eng_result_free(&lr);
    char err[512];
    if (enc_ensure_open(svc, s, loc.module, err, sizeof err) != 0) {
        r->status = -1;
        snprintf(r->err, sizeof r->err, "%s", err);
        return;
    }
    json_t *req = json_pack("{s:s, s:s, s:I, s:I, s:s, s:I, s:I, s:s, s:s}",
                            "cmd", "inject", "module", loc.module, "method", (json_int_t)loc.token,
                            "ilOffset", (json_int_t)loc.il, "path", loc.file, "line", (json_int_t)loc.line,
                            "column", (json_int_t)loc.column,
                            "kind", kind == ENC_INJECT_STATEMENTS ? "statements" : "expression", "text", text);
    json_t *reply = NULL;
    if (!req) { r->status = -1; snprintf(r->err, sizeof r->err, "out of memory"); return; }
    uint64_t t1 = os_monotonic_ns();
    int rc = enc_request(svc, req, INJECT_TIMEOUT_MS, &reply, err, sizeof err);
    json_decref(req);
    uint64_t t2 = os_monotonic_ns();
    if (rc != 0) {
        r->status = -1;
        snprintf(r->err, sizeof r->err, "%s", err);
        return;
    }
    if (!json_is_true(json_object_get(reply, "ok"))) {
        StrBuf b;
        sb_init(&b);
        char first[400];
        diagnostics_text(reply, &b, first, sizeof first);
        const char *e = json_string_value(json_object_get(reply, "error"));
        r->status = -1;
        if (first[0]) snprintf(r->err, sizeof r->err, "%s", first);
        else snprintf(r->err, sizeof r->err, "the helper could not compile it: %s", e ? e : "no reason given");
        r->text = b.len ? sb_take(&b) : NULL;
        sb_free(&b);
        json_decref(reply);
        return;
    }
    json_t *params = json_object_get(reply, "parameters");
    size_t np = json_array_size(params);
    const char **names = calloc(np ? np : 1, sizeof *names);
    json_t *mj = json_object_get(reply, "method");
    if (!names || !json_is_integer(mj)) {
        r->status = -1;
        snprintf(r->err, sizeof r->err, names ? "the helper's reply names no method" : "out of memory");
        free(names);
        simple_request(svc, "discard");
        json_decref(reply);
        return;
    }
    /* A variable the text does not name may be missing from the frame (an outer local a
     * lambda did not capture): "?NAME" lets the engine pass a default for it. */
    char **marked = calloc(np ? np : 1, sizeof *marked);
    for (size_t i = 0; i < np && marked; i++) {
        const char *nm = json_string_value(json_object_get(json_array_get(params, i), "name"));
        names[i] = nm;
        if (nm && !names_identifier(text, nm) && asprintf(&marked[i], "?%s", nm) > 0) names[i] = marked[i];
    }
    for (size_t i = 0; i < np; i++) {
        if (names[i]) continue;
        r->status = -1;
        snprintf(r->err, sizeof r->err, "the helper's parameter %zu has no name", i + 1);
        free_marked(marked, np);
        free(names);
        simple_request(svc, "discard");
        json_decref(reply);
        return;
    }
    if (apply_deltas(s, reply, r) != 0) {
        free_marked(marked, np);
        free(names);
        simple_request(svc, "discard");
        json_decref(reply);
        return;
    }
    uint64_t t3 = os_monotonic_ns();
    simple_request(svc, "commit");
    uint64_t t4 = os_monotonic_ns();
    uint32_t method = (uint32_t)json_integer_value(mj);
    int is_static = json_is_true(json_object_get(reply, "isStatic"));
    eng_call_injected_ex(s, loc.thread_id, loc.frame, loc.module, method, is_static, names, (int)np, flags,
                         max_children, r);
    /* where an injection's time goes (the figures in README's Performance) */
    log_msg(LOG_INFO, "inject", "%.1f ms: frame and open %.1f, compile %.1f, apply %.1f, commit %.1f, call %.1f",
            (os_monotonic_ns() - t0) / 1e6, (t1 - t0) / 1e6, (t2 - t1) / 1e6, (t3 - t2) / 1e6, (t4 - t3) / 1e6,
            (os_monotonic_ns() - t4) / 1e6);
    free_marked(marked, np);
    free(names);
    json_decref(reply);
}

void enc_inject(EncService *svc, EngSession *s, int thread, int frame, int kind, const char *text, EngResult *r)
{
    enc_inject_ex(svc, s, thread, frame, kind, text, 0, 0, r);
}
