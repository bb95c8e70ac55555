/* DAP's wire format: messages framed by a "Content-Length: N\r\n\r\n" header, read from a
 * byte stream that may be cut anywhere. Pure (no I/O), so it is fuzzed on its own.
 *
 * Bad framing never stops the reader: a header without a usable Content-Length, a header
 * that never ends, or a body larger than the limit is reported once, its bytes are dropped,
 * and reading resumes at the next "Content-Length:" in the stream. */
#ifndef CORDBG_FRONT_DAP_WIRE_H
#define CORDBG_FRONT_DAP_WIRE_H
#include <jansson.h>
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

/* One message body decoded and checked for DAP's shape. */
typedef enum DapKind { DAP_BAD, DAP_REQUEST, DAP_RESPONSE } DapKind;
typedef struct DapMsg {
    DapKind     kind;
    json_t     *root;       /* the whole message (NULL when not JSON); json_decref it */
    int         seq;        /* > 0, or 0 when it has none that is usable */
    const char *command;    /* NULL when absent (DAP_BAD); borrowed from root */
    json_t     *args;       /* a request's arguments: an object, or NULL when it had none */
    int         request_seq;/* DAP_RESPONSE: what it answers (0 when unreadable) */
    int         success;    /* DAP_RESPONSE */
    const char *message;    /* DAP_RESPONSE: its message, or NULL */
} DapMsg;
/* Decode: DAP_REQUEST (a request from the client), DAP_RESPONSE (the client's answer to a
 * reverse request), or DAP_BAD with err saying what is wrong (seq and command filled in when
 * they could be read, for the error response). */
DapKind dap_decode(const char *body, size_t len, DapMsg *m, char *err, size_t errcap);

#endif
