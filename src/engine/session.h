/* The debugging session: one engine thread owns all session state and makes every
 * ICorDebug call; front ends talk to it only through the eng_* requests below (each
 * blocks its caller until done) and hear from it through the notify function, which
 * the engine calls on its own thread. IDs handed out (threads, modules) are small
 * integers, never pointers.
 *
 * Process states and their transitions (performed in session.c):
 *
 *   NONE ──eng_run──────────▶ RUNNING   launch: fork, handshake, DebugActiveProcess
 *   NONE ──eng_attach───────▶ ATTACHING ──last fake attach event──▶ STOPPED
 *   RUNNING ──Break / unhandled exception──▶ STOPPED ──eng_continue──▶ RUNNING
 *   RUNNING|STOPPED ──ExitProcess──────────▶ NONE   (exit code reported)
 *   RUNNING|STOPPED ──eng_kill (Terminate)─▶ NONE   (after ExitProcess)
 *   RUNNING|STOPPED ──eng_detach (Stop, Detach)──▶ NONE (process runs on)
 */
#ifndef CORDBG_ENGINE_SESSION_H
#define CORDBG_ENGINE_SESSION_H
#include <stddef.h>
#include <stdint.h>

typedef struct EngSession EngSession;

typedef enum EngState { ENG_NONE, ENG_ATTACHING, ENG_RUNNING, ENG_STOPPED } EngState;

typedef enum EngStopReason {
    ENG_STOP_ATTACH,           /* attached: the process is held */
    ENG_STOP_BREAK,            /* Debugger.Break() */
    ENG_STOP_BREAKPOINT,       /* a user breakpoint (bp_id) */
    ENG_STOP_ENTRY,            /* the first line of the entry point */
    ENG_STOP_THROW,            /* an exception was thrown (first chance) */
    ENG_STOP_USER_UNHANDLED,   /* an exception leaves user code unhandled there */
    ENG_STOP_UNHANDLED,        /* an unhandled managed exception: the process dies if continued */
    ENG_STOP_PAUSE,            /* the user asked */
    ENG_STOP_STEP,             /* a step ended */
    ENG_STOP_SIGNAL,           /* a native signal (exception: its name, message: its meaning) */
    ENG_STOP_WATCH,            /* a hardware watchpoint (bp_id; message: gdb's lines, "Hardware
                                * watchpoint 2: x\n\nOld value = 1\nNew value = 2") */
} EngStopReason;

typedef enum EngMode { ENG_MODE_MANAGED, ENG_MODE_MIXED, ENG_MODE_NATIVE } EngMode;

typedef enum EngNoticeKind {
    EN_PROCESS_STARTED, EN_ATTACHED, EN_PROCESS_EXITED, EN_DETACHED, EN_KILLED, EN_STOPPED,
    EN_MODULE_LOADED, EN_MODULE_UNLOADED, EN_THREAD_CREATED, EN_THREAD_EXITED,
    EN_APPDOMAIN_CREATED, EN_APPDOMAIN_EXITED, EN_ASSEMBLY_LOADED, EN_ASSEMBLY_UNLOADED,
    EN_CLASS_LOADED, EN_CLASS_UNLOADED, EN_LOG, EN_ERROR,
    EN_BREAKPOINT_BOUND,        /* a pending breakpoint bound (bp_id; message: where; file, line) */
    EN_LOGPOINT,                /* a log point's message (bp_id, thread_id; message) */
    EN_RESUMED,                 /* the stopped program runs again (quiet) */
    EN_NOTE,                    /* a line for the user about what the engine is doing (message) */
    EN_EXCEPTION_THROWN,        /* a first-chance exception, when asked for (eng_set_exception_log):
                                 * exception: its type; path: the module of the throwing frame */
} EngNoticeKind;

