/* meta/pdb: portable PDB reader (dotnet/runtime docs/design/specs/PortablePdb-Metadata.md):
 * documents, sequence points, local scopes/variables/constants, imports, state machines and
 * custom debug information. A PdbFile is immutable after open; safe to read from any thread. */
#ifndef CORDBG_META_PDB_H
#define CORDBG_META_PDB_H

#include "meta/md.h"

/* Convenience for the engine: does the module at dll_path have symbols? Returns 1 and writes
 * "embedded" or the .pdb path into out (cap bytes) when a matching portable PDB exists;
 * 0 when none was found; MD_EMISMATCH when only a PDB with another id was found (its path
 * in out); other negative codes when the assembly itself cannot be read. */
int pdb_probe(const char *dll_path, char *out, size_t cap);
/* Directories where a PDB not beside its assembly (nor embedded) is looked for, in order
 * (up to 16; n 0 clears). */
void pdb_set_search_paths(const char *const *dirs, size_t n);

typedef struct PdbFile PdbFile;
/* Find the PDB of an opened image: the embedded one first, else beside dll_path (CodeView file
 * name, then <assembly>.pdb, then the CodeView path). 1 found (*out, where = "embedded" or the
 * path), 0 none, MD_EMISMATCH only PDBs with another id (err says which and both ids). */
int pdb_find_for_image(const char *dll_path, const MdImage *img, PdbFile **out, char *where,
                       size_t cap, char *err, size_t errcap);

struct PdbFile {
    MdMeta md;
    uint8_t id[20];           /* #Pdb stream: GUID (16) + stamp (4) */
    uint32_t entry_point;     /* MethodDef token or 0 */
    const char **doc_names;   /* [1..rows(Document)], decoded at open */
    void *priv_;
};

/* Open over borrowed bytes / a file / a malloc'd buffer the PdbFile takes over (even on error). */
int pdb_open_mem(const void *data, size_t len, PdbFile **out, char *err, size_t errcap);
int pdb_open_file(const char *path, PdbFile **out, char *err, size_t errcap);
int pdb_open_owned(uint8_t *data, size_t len, PdbFile **out, char *err, size_t errcap);
void pdb_close(PdbFile *pdb);

/* The PDB id is the assembly's CodeView GUID followed by the CodeView entry's stamp. */
int pdb_matches_image(const PdbFile *pdb, const MdImage *img);
/* Portable PDB checksum (PE-COFF.md): SHA256 over the PDB bytes with the id zeroed, compared
 * with the assembly's PDB checksum entry. 1 match, 0 mismatch, MD_ENOTFOUND no entry/alg. */
int pdb_verify_checksum(const PdbFile *pdb, const MdImage *img);

/* ---- documents ---- */
const char *pdb_document_name(const PdbFile *pdb, uint32_t doc_rid); /* "" if out of range */
const uint8_t *pdb_document_language(const PdbFile *pdb, uint32_t doc_rid); /* GUID or NULL */
const char *pdb_language_name(const uint8_t *guid); /* "C#", "VB", "F#" or "?" */
/* Whether the file at path is the document the PDB was built from: its SHA-256 against the
 * document's checksum. 1 same, 0 different, MD_ENOTFOUND when it cannot be told (no
 * checksum, another algorithm, the file unreadable). */
int pdb_document_source_matches(const PdbFile *pdb, uint32_t doc_rid, const char *path);

/* ---- sequence points ---- */
#define PDB_HIDDEN_LINE 0xFEEFEE

typedef struct {
    uint32_t il, doc;
    uint32_t start_line, end_line;   /* PDB_HIDDEN_LINE for hidden points */
    uint16_t start_col, end_col;
    uint8_t hidden;
} PdbSeqPoint;

/* Streaming decoder over one method's sequence-points blob (no allocation). */
typedef struct {
    const uint8_t *p;
    uint32_t len, pos;
    uint32_t doc, il, line, col, local_sig;
    uint32_t ndocs;
    int first, have_nonhidden, bad;
    const uint32_t *docmap;  /* EnC delta: its Document rows -> the PDB's (by name); NULL: none */
} PdbSpIter;
/* MD_ENOTFOUND if the method has no sequence points. */
int pdb_sp_begin(const PdbFile *pdb, uint32_t method_rid, PdbSpIter *it);
/* 1 = *out filled, 0 = end, MD_EBADFMT = malformed (stop). */
int pdb_sp_next(PdbSpIter *it, PdbSeqPoint *out);

/* ---- local scopes, variables, constants ---- */
typedef struct {
    const char *name;
    uint32_t slot;          /* local signature slot (variables) */
    uint16_t attrs;         /* 1 = DebuggerHidden */
    uint8_t is_const;
    const uint8_t *const_sig; uint32_t const_sig_len; /* LocalConstantSig blob */
    uint32_t scope_start, scope_end;                  /* IL range of the owning scope */
    uint32_t row;           /* LocalVariable or LocalConstant row id */
} PdbLocal;
/* LocalScope rows [*first, *end) of a method (the table is sorted by method). */
void pdb_method_scopes(const PdbFile *pdb, uint32_t method_rid, uint32_t *first, uint32_t *end);
/* Variables and constants of every scope containing `il`, outermost first (pool-allocated). */
int pdb_locals_at(const PdbFile *pdb, MdPool *pool, uint32_t method_rid, uint32_t il,
                  PdbLocal **out, uint32_t *n);
