/* The selected frame's arguments and locals, by their source names (metadata parameters,
 * PDB local scopes), with their values as far as cheap_value and type names reach. The
 * full value model (objects, collections, expressions) is the inspection layer's, later. */
#include "engine/internal.h"
#include "meta/md.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int add(EngResult *r, size_t *cap, const char *name, const char *value)
{
    if (!GROW(r->vars, r->nvars, *cap)) return -1;
    EngVar *v = &r->vars[r->nvars++];
    snprintf(v->name, sizeof v->name, "%s", name);
    snprintf(v->value, sizeof v->value, "%s", value);
    return 0;
}

void vars_request(EngSession *s, Request *rq)
{
    EngResult *r = rq->res;
    if (s->state != ENG_STOPPED) {
        snprintf(r->err, sizeof r->err, s->state == ENG_NONE ? "the program is not being run" : "the program is running");
        r->status = -1;
        return;
    }
    Thread *th = eng_selected_thread(s);
    ICorDebugFrame *f = th ? eng_frame_at(s, th->t, s->current_frame) : NULL;
    ICorDebugILFrame *il = NULL;
    Where w;
    if (!f || eng_where_frame(s, f, &w) != 0 ||
        FAILED(f->lpVtbl->QueryInterface(f, &IID_ICorDebugILFrame, (void **)&il)) || !il) {
        if (f) f->lpVtbl->Release(f);
        snprintf(r->err, sizeof r->err, "the selected frame is not managed code");
        r->status = -1;
        return;
    }
    Module *m = eng_module_by_id(s, w.module_id);
    PdbModule *sym = m ? eng_module_symbols(s, m, rq->value == 'a') : NULL;
    size_t cap = 0;
    char text[512];
    if (!sym) {
        snprintf(r->err, sizeof r->err, "no symbols for %s", w.function);
        r->status = -1;
    } else if (rq->value == 'a') {
        const MdMeta *md = &pdb_module_image(sym)->md;
        uint32_t rid = w.token & 0x00ffffff;
        enum { STATIC = 0x0010 };
        DWORD index = 0;
        if (!(md_get(md, MD_T_MethodDef, rid, MD_MethodDef_Flags) & STATIC)) {
            ICorDebugValue *v = NULL;
            if (SUCCEEDED(il->lpVtbl->GetArgument(il, index, &v)) && v) {
                eng_value_text(v, text, sizeof text);
                add(r, &cap, "this", text);
                v->lpVtbl->Release(v);
            }
            index++;
        }
        uint32_t first, end;
        md_list_range(md, MD_T_MethodDef, rid, MD_MethodDef_ParamList, MD_T_Param, &first, &end);
        /* Parameters by sequence (row order need not be); sequence 0 is the return value. */
        for (uint32_t seq = 1; seq < 256; seq++) {
            const char *name = NULL;
            for (uint32_t p = first; p < end && !name; p++)
                if (md_get(md, MD_T_Param, p, MD_Param_Sequence) == seq) name = md_string(md, md_get(md, MD_T_Param, p, MD_Param_Name));
            ICorDebugValue *v = NULL;
            if (FAILED(il->lpVtbl->GetArgument(il, index + seq - 1, &v)) || !v) break;
            eng_value_text(v, text, sizeof text);
            char fallback[32];
            snprintf(fallback, sizeof fallback, "arg%u", (unsigned)seq);
            add(r, &cap, name && *name ? name : fallback, text);
            v->lpVtbl->Release(v);
        }
    } else {
        MdPool pool = { 0 };
        PdbLocal *locals = NULL;
        uint32_t n = 0;
        if (!pdb_module_pdb(sym) || pdb_module_locals_at(sym, &pool, w.token, w.il, &locals, &n) != 0) n = 0;
        for (uint32_t i = 0; i < n; i++) {
            if (locals[i].attrs & 1) continue;            /* DebuggerHidden: compiler temporaries */
            if (locals[i].is_const) { add(r, &cap, locals[i].name, "(constant)"); continue; }
            ICorDebugValue *v = NULL;
            if (SUCCEEDED(il->lpVtbl->GetLocalVariable(il, locals[i].slot, &v)) && v) {
                eng_value_text(v, text, sizeof text);
                v->lpVtbl->Release(v);
            } else {
                snprintf(text, sizeof text, "(not available here)");
            }
            add(r, &cap, locals[i].name, text);
        }
        md_pool_free(&pool);
    }
    il->lpVtbl->Release(il);
    f->lpVtbl->Release(f);
}
