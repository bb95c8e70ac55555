"""Attach to a running program; detach (it runs on to its normal end); kill; ps."""

import os
import re

import cdb
from cdb import program


@cdb.matrix("Sleeper")
def test_attach_info_threads_detach():
    d, release = cdb.sleeper()
    with d:
        res = cdb.run(["--batch", "--attach", str(d.pid), "-ex", "info threads", "-ex", "detach"])
        cdb.assert_ok(res)
        a = res.index(cdb.RE_ATTACHED)
        assert int(res.one(cdb.RE_ATTACHED).group(1)) == d.pid
        s = res.index(cdb.RE_STOPPED_ATTACHED)
        assert int(res.one(cdb.RE_STOPPED_ATTACHED).group(1)) == d.pid
        assert a < s
        h, rows = cdb.table(res, cdb.HEADER_THREADS, cdb.RE_THREAD_ROW, s)
        assert rows, "info threads printed no rows"
        tids = [int(r.group(3)) for r in rows]
        assert d.pid in tids, "main thread (tid %d) not in info threads: %r" % (d.pid, tids)
        for r in rows:
            tid = int(r.group(3))
            assert os.path.exists("/proc/%d/task/%d" % (d.pid, tid)), "tid %d is not a thread of %d" % (tid, d.pid)
            with open("/proc/%d/task/%d/comm" % (d.pid, tid)) as f:
                comm = f.read().strip()
            assert r.group(4) == comm, "thread %d: name %r, OS name %r" % (tid, r.group(4), comm)
        assert len([r for r in rows if r.group(1) == "*"]) == 1, "expected one current (*) thread"
        det = res.index(cdb.RE_DETACHED)
        assert int(res.one(cdb.RE_DETACHED).group(1)) == d.pid
        assert h < det
        res.hasnt(cdb.RE_KILLING_BATCH)
        res.hasnt(cdb.RE_KILLED)
        assert d.alive(), "Sleeper died after detach"
        cdb.release_and_finish(d, release)


def test_attach_short_option_and_interactive_detach():
    d, release = cdb.sleeper()
    with d:
        s = cdb.Session(["-p", str(d.pid)])
        s.expect(r"^Attached to process %d$" % d.pid)
        s.expect(r"^Process %d stopped \(attached\)$" % d.pid)
        s.send("info threads")
        s.expect(cdb.HEADER_THREADS)
        s.expect(r"^\s*\*?\s*\d+\s+%d\s+\S" % d.pid)
        s.send("detach")
        s.expect(r"^Detached from process %d$" % d.pid)
        s.send("quit")
        assert s.wait(30) == 0
        assert d.alive(), "Sleeper died after detach"
        cdb.release_and_finish(d, release)


def test_attach_continue_then_program_runs():
    # after attach the program is stopped; `continue` lets it run, and it finishes by itself
    d, release = cdb.sleeper()
    with d:
        s = cdb.Session(["--attach", str(d.pid)])
        s.expect(r"^Process %d stopped \(attached\)$" % d.pid)
        s.send("continue")
        open(release, "w").close()
        d.expect(r"^done$")
        _expect_attached_exit(s, d.pid)
        s.send("quit")
        assert s.wait(30) == 0
        assert d.wait(30) == 0


def _expect_attached_exit(s, pid):
    # cordbg is not the parent of a process it attached to, so the exit code may be unknown
    # to it: `Process PID exited with code N` or `Process PID exited (...)`
    m = s.expect(r"^Process (\d+) exited\b(?: with code (-?\d+)$)?", timeout=20)
    assert int(m.group(1)) == pid, m.group(0)
    assert m.group(2) in (None, "0"), m.group(0)


def test_attached_exit_noticed_while_zombie():
    # the parent has not reaped the program yet (it is a zombie): cordbg still sees it end
    release = os.path.join(cdb.tmpdir(), "release")
    with cdb.Debuggee("Sleeper", [release], reap=False) as d:
        d.wait_ready()
        s = cdb.Session(["--attach", str(d.pid)])
        s.expect(r"^Process %d stopped \(attached\)$" % d.pid)
        s.send("continue")
        open(release, "w").close()
        d.expect(r"^done$")
        _expect_attached_exit(s, d.pid)
        s.send("quit")
        assert s.wait(30) == 0
        assert d.wait(30) == 0


