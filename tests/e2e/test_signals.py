"""Signals: Ctrl-C (SIGINT) breaks into a running program; SIGTERM and SIGHUP end cordbg
without leaving the program held; a cordbg killed outright does not leave it held either."""
import os
import signal

import cdb


def _sleeper_session(extra=()):
    release = os.path.join(cdb.tmpdir(), "release")
    s = cdb.Session(list(extra) + [cdb.program("Sleeper"), release])
    return s, release


def test_sigint_pauses_then_breakpoint_after_pause():
    s, release = _sleeper_session()
    s.send("run")
    m = s.expect(r"^ready (\d+)$")
    pid = int(m.group(1))
    s.proc.send_signal(signal.SIGINT)
    s.expect(r"^Process %d paused, thread \d+ \(tid %d\)$" % (pid, pid))
    s.expect(r"^Program\.Main\(string\[\] args\) at Program\.cs:\d+$")
    # and where every thread is
    s.expect(r"^\s*Id\s+Tid\s+Name$")
    s.expect(r'^\*\s*1\s+%d\s+"dotnet"' % pid)
    assert cdb.pid_alive(pid), "the program died of the SIGINT meant for cordbg"
    line = cdb.find_mark("Sleeper", "wait")
    s.send("break Program.cs:%d" % line)
    s.expect(r"^Breakpoint 1 at Program\.cs:%d$" % line)
    s.send("continue")
    s.expect(r"^Thread \d+ hit Breakpoint 1, Program\.Main\(string\[\] args\) at Program\.cs:%d$" % line)
    s.send("delete 1")
    open(release, "w").close()
    s.send("continue")
    s.expect(r"^done$")
    s.expect(r"^Process %d exited with code 0$" % pid)
    s.send("quit")
    assert s.wait() == 0


def test_sigint_at_prompt_is_harmless():
    s, release = _sleeper_session()
    s.send("help run")
    s.expect(r"^run \[ARGS\.\.\.\]$")
    s.proc.send_signal(signal.SIGINT)   # no program running: nothing to pause
    s.send("info breakpoints")
    s.expect(r"^No breakpoints\.$")
    s.send("quit")
    assert s.wait() == 0


def test_sigterm_kills_launched_program_and_exits():
    s, release = _sleeper_session()
    s.send("run")
    pid = int(s.expect(r"^ready (\d+)$").group(1))
    s.proc.send_signal(signal.SIGTERM)
    status = s.wait()
    assert status == 128 + signal.SIGTERM, status
    assert cdb.wait_pid_gone(pid), "the program outlived cordbg's SIGTERM"


def test_sighup_detaches_attached_program():
    release = os.path.join(cdb.tmpdir(), "release")
    with cdb.Debuggee("Sleeper", [release]) as d:
        d.wait_ready()
        s = cdb.Session(["--attach", str(d.pid)])
        s.expect(r"^Process %d stopped \(attached\)$" % d.pid)
        s.proc.send_signal(signal.SIGHUP)
        assert s.wait() == 128 + signal.SIGHUP
        assert d.alive(), "SIGHUP to cordbg killed an attached program"
        open(release, "w").close()
        assert d.wait() == 0, "the attached program did not finish after cordbg left"
        assert "done" in d.stdout


def test_killed_cordbg_does_not_leave_program_held():
    # SIGKILL cannot be handled; cordbg's keeper process sees it gone and ends the
    # program it launched rather than leave it stopped at a breakpoint forever
    line = cdb.find_mark("Sleeper", "wait")
    s, release = _sleeper_session()
    s.send("break Program.cs:%d" % line)
    s.send("run")
    pid = int(s.expect(r"^ready (\d+)$").group(1))
    s.expect(r"^Thread \d+ hit Breakpoint 1")
    s.proc.send_signal(signal.SIGKILL)
    s.proc.wait()
    assert cdb.wait_pid_gone(pid), "the program stayed held after cordbg was killed"
