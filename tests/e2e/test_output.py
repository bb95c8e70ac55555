"""The debuggee's stdout and stderr pass through cordbg byte for byte."""

import re
import subprocess

import cdb
from cdb import program


def _reference():
    p = subprocess.run(["dotnet", program("Output")], stdin=subprocess.DEVNULL,
                       capture_output=True, timeout=60)
    assert p.returncode == 0, "Output without the debugger: status %d" % p.returncode
    assert p.stdout == p.stderr, "Output writes the same payload to both streams"
    assert len(p.stdout) > 200 * 1024 and b"\0" in p.stdout and b"\r" in p.stdout
    assert not p.stdout.endswith(b"\n")
    return p.stdout, p.stderr


def test_output_byte_for_byte():
    ref_out, ref_err = _reference()
    res = cdb.batch([program("Output")], ["run"])
    assert res.status == 0, "cordbg exit status %s" % res.status
    # cordbg writes nothing of its own to stderr when nothing failed
    assert res.err_bytes == ref_err, "stderr differs from the reference: %d vs %d bytes%s" % (
        len(res.err_bytes), len(ref_err), _first_diff(res.err_bytes, ref_err))
    # stdout holds cordbg's lines too; the payload must be there as one contiguous block
    assert ref_out in res.out_bytes, "stdout does not contain the payload as one block" + \
        _first_diff(res.out_bytes, ref_out)
    # the payload ends without a newline, so the exit line may share its line
    m = re.search(rb"Process (\d+) exited with code (\d+)\n", res.out_bytes)
    assert m and m.group(2) == b"0", "no `Process N exited with code 0`"
    assert res.out_bytes.index(ref_out) < m.start()


def _first_diff(a, b):
    n = min(len(a), len(b))
    for i in range(n):
        if a[i] != b[i]:
            return " (first difference at byte %d: %r vs %r)" % (i, a[i:i + 20], b[i:i + 20])
    return ""
