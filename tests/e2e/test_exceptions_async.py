"""Exceptions out of async code, framework exceptions with just my code, and breakpoints in
code with debugger attributes (issue 16, items 3-5), through the CLI.

An exception that leaves an async method is caught by the compiler's catch-all in its
MoveNext and rethrown later by the awaiter; cordbg decides at the first pass, at the original
throw, by following the awaiters: caught by a user catch -> no stop; out of async Main ->
unhandled (one stop, at the throw); through framework code -> user-unhandled."""

import re

import cdb
from cdb import batch, program, find_mark

SIGABRT = 6


def _mark(mark):
    return find_mark("AsyncExc", mark)


def _exc_stops(res):
    return cdb.stops(res, cdb.RE_EXCEPTION)


def _check_stop(res, i, e, kind, typ, msg, method, mark):
    """Stop e (at stdout index i) is of `kind` for typ: msg, at METHOD at Program.cs:LINE of
    @mark:MARK, followed by that source line."""
    assert (e.group(1), e.group(4), e.group(5)) == (kind, typ, msg), e.group(0)
    line = _mark(mark)
    loc = res.lines[i + 1]
    assert loc == "%s at Program.cs:%d" % (method, line), \
        "location after %r: %r (expected %s at Program.cs:%d)" % (e.group(0), loc, method, line)
    cdb.source_line(res, i + 1, line, mark)


def _ok_exit(res):
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    assert cdb.exit_code(res, pid) == 0, "the program did not end normally"
    res.one(r"^AsyncExc: end$")
    cdb.gone_or_fail(pid, "debuggee")
    return pid


def _died_of_unhandled(res, message):
    """The process died as it does without a debugger (the runtime's report, SIGABRT)."""
    pid = cdb.started_pid(res)
    assert "Unhandled exception. System.InvalidOperationException: %s" % message in res.stderr, \
        "no runtime unhandled-exception report on stderr"
    k = res.one(cdb.RE_KILLED_SIGNAL)
    assert (int(k.group(1)), int(k.group(2))) == (pid, SIGABRT), k.group(0)
    res.hasnt(r"^AsyncExc: end$")
    cdb.gone_or_fail(pid, "debuggee")
    return res.lines.index(k.string)


def _after(res, i, pattern):
    """Index of the first stdout line after index i matching pattern."""
    rx = re.compile(pattern)
    for j in range(i + 1, len(res.lines)):
        if rx.search(res.lines[j]):
            return j
    raise AssertionError("no line matching %r after %r" % (pattern, res.lines[i]))


def _check_top_frame(res, i, method, mark):
    """`bt` after index i: frame #0 is METHOD at the mark's line (the throwing frame)."""
    j = _after(res, i, r"^#0 ")
    m = re.match(r"^#0\s+(.+?)(?:\(.*\))? at Program\.cs:(\d+)$", res.lines[j])
    assert m and res.lines[j].startswith("#0  " + method) and int(m.group(2)) == _mark(mark), \
        "bt frame #0 %r, expected %s at line %d" % (res.lines[j], method, _mark(mark))
    return j


# ---------------------------------------------------------------- item 3: async

@cdb.matrix("AsyncExc")
def test_async_user_unhandled_stops_at_throw_with_locals():
    # user-unhandled only: the stop is at LoadAsync's throw, its local readable
    res = batch([program("AsyncExc"), "asyncthrow"],
                ["catch unhandled off", "catch user-unhandled", "run", "print o.Id", "bt", "continue"])
    cdb.assert_ok(res)
    st = _exc_stops(res)
    assert len(st) == 1, "one stop expected: %r" % [e.group(0) for _, e in st]
    i, e = st[0]
    _check_stop(res, i, e, "User-unhandled exception", "System.InvalidOperationException", "order 42 failed",
                "Program.LoadAsync(int id)", "async_throw")
    assert res.lines[i + 3] == "42", "print o.Id at the throw: %r" % res.lines[i + 3]
    j = _check_top_frame(res, i, "Program.LoadAsync", "async_throw")
    # async Main, the awaiter, is on the stack below (LoadAsync threw before its first await)
    assert any(re.match(r"^#\d+\s+Program\.Main\(.*\) at Program\.cs:%d$" % _mark("await_load"), l)
               for l in res.lines[j:]), "no Main frame at the await in bt"
    assert i < _died_of_unhandled(res, "order 42 failed")


