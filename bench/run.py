#!/usr/bin/env python3
"""cordbg's benchmarks (`make bench`): every scenario against a baseline measured in the same
run, as a ratio (cordbg's time / the baseline's time), median of several runs.

Baselines:
  floor    build/floor (bench/floor.c): cordbg's own ICorDebug bindings and nothing of its
           engine -- one breakpoint, every event Continued on the runtime's callback thread.
           What the runtime's right-side/left-side round trip costs, and no more.
  alone    the program run without any debugger.
  files    (P8) reading the assembly and PDB bytes.
Other debuggers run where they apply (bench/others.py); what could not be run is said.

A benchmark, not a test: it prints figures and never fails on them. Output: a table (one row
per scenario, `P1 ... 1.07x ...`) and bench/out/results.json.

  python3 bench/run.py [--runs N] [--quick] [--only P1,P4] [--full-throw] [--json PATH]

--quick shrinks the counts (a smoke run); --full-throw throws 100,000 exceptions in P9b (the
issue's figure; about 10 minutes per debugged run on the reference machine) instead of 2,000.
Environment: CORDBG (default build/cordbg), FLOOR (default build/floor)."""
import argparse, json, os, platform, re, shutil, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "bench", "out")
sys.path.insert(0, os.path.join(ROOT, "bench"))
import others  # noqa: E402  (bench/others.py)

ap = argparse.ArgumentParser()
ap.add_argument("--runs", type=int, default=3)
ap.add_argument("--quick", action="store_true")
ap.add_argument("--only", default="")
ap.add_argument("--full-throw", action="store_true")
ap.add_argument("--json", default=os.path.join(OUT, "results.json"))
args = ap.parse_args()
ONLY = {s.strip().upper() for s in args.only.split(",") if s.strip()}
Q = args.quick
CORDBG = os.path.abspath(os.environ.get("CORDBG") or os.path.join(ROOT, "build", "cordbg"))
FLOOR = os.path.abspath(os.environ.get("FLOOR") or os.path.join(ROOT, "build", "floor"))
DOTNET = shutil.which("dotnet") or "dotnet"

N_HITS = 2000 if Q else 20000          # P1, P2
N_FUNCEVAL = 200 if Q else 2000        # P3
N_STEPS = 200 if Q else 2000           # P4 (over a 1,000-iteration loop)
DEPTH = 1000                           # P6
SPIN = 100000000 if Q else 1000000000  # P9a
THROWS = 100000 if args.full_throw else (200 if Q else 2000)  # P9b


