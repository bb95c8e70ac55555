"""Breakpoints (issue 4): break/b/tbreak at FILE:LINE, [Ns.]Type.Method[(types)], MODULE!...;
pending before run and in an assembly loaded later; lines without code; bad locations;
info breakpoints / delete / disable / enable; lambdas, iterators, async, static
constructors, finally blocks, generics; 8 threads on one line; Debugger.Break and start."""

import os
import re

import cdb
from cdb import batch, program, find_mark

BASIC_TOTAL = r"^BpBasic: total 132$"  # BpBasic's last line when it ran to the end


def m(mark, name="BpBasic"):
    return find_mark(name, mark)


def _finish(res, code=0):
    """The program ran to its end under cordbg, exited with `code`, and is gone."""
    pid = cdb.started_pid(res)
    assert cdb.exit_code(res, pid) == code
    cdb.gone_or_fail(pid, "debuggee")
    return pid


def _ok_run(res, code=0):
    cdb.assert_ok(res)
    return _finish(res, code)


def _check_hit(res, h, bp, method_re, line, mark=None, file="Program.cs"):
    """Hit h is of breakpoint bp, in a method matching method_re (full match), at
    file:line, followed by that source line."""
    assert h.bp == bp, "hit of breakpoint %d, expected %d: %r" % (h.bp, bp, res.lines[h.index])
    assert re.fullmatch(method_re, h.method), "hit in %r, expected /%s/" % (h.method, method_re)
    assert (h.file, h.line) == (file, line), "hit at %s:%d, expected %s:%d" % (h.file, h.line, file, line)
    cdb.source_line(res, h.index, line, mark)


def _last_table(res):
    tables = cdb.bp_tables(res)
    assert tables, "no `info breakpoints` table on stdout"
    return tables[-1][1]


def _stopped_at_main_first():
    """Commands that stop BpBasic at the first line of Main with breakpoint 1."""
    return ["break Program.cs:%d" % m("main_first"), "run"]


# ---------------------------------------------------------------- FILE:LINE, pending, info

@cdb.matrix("BpBasic")
def test_break_file_line_pending_before_run_then_bound():
    tick = m("tick")
    res = batch([program("BpBasic")],
                ["break Program.cs:%d" % tick, "info breakpoints", "run", "info breakpoints",
                 "continue", "continue", "info b", "continue"])
    _ok_run(res)
    p = res.one(cdb.RE_BP_PENDING)
    assert (p.group(1), p.group(2), p.group(3)) == ("Breakpoint", "1", "Program.cs:%d" % tick), p.group(0)
    tables = cdb.bp_tables(res)
    assert len(tables) == 3, "expected 3 info breakpoints tables, got %d" % len(tables)
    before = tables[0][1][1]
    assert (before.group(2), before.group(3), before.group(4), before.group(6)) == \
        ("breakpoint", "y", "0", "pending"), before.group(0)
    assert tables[0][0] < res.index(cdb.RE_STARTED), "first table not before run"
    # bound when the module loads, before any of its code ran
    b = res.one(cdb.RE_BP_BOUND)
    assert b.group(1) == "1" and b.group(2) == "Program.cs:%d" % tick, b.group(0)
    bound_i = res.lines.index(b.string)
    assert res.index(r"^Loaded '/[^']*/BpBasic\.dll' \(symbols loaded\)$") < bound_i < \
        res.index(r"^BpBasic: start$"), "bound line not between the module load and Main's output"
    hs = cdb.hits(res)
    assert len(hs) == 3, "Tick is called 3 times; got %d hits" % len(hs)
    for h in hs:
        _check_hit(res, h, 1, r"BpTests\.Program\.Tick\(int i\)", tick, "tick")
    after1 = tables[1][1][1]
    assert (after1.group(4), after1.group(6)) == ("1", "bound, 1 location"), after1.group(0)
    assert hs[0].index < tables[1][0] < hs[1].index
    after3 = tables[2][1][1]
    assert after3.group(4) == "3", "hit count after 3 hits: %r" % after3.group(0)
    assert hs[2].index < tables[2][0] < res.index(BASIC_TOTAL)


