#!/usr/bin/env python3
"""cordbg's whole test suite (called by `make test`; Python 3 stdlib only).

  python3 tests/run.py [-k SUBSTR]... [--no-build] [--timeout SECONDS] [--all-on TFM]

1. builds every tests/programs/<Name>/<Name>.csproj and tests/tools/<Name>/<Name>.csproj
   into tests/out/<Name>/ (skipped when the output is newer than every source), then
   tests/native/*.c with gcc into tests/out/native/ (libnative.so, libplain.so,
   libstripped.so, nprog; same skipping), copying the libraries into tests/out/Interop/;
2. runs every build-san/tests/test_* unit binary (one entry each, plus the binary's own
   "N passed, N failed" counts);
3. runs every test_* function of tests/e2e/test_*.py, each in its own child process under
   a watchdog that kills it, the cordbg it started and every debuggee it recorded when the
   time runs out; then the managed ones again in mixed mode (`mixed/...`: cordbg --mixed,
   the native engine attached too; see MIXED_SKIP);
4. runs the DAP tests: every tests/dap/*.test.mjs with node's test runner (node:test, TAP
   reporter), one node process per file under a watchdog, one entry per test
   (`dap/<file>::<test name>`). They drive cordbg --interpreter=vscode (and --server) with
   the DebugClient of @vscode/debugadapter-testsupport (installed by scripts/setup.sh).
5. the runtime matrix: the e2e tests marked @cdb.matrix and the DAP tests of MATRIX_DAP again
   on each of MATRIX_RUNTIMES (.NET 8 and 9; labels `net8.0/...`), on their programs published
   self-contained for it into tests/out/<tfm>/ in step 1 (only the programs the selected
   matrix tests name; --all-on TFM: every managed test, every program);
Prints `PASS name (1.2s)` / `FAIL name` with details, then, when the matrix ran, one
`runtime VERSION (...): N passed, N failed` line per runtime, then `N passed, N failed`; exits 1
if anything failed. Environment: CORDBG (binary for the e2e and DAP tests; default
build-san/cordbg if present, else build/cordbg), CORDBG_TEST_TIMEOUT (default 120).
"""

import argparse
import importlib.util
import inspect
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import traceback
import uuid

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTS = os.path.join(REPO, "tests")
OUT = os.path.join(TESTS, "out")
E2E = os.path.join(TESTS, "e2e")
DAP = os.path.join(TESTS, "dap")

DOTNET_ENV = {
    "DOTNET_CLI_TELEMETRY_OPTOUT": "1",
    "DOTNET_NOLOGO": "1",
    "DOTNET_SKIP_FIRST_TIME_EXPERIENCE": "1",
    "MSBUILDDISABLENODEREUSE": "1",   # leave no MSBuild node processes behind
}
SAN_ENV = {
    "ASAN_OPTIONS": "detect_leaks=1",
    # leaks inside the runtime's debugger libraries are theirs (see the file)
    "LSAN_OPTIONS": "suppressions=%s:print_suppressions=0"
                    % os.path.join(os.path.dirname(os.path.abspath(__file__)), "lsan.supp"),
    "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1",
}


def log(msg=""):
    sys.stdout.write(msg + "\n")
    sys.stdout.flush()


def indent(text, pre="    "):
    return "\n".join(pre + l for l in text.rstrip("\n").splitlines())


# ------------------------------------------------------------------ 1. build programs

def newest_source(folder):
    newest = 0.0
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if d not in ("bin", "obj")]
        for f in files:
            newest = max(newest, os.path.getmtime(os.path.join(root, f)))
    return newest


def run_dotnet(args, env):
    """`dotnet ARGS` quietly, without a build server; returns (status, its output). The
    output goes to a file, not a pipe: a build server that inherits the pipe must not keep
    us waiting."""
    with tempfile.TemporaryFile() as f:
        st = subprocess.call(["dotnet"] + args + ["--nologo", "-v", "q", "-nodeReuse:false",
                                                  "-p:UseSharedCompilation=false"],
                             stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                             env=env, cwd=REPO)
        f.seek(0)
        return st, f.read().decode("utf-8", "replace")


def build_programs(results):
    projects = []
    for kind in ("programs", "tools"):
        base = os.path.join(TESTS, kind)
        if not os.path.isdir(base):
            continue
        for name in sorted(os.listdir(base)):
            csproj = os.path.join(base, name, name + ".csproj")
            if os.path.isfile(csproj):
                projects.append((name, csproj))
    env = dict(os.environ, **DOTNET_ENV)
    for name, csproj in projects:
        out_dir = os.path.join(OUT, name)
        out_dll = os.path.join(out_dir, name + ".dll")
        if os.path.exists(out_dll) and os.path.getmtime(out_dll) > newest_source(os.path.dirname(csproj)):
            continue
        t0 = time.monotonic()
        st, text = run_dotnet(["build", csproj, "-c", "Debug", "-o", out_dir], env)
        dt = time.monotonic() - t0
        if st == 0 and os.path.exists(out_dll):
            os.utime(out_dll)  # mark it newer than the sources even if msbuild skipped the copy
            log("BUILT %s (%.1fs)" % (name, dt))
        else:
            log("FAIL build %s" % name)
            log(indent(text))
            results.append(("build " + name, False))


