/* Function evaluation: run a method, constructor or allocation on the context's thread.
 *
 * Each is set up here with ICorDebugEval on the context's thread, then handed to the frame
 * context (EvHost.run_eval): the engine lets the program run it through its event loop and
 * says how it ended (engine/funceval.c). */
#include "eval/eval.h"
#include "base/utf.h"

#include <stdio.h>

/* Why an evaluation cannot start here, in words. */
static int setup_failed(EvCtx *c, HRESULT hr)
{
    char b[96];
    switch (hr) {
    case CORDBG_E_ILLEGAL_AT_GC_UNSAFE_POINT:
    case CORDBG_E_FUNC_EVAL_BAD_START_POINT:
        return ev_fail(c, "cannot evaluate functions here: thread %d is not at a safe point (step or continue to a line first)", c->thread_id);
    case CORDBG_E_ILLEGAL_IN_PROLOG:
        return ev_fail(c, "cannot evaluate functions here: thread %d is in a method's prologue", c->thread_id);
    case CORDBG_E_ILLEGAL_IN_OPTIMIZED_CODE:
        return ev_fail(c, "cannot evaluate functions here: thread %d is in optimized code", c->thread_id);
    case CORDBG_E_FUNC_EVAL_NOT_COMPLETE:
        return ev_fail(c, "thread %d is still running an earlier evaluation", c->thread_id);
    default:
        return ev_fail(c, "cannot start the evaluation: %s", clr_hr_str(hr, b, sizeof b));
    }
}

/* A new ICorDebugEval on the context's thread (and its ICorDebugEval2), or -1. */
static int make_eval(EvCtx *c, ICorDebugEval **e, ICorDebugEval2 **e2)
{
    *e = NULL;
    *e2 = NULL;
    if (c->host->eval_ready(c) != 0) return -1;
    HRESULT hr = COM(c->thread, CreateEval, e);
    if (FAILED(hr) || !*e) return setup_failed(c, hr);
    ev_keep(c, *e);
    if (FAILED(COM(*e, QueryInterface, &IID_ICorDebugEval2, (void **)e2)) || !*e2)
        return ev_fail(c, "this runtime has no ICorDebugEval2");
    ev_keep(c, *e2);
    return 0;
}

static int start_and_run(EvCtx *c, ICorDebugEval *e, HRESULT hr, ICorDebugValue **result)
{
    if (FAILED(hr)) return setup_failed(c, hr);
    return c->host->run_eval(c, e, result);
}

int ev_call(EvCtx *c, ICorDebugFunction *fn, ICorDebugType **targs, size_t ntargs,
            ICorDebugValue **args, size_t nargs, ICorDebugValue **result)
{
    ICorDebugEval *e;
    ICorDebugEval2 *e2;
    if (make_eval(c, &e, &e2) != 0) return -1;
    HRESULT hr = COM(e2, CallParameterizedFunction, fn, (ULONG32)ntargs, targs, (ULONG32)nargs, args);
    return start_and_run(c, e, hr, result);
}

int ev_new_object(EvCtx *c, ICorDebugFunction *ctor, ICorDebugType **targs, size_t ntargs,
                  ICorDebugValue **args, size_t nargs, ICorDebugValue **result)
{
    ICorDebugEval *e;
    ICorDebugEval2 *e2;
    if (make_eval(c, &e, &e2) != 0) return -1;
    HRESULT hr = COM(e2, NewParameterizedObject, ctor, (ULONG32)ntargs, targs, (ULONG32)nargs, args);
    return start_and_run(c, e, hr, result);
}

int ev_new_object_nc(EvCtx *c, ICorDebugClass *cls, ICorDebugType **targs, size_t ntargs, ICorDebugValue **result)
{
    ICorDebugEval *e;
    ICorDebugEval2 *e2;
    if (make_eval(c, &e, &e2) != 0) return -1;
    HRESULT hr = COM(e2, NewParameterizedObjectNoConstructor, cls, (ULONG32)ntargs, targs);
    return start_and_run(c, e, hr, result);
}

int ev_new_string(EvCtx *c, const char *utf8, size_t len, ICorDebugValue **result)
{
    ICorDebugEval *e;
    ICorDebugEval2 *e2;
    if (make_eval(c, &e, &e2) != 0) return -1;
    uint16_t *w = utf16_from_utf8(c->arena, utf8, len);
    if (!w) return ev_fail(c, "out of memory");
    HRESULT hr = COM(e2, NewStringWithLength, (const WCHAR *)w, (UINT)utf16_len(w));
    return start_and_run(c, e, hr, result);
}

int ev_new_array(EvCtx *c, ICorDebugType *elem, uint32_t rank, const uint32_t *dims, ICorDebugValue **result)
{
    ICorDebugEval *e;
    ICorDebugEval2 *e2;
    if (make_eval(c, &e, &e2) != 0) return -1;
    ULONG32 d[32], lo[32];
    if (rank == 0 || rank > 32) return ev_fail(c, "bad array rank %u", (unsigned)rank);
    for (uint32_t i = 0; i < rank; i++) { d[i] = dims[i]; lo[i] = 0; }
    HRESULT hr = COM(e2, NewParameterizedArray, elem, rank, d, lo);
    return start_and_run(c, e, hr, result);
}

int ev_create_value(EvCtx *c, ICorDebugType *t, ICorDebugValue **result)
{
    ICorDebugEval *e;
    ICorDebugEval2 *e2;
    *result = NULL;
    if (make_eval(c, &e, &e2) != 0) return -1;
    char b[96];
    HRESULT hr = COM(e2, CreateValueForType, t, result);
    if (FAILED(hr) || !*result) return ev_fail(c, "cannot make a value in the program: %s", clr_hr_str(hr, b, sizeof b));
    ev_keep(c, *result);
    return 0;
}

int ev_create_primitive(EvCtx *c, CorElementType et, const uint8_t bytes[8], ICorDebugValue **result)
{
    ICorDebugEval *e;
    ICorDebugEval2 *e2;
    *result = NULL;
    if (make_eval(c, &e, &e2) != 0) return -1;
    char b[96];
    HRESULT hr = COM(e, CreateValue, et, NULL, result);
    if (FAILED(hr) || !*result) return ev_fail(c, "cannot make a value in the program: %s", clr_hr_str(hr, b, sizeof b));
    ev_keep(c, *result);
    ICorDebugGenericValue *gv = NULL;
    if (FAILED(COM(*result, QueryInterface, &IID_ICorDebugGenericValue, (void **)&gv)) || !gv)
        return ev_fail(c, "cannot make a value in the program");
    hr = COM(gv, SetValue, (void *)bytes);
    COM0(gv, Release);
    return FAILED(hr) ? ev_fail(c, "cannot set a value in the program: %s", clr_hr_str(hr, b, sizeof b)) : 0;
}

int ev_create_null(EvCtx *c, ICorDebugValue **result)
{
    ICorDebugEval *e;
    ICorDebugEval2 *e2;
    *result = NULL;
    if (make_eval(c, &e, &e2) != 0) return -1;
    char b[96];
    HRESULT hr = COM(e, CreateValue, ELEMENT_TYPE_CLASS, NULL, result);
    if (FAILED(hr) || !*result) return ev_fail(c, "cannot make a null reference: %s", clr_hr_str(hr, b, sizeof b));
    ev_keep(c, *result);
    return 0;
}
