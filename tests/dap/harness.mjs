// Helpers for the DAP tests: a DebugClient (from @vscode/debugadapter-testsupport) talking to
// the real cordbg, with
//   - every message in and out recorded (the transcript is added to a failing test's error),
//   - every event queued from the first byte on, so that a wait never misses an event that
//     came before it was asked for (DebugClient.waitForEvent listens only from its call on),
//   - requests and waits bounded by a deadline that fails the test (and by the test's own
//     abort signal), never a sleep,
//   - cleanup that always runs: disconnect, then cordbg ended (SIGKILL if it lingers), the
//     debuggees it reported and the programs the test started itself killed if still alive,
//   - cordbg's stderr checked for sanitizer reports and crashes.
//
// dapTest(name, async (ctx) => { ... }, { timeout }) is node:test's test() with a ctx that
// makes sessions (ctx.session(), ctx.serverSession()) and starts programs (ctx.spawnProgram()).
//
// Environment: CORDBG (binary; default build-san/cordbg if present, else build/cordbg, as
// tests/e2e/cdb.py), CORDBG_TEST_OUT (built test programs; default tests/out),
// CORDBG_TEST_TIMEOUT (seconds per test, default 120), CORDBG_TEST_TMP (scratch folder).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dapTestSupport from '@vscode/debugadapter-testsupport';

const { DebugClient } = dapTestSupport;

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const OUT = process.env.CORDBG_TEST_OUT || path.join(REPO, 'tests', 'out');
export const PROGRAMS = path.join(REPO, 'tests', 'programs');
export const TEST_TIMEOUT = 1000 * (Number(process.env.CORDBG_TEST_TIMEOUT) || 120);
/** Time one request or one awaited event may take before the test fails. */
export const WAIT = Math.max(1000, Math.min(60000, TEST_TIMEOUT / 2));

// Text that must never appear in cordbg's stderr: sanitizer reports, crashes (as cdb.py).
const CRASH_MARKERS = ['AddressSanitizer', 'LeakSanitizer', 'UndefinedBehaviorSanitizer',
    'runtime error:', 'stack smashing detected', 'double free or corruption',
    'free(): invalid', 'malloc(): ', 'Assertion `'];

/** The environment for cordbg and the programs: ours, with tests/run.py's sanitizer options
 * when they are not set (so that `node --test` here gives what tests/run.py gives). */
export const ENV = {
    ASAN_OPTIONS: 'detect_leaks=1',
    LSAN_OPTIONS: `suppressions=${path.join(REPO, 'tests', 'lsan.supp')}:print_suppressions=0`,
    UBSAN_OPTIONS: 'print_stacktrace=1:halt_on_error=1',
    DOTNET_CLI_TELEMETRY_OPTOUT: '1',
    DOTNET_NOLOGO: '1',
    ...process.env,
};

// ------------------------------------------------------------------ paths

/** The cordbg binary under test: $CORDBG, else build-san/cordbg, else build/cordbg. */
export function cordbg() {
    let p = process.env.CORDBG;
    if (!p) {
        p = path.join(REPO, 'build-san', 'cordbg');
        if (!fs.existsSync(p)) p = path.join(REPO, 'build', 'cordbg');
    }
    p = path.resolve(p);
    fs.accessSync(p, fs.constants.X_OK);
    return p;
}

/** Absolute path of tests/out/<name>/<name>.dll. */
export function program(name) {
    const p = path.join(OUT, name, name + '.dll');
    assert.ok(fs.existsSync(p), `test program not built: ${p} (run tests/run.py without --no-build)`);
    return p;
}

/** Absolute path of a source file of tests/programs/<name>/. */
export function source(name, file = 'Program.cs') {
    return path.join(PROGRAMS, name, file);
}

/** Line number (1-based) of the line holding `// @mark:MARK` in tests/programs/<name>/*.cs
 * (the marker must be unique there). */
