// strbuf.c — growable heap string.
#include "base/strbuf.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(StrBuf *b) {
    b->data = NULL;
    b->len = 0;
    b->cap = 0;
}

void sb_free(StrBuf *b) {
    free(b->data);
    sb_init(b);
}

void sb_clear(StrBuf *b) {
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

// Makes room for `extra` more bytes plus the NUL.
static int sb_reserve(StrBuf *b, size_t extra) {
    if (extra > SIZE_MAX - 1 - b->len)
        return -1;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    char *p = realloc(b->data, cap);
    if (!p)
        return -1;
    b->data = p;
    b->cap = cap;
    return 0;
}

int sb_append(StrBuf *b, const char *s, size_t n) {
    // s may point into b's own bytes (appending a copy of a part); re-find it after realloc.
    uintptr_t at = (uintptr_t)s, base = (uintptr_t)b->data;
    int inside = b->data && at >= base && at < base + b->cap;
    if (sb_reserve(b, n) < 0)
        return -1;
    if (inside)
        s = b->data + (at - base);
    if (n)
        memmove(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
    return 0;
}

int sb_puts(StrBuf *b, const char *s) {
    return sb_append(b, s, strlen(s));
}

int sb_putc(StrBuf *b, char c) {
    return sb_append(b, &c, 1);
}

int sb_printf(StrBuf *b, const char *fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    size_t room = b->cap > b->len ? b->cap - b->len : 0;
    int n = vsnprintf(room ? b->data + b->len : NULL, room, fmt, ap);
    va_end(ap);
    if (n < 0) {
        if (b->data)
            b->data[b->len] = '\0';
        return -1;
    }
    if ((size_t)n >= room) {
        if (sb_reserve(b, (size_t)n) < 0) {
            if (b->data)
                b->data[b->len] = '\0';   // undo a partial write
            return -1;
        }
        va_start(ap, fmt);
        vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
        va_end(ap);
    }
    b->len += (size_t)n;
    return 0;
}

char *sb_take(StrBuf *b) {
    char *s = b->data;
    if (!s) {
        s = malloc(1);
        if (!s)
            return NULL;
        s[0] = '\0';
    }
    sb_init(b);
    return s;
}
