/* ELF core dumps (x86-64 Linux), read and written for post-mortem debugging.
 *
 * Reading: the program headers (PT_LOAD: the memory saved; PT_NOTE: NT_PRSTATUS and
 * NT_FPREGSET per thread, NT_PRPSINFO, NT_SIGINFO, NT_AUXV, NT_FILE) of a core written by
 * the kernel, by the runtime's createdump (DOTNET_DbgEnableMiniDump, dotnet-dump collect)
 * or by cordbg (core_write). Memory a core does not hold but a file mapping covers (the
 * kernel leaves out read-only file mappings: code, the runtime's libraries) is read from
 * that file on this machine, as NT_FILE names it (through core_map_path's substitutions).
 * Every length and offset in the file is checked: a truncated or corrupt core opens with
 * what is sound (core_warnings says what was dropped) or fails with a reason; it never
 * crashes. One owner thread; nothing here is shared.
 *
 * Writing: core_write makes a core of a live process from /proc/PID/maps and the caller's
 * memory reader and thread registers: one PT_LOAD per readable mapping (file mappings too:
 * the core stands alone), the notes above. */
#ifndef CORDBG_NATIVE_CORE_H
#define CORDBG_NATIVE_CORE_H
#include <stddef.h>
#include <stdint.h>
#include "native/nt.h"          /* NtRegs */

typedef struct CoreFile CoreFile;

typedef struct CoreThread {
    int      tid;
    int      signo;             /* pr_cursig: the signal it was handling (0: none) */
    int      has_fpregs;        /* regs' FP/SSE part came from NT_FPREGSET */
    NtRegs   regs;
} CoreThread;

typedef struct CoreMapping {
    uint64_t start, end;        /* [start, end) */
    uint64_t offset;            /* file offset in bytes */
    const char *path;           /* as NT_FILE names it ("/usr/lib/.../libcoreclr.so") */
} CoreMapping;

typedef struct CoreSigInfo {
    int      signo, code, errno_;
    uint64_t addr;              /* si_addr for SIGSEGV/SIGBUS/SIGFPE/SIGILL */
    int      valid;             /* an NT_SIGINFO note was there */
} CoreSigInfo;

/* Open a core file. NULL with a one-line reason in err when it is not an x86-64 ELF core or
 * nothing usable is left of it. */
CoreFile *core_open(const char *path, char *err, size_t cap);
/* The same over bytes in memory (copied; the fuzzer's entry). */
CoreFile *core_open_mem(const void *data, size_t len, char *err, size_t cap);
void      core_close(CoreFile *cf);

/* What was dropped while opening ("truncated: 12 of 40 memory segments lie past the end
 * of the file"), one line each; "" when the core is sound. */
const char *core_warnings(const CoreFile *cf);

/* The process: its pid (NT_PRPSINFO, else the first thread's tid), program name (comm,
 * "" when unknown) and command line (arguments space-separated, "" when unknown). */
int         core_pid(const CoreFile *cf);
const char *core_comm(const CoreFile *cf);
const char *core_args(const CoreFile *cf);
/* The signal that ended it (NT_SIGINFO; else the first thread's pr_cursig in signo). */
CoreSigInfo core_siginfo(const CoreFile *cf);

/* Threads in note order (the kernel writes the crashing thread first). */
size_t            core_nthreads(const CoreFile *cf);
const CoreThread *core_thread(const CoreFile *cf, size_t i);
const CoreThread *core_thread_by_tid(const CoreFile *cf, int tid);

/* File mappings (NT_FILE), in address order. */
size_t             core_nmappings(const CoreFile *cf);
const CoreMapping *core_mapping(const CoreFile *cf, size_t i);
/* The mapping holding addr, or NULL. */
const CoreMapping *core_mapping_at(const CoreFile *cf, uint64_t addr);

/* Files named under FROM (a path prefix) are read from TO instead (a runtime installed at
 * another place here, a program's build output moved). Later pairs win. 0 or -ENOMEM. */
int core_map_path(CoreFile *cf, const char *from, const char *to);
/* Where a mapping's file is read from here (after substitutions); its file exists and is
 * readable when the return is 1, else 0 (out still filled). */
int core_local_path(const CoreFile *cf, const char *path, char *out, size_t cap);

/* Auxiliary vector entry TYPE (AT_*): 1 and *val, or 0. */
int core_auxv(const CoreFile *cf, uint64_t type, uint64_t *val);

/* Read len bytes at addr: from the core's segments, else from the file a mapping names.
 * Returns how many bytes from addr on were readable (len: all). Bytes not readable are
 * left as they were in buf. */
size_t core_read(CoreFile *cf, uint64_t addr, void *buf, size_t len);
/* 1 when addr is in memory the core saved (not only a file mapping's range). */
int    core_saved(const CoreFile *cf, uint64_t addr);

/* The ELF header of an x86-64 core with nothing but its identity (e_ident, type, machine,
 * version, e_ehsize) into out (an Elf64_Ehdr, 64 bytes): what the writer starts from, and
 * what libdwfl is given to know the architecture of a process it unwinds. */
void core_elf_header(void *out);

/* Writing a core of live process PID to path. read reads its memory (0, or -1 when
 * unreadable: that mapping is left out); threads are its threads with their registers,
 * the one that stopped first first. 0, or -1 with err. */
typedef int (*CoreReadFn)(void *ctx, uint64_t addr, void *buf, size_t len);
int core_write(const char *path, int pid, const CoreThread *threads, size_t nthreads,
               CoreReadFn read, void *ctx, char *err, size_t cap);

#endif
