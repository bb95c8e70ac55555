/* Edit and Continue, the engine's part: modules loaded with EnC enabled, the text of each
 * document the program runs ("committed"), a delta applied (ICorDebugModule2::ApplyChanges,
 * the PDB delta into meta/, breakpoints moved and bound on the new code), and function
 * remapping: a frame still in an edited method's old body moves to the new one at its next
 * sequence point (FunctionRemapOpportunity → ICorDebugILFrame2::RemapFunction).
 * The compiler's side (deltas from sources) is src/enc/, outside the engine. */
#include "base/vec.h"
#include "engine/internal.h"
#include "base/log.h"
#include "base/os.h"
#include "clr/dbi.h"
#include "base/utf.h"
#include "meta/sig.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Old sequence points of a method an apply replaced: where a frame still in that body is,
 * in source lines (remap). */
typedef struct EncOldBody {
    int module_id;
    uint32_t token;
    PdbSeqPoint *sps;
    size_t n;
} EncOldBody;

struct EncLineMapSaved {
    char *path;
    EngEncLineRun *runs;
    size_t nruns;
    int module_id;
    /* old bodies of this apply's methods ride along (one list for the session) */
};

/* The session's old bodies (engine thread only; freed when the process goes). */
static EncOldBody *g_old;
static size_t g_nold;

static void free_old(void)
{
    for (size_t i = 0; i < g_nold; i++) free(g_old[i].sps);
    free(g_old);
    g_old = NULL;
    g_nold = 0;
}

void enc_session_end(EngSession *s)
{
    for (size_t i = 0; i < s->nenc_maps; i++) {
        free(s->enc_maps[i].path);
        free(s->enc_maps[i].runs);
    }
    free(s->enc_maps);
    s->enc_maps = NULL;
    s->nenc_maps = 0;
    free_old();
}

char **enc_launch_env(EngSession *s, char *const *env)
{
    static const char var[] = "DOTNET_MODIFIABLE_ASSEMBLIES";
    if (!s->enc_on || getenv(var)) return NULL;
    size_t n = 0;
    for (; env && env[n]; n++)
        if (!strncmp(env[n], var, sizeof var - 1) && env[n][sizeof var - 1] == '=') return NULL;
    char **out = calloc(n + 2, sizeof *out);
    if (!out) return NULL;
    for (size_t i = 0; i < n; i++) out[i] = env[i];
    out[n] = (char *)"DOTNET_MODIFIABLE_ASSEMBLIES=debug";
    return out;
}

void enc_module_free(Module *m)
{
    for (size_t i = 0; i < m->nenc_texts; i++) {
        free(m->enc_texts[i].path);
        free(m->enc_texts[i].text);
    }
    free(m->enc_texts);
    m->enc_texts = NULL;
    m->nenc_texts = 0;
}

/* The committed text of each document whose file on disk is the one the PDB was built
 * from (its checksum): what the program runs. */
static void take_snapshots(EngSession *s, Module *m)
{
    PdbModule *sym = eng_module_symbols(s, m, 0);
    const PdbFile *pdb = sym ? pdb_module_pdb(sym) : NULL;
    if (!pdb) return;
    uint32_t nd = pdb_document_count(pdb);
    m->enc_texts = calloc(nd ? nd : 1, sizeof *m->enc_texts);
    if (!m->enc_texts) return;
    for (uint32_t d = 1; d <= nd; d++) {
        const char *name = pdb_document_name(pdb, d);
        if (!name[0]) continue;
        struct EncText *t = &m->enc_texts[m->nenc_texts];
        if (!(t->path = strdup(name))) continue;
        m->nenc_texts++;
        if (pdb_document_source_matches(pdb, d, name) != 1) continue;
        uint8_t *buf = NULL;
        size_t len = 0;
        if (md_read_file(name, (size_t)64 << 20, &buf, &len) != 0) continue;
        char *text = malloc(len + 1);
        if (!text) { free(buf); continue; }
        memcpy(text, buf, len);
        text[len] = 0;
        free(buf);
        t->text = text;
        t->len = len;
    }
}

