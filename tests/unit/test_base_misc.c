// test_base_misc.c — strbuf, vec, os helpers (/proc parsing on our own pid), status, log.
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/log.h"
#include "base/os.h"
#include "base/status.h"
#include "base/strbuf.h"
#include "base/vec.h"
#include "unit.h"

// A fresh directory under the temp dir, removed by rm_tree at the end of a test.
static void make_scratch(char *dir, size_t cap) {
    snprintf(dir, cap, "%s/cordbg-unit-XXXXXX", os_tmpdir());
    if (!mkdtemp(dir))
        dir[0] = '\0';
}

static void rm_tree(const char *dir) {
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", dir);
}

static int write_file(const char *path, const char *data, size_t n) {
    FILE *f = fopen(path, "wb");
    if (!f)
        return -1;
    size_t w = fwrite(data, 1, n, f);
    return fclose(f) == 0 && w == n ? 0 : -1;
}

// ---- strbuf ------------------------------------------------------------------------------

TEST(strbuf_basics) {
    StrBuf b;
    sb_init(&b);
    CHECK(b.data == NULL && b.len == 0);
    CHECK_EQ_INT(sb_puts(&b, "hello"), 0);
    CHECK_EQ_INT(sb_putc(&b, ','), 0);
    CHECK_EQ_INT(sb_append(&b, " world!!!", 6), 0);
    CHECK_EQ_STR(b.data, "hello, world");
    CHECK_EQ_INT(b.len, 12);
    CHECK_EQ_INT(sb_printf(&b, " %d+%s", 41, "1"), 0);
    CHECK_EQ_STR(b.data, "hello, world 41+1");
    sb_clear(&b);
    CHECK_EQ_STR(b.data, "");
    CHECK_EQ_INT(b.len, 0);
    CHECK_EQ_INT(sb_append(&b, "a\0b", 3), 0);   // embedded NUL kept
    CHECK_EQ_INT(b.len, 3);
    CHECK_EQ_MEM(b.data, "a\0b", 4);
    sb_free(&b);
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
}

TEST(strbuf_growth_and_printf) {
    StrBuf b;
    sb_init(&b);
    for (int i = 0; i < 10000; i++)
        CHECK_EQ_INT(sb_printf(&b, "%d,", i % 10), 0);
    CHECK_EQ_INT(b.len, 20000);
    CHECK_EQ_INT(b.data[b.len], '\0');
    CHECK_EQ_STR(b.data + 19990, "5,6,7,8,9,");
    // One printf much larger than the current capacity.
    sb_clear(&b);
    CHECK_EQ_INT(sb_printf(&b, "%0100000d", 3), 0);
    CHECK_EQ_INT(b.len, 100000);
    CHECK_EQ_INT(b.data[99999], '3');
    sb_free(&b);
}

TEST(strbuf_append_from_itself) {
    StrBuf b;
    sb_init(&b);
    sb_puts(&b, "abc");
    for (int i = 0; i < 12; i++)   // each doubling moves the buffer at some point
        CHECK_EQ_INT(sb_append(&b, b.data, b.len), 0);
    CHECK_EQ_INT(b.len, 3 << 12);
    CHECK_EQ_STR(b.data + b.len - 6, "abcabc");
    sb_free(&b);
}

TEST(strbuf_take) {
    StrBuf b;
    sb_init(&b);
    char *e = sb_take(&b);
    CHECK_EQ_STR(e, "");
    free(e);
    sb_puts(&b, "owned");
    char *s = sb_take(&b);
    CHECK_EQ_STR(s, "owned");
    CHECK(b.data == NULL && b.len == 0 && b.cap == 0);
    free(s);
}

// ---- vec ---------------------------------------------------------------------------------

typedef struct Point { int x, y; } Point;

