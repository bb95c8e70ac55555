/* DAP framing: see dap_wire.h. */
#include "front/dap_wire.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char CL[] = "content-length:";
#define CL_LEN (sizeof CL - 1)

void dap_wire_init(DapWire *w) { memset(w, 0, sizeof *w); }

void dap_wire_free(DapWire *w)
{
    free(w->buf);
    memset(w, 0, sizeof *w);
}

static int reserve(DapWire *w, size_t need)
{
    if (need <= w->cap) return 0;
    size_t cap = w->cap ? w->cap : 4096;
    while (cap < need) cap *= 2;
    char *p = realloc(w->buf, cap);
    if (!p) return -1;
    w->buf = p;
    w->cap = cap;
    return 0;
}

int dap_wire_feed(DapWire *w, const void *data, size_t n)
{
    if (!n) return 0;
    if (reserve(w, w->len + n) != 0) return -1;
    memcpy(w->buf + w->len, data, n);
    w->len += n;
    return 0;
}

static void drop(DapWire *w, size_t n)
{
    if (n > w->len) n = w->len;
    memmove(w->buf, w->buf + n, w->len - n);
    w->len -= n;
}

/* Case-insensitive search for "content-length:" in p[from, n); n when absent. */
static size_t find_cl(const char *p, size_t from, size_t n)
{
    for (size_t i = from; i + CL_LEN <= n; i++) {
        size_t k = 0;
        while (k < CL_LEN && tolower((unsigned char)p[i + k]) == CL[k]) k++;
        if (k == CL_LEN) return i;
    }
    return n;
}

/* Drop the bad bytes [0, upto): keep from the next header start after 0, if any. */
static void skip_bad(DapWire *w, size_t upto)
{
    size_t next = find_cl(w->buf, 1, upto);
    drop(w, next);
}

static int fail(char *err, size_t cap, const char *msg)
{
    snprintf(err, cap, "%s", msg);
    return -1;
}

/* The value of Content-Length in header bytes h[0, n): 0 and *out, or -1 with why.
 * *well_formed: every line is "Name: value" (a bad value, not junk). */
static int parse_header(const char *h, size_t n, size_t *out, const char **why, int *well_formed)
{
    int found = 0;
    *why = NULL;
    *well_formed = 1;
    size_t i = 0;
    while (i < n) {
        size_t e = i;
        while (e < n && h[e] != '\r' && h[e] != '\n') e++;
        size_t ll = e - i;
        if (ll >= CL_LEN && find_cl(h + i, 0, CL_LEN) == 0) {
            size_t p = i + CL_LEN;
            while (p < e && (h[p] == ' ' || h[p] == '\t')) p++;
            size_t v = 0;
            int digits = 0, big = 0;
            while (p < e && h[p] >= '0' && h[p] <= '9') {
                if (v > DAP_MAX_BODY) big = 1;
                else v = v * 10 + (size_t)(h[p] - '0');
                p++;
                digits++;
            }
            while (p < e && (h[p] == ' ' || h[p] == '\t')) p++;
            if (!*why) {
                if (!digits || p != e) *why = "Content-Length is not a number";
                else if (big || v > DAP_MAX_BODY) *why = "Content-Length is too large";
                else if (found && v != *out) *why = "two different Content-Length headers";
            }
            *out = v;
            found = 1;
        } else if (ll > 0) {
            /* Another header ("Content-Type: ..."): a name, a colon. */
            const char *colon = memchr(h + i, ':', ll);
            if (!colon || colon == h + i) {
                *well_formed = 0;
                if (!*why) *why = "a header line is not 'Name: value'";
            }
        }
        i = e;
        if (i < n && h[i] == '\r') i++;
        if (i < n && h[i] == '\n') i++;
    }
    if (!found && !*why) *why = "the header has no Content-Length";
    return *why ? -1 : 0;
}

int dap_wire_next(DapWire *w, char **body, size_t *len, char *err, size_t errcap)
{
    *body = NULL;
    *len = 0;
    /* Blank lines between messages are harmless. */
    size_t lead = 0;
    while (lead < w->len && (w->buf[lead] == '\r' || w->buf[lead] == '\n')) lead++;
    if (lead) drop(w, lead);
    if (!w->len) return 0;
    const char *end = NULL;
    size_t scan = w->len < DAP_MAX_HEADER + 4 ? w->len : DAP_MAX_HEADER + 4;
    for (size_t i = 0; i + 4 <= scan; i++)
        if (!memcmp(w->buf + i, "\r\n\r\n", 4)) { end = w->buf + i; break; }
    if (!end) {
        if (w->len < DAP_MAX_HEADER + 4) return 0;
        /* Resume at the next header if one has begun; else keep what could be the start of
         * one cut by the read. */
        size_t next = find_cl(w->buf, 1, w->len);
        drop(w, next < w->len ? next : w->len - (CL_LEN - 1));
        return fail(err, errcap, "a message header longer than 4096 bytes (no blank line after it)");
    }
    size_t hlen = (size_t)(end - w->buf);
    size_t blen = 0;
    const char *why;
    int shape = 0;
    if (parse_header(w->buf, hlen, &blen, &why, &shape) != 0) {
        /* A header of well-formed lines with a bad value is one whole bad header: drop it.
         * Otherwise junk may hide the start of the next message inside it. */
        if (shape && strcmp(why, "the header has no Content-Length") != 0) drop(w, hlen + 4);
        else skip_bad(w, hlen + 4);
        return fail(err, errcap, why);
    }
    if (w->len < hlen + 4 + blen) return 0;
    char *b = malloc(blen + 1);
    if (!b) { drop(w, hlen + 4 + blen); return fail(err, errcap, "out of memory"); }
    memcpy(b, w->buf + hlen + 4, blen);
    b[blen] = 0;
    drop(w, hlen + 4 + blen);
    *body = b;
    *len = blen;
    return 1;
}

