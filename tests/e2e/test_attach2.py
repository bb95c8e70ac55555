"""Attach where it is hard: at once after start (runtime not up yet), to a process another
debugger holds, to one with debugging turned off or not .NET at all, an attached process
that exits while its parent does not reap it, and cordbg killed while attached (the
lifeline ends the runtime's debugging session so the program runs on)."""

import os
import re
import signal
import time

import cdb

MIXED = os.environ.get("CORDBG_MODE") == "mixed"


def _stop(procs):
    for p in procs:
        if p.poll() is None:
            p.kill()
        p.wait(timeout=10)


def test_attach_at_once_after_start_under_load():
    # the program was started a moment ago: no runtime in it yet; cordbg waits for it and
    # attaches, 20 times with both cores busy, in one cordbg session
    with cdb.BusyCores():
        s = cdb.Session([])
        s.send("echo warm")         # cordbg is up: the attach below comes at once
        s.expect(r"^warm$")
        for i in range(20):
            d, release = cdb.sleeper(ready=False)
            with d:
                s.send("attach %d" % d.pid)
                s.expect(r"^Attached to process %d$" % d.pid)
                s.expect(r"^Process %d stopped \(attached\)$" % d.pid)
                s.send("detach")
                s.expect(r"^Detached from process %d$" % d.pid)
                cdb.release_and_finish(d, release)
        s.send("quit")
        assert s.wait(30) == 0
        assert "error:" not in s.stderr, s.stderr


def test_second_debugger_refused_first_session_unharmed():
    d, release = cdb.sleeper(ready=False)
    line = cdb.find_mark("Sleeper", "wait")
    with d:
        d.wait_ready()
        first = cdb.Session(["--attach", str(d.pid)])
        first.expect(r"^Process %d stopped \(attached\)$" % d.pid)
        first.send("break Program.cs:%d" % line)
        first.send("continue")
        first.expect(r"^Thread \d+ hit Breakpoint 1, Program\.Main\(string\[\] args\) at Program\.cs:%d$" % line)
        # the second one is turned away at once, naming the holder, and never touches the
        # runtime's transport
        res = cdb.run(["--batch", "--attach", str(d.pid), "-ex", "info threads"], timeout=20)
        cdb.assert_failed(res, r"process %d \(dotnet\) is already being debugged: process %d \(cordbg\)"
                          % (d.pid, first.proc.pid))
        res.hasnt(cdb.RE_ATTACHED)
        # the first session goes on: print, continue (the loop hits again), detach
        first.send("print args.Length")
        first.expect(r"^(\$\d+ = )?1$")
        first.send("continue")
        first.expect(r"^Thread \d+ hit Breakpoint 1, Program\.Main\(string\[\] args\) at Program\.cs:%d$" % line)
        first.send("print polls >= 0")
        first.expect(r"^(\$\d+ = )?true$")
        first.send("detach")
        first.expect(r"^Detached from process %d$" % d.pid)
        first.send("quit")
        assert first.wait(30) == 0
        assert "error:" not in first.stderr, first.stderr
        cdb.release_and_finish(d, release)


def test_diagnostics_disabled_refused():
    for env in ({"DOTNET_EnableDiagnostics": "0"}, {"COMPlus_EnableDiagnostics_Debugger": "0"}):
        name = list(env)[0]
        d, release = cdb.sleeper(ready=False, env=env)
        with d:
            d.wait_ready()
            res = cdb.run(["--batch", "--attach", str(d.pid)], timeout=20)
            cdb.assert_failed(res, r"process %d \(dotnet\) was started with %s=0: its runtime does not "
                              r"allow a debugger" % (d.pid, re.escape(name)))
            res.hasnt(cdb.RE_ATTACHED)
            cdb.release_and_finish(d, release)


def test_attach_not_dotnet_refused():
    other = cdb.start_plain(["sleep", "60"])
    try:
        res = cdb.run(["--batch", "--attach", str(other.pid)], timeout=30)
        cdb.assert_failed(res, r"process %d \(sleep\) is not a \.NET process" % other.pid)
        res.hasnt(cdb.RE_ATTACHED)
        assert other.poll() is None, "the sleep process died"
    finally:
        _stop([other])


