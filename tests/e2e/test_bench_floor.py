"""bench/floor, the bare-ICorDebug baseline of the benchmarks (bench/run.py), does what it
claims: every figure the benchmarks divide by comes from a run checked here on a real
program. The floor is built beside cordbg by `make test`."""

import os
import re
import subprocess

import cdb
from cdb import program

NAME = "EvalCases"


def _floor(*argv):
    exe = os.path.join(os.path.dirname(cdb.cordbg()), "floor")
    assert os.access(exe, os.X_OK), "floor not built: " + exe
    p = subprocess.run([exe, *argv], stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=120)
    kv = dict(re.findall(r"^([a-z_]+) (-?\d+(?:\.\d+)?)$", p.stdout, re.M))   # the figures, not the program's lines
    return p, {k: float(v) for k, v in kv.items()}


def _where():
    return "Program.cs:%d" % cdb.find_mark(NAME, "logloop")


def test_floor_hits_and_reads_the_local():
    p, kv = _floor("--local", "i", _where(), program(NAME))
    assert p.returncode == 0, p.stderr
    assert kv["hits"] == 5 and kv["exit"] == 0, p.stdout
    assert kv["local_sum"] == 0 + 1 + 2 + 3 + 4, p.stdout      # i at each of the five hits
    assert "done" in p.stdout                                  # the program ran to its end


def test_floor_without_breakpoint_and_on_a_second_thread():
    p, kv = _floor("--no-bp", _where(), program(NAME))
    assert p.returncode == 0 and kv["hits"] == 0, p.stdout + p.stderr
    p, kv = _floor("--hop", "--local", "i", "--stackwalk", _where(), program(NAME))
    assert p.returncode == 0 and kv["hits"] == 5 and kv["local_sum"] == 10, p.stdout + p.stderr


def test_floor_steps_and_walks():
    p, kv = _floor("--steps", "3", "--walk", _where(), program(NAME))
    assert p.returncode == 0, p.stderr
    assert kv["steps"] == 3, p.stdout
    assert kv["walk_frames"] >= 2, p.stdout                    # LogLoop and Main at least
    assert kv["hits"] >= 1, p.stdout


def test_floor_bad_input():
    p, _ = _floor("--bogus")
    assert p.returncode == 2 and "usage" in p.stderr
    p, _ = _floor("Program.cs:1", "/nonexistent/x.dll")
    assert p.returncode == 1 and "no symbols" in p.stderr
    p, _ = _floor("--local", "nosuch", _where(), program(NAME))
    assert p.returncode == 1 and "no local nosuch" in p.stderr
