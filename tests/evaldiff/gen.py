#!/usr/bin/env python3
"""Writes tests/programs/EvalDiff: a C# program that evaluates a few thousand expressions
over locals of every kind, and prints each one's value the way a debugger shows it. The
C# compiler is the judge: each expression it rejects is left out of the program and its
error (CSnnnn) recorded instead. tests/e2e/test_evaldiff.py has cordbg print the same
expressions at a breakpoint and compares.

    python3 tests/evaldiff/gen.py        (needs the .NET SDK; rewrites the program)

Output, in tests/programs/EvalDiff/:
  Program.cs       the locals, then `// @mark:stop`, then one P(i, ...) per accepted expression
  exprs.tsv        index, expression, and either `ok` or the compiler's `error CSnnnn` code
Deterministic: the same generator writes the same files."""

import itertools
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
OUTDIR = os.path.join(REPO, "tests", "programs", "EvalDiff")

# The locals: (name, C# type, initializer). Values are chosen so that no division is by
# zero and most conversions can overflow in a checked context.
NUMERIC = [
    ("sb", "sbyte", "-7"), ("by", "byte", "200"), ("sh", "short", "-300"),
    ("us", "ushort", "60000"), ("i", "int", "-123456"), ("ui", "uint", "4000000000"),
    ("l", "long", "-9000000000"), ("ul", "ulong", "18000000000000000000"),
    ("f", "float", "1.5f"), ("d", "double", "-2.25"), ("m", "decimal", "10.5m"),
    ("c", "char", "'A'"),
]
OTHER = [
    ("t", "bool", "true"), ("s", "string", '"Hello, World"'), ("empty", "string", '""'),
    ("nul", "string?", "null"), ("ni", "int?", "42"), ("nn", "int?", "null"),
    ("nd", "double?", "0.5"), ("perm", "Perm", "Perm.Read | Perm.Write"),
    ("all", "Perm", "Perm.All"), ("color", "Color", "Color.Green"),
    ("pt", "Point", "new Point(3, 4)"), ("rec", "Person", 'new Person("Ada", 36)'),
    ("pair", "(string name, int count)", '("pairs", 2)'),
    ("arr", "int[]", "new[] { 5, 3, 9, 1 }"), ("list", "List<int>", "new List<int> { 4, 8, 15 }"),
    ("dict", "Dictionary<string, int>", 'new Dictionary<string, int> { ["one"] = 1, ["two"] = 2 }'),
    ("obj", "object", "17"), ("ostr", "object", '"boxed"'),
    ("words", "string[]", 'new[] { "b", "a", "c" }'),
    ("pts", "Point[]", "new[] { new Point(1, 2), new Point(3, 4) }"),
    ("imin", "int", "int.MinValue"), ("lmin", "long", "long.MinValue"),
    ("objs", "object[]", '{ 1, "two" }'),
]

BINOPS = ["+", "-", "*", "/", "%", "<", "<=", "==", "!=", "&", "|", "^", "<<", ">>", "&&"]
UNOPS = ["-", "+", "~", "!"]
TYPES = ["sbyte", "byte", "short", "ushort", "int", "uint", "long", "ulong", "float",
         "double", "decimal", "char", "bool", "object", "string"]