def test_b_alias_and_break_set_while_stopped():
    # interactive: a breakpoint set at a stop is bound at once and hit
    fin = m("finally")
    s = cdb.Session([program("BpBasic")])
    s.send("b Program.cs:%d" % m("main_first"))
    s.expect(r"^Breakpoint 1 \(Program\.cs:%d\) pending: " % m("main_first"))
    s.send("run")
    pid = int(s.expect(cdb.RE_STARTED).group(1))
    s.expect(r"^Thread \d+ hit Breakpoint 1, BpTests\.Program\.Main\(string\[\] args\) at Program\.cs:%d$"
             % m("main_first"))
    s.send("break Program.cs:%d" % fin)
    s.expect(r"^Breakpoint 2 at Program\.cs:%d$" % fin)
    s.send("continue")
    s.expect(r"^Thread \d+ hit Breakpoint 2, BpTests\.Program\.WithFinally\(\) at Program\.cs:%d$" % fin)
    s.expect(r"^%d\t.*%s" % (fin, cdb.mark_re("finally")))
    s.send("continue")
    s.expect(BASIC_TOTAL)
    e = s.expect(cdb.RE_EXITED)
    assert (int(e.group(1)), int(e.group(2))) == (pid, 0), e.group(0)
    s.send("quit")
    assert s.wait(30) == 0
    assert not [l for l in s.stderr.splitlines() if l.startswith("error: ")], s.stderr
    cdb.gone_or_fail(pid, "debuggee")


@cdb.matrix("BpBasic")
def test_tbreak_hits_once_then_gone():
    tick = m("tick")
    res = batch([program("BpBasic")],
                ["tbreak Program.cs:%d" % tick, "run", "info breakpoints", "continue"])
    _ok_run(res)
    p = res.one(cdb.RE_BP_PENDING)
    assert (p.group(1), p.group(2)) == ("Temporary breakpoint", "1"), p.group(0)
    hs = cdb.hits(res)
    assert len(hs) == 1, "a tbreak on a line passed 3 times was hit %d times" % len(hs)
    _check_hit(res, hs[0], 1, r"BpTests\.Program\.Tick\(int i\)", tick, "tick")
    assert 1 not in _last_table(res), "the tbreak is still listed after its hit"


def test_tbreak_set_while_stopped():
    tick = m("tick")
    res = batch([program("BpBasic")],
                _stopped_at_main_first() + ["tbreak Program.cs:%d" % tick, "info breakpoints",
                                            "continue", "info breakpoints", "continue"])
    _ok_run(res)
    t = res.one(cdb.RE_BP_AT)
    assert t.groups()[:3] == ("Temporary breakpoint", "2", "Program.cs:%d" % tick), t.group(0)
    tables = cdb.bp_tables(res)
    row = tables[0][1][2]
    assert (row.group(2), row.group(3), row.group(4)) == ("tbreak", "y", "0"), row.group(0)
    hs = cdb.hits(res, 2)
    assert len(hs) == 1, "tbreak 2 hit %d times" % len(hs)
    assert 2 not in tables[-1][1] and 1 in tables[-1][1], "after the hit: %r" % list(tables[-1][1])


def test_disable_enable():
    tick = m("tick")
    res = batch([program("BpBasic")],
                ["break Program.cs:%d" % tick, "run", "disable 1", "info b", "enable 1", "info b",
                 "continue", "disable 1", "info breakpoints", "continue"])
    _ok_run(res)
    tables = cdb.bp_tables(res)
    assert len(tables) == 3
    assert tables[0][1][1].group(3) == "n", "after disable: %r" % tables[0][1][1].group(0)
    assert tables[1][1][1].group(3) == "y", "after enable: %r" % tables[1][1][1].group(0)
    last = tables[2][1][1]
    assert (last.group(3), last.group(4)) == ("n", "2"), last.group(0)
    hs = cdb.hits(res)
    # hit at i=0, enabled again -> hit at i=1, disabled -> i=2 passes without a stop
    assert len(hs) == 2, "expected 2 hits (the third pass is disabled), got %d" % len(hs)
    res.one(BASIC_TOTAL)


def test_delete_one_and_all():
    tick, echo, fin = m("tick"), m("echo"), m("finally")
    res = batch([program("BpBasic")],
                ["break Program.cs:%d" % tick, "break Program.cs:%d" % echo,
                 "break Program.cs:%d" % fin, "run", "delete 1", "info breakpoints", "continue",
                 "delete", "info breakpoints", "continue"])
    _ok_run(res)
    tables = cdb.bp_tables(res)
    assert sorted(tables[0][1]) == [2, 3], "after delete 1: %r" % sorted(tables[0][1])
    assert tables[1][1] == {}, "after delete: %r" % sorted(tables[1][1])
    assert [h.bp for h in cdb.hits(res)] == [1, 2], [res.lines[h.index] for h in cdb.hits(res)]
    res.one(BASIC_TOTAL)


