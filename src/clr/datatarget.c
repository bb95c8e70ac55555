/* ICorDebugDataTarget over a dump, and OpenVirtualProcessImpl2. See datatarget.h. */
#include "clr/datatarget.h"
#include "base/log.h"
#include "base/utf.h"

#include <dlfcn.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct ClrDataTarget {
    ICorDebugDataTarget       dt;       /* first: the object's IUnknown */
    ICorDebugMetaDataLocator  loc;
    atomic_long refs;
    ClrDataTargetOps ops;
    char program_dir[1024];
};

#define DT_FROM_LOC(p) ((ClrDataTarget *)((char *)(p) - offsetof(ClrDataTarget, loc)))

static HRESULT dt_query(ClrDataTarget *t, REFIID riid, void **ppv)
{
    if (clr_iid_equal(riid, &IID_IUnknown) || clr_iid_equal(riid, &IID_ICorDebugDataTarget))
        *ppv = &t->dt;
    else if (clr_iid_equal(riid, &IID_ICorDebugMetaDataLocator))
        *ppv = &t->loc;
    else {
        /* Which interfaces the right side asks for (and goes on without). */
        log_msg(LOG_DEBUG, "dump", "data target: no %s", clr_iid_name(riid));
        *ppv = NULL;
        return E_NOINTERFACE;
    }
    atomic_fetch_add(&t->refs, 1);
    return S_OK;
}

static ULONG dt_addref(ClrDataTarget *t) { return (ULONG)atomic_fetch_add(&t->refs, 1) + 1; }

static ULONG dt_release(ClrDataTarget *t)
{
    long n = atomic_fetch_sub(&t->refs, 1) - 1;
    if (n == 0) free(t);
    return (ULONG)n;
}

static HRESULT d_qi(ICorDebugDataTarget *p, REFIID riid, void **ppv) { return dt_query((ClrDataTarget *)p, riid, ppv); }
static ULONG d_addref(ICorDebugDataTarget *p) { return dt_addref((ClrDataTarget *)p); }
static ULONG d_release(ICorDebugDataTarget *p) { return dt_release((ClrDataTarget *)p); }

static HRESULT d_platform(ICorDebugDataTarget *p, CorDebugPlatform *out)
{
    (void)p;
    *out = CORDB_PLATFORM_POSIX_AMD64;
    return S_OK;
}

static HRESULT d_read(ICorDebugDataTarget *p, CORDB_ADDRESS addr, BYTE *buf, ULONG32 len, ULONG32 *got)
{
    ClrDataTarget *t = (ClrDataTarget *)p;
    size_t n = t->ops.read(t->ops.ctx, addr, buf, len);
    if (got) *got = (ULONG32)n;
    /* Nothing at all: the memory is not in the dump (a partial read is the caller's to judge). */
    return n ? S_OK : CORDBG_E_READVIRTUAL_FAILURE;
}

static HRESULT d_context(ICorDebugDataTarget *p, DWORD tid, ULONG32 flags, ULONG32 size, BYTE *out)
{
    ClrDataTarget *t = (ClrDataTarget *)p;
    if (size < CLR_CONTEXT_SIZE) return E_INVALIDARG;
    uint8_t ctx[CLR_CONTEXT_SIZE];
    memset(ctx, 0, sizeof ctx);
    if (t->ops.context(t->ops.ctx, tid, ctx) != 0) return E_INVALIDARG;
    memcpy(ctx + 0x30, &flags, 4);      /* ContextFlags: what was asked (all of it is there) */
    memcpy(out, ctx, CLR_CONTEXT_SIZE);
    return S_OK;
}

static const ICorDebugDataTargetVtbl dt_vtbl = { d_qi, d_addref, d_release, d_platform, d_read, d_context };

static HRESULT l_qi(ICorDebugMetaDataLocator *p, REFIID riid, void **ppv) { return dt_query(DT_FROM_LOC(p), riid, ppv); }
static ULONG l_addref(ICorDebugMetaDataLocator *p) { return dt_addref(DT_FROM_LOC(p)); }
static ULONG l_release(ICorDebugMetaDataLocator *p) { return dt_release(DT_FROM_LOC(p)); }

/* The module file the dump names, on this machine: at its path, else in the program's
 * directory by file name (the dump of a program built or run elsewhere). */
