// fuzz_dap.c — libFuzzer target for the Debug Adapter Protocol's reading side: the framing of
// src/front/dap_wire.c and the JSON decoding and message checks of src/front/dap.c's reader.
//
// The first two input bytes choose how the rest is cut into chunks (one byte at a time, a few
// bytes, whole lines' worth, all at once...); each chunk is fed to dap_wire_feed and
// dap_wire_next is called until it wants more input. Every body is handled as dap.c's serve()
// and dispatch() do: dap_decode (json_loadb with JSON_REJECT_DUPLICATES, then the checks of
// a DAP message: an object with a string 'type', a positive 'seq', a string 'command', an
// object 'arguments'), dap_wire_reject when it was not JSON, and the response built for it
// (error responses with the message text, made valid UTF-8 as dap.c's jstr() does), dumped
// with json_dumps. Checked on the way:
//   - nothing crashes, leaks or loops: every call to dap_wire_next makes progress, and the
//     whole input takes a bounded number of calls;
//   - the wire never holds more bytes than the input had (what it puts back came from it);
//   - a framing error says something, a body is NUL-terminated and within DAP_MAX_BODY;
//   - the messages read are the same whether the stream comes in chunks or all at once;
//   - every response is valid JSON of the DAP shape, and framed as dap.c frames it
//     ("Content-Length: N\r\n\r\n" + body) it reads back through a fresh DapWire unchanged,
//     cut anywhere.
//   scripts/fuzz.sh 600 dap
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/utf.h"
#include "front/dap_wire.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void fuzz_dap_require(int ok, const char *what) {
    if (!ok) {
        fprintf(stderr, "fuzz_dap: %s\n", what);
        abort();   // libFuzzer reports the crash and saves the input
    }
}

// dap.c's jstr(): a JSON string from text that should be UTF-8 (ill-formed bytes: U+FFFD).
// Unlike dap.c it does not fall back to "" when the cleaned text is still refused: that
// would be a bug in base/utf, which promises valid output.
static json_t *fuzz_dap_jstr(const char *s) {
    if (!s)
        s = "";
    json_t *j = json_string(s);
    if (j)
        return j;
    uint16_t *w = utf16_from_utf8_malloc(s, UTF_NUL_TERMINATED);
    char *clean = w ? utf8_from_utf16_malloc(w, UTF_NUL_TERMINATED) : NULL;
    fuzz_dap_require(clean != NULL, "utf conversion failed");
    j = json_string(clean);
    free(w);
    free(clean);
    fuzz_dap_require(j != NULL, "text made valid UTF-8 is still refused by json_string");
    return j;
}

// A response and what was dumped for it: parse it back and check its shape; then frame it
// and read it back through a fresh wire cut as `cut` says.
static void fuzz_dap_check_out(json_t *m, unsigned cut) {
    fuzz_dap_require(m != NULL, "json_pack of a response failed");
    json_object_set_new(m, "seq", json_integer(1));
    char *s = json_dumps(m, JSON_COMPACT);
    fuzz_dap_require(s != NULL, "json_dumps of a response failed");
    size_t n = strlen(s);

    json_error_t jerr;
    json_t *back = json_loadb(s, n, JSON_REJECT_DUPLICATES, &jerr);
    fuzz_dap_require(back != NULL, "a dumped response does not parse");
    fuzz_dap_require(json_equal(back, m), "a dumped response parses to something else");
    fuzz_dap_require(json_is_string(json_object_get(back, "type")) &&
                     json_is_integer(json_object_get(back, "request_seq")) &&
                     json_is_boolean(json_object_get(back, "success")) &&
                     json_is_string(json_object_get(back, "command")),
                     "a response lacks type, request_seq, success or command");
    json_decref(back);

    char hdr[64];
    int hl = snprintf(hdr, sizeof hdr, "Content-Length: %zu\r\n\r\n", n);
    size_t total = (size_t)hl + n;
    char *framed = malloc(total);
    fuzz_dap_require(framed != NULL, "out of memory");
    memcpy(framed, hdr, (size_t)hl);
    memcpy(framed + hl, s, n);
    // In two reads, cut where `cut` says.
    size_t at = (size_t)(cut * 2654435761u) % (total + 1);
    DapWire w;
    dap_wire_init(&w);
    char *body = NULL;
    size_t len = 0;
    char err[256];
    int got = 0;
    for (int part = 0; part < 2; part++) {
        fuzz_dap_require(dap_wire_feed(&w, framed + (part ? at : 0), part ? total - at : at) == 0, "feed failed");
        int r = dap_wire_next(&w, &body, &len, err, sizeof err);
        fuzz_dap_require(r >= 0, "a response framed as dap.c frames it is a framing error");
        if (r == 1) {
            fuzz_dap_require(!got && len == n && memcmp(body, s, n) == 0, "a framed response reads back changed");
            got = 1;
            free(body);
        }
    }
    free(framed);
    fuzz_dap_require(got, "a framed response was not read back");
    fuzz_dap_require(w.len == 0, "bytes left over after a framed response");
    dap_wire_free(&w);
    free(s);
    json_decref(m);
}