def test_bad_breakpoint_numbers():
    res = batch([program("BpBasic")],
                ["break Program.cs:%d" % m("tick"), "delete 9", "disable 7", "enable x", "info b"])
    errs = res.error_lines()
    assert len(errs) == 3, "expected one error per bad number: %r" % errs
    assert res.status == 1
    assert sorted(_last_table(res)) == [1]


# ---------------------------------------------------------------- lines and bad locations

def test_line_without_code_moves_to_next_line():
    nocode, nxt = m("nocode"), m("nocode_next")
    res = batch([program("BpBasic")],
                _stopped_at_main_first() + ["break Program.cs:%d" % nocode, "continue", "continue"])
    _ok_run(res)
    a = res.one(cdb.RE_BP_AT)
    assert (a.group(2), a.group(3), a.group(4)) == ("2", "Program.cs:%d" % nxt, str(nocode)), a.group(0)
    hs = cdb.hits(res, 2)
    assert len(hs) == 1
    _check_hit(res, hs[0], 2, r"BpTests\.Program\.NoCode\(int k\)", nxt, "nocode_next")


def test_line_without_code_pending_binds_to_next_line():
    nocode, nxt = m("nocode"), m("nocode_next")
    res = batch([program("BpBasic")], ["break Program.cs:%d" % nocode, "run", "continue"])
    _ok_run(res)
    b = res.one(cdb.RE_BP_BOUND)
    assert b.group(2) == "Program.cs:%d" % nxt, b.group(0)
    hs = cdb.hits(res)
    assert len(hs) == 1
    _check_hit(res, hs[0], 1, r"BpTests\.Program\.NoCode\(int k\)", nxt, "nocode_next")


def test_line_past_end_is_error():
    res = batch([program("BpBasic")], _stopped_at_main_first() + ["break Program.cs:9999", "info b"])
    errs = res.error_lines()
    assert len(errs) == 1, errs
    assert "Program.cs" in errs[0] and re.search(r"\b%d\b" % m("lastcode"), errs[0]), \
        "error should name the file and its last line with code (%d): %r" % (m("lastcode"), errs[0])
    assert res.status == 1
    assert sorted(_last_table(res)) == [1], "a breakpoint was created for a line past the end"
    res.hasnt(r"^Breakpoint 2\b")


def test_line_in_no_method_is_error():
    # a field declaration between methods: the next line with code is in another method
    # (the static constructor), so the breakpoint must be refused, not moved there
    res = batch([program("BpBasic")],
                _stopped_at_main_first() + ["break Program.cs:%d" % m("in_no_method"), "info b"])
    errs = res.error_lines()
    assert len(errs) == 1, "expected one error for a line in no method, got %r; stdout %r" % (
        errs, [l for l in res.lines if l.startswith("Breakpoint 2")])
    assert res.status == 1
    assert sorted(_last_table(res)) == [1], "a breakpoint was created for a line in no method"


def test_malformed_locations_are_errors():
    bad = ["Program.cs:abc", "::", "Program.cs:", "Program.cs:0", "Program.Add(int"]
    res = batch([program("BpBasic")], ["break " + b for b in bad] + ["info breakpoints"])
    errs = res.error_lines()
    assert len(errs) == len(bad), "expected one error per malformed location %r, got %r" % (bad, errs)
    assert res.status == 1
    assert _last_table(res) == {}, "breakpoints created from malformed locations: %r" % [
        r.group(0) for r in _last_table(res).values()]
    res.hasnt(r"^(Temporary )?[Bb]reakpoint \d+ ")


def test_unknown_method_and_file_stay_pending():
    res = batch([program("BpBasic")],
                _stopped_at_main_first() + ["break Nope.NoSuchMethod", "break Missing.cs:3",
                                            "info breakpoints", "continue"])
    _ok_run(res)
    ps = {int(p.group(2)): p for p in res.grep(cdb.RE_BP_PENDING)}
    assert set(ps) == {1, 2, 3}, [p.group(0) for p in ps.values()]  # 1: before run
    assert "Nope.NoSuchMethod" in ps[2].group(4), "reason should name the method: %r" % ps[2].group(0)
    assert "Missing.cs" in ps[3].group(4), "reason should name the file: %r" % ps[3].group(0)
    rows = _last_table(res)
    for n in (2, 3):
        assert rows[n].group(6) == "pending", rows[n].group(0)
        assert rows[n].group(8), "pending row shows no reason: %r" % rows[n].group(0)
    assert not cdb.hits(res, 2) and not cdb.hits(res, 3)
    res.one(BASIC_TOTAL)


