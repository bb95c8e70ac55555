/* meta/md: PE/COFF image, CLI header, debug directory and ECMA-335 metadata (root, streams,
 * every table of II.22) over a byte range — a file or an image copied from process memory.
 * Pure code over bytes; an MdImage is immutable after open and may be read from any thread. */
#ifndef CORDBG_META_MD_H
#define CORDBG_META_MD_H

#include <stddef.h>
#include <stdint.h>

/* Status codes returned by meta/ functions (0 ok, negative error). */
enum {
    MD_OK = 0,
    MD_EBADFMT = -1,   /* malformed, truncated or hostile input */
    MD_ENOMEM = -2,
    MD_EIO = -3,       /* could not read a file (message says which) */
    MD_ENOTFOUND = -4, /* absent: no such entry, row, symbol file */
    MD_EMISMATCH = -5, /* a PDB that does not belong to the assembly */
};

/* ECMA-335 II.22 table numbers (0x00..0x2C) and portable-PDB tables (0x30..0x37). */
enum {
    MD_T_Module = 0x00, MD_T_TypeRef = 0x01, MD_T_TypeDef = 0x02, MD_T_FieldPtr = 0x03,
    MD_T_Field = 0x04, MD_T_MethodPtr = 0x05, MD_T_MethodDef = 0x06, MD_T_ParamPtr = 0x07,
    MD_T_Param = 0x08, MD_T_InterfaceImpl = 0x09, MD_T_MemberRef = 0x0A, MD_T_Constant = 0x0B,
    MD_T_CustomAttribute = 0x0C, MD_T_FieldMarshal = 0x0D, MD_T_DeclSecurity = 0x0E,
    MD_T_ClassLayout = 0x0F, MD_T_FieldLayout = 0x10, MD_T_StandAloneSig = 0x11,
    MD_T_EventMap = 0x12, MD_T_EventPtr = 0x13, MD_T_Event = 0x14, MD_T_PropertyMap = 0x15,
    MD_T_PropertyPtr = 0x16, MD_T_Property = 0x17, MD_T_MethodSemantics = 0x18,
    MD_T_MethodImpl = 0x19, MD_T_ModuleRef = 0x1A, MD_T_TypeSpec = 0x1B, MD_T_ImplMap = 0x1C,
    MD_T_FieldRVA = 0x1D, MD_T_EncLog = 0x1E, MD_T_EncMap = 0x1F, MD_T_Assembly = 0x20,
    MD_T_AssemblyProcessor = 0x21, MD_T_AssemblyOS = 0x22, MD_T_AssemblyRef = 0x23,
    MD_T_AssemblyRefProcessor = 0x24, MD_T_AssemblyRefOS = 0x25, MD_T_File = 0x26,
    MD_T_ExportedType = 0x27, MD_T_ManifestResource = 0x28, MD_T_NestedClass = 0x29,
    MD_T_GenericParam = 0x2A, MD_T_MethodSpec = 0x2B, MD_T_GenericParamConstraint = 0x2C,
    MD_T_Document = 0x30, MD_T_MethodDebugInformation = 0x31, MD_T_LocalScope = 0x32,
    MD_T_LocalVariable = 0x33, MD_T_LocalConstant = 0x34, MD_T_ImportScope = 0x35,
    MD_T_StateMachineMethod = 0x36, MD_T_CustomDebugInformation = 0x37,
    MD_T_COUNT = 64,
};

/* Column numbers, in the order of II.22 / the portable PDB spec (md_get's `col`). */
enum { MD_Module_Generation, MD_Module_Name, MD_Module_Mvid, MD_Module_EncId, MD_Module_EncBaseId };
enum { MD_TypeRef_ResolutionScope, MD_TypeRef_Name, MD_TypeRef_Namespace };
enum { MD_TypeDef_Flags, MD_TypeDef_Name, MD_TypeDef_Namespace, MD_TypeDef_Extends,
       MD_TypeDef_FieldList, MD_TypeDef_MethodList };
