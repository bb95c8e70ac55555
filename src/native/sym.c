/* Native symbols of one address space: modules, ELF symbols, DWARF lines and CFI unwinding
 * over elfutils libdwfl, with target memory read only through the caller's callback.
 *
 * How the pieces fit
 *   - One Dwfl per NsSpace, with the live-process callbacks (files opened by the path in
 *     /proc/PID/maps, separate debug files found by build-id or .gnu_debuglink under the
 *     standard debuginfo path).
 *   - ns_refresh re-reports the mappings (dwfl_report_begin / dwfl_report_module for each
 *     mapped ELF file / dwfl_report_end): libdwfl keeps the Dwfl_Module (and its loaded ELF
 *     and DWARF) of every module reported again with the same name and range, and drops the
 *     others. Our own table (NsMod) sits beside it, keyed by path + start, and gives each
 *     module a small id that stays the same for as long as that module stays mapped; it is
 *     rebuilt after each report because Dwfl_Module pointers of dropped modules die in
 *     dwfl_report_end.
 *   - The maps are parsed here rather than by dwfl_linux_proc_report, which takes every
 *     file mapping for a module: it would report CoreCLR's executable memfd double mappings
 *     (jitted code must be "no module"), mapped .NET assemblies and data files, and, when a
 *     process looks at itself (the unit tests), libelf's own private read-write mmaps of the
 *     files it opened, at addresses where nothing was loaded. A module here is a run of
 *     mappings of one regular ELF file that starts at file offset 0, not writable there
 *     (the loader maps the ELF header read-only), plus the vDSO.
 *   - Addresses: "runtime" addresses everywhere in the API; DWARF and line-table addresses
 *     are "file" addresses (runtime - bias of the module's DWARF). Helpers say which.
 *   - Unwinding: dwfl_attach_state may succeed only once per Dwfl, so the first ns_unwind
 *     attaches with our own thread callbacks (one thread; memory through NsReadMem; initial
 *     registers from NsSpace.unwind_regs, set only for the duration of an ns_unwind call).
 *     The architecture comes from a 64-byte in-memory x86-64 ELF header we own rather than
 *     from one of the modules, whose Elf may be closed by a later refresh.
 *   - Symbols: libdwfl takes a module's .symtab, else its .dynsym (a stripped library, the
 *     runtime's libSystem.Native.so: exported functions only), plus the .symtab of its
 *     MiniDebugInfo (.gnu_debugdata, xz-compressed; Debian's libdw is built with liblzma),
 *     and those of a separate debug file (libc6-dbg, -dbgsym packages) found by build-id
 *     (DIR/.build-id/xx/rest.debug) or .gnu_debuglink (the file's directory, its .debug/,
 *     DIR/<the file's directory>), DIR being each debug-file directory (/usr/lib/debug, or
 *     what `set debug-file-directory` says: ns_set_debug_file_directory). Changing those
 *     directories re-reads the symbols of every module at the next ns_refresh.
 *   - Nothing here uses ptrace; libdwfl itself reads /proc/PID/mem only to fetch the vDSO
 *     image.
 *   - Static spaces (ns_new_static: a core dump) report a given mapping list the same way and
 *     have their own find_elf: files by the path given, the vDSO's image read through the
 *     space's NsReadMem; nothing under /proc is looked at.
 */
#include "native/sym.h"
#include "native/core.h"
#include "native/sym_dwfl.h"

#include <dwarf.h>
#include <elf.h>
#include <elfutils/libdw.h>
#include <elfutils/libdwfl.h>
#include <errno.h>
#include <fcntl.h>
#include <gelf.h>
#include <libelf.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* DWARF register numbers of x86-64 that the unwinder is given (rip is 16, the return
 * address column), and the stack pointer's. */
#define NS_DWARF_NREGS 17
#define NS_DWARF_RSP   7

typedef struct NsMod {
    int          id;
    Dwfl_Module *mod;           /* valid until the next ns_refresh */
    uint64_t     start, end;
    char         path[1024];
    char         name[256];
    int          probed;        /* has_symtab, has_dwarf, bias, aranges known */
    int          has_symtab, has_dwarf;
    int          has_aranges;   /* .debug_aranges present: dwfl_module_addrdie can be trusted */
    uint64_t     bias;
} NsMod;

struct NsSpace {
    int            pid;
    NsReadMem      read;
    void          *ctx;
    Dwfl          *dwfl;
    Dwfl_Callbacks callbacks;   /* libdwfl keeps a pointer to it: lives as long as dwfl */
    char          *debuginfo_path;
    NsMod         *mods;        /* sorted by start */
    size_t         nmods;
    int            next_id;
    char          *maps;        /* /proc/PID/maps as last reported: refresh is a no-op if same */
    size_t         maps_len;
    int            attached;    /* dwfl_attach_state succeeded */
    unsigned char  arch_hdr[sizeof(Elf64_Ehdr)];
    Elf           *arch_elf;    /* over arch_hdr: tells libdwfl the unwinder's architecture */
    const NsRegs  *unwind_regs; /* the registers of the ns_unwind in progress, else NULL */
    unsigned       debug_gen;   /* the debug-file directories debuginfo_path was built from */
    /* A static space (a core dump, ns_new_static): the mappings to report instead of maps. */
    int            is_static;
    NsMapping     *smaps;       /* paths owned */
    size_t         nsmaps;
    uint64_t       vdso;        /* the vDSO's address, 0: none */
    int            sdirty;      /* the list changed since it was last reported */
    unsigned char *vdso_image;  /* the vDSO read from memory (libdwfl's Elf over it) */
    size_t         vdso_size;
};

/* The debug-file directories (process-wide, as gdb's setting is): NULL means libdwfl's
 * default (/usr/lib/debug). debug_gen counts changes, so that each space notices. */
static pthread_mutex_t debug_mu = PTHREAD_MUTEX_INITIALIZER;
static char           *debug_dirs;
static unsigned        debug_gen;

/* ---- small helpers ----------------------------------------------------------------------- */

static void copy_str(char *dst, size_t cap, const char *src)
{
    if (cap == 0) return;
    snprintf(dst, cap, "%s", src ? src : "");
}

/* A symbol's name without its version ("__libc_start_main@@GLIBC_2.34" in a .symtab):
 * the name users know and type. */
static void copy_sym(char *dst, size_t cap, const char *sym)
{
    size_t n = strcspn(sym, "@");
    if (cap == 0) return;
    snprintf(dst, cap, "%.*s", (int)(n < cap ? n : cap - 1), sym);
}

static int sym_is(const char *sym, const char *name)
{
    size_t n = strlen(name);
    return strncmp(sym, name, n) == 0 && (sym[n] == '\0' || sym[n] == '@');
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Whole-file read of a /proc file (whose size stat cannot tell). 0 or -errno. */
static int read_proc_file(const char *path, char **out, size_t *len)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    size_t cap = 16384, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        close(fd);
        return -ENOMEM;
    }
    for (;;) {
        if (n == cap) {
            char *bigger = cap < (64u << 20) ? realloc(buf, cap * 2 + 1) : NULL;
            if (!bigger) {
                free(buf);
                close(fd);
                return -ENOMEM;
            }
            buf = bigger;
            cap *= 2;
        }
        ssize_t r = read(fd, buf + n, cap - n);
        if (r < 0 && errno == EINTR) continue;
        if (r < 0) {
            int e = errno;
            free(buf);
            close(fd);
            return -e;
        }
        if (r == 0) break;
        n += (size_t)r;
    }
    close(fd);
    buf[n] = '\0';
    *out = buf;
    *len = n;
    return 0;
}

