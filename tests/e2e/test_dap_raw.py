"""The Debug Adapter Protocol spoken raw: `cordbg --interpreter=vscode` over pipes (and one
session over `--server=0`), fed bad framing, bad JSON, bad and misplaced requests. Each bad
input must get an error response (success false, request_seq matching, a clear message) and
the adapter must stay alive: every bad input is followed by a good request whose response
is checked. Also the protocol's own rules: seq 1, 2, 3... on everything the adapter sends,
request_seq/command/success on every response, exactly one response per request, no event
before the initialize response, and the initialized event after it; stdin EOF ends cordbg
and the program it launched.

Waiting is always on a message (or a process exit) with a deadline that fails the test."""

import json
import os
import re
import socket
import threading
import time

import cdb
from cdb import program

WAIT = 60.0          # seconds for any one message
MARKER_LINE = cdb.find_mark("Hello", "hello")


class Dap:
    """One client connection to cordbg's adapter. Everything the adapter sends is parsed as
    it arrives (strictly: a framing or JSON error in its output fails the test) into
    self.msgs; wait() finds messages after a cursor."""

    def __init__(self, session=None, sock=None):
        self.session = session
        self.sock = sock
        if sock is not None:
            self.cond = threading.Condition()
            self.stream = cdb._Stream(sock, self.cond)
        else:
            self.cond = session.cond
            self.stream = session.out
        self.parsed = 0        # bytes of the stream parsed into msgs
        self.msgs = []
        self.cursor = 0        # wait() looks at msgs[cursor:]
        self.next_seq = 1
        self.requests = {}     # seq -> command of every well-formed request sent

    # ---------------------------------------------------------------- sending
    def send_raw(self, data):
        if isinstance(data, str):
            data = data.encode()
        if self.session is not None:
            self.session.sent.append("(raw) " + repr(data[:300]) + (" ... %d bytes" % len(data) if len(data) > 300 else ""))
            try:
                self.session.proc.stdin.write(data)
                self.session.proc.stdin.flush()
            except BrokenPipeError:
                raise AssertionError("cordbg closed its stdin (it died?)")
        else:
            self.sock.sendall(data)

    def send_body(self, body):
        """A body (str or bytes) framed with a right Content-Length."""
        if isinstance(body, str):
            body = body.encode()
        self.send_raw(b"Content-Length: %d\r\n\r\n" % len(body) + body)

    def request(self, command, arguments=None, seq=None):
        """Send a well-formed request; returns its seq."""
        if seq is None:
            seq = self.next_seq
        self.next_seq = max(self.next_seq, seq) + 1
        m = {"seq": seq, "type": "request", "command": command}
        if arguments is not None:
            m["arguments"] = arguments
        self.requests[seq] = command
        self.send_body(json.dumps(m))
        return seq

    def fresh_seq(self):
        s = self.next_seq
        self.next_seq += 1
        return s

    # ---------------------------------------------------------------- receiving
    def _parse(self):
        data = self.stream.data
        while True:
            rest = bytes(data[self.parsed:self.parsed + 200])
            if not rest:
                return
            end = rest.find(b"\r\n\r\n")
            if end < 0:
                assert len(rest) < 200, "adapter output: no header end in %r" % rest
                return
            m = re.fullmatch(rb"Content-Length: (\d+)", rest[:end])
            assert m, "adapter output: bad header %r" % rest[:end]
            n = int(m.group(1))
            start = self.parsed + end + 4
            if len(data) < start + n:
                return
            body = bytes(data[start:start + n])
            try:
                msg = json.loads(body.decode("utf-8"))
            except ValueError as e:
                raise AssertionError("adapter output: body is not JSON (%s): %r" % (e, body[:300]))
            assert isinstance(msg, dict), "adapter output: not an object: %r" % msg
            self.msgs.append(msg)
            self.parsed = start + n

    def wait(self, pred, what, timeout=WAIT):
        """The first message after the cursor for which pred(msg) holds; the cursor moves past it."""
        deadline = time.monotonic() + timeout
        with self.cond:
            while True:
                self._parse()
                for i in range(self.cursor, len(self.msgs)):
                    if pred(self.msgs[i]):
                        self.cursor = i + 1
                        return self.msgs[i]
                if self.stream.closed:
                    raise AssertionError("the adapter's output ended before %s; last messages: %s"
                                         % (what, self._tail()))
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError("timed out after %.0fs waiting for %s; last messages: %s"
                                         % (timeout, what, self._tail()))
                self.cond.wait(min(left, 1.0))

    def _tail(self):
        return "\n  " + "\n  ".join(json.dumps(m)[:400] for m in self.msgs[-8:])

    def response(self, seq, timeout=WAIT):
        """The response to request `seq` (checked for its shape)."""
        r = self.wait(lambda m: m.get("type") == "response" and m.get("request_seq") == seq,
                      "the response to request %d (%s)" % (seq, self.requests.get(seq, "?")), timeout)
        check_response_shape(r)
        if seq in self.requests:
            assert r["command"] == self.requests[seq], "response to %r says command %r" % (self.requests[seq], r["command"])
        return r

    def ok(self, command, arguments=None, timeout=WAIT):
        """A request that must succeed; returns its response's body (or {})."""
        seq = self.request(command, arguments)
        r = self.response(seq, timeout)
        assert r["success"] is True, "%s failed: %s" % (command, json.dumps(r))
        return r.get("body", {})

    def fails(self, command, arguments=None, message=None, seq=None):
        """A request that must fail with a message matching `message` (regex)."""
        seq = self.request(command, arguments, seq)
        r = self.response(seq)
        check_error(r, message, "%s %s" % (command, json.dumps(arguments)))
        return r

    def event(self, name, timeout=WAIT, pred=None):
        return self.wait(lambda m: m.get("type") == "event" and m.get("event") == name and (pred is None or pred(m)),
                         "event %r" % name, timeout)

    def error_after(self, message, what):
        """An error response to something that was no request (request_seq 0)."""
        r = self.wait(lambda m: m.get("type") == "response" and m.get("request_seq") == 0,
                      "an error response for %s" % what)
        check_response_shape(r)
        check_error(r, message, what)
        return r

    def still_answers(self):
        """A good request right after a bad input gets its own answer."""
        seq = self.request("threads")
        r = self.response(seq)
        assert r["success"] is True, "threads after a bad input failed: %s" % json.dumps(r)
        assert isinstance(r.get("body", {}).get("threads"), list), "threads body: %s" % json.dumps(r)
        self.check_alive()

    def check_alive(self):
        if self.session is not None:
            assert self.session.proc.poll() is None, "cordbg exited (status %s)" % self.session.proc.poll()
            self.session.check_no_crash()

    def all_messages(self):
        with self.cond:
            self._parse()
            return list(self.msgs)

    # ---------------------------------------------------------------- session steps
    def initialize(self, **extra):
        args = {"clientID": "test_dap_raw", "adapterID": "coreclr", "linesStartAt1": True,
                "columnsStartAt1": True, "pathFormat": "path"}
        args.update(extra)
        seq = self.request("initialize", args)
        r = self.response(seq)
        assert r["success"] is True, "initialize failed: %s" % json.dumps(r)
        self.event("initialized")
        return r.get("body", {})

    def disconnect_and_exit(self):
        """disconnect, then stdin closed: cordbg ends with status 0, no crash."""
        self.ok("disconnect", {"terminateDebuggee": True})
        self.session.close_stdin()
        st = self.session.wait(60)
        assert st == 0, "cordbg exit status %s after disconnect" % st


