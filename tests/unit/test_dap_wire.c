/* DAP framing (src/front/dap_wire.c): messages in one feed or cut anywhere, blank lines,
 * header names in any case and other headers, and every kind of bad header, each followed
 * by a good message that must still be read. Reading is done as dap.c's reader does it: a
 * body that dap_decode finds is not JSON is handed to dap_wire_reject. */
#include "unit.h"

#include <jansson.h>

#include "front/dap_wire.h"

/* What the reader saw, as text: "B:<body>" per message and "E:<error>" per framing error,
 * separated by " | ". */
typedef struct Seen {
    char text[8192];
} Seen;

static void seen_add(Seen *s, const char *kind, const char *what, size_t n)
{
    size_t len = strlen(s->text);
    snprintf(s->text + len, sizeof s->text - len, "%s%s:%.*s", len ? " | " : "", kind, (int)n, what);
}

/* dap.c's reader: every message and error available now. */
static void drain(DapWire *w, Seen *s)
{
    for (int guard = 0; guard < 10000; guard++) {
        char *body;
        size_t len;
        char err[256] = "";
        int r = dap_wire_next(w, &body, &len, err, sizeof err);
        if (r == 0) {
            CHECK(body == NULL);
            return;
        }
        if (r < 0) {
            CHECK(body == NULL);
            CHECK(err[0] != 0);
            seen_add(s, "E", err, strlen(err));
            continue;
        }
        CHECK_EQ_INT(r, 1);
        CHECK(body != NULL);
        if (!body) return;
        CHECK_EQ_INT(body[len], 0);
        seen_add(s, "B", body, len);
        DapMsg m;
        char why[512];
        dap_decode(body, len, &m, why, sizeof why);
        if (!m.root) dap_wire_reject(w, body, len);
        json_decref(m.root);
        free(body);
    }
    CHECK(!"dap_wire_next never says it needs more input");
}

static void feed(DapWire *w, const char *p, size_t n) { CHECK_EQ_INT(dap_wire_feed(w, p, n), 0); }
static void feeds(DapWire *w, const char *s) { feed(w, s, strlen(s)); }

/* The whole stream in one feed. */
static const char *read_whole(Seen *s, const char *stream, size_t n)
{
    DapWire w;
    dap_wire_init(&w);
    s->text[0] = 0;
    feed(&w, stream, n);
    drain(&w, s);
    dap_wire_free(&w);
    return s->text;
}

static const char *read1(Seen *s, const char *stream) { return read_whole(s, stream, strlen(stream)); }

/* The stream fed `step` bytes at a time, reading after each feed. */
static const char *read_steps(Seen *s, const char *stream, size_t n, size_t step)
{
    DapWire w;
    dap_wire_init(&w);
    s->text[0] = 0;
    for (size_t off = 0; off < n; off += step) {
        feed(&w, stream + off, n - off < step ? n - off : step);
        drain(&w, s);
    }
    dap_wire_free(&w);
    return s->text;
}

/* The transcript starts with `first` and ends with `last`; in between only framing errors
 * (the rest of a bad header may be reported again when the next header comes). */
#define CHECK_RECOVERS(text, first, last) check_recovers_((text), (first), (last), __LINE__)
static void check_recovers_(const char *text, const char *first, const char *last, int line)
{
    size_t n = strlen(text), nf = strlen(first), nl = strlen(last);
    int ok = n >= nf + nl && !strncmp(text, first, nf) && !strcmp(text + n - nl, last);
    for (const char *p = text + nf; ok && (p = strstr(p, " | ")) && p < text + n - nl; p += 3)
        if (strncmp(p + 3, "E:", 2) != 0) ok = 0;
    if (!ok) {
        unit_fail_(__FILE__, line);
        fprintf(stderr, "transcript ");
        unit_print_str_(text);
        fprintf(stderr, "\n  should start with ");
        unit_print_str_(first);
        fprintf(stderr, "\n  and end with ");
        unit_print_str_(last);
        fprintf(stderr, "\n  with only errors in between\n");
    }
}

#define GOOD "Content-Length: 2\r\n\r\n{}"
#define GOOD2 "Content-Length: 46\r\n\r\n{\"seq\":2,\"type\":\"request\",\"command\":\"threads\"}"
#define GOOD2_BODY "{\"seq\":2,\"type\":\"request\",\"command\":\"threads\"}"