/* Whether path names a regular ELF file that we (and so libdwfl) can open. Not regular:
 * no read at all (a device or FIFO could block). Unreadable or gone ("(deleted)", another
 * mount namespace): not a module, as libdwfl could not load it either. */
static int is_elf_file(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) return 0;
    struct stat st;
    unsigned char magic[SELFMAG];
    int ok = fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
             pread(fd, magic, sizeof magic, 0) == (ssize_t)sizeof magic &&
             memcmp(magic, ELFMAG, SELFMAG) == 0;
    close(fd);
    return ok;
}

/* Lexical path clean-up so that "/a/./b//c" and "/a/b/c" compare equal: drops "." and
 * empty components and folds "x/.." (no symlinks are followed: DWARF paths are text). */
static void normalize_path(const char *in, char *out, size_t cap)
{
    if (cap == 0) return;
    size_t o = 0;
    int absolute = in[0] == '/';
    if (absolute && cap > 1) out[o++] = '/';
    const char *p = in;
    while (*p) {
        while (*p == '/') p++;
        const char *s = p;
        while (*p && *p != '/') p++;
        size_t len = (size_t)(p - s);
        if (len == 0 || (len == 1 && s[0] == '.')) continue;
        if (len == 2 && s[0] == '.' && s[1] == '.') {
            /* fold into the previous component unless there is none or it is ".." too */
            size_t k = o;
            while (k > (size_t)absolute && out[k - 1] != '/') k--;
            int prev_is_dotdot = o - k == 2 && out[k] == '.' && out[k + 1] == '.';
            if (o > (size_t)absolute && !prev_is_dotdot) {
                o = k > (size_t)absolute ? k - 1 : k;
                continue;
            }
        }
        if (o > (size_t)absolute && o + 1 < cap) out[o++] = '/';
        for (size_t i = 0; i < len && o + 1 < cap; i++) out[o++] = s[i];
    }
    out[o] = '\0';
}

/* The full path of a file named in a CU's line table: libdw joins the file's directory
 * entry, but with DWARF 5 that entry may itself be relative to the CU's comp dir. */
static void cu_file_path(Dwarf_Die *cu, const char *src, char *out, size_t cap)
{
    char joined[4096];
    if (!src) src = "";
    Dwarf_Attribute at;
    const char *dir = src[0] != '/' && cu ? dwarf_formstring(dwarf_attr(cu, DW_AT_comp_dir, &at))
                                           : NULL;
    if (dir && *dir) snprintf(joined, sizeof joined, "%s/%s", dir, src);
    else snprintf(joined, sizeof joined, "%s", src);
    normalize_path(joined, out, cap);
}

/* A DWARF file name against what the user typed (normalized): the full path, or trailing
 * path components ("nsfix.c", "fixtures/nsfix.c"). */
static int path_matches(Dwarf_Die *cu, const char *dwarf_path, const char *query_norm)
{
    if (!dwarf_path || !*query_norm) return 0;
    char p[4096];
    cu_file_path(cu, dwarf_path, p, sizeof p);
    if (query_norm[0] == '/') return strcmp(p, query_norm) == 0;
    size_t lp = strlen(p), lq = strlen(query_norm);
    if (lq > lp || strcmp(p + lp - lq, query_norm) != 0) return 0;
    return lq == lp || p[lp - lq - 1] == '/';
}

/* ---- the module table -------------------------------------------------------------------- */

static NsMod *mod_by_dwfl(NsSpace *sp, Dwfl_Module *m)
{
    for (size_t i = 0; m && i < sp->nmods; i++)
        if (sp->mods[i].mod == m) return &sp->mods[i];
    return NULL;
}

static NsMod *mod_at(NsSpace *sp, uint64_t addr)
{
    if (!sp->dwfl) return NULL;
    NsMod *m = mod_by_dwfl(sp, dwfl_addrmodule(sp->dwfl, addr));
    /* dwfl_addrmodule works at page granularity: hold it to the mapped range */
    return m && addr >= m->start && addr < m->end ? m : NULL;
}

static NsMod *mod_by_id(NsSpace *sp, int id)
{
    for (size_t i = 0; i < sp->nmods; i++)
        if (sp->mods[i].id == id) return &sp->mods[i];
    return NULL;
}

static int mod_selected(const NsMod *m, const char *module)
{
    return !module || strcmp(m->name, module) == 0 || strcmp(m->path, module) == 0;
}

/* Loads the module's ELF and DWARF (once) to say what it has. */
static void probe(NsMod *m)
{
    if (m->probed) return;
    m->probed = 1;
    GElf_Addr bias = 0;
    Elf *elf = dwfl_module_getelf(m->mod, &bias);
    m->bias = elf ? bias : 0;
    int nsyms = elf ? dwfl_module_getsymtab(m->mod) : -1;
    for (int i = 1; i < nsyms && !m->has_symtab; i++) {
        GElf_Sym sym;
        GElf_Addr addr;
        GElf_Word shndx;
        const char *name = dwfl_module_getsym_info(m->mod, i, &sym, &addr, &shndx, NULL, NULL);
        int type = GELF_ST_TYPE(sym.st_info);
        m->has_symtab = name && (type == STT_FUNC || type == STT_GNU_IFUNC) && shndx != SHN_UNDEF;
    }
    Dwarf_Addr dwbias = 0;
    Dwarf *dw = dwfl_module_getdwarf(m->mod, &dwbias);
    if (!dw) return;
    Dwarf_Aranges *ar = NULL;
    size_t nar = 0;
    m->has_aranges = dwarf_getaranges(dw, &ar, &nar) == 0 && nar > 0;
    Dwarf_Addr b = 0;
    for (Dwarf_Die *cu = NULL; !m->has_dwarf && (cu = dwfl_module_nextcu(m->mod, cu, &b));) {
        Dwarf_Lines *lines;
        size_t n;
        m->has_dwarf = dwarf_getsrclines(cu, &lines, &n) == 0 && n > 0;
    }
}

static void fill_info(NsMod *m, NsModuleInfo *out)
{
    probe(m);
    memset(out, 0, sizeof *out);
    out->id = m->id;
    out->start = m->start;
    out->end = m->end;
    out->bias = m->bias;
    out->has_symtab = m->has_symtab;
    out->has_dwarf = m->has_dwarf;
    copy_str(out->path, sizeof out->path, m->path);
    copy_str(out->name, sizeof out->name, m->name);
}

typedef struct CollectCtx {
    NsSpace *sp;
    NsMod   *mods;
    size_t   n, cap;
    int      nomem;
} CollectCtx;

