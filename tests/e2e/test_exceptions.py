"""Exception stops (issue 4): `catch` settings, first chance (`catch throw [TYPE...]`),
user-unhandled, unhandled (on by default; continuing lets the process die as it would
without a debugger), and just my code for exceptions thrown inside the framework."""

import re

import cdb
from cdb import batch, program, find_mark

SIGABRT = 6


def _mark(mark):
    return find_mark("ExcBasic", mark)


def _exc_stops(res):
    """[(index, match)] of the exception stop lines."""
    return cdb.stops(res, cdb.RE_EXCEPTION)


def _check_exc(res, i, e, kind, typ, msg, pid, method=None, mark=None):
    """Stop e (at index i) is of `kind`, for typ: msg, on the main thread (tid == pid),
    followed by `METHOD at Program.cs:LINE` and the source line of @mark:MARK."""
    assert (e.group(1), e.group(4), e.group(5)) == (kind, typ, msg), e.group(0)
    assert int(e.group(3)) == pid, "ExcBasic throws on its main thread (tid %d): %r" % (pid, e.group(0))
    if method is None:
        return
    line = _mark(mark)
    assert i + 1 < len(res.lines), "no location line after %r" % e.group(0)
    loc = res.lines[i + 1]
    assert loc == "%s at Program.cs:%d" % (method, line), "location after %r: %r (expected %s at Program.cs:%d)" % (
        e.group(0), loc, method, line)
    cdb.source_line(res, i + 1, line, mark)


def _ok_exit(res, code=0):
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    assert cdb.exit_code(res, pid) == code
    cdb.gone_or_fail(pid, "debuggee")
    return pid


def _catch_table(res, start=0):
    """The three lines `catch` prints, at/after stdout index start: {kind: (on, types)}."""
    i = res.index(r"^throw\s+(on|off)", start)
    out = {}
    for kind, line in zip(("throw", "user-unhandled", "unhandled"), res.lines[i:i + 3]):
        m = re.match(r"^%s\s+(on|off)(?:: (.*))?$" % re.escape(kind), line)
        assert m, "catch line for %s: %r" % (kind, line)
        out[kind] = (m.group(1), m.group(2))
    return i, out


# ---------------------------------------------------------------- settings

def test_catch_lists_defaults_and_changes():
    res = batch([program("ExcBasic")],
                ["catch", "catch throw System.ArgumentException System.FormatException", "catch",
                 "catch throw off", "catch user-unhandled", "catch unhandled off", "catch",
                 "catch unhandled", "catch user-unhandled off", "catch throw", "catch"])
    cdb.assert_ok(res)
    res.hasnt(cdb.RE_STARTED)
    i, t = _catch_table(res)
    assert t == {"throw": ("off", None), "user-unhandled": ("off", None), "unhandled": ("on", None)}, t
    i, t = _catch_table(res, i + 3)
    assert t["throw"][0] == "on" and t["throw"][1].split() == ["System.ArgumentException",
                                                                "System.FormatException"], t
    assert t["user-unhandled"] == ("off", None) and t["unhandled"] == ("on", None), t
    i, t = _catch_table(res, i + 3)
    assert t == {"throw": ("off", None), "user-unhandled": ("on", None), "unhandled": ("off", None)}, t
    i, t = _catch_table(res, i + 3)
    assert t == {"throw": ("on", None), "user-unhandled": ("off", None), "unhandled": ("on", None)}, t


def test_catch_bad_kind_is_error():
    res = batch([program("ExcBasic")], ["catch bogus", "catch"])
    errs = res.error_lines()
    assert len(errs) == 1 and "bogus" in errs[0], errs
    assert res.status == 1
    _, t = _catch_table(res)
    assert t["throw"] == ("off", None), "a bad catch command changed the settings: %r" % t


# ---------------------------------------------------------------- first chance

@cdb.matrix("ExcBasic")
def test_first_chance_stops_with_type_message_location():
    res = batch([program("ExcBasic"), "caught"], ["catch throw", "run", "continue", "continue"])
    pid = _ok_exit(res)
    st = _exc_stops(res)
    assert len(st) == 2, "expected 2 first-chance stops, got %r" % [e.group(0) for _, e in st]
    (i1, e1), (i2, e2) = st
    _check_exc(res, i1, e1, "Exception thrown", "System.InvalidOperationException", "first chance message",
               pid, "Program.ThrowInvalid()", "throw_invalid")
    _check_exc(res, i2, e2, "Exception thrown", "System.ArgumentException", "bad argument",
               pid, "Program.ThrowArgument()", "throw_argument")
    # first chance: the stop comes before the catch block runs
    assert i1 < res.index(r"^caught first chance message$") < i2 < res.index(r"^caught bad argument$")


