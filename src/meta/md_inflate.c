/* meta/md_inflate: raw DEFLATE (RFC 1951) decoder into a caller-sized buffer, for embedded
 * portable PDBs and embedded sources. Written for hostile input: every bit read and every
 * back-reference is checked; output never exceeds the buffer; no allocation. Canonical
 * Huffman codes are decoded one bit at a time (simple, and fast enough for PDB sizes). */
#include "meta/md_internal.h"

typedef struct {
    const uint8_t *in;
    size_t inlen, pos;
    uint32_t bitbuf;
    int bitcnt;
    uint8_t *out;
    size_t outlen, outpos;
    int bad;
} Inf;

typedef struct {
    uint16_t count[16];  /* codes of each length */
    uint16_t symbol[320]; /* symbols ordered by (length, value) */
} Huff;

static uint32_t bits(Inf *s, int n)
{
    while (s->bitcnt < n) {
        if (s->pos >= s->inlen) {
            s->bad = 1;
            return 0;
        }
        s->bitbuf |= (uint32_t)s->in[s->pos++] << s->bitcnt;
        s->bitcnt += 8;
    }
    uint32_t v = s->bitbuf & ((1u << n) - 1);
    s->bitbuf >>= n;
    s->bitcnt -= n;
    return v;
}

/* Build a canonical code from lengths; over-subscribed sets are rejected. */
static int build(Huff *h, const uint8_t *len, int n)
{
    memset(h->count, 0, sizeof h->count);
    for (int i = 0; i < n; i++) h->count[len[i]]++;
    int left = 1;
    for (int l = 1; l < 16; l++) {
        left <<= 1;
        left -= h->count[l];
        if (left < 0) return -1;
    }
    uint16_t offs[16];
    offs[1] = 0;
    for (int l = 1; l < 15; l++) offs[l + 1] = (uint16_t)(offs[l] + h->count[l]);
    for (int i = 0; i < n; i++)
        if (len[i]) h->symbol[offs[len[i]]++] = (uint16_t)i;
    return 0;
}

static int decode(Inf *s, const Huff *h)
{
    int code = 0, first = 0, index = 0;
    for (int l = 1; l < 16; l++) {
        code |= (int)bits(s, 1);
        if (s->bad) return -1;
        int c = h->count[l];
        if (code - first < c) return h->symbol[index + code - first];
        index += c;
        first += c;
        first <<= 1;
        code <<= 1;
    }
    s->bad = 1; /* a code not in the table */
    return -1;
}

static const uint16_t LBASE[29] = {3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
                                   35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t LEXTRA[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
                                   3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t DBASE[30] = {1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193,
                                   257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145,
                                   8193, 12289, 16385, 24577};
static const uint8_t DEXTRA[30] = {0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
                                   7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};

static int codes(Inf *s, const Huff *lit, const Huff *dist)
{
    for (;;) {
        int sym = decode(s, lit);
        if (sym < 0) return -1;
        if (sym < 256) {
            if (s->outpos >= s->outlen) return -1;
            s->out[s->outpos++] = (uint8_t)sym;
        } else if (sym == 256) {
            return 0;
        } else {
            sym -= 257;
            if (sym >= 29) return -1;
            size_t len = LBASE[sym] + bits(s, LEXTRA[sym]);
            int ds = decode(s, dist);
            if (ds < 0 || ds >= 30) return -1;
            size_t d = DBASE[ds] + bits(s, DEXTRA[ds]);
            if (s->bad || d > s->outpos || len > s->outlen - s->outpos) return -1;
            for (size_t i = 0; i < len; i++, s->outpos++) s->out[s->outpos] = s->out[s->outpos - d];
        }
    }
}

static int stored(Inf *s)
{
    s->bitbuf = 0;
    s->bitcnt = 0;
    if (s->inlen - s->pos < 4) return -1;
    uint32_t len = le16(s->in + s->pos), nlen = le16(s->in + s->pos + 2);
    s->pos += 4;
    if (len != (~nlen & 0xFFFF)) return -1;
    if (len > s->inlen - s->pos || len > s->outlen - s->outpos) return -1;
    memcpy(s->out + s->outpos, s->in + s->pos, len);
    s->pos += len;
    s->outpos += len;
    return 0;
}

static int fixed(Inf *s)
{
    uint8_t l[320];
    Huff lit, dist;
    int i = 0;
    for (; i < 144; i++) l[i] = 8;
    for (; i < 256; i++) l[i] = 9;
    for (; i < 280; i++) l[i] = 7;
    for (; i < 288; i++) l[i] = 8;
    build(&lit, l, 288);
    for (i = 0; i < 30; i++) l[i] = 5;
    build(&dist, l, 30);
    return codes(s, &lit, &dist);
}

static int dynamic(Inf *s)
{
    static const uint8_t ORDER[19] = {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15};
    int nlen = (int)bits(s, 5) + 257, ndist = (int)bits(s, 5) + 1, ncode = (int)bits(s, 4) + 4;
    if (s->bad || nlen > 286 || ndist > 30) return -1;
    uint8_t l[320];
    memset(l, 0, sizeof l);
    for (int i = 0; i < ncode; i++) l[ORDER[i]] = (uint8_t)bits(s, 3);
    Huff cl, lit, dist;
    if (s->bad || build(&cl, l, 19)) return -1;
    int i = 0;
    while (i < nlen + ndist) {
        int sym = decode(s, &cl);
        if (sym < 0) return -1;
        if (sym < 16) {
            l[i++] = (uint8_t)sym;
            continue;
        }
        uint8_t v = 0;
        int rep;
        if (sym == 16) {
            if (i == 0) return -1;
            v = l[i - 1];
            rep = 3 + (int)bits(s, 2);
        } else if (sym == 17) rep = 3 + (int)bits(s, 3);
        else rep = 11 + (int)bits(s, 7);
        if (s->bad || i + rep > nlen + ndist) return -1;
        while (rep--) l[i++] = v;
    }
    if (l[256] == 0) return -1; /* no end-of-block code */
    if (build(&lit, l, nlen) || build(&dist, l + nlen, ndist)) return -1;
    return codes(s, &lit, &dist);
}

int md_inflate_raw(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, size_t *produced)
{
    Inf s = {in, inlen, 0, 0, 0, out, outlen, 0, 0};
    int last, rc = 0;
    do {
        last = (int)bits(&s, 1);
        int type = (int)bits(&s, 2);
        if (s.bad) {
            rc = -1;
            break;
        }
        if (type == 0) rc = stored(&s);
        else if (type == 1) rc = fixed(&s);
        else if (type == 2) rc = dynamic(&s);
        else rc = -1;
        if (s.bad) rc = -1;
    } while (rc == 0 && !last);
    *produced = s.outpos;
    return rc;
}