NATIVE_SRC = os.path.join(TESTS, "native")
NATIVE_OUT = os.path.join(OUT, "native")
# tests/out/native/<output>: argv lists run in order (cwd tests/native/), each output built
# under a temporary name (@TMP@) and renamed into place only when every step succeeded
NATIVE_BUILDS = [
    ("libnative.so", [["gcc", "-g", "-O0", "-Wall", "-fPIC", "-shared", "-pthread",
                       "-o", "@TMP@", "native.c"]]),
    ("libplain.so", [["gcc", "-O0", "-Wall", "-fPIC", "-shared", "-o", "@TMP@", "plain.c"]]),
    ("libstripped.so", [["gcc", "-O0", "-Wall", "-fPIC", "-shared", "-Wl,-Bsymbolic",
                         "-o", "@TMP@", "plain.c"],
                        ["strip", "--strip-all", "@TMP@"]]),
    ("nprog", [["gcc", "-g", "-O0", "-Wall", "-pthread", "-rdynamic", "-o", "@TMP@", "nprog.c",
                "-ldl"]]),
    ("wprog", [["gcc", "-g", "-O0", "-Wall", "-pthread", "-o", "@TMP@", "wprog.c"]]),
    ("nspawn", [["gcc", "-g", "-O0", "-Wall", "-o", "@TMP@", "nspawn.c"]]),
]
# copied next to tests/out/Interop/Interop.dll, where its [DllImport]s look
NATIVE_FOR_INTEROP = ("libnative.so", "libplain.so", "libstripped.so")
# the native libraries each program's [DllImport]s look for next to it
NATIVE_FOR_PROGRAM = {"Interop": NATIVE_FOR_INTEROP, "CoreCases": ("libnative.so",)}


def build_native(results):
    """Build tests/native/*.c with gcc into tests/out/native/ (skipped when every output is
    newer than every source), then copy the libraries next to Interop.dll. One entry:
    `BUILT native` or `FAIL build native` with the compiler's output."""
    if not os.path.isdir(NATIVE_SRC):
        return
    os.makedirs(NATIVE_OUT, exist_ok=True)
    newest = newest_source(NATIVE_SRC)
    outs = [os.path.join(NATIVE_OUT, name) for name, _ in NATIVE_BUILDS]
    if not all(os.path.exists(o) and os.path.getmtime(o) > newest for o in outs):
        t0 = time.monotonic()
        failed = None
        for name, steps in NATIVE_BUILDS:
            out = os.path.join(NATIVE_OUT, name)
            tmp = out + ".tmp"
            for step in steps:
                argv = [tmp if a == "@TMP@" else a for a in step]
                try:
                    p = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.STDOUT, cwd=NATIVE_SRC)
                    st, text = p.returncode, p.stdout.decode("utf-8", "replace")
                except OSError as e:
                    st, text = -1, str(e)
                if st != 0:
                    failed = "%s (exit status %d)\n%s" % (" ".join(argv), st, text)
                    break
            if failed:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                break
            os.replace(tmp, out)
        dt = time.monotonic() - t0
        if failed:
            log("FAIL build native")
            log(indent(failed))
            results.append(("build native", False))
            return
        log("BUILT native (%.1fs)" % dt)
    for prog, libs in NATIVE_FOR_PROGRAM.items():
        folder = os.path.join(OUT, prog)
        os.makedirs(folder, exist_ok=True)
        for name in libs:
            src, dst = os.path.join(NATIVE_OUT, name), os.path.join(folder, name)
            if not os.path.exists(dst) or os.path.getmtime(dst) < os.path.getmtime(src):
                shutil.copy2(src, dst)


# ------------------------------------------------------------------ 1b. the runtime matrix

# The runtimes besides the installed one that a representative part of the suite runs on:
# the test programs a matrix test names (@cdb.matrix("Name", ...) in tests/e2e, MATRIX_DAP
# below) are published self-contained for each, with the runtime pack NuGet serves for it
# (the SDK picks the version), into tests/out/<tfm>/<Name>/: the program brings its own
# libcoreclr.so, libmscordbi.so and libmscordaccore.so. The tests run as on the installed
# runtime, with CORDBG_TEST_OUT=tests/out/<tfm> and CORDBG_TEST_RUNTIME=<tfm>.
MATRIX_RUNTIMES = ("net8.0", "net9.0")
# Sanitizer options a runtime's own right side needs: .NET 9's libmscordbi.so frees with
# operator delete what its DAC allocated with new[] when an evaluation creates an object
# (harmless with glibc's allocator; cordbg, in C, has no new or delete of its own to check).
MATRIX_ASAN = {"net9.0": "alloc_dealloc_mismatch=0"}
# DAP tests in the matrix: (file label, test names, programs they launch)
MATRIX_DAP = [
    ("dap/launch", ("launch and hit a breakpoint", "exited event carries the exit code"),
     ("Values", "DapCases")),
    ("dap/stepping", ("next, stepIn and stepOut",), ("DapCases",)),
    ("dap/variables", ("setVariable, then the program prints the new values",), ("Values",)),
    ("dap/async", ("stepOut of an async method ends in its awaiting caller",), ("AsyncCases",)),
    ("dap/breakpoints", ("exception breakpoint: user-unhandled",), ("ExcBasic",)),
    # a server: one client's session ends (its DAC unloaded), the next one's begins
    ("dap/server", ("server: a client dropped while its program runs ends the program; "
                    "the next client is served",), ("Sleeper", "DapCases")),
]


# --all-on TFM: every selected managed test on that runtime, not only the matrix's (to see
# where a runtime differs; every test program is published for it)
ALL_ON = ()
ALL_ON_SKIP = ("test_harness.py", "test_layers.py", "test_bench_floor.py", "test_native.py",
               "test_native_syms.py", "test_native_spawn.py", "test_watch.py", "test_evaldiff.py")