def test_attach_kill_zombie_parent_not_reaping():
    # kill must finish even if the program's parent does not reap it at once
    release = os.path.join(cdb.tmpdir(), "release")
    with cdb.Debuggee("Sleeper", [release], reap=False) as d:
        d.wait_ready()
        res = cdb.run(["--batch", "--attach", str(d.pid), "-ex", "kill"], timeout=30)
        cdb.assert_ok(res)
        assert int(res.one(cdb.RE_KILLED).group(1)) == d.pid
        assert d.wait(15) != 0


def test_attach_kill():
    d, release = cdb.sleeper()
    with d:
        res = cdb.run(["--batch", "--attach", str(d.pid), "-ex", "kill"])
        cdb.assert_ok(res)
        res.one(r"^Process %d stopped \(attached\)$" % d.pid)
        assert int(res.one(cdb.RE_KILLED).group(1)) == d.pid
        st = d.wait(15)  # the Sleeper is our child: wait for its exit
        assert st != 0, "Sleeper exited normally (%s) instead of being killed" % st
        res.hasnt(cdb.RE_DETACHED)
        assert "done" not in d.stdout


@cdb.matrix("Sleeper")
def test_detach_then_reattach():
    # a detached program can be attached again (the runtime's debugger state was restored)
    d, release = cdb.sleeper()
    with d:
        for _ in range(2):
            res = cdb.run(["--batch", "--attach", str(d.pid), "-ex", "detach"])
            cdb.assert_ok(res)
            res.one(r"^Detached from process %d$" % d.pid)
            assert d.alive()
        cdb.release_and_finish(d, release)


@cdb.matrix("Sleeper")
def test_ps_lists_running_program():
    d, release = cdb.sleeper()
    other = cdb.start_plain(["sleep", "30"])
    with d:
        res = cdb.run(["ps"])
        cdb.assert_ok(res)
        h, rows = cdb.table(res, cdb.HEADER_PS, r"^\s*(\d+)\s+(\S+)\s+(.*?)\s*$")
        assert h == 0, "ps header is not the first line"
        assert len(rows) == len(res.lines) - 1, "ps printed lines that are not rows: %r" % res.lines
        mine = [r for r in rows if int(r.group(1)) == d.pid]
        assert len(mine) == 1, "Sleeper pid %d not listed once by ps:\n%s" % (d.pid, res.stdout)
        row = mine[0]
        assert re.match(r"^\d+\.\d+", row.group(2)), "runtime version column: %r" % row.group(2)
        # a self-contained program's runtime: the version it was published with
        if cdb.RUNTIME:
            assert row.group(2).startswith(cdb.RUNTIME[3:] + "."), "runtime version column: %r" % row.group(2)
        assert "Sleeper.dll" in row.group(3) and release in row.group(3), \
            "command line column %r lacks the program and its argument" % row.group(3)
        pids = [int(r.group(1)) for r in rows]
        assert other.pid not in pids, "ps lists a non-.NET process (sleep, pid %d)" % other.pid
        cdb.release_and_finish(d, release)


def test_detach_with_bound_breakpoint_leaves_no_patch():
    # a breakpoint hit in the Sleeper's wait loop, then detach: the loop keeps running that
    # line; a patch left behind would kill the program with SIGTRAP
    d, release = cdb.sleeper()
    line = cdb.find_mark("Sleeper", "wait")
    with d:
        res = cdb.run(["--batch", "--attach", str(d.pid), "-ex", "break Program.cs:%d" % line,
                       "-ex", "continue", "-ex", "info breakpoints", "-ex", "detach"])
        cdb.assert_ok(res)
        res.has(r"^Breakpoint 1 at Program\.cs:%d$" % line)
        res.has(r"^Thread \d+ hit Breakpoint 1, Program\.Main\(string\[\] args\) at Program\.cs:%d$" % line)
        res.has(cdb.RE_DETACHED)
        assert d.alive(), "Sleeper died after detach"
        cdb.release_and_finish(d, release)
