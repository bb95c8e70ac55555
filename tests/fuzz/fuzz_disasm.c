// fuzz_disasm.c — libFuzzer target for src/native/disasm.c: arbitrary bytes decoded in both
// syntaxes, at an address taken from the first input bytes. Checked on the way:
//   - nothing crashes or leaks;
//   - decoded instructions are 1..15 bytes, follow one another without gaps and stay inside
//     the input; their bytes are the input's; their text is terminated and not empty;
//   - nd_insn_len agrees with nd_decode on the first instruction's length and call flag;
//   - only calls and jumps have targets.
//   Build: clang -g -O1 -fsanitize=fuzzer,address,undefined -std=c11 -D_GNU_SOURCE -Isrc
//          tests/fuzz/fuzz_disasm.c src/native/disasm.c -lcapstone
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "native/disasm.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_disasm_require(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "fuzz_disasm: %s\n", what);
        abort();   // libFuzzer reports the crash and saves the input
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    uint64_t addr = 0x400000;
    if (size >= 8) {   // the address matters for relative targets: let the input pick it
        memcpy(&addr, data, 8);
        data += 8;
        size -= 8;
    }
    NdInsn out[64];
    for (int intel = 0; intel <= 1; intel++) {
        NdDisasm *d = nd_new(intel);
        fuzz_disasm_require(d != NULL, "nd_new failed");
        int n = nd_decode(d, data, size, addr, out, 64);
        fuzz_disasm_require(n >= 0 && n <= 64, "count out of range");
        size_t off = 0;
        for (int i = 0; i < n; i++) {
            const NdInsn *in = &out[i];
            fuzz_disasm_require(in->size >= 1 && in->size <= 15, "instruction size");
            fuzz_disasm_require(off + in->size <= size, "instruction past the input");
            fuzz_disasm_require(in->addr == addr + off, "instruction address");
            fuzz_disasm_require(memcmp(in->bytes, data + off, in->size) == 0, "bytes");
            fuzz_disasm_require(memchr(in->text, '\0', sizeof in->text) != NULL, "text end");
            fuzz_disasm_require(in->text[0] != '\0', "empty text");
            fuzz_disasm_require(!in->target || in->is_call || in->is_jump, "stray target");
            off += in->size;
        }
        int is_call = -1;
        int len = nd_insn_len(d, data, size, addr, &is_call);
        fuzz_disasm_require(n == 0 ? len == 0 : len == out[0].size, "nd_insn_len length");
        fuzz_disasm_require(n == 0 ? is_call == 0 : is_call == out[0].is_call, "is_call");
        nd_free(d);
    }
    return 0;
}
