/* C variables for watchpoints: a name looked up in DWARF from a pc (its scopes, then every
 * module's globals), its location evaluated to an address (the simple forms a -O0 build and
 * globals use: DW_OP_addr, DW_OP_fbreg over a DW_OP_call_frame_cfa or rbp frame base,
 * DW_OP_breg6), and its type reduced to a size and a way to print it. */
#include "native/sym.h"
#include "native/sym_dwfl.h"

#include <dwarf.h>
#include <elfutils/libdw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Follow typedefs and qualifiers to the type that says how the bytes read; out->type keeps
 * the first name met (a typedef's, as the source spells the variable). */
static void describe_type(Dwarf_Die *var, NsVar *out)
{
    Dwarf_Attribute at;
    Dwarf_Die t;
    out->enc = '?';
    out->size = 0;
    snprintf(out->type, sizeof out->type, "void");
    if (!dwarf_attr_integrate(var, DW_AT_type, &at) || !dwarf_formref_die(&at, &t)) return;
    const char *shown = NULL;
    for (int depth = 0; depth < 32; depth++) {
        int tag = dwarf_tag(&t);
        if (!shown && tag == DW_TAG_typedef) shown = dwarf_diename(&t);
        if (tag != DW_TAG_typedef && tag != DW_TAG_const_type && tag != DW_TAG_volatile_type &&
            tag != DW_TAG_restrict_type && tag != DW_TAG_atomic_type)
            break;
        if (!dwarf_attr_integrate(&t, DW_AT_type, &at) || !dwarf_formref_die(&at, &t)) return;   /* const void */
    }
    Dwarf_Word size = 0;
    if (dwarf_aggregate_size(&t, &size) == 0) out->size = (int)(size > 1u << 20 ? 1u << 20 : size);
    int tag = dwarf_tag(&t);
    const char *name = dwarf_diename(&t);
    Dwarf_Word enc = 0;
    switch (tag) {
    case DW_TAG_base_type:
        if (dwarf_attr_integrate(&t, DW_AT_encoding, &at)) dwarf_formudata(&at, &enc);
        out->enc = enc == DW_ATE_signed ? 's' : enc == DW_ATE_unsigned ? 'u' : enc == DW_ATE_float ? 'f'
                 : enc == DW_ATE_boolean ? 'b' : enc == DW_ATE_signed_char || enc == DW_ATE_unsigned_char ? 'c' : '?';
        if (out->enc == 'c' && out->size != 1) out->enc = enc == DW_ATE_signed_char ? 's' : 'u';
        break;
    case DW_TAG_pointer_type: out->enc = 'p'; out->size = 8; if (!name) name = "pointer"; break;
    case DW_TAG_enumeration_type: out->enc = 's'; break;
    default: break;
    }
    const char *kind = tag == DW_TAG_structure_type ? "struct " : tag == DW_TAG_union_type ? "union "
                     : tag == DW_TAG_enumeration_type ? "enum " : "";
    if (shown) snprintf(out->type, sizeof out->type, "%s", shown);
    else if (name) snprintf(out->type, sizeof out->type, "%s%s", kind, name);
    else if (tag == DW_TAG_array_type) snprintf(out->type, sizeof out->type, "array");
    else snprintf(out->type, sizeof out->type, "%s<anonymous>", kind);
}

/* One location expression to an address. */
static int eval_location(const Dwarf_Op *ops, size_t n, uint64_t bias, int has_fb, uint64_t fb, uint64_t rbp,
                         const char *name, uint64_t *addr, char *err, size_t cap)
{
    if (n == 0) { snprintf(err, cap, "'%s' has no location here (optimized out)", name); return -1; }
    if (n > 1 && (ops[1].atom == DW_OP_GNU_push_tls_address || ops[1].atom == DW_OP_form_tls_address)) {
        snprintf(err, cap, "'%s' is thread-local: watch *(TYPE *)ADDRESS of one thread's copy instead", name);
        return -1;
    }
    uint8_t a = ops[0].atom;
    if (n == 1 && a == DW_OP_addr) { *addr = ops[0].number + bias; return 0; }
    if (n == 1 && a == DW_OP_fbreg) {
        if (!has_fb) { snprintf(err, cap, "cannot find the frame of '%s'", name); return -1; }
        *addr = fb + (uint64_t)(int64_t)ops[0].number;
        return 0;
    }
    if (n == 1 && a == DW_OP_breg6 && rbp) { *addr = rbp + (uint64_t)(int64_t)ops[0].number; return 0; }
    if ((a >= DW_OP_reg0 && a <= DW_OP_reg31) || a == DW_OP_regx) {
        snprintf(err, cap, "'%s' lives in a register here: a hardware watchpoint needs memory", name);
        return -1;
    }
    snprintf(err, cap, "cannot read the location of '%s' (DWARF operation 0x%x)", name, a);
    return -1;
}

/* The frame base of the function (the DW_TAG_subprogram among the scopes) at file pc. */
static int frame_base(Dwarf_Die *fn, Dwarf_Addr pc, uint64_t cfa, uint64_t rbp, uint64_t *out)
{
    Dwarf_Attribute at;
    Dwarf_Op *ops;
    size_t n;
    if (!dwarf_attr_integrate(fn, DW_AT_frame_base, &at) || dwarf_getlocation_addr(&at, pc, &ops, &n, 1) < 1 || n != 1)
        return -1;
    if (ops[0].atom == DW_OP_call_frame_cfa && cfa) { *out = cfa; return 0; }
    if (ops[0].atom == DW_OP_reg6 && rbp) { *out = rbp; return 0; }
    if (ops[0].atom == DW_OP_breg6 && rbp) { *out = rbp + (uint64_t)(int64_t)ops[0].number; return 0; }
    return -1;
}

static int is_var(Dwarf_Die *d, const char *name)
{
    int tag = dwarf_tag(d);
    const char *n = (tag == DW_TAG_variable || tag == DW_TAG_formal_parameter) ? dwarf_diename(d) : NULL;
    return n && strcmp(n, name) == 0;
}

/* A variable die with a location (not a declaration) named name among the children of parent. */
static int find_child(Dwarf_Die *parent, const char *name, Dwarf_Die *out)
{
    Dwarf_Die c;
    if (dwarf_child(parent, &c) != 0) return 0;
    do {
        if (is_var(&c, name) && dwarf_hasattr_integrate(&c, DW_AT_location)) { *out = c; return 1; }
    } while (dwarf_siblingof(&c, &c) == 0);
    return 0;
}

static int var_address(Dwarf_Die *var, Dwarf_Addr pc, uint64_t bias, int has_fb, uint64_t fb, uint64_t rbp,
                       const char *name, uint64_t *addr, char *err, size_t cap)
{
    Dwarf_Attribute at;
    Dwarf_Op *ops;
    size_t n;
    if (!dwarf_attr_integrate(var, DW_AT_location, &at)) { snprintf(err, cap, "'%s' has no location", name); return -1; }
    int k = dwarf_getlocation_addr(&at, pc, &ops, &n, 1);
    if (k < 1) { snprintf(err, cap, "'%s' is optimized out here", name); return -1; }
    return eval_location(ops, n, bias, has_fb, fb, rbp, name, addr, err, cap);
}

typedef struct GlobalQuery {
    const char *name;
    NsVar      *out;
    int         found;
    char       *err; size_t cap;
} GlobalQuery;

static int visit_module(Dwfl_Module *mod, void **userdata, const char *mname, Dwarf_Addr start, void *arg)
{
    (void)userdata; (void)mname; (void)start;
    GlobalQuery *q = arg;
    Dwarf_Addr bias;
    Dwarf *dw = dwfl_module_getdwarf(mod, &bias);
    if (!dw) return DWARF_CB_OK;
    Dwarf_Off off = 0, next;
    size_t hsize;
    while (dwarf_nextcu(dw, off, &next, &hsize, NULL, NULL, NULL) == 0) {
        Dwarf_Die cu, var;
        if (dwarf_offdie(dw, off + hsize, &cu) && find_child(&cu, q->name, &var)) {
            if (var_address(&var, 0, bias, 0, 0, 0, q->name, &q->out->addr, q->err, q->cap) == 0) {
                describe_type(&var, q->out);
                q->found = 1;
                return DWARF_CB_ABORT;
            }
            q->found = -1;      /* keep looking; the error stays if nothing better comes */
        }
        off = next;
    }
    return DWARF_CB_OK;
}

int ns_variable(NsSpace *sp, const char *name, uint64_t pc, uint64_t cfa, uint64_t rbp, NsVar *out,
                char *err, size_t cap)
{
    memset(out, 0, sizeof *out);
    Dwfl *dwfl = ns_dwfl(sp);
    if (!dwfl) { snprintf(err, cap, "no symbols"); return -1; }
    Dwfl_Module *mod = pc ? dwfl_addrmodule(dwfl, pc) : NULL;
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = mod ? dwfl_module_addrdie(mod, pc, &bias) : NULL;
    if (cu) {
        Dwarf_Die *scopes = NULL;
        int n = dwarf_getscopes(cu, pc - bias, &scopes);
        uint64_t fb = 0;
        int has_fb = 0;
        for (int i = 0; i < n && !has_fb; i++)
            if (dwarf_tag(&scopes[i]) == DW_TAG_subprogram) has_fb = frame_base(&scopes[i], pc - bias, cfa, rbp, &fb) == 0;
        for (int i = 0; i < n; i++) {
            Dwarf_Die var;
            if (!find_child(&scopes[i], name, &var)) continue;
            int rc = var_address(&var, pc - bias, bias, has_fb, fb, rbp, name, &out->addr, err, cap);
            if (rc == 0) {
                describe_type(&var, out);
                out->local = dwarf_tag(&scopes[i]) != DW_TAG_compile_unit;
            }
            free(scopes);
            return rc;
        }
        free(scopes);
    }
    GlobalQuery q = { .name = name, .out = out, .err = err, .cap = cap };
    dwfl_getmodules(dwfl, visit_module, &q, 0);
    if (q.found > 0) return 0;
    if (q.found == 0) snprintf(err, cap, "No symbol \"%s\" in current context.", name);
    return -1;
}
