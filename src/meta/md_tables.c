/* meta/md_tables: the metadata root (II.24.2.1), its streams, and the physical layout of every
 * table in "#~"/"#-" (II.24.2.6) plus the portable-PDB tables: row sizes, column offsets,
 * simple and coded index widths. Every cell read is bounds-checked. */
#include "meta/md.h"
#include "meta/md_internal.h"

/* Column kinds: fixed sizes, heap indexes, simple indexes (table), coded indexes (kind). */
enum { K_END = 0, K_U8 = 0x101, K_U16 = 0x102, K_U32 = 0x104, K_STR = 0x200, K_GUID = 0x201,
       K_BLOB = 0x202 };
#define K_TAB(t) (0x300 + (t))
#define K_CI(c) (0x400 + (c))

static const uint16_t SCHEMA[MD_T_COUNT][MD_MAX_COLS + 1] = {
    [MD_T_Module] = {K_U16, K_STR, K_GUID, K_GUID, K_GUID},
    [MD_T_TypeRef] = {K_CI(MD_CI_ResolutionScope), K_STR, K_STR},
    [MD_T_TypeDef] = {K_U32, K_STR, K_STR, K_CI(MD_CI_TypeDefOrRef), K_TAB(MD_T_Field),
                      K_TAB(MD_T_MethodDef)},
    [MD_T_FieldPtr] = {K_TAB(MD_T_Field)},
    [MD_T_Field] = {K_U16, K_STR, K_BLOB},
    [MD_T_MethodPtr] = {K_TAB(MD_T_MethodDef)},
    [MD_T_MethodDef] = {K_U32, K_U16, K_U16, K_STR, K_BLOB, K_TAB(MD_T_Param)},
    [MD_T_ParamPtr] = {K_TAB(MD_T_Param)},
    [MD_T_Param] = {K_U16, K_U16, K_STR},
    [MD_T_InterfaceImpl] = {K_TAB(MD_T_TypeDef), K_CI(MD_CI_TypeDefOrRef)},
    [MD_T_MemberRef] = {K_CI(MD_CI_MemberRefParent), K_STR, K_BLOB},
    [MD_T_Constant] = {K_U8, K_U8, K_CI(MD_CI_HasConstant), K_BLOB},
    [MD_T_CustomAttribute] = {K_CI(MD_CI_HasCustomAttribute), K_CI(MD_CI_CustomAttributeType), K_BLOB},
    [MD_T_FieldMarshal] = {K_CI(MD_CI_HasFieldMarshal), K_BLOB},
    [MD_T_DeclSecurity] = {K_U16, K_CI(MD_CI_HasDeclSecurity), K_BLOB},
    [MD_T_ClassLayout] = {K_U16, K_U32, K_TAB(MD_T_TypeDef)},
    [MD_T_FieldLayout] = {K_U32, K_TAB(MD_T_Field)},
    [MD_T_StandAloneSig] = {K_BLOB},
    [MD_T_EventMap] = {K_TAB(MD_T_TypeDef), K_TAB(MD_T_Event)},
    [MD_T_EventPtr] = {K_TAB(MD_T_Event)},
    [MD_T_Event] = {K_U16, K_STR, K_CI(MD_CI_TypeDefOrRef)},
    [MD_T_PropertyMap] = {K_TAB(MD_T_TypeDef), K_TAB(MD_T_Property)},
    [MD_T_PropertyPtr] = {K_TAB(MD_T_Property)},
    [MD_T_Property] = {K_U16, K_STR, K_BLOB},
    [MD_T_MethodSemantics] = {K_U16, K_TAB(MD_T_MethodDef), K_CI(MD_CI_HasSemantics)},
    [MD_T_MethodImpl] = {K_TAB(MD_T_TypeDef), K_CI(MD_CI_MethodDefOrRef), K_CI(MD_CI_MethodDefOrRef)},
    [MD_T_ModuleRef] = {K_STR},
    [MD_T_TypeSpec] = {K_BLOB},
    [MD_T_ImplMap] = {K_U16, K_CI(MD_CI_MemberForwarded), K_STR, K_TAB(MD_T_ModuleRef)},
    [MD_T_FieldRVA] = {K_U32, K_TAB(MD_T_Field)},
    [MD_T_EncLog] = {K_U32, K_U32},
    [MD_T_EncMap] = {K_U32},
    [MD_T_Assembly] = {K_U32, K_U16, K_U16, K_U16, K_U16, K_U32, K_BLOB, K_STR, K_STR},
    [MD_T_AssemblyProcessor] = {K_U32},
    [MD_T_AssemblyOS] = {K_U32, K_U32, K_U32},
    [MD_T_AssemblyRef] = {K_U16, K_U16, K_U16, K_U16, K_U32, K_BLOB, K_STR, K_STR, K_BLOB},
    [MD_T_AssemblyRefProcessor] = {K_U32, K_TAB(MD_T_AssemblyRef)},
    [MD_T_AssemblyRefOS] = {K_U32, K_U32, K_U32, K_TAB(MD_T_AssemblyRef)},
    [MD_T_File] = {K_U32, K_STR, K_BLOB},
    [MD_T_ExportedType] = {K_U32, K_U32, K_STR, K_STR, K_CI(MD_CI_Implementation)},
    [MD_T_ManifestResource] = {K_U32, K_U32, K_STR, K_CI(MD_CI_Implementation)},
    [MD_T_NestedClass] = {K_TAB(MD_T_TypeDef), K_TAB(MD_T_TypeDef)},
    [MD_T_GenericParam] = {K_U16, K_U16, K_CI(MD_CI_TypeOrMethodDef), K_STR},
    [MD_T_MethodSpec] = {K_CI(MD_CI_MethodDefOrRef), K_BLOB},
    [MD_T_GenericParamConstraint] = {K_TAB(MD_T_GenericParam), K_CI(MD_CI_TypeDefOrRef)},
    [MD_T_Document] = {K_BLOB, K_GUID, K_BLOB, K_GUID},
    [MD_T_MethodDebugInformation] = {K_TAB(MD_T_Document), K_BLOB},
    [MD_T_LocalScope] = {K_TAB(MD_T_MethodDef), K_TAB(MD_T_ImportScope), K_TAB(MD_T_LocalVariable),
                         K_TAB(MD_T_LocalConstant), K_U32, K_U32},
    [MD_T_LocalVariable] = {K_U16, K_U16, K_STR},
    [MD_T_LocalConstant] = {K_STR, K_BLOB},
    [MD_T_ImportScope] = {K_TAB(MD_T_ImportScope), K_BLOB},
    [MD_T_StateMachineMethod] = {K_TAB(MD_T_MethodDef), K_TAB(MD_T_MethodDef)},
    [MD_T_CustomDebugInformation] = {K_CI(MD_CI_HasCustomDebugInformation), K_GUID, K_BLOB},
};

