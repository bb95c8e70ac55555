/* Native symbols of one debuggee's address space: which ELF modules are mapped where, their
 * symbol tables, DWARF line tables and CFI (elfutils libdwfl), and unwinding a native stack.
 * Reads target memory only through the NsReadMem callback (never ptrace): usable on a live
 * process or, later, a core. One owner thread (the engine's); nothing here is shared. */
#ifndef CORDBG_NATIVE_SYM_H
#define CORDBG_NATIVE_SYM_H
#include <stddef.h>
#include <stdint.h>

typedef struct NsSpace NsSpace;

/* Read len bytes of target memory at addr into buf: 0 on success, -1 if unreadable. */
typedef int (*NsReadMem)(void *ctx, uint64_t addr, void *buf, size_t len);

/* x86-64 registers an unwind starts from (DWARF numbering is the callee's business). */
typedef struct NsRegs {
    uint64_t rax, rdx, rcx, rbx, rsi, rdi, rbp, rsp;
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rip;
} NsRegs;

typedef struct NsModuleInfo {
    int      id;                /* small integer, stable while the module stays mapped */
    uint64_t start, end;        /* address range of its mappings */
    uint64_t bias;              /* load bias (link_map l_addr) */
    int      has_symtab;        /* .symtab or .dynsym with function symbols */
    int      has_dwarf;         /* line tables found (in the file or a separate debug file) */
    char     path[1024];
    char     name[256];         /* file name: "libnative.so" */
} NsModuleInfo;

/* What an address is. func is "" when no symbol covers it; file "" when no line does. */
typedef struct NsWhere {
    uint64_t addr;
    int      module_id;         /* 0: no module (anonymous memory, e.g. jitted code) */
    char     module[256];       /* file name of the module */
    char     func[256];         /* symbol name, version dropped ("f", not "f@@V1"); C++ names
                                   stay mangled: no demangler is linked */
    uint64_t func_start;        /* 0 when func is "" */
    uint64_t offset;            /* addr - func_start */
    char     file[1024];        /* source path as DWARF records it (comp dir joined) */
    uint32_t line;              /* 0: unknown */
    uint32_t column;
} NsWhere;

/* One frame of an unwound native stack, top first. */
typedef struct NsFrame {
    uint64_t pc;                /* for frames above the top: the return address - 1 is looked up */
    uint64_t sp;                /* rsp in this frame at pc: frame 0 regs->rsp; above it, the
                                   callee's cfa (rsp once the callee has returned). 0: unknown */
    uint64_t cfa;               /* this frame's canonical frame address (its caller's rsp
                                   after the return; the frame's identity for stepping out).
                                   0 when the unwind ended at this frame */
    NsWhere  where;
} NsFrame;

/* A space for process pid (read: how ns_unwind reads its stack). It has no modules until
 * the first ns_refresh. NULL only when out of memory. */
NsSpace *ns_new(int pid, NsReadMem read, void *ctx);
void     ns_free(NsSpace *sp);

/* The directories separate debug files are looked for in (build-id: DIR/.build-id/xx/
 * rest.debug; .gnu_debuglink: DIR/<the library's directory>/NAME, besides the library's
 * own directory and its .debug/), colon-separated, for every space (gdb's
 * debug-file-directory); NULL or "" restores the default, /usr/lib/debug. Spaces re-read
 * their modules' symbols at their next ns_refresh. 0 or -ENOMEM. */
int  ns_set_debug_file_directory(const char *dirs);
void ns_debug_file_directory(char *out, size_t cap);
/* Counts the changes of those directories (to re-bind what was pending). */
unsigned ns_debug_generation(void);
/* Whether the space's symbols predate the last change of those directories (then
 * ns_refresh re-reads them). */
int  ns_stale(const NsSpace *sp);

/* Re-read the process's mappings (/proc/PID/maps) and report every mapped ELF file as a
 * module; modules no longer mapped are dropped. Cheap when nothing changed. 0 or -errno.
 * A module is a run of mappings of one regular, readable ELF file starting at file offset
 * 0 (not writable there), or the vDSO (named "[vdso]"): memfd double mappings of jitted
 * code, mapped assemblies and data files, and deleted or unreachable files are not. */
int ns_refresh(NsSpace *sp);
/* The modules, in address order (malloc'ed array; *n its length). */
int ns_modules(NsSpace *sp, NsModuleInfo **out, size_t *n);
/* The module containing addr: 1 and *out filled, or 0. */
int ns_module_at(NsSpace *sp, uint64_t addr, NsModuleInfo *out);

