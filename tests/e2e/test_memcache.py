"""The memory cache (issue 20, src/base/memcache.c): while the process is stopped the runtime's
reads of its memory are served from pages read once, and anything that writes memory or lets
the program run drops them. Each test writes memory one way and reads it back at once at the
same stop, or resumes one way and reads what changed; `maintenance memcache` shows the cache
was serving, and that a write or a resume left it empty. The cache is opt-in
(CORDBG_MEMCACHE=1); these tests turn it on with its verification mode
(CORDBG_MEMCACHE_VERIFY=1: each read served from the cache is compared with a fresh one), and
`tests/run.py --memcache-verify` does so for every test."""
import os
import re

import cdb
from cdb import batch, program

RE_STATS = re.compile(r"^memcache: (serving|idle|off)(?: \(verify\))?, (\d+) pages held, (\d+) hits, "
                      r"(\d+) page reads, (\d+) direct reads, (\d+) drops, (\d+) written ranges dropped, (\d+) stale, (\d+) changed by the program$")


def _marked(cmds):
    """cmds with an `echo @@N` before each `print`/`x`/`maintenance memcache` (N its index)."""
    script = []
    for i, c in enumerate(cmds):
        if c.startswith(("print ", "x/")) or c == "maintenance memcache":
            script += ["echo @@%d" % i, c]
        else:
            script.append(c)
    return script


def _outputs(res):
    """{N: the first line printed after marker N}."""
    out, cur = {}, None
    for line in res.lines:
        m = re.fullmatch(r"@@(\d+)", line)
        if m:
            cur = int(m.group(1))
        elif cur is not None:
            out[cur] = line
            cur = None
    return out


def _run(name, cmds, options=(), args=(), **kw):
    """Run cmds (see _marked): (result, _outputs)."""
    kw.setdefault("timeout", 180)
    kw.setdefault("env", {"CORDBG_MEMCACHE": "1", "CORDBG_MEMCACHE_VERIFY": "1"})
    res = batch([program(name)] + list(args), _marked(cmds), options=options, **kw)
    assert "memcache: stale read" not in res.stderr, _t(res)
    return res, _outputs(res)


def _t(res):
    return "--- stdout:\n%s\n--- stderr:\n%s" % (res.stdout, res.stderr)


def _stats(out, i, res):
    line = out.get(i, "")
    m = RE_STATS.match(line)
    assert m, "maintenance memcache printed %r\n%s" % (line, _t(res))
    state, held, hits, _fills, _direct, drops, ranges, stale, _changed = m.groups()
    return {"state": state, "held": int(held), "hits": int(hits), "drops": int(drops), "ranges": int(ranges),
            "stale": int(stale)}


def _value(out, i, res):
    line = out.get(i, "")
    m = re.match(r"^(?:\$\d+ = )?(.*)$", line)
    return m.group(1) if m else line


def test_set_var_reads_back_at_once():
    """set var on a parameter, a struct field, an object field, an array element, a static and
    a string, each printed just before (its page cached) and just after."""
    mark = cdb.find_mark("Values", "all")
    writes = [("count", "9", "9"), ("pt.X", "11", "11"), ("person.Age", "31", "31"), ("arr[1]", "99", "99"),
              ("Person.Counter", "12", "12"), ("s", '"changed"', '"changed"'), ("l", "1L << 40", "1099511627776")]
    cmds = ["break Program.cs:%d" % mark, "run"]
    before = {}
    for e, _, _ in writes:
        before[e] = len(cmds)
        cmds.append("print " + e)
    cmds.append("maintenance memcache")
    at_stop = len(cmds) - 1
    after, stats_before, stats_after = {}, {}, {}
    for e, v, _ in writes:
        stats_before[e] = len(cmds)
        cmds.append("maintenance memcache")
        cmds.append("set var %s = %s" % (e, v))
        stats_after[e] = len(cmds)
        cmds.append("maintenance memcache")
        after[e] = len(cmds)
        cmds.append("print " + e)
    cmds.append("maintenance memcache")
    last = len(cmds) - 1
    cmds.append("continue")
    res, out = _run("Values", cmds)
    st = _stats(out, at_stop, res)
    assert st["state"] == "serving" and st["held"] > 0 and st["hits"] > 0, \
        "the cache did not serve the prints at the stop: %r\n%s" % (st, _t(res))
    for e, _, want in writes:
        assert _value(out, before[e], res) != want, "%s already %s before the write" % (e, want)
        # the right side's write-memory request drops the pages it writes (the cache goes on
        # serving the rest), any other message all of them
        s1, s2 = _stats(out, stats_before[e], res), _stats(out, stats_after[e], res)
        assert (s2["held"] == 0 and s2["state"] == "idle") or s2["ranges"] > s1["ranges"], \
            "set var %s: the cache neither dropped nor dropped its pages %r %r" % (e, s1, s2)
        assert _value(out, after[e], res) == want, \
            "print %s after set var: %r, want %r\n%s" % (e, out.get(after[e]), want, _t(res))
    assert _stats(out, last, res)["stale"] == 0
    for want in ("count=9", "pt.X=11", "person.Age=31", "arr[1]=99", "Person.Counter=12", "s=changed",
                 "l=1099511627776"):
        assert res.has("^" + re.escape(want) + "$"), "program did not see %r\n%s" % (want, _t(res))
    assert res.has(r"^Values: done$")


