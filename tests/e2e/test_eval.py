"""Expressions and function evaluation (issue 6) over tests/programs/EvalCases: each C#
construct the evaluator supports, checked value by value at @mark:main; errors in the C#
compiler's words; getters that throw, sleep forever, spin, hit a breakpoint; calls with
side effects the program then shows; hoisted locals of async methods, iterators and
closures; breakpoint conditions, hit counts, ignore counts and log points."""
import re

import cdb
from cdb import batch, program

NAME = "EvalCases"


def mk(mark):
    return cdb.find_mark(NAME, mark)


def _evaluate(exprs, before=(), after=("kill",), timeout=180):
    """Stop at @mark:main, print each expression after a marker; {index: output lines}, and
    the errors (stderr `error:` lines) in order, each tagged with the marker before it."""
    cmds = ["break Program.cs:%d" % mk("main"), "run"] + list(before)
    for i, e in enumerate(exprs):
        cmds += ['echo @@%d' % i, "print " + e]
    res = batch([program(NAME)], cmds + ['echo @@end'] + list(after), timeout=timeout)
    return res


def _outputs(res, n):
    """Per print: its stdout lines, or its error line. cordbg writes stdout and stderr
    separately, so errors are matched by order: the k-th print without output owns the k-th
    error line."""
    blocks, cur = {}, None
    for line in res.lines:
        m = re.fullmatch(r'@@(\d+|end)', line)
        if m:
            cur = int(m.group(1)) if m.group(1) != "end" else None
            if cur is not None:
                blocks[cur] = []
        elif cur is not None and not re.match(r"^(Killed process|Process \d+ exited|Loaded ')", line):
            blocks[cur].append(line)
    errs = [e[len("error: "):] for e in res.error_lines()]
    out, k = [], 0
    for i in range(n):
        got = blocks.get(i, [])
        if got:
            out.append("\n".join(got))
        else:
            out.append("error: " + (errs[k] if k < len(errs) else "<none>"))
            k += 1
    return out


def _check(table, **kw):
    res = _evaluate([e for e, _ in table], **kw)
    outs = _outputs(res, len(table))
    bad = []
    for (e, want), got in zip(table, outs):
        ok = got == want if isinstance(want, str) else want.search(got) is not None
        if not ok:
            bad.append("print %s\n    got:  %r\n    want: %r" % (e, got, getattr(want, "pattern", want)))
    assert not bad, "\n".join(bad) + "\n--- stdout:\n" + res.stdout + "\n--- stderr:\n" + res.stderr
    return res


def test_literals_and_operators():
    _check([
        ("1 + 2", "3"), ("7 / 2", "3"), ("-7 / 2", "-3"), ("-7 % 3", "-1"), ("7 / 2.0", "3.5"),
        ("unchecked(1u - 2u)", "4294967295"), ("unchecked(int.MaxValue + 1)", "-2147483648"), ("0x10 + 0b11", "19"),
        ("1L << 40", "1099511627776"), ("-1 >> 1", "-1"), ("-1 >>> 28", "15"), ("1 << 33", "2"),
        ("'a' + 1", "98"), ("(char)66", "'B'"), ("unchecked((byte)300)", "44"), ("(int)3.99", "3"), ("(int)-3.99", "-3"),
        ('"a" + 1 + true', '"a1True"'), ("1.5f * 2", "3"), ("0.1 + 0.2", "0.30000000000000004"),
        ("2.5m + 1", "3.5"), ("1.10m * 3", "3.30"), ("10m / 4", "2.5"),
        ("~5", "-6"), ("!true", "false"), ("5 & 3 | 8 ^ 1", "9"), ("true ^ true", "false"),
        ("3 > 2 == true", "true"), ("1 == 1.0", "true"), ("'a' < 'b'", "true"),
        ("n * 2 == 10", "true"), ('n > 3 && word == "hi"', "true"), ('!(n < 3) ? "x" : "y"', '"x"'),
        ("n >= 5 || nobody.Value > 0", "true"), ("1_000_000", "1000000"), ("0xFFFFFFFFFFFFFFFF", "18446744073709551615"),
        ("unchecked(int.MinValue - 1)", "2147483647"), ("-int.MinValue", "-2147483648"),
        ("sizeof(long)", "8"), ("default(int)", "0"), ("default(string)", "null"), ("typeof(string)", re.compile(r"^System\.String\n  Assembly = System\.Private\.CoreLib")),
        (r'"tab\t" + @"c:\x"', r'"tab\tc:\\x"'), ("'\\u0041'", "'A'"), ("5.0 / 0", "Infinity"),
    ])


