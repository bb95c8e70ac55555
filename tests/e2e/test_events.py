"""Thread, AppDomain and assembly events on request (`set events on`, --verbose-events)."""

import os

import cdb
from cdb import batch, program


def _check_thread_events(res):
    cdb.assert_ok(res)
    pid = cdb.started_pid(res)
    created = {m.group(1): m.group(2) for m in res.grep(cdb.RE_THREAD_CREATED)}
    exited = {m.group(1): m.group(2) for m in res.grep(cdb.RE_THREAD_EXITED)}
    # the three worker threads: created and exited, with the same tid both times
    both = [i for i in created if i in exited]
    for i in both:
        assert created[i] == exited[i], "thread %s: created tid %s, exited tid %s" % (i, created[i], exited[i])
    workers = [i for i in both if int(created[i]) != pid]
    assert len(workers) >= 3, "expected >= 3 threads created and exited, got created=%r exited=%r" % (
        created, exited)
    for i in both:
        c = res.index(r"^Thread %s \(tid \d+\) created$" % i)
        e = res.index(r"^Thread %s \(tid \d+\) exited$" % i)
        assert c < e, "thread %s exited before it was created" % i
    assert pid in [int(t) for t in created.values()], "no create event for the main thread"
    ids = list(created)
    assert len(set(created.values())) == len(ids), "two thread ids share a tid"
    ad = res.grep(cdb.RE_APPDOMAIN)
    assert ad, "no AppDomain created line"
    asm = [m.group(1) for m in res.grep(cdb.RE_ASSEMBLY)]
    assert any(os.path.basename(a) == "Threads.dll" for a in asm), "no Assembly line for Threads.dll: %r" % asm
    assert any(os.path.basename(a) == "System.Private.CoreLib.dll" for a in asm), "no Assembly line for CoreLib"
    res.one(r"^Threads: done \d+$")
    assert cdb.exit_code(res, pid) == 0


def test_set_events_on():
    _check_thread_events(batch([program("Threads")], ["set events on", "run"]))


def test_verbose_events_option():
    _check_thread_events(batch([program("Threads")], ["run"], options=["--verbose-events"]))


def test_set_events_off_again():
    res = batch([program("Threads")], ["set events on", "set events off", "run"])
    cdb.assert_ok(res)
    res.hasnt(cdb.RE_THREAD_CREATED)
    res.hasnt(cdb.RE_THREAD_EXITED)
    res.hasnt(cdb.RE_ASSEMBLY)
    res.has(cdb.RE_LOADED)  # module loads are always shown
    assert cdb.exit_code(res, cdb.started_pid(res)) == 0
