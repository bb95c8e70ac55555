/* meta/pdb: portable PDB tables 0x30..0x37 and their blobs, decoded exactly per
 * PortablePdb-Metadata.md; plus finding a module's PDB (embedded or beside it) and checking
 * that it belongs to the assembly (PDB id = CodeView GUID + stamp, optional SHA256 checksum). */
#include "meta/pdb.h"
#include "meta/md_internal.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unistd.h>

/* An Edit and Continue generation: a PDB delta applied over the PDB (pdb_apply_delta). */
typedef struct {
    uint8_t *bytes;
    MdMeta md;
    uint32_t var_base, const_base;  /* what its LocalScope list columns count from, less 1 */
    uint32_t *docmap;               /* [1..its Document rows]: the document in the PDB's numbering */
} PdbGen;

/* A method whose debug information a generation replaced: its MethodDebugInformation row
 * and LocalScope rows [scope_first, scope_end) there. */
typedef struct {
    uint32_t gen;                   /* 1-based index into gens; 0: the PDB's own row */
    uint32_t row, scope_first, scope_end;
} PdbOverride;

typedef struct {
    PdbFile pdb;
    MdPool pool;
    uint8_t *owned;
    const uint8_t *data;
    size_t len;
    PdbGen *gens;
    uint32_t ngens;
    PdbOverride *ovr;               /* [0..novr) by method rid */
    uint32_t novr;
    uint32_t ndocs;                 /* documents with those the deltas added */
} PdbPriv;

static const PdbOverride *override_of(const PdbFile *pdb, uint32_t rid)
{
    const PdbPriv *pp = pdb->priv_;
    if (!pp || rid >= pp->novr || !pp->ovr[rid].gen) return NULL;
    return &pp->ovr[rid];
}

#define MAX_PDB_FILE ((size_t)1 << 30)
#define MAX_EMBEDDED_SOURCE ((size_t)256 << 20)

const char PDB_CDI_ASYNC_STEPPING[] = "54fd2ac5-e925-401a-9c2a-f94f171072f8";
const char PDB_CDI_HOISTED_SCOPES[] = "6da9a61e-f8c7-4874-be62-68bc5630df71";
const char PDB_CDI_DYNAMIC_LOCALS[] = "83c563c4-b4f3-47d5-b824-ba5441477ea8";
const char PDB_CDI_TUPLE_NAMES[] = "ed9fdf71-8879-4747-8ed3-fe5ede3ce710";
const char PDB_CDI_DEFAULT_NAMESPACE[] = "58b2eab6-209f-4e4e-a22c-b2d0f910c782";
const char PDB_CDI_ENC_SLOT_MAP[] = "755f52a8-91c5-45be-b4b8-209571e552bd";
const char PDB_CDI_ENC_LAMBDA_MAP[] = "a643004c-0240-496f-a783-30d64f4979de";
const char PDB_CDI_EMBEDDED_SOURCE[] = "0e8a571b-6926-466e-b4ad-8ab04611f5fe";
const char PDB_CDI_SOURCE_LINK[] = "cc110556-a091-4d38-9fec-25ab9a351a6a";
const char PDB_CDI_COMPILATION_REFS[] = "7e4d4708-096e-4c5c-aeda-cb10ba6a740d";
const char PDB_CDI_COMPILATION_OPTIONS[] = "b5feec05-8cd0-4a83-96da-466284bb4bd8";

/* Document name blob: separator, then compressed #Blob indexes of UTF-8 parts. */
static const char *decode_doc_name(PdbFile *pdb, MdPool *pool, uint32_t blob_idx)
{
    const uint8_t *p;
    uint32_t len;
    if (md_blob(&pdb->md, blob_idx, &p, &len) != 0 || len == 0) return "";
    MdRd r = rd_make(p, len);
    /* the separator is one UTF-8 character (or 0 = none) */
    uint8_t sep[4];
    size_t seplen = 0;
    uint8_t c = rd_u8(&r);
    if (c) {
        sep[seplen++] = c;
        int more = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
        while (more-- > 0 && !r.bad) sep[seplen++] = rd_u8(&r);
    }
    size_t total = 0;
    uint32_t nparts = 0;
    MdRd r2 = r;
    while (rd_left(&r2)) {
        uint32_t part = rd_cu(&r2);
        const uint8_t *pp;
        uint32_t pl = 0;
        if (part && md_blob(&pdb->md, part, &pp, &pl) != 0) return "";
        if (r2.bad) return "";
        total += pl + seplen;
        nparts++;
        if (total > ((size_t)1 << 20)) return ""; /* 1 MiB of path is hostile */
    }
    char *out = md_pool_alloc(pool, total + 1);
    if (!out) return "";
    size_t o = 0;
    for (uint32_t i = 0; i < nparts; i++) {
        if (i && seplen) {
            memcpy(out + o, sep, seplen);
            o += seplen;
        }
        uint32_t part = rd_cu(&r);
        const uint8_t *pp = NULL;
        uint32_t pl = 0;
        if (part) md_blob(&pdb->md, part, &pp, &pl);
        if (pl) memcpy(out + o, pp, pl);
        o += pl;
    }
    out[o] = 0;
    return out;
}

