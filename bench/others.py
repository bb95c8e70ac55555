"""Other debuggers for bench/run.py, where this machine can have them.

What exists here (Debian's packages, NuGet's copy, npm):
  gdb, lldb      native debuggers. They know nothing of managed code, so of the scenarios only
                 P9 applies: the cost of a native debugger being attached to a .NET program
                 that never stops for the user (the runtime's own signals passed through).
  lldb + SOS     SOS's lldb plug-in (libsosplugin.so) ships in the `dotnet-dump` tool, which
                 NuGet's copy here serves (`dotnet-sos` it does not). Scripted for P6: `clrstack`
                 of the same 1,001-frame stack (the program's Debugger.Break is a SIGTRAP under
                 a native debugger). P1 (bpmd and continue) and P7 (dumparray) would need
                 lldb's Python, which Debian's lldb 14 here lacks (lldb.embedded_interpreter).
  netcoredbg     not packaged by Debian, not on NuGet's copy or npm.
  vsdbg          Microsoft's download only (no registry serves it).
Everything else in the table has no other debugger to compare with here."""
import os, re, shutil, subprocess, time

_notes = {}


def _sh(*cmd):
    try:
        r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    except OSError as e:
        return 127, str(e)
    lines = [l.strip() for l in (r.stdout + "\n" + r.stderr).splitlines() if l.strip()]
    return r.returncode, re.sub(r"\s*\S+://\S+", "", lines[-1]) if lines else ""


def _apt(pkg):
    """Install a Debian package when missing (root only). None, or why not."""
    if os.geteuid() != 0:
        return "not root: apt-get install %s by hand" % pkg
    rc, last = _sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", pkg)
    if rc != 0:  # the package lists may be missing or stale
        _sh("apt-get", "update", "-qq")
        rc, last = _sh("apt-get", "install", "-y", "-qq", "--no-install-recommends", pkg)
    return None if rc == 0 else f"apt-get install {pkg}: {last}"


SOS_PLUGIN = None


def _find_plugin(root):
    for d, _, files in os.walk(root):
        if "libsosplugin.so" in files and d.endswith(os.path.join("linux-x64")):
            return os.path.join(d, "libsosplugin.so")
    return None


def _sos():
    """SOS's lldb plug-in from the dotnet-dump tool (installed under ~/.cache when missing)."""
    global SOS_PLUGIN
    tool_dir = os.path.expanduser("~/.cache/cordbg-bench/dotnet-dump")
    SOS_PLUGIN = _find_plugin(tool_dir)
    if SOS_PLUGIN:
        return None
    rc, last = _sh("dotnet", "tool", "install", "--tool-path", tool_dir, "dotnet-dump")
    if rc != 0:
        return f"`dotnet tool install dotnet-dump` failed: {last}"
    SOS_PLUGIN = _find_plugin(tool_dir)
    return None if SOS_PLUGIN else "dotnet-dump installed, but no linux-x64 libsosplugin.so in it"


def sos_ready():
    return SOS_PLUGIN is not None and shutil.which("lldb") is not None


def sos_clrstack(dll, prog, count):
    """Wall seconds of lldb+SOS launching the program to its Debugger.Break (a SIGTRAP) and
    running `clrstack` count times; and the frames the last one printed."""
    dotnet = shutil.which("dotnet") or "dotnet"
    cmd = ["lldb", "--no-lldbinit", "-o", "plugin load " + SOS_PLUGIN, "-o", "process launch"]
    for _ in range(count):
        cmd += ["-o", "clrstack"]
    cmd += ["-o", "kill", "-o", "quit", "--", dotnet, dll, *prog]
    t = time.perf_counter()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True)
    dt = time.perf_counter() - t
    frames = len(re.findall(r"^[0-9A-F]{16} [0-9A-F]{16} ", p.stdout, re.M)) // max(count, 1)
    return dt, frames


# The runtime's signals: its activation injection (SIGRTMIN), null checks (SIGSEGV), and
# others it handles itself. A native debugger must pass them without stopping.
SIGNALS = ("SIGUSR1", "SIGUSR2", "SIGSEGV", "SIGPIPE", "SIGCHLD", "SIGRTMIN", "SIG34", "SIG35")


class Native:
    def __init__(self, name, exe):
        self.name, self.exe = name, exe
        self.ready = False
        self.version = "?"

    def setup(self, log):
        if not shutil.which(self.exe):
            why = _apt(self.exe)
            if why:
                _notes[self.name] = why
                return
        out = subprocess.run([self.exe, "--version"], stdin=subprocess.DEVNULL, capture_output=True, text=True).stdout
        m = re.search(r"(\d+\.\d+(?:\.\d+)?)", out)
        self.version = m.group(1) if m else "?"
        self.ready = True

    def command(self, dll, prog):
        dotnet = shutil.which("dotnet") or "dotnet"
        if self.name == "gdb":
            cmd = ["gdb", "-nx", "-batch", "-ex", "set pagination off", "-ex", "set startup-with-shell off"]
            cmd += ["-ex", "handle %s nostop noprint pass" % " ".join(s for s in SIGNALS if s != "SIGRTMIN")]
            return cmd + ["-ex", "run", "--args", dotnet, dll, *prog]
        cmd = ["lldb", "--no-lldbinit", "--batch", "-o", "process launch -s --"]
        cmd += ["-o", "process handle -s false -n false -p true %s" % " ".join(SIGNALS[:-2])]
        return cmd + ["-o", "continue", "--", dotnet, dll, *prog]

    def run_to_end(self, dll, prog, expect):
        t = time.perf_counter()
        p = subprocess.run(self.command(dll, prog), stdin=subprocess.DEVNULL, capture_output=True, text=True)
        dt = time.perf_counter() - t
        if expect not in p.stdout:
            raise RuntimeError(f"{self.name}: no {expect!r} in its output: {(p.stdout + p.stderr)[-300:]}")
        return dt


_natives = [Native("gdb", "gdb"), Native("lldb", "lldb")]


def setup(log):
    for n in _natives:
        n.setup(log)
    why = _sos()
    if why:
        _notes["lldb+SOS"] = why


def native_debuggers():
    return _natives


def report():
    r = {n.name: {"version": n.version, "ran": "P9"} if n.ready else {"missing": _notes.get(n.name)} for n in _natives}
    r["lldb+SOS"] = {"missing": _notes["lldb+SOS"]} if "lldb+SOS" in _notes else {"ran": "P6"}
    r["netcoredbg"] = {"missing": "not in Debian, NuGet's copy or npm"}
    r["vsdbg"] = {"missing": "Microsoft's download only"}
    return r


def report_lines():
    out = ["Other debuggers:"]
    for n in _natives:
        out.append(f"  {n.name} {n.version}: P9 only (a native debugger; no managed breakpoints, steps or values)"
                   if n.ready else f"  {n.name}: not run: {_notes.get(n.name)}")
    out.append("  lldb+SOS: " + (f"not available: {_notes['lldb+SOS']}" if "lldb+SOS" in _notes
                                 else "P6 (clrstack; SOS from the dotnet-dump tool); P1, P7 need lldb's Python, missing here"))
    out.append("  netcoredbg, vsdbg: not available from this machine's registries")
    return out
