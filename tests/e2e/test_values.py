"""Values (issue 6): one of each kind of value in tests/programs/Values, shown by print, info
locals/args, ptype and info statics, checked value by value; set var of each kind, then the
program's own output says it saw the new value."""
import re

import cdb
from cdb import batch, program

NAME = "Values"


def _blocks(res):
    """print outputs keyed by the marker printed before each: {label: [lines]}."""
    out, cur = {}, None
    for line in res.lines:
        m = re.fullmatch(r'@@(.*)', line)
        if m:
            cur = m.group(1) if m.group(1) != "end" else None
            if cur is not None:
                out[cur] = []
        elif cur is not None:
            out[cur].append(line)
    return out


def _prints(exprs, extra_before=(), extra_after=()):
    """Stop at @mark:all and print each expression after a marker line."""
    cmds = ["break Program.cs:%d" % cdb.find_mark(NAME, "all"), "run"] + list(extra_before)
    for i, e in enumerate(exprs):
        cmds += ['echo @@%d' % i, "print " + e]
    cmds += ['echo @@end'] + list(extra_after) + ["kill"]
    res = batch([program(NAME)], cmds, timeout=180)
    b = _blocks(res)
    return res, [b.get(str(i), []) for i in range(len(exprs))]


def _check(table):
    exprs = [e for e, _ in table]
    res, outs = _prints(exprs)
    bad = []
    for (e, want), got in zip(table, outs):
        text = "\n".join(got)
        if isinstance(want, str):
            ok = got[:1] == [want]
        else:
            # errors go to stderr: check them there, in order of the prints
            ok = want.search(text) is not None or (not got and want.search(res.stderr) is not None)
        if not ok:
            bad.append("print %s\n    got:  %r\n    want: %r" % (e, text, want if isinstance(want, str) else want.pattern))
    assert not bad, "\n".join(bad) + "\n--- stderr:\n" + res.stderr


@cdb.matrix("Values")
def test_primitives():
    _check([
        ("b", "true"), ("bFalse", "false"), ("by", "255"), ("sb", "-128"), ("sh", "-1234"), ("us", "65535"),
        ("i", "42"), ("ui", "4000000000"), ("l", "-9000000000"), ("ul", "18446744073709551615"),
        ("f", "1.5"), ("d", "2.5"), ("dTenth", "0.1"), ("dec", "123.45"), ("negDec", "-0.001"),
        ("decMax", "79228162514264337593543950335"), ("ch", "'A'"), ("newline", r"'\n'"),
        ("eAcute", "'\u00e9'"), ("nulChar", r"'\0'"), ("nativeInt", "-7"), ("nativeUInt", "7"),
        ("intMin", "-2147483648"), ("longMax", "9223372036854775807"), ("nan", "NaN"),
        ("posInf", "Infinity"), ("negInf", "-Infinity"), ("answer", "42"),
        ("count", "3"), ("label", '"inspect"'),
    ])


def test_strings_enums_nullables():
    _check([
        ("s", '"hello"'), ("emptyStr", '""'), ("nullStr", "null"),
        ("escapes", r'"tab\tquote\"nl\n\\"'), ("unicode", '"h\u00e9llo \u2713"'),
        ("longStr", re.compile(r'^"x{512}"\.\.\. \(5000 characters\)$')),
        ("color", "Green"), ("badColor", "42"), ("perm", "Read | Exec"), ("permNone", "None"),
        ("boxedColor", "Blue"), ("nullableInt", "5"), ("none", "null"), ("noPoint", "null"),
        ("maybePoint", re.compile(r"^\{Values\.Point\}\n  X = 5\n  Y = 6$")),
    ])


