/* DAP's wire format: messages framed by a "Content-Length: N\r\n\r\n" header, read from a
 * byte stream that may be cut anywhere. Pure (no I/O), so it is fuzzed on its own.
 *
 * Bad framing never stops the reader: a header without a usable Content-Length, a header
 * that never ends, or a body larger than the limit is reported once, its bytes are dropped,
 * and reading resumes at the next "Content-Length:" in the stream. */
#ifndef CORDBG_FRONT_DAP_WIRE_H
#define CORDBG_FRONT_DAP_WIRE_H
#include <stddef.h>

#define DAP_MAX_HEADER 4096            /* bytes of header before "\r\n\r\n" */
#define DAP_MAX_BODY   (16u << 20)     /* bytes of one message */

typedef struct DapWire {
    char  *buf;
    size_t len, cap;
} DapWire;

void dap_wire_init(DapWire *w);
void dap_wire_free(DapWire *w);
/* Append bytes read from the stream; -1 when out of memory. */
int dap_wire_feed(DapWire *w, const void *data, size_t n);
/* The next message: 1 with *body (malloc'ed, NUL-terminated, *len bytes); 0 when more input
 * is needed; -1 for a framing error (err says what; its bytes are gone, call again). */
int dap_wire_next(DapWire *w, char **body, size_t *len, char *err, size_t errcap);
/* A body turned out not to be JSON: when it holds the start of another message (the
 * previous Content-Length was too large), put that part back to be read again. */
void dap_wire_reject(DapWire *w, const char *body, size_t len);

#endif
