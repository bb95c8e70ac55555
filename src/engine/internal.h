/* Engine internals shared by its files (session.c: thread, queue, events, process life;
 * breakpoints.c: breakpoints and their binding; where.c: frames to source positions).
 * Everything here is touched by the engine thread only, except the fields above the
 * "owned by the engine thread" line of EngSession, which are guarded by mu. */
#ifndef CORDBG_ENGINE_INTERNAL_H
#define CORDBG_ENGINE_INTERNAL_H
#include "engine/session.h"
#include "base/vec.h"
#include "clr/callback.h"
#include "clr/dbi.h"
#include "clr/launch.h"
#include "clr/lifeline.h"
#include "clr/watch.h"
#include "eval/evhost.h"
#include "meta/symbols.h"
#include "native/nt.h"

#include <pthread.h>

typedef enum ReqKind {
    REQ_RUN, REQ_ATTACH, REQ_CONTINUE, REQ_KILL, REQ_DETACH, REQ_THREADS, REQ_MODULES,
    REQ_VERBOSE, REQ_SHUTDOWN, REQ_ENTRY, REQ_JMC, REQ_BREAK, REQ_DELETE, REQ_ENABLE,
    REQ_LIST_BPS, REQ_CATCH, REQ_PAUSE, REQ_TERMINATE, REQ_BACKTRACE, REQ_SELECT_THREAD,
    REQ_SELECT_FRAME, REQ_FREEZE, REQ_STEP, REQ_JUMP, REQ_SOURCE, REQ_STEPFILTER, REQ_VARS,
    REQ_EVALUATE, REQ_STATICS, REQ_EVAL_SETTINGS, REQ_BP_CONDITION, REQ_BP_HITS, REQ_BP_IGNORE,
    REQ_BP_LOG, REQ_SCOPES, REQ_VARIABLES, REQ_EVAL_REF, REQ_SET_VALUE, REQ_BP_LINES, REQ_DOCUMENTS,
    REQ_MODE, REQ_REGS, REQ_MEMORY, REQ_DISASM, REQ_SHLIBS, REQ_SET_REG,
    REQ_COMPLETE, REQ_BP_LOCS, REQ_STEP_TARGETS,
    REQ_SRCMAP, REQ_EXACTSRC, REQ_NOJITOPT, REQ_EXCLOG, REQ_SRCDIRS,
    REQ_LOWLEVEL,
    REQ_WATCH,
    REQ_ENC_SET, REQ_ENC_APPLY, REQ_ENC_MODULES, REQ_ENC_COMMIT,
    REQ_CALL_INJECTED, REQ_FRAME_LOCATION,
    REQ_OPEN_CORE, REQ_GEN_CORE,
} ReqKind;

/* What each request carries: arg.<member> named after its kind (REQ_BREAK: arg.brk); kinds
 * that carry nothing have none. Strings belong to the requester, who waits (only REQ_PAUSE
 * is posted without waiting, and it carries none). */
