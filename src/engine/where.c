/* Frames to source terms: the function with its C# signature, the file and line of the IL
 * offset, and the line's text; and the current exception's type and message. */
#include "engine/internal.h"
#include "eval/eval.h"
#include "base/utf.h"
#include "meta/sig.h"
#include "base/log.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* md_method_display gives "RetType Ns.Type.Name(params)"; a stop line shows no return type.
 * The name starts after the last space outside <> before the parameter list. */
static void strip_return_type(char *s)
{
    int depth = 0;
    char *cut = NULL;
    for (char *p = s; *p && !(*p == '(' && depth == 0); p++) {
        if (*p == '<') depth++;
        else if (*p == '>') depth--;
        else if (*p == ' ' && depth == 0) cut = p + 1;
    }
    if (cut) memmove(s, cut, strlen(cut) + 1);
}

/* The just-my-code attributes (MD_ATTR_DEBUGGER_HIDDEN, _STEP_THROUGH, _NON_USER_CODE) on a
 * method (when with_method) and on its type and the types enclosing that. */
static uint32_t debug_flags(const PdbModule *sym, uint32_t method_token, int with_method)
{
    const MdMeta *md = &pdb_module_image(sym)->md;
    enum { NOT_USER = MD_ATTR_DEBUGGER_HIDDEN | MD_ATTR_DEBUGGER_NON_USER_CODE | MD_ATTR_DEBUGGER_STEP_THROUGH };
    MdPool pool = { 0 };
    MdDebugAttrs a;
    uint32_t flags = 0;
    if (with_method && md_debug_attrs(md, &pool, method_token, &a) == 0) flags |= a.flags & NOT_USER;
    /* The attribute on a type covers its methods, and a nested type's encloser covers it. */
    for (uint32_t t = md_method_owner(md, method_token & 0x00ffffff); t; t = md_enclosing_type(md, t))
        if (md_debug_attrs(md, &pool, 0x02000000 | t, &a) == 0) flags |= a.flags & NOT_USER;
    md_pool_free(&pool);
    return flags;
}

int eng_method_is_user_code(const PdbModule *sym, uint32_t method_token)
{
    return !debug_flags(sym, method_token, 1);
}

uint32_t eng_bp_method_attrs(EngSession *s, Module *m, uint32_t method_token)
{
    PdbModule *sym = m ? eng_module_symbols(s, m, 1) : NULL;
    if (!sym) return 0;
    /* The compiler marks an async method's or iterator's stub [DebuggerStepThrough]: that
     * is no word of the user's (the code is in the state machine's MoveNext). */
    const PdbFile *pdb = pdb_module_pdb(sym);
    if (!pdb || !pdb_movenext_method(pdb, method_token & 0x00ffffff)) return debug_flags(sym, method_token, 1);
    uint32_t f = debug_flags(sym, method_token, 0);
    MdPool pool = { 0 };
    MdDebugAttrs a;
    if (md_debug_attrs(&pdb_module_image(sym)->md, &pool, method_token, &a) == 0)
        f |= a.flags & (MD_ATTR_DEBUGGER_HIDDEN | MD_ATTR_DEBUGGER_NON_USER_CODE);
    md_pool_free(&pool);
    return f;
}

const char *eng_bp_never_stops(EngSession *s, uint32_t f)
{
    /* As Visual Studio: [DebuggerHidden] code is never stopped in; [DebuggerStepThrough]
     * and [DebuggerNonUserCode] code is not the user's, so only without just my code. */
    if (f & MD_ATTR_DEBUGGER_HIDDEN) return "the method is [DebuggerHidden]";
    if (!s->just_my_code) return NULL;
    if (f & MD_ATTR_DEBUGGER_STEP_THROUGH) return "[DebuggerStepThrough] code, just-my-code is on";
    if (f & MD_ATTR_DEBUGGER_NON_USER_CODE) return "[DebuggerNonUserCode] code, just-my-code is on";
    return NULL;
}

static int where_code_inst(EngSession *s, Module *m, uint32_t tok, uint32_t il, const char *const *targs,
                           uint32_t ntargs, Where *w);

/* The frame's instantiation: the names of its type arguments, the class's then the method's
 * (ICorDebugILFrame2); 0 when the frame has none or the runtime cannot tell (shared code
 * without its generic context shows System.__Canon: the parameters' names are truer). */
