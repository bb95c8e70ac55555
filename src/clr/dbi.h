/* Loading the target runtime's own right side (libmscordbi.so) into cordbg and making an
 * ICorDebug from it, as the runtime's PAL loader would: dlopen, PAL_RegisterModule where
 * exported, DllMain(DLL_PROCESS_ATTACH), then the newest CoreCLRCreateCordbObject* export.
 * No dbgshim, no CLR hosted in cordbg. A ClrDbi is used from the engine thread only. */
#ifndef CORDBG_CLR_DBI_H
#define CORDBG_CLR_DBI_H
#include "clr/cordebug.h"
#include "clr/runtime.h"

typedef struct ClrDbi {
    void *handle;                 /* dlopen handle; never dlclose'd (the PAL cannot unload) */
    char  dir[512];               /* runtime folder it came from */
    HRESULT (*create3)(int version, DWORD pid, LPCWSTR app_group, LPCWSTR dac_path,
                       void *hmod_target_clr, IUnknown **out);
    HRESULT (*create_ex)(int version, DWORD pid, LPCWSTR app_group, void *hmod_target_clr,
                         IUnknown **out);
    HRESULT (*create)(int version, DWORD pid, void *hmod_target_clr, IUnknown **out);
} ClrDbi;

/* Load (or reuse, when already loaded from the same folder) libmscordbi.so from rt->dir.
 * 0, or -1 with a one-line reason in err. */
int clr_dbi_load(ClrDbi *dbi, const char *runtime_dir, char *err, size_t errcap);

/* Make an ICorDebug for process PID whose runtime is described by rt, then Initialize it.
 * 0 and *out (owned: Terminate and Release it), or -1 with err. */
int clr_dbi_create(ClrDbi *dbi, int pid, const ClrRuntimeInfo *rt, ICorDebug **out,
                   char *err, size_t errcap);

/* A short text for an HRESULT: its CORDBG_E_* name when known, else hex. Thread-safe. */
const char *clr_hr_str(HRESULT hr, char *buf, size_t cap);

#endif
