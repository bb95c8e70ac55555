/* ELF core dumps (x86-64 Linux): the reader (headers and notes parsed once, memory read on
 * demand) and the writer (core_write). See core.h.
 *
 * Reading. core_open reads only the ELF header, the program headers and the PT_NOTE
 * segments (pread, never the whole file: a 1 GB core opens in a few milliseconds). Memory
 * is read on demand: a binary search over the PT_LOAD segments (sorted, overlaps trimmed),
 * then, for bytes the core did not save (a segment's memsz past its filesz, or no segment
 * at all), the file an NT_FILE mapping names, opened once and kept (a small LRU of fds).
 *
 * The file's layout, as checked (all little-endian, every offset and length bounded by the
 * file size before use):
 *   0     Elf64_Ehdr   e_ident ELF64 LSB, e_type ET_CORE, e_machine EM_X86_64,
 *                      e_phoff/e_phentsize(>=56)/e_phnum (PN_XNUM: the count is in
 *                      section header 0's sh_info)
 *   phoff Elf64_Phdr[] PT_LOAD: p_vaddr, p_memsz, p_offset, p_filesz (<= memsz)
 *                      PT_NOTE: notes of 12-byte headers (namesz, descsz, type), the
 *                      name and the desc each padded to 4 bytes
 * Notes used (name "CORE"):
 *   NT_PRSTATUS  (1)   struct elf_prstatus, 336 bytes: pr_cursig@12 (short), pr_pid@32,
 *                      pr_reg@112 (27 longs in user_regs_struct order). Starts a thread.
 *   NT_FPREGSET  (2)   user_fpregs_struct (FXSAVE, 512 bytes) of the last NT_PRSTATUS thread
 *   NT_PRPSINFO  (3)   struct elf_prpsinfo, 136 bytes: pr_pid@24, pr_fname[16]@40,
 *                      pr_psargs[80]@56
 *   NT_AUXV      (6)   (type, value) pairs of u64 up to AT_NULL
 *   NT_SIGINFO         siginfo_t, 128 bytes: si_signo@0, si_errno@4, si_code@8, si_addr@16
 *   NT_FILE            u64 count, u64 page size, count x (start, end, file offset in
 *                      pages), then count NUL-terminated paths */
#include "native/core.h"

#include <ctype.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/procfs.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/user.h>
#include <unistd.h>

#include "base/vec.h"

#ifndef NT_SIGINFO
#define NT_SIGINFO 0x53494749
#endif
#ifndef NT_FILE
#define NT_FILE 0x46494c45
#endif

/* Layout constants of the x86-64 kernel structures (checked against glibc's in core_write's
 * static asserts below). */
enum {
    PRSTATUS_SIZE = 336, PRSTATUS_CURSIG = 12, PRSTATUS_PID = 32, PRSTATUS_PPID = 36,
    PRSTATUS_PGRP = 40, PRSTATUS_SID = 44, PRSTATUS_REG = 112, PRSTATUS_FPVALID = 328,
    NREGS = 27,
    PRPSINFO_SIZE = 136, PRPSINFO_PID = 24, PRPSINFO_FNAME = 40, PRPSINFO_PSARGS = 56,
    FPREGS_SIZE = 512, SIGINFO_SIZE = 128,
};

/* user_regs_struct order. */
enum { R_R15, R_R14, R_R13, R_R12, R_RBP, R_RBX, R_R11, R_R10, R_R9, R_R8, R_RAX, R_RCX,
       R_RDX, R_RSI, R_RDI, R_ORIG_RAX, R_RIP, R_CS, R_EFLAGS, R_RSP, R_SS, R_FS_BASE,
       R_GS_BASE, R_DS, R_ES, R_FS, R_GS };

#define MAX_NOTES_BYTES   (64u << 20)   /* more notes than this is not a core we can use */
#define MAX_SEGMENTS      (1u << 22)
#define FD_CACHE          16            /* mapped files kept open */
#define MAX_NAME          4096

typedef struct Seg {
    uint64_t vaddr, memsz;      /* [vaddr, vaddr + memsz) */
    uint64_t offset, filesz;    /* saved bytes: [vaddr, vaddr + filesz) at offset */
} Seg;

typedef struct Subst { char *from, *to; } Subst;

typedef struct FdSlot {
    const char *path;           /* a CoreMapping's path (owned by the CoreFile) */
    int         fd;             /* -1: could not be opened (not tried again) */
    uint64_t    used;           /* LRU stamp */
} FdSlot;

struct CoreFile {
    int       fd;               /* the core file, or -1 over bytes in memory */
    uint8_t  *bytes;            /* core_open_mem's copy */
    uint64_t  size;
    VEC(Seg)  segs;             /* sorted by vaddr, disjoint */
    VEC(CoreThread) threads;
    VEC(CoreMapping) maps;      /* sorted by start, disjoint */
    char     *names;            /* NT_FILE's paths, which maps[].path point into */
    VEC(uint64_t) auxv;         /* type, value, type, value, ... */
    int       pid, psinfo;
    char      comm[17];
    char      args[81];
    CoreSigInfo sig;
    VEC(char) warn;             /* lines, NUL-terminated */
    VEC(Subst) subst;
    FdSlot    fds[FD_CACHE];
    uint64_t  tick;
};

/* ---------------------------------------------------------------- small helpers */

static void warnf(CoreFile *cf, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void warnf(CoreFile *cf, const char *fmt, ...)
{
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (n < 0) return;
    size_t len = strlen(line);
    if (cf->warn.len > 64 * 1024) return;          /* bounded, whatever the input */
    if (vec_reserve(&cf->warn, cf->warn.len + len + 2) != 0) return;
    if (cf->warn.len) cf->warn.items[cf->warn.len - 1] = '\n';   /* the previous NUL */
    memcpy(cf->warn.items + cf->warn.len, line, len);
    cf->warn.len += len;
    cf->warn.items[cf->warn.len++] = '\0';
}

static uint64_t rd64(const uint8_t *p) { uint64_t v; memcpy(&v, p, 8); return v; }
static uint32_t rd32(const uint8_t *p) { uint32_t v; memcpy(&v, p, 4); return v; }
static uint16_t rd16(const uint8_t *p) { uint16_t v; memcpy(&v, p, 2); return v; }

/* Bytes [off, off + len) of the core file. Returns how many could be read. */
static size_t src_read(const CoreFile *cf, uint64_t off, void *buf, size_t len)
{
    if (off >= cf->size) return 0;
    if (len > cf->size - off) len = (size_t)(cf->size - off);
    if (cf->bytes) {
        memcpy(buf, cf->bytes + off, len);
        return len;
    }
    size_t got = 0;
    while (got < len) {
        ssize_t r = pread(cf->fd, (uint8_t *)buf + got, len - got, (off_t)(off + got));
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) break;
        got += (size_t)r;
    }
    return got;
}

