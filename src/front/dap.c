/* DAP front end: requests in, responses and events out, over the engine's eng_* requests.
 *
 * Threads (each with one job):
 *   reader  (the caller's)  reads and frames messages, answers each request. Requests that
 *                           let the program run are answered at once and handed to:
 *   worker                  makes the engine calls that block until the program stops again
 *                           (run, attach, continue, step), in order;
 *   exec worker             runs -exec CLI commands, in order (one may block until a stop
 *                           while the other requests are answered);
 *   engine  (the engine's)  calls on_notice: stopped, exited, output, thread, module... events.
 *                           It never calls back into the engine (that would deadlock);
 *   pumps                   turn the program's stdout and stderr into output events.
 * Every message goes out under `mu`, which also guards the seq counter and the session flags
 * the engine thread shares.
 *
 * Session: initialize ──▶ (initialized event) ──▶ breakpoints... ──▶ configurationDone and
 * launch|attach (either order; the program starts when both have arrived) ──▶ stops and
 * resumes ──▶ exited/terminated ──▶ disconnect. Variable references and frame ids given out
 * at a stop are valid until the program runs again. */
#include "front/dap.h"
#include "front/dap_wire.h"
#include "front/cli.h"
#include "enc/enc.h"
#include "enc/hotreload.h"
#include "enc/inject.h"
#include "base/log.h"
#include "base/os.h"
#include "base/utf.h"
#include "clr/runtime.h"
#include "clr/attach.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <poll.h>
#include <unistd.h>

typedef enum JobKind { JOB_START, JOB_CONTINUE, JOB_STEP, JOB_EXEC, JOB_APPLY, JOB_INJECT } JobKind;

typedef struct Job {
    JobKind kind;
    int     seq;            /* JOB_EXEC, JOB_INJECT, JOB_APPLY: the request it answers */
    int     value;          /* JOB_STEP: 'i', 'o', 'u'; JOB_INJECT: thread << 16 | (frame + 1) */
    char   *text;           /* JOB_EXEC: the CLI command; JOB_INJECT: the C# */
    EngPending *pending;    /* JOB_CONTINUE, JOB_STEP: the engine request, sent when queued */
    struct Job *next;
} Job;

typedef struct Dap Dap;
typedef struct JobQueue {
    Dap            *d;
    pthread_t       thread;
    pthread_mutex_t mu;
    pthread_cond_t  cv;
    Job            *head, *tail;
    int             quit;
} JobQueue;

typedef struct SourceBp { int id; int line; int col; /* 1-based; 0: none */ } SourceBp;
typedef struct SourceBps { char *path; SourceBp *bps; size_t n; } SourceBps;

struct Dap {
    EngSession     *eng;
    int             in_fd, out_fd;
    pthread_mutex_t mu;
    int             seq;            /* (mu) */
    int             events_ok;      /* (mu) initialize answered: events may go out */
    int             out_dead;       /* (mu) the client is gone: nothing more is written */

    /* Client and session (reader thread, except where marked). */
    int             lines1, cols1;  /* lines and columns start at 1 */
    int             initialized, configured;
    int             start_kind;     /* 0 none yet, 'l' launch, 'a' attach: what configurationDone starts */
    int             started;        /* the start job is queued */
    int             attach_pid;
    int             terminated;     /* (mu) terminated event sent */
    int             resuming;       /* (mu) a resume was asked for and its stop has not come */
    int             dap_resume;     /* (mu) the next EN_RESUMED is one a request asked for */
    int             ending;         /* (mu) disconnect/terminate came: 'd' detach, 'k' kill; a start
                                     * the run worker has not made yet must not leave a program behind */
    int             last_reason;    /* (mu) reason of the last stop (EngStopReason) */
    int             done;           /* disconnect answered: the session ends */
    int             core;           /* the session is a core dump (launch with coreDumpPath) */
    char            core_stack[3000]; /* the dump's exception's own call stack (the stop's lines after
                                     * its message): exceptionInfo's stackTrace, no getter needed */
    int             core_defer;     /* (mu) configurationDone has not come: its stop waits */
    json_t         *core_stop;      /* (mu) the crash moment's stopped event, sent at configurationDone */

    /* Launch arguments, kept until the program starts. */
    int             in_terminal;    /* console integratedTerminal/externalTerminal: 'i' or 'e' */
    int             client_rit;     /* the client supports the runInTerminal reverse request */
    int             client_progress; /* the client supports progress events */
    int             progress;       /* (mu) a progress is open: its number; 0 none */
    int             progress_count; /* (mu) progresses started */
    int             rit_seq;        /* (mu) seq of the runInTerminal request sent, 0 none */
    int             rit_wake[2];    /* its failure wakes the worker waiting for the terminal */
    char            rit_err[512];   /* (mu) */
    char           *program, *cwd;
    char          **args, **env;
    char          **map_from, **map_to; /* sourceFileMap: PDB path prefix -> local prefix */
    size_t          nmap;
    int             no_module_log;  /* logging.moduleLoad false: no "Loaded ..." console lines */
    int             no_program_output; /* logging.programOutput false: the program's output is dropped */
    int             engine_log;     /* logging.engineLogging: cordbg's log is sent as output events */
    unsigned long long log_saved;   /* the log setting engine_log replaced */
    int             stdio[3];       /* the program's ends of its stdin/stdout/stderr (-1 when closed) */
    int             pump_fd[2];
    pthread_t       pump[3];
    int             npumps;

    JobQueue        runq, execq;    /* the worker's and the exec worker's */

    SourceBps      *srcs;  size_t nsrcs;
    int            *fn_bps; size_t nfn_bps;    /* (mu) */
    int            *ins_bps; size_t nins_bps;  /* setInstructionBreakpoints' (reader thread) */
    int             client_memory_event;  /* the client takes memory events */
    int             client_invalidated;   /* ... and invalidated events */
    int             injected;             /* a REPL injection ran (its note was said) */
    int            *data_bps; size_t ndata_bps; /* (mu) setDataBreakpoints' watchpoints */
    pthread_mutex_t refs_mu;
    char          **refs;  size_t nrefs;   /* sourceReference N is refs[N - 1] (refs_mu) */
    Cli            *cli;            /* -exec commands (exec worker) */
    EncService     *enc;            /* the Edit and Continue helper's client: -exec apply and inject,
                                     * REPL injection, cordbg/applyChanges, hot reload */
    pthread_mutex_t enc_mu;         /* held around every use of enc */
    int             hot_reload;     /* launch/attach "hotReload": apply each change on save */
    HotReload      *hr;             /* its watcher, started with the program */
    CliOptions      cli_opt;
    int             pump_quit[2];   /* written at the end: pumps stop reading */

    /* Frame ids: given out per stop, refused once the program ran (a positional id would
     * name another frame after a step). Id base + k is fr_pos[k]; fr_ids[t] maps a thread's
     * frame index to its id. All (mu). */
    unsigned        stop_gen;       /* bumped at every stop and resume */
    unsigned        fr_gen;         /* the stop the table below belongs to */
    int             fr_base, fr_next;
    struct FramePos { int thread, index; } *fr_pos; size_t fr_n, fr_cap;
    struct ThreadIds { int thread; int *ids; size_t n; } *fr_ids; size_t fr_nthreads;
};

/* ---------------------------------------------------------------- output */

/* A JSON string from text that should be UTF-8 (ill-formed bytes become U+FFFD). */
static json_t *jstr(const char *s)
{
    if (!s) s = "";
    json_t *j = json_string(s);
    if (j) return j;
    uint16_t *w = utf16_from_utf8_malloc(s, UTF_NUL_TERMINATED);
    char *clean = w ? utf8_from_utf16_malloc(w, UTF_NUL_TERMINATED) : NULL;
    j = json_string(clean ? clean : "");
    free(w);
    free(clean);
    return j ? j : json_string("");
}

static json_t *jstrn(const char *s, size_t n)
{
    char *copy = malloc(n + 1);
    if (!copy) return json_string("");
    memcpy(copy, s, n);
    copy[n] = 0;
    for (size_t i = 0; i < n; i++) if (!copy[i]) copy[i] = ' ';
    json_t *j = jstr(copy);
    free(copy);
    return j;
}

/* Send a message (taken over); seq is given here (and stored in *seq_out under mu, for a
 * reverse request whose answer may come at once). */
static void send_msg_seq(Dap *d, json_t *m, int *seq_out)
{
    if (!m) return;
    pthread_mutex_lock(&d->mu);
    json_object_set_new(m, "seq", json_integer(++d->seq));
    if (seq_out) *seq_out = d->seq;
    char *s = d->out_dead ? NULL : json_dumps(m, JSON_COMPACT);
    if (s) {
        char hdr[64];
        size_t n = strlen(s);
        int hl = snprintf(hdr, sizeof hdr, "Content-Length: %zu\r\n\r\n", n);
        if (os_write_all(d->out_fd, hdr, (size_t)hl) != 0 || os_write_all(d->out_fd, s, n) != 0) d->out_dead = 1;
        free(s);
    }
    pthread_mutex_unlock(&d->mu);
    json_decref(m);
}

static void send_msg(Dap *d, json_t *m) { send_msg_seq(d, m, NULL); }

static void respond(Dap *d, int seq, const char *command, json_t *body)
{
    json_t *m = json_pack("{s:s, s:i, s:b, s:s}", "type", "response", "request_seq", seq, "success", 1,
                          "command", command ? command : "");
    if (m && body) json_object_set_new(m, "body", body);
    else if (body) json_decref(body);
    send_msg(d, m);
}

static void respond_error(Dap *d, int seq, const char *command, const char *msg)
{
    json_t *m = json_pack("{s:s, s:i, s:b, s:s}", "type", "response", "request_seq", seq, "success", 0,
                          "command", command ? command : "");
    if (!m) return;
    json_object_set_new(m, "message", jstr(msg));
    /* Clients show body.error.format to the user. */
    json_t *err = json_pack("{s:i, s:o, s:b}", "id", 1, "format", jstr(msg), "showUser", 0);
    if (err) json_object_set_new(m, "body", json_pack("{s:o}", "error", err));
    send_msg(d, m);
}

/* Events wait for initialize's response. */
static void send_event(Dap *d, const char *name, json_t *body)
{
    pthread_mutex_lock(&d->mu);
    int ok = d->events_ok;
    pthread_mutex_unlock(&d->mu);
    if (!ok) { json_decref(body); return; }
    json_t *m = json_pack("{s:s, s:s}", "type", "event", "event", name);
    if (m && body) json_object_set_new(m, "body", body);
    else if (body) json_decref(body);
    send_msg(d, m);
}

static void output(Dap *d, const char *category, const char *text)
{
    send_event(d, "output", json_pack("{s:s, s:o}", "category", category, "output", jstr(text)));
}

