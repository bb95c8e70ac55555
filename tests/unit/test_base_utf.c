// test_base_utf.c — UTF-8 <-> UTF-16 conversion: valid round trips, every ill-formed UTF-8
// class (maximal-subpart U+FFFD), lone surrogates, plane edges, the fixed-buffer variant.
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uchar.h>

#include "base/arena.h"
#include "base/utf.h"
#include "unit.h"

#define NT UTF_NUL_TERMINATED
#define FFFD 0xFFFD

// Converts n bytes of s to UTF-16 and compares with the expected units (plus the NUL).
static int utf16_is(const char *s, size_t n, const uint16_t *want, size_t want_n) {
    Arena *a = arena_new();
    uint16_t *got = utf16_from_utf8(a, s, n);
    int ok = got && memcmp(got, want, want_n * 2) == 0 && got[want_n] == 0;
    if (got && !ok) {
        fprintf(stderr, "  got:");
        for (size_t i = 0; i <= want_n + 2 && i < 64; i++) {
            fprintf(stderr, " %04x", got[i]);
            if (!got[i])
                break;
        }
        fprintf(stderr, "\n");
    }
    arena_free(a);
    return ok;
}

#define CHECK_U16(bytes, ...)                                                       \
    do {                                                                            \
        static const uint16_t want_[] = { __VA_ARGS__ };                            \
        CHECK(utf16_is((bytes), sizeof(bytes) - 1, want_, sizeof want_ / 2));      \
    } while (0)

TEST(valid_utf8_to_utf16) {
    CHECK_U16("A", 'A');
    CHECK_U16("\xC3\xA9", 0x00E9);
    CHECK_U16("\xE2\x82\xAC", 0x20AC);
    CHECK_U16("\xED\x9F\xBF", 0xD7FF);                  // just below the surrogates
    CHECK_U16("\xEE\x80\x80", 0xE000);                  // just above them
    CHECK_U16("\xEF\xBF\xBF", 0xFFFF);                  // BMP edge
    CHECK_U16("\xF0\x90\x80\x80", 0xD800, 0xDC00);      // U+10000
    CHECK_U16("\xF0\x9F\x98\x80", 0xD83D, 0xDE00);      // U+1F600
    CHECK_U16("\xF4\x8F\xBF\xBF", 0xDBFF, 0xDFFF);      // U+10FFFF
    CHECK_U16("\xC2\x80\xDF\xBF\xE0\xA0\x80", 0x80, 0x7FF, 0x800);   // each length's minimum
}

TEST(invalid_stray_continuation) {
    CHECK_U16("\x80", FFFD);
    CHECK_U16("\xBF", FFFD);
    CHECK_U16("\x80\xBF\x80", FFFD, FFFD, FFFD);
    CHECK_U16("a\x80z", 'a', FFFD, 'z');
    CHECK_U16("\xC3\xA9\xA9", 0xE9, FFFD);              // one continuation too many
}

TEST(invalid_never_lead_bytes) {
    CHECK_U16("\xC0", FFFD);
    CHECK_U16("\xC1", FFFD);
    CHECK_U16("\xF5", FFFD);
    CHECK_U16("\xFE\xFF", FFFD, FFFD);
    CHECK_U16("\xF8\x88\x80\x80\x80", FFFD, FFFD, FFFD, FFFD, FFFD);   // old 5-byte form
}

TEST(invalid_overlongs) {
    CHECK_U16("\xC0\xAF", FFFD, FFFD);                  // '/' in two bytes
    CHECK_U16("\xC1\xBF", FFFD, FFFD);
    CHECK_U16("\xC0\x80", FFFD, FFFD);                  // "modified UTF-8" NUL
    CHECK_U16("\xE0\x80\xAF", FFFD, FFFD, FFFD);
    CHECK_U16("\xE0\x9F\xBF", FFFD, FFFD, FFFD);        // U+07FF in three bytes
    CHECK_U16("\xF0\x80\x80\xAF", FFFD, FFFD, FFFD, FFFD);
    CHECK_U16("\xF0\x8F\xBF\xBF", FFFD, FFFD, FFFD, FFFD);   // U+FFFF in four bytes
}

