/* Finding the .NET runtime that a process runs on, and what cordbg needs of it.
 * Pure /proc and filesystem reading; no state. Thread-safe. */
#ifndef CORDBG_CLR_RUNTIME_H
#define CORDBG_CLR_RUNTIME_H
#include <stddef.h>
#include <stdint.h>

/* What /proc/PID/maps says about the runtime loaded in a process. */
typedef struct ClrRuntimeInfo {
    char     dir[512];      /* folder of libcoreclr.so (holds libmscordbi.so, libmscordaccore.so) */
    char     version[64];   /* the folder's last component, e.g. "10.0.12"; of a self-contained
                             * program (its own folder), its runtimeconfig's version */
    uint64_t coreclr_base;  /* start of the libcoreclr.so mapping at file offset 0 */
} ClrRuntimeInfo;

/* 0 when PID has libcoreclr.so mapped and *out is filled; -ENOENT when the process
 * exists but has no runtime (not a .NET process, or not started yet); -ESRCH when
 * there is no such process; other -errno when /proc cannot be read (-EACCES). */
int clr_runtime_of_pid(int pid, ClrRuntimeInfo *out);

/* A runtime folder found without a target: $DOTNET_ROOT/shared/Microsoft.NETCore.App/<newest>,
 * else the newest of `dotnet --list-runtimes`. 0 or -ENOENT. */
int clr_default_runtime_dir(char *dir, size_t cap);

/* Before a launch: can the runtime PROGRAM needs be found? Reads PROGRAM's
 * <name>.runtimeconfig.json (PROGRAM minus ".dll", or the apphost's name). A self-contained
 * program (includedFrameworks) needs libcoreclr.so in its own folder; a framework-dependent
 * one needs each framework it names, at a version its roll-forward policy (rollForward in
 * the file, DOTNET_ROLL_FORWARD: the more permissive wins) accepts, under the install
 * folder that will run it: via_muxer (a .dll run by `dotnet`): the folder of `dotnet` on
 * PATH; an apphost: DOTNET_ROOT_X64 or DOTNET_ROOT (env_set, "NAME=VALUE" entries the
 * target gets, first; then cordbg's own environment), /etc/dotnet/install_location, else
 * /usr/share/dotnet (when that has no install, the apphost may search elsewhere: no check).
 * 0 when found or when nothing can be told (no or unreadable file);
 * -1 with one line in err naming the framework and version needed and where it was
 * looked for. */
int clr_check_program_runtime(const char *program, int via_muxer, char *const *env_set,
                              char *err, size_t cap);

/* The major version of the framework PROGRAM targets ("tfm": "net8.0" in its
 * runtimeconfig.json: 8); 0 when it cannot be told. */
int clr_program_tfm_major(const char *program);

/* The debugger transport of a runtime: its FIFOs $TMPDIR/clr-debug-pipe-PID-KEY-in exist.
 * tmpdir is the target's TMPDIR (NULL: cordbg's own). 1 yes, 0 no. */
int clr_has_debug_pipe(int pid, const char *tmpdir);

/* The target's disambiguation key: field 22 (starttime) of /proc/PID/stat. 0 or -errno. */
int clr_process_start_key(int pid, unsigned long long *key);

/* Is the file at PATH a PE image with a CLI header (a .NET assembly)? 1 yes, 0 no,
 * -errno when it cannot be read. Checks the headers only. */
int clr_file_is_assembly(const char *path);



/* The .NET processes this user can debug (libcoreclr.so mapped, /proc readable). */
typedef struct ClrProcessInfo {
    int  pid;
    char version[64];
    char cmdline[512];
} ClrProcessInfo;

/* Calls fn for each one, in pid order; returns how many. */
int clr_list_processes(void (*fn)(void *ctx, const ClrProcessInfo *p), void *ctx);
#endif
