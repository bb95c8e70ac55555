/* enc: the Edit and Continue helper's client (enc.h). The helper runs as `dotnet
 * cordbg-encsvc.dll` in its own process group (a Ctrl-C for the debuggee is not its), with
 * the debuggee's DOTNET_ variables taken out of its environment; its stderr goes to a
 * memory file whose end is quoted when it dies. cordbg's read/write/close are the memory
 * cache's (src/base/memcache.c): for these pipes they are plain system calls. */
#include "enc/enc.h"
#include "base/log.h"
#include "base/os.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

enum { ENC_OPEN_TIMEOUT_MS = 180000, ENC_UPDATE_TIMEOUT_MS = 120000, ENC_SHORT_TIMEOUT_MS = 30000 };

struct EncService {
    pid_t pid;              /* 0: not running */
    int   to_fd, from_fd, log_fd;
    int   next_id;
    char *buf;              /* bytes read and not yet a whole line */
    size_t len, cap;
    int   owner_pid;        /* the debuggee the open modules belong to */
    char **open;            /* modules the helper has a baseline of */
    size_t nopen;
};

/* ---------------------------------------------------------------- base64 */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *enc_b64_encode(const uint8_t *d, size_t n)
{
    char *o = malloc((n + 2) / 3 * 4 + 1), *p = o;
    if (!o) return NULL;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < n ? (uint32_t)d[i + 1] << 8 : 0) | (i + 2 < n ? d[i + 2] : 0);
        *p++ = B64[v >> 18 & 63];
        *p++ = B64[v >> 12 & 63];
        *p++ = i + 1 < n ? B64[v >> 6 & 63] : '=';
        *p++ = i + 2 < n ? B64[v & 63] : '=';
    }
    *p = 0;
    return o;
}

uint8_t *enc_b64_decode(const char *t, size_t *len)
{
    size_t n = strlen(t);
    uint8_t *o = malloc(n / 4 * 3 + 3), *p = o;
    if (!o) return NULL;
    uint32_t v = 0;
    int k = 0;
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        if (c == '=') break;
        const char *at = strchr(B64, c);
        if (!at || !c) { free(o); return NULL; }
        v = v << 6 | (uint32_t)(at - B64);
        if (++k == 4) {
            *p++ = (uint8_t)(v >> 16);
            *p++ = (uint8_t)(v >> 8);
            *p++ = (uint8_t)v;
            v = 0;
            k = 0;
        }
    }
    if (k == 3) { *p++ = (uint8_t)(v >> 10); *p++ = (uint8_t)(v >> 2); }
    else if (k == 2) *p++ = (uint8_t)(v >> 4);
    else if (k == 1) { free(o); return NULL; }
    *len = (size_t)(p - o);
    return o;
}

/* ---------------------------------------------------------------- the process */

EncService *enc_service_new(void)
{
    EncService *svc = calloc(1, sizeof *svc);
    if (svc) svc->to_fd = svc->from_fd = svc->log_fd = -1;
    return svc;
}

static void forget_open(EncService *svc)
{
    for (size_t i = 0; i < svc->nopen; i++) free(svc->open[i]);
    free(svc->open);
    svc->open = NULL;
    svc->nopen = 0;
}

/* The end of the helper's log: its last line with text (why it died). */
static void log_tail(EncService *svc, char *out, size_t cap)
{
    out[0] = 0;
    if (svc->log_fd < 0) return;
    struct stat st;
    if (fstat(svc->log_fd, &st) != 0 || st.st_size <= 0) return;
    char tail[2048];
    off_t from = st.st_size > (off_t)sizeof tail - 1 ? st.st_size - (off_t)sizeof tail + 1 : 0;
    ssize_t r = pread(svc->log_fd, tail, sizeof tail - 1, from);
    if (r <= 0) return;
    tail[r] = 0;
    while (r > 0 && (tail[r - 1] == '\n' || tail[r - 1] == '\r' || tail[r - 1] == ' ')) tail[--r] = 0;
    char *line = strrchr(tail, '\n');
    snprintf(out, cap, "%s", line ? line + 1 : tail);
}

