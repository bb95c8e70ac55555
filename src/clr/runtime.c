/* Runtime discovery from /proc/PID/maps, DOTNET_ROOT and `dotnet --list-runtimes`. */
#include "clr/runtime.h"
#include "clr/launch.h"

#include <dirent.h>
#include <jansson.h>
#include <limits.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int self_contained_version(const char *dir, char *out, size_t cap);

static void set_dir_and_version(ClrRuntimeInfo *out, const char *lib_path)
{
    snprintf(out->dir, sizeof out->dir, "%s", lib_path);
    char *slash = strrchr(out->dir, '/');
    if (slash) *slash = 0;
    const char *ver = strrchr(out->dir, '/');
    ver = ver ? ver + 1 : out->dir;
    /* A shared runtime's folder is named by its version (shared/Microsoft.NETCore.App/8.0.31);
     * a self-contained program's is the program's own: its runtimeconfig.json says. */
    if ((*ver < '0' || *ver > '9') &&
        self_contained_version(out->dir, out->version, sizeof out->version) == 0)
        return;
    snprintf(out->version, sizeof out->version, "%s", ver);
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

/* ------------------------------------------------------------ runtime needed by a program */

/* The Microsoft.NETCore.App version a self-contained program in DIR was published with:
 * includedFrameworks of a *.runtimeconfig.json there. 0 or -ENOENT. */
static int self_contained_version(const char *dir, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    if (!d) return -ENOENT;
    int rc = -ENOENT;
    struct dirent *e;
    while (rc != 0 && (e = readdir(d))) {
        size_t n = strlen(e->d_name);
        static const char suffix[] = ".runtimeconfig.json";
        if (n <= sizeof suffix - 1 || strcmp(e->d_name + n - (sizeof suffix - 1), suffix) != 0) continue;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        json_error_t jerr;
        json_t *root = json_load_file(path, 0, &jerr);
        json_t *fxs = json_object_get(json_object_get(root, "runtimeOptions"), "includedFrameworks");
        for (size_t i = 0; rc != 0 && i < json_array_size(fxs); i++) {
            json_t *fx = json_array_get(fxs, i);
            const char *name = json_string_value(json_object_get(fx, "name"));
            const char *ver = json_string_value(json_object_get(fx, "version"));
            if (name && ver && strcmp(name, "Microsoft.NETCore.App") == 0) {
                snprintf(out, cap, "%s", ver);
                rc = 0;
            }
        }
        json_decref(root);
    }
    closedir(d);
    return rc;
}

/* Roll-forward policies, most restrictive first (as the host's roll_forward_option). */
enum { RF_DISABLE, RF_LATEST_PATCH, RF_MINOR, RF_LATEST_MINOR, RF_MAJOR, RF_LATEST_MAJOR };

static int roll_forward_of(const char *s)
{
    static const char *const names[] = { "Disable", "LatestPatch", "Minor", "LatestMinor",
                                          "Major", "LatestMajor" };
    for (int i = 0; s && i < (int)(sizeof names / sizeof *names); i++)
        if (strcasecmp(s, names[i]) == 0) return i;
    return -1;
}

static const char *roll_forward_name(int rf)
{
    static const char *const names[] = { "Disable", "LatestPatch", "Minor", "LatestMinor",
                                         "Major", "LatestMajor" };
    return rf >= 0 && rf <= RF_LATEST_MAJOR ? names[rf] : "?";
}

typedef struct { long v[3]; int pre; } FxVersion;

static int parse_fx_version(const char *s, FxVersion *out)
{
    memset(out, 0, sizeof *out);
    for (int i = 0; i < 3; i++) {
        char *end;
        if (*s < '0' || *s > '9') return -1;
        out->v[i] = strtol(s, &end, 10);
        s = end;
        if (i < 2) {
            if (*s != '.') return -1;
            s++;
        }
    }
    out->pre = *s == '-';
    return 0;
}

/* Does an installed version satisfy a requested one under policy rf? Only whether one
 * exists matters here (the host picks which), so "Minor" and "LatestMinor" accept the same
 * set. A pre-release is accepted only for a pre-release request, as the host does. */
static int fx_acceptable(const FxVersion *want, const FxVersion *have, int rf)
{
    if (have->pre && !want->pre) return 0;
    for (int i = 0; i < 3; i++) {
        if (have->v[i] > want->v[i]) break;
        if (have->v[i] < want->v[i]) return 0;
    }
    switch (rf) {
    case RF_DISABLE:
        return have->v[0] == want->v[0] && have->v[1] == want->v[1] && have->v[2] == want->v[2];
    case RF_LATEST_PATCH: return have->v[0] == want->v[0] && have->v[1] == want->v[1];
    case RF_MINOR: case RF_LATEST_MINOR: return have->v[0] == want->v[0];
    default: return 1;
    }
}

/* A variable of the target's environment: env_set first, then cordbg's own. */
static const char *target_env(char *const *env_set, const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; env_set && env_set[i]; i++)
        if (strncmp(env_set[i], name, n) == 0 && env_set[i][n] == '=') return env_set[i] + n + 1;
    return getenv(name);
}

