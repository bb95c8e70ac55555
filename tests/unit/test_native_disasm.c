// test_native_disasm.c — x86-64 decoding (src/native/disasm.c): gdb-like text in AT&T and
// Intel syntax, call/ret/jump flags, direct branch targets, undecodable and truncated input.
#include <stdint.h>
#include <string.h>

#include "native/disasm.h"
#include "unit.h"

// push %rbp; mov %rsp,%rbp; call +0x10; ret
static const uint8_t prologue[] = {0x55, 0x48, 0x89, 0xe5, 0xe8, 0x10, 0x00, 0x00, 0x00, 0xc3};

TEST(att_basic_sequence) {
    NdDisasm *d = nd_new(0);
    CHECK(d != NULL);
    if (!d) return;
    NdInsn in[8];
    int n = nd_decode(d, prologue, sizeof prologue, 0x401000, in, 8);
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_STR(in[0].text, "push   %rbp");
    CHECK_EQ_INT(in[0].size, 1);
    CHECK_EQ_INT(in[0].addr, 0x401000);
    CHECK_EQ_INT(in[0].bytes[0], 0x55);
    CHECK(!in[0].is_call && !in[0].is_ret && !in[0].is_jump);
    CHECK_EQ_STR(in[1].text, "mov    %rsp,%rbp");
    CHECK_EQ_INT(in[1].addr, 0x401001);
    CHECK_EQ_INT(in[1].size, 3);
    CHECK_EQ_MEM(in[1].bytes, prologue + 1, 3);
    CHECK_EQ_STR(in[2].text, "call   0x401019");
    CHECK(in[2].is_call && !in[2].is_jump && !in[2].is_ret);
    CHECK_EQ_INT(in[2].target, 0x401019);           // 0x401009 + 0x10
    CHECK_EQ_STR(in[3].text, "ret");
    CHECK(in[3].is_ret && !in[3].is_call);
    CHECK_EQ_INT(in[3].target, 0);
    nd_free(d);
}