def check_response_shape(r):
    for key, kind in (("seq", int), ("type", str), ("request_seq", int), ("command", str), ("success", bool)):
        assert isinstance(r.get(key), kind), "response without a %s %r: %s" % (kind.__name__, key, json.dumps(r))


def check_error(r, message, what):
    assert r["success"] is False, "%s: expected an error response, got %s" % (what, json.dumps(r))
    msg = r.get("message")
    assert isinstance(msg, str) and msg.strip(), "%s: error response without a message: %s" % (what, json.dumps(r))
    if message:
        assert re.search(message, msg), "%s: error message %r does not match /%s/" % (what, msg, message)
    fmt = r.get("body", {}).get("error", {}).get("format")
    assert fmt == msg, "%s: body.error.format %r is not the message %r" % (what, fmt, msg)


def start(args=(), env=None):
    s = cdb.Session(["--interpreter=vscode"] + list(args), env=env, label="cordbg-dap")
    return Dap(session=s)


def record_process(d):
    """The process event: its pid is recorded for the watchdog and returned."""
    ev = d.event("process")
    pid = ev["body"]["systemProcessId"]
    assert isinstance(pid, int) and pid > 0, "process event: %s" % json.dumps(ev)
    cdb.record_debuggee(pid)
    return pid


def launch_sleeper(d):
    """Launch Sleeper (runs until its release file exists); wait until it is running
    managed code (its "ready PID" output). Returns (pid, release file)."""
    release = os.path.join(cdb.tmpdir(), "release")
    d.ok("launch", {"program": program("Sleeper"), "args": [release]})
    d.ok("configurationDone")
    pid = record_process(d)
    out = d.event("output", pred=lambda m: m["body"].get("category") == "stdout"
                  and "ready" in m["body"].get("output", ""))
    assert ("ready %d" % pid) in out["body"]["output"], "Sleeper output: %s" % json.dumps(out)
    return pid, release


# ====================================================================== framing and JSON

def test_malformed_json():
    d = start()
    d.initialize()
    for body, what in ((b'{"seq":5,"type":"request",', "a JSON object cut short"),
                       (b'{"seq":5,"type":"request","command":"threads"} {}', "two JSON values"),
                       (b'not json at all', "text"),
                       (b'{"seq":5,"type":"request","command":"thr\xff\xfeads"}', "invalid UTF-8"),
                       (b'{"seq":5,"seq":6,"type":"request","command":"threads"}', "a duplicate key"),
                       (b'', "an empty body")):
        d.send_body(body)
        d.error_after(r"malformed JSON at line \d+ column \d+: \S", what)
        d.still_answers()
    d.disconnect_and_exit()