def test_errors_read_like_the_compiler():
    _check([(e, re.compile(w)) for e, w in [
        ("foo", r"The name 'foo' does not exist in the current context"),
        ("subject.Nope", r"'EvalCases.Subject' does not contain a definition for 'Nope'"),
        ("1 +", r"column \d+"), ("(1", r"'\)' expected \(column 3\)"),
        # a lambda goes to code injection: the C# compiler's own error
        ("x => x", r"CS8917: The delegate type could not be inferred"),
        ("1 / 0", r"System\.DivideByZeroException: Attempted to divide by zero\."),
        ("n / (n - 5)", r"DivideByZeroException"),
        ("checked(int.MaxValue + n)", r"System\.OverflowException"),
        ("nobody.Value", r"System\.NullReferenceException"),
        ("(int)obj", r"System\.InvalidCastException"),
        ("word - 1", r"Operator '-' cannot be applied to operands of type 'string' and 'int'"),
        ("n && true", r"Operator|Cannot implicitly convert type 'int' to 'bool'"),
        ("subject.Add(1)", r"^error: CS7036: There is no argument given that corresponds to the required parameter 'b' "
                           r"of 'EvalCases\.Subject\.Add\(int, int\)'$"),
        ('"abc', r"Newline in constant|column"),
        ("subject.Throws", r"^error: System\.InvalidOperationException: getter failed$"),
        ("subject.Instances", r"^error: CS0176: Member 'Instances' cannot be accessed with an instance reference"),
        # constants fold as the compiler folds them (issue 17)
        ("int.MaxValue + 1", r"^error: CS0220: The operation overflows at compile time in checked mode$"),
        ("(byte)300", r"^error: CS0221: Constant value '300' cannot be converted to a 'byte'"),
        ("subject.Value", "^5$"),     # the session goes on after each error
    ]])


@cdb.matrix("EvalCases")
def test_members_calls_and_construction():
    _check([
        ("subject.Value", "5"), ("subject.Text", '"hello"'), ("subject.Nested.Text", '"inner"'),
        ("subject.Nested.Nested", "null"), ("nobody?.Value", "null"), ("subject?.Nested?.Value", "6"),
        ("(nobody ?? subject).Value", "5"), ("subject.Add(2, 3)", "5"),
        ("subject.Describe(n)", '"int:5"'), ("subject.Describe(word)", '"string:hi"'),
        # overloads are chosen by the arguments' runtime types (obj holds a string)
        ("subject.Describe(obj)", '"object:boxed"'), ("subject.Describe(list)", '"object:System.Collections.Generic.List`1[System.Int32]"'),
        ("Subject.Twice(21)", "42"), ("EvalCases.Subject.Twice(n)", "10"), ("subject.Echo<int>(7)", "7"),
        ('subject.Echo("e")', '"e"'), ("subject[3]", "30"), ("list[1]", "2"), ("list.Count", "3"),
        ("word.Length", "2"), ("word[1]", "'i'"), ("n.Doubled()", "10"), ("n.ToString()", '"5"'),
        ("word.ToUpper()", '"HI"'), ("word.Contains(\"i\")", "true"),
        ("Subject.Instances", "2"), ("Subject.InstanceCount", "2"), ("Subject.Kind", '"subject"'),
        ('new Subject(1, "x", null).Text', '"x"'), ("Subject.Instances", "3"), ("new int[3].Length", "3"), ("new[] { 1, 2, 3 }[1]", "2"),
        ('new string[] { "p", "q" }[1]', '"q"'), ("new System.Text.StringBuilder(\"ab\").Length", "2"),
        ("obj is string", "true"), ("obj is int", "false"), ("nobody is null", "true"), ("subject is not null", "true"),
        ("obj as string", '"boxed"'), ("obj as Subject", "null"), ("(string)obj", '"boxed"'),
        ("Math.Max(n, 9)", "9"), ("System.Math.Abs(-4)", "4"), ("string.Concat(word, \"!\")", '"hi!"'),
        ("int.MaxValue", "2147483647"), ("list.Contains(2)", "true"),
    ])


