/* Breakpoints: parsing a location, binding it through the PDB to (method, IL offset) in
 * every loaded module that has it, keeping it pending until its module loads, and
 * unbinding when a module unloads. The runtime patches the code; this file only asks
 * for ICorDebugFunctionBreakpoints at IL offsets.
 *
 * A breakpoint's life: created (pending, or bound in the modules loaded now) ─▶ each
 * LoadModule may add bindings ─▶ UnloadModule / process exit drops bindings (pending
 * again when none is left) ─▶ delete releases everything. Disabled ones keep their
 * bindings, deactivated. */
#include "engine/internal.h"
#include "expr/expr.h"
#include "base/log.h"
#include "meta/sig.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

/* One ICorDebug breakpoint per place: breakpoints bound at the same (module, method, IL
 * offset) — one line named through two spellings of its path, a line and a method, the
 * entry stop's and the user's — share it, so that the runtime reports one hit and the stop
 * lists them all (on_breakpoint). It is active while any breakpoint bound to it is enabled. */
static int other_holder_enabled(EngSession *s, ICorDebugFunctionBreakpoint *fbp, const Breakpoint *self)
{
    for (size_t i = 0; i < s->nbps; i++) {
        const Breakpoint *o = &s->bps[i];
        if (o == self || !o->enabled) continue;
        for (size_t j = 0; j < o->nb; j++)
            if (o->b[j].bp == fbp) return 1;
    }
    return 0;
}

static ICorDebugFunctionBreakpoint *shared_at(EngSession *s, const Breakpoint *self, int module_id,
                                              uint32_t token, uint32_t il)
{
    for (size_t i = 0; i < s->nbps; i++) {
        const Breakpoint *o = &s->bps[i];
        if (o == self) continue;
        for (size_t j = 0; j < o->nb; j++)
            if (o->b[j].bp && !o->b[j].by_address && o->b[j].module_id == module_id && o->b[j].token == token && o->b[j].il == il)
                return o->b[j].bp;
    }
    return NULL;
}

static void release_binding(EngSession *s, const Breakpoint *owner, BpBinding *b)
{
    if (b->bp) {
        b->bp->lpVtbl->Activate(b->bp, other_holder_enabled(s, b->bp, owner) ? TRUE : FALSE);
        b->bp->lpVtbl->Release(b->bp);
        b->bp = NULL;
    }
}

