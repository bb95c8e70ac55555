"""Which runtime cordbg debugs a program on, and the error when that runtime is not there.

A self-contained program runs on the libcoreclr.so in its own folder (the matrix runs
tests/out/<tfm>/ publishes of .NET 8 and 9); a framework-dependent one on a runtime of the
install its host picks: the folder of `dotnet` on PATH for an app .dll, DOTNET_ROOT (else
the default install folder) for an apphost, at a version its runtimeconfig.json's
roll-forward policy accepts. When none is installed cordbg names the version the program
needs instead of starting a process that dies in the host."""

import json
import os
import re
import shutil
import subprocess

import cdb
from cdb import batch, program, find_mark


def _installed():
    """{version: folder} of the Microsoft.NETCore.App runtimes `dotnet --list-runtimes` lists."""
    out = subprocess.run(["dotnet", "--list-runtimes"], capture_output=True, text=True,
                         timeout=60).stdout
    found = {}
    for m in re.finditer(r"^Microsoft\.NETCore\.App (\S+) \[(.*)\]$", out, re.M):
        found[m.group(1)] = os.path.join(m.group(2), m.group(1))
    assert found, "dotnet --list-runtimes lists no Microsoft.NETCore.App:\n" + out
    return found


def _missing_major():
    """A major version of .NET that is not installed here (8 on a machine with only 10)."""
    majors = {int(v.split(".")[0]) for v in _installed()}
    return next(m for m in range(8, 100) if m not in majors)