static int collect_module(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr start,
                          void *arg)
{
    CollectCtx *c = arg;
    Dwarf_Addr lo = 0, hi = 0;
    dwfl_module_info(mod, NULL, &lo, &hi, NULL, NULL, NULL, NULL);
    if (!name) name = "";
    if (strncmp(name, "[vdso", 5) == 0) name = "[vdso]";   /* libdwfl's "[vdso: PID]" */
    const NsMod *old = NULL;
    for (size_t i = 0; i < c->sp->nmods && !old; i++)
        if (c->sp->mods[i].start == lo && strcmp(c->sp->mods[i].path, name) == 0)
            old = &c->sp->mods[i];
    if (c->n == c->cap) {
        size_t cap = c->cap ? c->cap * 2 : 32;
        NsMod *bigger = realloc(c->mods, cap * sizeof *bigger);
        if (!bigger) {
            c->nomem = 1;
            return DWARF_CB_ABORT;
        }
        c->mods = bigger;
        c->cap = cap;
    }
    NsMod *m = &c->mods[c->n++];
    if (old) {
        *m = *old;
    } else {
        memset(m, 0, sizeof *m);
        m->id = c->sp->next_id++;
        copy_str(m->path, sizeof m->path, name);
        copy_str(m->name, sizeof m->name, base_name(name));
    }
    m->mod = mod;
    m->start = lo;
    m->end = hi;
    return DWARF_CB_OK;
}

static int cmp_mod_start(const void *a, const void *b)
{
    const NsMod *x = a, *y = b;
    return x->start < y->start ? -1 : x->start > y->start;
}

/* ---- lifetime ------------------------------------------------------------------------------ */

int ns_set_debug_file_directory(const char *dirs)
{
    char *copy = dirs && *dirs ? strdup(dirs) : NULL;
    if (dirs && *dirs && !copy) return -ENOMEM;
    pthread_mutex_lock(&debug_mu);
    free(debug_dirs);
    debug_dirs = copy;
    debug_gen++;
    pthread_mutex_unlock(&debug_mu);
    return 0;
}

void ns_debug_file_directory(char *out, size_t cap)
{
    pthread_mutex_lock(&debug_mu);
    copy_str(out, cap, debug_dirs ? debug_dirs : "/usr/lib/debug");
    pthread_mutex_unlock(&debug_mu);
}

/* libdwfl's search path from the directories: "" (the file's own directory) and ".debug"
 * for .gnu_debuglink, then each directory (build-id, and debuglink under it); NULL (its
 * default, the same with /usr/lib/debug) when none was set. Returns the generation. */
static unsigned debuginfo_path_now(char **out)
{
    pthread_mutex_lock(&debug_mu);
    unsigned gen = debug_gen;
    char *path = NULL;
    if (debug_dirs && asprintf(&path, ":.debug:%s", debug_dirs) < 0) path = NULL;
    pthread_mutex_unlock(&debug_mu);
    *out = path;
    return gen;
}

unsigned ns_debug_generation(void)
{
    pthread_mutex_lock(&debug_mu);
    unsigned gen = debug_gen;
    pthread_mutex_unlock(&debug_mu);
    return gen;
}

int ns_stale(const NsSpace *sp)
{
    pthread_mutex_lock(&debug_mu);
    int stale = sp && sp->debug_gen != debug_gen;
    pthread_mutex_unlock(&debug_mu);
    return stale;
}

NsSpace *ns_new(int pid, NsReadMem read, void *ctx)
{
    elf_version(EV_CURRENT);
    NsSpace *sp = calloc(1, sizeof *sp);
    if (!sp) return NULL;
    sp->pid = pid;
    sp->read = read;
    sp->ctx = ctx;
    sp->next_id = 1;
    sp->callbacks.find_elf = dwfl_linux_proc_find_elf;
    sp->callbacks.find_debuginfo = dwfl_standard_find_debuginfo;
    sp->callbacks.debuginfo_path = &sp->debuginfo_path;   /* NULL: the default search path */
    sp->debug_gen = debuginfo_path_now(&sp->debuginfo_path);
    sp->dwfl = dwfl_begin(&sp->callbacks);
    if (!sp->dwfl) {
        free(sp->debuginfo_path);
        free(sp);
        return NULL;
    }
    return sp;
}

void ns_free(NsSpace *sp)
{
    if (!sp) return;
    if (sp->dwfl) dwfl_end(sp->dwfl);
    if (sp->arch_elf) elf_end(sp->arch_elf);
    free(sp->mods);
    free(sp->maps);
    free(sp->debuginfo_path);
    for (size_t i = 0; i < sp->nsmaps; i++) free((char *)sp->smaps[i].path);
    free(sp->smaps);
    free(sp->vdso_image);
    free(sp);
}

/* Whether the module (path, start) is in the table: it was an ELF file when first seen. */
static int known_module(const NsSpace *sp, const char *path, uint64_t start)
{
    for (size_t i = 0; i < sp->nmods; i++)
        if (sp->mods[i].start == start && strcmp(sp->mods[i].path, path) == 0) return 1;
    return 0;
}

/* One module being gathered from consecutive maps lines of one file. */
typedef struct MapRun {
    uint64_t low, high;
    unsigned dmajor, dminor;
    uint64_t ino;
    char     path[1024];
    int      open;
} MapRun;

static int report_run(NsSpace *sp, MapRun *run)
{
    if (!run->open) return 0;
    run->open = 0;
    if (!known_module(sp, run->path, run->low) && !is_elf_file(run->path)) return 0;
    return dwfl_report_module(sp->dwfl, run->path, run->low, run->high) ? 0 : -ENOMEM;
}

/* Reports the modules of a /proc/PID/maps text (see the top of the file for what counts). */
static int report_maps(NsSpace *sp, const char *maps)
{
    MapRun run = {0};
    int rc = 0;
    for (const char *line = maps; *line && rc == 0;) {
        const char *eol = strchr(line, '\n');
        size_t len = eol ? (size_t)(eol - line) : strlen(line);
        char buf[1400];
        if (len >= sizeof buf) len = sizeof buf - 1;   /* paths past 1 KiB: cut, fail to open */
        memcpy(buf, line, len);
        buf[len] = '\0';
        line = eol ? eol + 1 : line + strlen(line);
        unsigned long long start, end, offset, ino;
        unsigned dmajor, dminor;
        char perms[8];
        int path_at = -1;
        if (sscanf(buf, "%llx-%llx %7s %llx %x:%x %llu %n", &start, &end, perms, &offset, &dmajor,
                   &dminor, &ino, &path_at) < 7 || path_at < 0)
            continue;
        const char *path = buf + path_at;
        if (strcmp(path, "[vdso]") == 0) {
            rc = report_run(sp, &run);
            char name[48];
            snprintf(name, sizeof name, "[vdso: %d]", sp->pid);   /* what find_elf expects */
            if (rc == 0 && !dwfl_report_module(sp->dwfl, name, start, end)) rc = -ENOMEM;
            continue;
        }
        if (path[0] != '/' || ino == 0) continue;   /* anonymous memory (bss, heap) */
        if (run.open && ino == run.ino && dmajor == run.dmajor && dminor == run.dminor &&
            strcmp(path, run.path) == 0 && start >= run.high) {
            run.high = end;   /* the next segment of the same file */
            continue;
        }
        if (offset != 0 || strchr(perms, 'w')) continue;   /* not where a load begins */
        rc = report_run(sp, &run);
        run = (MapRun){.low = start, .high = end, .dmajor = dmajor, .dminor = dminor, .ino = ino,
                       .open = 1};
        copy_str(run.path, sizeof run.path, path);
    }
    if (rc == 0) rc = report_run(sp, &run);
    return rc;
}

static int refresh_static(NsSpace *sp);

/* The debug-file directories changed: drop every module (an empty report), so that
 * libdwfl looks for their symbols and debug files again as they are reported anew. The
 * table keeps the ids (by path and start) but forgets what was probed; its Dwfl_Module
 * pointers are dead until the next report replaces them. */
