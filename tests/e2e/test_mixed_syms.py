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
