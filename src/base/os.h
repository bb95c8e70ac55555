// os.h — small Linux helpers: whole-file reads, /proc queries, clocks, directories.
// Stateless and thread-safe except os_tmpdir (see there). Return 0 or -errno unless noted.
#ifndef CORDBG_BASE_OS_H
#define CORDBG_BASE_OS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

// Reads all of path into a malloc'ed, NUL-terminated buffer (*out; free() it) of *out_len
// bytes (the NUL not counted). Works for /proc files whose st_size is 0. A file longer than
// max bytes gives -EFBIG and no buffer. out_len may be NULL.
int os_read_file(const char *path, size_t max, char **out, size_t *out_len);

// All n bytes written to / read from fd, retrying after EINTR and short transfers. 0, or -1
// (errno set; for a read, end of file before n bytes leaves errno 0). Async-signal-safe.
int os_write_all(int fd, const void *buf, size_t n);
int os_read_full(int fd, void *buf, size_t n);

// readlink() into buf, NUL-terminated. -ENAMETOOLONG if the target does not fit.
int os_read_link(const char *path, char *buf, size_t cap);

uint64_t os_monotonic_ns(void);   // CLOCK_MONOTONIC in nanoseconds

// Field `field` (1-based, as in proc(5)) of /proc/PID/stat into buf. Field 2 (comm) is given
// without its parentheses; comm may hold spaces and ')' so fields 3+ are counted from the
// LAST ')'. Field 22 is starttime (clock ticks after boot; with the pid it names a process
// uniquely across pid reuse). -ENOENT no such process, -EINVAL no such field, -ERANGE buf
// too small.
int os_proc_stat_field(int pid, int field, char *buf, size_t cap);

// 1 if a process (or thread) with this id exists — zombies included — else 0.
int os_proc_exists(int pid);

// /proc/PID/cmdline with its NUL separators turned into spaces (no trailing space); empty for
// kernel threads and zombies. Truncated to fit buf (cap > 0), which is not an error.
int os_pid_cmdline(int pid, char *buf, size_t cap);

// Target of /proc/PID/exe (the kernel appends " (deleted)" if the file was removed).
int os_pid_exe(int pid, char *buf, size_t cap);

// mkdir -p: creates missing parents with mode; an existing directory is success.
int os_mkdir_p(const char *path, mode_t mode);

// $TMPDIR (if set and non-empty, used as-is like the PAL does) else "/tmp", without trailing slashes. The runtime's
// PAL appends a '/' to TMPDIR itself; callers join with "/". The string is copied into a
// per-thread buffer, valid until the next call on the same thread.
const char *os_tmpdir(void);

#endif