// dap.c's respond_error().
static void fuzz_dap_error(int seq, const char *command, const char *msg, unsigned cut) {
    json_t *m = json_pack("{s:s, s:i, s:b, s:s}", "type", "response", "request_seq", seq, "success", 0,
                          "command", command ? command : "");
    fuzz_dap_require(m != NULL, "json_pack of an error response failed");
    json_object_set_new(m, "message", fuzz_dap_jstr(msg));
    json_t *err = json_pack("{s:i, s:o, s:b}", "id", 1, "format", fuzz_dap_jstr(msg), "showUser", 0);
    fuzz_dap_require(err != NULL, "json_pack of an error body failed");
    json_object_set_new(m, "body", json_pack("{s:o}", "error", err));
    fuzz_dap_check_out(m, cut);
}

// dap.c's dispatch(), down to the handler: dap_decode, then an error response for a bad
// message, nothing for a response, and for a request the handler's place is taken by an
// "unknown request" error and a response that echoes the arguments back. 0 when the body
// was not JSON (the reader then hands it to dap_wire_reject).
static int fuzz_dap_dispatch(const char *body, size_t len, unsigned cut) {
    DapMsg m;
    char why[512];
    memset(why, 0, sizeof why);
    DapKind kind = dap_decode(body, len, &m, why, sizeof why);
    fuzz_dap_require(kind == m.kind, "dap_decode returns one kind and records another");
    fuzz_dap_require(m.seq >= 0, "a negative seq");
    if (kind == DAP_BAD) {
        fuzz_dap_require(why[0] != 0, "a bad message without a reason");
        fuzz_dap_error(m.seq, m.command ? m.command : "", why, cut);
    } else if (kind == DAP_RESPONSE) {
        fuzz_dap_require(m.root && json_is_object(m.root), "a response that is not an object");
        fuzz_dap_require(m.request_seq >= 0, "a negative request_seq");
        if (m.message)
            fuzz_dap_require(strlen(m.message) < (1u << 24), "a message without its NUL");
    } else {
        fuzz_dap_require(kind == DAP_REQUEST, "dap_decode returned something else");
        fuzz_dap_require(m.root && json_is_object(m.root), "a request that is not an object");
        fuzz_dap_require(m.seq > 0 && m.command != NULL, "a request without seq or command");
        fuzz_dap_require(!m.args || json_is_object(m.args), "a request whose arguments are no object");
        char msg[1024];
        snprintf(msg, sizeof msg, "unknown request '%s'", m.command);   // dap.c's failf
        fuzz_dap_error(m.seq, m.command, msg, cut);
        json_t *r = json_pack("{s:s, s:i, s:b, s:s}", "type", "response", "request_seq", m.seq, "success", 1,
                              "command", m.command);
        fuzz_dap_require(r != NULL, "json_pack of a response failed");
        json_object_set_new(r, "body", m.args ? json_deep_copy(m.args) : json_object());
        fuzz_dap_check_out(r, cut + 1);
    }
    int json = m.root != NULL;
    json_decref(m.root);
    return json;
}

// The bodies read, one after another ("LEN:" then the bytes), to compare two readings.
typedef struct FuzzDapLog {
    char  *p;
    size_t len, cap;
} FuzzDapLog;

static void fuzz_dap_log(FuzzDapLog *l, const char *body, size_t n) {
    char num[32];
    int k = snprintf(num, sizeof num, "%zu:", n);
    size_t need = l->len + (size_t)k + n;
    if (need > l->cap) {
        size_t cap = l->cap ? l->cap : 256;
        while (cap < need)
            cap *= 2;
        char *q = realloc(l->p, cap);
        fuzz_dap_require(q != NULL, "out of memory");
        l->p = q;
        l->cap = cap;
    }
    memcpy(l->p + l->len, num, (size_t)k);
    memcpy(l->p + l->len + k, body, n);
    l->len = need;
}