def expressions():
    ex = []
    names = [n for n, _, _ in NUMERIC] + ["t"]
    # every binary operator over every pair of numeric (and bool) locals
    for op in BINOPS:
        for a, b in itertools.product(names, names):
            ex.append("%s %s %s" % (a, op, b))
    # unary operators
    for op in UNOPS:
        for a in names:
            ex.append("%s%s" % (op, a))
    # conversions, unchecked and checked
    for ty in TYPES:
        for a in names + ["obj", "s"]:
            ex.append("(%s)%s" % (ty, a))
            if ty not in ("object", "string", "bool"):
                ex.append("checked((%s)%s)" % (ty, a))
    # literals and constants folded at run time through locals
    ex += ["i + 1", "i * 2L", "ui + 1", "ul + 1UL", "l - 1", "f * 2", "d / 3", "m / 3",
           "1.0 / 3", "1.0f / 3", "10m / 3", "0.1 + 0.2", "d * 1e300 * 1e10", "-d / 0.0",
           "int.MaxValue", "long.MinValue", "double.Epsilon", "float.MaxValue", "decimal.MaxValue",
           "int.MinValue % -1", "checked(i * i * i)", "unchecked(i * i * i)", "i >>> 3", "ul >> 60",
           "by << 30", "sb >> 1", "(i & 0xff) == 0xc0", "c + 1", "(char)(c + 1)", "c == 'A'",
           "5.4e6", "90.0", "100.0f", "1e-7", "123456789.0", "1.0 / 7", "(float)(1.0 / 7)",
           "d % 1", "m % 4", "-m", "m * m", "(double)m", "(int)d", "(long)f",
           "0.1f + 0.2f", "1e16 + 1", "double.NaN == double.NaN", "double.PositiveInfinity"]
    # nullables and lifted operators
    ex += ["ni + 1", "nn + 1", "ni * ni", "nn == null", "ni == 42", "ni > 40", "nn > 40",
           "ni ?? -1", "nn ?? -1", "nd + 1", "ni.HasValue", "nn.HasValue", "ni.Value",
           "ni.GetValueOrDefault()", "nn.GetValueOrDefault(5)", "-ni", "nn < ni", "ni + nd",
           "(int?)i", "(long?)ni", "(int)ni", "nn ?? ni ?? 0", "nul ?? \"dflt\"", "nul?.Length",
           "s?.Length", "nul?.Length ?? -1", "arr?[1]", "nul == null"]
    # strings
    ex += ['s.Length', 's.ToUpper()', 's.ToLower()', 's.Substring(7)', 's.Substring(0, 5)',
           's.IndexOf("World")', 's.IndexOf(\'o\')', 's.Contains("lo")', 's.StartsWith("He")',
           's.EndsWith("!")', 's.Replace("l", "L")', 's.Split(\',\').Length', 's.Split(\' \')[1]',
           's.Trim()', 's[0]', 's[4]', 's + i', 's + c', 's + null', 's + t', 's + d', 's + m',
           'string.Concat(s, "!")', 'string.Concat(1, 2)', 'string.Format("{0}-{1}", i, s)',
           'string.Join("-", words)', 'string.Join("-", arr)', 'string.Join("-", list)',
           'string.IsNullOrEmpty(empty)', 'string.IsNullOrEmpty(nul)', 'empty.Length',
           's == "Hello, World"', 's != empty', 'string.Compare(s, "Hello")', 's.CompareTo("Z")',
           '"abc".PadLeft(6)', '"x".PadRight(3) + "|"', 's.ToCharArray().Length', 's.Insert(5, "!")',
           's.Remove(5)', 's.LastIndexOf("o")', 'string.Empty', '"a\\tb"', '@"c:\\dir"',
           '$"{i}:{s}"', '$"{d:F1}"', 's.GetHashCode() == s.GetHashCode()', 'i.ToString()',
           'd.ToString()', 'm.ToString()', 'c.ToString()', 't.ToString()', 'perm.ToString()']
    # enums and flags
    ex += ["perm", "all", "color", "Perm.Read", "Perm.None", "Perm.Read | Perm.Execute",
           "perm | Perm.Execute", "perm & Perm.Write", "perm == Perm.Read", "(int)perm", "(Perm)3",
           "(Perm)16", "(Color)1", "(Color)7", "color == Color.Green", "color + 1", "color - Color.Red",
           "perm.HasFlag(Perm.Read)", "perm.HasFlag(Perm.Execute)", "~Perm.Read & Perm.All",
           "Color.Blue", "(int)Color.Blue", "color < Color.Blue"]
    # structs, records, tuples
    ex += ["pt.X", "pt.Y", "pt.X * pt.Y", "pt.Length", "pt.Scale(2).X", "pt.Equals(pt)",
           "rec.Name", "rec.Age", "rec.Age + 1", "rec == new Person(\"Ada\", 36)", "rec.Name.Length",
           "rec with { Age = 37 }", "(rec with { Age = 37 }).Age", "pair.name", "pair.count",
           "pair.Item1", "pair.Item2 * 10", "pt.ToString()", "rec.ToString()"]
    # arrays, lists, dictionaries
    ex += ["arr.Length", "arr[0]", "arr[3]", "arr[4]", "arr[-1]", "arr[1] + arr[2]", "arr.Rank",
           "list.Count", "list[1]", "list[3]", "list.Contains(8)", "list.IndexOf(15)", "dict.Count",
           'dict["one"]', 'dict["three"]', 'dict.ContainsKey("two")', "words[1]", "words.Length",
           "arr.Sum()", "arr.Max()", "list.Sum()", "arr.Contains(9)", "list.First()", "arr.First()",
           "Array.IndexOf(arr, 9)", "arr.GetLength(0)", "list.Capacity >= 3", "dict.Keys.Count"]
    # boxing and object
    ex += ["obj", "(int)obj + 1", "(long)obj", "(long)(int)obj", "obj is int", "obj is string",
           "ostr is string", "obj.Equals(17)", "object.Equals(1, 1)", "object.Equals(obj, 17)",
           "obj.GetType() == typeof(int)", "obj as string", "ostr as string", "(string)ostr",
           "obj.ToString()", "ostr.ToString()", "object.ReferenceEquals(obj, obj)", "obj == (object)17",
           "(object)i", "(IComparable)i", "((IComparable)i).CompareTo(0)", "(ValueType)i"]
    # calls: overloads, params, optional parameters, generics, extension methods
    ex += ["Over(1)", "Over(1L)", "Over(1.0)", "Over(by)", "Over(sh)", "Over(c)", "Over(\"x\")",
           "Over(obj)", "Over(m)", "Over(f)", "Over(ui)", "Over(nul)", "Over(ni)",
           "Sum()", "Sum(1)", "Sum(1, 2, 3)", "Sum(arr)", "Sum(new[] { 1, 2 })",
           "Opt(1)", "Opt(1, 2)", "Opt(1, c: 5)", "Opt(b: 3, a: 1)",
           "Largest(arr)", "Largest(words)", "Largest<int>(arr)", "Largest(new[] { 2.5, 1.5 })",
           "Pick(1, 2L)", "Pick<object>(1, \"a\")", "Twice(i)", "i.Twice()", "by.Twice()",
           "s.Shout()", "arr.Second()", "Describe(pt)", "Describe(rec)", "Describe(perm)",
           "Describe(null)", "Math.Max(i, 3)", "Math.Max(by, sh)", "Math.Abs(sb)", "Math.Round(d)",
           "Math.Round(m, 1)", "Math.Sqrt(16)", "Math.Pow(2, 10)", "Math.Min(f, d)",
           "int.Parse(\"12\") + 1", "int.Parse(\"x\")", "double.Parse(\"2.5\")", "Convert.ToInt32(d)",
           "Convert.ToString(i)", "Math.Clamp(i, 0, 10)", "Math.Sign(l)", "Math.Floor(-d)",
           "Over(1, 2)", "Largest()", "Sum(\"a\")", "Twice(s)", "Opt()", "Opt(c: 1)"]
    # names and misc
    ex += ["nameof(i)", "nameof(s.Length)", "typeof(int)", "sizeof(int)", "default(int)",
           "default(string)", "default(Point).X", "i is int", "s is object", "t ? 1 : 2",
           "t ? \"y\" : null", "i > 0 ? i : -i", "unknownName", "s.NoSuchMember", "i.Foo()",
           "new Point(1, 2).Length", "new int[3].Length", "new List<int>().Count",
           "new string('x', 3)", "(i, s).Item1", "Counter", "Program.Counter", "Counter + 1"]
    # a long left-associative chain
    ex.append(" + ".join(["i"] * 256))
    # calls, more (kept last so that earlier indices stay): better conversion targets, normal
    # and expanded forms, generic or not, ambiguity, named arguments, nullable, decimal and
    # enum defaults, overloads by array element type, inference through IEnumerable<T>
    ex += ["Sg(1)", "Sg(by)", "Sg(sb)", "Sg(i)", "Amb(1, 2)", "Amb(1L, 2)", "Form(1)", "Form()", "Form(1, 2)",
           "Form(arr)", "Gen1(1)", "Gen1(\"x\")", "Gen1(l)", "NOpt()", "NOpt(null)", "NOpt(3)", "NOpt(by)",
           "Money()", "Money(1)", "Paint()", "Paint(0)", "Paint(1)", "Arr(arr)", "Arr(pts)", "Arr(words)",
           "FirstOf(list)", "FirstOf(words)", "FirstOf(arr)", "Opt(1, 2, 3, 4)", "Opt(1, x: 2)", "Opt(c: 1, a: 2)",
           "Sum(1, 2L)", "Over(1, c: 2)", "i.CompareTo(3)", "5.Equals(5)", "i.Equals(l)", "s.Shout().Length",
           "Pick(by, i) + int.MaxValue", "Pick(1, 2L) + int.MaxValue", "Math.Max(1, 2L)", "Math.Max(by, 2)",
           "string.Concat(1, 2, 3, 4, 5)", "string.Format(\"{0}{1}{2}{3}\", 1, 2, 3, 4)", "Describe(pts)",
           "object.Equals(perm, Perm.Read | Perm.Write)", "perm.CompareTo(Perm.All)", "Arr(null)"]
    # issue 17, C#'s semantics: static types (object, string), nullables, new syntax,
    # arithmetic facts; then what the issue lists beyond the sections above
    ex += ["obj + 1", "-obj", "obj + \"x\"", "ostr + \"!\"", "(string)obj", "ostr == \"boxed\"",
           "(object)i == (object)i", "obj is object", "nul is object", "s is string", "ostr.Length",
           "(ValueType)i is int", "obj.Equals(obj)", "(int)obj == 17", "(object)s == s"]
    ex += ["(ni ?? 0) + 1", "nd * 2", "nn.HasValue ? 1 : 0", "ni is int", "nn is int", "ni + ni == 84",
           "(double?)ni", "(object)nn == null", "nn ?? ni", "(int)nd", "(long)ni", "nn * 2 ?? 7",
           "ni - nn", "ni != nn", "nn == nn", "ni >= 42", "~ni", "nd > ni"]
    ex += ["nameof(List<int>)", "nameof(pt.X)", "nameof(Program)", "nameof(arr)", '$"{i,8}|"',
           '$"{s,-14}|"', '$"{m:F3}"', '$"{nul}!"', '$"{{{i}}}"', '$"{pt.X + pt.Y}"',
           '$"{(t ? "y" : "n")}"', '$"{d,8:F2}|"', '$"{color} {perm}"', "default(long)",
           "default(Color)", "default(Point).Y", '(rec with { Name = "Bob" }).Name',
           "(rec with { }).Age", "rec.Age", "(1, 2).Item2", '(a: 1, b: "x").b', "(i, s).Item2.Length",
           "(x: 3, y: 4).x * 2"]
    ex += ["imin % -1", "lmin % -1", "imin / -1", "lmin / -1", "checked(-imin)", "unchecked(-imin)",
           "imin % 1", "int.MinValue / -1", "checked(int.MaxValue + 1)", "unchecked(int.MaxValue + 1)",
           "1e15", "1e17", "123456789012345680.0"]
    # dictionaries, ?. on null and not, tuple elements, enum operators, checked casts
    ex += ['dict["two"] + 1', 'dict["one"] == 1', "dict.ContainsValue(2)", 'dict.Count + dict["two"]',
           "nul?.ToUpper()", "s?.ToUpper()", "nul?.Length > 0", "rec?.Name", "words?[0]", "nul?[0]",
           "(nul?.Length ?? 0) + 1", "arr?.Length", "s?[0]",
           "pair.name.Length", "pair.count + 1", "(pair.count, pair.name).Item1",
           "Perm.Read | Perm.Write", "perm & Perm.Write", "~perm", "perm + 1", "1 + color", "color - 1",
           "Color.Blue - Color.Red", "(perm & Perm.Read) != 0", "perm ^ Perm.All", "perm == 0",
           "(Perm)0 == Perm.None", "perm < Perm.All", "~Perm.None", "perm & ~Perm.Read", "perm | 0",
           "checked((byte)i)", "unchecked((byte)i)", "checked((int)ul)", "unchecked((int)ul)",
           "checked((uint)sb)", "unchecked((short)us)", "checked((char)i)", "unchecked((sbyte)by)",
           "checked((long)d)", "unchecked((ulong)l)", "checked((int)1e10)", "unchecked((int)1e10)"]
    # static types of fields, properties and array elements
    ex += ["Boxed + 1", "(int)Boxed + 1", "Program.Boxed == (object)5", "Boxed is int", "objs[0] + 1",
           "(int)objs[0] + 1", "(string)objs[1]", 'objs[1] + "!"', "(int)objs[1]", "rec.Name + 1",
           "(int)rec.Name", "(char)pair.name", "(string)pt.X", "(int)s.ToUpper()", "(int)Describe(pt)",
           "s.ToUpper() + 1", "(char)s.Substring(1)"]
    return ex