def matrix_out(tfm):
    return os.path.join(OUT, tfm)


def publish_matrix(plan, results):
    """plan: {tfm: set of program names}. Publishes each program self-contained for each
    runtime (skipped when the output is newer than every source); intermediate files go
    under tests/out/<tfm>/obj/ so that the installed runtime's build is never disturbed."""
    env = dict(os.environ, **DOTNET_ENV)
    for tfm in sorted(plan):
        for name in sorted(plan[tfm]):
            src = os.path.join(TESTS, "programs", name)
            csproj = os.path.join(src, name + ".csproj")
            if not os.path.isfile(csproj):
                log("FAIL publish %s/%s" % (tfm, name))
                log("    no %s" % os.path.relpath(csproj, REPO))
                results.append(("publish %s/%s" % (tfm, name), False))
                continue
            out_dir = os.path.join(matrix_out(tfm), name)
            stamp = os.path.join(out_dir, ".published")
            if os.path.exists(stamp) and os.path.getmtime(stamp) > newest_source(src):
                continue
            work = os.path.join(matrix_out(tfm), "obj", name)
            t0 = time.monotonic()
            # TargetFrameworks too: restore reads it, not TargetFramework
            st, text = run_dotnet(["publish", csproj, "-c", "Debug", "-r", "linux-x64",
                                   "--self-contained", "-f", tfm, "-p:TargetFrameworks=" + tfm,
                                   "-p:BaseIntermediateOutputPath=%s/obj/" % work,
                                   "-p:BaseOutputPath=%s/bin/" % work,
                                   # the installed runtime's obj/ (its generated .cs files)
                                   # is in the project folder, no longer excluded by the
                                   # default globs once obj/ moved
                                   "-p:DefaultItemExcludes=obj/**", "-o", out_dir], env)
            dt = time.monotonic() - t0
            if st == 0 and os.path.exists(os.path.join(out_dir, "libmscordbi.so")):
                if name in NATIVE_FOR_PROGRAM:
                    for lib in NATIVE_FOR_PROGRAM[name]:
                        shutil.copy2(os.path.join(NATIVE_OUT, lib), os.path.join(out_dir, lib))
                open(stamp, "w").close()
                log("PUBLISHED %s/%s (%.1fs)" % (tfm, name, dt))
            else:
                log("FAIL publish %s/%s" % (tfm, name))
                log(indent(text or "(no libmscordbi.so in the output)"))
                results.append(("publish %s/%s" % (tfm, name), False))


def all_programs():
    base = os.path.join(TESTS, "programs")
    return tuple(n for n in sorted(os.listdir(base))
                 if os.path.isfile(os.path.join(base, n, n + ".csproj")))


def matrix_runtime_version(tfm):
    """The version of the runtime pack the SDK chose for tfm, from a published program."""
    import json
    base = matrix_out(tfm)
    for name in sorted(os.listdir(base)) if os.path.isdir(base) else ():
        rc = os.path.join(base, name, name + ".runtimeconfig.json")
        try:
            with open(rc, encoding="utf-8") as fh:
                fws = json.load(fh)["runtimeOptions"]["includedFrameworks"]
            return next(f["version"] for f in fws if f["name"] == "Microsoft.NETCore.App")
        except (OSError, ValueError, KeyError, StopIteration):
            continue
    return "?"


