"""Execution control over the Demo and BpBasic programs: step/next/finish, step filtering,
async next, call stacks, frame and thread selection, freeze/thaw, jump, list. More cases
(each construct, async variants, named threads, deep stacks) are in test_stepping2.py."""
import os
import re

import cdb
from cdb import batch, program

RE_AT = r"^(?:Thread \d+ hit Breakpoint \d+, )?([^#\s].*?) at Program\.cs:(\d+)$"




@cdb.matrix("Demo")
def test_next_walks_main_line_by_line():
    start = cdb.find_mark("Demo", "start")
    res = batch([program("Demo")], ["break Program.cs:%d" % start, "run", "next", "next", "next", "delete", "continue"])
    cdb.assert_ok(res)
    locs = cdb.stop_locations(res, RE_AT)
    assert locs[:4] == [("Program.Main(string[] args)", start + i) for i in range(4)], locs
    res.one(r"^Demo: starting$")
    assert res.index(r"^Demo: starting$") < res.index(r"^Program\.Main\(string\[\] args\) at Program\.cs:%d$" % (start + 1))


@cdb.matrix("Demo")
def test_step_into_user_method_and_finish_back():
    # the worker's lambda calls Fib: step goes in, finish comes back to the lambda
    lam = cdb.find_mark("Demo", "start") + 2
    res = batch([program("Demo")], ["break Program.cs:%d" % lam, "run", "continue", "step", "step", "next",
                                    "bt -full", "bt", "finish", "delete", "continue", "continue"])
    cdb.assert_ok(res)
    locs = cdb.stop_locations(res, RE_AT)
    fib = [l for l in locs if l[0] == "Program.Fib(int n)"]
    assert fib, "step never entered Fib: %r" % locs
    after = locs[locs.index(fib[-1]) + 1:]
    assert after and after[0][0].endswith(".Main.AnonymousMethod__0()") and after[0][1] == lam, "finish did not return to the lambda: %r" % locs
    res.has(r"^#0  Program\.Fib\(int n = 40\) at Program\.cs:\d+$")
    res.has(r"^#1  Program\.Main\.AnonymousMethod__0\(\) at Program\.cs:%d$" % lam)
    if cdb.RUNTIME in ("net8.0", "net9.0"):
        # before .NET 10 a thread's delegate is called from native code (no managed
        # Thread.StartCallback): no framework frame to fold
        res.index(r"^#2  \[unmanaged to managed transition\]$")
        res.hasnt(r"\[external code\]$")
    else:
        # -full shows the framework frames; plain bt folds them into one line
        full = res.index(r"^#\d+\s+System\.Threading\.Thread\.StartCallback\(\) \[external code\]$")
        folded = res.index(r"^#2  \[external code\]$", full)
        assert folded > full
    assert cdb.exit_code(res, cdb.started_pid(res)) == 7


def test_step_over_framework_call_with_just_my_code():
    # worker.Start() is framework code: step does not go into it
    start_line = cdb.find_mark("Demo", "start") + 3
    res = batch([program("Demo")], ["break Program.cs:%d" % start_line, "run", "step", "delete", "continue"])
    cdb.assert_ok(res)
    locs = cdb.stop_locations(res, RE_AT)
    assert locs[1] == ("Program.Main(string[] args)", start_line + 1), locs


def test_frames_threads_freeze_thaw():
    fib = cdb.find_mark("Demo", "fib")
    res = batch([program("Demo")], ["break Program.cs:%d" % fib, "run", "up", "frame", "down", "frame 7",
                                    "thread 1", "bt", "freeze 1", "info threads", "thaw 1", "info threads",
                                    "delete", "continue", "continue"])
    cdb.assert_failed(res, r"^error: no frame 7: thread \d+ has \d+ frames$")
    res.has(r"^#1  Program\.Main\.AnonymousMethod__0\(\) at Program\.cs:\d+$")
    res.has(r"^#0  Program\.Fib\(int n\) at Program\.cs:%d$" % fib)
    res.has(r"^Switched to thread 1$")
    res.has(r"^#\d+\s+Program\.Main\(string\[\] args\) at Program\.cs:\d+$")
    res.has(r"^Thread 1 frozen$")
    rows = [m for m in (re.match(cdb.RE_THREAD_ROW, l) for l in res.lines) if m]
    frozen = [m for m in rows if m.group(5)]
    assert [int(m.group(2)) for m in frozen] == [1], [m.group(0) for m in rows]
    res.has(r"^Thread 1 thawed$")
    assert cdb.exit_code(res, cdb.started_pid(res)) == 7


