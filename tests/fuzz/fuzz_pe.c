// fuzz_pe.c — libFuzzer target for meta/ over an assembly: any bytes are opened as a PE file
// (file layout, then loaded layout), and everything a debugger asks of it is exercised: type and
// method names, signatures, custom attributes, IL bodies, the embedded PDB (inflated) and the
// symbol indexes with their look-ups. A crash, hang or leak is a bug; errors are fine.
//   scripts/fuzz.sh 600 pe      (builds with clang -fsanitize=fuzzer,address,undefined)
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "meta/md.h"
#include "meta/pdb.h"
#include "meta/sig.h"
#include "meta/symbols.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk_metadata(const MdImage *img)
{
    const MdMeta *m = &img->md;
    char b[1024];
    MdPool pool = {0};
    for (uint32_t t = 1; t <= md_rows(m, MD_T_TypeDef) && t <= 200; t++) {
        uint32_t tok = (uint32_t)MD_T_TypeDef << 24 | t;
        md_token_type_name(m, tok, b, sizeof b);
        MdDebugAttrs a;
        md_debug_attrs(m, &pool, tok, &a);
        uint32_t f, e;
        md_list_range(m, MD_T_TypeDef, t, MD_TypeDef_FieldList, MD_T_Field, &f, &e);
        for (uint32_t r = f; r < e && r < f + 50; r++) {
            const uint8_t *p;
            uint32_t len;
            MdType *ty;
            MdGenCtx g = {.type_rid = t};
            if (md_blob(m, md_get(m, MD_T_Field, r, MD_Field_Signature), &p, &len) == 0 &&
                md_decode_field_sig(&pool, p, len, &ty) == 0)
                md_type_name(m, ty, &g, b, sizeof b);
            md_field_owner(m, r);
        }
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_MethodDef) && r <= 400; r++) {
        md_method_display(m, r, 1, b, sizeof b);
        MdMethodBody body;
        if (md_method_body(img, r, &body) == 0 && (body.local_sig_token >> 24) == MD_T_StandAloneSig) {
            const uint8_t *p;
            uint32_t len;
            MdType **lt;
            uint32_t n;
            MdGenCtx g = {.type_rid = md_method_owner(m, r), .method_rid = r};
            if (md_blob(m, md_get(m, MD_T_StandAloneSig, body.local_sig_token & 0xFFFFFF, 0), &p, &len) == 0 &&
                md_decode_locals_sig(&pool, p, len, &lt, &n) == 0)
                for (uint32_t i = 0; i < n && i < 32; i++) md_type_name(m, lt[i], &g, b, sizeof b);
        }
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_TypeSpec) && r <= 200; r++)
        md_token_type_name(m, (uint32_t)MD_T_TypeSpec << 24 | r, b, sizeof b);
    for (uint32_t r = 1; r <= md_rows(m, MD_T_MemberRef) && r <= 200; r++) {
        const uint8_t *p;
        uint32_t len;
        MdMethodSig *s;
        if (md_blob(m, md_get(m, MD_T_MemberRef, r, MD_MemberRef_Signature), &p, &len) == 0)
            md_decode_method_sig(&pool, p, len, &s);
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_MethodSpec) && r <= 200; r++) {
        const uint8_t *p;
        uint32_t len, n;
        MdType **v;
        if (md_blob(m, md_get(m, MD_T_MethodSpec, r, MD_MethodSpec_Instantiation), &p, &len) == 0)
            md_decode_methodspec(&pool, p, len, &v, &n);
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_Property) && r <= 200; r++) {
        const uint8_t *p;
        uint32_t len;
        MdMethodSig *s;
        if (md_blob(m, md_get(m, MD_T_Property, r, MD_Property_Type), &p, &len) == 0)
            md_decode_property_sig(&pool, p, len, &s);
    }
    for (uint32_t r = 1; r <= md_rows(m, MD_T_CustomAttribute) && r <= 200; r++) {
        const char *ns, *name;
        md_attr_type(m, r, &ns, &name);
    }
    md_pool_free(&pool);
}

static void use_module(PdbModule *mod)
{
    const PdbFile *pdb = pdb_module_pdb(mod);
    MdPool pool = {0};
    uint32_t t[8];
    pdb_module_find_methods(mod, "Main", t, 8);
    pdb_module_find_methods(mod, "Program.Main(string[])", t, 8);
    pdb_module_find_methods(mod, "Outer<T>.Inner..ctor", t, 8);
    if (pdb) {
        for (uint32_t d = 1; d <= md_rows(&pdb->md, MD_T_Document) && d <= 8; d++) {
            const char *name = pdb_document_name(pdb, d);
            PdbLineHit *h;
            uint32_t n, bound;
            char err[256];
            for (uint32_t line = 1; line < 60; line += 7)
                pdb_module_resolve_line(mod, &pool, *name ? name : "x.cs", line, &h, &n, &bound, err, sizeof err);
        }
        for (uint32_t r = 1; r <= md_rows(&pdb->md, MD_T_MethodDebugInformation) && r <= 200; r++) {
            PdbLocation loc;
            PdbLocal *ls;
            uint32_t n;
            pdb_module_locate(mod, (uint32_t)MD_T_MethodDef << 24 | r, 3, &loc);
            pdb_module_locals_at(mod, &pool, (uint32_t)MD_T_MethodDef << 24 | r, 3, &ls, &n);
        }
    }
    md_pool_free(&pool);
}

static void one(const uint8_t *data, size_t size, MdLayout layout)
{
    MdImage *img;
    char err[256];
    if (md_image_open_mem(data, size, layout, &img, err, sizeof err) != 0) return;
    walk_metadata(img);
    PdbFile *pdb = NULL;
    uint8_t *buf;
    size_t len;
    if (md_image_embedded_pdb(img, &buf, &len, err, sizeof err) == 0 &&
        pdb_open_owned(buf, len, &pdb, err, sizeof err) == 0)
        pdb_matches_image(pdb, img);
    PdbModule *mod;
    if (pdb_module_from_parts(img, pdb, &mod, err, sizeof err) != 0) return;
    use_module(mod);
    pdb_module_close(mod);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    one(data, size, MD_LAYOUT_FILE);
    one(data, size, MD_LAYOUT_MAPPED);
    return 0;
}
