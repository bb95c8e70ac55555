/* x86-64 disassembly with capstone, shaped to read like gdb's (binutils') output. */
#include "native/disasm.h"

#include <capstone/capstone.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct NdDisasm {
    csh      cs;
    cs_insn *insn;      /* one reusable decode slot for cs_disasm_iter (no per-call malloc) */
    int      intel;
};

NdDisasm *nd_new(int intel)
{
    NdDisasm *d = calloc(1, sizeof *d);
    if (!d) return NULL;
    d->intel = intel != 0;
    if (cs_open(CS_ARCH_X86, CS_MODE_64, &d->cs) != CS_ERR_OK) {
        free(d);
        return NULL;
    }
    /* Groups (call/ret/jump) and operands (branch targets, register kinds) need detail. */
    if (cs_option(d->cs, CS_OPT_DETAIL, CS_OPT_ON) != CS_ERR_OK ||
        cs_option(d->cs, CS_OPT_SYNTAX, intel ? CS_OPT_SYNTAX_INTEL : CS_OPT_SYNTAX_ATT) != CS_ERR_OK ||
        !(d->insn = cs_malloc(d->cs))) {
        cs_close(&d->cs);
        free(d);
        return NULL;
    }
    return d;
}

void nd_free(NdDisasm *d)
{
    if (!d) return;
    if (d->insn) cs_free(d->insn, 1);
    cs_close(&d->cs);
    free(d);
}

static int has_group(const cs_insn *in, uint8_t group)
{
    const cs_detail *det = in->detail;
    if (!det) return 0;
    for (uint8_t i = 0; i < det->groups_count && i < sizeof det->groups; i++)
        if (det->groups[i] == group) return 1;
    return 0;
}

/* A general-purpose register name as capstone spells it (rax, eax, ax, al, ah, r8, r8d, r8w,
 * r8b, sil...): its width is implied, which is what lets binutils drop an AT&T size suffix. */
static int is_gpr_name(const char *r)
{
    static const char *const base[] = {"ax", "bx", "cx", "dx", "si", "di", "bp", "sp"};
    size_t n = strlen(r);
    if (n == 2 && strchr("abcd", r[0]) && (r[1] == 'l' || r[1] == 'h')) return 1;
    for (size_t i = 0; i < sizeof base / sizeof base[0]; i++) {
        if (strcmp(r, base[i]) == 0) return 1;
        if (n == 3 && (r[0] == 'r' || r[0] == 'e') && strcmp(r + 1, base[i]) == 0) return 1;
        if (n == 3 && i >= 4 && strncmp(r, base[i], 2) == 0 && r[2] == 'l') return 1;  /* sil..spl */
    }
    if (r[0] == 'r' && isdigit((unsigned char)r[1])) {
        int num = atoi(r + 1);
        const char *tail = r + 1;
        while (isdigit((unsigned char)*tail)) tail++;
        return num >= 8 && num <= 15 && (!*tail || (strchr("bwd", *tail) && !tail[1]));
    }
    return 0;
}

/* Whether the AT&T size suffix of mnemonic m (without its last letter: stem) can go, the way
 * binutils prints it: stack and branch instructions are 64-bit by default in long mode; the
 * common integer instructions take their width from a general register operand. Keeps
 * "movl $0x1,-0x4(%rbp)" (no register says the width) and "movq %xmm0,%rax" (not an integer
 * mov as far as this goes: an SSE register is involved). */
static int drop_suffix(csh cs, const cs_insn *in, const char *stem, char suffix)
{
    static const char *const always_q[] = {"call", "ret", "jmp", "push", "pop", "leave", "lret"};
    static const char *const by_reg[] = {
        "mov", "add", "sub", "and", "or", "xor", "cmp", "test", "lea", "inc", "dec", "neg",
        "not", "shl", "shr", "sar", "sal", "rol", "ror", "rcl", "rcr", "adc", "sbb", "imul",
        "mul", "div", "idiv", "xchg", "cmpxchg", "xadd", "bsf", "bsr", "bt", "bts", "btr", "btc",
        "bswap", "popcnt", "lzcnt", "tzcnt", "cmove", "cmovne", "cmova", "cmovae", "cmovb",
        "cmovbe", "cmovg", "cmovge", "cmovl", "cmovle", "cmovs", "cmovns", "cmovo", "cmovno",
        "cmovp", "cmovnp"};
    if (suffix == 'q')
        for (size_t i = 0; i < sizeof always_q / sizeof always_q[0]; i++)
            if (strcmp(stem, always_q[i]) == 0) return 1;
    if (!strchr("bwlq", suffix)) return 0;
    int listed = 0;
    for (size_t i = 0; i < sizeof by_reg / sizeof by_reg[0] && !listed; i++)
        listed = strcmp(stem, by_reg[i]) == 0;
    if (!listed || !in->detail) return 0;
    const cs_x86 *x = &in->detail->x86;
    int gpr = 0;
    for (uint8_t i = 0; i < x->op_count && i < 8; i++) {
        if (x->operands[i].type != X86_OP_REG) continue;
        const char *name = cs_reg_name(cs, x->operands[i].reg);
        if (!name || !is_gpr_name(name)) return 0;
        gpr = 1;
    }
    return gpr;
}