/* What the engine tells a front end. Strings are valid during the call only. */
typedef struct EngNotice {
    EngNoticeKind kind;
    int         pid;
    int         exit_code;      /* EN_PROCESS_EXITED: -1 when unknown */
    int         signal;         /* EN_PROCESS_EXITED: killing signal, or 0 */
    int         thread_id;      /* cordbg's thread number, 0 if none */
    uint32_t    tid;            /* OS thread id */
    int         id;             /* module / app domain id */
    int         has_symbols;    /* EN_MODULE_LOADED */
    EngStopReason reason;       /* EN_STOPPED */
    const char *path;           /* module / assembly path */
    const char *name;           /* app domain / class name; thread name */
    const char *category;       /* EN_LOG */
    const char *message;        /* EN_LOG, EN_ERROR; EN_STOPPED: the exception's message */
    /* EN_STOPPED: where (function and file may be NULL when unknown) */
    int         bp_id;
    const int  *bp_ids;         /* ENG_STOP_BREAKPOINT, ENG_STOP_ENTRY: every user breakpoint */
    int         nbp_ids;        /* that stopped here, bp_id first (those at one place stop once) */
    const char *function;       /* "Demo.Program.Main(string[] args)" */
    const char *file;           /* the source path recorded in the PDB */
    uint32_t    line;
    const char *source;         /* that line's text, when the file is readable */
    const char *exception;      /* exception type name */
    const char *condition_error;/* EN_STOPPED at a breakpoint whose condition failed: why */
    const char *returned;       /* EN_STOPPED after a step: "Ns.Type.M returned 42" lines, what
                                 * the calls stepped over or out of returned (or NULL) */
    const char *documents;      /* EN_MODULE_LOADED: its source documents, one per line (or NULL) */
    int         quiet;          /* not asked for by the user (thread events without verbose
                                 * events): for front ends that track state, not to print */
} EngNotice;

typedef void (*EngNotifyFn)(void *ctx, const EngNotice *n);

typedef struct EngLaunchArgs {
    const char  *program;       /* app .dll (run with dotnet) or apphost executable */
    char *const *args;          /* NULL-terminated; may be NULL */
    const char  *cwd;           /* may be NULL */
    char *const *env;           /* "NAME=VALUE", NULL-terminated; may be NULL */
    int          sigint_is_cordbgs; /* the terminal's Ctrl-C pauses (the program starts with SIGINT ignored) */
    int          redirect;      /* the program's stdin, stdout, stderr are stdio[0..2] */
    int          stdio[3];
    int          in_terminal;   /* started by a terminal host connected on terminal_fd (DAP's
                                 * runInTerminal), which then owns its stdio */
    int          terminal_fd;
} EngLaunchArgs;

typedef enum EngFrameKind {
    ENG_FRAME_USER,             /* managed, user code */
    ENG_FRAME_EXTERNAL,         /* managed, not user code (framework, no symbols, hidden) */
    ENG_FRAME_RUNTIME,          /* the runtime's own frame (transition, class init, ...) */
    ENG_FRAME_NATIVE,           /* a stretch of native code */
} EngFrameKind;

typedef struct EngFrameInfo {
    int          index;
    int          module_id;
    int          current;       /* the selected frame */
    EngFrameKind kind;
    uint32_t     il;
    uint32_t     line;          /* 0: unknown */
    uint64_t     ip;            /* its instruction pointer (jitted or native code); 0: none */
    char         function[512];
    char         file[1024];
    char         source[512];
} EngFrameInfo;

typedef struct EngThreadInfo {
    int      id;
    uint32_t tid;
    int      current;
    int      frozen;            /* kept suspended across continues (freeze) */
    char     name[64];          /* the OS thread name (comm) */
    char     managed_name[128]; /* Thread.Name when stopped and set, else "" */
    char     state[64];         /* "waiting background", ... when stopped */
    EngFrameInfo top;           /* its first user frame (else its top frame) when stopped */
    int      has_top;
} EngThreadInfo;

typedef struct EngModuleInfo {
    int  id;
    uint64_t start, end;        /* native libraries: their address range */
    int  has_symbols;
    int  dynamic;
    char path[1024];
    char symbols[1024];         /* where the symbols came from: a .pdb path or "embedded" */
} EngModuleInfo;

