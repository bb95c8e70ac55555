/* The command-line front end: gdb-style commands over the engine's requests. Parses and
 * prints only; every debugging decision is the engine's. One Cli per cordbg process,
 * used from the main thread; the engine's notices arrive on the engine thread and are
 * printed under the Cli's output lock. */
#ifndef CORDBG_FRONT_CLI_H
#define CORDBG_FRONT_CLI_H
#include "engine/session.h"

#include <pthread.h>
#include <stdio.h>

typedef struct CliOptions {
    const char *program;        /* may be NULL */
    char *const *args;          /* program arguments, NULL-terminated */
    const char *cwd;
    char *const *env;           /* NAME=VALUE, NULL-terminated */
    int attach_pid;             /* 0: none */
    int batch;
    int verbose_events;
    int stop_at_entry;
    int mode;                   /* EngMode: --mixed, --native */
    const char *const *commands;/* -ex / -x commands in order, NULL-terminated */
    const char *core;           /* --core FILE: a core dump to open (program: its PROGRAM); NULL: none */
} CliOptions;

/* Run a whole session; returns the process exit status for cordbg (0, or 1 when any
 * command failed). */
int cli_main(const CliOptions *opt);

/* A CLI over another front end's engine session (DAP's `-exec COMMAND`): one command at a
 * time, its output and errors written to out. The engine's notices go to that front end,
 * not here. 0, or -1 when the command failed. */
typedef struct Cli Cli;
Cli *cli_embedded_new(EngSession *eng, const CliOptions *opt);
int  cli_embedded_exec(Cli *c, const char *line, FILE *out);
void cli_embedded_free(Cli *c);
/* The embedding front end's helper client and the lock around its use, for apply, inject
 * and print's injection (NULL svc: none, those commands say so). */
struct EncService;
void cli_embedded_share_enc(Cli *c, struct EncService *svc, pthread_mutex_t *mu);

/* `cordbg ps`: list debuggable .NET processes; returns the exit status. */
int cli_ps(void);

#endif
