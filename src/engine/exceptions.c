/* Exceptions that leave the user's async methods: where the exception thrown in user code
 * really goes once the compiler's catch-all of an async MoveNext has caught it.
 *
 * An async method's MoveNext wraps its whole body in a compiler-made `catch (Exception)`
 * that stores the exception in the method's Task (builder.SetException). To the runtime
 * the exception is then caught, in user code; it comes back later when an awaiter calls
 * GetResult, by then thrown from the framework (ExceptionDispatchInfo.Throw) with the
 * original frame long gone. The decision has to be made at the first pass, while the
 * throwing frame is still on the stack: the runtime's CATCH_HANDLER_FOUND names the frame
 * and IL offset of the handler, and this file follows the awaiters from there:
 *
 *   MoveNext catch-all ──> its Task ──> m_continuationObject
 *        │                                 ├─ the awaiting method's state machine box:
 *        │                                 │     its state says which await it sits at;
 *        │                                 │     a user catch around that await: CAUGHT;
 *        │                                 │     else go on from that method's catch-all
 *        │                                 ├─ none yet (the awaiter has not awaited: the
 *        │                                 │     method threw before its first await):
 *        │                                 │     the next user frame below on the stack
 *        │                                 └─ anything else (framework code): NOT_USER
 *        ├─ async void (AsyncVoidMethodBuilder): NOT_USER
 *        └─ the user's async Main (the catch-all the PDB names for an entry point):
 *           its <Main> stub rethrows with no catch: UNHANDLED
 *
 * The catch-all's offset is in the PDB (AsyncMethodSteppingInformation.CatchHandlerOffset)
 * only for async void methods and async Main; for the others it is the outermost catch
 * clause of MoveNext's IL, which Roslyn always emits around the whole body. */
#include "engine/internal.h"
#include "eval/eval.h"
#include "base/arena.h"
#include "base/log.h"
#include "meta/sig.h"

#include <stdio.h>
#include <string.h>

enum { MAX_CLAUSES = 64, MAX_AWAITERS = 32, MAX_NAMES = 16 };

/* The catch-all's IL offset in MoveNext `tok` of m, or -1 when tok is no async MoveNext.
 * *from_pdb: the PDB named it (async void or async Main). */
static int64_t async_catch_offset(EngSession *s, Module *m, uint32_t tok, int *from_pdb)
{
    *from_pdb = 0;
    PdbModule *sym = m ? eng_module_symbols(s, m, 1) : NULL;
    const PdbFile *pdb = sym ? pdb_module_pdb(sym) : NULL;
    if (!pdb) return -1;
    MdPool pool = { 0 };
    PdbAsyncInfo ai;
    int is_async = pdb_async_info(pdb, &pool, tok & 0x00ffffff, &ai) == 0;
    md_pool_free(&pool);
    if (!is_async) return -1;
    if (ai.catch_handler >= 0) { *from_pdb = 1; return ai.catch_handler; }
    MdEhClause cl[MAX_CLAUSES];
    uint32_t n = 0;
    if (md_method_eh(pdb_module_image(sym), tok & 0x00ffffff, cl, MAX_CLAUSES, &n) != 0 || n == 0 || n > MAX_CLAUSES)
        return -1;
    /* Clauses come inner before outer: the one around everything is the last. */
    return cl[n - 1].kind == MD_EH_CATCH ? (int64_t)cl[n - 1].handler_off : -1;
}

/* "Ns.Name" of a TypeDef/TypeRef token; "" for anything else (a generic instance). */
static void token_type_name(const MdMeta *md, uint32_t tok, char *out, size_t cap)
{
    uint32_t rid = tok & 0x00ffffff;
    out[0] = 0;
    if (tok >> 24 == MD_T_TypeRef && rid && rid <= md_rows(md, MD_T_TypeRef))
        snprintf(out, cap, "%s.%s", md_string(md, md_get(md, MD_T_TypeRef, rid, MD_TypeRef_Namespace)),
                 md_string(md, md_get(md, MD_T_TypeRef, rid, MD_TypeRef_Name)));
    else if (tok >> 24 == MD_T_TypeDef && rid && rid <= md_rows(md, MD_T_TypeDef))
        snprintf(out, cap, "%s.%s", md_string(md, md_get(md, MD_T_TypeDef, rid, MD_TypeDef_Namespace)),
                 md_string(md, md_get(md, MD_T_TypeDef, rid, MD_TypeDef_Name)));
    if (out[0] == '.') memmove(out, out + 1, strlen(out));
}

