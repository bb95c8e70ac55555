// arena.h — region allocator: many pushes, one free. An Arena is not thread-safe; one owner
// (a session, a module, a stop, a request) pushes into it and frees it with everything in it.
// Pointers stay valid until arena_reset or arena_free; nothing pushed is freed individually.
#ifndef CORDBG_BASE_ARENA_H
#define CORDBG_BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

typedef struct Arena Arena;

Arena *arena_new(void);                 // NULL on OOM
void   arena_free(Arena *a);            // NULL is fine
void   arena_reset(Arena *a);           // drop every push; keeps the first block for reuse

// Zeroed, 16-byte aligned memory; NULL on OOM or absurd size. size 0 gives a valid unique
// pointer. Requests larger than half a block get a block of their own, so the current block's
// free room is not wasted.
void  *arena_push(Arena *a, size_t size);
void  *arena_push_copy(Arena *a, const void *p, size_t n);
char  *arena_strdup(Arena *a, const char *s);               // s NULL -> NULL
char  *arena_strndup(Arena *a, const char *s, size_t n);    // at most n bytes, stops at NUL
char  *arena_printf(Arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char  *arena_vprintf(Arena *a, const char *fmt, va_list ap);

// Bytes handed out since creation or the last reset, counting alignment padding.
size_t arena_used(const Arena *a);

#endif