static int open_common(const uint8_t *data, size_t len, uint8_t *owned, PdbFile **out, char *err,
                       size_t errcap)
{
    *out = NULL;
    PdbPriv *pp = calloc(1, sizeof *pp);
    if (!pp) {
        free(owned);
        return MD_ENOMEM;
    }
    pp->owned = owned;
    pp->data = data;
    pp->len = len;
    PdbFile *pdb = &pp->pdb;
    pdb->priv_ = pp;
    int rc = md_meta_parse(&pdb->md, data, len, err, errcap);
    if (rc == 0 && !pdb->md.pdb) {
        md_seterr(err, errcap, "not a portable PDB: no #Pdb stream");
        rc = MD_EBADFMT;
    }
    if (rc == 0 && pdb->md.pdb_len < 32) {
        md_seterr(err, errcap, "portable PDB: #Pdb stream too short");
        rc = MD_EBADFMT;
    }
    if (rc == 0) {
        memcpy(pdb->id, pdb->md.pdb, 20);
        pdb->entry_point = le32(pdb->md.pdb + 20);
        uint32_t nd = md_rows(&pdb->md, MD_T_Document);
        pp->ndocs = nd;
        pdb->doc_names = md_pool_alloc(&pp->pool, sizeof(char *) * (nd + 1));
        if (!pdb->doc_names) rc = MD_ENOMEM;
        else {
            pdb->doc_names[0] = "";
            for (uint32_t d = 1; d <= nd; d++)
                pdb->doc_names[d] = decode_doc_name(pdb, &pp->pool, md_get(&pdb->md, MD_T_Document, d, MD_Document_Name));
        }
    }
    if (rc) {
        pdb_close(pdb);
        return rc;
    }
    *out = pdb;
    return 0;
}

int pdb_open_mem(const void *data, size_t len, PdbFile **out, char *err, size_t errcap)
{
    return open_common(data, len, NULL, out, err, errcap);
}

int pdb_open_owned(uint8_t *data, size_t len, PdbFile **out, char *err, size_t errcap)
{
    return open_common(data, len, data, out, err, errcap);
}

int pdb_open_file(const char *path, PdbFile **out, char *err, size_t errcap)
{
    uint8_t *buf;
    size_t len;
    *out = NULL;
    int e = md_read_file(path, MAX_PDB_FILE, &buf, &len);
    if (e) {
        md_seterr(err, errcap, "%s: %s", path, strerror(-e));
        return MD_EIO;
    }
    char sub[200];
    int rc = open_common(buf, len, buf, out, sub, sizeof sub);
    if (rc) md_seterr(err, errcap, "%s: %s", path, sub);
    return rc;
}

void pdb_close(PdbFile *pdb)
{
    if (!pdb) return;
    PdbPriv *pp = pdb->priv_;
    md_pool_free(&pp->pool);
    free(pp->owned);
    for (uint32_t g = 0; g < pp->ngens; g++) { free(pp->gens[g].bytes); free(pp->gens[g].docmap); }
    free(pp->gens);
    free(pp->ovr);
    free(pp);
}

int pdb_matches_image(const PdbFile *pdb, const MdImage *img)
{
    if (!img->has_codeview) return 0;
    uint8_t want[20];
    memcpy(want, img->cv_guid, 16);
    for (int i = 0; i < 4; i++) want[16 + i] = (uint8_t)(img->cv_stamp >> (8 * i));
    return memcmp(want, pdb->id, 20) == 0;
}

int pdb_verify_checksum(const PdbFile *pdb, const MdImage *img)
{
    if (!img->has_checksum || strcmp(img->checksum_alg, "SHA256") != 0 || img->checksum_len != 32)
        return MD_ENOTFOUND;
    const PdbPriv *pp = pdb->priv_;
    size_t id_at = (size_t)(pdb->md.pdb - pp->data);
    uint8_t h[32];
    md_sha256_masked(pp->data, pp->len, id_at, 20, h);
    return memcmp(h, img->checksum, 32) == 0;
}

const char *pdb_document_name(const PdbFile *pdb, uint32_t d)
{
    return d && d <= pdb_document_count(pdb) ? pdb->doc_names[d] : "";
}

const uint8_t *pdb_document_language(const PdbFile *pdb, uint32_t d)
{
    return md_guid_at(&pdb->md, md_get(&pdb->md, MD_T_Document, d, MD_Document_Language));
}

int pdb_document_source_matches(const PdbFile *pdb, uint32_t d, const char *path)
{
    if (!d || d > md_rows(&pdb->md, MD_T_Document)) return MD_ENOTFOUND;
    const uint8_t *alg = md_guid_at(&pdb->md, md_get(&pdb->md, MD_T_Document, d, MD_Document_HashAlgorithm));
    const uint8_t *hash = NULL;
    uint32_t hlen = 0;
    if (!alg || md_blob(&pdb->md, md_get(&pdb->md, MD_T_Document, d, MD_Document_Hash), &hash, &hlen) != 0 || hlen != 32)
        return MD_ENOTFOUND;
    char g[37];
    md_guid_str(alg, g);
    if (strcmp(g, "8829d00f-11b8-4213-878b-770e8597ac16") != 0) return MD_ENOTFOUND;     /* SHA-256 */
    FILE *f = fopen(path, "rb");
    if (!f) return MD_ENOTFOUND;
    size_t cap = 1 << 16, len = 0;
    uint8_t *buf = malloc(cap);
    for (size_t got; buf && (got = fread(buf + len, 1, cap - len, f)) > 0;) {
        len += got;
        if (len == cap) {
            uint8_t *nb = cap < ((size_t)1 << 30) ? realloc(buf, cap *= 2) : NULL;
            if (!nb) { free(buf); buf = NULL; }
            buf = nb;
        }
    }
    fclose(f);
    if (!buf) return MD_ENOTFOUND;
    uint8_t h[32];
    md_sha256_masked(buf, len, 0, 0, h);
    free(buf);
    return memcmp(h, hash, 32) == 0;
}

const char *pdb_language_name(const uint8_t *g)
{
    if (!g) return "?";
    char s[37];
    md_guid_str(g, s);
    if (!strcmp(s, "3f5162f8-07c6-11d3-9053-00c04fa302a1")) return "C#";
    if (!strcmp(s, "3a12d0b8-c26c-11d0-b442-00a0244a1dd2")) return "VB";
    if (!strcmp(s, "ab4f38c9-b6e6-43ba-be3b-58080b2ccce3")) return "F#";
    return "?";
}

/* ---- sequence points ---- */

