/* The managed callback object: four COM interfaces over one struct, each method a
 * recorder. See callback.h for the contract. */
#include "clr/callback.h"
#include "base/utf.h"
#include "base/memcache.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>

struct ClrCallback {
    ICorDebugManagedCallback  mc1;
    ICorDebugManagedCallback2 mc2;
    ICorDebugManagedCallback3 mc3;
    ICorDebugManagedCallback4 mc4;
    atomic_int   refs;
    pthread_mutex_t mu;        /* guards sink against clr_callback_close */
    ClrEventSink sink;
    void        *ctx;
    unsigned     generation;
};

/* Events alive now, across every callback object: the engine must free each one, and at
 * exit none may be left (main checks, so a leak is seen even where the sanitizer's leak
 * report cannot tell cordbg's memory from the runtime's). */
static atomic_long live_events;

long clr_live_events(void) { return atomic_load(&live_events); }

void clr_event_deliver(ClrEventSink sink, void *ctx, ClrEvent *ev)
{
    ev->delivered = 1;
    atomic_fetch_add(&live_events, 1);
    sink(ctx, ev);
}

#define CB_FROM(iface, member) ((ClrCallback *)((char *)(iface) - offsetof(ClrCallback, member)))

/* ---- IUnknown, shared by the four interfaces ---- */