typedef struct EngBreakpointInfo {
    int      id;
    int      enabled, temporary, pending;
    unsigned hits;
    int      locations;         /* bound code locations */
    char     where[512];        /* as the user gave it */
    char     note[512];         /* why pending, or where it bound */
    char     condition[512];    /* "" when none */
    char     hit_condition[64]; /* "== 3", ">= 5", "% 2"; "" when none */
    unsigned ignore;            /* crossings still to ignore */
    char     log_message[512];  /* a log point's message; "" for a breakpoint that stops */
    uint32_t line;              /* where its first location is (0: pending or unknown) */
    char     file[1024];        /* that location's document as the PDB records it */
    int      watch;             /* a watchpoint: 'w' write, 'r' read, 'a' access; 0: a breakpoint */
} EngBreakpointInfo;

typedef struct EngCatchInfo {
    int  on_throw, on_user_unhandled, on_unhandled;
    char throw_types[512];      /* space-separated type names; empty: every type */
} EngCatchInfo;

typedef struct EngVar {
    char name[128];
    char value[512];
} EngVar;

/* A value as a browsing front end shows it (eng_scopes, eng_variables, eng_evaluate_at). */
typedef struct EngValue {
    char name[256];
    char value[1024];
    char type[256];
    char evaluate_name[512];    /* an expression that names it ("" when none can be made) */
    int  ref;                   /* > 0: it has children; eng_variables(ref) reads them */
    int  indexed;               /* an array: its element count (children are paged by index) */
    int  named;                 /* a scope: how many variables it has */
    int  error;                 /* value is why it could not be read */
    uint64_t address;           /* where its bytes are in the program (an array: its first
                                 * element; an object: the object); 0: none (lowlevel.c) */
} EngValue;

/* One instruction of a disassembly for editors (eng_disasm_at). */
typedef struct EngInsn {
    uint64_t addr;
    int      invalid;           /* nothing decodable is known here (before a known start,
                                 * unreadable or undecodable bytes): a placeholder */
    char     bytes[48];         /* "48 89 e5" */
    char     text[160];         /* "mov    %rsp,%rbp" */
    char     symbol[300];       /* "compute+0x4", "Demo.Program.Main" ("" when none or not asked) */
    char     file[1024];        /* its source (DWARF, or the PDB through the IL map); "" unknown */
    uint32_t line;
} EngInsn;

/* Results of a request. Lists are malloc'ed; free with eng_result_free. */
typedef struct EngResult {
    int            status;      /* 0 ok, -1 failed (err says why) */
    char           err[512];
    char           message[512];/* what a successful request has to say (e.g. where a breakpoint bound) */
    int            id;          /* a new breakpoint's id */
    EngThreadInfo *threads;  size_t nthreads;
    EngModuleInfo *modules;  size_t nmodules;
    EngBreakpointInfo *bps;  size_t nbps;
    EngFrameInfo  *frames;   size_t nframes;
    char          *text;        /* eng_source: the whole document (message: its path; id: the line) */
    EngVar        *vars;     size_t nvars;
    EngCatchInfo   catches;
    EngValue      *values;   size_t nvalues;
    uint32_t      *lines;    size_t nlines;
    EngInsn       *insns;    size_t ninsns;   /* eng_disasm_at */
    uint64_t       address;     /* eng_mem_read: where the bytes read start */
    uint64_t       unreadable;  /* eng_mem_read: bytes after them that could not be read */
} EngResult;

EngSession *eng_session_new(EngNotifyFn notify, void *ctx);
/* Ends the engine: a live launched process is killed, an attached one detached. */
void eng_session_free(EngSession *s);
void eng_result_free(EngResult *r);

EngState eng_state(EngSession *s);
int      eng_pid(EngSession *s);
int      eng_launched(EngSession *s);    /* 1 when cordbg started the live process */