TEST(invalid_encoded_surrogates) {
    CHECK_U16("\xED\xA0\x80", FFFD, FFFD, FFFD);        // U+D800
    CHECK_U16("\xED\xBF\xBF", FFFD, FFFD, FFFD);        // U+DFFF
    CHECK_U16("\xED\xA0\xBD\xED\xB8\x80", FFFD, FFFD, FFFD, FFFD, FFFD, FFFD);   // CESU-8 pair
}

TEST(invalid_above_max) {
    CHECK_U16("\xF4\x90\x80\x80", FFFD, FFFD, FFFD, FFFD);   // U+110000
    CHECK_U16("\xF5\x80\x80\x80", FFFD, FFFD, FFFD, FFFD);
    CHECK_U16("\xF7\xBF\xBF\xBF", FFFD, FFFD, FFFD, FFFD);
}

TEST(invalid_truncated) {
    CHECK_U16("\xC3", FFFD);
    CHECK_U16("\xE2\x82", FFFD);                        // one U+FFFD per maximal subpart
    CHECK_U16("\xF0\x9F\x98", FFFD);
    CHECK_U16("\xE2\x82" "A", FFFD, 'A');
    CHECK_U16("\xF0\x9F" "\xE2\x82\xAC", FFFD, 0x20AC);
    CHECK_U16("\xF0\x9F\x98\xC3\xA9", FFFD, 0xE9);
    // Truncation by the count, not by the bytes themselves.
    CHECK(utf16_is("\xE2\x82\xAC", 2, (const uint16_t[]){ FFFD }, 1));
}

TEST(invalid_unicode_table_3_8_example) {
    // Unicode 15 section 3.9, Table 3-8: the recommended U+FFFD placement.
    CHECK_U16("\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64",
              0x61, FFFD, FFFD, FFFD, 0x62, FFFD, 0x63, FFFD, FFFD, 0x64);
}

TEST(counted_utf8_keeps_embedded_nul) {
    CHECK(utf16_is("a\0b", 3, (const uint16_t[]){ 'a', 0, 'b' }, 3));
    CHECK(utf16_is("abc", 0, (const uint16_t[]){ 0 }, 0));
}

TEST(utf16_to_utf8_valid) {
    Arena *a = arena_new();
    CHECK_EQ_STR(utf8_from_utf16(a, u"hello", NT), "hello");
    CHECK_EQ_STR(utf8_from_utf16(a, u"\u00e9\u20ac\uffff", NT), "\xC3\xA9\xE2\x82\xAC\xEF\xBF\xBF");
    CHECK_EQ_STR(utf8_from_utf16(a, (const uint16_t[]){ 0xD800, 0xDC00, 0 }, NT),
                 "\xF0\x90\x80\x80");
    CHECK_EQ_STR(utf8_from_utf16(a, (const uint16_t[]){ 0xDBFF, 0xDFFF, 0 }, NT),
                 "\xF4\x8F\xBF\xBF");
    CHECK_EQ_STR(utf8_from_utf16(a, u"x\U0001F600y", NT), "x\xF0\x9F\x98\x80y");
    CHECK_EQ_STR(utf8_from_utf16(a, u"abcdef", 3), "abc");
    CHECK_EQ_INT(utf16_len(u"abc\U0001F600"), 5);
    CHECK_EQ_INT(utf16_len(NULL), 0);
    arena_free(a);
}