static const char *file_base(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Make one ICorDebugFunctionBreakpoint at (token, il) of module m. */
static int create_at(EngSession *s, Breakpoint *bp, Module *m, uint32_t token, uint32_t il, uint32_t line)
{
    ICorDebugFunction *fn = NULL;
    ICorDebugCode *code = NULL;
    ICorDebugFunctionBreakpoint *fbp = shared_at(s, bp, m->id, token, il);
    if (fbp) {
        fbp->lpVtbl->AddRef(fbp);
        fbp->lpVtbl->Activate(fbp, bp->enabled || other_holder_enabled(s, fbp, bp) ? TRUE : FALSE);
        if (!GROW(bp->b, bp->nb, bp->capb)) {
            fbp->lpVtbl->Release(fbp);
            return -1;
        }
        bp->b[bp->nb++] = (BpBinding){ .module_id = m->id, .token = token, .il = il, .line = line, .bp = fbp };
        return 0;
    }
    HRESULT hr = m->m->lpVtbl->GetFunctionFromToken(m->m, token, &fn);
    if (SUCCEEDED(hr)) hr = fn->lpVtbl->GetILCode(fn, &code);
    if (SUCCEEDED(hr)) hr = code->lpVtbl->CreateBreakpoint(code, il, &fbp);
    if (code) code->lpVtbl->Release(code);
    if (fn) fn->lpVtbl->Release(fn);
    if (FAILED(hr) || !fbp) {
        char b[96];
        log_msg(LOG_INFO, "bp", "CreateBreakpoint 0x%08x+%u in %s: %s", (unsigned)token, (unsigned)il,
                m->name, clr_hr_str(hr, b, sizeof b));
        return -1;
    }
    fbp->lpVtbl->Activate(fbp, bp->enabled ? TRUE : FALSE);
    if (!GROW(bp->b, bp->nb, bp->capb)) {
        fbp->lpVtbl->Release(fbp);
        return -1;
    }
    bp->b[bp->nb++] = (BpBinding){ .module_id = m->id, .token = token, .il = il, .line = line, .bp = fbp,
                                   .attrs = eng_bp_method_attrs(s, m, token) };
    return 0;
}

/* The first and last lines with code of a method in one document. 0, or -1 if none. */
static int method_span(const PdbFile *pdb, uint32_t token, uint32_t doc, uint32_t *first, uint32_t *last)
{
    PdbSpIter it;
    PdbSeqPoint sp;
    *first = UINT32_MAX;
    *last = 0;
    if (pdb_sp_begin(pdb, token & 0x00ffffff, &it) != 0) return -1;
    while (pdb_sp_next(&it, &sp) == 1) {
        if (sp.hidden || sp.doc != doc) continue;
        if (sp.start_line < *first) *first = sp.start_line;
        if (sp.end_line > *last) *last = sp.end_line;
    }
    return *last ? 0 : -1;
}

/* Are lines (from, to) of FILE, exclusive, all blank or comments? Unknown (unreadable): yes. */
static int only_blank_between(const char *file, uint32_t from, uint32_t to)
{
    FILE *f = fopen(file, "re");
    if (!f) return 1;
    char buf[4096];
    uint32_t n = 0;
    int ok = 1;
    while (ok && fgets(buf, sizeof buf, f)) {
        n++;
        if (n <= from) continue;
        if (n >= to) break;
        const char *p = buf;
        while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') p++;
        if (*p && !(p[0] == '/' && p[1] == '/')) ok = 0;
    }
    fclose(f);
    return ok;
}

/* A breakpoint may move down to the next line with code only within a method, or from a
 * method's own declaration line to its first line. A line between members (a field, say)
 * is in no method: refused, with the reason. */
static int line_in_method(const PdbModule *sym, const PdbLineHit *hit, uint32_t line, char *err, size_t cap)
{
    const PdbFile *pdb = pdb_module_pdb(sym);
    uint32_t first, last;
    if (method_span(pdb, hit->method_token, hit->doc, &first, &last) != 0) return 1;
    if (line >= first && line <= last) return 1;
    if (line < first && only_blank_between(pdb_document_name(pdb, hit->doc), line, first)) return 1;
    char fn[512] = "";
    md_method_display(&pdb_module_image(sym)->md, hit->method_token & 0x00ffffff, 1, fn, sizeof fn);
    snprintf(err, cap, "line %u of %s is not inside a method (the next code, line %u, is in %s)",
             (unsigned)line, file_base(pdb_document_name(pdb, hit->doc)), (unsigned)hit->line, fn);
    return 0;
}

/* Append to note why bp never stops, when every location of it is in code the debugger
 * attributes hide (as Visual Studio greys such a breakpoint). */
static void never_stops_note(EngSession *s, const Breakpoint *bp, char *note, size_t cap)
{
    const char *why = NULL;
    for (size_t i = 0; i < bp->nb; i++) {
        why = eng_bp_never_stops(s, bp->b[i].attrs);
        if (!why) return;
    }
    size_t n = strlen(note);
    if (why && n < cap) snprintf(note + n, cap - n, " (never stops: %s)", why);
}

/* A local path under a substitute-path pair's TO, as the PDBs name it (under FROM): 1 with
 * out filled, 0 when no pair applies. */
int eng_map_to_build(const EngSession *s, const char *path, char *out, size_t cap)
{
    for (size_t i = 0; i < s->nmap; i++) {
        const char *to = s->map_to[i];
        size_t n = strlen(to);
        while (n > 1 && to[n - 1] == '/') n--;
        if (!n || strncmp(path, to, n) != 0 || (path[n] && path[n] != '/')) continue;
        size_t m = strlen(s->map_from[i]);
        while (m > 1 && s->map_from[i][m - 1] == '/') m--;
        snprintf(out, cap, "%.*s%s", (int)m, s->map_from[i], path + n);
        return 1;
    }
    return 0;
}

/* Bind bp in module m. Returns the number of new locations; -1 with err when the module
 * has the breakpoint's file but not a line with code at or after the given line. */
static int bind_in_module(EngSession *s, Breakpoint *bp, Module *m, char *err, size_t cap)
{
    if (bp->internal || bp->native || (!bp->is_line && !bp->method)) return 0;   /* the entry stop binds itself */
    if (bp->module && strcmp(bp->module, m->name) != 0) return 0;
    for (size_t i = 0; i < bp->nb; i++)
        if (bp->b[i].module_id == m->id) return 0;
    if (bp->method && bp->method[0] == '*') return lowlevel_bind_address(s, bp, m, err, cap);  /* jitted code */
    PdbModule *sym = eng_module_symbols(s, m, !bp->is_line);
    if (!sym) return 0;
    int added = 0;
    if (bp->is_line) {
        if (!pdb_module_pdb(sym)) return 0;
        uint32_t docs[4];
        char mapped[4096];
        const char *file = eng_map_to_build(s, bp->file, mapped, sizeof mapped) ? mapped : bp->file;
        uint32_t nd = pdb_module_match_documents(sym, file, docs, 4);
        if (nd == 0) return 0;
        /* The file on disk (a full path: a relative one names no file for sure) must be the
         * one the module was built from; when the checksum cannot be told, it binds. */
        /* An edited module (Edit and Continue) runs the text on disk now, not the one
         * the PDB's checksums describe: its changes were applied. */
        if (s->require_exact_source && bp->file[0] == '/' && !m->enc_applied) {
            int same = 0, differs = 0;
            for (uint32_t i = 0; i < nd && i < 4; i++) {
                int rc = pdb_document_source_matches(pdb_module_pdb(sym), docs[i], bp->file);
                if (rc == 1) same = 1;
                else if (rc == 0) differs = 1;
            }
            if (differs && !same) {
                snprintf(err, cap, "The source file is different from when the module was built "
                         "(%s; requireExactSource false, or set require-exact-source off, binds it anyway)", file_base(bp->file));
                return -1;
            }
        }
        MdPool pool = { 0 };
        PdbLineHit *hits = NULL;
        uint32_t n = 0, bound_line = 0;
        int rc = pdb_module_resolve_line(sym, &pool, file, bp->line, &hits, &n, &bound_line, err, cap);
        if (rc != 0) { md_pool_free(&pool); return -1; }
        /* One location per method: the first statement on the line (a `for` header's
         * initializer, not its condition and increment), as other debuggers bind. Lambdas
         * on the line are methods of their own and get theirs. Hits come sorted by method. */
        int refused = 0;
        if (bp->col) {
            /* The innermost sequence point of the line whose span holds the column, else
             * the first one after it: one location, in whichever method has it. */
            uint32_t best = n;
            for (uint32_t i = 0; i < n; i++) {
                const PdbLineHit *h = &hits[i];
                if (h->line != bp->line) continue;
                int holds = h->col <= bp->col && (h->end_line > h->line || bp->col < h->end_col);
                if (holds && (best == n || h->col > hits[best].col || hits[best].col > bp->col)) best = i;
                else if (!holds && h->col > bp->col && (best == n || (hits[best].col > bp->col && h->col < hits[best].col))) best = i;
            }
            if (best == n) {
                snprintf(err, cap, "no code at column %u of line %u", (unsigned)bp->col, (unsigned)bp->line);
                md_pool_free(&pool);
                return -1;
            }
            if (create_at(s, bp, m, hits[best].method_token, hits[best].il, hits[best].line) == 0) added++;
            n = 0;
            if (added) snprintf(bp->note, sizeof bp->note, "%s:%u:%u", file_base(bp->file), (unsigned)bp->line, (unsigned)hits[best].col);
        }
        for (uint32_t i = 0; i < n;) {
            uint32_t best = i, j = i;
            for (; j < n && hits[j].method_token == hits[i].method_token; j++)
                if (hits[j].col < hits[best].col || (hits[j].col == hits[best].col && hits[j].il < hits[best].il))
                    best = j;
            i = j;
            if (bound_line != bp->line && !line_in_method(sym, &hits[best], bp->line, err, cap)) { refused++; continue; }
            if (create_at(s, bp, m, hits[best].method_token, hits[best].il, hits[best].line) == 0) added++;
        }
        if (!added && refused) { md_pool_free(&pool); return -1; }
        if (added && !bp->col) {
            if (bound_line != bp->line)
                snprintf(bp->note, sizeof bp->note, "%s:%u (line %u has no code)",
                         file_base(bp->file), (unsigned)bound_line, (unsigned)bp->line);
            else
                snprintf(bp->note, sizeof bp->note, "%s:%u", file_base(bp->file), (unsigned)bound_line);
        }
        md_pool_free(&pool);
    } else {
        uint32_t tokens[64];
        uint32_t n = pdb_module_find_methods(sym, bp->method, tokens, 64);
        if (n > 64) n = 64;
        for (uint32_t i = 0; i < n; i++) {
            uint32_t line = 0;
            PdbLocation loc;
            if (pdb_module_pdb(sym) && pdb_module_locate(sym, tokens[i], 0, &loc) == 0) line = loc.line;
            if (create_at(s, bp, m, tokens[i], 0, line) == 0) added++;
        }
        if (added) snprintf(bp->note, sizeof bp->note, "%s (%zu location%s)", bp->method, bp->nb, bp->nb == 1 ? "" : "s");
    }
    return added;
}

/* Try every loaded module; report what happened in note/err. */
static int bind_everywhere(EngSession *s, Breakpoint *bp, char *err, size_t cap)
{
    int total = 0, failed = 0;
    err[0] = 0;
    for (size_t i = 0; i < s->nmodules; i++) {
        char e[512];
        int n = bind_in_module(s, bp, &s->modules[i], e, sizeof e);
        if (n < 0) { failed = 1; snprintf(err, cap, "%s", e); }
        else total += n;
    }
    return total ? total : failed ? -1 : 0;
}

static void set_pending_note(EngSession *s, Breakpoint *bp)
{
    if (s->state == ENG_NONE)
        snprintf(bp->note, sizeof bp->note, "pending: the program is not running yet");
    else if (bp->module)
        snprintf(bp->note, sizeof bp->note, "pending: module %s is not loaded (or has no symbols)", bp->module);
    else if (bp->is_line)
        snprintf(bp->note, sizeof bp->note, "pending: no loaded module has symbols for %s", bp->file);
    else if (bp->method[0] == '*')
        snprintf(bp->note, sizeof bp->note, "pending: no jitted code of a loaded module is at %s", bp->method + 1);
    else
        snprintf(bp->note, sizeof bp->note, "pending: no loaded module has a method %s", bp->method);
}

/* C#'s way to name a constructor, Type.Type (or Ns.Type<T>.Type), is .ctor in metadata. */
static char *constructor_spelling(const char *q)
{
    size_t len = strcspn(q, "(");
    const char *last = NULL, *prev = NULL;
    int depth = 0;
    for (size_t i = 0; i < len; i++) {
        if (q[i] == '<') depth++;
        else if (q[i] == '>') depth--;
        else if (q[i] == '.' && depth == 0) { prev = last; last = q + i; }
    }
    if (!last || last[1] == '.' || last == q) return strdup(q);
    const char *type = prev ? prev + 1 : q;
    size_t tlen = strcspn(type, ".<`");
    size_t mlen = (size_t)(q + len - (last + 1));
    if (tlen != mlen || strncmp(type, last + 1, tlen) != 0) return strdup(q);
    /* Replace the trailing "Type" by ".ctor", keeping any "(params)". */
    size_t head = (size_t)(last + 1 - q);
    char *out = malloc(strlen(q) + 8);
    if (!out) return NULL;
    memcpy(out, q, head);
    strcpy(out + head, ".ctor");
    strcat(out, q + len);
    return out;
}

/* Path p with its "." and ".." parts resolved and repeated slashes folded, into out
 * (room for strlen(p) + 2). A ".." above a relative start stays. */
static void fold_dots(const char *p, char *out)
{
    int abs = p[0] == '/';
    size_t o = 0, kept = 0;         /* kept: segments in out that a ".." may remove */
    if (abs) out[o++] = '/';
    while (*p) {
        size_t n = strcspn(p, "/");
        if (n == 2 && p[0] == '.' && p[1] == '.' && kept) {
            while (o > (size_t)abs && out[o - 1] != '/') o--;   /* drop the last segment */
            if (o > (size_t)abs) o--;                          /* and its slash */
            kept--;
        } else if (n == 2 && p[0] == '.' && p[1] == '.' && abs) {
            /* above the root: the root */
        } else if (n > 0 && !(n == 1 && p[0] == '.')) {
            if (o > (size_t)abs) out[o++] = '/';
            memcpy(out + o, p, n);
            o += n;
            if (!(n == 2 && p[0] == '.' && p[1] == '.')) kept++;
        }
        p += n;
        if (*p == '/') p++;
    }
    out[o] = 0;
}

/* FILE of a FILE:LINE with its "." and ".." parts resolved, as the PDB records paths
 * ("src/../Program.cs" is "Program.cs"); a relative path that climbs above its start is
 * taken from cordbg's working directory. NULL: out of memory. */
static char *normalized_file(const char *f, size_t len)
{
    char *in = strndup(f, len);
    char *out = malloc(len + 2);
    if (!in || !out) { free(in); free(out); return NULL; }
    fold_dots(in, out);
    char cwd[4096];
    if (out[0] == '.' && out[1] == '.' && (!out[2] || out[2] == '/') && getcwd(cwd, sizeof cwd)) {
        size_t cl = strlen(cwd);
        char *joined = malloc(cl + 1 + len + 1);
        char *again = malloc(cl + 1 + len + 2);
        if (joined && again) {
            snprintf(joined, cl + 1 + len + 1, "%s/%s", cwd, in);
            fold_dots(joined, again);
            free(out);
            out = again;
            again = NULL;
        }
        free(joined);
        free(again);
    }
    if (!out[0] || !strcmp(out, "/")) {      /* "." or "/": no file; keep what was given */
        free(out);
        return in;
    }
    free(in);
    return out;
}

/* LOCATION grammar: [MODULE!](FILE:LINE | METHOD). 0, or -1 with err. */
static int parse_location(const char *text, Breakpoint *bp, char *err, size_t cap)
{
    while (isspace((unsigned char)*text)) text++;
    size_t len = strlen(text);
    while (len && isspace((unsigned char)text[len - 1])) len--;
    if (!len) { snprintf(err, cap, "break wants a location: FILE:LINE, [Namespace.]Type.Method or MODULE!..."); return -1; }
    char *spec = strndup(text, len);
    if (!spec) { snprintf(err, cap, "out of memory"); return -1; }
    bp->spec = spec;
    const char *rest = spec;
    const char *bang = strchr(spec, '!');
    if (bang) {
        if (bang == spec || !bang[1]) { snprintf(err, cap, "malformed location '%s': MODULE!LOCATION wants both parts", spec); return -1; }
        bp->module = strndup(spec, (size_t)(bang - spec));
        rest = bang + 1;
    }
    if (*rest == '*') {       /* *ADDRESS: a native address */
        bp->method = strdup(rest);
        return bp->method ? 0 : -1;
    }
    const char *colon = strrchr(rest, ':');
    /* FILE:LINE:COL: a column picks one sequence point of the line (a lambda's body). */
    uint32_t col = 0;
    if (colon && colon > rest && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1)) {
        const char *c2 = colon - 1;
        while (c2 > rest && isdigit((unsigned char)*c2)) c2--;
        if (c2 > rest && *c2 == ':' && c2 + 1 < colon) {
            unsigned long cv = strtoul(colon + 1, NULL, 10);
            if (cv == 0 || cv > 100000) { snprintf(err, cap, "malformed location '%s': columns start at 1", spec); return -1; }
            col = (uint32_t)cv;
            spec[c2 - spec + (colon - c2)] = 0;   /* parse FILE:LINE; the spec keeps its column below */
            colon = c2;
        }
    }
    if (colon) {
        const char *digits = colon + 1;
        if (colon == rest || !*digits) { snprintf(err, cap, "malformed location '%s': want FILE:LINE", spec); return -1; }
        for (const char *p = digits; *p; p++)
            if (!isdigit((unsigned char)*p)) { snprintf(err, cap, "malformed location '%s': '%s' is not a line number", spec, digits); return -1; }
        unsigned long line = strtoul(digits, NULL, 10);
        if (line == 0 || line > 10000000) { snprintf(err, cap, "malformed location '%s': line numbers start at 1", spec); return -1; }
        bp->is_line = 1;
        bp->file = normalized_file(rest, (size_t)(colon - rest));
        if (!bp->file) { snprintf(err, cap, "out of memory"); return -1; }
        bp->line = (uint32_t)line;
        bp->col = col;
        if (col) spec[strlen(spec)] = ':';
        return 0;
    }
    int parens = 0, angles = 0;
    for (const char *p = rest; *p; p++) {
        if (!(isalnum((unsigned char)*p) || strchr("_.<>`,()[] $", *p))) {
            snprintf(err, cap, "malformed location '%s': not FILE:LINE and not a method name", spec);
            return -1;
        }
        parens += *p == '(' ? 1 : *p == ')' ? -1 : 0;
        angles += *p == '<' ? 1 : *p == '>' ? -1 : 0;
        if (parens < 0 || parens > 1 || angles < 0) break;
    }
    if (parens != 0 || angles != 0) {
        snprintf(err, cap, "malformed location '%s': unbalanced %s", spec, parens ? "parentheses" : "angle brackets");
        return -1;
    }
    bp->method = constructor_spelling(rest);
    return bp->method ? 0 : -1;
}

