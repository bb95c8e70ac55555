// log.c — line-at-a-time diagnostics.
//
// All configuration is packed into one 64-bit atomic so readers on any thread see a complete,
// consistent setting without locks, and a repeated init never tears it:
//   bits  0..3   level + 1 (0 = never initialised -> LOG_WARN)
//   bits  4..19  log fd + 1 (0 = stderr); an fd that does not fit falls back to stderr
//   bits 20..63  start time, CLOCK_MONOTONIC milliseconds (44 bits: ~557 years of uptime)
#include "base/log.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "base/os.h"

static _Atomic uint64_t log_config;

#define CFG_LEVEL(c)  ((unsigned)((c) & 0xF))
#define CFG_FD(c)     ((unsigned)(((c) >> 4) & 0xFFFF))
#define CFG_START(c)  ((c) >> 20)
#define FD_LIMIT      0xFFFEu

static const char *const level_names[] = { "error", "warn", "info", "debug", "trace" };
static const char *const level_tags[]  = { "ERROR", "WARN ", "INFO ", "DEBUG", "TRACE" };

static LogLevel cfg_level(uint64_t c) {
    return CFG_LEVEL(c) ? (LogLevel)(CFG_LEVEL(c) - 1) : LOG_WARN;
}

static int cfg_fd(uint64_t c) {
    return CFG_FD(c) ? (int)CFG_FD(c) - 1 : STDERR_FILENO;
}

void log_init_from_env(void) {
    LogLevel lvl = LOG_WARN;
    int bad_level = 0;
    const char *env = getenv("CORDBG_LOG");
    if (env && *env) {
        bad_level = 1;
        for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
            if (strcasecmp(env, level_names[i]) == 0) {
                lvl = (LogLevel)i;
                bad_level = 0;
            }
        }
    }
    unsigned fdfield = 0;
    int open_err = 0;
    const char *path = getenv("CORDBG_LOG_FILE");
    if (path && *path) {
        // The fd is never closed: another thread may be writing to it at any moment.
        int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
        if (fd < 0) {
            open_err = errno;
        } else if ((unsigned)fd >= FD_LIMIT) {
            close(fd);
            open_err = EMFILE;
        } else {
            fdfield = (unsigned)fd + 1;
        }
    }
    uint64_t start_ms = (os_monotonic_ns() / 1000000u) & ((UINT64_C(1) << 44) - 1);
    uint64_t c = (uint64_t)(lvl + 1) | ((uint64_t)fdfield << 4) | (start_ms << 20);
    atomic_store_explicit(&log_config, c, memory_order_release);

    if (bad_level)
        log_msg(LOG_WARN, "log", "CORDBG_LOG=%s not understood (error|warn|info|debug|trace); "
                "using warn", env);
    if (open_err)
        log_msg(LOG_WARN, "log", "cannot open CORDBG_LOG_FILE %s: %s; logging to stderr",
                path, strerror(open_err));
}

unsigned long long log_redirect(int fd, LogLevel lvl) {
    uint64_t old = atomic_load_explicit(&log_config, memory_order_acquire);
    if (fd < 0 || (unsigned)fd >= FD_LIMIT)
        return old;
    if (cfg_level(old) > lvl)
        lvl = cfg_level(old);
    uint64_t start = CFG_START(old) ? CFG_START(old)
                   : (os_monotonic_ns() / 1000000u) & ((UINT64_C(1) << 44) - 1);
    uint64_t c = (uint64_t)(lvl + 1) | ((uint64_t)((unsigned)fd + 1) << 4) | (start << 20);
    atomic_store_explicit(&log_config, c, memory_order_release);
    return old;
}

void log_restore(unsigned long long saved) {
    atomic_store_explicit(&log_config, (uint64_t)saved, memory_order_release);
}

int log_enabled(LogLevel lvl) {
    uint64_t c = atomic_load_explicit(&log_config, memory_order_relaxed);
    return lvl <= cfg_level(c);
}

void log_msg(LogLevel lvl, const char *subsys, const char *fmt, ...) {
    uint64_t c = atomic_load_explicit(&log_config, memory_order_acquire);
    if (lvl > cfg_level(c) || (unsigned)lvl > LOG_TRACE)
        return;
    int saved = errno;

    uint64_t now_us = os_monotonic_ns() / 1000u;
    uint64_t start_us = CFG_START(c) * 1000u;
    uint64_t el = now_us >= start_us ? now_us - start_us : 0;

    // One buffer, one write(): lines from different threads never interleave (a write of
    // up to PIPE_BUF bytes to a pipe is atomic; O_APPEND files take each write whole).
    char line[4096];
    int p = snprintf(line, sizeof line, "%6llu.%03u %d %s %s: ",
                     (unsigned long long)(el / 1000u), (unsigned)(el % 1000u), (int)gettid(),
                     level_tags[lvl], subsys ? subsys : "-");
    size_t len = p < 0 ? 0 : (size_t)p;
    if (len > sizeof line - 2)
        len = sizeof line - 2;
    va_list ap;
    va_start(ap, fmt);
    int m = vsnprintf(line + len, sizeof line - 1 - len, fmt, ap);
    va_end(ap);
    if (m > 0) {
        size_t room = sizeof line - 2 - len;   // what vsnprintf could store before its NUL
        if ((size_t)m > room) {
            len += room;
            memcpy(line + len - 3, "...", 3);
        } else {
            len += (size_t)m;
        }
    }
    line[len++] = '\n';

    int fd = cfg_fd(c);
    (void)os_write_all(fd, line, len);   // nowhere better to report a failing log
    errno = saved;
}
