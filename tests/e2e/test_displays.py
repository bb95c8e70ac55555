"""Displays as Visual Studio shows them (issue 17), in the CLI: anonymous types, a
DebuggerDisplay naming an explicitly implemented member, the Non-Public members group, Raw
View, Results View (`print x, results`), `print x, raw`. Each test checks the program still
ends with its normal output."""
import re

import cdb
from cdb import batch, program

NAME = "Displays"
END = ("hoverList.Count=3\nevens=0,2,4,6\nquery=3,4,5\nrange=1,2,3,4,5\nanon.N=2\nDisplays: done\n")


def _prints(exprs, before=()):
    """Stop at the marker stop, print each expression after a marker line, continue to the
    end: {expr: output text}, and the result."""
    cmds = list(before) + ["break Program.cs:%d" % cdb.find_mark(NAME, "stop"), "run"]
    for i, e in enumerate(exprs):
        cmds += ["echo @@%d" % i, "print " + e]
    cmds += ["echo @@end", "continue"]
    res = batch([program(NAME)], cmds, timeout=120)
    out, cur = {}, None
    for line in res.lines:
        m = re.fullmatch(r"@@(\w+)", line)
        if m:
            cur = None if m.group(1) == "end" else exprs[int(m.group(1))]
            if cur is not None:
                out[cur] = []
        elif cur is not None:
            out[cur].append(line)
    assert END in res.stdout, "the program's own output changed:\n" + res.stdout + res.stderr
    return {k: "\n".join(v) for k, v in out.items()}, res


def test_anonymous_type():
    out, res = _prints(["anon", "anon.Title"])
    assert out["anon"] == '{ Title = "anon", N = 2 }\n  N = 2\n  Title = "anon"', out["anon"] + res.stderr
    assert out["anon.Title"] == '"anon"'


def test_debugger_display_explicit_member():
    out, res = _prints(["items"])
    assert out["items"].split("\n")[0] == "Count = 3", out["items"] + res.stderr


def test_non_public_members_group():
    out, res = _prints(["ver", "account"])
    # a framework type: public members, then the group with the others
    assert re.fullmatch(r"1\.2\.3\.4\n  Build = 3\n  Major = 1\n(  \w+ = \d+\n)*  Non-Public members\n"
                        r"    _Build = 3\n    _Major = 1\n    _Minor = 2\n    _Revision = 4(\n    .*)*", out["ver"]), out["ver"]
    # the user's own type: everything at the top (vsdbg with just my code)
    assert out["account"] == '{Displays.Account}\n  Level = 2\n  Owner = "ann"\n  pin = 1234', out["account"]


def test_non_public_members_without_just_my_code():
    # as VS: the group hides non-user code's internals only under just my code
    out, res = _prints(["ver"], before=["set just-my-code off"])
    assert "Non-Public members" not in out["ver"], out["ver"]
    assert re.search(r"\n  _Major = 1\n", out["ver"]) and re.search(r"\n  Major = 1\n", out["ver"]), out["ver"]


def test_raw_view_and_print_raw():
    out, res = _prints(["list", "list, raw", "dict, raw"])
    assert out["list"] == "Count = 3\n  [0] = 1\n  [1] = 2\n  [2] = 3\n  Raw View", out["list"]
    # raw: the object's own members; getters still run (evaluation is on), no proxy
    assert re.fullmatch(r"\{System\.Collections\.Generic\.List<int>\}\n  Capacity = \d+\n  Count = 3\n"
                        r"  Non-Public members\n    _items = \{int\[\d+\]\}\n    _size = 3\n    _version = \d+",
                        out["list, raw"]), out["list, raw"]
    assert "turned off" not in out["list, raw"] and "evaluation is off" not in out["list, raw"]
    assert re.search(r"\n  Count = 1\n", out["dict, raw"]), out["dict, raw"]


def test_results_view():
    exprs = ["evens", "query", "range", "evens, results", "query, results", "range, results", "ver, results",
             "broken, results"]
    out, res = _prints(exprs)
    for e in ("evens", "query", "range"):
        assert out[e].endswith("\n  Results View = Expanding the Results View will enumerate the IEnumerable"), out[e]
    assert out["evens, results"].split("\n")[1:] == ["  [0] = 0", "  [1] = 2", "  [2] = 4", "  [3] = 6"], out["evens, results"]
    assert out["query, results"].split("\n")[1:] == ["  [0] = 3", "  [1] = 4", "  [2] = 5"], out["query, results"]
    assert out["range, results"].split("\n")[1:] == ["  [%d] = %d" % (k, k + 1) for k in range(5)], out["range, results"]
    # not an IEnumerable: refused, in one line
    assert out["ver, results"] == "", out["ver, results"]
    assert "error: 'results' needs an object that implements IEnumerable" in res.stderr, res.stderr
    # an enumeration that throws: the items so far, then the exception; the program goes on
    assert out["broken, results"].split("\n")[1:] == [
        "  [0] = 1", "  Error = <error: System.InvalidOperationException: broken>"], out["broken, results"]