HEADER = """// Generated by tests/evaldiff/gen.py: do not edit. The locals below, then one P(...) per
// expression the C# compiler accepts, printing its value the way a debugger shows it.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;

[Flags] enum Perm { None = 0, Read = 1, Write = 2, Execute = 4, All = Read | Write | Execute }
enum Color { Red, Green, Blue }
struct Point
{
    public int X, Y;
    public Point(int x, int y) { X = x; Y = y; }
    public double Length => Math.Sqrt(X * X + Y * Y);
    public Point Scale(int k) => new Point(X * k, Y * k);
    public override string ToString() => $"({X}, {Y})";
}
record Person(string Name, int Age);
static class Ext
{
    public static int Twice(this int x) => x * 2;
    public static string Shout(this string s) => s.ToUpperInvariant() + "!";
    public static T Second<T>(this T[] a) => a[1];
}
static class Program
{
    public static int Counter = 3;
    public static object Boxed = 5;
    // An explicit static constructor: the statics are set before Main starts (no
    // beforefieldinit), so the debugger sees them at the breakpoint as the program does.
    static Program() { }
    static string Over(int x) => "int";
    static string Over(long x) => "long";
    static string Over(double x) => "double";
    static string Over(decimal x) => "decimal";
    static string Over(object x) => "object";
    static string Over(string x) => "string";
    static int Sum(params int[] xs) { int t = 0; foreach (var x in xs) t += x; return t; }
    static int Opt(int a, int b = 10, int c = 100) => a + b + c;
    static T Largest<T>(params T[] xs) where T : IComparable<T>
    {
        T best = xs[0];
        foreach (var x in xs) if (x.CompareTo(best) > 0) best = x;
        return best;
    }
    static T Pick<T>(T a, T b) => b;
    static string Sg(sbyte x) => "sbyte";
    static string Sg(byte x) => "byte";
    static string Amb(int a, long b) => "int,long";
    static string Amb(long a, int b) => "long,int";
    static string Form(int a) => "normal";
    static string Form(params int[] a) => "expanded " + a.Length;
    static string Gen1(int a) => "int";
    static string Gen1<T>(T a) => "generic " + typeof(T).Name;
    static string NOpt(int? x = null) => x.HasValue ? "v" + x.Value : "none";
    static string Money(decimal m = 2.5m) => "m" + m;
    static string Paint(Color k = Color.Blue) => "paint " + k;
    static string Arr(int[] a) => "int[]";
    static string Arr(Point[] a) => "Point[]";
    static string Arr(object[] a) => "object[]";
    static string FirstOf<T>(IEnumerable<T> items) => "first " + items.First();
    static int Twice(int x) => x * 2;
    static string Describe(object? o) => o == null ? "nothing" : o.GetType().Name;

    // The value as a debugger shows it: strings and chars quoted and escaped as C# literals,
    // numbers in .NET's invariant round-trip form, bool as true/false, flags joined with |.
    static string Show(object? v)
    {
        switch (v)
        {
            case null: return "null";
            case string str: return Quote(str, '"');
            case char ch: return Quote(ch.ToString(), '\\'');
            case bool b: return b ? "true" : "false";
            case float x: return x.ToString(CultureInfo.InvariantCulture);
            case double x: return x.ToString(CultureInfo.InvariantCulture);
            case decimal x: return x.ToString(CultureInfo.InvariantCulture);
            case Enum e: return e.ToString().Replace(", ", " | ");
            case IFormattable x: return x.ToString(null, CultureInfo.InvariantCulture);
            default: return "{" + v.GetType().ToString() + "}";
        }
    }
    static string Quote(string text, char q)
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(q);
        foreach (var ch in text)
        {
            switch (ch)
            {
                case '\\\\': sb.Append("\\\\\\\\"); break;
                case '\\n': sb.Append("\\\\n"); break;
                case '\\r': sb.Append("\\\\r"); break;
                case '\\t': sb.Append("\\\\t"); break;
                case '\\0': sb.Append("\\\\0"); break;
                case var u when u < ' ' || u == '\\x7f':
                    sb.Append("\\\\u").Append(((int)u).ToString("x4"));
                    break;
                default:
                    if (ch == q) sb.Append('\\\\');
                    sb.Append(ch);
                    break;
            }
        }
        return sb.Append(q).ToString();
    }
    // Expressions are evaluated in Main itself (no lambda), so that its locals stay plain
    // locals for the debugger.
    static void P(int k, object? v) => Console.WriteLine("E" + k + " " + Show(v));
    static void X(int k, Exception e) => Console.WriteLine("E" + k + " throws " + e.GetType().FullName);
    static void Main()
    {
        Thread.CurrentThread.CurrentCulture = CultureInfo.InvariantCulture;
"""