static void free_breakpoint(EngSession *s, Breakpoint *bp)
{
    for (size_t i = 0; i < bp->nb; i++) release_binding(s, bp, &bp->b[i]);
    free(bp->b);
    free(bp->spec);
    free(bp->module);
    free(bp->file);
    free(bp->method);
    free(bp->condition);
    free(bp->log_message);
}

void bp_delete(EngSession *s, Breakpoint *bp)
{
    size_t i = (size_t)(bp - s->bps);
    if (bp->native && s->nt) nt_break_remove(s->nt, bp->id);
    if (bp->watch && bp->enabled && s->nt) nt_watch_remove(s->nt, bp->id);   /* its debug register is free again */
    free_breakpoint(s, bp);
    memmove(&s->bps[i], &s->bps[i + 1], (s->nbps - i - 1) * sizeof *s->bps);
    s->nbps--;
}

void bp_free_all(EngSession *s)
{
    for (size_t i = 0; i < s->nbps; i++) free_breakpoint(s, &s->bps[i]);
    free(s->bps);
    s->bps = NULL;
    s->nbps = s->cap_bps = 0;
}

static Breakpoint *find_bp(EngSession *s, int id)
{
    for (size_t i = 0; i < s->nbps; i++)
        if (s->bps[i].id == id && !s->bps[i].internal) return &s->bps[i];
    return NULL;
}