/* Was the assembly built optimized? Its DebuggableAttribute(DebuggingModes) without
 * DisableOptimizations (0x100), or none at all: a Release build. Visual Studio does not
 * make those editable; the runtime would (deoptimizing them under the user). */
static int built_optimized(EngSession *s, Module *m)
{
    PdbModule *sym = eng_module_symbols(s, m, 1);
    if (!sym) return 0;
    const MdMeta *md = &pdb_module_image(sym)->md;
    uint32_t n = md_rows(md, MD_T_CustomAttribute);
    uint32_t assembly = md_coded_from_token(MD_CI_HasCustomAttribute, (uint32_t)MD_T_Assembly << 24 | 1);
    for (uint32_t r = 1; r <= n; r++) {
        if (md_get(md, MD_T_CustomAttribute, r, MD_CustomAttribute_Parent) != assembly) continue;
        const char *ns, *name;
        if (md_attr_type(md, r, &ns, &name) != 0 || strcmp(ns, "System.Diagnostics") || strcmp(name, "DebuggableAttribute"))
            continue;
        const uint8_t *b;
        uint32_t len;
        if (md_blob(md, md_get(md, MD_T_CustomAttribute, r, MD_CustomAttribute_Value), &b, &len) != 0 || len < 4) return 1;
        if (len >= 8) {         /* (DebuggingModes modes) */
            uint32_t modes = (uint32_t)b[2] | (uint32_t)b[3] << 8 | (uint32_t)b[4] << 16 | (uint32_t)b[5] << 24;
            return !(modes & 0x100);
        }
        return !b[3];           /* (bool isJITTrackingEnabled, bool isJITOptimizerDisabled) */
    }
    return 1;
}

void enc_module_loaded(EngSession *s, Module *m)
{
    m->enc = 0;
    if (!m->symbols || m->dynamic || !m->path) {
        snprintf(m->enc_why, sizeof m->enc_why, "%s has no symbols", m->name);
        return;
    }
    /* The texts even of a module that cannot be edited: `apply` then tells why not. */
    take_snapshots(s, m);
    if (!s->enc_on) {
        snprintf(m->enc_why, sizeof m->enc_why, "edit and continue was off when %s loaded (set edit-and-continue on, then run again)", m->name);
        return;
    }
    if (s->runtime_major == 8) {
        /* .NET 8 run with DOTNET_MODIFIABLE_ASSEMBLIES=debug: its right side cannot walk a
         * mixed stack (a native breakpoint under a P/Invoke: "cannot walk the stack") and
         * fails now and then to pause a spinning thread, then crashes (libmscordbi, 8.0.31);
         * .NET 9 and 10 do neither. The launch leaves the variable out. */
        snprintf(m->enc_why, sizeof m->enc_why, "edit and continue is offered on .NET 9 and later (%s runs on "
                 ".NET 8, whose debugging services fail with it)", m->name);
        return;
    }
    if (!s->suppress_jit_opt && built_optimized(s, m)) {
        snprintf(m->enc_why, sizeof m->enc_why, "%s is an optimized (Release) build: build it Debug "
                 "(or set jit-optimizations off before it loads) to edit it", m->name);
        return;
    }
    ICorDebugModule2 *m2 = NULL;
    if (FAILED(m->m->lpVtbl->QueryInterface(m->m, &IID_ICorDebugModule2, (void **)&m2)) || !m2) {
        snprintf(m->enc_why, sizeof m->enc_why, "the runtime gives no ICorDebugModule2 for %s", m->name);
        return;
    }
    /* ENABLE_ENC includes DISABLE_OPTIMIZATION: code that can be edited is debug code. */
    HRESULT hr = m2->lpVtbl->SetJITCompilerFlags(m2, CORDEBUG_JIT_ENABLE_ENC);
    DWORD flags = 0;
    HRESULT hr2 = m2->lpVtbl->GetJITCompilerFlags(m2, &flags);
    m2->lpVtbl->Release(m2);
    char b[96];
    /* After an attach the flags can no longer be set. A module the runtime loaded editable
     * (DOTNET_MODIFIABLE_ASSEMBLIES=debug) then reports EnC flags all the same, but
     * ApplyChanges on it crashes the right side (libmscordbi, .NET 10.0.12): not editable. */
    if (FAILED(hr) || FAILED(hr2) || (flags & CORDEBUG_JIT_ENABLE_ENC) != CORDEBUG_JIT_ENABLE_ENC) {
        /* The runtime says no for an optimized (Release) module, and for one loaded before
         * cordbg attached or without DOTNET_MODIFIABLE_ASSEMBLIES=debug. */
        snprintf(m->enc_why, sizeof m->enc_why,
                 "edit and continue cannot be enabled for %s (%s): only in a program cordbg starts "
                 "(run), not one it attached to",
                 m->name, FAILED(hr) ? clr_hr_str(hr, b, sizeof b) : "flags not taken");
        log_msg(LOG_INFO, "enc", "%s: %s", m->name, m->enc_why);
        /* Whatever it took, the old wish stands (suppressJITOptimizations). */
        if (s->suppress_jit_opt && SUCCEEDED(m->m->lpVtbl->QueryInterface(m->m, &IID_ICorDebugModule2, (void **)&m2)) && m2) {
            m2->lpVtbl->SetJITCompilerFlags(m2, CORDEBUG_JIT_DISABLE_OPTIMIZATION);
            m2->lpVtbl->Release(m2);
        }
        return;
    }
    m->enc = 1;
}