/* ---------------------------------------------------------------- notes */

static void regs_from_prstatus(NtRegs *o, const uint8_t *g)
{
    uint64_t r[NREGS];
    for (int i = 0; i < NREGS; i++) r[i] = rd64(g + 8 * i);
    o->r15 = r[R_R15]; o->r14 = r[R_R14]; o->r13 = r[R_R13]; o->r12 = r[R_R12];
    o->rbp = r[R_RBP]; o->rbx = r[R_RBX]; o->r11 = r[R_R11]; o->r10 = r[R_R10];
    o->r9 = r[R_R9]; o->r8 = r[R_R8]; o->rax = r[R_RAX]; o->rcx = r[R_RCX];
    o->rdx = r[R_RDX]; o->rsi = r[R_RSI]; o->rdi = r[R_RDI]; o->orig_rax = r[R_ORIG_RAX];
    o->rip = r[R_RIP]; o->cs = r[R_CS]; o->eflags = r[R_EFLAGS]; o->rsp = r[R_RSP];
    o->ss = r[R_SS]; o->fs_base = r[R_FS_BASE]; o->gs_base = r[R_GS_BASE]; o->ds = r[R_DS];
    o->es = r[R_ES]; o->fs = r[R_FS]; o->gs = r[R_GS];
}

static void fpregs_from_fxsave(NtRegs *o, const uint8_t *f)
{
    o->fcw = rd16(f); o->fsw = rd16(f + 2); o->ftw = rd16(f + 4); o->fop = rd16(f + 6);
    o->mxcsr = rd32(f + 24);
    memcpy(o->st, f + 32, sizeof o->st);
    memcpy(o->xmm, f + 160, sizeof o->xmm);
}

/* Keeps the printable part of a fixed-size, maybe unterminated, text field. */
static void copy_text(char *out, size_t cap, const uint8_t *p, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n && p[i] && k + 1 < cap; i++)
        out[k++] = (p[i] >= 0x20 && p[i] < 0x7f) || p[i] >= 0x80 ? (char)p[i] : ' ';
    while (k && out[k - 1] == ' ') k--;
    out[k] = '\0';
}

