/* The Debug Adapter Protocol front end: one client over stdin/stdout, or over a loopback
 * TCP port one client at a time. Parses, answers and reports only; every debugging
 * decision is the engine's (the same requests the CLI makes). */
#ifndef CORDBG_FRONT_DAP_H
#define CORDBG_FRONT_DAP_H

/* --engineLogging: every session sends cordbg's log as console output events (as
 * launch.json's logging.engineLogging true). */
void dap_engine_logging(int on);
/* Serve one client on stdin/stdout; returns when it disconnects (exit status). */
int dap_main_stdio(void);
/* Listen on 127.0.0.1:port and serve clients one after another; returns only on error. */
int dap_main_server(int port);

#endif