static void forget_symbols(NsSpace *sp)
{
        char *dpath = NULL;
        unsigned gen = debuginfo_path_now(&dpath);
        free(sp->debuginfo_path);
        sp->debuginfo_path = dpath;
        sp->debug_gen = gen;
        dwfl_report_begin(sp->dwfl);
        dwfl_report_end(sp->dwfl, NULL, NULL);
        for (size_t i = 0; i < sp->nmods; i++) {
            sp->mods[i].mod = NULL;
            sp->mods[i].probed = sp->mods[i].has_symtab = sp->mods[i].has_dwarf = 0;
            sp->mods[i].has_aranges = 0;
            sp->mods[i].bias = 0;
        }
}

int ns_refresh(NsSpace *sp)
{
    if (sp && sp->is_static) return refresh_static(sp);
    if (!sp || sp->pid <= 0) return -EINVAL;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", sp->pid);
    char *maps = NULL;
    size_t len = 0;
    int rc = read_proc_file(path, &maps, &len);
    if (rc != 0) return rc;
    if (ns_stale(sp)) {
        forget_symbols(sp);
        free(sp->maps);
        sp->maps = NULL;
        sp->maps_len = 0;
    }
    if (sp->maps && len == sp->maps_len && memcmp(maps, sp->maps, len) == 0) {
        free(maps);
        return 0;
    }
    dwfl_report_begin(sp->dwfl);
    int r = report_maps(sp, maps);
    /* report_end even on failure: the Dwfl is unusable until it has been called */
    int e = dwfl_report_end(sp->dwfl, NULL, NULL);
    CollectCtx c = {.sp = sp};
    dwfl_getmodules(sp->dwfl, collect_module, &c, 0);
    if (c.nomem) {
        free(c.mods);
        free(maps);
        /* keep nothing that points at modules libdwfl may just have dropped */
        free(sp->mods);
        sp->mods = NULL;
        sp->nmods = 0;
        free(sp->maps);
        sp->maps = NULL;
        return -ENOMEM;
    }
    if (c.n > 1) qsort(c.mods, c.n, sizeof *c.mods, cmp_mod_start);
    free(sp->mods);
    sp->mods = c.mods;
    sp->nmods = c.n;
    free(sp->maps);
    if (r != 0 || e != 0) {
        /* forget the text so that the next call tries again */
        free(maps);
        sp->maps = NULL;
        sp->maps_len = 0;
        return r < 0 ? r : -EIO;
    }
    sp->maps = maps;
    sp->maps_len = len;
    return 0;
}

/* ---- static spaces (core dumps) ------------------------------------------------------------ */

/* The vDSO's image size from its ELF header in memory (section headers come last), capped. */
static size_t vdso_size_at(NsSpace *sp, uint64_t at)
{
    Elf64_Ehdr h;
    if (!sp->read || sp->read(sp->ctx, at, &h, sizeof h) != 0 || memcmp(h.e_ident, ELFMAG, SELFMAG) != 0 ||
        h.e_ident[EI_CLASS] != ELFCLASS64)
        return 0;
    uint64_t end = h.e_shoff + (uint64_t)h.e_shnum * h.e_shentsize;
    uint64_t ph = h.e_phoff + (uint64_t)h.e_phnum * h.e_phentsize;
    if (ph > end) end = ph;
    if (end < sizeof h || end > (1u << 20)) return 0;
    return (size_t)end;
}

/* libdwfl's find_elf for a static space: files by the path reported (never /proc/PID), the
 * vDSO from memory. The module's user data is the space (set when it was reported). */
static int static_find_elf(Dwfl_Module *mod, void **userdata, const char *name, Dwarf_Addr base,
                           char **file_name, Elf **elfp)
{
    (void)mod;
    (void)base;
    NsSpace *sp = userdata ? *userdata : NULL;
    if (!name) return -1;
    if (name[0] == '[') {
        if (!sp || !sp->vdso) return -1;
        if (!sp->vdso_image) {
            size_t size = vdso_size_at(sp, sp->vdso);
            unsigned char *img = size ? malloc(size) : NULL;
            if (!img) return -1;
            if (sp->read(sp->ctx, sp->vdso, img, size) != 0) {
                free(img);
                return -1;
            }
            sp->vdso_image = img;
            sp->vdso_size = size;
        }
        *elfp = elf_memory((char *)sp->vdso_image, sp->vdso_size);
        return -1;
    }
    if (name[0] != '/') return -1;
    int fd = open(name, O_RDONLY | O_CLOEXEC);
    if (fd >= 0) *file_name = strdup(name);
    return fd;
}

NsSpace *ns_new_static(NsReadMem read, void *ctx)
{
    NsSpace *sp = ns_new(0, read, ctx);
    if (!sp) return NULL;
    sp->is_static = 1;
    /* a new Dwfl with the static callbacks (libdwfl keeps the pointer to them) */
    dwfl_end(sp->dwfl);
    sp->callbacks.find_elf = static_find_elf;
    sp->dwfl = dwfl_begin(&sp->callbacks);
    if (!sp->dwfl) {
        ns_free(sp);
        return NULL;
    }
    return sp;
}

int ns_set_mappings(NsSpace *sp, const NsMapping *maps, size_t n, uint64_t vdso)
{
    if (!sp || !sp->is_static) return -EINVAL;
    NsMapping *copy = calloc(n ? n : 1, sizeof *copy);
    if (!copy) return -ENOMEM;
    for (size_t i = 0; i < n; i++) {
        copy[i] = maps[i];
        copy[i].path = strdup(maps[i].path ? maps[i].path : "");
        if (!copy[i].path) {
            for (size_t k = 0; k < i; k++) free((char *)copy[k].path);
            free(copy);
            return -ENOMEM;
        }
    }
    for (size_t i = 0; i < sp->nsmaps; i++) free((char *)sp->smaps[i].path);
    free(sp->smaps);
    sp->smaps = copy;
    sp->nsmaps = n;
    if (vdso != sp->vdso) {
        free(sp->vdso_image);   /* no Elf uses it: a vDSO module would keep sp->vdso */
        sp->vdso_image = NULL;
        sp->vdso_size = 0;
    }
    sp->vdso = vdso;
    sp->sdirty = 1;
    return 0;
}

static int report_static_module(NsSpace *sp, const char *name, uint64_t lo, uint64_t hi)
{
    Dwfl_Module *m = dwfl_report_module(sp->dwfl, name, lo, hi);
    if (!m) return -ENOMEM;
    void **ud = NULL;
    dwfl_module_info(m, &ud, NULL, NULL, NULL, NULL, NULL, NULL);
    if (ud) *ud = sp;
    return 0;
}

static int report_static_run(NsSpace *sp, MapRun *run)
{
    if (!run->open) return 0;
    run->open = 0;
    if (!known_module(sp, run->path, run->low) && !is_elf_file(run->path)) return 0;
    return report_static_module(sp, run->path, run->low, run->high);
}