def installed_runtime_version():
    try:
        out = subprocess.run(["dotnet", "--list-runtimes"], capture_output=True, text=True,
                             timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return "?"
    vers = [l.split()[1] for l in out.splitlines() if l.startswith("Microsoft.NETCore.App ")]
    return vers[-1] if vers else "?"


def matrix_plan(filters):
    """{tfm: programs} for the selected matrix tests, e2e and DAP."""
    plan = {}
    for label, _, _, _, mx in discover_matrix(filters):
        plan.setdefault(label.split("/", 1)[0], set()).update(mx)
    for tfm in MATRIX_RUNTIMES:
        for flabel, names, progs in MATRIX_DAP:
            if any(selected("%s/%s::%s" % (tfm, flabel, n), filters) for n in names):
                plan.setdefault(tfm, set()).update(progs)
    for tfm in ALL_ON:
        if not filters or any(tfm + "/dap/" in f for f in filters):
            plan.setdefault(tfm, set()).update(all_programs())
    return plan


# ------------------------------------------------------------------ 2. unit binaries

COUNT_RE = re.compile(r"^(\d+) passed, (\d+) failed\s*$", re.M)


def run_units(filters, timeout, counts):
    bindir = os.path.join(REPO, "build-san", "tests")
    if not os.path.isdir(bindir):
        log("note: %s does not exist (no unit test binaries)" % os.path.relpath(bindir, REPO))
        return
    env = dict(os.environ, CORDBG_TEST_OUT=OUT, **SAN_ENV)
    for name in sorted(os.listdir(bindir)):
        path = os.path.join(bindir, name)
        if not name.startswith("test_") or not os.access(path, os.X_OK) or os.path.isdir(path):
            continue
        label = "unit/" + name
        if not selected(label, filters):
            continue
        t0 = time.monotonic()
        with tempfile.TemporaryFile() as f:
            p = subprocess.Popen([path], stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                                 env=env, cwd=REPO, start_new_session=True)
            timed_out = False
            try:
                st = p.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                timed_out = True
                kill_group(p.pid)
                st = p.wait()
            f.seek(0)
            text = f.read().decode("utf-8", "replace")
        dt = time.monotonic() - t0
        m = None
        for m in COUNT_RE.finditer(text):
            pass
        ok = st == 0 and not timed_out
        if m:
            counts[0] += int(m.group(1))
            counts[1] += int(m.group(2))
            ok = ok and int(m.group(2)) == 0
        else:
            ok = False
        counts[0 if ok else 1] += 1
        if ok:
            log("PASS %s (%.1fs)" % (label, dt))
        else:
            log("FAIL %s (%.1fs)" % (label, dt))
            why = ("timed out after %ds" % timeout if timed_out else
                   "exit status %d" % st if st != 0 else
                   "no 'N passed, N failed' line" if not m else "failures reported")
            log("    " + why)
            log(indent(text))


# ------------------------------------------------------------------ 3. end-to-end tests

def selected(label, filters):
    return not filters or any(f in label for f in filters)


def load_module(path):
    name = "e2e_" + os.path.splitext(os.path.basename(path))[0]
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    spec.loader.exec_module(mod)
    return mod


# The mixed pass re-runs the managed suite under `cordbg --mixed` (the native engine attached
# too); these files test protocols or modes of their own.
# Lines of figures reported by tests, printed just before the closing summary line.
FIGURES = []

MIXED_SKIP = ("test_evaldiff.py", "test_dap_raw.py", "test_native.py", "test_mixed.py", "test_native_syms.py", "test_mixed_syms.py", "test_harness.py", "test_bench_floor.py",
              "test_watch.py", "test_watch_mixed.py",
              "test_mixed_hang.py", "test_native_spawn.py",
              "test_layers.py", "test_runtimes.py",
              "test_encsvc.py")   # the EnC helper alone, no cordbg


def discover(filters, mode=None):
    """[(label, path, function name, timeout)] in file order, then definition order.
    mode "mixed": the mixed pass; a runtime of MATRIX_RUNTIMES: the tests marked
    @cdb.matrix that run on it."""
    sys.path.insert(0, E2E)
    found = []
    if mode in MATRIX_RUNTIMES:
        return [t[:4] for t in discover_matrix(filters) if t[0].startswith(mode + "/")]
    for fname in sorted(os.listdir(E2E)):
        if not (fname.startswith("test_") and fname.endswith(".py")):
            continue
        if mode and fname in MIXED_SKIP:
            continue
        path = os.path.join(E2E, fname)
        mod = load_module(path)
        fns = [(getattr(f, "__code__").co_firstlineno, n, f) for n, f in vars(mod).items()
               if n.startswith("test_") and inspect.isfunction(f) and f.__module__ == mod.__name__]
        for _, n, f in sorted(fns):
            if mode and getattr(f, "managed_only", False):   # a test's own reason, next to it
                continue
            label = "%s%s::%s" % (mode + "/" if mode else "", fname[:-3], n)
            if selected(label, filters):
                found.append((label, path, n, getattr(f, "timeout", None)))
    return found


_MODULES = {}


def discover_matrix(filters):
    """[(label, path, function name, timeout, programs)] of the tests marked @cdb.matrix,
    for each runtime they ask for: label `<tfm>/<file>::<test>`."""
    sys.path.insert(0, E2E)
    found = []
    for tfm in MATRIX_RUNTIMES:
        for fname in sorted(os.listdir(E2E)):
            if not (fname.startswith("test_") and fname.endswith(".py")):
                continue
            path = os.path.join(E2E, fname)
            if path not in _MODULES:
                _MODULES[path] = load_module(path)
            mod = _MODULES[path]
            every = tfm in ALL_ON and fname not in ALL_ON_SKIP
            fns = [(getattr(f, "__code__").co_firstlineno, n, f) for n, f in vars(mod).items()
                   if n.startswith("test_") and inspect.isfunction(f)
                   and f.__module__ == mod.__name__ and (every or getattr(f, "matrix", None))]
            for _, n, f in sorted(fns):
                progs, runtimes = getattr(f, "matrix", None) or ((), None)
                if every:
                    progs = all_programs()
                elif runtimes and tfm not in runtimes:
                    continue
                label = "%s/%s::%s" % (tfm, fname[:-3], n)
                if selected(label, filters):
                    found.append((label, path, n, getattr(f, "timeout", None), progs))
    return found


def kill_group(pgid):
    try:
        os.killpg(pgid, signal.SIGKILL)
    except OSError:
        pass


def kill_pid(pid):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError:
        pass


def kill_recorded(pidfile, run_id):
    """Kill the processes and process groups a test recorded. Only processes that carry
    this run's marker in their environment are touched, so a recycled pid is safe."""
    try:
        with open(pidfile) as f:
            rows = [l.split() for l in f if l.strip()]
    except OSError:
        return
    pids = {int(n) for k, n in rows if k == "pid"}
    pgids = {int(n) for k, n in rows if k == "pgid"}
    marker = ("CORDBG_TEST_RUN=" + run_id).encode()
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        pid = int(d)
        try:
            pgid = os.getpgid(pid)
        except OSError:
            continue
        if pid not in pids and pgid not in pgids and pid not in pgids:
            continue
        info = proc_info(pid)
        if info and marker in info[1]:
            kill_pid(pid)


def proc_info(pid):
    """(cmdline, environ bytes list, state) of a live process, or None."""
    try:
        with open("/proc/%d/stat" % pid) as f:
            state = f.read().rsplit(")", 1)[1].split()[0]
        with open("/proc/%d/cmdline" % pid, "rb") as f:
            cmd = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
        try:
            with open("/proc/%d/environ" % pid, "rb") as f:
                env = f.read().split(b"\0")
        except OSError:
            env = []
    except OSError:
        return None
    return cmd, env, state


def find_leftovers(run_id, any_tests_out=False):
    """Processes left by this run: those carrying our marker in their environment (and,
    when any_tests_out, every process whose command line mentions tests/out/)."""
    marker = ("CORDBG_TEST_RUN=" + run_id).encode()
    me = os.getpid()
    left = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) == me:
            continue
        info = proc_info(int(d))
        if not info or info[2] == "Z":
            continue
        cmd, env, _ = info
        if marker in env or (any_tests_out and "tests/out/" in cmd):
            left.append((int(d), cmd))
    return left