export function mark(name, markName, file = null) {
    const folder = path.join(PROGRAMS, name);
    const files = file ? [path.join(folder, file)]
        : fs.readdirSync(folder).filter(f => f.endsWith('.cs')).sort().map(f => path.join(folder, f));
    const re = new RegExp('//\\s*@mark:' + markName.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '\\b');
    const hits = [];
    for (const f of files) {
        fs.readFileSync(f, 'utf8').split('\n').forEach((l, i) => { if (re.test(l)) hits.push([f, i + 1]); });
    }
    assert.equal(hits.length, 1, `marker @mark:${markName} in ${folder}: expected 1, found ${JSON.stringify(hits)}`);
    return hits[0][1];
}

/** A fresh scratch folder (under CORDBG_TEST_TMP when tests/run.py gives one). */
const madeDirs = [];   // removed at the end of the test that made them

export function tmpdir() {
    const base = process.env.CORDBG_TEST_TMP || os.tmpdir();
    const d = fs.mkdtempSync(path.join(base, 'dap-'));
    madeDirs.push(d);
    return d;
}

// ------------------------------------------------------------------ small utilities

function alive(pid) {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
        return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] !== 'Z';
    } catch {
        return false;
    }
}

function cmdline(pid) {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ').trim();
    } catch {
        return '';
    }
}

export function pidAlive(pid) { return alive(pid); }

/** Wait until pid is gone (or a zombie). There is nothing to wait on for a process that is
 * not our child, so this polls /proc with a growing interval, up to a deadline. */
export async function waitPidGone(pid, timeout = WAIT) {
    const deadline = Date.now() + timeout;
    let delay = 10;
    while (alive(pid)) {
        if (Date.now() > deadline) return false;
        await new Promise(r => setTimeout(r, delay));
        delay = Math.min(delay * 2, 200);
    }
    return true;
}

function killPid(pid, sig = 'SIGKILL') {
    try { process.kill(pid, sig); } catch { /* gone */ }
}

function shorten(s, n = 1500) {
    return s.length <= n ? s : s.slice(0, n) + ` ... [${s.length - n} more characters]`;
}

/** A promise that rejects after ms (unref'd: it never keeps node alive), with a way to stop it. */
function deadline(ms, what) {
    let timer;
    // made now, so that its stack shows who waited
    const err = new Error(`timed out after ${ms / 1000}s waiting for ${what}`);
    const p = new Promise((_, reject) => {
        timer = setTimeout(() => reject(err), ms);
        timer.unref?.();
    });
    return { promise: p, cancel: () => clearTimeout(timer) };
}

async function within(promise, ms, what, signal, gone = null) {
    const d = deadline(ms, what);
    let onAbort = null;
    const aborted = signal ? new Promise((_, reject) => {
        onAbort = () => reject(new Error(`test aborted (its time limit) while waiting for ${what}`));
        if (signal.aborted) onAbort();
        else signal.addEventListener('abort', onAbort, { once: true });
    }) : null;
    try {
        const racers = [promise, d.promise];
        if (aborted) racers.push(aborted);
        if (gone) racers.push(gone.then(how => { throw new Error(`${how} while waiting for ${what}`); }));
        return await Promise.race(racers);
    } finally {
        d.cancel();
        if (onAbort) signal.removeEventListener('abort', onAbort);
    }
}

// ------------------------------------------------------------------ a DAP session

export class DapError extends Error {
    constructor(command, args, response) {
        super(`request '${command}' failed: ${response.message}` +
              (response.body?.error?.format && response.body.error.format !== response.message
                  ? ` (${response.body.error.format})` : '') + `\n  arguments: ${shorten(JSON.stringify(args ?? {}), 400)}`);
        this.response = response;
    }
}

let sessionCount = 0;