static void outputf(Dap *d, const char *category, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void outputf(Dap *d, const char *category, const char *fmt, ...)
{
    char buf[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    output(d, category, buf);
}

/* terminated, once per session. */
static void send_terminated(Dap *d)
{
    pthread_mutex_lock(&d->mu);
    int first = !d->terminated;
    d->terminated = 1;
    d->resuming = 0;
    pthread_mutex_unlock(&d->mu);
    if (first) send_event(d, "terminated", json_object());
}

/* ---------------------------------------------------------------- sources */

/* Made on the reader and the engine thread both: under refs_mu. */
static int source_ref(Dap *d, const char *path)
{
    int id = 0;
    pthread_mutex_lock(&d->refs_mu);
    for (size_t i = 0; i < d->nrefs && !id; i++) if (!strcmp(d->refs[i], path)) id = (int)i + 1;
    char **p = id ? NULL : realloc(d->refs, (d->nrefs + 1) * sizeof *p);
    if (p) {
        d->refs = p;
        if ((p[d->nrefs] = strdup(path))) id = (int)++d->nrefs;
    }
    pthread_mutex_unlock(&d->refs_mu);
    return id;
}

/* The path of sourceReference ref, copied into out; 0, or -1 when there is none. */
static int source_path(Dap *d, long long ref, char *out, size_t cap)
{
    int rc = -1;
    pthread_mutex_lock(&d->refs_mu);
    if (ref > 0 && (size_t)ref <= d->nrefs) {
        snprintf(out, cap, "%s", d->refs[ref - 1]);
        rc = 0;
    }
    pthread_mutex_unlock(&d->refs_mu);
    return rc;
}

/* A Source object: the path when the file is on disk, else a reference to read it through
 * the source request (a PDB's embedded copy). */
/* sourceFileMap: the first pair whose build prefix starts path at a separator gives the
 * local path; 0 when none does. */
static int map_path(const Dap *d, const char *path, char *out, size_t cap)
{
    for (size_t i = 0; i < d->nmap; i++) {
        const char *a = d->map_from[i], *b = d->map_to[i];
        size_t n = strlen(a);
        while (n > 1 && a[n - 1] == '/') n--;
        if (strncmp(path, a, n) != 0 || (path[n] && path[n] != '/')) continue;
        size_t m = strlen(b);
        while (m > 1 && b[m - 1] == '/') m--;
        snprintf(out, cap, "%.*s%s", (int)m, b, path + n);
        return 1;
    }
    return 0;
}

static json_t *source_json(Dap *d, const char *path, int on_disk_only)
{
    /* A path as the PDB has it shows as the local file sourceFileMap names, when that exists
     * (otherwise the PDB's path stays, for a source embedded in the PDB). */
    char local[4096];
    if (map_path(d, path, local, sizeof local) && access(local, R_OK) == 0) path = local;
    const char *base = strrchr(path, '/');
    json_t *s = json_pack("{s:o}", "name", jstr(base ? base + 1 : path));
    if (!s) return NULL;
    if (access(path, R_OK) == 0 || on_disk_only) {
        json_object_set_new(s, "path", jstr(path));
    } else {
        json_object_set_new(s, "sourceReference", json_integer(source_ref(d, path)));
        json_object_set_new(s, "origin", json_string("embedded in the PDB"));
        json_object_set_new(s, "path", jstr(path));
    }
    return s;
}

/* ---------------------------------------------------------------- engine notices */

static const char *reason_name(EngStopReason r)
{
    switch (r) {
    case ENG_STOP_BREAKPOINT: return "breakpoint";
    case ENG_STOP_STEP:       return "step";
    case ENG_STOP_ENTRY:      return "entry";
    case ENG_STOP_THROW: case ENG_STOP_USER_UNHANDLED: case ENG_STOP_UNHANDLED: case ENG_STOP_SIGNAL: return "exception";
    case ENG_STOP_BREAK:      return "pause";       /* as other .NET adapters say it */
    case ENG_STOP_PAUSE: case ENG_STOP_ATTACH: return "pause";
    case ENG_STOP_WATCH:      return "data breakpoint";
    }
    return "pause";
}

static void close_child_stdio(Dap *d)
{
    for (int i = 0; i < 3; i++) {
        if (d->stdio[i] >= 0) close(d->stdio[i]);
        d->stdio[i] = -1;
    }
}

/* Progress events around long work (attaching, loading the symbols of a program's modules),
 * for clients that said they show them: one open at a time. */
static void progress_start(Dap *d, const char *title)
{
    if (!d->client_progress) return;
    pthread_mutex_lock(&d->mu);
    int id = d->progress ? 0 : (d->progress = ++d->progress_count);
    pthread_mutex_unlock(&d->mu);
    if (!id) return;
    char pid[64];
    snprintf(pid, sizeof pid, "cordbg-progress-%d", id);
    send_event(d, "progressStart", json_pack("{s:s, s:o, s:b}", "progressId", pid, "title", jstr(title), "cancellable", 0));
}

static void progress_update(Dap *d, const char *message)
{
    pthread_mutex_lock(&d->mu);
    int id = d->progress;
    pthread_mutex_unlock(&d->mu);
    if (!id) return;
    char pid[64];
    snprintf(pid, sizeof pid, "cordbg-progress-%d", id);
    send_event(d, "progressUpdate", json_pack("{s:s, s:o}", "progressId", pid, "message", jstr(message)));
}

static void progress_end(Dap *d, const char *message)
{
    pthread_mutex_lock(&d->mu);
    int id = d->progress;
    d->progress = 0;
    pthread_mutex_unlock(&d->mu);
    if (!id) return;
    char pid[64];
    snprintf(pid, sizeof pid, "cordbg-progress-%d", id);
    send_event(d, "progressEnd", json_pack("{s:s, s:o}", "progressId", pid, "message", jstr(message)));
}

static void on_notice(void *ctx, const EngNotice *n)
{
    Dap *d = ctx;
    switch (n->kind) {
    case EN_PROCESS_STARTED: case EN_ATTACHED: {
        if (n->kind == EN_PROCESS_STARTED) close_child_stdio(d);
        char comm[64] = "";
        if (n->kind == EN_ATTACHED && os_proc_stat_field(n->pid, 2, comm, sizeof comm) != 0) comm[0] = 0;
        const char *name = n->path ? n->path : comm[0] ? comm : d->program ? d->program : "";
        send_event(d, "process", json_pack("{s:o, s:i, s:b, s:s, s:i}", "name", jstr(name), "systemProcessId", n->pid,
                                           "isLocalProcess", 1, "startMethod",
                                           n->kind == EN_ATTACHED ? "attach" : "launch", "pointerSize", 64));
        break;
    }
    case EN_STOPPED: {
        progress_end(d, "stopped");
        pthread_mutex_lock(&d->mu);
        d->stop_gen++;                  /* frame ids of an earlier stop are no more */
        d->resuming = 0;
        d->last_reason = (int)n->reason;
        pthread_mutex_unlock(&d->mu);
        pthread_mutex_lock(&d->mu);
        int core = d->core;
        pthread_mutex_unlock(&d->mu);
        if (n->reason == ENG_STOP_ATTACH && !core) break;      /* attach goes on at configurationDone */
        if (n->condition_error)
            outputf(d, "console", "Error in condition of breakpoint %d: %s (stopped there)\n", n->bp_id, n->condition_error);
        /* A function breakpoint's stop too is "breakpoint", as vsdbg and netcoredbg say it. */
        const char *reason = reason_name(n->reason);
        /* a core written while nothing had gone wrong: no signal, no exception */
        if (core && n->reason == ENG_STOP_SIGNAL && !n->exception) reason = "pause";
        json_t *b = json_pack("{s:s, s:b}", "reason", reason, "allThreadsStopped", 1);
        if (!b) break;
        if (n->thread_id) json_object_set_new(b, "threadId", json_integer(n->thread_id));
        if ((n->reason == ENG_STOP_BREAKPOINT || n->reason == ENG_STOP_ENTRY || n->reason == ENG_STOP_WATCH) && n->bp_id) {
            json_t *ids = json_array();
            if (n->nbp_ids > 0)
                for (int i = 0; i < n->nbp_ids; i++) json_array_append_new(ids, json_integer(n->bp_ids[i]));
            else
                json_array_append_new(ids, json_integer(n->bp_id));
            json_object_set_new(b, "hitBreakpointIds", ids);
        }
        char desc[1024];
        switch (n->reason) {
        case ENG_STOP_THROW: case ENG_STOP_USER_UNHANDLED: case ENG_STOP_UNHANDLED: {
            /* A dump's stop carries the exception's call stack after its message's first line. */
            const char *m = n->message ? n->message : "", *nl = strchr(m, '\n');
            int mlen = nl ? (int)(nl - m) : (int)strlen(m);
            if (d->core) snprintf(d->core_stack, sizeof d->core_stack, "%s", nl ? nl + 1 : "");
            snprintf(desc, sizeof desc, "%s: %s%s%.*s", n->reason == ENG_STOP_THROW ? "Exception thrown"
                     : n->reason == ENG_STOP_USER_UNHANDLED ? "User-unhandled exception" : "Unhandled exception",
                     n->exception ? n->exception : "?", mlen ? ": " : "", mlen, m);
            json_object_set_new(b, "text", jstr(n->exception ? n->exception : ""));
            break;
        }
        case ENG_STOP_BREAK: snprintf(desc, sizeof desc, "Debugger.Break()"); break;
        case ENG_STOP_ENTRY: snprintf(desc, sizeof desc, "Stopped at entry"); break;
        case ENG_STOP_PAUSE: snprintf(desc, sizeof desc, "Paused"); break;
        case ENG_STOP_WATCH:  /* "Hardware watchpoint 2: x" and the values, on one line */
            snprintf(desc, sizeof desc, "%s", n->message ? n->message : "Data breakpoint");
            for (char *q = desc; *q; q++) if (*q == '\n') *q = ' ';
            break;
        case ENG_STOP_BREAKPOINT: {
            int k = snprintf(desc, sizeof desc, "Breakpoint%s %d", n->nbp_ids > 1 ? "s" : "", n->bp_id);
            for (int i = 1; i < n->nbp_ids && k > 0 && (size_t)k < sizeof desc; i++)
                k += snprintf(desc + k, sizeof desc - (size_t)k, ", %d", n->bp_ids[i]);
            break;
        }
        case ENG_STOP_SIGNAL:
            if (!core) { desc[0] = 0; break; }
            /* a core of a native crash: "SIGSEGV: Segmentation fault." */
            snprintf(desc, sizeof desc, "%s%s%s", n->exception ? n->exception : "signal", n->message && *n->message ? ": " : "",
                     n->message ? n->message : "");
            json_object_set_new(b, "text", jstr(n->exception ? n->exception : ""));
            break;
        default: desc[0] = 0; break;
        }
        if (!desc[0] && core) snprintf(desc, sizeof desc, "Core dump");
        if (desc[0]) json_object_set_new(b, "description", jstr(desc));
        pthread_mutex_lock(&d->mu);
        if (d->core_defer) {
            /* the core opened inside launch: its stop goes out after configurationDone */
            json_decref(d->core_stop);
            d->core_stop = b;
            b = NULL;
        }
        pthread_mutex_unlock(&d->mu);
        if (b) send_event(d, "stopped", b);
        break;
    }
    case EN_RESUMED: {
        pthread_mutex_lock(&d->mu);
        d->stop_gen++;
        int asked = d->dap_resume;
        d->dap_resume = 0;
        pthread_mutex_unlock(&d->mu);
        if (!asked) send_event(d, "continued", json_pack("{s:i, s:b}", "threadId", 0, "allThreadsContinued", 1));
        break;
    }
    case EN_PROCESS_EXITED: case EN_KILLED: {
        progress_end(d, "ended");
        int code = n->exit_code >= 0 ? n->exit_code : n->signal ? 128 + n->signal : n->kind == EN_KILLED ? 137 : 0;
        /* The program's last output first: its pipes end with it (bounded: a child of the
         * program may keep them open). */
        for (int i = 0; i < d->npumps; i++) {
            struct timespec ts;
            clock_gettime(CLOCK_REALTIME, &ts);
            ts.tv_sec += 2;
            if (pthread_timedjoin_np(d->pump[i], NULL, &ts) == 0) d->pump[i] = 0;
        }
        send_event(d, "exited", json_pack("{s:i}", "exitCode", code));
        send_terminated(d);
        break;
    }
    case EN_DETACHED:
        send_terminated(d);
        break;
    case EN_THREAD_CREATED: case EN_THREAD_EXITED:
        send_event(d, "thread", json_pack("{s:s, s:i}", "reason", n->kind == EN_THREAD_CREATED ? "started" : "exited",
                                          "threadId", n->thread_id));
        break;
    case EN_MODULE_LOADED: case EN_MODULE_UNLOADED: {
        const char *path = n->path ? n->path : "";
        const char *base = strrchr(path, '/');
        json_t *m = json_pack("{s:i, s:o, s:o}", "id", n->id, "name", jstr(base ? base + 1 : path), "path", jstr(path));
        if (m && n->kind == EN_MODULE_LOADED)
            json_object_set_new(m, "symbolStatus", json_string(n->has_symbols ? "Symbols loaded." : "Symbols not found."));
        send_event(d, "module", json_pack("{s:s, s:o}", "reason", n->kind == EN_MODULE_LOADED ? "new" : "removed", "module", m));
        if (n->kind == EN_MODULE_LOADED) {
            char msg[512];
            snprintf(msg, sizeof msg, "%s: %s", base ? base + 1 : path, n->has_symbols ? "symbols loaded" : "no symbols");
            progress_update(d, msg);
            /* A launch's start is over when the program's own assembly is in. */
            if (d->start_kind == 'l' && d->program && !strcmp(path, d->program)) progress_end(d, msg);
        }
        /* vsdbg's console line for each module (launch.json logging.moduleLoad, default on) */
        if (n->kind == EN_MODULE_LOADED && !d->no_module_log)
            outputf(d, "console", "Loaded '%s'. %s\n", path, n->has_symbols ? "Symbols loaded." : "Cannot find or open the PDB file.");
        for (const char *p = n->documents; p && *p;) {
            const char *nl = strchr(p, '\n');
            size_t len = nl ? (size_t)(nl - p) : strlen(p);
            char doc[4096];
            snprintf(doc, sizeof doc, "%.*s", (int)len, p);
            send_event(d, "loadedSource", json_pack("{s:s, s:o}", "reason", "new", "source", source_json(d, doc, 0)));
            p += len + (nl != NULL);
        }
        break;
    }
    case EN_BREAKPOINT_BOUND: {
        /* A breakpoint in code the debugger attributes hide is shown greyed, as VS does. */
        const char *never = n->message ? strstr(n->message, "(never stops: ") : NULL;
        json_t *bp = json_pack("{s:i, s:b}", "id", n->bp_id, "verified", !never);
        if (bp && never) json_object_set_new(bp, "message", jstr(n->message));
        if (bp && n->line) json_object_set_new(bp, "line", json_integer(n->line));
        if (bp && n->file) json_object_set_new(bp, "source", source_json(d, n->file, 1));
        send_event(d, "breakpoint", json_pack("{s:s, s:o}", "reason", "changed", "breakpoint", bp));
        break;
    }
    case EN_LOGPOINT: {
        size_t len = strlen(n->message ? n->message : "");
        char *line = malloc(len + 2);
        if (!line) break;
        memcpy(line, n->message ? n->message : "", len);
        line[len] = '\n';
        line[len + 1] = 0;
        output(d, "console", line);
        free(line);
        break;
    }
    case EN_LOG:
        output(d, "console", n->message ? n->message : "");
        break;
    case EN_ERROR: {
        outputf(d, "console", "error: %s\n", n->message ? n->message : "");
        /* A pending breakpoint that a module refused (the engine's "breakpoint N cannot bind
         * in MODULE: WHY"): the breakpoint itself says why, unverified. */
        int id = 0, at = 0;
        const char *m = n->message ? n->message : "";
        if (sscanf(m, "breakpoint %d cannot bind in %*s%n", &id, &at) == 1 && at > 1 && m[at - 1] == ':' && m[at] == ' ' && id > 0)
            send_event(d, "breakpoint", json_pack("{s:s, s:{s:i, s:b, s:o}}", "reason", "changed", "breakpoint", "id", id,
                                                  "verified", 0, "message", jstr(m + at + 1)));
        break;
    }
    case EN_NOTE:
        outputf(d, "console", "%s\n", n->message ? n->message : "");
        break;
    case EN_EXCEPTION_THROWN: {
        /* vsdbg's words, so that what users grep for in the debug console is there */
        const char *mod = n->path ? strrchr(n->path, '/') : NULL;
        mod = mod ? mod + 1 : n->path;
        if (mod) outputf(d, "console", "Exception thrown: '%s' in %s\n", n->exception ? n->exception : "?", mod);
        else outputf(d, "console", "Exception thrown: '%s'\n", n->exception ? n->exception : "?");
        break;
    }
    case EN_APPDOMAIN_CREATED: case EN_APPDOMAIN_EXITED: case EN_ASSEMBLY_LOADED: case EN_ASSEMBLY_UNLOADED:
    case EN_CLASS_LOADED: case EN_CLASS_UNLOADED:
        break;
    }
}

/* ---------------------------------------------------------------- the program's output */

typedef struct Pump { Dap *d; int fd; const char *category; int engine; } Pump;

static void *pump_main(void *arg)
{
    Pump p = *(Pump *)arg;
    free(arg);
    char buf[8192 + 4];
    size_t keep = 0;            /* bytes of a UTF-8 sequence cut by the read */
    for (;;) {
        struct pollfd pf[2] = { { .fd = p.fd, .events = POLLIN }, { .fd = p.d->pump_quit[0], .events = POLLIN } };
        if (poll(pf, 2, -1) < 0) { if (errno == EINTR) continue; break; }
        if (pf[1].revents) break;
        ssize_t n = read(p.fd, buf + keep, 8192);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        size_t len = keep + (size_t)n;
        /* Hold back an incomplete sequence at the end for the next read. */
        size_t cut = len, back = 0;
        while (back < 3 && back < len && ((unsigned char)buf[len - 1 - back] & 0xC0) == 0x80) back++;
        if (back < len) {
            unsigned char lead = (unsigned char)buf[len - 1 - back];
            size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
            if (need > back + 1 && need <= 4) cut = len - 1 - back;
        }
        /* logging.programOutput false: the pipe is still drained, the text dropped */
        if (p.engine || !p.d->no_program_output)
            send_event(p.d, "output", json_pack("{s:s, s:o}", "category", p.category, "output", jstrn(buf, cut)));
        keep = len - cut;
        memmove(buf, buf + cut, keep);
    }
    if (keep && (p.engine || !p.d->no_program_output)) send_event(p.d, "output", json_pack("{s:s, s:o}", "category", p.category, "output", jstrn(buf, keep)));
    close(p.fd);
    return NULL;
}

static int start_pumps(Dap *d)
{
    int out[2], err[2];
    if (pipe2(out, O_CLOEXEC) != 0) return -1;
    if (pipe2(err, O_CLOEXEC) != 0) { close(out[0]); close(out[1]); return -1; }
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    d->stdio[0] = in;
    d->stdio[1] = out[1];
    d->stdio[2] = err[1];
    int fds[2] = { out[0], err[0] };
    const char *cats[2] = { "stdout", "stderr" };
    for (int i = 0; i < 2; i++) {
        Pump *p = malloc(sizeof *p);
        if (!p) { close(fds[i]); continue; }
        *p = (Pump){ d, fds[i], cats[i], 0 };
        if (pthread_create(&d->pump[d->npumps], NULL, pump_main, p) != 0) { free(p); close(fds[i]); continue; }
        d->npumps++;
    }
    return 0;
}

/* ---------------------------------------------------------------- worker */

/* logging.engineLogging (or --engineLogging): cordbg's own log at debug level, as console
 * output events. The log writes into one pipe of the process's, made once and never closed
 * (a thread may be writing to it at any moment); its write end does not block, so a client
 * that reads slowly loses log lines, never stalls the engine. */
static int engine_log_pipe[2] = { -1, -1 };
static int engine_log_always;

void dap_engine_logging(int on) { engine_log_always = on; }

static void start_engine_log(Dap *d)
{
    static pthread_mutex_t once = PTHREAD_MUTEX_INITIALIZER;
    pthread_mutex_lock(&once);
    if (engine_log_pipe[0] < 0 && pipe2(engine_log_pipe, O_CLOEXEC) == 0)
        fcntl(engine_log_pipe[1], F_SETFL, O_NONBLOCK);
    pthread_mutex_unlock(&once);
    if (engine_log_pipe[0] < 0 || d->engine_log || d->npumps >= 3) return;
    /* What an earlier session left unread is not this one's. */
    int rd = dup(engine_log_pipe[0]);
    if (rd < 0) return;
    fcntl(rd, F_SETFL, O_NONBLOCK);
    char junk[4096];
    while (read(rd, junk, sizeof junk) > 0) {}
    fcntl(rd, F_SETFL, 0);
    Pump *p = malloc(sizeof *p);
    if (!p) { close(rd); return; }
    *p = (Pump){ d, rd, "console", 1 };
    if (pthread_create(&d->pump[d->npumps], NULL, pump_main, p) != 0) { free(p); close(rd); return; }
    d->npumps++;
    d->engine_log = 1;
    d->log_saved = log_redirect(engine_log_pipe[1], LOG_DEBUG);
    log_msg(LOG_INFO, "dap", "engine logging on");
}

static void queue_job(Dap *d, JobKind kind, int seq, int value, const char *text)
{
    Job *j = calloc(1, sizeof *j);
    if (!j) return;
    j->kind = kind;
    j->seq = seq;
    j->value = value;
    j->text = text ? strdup(text) : NULL;
    if (kind == JOB_CONTINUE || kind == JOB_STEP) {
        pthread_mutex_lock(&d->mu);
        d->resuming = 1;
        d->dap_resume = 1;
        pthread_mutex_unlock(&d->mu);
        /* The engine gets the request now, from the reader thread, so that a pause the
         * client sends after this answer reaches the engine after it; the worker waits. */
        j->pending = kind == JOB_CONTINUE ? eng_continue_start(d->eng)
                   : j->text ? eng_step_into_start(d->eng, j->text) : eng_step_start(d->eng, value);
    }
    JobQueue *q = kind == JOB_EXEC || kind == JOB_APPLY || kind == JOB_INJECT ? &d->execq : &d->runq;
    pthread_mutex_lock(&q->mu);
    if (q->tail) q->tail->next = j; else q->head = j;
    q->tail = j;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

/* console integratedTerminal: ask the client to run `cordbg --terminal-host SOCKET` in a
 * terminal and wait for it to connect. The connected socket, or -1 (why says why). */
static int terminal_host(Dap *d, char *why, size_t cap)
{
    char dir[] = "/tmp/cordbg-rit-XXXXXX";
    char self[4096];
    int rc = os_read_link("/proc/self/exe", self, sizeof self);
    if (rc != 0 || !mkdtemp(dir)) {
        snprintf(why, cap, "cannot prepare the terminal: %s", strerror(rc ? -rc : errno));
        return -1;
    }
    struct sockaddr_un sa = { .sun_family = AF_UNIX };
    snprintf(sa.sun_path, sizeof sa.sun_path, "%s/host", dir);
    int ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0), fd = -1;
    if (ls < 0 || bind(ls, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(ls, 1) != 0) {
        snprintf(why, cap, "cannot prepare the terminal: %s", strerror(errno));
        goto out;
    }
    char cwd[4096];
    if (!d->cwd && !getcwd(cwd, sizeof cwd)) snprintf(cwd, sizeof cwd, "/");
    const char *base = strrchr(d->program, '/');
    char title[300];
    snprintf(title, sizeof title, "cordbg: %s", base ? base + 1 : d->program);
    pthread_mutex_lock(&d->mu);
    d->rit_err[0] = 0;
    pthread_mutex_unlock(&d->mu);
    send_msg_seq(d, json_pack("{s:s, s:s, s:{s:s, s:s, s:o, s:[s, s, s]}}", "type", "request", "command", "runInTerminal",
                          "arguments", "kind", d->in_terminal == 'e' ? "external" : "integrated", "title", title,
                          "cwd", jstr(d->cwd ? d->cwd : cwd), "args", self, "--terminal-host", sa.sun_path), &d->rit_seq);
    /* The terminal connects, or the client says it could not start it; a client that does
     * neither for a minute has lost the request. */
    struct pollfd p[2] = { { .fd = ls, .events = POLLIN }, { .fd = d->rit_wake[0], .events = POLLIN } };
    int r;
    do r = poll(p, 2, 60000); while (r < 0 && errno == EINTR);
    if (r > 0 && (p[0].revents & POLLIN)) {
        fd = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (fd < 0) snprintf(why, cap, "the terminal did not connect: %s", strerror(errno));
    } else {
        pthread_mutex_lock(&d->mu);
        snprintf(why, cap, "the client could not run the program in a terminal%s%s", d->rit_err[0] ? ": " : " (no answer)",
                 d->rit_err);
        pthread_mutex_unlock(&d->mu);
    }
out:
    if (ls >= 0) close(ls);
    unlink(sa.sun_path);
    rmdir(dir);
    return fd;
}

static int ending(Dap *d)
{
    pthread_mutex_lock(&d->mu);
    int e = d->ending;
    pthread_mutex_unlock(&d->mu);
    return e;
}

/* The session ended while the start was on its way: end what it started. */
static int end_if_ending(Dap *d)
{
    int e = ending(d);
    if (!e) return 0;
    EngResult r;
    if (e == 'k') eng_kill(d->eng, &r); else eng_detach(d->eng, &r);
    eng_result_free(&r);
    send_terminated(d);
    return 1;
}

static void job_start(Dap *d)
{
    EngResult r;
    if (ending(d)) { send_terminated(d); return; }
    if (d->start_kind == 'a') {
        char title[64];
        snprintf(title, sizeof title, "Attaching to process %d", d->attach_pid);
        progress_start(d, title);
        eng_attach(d->eng, d->attach_pid, &r);
        progress_end(d, r.status == 0 ? "attached" : "attach failed");
        if (r.status != 0) {
            outputf(d, "console", "error: %s\n", r.err);
            eng_result_free(&r);
            send_terminated(d);
            return;
        }
        eng_result_free(&r);
        if (end_if_ending(d)) return;
        pthread_mutex_lock(&d->mu);
        d->dap_resume = 1;
        pthread_mutex_unlock(&d->mu);
        eng_continue(d->eng, &r);
    } else {
        EngLaunchArgs la = { .program = d->program, .args = d->args, .cwd = d->cwd, .env = d->env };
        char why[600];
        if (d->in_terminal) {
            la.terminal_fd = terminal_host(d, why, sizeof why);
            if (la.terminal_fd < 0) {
                outputf(d, "console", "error: %s\n", why);
                send_terminated(d);
                return;
            }
            la.in_terminal = 1;
        } else {
            if (start_pumps(d) != 0) outputf(d, "console", "error: cannot make pipes for the program's output: %s\n", strerror(errno));
            la.redirect = d->stdio[1] >= 0;
            for (int i = 0; i < 3; i++) la.stdio[i] = d->stdio[i];
        }
        const char *slash = strrchr(d->program, '/');
        char title[300];
        snprintf(title, sizeof title, "Loading symbols of %s", slash ? slash + 1 : d->program);
        progress_start(d, title);
        eng_run(d->eng, &la, &r);
        progress_end(d, r.status == 0 ? "started" : "failed");
        close_child_stdio(d);
        if (r.status == 0 && eng_state(d->eng) != ENG_NONE && end_if_ending(d)) { eng_result_free(&r); return; }
    }
    if (r.status != 0) {
        outputf(d, "console", "error: %s\n", r.err);
        if (eng_state(d->eng) == ENG_NONE) send_terminated(d);
    }
    eng_result_free(&r);
}

static void job_exec(Dap *d, Job *j)
{
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    if (!f) { respond_error(d, j->seq, "evaluate", "out of memory"); return; }
    int rc = cli_embedded_exec(d->cli, j->text, f);
    fclose(f);
    while (len && text[len - 1] == '\n') text[--len] = 0;
    if (rc != 0) {
        respond_error(d, j->seq, "evaluate", text && *text ? text : "the command failed");
    } else {
        respond(d, j->seq, "evaluate", json_pack("{s:o, s:i}", "result", jstr(text), "variablesReference", 0));
    }
    free(text);
}

/* Hot reload's reports come on its thread: output events, as every apply's. */
static void hot_reload_report(void *ctx, int is_error, const char *text)
{
    Dap *d = ctx;
    outputf(d, "console", "%s%s\n", is_error ? "error: " : "", text);
}

/* cordbg/applyChanges: every saved change now, said in an output event too. */
static void job_apply(Dap *d, Job *j)
{
    EngResult r;
    pthread_mutex_lock(&d->enc_mu);
    enc_apply_all(d->enc, d->eng, &r);
    pthread_mutex_unlock(&d->enc_mu);
    const char *details = r.text ? r.text : "";
    size_t dl = strlen(details);
    while (dl && details[dl - 1] == '\n') dl--;
    if (r.status == 0) {
        outputf(d, "console", "%s%s%.*s\n", r.message, dl ? "\n" : "", (int)dl, details);
        respond(d, j->seq, "cordbg/applyChanges", json_pack("{s:s, s:o}", "message", r.message, "details",
                                                            jstrn(details, dl)));
    } else {
        char msg[4096];
        snprintf(msg, sizeof msg, "%s%s%.*s", r.err, dl ? "\n" : "", (int)dl, details);
        outputf(d, "console", "error: %s\n", msg);
        respond_error(d, j->seq, "cordbg/applyChanges", msg);
    }
    eng_result_free(&r);
}

/* A REPL expression the evaluator refused, injected: its value, or the compiler's words. */
static void job_inject(Dap *d, Job *j)
{
    int thread = j->value >> 16, frame = (j->value & 0xffff) - 1;
    int kind = enc_looks_like_statements(j->text) ? ENC_INJECT_STATEMENTS : ENC_INJECT_EXPRESSION;
    EngResult r;
    pthread_mutex_lock(&d->enc_mu);
    enc_inject(d->enc, d->eng, thread, frame, kind, j->text, &r);
    pthread_mutex_unlock(&d->enc_mu);
    if (r.status == 0) {
        respond(d, j->seq, "evaluate", json_pack("{s:o, s:o, s:i}", "result", jstr(r.text ? r.text : ""),
                                                 "type", jstr(r.message), "variablesReference", 0));
        /* the code may have changed any variable the client shows */
        if (d->client_invalidated) send_event(d, "invalidated", json_pack("{s:[s]}", "areas", "variables"));
        if (!d->injected) {
            d->injected = 1;
            output(d, "console", "note: code injection added a method to the program by Edit and Continue: the "
                                 "runtime will not let the debugger detach from it now\n");
        }
    } else {
        const char *t = r.text && *r.text ? r.text : NULL;
        char msg[4096];
        if (t) snprintf(msg, sizeof msg, "%s", t);
        else snprintf(msg, sizeof msg, "%s", r.err);
        /* compiler errors read as vsdbg shows them: "error CS0103: ..." */
        char out[4200] = "";
        for (char *line = msg, *next; line && *line; line = next) {
            next = strchr(line, '\n');
            if (next) *next++ = 0;
            int cs = line[0] == 'C' && line[1] == 'S' && isdigit((unsigned char)line[2]);
            size_t o = strlen(out);
            snprintf(out + o, sizeof out - o, "%s%s%s", o ? "\n" : "", cs ? "error " : "", line);
        }
        respond_error(d, j->seq, "evaluate", out);
    }
    eng_result_free(&r);
}

static void *worker_main(void *arg)
{
    JobQueue *q = arg;
    Dap *d = q->d;
    for (;;) {
        pthread_mutex_lock(&q->mu);
        while (!q->head && !q->quit) pthread_cond_wait(&q->cv, &q->mu);
        Job *j = q->quit ? NULL : q->head;      /* the session is over: what waits is dropped */
        if (!j) { pthread_mutex_unlock(&q->mu); break; }
        q->head = j->next;
        if (!q->head) q->tail = NULL;
        pthread_mutex_unlock(&q->mu);
        EngResult r;
        switch (j->kind) {
        case JOB_START: job_start(d); break;
        case JOB_CONTINUE: case JOB_STEP:
            eng_wait(d->eng, j->pending, &r);
            if (r.status != 0) {
                /* Answered already: say why, and show the program stopped where it was. */
                outputf(d, "console", "error: %s\n", r.err);
                pthread_mutex_lock(&d->mu);
                int was = d->resuming;
                d->resuming = 0;
                d->dap_resume = 0;
                pthread_mutex_unlock(&d->mu);
                if (was && eng_state(d->eng) == ENG_STOPPED)
                    send_event(d, "stopped", json_pack("{s:s, s:b, s:s}", "reason", "step", "allThreadsStopped", 1,
                                                       "description", r.err));
            }
            eng_result_free(&r);
            break;
        case JOB_EXEC: job_exec(d, j); break;
        case JOB_APPLY: job_apply(d, j); break;
        case JOB_INJECT: job_inject(d, j); break;
        }
        free(j->text);
        free(j);
    }
    return NULL;
}

/* ---------------------------------------------------------------- requests */

typedef struct Req {
    int         seq;
    const char *command;
    json_t     *args;       /* an object (empty when the request had none) */
} Req;

typedef struct Reply {
    json_t *body;
    int     failed;
    char    msg[1024];
    int     deferred;       /* answered later (by the worker) */
    int     after;          /* an event to send after the response */
    int     after_thread;
    Job     job;            /* queued after the response when job.kind set with queue */
    int     queue;
    json_t *after_stopped;  /* a stopped event to send after the response (a core's crash moment) */
} Reply;

enum { AFTER_NONE, AFTER_INITIALIZED, AFTER_GOTO };

static int failf(Reply *rp, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int failf(Reply *rp, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(rp->msg, sizeof rp->msg, fmt, ap);
    va_end(ap);
    rp->failed = 1;
    return -1;
}

/* Arguments: 1 found, 0 absent; a present value of the wrong type fails the request. */
static int arg_int(Req *rq, Reply *rp, const char *key, long long *out)
{
    json_t *v = json_object_get(rq->args, key);
    if (!v || json_is_null(v)) return 0;
    if (json_is_real(v) && fabs(json_real_value(v)) >= 9223372036854775808.0)
        return failf(rp, "invalid '%s': a number beyond 64 bits", key);
    if (!json_is_integer(v)) return failf(rp, "'%s' must be an integer", key);
    *out = json_integer_value(v);
    return 1;
}

static int arg_str(Req *rq, Reply *rp, const char *key, const char **out)
{
    json_t *v = json_object_get(rq->args, key);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_string(v)) return failf(rp, "'%s' must be a string", key);
    *out = json_string_value(v);
    return 1;
}

static int arg_bool(Req *rq, Reply *rp, const char *key, int *out)
{
    json_t *v = json_object_get(rq->args, key);
    if (!v || json_is_null(v)) return 0;
    if (!json_is_boolean(v)) return failf(rp, "'%s' must be true or false", key);
    *out = json_is_true(v);
    return 1;
}

static int need_int(Req *rq, Reply *rp, const char *key, long long *out)
{
    int r = arg_int(rq, rp, key, out);
    if (r == 0) return failf(rp, "'%s' is missing", key);
    return r;
}

static int need_str(Req *rq, Reply *rp, const char *key, const char **out)
{
    int r = arg_str(rq, rp, key, out);
    if (r == 0) return failf(rp, "'%s' is missing", key);
    return r;
}

/* The engine result's failure as the request's. 0 when it succeeded. */
static int eng_failed(EngResult *r, Reply *rp)
{
    if (r->status == 0) return 0;
    failf(rp, "%s", r->err);
    return -1;
}

/* An evaluation's failure: a C# compiler error reads as vsdbg shows it ("error CS0103: The
 * name 'x' does not exist in the current context"). */
static int eval_failed(EngResult *r, Reply *rp)
{
    if (r->status == 0) return 0;
    const char *e = r->err;
    int cs = e[0] == 'C' && e[1] == 'S' && isdigit((unsigned char)e[2]) && isdigit((unsigned char)e[3]) &&
             isdigit((unsigned char)e[4]) && isdigit((unsigned char)e[5]) && e[6] == ':';
    failf(rp, "%s%s", cs ? "error " : "", e);
    return -1;
}

static int need_stopped(Dap *d, Reply *rp)
{
    EngState st = eng_state(d->eng);
    pthread_mutex_lock(&d->mu);
    int resuming = d->resuming;
    pthread_mutex_unlock(&d->mu);
    if (st == ENG_NONE) return failf(rp, "the program is not being debugged");
    if (st != ENG_STOPPED || resuming) return failf(rp, "the program is running; pause it first");
    return 0;
}

static void frames_clear(Dap *d)
{
    for (size_t i = 0; i < d->fr_nthreads; i++) free(d->fr_ids[i].ids);
    free(d->fr_ids);
    free(d->fr_pos);
    d->fr_ids = NULL;
    d->fr_pos = NULL;
    d->fr_nthreads = d->fr_n = d->fr_cap = 0;
}

/* (mu) The table of the current stop: emptied when the program has run since it was made.
 * Ids keep growing from stop to stop, so that an old id never names a new frame. */
static void frames_current(Dap *d)
{
    if (d->fr_gen == d->stop_gen && (d->fr_pos || d->fr_base)) return;
    frames_clear(d);
    d->fr_gen = d->stop_gen;
    if (d->fr_next <= 0 || d->fr_next > 0x7fff0000) d->fr_next = 1;    /* wrapped after 2^31 frames */
    d->fr_base = d->fr_next;
}

/* The id of a thread's frame at this stop (the same id every time it is asked); 0 when out
 * of memory. */
static int frame_id(Dap *d, int thread, int index)
{
    int id = 0;
    pthread_mutex_lock(&d->mu);
    frames_current(d);
    struct ThreadIds *t = NULL;
    for (size_t i = 0; i < d->fr_nthreads && !t; i++) if (d->fr_ids[i].thread == thread) t = &d->fr_ids[i];
    if (!t) {
        struct ThreadIds *p = realloc(d->fr_ids, (d->fr_nthreads + 1) * sizeof *p);
        if (!p) goto out;
        d->fr_ids = p;
        t = &p[d->fr_nthreads++];
        *t = (struct ThreadIds){ .thread = thread };
    }
    if ((size_t)index >= t->n) {
        size_t n = (size_t)index + 1 > t->n * 2 ? (size_t)index + 1 : t->n * 2;
        int *p = realloc(t->ids, n * sizeof *p);
        if (!p) goto out;
        memset(p + t->n, 0, (n - t->n) * sizeof *p);
        t->ids = p;
        t->n = n;
    }
    if (!t->ids[index]) {
        if (d->fr_n == d->fr_cap) {
            size_t cap = d->fr_cap ? d->fr_cap * 2 : 64;
            struct FramePos *p = realloc(d->fr_pos, cap * sizeof *p);
            if (!p) goto out;
            d->fr_pos = p;
            d->fr_cap = cap;
        }
        d->fr_pos[d->fr_n++] = (struct FramePos){ thread, index };
        t->ids[index] = d->fr_next++;
    }
    id = t->ids[index];
out:
    pthread_mutex_unlock(&d->mu);
    return id;
}

/* The thread and frame index of a frame id given out at this stop; -1 with the request
 * failed (why) when it names none, or one of an earlier stop. */
static int frame_of(Dap *d, Reply *rp, long long id, int *thread, int *index)
{
    *thread = *index = 0;
    pthread_mutex_lock(&d->mu);
    frames_current(d);
    int found = id >= d->fr_base && id < d->fr_base + (long long)d->fr_n;
    if (found) {
        *thread = d->fr_pos[id - d->fr_base].thread;
        *index = d->fr_pos[id - d->fr_base].index;
    }
    int earlier = !found && id > 0 && id < d->fr_base;
    pthread_mutex_unlock(&d->mu);
    if (found) return 0;
    if (earlier) return failf(rp, "invalid 'frameId': %lld names a frame of an earlier stop (the program ran since; ask stackTrace again)", id);
    return failf(rp, "invalid 'frameId': %lld names no frame", id);
}

static int select_thread(Dap *d, Reply *rp, long long thread)
{
    if (thread <= 0 || thread > 0x7fff) return failf(rp, "no thread %lld", thread);
    EngResult r;
    eng_select_thread(d->eng, (int)thread, &r);
    int rc = eng_failed(&r, rp);
    eng_result_free(&r);
    return rc;
}

/* ---------------------------------------------------------------- low-level views: shared bits */

/* A memory reference: the address in hex, as other adapters give it. */
static json_t *mem_ref(uint64_t addr)
{
    char b[32];
    snprintf(b, sizeof b, "0x%llx", (unsigned long long)addr);
    return json_string(b);
}

/* A memoryReference (or instructionReference) and a byte offset: the address. -1 with the
 * request failed when it names none. */
static int parse_mem_ref(Req *rq, Reply *rp, const char *key, uint64_t *out)
{
    const char *ref = NULL;
    long long off = 0;
    if (need_str(rq, rp, key, &ref) < 0 || arg_int(rq, rp, "offset", &off) < 0) return -1;
    const char *p = ref;
    while (*p == ' ') p++;
    char *end = NULL;
    errno = 0;
    unsigned long long a = *p && *p != '-' ? strtoull(p, &end, 0) : 0;
    if (!*p || *p == '-' || errno || !end || *end) return failf(rp, "invalid '%s': '%s' is not an address (want 0x...)", key, ref);
    uint64_t addr = (uint64_t)a + (uint64_t)off;
    if ((off > 0 && addr < a) || (off < 0 && addr > a)) return failf(rp, "invalid '%s': %s%+lld is outside the address space", key, ref, off);
    *out = addr;
    return 0;
}

/* The Registers scope of frame fid: its variablesReference is REGISTERS_REF + fid, apart
 * from the engine's references (small numbers). */
enum { REGISTERS_REF = 0x40000000 };

static json_t *registers_scope(long long fid)
{
    if (fid <= 0 || fid >= REGISTERS_REF) return NULL;
    return json_pack("{s:s, s:I, s:s, s:b}", "name", "Registers", "variablesReference", (json_int_t)(REGISTERS_REF + fid),
                     "presentationHint", "registers", "expensive", 0);
}

static void registers_variables(Dap *d, Reply *rp, long long ref)
{
    int thread, index;
    if (frame_of(d, rp, ref - REGISTERS_REF, &thread, &index) < 0) return;
    EngResult r;
    eng_frame_registers(d->eng, thread, index, &r);
    if (eng_failed(&r, rp)) { eng_result_free(&r); return; }
    json_t *out = json_array();
    for (size_t i = 0; i < r.nvars; i++) {
        const EngVar *v = &r.vars[i];
        /* "0x2a\t42": the hex value; rip and eflags keep what follows (symbol, flags) */
        char value[600];
        const char *tab = strchr(v->value, '\t');
        int keep = tab && (!strcmp(v->name, "rip") || !strcmp(v->name, "eflags"));
        if (tab && !keep) snprintf(value, sizeof value, "%.*s", (int)(tab - v->value), v->value);
        else if (tab) snprintf(value, sizeof value, "%.*s %s", (int)(tab - v->value), v->value, tab + 1);
        else snprintf(value, sizeof value, "%s", v->value);
        json_t *o = json_pack("{s:o, s:o, s:i}", "name", jstr(v->name), "value", jstr(value), "variablesReference", 0);
        if (!o) continue;
        if (!strcmp(v->name, "rip") || !strcmp(v->name, "rsp") || !strcmp(v->name, "rbp")) {
            unsigned long long a = strtoull(v->value, NULL, 16);
            if (a) json_object_set_new(o, "memoryReference", mem_ref(a));
        }
        json_array_append_new(out, o);
    }
    eng_result_free(&r);
    rp->body = json_pack("{s:o}", "variables", out);
}

/* setVariable in a Registers scope: the register of that frame's thread (a native stop). */
static void set_register(Dap *d, Reply *rp, long long ref, const char *name, const char *value)
{
    int thread, index;
    if (frame_of(d, rp, ref - REGISTERS_REF, &thread, &index) < 0) return;
    if (index != 0) { failf(rp, "registers can be set in the innermost frame only"); return; }
    char *end;
    errno = 0;
    long long sv = 0;
    unsigned long long v = value[0] == '-' ? (unsigned long long)(sv = strtoll(value, &end, 0)) : strtoull(value, &end, 0);
    while (end && isspace((unsigned char)*end)) end++;
    if (errno || end == value || (end && *end)) { failf(rp, "'%s' is not a number for $%s", value, name); return; }
    if (select_thread(d, rp, thread) < 0) return;
    EngResult r;
    eng_set_register(d->eng, name, (uint64_t)v, &r);
    if (eng_failed(&r, rp)) { eng_result_free(&r); return; }
    eng_result_free(&r);
    char shown[32];
    snprintf(shown, sizeof shown, "0x%llx", v);
    rp->body = json_pack("{s:s, s:i}", "value", shown, "variablesReference", 0);
}

/* next / stepIn / stepOut with granularity "instruction". */
static int by_instruction(Req *rq, Reply *rp)
{
    const char *g = NULL;
    if (arg_str(rq, rp, "granularity", &g) != 1) return 0;
    return !strcmp(g, "instruction");
}

static void on_initialize(Dap *d, Req *rq, Reply *rp)
{
    if (d->initialized) { failf(rp, "initialize was already received"); return; }
    int b;
    const char *fmt = NULL;
    if (arg_bool(rq, rp, "linesStartAt1", &b) == 1) d->lines1 = b;
    if (arg_bool(rq, rp, "columnsStartAt1", &b) == 1) d->cols1 = b;
    if (arg_bool(rq, rp, "supportsRunInTerminalRequest", &b) == 1) d->client_rit = b;
    if (arg_bool(rq, rp, "supportsProgressReporting", &b) == 1) d->client_progress = b;
    if (arg_bool(rq, rp, "supportsMemoryEvent", &b) == 1) d->client_memory_event = b;
    if (arg_bool(rq, rp, "supportsInvalidatedEvent", &b) == 1) d->client_invalidated = b;
    if (arg_str(rq, rp, "pathFormat", &fmt) == 1 && strcmp(fmt, "path") != 0) { failf(rp, "only pathFormat 'path' is supported"); return; }
    if (rp->failed) return;
    d->initialized = 1;
    json_t *filters = json_pack("[{s:s, s:s, s:b, s:b, s:s}, {s:s, s:s, s:b}, {s:s, s:s, s:b}]",
        "filter", "all", "label", "All Exceptions", "default", 0, "supportsCondition", 1,
        "conditionDescription", "Exception types, comma-separated: System.ArgumentException, System.IO.IOException",
        "filter", "user-unhandled", "label", "User-Unhandled Exceptions", "default", 1,
        "filter", "unhandled", "label", "Unhandled Exceptions", "default", 1);
    rp->body = json_pack("{s:b, s:b, s:b, s:b, s:b, s:o, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b, s:b,"
                         " s:b, s:b, s:b, s:b, s:b, s:b}",
        "supportsConfigurationDoneRequest", 1,
        "supportsFunctionBreakpoints", 1,
        "supportsConditionalBreakpoints", 1,
        "supportsHitConditionalBreakpoints", 1,
        "supportsEvaluateForHovers", 1,
        "exceptionBreakpointFilters", filters,
        "supportsSetVariable", 1,
        "supportsGotoTargetsRequest", 1,
        "supportsLoadedSourcesRequest", 1,
        "supportsLogPoints", 1,
        "supportsExceptionInfoRequest", 1,
        "supportsValueFormattingOptions", 1,
        "supportsExceptionFilterOptions", 1,
        "supportsSetExpression", 1,
        "supportsTerminateRequest", 1,
        "supportsCancelRequest", 1,
        "supportsBreakpointLocationsRequest", 1,
        "supportsClipboardContext", 1,
        "supportsModulesRequest", 1,
        "supportTerminateDebuggee", 1,
        "supportsDelayedStackTraceLoading", 1,
        "supportsRestartRequest", 0,
        "supportsStepBack", 0,
        "supportsDataBreakpoints", 1);
    /* The requests editors use (issue 18), kept apart from the list above. */
    static const char *const editor_caps[] = { "supportsCompletionsRequest", "supportsStepInTargetsRequest" };
    for (size_t i = 0; rp->body && i < sizeof editor_caps / sizeof *editor_caps; i++)
        json_object_set_new(rp->body, editor_caps[i], json_true());
    /* Low-level views (issue 19): disassembly, memory, instruction breakpoints and steps. */
    static const char *const lowlevel_caps[] = { "supportsDisassembleRequest", "supportsReadMemoryRequest",
        "supportsWriteMemoryRequest", "supportsInstructionBreakpoints", "supportsSteppingGranularity" };
    for (size_t i = 0; rp->body && i < sizeof lowlevel_caps / sizeof *lowlevel_caps; i++)
        json_object_set_new(rp->body, lowlevel_caps[i], json_true());
    rp->after = AFTER_INITIALIZED;
}

static void maybe_start(Dap *d)
{
    if (d->start_kind == 'c') return;       /* a core opened at launch: nothing starts */
    if (d->configured && d->start_kind && !d->started) {
        d->started = 1;
        queue_job(d, JOB_START, 0, 0, NULL);
    }
}

static char **string_array(json_t *a)
{
    size_t n = json_array_size(a);
    char **v = calloc(n + 1, sizeof *v);
    if (!v) return NULL;
    for (size_t i = 0; i < n; i++) {
        const char *s = json_string_value(json_array_get(a, i));
        v[i] = strdup(s ? s : "");
    }
    return v;
}

/* 'args' given as one string: split as a POSIX shell splits words, without running one
 * (no expansion): blanks separate, '...' is literal, "..." keeps \ only before \ " $ ` and
 * a newline, a backslash outside quotes takes the next character as it is. NULL with *err
 * set for an unterminated quote. */
static char **split_args(const char *s, const char **err)
{
    size_t cap = 8, n = 0, len = strlen(s);
    char **v = calloc(cap, sizeof *v);
    char *w = malloc(len + 1);
    *err = NULL;
    if (!v || !w) { free(v); free(w); *err = "out of memory"; return NULL; }
    const char *p = s;
    for (;;) {
        while (*p == ' ' || *p == '\t' || *p == '\n') p++;
        if (!*p) break;
        size_t k = 0;
        while (*p && *p != ' ' && *p != '\t' && *p != '\n') {
            if (*p == '\'') {
                const char *e = strchr(p + 1, '\'');
                if (!e) { *err = "unterminated ' in 'args'"; goto fail; }
                memcpy(w + k, p + 1, (size_t)(e - p - 1));
                k += (size_t)(e - p - 1);
                p = e + 1;
            } else if (*p == '"') {
                for (p++; *p != '"'; p++) {
                    if (!*p) { *err = "unterminated \" in 'args'"; goto fail; }
                    if (*p == '\\' && p[1] && strchr("\\\"$`\n", p[1])) {
                        p++;
                        if (*p == '\n') continue;       /* a line continuation */
                    }
                    w[k++] = *p;
                }
                p++;
            } else if (*p == '\\') {
                p++;
                if (*p == '\n') { p++; continue; }
                if (*p) w[k++] = *p++;
            } else {
                w[k++] = *p++;
            }
        }
        if (n + 2 > cap) {
            char **nv = realloc(v, (cap *= 2) * sizeof *v);
            if (!nv) { *err = "out of memory"; goto fail; }
            v = nv;
        }
        if (!(v[n] = strndup(w, k))) { *err = "out of memory"; goto fail; }
        v[++n] = NULL;
    }
    free(w);
    return v;
fail:
    free(w);
    for (size_t i = 0; i < n; i++) free(v[i]);
    free(v);
    return NULL;
}

static void free_strings(char **v)
{
    for (char **p = v; p && *p; p++) free(*p);
    free(v);
}

static void set_flag(Dap *d, Req *rq, Reply *rp, const char *key, void (*fn)(EngSession *, int, EngResult *))
{
    int on;
    if (arg_bool(rq, rp, key, &on) != 1) return;
    EngResult r;
    fn(d->eng, on, &r);
    eng_result_free(&r);
}

/* launch.json's expressionEvaluationOptions (vsdbg's): allowImplicitFuncEval (getters,
 * ToString, DebuggerDisplay and proxies while showing values), allowToString, showRawStructure;
 * allowFastEvaluate is accepted (cordbg has one evaluator). */
static void eval_options(Dap *d, Req *rq, Reply *rp)
{
    json_t *o = json_object_get(rq->args, "expressionEvaluationOptions");
    if (!o || json_is_null(o)) return;
    if (!json_is_object(o)) { failf(rp, "'expressionEvaluationOptions' must be an object"); return; }
    static const char *const keys[] = { "allowImplicitFuncEval", "allowToString", "showRawStructure", "allowFastEvaluate" };
    int val[4] = { 1, 1, 0, 1 };
    for (int i = 0; i < 4; i++) {
        json_t *v = json_object_get(o, keys[i]);
        if (!v || json_is_null(v)) continue;
        if (!json_is_boolean(v)) { failf(rp, "'expressionEvaluationOptions.%s' must be true or false", keys[i]); return; }
        val[i] = json_is_true(v);
    }
    EngResult r;
    eng_set_eval(d->eng, val[0], 0, -1, &r);
    eng_result_free(&r);
    eng_set_eval_display(d->eng, val[1], val[2], &r);
    eng_result_free(&r);
}

/* "mixedMode": true debugs the process's native code too (cordbg --mixed). */
static void set_mixed(EngSession *eng, int on, EngResult *r)
{
    eng_set_mode(eng, on ? ENG_MODE_MIXED : ENG_MODE_MANAGED, r);
}

/* "cordbgMode": "managed" | "mixed" | "native" (cordbg --mixed, --native: a native ELF
 * program); wins over mixedMode. */
static void cordbg_mode(Dap *d, Req *rq, Reply *rp)
{
    const char *mode = NULL;
    if (arg_str(rq, rp, "cordbgMode", &mode) != 1) return;
    EngMode m;
    if (!strcmp(mode, "managed")) m = ENG_MODE_MANAGED;
    else if (!strcmp(mode, "mixed")) m = ENG_MODE_MIXED;
    else if (!strcmp(mode, "native")) m = ENG_MODE_NATIVE;
    else { failf(rp, "unknown cordbgMode '%s' (managed, mixed, native)", mode); return; }
    EngResult r;
    eng_set_mode(d->eng, m, &r);
    eng_failed(&r, rp);
    eng_result_free(&r);
}

/* launch.json keys (the C# extension's coreclr configurations, vsdbg's). Each key a
 * launch or attach brings is either honoured, the client's own (VS Code acts on it before
 * the request, or it names the configuration), or reported with one output event saying
 * what cordbg does instead: a configuration moved from vsdbg must not lose a setting
 * silently. The README's DAP section has the same table. */
typedef struct LaunchKey {
    const char *name;
    char        how;            /* 'h' honoured, 'c' the client's, 'r' reported with why, 'o' object: sub-keys checked */
    const char *why;            /* 'r': what cordbg does instead; 'o': the sub-table's name */
} LaunchKey;

static const LaunchKey logging_keys[] = {
    { "exceptions", 'h', NULL },
    { "moduleLoad", 'h', NULL },
    { "programOutput", 'h', NULL },
    { "engineLogging", 'h', NULL },
    { "browserStdOut", 'r', "cordbg opens no browser" },
    { "elapsedTiming", 'r', "cordbg does not time its work" },
    { "threadExit", 'r', "thread exits are not written as output" },
    { "processExit", 'r', "the exit code always comes in the exited event" },
    { "consoleUsageMessage", 'r', "cordbg writes no usage message" },
    { "diagnosticsLog", 'r', "use cordbg --log=FILE" },
    { NULL, 0, NULL },
};

static const LaunchKey symbol_keys[] = {
    { "searchPaths", 'h', NULL },
    { "searchMicrosoftSymbolServer", 'r', "cordbg downloads no symbols" },
    { "searchNuGetOrgSymbolServer", 'r', "cordbg downloads no symbols" },
    { "cachePath", 'r', "cordbg downloads no symbols" },
    { "moduleFilter", 'r', "symbols of every module are loaded when there are any" },
    { NULL, 0, NULL },
};

static const LaunchKey eval_keys[] = {
    { "allowImplicitFuncEval", 'h', NULL },
    { "allowToString", 'h', NULL },
    { "showRawStructure", 'h', NULL },
    { "allowFastEvaluate", 'h', NULL },
    { NULL, 0, NULL },
};

/* 'l' launch only, 'a' attach only, 'b' both. */
static const struct { LaunchKey k; char req; } launch_keys[] = {
    { { "type", 'c', NULL }, 'b' },
    { { "request", 'c', NULL }, 'b' },
    { { "name", 'c', NULL }, 'b' },
    { { "preLaunchTask", 'c', NULL }, 'b' },
    { { "postDebugTask", 'c', NULL }, 'b' },
    { { "internalConsoleOptions", 'c', NULL }, 'b' },
    { { "presentation", 'c', NULL }, 'b' },
    { { "debugServer", 'c', NULL }, 'b' },
    { { "windows", 'c', NULL }, 'b' },
    { { "osx", 'c', NULL }, 'b' },
    { { "linux", 'c', NULL }, 'b' },
    { { "program", 'h', NULL }, 'l' },
    { { "args", 'h', NULL }, 'l' },
    { { "cwd", 'h', NULL }, 'l' },
    { { "env", 'h', NULL }, 'l' },
    { { "console", 'h', NULL }, 'l' },
    { { "stopAtEntry", 'h', NULL }, 'l' },
    { { "coreDumpPath", 'h', NULL }, 'l' },
    { { "processId", 'h', NULL }, 'a' },
    { { "justMyCode", 'h', NULL }, 'b' },
    { { "enableStepFiltering", 'h', NULL }, 'b' },
    { { "mixedMode", 'h', NULL }, 'b' },
    { { "cordbgMode", 'h', NULL }, 'b' },
    { { "expressionEvaluationOptions", 'o', "expressionEvaluationOptions" }, 'b' },
    { { "logging", 'o', "logging" }, 'b' },
    { { "symbolOptions", 'o', "symbolOptions" }, 'b' },
    { { "envFile", 'h', NULL }, 'l' },
    { { "sourceFileMap", 'h', NULL }, 'b' },
    { { "requireExactSource", 'h', NULL }, 'b' },
    { { "suppressJITOptimizations", 'h', NULL }, 'b' },
    { { "hotReload", 'h', NULL }, 'b' },
    { { "hotReloadOnSave", 'h', NULL }, 'b' },
    { { "sourceLinkOptions", 'r', "cordbg downloads no Source Link sources" }, 'b' },
    { { "launchBrowser", 'r', "cordbg opens no browser" }, 'l' },
    { { "serverReadyAction", 'r', "cordbg opens no browser" }, 'l' },
    { { "launchSettingsFilePath", 'r', "launchSettings.json is not read" }, 'l' },
    { { "launchSettingsProfile", 'r', "launchSettings.json is not read" }, 'l' },
    { { "pipeTransport", 'r', "cordbg debugs on this machine only; run cordbg on the target" }, 'b' },
    { { "processName", 'r', "give 'processId'" }, 'a' },
    { { "targetArchitecture", 'r', "cordbg debugs x64 (the machine's own)" }, 'b' },
    { { "checkForDevCert", 'r', "no development certificate is checked" }, 'l' },
    { { "targetOutputLogPath", 'r', "the program's output comes as output events" }, 'l' },
    { { "externalConsole", 'r', "use \"console\": \"externalTerminal\"" }, 'l' },
    { { "avoidWindowsConsoleRedirection", 'r', "a Windows setting" }, 'l' },
    { { "allowFastEvaluate", 'r', "cordbg has one evaluator" }, 'b' },
    { { "noDebug", 'r', "cordbg always debugs the program" }, 'l' },
};

static const LaunchKey *sub_table(const char *name)
{
    if (!strcmp(name, "logging")) return logging_keys;
    if (!strcmp(name, "symbolOptions")) return symbol_keys;
    return eval_keys;
}

static void report_sub_keys(Dap *d, const char *req, const char *outer, json_t *o, const LaunchKey *tab)
{
    const char *k;
    json_t *v;
    json_object_foreach(o, k, v) {
        const LaunchKey *e = tab;
        while (e->name && strcmp(e->name, k)) e++;
        if (!e->name)
            outputf(d, "console", "%s key '%s.%s' is not known to cordbg: it is ignored\n", req, outer, k);
        else if (e->how == 'r')
            outputf(d, "console", "%s key '%s.%s' is not honoured by cordbg: %s\n", req, outer, k, e->why);
    }
}

/* One output event for each key of a launch ('l') or attach ('a') request that cordbg
 * does not act on. Keys starting with "__" are VS Code's own (__sessionId...). */
static void report_keys(Dap *d, Req *rq, int kind)
{
    const char *req = kind == 'l' ? "launch" : "attach";
    const char *k;
    json_t *v;
    json_object_foreach(rq->args, k, v) {
        if (!strncmp(k, "__", 2)) continue;
        size_t i, n = sizeof launch_keys / sizeof launch_keys[0];
        for (i = 0; i < n; i++) if (!strcmp(launch_keys[i].k.name, k)) break;
        if (i == n) {
            outputf(d, "console", "%s key '%s' is not known to cordbg: it is ignored\n", req, k);
            continue;
        }
        const LaunchKey *e = &launch_keys[i].k;
        if (launch_keys[i].req != 'b' && launch_keys[i].req != kind && e->how != 'c')
            outputf(d, "console", "%s key '%s' belongs to %s configurations: it is ignored\n", req, k,
                    kind == 'l' ? "attach" : "launch");
        else if (e->how == 'r')
            outputf(d, "console", "%s key '%s' is not honoured by cordbg: %s\n", req, k, e->why);
        else if (e->how == 'o' && json_is_object(v))
            report_sub_keys(d, req, k, v, sub_table(e->why));
    }
}

/* launch.json's envFile (as vsdbg reads it): KEY=VALUE lines; blank lines and lines
 * starting with # are skipped, "export " before a key is allowed, a value in matching
 * single or double quotes loses them. The variables go into *out (an object); NULL on
 * success, else the error (in err). */
static const char *read_env_file(const char *path, json_t *out, char *err, size_t cap)
{
    FILE *f = fopen(path, "r");
    if (!f) { snprintf(err, cap, "envFile %s: %s", path, strerror(errno)); return err; }
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    int no = 0;
    const char *bad = NULL;
    while (!bad && (len = getline(&line, &lcap, f)) >= 0) {
        no++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        char *p = line;
        while (*p == ' ' || *p == '\t') p++;
        if (!*p || *p == '#') continue;
        if (!strncmp(p, "export ", 7)) for (p += 7; *p == ' '; p++) {}
        char *eq = strchr(p, '=');
        char *ke = eq;
        while (ke && ke > p && (ke[-1] == ' ' || ke[-1] == '\t')) ke--;
        if (!eq || ke == p) { snprintf(err, cap, "envFile %s line %d: not KEY=VALUE", path, no); bad = err; break; }
        *ke = 0;
        char *v = eq + 1;
        while (*v == ' ' || *v == '\t') v++;
        size_t vl = strlen(v);
        while (vl > 0 && (v[vl - 1] == ' ' || v[vl - 1] == '\t')) v[--vl] = 0;
        if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) { v[vl - 1] = 0; v++; }
        json_object_set_new(out, p, jstr(v));
    }
    free(line);
    fclose(f);
    return bad;
}

/* launch.json's logging.moduleLoad and logging.programOutput (default true, as vsdbg);
 * a value that is not true or false keeps the default (reported by report_keys only when
 * the key is not known). */
static void logging_options(Dap *d, Req *rq)
{
    json_t *o = json_object_get(rq->args, "logging");
    int exceptions = 1, engine = engine_log_always;
    if (json_is_object(o)) {
        json_t *v = json_object_get(o, "moduleLoad");
        if (json_is_boolean(v)) d->no_module_log = !json_is_true(v);
        v = json_object_get(o, "programOutput");
        if (json_is_boolean(v)) d->no_program_output = !json_is_true(v);
        v = json_object_get(o, "exceptions");
        if (json_is_boolean(v)) exceptions = json_is_true(v);
        v = json_object_get(o, "engineLogging");
        if (json_is_boolean(v)) engine = engine || json_is_true(v);
    }
    EngResult r;
    eng_set_exception_log(d->eng, exceptions, &r);
    eng_result_free(&r);
    if (engine) start_engine_log(d);
}

/* launch.json's symbolOptions.searchPaths: directories with PDBs kept apart from their
 * assemblies. */
static void symbol_options(Reply *rp, Req *rq)
{
    eng_set_symbol_paths(NULL, 0);      /* the paths are the process's: none from an earlier session */
    json_t *o = json_object_get(rq->args, "symbolOptions");
    if (!json_is_object(o)) return;
    json_t *a = json_object_get(o, "searchPaths");
    if (!a || json_is_null(a)) return;
    if (!json_is_array(a)) { failf(rp, "'symbolOptions.searchPaths' must be an array of directories"); return; }
    const char *dirs[16];
    size_t n = 0;
    for (size_t i = 0; i < json_array_size(a) && n < 16; i++) {
        const char *p = json_string_value(json_array_get(a, i));
        if (!p) { failf(rp, "'symbolOptions.searchPaths' must be an array of directories"); return; }
        dirs[n++] = p;
    }
    eng_set_symbol_paths(dirs, n);
}

/* launch.json's sourceFileMap: { "path in the PDB": "local path" }. */
static void source_file_map(Dap *d, Req *rq, Reply *rp)
{
    json_t *o = json_object_get(rq->args, "sourceFileMap");
    if (!o || json_is_null(o)) return;
    if (!json_is_object(o)) { failf(rp, "'sourceFileMap' must be an object of paths"); return; }
    size_t n = json_object_size(o);
    char **from = calloc(n + 1, sizeof *from), **to = calloc(n + 1, sizeof *to);
    if (!from || !to) { free(from); free(to); failf(rp, "out of memory"); return; }
    const char *k;
    json_t *v;
    size_t i = 0;
    json_object_foreach(o, k, v) {
        if (!json_is_string(v) || !*k || !*json_string_value(v)) {
            failf(rp, "'sourceFileMap' entry '%s' must map a path to a path", k);
            break;
        }
        from[i] = strdup(k);
        to[i] = strdup(json_string_value(v));
        i++;
    }
    if (rp->failed) { free_strings(from); free_strings(to); return; }
    free_strings(d->map_from);      /* a launch that failed after this had kept its map */
    free_strings(d->map_to);
    d->map_from = from;
    d->map_to = to;
    d->nmap = i;
    /* The engine binds with it (breakpoints set before the launch too, as modules load);
     * the adapter maps frame sources back (source_json). */
    EngResult r;
    eng_source_map(d->eng, NULL, NULL, &r);
    eng_result_free(&r);
    for (size_t j = 0; j < i; j++) {
        eng_source_map(d->eng, from[j], to[j], &r);
        eng_result_free(&r);
    }
}


/* "hotReload" (or "hotReloadOnSave"): apply each change when its file is saved. The
 * watcher starts at once; it finds the program's documents as its modules load. */
static void hot_reload_option(Dap *d, Req *rq, Reply *rp)
{
    int on = 0, on2 = 0;
    int a = arg_bool(rq, rp, "hotReload", &on);
    int b = arg_bool(rq, rp, "hotReloadOnSave", &on2);
    if (a < 0 || b < 0) return;
    if (!(on || on2) || d->hr) return;
    char why[300];
    if (!(d->hr = hr_start(d->enc, &d->enc_mu, d->eng, hot_reload_report, d, why, sizeof why)))
        outputf(d, "console", "error: hot reload is off: %s\n", why);
    d->hot_reload = 1;
}

/* The keys launch and attach share: debugging options, modes, source maps, symbols.
 * -1 when one was refused (rp holds why). */
static int debug_options(Dap *d, Req *rq, Reply *rp)
{
    set_flag(d, rq, rp, "requireExactSource", eng_set_require_exact_source);
    set_flag(d, rq, rp, "suppressJITOptimizations", eng_set_suppress_jit_optimizations);
    set_flag(d, rq, rp, "justMyCode", eng_set_just_my_code);
    set_flag(d, rq, rp, "enableStepFiltering", eng_set_step_filtering);
    set_flag(d, rq, rp, "mixedMode", set_mixed);
    cordbg_mode(d, rq, rp);
    eval_options(d, rq, rp);
    if (rp->failed) return -1;
    source_file_map(d, rq, rp);
    if (rp->failed) return -1;
    symbol_options(rp, rq);
    if (rp->failed) return -1;
    hot_reload_option(d, rq, rp);
    if (rp->failed) return -1;
    return 0;
}

/* Requests that need the process to run, in a core session: refused with this. */
static int core_refuse(Dap *d, Reply *rp, const char *what)
{
    if (!d->core) return 0;
    return failf(rp, "%s is not possible in a core dump: the process is not running (post-mortem session; disconnect to end it)", what);
}

/* launch with "coreDumpPath" (cpptools' key): the core is opened here, so that a bad one
 * fails the launch with its reason; the crash moment's stopped event follows
 * configurationDone, as a launch's first stop would. "program" is optional (the app .dll or
 * apphost the process ran; else found from the core). */
static void on_launch_core(Dap *d, Req *rq, Reply *rp)
{
    const char *core = NULL, *program = NULL, *cwd = NULL;
    if (need_str(rq, rp, "coreDumpPath", &core) < 0 || arg_str(rq, rp, "program", &program) < 0 ||
        arg_str(rq, rp, "cwd", &cwd) < 0)
        return;
    if (!*core) { failf(rp, "'coreDumpPath' is empty"); return; }
    if (program && !*program) program = NULL;
    if (cwd && !*cwd) cwd = NULL;
    char core_abs[4096], prog_abs[4096];
    if (core[0] != '/' && cwd) { snprintf(core_abs, sizeof core_abs, "%s/%s", cwd, core); core = core_abs; }
    if (program && program[0] != '/' && cwd) { snprintf(prog_abs, sizeof prog_abs, "%s/%s", cwd, program); program = prog_abs; }
    if (access(core, R_OK) != 0) { failf(rp, "%s: %s", core, strerror(errno)); return; }
    if (program && access(program, R_OK) != 0) { failf(rp, "%s: %s", program, strerror(errno)); return; }
    if (debug_options(d, rq, rp) != 0) return;
    logging_options(d, rq);
    report_keys(d, rq, 'l');
    pthread_mutex_lock(&d->mu);
    d->core = 1;
    d->core_defer = 1;
    pthread_mutex_unlock(&d->mu);
    progress_start(d, "Opening the core dump");
    EngResult r;
    eng_open_core(d->eng, core, program, &r);
    progress_end(d, r.status == 0 ? "opened" : "failed");
    if (r.status != 0) {
        /* the editor shows this alone: it names the file */
        if (strstr(r.err, core)) failf(rp, "%s", r.err);
        else failf(rp, "cannot open core dump %s: %s", core, r.err);
        pthread_mutex_lock(&d->mu);
        d->core = 0;
        d->core_defer = 0;
        json_decref(d->core_stop);
        d->core_stop = NULL;
        pthread_mutex_unlock(&d->mu);
        eng_result_free(&r);
        return;
    }
    if (r.message[0]) outputf(d, "console", "%s\n", r.message);
    eng_result_free(&r);
    if (program) d->program = strdup(program);
    d->start_kind = 'c';
    /* the editor's title for the session: the process the core is of */
    const char *base = strrchr(program ? program : core, '/');
    send_event(d, "process", json_pack("{s:o, s:i, s:b, s:s, s:i}", "name", jstr(base ? base + 1 : program ? program : core),
                                       "systemProcessId", eng_pid(d->eng), "isLocalProcess", 1, "startMethod", "attach",
                                       "pointerSize", 64));
    if (d->configured) {
        /* configurationDone came first: the stop goes out now */
        pthread_mutex_lock(&d->mu);
        d->core_defer = 0;
        rp->after_stopped = d->core_stop;
        d->core_stop = NULL;
        pthread_mutex_unlock(&d->mu);
    }
}

static void on_launch(Dap *d, Req *rq, Reply *rp)
{
    if (!d->initialized) { failf(rp, "launch before initialize"); return; }
    if (d->start_kind) { failf(rp, "the session already has a program"); return; }
    json_t *cdp = json_object_get(rq->args, "coreDumpPath");
    if (cdp && !json_is_null(cdp)) { on_launch_core(d, rq, rp); return; }
    const char *program = NULL, *cwd = NULL, *console = NULL;
    if (need_str(rq, rp, "program", &program) < 0) return;
    if (arg_str(rq, rp, "cwd", &cwd) < 0 || arg_str(rq, rp, "console", &console) < 0) return;
    json_t *args = json_object_get(rq->args, "args");
    if (args && !json_is_null(args) && !json_is_string(args)) {
        if (!json_is_array(args)) { failf(rp, "'args' must be an array of strings or one string"); return; }
        for (size_t i = 0; i < json_array_size(args); i++)
            if (!json_is_string(json_array_get(args, i))) { failf(rp, "'args' must be an array of strings"); return; }
    }
    json_t *env = json_object_get(rq->args, "env");
    if (env && !json_is_null(env) && !json_is_object(env)) { failf(rp, "'env' must be an object of strings"); return; }
    if (cwd && !*cwd) cwd = NULL;       /* empty: cordbg's own */
    char resolved[4096];
    if (program[0] != '/' && cwd) {
        snprintf(resolved, sizeof resolved, "%s/%s", cwd, program);
        program = resolved;
    }
    const char *dot = strrchr(program, '.');
    int is_dll = dot && !strcmp(dot, ".dll");
    int rc = is_dll ? clr_file_is_assembly(program) : access(program, X_OK) == 0 ? 1 : -errno;
    if (rc < 0) { failf(rp, "%s: %s", program, strerror(-rc)); return; }
    if (rc == 0) { failf(rp, "%s: not a .NET assembly (no CLI header)", program); return; }
    if (cwd) {
        struct stat st;
        if (stat(cwd, &st) != 0 || !S_ISDIR(st.st_mode)) { failf(rp, "cwd %s is not a directory", cwd); return; }
    }
    if (console && (!strcmp(console, "integratedTerminal") || !strcmp(console, "externalTerminal"))) {
        if (d->client_rit) d->in_terminal = console[0];
        else outputf(d, "console", "the client cannot run a terminal (no runInTerminal): the program's output shows here\n");
    } else if (console && strcmp(console, "internalConsole") != 0) {
        failf(rp, "unknown console '%s' (internalConsole, integratedTerminal, externalTerminal)", console);
        return;
    }
    set_flag(d, rq, rp, "stopAtEntry", eng_set_stop_at_entry);
    if (debug_options(d, rq, rp) != 0) return;
    char **split = NULL;
    if (json_is_string(args)) {
        const char *err;
        if (!(split = split_args(json_string_value(args), &err))) { failf(rp, "%s", err); return; }
    }
    /* envFile first; 'env' wins over it for a variable named in both (as vsdbg). */
    const char *env_file = NULL;
    if (arg_str(rq, rp, "envFile", &env_file) < 0) { free_strings(split); return; }
    json_t *fenv = NULL;
    if (env_file && *env_file) {
        char path[4096], err[4200];
        snprintf(path, sizeof path, "%s%s%s", env_file[0] != '/' && cwd ? cwd : "", env_file[0] != '/' && cwd ? "/" : "", env_file);
        fenv = json_object();
        if (fenv && read_env_file(path, fenv, err, sizeof err)) {
            failf(rp, "%s", err);
            json_decref(fenv);
            free_strings(split);
            return;
        }
        if (fenv && json_is_object(env)) json_object_update(fenv, env);
        if (fenv) env = fenv;
    }
    logging_options(d, rq);
    report_keys(d, rq, 'l');
    d->program = strdup(program);
    d->cwd = cwd ? strdup(cwd) : NULL;
    d->args = split ? split : json_is_array(args) ? string_array(args) : NULL;
    if (env && json_is_object(env)) {
        size_t n = json_object_size(env), i = 0;
        d->env = calloc(n + 1, sizeof *d->env);
        const char *k;
        json_t *v;
        json_object_foreach(env, k, v) {
            if (!d->env || !*k || strchr(k, '=')) continue;
            const char *val = json_is_string(v) ? json_string_value(v) : "";
            size_t len = strlen(k) + strlen(val) + 2;
            if ((d->env[i] = malloc(len))) snprintf(d->env[i++], len, "%s=%s", k, val);
        }
    }
    json_decref(fenv);
    d->start_kind = 'l';
    maybe_start(d);
}

static void on_attach(Dap *d, Req *rq, Reply *rp)
{
    if (!d->initialized) { failf(rp, "attach before initialize"); return; }
    if (d->start_kind) { failf(rp, "the session already has a program"); return; }
    long long pid = 0;
    json_t *p = json_object_get(rq->args, "processId");
    if (json_is_string(p)) {
        char *end;
        pid = strtoll(json_string_value(p), &end, 10);
        if (*end) pid = 0;
    } else if (need_int(rq, rp, "processId", &pid) < 0) {
        return;
    }
    if (pid <= 0 || pid > 0x7fffffff) { failf(rp, "'processId' is not a process id"); return; }
    /* What can be told at once is the attach response's message; a runtime that has not
     * started yet is waited for by the engine after configurationDone. */
    char why[512];
    if (clr_attach_check((int)pid, 0, why, sizeof why) != 0 || clr_attach_not_dotnet((int)pid, why, sizeof why) != 0) {
        failf(rp, "%s", why);
        return;
    }
    if (debug_options(d, rq, rp) != 0) return;
    logging_options(d, rq);
    report_keys(d, rq, 'a');
    d->attach_pid = (int)pid;
    d->start_kind = 'a';
    maybe_start(d);
}

static void on_configuration_done(Dap *d, Req *rq, Reply *rp)
{
    (void)rq;
    d->configured = 1;
    pthread_mutex_lock(&d->mu);
    if (d->core_defer) {
        d->core_defer = 0;
        rp->after_stopped = d->core_stop;
        d->core_stop = NULL;
    }
    pthread_mutex_unlock(&d->mu);
    maybe_start(d);
}

/* "5", "== 5", ">= 5", "> 4", "% 3": the engine's op and count. */
static int parse_hit_condition(const char *s, int *op, unsigned *count)
{
    while (*s == ' ') s++;
    *op = '=';
    if (!strncmp(s, "==", 2)) s += 2;
    else if (!strncmp(s, ">=", 2)) { *op = '>'; s += 2; }
    else if (*s == '>') { *op = 'g'; s++; }
    else if (*s == '%') { *op = '%'; s++; }
    else if (*s == '=') s++;
    while (*s == ' ') s++;
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    while (*end == ' ') end++;
    if (end == s || *end || v > 0x7fffffff) return -1;
    if (*op == 'g') { *op = '>'; v++; }
    *count = (unsigned)v;
    return 0;
}

/* Conditions of one breakpoint; a message for the first that the engine refused, else "". */
static void apply_conditions(Dap *d, int id, json_t *spec, char *msg, size_t cap)
{
    msg[0] = 0;
    const char *cond = json_string_value(json_object_get(spec, "condition"));
    const char *hit = json_string_value(json_object_get(spec, "hitCondition"));
    const char *log = json_string_value(json_object_get(spec, "logMessage"));
    EngResult r;
    eng_bp_condition(d->eng, id, cond && *cond ? cond : NULL, &r);
    if (r.status != 0 && !msg[0]) snprintf(msg, cap, "condition: %s", r.err);
    eng_result_free(&r);
    int op = 0;
    unsigned count = 0;
    if (hit && *hit && parse_hit_condition(hit, &op, &count) != 0) {
        if (!msg[0]) snprintf(msg, cap, "hit condition '%s' is not N, == N, >= N, > N or %% N", hit);
        op = 0;
    }
    eng_bp_hit_condition(d->eng, id, op, count, &r);
    if (r.status != 0 && !msg[0]) snprintf(msg, cap, "hit condition: %s", r.err);
    eng_result_free(&r);
    eng_bp_log_message(d->eng, id, log && *log ? log : NULL, &r);
    if (r.status != 0 && !msg[0]) snprintf(msg, cap, "log message: %s", r.err);
    eng_result_free(&r);
}

static EngBreakpointInfo *find_info(EngResult *list, int id)
{
    for (size_t i = 0; i < list->nbps; i++) if (list->bps[i].id == id) return &list->bps[i];
    return NULL;
}

/* A Breakpoint object for engine breakpoint id (0: one that could not be set, why in msg). */
static json_t *bp_json(Dap *d, EngResult *list, int id, int line, const char *path, const char *msg)
{
    EngBreakpointInfo *bi = id ? find_info(list, id) : NULL;
    json_t *b = json_pack("{s:b}", "verified", bi && !bi->pending && !msg[0]);
    if (!b) return NULL;
    if (id) json_object_set_new(b, "id", json_integer(id));
    int at = bi && bi->line ? (int)bi->line : line;
    if (at) json_object_set_new(b, "line", json_integer(at));
    const char *file = bi && bi->file[0] ? bi->file : path;
    if (file) json_object_set_new(b, "source", source_json(d, file, 1));
    if (msg[0]) json_object_set_new(b, "message", jstr(msg));
    else if (bi && bi->pending) json_object_set_new(b, "message", jstr(bi->note));
    return b;
}

/* A SourceBreakpoint's column, 1-based (0: none given, the line's first statement). */
static int bp_column(Dap *d, json_t *spec)
{
    json_t *c = json_object_get(spec, "column");
    if (!json_is_integer(c)) return 0;
    long long col = json_integer_value(c) + (d->cols1 ? 0 : 1);
    return col > 0 && col < 100000 ? (int)col : 0;
}

/* Breakpoints of a core session: each one unverified, saying why (the editor shows it). */
static void core_breakpoints(Dap *d, Req *rq, Reply *rp, int has_line)
{
    (void)d;
    json_t *list = json_object_get(rq->args, "breakpoints");
    json_t *out = json_array();
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *b = json_pack("{s:b, s:s}", "verified", 0, "message",
                              "breakpoints are not possible in a core dump: nothing runs (post-mortem session)");
        json_t *line = json_object_get(json_array_get(list, i), "line");
        if (b && has_line && json_is_integer(line)) json_object_set(b, "line", line);
        json_array_append_new(out, b);
    }
    rp->body = json_pack("{s:o}", "breakpoints", out);
}

static void on_set_breakpoints(Dap *d, Req *rq, Reply *rp)
{
    if (d->core) { core_breakpoints(d, rq, rp, 1); return; }
    json_t *source = json_object_get(rq->args, "source");
    const char *path = json_string_value(json_object_get(source, "path"));
    if (!json_is_object(source)) { failf(rp, "'source' is missing"); return; }
    char by_ref[4096];
    if (!path || !*path) {
        long long ref = json_integer_value(json_object_get(source, "sourceReference"));
        if (source_path(d, ref, by_ref, sizeof by_ref) != 0) { failf(rp, "'source' has no path"); return; }
        path = by_ref;
    }
    json_t *list = json_object_get(rq->args, "breakpoints");
    if (list && !json_is_array(list)) { failf(rp, "'breakpoints' must be an array"); return; }
    json_t *lines = json_object_get(rq->args, "lines");
    json_t *specs = json_array();
    if (!specs) { failf(rp, "out of memory"); return; }
    if (list) {
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_t *s = json_array_get(list, i);
            if (!json_is_object(s) || !json_is_integer(json_object_get(s, "line"))) {
                json_decref(specs);
                failf(rp, "breakpoints[%zu] has no integer 'line'", i);
                return;
            }
            json_array_append(specs, s);
        }
    } else if (json_is_array(lines)) {
        for (size_t i = 0; i < json_array_size(lines); i++)
            if (json_is_integer(json_array_get(lines, i)))
                json_array_append_new(specs, json_pack("{s:O}", "line", json_array_get(lines, i)));
    }
    SourceBps *sb = NULL;
    for (size_t i = 0; i < d->nsrcs; i++) if (!strcmp(d->srcs[i].path, path)) sb = &d->srcs[i];
    if (!sb) {
        SourceBps *p = realloc(d->srcs, (d->nsrcs + 1) * sizeof *p);
        if (!p) { json_decref(specs); failf(rp, "out of memory"); return; }
        d->srcs = p;
        sb = &d->srcs[d->nsrcs++];
        *sb = (SourceBps){ strdup(path), NULL, 0 };
        if (!sb->path) { d->nsrcs--; json_decref(specs); failf(rp, "out of memory"); return; }
    }
    /* Keep the breakpoints on lines asked for again (their hit counts go on); delete the rest. */
    size_t n = json_array_size(specs);
    SourceBp *next = calloc(n ? n : 1, sizeof *next);
    char (*msgs)[512] = calloc(n ? n : 1, sizeof *msgs);
    if (!next || !msgs) { free(next); free(msgs); json_decref(specs); failf(rp, "out of memory"); return; }
    for (size_t i = 0; i < n; i++) {
        long long line = json_integer_value(json_object_get(json_array_get(specs, i), "line"));
        line = line < 0 || line >= 0x7fffffff ? 0 : line + !d->lines1;
        next[i].line = (int)line;
        next[i].col = bp_column(d, json_array_get(specs, i));
        for (size_t k = 0; k < sb->n; k++)
            if (sb->bps[k].id && sb->bps[k].line == line && sb->bps[k].col == next[i].col) { next[i].id = sb->bps[k].id; sb->bps[k].id = 0; break; }
    }
    EngResult r;
    for (size_t k = 0; k < sb->n; k++) {
        if (!sb->bps[k].id) continue;
        eng_delete_breakpoint(d->eng, sb->bps[k].id, &r);
        eng_result_free(&r);
    }
    for (size_t i = 0; i < n; i++) {
        if (next[i].line <= 0) { snprintf(msgs[i], sizeof msgs[i], "not a line number"); continue; }
        if (!next[i].id) {
            char where[4200];
            snprintf(where, sizeof where, "%s:%d", path, next[i].line);
            if (next[i].col > 0) snprintf(where + strlen(where), sizeof where - strlen(where), ":%d", next[i].col);
            eng_break(d->eng, where, 0, &r);
            if (r.status == 0) next[i].id = r.id;
            else snprintf(msgs[i], sizeof msgs[i], "%s", r.err);
            eng_result_free(&r);
        }
        if (next[i].id) apply_conditions(d, next[i].id, json_array_get(specs, i), msgs[i], sizeof msgs[i]);
        if (next[i].id && msgs[i][0]) {
            /* A condition it cannot have: no breakpoint rather than one that always stops. */
            eng_delete_breakpoint(d->eng, next[i].id, &r);
            eng_result_free(&r);
            next[i].id = 0;
        }
    }
    free(sb->bps);
    sb->bps = next;
    sb->n = n;
    EngResult all;
    eng_list_breakpoints(d->eng, &all);
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *b = bp_json(d, &all, next[i].id, next[i].line, path, msgs[i]);
        if (b && next[i].col > 0 && next[i].id) json_object_set_new(b, "column", json_integer(next[i].col - (d->cols1 ? 0 : 1)));
        json_array_append_new(out, b);
    }
    eng_result_free(&all);
    free(msgs);
    json_decref(specs);
    rp->body = json_pack("{s:o}", "breakpoints", out);
}

