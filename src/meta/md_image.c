/* meta/md_image: PE/COFF headers, sections, the CLI header (II.25.3.3), the debug directory
 * (CodeView, Embedded Portable PDB, PDB checksum; see PE-COFF.md) and IL method bodies.
 * The same code serves a file and an image copied from memory (MD_LAYOUT_MAPPED: RVA = offset).
 *
 * PE layout read here (offsets from the start of each structure):
 *   DOS header   0x3C u32 e_lfanew -> "PE\0\0"
 *   COFF header  0 u16 Machine, 2 u16 NumberOfSections, 4 u32 TimeDateStamp,
 *                16 u16 SizeOfOptionalHeader
 *   Optional     0 u16 Magic (0x10b PE32, 0x20b PE32+), NumberOfRvaAndSizes at 92/108,
 *                data directories (u32 rva, u32 size) at 96/112: [6] debug, [14] CLI header
 *   Section      0 Name[8], 8 VirtualSize, 12 VirtualAddress, 16 SizeOfRawData, 20 PointerToRawData
 *   Debug entry  0 Characteristics, 4 TimeDateStamp, 8 u16 Major, 10 u16 Minor, 12 Type,
 *                16 SizeOfData, 20 AddressOfRawData, 24 PointerToRawData  (28 bytes) */
#include "meta/md.h"
#include "meta/md_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct {
    MdImage img;
    MdPool pool;
    uint8_t *owned;
    size_t mapped;      /* owned is a file mapping of this length (else malloc'ed or NULL) */
} ImagePriv;

static void release_owned(uint8_t *owned, size_t mapped)
{
    if (mapped) munmap(owned, mapped);
    else free(owned);
}

#define MAX_FILE_SIZE ((size_t)2 << 30)
#define MAX_EMBEDDED_PDB ((size_t)512 << 20)

const uint8_t *md_image_rva(const MdImage *img, uint32_t rva, uint32_t size)
{
    if (img->layout == MD_LAYOUT_MAPPED) {
        if (rva > img->len || size > img->len - rva) return NULL;
        return img->data + rva;
    }
    for (uint32_t i = 0; i < img->nsections; i++) {
        const MdSection *s = &img->sections[i];
        if (rva < s->vaddr) continue;
        uint32_t d = rva - s->vaddr;
        uint32_t span = s->vsize > s->raw_size ? s->vsize : s->raw_size;
        if (d >= span) continue;
        if (d > s->raw_size || size > s->raw_size - d) return NULL; /* not backed by file bytes */
        uint64_t off = (uint64_t)s->raw_ptr + d;
        if (off > img->len || size > img->len - off) return NULL;
        return img->data + off;
    }
    return NULL;
}

/* Bytes of a debug entry's data: by file pointer for files, by RVA for loaded images. */
static const uint8_t *debug_data(const MdImage *img, const MdDebugEntry *e)
{
    if (img->layout == MD_LAYOUT_MAPPED || e->ptr == 0) return e->rva ? md_image_rva(img, e->rva, e->size) : NULL;
    if (e->ptr > img->len || e->size > img->len - e->ptr) return NULL;
    return img->data + e->ptr;
}