def test_content_length_too_small():
    d = start()
    d.initialize()
    cut = json.dumps({"seq": 40, "type": "request", "command": "threads"}).encode()
    good = json.dumps({"seq": 41, "type": "request", "command": "threads"}).encode()
    # the body is cut after 5 bytes: that part is not JSON; the rest is junk before the next
    # header (reported when that header comes), and the next message is read
    d.send_raw(b"Content-Length: 5\r\n\r\n" + cut + b"Content-Length: %d\r\n\r\n" % len(good) + good)
    d.requests[41] = "threads"
    d.error_after(r"^malformed JSON", "the first 5 bytes of a body")
    d.error_after(r"^the header has no Content-Length$", "the rest of the body")
    assert d.response(41)["success"] is True
    assert not [m for m in d.all_messages() if m.get("request_seq") == 40], "a response to the cut request 40"
    d.next_seq = 42
    d.still_answers()
    d.disconnect_and_exit()


def test_content_length_too_large():
    d = start()
    d.initialize()
    bad = json.dumps({"seq": 50, "type": "request", "command": "threads"}).encode()
    a = json.dumps({"seq": 51, "type": "request", "command": "threads"}).encode()
    b = json.dumps({"seq": 52, "type": "request", "command": "threads"}).encode()
    fa = b"Content-Length: %d\r\n\r\n" % len(a) + a
    fb = b"Content-Length: %d\r\n\r\n" % len(b) + b
    # the first body swallows the whole next message and part of the one after
    d.send_raw(b"Content-Length: %d\r\n\r\n" % (len(bad) + len(fa) + 20) + bad + fa + fb)
    d.requests.update({51: "threads", 52: "threads"})
    d.error_after(r"^malformed JSON", "a body that runs into the next messages")
    for seq in (51, 52):
        r = d.response(seq)
        assert r["success"] is True, "request %d after a too-large Content-Length: %s" % (seq, json.dumps(r))
    d.next_seq = 53
    d.still_answers()
    # request 50 itself was never read as a request: no response for it
    assert not [m for m in d.all_messages() if m.get("request_seq") == 50], "a response to the swallowed request 50"
    d.disconnect_and_exit()


def test_huge_header():
    d = start()
    d.initialize()
    d.send_raw(b"Content-Length: 2\r\nX-Padding: " + b"x" * 10000)
    d.error_after(r"header longer than 4096 bytes", "a header that never ends")
    d.send_raw(b"\r\n\r\n")   # the end of the junk: the tail of it is reported (or not) too
    d.still_answers()
    d.disconnect_and_exit()


def test_huge_header_then_a_request_cut_after_its_header():
    # the read that overflows the header limit ends 20 bytes into the next message (its
    # "Content-Length: N\r\n"); the rest of that message comes only after the adapter has
    # answered the overflow, in a read of its own: the message must still be read
    d = start()
    d.initialize()
    seq = d.fresh_seq()
    d.requests[seq] = "threads"
    body = json.dumps({"seq": seq, "type": "request", "command": "threads"}).encode()
    framed = b"Content-Length: %d\r\n\r\n" % len(body) + body
    d.send_raw(b"Content-Length: 2\r\nX-Padding: " + b"x" * 5000 + framed[:20])
    d.error_after(r"header longer than 4096 bytes", "a header that never ends")
    d.send_raw(framed[20:])
    r = d.response(seq, timeout=20)
    assert r["success"] is True, "threads after the overlong header: %s" % json.dumps(r)
    d.disconnect_and_exit()


def test_content_length_too_large_by_a_few_bytes():
    # the body runs 5 bytes into the next message ("Conte"): that message must still be read
    d = start()
    d.initialize()
    bad = json.dumps({"seq": 60, "type": "request", "command": "threads"}).encode()
    good = json.dumps({"seq": 61, "type": "request", "command": "threads"}).encode()
    d.requests[61] = "threads"
    d.send_raw(b"Content-Length: %d\r\n\r\n" % (len(bad) + 5) + bad + b"Content-Length: %d\r\n\r\n" % len(good) + good)
    d.error_after(r"^malformed JSON", "a body that runs into the next message")
    r = d.response(61, timeout=20)
    assert r["success"] is True, "request 61 after a Content-Length 5 bytes too large: %s" % json.dumps(r)
    d.disconnect_and_exit()


def test_two_content_lengths():
    # a header with two different lengths is refused as a whole; the message after it is read
    d = start()
    d.initialize()
    good = json.dumps({"seq": 70, "type": "request", "command": "threads"}).encode()
    d.requests[70] = "threads"
    d.send_raw(b"Content-Length: 1\r\nContent-Length: 2\r\n\r\n" + b"Content-Length: %d\r\n\r\n" % len(good) + good)
    d.error_after(r"^two different Content-Length headers$", "two Content-Length headers")
    r = d.response(70, timeout=20)
    assert r["success"] is True, "request 70 after a header with two lengths: %s" % json.dumps(r)
    d.disconnect_and_exit()