def test_mutating_evaluation_reads_back_at_once():
    """A function evaluation that changes a field: the field read right after shows it."""
    mark = cdb.find_mark("EvalCases", "main")
    cmds = ["break Program.cs:%d" % mark, "run", "print subject.Mutations", "print subject.Mutate()",
            "print subject.Mutations", "print subject.Mutate()", "print subject.Mutations",
            "maintenance memcache", "continue"]
    res, out = _run("EvalCases", cmds)
    got = [_value(out, i, res) for i in (2, 3, 4, 5, 6)]
    assert got == ["0", "1", "1", "2", "2"], "%r\n%s" % (got, _t(res))
    st = _stats(out, 7, res)
    assert st["drops"] >= 2 and st["stale"] == 0, st
    assert res.has(r"^mutations=2$"), _t(res)


def test_every_resume_drops_the_cache():
    """continue, next, step, a breakpoint set and one deleted at a stop, an evaluation: each
    drops the pages (the drop count grows, and where nothing stops again the cache is left
    empty), and what the program changed meanwhile is read fresh."""
    mark = cdb.find_mark("EvalCases", "loop")
    cmds = ["break Program.cs:%d" % mark, "run",
            "print i", "print sum", "maintenance memcache",            # 2 3 4
            "continue", "print i", "print sum", "maintenance memcache",  # 6 7 8
            "next", "print sum", "maintenance memcache",               # 10 11
            "step", "step", "print i", "maintenance memcache",         # 14 15
            "tbreak Program.cs:%d" % (mark + 2), "maintenance memcache",  # 17
            "print items.Count", "maintenance memcache",              # 18 19
            "delete 1", "maintenance memcache",                        # 21
            "print items.Contains(20)", "maintenance memcache",                  # 22 23
            "continue", "print sum", "maintenance memcache", "continue"]  # 25 26
    res, out = _run("EvalCases", cmds)
    v = lambda i: _value(out, i, res)  # noqa: E731
    assert (v(2), v(3)) == ("0", "0"), _t(res)
    assert (v(6), v(7)) == ("1", "0"), "after continue: i=%s sum=%s\n%s" % (v(6), v(7), _t(res))
    assert v(10) == "1", "after next: sum=%s\n%s" % (v(10), _t(res))
    assert v(14) == "2", "after two steps: i=%s\n%s" % (v(14), _t(res))
    assert v(18) == "3" and v(22) == "true", _t(res)
    assert v(25) == str(sum(range(50))), _t(res)
    s = {i: _stats(out, i, res) for i in (4, 8, 11, 15, 17, 19, 21, 23, 26)}
    # in mixed mode a native event at the stop (a thread of the program's resumed by the
    # tracer) drops the pages too, so only the managed run must still be serving
    if os.environ.get("CORDBG_MODE") != "mixed":
        assert s[4]["state"] == "serving" and s[4]["held"] > 0, s[4]
    # each resume dropped the pages at least once more
    order = [4, 8, 11, 15, 17]
    for a, b in zip(order, order[1:]):
        if s[a]["state"] == "idle":
            continue   # already dropped at that stop (mixed mode, above): nothing left to drop
        assert s[b]["drops"] > s[a]["drops"], "no drop between %d and %d: %r %r" % (a, b, s[a], s[b])
    # a breakpoint set or deleted at a stop: the cache is left empty until the next stop
    for i in (17, 21):
        assert s[i]["held"] == 0 and s[i]["state"] == "idle", (i, s[i], _t(res))
    assert s[23]["drops"] > s[21]["drops"] or s[21]["state"] == "idle", s
    assert s[26]["drops"] > s[23]["drops"] and s[26]["stale"] == 0, s
    assert res.has(r"^sum=1225$"), _t(res)


