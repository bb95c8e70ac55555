// vec.h — typed dynamic array by macros; header-only. A VEC owns its items (heap) and is not
// thread-safe. Zero-initialise, push, free:
//
//     typedef VEC(int) IntVec;            // name the type once to pass it around
//     IntVec v = {0};
//     if (vec_push(&v, 42) < 0) ...       // 0 ok, -1 OOM (v unchanged)
//     for (size_t i = 0; i < v.len; i++) use(v.items[i]);
//     vec_free(&v);
//
// Macros take a pointer to the VEC and evaluate it more than once; the pushed value is
// evaluated once, and only if room was found. vec_push's value may be a compound literal
// with commas: vec_push(&pts, (Point){1, 2}). Items move on growth: do not keep pointers
// into items across pushes. For arena-lifetime lists, use the arena instead.
#ifndef CORDBG_BASE_VEC_H
#define CORDBG_BASE_VEC_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define VEC(T) struct { T *items; size_t len, cap; }

// Ensures cap >= n (total items, not extra). 0 ok, -1 OOM (v unchanged).
#define vec_reserve(v, n) \
    ((size_t)(n) <= (v)->cap ? 0 : vec_grow_(&(v)->items, &(v)->cap, sizeof *(v)->items, (n)))

#define vec_push(v, ...) \
    (vec_reserve((v), (v)->len + 1) == 0 ? ((v)->items[(v)->len++] = (__VA_ARGS__), 0) : -1)

// A plain array kept as three variables (items arr, count n, capacity cap): room for one
// more item? True when n < cap already or the array grew (doubling from 8); false on OOM
// (arr unchanged). For structs that keep such arrays: `if (GROW(s->a, s->na, s->cap_a)) ...`.
#define GROW(arr, n, cap) \
    ((n) < (cap) || vec_grow_(&(arr), &(cap), sizeof *(arr), (size_t)(n) + 1) == 0)

#define vec_free(v) \
    (free((v)->items), (v)->items = NULL, (v)->len = 0, (v)->cap = 0, (void)0)

// Grows *pitems (a T** passed as void*) to at least `need` items, doubling from 8.
// The pointer is moved through memcpy so any T* works without aliasing games.
static inline int vec_grow_(void *pitems, size_t *cap, size_t elem, size_t need) {
    size_t c = *cap ? *cap : 8;
    while (c < need) {
        if (c > SIZE_MAX / 2)
            return -1;
        c *= 2;
    }
    if (c > SIZE_MAX / elem)
        return -1;
    void *old;
    memcpy(&old, pitems, sizeof old);
    void *p = realloc(old, c * elem);
    if (!p)
        return -1;
    memcpy(pitems, &p, sizeof p);
    *cap = c;
    return 0;
}

#endif
