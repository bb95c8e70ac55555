#!/usr/bin/env python3
"""Cost of the native engine in mixed mode: Interop (tests/programs/Interop) run to its end
three ways, interleaved, median of N runs each:
  none     dotnet Interop.dll ...
  managed  cordbg --batch -ex run Interop.dll ...
  mixed    cordbg --mixed --batch -ex run Interop.dll ...
for (a) `spin N` (managed arithmetic, no stop, no exception: the steady-state cost of being
debugged) and (b) `throw N` (N exceptions thrown and caught: each one is a round trip through
the debugger; in mixed mode the runtime's own signals pass through ptrace too).
Prints the medians and the ratios mixed/managed and managed/none.
A benchmark, not a test: it prints figures and never fails on them.

  python3 bench/mixed_bench.py [--runs 3] [--spin 1000000000] [--throw 100000]

(throw 100000 takes about 18 minutes per debugged run on the reference machine: ~11 ms an
exception under the debugger; use --throw 10000 for a quicker figure.)
Environment: CORDBG (default build/cordbg)."""
import argparse, os, shutil, statistics, subprocess, sys, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--spin", type=int, default=1000000000)
ap.add_argument("--throw", type=int, default=100000)
args = ap.parse_args()

cordbg = os.path.abspath(os.environ.get("CORDBG") or os.path.join(root, "build", "cordbg"))
dll = os.path.join(root, "tests", "out", "Interop", "Interop.dll")
if not os.path.exists(dll):
    sys.exit("Interop not built: run `python3 tests/run.py` once (it builds tests/out/)")
dotnet = shutil.which("dotnet") or "dotnet"

WAYS = (("none", lambda a: [dotnet, dll] + a),
        ("managed", lambda a: [cordbg, "--batch", "-ex", "run", dll] + a),
        ("mixed", lambda a: [cordbg, "--mixed", "--batch", "-ex", "run", dll] + a))


def timed(cmd, expect):
    t = time.perf_counter()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t
    if expect not in p.stdout or p.returncode != 0:
        print("  warning: %s: status %d, no %r in its output; stderr: %s"
              % (" ".join(cmd[:4]), p.returncode, expect, p.stderr.strip()[-300:]), flush=True)
    return dt


def scenario(label, prog_args, expect):
    times = {w: [] for w, _ in WAYS}
    timed(WAYS[0][1](prog_args), expect)          # warm the file cache once
    for r in range(args.runs):                     # interleaved: the same machine state for all
        for w, cmd in WAYS:
            times[w].append(timed(cmd(prog_args), expect))
        print("  %s run %d: %s" % (label, r + 1, ", ".join("%s %.2f s" % (w, times[w][-1]) for w, _ in WAYS)),
              flush=True)
    med = {w: statistics.median(v) for w, v in times.items()}
    print(f"{label}: none {med['none']:.2f} s, managed {med['managed']:.2f} s, mixed {med['mixed']:.2f} s "
          f"-> mixed/managed {med['mixed'] / med['managed']:.2f}x, managed/none {med['managed'] / med['none']:.2f}x "
          f"(median of {args.runs})", flush=True)
    return med


print(f"cordbg = {cordbg}", flush=True)
spin = scenario(f"M1 Interop spin {args.spin}", ["spin", str(args.spin)], f"Interop: spin {args.spin} =")
thr = scenario(f"M2 Interop throw {args.throw}", ["throw", str(args.throw)], f"Interop: caught {args.throw}")
per = {w: (thr[w] - thr["none"]) / args.throw * 1e3 for w in ("managed", "mixed")}
print(f"M2 per exception beyond the undebugged run: managed {per['managed']:.2f} ms, mixed {per['mixed']:.2f} ms")
