"""Pause and one stop per place (issue 16, items 7 and 8), through the CLI: breakpoints on one
line through several spellings of its path make one stop that names them all; spellings with
`.` and `..` bind; Debugger.Break() on a line where a breakpoint has just stopped does not
stop again; Ctrl-C shows the thread that runs user code, not the main thread in its wait."""

import os
import re
import signal

import cdb
from cdb import batch, program, find_mark

RE_HITS = r"^Thread (\d+) hit Breakpoints? ([\d, and]+), (.+) at ([^\s:]+):(\d+)$"


def pm(mark):
    return find_mark("PauseCases", mark)


def _finish(res, code=0):
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    assert cdb.exit_code(res, pid) == code
    cdb.gone_or_fail(pid, "debuggee")


def _stops(res):
    """Every stop line of a breakpoint ("hit Breakpoint 1" or "hit Breakpoints 1, 2 and 3"):
    (index, [ids], method, line)."""
    out = []
    for i, l in enumerate(res.lines):
        m = re.search(RE_HITS, l)
        if m:
            ids = [int(x) for x in re.findall(r"\d+", m.group(2))]
            out.append((i, ids, m.group(3), int(m.group(5))))
    return out


def test_spellings_of_one_line_stop_once_naming_all():
    line = pm("dup")
    folder = os.path.join(cdb.PROGRAMS, "PauseCases")
    spellings = ["Program.cs",                                        # a file name
                 os.path.join(folder, "Program.cs"),                    # absolute
                 os.path.join(folder, "..", "PauseCases", "Program.cs"),  # absolute with ..
                 "PauseCases/./Program.cs"]                              # relative with .
    cmds = ["break %s:%d" % (p, line) for p in spellings]
    res = batch([program("PauseCases"), "dedup"], cmds + ["run", "continue", "info breakpoints", "delete", "continue"])
    _finish(res)
    # every spelling bound, to the same line
    bound = res.grep(cdb.RE_BP_BOUND)
    assert sorted(int(b.group(1)) for b in bound) == [1, 2, 3, 4], res.lines
    assert all(b.group(2) == "Program.cs:%d" % line for b in bound), [b.group(0) for b in bound]
    stops = _stops(res)
    assert len(stops) == 2, "one stop per pass over the line, not one per breakpoint: %r" % [res.lines[s[0]] for s in stops]
    for i, ids, method, at in stops:
        assert ids == [1, 2, 3, 4], res.lines[i]
        assert res.lines[i].startswith("Thread 1 hit Breakpoints 1, 2, 3 and 4, "), res.lines[i]
        assert method == "PauseCases.Program.Twice(int i)" and at == line, res.lines[i]
        cdb.source_line(res, i, line, "dup")
    # the program ran one pass of the line between the two stops: "dup 0" comes between them
    assert res.index(r"^dup 0$") > stops[0][0] and res.index(r"^dup 0$") < stops[1][0]
    assert res.index(r"^dup 1$") > stops[1][0]
    # each breakpoint counted both hits
    _, rows = cdb.table(res, cdb.HEADER_BREAKPOINTS, cdb.RE_BP_ROW)
    assert [(int(r.group(1)), int(r.group(4))) for r in rows] == [(1, 2), (2, 2), (3, 2), (4, 2)], [r.group(0) for r in rows]
    assert res.has(r"^dedup done$")


def test_dotdot_spelling_binds_from_cwd():
    # a relative path that climbs out of cordbg's working directory (tests/e2e here)
    line = pm("dup")
    rel = os.path.join("..", "programs", "PauseCases", "sub", "..", "Program.cs")
    here = os.path.join(cdb.REPO, "tests", "e2e")
    res = batch([program("PauseCases"), "dedup"], ["break %s:%d" % (rel, line), "run", "delete", "continue"], cwd=here)
    _finish(res)
    b = res.one(cdb.RE_BP_BOUND)
    assert b.group(2) == "Program.cs:%d" % line
    stops = _stops(res)
    assert [s[1] for s in stops] == [[1]] and stops[0][3] == line, res.lines


def test_disabled_one_of_two_at_a_place_still_stops_for_the_other():
    line = pm("dup")
    full = os.path.join(cdb.PROGRAMS, "PauseCases", "Program.cs")
    res = batch([program("PauseCases"), "dedup"],
                ["break Program.cs:%d" % line, "break %s:%d" % (full, line), "run",
                 "disable 1", "continue", "disable 2", "continue"])
    _finish(res)
    stops = _stops(res)
    assert [s[1] for s in stops] == [[1, 2], [2]], [res.lines[s[0]] for s in stops]
    assert res.has(r"^dup 2$") and res.has(r"^dedup done$")


