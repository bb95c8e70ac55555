"""Calls as C# binds them (issue 17), over tests/programs/CallCases: overloads chosen by the
arguments' static types and C#'s better-conversion rules, params arrays built in the program,
optional parameters with their defaults and named arguments, generic type inference,
extension methods (the user's and System.Linq's), members of arrays, numbers and enums, and
unqualified calls to the user type's static methods from async, iterator and lambda frames.
Errors carry the C# compiler's code and words. After the evaluations the program must end
with its own normal output: no call may harm it."""
import re

import cdb
from cdb import batch, program

NAME = "CallCases"
NORMAL = ["sync 7", "sums 18 3 3 2 Read, Write 15 17 none 3 4", "async 4", "gen 10", "lambdas 2 10", "done 4 41"]


def mk(mark):
    return cdb.find_mark(NAME, mark)


def _run(stops):
    """stops: [(mark, [(expr, want)])], in the order the program reaches them (each mark's
    breakpoint is deleted after its stop). Prints each expression, checks each answer, and
    that the program then finishes with its normal output."""
    cmds, table = [], []
    for n, (mark, _) in enumerate(stops):
        cmds.append("break Program.cs:%d" % mk(mark))
    cmds.append("run")
    for n, (mark, exprs) in enumerate(stops):
        cmds += cdb.print_cmds([e for e, _ in exprs], len(table))
        table += exprs
        cmds += ["delete %d" % (n + 1), "continue"]
    res = batch([program(NAME)], cmds + ["echo @@end"], timeout=240)
    cdb.check_printed(res, table, skip=lambda line: line in NORMAL or re.match(
        r"^(Process \d+ exited|Loaded '|Thread \d+ hit|\d+\s)", line))
    prog = [l for l in res.lines if l in NORMAL]
    assert prog == NORMAL, "the program's own output changed:\n%s" % res.stdout
    assert res.has(r"^Process \d+ exited with code 0$"), res.stdout


def err(code, text=""):
    return re.compile("^error: %s: %s" % (code, re.escape(text)))


def test_overloads_by_static_types_and_better_conversion():
    _run([("main", [
        ("TestArrayArg(structArray, 11)", '"S[] 12"'), ("TestArrayArg(nums, 11)", '"int[] 15"'),
        ("Over(1)", '"int"'), ("Over(by)", '"int"'), ("Over(1L)", '"long"'), ("Over(1.5f)", '"double"'),
        ("Over(nul)", '"string"'), ("Over(null)", '"string"'), ("Over(obj)", '"object"'), ("Over(perm)", '"object"'),
        ("Sg(1)", '"sbyte"'), ("Gen1(1)", '"int"'), ('Gen1("x")', '"generic String"'),
        ("Amb(1, 2)", err("CS0121", "The call is ambiguous between the following methods or properties: "
                                    "'Program.Amb(int, long)' and 'Program.Amb(long, int)'")),
        ("TakeS(new S())", "1"), ("TakeS(new S(4))", "5"), ("TakeS(structArray[1])", "3"),
        ("When(new DateTime(), Perm.Read)", '"1 Read"'), ("new S().A", "0"),
        ("Form(1)", '"normal"'), ("Form()", '"expanded 0"'), ("Form(1, 2)", '"expanded 2"'), ("Form(nums)", '"expanded 4"'),
    ])])


def test_params_arrays_are_built_in_the_program():
    _run([("main", [
        ("Sum()", "0"), ("Sum(1)", "1"), ("Sum(1, 2, 3)", "6"), ("Sum(nums)", "18"), ("Sum(new[] { 1, 2 })", "3"),
        ("Sum(by, 'a')", "100"), ('Join("-", 1, "a", perm)', '"1-a-Read, Write"'), ('Join("-")', '""'),
        ('string.Format("{0} {1}", 1, "x")', '"1 x"'), ('string.Format("{0}{1}{2}{3}{4}", 1, 2, 3, 4, 5)', '"12345"'),
        ("string.Concat(1, 2, 3, 4, 5)", '"12345"'), ("object.Equals(1, 1)", "true"),
        ('Sum("a")', err("CS1503", "Argument 1: cannot convert from 'string' to 'int")),
    ])])