enum { MAX_TARGS = 16, TARG_CAP = 128 };
static uint32_t frame_type_args(EngSession *s, ICorDebugFrame *f, char names[][TARG_CAP])
{
    ICorDebugILFrame2 *il2 = NULL;
    ICorDebugTypeEnum *en = NULL;
    uint32_t n = 0;
    if (FAILED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame2, (void **)&il2)) || !il2) return 0;
    if (SUCCEEDED(il2->lpVtbl->EnumerateTypeParameters(il2, &en)) && en) {
        EvCtx c;
        int ok = eng_eval_init_on(&c, s, NULL) == 0;
        ICorDebugType *t = NULL;
        ULONG got = 0;
        while (ok && SUCCEEDED(en->lpVtbl->Next(en, 1, &t, &got)) && got == 1) {
            ev_keep(&c, t);
            if (n == MAX_TARGS) { ok = 0; break; }
            ev_type_name(&c, t, names[n], TARG_CAP);
            if (strstr(names[n], "__Canon") || names[n][0] == '?') ok = 0;
            n++;
        }
        ev_done(&c);
        en->lpVtbl->Release(en);
        if (!ok) n = 0;
    }
    il2->lpVtbl->Release(il2);
    return n;
}

int eng_where_frame(EngSession *s, ICorDebugFrame *f, Where *w)
{
    memset(w, 0, sizeof *w);
    ICorDebugFunction *fn = NULL;
    ICorDebugModule *mod = NULL;
    if (FAILED(f->lpVtbl->GetFunction(f, &fn)) || !fn) return -1;
    mdMethodDef tok = 0;
    fn->lpVtbl->GetToken(fn, &tok);
    fn->lpVtbl->GetModule(fn, &mod);
    fn->lpVtbl->Release(fn);
    ICorDebugILFrame *il = NULL;
    if (SUCCEEDED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame, (void **)&il)) && il) {
        ULONG32 off = 0;
        CorDebugMappingResult map;
        if (SUCCEEDED(il->lpVtbl->GetIP(il, &off, &map))) w->il = off;
        log_msg(LOG_DEBUG, "where", "frame token 0x%08x IL 0x%x mapping %d", (unsigned)tok, (unsigned)off, (int)map);
        il->lpVtbl->Release(il);
    }
    Module *m = mod ? eng_module_by_iface(s, mod) : NULL;
    if (mod) mod->lpVtbl->Release(mod);
    if (!m) {
        snprintf(w->function, sizeof w->function, "method 0x%08x", (unsigned)tok);
        return 0;
    }
    char names[MAX_TARGS][TARG_CAP];
    const char *targs[MAX_TARGS];
    uint32_t nt = frame_type_args(s, f, names);
    for (uint32_t i = 0; i < nt; i++) targs[i] = names[i];
    return where_code_inst(s, m, tok, w->il, nt ? targs : NULL, nt, w);
}

void eng_where_instantiate(EngSession *s, ICorDebugThread *t, Where *w)
{
    Module *m = w->module_id ? eng_module_by_id(s, w->module_id) : NULL;
    PdbModule *sym = m ? eng_module_symbols(s, m, 1) : NULL;
    if (!sym || !t) return;
    const MdMeta *md = &pdb_module_image(sym)->md;
    uint32_t rid = w->token & 0x00ffffff, owner = md_method_owner(md, rid);
    if (!md_generic_param_count(md, (uint32_t)MD_T_MethodDef << 24 | rid) &&
        !(owner && md_generic_param_count(md, (uint32_t)MD_T_TypeDef << 24 | owner)))
        return;                                     /* nothing to instantiate: no frame needed */
    ICorDebugFrame *f = NULL;
    Where fw;
    if (SUCCEEDED(t->lpVtbl->GetActiveFrame(t, &f)) && f && eng_where_frame(s, f, &fw) == 0 &&
        fw.token == w->token && fw.module_id == w->module_id)
        snprintf(w->function, sizeof w->function, "%s", fw.function);
    if (f) f->lpVtbl->Release(f);
}

int eng_where_code(EngSession *s, Module *m, uint32_t tok, uint32_t il, Where *w)
{
    return where_code_inst(s, m, tok, il, NULL, 0, w);
}

