/* eval/evhost: the frame context — everything the evaluator needs of the engine, and all
 * it gets.
 *
 * The evaluator (src/eval/) sits below the engine and never includes an engine header. The
 * engine implements this table (engine/evhost.c) and hands it to ev_init with its own
 * pointer (`eng`, passed back to every service) and the frame to evaluate in. The services:
 * frames of the stopped thread and where they are in source terms; the program's modules
 * (the engine's, opaque here), each with its ICorDebugModule, its symbols and metadata and
 * whether it is the user's; class names; and running one ICorDebugEval through the
 * engine's event loop. */
#ifndef CORDBG_EVAL_EVHOST_H
#define CORDBG_EVAL_EVHOST_H
#include "clr/cordebug.h"
#include "meta/symbols.h"

#include <stddef.h>
#include <stdint.h>

/* A module of the program as the engine keeps it: only ever handled through EvHost. */
typedef struct Module Module;
struct EvCtx;

/* What a frame is in source terms (the engine's where.c fills it). */
typedef struct Where {
    int      module_id;
    uint32_t token, il;
    int      user_code;
    char     function[512];
    char     file[1024];
    uint32_t line;          /* 0 when unknown */
} Where;

typedef struct EvHost {
    /* Frame number `index` of thread t (AddRef'ed: the caller releases it), or NULL. */
    ICorDebugFrame *(*frame_at)(void *eng, ICorDebugThread *t, int index);
    /* Where frame f is: 0, or -1 when it cannot be said. */
    int (*where_frame)(void *eng, ICorDebugFrame *f, Where *w);
    /* The program's modules: by index (0 .. nmodules-1), by the engine's id (Where.module_id)
     * and by ICorDebugModule; NULL when there is none. */
    size_t (*nmodules)(void *eng);
    Module *(*module_at)(void *eng, size_t i);
    Module *(*module_by_id)(void *eng, int id);
    Module *(*module_by_iface)(void *eng, ICorDebugModule *m);
    ICorDebugModule *(*module_iface)(const Module *m);
    const char *(*module_name)(const Module *m);  /* file name without .dll: "System.Private.CoreLib" */
    int (*module_user_code)(const Module *m);     /* has symbols: the user's code */
    /* Its symbols, opened on first use; NULL when it has none (want_metadata: a module
     * without a PDB too, for its metadata alone). */
    PdbModule *(*module_symbols)(void *eng, Module *m, int want_metadata);
    /* "Ns.Outer.Inner" of a class (the token in hex when its metadata cannot say). */
    void (*class_name)(ICorDebugClass *cls, char *out, size_t cap);
    /* May an evaluation start on the context's thread now? 0, or -1 and ev_fail's reason
     * (the program is running, another evaluation runs, the thread is frozen...). */
    int (*eval_ready)(struct EvCtx *c);
    /* Let the program run the evaluation set up in e, through the engine's event loop,
     * until it ends (or is aborted, or given up after the session's timeout). 0 and *result
     * (NULL for void; kept by the context), or -1 and ev_fail's reason (c->threw when the
     * program threw). */
    int (*run_eval)(struct EvCtx *c, ICorDebugEval *e, ICorDebugValue **result);
} EvHost;

/* The frame an evaluation runs in, as the engine chose it. */
typedef struct EvFrameRef {
    ICorDebugThread *thread;    /* NULL: none (no frame, no function evaluation) */
    int thread_id;              /* the engine's number for it, for messages */
    int frame_index;            /* 0: the top frame */
} EvFrameRef;

#endif
