// fuzz_utf.c — libFuzzer target for base/utf: any bytes, read as UTF-8 and as UTF-16, convert
// without crashing, and after the first conversion (which replaces ill-formed input with
// U+FFFD) further round trips change nothing. The fixed-buffer variant agrees with the rest.
//   clang -g -O1 -fsanitize=fuzzer,address,undefined -Isrc tests/fuzz/fuzz_utf.c \
//         src/base/utf.c src/base/arena.c -o build/fuzz_utf && build/fuzz_utf -max_total_time=60
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/utf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void require(int ok) {
    if (!ok)
        abort();   // libFuzzer reports the crash and saves the input
}

// s1 is UTF-8 produced by the library: it must survive 16 -> 8 -> 16 -> 8 unchanged.
static void check_stable_utf8(Arena *a, const char *s1) {
    uint16_t *w2 = utf16_from_utf8(a, s1, UTF_NUL_TERMINATED);
    require(w2 != NULL);
    char *s2 = utf8_from_utf16(a, w2, UTF_NUL_TERMINATED);
    require(s2 != NULL && strcmp(s1, s2) == 0);
    uint16_t *w3 = utf16_from_utf8(a, s2, UTF_NUL_TERMINATED);
    size_t n = utf16_len(w2);
    require(w3 != NULL && utf16_len(w3) == n && memcmp(w2, w3, n * 2) == 0);
    for (size_t i = 0; i < n; i++)   // no lone surrogates left
        if (w2[i] >= 0xD800 && w2[i] <= 0xDBFF)
            require(i + 1 < n && w2[i + 1] >= 0xDC00 && w2[i + 1] <= 0xDFFF && (i++, 1));
        else
            require(!(w2[i] >= 0xDC00 && w2[i] <= 0xDFFF));

    // Fixed-buffer variant: full length reported, output a prefix ending on a boundary.
    size_t len = strlen(s1);
    char buf[16];
    int need = utf8_from_utf16_buf(buf, sizeof buf, w2, UTF_NUL_TERMINATED);
    require(need >= 0 && (size_t)need == len);
    size_t got = strlen(buf);
    require(got < sizeof buf && memcmp(buf, s1, got) == 0);
    require(got == len || ((unsigned char)s1[got] & 0xC0) != 0x80);
    require(got == len || got + 4 >= sizeof buf);   // at most one code point left out
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    Arena *a = arena_new();
    if (!a)
        return 0;

    // As UTF-8, counted (embedded NULs allowed; later rounds stop at the first one).
    uint16_t *w1 = utf16_from_utf8(a, (const char *)data, size);
    require(w1 != NULL);
    char *s1 = utf8_from_utf16(a, w1, UTF_NUL_TERMINATED);
    require(s1 != NULL);
    check_stable_utf8(a, s1);

    // As UTF-16 units (copied for alignment), counted.
    size_t units = size / 2;
    uint16_t *u = arena_push_copy(a, data, units * 2);
    require(u != NULL);
    char *t1 = utf8_from_utf16(a, u, units);
    require(t1 != NULL);
    char *m = utf8_from_utf16_malloc(u, units);
    require(m != NULL && strcmp(m, t1) == 0);
    free(m);
    check_stable_utf8(a, t1);

    arena_free(a);
    return 0;
}