static int report_static(NsSpace *sp)
{
    MapRun run = {0};
    int rc = 0;
    for (size_t i = 0; i < sp->nsmaps && rc == 0; i++) {
        const NsMapping *m = &sp->smaps[i];
        if (m->path[0] != '/' || m->end <= m->start) continue;
        if (sp->vdso && m->start <= sp->vdso && sp->vdso < m->end) continue;
        if (run.open && strcmp(m->path, run.path) == 0 && m->start >= run.high) {
            run.high = m->end;
            continue;
        }
        if (m->offset != 0) continue;
        rc = report_static_run(sp, &run);
        run = (MapRun){.low = m->start, .high = m->end, .open = 1};
        copy_str(run.path, sizeof run.path, m->path);
    }
    if (rc == 0) rc = report_static_run(sp, &run);
    if (rc == 0 && sp->vdso) {
        size_t size = vdso_size_at(sp, sp->vdso);
        if (size) rc = report_static_module(sp, "[vdso]", sp->vdso, sp->vdso + ((size + 4095) & ~(size_t)4095));
    }
    return rc;
}

static int refresh_static(NsSpace *sp)
{
    if (ns_stale(sp)) {
        forget_symbols(sp);
        sp->sdirty = 1;
    }
    if (!sp->sdirty) return 0;
    dwfl_report_begin(sp->dwfl);
    int r = report_static(sp);
    int e = dwfl_report_end(sp->dwfl, NULL, NULL);
    CollectCtx c = {.sp = sp};
    dwfl_getmodules(sp->dwfl, collect_module, &c, 0);
    if (c.nomem) {
        free(c.mods);
        free(sp->mods);
        sp->mods = NULL;
        sp->nmods = 0;
        return -ENOMEM;
    }
    if (c.n > 1) qsort(c.mods, c.n, sizeof *c.mods, cmp_mod_start);
    free(sp->mods);
    sp->mods = c.mods;
    sp->nmods = c.n;
    sp->sdirty = r != 0 || e != 0;
    return r < 0 ? r : e != 0 ? -EIO : 0;
}

int ns_modules(NsSpace *sp, NsModuleInfo **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!sp || sp->nmods == 0) return 0;
    NsModuleInfo *arr = calloc(sp->nmods, sizeof *arr);
    if (!arr) return -ENOMEM;
    for (size_t i = 0; i < sp->nmods; i++) fill_info(&sp->mods[i], &arr[i]);
    *out = arr;
    *n = sp->nmods;
    return 0;
}

int ns_module_at(NsSpace *sp, uint64_t addr, NsModuleInfo *out)
{
    NsMod *m = sp ? mod_at(sp, addr) : NULL;
    if (!m) return 0;
    fill_info(m, out);
    return 1;
}

/* ---- DWARF lookups (file addresses) ------------------------------------------------------ */

/* The compile unit covering runtime address addr, and the module's DWARF bias. Without
 * .debug_aranges (clang leaves them out) libdwfl cannot map addresses to CUs, so the CUs'
 * own ranges are searched instead. */
static Dwarf_Die *cu_at(NsMod *m, uint64_t addr, Dwarf_Addr *bias)
{
    probe(m);
    if (!m->has_dwarf) return NULL;
    Dwarf_Die *cu = dwfl_module_addrdie(m->mod, addr, bias);
    if (cu || m->has_aranges) return cu;
    Dwarf_Addr b = 0;
    for (Dwarf_Die *c = NULL; (c = dwfl_module_nextcu(m->mod, c, &b));) {
        if (dwarf_haspc(c, addr - b) > 0) {
            *bias = b;
            return c;
        }
    }
    return NULL;
}

static Dwarf_Addr row_addr(Dwarf_Lines *lines, size_t i)
{
    Dwarf_Addr a = 0;
    dwarf_lineaddr(dwarf_onesrcline(lines, i), &a);
    return a;
}

static int row_line(Dwarf_Line *l)
{
    int n = 0;
    return dwarf_lineno(l, &n) == 0 ? n : 0;
}

static int row_flag(Dwarf_Line *l, int (*get)(Dwarf_Line *, bool *))
{
    bool f = false;
    return get(l, &f) == 0 && f;
}

/* First row index with address >= a (libdw sorts every CU's rows by address, an end of
 * sequence before a row starting at the same address). */
static size_t lower_bound_row(Dwarf_Lines *lines, size_t n, Dwarf_Addr a)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (row_addr(lines, mid) < a) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* The row that covers file address a: the last one at or below it, unless that ends a
 * sequence (a is then between sequences). -1 when none. */
static long row_covering(Dwarf_Lines *lines, size_t n, Dwarf_Addr a)
{
    size_t i = lower_bound_row(lines, n, a + 1);   /* first row above a */
    if (a == (Dwarf_Addr)-1) i = n;
    if (i == 0) return -1;
    Dwarf_Line *l = dwarf_onesrcline(lines, i - 1);
    if (!l || row_flag(l, dwarf_lineendsequence)) return -1;
    return (long)(i - 1);
}

/* Where a breakpoint on a function starting at file address lo (code up to hi) goes:
 *   1. a row marked prologue_end (clang);
 *   2. else the first statement row after the entry whose line differs from the entry
 *      row's (gcc marks no prologue end; its second line is the first body line);
 *   3. else, for a function written on one line, the second statement row if the function
 *      has at least three (entry, body, epilogue);
 *   4. else lo itself. */
static Dwarf_Addr skip_prologue(Dwarf_Lines *lines, size_t n, Dwarf_Addr lo, Dwarf_Addr hi)
{
    size_t first = lower_bound_row(lines, n, lo);
    int entry_line = -1;
    for (size_t i = first; i < n && row_addr(lines, i) == lo; i++) {
        Dwarf_Line *l = dwarf_onesrcline(lines, i);
        if (l && !row_flag(l, dwarf_lineendsequence)) entry_line = row_line(l);
    }
    if (entry_line < 0) return lo;   /* no row at the entry: the table does not describe it */
    for (int pass = 1; pass <= 3; pass++) {
        Dwarf_Addr second = 0;
        int stmt_addrs = 0;
        Dwarf_Addr last_stmt = (Dwarf_Addr)-1;
        for (size_t i = first; i < n; i++) {
            Dwarf_Line *l = dwarf_onesrcline(lines, i);
            Dwarf_Addr a = row_addr(lines, i);
            if (!l || a >= hi) break;
            if (row_flag(l, dwarf_lineendsequence)) {
                if (a == lo) continue;   /* the end of the sequence before this one */
                break;
            }
            int stmt = row_flag(l, dwarf_linebeginstatement);
            int line = row_line(l);
            if (pass == 1 && row_flag(l, dwarf_lineprologueend)) return a;
            if (pass == 2 && a > lo && stmt && line != 0 && line != entry_line) return a;
            if (pass == 3 && stmt && a != last_stmt) {
                if (++stmt_addrs == 2) second = a;
                last_stmt = a;
            }
        }
        if (pass == 3 && stmt_addrs >= 3) return second;
    }
    return lo;
}

/* The DWARF function range [lo, hi) (runtime) of the subprogram containing addr: the
 * out-of-line function, not an inlined copy; for a function split in parts (hot/cold),
 * the part that holds addr. 0 or -1. */
static int dwarf_func_range(NsMod *m, uint64_t addr, uint64_t *lo, uint64_t *hi)
{
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = cu_at(m, addr, &bias);
    if (!cu) return -1;
    Dwarf_Addr t = addr - bias;
    Dwarf_Die *scopes = NULL;
    int ns = dwarf_getscopes(cu, t, &scopes);
    int rc = -1;
    for (int i = 0; i < ns && rc != 0; i++) {
        if (dwarf_tag(&scopes[i]) != DW_TAG_subprogram) continue;
        Dwarf_Addr base, s, e;
        ptrdiff_t off = 0;
        while ((off = dwarf_ranges(&scopes[i], off, &base, &s, &e)) > 0) {
            if (t >= s && t < e) {
                *lo = s + bias;
                *hi = e + bias;
                rc = 0;
                break;
            }
        }
        break;   /* the innermost subprogram only */
    }
    free(scopes);
    return rc;
}