export class Session {
    constructor(ctx, { server = false, port = null, label = null } = {}) {
        this.ctx = ctx;
        this.server = server;
        this.connectTo = port;      // a running server's port: connect only
        this.label = label || `session ${++sessionCount}${server ? ' (server)' : port ? ` (to port ${port})` : ''}`;
        this.log = [];              // [ms, dir, text]
        this.t0 = Date.now();
        this.events = new Map();    // event name -> queue of unconsumed events
        this.allEvents = [];
        this.waiters = [];          // {name, resolve} for nextEvent
        this.outputWaiters = [];
        this.outputs = { stdout: '', stderr: '', console: '', important: '', telemetry: '' };
        this.debuggeePids = [];
        this.stderr = '';
        this.proc = null;           // cordbg (stdio: DebugClient's; server: ours)
        this.exitStatus = null;
        this.closed = false;
        this.disconnected = false;
        // resolves (with how) when the connection to cordbg is gone: waits then fail at once
        this.gone = new Promise(resolve => { this.setGone = resolve; });
        this.dc = new DebugClient(cordbg(), '--interpreter=vscode', 'coreclr',
            { env: ENV, stdio: ['pipe', 'pipe', 'pipe'] });
        this.dc.defaultTimeout = WAIT;
        const origDispatch = this.dc.dispatch.bind(this.dc);
        this.dc.dispatch = (body) => {
            this.record('<-', body);
            let m = null;
            try { m = JSON.parse(body); } catch { /* DebugClient will throw on it too */ }
            if (m && m.type === 'event') this.onEvent(m);
            origDispatch(body);
        };
        const origDoSend = this.dc.doSend.bind(this.dc);
        this.dc.doSend = (command, args, clb) => {
            const seq = this.dc.sequence;
            this.record('->', JSON.stringify({ seq, command, arguments: args }));
            origDoSend(command, args, clb);
        };
    }

    record(dir, text) {
        this.log.push([Date.now() - this.t0, dir, text]);
    }

    onEvent(m) {
        this.allEvents.push(m);
        // programs cordbg started (one it attached to is the test's own to end)
        if (m.event === 'process' && m.body?.systemProcessId && m.body.startMethod !== 'attach') {
            this.debuggeePids.push(m.body.systemProcessId);
        }
        if (m.event === 'output') {
            const cat = m.body?.category || 'console';
            this.outputs[cat] = (this.outputs[cat] || '') + (m.body?.output ?? '');
            for (const w of [...this.outputWaiters]) w.check();
        }
        const i = this.waiters.findIndex(w => w.names.includes(m.event));
        if (i >= 0) {
            const [w] = this.waiters.splice(i, 1);
            w.resolve(m);
            return;
        }
        if (!this.events.has(m.event)) this.events.set(m.event, []);
        this.events.get(m.event).push(m);
    }

    /** Start cordbg: --interpreter=vscode on stdin/stdout, or --server=0 and connect to the
     * port it prints on stderr. */
    async start() {
        if (this.connectTo) {
            await this.connectSocket(this.connectTo);
            return this;
        }
        if (!this.server) {
            await this.dc.start();
            this.proc = this.dc._adapterProcess;
            // its stdout ends (after the last message) when cordbg is gone
            this.proc.on('close', (code, sig) => this.setGone(`cordbg ended (${sig ? `signal ${sig}` : `status ${code}`})`));
            this.proc.stdin.on('error', e => this.record('!!', `cordbg's stdin: ${e.message}`));
        } else {
            this.proc = spawn(cordbg(), ['--server=0'], { env: ENV, stdio: ['ignore', 'ignore', 'pipe'] });
        }
        const proc = this.proc;
        this.exited = new Promise(resolve => proc.on('exit', (code, signal) => {
            this.exitStatus = signal ? `signal ${signal}` : code;
            resolve(this.exitStatus);
        }));
        let listening = null;
        const port = new Promise(resolve => { listening = resolve; });
        proc.stderr.on('data', (d) => {
            this.stderr += d.toString('utf8');
            const m = /DAP server listening on 127\.0\.0\.1:(\d+)/.exec(this.stderr);
            if (m) listening(Number(m[1]));
        });
        if (this.server) {
            const p = await within(Promise.race([port, this.exited.then(s => {
                throw new Error(`cordbg --server=0 exited (${s}) before it said where it listens`);
            })]), WAIT, "'DAP server listening on 127.0.0.1:PORT' on cordbg's stderr", this.ctx.signal);
            this.port = p;
            await this.connectSocket(p);
        }
        return this;
    }

