/* Command table, line reading (libedit at a terminal, plain lines otherwise) and the
 * printing of engine notices. Output lines that scripts rely on keep one form. */
#include "front/cli.h"
#include "enc/enc.h"
#include "enc/hotreload.h"
#include "enc/inject.h"
#include "clr/runtime.h"
#include "base/memcache.h"
#include "base/strbuf.h"

#include <ctype.h>
#include <editline/readline.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct Cli {
    EngSession     *eng;
    pthread_t       sig_thread;    /* takes SIGINT (pause, or end in batch), SIGTERM, SIGHUP */
    const CliOptions *opt;
    pthread_mutex_t out_mu;
    int             interactive;   /* commands come from a terminal */
    char          **run_args;      /* set by `run ARGS`, replaces opt->args */
    char            list_where[1100]; /* `list` again goes on from here ("path:line") */
    int             listing;       /* the previous command was list */
    int             last_stop;     /* reason of the last stop notice (EngStopReason), -1: none yet */
    int             quit;
    const char     *rest;          /* the command line after its first word, as typed */
    struct Display { int id; int hex; char *expr; } *displays;
    size_t          ndisplays;
    int             next_display;
    int             print_elements;    /* children print shows (set print elements N) */
    int             injected;          /* code injection ran once (its note was said) */
    FILE           *outf, *errf;   /* stdout and stderr; both a buffer when embedded */
    int             embedded;      /* commands of another front end (DAP's -exec) */
    int             timing;        /* maintenance time on: each command's time after it */
    int             resume_sent;   /* (out_mu) a continue or step is in the engine's queue */
    EncService     *enc;           /* the Edit and Continue helper's client (started on first apply) */
    int             enc_borrowed;  /* enc and enc_mu are the embedding front end's (DAP) */
    pthread_mutex_t own_enc_mu;
    pthread_mutex_t *enc_mu;       /* held around every use of enc: apply, inject, hot reload's
                                    * thread (the helper answers one request sequence at a time) */
    HotReload      *hr;            /* set hot-reload on: the watcher */
    char           *core_path;     /* the core dump opened (--core, core-file), NULL: none */
    char           *core_msg;      /* what the engine said it is (info program) */
} Cli;

/* The helper's client, made on first use; NULL when out of memory. */
static EncService *cli_enc(Cli *c)
{
    if (!c->enc && !c->enc_borrowed) c->enc = enc_service_new();
    return c->enc;
}

/* ---------------------------------------------------------------- output */

