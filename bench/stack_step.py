#!/usr/bin/env python3
"""bt of a 1,000-frame stack, and `next` round trips over a loop (issue 5's benchmarks).
Each timed part is the difference between two sessions that differ only in it, so start-up
and exit cancel out. A benchmark, not a test."""
import os, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
depth = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
steps = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
out = os.path.join(root, "bench", "out", "Deep")
subprocess.run(["dotnet", "build", "bench/programs/Deep/Deep.csproj", "-c", "Debug", "-o", out, "--nologo", "-v", "q"],
               cwd=root, check=True, stdout=subprocess.DEVNULL)
cordbg = os.path.join(root, "build", "cordbg")

def session(cmds):
    with tempfile.NamedTemporaryFile("w", suffix=".cdb", delete=False) as f:
        f.write("\n".join(cmds) + "\n")
        script = f.name
    t = time.perf_counter()
    p = subprocess.run([cordbg, "--batch", "-x", script, os.path.join(out, "Deep.dll"), str(depth), str(steps)],
                       capture_output=True, text=True)
    dt = time.perf_counter() - t
    os.unlink(script)
    return dt, p.stdout

def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]

base = median([session(["run", "continue", "continue"])[0] for _ in range(3)])
with_bt = [session(["run", "bt -full", "continue", "continue"]) for _ in range(3)]
frames = with_bt[0][1].count("\n#")
bt = median([d for d, _ in with_bt]) - base
print(f"S1 bt -full of a {depth}-deep recursion: {frames} frames printed in {bt*1000:.0f} ms  [target < 100 ms]")
stepped = [session(["run", "continue"] + ["next"] * (2 * steps) + ["continue"]) for _ in range(3)]
nexts = 2 * steps
st = median([d for d, _ in stepped]) - base
print(f"S2 next over a {steps}-iteration loop: {nexts} steps in {st:.2f} s -> {nexts / max(st, 1e-9):.0f} steps/s")