# ---------------------------------------------------------------- methods

def _method_hit_line_ok(h, mark):
    """A method breakpoint stops at the method's first line with code: at or a little
    before the marked line inside it (its `{` or the constructor's declaration)."""
    line = m(mark)
    assert h.file == "Program.cs" and line - 3 <= h.line <= line, \
        "method breakpoint hit at %s:%d, expected near %d" % (h.file, h.line, line)


def test_method_all_overloads():
    res = batch([program("BpBasic")], ["break Program.Add", "run", "continue", "continue", "continue"])
    _ok_run(res)
    b = res.one(cdb.RE_BP_BOUND)
    assert re.search(r"\(3 locations\)$", b.group(2)), "3 overloads: %r" % b.group(0)
    hs = cdb.hits(res)
    sigs = [h.method for h in hs]
    assert sigs == ["BpTests.Program.Add(int a, int b)", "BpTests.Program.Add(int a, string b)",
                    "BpTests.Program.Add(string a, string b)"], sigs
    for h, mk in zip(hs, ["add_int_int", "add_int_string", "add_string_string"]):
        _method_hit_line_ok(h, mk)
        cdb.source_line(res, h.index, h.line)


@cdb.matrix("BpBasic")
def test_method_overload_by_parameter_types():
    res = batch([program("BpBasic")],
                ["break Program.Add(int, string)", "break BpTests.Program.Add(string,string)",
                 "run", "continue", "continue"])
    _ok_run(res)
    bs = {int(b.group(1)): b.group(2) for b in res.grep(cdb.RE_BP_BOUND)}
    assert set(bs) == {1, 2}, bs
    for n in (1, 2):
        assert bs[n].endswith("(1 location)"), "breakpoint %d: %r" % (n, bs[n])
    hs = cdb.hits(res)
    assert [(h.bp, h.method) for h in hs] == [
        (1, "BpTests.Program.Add(int a, string b)"), (2, "BpTests.Program.Add(string a, string b)")], \
        [res.lines[h.index] for h in hs]


def test_constructor_dotctor():
    res = batch([program("BpBasic")], ["break Widget..ctor", "run", "continue"])
    _ok_run(res)
    hs = cdb.hits(res)
    assert len(hs) == 1, [res.lines[h.index] for h in hs]
    assert hs[0].method == "BpTests.Widget..ctor(string name)", hs[0].method
    _method_hit_line_ok(hs[0], "ctor")
    assert hs[0].index < res.index(r"^name gadget$")


def test_constructor_type_dot_type():
    # the issue: constructors as `.ctor` or `Type.Type`
    res = batch([program("BpBasic")], ["break BpTests.Widget.Widget", "run", "continue"])
    hs = cdb.hits(res)
    assert len(hs) == 1, "Widget.Widget: %d hits; %r" % (len(hs), [l for l in res.lines if "reakpoint" in l])
    assert hs[0].method == "BpTests.Widget..ctor(string name)", hs[0].method
    _ok_run(res)


def test_property_getter():
    res = batch([program("BpBasic")], ["break Widget.get_Name", "run", "continue"])
    _ok_run(res)
    hs = cdb.hits(res)
    assert len(hs) == 1
    assert hs[0].method == "BpTests.Widget.get_Name()", hs[0].method
    _method_hit_line_ok(hs[0], "getter")
    assert hs[0].index < res.index(r"^name gadget$")


def test_static_constructor():
    cctor = m("cctor")
    res = batch([program("BpBasic")],
                ["break Program.cs:%d" % cctor, "break BpTests.Config..cctor", "run", "continue",
                 "continue"])
    _ok_run(res)
    hs = cdb.hits(res)
    assert sorted(h.bp for h in hs) == [1, 2], [res.lines[h.index] for h in hs]
    for h in hs:
        assert h.method == "BpTests.Config..cctor()", h.method
    line_hit = [h for h in hs if h.bp == 1][0]
    _check_hit(res, line_hit, 1, r"BpTests\.Config\.\.cctor\(\)", cctor, "cctor")
    assert max(h.index for h in hs) < res.index(r"^config 42$")