static void out(Cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void out(Cli *c, const char *fmt, ...)
{
    va_list ap;
    pthread_mutex_lock(&c->out_mu);
    va_start(ap, fmt);
    vfprintf(c->outf, fmt, ap);
    va_end(ap);
    fflush(c->outf);
    pthread_mutex_unlock(&c->out_mu);
}

/* One line on stderr after what stdout holds: "PREFIX: text". */
static void vsay(Cli *c, const char *prefix, const char *fmt, va_list ap)
{
    pthread_mutex_lock(&c->out_mu);
    fflush(c->outf);
    fprintf(c->errf, "%s: ", prefix);
    vfprintf(c->errf, fmt, ap);
    fputc('\n', c->errf);
    fflush(c->errf);
    pthread_mutex_unlock(&c->out_mu);
}

static void err(Cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void err(Cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(c, "error", fmt, ap);
    va_end(ap);
}

static void note(Cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void note(Cli *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(c, "note", fmt, ap);
    va_end(ap);
}

/* "Ns.Type.Method(args) at File.cs:12" and, on its own line, "12<TAB>source text". */
static void print_where(Cli *c, const EngNotice *n)
{
    if (!n->function) { out(c, "at an unknown location\n"); return; }
    if (n->file && n->line) {
        const char *base = strrchr(n->file, '/');
        out(c, "%s at %s:%u\n", n->function, base ? base + 1 : n->file, (unsigned)n->line);
        if (n->source) out(c, "%u\t%s\n", (unsigned)n->line, n->source);
    } else {
        out(c, "%s\n", n->function);
    }
}

static void on_notice(void *ctx, const EngNotice *n)
{
    Cli *c = ctx;
    if (n->quiet) return;
    switch (n->kind) {
    case EN_PROCESS_STARTED: out(c, "Process %d started\n", n->pid); break;
    case EN_ATTACHED:        out(c, "Attached to process %d\n", n->pid); break;
    case EN_DETACHED:        out(c, "Detached from process %d\n", n->pid); break;
    case EN_KILLED:          out(c, "Killed process %d\n", n->pid); break;
    case EN_PROCESS_EXITED:
        if (n->exit_code >= 0) out(c, "Process %d exited with code %d\n", n->pid, n->exit_code);
        else if (n->signal) out(c, "Process %d was killed by signal %d (%s)\n", n->pid, n->signal, strsignal(n->signal));
        else out(c, "Process %d exited (exit code not known: cordbg attached to it)\n", n->pid);
        break;
    case EN_STOPPED: {
        c->last_stop = (int)n->reason;
        const char *exc_head = n->reason == ENG_STOP_THROW ? "Exception thrown"
                             : n->reason == ENG_STOP_USER_UNHANDLED ? "User-unhandled exception"
                             : "Unhandled exception";
        switch (n->reason) {
        case ENG_STOP_ATTACH: out(c, "Process %d stopped (attached)\n", n->pid); break;
        case ENG_STOP_BREAK:  out(c, "Debugger.Break() on thread %d (tid %u)\n", n->thread_id, (unsigned)n->tid); break;
        case ENG_STOP_BREAKPOINT:
            if (n->condition_error)
                out(c, "Error in condition of breakpoint %d: %s (stopped there)\n", n->bp_id, n->condition_error);
            if (n->nbp_ids > 1) {
                /* Several bound at one place: one stop names them all, "Breakpoints 1, 2 and 3". */
                out(c, "Thread %d hit Breakpoints ", n->thread_id);
                for (int i = 0; i < n->nbp_ids; i++)
                    out(c, "%d%s", n->bp_ids[i], i + 2 < n->nbp_ids ? ", " : i + 2 == n->nbp_ids ? " and " : ", ");
            } else {
                out(c, "Thread %d hit Breakpoint %d, ", n->thread_id, n->bp_id);
            }
            print_where(c, n);
            break;
        case ENG_STOP_STEP:
            print_where(c, n);
            if (n->returned) out(c, "%s\n", n->returned);   /* what the calls stepped over returned */
            break;
        case ENG_STOP_ENTRY:
            /* the user's breakpoints at the entry are the same stop: "at entry (Breakpoint 1)" */
            out(c, "Thread %d stopped at entry", n->thread_id);
            for (int i = 0; i < n->nbp_ids; i++)
                out(c, "%s%d", i == 0 ? (n->nbp_ids > 1 ? " (Breakpoints " : " (Breakpoint ")
                               : i + 1 == n->nbp_ids ? " and " : ", ", n->bp_ids[i]);
            out(c, "%s, ", n->nbp_ids > 0 ? ")" : "");
            print_where(c, n);
            break;
        case ENG_STOP_THROW: case ENG_STOP_USER_UNHANDLED: case ENG_STOP_UNHANDLED:
            out(c, "%s on thread %d (tid %u): %s%s%s\n", exc_head, n->thread_id, (unsigned)n->tid,
                n->exception ? n->exception : "?", n->message && *n->message ? ": " : "",
                n->message ? n->message : "");
            if (n->function) print_where(c, n);
            break;
        case ENG_STOP_PAUSE:
            out(c, "Process %d paused, thread %d (tid %u)\n", n->pid, n->thread_id, (unsigned)n->tid);
            if (n->function) print_where(c, n);
            break;
        case ENG_STOP_WATCH:
            /* gdb's lines: "Hardware watchpoint 2: x", a blank line, "Old value = ..." */
            out(c, "\n%s\n", n->message ? n->message : "");
            print_where(c, n);
            break;
        case ENG_STOP_SIGNAL:
            if (!n->exception) {
                /* a core dump written while nothing had gone wrong (generate-core-file, dotnet-dump) */
                out(c, "Thread %d (tid %u), as the dump found it\n", n->thread_id, (unsigned)n->tid);
                print_where(c, n);
                break;
            }
            out(c, "Thread %d (tid %u) received signal %s%s%s.%s%s\n", n->thread_id, (unsigned)n->tid,
                n->exception, n->message && *n->message ? ", " : "", n->message ? n->message : "",
                n->path ? " Fault address " : "", n->path ? n->path : "");
            print_where(c, n);
            break;
        }
        if (n->reason == ENG_STOP_BREAK && n->function) print_where(c, n);
        break;
    }
    case EN_BREAKPOINT_BOUND: out(c, "Breakpoint %d bound: %s\n", n->bp_id, n->message ? n->message : ""); break;
    case EN_MODULE_LOADED:
        out(c, "Loaded '%s' (%s)\n", n->path, n->has_symbols ? "symbols loaded" : n->message ? n->message : "no symbols");
        break;
    case EN_MODULE_UNLOADED:   out(c, "Unloaded '%s'\n", n->path); break;
    case EN_THREAD_CREATED:    out(c, "Thread %d (tid %u) created\n", n->thread_id, (unsigned)n->tid); break;
    case EN_THREAD_EXITED:     out(c, "Thread %d (tid %u) exited\n", n->thread_id, (unsigned)n->tid); break;
    case EN_APPDOMAIN_CREATED: out(c, "AppDomain %d '%s' created\n", n->id, n->name); break;
    case EN_APPDOMAIN_EXITED:  out(c, "AppDomain %d '%s' exited\n", n->id, n->name); break;
    case EN_ASSEMBLY_LOADED:   out(c, "Assembly '%s' loaded\n", n->path); break;
    case EN_ASSEMBLY_UNLOADED: out(c, "Assembly '%s' unloaded\n", n->path); break;
    case EN_CLASS_LOADED:      out(c, "Class %s loaded\n", n->name); break;
    case EN_CLASS_UNLOADED:    out(c, "Class %s unloaded\n", n->name); break;
    case EN_LOG:
        if (n->category && n->category[0]) out(c, "Log [%s]: %s\n", n->category, n->message);
        else out(c, "Log: %s\n", n->message);              /* Debug.WriteLine gives no category */
        break;
    case EN_LOGPOINT:          out(c, "%s\n", n->message); break;
    case EN_RESUMED:           break;
    case EN_ERROR:             err(c, "%s", n->message); break;
    case EN_NOTE:              out(c, "%s\n", n->message); break;
    case EN_EXCEPTION_THROWN:  break;       /* DAP's logging.exceptions; the CLI has catch throw */
    }
}

/* ---------------------------------------------------------------- commands */

typedef int (*CmdFn)(Cli *c, int argc, char **argv);

typedef struct Command {
    const char *name;
    const char *aliases;    /* space-separated */
    CmdFn       fn;
    const char *usage;
    const char *help;
} Command;

static int result(Cli *c, EngResult *r)
{
    int st = r->status;
    if (st != 0) err(c, "%s", r->err);
    eng_result_free(r);
    return st;
}

static int cmd_info_threads(Cli *c);
static void show_displays(Cli *c);

/* After run/continue/step: a pause (Ctrl-C) shows where every thread is, as gdb's
 * interrupt does not but the users expect; then the display expressions. */
static int after_resume(Cli *c, EngResult *r)
{
    int rc = result(c, r);
    if (rc == 0 && c->last_stop == ENG_STOP_PAUSE && eng_state(c->eng) == ENG_STOPPED) cmd_info_threads(c);
    if (eng_state(c->eng) == ENG_STOPPED) show_displays(c);
    return rc;
}

static int cmd_run(Cli *c, int argc, char **argv)
{
    if (c->embedded) { err(c, "the program is started by the editor's launch configuration"); return -1; }
    if (!c->opt->program) { err(c, "no program to run: give one on the command line (cordbg PROGRAM [ARGS])"); return -1; }
    if (argc > 1) {
        for (char **a = c->run_args; a && *a; a++) free(*a);
        free(c->run_args);
        c->run_args = calloc((size_t)argc, sizeof *c->run_args);
        if (!c->run_args) { err(c, "out of memory"); return -1; }
        for (int i = 1; i < argc; i++) c->run_args[i - 1] = strdup(argv[i]);
    }
    EngLaunchArgs la = { .program = c->opt->program, .args = c->run_args ? c->run_args : c->opt->args,
                         .cwd = c->opt->cwd, .env = c->opt->env, .sigint_is_cordbgs = !c->opt->batch };
    EngResult r;
    c->last_stop = -1;
    eng_run(c->eng, &la, &r);
    return after_resume(c, &r);
}

static void set_resume_sent(Cli *c, int on)
{
    pthread_mutex_lock(&c->out_mu);
    c->resume_sent = on;
    pthread_mutex_unlock(&c->out_mu);
}

/* A continue or step: once it is in the engine's queue, a Ctrl-C pauses even if the engine
 * has not let the program go yet (the pause is queued after it). */
static int resume_and_wait(Cli *c, EngPending *p)
{
    EngResult r;
    c->last_stop = -1;
    set_resume_sent(c, 1);
    eng_wait(c->eng, p, &r);
    set_resume_sent(c, 0);
    return after_resume(c, &r);
}

static int cmd_continue(Cli *c, int argc, char **argv) { return resume_and_wait(c, eng_continue_start(c->eng)); }

static int do_step(Cli *c, int kind) { return resume_and_wait(c, eng_step_start(c->eng, kind)); }

static int cmd_step(Cli *c, int argc, char **argv) { return do_step(c, 'i'); }
static int cmd_stepi(Cli *c, int argc, char **argv) { return do_step(c, 'I'); }
static int cmd_nexti(Cli *c, int argc, char **argv) { return do_step(c, 'N'); }
static int cmd_next(Cli *c, int argc, char **argv) { return do_step(c, 'o'); }
static int cmd_finish(Cli *c, int argc, char **argv) { return do_step(c, 'u'); }

/* Visual Studio's Apply Code Changes: every saved change of the program's sources (or of
 * FILE... only), compiled by the helper and applied to the live program. */
static int cmd_apply(Cli *c, int argc, char **argv)
{
    if (!cli_enc(c)) { err(c, "out of memory"); return -1; }
    EngResult r;
    pthread_mutex_lock(c->enc_mu);
    if (argc > 1) enc_apply_files(c->enc, c->eng, (const char *const *)argv + 1, (size_t)argc - 1, &r);
    else enc_apply_all(c->enc, c->eng, &r);
    pthread_mutex_unlock(c->enc_mu);
    int failed = r.status != 0;
    if (!failed && r.message[0]) out(c, "%s\n", r.message);
    if (failed) err(c, "%s", r.err);
    /* The compiler's messages (errors, rude edits, warnings) after the one-line summary. */
    if (r.text && r.text[0]) {
        if (failed) err(c, "%.*s", (int)(strlen(r.text) - 1), r.text);
        else out(c, "%s", r.text);
    }
    eng_result_free(&r);
    return failed ? -1 : 0;
}

static int cmd_jump(Cli *c, int argc, char **argv)
{
    if (argc != 2) { err(c, "usage: jump LINE | jump +N | jump -N"); return -1; }
    const char *t = argv[1];
    int relative = t[0] == '+' || t[0] == '-';
    char *end;
    long v = strtol(t, &end, 10);
    if (*end || end == t || v > 10000000 || v < -10000000 || (!relative && v <= 0)) {
        err(c, "'%s' is not a line (LINE, +N or -N)", t);
        return -1;
    }
    EngResult r;
    eng_jump(c->eng, (int)v, relative, &r);
    if (r.status == 0) out(c, "Next statement: %s\n", r.message);
    return result(c, &r);
}

/* The rest of the words, joined by spaces: locations may hold spaces ("M(int, string)"). */
static void join_words(int argc, char **argv, int from, char *out, size_t cap)
{
    out[0] = 0;
    for (int i = from; i < argc; i++) {
        size_t len = strlen(out);
        snprintf(out + len, cap - len, "%s%s", i > from ? " " : "", argv[i]);
    }
}

/* Ten lines of the document in r around r->id (from `first` when nonzero); the stop line
 * is marked when `mark` is set. Returns the line after the last one shown. */
static int print_source(Cli *c, EngResult *r, int first, int mark)
{
    int from = first ? first : (r->id > 5 ? r->id - 5 : 1);
    int n = 1, shown = 0;
    const char *p = r->text;
    while (*p && shown < 10) {
        const char *eol = strchr(p, '\n');
        int len = eol ? (int)(eol - p) : (int)strlen(p);
        if (len && p[len - 1] == '\r') len--;
        if (n >= from) {
            out(c, "%s%d\t%.*s\n", mark && n == r->id ? "=> " : "   ", n, len, p);
            shown++;
        }
        n++;
        p = eol ? eol + 1 : p + strlen(p);
    }
    if (!shown) out(c, "Line %d is past the end of %s (%d lines).\n", from, r->message, n - 1);
    return from + shown;
}

static int cmd_list(Cli *c, int argc, char **argv)
{
    char where[1024];
    join_words(argc, argv, 1, where, sizeof where);
    EngResult r;
    int again = !where[0] && c->listing && c->list_where[0];
    eng_source(c->eng, again ? c->list_where : where[0] ? where : NULL, &r);
    if (r.status == 0) {
        int next = print_source(c, &r, again ? r.id : 0, !where[0] && !again);
        snprintf(c->list_where, sizeof c->list_where, "%s:%d", r.message, next);
    }
    int rc = result(c, &r);
    c->listing = rc == 0;
    return rc;
}

static int cmd_kill(Cli *c, int argc, char **argv)
{
    EngResult r;
    eng_kill(c->eng, &r);
    return result(c, &r);
}

static int cmd_detach(Cli *c, int argc, char **argv)
{
    EngResult r;
    eng_detach(c->eng, &r);
    return result(c, &r);
}

static int cmd_attach(Cli *c, int argc, char **argv)
{
    if (argc != 2) { err(c, "usage: attach PID"); return -1; }
    char *end;
    long pid = strtol(argv[1], &end, 10);
    if (*end || pid <= 0 || pid > 0x7fffffff) { err(c, "'%s' is not a process id", argv[1]); return -1; }
    EngResult r;
    eng_attach(c->eng, (int)pid, &r);
    return result(c, &r);
}

/* Open a core dump: the engine's words on what it is, then the crash moment as a stop
 * notice (gdb's order: "Core was generated by ..." before the frame). The notice comes
 * while the request runs, so it is held in a buffer until the words are out. */
static int open_core(Cli *c, const char *path, const char *program)
{
    char *held = NULL;
    size_t nheld = 0;
    FILE *buf = open_memstream(&held, &nheld);
    FILE *saved = c->outf;
    if (buf) {
        pthread_mutex_lock(&c->out_mu);
        c->outf = buf;
        pthread_mutex_unlock(&c->out_mu);
    }
    EngResult r;
    c->last_stop = -1;
    eng_open_core(c->eng, path, program, &r);
    if (buf) {
        pthread_mutex_lock(&c->out_mu);
        c->outf = saved;
        fclose(buf);
        pthread_mutex_unlock(&c->out_mu);
    }
    if (r.status == 0) {
        if (r.message[0]) out(c, "%s\n", r.message);
        free(c->core_path);
        free(c->core_msg);
        c->core_path = strdup(path);
        c->core_msg = strdup(r.message);
    }
    if (held && nheld) out(c, "%s", held);
    free(held);
    int rc = result(c, &r);
    if (rc == 0) show_displays(c);
    return rc;
}

static int cmd_core_file(Cli *c, int argc, char **argv)
{
    if (c->embedded) { err(c, "the core dump is opened by the editor's launch configuration (coreDumpPath)"); return -1; }
    if (argc != 2) { err(c, "usage: core-file FILE"); return -1; }
    return open_core(c, argv[1], c->opt->program);
}

/* gdb's generate-core-file: the stopped program's memory and threads to FILE (core.PID). */
static int cmd_generate_core(Cli *c, int argc, char **argv)
{
    if (argc > 2) { err(c, "usage: generate-core-file [FILE]"); return -1; }
    EngResult r;
    eng_generate_core(c->eng, argc == 2 ? argv[1] : NULL, &r);
    if (r.status == 0) out(c, "%s\n", r.message);
    return result(c, &r);
}

static int ask_yes(Cli *c, const char *question)
{
    if (!c->interactive) return -1;
    char *line = readline(question);
    int ans = line && (line[0] == 'y' || line[0] == 'Y' || line[0] == 'k' || line[0] == 'K') ? 1
            : line && (line[0] == 'd' || line[0] == 'D') ? 2 : 0;
    free(line);
    return ans;
}

static int cmd_quit(Cli *c, int argc, char **argv)
{
    if (c->embedded) { err(c, "quit ends the debug session: use the editor's stop or disconnect"); return -1; }
    if (eng_state(c->eng) != ENG_NONE && !eng_is_core(c->eng)) {
        int pid = eng_pid(c->eng);
        if (c->interactive && !c->opt->batch) {
            char q[128];
            snprintf(q, sizeof q, "Process %d is live. Kill it, detach, or cancel? (k/d/c) ", pid);
            int a = ask_yes(c, q);
            if (a == 0) { out(c, "Not quitting.\n"); return 0; }
            EngResult r;
            if (a == 2) eng_detach(c->eng, &r); else eng_kill(c->eng, &r);
            if (result(c, &r) != 0) return -1;
        } else {
            out(c, "Killing process %d (quit)\n", pid);
            EngResult r;
            eng_kill(c->eng, &r);
            if (result(c, &r) != 0) return -1;
        }
    }
    c->quit = 1;
    return 0;
}

static int cmd_info_threads(Cli *c)
{
    EngResult r;
    eng_list_threads(c->eng, &r);
    if (r.status == 0) {
        out(c, "  %-4s %-8s %s\n", "Id", "Tid", "Name");
        for (size_t i = 0; i < r.nthreads; i++) {
            const EngThreadInfo *t = &r.threads[i];
            char where[1200] = "";
            if (t->has_top) {
                const char *base = strrchr(t->top.file, '/');
                if (t->top.line)
                    snprintf(where, sizeof where, "  %s at %s:%u", t->top.function, base ? base + 1 : t->top.file,
                             (unsigned)t->top.line);
                else
                    snprintf(where, sizeof where, "  %s", t->top.function);
            }
            /* The OS name; the managed Thread.Name too when it says more (the OS keeps 15 bytes). */
            char extra[300] = "";
            if (t->managed_name[0] && strcmp(t->managed_name, t->name) != 0)
                snprintf(extra, sizeof extra, " name=\"%s\"", t->managed_name);
            if (t->state[0]) snprintf(extra + strlen(extra), sizeof extra - strlen(extra), " [%s]", t->state);
            out(c, "%c %-4d %-8u \"%s\"%s%s%s\n", t->current ? '*' : ' ', t->id, (unsigned)t->tid, t->name,
                t->frozen ? " (frozen)" : "", extra, where);
        }
    }
    return result(c, &r);
}

static int cmd_info_modules(Cli *c)
{
    EngResult r;
    eng_list_modules(c->eng, &r);
    if (r.status == 0) {
        out(c, "%-4s %-8s %s\n", "Id", "Symbols", "Path");
        for (size_t i = 0; i < r.nmodules; i++)
            out(c, "%-4d %-8s %s\n", r.modules[i].id, r.modules[i].has_symbols ? "yes" : "no", r.modules[i].path);
    }
    return result(c, &r);
}

static int cmd_info_breakpoints(Cli *c, int watch_only);

/* ---------------------------------------------------------------- native views */

static int cmd_info_shared(Cli *c)
{
    EngResult r;
    eng_shared_libraries(c->eng, &r);
    if (r.status == 0) {
        out(c, "%-18s  %-18s  %-7s %s\n", "From", "To", "Syms", "Shared Object Library");
        for (size_t i = 0; i < r.nmodules; i++)
            out(c, "0x%016llx  0x%016llx  %-7s %s\n", (unsigned long long)r.modules[i].start,
                (unsigned long long)r.modules[i].end,
                r.modules[i].has_symbols == 2 ? "DWARF" : r.modules[i].has_symbols ? "symbols" : "none", r.modules[i].path);
    }
    return result(c, &r);
}

/* info registers [all | NAME...] (names with or without $; pc and sp too). */
static int cmd_info_registers(Cli *c, int nnames, char **names)
{
    int all = nnames == 1 && strcmp(names[0], "all") == 0;
    if (all) nnames = 0;
    EngResult r;
    eng_registers(c->eng, all || nnames > 0, &r);
    for (int k = 0; r.status == 0 && k < nnames; k++) {
        const char *want = names[k][0] == '$' ? names[k] + 1 : names[k];
        if (!strcmp(want, "pc")) want = "rip";
        if (!strcmp(want, "sp")) want = "rsp";
        if (!strcmp(want, "fp")) want = "rbp";
        size_t i = 0;
        while (i < r.nvars && strcmp(r.vars[i].name, want) != 0) i++;
        if (i == r.nvars) { err(c, "Invalid register `%s'", names[k]); eng_result_free(&r); return -1; }
        const char *tab = strchr(r.vars[i].value, '\t');
        if (tab) out(c, "%-15s%-19.*s%s\n", r.vars[i].name, (int)(tab - r.vars[i].value), r.vars[i].value, tab + 1);
        else out(c, "%-15s%s\n", r.vars[i].name, r.vars[i].value);
    }
    for (size_t i = 0; r.status == 0 && nnames == 0 && i < r.nvars; i++) {
        const char *tab = strchr(r.vars[i].value, '\t');
        if (tab) out(c, "%-15s%-19.*s%s\n", r.vars[i].name, (int)(tab - r.vars[i].value), r.vars[i].value, tab + 1);
        else out(c, "%-15s%s\n", r.vars[i].name, r.vars[i].value);
    }
    return result(c, &r);
}

static int cmd_info_signals(Cli *c)
{
    out(c, "Native stops on signals (mixed mode passes the runtime's own back without a stop):\n");
    out(c, "  SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT  stop (mixed: only when raised in user native code)\n");
    out(c, "  SIGTRAP                                  cordbg's own int3s and steps; any other: native mode stops\n");
    out(c, "                                           (not delivered, as gdb), mixed mode gives it back to the runtime\n");
    out(c, "  SIG34..SIG64 (real-time)                 pass (the runtime's thread suspension)\n");
    out(c, "  SIGCHLD SIGWINCH SIGURG SIGALRM SIGPROF SIGVTALRM SIGIO SIGCONT  pass\n");
    out(c, "  other signals                            stop; delivered when the program goes on\n");
    return 0;
}

/* x/Ns: COUNT NUL-terminated strings one after another, escaped as C writes them; a
 * string longer than 200 bytes is shown in pieces, as gdb does. */
static int x_strings(Cli *c, const char *expr, int count)
{
    enum { PIECE = 200 };
    EngResult r;
    char addr[64];
    snprintf(addr, sizeof addr, "%s", expr);
    for (int k = 0; k < count; k++) {
        eng_read_memory(c->eng, addr, PIECE + 1, &r);
        if (r.status != 0) {
            /* near the end of a mapping: byte by byte up to the end */
            eng_result_free(&r);
            eng_read_memory(c->eng, addr, 1, &r);
            if (r.status != 0) return result(c, &r);
        }
        unsigned long long base = strtoull(r.message, NULL, 16);
        const unsigned char *b = (const unsigned char *)r.text;
        size_t n = 0, avail = (size_t)r.id;
        while (n < avail && n < PIECE && b[n]) n++;
        char text[PIECE * 4 + 8];
        size_t o = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char ch = b[i];
            const char *esc = ch == '\n' ? "\\n" : ch == '\t' ? "\\t" : ch == '\r' ? "\\r" : ch == '"' ? "\\\"" : ch == '\\' ? "\\\\" : NULL;
            if (esc) o += (size_t)snprintf(text + o, sizeof text - o, "%s", esc);
            else if (ch < 0x20 || ch == 0x7f) o += (size_t)snprintf(text + o, sizeof text - o, "\\%03o", ch);
            else text[o++] = (char)ch;
        }
        text[o] = 0;
        out(c, "0x%llx:\t\"%s\"%s\n", base, text, n == PIECE && n < avail && b[n] ? "..." : "");
        snprintf(addr, sizeof addr, "0x%llx", base + n + (n < avail && !b[n] ? 1 : 0));
        eng_result_free(&r);
    }
    return 0;
}

/* x/NFU ADDRESS: N units of format F (x d u o t c a i s) and size U (b h w g). */
static int cmd_x(Cli *c, int argc, char **argv)
{
    int count = 1, size = 4;
    char fmt = 'x';
    const char *slash = strchr(argv[0], '/');
    if (slash) {
        const char *p = slash + 1;
        if (isdigit((unsigned char)*p)) { count = (int)strtol(p, (char **)&p, 10); }
        for (; *p; p++) {
            if (strchr("xduotcais", *p)) fmt = *p;
            else if (*p == 'b') size = 1;
            else if (*p == 'h') size = 2;
            else if (*p == 'w') size = 4;
            else if (*p == 'g') size = 8;
            else { err(c, "unknown format letter '%c' in %s (x/NFU: F in xduotcais, U in bhwg)", *p, argv[0]); return -1; }
        }
    }
    if (fmt == 'c') size = 1;
    if (fmt == 'a') size = 8;
    const char *expr = c->rest && *c->rest ? c->rest : NULL;
    if (!expr) { err(c, "usage: x/NFU ADDRESS (e.g. x/8xb $rsp, x/4i $pc, x/2g &var)"); return -1; }
    if (count < 1 || count > 100000) { err(c, "x: count must be 1..100000"); return -1; }
    EngResult r;
    if (fmt == 'i') {
        eng_disassemble(c->eng, expr, count, &r);
        if (r.status == 0) out(c, "%s", r.text);
        return result(c, &r);
    }
    if (fmt == 's') return x_strings(c, expr, count);
    size_t len = (size_t)count * (size_t)size;
    eng_read_memory(c->eng, expr, len, &r);
    if (r.status != 0) return result(c, &r);
    unsigned long long base = strtoull(r.message, NULL, 16);
    const unsigned char *b = (const unsigned char *)r.text;
    int per_line = size == 1 ? 8 : size == 2 ? 8 : size == 4 ? 4 : 2;
    for (int i = 0; i < count; i++) {
        if (i % per_line == 0) out(c, "%s0x%llx:", i ? "\n" : "", base + (unsigned long long)i * (unsigned long long)size);
        unsigned long long v = 0;
        memcpy(&v, b + (size_t)i * (size_t)size, (size_t)size);
        long long sv = size == 1 ? (signed char)v : size == 2 ? (short)v : size == 4 ? (int)v : (long long)v;
        switch (fmt) {
        case 'x': out(c, "\t0x%0*llx", size * 2, v); break;
        case 'd': out(c, "\t%lld", sv); break;
        case 'u': out(c, "\t%llu", v); break;
        case 'o': out(c, "\t0%llo", v); break;
        case 'a': out(c, "\t0x%llx", v); break;
        case 'c': out(c, "\t%d '%c'", (int)(signed char)v, isprint((int)v) ? (int)v : '.'); break;
        case 't': {
            char bits[65];
            for (int k = 0; k < size * 8; k++) bits[k] = (v >> (size * 8 - 1 - k)) & 1 ? '1' : '0';
            bits[size * 8] = 0;
            out(c, "\t%s", bits);
            break;
        }
        }
    }
    out(c, "\n");
    return result(c, &r);
}

static int cmd_disassemble(Cli *c, int argc, char **argv)
{
    EngResult r;
    eng_disassemble(c->eng, c->rest && *c->rest ? c->rest : NULL, 0, &r);
    if (r.status == 0) out(c, "%s", r.text);
    return result(c, &r);
}

static void print_frame(Cli *c, const EngFrameInfo *f, int with_source)
{
    if (f->line && f->file[0]) {
        const char *base = strrchr(f->file, '/');
        out(c, "#%-2d %s at %s:%u\n", f->index, f->function, base ? base + 1 : f->file, (unsigned)f->line);
        if (with_source && f->source[0]) out(c, "%u\t%s\n", (unsigned)f->line, f->source);
    } else {
        out(c, "#%-2d %s%s\n", f->index, f->function,
            f->kind == ENG_FRAME_EXTERNAL ? " [external code]" : "");
    }
}

static int parse_count(Cli *c, const char *text, int *n)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*end || v < 0 || v > 1000000) { err(c, "'%s' is not a number", text); return -1; }
    *n = (int)v;
    return 0;
}