enum { MD_Field_Flags, MD_Field_Name, MD_Field_Signature };
enum { MD_MethodDef_RVA, MD_MethodDef_ImplFlags, MD_MethodDef_Flags, MD_MethodDef_Name,
       MD_MethodDef_Signature, MD_MethodDef_ParamList };
enum { MD_Param_Flags, MD_Param_Sequence, MD_Param_Name };
enum { MD_InterfaceImpl_Class, MD_InterfaceImpl_Interface };
enum { MD_MemberRef_Class, MD_MemberRef_Name, MD_MemberRef_Signature };
enum { MD_Constant_Type, MD_Constant_Padding, MD_Constant_Parent, MD_Constant_Value };
enum { MD_CustomAttribute_Parent, MD_CustomAttribute_Type, MD_CustomAttribute_Value };
enum { MD_StandAloneSig_Signature };
enum { MD_EventMap_Parent, MD_EventMap_EventList };
enum { MD_Event_Flags, MD_Event_Name, MD_Event_EventType };
enum { MD_PropertyMap_Parent, MD_PropertyMap_PropertyList };
enum { MD_Property_Flags, MD_Property_Name, MD_Property_Type };
enum { MD_MethodSemantics_Semantics, MD_MethodSemantics_Method, MD_MethodSemantics_Association };
enum { MD_TypeSpec_Signature };
enum { MD_Assembly_HashAlgId, MD_Assembly_Major, MD_Assembly_Minor, MD_Assembly_Build,
       MD_Assembly_Revision, MD_Assembly_Flags, MD_Assembly_PublicKey, MD_Assembly_Name,
       MD_Assembly_Culture };
enum { MD_AssemblyRef_Major, MD_AssemblyRef_Minor, MD_AssemblyRef_Build, MD_AssemblyRef_Revision,
       MD_AssemblyRef_Flags, MD_AssemblyRef_PublicKeyOrToken, MD_AssemblyRef_Name,
       MD_AssemblyRef_Culture, MD_AssemblyRef_HashValue };
enum { MD_NestedClass_NestedClass, MD_NestedClass_EnclosingClass };
enum { MD_GenericParam_Number, MD_GenericParam_Flags, MD_GenericParam_Owner, MD_GenericParam_Name };
enum { MD_MethodSpec_Method, MD_MethodSpec_Instantiation };
enum { MD_Document_Name, MD_Document_HashAlgorithm, MD_Document_Hash, MD_Document_Language };
enum { MD_MethodDebugInformation_Document, MD_MethodDebugInformation_SequencePoints };
enum { MD_LocalScope_Method, MD_LocalScope_ImportScope, MD_LocalScope_VariableList,
       MD_LocalScope_ConstantList, MD_LocalScope_StartOffset, MD_LocalScope_Length };
enum { MD_LocalVariable_Attributes, MD_LocalVariable_Index, MD_LocalVariable_Name };
enum { MD_LocalConstant_Name, MD_LocalConstant_Signature };
enum { MD_ImportScope_Parent, MD_ImportScope_Imports };
enum { MD_StateMachineMethod_MoveNext, MD_StateMachineMethod_Kickoff };
enum { MD_CustomDebugInformation_Parent, MD_CustomDebugInformation_Kind,
       MD_CustomDebugInformation_Value };

/* Bump allocator: decoded signatures, names and index arrays live in one; all freed at once.
 * md_pool_alloc returns zeroed 16-byte-aligned memory or NULL. A zeroed MdPool is empty. */
typedef struct MdPoolBlock MdPoolBlock;
typedef struct {
    MdPoolBlock *head;
    size_t total;
} MdPool;
void *md_pool_alloc(MdPool *p, size_t n);
char *md_pool_strndup(MdPool *p, const char *s, size_t n);
void md_pool_free(MdPool *p);

#define MD_MAX_COLS 9

