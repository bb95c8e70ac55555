"""Execution control (issue 5), over tests/programs/StepCases (one scenario per run, chosen
by its first argument): step into through a delegate, a virtual call, an interface call, a
constructor, a static constructor and a lambda, with finish back; next over a line that
hits a breakpoint, off the end of a method, over an exception caught in the caller, over
awaits (in a loop, nested, ConfigureAwait(false)); 4 named threads with freeze/thaw; stacks
through generic methods, lambdas and a 1,000-deep recursion; jump back within a loop.
Every test checks the exact sequence of stop locations."""
import re

import cdb
from cdb import batch, program

NAME = "StepCases"
P = r"StepCases\.Program\."

# a stop: `METHOD(ARGS) at Program.cs:LINE`, after a breakpoint hit's prefix or alone
# (not `Next statement: ...`, not `info threads` rows, not `#N` frames)
RE_AT = r"^(?:Thread \d+ hit Breakpoint \d+, )?([A-Za-z_<][^\s(]*\(.*?\)) at Program\.cs:(\d+)$"


def mk(mark):
    return cdb.find_mark(NAME, mark)


def _run(scenario, commands, **kw):
    return batch([program(NAME), scenario], commands, **kw)






def _stop_index(res, method_re, line, start=0):
    """stdout index of the first stop at method_re / line at or after `start`."""
    rx = re.compile(RE_AT)
    for i in range(start, len(res.lines)):
        m = rx.match(res.lines[i])
        if m and re.fullmatch(method_re, m.group(1)) and int(m.group(2)) == line:
            return i
    raise AssertionError("no stop at /%s/ Program.cs:%d after stdout line %d" % (method_re, line, start))


def _ended(res):
    """cordbg succeeded and the program ran to its end with code 0."""
    cdb.assert_ok(res)
    res.one(r"^StepCases: done$")
    assert cdb.exit_code(res, cdb.started_pid(res)) == 0


# ---------------------------------------------------------------- step into, finish back
#
# `step` lands on the callee's first sequence point: the `{` line of a method or lambda (that
# is what cordbg does, consistently), for a constructor its declaration line (the implicit
# base() call); `finish` returns to the calling line (the rest of its statement is still to
# run), and `next` then goes on to the line after it.

def _step_into(scenario, caller, call_mark, callee, entry_mark, output):
    call, entry = mk(call_mark), mk(entry_mark)
    res = _run(scenario, ["break Program.cs:%d" % call, "run", "step", "finish", "next",
                          "delete", "continue"])
    _ended(res)
    cdb.expect_stop_locations(res, RE_AT, [(P + caller, call), (callee, entry), (P + caller, call), (P + caller, call + 1)])
    cdb.source_line(res, _stop_index(res, callee, entry), entry, entry_mark)
    res.one(output)


def test_step_into_delegate_invocation():
    _step_into("delegate", r"Delegate\(\)", "call_delegate",
               P + r"Delegate\.AnonymousMethod__\d+_\d+\(int x\)", "twice_open", r"^delegate 42$")


def test_step_into_virtual_call():
    _step_into("virtual", r"Virtual\(\)", "call_virtual", r"StepCases\.Dog\.Legs\(\)", "dog_open",
               r"^virtual 4$")


def test_step_into_interface_call():
    _step_into("interface", r"Interface\(\)", "call_interface", r"StepCases\.Square\.Area\(\)",
               "square_open", r"^interface 9$")


def test_step_into_constructor():
    _step_into("ctor", r"Ctor\(\)", "call_ctor", r"StepCases\.Foo\.\.ctor\(int v\)", "foo_decl",
               r"^ctor 15$")


def test_step_into_static_constructor_triggered_by_first_access():
    # `Registry.Seed + 3` is the first use of Registry: the runtime runs its static
    # constructor from a helper in the middle of the line; `step` must stop in it, and
    # `finish` (through the runtime's helper frames) come back to the line
    _step_into("cctor", r"Cctor\(\)", "call_cctor", r"StepCases\.Registry\.\.cctor\(\)", "cctor_open",
               r"^cctor 103$")


def test_step_into_lambda_passed_to_user_method():
    _step_into("lambda", r"ApplyTo\(int v, System\.Func<int, int> f\)", "call_passed",
               P + r"Lambda\.AnonymousMethod__\d+\(int v\)", "passed_open", r"^lambda 12$")


# ---------------------------------------------------------------- next