TEST(one_message)
{
    DapWire w;
    dap_wire_init(&w);
    feeds(&w, GOOD2);
    char *body = NULL;
    size_t len = 0;
    char err[256] = "";
    CHECK_EQ_INT(dap_wire_next(&w, &body, &len, err, sizeof err), 1);
    CHECK_EQ_INT(len, strlen(GOOD2_BODY));
    CHECK_EQ_STR(body, GOOD2_BODY);
    free(body);
    CHECK_EQ_INT(dap_wire_next(&w, &body, &len, err, sizeof err), 0);
    CHECK(body == NULL);
    CHECK_EQ_INT(w.len, 0);
    dap_wire_free(&w);
    CHECK(w.buf == NULL);
}

TEST(empty_body)
{
    Seen s;
    CHECK_EQ_STR(read1(&s, "Content-Length: 0\r\n\r\n" GOOD), "B: | B:{}");
}

TEST(several_in_one_feed)
{
    Seen s;
    CHECK_EQ_STR(read1(&s, GOOD GOOD2 "Content-Length: 7\r\n\r\n[1,2,3]"), "B:{} | B:" GOOD2_BODY " | B:[1,2,3]");
}

TEST(split_at_every_byte_boundary)
{
    const char *stream = GOOD2 "Content-Length: 13\r\n\r\n{\"a\":\"\xc3\xa9t\xc3\xa9\"}" GOOD;
    const char *want = "B:" GOOD2_BODY " | B:{\"a\":\"\xc3\xa9t\xc3\xa9\"} | B:{}";
    size_t n = strlen(stream);
    Seen s;
    for (size_t cut = 0; cut <= n; cut++) {
        DapWire w;
        dap_wire_init(&w);
        s.text[0] = 0;
        feed(&w, stream, cut);
        drain(&w, &s);
        feed(&w, stream + cut, n - cut);
        drain(&w, &s);
        dap_wire_free(&w);
        if (strcmp(s.text, want) != 0) {
            CHECK_EQ_STR(s.text, want);
            fprintf(stderr, "  (cut at byte %zu)\n", cut);
            break;
        }
    }
    for (size_t step = 1; step <= 7; step++) CHECK_EQ_STR(read_steps(&s, stream, n, step), want);
}

TEST(blank_lines_between_messages)
{
    Seen s;
    CHECK_EQ_STR(read1(&s, "\r\n\r\n" GOOD "\r\n" GOOD2 "\r\n\r\n\n\r" GOOD "\r\n"), "B:{} | B:" GOOD2_BODY " | B:{}");
    DapWire w;
    dap_wire_init(&w);
    feeds(&w, GOOD "\r\n\r\n");
    s.text[0] = 0;
    drain(&w, &s);
    CHECK_EQ_STR(s.text, "B:{}");
    CHECK_EQ_INT(w.len, 0);   /* the trailing blank lines are gone, not waiting as a header */
    dap_wire_free(&w);
}

TEST(header_names_in_any_case_and_other_headers)
{
    Seen s;
    CHECK_EQ_STR(read1(&s, "content-length: 2\r\n\r\n{}"), "B:{}");
    CHECK_EQ_STR(read1(&s, "CONTENT-LENGTH:2\r\n\r\n{}"), "B:{}");
    CHECK_EQ_STR(read1(&s, "CoNtEnT-lEnGtH: \t2\t \r\n\r\n{}"), "B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\nContent-Length: 2\r\n\r\n{}" GOOD),
                 "B:{} | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: 2\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n{}" GOOD),
                 "B:{} | B:{}");
    CHECK_EQ_STR(read1(&s, "X-Other: 1\r\ncontent-type:x\r\nContent-Length: 2\r\nX-Last: :\r\n\r\n{}"), "B:{}");
    /* the same Content-Length twice is harmless; two different ones are not */
    CHECK_EQ_STR(read1(&s, "Content-Length: 2\r\nContent-Length: 2\r\n\r\n{}"), "B:{}");
    CHECK_RECOVERS(read1(&s, "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{} " GOOD),
                   "E:two different Content-Length headers", " | B:{}");
}

TEST(missing_content_length)
{
    Seen s;
    /* the body after it is junk before the next header: reported in turn */
    CHECK_EQ_STR(read1(&s, "Content-Type: application/vscode-jsonrpc\r\n\r\n{}" GOOD2),
                 "E:the header has no Content-Length | E:the header has no Content-Length | B:" GOOD2_BODY);
    CHECK_EQ_STR(read1(&s, "Content-Lenght: 2\r\n\r\n" GOOD), "E:the header has no Content-Length | B:{}");
    /* a body with no header at all (the stream's next blank line ends it as a "header") */
    CHECK_EQ_STR(read1(&s, "{\"seq\":1}\r\n\r\n" GOOD), "E:the header has no Content-Length | B:{}");
}