/* Stop the helper (kill: it no longer answers) and reap it; *status its wait status. */
static void stop_helper(EncService *svc, int kill_it, int *status)
{
    if (svc->to_fd >= 0) close(svc->to_fd);
    svc->to_fd = -1;
    if (svc->pid > 0) {
        int st = 0;
        if (kill_it) kill(svc->pid, SIGKILL);
        else {
            /* stdin closed: it exits; a stuck one is killed after a while */
            for (int i = 0; i < 300; i++) {
                pid_t w = waitpid(svc->pid, &st, WNOHANG);
                if (w == svc->pid || w < 0) { svc->pid = 0; break; }
                usleep(10000);
            }
            if (svc->pid > 0) kill(svc->pid, SIGKILL);
        }
        if (svc->pid > 0) while (waitpid(svc->pid, &st, 0) < 0 && errno == EINTR) {}
        if (status) *status = st;
    }
    svc->pid = 0;
    if (svc->from_fd >= 0) close(svc->from_fd);
    svc->from_fd = -1;
    svc->len = 0;
    forget_open(svc);
}

void enc_service_free(EncService *svc)
{
    if (!svc) return;
    if (svc->pid > 0 && svc->to_fd >= 0) {
        static const char bye[] = "{\"cmd\":\"shutdown\",\"id\":0}\n";
        (void)!write(svc->to_fd, bye, sizeof bye - 1);
    }
    stop_helper(svc, 0, NULL);
    if (svc->log_fd >= 0) close(svc->log_fd);
    free(svc->buf);
    free(svc);
}

/* Where the helper is: $CORDBG_ENCSVC, else beside cordbg's build. */
static int find_helper(char *out, size_t cap)
{
    const char *env = getenv("CORDBG_ENCSVC");
    if (env && env[0]) { snprintf(out, cap, "%s", env); return 0; }
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0) return -1;
    self[n] = 0;
    char *slash = strrchr(self, '/');
    if (slash) *slash = 0;
    static const char *const rel[] = { "/../build/encsvc/cordbg-encsvc.dll", "/encsvc/cordbg-encsvc.dll" };
    for (size_t i = 0; i < sizeof rel / sizeof rel[0]; i++) {
        snprintf(out, cap, "%s%s", self, rel[i]);
        if (access(out, R_OK) == 0) return 0;
    }
    snprintf(out, cap, "%s%s", self, rel[0]);
    return -1;
}

/* The debuggee's variables (EnC, diagnostics, startup hooks...) are not the helper's. */
static int keep_var(const char *e)
{
    static const char *const drop[] = { "DOTNET_MODIFIABLE_ASSEMBLIES=", "DOTNET_EnableDiagnostics", "DOTNET_STARTUP_HOOKS=",
                                        "DOTNET_gcServer", "COMPlus_", "CORECLR_", "LD_PRELOAD=" };
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++)
        if (!strncmp(e, drop[i], strlen(drop[i]))) return 0;
    return 1;
}

static int start_helper(EncService *svc, char *err, size_t cap)
{
    char path[PATH_MAX];
    if (find_helper(path, sizeof path) != 0) {
        snprintf(err, cap, "the edit and continue helper is not built (%s; `make` builds it with the .NET SDK)", path);
        return -1;
    }
    if (access(path, R_OK) != 0) {
        snprintf(err, cap, "the edit and continue helper %s: %s", path, strerror(errno));
        return -1;
    }
    size_t pl = strlen(path);
    int is_dll = pl > 4 && !strcmp(path + pl - 4, ".dll");
    char dotnet[PATH_MAX] = "dotnet";
    char *argv[3] = { is_dll ? dotnet : path, is_dll ? path : NULL, NULL };
    int in[2] = { -1, -1 }, outp[2] = { -1, -1 };
    if (svc->log_fd < 0) svc->log_fd = memfd_create("cordbg-encsvc-log", MFD_CLOEXEC);
    else if (ftruncate(svc->log_fd, 0) != 0) { /* an old log: fine */ }
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(outp, O_CLOEXEC) != 0) {
        snprintf(err, cap, "cannot start the edit and continue helper: pipe: %s", strerror(errno));
        if (in[0] >= 0) { close(in[0]); close(in[1]); }
        return -1;
    }
    size_t ne = 0;
    while (environ[ne]) ne++;
    char **env = calloc(ne + 1, sizeof *env);
    size_t k = 0;
    for (size_t i = 0; env && i < ne; i++)
        if (keep_var(environ[i])) env[k++] = environ[i];
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t at;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&at);
    posix_spawn_file_actions_adddup2(&fa, in[0], 0);
    posix_spawn_file_actions_adddup2(&fa, outp[1], 1);
    if (svc->log_fd >= 0) posix_spawn_file_actions_adddup2(&fa, svc->log_fd, 2);
    /* Its own process group: the terminal's Ctrl-C is for the debuggee, not the helper. The
     * signal mask and dispositions are reset (cordbg blocks SIGINT in its threads). */
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setpgroup(&at, 0);
    posix_spawnattr_setsigmask(&at, &none);
    posix_spawnattr_setsigdefault(&at, &all);
    posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    pid_t pid = 0;
    int rc = env ? posix_spawnp(&pid, argv[0], &fa, &at, argv, env) : ENOMEM;
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&at);
    free(env);
    close(in[0]);
    close(outp[1]);
    if (rc != 0) {
        close(in[1]);
        close(outp[0]);
        snprintf(err, cap, "cannot start the edit and continue helper (%s%s%s): %s", argv[0], is_dll ? " " : "",
                 is_dll ? path : "", strerror(rc));
        return -1;
    }
    svc->pid = pid;
    svc->to_fd = in[1];
    svc->from_fd = outp[0];
    svc->len = 0;
    log_msg(LOG_INFO, "enc", "helper started: pid %d (%s)", (int)pid, path);
    return 0;
}

