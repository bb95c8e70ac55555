// test_base_arena.c — arena: alignment, zeroing, large blocks, reset, strings and printf.
#include <stdint.h>
#include <string.h>

#include "base/arena.h"
#include "unit.h"

static int all_zero(const void *p, size_t n) {
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++)
        if (b[i])
            return 0;
    return 1;
}

TEST(alignment_every_size) {
    Arena *a = arena_new();
    CHECK(a != NULL);
    for (size_t size = 0; size < 300; size++) {
        unsigned char *p = arena_push(a, size);
        CHECK(p != NULL);
        CHECK_EQ_INT((uintptr_t)p % 16, 0);
        memset(p, 0xAB, size);   // under ASan, writing exactly `size` bytes must be allowed
    }
    arena_free(a);
}

TEST(zero_size_pushes_are_distinct) {
    Arena *a = arena_new();
    void *p = arena_push(a, 0), *q = arena_push(a, 0);
    CHECK(p && q && p != q);
    arena_free(a);
}

TEST(memory_is_zeroed_even_after_reset) {
    Arena *a = arena_new();
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < 200; i++) {
            size_t n = 1000 + (size_t)i * 37;
            unsigned char *p = arena_push(a, n);
            CHECK(p && all_zero(p, n));
            memset(p, 0xFF, n);   // dirty it for the next round
        }
        arena_reset(a);
        CHECK_EQ_INT(arena_used(a), 0);
    }
    arena_free(a);
}

TEST(big_allocations_get_own_blocks) {
    Arena *a = arena_new();
    char *small = arena_push(a, 100);
    size_t big = (size_t)40 << 20;   // bigger than any ordinary block
    unsigned char *p = arena_push(a, big);
    CHECK(p != NULL);
    CHECK(all_zero(p, big));
    p[0] = 1;
    p[big - 1] = 2;
    // The current block's free room is still used after the big push: the next small push
    // lands right after the first one.
    char *small2 = arena_push(a, 100);
    CHECK(small2 == small + 112);
    CHECK(arena_used(a) >= big + 200);
    arena_free(a);
}

TEST(many_blocks_and_reset_keeps_working) {
    Arena *a = arena_new();
    size_t total = 0;
    char *first = arena_push(a, 8);
    for (int i = 0; i < 5000; i++) {
        unsigned char *p = arena_push(a, 4000);
        CHECK(p != NULL);
        if (!p)
            break;
        p[0] = (unsigned char)i;
        p[3999] = (unsigned char)i;
        total += 4000;
    }
    CHECK(arena_used(a) >= total);
    arena_reset(a);
    CHECK_EQ_INT(arena_used(a), 0);
    // The first block is kept and reused from its start.
    char *again = arena_push(a, 8);
    CHECK(again == first);
    arena_free(a);
}

TEST(used_counts_aligned_sizes) {
    Arena *a = arena_new();
    CHECK_EQ_INT(arena_used(a), 0);
    arena_push(a, 1);
    CHECK_EQ_INT(arena_used(a), 16);
    arena_push(a, 16);
    CHECK_EQ_INT(arena_used(a), 32);
    arena_push(a, 17);
    CHECK_EQ_INT(arena_used(a), 64);
    arena_free(a);
}

TEST(absurd_size_fails_cleanly) {
    Arena *a = arena_new();
    CHECK(arena_push(a, SIZE_MAX) == NULL);
    CHECK(arena_push(a, SIZE_MAX - 8) == NULL);
    CHECK(arena_push(a, 8) != NULL);   // still usable
    arena_free(a);
}

TEST(strings) {
    Arena *a = arena_new();
    CHECK_EQ_STR(arena_strdup(a, "hello"), "hello");
    CHECK_EQ_STR(arena_strdup(a, ""), "");
    CHECK(arena_strdup(a, NULL) == NULL);
    CHECK_EQ_STR(arena_strndup(a, "hello", 3), "hel");
    CHECK_EQ_STR(arena_strndup(a, "hi", 10), "hi");
    CHECK_EQ_STR(arena_strndup(a, "hi", 0), "");
    // strndup must not read past n even without a NUL there.
    char raw[3] = { 'x', 'y', 'z' };
    CHECK_EQ_STR(arena_strndup(a, raw, sizeof raw), "xyz");
    int nums[4] = { 1, 2, 3, 4 };
    int *c = arena_push_copy(a, nums, sizeof nums);
    CHECK_EQ_MEM(c, nums, sizeof nums);
    CHECK(arena_push_copy(a, NULL, 0) != NULL);
    arena_free(a);
}

TEST(printf) {
    Arena *a = arena_new();
    CHECK_EQ_STR(arena_printf(a, "%s:%d", "Program.cs", 41), "Program.cs:41");
    CHECK_EQ_STR(arena_printf(a, "%s", ""), "");
    // Longer than a whole block.
    char *big = arena_printf(a, "%0200000d|%s", 7, "end");
    CHECK(big != NULL);
    if (big) {
        CHECK_EQ_INT(strlen(big), 200004);
        CHECK_EQ_STR(big + 199999, "7|end");
    }
    arena_free(a);
}

TEST(free_null_is_fine) {
    arena_free(NULL);
}

UNIT_MAIN()