def reap_leftovers(run_id, grace, any_tests_out=False):
    """Give leftovers `grace` seconds to go away by themselves, then kill them and wait
    (up to 10 s) until they are gone. Returns what had to be killed."""
    deadline = time.monotonic() + grace
    left = find_leftovers(run_id, any_tests_out)
    while left and time.monotonic() < deadline:
        time.sleep(0.05)  # processes that are not our children: nothing to wait on
        left = find_leftovers(run_id, any_tests_out)
    for pid, _ in left:
        kill_pid(pid)
    deadline = time.monotonic() + 10
    pids = {pid for pid, _ in left}
    while pids and time.monotonic() < deadline:
        pids = {pid for pid in pids if proc_info(pid) and proc_info(pid)[2] != "Z"}
        if pids:
            time.sleep(0.05)
    for pid in pids:
        log("warning: process %d survived SIGKILL" % pid)
    return left


def cordbg_binary():
    """$CORDBG, else build-san/cordbg if present, else build/cordbg (absolute)."""
    cordbg = os.environ.get("CORDBG")
    if not cordbg:
        cordbg = os.path.join(REPO, "build-san", "cordbg")
        if not os.path.exists(cordbg):
            cordbg = os.path.join(REPO, "build", "cordbg")
    return os.path.abspath(cordbg)


# The memory cache's verification mode (src/base/memcache.h), on for the whole run unless
# --no-memcache-verify: every read the cache serves is read fresh too. A difference the
# cordbg process cannot explain by the program's own running threads is a stale read: it is
# written to CORDBG_MEMCACHE_REPORT and fails the test. The counts of every cordbg process
# (reads verified, stale, changed by the program's threads) add up to a closing line.
MEMCACHE_VERIFY = True
MEMCACHE_COUNTS = [0, 0, 0]
MEMCACHE_CHANGED = []   # (test, report line) for the closing lines


def memcache_env(env, test_tmp):
    if not MEMCACHE_VERIFY:
        return None
    path = os.path.join(test_tmp, "memcache-report.log")
    env.update(CORDBG_MEMCACHE_VERIFY="1", CORDBG_MEMCACHE_REPORT=path)
    return path


def read_stale(path, label=""):
    """The stale reads a test's cordbg processes reported; their counts are added up."""
    if not path:
        return ""
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            lines = f.read().splitlines()
    except OSError:
        return ""
    stale = []
    for l in lines:
        m = re.match(r"^cordbg: memcache: counts (\d+) reads verified, (\d+) stale, (\d+) changed", l)
        if m:
            for i in range(3):
                MEMCACHE_COUNTS[i] += int(m.group(i + 1))
        elif "stale read" in l:
            stale.append(l)
        elif "changed during the stop" in l and len(MEMCACHE_CHANGED) < 5:
            MEMCACHE_CHANGED.append((label, l))
    return "\n".join(stale)


