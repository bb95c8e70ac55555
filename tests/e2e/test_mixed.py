"""Mixed mode: `cordbg --mixed` on tests/programs/Interop (C# P/Invoking tests/native/*.c),
with the managed and the native engines on one process. Native breakpoints with mixed call
stacks; finish from native code back to C#; step from C# into native code; a managed
breakpoint in a reverse P/Invoke callback; the runtime's own signals passing through; a
native crash; libraries without DWARF; thread churn; detach; registers."""

import os
import re

import cdb
from cdb import RE_NLOC, RE_NHIT, RE_FRAME, RE_INSN, RE_SIGNAL, RE_SHLIB, RE_REG, GP_REGS
from cdb import find_mark


BASIC = "Interop.Program.Basic()"
MAIN = "Interop.Program.Main(string[] args)"


def cs(mark):
    return find_mark("Interop", mark)


def nc(mark):
    return find_mark("native", mark, file="native.c")


def main_line(call):
    """The line of Main's switch that runs `return CALL;` / `CALL;` (e.g. "Basic()")."""
    path = os.path.join(cdb.PROGRAMS, "Interop", "Program.cs")
    with open(path, encoding="utf-8") as f:
        lines = f.read().splitlines()
    start = next(i for i, l in enumerate(lines) if "static int Main(" in l)
    for i in range(start, len(lines)):
        if call in lines[i]:
            return i + 1
    raise AssertionError("no %r in Main" % call)


def mbatch(args, commands, **kw):
    """cordbg --batch --mixed -ex ... -- Interop.dll ARGS..."""
    kw.setdefault("timeout", 120)
    return cdb.batch([cdb.program("Interop")] + list(args), commands, options=["--mixed"], **kw)


def msession(args=()):
    return cdb.Session(["--mixed", cdb.program("Interop")] + list(args))


def frames(res, start):
    """The bt printed at or after stdout line `start`, without the runtime's transition
    markers ([managed to unmanaged transition] ...): [(n, what, file, line)], in order."""
    return [f for f in cdb.bt_frames(res, start, RE_FRAME) if not f[1].startswith("[")]


native_fn = cdb.native_fn
registers = cdb.registers
finish_ok = cdb.finish_ok


BASIC_OUT = (r"^Interop: native_add\(2, 3\) = 5$", r"^Interop: compute\(5\) = 55$",
             r"^Interop: call_back\(Twice, 7\) = 15$", r"^Interop: native_nested\(3\) = 3$")


def basic_output(res):
    """Basic's four result lines, once each and in order."""
    idx = [res.lines.index(res.one(p).string) for p in BASIC_OUT]
    assert idx == sorted(idx), "Basic's output out of order"
    return idx


# ---------------------------------------------------------------- native stops in a .NET process

@cdb.matrix("Interop")
def test_native_breakpoint_mixed_bt():
    init = nc("compute_init")
    res = mbatch([], ["break compute", "run", "bt", "info registers", "continue"])
    cdb.assert_ok(res)
    hs = cdb.stops(res, RE_NHIT)
    assert len(hs) == 1, [m.group(0) for _, m in hs]
    i, h = hs[0]
    assert (h.group(2), h.group(3), h.group(5), h.group(6), int(h.group(7))) == \
        ("1", "compute", "libnative.so", "native.c", init), h.group(0)
    cdb.source_line(res, i, init, "compute_init")
    fr = frames(res, i)
    # the native frame first, then its managed callers, innermost first
    assert native_fn(fr[0][1]) == ("compute", "libnative.so") and fr[0][2:] == ("native.c", init), fr
    assert fr[1][1:] == (BASIC, "Program.cs", cs("pinvoke_compute")), fr
    assert fr[2][1:] == (MAIN, "Program.cs", main_line("return Basic();")), fr
    # under Main: only the runtime's and the host's frames (native, or folded into a marker)
    assert all(native_fn(w) or w.startswith("0x") for _, w, _, _ in fr[3:]), fr
    # registers are the native frame's
    regs = registers(res, i)
    assert regs["rip"][1] == "compute+0x%s (libnative.so)" % h.group(4), regs["rip"]
    idx = basic_output(res)
    assert idx[0] < i < idx[1], "the stop is not between native_add's and compute's results"
    finish_ok(res)


def test_finish_from_native_returns_to_managed_caller():
    line = cs("pinvoke_compute")
    res = mbatch([], ["break compute", "run", "finish", "bt", "next", "continue"])
    cdb.assert_ok(res)
    i, h = cdb.stops(res, RE_NHIT)[0]
    assert h.group(3) == "compute", h.group(0)
    # finish: back in Basic, on the P/Invoke's line (the assignment is still to come)
    f = res.index(r"^%s at Program\.cs:(\d+)$" % re.escape(BASIC), i)
    assert res.lines[f] == "%s at Program.cs:%d" % (BASIC, line), res.lines[f]
    cdb.source_line(res, f, line, "pinvoke_compute")
    fr = frames(res, f)
    assert fr[0][1:] == (BASIC, "Program.cs", line) and fr[1][1] == MAIN, fr
    # compute's result is printed by the next line, not before the finish
    c = res.index(r"^Interop: compute\(5\) = 55$")
    assert c > f
    n = res.index(r"^%s at Program\.cs:%d$" % (re.escape(BASIC), line + 1), f + 1)
    assert n < c, "next did not stop on the line after the P/Invoke"
    finish_ok(res)


