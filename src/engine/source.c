/* Source text for `list`: a location (the selected frame, FILE:LINE or a method) resolved
 * through the loaded modules' PDBs to a document, read from disk or, failing that, from
 * the PDB's embedded source. */
#include "engine/internal.h"
#include "base/os.h"
#include "base/strbuf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A file at base + tail, read whole: 0 with *text. */
static int read_at(const char *base, size_t blen, const char *tail, char **text)
{
    char p[4096];
    size_t len = 0;
    if ((size_t)snprintf(p, sizeof p, "%.*s%s%s", (int)blen, base, blen && base[blen - 1] != '/' && tail[0] != '/' ? "/" : "", tail) >= sizeof p)
        return -1;
    return os_read_file(p, 64u << 20, text, &len);
}

/* The text of the document the PDB names `path` (a build machine's path, perhaps), read from
 * this machine as gdb finds sources: through the substitute-path pairs, at the path itself,
 * then in each `directory` DIR at DIR/path, and at DIR/ each shorter tail of the path
 * (a/b/c.cs: DIR/b/c.cs, DIR/c.cs). 0 with *text malloc'ed, -1 when none is readable. */
static int local_text(const EngSession *s, const char *path, char **text)
{
    for (size_t i = 0; s && i < s->nmap; i++) {
        size_t m = strlen(s->map_from[i]);
        while (m > 1 && s->map_from[i][m - 1] == '/') m--;
        if (strncmp(path, s->map_from[i], m) == 0 && (path[m] == '/' || !path[m]) &&
            read_at(s->map_to[i], strlen(s->map_to[i]), path + m, text) == 0)
            return 0;
    }
    size_t len = 0;
    if (os_read_file(path, 64u << 20, text, &len) == 0) return 0;
    for (size_t i = 0; s && i < s->nsrc_dirs; i++) {
        const char *dir = s->src_dirs[i];
        for (const char *tail = path; tail; tail = strchr(tail + 1, '/'))
            if (read_at(dir, strlen(dir), tail, text) == 0) return 0;
    }
    return -1;
}

/* The document text: the file on this machine, else the embedded copy. malloc'ed, or NULL. */
static char *document_text(const EngSession *s, const PdbModule *sym, uint32_t doc, const char *path)
{
    char *text = NULL;
    size_t len = 0;
    if (local_text(s, path, &text) == 0) return text;
    const PdbFile *pdb = sym ? pdb_module_pdb(sym) : NULL;
    uint8_t *bytes = NULL;
    if (pdb && doc && pdb_embedded_source(pdb, doc, &bytes, &len) == 0) {
        /* pdb_embedded_source NUL-terminates; drop a UTF-8 byte order mark. */
        if (len >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) memmove(bytes, bytes + 3, len - 2);
        return (char *)bytes;
    }
    return NULL;
}

/* The text of document `path` of module module_id (0: any module that has it): the file on
 * disk, else its embedded copy. malloc'ed, or NULL. */
static char *text_of(EngSession *s, int module_id, const char *path)
{
    for (size_t i = 0; i < s->nmodules; i++) {
        if (module_id && s->modules[i].id != module_id) continue;
        PdbModule *sym = eng_module_symbols(s, &s->modules[i], 0);
        uint32_t docs[1];
        if (sym && pdb_module_match_documents(sym, path, docs, 1) > 0) return document_text(s, sym, docs[0], path);
    }
    return document_text(s, NULL, 0, path);
}