typedef union ReqArgs {
    struct { const EngLaunchArgs *args; } run;                      /* REQ_RUN */
    struct { int pid; } attach;                                     /* REQ_ATTACH */
    struct { int on; } verbose, entry, jmc, stepfilter, exactsrc, nojitopt, exclog; /* REQ_VERBOSE, _ENTRY, _JMC, _STEPFILTER, _EXACTSRC, _NOJITOPT, _EXCLOG */
    struct { int thread_id; /* 0: every thread */ } pause;          /* REQ_PAUSE */
    struct { const char *location; int temporary; } brk;            /* REQ_BREAK */
    struct { const char *from, *to; /* from NULL: clear */ } srcmap; /* REQ_SRCMAP */
    struct { const char *dirs; /* NULL: forget all */ } srcdirs;    /* REQ_SRCDIRS */
    struct { int id; /* 0: all */ } del;                            /* REQ_DELETE */
    struct { int id, enable; } enable;                              /* REQ_ENABLE */
    struct { const char *kind, *types; int on; } catches;           /* REQ_CATCH */
    struct { int limit; /* 0: all */ int thread_id; /* 0: the selected */ } backtrace; /* REQ_BACKTRACE */
    struct { int thread_id; } select_thread;                        /* REQ_SELECT_THREAD */
    struct { int index, relative; } select_frame;                   /* REQ_SELECT_FRAME */
    struct { int thread_id, freeze; } freeze;                       /* REQ_FREEZE */
    struct { int kind; /* 'i' 'o' 'u', 'I' 'N' */
             char target[512]; /* 'i': the call to stop in (eng_step_into_start) */ } step; /* REQ_STEP */
    struct { int line, relative; } jump;                            /* REQ_JUMP */
    struct { const char *where; /* NULL: the selected frame */ } source; /* REQ_SOURCE */
    struct { int kind; /* 'a' arguments, 'l' locals */ } vars;      /* REQ_VARS */
    struct { const char *expr; int flags, max_children; } evaluate; /* REQ_EVALUATE */
    struct { const char *type; } statics;                           /* REQ_STATICS */
    struct { int implicit, timeout_ms, bp_abort; /* < 0 (timeout <= 0): unchanged */
             int display; /* ENG_EVDISP_* flags; 0: unchanged */ } eval_settings; /* REQ_EVAL_SETTINGS */
    struct { int id; const char *expr; } bp_condition;              /* REQ_BP_CONDITION */
    struct { int id, op; unsigned count; } bp_hits;                 /* REQ_BP_HITS */
    struct { int id; unsigned count; } bp_ignore;                   /* REQ_BP_IGNORE */
    struct { int id; const char *message; } bp_log;                 /* REQ_BP_LOG */
    struct { int thread_id, frame; } scopes;                        /* REQ_SCOPES */
    struct { int ref; size_t start, count; int flags; } variables;  /* REQ_VARIABLES */
    struct { int thread_id, frame; const char *expr; int flags; } eval_ref; /* REQ_EVAL_REF */
    struct { int ref; const char *name; int thread_id, frame; const char *value; int flags; } set_value; /* REQ_SET_VALUE */
    struct { const char *file; int first, last; } bp_lines;         /* REQ_BP_LINES */
    struct { int module_id; /* 0: every module */ } documents;      /* REQ_DOCUMENTS */
    struct { int mode; /* ENG_MODE_* */ } mode;                     /* REQ_MODE */
    struct { int all; } regs;                                       /* REQ_REGS */
    struct { const char *expr; size_t len; } memory;                /* REQ_MEMORY */
    struct { const char *expr; int count; } disasm;                 /* REQ_DISASM */
    struct { const char *name; uint64_t value; } set_reg;           /* REQ_SET_REG */
    struct { int thread_id, frame; const char *text; } complete;    /* REQ_COMPLETE */
    struct { const char *file; int first, last; const char *program; } bp_locs; /* REQ_BP_LOCS */
    struct { int thread_id; } step_targets;                         /* REQ_STEP_TARGETS */
    struct { int op; /* LL_* (lowlevel.c) */ uint64_t addr; long offset; int count, symbols;
             const void *data; size_t len; int thread_id, frame; } ll; /* REQ_LOWLEVEL */
    struct { const char *expr; int kind, check;
             uint64_t addr; int len; char enc; /* len > 0: this memory, expr its label */ } watch; /* REQ_WATCH */
    struct { int on; } enc_set;                                     /* REQ_ENC_SET */
    struct { const EngEncDelta *d; } enc_apply;                     /* REQ_ENC_APPLY */
    struct { EngEncModule **out; size_t *n; } enc_modules;          /* REQ_ENC_MODULES */
    struct { const char *module, *path, *text; size_t len; } enc_commit; /* REQ_ENC_COMMIT */
    struct { int thread_id, frame; const char *module; uint32_t token; int is_static;
             const char *const *names; int nparams; int flags, max_children; } call_injected; /* REQ_CALL_INJECTED */
    struct { int thread_id, frame; EngFrameLocation *out; } frame_location;   /* REQ_FRAME_LOCATION */
    struct { const char *core, *program; } open_core;               /* REQ_OPEN_CORE */
    struct { const char *path; /* NULL: core.PID */ } gen_core;     /* REQ_GEN_CORE */
} ReqArgs;

typedef struct Request {
    ReqKind kind;
    ReqArgs arg;
    EngResult *res;
    int done;
    int async;              /* nobody waits: the engine frees it (with its own result) */
    int abandoned;          /* (mu) started with eng_*_start, then given up: freed when done */
    EngResult own;
    struct Request *next;
} Request;

typedef struct Thread {
    int id;
    uint32_t tid;
    int frozen;
    ICorDebugThread *t;
    ICorDebugEval *stuck_eval;  /* an evaluation the runtime could not abort, still running here */
} Thread;

typedef struct Module {
    int id;
    ICorDebugModule *m;
    char *path;
    char name[256];         /* file name without .dll: what MODULE! matches */
    char *symbols;          /* where its PDB is; NULL when none was found */
    int dynamic;
    int sym_state;          /* 0 not opened yet, 1 opened (sym), -1 failed or none */
    PdbModule *sym;
    int user_code;          /* has symbols: just-my-code counts it as the user's */
    int enc;                /* loaded with Edit and Continue enabled (encapply.c) */
    char enc_why[200];      /* !enc: why not */
    struct EncText { char *path; char *text; size_t len; } *enc_texts; /* committed texts */
    size_t nenc_texts;
    unsigned enc_applied;   /* deltas applied to it */
} Module;

typedef struct BpBinding {
    int module_id;
    uint32_t token, il, line;
    uint32_t attrs;         /* the method's debugger attributes (eng_bp_method_attrs) */
    ICorDebugFunctionBreakpoint *bp;
    int by_address;         /* an instruction breakpoint at a native offset of jitted code
                             * (lowlevel.c): shared with no IL-offset breakpoint */
} BpBinding;