def locals_block():
    out = []
    for n, ty, init in NUMERIC + OTHER:
        out.append("        %s %s = %s;" % (ty, n, init))
    return "\n".join(out)


def program(exprs, rejected):
    lines = [HEADER.rstrip("\n"), locals_block(),
             '        Console.WriteLine("locals ready"); // @mark:stop']
    first = len(lines[0].splitlines()) + len(lines[1].splitlines()) + 2
    for k, e in enumerate(exprs):
        if k in rejected:
            lines.append("        // E%d: %s" % (k, rejected[k]))
        else:
            lines.append("        try { P(%d, (object?)(%s)); } catch (Exception e) { X(%d, e); }" % (k, e, k))
    lines.append('        Console.WriteLine("evaldiff done");')
    lines.append("    }")
    lines.append("}")
    return "\n".join(lines) + "\n", first


CSPROJ = """<Project Sdk="Microsoft.NET.Sdk">
  <!-- Generated by tests/evaldiff/gen.py. Warnings are not errors: the program is meant to
       contain odd but legal C#. -->
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>enable</Nullable>
    <Optimize>false</Optimize>
    <DebugType>portable</DebugType>
    <NoWarn>$(NoWarn);CS0162;CS0168;CS0219;CS0414;CS0429;CS0458;CS0464;CS0472;CS0665;CS0675;CS1717;CS1718;CS8600;CS8602;CS8604;CS8605;CS8625;CS8629;CS8073;CS0183;CS0184;CS8520;CS8519</NoWarn>
  </PropertyGroup>
</Project>
"""