def test_calls_with_side_effects_reach_the_program():
    res = _evaluate(["subject.Mutate()", "subject.Mutate()", "subject.SideEffectLog()", "Subject.Instances = 9",
                     "n = n + 1", 'word = "changed"', "n++", "subject.Mutations"], after=["continue"])
    outs = _outputs(res, 8)
    assert outs[:2] == ["1", "2"], outs
    assert outs[2].endswith("(no value: the method returns void)"), outs     # after the program's own line
    assert outs[3:7] == ["9", "6", '"changed"', "6"], outs
    assert outs[7].split("\n")[0] == "2", outs
    for want in ["side effect", "mutations=2", "instances=9", "n=7", "word=changed", "done"]:
        assert res.has("^%s$" % re.escape(want)), "missing %r:\n%s" % (want, res.stdout)


@cdb.matrix("EvalCases")
def test_eval_that_spins_is_aborted_and_the_program_goes_on():
    res = _evaluate(["subject.Spins", "subject.Value", "subject.Text"],
                    before=["set eval-timeout 1000"], after=["continue"], timeout=240)
    outs = _outputs(res, 3)
    if cdb.RUNTIME == "net8.0" and "did not answer the abort" in outs[0]:
        # .NET 8 may not interrupt the spinning thread even once (dotnet/coreclr#4623; .NET 9
        # and 10 answer the first abort): cordbg says so, answers every later command, and
        # batch mode ends the program
        assert re.search(r"did not answer the abort.*only 'kill' can end the program", outs[0]), outs
        assert all("no longer answers" in o for o in outs[1:]), outs
        res.one(r"^Killed process \d+$")
        return
    assert re.search(r"timed out after 1000 ms and was aborted", outs[0]), outs
    assert outs[1:] == ["5", '"hello"'], outs
    assert res.has(r"^done$"), res.stdout


def test_eval_the_runtime_cannot_abort_never_hangs_cordbg():
    # A second abort of a spinning thread is not answered by the runtime on Linux
    # (dotnet/coreclr#4623): cordbg must say so and still end the program on kill.
    res = _evaluate(["subject.Spins", "subject.Spins", "subject.Value"], before=["set eval-timeout 1000"],
                    after=["kill"], timeout=240)
    outs = _outputs(res, 3)
    if cdb.RUNTIME == "net8.0" and "did not answer the abort" in outs[0]:
        # .NET 8 may not answer even the first abort (see the test above)
        assert re.search(r"did not answer the abort.*only 'kill' can end the program", outs[0]), outs
        assert all("no longer answers" in o for o in outs[1:]), outs
    else:
        assert re.search(r"timed out after 1000 ms and was aborted", outs[0]), outs
        assert re.search(r"was aborted|did not answer the abort.*only 'kill' can end the program", outs[1]), outs
        assert re.search(r"^5$|no longer answers", outs[2]), outs
    assert res.has(r"^Killed process \d+$")