typedef struct Breakpoint {
    int id;
    int is_line;            /* FILE:LINE, else a method name */
    char *spec;             /* as given */
    char *module;           /* MODULE! filter, or NULL */
    char *file;             /* is_line */
    uint32_t line;
    uint32_t col;           /* FILE:LINE:COL: only the sequence point at that column (0: the line's first) */
    char *method;           /* !is_line */
    int enabled, temporary, internal;   /* internal: the entry stop's, not listed */
    int native;             /* a native location (native.c): the tracer binds it */
    int native_bound;       /* it has code (its bound notice was given) */
    unsigned hits;
    char *condition;        /* C# expression, or NULL */
    int hit_op;             /* '=', '>', '%' or 0 */
    unsigned hit_count;
    unsigned ignore;        /* crossings still to ignore */
    char *log_message;      /* log point: print this and go on; NULL for a stop */
    BpBinding *b; size_t nb, capb;
    char note[512];
    int watch;              /* a hardware watchpoint (nwatch.c): 'w', 'r', 'a'; 0: a breakpoint */
    uint64_t waddr;
    int wlen;
    char wenc;              /* NsVar.enc: how its value prints */
} Breakpoint;

typedef struct VarRef VarRef;     /* vars.c */

/* Return values (retval.c): a breakpoint at the place a call's return value can be read,
 * and a value read there, as text. */
typedef struct RetBp {
    ICorDebugFunctionBreakpoint *bp;
    uint32_t il, callee;        /* the call's IL offset and its method token */
} RetBp;
typedef struct RetVal {
    char name[256];             /* "Ns.Type.Method" */
    char value[512];
} RetVal;

typedef struct AppDomain {
    int id;
    ICorDebugAppDomain *ad;
} AppDomain;

struct EngSession {
    pthread_t       thread;
    pthread_mutex_t mu;
    pthread_cond_t  cv;            /* wakes the engine thread: a new event or request */
    pthread_cond_t  done_cv;       /* wakes requesters: a request is done */
    ClrEvent       *ev_head, *ev_tail;
    Request        *rq_head, *rq_tail;
    int             quit;

    EngNotifyFn notify;
    void       *notify_ctx;