/* Start the program and let it run; returns when it stops or exits. */
void eng_run(EngSession *s, const EngLaunchArgs *args, EngResult *r);
/* Attach to a running .NET process and hold it (state STOPPED). */
void eng_attach(EngSession *s, int pid, EngResult *r);
/* Let a stopped process run; returns when it stops again or exits. */
void eng_continue(EngSession *s, EngResult *r);
void eng_kill(EngSession *s, EngResult *r);
void eng_detach(EngSession *s, EngResult *r);
void eng_list_threads(EngSession *s, EngResult *r);
void eng_list_modules(EngSession *s, EngResult *r);
/* Thread and class events reported or not. */
void eng_set_verbose_events(EngSession *s, int on, EngResult *r);
/* Break into the running program (returns at once; the stop is a notice). Any thread. */
void eng_pause_async(EngSession *s);
/* The same, showing thread_id (0: a thread running user code, if any). */
void eng_pause_thread_async(EngSession *s, int thread_id);
/* continue and step in two halves: the request takes its place in the engine's queue at
 * once (a pause sent after it is handled after it, so it finds the program running) and
 * eng_wait waits for it as eng_continue / eng_step do. Every start is waited for once. */
typedef struct EngPending EngPending;
EngPending *eng_continue_start(EngSession *s);
EngPending *eng_step_start(EngSession *s, int kind);
/* Step into TARGET, one of the calls eng_step_targets names: the other calls of the
 * statement entered before it are stepped out of; stops in it, or after the statement when
 * it is not called. */
EngPending *eng_step_into_start(EngSession *s, const char *target);
/* The calls of the current statement of a thread, in IL order: r->values[i].name. */
void eng_step_targets(EngSession *s, int thread_id, EngResult *r);
void eng_wait(EngSession *s, EngPending *p, EngResult *r);
/* Never to be waited for (the front end is ending): the engine frees it when done. */
void eng_abandon(EngSession *s, EngPending *p);
/* cordbg is ending on a signal: kill what it launched, detach from what it attached to,
 * fail the request in progress. */
void eng_terminate(EngSession *s, EngResult *r);
/* Call stack of thread `thread_id` (0: the current one), at most `limit` frames (0: all). */
void eng_backtrace(EngSession *s, int thread_id, int limit, EngResult *r);
/* Select a thread (its frame 0 becomes current) / a frame of the current thread: absolute
 * index, or relative to the current one (up: +n, down: -n). r->frames holds the new frame. */
void eng_select_thread(EngSession *s, int thread_id, EngResult *r);
void eng_select_frame(EngSession *s, int index, int relative, EngResult *r);
/* Step the current thread: 'i' into, 'o' over, 'u' out; returns at the next stop. */
void eng_step(EngSession *s, int kind, EngResult *r);
/* Set next statement: LINE of the current method (relative: current line + line). On
 * success r->message says where, r->id is the line. */
void eng_jump(EngSession *s, int line, int relative, EngResult *r);
/* Source for `list`: the selected frame's document (where NULL), FILE:LINE, or a method.
 * r->text is the document, r->message its path, r->id the line to show. */
void eng_source(EngSession *s, const char *where, EngResult *r);
/* The selected frame's arguments ('a', `this` first) or locals in scope ('l'). */
void eng_frame_vars(EngSession *s, int kind, EngResult *r);
/* Evaluate EXPR in the selected frame. r->text: the value (with its children, one level, when
 * ENG_EVAL_EXPAND), r->message: its type. ENG_EVAL_TYPE: r->text is the type instead. */
enum { ENG_EVAL_HEX = 1, ENG_EVAL_EXPAND = 2, ENG_EVAL_TYPE = 4, ENG_EVAL_NO_SIDE_EFFECTS = 8 };
void eng_evaluate(EngSession *s, const char *expr, int flags, EngResult *r);
/* The same, with at most max_children children shown (ENG_EVAL_EXPAND; 0: the default 100). */
void eng_evaluate_n(EngSession *s, const char *expr, int flags, int max_children, EngResult *r);
/* Code injection (funceval.c): call method METHOD_TOKEN of the loaded module MODULE_PATH (a
 * method Edit and Continue added) by function evaluation on thread THREAD_ID (0: the
 * selected one) in frame FRAME (-1: the selected one; it becomes the selected frame), with
 * the frame's `this` as receiver unless IS_STATIC and, for each of PARAM_NAMES, the frame's
 * variable of that name (local, parameter, hoisted local) passed as it is, so that a `ref`
 * parameter refers to the variable itself and assignments stick. A name "?NAME" is one the
 * code does not use: when the frame has no such variable (an outer local a lambda did not
 * capture), a default value of the parameter's type (0, false, null) is passed instead. r->text: the result as
 * print shows it (NULL for void), r->message its type. flags: ENG_EVAL_HEX; max_children as
 * eng_evaluate_n. */