def test_bad_content_length_values():
    d = start()
    d.initialize()
    for header, message in ((b"Content-Length: abc", r"^Content-Length is not a number$"),
                            (b"Content-Length: -5", r"^Content-Length is not a number$"),
                            (b"Content-Length: 12abc", r"^Content-Length is not a number$"),
                            (b"Content-Length: 99999999999999999999999", r"^Content-Length is too large$"),
                            (b"Content-Type: application/vscode-jsonrpc", r"^the header has no Content-Length$"),
                            (b"GET / HTTP/1.1", r"^a header line is not 'Name: value'$")):
        d.send_raw(header + b"\r\n\r\n")
        d.error_after(message, repr(header))
        d.still_answers()
    # other headers, header names in other cases, blank lines between messages
    seq = d.fresh_seq()
    d.requests[seq] = "threads"
    body = json.dumps({"seq": seq, "type": "request", "command": "threads"}).encode()
    d.send_raw(b"\r\n\r\ncontent-type: application/vscode-jsonrpc; charset=utf-8\r\nCONTENT-LENGTH: %d\r\n\r\n" % len(body) + body)
    assert d.response(seq)["success"] is True
    d.disconnect_and_exit()


def test_bad_message_shapes():
    d = start()
    d.initialize()
    for body, seq, message in (('[1, 2]', 0, r"must be an object with a 'type'"),
                               ('"a string"', 0, r"malformed JSON|must be an object"),
                               ('{"seq": 7, "command": "threads"}', 7, r"must be an object with a 'type'"),
                               ('{"seq": 8, "type": "event", "event": "x"}', 8, r"only requests are accepted"),
                               ('{"type": "request", "command": "threads"}', 0, r"'seq' must be a positive integer"),
                               ('{"seq": -3, "type": "request", "command": "threads"}', 0, r"'seq' must be a positive integer"),
                               ('{"seq": "9", "type": "request", "command": "threads"}', 0, r"'seq' must be a positive integer"),
                               ('{"seq": 10, "type": "request"}', 10, r"'command' must be a string"),
                               ('{"seq": 11, "type": "request", "command": 5}', 11, r"'command' must be a string"),
                               ('{"seq": 12, "type": "request", "command": "threads", "arguments": [1]}', 12,
                                r"'arguments' must be an object"),
                               ('{"seq": 13, "type": "request", "command": "threads", "arguments": "x"}', 13,
                                r"'arguments' must be an object")):
        d.send_body(body)
        r = d.wait(lambda m: m.get("type") == "response" and m.get("request_seq") == seq,
                   "an error response (request_seq %d) to %s" % (seq, body))
        check_response_shape(r)
        check_error(r, message, body)
        d.next_seq = max(d.next_seq, 14)
        d.still_answers()
    # a response from the client (to a reverse request) is not answered at all
    d.send_body('{"seq": 30, "type": "response", "request_seq": 1, "success": true, "command": "runInTerminal"}')
    d.next_seq = 31
    d.still_answers()
    assert not [m for m in d.all_messages() if m.get("request_seq") == 30], "a response to the client's response"
    d.disconnect_and_exit()


# ====================================================================== requests

def test_unknown_commands():
    d = start()
    d.initialize()
    for cmd in ("fooBar", "Threads", "", "runInTerminal", "x" * 300):
        d.fails(cmd, {}, r"unknown request")
        d.still_answers()
    d.disconnect_and_exit()