/* ---------------------------------------------------------------- requests */

static Module *module_by_path(EngSession *s, const char *path)
{
    for (size_t i = 0; i < s->nmodules; i++)
        if (s->modules[i].path && !strcmp(s->modules[i].path, path)) return &s->modules[i];
    char real[4096];
    if (!realpath(path, real)) return NULL;
    for (size_t i = 0; i < s->nmodules; i++) {
        char r2[4096];
        if (s->modules[i].path && realpath(s->modules[i].path, r2) && !strcmp(r2, real)) return &s->modules[i];
    }
    return NULL;
}

static void req_modules(EngSession *s, Request *rq)
{
    EngEncModule *out = calloc(s->nmodules ? s->nmodules : 1, sizeof *out);
    if (!out) { eng_fail(rq, "out of memory"); return; }
    size_t n = 0;
    for (size_t i = 0; i < s->nmodules; i++) {
        Module *m = &s->modules[i];
        if (!m->symbols || m->dynamic || !m->path) continue;
        EngEncModule *e = &out[n++];
        e->id = m->id;
        e->path = strdup(m->path);
        e->pdb = strdup(m->symbols);
        e->editable = m->enc;
        snprintf(e->why, sizeof e->why, "%s", m->enc_why);
        e->docs = calloc(m->nenc_texts ? m->nenc_texts : 1, sizeof *e->docs);
        for (size_t k = 0; e->docs && k < m->nenc_texts; k++) {
            EngEncDoc *d = &e->docs[e->ndocs++];
            d->path = strdup(m->enc_texts[k].path);
            if (m->enc_texts[k].text) {
                d->text = malloc(m->enc_texts[k].len + 1);
                if (d->text) {
                    memcpy(d->text, m->enc_texts[k].text, m->enc_texts[k].len + 1);
                    d->len = m->enc_texts[k].len;
                }
            }
        }
    }
    *rq->arg.enc_modules.out = out;
    *rq->arg.enc_modules.n = n;
}

void eng_enc_modules_free(EngEncModule *m, size_t n)
{
    for (size_t i = 0; m && i < n; i++) {
        for (size_t k = 0; k < m[i].ndocs; k++) {
            free(m[i].docs[k].path);
            free(m[i].docs[k].text);
        }
        free(m[i].docs);
        free(m[i].path);
        free(m[i].pdb);
    }
    free(m);
}