def test_first_chance_off_by_default():
    res = batch([program("ExcBasic"), "caught"], ["run"])
    _ok_exit(res)
    res.hasnt(cdb.RE_EXCEPTION)
    res.one(r"^caught first chance message$")
    res.one(r"^caught bad argument$")


def test_first_chance_type_filter():
    res = batch([program("ExcBasic"), "caught"],
                ["catch throw System.ArgumentException", "run", "continue"])
    pid = _ok_exit(res)
    st = _exc_stops(res)
    assert len(st) == 1, "the filter lets only ArgumentException stop: %r" % [e.group(0) for _, e in st]
    i, e = st[0]
    _check_exc(res, i, e, "Exception thrown", "System.ArgumentException", "bad argument",
               pid, "Program.ThrowArgument()", "throw_argument")
    assert res.index(r"^caught first chance message$") < i


def test_catch_throw_off_again():
    res = batch([program("ExcBasic"), "caught"], ["catch throw", "catch throw off", "run"])
    _ok_exit(res)
    res.hasnt(cdb.RE_EXCEPTION)


# ---------------------------------------------------------------- unhandled

@cdb.matrix("ExcBasic")
def test_unhandled_stops_before_the_process_dies():
    # no `continue`: the batch ends at the stop and kills the program, so the runtime never
    # got to print its unhandled-exception report: the stop came before the death
    res = batch([program("ExcBasic"), "unhandled"], ["run"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    st = _exc_stops(res)
    assert len(st) == 1, [e.group(0) for _, e in st]
    i, e = st[0]
    _check_exc(res, i, e, "Unhandled exception", "System.InvalidOperationException", "boom unhandled",
               pid, "Program.Crash()", "throw_unhandled")
    assert "Unhandled exception. System.InvalidOperationException" not in res.stderr, \
        "the runtime reported the exception (the process was dying) before the stop"
    m = res.one(cdb.RE_KILLING_BATCH)
    assert int(m.group(1)) == pid and res.lines.index(m.string) > i
    res.hasnt(cdb.RE_EXITED)
    cdb.gone_or_fail(pid, "debuggee")


def _check_died_of_unhandled(res, pid):
    """The process died as it does without a debugger: the runtime's report on stderr and
    SIGABRT (a shell shows exit status 134); cordbg says it was killed by signal 6."""
    assert "Unhandled exception. System.InvalidOperationException: boom unhandled" in res.stderr, \
        "no runtime unhandled-exception report on stderr"
    k = res.one(cdb.RE_KILLED_SIGNAL)
    assert (int(k.group(1)), int(k.group(2))) == (pid, SIGABRT), \
        "expected `Process %d was killed by signal 6 (Aborted)`: %r" % (pid, k.group(0))
    res.hasnt(cdb.RE_EXITED)
    res.hasnt(r"^ExcBasic: end$")
    cdb.gone_or_fail(pid, "debuggee")
    return res.lines.index(k.string)


def test_unhandled_continue_lets_it_die():
    res = batch([program("ExcBasic"), "unhandled"], ["run", "continue"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    st = _exc_stops(res)
    assert len(st) == 1 and st[0][1].group(1) == "Unhandled exception", [e.group(0) for _, e in st]
    k = _check_died_of_unhandled(res, pid)
    assert st[0][0] < k


def test_catch_unhandled_off_dies_without_stop():
    res = batch([program("ExcBasic"), "unhandled"], ["catch unhandled off", "run"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    res.hasnt(cdb.RE_EXCEPTION)
    _check_died_of_unhandled(res, pid)


def test_unhandled_after_first_chance():
    # with `catch throw`, the same exception first stops at the throw, then as unhandled
    res = batch([program("ExcBasic"), "unhandled"], ["catch throw", "run", "continue", "continue"])
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    st = _exc_stops(res)
    assert [e.group(1) for _, e in st] == ["Exception thrown", "Unhandled exception"], \
        [e.group(0) for _, e in st]
    for i, e in st:
        _check_exc(res, i, e, e.group(1), "System.InvalidOperationException", "boom unhandled",
                   pid, "Program.Crash()", "throw_unhandled")
    assert st[1][0] < _check_died_of_unhandled(res, pid)


# ---------------------------------------------------------------- just my code

@cdb.matrix("ExcBasic")
def test_framework_throw_caught_in_user_code_stops_in_user_frame_with_just_my_code():
    # int.Parse("x") throws FormatException inside System.Private.CoreLib (no symbols: not
    # user code); Main catches it. With just my code the first-chance stop comes when the
    # exception reaches user code (issue 16): once, in Main at the int.Parse call, as vsdbg
    res = batch([program("ExcBasic"), "framework"], ["catch throw", "run", "continue"])
    pid = _ok_exit(res)
    st = _exc_stops(res)
    assert len(st) == 1, "one stop per exception: %r" % [e.group(0) for _, e in st]
    i, e = st[0]
    _check_exc(res, i, e, "Exception thrown", "System.FormatException",
               "The input string 'x' was not in a correct format.", pid, "Program.Main(string[] args)", "parse")
    assert i < res.index(r"^caught format$")


def test_framework_throw_stops_with_just_my_code_off():
    res = batch([program("ExcBasic"), "framework"],
                ["catch throw", "set just-my-code off", "run", "continue"])
    pid = _ok_exit(res)
    st = _exc_stops(res)
    fmt = [(i, e) for i, e in st if e.group(4) == "System.FormatException"]
    assert fmt, "no first-chance stop for the framework's FormatException: %r" % [e.group(0) for _, e in st]
    assert len(st) == 1, "one exception is thrown, %d stops: %r" % (len(st), [e.group(0) for _, e in st])
    i, e = fmt[0]
    _check_exc(res, i, e, "Exception thrown", "System.FormatException",
               "The input string 'x' was not in a correct format.", pid)
    # thrown inside the framework: the location is a framework method, not ExcBasic's code
    loc = res.lines[i + 1]
    assert loc.startswith("System.") and "Program.cs" not in loc, "throw site %r" % loc
    assert i < res.index(r"^caught format$")


@cdb.matrix("ExcBasic")
def test_user_unhandled():
    # Compare (user code) throws FormatException while List.Sort (framework code) calls it;
    # the framework's sort catches it and throws an InvalidOperationException that Main
    # catches. The FormatException leaves user code unhandled by user code: one
    # user-unhandled stop at the throw in Compare. Deterministic: one thread, no timing.
    res = batch([program("ExcBasic"), "userunhandled"], ["catch user-unhandled", "run", "continue"])
    pid = _ok_exit(res)
    st = _exc_stops(res)
    assert len(st) == 1, "expected one user-unhandled stop, got %r" % [e.group(0) for _, e in st]
    i, e = st[0]
    _check_exc(res, i, e, "User-unhandled exception", "System.FormatException", "comparer failed",
               pid, "Program.Compare(int a, int b)", "throw_in_comparer")
    assert i < res.index(r"^caught sort comparer failed$")


def test_user_unhandled_off_by_default():
    res = batch([program("ExcBasic"), "userunhandled"], ["run"])
    _ok_exit(res)
    res.hasnt(cdb.RE_EXCEPTION)
    res.one(r"^caught sort comparer failed$")


def test_user_unhandled_not_for_exception_caught_in_user_code():
    # ExcBasic caught: both exceptions are caught by user code, so none is user-unhandled
    res = batch([program("ExcBasic"), "caught"], ["catch user-unhandled", "run"])
    _ok_exit(res)
    res.hasnt(cdb.RE_EXCEPTION)


def test_first_chance_in_user_callback_of_framework():
    # `catch throw` with just my code: the comparer's throw is in user code (stops there);
    # the framework's InvalidOperationException is thrown in framework code and stops when
    # it reaches user code, in Main at the Sort call (issue 16)
    res = batch([program("ExcBasic"), "userunhandled"], ["catch throw", "run", "continue", "continue"])
    pid = _ok_exit(res)
    st = _exc_stops(res)
    assert len(st) == 2, [e.group(0) for _, e in st]
    (i, e), (i2, e2) = st
    _check_exc(res, i, e, "Exception thrown", "System.FormatException", "comparer failed",
               pid, "Program.Compare(int a, int b)", "throw_in_comparer")
    _check_exc(res, i2, e2, "Exception thrown", "System.InvalidOperationException",
               "Failed to compare two elements in the array.", pid, "Program.Main(string[] args)", "sort")
    assert i2 < res.index(r"^caught sort comparer failed$")
