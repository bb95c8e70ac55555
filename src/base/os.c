// os.c — Linux helpers over /proc and POSIX calls; every read is bounded by its caller's cap.
#include "base/os.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int os_read_file(const char *path, size_t max, char **out, size_t *out_len) {
    *out = NULL;
    if (out_len)
        *out_len = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -errno;
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int e = errno;
        close(fd);
        return -e;
    }
    if (S_ISDIR(st.st_mode)) {
        close(fd);
        return -EISDIR;
    }
    // Read up to max + 1 bytes: one byte past the limit is how "too big" is detected when
    // st_size is not to be trusted (/proc, growing files).
    size_t limit = max == SIZE_MAX ? SIZE_MAX - 1 : max + 1;
    if (S_ISREG(st.st_mode) && st.st_size > 0 && (uint64_t)st.st_size > max) {
        close(fd);
        return -EFBIG;
    }
    size_t cap = S_ISREG(st.st_mode) && st.st_size > 0 ? (size_t)st.st_size + 1 : 4096;
    if (cap > limit)
        cap = limit;
    char *buf = NULL;
    size_t len = 0;
    int err = 0;
    for (;;) {
        if (!buf || len == cap) {
            if (buf) {
                if (cap == limit) {
                    err = -EFBIG;
                    break;
                }
                cap = cap > limit / 2 ? limit : cap * 2;
            }
            char *nb = realloc(buf, cap + 1);   // +1 for the NUL
            if (!nb) {
                err = -ENOMEM;
                break;
            }
            buf = nb;
        }
        ssize_t r = read(fd, buf + len, cap - len);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            err = -errno;
            break;
        }
        if (r == 0)
            break;
        len += (size_t)r;
    }
    close(fd);
    if (!err && len > max)
        err = -EFBIG;
    if (err) {
        free(buf);
        return err;
    }
    buf[len] = '\0';
    *out = buf;
    if (out_len)
        *out_len = len;
    return 0;
}

int os_write_all(int fd, const void *buf, size_t n) {
    const char *p = buf;
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int os_read_full(int fd, void *buf, size_t n) {
    char *p = buf;
    while (n) {
        ssize_t r = read(fd, p, n);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0) {
            if (r == 0)
                errno = 0;
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

int os_read_link(const char *path, char *buf, size_t cap) {
    if (cap == 0)
        return -ENAMETOOLONG;
    ssize_t n = readlink(path, buf, cap);
    if (n < 0) {
        buf[0] = '\0';
        return -errno;
    }
    if ((size_t)n >= cap) {   // readlink does not say when it truncated
        buf[0] = '\0';
        return -ENAMETOOLONG;
    }
    buf[n] = '\0';
    return 0;
}

uint64_t os_monotonic_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int copy_field(char *buf, size_t cap, const char *s, size_t n) {
    if (n >= cap) {
        if (cap)
            buf[0] = '\0';
        return -ERANGE;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    return 0;
}

int os_proc_stat_field(int pid, int field, char *buf, size_t cap) {
    if (cap)
        buf[0] = '\0';
    if (pid <= 0 || field < 1)
        return -EINVAL;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    char *text;
    size_t len;
    int rc = os_read_file(path, 64 * 1024, &text, &len);
    if (rc < 0)
        return rc;
    // "pid (comm) state ppid ...": comm is whatever lies between the first '(' and the last ')'.
    const char *open = memchr(text, '(', len);
    const char *close_ = memrchr(text, ')', len);
    if (!open || !close_ || close_ < open) {
        free(text);
        return -EINVAL;
    }
    if (field == 1) {
        const char *e = open;
        while (e > text && e[-1] == ' ')
            e--;
        rc = copy_field(buf, cap, text, (size_t)(e - text));
    } else if (field == 2) {
        rc = copy_field(buf, cap, open + 1, (size_t)(close_ - open - 1));
    } else {
        const char *p = close_ + 1, *end = text + len;
        rc = -EINVAL;
        for (int f = 3; p < end; f++) {
            while (p < end && (*p == ' ' || *p == '\n'))
                p++;
            const char *s = p;
            while (p < end && *p != ' ' && *p != '\n')
                p++;
            if (p == s)
                break;
            if (f == field) {
                rc = copy_field(buf, cap, s, (size_t)(p - s));
                break;
            }
        }
    }
    free(text);
    return rc;
}

int os_proc_exists(int pid) {
    if (pid <= 0)
        return 0;   // kill(0 or -n) would address process groups
    return kill(pid, 0) == 0 || errno == EPERM;
}

int os_pid_cmdline(int pid, char *buf, size_t cap) {
    if (cap == 0)
        return -ERANGE;
    buf[0] = '\0';
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
    char *text;
    size_t len;
    // Linux caps what it shows of the argument area at a page for old kernels; 1 MiB is plenty.
    int rc = os_read_file(path, 1 << 20, &text, &len);
    if (rc < 0)
        return rc;
    while (len > 0 && text[len - 1] == '\0')
        len--;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\0')
            text[i] = ' ';
    size_t n = len < cap - 1 ? len : cap - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    free(text);
    return 0;
}

int os_pid_exe(int pid, char *buf, size_t cap) {
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/exe", pid);
    return os_read_link(path, buf, cap);
}

int os_mkdir_p(const char *path, mode_t mode) {
    char tmp[PATH_MAX];
    size_t len = strlen(path);
    if (len == 0)
        return -ENOENT;
    if (len >= sizeof tmp)
        return -ENAMETOOLONG;
    memcpy(tmp, path, len + 1);
    // Create each prefix ending before a '/', then the whole path.
    for (size_t i = 1; i <= len; i++) {
        if (tmp[i] != '/' && tmp[i] != '\0')
            continue;
        if (tmp[i - 1] == '/')
            continue;   // "a//b" or trailing '/'
        char saved = tmp[i];
        tmp[i] = '\0';
        if (mkdir(tmp, mode) < 0) {
            int e = errno;
            if (e != EEXIST)
                return -e;
            struct stat st;
            if (stat(tmp, &st) < 0)
                return -errno;
            if (!S_ISDIR(st.st_mode))
                return -ENOTDIR;
        }
        tmp[i] = saved;
    }
    return 0;
}

const char *os_tmpdir(void) {
    // Per-thread so callers on different threads never see each other's copy.
    static _Thread_local char dir[PATH_MAX];
    const char *env = getenv("TMPDIR");
    size_t n = env ? strlen(env) : 0;
    if (n == 0 || n >= sizeof dir)
        return "/tmp";
    while (n > 1 && env[n - 1] == '/')
        n--;
    memcpy(dir, env, n);
    dir[n] = '\0';
    return dir;
}