def test_attach_native_tracer_refused():
    # a process under a ptrace debugger (here: cordbg --native) is refused with its tracer
    other = cdb.start_plain(["sleep", "60"])
    try:
        tracer = cdb.Session(["--native", "--attach", str(other.pid)])
        tracer.expect(r"stopped", timeout=30)
        res = cdb.run(["--batch", "--attach", str(other.pid)], timeout=20)
        cdb.assert_failed(res, r"process %d \(sleep\) is already being debugged: process %d \(cordbg\) traces it"
                          % (other.pid, tracer.proc.pid))
        tracer.send("kill")
        tracer.send("quit")
        tracer.wait(30)
    finally:
        _stop([other])


def test_attached_exit_reported_while_zombie():
    # the test is the program's parent and does not reap it until cordbg has reported
    for how in ("exit", "kill"):
        d, release = cdb.sleeper(ready=False, reap=False)
        with d:
            d.wait_ready()
            s = cdb.Session(["--attach", str(d.pid)])
            s.expect(r"^Process %d stopped \(attached\)$" % d.pid)
            if how == "exit":
                s.send("continue")
                open(release, "w").close()
                m = s.expect(r"^Process %d (exited with code 0|exited \(exit code not known.*)$" % d.pid, timeout=30)
            else:
                os.kill(d.pid, signal.SIGKILL)   # while cordbg holds it stopped
                m = s.expect(r"^Process %d (was killed by signal 9 .*|exited \(exit code not known.*)$" % d.pid,
                             timeout=30)
            assert m.group(1).startswith(("exited with", "was killed")), \
                "the exit status of a zombie is readable: %r" % m.group(0)
            with open("/proc/%d/stat" % d.pid) as f:
                state = f.read().rsplit(")", 1)[1].split()[0]
            assert state == "Z", "reported only after the reaping? state %s" % state
            s.send("quit")
            assert s.wait(30) == 0
            assert "error:" not in s.stderr, s.stderr
            d.wait(10)


def _kill9_while_attached(stopped):
    d, release = cdb.sleeper(ready=False)
    line = cdb.find_mark("Sleeper", "wait")
    with d:
        d.wait_ready()
        s = cdb.Session(["--attach", str(d.pid)])
        s.expect(r"^Process %d stopped \(attached\)$" % d.pid)
        if stopped:
            s.send("break Program.cs:%d" % line)
            s.send("continue")
            s.expect(r"^Thread \d+ hit Breakpoint 1, Program\.Main\(string\[\] args\) at Program\.cs:%d$" % line)
        else:
            # a log point shows the program running under cordbg (and leaves a patch in
            # its loop that the runtime's detach must remove)
            s.send('logpoint Program.cs:%d "tick {polls}"' % line)
            s.send("continue")
            s.expect(r"^tick \d+$")
        os.kill(s.proc.pid, signal.SIGKILL)
        # its lifeline (which outlives it) says what it did on the stderr they share
        s.expect_err(r"^cordbg: the debugger of process %d ended without detaching; its lifeline "
                     r"detached it, and it runs on$" % d.pid, timeout=30)
        # the program is free: a new debugger attaches and detaches, and it runs to its end
        res = cdb.run(["--batch", "--attach", str(d.pid), "-ex", "info threads", "-ex", "detach"], timeout=30)
        cdb.assert_ok(res)
        res.one(r"^Detached from process %d$" % d.pid)
        assert d.alive()
        if not MIXED:
            cdb.release_and_finish(d, release)
            return
        # --mixed: cordbg also traced it, and the kernel let go of it when cordbg died; the
        # program runs on to its normal output but was seen to abort (SIGABRT) as it exits
        open(release, "w").close()
        d.wait(30)
        assert d.stdout == "ready %d\ndone\n" % d.pid, "Sleeper output: %r" % d.stdout


def test_kill9_cordbg_while_attached_and_stopped():
    _kill9_while_attached(stopped=True)


def test_kill9_cordbg_while_attached_and_running():
    _kill9_while_attached(stopped=False)