static void on_set_function_breakpoints(Dap *d, Req *rq, Reply *rp)
{
    if (d->core) { core_breakpoints(d, rq, rp, 0); return; }
    json_t *list = json_object_get(rq->args, "breakpoints");
    if (!json_is_array(list)) { failf(rp, "'breakpoints' must be an array"); return; }
    for (size_t i = 0; i < json_array_size(list); i++)
        if (!json_is_string(json_object_get(json_array_get(list, i), "name"))) { failf(rp, "breakpoints[%zu] has no 'name'", i); return; }
    EngResult r;
    for (size_t i = 0; i < d->nfn_bps; i++) {
        eng_delete_breakpoint(d->eng, d->fn_bps[i], &r);
        eng_result_free(&r);
    }
    size_t n = json_array_size(list);
    pthread_mutex_lock(&d->mu);
    d->nfn_bps = 0;
    int *ids = realloc(d->fn_bps, (n ? n : 1) * sizeof *ids);
    if (ids) d->fn_bps = ids;
    pthread_mutex_unlock(&d->mu);
    if (!ids) { failf(rp, "out of memory"); return; }
    json_t *out = json_array();
    EngResult all;
    for (size_t i = 0; i < n; i++) {
        json_t *spec = json_array_get(list, i);
        char msg[512] = "";
        eng_break(d->eng, json_string_value(json_object_get(spec, "name")), 0, &r);
        int id = r.status == 0 ? r.id : 0;
        if (r.status != 0) snprintf(msg, sizeof msg, "%s", r.err);
        eng_result_free(&r);
        if (id) apply_conditions(d, id, spec, msg, sizeof msg);
        if (id && msg[0]) {
            eng_delete_breakpoint(d->eng, id, &r);
            eng_result_free(&r);
            id = 0;
        }
        if (id) {
            pthread_mutex_lock(&d->mu);
            d->fn_bps[d->nfn_bps++] = id;
            pthread_mutex_unlock(&d->mu);
        }
        eng_list_breakpoints(d->eng, &all);
        json_array_append_new(out, bp_json(d, &all, id, 0, NULL, msg));
        eng_result_free(&all);
    }
    rp->body = json_pack("{s:o}", "breakpoints", out);
}

