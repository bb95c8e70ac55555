/* Disassembly of x86-64 code (capstone), AT&T or Intel syntax as gdb prints it by default
 * (AT&T). Pure: works on bytes the caller read. */
#ifndef CORDBG_NATIVE_DISASM_H
#define CORDBG_NATIVE_DISASM_H
#include <stddef.h>
#include <stdint.h>

typedef struct NdInsn {
    uint64_t addr;
    uint8_t  size;
    uint8_t  bytes[16];
    char     text[160];         /* "mov    %rsp,%rbp" / "call   0x401126" */
    int      is_call, is_ret, is_jump;
    uint64_t target;            /* direct call/jump target, else 0 */
} NdInsn;

typedef struct NdDisasm NdDisasm;

NdDisasm *nd_new(int intel);
void      nd_free(NdDisasm *d);
/* Decode up to max instructions from code (len bytes at address addr). Returns the count
 * decoded (stops at the first byte that does not decode: 0 if the first one does not). */
int nd_decode(NdDisasm *d, const uint8_t *code, size_t len, uint64_t addr, NdInsn *out, int max);
/* Length of the instruction at code, and whether it is a call (for stepping over calls);
 * 0 when it does not decode. */
int nd_insn_len(NdDisasm *d, const uint8_t *code, size_t len, uint64_t addr, int *is_call);

#endif