def test_missing_and_mistyped_arguments():
    d = start()
    d.initialize()
    missing = os.path.join(cdb.tmpdir(), "no-such-program.dll")
    cases = [
        ("setBreakpoints", {"breakpoints": [{"line": 3}]}, r"'source' is missing"),
        ("setBreakpoints", {"source": "Program.cs", "breakpoints": [{"line": 3}]}, r"'source' is missing"),
        ("setBreakpoints", {"source": {"name": "x.cs"}}, r"'source' has no path"),
        ("setBreakpoints", {"source": {"path": "/tmp/x.cs"}, "breakpoints": {"line": 3}}, r"'breakpoints' must be an array"),
        ("setBreakpoints", {"source": {"path": "/tmp/x.cs"}, "breakpoints": [{"line": "3"}]}, r"no integer 'line'"),
        ("setFunctionBreakpoints", {}, r"'breakpoints' must be an array"),
        ("setFunctionBreakpoints", {"breakpoints": [{"nom": "Main"}]}, r"has no 'name'"),
        ("setExceptionBreakpoints", {"filters": "all"}, r"'filters' must be an array"),
        ("setExceptionBreakpoints", {"filters": ["nonsense"]}, r"unknown exception filter 'nonsense'"),
        ("setExceptionBreakpoints", {"filters": [3]}, r"not a string"),
        ("stackTrace", {"threadId": "1"}, r"'threadId' must be an integer"),
        ("stackTrace", {}, r"'threadId' is missing"),
        ("stackTrace", {"threadId": 1.5}, r"'threadId' must be an integer"),
        ("scopes", {}, r"'frameId' is missing"),
        ("scopes", {"frameId": None}, r"'frameId' is missing"),
        ("variables", {}, r"'variablesReference' is missing"),
        ("variables", {"variablesReference": "1"}, r"'variablesReference' must be an integer"),
        ("variables", {"variablesReference": 1, "filter": 2}, r"'filter' must be a string"),
        ("evaluate", {}, r"'expression' is missing"),
        ("evaluate", {"expression": 42}, r"'expression' must be a string"),
        ("evaluate", {"expression": "1+1", "frameId": "top"}, r"'frameId' must be an integer"),
        ("setVariable", {"variablesReference": 1, "name": "x"}, r"'value' is missing"),
        ("setExpression", {"expression": "x"}, r"'value' is missing"),
        ("continue", {"threadId": "1"}, r"'threadId' must be an integer"),
        ("next", {"threadId": []}, r"'threadId' must be an integer"),
        ("goto", {"threadId": 1}, r"'targetId' is missing"),
        ("exceptionInfo", {}, r"'threadId' is missing"),
        ("breakpointLocations", {"source": {"path": "/tmp/x.cs"}}, r"'line' is missing"),
        ("source", {"sourceReference": 99}, r"no source with reference 99"),
        ("modules", {"startModule": "0"}, r"'startModule' must be an integer"),
        ("disconnect", {"terminateDebuggee": "yes"}, r"'terminateDebuggee' must be true or false"),
        ("launch", {}, r"'program' is missing"),
        ("launch", {"program": 7}, r"'program' must be a string"),
        ("launch", {"program": missing}, re.escape(missing) + r".*(No such file|not found|does not exist)"),
        ("launch", {"program": program("Hello"), "args": 3}, r"'args' must be an array of strings or one string"),
        ("launch", {"program": program("Hello"), "args": ["3", 4]}, r"'args' must be an array of strings"),
        ("launch", {"program": program("Hello"), "env": ["A=1"]}, r"'env' must be an object"),
        ("launch", {"program": program("Hello"), "cwd": missing}, r"is not a directory"),
        ("launch", {"program": program("Hello"), "stopAtEntry": "yes"}, r"'stopAtEntry' must be true or false"),
        ("launch", {"program": "/etc/passwd"}, r"/etc/passwd"),
        ("attach", {}, r"'processId' is missing"),
        ("attach", {"processId": "abc"}, r"'processId' is not a process id"),
        ("attach", {"processId": -1}, r"'processId' is not a process id"),
        ("attach", {"processId": 0}, r"'processId' is not a process id"),
        ("attach", {"processId": 1.5}, r"'processId' must be an integer"),
        ("attach", {"processId": 99999999999}, r"'processId' is not a process id"),
        ("attach", {"processId": 2147483000}, r"no process with id 2147483000"),
        ("attach", {"processId": os.getpid()}, r"is not a \.NET process"),
    ]
    for cmd, args, message in cases:
        d.fails(cmd, args, message)
        d.still_answers()
    # none of those took: a good launch still works, and runs the program to its end
    d.ok("launch", {"program": program("Hello"), "args": ["3"]})
    d.ok("configurationDone")
    record_process(d)
    ex = d.event("exited")
    assert ex["body"]["exitCode"] == 3, "exited: %s" % json.dumps(ex)
    d.event("terminated")
    d.disconnect_and_exit()


def test_requests_before_initialize():
    d = start()
    for cmd, args in (("threads", None), ("launch", {"program": program("Hello")}),
                      ("setBreakpoints", {"source": {"path": "/tmp/x.cs"}, "breakpoints": [{"line": 1}]}),
                      ("configurationDone", None), ("attach", {"processId": 1}), ("evaluate", {"expression": "1"})):
        d.fails(cmd, args, r"^'%s' before initialize$" % cmd)
    d.fails("initialize", {"linesStartAt1": "yes"}, r"'linesStartAt1' must be true or false")
    d.fails("initialize", {"pathFormat": "uri"}, r"pathFormat")
    body = d.initialize()
    assert body.get("supportsConfigurationDoneRequest") is True, "capabilities: %s" % json.dumps(body)
    d.fails("initialize", {"adapterID": "coreclr"}, r"initialize was already received")
    d.still_answers()
    # nothing but responses before the initialize response; the initialized event after it
    msgs = d.all_messages()
    init = next(i for i, m in enumerate(msgs) if m.get("type") == "response" and m.get("command") == "initialize"
                and m.get("success"))
    assert all(m.get("type") == "response" for m in msgs[:init]), "an event before the initialize response"
    first_event = next(i for i, m in enumerate(msgs) if m.get("type") == "event")
    assert first_event > init and msgs[first_event]["event"] == "initialized", \
        "the first event is %s" % json.dumps(msgs[first_event])
    d.disconnect_and_exit()