def test_eval_that_sleeps_forever_is_reported_and_the_session_goes_on():
    # The runtime cannot abort a thread waiting in native code (dotnet/runtime#82422): cordbg
    # says so, keeps the thread out of further evaluations, and the session stays usable.
    res = _evaluate(["subject.SleepsForever", "subject.Value", "n"], before=["set eval-timeout 1000"],
                    after=["info threads", "kill"], timeout=240)
    outs = _outputs(res, 3)
    # It waits: every thread is let run a while, and it is not aborted (an abort landing as a
    # wait ends can leave a lock held).
    assert re.search(r"did not end after 1000 ms: it waits even with every thread let run.*not aborted.*"
                     r"dotnet/runtime#82422.*thread 1 runs it until it returns", outs[0]), outs
    assert re.search(r"thread 1 is still running an evaluation that could not be aborted", outs[1]), outs
    assert res.has(r"^Killed process \d+$")


def test_eval_hitting_a_breakpoint_is_ignored_or_aborted():
    res = _evaluate(["subject.HitsBreakpoint", "subject.HitsBreakpoint", "subject.Value"],
                    before=["break Program.cs:%d" % mk("ingetter")],
                    after=["set eval-breakpoints abort", 'echo @@3', "print subject.HitsBreakpoint",
                           "echo @@end", "set eval-breakpoints ignore", "delete", "continue"])
    outs = _outputs(res, 4)
    assert outs[:3] == ["7", "7", "5"], outs
    assert re.search(r"the evaluation hit breakpoint 2 and was (aborted|abandoned)", outs[3]), outs
    assert not res.grep(r"hit Breakpoint 2"), res.stdout    # never a stop inside an evaluation
    res.hasnt(r"hit Breakpoint 2")
    assert res.has(r"^done$")


def test_eval_off_shows_no_getters():
    res = _evaluate(["subject", "subject.Value"], before=["set eval off"])
    outs = _outputs(res, 2)
    assert re.search(r"Value = <error: Implicit function evaluation is turned off by the user", outs[0]), outs
    assert re.search(r"Mutations = 0", outs[0]), outs
    # an explicit property access in an expression is the user's own request: still runs
    assert outs[1] in ("5",) or "evaluation is turned off" in outs[1], outs


def test_hoisted_locals_async_iterator_closure():
    res = batch([program(NAME)], [
        "break Program.cs:%d" % mk("async"), "break Program.cs:%d" % mk("iterator"),
        "break Program.cs:%d" % mk("lambda"), "run",
        "info args", "info locals", "print before + after", "print Id", "print this.Id", "print start",
        "continue", "info args", "info locals", "print acc + k + limit", "print Id",
        "delete 2", "continue", "info args", "info locals", "print captured", "print x + captured + Id",
        "continue"], timeout=180)
    out = res.stdout
    for want in [r"^this = \{EvalCases\.Worker\}$", r"^start = 3$", r"^before = 4$", r"^after = 8$", r"^12$", r"^7$",
                 r"^limit = 3$", r"^k = 0$", r"^acc = 0$", r"^x = 3$", r"^inner = 15$", r"^captured = 5$", r"^15$", r"^5$"]:
        assert res.has(want), "missing /%s/ in:\n%s\n%s" % (want, out, res.stderr)
    for line in res.lines:
        if " = " in line:
            assert not re.search(r"<>|5__|__this", line), "compiler names leaked: " + line
    assert res.has(r"^done$")