    /* Owned by the engine thread from here on. */
    EngState     state;
    ClrDbi       dbi;
    ICorDebug   *cordb;
    ClrCallback *callback;
    ClrWatch    *watch;            /* notices the process's end when the runtime cannot */
    unsigned     generation;       /* of the current debugging session; events of older ones are dropped */
    struct Retired { unsigned generation; ICorDebug *cordb; ClrCallback *callback; } *retired;
    size_t       nretired, cap_retired; /* ICorDebugs whose process ended before the runtime said so */
    ICorDebugProcess *process;
    int          pid;
    int          launched;         /* cordbg started it: exit status comes from its keeper */
    ClrLaunch    launch;           /* valid while launched */
    ClrLifeline  lifeline;         /* attached: ends the runtime's session if cordbg dies (pid 0: none) */
    int          killing;          /* Terminate sent: report "killed" at ExitProcess */
    int          held;             /* Continues owed: one per stop event held and per Stop() */
    struct StopCall *stop_call;    /* a Stop() in flight on its own thread (stopper.c): late */
    int          stop_abandoned;   /* a Stop() never answered: the process ends without the runtime */
    ICorDebugStepper *stepper;     /* the step in progress (step.c), or NULL */
    int          step_kind, step_thread, step_hops;
    uint32_t     step_start_token, step_start_il; /* where the step began (Edit and Continue's remap) */
    int          enc_restep;       /* a remap moved the stepped frame: 1 step again, 2 the step ends (encapply.c) */
    int          step_then;        /* after a step out of a filtered accessor: step on ('i') */
    char         step_target[512]; /* step into this call of the statement (its name), out of the others */
    int          step_origin_module; uint32_t step_origin_token;  /* the method a targeted step started in */
    RetBp       *retbps;  size_t nretbps, cap_retbps;   /* the step over's call sites (retval.c) */
    CORDB_ADDRESS retbp_frame;     /* ... in the frame starting there */
    uint32_t     retbp_token;      /* ... of that method */
    RetVal       retvals[8];  size_t nretvals;          /* what the last step saw returned */
    int          retval_thread;    /* on that thread */
    ICorDebugFunctionBreakpoint **async_bps; size_t nasync_bps, cap_async_bps; /* resume points */
    ICorDebugHandleValue *async_this;  /* the stepped state machine (strong handle) */
    uint32_t     async_method;     /* its MoveNext token */
    int          async_finish;     /* finish out of an async method (1), its task still to
                                    * come (2) (step.c) */
    int          async_notify;     /* 1 + index in async_bps of the stepped method's task's wait
                                    * notification breakpoint; 0: none */
    int          step_filtering;   /* step into does not stop in property accessors and operators */
    Request     *waiting;          /* run/continue/attach/kill: completes at the next stop or exit */
    int          verbose_events;
    int          next_thread_id, next_module_id, next_appdomain_id;
    int          current_thread;   /* id of the thread of the last stop, 0 if none */
    int          current_frame;    /* selected frame of that thread (0: top) */
    Thread      *threads;   size_t nthreads, cap_threads;
    Module      *modules;   size_t nmodules, cap_modules;
    AppDomain   *domains;   size_t ndomains, cap_domains;
    Breakpoint  *bps;       size_t nbps, cap_bps;
    int          next_bp_id;
    int          stop_at_entry, just_my_code;
    char       **map_from, **map_to; /* substitute-path / sourceFileMap: build path prefix -> local */
    size_t       nmap;
    char       **src_dirs;         /* gdb's `directory`: where sources the PDBs name are looked for */
    size_t       nsrc_dirs;
    int          require_exact_source; /* a line breakpoint binds only in a file the PDB's checksum matches */
    int          suppress_jit_opt;  /* modules load with JIT optimisation off (suppressJITOptimizations) */
    int          log_exceptions;    /* every first-chance exception is told (logging.exceptions) */
    uint64_t     exit_deadline_ms;  /* killed with a wedged runtime debugger: when to stop waiting
                                     * for its ExitProcess (CLOCK_MONOTONIC ms; 0: none) */
    int          entry_set;        /* the entry breakpoint of this run is placed */
    char         program_real[4096]; /* realpath of what `run` started */
    uint32_t     user_throw_tid;   /* thread whose exception was thrown in user code (user-unhandled) */
    uint32_t     user_first_tid;   /* thread whose exception has had its first-chance stop chance in user code */
    uint64_t     unhandled_exc;    /* exception stopped for as unhandled at its throw in async code: its
                                    * final unhandled event (the <Main> rethrow) makes no second stop */
    unsigned     unhandled_exc_gen; /* the debugging session it belongs to */
    EngCatchInfo catches;
    /* Function evaluation (funceval.c). */
    int          funceval;         /* implicit evaluation (getters, ToString) while showing values */
    int          no_to_string;     /* objects shown by type name, not their ToString() (allowToString false) */
    int          raw_structure;    /* no DebuggerTypeProxy / DebuggerDisplay (showRawStructure) */
    int          eval_timeout_ms;  /* then Abort (running) or every thread runs (waiting): funceval.c */
    int          eval_bp_abort;    /* a breakpoint hit inside an evaluation aborts it (else ignored) */
    ICorDebugEval *eval_active;    /* the evaluation running now: stop events are answered */
    int          eval_hit_bp;      /* a user breakpoint it hit (id), 0 if none */
    int          wedged;           /* the runtime's debugger stopped answering (an abort that never
                                    * returned): only kill is possible */
    int          display_next;     /* auto-display expressions (display): next id */
    struct Display { int id; char *expr; } *displays; size_t ndisplays, cap_displays;
    VarRef      *vrefs;  size_t nvrefs, cap_vrefs;  /* variable references of this stop (vars.c) */
    /* The native side (native.c): mixed and native sessions. */
    int          mode;             /* ENG_MODE_*: of the next run or attach */
    NtProc      *nt;               /* the tracer, while a mixed or native process lives */
    struct NativeStop {
        int active;                /* stopped by a native event: its thread is frozen */
        int tid;
        uint64_t pc;
        int execs;                 /* exec events seen in this process */
    } nstop;
    ClrEvent    *nt_pending;       /* a native stop that came while managed-stopped: next */
    struct NThread { int id; uint32_t tid; } *nthr; size_t nnthr, cap_nthr; /* threads ICorDebug does not know */
    ICorDebugFunctionBreakpoint **xbps; size_t nxbps, cap_xbps;  /* managed breakpoints ending a step from native code */
    EngState     public_state;     /* mirror of state readable by front ends under mu */
    int          public_pid, public_launched;
    int          public_core;      /* mirror of core != NULL (eng_is_core) */
    /* The last stop, when it was a breakpoint's and nothing but a continue came since: a
     * Debugger.Break() on its line is not another stop (session.c, on_breakpoint). */
    struct BpStop { int active; uint32_t tid; int module_id; uint32_t token, line; } bp_stop;
    /* Edit and Continue (encapply.c). */
    int          enc_on;           /* modules load with EnC enabled (default 1; CORDBG_ENC=0) */
    int          runtime_major;    /* the debuggee's runtime: 8, 9, 10 (0: unknown) */
    struct EncLineMapSaved *enc_maps; size_t nenc_maps; /* line maps of every apply (remap) */
    unsigned     enc_remaps;       /* remaps done (for the result's words) */
    /* Post-mortem (core.c): the core dump this session is, or NULL for a live session. */
    struct CoreFile *core;
    struct ClrDataTarget *core_dt; /* the right side's view of it (clr/datatarget.h) */
    int          core_saved_funceval; /* s->funceval before the core (none runs in one) */
};


/* session.c, for funceval.c: the next event, waiting until deadline (CLOCK_REALTIME;
 * NULL: forever); NULL on timeout. And the decision on one event, as the main loop makes it. */
struct timespec;
ClrEvent *eng_wait_event(EngSession *s, const struct timespec *deadline);
void eng_handle_event(EngSession *s, ClrEvent *ev);
/* Continue the process once for every hold; s->held becomes 0. */
void eng_release_holds(EngSession *s);
/* ICorDebug Stop, waiting at most ms (stopper.c): 0 synchronized (held++), 1 late (no
 * answer yet: eng_stop_late, its answer comes as a CE_NATIVE event with aux NULL), -1 failed. */
typedef struct StopCall StopCall;
int  eng_stop(EngSession *s, int ms, HRESULT *hr);
int  eng_stop_wait_ms(void);       /* the wait: 2000 ms, or CORDBG_STOP_WAIT_MS */
int  eng_stop_late(EngSession *s);
void eng_stop_collect(EngSession *s);          /* the late Stop answered: take it */
void eng_stop_end(EngSession *s, int ms);      /* the process is going: wait for it, or abandon it */
void native_stop_synced(EngSession *s);        /* a native stop's managed side is synchronized */