/* One thread's frames; a run of frames outside user code shows as one "[external code]"
 * line unless `full`. */
static int print_backtrace(Cli *c, int thread_id, int limit, int full)
{
    EngResult r;
    eng_backtrace(c->eng, thread_id, limit, &r);
    for (size_t i = 0; r.status == 0 && i < r.nframes; i++) {
        if (!full && r.frames[i].kind == ENG_FRAME_EXTERNAL) {
            size_t j = i;
            while (j + 1 < r.nframes && r.frames[j + 1].kind == ENG_FRAME_EXTERNAL) j++;
            out(c, "#%-2d [external code]\n", r.frames[i].index);
            i = j;
            continue;
        }
        print_frame(c, &r.frames[i], 0);
    }
    return result(c, &r);
}

static int cmd_backtrace(Cli *c, int argc, char **argv)
{
    int limit = 0, full = 0, all = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "-full") == 0 || strcmp(argv[i], "full") == 0) full = 1;
        else if (strcmp(argv[i], "all") == 0) all = 1;
        else if (parse_count(c, argv[i], &limit) != 0) return -1;
    }
    if (!all) return print_backtrace(c, 0, limit, full);
    EngResult t;
    eng_list_threads(c->eng, &t);
    int rc = 0;
    for (size_t i = 0; t.status == 0 && i < t.nthreads; i++) {
        out(c, "Thread %d (tid %u) \"%s\":\n", t.threads[i].id, (unsigned)t.threads[i].tid, t.threads[i].name);
        if (print_backtrace(c, t.threads[i].id, limit, full) != 0) rc = -1;
    }
    return result(c, &t) != 0 ? -1 : rc;
}

static int show_selected(Cli *c, EngResult *r)
{
    if (r->status == 0 && r->nframes) print_frame(c, &r->frames[0], 1);
    return result(c, r);
}

static int cmd_frame(Cli *c, int argc, char **argv)
{
    int n = 0, relative = argc < 2;
    if (argc > 2 || (argc == 2 && parse_count(c, argv[1], &n) != 0)) { if (argc > 2) err(c, "usage: frame [N]"); return -1; }
    EngResult r;
    eng_select_frame(c->eng, n, relative, &r);
    return show_selected(c, &r);
}

