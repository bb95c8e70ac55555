"""Debugger.Break, Debugger.Log, info threads / info modules at a stop, continue to exit,
-x FILE, quit and the end of a batch with a live process, an interactive session."""

import os

import cdb
from cdb import batch, program


def _check_threads_at_break(res, start):
    """`info threads` after the Break line at index `start`: the stopped thread is current."""
    brk = res.grep(cdb.RE_BREAK)[0]
    h, rows = cdb.table(res, cdb.HEADER_THREADS, cdb.RE_THREAD_ROW, start)
    assert rows, "info threads printed no rows after its header %r" % res.lines[h]
    ids = [int(r.group(2)) for r in rows]
    assert len(set(ids)) == len(ids), "thread ids not unique: %r" % ids
    current = [r for r in rows if r.group(1) == "*"]
    assert len(current) == 1, "expected exactly one current (*) thread, got %d" % len(current)
    cur = current[0]
    assert (cur.group(2), cur.group(3)) == (brk.group(1), brk.group(2)), \
        "current thread %s (tid %s) is not the one that hit Debugger.Break (%s, tid %s)" % (
            cur.group(2), cur.group(3), brk.group(1), brk.group(2))
    return h, rows


def test_demo_break_threads_modules_continue():
    res = batch([program("Demo")], ["run", "info threads", "info modules", "continue"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    log = res.one(cdb.RE_LOG)
    assert (log.group(1), log.group(2)) == ("demo", "message from Demo"), log.group(0)
    brk_i = res.index(cdb.RE_BREAK)
    brk = res.one(cdb.RE_BREAK)
    tid = int(brk.group(2))
    # the main thread of the debuggee: its tid is the pid
    assert tid == pid, "Debugger.Break() on tid %d, but Demo calls it on its main thread (tid %d)" % (tid, pid)
    assert res.lines.index(log.string) < brk_i, "Log line should come before the Break stop"
    assert res.index(r"^Demo: starting$") < brk_i
    # nothing after the Break ran before `continue`
    result_i = res.index(r"^Demo: fib\(40\) = 102334155$")
    assert brk_i < result_i, "Demo's result line printed before it was continued"

    th, rows = _check_threads_at_break(res, brk_i)
    assert any(int(r.group(3)) == pid for r in rows), "main thread (tid == pid) not listed"
    assert th < result_i

    mh, mrows = cdb.table(res, cdb.HEADER_MODULES, cdb.RE_MODULE_ROW, brk_i)
    assert mh < result_i
    paths = {os.path.basename(r.group(3)): r for r in mrows}
    assert "Demo.dll" in paths, "info modules does not list Demo.dll"
    assert paths["Demo.dll"].group(2) == "yes", "Demo.dll: symbols %r" % paths["Demo.dll"].group(2)
    assert cdb.same_file(paths["Demo.dll"].group(3), program("Demo"))
    assert "System.Private.CoreLib.dll" in paths
    ids = [int(r.group(1)) for r in mrows]
    assert len(set(ids)) == len(ids), "module ids not unique: %r" % ids
    # info modules agrees with the Loaded lines printed before the stop
    loaded = {m.group(1): m.group(2) for m in res.grep(cdb.RE_LOADED)
              if res.lines.index(m.string) < brk_i}
    listed = {r.group(3): r.group(2) for r in mrows}
    assert set(loaded) == set(listed), "Loaded lines %r vs info modules %r" % (
        sorted(set(loaded) ^ set(listed)), "")
    for p, sym in loaded.items():
        assert (sym == "symbols loaded") == (listed[p] == "yes"), "symbols disagree for %s" % p

    assert cdb.exit_code(res, pid) == 7
    assert result_i < res.index(cdb.RE_EXITED)
    cdb.gone_or_fail(pid, "debuggee")


def test_logbreak_two_categories_two_breaks():
    res = batch([program("LogBreak")], ["run", "continue", "continue"])
    cdb.assert_ok(res)
    logs = [(m.group(1), m.group(2)) for m in res.grep(cdb.RE_LOG)]
    assert logs == [("first", "message one"), ("second", "message two"), (None, "message three")], logs
    brks = res.grep(cdb.RE_BREAK)
    assert len(brks) == 2, "expected two Debugger.Break() stops, got %d" % len(brks)
    assert brks[0].groups() == brks[1].groups(), "both breaks are on the same thread"
    res.hasnt(r"^LogBreak: no debugger attached$")
    b1 = res.lines.index(brks[0].string)
    b2 = len(res.lines) - 1 - res.lines[::-1].index(brks[1].string)
    between = res.index(r"^LogBreak: between$")
    end = res.index(r"^LogBreak: end$")
    assert b1 < between < b2 < end, "program output and stops out of order"
    assert cdb.exit_code(res, cdb.started_pid(res)) == 0


def test_x_file_runs_commands():
    d = cdb.tmpdir()
    script = os.path.join(d, "cmds")
    with open(script, "w") as f:
        f.write("run\ninfo threads\ncontinue\n")
    res = cdb.run(["--batch", "-x", script, "--", program("Demo")])
    cdb.assert_ok(res)
    brk_i = res.index(cdb.RE_BREAK)
    _check_threads_at_break(res, brk_i)
    assert cdb.exit_code(res, cdb.started_pid(res)) == 7


def test_ex_after_x_file_in_order():
    # -x and -ex run in the order given
    d = cdb.tmpdir()
    script = os.path.join(d, "cmds")
    with open(script, "w") as f:
        f.write("run\n")
    res = cdb.run(["--batch", "-x", script, "-ex", "continue", "--", program("Demo")])
    cdb.assert_ok(res)
    res.one(cdb.RE_BREAK)
    assert cdb.exit_code(res, cdb.started_pid(res)) == 7


def test_batch_end_kills_live_process():
    res = batch([program("Demo")], ["run"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    res.one(cdb.RE_BREAK)
    m = res.one(cdb.RE_KILLING_BATCH)
    assert int(m.group(1)) == pid
    res.hasnt(r"^Demo: fib")
    res.hasnt(cdb.RE_EXITED)
    cdb.gone_or_fail(pid, "debuggee")


def test_quit_in_batch_kills_live_process():
    res = batch([program("Demo")], ["run", "quit", "continue"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    res.one(cdb.RE_BREAK)
    ms = res.grep(r"^(?:Killing|Killed) process (\d+)\b")
    assert ms, "quit did not say it killed the process"
    assert all(int(m.group(1)) == pid for m in ms), [m.group(0) for m in ms]
    res.hasnt(r"^Demo: fib")  # `continue` after quit never ran
    cdb.gone_or_fail(pid, "debuggee")


def test_interactive_session():
    s = cdb.Session([program("Demo")])
    s.send("run")
    pid = int(s.expect(cdb.RE_STARTED).group(1))
    s.expect(r"^Log \[demo\]: message from Demo$")
    brk = s.expect(cdb.RE_BREAK)
    s.send("info threads")
    s.expect(cdb.HEADER_THREADS)
    row = s.expect(r"^\s*\*\s*%s\s+%s\s+\S" % (brk.group(1), brk.group(2)))
    s.send("c")
    s.expect(r"^Demo: fib\(40\) = 102334155$")
    m = s.expect(cdb.RE_EXITED)
    assert (int(m.group(1)), int(m.group(2))) == (pid, 7), m.group(0)
    s.send("quit")
    st = s.wait(30)
    assert st == 0, "cordbg exit status %d after quit" % st
    assert not [l for l in s.stderr.splitlines() if l.startswith("error: ")], s.stderr
    del row


def test_interactive_eof_ends_session():
    # stdin closed with no process: cordbg ends by itself, status 0
    s = cdb.Session([program("Hello")])
    s.send("run")
    s.expect(r"^Process \d+ exited with code 0$")
    s.close_stdin()
    assert s.wait(30) == 0