def test_step_from_managed_into_native():
    line = cs("pinvoke_compute")
    init = nc("compute_init")
    res = mbatch([], ["break Program.cs:%d" % line, "run", "step", "bt", "continue"])
    cdb.assert_ok(res)
    hs = cdb.hits(res)
    assert len(hs) == 1 and (hs[0].method, hs[0].file, hs[0].line) == (BASIC, "Program.cs", line), \
        [res.lines[h.index] for h in hs]
    locs = [(i, m) for i, m in cdb.stops(res, RE_NLOC) if i > hs[0].index]
    assert locs, "step from the P/Invoke line did not stop in native code"
    i, m = locs[0]
    assert (m.group(1), m.group(3), m.group(4), int(m.group(5))) == ("compute", "libnative.so", "native.c", init), \
        m.group(0)
    cdb.source_line(res, i, init, "compute_init")
    fr = frames(res, i)
    assert native_fn(fr[0][1]) == ("compute", "libnative.so") and fr[1][1:] == (BASIC, "Program.cs", line), fr
    basic_output(res)
    finish_ok(res)


def test_managed_breakpoint_in_reverse_pinvoke_callback():
    body = cs("twice_body")
    res = mbatch([], ["break Program.cs:%d" % body, "run", "bt", "continue"])
    cdb.assert_ok(res)
    hs = cdb.hits(res)
    assert len(hs) == 1, [res.lines[h.index] for h in hs]
    h = hs[0]
    assert (h.method, h.file, h.line) == ("Interop.Program.Twice(int x)", "Program.cs", body), res.lines[h.index]
    cdb.source_line(res, h.index, body, "twice_body")
    fr = frames(res, h.index)
    # Twice, called by native call_back, called by Basic through the P/Invoke
    assert re.fullmatch(r"Interop\.Program\.Twice\(int x(?: = 7)?\)", fr[0][1]) and \
        fr[0][2:] == ("Program.cs", body), fr
    assert native_fn(fr[1][1]) == ("call_back", "libnative.so") and fr[1][2:] == ("native.c", nc("callback_call")), fr
    assert fr[2][1:] == (BASIC, "Program.cs", cs("pinvoke_callback")), fr
    assert fr[3][1] == MAIN, fr
    basic_output(res)
    finish_ok(res)


def test_nullref_runtime_sigsegv_passes_through():
    res = mbatch(["nullref"], ["run"], timeout=180)
    cdb.assert_ok(res)
    res.one(r"^Interop: caught 1000$")
    res.hasnt(RE_SIGNAL)
    res.hasnt(r"^Thread \d+ hit ")
    basic_output(res)
    finish_ok(res)


test_nullref_runtime_sigsegv_passes_through.timeout = 240


def test_crash_segv_stops_in_native_code():
    crash = nc("crash_segv")
    s = msession(["crash-segv"])
    s.send("run")
    pid = int(s.expect(cdb.RE_STARTED).group(1))
    m = s.expect(RE_SIGNAL)
    assert (m.group(3), m.group(5)) == ("SIGSEGV", "0x0"), m.group(0)
    loc = s.expect(RE_NLOC)
    assert (loc.group(1), loc.group(3), loc.group(4), int(loc.group(5))) == \
        ("native_crash", "libnative.so", "native.c", crash), loc.group(0)
    s.expect(r"^%d\t.*%s" % (crash, cdb.mark_re("crash_segv")))
    s.send("bt")
    s.expect(r"^#0\s+native_crash\+0x[0-9a-f]+ \(libnative\.so\) at native\.c:%d$" % crash)
    nxt = s.expect(r"^#1\s+(.*)$")
    if nxt.group(1).startswith("["):     # a transition marker may come between
        nxt = s.expect(r"^#2\s+(.*)$")
    assert nxt.group(1) == "%s at Program.cs:%d" % (MAIN, cs("pinvoke_crash_segv")), nxt.group(0)
    # continue: the runtime's handler sees it is not managed code and gives up; the fault
    # repeats (and may stop once more, at the same place) until the process dies of it
    for _ in range(3):
        s.send("continue")
        m = s.expect(r"^(?:Process %d was killed by signal 11 \(Segmentation fault\)|Thread \d+ \(tid \d+\) received signal (SIG\w+).*)$" % pid)
        if m.group(0).startswith("Process"):
            break
        assert m.group(1) == "SIGSEGV", m.group(0)
        loc = s.expect(RE_NLOC)
        assert (loc.group(1), int(loc.group(5))) == ("native_crash", crash), loc.group(0)
    else:
        raise AssertionError("the process did not die of its SIGSEGV after 3 continues")
    s.send("quit")
    assert s.wait() == 0
    cdb.gone_or_fail(pid, "debuggee")


