/* Hot reload on save: the watcher thread. See hotreload.h.
 *
 *   idle ──save of a document──▶ pending (deadline = last save + DEBOUNCE_MS)
 *   pending ──more saves──▶ pending (deadline moves)
 *   pending ──deadline──▶ apply (under the front end's lock) ──▶ report ──▶ idle
 *   any ──every REFRESH_MS──▶ the document list is read again (modules load while the
 *                             program runs; a new `run` may bring other ones)
 *   any ──quit pipe──▶ end */
#include "base/vec.h"
#include "enc/hotreload.h"
#include "base/log.h"
#include "base/strbuf.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum { DEBOUNCE_MS = 150, REFRESH_MS = 1000, MAX_DIRS = 256, MAX_DOCS = 4096 };

typedef struct WatchDir { int wd; char *path; } WatchDir;

struct HotReload {
    EncService      *svc;
    pthread_mutex_t *svc_mu;
    EngSession      *s;
    HrReportFn       report;
    void            *ctx;
    int              ino;           /* inotify fd */
    int              quit[2];       /* a byte written: the thread ends */
    pthread_t        thread;
    WatchDir         dirs[MAX_DIRS];
    int              ndirs;
    char           **docs;          /* the program's documents (absolute paths) */
    size_t           ndocs;
    char           **pending;       /* saved since the last apply */
    size_t           npending;
    int              warm[MAX_DIRS], nwarm;     /* modules with watched documents */
    int              opened[MAX_DIRS], nopened; /* ... the helper was asked to open */
};

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void free_list(char **l, size_t n)
{
    for (size_t i = 0; i < n; i++) free(l[i]);
    free(l);
}

static int in_list(char **l, size_t n, const char *p)
{
    for (size_t i = 0; i < n; i++) if (!strcmp(l[i], p)) return 1;
    return 0;
}

static void watch_dir(HotReload *h, const char *dir)
{
    for (int i = 0; i < h->ndirs; i++) if (!strcmp(h->dirs[i].path, dir)) return;
    if (h->ndirs == MAX_DIRS) return;
    int wd = inotify_add_watch(h->ino, dir, IN_CLOSE_WRITE | IN_MOVED_TO);
    if (wd < 0) return;             /* gone or unreadable: its documents cannot be saved here */
    char *copy = strdup(dir);
    if (!copy) { inotify_rm_watch(h->ino, wd); return; }
    h->dirs[h->ndirs++] = (WatchDir){ wd, copy };
}

static int in_ids(const int *ids, int n, int id)
{
    for (int i = 0; i < n; i++) if (ids[i] == id) return 1;
    return 0;
}

/* The helper opens the modules whose files are watched now, not at the first save: its
 * start and the baseline compilation take seconds, an apply afterwards a tenth of that. */
static void warm_up(HotReload *h)
{
    if (h->nopened == h->nwarm) return;
    EngResult r;
    eng_list_modules(h->s, &r);
    for (int k = 0; r.status == 0 && k < h->nwarm; k++) {
        if (in_ids(h->opened, h->nopened, h->warm[k])) continue;
        h->opened[h->nopened++] = h->warm[k];
        for (size_t i = 0; i < r.nmodules; i++) {
            if (r.modules[i].id != h->warm[k]) continue;
            char err[512];
            pthread_mutex_lock(h->svc_mu);
            if (enc_ensure_open(h->svc, h->s, r.modules[i].path, err, sizeof err) != 0)
                log_msg(LOG_INFO, "hotreload", "helper not warmed for %s: %s", r.modules[i].path, err);
            pthread_mutex_unlock(h->svc_mu);
        }
    }
    eng_result_free(&r);
}

/* The documents of every module with symbols (eng_documents: "ID<TAB>PATH<TAB>EMBEDDED"
 * lines); their directories watched. Documents embedded in the PDB only are not the
 * user's files. */
