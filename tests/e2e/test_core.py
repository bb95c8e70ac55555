"""Opening the runtime's own crash dumps (issue 23): CoreCases crashes under
DOTNET_DbgEnableMiniDump=1 (full dump, type 4; heap dump, type 2) and `cordbg --core DUMP
PROGRAM` shows the crash moment (the throwing frame at its line, the exception and its
message), locals, $exception, bt all, info threads; what needs a running process is refused
with the reason. A FailFast dump and a SIGSEGV-in-P/Invoke dump open at their user frames."""

import glob
import os
import re
import subprocess

import cdb
from cdb import batch, find_mark, program

T = 120


def make_dump(scenario, dump_type, args=()):
    """Run CoreCases SCENARIO (its apphost: on the matrix, self-contained) until it crashes
    with the runtime writing a dump of DUMP_TYPE; the dump's path and the program's output."""
    d = cdb.tmpdir()
    env = dict(os.environ, DOTNET_DbgEnableMiniDump="1", DOTNET_DbgMiniDumpType=str(dump_type),
               DOTNET_DbgMiniDumpName=os.path.join(d, "core.%p"))
    p = subprocess.run([program("CoreCases", apphost=True), scenario] + list(args), env=env,
                       stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=T)
    out = p.stdout.decode("utf-8", "replace")
    assert p.returncode != 0, "CoreCases %s did not crash:\n%s" % (scenario, out)
    dumps = glob.glob(os.path.join(d, "core.*"))
    assert len(dumps) == 1, "expected one dump in %s, found %r; program output:\n%s" % (d, dumps, out)
    return dumps[0], out


def open_core(dump, commands):
    return batch([program("CoreCases")], commands, options=["--core", dump], timeout=T)


def check_unhandled(dump_type):
    dump, out = make_dump("unhandled", dump_type)
    # the program's own normal output up to its crash
    assert "CoreCases: count=42 name=core-cases" in out, out
    assert "core cases: bad state 42" in out, out
    line = find_mark("CoreCases", "throw")
    r = open_core(dump, ["info locals", "print $exception", "print numbers", "print point",
                         "print holder", "bt all", "info threads",
                         "continue", "step", "break Program.cs:%d" % line, "kill",
                         "set var count = 1", "print name.ToUpper()", "frame"])
    # the crash moment: the unhandled exception, its message, the throwing line
    r.one(r"^Unhandled exception on thread \d+ \(tid \d+\): System\.InvalidOperationException: core cases: bad state 42$")
    r.one(r"^Program\.Crash\(int depth, string why\) at Program\.cs:%d$" % line)
    # locals of the throwing frame (selected: no `frame N` needed)
    r.one(r"^count = 42$")
    r.one(r'^name = "core-cases"$')
    r.one(r"^numbers = \{int\[5\]\}$")
    r.one(r"^items = \{System\.Collections\.Generic\.List<string>\}$")
    # $exception with its message field
    r.one(r'^    _message = "core cases: bad state 42"$')
    # an array's elements, a record's fields, a getter refused while the fields show
    assert r.index(r"^  \[4\] = 8$") > r.index(r"^\{int\[5\]\}$")
    r.one(r"^  X = 3$")
    r.one(r'^  Label = "holder"$')
    r.one(r"^  Total = <error: cannot call functions in a core dump: values show their fields>$")
    # bt all: the crashing thread's managed frames in order
    a = r.index(r"^#\d+\s+Program\.Crash\(int depth = 3, string why = \"state\"\) at Program\.cs:%d$" % line)
    b = r.index(r"^#\d+\s+Program\.Unhandled\(\) at Program\.cs:\d+$")
    c = r.index(r"^#\d+\s+Program\.Main\(string\[\] args\) at Program\.cs:\d+$")
    assert a < b < c, r.transcript()
    # info threads: the selected thread is in Crash
    r.one(r"^\* \d+\s+\d+\s+.*Program\.Crash\(int depth, string why\) at Program\.cs:%d$" % line)
    # refusals, each with its reason
    assert len(r.grep(r"^error: this is a core dump: the process is not running", "stderr")) == 2, r.transcript()
    r.one(r"^error: this is a core dump: breakpoints need a running process", "stderr")
    r.one(r"^error: this is a core dump: there is no process to end", "stderr")
    r.one(r"^error: this is a core dump: nothing in it can be changed", "stderr")
    r.one(r"^error: cannot call functions in a core dump: values show their fields", "stderr")
    # frame: still the throwing frame
    assert len(r.grep(r"Program\.Crash\(int depth.*\) at Program\.cs:%d$" % line)) >= 3, r.transcript()