    /** DebugClient over TCP to 127.0.0.1:port (its errors fail the wait instead of node). */
    async connectSocket(port) {
        const started = this.dc.start(port);
        const sock = this.dc._socket;
        const failed = new Promise((_, reject) => sock.on('error', e => {
            this.record('!!', `socket: ${e.message}`);
            reject(new Error(`connection to 127.0.0.1:${port}: ${e.message}`));
        }));
        sock.on('close', () => this.setGone('the connection to cordbg closed'));
        await within(Promise.race([started, failed]), WAIT, `a connection to 127.0.0.1:${port}`, this.ctx.signal);
        failed.catch(() => {});
    }

    /** Send a request; resolves with the response when it succeeds, rejects (DapError) when
     * it fails, and fails the test when no response comes in time. */
    async request(command, args = undefined, { timeout = WAIT } = {}) {
        const r = await this.requestRaw(command, args, { timeout });
        if (!r.success) throw new DapError(command, args, r);
        return r;
    }

    /** Send a request; resolves with the response whatever its success. */
    requestRaw(command, args = undefined, { timeout = WAIT } = {}) {
        let seq;
        const p = new Promise(resolve => {
            seq = this.dc.sequence;
            this.dc.doSend(command, args, resolve);
        });
        return within(p, timeout, `the response to '${command}'`, this.ctx.signal, this.gone).then(r => {
            if (command === 'disconnect' && r.success) this.disconnected = true;
            return r;
        }, e => {
            this.dc.pendingRequests?.delete(seq);
            throw e;
        });
    }

    /** A request whose arguments are given as JSON text (numbers JavaScript cannot hold, such
     * as 2^64); resolves with the response to this request's own seq whatever its success. */
    requestText(command, argsText, { timeout = WAIT } = {}) {
        const seq = this.dc.sequence++;
        const json = `{"seq":${seq},"type":"request","command":${JSON.stringify(command)},"arguments":${argsText}}`;
        const p = new Promise(resolve => this.dc.pendingRequests.set(seq, resolve));
        this.record('->', json);
        this.dc.outputStream.write(`Content-Length: ${Buffer.byteLength(json, 'utf8')}\r\n\r\n${json}`, 'utf8');
        return within(p, timeout, `the response to '${command}' (seq ${seq})`, this.ctx.signal, this.gone).catch(e => {
            this.dc.pendingRequests.delete(seq);
            throw e;
        });
    }

    /** The next event of that name not yet taken (one that came before this call counts). */
    nextEvent(name, { timeout = WAIT } = {}) {
        return this.nextOf([name], { timeout });
    }

    /** The first event not yet taken whose name is one of names (earliest first). */
    nextOf(names, { timeout = WAIT } = {}) {
        let best = null;
        for (const n of names) {
            const q = this.events.get(n);
            if (q && q.length && (!best || q[0].seq < best[0].seq)) best = q;
        }
        if (best) return Promise.resolve(best.shift());
        let waiter;
        const p = new Promise(resolve => { waiter = { names, resolve }; this.waiters.push(waiter); });
        return within(p, timeout, `a '${names.join("' or '")}' event`, this.ctx.signal, this.gone).catch(e => {
            const i = this.waiters.indexOf(waiter);
            if (i >= 0) this.waiters.splice(i, 1);
            throw e;
        });
    }

    /** Whether an event of that name (taken or not) matching pred has come. */
    hasEvent(name, pred = () => true) {
        return this.allEvents.some(e => e.event === name && pred(e));
    }