TEST(vec_push_reserve_free) {
    VEC(int) v = {0};
    for (int i = 0; i < 1000; i++)
        CHECK_EQ_INT(vec_push(&v, i * 3), 0);
    CHECK_EQ_INT(v.len, 1000);
    CHECK(v.cap >= 1000 && (v.cap & (v.cap - 1)) == 0);   // doubled from 8: a power of two
    long sum = 0;
    for (size_t i = 0; i < v.len; i++)
        sum += v.items[i];
    CHECK_EQ_INT(sum, 3L * 999 * 1000 / 2);
    vec_free(&v);
    CHECK(v.items == NULL && v.len == 0 && v.cap == 0);

    VEC(Point) pts = {0};
    CHECK_EQ_INT(vec_reserve(&pts, 100), 0);
    CHECK(pts.cap >= 100);
    Point *before = pts.items;
    for (int i = 0; i < 100; i++)
        CHECK_EQ_INT(vec_push(&pts, (Point){ i, -i }), 0);
    CHECK(pts.items == before);   // reserved: no move
    CHECK_EQ_INT(pts.items[42].y, -42);
    CHECK_EQ_INT(vec_reserve(&pts, 10), 0);   // smaller than cap: nothing to do
    CHECK(vec_reserve(&pts, SIZE_MAX / 2) == -1);
    CHECK_EQ_INT(pts.len, 100);
    vec_free(&pts);

    // The value is evaluated exactly once.
    VEC(int) w = {0};
    int n = 0;
    vec_push(&w, n++);
    CHECK_EQ_INT(n, 1);
    vec_free(&w);
}

// ---- os ----------------------------------------------------------------------------------

TEST(proc_stat_own_pid) {
    char buf[256];
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 1, buf, sizeof buf), 0);
    CHECK_EQ_INT(strtol(buf, NULL, 10), getpid());
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 3, buf, sizeof buf), 0);
    CHECK_EQ_STR(buf, "R");
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 4, buf, sizeof buf), 0);
    CHECK_EQ_INT(strtol(buf, NULL, 10), getppid());
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 22, buf, sizeof buf), 0);
    char *end;
    errno = 0;
    unsigned long long start = strtoull(buf, &end, 10);
    CHECK(buf[0] != '\0' && *end == '\0' && errno == 0);
    CHECK(start > 0);
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 999, buf, sizeof buf), -EINVAL);
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 0, buf, sizeof buf), -EINVAL);
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 22, buf, 2), -ERANGE);
    CHECK_EQ_INT(os_proc_stat_field(0x7ffffff0, 1, buf, sizeof buf), -ENOENT);
}

// comm may contain spaces and parentheses; fields after it are counted from the last ')'.
TEST(proc_stat_hostile_comm) {
    char old[32] = "";
    prctl(PR_GET_NAME, old, 0, 0, 0);
    prctl(PR_SET_NAME, "a) (b c) 9 ", 0, 0, 0);
    char comm[64], f1[32], f3[32], f22[32], f22_before[32];
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 2, comm, sizeof comm), 0);
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 1, f1, sizeof f1), 0);
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 3, f3, sizeof f3), 0);
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 22, f22, sizeof f22), 0);
    prctl(PR_SET_NAME, old, 0, 0, 0);
    CHECK_EQ_INT(os_proc_stat_field(getpid(), 22, f22_before, sizeof f22_before), 0);
    CHECK_EQ_STR(comm, "a) (b c) 9 ");
    CHECK_EQ_INT(strtol(f1, NULL, 10), getpid());
    CHECK_EQ_STR(f3, "R");
    CHECK_EQ_STR(f22, f22_before);
}