static void on_set_exception_breakpoints(Dap *d, Req *rq, Reply *rp)
{
    if (d->core) {
        /* nothing is thrown any more: answered, each filter unverified */
        size_t n = json_array_size(json_object_get(rq->args, "filters")) + json_array_size(json_object_get(rq->args, "filterOptions"));
        json_t *out = json_array();
        for (size_t i = 0; i < n; i++)
            json_array_append_new(out, json_pack("{s:b, s:s}", "verified", 0, "message", "no exceptions are thrown in a core dump"));
        rp->body = json_pack("{s:o}", "breakpoints", out);
        return;
    }
    json_t *filters = json_object_get(rq->args, "filters");
    json_t *options = json_object_get(rq->args, "filterOptions");
    if (filters && !json_is_array(filters)) { failf(rp, "'filters' must be an array"); return; }
    if (options && !json_is_null(options) && !json_is_array(options)) { failf(rp, "'filterOptions' must be an array"); return; }
    int on_all = 0, on_user = 0, on_unhandled = 0, all_types = 0;
    char types[512] = "";
    json_t *all = json_array();
    size_t nf = json_array_size(filters), no = json_array_size(options);
    for (size_t i = 0; i < nf + no; i++) {
        json_t *e = i < nf ? json_array_get(filters, i) : json_array_get(options, i - nf);
        const char *id = i < nf ? json_string_value(e) : json_string_value(json_object_get(e, "filterId"));
        const char *cond = i < nf ? NULL : json_string_value(json_object_get(e, "condition"));
        if (!id) { json_decref(all); failf(rp, "an exception filter is not a string"); return; }
        if (!strcmp(id, "all")) {
            on_all = 1;
            /* An absent or empty condition (editors send "") means every type. */
            if (!cond || !cond[strspn(cond, " \t,")]) all_types = 1;
            if (cond) {
                /* "A, B C" -> "A B C", one space between names */
                size_t len = strlen(types);
                for (const char *p = cond; *p && len + 1 < sizeof types; p++) {
                    char ch = *p == ',' || *p == '\t' ? ' ' : *p;
                    if (ch == ' ' && (len == 0 || types[len - 1] == ' ')) continue;
                    types[len++] = ch;
                }
                if (len && types[len - 1] != ' ' && len + 1 < sizeof types) types[len++] = ' ';
                types[len] = 0;
            }
        } else if (!strcmp(id, "user-unhandled")) {
            on_user = 1;
        } else if (!strcmp(id, "unhandled")) {
            on_unhandled = 1;
        } else {
            json_decref(all);
            failf(rp, "unknown exception filter '%s' (all, user-unhandled, unhandled)", id);
            return;
        }
        json_array_append_new(all, json_pack("{s:b}", "verified", 1));
    }
    if (all_types) types[0] = 0;
    EngResult r;
    eng_catch(d->eng, "throw", types, on_all, &r);
    int failed = r.status != 0;
    if (failed) failf(rp, "%s", r.err);
    eng_result_free(&r);
    eng_catch(d->eng, "user-unhandled", NULL, on_user, &r);
    eng_result_free(&r);
    eng_catch(d->eng, "unhandled", NULL, on_unhandled, &r);
    eng_result_free(&r);
    if (failed) { json_decref(all); return; }
    rp->body = json_pack("{s:o}", "breakpoints", all);
}