def test_jump_sets_next_statement_and_explains_refusals():
    fib = cdb.find_mark("Demo", "fib")
    start = cdb.find_mark("Demo", "start")
    res = batch([program("Demo")], ["break Program.cs:%d" % fib, "run", "jump +1", "next",
                                    "jump %d" % start, "up", "jump %d" % fib, "down", "jump x",
                                    "delete", "kill"])
    cdb.assert_failed(res, r"^error: line %d is not in Program\.Fib\(int n\): jump stays within the current method$" % start,
                      r"^error: jump moves the innermost frame only; select frame 0 first$",
                      r"^error: 'x' is not a line \(LINE, \+N or -N\)$")
    res.has(r"^Next statement: Program\.Fib\(int n\) at Program\.cs:%d$" % (fib + 1))
    # `next` from the new position runs the statement after it, not the one jumped over
    locs = cdb.stop_locations(res, RE_AT)
    assert ("Program.Fib(int n)", fib + 2) in locs, locs


def test_list_current_again_method_and_errors():
    fib = cdb.find_mark("Demo", "fib")
    res = batch([program("Demo")], ["break Program.cs:%d" % fib, "run", "list", "list", "list Program.Main",
                                    "list Nope.Method", "kill"])
    cdb.assert_failed(res, r"^error: no method Nope\.Method in the loaded modules with symbols$")
    marked = res.index(r"^=> %d\t.*@mark:fib$" % fib)
    first = res.index(r"^   %d\t" % (fib - 5))
    assert first < marked
    # list again goes on after the ten lines shown
    res.index(r"^   %d\t" % (fib + 5), marked)
    main = cdb.find_mark("Demo", "start") - 1      # Main's opening brace: its first line with code
    res.index(r"^   %d\t" % main, marked)


def test_info_threads_state_and_where():
    fib = cdb.find_mark("Demo", "fib")
    res = batch([program("Demo")], ["break Program.cs:%d" % fib, "run", "info threads", "kill"])
    cdb.assert_ok(res)
    rows = {int(m.group(2)): m for m in (re.match(cdb.RE_THREAD_ROW, l) for l in res.lines) if m}
    main = [m for m in rows.values() if m.group(4) == "dotnet"]
    worker = [m for m in rows.values() if m.group(4) == "worker"]
    assert main and worker, [m.group(0) for m in rows.values()]
    # the main thread is in worker.Start() or waits in worker.Join() (the worker may reach the
    # breakpoint before Start returns); in Join it is shown waiting. The worker is where the
    # breakpoint is.
    m = re.search(r"(\[waiting\]\s+)?Program\.Main\(string\[\] args\) at Program\.cs:(\d+)$", main[0].group(0))
    start, join = cdb.find_mark("Demo", "start") + 3, cdb.find_mark("Demo", "start") + 4
    assert m and int(m.group(2)) in (start, join), main[0].group(0)
    if int(m.group(2)) == join:
        assert m.group(1), "in Join but not waiting: " + main[0].group(0)
    assert worker[0].group(1) == "*" and worker[0].group(0).endswith("Program.Fib(int n) at Program.cs:%d" % fib), worker[0].group(0)