static int parse_debug_dir(MdImage *img, MdPool *pool, uint32_t rva, uint32_t size, char *err,
                           size_t errcap)
{
    if (rva == 0 || size == 0) return 0;
    uint32_t n = size / 28;
    if (n > 4096) n = 4096;
    const uint8_t *p = md_image_rva(img, rva, n * 28);
    if (!p) {
        md_seterr(err, errcap, "PE: debug directory at RVA 0x%x (%u bytes) is outside the image", rva, size);
        return MD_EBADFMT;
    }
    img->debug = md_pool_alloc(pool, sizeof(MdDebugEntry) * (n ? n : 1));
    if (!img->debug) return MD_ENOMEM;
    img->ndebug = n;
    for (uint32_t i = 0; i < n; i++) {
        MdRd r = rd_make(p + i * 28, 28);
        MdDebugEntry *e = &img->debug[i];
        e->characteristics = rd_u32(&r);
        e->stamp = rd_u32(&r);
        e->major = rd_u16(&r);
        e->minor = rd_u16(&r);
        e->type = rd_u32(&r);
        e->size = rd_u32(&r);
        e->rva = rd_u32(&r);
        e->ptr = rd_u32(&r);
        const uint8_t *d = debug_data(img, e);
        if (!d) continue; /* an entry we cannot reach is ignored, not fatal */
        MdRd dr = rd_make(d, e->size);
        if (e->type == MD_DEBUG_CODEVIEW && !img->has_codeview) {
            if (rd_u32(&dr) != 0x53445352) continue; /* "RSDS" */
            const uint8_t *g = rd_bytes(&dr, 16);
            uint32_t age = rd_u32(&dr);
            if (dr.bad) continue;
            size_t left = rd_left(&dr);
            const char *path = (const char *)(d + dr.pos);
            size_t pl = strnlen(path, left);
            img->cv_path = md_pool_strndup(pool, path, pl);
            if (!img->cv_path) return MD_ENOMEM;
            memcpy(img->cv_guid, g, 16);
            img->cv_age = age;
            img->cv_stamp = e->stamp;
            img->cv_major = e->major;
            img->cv_minor = e->minor;
            img->has_codeview = 1;
        } else if (e->type == MD_DEBUG_EMBEDDED_PDB && !img->has_embedded_pdb) {
            if (rd_u32(&dr) != 0x4244504D) continue; /* "MPDB" */
            uint32_t usize = rd_u32(&dr);
            if (dr.bad || usize == 0) continue;
            img->embedded_size = usize;
            img->embedded_ptr = d + 8;
            img->embedded_len = e->size - 8;
            img->has_embedded_pdb = 1;
        } else if (e->type == MD_DEBUG_PDB_CHECKSUM && !img->has_checksum) {
            const char *alg = (const char *)d;
            size_t al = strnlen(alg, e->size);
            if (al == e->size) continue;
            img->checksum_alg = md_pool_strndup(pool, alg, al);
            if (!img->checksum_alg) return MD_ENOMEM;
            img->checksum = d + al + 1;
            img->checksum_len = e->size - (uint32_t)al - 1;
            img->has_checksum = 1;
        }
    }
    return 0;
}

static int parse_image(MdImage *img, MdPool *pool, char *err, size_t errcap)
{
    MdRd r = rd_make(img->data, img->len);
    if (rd_u16(&r) != 0x5A4D) {
        md_seterr(err, errcap, "PE: no MZ signature (not a PE file)");
        return MD_EBADFMT;
    }
    r.pos = 0x3C;
    uint32_t lfanew = rd_u32(&r);
    if (r.bad || lfanew > img->len) {
        md_seterr(err, errcap, "PE: truncated DOS header");
        return MD_EBADFMT;
    }
    r.pos = lfanew;
    if (rd_u32(&r) != 0x00004550) {
        md_seterr(err, errcap, "PE: no PE signature at 0x%x", lfanew);
        return MD_EBADFMT;
    }
    img->machine = rd_u16(&r);
    uint16_t nsec = rd_u16(&r);
    img->coff_stamp = rd_u32(&r);
    rd_u32(&r);
    rd_u32(&r);
    uint16_t optsize = rd_u16(&r);
    rd_u16(&r);
    size_t opt = r.pos;
    const uint8_t *oh = rd_bytes(&r, optsize);
    if (!oh || optsize < 2) {
        md_seterr(err, errcap, "PE: truncated optional header");
        return MD_EBADFMT;
    }
    uint16_t magic = le16(oh);
    if (magic != 0x10b && magic != 0x20b) {
        md_seterr(err, errcap, "PE: unknown optional header magic 0x%x", magic);
        return MD_EBADFMT;
    }
    img->pe32plus = magic == 0x20b;
    uint32_t ndir_off = img->pe32plus ? 108 : 92, dir_off = ndir_off + 4;
    uint32_t ndirs = optsize >= dir_off ? le32(oh + ndir_off) : 0;
    if (ndirs > (optsize - (optsize >= dir_off ? dir_off : optsize)) / 8)
        ndirs = optsize >= dir_off ? (optsize - dir_off) / 8 : 0;
    uint32_t dir_rva[16] = {0}, dir_size[16] = {0};
    for (uint32_t i = 0; i < ndirs && i < 16; i++) {
        dir_rva[i] = le32(oh + dir_off + 8 * i);
        dir_size[i] = le32(oh + dir_off + 8 * i + 4);
    }
    r.pos = opt + optsize;
    if (nsec > 96 && (size_t)nsec * 40 > rd_left(&r)) {
        md_seterr(err, errcap, "PE: %u section headers do not fit", nsec);
        return MD_EBADFMT;
    }
    img->sections = md_pool_alloc(pool, sizeof(MdSection) * (nsec ? nsec : 1));
    if (!img->sections) return MD_ENOMEM;
    for (uint32_t i = 0; i < nsec; i++) {
        const uint8_t *sh = rd_bytes(&r, 40);
        if (!sh) {
            md_seterr(err, errcap, "PE: truncated section table");
            return MD_EBADFMT;
        }
        MdSection *s = &img->sections[i];
        memcpy(s->name, sh, 8);
        s->vsize = le32(sh + 8);
        s->vaddr = le32(sh + 12);
        s->raw_size = le32(sh + 16);
        s->raw_ptr = le32(sh + 20);
    }
    img->nsections = nsec;

    if (dir_rva[14] == 0) {
        md_seterr(err, errcap, "PE: no CLI header (not a .NET assembly)");
        return MD_EBADFMT;
    }
    const uint8_t *cli = md_image_rva(img, dir_rva[14], 72);
    if (!cli) {
        md_seterr(err, errcap, "PE: CLI header at RVA 0x%x is outside the image", dir_rva[14]);
        return MD_EBADFMT;
    }
    img->md_rva = le32(cli + 8);
    img->md_size = le32(cli + 12);
    img->cli_flags = le32(cli + 16);
    img->entry_point_token = le32(cli + 20);
    const uint8_t *mdp = md_image_rva(img, img->md_rva, img->md_size);
    if (!mdp) {
        md_seterr(err, errcap, "PE: metadata at RVA 0x%x (+%u) is outside the image", img->md_rva,
                  img->md_size);
        return MD_EBADFMT;
    }
    int rc = md_meta_parse(&img->md, mdp, img->md_size, err, errcap);
    if (rc) return rc;
    return parse_debug_dir(img, pool, dir_rva[6], dir_size[6], err, errcap);
}

