/* A data target for the right side over memory and threads that are not a live process (a
 * core dump): a COM object implementing ICorDebugDataTarget (GetPlatform, ReadVirtual,
 * GetThreadContext) and ICorDebugMetaDataLocator (module files found on this machine), and
 * opening an ICorDebugProcess over it with libmscordbi.so's OpenVirtualProcessImpl2.
 * The callbacks may be called from any thread the right side uses; they only read. */
#ifndef CORDBG_CLR_DATATARGET_H
#define CORDBG_CLR_DATATARGET_H
#include "clr/cordebug.h"
#include "clr/dbi.h"
#include <stddef.h>
#include <stdint.h>

enum { CLR_CONTEXT_SIZE = 1232 };   /* the Windows-layout AMD64 CONTEXT */

typedef struct ClrDataTargetOps {
    /* Read len bytes at addr into buf: the bytes read (0: none). */
    size_t (*read)(void *ctx, uint64_t addr, void *buf, size_t len);
    /* Fill an AMD64 CONTEXT (CLR_CONTEXT_SIZE bytes, zeroed) with thread tid's registers.
     * 0, or -1 when there is no such thread. */
    int (*context)(void *ctx, uint32_t tid, uint8_t *context);
    void *ctx;
} ClrDataTargetOps;

typedef struct ClrDataTarget ClrDataTarget;

/* A new data target (one reference). program_dir: where module files missing at the paths
 * the dump names are looked for (the PROGRAM's directory; may be NULL). */
ClrDataTarget *clr_dt_new(const ClrDataTargetOps *ops, const char *program_dir);
IUnknown      *clr_dt_unknown(ClrDataTarget *dt);
void           clr_dt_release(ClrDataTarget *dt);

/* ICorDebugProcess over the data target for the runtime whose libcoreclr.so is loaded at
 * coreclr_base, with the right side in dbi (clr_dbi_load'ed) and its DAC dac_path.
 * 0 and *out (owned), or -1 with err. */
int clr_dt_open_process(ClrDbi *dbi, ClrDataTarget *dt, uint64_t coreclr_base, const char *dac_path,
                        ICorDebugProcess **out, char *err, size_t cap);

#endif