def run_e2e(filters, timeout, counts, run_id, mode=None):
    if not os.path.isdir(E2E):
        return
    try:
        tests = discover(filters, mode)
    except Exception:
        log("FAIL e2e discovery")
        log(indent(traceback.format_exc()))
        counts[1] += 1
        return
    cordbg = cordbg_binary()
    if tests:
        shown = os.path.relpath(cordbg, REPO) if cordbg.startswith(REPO + os.sep) else cordbg
        log("e2e%s: cordbg = %s" % ((" (%s, self-contained)" % mode if mode in MATRIX_RUNTIMES else
                                     " (%s mode)" % mode) if mode else "", shown))
    tmp_base = tempfile.mkdtemp(prefix="cordbg-tests-")
    for i, (label, path, fn, t_own) in enumerate(tests):
        t_limit = t_own or timeout
        pidfile = os.path.join(tmp_base, "pids-%d" % i)
        open(pidfile, "w").close()
        test_tmp = tempfile.mkdtemp(prefix="t-", dir=tmp_base)
        env = dict(os.environ, **DOTNET_ENV, **SAN_ENV)
        rt = mode if mode in MATRIX_RUNTIMES else None
        if rt in MATRIX_ASAN:
            env["ASAN_OPTIONS"] += ":" + MATRIX_ASAN[rt]
        env.update(CORDBG=cordbg, CORDBG_TEST_OUT=matrix_out(rt) if rt else OUT,
                   CORDBG_TEST_RUN=run_id, CORDBG_TEST_PIDFILE=pidfile, CORDBG_TEST_TMP=test_tmp,
                   PYTHONDONTWRITEBYTECODE="1", CORDBG_MODE="" if rt else mode or "",
                   CORDBG_TEST_RUNTIME=rt or "")
        stale_log = memcache_env(env, test_tmp)
        t0 = time.monotonic()
        with tempfile.TemporaryFile() as f:
            p = subprocess.Popen([sys.executable, os.path.abspath(__file__), "--child", path, fn],
                                 stdin=subprocess.DEVNULL, stdout=f, stderr=subprocess.STDOUT,
                                 env=env, cwd=REPO, start_new_session=True)
            timed_out = False
            try:
                st = p.wait(timeout=t_limit)
            except subprocess.TimeoutExpired:
                timed_out = True
                # SIGTERM first: the child prints where it was and the transcript, and
                # kills what it started; then SIGKILL whatever is left.
                try:
                    os.kill(p.pid, signal.SIGTERM)
                    p.wait(timeout=10)
                except (OSError, subprocess.TimeoutExpired):
                    pass
                kill_group(p.pid)
                kill_recorded(pidfile, run_id)
                st = p.wait()
            f.seek(0)
            text = f.read().decode("utf-8", "replace")
        dt = time.monotonic() - t0
        if st != 0:
            kill_recorded(pidfile, run_id)
        reap_zombies()
        left = reap_leftovers(run_id, 0.5 if timed_out or st != 0 else 5.0)
        reap_zombies()
        stale = read_stale(stale_log, label)
        ok = st == 0 and not timed_out and not left and not stale
        counts[0 if ok else 1] += 1
        # figures a test reports for the closing lines (`evaldiff: N of M ... agree`,
        # `encsvc: start-up ...`)
        FIGURES.extend(l for l in text.splitlines() if re.match(r"^evaldiff: \d+ of \d+|^encsvc: start-up", l))
        if ok:
            log("PASS %s (%.1fs)" % (label, dt))
        else:
            log("FAIL %s (%.1fs)" % (label, dt))
            if timed_out:
                log("    timed out after %ds: killed the test, its cordbg and its debuggees" % t_limit)
            if stale:
                log("    the memory cache served a stale read (CORDBG_MEMCACHE_VERIFY):")
                log(indent(stale, "      "))
            if left:
                log("    left processes behind (killed now):")
                for pid, cmd in left:
                    log("      %d %s" % (pid, cmd))
            if text.strip():
                log(indent(text))
        try:
            subprocess.call(["rm", "-rf", test_tmp])
        except OSError:
            pass
    subprocess.call(["rm", "-rf", tmp_base])


# ------------------------------------------------------------------ 4. DAP tests (node)

TAP_RESULT = re.compile(r"^(ok|not ok) \d+ - (.*?)(?: # (SKIP|TODO)\b.*)?$")
DAP_TEST_NAME = re.compile(r"""^\s*dapTest\(\s*(['"])((?:(?!\1).)*)\1""", re.M)


def _tap_name(raw):
    """A TAP test name as node writes it (\# and \\ escaped) back to the test's own name."""
    return re.sub(r"\\(.)", r"\1", raw)


def parse_tap(text, final):
    """Top-level results of node's TAP reporter: [(name, ok, directive, duration s, yaml)].
    Unless final, a result whose YAML block may still be coming is left out."""
    results = []
    lines = text.split("\n")
    if not final:
        lines = lines[:-1]          # the last line may be incomplete
    i = 0
    while i < len(lines):
        m = TAP_RESULT.match(lines[i])
        i += 1
        if not m:
            continue
        if i >= len(lines) and not final:
            break                   # its block may follow
        block = []
        if i < len(lines) and lines[i] == "  ---":
            j = i + 1
            while j < len(lines) and lines[j] != "  ...":
                block.append(lines[j][2:])
                j += 1
            if j >= len(lines) and not final:
                break               # the block is not complete yet
            i = j + 1
        dur = None
        for l in block:
            if l.startswith("duration_ms: "):
                try:
                    dur = float(l.split(": ", 1)[1]) / 1000.0
                except ValueError:
                    pass
        yaml = "\n".join(l for l in block if not l.startswith("duration_ms: "))
        results.append((_tap_name(m.group(2)), m.group(1) == "ok", m.group(3), dur, yaml))
    return results