// Chunk sizes: the input is cut into pieces of these lengths, in an order the two control
// bytes choose.
static const size_t fuzz_dap_sizes[] = { 1, 2, 3, 5, 8, 13, 21, 64, 200, 4096, 5000, (size_t)-1 };
#define FUZZ_DAP_NSIZES (sizeof fuzz_dap_sizes / sizeof *fuzz_dap_sizes)

// Reads the stream as serve() does, fed in chunks (whole: all at once), logging the bodies;
// with `dispatch`, each body and framing error is also handled as dap.c does.
static void fuzz_dap_read(const uint8_t *data, size_t size, unsigned a, unsigned b, int whole, int dispatch,
                          FuzzDapLog *log) {
    DapWire w;
    dap_wire_init(&w);
    size_t fed = 0, calls = 0, k = 0;
    unsigned cut = a ^ b;
    while (fed < size) {
        size_t sz = fuzz_dap_sizes[((a >> (k % 8)) + b * k) % FUZZ_DAP_NSIZES];
        if (!(b & 0x80))
            sz = fuzz_dap_sizes[a % FUZZ_DAP_NSIZES];   // one size throughout
        // At most ~512 feeds: the wire rescans what it holds at every call, so long inputs
        // in tiny pieces would cost time better spent on other inputs.
        if (sz < size / 512 + 1)
            sz = size / 512 + 1;
        if (whole || sz > size - fed)
            sz = size - fed;
        k++;
        fuzz_dap_require(dap_wire_feed(&w, data + fed, sz) == 0, "feed failed");
        fed += sz;
        for (;;) {
            fuzz_dap_require(w.len <= fed, "the wire holds more bytes than were fed");
            // Each call either waits or consumes at least one byte for good (a body put
            // back is shorter than the message it came in): bounded by the bytes fed.
            fuzz_dap_require(++calls <= 2 * size + 4 * k + 16, "dap_wire_next does not make progress");
            size_t before = w.len;
            char *body = NULL;
            size_t len = 0;
            char err[256];
            memset(err, 0, sizeof err);
            int r = dap_wire_next(&w, &body, &len, err, sizeof err);
            if (r == 0) {
                fuzz_dap_require(body == NULL, "a body with 0");
                break;
            }
            if (r < 0) {
                fuzz_dap_require(body == NULL, "a body with an error");
                fuzz_dap_require(err[0] != 0 && memchr(err, 0, sizeof err) != NULL, "a framing error without a message");
                fuzz_dap_require(w.len < before, "a framing error that drops nothing");
                if (dispatch)
                    fuzz_dap_error(0, "", err, cut++);
                continue;
            }
            fuzz_dap_require(r == 1 && body != NULL, "dap_wire_next returned something else");
            fuzz_dap_require(len <= DAP_MAX_BODY && body[len] == 0, "a body too long or not NUL-terminated");
            fuzz_dap_require(len < before, "a body longer than what the wire held");
            fuzz_dap_log(log, body, len);
            // serve(): dispatch, and put back what follows a too-large Content-Length when
            // the body was not JSON.
            int json;
            if (dispatch) {
                json = fuzz_dap_dispatch(body, len, cut++);
            } else {
                DapMsg m;
                char why[512];
                dap_decode(body, len, &m, why, sizeof why);
                json = m.root != NULL;
                json_decref(m.root);
            }
            if (!json)
                dap_wire_reject(&w, body, len);
            fuzz_dap_require(w.len < before, "a message and what was put back of it do not shrink the wire");
            free(body);
        }
    }
    dap_wire_free(&w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
    if (size < 2)
        return 0;
    unsigned a = data[0], b = data[1];
    FuzzDapLog cut = { 0 }, whole = { 0 };
    fuzz_dap_read(data + 2, size - 2, a, b, 0, 1, &cut);
    // How the stream is cut must not change which messages come out of it.
    fuzz_dap_read(data + 2, size - 2, a, b, 1, 0, &whole);
    if (cut.len != whole.len || (cut.len && memcmp(cut.p, whole.p, cut.len) != 0)) {
        fprintf(stderr, "in chunks: %.*s\nall at once: %.*s\n", (int)(cut.len < 2000 ? cut.len : 2000), cut.p ? cut.p : "",
                (int)(whole.len < 2000 ? whole.len : 2000), whole.p ? whole.p : "");
        fuzz_dap_require(0, "the messages read depend on how the stream was cut");
    }
    free(cut.p);
    free(whole.p);
    return 0;
}