TEST(non_numeric_content_length)
{
    Seen s;
    CHECK_EQ_STR(read1(&s, "Content-Length: abc\r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: 12abc\r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: 1 2\r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: 0x10\r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length:\r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: \r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: 2.0\r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
}

TEST(negative_content_length)
{
    Seen s;
    CHECK_EQ_STR(read1(&s, "Content-Length: -5\r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: -0\r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: +2\r\n\r\n" GOOD), "E:Content-Length is not a number | B:{}");
}

TEST(huge_content_length)
{
    Seen s;
    char hdr[128];
    CHECK_EQ_STR(read1(&s, "Content-Length: 99999999999999999999999999\r\n\r\n" GOOD),
                 "E:Content-Length is too large | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: 18446744073709551617\r\n\r\n" GOOD), "E:Content-Length is too large | B:{}");
    snprintf(hdr, sizeof hdr, "Content-Length: %u\r\n\r\n" GOOD, DAP_MAX_BODY + 1u);
    CHECK_EQ_STR(read1(&s, hdr), "E:Content-Length is too large | B:{}");
    /* at the limit the header is good: the reader waits for the body */
    DapWire w;
    dap_wire_init(&w);
    snprintf(hdr, sizeof hdr, "Content-Length: %u\r\n\r\n{}", DAP_MAX_BODY);
    feeds(&w, hdr);
    char *body = NULL;
    size_t len;
    char err[256] = "";
    CHECK_EQ_INT(dap_wire_next(&w, &body, &len, err, sizeof err), 0);
    CHECK_EQ_STR(err, "");
    dap_wire_free(&w);
    /* leading zeros are still a number */
    CHECK_EQ_STR(read1(&s, "Content-Length: 0000000000000000000000002\r\n\r\n{}"), "B:{}");
}

/* A header that never ends: reported once the limit is passed, dropped, and the next
 * message is read, whether it comes later or in the same read. */
TEST(header_longer_than_the_limit)
{
    static char stream[3 * DAP_MAX_HEADER + 512];
    const char *err = "E:a message header longer than 4096 bytes (no blank line after it)";
    Seen s;

    /* the junk first, then (another read) the good message */
    DapWire w;
    dap_wire_init(&w);
    s.text[0] = 0;
    feeds(&w, "Content-Length: 2\r\n");
    for (int i = 0; i < DAP_MAX_HEADER + 100; i++) feed(&w, "x", 1);
    drain(&w, &s);
    CHECK_EQ_STR(s.text, err);
    CHECK(w.len < 64);   /* the junk is not kept */
    feeds(&w, GOOD2);
    drain(&w, &s);
    CHECK_RECOVERS(s.text, err, " | B:" GOOD2_BODY);
    dap_wire_free(&w);

    /* byte by byte, then a good message */
    size_t n = (size_t)snprintf(stream, sizeof stream, "Content-Length: 2\r\n");
    memset(stream + n, 'y', 2 * DAP_MAX_HEADER);
    n += 2 * DAP_MAX_HEADER;
    n += (size_t)snprintf(stream + n, sizeof stream - n, "\r\n\r\n" GOOD);
    CHECK_RECOVERS(read_steps(&s, stream, n, 1), err, " | B:{}");

    /* a header that is exactly the limit is fine; one byte more is not */
    n = (size_t)snprintf(stream, sizeof stream, "Content-Length: 2\r\nX-Pad: ");
    memset(stream + n, 'p', DAP_MAX_HEADER - n);
    n = DAP_MAX_HEADER;
    n += (size_t)snprintf(stream + n, sizeof stream - n, "\r\n\r\n{}" GOOD);
    CHECK_EQ_STR(read_whole(&s, stream, n), "B:{} | B:{}");
    CHECK_EQ_STR(read_steps(&s, stream, n, 1), "B:{} | B:{}");
    n = (size_t)snprintf(stream, sizeof stream, "Content-Length: 2\r\nX-Pad: ");
    memset(stream + n, 'p', DAP_MAX_HEADER + 1 - n);
    n = DAP_MAX_HEADER + 1;
    n += (size_t)snprintf(stream + n, sizeof stream - n, "\r\n\r\n{}" GOOD);
    CHECK_RECOVERS(read_steps(&s, stream, n, 1), err, " | B:{}");
    CHECK_RECOVERS(read_whole(&s, stream, n), err, " | B:{}");
}

/* The same, with the good message in the same read as the junk: it must not be cut. */
TEST(header_longer_than_the_limit_then_a_message_in_the_same_read)
{
    static char stream[2 * DAP_MAX_HEADER + 512];
    const char *err = "E:a message header longer than 4096 bytes (no blank line after it)";
    Seen s;
    size_t n = (size_t)snprintf(stream, sizeof stream, "Content-Length: 2\r\n");
    memset(stream + n, 'x', DAP_MAX_HEADER + 1000);
    n += DAP_MAX_HEADER + 1000;
    /* a small message right after the junk, all in one read */
    size_t junk = n;
    n += (size_t)snprintf(stream + n, sizeof stream - n, GOOD);
    CHECK_RECOVERS(read_whole(&s, stream, n), err, " | B:{}");
    /* a larger message whose first bytes end the read; the rest comes in the next one */
    n = junk + (size_t)snprintf(stream + junk, sizeof stream - junk, GOOD2);
    for (size_t part = 1; part <= 40; part++) {
        DapWire w;
        dap_wire_init(&w);
        s.text[0] = 0;
        feed(&w, stream, junk + part);
        drain(&w, &s);
        feed(&w, stream + junk + part, n - junk - part);
        drain(&w, &s);
        dap_wire_free(&w);
        size_t nt = strlen(s.text), nb = strlen(" | B:" GOOD2_BODY);
        if (nt < nb || strcmp(s.text + nt - nb, " | B:" GOOD2_BODY) != 0) {
            CHECK_RECOVERS(s.text, err, " | B:" GOOD2_BODY);
            fprintf(stderr, "  (the first read ends %zu bytes into the good message)\n", part);
            break;
        }
    }
}

TEST(junk_before_a_header)
{
    Seen s;
    CHECK_EQ_STR(read1(&s, "hello there\r\n" GOOD), "E:a header line is not 'Name: value' | B:{}");
    CHECK_EQ_STR(read1(&s, ": no name\r\n" GOOD), "E:a header line is not 'Name: value' | B:{}");
    CHECK_EQ_STR(read1(&s, "garbage " GOOD), "E:the header has no Content-Length | B:{}");
    CHECK_EQ_STR(read1(&s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n" GOOD2), "E:a header line is not 'Name: value' | B:" GOOD2_BODY);
    CHECK_EQ_STR(read_steps(&s, "hello there\r\n" GOOD, strlen("hello there\r\n" GOOD), 1),
                 "E:a header line is not 'Name: value' | B:{}");
    /* bytes that are not text */
    CHECK_EQ_STR(read_whole(&s, "\0\xff\xfe\r\n" GOOD, 5 + strlen(GOOD)), "E:a header line is not 'Name: value' | B:{}");
}

/* Content-Length smaller than the body: the body is cut short (not JSON, nothing to put back),
 * the rest of it is junk before the next header, and the next message is still read. */
TEST(content_length_too_small)
{
    Seen s;
    CHECK_EQ_STR(read1(&s, "Content-Length: 5\r\n\r\n" GOOD2_BODY GOOD),
                 "B:{\"seq | E:the header has no Content-Length | B:{}");
    CHECK_EQ_STR(read1(&s, "Content-Length: 4\r\n\r\n{\"a\":1}" GOOD2),
                 "B:{\"a\" | E:a header line is not 'Name: value' | B:" GOOD2_BODY);
    const char *stream = "Content-Length: 5\r\n\r\n" GOOD2_BODY GOOD;
    for (size_t step = 1; step < 5; step++)
        CHECK_EQ_STR(read_steps(&s, stream, strlen(stream), step), "B:{\"seq | E:the header has no Content-Length | B:{}");
}

/* Content-Length larger than the body: the body swallows the next message (or its start);
 * it is not JSON, so dap_wire_reject puts the next message back and it is read. */
TEST(content_length_too_large)
{
    Seen s;
    const char *stream = "Content-Length: 30\r\n\r\n{}" "Content-Length: 2\r\n\r\n[]" GOOD2;
    CHECK_EQ_STR(read1(&s, stream), "B:{}Content-Length: 2\r\n\r\n[]Conte | B:[] | B:" GOOD2_BODY);
    for (size_t step = 1; step < 9; step++)
        CHECK_EQ_STR(read_steps(&s, stream, strlen(stream), step),
                     "B:{}Content-Length: 2\r\n\r\n[]Conte | B:[] | B:" GOOD2_BODY);
    /* the body swallows two whole messages and part of a third */
    stream = "Content-Length: 60\r\n\r\n{}" GOOD GOOD "Content-Length: 3\r\n\r\n[1]" GOOD;
    CHECK(strstr(read1(&s, stream), " | B:{} | B:{} | B:[1] | B:{}") != NULL);
}

/* Too large by fewer bytes than a header name: the body ends inside the next message's
 * "Content-Length:"; that message must still be read. */
TEST(content_length_too_large_by_less_than_a_header_name)
{
    for (int k = 1; k <= 20; k++) {
        char stream[256];
        snprintf(stream, sizeof stream, "Content-Length: %d\r\n\r\n{}" GOOD2, 2 + k);
        Seen s;
        const char *t = read1(&s, stream);
        size_t nt = strlen(t), nb = strlen(" | B:" GOOD2_BODY);
        if (strncmp(t, "B:{}C", 5) != 0 || nt < nb || strcmp(t + nt - nb, " | B:" GOOD2_BODY) != 0) {
            CHECK_RECOVERS(t, "B:{}C", " | B:" GOOD2_BODY);
            fprintf(stderr, "  (Content-Length %d bytes too large)\n", k);
        }
    }
}

/* dap_wire_reject on its own: only a body holding a header start puts anything back, and it
 * goes in front of what is already buffered. */
TEST(reject)
{
    DapWire w;
    dap_wire_init(&w);
    dap_wire_reject(&w, "{\"seq\":", 7);
    CHECK_EQ_INT(w.len, 0);
    feeds(&w, "[]");
    dap_wire_reject(&w, "xx content-LENGTH: 2\r\n\r\n", 24);
    CHECK_EQ_INT(w.len, 21 + 2);
    CHECK_EQ_MEM(w.buf, "content-LENGTH: 2\r\n\r\n[]", 23);
    Seen s = { "" };
    drain(&w, &s);
    CHECK_EQ_STR(s.text, "B:[]");
    dap_wire_free(&w);
}

/* Garbage of every kind between good messages never loses a good one that follows a
 * complete bad one. */
TEST(good_messages_survive_bad_ones)
{
    static const char *bad[] = {
        "Content-Length: abc\r\n\r\n", "Content-Length: -1\r\n\r\n", "Content-Length: 999999999999\r\n\r\n",
        "Content-Type: x\r\n\r\n", "junk\r\n\r\n", "\x01\x02\r\n\r\n", "Content-Length: 1\r\nContent-Length: 2\r\n\r\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char stream[512];
        int n = snprintf(stream, sizeof stream, "%s%s%s", GOOD2, bad[i], GOOD);
        for (size_t step = 1; step <= (size_t)n; step *= 2) {
            Seen s;
            read_steps(&s, stream, (size_t)n, step);
            size_t len = strlen(s.text);
            if (strncmp(s.text, "B:" GOOD2_BODY " | E:", strlen("B:" GOOD2_BODY " | E:")) != 0 || len < 7 ||
                strcmp(s.text + len - 7, " | B:{}") != 0) {
                CHECK_RECOVERS(s.text, "B:" GOOD2_BODY " | E:", " | B:{}");
                fprintf(stderr, "  (bad input %zu, fed %zu bytes at a time)\n", i, step);
                break;
            }
        }
    }
}

/* A number beyond 64 bits is valid JSON: the request is still read as itself (its seq, its
 * command), the number kept as a real for the request to refuse, the other integers intact. */
TEST(decode_numbers_beyond_64_bits)
{
    static const char body[] = "{\"seq\": 7, \"type\": \"request\", \"command\": \"variables\", \"arguments\": "
                               "{\"variablesReference\": 18446744073709551616, \"start\": 9007199254740993, "
                               "\"l\": [1, -99999999999999999999999, 2.5]}}";
    DapMsg m;
    char why[512] = "";
    CHECK_EQ_INT(dap_decode(body, strlen(body), &m, why, sizeof why), DAP_REQUEST);
    CHECK_EQ_INT(m.seq, 7);
    CHECK(m.command && !strcmp(m.command, "variables"));
    json_t *ref = json_object_get(m.args, "variablesReference");
    CHECK(json_is_real(ref));
    json_t *start = json_object_get(m.args, "start");
    CHECK(json_is_integer(start));
    json_t *l = json_object_get(m.args, "l");
    CHECK(json_is_integer(json_array_get(l, 0)));
    CHECK(json_is_real(json_array_get(l, 1)));
    CHECK(json_is_real(json_array_get(l, 2)));
    json_decref(m.root);
    /* Not JSON at all is still refused. */
    CHECK_EQ_INT(dap_decode("{\"seq\": 1e", 11, &m, why, sizeof why), DAP_BAD);
    json_decref(m.root);
}

UNIT_MAIN()