#define NO 0xFF
typedef struct {
    uint8_t bits, n;
    uint8_t tables[27];
} CodedDef;

static const CodedDef CODED[MD_CI_COUNT] = {
    [MD_CI_TypeDefOrRef] = {2, 3, {MD_T_TypeDef, MD_T_TypeRef, MD_T_TypeSpec}},
    [MD_CI_HasConstant] = {2, 3, {MD_T_Field, MD_T_Param, MD_T_Property}},
    [MD_CI_HasCustomAttribute] = {5, 22, {MD_T_MethodDef, MD_T_Field, MD_T_TypeRef, MD_T_TypeDef,
        MD_T_Param, MD_T_InterfaceImpl, MD_T_MemberRef, MD_T_Module, MD_T_DeclSecurity,
        MD_T_Property, MD_T_Event, MD_T_StandAloneSig, MD_T_ModuleRef, MD_T_TypeSpec,
        MD_T_Assembly, MD_T_AssemblyRef, MD_T_File, MD_T_ExportedType, MD_T_ManifestResource,
        MD_T_GenericParam, MD_T_GenericParamConstraint, MD_T_MethodSpec}},
    [MD_CI_HasFieldMarshal] = {1, 2, {MD_T_Field, MD_T_Param}},
    [MD_CI_HasDeclSecurity] = {2, 3, {MD_T_TypeDef, MD_T_MethodDef, MD_T_Assembly}},
    [MD_CI_MemberRefParent] = {3, 5, {MD_T_TypeDef, MD_T_TypeRef, MD_T_ModuleRef, MD_T_MethodDef,
        MD_T_TypeSpec}},
    [MD_CI_HasSemantics] = {1, 2, {MD_T_Event, MD_T_Property}},
    [MD_CI_MethodDefOrRef] = {1, 2, {MD_T_MethodDef, MD_T_MemberRef}},
    [MD_CI_MemberForwarded] = {1, 2, {MD_T_Field, MD_T_MethodDef}},
    [MD_CI_Implementation] = {2, 3, {MD_T_File, MD_T_AssemblyRef, MD_T_ExportedType}},
    [MD_CI_CustomAttributeType] = {3, 5, {NO, NO, MD_T_MethodDef, MD_T_MemberRef, NO}},
    [MD_CI_ResolutionScope] = {2, 4, {MD_T_Module, MD_T_ModuleRef, MD_T_AssemblyRef, MD_T_TypeRef}},
    [MD_CI_TypeOrMethodDef] = {1, 2, {MD_T_TypeDef, MD_T_MethodDef}},
    [MD_CI_HasCustomDebugInformation] = {5, 27, {MD_T_MethodDef, MD_T_Field, MD_T_TypeRef,
        MD_T_TypeDef, MD_T_Param, MD_T_InterfaceImpl, MD_T_MemberRef, MD_T_Module,
        MD_T_DeclSecurity, MD_T_Property, MD_T_Event, MD_T_StandAloneSig, MD_T_ModuleRef,
        MD_T_TypeSpec, MD_T_Assembly, MD_T_AssemblyRef, MD_T_File, MD_T_ExportedType,
        MD_T_ManifestResource, MD_T_GenericParam, MD_T_GenericParamConstraint, MD_T_MethodSpec,
        MD_T_Document, MD_T_LocalScope, MD_T_LocalVariable, MD_T_LocalConstant, MD_T_ImportScope}},
};