def test_async_unhandled_stops_once_at_throw():
    # the default settings (unhandled only): the unhandled stop is at the throw, where the
    # locals are, and the <Main> stub's rethrow of the same exception does not stop again
    res = batch([program("AsyncExc"), "asyncthrow"], ["run", "print o.Id", "bt", "continue"])
    cdb.assert_ok(res)
    st = _exc_stops(res)
    assert len(st) == 1, "one stop expected: %r" % [e.group(0) for _, e in st]
    i, e = st[0]
    _check_stop(res, i, e, "Unhandled exception", "System.InvalidOperationException", "order 42 failed",
                "Program.LoadAsync(int id)", "async_throw")
    assert res.lines[i + 3] == "42", "print o.Id at the throw: %r" % res.lines[i + 3]
    _check_top_frame(res, i, "Program.LoadAsync", "async_throw")
    assert i < _died_of_unhandled(res, "order 42 failed")


def test_async_user_unhandled_and_unhandled_one_stop():
    # both on (DAP's defaults): an exception that leaves async Main is unhandled, one stop
    res = batch([program("AsyncExc"), "asyncthrow"], ["catch user-unhandled", "run", "continue"])
    cdb.assert_ok(res)
    st = _exc_stops(res)
    assert [e.group(1) for _, e in st] == ["Unhandled exception"], [e.group(0) for _, e in st]
    i, e = st[0]
    _check_stop(res, i, e, "Unhandled exception", "System.InvalidOperationException", "order 42 failed",
                "Program.LoadAsync(int id)", "async_throw")
    _died_of_unhandled(res, "order 42 failed")


def test_async_throw_after_await_stops_at_throw():
    # LoadLaterAsync throws after an await; Forward awaits it, async Main awaits Forward
    res = batch([program("AsyncExc"), "asyncawait"],
                ["catch unhandled off", "catch user-unhandled", "run", "print o.Id", "print id", "continue"])
    cdb.assert_ok(res)
    st = _exc_stops(res)
    assert len(st) == 1, [e.group(0) for _, e in st]
    i, e = st[0]
    _check_stop(res, i, e, "User-unhandled exception", "System.InvalidOperationException", "late order 5 failed",
                "Program.LoadLaterAsync(int id, System.Threading.Tasks.Task gate)", "late_throw")
    assert res.lines[i + 3:i + 5] == ["5", "5"], "print o.Id / id: %r" % res.lines[i + 3:i + 5]
    _died_of_unhandled(res, "late order 5 failed")


@cdb.matrix("AsyncExc")
def test_async_caught_by_awaiting_user_code_no_stop():
    # an awaiter's try/catch catches it: neither user-unhandled nor unhandled
    for mode, message in (("asynccaught", "order 7 failed"), ("asyncawaitcaught", "late order 6 failed")):
        res = batch([program("AsyncExc"), mode], ["catch user-unhandled", "run"])
        _ok_exit(res)
        res.hasnt(cdb.RE_EXCEPTION)
        res.one(r"^caught %s$" % re.escape(message))


def test_async_awaited_through_framework_is_user_unhandled():
    # Task.WhenAll (framework code) awaits LoadLaterAsync: not caught by the user where it
    # leaves the user's method; Main catches WhenAll's rethrow later and the program goes on
    res = batch([program("AsyncExc"), "whenall"], ["catch user-unhandled", "run", "print o.Id", "continue"])
    _ok_exit(res)
    st = _exc_stops(res)
    assert len(st) == 1, [e.group(0) for _, e in st]
    i, e = st[0]
    _check_stop(res, i, e, "User-unhandled exception", "System.InvalidOperationException", "late order 3 failed",
                "Program.LoadLaterAsync(int id, System.Threading.Tasks.Task gate)", "late_throw")
    assert res.lines[i + 3] == "3"
    assert i < res.index(r"^caught late order 3 failed$")


def test_async_void_user_unhandled_then_final_unhandled():
    # async void: user-unhandled at the throw (locals there); continuing, nothing catches
    # its rethrow on the thread pool, so the unhandled stop comes too, as vsdbg does
    res = batch([program("AsyncExc"), "asyncvoid"],
                ["catch user-unhandled", "run", "print o.Id", "continue", "continue"])
    cdb.assert_ok(res)
    st = _exc_stops(res)
    assert [e.group(1) for _, e in st] == ["User-unhandled exception", "Unhandled exception"], \
        [e.group(0) for _, e in st]
    i, e = st[0]
    _check_stop(res, i, e, "User-unhandled exception", "System.InvalidOperationException", "fire 8 failed",
                "Program.FireAndForget(int id)", "void_throw")
    assert res.lines[i + 3] == "8"
    # the rethrow runs on whichever thread-pool thread takes it
    assert st[1][1].group(4, 5) == ("System.InvalidOperationException", "fire 8 failed"), st[1][1].group(0)
    assert st[1][0] < _died_of_unhandled(res, "fire 8 failed")


