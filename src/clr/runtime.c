/* Runtime discovery from /proc/PID/maps, DOTNET_ROOT and `dotnet --list-runtimes`. */
#include "clr/runtime.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void set_dir_and_version(ClrRuntimeInfo *out, const char *lib_path)
{
    snprintf(out->dir, sizeof out->dir, "%s", lib_path);
    char *slash = strrchr(out->dir, '/');
    if (slash) *slash = 0;
    const char *ver = strrchr(out->dir, '/');
    snprintf(out->version, sizeof out->version, "%s", ver ? ver + 1 : out->dir);
}

int clr_runtime_of_pid(int pid, ClrRuntimeInfo *out)
{
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/maps", pid);
    FILE *f = fopen(path, "re");
    if (!f) {
        int e = errno;
        snprintf(path, sizeof path, "/proc/%d", pid);
        struct stat st;
        if (stat(path, &st) != 0) return -ESRCH;
        return -e;
    }
    memset(out, 0, sizeof *out);
    char line[4096];
    int found = -ENOENT;
    while (fgets(line, sizeof line, f)) {
        unsigned long long lo, off;
        int name_at = 0;
        if (sscanf(line, "%llx-%*x %*s %llx %*s %*s %n", &lo, &off, &name_at) < 2 || !name_at)
            continue;
        char *name = line + name_at;
        name[strcspn(name, "\n")] = 0;
        const char *base = strrchr(name, '/');
        if (!base || strcmp(base + 1, "libcoreclr.so") != 0 || off != 0) continue;
        out->coreclr_base = lo;
        set_dir_and_version(out, name);
        found = 0;
        break;
    }
    fclose(f);
    return found;
}

/* Newest version folder under DIR by a numeric, dotted comparison. */
static int newest_version_in(const char *dir, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d) return -ENOENT;
    char best[256] = "";
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
        if (!best[0] || strverscmp(e->d_name, best) > 0)
            snprintf(best, sizeof best, "%s", e->d_name);
    }
    closedir(d);
    if (!best[0]) return -ENOENT;
    snprintf(out, cap, "%s/%s", dir, best);
    return 0;
}

int clr_default_runtime_dir(char *dir, size_t cap)
{
    const char *root = getenv("DOTNET_ROOT");
    char buf[1024];
    if (root && *root) {
        snprintf(buf, sizeof buf, "%s/shared/Microsoft.NETCore.App", root);
        if (newest_version_in(buf, dir, cap) == 0) return 0;
    }
    /* Lines look like: Microsoft.NETCore.App 10.0.12 [/usr/share/dotnet/shared/Microsoft.NETCore.App] */
    FILE *p = popen("dotnet --list-runtimes 2>/dev/null", "r");
    if (!p) return -ENOENT;
    char best_ver[64] = "", best_dir[sizeof buf] = "";
    while (fgets(buf, sizeof buf, p)) {
        char name[128], ver[64], where[900];
        if (sscanf(buf, "%127s %63s [%899[^]]]", name, ver, where) != 3) continue;
        if (strcmp(name, "Microsoft.NETCore.App") != 0) continue;
        if (!best_ver[0] || strverscmp(ver, best_ver) > 0) {
            snprintf(best_ver, sizeof best_ver, "%s", ver);
            snprintf(best_dir, sizeof best_dir, "%s/%s", where, ver);
        }
    }
    pclose(p);
    if (!best_dir[0]) return -ENOENT;
    snprintf(dir, cap, "%s", best_dir);
    return 0;
}

int clr_process_start_key(int pid, unsigned long long *key)
{
    char path[64], buf[2048];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    if (n <= 0) return -EIO;
    buf[n] = 0;
    /* comm (field 2) may hold spaces and parentheses: count fields after the last ')'. */
    char *p = strrchr(buf, ')');
    if (!p) return -EIO;
    p++;
    for (int field = 3; field <= 22; field++) {
        while (*p == ' ') p++;
        if (!*p) return -EIO;
        if (field == 22) {
            char *end;
            errno = 0;
            *key = strtoull(p, &end, 10);
            return (end == p || errno) ? -EIO : 0;
        }
        while (*p && *p != ' ') p++;
    }
    return -EIO;
}

