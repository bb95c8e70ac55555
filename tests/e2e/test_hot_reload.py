"""Hot reload on save (issue 22): `set hot-reload on`, then the test edits the program's
source (a copy of tests/programs/EncCases, built in the run's temp folder) while the program
runs, and the program's own output shows the new result from then on, with no command
given; a save with a compile error is reported with the compiler's message and changes
nothing; a later good save applies again; the program ends with its normal output."""
import os
import re
import time

import cdb


def _value_after_edit(s, want, deadline):
    """Read the program's `iter I: V` lines until V == want(I); the last I."""
    while True:
        assert time.monotonic() < deadline, "no iteration with the edited arithmetic"
        m = s.expect(r"^iter (\d+): (-?\d+)$", timeout=max(1.0, deadline - time.monotonic()))
        i, v = int(m.group(1)), int(m.group(2))
        if v == want(i):
            return i


def test_saves_are_applied_while_the_program_runs():
    folder, dll = cdb.enc_program()
    src = os.path.join(folder, "Program.cs")
    stop = os.path.join(cdb.tmpdir(), "stop")
    s = cdb.Session(["-ex", "set hot-reload on", "-ex", "run", "--", dll, "spin", stop])
    s.expect(r"^Hot reload on")
    s.expect(r"^hot reload: watching ")
    m = s.expect(r"^iter (\d+): (\d+)$")
    assert int(m.group(2)) == 2 * int(m.group(1)) + 1, m.group(0)

    # a saved change: the next iterations compute the new way
    cdb.enc_edit(src, "int r = i * 2 + 1;", "int r = i * 2 + 1000;")
    s.expect(r"^hot reload: applied")
    _value_after_edit(s, lambda i: 2 * i + 1000, time.monotonic() + 60)

    # a compile error: said, nothing changes
    cdb.enc_edit(src, "int r = i * 2 + 1000;", "int r = i * 2 + ;")
    s.expect(r"^error: hot reload: .*", stream="stderr")
    s.expect(r"CS1525", stream="stderr")
    m = s.expect(r"^iter (\d+): (\d+)$")
    assert int(m.group(2)) == 2 * int(m.group(1)) + 1000, m.group(0)

    # saved by renaming a new file over the old one, as editors do
    with open(src, encoding="utf-8") as f:
        text = f.read()
    with open(src + ".tmp", "w", encoding="utf-8") as f:
        f.write(text.replace("int r = i * 2 + ;", "int r = i * 3 - 7;"))
    os.rename(src + ".tmp", src)
    s.expect(r"^hot reload: applied")
    _value_after_edit(s, lambda i: 3 * i - 7, time.monotonic() + 60)

    open(stop, "w").close()
    s.expect(r"^done$")
    s.expect(r"^Process \d+ exited with code 0$")
    s.close_stdin()
    assert s.wait() == 0, s.transcript()
    s.check_no_crash()