def test_generic_method_two_instantiations():
    echo = m("echo")
    res = batch([program("BpBasic")],
                ["break Program.cs:%d" % echo, "run", "continue", "continue"])
    _ok_run(res)
    hs = cdb.hits(res)
    assert len(hs) == 2, "Echo<int> and Echo<string>: expected 2 hits, got %d" % len(hs)
    for h in hs:
        _check_hit(res, h, 1, r"BpTests\.Program\.Echo(<[^>]*>)?\(\w+ value\)", echo, "echo")
    # one stop per instantiation: Echo(7) printed between them, Echo("seven") after
    assert hs[0].index < res.index(r"^echo 7$") < hs[1].index < res.index(r"^echo seven$")


def test_generic_method_by_name():
    res = batch([program("BpBasic")], ["break BpTests.Program.Echo", "run", "continue", "continue"])
    _ok_run(res)
    hs = cdb.hits(res)
    assert len(hs) == 2, "expected 2 hits (Echo<int>, Echo<string>), got %d" % len(hs)
    for h in hs:
        _method_hit_line_ok(h, "echo")
    assert hs[0].index < res.index(r"^echo 7$") < hs[1].index


def test_method_of_generic_type():
    get = m("box_get")
    res = batch([program("BpBasic")],
                ["break Box.Get", "break Program.cs:%d" % get, "run"] + ["continue"] * 4)
    _ok_run(res)
    hs = cdb.hits(res)
    assert sorted(h.bp for h in hs) == [1, 1, 2, 2], [res.lines[h.index] for h in hs]
    for h in hs:
        assert re.fullmatch(r"BpTests\.Box(<\w+>)?\.Get\(\)", h.method), h.method
    for h in cdb.hits(res, 2):
        _check_hit(res, h, 2, r"BpTests\.Box(<\w+>)?\.Get\(\)", get, "box_get")
    assert max(h.index for h in hs) < res.index(r"^box 5 s$")


# ---------------------------------------------------------------- compiler-generated code

def test_lambda_line_binds_in_method_and_lambda():
    line = m("lambda_shared")
    res = batch([program("BpBasic")], ["break Program.cs:%d" % line, "run", "info b"] + ["continue"] * 4)
    _ok_run(res)
    row = _last_table(res)[1]
    assert row.group(6) == "bound, 2 locations", "Lambdas() and its lambda: %r" % row.group(0)
    hs = cdb.hits(res)
    assert len(hs) == 4, "1 hit in Lambdas() + 3 in the lambda, got %d" % len(hs)
    _check_hit(res, hs[0], 1, r"BpTests\.Program\.Lambdas\(\)", line, "lambda_shared")
    for h in hs[1:]:
        _check_hit(res, h, 1, r"BpTests\.Program\.Lambdas\.AnonymousMethod__\d+_\d+\(int x\)", line, "lambda_shared")


def test_lambda_body_line():
    line = m("lambda_body")
    res = batch([program("BpBasic")], ["break Program.cs:%d" % line, "run", "continue"])
    _ok_run(res)
    hs = cdb.hits(res)
    assert len(hs) == 1
    _check_hit(res, hs[0], 1, r"BpTests\.Program\.Lambdas\.AnonymousMethod__\d+_\d+\(int x\)", line, "lambda_body")


def test_iterator_after_yield_return():
    line = m("after_yield")
    res = batch([program("BpBasic")], ["break Program.cs:%d" % line, "run", "continue"])
    _ok_run(res)
    hs = cdb.hits(res)
    assert len(hs) == 1
    # the iterator runs as MoveNext of a generated type; the stop names the user's method
    _check_hit(res, hs[0], 1, r"BpTests\.Program\.Numbers\(\)", line, "after_yield")


@cdb.matrix("BpBasic")
def test_async_after_await():
    line = m("after_await")
    res = batch([program("BpBasic")], ["break Program.cs:%d" % line, "run", "continue"])
    _ok_run(res)
    hs = cdb.hits(res)
    assert len(hs) == 1, "the line after the await runs once: %d hits" % len(hs)
    _check_hit(res, hs[0], 1, r"BpTests\.Program\.WorkAsync\(\)", line, "after_await")
    res.one(BASIC_TOTAL)