TEST(att_operand_forms) {
    NdDisasm *d = nd_new(0);
    if (!d) { CHECK(d != NULL); return; }
    static const struct { uint8_t bytes[12]; size_t len; const char *text; } cases[] = {
        {{0x48, 0x83, 0xec, 0x10}, 4, "sub    $0x10,%rsp"},
        {{0xc7, 0x45, 0xfc, 0x01, 0, 0, 0}, 7, "movl   $0x1,-0x4(%rbp)"},   // width from suffix
        {{0x8b, 0x45, 0xfc}, 3, "mov    -0x4(%rbp),%eax"},
        {{0x48, 0x8d, 0x04, 0x98}, 4, "lea    (%rax,%rbx,4),%rax"},           // scale stays 4
        {{0x48, 0xc7, 0xc0, 0x01, 0, 0, 0}, 7, "mov    $0x1,%rax"},
        {{0x41, 0x55}, 2, "push   %r13"},
        {{0x5d}, 1, "pop    %rbp"},
        {{0xc9}, 1, "leave"},
        {{0x0f, 0xb6, 0xc0}, 3, "movzbl %al,%eax"},
        {{0xff, 0xd0}, 2, "call   *%rax"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        NdInsn in;
        int n = nd_decode(d, cases[i].bytes, cases[i].len, 0x1000, &in, 1);
        CHECK_EQ_INT(n, 1);
        if (n == 1) {
            CHECK_EQ_STR(in.text, cases[i].text);
            CHECK_EQ_INT(in.size, cases[i].len);
        }
    }
    nd_free(d);
}

TEST(branches_and_targets) {
    NdDisasm *d = nd_new(0);
    if (!d) { CHECK(d != NULL); return; }
    // je +5; jmp rel32 0; jmp *0x10(%rip); call *%rax
    static const uint8_t code[] = {0x74, 0x05, 0xe9, 0x00, 0x00, 0x00, 0x00,
                                   0xff, 0x25, 0x10, 0x00, 0x00, 0x00, 0xff, 0xd0};
    NdInsn in[4];
    int n = nd_decode(d, code, sizeof code, 0x2000, in, 4);
    CHECK_EQ_INT(n, 4);
    if (n == 4) {
        CHECK(in[0].is_jump && !in[0].is_call);
        CHECK_EQ_INT(in[0].target, 0x2007);         // 0x2002 + 5
        CHECK_EQ_STR(in[0].text, "je     0x2007");
        CHECK(in[1].is_jump);
        CHECK_EQ_INT(in[1].target, 0x2007);         // 0x2007 + 0
        CHECK(in[2].is_jump);
        CHECK_EQ_INT(in[2].target, 0);              // indirect: no target
        CHECK_EQ_STR(in[2].text, "jmp    *0x10(%rip)");
        CHECK(in[3].is_call);
        CHECK_EQ_INT(in[3].target, 0);
    }
    nd_free(d);
}

TEST(intel_syntax) {
    NdDisasm *d = nd_new(1);
    if (!d) { CHECK(d != NULL); return; }
    NdInsn in[4];
    int n = nd_decode(d, prologue, sizeof prologue, 0x401000, in, 4);
    CHECK_EQ_INT(n, 4);
    CHECK_EQ_STR(in[0].text, "push   rbp");
    CHECK_EQ_STR(in[1].text, "mov    rbp, rsp");
    CHECK_EQ_STR(in[2].text, "call   0x401019");
    CHECK_EQ_STR(in[3].text, "ret");
    CHECK_EQ_INT(in[2].target, 0x401019);
    nd_free(d);
}

TEST(invalid_and_truncated) {
    NdDisasm *d = nd_new(0);
    if (!d) { CHECK(d != NULL); return; }
    NdInsn in[4];
    static const uint8_t bad[] = {0x06, 0x90};        // push %es: invalid in 64-bit mode
    CHECK_EQ_INT(nd_decode(d, bad, sizeof bad, 0, in, 4), 0);
    static const uint8_t good_then_bad[] = {0x90, 0x06};
    CHECK_EQ_INT(nd_decode(d, good_then_bad, sizeof good_then_bad, 0, in, 4), 1);
    CHECK_EQ_STR(in[0].text, "nop");
    // call rel32 cut short: nothing decodes
    CHECK_EQ_INT(nd_decode(d, prologue + 4, 3, 0, in, 4), 0);
    // a whole prologue cut in the middle of the call: the first two only
    CHECK_EQ_INT(nd_decode(d, prologue, 7, 0, in, 4), 2);
    CHECK_EQ_INT(nd_decode(d, prologue, 0, 0, in, 4), 0);
    CHECK_EQ_INT(nd_decode(d, NULL, 4, 0, in, 4), 0);
    CHECK_EQ_INT(nd_decode(d, prologue, sizeof prologue, 0, in, 0), 0);
    // max caps the count
    CHECK_EQ_INT(nd_decode(d, prologue, sizeof prologue, 0, in, 2), 2);
    // 15 prefixes then an opcode: longer than any x86 instruction may be
    uint8_t prefixes[20];
    memset(prefixes, 0x66, sizeof prefixes);
    prefixes[19] = 0x90;
    CHECK_EQ_INT(nd_decode(d, prefixes, sizeof prefixes, 0, in, 1), 0);
    nd_free(d);
    nd_free(NULL);
}

TEST(insn_len) {
    NdDisasm *d = nd_new(0);
    if (!d) { CHECK(d != NULL); return; }
    int is_call = -1;
    CHECK_EQ_INT(nd_insn_len(d, prologue, sizeof prologue, 0x1000, &is_call), 1);
    CHECK_EQ_INT(is_call, 0);
    CHECK_EQ_INT(nd_insn_len(d, prologue + 4, 6, 0x1004, &is_call), 5);
    CHECK_EQ_INT(is_call, 1);
    CHECK_EQ_INT(nd_insn_len(d, prologue + 4, 4, 0x1004, &is_call), 0);   // truncated
    CHECK_EQ_INT(is_call, 0);
    CHECK_EQ_INT(nd_insn_len(d, prologue + 1, 3, 0x1001, NULL), 3);
    static const uint8_t bad[] = {0x06};
    CHECK_EQ_INT(nd_insn_len(d, bad, 1, 0, &is_call), 0);
    nd_free(d);
}

UNIT_MAIN()