int pdb_sp_begin(const PdbFile *pdb, uint32_t method_rid, PdbSpIter *it)
{
    memset(it, 0, sizeof *it);
    const MdMeta *m = &pdb->md;
    const PdbOverride *o = override_of(pdb, method_rid);
    const PdbGen *g = NULL;
    if (o) {
        g = &((const PdbPriv *)pdb->priv_)->gens[o->gen - 1];
        m = &g->md;
        method_rid = o->row;
    }
    if (method_rid == 0 || method_rid > md_rows(m, MD_T_MethodDebugInformation)) return MD_ENOTFOUND;
    uint32_t b = md_get(m, MD_T_MethodDebugInformation, method_rid, MD_MethodDebugInformation_SequencePoints);
    if (b == 0) return MD_ENOTFOUND;
    const uint8_t *p;
    uint32_t len;
    if (md_blob(m, b, &p, &len) != 0) return MD_EBADFMT;
    it->p = p;
    it->len = len;
    it->ndocs = pdb_document_count(pdb);
    if (g && g->docmap) {
        /* the delta's own Document rows, translated as they are read */
        it->docmap = g->docmap;
        it->ndocs = md_rows(m, MD_T_Document);
    }
    MdRd r = rd_make(p, len);
    it->local_sig = rd_cu(&r);
    it->doc = md_get(m, MD_T_MethodDebugInformation, method_rid, MD_MethodDebugInformation_Document);
    if (it->doc == 0) it->doc = rd_cu(&r); /* InitialDocument: the method spans documents */
    if (r.bad || it->doc == 0 || it->doc > it->ndocs) return MD_EBADFMT;
    if (it->docmap) it->doc = it->docmap[it->doc];
    it->pos = (uint32_t)r.pos;
    it->first = 1;
    return 0;
}

int pdb_sp_next(PdbSpIter *it, PdbSeqPoint *out)
{
    if (it->bad) return MD_EBADFMT;
    for (;;) {
        if (it->pos >= it->len) return 0;
        MdRd r = rd_make(it->p, it->len);
        r.pos = it->pos;
        uint32_t dil = rd_cu(&r);
        if (!it->first && dil == 0) { /* document-record */
            uint32_t d = rd_cu(&r);
            if (r.bad || d == 0 || d > it->ndocs) goto bad;
            it->doc = it->docmap ? it->docmap[d] : d;
            it->pos = (uint32_t)r.pos;
            continue;
        }
        uint32_t il = it->first ? dil : it->il + dil;
        if (il < it->il || il >= 0x20000000) goto bad;
        uint32_t dlines = rd_cu(&r);
        int64_t dcols = dlines == 0 ? (int64_t)rd_cu(&r) : (int64_t)rd_cs(&r);
        if (r.bad) goto bad;
        memset(out, 0, sizeof *out);
        out->il = il;
        out->doc = it->doc;
        if (dlines == 0 && dcols == 0) {
            out->hidden = 1;
            out->start_line = out->end_line = PDB_HIDDEN_LINE;
        } else {
            int64_t line, col;
            if (!it->have_nonhidden) {
                line = rd_cu(&r);
                col = rd_cu(&r);
            } else {
                line = (int64_t)it->line + rd_cs(&r);
                col = (int64_t)it->col + rd_cs(&r);
            }
            int64_t eline = line + dlines, ecol = col + dcols;
            if (r.bad || line < 0 || line >= 0x20000000 || eline >= 0x20000000 || col < 0 ||
                col >= 0x10000 || ecol < 0 || ecol >= 0x10000 || line == PDB_HIDDEN_LINE ||
                eline == PDB_HIDDEN_LINE)
                goto bad;
            it->line = (uint32_t)line;
            it->col = (uint32_t)col;
            it->have_nonhidden = 1;
            out->start_line = (uint32_t)line;
            out->end_line = (uint32_t)eline;
            out->start_col = (uint16_t)col;
            out->end_col = (uint16_t)ecol;
        }
        it->il = il;
        it->first = 0;
        it->pos = (uint32_t)r.pos;
        return 1;
    }
bad:
    it->bad = 1;
    return MD_EBADFMT;
}

/* ---- scopes and locals ---- */

void pdb_method_scopes(const PdbFile *pdb, uint32_t method_rid, uint32_t *first, uint32_t *end)
{
    const MdMeta *m = &pdb->md;
    uint32_t rows = md_rows(m, MD_T_LocalScope);
    uint32_t f = md_lower_bound(m, MD_T_LocalScope, MD_LocalScope_Method, method_rid);
    uint32_t e = f;
    while (e <= rows && md_get(m, MD_T_LocalScope, e, MD_LocalScope_Method) == method_rid) e++;
    *first = f;
    *end = e;
}

/* The [first, end) rows of a list column in a generation whose list values count from
 * base + 1 (a delta's may be numbered after the rows of the generations before it). */
static void gen_list_range(const MdMeta *m, uint32_t s, int col, int target, uint32_t base,
                           uint32_t *first, uint32_t *end)
{
    uint32_t rows = md_rows(m, MD_T_LocalScope), n = md_rows(m, target);
    uint32_t f = md_get(m, MD_T_LocalScope, s, col);
    uint32_t e = s < rows ? md_get(m, MD_T_LocalScope, s + 1, col) : base + n + 1;
    f = f > base ? f - base : 1;
    e = e > base ? e - base : 1;
    if (f > n + 1) f = n + 1;
    if (e > n + 1) e = n + 1;
    if (e < f) e = f;
    *first = f;
    *end = e;
}