def test_finally_block():
    line = m("finally")
    res = batch([program("BpBasic")], ["break Program.cs:%d" % line, "run", "continue"])
    _ok_run(res)
    hs = cdb.hits(res)
    assert len(hs) == 1
    _check_hit(res, hs[0], 1, r"BpTests\.Program\.WithFinally\(\)", line, "finally")


# ---------------------------------------------------------------- modules

def test_module_file_line_and_module_method():
    fin = m("finally")
    res = batch([program("BpBasic")],
                ["break BpBasic!Program.cs:%d" % fin, "break BpBasic!WithFinally",
                 "break NoSuchModule!Program.cs:%d" % fin, "run", "info breakpoints",
                 "continue", "continue"])
    _ok_run(res)
    ps = {int(p.group(2)): p.group(3) for p in res.grep(cdb.RE_BP_PENDING)}
    assert ps.get(1) == "BpBasic!Program.cs:%d" % fin and ps.get(2) == "BpBasic!WithFinally", ps
    bound = {int(b.group(1)) for b in res.grep(cdb.RE_BP_BOUND)}
    assert bound == {1, 2}, "bound: %r" % sorted(bound)
    rows = _last_table(res)
    assert rows[3].group(6) == "pending", "a breakpoint in another module bound: %r" % rows[3].group(0)
    hs = cdb.hits(res)
    assert [h.bp for h in hs] == [2, 1], [res.lines[h.index] for h in hs]
    assert hs[0].method == "BpTests.Program.WithFinally()"
    _check_hit(res, hs[1], 1, r"BpTests\.Program\.WithFinally\(\)", fin, "finally")


def test_pending_in_assembly_loaded_later():
    line = find_mark("BpPlugin", "plugin_run")
    before = find_mark("BpLoader", "before_load")
    assert os.path.exists(os.path.join(os.path.dirname(os.path.dirname(program("BpLoader"))),
                                       "BpPlugin", "BpPlugin.dll")), "BpPlugin not built"
    res = batch([program("BpLoader")],
                ["break Plugin.cs:%d" % line, "break BpPlugin!BpPluginNs.Plugin.Run",
                 "break Program.cs:%d" % before, "run", "info breakpoints", "continue",
                 "info breakpoints", "continue", "continue"])
    _ok_run(res)
    tables = cdb.bp_tables(res)
    at_before = tables[0][1]
    for n in (1, 2):
        assert at_before[n].group(6) == "pending", "plugin breakpoint %d before the load: %r" % (
            n, at_before[n].group(0))
    loaded = res.index(r"^Loaded '/[^']*/BpPlugin\.dll' \(symbols loaded\)$")
    assert tables[0][0] < loaded, "BpPlugin loaded before the stop at before_load"
    bound = {int(b.group(1)): i for i, b in cdb.stops(res, cdb.RE_BP_BOUND)}
    for n in (1, 2):
        assert n in bound, "breakpoint %d never bound" % n
        assert loaded < bound[n], "breakpoint %d bound before the plugin loaded" % n
    hs = [h for h in cdb.hits(res) if h.bp in (1, 2)]
    assert sorted(h.bp for h in hs) == [1, 2], [res.lines[h.index] for h in hs]
    assert all(bound[n] < hs[0].index for n in (1, 2))
    for h in hs:
        assert h.method == "BpPluginNs.Plugin.Run(int x)", h.method
        assert h.file == "Plugin.cs"
    _check_hit(res, [h for h in hs if h.bp == 1][0], 1, r"BpPluginNs\.Plugin\.Run\(int x\)", line,
               "plugin_run", file="Plugin.cs")
    assert max(h.index for h in hs) < res.index(r"^plugin ran 42$") < res.index(r"^loader: result 42$")
    row = tables[1][1][1]
    assert row.group(6) == "bound, 1 location", row.group(0)