void eng_source_line(EngSession *s, int module_id, const char *file, uint32_t line, char *out, size_t cap)
{
    out[0] = 0;
    char *text = text_of(s, module_id, file);
    if (!text) return;
    const char *p = text;
    for (uint32_t n = 1; n < line && p; n++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (p) {
        size_t len = strcspn(p, "\r\n");
        snprintf(out, cap, "%.*s", (int)(len < 4095 ? len : 4095), p);
    }
    free(text);
}

void source_request(EngSession *s, Request *rq)
{
    EngResult *r = rq->res;
    const char *spec = rq->arg.source.where;
    const PdbModule *sym = NULL;
    uint32_t doc = 0, line = 0;
    char path[1024] = "";
    if (!spec || !*spec) {
        /* The selected frame. */
        if (s->state != ENG_STOPPED) {
            snprintf(r->err, sizeof r->err, "no current location: the program is not stopped (try list FILE:LINE)");
            r->status = -1;
            return;
        }
        Thread *th = eng_selected_thread(s);
        ICorDebugFrame *f = th ? eng_frame_at(s, th->t, s->current_frame) : NULL;
        Where w;
        if (!f || eng_where_frame(s, f, &w) != 0 || !w.line) {
            if (f) f->lpVtbl->Release(f);
            snprintf(r->err, sizeof r->err, "no source for the selected frame");
            r->status = -1;
            return;
        }
        f->lpVtbl->Release(f);
        snprintf(path, sizeof path, "%s", w.file);
        line = w.line;
        Module *m = eng_module_by_id(s, w.module_id);
        sym = m ? eng_module_symbols(s, m, 0) : NULL;
        uint32_t docs[1];
        if (sym && pdb_module_match_documents(sym, path, docs, 1) > 0) doc = docs[0];
    } else {
        const char *colon = strrchr(spec, ':');
        int is_line = colon && colon[1] && strspn(colon + 1, "0123456789") == strlen(colon + 1);
        char file[1024] = "";
        if (is_line) {
            snprintf(file, sizeof file, "%.*s", (int)(colon - spec), spec);
            line = (uint32_t)strtoul(colon + 1, NULL, 10);
        }
        for (size_t i = 0; i < s->nmodules && !path[0]; i++) {
            PdbModule *ms = eng_module_symbols(s, &s->modules[i], 0);
            if (!ms || !pdb_module_pdb(ms)) continue;
            if (is_line) {
                uint32_t docs[1];
                if (pdb_module_match_documents(ms, file, docs, 1) == 0) continue;
                doc = docs[0];
                snprintf(path, sizeof path, "%s", pdb_document_name(pdb_module_pdb(ms), doc));
                sym = ms;
            } else {
                uint32_t tok[1];
                if (pdb_module_find_methods(ms, spec, tok, 1) == 0) continue;
                /* The method's first line with code (its first visible sequence point). */
                PdbSpIter it;
                PdbSeqPoint sp;
                line = 0;
                if (pdb_sp_begin(pdb_module_pdb(ms), tok[0] & 0x00ffffff, &it) == 0)
                    while (pdb_sp_next(&it, &sp) == 1)
                        if (!sp.hidden) { doc = sp.doc; line = sp.start_line; break; }
                if (!line) continue;
                snprintf(path, sizeof path, "%s", pdb_document_name(pdb_module_pdb(ms), doc));
                sym = ms;
            }
        }
        if (!path[0] && is_line) snprintf(path, sizeof path, "%s", file);   /* a file not in any PDB */
        if (!path[0]) {
            snprintf(r->err, sizeof r->err, "no method %s in the loaded modules with symbols", spec);
            r->status = -1;
            return;
        }
    }
    char *text = document_text(s, sym, doc, path);
    if (!text) {
        snprintf(r->err, sizeof r->err, "cannot read %s (and the PDB embeds no copy of it)", path);
        r->status = -1;
        return;
    }
    r->text = text;
    r->id = (int)line;
    snprintf(r->message, sizeof r->message, "%s", path);
}

/* gdb's `directory`: DIRS (colon-separated) go before those searched already; NULL forgets
 * them all. The message is the list searched now. */
void source_dirs_request(EngSession *s, Request *rq)
{
    const char *dirs = rq->arg.srcdirs.dirs;
    if (!dirs) {
        for (size_t i = 0; i < s->nsrc_dirs; i++) free(s->src_dirs[i]);
        s->nsrc_dirs = 0;
    }
    /* each new one first, in the order given: the last given is searched last of them */
    size_t at = 0;
    for (const char *p = dirs; p && *p; ) {
        size_t n = strcspn(p, ":");
        while (n > 1 && p[n - 1] == '/') n--;
        if (n) {
            char *d = strndup(p, n);
            for (size_t i = 0; d && i < s->nsrc_dirs; i++)
                if (!strcmp(s->src_dirs[i], d)) {           /* given again: moves to the front */
                    free(s->src_dirs[i]);
                    memmove(&s->src_dirs[i], &s->src_dirs[i + 1], (s->nsrc_dirs - i - 1) * sizeof *s->src_dirs);
                    s->nsrc_dirs--;
                    if (i < at) at--;
                    break;
                }
            char **grown = d ? realloc(s->src_dirs, (s->nsrc_dirs + 1) * sizeof *grown) : NULL;
            if (!grown) { free(d); eng_fail(rq, "out of memory"); return; }
            s->src_dirs = grown;
            memmove(&s->src_dirs[at + 1], &s->src_dirs[at], (s->nsrc_dirs - at) * sizeof *grown);
            s->src_dirs[at++] = d;
            s->nsrc_dirs++;
        }
        p += strcspn(p, ":");
        if (*p) p++;
    }
    StrBuf b = { 0 };
    for (size_t i = 0; i < s->nsrc_dirs; i++) sb_printf(&b, "%s%s", i ? ":" : "", s->src_dirs[i]);
    snprintf(rq->res->message, sizeof rq->res->message, "Source directories searched: %s",
             s->nsrc_dirs && b.data ? b.data : "(none: the paths the PDBs give)");
    sb_free(&b);
}

/* The source documents of module m's PDB appended to out, one per line: the path alone, or
 * (detail) "MODULE_ID<TAB>PATH<TAB>E" with E 1 when the PDB embeds the text. */
void eng_module_documents(EngSession *s, Module *m, int detail, StrBuf *out)
{
    PdbModule *sym = m->symbols ? eng_module_symbols(s, m, 0) : NULL;
    const PdbFile *pdb = sym ? pdb_module_pdb(sym) : NULL;
    uint32_t n = pdb ? md_rows(&pdb->md, MD_T_Document) : 0;
    for (uint32_t d = 1; d <= n; d++) {
        if (!detail) { sb_printf(out, "%s\n", pdb_document_name(pdb, d)); continue; }
        const uint8_t *blob;
        uint32_t len;
        int embedded = pdb_cdi_find(pdb, (uint32_t)MD_T_Document << 24 | d, PDB_CDI_EMBEDDED_SOURCE, &blob, &len) == 0;
        sb_printf(out, "%d\t%s\t%d\n", m->id, pdb_document_name(pdb, d), embedded);
    }
}

/* REQ_DOCUMENTS: every module's documents, or module rq->arg.documents.module_id's (eng_module_documents). */
void documents_request(EngSession *s, Request *rq)
{
    StrBuf b;
    sb_init(&b);
    for (size_t i = 0; i < s->nmodules; i++)
        if (!rq->arg.documents.module_id || s->modules[i].id == rq->arg.documents.module_id) eng_module_documents(s, &s->modules[i], 1, &b);
    rq->res->text = sb_take(&b);
    if (!rq->res->text) rq->res->text = strdup("");
}
