"""gdb's `shell CMD` and `!CMD` (issue 22: scripts edit sources, then apply): the command runs
with /bin/sh, its output comes through in order with cordbg's, a non-zero exit status is said
as an error (the session goes on), and it works while a program is stopped under cordbg."""
import os

import cdb
from cdb import batch, program


def test_shell_runs_commands_in_order_and_says_failures():
    d = cdb.tmpdir()
    f = os.path.join(d, "edited.txt")
    res = batch([program("Hello")], [
        "echo one",
        "shell echo two; echo err-two >&2",
        "!printf 'three\\n'",
        "  !  echo four",
        "shell printf 'x=1\\n' > %s" % f,
        "shell cat %s" % f,
        "shell exit 3",
        "shell kill -9 $$",
        "shell",
        "echo five",
    ])
    lines = res.lines
    want = ["one", "two", "three", "four", "x=1", "five"]
    got = [l for l in lines if l in want]
    assert got == want, res.stdout
    assert "err-two" in res.stderr, res.stderr
    assert res.has(r"^error: shell command exited with status 3$", "stderr"), res.stderr
    assert res.has(r"^error: shell command killed by signal 9 ", "stderr"), res.stderr
    assert res.has(r"^error: usage: shell COMMAND$", "stderr"), res.stderr
    with open(f) as fh:
        assert fh.read() == "x=1\n"


def test_shell_while_the_program_is_stopped():
    res = batch([program("Hello")], [
        "start",
        "shell echo between-stops",
        "continue",
    ])
    i = res.index(r"^between-stops$")
    assert res.index(r"stopped at entry") < i, res.stdout
    assert res.has(r"^Process \d+ exited with code 0$"), res.stdout