uint32_t md_coded_token(int kind, uint32_t raw)
{
    if (kind < 0 || kind >= MD_CI_COUNT) return 0;
    const CodedDef *d = &CODED[kind];
    uint32_t tag = raw & ((1u << d->bits) - 1);
    uint32_t rid = raw >> d->bits;
    if (tag >= d->n || d->tables[tag] == NO || rid == 0 || rid > 0xFFFFFF) return 0;
    return ((uint32_t)d->tables[tag] << 24) | rid;
}

uint32_t md_coded_from_token(int kind, uint32_t token)
{
    if (kind < 0 || kind >= MD_CI_COUNT) return UINT32_MAX;
    const CodedDef *d = &CODED[kind];
    uint32_t t = token >> 24, rid = token & 0xFFFFFF;
    for (uint32_t i = 0; i < d->n; i++)
        if (d->tables[i] == t) return (rid << d->bits) | i;
    return UINT32_MAX;
}

static uint32_t size_rows(const MdMeta *m, int t)
{
    uint32_t a = m->t[t].rows, b = m->ext_rows[t];
    return a > b ? a : b;
}

static int col_width(const MdMeta *m, uint16_t kind, uint8_t heap_sizes)
{
    if (kind >= 0x101 && kind <= 0x104) return kind - 0x100;
    /* An EnC minimal delta (#JTD stream): every heap and row reference is 4 bytes wide. */
    if (m->minimal_delta) return 4;
    if (kind == K_STR) return (heap_sizes & 0x01) ? 4 : 2;
    if (kind == K_GUID) return (heap_sizes & 0x02) ? 4 : 2;
    if (kind == K_BLOB) return (heap_sizes & 0x04) ? 4 : 2;
    if (kind >= 0x300 && kind < 0x400) return size_rows(m, kind - 0x300) < 0x10000 ? 2 : 4;
    const CodedDef *d = &CODED[kind - 0x400];
    uint32_t max = 0;
    for (uint32_t i = 0; i < d->n; i++)
        if (d->tables[i] != NO && size_rows(m, d->tables[i]) > max) max = size_rows(m, d->tables[i]);
    return max < (1u << (16 - d->bits)) ? 2 : 4;
}