/* The helper failed: say how, stop it, and let the next use start it again. */
static int helper_failed(EncService *svc, int hung, int timeout_ms, char *err, size_t cap)
{
    int st = 0;
    char tail[512];
    if (hung) {
        stop_helper(svc, 1, &st);
        log_tail(svc, tail, sizeof tail);
        snprintf(err, cap, "the edit and continue helper did not answer in %.1f s and was stopped (it starts again "
                 "at the next use)%s%s", timeout_ms / 1000.0, tail[0] ? ": " : "", tail);
        return -1;
    }
    stop_helper(svc, 0, &st);
    log_tail(svc, tail, sizeof tail);
    char how[64];
    if (WIFSIGNALED(st)) snprintf(how, sizeof how, "was killed by signal %d", WTERMSIG(st));
    else snprintf(how, sizeof how, "exited with status %d", WIFEXITED(st) ? WEXITSTATUS(st) : -1);
    snprintf(err, cap, "the edit and continue helper %s (it starts again at the next use)%s%s", how,
             tail[0] ? ": " : "", tail);
    return -1;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0 && errno == EINTR) continue;
        if (w <= 0) return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

int enc_request(EncService *svc, json_t *req, int timeout_ms, json_t **reply, char *err, size_t cap)
{
    *reply = NULL;
    const char *limit = getenv("CORDBG_ENC_TIMEOUT_MS");   /* a shorter wait (tests of a hung helper) */
    if (limit && atoi(limit) > 0 && atoi(limit) < timeout_ms) timeout_ms = atoi(limit);
    if (svc->pid <= 0 && start_helper(svc, err, cap) != 0) return -1;
    int id = ++svc->next_id;
    json_object_set_new(req, "id", json_integer(id));
    char *line = json_dumps(req, JSON_COMPACT);
    if (!line) { snprintf(err, cap, "out of memory"); return -1; }
    size_t ll = strlen(line);
    /* A helper that died makes the write fail (EPIPE): cordbg must not die of SIGPIPE. */
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    int wr = write_all(svc->to_fd, line, ll) == 0 && write_all(svc->to_fd, "\n", 1) == 0 ? 0 : -1;
    if (wr != 0) {
        struct timespec z = { 0, 0 };
        sigtimedwait(&pipe_set, NULL, &z);     /* the pending SIGPIPE, taken */
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    free(line);
    if (wr != 0) return helper_failed(svc, 0, timeout_ms, err, cap);
    uint64_t deadline = os_monotonic_ns() / 1000000u + (uint64_t)timeout_ms;
    for (;;) {
        /* Whole lines first: the reply with our id (others: stale, skipped). */
        char *nl;
        while ((nl = svc->buf ? memchr(svc->buf, '\n', svc->len) : NULL)) {
            *nl = 0;
            json_error_t je;
            json_t *j = json_loads(svc->buf, 0, &je);
            size_t used = (size_t)(nl - svc->buf) + 1;
            memmove(svc->buf, nl + 1, svc->len - used);
            svc->len -= used;
            if (!j) { log_msg(LOG_INFO, "enc", "helper said something that is not JSON: %s", je.text); continue; }
            json_t *jid = json_object_get(j, "id");
            if (json_is_integer(jid) && json_integer_value(jid) == id) { *reply = j; return 0; }
            json_decref(j);
        }
        uint64_t now = os_monotonic_ns() / 1000000u;
        if (now >= deadline) return helper_failed(svc, 1, timeout_ms, err, cap);
        struct pollfd pfd = { .fd = svc->from_fd, .events = POLLIN };
        int pr = poll(&pfd, 1, (int)(deadline - now));
        if (pr < 0 && errno == EINTR) continue;
        if (pr <= 0) continue;
        if (svc->len + 65536 > svc->cap) {
            size_t nc = svc->cap ? svc->cap * 2 : 131072;
            while (nc < svc->len + 65536) nc *= 2;
            char *b = realloc(svc->buf, nc);
            if (!b) { snprintf(err, cap, "out of memory"); return -1; }
            svc->buf = b;
            svc->cap = nc;
        }
        ssize_t r = read(svc->from_fd, svc->buf + svc->len, 65536);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return helper_failed(svc, 0, timeout_ms, err, cap);
        svc->len += (size_t)r;
    }
}

/* ---------------------------------------------------------------- documents */

static char *read_text(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 65536, n = 0;
    char *b = malloc(cap + 1);
    for (size_t r; b && (r = fread(b + n, 1, cap - n, f)) > 0;) {
        n += r;
        if (n == cap) {
            char *g = realloc(b, cap * 2 + 1);
            if (!g) { free(b); b = NULL; break; }
            b = g;
            cap *= 2;
        }
    }
    fclose(f);
    if (!b) return NULL;
    b[n] = 0;
    *len = n;
    return b;
}

/* The program's modules and their documents, fresh from the engine; a new process means a
 * new helper (its baselines were the old program's). */
static int modules(EncService *svc, EngSession *s, EngEncModule **mods, size_t *n, char *err, size_t cap)
{
    if (eng_state(s) == ENG_NONE) { snprintf(err, cap, "the program is not running"); return -1; }
    if (svc->owner_pid != eng_pid(s)) {
        if (svc->pid > 0) stop_helper(svc, 0, NULL);
        svc->owner_pid = eng_pid(s);
    }
    return eng_enc_modules(s, mods, n, err, cap);
}

static int is_open(EncService *svc, const char *module)
{
    for (size_t i = 0; i < svc->nopen; i++)
        if (!strcmp(svc->open[i], module)) return 1;
    return 0;
}

static int open_module(EncService *svc, const EngEncModule *m, char *err, size_t cap)
{
    if (is_open(svc, m->path)) return 0;
    json_t *req = json_object();
    json_object_set_new(req, "cmd", json_string("open"));
    json_object_set_new(req, "module", json_string(m->path));
    json_object_set_new(req, "pdb", m->pdb && strcmp(m->pdb, "embedded") ? json_string(m->pdb) : json_null());
    json_object_set_new(req, "project", json_null());
    json_t *src = json_object();
    for (size_t k = 0; k < m->ndocs; k++) {
        const EngEncDoc *d = &m->docs[k];
        if (!d->text) continue;
        size_t len = 0;
        char *disk = read_text(d->path, &len);
        if (!disk || len != d->len || memcmp(disk, d->text, len))
            json_object_set_new(src, d->path, json_stringn(d->text, d->len));
        free(disk);
    }
    json_object_set_new(req, "sources", src);
    json_t *rep = NULL;
    int rc = enc_request(svc, req, ENC_OPEN_TIMEOUT_MS, &rep, err, cap);
    json_decref(req);
    if (rc != 0) return -1;
    if (!json_is_true(json_object_get(rep, "ok"))) {
        const char *e = json_string_value(json_object_get(rep, "error"));
        snprintf(err, cap, "the edit and continue helper cannot read %s: %s", m->path, e ? e : "no reason given");
        json_decref(rep);
        return -1;
    }
    json_decref(rep);
    char **g = realloc(svc->open, (svc->nopen + 1) * sizeof *g);
    if (!g) return -1;
    svc->open = g;
    svc->open[svc->nopen++] = strdup(m->path);
    return 0;
}

int enc_ensure_open(EncService *svc, EngSession *s, const char *module_path, char *err, size_t cap)
{
    EngEncModule *mods = NULL;
    size_t n = 0;
    if (modules(svc, s, &mods, &n, err, cap) != 0) return -1;
    int rc = -1;
    snprintf(err, cap, "%s is not a module of the program with symbols", module_path);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(mods[i].path, module_path)) continue;
        if (!mods[i].editable) { snprintf(err, cap, "%s", mods[i].why); break; }
        rc = open_module(svc, &mods[i], err, cap);
        break;
    }
    eng_enc_modules_free(mods, n);
    return rc;
}