ERR = re.compile(r"Program\.cs\((\d+),\d+\): error (CS\d+): ")


def compile_errors(src, workdir):
    with open(os.path.join(workdir, "Program.cs"), "w") as f:
        f.write(src)
    r = subprocess.run(["dotnet", "build", "-c", "Debug", "--nologo", "-v", "q",
                        "-nodeReuse:false", "-p:UseSharedCompilation=false", "-clp:NoSummary"],
                       cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, env=dict(os.environ, DOTNET_CLI_TELEMETRY_OPTOUT="1",
                                           DOTNET_NOLOGO="1"))
    errs = {}
    for m in ERR.finditer(r.stdout):
        errs.setdefault(int(m.group(1)), m.group(2))
    if r.returncode != 0 and not errs:
        sys.exit("gen.py: the build failed without a Program.cs error:\n" + r.stdout[-3000:])
    return errs


def main():
    exprs = expressions()
    rejected = {}
    work = tempfile.mkdtemp(prefix="evaldiff-")
    try:
        with open(os.path.join(work, "EvalDiff.csproj"), "w") as f:
            f.write(CSPROJ)
        for _ in range(10):
            src, first = program(exprs, rejected)
            errs = compile_errors(src, work)
            if not errs:
                break
            for line, code in errs.items():
                k = line - first
                if not (0 <= k < len(exprs)) or k in rejected:
                    sys.exit("gen.py: error %s at Program.cs:%d is not an expression's" % (code, line))
                rejected[k] = "error " + code
        else:
            sys.exit("gen.py: still not compiling after 10 passes")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    os.makedirs(OUTDIR, exist_ok=True)
    with open(os.path.join(OUTDIR, "Program.cs"), "w") as f:
        f.write(src)
    with open(os.path.join(OUTDIR, "EvalDiff.csproj"), "w") as f:
        f.write(CSPROJ)
    with open(os.path.join(OUTDIR, "exprs.tsv"), "w") as f:
        for k, e in enumerate(exprs):
            f.write("%d\t%s\t%s\n" % (k, e, rejected.get(k, "ok")))
    print("gen.py: %d expressions, %d accepted, %d rejected by the compiler"
          % (len(exprs), len(exprs) - len(rejected), len(rejected)))


if __name__ == "__main__":
    main()