TEST(utf16_lone_surrogates) {
    Arena *a = arena_new();
    const char *r = "\xEF\xBF\xBD";
    CHECK_EQ_STR(utf8_from_utf16(a, (const uint16_t[]){ 0xD800, 0 }, NT), r);     // high at end
    CHECK_EQ_STR(utf8_from_utf16(a, (const uint16_t[]){ 0xDC00, 0 }, NT), r);     // low alone
    CHECK_EQ_STR(utf8_from_utf16(a, (const uint16_t[]){ 0xD83D, 'A', 0 }, NT), "\xEF\xBF\xBD" "A");
    CHECK_EQ_STR(utf8_from_utf16(a, (const uint16_t[]){ 0xDE00, 0xD83D, 0 }, NT),
                 "\xEF\xBF\xBD\xEF\xBF\xBD");                                     // reversed pair
    CHECK_EQ_STR(utf8_from_utf16(a, (const uint16_t[]){ 0xD83D, 0xD83D, 0xDE00, 0 }, NT),
                 "\xEF\xBF\xBD\xF0\x9F\x98\x80");                                 // high, pair
    // A pair split by the count is two halves: the high one is lone.
    CHECK_EQ_STR(utf8_from_utf16(a, (const uint16_t[]){ 0xD83D, 0xDE00, 0 }, 1), r);
    arena_free(a);
}

TEST(empty_strings) {
    Arena *a = arena_new();
    CHECK_EQ_STR(utf8_from_utf16(a, u"", NT), "");
    CHECK_EQ_STR(utf8_from_utf16(a, u"abc", 0), "");
    CHECK_EQ_STR(utf8_from_utf16(a, NULL, NT), "");
    uint16_t *w = utf16_from_utf8(a, "", NT);
    CHECK(w && w[0] == 0);
    w = utf16_from_utf8(a, NULL, 0);
    CHECK(w && w[0] == 0);
    char buf[4] = "zzz";
    CHECK_EQ_INT(utf8_from_utf16_buf(buf, sizeof buf, u"", NT), 0);
    CHECK_EQ_STR(buf, "");
    char *m = utf8_from_utf16_malloc(u"", NT);
    CHECK_EQ_STR(m, "");
    free(m);
    uint16_t *mw = utf16_from_utf8_malloc("", NT);
    CHECK(mw && mw[0] == 0);
    free(mw);
    arena_free(a);
}