static int map_cmp(const void *a, const void *b)
{
    const CoreMapping *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

static void parse_nt_file(CoreFile *cf, const uint8_t *d, uint64_t n)
{
    if (cf->maps.len || cf->names) { warnf(cf, "corrupt: a second NT_FILE note was ignored"); return; }
    if (n < 16) { warnf(cf, "corrupt: NT_FILE note too short (%" PRIu64 " bytes): no file mappings", n); return; }
    uint64_t count = rd64(d), page = rd64(d + 8);
    if (page == 0 || (page & (page - 1)) || page > (1u << 30)) {
        warnf(cf, "corrupt: NT_FILE page size %" PRIu64 ": no file mappings", page);
        return;
    }
    uint64_t room = (n - 16) / 24;
    if (count > room) {
        warnf(cf, "truncated: NT_FILE names %" PRIu64 " mappings, room for %" PRIu64, count, room);
        count = room;
    }
    const uint8_t *tab = d + 16, *s = tab + count * 24, *end = d + n;
    cf->names = malloc((size_t)(end - s) + 1);
    if (!cf->names || vec_reserve(&cf->maps, (size_t)count) != 0) {
        warnf(cf, "out of memory reading NT_FILE");
        return;
    }
    memcpy(cf->names, s, (size_t)(end - s));
    cf->names[end - s] = '\0';
    const char *name = cf->names, *nend = cf->names + (end - s);
    uint64_t bad = 0, missing = 0;
    for (uint64_t i = 0; i < count; i++) {
        uint64_t st = rd64(tab + 24 * i), en = rd64(tab + 24 * i + 8), pg = rd64(tab + 24 * i + 16);
        if (name >= nend) { missing = count - i; break; }
        const char *nm = name;
        name += strlen(name) + 1;
        if (en <= st || pg > UINT64_MAX / page) { bad++; continue; }
        cf->maps.items[cf->maps.len++] = (CoreMapping){ .start = st, .end = en, .offset = pg * page, .path = nm };
    }
    if (missing) warnf(cf, "truncated: %" PRIu64 " NT_FILE mappings have no name and were dropped", missing);
    if (bad) warnf(cf, "corrupt: %" PRIu64 " NT_FILE mappings with an empty or bad range were dropped", bad);
    if (cf->maps.len) qsort(cf->maps.items, cf->maps.len, sizeof *cf->maps.items, map_cmp);
    size_t k = 0, overl = 0;
    for (size_t i = 0; i < cf->maps.len; i++) {
        if (k && cf->maps.items[i].start < cf->maps.items[k - 1].end) { overl++; continue; }
        cf->maps.items[k++] = cf->maps.items[i];
    }
    cf->maps.len = k;
    if (overl) warnf(cf, "corrupt: %zu overlapping NT_FILE mappings were dropped", overl);
}

/* Parses one PT_NOTE segment's bytes. */
static void parse_notes(CoreFile *cf, const uint8_t *d, uint64_t n, uint64_t *fp_orphans)
{
    uint64_t o = 0;
    while (o + 12 <= n) {
        uint32_t namesz = rd32(d + o), descsz = rd32(d + o + 4), type = rd32(d + o + 8);
        uint64_t name_off = o + 12, desc_off = name_off + (((uint64_t)namesz + 3) & ~3ull);
        uint64_t next = desc_off + (((uint64_t)descsz + 3) & ~3ull);
        if (desc_off > n || desc_off + descsz > n) {
            warnf(cf, "truncated: a note (type 0x%x) runs past the end of its segment; the notes after it are lost", type);
            return;
        }
        const uint8_t *nm = d + name_off, *desc = d + desc_off;
        int core = namesz >= 4 && memcmp(nm, "CORE", 4) == 0 && (namesz == 4 || nm[4] == '\0');
        if (core) {
            switch (type) {
            case NT_PRSTATUS:
                if (descsz < PRSTATUS_SIZE) {
                    warnf(cf, "corrupt: an NT_PRSTATUS note of %u bytes (not %d): that thread was dropped", descsz, PRSTATUS_SIZE);
                    break;
                }
                if (vec_reserve(&cf->threads, cf->threads.len + 1) != 0) break;
                {
                    CoreThread *t = &cf->threads.items[cf->threads.len++];
                    memset(t, 0, sizeof *t);
                    t->tid = (int)rd32(desc + PRSTATUS_PID);
                    t->signo = (int16_t)rd16(desc + PRSTATUS_CURSIG);
                    regs_from_prstatus(&t->regs, desc + PRSTATUS_REG);
                }
                break;
            case NT_FPREGSET:
                if (descsz < FPREGS_SIZE) {
                    warnf(cf, "corrupt: an NT_FPREGSET note of %u bytes (not %d) was ignored", descsz, FPREGS_SIZE);
                    break;
                }
                if (!cf->threads.len || cf->threads.items[cf->threads.len - 1].has_fpregs) {
                    (*fp_orphans)++;
                    break;
                }
                fpregs_from_fxsave(&cf->threads.items[cf->threads.len - 1].regs, desc);
                cf->threads.items[cf->threads.len - 1].has_fpregs = 1;
                break;
            case NT_PRPSINFO:
                if (descsz < PRPSINFO_SIZE) {
                    warnf(cf, "corrupt: the NT_PRPSINFO note is %u bytes (not %d): no program name", descsz, PRPSINFO_SIZE);
                    break;
                }
                cf->psinfo = 1;
                cf->pid = (int)rd32(desc + PRPSINFO_PID);
                copy_text(cf->comm, sizeof cf->comm, desc + PRPSINFO_FNAME, 16);
                copy_text(cf->args, sizeof cf->args, desc + PRPSINFO_PSARGS, 80);
                break;
            case NT_SIGINFO:
                if (descsz < 24) {
                    warnf(cf, "corrupt: the NT_SIGINFO note is %u bytes: ignored", descsz);
                    break;
                }
                cf->sig.valid = 1;
                cf->sig.signo = (int)rd32(desc);
                cf->sig.errno_ = (int)rd32(desc + 4);
                cf->sig.code = (int)rd32(desc + 8);
                cf->sig.addr = rd64(desc + 16);
                break;
            case NT_AUXV:
                if (cf->auxv.len) break;
                for (uint64_t i = 0; i + 16 <= descsz; i += 16) {
                    uint64_t at = rd64(desc + i);
                    if (at == AT_NULL) break;
                    if (vec_reserve(&cf->auxv, cf->auxv.len + 2) != 0) break;
                    cf->auxv.items[cf->auxv.len++] = at;
                    cf->auxv.items[cf->auxv.len++] = rd64(desc + i + 8);
                }
                break;
            case NT_FILE:
                parse_nt_file(cf, desc, descsz);
                break;
            default:
                break;
            }
        }
        if (next > n) return;       /* the desc's padding ran off the end: nothing follows */
        o = next;
    }
}

/* ---------------------------------------------------------------- open */

static int seg_cmp(const void *a, const void *b)
{
    const Seg *x = a, *y = b;
    return x->vaddr < y->vaddr ? -1 : x->vaddr > y->vaddr;
}

static void fail(char *err, size_t cap, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fail(char *err, size_t cap, const char *fmt, ...)
{
    if (!err || !cap) return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, cap, fmt, ap);
    va_end(ap);
}

static void drop_fds(CoreFile *cf)
{
    for (int i = 0; i < FD_CACHE; i++) {
        if (cf->fds[i].path && cf->fds[i].fd >= 0) close(cf->fds[i].fd);
        cf->fds[i] = (FdSlot){ .fd = -1 };
    }
}

void core_close(CoreFile *cf)
{
    if (!cf) return;
    drop_fds(cf);
    if (cf->fd >= 0) close(cf->fd);
    free(cf->bytes);
    vec_free(&cf->segs);
    vec_free(&cf->threads);
    vec_free(&cf->maps);
    free(cf->names);
    vec_free(&cf->auxv);
    vec_free(&cf->warn);
    for (size_t i = 0; i < cf->subst.len; i++) {
        free(cf->subst.items[i].from);
        free(cf->subst.items[i].to);
    }
    vec_free(&cf->subst);
    free(cf);
}

/* Everything after the file is reachable through src_read. 0, or -1 with err. */
static int parse(CoreFile *cf, char *err, size_t cap)
{
    uint8_t eh[64];
    size_t got = src_read(cf, 0, eh, sizeof eh);
    if (got < 4 || memcmp(eh, ELFMAG, SELFMAG) != 0) {
        fail(err, cap, "not an ELF file (%s)", got < 4 ? "shorter than 4 bytes" : "no ELF magic");
        return -1;
    }
    if (got < sizeof eh) {
        fail(err, cap, "truncated core: the file is %" PRIu64 " bytes, shorter than its ELF header", cf->size);
        return -1;
    }
    if (eh[EI_CLASS] != ELFCLASS64 || eh[EI_DATA] != ELFDATA2LSB) {
        fail(err, cap, "not an x86-64 core dump (ELF class %u, data encoding %u)", eh[EI_CLASS], eh[EI_DATA]);
        return -1;
    }
    uint16_t type = rd16(eh + 16), machine = rd16(eh + 18);
    if (type != ET_CORE) {
        fail(err, cap, "not a core dump (ELF type %u%s)", type,
             type == ET_EXEC ? ": an executable" : type == ET_DYN ? ": a shared object or PIE executable" : "");
        return -1;
    }
    if (machine != EM_X86_64) {
        fail(err, cap, "not an x86-64 core dump (ELF machine %u)", machine);
        return -1;
    }
    uint64_t phoff = rd64(eh + 32), shoff = rd64(eh + 40);
    uint16_t phentsize = rd16(eh + 54);
    uint64_t phnum = rd16(eh + 56);
    if (phnum == PN_XNUM) {
        /* More than 65534 segments: the count is section header 0's sh_info. */
        uint8_t sh[64];
        if (src_read(cf, shoff, sh, sizeof sh) != sizeof sh) {
            fail(err, cap, "truncated core: its segment count (PN_XNUM) lies past the end of the file");
            return -1;
        }
        phnum = rd32(sh + 44);
    }
    if (phentsize < sizeof(Elf64_Phdr) || phentsize > 4096) {
        fail(err, cap, "corrupt core: program header size %u (not %zu)", phentsize, sizeof(Elf64_Phdr));
        return -1;
    }
    if (phnum == 0) {
        fail(err, cap, "corrupt core: no program headers");
        return -1;
    }
    if (phoff >= cf->size) {
        fail(err, cap, "truncated core: the program headers (at %" PRIu64 ") lie past the end of the file (%" PRIu64 " bytes)",
             phoff, cf->size);
        return -1;
    }
    uint64_t fit = (cf->size - phoff) / phentsize;
    if (fit < phnum) {
        warnf(cf, "truncated: %" PRIu64 " of %" PRIu64 " program headers lie past the end of the file", phnum - fit, phnum);
        phnum = fit;
    }
    /* At most MAX_SEGMENTS headers of at most 64 MB in all (a wide e_phentsize with many
     * headers is corruption, not a core). */
    uint64_t most = MAX_SEGMENTS < (64u << 20) / phentsize ? MAX_SEGMENTS : (64u << 20) / phentsize;
    if (phnum > most) {
        warnf(cf, "corrupt: %" PRIu64 " program headers; only the first %" PRIu64 " were read", phnum, most);
        phnum = most;
    }
    if (phnum == 0) {
        fail(err, cap, "truncated core: its program headers are cut off");
        return -1;
    }
    uint8_t *ph = malloc((size_t)(phnum * phentsize));
    if (!ph) { fail(err, cap, "out of memory"); return -1; }
    src_read(cf, phoff, ph, (size_t)(phnum * phentsize));

    uint64_t nload = 0, cut = 0, lost = 0, badseg = 0, notes_total = 0, notes_cut = 0, fp_orphans = 0, notes_bytes = 0;
    for (uint64_t i = 0; i < phnum; i++) {
        const uint8_t *p = ph + i * phentsize;
        uint32_t pt = rd32(p);
        uint64_t off = rd64(p + 8), va = rd64(p + 16), fsz = rd64(p + 32), msz = rd64(p + 40);
        if (pt == PT_LOAD) {
            nload++;
            if (msz == 0) continue;
            if (va + msz < va || fsz > msz) { badseg++; continue; }
            if (fsz && (off >= cf->size || fsz > cf->size - off)) {
                uint64_t have = off >= cf->size ? 0 : cf->size - off;
                if (have == 0) lost++;
                else cut++;
                fsz = have;
            }
            if (vec_reserve(&cf->segs, cf->segs.len + 1) != 0) { free(ph); fail(err, cap, "out of memory"); return -1; }
            cf->segs.items[cf->segs.len++] = (Seg){ .vaddr = va, .memsz = msz, .offset = off, .filesz = fsz };
        } else if (pt == PT_NOTE) {
            if (fsz == 0) continue;
            notes_total++;
            if (off >= cf->size) { notes_cut++; continue; }
            uint64_t n = fsz;
            if (n > cf->size - off) {
                warnf(cf, "truncated: a note segment of %" PRIu64 " bytes has only %" PRIu64 " in the file", n, cf->size - off);
                n = cf->size - off;
            }
            if (n > MAX_NOTES_BYTES - notes_bytes) {
                warnf(cf, "corrupt: a note segment of %" PRIu64 " bytes is too large: ignored", n);
                continue;
            }
            notes_bytes += n;
            uint8_t *d = malloc((size_t)n);
            if (!d) continue;
            n = src_read(cf, off, d, (size_t)n);
            parse_notes(cf, d, n, &fp_orphans);
            free(d);
        }
    }
    free(ph);
    if (cut || lost)
        warnf(cf, "truncated: %" PRIu64 " of %" PRIu64 " memory segments lie past the end of the file%s%s",
              cut + lost, nload, cut ? " (partly)" : "",
              "; their memory reads from mapped files or is unreadable");
    if (badseg) warnf(cf, "corrupt: %" PRIu64 " memory segments with a bad size were dropped", badseg);
    if (notes_cut) warnf(cf, "truncated: %" PRIu64 " of %" PRIu64 " note segments lie past the end of the file", notes_cut, notes_total);
    if (fp_orphans) warnf(cf, "corrupt: %" PRIu64 " NT_FPREGSET notes without their thread were ignored", fp_orphans);

    if (cf->segs.len) qsort(cf->segs.items, cf->segs.len, sizeof *cf->segs.items, seg_cmp);
    size_t k = 0, overl = 0;
    for (size_t i = 0; i < cf->segs.len; i++) {
        Seg s = cf->segs.items[i];
        if (k) {
            const Seg *prev = &cf->segs.items[k - 1];
            uint64_t pend = prev->vaddr + prev->memsz;
            if (s.vaddr < pend) {
                /* Overlap (only in a corrupt core): the earlier segment keeps the bytes. */
                overl++;
                uint64_t send = s.vaddr + s.memsz;
                if (send <= pend) continue;
                uint64_t skip = pend - s.vaddr;
                s.vaddr = pend;
                s.memsz -= skip;
                if (s.filesz > skip) { s.filesz -= skip; s.offset += skip; }
                else s.filesz = 0;
            }
        }
        cf->segs.items[k++] = s;
    }
    cf->segs.len = k;
    if (overl) warnf(cf, "corrupt: %zu memory segments overlap others; the first one's bytes are used", overl);

    if (!nload && !notes_total) {
        fail(err, cap, "corrupt core: neither memory segments nor notes");
        return -1;
    }
    uint64_t saved = 0;
    for (size_t i = 0; i < cf->segs.len; i++) saved += cf->segs.items[i].filesz;
    if (!cf->threads.len && !saved) {
        fail(err, cap, "truncated core: no thread and no saved memory left (the file is %" PRIu64 " bytes)", cf->size);
        return -1;
    }
    if (!cf->threads.len) warnf(cf, "%s: no thread (no NT_PRSTATUS note); registers are unknown",
                                notes_total ? "corrupt" : "truncated");
    if (!cf->psinfo) cf->pid = cf->threads.len ? cf->threads.items[0].tid : 0;
    if (!cf->sig.valid && cf->threads.len) cf->sig.signo = cf->threads.items[0].signo;
    return 0;
}

static CoreFile *cf_new(void)
{
    CoreFile *cf = calloc(1, sizeof *cf);
    if (!cf) return NULL;
    cf->fd = -1;
    for (int i = 0; i < FD_CACHE; i++) cf->fds[i].fd = -1;
    return cf;
}

CoreFile *core_open(const char *path, char *err, size_t cap)
{
    CoreFile *cf = cf_new();
    if (!cf) { fail(err, cap, "out of memory"); return NULL; }
    cf->fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);   /* a FIFO must not block us */
    struct stat st;
    if (cf->fd < 0 || fstat(cf->fd, &st) != 0) {
        fail(err, cap, "cannot open %s: %s", path, strerror(errno));
        core_close(cf);
        return NULL;
    }
    if (!S_ISREG(st.st_mode)) {
        fail(err, cap, "%s is not a regular file", path);
        core_close(cf);
        return NULL;
    }
    cf->size = (uint64_t)st.st_size;
    if (parse(cf, err, cap) != 0) { core_close(cf); return NULL; }
    return cf;
}

