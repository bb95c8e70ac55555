"""Watchpoints in mixed mode: `cordbg --mixed` on tests/programs/Interop, whose P/Invoke'd
compute() (tests/native/native.c, libnative.so) sums squares into its local `total`. Each
kind (watch, rwatch, awatch) on that local stops with gdb's lines while the runtime's own
SIGTRAPs and signals go on passing through; the program ends with its normal output."""

import re

import cdb
from cdb import find_mark


def nc(mark):
    return find_mark("native", mark, file="native.c")


RE_TITLE = r"^Hardware (watchpoint|read watchpoint|access \(read/write\) watchpoint) (\d+): total$"
RE_WHERE = r"^compute\+0x[0-9a-f]+ \(libnative\.so\) at native\.c:(\d+)$"


def test_each_kind_of_watchpoint_on_a_local_of_a_pinvoked_function():
    s = cdb.Session(["--mixed", cdb.program("Interop"), "basic"])
    add = nc("compute_add")
    s.send("break native.c:%d" % add)
    s.send("run")
    s.expect(r"^Thread \d+ hit Breakpoint 1, compute\+0x[0-9a-f]+ \(libnative\.so\) at native\.c:%d$" % add, timeout=120)
    s.send("delete 1")
    got = []

    def stop(kind_title):
        s.send("continue")
        # the stop: title after a blank line, values, frame
        m = s.expect(RE_TITLE, timeout=120)
        assert m.group(1) == kind_title, m.group(0)
        s.expect(r"^$")
        v = s.expect(r"^(Old value|Value) = (-?\d+)$")
        if v.group(1) == "Old value":
            new = s.expect(r"^New value = (-?\d+)$").group(1)
            vals = (v.group(2), new)
        else:
            vals = (v.group(2),)
        line = int(s.expect(RE_WHERE).group(1))
        got.append((kind_title, int(m.group(2)), vals, line))

    # i = 1, total = 0: the write of native_add's result
    s.send("watch total")
    s.expect(r"^Hardware watchpoint 2: total$")
    stop("watchpoint")
    s.send("delete 2")
    # i = 2: total (1) is read for native_add(total, sq)
    s.send("rwatch total")
    s.expect(r"^Hardware read watchpoint 3: total$")
    stop("read watchpoint")
    s.send("delete 3")
    # the next access is the write of 1 + 4
    s.send("awatch total")
    s.expect(r"^Hardware access \(read/write\) watchpoint 4: total$")
    stop("access (read/write) watchpoint")
    s.send("info watchpoints")
    s.expect(r"^4\s+acc watchpoint\s+y\s+1\s+total \[0x[0-9a-f]+, 4 bytes \(int\)")
    s.send("delete 4")
    assert [(g[0], g[1], g[2]) for g in got] == [
        ("watchpoint", 2, ("0", "1")),
        ("read watchpoint", 3, ("1",)),
        ("access (read/write) watchpoint", 4, ("1", "5")),
    ], got
    assert all(nc("compute_loop") <= g[3] <= nc("compute_return") for g in got), got
    s.send("continue")
    s.expect(r"^Interop: compute\(5\) = 55$", timeout=120)
    s.expect(r"^Process \d+ exited with code 0$", timeout=120)
    s.close_stdin()
    s.wait()
    s.check_no_crash()


def test_managed_variables_and_managed_sessions_are_refused_with_why():
    line = find_mark("Interop", "pinvoke_compute")
    # mixed mode, at a managed stop: a C# local is not native memory
    res = cdb.batch([cdb.program("Interop"), "basic"], ["break Program.cs:%d" % line, "run", "watch computed", "continue"],
                    options=["--mixed"], timeout=120)
    errs = res.error_lines()
    assert len(errs) == 1, errs
    assert 'No symbol "computed" in current context. (watchpoints watch native memory: a managed variable cannot be watched)' in errs[0], errs
    res.has(r"^Interop: compute\(5\) = 55$")
    # managed mode: no native engine, no watchpoints
    res = cdb.batch([cdb.program("Interop"), "basic"], ["break Program.cs:%d" % line, "run", "watch computed", "continue"],
                    timeout=120)
    errs = res.error_lines()
    assert len(errs) == 1 and "need mixed or native mode" in errs[0], errs
    res.has(r"^Interop: compute\(5\) = 55$")
