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
