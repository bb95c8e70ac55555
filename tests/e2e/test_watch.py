"""Hardware watchpoints (gdb's watch, rwatch, awatch) under `cordbg --native` on
tests/out/native/wprog (pure C, -g -O0, from tests/native/wprog.c): old and new values at
each stop, read and access watchpoints, a local of the current frame, *(TYPE *)ADDRESS,
the 4-register limit and delete freeing one, a watchpoint hit by a thread created after it
was set, refusals (size, alignment, unknown names). On a machine whose debug registers do
not trap (this test machine's hypervisor), cordbg emulates them by page protection, and
says so; the stops are the same."""

import re

import cdb
from cdb import find_mark

# "Hardware watchpoint 2: counter" (then a blank line, then the values, then the frame)
RE_WP_STOP = r"^Hardware (watchpoint|read watchpoint|access \(read/write\) watchpoint) (\d+): (.+)$"
RE_WHERE = r"^([A-Za-z_]\w*)\+0x[0-9a-f]+ \(wprog\)(?: at ([^\s:]+):(\d+))?$"


def wprog():
    return cdb.native_out("wprog")


def mark(name):
    return find_mark("native", name, file="wprog.c")


def wbatch(args, commands, **kw):
    return cdb.batch([wprog()] + list(args), commands, options=["--native"], **kw)


def wp_stops(res):
    """Each watchpoint stop: (kind, id, expr, values, function, line) where values is
    ('old', 'new') or ('value',), read from the lines after the title."""
    out = []
    lines = res.lines
    for i, l in enumerate(lines):
        m = re.match(RE_WP_STOP, l)
        # a stop is the title preceded by an empty line (the title at set time is not)
        if not m or i == 0 or lines[i - 1] != "":
            continue
        assert lines[i + 1] == "", "a blank line after the title: %r" % lines[i:i + 3]
        if lines[i + 2].startswith("Old value = "):
            vals = (lines[i + 2][len("Old value = "):], lines[i + 3][len("New value = "):])
            assert lines[i + 3].startswith("New value = "), lines[i:i + 5]
            w = lines[i + 4]
        else:
            assert lines[i + 2].startswith("Value = "), lines[i:i + 4]
            vals = (lines[i + 2][len("Value = "):],)
            w = lines[i + 3]
        fm = re.match(RE_WHERE, w)
        assert fm, "the frame after a watchpoint stop: %r" % w
        out.append((m.group(1), int(m.group(2)), m.group(3), vals, fm.group(1), int(fm.group(3) or 0)))
    return out


def set_line(res, kind, expr):
    """The id given by `watch EXPR` ("Hardware watchpoint N: EXPR" printed when set)."""
    title = {"w": "watchpoint", "r": "read watchpoint", "a": r"access \(read/write\) watchpoint"}[kind]
    m = res.has(r"^Hardware %s (\d+): %s$" % (title, re.escape(expr)))
    return int(m.group(1))


def test_watch_global_old_and_new_value_each_change():
    res = wbatch([], ["break main", "run", "watch counter", "continue", "continue", "continue", "continue"])
    cdb.assert_ok(res)
    wid = set_line(res, "w", "counter")
    assert wid == 2, "numbered with the breakpoints: %d" % wid
    st = wp_stops(res)
    assert [(s[0], s[1], s[2], s[3], s[4]) for s in st] == [
        ("watchpoint", 2, "counter", ("0", "1"), "bump"),
        ("watchpoint", 2, "counter", ("1", "2"), "bump"),
        ("watchpoint", 2, "counter", ("2", "3"), "bump"),
    ], st
    # the stop is after the write: still in bump, at or after its line
    assert all(s[5] >= mark("bump_body") for s in st), st
    res.has(r"^wprog: counter = 3, acc = 30, read = 14, small = 5, letter = B, ratio = 2.5$")
    res.has(r"^Process \d+ exited with code 0$")


def test_rwatch_and_awatch_values_and_info_watchpoints_hits():
    res = wbatch([], ["break main", "run", "rwatch reader_value", "awatch letter", "continue", "continue",
                      "continue", "continue", "info watchpoints", "continue"])
    cdb.assert_ok(res)
    rid, aid = set_line(res, "r", "reader_value"), set_line(res, "a", "letter")
    st = wp_stops(res)
    assert [(s[0], s[1], s[3], s[4]) for s in st] == [
        ("read watchpoint", rid, ("7",), "read_it"),
        ("read watchpoint", rid, ("7",), "read_it"),
        ("access (read/write) watchpoint", aid, ("65 'A'", "66 'B'"), "main"),
        ("access (read/write) watchpoint", aid, ("66 'B'",), "main"),     # read for the printf
    ], st
    assert st[0][5] == mark("read_body"), st[0]
    assert mark("main_print") - 1 <= st[3][5] <= mark("main_print"), st[3]
    # info watchpoints: both, with their hit counts, and no breakpoint
    i = res.index(r"^Num\s+Type")
    rows = [re.match(r"^(\d+)\s+(read watchpoint|acc watchpoint|hw watchpoint|breakpoint)\s+(y|n)\s+(\d+)\s+(\S+)", l)
            for l in res.lines[i + 1:i + 3]]
    assert all(rows), res.lines[i:i + 4]
    assert [(int(r.group(1)), r.group(2), int(r.group(4)), r.group(5)) for r in rows] == [
        (rid, "read watchpoint", 2, "reader_value"), (aid, "acc watchpoint", 2, "letter")], res.lines[i:i + 3]
    assert not re.match(r"^\d+\s+breakpoint", res.lines[i + 3] if i + 3 < len(res.lines) else ""), res.lines[i + 3]
    res.has(r"^wprog: counter = 3, acc = 30, read = 14, small = 5, letter = B, ratio = 2\.5$")


