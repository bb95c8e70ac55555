// strbuf.h — growable byte string on the heap, for text built piece by piece (messages,
// paths, protocol output). Not thread-safe; the StrBuf owns `data` until sb_free or sb_take.
#ifndef CORDBG_BASE_STRBUF_H
#define CORDBG_BASE_STRBUF_H

#include <stddef.h>

// data is NULL until the first append; when non-NULL it is always NUL-terminated at len.
// len counts bytes (embedded NULs allowed through sb_append). cap is the allocation size.
typedef struct StrBuf {
    char *data;
    size_t len, cap;
} StrBuf;

void sb_init(StrBuf *b);
void sb_free(StrBuf *b);                      // back to the sb_init state
void sb_clear(StrBuf *b);                     // len = 0, keeps the allocation

// All return 0, or -1 on OOM (b is unchanged then). sb_append's s may point into b itself;
// sb_printf's arguments must not.
int  sb_append(StrBuf *b, const char *s, size_t n);
int  sb_puts(StrBuf *b, const char *s);
int  sb_putc(StrBuf *b, char c);
int  sb_printf(StrBuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

// Hands the string to the caller (free() it) and resets b. Never returns NULL for an empty
// buffer ("" is allocated); NULL only on OOM, and b is then left untouched.
char *sb_take(StrBuf *b);

#endif
