"""Differential test of the evaluator against the C# compiler (issue 17).

tests/evaldiff/gen.py wrote tests/programs/EvalDiff: locals of every kind, then a few
thousand expressions, each printed by the program itself the way a debugger shows its value
(or `throws TYPE`); exprs.tsv names the ones the compiler rejected, with its error code.
cordbg stops at @mark:stop, before the program computes any of them, and prints each one.
An expression agrees when cordbg shows the program's own text, throws the same exception
type, or gives an error naming the compiler's code.

Every disagreement is listed in tests/evaldiff/known.tsv (index, kind, what cordbg said):
a documented bug or limitation. The test fails on any disagreement not listed there, and
on a listed one that now agrees (so the list only shrinks: `python3 tests/e2e/
test_evaldiff.py --write-known` rewrites it). An evaluation that kills the program is a
disagreement of kind `killed`; the run starts again after it.

Then the program must finish with exactly the output it prints without a debugger: no
evaluation may change its state."""
import os
import re
import subprocess
import sys

import cdb

NAME = "EvalDiff"
HERE = os.path.dirname(os.path.abspath(__file__))
DIFF = os.path.join(os.path.dirname(HERE), "evaldiff")
KNOWN = os.path.join(DIFF, "known.tsv")
END = "@@end"


def _rows():
    with open(os.path.join(cdb.PROGRAMS, NAME, "exprs.tsv"), encoding="utf-8") as f:
        return [(int(k), e, st) for k, e, st in (l.rstrip("\n").split("\t") for l in f)]


def _reference():
    """The program's own output without a debugger: ({index: text}, all stdout)."""
    p = subprocess.run(["dotnet", cdb.program(NAME)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p
    ref = {}
    for line in p.stdout.splitlines():
        m = re.match(r"E(\d+) (.*)$", line)
        if m:
            ref[int(m.group(1))] = m.group(2)
    return ref, p.stdout


def _session(rows, tmp):
    """Print every row's expression at @mark:stop in one cordbg run, then continue. Returns
    ({index: cordbg's text}, index that killed the program or None, the Result)."""
    script = os.path.join(tmp, "cmds")
    cmds = ["break Program.cs:%d" % cdb.find_mark(NAME, "stop"), "run"]
    for k, e, _ in rows:
        # errors go to stderr: an echo there too keeps stdout and stderr in step
        cmds += ["echo @@%d" % k, "print " + e]
    cmds += ["echo " + END, "continue"]
    with open(script, "w", encoding="utf-8") as f:
        f.write("\n".join(cmds) + "\n")
    res = cdb.run(["--batch", "-x", script, "--", cdb.program(NAME)], timeout=600)
    got, cur, errs = {}, None, [l[len("error: "):] for l in res.error_lines()]
    for line in res.lines:
        m = re.fullmatch(r"@@(\d+|end)", line)
        if m:
            cur = int(m.group(1)) if m.group(1) != "end" else None
            if cur is not None:
                got[cur] = []
        elif cur is not None and not line.startswith("Loaded '"):
            # a module the evaluation made the program load (System.Linq's helpers) is news
            # of the session, not part of the value
            got[cur].append(line)
    out, ei, killer = {}, 0, None
    for k, _, _ in rows:
        if k not in got:
            break
        text = "\n".join(got[k])
        if re.search(r"^Process \d+ (exited|was killed)", text, re.M):
            killer = k
            break
        if not text:
            text = "error: " + (errs[ei] if ei < len(errs) else "<none>")
            ei += 1
        out[k] = text
    return out, killer, res


def _agrees(status, want, got):
    if status != "ok":
        return got.startswith("error: ") and status.split()[1] in got
    if want.startswith("throws "):
        return got.startswith("error: " + want[len("throws "):])
    return got == want


def evaluate_all():
    """[(index, expr, kind, cordbg's text)] of every disagreement, the count that agree,
    and the transcripts of the runs."""
    rows = _rows()
    ref, ref_out = _reference()
    tmp = cdb.tmpdir()
    left, bad, agree, runs = list(rows), [], 0, []
    while left:
        got, killer, res = _session(left, tmp)
        runs.append(res)
        for k, e, st in left:
            if k == killer:
                bad.append((k, e, "killed", "the program died"))
                break
            if k not in got:
                raise AssertionError("no answer for expression %d (%s)\n%s" % (k, e, res.session.transcript()))
            want = ref.get(k, "") if st == "ok" else st
            if _agrees(st, want, got[k]):
                agree += 1
            else:
                kind = "error" if st != "ok" else ("throws" if want.startswith("throws ") else "value")
                bad.append((k, e, kind, got[k].replace("\n", "\\n").replace("\t", " ")[:200]))
        if killer is None:
            # the program ran on to its end: its output must be what it prints alone
            prog = [l for l in res.lines[res.index("^" + END + "$") + 1:]
                    if not re.match(r"^(Process \d+ exited|Loaded ')", l)]
            want = ref_out.splitlines()
            if prog != want:
                diff = next((i for i in range(min(len(prog), len(want))) if prog[i] != want[i]),
                            min(len(prog), len(want)))
                raise AssertionError("the program's output changed under evaluation: line %d is %r, "
                                     "alone it prints %r" % (diff + 1, prog[diff] if diff < len(prog) else None,
                                                             want[diff] if diff < len(want) else None))
            assert re.search(r"^Process \d+ exited with code 0$", res.stdout, re.M), res.stdout[-2000:]
            break
        left = [r for r in left if r[0] > killer]
    return rows, agree, bad


def _read_known():
    known = {}
    if os.path.exists(KNOWN):
        with open(KNOWN, encoding="utf-8") as f:
            for line in f:
                if line.strip() and not line.startswith("#"):
                    k, kind = line.split("\t")[:2]
                    known[int(k)] = kind
    return known


def test_evaluator_agrees_with_the_compiler():
    rows, agree, bad = evaluate_all()
    known = _read_known()
    print("evaldiff: %d of %d expressions agree with the C# compiler" % (agree, len(rows)))
    # an evaluation that kills the program is never an accepted disagreement
    killed = [b for b in bad if b[2] == "killed"]
    assert not killed, "evaluations killed the program: " + "; ".join("E%d %s" % b[:2] for b in killed)
    new = [b for b in bad if known.get(b[0]) != b[2]]
    fixed = sorted(set(known) - {b[0] for b in bad})
    msg = []
    if new:
        msg.append("%d disagreements not in tests/evaldiff/known.tsv:\n  " % len(new) +
                   "\n  ".join("E%d %s [%s] cordbg: %s" % b for b in new[:80]))
    if fixed:
        msg.append("listed in known.tsv but now agreeing (remove them: --write-known): %s"
                   % ", ".join("E%d" % k for k in fixed[:80]))
    assert not msg, "\n".join(msg)


test_evaluator_agrees_with_the_compiler.timeout = 900


if __name__ == "__main__" and "--write-known" in sys.argv:
    rows, agree, bad = evaluate_all()
    with open(KNOWN, "w", encoding="utf-8") as f:
        f.write("# Disagreements of cordbg's evaluator with the C# compiler (tests/e2e/test_evaldiff.py):\n"
                "# index, kind (value: another value; throws: not the exception; error: not the\n"
                "# compiler's error; killed: the program died), expression, what cordbg said.\n")
        for k, e, kind, got in bad:
            f.write("%d\t%s\t%s\t%s\n" % (k, kind, e, got))
    print("evaldiff: %d of %d agree; %d disagreements written to %s" % (agree, len(rows), len(bad), KNOWN))