    eventsOf(name) {
        return this.allEvents.filter(e => e.event === name);
    }

    /** Wait until the output of that category (all of it, from the start) matches re;
     * returns the match. */
    waitOutput(re, { category = 'stdout', timeout = WAIT } = {}) {
        let w;
        const p = new Promise(resolve => {
            w = {
                check: () => {
                    const m = re.exec(this.outputs[category] || '');
                    if (m) {
                        this.outputWaiters.splice(this.outputWaiters.indexOf(w), 1);
                        resolve(m);
                    }
                },
            };
            this.outputWaiters.push(w);
            w.check();
        });
        return within(p, timeout, `${category} output matching ${re}`, this.ctx.signal, this.gone).catch(e => {
            const i = this.outputWaiters.indexOf(w);
            if (i >= 0) this.outputWaiters.splice(i, 1);
            throw new Error(e.message + `\n  ${category} so far: ${JSON.stringify(shorten(this.outputs[category] || ''))}`);
        });
    }

    /** The program's output of a category once it ends with endRe (output events come from
     * pipes, on their own schedule: never assert on output without waiting for it). */
    async outputUpTo(endRe, category = 'stdout') {
        await this.waitOutput(endRe, { category });
        return this.outputs[category];
    }

    /** The next stopped event; with reason, asserts it. */
    async stopped(reason = null, opts = {}) {
        const e = await this.nextEvent('stopped', opts);
        if (reason !== null) {
            assert.equal(e.body.reason, reason, `stopped event reason: ${JSON.stringify(e.body)}`);
        }
        return e;
    }

    /** The stack of a thread (all frames). */
    async frames(threadId, args = {}) {
        const r = await this.request('stackTrace', { threadId, ...args });
        return r.body.stackFrames;
    }

    /** The next stopped event, with reason and top frame (line, and path when given) asserted;
     * returns { event, frame, threadId }. */
    async stoppedAt(reason, line, { path: p = null, name = null, timeout = WAIT } = {}) {
        const event = await this.stopped(reason, { timeout });
        const threadId = event.body.threadId;
        assert.ok(threadId, `stopped event without threadId: ${JSON.stringify(event.body)}`);
        const frames = await this.frames(threadId);
        assert.ok(frames.length > 0, 'stackTrace gave no frames');
        const f = frames[0];
        if (line !== null) assert.equal(f.line, line, `stopped at line ${f.line} (${f.name}), expected ${line}`);
        if (p) assert.equal(f.source?.path, p, 'stopped frame source path');
        if (name) assert.match(f.name, name, 'stopped frame name');
        return { event, frame: f, frames, threadId };
    }

    async initialize(args = {}) {
        const r = await this.request('initialize', {
            clientID: 'cordbg-tests', adapterID: 'coreclr', linesStartAt1: true, columnsStartAt1: true,
            pathFormat: 'path', supportsVariableType: true, supportsVariablePaging: true, ...args,
        });
        this.capabilities = r.body || {};
        return r;
    }

    /** initialize, breakpoints (before configurationDone, as editors do), launch and
     * configurationDone. breakpoints: { '/abs/path.cs': [line | {line, condition, ...}] }.
     * Returns { launch, breakpoints: { path: response.body.breakpoints } }. */
    async launch(programName, { args = [], breakpoints = {}, functionBreakpoints = null, exceptionFilters = null,
        exceptionOptions = null, stopAtEntry = false, extra = {} } = {}) {
        await this.initialize();
        await this.nextEvent('initialized');
        const bps = await this.setBreakpointsAll(breakpoints);
        if (functionBreakpoints) await this.request('setFunctionBreakpoints', { breakpoints: functionBreakpoints });
        if (exceptionFilters || exceptionOptions) {
            await this.request('setExceptionBreakpoints', { filters: exceptionFilters || [], filterOptions: exceptionOptions || undefined });
        }
        const launch = await this.request('launch', {
            name: 'test', type: 'coreclr', request: 'launch', program: program(programName), args,
            cwd: path.dirname(program(programName)), stopAtEntry, console: 'internalConsole', ...extra,
        });
        await this.request('configurationDone');
        return { launch, breakpoints: bps };
    }