static int where_code_inst(EngSession *s, Module *m, uint32_t tok, uint32_t il, const char *const *targs,
                           uint32_t ntargs, Where *w)
{
    memset(w, 0, sizeof *w);
    w->token = tok;
    w->il = il;
    snprintf(w->function, sizeof w->function, "method 0x%08x", (unsigned)tok);
    w->module_id = m->id;
    w->user_code = m->user_code;
    PdbModule *sym = eng_module_symbols(s, m, 1);
    if (!sym) return 0;
    const MdImage *img = pdb_module_image(sym);
    const PdbFile *pdb = pdb_module_pdb(sym);
    /* An async method or iterator runs as MoveNext of a generated type: show the user's
     * method, the one the PDB names as its kickoff. */
    uint32_t shown = pdb ? pdb_kickoff_method(pdb, tok & 0x00ffffff) : 0;
    if (!shown) shown = tok & 0x00ffffff;
    /* The arguments split as the shown method's type declares its parameters, then the
     * method its own (a state machine nested in the type repeats them in that order). */
    uint32_t ntype = 0, nmethod = 0;
    if (targs) {
        uint32_t owner = md_method_owner(&img->md, shown);
        ntype = owner ? md_generic_param_count(&img->md, (uint32_t)MD_T_TypeDef << 24 | owner) : 0;
        nmethod = md_generic_param_count(&img->md, (uint32_t)MD_T_MethodDef << 24 | shown);
        if (ntype + nmethod != ntargs) targs = NULL, ntype = nmethod = 0;
    }
    if (shown > md_rows(&img->md, MD_T_MethodDef) && m->enc_applied)
        enc_method_display(s, m, (uint32_t)MD_T_MethodDef << 24 | shown, w->function, sizeof w->function);  /* added by an edit */
    else if (md_method_display_ex(&img->md, shown, MD_DISP_TYPE | MD_DISP_FRIENDLY, targs, ntype, nmethod,
                                  w->function, sizeof w->function) > 0)
        strip_return_type(w->function);
    if (w->user_code && !eng_method_is_user_code(sym, tok)) w->user_code = 0;
    PdbLocation loc;
    if (pdb && pdb_module_locate(sym, tok, il, &loc) == 0 && !loc.hidden) {
        snprintf(w->file, sizeof w->file, "%s", pdb_document_name(pdb, loc.doc));
        w->line = loc.line;
    }
    return 0;
}

typedef struct WhereFirst { int user_first, found, have_first; Where w, first; } WhereFirst;

static int where_first(EngSession *s, ICorDebugFrame *f, void *ctx)
{
    WhereFirst *wf = ctx;
    Where cur;
    if (eng_where_frame(s, f, &cur) != 0) return 0;
    if (!wf->have_first) { wf->first = cur; wf->have_first = 1; }
    if (!wf->user_first || cur.user_code) { wf->w = cur; wf->found = 1; return 1; }
    return 0;
}

int eng_where_thread(EngSession *s, ICorDebugThread *t, int user_first, Where *w)
{
    memset(w, 0, sizeof *w);
    /* The top frame alone: no stack walk. */
    ICorDebugFrame *top = NULL;
    if (!user_first && SUCCEEDED(t->lpVtbl->GetActiveFrame(t, &top)) && top) {
        int rc = eng_where_frame(s, top, w);
        top->lpVtbl->Release(top);
        if (rc == 0) return 0;
    }
    int found = -1;
    ICorDebugChainEnum *chains = NULL;
    if (FAILED(t->lpVtbl->EnumerateChains(t, &chains)) || !chains) {
        /* No chains (a dump): the V3 walk. */
        WhereFirst wf = { .user_first = user_first };
        if (eng_walk_managed(s, t, where_first, &wf) != 0) return -1;
        if (wf.found) *w = wf.w;
        else if (wf.have_first) *w = wf.first;
        return wf.found || wf.have_first ? 0 : -1;
    }
    ICorDebugChain *chain = NULL;
    ULONG got = 0;
    Where first = { 0 };
    int have_first = 0;
    while (found != 0 && SUCCEEDED(chains->lpVtbl->Next(chains, 1, &chain, &got)) && got == 1) {
        ICorDebugFrameEnum *frames = NULL;
        if (SUCCEEDED(chain->lpVtbl->EnumerateFrames(chain, &frames)) && frames) {
            ICorDebugFrame *f = NULL;
            ULONG n = 0;
            while (SUCCEEDED(frames->lpVtbl->Next(frames, 1, &f, &n)) && n == 1) {
                Where cur;
                int ok = eng_where_frame(s, f, &cur) == 0;
                f->lpVtbl->Release(f);
                if (!ok) continue;
                if (!have_first) { first = cur; have_first = 1; }
                if (!user_first || cur.user_code) { *w = cur; found = 0; break; }
            }
            frames->lpVtbl->Release(frames);
        }
        chain->lpVtbl->Release(chain);
    }
    chains->lpVtbl->Release(chains);
    if (found != 0 && have_first) { *w = first; found = 0; }
    return found;
}