def test_step_filtering_skips_property_getter_unless_off():
    use = cdb.find_mark("BpBasic", "use_name")
    getter = cdb.find_mark("BpBasic", "getter")
    on = batch([program("BpBasic")], ["break Program.cs:%d" % use, "run", "step", "kill"])
    cdb.assert_ok(on)
    locs = cdb.stop_locations(on, RE_AT)
    assert locs[-1] == ("BpTests.Program.Main(string[] args)", use + 1), locs
    off = batch([program("BpBasic")], ["set step-filtering off", "break Program.cs:%d" % use, "run", "step", "step", "kill"])
    cdb.assert_ok(off)
    locs = cdb.stop_locations(off, RE_AT)
    assert ("BpTests.Widget.get_Name()", getter) in locs, locs


@cdb.matrix("BpBasic")
def test_next_over_await_resumes_in_same_invocation():
    # Task.Delay(1) suspends WorkAsync; `next` must end at the line after the await when this
    # invocation resumes (on a thread-pool thread), not wherever the thread goes meanwhile
    after = cdb.find_mark("BpBasic", "after_await")
    res = batch([program("BpBasic")], ["break Program.cs:%d" % (after - 1), "run", "next", "thread", "next", "kill"])
    cdb.assert_ok(res)
    locs = cdb.stop_locations(res, RE_AT)
    assert locs[:3] == [("BpTests.Program.WorkAsync()", after - 1), ("BpTests.Program.WorkAsync()", after),
                        ("BpTests.Program.WorkAsync()", after + 1)], locs
    m = res.one(r"^Current thread is (\d+)$")
    hit = res.one(r"^Thread (\d+) hit Breakpoint 1,")
    assert m.group(1) != hit.group(1), "resumed on the thread that awaited: the step did not cross a thread switch"


def test_list_uses_embedded_source_when_the_file_is_gone():
    # build a private copy of MetaEmbedded (sources embedded in its PDB), then delete the
    # copy's source: list must show the lines from the PDB's embedded copy
    import shutil
    import subprocess
    d = cdb.tmpdir()
    src = os.path.join(cdb.PROGRAMS, "MetaEmbedded")
    proj = os.path.join(d, "MetaEmbedded")
    shutil.copytree(os.path.normpath(src), proj, ignore=shutil.ignore_patterns("bin", "obj"))
    out = os.path.join(d, "out")
    b = subprocess.run(["dotnet", "build", os.path.join(proj, "MetaEmbedded.csproj"), "-c", "Debug", "-o", out,
                        "--nologo", "-v", "q", "-nodeReuse:false", "-p:UseSharedCompilation=false"],
                       capture_output=True, text=True, timeout=300)
    assert b.returncode == 0, b.stdout + b.stderr
    with open(os.path.join(proj, "Program.cs")) as f:
        text = f.read().splitlines()
    main = next(i + 1 for i, l in enumerate(text) if "@bp:main" in l)
    os.unlink(os.path.join(proj, "Program.cs"))
    res = cdb.run(["--batch", "-ex", "break Program.cs:%d" % main, "-ex", "run", "-ex", "list", "-ex", "kill",
                   os.path.join(out, "MetaEmbedded.dll")])
    cdb.assert_ok(res)
    res.has(r"^=> %d\t%s$" % (main, re.escape(text[main - 1])))
    # the stop itself shows the line from the same embedded copy
    res.has(r"^%d\t%s$" % (main, re.escape(text[main - 1])))


def test_info_args_and_locals_of_selected_frame():
    fib = cdb.find_mark("Demo", "fib")
    res = batch([program("Demo")], ["break Program.cs:%d" % fib, "run", "info args", "info locals", "next",
                                    "info locals", "up", "info args", "info locals", "kill"])
    cdb.assert_ok(res)
    first = res.index(r"^n = 40$")
    for line in ("a = 0", "b = 1", "i = 0", "t = 0"):
        res.index("^%s$" % re.escape(line), first)
    # after the statement ran, t holds a + b
    stepped = res.index(r"^Program\.Fib\(int n\) at Program\.cs:%d$" % (fib + 1), first)
    res.index(r"^t = 1$", stepped)
    # the caller is a lambda in a static method: no `this` of the user's, no arguments; the
    # variable it captured from Main is its local, by its source name
    up = res.index(r"^#1  ", stepped)
    res.index(r"^No arguments\.$", up)
    res.index(r"^result = 0$", up)
