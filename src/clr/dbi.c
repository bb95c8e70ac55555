/* dlopen of libmscordbi.so and the ICorDebug factory. See dbi.h. */
#include "clr/dbi.h"
#include "base/utf.h"

#include <dlfcn.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

enum { CORDEBUG_VERSION_4_0 = 4, DLL_PROCESS_ATTACH = 1 };

int clr_dbi_load(ClrDbi *dbi, const char *runtime_dir, char *err, size_t errcap)
{
    if (dbi->handle) {
        if (strcmp(dbi->dir, runtime_dir) == 0) return 0;
        snprintf(err, errcap, "this cordbg session already loaded the debugger library of %s; "
                 "a target on another runtime (%s) needs a new session", dbi->dir, runtime_dir);
        return -1;
    }
    char path[640];
    snprintf(path, sizeof path, "%s/libmscordbi.so", runtime_dir);
    void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        snprintf(err, errcap, "cannot load the runtime's debugger library: %s", dlerror());
        return -1;
    }
    /* What the PAL's LoadLibrary does after dlopen: register the module with the PAL
     * (older runtimes export this), then run its DllMain so the PAL and transport exist. */
    void (*reg)(const char *) = (void (*)(const char *))dlsym(h, "PAL_RegisterModule");
    if (reg) reg(path);
    int (*dll_main)(void *, uint32_t, void *) = (int (*)(void *, uint32_t, void *))dlsym(h, "DllMain");
    if (dll_main && !dll_main(h, DLL_PROCESS_ATTACH, NULL)) {
        snprintf(err, errcap, "%s: DllMain(DLL_PROCESS_ATTACH) failed", path);
        return -1;
    }
    dbi->create3 = (HRESULT (*)(int, DWORD, LPCWSTR, LPCWSTR, void *, IUnknown **))
        dlsym(h, "CoreCLRCreateCordbObject3");
    dbi->create_ex = (HRESULT (*)(int, DWORD, LPCWSTR, void *, IUnknown **))
        dlsym(h, "CoreCLRCreateCordbObjectEx");
    dbi->create = (HRESULT (*)(int, DWORD, void *, IUnknown **))dlsym(h, "CoreCLRCreateCordbObject");
    if (!dbi->create3 && !dbi->create_ex && !dbi->create) {
        snprintf(err, errcap, "%s exports no CoreCLRCreateCordbObject* factory", path);
        return -1;
    }
    dbi->handle = h;
    snprintf(dbi->dir, sizeof dbi->dir, "%s", runtime_dir);
    return 0;
}

int clr_dbi_create(ClrDbi *dbi, int pid, const ClrRuntimeInfo *rt, ICorDebug **out,
                   char *err, size_t errcap)
{
    *out = NULL;
    IUnknown *unk = NULL;
    HRESULT hr;
    void *hmod = (void *)(uintptr_t)rt->coreclr_base;
    char hrs[64];
    if (dbi->create3) {
        char dac[640];
        snprintf(dac, sizeof dac, "%s/libmscordaccore.so", rt->dir);
        /* The right side unloads the DAC when its ICorDebug goes, and something of .NET 8's
         * DAC outlives that: a DAP server serving a second client then jumped into the
         * unmapped DAC (SIGSEGV; tests/dap/server.test.mjs on the matrix). Pinned
         * (RTLD_NODELETE), a DAC stays mapped for cordbg's lifetime: one per runtime build
         * or self-contained copy debugged. */
        if (!dlopen(dac, RTLD_LAZY | RTLD_LOCAL | RTLD_NODELETE)) {
            snprintf(err, errcap, "cannot load the runtime's DAC: %s", dlerror());
            return -1;
        }
        uint16_t *wdac = utf16_from_utf8_malloc(dac, (size_t)-1);
        hr = dbi->create3(CORDEBUG_VERSION_4_0, (DWORD)pid, NULL, (LPCWSTR)wdac, hmod, &unk);
        free(wdac);
    } else if (dbi->create_ex) {
        hr = dbi->create_ex(CORDEBUG_VERSION_4_0, (DWORD)pid, NULL, hmod, &unk);
    } else {
        hr = dbi->create(CORDEBUG_VERSION_4_0, (DWORD)pid, hmod, &unk);
    }
    if (FAILED(hr) || !unk) {
        snprintf(err, errcap, "the runtime's debugger library refused to create a debugger object (%s)",
                 clr_hr_str(hr, hrs, sizeof hrs));
        return -1;
    }
    ICorDebug *cordb = NULL;
    hr = unk->lpVtbl->QueryInterface(unk, &IID_ICorDebug, (void **)&cordb);
    unk->lpVtbl->Release(unk);
    if (FAILED(hr)) {
        snprintf(err, errcap, "no ICorDebug interface (%s)", clr_hr_str(hr, hrs, sizeof hrs));
        return -1;
    }
    hr = cordb->lpVtbl->Initialize(cordb);
    if (FAILED(hr)) {
        snprintf(err, errcap, "ICorDebug::Initialize failed (%s)", clr_hr_str(hr, hrs, sizeof hrs));
        cordb->lpVtbl->Release(cordb);
        return -1;
    }
    *out = cordb;
    return 0;
}

const char *clr_hr_str(HRESULT hr, char *buf, size_t cap)
{
    static const struct { HRESULT hr; const char *name; } known[] = {
        { CORDBG_E_PROCESS_TERMINATED, "CORDBG_E_PROCESS_TERMINATED: the process has exited" },
        { (HRESULT)0x80131c32u, "CORDBG_E_DETACH_FAILED_ON_ENC: no detach after Edit and Continue" },
        { CORDBG_E_PROCESS_NOT_SYNCHRONIZED, "CORDBG_E_PROCESS_NOT_SYNCHRONIZED: the process is running" },
        { CORDBG_E_OBJECT_NEUTERED, "CORDBG_E_OBJECT_NEUTERED: the object is no longer valid" },
        { CORDBG_E_DEBUGGING_NOT_POSSIBLE, "CORDBG_E_DEBUGGING_NOT_POSSIBLE" },
        { CORDBG_E_UNRECOVERABLE_ERROR, "CORDBG_E_UNRECOVERABLE_ERROR" },
        { E_INVALIDARG, "E_INVALIDARG" },
        { E_NOTIMPL, "E_NOTIMPL" },
        { E_NOINTERFACE, "E_NOINTERFACE" },
        { E_FAIL, "E_FAIL" },
        { E_OUTOFMEMORY, "E_OUTOFMEMORY" },
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
        if (known[i].hr == hr) { snprintf(buf, cap, "%s", known[i].name); return buf; }
    snprintf(buf, cap, "HRESULT 0x%08x", (unsigned)hr);
    return buf;
}