static void on_breakpoint_locations(Dap *d, Req *rq, Reply *rp)
{
    long long line = 0, end = 0;
    const char *path = json_string_value(json_object_get(json_object_get(rq->args, "source"), "path"));
    if (!path) { failf(rp, "'source' has no path"); return; }
    if (need_int(rq, rp, "line", &line) < 0 || arg_int(rq, rp, "endLine", &end) < 0) return;
    if (!end) end = line;
    if (line < 0 || end < line || end >= 0x7fffffff) { failf(rp, "no lines %lld to %lld", line, end); return; }
    if (!d->lines1) { line++; end++; }
    if (line <= 0) { failf(rp, "no line %lld", line); return; }
    EngResult r;
    /* Every sequence point of the lines, with its columns (a LINQ line: the statement and
     * each lambda body); before the program runs, from the launch program's PDB. */
    eng_breakpoint_locations(d->eng, path, (int)line, (int)end, d->program, &r);
    json_t *out = json_array();
    int l0 = d->lines1 ? 0 : 1, c0 = d->cols1 ? 0 : 1;
    for (size_t i = 0; i + 3 < r.nlines; i += 4)
        json_array_append_new(out, json_pack("{s:i, s:i, s:i, s:i}", "line", (int)r.lines[i] - l0, "column", (int)r.lines[i + 1] - c0,
                                             "endLine", (int)r.lines[i + 2] - l0, "endColumn", (int)r.lines[i + 3] - c0));
    eng_result_free(&r);
    rp->body = json_pack("{s:o}", "breakpoints", out);
}

