"""`cordbg --native` on programs that start other programs and on programs that block or
raise SIGTRAP (issue 19, item 5), against tests/native/nspawn.c. What gdb does by default:
a forked child (vfork too) is detached without cordbg's breakpoints and runs its exec'd
program alone; a SIGTRAP the program raises is a stop and is not passed on; a program that
blocks SIGTRAP (and has one pending) still stops at breakpoints and steps."""

import re

import cdb
from cdb import find_mark, RE_NHIT, RE_SIGNAL


def mark(name):
    return find_mark("native", name, file="nspawn.c")


def nspawn():
    return cdb.native_out("nspawn")


def nbatch(args, commands, **kw):
    return cdb.batch([nspawn()] + list(args), commands, options=["--native"], **kw)


def check_spawn(mode):
    # a breakpoint on a line only the child runs, and one the parent runs after it
    child_line = next(i + 1 for i, l in enumerate(open(nspawn_src()).read().splitlines()) if 'execl("/bin/sh"' in l)
    res = nbatch([mode], ["break nspawn.c:%d" % child_line, "break twice", "run", "bt", "continue"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    d = res.one(r"^Log \[native\]: Detaching after fork from child process (\d+)$")
    assert int(d.group(1)) != pid
    said = res.index(r"^nspawn: child says hi$")
    exited = res.index(r"^nspawn: child exited 7$")
    hs = cdb.stops(res, RE_NHIT)
    # only the parent's breakpoint, after the child ended
    assert [(h.group(2), h.group(3), int(h.group(7))) for _, h in hs] == [("2", "twice", mark("twice_body"))], \
        [h.group(0) for _, h in hs]
    assert said < exited < hs[0][0]
    res.index(r"^nspawn: twice\(20\) = 40$", hs[0][0])
    assert cdb.exit_code(res, pid) == 0
    cdb.gone_or_fail(int(d.group(1)), "child")


def nspawn_src():
    import os
    return os.path.join(cdb.REPO, "tests", "native", "nspawn.c")


def test_fork_then_exec_in_the_child():
    check_spawn("fork-exec")


def test_vfork_then_exec_in_the_child():
    check_spawn("vfork-exec")


def test_blocked_sigtrap_with_one_pending_still_breaks_and_steps():
    res = nbatch(["sigtrap"], ["break twice", "run", "next", "stepi", "continue"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    hs = cdb.stops(res, RE_NHIT)
    assert [(h.group(3), int(h.group(7))) for _, h in hs] == [("twice", mark("twice_body"))], \
        [h.group(0) for _, h in hs]
    # next: the following line of twice, not a signal stop
    n = res.index(r"^twice\+0x[0-9a-f]+ \(nspawn\) at nspawn\.c:%d$" % (mark("twice_body") + 1), hs[0][0])
    assert not res.grep(RE_SIGNAL), res.grep(RE_SIGNAL)
    assert res.index(r"^nspawn: twice\(20\) = 40$") > n
    assert cdb.exit_code(res, pid) == 0


def test_raised_sigtrap_stops_and_is_not_passed_on():
    res = nbatch(["raise"], ["run", "bt", "continue"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    sigs = res.grep(RE_SIGNAL)
    assert len(sigs) == 1 and "SIGTRAP" in sigs[0].group(0), [m.group(0) for m in sigs]
    i = res.index(RE_SIGNAL)
    fr = cdb.bt_frames(res, i, cdb.RE_FRAME)
    assert any(f[1].startswith("raise_trap+") for f in fr), fr
    # alone it dies of SIGTRAP; under cordbg, as under gdb, it goes on
    assert res.index(r"^nspawn: after the trap$") > i
    assert cdb.exit_code(res, pid) == 0