/* funceval.c: an event that arrives while an evaluation runs and must not stop the
 * program (breakpoints, steps, exceptions inside the evaluated code): 1 = just Continue. */
int funceval_filter_event(EngSession *s, ClrEvent *ev);
/* An EvalComplete/EvalException of an evaluation that could not be aborted: its thread is
 * free again. 1 when it was one. */
int funceval_stuck_done(EngSession *s, ClrEvent *ev);

/* session.c, for native.c: state changes, the end of a waiting request, the end of the
 * process, and what a stop notice says. */
void eng_set_state(EngSession *s, EngState st);
void eng_finish_waiting(EngSession *s);
void eng_report_exit(EngSession *s, int known, int status);
void eng_complete(EngSession *s, Request *rq);

/* session.c: queue an event for the engine thread (any thread); stamp: give it the
 * current session's generation (events of cordbg's own, not the runtime's). */
void eng_post_event(EngSession *s, ClrEvent *ev, int stamp);

/* native.c */
void native_event(EngSession *s, ClrEvent *ev);         /* CE_NATIVE */
/* 1 when the request was a native one, or one a native stop answers (handled then). */
int  native_request(EngSession *s, Request *rq);
/* Launch hook: trace the held child (mixed/native runs). */
int  native_before_exec(void *ctx, int pid, char *err, size_t cap);
int  native_begin(EngSession *s, char *err, size_t cap);  /* a tracer for the next process */
void native_end(EngSession *s);                           /* the process is gone or left */
/* Mixed mode: a managed stop happened: forget step targets armed for it. */
void native_managed_stop(EngSession *s);
/* Mixed mode, managed step into: arm the native step targets (every user native function). */
void native_arm_step_into(EngSession *s, uint32_t tid);
/* A managed breakpoint that ends a step from native code: 1 when it was (the stop is made). */
int  native_xbp_hit(EngSession *s, ClrEvent *ev);
/* breakpoints.c: is this a native location (mixed and native sessions)? */
int  bp_is_native_spec(EngSession *s, const Breakpoint *bp);
/* Pending native breakpoints that bound after a library load: EN_BREAKPOINT_BOUND each. */
void bp_native_bound(EngSession *s);
/* Give the tracer every native breakpoint (a new process). */
void bp_native_push(EngSession *s);
/* stack.c: one visit per native frame of an unmanaged chain (mixed mode). */
struct NsFrame;
void native_describe_frame(EngSession *s, const struct NsFrame *nf, EngFrameInfo *fi);
/* The native frames of an unmanaged chain: from the frozen thread's registers when it is
 * the top chain of the stopped thread, else from the chain's register set. malloc'ed. */
int  native_chain_frames(EngSession *s, ICorDebugThread *t, ICorDebugChain *chain, int first, NsFrame **out);
/* Native frames unwound with CFI from registers r (e.g. a core's thread, or the context a
 * managed stack walk gives at a native stretch), up to (not including) the first address
 * no module covers (jitted code); frame 0 always. *out malloc'ed; returns the count. */
int  native_frames_from_regs(EngSession *s, const NtRegs *r, NsFrame **out);
/* The same from where a V3 stack walk stands (ICorDebugStackWalk::GetFrame gave no frame:
 * a native stretch), for core sessions where chains do not exist: the user native frames
 * of the stretch (0 when it is only the runtime's own code). *out malloc'ed. */
int  native_stackwalk_frames(EngSession *s, ICorDebugStackWalk *sw, NsFrame **out);
int  native_thread_id(EngSession *s, uint32_t tid);
uint64_t eng_native_caller_pc(EngSession *s, ICorDebugThread *t);
/* nwatch.c: REQ_WATCH; the lines of a watchpoint stop; watchpoints dropped with the process. */
void native_watch_request(EngSession *s, Request *rq);
void native_watch_text(EngSession *s, const NtEvent *ev, char *out, size_t cap);
void native_watch_forget(EngSession *s);
/* native.c, for nwatch.c: an address expression (as x takes it); the selected native frame's
 * pc (for a scope lookup: a return address minus 1 above frame 0), cfa and rbp. 0 or -1. */
int  native_eval_address(EngSession *s, const char *text, uint64_t *out, char *err, size_t cap);
int  native_selected_frame(EngSession *s, uint64_t *pc, uint64_t *cfa, uint64_t *rbp);

/* lowlevel.c: REQ_LOWLEVEL (memory, disassembly, registers for editors). */
enum { LL_READ = 1, LL_WRITE, LL_DISASM, LL_REGS };
void lowlevel_request(EngSession *s, Request *rq);
/* An instruction breakpoint (*ADDRESS) in jitted code of module m: a breakpoint at that
 * native offset of the method's code. 1 bound, 0 not in m, -1 with err. */
int  lowlevel_bind_address(EngSession *s, Breakpoint *bp, Module *m, char *err, size_t cap);
/* A managed instruction step of thread t ('I' into calls, 'N' over them): a stepper whose
 * range is the native bytes of the current instruction. 0, or -1 with err. */
