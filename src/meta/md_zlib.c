/* meta/md_zlib: raw DEFLATE (embedded portable PDBs, embedded sources) through zlib, into a
 * caller-sized buffer: output never exceeds it, and data that wants more is an error. */
#include "meta/md_internal.h"

#include <limits.h>
#include <zlib.h>

int md_inflate_raw(const uint8_t *in, size_t inlen, uint8_t *out, size_t outlen, size_t *produced)
{
    *produced = 0;
    if (inlen > UINT_MAX || outlen > UINT_MAX) return -1;
    z_stream z = { 0 };
    /* Negative window bits: a raw stream, no zlib header or checksum (what the PE holds). */
    if (inflateInit2(&z, -MAX_WBITS) != Z_OK) return -1;
    z.next_in = (Bytef *)in;
    z.avail_in = (uInt)inlen;
    z.next_out = out;
    z.avail_out = (uInt)outlen;
    int zr = inflate(&z, Z_FINISH);
    *produced = outlen - z.avail_out;
    inflateEnd(&z);
    /* Z_STREAM_END: the final block ended cleanly within the buffer. Z_BUF_ERROR with no
     * room left means the data wants more than the declared size: refused. */
    return zr == Z_STREAM_END ? 0 : -1;
}