/* AT&T operands as binutils writes them: no space after commas, and numbers outside
 * parentheses in hex (capstone writes values below 10 in decimal: "$1", "-4(%rbp)"); a
 * scale inside parentheses stays decimal. */
static void att_operands(const char *in, char *out, size_t cap)
{
    size_t o = 0;
    int depth = 0;
    for (const char *p = in; *p && o + 1 < cap;) {
        if (*p == '(') depth++;
        if (*p == ')' && depth > 0) depth--;
        if (*p == ',' && p[1] == ' ') {
            out[o++] = ',';
            p += 2;
            continue;
        }
        int starts_number = isdigit((unsigned char)*p) && depth == 0 &&
                            (p == in || strchr("$-, ", p[-1]));
        if (starts_number && !(p[0] == '0' && p[1] == 'x')) {
            char *end;
            unsigned long long v = strtoull(p, &end, 10);
            int w = snprintf(out + o, cap - o, "0x%llx", v);
            if (w < 0 || (size_t)w >= cap - o) break;
            o += (size_t)w;
            p = end;
            continue;
        }
        out[o++] = *p++;
    }
    out[o] = '\0';
}

static void format_insn(NdDisasm *d, const cs_insn *in, NdInsn *out)
{
    char mn[40], ops[192];
    snprintf(mn, sizeof mn, "%s", in->mnemonic);
    if (d->intel) {
        snprintf(ops, sizeof ops, "%s", in->op_str);
    } else {
        size_t n = strlen(mn);
        if (n > 1) {
            char suffix = mn[n - 1];
            mn[n - 1] = '\0';
            if (!drop_suffix(d->cs, in, mn, suffix)) mn[n - 1] = suffix;
        }
        att_operands(in->op_str, ops, sizeof ops);
    }
    if (ops[0])
        snprintf(out->text, sizeof out->text, "%-6s %s", mn, ops);
    else
        snprintf(out->text, sizeof out->text, "%s", mn);
}

/* Fills out from capstone's decode of one instruction. */
static void fill_insn(NdDisasm *d, const cs_insn *in, NdInsn *out)
{
    memset(out, 0, sizeof *out);
    out->addr = in->address;
    out->size = (uint8_t)(in->size < sizeof out->bytes ? in->size : sizeof out->bytes);
    memcpy(out->bytes, in->bytes, out->size);
    out->is_call = has_group(in, CS_GRP_CALL);
    out->is_ret = has_group(in, CS_GRP_RET) || has_group(in, CS_GRP_IRET);
    out->is_jump = has_group(in, CS_GRP_JUMP);
    /* Direct branches are the relative ones; their one immediate operand is the target
     * capstone already resolved against the address. */
    if ((out->is_call || out->is_jump) && has_group(in, CS_GRP_BRANCH_RELATIVE) && in->detail) {
        const cs_x86 *x = &in->detail->x86;
        if (x->op_count >= 1 && x->operands[0].type == X86_OP_IMM)
            out->target = (uint64_t)x->operands[0].imm;
    }
    format_insn(d, in, out);
}

int nd_decode(NdDisasm *d, const uint8_t *code, size_t len, uint64_t addr, NdInsn *out, int max)
{
    if (!d || !code || !out || max <= 0) return 0;
    int n = 0;
    const uint8_t *p = code;
    size_t left = len;
    uint64_t a = addr;
    while (n < max && left > 0 && cs_disasm_iter(d->cs, &p, &left, &a, d->insn))
        fill_insn(d, d->insn, &out[n++]);
    return n;
}

int nd_insn_len(NdDisasm *d, const uint8_t *code, size_t len, uint64_t addr, int *is_call)
{
    if (is_call) *is_call = 0;
    if (!d || !code || len == 0) return 0;
    const uint8_t *p = code;
    size_t left = len;
    uint64_t a = addr;
    if (!cs_disasm_iter(d->cs, &p, &left, &a, d->insn)) return 0;
    if (is_call) *is_call = has_group(d->insn, CS_GRP_CALL);
    return d->insn->size;
}