/* The string in a string value, as UTF-8. */
static void string_value(ICorDebugValue *v, char *out, size_t cap)
{
    ICorDebugStringValue *sv = NULL;
    out[0] = 0;
    if (FAILED(v->lpVtbl->QueryInterface(v, &IID_ICorDebugStringValue, (void **)&sv)) || !sv) return;
    ULONG32 len = 0;
    sv->lpVtbl->GetLength(sv, &len);
    if (len > 4096) len = 4096;
    WCHAR buf[4097];
    ULONG32 got = 0;
    if (SUCCEEDED(sv->lpVtbl->GetString(sv, len + 1, &got, buf))) {
        buf[got < len ? got : len] = 0;
        utf8_from_utf16_buf(out, cap, (const uint16_t *)buf, (size_t)-1);
    }
    sv->lpVtbl->Release(sv);
}

/* Follow references until an object value. */
static ICorDebugObjectValue *object_of(ICorDebugValue *v)
{
    v->lpVtbl->AddRef(v);
    for (int i = 0; i < 4; i++) {
        ICorDebugObjectValue *ov = NULL;
        if (SUCCEEDED(v->lpVtbl->QueryInterface(v, &IID_ICorDebugObjectValue, (void **)&ov)) && ov) {
            v->lpVtbl->Release(v);
            return ov;
        }
        ICorDebugReferenceValue *rv = NULL;
        if (FAILED(v->lpVtbl->QueryInterface(v, &IID_ICorDebugReferenceValue, (void **)&rv)) || !rv) break;
        BOOL null = TRUE;
        ICorDebugValue *next = NULL;
        rv->lpVtbl->IsNull(rv, &null);
        if (!null) rv->lpVtbl->Dereference(rv, &next);
        rv->lpVtbl->Release(rv);
        v->lpVtbl->Release(v);
        if (!next) return NULL;
        v = next;
    }
    v->lpVtbl->Release(v);
    return NULL;
}

void eng_md_type_name(IMetaDataImport *md, mdTypeDef t, char *out, size_t cap)
{
    char acc[1024] = "";
    for (int depth = 0; t && depth < 16; depth++) {
        WCHAR w[512];
        ULONG len = 0;
        DWORD flags = 0;
        mdToken ext = 0;
        if (FAILED(md->lpVtbl->GetTypeDefProps(md, t, w, 512, &len, &flags, &ext))) break;
        w[len && len <= 512 ? len - 1 : 0] = 0;
        char part[512], joined[1024];
        utf8_from_utf16_buf(part, sizeof part, (const uint16_t *)w, (size_t)-1);
        snprintf(joined, sizeof joined, "%s%s%s", part, acc[0] ? "." : "", acc);
        snprintf(acc, sizeof acc, "%s", joined);
        mdTypeDef outer = 0;
        if (FAILED(md->lpVtbl->GetNestedClassProps(md, t, &outer))) break;
        t = outer;
    }
    snprintf(out, cap, "%s", acc);
}

void eng_class_name(ICorDebugClass *c, char *name, size_t cap, mdFieldDef *message_field)
{
    mdFieldDef unused;
    if (!message_field) message_field = &unused;
    mdTypeDef tok = 0;
    c->lpVtbl->GetToken(c, &tok);
    snprintf(name, cap, "0x%08x", (unsigned)tok);
    *message_field = 0;
    ICorDebugModule *mod = NULL;
    IMetaDataImport *md = NULL;
    if (FAILED(c->lpVtbl->GetModule(c, &mod)) || !mod) return;
    if (SUCCEEDED(mod->lpVtbl->GetMetaDataInterface(mod, &IID_IMetaDataImport, (IUnknown **)&md)) && md) {
        char acc[1024];
        eng_md_type_name(md, tok, acc, sizeof acc);
        if (acc[0]) snprintf(name, cap, "%s", acc);
        if (strcmp(acc, "System.Exception") == 0) {
            static const WCHAR field[] = { '_', 'm', 'e', 's', 's', 'a', 'g', 'e', 0 };
            md->lpVtbl->FindField(md, tok, field, NULL, 0, message_field);
        }
        md->lpVtbl->Release(md);
    }
    mod->lpVtbl->Release(mod);
}