static int add_scope_in(const MdMeta *m, const PdbGen *g, MdVec *v, uint32_t s)
{
    uint32_t start = md_get(m, MD_T_LocalScope, s, MD_LocalScope_StartOffset);
    uint32_t len = md_get(m, MD_T_LocalScope, s, MD_LocalScope_Length);
    uint32_t end = len > UINT32_MAX - start ? UINT32_MAX : start + len;
    uint32_t f, e;
    if (g) gen_list_range(m, s, MD_LocalScope_VariableList, MD_T_LocalVariable, g->var_base, &f, &e);
    else md_list_range(m, MD_T_LocalScope, s, MD_LocalScope_VariableList, MD_T_LocalVariable, &f, &e);
    for (uint32_t r = f; r < e; r++) {
        PdbLocal l = {0};
        l.name = md_string(m, md_get(m, MD_T_LocalVariable, r, MD_LocalVariable_Name));
        l.slot = md_get(m, MD_T_LocalVariable, r, MD_LocalVariable_Index);
        l.attrs = (uint16_t)md_get(m, MD_T_LocalVariable, r, MD_LocalVariable_Attributes);
        l.scope_start = start;
        l.scope_end = end;
        l.row = r;
        if (md_vec_push(v, &l)) return MD_ENOMEM;
    }
    if (g) gen_list_range(m, s, MD_LocalScope_ConstantList, MD_T_LocalConstant, g->const_base, &f, &e);
    else md_list_range(m, MD_T_LocalScope, s, MD_LocalScope_ConstantList, MD_T_LocalConstant, &f, &e);
    for (uint32_t r = f; r < e; r++) {
        PdbLocal l = {0};
        l.name = md_string(m, md_get(m, MD_T_LocalConstant, r, MD_LocalConstant_Name));
        l.is_const = 1;
        md_blob(m, md_get(m, MD_T_LocalConstant, r, MD_LocalConstant_Signature), &l.const_sig, &l.const_sig_len);
        l.scope_start = start;
        l.scope_end = end;
        l.row = r;
        if (md_vec_push(v, &l)) return MD_ENOMEM;
    }
    return 0;
}

static int add_scope(const PdbFile *pdb, MdVec *v, uint32_t s)
{
    return add_scope_in(&pdb->md, NULL, v, s);
}

static int vec_to_pool(MdVec *v, MdPool *pool, PdbLocal **out, uint32_t *n)
{
    *out = md_pool_alloc(pool, sizeof(PdbLocal) * (v->n ? v->n : 1));
    if (!*out) {
        md_vec_free(v);
        return MD_ENOMEM;
    }
    if (v->n) memcpy(*out, v->data, sizeof(PdbLocal) * v->n);
    *n = (uint32_t)v->n;
    md_vec_free(v);
    return 0;
}

int pdb_locals_at(const PdbFile *pdb, MdPool *pool, uint32_t method_rid, uint32_t il, PdbLocal **out,
                  uint32_t *n)
{
    *out = NULL;
    *n = 0;
    MdVec v = {.elem = sizeof(PdbLocal)};
    uint32_t f, e;
    const PdbOverride *o = override_of(pdb, method_rid);
    if (o) {
        /* The method's scopes in the generation that last changed it. */
        const PdbGen *g = &((const PdbPriv *)pdb->priv_)->gens[o->gen - 1];
        for (uint32_t s = o->scope_first; s < o->scope_end; s++) {
            uint32_t start = md_get(&g->md, MD_T_LocalScope, s, MD_LocalScope_StartOffset);
            uint32_t len = md_get(&g->md, MD_T_LocalScope, s, MD_LocalScope_Length);
            if (start > il || il - start >= len) continue;
            if (add_scope_in(&g->md, g, &v, s)) {
                md_vec_free(&v);
                return MD_ENOMEM;
            }
        }
        return vec_to_pool(&v, pool, out, n);
    }
    pdb_method_scopes(pdb, method_rid, &f, &e);
    /* sorted by start ascending, length descending: containing scopes come outermost first */
    for (uint32_t s = f; s < e; s++) {
        uint32_t start = md_get(&pdb->md, MD_T_LocalScope, s, MD_LocalScope_StartOffset);
        uint32_t len = md_get(&pdb->md, MD_T_LocalScope, s, MD_LocalScope_Length);
        if (start > il) break;
        if (il - start >= len) continue;
        if (add_scope(pdb, &v, s)) {
            md_vec_free(&v);
            return MD_ENOMEM;
        }
    }
    return vec_to_pool(&v, pool, out, n);
}

int pdb_scope_locals(const PdbFile *pdb, MdPool *pool, uint32_t scope_rid, PdbLocal **out, uint32_t *n)
{
    MdVec v = {.elem = sizeof(PdbLocal)};
    if (add_scope(pdb, &v, scope_rid)) {
        md_vec_free(&v);
        return MD_ENOMEM;
    }
    return vec_to_pool(&v, pool, out, n);
}

/* ---- imports ---- */

static const char *blob_utf8(const PdbFile *pdb, MdPool *pool, uint32_t idx)
{
    const uint8_t *p;
    uint32_t len;
    if (md_blob(&pdb->md, idx, &p, &len) != 0) return NULL;
    return md_pool_strndup(pool, (const char *)(p ? p : (const uint8_t *)""), len);
}

int pdb_imports(const PdbFile *pdb, MdPool *pool, uint32_t scope, PdbImport **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    const uint8_t *p;
    uint32_t len;
    if (scope == 0 || scope > md_rows(&pdb->md, MD_T_ImportScope)) return MD_ENOTFOUND;
    if (md_blob(&pdb->md, md_get(&pdb->md, MD_T_ImportScope, scope, MD_ImportScope_Imports), &p, &len))
        return MD_EBADFMT;
    PdbImport *v = md_pool_alloc(pool, sizeof(PdbImport) * (len ? len : 1)); /* >= 1 byte each */
    if (!v) return MD_ENOMEM;
    MdRd r = rd_make(p, len);
    uint32_t c = 0;
    while (rd_left(&r)) {
        PdbImport *im = &v[c];
        im->kind = rd_cu(&r);
        int has_alias = 0, has_asm = 0, has_ns = 0, has_type = 0;
        switch (im->kind) {
        case 1: has_ns = 1; break;
        case 2: has_asm = has_ns = 1; break;
        case 3: has_type = 1; break;
        case 4: has_alias = has_ns = 1; break;
        case 5: has_alias = 1; break;
        case 6: has_alias = has_asm = 1; break;
        case 7: has_alias = has_ns = 1; break;
        case 8: has_alias = has_asm = has_ns = 1; break;
        case 9: has_alias = has_type = 1; break;
        default: return MD_EBADFMT;
        }
        if (has_alias) im->alias = blob_utf8(pdb, pool, rd_cu(&r));
        if (has_asm) im->assembly_ref = rd_cu(&r);
        if (has_ns) im->target_namespace = blob_utf8(pdb, pool, rd_cu(&r));
        if (has_type) {
            uint32_t t = rd_cu(&r);
            static const uint8_t tab[3] = {MD_T_TypeDef, MD_T_TypeRef, MD_T_TypeSpec};
            im->target_type = (t & 3) == 3 ? 0 : ((uint32_t)tab[t & 3] << 24 | (t >> 2));
        }
        if (r.bad) return MD_EBADFMT;
        c++;
    }
    *out = v;
    *n = c;
    return 0;
}