/* ---------------------------------------------------------------- apply */

static void add_text(EngResult *r, const char *line)
{
    size_t old = r->text ? strlen(r->text) : 0, add = strlen(line);
    char *t = realloc(r->text, old + add + 2);
    if (!t) return;
    memcpy(t + old, line, add);
    t[old + add] = '\n';
    t[old + add + 1] = 0;
    r->text = t;
}

/* The compiler's messages, "path:line:col: error CS1002: ; expected", into r->text. */
static void diagnostics(EngResult *r, json_t *rep)
{
    json_t *ds = json_object_get(rep, "diagnostics");
    size_t i;
    json_t *d;
    json_array_foreach(ds, i, d) {
        const char *path = json_string_value(json_object_get(d, "path"));
        const char *sev = json_string_value(json_object_get(d, "severity"));
        const char *id = json_string_value(json_object_get(d, "id"));
        const char *msg = json_string_value(json_object_get(d, "message"));
        json_int_t line = json_integer_value(json_object_get(d, "line"));
        json_int_t col = json_integer_value(json_object_get(d, "column"));
        char b[2048], where[1200] = "";
        if (path && line > 0) snprintf(where, sizeof where, "%s:%lld:%lld: ", path, (long long)line, (long long)col);
        else if (path) snprintf(where, sizeof where, "%s: ", path);
        snprintf(b, sizeof b, "%s%s%s%s: %s", where, sev ? sev : "error", id ? " " : "", id ? id : "", msg ? msg : "");
        add_text(r, b);
    }
}