static void refresh(HotReload *h)
{
    if (eng_state(h->s) == ENG_NONE) return;
    EngResult r;
    eng_documents(h->s, 0, &r);
    if (r.status == 0 && r.text) {
        char **docs = NULL;
        size_t n = 0, cap = 0;
        for (char *line = r.text, *next; line && *line; line = next) {
            next = strchr(line, '\n');
            if (next) *next++ = 0;
            char *path = strchr(line, '\t');
            if (!path) continue;
            path++;
            int module_id = atoi(line);
            char *tab = strchr(path, '\t');
            if (tab) *tab = 0;
            if (path[0] != '/' || in_list(docs, n, path) || n == MAX_DOCS) continue;
            struct stat st;
            if (stat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
            if (!GROW(docs, n, cap)) break;
            if (!(docs[n] = strdup(path))) break;
            n++;
            if (module_id > 0 && !in_ids(h->warm, h->nwarm, module_id) && h->nwarm < MAX_DIRS) h->warm[h->nwarm++] = module_id;
            char dir[PATH_MAX];
            snprintf(dir, sizeof dir, "%s", path);
            char *slash = strrchr(dir, '/');
            if (slash && slash != dir) { *slash = 0; watch_dir(h, dir); }
        }
        /* Said when the set grows (a module with sources loaded): from then on a save of
         * those files is applied. */
        int grew = 0;
        for (size_t i = 0; i < n && !grew; i++) grew = !in_list(h->docs, h->ndocs, docs[i]);
        free_list(h->docs, h->ndocs);
        h->docs = docs;
        h->ndocs = n;
        if (grew) {
            char msg[1200];
            if (n == 1) snprintf(msg, sizeof msg, "hot reload: watching %s", docs[0]);
            else snprintf(msg, sizeof msg, "hot reload: watching %zu source files in %d director%s", n, h->ndirs,
                          h->ndirs == 1 ? "y" : "ies");
            h->report(h->ctx, 0, msg);
        }
        warm_up(h);
    }
    eng_result_free(&r);
}

static void add_pending(HotReload *h, const char *path)
{
    if (in_list(h->pending, h->npending, path)) return;
    char **g = realloc(h->pending, (h->npending + 1) * sizeof *g);
    if (!g) return;
    h->pending = g;
    if ((g[h->npending] = strdup(path))) h->npending++;
}

/* Read the inotify events; 1 when a document was saved. */
static int read_events(HotReload *h)
{
    char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
    int saved = 0;
    for (;;) {
        ssize_t n = read(h->ino, buf, sizeof buf);
        if (n <= 0) break;
        for (char *p = buf; p < buf + n;) {
            struct inotify_event *ev = (struct inotify_event *)p;
            p += sizeof *ev + ev->len;
            if (!ev->len) continue;
            for (int i = 0; i < h->ndirs; i++) {
                if (h->dirs[i].wd != ev->wd) continue;
                char path[PATH_MAX];
                snprintf(path, sizeof path, "%s/%s", h->dirs[i].path, ev->name);
                if (in_list(h->docs, h->ndocs, path)) { add_pending(h, path); saved = 1; }
            }
        }
    }
    return saved;
}

static void apply_pending(HotReload *h)
{
    if (!h->npending) return;
    if (eng_state(h->s) == ENG_NONE) {          /* no program: nothing runs these files now */
        free_list(h->pending, h->npending);
        h->pending = NULL;
        h->npending = 0;
        return;
    }
    EngResult r;
    pthread_mutex_lock(h->svc_mu);
    enc_apply_files(h->svc, h->s, (const char *const *)h->pending, h->npending, &r);
    pthread_mutex_unlock(h->svc_mu);
    StrBuf b;
    sb_init(&b);
    sb_printf(&b, "hot reload: %s", r.status == 0 ? r.message : r.err);
    if (r.text && *r.text) sb_printf(&b, "\n%s", r.text);
    h->report(h->ctx, r.status != 0, b.data ? b.data : "hot reload");
    sb_free(&b);
    eng_result_free(&r);
    free_list(h->pending, h->npending);
    h->pending = NULL;
    h->npending = 0;
}

static void *hr_main(void *arg)
{
    HotReload *h = arg;
    double deadline = 0, next_refresh = 0;
    for (;;) {
        double now = now_ms();
        if (now >= next_refresh) {
            refresh(h);
            next_refresh = now_ms() + REFRESH_MS;
        }
        if (deadline && now >= deadline) {
            deadline = 0;
            apply_pending(h);
            continue;
        }
        double until = deadline ? deadline : next_refresh;
        int wait = (int)(until - now_ms());
        if (wait < 0) wait = 0;
        struct pollfd p[2] = { { .fd = h->ino, .events = POLLIN }, { .fd = h->quit[0], .events = POLLIN } };
        int n = poll(p, 2, wait);
        if (n < 0 && errno != EINTR) break;
        if (p[1].revents) break;
        if (p[0].revents & POLLIN && read_events(h)) deadline = now_ms() + DEBOUNCE_MS;
    }
    return NULL;
}

HotReload *hr_start(EncService *svc, pthread_mutex_t *svc_mu, EngSession *s, HrReportFn report, void *ctx,
                    char *err, size_t cap)
{
    HotReload *h = calloc(1, sizeof *h);
    if (!h) { snprintf(err, cap, "out of memory"); return NULL; }
    h->svc = svc;
    h->svc_mu = svc_mu;
    h->s = s;
    h->report = report;
    h->ctx = ctx;
    h->quit[0] = h->quit[1] = -1;
    h->ino = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
    if (h->ino < 0) {
        snprintf(err, cap, "cannot watch files: inotify: %s", strerror(errno));
        free(h);
        return NULL;
    }
    if (pipe2(h->quit, O_CLOEXEC) != 0 || pthread_create(&h->thread, NULL, hr_main, h) != 0) {
        snprintf(err, cap, "cannot start the file watcher: %s", strerror(errno));
        if (h->quit[0] >= 0) { close(h->quit[0]); close(h->quit[1]); }
        close(h->ino);
        free(h);
        return NULL;
    }
    return h;
}

void hr_stop(HotReload *h)
{
    if (!h) return;
    ssize_t w = write(h->quit[1], "q", 1);
    (void)w;
    pthread_join(h->thread, NULL);
    close(h->quit[0]);
    close(h->quit[1]);
    close(h->ino);
    for (int i = 0; i < h->ndirs; i++) free(h->dirs[i].path);
    free_list(h->docs, h->ndocs);
    free_list(h->pending, h->npending);
    free(h);
}