def test_requests_while_the_program_runs():
    d = start()
    d.initialize()
    pid, release = launch_sleeper(d)
    running = r"the program is running; pause it first"
    d.fails("next", {"threadId": 1}, running)
    d.still_answers()
    d.fails("stepIn", {"threadId": 1}, running)
    d.fails("continue", {"threadId": 1}, running)
    d.fails("stackTrace", {"threadId": 1}, running)
    d.fails("scopes", {"frameId": 65537}, running)
    d.fails("variables", {"variablesReference": 1}, running)
    d.fails("evaluate", {"expression": "1 + 1"}, running)
    d.fails("exceptionInfo", {"threadId": 1}, running)
    d.still_answers()
    # a second launch is refused while the first program runs
    d.fails("launch", {"program": program("Hello")}, r"already has a program")
    d.fails("attach", {"processId": pid}, r"already has a program")
    # pause: now the same requests work
    d.ok("pause", {"threadId": 1})
    stop = d.event("stopped")
    assert stop["body"]["reason"] == "pause", "stopped: %s" % json.dumps(stop)
    tid = stop["body"].get("threadId") or 1
    frames = d.ok("stackTrace", {"threadId": tid})["stackFrames"]
    assert frames, "no frames after pause"
    d.ok("continue", {"threadId": tid})
    d.fails("next", {"threadId": tid}, running)
    d.still_answers()
    open(release, "w").close()
    ex = d.event("exited")
    assert ex["body"]["exitCode"] == 0, "exited: %s" % json.dumps(ex)
    d.event("terminated")
    cdb.gone_or_fail(pid, "Sleeper")
    # no program any more
    d.fails("next", {"threadId": tid}, r"not being debugged")
    d.fails("stackTrace", {"threadId": tid}, r"not being debugged")
    d.disconnect_and_exit()


def _died(d, cmd, args, e):
    """What to report for a request that the adapter did not survive."""
    err = d.session.stderr
    i = max(err.find("runtime error:"), err.find("ERROR: AddressSanitizer"))
    return "%s %s: %s%s" % (cmd, json.dumps(args), str(e).splitlines()[0],
                            ("\n      " + err[i:i + 300].replace("\n", "\n      ")) if i >= 0 else "")


def test_bad_numbers_in_arguments():
    # integers at the ends of their ranges, with lines counted from 0 (every line given is
    # one more for the engine): each must be refused or handled, never overflow; every
    # request is tried even when one of them kills the adapter (a new session goes on)
    src = os.path.join(cdb.PROGRAMS, "Hello", "Program.cs")
    cases = []
    for line in (2147483647, 2147483648, 9223372036854775807, -9223372036854775808, -1):
        cases.append(("setBreakpoints", {"source": {"path": src}, "breakpoints": [{"line": line}]}))
        cases.append(("breakpointLocations", {"source": {"path": src}, "line": line}))
        cases.append(("breakpointLocations", {"source": {"path": src}, "line": 1, "endLine": line}))
    failures = []
    d = None
    for cmd, args in cases:
        if d is None:
            d = start()
            d.initialize(linesStartAt1=False, columnsStartAt1=False)
        try:
            seq = d.request(cmd, args)
            r = d.response(seq)
            if cmd == "setBreakpoints" and r["success"]:
                bps = r["body"]["breakpoints"]
                assert len(bps) == 1 and bps[0]["verified"] is False, "%s: %s" % (json.dumps(args), json.dumps(r))
            d.still_answers()
        except AssertionError as e:
            failures.append(_died(d, cmd, args, e))
            cdb.cleanup()
            d = None
    assert not failures, "the adapter did not survive:\n  " + "\n  ".join(failures)
    d.disconnect_and_exit()


def _stopped_at_hello():
    """A session stopped at Hello's breakpoint: (Dap, thread id, source path)."""
    d = start()
    d.initialize()
    src = os.path.join(cdb.PROGRAMS, "Hello", "Program.cs")
    d.ok("setBreakpoints", {"source": {"path": src}, "breakpoints": [{"line": MARKER_LINE}]})
    d.ok("launch", {"program": program("Hello")})
    d.ok("configurationDone")
    record_process(d)
    stop = d.event("stopped")
    return d, stop["body"]["threadId"], src


def test_bad_numbers_while_stopped():
    # the same while the program is stopped (frame ids, stack levels, module ranges); every
    # request is tried even when one of them kills the adapter (a new session goes on)
    big, small = 9223372036854775807, -9223372036854775808
    cases = [("stackTrace", {"threadId": "TID", "levels": big}),
             ("stackTrace", {"threadId": "TID", "startFrame": 1, "levels": big}),
             ("stackTrace", {"threadId": "TID", "startFrame": big}),
             ("stackTrace", {"threadId": big}),
             ("scopes", {"frameId": small}),
             ("scopes", {"frameId": big}),
             ("evaluate", {"expression": "1", "frameId": small}),
             ("setExpression", {"expression": "x", "value": "1", "frameId": small}),
             ("variables", {"variablesReference": big, "start": big, "count": big}),
             ("modules", {"startModule": 1, "moduleCount": big}),
             ("modules", {"startModule": big, "moduleCount": big}),
             ("gotoTargets", {"source": {"path": "SRC"}, "line": big}),
             ("goto", {"threadId": "TID", "targetId": big})]
    failures = []
    d = None
    for cmd, args in cases:
        if d is None:
            d, tid, src = _stopped_at_hello()
        a = json.loads(json.dumps(args).replace('"TID"', str(tid)).replace('"SRC"', json.dumps(src)))
        try:
            seq = d.request(cmd, a)
            d.response(seq)
            d.still_answers()
        except AssertionError as e:
            failures.append(_died(d, cmd, a, e))
            cdb.cleanup()
            d = None
    assert not failures, "the adapter did not survive:\n  " + "\n  ".join(failures)
    d.ok("continue", {"threadId": tid})
    d.event("terminated")
    d.disconnect_and_exit()


