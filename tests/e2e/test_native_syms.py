"""Native symbols beyond a library's own .symtab (issue 19, item 2): `cordbg --native` on
symprog (tests/native/symprog.c) linked with libsym.so (tests/native/symlib.c) built here in
four ways: .dynsym only (strip --strip-all), a separate debug file found by build-id or by
.gnu_debuglink under `set debug-file-directory DIR` (test-private directories, never
/usr/lib/debug), and MiniDebugInfo (.gnu_debugdata); `bt` through the C library names its
functions (.dynsym, and libc6-dbg's debug file found by build-id under /usr/lib/debug); on
the dotnet host, breakpoints in the runtime's .dynsym-only libraries and `bt` naming the
host's functions."""

import os
import re
import shutil
import subprocess

import cdb
from cdb import RE_NHIT, RE_FRAME, RE_BP_PENDING, RE_BP_AT, RE_BP_BOUND
from cdb import find_mark


def mark(name, file):
    return find_mark("native", name, file=file)


def run(argv, cwd):
    p = subprocess.run(argv, cwd=cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                       stderr=subprocess.STDOUT)
    assert p.returncode == 0, "%s failed (%d):\n%s" % (" ".join(argv), p.returncode,
                                                        p.stdout.decode("utf-8", "replace"))
    return p.stdout.decode("utf-8", "replace")


def build_id(path):
    out = run(["readelf", "-n", path], os.path.dirname(path))
    m = re.search(r"Build ID: ([0-9a-f]+)", out)
    return m.group(1) if m else None


def build(kind):
    """A fresh directory holding libsym.so built as `kind` and symprog linked with it (by
    rpath), plus, for the debug-file kinds, a debug directory DBG: (dir, dbg)."""
    d = cdb.tmpdir()
    lib = os.path.join(d, "libsym.so")
    src = cdb.NATIVE
    cc = ["gcc", "-O0", "-fPIC", "-shared", "-o", lib, os.path.join(src, "symlib.c")]
    dbg = os.path.join(d, "dbg")
    os.makedirs(dbg)
    if kind == "stripped":
        run(cc, d)
        run(["strip", "--strip-all", lib], d)
    elif kind == "build-id":
        run(cc[:1] + ["-g", "-Wl,--build-id=sha1"] + cc[1:], d)
        bid = build_id(lib)
        assert bid, "no build-id in %s" % lib
        os.makedirs(os.path.join(dbg, ".build-id", bid[:2]))
        run(["objcopy", "--only-keep-debug", lib, os.path.join(dbg, ".build-id", bid[:2], bid[2:] + ".debug")], d)
        run(["strip", "--strip-debug", "--strip-unneeded", lib], d)
    elif kind == "debuglink":
        run(cc[:1] + ["-g", "-Wl,--build-id=none"] + cc[1:], d)
        assert build_id(lib) is None
        run(["objcopy", "--only-keep-debug", lib, os.path.join(d, "libsym.so.debug")], d)
        run(["strip", "--strip-debug", "--strip-unneeded", lib], d)
        run(["objcopy", "--add-gnu-debuglink=libsym.so.debug", lib], d)
        # found only as DBG/<the library's directory>/libsym.so.debug
        under = os.path.join(dbg, d.lstrip("/"))
        os.makedirs(under)
        os.replace(os.path.join(d, "libsym.so.debug"), os.path.join(under, "libsym.so.debug"))
    elif kind == "minidebuginfo":
        run(cc, d)
        # as Fedora's find-debuginfo does: the .symtab entries of functions that .dynsym
        # lacks, in a symbols-only ELF, xz-compressed into .gnu_debugdata
        run(["objcopy", "--only-keep-debug", lib, "full.debug"], d)
        run(["objcopy", "-S", "--keep-symbol=symlib_inner", "--remove-section=.comment",
             "full.debug", "mini.debug"], d)
        run(["xz", "-f", "mini.debug"], d)
        run(["strip", "--strip-all", lib], d)
        run(["objcopy", "--add-section", ".gnu_debugdata=mini.debug.xz", lib], d)
    else:
        raise AssertionError(kind)
    sections = run(["readelf", "-S", "-W", lib], d)
    assert ".symtab" not in sections and ".debug_info" not in sections, \
        "%s libsym.so still has its own symbols:\n%s" % (kind, sections)
    run(["gcc", "-g", "-O0", "-o", os.path.join(d, "symprog"), os.path.join(src, "symprog.c"),
         "-L" + d, "-lsym", "-Wl,-rpath," + d], d)
    return d, dbg