# ---------------------------------------------------------------- item 4: framework throws

def test_first_chance_framework_exception_stops_in_user_frame():
    res = batch([program("AsyncExc"), "parse"],
                ["catch throw System.FormatException", "run", "print s", "continue"])
    _ok_exit(res)
    st = _exc_stops(res)
    assert len(st) == 1, "one stop per exception: %r" % [e.group(0) for _, e in st]
    i, e = st[0]
    _check_stop(res, i, e, "Exception thrown", "System.FormatException",
                "The input string 'x' was not in a correct format.", "Program.ParseOrDefault(string s)", "parse")
    # the user frame is the selected one: its argument is readable
    assert res.lines[i + 3] == '"x"', "print s at the stop: %r" % res.lines[i + 3]
    assert i < res.index(r"^caught format$")
    res.one(r"^parsed -1$")


def test_first_chance_plain_catch_throw_framework_exception():
    res = batch([program("AsyncExc"), "parse"], ["catch throw", "run", "continue"])
    _ok_exit(res)
    st = _exc_stops(res)
    assert [e.group(4) for _, e in st] == ["System.FormatException"], [e.group(0) for _, e in st]
    i, e = st[0]
    assert res.lines[i + 1] == "Program.ParseOrDefault(string s) at Program.cs:%d" % _mark("parse"), res.lines[i + 1]


def test_first_chance_type_filter_skips_framework_exception():
    res = batch([program("AsyncExc"), "parse"], ["catch throw System.ArgumentException", "run"])
    _ok_exit(res)
    res.hasnt(cdb.RE_EXCEPTION)


# ---------------------------------------------------------------- item 5: attributes

def _attr_breaks():
    return ["break Program.cs:%d" % _mark(m) for m in ("in_hidden", "in_stepthrough", "in_nonuser", "in_plain")]


def _hit_lines(res):
    return [int(m.group(5)) for _, m in cdb.stops(res, cdb.RE_HIT)]


def test_bp_in_attributed_code_just_my_code_on():
    res = batch([program("AsyncExc"), "attrs"],
                _attr_breaks() + ["run", "info breakpoints", "continue"])
    _ok_exit(res)
    assert _hit_lines(res) == [_mark("in_plain")], "hits: %r" % _hit_lines(res)
    for m in ("hidden 2", "stepthrough 3", "nonuser 4", "plain 5"):
        res.one("^%s$" % m)
    # info breakpoints says why the three never stop
    rows = {int(m.group(1)): m.string for _, m in cdb.stops(res, r"^(\d+)\s+breakpoint\s")}
    assert "never stops: the method is [DebuggerHidden]" in rows[1], rows[1]
    assert "never stops: [DebuggerStepThrough] code, just-my-code is on" in rows[2], rows[2]
    assert "never stops: [DebuggerNonUserCode] code, just-my-code is on" in rows[3], rows[3]
    assert "never stops" not in rows[4], rows[4]


def test_bp_in_attributed_code_just_my_code_off():
    res = batch([program("AsyncExc"), "attrs"],
                ["set just-my-code off"] + _attr_breaks() + ["run", "continue", "continue", "info breakpoints",
                                                             "continue"])
    _ok_exit(res)
    assert _hit_lines(res) == [_mark(m) for m in ("in_stepthrough", "in_nonuser", "in_plain")], \
        "hits: %r" % _hit_lines(res)
    rows = {int(m.group(1)): m.string for _, m in cdb.stops(res, r"^(\d+)\s+breakpoint\s")}
    assert "never stops: the method is [DebuggerHidden]" in rows[1], rows[1]
    assert all("never stops" not in rows[k] for k in (2, 3, 4)), rows


def test_bp_in_hidden_code_says_so_when_set():
    # set while the program runs (bound at once): the message says it will never stop
    res = batch([program("AsyncExc"), "attrs"],
                ["break Program.cs:%d" % _mark("in_plain"), "run",
                 "break Program.cs:%d" % _mark("in_hidden"), "continue"])
    _ok_exit(res)
    m = res.one(r"^Breakpoint 2 at Program\.cs:%d \(never stops: the method is \[DebuggerHidden\]\)$"
                % _mark("in_hidden"))
    assert m
