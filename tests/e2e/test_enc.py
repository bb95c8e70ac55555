"""Edit and Continue (issue 22): `apply` over a copy of tests/programs/EncCases built in a
temporary folder (cdb.enc_program; the sources are put back before each test). Stopped in
a loop, change a method's arithmetic and go on: the next iterations print the new result;
edit the method that is stopped and step on in its new body (function remap); add a method
and call it from an edited one; a breakpoint in an edited method after its lines moved; a
rude edit, a compile error, nothing changed, a file not of the program, a helper that dies
or hangs: each says so and leaves the program as it was. Every test checks the program's
own output to its end."""
import os
import re

import cdb

# the helper's first `open` (Roslyn's start, MSBuild's evaluation) can take long on a busy
# machine; later ones are warm
APPLY_TIMEOUT = 110


def _src(folder):
    return os.path.join(folder, "Program.cs")


def _session(dll, *args, env=None):
    return cdb.Session([dll] + list(args), env=env)


def _slow(fn):
    """The first test of the file builds the program's copy and warms the helper up."""
    fn.timeout = 300
    return fn


def _finish(s, lines, status=0):
    """Continue to the end: the program exits with 0, its output holds `lines` in order;
    cordbg's status: 1 after a command that failed."""
    s.send("delete")
    s.send("continue")
    s.expect(r"^Process \d+ exited with code 0$", timeout=60)
    s.send("quit")
    assert s.wait() == status
    out = s.stdout
    at = 0
    for line in lines:
        i = out.find("\n" + line + "\n", at)
        assert i >= 0, "program output lacks %r (after offset %d):\n%s" % (line, at, out)
        at = i + 1
    return out


def _stop_line(s):
    """The line of the next stop (`... at Program.cs:N`)."""
    return int(s.expect(r" at Program\.cs:(\d+)$", timeout=60).group(1))


def _apply_ok(s, what=r"applied: "):
    s.send("apply")
    m = s.expect(r"^applied: .*|^nothing to apply.*", timeout=APPLY_TIMEOUT)
    assert re.search(what, m.group(0)), "apply said %r, expected /%s/\n%s" % (m.group(0), what, s.transcript())
    return m.group(0)


@_slow
def test_apply_arithmetic():
    folder, dll = cdb.enc_program()
    src = _src(folder)
    s = _session(dll, "loop", "3")
    s.send("break Program.cs:%d" % cdb.mark_line(src, "print"))
    s.send("run")
    s.expect(r"hit Breakpoint 1, EncCases\.Program\.Loop")
    cdb.enc_edit(src, "int r = i * 2 + 1;", "int r = i * 100 + 7;")
    said = _apply_ok(s, r"^applied: 1 method updated in EncCases .*Program\.cs")
    assert re.search(r"\(\d+ ms in all\)$", said), said
    # the runtime forbids a detach after Edit and Continue: said before anything is undone,
    # and the session goes on with its breakpoint
    s.send("detach")
    s.expect(r"^error: cannot detach from process \d+: its code was changed by Edit and Continue", stream="stderr")
    s.send("continue")
    s.expect(r"hit Breakpoint 1, EncCases\.Program\.Loop")
    # iteration 0 ran the old code before the stop; the next ones run the new one
    _finish(s, ["iter 0: 1", "iter 1: 107", "iter 2: 207", "sum: 315 total: 315 seen: 1,107,207",
                "stepped: 53", "shape with 4 sides", "done"], status=1)


@_slow
def test_remap_stopped_method_and_step_on():
    folder, dll = cdb.enc_program()
    src = _src(folder)
    s = _session(dll, "loop", "1")
    s.send("break Program.cs:%d" % cdb.mark_line(src, "stepped_a"))
    s.send("run")
    s.expect(r"hit Breakpoint 1, EncCases\.Program\.Stepped")
    cdb.enc_edit(src, "int b = a * 10; // @mark:stepped_b",
                 "int b = a * 1000; // @mark:stepped_b\n            b = b + 1; // @mark:added")
    _apply_ok(s, r"^applied: .*updated")
    # the frame moves to the new body at its statement and the step goes on there
    s.send("next")
    assert _stop_line(s) == cdb.mark_line(src, "stepped_b")
    s.send("print a")
    s.expect(r"^5$|= 5$")
    s.send("next")
    assert _stop_line(s) == cdb.mark_line(src, "added")
    s.send("next")
    assert _stop_line(s) == cdb.mark_line(src, "stepped_c")
    s.send("print b")
    s.expect(r"^5001$|= 5001$")
    s.send("bt 1")
    s.expect(r"^#0\s+EncCases\.Program\.Stepped\(int x = 4\) at Program\.cs:%d$" % cdb.mark_line(src, "stepped_c"))
    _finish(s, ["stepped: 5004", "shape with 4 sides", "done"])