/* ---- native locations (mixed and native sessions): FILE:LINE of a C/C++/assembly file, a
 * bare function name (managed methods are Type.Method), LIB.so!..., or *ADDRESS. */

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    return n >= k && strcmp(s + n - k, suf) == 0;
}

int bp_is_native_spec(EngSession *s, const Breakpoint *bp)
{
    if (s->mode == ENG_MODE_MANAGED) return 0;
    if (s->mode == ENG_MODE_NATIVE) return 1;
    if (bp->module) return strstr(bp->module, ".so") != NULL;   /* else an assembly's name */
    if (bp->is_line) {
        static const char *const exts[] = { ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".C", ".S", ".s", ".inl" };
        for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) if (has_suffix(bp->file, exts[i])) return 1;
        return 0;
    }
    if (bp->method && bp->method[0] == '*') return !lowlevel_addr_is_jitted(s, bp->method + 1);  /* mixed: jitted code is managed */
    return bp->method && !strpbrk(bp->method, ".()<>`,[] ");
}

/* Bind a native breakpoint through the tracer (now, and as libraries load); its note. */
static int native_bind(EngSession *s, Breakpoint *bp, char *err, size_t cap)
{
    int n;
    if (bp->method && bp->method[0] == '*') {
        char *end;
        unsigned long long a = strtoull(bp->method + 1, &end, 0);
        if (*end || !a) { snprintf(err, cap, "malformed address '%s'", bp->method + 1); return -1; }
        n = nt_break_addr(s->nt, bp->id, a, err, cap);
    } else {
        n = nt_break_add(s->nt, bp->id, bp->module, bp->is_line ? NULL : bp->method, bp->is_line ? bp->file : NULL,
                         bp->line, err, cap);
    }
    return n;
}