def test_next_over_line_hitting_breakpoint_stops_there_and_cancels_step():
    over, inside = mk("next_over_bp"), mk("bp_inside")
    res = _run("next_bp", ["break Program.cs:%d" % over, "break Program.cs:%d" % inside, "run",
                           "next", "continue"])
    _ended(res)
    # the step is cancelled: `continue` runs to the end, no stop at the line after the call
    cdb.expect_stop_locations(res, RE_AT, [(P + r"NextOverBreakpoint\(\)", over), (P + r"Helper\(int x\)", inside)])
    hs = cdb.hits(res)
    assert [h.bp for h in hs] == [1, 2], [res.lines[h.index] for h in hs]
    cdb.source_line(res, hs[1].index, inside, "bp_inside")
    assert hs[1].index < res.index(r"^helper 2$")


def test_next_at_end_of_method_returns_to_caller_line():
    last, call = mk("last_stmt"), mk("call_last")
    res = _run("last_line", ["break Program.cs:%d" % last, "run", "next", "next", "next", "continue"])
    _ended(res)
    cdb.expect_stop_locations(res, RE_AT, [(P + r"Last\(int x\)", last), (P + r"Last\(int x\)", last + 1),
                       (P + r"LastLine\(\)", call), (P + r"LastLine\(\)", mk("after_call_last"))])
    cdb.source_line(res, _stop_index(res, P + r"LastLine\(\)", call), call, "call_last")
    assert res.index(r"^last 40$") > _stop_index(res, P + r"LastLine\(\)", mk("after_call_last"))


@cdb.matrix("StepCases")
def test_next_over_call_that_throws_ends_in_callers_catch():
    # Thrower throws; Exception() catches it: the `next` over the call ends in the catch
    # block (its `catch (...)` line, `{` or first statement), before the handler's body ran
    call, catch, body = mk("call_thrower"), mk("catch"), mk("in_catch")
    res = _run("exception", ["break Program.cs:%d" % call, "run", "next", "delete", "continue"])
    _ended(res)
    locs = cdb.stop_locations(res, RE_AT)
    assert len(locs) == 2 and locs[0] == ("StepCases.Program.Exception()", call), locs
    assert locs[1][0] == "StepCases.Program.Exception()" and catch <= locs[1][1] <= body, \
        "the step over the throwing call stopped at %s:%d, not in the catch block (lines %d-%d): %r" % (
            locs[1][0], locs[1][1], catch, body, locs)
    res.hasnt(r"^not reached$")
    assert _stop_index(res, P + r"Exception\(\)", locs[1][1]) < res.index(r"^caught boom 1$")
    res.one(r"^exception result 1$")


# ---------------------------------------------------------------- async

def test_next_over_await_in_loop_three_times():
    aw, after = mk("loop_await"), mk("loop_after")
    res = _run("async_loop", ["break Program.cs:%d" % aw, "run", "next", "continue", "next", "continue",
                              "next", "continue"])
    _ended(res)
    cdb.expect_stop_locations(res, RE_AT, [(P + r"LoopAsync\(\)", aw), (P + r"LoopAsync\(\)", after)] * 3)
    # each step ended before that iteration printed, and the iterations went in order
    at = 0
    for i in range(3):
        stop = _stop_index(res, P + r"LoopAsync\(\)", after, at)
        printed = res.index(r"^iteration %d on thread \d+$" % i, at)
        assert stop < printed, "iteration %d printed before the step over its await ended" % i
        at = printed
    res.one(r"^loop sum 3$")


@cdb.matrix("StepCases")
def test_next_over_await_of_nested_async_call():
    aw, after = mk("await_inner"), mk("after_inner")
    res = _run("async_nested", ["break Program.cs:%d" % aw, "run", "next", "next", "continue"])
    _ended(res)
    cdb.expect_stop_locations(res, RE_AT, [(P + r"OuterAsync\(\)", aw), (P + r"OuterAsync\(\)", after),
                       (P + r"OuterAsync\(\)", after + 1)])
    printed = res.index(r"^outer got 5$")
    assert _stop_index(res, P + r"OuterAsync\(\)", after) < printed < \
        _stop_index(res, P + r"OuterAsync\(\)", after + 1)
    res.one(r"^nested 5$")


@cdb.matrix("StepCases")
def test_finish_out_of_async_method_returns_to_awaiting_caller():
    # InnerAsync has resumed after its own await (on a pool thread); finish ends at the line
    # after `await InnerAsync()` in OuterAsync, the same logical call chain
    inner_return, after = mk("inner_delay") + 1, mk("after_inner")
    res = _run("async_nested", ["break Program.cs:%d" % inner_return, "run", "finish", "next", "continue"])
    _ended(res)
    cdb.expect_stop_locations(res, RE_AT, [(P + r"InnerAsync\(\)", inner_return), (P + r"OuterAsync\(\)", after),
                       (P + r"OuterAsync\(\)", after + 1)])