CoreFile *core_open_mem(const void *data, size_t len, char *err, size_t cap)
{
    CoreFile *cf = cf_new();
    if (!cf || !(cf->bytes = malloc(len ? len : 1))) {
        fail(err, cap, "out of memory");
        core_close(cf);
        return NULL;
    }
    if (len) memcpy(cf->bytes, data, len);
    cf->size = len;
    if (parse(cf, err, cap) != 0) { core_close(cf); return NULL; }
    return cf;
}

/* ---------------------------------------------------------------- accessors */

const char *core_warnings(const CoreFile *cf) { return cf->warn.len ? cf->warn.items : ""; }
int core_pid(const CoreFile *cf) { return cf->pid; }
const char *core_comm(const CoreFile *cf) { return cf->comm; }
const char *core_args(const CoreFile *cf) { return cf->args; }
CoreSigInfo core_siginfo(const CoreFile *cf) { return cf->sig; }
size_t core_nthreads(const CoreFile *cf) { return cf->threads.len; }
const CoreThread *core_thread(const CoreFile *cf, size_t i) { return i < cf->threads.len ? &cf->threads.items[i] : NULL; }

const CoreThread *core_thread_by_tid(const CoreFile *cf, int tid)
{
    for (size_t i = 0; i < cf->threads.len; i++)
        if (cf->threads.items[i].tid == tid) return &cf->threads.items[i];
    return NULL;
}