static void on_threads(Dap *d, Req *rq, Reply *rp)
{
    (void)rq;
    json_t *out = json_array();
    if (eng_state(d->eng) != ENG_NONE) {
        EngResult r;
        eng_list_threads(d->eng, &r);
        for (size_t i = 0; i < r.nthreads; i++) {
            EngThreadInfo *t = &r.threads[i];
            char name[256];
            if (t->managed_name[0]) snprintf(name, sizeof name, "%s (%u)", t->managed_name, (unsigned)t->tid);
            else if (t->name[0]) snprintf(name, sizeof name, "%s (%u)", t->name, (unsigned)t->tid);
            else snprintf(name, sizeof name, "Thread %u", (unsigned)t->tid);
            json_array_append_new(out, json_pack("{s:i, s:o}", "id", t->id, "name", jstr(name)));
        }
        eng_result_free(&r);
    }
    rp->body = json_pack("{s:o}", "threads", out);
}

static void on_stack_trace(Dap *d, Req *rq, Reply *rp)
{
    long long thread = 0, start = 0, levels = 0;
    if (need_int(rq, rp, "threadId", &thread) < 0 || arg_int(rq, rp, "startFrame", &start) < 0 ||
        arg_int(rq, rp, "levels", &levels) < 0 || need_stopped(d, rp) < 0)
        return;
    if (start < 0 || levels < 0 || start > 0xffff) { failf(rp, "'startFrame' and 'levels' must be from 0 to 65535"); return; }
    if (levels > 0xffff) levels = 0xffff;
    if (thread <= 0 || thread > 0x7fff) { failf(rp, "no thread %lld", thread); return; }
    /* One frame more than asked for tells whether there are more. */
    int limit = levels ? (int)(start + levels + 1 > 0xffff ? 0xffff : start + levels + 1) : 0;
    EngResult r;
    eng_backtrace(d->eng, (int)thread, limit, &r);
    if (eng_failed(&r, rp)) { eng_result_free(&r); return; }
    json_t *frames = json_array();
    size_t end = levels ? (size_t)(start + levels) : r.nframes;
    for (size_t i = (size_t)start; i < r.nframes && i < end; i++) {
        EngFrameInfo *f = &r.frames[i];
        json_t *fj = json_pack("{s:i, s:o, s:i, s:i}", "id", frame_id(d, (int)thread, (int)i), "name", jstr(f->function),
                               "line", f->line ? (int)f->line - (d->lines1 ? 0 : 1) : 0, "column", f->line ? (d->cols1 ? 1 : 0) : 0);
        if (!fj) continue;
        if (f->line && f->file[0]) json_object_set_new(fj, "source", source_json(d, f->file, 0));
        if (f->module_id) json_object_set_new(fj, "moduleId", json_integer(f->module_id));
        if (f->ip) json_object_set_new(fj, "instructionPointerReference", mem_ref(f->ip));
        if (f->kind == ENG_FRAME_EXTERNAL) json_object_set_new(fj, "presentationHint", json_string("subtle"));
        else if (f->kind == ENG_FRAME_RUNTIME || f->kind == ENG_FRAME_NATIVE) json_object_set_new(fj, "presentationHint", json_string("label"));
        json_array_append_new(frames, fj);
    }
    size_t total = r.nframes;
    if (limit && r.nframes >= (size_t)limit) total = r.nframes + 1;   /* more beyond: the client asks again */
    eng_result_free(&r);
    rp->body = json_pack("{s:o, s:i}", "stackFrames", frames, "totalFrames", (int)total);
}

static json_t *value_json(const EngValue *v, int as_result)
{
    json_t *o = json_pack("{s:o, s:i}", as_result ? "result" : "value", jstr(v->value), "variablesReference", v->ref);
    if (!o) return NULL;
    if (!as_result) json_object_set_new(o, "name", jstr(v->name));
    if (v->type[0]) json_object_set_new(o, "type", jstr(v->type));
    if (v->evaluate_name[0] && !as_result) json_object_set_new(o, "evaluateName", jstr(v->evaluate_name));
    if (v->indexed) json_object_set_new(o, "indexedVariables", json_integer(v->indexed));
    if (v->address) json_object_set_new(o, "memoryReference", mem_ref(v->address));
    return o;
}

static int format_flags(Req *rq)
{
    json_t *f = json_object_get(rq->args, "format");
    return json_is_true(json_object_get(f, "hex")) ? ENG_EVAL_HEX : 0;
}

static void on_scopes(Dap *d, Req *rq, Reply *rp)
{
    long long fid = 0;
    if (need_int(rq, rp, "frameId", &fid) < 0 || need_stopped(d, rp) < 0) return;
    int thread, index;
    if (frame_of(d, rp, fid, &thread, &index) < 0) return;
    EngResult r;
    eng_scopes(d->eng, thread, index, &r);
    /* a native frame has no C# values, but registers (mixed and native modes) */
    int native = eng_mode(d->eng) != ENG_MODE_MANAGED;
    if (r.status != 0 && native) { eng_result_free(&r); memset(&r, 0, sizeof r); }
    if (eng_failed(&r, rp)) { eng_result_free(&r); return; }
    json_t *out = json_array();
    for (size_t i = 0; i < r.nvalues; i++) {
        EngValue *v = &r.values[i];
        json_t *s = json_pack("{s:o, s:i, s:i, s:b}", "name", jstr(v->name), "variablesReference", v->ref,
                              "namedVariables", v->named, "expensive", 0);
        if (s && !strcmp(v->name, "Locals")) json_object_set_new(s, "presentationHint", json_string("locals"));
        if (s && !strcmp(v->name, "Arguments")) json_object_set_new(s, "presentationHint", json_string("arguments"));
        json_array_append_new(out, s);
    }
    eng_result_free(&r);
    json_array_append_new(out, registers_scope(fid));
    rp->body = json_pack("{s:o}", "scopes", out);
}

static void on_variables(Dap *d, Req *rq, Reply *rp)
{
    long long ref = 0, start = 0, count = 0;
    const char *filter = NULL;
    if (need_int(rq, rp, "variablesReference", &ref) < 0 || arg_int(rq, rp, "start", &start) < 0 ||
        arg_int(rq, rp, "count", &count) < 0 || arg_str(rq, rp, "filter", &filter) < 0 || need_stopped(d, rp) < 0)
        return;
    if (ref <= 0 || ref > 0x7fffffff || start < 0 || count < 0 || start > 0x7fffffff || count > 0x7fffffff) {
        failf(rp, "invalid variable reference, start or count");
        return;
    }
    if (ref >= REGISTERS_REF) { registers_variables(d, rp, ref); return; }
    json_t *out = json_array();
    EngResult r;
    eng_variables(d->eng, (int)ref, (size_t)start, (size_t)count, format_flags(rq), &r);
    if (eng_failed(&r, rp)) { eng_result_free(&r); json_decref(out); return; }
    /* Elements ("[3]") are the indexed children; named ones are everything else. */
    int named_only = filter && !strcmp(filter, "named");
    for (size_t i = 0; i < r.nvalues; i++)
        if (!named_only || r.values[i].name[0] != '[') json_array_append_new(out, value_json(&r.values[i], 0));
    eng_result_free(&r);
    rp->body = json_pack("{s:o}", "variables", out);
}

static void on_evaluate(Dap *d, Req *rq, Reply *rp)
{
    const char *expr = NULL, *context = NULL;
    long long fid = 0;
    if (need_str(rq, rp, "expression", &expr) < 0 || arg_str(rq, rp, "context", &context) < 0 ||
        arg_int(rq, rp, "frameId", &fid) < 0)
        return;
    const char *e = expr;
    while (*e == ' ' || *e == '\t') e++;
    if ((!context || !strcmp(context, "repl")) && (!strncmp(e, "-exec", 5) || e[0] == '`')) {
        const char *cmd = e[0] == '`' ? e + 1 : e + 5;
        while (*cmd == ' ' || *cmd == '\t') cmd++;
        if (!*cmd) { failf(rp, "-exec needs a cordbg command (e.g. -exec info threads)"); return; }
        rp->deferred = 1;
        rp->queue = 1;
        rp->job = (Job){ .kind = JOB_EXEC, .seq = rq->seq, .text = (char *)cmd };
        return;
    }
    if (need_stopped(d, rp) < 0) return;
    int thread = 0, index = -1;
    if (fid && frame_of(d, rp, fid, &thread, &index) < 0) return;
    int flags = format_flags(rq);
    if (context && !strcmp(context, "hover")) flags |= ENG_EVAL_NO_SIDE_EFFECTS;
    EngResult r;
    if (context && !strcmp(context, "clipboard")) {
        /* The whole value as text, its children included. */
        if (thread) {
            if (select_thread(d, rp, thread) < 0) return;
            eng_select_frame(d->eng, index, 0, &r);
            int bad = eng_failed(&r, rp);
            eng_result_free(&r);
            if (bad) return;
        }
        eng_evaluate_n(d->eng, expr, flags | ENG_EVAL_EXPAND, 1000, &r);
        if (!eval_failed(&r, rp)) rp->body = json_pack("{s:o, s:o, s:i}", "result", jstr(r.text), "type", jstr(r.message), "variablesReference", 0);
        eng_result_free(&r);
        return;
    }
    eng_evaluate_at(d->eng, thread, index, expr, flags, &r);
    if (r.status != 0 && (!context || !strcmp(context, "repl")) && d->enc && !d->core && enc_refused_syntax(expr)) {
        /* Typed in the REPL, C# the evaluator does not know (a lambda, a query, statements):
         * injected, on the exec worker (the helper may take a while). Watch, hover and
         * clipboard never come here: their expressions must not change the program. */
        eng_result_free(&r);
        if (thread > 0xffff || index > 0xfffe) { failf(rp, "frame out of range for injection"); return; }
        rp->deferred = 1;
        rp->queue = 1;
        rp->job = (Job){ .kind = JOB_INJECT, .seq = rq->seq, .value = thread << 16 | (index + 1), .text = (char *)expr };
        return;
    }
    if (!eval_failed(&r, rp) && r.nvalues) rp->body = value_json(&r.values[0], 1);
    eng_result_free(&r);
}

/* cordbg/applyChanges: apply every saved change of the program's sources now (Visual
 * Studio's Apply Code Changes); answered by the exec worker. */
static void on_apply_changes(Dap *d, Req *rq, Reply *rp)
{
    if (core_refuse(d, rp, "applying code changes")) return;
    if (eng_state(d->eng) == ENG_NONE) { failf(rp, "the program is not being debugged"); return; }
    if (!d->enc) { failf(rp, "out of memory"); return; }
    rp->deferred = 1;
    rp->queue = 1;
    rp->job = (Job){ .kind = JOB_APPLY, .seq = rq->seq };
}

/* setVariable's and setExpression's answer: the value as it reads after the assignment. */
static void set_reply(EngResult *r, Reply *rp)
{
    if (!eng_failed(r, rp) && r->nvalues) {
        EngValue *v = &r->values[0];
        rp->body = json_pack("{s:o, s:o, s:i}", "value", jstr(v->value), "type", jstr(v->type), "variablesReference", v->ref);
    }
    eng_result_free(r);
}

static void on_set_variable(Dap *d, Req *rq, Reply *rp)
{
    long long ref = 0;
    const char *name = NULL, *value = NULL;
    if (need_int(rq, rp, "variablesReference", &ref) < 0 || need_str(rq, rp, "name", &name) < 0 ||
        need_str(rq, rp, "value", &value) < 0 || need_stopped(d, rp) < 0)
        return;
    if (ref <= 0 || ref > 0x7fffffff) { failf(rp, "invalid variable reference %lld", ref); return; }
    if (ref >= REGISTERS_REF) { set_register(d, rp, ref, name, value); return; }
    EngResult r;
    eng_set_value(d->eng, (int)ref, name, 0, -1, value, format_flags(rq), &r);
    set_reply(&r, rp);
}

static void on_set_expression(Dap *d, Req *rq, Reply *rp)
{
    long long fid = 0;
    const char *expr = NULL, *value = NULL;
    if (need_str(rq, rp, "expression", &expr) < 0 || need_str(rq, rp, "value", &value) < 0 ||
        arg_int(rq, rp, "frameId", &fid) < 0 || need_stopped(d, rp) < 0)
        return;
    int thread = 0, index = -1;
    if (fid && frame_of(d, rp, fid, &thread, &index) < 0) return;
    EngResult r;
    eng_set_value(d->eng, 0, expr, thread, index, value, format_flags(rq), &r);
    set_reply(&r, rp);
}

static void resume(Dap *d, Req *rq, Reply *rp, JobKind kind, int step)
{
    if (core_refuse(d, rp, kind == JOB_CONTINUE ? "continue" : "stepping")) return;
    long long thread = 0;
    if (arg_int(rq, rp, "threadId", &thread) < 0 || need_stopped(d, rp) < 0) return;
    if (thread && select_thread(d, rp, thread) < 0) return;
    if (kind == JOB_CONTINUE) rp->body = json_pack("{s:b}", "allThreadsContinued", 1);
    rp->queue = 1;
    rp->job = (Job){ .kind = kind, .value = step };
}

static void on_continue(Dap *d, Req *rq, Reply *rp) { resume(d, rq, rp, JOB_CONTINUE, 0); }
static void on_next(Dap *d, Req *rq, Reply *rp) { resume(d, rq, rp, JOB_STEP, by_instruction(rq, rp) ? 'N' : 'o'); }
/* stepInTargets: the calls of the statement, numbered from 1 in IL order; stepIn with a
 * targetId asks for them again (the program has not moved) and steps into that one. */
static int step_targets(Dap *d, Req *rq, Reply *rp, const char *key, EngResult *r)
{
    long long thread = 0, fid = 0;
    if (need_stopped(d, rp) < 0 || arg_int(rq, rp, key, &fid) < 0) return -1;
    if (!strcmp(key, "frameId")) {
        int index = 0, th = 0;
        if (frame_of(d, rp, fid, &th, &index) < 0) return -1;
        if (index != 0) return failf(rp, "step into a call works in the innermost frame only"), -1;
        thread = th;
    } else {
        thread = fid;
    }
    if (thread <= 0 || thread > 0x7fff) return failf(rp, "no thread %lld", thread), -1;
    eng_step_targets(d->eng, (int)thread, r);
    if (eng_failed(r, rp)) { eng_result_free(r); return -1; }
    return 0;
}

static void on_step_in_targets(Dap *d, Req *rq, Reply *rp)
{
    if (core_refuse(d, rp, "stepping")) return;
    EngResult r;
    if (step_targets(d, rq, rp, "frameId", &r) < 0) return;
    json_t *out = json_array();
    for (size_t i = 0; i < r.nvalues; i++)
        json_array_append_new(out, json_pack("{s:i, s:o}", "id", (int)i + 1, "label", jstr(r.values[i].name)));
    eng_result_free(&r);
    rp->body = json_pack("{s:o}", "targets", out);
}

static void on_step_in(Dap *d, Req *rq, Reply *rp)
{
    if (core_refuse(d, rp, "stepping")) return;
    long long target = 0;
    if (arg_int(rq, rp, "targetId", &target) < 0) return;
    if (!target) { resume(d, rq, rp, JOB_STEP, by_instruction(rq, rp) ? 'I' : 'i'); return; }
    EngResult r;
    if (step_targets(d, rq, rp, "threadId", &r) < 0) return;
    if (target < 1 || (size_t)target > r.nvalues) {
        failf(rp, "no step-in target %lld", target);
        eng_result_free(&r);
        return;
    }
    static __thread char label[256];   /* queued as the job's text (copied there) */
    snprintf(label, sizeof label, "%s", r.values[target - 1].name);
    eng_result_free(&r);
    resume(d, rq, rp, JOB_STEP, 'i');
    if (!rp->failed) rp->job.text = label;
}
static void on_step_out(Dap *d, Req *rq, Reply *rp) { resume(d, rq, rp, JOB_STEP, 'u'); }

static void on_pause(Dap *d, Req *rq, Reply *rp)
{
    if (core_refuse(d, rp, "pause")) return;
    long long thread = 0;
    if (arg_int(rq, rp, "threadId", &thread) < 0) return;
    if (thread < 0 || thread > 0x7fff) thread = 0;
    pthread_mutex_lock(&d->mu);
    int resuming = d->resuming;
    pthread_mutex_unlock(&d->mu);
    EngState st = eng_state(d->eng);
    if (st == ENG_NONE) { failf(rp, "the program is not being debugged"); return; }
    /* A continue or step answered before is in the engine's queue already: the pause
     * follows it there and finds the program running. */
    if (st == ENG_RUNNING || resuming) eng_pause_thread_async(d->eng, (int)thread);
    /* Stopped already: nothing to do, and that is what was asked. */
}

static void on_goto_targets(Dap *d, Req *rq, Reply *rp)
{
    if (core_refuse(d, rp, "setting the next statement")) return;
    long long line = 0;
    const char *path = json_string_value(json_object_get(json_object_get(rq->args, "source"), "path"));
    if (!path) { failf(rp, "'source' has no path"); return; }
    if (need_int(rq, rp, "line", &line) < 0 || need_stopped(d, rp) < 0) return;
    if (line < 0 || line >= 0x7fffffff) { failf(rp, "no line %lld", line); return; }
    if (!d->lines1) line++;
    if (line <= 0) { failf(rp, "no line %lld", line); return; }
    EngResult r;
    eng_breakpoint_lines(d->eng, path, (int)line, (int)line, &r);
    json_t *out = json_array();
    for (size_t i = 0; i < r.nlines; i++) {
        char label[64];
        snprintf(label, sizeof label, "line %u", (unsigned)r.lines[i]);
        json_array_append_new(out, json_pack("{s:i, s:s, s:i}", "id", (int)r.lines[i], "label", label,
                                             "line", (int)r.lines[i] - (d->lines1 ? 0 : 1)));
    }
    eng_result_free(&r);
    rp->body = json_pack("{s:o}", "targets", out);
}

static void on_goto(Dap *d, Req *rq, Reply *rp)
{
    if (core_refuse(d, rp, "setting the next statement")) return;
    long long thread = 0, target = 0;
    if (need_int(rq, rp, "threadId", &thread) < 0 || need_int(rq, rp, "targetId", &target) < 0 || need_stopped(d, rp) < 0) return;
    if (select_thread(d, rp, thread) < 0) return;
    if (target <= 0 || target > 0x7fffffff) { failf(rp, "no goto target %lld", target); return; }
    EngResult r;
    eng_jump(d->eng, (int)target, 0, &r);
    if (!eng_failed(&r, rp)) {
        rp->after = AFTER_GOTO;
        rp->after_thread = (int)thread;
    }
    eng_result_free(&r);
}