def log(msg):
    print(msg, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- building

PROGRAMS = {"BpLoop": "bench/programs/BpLoop/BpLoop.csproj", "Deep": "bench/programs/Deep/Deep.csproj",
            "EvalBench": "bench/programs/EvalBench/EvalBench.csproj", "ToMain": "bench/programs/ToMain/ToMain.csproj",
            "Interop": "tests/programs/Interop/Interop.csproj", "BigHeap": "bench/programs/BigHeap/BigHeap.csproj"}


def newest(folder):
    t = 0
    for d, dirs, files in os.walk(folder):
        dirs[:] = [x for x in dirs if x not in ("bin", "obj")]
        t = max([t] + [os.path.getmtime(os.path.join(d, f)) for f in files])
    return t


def build_programs():
    for name, proj in PROGRAMS.items():
        out = os.path.join(OUT, name)
        dll = os.path.join(out, name + ".dll")
        if os.path.exists(dll) and os.path.getmtime(dll) >= newest(os.path.dirname(os.path.join(ROOT, proj))):
            continue
        log(f"building {name}")
        subprocess.run([DOTNET, "build", proj, "-c", "Debug", "-o", out, "--nologo", "-v", "q"], cwd=ROOT,
                       check=True, stdout=subprocess.DEVNULL)


def dll(name):
    return os.path.join(OUT, name, name + ".dll")


def mark(name, m):
    """Line of `// @mark:m` in a program's Program.cs."""
    src = os.path.join(ROOT, os.path.dirname(PROGRAMS[name]), "Program.cs")
    for i, line in enumerate(open(src), 1):
        if "@mark:" + m in line:
            return i
    raise KeyError(f"{name}: no @mark:{m}")


# ---------------------------------------------------------------- running

def run(cmd, check=None, env=None):
    """Run cmd to its end: (wall seconds, stdout, stderr). check: text stdout must hold."""
    t = time.perf_counter()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    dt = time.perf_counter() - t
    if p.returncode != 0 or (check and check not in p.stdout):
        raise RuntimeError("%s: exit %d, %r expected\n%s\n%s" % (" ".join(cmd[:6]), p.returncode, check,
                                                               p.stdout[-1500:], p.stderr[-1500:]))
    return dt, p.stdout, p.stderr


# cordbg's memory cache (src/base/memcache.h): the benchmarks time cordbg with it, and
# without it (CORDBG_MEMCACHE=0: what any ICorDebug debugger pays, and cordbg before issue
# 20) in the same runs, for every scenario but P8.
os.environ.setdefault("CORDBG_MEMCACHE", "1")
NOCACHE = dict(os.environ, CORDBG_MEMCACHE="0")


def cordbg(script, program, prog_args, check=None, mode=(), env=None):
    with tempfile.NamedTemporaryFile("w", suffix=".cdb", delete=False) as f:
        f.write("\n".join(script) + "\n")
        path = f.name
    try:
        return run([CORDBG, *mode, "--batch", "-x", path, program, *prog_args], check, env=env)
    finally:
        os.unlink(path)


def floor(opts, where, program, prog_args):
    dt, out, _ = run([FLOOR, *opts, where, program, *prog_args])
    kv = dict(l.split(" ", 1) for l in out.splitlines() if re.match(r"^[a-z_]+ \S+$", l))
    return dt, {k: float(v) for k, v in kv.items()}


def rss_of(text):
    """KiB from `maintenance rss` (CLI) or the CORDBG_LOG=info exit report (DAP)."""
    m = re.findall(r"(?:Peak RSS:|peak RSS) (\d+) KiB", text)
    return int(m[-1]) if m else None


def exec_times(text):
    """Wall seconds of each command timed by `maintenance time on`."""
    return [float(x) for x in re.findall(r"Command execution time: [\d.]+ \(cpu\), ([\d.]+) \(wall\)", text)]


def med(xs):
    return statistics.median(xs)


def interleaved(ways, runs):
    """ways: {name: fn() -> value}; every run calls each once, in turn, so that all see the
    same machine state. Returns {name: [values]}."""
    got = {k: [] for k in ways}
    for _ in range(runs):
        for k, fn in ways.items():
            got[k].append(fn())
    return got


RESULTS = []


def row(sid, title, unit, cordbg_value, base_name, base_value, ratio, goal=None, met=None, rss_kib=None,
        floor_rss_kib=None, notes="", extra=None):
    r = {"id": sid, "scenario": title, "unit": unit, "cordbg": cordbg_value, "baseline": base_name,
         "baseline_value": base_value, "ratio": round(ratio, 3) if ratio is not None else None,
         "goal": goal, "met": met, "cordbg_rss_kib": rss_kib, "floor_rss_kib": floor_rss_kib, "notes": notes}
    if extra:
        r.update(extra)
    RESULTS.append(r)
    log(f"  {sid}: {fmt_ratio(ratio)}  {notes}")


def fmt_ratio(x):
    return "-" if x is None else f"{x:.2f}x"


def wanted(sid):
    return not ONLY or sid in ONLY or sid[:2] in ONLY


# ---------------------------------------------------------------- scenarios

def hit_costs(name, line, nhits, cordbg_script, floor_opts=(), prog_args=None, runs=None, nocache=None):
    """Seconds per hit for cordbg (script at line) and the floor (a plain breakpoint there):
    each the median of runs with the breakpoint minus runs without."""
    prog_args = prog_args or [str(nhits)]
    where = f"Program.cs:{line}"
    rss = []

    def with_bp():
        dt, out, _ = cordbg(cordbg_script + ["run", "maintenance rss"], dll(name), prog_args)
        rss.append(rss_of(out))
        return dt
    floor_rss = []

    def floor_bp():
        dt, kv = floor(list(floor_opts), where, dll(name), prog_args)
        if kv["hits"] != nhits:
            raise RuntimeError(f"floor: {kv['hits']} hits, {nhits} expected")
        floor_rss.append(kv["rss_kib"])
        return dt
    ways = {"cordbg": with_bp, "cordbg_none": lambda: cordbg(["run"], dll(name), prog_args)[0],
            "floor": floor_bp, "floor_none": lambda: floor(["--no-bp"], where, dll(name), prog_args)[0]}
    if nocache is not None:
        ways["nocache"] = lambda: cordbg(cordbg_script + ["run"], dll(name), prog_args, env=NOCACHE)[0]
    t = interleaved(ways, runs or args.runs)
    c = (med(t["cordbg"]) - med(t["cordbg_none"])) / nhits
    f = (med(t["floor"]) - med(t["floor_none"])) / nhits
    if nocache is not None:
        nocache.append((med(t["nocache"]) - med(t["cordbg_none"])) / nhits)
    return c, f, max(rss), max(floor_rss)


def p1():
    line = mark("BpLoop", "tick")
    runs = max(args.runs, 5)
    nc = []
    c, f, rss, frss = hit_costs("BpLoop", line, N_HITS, [f'logpoint Program.cs:{line} ""'], runs=runs, nocache=nc)
    hop = []
    for _ in range(runs):
        hop.append(floor(["--hop"], f"Program.cs:{line}", dll("BpLoop"), [str(N_HITS)])[0]
                   - floor(["--no-bp"], f"Program.cs:{line}", dll("BpLoop"), [str(N_HITS)])[0])
    h = med(hop) / N_HITS
    row("P1", f"breakpoint hit and continue: silent log point ({N_HITS} hits)", "hits/s",
        round(1 / c), "floor hits/s", round(1 / f), c / f, "<= 1.2x", c / f <= 1.2, rss, frss,
        f"cordbg {1/c:,.0f}/s, floor {1/f:,.0f}/s; floor answering on a second thread as cordbg's engine "
        f"does (--hop): {1/h:,.0f}/s, cordbg/that {c/h:.2f}x; without the memory cache {1/nc[0]:,.0f}/s",
        {"floor_hop_per_s": round(1 / h), "nocache_per_s": round(1 / nc[0])})
    return f


def p2():
    line = mark("EvalBench", "hot")
    nc = []
    c, f, rss, frss = hit_costs("EvalBench", line, N_HITS, [f"break Program.cs:{line} if i == -1"], nocache=nc)
    nc = nc[0]
    # The floor again, reading the local at every hit: the runtime's cost of a frame after a Continue.
    where, prog = f"Program.cs:{line}", [str(N_HITS)]
    t = interleaved({"local": lambda: floor(["--local", "i"], where, dll("EvalBench"), prog)[0],
                     "none": lambda: floor(["--no-bp"], where, dll("EvalBench"), prog)[0]}, args.runs)
    fl = (med(t["local"]) - med(t["none"])) / N_HITS
    row("P2", f"condition on a local, never true: i == -1 ({N_HITS})", "evals/s",
        round(1 / c), "floor hits/s", round(1 / f), c / f, "<= 1.2x", c / f <= 1.2, rss, frss,
        f"cordbg {1/c:,.0f} evaluations/s, floor {1/f:,.0f} bare hits/s; the floor reading local i at "
        f"each hit (GetActiveFrame, GetLocalVariable, GetValue): {1/fl:,.0f}/s, cordbg/that {c/fl:.2f}x; "
        f"cordbg without its memory cache {1/nc:,.0f}/s, the cache {nc/c:.2f}x faster",
        {"floor_local_per_s": round(1 / fl), "ratio_to_floor_local": round(c / fl, 3),
         "nocache_per_s": round(1 / nc), "speedup_over_nocache": round(nc / c, 3)})
    return f


def p3(floor_hit):
    line = mark("EvalBench", "hot")
    rss = []

    def with_cond():
        dt, out, _ = cordbg([f"break Program.cs:{line} if list.Count == -1", "run", "maintenance rss"],
                            dll("EvalBench"), [str(N_FUNCEVAL)])
        rss.append(rss_of(out))
        return dt
    nc_script = [f"break Program.cs:{line} if list.Count == -1", "run"]
    t = interleaved({"c": with_cond, "none": lambda: cordbg(["run"], dll("EvalBench"), [str(N_FUNCEVAL)])[0],
                     "nc": lambda: cordbg(nc_script, dll("EvalBench"), [str(N_FUNCEVAL)], env=NOCACHE)[0]},
                    args.runs)
    c = (med(t["c"]) - med(t["none"])) / N_FUNCEVAL
    nc = (med(t["nc"]) - med(t["none"])) / N_FUNCEVAL
    row("P3", f"condition with a function evaluation: list.Count == -1 ({N_FUNCEVAL})", "evals/s",
        round(1 / c), "floor hits/s", round(1 / floor_hit), c / floor_hit, None, None, max(rss), None,
        f"cordbg {1/c:,.0f} evaluations/s; each runs the getter in the debuggee (two round trips and more); "
        f"without the memory cache {1/nc:,.0f}/s, the cache {nc/c:.2f}x faster",
        {"nocache_per_s": round(1 / nc), "speedup_over_nocache": round(nc / c, 3)})


def p4():
    line = mark("Deep", "for")
    prog = [str(10), str(1000)]
    where = f"Program.cs:{line}"
    rss = []

    def cli(env=None):
        script = [f"break {where}", "run", "continue", "continue", "maintenance time on"] + ["next"] * N_STEPS + \
                 ["maintenance time off", "maintenance rss", "kill"]
        _, out, _ = cordbg(script, dll("Deep"), prog, env=env)
        ts = exec_times(out)
        if len(ts) != N_STEPS:
            raise RuntimeError(f"P4: {len(ts)} timed steps")
        rss.append(rss_of(out))
        return sum(ts)
    frss = []

    def fl():
        _, kv = floor(["--steps", str(N_STEPS)], where, dll("Deep"), prog)
        if kv["steps"] != N_STEPS:
            raise RuntimeError(f"floor: {kv['steps']} steps")
        frss.append(kv["rss_kib"])
        return kv["step_ms"] / 1e3
    dap_rss = []

    def dap(env=None):
        dt, r = dap_steps(where, prog, env)
        dap_rss.append(r)
        return dt
    t = interleaved({"cli": cli, "floor": fl, "dap": dap, "cli_nc": lambda: cli(NOCACHE),
                     "dap_nc": lambda: dap(NOCACHE)}, args.runs)
    c, f, d = med(t["cli"]) / N_STEPS, med(t["floor"]) / N_STEPS, med(t["dap"]) / N_STEPS
    cn, dn = med(t["cli_nc"]) / N_STEPS, med(t["dap_nc"]) / N_STEPS
    row("P4", f"CLI next over a 1,000-iteration loop ({N_STEPS} steps)", "steps/s", round(1 / c),
        "floor steps/s", round(1 / f), c / f, ">= 200 steps/s", 1 / c >= 200, max(rss), max(frss),
        f"cordbg {1/c:,.0f} steps/s, floor {1/f:,.0f} steps/s (StepRange over the statement); "
        f"without the memory cache {1/cn:,.0f} steps/s, the cache {cn/c:.2f}x faster",
        {"nocache_per_s": round(1 / cn), "speedup_over_nocache": round(cn / c, 3)})
    row("P4d", f"DAP next + stackTrace + scopes + variables ({N_STEPS})", "steps/s", round(1 / d),
        "floor steps/s", round(1 / f), d / f, ">= 200 steps/s", 1 / d >= 200, max(r for r in dap_rss if r) if any(dap_rss) else None,
        max(frss), f"cordbg over DAP {1/d:,.0f} steps/s with the views an editor asks for at each stop; "
        f"without the memory cache {1/dn:,.0f} steps/s, the cache {dn/d:.2f}x faster",
        {"nocache_per_s": round(1 / dn), "speedup_over_nocache": round(dn / d, 3)})


class Dap:
    """A minimal DAP client over cordbg's stdin/stdout."""

    def __init__(self, env):
        self.p = subprocess.Popen([CORDBG, "--interpreter=vscode"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, env=env)
        self.seq = 0
        self.pending = []

    def read(self):
        n = 0
        while True:
            line = self.p.stdout.readline()
            if not line:
                raise EOFError("cordbg ended")
            if line in (b"\r\n", b"\n"):
                break
            k, _, v = line.decode().partition(":")
            if k.lower() == "content-length":
                n = int(v)
        return json.loads(self.p.stdout.read(n))

    def send(self, cmd, a=None):
        self.seq += 1
        b = json.dumps({"seq": self.seq, "type": "request", "command": cmd, "arguments": a or {}}).encode()
        self.p.stdin.write(b"Content-Length: %d\r\n\r\n%s" % (len(b), b))
        self.p.stdin.flush()
        return self.seq

    def wait(self, pred):
        for i, m in enumerate(self.pending):
            if pred(m):
                return self.pending.pop(i)
        while True:
            m = self.read()
            if pred(m):
                return m
            if m.get("type") != "event" or m.get("event") not in ("output", "module", "loadedSource", "thread", "process"):
                self.pending.append(m)

    def req(self, cmd, a=None):
        s = self.send(cmd, a)
        r = self.wait(lambda m: m.get("type") == "response" and m.get("request_seq") == s)
        if not r["success"]:
            raise RuntimeError("DAP %s failed: %s" % (cmd, r.get("message")))
        return r

    def event(self, name):
        return self.wait(lambda m: m.get("type") == "event" and m.get("event") == name)


def dap_steps(where, prog, env=None):
    """Seconds for N_STEPS of next + stackTrace + scopes + variables from the breakpoint at
    where, and cordbg's peak RSS (its exit report)."""
    c = Dap(dict(env or os.environ, CORDBG_LOG="info"))
    file, line = where.split(":")
    c.req("initialize", {"adapterID": "cordbg"})
    c.req("launch", {"program": dll("Deep"), "args": prog})
    c.event("initialized")
    src = os.path.join(ROOT, "bench", "programs", "Deep", file)
    c.req("setBreakpoints", {"source": {"path": src}, "breakpoints": [{"line": int(line)}]})
    c.req("configurationDone")
    for _ in range(2):                                   # the two Debugger.Break stops
        tid = c.event("stopped")["body"]["threadId"]
        c.req("continue", {"threadId": tid})
    stop = c.event("stopped")
    if stop["body"].get("reason") != "breakpoint":
        raise RuntimeError(f"DAP: stopped for {stop['body'].get('reason')}")
    t = time.perf_counter()
    for _ in range(N_STEPS):
        c.req("next", {"threadId": tid})
        c.event("stopped")
        fid = c.req("stackTrace", {"threadId": tid, "startFrame": 0, "levels": 20})["body"]["stackFrames"][0]["id"]
        ref = c.req("scopes", {"frameId": fid})["body"]["scopes"][0]["variablesReference"]
        c.req("variables", {"variablesReference": ref})
    dt = time.perf_counter() - t
    c.req("disconnect", {"terminateDebuggee": True})
    c.p.stdin.close()
    err = c.p.stderr.read().decode(errors="replace")
    c.p.wait()
    return dt, rss_of(err)


def p5():
    line = mark("ToMain", "main")
    d = dll("ToMain")

    def alone():
        t0 = time.monotonic()
        _, out, _ = run([DOTNET, d], "main_at")
        m = re.search(r"main_at (\d+) freq (\d+)", out)
        return int(m.group(1)) / int(m.group(2)) - t0

    def until(cmd, text, env=None):
        t0 = time.monotonic()
        p = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                             env=env)
        got = None
        for l in p.stdout:
            if got is None and text in l:
                got = time.monotonic() - t0
        p.wait()
        if got is None:
            raise RuntimeError(f"{cmd[0]}: never printed {text!r}")
        return got
    rss = []

    def to_bp(env=None):
        return until([CORDBG, "--batch", "-ex", f"break Program.cs:{line}", "-ex", "run", "-ex", "kill", d],
                     "hit Breakpoint 1", env)

    def under_cordbg():
        t = to_bp()
        rss.append(rss_of(cordbg([f"break Program.cs:{line}", "run", "maintenance rss", "kill"], d, [])[1]))
        return t
    runs = max(args.runs, 5)
    alone()                                               # warm the file cache once
    t = interleaved({"alone": alone, "cordbg": under_cordbg, "nocache": lambda: to_bp(NOCACHE),
                     "floor": lambda: until([FLOOR, f"Program.cs:{line}", d], "first_hit")}, runs)
    a, c, f, nc = med(t["alone"]), med(t["cordbg"]), med(t["floor"]), med(t["nocache"])
    phases = [floor([], f"Program.cs:{line}", d, [])[1] for _ in range(runs)]
    hs, at, fh = (med([p[k] for p in phases]) for k in ("handshake_ms", "attached_ms", "first_hit_ms"))
    row("P5", "launch to a breakpoint in Main / the program reaching Main", "ms",
        round(c * 1e3, 1), "alone ms", round(a * 1e3, 1), c / a, "< 1.5x", c / a < 1.5, max(rss), None,
        f"alone {a*1e3:.0f} ms, cordbg {c*1e3:.0f} ms, floor {f*1e3:.0f} ms ({f/a:.2f}x alone; inside it: "
        f"runtime parked at its startup handshake {hs:.0f} ms, ICorDebug attached {at:.0f} ms, first hit {fh:.0f} ms); "
        f"cordbg without the memory cache {nc*1e3:.0f} ms",
        {"nocache_ms": round(nc * 1e3, 1), "floor_ms": round(f * 1e3, 1), "floor_handshake_ms": hs, "floor_attached_ms": at, "floor_first_hit_ms": fh})


def timed_command(name, prog_args, stop_script, command, pre=(), env=None):
    """Wall seconds of one command at a stop (maintenance time), and cordbg's RSS and output."""
    _, out, _ = cordbg(list(stop_script) + list(pre) + ["maintenance time on", command, "maintenance time off",
                                                         "maintenance rss", "kill"], dll(name), prog_args, env=env)
    ts = exec_times(out)
    if len(ts) != 1:
        raise RuntimeError(f"{command}: {len(ts)} timings\n{out[-2000:]}")
    return ts[0], rss_of(out), out


def p6():
    line = mark("Deep", "bottom")
    where = f"Program.cs:{line}"
    prog = [str(DEPTH), "10"]
    rss, frames = [], []

    def cli(env=None):
        t, r, out = timed_command("Deep", prog, [f"break {where}", "run"], "bt", env=env)
        rss.append(r)
        frames.append(len(re.findall(r"^#\d+", out, re.M)))
        return t
    ff = []

    def fl():
        _, kv = floor(["--walk"], where, dll("Deep"), prog)
        ff.append(kv["walk_frames"])
        return kv["walk_ms"] / 1e3
    ways = {"cli": cli, "floor": fl, "nocache": lambda: cli(NOCACHE)}
    sos_frames = []
    if others.sos_ready():
        # lldb+SOS: a run with two clrstacks minus a run with one is one warm clrstack
        def sos(n):
            def f():
                dt, fr = others.sos_clrstack(dll("Deep"), prog, n)
                sos_frames.append(fr)
                return dt
            return f
        ways.update(sos1=sos(1), sos2=sos(2))
    t = interleaved(ways, args.runs)
    c, f, nc = med(t["cli"]), med(t["floor"]), med(t["nocache"])
    sos_note, sos_extra = "", {}
    if "sos1" in t:
        s_ms = (med(t["sos2"]) - med(t["sos1"])) * 1e3
        sos_note = (f"; lldb+SOS clrstack {s_ms:.1f} ms for {min(sos_frames)} frames (no files or lines), "
                    f"cordbg/that {c * 1e3 / s_ms:.2f}x" if s_ms > 0 else "; lldb+SOS clrstack not measurable")
        sos_extra = {"lldb_sos_clrstack_ms": round(s_ms, 2), "lldb_sos_frames": min(sos_frames)}
    row("P6", f"bt of a {DEPTH + 1}-frame stack", "ms", round(c * 1e3, 2), "floor ms", round(f * 1e3, 2), c / f,
        "< 100 ms", c < 0.1, max(rss), None,
        f"cordbg printed {max(frames)} frames in {c*1e3:.1f} ms (names, files, lines); the floor walked "
        f"{int(max(ff))} frames (token + IL offset each) in {f*1e3:.1f} ms; cordbg without the memory cache "
        f"{nc*1e3:.1f} ms, the cache {nc/c:.2f}x faster" + sos_note, {"nocache_ms": round(nc * 1e3, 2), **sos_extra})


def p7():
    line = mark("EvalBench", "big")
    where = f"Program.cs:{line}"
    rss = []

    def cli(env=None):
        t, r, out = timed_command("EvalBench", ["1"], [f"break {where}", "run"], "print big",
                                  pre=["set print elements 1000"], env=env)
        if "[999] = 1998" not in out:
            raise RuntimeError("P7: element 999 not shown\n" + out[-1500:])
        rss.append(r)
        return t

    def fl():
        _, kv = floor(["--array", "big,1000"], where, dll("EvalBench"), ["1"])
        if kv["array_sum"] != sum(2 * i for i in range(1000)):
            raise RuntimeError("floor: wrong array sum")
        return kv["array_ms"] / 1e3
    t = interleaved({"cli": cli, "floor": fl, "nocache": lambda: cli(NOCACHE)}, args.runs)
    c, f, nc = med(t["cli"]), med(t["floor"]), med(t["nocache"])
    row("P7", "one page of 1,000 elements of an int[1000000]", "ms", round(c * 1e3, 2), "floor ms",
        round(f * 1e3, 2), c / f, "< 20 ms", c < 0.02, max(rss), None,
        f"cordbg print big (set print elements 1000) {c*1e3:.1f} ms; floor reads the same 1,000 elements "
        f"through ICorDebugArrayValue in {f*1e3:.1f} ms; cordbg without the memory cache {nc*1e3:.1f} ms, "
        f"the cache {nc/c:.2f}x faster", {"nocache_ms": round(nc * 1e3, 2)})


def p8():
    jpath = os.path.join(OUT, "meta_index.json")
    subprocess.run([sys.executable, os.path.join(ROOT, "bench", "meta_index.py"), "--runs", "5" if Q else "20"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    j = json.load(open(jpath))
    idx = j["index_ms"]["median"]
    ph = j["index_phases_ms"]
    files = ph["image"] + ph["pdb_read_file"]
    look = j["resolve_line_code_us"]["median"]
    big = os.path.join(OUT, "MetaBig", "bin", "MetaBig.dll")
    part = os.path.join(OUT, "MetaBig", "src", "Part0000.cs")
    bl = next(i for i, l in enumerate(open(part), 1) if "int a = x +" in l)
    _, out, _ = cordbg([f"break Part0000.cs:{bl}", "run", "maintenance rss", "kill"], big, [])
    if "hit Breakpoint 1" not in out:
        raise RuntimeError("P8: the breakpoint in MetaBig was not hit\n" + out[-1000:])
    row("P8", f"symbol index of {j['methoddef_rows']:,} methods, one file:line look-up", "ms",
        round(idx, 1), "reading the files ms", round(files, 1), idx / files, "index < 100 ms", idx < 100,
        rss_of(out), None,
        f"index {idx:.1f} ms (median), file:line look-up {look:.2f} us; reading the DLL and the "
        f"{j['pdb_bytes']/1e6:.1f} MB PDB alone takes {files:.1f} ms; the index's own peak RSS growth "
        f"{j['memory']['peak_rss_growth_kb']/1024:.1f} MB; RSS is cordbg's, stopped at a breakpoint in it",
        {"lookup_us": look})


def p9():
    d = dll("Interop")
    for sid, prog, expect, title in (
            ("P9a", ["spin", str(SPIN)], f"Interop: spin {SPIN} =", f"--mixed, a program that never stops ({SPIN:,} iterations)"),
            ("P9b", ["throw", str(THROWS)], f"Interop: caught {THROWS}", f"--mixed, a program that throws and catches {THROWS:,} exceptions")):
        rss = {}

        def dbg(mode, env=None):
            def f():
                dt, out, _ = cordbg(["run", "maintenance rss"], d, prog, expect, mode, env=env)
                rss[mode] = max(rss.get(mode, 0), rss_of(out) or 0)
                return dt
            return f
        ways = {"alone": lambda: run([DOTNET, d, *prog], expect)[0], "managed": dbg(()), "mixed": dbg(("--mixed",)),
                "nocache": dbg((), NOCACHE), "floor": lambda: floor(["--no-bp"], "Program.cs:1", d, prog)[0]}
        runs = 1 if sid == "P9b" and args.full_throw else args.runs
        t = {k: med(v) for k, v in interleaved(ways, runs).items()}
        extra = {k + "_s": round(v, 3) for k, v in t.items()}
        note = (f"alone {t['alone']:.2f} s, floor {t['floor']:.2f} s, cordbg {t['managed']:.2f} s, "
                f"cordbg --mixed {t['mixed']:.2f} s; mixed/managed {t['mixed']/t['managed']:.2f}x")
        if sid == "P9b":
            per = {k: (t[k] - t["alone"]) / THROWS * 1e3 for k in ("floor", "managed", "mixed", "nocache")}
            note += (f"; per exception beyond the program alone: floor {per['floor']:.2f} ms, cordbg "
                     f"{per['managed']:.2f} ms, mixed {per['mixed']:.2f} ms, cordbg without the memory cache "
                     f"{per['nocache']:.2f} ms ({per['nocache'] / per['managed']:.2f}x)")
            extra.update({"per_exception_ms_" + k: round(v, 3) for k, v in per.items()})
        for o in others.native_debuggers():
            if o.ready:
                try:
                    ot = med([o.run_to_end(d, prog, expect) for _ in range(runs)])
                    extra[o.name + "_s"] = round(ot, 3)
                    note += f"; {o.name} {ot:.2f} s ({ot / t['alone']:.2f}x alone)"
                except Exception as e:  # a reference debugger's failure is a note, not the end of the run
                    note += f"; {o.name} failed: {str(e)[:100]}"
        row(sid, title, "s", round(t["mixed"], 3), "alone s", round(t["alone"], 3), t["mixed"] / t["alone"],
            None, None, rss.get(("--mixed",)), None, note, extra)


# ---------------------------------------------------------------- report

ENCSVC = os.path.join(ROOT, "build", "encsvc", "cordbg-encsvc.dll")


def enc_copy():
    """tests/programs/EncCases copied to a temporary folder and built there (P10 edits it)."""
    folder = tempfile.mkdtemp(prefix="cordbg-bench-enc-")
    src = os.path.join(ROOT, "tests", "programs", "EncCases")
    for f in os.listdir(src):
        if f.endswith((".cs", ".csproj")):
            shutil.copy(os.path.join(src, f), folder)
    subprocess.run([DOTNET, "build", os.path.join(folder, "EncCases.csproj"), "-c", "Debug",
                    "-o", os.path.join(folder, "bin"), "--nologo", "-v", "q", "-nodeReuse:false"],
                   cwd=folder, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    return folder, os.path.join(folder, "bin", "EncCases.dll")


def encsvc_startup(dll_path):
    """The helper alone: seconds from its start to the `open` reply, and its RSS (KiB) then."""
    t = time.perf_counter()
    p = subprocess.Popen([DOTNET, ENCSVC], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    try:
        p.stdin.write(json.dumps({"cmd": "open", "id": 1, "module": dll_path}) + "\n")
        p.stdin.flush()
        reply = json.loads(p.stdout.readline())
        dt = time.perf_counter() - t
        if not reply.get("ok"):
            raise RuntimeError("encsvc open: %s" % reply)
        rss = int(re.search(r"VmRSS:\s+(\d+)", open(f"/proc/{p.pid}/status").read()).group(1))
        return dt, rss
    finally:
        p.stdin.close()
        p.wait(timeout=30)


def p10():
    """Edit and Continue and code injection (issue 22): apply's latency with the helper cold
    and warm, the helper's start-up and memory, an injected expression against the same kind
    of expression by cordbg's own evaluator."""
    folder, prog = enc_copy()
    src = os.path.join(folder, "Program.cs")
    original = open(src).read()
    loop = next(i for i, l in enumerate(original.splitlines(), 1) if "@mark:loop" in l)
    try:
        applies, colds, injects, plain, rss = [], [], [], [], []
        starts, helper_rss = [], []
        for _ in range(args.runs):
            open(src, "w").write(original)
            edits = []
            for k in range(2, 6):   # i * 2 + 1 -> i * 3 + 1 -> ... ; the last, i * 6 + 1, runs
                edits += [f"shell sed -i 's/i \\* {k} + 1/i * {k + 1} + 1/' {src}", "apply"]
            script = [f"break Program.cs:{loop} if i == 1", "run", "maintenance time on", *edits,
                      "print seen.Count", "print seen.Count", "print seen.Count",
                      "print seen.Where(x => x >= 0).Count()",
                      "print seen.Where(x => x >= 1).Count()", "print seen.Where(x => x >= 2).Count()",
                      "print seen.Where(x => x >= 3).Count()",
                      "maintenance time off", "maintenance rss", "delete", "continue"]
            _, out, _ = cordbg(script, prog, ["loop", "3"], check="iter 1: 7")
            ts = exec_times(out)    # shell, apply (x4), then the seven prints
            if len(ts) != 15:
                raise RuntimeError(f"P10: {len(ts)} timings\n{out[-2000:]}")
            ap = ts[1:8:2]
            colds.append(ap[0])
            applies += ap[1:]
            plain += ts[9:11]       # the first evaluation after an apply reads the module anew
            injects += ts[12:15]
            rss.append(rss_of(out))
            open(src, "w").write(original)      # the helper opens the program as built
            dt, r = encsvc_startup(prog)
            starts.append(dt)
            helper_rss.append(r)
        a, c, i, e = med(applies), med(colds), med(injects), med(plain)
        row("P10", "EnC apply (warm helper), injection vs evaluator", "ms", round(a * 1e3, 1),
            "first apply ms", round(c * 1e3, 1), a / c, "apply < 1 s", a < 1.0, max(rss), None,
            f"apply of a one-method edit {a*1e3:.0f} ms warm (the program then runs the new code: "
            f"'iter 1: 7' checked), {c*1e3:.0f} ms for the session's first (helper start, open, "
            f"compile); helper alone: open reply {med(starts)*1e3:.0f} ms after start, "
            f"RSS {max(helper_rss)/1024:.0f} MB; injected `seen.Where(x => ...).Count()` "
            f"{i*1e3:.0f} ms warm vs `seen.Count` by cordbg's evaluator {e*1e3:.1f} ms ({i/e:.0f}x)",
            {"apply_warm_ms": round(a * 1e3, 1), "apply_first_ms": round(c * 1e3, 1),
             "helper_open_ms": round(med(starts) * 1e3, 1), "helper_rss_kib": max(helper_rss),
             "inject_warm_ms": round(i * 1e3, 1), "evaluator_ms": round(e * 1e3, 2)})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


HEAP_MB = 1024          # P11
DUMP_THREADS = 100      # P11


def runtime_dump(name, prog_args, folder):
    """Run a program that dies of an unhandled exception with the runtime's full dump on
    (DOTNET_DbgEnableMiniDump, type 4): the dump's path and the seconds createdump took."""
    env = dict(os.environ, DOTNET_DbgEnableMiniDump="1", DOTNET_DbgMiniDumpType="4",
               DOTNET_DbgMiniDumpName=os.path.join(folder, "core.%p"))
    p = subprocess.run([DOTNET, dll(name), *prog_args], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env)
    cores = [f for f in os.listdir(folder) if f.startswith("core.")]
    m = re.search(r"Dump successfully written in (\d+)ms", p.stdout + p.stderr)
    if len(cores) != 1:
        raise RuntimeError(f"{name} {prog_args}: no dump (exit {p.returncode})\n{p.stderr[-1500:]}")
    return os.path.join(folder, cores[0]), (int(m.group(1)) / 1e3 if m else None)


def p11():
    """Post-mortem (issue 23): open a full dump of a process with a 1 GB managed heap and
    show bt (goal < 2 s, all of it: cordbg's start, the core, the runtime's right side, the
    stack); bt all of a 100-thread process's dump; cordbg's peak RSS meanwhile."""
    folder = tempfile.mkdtemp(prefix="cordbg-p11-", dir=os.environ.get("TMPDIR", "/tmp"))
    try:
        heap_core, heap_write = runtime_dump("BigHeap", ["heap", str(HEAP_MB)], folder)
        heap_size = os.path.getsize(heap_core)
        thr_dir = os.path.join(folder, "threads")
        os.mkdir(thr_dir)
        thr_core, _ = runtime_dump("BigHeap", ["threads", str(DUMP_THREADS)], thr_dir)
        opens, bts, rss, frames, thr_walls, thr_bts, thr_rss, thr_threads = [], [], [], [], [], [], [], []

        def open_bt():
            t = time.perf_counter()
            _, out, _ = run([CORDBG, "--batch", "--core", heap_core, dll("BigHeap"), "-ex", "maintenance time on",
                             "-ex", "bt", "-ex", "maintenance time off", "-ex", "maintenance rss"], check="Crash")
            opens.append(time.perf_counter() - t)
            ts = exec_times(out)
            bts.append(ts[0] if ts else None)
            rss.append(rss_of(out))
            frames.append(len(re.findall(r"^#\d+", out, re.M)))
            return opens[-1]

        def bt_all():
            t = time.perf_counter()
            _, out, _ = run([CORDBG, "--batch", "--core", thr_core, dll("BigHeap"), "-ex", "maintenance time on",
                             "-ex", "bt all", "-ex", "maintenance time off", "-ex", "maintenance rss"], check="Wait")
            thr_walls.append(time.perf_counter() - t)
            ts = exec_times(out)
            thr_bts.append(ts[0] if ts else None)
            thr_rss.append(rss_of(out))
            thr_threads.append(len(re.findall(r"Program\.Wait\(", out)))
            return thr_walls[-1]
        interleaved({"open_bt": open_bt, "bt_all": bt_all}, args.runs)
        o = med(opens)
        b = med([x for x in bts if x is not None]) if any(x is not None for x in bts) else None
        ta = med(thr_walls)
        tb = med([x for x in thr_bts if x is not None]) if any(x is not None for x in thr_bts) else None
        row("P11", f"post-mortem: open a {HEAP_MB} MB-heap dump + bt; bt all of {DUMP_THREADS} threads", "s",
            round(o, 3), "goal s", 2.0, o / 2.0, "open+bt < 2 s", o < 2.0, max(r for r in rss if r) if any(rss) else None,
            None,
            f"dump {heap_size / 2**30:.2f} GiB (the runtime's createdump wrote it in "
            f"{heap_write if heap_write is not None else float('nan'):.1f} s); cordbg --core + bt, whole run "
            f"{o:.2f} s, the bt alone {b * 1e3 if b else float('nan'):.1f} ms ({max(frames)} frames); "
            f"bt all of the {DUMP_THREADS}-thread dump: whole run {ta:.2f} s, the command "
            f"{tb * 1e3 if tb else float('nan'):.0f} ms, {max(thr_threads)} threads in Wait; peak RSS "
            f"{max(r for r in rss if r) / 1024 if any(rss) else float('nan'):.1f} MB (1 GB dump), "
            f"{max(r for r in thr_rss if r) / 1024 if any(thr_rss) else float('nan'):.1f} MB (threads)",
            {"open_bt_s": round(o, 3), "bt_ms": round(b * 1e3, 2) if b else None, "bt_all_s": round(ta, 3),
             "bt_all_ms": round(tb * 1e3, 1) if tb else None, "dump_bytes": heap_size,
             "threads_rss_kib": max(r for r in thr_rss if r) if any(thr_rss) else None})
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def table():
    lines = ["%-4s %-7s %-64s %-16s %-10s %s" % ("id", "ratio", "scenario", "goal", "RSS", "figures")]
    for r in RESULTS:
        goal = (r["goal"] or "-") + ("" if r["met"] is None else (" met" if r["met"] else " MISSED"))
        rss = "%.1f MB" % (r["cordbg_rss_kib"] / 1024) if r["cordbg_rss_kib"] else "-"
        lines.append("%-4s %-7s %-64s %-16s %-10s %s" % (r["id"], fmt_ratio(r["ratio"]), r["scenario"][:64], goal, rss,
                                                         r["notes"]))
    return "\n".join(lines)


def machine():
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    rt = subprocess.run([DOTNET, "--list-runtimes"], capture_output=True, text=True).stdout
    ver = re.search(r"Microsoft\.NETCore\.App (\S+)", rt)
    return {"cpu": cpu, "cores": os.cpu_count(), "kernel": platform.release(),
            "runtime": ver.group(1) if ver else "?", "load": open("/proc/loadavg").read().split()[:3]}


def main():
    for b in (CORDBG, FLOOR):
        if not os.access(b, os.X_OK):
            sys.exit(f"{b}: not built (make all build/floor)")
    build_programs()
    others.setup(log)
    started = time.time()
    floor_hit = None
    steps = [("P1", p1), ("P2", p2), ("P3", None), ("P4", p4), ("P5", p5), ("P6", p6), ("P7", p7), ("P8", p8), ("P9", p9), ("P10", p10), ("P11", p11)]
    for sid, fn in steps:
        if not wanted(sid):
            continue
        log(f"{sid} ...")
        try:
            if sid == "P2":
                floor_hit = fn()
            elif sid == "P3":
                if floor_hit is None:
                    _, floor_hit, _, _ = hit_costs("EvalBench", mark("EvalBench", "hot"), N_HITS, [])
                p3(floor_hit)
            else:
                fn()
        except Exception as e:
            log(f"  {sid} failed: {e}")
            RESULTS.append({"id": sid, "scenario": "failed", "ratio": None, "goal": None, "met": None,
                            "cordbg_rss_kib": None, "notes": f"FAILED: {str(e)[:300]}"})
    m = machine()
    report = {"when": time.strftime("%Y-%m-%d %H:%M"), "machine": m, "runs": args.runs, "quick": Q,
              "minutes": round((time.time() - started) / 60, 1), "results": RESULTS,
              "other_debuggers": others.report()}
    os.makedirs(os.path.dirname(args.json), exist_ok=True)
    json.dump(report, open(args.json, "w"), indent=2)
    print(f"cordbg benchmarks, {report['when']}, {m['cpu']} ({m['cores']} cores), .NET {m['runtime']}, "
          f"median of {args.runs}{' (quick)' if Q else ''}")
    print(table())
    for line in others.report_lines():
        print(line)
    print(f"wrote {os.path.relpath(args.json, ROOT)} ({report['minutes']} min)")


if __name__ == "__main__":
    main()