/* Describe addr (symbol, module, line). Always fills out (with what is known); 1 when a
 * module covers addr, 0 when none does. */
int ns_where(NsSpace *sp, uint64_t addr, NsWhere *out);

/* Addresses where a breakpoint on function NAME goes: after its prologue (the address of
 * the second line-table row of the function when DWARF has it, else the symbol's address).
 * module: only that module's file name ("libnative.so"), or NULL for all. Fills up to cap
 * addresses, returns how many were found (may exceed cap), 0 when none. */
int ns_function_addrs(NsSpace *sp, const char *module, const char *name, uint64_t *addrs, int cap);
/* Addresses where a breakpoint on FILE:LINE goes: for each function (inlined copies
 * included) the lowest is_stmt address of the first line >= LINE that has code (within
 * that function's range). FILE matches a DWARF file by full path or by trailing path
 * components ("native.c", "src/native.c"). *line_out: the line actually used. Returns the
 * count (0: no code at or after LINE in that file; -1: no such file in any module). */
int ns_line_addrs(NsSpace *sp, const char *module, const char *file, uint32_t line,
                  uint64_t *addrs, int cap, uint32_t *line_out);
/* The address range [lo, hi) of the line-table row block containing pc (the code of pc's
 * source line, contiguous part): for stepping by line. 0 on success, -1 when pc has no
 * line info. */
int ns_line_range(NsSpace *sp, uint64_t pc, uint64_t *lo, uint64_t *hi);
/* The function range [lo, hi) containing pc (from DWARF or the symbol table). 0 or -1. */
int ns_function_range(NsSpace *sp, uint64_t pc, uint64_t *lo, uint64_t *hi);
/* Every function of the module with DWARF lines: their after-prologue addresses (for
 * "step into whatever native user code is called next"). Returns the count (<= cap ok). */
int ns_module_entry_points(NsSpace *sp, int module_id, uint64_t *addrs, int cap);

/* Unwind a thread's stack from regs with CFI (.eh_frame / .debug_frame), falling back to
 * the frame-pointer chain where a module has no CFI. Stops at max frames, at an address no
 * module covers (jitted code; that frame is included, with module_id 0), or when the
 * unwind fails. Returns the number of frames written (>= 1: frame 0 is regs->rip). */
int ns_unwind(NsSpace *sp, const NsRegs *regs, NsFrame *frames, int max);

/* Symbol lookup by address only (no lines), for disassembly annotations: "func+0x12" or
 * "" (fills out). */
void ns_symbolize(NsSpace *sp, uint64_t addr, char *out, size_t cap);

/* A C variable as a watchpoint needs it (symvar.c): where it lives, how big it is, how to
 * show its bytes. */
typedef struct NsVar {
    uint64_t addr;
    int      size;              /* bytes (0: unknown) */
    char     enc;               /* 's' signed, 'u' unsigned, 'f' float, 'c' char, 'b' bool,
                                   'p' pointer, '?' anything else (shown as bytes) */
    int      local;             /* a local or parameter of the frame, not a global */
    char     type[128];         /* as C spells it: "int", "counter_t", "struct point" */
} NsVar;

/* The variable NAME seen from pc: the function's locals and parameters there (innermost
 * block first, then its file's statics), then any module's global. cfa and rbp: the frame's
 * canonical frame address and rbp (0 when unknown), for frame-relative locations.
 * 0, or -1 with err (not found, in a register, thread-local, ...). */
int ns_variable(NsSpace *sp, const char *name, uint64_t pc, uint64_t cfa, uint64_t rbp, NsVar *out,
                char *err, size_t cap);

/* Post-mortem (issue 23): a space with no process behind it (a core dump). Its modules come
 * from the list ns_set_mappings gives, not from /proc/PID/maps; its files are opened by the
 * paths given (nothing is looked up under /proc), the vDSO's image is read through read at
 * vdso (0: none), and unwinding reads memory through read too. ns_refresh reports the list
 * (again only after ns_set_mappings or a change of the debug-file directories). */
typedef struct NsMapping {
    uint64_t    start, end;     /* [start, end) */
    uint64_t    offset;         /* file offset */
    const char *path;           /* the file to read here ("" or NULL: none) */
} NsMapping;
NsSpace *ns_new_static(NsReadMem read, void *ctx);
/* The mappings in address order (copied); a module is a run of one file's mappings that
 * starts at offset 0, as ns_refresh finds them in maps. 0 or -ENOMEM/-EINVAL. */
int ns_set_mappings(NsSpace *sp, const NsMapping *maps, size_t n, uint64_t vdso);

#endif