size_t core_nmappings(const CoreFile *cf) { return cf->maps.len; }
const CoreMapping *core_mapping(const CoreFile *cf, size_t i) { return i < cf->maps.len ? &cf->maps.items[i] : NULL; }

const CoreMapping *core_mapping_at(const CoreFile *cf, uint64_t addr)
{
    size_t lo = 0, hi = cf->maps.len;
    while (lo < hi) {               /* the first mapping starting after addr */
        size_t mid = lo + (hi - lo) / 2;
        if (cf->maps.items[mid].start <= addr) lo = mid + 1;
        else hi = mid;
    }
    if (!lo) return NULL;
    const CoreMapping *m = &cf->maps.items[lo - 1];
    return addr < m->end ? m : NULL;
}

int core_auxv(const CoreFile *cf, uint64_t type, uint64_t *val)
{
    for (size_t i = 0; i + 1 < cf->auxv.len; i += 2)
        if (cf->auxv.items[i] == type) {
            if (val) *val = cf->auxv.items[i + 1];
            return 1;
        }
    return 0;
}

int core_map_path(CoreFile *cf, const char *from, const char *to)
{
    Subst s = { strdup(from), strdup(to) };
    if (!s.from || !s.to || vec_push(&cf->subst, s) != 0) {
        free(s.from);
        free(s.to);
        return -ENOMEM;
    }
    drop_fds(cf);                   /* files may now come from elsewhere */
    return 0;
}

int core_local_path(const CoreFile *cf, const char *path, char *out, size_t cap)
{
    if (!cap) return 0;
    const char *to = NULL, *rest = path;
    for (size_t i = cf->subst.len; i-- > 0;) {
        const Subst *s = &cf->subst.items[i];
        size_t n = strlen(s->from);
        /* A prefix of whole path components ("/a/b" covers "/a/b/c", not "/a/bc"). */
        if (n && strncmp(path, s->from, n) == 0 &&
            (path[n] == '\0' || path[n] == '/' || s->from[n - 1] == '/')) {
            to = s->to;
            rest = path + n;
            break;
        }
    }
    int w = to ? snprintf(out, cap, "%s%s", to, rest) : snprintf(out, cap, "%s", path);
    if (w < 0 || (size_t)w >= cap) return 0;
    return access(out, R_OK) == 0;
}

/* ---------------------------------------------------------------- memory */

/* The segment holding addr, or the index of the first segment after it in *next. */
static const Seg *seg_at(const CoreFile *cf, uint64_t addr, uint64_t *next_start)
{
    size_t lo = 0, hi = cf->segs.len;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (cf->segs.items[mid].vaddr <= addr) lo = mid + 1;
        else hi = mid;
    }
    *next_start = lo < cf->segs.len ? cf->segs.items[lo].vaddr : UINT64_MAX;
    if (!lo) return NULL;
    const Seg *s = &cf->segs.items[lo - 1];
    return addr - s->vaddr < s->memsz ? s : NULL;
}

int core_saved(const CoreFile *cf, uint64_t addr)
{
    uint64_t next;
    const Seg *s = seg_at(cf, addr, &next);
    return s && addr - s->vaddr < s->filesz;
}

/* An fd for a mapping's file (cached), or -1. */
static int mapping_fd(CoreFile *cf, const CoreMapping *m)
{
    FdSlot *lru = &cf->fds[0];
    cf->tick++;
    for (int i = 0; i < FD_CACHE; i++) {
        FdSlot *s = &cf->fds[i];
        if (s->path && (s->path == m->path || strcmp(s->path, m->path) == 0)) { s->used = cf->tick; return s->fd; }
        if (!s->path) { lru = s; break; }
        if (s->used < lru->used) lru = s;
    }
    if (lru->path && lru->fd >= 0) close(lru->fd);
    char local[MAX_NAME];
    int fd = -1;
    if (core_local_path(cf, m->path, local, sizeof local)) {
        fd = open(local, O_RDONLY | O_CLOEXEC | O_NONBLOCK);   /* only regular files are read */
        struct stat st;
        if (fd >= 0 && (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))) { close(fd); fd = -1; }
    }
    *lru = (FdSlot){ .path = m->path, .fd = fd, .used = cf->tick };
    return fd;
}

size_t core_read(CoreFile *cf, uint64_t addr, void *buf, size_t len)
{
    uint8_t *out = buf;
    size_t done = 0;
    while (done < len) {
        uint64_t a = addr + done;
        if (a < addr) break;                        /* wrapped past the top */
        size_t want = len - done;
        uint64_t next;
        const Seg *s = seg_at(cf, a, &next);
        uint64_t limit;                             /* where the kind of bytes changes */
        if (s) {
            uint64_t rel = a - s->vaddr;
            if (rel < s->filesz) {
                uint64_t n = s->filesz - rel;
                if (n < want) want = (size_t)n;
                size_t got = src_read(cf, s->offset + rel, out + done, want);
                done += got;
                if (got < want) break;
                continue;
            }
            limit = s->memsz - rel;                 /* the unsaved rest of the segment */
        } else {
            limit = next - a;                       /* up to the next segment */
        }
        const CoreMapping *m = core_mapping_at(cf, a);
        if (!m) break;
        if (m->end - a < limit) limit = m->end - a;
        if (limit < want) want = (size_t)limit;
        int fd = mapping_fd(cf, m);
        if (fd < 0) break;
        uint64_t foff = m->offset + (a - m->start);
        if (foff < m->offset || foff > (uint64_t)INT64_MAX - want) break;
        size_t got = 0;
        while (got < want) {
            ssize_t r = pread(fd, out + done + got, want - got, (off_t)(foff + got));
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            got += (size_t)r;
        }
        done += got;
        if (got < want) break;
    }
    return done;
}

/* ---------------------------------------------------------------- writing */


