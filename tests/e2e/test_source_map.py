"""Source paths of a program built elsewhere (issue 18, item 4): PathMapped's PDB names its
source /build/src/Program.cs (built with PathMap); `set substitute-path FROM TO` lets a
breakpoint on the local file bind."""

import os

import cdb
from cdb import batch, program, find_mark

LOCAL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "programs", "PathMapped")


def test_substitute_path_binds_a_breakpoint_on_the_local_file():
    work = find_mark("PathMapped", "work")
    where = "%s/Program.cs:%d" % (LOCAL, work)
    # without the mapping the local path names no document of the PDB: the program runs through
    res = batch([program("PathMapped")], ["break " + where, "run"])
    cdb.assert_ok(res)
    assert cdb.hits(res) == [], res.transcript() if hasattr(res, "transcript") else ""
    assert res.has(r"^work 3$") and res.has(r"^PathMapped: done$")
    res = batch([program("PathMapped")], ["set substitute-path /build/src " + LOCAL, "break " + where, "run", "continue"])
    cdb.assert_ok(res)
    h = cdb.hits(res)
    assert len(h) == 1 and h[0].line == work, [x.group(0) for x in h]
    assert res.has(r"^work 3$") and res.has(r"^PathMapped: done$")
    pid = cdb.started_pid(res)
    assert cdb.exit_code(res, pid) == 0


def test_symbol_path_finds_a_pdb_kept_elsewhere():
    """PathMapped's assembly in one directory, its PDB in another: `set symbol-path` finds it."""
    import pathlib
    import shutil
    tmp_path = pathlib.Path(cdb.tmpdir())
    built = os.path.dirname(program("PathMapped"))
    app, syms = tmp_path / "app", tmp_path / "syms"
    app.mkdir()
    syms.mkdir()
    for f in ("PathMapped.dll", "PathMapped.runtimeconfig.json", "PathMapped.deps.json"):
        shutil.copy(os.path.join(built, f), str(app / f))
    shutil.copy(os.path.join(built, "PathMapped.pdb"), str(syms / "PathMapped.pdb"))
    work = find_mark("PathMapped", "work")
    dll = str(app / "PathMapped.dll")
    res = batch([dll], ["break Program.cs:%d" % work, "run"])
    cdb.assert_ok(res)
    assert res.has(r"^Loaded '%s' \(no symbols\)$" % dll.replace(".", r"\."))
    assert cdb.hits(res) == []
    res = batch([dll], ["set symbol-path /nonexistent:%s" % syms, "break Program.cs:%d" % work, "run", "continue"])
    cdb.assert_ok(res)
    assert res.has(r"^Loaded '%s' \(symbols loaded\)$" % dll.replace(".", r"\."))
    h = cdb.hits(res)
    assert len(h) == 1 and h[0].line == work, [x.group(0) for x in h]
    assert res.has(r"^work 3$") and res.has(r"^PathMapped: done$")