    async setBreakpointsAll(breakpoints) {
        const out = {};
        for (const [p, lines] of Object.entries(breakpoints)) {
            const r = await this.setBreakpoints(p, lines);
            out[p] = r;
        }
        return out;
    }

    /** setBreakpoints for one file; lines: numbers or SourceBreakpoint objects. */
    async setBreakpoints(p, lines) {
        const bps = lines.map(l => typeof l === 'number' ? { line: l } : l);
        const r = await this.request('setBreakpoints', { source: { path: p }, breakpoints: bps, lines: bps.map(b => b.line) });
        assert.equal(r.body.breakpoints.length, bps.length, 'setBreakpoints: one Breakpoint per SourceBreakpoint');
        return r.body.breakpoints;
    }

    /** Locals / Arguments of a frame: { scopeName: { varName: Variable } }. */
    async scopeVariables(frameId) {
        const scopes = (await this.request('scopes', { frameId })).body.scopes;
        const out = {};
        for (const s of scopes) {
            out[s.name] = { _scope: s };
            if (!s.variablesReference) continue;
            for (const v of (await this.request('variables', { variablesReference: s.variablesReference })).body.variables) {
                out[s.name][v.name] = v;
            }
        }
        return out;
    }

    /** Children of a variables reference, by name. */
    async children(ref, args = {}) {
        assert.ok(ref > 0, `variablesReference ${ref} is not expandable`);
        const vars = (await this.request('variables', { variablesReference: ref, ...args })).body.variables;
        return Object.fromEntries(vars.map(v => [v.name, v]));
    }

    async evaluate(expression, { frameId, context = 'repl', ...rest } = {}) {
        return (await this.request('evaluate', { expression, frameId, context, ...rest })).body;
    }

    /** Wait for the program's end: the exited event (its exit code) and terminated. */
    async waitExit({ timeout = WAIT } = {}) {
        const exited = await this.nextEvent('exited', { timeout });
        await this.nextEvent('terminated', { timeout });
        return exited.body.exitCode;
    }

    /** Wait for cordbg (started by this session) to exit; its exit status. */
    adapterExit({ timeout = WAIT, what = 'cordbg to exit' } = {}) {
        assert.ok(this.exited, 'this session did not start cordbg');
        return within(this.exited, timeout, what, this.ctx.signal).catch(e => {
            this.exitWaitFailed = true;     // cleanup need not wait as long again
            throw e;
        });
    }

    /** Disconnect (when the connection is still up) and end cordbg, then kill whatever it left. */
    async close() {
        if (this.closed) return;
        this.closed = true;
        const errors = [];
        const connected = this.dc._socket || (this.proc && this.exitStatus === null);
        if (connected && !this.disconnected) {
            try {
                await this.requestRaw('disconnect', {}, { timeout: 30000 });
            } catch (e) {
                errors.push(`disconnect at cleanup: ${e.message}`);
            }
        }
        // stdio: cordbg ends when its input does; server: it goes on listening, so end it.
        if (this.dc._socket) { this.dc._socket.destroy(); this.dc._socket = null; }
        if (this.proc && this.exitStatus === null) {
            if (this.server) {
                killPid(this.proc.pid, 'SIGTERM');
            } else {
                try { this.proc.stdin.end(); } catch { /* closed */ }
            }
            try {
                await within(this.exited, this.exitWaitFailed ? 5000 : 30000, 'cordbg to exit');
            } catch (e) {
                errors.push(`${e.message}: killed`);
                killPid(this.proc.pid, 'SIGKILL');
                await within(this.exited, 10000, 'cordbg to exit after SIGKILL').catch(() => {});
            }
        }
        for (const pid of this.debuggeePids) {
            const cmd = cmdline(pid);
            if (/tests\/out\//.test(cmd) && !(await waitPidGone(pid, 5000))) {
                killPid(pid);
                errors.push(`debuggee ${pid} (${cmd}) was still alive after cordbg ended: killed`);
            }
        }
        return errors;
    }