typedef struct {
    char names[MAX_NAMES][256];     /* the exception's type and its bases, most derived first */
    size_t n;
} TypeChain;

/* Does a catch (or filter) of the user's method tok of m, other than the async catch-all,
 * cover IL offset il for this exception? A filter is taken to catch (it cannot be run). */
static int user_catch_at(EngSession *s, Module *m, uint32_t tok, uint32_t il, const TypeChain *tc)
{
    PdbModule *sym = m ? eng_module_symbols(s, m, 1) : NULL;
    if (!sym || !m->user_code || !eng_method_is_user_code(sym, tok)) return 0;
    int from_pdb;
    int64_t all = async_catch_offset(s, m, tok, &from_pdb);
    MdEhClause cl[MAX_CLAUSES];
    uint32_t n = 0;
    if (md_method_eh(pdb_module_image(sym), tok & 0x00ffffff, cl, MAX_CLAUSES, &n) != 0) return 0;
    if (n > MAX_CLAUSES) n = MAX_CLAUSES;
    const MdMeta *md = &pdb_module_image(sym)->md;
    for (uint32_t i = 0; i < n; i++) {
        if (cl[i].kind != MD_EH_CATCH && cl[i].kind != MD_EH_FILTER) continue;
        if ((int64_t)cl[i].handler_off == all) continue;
        if (il < cl[i].try_off || il - cl[i].try_off >= cl[i].try_len) continue;
        if (cl[i].kind == MD_EH_FILTER) return 1;
        char name[256];
        token_type_name(md, cl[i].class_token, name, sizeof name);
        if (!name[0] || !tc->n) return 1;
        for (size_t k = 0; k < tc->n; k++)
            if (!strcmp(name, tc->names[k])) return 1;
    }
    return 0;
}

static void exception_types(EvCtx *c, ICorDebugThread *t, TypeChain *tc)
{
    tc->n = 0;
    ICorDebugValue *v = NULL;
    if (FAILED(COM(t, GetCurrentException, &v)) || !v) return;
    ev_keep(c, v);
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v, &null);
    for (ICorDebugType *ty = obj ? ev_type_of(c, obj) : NULL; ty && tc->n < MAX_NAMES;) {
        ICorDebugClass *cls = ev_class_of_type(c, ty);
        if (!cls) break;
        eng_class_name(cls, tc->names[tc->n], sizeof tc->names[0], NULL);
        tc->n++;
        ICorDebugType *base = NULL;
        if (FAILED(COM(ty, GetBase, &base)) || !base) break;
        ty = ev_keep(c, base);
    }
}

/* Field `name` (of the object or of a base type) of the value v refers to; NULL if none. */
static ICorDebugValue *field(EvCtx *c, ICorDebugValue *v, const char *name)
{
    if (!v) return NULL;
    int null = 0;
    ICorDebugValue *obj = ev_deref(c, v, &null);
    if (!obj) return NULL;
    return ev_field(c, obj, name);
}

/* The MoveNext of the state machine object sm: its module and token. */
static Module *movenext_of(EvCtx *c, ICorDebugValue *sm, uint32_t *tok)
{
    int null = 0;
    ICorDebugValue *obj = sm ? ev_deref(c, sm, &null) : NULL;
    ICorDebugType *ty = obj ? ev_type_of(c, obj) : NULL;
    ICorDebugClass *cls = ty ? ev_class_of_type(c, ty) : NULL;
    const MdMeta *md = NULL;
    uint32_t rid = 0;
    Module *m = cls ? ev_module_of_class(c, cls, &md, &rid) : NULL;
    if (!m || !md) return NULL;
    uint32_t first, end;
    md_list_range(md, MD_T_TypeDef, rid, MD_TypeDef_MethodList, MD_T_MethodDef, &first, &end);
    for (uint32_t r = first; r < end; r++)
        if (!strcmp(md_string(md, md_get(md, MD_T_MethodDef, r, MD_MethodDef_Name)), "MoveNext")) {
            *tok = 0x06000000u | r;
            return m;
        }
    return NULL;
}