void eng_call_injected(EngSession *s, int thread_id, int frame, const char *module_path, uint32_t method_token,
                       int is_static, const char *const *param_names, int nparams, EngResult *r);
void eng_call_injected_ex(EngSession *s, int thread_id, int frame, const char *module_path, uint32_t method_token,
                          int is_static, const char *const *param_names, int nparams, int flags, int max_children,
                          EngResult *r);
/* Where frame FRAME (-1: the selected one; it becomes selected) of thread THREAD_ID (0: the
 * selected one) is, for code compiled to run there: its module's path, the method token,
 * the IL offset and the source position of the statement there. */
typedef struct EngFrameLocation {
    int      thread_id, frame;  /* the thread and frame it is (never 0 / -1) */
    char     module[1024];
    uint32_t token, il;
    char     file[1024];        /* the document as the PDB records it */
    uint32_t line, column;      /* 1-based */
    char     function[512];
} EngFrameLocation;
void eng_frame_location(EngSession *s, int thread_id, int frame, EngFrameLocation *out, EngResult *r);
/* Static fields and properties of a type, with their values (r->vars). */
void eng_statics(EngSession *s, const char *type, EngResult *r);
/* Function evaluation settings: implicit evaluation (getters, ToString) on/off, the timeout
 * before an evaluation is aborted, and whether a breakpoint inside an evaluation aborts it
 * (else it is ignored). -1 leaves a setting as it is. */
void eng_set_eval(EngSession *s, int implicit, int timeout_ms, int bp_abort, EngResult *r);
/* How values are shown (DAP's expressionEvaluationOptions): to_string 0 shows objects by type
 * name rather than their ToString(); raw_structure 1 puts DebuggerTypeProxy and
 * DebuggerDisplay aside. */
enum { ENG_EVDISP_SET = 0x100, ENG_EVDISP_NO_TO_STRING = 1, ENG_EVDISP_RAW = 2 };
void eng_set_eval_display(EngSession *s, int to_string, int raw_structure, EngResult *r);
/* Breakpoint conditions: EXPR (NULL or "" removes it), a hit-count condition (op '=' for
 * ==, '>' for >=, '%' for a multiple; 0 removes it), crossings to ignore, and a log message
 * ("text {expr}": the breakpoint prints it and does not stop; NULL or "" makes it stop again). */
void eng_bp_condition(EngSession *s, int id, const char *expr, EngResult *r);
void eng_bp_hit_condition(EngSession *s, int id, int op, unsigned count, EngResult *r);
void eng_bp_ignore(EngSession *s, int id, unsigned count, EngResult *r);
void eng_bp_log_message(EngSession *s, int id, const char *message, EngResult *r);

/* Browsing values (DAP). References (EngValue.ref) last until the program runs again; the
 * frame they were read in is selected when they are read. frame -1: the selected frame;
 * thread_id 0: the selected thread. flags: ENG_EVAL_HEX, ENG_EVAL_NO_SIDE_EFFECTS. */
/* The scopes of a frame: Locals, Arguments and, when the thread has one, Exception. */
void eng_scopes(EngSession *s, int thread_id, int frame, EngResult *r);
/* Children [start, start + count) of a reference (count 0: all, up to 1,000); r->id: how many
 * there are in all. */
void eng_variables(EngSession *s, int ref, size_t start, size_t count, int flags, EngResult *r);
/* Evaluate in a frame; r->values[0] is the result. */
void eng_evaluate_at(EngSession *s, int thread_id, int frame, const char *expr, int flags, EngResult *r);
/* Assign VALUE (an expression) to child NAME of reference ref, or (ref 0) to the expression
 * NAME in the frame; r->values[0] is the new value. */
void eng_set_value(EngSession *s, int ref, const char *name, int thread_id, int frame, const char *value,
                   int flags, EngResult *r);
