"""Mixed mode and the runtime's libraries (issue 19, items 2 and 5): `cordbg --mixed` on
tests/programs/Interop. Breakpoints on the P/Invoke shims' functions (libSystem.Native.so:
.dynsym only) bind and stop, with the managed callers under them; breakpoints in the
runtime's own libraries (libcoreclr, libclrjit) are refused with the reason, never left
pending in silence; `info registers` at a managed frame shows the thread's segment
registers and fs_base (not 0)."""

import re

import cdb
from cdb import RE_NHIT, RE_FRAME, RE_HIT, RE_BP_BOUND, RE_BP_ROW, HEADER_BREAKPOINTS
from cdb import find_mark


def cs(mark):
    return find_mark("Interop", mark)


def mbatch(args, commands, **kw):
    kw.setdefault("timeout", 120)
    return cdb.batch([cdb.program("Interop")] + list(args), commands, options=["--mixed"], **kw)


BASIC_OUT = (r"^Interop: native_add\(2, 3\) = 5$", r"^Interop: compute\(5\) = 55$",
             r"^Interop: call_back\(Twice, 7\) = 15$", r"^Interop: native_nested\(3\) = 3$")


def basic_output(res):
    idx = [res.lines.index(res.one(p).string) for p in BASIC_OUT]
    assert idx == sorted(idx), "Basic's output out of order"
    return idx


def test_break_on_libsystem_native_functions_stops_with_managed_callers():
    res = mbatch([], ["break SystemNative_Write", "break libSystem.Native.so!SystemNative_Read", "run",
                      "bt -full", "info breakpoints", "delete 1", "continue"])
    cdb.assert_ok(res)
    bound = [(m.group(1), re.sub(r"^0x[0-9a-f]+: ", "", m.group(2)))
             for m in (re.match(RE_BP_BOUND, l) for l in res.lines) if m]
    assert bound == [("1", "SystemNative_Write+0x0 (libSystem.Native.so)"),
                     ("2", "SystemNative_Read+0x0 (libSystem.Native.so)")], bound
    hs = cdb.stops(res, RE_NHIT)
    assert len(hs) == 1, [h.group(0) for _, h in hs]
    i, h = hs[0]
    assert (h.group(1), h.group(2), h.group(3), h.group(4), h.group(5)) == \
        ("1", "1", "SystemNative_Write", "0", "libSystem.Native.so"), h.group(0)
    # stopped before Basic's first line of output was written
    out = basic_output(res)
    assert out[0] > i
    fr = cdb.bt_frames(res, i, RE_FRAME)
    assert fr[0][1] == "SystemNative_Write+0x0 (libSystem.Native.so)", fr
    # the managed callers: Console.WriteLine called from Basic, on the line after the P/Invoke
    whats = [f[1] for f in fr]
    assert any(w.startswith("System.Console.WriteLine(") for w in whats), fr
    basic = [f for f in fr if f[1] == "Interop.Program.Basic()"]
    assert basic and (basic[0][2], basic[0][3]) == ("Program.cs", cs("pinvoke_add") + 1), fr
    rows = [m for m in (re.match(RE_BP_ROW, l) for l in res.lines) if m]
    assert [(m.group(1), m.group(4), m.group(6)) for m in rows] == \
        [("1", "1", "bound, 1 location"), ("2", "0", "bound, 1 location")], [m.group(0) for m in rows]
    cdb.finish_ok(res, 0)


REFUSED = r"^error: %s is the runtime's own library: mixed mode places no breakpoints in it \(cordbg --native can\)$"


def test_breakpoints_in_the_runtimes_own_libraries_are_refused():
    add = cs("pinvoke_add")
    res = mbatch([], ["break libclrjit.so!getJit", "break Program.cs:%d" % add, "run",
                      "break libcoreclr.so!coreclr_execute_assembly", "break coreclr_initialize",
                      "info breakpoints", "continue"])
    # the two breakpoints set at the stop fail, one line each; the session goes on
    errs = res.error_lines()
    assert len(errs) == 2, errs
    assert all(re.match(REFUSED % r"libcoreclr\.so", e) for e in errs), errs
    hs = cdb.hits(res)
    assert [(h.group(2), int(h.group(5))) for h in hs] == [("2", add)], [h.group(0) for h in hs]
    # the one set before run stays pending once libclrjit.so is loaded, saying why
    h = res.index(HEADER_BREAKPOINTS)
    rows = [m for m in (re.match(RE_BP_ROW, l) for l in res.lines[h + 1:]) if m]
    assert [(m.group(1), m.group(6)) for m in rows] == [("1", "pending"), ("2", "bound, 1 location")], \
        [m.group(0) for m in rows]
    assert "libclrjit.so is the runtime's own library" in rows[0].group(0), rows[0].group(0)
    basic_output(res)
    pid = cdb.started_pid(res)
    assert cdb.exit_code(res, pid) == 0
    cdb.gone_or_fail(pid, "debuggee")


RE_REG_ROW = r"^([a-z][a-z0-9_]*)\s{2,}(\S.*)$"