typedef struct {
    const uint8_t *base;   /* first row; NULL when the table is absent */
    uint32_t rows;
    uint32_t row_size;
    uint8_t ncols;
    uint8_t col_off[MD_MAX_COLS];
    uint8_t col_size[MD_MAX_COLS];
} MdTable;

/* One parsed metadata blob ("BSJB" root): the type system of an assembly, or the debug
 * metadata of a standalone portable PDB. Pointers borrow the bytes given to md_meta_parse. */
typedef struct {
    char version[64];
    const uint8_t *strings; uint32_t strings_len;
    const uint8_t *us;      uint32_t us_len;
    const uint8_t *blob;    uint32_t blob_len;
    const uint8_t *guid;    uint32_t guid_len;
    const uint8_t *pdb;     uint32_t pdb_len;      /* "#Pdb" stream, standalone PDBs only */
    int uncompressed;       /* "#-" tables stream (may use the *Ptr indirection tables) */
    int minimal_delta;      /* an Edit and Continue delta with a #JTD stream: 4-byte references */
    uint64_t valid, sorted;
    uint32_t ext_rows[MD_T_COUNT]; /* type-system row counts from #Pdb (for index sizes) */
    MdTable t[MD_T_COUNT];
} MdMeta;

/* Parse a metadata root. `ext_rows` (may be NULL) gives row counts of tables that live in
 * another blob (a PDB's references into the assembly). 0 ok, MD_EBADFMT with a message. */
int md_meta_parse(MdMeta *m, const uint8_t *p, size_t len, char *err, size_t errcap);

/* Cell value of row `rid` (1-based), column `col`: integers as is, heap offsets, simple
 * indexes as row ids, coded indexes as raw values (decode with md_coded_token). 0 if out of range. */
uint32_t md_get(const MdMeta *m, int table, uint32_t rid, int col);
static inline uint32_t md_rows(const MdMeta *m, int table)
{
    return (table >= 0 && table < MD_T_COUNT) ? m->t[table].rows : 0;
}

/* Coded index kinds (II.24.2.6) and the portable PDB's HasCustomDebugInformation. */
enum {
    MD_CI_TypeDefOrRef, MD_CI_HasConstant, MD_CI_HasCustomAttribute, MD_CI_HasFieldMarshal,
    MD_CI_HasDeclSecurity, MD_CI_MemberRefParent, MD_CI_HasSemantics, MD_CI_MethodDefOrRef,
    MD_CI_MemberForwarded, MD_CI_Implementation, MD_CI_CustomAttributeType,
    MD_CI_ResolutionScope, MD_CI_TypeOrMethodDef, MD_CI_HasCustomDebugInformation, MD_CI_COUNT
};
/* Raw coded value -> token (table << 24 | rid); 0 for a nil or invalid tag. */
uint32_t md_coded_token(int ci_kind, uint32_t raw);
/* Token -> raw coded value for `ci_kind`; UINT32_MAX if the table is not in that coding. */
uint32_t md_coded_from_token(int ci_kind, uint32_t token);

/* Heaps. md_string never returns NULL ("" when out of range or unterminated). */
const char *md_string(const MdMeta *m, uint32_t off);
int md_blob(const MdMeta *m, uint32_t off, const uint8_t **p, uint32_t *len); /* 0 ok */
const uint8_t *md_guid_at(const MdMeta *m, uint32_t idx); /* 1-based; NULL when nil/out of range */

/* First row r in [1, rows] of a table sorted by column `col` with md_get(...) >= key. */
uint32_t md_lower_bound(const MdMeta *m, int table, int col, uint32_t key);
/* The [first, end) rid range of a list column (TypeDef.MethodList etc.): the run owned by
 * row `rid` ends where the next row's run starts or at the end of the target table. */
void md_list_range(const MdMeta *m, int table, uint32_t rid, int col, int target,
                   uint32_t *first, uint32_t *end);
/* The [first, end) Property rows of TypeDef `rid` (through its PropertyMap row; a type has at
 * most one): empty when it has no properties. */