static void native_note(EngSession *s, Breakpoint *bp)
{
    NtBreakInfo bi = { 0 };
    if (!s->nt || nt_break_info(s->nt, bp->id, &bi) != 0 || bi.nlocs == 0) {
        if (bi.refused[0]) snprintf(bp->note, sizeof bp->note, "pending: %s", bi.refused);
        else snprintf(bp->note, sizeof bp->note, "pending: no loaded native library has it yet");
        return;
    }
    NsWhere w;
    memset(&w, 0, sizeof w);
    NsSpace *sp = nt_sym_lock(s->nt);
    if (sp) ns_where(sp, bi.first, &w);
    nt_sym_unlock(s->nt);
    if (w.line) {
        const char *base = strrchr(w.file, '/');
        snprintf(bp->note, sizeof bp->note, "0x%llx: file %s, line %u%s", (unsigned long long)bi.first,
                 base ? base + 1 : w.file, w.line, bi.nlocs > 1 ? " (and more locations)" : "");
    } else if (w.func[0]) {
        snprintf(bp->note, sizeof bp->note, "0x%llx: %s+0x%llx (%s)", (unsigned long long)bi.first, w.func,
                 (unsigned long long)w.offset, w.module);
    } else {
        snprintf(bp->note, sizeof bp->note, "0x%llx", (unsigned long long)bi.first);
    }
}

/* Libraries were loaded: native breakpoints that were pending and now have code say so,
 * as managed ones do when their module loads. */
void bp_native_bound(EngSession *s)
{
    for (size_t i = 0; i < s->nbps; i++) {
        Breakpoint *bp = &s->bps[i];
        NtBreakInfo bi = { 0 };
        if (!bp->native || bp->native_bound || nt_break_info(s->nt, bp->id, &bi) != 0 || bi.nlocs == 0) continue;
        bp->native_bound = 1;
        native_note(s, bp);
        EngNotice n = { .kind = EN_BREAKPOINT_BOUND, .bp_id = bp->id, .message = bp->note };
        eng_notify(s, &n);
    }
}

void bp_native_push(EngSession *s)
{
    char err[256];
    for (size_t i = 0; i < s->nbps; i++) {
        Breakpoint *bp = &s->bps[i];
        if (!bp->native) continue;
        bp->native_bound = 0;
        native_bind(s, bp, err, sizeof err);
        if (!bp->enabled) nt_break_enable(s->nt, bp->id, 0);
    }
}

static void req_break_native(EngSession *s, Request *rq, Breakpoint *bp)
{
    char err[512] = "";
    bp->native = 1;
    bp->id = s->next_bp_id + 1;
    int n = 0;
    if (s->nt && s->state != ENG_NONE) {
        n = native_bind(s, bp, err, sizeof err);
        if (n < 0) {
            snprintf(rq->res->err, sizeof rq->res->err, "%s", err);
            rq->res->status = -1;
            nt_break_remove(s->nt, bp->id);
            free_breakpoint(s, bp);
            return;
        }
    }
    if (!GROW(s->bps, s->nbps, s->cap_bps)) {
        if (s->nt) nt_break_remove(s->nt, bp->id);
        snprintf(rq->res->err, sizeof rq->res->err, "out of memory");
        rq->res->status = -1;
        free_breakpoint(s, bp);
        return;
    }
    s->next_bp_id++;
    native_note(s, bp);
    bp->native_bound = n > 0;
    s->bps[s->nbps++] = *bp;
    rq->res->id = bp->id;
    const char *what = bp->temporary ? "Temporary breakpoint" : "Breakpoint";
    if (n > 0) snprintf(rq->res->message, sizeof rq->res->message, "%s %d at %s", what, bp->id, bp->note);
    else snprintf(rq->res->message, sizeof rq->res->message, "%s %d (%s) %s", what, bp->id, bp->spec, bp->note);
}

static void req_break(EngSession *s, Request *rq)
{
    Breakpoint bp = { 0 };
    bp.enabled = 1;
    bp.temporary = rq->arg.brk.temporary;
    char err[512];
    if (parse_location(rq->arg.brk.location, &bp, err, sizeof err) != 0) {
        snprintf(rq->res->err, sizeof rq->res->err, "%s", err);
        rq->res->status = -1;
        free_breakpoint(s, &bp);
        return;
    }
    if (bp_is_native_spec(s, &bp)) { req_break_native(s, rq, &bp); return; }
    if (s->nt && !s->cordb) {
        snprintf(rq->res->err, sizeof rq->res->err, "'%s' is a managed location; this is a native session", bp.spec);
        rq->res->status = -1;
        free_breakpoint(s, &bp);
        return;
    }
    int n = s->state == ENG_NONE ? 0 : bind_everywhere(s, &bp, err, sizeof err);
    if (n < 0) {
        /* The file is there but the line is not: refuse, with the reader's reason. */
        snprintf(rq->res->err, sizeof rq->res->err, "%s", err);
        rq->res->status = -1;
        free_breakpoint(s, &bp);
        return;
    }
    if (!GROW(s->bps, s->nbps, s->cap_bps)) {
        snprintf(rq->res->err, sizeof rq->res->err, "out of memory");
        rq->res->status = -1;
        free_breakpoint(s, &bp);
        return;
    }
    bp.id = ++s->next_bp_id;
    if (n == 0) set_pending_note(s, &bp);
    s->bps[s->nbps++] = bp;
    rq->res->id = bp.id;
    const char *what = bp.temporary ? "Temporary breakpoint" : "Breakpoint";
    if (n) snprintf(rq->res->message, sizeof rq->res->message, "%s %d at %s", what, bp.id, bp.note);
    else snprintf(rq->res->message, sizeof rq->res->message, "%s %d (%s) %s", what, bp.id, bp.spec, bp.note);
    if (n) never_stops_note(s, &s->bps[s->nbps - 1], rq->res->message, sizeof rq->res->message);
}

/* Conditions, hit counts, ignore counts and log messages. Expressions are parsed here, so
 * that a typo is reported when it is set rather than at the first hit. */