/* Whether gcc compiled the CU with optimisation (its DW_AT_producer records the switches:
 * "GNU C11 12.2.0 ... -g -O2 ..."). Its line table then says nothing about where the
 * prologue ends: the second line may well be on a path not taken (libc's write: the
 * multi-threaded one), so, as gdb does for such code (its locations are valid from the
 * entry), a breakpoint goes on the entry itself. */
static int gcc_optimized(Dwarf_Die *cu)
{
    Dwarf_Attribute at;
    const char *producer = dwarf_formstring(dwarf_attr(cu, DW_AT_producer, &at));
    if (!producer || strncmp(producer, "GNU ", 4) != 0) return 0;
    int optimized = 0;
    for (const char *p = strstr(producer, " -O"); p; p = strstr(p + 3, " -O"))
        optimized = p[3] != '0';   /* the last -O wins, as on gcc's command line */
    return optimized;
}

/* The after-prologue runtime address of a function entered at entry (runtime), code up to
 * end (0: unknown). entry itself without line information, or for optimised gcc code. */
static uint64_t after_prologue(NsMod *m, uint64_t entry, uint64_t end)
{
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = cu_at(m, entry, &bias);
    Dwarf_Lines *lines;
    size_t n;
    if (!cu || dwarf_getsrclines(cu, &lines, &n) != 0 || n == 0 || gcc_optimized(cu)) return entry;
    if (end <= entry) {
        uint64_t lo, hi;
        end = dwarf_func_range(m, entry, &lo, &hi) == 0 ? hi : entry + 1;
    }
    return skip_prologue(lines, n, entry - bias, end - bias) + bias;
}

/* ---- where ------------------------------------------------------------------------------ */

/* Fills out for addr, with symbol and line looked up at look (addr - 1 for return
 * addresses, so that a call at the end of a function is not taken for the next one). */
static int where_impl(NsSpace *sp, uint64_t addr, uint64_t look, NsWhere *out)
{
    memset(out, 0, sizeof *out);
    out->addr = addr;
    NsMod *m = sp ? mod_at(sp, look) : NULL;
    if (!m) return 0;
    out->module_id = m->id;
    copy_str(out->module, sizeof out->module, m->name);
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *name = dwfl_module_addrinfo(m->mod, look, &off, &sym, NULL, NULL, NULL);
    if (name && *name) {
        copy_sym(out->func, sizeof out->func, name);
        out->func_start = look - off;
        out->offset = addr - out->func_start;
    }
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = cu_at(m, look, &bias);
    Dwarf_Lines *lines;
    size_t n;
    if (cu && dwarf_getsrclines(cu, &lines, &n) == 0) {
        long i = row_covering(lines, n, look - bias);
        Dwarf_Line *l = i >= 0 ? dwarf_onesrcline(lines, (size_t)i) : NULL;
        int line = l ? row_line(l) : 0;
        if (line > 0) {
            int col = 0;
            dwarf_linecol(l, &col);
            cu_file_path(cu, dwarf_linesrc(l, NULL, NULL), out->file, sizeof out->file);
            out->line = (uint32_t)line;
            out->column = col > 0 ? (uint32_t)col : 0;
        }
    }
    return 1;
}

int ns_where(NsSpace *sp, uint64_t addr, NsWhere *out)
{
    return where_impl(sp, addr, addr, out);
}

void ns_symbolize(NsSpace *sp, uint64_t addr, char *out, size_t cap)
{
    if (!out || cap == 0) return;
    out[0] = '\0';
    NsMod *m = sp ? mod_at(sp, addr) : NULL;
    if (!m) return;
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *name = dwfl_module_addrinfo(m->mod, addr, &off, &sym, NULL, NULL, NULL);
    if (!name || !*name) return;
    char plain[256];
    copy_sym(plain, sizeof plain, name);
    if (off) snprintf(out, cap, "%s+0x%llx", plain, (unsigned long long)off);
    else snprintf(out, cap, "%s", plain);
}

/* ---- by name and by line ----------------------------------------------------------------- */

/* A set of addresses, kept unique. */
typedef struct AddrSet {
    uint64_t *a;
    size_t    n, cap;
    int       nomem;
} AddrSet;

static void addrset_add(AddrSet *s, uint64_t v)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->a[i] == v) return;
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 16;
        uint64_t *bigger = realloc(s->a, cap * sizeof *bigger);
        if (!bigger) {
            s->nomem = 1;
            return;
        }
        s->a = bigger;
        s->cap = cap;
    }
    s->a[s->n++] = v;
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorted into addrs (up to cap); returns the full count. */
static int addrset_out(AddrSet *s, uint64_t *addrs, int cap)
{
    if (s->n > 1) qsort(s->a, s->n, sizeof *s->a, cmp_u64);
    for (size_t i = 0; i < s->n && addrs && (long)i < cap; i++) addrs[i] = s->a[i];
    int n = (int)s->n;
    free(s->a);
    return n;
}

int ns_function_addrs(NsSpace *sp, const char *module, const char *name, uint64_t *addrs, int cap)
{
    if (!sp || !name || !*name) return 0;
    AddrSet set = {0};
    for (size_t mi = 0; mi < sp->nmods; mi++) {
        NsMod *m = &sp->mods[mi];
        if (!mod_selected(m, module)) continue;
        probe(m);
        if (!m->has_symtab) continue;
        int nsyms = dwfl_module_getsymtab(m->mod);
        for (int i = 1; i < nsyms; i++) {
            GElf_Sym sym;
            GElf_Addr addr = 0;
            GElf_Word shndx = SHN_UNDEF;
            const char *s = dwfl_module_getsym_info(m->mod, i, &sym, &addr, &shndx, NULL, NULL);
            int type = GELF_ST_TYPE(sym.st_info);
            /* undefined symbols are imports (their value, if any, is a PLT slot) */
            if (!s || !sym_is(s, name) || shndx == SHN_UNDEF || addr == 0 ||
                (type != STT_FUNC && type != STT_GNU_IFUNC))
                continue;
            uint64_t end = sym.st_size ? addr + sym.st_size : 0;
            addrset_add(&set, after_prologue(m, addr, end));
        }
    }
    return addrset_out(&set, addrs, cap);
}

/* One function that has code for the line asked: keyed by module and the DIE of the
 * innermost subprogram or inlined copy (or symbol) around the code. */
typedef struct LineHit {
    const NsMod *mod;
    uint64_t     key;
    uint64_t     addr;
} LineHit;

/* The key of the function (inlined copies separate) holding file address t of cu. */
static uint64_t function_key(NsMod *m, Dwarf_Die *cu, Dwarf_Addr t, uint64_t runtime)
{
    Dwarf_Die *scopes = NULL;
    int ns = dwarf_getscopes(cu, t, &scopes);
    uint64_t key = 0;
    for (int i = 0; i < ns && !key; i++) {
        int tag = dwarf_tag(&scopes[i]);
        if (tag == DW_TAG_subprogram || tag == DW_TAG_inlined_subroutine)
            key = dwarf_dieoffset(&scopes[i]) + 1;
    }
    free(scopes);
    if (key) return key;
    /* no DIE: the symbol's start (high bit set so it cannot collide with a DIE offset) */
    GElf_Off off = 0;
    GElf_Sym sym;
    if (dwfl_module_addrinfo(m->mod, runtime, &off, &sym, NULL, NULL, NULL))
        return (runtime - off) | (1ull << 63);
    return runtime | (1ull << 63);
}

