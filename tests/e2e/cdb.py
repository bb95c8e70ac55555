"""Helpers for cordbg's end-to-end tests (Python 3 stdlib only).

- run(args)          start cordbg in batch style, wait for it, return a Result
- Session(args)      drive cordbg interactively: send() a command line, expect() a regex
- Debuggee(name)     start a test program directly (for attach tests), always killed
- program(name)      path of a built test program (tests/out/<Name>/<Name>.dll)
- find_mark(...)     line number of a `// @mark:NAME` comment in a tests/programs source
                     (or a tests/native C source: find_mark("native", NAME, file="native.c"))
- native_out(name)   path of a built native artefact (tests/out/native/<name>)
- @matrix(*names)    run this test on .NET 8 and 9 too (self-contained publishes of the
                     named tests/programs); RUNTIME says which one a run is on

Every process started here is recorded in the file named by CORDBG_TEST_PIDFILE (set by
tests/run.py) so that the runner's watchdog can kill it if the test hangs, and cleanup()
kills whatever is still alive when the test ends. Waiting is always on output or on process
exit, with a deadline that fails the test; never a bare sleep.
"""

import os
import re
import shutil
import signal
import subprocess
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.environ.get("CORDBG_TEST_OUT") or os.path.join(REPO, "tests", "out")
PROGRAMS = os.path.join(REPO, "tests", "programs")
NATIVE = os.path.join(REPO, "tests", "native")

# CORDBG_MODE=mixed re-runs the managed suite with the native engine attached too
# (cordbg --mixed); commands that take no debugging mode are left alone.
MODE_FLAG = {"mixed": "--mixed", "": None}.get(os.environ.get("CORDBG_MODE", ""), None)
_NO_MODE = ("ps", "symbols", "--dump-symbols", "--terminal-host", "--version", "--help", "-h")

DEFAULT_TIMEOUT = 60.0  # seconds for one cordbg run / one expect()

# Text that must never appear in cordbg's stderr: sanitizer reports, crashes.
CRASH_MARKERS = ("AddressSanitizer", "LeakSanitizer", "UndefinedBehaviorSanitizer",
                 "runtime error:", "stack smashing detected", "double free or corruption",
                 "free(): invalid", "malloc(): ", "Assertion `")

_lock = threading.Lock()
_procs = []        # every Popen started by this module, for cleanup()
_transcripts = []  # every Session, for failure reports


# The runtime matrix (tests/run.py MATRIX_RUNTIMES): a test marked @matrix("Prog", ...) runs
# on the installed runtime as every test, then once per older runtime with CORDBG_TEST_OUT
# pointing at tests/out/<tfm>/, where the programs it names are published self-contained
# (each brings its own libcoreclr.so and right side). RUNTIME is that tfm ("net8.0",
# "net9.0"), or None on the installed runtime.
RUNTIME = os.environ.get("CORDBG_TEST_RUNTIME") or None


def matrix(*programs, runtimes=None):
    """Mark a test to run on the runtime matrix too. programs: the tests/programs it starts
    (each is published for every runtime it runs on); runtimes: a subset of the matrix
    (default all of it), e.g. runtimes=("net9.0",) for a feature .NET 8 lacks."""
    assert programs, "@matrix needs the names of the programs the test starts"

    def mark(fn):
        fn.matrix = (tuple(programs), tuple(runtimes) if runtimes else None)
        return fn
    return mark


# ---------------------------------------------------------------- paths

def cordbg():
    """The cordbg binary under test: $CORDBG, else build-san/cordbg, else build/cordbg."""
    p = os.environ.get("CORDBG")
    if not p:
        p = os.path.join(REPO, "build-san", "cordbg")
        if not os.path.exists(p):
            p = os.path.join(REPO, "build", "cordbg")
    p = os.path.abspath(p)
    assert os.access(p, os.X_OK), "cordbg binary not found or not executable: " + p
    return p


def program(name, apphost=False):
    """Absolute path of tests/out/<name>/<name>.dll (or the apphost executable)."""
    p = os.path.join(OUT, name, name if apphost else name + ".dll")
    assert os.path.exists(p), "test program not built: %s (run tests/run.py without --no-build)" % p
    return p


def native_out(name):
    """Absolute path of tests/out/native/<name> (libnative.so, libplain.so, libstripped.so,
    nprog: built from tests/native/*.c by tests/run.py)."""
    p = os.path.join(OUT, "native", name)
    assert os.path.exists(p), \
        "native test program not built: %s (run tests/run.py without --no-build)" % p
    return os.path.abspath(p)


def find_mark(name, mark, file=None):
    """Line number (1-based) of the line holding `// @mark:MARK` in tests/programs/<name>/,
    or, for name "native", in tests/native/ (the C sources of tests/out/native/).

    file: a file name inside that folder; default: search every .cs file there (.c for
    "native"; the marker must then be unique)."""
    if name == "native":
        folder, ext = NATIVE, ".c"
    else:
        folder, ext = os.path.join(PROGRAMS, name), ".cs"
    files = [os.path.join(folder, file)] if file else sorted(
        os.path.join(folder, f) for f in os.listdir(folder) if f.endswith(ext))
    pat = re.compile(r"//\s*@mark:" + re.escape(mark) + r"\b")
    hits = []
    for f in files:
        with open(f, encoding="utf-8") as fh:
            for i, line in enumerate(fh, 1):
                if pat.search(line):
                    hits.append((f, i))
    assert len(hits) == 1, "marker @mark:%s in %s: expected 1, found %r" % (mark, folder, hits)
    return hits[0][1]