static void set_option(EngSession *s, Breakpoint *bp, Request *rq)
{
    (void)s;
    EngResult *r = rq->res;
    const char *given = rq->kind == REQ_BP_CONDITION ? rq->arg.bp_condition.expr
                      : rq->kind == REQ_BP_LOG ? rq->arg.bp_log.message : NULL;
    const char *text = given && *given ? given : NULL;
    ExprError err;
    Arena *a = arena_new();
    if (!a) { snprintf(r->err, sizeof r->err, "out of memory"); r->status = -1; return; }
    switch (rq->kind) {
    case REQ_BP_CONDITION:
        if (text && !expr_parse(a, text, &err)) {
            char why[300];
            expr_error_text(&err, why, sizeof why);
            snprintf(r->err, sizeof r->err, "bad condition: %s", why);
            r->status = -1;
            break;
        }
        free(bp->condition);
        bp->condition = text ? strdup(text) : NULL;
        snprintf(r->message, sizeof r->message, text ? "Breakpoint %d stops only if %s" : "Breakpoint %d is now unconditional",
                 bp->id, text ? text : "");
        break;
    case REQ_BP_HITS:
        bp->hit_op = rq->arg.bp_hits.op;
        bp->hit_count = rq->arg.bp_hits.count;
        if (bp->hit_op == '%' && !bp->hit_count) { bp->hit_op = 0; snprintf(r->err, sizeof r->err, "a multiple of 0 hits never comes"); r->status = -1; break; }
        if (bp->hit_op) snprintf(r->message, sizeof r->message, "Breakpoint %d stops when its hit count %s %u",
                                 bp->id, bp->hit_op == '=' ? "==" : bp->hit_op == '>' ? ">=" : "is a multiple of", bp->hit_count);
        else snprintf(r->message, sizeof r->message, "Breakpoint %d has no hit count condition", bp->id);
        break;
    case REQ_BP_IGNORE:
        bp->ignore = rq->arg.bp_ignore.count;
        snprintf(r->message, sizeof r->message, "Will ignore next %u crossings of breakpoint %d.", bp->ignore, bp->id);
        break;
    case REQ_BP_LOG: {
        text = given;             /* NULL stops again; "" logs nothing (a silent hit counter) */
        ExprTemplatePart *parts;
        int n;
        if (text && expr_template_split(a, text, &parts, &n, &err) != 0) {
            snprintf(r->err, sizeof r->err, "bad log message: %s", err.msg);
            r->status = -1;
            break;
        }
        for (int i = 0; text && i < n; i++) {
            if (parts[i].is_hole && !expr_parse(a, parts[i].text, &err)) {
                snprintf(r->err, sizeof r->err, "bad expression {%s} in log message: %s", parts[i].text, err.msg);
                r->status = -1;
                break;
            }
        }
        if (r->status) break;
        free(bp->log_message);
        bp->log_message = text ? strdup(text) : NULL;
        snprintf(r->message, sizeof r->message, text ? "Breakpoint %d logs and does not stop" : "Breakpoint %d stops again", bp->id);
        break;
    }
    default: break;
    }
    arena_free(a);
}

/* Source position of a breakpoint's first binding: 0, or -1 when pending or without a line. */
static int first_location(EngSession *s, const Breakpoint *bp, Where *w)
{
    Module *m = bp->nb ? eng_module_by_id(s, bp->b[0].module_id) : NULL;
    return m && eng_where_code(s, m, bp->b[0].token, bp->b[0].il, w) == 0 && w->line ? 0 : -1;
}

void bp_request(EngSession *s, Request *rq)
{
    EngResult *r = rq->res;
    switch (rq->kind) {
    case REQ_BREAK:
        req_break(s, rq);
        break;
    case REQ_DELETE:
        if (rq->arg.del.id == 0) {
            for (size_t i = s->nbps; i-- > 0;)
                if (!s->bps[i].internal) bp_delete(s, &s->bps[i]);
        } else {
            Breakpoint *bp = find_bp(s, rq->arg.del.id);
            if (!bp) { snprintf(r->err, sizeof r->err, "no breakpoint number %d", rq->arg.del.id); r->status = -1; break; }
            bp_delete(s, bp);
        }
        break;
    case REQ_ENABLE: {
        Breakpoint *bp = find_bp(s, rq->arg.enable.id);
        if (!bp) { snprintf(r->err, sizeof r->err, "no breakpoint number %d", rq->arg.enable.id); r->status = -1; break; }
        if (bp->watch) {
            /* a disabled watchpoint gives its debug register back; enabling takes one again */
            char werr[300] = "";
            int on = rq->arg.enable.enable;
            if (on && !bp->enabled && (!s->nt || nt_watch_add(s->nt, bp->id, bp->waddr, bp->wlen, bp->watch, werr, sizeof werr) < 0)) {
                snprintf(r->err, sizeof r->err, "cannot enable watchpoint %d: %s", bp->id, werr[0] ? werr : "the program is not being run");
                r->status = -1;
                break;
            }
            if (!on && bp->enabled && s->nt) nt_watch_remove(s->nt, bp->id);
            bp->enabled = on;
            break;
        }
        bp->enabled = rq->arg.enable.enable;
        if (bp->native && s->nt) nt_break_enable(s->nt, bp->id, rq->arg.enable.enable);
        for (size_t i = 0; i < bp->nb; i++)
            bp->b[i].bp->lpVtbl->Activate(bp->b[i].bp, rq->arg.enable.enable || other_holder_enabled(s, bp->b[i].bp, bp) ? TRUE : FALSE);
        break;
    }
    case REQ_LIST_BPS: {
        r->bps = calloc(s->nbps ? s->nbps : 1, sizeof *r->bps);
        if (!r->bps) { snprintf(r->err, sizeof r->err, "out of memory"); r->status = -1; break; }
        for (size_t i = 0; i < s->nbps; i++) {
            Breakpoint *bp = &s->bps[i];
            if (bp->internal) continue;
            EngBreakpointInfo *bi = &r->bps[r->nbps++];
            bi->id = bp->id;
            bi->enabled = bp->enabled;
            bi->temporary = bp->temporary;
            bi->pending = bp->nb == 0;
            if (bp->native) {
                NtBreakInfo ni = { 0 };
                if (s->nt && nt_break_info(s->nt, bp->id, &ni) == 0) { bi->pending = ni.nlocs == 0; bi->locations = ni.nlocs; }
                native_note(s, bp);
            }
            bi->hits = bp->hits;
            if (!bp->native) bi->locations = (int)bp->nb;
            snprintf(bi->where, sizeof bi->where, "%s", bp->spec);
            snprintf(bi->note, sizeof bi->note, "%s", bp->note);
            never_stops_note(s, bp, bi->note, sizeof bi->note);
            snprintf(bi->condition, sizeof bi->condition, "%s", bp->condition ? bp->condition : "");
            if (bp->hit_op)
                snprintf(bi->hit_condition, sizeof bi->hit_condition, "%s %u",
                         bp->hit_op == '=' ? "==" : bp->hit_op == '>' ? ">=" : "%", bp->hit_count);
            bi->ignore = bp->ignore;
            snprintf(bi->log_message, sizeof bi->log_message, "%s", bp->log_message ? bp->log_message : "");
            if (bp->watch) { bi->watch = bp->watch; bi->pending = 0; bi->locations = 1; continue; }
            Where w;
            if (first_location(s, bp, &w) == 0) {
                bi->line = w.line;
                snprintf(bi->file, sizeof bi->file, "%s", w.file);
            }
        }
        break;
    }
    case REQ_BP_CONDITION: case REQ_BP_HITS: case REQ_BP_IGNORE: case REQ_BP_LOG: {
        int id = rq->kind == REQ_BP_CONDITION ? rq->arg.bp_condition.id : rq->kind == REQ_BP_HITS ? rq->arg.bp_hits.id
               : rq->kind == REQ_BP_IGNORE ? rq->arg.bp_ignore.id : rq->arg.bp_log.id;
        Breakpoint *bp = find_bp(s, id);
        if (!bp) { snprintf(r->err, sizeof r->err, "no breakpoint number %d", id); r->status = -1; break; }
        set_option(s, bp, rq);
        break;
    }
    default:
        break;
    }
}