def test_hoisted_locals_only_in_their_blocks_and_args_in_order():
    # tests/programs/AsyncLocals: locals of an async method live in its state machine; the
    # PDB's hoisted-local scopes say where each is in scope (as VS shows them)
    def mark(m):
        return cdb.find_mark("AsyncLocals", m)

    def block(res, marker):
        """stdout lines from `echo marker` to the next echo marker."""
        i = res.index("^%s$" % marker)
        j = res.index(r"^@@", i + 1)
        return res.lines[i + 1:j]

    cmds = ["break Program.cs:%d" % mark("before_loop"), "break Program.cs:%d" % mark("in_loop"),
            "break Program.cs:%d" % mark("after_loop"), "run",
            "echo @@before", "info locals", "info args", "echo @@x", "print i",
            "continue", "echo @@in", "info locals", "print i * 10 + sq", "echo @@x",
            "delete 2", "continue", "echo @@after", "info locals", "echo @@x", "print sq", "continue"]
    res = batch([program("AsyncLocals")], cmds, timeout=120)
    cdb.finish_ok(res)
    res.one(r"^AsyncLocals: done 5$")
    names = lambda lines: [l.split(" = ")[0] for l in lines if " = " in l]
    before = block(res, "@@before")
    # before the loop: the loop's i and sq are not in scope; the arguments in declaration order
    assert "i" not in names(before) and "sq" not in names(before), before
    assert "before" in names(before), before
    args = [l for l in before if re.match(r"^(first|second|third) = ", l)]
    assert args == ["first = 4", 'second = "two"', "third = 3"], before
    inside = block(res, "@@in")
    assert "i = 0" in inside and "sq = 0" in inside, inside
    assert "0" in inside, inside                      # i * 10 + sq in the first round
    after = block(res, "@@after")
    assert "i" not in names(after) and "sq" not in names(after), after
    assert "total = 5" in after, after
    errs = [e for e in res.error_lines() if "CS0103" in e]
    assert len(errs) == 2 and "'i'" in errs[0] and "'sq'" in errs[1], res.stderr


def test_named_tuple_elements_by_their_names():
    # EvalDiff's `(string name, int count) pair`: the PDB's TupleElementNames name the elements
    res = batch([program("EvalDiff")], ["break Program.cs:%d" % cdb.find_mark("EvalDiff", "stop"), "run",
                                        "print pair", "print pair.count * 10", "info locals", "kill"])
    cdb.assert_ok(res)
    i = res.index(r"^\(pairs, 2\)$")
    assert res.lines[i + 1:i + 3] == ['  name = "pairs"', "  count = 2"], res.lines[i:i + 3]
    res.one(r"^20$")
    res.one(r"^pair = \(pairs, 2\)$")


@cdb.matrix("EvalCases")
def test_conditions_hit_counts_ignore():
    loop = mk("loop")
    # a condition that is true once
    res = batch([program(NAME)], ["break Program.cs:%d if i == 47" % loop, "run", "print i", "print sum", "continue"])
    assert res.grep(r"hit Breakpoint 1") and len(res.grep(r"hit Breakpoint 1")) == 1, res.stdout
    assert res.has(r"^47$") and res.has(r"^1081$") and res.has(r"^sum=1225$"), res.stdout
    # never true: no stop at all
    res = batch([program(NAME)], ["break Program.cs:%d if i == -1" % loop, "run"])
    res.hasnt(r"hit Breakpoint")
    assert res.has(r"^sum=1225$")
    # a condition that needs a function evaluation
    res = batch([program(NAME)], ["break Program.cs:%d if items.Count == 3 && i == 10" % loop, "run", "print i", "continue"])
    assert len(res.grep(r"hit Breakpoint 1")) == 1 and res.has(r"^10$"), res.stdout + res.stderr
    # a condition that cannot be evaluated stops and says why
    res = batch([program(NAME)], ["break Program.cs:%d if nosuch > 1" % loop, "run", "print i", "delete", "continue"])
    assert res.has(r"^Error in condition of breakpoint 1: CS0103: The name 'nosuch' does not exist in the current context \(stopped there\)$"), res.stdout
    assert res.has(r"^0$") and res.has(r"^sum=1225$")
    # a condition with a side effect is refused at the first hit, with a stop
    res = batch([program(NAME)], ["break Program.cs:%d if (sum = 0) == 0" % loop, "run", "delete", "continue"])
    assert res.has(r"Error in condition of breakpoint 1: assignments are not allowed"), res.stdout
    assert res.has(r"^sum=1225$"), res.stdout
    # a syntax error is refused when set
    res = batch([program(NAME)], ["break Program.cs:%d if i ==" % loop, "run"])
    assert any("bad condition" in e for e in res.error_lines()), res.stderr
    res.hasnt(r"hit Breakpoint")
    # hit counts: == 5, % 20, >= 49; ignore 45
    for cmd, want in (("hitcount 1 == 5", [4]), ("hitcount 1 % 20", [19, 39]), ("hitcount 1 >= 49", [48, 49]),
                      ("ignore 1 45", [45, 46, 47, 48, 49])):
        res = batch([program(NAME)], ["break Program.cs:%d" % loop, cmd, "run"] + ["print i", "continue"] * (len(want) + 1))
        seen = [int(l) for l in res.lines if re.fullmatch(r"\d+", l)]
        assert seen == want, "%s: stops at %r, expected %r\n%s" % (cmd, seen, want, res.stdout)
        assert res.has(r"^sum=1225$")


