"""Entry and async run control (issue 16), over tests/programs/AsyncCases (async Main),
AsyncTopLevel (top-level statements that await) and BpBasic (a synchronous Main): the entry
stop is the user's first line (an async Main's state machine, not the compiler's <Main>
stub; the `{` of a synchronous Main, as vsdbg) and `next` goes on line by line from there;
`next` over an await stays in the same invocation while other invocations of the method
run; `finish` out of an async method, and `next` off its end, end in its awaiting caller;
`finish` out of an iterator consumed by a foreach in async code ends in that caller, never
deeper. The stepping tests do 20 rounds each in one cordbg session with both cores kept
busy by busy-loop processes."""
import re

import cdb
from cdb import batch, program

NAME = "AsyncCases"
P = r"AsyncCases\.Program\."
# a stop: `METHOD(ARGS) at Program.cs:LINE`, after a hit's or the entry's prefix or alone
RE_AT = (r"^(?:Thread \d+ hit (?:Temporary )?Breakpoint \d+, |Thread \d+ stopped at entry, )?"
         r"([A-Za-z_<][^\s(]*\(.*?\)) at Program\.cs:(\d+)$")
ROUNDS = 20


def mk(mark, name=NAME):
    return cdb.find_mark(name, mark)






# ---------------------------------------------------------------- entry

@cdb.matrix("AsyncCases")
def test_start_async_main_stops_in_main_then_next_line_by_line():
    res = batch([program(NAME)], ["start", "bt", "next", "next", "next", "next", "continue"])
    cdb.finish_ok(res)
    main = P + r"Main\(string\[\] args\)"
    cdb.expect_stop_locations(res, RE_AT, [(main, mk("main_open")), (main, mk("main_first")), (main, mk("main_await")),
                       (main, mk("main_what")), (main, mk("main_what") + 1)])
    es = cdb.stops(res, cdb.RE_ENTRY)
    assert len(es) == 1, "expected one entry stop, got %d" % len(es)
    # the entry stop is in user code with a source line, not in the <Main> stub
    cdb.source_line(res, es[0][0], mk("main_open"), "main_open")
    top = res.lines[res.index(r"^#0\s", es[0][0])]
    assert re.match(r"^#0\s+" + main + r" at Program\.cs:%d$" % mk("main_open"), top), top
    # nothing ran before the entry stop; the await was stepped over before the rest ran
    assert es[0][0] < res.index(r"^AsyncCases: start$")
    res.one(r"^AsyncCases: entry 1 -> 0$")


def test_stop_at_entry_top_level_statements_with_await():
    res = batch([program("AsyncTopLevel")], ["run", "next", "next", "next", "continue"],
                options=["--stop-at-entry"])
    cdb.finish_ok(res)
    main = r"Program\.<Main>\$\(string\[\] args\)"
    cdb.expect_stop_locations(res, RE_AT, [(main, mk("first", "AsyncTopLevel")), (main, mk("await", "AsyncTopLevel")),
                       (main, mk("after_await", "AsyncTopLevel")), (main, mk("print", "AsyncTopLevel"))])
    es = cdb.stops(res, cdb.RE_ENTRY)
    assert len(es) == 1 and es[0][0] < res.index(r"^AsyncTopLevel: first$"), "entry stop missing or late"
    res.one(r"^AsyncTopLevel: args 0$")


def test_start_sync_main_stops_at_opening_brace_then_first_statement():
    first = cdb.find_mark("BpBasic", "main_first")
    res = batch([program("BpBasic")], ["start", "next", "continue"])
    cdb.finish_ok(res)
    main = r"BpTests\.Program\.Main\(string\[\] args\)"
    # vsdbg's entry stop: Main's first sequence point, its `{` line; the first next: line 1
    cdb.expect_stop_locations(res, RE_AT, [(main, first - 1), (main, first)])
    i = cdb.stops(res, cdb.RE_ENTRY)[0][0]
    m = cdb.source_line(res, i, first - 1)
    assert m.group(2).strip().startswith("{"), m.group(0)
    assert i < res.index(r"^BpBasic: start$")


@cdb.matrix("StepCases")
def test_step_into_awaited_async_call_enters_it_and_finish_returns():
    # step at `int v = await InnerAsync();` enters InnerAsync at its `{` (not its state
    # machine's constructor, not back in the caller), and finish from there ends after the
    # await in the caller
    aw, inner, after = (cdb.find_mark("StepCases", "await_inner"), cdb.find_mark("StepCases", "inner_delay"),
                        cdb.find_mark("StepCases", "after_inner"))
    res = batch([program("StepCases"), "async_nested"],
                ["break Program.cs:%d" % aw, "run", "step", "step", "finish", "continue"])
    cdb.finish_ok(res)
    p = r"StepCases\.Program\."
    cdb.expect_stop_locations(res, RE_AT, [(p + r"OuterAsync\(\)", aw), (p + r"InnerAsync\(\)", inner - 1),
                       (p + r"InnerAsync\(\)", inner), (p + r"OuterAsync\(\)", after)])
    res.one(r"^nested 5$")


# ---------------------------------------------------------------- stepping under load

RE_STOP = r"^(?:Thread \d+ hit (?:Temporary )?Breakpoint \d+, )?" + P + r"(\w+)\(.*\) at Program\.cs:(\d+)$"
RE_NUM = r"^(-?\d+)$"


def _stop(s, method, line, what):
    m = s.expect(RE_STOP)
    assert (m.group(1), int(m.group(2))) == (method, line), \
        "%s: stopped in %s at line %s, expected %s at line %d" % (what, m.group(1), m.group(2), method, line)


