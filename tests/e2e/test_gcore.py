"""Making core dumps and opening them (issue 23): generate-core-file at a breakpoint writes a
dump that `cordbg --core` opens with the same stacks and values the live session showed at
that moment, while the program goes on to its normal end (managed mode: the runtime's
createdump; mixed mode: cordbg's own writer); the runtime's dump of a SIGSEGV inside a
P/Invoke library shows the mixed stack in true order; a dump `dotnet-dump collect` wrote
opens with the main thread's stack and locals."""

import os
import re
import subprocess

import cdb
from cdb import batch, find_mark, program

T = 120
SRC = "Program.cs"

# `#N  FUNCTION at FILE:LINE` (managed frames with source) or `#N  FUNCTION` (the rest)
RE_FRAME = re.compile(r"^#(\d+)\s+(.*?)(?: at ([^\s:]+):(\d+))?$")


def frames(lines):
    """(function, file, line) of every frame line in lines, in order."""
    out = []
    for l in lines:
        m = RE_FRAME.match(l)
        if m:
            out.append((m.group(2), m.group(3), int(m.group(4)) if m.group(4) else None))
    return out


def source_frames(fr):
    """The frames with a source line: what the live session and the core must agree on."""
    return [f for f in fr if f[2]]


def between(lines, start_re, end_re):
    """The lines after the first matching start_re up to (not including) the next matching end_re."""
    out, on = [], False
    for l in lines:
        if on and re.search(end_re, l):
            break
        if on:
            out.append(l)
        if not on and re.search(start_re, l):
            on = True
    return out


def locals_of(lines):
    return sorted(l for l in lines if re.match(r"^[A-Za-z_$][\w$<>]* = ", l))


def _live_then_core(mode):
    """CoreCases break: at the gcore mark record bt, info locals and prints; write a core;
    continue to the end. Then open the core with the same views. Returns both Results."""
    core = os.path.join(cdb.tmpdir(), "gcore.core")
    line = find_mark("CoreCases", "gcore")
    prints = ["print numbers", "print items", "print ages", "print point", "print numbers[4]", "print items._items[1]"]
    # Function evaluation off in the live session: a dump cannot run getters or ToString, so
    # the values compared are those that need no code run (fields, elements, strings).
    live = batch([program("CoreCases"), "break"],
                 ["break %s:%d" % (SRC, line), "run", "set eval off", "echo ==bt", "bt", "echo ==locals", "info locals",
                  "echo ==prints", *prints, "echo ==gcore", "generate-core-file " + core, "continue"],
                 options=mode, timeout=T)
    live.one(cdb.RE_HIT)
    live.has(r"^Saved corefile " + re.escape(core) + r" \(\d+\.\d MB\)$")
    # the program went on to its normal end after the dump
    live.has(r"^CoreCases: break done 60$")
    live.one(cdb.RE_EXITED)
    dead = cdb.run(["--batch", *mode, "--core", core, program("CoreCases"), "-ex", "echo ==bt", "-ex", "bt",
                    "-ex", "echo ==locals", "-ex", "info locals", "-ex", "echo ==prints",
                    *sum((["-ex", p] for p in prints), []), "-ex", "echo ==end"], timeout=T)
    assert dead.status == 0, "the core did not open cleanly: %r" % dead.err_lines
    return live, dead


def _same_views(live, dead):
    lbt = source_frames(frames(between(live.lines, r"^==bt$", r"^==locals$")))
    dbt = source_frames(frames(between(dead.lines, r"^==bt$", r"^==locals$")))
    assert lbt, "the live bt has no frames with source lines"
    assert lbt[0][2] == find_mark("CoreCases", "gcore"), "live stop not at the gcore mark: %r" % (lbt[:1],)
    assert dbt == lbt, "the core's bt differs from the live one:\nlive %r\ncore %r" % (lbt, dbt)
    ll = locals_of(between(live.lines, r"^==locals$", r"^==prints$"))
    dl = locals_of(between(dead.lines, r"^==locals$", r"^==prints$"))
    assert ll, "no locals in the live session"
    assert dl == ll, "the core's locals differ:\nlive %r\ncore %r" % (ll, dl)
    # a getter's error reads differently (evaluation off vs a dump): the values must not
    lp = [re.sub(r"<error: [^>]*>", "<error>", l) for l in between(live.lines, r"^==prints$", r"^==gcore$")]
    dp = [re.sub(r"<error: [^>]*>", "<error>", l) for l in between(dead.lines, r"^==prints$", r"^==end$")]
    assert lp and dp == lp, "the core's prints differ:\nlive %r\ncore %r" % (lp, dp)
    assert '"beta"' in dp and "8" in dp, "the elements read from the core: %r" % dp


def test_gcore_managed_same_bt_and_locals():
    live, dead = _live_then_core([])
    _same_views(live, dead)


def test_gcore_mixed_same_bt_and_locals():
    live, dead = _live_then_core(["--mixed"])
    _same_views(live, dead)


def _runtime_dump(args, folder, dump_type="4"):
    """Run CoreCases ARGS under the runtime's crash dump (DOTNET_DbgEnableMiniDump); the dump."""
    env = dict(os.environ, DOTNET_DbgEnableMiniDump="1", DOTNET_DbgMiniDumpType=dump_type,
               DOTNET_DbgMiniDumpName=os.path.join(folder, "core.%p"))
    p = subprocess.run(["dotnet", program("CoreCases"), *args], env=env, stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=T)
    assert p.returncode != 0, "CoreCases %s did not crash" % args
    cores = [f for f in os.listdir(folder) if f.startswith("core.")]
    assert len(cores) == 1, "no dump written (exit %d): %s" % (p.returncode, p.stderr.decode()[-2000:])
    return os.path.join(folder, cores[0])


