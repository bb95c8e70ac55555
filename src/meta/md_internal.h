/* meta/ private helpers: bounds-checked little-endian readers, a bump allocator, error text.
 * Not a public header: only the .c files of src/meta include it. No globals, no process access. */
#ifndef CORDBG_META_MD_INTERNAL_H
#define CORDBG_META_MD_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "meta/md.h"

/* A bounds-checked view of bytes. Every read goes through rd_* and fails (returns 0 and sets
 * bad) instead of reading past end; callers check `bad` once after a group of reads. */
typedef struct {
    const uint8_t *p;
    size_t len, pos;
    int bad;
} MdRd;

static inline MdRd rd_make(const uint8_t *p, size_t len)
{
    MdRd r = {p, len, 0, 0};
    return r;
}
static inline size_t rd_left(const MdRd *r) { return r->bad || r->pos > r->len ? 0 : r->len - r->pos; }
static inline int rd_need(MdRd *r, size_t n)
{
    if (r->bad || r->pos > r->len || n > r->len - r->pos) { r->bad = 1; return 0; }
    return 1;
}
static inline uint8_t rd_u8(MdRd *r)
{
    if (!rd_need(r, 1)) return 0;
    return r->p[r->pos++];
}
static inline uint16_t rd_u16(MdRd *r)
{
    if (!rd_need(r, 2)) return 0;
    uint16_t v = (uint16_t)(r->p[r->pos] | (r->p[r->pos + 1] << 8));
    r->pos += 2;
    return v;
}
static inline uint32_t rd_u32(MdRd *r)
{
    if (!rd_need(r, 4)) return 0;
    const uint8_t *q = r->p + r->pos;
    r->pos += 4;
    return (uint32_t)q[0] | ((uint32_t)q[1] << 8) | ((uint32_t)q[2] << 16) | ((uint32_t)q[3] << 24);
}
static inline uint64_t rd_u64(MdRd *r)
{
    uint64_t lo = rd_u32(r);
    uint64_t hi = rd_u32(r);
    return lo | (hi << 32);
}
static inline const uint8_t *rd_bytes(MdRd *r, size_t n)
{
    if (!rd_need(r, n)) return NULL;
    const uint8_t *q = r->p + r->pos;
    r->pos += n;
    return q;
}
static inline void rd_skip(MdRd *r, size_t n) { (void)rd_bytes(r, n); }

/* ECMA-335 II.23.2 compressed unsigned integer (1, 2 or 4 bytes). */
static inline uint32_t rd_cu(MdRd *r)
{
    uint8_t b = rd_u8(r);
    if ((b & 0x80) == 0) return b;
    if ((b & 0xC0) == 0x80) return ((uint32_t)(b & 0x3F) << 8) | rd_u8(r);
    if ((b & 0xE0) == 0xC0) {
        uint32_t v = (uint32_t)(b & 0x1F) << 24;
        v |= (uint32_t)rd_u8(r) << 16;
        v |= (uint32_t)rd_u8(r) << 8;
        v |= rd_u8(r);
        return v;
    }
    r->bad = 1;
    return 0;
}

/* ECMA-335 II.23.2 compressed signed integer: the value is rotated left by one within
 * its 7, 14 or 29 bits, sign bit in bit 0. */
static inline int32_t rd_cs(MdRd *r)
{
    if (!rd_need(r, 1)) return 0;
    uint8_t b = r->p[r->pos];
    uint32_t u = rd_cu(r);
    if (r->bad) return 0;
    int32_t v = (int32_t)(u >> 1);
    if (u & 1) {
        if ((b & 0x80) == 0) v -= 0x40;
        else if ((b & 0xC0) == 0x80) v -= 0x2000;
        else v -= 0x10000000;
    }
    return v;
}

static inline uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | (p[1] << 8)); }
static inline uint32_t le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* UTF-16LE bytes -> UTF-8 NUL-terminated (into pool); unpaired surrogates become U+FFFD. */
char *md_utf8_from_utf16le(MdPool *pool, const uint8_t *p, size_t nbytes);

/* Growable array of fixed-size elements (malloc-backed; owner frees with md_vec_free). */
typedef struct {
    void *data;
    size_t n, cap, elem;
} MdVec;
int md_vec_push(MdVec *v, const void *elem); /* 0 ok, -1 ENOMEM */
void md_vec_free(MdVec *v);

static inline void md_seterr(char *err, size_t cap, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static inline void md_seterr(char *err, size_t cap, const char *fmt, ...)
{
    if (!err || cap == 0) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

/* Parse the canonical GUID text form (md_guid_str's output); returns 0 on success. */
int md_guid_parse(const char *s, uint8_t out[16]);

/* SHA-256 of p[0..len) with [zero_at, zero_at+zero_len) read as zero bytes. */
void md_sha256_masked(const uint8_t *p, size_t len, size_t zero_at, size_t zero_len, uint8_t out[32]);

/* Raw DEFLATE into out[0..outlen); 0 when the final block ended cleanly, -1 on bad data or
 * when the output would not fit. *produced = bytes written. */
int md_inflate_raw(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, size_t *produced);

#endif