static void req_commit(EngSession *s, Request *rq)
{
    const char *mod = rq->arg.enc_commit.module, *path = rq->arg.enc_commit.path;
    for (size_t i = 0; i < s->nmodules; i++) {
        Module *m = &s->modules[i];
        if (mod && (!m->path || strcmp(m->path, mod))) continue;
        for (size_t k = 0; k < m->nenc_texts; k++) {
            if (strcmp(m->enc_texts[k].path, path)) continue;
            char *t = malloc(rq->arg.enc_commit.len + 1);
            if (!t) { eng_fail(rq, "out of memory"); return; }
            memcpy(t, rq->arg.enc_commit.text, rq->arg.enc_commit.len);
            t[rq->arg.enc_commit.len] = 0;
            free(m->enc_texts[k].text);
            m->enc_texts[k].text = t;
            m->enc_texts[k].len = rq->arg.enc_commit.len;
            return;
        }
        /* A document new in this generation */
        if (!mod) continue;
        struct EncText *nt = realloc(m->enc_texts, sizeof *nt * (m->nenc_texts + 1));
        if (!nt) { eng_fail(rq, "out of memory"); return; }
        m->enc_texts = nt;
        struct EncText *t = &m->enc_texts[m->nenc_texts];
        t->path = strdup(path);
        t->text = malloc(rq->arg.enc_commit.len + 1);
        if (!t->path || !t->text) { free(t->path); free(t->text); eng_fail(rq, "out of memory"); return; }
        memcpy(t->text, rq->arg.enc_commit.text, rq->arg.enc_commit.len);
        t->text[rq->arg.enc_commit.len] = 0;
        t->len = rq->arg.enc_commit.len;
        m->nenc_texts++;
        return;
    }
    if (mod) eng_fail(rq, "%s: no such module", mod);
}

/* Keep method token's sequence points as they are before the apply (remap needs them). */
static void save_old_body(Module *m, const PdbFile *pdb, uint32_t token)
{
    PdbSpIter it;
    if (pdb_sp_begin(pdb, token & 0xFFFFFF, &it) != 0) return;
    PdbSeqPoint *sps = NULL, sp;
    size_t n = 0, cap = 0;
    while (pdb_sp_next(&it, &sp) == 1) {
        if (!GROW(sps, n, cap)) break;
        sps[n++] = sp;
    }
    size_t i = 0;
    while (i < g_nold && !(g_old[i].module_id == m->id && g_old[i].token == token)) i++;
    if (i == g_nold) {
        EncOldBody *g = realloc(g_old, (g_nold + 1) * sizeof *g);
        if (!g) { free(sps); return; }
        g_old = g;
        g_nold++;
    } else {
        free(g_old[i].sps);
    }
    g_old[i] = (EncOldBody){ m->id, token, sps, n };
}

static void save_line_maps(EngSession *s, Module *m, const EngEncDelta *d)
{
    for (size_t k = 0; k < d->nline_maps; k++) {
        const EngEncLineMap *lm = &d->line_maps[k];
        if (!lm->path) continue;
        size_t i = 0;
        while (i < s->nenc_maps && strcmp(s->enc_maps[i].path, lm->path)) i++;
        if (i == s->nenc_maps) {
            struct EncLineMapSaved *g = realloc(s->enc_maps, (s->nenc_maps + 1) * sizeof *g);
            if (!g) return;
            s->enc_maps = g;
            memset(&s->enc_maps[i], 0, sizeof *g);
            if (!(s->enc_maps[i].path = strdup(lm->path))) return;
            s->nenc_maps++;
        }
        free(s->enc_maps[i].runs);
        s->enc_maps[i].runs = malloc((lm->nruns ? lm->nruns : 1) * sizeof *lm->runs);
        s->enc_maps[i].nruns = s->enc_maps[i].runs ? lm->nruns : 0;
        if (s->enc_maps[i].runs && lm->nruns) memcpy(s->enc_maps[i].runs, lm->runs, lm->nruns * sizeof *lm->runs);
        s->enc_maps[i].module_id = m->id;
    }
}

/* Line `line` of document path in the new text: through the runs of unchanged lines; a
 * line in an edited stretch moves as the run before it did. 0 when the document has no map
 * (unchanged: the same line). */