static HRESULT cb_query(ClrCallback *cb, REFIID riid, void **ppv)
{
    if (clr_iid_equal(riid, &IID_IUnknown) || clr_iid_equal(riid, &IID_ICorDebugManagedCallback))
        *ppv = &cb->mc1;
    else if (clr_iid_equal(riid, &IID_ICorDebugManagedCallback2))
        *ppv = &cb->mc2;
    else if (clr_iid_equal(riid, &IID_ICorDebugManagedCallback3))
        *ppv = &cb->mc3;
    else if (clr_iid_equal(riid, &IID_ICorDebugManagedCallback4))
        *ppv = &cb->mc4;
    else {
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    atomic_fetch_add(&cb->refs, 1);
    return S_OK;
}

static ULONG cb_addref(ClrCallback *cb) { return (ULONG)atomic_fetch_add(&cb->refs, 1) + 1; }

static ULONG cb_release(ClrCallback *cb)
{
    int left = atomic_fetch_sub(&cb->refs, 1) - 1;
    if (left == 0) {
        pthread_mutex_destroy(&cb->mu);
        free(cb);
    }
    return (ULONG)left;
}

#define UNKNOWN_METHODS(N, T, member)                                                       \
    static HRESULT N##_QueryInterface(T *This, REFIID riid, void **ppv)                    \
    { return cb_query(CB_FROM(This, member), riid, ppv); }                                  \
    static ULONG N##_AddRef(T *This) { return cb_addref(CB_FROM(This, member)); }           \
    static ULONG N##_Release(T *This) { return cb_release(CB_FROM(This, member)); }

UNKNOWN_METHODS(mc1, ICorDebugManagedCallback, mc1)
UNKNOWN_METHODS(mc2, ICorDebugManagedCallback2, mc2)
UNKNOWN_METHODS(mc3, ICorDebugManagedCallback3, mc3)
UNKNOWN_METHODS(mc4, ICorDebugManagedCallback4, mc4)

/* ---- recording ---- */

#define KEEP(field, ptr) do { if (ptr) { (ptr)->lpVtbl->AddRef(ptr); ev->field = (ptr); } } while (0)

ClrEvent *clr_event_new(ClrEventKind kind)
{
    ClrEvent *ev = calloc(1, sizeof *ev);
    if (ev) ev->kind = kind;
    return ev;
}

/* Every event but ExitProcess is continued through a controller: the app domain's
 * when the callback names one, else the process's. */
static void set_controller(ClrEvent *ev, ICorDebugController *c)
{
    if (c) { c->lpVtbl->AddRef(c); ev->controller = c; }
}

static HRESULT post(ClrCallback *cb, ClrEvent *ev)
{
    if (!ev) return E_OUTOFMEMORY;
    /* Every managed callback comes with the process synchronized, until the engine answers
     * (any message to the left side drops the cache again). ExitProcess is not continued:
     * nothing would drop what it enabled. */
    if (ev->controller) mc_enable();
    ev->generation = cb->generation;
    pthread_mutex_lock(&cb->mu);
    if (cb->sink) clr_event_deliver(cb->sink, cb->ctx, ev);
    else clr_event_free(ev);
    pthread_mutex_unlock(&cb->mu);
    return S_OK;
}

static char *utf8_dup(const WCHAR *s)
{
    return s ? utf8_from_utf16_malloc((const uint16_t *)s, (size_t)-1) : NULL;
}

/* An event on an app domain and (maybe) a thread: the common shape. */
static ClrEvent *ad_event(ClrEventKind kind, ICorDebugAppDomain *ad, ICorDebugThread *t)
{
    ClrEvent *ev = clr_event_new(kind);
    if (!ev) return NULL;
    KEEP(appdomain, ad);
    KEEP(thread, t);
    set_controller(ev, (ICorDebugController *)ad);
    return ev;
}

static ClrEvent *proc_event(ClrEventKind kind, ICorDebugProcess *p)
{
    ClrEvent *ev = clr_event_new(kind);
    if (!ev) return NULL;
    KEEP(process, p);
    if (kind != CE_EXIT_PROCESS) set_controller(ev, (ICorDebugController *)p);
    return ev;
}

#define CB1(This) CB_FROM(This, mc1)
typedef ICorDebugManagedCallback MC1;

static HRESULT mc1_Breakpoint(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t, ICorDebugBreakpoint *bp)
{
    ClrEvent *ev = ad_event(CE_BREAKPOINT, ad, t);
    if (ev) KEEP(breakpoint, bp);
    return post(CB1(This), ev);
}

static HRESULT mc1_StepComplete(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t,
                                ICorDebugStepper *s, CorDebugStepReason reason)
{
    ClrEvent *ev = ad_event(CE_STEP_COMPLETE, ad, t);
    if (ev) { KEEP(stepper, s); ev->subtype = (int)reason; }
    return post(CB1(This), ev);
}

static HRESULT mc1_Break(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t)
{
    return post(CB1(This), ad_event(CE_BREAK, ad, t));
}

static HRESULT mc1_Exception(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t, BOOL unhandled)
{
    ClrEvent *ev = ad_event(CE_EXCEPTION, ad, t);
    if (ev) ev->flag = unhandled;
    return post(CB1(This), ev);
}

static HRESULT mc1_EvalComplete(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t, ICorDebugEval *e)
{
    ClrEvent *ev = ad_event(CE_EVAL_COMPLETE, ad, t);
    if (ev) KEEP(eval, e);
    return post(CB1(This), ev);
}

static HRESULT mc1_EvalException(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t, ICorDebugEval *e)
{
    ClrEvent *ev = ad_event(CE_EVAL_EXCEPTION, ad, t);
    if (ev) KEEP(eval, e);
    return post(CB1(This), ev);
}

static HRESULT mc1_CreateProcess(MC1 *This, ICorDebugProcess *p)
{
    return post(CB1(This), proc_event(CE_CREATE_PROCESS, p));
}

static HRESULT mc1_ExitProcess(MC1 *This, ICorDebugProcess *p)
{
    return post(CB1(This), proc_event(CE_EXIT_PROCESS, p));
}

static HRESULT mc1_CreateThread(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t)
{
    return post(CB1(This), ad_event(CE_CREATE_THREAD, ad, t));
}

static HRESULT mc1_ExitThread(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t)
{
    return post(CB1(This), ad_event(CE_EXIT_THREAD, ad, t));
}

static HRESULT mc1_LoadModule(MC1 *This, ICorDebugAppDomain *ad, ICorDebugModule *m)
{
    ClrEvent *ev = ad_event(CE_LOAD_MODULE, ad, NULL);
    if (ev) KEEP(module, m);
    return post(CB1(This), ev);
}

static HRESULT mc1_UnloadModule(MC1 *This, ICorDebugAppDomain *ad, ICorDebugModule *m)
{
    ClrEvent *ev = ad_event(CE_UNLOAD_MODULE, ad, NULL);
    if (ev) KEEP(module, m);
    return post(CB1(This), ev);
}

static HRESULT mc1_LoadClass(MC1 *This, ICorDebugAppDomain *ad, ICorDebugClass *c)
{
    ClrEvent *ev = ad_event(CE_LOAD_CLASS, ad, NULL);
    if (ev) KEEP(klass, c);
    return post(CB1(This), ev);
}

static HRESULT mc1_UnloadClass(MC1 *This, ICorDebugAppDomain *ad, ICorDebugClass *c)
{
    ClrEvent *ev = ad_event(CE_UNLOAD_CLASS, ad, NULL);
    if (ev) KEEP(klass, c);
    return post(CB1(This), ev);
}

static HRESULT mc1_DebuggerError(MC1 *This, ICorDebugProcess *p, HRESULT hr, DWORD code)
{
    ClrEvent *ev = proc_event(CE_DEBUGGER_ERROR, p);
    if (ev) { ev->hr = hr; ev->code = code; }
    return post(CB1(This), ev);
}

static HRESULT mc1_LogMessage(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t, LONG level,
                              WCHAR *sw, WCHAR *msg)
{
    ClrEvent *ev = ad_event(CE_LOG_MESSAGE, ad, t);
    if (ev) { ev->level = level; ev->text1 = utf8_dup(sw); ev->text2 = utf8_dup(msg); }
    return post(CB1(This), ev);
}

static HRESULT mc1_LogSwitch(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t, LONG level,
                             ULONG reason, WCHAR *sw, WCHAR *parent)
{
    ClrEvent *ev = ad_event(CE_LOG_SWITCH, ad, t);
    if (ev) { ev->level = level; ev->reason = reason; ev->text1 = utf8_dup(sw); ev->text2 = utf8_dup(parent); }
    return post(CB1(This), ev);
}

static HRESULT mc1_CreateAppDomain(MC1 *This, ICorDebugProcess *p, ICorDebugAppDomain *ad)
{
    ClrEvent *ev = proc_event(CE_CREATE_APPDOMAIN, p);
    if (ev) KEEP(appdomain, ad);
    return post(CB1(This), ev);
}

static HRESULT mc1_ExitAppDomain(MC1 *This, ICorDebugProcess *p, ICorDebugAppDomain *ad)
{
    ClrEvent *ev = proc_event(CE_EXIT_APPDOMAIN, p);
    if (ev) KEEP(appdomain, ad);
    return post(CB1(This), ev);
}

static HRESULT mc1_LoadAssembly(MC1 *This, ICorDebugAppDomain *ad, ICorDebugAssembly *a)
{
    ClrEvent *ev = ad_event(CE_LOAD_ASSEMBLY, ad, NULL);
    if (ev) KEEP(assembly, a);
    return post(CB1(This), ev);
}

static HRESULT mc1_UnloadAssembly(MC1 *This, ICorDebugAppDomain *ad, ICorDebugAssembly *a)
{
    ClrEvent *ev = ad_event(CE_UNLOAD_ASSEMBLY, ad, NULL);
    if (ev) KEEP(assembly, a);
    return post(CB1(This), ev);
}

static HRESULT mc1_ControlCTrap(MC1 *This, ICorDebugProcess *p)
{
    return post(CB1(This), proc_event(CE_CONTROL_C_TRAP, p));
}

static HRESULT mc1_NameChange(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t)
{
    ClrEvent *ev = clr_event_new(CE_NAME_CHANGE);
    if (!ev) return E_OUTOFMEMORY;
    KEEP(appdomain, ad);
    KEEP(thread, t);
    /* NameChange may name only the thread; continue through its process then. */
    if (ad) set_controller(ev, (ICorDebugController *)ad);
    else if (t) {
        ICorDebugProcess *p = NULL;
        if (SUCCEEDED(t->lpVtbl->GetProcess(t, &p)) && p) {
            set_controller(ev, (ICorDebugController *)p);
            p->lpVtbl->Release(p);
        }
    }
    return post(CB1(This), ev);
}

static HRESULT mc1_UpdateModuleSymbols(MC1 *This, ICorDebugAppDomain *ad, ICorDebugModule *m, IStream *s)
{
    ClrEvent *ev = ad_event(CE_UPDATE_MODULE_SYMBOLS, ad, NULL);
    if (ev) KEEP(module, m);
    return post(CB1(This), ev);
}

static HRESULT mc1_EditAndContinueRemap(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t,
                                        ICorDebugFunction *f, BOOL accurate)
{
    ClrEvent *ev = ad_event(CE_EDIT_AND_CONTINUE_REMAP, ad, t);
    if (ev) { KEEP(function, f); ev->flag = accurate; }
    return post(CB1(This), ev);
}

static HRESULT mc1_BreakpointSetError(MC1 *This, ICorDebugAppDomain *ad, ICorDebugThread *t,
                                      ICorDebugBreakpoint *bp, DWORD err)
{
    ClrEvent *ev = ad_event(CE_BREAKPOINT_SET_ERROR, ad, t);
    if (ev) { KEEP(breakpoint, bp); ev->code = err; }
    return post(CB1(This), ev);
}

#define CB2(This) CB_FROM(This, mc2)
typedef ICorDebugManagedCallback2 MC2;

static HRESULT mc2_FunctionRemapOpportunity(MC2 *This, ICorDebugAppDomain *ad, ICorDebugThread *t,
                                            ICorDebugFunction *old_fn, ICorDebugFunction *new_fn,
                                            ULONG32 old_il)
{
    ClrEvent *ev = ad_event(CE_FUNCTION_REMAP_OPPORTUNITY, ad, t);
    if (ev) { KEEP(function, new_fn); ev->offset = old_il; }
    (void)old_fn;
    return post(CB2(This), ev);
}

static HRESULT mc2_CreateConnection(MC2 *This, ICorDebugProcess *p, CONNID id, WCHAR *name)
{
    ClrEvent *ev = proc_event(CE_CREATE_CONNECTION, p);
    if (ev) { ev->connection = id; ev->text1 = utf8_dup(name); }
    return post(CB2(This), ev);
}

static HRESULT mc2_ChangeConnection(MC2 *This, ICorDebugProcess *p, CONNID id)
{
    ClrEvent *ev = proc_event(CE_CHANGE_CONNECTION, p);
    if (ev) ev->connection = id;
    return post(CB2(This), ev);
}

static HRESULT mc2_DestroyConnection(MC2 *This, ICorDebugProcess *p, CONNID id)
{
    ClrEvent *ev = proc_event(CE_DESTROY_CONNECTION, p);
    if (ev) ev->connection = id;
    return post(CB2(This), ev);
}

static HRESULT mc2_Exception(MC2 *This, ICorDebugAppDomain *ad, ICorDebugThread *t, ICorDebugFrame *f,
                             ULONG32 offset, CorDebugExceptionCallbackType type, DWORD flags)
{
    ClrEvent *ev = ad_event(CE_EXCEPTION2, ad, t);
    if (ev) { KEEP(frame, f); ev->offset = offset; ev->subtype = (int)type; ev->flags = flags; }
    return post(CB2(This), ev);
}

static HRESULT mc2_ExceptionUnwind(MC2 *This, ICorDebugAppDomain *ad, ICorDebugThread *t,
                                   CorDebugExceptionUnwindCallbackType type, DWORD flags)
{
    ClrEvent *ev = ad_event(CE_EXCEPTION_UNWIND, ad, t);
    if (ev) { ev->subtype = (int)type; ev->flags = flags; }
    return post(CB2(This), ev);
}

static HRESULT mc2_FunctionRemapComplete(MC2 *This, ICorDebugAppDomain *ad, ICorDebugThread *t,
                                         ICorDebugFunction *f)
{
    ClrEvent *ev = ad_event(CE_FUNCTION_REMAP_COMPLETE, ad, t);
    if (ev) KEEP(function, f);
    return post(CB2(This), ev);
}

static HRESULT mc2_MDANotification(MC2 *This, ICorDebugController *c, ICorDebugThread *t, ICorDebugMDA *mda)
{
    ClrEvent *ev = clr_event_new(CE_MDA_NOTIFICATION);
    if (ev) { KEEP(thread, t); set_controller(ev, c); }
    (void)mda;
    return post(CB2(This), ev);
}

static HRESULT mc3_CustomNotification(ICorDebugManagedCallback3 *This, ICorDebugThread *t,
                                      ICorDebugAppDomain *ad)
{
    return post(CB_FROM(This, mc3), ad_event(CE_CUSTOM_NOTIFICATION, ad, t));
}

static HRESULT mc4_BeforeGarbageCollection(ICorDebugManagedCallback4 *This, ICorDebugProcess *p)
{
    return post(CB_FROM(This, mc4), proc_event(CE_BEFORE_GC, p));
}

static HRESULT mc4_AfterGarbageCollection(ICorDebugManagedCallback4 *This, ICorDebugProcess *p)
{
    return post(CB_FROM(This, mc4), proc_event(CE_AFTER_GC, p));
}

static HRESULT mc4_DataBreakpoint(ICorDebugManagedCallback4 *This, ICorDebugProcess *p,
                                  ICorDebugThread *t, BYTE *ctx, ULONG32 size)
{
    ClrEvent *ev = proc_event(CE_DATA_BREAKPOINT, p);
    if (ev) KEEP(thread, t);
    (void)ctx; (void)size;
    return post(CB_FROM(This, mc4), ev);
}

static const ICorDebugManagedCallbackVtbl mc1_vtbl = {
    mc1_QueryInterface, mc1_AddRef, mc1_Release,
    mc1_Breakpoint, mc1_StepComplete, mc1_Break, mc1_Exception, mc1_EvalComplete,
    mc1_EvalException, mc1_CreateProcess, mc1_ExitProcess, mc1_CreateThread, mc1_ExitThread,
    mc1_LoadModule, mc1_UnloadModule, mc1_LoadClass, mc1_UnloadClass, mc1_DebuggerError,
    mc1_LogMessage, mc1_LogSwitch, mc1_CreateAppDomain, mc1_ExitAppDomain, mc1_LoadAssembly,
    mc1_UnloadAssembly, mc1_ControlCTrap, mc1_NameChange, mc1_UpdateModuleSymbols,
    mc1_EditAndContinueRemap, mc1_BreakpointSetError,
};

static const ICorDebugManagedCallback2Vtbl mc2_vtbl = {
    mc2_QueryInterface, mc2_AddRef, mc2_Release,
    mc2_FunctionRemapOpportunity, mc2_CreateConnection, mc2_ChangeConnection,
    mc2_DestroyConnection, mc2_Exception, mc2_ExceptionUnwind, mc2_FunctionRemapComplete,
    mc2_MDANotification,
};

static const ICorDebugManagedCallback3Vtbl mc3_vtbl = {
    mc3_QueryInterface, mc3_AddRef, mc3_Release, mc3_CustomNotification,
};

static const ICorDebugManagedCallback4Vtbl mc4_vtbl = {
    mc4_QueryInterface, mc4_AddRef, mc4_Release,
    mc4_BeforeGarbageCollection, mc4_AfterGarbageCollection, mc4_DataBreakpoint,
};

ClrCallback *clr_callback_new(ClrEventSink sink, void *ctx, unsigned generation)
{
    ClrCallback *cb = calloc(1, sizeof *cb);
    if (!cb) return NULL;
    cb->mc1.lpVtbl = &mc1_vtbl;
    cb->mc2.lpVtbl = &mc2_vtbl;
    cb->mc3.lpVtbl = &mc3_vtbl;
    cb->mc4.lpVtbl = &mc4_vtbl;
    atomic_init(&cb->refs, 1);
    cb->sink = sink;
    cb->ctx = ctx;
    cb->generation = generation;
    pthread_mutex_init(&cb->mu, NULL);
    return cb;
}

ICorDebugManagedCallback *clr_callback_iface(ClrCallback *cb) { return &cb->mc1; }

void clr_callback_close(ClrCallback *cb)
{
    if (!cb) return;
    pthread_mutex_lock(&cb->mu);
    cb->sink = NULL;
    pthread_mutex_unlock(&cb->mu);
}

void clr_callback_release(ClrCallback *cb) { if (cb) cb_release(cb); }

#define DROP(p) do { if (p) (p)->lpVtbl->Release(p); } while (0)

void clr_event_free(ClrEvent *ev)
{
    if (!ev) return;
    DROP(ev->controller); DROP(ev->process); DROP(ev->appdomain); DROP(ev->thread);
    DROP(ev->module); DROP(ev->assembly); DROP(ev->klass); DROP(ev->breakpoint);
    DROP(ev->stepper); DROP(ev->eval); DROP(ev->function); DROP(ev->frame);
    free(ev->text1);
    free(ev->aux);
    free(ev->text2);
    if (ev->delivered) atomic_fetch_sub(&live_events, 1);
    free(ev);
}

const char *clr_event_name(ClrEventKind kind)
{
    static const char *const names[CE_COUNT] = {
        "Breakpoint", "StepComplete", "Break", "Exception", "EvalComplete", "EvalException",
        "CreateProcess", "ExitProcess", "CreateThread", "ExitThread", "LoadModule",
        "UnloadModule", "LoadClass", "UnloadClass", "DebuggerError", "LogMessage",
        "LogSwitch", "CreateAppDomain", "ExitAppDomain", "LoadAssembly", "UnloadAssembly",
        "ControlCTrap", "NameChange", "UpdateModuleSymbols", "EditAndContinueRemap",
        "BreakpointSetError", "FunctionRemapOpportunity", "CreateConnection",
        "ChangeConnection", "DestroyConnection", "Exception2", "ExceptionUnwind",
        "FunctionRemapComplete", "MDANotification", "CustomNotification",
        "BeforeGarbageCollection", "AfterGarbageCollection", "DataBreakpoint", "ProcessGone", "Native",
    };
    return (unsigned)kind < CE_COUNT ? names[kind] : "?";
}
