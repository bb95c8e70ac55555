"""Code injection (issue 22): what cordbg's evaluator refuses — lambdas, LINQ with lambdas,
query syntax, switch expressions, statements — is compiled by the helper at the stopped
frame's position, added to the program by Edit and Continue and run there, the frame's
locals passed by reference. The answers are C#'s; `inject` changes locals, static fields and
collections, and the program's own later output shows it; a compile error gives the
compiler's diagnostics and leaves the program as it was; async methods (hoisted locals) and
lambdas (captured variables) work too. Over copies of tests/programs/EncCases and InjectCall
built in the run's temp folder (cdb.enc_program). Every run must end with the program's
normal output."""
import re

import cdb
from cdb import batch


def _mark(path, m):
    return cdb.mark_line(path, m)


def test_lambdas_queries_switch_and_statements_at_a_stop():
    folder, dll = cdb.enc_program("EncCases")
    src = folder + "/Program.cs"
    res = batch([dll, "loop", "3"], [
        # the last iteration: seen = 1, 3, 5; sum = 9; total = 9
        "break Program.cs:%d if i == 2" % _mark(src, "print"),
        "run",
        "echo @plain", "print seen.Count",
        "echo @lambda", "print seen.Where(x => x > 2).Count()",
        "echo @query", "print (from x in seen where x > 1 select x * 10).Sum()",
        "echo @switch", 'print sum switch { 9 => "nine", _ => "other" }',
        "echo @lambda-value", "print seen.Select(x => x * 2).ToList()",
        "echo @error", "inject nosuch = 3;",
        "echo @error2", "print seen.Where(x => x >).Count()",
        "echo @statements", "inject seen.Add(100); total = seen.Sum();",
        "echo @local", "inject sum = sum + 1000;",
        "echo @after", "print total", "print sum",
        "detach",
        "continue",
    ], timeout=240)
    out = [l for l in res.lines if not l.startswith("Loaded '")]

    def after(tag):
        return out[out.index(tag) + 1]
    assert after("@plain") == "3", res.stdout
    assert after("@lambda") == "2", res.stdout
    assert after("@query") == "80", res.stdout
    assert after("@switch") == '"nine"', res.stdout
    assert after("@lambda-value") == "Count = 3", res.stdout
    i = out.index("@lambda-value")
    assert out[i + 2:i + 5] == ["  [0] = 2", "  [1] = 6", "  [2] = 10"], res.stdout
    # statements print nothing; the values after them are the program's own
    assert out[out.index("@statements") + 1] == "@local", res.stdout
    assert after("@after") == "109", res.stdout
    assert out[out.index("@after") + 2] == "1009", res.stdout
    # the compiler's diagnostics, in its words
    assert res.has(r"^error: CS0103: The name 'nosuch' does not exist in the current context$", "stderr"), res.stderr
    assert res.has(r"^error: CS1525: Invalid expression term '\)'$", "stderr"), res.stderr
    # said once, at the first injection; the detach is refused then, and the session goes on
    notes = res.grep(r"^note: code injection added a method to the program by Edit and Continue", "stderr")
    assert len(notes) == 1, res.stderr
    assert res.has(r"^error: cannot detach from process \d+: its code was changed by Edit and Continue", "stderr"), res.stderr
    # the program's own output shows what the injected statements did, and it ends normally
    assert "sum: 1009 total: 109 seen: 1,3,5,100" in out, res.stdout
    assert "done" in out and res.has(r"^Process \d+ exited with code 0$"), res.stdout


def test_compile_error_leaves_the_program_as_it_was():
    folder, dll = cdb.enc_program("EncCases")
    src = folder + "/Program.cs"
    res = batch([dll, "loop", "3"], [
        "break Program.cs:%d if i == 2" % _mark(src, "print"),
        "run",
        "inject total = \"text\";",
        "inject seen.Add(;",
        "print seen.Where(x => x.Nope).Count()",
        "continue",
    ], timeout=240)
    assert res.has(r"^error: CS0029: Cannot implicitly convert type 'string' to 'int'$", "stderr"), res.stderr
    assert res.has(r"^error: CS\d+: ", "stderr") and len(res.grep(r"^error: CS\d+: ", "stderr")) >= 3, res.stderr
    assert "sum: 9 total: 9 seen: 1,3,5" in res.lines, res.stdout
    assert res.has(r"^Process \d+ exited with code 0$"), res.stdout


def test_async_methods_lambdas_and_this():
    folder, dll = cdb.enc_program("InjectCall")
    src = folder + "/Program.cs"
    res = batch([dll], [
        "break Program.cs:%d" % _mark(src, "instance"),
        "break Program.cs:%d" % _mark(src, "async"),
        "break Program.cs:%d" % _mark(src, "lambda"),
        "run",
        # an instance method: its own field and local
        "inject field = field + total; total = -total;",
        "continue",
        # an async method: seen and total live in its state machine
        "echo @async", "print seen.Select(x => x * 10).Sum()",
        "inject total = total + 5; seen.Add(9);",
        "continue",
        # a lambda: total and seen are fields of its closure
        "echo @lambda", "print seen.Any(x => x == total)",
        "inject total += 1; seen.Add(total);",
        "continue",
    ], timeout=240)
    out = [l for l in res.lines if not l.startswith("Loaded '")]
    assert "instance total=-10 field=15" in out, res.stdout
    assert out[out.index("@async") + 1] == "10", res.stdout
    assert "async total=6 seen=1,9" in out, res.stdout
    assert out[out.index("@lambda") + 1] == "true", res.stdout
    assert "lambda total=5 seen=4,5" in out, res.stdout
    assert "done" in out and res.has(r"^Process \d+ exited with code 0$"), res.stdout
