/* cordbg's entry point: command-line options, then the CLI session or a subcommand. */
#include "front/cli.h"
#include "front/dap.h"
#include "base/log.h"
#include "clr/runtime.h"
#include "clr/callback.h"
#include "clr/launch.h"
#include "clr/lifeline.h"
#include "meta/dump.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CORDBG_VERSION "0.1.0"

static void usage(FILE *f)
{
    fputs("usage: cordbg [OPTIONS] [--] PROGRAM [ARGS...]\n"
          "       cordbg [OPTIONS] --attach PID\n"
          "       cordbg [OPTIONS] --core FILE [PROGRAM]   open a core dump (post-mortem)\n"
          "       cordbg ps                 list the .NET processes you can debug\n"
          "       cordbg symbols FILE.dll   print an assembly's types, methods, sequence points, locals\n"
          "\n"
          "PROGRAM is an app .dll (run with dotnet) or an apphost executable.\n"
          "\n"
          "options:\n"
          "  -p, --attach PID      attach to a running .NET process\n"
          "  -c, --core FILE       open core dump FILE (kernel core, createdump, dotnet-dump,\n"
          "                        generate-core-file); PROGRAM, when given, is the app .dll or\n"
          "                        apphost the process ran (else found from the core)\n"
          "  --cwd DIR             working directory of the program\n"
          "  --env NAME=VALUE      set an environment variable for the program (repeatable)\n"
          "  -ex CMD               run CMD after start-up (repeatable, in order with -x)\n"
          "  -x FILE               run the commands in FILE\n"
          "  --batch               exit after the -ex/-x commands (a live program is killed)\n"
          "  --verbose-events      report thread, app domain, assembly and class events\n"
          "  --stop-at-entry       stop at the first line of the entry point (like `start`)\n"
          "  --mixed               debug managed and native code of the process together\n"
          "  --native              debug a native (ELF) program: C, C++, anything with DWARF\n"
          "  --interpreter=vscode  speak the Debug Adapter Protocol on stdin/stdout (also =dap);\n"
          "                        editors start cordbg this way\n"
          "  --server[=PORT]       the Debug Adapter Protocol on 127.0.0.1:PORT (default 4711),\n"
          "                        one client at a time\n"
          "  --version, --help\n", f);
}

typedef struct StrList { char **items; size_t len, cap; } StrList;

static int push(StrList *l, char *s)
{
    if (l->len + 2 > l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 16;
        char **p = realloc(l->items, ncap * sizeof *p);
        if (!p) return -1;
        l->items = p;
        l->cap = ncap;
    }
    l->items[l->len++] = s;
    l->items[l->len] = NULL;
    return 0;
}

static void free_list(StrList *l, int owned)
{
    if (owned) for (size_t i = 0; i < l->len; i++) free(l->items[i]);
    free(l->items);
}

static int read_script(const char *path, StrList *cmds)
{
    FILE *f = fopen(path, "re");
    if (!f) { fprintf(stderr, "error: cannot read command file %s: %s\n", path, strerror(errno)); return -1; }
    char *line = NULL;
    size_t cap = 0;
    while (getline(&line, &cap, f) >= 0) {
        line[strcspn(line, "\r\n")] = 0;
        if (push(cmds, strdup(line)) != 0) break;
    }
    free(line);
    fclose(f);
    return 0;
}

/* CORDBG_LOG=info: cordbg's peak memory at its end (bench/run.py reads it). */
static void report_peak_rss(void)
{
    if (!log_enabled(LOG_INFO)) return;
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    log_msg(LOG_INFO, "main", "peak RSS %ld KiB", ru.ru_maxrss);
}