/* The install folder an apphost will take its frameworks from, and how it was chosen. */
static void apphost_root(char *const *env_set, char *root, size_t cap, const char **why)
{
    static const char *const vars[] = { "DOTNET_ROOT_X64", "DOTNET_ROOT" };
    for (size_t i = 0; i < 2; i++) {
        const char *v = target_env(env_set, vars[i]);
        if (v && *v) {
            snprintf(root, cap, "%s", v);
            *why = vars[i];
            return;
        }
    }
    static const char *const files[] = { "/etc/dotnet/install_location_x64", "/etc/dotnet/install_location" };
    for (size_t i = 0; i < 2; i++) {
        FILE *f = fopen(files[i], "re");
        if (!f) continue;
        char line[1024];
        int ok = fgets(line, sizeof line, f) != NULL;
        fclose(f);
        line[strcspn(line, "\r\n")] = 0;
        if (ok && line[0]) {
            snprintf(root, cap, "%s", line);
            *why = files[i];
            return;
        }
    }
    snprintf(root, cap, "/usr/share/dotnet");
    *why = "the default install folder";
}

/* Installed versions of framework NAME under ROOT, comma-separated into list ("none"). */
static int fx_find(const char *root, const char *name, const FxVersion *want, int rf,
                   char *list, size_t cap)
{
    char dir[1200];
    snprintf(dir, sizeof dir, "%s/shared/%s", root, name);
    snprintf(list, cap, "none");
    DIR *d = opendir(dir);
    if (!d) return 0;
    int found = 0;
    size_t len = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        FxVersion have;
        if (parse_fx_version(e->d_name, &have) != 0) continue;
        if (fx_acceptable(want, &have, rf)) found = 1;
        int n = snprintf(list + len, len < cap ? cap - len : 0, "%s%s", len ? ", " : "", e->d_name);
        if (n > 0) len += (size_t)n;
    }
    closedir(d);
    return found;
}

int clr_program_tfm_major(const char *program)
{
    char path[1200];
    size_t n = strlen(program);
    if (n > 4 && strcmp(program + n - 4, ".dll") == 0) n -= 4;
    snprintf(path, sizeof path, "%.*s.runtimeconfig.json", (int)n, program);
    json_t *root = json_load_file(path, 0, NULL);
    if (!root) return 0;
    const char *tfm = json_string_value(json_object_get(json_object_get(root, "runtimeOptions"), "tfm"));
    int major = tfm && !strncmp(tfm, "net", 3) ? atoi(tfm + 3) : 0;
    json_decref(root);
    return major;
}