typedef struct LineQuery {
    const char *module;
    char        file[4096];     /* normalized */
    uint32_t    line;
} LineQuery;

/* Calls visit for every is_stmt row of the queried file in the selected modules; returns
 * whether any CU of those modules names the file at all. */
typedef void (*RowVisit)(void *arg, NsMod *m, Dwarf_Die *cu, Dwarf_Addr bias, Dwarf_Line *l,
                         int line);

static int for_each_file_row(NsSpace *sp, const LineQuery *q, RowVisit visit, void *arg)
{
    int file_seen = 0;
    for (size_t mi = 0; mi < sp->nmods; mi++) {
        NsMod *m = &sp->mods[mi];
        if (!mod_selected(m, q->module)) continue;
        probe(m);
        if (!m->has_dwarf) continue;
        Dwarf_Addr bias = 0;
        for (Dwarf_Die *cu = NULL; (cu = dwfl_module_nextcu(m->mod, cu, &bias));) {
            Dwarf_Files *files;
            size_t nfiles;
            if (dwarf_getsrcfiles(cu, &files, &nfiles) != 0) continue;
            int named = 0;
            for (size_t f = 0; f < nfiles && !named; f++)
                named = path_matches(cu, dwarf_filesrc(files, f, NULL, NULL), q->file);
            if (!named) continue;
            file_seen = 1;
            Dwarf_Lines *lines;
            size_t n;
            if (dwarf_getsrclines(cu, &lines, &n) != 0) continue;
            /* rows name the same few strings over and over: remember the last answer */
            const char *last_src = NULL;
            int last_match = 0;
            for (size_t i = 0; i < n; i++) {
                Dwarf_Line *l = dwarf_onesrcline(lines, i);
                if (!l || row_flag(l, dwarf_lineendsequence) ||
                    !row_flag(l, dwarf_linebeginstatement))
                    continue;
                int line = row_line(l);
                if (line <= 0) continue;
                const char *src = dwarf_linesrc(l, NULL, NULL);
                if (src != last_src) {
                    last_src = src;
                    last_match = path_matches(cu, src, q->file);
                }
                if (last_match) visit(arg, m, cu, bias, l, line);
            }
        }
    }
    return file_seen;
}

typedef struct BestLine {
    uint32_t want, best;        /* best: the smallest line >= want with code, 0 none yet */
} BestLine;

static void visit_best(void *arg, NsMod *m, Dwarf_Die *cu, Dwarf_Addr bias, Dwarf_Line *l,
                       int line)
{
    BestLine *b = arg;
    if ((uint32_t)line >= b->want && (b->best == 0 || (uint32_t)line < b->best))
        b->best = (uint32_t)line;
}

typedef struct Hits {
    uint32_t line;
    LineHit *h;
    size_t   n, cap;
    int      nomem;
} Hits;

static void visit_hits(void *arg, NsMod *m, Dwarf_Die *cu, Dwarf_Addr bias, Dwarf_Line *l,
                       int line)
{
    Hits *hs = arg;
    if ((uint32_t)line != hs->line) return;
    Dwarf_Addr t = 0;
    dwarf_lineaddr(l, &t);
    uint64_t addr = t + bias;
    uint64_t key = function_key(m, cu, t, addr);
    for (size_t i = 0; i < hs->n; i++) {
        if (hs->h[i].mod == m && hs->h[i].key == key) {
            if (addr < hs->h[i].addr) hs->h[i].addr = addr;
            return;
        }
    }
    if (hs->n == hs->cap) {
        size_t cap = hs->cap ? hs->cap * 2 : 8;
        LineHit *bigger = realloc(hs->h, cap * sizeof *bigger);
        if (!bigger) {
            hs->nomem = 1;
            return;
        }
        hs->h = bigger;
        hs->cap = cap;
    }
    hs->h[hs->n++] = (LineHit){.mod = m, .key = key, .addr = addr};
}

int ns_line_addrs(NsSpace *sp, const char *module, const char *file, uint32_t line,
                  uint64_t *addrs, int cap, uint32_t *line_out)
{
    if (line_out) *line_out = 0;
    if (!sp || !file || !*file) return -1;
    LineQuery *q = calloc(1, sizeof *q);
    if (!q) return -1;
    q->module = module;
    normalize_path(file, q->file, sizeof q->file);
    q->line = line;
    BestLine best = {.want = line};
    if (!for_each_file_row(sp, q, visit_best, &best)) {
        free(q);
        return -1;
    }
    if (best.best == 0) {
        free(q);
        return 0;
    }
    Hits hs = {.line = best.best};
    for_each_file_row(sp, q, visit_hits, &hs);
    free(q);
    AddrSet set = {0};
    for (size_t i = 0; i < hs.n; i++) addrset_add(&set, hs.h[i].addr);
    free(hs.h);
    if (line_out) *line_out = best.best;
    return addrset_out(&set, addrs, cap);
}

int ns_line_range(NsSpace *sp, uint64_t pc, uint64_t *lo, uint64_t *hi)
{
    NsMod *m = sp ? mod_at(sp, pc) : NULL;
    if (!m) return -1;
    Dwarf_Addr bias = 0;
    Dwarf_Die *cu = cu_at(m, pc, &bias);
    Dwarf_Lines *lines;
    size_t n;
    if (!cu || dwarf_getsrclines(cu, &lines, &n) != 0) return -1;
    long i = row_covering(lines, n, pc - bias);
    if (i < 0) return -1;
    Dwarf_Line *row = dwarf_onesrcline(lines, (size_t)i);
    int line = row ? row_line(row) : 0;
    if (line <= 0) return -1;
    const char *src = dwarf_linesrc(row, NULL, NULL);
    /* widen to the neighbouring rows of the same line and file (a line is often several
     * rows: is_stmt changes, views, columns), staying inside the sequence */
    size_t first = (size_t)i, last = (size_t)i;
    while (first > 0) {
        Dwarf_Line *p = dwarf_onesrcline(lines, first - 1);
        if (!p || row_flag(p, dwarf_lineendsequence) || row_line(p) != line ||
            dwarf_linesrc(p, NULL, NULL) != src)
            break;
        first--;
    }
    size_t next = last + 1;
    for (; next < n; next++) {
        Dwarf_Line *p = dwarf_onesrcline(lines, next);
        if (!p || row_flag(p, dwarf_lineendsequence) || row_line(p) != line ||
            dwarf_linesrc(p, NULL, NULL) != src)
            break;
    }
    Dwarf_Addr end = next < n ? row_addr(lines, next) : pc - bias + 1;
    *lo = row_addr(lines, first) + bias;
    *hi = end + bias;
    if (*hi <= pc) *hi = pc + 1;   /* never a range that misses pc */
    return 0;
}