static int move_frame(Cli *c, int argc, char **argv, int sign)
{
    int n = 1;
    if (argc > 2 || (argc == 2 && parse_count(c, argv[1], &n) != 0)) { if (argc > 2) err(c, "usage: %s [N]", argv[0]); return -1; }
    EngResult r;
    eng_select_frame(c->eng, sign * n, 1, &r);
    return show_selected(c, &r);
}

static int cmd_up(Cli *c, int argc, char **argv) { return move_frame(c, argc, argv, 1); }
static int cmd_down(Cli *c, int argc, char **argv) { return move_frame(c, argc, argv, -1); }

static int cmd_thread(Cli *c, int argc, char **argv)
{
    if (argc > 2) { err(c, "usage: thread [N]"); return -1; }
    EngResult r;
    if (argc == 1) {
        eng_select_frame(c->eng, 0, 1, &r);
        if (r.status == 0) out(c, "Current thread is %d\n", r.id);
        return show_selected(c, &r);
    }
    int id;
    if (parse_count(c, argv[1], &id) != 0) return -1;
    eng_select_thread(c->eng, id, &r);
    if (r.status == 0) out(c, "Switched to thread %d\n", r.id);
    return show_selected(c, &r);
}

static int freeze_cmd(Cli *c, int argc, char **argv, int freeze)
{
    if (argc < 2) { err(c, "usage: %s THREAD...", argv[0]); return -1; }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        int id;
        EngResult r;
        if (parse_count(c, argv[i], &id) != 0) { rc = -1; continue; }
        eng_freeze_thread(c->eng, id, freeze, &r);
        if (r.status == 0) out(c, "Thread %d %s\n", id, freeze ? "frozen" : "thawed");
        if (result(c, &r) != 0) rc = -1;
    }
    return rc;
}

static int cmd_freeze(Cli *c, int argc, char **argv) { return freeze_cmd(c, argc, argv, 1); }
static int cmd_thaw(Cli *c, int argc, char **argv) { return freeze_cmd(c, argc, argv, 0); }

/* ---------------------------------------------------------------- values */

/* Code injection (inject, print's fallback): the value as print shows it, or the compiler's
 * diagnostics. refusal: the plain evaluator's message, said too when the helper cannot
 * be had (then the text was most likely a mistake, not C# it does not know). */
static int inject(Cli *c, int kind, const char *text, int flags, const char *refusal)
{
    if (eng_state(c->eng) != ENG_STOPPED) {
        err(c, "%s", eng_state(c->eng) == ENG_NONE ? "the program is not being run" : "the program is running: stop it first");
        return -1;
    }
    if (!cli_enc(c)) { err(c, "out of memory"); return -1; }
    EngResult r;
    pthread_mutex_lock(c->enc_mu);
    enc_inject_ex(c->enc, c->eng, 0, -1, kind, text, flags, c->print_elements, &r);
    pthread_mutex_unlock(c->enc_mu);
    if (r.status == 0) {
        if (r.text) out(c, "%s\n", r.text);
        eng_result_free(&r);
        if (!c->injected && !c->embedded) {   /* (DAP says it in an output event) */
            c->injected = 1;
            note(c, "code injection added a method to the program by Edit and Continue: the runtime will not let "
                    "cordbg detach from it now");
        }
        return 0;
    }
    if (r.text && *r.text) err(c, "%s", r.text);          /* the compiler's diagnostics */
    else if (refusal) err(c, "%s (and code injection could not run it: %s)", refusal, r.err);
    else err(c, "%s", r.err);
    eng_result_free(&r);
    return -1;
}

/* "/x" after print or display: hex. Returns the flags; *expr gets the expression text. */
static int format_flags(Cli *c, const char *cmd, const char **expr)
{
    const char *slash = strchr(cmd, '/');
    const char *e = c->rest ? c->rest : "";
    *expr = e;
    if (!slash) return 0;
    if (!strcmp(slash, "/x")) return ENG_EVAL_HEX;
    if (!strcmp(slash, "/d")) return 0;
    return -1;
}

static int cmd_print(Cli *c, int argc, char **argv)
{
    const char *expr;
    int flags = format_flags(c, argv[0], &expr);
    if (flags < 0) { err(c, "unknown format in '%s' (print/x for hex, print/d for decimal)", argv[0]); return -1; }
    if (!*expr) { err(c, "usage: print[/x] EXPRESSION"); return -1; }
    EngResult r;
    eng_evaluate_n(c->eng, expr, flags | ENG_EVAL_EXPAND, c->print_elements, &r);
    if (r.status != 0 && eng_state(c->eng) == ENG_STOPPED && enc_refused_syntax(expr)) {
        /* Syntax cordbg's evaluator does not know (a lambda, a query, a switch expression,
         * statements): the C# compiler's, by injection. */
        char refusal[sizeof r.err];
        snprintf(refusal, sizeof refusal, "%s", r.err);
        eng_result_free(&r);
        return inject(c, enc_looks_like_statements(expr) ? ENC_INJECT_STATEMENTS : ENC_INJECT_EXPRESSION, expr, flags,
                      refusal);
    }
    if (r.status == 0) out(c, "%s\n", r.text);
    return result(c, &r);
}

static int cmd_inject(Cli *c, int argc, char **argv)
{
    const char *text = c->rest ? c->rest : "";
    if (!*text) { err(c, "usage: inject STATEMENTS (C#, as in the selected frame's method: inject total = seen.Sum();)"); return -1; }
    return inject(c, ENC_INJECT_STATEMENTS, text, 0, NULL);
}

/* gdb's `shell CMD` (and `!CMD`): CMD runs with /bin/sh; its exit status is said when not 0.
 * At a terminal or in a batch run the command shares cordbg's stdin, stdout and stderr (so
 * an editor works); embedded in DAP, stdout is the protocol, so its output is collected
 * and passed on as this command's, with stdin /dev/null. The child gets an empty signal
 * mask and default handlers: cordbg blocks SIGINT and friends in all its threads. */