static uint32_t *tokens(json_t *a, size_t *n)
{
    *n = json_array_size(a);
    uint32_t *t = calloc(*n ? *n : 1, sizeof *t);
    for (size_t i = 0; t && i < *n; i++) t[i] = (uint32_t)json_integer_value(json_array_get(a, i));
    return t;
}

typedef struct Changed { const EngEncModule *m; const EngEncDoc *doc; char *text; size_t len; } Changed;

static void send_simple(EncService *svc, const char *cmd)
{
    json_t *req = json_object(), *rep = NULL;
    char err[512];
    json_object_set_new(req, "cmd", json_string(cmd));
    if (enc_request(svc, req, ENC_SHORT_TIMEOUT_MS, &rep, err, sizeof err) != 0)
        log_msg(LOG_INFO, "enc", "%s: %s", cmd, err);
    json_decref(req);
    json_decref(rep);
}

static const char *base_name(const char *p)
{
    const char *b = strrchr(p, '/');
    return b ? b + 1 : p;
}

/* Apply the changes of ch[0..nch): update, each delta applied, then commit (or discard). */
static void apply_changes(EncService *svc, EngSession *s, Changed *ch, size_t nch, uint64_t t0, EngResult *r)
{
    char err[512];
    for (size_t i = 0; i < nch; i++) {
        if (!ch[i].m->editable) { r->status = -1; snprintf(r->err, sizeof r->err, "%s", ch[i].m->why); return; }
        if (open_module(svc, ch[i].m, err, sizeof err) != 0) { r->status = -1; snprintf(r->err, sizeof r->err, "%s", err); return; }
    }
    json_t *req = json_object(), *docs = json_object(), *rep = NULL;
    json_object_set_new(req, "cmd", json_string("update"));
    for (size_t i = 0; i < nch; i++) json_object_set_new(docs, ch[i].doc->path, json_stringn(ch[i].text, ch[i].len));
    json_object_set_new(req, "documents", docs);
    int rc = enc_request(svc, req, ENC_UPDATE_TIMEOUT_MS, &rep, err, sizeof err);
    json_decref(req);
    if (rc != 0) { r->status = -1; snprintf(r->err, sizeof r->err, "%s", err); return; }
    if (!json_is_true(json_object_get(rep, "ok"))) {
        const char *e = json_string_value(json_object_get(rep, "error"));
        r->status = -1;
        snprintf(r->err, sizeof r->err, "%s: the program was not changed", e ? e : "the change cannot be applied");
        diagnostics(r, rep);
        json_decref(rep);
        return;
    }
    /* Line maps: for every delta of this update. */
    json_t *maps = json_object_get(rep, "lineMaps");
    size_t nmaps = json_array_size(maps);
    EngEncLineMap *lm = calloc(nmaps ? nmaps : 1, sizeof *lm);
    for (size_t i = 0; lm && i < nmaps; i++) {
        json_t *mp = json_array_get(maps, i), *runs = json_object_get(mp, "runs");
        lm[i].path = json_string_value(json_object_get(mp, "path"));
        size_t nr = json_array_size(runs);
        EngEncLineRun *rr = calloc(nr ? nr : 1, sizeof *rr);
        for (size_t k = 0; rr && k < nr; k++) {
            json_t *run = json_array_get(runs, k);
            rr[k] = (EngEncLineRun){ (uint32_t)json_integer_value(json_array_get(run, 0)),
                                     (uint32_t)json_integer_value(json_array_get(run, 1)),
                                     (uint32_t)json_integer_value(json_array_get(run, 2)) };
        }
        lm[i].runs = rr;
        lm[i].nruns = rr ? nr : 0;
    }
    json_t *deltas = json_object_get(rep, "deltas");
    size_t nd = json_array_size(deltas), applied = 0;
    char what[400] = "";
    size_t wo = 0;
    int failed = 0;
    for (size_t i = 0; i < nd && !failed; i++) {
        json_t *jd = json_array_get(deltas, i);
        EngEncDelta d = { .module = json_string_value(json_object_get(jd, "module")), .line_maps = lm, .nline_maps = lm ? nmaps : 0 };
        uint8_t *md = enc_b64_decode(json_string_value(json_object_get(jd, "metadata")) ?: "", &d.metadata_len);
        uint8_t *il = enc_b64_decode(json_string_value(json_object_get(jd, "il")) ?: "", &d.il_len);
        uint8_t *pdb = enc_b64_decode(json_string_value(json_object_get(jd, "pdb")) ?: "", &d.pdb_len);
        uint32_t *um = tokens(json_object_get(jd, "updatedMethods"), &d.nupdated_methods);
        uint32_t *am = tokens(json_object_get(jd, "addedMethods"), &d.nadded_methods);
        uint32_t *ut = tokens(json_object_get(jd, "updatedTypes"), &d.nupdated_types);
        d.metadata = md; d.il = il; d.pdb = pdb;
        const char *save = getenv("CORDBG_ENC_SAVE");    /* a folder: the deltas kept, for study */
        if (save && save[0] && md && il && pdb) {
            static const char *const ext[] = { "meta", "il", "pdb" };
            const uint8_t *bytes[] = { md, il, pdb };
            size_t lens[] = { d.metadata_len, d.il_len, d.pdb_len };
            static int seq;
            seq++;
            for (int e = 0; e < 3; e++) {
                char fn[PATH_MAX];
                snprintf(fn, sizeof fn, "%s/delta%d.%s", save, seq, ext[e]);
                FILE *f = fopen(fn, "wb");
                if (f) { fwrite(bytes[e], 1, lens[e], f); fclose(f); }
            }
        }
        d.updated_methods = um; d.added_methods = am; d.updated_types = ut;
        EngResult er;
        if (!d.module || !md || !il || !pdb) {
            failed = 1;
            snprintf(r->err, sizeof r->err, "the edit and continue helper sent a delta that cannot be read");
        } else {
            eng_enc_apply(s, &d, &er);
            if (er.status != 0) {
                failed = 1;
                snprintf(r->err, sizeof r->err, "%s%s", er.err, applied ? " (the modules before it were changed)" : "");
            } else {
                applied++;
                if (wo < sizeof what) wo += (size_t)snprintf(what + wo, sizeof what - wo, "%s%s", wo ? "; " : "", er.message);
            }
            eng_result_free(&er);
        }
        free(md); free(il); free(pdb); free(um); free(am); free(ut);
    }
    for (size_t i = 0; lm && i < nmaps; i++) free((void *)lm[i].runs);
    free(lm);
    diagnostics(r, rep);   /* warnings */
    json_decref(rep);
    if (failed && !applied) {
        send_simple(svc, "discard");
        r->status = -1;
        return;
    }
    send_simple(svc, "commit");
    for (size_t i = 0; i < nch; i++) {
        EngResult cr;
        eng_enc_commit_text(s, ch[i].m->path, ch[i].doc->path, ch[i].text, ch[i].len, &cr);
        eng_result_free(&cr);
    }
    if (failed) { r->status = -1; return; }
    char files[256] = "";
    size_t fo = 0;
    for (size_t i = 0; i < nch && fo < sizeof files; i++)
        fo += (size_t)snprintf(files + fo, sizeof files - fo, "%s%s", i ? ", " : "", base_name(ch[i].doc->path));
    double ms = (double)(os_monotonic_ns() - t0) / 1e6;
    if (!nd) snprintf(r->message, sizeof r->message, "applied: no code changed in %s (%.0f ms)", files, ms);
    else snprintf(r->message, sizeof r->message, "applied: %s, %s (%.0f ms in all)", what, files, ms);
}

