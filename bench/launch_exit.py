#!/usr/bin/env python3
"""Launch-to-exit of Hello under cordbg versus `dotnet Hello.dll` alone, same run, median of N.
Also cordbg's own peak RSS (from its CORDBG_LOG=info report; the debuggee is not counted).
A benchmark, not a test: it prints figures and never fails on them."""
import os, re, statistics, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
cordbg = os.path.join(root, "build", "cordbg")
hello = os.path.join(root, "tests", "out", "Hello", "Hello.dll")
if not os.path.exists(hello):
    subprocess.run(["dotnet", "build", "tests/programs/Hello/Hello.csproj", "-c", "Debug", "-o",
                    "tests/out/Hello", "--nologo", "-v", "q"], cwd=root, check=True, stdout=subprocess.DEVNULL)

def timed(cmd, env=None):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, text=True)
    return time.perf_counter() - t, p

bare, under, rss = [], [], []
env = dict(os.environ, CORDBG_LOG="info")
timed(["dotnet", hello])            # warm the file cache once
for _ in range(runs):               # interleaved, so both see the same machine state
    bare.append(timed(["dotnet", hello])[0])
    dt, p = timed([cordbg, "--batch", "-ex", "run", hello], env)
    under.append(dt)
    m = re.search(r"peak RSS (\d+) KiB", p.stderr)
    if m: rss.append(int(m.group(1)))
b, u = statistics.median(bare), statistics.median(under)
print(f"L1 launch-to-exit Hello: dotnet alone {b*1000:.0f} ms, under cordbg {u*1000:.0f} ms, "
      f"ratio {u/b:.2f}x (median of {runs})")
if rss:
    print(f"L1 cordbg peak RSS: {max(rss)/1024:.1f} MB (max of {len(rss)} runs)")
