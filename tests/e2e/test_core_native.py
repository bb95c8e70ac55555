"""Native views of a core dump (issue 23, part B): a C program (tests/native/ncrash.c, built
here with gcc -g -O0 -pthread) dies of SIGSEGV in crash_inner, called by crash_outer, called
by main, while a second thread is parked. Its core opens with `cordbg --core CORE PROGRAM`:
bt shows the three functions at their marked lines (CFI unwinding over the core's memory,
modules from its NT_FILE note), info registers, x, disassemble, info threads, thread/bt of
the other thread, frame/up, info sharedlibrary; continue and step are refused.

The core is the kernel's (RLIMIT_CORE raised in the child only; core_pattern names a file in
its cwd). Where core_pattern is a pipe (no file is left), cordbg's own writer makes it
instead: generate-core-file at the SIGSEGV stop of `cordbg --native` (nt_write_core). The
second test always uses that writer and checks the core shows what the live stop showed."""

import os
import re
import resource
import subprocess

import cdb
from cdb import find_mark

T = 90
SRC = os.path.join(cdb.NATIVE, "ncrash.c")


def _build(d):
    exe = os.path.join(d, "ncrash")
    subprocess.run(["gcc", "-g", "-O0", "-Wall", "-pthread", "-o", exe, SRC], check=True, timeout=T)
    return exe


def _line(mark):
    return find_mark("native", mark, file="ncrash.c")


def _kernel_core(exe, d):
    """The kernel's core of exe run in d, or None when core_pattern leaves no file there."""
    def limit():
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    p = subprocess.run([exe], cwd=d, preexec_fn=limit, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=T)
    assert p.returncode == -11, "ncrash did not die of SIGSEGV: %r" % p.returncode
    assert b"ncrash: ready" in p.stdout
    cores = [f for f in os.listdir(d) if f == "core" or f.startswith("core.")]
    return os.path.join(d, cores[0]) if cores else None


def _written_core(exe, d, commands=()):
    """cordbg's own core of exe at its SIGSEGV stop; the live session's Result too."""
    core = os.path.join(d, "written.core")
    args = ["--batch", "--native", "-ex", "run"]
    for c in list(commands) + ["generate-core-file " + core]:
        args += ["-ex", c]
    res = cdb.run(args + ["--", exe], timeout=T)
    res.has(r"SIGSEGV")
    res.has(r"^Saved corefile " + re.escape(core))
    return core, res


def _open(core, exe, commands):
    """cordbg --batch -ex CMD... --core CORE PROGRAM (options before the program)."""
    args = ["--batch"]
    for c in commands:
        args += ["-ex", c]
    return cdb.run(args + ["--core", core, exe], timeout=T)


def _frames(res):
    """The bt lines (#N ...), in order."""
    return [l for l in res.lines if re.match(r"^#\d+ ", l)]