def test_next_over_await_configure_await_false():
    aw, after = mk("await_cfg"), mk("after_cfg")
    res = _run("async_configured", ["break Program.cs:%d" % aw, "run", "next", "next", "continue"])
    _ended(res)
    cdb.expect_stop_locations(res, RE_AT, [(P + r"ConfiguredAsync\(\)", aw), (P + r"ConfiguredAsync\(\)", after),
                       (P + r"ConfiguredAsync\(\)", after + 1)])
    assert _stop_index(res, P + r"ConfiguredAsync\(\)", after + 1) < res.index(r"^configured 9$")
    res.one(r"^configured result 9$")


# ---------------------------------------------------------------- threads

WORKERS = ("worker-number-one-long", "w2", "w3", "w4")


def _thread_rows(s):
    """The rows of the last `info threads` table on the session's stdout so far."""
    s.send("thread")  # its answer marks the end of the table
    s.expect(r"^Current thread is \d+$")
    lines = s.stdout.splitlines()
    hdr = max(i for i, l in enumerate(lines) if re.search(cdb.HEADER_THREADS, l))
    rows = []
    for l in lines[hdr + 1:]:
        m = re.match(cdb.RE_THREAD_ROW, l)
        if not m:
            break
        rows.append(m)
    return rows


def _managed_name(row):
    m = re.search(r'\bname="([^"]*)"', row.group(6) or "")
    return m.group(1) if m else row.group(4)


def test_four_named_threads_freeze_one_it_does_not_advance():
    started = mk("all_started")
    s = cdb.Session([program(NAME), "threads"])
    s.send("break Program.cs:%d" % started)
    s.send("run")
    pid = int(s.expect(cdb.RE_STARTED).group(1))
    s.expect(r"^Thread 1 hit Breakpoint 1, StepCases\.Program\.Threads\(\) at Program\.cs:%d$" % started)
    s.send("info threads")
    s.expect(cdb.HEADER_THREADS)
    rows = _thread_rows(s)
    by_name = {_managed_name(r): r for r in rows}
    text = "\n".join(r.group(0) for r in rows)
    for n in WORKERS:
        assert n in by_name, "no thread named %r in info threads:\n%s" % (n, text)
        assert re.search(r"StepCases\.Program\.Spin\(int k, System\.Threading\.CountdownEvent started\)",
                         by_name[n].group(6) or ""), "thread %r is not in Spin: %r" % (n, by_name[n].group(0))
    long_row = by_name[WORKERS[0]]
    assert 'name="worker-number-one-long"' in long_row.group(0), long_row.group(0)
    tid = int(long_row.group(2))
    s.send("freeze %d" % tid)
    s.expect(r"^Thread %d frozen$" % tid)
    s.send("continue")
    s.expect(r"^threads: others ran True$")
    m = s.expect(r"^threads: frozen counter before (\d+) after (\d+)$")
    assert m.group(1) == m.group(2), "the frozen thread ran on: its counter went %s -> %s" % m.groups()
    s.expect(cdb.RE_BREAK)
    s.expect(r"^StepCases\.Program\.Threads\(\) at Program\.cs:%d$" % mk("second_break"))
    s.send("info threads")
    s.expect(cdb.HEADER_THREADS)
    rows = {int(r.group(2)): r for r in _thread_rows(s)}
    assert tid in rows and rows[tid].group(5) == "(frozen)", \
        "thread %d not shown frozen: %r" % (tid, rows.get(tid) and rows[tid].group(0))
    assert [i for i, r in rows.items() if r.group(5)] == [tid], [r.group(0) for r in rows.values()]
    s.send("thaw %d" % tid)
    s.expect(r"^Thread %d thawed$" % tid)
    s.send("continue")
    s.expect(r"^threads: after thaw advanced True$")
    s.expect(r"^StepCases: done$")
    e = s.expect(cdb.RE_EXITED)
    assert (int(e.group(1)), int(e.group(2))) == (pid, 0), e.group(0)
    s.send("quit")
    assert s.wait(30) == 0
    assert not [l for l in s.stderr.splitlines() if l.startswith("error: ")], s.stderr


# ---------------------------------------------------------------- stacks