def nbatch(d, args, commands, **kw):
    return cdb.batch([os.path.join(d, "symprog")] + list(args), commands, options=["--native"], **kw)


def frames(res, start):
    return cdb.bt_frames(res, start, RE_FRAME)


def fn(what):
    """`work+0xb (nprog)` -> ('work', 'nprog'), with compiler suffixes kept
    (`msort_with_tmp.part.0`); anything else (`0x00007f... (libc.so.6)`) -> (what, None)."""
    m = re.match(r"^([A-Za-z_][\w.]*)\+0x[0-9a-f]+ \(([^)\s]+)\)$", what)
    return (m.group(1), m.group(2)) if m else (what, None)


def hits(res):
    return cdb.stops(res, RE_NHIT)


def libc_debug_file():
    """libc6-dbg's debug file of this machine's libc, by build-id (scripts/setup.sh installs
    the package)."""
    libc = "/lib/x86_64-linux-gnu/libc.so.6"
    bid = build_id(libc)
    path = "/usr/lib/debug/.build-id/%s/%s.debug" % (bid[:2], bid[2:])
    assert os.path.exists(path), "no %s: install libc6-dbg (scripts/setup.sh)" % path
    return path


# ---------------------------------------------------------------- .dynsym only

def test_dynsym_only_library_breakpoints_and_bt():
    d, _ = build("stripped")
    res = nbatch(d, ["lib"], ["break symlib_entry", "break libsym.so!symlib_entry", "break symlib_inner",
                              "run", "bt", "info breakpoints", "info sharedlibrary", "continue"])
    cdb.assert_ok(res)
    # both forms bind when libsym.so loads, at the .dynsym symbol (no DWARF: its entry)
    bound = [m for m in (re.match(RE_BP_BOUND, l) for l in res.lines) if m]
    assert [(m.group(1), re.sub(r"^0x[0-9a-f]+: ", "", m.group(2))) for m in bound] == \
        [("1", "symlib_entry+0x0 (libsym.so)"), ("2", "symlib_entry+0x0 (libsym.so)")], [m.group(0) for m in bound]
    hs = hits(res)
    assert len(hs) == 1, [h.group(0) for _, h in hs]
    i, h = hs[0]
    assert (h.group(3), h.group(4), h.group(5), h.group(6)) == ("symlib_entry", "0", "libsym.so", None), h.group(0)
    fr = frames(res, i)
    assert [fn(f[1]) for f in fr[:2]] == [("symlib_entry", "libsym.so"), ("main", "symprog")], fr
    assert (fr[1][2], fr[1][3]) == ("symprog.c", mark("symprog_call", "symprog.c")), fr
    # the static function is in no .dynsym: pending, and says so
    rows = [m for m in (re.match(cdb.RE_BP_ROW, l) for l in res.lines) if m]
    assert [(m.group(1), m.group(6)) for m in rows] == \
        [("1", "bound, 1 location"), ("2", "bound, 1 location"), ("3", "pending")], [m.group(0) for m in rows]
    lib = [m for m in (re.match(cdb.RE_SHLIB, l) for l in res.lines) if m and m.group(4) == os.path.join(d, "libsym.so")]
    assert [m.group(3) for m in lib] == ["symbols"], [m.group(0) for m in lib]
    assert res.index(r"^symprog: symlib_entry\(5\) = 16$") > i
    cdb.finish_ok(res, 0)


# ---------------------------------------------------------------- separate debug files

def test_build_id_debug_file_under_debug_file_directory():
    d, dbg = build("build-id")
    init, loop = mark("symlib_inner_init", "symlib.c"), mark("symlib_inner_loop", "symlib.c")
    res = nbatch(d, ["lib"], ["set debug-file-directory " + dbg, "break symlib_inner",
                              "break symlib.c:%d" % loop, "run", "bt", "continue", "delete", "continue"])
    cdb.assert_ok(res)
    res.one(r"^Debug files of native libraries are looked for under %s$" % re.escape(dbg))
    hs = hits(res)
    got = [(h.group(2), h.group(3), h.group(5), h.group(6), int(h.group(7))) for _, h in hs]
    # past the prologue by the debug file's line table; then the loop's line
    assert got == [("1", "symlib_inner", "libsym.so", "symlib.c", init),
                   ("2", "symlib_inner", "libsym.so", "symlib.c", loop)], got
    fr = frames(res, hs[0][0])
    assert [(fn(f[1]), f[2], f[3]) for f in fr[:3]] == [
        (("symlib_inner", "libsym.so"), "symlib.c", init),
        (("symlib_entry", "libsym.so"), "symlib.c", mark("symlib_entry_call", "symlib.c")),
        (("main", "symprog"), "symprog.c", mark("symprog_call", "symprog.c"))], fr
    assert res.index(r"^symprog: symlib_entry\(5\) = 16$") > hs[-1][0]
    cdb.finish_ok(res, 0)