static int open_common(const void *data, size_t len, MdLayout layout, uint8_t *owned, size_t mapped,
                       MdImage **out, char *err, size_t errcap)
{
    *out = NULL;
    ImagePriv *ip = calloc(1, sizeof *ip);
    if (!ip) {
        release_owned(owned, mapped);
        return MD_ENOMEM;
    }
    ip->owned = owned;
    ip->mapped = mapped;
    ip->img.data = data;
    ip->img.len = len;
    ip->img.layout = layout;
    ip->img.priv_ = ip;
    int rc = parse_image(&ip->img, &ip->pool, err, errcap);
    if (rc) {
        if (rc == MD_ENOMEM) md_seterr(err, errcap, "out of memory");
        md_image_close(&ip->img);
        return rc;
    }
    *out = &ip->img;
    return 0;
}

int md_image_open_mem(const void *data, size_t len, MdLayout layout, MdImage **out, char *err,
                      size_t errcap)
{
    return open_common(data, len, layout, NULL, 0, out, err, errcap);
}

int md_image_open_file(const char *path, MdImage **out, char *err, size_t errcap)
{
    *out = NULL;
    /* Mapped, not read: asking whether CoreLib (15 MB) has symbols touches its headers
     * only, and indexes touch only the tables they read. */
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    int e = fd < 0 ? errno : fstat(fd, &st) != 0 ? errno
          : !S_ISREG(st.st_mode) ? EINVAL : (uint64_t)st.st_size > MAX_FILE_SIZE ? EFBIG : 0;
    if (e) {
        if (fd >= 0) close(fd);
        md_seterr(err, errcap, "%s: %s", path, strerror(e));
        return MD_EIO;
    }
    size_t len = (size_t)st.st_size;
    uint8_t *map = len ? mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0) : NULL;
    close(fd);
    if (len && map == MAP_FAILED) {
        md_seterr(err, errcap, "%s: %s", path, strerror(errno));
        return MD_EIO;
    }
    char sub[200];
    int rc = open_common(map, len, MD_LAYOUT_FILE, map, len, out, sub, sizeof sub);
    if (rc) md_seterr(err, errcap, "%s: %s", path, sub);
    return rc;
}

void md_image_close(MdImage *img)
{
    if (!img) return;
    ImagePriv *ip = img->priv_;
    md_pool_free(&ip->pool);
    release_owned(ip->owned, ip->mapped);
    free(ip);
}