    /** Sanitizer reports and crashes in cordbg's stderr or exit status. */
    crashes() {
        const found = CRASH_MARKERS.filter(m => this.stderr.includes(m));
        const out = found.map(m => `cordbg stderr contains '${m}' (crash or sanitizer report)`);
        if (typeof this.exitStatus === 'string' && /SIGSEGV|SIGABRT|SIGBUS|SIGILL|SIGFPE/.test(this.exitStatus)) {
            out.push(`cordbg ended by ${this.exitStatus}`);
        }
        if (this.exitStatus === 134 || this.exitStatus === 139) out.push(`cordbg exited with status ${this.exitStatus} (crash)`);
        return out;
    }

    transcript(limit = 200) {
        // runs of module and loadedSource events are folded into one line each
        const lines = [];
        let fold = null;
        const flush = () => {
            if (fold) lines.push(`  ${String(fold.ms).padStart(6)}ms <- [${fold.names.length} module/loadedSource events: ${shorten(fold.names.join(', '), 400)}]`);
            fold = null;
        };
        for (const [ms, dir, text] of this.log) {
            const m = dir === '<-' && /^\{"type":"event","event":"(module|loadedSource)"/.test(text) ? JSON.parse(text) : null;
            if (m) {
                fold = fold || { ms, names: [] };
                fold.names.push(`${m.event === 'module' ? m.body.module?.name : m.body.source?.name} (${m.body.reason})`);
                continue;
            }
            flush();
            lines.push(`  ${String(ms).padStart(6)}ms ${dir} ${shorten(text, 600)}`);
        }
        flush();
        const shown = lines.length > limit ? [`  [... ${lines.length - limit} earlier messages left out ...]`, ...lines.slice(-limit)] : lines;
        let err = this.stderr;
        if (err.length > 6000) {
            const i = CRASH_MARKERS.map(m => err.indexOf(m)).filter(i => i >= 0).sort((a, b) => a - b)[0];
            err = i !== undefined ? err.slice(Math.max(0, i - 500), i + 20000) : err.slice(0, 2000) + '\n[...]\n' + err.slice(-3000);
        }
        return `--- ${this.label}: DAP transcript (-> to cordbg, <- from cordbg) ---\n${shown.join('\n')}\n` +
               `--- ${this.label}: cordbg stderr ---\n${err.replace(/^/mg, '  ')}\n` +
               `--- ${this.label}: cordbg exit status: ${this.exitStatus === null ? 'running' : this.exitStatus} ---`;
    }
}

// ------------------------------------------------------------------ programs the test starts itself

export class Program {
    constructor(ctx, name, args) {
        this.name = name;
        this.stdout = '';
        this.stderr = '';
        this.ctx = ctx;
        this.proc = spawn('dotnet', [program(name), ...args], {
            env: ENV, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
        });
        this.pid = this.proc.pid;
        this.status = null;
        this.exited = new Promise(resolve => this.proc.on('exit', (code, signal) => {
            this.status = signal ? `signal ${signal}` : code;
            resolve(this.status);
        }));
        this.watchers = [];
        this.proc.stdout.on('data', d => { this.stdout += d.toString('utf8'); this.watchers.forEach(w => w()); });
        this.proc.stderr.on('data', d => { this.stderr += d.toString('utf8'); });
    }

