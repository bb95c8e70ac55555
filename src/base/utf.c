// utf.c — UTF-8 <-> UTF-16. Each direction decodes one code point at a time (bad input
// yields U+FFFD), then encodes; a first pass sizes the result exactly, a second writes it.
#include "base/utf.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#define REPLACEMENT 0xFFFDu

size_t utf16_len(const uint16_t *s) {
    size_t n = 0;
    if (s)
        while (s[n])
            n++;
    return n;
}

// ---- UTF-16 -> UTF-8 ---------------------------------------------------------------------

// Decodes the code point at s[*i] (i < n) and advances *i past it.
static uint32_t utf16_next(const uint16_t *s, size_t n, size_t *i) {
    uint32_t u = s[(*i)++];
    if (u < 0xD800 || u > 0xDFFF)
        return u;
    if (u <= 0xDBFF && *i < n && s[*i] >= 0xDC00 && s[*i] <= 0xDFFF) {
        uint32_t lo = s[(*i)++];
        return 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
    }
    return REPLACEMENT;   // lone high or lone low surrogate
}

static size_t utf8_encode(uint32_t cp, unsigned char out[4]) {
    if (cp < 0x80) {
        out[0] = (unsigned char)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (unsigned char)(0xC0 | (cp >> 6));
        out[1] = (unsigned char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (unsigned char)(0xE0 | (cp >> 12));
        out[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (unsigned char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (unsigned char)(0xF0 | (cp >> 18));
    out[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (unsigned char)(0x80 | (cp & 0x3F));
    return 4;
}

// Bytes of UTF-8 for s[0..n). At most 3 bytes per unit, so overflow needs n > SIZE_MAX/3;
// returns SIZE_MAX then, which no allocation can satisfy.
static size_t utf8_size(const uint16_t *s, size_t n) {
    if (n > SIZE_MAX / 3 - 1)
        return SIZE_MAX;
    size_t len = 0;
    unsigned char tmp[4];
    for (size_t i = 0; i < n;)
        len += utf8_encode(utf16_next(s, n, &i), tmp);
    return len;
}

// Writes exactly `len` bytes (as sized by utf8_size) plus a NUL.
static void utf8_write(char *out, const uint16_t *s, size_t n) {
    size_t o = 0;
    for (size_t i = 0; i < n;)
        o += utf8_encode(utf16_next(s, n, &i), (unsigned char *)out + o);
    out[o] = '\0';
}

static size_t utf16_count(const uint16_t *s, size_t n) {
    if (!s)
        return 0;
    return n == UTF_NUL_TERMINATED ? utf16_len(s) : n;
}

char *utf8_from_utf16(Arena *a, const uint16_t *s, size_t n) {
    n = utf16_count(s, n);
    size_t len = utf8_size(s, n);
    if (len == SIZE_MAX)
        return NULL;
    char *out = arena_push(a, len + 1);
    if (out)
        utf8_write(out, s, n);
    return out;
}

char *utf8_from_utf16_malloc(const uint16_t *s, size_t n) {
    n = utf16_count(s, n);
    size_t len = utf8_size(s, n);
    if (len == SIZE_MAX)
        return NULL;
    char *out = malloc(len + 1);
    if (out)
        utf8_write(out, s, n);
    return out;
}

int utf8_from_utf16_buf(char *out, size_t cap, const uint16_t *s, size_t n) {
    n = utf16_count(s, n);
    size_t o = 0, need = 0;
    int full = cap == 0;   // once a code point does not fit, later ones are only counted
    unsigned char tmp[4];
    for (size_t i = 0; i < n;) {
        size_t k = utf8_encode(utf16_next(s, n, &i), tmp);
        if (!full && k < cap - o) {   // keep one byte for the NUL
            memcpy(out + o, tmp, k);
            o += k;
        } else {
            full = 1;
        }
        need += k;
        if (need > INT_MAX)
            break;
    }
    if (cap)
        out[o] = '\0';
    return need > INT_MAX ? -1 : (int)need;
}

// ---- UTF-8 -> UTF-16 ---------------------------------------------------------------------

// Decodes one code point from s[0..n), n >= 1; returns the bytes consumed (>= 1) and stores
// the code point, or U+FFFD for an ill-formed maximal subpart. Well-formed sequences are
// exactly those of Unicode Table 3-7: the second byte's range depends on the lead byte,
// later bytes are 80..BF.
static size_t utf8_next(const unsigned char *s, size_t n, uint32_t *cp) {
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len;
    unsigned lo = 0x80, hi = 0xBF;   // allowed range of the second byte
    uint32_t v;
    if (c >= 0xC2 && c <= 0xDF) {
        len = 2; v = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
        len = 3; v = c & 0x0F;
        if (c == 0xE0) lo = 0xA0;        // no overlongs
        if (c == 0xED) hi = 0x9F;        // no surrogates
    } else if (c >= 0xF0 && c <= 0xF4) {
        len = 4; v = c & 0x07;
        if (c == 0xF0) lo = 0x90;        // no overlongs
        if (c == 0xF4) hi = 0x8F;        // nothing above U+10FFFF
    } else {
        *cp = REPLACEMENT;               // 80..BF stray continuation, C0/C1, F5..FF
        return 1;
    }
    *cp = REPLACEMENT;
    for (size_t k = 1; k < len; k++) {
        if (k >= n)
            return k;                    // truncated: the prefix is one maximal subpart
        unsigned b = s[k];
        if (b < (k == 1 ? lo : 0x80) || b > (k == 1 ? hi : 0xBF))
            return k;                    // resume at the offending byte
        v = (v << 6) | (b & 0x3F);
    }
    *cp = v;
    return len;
}

static size_t utf8_count(const char *s, size_t n) {
    if (!s)
        return 0;
    return n == UTF_NUL_TERMINATED ? strlen(s) : n;
}

// 16-bit units for s[0..n); never more than n (only 4-byte sequences give 2 units).
static size_t utf16_size(const unsigned char *s, size_t n) {
    size_t units = 0;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        i += utf8_next(s + i, n - i, &cp);
        units += cp > 0xFFFF ? 2 : 1;
    }
    return units;
}

static void utf16_write(uint16_t *out, const unsigned char *s, size_t n) {
    size_t o = 0;
    uint32_t cp;
    for (size_t i = 0; i < n;) {
        i += utf8_next(s + i, n - i, &cp);
        if (cp > 0xFFFF) {
            cp -= 0x10000;
            out[o++] = (uint16_t)(0xD800 + (cp >> 10));
            out[o++] = (uint16_t)(0xDC00 + (cp & 0x3FF));
        } else {
            out[o++] = (uint16_t)cp;
        }
    }
    out[o] = 0;
}

// Byte size of a units-long result plus its NUL, or 0 on overflow.
static size_t utf16_alloc_size(size_t units) {
    if (units >= SIZE_MAX / sizeof(uint16_t))
        return 0;
    return (units + 1) * sizeof(uint16_t);
}

uint16_t *utf16_from_utf8(Arena *a, const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    n = utf8_count(s, n);
    size_t bytes = utf16_alloc_size(utf16_size(u, n));
    if (!bytes)
        return NULL;
    uint16_t *out = arena_push(a, bytes);
    if (out)
        utf16_write(out, u, n);
    return out;
}

uint16_t *utf16_from_utf8_malloc(const char *s, size_t n) {
    const unsigned char *u = (const unsigned char *)s;
    n = utf8_count(s, n);
    size_t bytes = utf16_alloc_size(utf16_size(u, n));
    if (!bytes)
        return NULL;
    uint16_t *out = malloc(bytes);
    if (out)
        utf16_write(out, u, n);
    return out;
}