def test_structs_classes_inheritance():
    _check([
        ("pt", re.compile(r"^\{Values\.Point\}\n  X = 1\n  Y = 2$")),
        ("line", re.compile(r"^\{Values\.Line\}\n  End = \{Values\.Point\}\n  Start = \{Values\.Point\}\n  Width = 5$")),
        ("line.Start.X", "1"),
        # auto-property shown by its name (no backing field), computed property by its getter
        ("person", re.compile(r'^\{Values\.Person\}\n  Age = 30\n  City = "Paris"\n  Greeting = "Hello, Alice"\n'
                              r'  Name = "Alice"\n  nickname = "alice"\n  secret = 111$')),
        # inherited fields and properties are there
        ("employee", re.compile(r'(?s)^\{Values\.Employee\}.*\n  Age = 40\n.*  badge = 77\n.*  Company = "ACME"\n'
                                r'.*  Name = "Bob"\n.*  Salary = 5000\.5\n.*  secret = 222$')),
        ("employeeAsPerson.Age", "40"), ("person.Name", '"Alice"'), ("person.Greeting", '"Hello, Alice"'),
        ("nobody", "null"), ("nothing", "null"), ("o", "{object}"),
        ("boxed", "42"), ("boxedPoint", re.compile(r"^\{Values\.Point\}\n  X = 7\n  Y = 8$")),
        ("tuple", "(7, seven)"), ("money", "12.50 EUR"),
        # a record: its members, not the compiler's EqualityContract
        ("rec", re.compile(r'^Rec \{ A = 1, B = b \}\n  A = 1\n  B = "b"$')),
    ])


def test_arrays():
    _check([
        ("arr", re.compile(r"^\{int\[3\]\}\n  \[0\] = 1\n  \[1\] = 2\n  \[2\] = 3$")),
        ("emptyArr", "{int[0]}"),
        ("names", re.compile(r'^\{string\[3\]\}\n  \[0\] = "a"\n  \[1\] = null\n  \[2\] = "c"$')),
        ("grid", re.compile(r"^\{int\[2, 3\]\}\n  \[0, 0\] = 1\n  \[0, 1\] = 2\n  \[0, 2\] = 3\n  \[1, 0\] = 4\n"
                            r"  \[1, 1\] = 5\n  \[1, 2\] = 6$")),
        ("grid[1, 2]", "6"),
        ("jagged", re.compile(r"^\{int\[3\]\[\]\}\n  \[0\] = \{int\[1\]\}\n  \[1\] = \{int\[2\]\}\n  \[2\] = \{int\[0\]\}$")),
        ("jagged[1][1]", "3"),
        ("lbArr", re.compile(r"^\{int\[5\.\.7\]\}\n  \[5\] = 50\n  \[6\] = 51\n  \[7\] = 52$")),
        ("points", re.compile(r"^\{Values\.Point\[2\]\}\n  \[0\] = \{Values\.Point\}\n  \[1\] = \{Values\.Point\}$")),
        ("points[1].X", "3"),
        ("big", re.compile(r"^\{int\[1000000\]\}\n  \[0\] = 0\n  \[1\] = 2\n(  \[\d+\] = \d+\n){97}  \[99\] = 198\n  \.\.\. 999900 more$")),
        ("big[999999]", "1999998"), ("arr.Length", "3"), ("big.Length", "1000000"),
        ("arr[3]", re.compile(r"IndexOutOfRangeException")),
    ])


@cdb.matrix("Values")
def test_collections_and_debugger_attributes():
    _check([
        ("list", re.compile(r"^Count = 3\n  \[0\] = 1\n  \[1\] = 2\n  \[2\] = 3\n  Raw View$")),
        ("words", re.compile(r'^Count = 2\n  \[0\] = "alpha"\n  \[1\] = "beta"\n  Raw View$')),
        # the framework's own DebuggerTypeProxy: .NET 8's lists KeyValuePairs (shown by their
        # ToString), .NET 9's items named by their keys
        ("dict", re.compile(r'^Count = 2\n  \[0\] = \[one, 1\]\n  \[1\] = \[two, 2\]\n  Raw View$'
                            if cdb.RUNTIME == "net8.0" else
                            r'^Count = 2\n  \["one"\] = 1\n  \["two"\] = 2\n  Raw View$')),
        ("set", re.compile(r"^Count = 3\n  \[0\] = 1\n  \[1\] = 2\n  \[2\] = 3\n  Raw View$")),
        ("queue", re.compile(r"^Count = 3\n  \[0\] = 1\n  \[1\] = 2\n  \[2\] = 3\n  Raw View$")),
        ("stack", re.compile(r"^Count = 3\n  \[0\] = 3\n  \[1\] = 2\n  \[2\] = 1\n  Raw View$")),
        ("list[1]", "2"), ('dict["two"]', "2"), ("list.Count", "3"),
        ("bigList", re.compile(r"^Count = 100000\n  \[0\] = 0\n(.*\n){99}  \.\.\. 99900 more\n  Raw View$")),
        ("order", "Order 17: ACME x3"), ("temp", "21.5 C"),
        ("hidden", re.compile(r"^\{Values\.Hidden\}\n  \[0\] = 10\n  \[1\] = 20\n  \[2\] = 30\n  Shown = 1$")),
        ("bag", re.compile(r"(?s)^\{Values\.Bag\}\n  Contents = \{string\[2\]\}\n  Count = 2\n  Raw View$")),
        ("bag, raw", re.compile(r"(?s)^\{Values\.Bag\}\n  items = \{System\.Collections\.Generic\.List<string>\}$")),
    ])