void bp_module_loaded(EngSession *s, Module *m)
{
    for (size_t i = 0; i < s->nbps; i++) {
        Breakpoint *bp = &s->bps[i];
        char err[512];
        size_t before = bp->nb;
        int n = bind_in_module(s, bp, m, err, sizeof err);
        if (n < 0) {
            snprintf(bp->note, sizeof bp->note, "pending: %s", err);
            eng_notify_error(s, "breakpoint %d cannot bind in %s: %s", bp->id, m->name, err);
        } else if (n > 0 && before == 0 && !bp->internal) {
            char msg[sizeof bp->note + 128];
            snprintf(msg, sizeof msg, "%s", bp->note);
            never_stops_note(s, bp, msg, sizeof msg);
            EngNotice note = { .kind = EN_BREAKPOINT_BOUND, .bp_id = bp->id, .message = msg };
            Where w;
            if (first_location(s, bp, &w) == 0) {
                note.file = w.file;
                note.line = w.line;
            }
            eng_notify(s, &note);
        }
    }
}

void bp_enc_rebind(EngSession *s, Breakpoint *bp, Module *m)
{
    size_t k = 0;
    for (size_t j = 0; j < bp->nb; j++) {
        if (bp->b[j].module_id == m->id && !bp->b[j].by_address) release_binding(s, bp, &bp->b[j]);
        else bp->b[k++] = bp->b[j];
    }
    bp->nb = k;
    char err[512];
    if (bind_in_module(s, bp, m, err, sizeof err) < 0) {
        snprintf(bp->note, sizeof bp->note, "pending: %s", err);
        eng_notify_error(s, "breakpoint %d cannot bind in the edited %s: %s", bp->id, m->name, err);
    }
}

void bp_module_unloaded(EngSession *s, Module *m)
{
    for (size_t i = 0; i < s->nbps; i++) {
        Breakpoint *bp = &s->bps[i];
        size_t k = 0;
        for (size_t j = 0; j < bp->nb; j++) {
            if (bp->b[j].module_id == m->id) release_binding(s, bp, &bp->b[j]);
            else bp->b[k++] = bp->b[j];
        }
        if (k == 0 && bp->nb) set_pending_note(s, bp);
        bp->nb = k;
    }
}

void bp_process_gone(EngSession *s)
{
    for (size_t i = s->nbps; i-- > 0;) {
        Breakpoint *bp = &s->bps[i];
        if (bp->internal) { bp_delete(s, bp); continue; }
        for (size_t j = 0; j < bp->nb; j++) release_binding(s, bp, &bp->b[j]);
        bp->nb = 0;
        set_pending_note(s, bp);
    }
}

Breakpoint *bp_find_hit(EngSession *s, ICorDebugBreakpoint *hit, size_t *binding)
{
    for (size_t i = 0; i < s->nbps; i++)
        for (size_t j = 0; j < s->bps[i].nb; j++)
            if ((void *)s->bps[i].b[j].bp == (void *)hit) { *binding = j; return &s->bps[i]; }
    return NULL;
}

size_t bp_hit_ids(EngSession *s, ICorDebugBreakpoint *hit, int *ids, size_t cap)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nbps && n < cap; i++)
        for (size_t j = 0; j < s->bps[i].nb; j++)
            if ((void *)s->bps[i].b[j].bp == (void *)hit) { ids[n++] = s->bps[i].id; break; }
    return n;
}

Breakpoint *bp_hit_by_id(EngSession *s, int id, ICorDebugBreakpoint *hit, size_t *binding)
{
    for (size_t i = 0; i < s->nbps; i++) {
        if (s->bps[i].id != id) continue;
        for (size_t j = 0; j < s->bps[i].nb; j++)
            if ((void *)s->bps[i].b[j].bp == (void *)hit) { *binding = j; return &s->bps[i]; }
    }
    return NULL;
}

/* The IL offset of a method's first non-hidden sequence point; -1 when it has none. */
static int64_t first_line_il(const PdbFile *pdb, uint32_t rid)
{
    PdbSpIter it;
    PdbSeqPoint sp;
    if (pdb_sp_begin(pdb, rid, &it) != 0) return -1;
    while (pdb_sp_next(&it, &sp) == 1)
        if (!sp.hidden) return sp.il;
    return -1;
}

/* Where the user's code of the program begins: the entry method itself, or, when the entry
 * point is the compiler's stub of an async Main (`<Main>`, also for top-level statements
 * that await: it calls `<Main>$`), no lines of its own, the MoveNext of the state machine
 * of the kickoff method the stub calls. The stub's IL is a handful of calls: its `call`
 * operands (0x28, then a MethodDef token) are scanned for a kickoff method. */
