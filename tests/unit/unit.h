// unit.h — header-only unit-test harness: TEST(name) { CHECK(...); } ... UNIT_MAIN()
// Include it in exactly one .c file per test binary (the registry is a static array in this
// header). Tests run one after another on the main thread, in file order.
//
//   ./test_x          run every test        ./test_x utf    run tests whose name has "utf"
// Prints "PASS name" / "FAIL name" per test, then "N passed, N failed"; exits 1 on any failure.
// A failing CHECK prints "file:line: test: message" and the test carries on.
#ifndef CORDBG_TEST_UNIT_H
#define CORDBG_TEST_UNIT_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define UNIT_MAX_TESTS 512

typedef struct UnitTest {
    const char *name;
    void (*fn)(void);
} UnitTest;

// State of the one test binary; only this header's macros touch it.
static struct {
    UnitTest tests[UNIT_MAX_TESTS];
    int count;
    int overflow;          // more TESTs than UNIT_MAX_TESTS: counted as a failure
    const char *current;   // name of the running test
    int failed;            // checks failed in the running test
} unit_state;

static inline void unit_register(const char *name, void (*fn)(void)) {
    if (unit_state.count >= UNIT_MAX_TESTS) {
        unit_state.overflow++;
        return;
    }
    unit_state.tests[unit_state.count].name = name;
    unit_state.tests[unit_state.count].fn = fn;
    unit_state.count++;
}

static inline void unit_fail_(const char *file, int line) {
    fprintf(stderr, "%s:%d: %s: ", file, line, unit_state.current ? unit_state.current : "?");
    unit_state.failed++;
}

// Defines `static void test_name(void)` and registers it before main() runs.
#define TEST(name)                                                          \
    static void test_##name(void);                                          \
    __attribute__((constructor)) static void unit_reg_##name(void) {        \
        unit_register(#name, test_##name);                                  \
    }                                                                       \
    static void test_##name(void)

#define CHECK(cond)                                                         \
    do {                                                                    \
        if (!(cond)) {                                                      \
            unit_fail_(__FILE__, __LINE__);                                 \
            fprintf(stderr, "CHECK(%s) failed\n", #cond);                   \
        }                                                                   \
    } while (0)

#define CHECK_EQ_INT(a, b)                                                  \
    do {                                                                    \
        long long unit_a_ = (long long)(a), unit_b_ = (long long)(b);       \
        if (unit_a_ != unit_b_) {                                           \
            unit_fail_(__FILE__, __LINE__);                                 \
            fprintf(stderr, "%s == %s failed: %lld != %lld\n", #a, #b,      \
                    unit_a_, unit_b_);                                      \
        }                                                                   \
    } while (0)

#define CHECK_EQ_STR(a, b)                                                  \
    do {                                                                    \
        const char *unit_a_ = (a), *unit_b_ = (b);                          \
        if (!(unit_a_ == unit_b_ ||                                         \
              (unit_a_ && unit_b_ && strcmp(unit_a_, unit_b_) == 0))) {     \
            unit_fail_(__FILE__, __LINE__);                                 \
            fprintf(stderr, "%s == %s failed: ", #a, #b);                   \
            unit_print_str_(unit_a_);                                       \
            fprintf(stderr, " != ");                                        \
            unit_print_str_(unit_b_);                                       \
            fprintf(stderr, "\n");                                          \
        }                                                                   \
    } while (0)

#define CHECK_EQ_MEM(a, b, n)                                               \
    do {                                                                    \
        const void *unit_a_ = (a), *unit_b_ = (b);                          \
        size_t unit_n_ = (n);                                               \
        if (unit_n_ && (!unit_a_ || !unit_b_ ||                             \
                        memcmp(unit_a_, unit_b_, unit_n_) != 0)) {          \
            unit_fail_(__FILE__, __LINE__);                                 \
            fprintf(stderr, "%s == %s (%zu bytes) failed:\n", #a, #b,       \
                    unit_n_);                                               \
            unit_print_mem_(unit_a_, unit_b_, unit_n_);                     \
        }                                                                   \
    } while (0)

// Strings are printed quoted with C escapes so invisible bytes show up.
static inline void unit_print_str_(const char *s) {
    if (!s) {
        fputs("NULL", stderr);
        return;
    }
    fputc('"', stderr);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(stderr, "\\%c", *p);
        else if (*p >= 0x20 && *p < 0x7F)
            fputc(*p, stderr);
        else
            fprintf(stderr, "\\x%02x", *p);
    }
    fputc('"', stderr);
}

// Shows the first differing offset and up to 16 bytes of each side from there.
static inline void unit_print_mem_(const void *a, const void *b, size_t n) {
    if (!a || !b) {
        fprintf(stderr, "  %s is NULL\n", !a ? "left" : "right");
        return;
    }
    const unsigned char *x = a, *y = b;
    size_t i = 0;
    while (i < n && x[i] == y[i])
        i++;
    fprintf(stderr, "  first difference at offset %zu\n  left: ", i);
    for (size_t k = i; k < n && k < i + 16; k++)
        fprintf(stderr, " %02x", x[k]);
    fprintf(stderr, "\n  right:");
    for (size_t k = i; k < n && k < i + 16; k++)
        fprintf(stderr, " %02x", y[k]);
    fputc('\n', stderr);
}

static inline int unit_main_(int argc, char **argv) {
    const char *filter = argc > 1 ? argv[1] : NULL;
    int passed = 0, failed = 0;
    // Keep PASS/FAIL lines in order with check messages on stderr.
    setvbuf(stdout, NULL, _IOLBF, 0);
    for (int i = 0; i < unit_state.count; i++) {
        const UnitTest *t = &unit_state.tests[i];
        if (filter && !strstr(t->name, filter))
            continue;
        unit_state.current = t->name;
        unit_state.failed = 0;
        t->fn();
        fflush(stderr);
        if (unit_state.failed) {
            printf("FAIL %s\n", t->name);
            failed++;
        } else {
            printf("PASS %s\n", t->name);
            passed++;
        }
    }
    unit_state.current = NULL;
    if (unit_state.overflow) {
        fprintf(stderr, "unit.h: %d tests not registered; raise UNIT_MAX_TESTS\n",
                unit_state.overflow);
        failed += unit_state.overflow;
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}

#define UNIT_MAIN()                                                         \
    int main(int argc, char **argv) { return unit_main_(argc, argv); }

#endif