@_slow
def test_add_method_called_from_edited_one():
    folder, dll = cdb.enc_program()
    src = _src(folder)
    s = _session(dll, "loop", "3")
    s.send("break Program.cs:%d" % cdb.mark_line(src, "print"))
    s.send("run")
    s.expect(r"hit Breakpoint 1, EncCases\.Program\.Loop")
    cdb.enc_edit(src, "int r = i * 2 + 1; // @mark:compute", "int r = Added(i); // @mark:compute")
    cdb.enc_edit(src, "        // Stopped in and edited by the remap test.",
                 "        static int Added(int i)\n        {\n            return i * 1000 + 5; // @mark:added\n        }\n\n"
                 "        // Stopped in and edited by the remap test.")
    _apply_ok(s, r"^applied: \d+ methods? updated, 1 method added in EncCases")
    # a breakpoint in the added method binds and stops there, with its name on the stack
    s.send("break Program.cs:%d" % cdb.mark_line(src, "added"))
    s.send("continue")
    s.expect(r"hit Breakpoint 2, EncCases\.Program\.Added\(int i\) at Program\.cs:%d$" % cdb.mark_line(src, "added"))
    s.send("bt 2")
    s.expect(r"^#1\s+EncCases\.Program\.Compute\(int i = 1\) at Program\.cs:%d$" % cdb.mark_line(src, "compute"))
    _finish(s, ["iter 0: 1", "iter 1: 1005", "iter 2: 2005", "stepped: 53", "done"])


@_slow
def test_breakpoint_follows_moved_lines():
    folder, dll = cdb.enc_program()
    src = _src(folder)
    old_c = cdb.mark_line(src, "stepped_c")
    s = _session(dll, "loop", "1")
    s.send("break Program.cs:%d" % cdb.mark_line(src, "print"))
    s.send("break Program.cs:%d" % old_c)
    s.send("run")
    s.expect(r"hit Breakpoint 1, EncCases\.Program\.Loop")
    # three lines more above Stepped's body, and its body changed too
    cdb.enc_edit(src, "        // Stopped in and edited by the remap test.",
                 "        // one\n        // two\n        // three\n        // Stopped in and edited by the remap test.")
    cdb.enc_edit(src, "int a = x + 1; // @mark:stepped_a", "int a = x + 2; // @mark:stepped_a")
    new_c = cdb.mark_line(src, "stepped_c")
    assert new_c == old_c + 3
    _apply_ok(s)
    s.send("delete 1")
    s.send("info breakpoints")
    s.expect(r"Program\.cs:%d" % new_c)
    s.send("continue")
    s.expect(r"hit Breakpoint 2, EncCases\.Program\.Stepped\(int x\) at Program\.cs:%d$" % new_c)
    s.send("print b")
    s.expect(r"^60$|= 60$")
    _finish(s, ["iter 0: 1", "stepped: 63", "done"])


def _refused(s, src, old, new, message):
    """Edit, apply: refused with message (stderr); the program goes on unchanged."""
    s.send("break Program.cs:%d" % cdb.mark_line(src, "print"))
    s.send("run")
    s.expect(r"hit Breakpoint 1, EncCases\.Program\.Loop")
    cdb.enc_edit(src, old, new)
    s.send("apply")
    s.expect_err(message, timeout=APPLY_TIMEOUT)
    s.send("bt 1")
    s.expect(r"^#0\s+EncCases\.Program\.Loop")
    _finish(s, ["iter 0: 1", "iter 1: 3", "iter 2: 5", "sum: 9 total: 9 seen: 1,3,5", "stepped: 53",
                "shape with 4 sides", "done"], status=1)


@_slow
def test_rude_edit_refused():
    folder, dll = cdb.enc_program()
    src = _src(folder)
    s = _session(dll, "loop", "3")
    _refused(s, src, "public class Shape\n", "public class Shape : System.Exception\n",
             r"^error: rude edit: the program was not changed")
    assert re.search(r"^(error: )?.*Program\.cs:\d+:\d+: error ENC\w+: .+$", s.stderr, re.M), s.stderr


@_slow
def test_compile_error_refused():
    folder, dll = cdb.enc_program()
    src = _src(folder)
    s = _session(dll, "loop", "3")
    _refused(s, src, "int r = i * 2 + 1;", "int r = i * 2 + ;",
             r"^error: compile errors: the program was not changed")
    assert re.search(r"Program\.cs:%d:\d+: error CS\d+: " % cdb.mark_line(src, "compute"), s.stderr), s.stderr


@_slow
def test_nothing_changed_and_not_part_of_program():
    folder, dll = cdb.enc_program()
    src = _src(folder)
    s = _session(dll, "loop", "3")
    s.send("apply")
    s.expect_err(r"^error: the program is not running$")
    s.send("break Program.cs:%d" % cdb.mark_line(src, "print"))
    s.send("run")
    s.expect(r"hit Breakpoint 1")
    s.send("apply")
    s.expect(r"^nothing to apply: no source of the program changed since it was built or last applied$")
    other = os.path.join(cdb.tmpdir(), "Other.cs")
    with open(other, "w") as f:
        f.write("class Other {}\n")
    s.send("apply " + other)
    s.expect_err(r"^error: %s is not part of the program$" % re.escape(other))
    _finish(s, ["iter 0: 1", "iter 1: 3", "iter 2: 5", "done"], status=1)