static uint32_t map_line(EngSession *s, const char *path, uint32_t line, int *exact)
{
    *exact = 0;
    for (size_t i = 0; i < s->nenc_maps; i++) {
        if (strcmp(s->enc_maps[i].path, path)) continue;
        const EngEncLineRun *r = s->enc_maps[i].runs;
        long shift = 0;
        for (size_t k = 0; k < s->enc_maps[i].nruns; k++) {
            if (line >= r[k].old_line && line < r[k].old_line + r[k].count) {
                *exact = 1;
                return r[k].new_line + (line - r[k].old_line);
            }
            if (r[k].old_line <= line) shift = (long)r[k].new_line - (long)r[k].old_line;
        }
        long nl = (long)line + shift;
        return nl > 0 ? (uint32_t)nl : 1;
    }
    *exact = 1;
    return line;
}

/* Breakpoints in the edited documents follow their lines, and those bound in the module
 * bind again on the new code (ICorDebug's breakpoints on an old version stay with it). */
static void rebind_breakpoints(EngSession *s, Module *m, const EngEncDelta *d)
{
    for (size_t i = 0; i < s->nbps; i++) {
        Breakpoint *bp = &s->bps[i];
        if (!bp->is_line || bp->internal || bp->native || !bp->file) continue;
        int touched = 0;
        for (size_t k = 0; k < d->nline_maps; k++) {
            const char *p = d->line_maps[k].path;
            size_t pl = p ? strlen(p) : 0, fl = strlen(bp->file);
            if (!p || !(pl >= fl && !strcmp(p + pl - fl, bp->file) && (pl == fl || p[pl - fl - 1] == '/'))) continue;
            int exact;
            uint32_t nl = map_line(s, p, bp->line, &exact);
            if (nl && nl != bp->line) {
                log_msg(LOG_INFO, "enc", "breakpoint %d: line %u -> %u", bp->id, (unsigned)bp->line, (unsigned)nl);
                bp->line = nl;
            }
            touched = 1;
        }
        for (size_t j = 0; !touched && j < bp->nb; j++) {
            if (bp->b[j].module_id != m->id) continue;
            for (size_t k = 0; k < d->nupdated_methods; k++)
                if (bp->b[j].token == d->updated_methods[k]) touched = 1;
        }
        if (touched) bp_enc_rebind(s, bp, m);
    }
}

static double ms_since(uint64_t t0)
{
    return (double)(os_monotonic_ns() - t0) / 1e6;
}

static void apply_now(EngSession *s, Request *rq, Module *m)
{
    const EngEncDelta *d = rq->arg.enc_apply.d;
    char b[96];
    ICorDebugModule2 *m2 = NULL;
    if (FAILED(m->m->lpVtbl->QueryInterface(m->m, &IID_ICorDebugModule2, (void **)&m2)) || !m2) {
        eng_fail(rq, "%s: the runtime gives no ICorDebugModule2", m->name);
        return;
    }
    /* The right side applies the delta to its own copy of the module's metadata, which it
     * reads on first use only (CordbModule::ApplyChanges dereferences it unchecked): a
     * module never looked into (hot reload of a program that has not stopped yet) crashed
     * there. Asking for its metadata reads it. */
    IUnknown *mdi = NULL;
    if (SUCCEEDED(m->m->lpVtbl->GetMetaDataInterface(m->m, &IID_IMetaDataImport, &mdi)) && mdi) mdi->lpVtbl->Release(mdi);
    PdbModule *sym = eng_module_symbols(s, m, 0);
    const PdbFile *pdb = sym ? pdb_module_pdb(sym) : NULL;
    /* The bodies replaced: their lines, for frames still in them (remap). */
    for (size_t k = 0; pdb && k < d->nupdated_methods; k++) save_old_body(m, pdb, d->updated_methods[k]);
    HRESULT hr = m2->lpVtbl->ApplyChanges(m2, (ULONG)d->metadata_len, (BYTE *)d->metadata,
                                          (ULONG)d->il_len, (BYTE *)d->il);
    m2->lpVtbl->Release(m2);
    if (FAILED(hr)) {
        eng_fail(rq, "the runtime refused the change to %s: %s", m->name, clr_hr_str(hr, b, sizeof b));
        return;
    }
    m->enc_applied++;
    if (sym && d->pdb_len) {
        char err[256];
        uint32_t nm = 0;
        if (pdb_module_apply_delta(sym, d->pdb, d->pdb_len, &nm, err, sizeof err) != 0) {
            /* The code changed; only the debugger's view of its lines lags. */
            eng_notify_error(s, "edit applied, but its symbols could not be read: %s", err);
        }
    }
    save_line_maps(s, m, d);
    rebind_breakpoints(s, m, d);
}