def test_verification_catches_a_cache_that_misses_a_drop():
    """The verifier can fail: with a fault injected (`maintenance memcache skip-drops on`:
    nothing drops the cache, here the set var's write), a set var followed by a print is served the old bytes, and the
    verification reports the difference (as a stale read, or as a change during the stop
    when a thread of the program ran meanwhile); without the fault the same commands report
    nothing (the other tests here)."""
    mark = cdb.find_mark("Values", "all")
    report = os.path.join(os.environ.get("CORDBG_TEST_TMP") or "/tmp", "memcache-fault-%d.log" % os.getpid())
    if os.path.exists(report):
        os.unlink(report)
    cmds = ["break Program.cs:%d" % mark, "run", "print count", "print person.Age",
            "maintenance memcache skip-drops on", "set var count = 9", "print count",
            "maintenance memcache skip-drops off", "set var person.Age = 31", "print person.Age", "continue"]
    env = {"CORDBG_MEMCACHE": "1", "CORDBG_MEMCACHE_VERIFY": "1",
           "CORDBG_MEMCACHE_REPORT": report}
    res = batch([program("Values")], cmds, timeout=180, env=env)
    try:
        with open(report) as f:
            text = f.read()
    except OSError:
        text = ""
    finally:
        if os.path.exists(report):
            os.unlink(report)
    found = [l for l in text.splitlines() if "stale read" in l or "changed during the stop" in l]
    assert found, "the verification reported nothing with drops disabled\n%s\n%s" % (text, _t(res))
    assert re.search(r"counts \d+ reads verified, \d+ stale", text), text
    # the program itself was written (the write is the left side's, not the cache's)
    assert res.has(r"^count=9$"), _t(res)


# The verifier is the same in every mode; in mixed mode the native engine's own resumes of
# threads at the stop often leave the cache idle already, with nothing to serve stale.
test_verification_catches_a_cache_that_misses_a_drop.managed_only = True


def test_memcache_off_is_the_floor():
    """CORDBG_MEMCACHE=0: nothing cached, the same values."""
    mark = cdb.find_mark("EvalCases", "loop")
    cmds = ["break Program.cs:%d" % mark, "run", "print i", "continue", "print i", "maintenance memcache", "kill"]
    res, out = _run("EvalCases", cmds, env={"CORDBG_MEMCACHE": "0"})
    assert (_value(out, 2, res), _value(out, 4, res)) == ("0", "1"), _t(res)
    st = _stats(out, 5, res)
    assert st["state"] == "off" and st["held"] == 0 and st["hits"] == 0, st


def test_mixed_native_breakpoint_at_a_managed_stop():
    """--mixed: at a managed stop (cache serving), a native breakpoint inserted (a write to
    /proc/PID/mem by the native engine) drops the cache; native memory read at once, and the
    native breakpoint is then hit."""
    mark = cdb.find_mark("Interop", "pinvoke_compute")
    cmds = ["break Program.cs:%d" % mark, "run", "print sum", "maintenance memcache",   # 3
            "break native_nested", "maintenance memcache",                                 # 5
            "x/4xb native_nested", "maintenance memcache", "continue", "maintenance memcache", "bt 1", "delete 2",
            "continue"]
    res, out = _run("Interop", cmds, options=["--mixed"])
    # In mixed mode the native engine may have dropped the cache at the stop already (any
    # ptrace request but a read or a stop does); where it still served, the write drops it.
    s3, s5, s7, s9 = (_stats(out, i, res) for i in (3, 5, 7, 9))
    assert s3["state"] in ("serving", "idle"), (s3, _t(res))
    assert s5["held"] == 0 and s5["state"] == "idle", (s5, _t(res))
    if s3["state"] == "serving":
        assert s5["drops"] > s3["drops"], (s3, s5)
    assert s7["held"] == 0 and s7["state"] == "idle", (s7, _t(res))
    # a native stop in mixed mode: served only once the runtime is synchronized too, and
    # whatever was served is checked
    assert s9["stale"] == 0, (s9, _t(res))
    assert re.match(r"^0x[0-9a-f]+:(\s+0x[0-9a-f]{2}){4}$", out.get(6, "")), _t(res)
    assert res.has(r"hit Breakpoint 2, native_nested"), _t(res)
    assert res.has(r"^Interop: native_nested\(3\) = 3$"), _t(res)