/* UTF-16 code units (DAP's columns) in the first n bytes of UTF-8 s. */
static size_t utf16_units(const char *s, size_t n)
{
    size_t u = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch & 0xc0) == 0x80) continue;
        u += ch >= 0xf0 ? 2 : 1;
    }
    return u;
}

/* Bytes of UTF-8 s (up to its end) that make `units` UTF-16 code units. */
static size_t utf8_bytes(const char *s, size_t units)
{
    size_t i = 0, u = 0;
    while (s[i] && u < units) {
        unsigned char ch = (unsigned char)s[i];
        u += ch >= 0xf0 ? 2 : 1;
        i++;
        while (s[i] && ((unsigned char)s[i] & 0xc0) == 0x80) i++;
    }
    return i;
}

static void on_completions(Dap *d, Req *rq, Reply *rp)
{
    const char *text = NULL;
    long long fid = 0, column = 0, line = 0;
    if (need_str(rq, rp, "text", &text) < 0 || need_int(rq, rp, "column", &column) < 0 ||
        arg_int(rq, rp, "line", &line) < 0 || arg_int(rq, rp, "frameId", &fid) < 0 || need_stopped(d, rp) < 0)
        return;
    int thread = 0, index = -1;
    if (fid && frame_of(d, rp, fid, &thread, &index) < 0) return;
    /* The line the cursor is on (a multi-line text), up to the cursor. */
    const char *ln = text;
    for (long long k = d->lines1 ? 1 : 0; line && k < line && strchr(ln, '\n'); k++) ln = strchr(ln, '\n') + 1;
    size_t linelen = strcspn(ln, "\n");
    long long col0 = column - (d->cols1 ? 1 : 0);
    if (col0 < 0 || col0 > 0x7fffffff) { failf(rp, "no column %lld", column); return; }
    size_t upto = utf8_bytes(ln, (size_t)col0);
    if (upto > linelen) upto = linelen;
    char *before = strndup(ln, upto);
    if (!before) { failf(rp, "out of memory"); return; }
    EngResult r;
    eng_completions(d->eng, thread, index, before, &r);
    json_t *targets = json_array();
    if (r.status == 0) {
        size_t start = utf16_units(before, (size_t)r.id), len = utf16_units(before, upto) - start;
        for (size_t i = 0; i < r.nvalues; i++)
            json_array_append_new(targets, json_pack("{s:o, s:s, s:i, s:i}", "label", jstr(r.values[i].name), "type", r.values[i].type,
                                                     "start", (int)start + (d->cols1 ? 1 : 0), "length", (int)len));
    }
    /* No completions is an answer too (an unknown receiver, a frame without values): the
     * editor shows nothing rather than an error while the user types. */
    eng_result_free(&r);
    free(before);
    rp->body = json_pack("{s:o}", "targets", targets);
}

/* The details of the exception named by EXPR ("$exception", "$exception._innerException",
 * ...): NULL when it is null or cannot be read. Its inner exception follows the private
 * field, not the getter, so that no call is needed to walk the chain. *type gets its type. */
/* The frame $exception is read in: the top one; in a core, whose thread's top frames may be
 * the runtime's failure path where nothing can be evaluated, the first with a source line. */
static int exception_frame(Dap *d, int thread)
{
    if (!d->core) return 0;
    EngResult r;
    int fr = 0;
    eng_backtrace(d->eng, thread, 64, &r);
    for (size_t i = 0; r.status == 0 && i < r.nframes; i++)
        if (r.frames[i].line) { fr = (int)i; break; }
    eng_result_free(&r);
    return fr;
}

static json_t *exception_details(Dap *d, int thread, const char *expr, char *type, size_t ntype, char *msg, size_t nmsg)
{
    EngResult r;
    char e[1024];
    type[0] = msg[0] = 0;
    int fr = exception_frame(d, thread);
    eng_evaluate_at(d->eng, thread, fr, expr, ENG_EVAL_NO_SIDE_EFFECTS, &r);
    int ok = r.status == 0 && r.nvalues && strcmp(r.values[0].value, "null");
    if (ok) snprintf(type, ntype, "%s", r.values[0].type);
    eng_result_free(&r);
    if (!ok) return NULL;
    /* the getter, else (a core runs no getters) the field behind it */
    static const char *const msgs[] = { "Message", "_message" };
    for (size_t i = 0; i < 2 && !msg[0]; i++) {
        snprintf(e, sizeof e, "%s.%s,nq", expr, msgs[i]);
        eng_evaluate_at(d->eng, thread, fr, e, ENG_EVAL_NO_SIDE_EFFECTS, &r);
        if (r.status == 0 && r.nvalues && strcmp(r.values[0].value, "null")) snprintf(msg, nmsg, "%s", r.values[0].value);
        eng_result_free(&r);
    }
    /* The StackTrace getter renders the frames the exception has passed; when it cannot be
     * called (evaluation off or failing), the string a rethrow across a boundary saved. */
    char stack[1100] = "";
    static const char *const getters[] = { "StackTrace", "_stackTraceString" };
    for (size_t i = 0; i < 2 && !stack[0]; i++) {
        snprintf(e, sizeof e, "%s.%s,nq", expr, getters[i]);
        eng_evaluate_at(d->eng, thread, fr, e, ENG_EVAL_NO_SIDE_EFFECTS, &r);
        if (r.status == 0 && r.nvalues && strcmp(r.values[0].value, "null")) snprintf(stack, sizeof stack, "%s", r.values[0].value);
        eng_result_free(&r);
    }
    if (!stack[0] && d->core) snprintf(stack, sizeof stack, "%s", d->core_stack);
    const char *dot = strrchr(type, '.');
    json_t *details = json_pack("{s:o, s:o, s:o, s:o}", "message", jstr(msg), "typeName", jstr(dot ? dot + 1 : type),
                                "fullTypeName", jstr(type), "evaluateName", jstr(expr));
    if (details && stack[0]) json_object_set_new(details, "stackTrace", jstr(stack));
    return details;
}

static void on_exception_info(Dap *d, Req *rq, Reply *rp)
{
    long long thread = 0;
    if (need_int(rq, rp, "threadId", &thread) < 0 || need_stopped(d, rp) < 0) return;
    if (thread <= 0 || thread > 0x7fff) { failf(rp, "no thread %lld", thread); return; }
    EngResult r;
    eng_evaluate_at(d->eng, (int)thread, exception_frame(d, (int)thread), "$exception", ENG_EVAL_NO_SIDE_EFFECTS, &r);
    int failed = eng_failed(&r, rp);
    eng_result_free(&r);
    if (failed) return;
    char type[512] = "", msg[1024] = "", itype[512], imsg[1024];
    json_t *details = exception_details(d, (int)thread, "$exception", type, sizeof type, msg, sizeof msg);
    if (!details) { failf(rp, "the exception cannot be read"); return; }
    /* innerException: each as an array of one, the chain nested (as vsdbg does); bounded
     * so that a cycle made by reflection cannot loop. */
    char expr[512] = "$exception";
    json_t *outer = details;
    for (int depth = 0; depth < 16; depth++) {
        if (strlen(expr) + sizeof "._innerException" > sizeof expr) break;
        strcat(expr, "._innerException");
        json_t *inner = exception_details(d, (int)thread, expr, itype, sizeof itype, imsg, sizeof imsg);
        if (!inner) break;
        json_object_set_new(outer, "innerException", json_pack("[o]", inner));
        outer = inner;
    }
    pthread_mutex_lock(&d->mu);
    int reason = d->last_reason;
    pthread_mutex_unlock(&d->mu);
    const char *mode = reason == ENG_STOP_UNHANDLED ? "unhandled" : reason == ENG_STOP_USER_UNHANDLED ? "userUnhandled" : "always";
    char id[600];
    snprintf(id, sizeof id, "CLR/%s", type);
    rp->body = json_pack("{s:o, s:o, s:s, s:o}", "exceptionId", jstr(id), "description", jstr(msg), "breakMode", mode,
                         "details", details);
}

static void on_source(Dap *d, Req *rq, Reply *rp)
{
    long long ref = 0;
    if (arg_int(rq, rp, "sourceReference", &ref) < 0) return;
    const char *path = json_string_value(json_object_get(json_object_get(rq->args, "source"), "path"));
    char by_ref[4096];
    if (ref && source_path(d, ref, by_ref, sizeof by_ref) != 0) { failf(rp, "no source with reference %lld", ref); return; }
    if (ref) path = by_ref;
    if (!path) { failf(rp, "'sourceReference' is missing"); return; }
    char where[4200];
    snprintf(where, sizeof where, "%s:1", path);
    EngResult r;
    eng_source(d->eng, where, &r);
    if (!eng_failed(&r, rp)) rp->body = json_pack("{s:o, s:s}", "content", jstr(r.text ? r.text : ""), "mimeType", "text/x-csharp");
    eng_result_free(&r);
}

static void on_loaded_sources(Dap *d, Req *rq, Reply *rp)
{
    (void)rq;
    json_t *out = json_array();
    if (eng_state(d->eng) != ENG_NONE) {
        EngResult r;
        eng_documents(d->eng, 0, &r);
        for (char *line = r.text; line && *line;) {
            char *nl = strchr(line, '\n');
            if (nl) *nl = 0;
            char *path = strchr(line, '\t');
            char *emb = path ? strchr(path + 1, '\t') : NULL;
            if (path && emb) {
                *emb = 0;
                path++;
                int on_disk = access(path, R_OK) == 0;
                if (on_disk || emb[1] == '1') json_array_append_new(out, source_json(d, path, 0));
            }
            line = nl ? nl + 1 : line + strlen(line);
        }
        eng_result_free(&r);
    }
    rp->body = json_pack("{s:o}", "sources", out);
}

static void on_modules(Dap *d, Req *rq, Reply *rp)
{
    long long start = 0, count = 0;
    if (arg_int(rq, rp, "startModule", &start) < 0 || arg_int(rq, rp, "moduleCount", &count) < 0) return;
    if (start < 0 || count < 0) { failf(rp, "'startModule' and 'moduleCount' must not be negative"); return; }
    if (start > 0x7fffffff) start = 0x7fffffff;
    if (count > 0x7fffffff) count = 0x7fffffff;
    json_t *out = json_array();
    size_t total = 0;
    if (eng_state(d->eng) != ENG_NONE) {
        EngResult r;
        eng_list_modules(d->eng, &r);
        total = r.nmodules;
        for (size_t i = start > 0 ? (size_t)start : 0; i < r.nmodules && (!count || i < (size_t)(start + count)); i++) {
            EngModuleInfo *m = &r.modules[i];
            const char *base = strrchr(m->path, '/');
            json_t *mj = json_pack("{s:i, s:o, s:o, s:s}", "id", m->id, "name", jstr(base ? base + 1 : m->path),
                                   "path", jstr(m->path), "symbolStatus", m->has_symbols ? "Symbols loaded." : "Symbols not found.");
            if (mj && m->has_symbols) json_object_set_new(mj, "symbolFilePath", jstr(m->symbols));
            if (mj && m->dynamic) json_object_set_new(mj, "isOptimized", json_false());
            json_array_append_new(out, mj);
        }
        eng_result_free(&r);
    }
    rp->body = json_pack("{s:o, s:i}", "modules", out, "totalModules", (int)total);
}

/* ---------------------------------------------------------------- low-level views (issue 19) */

static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static char *base64_encode(const uint8_t *p, size_t n)
{
    char *out = malloc(4 * ((n + 2) / 3) + 1), *o = out;
    if (!out) return NULL;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        *o++ = B64[v >> 18 & 63];
        *o++ = B64[v >> 12 & 63];
        *o++ = i + 1 < n ? B64[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? B64[v & 63] : '=';
    }
    *o = 0;
    return out;
}

/* Bytes of base64 text (whitespace ignored); NULL when it is not base64. */
static uint8_t *base64_decode(const char *s, size_t *n)
{
    size_t len = strlen(s);
    uint8_t *out = malloc(len / 4 * 3 + 3);
    if (!out) return NULL;
    uint32_t acc = 0;
    int bits = 0, pad = 0;
    size_t k = 0;
    for (const char *p = s; *p; p++) {
        if (isspace((unsigned char)*p)) continue;
        if (*p == '=') { pad++; continue; }
        const char *c = strchr(B64, *p);
        if (!c || !*p || pad) { free(out); return NULL; }
        acc = acc << 6 | (uint32_t)(c - B64);
        bits += 6;
        if (bits >= 8) { bits -= 8; out[k++] = (uint8_t)(acc >> bits); }
    }
    if (pad > 2) { free(out); return NULL; }
    *n = k;
    return out;
}

static void on_read_memory(Dap *d, Req *rq, Reply *rp)
{
    uint64_t addr;
    long long count = 0;
    if (parse_mem_ref(rq, rp, "memoryReference", &addr) < 0 || need_int(rq, rp, "count", &count) < 0 || need_stopped(d, rp) < 0) return;
    if (count < 0) { failf(rp, "invalid 'count': %lld", count); return; }
    if (count > (1 << 20)) { failf(rp, "readMemory reads at most 1048576 bytes at a time ('count' is %lld)", count); return; }
    EngResult r;
    eng_mem_read(d->eng, addr, (size_t)count, &r);
    if (eng_failed(&r, rp)) { eng_result_free(&r); return; }
    char *data = base64_encode((const uint8_t *)r.text, (size_t)r.id);
    rp->body = json_pack("{s:o}", "address", mem_ref(addr));
    if (rp->body && data && r.id) json_object_set_new(rp->body, "data", json_string(data));
    if (rp->body && r.unreadable) json_object_set_new(rp->body, "unreadableBytes", json_integer((json_int_t)r.unreadable));
    free(data);
    eng_result_free(&r);
}

static void on_write_memory(Dap *d, Req *rq, Reply *rp)
{
    uint64_t addr;
    const char *data = NULL;
    int partial = 0;
    if (parse_mem_ref(rq, rp, "memoryReference", &addr) < 0 || need_str(rq, rp, "data", &data) < 0 ||
        arg_bool(rq, rp, "allowPartial", &partial) < 0 || need_stopped(d, rp) < 0)
        return;
    size_t n = 0;
    uint8_t *bytes = base64_decode(data, &n);
    if (!bytes) { failf(rp, "invalid 'data': not base64"); return; }
    EngResult r;
    eng_mem_write(d->eng, addr, bytes, n, &r);
    free(bytes);
    if (eng_failed(&r, rp)) { eng_result_free(&r); return; }
    eng_result_free(&r);
    rp->body = json_pack("{s:I}", "bytesWritten", (json_int_t)n);
    /* the editor's memory views and values read again */
    if (d->client_memory_event)
        send_event(d, "memory", json_pack("{s:o, s:i, s:I}", "memoryReference", mem_ref(addr), "offset", 0, "count", (json_int_t)n));
    if (d->client_invalidated) send_event(d, "invalidated", json_pack("{s:[s]}", "areas", "variables"));
}

static void on_disassemble(Dap *d, Req *rq, Reply *rp)
{
    uint64_t addr;
    long long ioff = 0, count = 0;
    int symbols = 1;
    if (parse_mem_ref(rq, rp, "memoryReference", &addr) < 0 || arg_int(rq, rp, "instructionOffset", &ioff) < 0 ||
        need_int(rq, rp, "instructionCount", &count) < 0 || arg_bool(rq, rp, "resolveSymbols", &symbols) < 0 ||
        need_stopped(d, rp) < 0)
        return;
    if (count < 0 || count > 10000) { failf(rp, "invalid 'instructionCount' %lld: 0 to 10000 instructions at a time", count); return; }
    if (ioff < -100000 || ioff > 100000) { failf(rp, "invalid 'instructionOffset' %lld: at most 100000 instructions away", ioff); return; }
    EngResult r;
    eng_disasm_at(d->eng, addr, (long)ioff, (int)count, symbols, &r);
    if (eng_failed(&r, rp)) { eng_result_free(&r); return; }
    json_t *out = json_array();
    const char *last_file = NULL;
    for (size_t i = 0; i < r.ninsns; i++) {
        const EngInsn *e = &r.insns[i];
        json_t *o = json_pack("{s:o, s:o}", "address", mem_ref(e->addr), "instruction", jstr(e->text));
        if (!o) continue;
        if (e->bytes[0]) json_object_set_new(o, "instructionBytes", jstr(e->bytes));
        if (e->invalid) json_object_set_new(o, "presentationHint", json_string("invalid"));
        if (e->symbol[0]) json_object_set_new(o, "symbol", jstr(e->symbol));
        if (e->line) {
            /* the source is given where it changes (and on the first instruction) */
            if (!last_file || strcmp(last_file, e->file)) json_object_set_new(o, "location", source_json(d, e->file, 0));
            last_file = e->file;
            json_object_set_new(o, "line", json_integer((int)e->line - (d->lines1 ? 0 : 1)));
        }
        json_array_append_new(out, o);
    }
    eng_result_free(&r);
    rp->body = json_pack("{s:o}", "instructions", out);
}

/* Instruction breakpoints replace the previous set, as setFunctionBreakpoints does: native
 * addresses are native breakpoints (mixed and native modes), addresses in jitted code
 * breakpoints at that native offset of the method (ICorDebug). */
static void on_set_instruction_breakpoints(Dap *d, Req *rq, Reply *rp)
{
    if (d->core) { core_breakpoints(d, rq, rp, 0); return; }
    json_t *list = json_object_get(rq->args, "breakpoints");
    if (!json_is_array(list)) { failf(rp, "'breakpoints' must be an array"); return; }
    size_t n = json_array_size(list);
    uint64_t *addrs = calloc(n ? n : 1, sizeof *addrs);
    int *ids = calloc(n ? n : 1, sizeof *ids);
    if (!addrs || !ids) { free(addrs); free(ids); failf(rp, "out of memory"); return; }
    for (size_t i = 0; i < n; i++) {
        json_t *spec = json_array_get(list, i);
        Req one = { .seq = rq->seq, .command = rq->command, .args = spec };
        if (!json_is_object(spec) || parse_mem_ref(&one, rp, "instructionReference", &addrs[i]) < 0) {
            if (!rp->failed) failf(rp, "breakpoints[%zu] is not an InstructionBreakpoint", i);
            free(addrs);
            free(ids);
            return;
        }
    }
    EngResult r;
    for (size_t i = 0; i < d->nins_bps; i++) {
        eng_delete_breakpoint(d->eng, d->ins_bps[i], &r);
        eng_result_free(&r);
    }
    free(d->ins_bps);
    d->ins_bps = ids;
    d->nins_bps = 0;
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *spec = json_array_get(list, i);
        char where[64], msg[512] = "";
        snprintf(where, sizeof where, "*0x%llx", (unsigned long long)addrs[i]);
        eng_break(d->eng, where, 0, &r);
        int id = r.status == 0 ? r.id : 0;
        if (r.status != 0) snprintf(msg, sizeof msg, "%s", r.err);
        eng_result_free(&r);
        if (id) apply_conditions(d, id, spec, msg, sizeof msg);
        if (id && msg[0]) {
            eng_delete_breakpoint(d->eng, id, &r);
            eng_result_free(&r);
            id = 0;
        }
        if (id) ids[d->nins_bps++] = id;
        EngResult all;
        eng_list_breakpoints(d->eng, &all);
        json_t *b = bp_json(d, &all, id, 0, NULL, msg);
        eng_result_free(&all);
        if (b) json_object_set_new(b, "instructionReference", mem_ref(addrs[i]));
        json_array_append_new(out, b);
    }
    free(addrs);
    rp->body = json_pack("{s:o}", "breakpoints", out);
}

/* Kill or detach, and wait until it is done. */
static void end_program(Dap *d, int terminate, Reply *rp)
{
    pthread_mutex_lock(&d->mu);
    d->ending = terminate ? 'k' : 'd';
    pthread_mutex_unlock(&d->mu);
    if (eng_state(d->eng) == ENG_NONE) return;
    EngResult r;
    if (terminate) eng_kill(d->eng, &r); else eng_detach(d->eng, &r);
    if (r.status != 0 && eng_state(d->eng) != ENG_NONE) {
        /* refused (a detach after Edit and Continue): the session goes on */
        failf(rp, "%s", r.err);
        pthread_mutex_lock(&d->mu);
        d->ending = 0;
        pthread_mutex_unlock(&d->mu);
    }
    eng_result_free(&r);
}

static void on_terminate(Dap *d, Req *rq, Reply *rp)
{
    (void)rq;
    if (d->core) { send_terminated(d); return; }      /* nothing to end but the session */
    if (eng_state(d->eng) == ENG_NONE) { send_terminated(d); return; }
    end_program(d, 1, rp);
}

static void on_disconnect(Dap *d, Req *rq, Reply *rp)
{
    int term = eng_launched(d->eng);
    if (arg_bool(rq, rp, "terminateDebuggee", &term) < 0) return;
    if (d->core) { d->done = 1; return; }            /* a core: the session's end closes it */
    end_program(d, term, rp);
    if (!rp->failed) d->done = 1;
}