/* Completions of TEXT (what precedes the cursor) in a frame: r->values with name the label,
 * type its kind ("variable", "field", "property", "method", "keyword"); r->id is the byte
 * offset in TEXT where the completed word starts. A receiver before `.` is evaluated
 * without calls. */
void eng_completions(EngSession *s, int thread_id, int frame, const char *text, EngResult *r);
/* The sequence points of FILE that start on lines [first, last], each a place FILE:LINE:COL
 * binds: r->lines holds four numbers per location (line, column, end line, end column).
 * Without a loaded module (before the program runs) the symbols of PROGRAM (an assembly
 * path, or an apphost beside its .dll; may be NULL) are read. */
void eng_breakpoint_locations(EngSession *s, const char *file, int first, int last, const char *program, EngResult *r);
/* Lines of FILE in [first, last] where a breakpoint binds on that very line (r->lines). */
void eng_breakpoint_lines(EngSession *s, const char *file, int first, int last, EngResult *r);

/* Source documents of a module's PDB (0: every module): r->text holds one
 * "MODULE_ID<TAB>PATH<TAB>EMBEDDED(0/1)" line per document. */
void eng_documents(EngSession *s, int module_id, EngResult *r);

/* The debugging mode of the next run or attach: managed (ICorDebug alone), mixed (ICorDebug
 * and cordbg's ptrace engine) or native (any ELF program, ptrace alone). */
void eng_set_mode(EngSession *s, EngMode mode, EngResult *r);
EngMode eng_mode(EngSession *s);
/* Native views (mixed and native sessions). Registers of the selected thread (r->vars:
 * name, value as "0x..."); 'a' general purpose, 'f' also FP/SSE. */
void eng_registers(EngSession *s, int all, EngResult *r);
/* Set register NAME ("rax", "pc", ...) of the selected thread. */
void eng_set_register(EngSession *s, const char *name, uint64_t value, EngResult *r);
/* LEN bytes at the address EXPR names ($reg, number, native function, with +/- offsets):
 * r->text holds them, r->id their count, r->message the address in hex. */
void eng_read_memory(EngSession *s, const char *expr, size_t len, EngResult *r);
/* Disassembly: COUNT instructions from EXPR (NULL: the selected frame's pc), or (count 0)
 * the whole function around it. r->text: one line per instruction, "=> " at the pc. */
void eng_disassemble(EngSession *s, const char *expr, int count, EngResult *r);
/* Low-level views for editors (lowlevel.c), in every mode (managed: through ICorDebug;
 * native code needs mixed or native mode). The program must be stopped.
 * Read LEN bytes at ADDR: r->text holds the r->id bytes readable from ADDR on (r->address),
 * r->unreadable how many after them could not be read. */
void eng_mem_read(EngSession *s, uint64_t addr, size_t len, EngResult *r);
/* Write LEN bytes at ADDR as the program sees its memory (cordbg's and the runtime's
 * breakpoint bytes stay in place, their saved bytes updated). r->id: bytes written. */
void eng_mem_write(EngSession *s, uint64_t addr, const void *data, size_t len, EngResult *r);
/* COUNT instructions starting INSN_OFFSET instructions from the one at ADDR (r->insns).
 * Instructions are decoded from a known start (the native function or the jitted method
 * holding ADDR); where none is known before ADDR, placeholders (invalid) fill the count. */
void eng_disasm_at(EngSession *s, uint64_t addr, long insn_offset, int count, int symbols, EngResult *r);
/* The registers of frame FRAME of thread THREAD_ID (r->vars, as eng_registers): in managed
 * mode those ICorDebug gives for a managed frame. Selects that thread and frame. */
void eng_frame_registers(EngSession *s, int thread_id, int frame, EngResult *r);

/* Mapped native libraries (r->modules, with start/end; has_symbols 2: DWARF, 1: symbols). */
void eng_shared_libraries(EngSession *s, EngResult *r);

/* Keep a thread suspended across continues (1) or let it run again (0). */
void eng_freeze_thread(EngSession *s, int thread_id, int freeze, EngResult *r);