TEST(proc_exists_cmdline_exe) {
    CHECK_EQ_INT(os_proc_exists(getpid()), 1);
    CHECK_EQ_INT(os_proc_exists(0x7ffffff0), 0);
    CHECK_EQ_INT(os_proc_exists(0), 0);
    CHECK_EQ_INT(os_proc_exists(-1), 0);

    char cmd[4096];
    CHECK_EQ_INT(os_pid_cmdline(getpid(), cmd, sizeof cmd), 0);
    CHECK(strstr(cmd, "test_base_misc") != NULL);
    CHECK(cmd[0] && cmd[strlen(cmd) - 1] != ' ');
    char tiny[5];
    CHECK_EQ_INT(os_pid_cmdline(getpid(), tiny, sizeof tiny), 0);   // truncated, not an error
    CHECK_EQ_INT(strlen(tiny), 4);

    char exe[4096], self[4096];
    CHECK_EQ_INT(os_pid_exe(getpid(), exe, sizeof exe), 0);
    CHECK_EQ_INT(os_read_link("/proc/self/exe", self, sizeof self), 0);
    CHECK_EQ_STR(exe, self);
    CHECK_EQ_INT(os_read_link("/proc/self/exe", self, 3), -ENAMETOOLONG);
    CHECK_EQ_INT(os_read_link("/nonexistent/link", self, sizeof self), -ENOENT);
}

TEST(read_file_limits) {
    char dir[4096], path[4200];
    make_scratch(dir, sizeof dir);
    CHECK(dir[0] != '\0');
    snprintf(path, sizeof path, "%s/f", dir);
    char data[100];
    memset(data, 'x', sizeof data);
    CHECK_EQ_INT(write_file(path, data, sizeof data), 0);

    char *out = (char *)1;
    size_t len = 1;
    CHECK_EQ_INT(os_read_file(path, 100, &out, &len), 0);
    CHECK_EQ_INT(len, 100);
    CHECK(out && out[100] == '\0' && memcmp(out, data, 100) == 0);
    free(out);
    CHECK_EQ_INT(os_read_file(path, 99, &out, &len), -EFBIG);
    CHECK(out == NULL);
    CHECK_EQ_INT(os_read_file(path, SIZE_MAX, &out, NULL), 0);
    free(out);

    CHECK_EQ_INT(write_file(path, "", 0), 0);
    CHECK_EQ_INT(os_read_file(path, 0, &out, &len), 0);
    CHECK(out && out[0] == '\0' && len == 0);
    free(out);

    // /proc files report st_size 0: the limit must still hold while reading.
    CHECK_EQ_INT(os_read_file("/proc/self/status", 16, &out, &len), -EFBIG);
    CHECK_EQ_INT(os_read_file("/proc/self/status", 1 << 20, &out, &len), 0);
    CHECK(out && len > 16 && strncmp(out, "Name:", 5) == 0);
    free(out);

    CHECK_EQ_INT(os_read_file("/nonexistent/file", 100, &out, &len), -ENOENT);
    CHECK_EQ_INT(os_read_file(dir, 100, &out, &len), -EISDIR);
    rm_tree(dir);
}

