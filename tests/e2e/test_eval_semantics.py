"""C#'s semantics in the evaluator (issue 17), over tests/programs/EvalDiff's locals at
@mark:stop: static types (a variable declared object or string is what C# reasons with,
not the object it holds), nullable values and lifted operators, nameof / typeof / default /
tuple literals / interpolated strings / `with`, constant folding and the runtime's
arithmetic faults, assignments limited to C#'s implicit conversions. Each test lets the
program run on afterwards and checks it prints exactly what it prints alone: no
evaluation may change it (`with` copies the record; refused assignments write nothing)."""
import re
import subprocess

import cdb

NAME = "EvalDiff"


def _reference():
    p = subprocess.run(["dotnet", cdb.program(NAME)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p
    return p.stdout.splitlines()


def _check(table):
    """Print each expression at @mark:stop, compare with the table (a string: the whole
    output; a compiled regex: searched), then continue: the program's output must be its own."""
    cmds = ["break Program.cs:%d" % cdb.find_mark(NAME, "stop"), "run"]
    cmds += cdb.print_cmds([e for e, _ in table]) + ["echo @@end", "continue"]
    res = cdb.batch([cdb.program(NAME)], cmds, timeout=180)
    tail = cdb.check_printed(res, table)
    prog = [l for l in res.lines[tail:] if not re.match(r"^(Process \d+ exited|Loaded ')", l)]
    assert prog == _reference(), "the program's output changed under evaluation"
    assert re.search(r"^Process \d+ exited with code 0$", res.stdout, re.M), res.stdout[-2000:]


def cs0030(have, want):
    return "error: CS0030: Cannot convert type '%s' to '%s'" % (have, want)


def test_static_types_decide_operators_and_casts():
    _check([
        # object obj = 17: object's operators only; == is reference equality
        ("obj", "17"), ("obj == (object)17", "false"), ("(object)i == (object)i", "false"),
        ("obj + 1", "error: CS0019: Operator '+' cannot be applied to operands of type 'object' and 'int'"),
        ("-obj", "error: CS0023: Operator '-' cannot be applied to operand of type 'object'"),
        ("(int)obj + 1", "18"), ('obj + "x"', '"17x"'), ("(long)obj", re.compile(r"^error: System\.InvalidCastException")),
        ("(long)(object)17", re.compile(r"^error: System\.InvalidCastException")),
        # string s: no conversion to or from a number (the compiler's error, not the runtime's)
        ("(sbyte)s", cs0030("string", "sbyte")), ("(int)s", cs0030("string", "int")),
        ("(char)s", cs0030("string", "char")), ("(decimal)s", cs0030("string", "decimal")),
        ("(string)i", cs0030("int", "string")), ("(string)d", cs0030("double", "string")),
        ("(string)m", cs0030("decimal", "string")), ("(string)pt", cs0030("Point", "string")),
        # object ostr = "boxed": the same casts are the runtime's to decide
        ("(int)ostr", "error: System.InvalidCastException: Unable to cast object of type 'string' to type 'int'."),
        ("(string)ostr", '"boxed"'), ('ostr == "boxed"', "true"),
        ("s is object", "true"), ("nul is object", "false"), ("obj is int", "true"),
        ("(char)f", "'\\u0001'"),
        # fields, properties and array elements have their declared types too
        ("Boxed + 1", "error: CS0019: Operator '+' cannot be applied to operands of type 'object' and 'int'"),
        ("(int)Boxed + 1", "6"), ("objs[0] + 1", re.compile(r"^error: CS0019: .*'object' and 'int'")),
        ("(int)objs[0] + 1", "2"), ('objs[1] + "!"', '"two!"'), ("(int)rec.Name", cs0030("string", "int")),
        ("(char)pair.name", cs0030("string", "char")), ("(string)pt.X", cs0030("int", "string")),
        ("(int)objs[1]", re.compile(r"^error: System\.InvalidCastException")),
        ("(int)s.ToUpper()", cs0030("string", "int")), ("(int)Describe(pt)", cs0030("string", "int")),
    ])


def test_nullable_values_and_lifted_operators():
    _check([
        ("ni", "42"), ("nn", "null"), ("ni + 1", "43"), ("nn + 1", "null"), ("ni * ni", "1764"),
        ("ni == 42", "true"), ("nn == null", "true"), ("ni != nn", "true"), ("nn > 40", "false"),
        ("nn < ni", "false"), ("ni + nd", "42.5"), ("-ni", "-42"), ("~ni", "-43"), ("-nn", "null"),
        ("nn ?? -1", "-1"), ("ni ?? -1", "42"), ("nn ?? ni ?? 0", "42"), ("(ni ?? 0) + 1", "43"),
        ("(int?)i", "-123456"), ("(long?)ni", "42"), ("(int?)nn", "null"), ("(int)ni", "42"),
        ("(int)nn", "error: System.InvalidOperationException: Nullable object must have a value."),
        ("(string)ni", cs0030("int?", "string")),
        ("ni.HasValue", "true"), ("nn.HasValue", "false"), ("ni.Value", "42"),
        ("nn.GetValueOrDefault(5)", "5"), ("nul?.Length > 0", "false"), ("nul?.Length ?? -1", "-1"),
    ])


def test_nameof_typeof_default_tuples_interpolation_with():
    _check([
        ("nameof(i)", '"i"'), ("nameof(s.Length)", '"Length"'), ("nameof(List<int>)", '"List"'),
        ("nameof(nosuch)", "error: CS0103: The name 'nosuch' does not exist in the current context"),
        # typeof is the program's own Type object: it shows as the runtime prints it
        ("typeof(int)", re.compile(r"^System\.Int32\n")), ("typeof(int).Name", '"Int32"'),
        ("obj.GetType() == typeof(int)", "true"), ("typeof(Person).FullName", '"Person"'),
        ("default(Point).X", "0"), ("default(int)", "0"), ("default(string)", "null"),
        ("(i, s).Item1", "-123456"), ("(a: 1, b: 2).b", "2"), ('(1, "a").Item2', '"a"'),
        ('$"{i}:{s}"', '"-123456:Hello, World"'), ('$"{d:F1}"', '"-2.2"'),
        ('$"[{i,9}|{s,-14}]"', '"[  -123456|Hello, World  ]"'), ('$"{{{ni}}} {nul}!"', '"{42} !"'),
        ('$"{m:F3}"', '"10.500"'), ('$"{s:X}|{i:X}"', '"Hello, World|FFFE1DC0"'),   # a string ignores a format
        ("(rec with { Age = 37 }).Age", "37"), ('(rec with { Name = "Bob" }).Name', '"Bob"'),
        ("rec.Age", "36"), ('rec.Name', '"Ada"'),   # the original is untouched
    ])


def test_arithmetic_facts_and_assignment_conversions():
    _check([
        ("imin % -1", "error: System.OverflowException: Arithmetic operation resulted in an overflow."),
        ("lmin % -1", "error: System.OverflowException: Arithmetic operation resulted in an overflow."),
        ("int.MinValue % -1", "0"),   # the compiler folds the constant
        ("int.MinValue / -1", "error: CS0220: The operation overflows at compile time in checked mode"),
        ("unchecked(int.MaxValue + 1)", "-2147483648"),
        ("checked((int)1e10)", re.compile(r"^error: CS0221: Constant value '10000000000' cannot be converted to a 'int'")),
        ("1 + color", "Blue"), ("perm | 0", "Read | Write"),
        # assignments: only C#'s implicit conversions (refused ones write nothing)
        ("c = by", "error: CS0266: Cannot implicitly convert type 'byte' to 'char'. An explicit conversion exists (are you missing a cast?)"),
        ("i = l", re.compile(r"^error: CS0266: Cannot implicitly convert type 'long' to 'int'")),
        ("sh = sh + 1", re.compile(r"^error: CS0266: Cannot implicitly convert type 'int' to 'short'")),
        ("by = 300", "error: CS0031: Constant value '300' cannot be converted to a 'byte'"),
        ("c", "'A'"), ("i", "-123456"), ("by", "200"),
        # accepted ones, put back before the program goes on
        ("l = i", "-123456"), ("l = -9000000000", "-9000000000"), ("by = 200", "200"),
        ("i = c", "65"), ("i = -123456", "-123456"),    # the value of x = y is x's
        ("m = by", "200"), ("m", "200"), ("m = 10.5m", "10.5"),     # int to decimal: implicit
        # a number into an object home is boxed; object into string needs a cast
        ("obj = 18", "18"), ("(int)obj + 1", "19"), ("objs[0] = 7", "7"), ("(int)objs[0]", "7"),
        ("s = ostr", "error: CS0266: Cannot implicitly convert type 'object' to 'string'. An explicit conversion exists (are you missing a cast?)"),
        ("obj = 17", "17"), ("objs[0] = 1", "1"),
    ])