static int run_shell(Cli *c, const char *cmd)
{
    while (isspace((unsigned char)*cmd)) cmd++;
    if (!*cmd) { err(c, "usage: shell COMMAND"); return -1; }
    posix_spawn_file_actions_t fa;
    posix_spawnattr_t attr;
    posix_spawn_file_actions_init(&fa);
    posix_spawnattr_init(&attr);
    sigset_t none, deflt;
    sigemptyset(&none);
    sigemptyset(&deflt);
    sigaddset(&deflt, SIGINT);
    sigaddset(&deflt, SIGTERM);
    sigaddset(&deflt, SIGHUP);
    sigaddset(&deflt, SIGPIPE);
    sigaddset(&deflt, SIGCHLD);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &deflt);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    int pipefd[2] = { -1, -1 };
    if (c->embedded) {
        if (pipe2(pipefd, O_CLOEXEC) != 0) {
            err(c, "shell: cannot make a pipe: %s", strerror(errno));
            posix_spawn_file_actions_destroy(&fa);
            posix_spawnattr_destroy(&attr);
            return -1;
        }
        posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
        posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
    }
    pthread_mutex_lock(&c->out_mu);
    fflush(c->outf);
    fflush(c->errf);
    pthread_mutex_unlock(&c->out_mu);
    extern char **environ;
    char *argv[] = { "sh", "-c", (char *)cmd, NULL };
    pid_t pid;
    int rc = posix_spawn(&pid, "/bin/sh", &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (pipefd[1] >= 0) close(pipefd[1]);
    if (rc != 0) {
        if (pipefd[0] >= 0) close(pipefd[0]);
        err(c, "shell: cannot run /bin/sh: %s", strerror(rc));
        return -1;
    }
    if (pipefd[0] >= 0) {
        char buf[4096];
        ssize_t n;
        while ((n = read(pipefd[0], buf, sizeof buf)) != 0) {
            if (n < 0) { if (errno == EINTR) continue; break; }
            out(c, "%.*s", (int)n, buf);
        }
        close(pipefd[0]);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) { err(c, "shell: waitpid: %s", strerror(errno)); return -1; }
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return 0;
    if (WIFEXITED(status)) err(c, "shell command exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status)) err(c, "shell command killed by signal %d (%s)", WTERMSIG(status), strsignal(WTERMSIG(status)));
    return -1;
}

static int cmd_shell(Cli *c, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    return run_shell(c, c->rest ? c->rest : "");
}

static int cmd_echo(Cli *c, int argc, char **argv)
{
    out(c, "%s\n", c->rest ? c->rest : "");
    return 0;
}

/* gdb's `maintenance time on|off`: after each command, the CPU time of the whole of
 * cordbg (every thread) and the wall time it took. */
static int cmd_maintenance(Cli *c, int argc, char **argv)
{
    if (argc == 3 && !strcmp(argv[1], "time") && (!strcmp(argv[2], "on") || !strcmp(argv[2], "1"))) c->timing = 1;
    else if (argc == 3 && !strcmp(argv[1], "time") && (!strcmp(argv[2], "off") || !strcmp(argv[2], "0"))) c->timing = 0;
    else if (argc == 2 && !strcmp(argv[1], "rss")) {
        struct rusage ru;
        getrusage(RUSAGE_SELF, &ru);
        out(c, "Peak RSS: %ld KiB\n", ru.ru_maxrss);
    } else if (argc == 2 && !strcmp(argv[1], "memcache")) {
        McStats m;
        mc_stats(&m);
        out(c, "memcache: %s%s, %u pages held, %llu hits, %llu page reads, %llu direct reads, "
            "%llu drops, %llu written ranges dropped, %llu stale, %llu changed by the program\n",
            m.off ? "off" : m.enabled ? "serving" : "idle",
            m.verify ? " (verify)" : "", m.valid_pages, (unsigned long long)m.hits,
            (unsigned long long)m.fills, (unsigned long long)m.direct, (unsigned long long)m.drops,
            (unsigned long long)m.range_drops,
            (unsigned long long)m.stale, (unsigned long long)m.concurrent);
    } else if (argc == 4 && !strcmp(argv[1], "memcache") && !strcmp(argv[2], "skip-drops") &&
               (!strcmp(argv[3], "on") || !strcmp(argv[3], "off"))) {
        mc_fault_skip_drops(argv[3][1] == 'n');
        out(c, "memcache: drops %s (a fault, for testing the verification)\n", argv[3][1] == 'n' ? "skipped" : "back");
    } else if (argc >= 4 && !strcmp(argv[1], "call-injected")) {
        /* The engine half of code injection alone, for tests: call method TOKEN of MODULE as
         * an injected method is called (the frame's variables NAME... by reference). */
        char *end;
        unsigned long tok = strtoul(argv[3], &end, 0);
        int is_static = argc >= 5 && !strcmp(argv[4], "static");
        if (*end || argc < 5 || (!is_static && strcmp(argv[4], "this") != 0)) {
            err(c, "usage: %s call-injected MODULE TOKEN static|this [NAME...]", argv[0]);
            return -1;
        }
        EngResult r;
        eng_call_injected(c->eng, 0, -1, argv[2], (uint32_t)tok, is_static, (const char *const *)argv + 5, argc - 5, &r);
        if (r.status == 0) out(c, "%s\n", r.text ? r.text : "(no value)");
        return result(c, &r);
    } else {
        err(c, "usage: %s time on|off | %s rss | %s memcache [skip-drops on|off] | %s call-injected MODULE TOKEN static|this [NAME...]",
            argv[0], argv[0], argv[0], argv[0]);
        return -1;
    }
    return 0;
}

static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static double wall_seconds(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmd_ptype(Cli *c, int argc, char **argv)
{
    if (!c->rest || !*c->rest) { err(c, "usage: %s EXPRESSION", argv[0]); return -1; }
    EngResult r;
    eng_evaluate(c->eng, c->rest, ENG_EVAL_TYPE, &r);
    if (r.status == 0) out(c, "type = %s\n", r.text);
    return result(c, &r);
}

static void show_display(Cli *c, const struct Display *d)
{
    EngResult r;
    eng_evaluate(c->eng, d->expr, d->hex ? ENG_EVAL_HEX : 0, &r);
    if (r.status == 0) out(c, "%d: %s = %s\n", d->id, d->expr, r.text);
    else out(c, "%d: %s = <error: %s>\n", d->id, d->expr, r.err);
    eng_result_free(&r);
}

static void show_displays(Cli *c)
{
    for (size_t i = 0; i < c->ndisplays; i++) show_display(c, &c->displays[i]);
}

static int cmd_display(Cli *c, int argc, char **argv)
{
    const char *expr;
    int flags = format_flags(c, argv[0], &expr);
    if (flags < 0) { err(c, "unknown format in '%s' (display/x for hex)", argv[0]); return -1; }
    if (!*expr) {
        if (eng_state(c->eng) == ENG_STOPPED) show_displays(c);
        else if (!c->ndisplays) out(c, "No display expressions.\n");
        return 0;
    }
    struct Display *p = realloc(c->displays, (c->ndisplays + 1) * sizeof *p);
    char *copy = strdup(expr);
    if (!p || !copy) { free(copy); if (p) c->displays = p; err(c, "out of memory"); return -1; }
    c->displays = p;
    struct Display *d = &c->displays[c->ndisplays++];
    *d = (struct Display){ .id = ++c->next_display, .hex = flags & ENG_EVAL_HEX, .expr = copy };
    if (eng_state(c->eng) == ENG_STOPPED) show_display(c, d);
    return 0;
}

static int cmd_undisplay(Cli *c, int argc, char **argv)
{
    if (argc < 2) {
        for (size_t i = 0; i < c->ndisplays; i++) free(c->displays[i].expr);
        c->ndisplays = 0;
        return 0;
    }
    for (int a = 1; a < argc; a++) {
        int id = atoi(argv[a]);
        size_t i = 0;
        while (i < c->ndisplays && c->displays[i].id != id) i++;
        if (i == c->ndisplays) { err(c, "no display number %s", argv[a]); return -1; }
        free(c->displays[i].expr);
        memmove(&c->displays[i], &c->displays[i + 1], (c->ndisplays - i - 1) * sizeof *c->displays);
        c->ndisplays--;
    }
    return 0;
}

/* set var[iable] EXPR: an assignment, evaluated for its effect. */
static int set_variable(Cli *c, const char *rest)
{
    while (*rest && !isspace((unsigned char)*rest)) rest++;      /* the word var/variable */
    while (isspace((unsigned char)*rest)) rest++;
    if (!*rest) { err(c, "usage: set var NAME = EXPRESSION"); return -1; }
    EngResult r;
    eng_evaluate(c->eng, rest, 0, &r);
    return result(c, &r);
}

static int cmd_info_statics(Cli *c)
{
    const char *rest = c->rest ? c->rest : "";
    while (*rest && !isspace((unsigned char)*rest)) rest++;      /* the word statics */
    while (isspace((unsigned char)*rest)) rest++;
    if (!*rest) { err(c, "usage: info statics TYPE"); return -1; }
    EngResult r;
    eng_statics(c->eng, rest, &r);
    if (r.status == 0) {
        if (!r.nvars) out(c, "No static fields or properties.\n");
        for (size_t i = 0; i < r.nvars; i++) out(c, "%s = %s\n", r.vars[i].name, r.vars[i].value);
    }
    return result(c, &r);
}

static int cmd_info_display(Cli *c)
{
    if (!c->ndisplays) { out(c, "No display expressions.\n"); return 0; }
    for (size_t i = 0; i < c->ndisplays; i++) out(c, "%d: %s%s\n", c->displays[i].id, c->displays[i].hex ? "/x " : "", c->displays[i].expr);
    return 0;
}

static int cmd_info_vars(Cli *c, int kind)
{
    EngResult r;
    eng_frame_vars(c->eng, kind, &r);
    if (r.status == 0) {
        if (!r.nvars) out(c, "%s\n", kind == 'a' ? "No arguments." : "No locals.");
        for (size_t i = 0; i < r.nvars; i++) out(c, "%s = %s\n", r.vars[i].name, r.vars[i].value);
    }
    return result(c, &r);
}

/* gdb's info program: what is being debugged and its state. */
static int cmd_info_program(Cli *c)
{
    EngState st = eng_state(c->eng);
    if (st == ENG_NONE) { out(c, "The program being debugged is not being run.\n"); return 0; }
    if (eng_is_core(c->eng)) {
        out(c, "Core dump %s: %s\n", c->core_path ? c->core_path : "(opened by the editor)", c->core_msg ? c->core_msg : "");
        out(c, "Nothing runs: the state can be read, not changed (no continue, step, breakpoints or function calls).\n");
        return 0;
    }
    out(c, "Process %d, %s by cordbg, is %s.\n", eng_pid(c->eng), eng_launched(c->eng) ? "started" : "attached",
        st == ENG_STOPPED ? "stopped" : st == ENG_RUNNING ? "running" : "being attached");
    return 0;
}

static int cmd_info(Cli *c, int argc, char **argv)
{
    if (argc < 2) { err(c, "usage: info threads|modules|breakpoints|args|locals|statics TYPE|display|program"); return -1; }
    size_t n = strlen(argv[1]);
    if (n && strncmp(argv[1], "threads", n) == 0) return cmd_info_threads(c);
    if (n && strncmp(argv[1], "modules", n) == 0) return cmd_info_modules(c);
    if (strcmp(argv[1], "sharedlibrary") == 0 || strcmp(argv[1], "shared") == 0) return cmd_info_shared(c);
    if (n >= 2 && strncmp(argv[1], "registers", n) == 0) return cmd_info_registers(c, argc - 2, argv + 2);
    if (strcmp(argv[1], "all-registers") == 0) { char *all[] = { "all", NULL }; return cmd_info_registers(c, 1, all); }
    if (n >= 2 && strncmp(argv[1], "signals", n) == 0) return cmd_info_signals(c);
    if (n && (strncmp(argv[1], "breakpoints", n) == 0 || strcmp(argv[1], "b") == 0)) return cmd_info_breakpoints(c, 0);
    if (n && strncmp(argv[1], "watchpoints", n) == 0) return cmd_info_breakpoints(c, 1);
    if (n && strncmp(argv[1], "args", n) == 0) return cmd_info_vars(c, 'a');
    if (n && strncmp(argv[1], "locals", n) == 0) return cmd_info_vars(c, 'l');
    if (n >= 2 && strncmp(argv[1], "statics", n) == 0) return cmd_info_statics(c);
    if (n && strncmp(argv[1], "display", n) == 0) return cmd_info_display(c);
    if (n >= 3 && strncmp(argv[1], "program", n) == 0) return cmd_info_program(c);
    err(c, "unknown info subcommand '%s' (try: info threads, modules, breakpoints, args, locals, statics, display, program)", argv[1]);
    return -1;
}

/* Hot reload's reports come on its thread: printed under the output lock like notices. */
static void hot_reload_report(void *ctx, int is_error, const char *text)
{
    Cli *c = ctx;
    if (is_error) err(c, "%s", text);
    else out(c, "%s\n", text);
}

static int set_hot_reload(Cli *c, int on)
{
    if (!on) {
        hr_stop(c->hr);
        c->hr = NULL;
        return 0;
    }
    if (c->hr) return 0;
    if (!cli_enc(c)) { err(c, "out of memory"); return -1; }
    char why[300];
    if (!(c->hr = hr_start(c->enc, c->enc_mu, c->eng, hot_reload_report, c, why, sizeof why))) {
        err(c, "%s", why);
        return -1;
    }
    out(c, "Hot reload on: each saved change of the program's sources is applied\n");
    return 0;
}

static int cmd_set(Cli *c, int argc, char **argv)
{
    if (argc == 4 && strcmp(argv[1], "print") == 0 && strcmp(argv[2], "elements") == 0) {
        char *end;
        long n = strtol(argv[3], &end, 10);
        if (*end || n < 1 || n > 1000000) { err(c, "usage: set print elements N (1..1000000)"); return -1; }
        c->print_elements = (int)n;
        return 0;
    }
    if (argc >= 2 && argc >= 3 && (strcmp(argv[1], "var") == 0 || strcmp(argv[1], "variable") == 0) && argv[2][0] == '$') {
        /* set var $rax = 5: a native register */
        const char *eq = strchr(c->rest, '=');
        char name[32];
        if (!eq || sscanf(argv[2] + 1, "%31[a-z0-9_]", name) != 1) { err(c, "usage: set var $REG = VALUE"); return -1; }
        char *end;
        errno = 0;
        unsigned long long v = strtoull(eq + 1, &end, 0);
        while (isspace((unsigned char)*end)) end++;
        if (errno || *end) { err(c, "set var $%s: want a number", name); return -1; }
        EngResult r;
        eng_set_register(c->eng, name, v, &r);
        return result(c, &r);
    }
    if (argc >= 2 && (strcmp(argv[1], "var") == 0 || strcmp(argv[1], "variable") == 0))
        return set_variable(c, c->rest ? c->rest : "");
    if (argc == 3 && (strcmp(argv[1], "mixed") == 0 || strcmp(argv[1], "native") == 0)) {
        int on = strcmp(argv[2], "on") == 0 ? 1 : strcmp(argv[2], "off") == 0 ? 0 : -1;
        if (on < 0) { err(c, "usage: set %s on|off", argv[1]); return -1; }
        EngResult r;
        eng_set_mode(c->eng, !on ? ENG_MODE_MANAGED : argv[1][0] == 'm' ? ENG_MODE_MIXED : ENG_MODE_NATIVE, &r);
        return result(c, &r);
    }
    if (argc == 3 && (strcmp(argv[1], "eval") == 0 || strcmp(argv[1], "eval-timeout") == 0 ||
                      strcmp(argv[1], "eval-breakpoints") == 0)) {
        int implicit = -1, timeout = -1, abort_on_bp = -1;
        if (argv[1][4] == 0) {
            implicit = strcmp(argv[2], "on") == 0 ? 1 : strcmp(argv[2], "off") == 0 ? 0 : -2;
            if (implicit == -2) { err(c, "usage: set eval on|off"); return -1; }
        } else if (argv[1][5] == 't') {
            char *end;
            long ms = strtol(argv[2], &end, 10);
            if (*end || ms < 1 || ms > 3600000) { err(c, "usage: set eval-timeout MILLISECONDS (1..3600000)"); return -1; }
            timeout = (int)ms;
        } else {
            abort_on_bp = strcmp(argv[2], "abort") == 0 ? 1 : strcmp(argv[2], "ignore") == 0 ? 0 : -2;
            if (abort_on_bp == -2) { err(c, "usage: set eval-breakpoints ignore|abort"); return -1; }
        }
        EngResult r;
        eng_set_eval(c->eng, implicit, timeout, abort_on_bp, &r);
        return result(c, &r);
    }
    if (argc == 3 && strcmp(argv[1], "events") == 0) {
        int on = strcmp(argv[2], "on") == 0 ? 1 : strcmp(argv[2], "off") == 0 ? 0 : -1;
        if (on < 0) { err(c, "usage: set events on|off"); return -1; }
        EngResult r;
        eng_set_verbose_events(c->eng, on, &r);
        return result(c, &r);
    }
    if (argc == 3 && (strcmp(argv[1], "just-my-code") == 0 || strcmp(argv[1], "stop-at-entry") == 0 ||
                      strcmp(argv[1], "step-filtering") == 0 || strcmp(argv[1], "require-exact-source") == 0 ||
                      strcmp(argv[1], "jit-optimizations") == 0 || strcmp(argv[1], "edit-and-continue") == 0)) {
        int on = strcmp(argv[2], "on") == 0 ? 1 : strcmp(argv[2], "off") == 0 ? 0 : -1;
        if (on < 0) { err(c, "usage: set %s on|off", argv[1]); return -1; }
        EngResult r;
        if (strcmp(argv[1], "just-my-code") == 0) eng_set_just_my_code(c->eng, on, &r);
        else if (strcmp(argv[1], "step-filtering") == 0) eng_set_step_filtering(c->eng, on, &r);
        else if (strcmp(argv[1], "require-exact-source") == 0) eng_set_require_exact_source(c->eng, on, &r);
        else if (strcmp(argv[1], "jit-optimizations") == 0) eng_set_suppress_jit_optimizations(c->eng, !on, &r);
        else if (strcmp(argv[1], "edit-and-continue") == 0) eng_set_edit_and_continue(c->eng, on, &r);
        else eng_set_stop_at_entry(c->eng, on, &r);
        return result(c, &r);
    }
    if (argc == 3 && strcmp(argv[1], "symbol-path") == 0) {
        /* DIR[:DIR...]: where PDBs not beside their assemblies are looked for */
        char *copy = strdup(argv[2]);
        const char *dirs[16];
        size_t n = 0;
        for (char *save = NULL, *p = copy ? strtok_r(copy, ":", &save) : NULL; p && n < 16; p = strtok_r(NULL, ":", &save))
            dirs[n++] = p;
        eng_set_symbol_paths(dirs, n);
        free(copy);
        return 0;
    }
    if ((argc == 2 || argc == 3) && strcmp(argv[1], "debug-file-directory") == 0) {
        /* gdb's: where separate debug files of native libraries are (none: /usr/lib/debug) */
        char now[4096];
        if (eng_set_debug_file_directory(argc == 3 ? argv[2] : "", now, sizeof now) != 0) {
            err(c, "out of memory");
            return -1;
        }
        out(c, "Debug files of native libraries are looked for under %s\n", now);
        return 0;
    }
    if (argc == 3 && strcmp(argv[1], "hot-reload") == 0) {
        int on = strcmp(argv[2], "on") == 0 ? 1 : strcmp(argv[2], "off") == 0 ? 0 : -1;
        if (on < 0) { err(c, "usage: set hot-reload on|off"); return -1; }
        return set_hot_reload(c, on);
    }
    if (argc == 4 && strcmp(argv[1], "substitute-path") == 0) {
        /* gdb's: the PDBs name sources under FROM, which are under TO here */
        EngResult r;
        eng_source_map(c->eng, argv[2], argv[3], &r);
        return result(c, &r);
    }
    err(c, "unknown setting (try: set var NAME = EXPR, set events|just-my-code|step-filtering|stop-at-entry|eval|hot-reload on|off, "
           "set eval-timeout MS, set eval-breakpoints ignore|abort, set substitute-path FROM TO, set symbol-path DIR[:DIR...], set debug-file-directory DIR[:DIR...])");
    return -1;
}

/* gdb's `directory`: the rest of the line is the directories (one or more, ':' or blanks
 * between them). */
static int cmd_directory(Cli *c, int argc, char **argv)
{
    StrBuf dirs = { 0 };
    for (int i = 1; i < argc; i++) sb_printf(&dirs, "%s%s", i > 1 ? ":" : "", argv[i]);
    EngResult r;
    eng_source_dirs(c->eng, argc > 1 ? (dirs.data ? dirs.data : "") : NULL, &r);
    sb_free(&dirs);
    if (r.status == 0) out(c, "%s\n", r.message);
    return result(c, &r);
}

static int parse_id(Cli *c, const char *text, int *id)
{
    char *end;
    long v = strtol(text, &end, 10);
    if (*end || v <= 0 || v > 1000000) { err(c, "'%s' is not a breakpoint number", text); return -1; }
    *id = (int)v;
    return 0;
}

/* The breakpoint just made (id) got its condition or log message (r): if that failed, it
 * goes again, since a breakpoint that stops every time is not what was asked for. */
static int kept_if_set(Cli *c, int id, EngResult *r)
{
    if (r->status == 0) {
        eng_result_free(r);
        return 0;
    }
    EngResult d;
    eng_delete_breakpoint(c->eng, id, &d);
    eng_result_free(&d);
    err(c, "%s; breakpoint %d deleted", r->err, id);
    eng_result_free(r);
    return -1;
}

/* break LOCATION [if CONDITION]: the condition is the raw text after " if ". */
static int do_break(Cli *c, int argc, char **argv, int temporary)
{
    if (argc < 2) { err(c, "usage: %s LOCATION [if CONDITION] (FILE:LINE, [Namespace.]Type.Method, MODULE!...)", argv[0]); return -1; }
    char loc[1024];
    const char *cond = NULL;
    int words = argc;
    for (int i = 2; i < argc; i++) if (!strcmp(argv[i], "if")) { words = i; break; }
    join_words(words, argv, 1, loc, sizeof loc);
    if (words < argc) {
        const char *p = c->rest ? strstr(c->rest, " if ") : NULL;
        cond = p ? p + 4 : "";
        while (isspace((unsigned char)*cond)) cond++;
        if (!*cond) { err(c, "no condition after 'if'"); return -1; }
    }
    EngResult r;
    eng_break(c->eng, loc, temporary, &r);
    if (r.status != 0) return result(c, &r);
    out(c, "%s\n", r.message);
    int id = r.id;
    eng_result_free(&r);
    if (!cond) return 0;
    eng_bp_condition(c->eng, id, cond, &r);
    return kept_if_set(c, id, &r);
}

static int cmd_condition(Cli *c, int argc, char **argv)
{
    int id;
    if (argc < 2) { err(c, "usage: condition N [EXPRESSION]"); return -1; }
    if (parse_id(c, argv[1], &id) != 0) return -1;
    const char *p = c->rest ? c->rest : "";
    while (*p && !isspace((unsigned char)*p)) p++;
    while (isspace((unsigned char)*p)) p++;
    EngResult r;
    eng_bp_condition(c->eng, id, p, &r);
    if (r.status == 0) out(c, "%s\n", r.message);
    return result(c, &r);
}

static int cmd_ignore(Cli *c, int argc, char **argv)
{
    int id;
    char *end;
    if (argc != 3) { err(c, "usage: ignore N COUNT"); return -1; }
    if (parse_id(c, argv[1], &id) != 0) return -1;
    long n = strtol(argv[2], &end, 10);
    if (*end || n < 0 || n > 1000000000) { err(c, "'%s' is not a count", argv[2]); return -1; }
    EngResult r;
    eng_bp_ignore(c->eng, id, (unsigned)n, &r);
    if (r.status == 0) out(c, "%s\n", r.message);
    return result(c, &r);
}

/* hitcount N [== | >= | %] COUNT; hitcount N alone removes the condition. */
static int cmd_hitcount(Cli *c, int argc, char **argv)
{
    int id, op = 0;
    long n = 0;
    if (argc < 2 || argc > 4) { err(c, "usage: hitcount N [==|>=|%%] COUNT"); return -1; }
    if (parse_id(c, argv[1], &id) != 0) return -1;
    if (argc > 2) {
        const char *opw = argc == 4 ? argv[2] : "==";
        const char *num = argv[argc - 1];
        op = !strcmp(opw, "==") || !strcmp(opw, "=") ? '=' : !strcmp(opw, ">=") ? '>' : !strcmp(opw, "%") ? '%' : 0;
        char *end;
        n = strtol(num, &end, 10);
        if (!op || *end || n < 0 || n > 1000000000) { err(c, "usage: hitcount N [==|>=|%%] COUNT"); return -1; }
    }
    EngResult r;
    eng_bp_hit_condition(c->eng, id, op, (unsigned)n, &r);
    if (r.status == 0) out(c, "%s\n", r.message);
    return result(c, &r);
}

/* logpoint LOCATION "message with {expressions}" (also: tracepoint). */
static int cmd_logpoint(Cli *c, int argc, char **argv)
{
    if (argc < 3) { err(c, "usage: %s LOCATION \"MESSAGE {EXPR}...\"", argv[0]); return -1; }
    const char *p = c->rest ? c->rest : "";
    while (*p && !isspace((unsigned char)*p)) p++;                /* the location */
    while (isspace((unsigned char)*p)) p++;
    char *msg = strdup(p);
    if (!msg) return -1;
    size_t len = strlen(msg);
    while (len && isspace((unsigned char)msg[len - 1])) msg[--len] = 0;
    if (len >= 2 && msg[0] == '"' && msg[len - 1] == '"') { msg[len - 1] = 0; memmove(msg, msg + 1, len - 1); }
    EngResult r;
    eng_break(c->eng, argv[1], 0, &r);
    if (r.status != 0) { free(msg); return result(c, &r); }
    int id = r.id;
    char placed[512];
    snprintf(placed, sizeof placed, "%s", r.message);
    eng_result_free(&r);
    eng_bp_log_message(c->eng, id, msg, &r);
    free(msg);
    if (kept_if_set(c, id, &r) != 0) return -1;
    out(c, "Log point: %s\n", placed);
    return 0;
}

static int cmd_break(Cli *c, int argc, char **argv) { return do_break(c, argc, argv, 0); }

/* watch / rwatch / awatch EXPR: the whole rest of the line is the expression. */
static int do_watch(Cli *c, int argc, char **argv, int kind)
{
    const char *expr = c->rest ? c->rest : "";
    if (argc < 2 || !*expr) { err(c, "usage: %s [-l|-location] EXPRESSION", argv[0]); return -1; }
    EngResult r;
    eng_watch(c->eng, expr, kind, 0, &r);
    if (r.status == 0) out(c, "%s\n", r.message);
    return result(c, &r);
}

static int cmd_watch(Cli *c, int argc, char **argv) { return do_watch(c, argc, argv, 'w'); }
static int cmd_rwatch(Cli *c, int argc, char **argv) { return do_watch(c, argc, argv, 'r'); }
static int cmd_awatch(Cli *c, int argc, char **argv) { return do_watch(c, argc, argv, 'a'); }
static int cmd_tbreak(Cli *c, int argc, char **argv) { return do_break(c, argc, argv, 1); }

static int cmd_delete(Cli *c, int argc, char **argv)
{
    int from = argc > 1 && strncmp(argv[1], "breakpoints", strlen(argv[1])) == 0 ? 2 : 1;
    EngResult r;
    if (argc <= from) {
        eng_delete_breakpoint(c->eng, 0, &r);
        return result(c, &r);
    }
    int rc = 0;
    for (int i = from; i < argc; i++) {
        int id;
        if (parse_id(c, argv[i], &id) != 0) { rc = -1; continue; }
        eng_delete_breakpoint(c->eng, id, &r);
        if (result(c, &r) != 0) rc = -1;
    }
    return rc;
}

static int enable_cmd(Cli *c, int argc, char **argv, int on)
{
    if (argc < 2) { err(c, "usage: %s N...", argv[0]); return -1; }
    int rc = 0;
    for (int i = 1; i < argc; i++) {
        int id;
        EngResult r;
        if (parse_id(c, argv[i], &id) != 0) { rc = -1; continue; }
        eng_enable_breakpoint(c->eng, id, on, &r);
        if (result(c, &r) != 0) rc = -1;
    }
    return rc;
}

static int cmd_enable(Cli *c, int argc, char **argv) { return enable_cmd(c, argc, argv, 1); }
static int cmd_disable(Cli *c, int argc, char **argv) { return enable_cmd(c, argc, argv, 0); }

static int cmd_info_breakpoints(Cli *c, int watch_only)
{
    EngResult r;
    eng_list_breakpoints(c->eng, &r);
    if (r.status == 0) {
        size_t shown = 0;
        for (size_t i = 0; i < r.nbps; i++) shown += !watch_only || r.bps[i].watch;
        if (!shown) out(c, watch_only ? "No watchpoints.\n" : "No breakpoints.\n");
        else out(c, "%-4s %-10s %-4s %-5s %s\n", "Num", "Type", "Enb", "Hits", "Where");
        for (size_t i = 0; i < r.nbps; i++) {
            EngBreakpointInfo *b = &r.bps[i];
            if (b->watch) {
                /* gdb's names: hw watchpoint, read watchpoint, acc watchpoint */
                out(c, "%-4d %-10s %-4s %-5u %s [%s]\n", b->id, b->watch == 'r' ? "read watchpoint" : b->watch == 'a' ? "acc watchpoint" : "hw watchpoint",
                    b->enabled ? "y" : "n", b->hits, b->where, b->note);
                continue;
            }
            if (watch_only) continue;
            char state[64];
            if (b->pending) snprintf(state, sizeof state, "pending");
            else snprintf(state, sizeof state, "bound, %d location%s", b->locations, b->locations == 1 ? "" : "s");
            out(c, "%-4d %-10s %-4s %-5u %s [%s] %s\n", b->id, b->temporary ? "tbreak" : b->log_message[0] ? "logpoint" : "breakpoint",
                b->enabled ? "y" : "n", b->hits, b->where, state, b->note);
            if (b->condition[0]) out(c, "\tstop only if %s\n", b->condition);
            if (b->hit_condition[0]) out(c, "\tstop only when hit count %s\n", b->hit_condition);
            if (b->ignore) out(c, "\tignore next %u crossings\n", b->ignore);
            if (b->log_message[0]) out(c, "\tlog \"%s\"\n", b->log_message);
        }
    }
    return result(c, &r);
}

static void print_catches(Cli *c, const EngCatchInfo *k)
{
    out(c, "throw           %s%s%s\n", k->on_throw ? "on" : "off", k->on_throw && k->throw_types[0] ? ": " : "",
        k->on_throw ? k->throw_types : "");
    out(c, "user-unhandled  %s\n", k->on_user_unhandled ? "on" : "off");
    out(c, "unhandled       %s\n", k->on_unhandled ? "on" : "off");
}

static int cmd_catch(Cli *c, int argc, char **argv)
{
    EngResult r;
    if (argc == 1) {
        eng_catch(c->eng, NULL, NULL, 0, &r);
        if (r.status == 0) print_catches(c, &r.catches);
        return result(c, &r);
    }
    int on = !(argc == 3 && strcmp(argv[2], "off") == 0);
    char types[512] = "";
    if (on) join_words(argc, argv, 2, types, sizeof types);
    if (on && argc > 2 && strcmp(argv[1], "throw") != 0) {
        err(c, "usage: catch throw [TYPE...] | catch user-unhandled|unhandled [off]");
        return -1;
    }
    eng_catch(c->eng, argv[1], types, on, &r);
    return result(c, &r);
}

static int cmd_start(Cli *c, int argc, char **argv)
{
    EngResult r;
    eng_set_stop_at_entry(c->eng, 1, &r);
    eng_result_free(&r);
    return cmd_run(c, argc, argv);
}

static int cmd_help(Cli *c, int argc, char **argv);

static const Command commands[] = {
    { "run", "r", cmd_run, "run [ARGS...]",
      "Start the program (ARGS replace the command line's arguments) and run it until it stops or exits." },
    { "start", "", cmd_start, "start [ARGS...]", "Like run, but stop at the first line of the program's entry point." },
    { "continue", "c cont", cmd_continue, "continue", "Let a stopped program run until it stops again or exits." },
    { "step", "s", cmd_step, "step", "Run to the next source line, going into calls (just my code: not into code without symbols)." },
    { "next", "n", cmd_next, "next", "Run to the next source line of this method, over calls." },
    { "finish", "", cmd_finish, "finish", "Run until the current method returns to its caller." },
    { "stepi", "si", cmd_stepi, "stepi", "Run one machine instruction (native code: a single step; jitted code: the runtime's stepper)." },
    { "nexti", "ni", cmd_nexti, "nexti", "Run one machine instruction, over calls (native and jitted code)." },
    { "x", "", cmd_x, "x/NFU ADDRESS", "Native: examine memory (F: x d u o t c a s, or i for instructions; U: b h w g). ADDRESS: $reg, number, function, with + or -." },
    { "disassemble", "disas", cmd_disassemble, "disassemble [ADDRESS]", "Native: disassemble the function around ADDRESS (default: the selected frame's pc)." },
    { "list", "l", cmd_list, "list [FILE:LINE|METHOD]",
      "Source around the current line (marked =>), a file's line or a method; list again goes on." },
    { "directory", "dir", cmd_directory, "directory [DIR[:DIR...]]",
      "Look for sources the PDBs name in DIR too (DIR/path, then DIR/ each shorter tail of the path), before the directories given earlier; alone: forget them all." },
    { "apply", "", cmd_apply, "apply [FILE...]",
      "Edit and Continue: apply every saved change of the program's sources (or of FILE...) to the running program." },
    { "jump", "j", cmd_jump, "jump LINE|+N|-N", "Set the next statement: move the innermost frame to LINE of the same method." },
    { "backtrace", "bt where", cmd_backtrace, "backtrace [all] [-full] [N]",
      "The current thread's call stack (all: every thread's; N: the first N frames); runs of code outside yours show as [external code] unless -full." },
    { "frame", "f", cmd_frame, "frame [N]", "Select frame N of the current thread, or show the selected one." },
    { "up", "", cmd_up, "up [N]", "Select the frame N (1) levels up: the caller." },
    { "down", "", cmd_down, "down [N]", "Select the frame N (1) levels down: the callee." },
    { "thread", "t", cmd_thread, "thread [N]", "Select thread N (see info threads), or show the current one." },
    { "freeze", "", cmd_freeze, "freeze THREAD...", "Keep threads suspended across continues." },
    { "thaw", "", cmd_thaw, "thaw THREAD...", "Let frozen threads run again." },
    { "break", "b", cmd_break, "break LOCATION [if CONDITION]",
      "Set a breakpoint at FILE:LINE, [Namespace.]Type.Method[(types)], or MODULE!FILE:LINE / MODULE!Method; pending until its module loads." },
    { "tbreak", "", cmd_tbreak, "tbreak LOCATION [if CONDITION]", "Set a breakpoint that is deleted when first hit." },
    { "watch", "", cmd_watch, "watch [-l] EXPRESSION",
      "Native: a hardware watchpoint that stops when the value changes: a C variable, *ADDRESS (8 bytes) or *(TYPE *)ADDRESS; 4 at most." },
    { "rwatch", "", cmd_rwatch, "rwatch [-l] EXPRESSION", "Native: a hardware watchpoint that stops when the value is read." },
    { "awatch", "", cmd_awatch, "awatch [-l] EXPRESSION", "Native: a hardware watchpoint that stops when the value is read or written." },
    { "condition", "", cmd_condition, "condition N [EXPRESSION]",
      "Stop at breakpoint N only when the C# expression is true (none: always). A condition that cannot be evaluated stops and says why." },
    { "ignore", "", cmd_ignore, "ignore N COUNT", "Let breakpoint N pass its next COUNT crossings." },
    { "hitcount", "", cmd_hitcount, "hitcount N [==|>=|%] COUNT",
      "Stop at breakpoint N only on hit COUNT (==), from it on (>=), or every COUNT hits (%). Without COUNT: remove." },
    { "logpoint", "tracepoint", cmd_logpoint, "logpoint LOCATION \"TEXT {EXPR}...\"",
      "A breakpoint that prints TEXT, with each {EXPR} evaluated, and does not stop." },
    { "print", "p inspect", cmd_print, "print[/x] EXPRESSION[, h|nq|raw|results]",
      "Evaluate a C# expression in the selected frame and show its value (objects with their members, one level; "
      "raw: without proxy or DebuggerDisplay; results: an IEnumerable's items)." },
    { "display", "", cmd_display, "display[/x] [EXPRESSION]", "Show the expression's value now and at every stop (alone: show them all)." },
    { "undisplay", "", cmd_undisplay, "undisplay [N...]", "Stop showing display expressions N (all without N)." },
    { "ptype", "whatis", cmd_ptype, "ptype EXPRESSION", "Show the type of an expression's value." },
    { "delete", "d", cmd_delete, "delete [N...]", "Delete breakpoints N (all without N)." },
    { "disable", "", cmd_disable, "disable N...", "Disable breakpoints N (they stay bound)." },
    { "enable", "", cmd_enable, "enable N...", "Enable breakpoints N." },
    { "catch", "", cmd_catch, "catch [throw [TYPE...]|user-unhandled|unhandled] [off]",
      "Stop when exceptions are thrown (optionally of these types), leave user code unhandled, or are unhandled (on by default); alone: list." },
    { "attach", "", cmd_attach, "attach PID", "Attach to a running .NET process and stop it." },
    { "core-file", "core", cmd_core_file, "core-file FILE",
      "Open core dump FILE (post-mortem; also cordbg --core FILE [PROGRAM]): stacks, threads, locals, values, memory; nothing runs." },
    { "generate-core-file", "gcore", cmd_generate_core, "generate-core-file [FILE]",
      "Write a core dump of the stopped program to FILE (default core.PID); the program goes on afterwards." },
    { "detach", "", cmd_detach, "detach", "Let the program run on without the debugger." },
    { "kill", "k", cmd_kill, "kill", "End the program." },
    { "info", "i", cmd_info, "info threads|modules|breakpoints|args|locals|statics TYPE|display|program",
      "List the program's threads, loaded modules or breakpoints, or the selected frame's arguments or locals; info program: what is debugged (a process or a core dump)." },
    { "set", "", cmd_set, "set var NAME = EXPR | set var $REG = N | set print elements N | set events|just-my-code|step-filtering|stop-at-entry|eval|edit-and-continue|hot-reload|mixed|native on|off | set eval-timeout MS | set eval-breakpoints ignore|abort | set debug-file-directory DIR[:DIR...]",
      "events: thread, app domain, assembly and class events (off by default); just-my-code: exception stops and steps only in code with symbols (on); step-filtering: step does not stop in property accessors and operators (on); stop-at-entry (off); debug-file-directory: where separate debug files of native libraries are found by build-id or .gnu_debuglink (/usr/lib/debug)." },
    { "maintenance", "mt maint", cmd_maintenance, "maintenance time on|off | maintenance rss | maintenance memcache",
      "Show each command's CPU and wall time after it; show cordbg's peak memory." },
    { "echo", "", cmd_echo, "echo TEXT", "Print TEXT (for scripts)." },
    { "inject", "", cmd_inject, "inject STATEMENTS",
      "Compile C# statements at the selected frame (its locals, parameters and this in scope), add them to the program by Edit and Continue and run them there: assignments to locals stick." },
    { "shell", "", cmd_shell, "shell COMMAND | !COMMAND",
      "Run COMMAND with /bin/sh (its output shown; a non-zero exit status is said): scripts can edit sources, then apply." },
    { "help", "h ?", cmd_help, "help [COMMAND]", "List the commands, or describe one." },
    { "quit", "q exit", cmd_quit, "quit",
      "Leave cordbg. A live program is killed (batch mode) or you are asked whether to kill or detach it." },
};

static const Command *find_command(const char *name)
{
    size_t n = strlen(name);
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
        if (strcmp(commands[i].name, name) == 0) return &commands[i];
        const char *a = commands[i].aliases;
        while (*a) {
            size_t len = strcspn(a, " ");
            if (len == n && strncmp(a, name, n) == 0) return &commands[i];
            a += len + (a[len] == ' ');
        }
    }
    return NULL;
}

static int cmd_help(Cli *c, int argc, char **argv)
{
    if (argc > 1) {
        const Command *cmd = find_command(argv[1]);
        if (!cmd) { err(c, "no command '%s' (type 'help' for the list)", argv[1]); return -1; }
        out(c, "%s\n  %s\n", cmd->usage, cmd->help);
        if (cmd->aliases[0]) out(c, "  Aliases: %s\n", cmd->aliases);
        return 0;
    }
    out(c, "Commands:\n");
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        out(c, "  %-22s %s\n", commands[i].usage, commands[i].help);
    return 0;
}

/* Split a line into words: whitespace-separated, "double" and 'single' quotes group. */
static int split_words(char *line, char **argv, int max)
{
    int argc = 0;
    char *p = line, *w = line;
    while (*p) {
        while (isspace((unsigned char)*p)) p++;
        if (!*p) break;
        if (argc == max) return -1;
        argv[argc++] = w;
        while (*p && !isspace((unsigned char)*p)) {
            if (*p == '"' || *p == '\'') {
                char q = *p++;
                while (*p && *p != q) *w++ = *p++;
                if (*p == q) p++;       /* unterminated: the quote runs to the end of the line */
            } else {
                *w++ = *p++;
            }
        }
        if (*p) p++;
        *w++ = 0;
    }
    return argc;
}

static int execute(Cli *c, const char *text)
{
    /* gdb's `!CMD`: the rest of the line, as typed, is the shell's. */
    const char *bang = text;
    while (isspace((unsigned char)*bang)) bang++;
    if (*bang == '!') {
        c->listing = 0;
        return run_shell(c, bang + 1);
    }
    char *line = strdup(text);
    /* A line has at most one word per two characters: room for them all (an expression may
     * be long: a sum of hundreds of terms). */
    int cap = (int)(strlen(text) / 2) + 2;
    char **argv = line ? malloc((size_t)cap * sizeof *argv) : NULL;
    if (!argv) { free(line); return -1; }
    int argc = split_words(line, argv, cap);
    int rc = 0;
    if (argc == -1) { err(c, "too many words in command"); rc = -1; }
    else if (argc == -2) { err(c, "unterminated quote in command"); rc = -1; }
    else if (argc > 0 && argv[0][0] != '#') {
        /* The rest of the line as typed: expressions keep their quotes and spaces. */
        const char *rest = text;
        while (isspace((unsigned char)*rest)) rest++;
        while (*rest && !isspace((unsigned char)*rest)) rest++;
        while (isspace((unsigned char)*rest)) rest++;
        c->rest = rest;
        char name[64];
        snprintf(name, sizeof name, "%s", argv[0]);
        char *slash = strchr(name, '/');
        if (slash) *slash = 0;          /* print/x: the command is print */
        const Command *cmd = find_command(name);
        if (!cmd) { err(c, "unknown command '%s' (type 'help' for the list)", argv[0]); rc = -1; }
        else {
            int was_listing = c->listing;
            c->listing = 0;
            if (cmd->fn == cmd_list) c->listing = was_listing;
            double cpu0 = c->timing ? cpu_seconds() : 0, wall0 = c->timing ? wall_seconds() : 0;
            rc = cmd->fn(c, argc, argv);
            if (c->timing && cmd->fn != cmd_maintenance)
                out(c, "Command execution time: %.6f (cpu), %.6f (wall)\n", cpu_seconds() - cpu0, wall_seconds() - wall0);
        }
    }
    free(argv);
    free(line);
    return rc;
}

/* ---------------------------------------------------------------- session */

static char *read_command(Cli *c)
{
    if (c->interactive) {
        char *line = readline("(cordbg) ");
        if (line && *line) add_history(line);
        return line;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (n < 0) { free(line); return NULL; }
    line[strcspn(line, "\r\n")] = 0;
    return line;
}

/* Signals are taken by this thread alone (all others block them), so their handling may
 * call into the engine. SIGUSR2 is cli_main's own "stop now". */
static void signal_set(sigset_t *set)
{
    sigemptyset(set);
    sigaddset(set, SIGINT);
    sigaddset(set, SIGTERM);
    sigaddset(set, SIGHUP);
    sigaddset(set, SIGUSR2);
}

/* Threads that the runtime's PAL creates inside cordbg (its synchronisation worker outlives
 * a session) unblock every signal, so SIGINT can land there and, with no handler, end
 * cordbg. A handler passes such signals on to the signal thread, which takes them with
 * sigwait. The one global: a signal handler has no other way to find that thread. */
static pthread_t signal_thread_id;

static void forward_signal(int sig)
{
    int saved = errno;
    pthread_kill(signal_thread_id, sig);
    errno = saved;
}

static void *signal_main(void *arg)
{
    Cli *c = arg;
    sigset_t set;
    signal_set(&set);
    for (;;) {
        int sig = 0;
        if (sigwait(&set, &sig) != 0) continue;
        if (sig == SIGUSR2) return NULL;
        if (sig == SIGINT && !c->opt->batch) {
            /* Ctrl-C: break into a running program; at the prompt it does nothing. */
            pthread_mutex_lock(&c->out_mu);
            int sent = c->resume_sent;
            pthread_mutex_unlock(&c->out_mu);
            if (sent || eng_state(c->eng) == ENG_RUNNING) eng_pause_async(c->eng);
            continue;
        }
        /* Ending: never leave the program held by a debugger that is gone. */
        EngResult r;
        eng_terminate(c->eng, &r);
        eng_result_free(&r);
        pthread_mutex_lock(&c->out_mu);
        fflush(stdout);
        fprintf(stderr, "cordbg: %s\n", strsignal(sig));
        _exit(128 + sig);
    }
}

int cli_main(const CliOptions *opt)
{
    Cli c = { .opt = opt, .last_stop = -1, .outf = stdout, .errf = stderr };
    pthread_mutex_init(&c.out_mu, NULL);
    pthread_mutex_init(&c.own_enc_mu, NULL);
    c.enc_mu = &c.own_enc_mu;
    c.interactive = isatty(STDIN_FILENO) && !opt->batch;
    sigset_t set, old;
    signal_set(&set);
    pthread_sigmask(SIG_BLOCK, &set, &old);   /* inherited by the engine and runtime threads */
    c.eng = eng_session_new(on_notice, &c);
    if (!c.eng) { fprintf(stderr, "error: cannot start the debugger engine\n"); return 1; }
    if (pthread_create(&c.sig_thread, NULL, signal_main, &c) != 0) {
        fprintf(stderr, "error: cannot start the signal thread\n");
        eng_session_free(c.eng);
        return 1;
    }
    signal_thread_id = c.sig_thread;
    struct sigaction fwd = { .sa_handler = forward_signal }, old_int, old_term, old_hup;
    sigemptyset(&fwd.sa_mask);
    fwd.sa_flags = SA_RESTART;
    sigaction(SIGINT, &fwd, &old_int);
    sigaction(SIGTERM, &fwd, &old_term);
    sigaction(SIGHUP, &fwd, &old_hup);
    int failed = 0;
    if (opt->mode) {
        EngResult r;
        eng_set_mode(c.eng, (EngMode)opt->mode, &r);
        eng_result_free(&r);
    }
    if (opt->verbose_events) {
        EngResult r;
        eng_set_verbose_events(c.eng, 1, &r);
        eng_result_free(&r);
    }
    if (opt->stop_at_entry) {
        EngResult r;
        eng_set_stop_at_entry(c.eng, 1, &r);
        eng_result_free(&r);
    }
    if (opt->attach_pid) {
        EngResult r;
        eng_attach(c.eng, opt->attach_pid, &r);
        if (result(&c, &r) != 0) failed = 1;
    }
    if (opt->core && open_core(&c, opt->core, opt->program) != 0) failed = 1;
    /* A session that could not attach (or open its core) has nothing to do: end it. */
    if (!failed || (!opt->attach_pid && !opt->core)) {
        for (const char *const *cmd = opt->commands; cmd && *cmd && !c.quit; cmd++)
            if (execute(&c, *cmd) != 0) failed = 1;
        if (!opt->batch && !c.quit) {
            char *line;
            while (!c.quit && (line = read_command(&c))) {
                if (execute(&c, line) != 0) failed = 1;
                free(line);
            }
        }
    }
    if (eng_state(c.eng) != ENG_NONE && !eng_is_core(c.eng)) {
        int pid = eng_pid(c.eng);
        EngResult r;
        if (eng_launched(c.eng)) {
            out(&c, "Killing process %d (%s)\n", pid, opt->batch ? "batch mode" : "end of input");
            eng_kill(c.eng, &r);
        } else {
            out(&c, "Detaching from process %d (%s)\n", pid, opt->batch ? "batch mode" : "end of input");
            eng_detach(c.eng, &r);
        }
        if (result(&c, &r) != 0) failed = 1;
    }
    pthread_kill(c.sig_thread, SIGUSR2);
    pthread_join(c.sig_thread, NULL);
    /* Nobody to forward to any more: ignore them while the engine ends. */
    struct sigaction ign = { .sa_handler = SIG_IGN };
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, NULL);
    sigaction(SIGTERM, &ign, NULL);
    sigaction(SIGHUP, &ign, NULL);
    hr_stop(c.hr);
    enc_service_free(c.enc);
    eng_session_free(c.eng);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGTERM, &old_term, NULL);
    sigaction(SIGHUP, &old_hup, NULL);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    for (char **a = c.run_args; a && *a; a++) free(*a);
    free(c.run_args);
    for (size_t i = 0; i < c.ndisplays; i++) free(c.displays[i].expr);
    free(c.displays);
    free(c.core_path);
    free(c.core_msg);
    pthread_mutex_destroy(&c.own_enc_mu);
    pthread_mutex_destroy(&c.out_mu);
    return failed ? 1 : 0;
}