static void req_apply(EngSession *s, Request *rq)
{
    const EngEncDelta *d = rq->arg.enc_apply.d;
    uint64_t t0 = os_monotonic_ns();
    if (s->state == ENG_NONE) { eng_fail(rq, "the program is not running"); return; }
    if (s->mode == ENG_MODE_NATIVE) { eng_fail(rq, "edit and continue needs managed debugging"); return; }
    if (!d || !d->module) { eng_fail(rq, "no module in the change"); return; }
    Module *m = module_by_path(s, d->module);
    if (!m) { eng_fail(rq, "%s is not loaded in the program", d->module); return; }
    if (!m->enc) { eng_fail(rq, "%s cannot be edited: %s", m->name, m->enc_why); return; }
    if (s->eval_active) { eng_fail(rq, "a function evaluation is running"); return; }
    int id = m->id;
    if (s->state == ENG_RUNNING) {
        /* Paused for the change, then on: the program does not see a stop. */
        char b[96];
        HRESULT hr = S_OK;
        int rc = eng_stop(s, eng_stop_wait_ms(), &hr);
        if (rc > 0) { eng_fail(rq, "cannot pause process %d to apply the change: the runtime did not synchronize", s->pid); return; }
        if (rc < 0) { eng_fail(rq, "cannot pause process %d to apply the change: %s", s->pid, clr_hr_str(hr, b, sizeof b)); return; }
        s->held--;
        m = eng_module_by_id(s, id);
        if (m) apply_now(s, rq, m);
        hr = s->process->lpVtbl->Continue(s->process, FALSE);
        if (FAILED(hr)) eng_notify_error(s, "cannot let process %d go on after the change: %s", s->pid, clr_hr_str(hr, b, sizeof b));
    } else {
        apply_now(s, rq, m);
    }
    if (rq->res->status == 0) {
        size_t nu = d->nupdated_methods, na = d->nadded_methods;
        char what[256] = "";
        size_t o = 0;
        if (nu) o += (size_t)snprintf(what + o, sizeof what - o, "%zu method%s updated", nu, nu == 1 ? "" : "s");
        if (na && o < sizeof what) o += (size_t)snprintf(what + o, sizeof what - o, "%s%zu method%s added", o ? ", " : "", na, na == 1 ? "" : "s");
        if (!o) snprintf(what, sizeof what, "%zu type%s updated", d->nupdated_types, d->nupdated_types == 1 ? "" : "s");
        snprintf(rq->res->message, sizeof rq->res->message, "%s in %s (%.0f ms)", what,
                 m && eng_module_by_id(s, id) ? eng_module_by_id(s, id)->name : "?", ms_since(t0));
    }
}

void enc_engine_request(EngSession *s, Request *rq)
{
    switch (rq->kind) {
    case REQ_ENC_SET: s->enc_on = rq->arg.enc_set.on; break;
    case REQ_ENC_MODULES: req_modules(s, rq); break;
    case REQ_ENC_COMMIT: req_commit(s, rq); break;
    case REQ_ENC_APPLY: req_apply(s, rq); break;
    default: break;
    }
}

/* ---------------------------------------------------------------- remap */

/* The IL offset in the new body of method token for a frame at old_il of its old body:
 * old offset → old line → the line in the new text → that line's first sequence point in
 * the new body. -1 when it cannot be said. */