def test_log_points():
    line = mk("logloop")
    res = batch([program(NAME)], [
        'logpoint Program.cs:%d "i={i} name={name} nq={name,nq} count={items.Count} sq={i * i} bad={nosuch}"' % line,
        "info breakpoints", "run"])
    logs = res.grep(r"^i=\d")
    assert len(logs) == 5, res.stdout
    for k, m in enumerate(logs):
        assert m.string == 'i=%d name="loop" nq=loop count=3 sq=%d bad={error: CS0103: The name \'nosuch\' does not exist in the current context}' % (k, k * k), m.string
        # each message comes before that iteration's own output
        assert res.index(r"^tick %d$" % k) > res.index(r"^i=%d " % k)
    res.hasnt(r"hit Breakpoint")
    assert res.has(r"logpoint") and res.has(r'^\tlog "i=\{i\}')
    assert res.has(r"^done$")


def test_silent_log_point_counts_hits():
    """A log point with an empty message prints nothing and never stops, but counts its hits
    (the benchmarks' P1; a hit counter for users)."""
    line = mk("logloop")
    res = batch([program(NAME)], ['logpoint Program.cs:%d ""' % line, "run", "info breakpoints"])
    cdb.assert_ok(res)
    res.hasnt(r"hit Breakpoint")
    ticks = [i for i, l in enumerate(res.lines) if re.fullmatch(r"tick \d", l)]
    assert len(ticks) == 5, res.stdout
    # nothing between the ticks: no empty log lines
    assert all(res.lines[k] != "" for k in range(ticks[0], ticks[-1] + 1)), res.stdout
    rows = cdb.bp_tables(res)[-1][1]
    assert int(rows[1].group(4)) == 5, rows[1].string
    assert res.has(r"^done$")


def test_maintenance_time_and_rss():
    """gdb's `maintenance time on`: each command is followed by its CPU and wall time, until
    `maintenance time off`; `maintenance rss` shows cordbg's peak memory; a wrong use is an
    error and the session goes on."""
    line = mk("logloop")
    res = batch([program(NAME)], ["maintenance time on", "break Program.cs:%d" % line, "run", "mt time off",
                                  "print i", "maint rss", "maintenance bogus", "print i + 1", "kill"])
    times = res.grep(r"^Command execution time: (\d+\.\d{6}) \(cpu\), (\d+\.\d{6}) \(wall\)$")
    assert len(times) == 2, res.stdout          # break and run; not the maintenance commands
    assert res.index(r"^Command execution time") > res.index(r"^Breakpoint 1 \(Program.cs")
    assert float(times[1].group(2)) > 0
    rss = res.grep(r"^Peak RSS: (\d+) KiB$")
    assert len(rss) == 1 and int(rss[0].group(1)) > 1024, res.stdout
    assert re.search(r"^error: usage: maintenance time on\|off \| maintenance rss \| maintenance memcache \[skip-drops on\|off\] \| ", res.stderr, re.M), res.stderr
    assert res.has(r"^1$")                      # print i + 1 after the error: the session went on
