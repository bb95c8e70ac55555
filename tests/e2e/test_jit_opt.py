"""`set jit-optimizations off` (issue 18, item 7; DAP suppressJITOptimizations): Optimized is
a Release build whose Compute is compiled optimised at once; its dead local x is not
available there unless modules load with JIT optimisation off."""

import re

import cdb
from cdb import batch, program, find_mark


def _locals(options):
    line = find_mark("Optimized", "print")
    res = batch([program("Optimized")], options + ["break Program.cs:%d" % line, "run", "info locals", "continue"])
    cdb.assert_ok(res)
    assert res.has(r"^y=16$") and res.has(r"^Optimized: done$")
    assert len(cdb.hits(res)) == 1
    return res


def test_jit_optimizations_off_shows_a_release_builds_locals():
    res = _locals([])
    res.hasnt(r"^x = 15$")  # seen in optimised code, the test would show nothing
    assert res.has(r"^x = ")
    res = _locals(["set jit-optimizations off"])
    assert res.has(r"^x = 15$")
    assert res.has(r"^y = 16$")