def test_build_id_debug_file_not_found_without_the_directory():
    # the same library without the setting: the static function stays pending (the debug
    # file is in no standard place), so the test above proves the setting is what found it
    d, _ = build("build-id")
    res = nbatch(d, ["lib"], ["break symlib_inner", "break symlib.c:%d" % mark("symlib_inner_loop", "symlib.c"),
                              "run"])
    cdb.assert_ok(res)
    assert not hits(res), "a breakpoint was hit without the debug file"
    assert len(res.grep(RE_BP_PENDING)) == 2 and not res.grep(RE_BP_BOUND)
    cdb.finish_ok(res, 0)


def test_debuglink_debug_file_set_at_a_stop_binds_pending():
    d, dbg = build("debuglink")
    init = mark("symlib_inner_init", "symlib.c")
    res = nbatch(d, ["lib"], ["break symlib_inner", "break symlib_entry", "run", "info breakpoints",
                              "set debug-file-directory " + dbg, "info breakpoints", "continue", "bt",
                              "continue"])
    cdb.assert_ok(res)
    hs = hits(res)
    got = [(h.group(2), h.group(3), h.group(6), h.group(7)) for _, h in hs]
    # symlib_entry from .dynsym first (no lines); then, the debug file read at that stop,
    # the pending symlib_inner bound and hit with its line
    assert got == [("2", "symlib_entry", None, None), ("1", "symlib_inner", "symlib.c", str(init))], got
    tables = [k for k, l in enumerate(res.lines) if re.match(cdb.HEADER_BREAKPOINTS, l)]
    assert len(tables) == 2, "two info breakpoints tables expected"
    before = [m for m in (re.match(cdb.RE_BP_ROW, l) for l in res.lines[tables[0] + 1:tables[1]]) if m]
    after = [m for m in (re.match(cdb.RE_BP_ROW, l) for l in res.lines[tables[1] + 1:]) if m]
    assert [(m.group(1), m.group(6)) for m in before[:1]] == [("1", "pending")], [m.group(0) for m in before]
    assert [(m.group(1), m.group(6)) for m in after[:2]] == [("1", "bound, 1 location"), ("2", "bound, 1 location")], \
        [m.group(0) for m in after]
    assert "symlib.c, line %d" % init in after[0].group(0), after[0].group(0)
    assert res.has(r"^Breakpoint 1 bound: .*symlib\.c, line %d$" % init)
    fr = frames(res, hs[1][0])
    assert [(fn(f[1]), f[2], f[3]) for f in fr[:2]] == [
        (("symlib_inner", "libsym.so"), "symlib.c", init),
        (("symlib_entry", "libsym.so"), "symlib.c", mark("symlib_entry_call", "symlib.c"))], fr
    assert res.index(r"^symprog: symlib_entry\(5\) = 16$") > hs[1][0]
    cdb.finish_ok(res, 0)


def test_minidebuginfo_names_static_functions():
    d, _ = build("minidebuginfo")
    res = nbatch(d, ["lib"], ["break symlib_inner", "run", "bt", "continue"])
    cdb.assert_ok(res)
    hs = hits(res)
    assert [(h.group(2), h.group(3), h.group(4), h.group(5)) for _, h in hs] == \
        [("1", "symlib_inner", "0", "libsym.so")], [h.group(0) for _, h in hs]
    fr = frames(res, hs[0][0])
    assert [fn(f[1])[0] for f in fr[:3]] == ["symlib_inner", "symlib_entry", "main"], fr
    assert res.index(r"^symprog: symlib_entry\(5\) = 16$") > hs[0][0]
    cdb.finish_ok(res, 0)


# ---------------------------------------------------------------- bt through the C library

LIBC_WRITE = ("write", "__write", "__libc_write", "__GI___libc_write")


