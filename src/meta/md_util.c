/* meta/ utilities: per-object bump pool, UTF-16 -> UTF-8, growable arrays, GUID text, file read. */
#include "meta/md.h"
#include "meta/md_internal.h"
#include "base/os.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

struct MdPoolBlock {
    MdPoolBlock *next;
    size_t used, cap;
    _Alignas(16) unsigned char data[];
};

void *md_pool_alloc(MdPool *p, size_t n)
{
    if (n > ((size_t)1 << 40)) return NULL;
    n = (n + 15) & ~(size_t)15;
    if (n == 0) n = 16;
    MdPoolBlock *b = p->head;
    if (!b || b->cap - b->used < n) {
        size_t cap = n > 65536 ? n : 65536;
        b = malloc(sizeof *b + cap);
        if (!b) return NULL;
        b->used = 0;
        b->cap = cap;
        b->next = p->head;
        p->head = b;
        p->total += cap;
    }
    void *r = b->data + b->used;
    b->used += n;
    memset(r, 0, n);
    return r;
}

char *md_pool_strndup(MdPool *p, const char *s, size_t n)
{
    char *r = md_pool_alloc(p, n + 1);
    if (!r) return NULL;
    memcpy(r, s, n);
    r[n] = 0;
    return r;
}

void md_pool_free(MdPool *p)
{
    MdPoolBlock *b = p->head;
    while (b) {
        MdPoolBlock *n = b->next;
        free(b);
        b = n;
    }
    p->head = NULL;
    p->total = 0;
}

char *md_utf8_from_utf16le(MdPool *pool, const uint8_t *p, size_t nbytes)
{
    size_t n = nbytes / 2;
    char *out = md_pool_alloc(pool, n * 3 + 1);
    if (!out) return NULL;
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = le16(p + 2 * i);
        if (c >= 0xD800 && c < 0xDC00 && i + 1 < n) {
            uint32_t d = le16(p + 2 * i + 2);
            if (d >= 0xDC00 && d < 0xE000) {
                c = 0x10000 + ((c - 0xD800) << 10) + (d - 0xDC00);
                i++;
            } else c = 0xFFFD;
        } else if (c >= 0xD800 && c < 0xE000) c = 0xFFFD;
        if (c < 0x80) out[o++] = (char)c;
        else if (c < 0x800) {
            out[o++] = (char)(0xC0 | (c >> 6));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            out[o++] = (char)(0xE0 | (c >> 12));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        } else {
            /* a surrogate pair is 4 input bytes and 4 output bytes: fits in n*3 */
            out[o++] = (char)(0xF0 | (c >> 18));
            out[o++] = (char)(0x80 | ((c >> 12) & 0x3F));
            out[o++] = (char)(0x80 | ((c >> 6) & 0x3F));
            out[o++] = (char)(0x80 | (c & 0x3F));
        }
    }
    out[o] = 0;
    return out;
}

int md_vec_push(MdVec *v, const void *elem)
{
    if (v->n == v->cap) {
        size_t nc = v->cap ? v->cap * 2 : 16;
        void *nd = realloc(v->data, nc * v->elem);
        if (!nd) return -1;
        v->data = nd;
        v->cap = nc;
    }
    memcpy((char *)v->data + v->n * v->elem, elem, v->elem);
    v->n++;
    return 0;
}

void md_vec_free(MdVec *v)
{
    free(v->data);
    v->data = NULL;
    v->n = v->cap = 0;
}

/* GUIDs are stored as Data1 (LE u32), Data2 (LE u16), Data3 (LE u16), Data4 (8 bytes). */
void md_guid_str(const uint8_t *g, char out[37])
{
    snprintf(out, 37, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x", le32(g), le16(g + 4),
             le16(g + 6), g[8], g[9], g[10], g[11], g[12], g[13], g[14], g[15]);
}

static int hexv(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

int md_guid_parse(const char *s, uint8_t out[16])
{
    uint8_t b[16];
    int nb = 0, hi = -1;
    for (; *s && nb < 16; s++) {
        if (*s == '-' || *s == '{' || *s == '}') continue;
        int v = hexv(*s);
        if (v < 0) return -1;
        if (hi < 0) hi = v;
        else {
            b[nb++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    if (nb != 16) return -1;
    /* text order is big-endian per field; storage is little-endian for the first three */
    out[0] = b[3]; out[1] = b[2]; out[2] = b[1]; out[3] = b[0];
    out[4] = b[5]; out[5] = b[4];
    out[6] = b[7]; out[7] = b[6];
    memcpy(out + 8, b + 8, 8);
    return 0;
}

int md_read_file(const char *path, size_t max, uint8_t **out, size_t *len)
{
    /* base/ does the reading; meta/ keeps its byte-typed name for its callers. */
    char *buf = NULL;
    size_t n = 0;
    int rc = os_read_file(path, max, &buf, &n);
    *out = rc ? NULL : (uint8_t *)buf;
    *len = rc ? 0 : n;
    if (rc) free(buf);
    return rc;
}