/* ---------------------------------------------------------------- embedded */

Cli *cli_embedded_new(EngSession *eng, const CliOptions *opt)
{
    Cli *c = calloc(1, sizeof *c);
    if (!c) return NULL;
    c->eng = eng;
    c->opt = opt;
    c->last_stop = -1;
    c->embedded = 1;
    c->outf = stdout;
    c->errf = stderr;
    pthread_mutex_init(&c->out_mu, NULL);
    pthread_mutex_init(&c->own_enc_mu, NULL);
    c->enc_mu = &c->own_enc_mu;
    return c;
}

void cli_embedded_share_enc(Cli *c, EncService *svc, pthread_mutex_t *mu)
{
    c->enc = svc;
    c->enc_mu = mu;
    c->enc_borrowed = 1;
}

int cli_embedded_exec(Cli *c, const char *line, FILE *out)
{
    c->outf = c->errf = out;
    c->quit = 0;
    int rc = execute(c, line);
    fflush(out);
    c->outf = stdout;
    c->errf = stderr;
    return rc;
}

void cli_embedded_free(Cli *c)
{
    if (!c) return;
    for (char **a = c->run_args; a && *a; a++) free(*a);
    free(c->run_args);
    for (size_t i = 0; i < c->ndisplays; i++) free(c->displays[i].expr);
    free(c->displays);
    free(c->core_path);
    free(c->core_msg);
    hr_stop(c->hr);
    if (!c->enc_borrowed) enc_service_free(c->enc);
    pthread_mutex_destroy(&c->own_enc_mu);
    pthread_mutex_destroy(&c->out_mu);
    free(c);
}

static void print_process(void *ctx, const ClrProcessInfo *p)
{
    (void)ctx;
    printf("%-8d %-10s %s\n", p->pid, p->version, p->cmdline);
}

int cli_ps(void)
{
    printf("%-8s %-10s %s\n", "PID", "RUNTIME", "COMMAND");
    clr_list_processes(print_process, NULL);
    return 0;
}