def test_break_write_bt_names_libc_and_caller():
    libc_debug_file()
    d, _ = build("stripped")
    empty = cdb.tmpdir()
    res = nbatch(d, ["write"], ["break write", "run", "bt", "set debug-file-directory " + empty, "bt", "continue"])
    cdb.assert_ok(res)
    hs = hits(res)
    assert len(hs) == 1, [h.group(0) for _, h in hs]
    i, h = hs[0]
    # on write's entry (optimised code: no prologue skipped), before anything is written
    assert h.group(3) in LIBC_WRITE and (h.group(4), h.group(5)) == ("0", "libc.so.6"), h.group(0)
    assert res.index(r"^symprog: hello$") > i
    for start in (i, res.index(r"^Debug files of native libraries are looked for under ")):
        fr = frames(res, start)
        assert fn(fr[0][1])[0] in LIBC_WRITE and fn(fr[0][1])[1] == "libc.so.6", fr
        assert [(fn(f[1]), f[2], f[3]) for f in fr[1:3]] == [
            (("say", "symprog"), "symprog.c", mark("symprog_write", "symprog.c")),
            (("main", "symprog"), "symprog.c", mark("symprog_say", "symprog.c"))], fr
    cdb.finish_ok(res, 0)


def test_bt_through_qsort_names_libc_internals_from_debug_file():
    libc_debug_file()
    d, _ = build("stripped")
    empty = cdb.tmpdir()
    res = nbatch(d, ["qsort"], ["break by_value", "run", "bt", "set debug-file-directory " + empty, "bt",
                                "delete", "continue"])
    cdb.assert_ok(res)
    i, h = hits(res)[0]
    with_dbg = frames(res, i)
    without = frames(res, res.index(r"^Debug files of native libraries are looked for under "))
    for fr in (with_dbg, without):
        assert fn(fr[0][1])[0] == "by_value" and (fr[0][2], fr[0][3]) == ("symprog.c", mark("symprog_cmp", "symprog.c")), fr
    main_at = [k for k, f in enumerate(with_dbg) if fn(f[1])[0] == "main"]
    assert main_at and main_at[0] >= 2, with_dbg
    inner = with_dbg[1:main_at[0]]
    # libc6-dbg's .symtab names even its static functions (msort_with_tmp), with lines
    assert all(fn(f[1])[1] == "libc.so.6" for f in inner), inner
    assert any(fn(f[1])[0].startswith("msort_with_tmp") for f in inner), inner
    assert any(fn(f[1])[0] in ("qsort", "qsort_r", "__qsort_r") for f in inner), inner
    assert all(f[2] for f in inner), "libc frames without lines: %r" % inner
    # with only .dynsym: the exported qsort_r still named, the static helpers not
    assert len(without) == len(with_dbg), (without, with_dbg)
    inner2 = without[1:main_at[0]]
    named = [fn(f[1])[0] for f in inner2 if fn(f[1])[1]]
    assert any(n in ("qsort", "qsort_r", "__qsort_r") for n in named), inner2
    assert not any(n.startswith("msort") for n in named), inner2
    assert res.index(r"^symprog: sorted 1 2 3 4$") > i
    cdb.finish_ok(res, 0)


# ---------------------------------------------------------------- the .NET runtime's libraries

def test_native_mode_breaks_in_the_runtime_and_bt_names_its_functions():
    # cordbg --native on the dotnet host: the runtime's libraries have .dynsym only; native
    # mode places breakpoints there (mixed mode refuses, test_mixed_syms) and bt names the
    # exported functions of the host's libraries on the way to main
    dotnet = shutil.which("dotnet")
    assert dotnet, "dotnet is not on PATH"
    res = cdb.batch([os.path.realpath(dotnet), cdb.program("Hello")],
                    ["break libcoreclr.so!coreclr_execute_assembly", "break SystemNative_Write", "run", "bt",
                     "continue", "delete", "continue"], options=["--native"], timeout=120)
    cdb.assert_ok(res)
    hs = hits(res)
    assert [(h.group(2), h.group(3), h.group(4), h.group(5)) for _, h in hs] == \
        [("1", "coreclr_execute_assembly", "0", "libcoreclr.so"), ("2", "SystemNative_Write", "0", "libSystem.Native.so")], \
        [h.group(0) for _, h in hs]
    fr = frames(res, hs[0][0])
    named = [fn(f[1]) for f in fr if fn(f[1])[1]]
    for want in (("corehost_main", "libhostpolicy.so"), ("hostfxr_main_startupinfo", "libhostfxr.so"),
                 ("__libc_start_main", "libc.so.6")):
        assert want in named, "%r not in %r" % (want, fr)
    # stopped in SystemNative_Write before Hello's line was written
    assert res.index(r"^hello from Hello$") > hs[1][0]
    cdb.finish_ok(res, 0)