static int parse_tables(MdMeta *m, const uint8_t *p, uint32_t len, char *err, size_t errcap)
{
    MdRd r = rd_make(p, len);
    rd_u32(&r);
    rd_u8(&r);
    rd_u8(&r);
    uint8_t heap_sizes = rd_u8(&r);
    rd_u8(&r);
    m->valid = rd_u64(&r);
    m->sorted = rd_u64(&r);
    for (int i = 0; i < 64; i++) {
        if (!(m->valid & ((uint64_t)1 << i))) continue;
        uint32_t n = rd_u32(&r);
        if (i >= MD_T_COUNT || SCHEMA[i][0] == K_END) {
            if (n == 0) continue;
            md_seterr(err, errcap, "metadata: unknown table 0x%02x with %u rows", i, n);
            return MD_EBADFMT;
        }
        if (n > 0xFFFFFF) {
            md_seterr(err, errcap, "metadata: table 0x%02x claims %u rows", i, n);
            return MD_EBADFMT;
        }
        m->t[i].rows = n;
    }
    if (heap_sizes & 0x40) rd_u32(&r); /* "extra data" word of some #- streams */
    if (r.bad) {
        md_seterr(err, errcap, "metadata: truncated tables header");
        return MD_EBADFMT;
    }
    size_t pos = r.pos;
    for (int i = 0; i < MD_T_COUNT; i++) {
        MdTable *t = &m->t[i];
        if (SCHEMA[i][0] == K_END) continue;
        uint32_t off = 0;
        int c = 0;
        for (; c < MD_MAX_COLS && SCHEMA[i][c] != K_END; c++) {
            int w = col_width(m, SCHEMA[i][c], heap_sizes);
            t->col_off[c] = (uint8_t)off;
            t->col_size[c] = (uint8_t)w;
            off += (uint32_t)w;
        }
        t->ncols = (uint8_t)c;
        t->row_size = off;
        if (t->rows == 0) continue;
        uint64_t bytes = (uint64_t)t->rows * off;
        if (bytes > len - pos) {
            md_seterr(err, errcap, "metadata: table 0x%02x (%u rows of %u bytes) overruns the stream",
                      i, t->rows, off);
            t->rows = 0;
            return MD_EBADFMT;
        }
        t->base = p + pos;
        pos += (size_t)bytes;
    }
    return 0;
}

int md_meta_parse(MdMeta *m, const uint8_t *p, size_t len, char *err, size_t errcap)
{
    uint32_t ext[MD_T_COUNT];
    memcpy(ext, m->ext_rows, sizeof ext);
    memset(m, 0, sizeof *m);
    MdRd r = rd_make(p, len);
    if (rd_u32(&r) != 0x424A5342) {
        md_seterr(err, errcap, "metadata: no BSJB signature");
        return MD_EBADFMT;
    }
    rd_u16(&r);
    rd_u16(&r);
    rd_u32(&r);
    uint32_t vlen = rd_u32(&r);
    const uint8_t *v = rd_bytes(&r, vlen);
    if (!v || vlen > 255) {
        md_seterr(err, errcap, "metadata: bad version string length %u", vlen);
        return MD_EBADFMT;
    }
    size_t vn = strnlen((const char *)v, vlen);
    if (vn >= sizeof m->version) vn = sizeof m->version - 1;
    memcpy(m->version, v, vn);
    rd_u16(&r);
    uint16_t nstreams = rd_u16(&r);
    const uint8_t *tables = NULL;
    uint32_t tables_len = 0;
    for (uint32_t i = 0; i < nstreams && !r.bad; i++) {
        uint32_t off = rd_u32(&r), size = rd_u32(&r);
        size_t name_at = r.pos;
        size_t room = rd_left(&r);
        if (room > 32) room = 32;
        const char *name = (const char *)(p + name_at);
        size_t nl = strnlen(name, room);
        if (nl == room) {
            r.bad = 1;
            break;
        }
        rd_skip(&r, (nl + 4) & ~(size_t)3);
        if (off > len || size > len - off) {
            md_seterr(err, errcap, "metadata: stream %.*s [%u,+%u) outside the %zu-byte root",
                      (int)nl, name, off, size, len);
            return MD_EBADFMT;
        }
        const uint8_t *sp = p + off;
        if (!strcmp(name, "#~") || !strcmp(name, "#-")) {
            tables = sp;
            tables_len = size;
            m->uncompressed = name[1] == '-';
        } else if (!strcmp(name, "#Strings")) {
            m->strings = sp; m->strings_len = size;
        } else if (!strcmp(name, "#US")) {
            m->us = sp; m->us_len = size;
        } else if (!strcmp(name, "#Blob")) {
            m->blob = sp; m->blob_len = size;
        } else if (!strcmp(name, "#GUID")) {
            m->guid = sp; m->guid_len = size;
        } else if (!strcmp(name, "#Pdb")) {
            m->pdb = sp; m->pdb_len = size;
        } else if (!strcmp(name, "#JTD")) {
            m->minimal_delta = 1;
        }
    }
    if (r.bad) {
        md_seterr(err, errcap, "metadata: truncated stream headers");
        return MD_EBADFMT;
    }
    if (!tables) {
        md_seterr(err, errcap, "metadata: no #~ tables stream");
        return MD_EBADFMT;
    }
    /* A standalone PDB sizes its references into the assembly from the #Pdb stream. */
    if (m->pdb) {
        MdRd pr = rd_make(m->pdb, m->pdb_len);
        rd_skip(&pr, 24);
        uint64_t refd = rd_u64(&pr);
        for (int i = 0; i < 64; i++) {
            if (!(refd & ((uint64_t)1 << i))) continue;
            uint32_t n = rd_u32(&pr);
            if (i < MD_T_COUNT) ext[i] = n;
        }
        if (pr.bad) {
            md_seterr(err, errcap, "metadata: truncated #Pdb stream");
            return MD_EBADFMT;
        }
    }
    memcpy(m->ext_rows, ext, sizeof ext);
    return parse_tables(m, tables, tables_len, err, errcap);
}