def run_dap(filters, timeout, counts, run_id, runtime=None):
    """runtime: one of MATRIX_RUNTIMES: the MATRIX_DAP tests on its published programs
    (labels `<tfm>/dap/<file>::<test>`)."""
    if not os.path.isdir(DAP):
        return
    plan = []
    for f in sorted(f for f in os.listdir(DAP) if f.endswith(".test.mjs")):
        flabel = "dap/" + f[:-len(".test.mjs")]
        with open(os.path.join(DAP, f), encoding="utf-8") as fh:
            names = [m.group(2) for m in DAP_TEST_NAME.finditer(fh.read())]
        if runtime:
            flabel = runtime + "/" + flabel
            wanted = [n for fl, ns, _ in MATRIX_DAP if runtime + "/" + fl == flabel for n in ns]
            if runtime in ALL_ON:
                wanted = names
            missing = [n for n in wanted if n not in names]
            if missing:
                log("FAIL %s (matrix)" % flabel)
                log("    MATRIX_DAP names tests the file does not have: %r" % missing)
                counts[1] += 1
            chosen = [n for n in wanted if n in names and selected("%s::%s" % (flabel, n), filters)]
            if chosen:
                plan.append((f, flabel, chosen, len(chosen)))
            continue
        if not filters or any(x in flabel for x in filters):
            plan.append((f, flabel, None, max(len(names), 1)))     # the whole file
        else:
            chosen = [n for n in names if selected("%s::%s" % (flabel, n), filters)]
            if chosen:
                plan.append((f, flabel, chosen, len(chosen)))
    if not plan:
        return
    node = shutil.which("node")
    if not node:
        log("FAIL dap (node tests)")
        log("    'node' is not on PATH: scripts/setup.sh installs Debian's nodejs and npm")
        counts[1] += 1
        return
    if not os.path.isdir(os.path.join(DAP, "node_modules", "@vscode", "debugadapter-testsupport")):
        log("FAIL dap (node tests)")
        log("    tests/dap/node_modules lacks @vscode/debugadapter-testsupport: run scripts/setup.sh"
            " (it runs npm ci --prefix tests/dap)")
        counts[1] += 1
        return
    cordbg = cordbg_binary()
    shown = os.path.relpath(cordbg, REPO) if cordbg.startswith(REPO + os.sep) else cordbg
    log("dap%s: cordbg = %s, node %s" % (" (%s, self-contained)" % runtime if runtime else "",
                                         shown, node_version(node)))
    tmp_base = tempfile.mkdtemp(prefix="cordbg-dap-")
    for f, flabel, chosen, ntests in plan:
        # The file runs in node itself (not under `node --test`, whose TAP nests each file's
        # tests one level down in node 18 but not in node 20); its tests run one at a time,
        # each under its own time limit (CORDBG_TEST_TIMEOUT, read by tests/dap/harness.mjs).
        argv = [node, "--test-reporter=tap"]
        if chosen:
            # only these tests (node reports the others as skipped)
            argv += ["--test-name-pattern=^%s$" % re.escape(n) for n in chosen]
        argv.append(f)
        file_limit = timeout * ntests + 60   # the file as a whole (its tests have their own)
        test_tmp = tempfile.mkdtemp(prefix="t-", dir=tmp_base)
        env = dict(os.environ, **DOTNET_ENV, **SAN_ENV)
        env.update(CORDBG=cordbg, CORDBG_TEST_OUT=matrix_out(runtime) if runtime else OUT,
                   CORDBG_TEST_RUN=run_id, CORDBG_TEST_TMP=test_tmp,
                   CORDBG_TEST_TIMEOUT=str(timeout), NODE_NO_WARNINGS="1",
                   CORDBG_TEST_RUNTIME=runtime or "")
        env.pop("NODE_OPTIONS", None)
        if runtime in MATRIX_ASAN:
            env["ASAN_OPTIONS"] += ":" + MATRIX_ASAN[runtime]
        stale_log = memcache_env(env, test_tmp)
        t0 = time.monotonic()
        printed = 0
        failed_any = False
        timed_out = False
        with tempfile.NamedTemporaryFile(prefix="tap-", dir=tmp_base) as out:
            # to a file, not a pipe: nothing the tests start can keep us waiting on it
            p = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                 env=env, cwd=DAP, start_new_session=True)
            while True:
                try:
                    st = p.wait(timeout=1.0)
                    done = True
                except subprocess.TimeoutExpired:
                    done = False
                    if time.monotonic() - t0 > file_limit:
                        timed_out = True
                        kill_group(p.pid)
                        st = p.wait()
                        done = True
                with open(out.name, "rb") as fh:
                    text = fh.read().decode("utf-8", "replace")
                # report each test as soon as node has
                results = parse_tap(text, final=done)
                for name, ok, directive, dur, yaml in results[printed:]:
                    printed += 1
                    label = "%s::%s" % (flabel, name)
                    if directive == "SKIP":
                        if not chosen:
                            log("SKIP %s" % label)
                        continue
                    took = " (%.1fs)" % dur if dur is not None else ""
                    if ok:
                        counts[0] += 1
                        log("PASS %s%s" % (label, took))
                    else:
                        counts[1] += 1
                        failed_any = True
                        log("FAIL %s%s" % (label, took))
                        log(indent(yaml or "(no details)"))
                if done:
                    break
        dt = time.monotonic() - t0
        reap_zombies()
        left = reap_leftovers(run_id, 0.5 if timed_out or st != 0 else 5.0)
        reap_zombies()
        # the file itself: timed out, crashed, left processes behind, or failed without a
        # failing test to show for it
        trouble = []
        if timed_out:
            trouble.append("timed out after %ds: killed node, its cordbg and its debuggees" % file_limit)
        if left:
            trouble.append("left processes behind (killed now):\n" +
                           "\n".join("  %d %s" % (pid, cmd) for pid, cmd in left))
        if st != 0 and not timed_out and not failed_any:
            trouble.append("node exited with status %d" % st)
        stale = read_stale(stale_log, flabel)
        if stale:
            trouble.append("the memory cache served a stale read (CORDBG_MEMCACHE_VERIFY):\n" + stale)
        if not printed and not timed_out:
            trouble.append("no test results from node")
        if trouble:
            counts[1] += 1
            log("FAIL %s (%.1fs)" % (flabel, dt))
            for t in trouble:
                log(indent(t))
            if not printed or (st != 0 and not failed_any):
                log(indent(text[-20000:] if text.strip() else "(no output)"))
        subprocess.call(["rm", "-rf", test_tmp])
    subprocess.call(["rm", "-rf", tmp_base])