/* All variables and constants of one LocalScope row. */
int pdb_scope_locals(const PdbFile *pdb, MdPool *pool, uint32_t scope_rid, PdbLocal **out, uint32_t *n);

/* ---- imports ---- */
typedef struct {
    uint32_t kind;          /* 1..9, see the spec's table */
    const char *alias, *target_namespace;
    uint32_t assembly_ref;  /* AssemblyRef row id or 0 */
    uint32_t target_type;   /* TypeDef/TypeRef/TypeSpec token or 0 */
} PdbImport;
int pdb_imports(const PdbFile *pdb, MdPool *pool, uint32_t import_scope_rid, PdbImport **out, uint32_t *n);

/* ---- state machines (async, iterators) ---- */
uint32_t pdb_kickoff_method(const PdbFile *pdb, uint32_t movenext_rid);  /* 0 if not a MoveNext */
uint32_t pdb_movenext_method(const PdbFile *pdb, uint32_t kickoff_rid);  /* 0 if none */

/* ---- custom debug information ---- */
extern const char PDB_CDI_ASYNC_STEPPING[], PDB_CDI_HOISTED_SCOPES[], PDB_CDI_DYNAMIC_LOCALS[],
    PDB_CDI_TUPLE_NAMES[], PDB_CDI_DEFAULT_NAMESPACE[], PDB_CDI_ENC_SLOT_MAP[],
    PDB_CDI_ENC_LAMBDA_MAP[], PDB_CDI_EMBEDDED_SOURCE[], PDB_CDI_SOURCE_LINK[],
    PDB_CDI_COMPILATION_REFS[], PDB_CDI_COMPILATION_OPTIONS[];
/* The value blob of the CDI row of `kind` (GUID text) attached to `parent_token`; 0 ok. */
int pdb_cdi_find(const PdbFile *pdb, uint32_t parent_token, const char *kind,
                 const uint8_t **blob, uint32_t *len);
/* Friendly name of a CDI kind GUID ("AsyncMethodSteppingInformation", ...) or NULL. */
const char *pdb_cdi_kind_name(const uint8_t *guid);

typedef struct {
    uint32_t yield_offset, resume_offset, resume_method; /* method = MethodDef row id */
} PdbAwait;
typedef struct {
    uint32_t kickoff;        /* MethodDef row id (from StateMachineMethod) */
    int64_t catch_handler;   /* IL offset, or -1 when none */
    PdbAwait *awaits;
    uint32_t nawaits;
} PdbAsyncInfo;
int pdb_async_info(const PdbFile *pdb, MdPool *pool, uint32_t movenext_rid, PdbAsyncInfo *out);

typedef struct {
    uint32_t start, length; /* length 0: the hoisted slot is unused */
} PdbIlRange;
/* StateMachineHoistedLocalScopes of a MoveNext: scope i belongs to hoisted variable i. */
int pdb_hoisted_scopes(const PdbFile *pdb, MdPool *pool, uint32_t movenext_rid, PdbIlRange **out,
                       uint32_t *n);
/* TupleElementNames of a local variable/constant token (0x33/0x34 << 24 | row); NULL = unnamed. */
int pdb_tuple_names(const PdbFile *pdb, MdPool *pool, uint32_t token, const char ***names, uint32_t *n);
/* Embedded source text of a document (inflated when compressed), malloc'd; MD_ENOTFOUND if none. */
int pdb_embedded_source(const PdbFile *pdb, uint32_t doc_rid, uint8_t **out, size_t *len);
/* Source Link JSON (module-level), not NUL-terminated; MD_ENOTFOUND if none. */
int pdb_source_link(const PdbFile *pdb, const uint8_t **json, uint32_t *len);

/* Render a LocalConstantSig value as C# text ("42", "\"hi\"", "null", ...) into buf. */
size_t pdb_constant_text(const PdbFile *pdb, const uint8_t *sig, uint32_t len, char *buf, size_t cap);

/* ---- Edit and Continue ----
 * Apply a portable PDB delta (the compiler's EnC emit): the methods its EncMap lists take
 * its sequence points and local scopes, its documents join. The PdbFile changes: callers
 * (the engine thread) rebuild what they index (pdb_module_apply_delta). *nmethods: how many
 * methods it gave new debug information. */
int pdb_apply_delta(PdbFile *pdb, const uint8_t *data, size_t len, uint32_t *nmethods, char *err, size_t errcap);
/* Rows of Document and MethodDebugInformation with those the deltas added. */
uint32_t pdb_document_count(const PdbFile *pdb);
uint32_t pdb_method_count(const PdbFile *pdb);

#endif