def test_ptype_statics_and_format():
    res = batch([program(NAME)], [
        "break Program.cs:%d" % cdb.find_mark(NAME, "all"), "run",
        "ptype person", "ptype list", "ptype grid", "ptype nullableInt", "ptype employeeAsPerson", "whatis dict",
        "print/x i", "print i, h", "print/x by", "print s, nq",
        "info statics Values.Person", "print Person.Counter", "print Person.MaxAge", "print Values.Person.Species",
        "info locals", "info args", "kill"], timeout=120)
    for want in ["type = Values.Person", "type = System.Collections.Generic.List<int>", "type = int[,]",
                 "type = int?", "type = Values.Employee", "type = System.Collections.Generic.Dictionary<string, int>",
                 "0x0000002a", "0xff", "hello", "Counter = 3", 'Species = "human"', "150",
                 "count = 3", 'label = "inspect"', "i = 42", 'person = {Values.Person}', "answer = 42"]:
        assert any(l == want for l in res.lines), "missing %r in:\n%s\n%s" % (want, res.stdout, res.stderr)
    assert len(res.grep(r"^0x0000002a$")) == 2
    assert res.has(r"^PerThread = 11$")


@cdb.matrix("Values")
def test_set_var_each_kind_program_sees_it():
    mark = cdb.find_mark(NAME, "all")
    res = batch([program(NAME)], [
        "break Program.cs:%d" % mark, "run",
        "set var count = 9", "set var i = -5", "set var l = 1L << 40", "set var d = 0.25", "set var f = 2",
        'set var s = "changed"', "set var ch = 'z'", "set var b = false", "set var dec = 7.25m",
        "set var color = Color.Blue", "set var pt.X = 11", "set var person.Age = 31", 'set var person.Name = "Zed"',
        "set var Person.Counter = 12", "set var arr[1] = 99", "set var nullableInt = null", "set var list[0] = -1",
        "set var none = 4", "set var nullStr = s",
        # refused, each with a reason, and nothing changes
        'set var i = "text"', "set var by = 300", "set var Person.MaxAge = 1", "set var arr[7] = 1",
        "continue"], timeout=180)
    for want in ["count=9", "i=-5", "l=1099511627776", "d=0.25", "f=2", "s=changed", "ch=z", "b=False",
                 "dec=7.25", "color=Blue", "pt.X=11", "person.Age=31", "person.Name=Zed", "Person.Counter=12",
                 "arr[1]=99", "nullableInt=null", "list[0]=-1", "none=4", "nullStr=changed"]:
        assert res.has("^" + re.escape(want) + "$"), "program did not see %r:\n%s\n%s" % (want, res.stdout, res.stderr)
    errs = res.error_lines()
    assert any("Cannot implicitly convert type 'string' to 'int'" in e for e in errs), errs
    assert any("byte" in e for e in errs), errs
    assert any("IndexOutOfRange" in e for e in errs), errs
    assert any("cannot be assigned" in e or "read only" in e or "MaxAge" in e for e in errs), errs
    assert res.has(r"^Values: done$")