def _value(s, expr):
    s.send("print " + expr)
    return int(s.expect(RE_NUM).group(1))


def _session(scenario, rounds):
    return cdb.Session([program(NAME), scenario, str(rounds)])


def _end(s, scenario, rounds, total):
    s.send("continue")
    s.expect(r"^AsyncCases: %s %d -> %d$" % (scenario, rounds, total))
    s.expect(r"^Process \d+ exited with code 0$")
    s.send("quit")
    s.close_stdin()
    assert s.wait() == 0


def test_next_over_await_stays_in_invocation_under_load():
    # sixteen invocations of Worker await in a loop at once; each round stops one of them at the
    # await and steps over it: the step must end after the await in that same invocation
    aw, after = mk("worker_await"), mk("worker_after")
    rounds = ROUNDS + 2
    with cdb.BusyCores():
        s = _session("next", rounds)
        for r in range(ROUNDS):
            s.send("tbreak Program.cs:%d" % aw)
            s.send("run" if r == 0 else "continue")
            _stop(s, "Worker", aw, "round %d: the breakpoint" % r)
            me, i = _value(s, "me"), _value(s, "i")
            s.send("next")
            _stop(s, "Worker", after, "round %d: next over the await" % r)
            assert (_value(s, "me"), _value(s, "i")) == (me, i), \
                "round %d: next ended in another invocation (or iteration) of Worker" % r
        # every Worker(j) returns j + 0 + 1 + 2, for j = 0 .. 15
        _end(s, "next", rounds, rounds * (15 * 16 // 2 + 16 * 3))


def test_finish_out_of_async_method_returns_to_awaiting_caller_under_load():
    # Inner has resumed after its await on a pool thread while other Outer/Inner pairs run;
    # finish must end in the Outer that awaits this Inner, after its await, every time
    inner_after, outer_after = mk("inner_after"), mk("outer_after")
    rounds = ROUNDS + 2
    with cdb.BusyCores():
        s = _session("finish", rounds)
        for r in range(ROUNDS):
            s.send("tbreak Program.cs:%d" % inner_after)
            s.send("run" if r == 0 else "continue")
            _stop(s, "Inner", inner_after, "round %d: the breakpoint" % r)
            me = _value(s, "me")
            s.send("finish")
            _stop(s, "Outer", outer_after, "round %d: finish" % r)
            assert _value(s, "me") == me, "round %d: finish ended in another Outer" % r
            assert _value(s, "v") == 2 * me, "round %d: the awaited result is not there yet" % r
        # every Outer returns 2 * me - me = me, for me = 1 .. 4 * rounds
        n = 4 * rounds
        _end(s, "finish", rounds, n * (n + 1) // 2)


def test_next_off_the_end_of_async_method_returns_to_awaiting_caller_under_load():
    # next from Inner's last line, then from its `}`: the method completes and the step ends
    # in the Outer that awaits it (not in whatever the pool thread runs next)
    ret, outer_after = mk("inner_return"), mk("outer_after")
    rounds = ROUNDS + 2
    with cdb.BusyCores():
        s = _session("finish", rounds)
        for r in range(ROUNDS):
            s.send("tbreak Program.cs:%d" % ret)
            s.send("run" if r == 0 else "continue")
            _stop(s, "Inner", ret, "round %d: the breakpoint" % r)
            me = _value(s, "me")
            s.send("next")
            _stop(s, "Inner", ret + 1, "round %d: next to the closing brace" % r)
            s.send("next")
            _stop(s, "Outer", outer_after, "round %d: next off the end" % r)
            assert _value(s, "me") == me, "round %d: next ended in another Outer" % r
        n = 4 * rounds
        _end(s, "finish", rounds, n * (n + 1) // 2)


def test_finish_out_of_iterator_and_async_foreach_never_deeper_under_load():
    # stopped at the iterator's closing brace (its last MoveNext, called by the foreach of an
    # async method): finish ends in that caller; next goes on after the loop. Stopped in the
    # async method before its first await, whose rest calls the iterator: finish ends in its
    # caller after the await, never in the iterator
    first, close, foreach, after, call = (mk("once_first"), mk("iter_close"), mk("iter_foreach"),
                                          mk("iter_after"), mk("iter_call"))
    rounds = 2 * ROUNDS + 1   # each round: one call stopped in its iterator, one finished out of
    with cdb.BusyCores():
        s = _session("iter", rounds)
        s.send("tbreak Program.cs:%d" % close)
        s.send("run")
        for r in range(ROUNDS):
            _stop(s, "Squares", close, "round %d: the breakpoint" % r)
            s.send("finish")
            _stop(s, "IterOnce", foreach, "round %d: finish out of the iterator" % r)
            s.send("next")
            _stop(s, "IterOnce", after, "round %d: next after finish" % r)
            assert _value(s, "sum") == 6, "round %d: the loop did not end" % r
            s.send("tbreak Program.cs:%d" % first)
            s.send("continue")
            _stop(s, "IterOnce", first, "round %d: the next call's first line" % (r + 1))
            s.send("finish")
            m = s.expect(RE_STOP)
            assert m.group(1) == "IterRounds" and int(m.group(2)) >= call, \
                "round %d: finish out of IterOnce stopped in %s at line %s, not in its caller after the await" \
                % (r, m.group(1), m.group(2))
            # that call ran to its end (its iterator too) before its caller went on
            assert _value(s, "k") == 2 * r + 1, "round %d: finish ended in another round" % r
            s.send("tbreak Program.cs:%d" % close)
            s.send("continue")
        _stop(s, "Squares", close, "the last round")
        # every round adds 1 + 0 + 1 + 4
        _end(s, "iter", rounds, rounds * 6)
