// fuzz_core.c — libFuzzer target for the ELF core reader (src/native/core.c): any bytes are
// opened as a core (core_open_mem), then everything a debugger asks of one is exercised:
// the process and signal, every thread, every mapping (and the look-up by address), the
// auxiliary vector, and memory reads at the addresses the core itself names (segment and
// mapping edges, each thread's pc and stack), before and after a path substitution (reads
// that fall back to mapped files on this machine go through the fd cache). A crash, hang or
// leak is a bug; a refusal (NULL with a reason) or warnings are fine.
//   scripts/fuzz.sh 600 core      (builds with clang -fsanitize=fuzzer,address,undefined)
#include <elf.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "native/core.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint8_t fz_buf[4096];

static void fz_read_around(CoreFile *cf, uint64_t addr)
{
    core_read(cf, addr, fz_buf, 64);
    core_read(cf, addr - 16, fz_buf, 48);
    core_read(cf, addr, fz_buf, sizeof fz_buf);
    core_saved(cf, addr);
    const CoreMapping *m = core_mapping_at(cf, addr);
    if (m && (addr < m->start || addr >= m->end)) abort();     // the look-up's contract
}

static void fz_reads(CoreFile *cf)
{
    for (size_t i = 0; i < core_nthreads(cf) && i < 64; i++) {
        const CoreThread *t = core_thread(cf, i);
        if (!t || core_thread_by_tid(cf, t->tid) == NULL) abort();
        fz_read_around(cf, t->regs.rip);
        fz_read_around(cf, t->regs.rsp);
        fz_read_around(cf, t->regs.rbp);
    }
    for (size_t i = 0; i < core_nmappings(cf) && i < 128; i++) {
        const CoreMapping *m = core_mapping(cf, i);
        if (!m || m->end <= m->start || !m->path) abort();
        if (core_mapping_at(cf, m->start) != m) abort();
        fz_read_around(cf, m->start);
        fz_read_around(cf, m->end - 1);
        fz_read_around(cf, m->start + (m->end - m->start) / 2);
        char local[256];
        core_local_path(cf, m->path, local, sizeof local);
    }
    uint64_t v;
    if (core_auxv(cf, AT_ENTRY, &v)) fz_read_around(cf, v);
    if (core_auxv(cf, AT_PHDR, &v)) fz_read_around(cf, v);
    if (core_auxv(cf, AT_SYSINFO_EHDR, &v)) fz_read_around(cf, v);
    fz_read_around(cf, 0);
    fz_read_around(cf, UINT64_MAX - 8);
    CoreSigInfo si = core_siginfo(cf);
    if (si.valid) fz_read_around(cf, si.addr);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[256];
    CoreFile *cf = core_open_mem(data, size, err, sizeof err);
    if (!cf) {
        if (!err[0]) abort();                 // a refusal always says why
        return 0;
    }
    (void)core_warnings(cf);
    (void)core_pid(cf);
    if (strlen(core_comm(cf)) > 16 || strlen(core_args(cf)) > 80) abort();
    fz_reads(cf);
    // The same reads with the files looked up elsewhere (none there: reads stop early).
    if (core_map_path(cf, "/", "/nonexistent-cordbg-fuzz/") == 0) fz_reads(cf);
    core_close(cf);
    return 0;
}
