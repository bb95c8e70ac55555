"""Bad input for post-mortem sessions (issue 23): a truncated core, bytes that are not a
core, a core of a process without .NET (a native view), a core whose runtime is not
installed here, a PROGRAM that is not the build the dump ran. Each gives a clear message or
a clearly reduced view; cordbg never crashes (cdb checks its exit and stderr for sanitizer
reports on every run) and never hangs.

The .NET cores here are written by cordbg's own generate-core-file (createdump) at a
breakpoint in Hello, so they need nothing but the runtime installed here; the native one is
the kernel's (RLIMIT_CORE raised in the child only), or cordbg's own writer where
core_pattern is a pipe."""

import os
import re
import resource
import subprocess

import cdb
from cdb import batch, find_mark, program

T = 90

_made = {}


def _core_of_hello():
    """A full dump of Hello stopped at its first line (written once per test process)."""
    if "hello" in _made and os.path.exists(_made["hello"]):
        return _made["hello"]
    path = os.path.join(cdb.tmpdir(), "hello.core")
    line = find_mark("Hello", "hello")
    res = batch([program("Hello")], ["break Program.cs:%d" % line, "run", "generate-core-file " + path, "continue"],
                timeout=T)
    res.has(r"^Saved corefile " + re.escape(path) + r" \(\d+\.\d MB\)$")
    res.has(r"^hello from Hello$")          # the program went on normally after the dump
    res.has(cdb.RE_EXITED)
    assert os.path.getsize(path) > 1 << 20, "the dump is too small to be a full one"
    _made["hello"] = path
    return path


def _says(res, pattern):
    """stdout or stderr has a line matching pattern (case-insensitive)."""
    rx = re.compile(pattern, re.I)
    lines = res.lines + res.err_lines
    assert any(rx.search(l) for l in lines), "no line matching /%s/ in stdout or stderr" % pattern


def test_core_random_bytes():
    path = os.path.join(cdb.tmpdir(), "random.core")
    with open(path, "wb") as f:
        f.write(os.urandom(64 * 1024))
    res = cdb.run(["--batch", "--core", path, "-ex", "bt"], timeout=T)
    cdb.assert_failed(res, r"ELF|core")
    assert res.status == 1
    # one clear line: no stop, no backtrace printed from nothing
    res.hasnt(r"^#\d+ ")


def test_core_not_elf_text_and_empty_and_missing():
    d = cdb.tmpdir()
    empty = os.path.join(d, "empty.core")
    open(empty, "wb").close()
    text = os.path.join(d, "text.core")
    with open(text, "w") as f:
        f.write("this is not a core dump\n" * 100)
    for p in (empty, text):
        res = cdb.run(["--batch", "--core", p, "-ex", "bt"], timeout=T)
        cdb.assert_failed(res)
        assert res.status == 1
    res = cdb.run(["--batch", "--core", os.path.join(d, "missing.core")], timeout=T)
    cdb.assert_failed(res, r"missing\.core: No such file")


def test_core_elf_that_is_not_a_core():
    """An ELF executable is not a core: said so."""
    res = cdb.run(["--batch", "--core", "/bin/true", "-ex", "bt"], timeout=T)
    cdb.assert_failed(res)
    assert res.status == 1