void eng_exception_info(EngSession *s, ICorDebugThread *t, char *type, size_t tcap, char *msg, size_t mcap)
{
    (void)s;
    snprintf(type, tcap, "?");
    msg[0] = 0;
    ICorDebugValue *v = NULL;
    if (FAILED(t->lpVtbl->GetCurrentException(t, &v)) || !v) return;
    eng_exception_value_info(v, type, tcap, msg, mcap);
    v->lpVtbl->Release(v);
}

/* The IL offset of native offset `off` in code (the mapping entry holding it); 0 when unknown. */
static uint32_t il_at_native(ICorDebugCode *code, uint32_t off)
{
    ULONG32 n = 0;
    uint32_t il = 0;
    if (FAILED(code->lpVtbl->GetILToNativeMapping(code, 0, &n, NULL)) || !n || n > 100000) return 0;
    COR_DEBUG_IL_TO_NATIVE_MAP *map = calloc(n, sizeof *map);
    if (map && SUCCEEDED(code->lpVtbl->GetILToNativeMapping(code, n, &n, map))) {
        uint32_t best = 0;
        for (ULONG32 i = 0; i < n; i++)
            if ((int32_t)map[i].ilOffset >= 0 && map[i].nativeStartOffset <= off && map[i].nativeStartOffset >= best &&
                (off < map[i].nativeEndOffset || map[i].nativeEndOffset <= map[i].nativeStartOffset)) {
                best = map[i].nativeStartOffset;
                il = map[i].ilOffset;
            }
    }
    free(map);
    return il;
}

size_t eng_exception_stack(EngSession *s, ICorDebugValue *exc, char *out, size_t cap)
{
    if (cap) out[0] = 0;
    ICorDebugObjectValue *obj = object_of(exc);
    if (!obj) return 0;
    ICorDebugExceptionObjectValue *ev = NULL;
    ICorDebugExceptionObjectCallStackEnum *en = NULL;
    HRESULT hr = obj->lpVtbl->QueryInterface(obj, &IID_ICorDebugExceptionObjectValue, (void **)&ev);
    obj->lpVtbl->Release(obj);
    if (FAILED(hr) || !ev) return 0;
    hr = ev->lpVtbl->EnumerateExceptionCallStack(ev, &en);
    ev->lpVtbl->Release(ev);
    if (FAILED(hr) || !en) return 0;
    size_t len = 0, nframes = 0;
    CorDebugExceptionObjectStackFrame fr;
    ULONG got = 0;
    while (nframes < 64 && SUCCEEDED(en->lpVtbl->Next(en, 1, &fr, &got)) && got == 1) {
        Module *m = fr.pModule ? eng_module_by_iface(s, fr.pModule) : NULL;
        uint32_t il = 0;
        ICorDebugFunction *fn = NULL;
        ICorDebugCode *code = NULL;
        if (fr.pModule && SUCCEEDED(fr.pModule->lpVtbl->GetFunctionFromToken(fr.pModule, fr.methodDef, &fn)) && fn) {
            CORDB_ADDRESS start = 0;
            /* The frame's ip is where it was when the stack trace was captured: the throw's
             * own address at the first frame, a return address (one past the call) above it. */
            if (SUCCEEDED(fn->lpVtbl->GetNativeCode(fn, &code)) && code &&
                SUCCEEDED(code->lpVtbl->GetAddress(code, &start)) && fr.ip > start)
                il = il_at_native(code, (uint32_t)(fr.ip - start - (nframes ? 1 : 0)));
            if (code) code->lpVtbl->Release(code);
            fn->lpVtbl->Release(fn);
        }
        Where w;
        memset(&w, 0, sizeof w);
        if (!m || eng_where_code(s, m, fr.methodDef, il, &w) != 0) snprintf(w.function, sizeof w.function, "?");
        /* A hidden sequence point there (an await's resumption code): the statement is the
         * last visible one before it, as the runtime's own stack trace says. */
        for (uint32_t back = il; m && !w.line && back > 0 && il - back < 4096; ) {
            Where wb;
            if (eng_where_code(s, m, fr.methodDef, --back, &wb) == 0 && wb.line) { w.line = wb.line; memcpy(w.file, wb.file, sizeof w.file); }
        }
        if (fr.pModule) fr.pModule->lpVtbl->Release(fr.pModule);
        if (len < cap) {
            if (w.line && w.file[0])
                len += (size_t)snprintf(out + len, cap - len, "%s   at %s in %s:line %u", nframes ? "\n" : "", w.function,
                                        w.file, w.line);
            else
                len += (size_t)snprintf(out + len, cap - len, "%s   at %s", nframes ? "\n" : "", w.function);
        }
        nframes++;
    }
    en->lpVtbl->Release(en);
    if (len >= cap && cap) out[cap - 1] = 0;
    return nframes;
}