# ---------------------------------------------------------------- process bookkeeping

def record_pid(pid, group=False):
    """Tell the runner's watchdog about a process (or process group) to kill on timeout."""
    path = os.environ.get("CORDBG_TEST_PIDFILE")
    if not path:
        return
    with _lock, open(path, "a") as f:
        f.write("%s %d\n" % ("pgid" if group else "pid", pid))


def _popen(argv, stdin, env=None, cwd=None, stdout=subprocess.PIPE, stderr=subprocess.PIPE):
    p = subprocess.Popen(argv, stdin=stdin, stdout=stdout, stderr=stderr, env=env, cwd=cwd,
                         start_new_session=True)  # own session and process group
    record_pid(p.pid, group=True)
    with _lock:
        _procs.append(p)
    return p


def _alive(pid):
    """True if pid exists and is not a zombie."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            stat = f.read()
    except OSError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def pid_alive(pid):
    return _alive(pid)


def wait_pid_gone(pid, timeout=10.0):
    """Wait until pid no longer exists (or is a zombie); True if it went away in time."""
    deadline = time.monotonic() + timeout
    delay = 0.01
    while _alive(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(delay)  # no event to wait on for a process that is not our child
        delay = min(delay * 2, 0.2)
    return True


def _kill_pid(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def _kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


_recorded_debuggees = []


def record_debuggee(pid):
    """A pid that cordbg reported (launched or attached); killed by cleanup() if alive."""
    record_pid(pid)
    with _lock:
        if pid not in _recorded_debuggees:
            _recorded_debuggees.append(pid)


def cleanup():
    """Kill everything this test started that is still alive."""
    with _lock:
        procs = list(_procs)
        debs = list(_recorded_debuggees)
    for p in procs:
        if p.poll() is None:
            _kill_group(p.pid)
            _kill_pid(p.pid)
        try:
            p.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass
    for pid in debs:
        if _alive(pid) and _is_ours(pid):
            _kill_pid(pid)


def _is_ours(pid):
    """True if pid carries this test run's marker in its environment."""
    run = os.environ.get("CORDBG_TEST_RUN")
    if not run:
        return True
    try:
        with open("/proc/%d/environ" % pid, "rb") as f:
            env = f.read().split(b"\0")
    except OSError:
        return False
    return ("CORDBG_TEST_RUN=" + run).encode() in env


# ---------------------------------------------------------------- output capture

class _Stream:
    """Collects one pipe's bytes on a thread; lets a waiter block until new data arrives."""

    def __init__(self, pipe, cond, on_line=None):
        self.data = bytearray()
        self.closed = False
        self.cursor = 0  # byte offset where the next expect() starts looking
        self._cond = cond
        self._on_line = on_line
        self._pending = b""
        self._t = threading.Thread(target=self._pump, args=(pipe,), daemon=True)
        self._t.start()

    def _pump(self, pipe):
        fd = pipe.fileno()
        while True:
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                chunk = b""
            with self._cond:
                if not chunk:
                    self.closed = True
                    self._cond.notify_all()
                    break
                self.data += chunk
                self._cond.notify_all()
            if self._on_line:
                buf = self._pending + chunk
                lines = buf.split(b"\n")
                self._pending = lines.pop()
                for line in lines:
                    try:
                        self._on_line(line.decode("utf-8", "replace"))
                    except Exception:  # never lose output because of a watcher
                        pass
        try:
            pipe.close()
        except OSError:
            pass

    def join(self, timeout):
        self._t.join(timeout)

    def text(self):
        return bytes(self.data).decode("utf-8", "replace")


_PID_LINES = re.compile(r"^(?:Process (\d+) started|Attached to process (\d+))\b")


def _printable(text):
    return "".join(c if (c in "\n\t" or c.isprintable()) else "\\x%02x" % ord(c) if ord(c) < 256 else c
                   for c in text)