static HRESULT l_get(ICorDebugMetaDataLocator *p, LPCWSTR image, DWORD stamp, DWORD size,
                     ULONG32 cch, ULONG32 *pcch, WCHAR buf[])
{
    ClrDataTarget *t = DT_FROM_LOC(p);
    char path[1024], found[2048] = "";
    if (!image || utf8_from_utf16_buf(path, sizeof path, (const uint16_t *)image, (size_t)-1) < 0)
        return E_INVALIDARG;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    if (t->program_dir[0]) {
        snprintf(found, sizeof found, "%s/%s", t->program_dir, base);
        if (access(found, R_OK) != 0) found[0] = 0;
    }
    if (!found[0] && access(path, R_OK) == 0) snprintf(found, sizeof found, "%s", path);
    log_msg(LOG_DEBUG, "dump", "metadata of %s (stamp %08x, size %u): %s", path, (unsigned)stamp,
            (unsigned)size, found[0] ? found : "not found");
    if (!found[0]) return E_FAIL;
    uint16_t *w = utf16_from_utf8_malloc(found, (size_t)-1);
    if (!w) return E_OUTOFMEMORY;
    size_t n = 0;
    while (w[n]) n++;
    if (pcch) *pcch = (ULONG32)(n + 1);
    HRESULT hr = S_OK;
    if (!buf || cch < n + 1) hr = E_NOT_SUFFICIENT_BUFFER;
    else memcpy(buf, w, (n + 1) * 2);
    free(w);
    return hr;
}

static const ICorDebugMetaDataLocatorVtbl loc_vtbl = { l_qi, l_addref, l_release, l_get };

ClrDataTarget *clr_dt_new(const ClrDataTargetOps *ops, const char *program_dir)
{
    ClrDataTarget *t = calloc(1, sizeof *t);
    if (!t) return NULL;
    t->dt.lpVtbl = &dt_vtbl;
    t->loc.lpVtbl = &loc_vtbl;
    atomic_init(&t->refs, 1);
    t->ops = *ops;
    if (program_dir) snprintf(t->program_dir, sizeof t->program_dir, "%s", program_dir);
    return t;
}

IUnknown *clr_dt_unknown(ClrDataTarget *dt) { return (IUnknown *)&dt->dt; }
void clr_dt_release(ClrDataTarget *dt) { if (dt) dt_release(dt); }

typedef struct ClrDebuggingVersion { uint16_t struct_version, major, minor, build, revision; } ClrDebuggingVersion;

int clr_dt_open_process(ClrDbi *dbi, ClrDataTarget *dt, uint64_t coreclr_base, const char *dac_path,
                        ICorDebugProcess **out, char *err, size_t cap)
{
    *out = NULL;
    HRESULT (*open2)(uint64_t, IUnknown *, LPCWSTR, ClrDebuggingVersion *, REFIID, IUnknown **, uint32_t *) =
        (HRESULT (*)(uint64_t, IUnknown *, LPCWSTR, ClrDebuggingVersion *, REFIID, IUnknown **, uint32_t *))
        dlsym(dbi->handle, "OpenVirtualProcessImpl2");
    if (!open2) {
        snprintf(err, cap, "%s/libmscordbi.so has no OpenVirtualProcessImpl2: it cannot open dumps", dbi->dir);
        return -1;
    }
    /* Pinned as clr_dbi_create pins it: the right side unloads its DAC with the process. */
    if (!dlopen(dac_path, RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE)) {
        snprintf(err, cap, "cannot load the runtime's DAC: %s", dlerror());
        return -1;
    }
    uint16_t *wdac = utf16_from_utf8_malloc(dac_path, (size_t)-1);
    ClrDebuggingVersion max = { 0, 4, 0, 0xffff, 0xffff };
    IUnknown *unk = NULL;
    uint32_t flags = 0;
    HRESULT hr = open2(coreclr_base, clr_dt_unknown(dt), (LPCWSTR)wdac, &max, &IID_ICorDebugProcess, &unk, &flags);
    free(wdac);
    if (FAILED(hr) || !unk) {
        char b[96];
        snprintf(err, cap, "the runtime's debugger library cannot open this dump (OpenVirtualProcess: %s)",
                 clr_hr_str(hr, b, sizeof b));
        return -1;
    }
    log_msg(LOG_DEBUG, "dump", "OpenVirtualProcessImpl2: flags 0x%x", (unsigned)flags);
    *out = (ICorDebugProcess *)unk;     /* asked for ICorDebugProcess */
    return 0;
}