void eng_exception_value_info(ICorDebugValue *v, char *type, size_t tcap, char *msg, size_t mcap)
{
    snprintf(type, tcap, "?");
    msg[0] = 0;
    ICorDebugObjectValue *obj = object_of(v);
    if (!obj) return;
    /* The exception's own class names it; walking up its bases finds System.Exception,
     * whose _message field holds the message. */
    ICorDebugValue2 *v2 = NULL;
    ICorDebugType *ty = NULL;
    if (SUCCEEDED(obj->lpVtbl->QueryInterface(obj, &IID_ICorDebugValue2, (void **)&v2)) && v2) {
        v2->lpVtbl->GetExactType(v2, &ty);
        v2->lpVtbl->Release(v2);
    }
    int first = 1;
    for (int depth = 0; ty && depth < 32; depth++) {
        ICorDebugClass *c = NULL;
        char name[512];
        mdFieldDef field = 0;
        if (SUCCEEDED(ty->lpVtbl->GetClass(ty, &c)) && c) {
            eng_class_name(c, name, sizeof name, &field);
            if (first && name[0]) snprintf(type, tcap, "%s", name);
            first = 0;
            if (field) {
                ICorDebugValue *mv = NULL;
                if (SUCCEEDED(obj->lpVtbl->GetFieldValue(obj, c, field, &mv)) && mv) {
                    ICorDebugReferenceValue *rv = NULL;
                    ICorDebugValue *str = NULL;
                    if (SUCCEEDED(mv->lpVtbl->QueryInterface(mv, &IID_ICorDebugReferenceValue, (void **)&rv)) && rv) {
                        BOOL null = TRUE;
                        rv->lpVtbl->IsNull(rv, &null);
                        if (!null) rv->lpVtbl->Dereference(rv, &str);
                        rv->lpVtbl->Release(rv);
                    }
                    if (str) { string_value(str, msg, mcap); str->lpVtbl->Release(str); }
                    mv->lpVtbl->Release(mv);
                }
                c->lpVtbl->Release(c);
                break;
            }
            c->lpVtbl->Release(c);
        }
        ICorDebugType *base = NULL;
        ty->lpVtbl->GetBase(ty, &base);
        ty->lpVtbl->Release(ty);
        ty = base;
    }
    if (ty) ty->lpVtbl->Release(ty);
    obj->lpVtbl->Release(obj);
}

/* The field `name` of class c, from its module's metadata; 0 when there is none. */
static mdFieldDef find_field(ICorDebugClass *c, const char *name)
{
    mdTypeDef tok = 0;
    mdFieldDef field = 0;
    ICorDebugModule *mod = NULL;
    IMetaDataImport *md = NULL;
    c->lpVtbl->GetToken(c, &tok);
    if (FAILED(c->lpVtbl->GetModule(c, &mod)) || !mod) return 0;
    if (SUCCEEDED(mod->lpVtbl->GetMetaDataInterface(mod, &IID_IMetaDataImport, (IUnknown **)&md)) && md) {
        WCHAR w[64];
        size_t i = 0;
        for (; name[i] && i < 63; i++) w[i] = (WCHAR)(unsigned char)name[i];
        w[i] = 0;
        md->lpVtbl->FindField(md, tok, w, NULL, 0, &field);
        md->lpVtbl->Release(md);
    }
    mod->lpVtbl->Release(mod);
    return field;
}