int main(int argc, char **argv)
{
    log_init_from_env();
    /* A closed output must give write errors, not kill the debugger. SIGINT, SIGTERM and
     * SIGHUP are handled by the CLI's signal thread. */
    signal(SIGPIPE, SIG_IGN);
    if (argc >= 2 && strcmp(argv[1], "ps") == 0) return cli_ps();
    /* Hidden: the lifeline of an attached process (see clr/lifeline.h). */
    if (argc == 4 && strcmp(argv[1], "--lifeline") == 0)
        return clr_lifeline_main(atoi(argv[2]), strtoul(argv[3], NULL, 10));
    if (argc == 3 && strcmp(argv[1], "--terminal-host") == 0) {
        /* Run by an editor's terminal for a DAP launch with console integratedTerminal: the
         * program runs here, in the terminal, kept for cordbg (see clr_terminal_host). */
        int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        struct sockaddr_un sa = { .sun_family = AF_UNIX };
        snprintf(sa.sun_path, sizeof sa.sun_path, "%s", argv[2]);
        if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
            fprintf(stderr, "cordbg: cannot reach the debugger at %s: %s\n", argv[2], strerror(errno));
            return 1;
        }
        return clr_terminal_host(fd);
    }
    if (argc >= 2 && (strcmp(argv[1], "symbols") == 0 || strcmp(argv[1], "--dump-symbols") == 0)) {
        if (argc != 3) { fprintf(stderr, "usage: cordbg symbols FILE.dll\n"); return 1; }
        char err[512];
        if (md_dump_symbols(stdout, argv[2], err, sizeof err) != 0) {
            fflush(stdout);
            fprintf(stderr, "error: %s\n", err);
            return 1;
        }
        return 0;
    }

    /* The Debug Adapter Protocol: the flags other .NET adapters take (netcoredbg, vsdbg) are
     * accepted, so that editors' configurations for them work unchanged. */
    int dap = 0, server = -1;
    for (int k = 1; k < argc; k++) {
        const char *a = argv[k];
        const char *v = NULL;
        if (!strncmp(a, "--interpreter=", 14)) v = a + 14;
        else if (!strcmp(a, "--interpreter") && k + 1 < argc) v = argv[k + 1];
        if (v) {
            if (!strcmp(v, "vscode") || !strcmp(v, "dap")) dap = 1;
            else { fprintf(stderr, "error: unknown interpreter '%s' (vscode, dap)\n", v); return 1; }
        }
        if (!strcmp(a, "--server")) server = 4711;
        else if (!strncmp(a, "--server=", 9)) {
            char *end;
            long p = strtol(a + 9, &end, 10);
            if (*end || p < 0 || p > 65535) { fprintf(stderr, "error: '%s' is not a port\n", a + 9); return 1; }
            server = (int)p;
        }
    }
    if (dap || server >= 0) {
        for (int k = 1; k < argc; k++) {
            const char *a = argv[k];
            if (!strncmp(a, "--interpreter", 13) || !strncmp(a, "--server", 8) || !strncmp(a, "--engineLogging", 15) ||
                !strncmp(a, "--log", 5) || !strcmp(a, "--consoleLogging") || !strcmp(a, "--run") ||
                (k > 1 && !strcmp(argv[k - 1], "--interpreter")))
                continue;
            fprintf(stderr, "error: option %s is not for the Debug Adapter Protocol mode\n", a);
            return 1;
        }
        /* netcoredbg's log flags: --log[=FILE] and --engineLogging=FILE write cordbg's log
         * (debug level) to FILE ($TMPDIR/cordbg.PID.log for a bare --log); a bare
         * --engineLogging sends it to the client as console output. */
        for (int k = 1; k < argc; k++) {
            const char *a = argv[k], *file = NULL;
            char tmp[4096];
            if (!strncmp(a, "--log=", 6)) file = a + 6;
            else if (!strncmp(a, "--engineLogging=", 16)) file = a + 16;
            else if (!strcmp(a, "--engineLogging")) dap_engine_logging(1);
            else if (!strcmp(a, "--log")) {
                const char *t = getenv("TMPDIR");
                snprintf(tmp, sizeof tmp, "%s/cordbg.%d.log", t && *t ? t : "/tmp", (int)getpid());
                file = tmp;
            }
            if (!file) continue;
            /* never closed: the log may be written at any moment until the end */
            int fd = open(file, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
            if (fd < 0) { fprintf(stderr, "error: cannot open log file %s: %s\n", file, strerror(errno)); return 1; }
            log_redirect(fd, LOG_DEBUG);
        }
        int rc = server >= 0 ? dap_main_server(server) : dap_main_stdio();
        report_peak_rss();
        return rc;
    }

    CliOptions opt = { 0 };
    StrList cmds = { 0 }, env = { 0 }, args = { 0 };
    int status = 1;
    int i = 1;
    /* A core takes no program arguments: options may follow its PROGRAM, as gdb's do. */
    int core_mode = 0;
    for (int k = 1; k < argc && strcmp(argv[k], "--") != 0; k++)
        if (!strcmp(argv[k], "--core") || !strcmp(argv[k], "-c") || !strcmp(argv[k], "-core") || !strncmp(argv[k], "--core=", 7))
            core_mode = 1;
    for (; i < argc; i++) {
        const char *a = argv[i];
        int has_next = i + 1 < argc;
        if (strcmp(a, "--") == 0) { i++; break; }
        if (a[0] != '-' && core_mode) {
            if (opt.program) {
                fprintf(stderr, "error: --core takes one PROGRAM (the app .dll or apphost the process ran), not its arguments\n");
                goto done;
            }
            opt.program = a;
            continue;
        }
        if (a[0] != '-') break;
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) { usage(stdout); status = 0; goto done; }
        if (strcmp(a, "--version") == 0) { printf("cordbg %s\n", CORDBG_VERSION); status = 0; goto done; }
        if (strcmp(a, "--batch") == 0 || strcmp(a, "-batch") == 0) { opt.batch = 1; continue; }
        if (strcmp(a, "--verbose-events") == 0) { opt.verbose_events = 1; continue; }
        if (strcmp(a, "--stop-at-entry") == 0) { opt.stop_at_entry = 1; continue; }
        if (strcmp(a, "--mixed") == 0) { opt.mode = ENG_MODE_MIXED; continue; }
        if (strcmp(a, "--native") == 0) { opt.mode = ENG_MODE_NATIVE; continue; }
        if (strncmp(a, "--core=", 7) == 0) { opt.core = a + 7; continue; }
        if (!has_next) { fprintf(stderr, "error: option %s needs a value\n", a); goto done; }
        const char *v = argv[++i];
        if (strcmp(a, "-ex") == 0 || strcmp(a, "--ex") == 0 || strcmp(a, "--eval-command") == 0) {
            if (push(&cmds, strdup(v)) != 0) goto done;
        } else if (strcmp(a, "-x") == 0 || strcmp(a, "--command") == 0) {
            if (read_script(v, &cmds) != 0) goto done;
        } else if (strcmp(a, "--cwd") == 0) {
            opt.cwd = v;
        } else if (strcmp(a, "--env") == 0) {
            if (!strchr(v, '=') || v[0] == '=') { fprintf(stderr, "error: --env wants NAME=VALUE, not '%s'\n", v); goto done; }
            if (push(&env, (char *)v) != 0) goto done;
        } else if (strcmp(a, "--attach") == 0 || strcmp(a, "-p") == 0 || strcmp(a, "--pid") == 0) {
            char *end;
            long pid = strtol(v, &end, 10);
            if (*end || pid <= 0 || pid > 0x7fffffff) { fprintf(stderr, "error: '%s' is not a process id\n", v); goto done; }
            opt.attach_pid = (int)pid;
        } else if (strcmp(a, "--core") == 0 || strcmp(a, "-c") == 0 || strcmp(a, "-core") == 0) {
            opt.core = v;
        } else {
            fprintf(stderr, "error: unknown option %s (see cordbg --help)\n", a);
            goto done;
        }
    }
    if (i < argc) {
        if (!opt.program) opt.program = argv[i++];
        for (; i < argc; i++) if (push(&args, argv[i]) != 0) goto done;
    }
    if (opt.program && opt.attach_pid) {
        fprintf(stderr, "error: give either a program or --attach, not both\n");
        goto done;
    }
    if (opt.core) {
        /* A core is a process stopped for good: nothing to attach to, nothing to pass. */
        if (!*opt.core) { fprintf(stderr, "error: --core needs a file\n"); goto done; }
        if (opt.attach_pid) { fprintf(stderr, "error: give either --core or --attach, not both\n"); goto done; }
        if (args.len) {
            fprintf(stderr, "error: --core takes one PROGRAM (the app .dll or apphost the process ran), not its arguments\n");
            goto done;
        }
        if (access(opt.core, R_OK) != 0) { fprintf(stderr, "error: %s: %s\n", opt.core, strerror(errno)); goto done; }
    }
    if (opt.program) {
        /* Catch what can never run now, not at `run`: a missing file, a .dll that is not
         * a .NET assembly, a file that is neither. */
        const char *dot = strrchr(opt.program, '.');
        int is_dll = dot && strcmp(dot, ".dll") == 0;
        int rc = is_dll ? clr_file_is_assembly(opt.program) : access(opt.program, F_OK) == 0 ? 1 : -errno;
        if (rc < 0) { fprintf(stderr, "error: %s: %s\n", opt.program, strerror(-rc)); goto done; }
        if (rc == 0) { fprintf(stderr, "error: %s: not a .NET assembly (no CLI header)\n", opt.program); goto done; }
        if (!is_dll && access(opt.program, X_OK) != 0) {
            fprintf(stderr, "error: %s: not an app .dll and not executable\n", opt.program);
            goto done;
        }
    }
    opt.args = args.items;
    opt.env = env.items;
    opt.commands = (const char *const *)cmds.items;
    status = cli_main(&opt);
    long leaked = clr_live_events();
    if (leaked) fprintf(stderr, "error: internal: %ld managed debug events were never released\n", leaked);
    report_peak_rss();
done:
    free_list(&cmds, 1);
    free_list(&env, 0);
    free_list(&args, 0);
    return status;
}