def test_core_truncated():
    """The first half of a full dump: the threads' notes are there, much of the memory is
    not. It opens with a warning saying what was dropped, or fails saying so."""
    full = _core_of_hello()
    cut = os.path.join(cdb.tmpdir(), "half.core")
    size = os.path.getsize(full)
    with open(full, "rb") as src, open(cut, "wb") as dst:
        dst.write(src.read(size // 2))
    res = cdb.run(["--batch", "--core", cut, "-ex", "bt", "-ex", "info threads"], timeout=T)
    _says(res, r"truncat|past the end|dropped|missing|not saved|cannot")
    # the headers alone (no notes, no memory): an error
    tiny = os.path.join(cdb.tmpdir(), "tiny.core")
    with open(full, "rb") as src, open(tiny, "wb") as dst:
        dst.write(src.read(100))
    res = cdb.run(["--batch", "--core", tiny, "-ex", "bt"], timeout=T)
    cdb.assert_failed(res)


def test_core_runtime_not_installed():
    """A copy of a dump whose NT_FILE paths name a runtime version not on this machine
    (the version in the paths rewritten, same length): the message names the version
    that is needed."""
    full = _core_of_hello()
    with open(full, "rb") as f:
        data = f.read()
    m = re.search(rb"/Microsoft\.NETCore\.App/(\d+\.\d+\.\d+)/libcoreclr\.so", data)
    assert m, "the dump names no libcoreclr.so of a shared runtime"
    real = m.group(1)
    fake = re.sub(rb"\d", b"9", real)
    assert fake != real
    data = data.replace(b"/Microsoft.NETCore.App/" + real + b"/", b"/Microsoft.NETCore.App/" + fake + b"/")
    path = os.path.join(cdb.tmpdir(), "norun.core")
    with open(path, "wb") as f:
        f.write(data)
    del data
    res = cdb.run(["--batch", "--core", path, "-ex", "bt"], timeout=T)
    _says(res, re.escape(fake.decode()))
    _says(res, r"runtime|not installed|not found|needed")


def test_core_program_build_mismatch():
    """PROGRAM names another assembly than the one the dump ran: a warning says so, and the
    dump's own program is shown from the files the dump names."""
    full = _core_of_hello()
    res = cdb.run(["--batch", "--core", full, program("Threads"), "-ex", "bt"], timeout=T)
    res.has(r"^warning: Threads\.dll is not a module of this dump")
    # the dump's own program is still shown from its files
    res.has(r"^#0  Program\.Main\(string\[\] args\) at Program\.cs:%d$" % find_mark("Hello", "hello"))


def _kernel_core(argv, cwd):
    """Run argv in cwd with RLIMIT_CORE raised; the core file it left, or None when the
    machine's core_pattern does not write one there."""
    def limit():
        resource.setrlimit(resource.RLIMIT_CORE, (resource.RLIM_INFINITY, resource.RLIM_INFINITY))
    p = subprocess.run(argv, cwd=cwd, preexec_fn=limit, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=T)
    assert p.returncode < 0 or p.returncode > 128, "the program did not die of a signal: %r" % p.returncode
    cores = [f for f in os.listdir(cwd) if f == "core" or f.startswith("core.")]
    return os.path.join(cwd, cores[0]) if cores else None


def test_core_of_native_program():
    """A core of a C program (no .NET runtime in it): native views only; the crash is shown
    in crash_here at its line. The kernel writes it (core_pattern names a file here); with
    a pipe pattern, cordbg's own writer does, at the SIGSEGV stop of `cordbg --native`."""
    with open("/proc/sys/kernel/core_pattern") as f:
        pattern = f.read().strip()
    d = cdb.tmpdir()
    nprog = cdb.native_out("nprog")
    if pattern.startswith("|"):
        core = os.path.join(d, "core.nprog")
        res = cdb.run(["--batch", "--native", "-ex", "run", "-ex", "generate-core-file " + core, "--", nprog, "segv"],
                      timeout=T)
        res.has(r"^Saved corefile ")
    else:
        core = _kernel_core([nprog, "segv"], d)
        assert core, "no kernel core in %s (core_pattern %r)" % (d, pattern)
    res = cdb.run(["--batch", "--core", core, nprog, "-ex", "bt", "-ex", "info threads"], timeout=T)
    assert res.status == 0, "a native core must open: %r" % res.err_lines
    _says(res, r"SIGSEGV|signal 11|Segmentation")
    res.has(r"crash_here")
    res.has(r"nprog\.c:%d" % find_mark("native", "segv_write", file="nprog.c"))