def _broken_helper(script, message, env_extra=None):
    folder, dll = cdb.enc_program()
    src = _src(folder)
    helper = os.path.join(cdb.tmpdir(), "helper.sh")
    with open(helper, "w") as f:
        f.write("#!/bin/sh\n" + script + "\n")
    os.chmod(helper, 0o755)
    env = dict(os.environ, CORDBG_ENCSVC=helper, **(env_extra or {}))
    s = _session(dll, "loop", "3", env=env)
    _refused(s, src, "int r = i * 2 + 1;", "int r = i * 100 + 7;", message)


@_slow
def test_helper_that_exits():
    _broken_helper("echo 'no SDK here' >&2; exit 3",
                   r"^error: the edit and continue helper exited with status 3 \(it starts again at the next use\): no SDK here$")


@_slow
def test_helper_that_hangs():
    _broken_helper("exec sleep 60",
                   r"^error: the edit and continue helper did not answer in 2\.0 s and was stopped",
                   {"CORDBG_ENC_TIMEOUT_MS": "2000"})


@_slow
def test_enc_off_says_why():
    folder, dll = cdb.enc_program()
    src = _src(folder)
    s = _session(dll, "loop", "3", env=dict(os.environ, CORDBG_ENC="0"))
    _refused(s, src, "int r = i * 2 + 1;", "int r = i * 100 + 7;",
             r"^error: edit and continue was off when EncCases loaded")


@_slow
def test_repeated_remap_under_load():
    """Three rounds in one session with both cores busy: stopped in Compute, change its
    arithmetic, step on (remap) and see the new value, go on to the next iteration."""
    folder, dll = cdb.enc_program()
    src = _src(folder)
    with cdb.BusyCores(2):
        s = _session(dll, "loop", "4")
        s.send("break Program.cs:%d" % cdb.mark_line(src, "compute"))
        s.send("run")
        text = "int r = i * 2 + 1;"
        for k, mult in enumerate((10, 20, 30)):
            s.expect(r"hit Breakpoint 1, EncCases\.Program\.Compute\(int i\)", timeout=60)
            new = "int r = i * %d + 1;" % mult
            cdb.enc_edit(src, text, new)
            text = new
            _apply_ok(s, r"^applied: 1 method updated")
            s.send("next")
            assert _stop_line(s) == cdb.mark_line(src, "compute") + 1
            s.send("print r")
            s.expect(r"^%d$|= %d$" % (k * mult + 1, k * mult + 1))
            s.send("continue")
        s.expect(r"hit Breakpoint 1, EncCases\.Program\.Compute\(int i\)", timeout=60)
        _finish(s, ["iter 0: 1", "iter 1: 21", "iter 2: 61", "iter 3: 91", "done"])


@_slow
def test_attached_program_is_not_editable():
    """A program cordbg attached to cannot be edited (even started with
    DOTNET_MODIFIABLE_ASSEMBLIES=debug: the right side crashes applying to it), and apply
    says so; the program runs on to its normal end after the detach."""
    import subprocess
    folder, dll = cdb.enc_program()
    src = _src(folder)
    stop = os.path.join(cdb.tmpdir(), "stop")
    env = dict(os.environ, DOTNET_MODIFIABLE_ASSEMBLIES="debug")
    p = subprocess.Popen(["dotnet", dll, "spin", stop], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                         stderr=subprocess.PIPE, env=env)
    cdb.record_pid(p.pid)
    try:
        assert p.stdout.readline().startswith(b"iter 0:")
        s = cdb.Session(["-ex", "attach %d" % p.pid])
        s.expect(r"stopped \(attached\)")
        cdb.enc_edit(src, "int r = i * 2 + 1;", "int r = i * 100 + 7;")
        s.send("apply")
        s.expect_err(r"^error: edit and continue cannot be enabled for EncCases \(.*\): only in a program cordbg starts")
        s.send("detach")
        s.expect(r"^Detached from process %d$" % p.pid)
        s.send("quit")
        s.wait()
        open(stop, "w").close()
        out, _ = p.communicate(timeout=30)
        assert p.returncode == 0 and out.decode().endswith("done\n"), out[-200:]
        # the old code ran on: every line is 2 * i + 1
        for line in out.decode().splitlines()[:-1]:
            m = re.match(r"iter (\d+): (\d+)$", line)
            assert m and int(m.group(2)) == 2 * int(m.group(1)) + 1, line
    finally:
        if p.poll() is None:
            p.kill()
            p.wait()
