"""Clear errors, exit status 1, never a crash or a hang: bad pid, non-.NET pid, missing
program, files that are not .NET programs, unknown commands, commands without a process."""

import os
import shutil

import cdb
from cdb import batch, program

T = 30  # seconds: an error must come quickly


def _only_errors(res):
    """stderr holds nothing but `error: ` lines (no debuggee ran to write there)."""
    other = [l for l in res.err_lines if not l.startswith("error: ")]
    assert not other, "stderr lines that are not `error: ` lines: %r" % other


def test_attach_nonexistent_pid():
    pid = 999999
    assert not os.path.exists("/proc/%d" % pid)
    res = cdb.run(["--batch", "--attach", str(pid)], timeout=T)
    cdb.assert_failed(res, str(pid))
    res.hasnt(cdb.RE_ATTACHED)
    _only_errors(res)


def test_attach_non_dotnet_pid():
    other = cdb.start_plain(["sleep", "30"])
    res = cdb.run(["--batch", "--attach", str(other.pid), "-ex", "info threads"], timeout=T)
    cdb.assert_failed(res, str(other.pid))
    res.hasnt(cdb.RE_ATTACHED)
    assert other.poll() is None, "cordbg harmed the process it could not attach to"
    _only_errors(res)


def test_attach_bad_pid_argument():
    res = cdb.run(["--batch", "--attach", "notapid"], timeout=T)
    errs = res.error_lines()
    assert errs, "no error line for --attach notapid"
    assert res.status not in (0, None), "exit status 0 for a bad --attach argument"


def test_missing_program():
    missing = os.path.join(cdb.tmpdir(), "Nope.dll")
    res = batch([missing], ["run"], timeout=T)
    cdb.assert_failed(res, "Nope")
    res.hasnt(cdb.RE_STARTED + "|" + cdb.RE_EXITED)
    _only_errors(res)


def test_native_file_named_dll():
    fake = os.path.join(cdb.tmpdir(), "Native.dll")
    shutil.copy("/bin/true", fake)
    res = batch([fake], ["run"], timeout=T)
    cdb.assert_failed(res)
    res.hasnt(cdb.RE_LOADED)


def test_text_file_named_dll():
    fake = os.path.join(cdb.tmpdir(), "Text.dll")
    with open(fake, "w") as f:
        f.write("this is not a .NET assembly\n")
    res = batch([fake], ["run"], timeout=T)
    cdb.assert_failed(res)
    res.hasnt(cdb.RE_LOADED)


def test_native_executable():
    # an ELF program that never starts a .NET runtime: error, no hang waiting for it
    fake = os.path.join(cdb.tmpdir(), "notdotnet")
    shutil.copy("/bin/true", fake)
    res = batch([fake], ["run"], timeout=T)
    cdb.assert_failed(res)
    res.hasnt(cdb.RE_LOADED)


def test_empty_file_named_dll():
    fake = os.path.join(cdb.tmpdir(), "Empty.dll")
    open(fake, "w").close()
    res = batch([fake], ["run"], timeout=T)
    cdb.assert_failed(res)


def test_unknown_command_session_goes_on():
    res = batch([program("Hello"), "3"], ["frobnicate", "run"])
    cdb.assert_failed(res, "frobnicate")
    assert len(res.error_lines()) == 1, "one error line expected: %r" % res.error_lines()
    # the session went on to `run`
    assert cdb.exit_code(res, cdb.started_pid(res)) == 3


def test_commands_without_process_fail():
    res = cdb.run(["--batch", "-ex", "continue", "-ex", "kill", "-ex", "detach",
                   "-ex", "info threads"], timeout=T)
    errs = res.error_lines()
    assert len(errs) == 4, "expected one error line per command, got %r" % errs
    assert res.status == 1


def test_bad_command_argument():
    res = batch([program("Hello")], ["set events maybe", "run"])
    cdb.assert_failed(res)
    assert cdb.exit_code(res, cdb.started_pid(res)) == 0


def test_missing_x_file():
    res = cdb.run(["--batch", "-x", os.path.join(cdb.tmpdir(), "no-such-file")], timeout=T)
    cdb.assert_failed(res, "no-such-file")
    _only_errors(res)


def test_unknown_option():
    res = cdb.run(["--frobnicate"], timeout=T)
    assert res.error_lines(), "no error line for an unknown option"
    assert res.status not in (0, None)


def test_version_and_help():
    res = cdb.run(["--version"], timeout=T)
    cdb.assert_ok(res)
    res.has(r"(?i)^cordbg\b.*\d")
    res = cdb.run(["--help"], timeout=T)
    cdb.assert_ok(res)
    for opt in ("--attach", "--batch", "-ex", "-x", "--cwd", "--env", "ps"):
        assert opt in res.stdout, "--help does not mention %s" % opt


def test_help_command():
    res = cdb.run(["--batch", "-ex", "help", "-ex", "help run"], timeout=T)
    cdb.assert_ok(res)
    for cmd in ("run", "continue", "kill", "detach", "quit", "info", "help", "set"):
        assert cmd in res.stdout, "help does not mention %r" % cmd