int clr_has_debug_pipe(int pid, const char *tmpdir)
{
    unsigned long long key;
    if (clr_process_start_key(pid, &key) != 0) return 0;
    if (!tmpdir || !*tmpdir) tmpdir = getenv("TMPDIR");
    if (!tmpdir || !*tmpdir) tmpdir = "/tmp";
    char path[1024];
    size_t len = strlen(tmpdir);
    snprintf(path, sizeof path, "%s%sclr-debug-pipe-%d-%llu-in", tmpdir,
             len && tmpdir[len - 1] == '/' ? "" : "/", pid, key);
    struct stat st;
    return stat(path, &st) == 0 && S_ISFIFO(st.st_mode);
}

static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }

int clr_file_is_assembly(const char *path)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -errno;
    unsigned char h[1024];
    ssize_t n = pread(fd, h, sizeof h, 0);
    close(fd);
    if (n < 0x40 || h[0] != 'M' || h[1] != 'Z') return 0;
    uint32_t pe = le32(h + 0x3c);
    if (pe > (uint32_t)n - 24 || memcmp(h + pe, "PE\0\0", 4) != 0) return 0;
    const unsigned char *opt = h + pe + 24;
    uint16_t opt_size = le16(h + pe + 20);
    if ((size_t)(opt - h) + 2 > (size_t)n) return 0;
    uint16_t magic = le16(opt);
    size_t dd_off = magic == 0x20b ? 112 : magic == 0x10b ? 96 : 0;
    if (!dd_off) return 0;
    /* Data directory 14 is the CLI header; each entry is 8 bytes (RVA, size). */
    size_t cli = dd_off + 14 * 8;
    if (cli + 8 > opt_size || (size_t)(opt - h) + cli + 8 > (size_t)n) return 0;
    uint32_t num_dirs = le32(opt + dd_off - 4);
    if (num_dirs <= 14) return 0;
    return le32(opt + cli) != 0 && le32(opt + cli + 4) != 0;
}

static int cmp_int(const void *a, const void *b)
{
    int x = *(const int *)a, y = *(const int *)b;
    return (x > y) - (x < y);
}

int clr_list_processes(void (*fn)(void *ctx, const ClrProcessInfo *p), void *ctx)
{
    DIR *d = opendir("/proc");
    if (!d) return 0;
    int *pids = NULL;
    size_t n = 0, cap = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        char *end;
        long pid = strtol(e->d_name, &end, 10);
        if (*end || pid <= 0 || pid == getpid()) continue;
        if (n == cap) {
            size_t ncap = cap ? cap * 2 : 256;
            int *p = realloc(pids, ncap * sizeof *p);
            if (!p) break;
            pids = p;
            cap = ncap;
        }
        pids[n++] = (int)pid;
    }
    closedir(d);
    qsort(pids, n, sizeof *pids, cmp_int);
    int count = 0;
    for (size_t i = 0; i < n; i++) {
        ClrRuntimeInfo rt;
        if (clr_runtime_of_pid(pids[i], &rt) != 0) continue;
        ClrProcessInfo info = { .pid = pids[i] };
        snprintf(info.version, sizeof info.version, "%s", rt.version);
        char path[64];
        snprintf(path, sizeof path, "/proc/%d/cmdline", pids[i]);
        int fd = open(path, O_RDONLY | O_CLOEXEC);
        if (fd >= 0) {
            ssize_t len = read(fd, info.cmdline, sizeof info.cmdline - 1);
            close(fd);
            if (len > 0) {
                for (ssize_t k = 0; k < len; k++) if (!info.cmdline[k]) info.cmdline[k] = ' ';
                while (len && info.cmdline[len - 1] == ' ') len--;
                info.cmdline[len] = 0;
            }
        }
        fn(ctx, &info);
        count++;
    }
    free(pids);
    return count;
}
