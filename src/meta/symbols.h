/* meta/symbols: one module's symbols (assembly + its portable PDB) with the indexes a debugger
 * queries: file:line -> IL, IL -> file:line and statement range, locals in scope, method names.
 * Indexes are built once at open; a PdbModule is then read-only and safe to share across threads. */
#ifndef CORDBG_META_SYMBOLS_H
#define CORDBG_META_SYMBOLS_H

#include "meta/md.h"
#include "meta/pdb.h"

typedef struct PdbModule PdbModule;

/* Open an assembly file and its PDB (embedded, else beside it). Returns 0 with symbols,
 * MD_ENOTFOUND (no PDB: the module opens anyway, *out set, pdb NULL), MD_EMISMATCH (a PDB
 * with another id was refused: *out set without symbols, err says why), or another error
 * (*out NULL). */
int pdb_module_open(const char *dll_path, PdbModule **out, char *err, size_t errcap);
/* Build a module from parts already opened (e.g. an image read from process memory). Takes
 * ownership of img and pdb (pdb may be NULL) even on failure. */
int pdb_module_from_parts(MdImage *img, PdbFile *pdb, PdbModule **out, char *err, size_t errcap);
void pdb_module_close(PdbModule *mod);

const MdImage *pdb_module_image(const PdbModule *mod);
const PdbFile *pdb_module_pdb(const PdbModule *mod); /* NULL without symbols */
const char *pdb_module_pdb_where(const PdbModule *mod); /* "embedded", a path, or "" */

/* Documents whose path equals `path` or ends with it at a '/' boundary ("Program.cs",
 * "src/Program.cs"); case-sensitive. Writes up to cap row ids; returns the match count. */
uint32_t pdb_module_match_documents(const PdbModule *mod, const char *path, uint32_t *docs, uint32_t cap);

typedef struct {
    uint32_t method_token;   /* 0x06xxxxxx */
    uint32_t il;
    uint32_t doc, line, col, end_line, end_col;
} PdbLineHit;

/* Where does a breakpoint at file:line bind? The line itself when it has code; inside a
 * multi-line statement, that statement; else the closest following line with code. All
 * methods with code there are returned (a lambda and its enclosing method), sorted by
 * (method, il). *hits is pool-allocated; *bound_line is the line actually used.
 * MD_ENOTFOUND with a specific message when the file or a line with code is missing. */
int pdb_module_resolve_line(const PdbModule *mod, MdPool *pool, const char *file, uint32_t line,
                            PdbLineHit **hits, uint32_t *n, uint32_t *bound_line, char *err,
                            size_t errcap);

typedef struct {
    uint32_t doc, line, col, end_line, end_col;
    uint32_t il_start, il_end;  /* the statement's IL range [start, end) for stepping */
    int hidden;                 /* the offset lies in a hidden (0xFEEFEE) sequence point */
} PdbLocation;
/* Source position of an IL offset: the sequence point with the greatest offset <= il.
 * MD_ENOTFOUND when the method has no sequence points or il precedes the first. */
int pdb_module_locate(const PdbModule *mod, uint32_t method_token, uint32_t il, PdbLocation *out);

/* Locals and constants in scope at il (outermost scope first), pool-allocated. */
int pdb_module_locals_at(const PdbModule *mod, MdPool *pool, uint32_t method_token, uint32_t il,
                         PdbLocal **out, uint32_t *n);

/* MethodDef tokens named by `query`: "Main", "Program.Main", "Ns.Outer<T>.Inner.M",
 * "Outer`1.Inner.M", "Area(int, int)" (parameter types select overloads), ".ctor".
 * Writes up to cap tokens; returns the total count. */
uint32_t pdb_module_find_methods(const PdbModule *mod, const char *query, uint32_t *tokens, uint32_t cap);

/* Every document's last line with code (0 if none); for messages. */
uint32_t pdb_module_last_line(const PdbModule *mod, uint32_t doc);

/* Edit and Continue: apply a portable PDB delta (pdb_apply_delta) and rebuild the indexes,
 * so that lines, breakpoints and locals follow the new code. Not thread-safe: the engine
 * thread alone reads a PdbModule while it changes. */
int pdb_module_apply_delta(PdbModule *mod, const uint8_t *data, size_t len, uint32_t *nmethods, char *err, size_t errcap);

#endif