/* ---- state machines ---- */

uint32_t pdb_kickoff_method(const PdbFile *pdb, uint32_t mn)
{
    const MdMeta *m = &pdb->md;
    uint32_t r = md_lower_bound(m, MD_T_StateMachineMethod, MD_StateMachineMethod_MoveNext, mn);
    if (r <= md_rows(m, MD_T_StateMachineMethod) && md_get(m, MD_T_StateMachineMethod, r, MD_StateMachineMethod_MoveNext) == mn)
        return md_get(m, MD_T_StateMachineMethod, r, MD_StateMachineMethod_Kickoff);
    return 0;
}

uint32_t pdb_movenext_method(const PdbFile *pdb, uint32_t k)
{
    const MdMeta *m = &pdb->md;
    for (uint32_t r = 1; r <= md_rows(m, MD_T_StateMachineMethod); r++)
        if (md_get(m, MD_T_StateMachineMethod, r, MD_StateMachineMethod_Kickoff) == k)
            return md_get(m, MD_T_StateMachineMethod, r, MD_StateMachineMethod_MoveNext);
    return 0;
}

/* ---- custom debug information ---- */

int pdb_cdi_find(const PdbFile *pdb, uint32_t parent, const char *kind, const uint8_t **blob, uint32_t *len)
{
    const MdMeta *m = &pdb->md;
    *blob = NULL;
    *len = 0;
    uint8_t want[16];
    if (md_guid_parse(kind, want)) return MD_ENOTFOUND;
    uint32_t key = md_coded_from_token(MD_CI_HasCustomDebugInformation, parent);
    if (key == UINT32_MAX) return MD_ENOTFOUND;
    uint32_t rows = md_rows(m, MD_T_CustomDebugInformation);
    for (uint32_t r = md_lower_bound(m, MD_T_CustomDebugInformation, MD_CustomDebugInformation_Parent, key);
         r <= rows && md_get(m, MD_T_CustomDebugInformation, r, MD_CustomDebugInformation_Parent) == key; r++) {
        const uint8_t *g = md_guid_at(m, md_get(m, MD_T_CustomDebugInformation, r, MD_CustomDebugInformation_Kind));
        if (g && !memcmp(g, want, 16))
            return md_blob(m, md_get(m, MD_T_CustomDebugInformation, r, MD_CustomDebugInformation_Value), blob, len);
    }
    return MD_ENOTFOUND;
}

const char *pdb_cdi_kind_name(const uint8_t *g)
{
    static const struct { const char *guid, *name; } K[] = {
        {PDB_CDI_ASYNC_STEPPING, "AsyncMethodSteppingInformation"},
        {PDB_CDI_HOISTED_SCOPES, "StateMachineHoistedLocalScopes"},
        {PDB_CDI_DYNAMIC_LOCALS, "DynamicLocalVariables"},
        {PDB_CDI_TUPLE_NAMES, "TupleElementNames"},
        {PDB_CDI_DEFAULT_NAMESPACE, "DefaultNamespace"},
        {PDB_CDI_ENC_SLOT_MAP, "EncLocalSlotMap"},
        {PDB_CDI_ENC_LAMBDA_MAP, "EncLambdaAndClosureMap"},
        {PDB_CDI_EMBEDDED_SOURCE, "EmbeddedSource"},
        {PDB_CDI_SOURCE_LINK, "SourceLink"},
        {PDB_CDI_COMPILATION_REFS, "CompilationMetadataReferences"},
        {PDB_CDI_COMPILATION_OPTIONS, "CompilationOptions"},
    };
    if (!g) return NULL;
    char s[37];
    md_guid_str(g, s);
    for (size_t i = 0; i < sizeof K / sizeof K[0]; i++)
        if (!strcmp(s, K[i].guid)) return K[i].name;
    return NULL;
}

int pdb_async_info(const PdbFile *pdb, MdPool *pool, uint32_t mn, PdbAsyncInfo *out)
{
    memset(out, 0, sizeof *out);
    out->catch_handler = -1;
    out->kickoff = pdb_kickoff_method(pdb, mn);
    const uint8_t *p;
    uint32_t len;
    int rc = pdb_cdi_find(pdb, (uint32_t)MD_T_MethodDef << 24 | mn, PDB_CDI_ASYNC_STEPPING, &p, &len);
    if (rc) return rc;
    MdRd r = rd_make(p, len);
    uint32_t ch = rd_u32(&r); /* stored as offset + 1; 0 = no catch handler */
    if (r.bad || ch > 0x80000000u) return MD_EBADFMT;
    out->catch_handler = (int64_t)ch - 1;
    uint32_t cap = len / 9 + 1;
    out->awaits = md_pool_alloc(pool, sizeof(PdbAwait) * cap);
    if (!out->awaits) return MD_ENOMEM;
    while (rd_left(&r) && out->nawaits < cap) {
        PdbAwait *a = &out->awaits[out->nawaits];
        a->yield_offset = rd_u32(&r);
        a->resume_offset = rd_u32(&r);
        a->resume_method = rd_cu(&r);
        if (r.bad || a->yield_offset > 0x7FFFFFFF || a->resume_offset > 0x7FFFFFFF) return MD_EBADFMT;
        out->nawaits++;
    }
    return 0;
}