void eng_thread_info(ICorDebugThread *t, char *name, size_t cap, char *state, size_t scap)
{
    name[0] = 0;
    state[0] = 0;
    CorDebugUserState us = 0;
    if (SUCCEEDED(t->lpVtbl->GetUserState(t, &us))) {
        snprintf(state, scap, "%s%s%s%s",
                 us & USER_WAIT_SLEEP_JOIN ? "waiting " : "", us & USER_SUSPENDED ? "suspended " : "",
                 us & USER_BACKGROUND ? "background " : "", us & USER_THREADPOOL ? "threadpool " : "");
        size_t n = strlen(state);
        if (n) state[n - 1] = 0;
    }
    /* The managed name: the _name field of the thread's System.Threading.Thread object. */
    ICorDebugValue *v = NULL;
    if (FAILED(t->lpVtbl->GetObject(t, &v)) || !v) return;
    ICorDebugObjectValue *obj = object_of(v);
    v->lpVtbl->Release(v);
    if (!obj) return;
    ICorDebugClass *c = NULL;
    if (SUCCEEDED(obj->lpVtbl->GetClass(obj, &c)) && c) {
        mdFieldDef f = find_field(c, "_name");
        ICorDebugValue *nv = NULL;
        if (f && SUCCEEDED(obj->lpVtbl->GetFieldValue(obj, c, f, &nv)) && nv) {
            ICorDebugReferenceValue *rv = NULL;
            ICorDebugValue *sv = NULL;
            if (SUCCEEDED(nv->lpVtbl->QueryInterface(nv, &IID_ICorDebugReferenceValue, (void **)&rv)) && rv) {
                BOOL null = TRUE;
                rv->lpVtbl->IsNull(rv, &null);
                if (!null) rv->lpVtbl->Dereference(rv, &sv);
                rv->lpVtbl->Release(rv);
            }
            if (sv) { string_value(sv, name, cap); sv->lpVtbl->Release(sv); }
            nv->lpVtbl->Release(nv);
        }
        c->lpVtbl->Release(c);
    }
    obj->lpVtbl->Release(obj);
}

/* A value shown inline when it is cheap to read: primitives, strings (cut at 40 characters),
 * null. Returns 0 and the text, or -1 for anything else. */
static int cheap_value(ICorDebugValue *v, char *out, size_t cap)
{
    CorElementType t = 0;
    if (FAILED(v->lpVtbl->GetType(v, &t))) return -1;
    if (t == ELEMENT_TYPE_STRING || t == ELEMENT_TYPE_CLASS || t == ELEMENT_TYPE_OBJECT ||
        t == ELEMENT_TYPE_SZARRAY || t == ELEMENT_TYPE_ARRAY) {
        ICorDebugReferenceValue *rv = NULL;
        if (FAILED(v->lpVtbl->QueryInterface(v, &IID_ICorDebugReferenceValue, (void **)&rv)) || !rv) return -1;
        BOOL null = FALSE;
        ICorDebugValue *target = NULL;
        rv->lpVtbl->IsNull(rv, &null);
        if (!null && t == ELEMENT_TYPE_STRING) rv->lpVtbl->Dereference(rv, &target);
        rv->lpVtbl->Release(rv);
        if (null) { snprintf(out, cap, "null"); return 0; }
        if (!target) return -1;
        char text[160];
        string_value(target, text, sizeof text);
        target->lpVtbl->Release(target);
        size_t n = strlen(text);
        if (n > 40) snprintf(out, cap, "\"%.40s...\"", text);
        else snprintf(out, cap, "\"%s\"", text);
        return 0;
    }
    ICorDebugGenericValue *gv = NULL;
    if (FAILED(v->lpVtbl->QueryInterface(v, &IID_ICorDebugGenericValue, (void **)&gv)) || !gv) return -1;
    union { uint8_t b[8]; int8_t i8; uint8_t u8; int16_t i16; uint16_t u16; int32_t i32; uint32_t u32;
            int64_t i64; uint64_t u64; float f; double d; } u = { 0 };
    HRESULT hr = gv->lpVtbl->GetValue(gv, u.b);
    gv->lpVtbl->Release(gv);
    if (FAILED(hr)) return -1;
    switch (t) {
    case ELEMENT_TYPE_BOOLEAN: snprintf(out, cap, "%s", u.u8 ? "true" : "false"); return 0;
    case ELEMENT_TYPE_CHAR:
        if (u.u16 >= 0x20 && u.u16 < 0x7f && u.u16 != '\'' && u.u16 != '\\') snprintf(out, cap, "'%c'", u.u16);
        else snprintf(out, cap, "'\\u%04x'", u.u16);
        return 0;
    case ELEMENT_TYPE_I1: snprintf(out, cap, "%d", u.i8); return 0;
    case ELEMENT_TYPE_U1: snprintf(out, cap, "%u", u.u8); return 0;
    case ELEMENT_TYPE_I2: snprintf(out, cap, "%d", u.i16); return 0;
    case ELEMENT_TYPE_U2: snprintf(out, cap, "%u", u.u16); return 0;
    case ELEMENT_TYPE_I4: snprintf(out, cap, "%d", u.i32); return 0;
    case ELEMENT_TYPE_U4: snprintf(out, cap, "%u", u.u32); return 0;
    case ELEMENT_TYPE_I8: snprintf(out, cap, "%lld", (long long)u.i64); return 0;
    case ELEMENT_TYPE_U8: snprintf(out, cap, "%llu", (unsigned long long)u.u64); return 0;
    case ELEMENT_TYPE_R4: snprintf(out, cap, "%g", (double)u.f); return 0;
    case ELEMENT_TYPE_R8: snprintf(out, cap, "%g", u.d); return 0;
    default: return -1;
    }
}

