"""Source paths of a program built elsewhere (issue 18, item 4): PathMapped's PDB names its
source /build/src/Program.cs (built with PathMap); `set substitute-path FROM TO` lets a
breakpoint on the local file bind."""

import os
import re

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


def _stop_source(res, work):
    """The source line printed under the stop at `work`, or None."""
    m = re.search(r"^%d\t(.*)$" % work, res.stdout, re.M)
    return m.group(1) if m else None


def test_substitute_path_shows_the_local_source_at_a_stop_and_in_list():
    work = find_mark("PathMapped", "work")
    res = batch([program("PathMapped")], ["break Program.cs:%d" % work, "run", "list", "continue"])
    assert len(cdb.hits(res)) == 1
    # /build/src/Program.cs is not on this machine and the PDB embeds no copy
    assert _stop_source(res, work) is None, res.stdout
    assert res.error_lines() == ["error: cannot read /build/src/Program.cs (and the PDB embeds no copy of it)"], res.stderr
    res = batch([program("PathMapped")], ["set substitute-path /build/src " + LOCAL, "break Program.cs:%d" % work,
                                          "run", "list", "continue"])
    cdb.assert_ok(res)
    assert len(cdb.hits(res)) == 1
    assert "// @mark:work" in (_stop_source(res, work) or ""), res.stdout
    assert res.has(r"^=> %d\t.*// @mark:work$" % work), res.stdout
    assert res.has(r"^PathMapped: done$")


def test_directory_finds_sources_by_their_tails():
    """gdb's `directory DIR`: /build/src/Program.cs is looked for as DIR/build/src/Program.cs,
    DIR/src/Program.cs, DIR/Program.cs; the directories given last are searched first;
    `directory` alone forgets them."""
    work = find_mark("PathMapped", "work")
    tree = cdb.tmpdir()
    os.makedirs(os.path.join(tree, "src"))
    with open(os.path.join(LOCAL, "Program.cs")) as f:
        text = f.read()
    with open(os.path.join(tree, "src", "Program.cs"), "w") as f:
        f.write(text.replace("// @mark:work", "// found under src"))
    res = batch([program("PathMapped")], [
        "directory /nonexistent-a:/nonexistent-b",
        "directory " + tree,
        "break Program.cs:%d" % work, "run", "list Program.cs:%d" % work,
        "directory " + LOCAL,           # now first: its Program.cs is found before tree/src's
        "list Program.cs:%d" % work,
        "directory",
        "list Program.cs:%d" % work,
        "continue"])
    assert res.has(r"^Source directories searched: /nonexistent-a:/nonexistent-b$")
    assert res.has(r"^Source directories searched: %s:/nonexistent-a:/nonexistent-b$" % tree)
    assert res.has(r"^Source directories searched: %s:%s:/nonexistent-a:/nonexistent-b$" % (LOCAL, tree))
    assert res.has(r"^Source directories searched: \(none")
    assert _stop_source(res, work) == '        Console.WriteLine("work " + n); // found under src', res.stdout
    lines = [l for l in res.stdout.splitlines() if l.lstrip().startswith("%d\t" % work)]
    assert lines[1:] == ['   %d\t        Console.WriteLine("work " + n); // found under src' % work,
                         '   %d\t        Console.WriteLine("work " + n); // @mark:work' % work], lines
    # after `directory` alone the source is not found
    assert res.error_lines() == ["error: cannot read /build/src/Program.cs (and the PDB embeds no copy of it)"], res.stderr
    assert res.has(r"^PathMapped: done$")
