/* cordbg's ICorDebugManagedCallback (1-4) in C. Each method runs on the right side's
 * callback thread and does no work: it records the event (AddRef on what it keeps),
 * hands it to the sink, and returns. The process stays synchronized until the engine
 * calls Continue on ev->controller; no event may be left without that (but ExitProcess). */
#ifndef CORDBG_CLR_CALLBACK_H
#define CORDBG_CLR_CALLBACK_H
#include "clr/cordebug.h"

typedef enum ClrEventKind {
    /* ICorDebugManagedCallback */
    CE_BREAKPOINT, CE_STEP_COMPLETE, CE_BREAK, CE_EXCEPTION, CE_EVAL_COMPLETE, CE_EVAL_EXCEPTION,
    CE_CREATE_PROCESS, CE_EXIT_PROCESS, CE_CREATE_THREAD, CE_EXIT_THREAD, CE_LOAD_MODULE,
    CE_UNLOAD_MODULE, CE_LOAD_CLASS, CE_UNLOAD_CLASS, CE_DEBUGGER_ERROR, CE_LOG_MESSAGE,
    CE_LOG_SWITCH, CE_CREATE_APPDOMAIN, CE_EXIT_APPDOMAIN, CE_LOAD_ASSEMBLY, CE_UNLOAD_ASSEMBLY,
    CE_CONTROL_C_TRAP, CE_NAME_CHANGE, CE_UPDATE_MODULE_SYMBOLS, CE_EDIT_AND_CONTINUE_REMAP,
    CE_BREAKPOINT_SET_ERROR,
    /* ICorDebugManagedCallback2 */
    CE_FUNCTION_REMAP_OPPORTUNITY, CE_CREATE_CONNECTION, CE_CHANGE_CONNECTION,
    CE_DESTROY_CONNECTION, CE_EXCEPTION2, CE_EXCEPTION_UNWIND, CE_FUNCTION_REMAP_COMPLETE,
    CE_MDA_NOTIFICATION,
    /* ICorDebugManagedCallback3, 4 */
    CE_CUSTOM_NOTIFICATION, CE_BEFORE_GC, CE_AFTER_GC, CE_DATA_BREAKPOINT,
    /* not a runtime callback: the process ended (clr/watch.h); nothing to Continue */
    CE_PROCESS_GONE,
    /* not a runtime callback: an event of cordbg's native engine (aux holds it) */
    CE_NATIVE,
    CE_COUNT
} ClrEventKind;

typedef struct ClrEvent {
    ClrEventKind kind;
    ICorDebugController *controller;   /* Continue this one (NULL for ExitProcess) */
    ICorDebugProcess    *process;
    ICorDebugAppDomain  *appdomain;
    ICorDebugThread     *thread;
    ICorDebugModule     *module;
    ICorDebugAssembly   *assembly;
    ICorDebugClass      *klass;
    ICorDebugBreakpoint *breakpoint;
    ICorDebugStepper    *stepper;
    ICorDebugEval       *eval;
    ICorDebugFunction   *function;
    ICorDebugFrame      *frame;
    HRESULT  hr;
    DWORD    code, flags;
    LONG     level;
    ULONG    reason;
    BOOL     flag;            /* Exception: unhandled; EnC remap: accurate */
    ULONG32  offset;
    int      subtype;         /* CorDebugStepReason, CorDebugExceptionCallbackType, ... */
    CONNID   connection;
    char    *text1, *text2;   /* UTF-8, malloc'd: log switch and message, connection name */
    unsigned generation;      /* the debugging session it belongs to (clr_callback_new) */
    int      delivered;       /* handed to a sink: counted in clr_live_events until freed */
    void    *aux;             /* CE_NATIVE: the native event (malloc'd, freed with the event) */
    struct ClrEvent *next;    /* for the consumer's queue */
} ClrEvent;

typedef void (*ClrEventSink)(void *ctx, ClrEvent *ev);   /* takes ownership of ev */

typedef struct ClrCallback ClrCallback;

/* A new callback object (refcount 1) that posts every event to sink(ctx, ev), stamped
 * with generation, so a consumer can drop late events of an earlier session. */
ClrCallback *clr_callback_new(ClrEventSink sink, void *ctx, unsigned generation);
/* The ICorDebugManagedCallback to give to ICorDebug::SetManagedHandler. */
ICorDebugManagedCallback *clr_callback_iface(ClrCallback *cb);
/* No more events reach the sink after this returns: later ones (the runtime may call
 * after its ICorDebug was given up) are freed on arrival. */
void clr_callback_close(ClrCallback *cb);
/* Drop cordbg's reference (the runtime holds its own until ICorDebug::Terminate). */
void clr_callback_release(ClrCallback *cb);

/* Release every interface an event holds and free it. */
void clr_event_free(ClrEvent *ev);
/* Hand ev to sink, counting it as live until clr_event_free. */
void clr_event_deliver(ClrEventSink sink, void *ctx, ClrEvent *ev);
/* Events handed to a sink and not yet freed (process-wide count; for the exit check). */
long clr_live_events(void);
/* Allocate an event that does not come from the runtime (e.g. the watcher's). */
ClrEvent *clr_event_new(ClrEventKind kind);
/* "LoadModule", "Exception2", ... */
const char *clr_event_name(ClrEventKind kind);

#endif
