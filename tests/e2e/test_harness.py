"""The test helpers themselves: markers and the test programs' own behaviour."""

import subprocess

import cdb
from cdb import program


def test_find_mark():
    n = cdb.find_mark("Demo", "break")
    with open(cdb.PROGRAMS + "/Demo/Program.cs", encoding="utf-8") as f:
        line = f.read().splitlines()[n - 1]
    assert "Debugger.Break()" in line, line
    try:
        cdb.find_mark("Demo", "no-such-mark")
    except AssertionError:
        pass
    else:
        raise AssertionError("find_mark accepted a missing marker")


def test_programs_without_debugger():
    # what the debugger tests rely on, checked without cordbg
    p = subprocess.run(["dotnet", program("Hello"), "3"], capture_output=True, timeout=60)
    assert (p.returncode, p.stdout) == (3, b"hello from Hello\n"), p
    p = subprocess.run(["dotnet", program("Demo")], capture_output=True, timeout=60)
    assert p.returncode == 7 and b"Demo: fib(40) = 102334155\n" in p.stdout, p
    p = subprocess.run(["dotnet", program("LogBreak")], capture_output=True, timeout=60)
    assert p.returncode == 0 and b"no debugger attached" in p.stdout, p
    p = subprocess.run(["dotnet", program("Threads")], capture_output=True, timeout=60)
    assert p.returncode == 0 and p.stdout.startswith(b"Threads: done"), p