def node_version(node):
    try:
        return subprocess.run([node, "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "?"


class WatchdogTimeout(Exception):
    """Raised in the test by the runner's SIGTERM when its time limit is reached."""


def _on_sigterm(signum, frame):
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    raise WatchdogTimeout("the test's time limit was reached (watchdog)")


def child(path, fn):
    """Runs one e2e test function inside the watchdog's child process."""
    sys.path.insert(0, E2E)
    import cdb  # noqa: E402  (tests/e2e/cdb.py)
    signal.signal(signal.SIGTERM, _on_sigterm)
    status = 0
    try:
        mod = load_module(path)
        getattr(mod, fn)()
    except BaseException as e:  # noqa: B902 - any exception fails the test
        status = 1
        if isinstance(e, AssertionError):
            tb = traceback.extract_tb(e.__traceback__)
            where = next((fr for fr in reversed(tb) if fr.filename == path), tb[-1] if tb else None)
            loc = " (%s:%d)" % (os.path.basename(where.filename), where.lineno) if where else ""
            sys.stdout.write("AssertionError%s: %s\n" % (loc, e))
            sys.stdout.write(indent("".join(traceback.format_exception(e)), "  ") + "\n")
        else:
            sys.stdout.write("".join(traceback.format_exception(e)))
        t = cdb.transcripts()
        if t:
            sys.stdout.write("--- transcript ---\n" + t + "\n")
    finally:
        cdb.cleanup()
    sys.stdout.flush()
    os._exit(status)


def become_subreaper():
    """Orphans of our tests (a debuggee whose cordbg died) become our children, so they
    can be found, killed and reaped here rather than linger under init."""
    try:
        import ctypes
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(36, 1, 0, 0, 0)  # PR_SET_CHILD_SUBREAPER
    except (OSError, AttributeError):
        pass


def reap_zombies():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def main():
    if len(sys.argv) >= 2 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    become_subreaper()
    ap = argparse.ArgumentParser(description="run cordbg's tests")
    ap.add_argument("-k", action="append", default=[], metavar="SUBSTR",
                    help="run only tests whose name contains SUBSTR (repeatable)")
    ap.add_argument("--no-build", action="store_true",
                    help="do not build the C# and native test programs")
    ap.add_argument("--timeout", type=int, default=int(os.environ.get("CORDBG_TEST_TIMEOUT", "120")),
                    help="hard time limit per test in seconds (default 120)")
    ap.add_argument("--no-memcache-verify", action="store_true",
                    help="do not check every read cordbg's memory cache serves (CORDBG_MEMCACHE_VERIFY)")
    ap.add_argument("--all-on", action="append", default=[], choices=MATRIX_RUNTIMES, metavar="TFM",
                    help="run every selected managed test (e2e and DAP) on that runtime too, not only the "
                         "matrix's (%s); publishes every test program for it" % ", ".join(MATRIX_RUNTIMES))
    args = ap.parse_args()
    global MEMCACHE_VERIFY, ALL_ON
    ALL_ON = tuple(args.all_on)
    MEMCACHE_VERIFY = not args.no_memcache_verify

    os.makedirs(OUT, exist_ok=True)
    counts = [0, 0]
    run_id = uuid.uuid4().hex[:12]
    build_failures = []
    if not args.no_build:
        build_programs(build_failures)
        build_native(build_failures)
        counts[1] += len(build_failures)
    # the matrix: its programs published for the runtimes its selected tests run on
    plan = matrix_plan(args.k)
    by_runtime = {}
    if plan and not args.no_build:
        t0 = time.monotonic()
        before = len(build_failures)
        publish_matrix(plan, build_failures)
        counts[1] += len(build_failures) - before
        if len(build_failures) > before or time.monotonic() - t0 > 1:
            log("publish: %.0fs for %s" % (time.monotonic() - t0, ", ".join(sorted(plan))))
    try:
        run_units(args.k, max(args.timeout, 300), counts)
        run_e2e(args.k, args.timeout, counts, run_id)
        run_e2e(args.k, args.timeout, counts, run_id, mode="mixed")
        run_dap(args.k, args.timeout, counts, run_id)
        installed = list(counts)
        for tfm in MATRIX_RUNTIMES:
            if tfm not in plan:
                continue
            before = list(counts)
            run_e2e(args.k, args.timeout, counts, run_id, mode=tfm)
            run_dap(args.k, args.timeout, counts, run_id, runtime=tfm)
            by_runtime[tfm] = (counts[0] - before[0], counts[1] - before[1])
    finally:
        # never leave processes behind; in CI also anything else running from tests/out/
        ci = os.environ.get("CI", "").lower() in ("1", "true", "yes")
        left = reap_leftovers(run_id, 0.0, any_tests_out=ci)
        for pid, cmd in left:
            log("killed leftover process %d %s" % (pid, cmd))
        reap_zombies()
    for line in FIGURES:
        log(line)
    if MEMCACHE_VERIFY and MEMCACHE_COUNTS[0]:
        log("memcache: %d reads served from the cache verified, %d stale, %d changed by the program's "
            "own running threads during a stop" % tuple(MEMCACHE_COUNTS))
        for label, l in MEMCACHE_CHANGED:
            log("  %s: %s" % (label, l))
    if by_runtime:
        # by runtime: the installed one ran everything else (builds, unit binaries included)
        if installed[0] or installed[1]:
            log("runtime %s (installed): %d passed, %d failed"
                % (installed_runtime_version(), installed[0], installed[1]))
        for tfm, (ok, bad) in by_runtime.items():
            log("runtime %s (%s, self-contained): %d passed, %d failed"
                % (matrix_runtime_version(tfm), tfm, ok, bad))
    log("%d passed, %d failed" % (counts[0], counts[1]))
    sys.exit(1 if counts[1] else 0)


if __name__ == "__main__":
    main()