def test_core_native_views():
    d = cdb.tmpdir()
    exe = _build(d)
    with open("/proc/sys/kernel/core_pattern") as f:
        pattern = f.read().strip()
    core = None if pattern.startswith("|") else _kernel_core(exe, d)
    if core is None:
        core, _ = _written_core(exe, d)      # a pipe pattern: cordbg's own writer instead
    res = _open(core, exe, ["bt", "info registers", "x/2gx $rsp", "disassemble", "info threads",
                            "info sharedlibrary", "up", "info registers rip", "frame 2", "thread 2", "bt",
                            "continue", "step", "stepi"])
    assert "SIGSEGV" in res.stdout + res.stderr
    fr = _frames(res)
    assert len(fr) >= 3 + 5, "too few frames: %r" % fr        # bt, then thread 2's
    assert re.match(r"^#0 +crash_inner\+0x[0-9a-f]+ \(ncrash\) at ncrash\.c:%d$" % _line("ncrash_write"), fr[0]), fr[0]
    assert re.match(r"^#1 +crash_outer\+0x[0-9a-f]+ \(ncrash\) at ncrash\.c:%d$" % _line("ncrash_call"), fr[1]), fr[1]
    assert re.match(r"^#2 +main\+0x[0-9a-f]+ \(ncrash\) at ncrash\.c:%d$" % _line("ncrash_main"), fr[2]), fr[2]
    # info registers: frame 0's, rip at the faulting instruction; the null pointer in a register
    m = re.search(r"^rip +0x([0-9a-f]+) +crash_inner\+0x[0-9a-f]+ \(ncrash\)$", res.stdout, re.M)
    assert m, "no rip line in crash_inner"
    rip = int(m.group(1), 16)
    rsp = re.search(r"^rsp +0x([0-9a-f]+) ", res.stdout, re.M)
    assert rsp
    # x/2gx $rsp: two words read from the core's saved stack
    res.has(r"^0x0*%s:\s+0x[0-9a-f]{16}\s+0x[0-9a-f]{16}$" % rsp.group(1))
    # disassemble: crash_inner, the arrow on the faulting store
    res.has(r"^Dump of assembler code for function crash_inner:$")
    arrow = [l for l in res.lines if l.startswith("=> ")]
    assert arrow and int(arrow[0].split()[1], 16) == rip, arrow
    assert re.search(r"mov\s+%\w+,\(%\w+\)", arrow[0]), arrow[0]    # the store through NULL
    # info threads: both threads, stopped; the crashing one is current
    th = [l for l in res.lines if re.match(r"^[* ] +\d+ +\d+ ", l)]
    assert len(th) == 2, th
    assert th[0].startswith("*") and "crash_inner" in th[0], th
    # info sharedlibrary: the program and the C library, from the core's NT_FILE
    res.has(r"^0x[0-9a-f]+ +0x[0-9a-f]+ +DWARF +%s$" % re.escape(exe))
    res.has(r"libc\.so\.6$")
    res.has(r"^0x[0-9a-f]+ +0x[0-9a-f]+ +symbols +\[vdso\]$")   # its image read from the core's memory
    # up / frame 2: the callers at their lines
    res.has(r"^#1 +crash_outer\+0x[0-9a-f]+ \(ncrash\) at ncrash\.c:%d$" % _line("ncrash_call"))
    res.has(r"^rip +0x[0-9a-f]+ +crash_outer\+0x[0-9a-f]+ \(ncrash\)$")
    res.has(r"^#2 +main\+0x[0-9a-f]+ \(ncrash\) at ncrash\.c:%d$" % _line("ncrash_main"))
    # thread 2: the parked thread's stack reaches park_here and the thread's start
    t2 = fr[3:]
    assert any("park_here" in l for l in t2), t2
    assert any("start_thread" in l or "clone" in l for l in t2), t2
    # what needs the process alive is refused, one clear line each
    errs = res.error_lines()
    assert len([e for e in errs if "core" in e]) >= 3, errs


def test_core_written_by_cordbg_matches_live_stop():
    """A core written by generate-core-file at a native SIGSEGV stop (nt_write_core) opens
    with the live stop's stack and registers."""
    d = cdb.tmpdir()
    exe = _build(d)
    core, live = _written_core(exe, d, ["bt", "info registers rip", "info registers rsp"])
    res = _open(core, exe, ["bt", "info registers rip", "info registers rsp"])
    lf, cf = _frames(live), _frames(res)
    assert len(lf) >= 3 and lf == cf, "live %r\ncore %r" % (lf, cf)
    assert cf[0].startswith("#0  crash_inner") or re.match(r"^#0 +crash_inner", cf[0])
    for reg in ("rip", "rsp"):
        lv = re.search(r"^%s +(0x[0-9a-f]+)" % reg, live.stdout, re.M)
        cv = re.search(r"^%s +(0x[0-9a-f]+)" % reg, res.stdout, re.M)
        assert lv and cv and lv.group(1) == cv.group(1), (reg, lv, cv)