    waitStdout(re, timeout = WAIT) {
        let w;
        const p = new Promise(resolve => {
            w = () => { const m = re.exec(this.stdout); if (m) resolve(m); };
            this.watchers.push(w);
            w();
        });
        return within(Promise.race([p, this.exited.then(s => {
            throw new Error(`${this.name} exited (${s}) before its stdout matched ${re}; stdout: ${JSON.stringify(this.stdout)}`);
        })]), timeout, `${this.name} stdout matching ${re}`, this.ctx.signal).finally(() => {
            this.watchers = this.watchers.filter(x => x !== w);
        });
    }

    wait(timeout = WAIT) {
        return within(this.exited, timeout, `${this.name} (pid ${this.pid}) to exit`, this.ctx.signal);
    }

    kill() {
        if (this.status === null) {
            try { process.kill(-this.pid, 'SIGKILL'); } catch { killPid(this.pid); }
        }
    }
}

// ------------------------------------------------------------------ the test wrapper

class Ctx {
    constructor(t) {
        this.t = t;
        this.signal = t.signal;
        this.sessions = [];
        this.programs = [];
    }

    /** A started session on cordbg --interpreter=vscode. */
    async session(opts = {}) {
        const s = new Session(this, opts);
        this.sessions.push(s);
        await s.start();
        return s;
    }

    /** A started session connected to a server that another session started. */
    async connect(port, opts = {}) {
        return this.session({ ...opts, port });
    }

    /** A started session on cordbg --server=0. */
    async serverSession(opts = {}) {
        return this.session({ ...opts, server: true });
    }

    /** Start `dotnet tests/out/NAME/NAME.dll ARGS` (killed at the end of the test if alive). */
    spawnProgram(name, args = []) {
        const p = new Program(this, name, args);
        this.programs.push(p);
        return p;
    }

    async cleanup() {
        const problems = [];
        for (const s of [...this.sessions].reverse()) {   // clients of a server before the server
            try {
                problems.push(...(await s.close()));
            } catch (e) {
                problems.push(`cleanup of ${s.label}: ${e.stack || e}`);
            }
            problems.push(...s.crashes());
        }
        for (const p of this.programs) {
            if (p.status === null) {
                p.kill();
                await within(p.exited, 10000, `${p.name} to die`).catch(() => {});
            }
        }
        for (const d of madeDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
        return problems;
    }

    report() {
        const parts = this.sessions.map(s => s.transcript());
        for (const p of this.programs) {
            parts.push(`--- ${p.name} (pid ${p.pid}, exit ${p.status ?? 'running'}) stdout ---\n${shorten(p.stdout, 3000)}\n` +
                       `--- ${p.name} stderr ---\n${shorten(p.stderr, 3000)}`);
        }
        return parts.join('\n');
    }
}

/** A node:test test with a ctx; a failure's error carries the DAP transcripts and cordbg's
 * stderr. A leaked process or a sanitizer report fails the test too. */
export function dapTest(name, fn, { timeout = TEST_TIMEOUT, skip = false } = {}) {
    return test(name, { timeout, skip }, async (t) => {
        const ctx = new Ctx(t);
        let failure = null;
        try {
            await fn(ctx);
        } catch (e) {
            failure = e;
        }
        const problems = await ctx.cleanup();
        // Sanitizer reports and left processes fail an otherwise passing test.
        const serious = problems.filter(p => /sanitizer|crash|still alive|ended by|killed/.test(p));
        if (!failure && serious.length) failure = new Error(serious.join('\n'));
        if (failure) {
            const extra = (problems.length ? '\nat cleanup:\n  ' + problems.join('\n  ') : '') + '\n' + ctx.report();
            if (failure instanceof Error) {
                failure.message += extra;
                // node prints error.stack, which begins with the message as it was when the
                // error was made: put the whole message in the stack too
                if (typeof failure.stack === 'string') {
                    const nl = failure.stack.indexOf('\n    at ');
                    failure.stack = `${failure.name}: ${failure.message}` + (nl >= 0 ? failure.stack.slice(nl) : '');
                }
                throw failure;
            }
            throw new Error(String(failure) + extra);
        }
    });
}

export { assert };