int pdb_hoisted_scopes(const PdbFile *pdb, MdPool *pool, uint32_t mn, PdbIlRange **out, uint32_t *n)
{
    *out = NULL;
    *n = 0;
    const uint8_t *p;
    uint32_t len;
    int rc = pdb_cdi_find(pdb, (uint32_t)MD_T_MethodDef << 24 | mn, PDB_CDI_HOISTED_SCOPES, &p, &len);
    if (rc) return rc;
    if (len % 8) return MD_EBADFMT;
    PdbIlRange *v = md_pool_alloc(pool, sizeof(PdbIlRange) * (len / 8 + 1));
    if (!v) return MD_ENOMEM;
    for (uint32_t i = 0; i < len / 8; i++) {
        v[i].start = le32(p + 8 * i);
        v[i].length = le32(p + 8 * i + 4);
    }
    *out = v;
    *n = len / 8;
    return 0;
}

int pdb_tuple_names(const PdbFile *pdb, MdPool *pool, uint32_t token, const char ***names, uint32_t *n)
{
    *names = NULL;
    *n = 0;
    const uint8_t *p;
    uint32_t len;
    int rc = pdb_cdi_find(pdb, token, PDB_CDI_TUPLE_NAMES, &p, &len);
    if (rc) return rc;
    uint32_t cnt = 0;
    for (uint32_t i = 0; i < len; i++) cnt += p[i] == 0;
    const char **v = md_pool_alloc(pool, sizeof(char *) * (cnt + 1));
    if (!v) return MD_ENOMEM;
    uint32_t at = 0;
    for (uint32_t i = 0; i < cnt; i++) {
        size_t l = strnlen((const char *)p + at, len - at);
        v[i] = l ? md_pool_strndup(pool, (const char *)p + at, l) : NULL;
        at += (uint32_t)l + 1;
    }
    *names = v;
    *n = cnt;
    return 0;
}

int pdb_embedded_source(const PdbFile *pdb, uint32_t doc, uint8_t **out, size_t *len)
{
    *out = NULL;
    *len = 0;
    const uint8_t *p;
    uint32_t bl;
    int rc = pdb_cdi_find(pdb, (uint32_t)MD_T_Document << 24 | doc, PDB_CDI_EMBEDDED_SOURCE, &p, &bl);
    if (rc) return rc;
    if (bl < 4) return MD_EBADFMT;
    int32_t fmt = (int32_t)le32(p);
    if (fmt < 0) return MD_EBADFMT;
    size_t n = fmt == 0 ? bl - 4 : (size_t)fmt;
    if (n > MAX_EMBEDDED_SOURCE) return MD_EBADFMT;
    uint8_t *buf = malloc(n + 1);
    if (!buf) return MD_ENOMEM;
    if (fmt == 0) memcpy(buf, p + 4, n);
    else {
        size_t got = 0;
        int zr = md_inflate_raw(p + 4, bl - 4, buf, n, &got);
        if (zr != 0 || got != n) {
            free(buf);
            return MD_EBADFMT;
        }
    }
    buf[n] = 0;
    *out = buf;
    *len = n;
    return 0;
}

int pdb_source_link(const PdbFile *pdb, const uint8_t **json, uint32_t *len)
{
    return pdb_cdi_find(pdb, (uint32_t)MD_T_Module << 24 | 1, PDB_CDI_SOURCE_LINK, json, len);
}

size_t pdb_constant_text(const PdbFile *pdb, const uint8_t *sig, uint32_t len, char *buf, size_t cap)
{
    MdRd r = rd_make(sig, len);
    char tmp[160];
    tmp[0] = 0;
    while (rd_left(&r) && (r.p[r.pos] == 0x1f || r.p[r.pos] == 0x20)) { /* custom modifiers */
        rd_u8(&r);
        rd_cu(&r);
    }
    uint8_t et = rd_u8(&r);
    switch (et) {
    case 0x02: snprintf(tmp, sizeof tmp, "%s", rd_u8(&r) ? "true" : "false"); break;
    case 0x03: snprintf(tmp, sizeof tmp, "'\\u%04x'", rd_u16(&r)); break;
    case 0x04: snprintf(tmp, sizeof tmp, "%d", (int8_t)rd_u8(&r)); break;
    case 0x05: snprintf(tmp, sizeof tmp, "%u", rd_u8(&r)); break;
    case 0x06: snprintf(tmp, sizeof tmp, "%d", (int16_t)rd_u16(&r)); break;
    case 0x07: snprintf(tmp, sizeof tmp, "%u", rd_u16(&r)); break;
    case 0x08: snprintf(tmp, sizeof tmp, "%d", (int32_t)rd_u32(&r)); break;
    case 0x09: snprintf(tmp, sizeof tmp, "%u", rd_u32(&r)); break;
    case 0x0a: snprintf(tmp, sizeof tmp, "%lld", (long long)(int64_t)rd_u64(&r)); break;
    case 0x0b: snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)rd_u64(&r)); break;
    case 0x0c: {
        uint32_t u = rd_u32(&r);
        float f;
        memcpy(&f, &u, 4);
        snprintf(tmp, sizeof tmp, "%.9g", (double)f);
        break;
    }
    case 0x0d: {
        uint64_t u = rd_u64(&r);
        double d;
        memcpy(&d, &u, 8);
        snprintf(tmp, sizeof tmp, "%.17g", d);
        break;
    }
    case 0x0e: {
        if (rd_left(&r) == 1 && r.p[r.pos] == 0xFF) {
            snprintf(tmp, sizeof tmp, "null");
            break;
        }
        size_t nb = rd_left(&r) & ~(size_t)1;
        MdPool pool = {0};
        char *s = md_utf8_from_utf16le(&pool, r.p + r.pos, nb);
        snprintf(tmp, sizeof tmp, "\"%s\"", s ? s : "");
        md_pool_free(&pool);
        r.pos += nb;
        break;
    }
    case 0x11: case 0x12: snprintf(tmp, sizeof tmp, "default"); break;
    case 0x1c: snprintf(tmp, sizeof tmp, "null"); break;
    default: snprintf(tmp, sizeof tmp, "?"); break;
    }
    if (r.bad) snprintf(tmp, sizeof tmp, "?");
    return (size_t)snprintf(buf, cap, "%s", tmp);
}