void md_type_properties(const MdMeta *m, uint32_t rid, uint32_t *first, uint32_t *end);

/* ---- PE image ---- */

typedef enum { MD_LAYOUT_FILE, MD_LAYOUT_MAPPED } MdLayout; /* file bytes, or as loaded (RVA = offset) */

typedef struct {
    char name[9];
    uint32_t vaddr, vsize, raw_ptr, raw_size;
} MdSection;

enum { MD_DEBUG_CODEVIEW = 2, MD_DEBUG_REPRO = 16, MD_DEBUG_EMBEDDED_PDB = 17,
       MD_DEBUG_PDB_CHECKSUM = 19 };

typedef struct {
    uint32_t characteristics, stamp;
    uint16_t major, minor;
    uint32_t type, size, rva, ptr;
} MdDebugEntry;

typedef struct MdImage {
    const uint8_t *data; size_t len; MdLayout layout;
    uint16_t machine; int pe32plus; uint32_t coff_stamp;
    MdSection *sections; uint32_t nsections;
    uint32_t cli_flags, entry_point_token;
    uint32_t md_rva, md_size;
    MdMeta md;
    MdDebugEntry *debug; uint32_t ndebug;
    /* CodeView (RSDS) entry; for a portable PDB the PDB id is guid + stamp. */
    int has_codeview;
    uint8_t cv_guid[16]; uint32_t cv_age, cv_stamp; uint16_t cv_major, cv_minor;
    const char *cv_path; /* NUL-terminated copy */
    int has_embedded_pdb; /* compressed image at embedded_ptr/embedded_len */
    const uint8_t *embedded_ptr; uint32_t embedded_len, embedded_size;
    int has_checksum; const char *checksum_alg; const uint8_t *checksum; uint32_t checksum_len;
    void *priv_; /* owner's pool and file bytes */
} MdImage;

/* Open an image over borrowed bytes (they must outlive the MdImage). */
int md_image_open_mem(const void *data, size_t len, MdLayout layout, MdImage **out,
                      char *err, size_t errcap);
/* Read a file and open it; the image owns the bytes. */
int md_image_open_file(const char *path, MdImage **out, char *err, size_t errcap);
void md_image_close(MdImage *img);

/* Pointer to `size` bytes at `rva`, bounds-checked against the section and the buffer. */
const uint8_t *md_image_rva(const MdImage *img, uint32_t rva, uint32_t size);

/* Inflate the embedded portable PDB into a malloc'd buffer (caller frees). */
int md_image_embedded_pdb(const MdImage *img, uint8_t **out, size_t *len, char *err, size_t errcap);

typedef struct {
    const uint8_t *il; uint32_t il_size;
    uint16_t max_stack; uint32_t local_sig_token; int init_locals;
} MdMethodBody;
/* The IL body of MethodDef `rid`; MD_ENOTFOUND for abstract/extern methods (RVA 0). */
int md_method_body(const MdImage *img, uint32_t rid, MdMethodBody *out);

/* Exception-handling clauses of a method body (ECMA-335 II.25.4.6), inner before outer. */
enum { MD_EH_CATCH = 0, MD_EH_FILTER = 1, MD_EH_FINALLY = 2, MD_EH_FAULT = 4 };
typedef struct {
    uint32_t kind;          /* MD_EH_* */
    uint32_t try_off, try_len, handler_off, handler_len;
    uint32_t class_token;   /* MD_EH_CATCH: the caught type's token; MD_EH_FILTER: filter offset */
} MdEhClause;
/* Up to cap clauses of MethodDef rid into out; *n = how many the body has. 0 ok. */
int md_method_eh(const MdImage *img, uint32_t rid, MdEhClause *out, uint32_t cap, uint32_t *n);

/* Small helpers shared by meta/ and its users. */
void md_guid_str(const uint8_t *g16, char out[37]);
int md_read_file(const char *path, size_t max, uint8_t **out, size_t *len); /* 0 or -errno */

#endif
