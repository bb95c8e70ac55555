// utf.h — UTF-8 <-> UTF-16 conversion (the runtime's WCHAR is 16-bit on Linux; this layer
// says uint16_t). Pure functions; results go into the caller's arena or onto the heap.
// Invalid input never fails a conversion: it becomes U+FFFD, so output is always valid.
#ifndef CORDBG_BASE_UTF_H
#define CORDBG_BASE_UTF_H

#include <stddef.h>
#include <stdint.h>

#include "base/arena.h"

// Pass as a length to mean "up to the terminating NUL".
#define UTF_NUL_TERMINATED ((size_t)-1)

size_t utf16_len(const uint16_t *s);   // 16-bit units before the NUL

// n is in 16-bit units, or (size_t)-1 for NUL-terminated. Valid surrogate pairs are combined;
// a lone surrogate becomes U+FFFD. U+0000 inside a counted string is copied as a 0 byte.
// Result is NUL-terminated; NULL only on OOM (s NULL is treated as empty).
char *utf8_from_utf16(Arena *a, const uint16_t *s, size_t n);

// n is in bytes, or (size_t)-1 for NUL-terminated. Ill-formed UTF-8 (overlongs, encoded
// surrogates, > U+10FFFF, truncated sequences, stray continuation bytes, C0/C1/F5..FF) becomes
// one U+FFFD per maximal subpart (Unicode ch. 3, "U+FFFD substitution of maximal subparts").
// Code points above U+FFFF become surrogate pairs. Result is NUL-terminated.
uint16_t *utf16_from_utf8(Arena *a, const char *s, size_t n);

// Converts into out[cap] like snprintf: always NUL-terminates when cap > 0, truncates only
// between code points, and returns the byte length the whole conversion needs (without the
// NUL). Truncated iff the return value >= cap. Returns -1 if that length exceeds INT_MAX.
int utf8_from_utf16_buf(char *out, size_t cap, const uint16_t *s, size_t n);

// Heap variants for code outside arenas; free() the result. NULL only on OOM.
char     *utf8_from_utf16_malloc(const uint16_t *s, size_t n);
uint16_t *utf16_from_utf8_malloc(const char *s, size_t n);

#endif