/* ---- finding a module's PDB ---- */

static const char *base_name(const char *p)
{
    const char *b = p;
    for (const char *q = p; *q; q++)
        if (*q == '/' || *q == '\\') b = q + 1;
    return b;
}

/* Candidate paths, in order: beside the assembly under the CodeView file name, the assembly's
 * own name with .pdb, then the CodeView path itself. */
/* Directories searched for a PDB after the assembly's own (launch.json's
 * symbolOptions.searchPaths, the CLI's `set symbol-path`): set between sessions, read as
 * modules load; guarded since the front end's thread sets them. */
static pthread_mutex_t search_mu = PTHREAD_MUTEX_INITIALIZER;
static char **search_dirs;
static size_t nsearch_dirs;
enum { MAX_SEARCH_DIRS = 16 };

void pdb_set_search_paths(const char *const *dirs, size_t n)
{
    pthread_mutex_lock(&search_mu);
    for (size_t i = 0; i < nsearch_dirs; i++) free(search_dirs[i]);
    free(search_dirs);
    search_dirs = NULL;
    nsearch_dirs = 0;
    if (n > MAX_SEARCH_DIRS) n = MAX_SEARCH_DIRS;
    if (n && (search_dirs = calloc(n, sizeof *search_dirs)))
        for (size_t i = 0; i < n; i++)
            if (dirs[i] && *dirs[i] && (search_dirs[nsearch_dirs] = strdup(dirs[i]))) nsearch_dirs++;
    pthread_mutex_unlock(&search_mu);
}

/* out holds 3 + MAX_SEARCH_DIRS * 2 paths. */
static int candidates(const char *dll, const MdImage *img, char out[][4096])
{
    int n = 0;
    const char *slash = strrchr(dll, '/');
    int dirlen = slash ? (int)(slash - dll + 1) : 0;
    if (img->has_codeview && img->cv_path && *base_name(img->cv_path))
        snprintf(out[n++], 4096, "%.*s%s", dirlen, dll, base_name(img->cv_path));
    const char *dot = strrchr(dll, '.');
    if (dot && dot > dll + dirlen)
        snprintf(out[n++], 4096, "%.*s.pdb", (int)(dot - dll), dll);
    else snprintf(out[n++], 4096, "%s.pdb", dll);
    if (img->has_codeview && img->cv_path && img->cv_path[0] == '/') snprintf(out[n++], 4096, "%s", img->cv_path);
    const char *stem = slash ? slash + 1 : dll;
    int stemlen = dot && dot > stem ? (int)(dot - stem) : (int)strlen(stem);
    pthread_mutex_lock(&search_mu);
    for (size_t i = 0; i < nsearch_dirs; i++) {
        if (img->has_codeview && img->cv_path && *base_name(img->cv_path))
            snprintf(out[n++], 4096, "%s/%s", search_dirs[i], base_name(img->cv_path));
        snprintf(out[n++], 4096, "%s/%.*s.pdb", search_dirs[i], stemlen, stem);
    }
    pthread_mutex_unlock(&search_mu);
    return n;
}

int pdb_find_for_image(const char *dll_path, const MdImage *img, PdbFile **out, char *where,
                       size_t cap, char *err, size_t errcap)
{
    *out = NULL;
    if (img->has_embedded_pdb) {
        uint8_t *buf;
        size_t len;
        int rc = md_image_embedded_pdb(img, &buf, &len, err, errcap);
        if (rc == 0) {
            rc = pdb_open_owned(buf, len, out, err, errcap);
            if (rc == 0) {
                snprintf(where, cap, "embedded");
                return 1;
            }
        }
        /* a corrupt embedded PDB falls through to files beside the assembly */
    }
    if (!dll_path) return 0;
    char (*cand)[4096] = malloc((3 + MAX_SEARCH_DIRS * 2) * sizeof *cand);
    if (!cand) return 0;
    int n = candidates(dll_path, img, cand);
    int mismatch = 0;
    for (int i = 0; i < n; i++) {
        if (i && !strcmp(cand[i], cand[0])) continue;
        PdbFile *p;
        char e2[256];
        if (access(cand[i], R_OK) != 0) continue;
        if (pdb_open_file(cand[i], &p, e2, sizeof e2) != 0) {
            md_seterr(err, errcap, "%s", e2);
            continue;
        }
        if (!pdb_matches_image(p, img)) {
            if (!mismatch) {
                char g1[37], g2[37];
                md_guid_str(p->id, g1);
                md_guid_str(img->cv_guid, g2);
                md_seterr(err, errcap, "%s does not belong to %s (PDB id %s-%08x, assembly expects %s-%08x)",
                          cand[i], dll_path, g1, le32(p->id + 16), g2, img->cv_stamp);
                snprintf(where, cap, "%s", cand[i]);
            }
            mismatch = 1;
            pdb_close(p);
            continue;
        }
        snprintf(where, cap, "%s", cand[i]);
        *out = p;
        free(cand);
        return 1;
    }
    free(cand);
    return mismatch ? MD_EMISMATCH : 0;
}

int pdb_probe(const char *dll_path, char *out, size_t cap)
{
    MdImage *img;
    char err[256];
    if (cap) out[0] = 0;
    int rc = md_image_open_file(dll_path, &img, err, sizeof err);
    if (rc) return rc;
    PdbFile *p = NULL;
    rc = pdb_find_for_image(dll_path, img, &p, out, cap, err, sizeof err);
    pdb_close(p);
    md_image_close(img);
    return rc;
}

/* ---- Edit and Continue: PDB deltas ---- */

uint32_t pdb_document_count(const PdbFile *pdb)
{
    const PdbPriv *pp = pdb->priv_;
    return pp ? pp->ndocs : md_rows(&pdb->md, MD_T_Document);
}