int ns_function_range(NsSpace *sp, uint64_t pc, uint64_t *lo, uint64_t *hi)
{
    NsMod *m = sp ? mod_at(sp, pc) : NULL;
    if (!m) return -1;
    if (dwarf_func_range(m, pc, lo, hi) == 0) return 0;
    GElf_Off off = 0;
    GElf_Sym sym;
    const char *name = dwfl_module_addrinfo(m->mod, pc, &off, &sym, NULL, NULL, NULL);
    if (!name || sym.st_size == 0 || off >= sym.st_size) return -1;
    *lo = pc - off;
    *hi = *lo + sym.st_size;
    return 0;
}

typedef struct EntryCtx {
    Dwarf_Lines *lines;         /* the CU's line table */
    size_t       nlines;
    Dwarf_Addr   bias;
    AddrSet     *set;
} EntryCtx;

static int visit_func(Dwarf_Die *fn, void *arg)
{
    EntryCtx *c = arg;
    Dwarf_Addr entry = 0, base, s, e, end = 0;
    int has_entry = dwarf_entrypc(fn, &entry) == 0;
    ptrdiff_t off = 0;
    while ((off = dwarf_ranges(fn, off, &base, &s, &e)) > 0) {
        if (!has_entry) {   /* ranges only (a function split hot/cold): the first is the entry */
            entry = s;
            has_entry = 1;
        }
        if (entry >= s && entry < e) {
            end = e;
            break;
        }
    }
    if (!has_entry || end <= entry) return DWARF_CB_OK;   /* a declaration, or inlined only */
    addrset_add(c->set, skip_prologue(c->lines, c->nlines, entry, end) + c->bias);
    return DWARF_CB_OK;
}

int ns_module_entry_points(NsSpace *sp, int module_id, uint64_t *addrs, int cap)
{
    NsMod *m = sp ? mod_by_id(sp, module_id) : NULL;
    if (!m) return 0;
    probe(m);
    if (!m->has_dwarf) return 0;
    AddrSet set = {0};
    Dwarf_Addr bias = 0;
    for (Dwarf_Die *cu = NULL; (cu = dwfl_module_nextcu(m->mod, cu, &bias));) {
        EntryCtx c = {.bias = bias, .set = &set};
        if (dwarf_getsrclines(cu, &c.lines, &c.nlines) != 0 || c.nlines == 0) continue;
        dwarf_getfuncs(cu, visit_func, &c, 0);
    }
    return addrset_out(&set, addrs, cap);
}

/* ---- unwinding --------------------------------------------------------------------------- */

static pid_t unwind_tid(const NsSpace *sp)
{
    return sp->pid > 0 ? sp->pid : 1;
}

static pid_t cb_next_thread(Dwfl *dwfl, void *arg, void **thread_argp)
{
    if (*thread_argp) return 0;   /* one thread: the one whose registers we were given */
    *thread_argp = arg;
    return unwind_tid(arg);
}

static bool cb_get_thread(Dwfl *dwfl, pid_t tid, void *arg, void **thread_argp)
{
    if (tid != unwind_tid(arg)) return false;
    *thread_argp = arg;
    return true;
}

static bool cb_memory_read(Dwfl *dwfl, Dwarf_Addr addr, Dwarf_Word *result, void *arg)
{
    NsSpace *sp = arg;
    uint64_t v = 0;
    if (!sp->read || sp->read(sp->ctx, addr, &v, sizeof v) != 0) return false;
    *result = v;
    return true;
}

static bool cb_set_initial_registers(Dwfl_Thread *thread, void *thread_arg)
{
    const NsSpace *sp = thread_arg;
    const NsRegs *r = sp->unwind_regs;
    if (!r) return false;
    const Dwarf_Word regs[NS_DWARF_NREGS] = {
        r->rax, r->rdx, r->rcx, r->rbx, r->rsi, r->rdi, r->rbp, r->rsp,
        r->r8, r->r9, r->r10, r->r11, r->r12, r->r13, r->r14, r->r15, r->rip,
    };
    if (!dwfl_thread_state_registers(thread, 0, NS_DWARF_NREGS, regs)) return false;
    dwfl_thread_state_register_pc(thread, r->rip);
    return true;
}

static const Dwfl_Thread_Callbacks ns_thread_callbacks = {
    .next_thread = cb_next_thread,
    .get_thread = cb_get_thread,
    .memory_read = cb_memory_read,
    .set_initial_registers = cb_set_initial_registers,
};

/* Once per Dwfl (libdwfl refuses a second attach). An ELF header of our own tells it the
 * architecture, so this works before any module is known and survives modules going. */
static int attach(NsSpace *sp)
{
    if (sp->attached) return 0;
    if (!sp->arch_elf) {
        core_elf_header(sp->arch_hdr);
        sp->arch_elf = elf_memory((char *)sp->arch_hdr, sizeof sp->arch_hdr);
        if (!sp->arch_elf) return -1;
    }
    if (!dwfl_attach_state(sp->dwfl, sp->arch_elf, unwind_tid(sp), &ns_thread_callbacks, sp))
        return -1;
    sp->attached = 1;
    return 0;
}

typedef struct Walk {
    NsSpace *sp;
    NsFrame *frames;
    int      max, n;
} Walk;

static int visit_frame(Dwfl_Frame *state, void *arg)
{
    Walk *w = arg;
    Dwarf_Addr pc = 0;
    bool activation = false;
    if (!dwfl_frame_pc(state, &pc, &activation)) return DWARF_CB_ABORT;
    Dwarf_Word rsp = 0;
    int have_rsp = dwfl_frame_reg(state, NS_DWARF_RSP, &rsp) == 0;
    /* a frame's CFA is the stack pointer of its caller once the call has returned */
    if (w->n > 0) w->frames[w->n - 1].cfa = have_rsp ? rsp : 0;
    if (w->n == w->max) return DWARF_CB_ABORT;   /* the extra one was only for that CFA */
    if (w->n > 0) {
        const NsFrame *prev = &w->frames[w->n - 1];
        if (pc == 0 || (prev->pc == pc && prev->sp == (have_rsp ? rsp : 0)))
            return DWARF_CB_ABORT;   /* the end of the stack, or no progress */
    }
    NsFrame *f = &w->frames[w->n++];
    memset(f, 0, sizeof *f);
    f->pc = pc;
    f->sp = have_rsp ? rsp : 0;
    /* a return address may be the first byte after a call that ends its function */
    int covered = where_impl(w->sp, pc, activation || pc == 0 ? pc : pc - 1, &f->where);
    return covered ? DWARF_CB_OK : DWARF_CB_ABORT;
}

int ns_unwind(NsSpace *sp, const NsRegs *regs, NsFrame *frames, int max)
{
    if (!sp || !regs || !frames || max <= 0) return 0;
    Walk w = {.sp = sp, .frames = frames, .max = max};
    if (attach(sp) == 0) {
        sp->unwind_regs = regs;
        /* the result is ignored: libdwfl reports the end of some stacks as an error */
        dwfl_getthread_frames(sp->dwfl, unwind_tid(sp), visit_frame, &w);
        sp->unwind_regs = NULL;
    }
    if (w.n == 0) {
        memset(&frames[0], 0, sizeof frames[0]);
        frames[0].pc = regs->rip;
        frames[0].sp = regs->rsp;
        where_impl(sp, regs->rip, regs->rip, &frames[0].where);
        w.n = 1;
    }
    return w.n;
}

/* For symvar.c (sym_dwfl.h): the session's libdwfl handle. */
Dwfl *ns_dwfl(NsSpace *sp) { return sp->dwfl; }