def test_main_thread_is_thread_1_at_native_and_managed_stops():
    # as in managed mode, the main thread is thread 1 (it used to vary from run to run, 1 to 4)
    res = mbatch([], ["break compute", "break Program.cs:%d" % cs("twice_body"), "run", "continue",
                      "info threads", "continue"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    hits = [l for l in res.lines if re.match(r"^Thread \d+ hit Breakpoint \d+, ", l)]
    assert len(hits) == 2 and all(l.startswith("Thread 1 hit ") for l in hits), hits
    rows = [m for m in (re.match(cdb.RE_THREAD_ROW, l) for l in res.lines) if m]
    main = [m for m in rows if int(m.group(3)) == pid]
    assert main and main[0].group(2) == "1" and main[0].group(1) == "*", [m.group(0) for m in rows]
    finish_ok(res)


# ---------------------------------------------------------------- libraries without DWARF

def test_plain_symbols_only_and_stripped_library():
    res = mbatch(["plain"], ["break plain_work", "break libstripped.so!plain_work", "run", "bt",
                             "continue", "bt", "info breakpoints", "continue"])
    cdb.assert_ok(res)
    hs = cdb.stops(res, RE_NHIT)
    got = [(h.group(2), h.group(3), h.group(5), h.group(6)) for _, h in hs]
    # no line table: the stop names FUNC+OFF (MODULE) and no file
    assert got == [("1", "plain_work", "libplain.so", None), ("2", "plain_work", "libstripped.so", None)], \
        [h.group(0) for _, h in hs]
    for (i, h), mark in zip(hs, ("pinvoke_plain", "pinvoke_stripped")):
        assert not re.match(r"^\d+\t", res.lines[i + 1]), "a source line after a stop without one: %r" % res.lines[i + 1]
        fr = frames(res, i)
        assert native_fn(fr[0][1]) == ("plain_work", h.group(5)) and fr[0][2] is None, fr
        assert fr[1][1:] == ("Interop.Program.Plain()", "Program.cs", cs(mark)), fr
    a = res.index(r"^Interop: plain_work\(10\) = 45$")
    b = res.index(r"^Interop: stripped plain_work\(10\) = 45$")
    assert hs[0][0] < a < hs[1][0] < b
    t = cdb.bp_tables(res)[-1][1]
    assert t[2].group(6) == "bound, 1 location" and t[2].group(4) == "1", t[2].group(0)
    finish_ok(res)


# ---------------------------------------------------------------- threads

def test_churn_completes():
    # 500 native threads created and joined one after another. It used to hang about 1 run
    # in 10 (more under load): the main thread left in its clone ptrace stop, after a
    # use-after-free of a Thread * in src/native/nt.c. Five runs to catch a race.
    for _ in range(5):
        res = mbatch(["churn"], ["run"], timeout=60)
        cdb.assert_ok(res)
        res.one(r"^Interop: churn 500$")
        res.hasnt(RE_SIGNAL)
        finish_ok(res)


test_churn_completes.timeout = 400


# ---------------------------------------------------------------- detach

def test_detach_at_native_breakpoint_leaves_process_running():
    s = msession(["loop"])
    s.send("break native_add")
    s.send("run")
    pid = int(s.expect(cdb.RE_STARTED).group(1))
    s.expect(r"^Thread \d+ hit Breakpoint 1, native_add\+0x[0-9a-f]+ \(libnative\.so\) at native\.c:%d$"
             % nc("add_sum"))
    s.send("x/1i $pc")
    addr = int(s.expect(RE_INSN).group(2), 16)
    s.send("delete")
    cdb.detach_runs_free(s, pid, addr)
    s.send("quit")
    assert s.wait() == 0


# ---------------------------------------------------------------- registers

def test_info_registers_at_managed_breakpoint():
    body = cs("twice_body")
    res = mbatch([], ["break Program.cs:%d" % body, "run", "info registers", "continue"])
    cdb.assert_ok(res)
    h = cdb.hits(res)[0]
    regs = registers(res, h.index)
    missing = [r for r in GP_REGS if r not in regs]
    assert not missing, "info registers lacks %r" % missing
    assert re.fullmatch(r"\[(?: [A-Z]+)* \]", regs["eflags"][1]), regs["eflags"]
    finish_ok(res)


def test_registers_at_managed_breakpoint_are_the_managed_frames():
    # at a managed breakpoint the registers are the managed frame's (not those of the thread
    # parked in the runtime's futex wait)
    body = cs("twice_body")
    res = mbatch([], ["break Program.cs:%d" % body, "run", "info registers", "x/1i $pc", "info sharedlibrary",
                      "continue"])
    cdb.assert_ok(res)
    h = cdb.hits(res)[0]
    regs = registers(res, h.index)
    rip = regs["rip"][0]
    libs = [m for m in (re.match(RE_SHLIB, l) for l in res.lines) if m]
    assert libs, "no info sharedlibrary rows"
    inside = [m.group(4) for m in libs if int(m.group(1), 16) <= rip < int(m.group(2), 16)]
    # Twice's code is JIT-compiled: in no shared library
    assert not inside, "rip 0x%x (%s) is in %s, not in Twice's JIT code" % (rip, regs["rip"][1], inside[0])
    finish_ok(res)