uint32_t pdb_method_count(const PdbFile *pdb)
{
    const PdbPriv *pp = pdb->priv_;
    uint32_t n = md_rows(&pdb->md, MD_T_MethodDebugInformation);
    if (pp && pp->novr > n + 1) n = pp->novr - 1;
    return n;
}

/* The delta's EncMap names, in row order, the rows of each table it holds: the k-th
 * entry of table T is row k of T in the delta, and its rid is the row it is in the
 * aggregate of every generation. 0 when the delta has none of T. */
static uint32_t encmap_rid(const MdMeta *m, int table, uint32_t k)
{
    uint32_t rows = md_rows(m, MD_T_EncMap), seen = 0;
    for (uint32_t r = 1; r <= rows; r++) {
        uint32_t tok = md_get(m, MD_T_EncMap, r, 0);
        if ((int)(tok >> 24) != table) continue;
        if (++seen == k) return tok & 0xFFFFFF;
    }
    return 0;
}

int pdb_apply_delta(PdbFile *pdb, const uint8_t *data, size_t len, uint32_t *nmethods, char *err, size_t errcap)
{
    PdbPriv *pp = pdb->priv_;
    if (nmethods) *nmethods = 0;
    if (!len) return 0;
    if (len > MAX_PDB_FILE) { md_seterr(err, errcap, "PDB delta too large"); return MD_EBADFMT; }
    PdbGen g;
    memset(&g, 0, sizeof g);
    g.bytes = malloc(len);
    if (!g.bytes) return MD_ENOMEM;
    memcpy(g.bytes, data, len);
    char sub[200];
    int rc = md_meta_parse(&g.md, g.bytes, len, sub, sizeof sub);
    if (rc) {
        md_seterr(err, errcap, "PDB delta: %s", sub);
        free(g.bytes);
        return rc;
    }
    const MdMeta *m = &g.md;
    /* List columns count either in the delta's own rows or after the rows before it: the
     * smallest value tells (a list starts at row 1 of its table in the delta). */
    uint32_t ns = md_rows(m, MD_T_LocalScope);
    uint32_t vmin = UINT32_MAX, cmin = UINT32_MAX;
    for (uint32_t r = 1; r <= ns; r++) {
        uint32_t v = md_get(m, MD_T_LocalScope, r, MD_LocalScope_VariableList);
        uint32_t c = md_get(m, MD_T_LocalScope, r, MD_LocalScope_ConstantList);
        if (v && v < vmin) vmin = v;
        if (c && c < cmin) cmin = c;
    }
    g.var_base = vmin != UINT32_MAX && vmin > 1 ? vmin - 1 : 0;
    g.const_base = cmin != UINT32_MAX && cmin > 1 ? cmin - 1 : 0;
    /* The delta's documents, by name, in the PDB's numbering (a delta numbers the
     * documents its methods use in its own Document table); new ones join. */
    uint32_t nd = md_rows(m, MD_T_Document);
    if (nd) {
        g.docmap = calloc(nd + 1, sizeof *g.docmap);
        if (!g.docmap) { free(g.bytes); return MD_ENOMEM; }
        PdbFile tmp = *pdb;     /* decode_doc_name reads the heaps of tmp.md: the delta's */
        tmp.md = *m;
        for (uint32_t k = 1; k <= nd; k++) {
            const char *name = decode_doc_name(&tmp, &pp->pool, md_get(m, MD_T_Document, k, MD_Document_Name));
            uint32_t d = 1;
            while (d <= pp->ndocs && strcmp(pdb->doc_names[d], name)) d++;
            if (d > pp->ndocs) {
                const char **names = md_pool_alloc(&pp->pool, sizeof(char *) * (pp->ndocs + 2));
                if (!names) { free(g.docmap); free(g.bytes); return MD_ENOMEM; }
                memcpy(names, pdb->doc_names, sizeof(char *) * (pp->ndocs + 1));
                names[pp->ndocs + 1] = name;
                pdb->doc_names = names;
                d = ++pp->ndocs;
            }
            g.docmap[k] = d;
        }
    }
    PdbGen *gens = realloc(pp->gens, sizeof *gens * (pp->ngens + 1));
    if (!gens) { free(g.docmap); free(g.bytes); return MD_ENOMEM; }
    pp->gens = gens;
    pp->gens[pp->ngens++] = g;
    uint32_t gi = pp->ngens;
    const MdMeta *gm = &pp->gens[gi - 1].md;
    uint32_t nm = md_rows(gm, MD_T_MethodDebugInformation), done = 0;
    /* LocalScope.Method counts the delta's own methods (its MethodDebugInformation rows), or
     * in the module's numbering when a value says so. */
    int scope_by_rid = 0;
    for (uint32_t r = 1; r <= ns; r++)
        if (md_get(gm, MD_T_LocalScope, r, MD_LocalScope_Method) > nm) scope_by_rid = 1;
    for (uint32_t k = 1; k <= nm; k++) {
        uint32_t rid = encmap_rid(gm, MD_T_MethodDebugInformation, k);
        if (!rid && !md_rows(gm, MD_T_EncMap)) rid = k;   /* no map: rows by method */
        if (!rid || rid >= (1u << 24)) continue;
        if (rid >= pp->novr) {
            uint32_t cap = rid + 64;
            PdbOverride *o = realloc(pp->ovr, sizeof *o * cap);
            if (!o) return MD_ENOMEM;
            memset(o + pp->novr, 0, sizeof *o * (cap - pp->novr));
            pp->ovr = o;
            pp->novr = cap;
        }
        PdbOverride *o = &pp->ovr[rid];
        o->gen = gi;
        o->row = k;
        o->scope_first = o->scope_end = 0;
        for (uint32_t r = 1; r <= ns; r++) {
            if (md_get(gm, MD_T_LocalScope, r, MD_LocalScope_Method) != (scope_by_rid ? rid : k)) continue;
            if (!o->scope_first) o->scope_first = r;
            o->scope_end = r + 1;
        }
        done++;
    }
    if (nmethods) *nmethods = done;
    return 0;
}
