// fuzz_pdb.c — libFuzzer target for meta/'s portable PDB reader: any bytes are opened as a
// standalone PDB and every table and blob decoder runs over them (documents, sequence points,
// scopes, locals, constants, imports, state machines, custom debug information, embedded
// sources); then the symbol indexes are built over it with a real assembly (from
// $CORDBG_FUZZ_IMAGE, set by scripts/fuzz.sh) and queried.
//   scripts/fuzz.sh 600 pdb
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta/md.h"
#include "meta/pdb.h"
#include "meta/symbols.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t *g_image;   // the assembly bytes paired with each input (read once)
static size_t g_image_len;
static int g_loaded;

static void load_image(void)
{
    g_loaded = 1;
    const char *p = getenv("CORDBG_FUZZ_IMAGE");
    if (p && md_read_file(p, (size_t)64 << 20, &g_image, &g_image_len) != 0) g_image = NULL;
}

static void walk_pdb(const PdbFile *pdb)
{
    const MdMeta *m = &pdb->md;
    MdPool pool = {0};
    char b[256];
    for (uint32_t d = 1; d <= md_rows(m, MD_T_Document) && d <= 64; d++) {
        pdb_language_name(pdb_document_language(pdb, d));
        uint8_t *src;
        size_t len;
        if (pdb_embedded_source(pdb, d, &src, &len) == 0) free(src);
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_MethodDebugInformation) && r <= 500; r++) {
        PdbSpIter it;
        PdbSeqPoint sp;
        if (pdb_sp_begin(pdb, r, &it) == 0)
            for (int k = 0; k < 10000 && pdb_sp_next(&it, &sp) == 1; k++) {}
        PdbLocal *ls;
        uint32_t n;
        pdb_locals_at(pdb, &pool, r, 7, &ls, &n);
        for (uint32_t i = 0; i < n; i++)
            if (ls[i].is_const) pdb_constant_text(pdb, ls[i].const_sig, ls[i].const_sig_len, b, sizeof b);
        PdbAsyncInfo ai;
        pdb_async_info(pdb, &pool, r, &ai);
        PdbIlRange *hs;
        pdb_hoisted_scopes(pdb, &pool, r, &hs, &n);
        pdb_kickoff_method(pdb, r);
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_LocalScope) && r <= 500; r++) {
        PdbLocal *ls;
        uint32_t n;
        pdb_scope_locals(pdb, &pool, r, &ls, &n);
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_LocalVariable) && r <= 200; r++) {
        const char **names;
        uint32_t n;
        pdb_tuple_names(pdb, &pool, (uint32_t)MD_T_LocalVariable << 24 | r, &names, &n);
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_ImportScope) && r <= 200; r++) {
        PdbImport *im;
        uint32_t n;
        pdb_imports(pdb, &pool, r, &im, &n);
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_CustomDebugInformation) && r <= 200; r++)
        pdb_cdi_kind_name(md_guid_at(m, md_get(m, MD_T_CustomDebugInformation, r, MD_CustomDebugInformation_Kind)));
    const uint8_t *sl;
    uint32_t sll;
    pdb_source_link(pdb, &sl, &sll);
    md_pool_free(&pool);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_loaded) load_image();
    PdbFile *pdb;
    char err[256];
    if (pdb_open_mem(data, size, &pdb, err, sizeof err) != 0) return 0;
    walk_pdb(pdb);
    MdImage *img;
    if (!g_image || md_image_open_mem(g_image, g_image_len, MD_LAYOUT_FILE, &img, err, sizeof err) != 0) {
        pdb_close(pdb);
        return 0;
    }
    pdb_verify_checksum(pdb, img);
    PdbModule *mod;
    if (pdb_module_from_parts(img, pdb, &mod, err, sizeof err) != 0) return 0;
    MdPool pool = {0};
    for (uint32_t d = 1; d <= md_rows(&pdb->md, MD_T_Document) && d <= 8; d++) {
        PdbLineHit *h;
        uint32_t n, bound;
        const char *name = pdb_document_name(pdb, d);
        for (uint32_t line = 1; line < 200; line += 3)
            pdb_module_resolve_line(mod, &pool, *name ? name : "a.cs", line, &h, &n, &bound, err, sizeof err);
    }
    for (uint32_t r = 1; r <= md_rows(&pdb->md, MD_T_MethodDebugInformation) && r <= 100; r++) {
        PdbLocation loc;
        pdb_module_locate(mod, (uint32_t)MD_T_MethodDef << 24 | r, 5, &loc);
    }
    md_pool_free(&pool);
    pdb_module_close(mod);
    return 0;
}