def test_optional_parameters_and_named_arguments():
    _run([("main", [
        ("Opt(1)", "111"), ("Opt(1, 2)", "103"), ("Opt(1, c: 5)", "16"), ("Opt(b: 3, a: 1)", "104"),
        ("Defaults(1)", '"1|d|Write|null|1.5|z"'), ("Defaults(2, p: Perm.Execute, ch: 'q')", '"2|d|Execute|null|1.5|q"'),
        ('Defaults(3, "s", Perm.None, obj, 2)', '"3|s|None|17|2|z"'),
        ("NOpt()", '"none"'), ("NOpt(null)", '"none"'), ("NOpt(3)", '"v3"'), ("NOpt(by)", '"v3"'),
        ("Money()", '"m2.5 -79228162514264337593543950335"'), ("Money(1)", '"m1 -79228162514264337593543950335"'),
        ("When()", '"1 None"'), ("When(p: 0)", '"1 None"'), ("When(p: Perm.Execute)", '"1 Execute"'),
        ("When(p: 1)", err("CS1503", "Argument 1: cannot convert from 'int' to 'Perm'")),
        ("Opt()", err("CS7036", "There is no argument given that corresponds to the required parameter 'a' of "
                                "'Program.Opt(int, int, int)'")),
        ("Opt(c: 1)", err("CS7036")),
        ("Opt(1, x: 2)", err("CS1739", "The best overload for 'Opt' does not have a parameter named 'x'")),
        ("Opt(1, 2, 3, 4)", err("CS1501", "No overload for method 'Opt' takes 4 arguments")),
    ])])


def test_generic_type_arguments_are_inferred():
    _run([("main", [
        ("Largest(nums)", "9"), ("Largest(words)", '"c"'), ("Largest(new[] { 2.5, 1.5 })", "2.5"),
        ("Largest<int>(nums)", "9"), ("Largest(4, 8, 2)", "8"),
        ("Pick(1, 2L) + int.MaxValue", "2147483649"),        # T is long: no int overflow
        ("Pick(by, i)", "7"), ("FirstOf(list)", '"first 4"'), ("FirstOf(nums)", '"first 5"'), ("FirstOf(words)", '"first b"'),
        ("Largest()", err("CS0411", "The type arguments for method 'Program.Largest<T>(params T[])' cannot be inferred")),
    ])])


def test_extension_methods_of_the_user_and_of_linq():
    _run([("main", [
        ("i.Twice()", "14"), ("words.Second()", '"a"'), ("greeting.Shout()", '"HELLO BIG WORLD!"'),
        ("nums.Max()", "9"), ("list.Sum()", "27"), ("nums.Contains(9)", "true"), ("list.First()", "4"),
        ("nums.First()", "5"), ("nums.Sum()", "18"),
        ("by.Twice()", err("CS1929", "'byte' does not contain a definition for 'Twice' and the best extension method "
                                     "overload 'Ext.Twice(int)' requires a receiver of type 'int'")),
        # lambdas: cordbg's evaluator refuses them; print falls back to code injection (C#'s answer)
        ("list.Where(x => x > 4).Count()", "2"),
    ])])


def test_members_of_arrays_numbers_and_enums():
    _run([("main", [
        ("nums.Rank", "1"), ("nums.GetLength(0)", "4"), ("i.CompareTo(3)", "1"), ("5.Equals(5)", "true"),
        ("i.Equals(8)", "false"), ("perm.HasFlag(Perm.Read)", "true"), ("perm.HasFlag(Perm.Execute)", "false"),
        ("Perm.Write.HasFlag(Perm.Write)", "true"),
        ("greeting.Split(' ').Length", "3"), ("greeting.Split(' ')[1]", '"big"'),
        ('string.Join("-", nums)', '"5-3-9-1"'), ('string.Join("-", list)', '"4-8-15"'), ('string.Join("-", words)', '"b-a-c"'),
        ('int.TryParse("5", i)', err("CS1620", "Argument 2 must be passed with the 'out' keyword")),
        ("i.Foo()", err("CS1061", "'int' does not contain a definition for 'Foo' and no accessible extension method 'Foo' "
                                  "accepting a first argument of type 'int' could be found")),
    ])])


def test_static_calls_from_async_iterator_and_lambda_frames():
    _run([
        ("async", [("Total(nums)", "6"), ("Largest<int>(nums)", "3"), ("Largest(nums)", "3"), ("Helper()", "41"),
                   ("Sum(1, 2)", "3")]),
        ("iter", [("Total(new[] { 1, 2 })", "3"), ("Helper()", "41")]),
        ("lambda", [("Helper()", "41"), ("Total(new[] { 4 })", "4")]),
        ("closure", [("Helper()", "41"), ("captured", "5"), ("Opt(captured)", "115")]),
    ])