int md_image_embedded_pdb(const MdImage *img, uint8_t **out, size_t *len, char *err, size_t errcap)
{
    *out = NULL;
    *len = 0;
    if (!img->has_embedded_pdb) {
        md_seterr(err, errcap, "no embedded portable PDB");
        return MD_ENOTFOUND;
    }
    if (img->embedded_size > MAX_EMBEDDED_PDB || (img->embedded_size & 0x80000000u)) {
        md_seterr(err, errcap, "embedded PDB: unsupported size %u", img->embedded_size);
        return MD_EBADFMT;
    }
    uint8_t *buf = malloc(img->embedded_size);
    if (!buf) return MD_ENOMEM;
    size_t got = 0;
    int zr = md_inflate_raw(img->embedded_ptr, img->embedded_len, buf, img->embedded_size, &got);
    if (zr != 0 || got != img->embedded_size) {
        free(buf);
        md_seterr(err, errcap, "embedded PDB: deflate data is corrupt (%s, %zu of %u bytes)",
                  zr == 0 ? "size mismatch" : "bad data", got, img->embedded_size);
        return MD_EBADFMT;
    }
    *out = buf;
    *len = got;
    return 0;
}

int md_method_body(const MdImage *img, uint32_t rid, MdMethodBody *out)
{
    memset(out, 0, sizeof *out);
    if (rid == 0 || rid > md_rows(&img->md, MD_T_MethodDef)) return MD_ENOTFOUND;
    uint32_t rva = md_get(&img->md, MD_T_MethodDef, rid, MD_MethodDef_RVA);
    if (rva == 0) return MD_ENOTFOUND;
    const uint8_t *h = md_image_rva(img, rva, 1);
    if (!h) return MD_EBADFMT;
    if ((h[0] & 3) == 2) { /* tiny header: 6 bits of code size */
        out->il_size = h[0] >> 2;
        out->max_stack = 8;
        out->il = md_image_rva(img, rva + 1, out->il_size);
        return out->il ? 0 : MD_EBADFMT;
    }
    if ((h[0] & 3) != 3) return MD_EBADFMT;
    const uint8_t *f = md_image_rva(img, rva, 12);
    if (!f) return MD_EBADFMT;
    uint16_t flags_size = le16(f);
    uint32_t hsize = (uint32_t)(flags_size >> 12) * 4;
    if (hsize < 12) return MD_EBADFMT;
    out->init_locals = (flags_size & 0x10) != 0;
    out->max_stack = le16(f + 2);
    out->il_size = le32(f + 4);
    out->local_sig_token = le32(f + 8);
    if (rva > UINT32_MAX - hsize) return MD_EBADFMT;
    out->il = md_image_rva(img, rva + hsize, out->il_size);
    return out->il ? 0 : MD_EBADFMT;
}

int md_method_eh(const MdImage *img, uint32_t rid, MdEhClause *out, uint32_t cap, uint32_t *n)
{
    *n = 0;
    MdMethodBody body;
    int rc = md_method_body(img, rid, &body);
    if (rc) return rc;
    uint32_t rva = md_get(&img->md, MD_T_MethodDef, rid, MD_MethodDef_RVA);
    const uint8_t *f = md_image_rva(img, rva, 12);
    /* A tiny header has no sections; a fat one says so with MoreSects (0x8). */
    if (!f || (f[0] & 3) != 3 || !(le16(f) & 0x8)) return 0;
    uint32_t hsize = (uint32_t)(le16(f) >> 12) * 4;
    uint64_t sec = (uint64_t)rva + hsize + body.il_size;
    for (int more = 1; more;) {
        sec = (sec + 3) & ~(uint64_t)3;
        if (sec > UINT32_MAX - 4) return MD_EBADFMT;
        const uint8_t *h = md_image_rva(img, (uint32_t)sec, 4);
        if (!h) return MD_EBADFMT;
        int fat = (h[0] & 0x40) != 0, eh = (h[0] & 0x3f) == 1;
        more = (h[0] & 0x80) != 0;
        uint32_t size = fat ? (uint32_t)h[1] | (uint32_t)h[2] << 8 | (uint32_t)h[3] << 16 : h[1];
        if (size < 4) return MD_EBADFMT;
        const uint8_t *d = md_image_rva(img, (uint32_t)sec, size);
        if (!d) return MD_EBADFMT;
        uint32_t each = fat ? 24 : 12;
        for (uint32_t at = 4; eh && at + each <= size; at += each) {
            const uint8_t *c = d + at;
            MdEhClause cl;
            if (fat) {
                cl = (MdEhClause){ le32(c), le32(c + 4), le32(c + 8), le32(c + 12), le32(c + 16), le32(c + 20) };
            } else {
                cl = (MdEhClause){ le16(c), le16(c + 2), c[4], le16(c + 5), c[7], le32(c + 8) };
            }
            if (*n < cap) out[*n] = cl;
            (*n)++;
        }
        sec += size;
    }
    return 0;
}