int  lowlevel_step_instruction(EngSession *s, ICorDebugThread *t, int kind, char *err, size_t cap);
/* Mixed mode: is ADDRESS in code no native module covers (jitted code)? */
int  lowlevel_addr_is_jitted(EngSession *s, const char *spec);
/* The frame's instruction pointer (jitted code), 0 when it has none. */
uint64_t lowlevel_frame_ip(ICorDebugFrame *f);
/* Where a value's bytes are (EngValue.address); 0 when it has no address. */
uint64_t lowlevel_value_address(ICorDebugValue *v);

/* evhost.c: the evaluator's frame context (eval/evhost.h), served by this session. */
struct EvCtx;
extern const EvHost eng_evhost;
/* An evaluation context on the selected thread and frame, with the session's settings; -1
 * and c->err when there is none (the program runs, no thread...). ev_done ends it either way. */
int eng_eval_init(struct EvCtx *c, EngSession *s);
/* One for the engine's own look at values (t's top frame; t NULL: no frame; no function
 * evaluation, no side effects): what exceptions.c, where.c... read without a request. */
int eng_eval_init_on(struct EvCtx *c, EngSession *s, ICorDebugThread *t);
/* funceval.c: EvHost.run_eval (through this event loop) and EvHost.eval_ready. */
int eng_run_eval(struct EvCtx *c, ICorDebugEval *e, ICorDebugValue **result);
int eng_eval_ready(struct EvCtx *c);

