/* meta/dump: the `cordbg symbols` text format. One line per fact, stable order (row order):
 *   assembly NAME
 *   pdb WHERE id GUID-STAMP | pdb none
 *   document ROW LANG NAME [embedded-source N bytes]
 *   type TOKEN FULLNAME [attrs]
 *     field TOKEN TYPE NAME [attrs]
 *     method TOKEN SIGNATURE [attrs]
 *       kickoff TOKEN                       (MoveNext of an async/iterator state machine)
 *       async catch IL|none await YIELD RESUME ...
 *       hoisted START+LEN ...
 *       sp IL_xxxx DOC:LINE:COL-LINE:COL | sp IL_xxxx hidden
 *       scope IL_xxxx-IL_xxxx
 *         local SLOT TYPE NAME [hidden]
 *         const NAME = VALUE
 */
#include "meta/dump.h"
#include "meta/md.h"
#include "meta/pdb.h"
#include "meta/sig.h"
#include "meta/symbols.h"
#include "meta/md_internal.h"

#include <stdlib.h>

static void print_attrs(FILE *out, const MdMeta *m, uint32_t token)
{
    MdPool pool = {0};
    MdDebugAttrs a;
    if (md_debug_attrs(m, &pool, token, &a) == 0 && a.flags) {
        if (a.flags & MD_ATTR_DEBUGGER_HIDDEN) fputs(" [DebuggerHidden]", out);
        if (a.flags & MD_ATTR_DEBUGGER_STEP_THROUGH) fputs(" [DebuggerStepThrough]", out);
        if (a.flags & MD_ATTR_DEBUGGER_NON_USER_CODE) fputs(" [DebuggerNonUserCode]", out);
        if (a.flags & MD_ATTR_DEBUGGER_STEPPER_BOUNDARY) fputs(" [DebuggerStepperBoundary]", out);
        if (a.flags & MD_ATTR_COMPILER_GENERATED) fputs(" [CompilerGenerated]", out);
        if (a.flags & MD_ATTR_DEBUGGER_BROWSABLE) fprintf(out, " [DebuggerBrowsable(%d)]", a.browsable_state);
        if (a.flags & MD_ATTR_DEBUGGER_DISPLAY) fprintf(out, " [DebuggerDisplay(\"%s\")]", a.display ? a.display : "");
    }
    md_pool_free(&pool);
}

static void dump_method(FILE *out, const PdbModule *mod, uint32_t rid)
{
    const MdImage *img = pdb_module_image(mod);
    const MdMeta *m = &img->md;
    const PdbFile *pdb = pdb_module_pdb(mod);
    char buf[4096];
    md_method_display(m, rid, 0, buf, sizeof buf);
    fprintf(out, "  method 0x%08x %s", (uint32_t)MD_T_MethodDef << 24 | rid, buf);
    print_attrs(out, m, (uint32_t)MD_T_MethodDef << 24 | rid);
    fputc('\n', out);
    if (!pdb) return;
    MdPool pool = {0};
    uint32_t k = pdb_kickoff_method(pdb, rid);
    if (k) fprintf(out, "    kickoff 0x%08x\n", (uint32_t)MD_T_MethodDef << 24 | k);
    PdbAsyncInfo ai;
    if (pdb_async_info(pdb, &pool, rid, &ai) == 0) {
        if (ai.catch_handler >= 0) fprintf(out, "    async catch IL_%04x", (unsigned)ai.catch_handler);
        else fputs("    async catch none", out);
        for (uint32_t i = 0; i < ai.nawaits; i++)
            fprintf(out, " await IL_%04x IL_%04x 0x%08x", ai.awaits[i].yield_offset, ai.awaits[i].resume_offset,
                    (uint32_t)MD_T_MethodDef << 24 | ai.awaits[i].resume_method);
        fputc('\n', out);
    }
    PdbIlRange *hs;
    uint32_t nhs;
    if (pdb_hoisted_scopes(pdb, &pool, rid, &hs, &nhs) == 0) {
        fputs("    hoisted", out);
        for (uint32_t i = 0; i < nhs; i++) fprintf(out, " IL_%04x+%u", hs[i].start, hs[i].length);
        fputc('\n', out);
    }
    PdbSpIter it;
    if (pdb_sp_begin(pdb, rid, &it) == 0) {
        PdbSeqPoint sp;
        int r;
        while ((r = pdb_sp_next(&it, &sp)) == 1) {
            if (sp.hidden) fprintf(out, "    sp IL_%04x hidden\n", sp.il);
            else
                fprintf(out, "    sp IL_%04x %u:%u:%u-%u:%u\n", sp.il, sp.doc, sp.start_line, sp.start_col,
                        sp.end_line, sp.end_col);
        }
        if (r < 0) fputs("    sp <malformed sequence points>\n", out);
    }
    /* local types come from the method's local signature */
    MdType **ltypes = NULL;
    uint32_t nl = 0;
    MdMethodBody body;
    if (md_method_body(img, rid, &body) == 0 && (body.local_sig_token >> 24) == MD_T_StandAloneSig) {
        const uint8_t *p;
        uint32_t len;
        if (md_blob(m, md_get(m, MD_T_StandAloneSig, body.local_sig_token & 0xFFFFFF, MD_StandAloneSig_Signature), &p, &len) == 0)
            md_decode_locals_sig(&pool, p, len, &ltypes, &nl);
    }
    MdGenCtx g = {.type_rid = md_method_owner(m, rid), .method_rid = rid};
    uint32_t sf, se;
    pdb_method_scopes(pdb, rid, &sf, &se);
    for (uint32_t s = sf; s < se; s++) {
        uint32_t start = md_get(&pdb->md, MD_T_LocalScope, s, MD_LocalScope_StartOffset);
        uint32_t len = md_get(&pdb->md, MD_T_LocalScope, s, MD_LocalScope_Length);
        fprintf(out, "    scope IL_%04x-IL_%04x\n", start, start + len);
        PdbLocal *ls;
        uint32_t n;
        if (pdb_scope_locals(pdb, &pool, s, &ls, &n) != 0) continue;
        for (uint32_t i = 0; i < n; i++) {
            if (ls[i].is_const) {
                pdb_constant_text(pdb, ls[i].const_sig, ls[i].const_sig_len, buf, sizeof buf);
                fprintf(out, "      const %s = %s\n", ls[i].name, buf);
            } else {
                if (ls[i].slot < nl) md_type_name(m, ltypes[ls[i].slot], &g, buf, sizeof buf);
                else snprintf(buf, sizeof buf, "?");
                fprintf(out, "      local %u %s %s%s\n", ls[i].slot, buf, ls[i].name,
                        (ls[i].attrs & 1) ? " hidden" : "");
            }
        }
    }
    md_pool_free(&pool);
}