def _tmp(name):
    base = os.environ.get("CORDBG_TEST_TMP") or "/tmp"
    d = os.path.join(base, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(d)
    return d


def _hello_copy(name, runtime_options):
    """tests/out/Hello (apphost, dll, pdb, deps) copied to a folder of its own, with a
    runtimeconfig.json of the given runtimeOptions. Returns the folder."""
    d = _tmp(name)
    src = os.path.dirname(program("Hello"))
    for f in ("Hello", "Hello.dll", "Hello.pdb", "Hello.deps.json"):
        shutil.copy2(os.path.join(src, f), os.path.join(d, f))
    with open(os.path.join(d, "Hello.runtimeconfig.json"), "w") as fh:
        json.dump({"runtimeOptions": runtime_options}, fh)
    return d


def _needs(ver, **extra):
    return dict({"tfm": "net%s" % ver.rsplit(".", 1)[0],
                 "framework": {"name": "Microsoft.NETCore.App", "version": ver}}, **extra)


def _refused(res, who, ver, policy, where, why):
    """cordbg said, and only said, that `who` needs runtime `ver`: no process started."""
    assert res.status == 1, "exit status %r" % res.status
    pat = (r"^error: %s needs the \.NET runtime Microsoft\.NETCore\.App %s \(roll forward: %s\), "
           r"which is not installed in %s \(%s; it has: [^)]*\): install \.NET %s\b.* publish the "
           r"program self-contained" % (re.escape(who), re.escape(ver), policy, re.escape(where),
                                        why, re.escape(ver.rsplit(".", 1)[0])))
    res.one(pat, "stderr")
    res.hasnt(r"^Process \d+ started")
    res.hasnt(r"^hello from Hello$")


def test_dll_whose_runtime_is_not_installed_is_refused_naming_the_version():
    ver = "%d.0.0" % _missing_major()
    d = _hello_copy("fd-dll", _needs(ver))
    dotnet_dir = os.path.dirname(os.path.realpath(shutil.which("dotnet")))
    res = batch([os.path.join(d, "Hello.dll")], ["run"])
    _refused(res, "Hello.dll", ver, "Minor", dotnet_dir, "the folder of 'dotnet' on PATH")
    res.has(r"it has: [^)]*\b%s\b" % re.escape(sorted(_installed())[-1]), "stderr")
    # what the host accepts, cordbg does not refuse: DOTNET_ROLL_FORWARD=Major in the
    # program's environment lets it run on the installed runtime
    res = batch([os.path.join(d, "Hello.dll"), "3"], ["run"], options=["--env", "DOTNET_ROLL_FORWARD=Major"])
    assert cdb.finish_ok(res, 3)
    res.one(r"^hello from Hello$")


def test_apphost_whose_runtime_is_not_installed_is_refused_unless_it_rolls_forward():
    ver = "%d.0.0" % _missing_major()
    d = _hello_copy("fd-apphost", _needs(ver))
    root = os.path.dirname(os.path.dirname(os.path.dirname(next(iter(_installed().values())))))
    default = root == "/usr/share/dotnet" and not os.environ.get("DOTNET_ROOT") \
        and not os.environ.get("DOTNET_ROOT_X64") and not os.path.exists("/etc/dotnet")
    # the apphost looks in DOTNET_ROOT, else the default folder: point it at the install
    opts = [] if default else ["--env", "DOTNET_ROOT_X64=" + root]
    res = batch([os.path.join(d, "Hello")], ["run"], options=opts)
    _refused(res, "Hello", ver, "Minor", root, "the default install folder" if default else "DOTNET_ROOT_X64")
    # rollForward in the runtimeconfig is the host's too
    d = _hello_copy("fd-apphost-major", _needs(ver, rollForward="LatestMajor"))
    res = batch([os.path.join(d, "Hello"), "4"], ["run"], options=opts)
    assert cdb.finish_ok(res, 4)
    res.one(r"^hello from Hello$")


def test_dotnet_root_is_where_an_apphost_finds_its_runtime_and_cordbg_its_right_side():
    # an install of its own under DOTNET_ROOT: the apphost runs on it, and cordbg debugs it
    # with the right side of that install (the modules are loaded from it)
    ver, rt_dir = sorted(_installed().items())[-1]
    root = _tmp("dotnet-root")
    real_root = os.path.dirname(os.path.dirname(os.path.dirname(rt_dir)))

    def link_or_copy(src, dst):
        try:
            os.link(src, dst)
        except OSError:
            shutil.copy2(src, dst)
    shutil.copytree(rt_dir, os.path.join(root, "shared", "Microsoft.NETCore.App", ver),
                    copy_function=link_or_copy)
    shutil.copytree(os.path.join(real_root, "host"), os.path.join(root, "host"),
                    copy_function=link_or_copy)
    hello = program("Hello", apphost=True)
    mark = find_mark("Hello", "hello")
    res = batch([hello], ["break Program.cs:%d" % mark, "run",
                          "print System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription",
                          "continue"], options=["--env", "DOTNET_ROOT=" + root])
    cdb.finish_ok(res)
    res.one(r"^Loaded '%s/shared/Microsoft\.NETCore\.App/%s/System\.Private\.CoreLib\.dll'"
            % (re.escape(root), re.escape(ver)))
    res.one(r'^"\.NET %s"$' % re.escape(ver))
    # an empty DOTNET_ROOT: refused, naming it
    empty = _tmp("empty-root")
    res = batch([hello], ["run"], options=["--env", "DOTNET_ROOT=" + empty])
    _refused(res, "Hello", "%s.0" % ".".join(ver.split(".")[:2]), "Minor", empty, "DOTNET_ROOT")
    res.one(r"it has: none\)", "stderr")


def test_self_contained_program_without_its_runtime_is_refused():
    d = _hello_copy("sc-broken", {"tfm": "net10.0", "includedFrameworks": [
        {"name": "Microsoft.NETCore.App", "version": sorted(_installed())[-1]}]})
    res = batch([os.path.join(d, "Hello")], ["run"])
    assert res.status == 1
    res.one(r"^error: Hello is a self-contained \.NET program, but its folder has no "
            r"libcoreclr\.so \(%s/libcoreclr\.so\)$" % re.escape(d), "stderr")
    res.hasnt(r"^Process \d+ started")


@cdb.matrix("Hello")
def test_the_program_runs_on_its_own_runtime():
    # on the matrix: the self-contained publish's runtime (its folder, the runtime pack's
    # version); else the installed one
    hello = program("Hello")
    folder = os.path.dirname(hello)
    if cdb.RUNTIME:
        with open(os.path.join(folder, "Hello.runtimeconfig.json")) as fh:
            fws = json.load(fh)["runtimeOptions"]["includedFrameworks"]
        ver = next(f["version"] for f in fws if f["name"] == "Microsoft.NETCore.App")
        assert ver.startswith(cdb.RUNTIME[3:] + "."), (cdb.RUNTIME, ver)
        where = folder
    else:
        ver, where = sorted(_installed().items())[-1]
    res = batch([hello], ["break Program.cs:%d" % find_mark("Hello", "hello"), "run",
                          "print System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription",
                          "bt", "continue"])
    cdb.finish_ok(res)
    res.one(r"^Loaded '%s/System\.Private\.CoreLib\.dll'" % re.escape(where))
    res.one(r'^"\.NET %s"$' % re.escape(ver))
    res.one(r"^hello from Hello$")
