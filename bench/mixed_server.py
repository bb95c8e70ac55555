#!/usr/bin/env python3
"""Mixed-mode overhead on a server under loopback load (issue 19; a benchmark, not a test).

  python3 bench/mixed_server.py [--seconds 5] [--clients 4] [--runs 3] [--stops 30]

tests/programs/HttpServe (built by tests/run.py) with no client loop of its own, driven by
CLIENTS Python threads making GET requests over loopback for SECONDS, three ways in turn
(interleaved, RUNS times, median): alone, under `cordbg` (managed only) and under
`cordbg --mixed`, no breakpoint set. Then the native stop's cost: with `break send` in
mixed mode, the time from `continue` to the next stop being shown while clients keep the
server busy (an upper bound of "native breakpoint hit to stop shown": it includes the
resume and the request up to send), median of STOPS stops. Prints one line per figure."""

import argparse
import os
import re
import statistics
import subprocess
import sys
import threading
import time
import urllib.request

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DLL = os.path.join(REPO, "tests", "out", "HttpServe", "HttpServe.dll")
CORDBG = os.environ.get("CORDBG", os.path.join(REPO, "build", "cordbg"))


class Proc:
    """A process whose stdout lines are collected on a thread; wait_line(regex)."""

    def __init__(self, argv, env=None):
        self.p = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.DEVNULL, env=env)
        self.lines, self.cv = [], threading.Condition()
        threading.Thread(target=self._pump, daemon=True).start()

    def _pump(self):
        for raw in self.p.stdout:
            with self.cv:
                self.lines.append(raw.decode("utf-8", "replace").rstrip("\n"))
                self.cv.notify_all()

    def wait_line(self, rx, start=0, timeout=60):
        rx = re.compile(rx)
        deadline = time.monotonic() + timeout
        with self.cv:
            i = start
            while True:
                while i < len(self.lines):
                    m = rx.search(self.lines[i])
                    if m:
                        return m, i + 1
                    i += 1
                left = deadline - time.monotonic()
                if left <= 0:
                    raise RuntimeError("no /%s/ within %ds" % (rx.pattern, timeout))
                self.cv.wait(left)

    def send(self, line):
        self.p.stdin.write((line + "\n").encode())
        self.p.stdin.flush()

    def end(self):
        try:
            self.p.kill()
        except OSError:
            pass
        self.p.wait()


def load(port, seconds, clients):
    """Requests per second over `seconds` with `clients` threads."""
    stop = time.monotonic() + seconds
    counts = [0] * clients

    def client(k):
        while time.monotonic() < stop:
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/b%d" % (port, k), timeout=30) as r:
                    r.read()
                counts[k] += 1
            except OSError:
                pass

    ts = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.monotonic()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return sum(counts) / (time.monotonic() - t0)


def start(way):
    if way == "alone":
        pr = Proc(["dotnet", DLL, "0"])
    else:
        pr = Proc([CORDBG] + (["--mixed"] if way == "mixed" else []) + [DLL, "0"])
        pr.send("run")
    m, _ = pr.wait_line(r"^HttpServe: listening (\d+)$")
    return pr, int(m.group(1))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=5)
    ap.add_argument("--clients", type=int, default=4)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--stops", type=int, default=30)
    a = ap.parse_args()
    if not os.path.exists(DLL):
        sys.exit("build the test programs first (python3 tests/run.py -k nothing)")
    rates = {"alone": [], "managed": [], "mixed": []}
    for _ in range(a.runs):
        for way in rates:
            pr, port = start(way)
            try:
                rates[way].append(load(port, a.seconds, a.clients))
            finally:
                pr.end()
    med = {w: statistics.median(v) for w, v in rates.items()}
    print("requests/s, median of %d (%d clients, %.0f s): alone %.0f, cordbg (managed) %.0f (%.2fx alone), "
          "cordbg --mixed %.0f (%.2fx alone, %.2fx managed)"
          % (a.runs, a.clients, a.seconds, med["alone"], med["managed"], med["managed"] / med["alone"],
             med["mixed"], med["mixed"] / med["alone"], med["mixed"] / med["managed"]))
    # native stops: continue -> next stop shown, clients busy
    pr, port = start("mixed")
    stop_flag = threading.Event()

    def busy():
        while not stop_flag.is_set():
            try:
                with urllib.request.urlopen("http://127.0.0.1:%d/s" % port, timeout=60) as r:
                    r.read()
            except Exception:         # the server is killed at the end
                pass

    ts = [threading.Thread(target=busy, daemon=True) for _ in range(2)]
    for t in ts:
        t.start()
    try:
        # the CLI takes commands at a stop: break in with Ctrl-C first
        pr.p.send_signal(__import__("signal").SIGINT)
        _, at = pr.wait_line(r"^Process \d+ paused")
        pr.send("break send")
        _, at = pr.wait_line(r"^Breakpoint \d+ at ", at)
        pr.send("continue")
        _, at = pr.wait_line(r" hit Breakpoint ", at)
        times = []
        for _ in range(a.stops):
            t0 = time.monotonic()
            pr.send("continue")
            _, at = pr.wait_line(r" hit Breakpoint ", at)
            times.append(time.monotonic() - t0)
        late = sum(1 for l in pr.lines if "has not synchronized" in l)
        print("native stop (break send, clients busy): continue to next stop shown, median %.1f ms, max %.1f ms "
              "(%d stops; %d without the managed view)"
              % (statistics.median(times) * 1000, max(times) * 1000, len(times), late))
    finally:
        stop_flag.set()
        pr.end()


if __name__ == "__main__":
    main()
