#!/usr/bin/env python3
"""Inspection and condition speed (issue 6), over bench/programs/EvalBench:
  E1 a conditional breakpoint `i == -1` on a hot line (never true): evaluations per second
  E2 a condition that needs a function evaluation (`list.Count == -1`): evaluations per second
  E3 time to show 1,000 locals (info locals)
  E4 time to fetch one page of 1,000 elements of a 1,000,000-element array (print with
     `set print elements 1000`)
Each figure subtracts the same session without the measured part. A benchmark, not a test."""
import os, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
out = os.path.join(root, "bench", "out", "EvalBench")
subprocess.run(["dotnet", "build", "bench/programs/EvalBench/EvalBench.csproj", "-c", "Debug", "-o", out,
                "--nologo", "-v", "q"], cwd=root, check=True, stdout=subprocess.DEVNULL)
src = open(os.path.join(root, "bench/programs/EvalBench/Program.cs")).read().splitlines()
mark = lambda m: next(i + 1 for i, l in enumerate(src) if "@mark:" + m in l)
cordbg = os.path.join(root, "build", "cordbg")
dll = os.path.join(out, "EvalBench.dll")


def session(lines, count=n):
    with tempfile.NamedTemporaryFile("w", suffix=".cdb", delete=False) as f:
        f.write("\n".join(lines) + "\n")
        script = f.name
    t = time.perf_counter()
    p = subprocess.run([cordbg, "--batch", "-x", script, dll, str(count)], capture_output=True, text=True)
    dt = time.perf_counter() - t
    os.unlink(script)
    if p.returncode != 0 or "error:" in p.stderr:
        sys.exit("session failed:\n" + p.stdout[-2000:] + p.stderr[-2000:])
    return dt


hot = mark("hot")
base = session(["run"])
for label, cond in (("E1 condition i == -1", "i == -1"), ("E2 condition list.Count == -1 (function evaluation)", "list.Count == -1")):
    dt = session(["break Program.cs:%d if %s" % (hot, cond), "run"]) - base
    print(f"{label}: {n} evaluations in {dt:.2f} s -> {n / max(dt, 1e-9):.0f} evaluations/s")

stop_many = session(["break Program.cs:%d" % mark("many"), "run", "continue"], 1)
with_locals = session(["break Program.cs:%d" % mark("many"), "run", "info locals", "continue"], 1)
print(f"E3 info locals with 1,000 locals: {(with_locals - stop_many) * 1000:.0f} ms")

stop_big = session(["break Program.cs:%d" % mark("big"), "run", "continue"], 1)
page = session(["break Program.cs:%d" % mark("big"), "run", "set print elements 1000", "print big", "continue"], 1)
print(f"E4 one page of 1,000 elements of a 1,000,000-element array: {(page - stop_big) * 1000:.0f} ms (target < 20 ms)")