static long remap_offset(EngSession *s, Module *m, uint32_t token, uint32_t old_il)
{
    const EncOldBody *ob = NULL;
    for (size_t i = 0; i < g_nold; i++)
        if (g_old[i].module_id == m->id && g_old[i].token == token) ob = &g_old[i];
    PdbModule *sym = eng_module_symbols(s, m, 0);
    const PdbFile *pdb = sym ? pdb_module_pdb(sym) : NULL;
    if (!ob || !pdb) return -1;
    if (old_il == 0) return 0;
    const PdbSeqPoint *at = NULL;
    for (size_t i = 0; i < ob->n; i++)
        if (!ob->sps[i].hidden && ob->sps[i].il <= old_il && (!at || ob->sps[i].il >= at->il)) at = &ob->sps[i];
    /* Only at the start of a statement: elsewhere (a call's return in the middle of one) the
     * frame finishes the statement in the old body and is offered the next one. */
    if (!at || at->il != old_il) return -1;
    const char *doc = pdb_document_name(pdb, at->doc);
    int exact;
    uint32_t line = map_line(s, doc, at->start_line, &exact);
    /* The new body's first sequence point on that line, else the first after it. */
    PdbSpIter it;
    if (pdb_sp_begin(pdb, token & 0xFFFFFF, &it) != 0) return -1;
    PdbSeqPoint sp;
    long best = -1;
    uint32_t best_line = 0;
    while (pdb_sp_next(&it, &sp) == 1) {
        if (sp.hidden || strcmp(pdb_document_name(pdb, sp.doc), doc)) continue;
        if (sp.start_line < line) continue;
        if (best < 0 || sp.start_line < best_line || (sp.start_line == best_line && sp.il < (uint32_t)best)) {
            best = sp.il;
            best_line = sp.start_line;
        }
    }
    log_msg(LOG_INFO, "enc", "remap 0x%08x: IL %u (line %u) -> line %u%s -> IL %ld", (unsigned)token,
            (unsigned)old_il, (unsigned)at->start_line, (unsigned)line, exact ? "" : " (edited)", best);
    return best;
}

int enc_remap_event(EngSession *s, ClrEvent *ev)
{
    if (ev->kind == CE_FUNCTION_REMAP_COMPLETE) {
        int restep = s->enc_restep;
        s->enc_restep = 0;
        log_msg(LOG_INFO, "enc", "function remap complete%s", restep == 1 ? ": step again" : restep == 2 ? ": the step ends" : "");
        if (restep == 1 && ev->thread) {
            /* The step began at this statement: step over it again, in the new body. */
            char err[256];
            if (step_rearm(s, ev->thread, err, sizeof err) == 0) return 0;
            eng_notify_error(s, "the step cannot go on in the edited method: %s", err);
            restep = 2;
        }
        if (restep == 2 && ev->thread) {
            /* A new statement reached while stepping: where the step would have stopped. */
            step_cancel(s);
            Where w;
            int known = eng_where_thread(s, ev->thread, 0, &w) == 0;
            eng_stop_at(s, ENG_STOP_STEP, ev->thread, known ? &w : NULL);
            return 1;
        }
        return 0;
    }
    if (!ev->function || !ev->thread) return 0;
    ICorDebugModule *im = NULL;
    mdMethodDef token = 0;
    ev->function->lpVtbl->GetToken(ev->function, &token);
    ev->function->lpVtbl->GetModule(ev->function, &im);
    Module *m = im ? eng_module_by_iface(s, im) : NULL;
    if (im) im->lpVtbl->Release(im);
    if (!m) return 0;
    long off = remap_offset(s, m, token, ev->offset);
    if (off < 0) {
        log_msg(LOG_INFO, "enc", "no remap for 0x%08x at IL %u: the frame stays in the old body",
                (unsigned)token, (unsigned)ev->offset);
        return 0;
    }
    ICorDebugFrame *f = NULL;
    ICorDebugILFrame2 *f2 = NULL;
    HRESULT hr = ev->thread->lpVtbl->GetActiveFrame(ev->thread, &f);
    if (SUCCEEDED(hr) && f) hr = f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame2, (void **)&f2);
    if (SUCCEEDED(hr) && f2) hr = f2->lpVtbl->RemapFunction(f2, (ULONG32)off);
    if (f2) f2->lpVtbl->Release(f2);
    if (f) f->lpVtbl->Release(f);
    if (FAILED(hr)) {
        char b[96];
        eng_notify_error(s, "the frame could not move to the new code (RemapFunction: %s); it finishes in the old one",
                         clr_hr_str(hr, b, sizeof b));
    } else {
        s->enc_remaps++;
        /* A step in progress on this thread lost its stepper with the old body. */
        DWORD tid = 0;
        ev->thread->lpVtbl->GetID(ev->thread, &tid);
        Thread *th = s->stepper ? eng_thread_by_id(s, s->step_thread) : NULL;
        if (th && th->tid == tid)
            /* Again from the statement the step began at, or out of the method for a
             * finish; a new statement reached: where the step ends. */
            s->enc_restep = s->step_kind == 'u' || (token == s->step_start_token && ev->offset == s->step_start_il) ? 1 : 2;
    }
    return 0;
}

