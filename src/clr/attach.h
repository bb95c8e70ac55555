/* Before cordbg touches a process's debugger transport: why it must not (no such process,
 * permission, debugging turned off, another debugger holds it, not .NET), and waiting for a
 * runtime that has not started yet. Pure /proc and filesystem reading; called from one thread. */
#ifndef CORDBG_CLR_ATTACH_H
#define CORDBG_CLR_ATTACH_H
#include <stddef.h>
#include "clr/runtime.h"

/* 0 when nothing known stands in the way of attaching to PID; else -errno-like status and a
 * one-line reason in why: no such process, exited (a zombie), another user's process,
 * debugging turned off by DOTNET_EnableDiagnostics(_Debugger)=0, a ptrace tracer (TracerPid),
 * another process holding the runtime's debugger pipes. native: the check for a native
 * attach (only the process and tracer checks apply). */
int clr_attach_check(int pid, int native, char *why, size_t cap);

/* The holder part of clr_attach_check alone: -EBUSY and why when another process holds
 * PID's debugger pipes, else 0. */
int clr_attach_check_holder(int pid, char *why, size_t cap);

/* Another process (not PID itself) with PID's clr-debug-pipe FIFOs open as a debugger opens
 * them (-in for writing, -out for reading; a child that inherited the runtime's own
 * descriptors does not count): its pid and name
 * (comm); 0 when none. */
int clr_debug_pipe_holder(int pid, char *name, size_t cap);

/* Wait until PID's runtime is up with its debugger transport and runs the program, up to
 * limit_ms. note(ctx, text) is called once when the wait is noticeable.
 * 0 and *rt filled, or nonzero with a reason in why (not .NET, exited first, ...). */
int clr_attach_wait_runtime(int pid, int limit_ms, ClrRuntimeInfo *rt,
                            void (*note)(void *ctx, const char *text), void *ctx,
                            char *why, size_t cap);

/* A process that has no runtime and shows no sign of the dotnet host (its executable is
 * not one, none of its libraries is mapped): not .NET, said at once (-ENOENT and why);
 * else 0 (it may still become one: wait for it). */
int clr_attach_not_dotnet(int pid, char *why, size_t cap);

#endif