def test_debugger_break_on_a_breakpoint_line_stops_once():
    brk = pm("brk")
    res = batch([program("PauseCases"), "brk"], ["break Program.cs:%d" % brk, "run", "continue", "continue", "continue"])
    _finish(res)
    stops = _stops(res)
    assert [(s[1], s[3]) for s in stops] == [([1], brk), ([1], brk)], [res.lines[s[0]] for s in stops]
    # no Debugger.Break() stop on the breakpoint's line: the only one is the second call's
    breaks = res.grep(cdb.RE_BREAK)
    assert len(breaks) == 1, [b.group(0) for b in breaks]
    i = res.index(cdb.RE_BREAK)
    assert res.lines[i + 1] == "PauseCases.Program.Main(string[] args) at Program.cs:%d" % pm("brk2"), res.lines[i + 1]
    # the first pass printed its line before the second stop, the second before the Break
    assert stops[0][0] < res.index(r"^brk 0$") < stops[1][0] < res.index(r"^brk 1$") < i
    assert res.index(r"^brk done$") > i


@cdb.matrix("PauseCases")
def test_sigint_shows_the_thread_running_user_code():
    release = os.path.join(cdb.tmpdir(), "release")
    s = cdb.Session([program("PauseCases"), "busy", release])
    s.send("run")
    pid = int(s.expect(r"^ready (\d+)$").group(1))
    s.proc.send_signal(signal.SIGINT)
    if cdb.RUNTIME == "net8.0":
        # .NET 8 cannot stop a thread in a loop that makes no calls: cordbg says so at each
        # Ctrl-C; the runtime's half-done suspension keeps the other threads stopped (the
        # program never sees its release). Killed from outside, the program's end is
        # noticed and the session goes on.
        pat = r"^error: cannot pause process %d: the runtime did not synchronize within \d+ ms$" % pid
        s.expect_err(pat)
        open(release, "w").close()
        s.proc.send_signal(signal.SIGINT)
        s.expect_err(pat)
        os.kill(pid, signal.SIGKILL)
        s.expect(r"^Process %d exited" % pid)
        s.send("quit")
        assert s.wait() == 0
        return
    m = s.expect(r"^Process %d paused, thread (\d+) \(tid (\d+)\)$" % pid)
    # not the main thread (thread 1, tid = pid) sleeping in its wait loop, but the spinner
    assert int(m.group(1)) != 1 and int(m.group(2)) != pid, m.group(0)
    # in the spin loop (a line of it, or the loop's hidden jump)
    at = s.expect(r"^PauseCases\.Program\.Spin\(\)(?: at Program\.cs:(\d+))?$")
    assert at.group(1) is None or pm("spin") - 2 <= int(at.group(1)) <= pm("spin"), at.group(0)
    # the table of threads marks that thread as the selected one, named "spinner"
    s.expect(r'^\*\s*%s\s+%s\s+"' % (m.group(1), m.group(2)))
    s.send("info threads")
    s.expect(r'^\*\s*%s\s+%s\s+"spinner"' % (m.group(1), m.group(2)))
    s.send("bt 1")
    s.expect(r"^#0\s.*PauseCases\.Program\.Spin\(\)")
    open(release, "w").close()
    s.send("continue")
    s.expect(r"^busy done$")
    s.expect(r"^Process %d exited with code 0$" % pid)
    s.send("quit")
    assert s.wait() == 0


def test_breakpoint_at_the_entry_is_the_entry_stop():
    # where `start` stops (asked, not assumed: the entry's line is the entry's business)
    first = batch([program("PauseCases"), "dedup"], ["start", "kill"])
    e = first.one(cdb.RE_ENTRY)
    line = int(e.group(4))
    res = batch([program("PauseCases"), "dedup"], ["break Program.cs:%d" % line, "start", "info breakpoints", "continue"])
    _finish(res)
    stops = res.grep(r"^Thread \d+ stopped at entry \(Breakpoint 1\), PauseCases\.Program\.Main\(string\[\] args\) at Program\.cs:%d$" % line)
    assert len(stops) == 1, res.lines
    assert not _stops(res), "a second stop for the breakpoint at the entry: %r" % res.lines
    _, rows = cdb.table(res, cdb.HEADER_BREAKPOINTS, cdb.RE_BP_ROW)
    assert [(int(r.group(1)), int(r.group(4))) for r in rows] == [(1, 1)], [r.group(0) for r in rows]
    assert res.has(r"^dedup done$")
