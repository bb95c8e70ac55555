// log.h — developer diagnostics to stderr (or CORDBG_LOG_FILE); never user-facing output.
// Thread-safe: each line is one write(). Process-wide state: one static atomic word holding
// the level, log fd and start time (set by log_init_from_env) — the only such state in cordbg.
#ifndef CORDBG_BASE_LOG_H
#define CORDBG_BASE_LOG_H

typedef enum { LOG_ERROR, LOG_WARN, LOG_INFO, LOG_DEBUG, LOG_TRACE } LogLevel;

// Reads CORDBG_LOG (error|warn|info|debug|trace, default warn) and CORDBG_LOG_FILE (appended
// to; stderr if unset or unopenable). Call once at start-up, before other threads log.
// Until it is called the level is warn, output goes to stderr and times count from boot.
void log_init_from_env(void);

// Sends lines at lvl or above (or at the level already set, if that is more verbose) to fd
// from now on; returns the setting it replaces, for log_restore. fd must stay open (writes
// may race the change): a pipe's write end is best made O_NONBLOCK, so that a full pipe drops
// lines rather than blocking the thread that logs.
unsigned long long log_redirect(int fd, LogLevel lvl);
void log_restore(unsigned long long saved);

// Nonzero if messages at lvl are written; use it to skip building costly messages.
int log_enabled(LogLevel lvl);

// Writes "<elapsed ms> <tid> <LEVEL> <subsys>: <message>\n". Keeps errno unchanged, so it is
// safe between a failing call and reading errno. Overlong messages are truncated.
void log_msg(LogLevel lvl, const char *subsys, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