static void apply_common(EncService *svc, EngSession *s, const char *const *files, size_t nfiles, EngResult *r)
{
    memset(r, 0, sizeof *r);
    uint64_t t0 = os_monotonic_ns();
    EngEncModule *mods = NULL;
    size_t n = 0;
    if (modules(svc, s, &mods, &n, r->err, sizeof r->err) != 0) { r->status = -1; return; }
    Changed *ch = NULL;
    size_t nch = 0, unknown = 0;
    const char *unknown_doc = NULL;
    const EngEncModule *unknown_mod = NULL;
    for (size_t f = 0; f < nfiles; f++) {
        /* A file named must be a document of the program. */
        char real[PATH_MAX];
        const char *want = realpath(files[f], real) ? real : files[f];
        int found = 0;
        for (size_t i = 0; i < n && !found; i++)
            for (size_t k = 0; k < mods[i].ndocs && !found; k++)
                found = !strcmp(mods[i].docs[k].path, want) || !strcmp(mods[i].docs[k].path, files[f]);
        if (!found) {
            r->status = -1;
            snprintf(r->err, sizeof r->err, "%s is not part of the program", files[f]);
            eng_enc_modules_free(mods, n);
            return;
        }
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < mods[i].ndocs; k++) {
            const EngEncDoc *d = &mods[i].docs[k];
            if (nfiles) {
                int named = 0;
                for (size_t f = 0; f < nfiles && !named; f++) {
                    char real[PATH_MAX];
                    named = !strcmp(d->path, files[f]) || (realpath(files[f], real) && !strcmp(d->path, real));
                }
                if (!named) continue;
            }
            size_t len = 0;
            char *disk = read_text(d->path, &len);
            if (!disk) continue;
            if (!d->text) {
                /* Changed before the program started: what it runs is not known. */
                unknown++;
                unknown_doc = d->path;
                unknown_mod = &mods[i];
                free(disk);
                continue;
            }
            if (len == d->len && !memcmp(disk, d->text, len)) { free(disk); continue; }
            Changed *g = realloc(ch, (nch + 1) * sizeof *g);
            if (!g) { free(disk); break; }
            ch = g;
            ch[nch++] = (Changed){ &mods[i], d, disk, len };
        }
    }
    if (!nch) {
        if (unknown && !unknown_mod->editable) {
            r->status = -1;
            snprintf(r->err, sizeof r->err, "%s", unknown_mod->why);
        } else if (unknown) {
            r->status = -1;
            snprintf(r->err, sizeof r->err, "%s differs from the program as built (it changed before the program "
                     "started or cordbg attached): rebuild and run again", unknown_doc);
        } else {
            snprintf(r->message, sizeof r->message, "nothing to apply: no source of the program changed%s",
                     nfiles ? "" : " since it was built or last applied");
        }
    } else {
        apply_changes(svc, s, ch, nch, t0, r);
    }
    for (size_t i = 0; i < nch; i++) free(ch[i].text);
    free(ch);
    eng_enc_modules_free(mods, n);
}

void enc_apply_all(EncService *svc, EngSession *s, EngResult *r)
{
    apply_common(svc, s, NULL, 0, r);
}

void enc_apply_files(EncService *svc, EngSession *s, const char *const *files, size_t n, EngResult *r)
{
    apply_common(svc, s, files, n, r);
}