@cdb.matrix("CoreCases")
def test_core_unhandled_full_dump():
    check_unhandled(4)


@cdb.matrix("CoreCases")
def test_core_unhandled_heap_dump():
    check_unhandled(2)


@cdb.matrix("CoreCases")
def test_core_async_exception_stack():
    """An exception from an async method: when the awaiter rethrows it, the throwing frames
    are gone; the crash stop says where it was thrown from the exception's own call stack."""
    dump, out = make_dump("async", 4)
    assert "CoreCases: async inner 5" in out, out
    line = find_mark("CoreCases", "async_throw")
    r = open_core(dump, ["info locals", "print $exception._message", "bt"])
    r.one(r"^Unhandled exception on thread \d+ \(tid \d+\): System\.ArgumentException: core cases: async 5$")
    inner = r.index(r"^   at Program\.AsyncInner\(int n\) in .*Program\.cs:line %d$" % line)
    outer = find_mark("CoreCases", "async_await")
    assert inner < r.index(r"^   at Program\.AsyncOuter\(\) in .*Program\.cs:line %d$" % outer), r.transcript()
    # the first managed frame is selected: its locals read, no "not managed code"
    assert not r.grep(r"not managed code", "stderr"), r.transcript()
    r.one(r'^"core cases: async 5"$')


def test_core_failfast():
    dump, out = make_dump("failfast", 4)
    assert "core cases: fail fast 7" in out, out
    line = find_mark("CoreCases", "failfast")
    r = open_core(dump, ["info locals", "bt"])
    r.one(r"^Program\.FailFast\(int code\) at Program\.cs:%d$" % line)
    r.one(r'^reason = "core cases: fail fast 7"$')
    r.one(r"^#\d+\s+Program\.FailFast\(int code = 7\) at Program\.cs:%d$" % line)


def test_core_segv_in_pinvoke():
    dump, out = make_dump("segv", 4)
    assert "CoreCases: segv start 30" in out, out
    line = find_mark("CoreCases", "segv")
    r = open_core(dump, ["info locals", "bt"])
    r.one(r"^Thread \d+ \(tid \d+\) received signal SIGSEGV")
    r.one(r"^Program\.Segv\(int kind\) at Program\.cs:%d$" % line)
    r.one(r"^before = 30$")
    # native code above the managed frame, Main below it
    a = r.index(r"^#\d+\s+Program\.Segv\(int kind = 3\) at Program\.cs:%d$" % line)
    assert r.index(r"^#0\s+") < a < r.index(r"^#\d+\s+Program\.Main\(string\[\] args\)"), r.transcript()


def test_core_threads_named():
    dump, out = make_dump("threads", 4, ["3", "crash"])
    assert "CoreCases: threads 3 ready" in out, out
    blocked = find_mark("CoreCases", "blocked")
    r = open_core(dump, ["info threads", "bt all"])
    for i in range(3):
        r.one(r'name="blocked-%d".*Program\.Blocked\(.*\) at Program\.cs:%d$' % (i, blocked))
    assert len(r.grep(r"^#\d+\s+Program\.Blocked\(int index = \d.*at Program\.cs:%d$" % blocked)) == 3, r.transcript()
    r.one(r"^Unhandled exception .*core cases: threads 3$")


def test_core_runtime_missing():
    """A dump whose runtime folder is not here, without a PROGRAM that brings one: the version
    needed is named (faked by a copy of the dump with the runtime's path renamed, same length)."""
    dump, _ = make_dump("unhandled", 2)
    data = open(dump, "rb").read()
    m = re.search(rb"/Microsoft\.NETCore\.App/(\d+\.\d+\.\d+)/libcoreclr\.so", data)
    if not m:
        return   # a self-contained program (the matrix): its runtime is its own folder
    ver = m.group(1)
    fake = ver[:-1] + (b"9" if ver[-1:] != b"9" else b"8")
    bad = os.path.join(cdb.tmpdir(), "core.bad")
    with open(bad, "wb") as f:
        f.write(data.replace(b"/Microsoft.NETCore.App/" + ver + b"/", b"/Microsoft.NETCore.App/" + fake + b"/"))
    r = batch([program("CoreCases")], ["info threads"], options=["--core", bad], timeout=T)
    assert r.grep(r"\.NET %s .*not installed" % re.escape(fake.decode()), "stderr"), r.transcript()
