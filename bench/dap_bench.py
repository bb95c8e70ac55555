#!/usr/bin/env python3
"""DAP round trips (issue 7's benchmark): what an editor does at every step -- next, then
stackTrace, scopes and variables of the top frame -- timed inside one DAP session, against
the same steps with `next` alone over DAP and against the CLI's `next` (whose time is the
difference of two batch sessions, as in stack_step.py). A benchmark, not a test.

  python3 bench/dap_bench.py [STEPS]      (default 1000; uses build/cordbg)"""
import json, os, subprocess, sys, tempfile, time

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
steps = int(sys.argv[1]) if len(sys.argv) > 1 else 1000
out = os.path.join(root, "bench", "out", "Deep")
subprocess.run(["dotnet", "build", "bench/programs/Deep/Deep.csproj", "-c", "Debug", "-o", out, "--nologo", "-v", "q"],
               cwd=root, check=True, stdout=subprocess.DEVNULL)
cordbg = os.path.join(root, "build", "cordbg")
dll = os.path.join(out, "Deep.dll")


class Client:
    def __init__(self):
        self.p = subprocess.Popen([cordbg, "--interpreter=vscode"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        self.seq = 0
        self.pending = []

    def read(self):
        f = self.p.stdout
        n = 0
        while True:
            line = f.readline()
            if not line:
                raise EOFError("cordbg ended")
            if line in (b"\r\n", b"\n"):
                break
            k, _, v = line.decode().partition(":")
            if k.lower() == "content-length":
                n = int(v)
        return json.loads(f.read(n))

    def send(self, cmd, args=None):
        self.seq += 1
        b = json.dumps({"seq": self.seq, "type": "request", "command": cmd, "arguments": args or {}}).encode()
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
            if m.get("type") == "event" and m.get("event") in ("output", "module", "loadedSource", "thread"):
                continue
            self.pending.append(m)

    def req(self, cmd, args=None):
        s = self.send(cmd, args)
        r = self.wait(lambda m: m.get("type") == "response" and m.get("request_seq") == s)
        if not r["success"]:
            raise RuntimeError("%s failed: %s" % (cmd, r.get("message")))
        return r

    def event(self, name):
        return self.wait(lambda m: m.get("type") == "event" and m.get("event") == name)


def dap_run(full):
    c = Client()
    c.req("initialize", {"adapterID": "cordbg"})
    c.req("launch", {"program": dll, "args": ["1", str(steps)]})
    c.event("initialized")
    c.req("configurationDone")
    tid = c.event("stopped")["body"]["threadId"]     # Debugger.Break at the bottom
    c.req("continue", {"threadId": tid})
    c.event("stopped")                               # loop_start
    t = time.perf_counter()
    for _ in range(2 * steps):
        c.req("next", {"threadId": tid})
        c.event("stopped")
        if full:
            fid = c.req("stackTrace", {"threadId": tid, "startFrame": 0, "levels": 20})["body"]["stackFrames"][0]["id"]
            ref = c.req("scopes", {"frameId": fid})["body"]["scopes"][0]["variablesReference"]
            c.req("variables", {"variablesReference": ref})
    dt = time.perf_counter() - t
    c.req("disconnect", {"terminateDebuggee": True})
    c.p.wait()
    return dt


def cli_session(cmds):
    with tempfile.NamedTemporaryFile("w", suffix=".cdb", delete=False) as f:
        f.write("\n".join(cmds) + "\n")
        script = f.name
    t = time.perf_counter()
    subprocess.run([cordbg, "--batch", "-x", script, dll, "1", str(steps)], capture_output=True, text=True)
    dt = time.perf_counter() - t
    os.unlink(script)
    return dt


def median(xs):
    xs = sorted(xs)
    return xs[len(xs) // 2]


n = 2 * steps
full = median([dap_run(True) for _ in range(3)])
bare = median([dap_run(False) for _ in range(3)])
base = median([cli_session(["run", "continue", "continue"]) for _ in range(3)])
cli = median([cli_session(["run", "continue"] + ["next"] * n + ["continue"]) for _ in range(3)]) - base
print(f"D1 DAP next+stackTrace+scopes+variables: {n} round trips in {full:.2f} s -> {n / full:.0f}/s")
print(f"D2 DAP next alone:                       {n} steps in {bare:.2f} s -> {n / bare:.0f}/s")
print(f"D3 CLI next:                             {n} steps in {cli:.2f} s -> {n / max(cli, 1e-9):.0f}/s")
print(f"D1 vs D3: {full / max(cli, 1e-9):.2f}x the CLI's time per step; D2 vs D3: {bare / max(cli, 1e-9):.2f}x")