TEST(mkdir_p) {
    char dir[4096], path[4200];
    make_scratch(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/a/b//c/", dir);
    CHECK_EQ_INT(os_mkdir_p(path, 0700), 0);
    struct stat st;
    snprintf(path, sizeof path, "%s/a/b/c", dir);
    CHECK(stat(path, &st) == 0 && S_ISDIR(st.st_mode));
    CHECK_EQ_INT(os_mkdir_p(path, 0700), 0);   // already there
    snprintf(path, sizeof path, "%s/file", dir);
    CHECK_EQ_INT(write_file(path, "x", 1), 0);
    snprintf(path, sizeof path, "%s/file/sub", dir);
    CHECK_EQ_INT(os_mkdir_p(path, 0700), -ENOTDIR);
    snprintf(path, sizeof path, "%s/file", dir);
    CHECK_EQ_INT(os_mkdir_p(path, 0700), -ENOTDIR);
    CHECK_EQ_INT(os_mkdir_p("", 0700), -ENOENT);
    CHECK_EQ_INT(os_mkdir_p("/", 0700), 0);
    rm_tree(dir);
}

TEST(tmpdir) {
    char *saved = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    unsetenv("TMPDIR");
    CHECK_EQ_STR(os_tmpdir(), "/tmp");
    setenv("TMPDIR", "", 1);
    CHECK_EQ_STR(os_tmpdir(), "/tmp");
    setenv("TMPDIR", "/var/tmp//", 1);
    CHECK_EQ_STR(os_tmpdir(), "/var/tmp");
    setenv("TMPDIR", "/scratch", 1);
    CHECK_EQ_STR(os_tmpdir(), "/scratch");
    setenv("TMPDIR", "/", 1);
    CHECK_EQ_STR(os_tmpdir(), "/");
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
}

TEST(monotonic_clock) {
    uint64_t a = os_monotonic_ns();
    usleep(2000);
    uint64_t b = os_monotonic_ns();
    CHECK(b > a && b - a >= 2000000u);
}

// ---- status ------------------------------------------------------------------------------

TEST(status_strings) {
    CHECK_EQ_STR(status_str(ST_OK), "ok");
    CHECK_EQ_STR(status_str(ST_GONE), "target process is gone");
    CHECK_EQ_STR(status_str(ST_TIMEOUT), "timed out");
    CHECK_EQ_STR(status_str(ST_NOT_FOUND), "not found");
    CHECK_EQ_STR(status_str(-ENOENT), strerror(ENOENT));
    CHECK(status_str(-99999) != NULL);
    CHECK(status_str(7) != NULL);
    // Own codes are distinct and below every errno.
    const Status own[] = { ST_ERR, ST_BAD_INPUT, ST_NOT_FOUND, ST_UNSUPPORTED, ST_GONE,
                           ST_TIMEOUT };
    for (size_t i = 0; i < sizeof own / sizeof own[0]; i++) {
        CHECK(own[i] <= ST_ERR && -own[i] > EHWPOISON);
        CHECK(strcmp(status_str(own[i]), strerror(-own[i])) != 0);
        for (size_t j = 0; j < i; j++)
            CHECK(own[i] != own[j]);
    }
}

// ---- log ---------------------------------------------------------------------------------

TEST(log_levels_and_file) {
    char dir[4096], path[4200];
    make_scratch(dir, sizeof dir);
    snprintf(path, sizeof path, "%s/log.txt", dir);
    setenv("CORDBG_LOG", "Debug", 1);
    setenv("CORDBG_LOG_FILE", path, 1);
    log_init_from_env();
    CHECK(log_enabled(LOG_ERROR) && log_enabled(LOG_DEBUG) && !log_enabled(LOG_TRACE));
    errno = EBADF;
    log_msg(LOG_INFO, "unit", "hello %d", 42);
    CHECK_EQ_INT(errno, EBADF);   // logging keeps errno
    log_msg(LOG_TRACE, "unit", "not shown");
    char longmsg[6000];
    memset(longmsg, 'm', sizeof longmsg - 1);
    longmsg[sizeof longmsg - 1] = '\0';
    log_msg(LOG_ERROR, "unit", "%s", longmsg);

    char *text;
    size_t len;
    CHECK_EQ_INT(os_read_file(path, 1 << 20, &text, &len), 0);
    if (text) {
        char want[64];
        snprintf(want, sizeof want, " %d INFO  unit: hello 42\n", (int)gettid());
        CHECK(strstr(text, want) != NULL);
        CHECK(strstr(text, "not shown") == NULL);
        CHECK(strstr(text, "...\n") != NULL);   // the long line is cut, still one line
        int lines = 0;
        for (size_t i = 0; i < len; i++)
            lines += text[i] == '\n';
        CHECK_EQ_INT(lines, 2);
        free(text);
    }

    setenv("CORDBG_LOG", "bogus", 1);
    unsetenv("CORDBG_LOG_FILE");
    log_init_from_env();   // warns on stderr about the bad value
    CHECK(log_enabled(LOG_WARN) && !log_enabled(LOG_INFO));
    unsetenv("CORDBG_LOG");
    log_init_from_env();
    CHECK(log_enabled(LOG_WARN) && !log_enabled(LOG_INFO));
    rm_tree(dir);
}

UNIT_MAIN()
