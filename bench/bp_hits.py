#!/usr/bin/env python3
"""Breakpoint hit-and-continue round trips per second: BpLoop calls Tick N times with a
breakpoint in it; cordbg continues from each hit (a -x script of N continues). The time of
the same session with the breakpoint disabled is subtracted, so the figure is the hits' own
cost. A benchmark, not a test."""
import os, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
n = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
out = os.path.join(root, "bench", "out", "BpLoop")
subprocess.run(["dotnet", "build", "bench/programs/BpLoop/BpLoop.csproj", "-c", "Debug", "-o", out,
                "--nologo", "-v", "q"], cwd=root, check=True, stdout=subprocess.DEVNULL)
src = open(os.path.join(root, "bench/programs/BpLoop/Program.cs")).read().splitlines()
line = next(i + 1 for i, l in enumerate(src) if "@mark:tick" in l)
cordbg = os.path.join(root, "build", "cordbg")

def session(enabled):
    with tempfile.NamedTemporaryFile("w", suffix=".cdb", delete=False) as f:
        f.write("break Program.cs:%d\n" % line)
        if not enabled:
            f.write("disable 1\n")
        f.write("run\n")
        if enabled:
            f.write("continue\n" * n)
        script = f.name
    t = time.perf_counter()
    p = subprocess.run([cordbg, "--batch", "-x", script, os.path.join(out, "BpLoop.dll"), str(n)],
                       capture_output=True, text=True)
    dt = time.perf_counter() - t
    os.unlink(script)
    hits = p.stdout.count("hit Breakpoint")
    return dt, hits

base, _ = session(False)
dt, hits = session(True)
print(f"B1 breakpoint hit-and-continue: {hits} hits in {dt - base:.2f} s beyond the run without them "
      f"-> {hits / max(dt - base, 1e-9):.0f} hits/s")