int md_dump_symbols(FILE *out, const char *path, char *err, size_t errcap)
{
    PdbModule *mod;
    char e2[1024] = "";
    int rc = pdb_module_open(path, &mod, e2, sizeof e2);
    if (!mod) {
        md_seterr(err, errcap, "%s", e2);
        return rc;
    }
    const MdImage *img = pdb_module_image(mod);
    const MdMeta *m = &img->md;
    const PdbFile *pdb = pdb_module_pdb(mod);
    const char *slash = strrchr(path, '/');
    fprintf(out, "assembly %s\n", slash ? slash + 1 : path);
    if (pdb) {
        char g[37];
        md_guid_str(pdb->id, g);
        fprintf(out, "pdb %s id %s-%08x\n", pdb_module_pdb_where(mod), g, le32(pdb->id + 16));
        for (uint32_t d = 1; d <= md_rows(&pdb->md, MD_T_Document); d++) {
            fprintf(out, "document %u %s %s", d, pdb_language_name(pdb_document_language(pdb, d)),
                    pdb_document_name(pdb, d));
            uint8_t *src;
            size_t sl;
            if (pdb_embedded_source(pdb, d, &src, &sl) == 0) {
                fprintf(out, " [embedded-source %zu bytes]", sl);
                free(src);
            }
            fputc('\n', out);
        }
    } else {
        fprintf(out, "pdb none (%s)\n", e2);
    }
    char buf[4096];
    for (uint32_t t = 1; t <= md_rows(m, MD_T_TypeDef); t++) {
        md_token_type_name(m, (uint32_t)MD_T_TypeDef << 24 | t, buf, sizeof buf);
        fprintf(out, "type 0x%08x %s", (uint32_t)MD_T_TypeDef << 24 | t, buf);
        print_attrs(out, m, (uint32_t)MD_T_TypeDef << 24 | t);
        fputc('\n', out);
        uint32_t f, e;
        md_list_range(m, MD_T_TypeDef, t, MD_TypeDef_FieldList, MD_T_Field, &f, &e);
        for (uint32_t r = f; r < e; r++) {
            MdPool pool = {0};
            const uint8_t *p;
            uint32_t len;
            MdType *ft = NULL;
            MdGenCtx g = {.type_rid = t};
            if (md_blob(m, md_get(m, MD_T_Field, r, MD_Field_Signature), &p, &len) == 0 &&
                md_decode_field_sig(&pool, p, len, &ft) == 0)
                md_type_name(m, ft, &g, buf, sizeof buf);
            else snprintf(buf, sizeof buf, "?");
            fprintf(out, "  field 0x%08x %s %s", (uint32_t)MD_T_Field << 24 | r, buf,
                    md_string(m, md_get(m, MD_T_Field, r, MD_Field_Name)));
            print_attrs(out, m, (uint32_t)MD_T_Field << 24 | r);
            fputc('\n', out);
            md_pool_free(&pool);
        }
        md_list_range(m, MD_T_TypeDef, t, MD_TypeDef_MethodList, MD_T_MethodDef, &f, &e);
        for (uint32_t r = f; r < e; r++) dump_method(out, mod, r);
    }
    pdb_module_close(mod);
    return 0;
}