uint32_t md_get(const MdMeta *m, int table, uint32_t rid, int col)
{
    if (table < 0 || table >= MD_T_COUNT) return 0;
    const MdTable *t = &m->t[table];
    if (rid == 0 || rid > t->rows || col < 0 || col >= t->ncols) return 0;
    const uint8_t *c = t->base + (size_t)(rid - 1) * t->row_size + t->col_off[col];
    switch (t->col_size[col]) {
    case 1: return c[0];
    case 2: return le16(c);
    default: return le32(c);
    }
}

const char *md_string(const MdMeta *m, uint32_t off)
{
    if (!m->strings || off >= m->strings_len) return "";
    const char *s = (const char *)m->strings + off;
    if (!memchr(s, 0, m->strings_len - off)) return "";
    return s;
}

int md_blob(const MdMeta *m, uint32_t off, const uint8_t **p, uint32_t *len)
{
    *p = NULL;
    *len = 0;
    if (!m->blob || off >= m->blob_len) return off == 0 ? 0 : MD_EBADFMT;
    MdRd r = rd_make(m->blob + off, m->blob_len - off);
    uint32_t n = rd_cu(&r);
    const uint8_t *b = rd_bytes(&r, n);
    if (r.bad) return MD_EBADFMT;
    *p = b;
    *len = n;
    return 0;
}

const uint8_t *md_guid_at(const MdMeta *m, uint32_t idx)
{
    if (idx == 0 || !m->guid || idx > m->guid_len / 16) return NULL;
    return m->guid + (size_t)(idx - 1) * 16;
}

uint32_t md_lower_bound(const MdMeta *m, int table, int col, uint32_t key)
{
    uint32_t lo = 1, hi = md_rows(m, table) + 1;
    while (lo < hi) {
        uint32_t mid = lo + (hi - lo) / 2;
        if (md_get(m, table, mid, col) < key) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

void md_list_range(const MdMeta *m, int table, uint32_t rid, int col, int target,
                   uint32_t *first, uint32_t *end)
{
    uint32_t lim = md_rows(m, target) + 1;
    uint32_t f = md_get(m, table, rid, col);
    uint32_t e = rid < md_rows(m, table) ? md_get(m, table, rid + 1, col) : lim;
    if (f == 0 || f > lim) f = lim;
    if (e > lim) e = lim;
    if (e < f) e = f;
    *first = f;
    *end = e;
}

void md_type_properties(const MdMeta *m, uint32_t rid, uint32_t *first, uint32_t *end)
{
    *first = *end = 0;
    uint32_t rows = md_rows(m, MD_T_PropertyMap);
    for (uint32_t pm = 1; pm <= rows; pm++)
        if (md_get(m, MD_T_PropertyMap, pm, MD_PropertyMap_Parent) == rid) {
            md_list_range(m, MD_T_PropertyMap, pm, MD_PropertyMap_PropertyList, MD_T_Property, first, end);
            return;
        }
}