/* session.c: fail a request with a one-line reason. */
void eng_fail(Request *rq, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* threads.c */
void req_threads(EngSession *s, Request *rq);
void req_backtrace(EngSession *s, Request *rq);
void req_select_thread(EngSession *s, Request *rq);
void req_select_frame(EngSession *s, Request *rq);
void req_freeze(EngSession *s, Request *rq);

void eng_notify(EngSession *s, EngNotice *n);
void eng_notify_error(EngSession *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
Module *eng_module_by_iface(EngSession *s, ICorDebugModule *m);
Module *eng_module_by_id(EngSession *s, int id);
/* The module's symbols, opened on first use; NULL when it has none (want_metadata: open a
 * module without a PDB too, for its metadata alone). */
PdbModule *eng_module_symbols(EngSession *s, Module *m, int want_metadata);

/* breakpoints.c */
void bp_request(EngSession *s, Request *rq);        /* REQ_BREAK .. REQ_LIST_BPS */
void bp_module_loaded(EngSession *s, Module *m);    /* bind pending breakpoints */
void bp_module_unloaded(EngSession *s, Module *m);  /* unbind: pending again */
/* Edit and Continue: bind bp again in m (its new code; bp->line already moved). */
void bp_enc_rebind(EngSession *s, Breakpoint *bp, Module *m);
void bp_process_gone(EngSession *s);                /* every breakpoint pending again */
/* The breakpoint an ICorDebug breakpoint belongs to, and which of its bindings; NULL if
 * none (e.g. deleted). */
Breakpoint *bp_find_hit(EngSession *s, ICorDebugBreakpoint *bp, size_t *binding);
/* Every breakpoint bound to that ICorDebug breakpoint (they share one per place), by id in
 * the order they were made (the entry stop's: id 0); at most cap. */
size_t bp_hit_ids(EngSession *s, ICorDebugBreakpoint *hit, int *ids, size_t cap);
/* Breakpoint `id` if it is still bound to hit (and which binding), else NULL. */
Breakpoint *bp_hit_by_id(EngSession *s, int id, ICorDebugBreakpoint *hit, size_t *binding);
void bp_delete(EngSession *s, Breakpoint *bp);
void bp_free_all(EngSession *s);
/* Set the entry stop's breakpoint in the module with the program's entry point. */
void bp_entry_module_loaded(EngSession *s, Module *m);

/* step.c */
void step_request(EngSession *s, Request *rq);      /* REQ_STEP: arg.step.kind 'i', 'o' or 'u' */
int  step_complete(EngSession *s, ClrEvent *ev);    /* 1: handled */
void step_cancel(EngSession *s);
/* The step in progress again, of the same kind, from where thread t is now (its frame
 * moved to an edited method's new body). 0, or -1 with err. */
int  step_rearm(EngSession *s, ICorDebugThread *t, char *err, size_t cap);
/* Return values (retval.c). A step over of IL [il_start, il_end) in t's active frame: a
 * breakpoint where each call's return value can be read. */
void retval_arm_step_over(EngSession *s, ICorDebugThread *t, uint32_t il_start, uint32_t il_end);
/* A hit of one of those: the value read (when in the stepped frame); 1 when it was one. */
int retval_breakpoint(EngSession *s, ClrEvent *ev);
/* After a step out (or a step over that left frame `left`, its stack start; 0: a step out):
 * the value the call that returned here gave, when the runtime has it. */
void retval_after_step_out(EngSession *s, ICorDebugThread *t, CORDB_ADDRESS left);
void retval_forget_bps(EngSession *s);
void retval_clear(EngSession *s);
/* REQ_STEP_TARGETS: the calls (call, callvirt, newobj) of the statement at the selected frame of
 * arg.step_targets.thread_id, as r->values (name: the callee "Ns.Type.Method"), in IL order. */
void retval_step_targets(EngSession *s, Request *rq);
/* The name a step target carries for a method ("Ns.Type.Method"); "" when unknown. */
void retval_method_name(EngSession *s, int module_id, uint32_t token, char *out, size_t cap);
/* "Ns.Type.M returned 42" lines into out; the number of values. */
size_t retval_lines(EngSession *s, char *out, size_t cap);
void step_jump(EngSession *s, Request *rq);         /* REQ_JUMP: arg.jump */
int  step_async_resume(EngSession *s, ClrEvent *ev);  /* a breakpoint event: 1 when it was a resume point */

/* inspect.c: REQ_VARS (arg.vars.kind 'a' arguments, 'l' locals of the selected frame), REQ_EVALUATE,
 * REQ_STATICS, REQ_EVAL_SETTINGS. */
void vars_request(EngSession *s, Request *rq);
void inspect_request(EngSession *s, Request *rq);
void funceval_request(EngSession *s, Request *rq);     /* REQ_CALL_INJECTED, REQ_FRAME_LOCATION (funceval.c) */
/* A breakpoint was crossed on thread t: decide with its condition, hit count and log message.
 * 1: stop (*why set when its condition could not be evaluated), 0: go on. The process is
 * held by the event (s->held 0) and is again on return. */
int inspect_breakpoint_hit(EngSession *s, Breakpoint *bp, ICorDebugThread *t, char *why, size_t cap);

/* vars.c: REQ_SCOPES, REQ_VARIABLES, REQ_EVAL_REF, REQ_SET_VALUE; and the end of every
 * reference when the program runs again (handles disposed). */
void varref_request(EngSession *s, Request *rq);
void vars_clear(EngSession *s);
/* threads.c */
Thread *eng_thread_by_id(EngSession *s, int id);

/* source.c: REQ_SOURCE (arg.source.where: NULL for the selected frame, FILE:LINE or a method). */
void source_request(EngSession *s, Request *rq);
void documents_request(EngSession *s, Request *rq);   /* REQ_DOCUMENTS */
void source_dirs_request(EngSession *s, Request *rq); /* REQ_SRCDIRS */
struct StrBuf;
void eng_module_documents(EngSession *s, Module *m, int detail, struct StrBuf *out);
/* breakpoints.c: REQ_BP_LINES (arg.bp_lines: FILE, first and last line). */
void bp_lines_request(EngSession *s, Request *rq);
void bp_locations_request(EngSession *s, Request *rq);

/* where.c: what a frame is in source terms (Where: eval/evhost.h, the frame context). */
int eng_where_frame(EngSession *s, ICorDebugFrame *f, Where *w);
/* source.c: line LINE of document FILE of module module_id (0: any) for showing a stop:
 * from disk, else the PDB's embedded copy; "" when neither. Reads the document: called
 * only for what is printed, not for every frame walked. */
void eng_source_line(EngSession *s, int module_id, const char *file, uint32_t line, char *out, size_t cap);
/* Add the values of cheap arguments (primitives, strings, null) to w->function, C# style:
 * "Program.Fib(int n = 40)". For call stacks. */
void eng_where_args(EngSession *s, ICorDebugFrame *f, Where *w);
/* The same for a known code location (no stack walk: a breakpoint's binding says it). */
int eng_where_code(EngSession *s, Module *m, uint32_t method_token, uint32_t il, Where *w);
/* A generic method's or type's name in w (from eng_where_code) with the instantiation of
 * thread t's top frame (Box<string>.Max()); only then is the frame fetched. */
void eng_where_instantiate(EngSession *s, ICorDebugThread *t, Where *w);
/* Just my code: a method of a module with symbols is the user's unless it, its type or an
 * enclosing type says DebuggerHidden, DebuggerNonUserCode or DebuggerStepThrough. */
int eng_method_is_user_code(const PdbModule *sym, uint32_t method_token);
/* The debugger attributes (MD_ATTR_DEBUGGER_HIDDEN, _STEP_THROUGH, _NON_USER_CODE) that
 * rule a breakpoint in this method, from the method and its types; read once, at bind time. */
uint32_t eng_bp_method_attrs(EngSession *s, Module *m, uint32_t method_token);
/* Why a breakpoint with those attributes never stops ([DebuggerHidden]; [DebuggerStepThrough]
 * or [DebuggerNonUserCode] while just my code is on, as Visual Studio), or NULL: it stops. */
const char *eng_bp_never_stops(EngSession *s, uint32_t attrs);
/* exceptions.c: exceptions leaving the user's async methods. Is IL offset `offset` of frame
 * the compiler's catch-all of an async method's MoveNext? */
int exc_is_async_catch(EngSession *s, ICorDebugFrame *frame, uint32_t offset);
/* Where the exception that catch-all caught goes: the awaiters followed. */
enum { EXC_CAUGHT_BY_USER, EXC_NOT_USER, EXC_UNHANDLED };
int exc_async_fate(EngSession *s, ICorDebugThread *t, ICorDebugFrame *frame);
/* The address of t's current exception object (0: none): one exception's stops told apart. */
uint64_t exc_current_address(EngSession *s, ICorDebugThread *t);
/* stack.c: the index (as `frame N` counts) of frame f on t's stack, or -1. */
int eng_frame_index_of(EngSession *s, ICorDebugThread *t, ICorDebugFrame *f);
/* The thread's top frame (first: the first frame in user code, when user_first). */
int eng_where_thread(EngSession *s, ICorDebugThread *t, int user_first, Where *w);
/* "Ns.Outer.Inner" of a class from its module's metadata (the token in hex when that
 * fails); for System.Exception also its _message field (message_field may be NULL). */
/* The dotted name of type definition T (nested types as Outer.Inner) from MD; "" if unknown. */
void eng_md_type_name(IMetaDataImport *md, mdTypeDef t, char *out, size_t cap);
void eng_class_name(ICorDebugClass *c, char *name, size_t cap, mdFieldDef *message_field);
/* stack.c: frames of a thread, top first (limit 0: all); malloc'ed. with_args: cheap
 * argument values inline in each user frame's function (call stacks). */
int eng_stack(EngSession *s, ICorDebugThread *t, size_t limit, int with_args, EngFrameInfo **out, size_t *n);
/* The selected thread, else the first one; NULL when there is none. */
Thread *eng_selected_thread(EngSession *s);
/* Frame number `index` of thread t (AddRef'ed), or NULL. */
ICorDebugFrame *eng_frame_at(EngSession *s, ICorDebugThread *t, int index);
/* session.c, for step.c: let the process run (answering every hold) until the next stop,
 * completing rq then; answer one event; stop at a known place. */
struct Where;
void eng_resume(EngSession *s, Request *rq);
void eng_continue_event(EngSession *s, ClrEvent *ev);
void eng_stop_at(EngSession *s, EngStopReason reason, ICorDebugThread *t, const struct Where *w);
/* A thread's managed name (Thread.Name; "" when unnamed) and its state words ("waiting
 * background", ...). Needs the process stopped. */
void eng_thread_info(ICorDebugThread *t, char *name, size_t cap, char *state, size_t scap);
/* Type name and message of the thread's current exception. */
void eng_exception_info(EngSession *s, ICorDebugThread *t, char *type, size_t tcap, char *msg, size_t mcap);
/* The exception object's own call stack (ICorDebugExceptionObjectValue: where it was thrown,
 * even when those frames are gone — a rethrow at an await), as the runtime prints it:
 * "   at Ns.Type.Method(int a) in FILE:line N" lines. Returns the number of frames. */
size_t eng_exception_stack(EngSession *s, ICorDebugValue *exc, char *out, size_t cap);
/* The same for an exception object. */
void eng_exception_value_info(ICorDebugValue *exc, char *type, size_t tcap, char *msg, size_t mcap);

int eng_map_to_build(const EngSession *s, const char *path, char *out, size_t cap);

/* encapply.c: Edit and Continue. At module load (the load callback, before its code runs): JIT
 * flags and the committed texts. */
void enc_module_loaded(EngSession *s, Module *m);
void enc_module_free(Module *m);
/* REQ_ENC_* requests. */
void enc_engine_request(EngSession *s, Request *rq);
/* FunctionRemapOpportunity / FunctionRemapComplete: 1 when handled (continued). */
int  enc_remap_event(EngSession *s, ClrEvent *ev);
/* The launch environment gets DOTNET_MODIFIABLE_ASSEMBLIES=debug (malloc'ed array, NULL: no
 * change needed; env stays borrowed). */
char **enc_launch_env(EngSession *s, char *const *env);
void enc_session_end(EngSession *s);
/* "Ns.Type.Method(int i)" of a method an edit added (not in the module's file), from the
 * runtime's metadata. 0, or -1. */
int  enc_method_display(EngSession *s, Module *m, uint32_t tok, char *out, size_t cap);

/* core.c: REQ_OPEN_CORE; the session's core closed (at the next run, attach or the end). */
void core_session_request(EngSession *s, Request *rq);
void core_session_end(EngSession *s);
/* gcore.c: REQ_GEN_CORE. */
void gcore_request(EngSession *s, Request *rq);
/* native.c: the native side of a core session (s->core set): s->nt = a tracer over the core
 * (nt_open_core), its symbols read from the core's mappings. 0, or -1 with err. */
int  native_core_begin(EngSession *s, char *err, size_t cap);
/* core.c: a request a core session cannot do is failed with the reason (1); run, attach and
 * the session's end close the core first (0). */
int  core_refuse(EngSession *s, Request *rq);
/* 1 when native_request may see rq (in a managed core session only the native views). */
int  core_native_request(EngSession *s, Request *rq);
/* stack.c: every managed frame of t, top first, to fn (nonzero stops); V3 walk where the
 * V2 chains fail (dumps). 0, or -1. */
int  eng_walk_managed(EngSession *s, ICorDebugThread *t, int (*fn)(EngSession *, ICorDebugFrame *, void *), void *ctx);
/* session.c, for core.c: a module and a thread registered as their live events do; the
 * tables released; the stop shown (frame selected, exception type/signal name and message);
 * a live process ended before a core is opened. */
void eng_core_add_module(EngSession *s, ICorDebugModule *m);
void eng_core_add_thread(EngSession *s, ICorDebugThread *t);
void eng_core_release_tables(EngSession *s);
void eng_core_stop(EngSession *s, EngStopReason reason, ICorDebugThread *t, const struct Where *w, int frame,
                   const char *exception, const char *message);
void eng_core_end_process(EngSession *s);

#endif
