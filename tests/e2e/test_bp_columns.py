"""Column breakpoints in the CLI (issue 18 item 11): `break FILE:LINE:COL` binds the one
sequence point at that column of a LINQ line (tests/programs/EditorCases, scenario linq), so
only that lambda stops; a column with no code after it is refused with a reason."""
import os
import re

import cdb
from cdb import batch, program


def test_break_file_line_column_binds_one_lambda():
    line = cdb.find_mark("EditorCases", "linq")
    with open(os.path.join(cdb.PROGRAMS, "EditorCases", "Program.cs"), encoding="utf-8") as fh:
        text = fh.read().split("\n")[line - 1]
    col = text.index("n * 2") + 1
    res = batch([program("EditorCases"), "linq"],
                ["break Program.cs:%d:%d" % (line, col), "run", "print n", "continue", "print n",
                 "continue", "print n", "continue"])
    out = res.stdout
    stops = re.findall(r"^Thread \d+ hit Breakpoint 1, (\S+)\(int n\) at Program\.cs:(\d+)$", out, re.M)
    assert len(stops) == 3, out
    assert all(int(l) == line and "Main" in m for m, l in stops), stops
    assert re.findall(r"^(\d+)$", out, re.M) == ["3", "4", "5"], out
    assert "Breakpoint 1 bound: Program.cs:%d:%d" % (line, col) in out, out
    assert "linq 6,8,10\nEditorCases: end\n" in out, out


def test_break_column_past_the_code_is_refused():
    line = cdb.find_mark("EditorCases", "linq")
    res = batch([program("EditorCases"), "linq"], ["break Program.cs:%d:500" % line, "run"])
    assert "no code at column 500 of line %d" % line in res.stdout + res.stderr, res.stdout + res.stderr
    assert "linq 6,8,10\nEditorCases: end\n" in res.stdout, res.stdout