/* Stop at the first line of the entry point on the next run. */
void eng_set_stop_at_entry(EngSession *s, int on, EngResult *r);
/* Step filtering (default on): step into does not stop in property accessors and operators. */
void eng_set_step_filtering(EngSession *s, int on, EngResult *r);
/* Just my code: first-chance and user-unhandled stops only in user code (default on). */
void eng_set_just_my_code(EngSession *s, int on, EngResult *r);
/* gdb's substitute-path, launch.json's sourceFileMap: the PDBs name sources under FROM,
 * which are under TO here; line breakpoints on TO/... bind to FROM/... (FROM NULL: forget
 * every pair). Pending breakpoints bind with it as modules load. */
void eng_source_map(EngSession *s, const char *from, const char *to, EngResult *r);
/* gdb's `directory DIR[:DIR...]`: where the sources the PDBs name are looked for when not at
 * their paths (DIR/path, then DIR/ each shorter tail of it); new ones first; NULL forgets
 * them. r->message: the list now. */
void eng_source_dirs(EngSession *s, const char *dirs, EngResult *r);
/* On (the default, as vsdbg): a line breakpoint in a file (given by its full path) whose
 * SHA-256 differs from the PDB's checksum of that document does not bind, and says why. */
void eng_set_require_exact_source(EngSession *s, int on, EngResult *r);
/* Directories searched for the PDB of a module that has none beside it or embedded
 * (launch.json symbolOptions.searchPaths; CLI set symbol-path): for modules loaded after. */
void eng_set_symbol_paths(const char *const *dirs, size_t n);
/* Tell each first-chance exception (EN_EXCEPTION_THROWN), stop or not: launch.json's
 * logging.exceptions. Off by default: it costs a look at every exception thrown. */
void eng_set_exception_log(EngSession *s, int on, EngResult *r);
/* Where separate debug files of native libraries are looked for (gdb's
 * debug-file-directory: DIR/.build-id/xx/rest.debug, DIR/<library's dir>/<debuglink>):
 * colon-separated, relative ones taken from cordbg's directory; "" restores /usr/lib/debug.
 * Symbols are read again at the next look-up. The directories in effect go to *out. */
int eng_set_debug_file_directory(const char *dirs, char *out, size_t cap);
/* Modules loaded from now on are compiled without JIT optimisation (launch.json
 * suppressJITOptimizations; CLI set jit-optimizations off). */
void eng_set_suppress_jit_optimizations(EngSession *s, int on, EngResult *r);

/* Breakpoints. LOCATION: FILE:LINE, MODULE!FILE:LINE, [Ns.]Type.Method[(types)],
 * MODULE!Method. Binds at once where its module is loaded, else stays pending. */
void eng_break(EngSession *s, const char *location, int temporary, EngResult *r);
void eng_delete_breakpoint(EngSession *s, int id /* 0: all */, EngResult *r);
void eng_enable_breakpoint(EngSession *s, int id, int enable, EngResult *r);
void eng_list_breakpoints(EngSession *s, EngResult *r);
/* Hardware watchpoints (mixed and native sessions) on native memory. EXPR: a C variable
 * (a local of the selected native frame, else a global or static), *ADDRESS (8 bytes) or
 * *(TYPE *)ADDRESS, optionally after -l / -location. kind 'w' write, 'r' read, 'a' access.
 * r->id: its number; r->message: "Hardware watchpoint 2: EXPR". With check set nothing is
 * made: r->message is "ADDRESS LEN ENC TYPE" of what EXPR names (DAP's dataBreakpointInfo). */
void eng_watch(EngSession *s, const char *expr, int kind, int check, EngResult *r);
/* The same on memory already resolved (what check said): LEN bytes at ADDR shown as ENC,
 * LABEL naming it in the stop's lines. */
void eng_watch_at(EngSession *s, const char *label, uint64_t addr, int len, char enc, int kind, EngResult *r);
/* Exception stops. kind: "throw" (types: space-separated filter, may be empty),
 * "user-unhandled", "unhandled"; on: 1 / 0. kind NULL: just report the settings. */
void eng_catch(EngSession *s, const char *kind, const char *types, int on, EngResult *r);

