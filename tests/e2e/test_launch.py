"""Launch to exit: exit codes, module loads, program arguments, --env, --cwd, apphost."""

import os
import re

import cdb
from cdb import batch, program


@cdb.matrix("Hello")
def test_exit_code():
    res = batch([program("Hello"), "3"], ["run"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    assert cdb.exit_code(res, pid) == 3
    out = res.index(r"^hello from Hello$")
    assert res.index(cdb.RE_STARTED) < out < res.index(cdb.RE_EXITED), \
        "program output not between the started and exited lines"
    cdb.gone_or_fail(pid, "debuggee")


def test_exit_code_zero_and_alias():
    res = batch([program("Hello")], ["r"])
    cdb.assert_ok(res)
    assert cdb.exit_code(res, cdb.started_pid(res)) == 0
    res.one(r"^hello from Hello$")


@cdb.matrix("Hello")
def test_module_loads():
    res = batch([program("Hello"), "0"], ["run"])
    cdb.assert_ok(res)
    loads = res.grep(cdb.RE_LOADED)
    assert loads, "no `Loaded '...'` lines"
    by_name = {}
    for m in loads:
        path = m.group(1)
        assert os.path.isabs(path), "module path not absolute: %r" % path
        assert os.path.exists(path), "module path does not exist: %r" % path
        by_name.setdefault(os.path.basename(path), []).append(m)
    assert "System.Private.CoreLib.dll" in by_name, "no load line for System.Private.CoreLib.dll"
    assert "System.Runtime.dll" in by_name, "no load line for System.Runtime.dll"
    assert len(by_name.get("Hello.dll", [])) == 1, "expected one load line for Hello.dll"
    hello = by_name["Hello.dll"][0]
    assert cdb.same_file(hello.group(1), program("Hello")), \
        "Hello.dll loaded from %r, expected %r" % (hello.group(1), program("Hello"))
    assert hello.group(2) == "symbols loaded", "Hello.dll (with Hello.pdb beside it): %r" % hello.group(0)
    # CoreLib comes first: nothing managed can load before it
    assert os.path.basename(loads[0].group(1)) == "System.Private.CoreLib.dll", \
        "first module loaded is %r" % loads[0].group(1)
    started = res.index(cdb.RE_STARTED)
    exited = res.index(cdb.RE_EXITED)
    for m in loads:
        i = res.lines.index(m.string)
        assert started < i < exited, "load line outside the process's life: %r" % m.string


def test_module_without_pdb_has_no_symbols():
    # built with DebugType none: no PDB anywhere, so the app module must say (no symbols)
    res = batch([program("NoSymbols")], ["run"])
    cdb.assert_ok(res)
    assert cdb.exit_code(res, cdb.started_pid(res)) == 4
    m = res.one(r"^Loaded '(/[^']*/NoSymbols\.dll)' \((symbols loaded|no symbols)\)$")
    assert m.group(2) == "no symbols", m.group(0)


def test_copied_module_finds_pdb_recorded_in_it():
    # a copy without its .pdb beside it still has symbols: the assembly's CodeView entry
    # names the PDB the compiler wrote, and that PDB's id matches
    d = cdb.tmpdir()
    src = os.path.dirname(program("Hello"))
    for f in os.listdir(src):
        if not f.endswith(".pdb"):
            with open(os.path.join(src, f), "rb") as a, open(os.path.join(d, f), "wb") as b:
                b.write(a.read())
    res = batch([os.path.join(d, "Hello.dll"), "4"], ["run"])
    cdb.assert_ok(res)
    assert cdb.exit_code(res, cdb.started_pid(res)) == 4
    m = res.one(r"^Loaded '(/[^']*/Hello\.dll)' \((symbols loaded|no symbols)\)$")
    assert m.group(2) == "symbols loaded", m.group(0)


@cdb.matrix("Hello")
def test_apphost_executable():
    res = batch([program("Hello", apphost=True), "5"], ["run"])
    cdb.assert_ok(res)
    assert cdb.exit_code(res, cdb.started_pid(res)) == 5
    res.one(r"^hello from Hello$")
    res.has(r"^Loaded '/[^']*/Hello\.dll' \(symbols loaded\)$")


def test_env_and_cwd_reach_debuggee():
    d = os.path.realpath(cdb.tmpdir())
    res = batch([program("Hello"), "0", "cwd", "env:CORDBG_E2E_VALUE", "env:CORDBG_E2E_OTHER"],
                ["run"],
                options=["--cwd", d, "--env", "CORDBG_E2E_VALUE=hello world=1",
                         "--env", "CORDBG_E2E_OTHER="])
    cdb.assert_ok(res)
    m = res.one(r"^cwd=(.*)$")
    assert cdb.same_file(m.group(1), d), "debuggee cwd %r, expected %r" % (m.group(1), d)
    res.one(r"^env CORDBG_E2E_VALUE=hello world=1$")
    res.one(r"^env CORDBG_E2E_OTHER=$")
    assert cdb.exit_code(res, cdb.started_pid(res)) == 0


def test_debuggee_inherits_environment_and_cwd_by_default():
    d = os.path.realpath(cdb.tmpdir())
    res = batch([program("Hello"), "0", "cwd", "env:CORDBG_E2E_INHERITED"], ["run"],
                env={"CORDBG_E2E_INHERITED": "from-parent"}, cwd=d)
    cdb.assert_ok(res)
    res.one(r"^env CORDBG_E2E_INHERITED=from-parent$")
    m = res.one(r"^cwd=(.*)$")
    assert cdb.same_file(m.group(1), d), "debuggee cwd %r, expected cordbg's %r" % (m.group(1), d)


def test_relative_program_path():
    # PROGRAM relative to cordbg's working directory
    out = os.path.dirname(os.path.dirname(program("Hello")))
    res = batch([os.path.join("Hello", "Hello.dll"), "6"], ["run"], cwd=out)
    cdb.assert_ok(res)
    assert cdb.exit_code(res, cdb.started_pid(res)) == 6


def test_thread_events_off_by_default():
    res = batch([program("Threads")], ["run"])
    cdb.assert_ok(res)
    res.one(r"^Threads: done \d+$")
    res.hasnt(cdb.RE_THREAD_CREATED)
    res.hasnt(cdb.RE_THREAD_EXITED)
    assert cdb.exit_code(res, cdb.started_pid(res)) == 0


def test_symbols_dump_command():
    res = cdb.run(["symbols", program("Demo")])
    assert res.status == 0, res.status
    res.has(r"^assembly Demo\.dll$")
    res.has(r"^  method 0x06000001 long Fib\(int n\)$")
    # System.Decimal is named by its C# keyword, as int is (EvalDiff: Over(decimal x))
    dec = cdb.run(["symbols", program("EvalDiff")])
    dec.has(r"^  method 0x[0-9a-f]{8} string Over\(decimal x\)$")
    line = cdb.find_mark("Demo", "fib")
    res.has(r"^    sp IL_[0-9a-f]{4} 1:%d:\d+-%d:\d+$" % (line, line))
    bad = cdb.run(["symbols", "/etc/passwd"])
    assert bad.status == 1
    bad.has(r"^error: /etc/passwd: .*not a PE file", stream="stderr")


def test_mismatched_pdb_is_never_used():
    # Hello.dll beside another program's PDB under Hello's name, with the assembly's own
    # record of its PDB path blanked out: the PDB is refused and a source breakpoint in
    # Hello stays pending instead of binding through the wrong symbols
    d = cdb.tmpdir()
    src = os.path.dirname(program("Hello"))
    with open(os.path.join(src, "Hello.dll"), "rb") as f:
        image = f.read()
    # the build's obj/ folder (tests/programs/Hello/obj/Debug/net10.0/, or a publish's)
    recorded = re.search(rb"/[\x21-\x7e]*/obj/[\x21-\x7e]*/Hello\.pdb(?=\0)", image)
    assert recorded, "Hello.dll records no path of its PDB"
    recorded = recorded.group(0)
    image = image.replace(recorded, b"X" * len(recorded))
    for f in os.listdir(src):
        if f.endswith((".json",)):
            with open(os.path.join(src, f), "rb") as a, open(os.path.join(d, f), "wb") as b:
                b.write(a.read())
    with open(os.path.join(d, "Hello.dll"), "wb") as f:
        f.write(image)
    with open(os.path.join(os.path.dirname(program("Demo")), "Demo.pdb"), "rb") as a, \
            open(os.path.join(d, "Hello.pdb"), "wb") as b:
        b.write(a.read())
    line = cdb.find_mark("Hello", "hello")
    res = batch([os.path.join(d, "Hello.dll"), "2"], ["break Program.cs:%d" % line, "run", "info breakpoints"])
    res.has(r"^Loaded '[^']*/Hello\.dll' \(symbols do not match\)$")
    res.hasnt(r"hit Breakpoint")
    res.one(r"^hello from Hello$")
    assert cdb.exit_code(res, cdb.started_pid(res)) == 2