# ====================================================================== the protocol's rules

def check_protocol(msgs, requests, unasked=0):
    """seq 1, 2, 3...; every response well-formed; exactly one response per request; and
    `unasked` error responses (request_seq 0) to inputs that were no request."""
    for i, m in enumerate(msgs):
        assert m.get("seq") == i + 1, "message %d has seq %r: %s" % (i + 1, m.get("seq"), json.dumps(m)[:300])
        assert m.get("type") in ("response", "event"), "message of type %r" % m.get("type")
        if m["type"] == "response":
            check_response_shape(m)
        else:
            assert isinstance(m.get("event"), str), "event without a name: %s" % json.dumps(m)
    answers = {}
    for m in msgs:
        if m["type"] == "response":
            answers.setdefault(m["request_seq"], []).append(m)
    for seq, command in requests.items():
        got = answers.get(seq, [])
        assert len(got) == 1, "request %d (%s): %d responses: %s" % (seq, command, len(got), json.dumps(got)[:600])
        assert got[0]["command"] == command, "request %d (%s) answered as %r" % (seq, command, got[0]["command"])
    zero = answers.pop(0, [])
    assert len(zero) == unasked and all(not m["success"] for m in zero), \
        "%d responses with request_seq 0 (expected %d errors): %s" % (len(zero), unasked, json.dumps(zero)[:600])
    extra = set(answers) - set(requests)
    assert not extra, "responses to requests never sent: %r" % sorted(extra)


def test_whole_session_protocol():
    d = start()
    d.initialize()
    src = os.path.join(cdb.PROGRAMS, "Hello", "Program.cs")
    bps = d.ok("setBreakpoints", {"source": {"path": src}, "breakpoints": [{"line": MARKER_LINE}]})["breakpoints"]
    assert len(bps) == 1 and bps[0]["line"] == MARKER_LINE, "setBreakpoints: %s" % json.dumps(bps)
    d.ok("setExceptionBreakpoints", {"filters": ["unhandled"]})
    d.ok("launch", {"program": program("Hello"), "args": ["5"]})
    d.ok("configurationDone")
    pid = record_process(d)
    stop = d.event("stopped")
    assert stop["body"]["reason"] == "breakpoint", "stopped: %s" % json.dumps(stop)
    tid = stop["body"]["threadId"]
    threads = d.ok("threads")["threads"]
    assert tid in [t["id"] for t in threads], "stopped thread %d not in %s" % (tid, json.dumps(threads))
    frames = d.ok("stackTrace", {"threadId": tid, "startFrame": 0, "levels": 20})["stackFrames"]
    assert frames and frames[0]["line"] == MARKER_LINE, "top frame: %s" % json.dumps(frames[:1])
    assert frames[0]["source"]["path"].endswith("Program.cs"), "top frame: %s" % json.dumps(frames[0])
    scopes = d.ok("scopes", {"frameId": frames[0]["id"]})["scopes"]
    assert scopes, "no scopes"
    names = []
    for sc in scopes:
        if sc["variablesReference"]:
            names += [v["name"] for v in d.ok("variables", {"variablesReference": sc["variablesReference"]})["variables"]]
    assert "args" in names, "variables of the top frame: %r" % names
    ev = d.ok("evaluate", {"expression": "args.Length", "frameId": frames[0]["id"], "context": "watch"})
    assert ev["result"] == "1", "evaluate args.Length: %s" % json.dumps(ev)
    d.ok("continue", {"threadId": tid})
    ex = d.event("exited")
    assert ex["body"]["exitCode"] == 5, "exited: %s" % json.dumps(ex)
    d.event("terminated")
    cdb.gone_or_fail(pid, "Hello")
    d.disconnect_and_exit()
    msgs = d.all_messages()
    check_protocol(msgs, d.requests)
    init = next(i for i, m in enumerate(msgs) if m.get("command") == "initialize")
    assert init == 0, "the first message is not the initialize response: %s" % json.dumps(msgs[0])
    assert msgs[1].get("event") == "initialized", "the message after the initialize response: %s" % json.dumps(msgs[1])
    order = [m.get("event") for m in msgs if m["type"] == "event"]
    for a, b in (("process", "stopped"), ("stopped", "exited"), ("exited", "terminated")):
        assert order.index(a) < order.index(b), "event %s after %s: %r" % (a, b, order)
    out = "".join(m["body"]["output"] for m in msgs if m.get("event") == "output"
                  and m["body"].get("category") == "stdout")
    assert "hello from Hello\n" in out, "program output: %r" % out


def test_stdin_eof_while_running_kills_the_program():
    d = start()
    d.initialize()
    pid, _ = launch_sleeper(d)
    d.session.close_stdin()
    st = d.session.wait(30)
    assert st == 0, "cordbg exit status %s at stdin EOF" % st
    cdb.gone_or_fail(pid, "the launched Sleeper")