/* Written like the kernel's (fs/binfmt_elf.c), so that gdb and the runtime's tools read it as
 * they read the kernel's: ELF header, program headers (PT_NOTE first, then one PT_LOAD per
 * readable mapping, in address order), the notes (the first thread's NT_PRSTATUS, then
 * NT_PRPSINFO, NT_SIGINFO (when it has a signal), NT_AUXV, NT_FILE, its NT_FPREGSET; then
 * NT_PRSTATUS and NT_FPREGSET of each other thread), then the memory, page-aligned. A mapping
 * read only in part (a file mapping past its file's end) keeps its readable prefix: filesz <
 * memsz; one not readable at all is left out. */

_Static_assert(sizeof(struct elf_prstatus) == PRSTATUS_SIZE, "elf_prstatus layout");
_Static_assert(offsetof(struct elf_prstatus, pr_reg) == PRSTATUS_REG, "pr_reg offset");
_Static_assert(offsetof(struct elf_prstatus, pr_pid) == PRSTATUS_PID, "pr_pid offset");
_Static_assert(offsetof(struct elf_prstatus, pr_cursig) == PRSTATUS_CURSIG, "pr_cursig offset");
_Static_assert(offsetof(struct elf_prstatus, pr_fpvalid) == PRSTATUS_FPVALID, "pr_fpvalid offset");
_Static_assert(sizeof(struct elf_prpsinfo) == PRPSINFO_SIZE, "elf_prpsinfo layout");
_Static_assert(offsetof(struct elf_prpsinfo, pr_fname) == PRPSINFO_FNAME, "pr_fname offset");
_Static_assert(offsetof(struct elf_prpsinfo, pr_psargs) == PRPSINFO_PSARGS, "pr_psargs offset");
_Static_assert(sizeof(struct user_fpregs_struct) == FPREGS_SIZE, "user_fpregs_struct layout");

typedef struct WMap {
    uint64_t start, end, offset;
    int      prot;              /* PF_R | PF_W | PF_X */
    int      keep;              /* a PT_LOAD for it */
    uint64_t filesz, fileoff;   /* what was written */
    char    *path;              /* file mappings only */
} WMap;

typedef VEC(uint8_t) Bytes;

static int bytes_put(Bytes *b, const void *p, size_t n)
{
    if (vec_reserve(b, b->len + n) != 0) return -1;
    if (n) memcpy(b->items + b->len, p, n);
    b->len += n;
    return 0;
}

static int note_put(Bytes *b, uint32_t type, const void *desc, size_t n)
{
    uint32_t h[3] = { 5, (uint32_t)n, type };
    static const uint8_t zero[8];
    if (bytes_put(b, h, sizeof h) || bytes_put(b, "CORE\0\0\0", 8) || bytes_put(b, desc, n) ||
        bytes_put(b, zero, (4 - n % 4) % 4))
        return -1;
    return 0;
}