def _frames(res, start):
    """The `#N ...` lines of the backtrace starting at stdout index start (a `#0` line)."""
    out = []
    for l in res.lines[start:]:
        m = re.match(r"^#(\d+)\s+(.*)$", l)
        if not m or (out and m.group(1) == "0"):
            break
        out.append((int(m.group(1)), m.group(2)))
    return out


def test_bt_generic_methods_and_lambda_frames():
    inner, lam = mk("inner_generic"), mk("in_lambda")
    res = _run("stacks", ["break Program.cs:%d" % inner, "break Program.cs:%d" % lam, "run", "bt",
                          "continue", "bt", "delete", "continue"])
    _ended(res)
    first = res.index(r"^#0  ")
    fr = _frames(res, first)
    # call stacks show cheap argument values inline, C# style
    want = ["StepCases.Program.Inner<int>(int value = 12345, int depth = 1) at Program.cs:%d" % inner,
            "StepCases.Program.Outer<int>(int value = 12345) at Program.cs:%d" % mk("outer_generic"),
            "StepCases.Program.Stacks() at Program.cs:%d" % mk("call_outer")]
    assert [f[1] for f in fr[:3]] == want, "\n".join("#%d %s" % f for f in fr)
    assert fr[3][1].startswith("StepCases.Program.Main(string[] args) at Program.cs:"), fr
    second = res.index(r"^#0  ", first + 1)
    fr = _frames(res, second)
    assert re.fullmatch(r"StepCases\.Program\.Stacks\.AnonymousMethod__\d+_\d+\(int x = -?\d+\) at Program\.cs:%d" % lam,
                        fr[0][1]), fr
    assert re.fullmatch(r"StepCases\.Program\.Run\(System\.Func<int, int> f, int x = -?\d+\) at Program\.cs:%d"
                        % mk("run_lambda"), fr[1][1]), fr
    assert fr[2][1] == "StepCases.Program.Stacks() at Program.cs:%d" % mk("call_run"), fr


def test_bt_of_1000_deep_recursion_and_bt_n():
    bottom, rec = mk("rec_bottom"), mk("rec_call")
    res = _run("stacks", ["break Program.cs:%d" % bottom, "run", "bt", "bt 5", "kill"], timeout=120)
    cdb.assert_ok(res)
    starts = [i for i, l in enumerate(res.lines) if l.startswith("#0  ")]
    assert len(starts) == 2, "expected two backtraces, found %d" % len(starts)
    full = _frames(res, starts[0])
    assert [n for n, _ in full] == list(range(len(full))), "frame numbers not 0..N in order"
    assert len(full) >= 1002, "bt printed %d frames for a 1,000-deep recursion" % len(full)
    assert full[0][1] == "StepCases.Program.Recurse(int n = 0) at Program.cs:%d" % bottom, full[0]
    # each caller frame shows its own n: 1, 2, ... 1000
    assert all(f[1] == "StepCases.Program.Recurse(int n = %d) at Program.cs:%d" % (i, rec)
               for i, f in enumerate(full[1:1001], start=1)), \
        [f for i, f in enumerate(full[1:1001], start=1) if not f[1].startswith("StepCases.Program.Recurse(int n = %d)" % i)][:3]
    assert full[1001][1] == "StepCases.Program.Stacks() at Program.cs:%d" % mk("call_recurse"), full[1001]
    # every `#` line after the second #0 belongs to `bt 5`
    five = [l for l in res.lines[starts[1]:] if l.startswith("#")]
    assert [int(re.match(r"#(\d+)", l).group(1)) for l in five] == [0, 1, 2, 3, 4], five
    assert [re.sub(r"^#\d+\s+", "", l) for l in five] == [f[1] for f in full[:5]], five


# ---------------------------------------------------------------- jump

def test_jump_back_within_loop_repeats_body():
    first, second = mk("jump_first"), mk("jump_second")
    res = _run("jump", ["break Program.cs:%d" % second, "run", "delete", "jump %d" % first, "next",
                        "continue"])
    _ended(res)
    res.one(r"^Next statement: StepCases\.Program\.JumpLoop\(\) at Program\.cs:%d$" % first)
    # `next` from the jumped-to line runs runs++ again and stops at the line after it
    cdb.expect_stop_locations(res, RE_AT, [(P + r"JumpLoop\(\)", second), (P + r"JumpLoop\(\)", second)])
    res.hasnt(r"^body 0 runs 1$")
    res.one(r"^body 0 runs 2$")
    res.one(r"^body ran 3 times$")