def reg_tables(res, start=0):
    """Every `info registers` table at/after stdout line `start`: [{name: value}], value an
    int or "<unavailable>"."""
    tables, cur = [], None
    for line in res.lines[start:]:
        m = re.match(RE_REG_ROW, line)
        if m and m.group(1) == "rax":
            cur = {}
            tables.append(cur)
        if m and cur is not None:
            v = m.group(2)
            cur[m.group(1)] = int(v.split()[0], 16) if v.startswith("0x") else v
        elif not m:
            cur = None
    return tables


SEGS = ("cs", "ss", "ds", "es", "fs", "gs", "fs_base", "gs_base")
FP = ("st0", "xmm0", "xmm15", "mxcsr", "fctrl", "fstat")


def test_info_registers_at_managed_frame_has_the_threads_segments():
    compute = cs("pinvoke_compute")
    res = mbatch([], ["break Program.cs:%d" % compute, "break native_nested", "run", "info registers",
                      "up", "info registers", "continue", "info registers", "delete", "continue"])
    cdb.assert_ok(res)
    mh = cdb.hits(res, bp=1)
    assert [(h.group(1), int(h.group(5))) for h in mh] == [("1", compute)], [h.group(0) for h in mh]
    nh = cdb.stops(res, RE_NHIT)
    assert [(h.group(1), h.group(3)) for _, h in nh] == [("1", "native_nested")], [h.group(0) for _, h in nh]
    tables = [k for k, l in enumerate(res.lines) if re.match(r"^rax\s+0x", l)]
    assert len(tables) == 3 and tables[0] > mh[0].index and tables[2] > nh[0][0] > tables[1], tables
    managed, caller, native = reg_tables(res, tables[0])
    for name, regs in (("managed frame", managed), ("its caller", caller), ("native stop", native)):
        # x86-64 Linux user mode: cs 0x33, ss 0x2b; fs_base is the thread's TLS block
        assert regs["cs"] == 0x33 and regs["ss"] == 0x2b, "%s: cs %#x ss %#x" % (name, regs["cs"], regs["ss"])
        assert regs["fs_base"] != 0, "%s: fs_base is 0" % name
    # the same thread (1) at all three: the same thread-local block
    assert managed["fs_base"] == caller["fs_base"] == native["fs_base"], \
        (managed["fs_base"], caller["fs_base"], native["fs_base"])
    # the managed frame's own registers still (its rip is in JIT code, not the caller's)
    assert managed["rip"] != caller["rip"]
    basic_output(res)
    cdb.finish_ok(res, 0)


def test_registers_of_a_managed_caller_frame_mixed():
    # `up` to Main (a managed caller): segments and fs_base are still the thread's; the FP/SSE
    # state and the flags the runtime keeps for the frame it stopped in only
    compute = cs("pinvoke_compute")
    res = mbatch([], ["break Program.cs:%d" % compute, "run", "info registers all", "up", "info registers all",
                      "continue"])
    cdb.assert_ok(res)
    leaf, caller = reg_tables(res, cdb.hits(res)[0].index)
    for regs in (leaf, caller):
        assert (regs["cs"], regs["ss"]) == (0x33, 0x2b) and isinstance(regs["fs_base"], int) and regs["fs_base"], regs
        assert all(isinstance(regs[r], int) for r in SEGS), regs
    assert leaf["fs_base"] == caller["fs_base"]
    # the frame stopped in has the x87/SSE state (a live control word and MXCSR)
    assert leaf["fctrl"] != 0 and leaf["mxcsr"] & 0x1f80 == 0x1f80, leaf
    assert [caller[r] for r in FP + ("eflags",)] == ["<unavailable>"] * (len(FP) + 1), caller
    assert caller["rip"] != leaf["rip"] and caller["rsp"] > leaf["rsp"]
    basic_output(res)
    cdb.finish_ok(res, 0)


def test_registers_managed_only_say_what_is_unavailable():
    # without the native side: the managed frame's registers from ICorDebug; what it does not
    # have (fs_base, gs_base, ds..gs; a caller's cs/ss, flags and FP state) is said so, never 0
    compute = cs("pinvoke_compute")
    res = cdb.batch([cdb.program("Interop")], ["break Program.cs:%d" % compute, "run", "info registers all",
                                                "up", "info registers", "continue"], timeout=120)
    cdb.assert_ok(res)
    leaf, caller = reg_tables(res, cdb.hits(res)[0].index)
    assert (leaf["cs"], leaf["ss"]) == (0x33, 0x2b), leaf
    assert [leaf[r] for r in SEGS[2:]] == ["<unavailable>"] * 6, leaf
    assert leaf["fctrl"] != 0 and leaf["xmm0"].startswith("{v4_float"), leaf
    assert isinstance(leaf["rip"], int) and leaf["rip"] and isinstance(leaf["rsp"], int), leaf
    assert [caller[r] for r in SEGS + ("eflags",)] == ["<unavailable>"] * 9, caller
    assert isinstance(caller["rip"], int) and caller["rip"] != leaf["rip"], caller
    # rip named by the jitted method it is in
    assert res.has(r"^rip\s+0x[0-9a-f]+\s+Interop\.Program\.Basic\(\)\+0x[0-9a-f]+$")
    assert res.has(r"^rip\s+0x[0-9a-f]+\s+Interop\.Program\.Main\(string\[\] args\)\+0x[0-9a-f]+$")
    basic_output(res)
    cdb.finish_ok(res, 0)