def test_stdin_eof_while_stopped_kills_the_program():
    d = start()
    d.initialize()
    pid, _ = launch_sleeper(d)
    d.ok("pause", {"threadId": 1})
    d.event("stopped")
    d.session.close_stdin()
    st = d.session.wait(30)
    assert st == 0, "cordbg exit status %s at stdin EOF" % st
    cdb.gone_or_fail(pid, "the launched Sleeper")


def test_stdin_eof_mid_message():
    # EOF inside a message (header read, body not): cordbg ends all the same
    d = start()
    d.initialize()
    pid, _ = launch_sleeper(d)
    d.send_raw(b'Content-Length: 100\r\n\r\n{"seq": 9, "type": "req')
    d.session.close_stdin()
    st = d.session.wait(30)
    assert st == 0, "cordbg exit status %s at stdin EOF" % st
    cdb.gone_or_fail(pid, "the launched Sleeper")


def test_disconnect_while_running_kills_the_program():
    d = start()
    d.initialize()
    pid, _ = launch_sleeper(d)
    d.ok("disconnect", {"terminateDebuggee": True}, timeout=30)
    d.session.close_stdin()
    st = d.session.wait(30)
    assert st == 0, "cordbg exit status %s after disconnect" % st
    cdb.gone_or_fail(pid, "the launched Sleeper")


def test_disconnect_without_terminating_while_running_lets_the_program_go():
    d = start()
    d.initialize()
    pid, release = launch_sleeper(d)
    d.ok("disconnect", {"terminateDebuggee": False}, timeout=30)
    d.session.close_stdin()
    st = d.session.wait(30)
    assert st == 0, "cordbg exit status %s after disconnect" % st
    assert cdb.pid_alive(pid), "Sleeper %d died after disconnect without terminateDebuggee" % pid
    open(release, "w").close()
    cdb.gone_or_fail(pid, "the released Sleeper", timeout=30)


def test_terminate_while_running_then_disconnect():
    d = start()
    d.initialize()
    pid, _ = launch_sleeper(d)
    before = d.cursor
    d.ok("terminate", timeout=30)
    d.cursor = before       # the events may come before the response
    ex = d.event("exited")
    assert ex["body"]["exitCode"] == 137, "exited: %s" % json.dumps(ex)
    d.event("terminated")
    cdb.gone_or_fail(pid, "the launched Sleeper")
    d.still_answers()
    d.fails("next", {"threadId": 1}, r"not being debugged")
    d.ok("disconnect", timeout=30)
    d.session.close_stdin()
    st = d.session.wait(30)
    assert st == 0, "cordbg exit status %s after disconnect" % st


# ====================================================================== --server

def test_server_bad_inputs_and_two_clients():
    s = cdb.Session(["--server=0"], stdin=False, label="cordbg-server")
    m = s.expect_err(r"^cordbg: DAP server listening on 127\.0\.0\.1:(\d+)$")
    port = int(m.group(1))
    for client in range(2):
        sock = socket.create_connection(("127.0.0.1", port), timeout=WAIT)
        sock.settimeout(None)   # blocking: the reader thread reads its fd directly
        try:
            d = Dap(sock=sock)
            d.initialize()
            d.send_body(b'{"seq": 2, "type": "request", "command": ')
            d.error_after(r"^malformed JSON", "a JSON object cut short")
            d.still_answers()
            d.send_raw(b"Content-Length: x\r\n\r\n")
            d.error_after(r"^Content-Length is not a number$", "a non-numeric Content-Length")
            d.still_answers()
            d.fails("noSuchCommand", {}, r"unknown request 'noSuchCommand'")
            d.fails("stackTrace", {"threadId": "1"}, r"'threadId' must be an integer")
            d.still_answers()
            d.ok("disconnect")
            # the adapter ends this connection after disconnect
            deadline = time.monotonic() + WAIT
            with d.cond:
                while not d.stream.closed:
                    left = deadline - time.monotonic()
                    assert left > 0, "the server did not close the connection after disconnect"
                    d.cond.wait(min(left, 1.0))
            check_protocol(d.all_messages(), d.requests, unasked=2)
        finally:
            sock.close()
        assert s.proc.poll() is None, "the server exited after client %d" % (client + 1)
        s.check_no_crash()


# ====================================================================== the log flags

def test_log_flags_write_cordbgs_log_to_a_file():
    """netcoredbg's --log=FILE and --engineLogging=FILE: cordbg's log (debug level) goes to
    FILE; an unwritable FILE is refused at start."""
    for flag in ("--log=", "--engineLogging="):
        path = os.path.join(cdb.tmpdir(), "engine.log")
        d = start([flag + path])
        d.initialize()
        pid, release = launch_sleeper(d)
        open(release, "w").close()
        d.event("exited")
        d.disconnect_and_exit()
        with open(path) as f:
            text = f.read()
        assert re.search(r"^ *\d+\.\d{3} \d+ DEBUG engine: event CreateProcess$", text, re.M), \
            "%s: the log holds no engine events:\n%s" % (flag, text[:2000])
        os.unlink(path)
    s = cdb.Session(["--interpreter=vscode", "--log=/nonexistent-dir/x.log"], label="cordbg-dap")
    s.close_stdin()
    assert s.wait(30) == 1
    assert "cannot open log file /nonexistent-dir/x.log" in s.stderr, s.stderr