int clr_check_program_runtime(const char *program, int via_muxer, char *const *env_set,
                              char *err, size_t cap)
{
    char path[1200];
    size_t n = strlen(program);
    if (n > 4 && strcmp(program + n - 4, ".dll") == 0) n -= 4;
    snprintf(path, sizeof path, "%.*s.runtimeconfig.json", (int)n, program);
    json_error_t jerr;
    json_t *root = json_load_file(path, 0, &jerr);
    if (!root) return 0;           /* none, or not readable: the host has the last word */
    json_t *opts = json_object_get(root, "runtimeOptions");
    const char *base = strrchr(program, '/');
    base = base ? base + 1 : program;
    int rc = 0;
    if (json_is_array(json_object_get(opts, "includedFrameworks"))) {
        /* self-contained: its runtime is the one in its own folder */
        char dir[1200];
        const char *slash = strrchr(program, '/');
        snprintf(dir, sizeof dir, "%.*s/libcoreclr.so", slash ? (int)(slash - program) : 1,
                 slash ? program : ".");
        if (access(dir, R_OK) != 0) {
            snprintf(err, cap, "%s is a self-contained .NET program, but its folder has no "
                     "libcoreclr.so (%s)", base, dir);
            rc = -1;
        }
        json_decref(root);
        return rc;
    }
    json_t *fxs = json_object_get(opts, "frameworks");
    json_t *one = json_object_get(opts, "framework");
    if (!json_is_array(fxs) && !json_is_object(one)) { json_decref(root); return 0; }

    char inst[1024];
    const char *why = NULL;
    if (via_muxer) {
        char dotnet[1024], real[PATH_MAX];
        if (clr_find_on_path("dotnet", dotnet, sizeof dotnet) != 0 || !realpath(dotnet, real)) {
            json_decref(root);
            return 0;              /* the launch says that 'dotnet' is missing */
        }
        char *slash = strrchr(real, '/');
        if (slash) *slash = 0;
        snprintf(inst, sizeof inst, "%s", real);
        why = "the folder of 'dotnet' on PATH";
    } else {
        apphost_root(env_set, inst, sizeof inst, &why);
        /* No install at the default folder: the apphost may have been built to search
         * elsewhere (AppHostDotNetSearch); the host has the last word. */
        char fxr[1100];
        snprintf(fxr, sizeof fxr, "%s/host/fxr", inst);
        if (strcmp(why, "the default install folder") == 0 && access(fxr, F_OK) != 0) {
            json_decref(root);
            return 0;
        }
    }
    int rf_all = roll_forward_of(json_string_value(json_object_get(opts, "rollForward")));
    int rf_env = roll_forward_of(target_env(env_set, "DOTNET_ROLL_FORWARD"));
    size_t count = json_is_array(fxs) ? json_array_size(fxs) : 1;
    for (size_t i = 0; i < count && rc == 0; i++) {
        json_t *fx = json_is_array(fxs) ? json_array_get(fxs, i) : one;
        const char *name = json_string_value(json_object_get(fx, "name"));
        const char *ver = json_string_value(json_object_get(fx, "version"));
        FxVersion want;
        if (!name || !ver || parse_fx_version(ver, &want) != 0) continue;
        int rf = roll_forward_of(json_string_value(json_object_get(fx, "rollForward")));
        if (rf < 0) rf = rf_all;
        if (rf < 0) rf = RF_MINOR;
        if (rf_env > rf) rf = rf_env;
        char have[512];
        if (fx_find(inst, name, &want, rf, have, sizeof have)) continue;
        int none = strcmp(have, "none") == 0;
        snprintf(err, cap, "%s needs the .NET runtime %s %s (roll forward: %s), which is not "
                 "installed in %s (%s; it has: %s): install .NET %ld.%ld%s publish the program "
                 "self-contained (dotnet publish -r linux-x64 --self-contained)%s", base, name, ver,
                 roll_forward_name(rf), inst, why, have, want.v[0], want.v[1],
                 !none ? "," : via_muxer ? ", or" : " there, set DOTNET_ROOT to an install that has it, or",
                 none ? "" : ", or set DOTNET_ROLL_FORWARD=Major to run it on a newer one");
        rc = -1;
    }
    json_decref(root);
    return rc;
}