/* A whole /proc file (small ones: stat, cmdline, auxv, maps). malloc'ed, NUL-terminated. */
static char *proc_file(int pid, const char *name, size_t *len)
{
    char p[64];
    snprintf(p, sizeof p, "/proc/%d/%s", pid, name);
    int fd = open(p, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap + 1);
    while (b) {
        if (n == cap) {
            char *nb = cap < (64u << 20) ? realloc(b, cap * 2 + 1) : NULL;
            if (!nb) { free(b); b = NULL; break; }
            b = nb;
            cap *= 2;
        }
        ssize_t r = read(fd, b + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) { free(b); b = NULL; break; }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    if (b) b[n] = '\0';
    if (len) *len = n;
    return b;
}

static void wmaps_free(WMap *m, size_t n)
{
    for (size_t i = 0; i < n; i++) free(m[i].path);
    free(m);
}

static int parse_maps(int pid, WMap **out, size_t *nout)
{
    char *text = proc_file(pid, "maps", NULL);
    if (!text) return -1;
    VEC(WMap) v = {0};
    for (char *line = text, *nl; line && *line; line = nl ? nl + 1 : NULL) {
        nl = strchr(line, '\n');
        if (nl) *nl = '\0';
        unsigned long long st, en, off;
        char perms[8] = "";
        int used = 0;
        if (sscanf(line, "%llx-%llx %7s %llx %*s %*s%n", &st, &en, perms, &off, &used) < 4 || en <= st) continue;
        const char *name = line + used;
        while (*name == ' ') name++;
        WMap m = { .start = st, .end = en, .offset = off };
        m.prot = (perms[0] == 'r' ? PF_R : 0) | (perms[1] == 'w' ? PF_W : 0) | (perms[2] == 'x' ? PF_X : 0);
        /* [vvar] and [vsyscall] are read by no one (the kernel leaves them out too);
         * unreadable mappings (guard pages) have nothing to save. They stay in NT_FILE. */
        m.keep = (m.prot & PF_R) && strcmp(name, "[vvar]") != 0 && strcmp(name, "[vvar_vclock]") != 0 &&
                 strcmp(name, "[vsyscall]") != 0 &&
                 /* device memory (the kernel's VM_IO): reading it may have effects */
                 (strncmp(name, "/dev/", 5) != 0 || strncmp(name, "/dev/shm/", 9) == 0 ||
                  strcmp(name, "/dev/zero") == 0);
        if (name[0] == '/' && !(m.path = strdup(name))) break;
        if (vec_push(&v, m) != 0) { free(m.path); break; }
    }
    free(text);
    *out = v.items;
    *nout = v.len;
    return 0;
}

static void put_regs(uint8_t *g, const NtRegs *o)
{
    uint64_t r[NREGS];
    r[R_R15] = o->r15; r[R_R14] = o->r14; r[R_R13] = o->r13; r[R_R12] = o->r12;
    r[R_RBP] = o->rbp; r[R_RBX] = o->rbx; r[R_R11] = o->r11; r[R_R10] = o->r10;
    r[R_R9] = o->r9; r[R_R8] = o->r8; r[R_RAX] = o->rax; r[R_RCX] = o->rcx;
    r[R_RDX] = o->rdx; r[R_RSI] = o->rsi; r[R_RDI] = o->rdi; r[R_ORIG_RAX] = o->orig_rax;
    r[R_RIP] = o->rip; r[R_CS] = o->cs; r[R_EFLAGS] = o->eflags; r[R_RSP] = o->rsp;
    r[R_SS] = o->ss; r[R_FS_BASE] = o->fs_base; r[R_GS_BASE] = o->gs_base; r[R_DS] = o->ds;
    r[R_ES] = o->es; r[R_FS] = o->fs; r[R_GS] = o->gs;
    memcpy(g, r, sizeof r);
}

/* The fields of /proc/PID/stat after "(comm)": state ppid pgrp session ... */
typedef struct ProcStat { char state; int ppid, pgrp, sid, nice; unsigned long flags; char comm[17]; } ProcStat;

static ProcStat proc_stat(int pid)
{
    ProcStat ps = { .state = 'R' };
    char *s = proc_file(pid, "stat", NULL);
    if (!s) return ps;
    char *open_ = strchr(s, '('), *close_ = strrchr(s, ')');
    if (open_ && close_ && close_ > open_) {
        size_t n = (size_t)(close_ - open_ - 1);
        if (n > 16) n = 16;
        memcpy(ps.comm, open_ + 1, n);
        ps.comm[n] = '\0';
        long nice = 0;
        unsigned long flags = 0;
        /* state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt utime
         * stime cutime cstime priority nice */
        if (sscanf(close_ + 1, " %c %d %d %d %*d %*d %lu %*u %*u %*u %*u %*u %*u %*d %*d %*d %ld",
                   &ps.state, &ps.ppid, &ps.pgrp, &ps.sid, &flags, &nice) >= 4) {
            ps.flags = flags;
            ps.nice = (int)nice;
        }
    }
    free(s);
    return ps;
}

static int prstatus_note(Bytes *b, const CoreThread *t, const ProcStat *ps, int pid)
{
    uint8_t d[PRSTATUS_SIZE] = {0};
    int32_t signo = t->signo;
    int16_t cursig = (int16_t)t->signo;
    int32_t ids[4] = { t->tid, ps->ppid, ps->pgrp, ps->sid };
    (void)pid;
    memcpy(d, &signo, 4);                       /* pr_info.si_signo */
    memcpy(d + PRSTATUS_CURSIG, &cursig, 2);
    memcpy(d + PRSTATUS_PID, ids, sizeof ids);
    put_regs(d + PRSTATUS_REG, &t->regs);
    int32_t fpvalid = t->has_fpregs;
    memcpy(d + PRSTATUS_FPVALID, &fpvalid, 4);
    return note_put(b, NT_PRSTATUS, d, sizeof d);
}

static int fpregs_note(Bytes *b, const CoreThread *t)
{
    if (!t->has_fpregs) return 0;
    uint8_t f[FPREGS_SIZE] = {0};
    const NtRegs *o = &t->regs;
    memcpy(f, &o->fcw, 2); memcpy(f + 2, &o->fsw, 2); memcpy(f + 4, &o->ftw, 2); memcpy(f + 6, &o->fop, 2);
    memcpy(f + 24, &o->mxcsr, 4);
    uint32_t mask = 0xffff;                     /* mxcsr_mask: every bit the CPU knows */
    memcpy(f + 28, &mask, 4);
    memcpy(f + 32, o->st, sizeof o->st);
    memcpy(f + 160, o->xmm, sizeof o->xmm);
    return note_put(b, NT_FPREGSET, f, sizeof f);
}

static int prpsinfo_note(Bytes *b, int pid, const ProcStat *ps)
{
    uint8_t d[PRPSINFO_SIZE] = {0};
    static const char states[] = "RSDTZW";
    const char *w = strchr(states, ps->state);
    d[0] = (uint8_t)(w && ps->state ? w - states : 0);      /* pr_state */
    d[1] = (uint8_t)(ps->state ? ps->state : '.');           /* pr_sname */
    d[2] = ps->state == 'Z';
    d[3] = (uint8_t)(int8_t)ps->nice;
    uint64_t flags = ps->flags;
    memcpy(d + 8, &flags, 8);
    uint32_t ugid[2] = { (uint32_t)getuid(), (uint32_t)getgid() };
    char *status = proc_file(pid, "status", NULL);
    if (status) {
        char *u = strstr(status, "\nUid:"), *g = strstr(status, "\nGid:");
        unsigned x;
        if (u && sscanf(u + 5, "%u", &x) == 1) ugid[0] = x;
        if (g && sscanf(g + 5, "%u", &x) == 1) ugid[1] = x;
        free(status);
    }
    memcpy(d + 16, ugid, 8);
    int32_t ids[4] = { pid, ps->ppid, ps->pgrp, ps->sid };
    memcpy(d + PRPSINFO_PID, ids, sizeof ids);
    memcpy(d + PRPSINFO_FNAME, ps->comm, strnlen(ps->comm, 16));
    size_t n = 0;
    char *cmd = proc_file(pid, "cmdline", &n);
    if (cmd) {
        if (n > 80) n = 80;
        for (size_t i = 0; i < n; i++) d[PRPSINFO_PSARGS + i] = cmd[i] ? (uint8_t)cmd[i] : ' ';
        /* The kernel keeps the last byte a NUL (its psargs is a C string). */
        if (n == 80) d[PRPSINFO_PSARGS + 79] = 0;
        else if (n && d[PRPSINFO_PSARGS + n - 1] == ' ') d[PRPSINFO_PSARGS + n - 1] = 0;
        free(cmd);
    }
    return note_put(b, NT_PRPSINFO, d, sizeof d);
}

static int file_note(Bytes *b, const WMap *m, size_t n)
{
    uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE), count = 0;
    for (size_t i = 0; i < n; i++) count += m[i].path != NULL;
    Bytes d = {0};
    int rc = bytes_put(&d, &count, 8) | bytes_put(&d, &page, 8);
    for (size_t i = 0; i < n; i++) {
        if (!m[i].path) continue;
        uint64_t t[3] = { m[i].start, m[i].end, m[i].offset / page };
        rc |= bytes_put(&d, t, sizeof t);
    }
    for (size_t i = 0; i < n; i++)
        if (m[i].path) rc |= bytes_put(&d, m[i].path, strlen(m[i].path) + 1);
    if (!rc) rc = note_put(b, NT_FILE, d.items, d.len);
    vec_free(&d);
    return rc;
}

static int write_all(int fd, const void *p, size_t n, uint64_t off)
{
    const uint8_t *c = p;
    while (n) {
        ssize_t w = pwrite(fd, c, n, (off_t)off);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        c += w;
        n -= (size_t)w;
        off += (uint64_t)w;
    }
    return 0;
}

/* Copies a mapping's memory to the file at off; how many bytes were readable from its
 * start (the rest of the mapping is not saved). -1 on a write error. */