/* The next user frame on t's stack below (called before) the frame whose stack range
 * starts at *below; *below moves to it. Its `this` (async MoveNext: the state machine) in
 * *self when it has one. */
static int next_user_frame(EngSession *s, EvCtx *c, ICorDebugThread *t, CORDB_ADDRESS *below, Where *w,
                           ICorDebugValue **self)
{
    int found = 0, passed = 0;
    ICorDebugChainEnum *chains = NULL;
    if (FAILED(COM(t, EnumerateChains, &chains)) || !chains) return 0;
    ICorDebugChain *chain = NULL;
    ULONG got = 0;
    while (!found && SUCCEEDED(COM(chains, Next, 1, &chain, &got)) && got == 1) {
        ICorDebugFrameEnum *frames = NULL;
        if (SUCCEEDED(COM(chain, EnumerateFrames, &frames)) && frames) {
            ICorDebugFrame *f = NULL;
            ULONG nf = 0;
            while (!found && SUCCEEDED(COM(frames, Next, 1, &f, &nf)) && nf == 1) {
                CORDB_ADDRESS lo = 0, hi = 0;
                COM(f, GetStackRange, &lo, &hi);
                if (!passed) {
                    passed = lo == *below;
                } else if (eng_where_frame(s, f, w) == 0 && w->user_code) {
                    *below = lo;
                    found = 1;
                    *self = NULL;
                    ICorDebugILFrame *il = NULL;
                    if (SUCCEEDED(COM(f, QueryInterface, &IID_ICorDebugILFrame, (void **)&il)) && il) {
                        ICorDebugValue *v = NULL;
                        if (SUCCEEDED(COM(il, GetArgument, 0, &v)) && v) *self = ev_keep(c, v);
                        COM0(il, Release);
                    }
                }
                COM0(f, Release);
            }
            COM0(frames, Release);
        }
        COM0(chain, Release);
    }
    COM0(chains, Release);
    return found;
}

int exc_is_async_catch(EngSession *s, ICorDebugFrame *frame, uint32_t offset)
{
    Where w;
    if (!frame || eng_where_frame(s, frame, &w) != 0 || !w.module_id) return 0;
    int from_pdb;
    int64_t all = async_catch_offset(s, eng_module_by_id(s, w.module_id), w.token, &from_pdb);
    return all >= 0 && all == (int64_t)offset;
}