def _summarize(data, limit=4000):
    """A stream for a failure report: escaped, head and tail when long; a sanitizer
    report in it is always shown whole."""
    text = bytes(data).decode("utf-8", "replace")
    report = ""
    for marker in ("==ERROR: ", "ERROR: AddressSanitizer", "ERROR: LeakSanitizer", "runtime error:"):
        i = text.find(marker)
        if i >= 0:
            i = text.rfind("\n", 0, i) + 1
            report = text[i:i + 30000]
            text = text[:i]
            break
    text = _printable(text)
    if len(text) > limit:
        head = text[: limit // 3]
        tail = text[-(2 * limit) // 3:]
        text = head + "\n[... %d characters left out ...]\n" % (len(text) - len(head) - len(tail)) + tail
    if report:
        text += ("\n" if text and not text.endswith("\n") else "") + _printable(report)
    return text


class Session:
    """One cordbg process. Use run() for batch runs; use Session directly to drive it
    interactively through its stdin (no prompt is printed when stdin is not a tty, so
    expect() waits for output lines)."""

    def __init__(self, args, stdin=True, env=None, cwd=None, label=None):
        args = list(args)
        if (MODE_FLAG and not (args and args[0] in _NO_MODE) and MODE_FLAG not in args and "--native" not in args
                and not any(str(a).startswith(("--interpreter", "--server")) for a in args)):
            args = [MODE_FLAG] + args
        self.argv = [cordbg()] + args
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        self.label = label or "cordbg"
        self.cond = threading.Condition()
        self.proc = _popen(self.argv, subprocess.PIPE if stdin else subprocess.DEVNULL,
                           env=full_env, cwd=cwd)
        self.sent = []
        self.status = None
        self.debuggee_pids = []
        self.out = _Stream(self.proc.stdout, self.cond, on_line=self._watch_line)
        self.err = _Stream(self.proc.stderr, self.cond)
        with _lock:
            _transcripts.append(self)

    def _watch_line(self, line):
        m = _PID_LINES.match(line)
        if m:
            pid = int(m.group(1) or m.group(2))
            self.debuggee_pids.append(pid)
            record_debuggee(pid)

    # -- interactive use
    def send(self, line):
        """Write one command line to cordbg's stdin."""
        assert self.proc.stdin, "session was started without a stdin pipe"
        self.sent.append(line)
        try:
            self.proc.stdin.write((line + "\n").encode())
            self.proc.stdin.flush()
        except BrokenPipeError:
            raise AssertionError("cordbg closed its stdin before %r was sent" % line)

    def close_stdin(self):
        if self.proc.stdin and not self.proc.stdin.closed:
            try:
                self.proc.stdin.close()
            except BrokenPipeError:
                pass

    def expect(self, pattern, timeout=DEFAULT_TIMEOUT, stream="stdout"):
        """Wait until a line matching `pattern` (regex, searched per line) appears in the
        output after the previous match; returns the match. Fails the test on timeout or
        when cordbg exits (closes the stream) first."""
        s = self.out if stream == "stdout" else self.err
        rx = re.compile(pattern)
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                data = bytes(s.data)
                end = len(data)
                # only look at complete lines, unless the stream is closed
                last_nl = data.rfind(b"\n", s.cursor)
                limit = end if s.closed else last_nl + 1
                if limit > s.cursor:
                    chunk = data[s.cursor:limit].decode("utf-8", "replace")
                    pos = 0
                    for line in chunk.splitlines(keepends=True):
                        m = rx.search(line.rstrip("\r\n"))
                        pos += len(line.encode("utf-8", "replace"))
                        if m:
                            s.cursor += pos
                            return m
                if s.closed:
                    raise AssertionError("cordbg %s ended before /%s/ appeared" % (stream, pattern))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("timed out after %.0fs waiting for /%s/ on %s"
                                         % (timeout, pattern, stream))
                self.cond.wait(left)

    def expect_err(self, pattern, timeout=DEFAULT_TIMEOUT):
        return self.expect(pattern, timeout, stream="stderr")

    def wait(self, timeout=DEFAULT_TIMEOUT):
        """Wait for cordbg to exit; returns its status. Fails (and kills it) on timeout."""
        try:
            self.status = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill_group(self.proc.pid)
            self.proc.wait()
            self.out.join(5)
            self.err.join(5)
            raise AssertionError("cordbg did not exit within %.0fs (killed)" % timeout)
        self.out.join(10)
        self.err.join(10)
        # cordbg is gone; a debuggee it left running is killed by cleanup() / the runner
        self.check_no_crash()
        return self.status

    def check_no_crash(self):
        err = self.err.text()
        for marker in CRASH_MARKERS:
            assert marker not in err, "cordbg stderr contains %r (crash or sanitizer report)" % marker
        if self.status is not None:
            assert self.status >= 0, "cordbg was killed by signal %d" % -self.status
            assert self.status not in (134, 139), "cordbg exited with status %d (crash)" % self.status

    @property
    def stdout(self):
        return self.out.text()

    @property
    def stderr(self):
        return self.err.text()

    def transcript(self):
        parts = ["$ " + " ".join(_quote(a) for a in self.argv)]
        if self.sent:
            parts.append("  [stdin] " + "\n  [stdin] ".join(self.sent))
        parts.append("  [stdout]\n" + _indent(_summarize(self.out.data)))
        parts.append("  [stderr]\n" + _indent(_summarize(self.err.data)))
        st = self.proc.poll()
        parts.append("  [exit status] %s" % ("still running" if st is None else st))
        return "\n".join(parts)


def _quote(a):
    return a if re.fullmatch(r"[\w@%+=:,./-]+", a) else "'" + a.replace("'", "'\\''") + "'"


def _indent(text, pre="    "):
    return "\n".join(pre + l for l in text.splitlines()) if text else pre + "(empty)"


class Result:
    def __init__(self, session):
        self.session = session
        self.status = session.status
        self.out_bytes = bytes(session.out.data)
        self.err_bytes = bytes(session.err.data)
        self.stdout = self.out_bytes.decode("utf-8", "replace")
        self.stderr = self.err_bytes.decode("utf-8", "replace")
        self.lines = self.stdout.splitlines()
        self.err_lines = self.stderr.splitlines()

    def grep(self, pattern, stream="stdout"):
        """All matches of `pattern` (searched per line) in stdout or stderr."""
        rx = re.compile(pattern)
        lines = self.lines if stream == "stdout" else self.err_lines
        return [m for m in (rx.search(l) for l in lines) if m]

    def one(self, pattern, stream="stdout"):
        ms = self.grep(pattern, stream)
        assert len(ms) == 1, "expected exactly one line matching /%s/ on %s, found %d" % (
            pattern, stream, len(ms))
        return ms[0]

    def has(self, pattern, stream="stdout"):
        ms = self.grep(pattern, stream)
        assert ms, "no line matching /%s/ on %s" % (pattern, stream)
        return ms[0]

    def hasnt(self, pattern, stream="stdout"):
        ms = self.grep(pattern, stream)
        assert not ms, "unexpected line matching /%s/ on %s: %r" % (pattern, stream, ms[0].string)

    def index(self, pattern, start=0):
        """Index of the first stdout line at or after `start` matching `pattern`."""
        rx = re.compile(pattern)
        for i in range(start, len(self.lines)):
            if rx.search(self.lines[i]):
                return i
        raise AssertionError("no stdout line matching /%s/ after line %d" % (pattern, start))

    def error_lines(self):
        return [l for l in self.err_lines if l.startswith("error: ")]


def run(args, timeout=DEFAULT_TIMEOUT, env=None, cwd=None, stdin_text=None):
    """Run cordbg with `args` until it exits; stdin is /dev/null (or `stdin_text`).
    Returns a Result; fails the test if cordbg hangs past `timeout` or crashes."""
    s = Session(args, stdin=stdin_text is not None, env=env, cwd=cwd)
    if stdin_text is not None:
        try:
            s.proc.stdin.write(stdin_text.encode())
        except BrokenPipeError:
            pass
        s.close_stdin()
    s.wait(timeout)
    return Result(s)


def batch(program_args, commands, options=(), **kw):
    """cordbg --batch [options] -ex CMD... -- PROGRAM ARGS..."""
    args = ["--batch"] + list(options)
    for c in commands:
        args += ["-ex", c]
    return run(args + ["--"] + list(program_args), **kw)


# ---------------------------------------------------------------- debuggees started directly

class Debuggee:
    """A test program started without cordbg (`dotnet tests/out/<Name>/<Name>.dll args`),
    for attach tests. Use as a context manager: it is killed on exit from the block."""

    def __init__(self, name, args=(), env=None, cwd=None, reap=True):
        """reap: reap the process as soon as it exits, as a normal parent (a shell, a
        service manager) would; with reap=False it stays a zombie until wait()."""
        full_env = dict(os.environ)
        if env:
            full_env.update(env)
        self.argv = [shutil.which("dotnet") or "dotnet", program(name)] + [str(a) for a in args]
        self.cond = threading.Condition()
        self.proc = _popen(self.argv, subprocess.DEVNULL, env=full_env, cwd=cwd)
        self.pid = self.proc.pid
        self.out = _Stream(self.proc.stdout, self.cond)
        self.err = _Stream(self.proc.stderr, self.cond)
        if reap:
            threading.Thread(target=self.proc.wait, daemon=True).start()
        with _lock:
            _transcripts.append(self)

    expect = Session.expect

    def wait_ready(self, pattern=r"^ready (\d+)$", timeout=DEFAULT_TIMEOUT):
        m = self.expect(pattern, timeout)
        if m.groups():
            assert int(m.group(1)) == self.pid, "program reports pid %s, started pid %d" % (
                m.group(1), self.pid)
        return m

    def wait(self, timeout=DEFAULT_TIMEOUT):
        try:
            st = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError("debuggee %d did not exit within %.0fs" % (self.pid, timeout))
        self.out.join(10)
        self.err.join(10)
        return st

    def alive(self):
        return self.proc.poll() is None

    def kill(self):
        if self.proc.poll() is None:
            _kill_group(self.pid)
            _kill_pid(self.pid)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            pass

    @property
    def stdout(self):
        return self.out.text()

    @property
    def stderr(self):
        return self.err.text()

    def transcript(self):
        st = self.proc.poll()
        return "\n".join([
            "$ " + " ".join(_quote(a) for a in self.argv) + "   (debuggee started directly, pid %d)" % self.pid,
            "  [stdout]\n" + _indent(_summarize(self.out.data)),
            "  [stderr]\n" + _indent(_summarize(self.err.data)),
            "  [exit status] %s" % ("still running" if st is None else st)])

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()
        return False


def start_plain(argv):
    """Start a non-.NET helper process (e.g. `sleep 30`) that cleanup() will kill."""
    return _popen(list(argv), subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                  stderr=subprocess.DEVNULL)


class BusyCores:
    """`with BusyCores():` n busy-loop processes (one per core by default) for the block's
    duration, so that races show up as they would on a loaded machine."""

    def __init__(self, n=2):
        self.n = n
        self.procs = []

    def __enter__(self):
        self.procs = [start_plain(["sh", "-c", "while :; do :; done"]) for _ in range(self.n)]
        return self

    def __exit__(self, *exc):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
            p.wait(timeout=10)


def sleeper(env=None, reap=True, ready=True):
    """tests/programs/Sleeper started directly (for attach tests), with the file whose
    creation releases it: (Debuggee, path). ready: wait until it says it is ready."""
    release = os.path.join(tmpdir(), "release")
    d = Debuggee("Sleeper", [release], env=env, reap=reap)
    if ready:
        d.wait_ready()
    return d, release


def release_and_finish(d, release):
    """Release a sleeper() and check that it ends with its normal output and status 0."""
    open(release, "w").close()
    st = d.wait(30)
    assert st == 0, "Sleeper exit status %s after release" % st
    assert d.stdout == "ready %d\ndone\n" % d.pid, "Sleeper output: %r" % d.stdout
    assert d.stderr == "", "Sleeper stderr: %r" % d.stderr


def transcripts():
    """Everything this test ran, for the failure report."""
    with _lock:
        items = list(_transcripts)
    return "\n".join(t.transcript() for t in items)


def tmpdir():
    """A fresh temporary folder for this test (removed by the runner's child at exit)."""
    import tempfile
    base = os.environ.get("CORDBG_TEST_TMP")
    return tempfile.mkdtemp(prefix="cordbg-e2e-", dir=base)


# ---------------------------------------------------------------- the CLI contract's lines

RE_STARTED = r"^Process (\d+) started$"
RE_EXITED = r"^Process (\d+) exited with code (-?\d+)$"
RE_LOADED = r"^Loaded '(/[^']*)' \((symbols loaded|no symbols)\)$"
RE_ATTACHED = r"^Attached to process (\d+)$"
RE_STOPPED_ATTACHED = r"^Process (\d+) stopped \(attached\)$"
RE_DETACHED = r"^Detached from process (\d+)$"
RE_KILLED = r"^Killed process (\d+)$"
RE_KILLING_BATCH = r"^Killing process (\d+) \(batch mode\)$"
RE_BREAK = r"^Debugger\.Break\(\) on thread (\d+) \(tid (\d+)\)$"
RE_LOG = r"^Log(?: \[([^\]]*)\])?: (.*)$"     # group 1 None: no category
RE_THREAD_CREATED = r"^Thread (\d+) \(tid (\d+)\) created$"
RE_THREAD_EXITED = r"^Thread (\d+) \(tid (\d+)\) exited$"
RE_APPDOMAIN = r"^AppDomain (\d+) '([^']*)' created$"
RE_ASSEMBLY = r"^Assembly '([^']*)' loaded$"
# [*] ID TID "NAME" [(frozen)] [where it is]
RE_THREAD_ROW = r'^\s*(\*?)\s*(\d+)\s+(\d+)\s+"([^"]*)"(?:\s+(\(frozen\)))?(?:\s+(.*?))?\s*$'
RE_MODULE_ROW = r"^\s*(\d+)\s+(yes|no)\s+(/.*?)\s*$"


def started_pid(res):
    """The pid of the one `Process PID started` line."""
    return int(res.one(RE_STARTED).group(1))


def exit_code(res, pid):
    """The code of the one `Process PID exited with code N` line for pid."""
    m = res.one(RE_EXITED)
    assert int(m.group(1)) == pid, "exit line names pid %s, expected %d" % (m.group(1), pid)
    return int(m.group(2))


def assert_ok(res):
    """cordbg succeeded: status 0 and no `error: ` line on stderr."""
    errs = res.error_lines()
    assert not errs, "unexpected error lines: %r" % errs
    assert res.status == 0, "cordbg exit status %s, expected 0" % res.status


def assert_failed(res, *patterns):
    """cordbg reported a failure: status 1 and `error: ` lines (matching `patterns`, if given,
    in order, each on its own line)."""
    errs = res.error_lines()
    assert errs, "no line starting with 'error: ' on stderr"
    for p in patterns:
        assert any(re.search(p, e) for e in errs), "no error line matching /%s/ in %r" % (p, errs)
    assert res.status == 1, "cordbg exit status %s, expected 1" % res.status


def table(res, header_re, row_re, start=0):
    """A table on stdout: the first line at/after index `start` matching `header_re`, and
    the rows right after it that match `row_re`. Returns (header index, [row matches])."""
    h = res.index(header_re, start)
    rx = re.compile(row_re)
    rows = []
    for line in res.lines[h + 1:]:
        m = rx.search(line)
        if not m:
            break
        rows.append(m)
    return h, rows


HEADER_THREADS = r"(?i)^\s*\S*\s*ID\s+TID\b"
HEADER_MODULES = r"(?i)^\s*ID\s+SYM\w*\s+PATH\b"
HEADER_PS = r"^\s*PID\s+RUNTIME\s+COMMAND\s*$"


def same_file(a, b):
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def gone_or_fail(pid, what="process", timeout=15.0):
    assert wait_pid_gone(pid, timeout), "%s %d still exists %.0fs later" % (what, pid, timeout)


# ---------------------------------------------------------------- breakpoints and exceptions

RE_BP_AT = r"^(Breakpoint|Temporary breakpoint) (\d+) at (.+?)(?: \(line (\d+) has no code\))?$"
RE_BP_PENDING = r"^(Breakpoint|Temporary breakpoint) (\d+) \((.*)\) pending: (.+)$"
RE_BP_BOUND = r"^(?:Breakpoint|Temporary breakpoint) (\d+) bound: (.+?)(?: \(line (\d+) has no code\))?$"
RE_HIT = r"^Thread (\d+) hit Breakpoint (\d+), (.+) at ([^\s:]+):(\d+)$"
RE_ENTRY = r"^Thread (\d+) stopped at entry, (.+) at ([^\s:]+):(\d+)$"
RE_EXCEPTION = (r"^(Exception thrown|User-unhandled exception|Unhandled exception) on thread (\d+) "
                r"\(tid (\d+)\): (\S+): (.*)$")
RE_KILLED_SIGNAL = r"^Process (\d+) was killed by signal (\d+) \(([^)]*)\)$"
HEADER_BREAKPOINTS = r"^Num\s+Type\s+Enb\s+Hits\s+Where\s*$"
RE_BP_ROW = (r"^(\d+)\s+(breakpoint|tbreak)\s+([yn])\s+(\d+)\s+(.+?) "
             r"\[(pending|bound, (\d+) locations?)\](?:\s+(.*))?$")


def mark_re(text):
    """A regex for a line (a stop's source line) holding `// @mark:TEXT`."""
    return r"//\s*@mark:" + re.escape(text) + r"\b"


def source_line(res, i, line, mark=None):
    """The stdout line after index i is the source line `LINE<TAB>text` (text holding
    `// @mark:MARK` when given)."""
    assert i + 1 < len(res.lines), "no source line after %r" % res.lines[i]
    nxt = res.lines[i + 1]
    m = re.match(r"^(\d+)\t(.*)$", nxt)
    assert m, "line after %r is not `LINE<TAB>source`: %r" % (res.lines[i], nxt)
    assert int(m.group(1)) == line, "source line %s after %r, expected %d" % (m.group(1), res.lines[i], line)
    if mark:
        assert re.search(mark_re(mark), m.group(2)), "source line %r is not the @mark:%s line" % (nxt, mark)
    return m


def hits(res, bp=None):
    """The `Thread T hit Breakpoint N, ...` matches on stdout (of breakpoint bp if given),
    each with .index: its line's index."""
    rx = re.compile(RE_HIT)
    out = []
    for i, l in enumerate(res.lines):
        m = rx.search(l)
        if m and (bp is None or int(m.group(2)) == bp):
            out.append(_Indexed(m, i))
    return out


def stop_locations(res, rx):
    """Every stop location on stdout, in order: [(method, line)], from the lines matching
    the regex rx (group 1 the method, group 2 the line)."""
    return [(m.group(1), int(m.group(2))) for m in (re.match(rx, l) for l in res.lines) if m]


def expect_stop_locations(res, rx, expected):
    """The stops (as stop_locations finds them) are exactly `expected`: [(method regex, line)]."""
    locs = stop_locations(res, rx)
    ok = len(locs) == len(expected) and all(
        re.fullmatch(mre, m) and line == l for (m, l), (mre, line) in zip(locs, expected))
    assert ok, "stops:\n  %s\nexpected:\n  %s" % (
        "\n  ".join("%s at Program.cs:%d" % x for x in locs),
        "\n  ".join("/%s/ at Program.cs:%d" % x for x in expected))
    return locs


def stops(res, pattern):
    """Matches of `pattern` on stdout with their line indices, as (index, match)."""
    rx = re.compile(pattern)
    return [(i, m) for i, m in ((i, rx.search(l)) for i, l in enumerate(res.lines)) if m]


class _Indexed:
    def __init__(self, m, index):
        self.m = m
        self.index = index

    def group(self, *a):
        return self.m.group(*a)

    @property
    def thread(self):
        return int(self.m.group(1))

    @property
    def bp(self):
        return int(self.m.group(2))

    @property
    def method(self):
        return self.m.group(3)

    @property
    def file(self):
        return self.m.group(4)

    @property
    def line(self):
        return int(self.m.group(5))


def bp_tables(res):
    """Every `info breakpoints` table on stdout, in order: a list of (header index,
    {id: row match}); `No breakpoints.` counts as an empty table."""
    out = []
    hrx = re.compile(HEADER_BREAKPOINTS)
    rrx = re.compile(RE_BP_ROW)
    for i, l in enumerate(res.lines):
        if l.strip() == "No breakpoints.":
            out.append((i, {}))
        elif hrx.search(l):
            rows = {}
            for r in res.lines[i + 1:]:
                m = rrx.search(r)
                if not m:
                    break
                rows[int(m.group(1))] = m
            out.append((i, rows))
    return out


# ---------------------------------------------------------------- native views (test_native, test_mixed)

RE_REG = r"^([a-z][a-z0-9_]*)\s+0x([0-9a-f]+)\s+(.*)$"
# hit or location line of native code: FUNC+0xOFF (MODULE)[ at FILE:LINE]
RE_NLOC = r"^([A-Za-z_]\w*)\+0x([0-9a-f]+) \(([^)\s]+)\)(?: at ([^\s:]+):(\d+))?$"
RE_NHIT = r"^Thread (\d+) hit Breakpoint (\d+), ([A-Za-z_]\w*)\+0x([0-9a-f]+) \(([^)\s]+)\)(?: at ([^\s:]+):(\d+))?$"
# a bt line: #N  WHAT[ at FILE:LINE]
RE_FRAME = r"^#(\d+)\s+(.*?)(?: at ([^\s:]+):(\d+))?$"
# x/Ni: [=> ]0x%016x <FUNC[+0xOFF]>:\tINSN
RE_INSN = r"^(=> |   )0x([0-9a-f]{16}) <([^>+]+)(?:\+0x([0-9a-f]+))?>:\t(.*)$"
RE_SIGNAL = r"^Thread (\d+) \(tid (\d+)\) received signal (SIG\w+), (.*?)\.?(?: Fault address (0x[0-9a-f]+))?$"
RE_SHLIB = r"^0x([0-9a-f]{16})\s+0x([0-9a-f]{16})\s+(DWARF|symbols|none)\s+(\S.*)$"
GP_REGS = ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp", "r8", "r9", "r10", "r11",
           "r12", "r13", "r14", "r15", "rip", "eflags")


def bt_frames(res, start, frame_re):
    """The bt printed at or after stdout line `start`: [(n, what, file, line)], in order;
    frame_re matches one frame line with groups (n, what, file, line)."""
    i = res.index(r"^#0\s", start)
    out = []
    for line in res.lines[i:]:
        m = re.match(frame_re, line)
        if not m:
            break
        out.append((int(m.group(1)), m.group(2), m.group(3), int(m.group(4)) if m.group(4) else None))
    assert [f[0] for f in out] == list(range(len(out))), "frame numbers out of order: %r" % out
    return out


def native_fn(what):
    """`work+0xb (nprog)` -> ('work', 'nprog'); anything else -> None."""
    m = re.match(r"^([A-Za-z_]\w*)\+0x[0-9a-f]+ \(([^)\s]+)\)$", what)
    return (m.group(1), m.group(2)) if m else None


def registers(res, start=0):
    """The first `info registers` table at/after stdout line `start`: {name: (value, rest)}."""
    i = res.index(r"^rax\s+0x", start)
    regs = {}
    for line in res.lines[i:]:
        m = re.match(RE_REG, line)
        if not m:
            break
        regs[m.group(1)] = (int(m.group(2), 16), m.group(3).strip())
    return regs


def finish_ok(res, code=0):
    """The program cordbg started exited with `code` and is gone; its pid."""
    pid = started_pid(res)
    assert exit_code(res, pid) == code
    gone_or_fail(pid, "debuggee")
    return pid


# ---------------------------------------------------------------- a process cordbg let go (detach tests)

def proc_state(pid):
    with open("/proc/%d/stat" % pid) as f:
        return f.read().rsplit(")", 1)[1].split()[0]


def status_field(pid, name):
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            if line.startswith(name + ":"):
                return line.split(":", 1)[1].strip()
    raise AssertionError("no %s in /proc/%d/status" % (name, pid))


def file_bytes_at(pid, addr, n):
    """The n bytes of the file mapped at addr in pid (from /proc/PID/maps)."""
    with open("/proc/%d/maps" % pid) as f:
        for line in f:
            parts = line.split()
            lo, hi = (int(v, 16) for v in parts[0].split("-"))
            if lo <= addr < hi and len(parts) >= 6:
                with open(parts[5], "rb") as img:
                    img.seek(addr - lo + int(parts[2], 16))
                    return img.read(n)
    raise AssertionError("0x%x is not in a file mapping of %d" % (addr, pid))


def mem_bytes_at(pid, addr, n):
    with open("/proc/%d/mem" % pid, "rb") as f:
        f.seek(addr)
        return f.read(n)


def wait_progress(pid, field="voluntary_ctxt_switches", more=50, timeout=20.0):
    """Wait until pid's /proc status `field` grew by `more` (the program is running: it sleeps
    1 ms per loop turn); fails if it dies or does not move in time."""
    start = int(status_field(pid, field))
    deadline = time.monotonic() + timeout
    delay = 0.01
    while True:
        assert pid_alive(pid), "process %d died after detach" % pid
        now = int(status_field(pid, field))
        if now >= start + more:
            return now
        assert time.monotonic() < deadline, "process %d did not run on (%s %d -> %d)" % (pid, field, start, now)
        time.sleep(delay)   # nothing to wait on for a process that is not ours any more
        delay = min(delay * 2, 0.2)


def check_runs_free(pid, addr=None):
    """pid runs on, untraced and not stopped, with the original code at addr."""
    assert pid_alive(pid), "process %d is gone after detach" % pid
    os.kill(pid, 0)
    assert status_field(pid, "TracerPid") == "0", "still traced: TracerPid %s" % status_field(pid, "TracerPid")
    wait_progress(pid)
    assert proc_state(pid) not in ("t", "T", "Z", "X"), "state %s after detach" % proc_state(pid)
    if addr is not None:
        mem = mem_bytes_at(pid, addr, 1)
        img = file_bytes_at(pid, addr, 1)
        assert mem == img and mem != b"\xcc", "breakpoint byte left at 0x%x: %r (file %r)" % (addr, mem, img)


def detach_runs_free(s, pid, addr):
    """Detach session s from pid, then check that pid runs on free with the original code at
    addr, and kill it (it shares cordbg's stdout) before the session goes on."""
    s.send("detach")
    s.expect(r"^Detached from process %d$" % pid)
    try:
        check_runs_free(pid, addr)
    finally:
        kill_let_go(pid)


def kill_let_go(pid):
    """Kill a process cordbg let go of (it still holds cordbg's stdout: kill it before
    waiting for cordbg's exit) and wait until it is gone."""
    try:
        os.kill(pid, 9)
    except OSError:
        pass
    gone_or_fail(pid, "debuggee")


# ---------------------------------------------------------------- tables of printed answers

def print_cmds(exprs, start=0):
    """`echo @@N` / `print EXPR` for each expression, N counting from start: the answers are
    then told apart by check_printed."""
    cmds = []
    for i, e in enumerate(exprs, start):
        cmds += ["echo @@%d" % i, "print " + e]
    return cmds


def check_printed(res, table, skip=None):
    """table: [(expr, want)] printed by print_cmds (from 0), then `echo @@end`. want is the
    whole answer (a string; an error as "error: TEXT") or a compiled regex searched in it.
    Lines for which skip(line) holds are not part of an answer. Asserts every answer and
    returns the index in res.lines just after @@end."""
    blocks, cur, tail = {}, None, None
    for n, line in enumerate(res.lines):
        m = re.fullmatch(r"@@(\d+|end)", line)
        if m:
            if m.group(1) == "end":
                tail = n + 1
                break
            cur = int(m.group(1))
            blocks[cur] = []
        elif cur is not None and not (skip and skip(line)):
            blocks[cur].append(line)
    assert tail is not None, "no @@end in the output:\n" + res.stdout[-3000:]
    errs = [e[len("error: "):] for e in res.error_lines()]
    bad, k = [], 0
    for i, (e, want) in enumerate(table):
        got = "\n".join(blocks.get(i, []))
        if not got:
            got = "error: " + (errs[k] if k < len(errs) else "<none>")
            k += 1
        ok = got == want if isinstance(want, str) else want.search(got) is not None
        if not ok:
            bad.append("print %s\n    got:  %r\n    want: %r" % (e, got, getattr(want, "pattern", want)))
    assert not bad, "\n".join(bad) + "\n--- stdout:\n" + res.stdout + "\n--- stderr:\n" + res.stderr
    return tail


# ---------------------------------------------------------------- Edit and Continue

def enc_program(name="EncCases"):
    """A copy of tests/programs/NAME built in a temporary folder, for tests that edit the
    program's sources (Edit and Continue, hot reload): (folder, path of NAME.dll). Built
    once per test module and run (`dotnet build -c Debug`, in the folder of this run's
    tests); each call puts the original sources back, so every test starts from the program
    as built. Tests edit that copy (enc_edit), never tests/programs."""
    import inspect
    import sys
    caller = os.path.splitext(os.path.basename(inspect.stack()[1].filename))[0]
    base = os.environ.get("CORDBG_TEST_TMP")
    base = os.path.dirname(base) if base else os.path.join(OUT, "enc-copies")
    folder = os.path.join(base, "enc-%s-%s" % (caller, name))
    src = os.path.join(PROGRAMS, name)
    dll = os.path.join(folder, "bin", name + ".dll")
    sources = [f for f in os.listdir(src) if f.endswith((".cs", ".csproj"))]
    if not os.path.exists(dll):
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder)
        for f in sources:
            shutil.copy(os.path.join(src, f), os.path.join(folder, f))
        env = dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1", DOTNET_NOLOGO="1",
                   DOTNET_SKIP_FIRST_TIME_EXPERIENCE="1")
        for k in list(env):
            if k.startswith(("ASAN_", "UBSAN_", "LSAN_", "CORDBG_")):
                del env[k]
        p = subprocess.run(["dotnet", "build", os.path.join(folder, name + ".csproj"), "-c", "Debug",
                            "-o", os.path.join(folder, "bin"), "--nologo", "-v", "q",
                            "-nodeReuse:false", "-p:UseSharedCompilation=false"],
                           stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           env=env, cwd=folder, timeout=300)
        assert p.returncode == 0 and os.path.exists(dll), \
            "building the copy of %s failed:\n%s" % (name, p.stdout.decode("utf-8", "replace"))
    else:
        for f in sources:
            shutil.copy(os.path.join(src, f), os.path.join(folder, f))
    return folder, dll


def enc_edit(path, old, new, count=1):
    """Replace `old` by `new` in the file at path (exactly `count` occurrences must be there)."""
    with open(path, encoding="utf-8") as f:
        text = f.read()
    assert text.count(old) == count, "%s: %r occurs %d times, not %d" % (path, old, text.count(old), count)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text.replace(old, new))


def mark_line(path, mark):
    """Line (1-based) of `// @mark:MARK` in the file at path (a copy being edited)."""
    pat = re.compile(r"//\s*@mark:" + re.escape(mark) + r"\b")
    with open(path, encoding="utf-8") as f:
        hits = [i for i, line in enumerate(f, 1) if pat.search(line)]
    assert len(hits) == 1, "marker @mark:%s in %s: %r" % (mark, path, hits)
    return hits[0]