void dap_wire_reject(DapWire *w, const char *body, size_t len)
{
    size_t at = find_cl(body, 0, len);
    if (at >= len) {
        /* The body may end inside the next header's name ("...}Conte"). */
        for (size_t k = CL_LEN - 1; k > 0 && at >= len; k--) {
            if (k > len) continue;
            size_t i = 0;
            while (i < k && tolower((unsigned char)body[len - k + i]) == CL[i]) i++;
            if (i == k) at = len - k;
        }
        if (at >= len) return;
    }
    size_t n = len - at;
    if (reserve(w, w->len + n) != 0) return;
    memmove(w->buf + n, w->buf, w->len);
    memcpy(w->buf, body + at, n);
    w->len += n;
}

/* After a load with JSON_DECODE_INT_AS_REAL: every whole number that fits an integer is one
 * again; those beyond 64 bits stay reals, which the requests refuse as out of range. */
static json_t *int_again(json_t *v)
{
    if (!json_is_real(v)) return NULL;
    double x = json_real_value(v);
    if (!(x >= -9223372036854775808.0 && x < 9223372036854775808.0) || x != (double)(json_int_t)x) return NULL;
    return json_integer((json_int_t)x);
}

static void ints_back(json_t *j)
{
    if (json_is_object(j)) {
        for (void *it = json_object_iter(j); it; it = json_object_iter_next(j, it)) {
            json_t *v = json_object_iter_value(it), *n = int_again(v);
            if (n) json_object_iter_set_new(j, it, n);
            else ints_back(v);
        }
    } else if (json_is_array(j)) {
        for (size_t i = 0; i < json_array_size(j); i++) {
            json_t *v = json_array_get(j, i), *n = int_again(v);
            if (n) json_array_set_new(j, i, n);
            else ints_back(v);
        }
    }
}

DapKind dap_decode(const char *body, size_t len, DapMsg *m, char *err, size_t errcap)
{
    memset(m, 0, sizeof *m);
    json_error_t jerr;
    m->root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &jerr);
    if (!m->root && json_error_code(&jerr) == json_error_numeric_overflow) {
        /* A number beyond 64 bits ("frameId": 18446744073709551616) is valid JSON: read it
         * so that the request is answered as itself (its seq, its command) with why. */
        m->root = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_DECODE_INT_AS_REAL, &jerr);
        if (m->root) ints_back(m->root);
    }
    if (!m->root) {
        snprintf(err, errcap, "malformed JSON at line %d column %d: %s", jerr.line, jerr.column, jerr.text);
        return m->kind = DAP_BAD;
    }
    json_t *seq = json_object_get(m->root, "seq");
    if (json_is_integer(seq) && json_integer_value(seq) > 0 && json_integer_value(seq) <= 0x7fffffff)
        m->seq = (int)json_integer_value(seq);
    const char *type = json_string_value(json_object_get(m->root, "type"));
    m->command = json_string_value(json_object_get(m->root, "command"));
    m->args = json_object_get(m->root, "arguments");
    if (!json_is_object(m->root) || !type) {
        snprintf(err, errcap, "a message must be an object with a 'type'");
    } else if (!strcmp(type, "response")) {
        json_t *rs = json_object_get(m->root, "request_seq");
        if (json_is_integer(rs) && json_integer_value(rs) > 0 && json_integer_value(rs) <= 0x7fffffff)
            m->request_seq = (int)json_integer_value(rs);
        m->success = json_is_true(json_object_get(m->root, "success"));
        m->message = json_string_value(json_object_get(m->root, "message"));
        return m->kind = DAP_RESPONSE;
    } else if (strcmp(type, "request") != 0) {
        snprintf(err, errcap, "only requests are accepted from the client");
    } else if (!m->seq) {
        snprintf(err, errcap, "'seq' must be a positive integer");
    } else if (!m->command) {
        snprintf(err, errcap, "'command' must be a string");
    } else if (m->args && !json_is_null(m->args) && !json_is_object(m->args)) {
        snprintf(err, errcap, "'arguments' must be an object");
    } else {
        if (json_is_null(m->args)) m->args = NULL;
        return m->kind = DAP_REQUEST;
    }
    return m->kind = DAP_BAD;
}