def test_segv_in_pinvoke_mixed_stack_from_dump():
    """A NULL write inside a P/Invoke'd C function: the dump's stack in the mixed view has
    the C library's frames (names, file:line) on top, then the managed frames that called
    it, in true order."""
    core = _runtime_dump(["segv"], cdb.tmpdir())
    res = cdb.run(["--batch", "--mixed", "--core", core, program("CoreCases"), "-ex", "bt"], timeout=T)
    assert res.status == 0, res.err_lines
    fr = frames(res.lines)
    names = [f[0] for f in fr]
    native_i = next((i for i, f in enumerate(fr) if f[1] and f[1].endswith(".c")), None)
    assert native_i is not None, "no C frame with file:line in %r" % names
    managed_i = next((i for i, f in enumerate(fr) if f[1] == SRC), None)
    assert managed_i is not None, "no managed frame of CoreCases in %r" % names
    assert native_i < managed_i, "the C frame must come above (before) the managed caller: %r" % names
    assert fr[native_i][2] == find_mark("native", "crash_segv", file="native.c"), fr[native_i]
    # the managed frames below it are the P/Invoke's callers, innermost first
    assert fr[native_i][0].startswith("native_crash"), fr[native_i]
    managed = [f for f in fr[managed_i:] if f[1] == SRC]
    assert [f[0].split("(")[0] for f in managed] == ["Program.Segv", "Program.Main"], managed
    assert managed[0][2] == find_mark("CoreCases", "segv"), managed


def _tool(name):
    for p in (os.path.join(cdb.OUT, "tools", name), os.path.expanduser("~/.dotnet/tools/" + name)):
        if os.access(p, os.X_OK):
            return p
    raise AssertionError("%s is not installed: run scripts/setup.sh (it installs it into tests/out/tools)" % name)


def test_dotnet_dump_collect_opens():
    """A full dump dotnet-dump collect wrote of a live Sleeper: the main thread's bt shows
    Main at its wait line, and its locals read."""
    tool = _tool("dotnet-dump")
    d = cdb.tmpdir()
    release = os.path.join(d, "release")
    core = os.path.join(d, "collected.core")
    with cdb.Debuggee("Sleeper", [release]) as p:
        p.expect(r"^ready \d+$")
        c = subprocess.run([tool, "collect", "-p", str(p.pid), "-o", core, "--type", "Full"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=T)
        assert c.returncode == 0 and os.path.exists(core), c.stdout.decode()[-2000:]
        open(release, "w").close()
        p.expect(r"^done$")
    res = cdb.run(["--batch", "--core", core, program("Sleeper"), "-ex", "bt all"], timeout=T)
    assert res.status == 0, res.err_lines
    wait = find_mark("Sleeper", "wait")
    thread, index = None, None
    current = None
    for l in res.lines:
        m = re.match(r'^Thread (\d+) \(tid \d+\)', l)
        if m:
            current = int(m.group(1))
        f = RE_FRAME.match(l)
        if f and f.group(2).startswith("Program.Main") and f.group(4) and int(f.group(4)) == wait:
            thread, index = current, int(f.group(1))
    assert thread is not None, "no thread with Program.Main at Program.cs:%d" % wait
    res = cdb.run(["--batch", "--core", core, program("Sleeper"), "-ex", "thread %d" % thread, "-ex", "frame %d" % index,
                   "-ex", "info locals", "-ex", "print args.Length"], timeout=T)
    assert res.status == 0, res.err_lines
    res.has(r"^polls = \d+$")
    res.has(r"^1$")


def test_core_file_command_info_program_and_refusals():
    """gdb's core-file command opens a core in a session started without one; info program
    says what is debugged; what needs a live process is refused with the engine's reason
    (cordbg goes on), generate-core-file of a core included; the end of input closes it
    without killing anything."""
    core = os.path.join(cdb.tmpdir(), "hello.core")
    line = find_mark("Hello", "hello")
    live = batch([program("Hello")], ["break Program.cs:%d" % line, "run", "gcore " + core, "continue"], timeout=T)
    live.has(r"^Saved corefile ")
    live.has(r"^hello from Hello$")
    res = cdb.run(["--batch", "-ex", "info program", "-ex", "core-file " + core, "-ex", "info program", "-ex", "bt",
                   "-ex", "continue", "-ex", "next", "-ex", "break Program.cs:%d" % line, "-ex", "kill",
                   "-ex", "gcore " + core + ".again", "-ex", "print args.Length", "-ex", "echo ==end"], timeout=T)
    assert res.status == 1, "the refused commands make the batch fail"
    res.has(r"^The program being debugged is not being run\.$")
    res.has(r"^Core dump %s: core of process \d+ " % re.escape(core))
    res.has(r"^#0  Program\.Main\(string\[\] args\) at Program\.cs:%d$" % line)
    errs = res.error_lines()
    assert len([e for e in errs if "core dump" in e]) >= 5, errs
    assert not os.path.exists(core + ".again")
    res.has(r"^0$")           # reads go on after the refusals
    res.has(r"^==end$")
    res.hasnt(r"^Killing process|^Detaching from process")