/* ---------------------------------------------------------------- names */

int enc_method_display(EngSession *s, Module *m, uint32_t tok, char *out, size_t cap)
{
    IMetaDataImport *md = NULL;
    if (!m->enc_applied || FAILED(m->m->lpVtbl->GetMetaDataInterface(m->m, &IID_IMetaDataImport, (IUnknown **)&md)) || !md)
        return -1;
    mdTypeDef cls = 0;
    WCHAR w[512];
    ULONG len = 0, sig_len = 0, rva = 0;
    DWORD attr = 0, impl = 0;
    PCCOR_SIGNATURE sig = NULL;
    int rc = -1;
    if (SUCCEEDED(md->lpVtbl->GetMethodProps(md, tok, &cls, w, 512, &len, &attr, &sig, &sig_len, &rva, &impl))) {
        w[len && len <= 512 ? len - 1 : 0] = 0;
        char name[512], type[1024], params[1024] = "";
        utf8_from_utf16_buf(name, sizeof name, (const uint16_t *)w, (size_t)-1);
        eng_md_type_name(md, cls, type, sizeof type);
        /* Parameter types through the module's own metadata (the types an edit uses are
         * mostly there already), names from the runtime's. */
        PdbModule *sym = eng_module_symbols(s, m, 1);
        MdPool pool = { 0 };
        MdMethodSig *ms = NULL;
        size_t o = 0;
        if (sym && sig && md_decode_method_sig(&pool, sig, sig_len, &ms) == 0 && ms) {
            for (uint32_t i = 0; i < ms->nparams && o < sizeof params; i++) {
                char tn[256] = "?", pn[256] = "";
                md_type_name(&pdb_module_image(sym)->md, ms->params[i], NULL, tn, sizeof tn);
                mdParamDef pd = 0;
                if (SUCCEEDED(md->lpVtbl->GetParamForMethodIndex(md, tok, i + 1, &pd))) {
                    WCHAR pw[256];
                    ULONG pl = 0, seq = 0, cp = 0, cl = 0;
                    DWORD pa = 0;
                    mdMethodDef owner = 0;
                    UVCP_CONSTANT cv = NULL;
                    if (SUCCEEDED(md->lpVtbl->GetParamProps(md, pd, &owner, &seq, pw, 256, &pl, &pa, &cp, &cv, &cl))) {
                        pw[pl && pl <= 256 ? pl - 1 : 0] = 0;
                        utf8_from_utf16_buf(pn, sizeof pn, (const uint16_t *)pw, (size_t)-1);
                    }
                }
                o += (size_t)snprintf(params + o, sizeof params - o, "%s%s%s%s", i ? ", " : "", tn, pn[0] ? " " : "", pn);
            }
        }
        md_pool_free(&pool);
        snprintf(out, cap, "%s%s%s(%s)", type, type[0] ? "." : "", name, params);
        rc = 0;
    }
    md->lpVtbl->Release(md);
    return rc;
}