static uint32_t entry_user_method(const PdbModule *sym, uint32_t entry_rid)
{
    const PdbFile *pdb = pdb_module_pdb(sym);
    if (!pdb || first_line_il(pdb, entry_rid) >= 0) return entry_rid;
    MdMethodBody body;
    if (md_method_body(pdb_module_image(sym), entry_rid, &body) != 0) return entry_rid;
    for (uint32_t i = 0; i + 5 <= body.il_size; i++) {
        if (body.il[i] != 0x28 || body.il[i + 4] != 0x06) continue;
        uint32_t rid = body.il[i + 1] | (uint32_t)body.il[i + 2] << 8 | (uint32_t)body.il[i + 3] << 16;
        uint32_t mn = rid ? pdb_movenext_method(pdb, rid) : 0;
        if (mn && first_line_il(pdb, mn) >= 0) return mn;
    }
    return entry_rid;
}

/* The entry stop: at the first sequence point of the user's entry method, as vsdbg stops:
 * the opening brace's line in a Debug build (the first statement of top-level statements,
 * which have no brace), so that the first `next` lands on the first statement. */
void bp_entry_module_loaded(EngSession *s, Module *m)
{
    PdbModule *sym = eng_module_symbols(s, m, 1);
    if (!sym) return;
    uint32_t entry = pdb_module_image(sym)->entry_point_token;
    if ((entry >> 24) != 0x06) return;
    if (!GROW(s->bps, s->nbps, s->cap_bps)) return;
    Breakpoint bp = { .id = 0, .internal = 1, .temporary = 1, .enabled = 1 };
    bp.spec = strdup("<entry>");
    uint32_t rid = entry_user_method(sym, entry & 0x00ffffff);
    const PdbFile *pdb = pdb_module_pdb(sym);
    int64_t il = pdb ? first_line_il(pdb, rid) : -1;
    if (il < 0) il = 0;   /* no symbols for it: its IL offset 0 */
    if (create_at(s, &bp, m, 0x06000000 | rid, (uint32_t)il, 0) == 0) s->bps[s->nbps++] = bp;
    else free_breakpoint(s, &bp);
}

/* Lines of a document, in [first, last], where a breakpoint binds on that very line: what an
 * editor shows as possible breakpoint locations. Every loaded module with symbols counts. */
void bp_lines_request(EngSession *s, Request *rq)
{
    EngResult *r = rq->res;
    int from = rq->arg.bp_lines.first, to = rq->arg.bp_lines.last;
    const char *text = rq->arg.bp_lines.file;
    uint32_t first = from > 0 ? (uint32_t)from : 1;
    uint32_t last = to >= from ? (uint32_t)to : first;
    if (last - first > 10000) last = first + 10000;
    if (!text) return;
    char *file = normalized_file(text, strlen(text));    /* as a breakpoint's FILE */
    if (!file) { snprintf(r->err, sizeof r->err, "out of memory"); r->status = -1; return; }
    size_t cap = 0;
    for (size_t k = 0; k < s->nmodules; k++) {
        PdbModule *sym = eng_module_symbols(s, &s->modules[k], 0);
        uint32_t docs[4];
        if (!sym || !pdb_module_pdb(sym) || pdb_module_match_documents(sym, file, docs, 4) == 0) continue;
        for (uint32_t line = first; line <= last; line++) {
            MdPool pool = { 0 };
            PdbLineHit *hits = NULL;
            uint32_t n = 0, bound = 0;
            char err[256];
            int rc = pdb_module_resolve_line(sym, &pool, file, line, &hits, &n, &bound, err, sizeof err);
            md_pool_free(&pool);
            if (rc != 0 || bound != line) continue;
            int seen = 0;
            for (size_t i = 0; i < r->nlines; i++) seen |= r->lines[i] == line;
            if (!seen && GROW(r->lines, r->nlines, cap)) r->lines[r->nlines++] = line;
        }
    }
    free(file);
}

/* Sequence points starting on lines [first, last] of a file, as line/column quads; from the
 * loaded modules, or before any is loaded from the program's own assembly. */
static void add_locations(EngResult *r, size_t *cap, const PdbModule *sym, const char *file, uint32_t first, uint32_t last)
{
    uint32_t docs[4];
    if (!sym || !pdb_module_pdb(sym) || pdb_module_match_documents(sym, file, docs, 4) == 0) return;
    for (uint32_t line = first; line <= last; line++) {
        MdPool pool = { 0 };
        PdbLineHit *hits = NULL;
        uint32_t n = 0, bound = 0;
        char err[256];
        if (pdb_module_resolve_line(sym, &pool, file, line, &hits, &n, &bound, err, sizeof err) == 0 && bound == line) {
            for (uint32_t i = 0; i < n; i++) {
                if (hits[i].line != line) continue;
                int seen = 0;
                for (size_t k = 0; k + 3 < r->nlines && !seen; k += 4) seen = r->lines[k] == line && r->lines[k + 1] == hits[i].col;
                if (seen) continue;
                uint32_t q[4] = { line, hits[i].col, hits[i].end_line, hits[i].end_col };
                for (int k = 0; k < 4; k++) if (GROW(r->lines, r->nlines, *cap)) r->lines[r->nlines++] = q[k];
            }
        }
        md_pool_free(&pool);
    }
}

void bp_locations_request(EngSession *s, Request *rq)
{
    EngResult *r = rq->res;
    int from = rq->arg.bp_locs.first, to = rq->arg.bp_locs.last;
    uint32_t first = from > 0 ? (uint32_t)from : 1;
    uint32_t last = to >= from ? (uint32_t)to : first;
    if (last - first > 10000) last = first + 10000;
    if (!rq->arg.bp_locs.file) return;
    char *file = normalized_file(rq->arg.bp_locs.file, strlen(rq->arg.bp_locs.file));
    if (!file) { eng_fail(rq, "out of memory"); return; }
    size_t cap = 0;
    for (size_t k = 0; k < s->nmodules; k++) add_locations(r, &cap, eng_module_symbols(s, &s->modules[k], 0), file, first, last);
    const char *prog = rq->arg.bp_locs.program;
    if (!s->nmodules && prog && *prog) {
        /* Before the program runs: its assembly (an apphost's is the .dll beside it). */
        char dll[4096];
        size_t len = strlen(prog);
        if (len > 4 && !strcmp(prog + len - 4, ".dll")) snprintf(dll, sizeof dll, "%s", prog);
        else snprintf(dll, sizeof dll, "%s.dll", prog);
        PdbModule *mod = NULL;
        char err[256];
        if (pdb_module_open(dll, &mod, err, sizeof err) == 0 || mod) {
            add_locations(r, &cap, mod, file, first, last);
            pdb_module_close(mod);
        }
    }
    free(file);
}
