// arena.c — region allocator built on a chain of malloc'ed blocks.
//
// Layout: the Arena header lives at the start of the first block. Every block starts with a
// Block header; pushes bump `pos` in the current block. A new block is chained when the current
// one is full; its size doubles from ARENA_BLOCK_MIN up to ARENA_BLOCK_MAX. A request bigger
// than half the next block size gets a block of exactly its size, linked *behind* the current
// block so the current block's remaining room is still used by later small pushes.
//
// Under AddressSanitizer the unused tail of each block is poisoned and unpoisoned as pushes
// claim it, so overruns past a push (into the arena's own free room) are still reported.
#include "base/arena.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/asan_interface.h>
#define ARENA_POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define ARENA_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define ARENA_POISON(p, n)   ((void)(p), (void)(n))
#define ARENA_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define ARENA_ALIGN      16u
#define ARENA_BLOCK_MIN  ((size_t)64 << 10)
#define ARENA_BLOCK_MAX  ((size_t)16 << 20)

typedef struct Block {
    struct Block *prev;   // chain towards (but not necessarily ending at) the first block
    size_t cap;           // bytes usable after the header
    size_t pos;           // bytes used after the header
} Block;

struct Arena {
    Block *cur;           // block that small pushes go into
    Block *first;         // holds this header; kept by arena_reset
    size_t next_size;     // usable size of the next ordinary block
    size_t used;          // bytes handed out since creation/reset
};

// Headers are rounded up so the data after them stays 16-byte aligned (malloc gives 16).
#define BLOCK_HDR  ((sizeof(Block) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))
#define ARENA_HDR  ((sizeof(Arena) + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1))

static unsigned char *block_data(Block *b) { return (unsigned char *)b + BLOCK_HDR; }

static Block *block_new(size_t cap) {
    if (cap > SIZE_MAX - BLOCK_HDR)
        return NULL;
    Block *b = malloc(BLOCK_HDR + cap);
    if (!b)
        return NULL;
    b->prev = NULL;
    b->cap = cap;
    b->pos = 0;
    ARENA_POISON(block_data(b), cap);
    return b;
}

static void block_release(Block *b) {
    ARENA_UNPOISON(block_data(b), b->cap);
    free(b);
}

Arena *arena_new(void) {
    Block *b = block_new(ARENA_BLOCK_MIN);
    if (!b)
        return NULL;
    // The Arena header is the first push of its own first block; it is not counted as used.
    ARENA_UNPOISON(block_data(b), ARENA_HDR);
    Arena *a = (Arena *)block_data(b);
    b->pos = ARENA_HDR;
    a->cur = b;
    a->first = b;
    a->next_size = ARENA_BLOCK_MIN * 2;
    a->used = 0;
    return a;
}

void arena_free(Arena *a) {
    if (!a)
        return;
    Block *first = a->first;
    for (Block *b = a->cur, *prev; b; b = prev) {
        prev = b->prev;
        if (b != first)
            block_release(b);
    }
    block_release(first);   // last: `a` lives inside it
}

void arena_reset(Arena *a) {
    Block *first = a->first;
    for (Block *b = a->cur, *prev; b; b = prev) {
        prev = b->prev;
        if (b != first)
            block_release(b);
    }
    ARENA_POISON(block_data(first) + ARENA_HDR, first->cap - ARENA_HDR);
    first->pos = ARENA_HDR;
    first->prev = NULL;
    a->cur = first;
    a->next_size = ARENA_BLOCK_MIN * 2;
    a->used = 0;
}

void *arena_push(Arena *a, size_t size) {
    if (size > SIZE_MAX / 2)
        return NULL;
    size_t need = (size + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (need == 0)
        need = ARENA_ALIGN;   // distinct pointers for zero-size pushes

    Block *b = a->cur;
    if (b->cap - b->pos < need) {
        if (need > a->next_size / 2) {
            // Own block, chained behind the current one so its free room stays in use.
            b = block_new(need);
            if (!b)
                return NULL;
            b->prev = a->cur->prev;
            a->cur->prev = b;
        } else {
            b = block_new(a->next_size);
            if (!b)
                return NULL;
            b->prev = a->cur;
            a->cur = b;
            if (a->next_size < ARENA_BLOCK_MAX)
                a->next_size *= 2;
        }
    }
    unsigned char *p = block_data(b) + b->pos;
    b->pos += need;
    a->used += need;
    ARENA_UNPOISON(p, size);   // padding after the request stays poisoned
    memset(p, 0, size);
    return p;
}

void *arena_push_copy(Arena *a, const void *p, size_t n) {
    void *d = arena_push(a, n);
    if (d && n)
        memcpy(d, p, n);
    return d;
}

char *arena_strndup(Arena *a, const char *s, size_t n) {
    if (!s)
        return NULL;
    size_t len = strnlen(s, n);
    if (len == SIZE_MAX)
        return NULL;
    char *d = arena_push(a, len + 1);   // zeroed, so the NUL is already there
    if (d)
        memcpy(d, s, len);
    return d;
}

char *arena_strdup(Arena *a, const char *s) {
    return arena_strndup(a, s, SIZE_MAX);
}

char *arena_vprintf(Arena *a, const char *fmt, va_list ap) {
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        return NULL;
    char *d = arena_push(a, (size_t)n + 1);
    if (d)
        vsnprintf(d, (size_t)n + 1, fmt, ap);
    return d;
}

char *arena_printf(Arena *a, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    char *d = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return d;
}

size_t arena_used(const Arena *a) {
    return a->used;
}
