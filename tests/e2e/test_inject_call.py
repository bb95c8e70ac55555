"""The engine half of code injection (issue 22): a method is called by token on the stopped
thread, as the methods Edit and Continue adds for injected code are, with the frame's own
variables passed to its `ref` parameters, so that what the method assigns sticks: stack
locals of a plain method, hoisted locals of an async method (fields of its state machine),
variables a lambda captured (fields of its closure), and `this`. Called through the test hook
`maintenance call-injected MODULE TOKEN static|this NAME...` over tests/programs/InjectCall,
which prints its module, the tokens, and its variables after each stop: the program's own
output must show every change, and it must end normally."""
import re

import cdb
from cdb import batch, program

NAME = "InjectCall"


def _mark(m):
    return cdb.find_mark(NAME, m)


def _tokens():
    """The module path and method tokens, as the program prints them (a first run)."""
    res = batch([program(NAME)], ["run"])
    mod = res.one(r"^module=(.*)$").group(1)
    toks = dict(re.findall(r"(\w+)=(0x[0-9a-f]{8})", res.one(r"^tokens .*$").group(0)))
    return mod, toks


def _call(mod, tok, kind, *names):
    return "maintenance call-injected %s %s %s %s" % (mod, tok, kind, " ".join(names))


def test_ref_parameters_change_the_frames_variables():
    mod, t = _tokens()
    res = batch([program(NAME)], [
        "break Program.cs:%d" % _mark("main"),
        "break Program.cs:%d" % _mark("instance"),
        "break Program.cs:%d" % _mark("async"),
        "break Program.cs:%d" % _mark("lambda"),
        "run",
        # Main is async: total and seen are fields of its state machine
        "echo @main", _call(mod, t["Bump"], "static", "total", "seen"), "print total",
        "continue",
        # a plain instance method: `this` and a stack local
        "echo @instance", _call(mod, t["AddToField"], "this", "total"), "print total", "print field",
        "continue",
        # a ref to a reference-type variable: the variable is given a new list
        "echo @async", _call(mod, t["Replace"], "static", "seen"), _call(mod, t["Bump"], "static", "total", "seen"),
        "continue",
        # captured variables of a lambda
        "echo @lambda", _call(mod, t["Bump"], "static", "total", "seen"),
        "echo @errors",
        _call(mod, t["Bump"], "static", "total", "nosuch"),
        _call("/nowhere/X.dll", t["Bump"], "static"),
        "continue",
    ])
    out = res.lines
    after = lambda tag: out[out.index(tag) + 1:]
    # Bump adds 100 and sums: 1+2+3+100 = 106, returns 212
    assert after("@main")[:2] == ["212", "106"], res.stdout
    assert "main total=106 seen=1,2,3,100" in out, res.stdout
    # AddToField: field 5 + total 10 = 15, total set to -1
    assert after("@instance")[:3] == ["15", "-1", "15"], res.stdout
    assert "instance total=-1 field=15" in out, res.stdout
    # Replace gives seen {7, 8}; Bump then: 7+8+100 = 115
    assert after("@async")[:2] == ["(no value)", "230"], res.stdout
    assert "async total=115 seen=7,8,100" in out, res.stdout
    assert after("@lambda")[0] == "208", res.stdout
    assert "lambda total=104 seen=4,100" in out, res.stdout
    assert res.has(r"^error: no variable 'nosuch' in this frame$", "stderr"), res.stderr
    assert res.has(r"^error: module /nowhere/X.dll is not loaded in the program$", "stderr"), res.stderr
    assert "done" in out and res.has(r"^Process \d+ exited with code 0$"), res.stdout