def test_unloaded_module_breakpoint_becomes_pending():
    # BpLoader unload: the plugin in a collectible AssemblyLoadContext, called, unloaded
    line = find_mark("BpPlugin", "plugin_run")
    after = find_mark("BpLoader", "after_unload")
    res = batch([program("BpLoader"), "unload"],
                ["break Plugin.cs:%d" % line, "break Program.cs:%d" % after, "run", "info breakpoints",
                 "continue", "info breakpoints", "continue"])
    _ok_run(res)
    res.one(r"^loader: unloaded True$")
    hs = cdb.hits(res)
    assert [h.bp for h in hs] == [1, 2], [res.lines[h.index] for h in hs]
    _check_hit(res, hs[0], 1, r"BpPluginNs\.Plugin\.Run\(int x\)", line, "plugin_run", file="Plugin.cs")
    tables = cdb.bp_tables(res)
    assert tables[0][1][1].group(6) == "bound, 1 location", tables[0][1][1].group(0)
    row = tables[1][1][1]
    assert row.group(6) == "pending", "plugin breakpoint after its module unloaded: %r" % row.group(0)
    assert row.group(4) == "1", row.group(0)


# ---------------------------------------------------------------- threads

def test_eight_threads_hit_one_breakpoint_800_times():
    line = find_mark("BpThreads", "hot")
    script = os.path.join(cdb.tmpdir(), "hits.cdb")
    with open(script, "w") as f:
        f.write("break Program.cs:%d\nrun\n" % line)
        f.write("continue\n" * 800)  # run -> hit 1, 799 continues -> hits 2..800, 1 -> exit
        f.write("info breakpoints\n")
    res = cdb.run(["--batch", "-x", script, "--", program("BpThreads")], timeout=240)
    _ok_run(res)
    res.one(r"^BpThreads: total 3600$")  # 100 * (1+2+...+8)
    hs = cdb.hits(res)
    assert len(hs) == 800, "expected 800 hit lines, got %d" % len(hs)
    per_thread = {}
    for h in hs:
        assert (h.bp, h.file, h.line) == (1, "Program.cs", line), res.lines[h.index]
        assert h.method == "Program.Work(int k, System.Threading.Barrier start)", h.method
        cdb.source_line(res, h.index, line, "hot")
        per_thread[h.thread] = per_thread.get(h.thread, 0) + 1
    assert len(per_thread) == 8, "hits on %d threads, expected 8: %r" % (len(per_thread), per_thread)
    assert all(n == 100 for n in per_thread.values()), "hits per thread: %r" % per_thread
    row = _last_table(res)[1]
    assert row.group(4) == "800", "info breakpoints hit count: %r" % row.group(0)
    assert hs[-1].index < res.index(r"^BpThreads: total 3600$")


test_eight_threads_hit_one_breakpoint_800_times.timeout = 300


# ---------------------------------------------------------------- Debugger.Break, entry

def test_debugger_break_shows_location():
    res = batch([program("LogBreak")], ["run", "continue", "continue"])
    _ok_run(res)
    brks = cdb.stops(res, cdb.RE_BREAK)
    assert len(brks) == 2
    for (i, b), mk in zip(brks, ["break1", "break2"]):
        line = find_mark("LogBreak", mk)
        loc = res.lines[i + 1]
        assert loc == "Program.Main() at Program.cs:%d" % line, "location after %r: %r" % (b.group(0), loc)
        cdb.source_line(res, i + 1, line, mk)


def _check_entry(res, method, line, mark, first_output):
    _ok_run(res)
    es = cdb.stops(res, cdb.RE_ENTRY)
    assert len(es) == 1, "expected one stop at entry, got %d" % len(es)
    i, e = es[0]
    assert (e.group(2), e.group(3), int(e.group(4))) == (method, "Program.cs", line), e.group(0)
    cdb.source_line(res, i, line, mark)
    assert i < res.index(first_output), "the program's first line ran before the entry stop"
    res.hasnt(cdb.RE_HIT)


def test_start_stops_at_entry():
    # the entry stop is Main's first sequence point, its `{` line, as vsdbg's (issue 16)
    res = batch([program("BpBasic")], ["start", "continue"])
    _check_entry(res, "BpTests.Program.Main(string[] args)", m("main_first") - 1, None,
                 r"^BpBasic: start$")


def test_stop_at_entry_option_top_level_statements():
    res = batch([program("BpTopLevel")], ["run", "continue"], options=["--stop-at-entry"])
    _check_entry(res, "Program.<Main>$(string[] args)", find_mark("BpTopLevel", "first"), "first",
                 r"^BpTopLevel: first$")


def test_set_stop_at_entry_then_run():
    res = batch([program("BpTopLevel")], ["set stop-at-entry on", "run", "continue"])
    _check_entry(res, "Program.<Main>$(string[] args)", find_mark("BpTopLevel", "first"), "first",
                 r"^BpTopLevel: first$")