void eng_where_args(EngSession *s, ICorDebugFrame *f, Where *w)
{
    Module *m = w->module_id ? eng_module_by_id(s, w->module_id) : NULL;
    PdbModule *sym = m ? eng_module_symbols(s, m, 1) : NULL;
    if (!sym) return;
    const MdMeta *md = &pdb_module_image(sym)->md;
    uint32_t rid = w->token & 0x00ffffff;
    const PdbFile *pdb = pdb_module_pdb(sym);
    if (pdb && pdb_kickoff_method(pdb, rid)) return;   /* shown as its kickoff: other arguments */
    enum { STATIC = 0x0010 };
    DWORD first = (md_get(md, MD_T_MethodDef, rid, MD_MethodDef_Flags) & STATIC) ? 0 : 1;
    /* The parameter list: from the '(' matching the display's last ')'. */
    char *fn = w->function;
    size_t len = strlen(fn);
    if (!len || fn[len - 1] != ')') return;
    int depth = 0;
    size_t open = len - 1;
    for (size_t i = len; i-- > 0;) {
        if (fn[i] == ')') depth++;
        else if (fn[i] == '(' && --depth == 0) { open = i; break; }
    }
    if (fn[open] != '(' || open + 2 >= len) return;       /* no parameters */
    ICorDebugILFrame *il = NULL;
    if (FAILED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame, (void **)&il)) || !il) return;
    char out[sizeof w->function];
    size_t o = 0;
    memcpy(out, fn, open + 1);
    o = open + 1;
    DWORD arg = first;
    size_t start = open + 1;
    depth = 0;
    for (size_t i = open + 1; i < len && o + 1 < sizeof out; i++) {
        char c = fn[i];
        int end_of_param = (c == ',' && depth == 0) || i == len - 1;
        if (c == '<' || c == '(' || c == '[') depth++;
        else if (c == '>' || c == ')' || c == ']') depth--;
        if (!end_of_param) continue;
        o += (size_t)snprintf(out + o, sizeof out - o, "%.*s", (int)(i - start), fn + start);
        ICorDebugValue *v = NULL;
        char val[128];
        if (SUCCEEDED(il->lpVtbl->GetArgument(il, arg, &v)) && v) {
            if (cheap_value(v, val, sizeof val) == 0 && o < sizeof out)
                o += (size_t)snprintf(out + o, sizeof out - o, " = %s", val);
            v->lpVtbl->Release(v);
        }
        arg++;
        if (o < sizeof out) o += (size_t)snprintf(out + o, sizeof out - o, "%c", c == ',' ? ',' : ')');
        start = i + 1;
    }
    il->lpVtbl->Release(il);
    if (o < sizeof out) snprintf(w->function, sizeof w->function, "%s", out);
}