static int64_t copy_mapping(int fd, uint64_t off, const WMap *m, CoreReadFn read, void *ctx, uint8_t *buf,
                            size_t bufsz, uint64_t page)
{
    uint64_t done = 0, size = m->end - m->start;
    while (done < size) {
        size_t n = size - done < bufsz ? (size_t)(size - done) : bufsz;
        if (read(ctx, m->start + done, buf, n) != 0) {
            /* Part of the chunk is unreadable: page by page up to the first that fails. */
            size_t k = 0;
            while (k < n && read(ctx, m->start + done + k, buf + k, (size_t)page) == 0) k += (size_t)page;
            if (k && write_all(fd, buf, k, off + done) != 0) return -1;
            return (int64_t)(done + k);
        }
        /* Pages of zeros stay holes in the file (anonymous memory is mostly untouched). */
        size_t p = 0;
        while (p < n) {
            size_t q = p;
            int zero = 1;
            for (size_t i = p; i < n && i < p + page; i += 8) {
                uint64_t w;
                memcpy(&w, buf + i, 8);
                if (w) { zero = 0; break; }
            }
            q = p + page < n ? p + page : n;
            if (!zero && write_all(fd, buf + p, q - p, off + done + p) != 0) return -1;
            p = q;
        }
        done += n;
    }
    return (int64_t)done;
}

void core_elf_header(void *out)
{
    Elf64_Ehdr eh;
    memset(&eh, 0, sizeof eh);
    memcpy(eh.e_ident, ELFMAG, SELFMAG);
    eh.e_ident[EI_CLASS] = ELFCLASS64;
    eh.e_ident[EI_DATA] = ELFDATA2LSB;
    eh.e_ident[EI_VERSION] = EV_CURRENT;
    eh.e_ident[EI_OSABI] = ELFOSABI_NONE;
    eh.e_type = ET_CORE;
    eh.e_machine = EM_X86_64;
    eh.e_version = EV_CURRENT;
    eh.e_ehsize = sizeof eh;
    memcpy(out, &eh, sizeof eh);
}

int core_write(const char *path, int pid, const CoreThread *threads, size_t nthreads,
               CoreReadFn read, void *ctx, char *err, size_t cap)
{
    WMap *maps = NULL;
    size_t nmaps = 0;
    if (!nthreads || !threads) { fail(err, cap, "no thread to write"); return -1; }
    if (parse_maps(pid, &maps, &nmaps) != 0) {
        fail(err, cap, "cannot read /proc/%d/maps: %s", pid, strerror(errno));
        return -1;
    }
    const uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
    ProcStat ps = proc_stat(pid);
    Bytes notes = {0};
    int rc = prstatus_note(&notes, &threads[0], &ps, pid) | prpsinfo_note(&notes, pid, &ps);
    if (threads[0].signo) {
        uint8_t si[SIGINFO_SIZE] = {0};
        int32_t signo = threads[0].signo;
        memcpy(si, &signo, 4);
        rc |= note_put(&notes, NT_SIGINFO, si, sizeof si);
    }
    size_t auxn = 0;
    char *auxv = proc_file(pid, "auxv", &auxn);
    if (auxv) rc |= note_put(&notes, NT_AUXV, auxv, auxn);
    free(auxv);
    rc |= file_note(&notes, maps, nmaps);
    rc |= fpregs_note(&notes, &threads[0]);
    for (size_t i = 1; i < nthreads; i++) rc |= prstatus_note(&notes, &threads[i], &ps, pid) | fpregs_note(&notes, &threads[i]);
    if (rc) {
        fail(err, cap, "out of memory");
        vec_free(&notes);
        wmaps_free(maps, nmaps);
        return -1;
    }

    size_t nload = 0;
    for (size_t i = 0; i < nmaps; i++) nload += maps[i].keep;
    uint64_t nph = nload + 1;
    uint64_t hdr = sizeof(Elf64_Ehdr) + nph * sizeof(Elf64_Phdr);
    int xnum = nph >= PN_XNUM;
    uint64_t note_off = hdr + (xnum ? sizeof(Elf64_Shdr) : 0);
    uint64_t data = (note_off + notes.len + page - 1) & ~(page - 1);

    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) {
        fail(err, cap, "cannot create %s: %s", path, strerror(errno));
        vec_free(&notes);
        wmaps_free(maps, nmaps);
        return -1;
    }
    size_t bufsz = 1u << 20;
    uint8_t *buf = malloc(bufsz);
    int werr = !buf;
    uint64_t off = data;
    for (size_t i = 0; i < nmaps && !werr; i++) {
        WMap *m = &maps[i];
        if (!m->keep) continue;
        int64_t n = copy_mapping(fd, off, m, read, ctx, buf, bufsz, page);
        if (n < 0) { werr = 1; break; }
        m->fileoff = off;
        m->filesz = (uint64_t)n;
        if (n == 0) m->keep = 0;            /* nothing readable: left out */
        off += ((uint64_t)n + page - 1) & ~(page - 1);
    }
    free(buf);

    /* The headers, now that each segment's saved size is known. */
    Bytes h = {0};
    size_t kept = 0;
    for (size_t i = 0; i < nmaps; i++) kept += maps[i].keep;
    Elf64_Ehdr eh;
    core_elf_header(&eh);
    eh.e_phoff = sizeof eh;
    eh.e_phentsize = sizeof(Elf64_Phdr);
    eh.e_phnum = kept + 1 >= PN_XNUM ? PN_XNUM : (uint16_t)(kept + 1);
    if (xnum) {
        eh.e_shoff = hdr;
        eh.e_shentsize = sizeof(Elf64_Shdr);
        eh.e_shnum = 1;
    }
    werr |= bytes_put(&h, &eh, sizeof eh);
    Elf64_Phdr note = { .p_type = PT_NOTE, .p_offset = note_off, .p_filesz = notes.len };
    werr |= bytes_put(&h, &note, sizeof note);
    for (size_t i = 0; i < nmaps; i++) {
        const WMap *m = &maps[i];
        if (!m->keep) continue;
        Elf64_Phdr ph = { .p_type = PT_LOAD, .p_flags = (uint32_t)m->prot, .p_offset = m->fileoff,
                          .p_vaddr = m->start, .p_filesz = m->filesz, .p_memsz = m->end - m->start,
                          .p_align = page };
        werr |= bytes_put(&h, &ph, sizeof ph);
    }
    if (xnum) {
        Elf64_Shdr sh = { .sh_info = (uint32_t)(kept + 1) };
        /* The section header follows the program headers we reserved room for. */
        werr |= write_all(fd, &sh, sizeof sh, hdr);
    }
    if (!werr) werr = write_all(fd, h.items, h.len, 0) || write_all(fd, notes.items, notes.len, note_off);
    /* The file ends where the last segment ends, holes included. */
    if (!werr && ftruncate(fd, (off_t)(off > data ? off : data)) != 0) werr = 1;
    int saved_errno = errno;
    if (close(fd) != 0 && !werr) { werr = 1; saved_errno = errno; }
    vec_free(&h);
    vec_free(&notes);
    wmaps_free(maps, nmaps);
    if (werr) {
        fail(err, cap, "cannot write %s: %s", path, strerror(saved_errno));
        unlink(path);
        return -1;
    }
    return 0;
}
