"""stepi / nexti in jitted code (managed mode), the runtime's stepper with the current
instruction's native range (src/engine/lowlevel.c): the CLI side of the DAP's instruction
granularity (tests/dap/lowlevel.test.mjs has the rest). Program: LowLevel code."""
import cdb
from cdb import batch, program

RE_AT = r"^(?:Thread \d+ hit Breakpoint \d+, )?([^#\s].*?) at Program\.cs:(\d+)$"


def test_nexti_walks_jitted_code_by_instruction_over_calls():
    call = cdb.find_mark("LowLevel", "work_call")
    after = cdb.find_mark("LowLevel", "work_next")
    res = batch([program("LowLevel"), "code"], ["break Program.cs:%d" % call, "run"] + ["nexti"] * 10 +
                ["delete", "continue"])
    cdb.assert_ok(res)
    locs = cdb.stop_locations(res, RE_AT)
    assert len(locs) == 11, locs
    assert all(m.startswith("LowLevel.Program.Work(") for m, _ in locs), "nexti left Work (or entered Compute): %r" % locs
    lines = [l for _, l in locs]
    # several stops on the call's line: one instruction at a time, not one line
    assert lines.count(call) >= 3, lines
    assert after in lines, lines
    assert lines == sorted(lines), "straight-line code runs forward: %r" % lines
    assert sum(1 for l in res.lines if l == "work 19") == 2, "the program's output: both calls gave 19"
    res.has(r"^LowLevel: end$")


def test_stepi_enters_the_call():
    call = cdb.find_mark("LowLevel", "work_call")
    res = batch([program("LowLevel"), "code"], ["break Program.cs:%d" % call, "run"] + ["stepi"] * 12 +
                ["bt", "delete", "continue"])
    cdb.assert_ok(res)
    locs = cdb.stop_locations(res, RE_AT)
    assert any(m.startswith("LowLevel.Program.Compute(") for m, _ in locs), "stepi never entered Compute: %r" % locs
    res.has(r"^LowLevel: end$")