TEST(buf_truncates_at_code_point_boundaries) {
    const uint16_t *s = u"a\u00e9\u20ac\U0001F600";   // UTF-8 lengths 1 + 2 + 3 + 4 = 10
    static const struct { size_t cap; const char *want; } cases[] = {
        { 1, "" },                  { 2, "a" },         { 3, "a" },
        { 4, "a\xC3\xA9" },         { 6, "a\xC3\xA9" }, { 7, "a\xC3\xA9\xE2\x82\xAC" },
        { 10, "a\xC3\xA9\xE2\x82\xAC" },
        { 11, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" },
        { 64, "a\xC3\xA9\xE2\x82\xAC\xF0\x9F\x98\x80" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char buf[64];
        memset(buf, 'Z', sizeof buf);
        CHECK_EQ_INT(utf8_from_utf16_buf(buf, cases[i].cap, s, NT), 10);
        CHECK_EQ_STR(buf, cases[i].want);
        // Nothing written past cap.
        if (cases[i].cap < sizeof buf)
            CHECK_EQ_INT(buf[cases[i].cap], 'Z');
    }
    CHECK_EQ_INT(utf8_from_utf16_buf(NULL, 0, s, NT), 10);   // sizing call, like snprintf
    // Once a code point does not fit, a later smaller one is not squeezed in.
    char buf[4];
    CHECK_EQ_INT(utf8_from_utf16_buf(buf, sizeof buf, u"a\U0001F600b", NT), 6);
    CHECK_EQ_STR(buf, "a");
    // Lone surrogates count as the 3 bytes of U+FFFD.
    CHECK_EQ_INT(utf8_from_utf16_buf(buf, sizeof buf, (const uint16_t[]){ 0xDC00, 0 }, NT), 3);
    CHECK_EQ_STR(buf, "\xEF\xBF\xBD");
}

TEST(round_trip_samples) {
    static const char *samples[] = {
        "", "plain ascii", "Program.cs:41", "\xC3\xA9t\xC3\xA9", "\xE2\x82\xAC 100",
        "\xF0\x9F\x98\x80\xF0\x9F\x98\x81", "\xE4\xB8\xAD\xE6\x96\x87", "\x7F\xC2\x80\xDF\xBF",
        "\xEF\xBF\xBF\xF0\x90\x80\x80\xF4\x8F\xBF\xBF",
    };
    Arena *a = arena_new();
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) {
        uint16_t *w = utf16_from_utf8(a, samples[i], NT);
        CHECK_EQ_STR(utf8_from_utf16(a, w, NT), samples[i]);
        char *m = utf8_from_utf16_malloc(w, NT);
        CHECK_EQ_STR(m, samples[i]);
        uint16_t *mw = utf16_from_utf8_malloc(samples[i], NT);
        CHECK(mw && memcmp(mw, w, (utf16_len(w) + 1) * 2) == 0);
        free(m);
        free(mw);
    }
    arena_free(a);
}

// Every scalar value U+0001..U+10FFFF (no surrogates) in one string, both directions.
TEST(round_trip_every_code_point) {
    size_t units = 0;
    uint16_t *w = malloc(0x110000 * 2 * sizeof *w + 2);
    CHECK(w != NULL);
    if (!w)
        return;
    for (uint32_t cp = 1; cp <= 0x10FFFF; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF)
            continue;
        if (cp > 0xFFFF) {
            w[units++] = (uint16_t)(0xD800 + ((cp - 0x10000) >> 10));
            w[units++] = (uint16_t)(0xDC00 + ((cp - 0x10000) & 0x3FF));
        } else {
            w[units++] = (uint16_t)cp;
        }
    }
    w[units] = 0;
    Arena *a = arena_new();
    char *u8 = utf8_from_utf16(a, w, units);
    CHECK(u8 != NULL);
    // 0x7F one-byte + 0x780 two-byte + (0x10000-0x800-0x800) three-byte + 0x100000 four-byte
    size_t want = 0x7F + 0x780 * 2 + (0x10000 - 0x800 - 0x800) * 3 + 0x100000 * 4;
    CHECK_EQ_INT(strlen(u8), want);
    CHECK_EQ_INT(utf8_from_utf16_buf(NULL, 0, w, units), want);
    uint16_t *back = utf16_from_utf8(a, u8, NT);
    CHECK_EQ_INT(utf16_len(back), units);
    CHECK_EQ_MEM(back, w, (units + 1) * 2);
    arena_free(a);
    free(w);
}

// Every two-byte input: the output never holds a lone surrogate, and converting it back and
// forth again changes nothing.
TEST(every_two_byte_input_gives_valid_utf16) {
    Arena *a = arena_new();
    for (unsigned v = 0; v < 0x10000; v++) {
        char in[2] = { (char)(v >> 8), (char)(v & 0xFF) };
        uint16_t *w = utf16_from_utf8(a, in, 2);
        size_t n = utf16_len(w);
        int bad = 0;
        for (size_t i = 0; i < n; i++)
            if (w[i] >= 0xD800 && w[i] <= 0xDFFF)
                bad = 1;
        char *u8 = utf8_from_utf16(a, w, NT);
        uint16_t *w2 = utf16_from_utf8(a, u8, NT);
        if (bad || utf16_len(w2) != n || memcmp(w, w2, n * 2) != 0) {
            CHECK(!"two-byte input not stable");
            fprintf(stderr, "  input %02x %02x\n", v >> 8, v & 0xFF);
            break;
        }
        arena_reset(a);
    }
    arena_free(a);
}

UNIT_MAIN()