static void on_cancel(Dap *d, Req *rq, Reply *rp)
{
    long long id = 0;
    if (arg_int(rq, rp, "requestId", &id) < 0) return;
    /* A queued -exec that has not started is dropped (answered as cancelled); everything
     * else is answered by then or runs to its end (the evaluation timeout bounds it). */
    JobQueue *q = &d->execq;
    pthread_mutex_lock(&q->mu);
    Job **pp = &q->head, *prev = NULL;
    Job *found = NULL;
    while (*pp) {
        if ((*pp)->kind == JOB_EXEC && (*pp)->seq == id) {
            found = *pp;
            *pp = found->next;
            if (q->tail == found) q->tail = prev;
            break;
        }
        prev = *pp;
        pp = &(*pp)->next;
    }
    pthread_mutex_unlock(&q->mu);
    if (found) {
        json_t *m = json_pack("{s:s, s:i, s:b, s:s, s:s}", "type", "response", "request_seq", found->seq, "success", 0,
                              "command", "evaluate", "message", "cancelled");
        send_msg(d, m);
        free(found->text);
        free(found);
    }
}

/* ---- data breakpoints (hardware watchpoints on native memory: eng_watch) */

/* dataBreakpointInfo: NAME in a native frame's scope (a C local, static or global) gets a
 * dataId naming its memory ("ADDRESS/LEN/ENC/NAME"); a managed variable (a child of a
 * variables reference: native frames have none here) has none, and says why. */
static void on_data_breakpoint_info(Dap *d, Req *rq, Reply *rp)
{
    const char *name = NULL;
    long long ref = 0, fid = 0;
    if (need_str(rq, rp, "name", &name) < 0 || arg_int(rq, rp, "variablesReference", &ref) < 0 ||
        arg_int(rq, rp, "frameId", &fid) < 0 || need_stopped(d, rp) < 0)
        return;
    json_t *types = json_pack("[s, s, s]", "read", "write", "readWrite");
    if (ref > 0) {
        rp->body = json_pack("{s:n, s:s, s:o}", "dataId",
            "description", "data breakpoints watch native memory: a managed variable cannot be watched (the runtime has no data breakpoints on Linux)",
            "accessTypes", types);
        return;
    }
    if (fid) {
        int thread = 0, index = -1;
        if (frame_of(d, rp, fid, &thread, &index) < 0 || select_thread(d, rp, thread) < 0) { json_decref(types); return; }
        EngResult fr;
        eng_select_frame(d->eng, index, 0, &fr);
        eng_result_free(&fr);
    }
    EngResult r;
    eng_watch(d->eng, name, 'w', 1, &r);
    unsigned long long addr = 0;
    int len = 0;
    char enc = 0, type[128] = "";
    if (r.status != 0 || sscanf(r.message, "%llx %d %c %127[^\n]", &addr, &len, &enc, type) != 4) {
        rp->body = json_pack("{s:n, s:s, s:o}", "dataId", "description", r.status ? r.err : "cannot watch it", "accessTypes", types);
        eng_result_free(&r);
        return;
    }
    eng_result_free(&r);
    char id[600], desc[700];
    snprintf(id, sizeof id, "0x%llx/%d/%c/%s", addr, len, enc, name);
    snprintf(desc, sizeof desc, "%s (%s, %d byte%s at 0x%llx)", name, type, len, len == 1 ? "" : "s", addr);
    rp->body = json_pack("{s:s, s:s, s:o, s:b}", "dataId", id, "description", desc, "accessTypes", types, "canPersist", 0);
}

/* setDataBreakpoints: the set replaces the previous one; each is verified, or says why not
 * (a fifth needs a free debug register). */
static void on_set_data_breakpoints(Dap *d, Req *rq, Reply *rp)
{
    if (d->core) { core_breakpoints(d, rq, rp, 0); return; }
    json_t *list = json_object_get(rq->args, "breakpoints");
    if (!json_is_array(list)) { failf(rp, "'breakpoints' must be an array"); return; }
    EngResult r;
    pthread_mutex_lock(&d->mu);
    int *old = d->data_bps;
    size_t nold = d->ndata_bps;
    d->data_bps = NULL;
    d->ndata_bps = 0;
    pthread_mutex_unlock(&d->mu);
    for (size_t i = 0; i < nold; i++) {
        eng_delete_breakpoint(d->eng, old[i], &r);
        eng_result_free(&r);
    }
    free(old);
    size_t n = json_array_size(list);
    int *ids = calloc(n ? n : 1, sizeof *ids);
    if (!ids) { failf(rp, "out of memory"); return; }
    size_t nids = 0;
    json_t *out = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *spec = json_array_get(list, i);
        const char *did = json_string_value(json_object_get(spec, "dataId"));
        const char *access = json_string_value(json_object_get(spec, "accessType"));
        unsigned long long addr = 0;
        int len = 0, used = 0;
        char enc = 0;
        char msg[600] = "";
        int kind = !access || !strcmp(access, "write") ? 'w' : !strcmp(access, "read") ? 'r' : !strcmp(access, "readWrite") ? 'a' : 0;
        if (!did || sscanf(did, "%llx/%d/%c/%n", &addr, &len, &enc, &used) != 3 || !used)
            snprintf(msg, sizeof msg, "invalid 'dataId' (give one that dataBreakpointInfo returned)");
        else if (!kind)
            snprintf(msg, sizeof msg, "invalid 'accessType' '%s' (read, write or readWrite)", access);
        int id = 0;
        if (!msg[0]) {
            eng_watch_at(d->eng, did + used, addr, len, enc, kind, &r);
            if (r.status == 0) id = r.id;
            else snprintf(msg, sizeof msg, "%s", r.err);
            eng_result_free(&r);
        }
        if (id) ids[nids++] = id;
        json_t *b = json_pack("{s:b}", "verified", id != 0);
        if (id) json_object_set_new(b, "id", json_integer(id));
        if (msg[0]) json_object_set_new(b, "message", jstr(msg));
        json_array_append_new(out, b);
    }
    pthread_mutex_lock(&d->mu);
    d->data_bps = ids;
    d->ndata_bps = nids;
    pthread_mutex_unlock(&d->mu);
    rp->body = json_pack("{s:o}", "breakpoints", out);
}

typedef void (*Handler)(Dap *d, Req *rq, Reply *rp);

static const struct { const char *name; Handler fn; int before_init; } handlers[] = {
    { "initialize", on_initialize, 1 },
    { "launch", on_launch, 0 },
    { "attach", on_attach, 0 },
    { "configurationDone", on_configuration_done, 0 },
    { "setBreakpoints", on_set_breakpoints, 0 },
    { "setFunctionBreakpoints", on_set_function_breakpoints, 0 },
    { "dataBreakpointInfo", on_data_breakpoint_info, 0 },
    { "setDataBreakpoints", on_set_data_breakpoints, 0 },
    { "setExceptionBreakpoints", on_set_exception_breakpoints, 0 },
    { "breakpointLocations", on_breakpoint_locations, 0 },
    { "threads", on_threads, 0 },
    { "stackTrace", on_stack_trace, 0 },
    { "scopes", on_scopes, 0 },
    { "variables", on_variables, 0 },
    { "evaluate", on_evaluate, 0 },
    { "setVariable", on_set_variable, 0 },
    { "setExpression", on_set_expression, 0 },
    { "continue", on_continue, 0 },
    { "next", on_next, 0 },
    { "stepIn", on_step_in, 0 },
    { "stepOut", on_step_out, 0 },
    { "pause", on_pause, 0 },
    { "gotoTargets", on_goto_targets, 0 },
    { "goto", on_goto, 0 },
    { "exceptionInfo", on_exception_info, 0 },
    { "completions", on_completions, 0 },
    { "stepInTargets", on_step_in_targets, 0 },
    { "source", on_source, 0 },
    { "loadedSources", on_loaded_sources, 0 },
    { "modules", on_modules, 0 },
    { "disassemble", on_disassemble, 0 },
    { "readMemory", on_read_memory, 0 },
    { "writeMemory", on_write_memory, 0 },
    { "setInstructionBreakpoints", on_set_instruction_breakpoints, 0 },
    { "terminate", on_terminate, 0 },
    { "disconnect", on_disconnect, 1 },
    { "cancel", on_cancel, 0 },
    { "cordbg/applyChanges", on_apply_changes, 0 },
};

/* One message from the client. Exactly one response for every request, whatever it holds. */
/* 0 when the body was not JSON at all (the framing may have been wrong). */
static int dispatch(Dap *d, const char *body, size_t len)
{
    DapMsg m;
    char why[512];
    DapKind kind = dap_decode(body, len, &m, why, sizeof why);
    if (kind == DAP_BAD) {
        respond_error(d, m.seq, m.command ? m.command : "", why);
    } else if (kind == DAP_RESPONSE) {
        /* The answer to runInTerminal: only a failure matters (success is the terminal
         * connecting). */
        pthread_mutex_lock(&d->mu);
        if (d->rit_seq && m.request_seq == d->rit_seq && !m.success) {
            snprintf(d->rit_err, sizeof d->rit_err, "%s", m.message ? m.message : "failed");
            ssize_t w = write(d->rit_wake[1], "x", 1);
            (void)w;
        }
        pthread_mutex_unlock(&d->mu);
    } else {
        int seq = m.seq;
        const char *command = m.command;
        Req rq = { .seq = seq, .command = command, .args = m.args };
        json_t *empty = NULL;
        if (!rq.args) rq.args = empty = json_object();
        Handler fn = NULL;
        int before_init = 0;
        for (size_t i = 0; i < sizeof handlers / sizeof *handlers; i++)
            if (!strcmp(handlers[i].name, command)) { fn = handlers[i].fn; before_init = handlers[i].before_init; }
        Reply rp = { 0 };
        if (!fn) failf(&rp, "unknown request '%s'", command);
        else if (!d->initialized && !before_init) failf(&rp, "'%s' before initialize", command);
        else fn(d, &rq, &rp);
        if (rp.failed) {
            json_decref(rp.body);
            respond_error(d, seq, command, rp.msg);
        } else if (!rp.deferred) {
            respond(d, seq, command, rp.body);
        }
        if (!rp.failed) {
            if (rp.after == AFTER_INITIALIZED) {
                pthread_mutex_lock(&d->mu);
                d->events_ok = 1;
                pthread_mutex_unlock(&d->mu);
                send_event(d, "initialized", NULL);
            } else if (rp.after == AFTER_GOTO) {
                send_event(d, "stopped", json_pack("{s:s, s:i, s:b}", "reason", "goto", "threadId", rp.after_thread,
                                                   "allThreadsStopped", 1));
            }
            if (rp.queue) queue_job(d, rp.job.kind, rp.job.seq, rp.job.value, rp.job.text);
            if (rp.after_stopped) { send_event(d, "stopped", rp.after_stopped); rp.after_stopped = NULL; }
        }
        json_decref(rp.after_stopped);
        json_decref(empty);
    }
    int json = m.root != NULL;
    json_decref(m.root);
    return json;
}

/* ---------------------------------------------------------------- session */

static int serve(int in_fd, int out_fd)
{
    Dap *d = calloc(1, sizeof *d);
    if (!d) return 1;
    d->in_fd = in_fd;
    d->out_fd = out_fd;
    d->lines1 = d->cols1 = 1;
    for (int i = 0; i < 3; i++) d->stdio[i] = -1;
    if (pipe2(d->rit_wake, O_CLOEXEC) != 0) { free(d); return 1; }
    pthread_mutex_init(&d->mu, NULL);
    pthread_mutex_init(&d->refs_mu, NULL);
    if (pipe2(d->pump_quit, O_CLOEXEC) != 0) { close(d->rit_wake[0]); close(d->rit_wake[1]); free(d); return 1; }
    JobQueue *qs[2] = { &d->runq, &d->execq };
    for (int i = 0; i < 2; i++) {
        qs[i]->d = d;
        pthread_mutex_init(&qs[i]->mu, NULL);
        pthread_cond_init(&qs[i]->cv, NULL);
    }
    d->eng = eng_session_new(on_notice, d);
    if (!d->eng) { free(d); return 1; }
    d->cli = cli_embedded_new(d->eng, &d->cli_opt);
    pthread_mutex_init(&d->enc_mu, NULL);
    d->enc = enc_service_new();
    if (d->cli) cli_embedded_share_enc(d->cli, d->enc, &d->enc_mu);
    for (int i = 0; i < 2; i++) pthread_create(&qs[i]->thread, NULL, worker_main, qs[i]);

    DapWire w;
    dap_wire_init(&w);
    char buf[65536];
    while (!d->done) {
        ssize_t n = read(in_fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        if (dap_wire_feed(&w, buf, (size_t)n) != 0) break;
        for (;;) {
            char *body;
            size_t len;
            char err[256];
            int r = dap_wire_next(&w, &body, &len, err, sizeof err);
            if (r == 0) break;
            if (r < 0) { respond_error(d, 0, "", err); continue; }
            if (!dispatch(d, body, len)) dap_wire_reject(&w, body, len);
            free(body);
            if (d->done) break;
        }
    }
    dap_wire_free(&w);
    /* The client is gone (or disconnected): leave the program as disconnect would. A start
     * waiting for the client's terminal will get none: wake it. */
    if (!d->done) {
        ssize_t wr = write(d->rit_wake[1], "x", 1);
        (void)wr;
    }
    if (eng_state(d->eng) != ENG_NONE && !d->core) {
        int launched = eng_launched(d->eng);
        Reply rp = { 0 };
        end_program(d, launched, &rp);
        if (!d->done)
            fprintf(stderr, "cordbg: the client went away without disconnect: its program was %s%s%s\n",
                    launched ? "killed" : "detached", rp.failed ? ": " : "", rp.failed ? rp.msg : "");
    }
    for (int i = 0; i < 2; i++) {
        pthread_mutex_lock(&qs[i]->mu);
        qs[i]->quit = 1;
        pthread_cond_signal(&qs[i]->cv);
        pthread_mutex_unlock(&qs[i]->mu);
        pthread_join(qs[i]->thread, NULL);
        for (Job *j = qs[i]->head, *next; j; j = next) {
            next = j->next;
            eng_abandon(d->eng, j->pending);
            free(j->text);
            free(j);
        }
        pthread_mutex_destroy(&qs[i]->mu);
        pthread_cond_destroy(&qs[i]->cv);
    }
    hr_stop(d->hr);         /* it asks the engine: before the engine ends */
    eng_session_free(d->eng);
    if (d->engine_log) log_restore(d->log_saved);
    /* A child of the program may hold its output open: stop reading rather than wait. */
    if (write(d->pump_quit[1], "q", 1) != 1) log_msg(LOG_INFO, "dap", "cannot stop the output pumps");
    for (int i = 0; i < d->npumps; i++) if (d->pump[i]) pthread_join(d->pump[i], NULL);
    close(d->pump_quit[0]);
    close(d->pump_quit[1]);
    close_child_stdio(d);
    cli_embedded_free(d->cli);
    enc_service_free(d->enc);
    pthread_mutex_destroy(&d->enc_mu);
    json_decref(d->core_stop);
    free(d->program);
    free(d->cwd);
    free_strings(d->args);
    free_strings(d->env);
    free_strings(d->map_from);
    free_strings(d->map_to);
    for (size_t i = 0; i < d->nsrcs; i++) { free(d->srcs[i].path); free(d->srcs[i].bps); }
    free(d->srcs);
    free(d->fn_bps);
    free(d->ins_bps);
    free(d->data_bps);
    for (size_t i = 0; i < d->nrefs; i++) free(d->refs[i]);
    free(d->refs);
    frames_clear(d);
    close(d->rit_wake[0]);
    close(d->rit_wake[1]);
    pthread_mutex_destroy(&d->mu);
    pthread_mutex_destroy(&d->refs_mu);
    free(d);
    return 0;
}

int dap_main_stdio(void)
{
    /* stdout is the protocol: anything else that would print there must not. The program's
     * output comes through pipes; cordbg's own stays on stderr. */
    int out = dup(STDOUT_FILENO);
    if (out < 0) return 1;
    int devnull = open("/dev/null", O_WRONLY);
    if (devnull >= 0) { dup2(devnull, STDOUT_FILENO); close(devnull); }
    int rc = serve(STDIN_FILENO, out);
    close(out);
    return rc;
}

/* One /proc/net/tcp{,6} address "HEX:PORT" as IPv4 (network order) and port; an IPv6 one
 * counts when it is IPv4-mapped (::ffff:a.b.c.d). -1 when it is neither. */
static int proc_net_addr(const char *s, uint32_t *addr, unsigned *port)
{
    const char *colon = strchr(s, ':');
    if (!colon) return -1;
    size_t hl = (size_t)(colon - s);
    char hex[9];
    if (hl == 32) {
        /* Four 32-bit words, each printed in host order. */
        if (strncasecmp(s, "0000000000000000FFFF0000", 24) != 0) return -1;
        memcpy(hex, s + 24, 8);
    } else if (hl == 8) {
        memcpy(hex, s, 8);
    } else {
        return -1;
    }
    hex[8] = 0;
    char *end;
    unsigned long a = strtoul(hex, &end, 16), p = strtoul(colon + 1, &end, 16);
    if (*end && *end != ' ') return -1;
    *addr = (uint32_t)a;           /* the kernel prints the raw (network-order) word in host order */
    *port = (unsigned)p;
    return 0;
}

/* The uid owning the other end of a loopback TCP connection: the socket in /proc/net/tcp (or
 * tcp6) whose local address is our peer and whose remote address is us. -1 when not found. */
static long long peer_uid(int c)
{
    struct sockaddr_in me, peer;
    socklen_t ml = sizeof me, pl = sizeof peer;
    if (getsockname(c, (struct sockaddr *)&me, &ml) != 0 || getpeername(c, (struct sockaddr *)&peer, &pl) != 0 ||
        me.sin_family != AF_INET || peer.sin_family != AF_INET)
        return -1;
    static const char *const files[] = { "/proc/net/tcp", "/proc/net/tcp6" };
    for (size_t f = 0; f < 2; f++) {
        FILE *in = fopen(files[f], "re");
        if (!in) continue;
        char line[512];
        long long uid = -1;
        while (uid < 0 && fgets(line, sizeof line, in)) {
            char local[64], remote[64];
            unsigned st;
            unsigned long long u;
            /* sl local rem st tx:rx tr:when retrnsmt uid */
            if (sscanf(line, " %*[0-9]: %63s %63s %x %*s %*s %*s %llu", local, remote, &st, &u) != 4) continue;
            uint32_t la, ra;
            unsigned lp, rpt;
            if (proc_net_addr(local, &la, &lp) != 0 || proc_net_addr(remote, &ra, &rpt) != 0) continue;
            /* A TIME_WAIT entry of an earlier connection has no owner (uid 0). */
            if (st == 0x06 || st == 0x0A) continue;
            if (la == peer.sin_addr.s_addr && lp == ntohs(peer.sin_port) && ra == me.sin_addr.s_addr && rpt == ntohs(me.sin_port))
                uid = (long long)u;
        }
        fclose(in);
        if (uid >= 0) return uid;
    }
    return -1;
}

int dap_main_server(int port)
{
    int ls = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (ls < 0) { fprintf(stderr, "error: socket: %s\n", strerror(errno)); return 1; }
    int one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port),
                             .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
    if (bind(ls, (struct sockaddr *)&a, sizeof a) != 0 || listen(ls, 1) != 0) {
        fprintf(stderr, "error: cannot listen on 127.0.0.1:%d: %s\n", port, strerror(errno));
        close(ls);
        return 1;
    }
    socklen_t alen = sizeof a;
    getsockname(ls, (struct sockaddr *)&a, &alen);
    fprintf(stderr, "cordbg: DAP server listening on 127.0.0.1:%d\n", ntohs(a.sin_port));
    for (;;) {
        int c = accept4(ls, NULL, NULL, SOCK_CLOEXEC);
        if (c < 0) {
            if (errno == EINTR || errno == ECONNABORTED) continue;
            fprintf(stderr, "error: accept: %s\n", strerror(errno));
            break;
        }
        /* A program launched through the server runs as the server's user: only that user
         * may drive it. */
        long long uid = peer_uid(c);
        if (uid != (long long)geteuid()) {
            if (uid < 0) fprintf(stderr, "cordbg: connection refused: its owner could not be found in /proc/net/tcp\n");
            else fprintf(stderr, "cordbg: connection refused: it comes from uid %lld, and only uid %lld may use this server\n",
                         uid, (long long)geteuid());
            close(c);
            continue;
        }
        serve(c, c);
        close(c);
    }
    close(ls);
    return 1;
}