def test_watch_local_of_the_frame_then_address_with_cast():
    s = cdb.Session(["--native", wprog()])
    s.send("break local_work")
    s.send("run")
    s.expect(r"^Thread 1 hit Breakpoint 1, local_work")
    s.send("watch acc")
    s.expect(r"^Hardware watchpoint 2: acc$")
    # acc = 0, then += 0 (no change: no stop), += 10, += 20
    news = []
    for _ in range(3):
        s.send("continue")
        s.expect(r"^Hardware watchpoint 2: acc$")
        news.append(s.expect(r"^New value = (-?\d+)$").group(1))
        s.expect(r"^local_work\+0x[0-9a-f]+ \(wprog\) at wprog\.c:\d+$")
    assert news == ["0", "10", "30"], news
    s.send("info watchpoints")
    m = s.expect(r"^2\s+hw watchpoint\s+y\s+3\s+acc \[(0x[0-9a-f]+), 4 bytes \(int\)")
    acc_addr = int(m.group(1), 16)
    # the local lives in this frame's stack (a leaf function's: in the red zone under rsp),
    # not in the data segment
    s.send("info registers rsp")
    rsp = int(s.expect(r"^rsp\s+(0x[0-9a-f]+)").group(1), 16)
    assert abs(acc_addr - rsp) < 256, (hex(acc_addr), hex(rsp))
    # it outlives the frame (as gdb's -location): delete it before returning
    s.send("delete 2")
    s.send("info watchpoints")
    s.expect(r"^No watchpoints\.$")
    # the same memory through a cast of its address: a stop when it changes
    s.send("watch -l *(int *)0x%x" % acc_addr)
    s.expect(r"^Hardware watchpoint 3: \*\(int \*\)0x%x$" % acc_addr)
    s.send("info watchpoints")
    s.expect(r"^3\s+hw watchpoint\s+y\s+0\s+\*\(int \*\)0x%x \[0x%x, 4 bytes \(int\)" % (acc_addr, acc_addr))
    s.send("delete 3")
    s.send("continue")
    s.expect(r"^wprog: counter = 3, acc = 30, read = 14, small = 5, letter = B, ratio = 2\.5$")
    s.expect(r"^Process \d+ exited with code 0$")
    s.close_stdin()
    s.wait()
    s.check_no_crash()


def test_four_registers_then_refused_and_delete_frees_one():
    res = wbatch([], ["break main", "run", "watch counter", "rwatch reader_value", "awatch letter", "watch ratio",
                      "watch small", "info watchpoints", "delete 2", "watch small", "delete 3", "delete 4",
                      "continue", "continue", "continue"])
    errs = res.error_lines()
    assert len(errs) == 1 and "no free debug register" in errs[0] and "4" in errs[0], errs
    # the 5th was refused, the one after delete 2 was given number 6 (5 was not used up)
    small_id = set_line(res, "w", "small")
    assert small_id == 6, small_id
    set_line(res, "w", "ratio")
    st = wp_stops(res)
    assert [(s[1], s[2], s[3], s[4]) for s in st] == [
        (small_id, "small", ("0", "5"), "main"),
        (5, "ratio", ("1", "2.5"), "main"),
    ], st
    res.has(r"^wprog: counter = 3, acc = 30, read = 14, small = 5, letter = B, ratio = 2\.5$")
    res.has(r"^Process \d+ exited with code 0$")


def test_watchpoint_hit_in_a_thread_created_after_it_was_set():
    res = wbatch(["thread"], ["break main", "run", "watch shared_value", "continue", "info threads", "continue"])
    cdb.assert_ok(res)
    st = wp_stops(res)
    assert [(s[1], s[2], s[3], s[4]) for s in st] == [(2, "shared_value", ("0", "42"), "thread_body")], st
    assert st[0][5] >= mark("thread_write"), st
    res.has(r"^wprog: shared = 42$")
    res.has(r"^Process \d+ exited with code 0$")


def test_refusals_are_one_clear_line_and_the_session_goes_on():
    res = wbatch([], ["watch counter", "break main", "run", "watch spare", "watch nosuch", "watch foo(1)",
                      "watch *(struct x *)0x1000", "watch", "rwatch *(short *)0x%x" % 0x1001,
                      "watch *(int *)0x10", "info watchpoints", "continue"])
    errs = res.error_lines()
    want = ["the program is not being run",
            "'spare' is 32 bytes (array): a hardware watchpoint covers 1, 2, 4 or 8 bytes",
            'No symbol "nosuch" in current context.',
            "cannot watch 'foo(1)': give a C variable, *ADDRESS or *(TYPE *)ADDRESS",
            "unknown type 'struct x' in the cast",
            "usage: watch",
            "is not aligned to its size (2)",
            "Cannot access memory at address 0x10"]
    assert len(errs) == len(want), errs
    for e, w in zip(errs, want):
        assert w in e, (e, w)
    res.has(r"^No watchpoints\.$")
    res.has(r"^wprog: counter = 3, acc = 30, read = 14, small = 5, letter = B, ratio = 2\.5$")


def test_detach_with_watchpoints_set_leaves_the_program_unharmed():
    # the registers are cleared (the emulation's pages opened) before the threads are let go:
    # the program's accesses to the watched memory then must not trap or fault
    res = wbatch([], ["break main", "run", "watch counter", "rwatch reader_value", "awatch letter", "detach"])
    cdb.assert_ok(res)
    res.has(r"^Detached from process \d+$")
    res.has(r"^wprog: counter = 3, acc = 30, read = 14, small = 5, letter = B, ratio = 2\.5$")
    res.hasnt(r"^(Old value|Value) = ")