/* ---- Edit and Continue (encapply.c) ----
 * Modules of the user's code are loaded with EnC enabled (JIT flags at module load;
 * DOTNET_MODIFIABLE_ASSEMBLIES=debug for a launch) unless it is turned off. The text of
 * each of their documents that matched the PDB at load is kept ("committed"): what the
 * program runs; a change is the difference between it and the file on disk. */
void eng_set_edit_and_continue(EngSession *s, int on, EngResult *r);

/* 1-based runs of lines unchanged between a document's old and new text. */
typedef struct EngEncLineRun { uint32_t old_line, new_line, count; } EngEncLineRun;
typedef struct EngEncLineMap {
    const char          *path;          /* the document as the PDB names it */
    const EngEncLineRun *runs;
    size_t               nruns;
} EngEncLineMap;

/* One module's change, as the compiler's EnC emit gives it. */
typedef struct EngEncDelta {
    const char     *module;             /* the module's path as loaded */
    const uint8_t  *metadata; size_t metadata_len;
    const uint8_t  *il;       size_t il_len;
    const uint8_t  *pdb;      size_t pdb_len;    /* portable PDB delta (may be empty) */
    const uint32_t *updated_methods; size_t nupdated_methods;   /* MethodDef tokens */
    const uint32_t *added_methods;   size_t nadded_methods;
    const uint32_t *updated_types;   size_t nupdated_types;     /* TypeDef tokens */
    const EngEncLineMap *line_maps;  size_t nline_maps;
} EngEncDelta;

/* Apply a delta to the live program: stopped, or running (it is paused, changed, resumed).
 * Breakpoints of the edited documents follow their lines; frames in an edited method move
 * to its new body at their next sequence point (function remap). r->message: what was
 * applied ("1 method updated, 1 added"); on failure r->err, the program as it was. */
void eng_enc_apply(EngSession *s, const EngEncDelta *d, EngResult *r);

/* A document the program was built from, with the text it runs now. */
typedef struct EngEncDoc {
    char   *path;                       /* as the PDB names it */
    char   *text;                       /* committed text; NULL when unknown (the file did
                                         * not match the PDB when the module loaded) */
    size_t  len;
} EngEncDoc;
typedef struct EngEncModule {
    int        id;
    char      *path;                    /* the module (assembly) */
    char      *pdb;                     /* its PDB ("embedded" or a path), NULL: none */
    int        editable;                /* loaded with EnC enabled */
    char       why[256];                /* !editable: why not */
    EngEncDoc *docs;  size_t ndocs;
} EngEncModule;
/* Every module with symbols and its documents' committed texts (malloc'ed copies). */
int  eng_enc_modules(EngSession *s, EngEncModule **out, size_t *n, char *err, size_t cap);
void eng_enc_modules_free(EngEncModule *m, size_t n);
/* After a successful apply: TEXT (len bytes) is what document PATH of the module runs now. */
void eng_enc_commit_text(EngSession *s, const char *module, const char *path, const char *text,
                         size_t len, EngResult *r);

/* ---- Post-mortem (core.c, gcore.c) ----
 * Open core dump CORE (PROGRAM: the app .dll or apphost it ran, may be NULL: found from the
 * core) as a session that is stopped for good: the state is ENG_STOPPED with
 * eng_is_core(); every view that reads state works, whatever needs the process to run
 * (continue, step, breakpoints, function evaluation, writes) fails saying so. r->message
 * says what the core is ("core of process 1234 (dotnet App.dll): killed by SIGABRT,
 * runtime 10.0.12"); an EN_STOPPED notice shows the crash moment (the thread with an
 * unhandled exception at its throwing frame, else the thread that got the signal). A core
 * of a process without a .NET runtime opens with native views only (mode native). */
void eng_open_core(EngSession *s, const char *core, const char *program, EngResult *r);
/* 1 while the session is a core dump. */
int  eng_is_core(EngSession *s);
/* Write a core dump of the stopped live process to PATH (NULL: core.PID in the current
 * directory) that eng_open_core opens with the same stacks and values. r->message: the path
 * and its size. */
void eng_generate_core(EngSession *s, const char *path, EngResult *r);

#endif