int exc_async_fate(EngSession *s, ICorDebugThread *t, ICorDebugFrame *frame)
{
    EvCtx c;
    if (eng_eval_init_on(&c, s, t) != 0) { ev_done(&c); return EXC_NOT_USER; }
    TypeChain tc;
    exception_types(&c, t, &tc);
    int fate = EXC_NOT_USER;
    CORDB_ADDRESS below = 0, hi = 0;
    COM(frame, GetStackRange, &below, &hi);
    /* The state machine and MoveNext of the method whose catch-all has the exception. */
    ICorDebugValue *sm = NULL;
    ICorDebugILFrame *il = NULL;
    if (SUCCEEDED(COM(frame, QueryInterface, &IID_ICorDebugILFrame, (void **)&il)) && il) {
        ICorDebugValue *v = NULL;
        if (SUCCEEDED(COM(il, GetArgument, 0, &v)) && v) sm = ev_keep(&c, v);
        COM0(il, Release);
    }
    for (int depth = 0; sm && depth < MAX_AWAITERS; depth++) {
        uint32_t tok = 0;
        Module *m = movenext_of(&c, sm, &tok);
        int from_pdb = 0;
        if (!m || async_catch_offset(s, m, tok, &from_pdb) < 0) break;
        ICorDebugValue *builder = field(&c, sm, "<>t__builder");
        char bt[256] = "";
        int null = 0;
        ICorDebugValue *bobj = builder ? ev_deref(&c, builder, &null) : NULL;
        ICorDebugType *bty = bobj ? ev_type_of(&c, bobj) : NULL;
        if (!bty) break;                                            /* not C#'s state machine */
        ev_type_name(&c, bty, bt, sizeof bt);
        if (strstr(bt, "AsyncVoidMethodBuilder")) break;            /* async void: NOT_USER */
        if (from_pdb) { fate = EXC_UNHANDLED; break; }               /* async Main */
        ICorDebugValue *task = field(&c, builder, "m_task");
        if (!task) task = field(&c, field(&c, builder, "m_builder"), "m_task");
        ICorDebugValue *cont = field(&c, task, "m_continuationObject");
        ICorDebugValue *cobj = cont ? ev_deref(&c, cont, &null) : NULL;
        if (!task) break;
        ICorDebugValue *next = NULL;
        uint32_t at = 0;
        Module *nm = NULL;
        uint32_t ntok = 0;
        if (!cobj) {
            /* Nobody awaits the task yet: the method ran synchronously from its caller,
             * which gets the task back and awaits (or not) right after. */
            Where w;
            if (!next_user_frame(s, &c, t, &below, &w, &next)) break;
            nm = eng_module_by_id(s, w.module_id);
            ntok = w.token;
            at = w.il;
        } else {
            next = field(&c, cont, "StateMachine");
            if (!next) break;                       /* not an async method's box: framework code */
            nm = movenext_of(&c, next, &ntok);
            PdbModule *sym = nm ? eng_module_symbols(s, nm, 0) : NULL;
            const PdbFile *pdb = sym ? pdb_module_pdb(sym) : NULL;
            EvVal st;
            ICorDebugValue *stv = field(&c, next, "<>1__state");
            if (!pdb || !stv || ev_from_value(&c, stv, &st) != 0) break;
            MdPool pool = { 0 };
            PdbAsyncInfo ai;
            int ok = pdb_async_info(pdb, &pool, ntok & 0x00ffffff, &ai) == 0 && (int32_t)st.bits >= 0 &&
                     (uint32_t)(int32_t)st.bits < ai.nawaits;
            if (ok) at = ai.awaits[(int32_t)st.bits].resume_offset;
            md_pool_free(&pool);
            if (!ok) break;
        }
        if (!nm || !nm->user_code) break;
        PdbModule *nsym = eng_module_symbols(s, nm, 1);
        if (!nsym || !eng_method_is_user_code(nsym, ntok)) break;
        if (user_catch_at(s, nm, ntok, at, &tc)) { fate = EXC_CAUGHT_BY_USER; break; }
        int fp;
        if (async_catch_offset(s, nm, ntok, &fp) < 0) break;   /* a sync caller that does not catch */
        sm = next;
    }
    log_msg(LOG_DEBUG, "exception", "async catch-all: %s", fate == EXC_CAUGHT_BY_USER ? "caught by user code"
            : fate == EXC_UNHANDLED ? "unhandled (async Main)" : "not caught by user code");
    ev_done(&c);
    return fate;
}

uint64_t exc_current_address(EngSession *s, ICorDebugThread *t)
{
    (void)s;
    ICorDebugValue *v = NULL;
    if (!t || FAILED(COM(t, GetCurrentException, &v)) || !v) return 0;
    CORDB_ADDRESS a = 0;
    ICorDebugReferenceValue *rv = NULL;
    if (SUCCEEDED(COM(v, QueryInterface, &IID_ICorDebugReferenceValue, (void **)&rv)) && rv) {
        COM(rv, GetValue, &a);
        COM0(rv, Release);
    } else {
        COM(v, GetAddress, &a);
    }
    COM0(v, Release);
    return a;
}
