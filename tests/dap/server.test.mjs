// The DAP server (--server): a client that drops its connection, clients of other users.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, mark, source, tmpdir, waitPidGone, WAIT, assert } from './harness.mjs';

/** Close the client's socket without a disconnect request, as a crashed editor would. */
function drop(s) {
    s.dc._socket.destroy();
    s.dc._socket = null;
    s.disconnected = true;      // nothing to disconnect at cleanup
}

/** A full session on the server at port: launch, breakpoint, continue, normal exit. */
async function fullSession(ctx, port) {
    const s2 = await ctx.connect(port);
    const line = mark('DapCases', 'loop');
    await s2.launch('DapCases', { args: ['loop'], breakpoints: { [source('DapCases')]: [{ line, condition: 'i == 3' }] } });
    const { threadId, frame } = await s2.stoppedAt('breakpoint', line);
    assert.equal((await s2.evaluate('i', { frameId: frame.id })).result, '3');
    await s2.setBreakpoints(source('DapCases'), []);
    await s2.request('continue', { threadId });
    assert.equal(await s2.waitExit(), 0);
    assert.match(await s2.outputUpTo(/loop total=\d+\n/), /loop total=55\n$/);
    await s2.request('disconnect', {});
}

dapTest('server: a client dropped while its program is stopped ends the program; the next client is served', async (ctx) => {
    const s = await ctx.serverSession();
    const line = mark('DapCases', 'loop');
    await s.launch('DapCases', { args: ['loop'], breakpoints: { [source('DapCases')]: [line] } });
    await s.stoppedAt('breakpoint', line);
    const pid = s.eventsOf('process')[0].body.systemProcessId;
    drop(s);
    assert.ok(await waitPidGone(pid, WAIT), `the program ${pid} is still alive after its client dropped the connection`);
    // twice more, each a client of its own dropped at its stop: every one is served and cleaned up
    for (let k = 0; k < 2; k++) {
        const c = await ctx.connect(s.port);
        await c.launch('DapCases', { args: ['loop'], breakpoints: { [source('DapCases')]: [line] } });
        await c.stoppedAt('breakpoint', line);
        const p = c.eventsOf('process')[0].body.systemProcessId;
        drop(c);
        assert.ok(await waitPidGone(p, WAIT), `the program ${p} is still alive after its client dropped the connection`);
    }
    await fullSession(ctx, s.port);
    assert.match(s.stderr, /the client went away without disconnect: its program was killed/);
});

dapTest('server: a client dropped while its program runs ends the program; the next client is served', async (ctx) => {
    const s = await ctx.serverSession();
    // Sleeper waits for its release file, which never comes: it runs until it is killed
    await s.launch('Sleeper', { args: [path.join(tmpdir(), 'release')] });
    const pid = Number((await s.waitOutput(/^ready (\d+)\n/))[1]);
    drop(s);
    assert.ok(await waitPidGone(pid, WAIT), `the program ${pid} is still alive after its client dropped the connection`);
    await fullSession(ctx, s.port);
});

dapTest('server: a client dropped while stopped in a program it attached to detaches; the program goes on', async (ctx) => {
    const release = path.join(tmpdir(), 'release');
    const p = ctx.spawnProgram('Sleeper', [release]);
    await p.waitStdout(/^ready \d+\n/);
    const s = await ctx.serverSession();
    await s.initialize();
    await s.nextEvent('initialized');
    await s.request('attach', { processId: p.pid });
    const line = mark('Sleeper', 'wait');
    await s.setBreakpoints(source('Sleeper'), [line]);
    await s.request('configurationDone');
    await s.stoppedAt('breakpoint', line);
    drop(s);       // stopped, its breakpoint still set
    await fullSession(ctx, s.port);
    assert.match(s.stderr, /the client went away without disconnect: its program was detached/);
    assert.equal(p.status, null, 'the attached program died when its client dropped the connection');
    fs.writeFileSync(release, '');
    assert.equal(await p.wait(), 0, 'the program exit status after the detach and its release');
    assert.equal(p.stdout, `ready ${p.pid}\ndone\n`);
});

/** A second user's uid and gid (made with useradd when missing), or a string saying why there
 * can be none. */
function secondUser() {
    const name = 'cordbgpeer';
    if (process.getuid() !== 0) return 'the tests do not run as root: no second user can be made';
    const ids = () => execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim() + ' ' +
                      execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim();
    let got;
    try { got = ids(); } catch {
        try {
            execFileSync('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', name], { stdio: 'pipe' });
            got = ids();
        } catch (e) { return `useradd ${name} failed: ${String(e.stderr || e.message).trim()}`; }
    }
    const [uid, gid] = got.split(' ').map(Number);
    return { name, uid, gid };
}

/** Connect to 127.0.0.1:port as that user, send initialize, and report what came back before
 * the connection closed: { closed, bytes } (or a timeout after WAIT). */
function connectAs(user, port) {
    const code = `
        const net = require('net');
        let got = 0, done = false;
        const finish = (how) => { if (done) return; done = true; console.log(JSON.stringify({ how, bytes: got })); process.exit(0); };
        const s = net.connect(${port}, '127.0.0.1', () => {
            const b = JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'coreclr' } });
            s.write('Content-Length: ' + Buffer.byteLength(b) + '\\r\\n\\r\\n' + b);
        });
        s.on('data', d => { got += d.length; });
        s.on('error', e => finish(e.code === 'ECONNRESET' || e.code === 'EPIPE' ? 'closed' : 'error ' + e.code));
        s.on('close', () => finish('closed'));
        setTimeout(() => finish('timeout'), ${WAIT});
    `;
    return new Promise((resolve, reject) => {
        const p = spawn('setpriv', [`--reuid=${user.uid}`, `--regid=${user.gid}`, '--clear-groups', process.execPath, '-e', code],
                        { stdio: ['ignore', 'pipe', 'pipe'], cwd: '/' });
        let out = '', err = '';
        p.stdout.on('data', d => { out += d; });
        p.stderr.on('data', d => { err += d; });
        p.on('error', reject);
        p.on('close', (st) => {
            try { resolve(JSON.parse(out)); } catch { reject(new Error(`client as ${user.name} (status ${st}): ${out} ${err}`)); }
        });
    });
}

dapTest('server: a connection from another user is closed without a response; the server goes on', async (ctx) => {
    const user = secondUser();
    if (typeof user === 'string') { ctx.t.skip(user); return; }
    const s = await ctx.serverSession();
    await s.initialize();
    await s.request('disconnect', {});
    const r = await connectAs(user, s.port);
    assert.deepEqual(r, { how: 'closed', bytes: 0 }, `the client of uid ${user.uid} got an answer or no close`);
    assert.match(s.stderr, new RegExp(`connection refused: it comes from uid ${user.uid}\\b`), "the refusal on the server's stderr");
    // the server's own user is still served
    await fullSession(ctx, s.port);
});

dapTest('protocol: integers beyond 64 bits in frameId, threadId, variablesReference get their own error response', async (ctx) => {
    const s = await ctx.session();
    const line = mark('DapCases', 'loop');
    await s.launch('DapCases', { args: ['loop'], breakpoints: { [source('DapCases')]: [line] } });
    const { threadId, frame } = await s.stoppedAt('breakpoint', line);
    const i = (await s.evaluate('i', { frameId: frame.id })).result;
    const cases = [
        ['variables', '{"variablesReference": 18446744073709551616}', 'variablesReference'],
        ['variables', '{"variablesReference": 9223372036854775808}', 'variablesReference'],
        ['scopes', '{"frameId": 9223372036854775808}', 'frameId'],
        ['evaluate', '{"expression": "i", "frameId": -9223372036854775809}', 'frameId'],
        ['stackTrace', '{"threadId": 99999999999999999999999}', 'threadId'],
        ['continue', '{"threadId": 18446744073709551617}', 'threadId'],
    ];
    for (const [command, args, key] of cases) {
        const r = await s.requestText(command, args);
        assert.equal(r.command, command, `${command} ${args}: ${JSON.stringify(r)}`);
        assert.equal(r.success, false, `${command} ${args}: ${JSON.stringify(r)}`);
        assert.match(r.message, new RegExp(`^invalid '${key}'`), `${command} ${args}: ${JSON.stringify(r)}`);
    }
    // the session goes on: the program is still stopped where it was, its frame id still good
    assert.equal((await s.evaluate('i', { frameId: frame.id })).result, i);
    await s.setBreakpoints(source('DapCases'), []);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.match(await s.outputUpTo(/loop total=\d+\n/), /loop total=55\n$/);
});

dapTest('protocol: a frameId from an earlier stop is refused after a step or a continue; the new stop has its own ids', async (ctx) => {
    const s = await ctx.session();
    const call = mark('DapCases', 'outer_call');
    await s.launch('DapCases', { args: ['step'], breakpoints: { [source('DapCases')]: [call] } });
    const { threadId, frames } = await s.stoppedAt('breakpoint', call, { name: /Outer/ });
    const outer = frames[0];
    assert.equal((await s.evaluate('a', { frameId: outer.id })).result, '1');
    // asked again at the same stop, the same frames have the same ids
    assert.deepEqual((await s.frames(threadId)).map(f => f.id), frames.map(f => f.id));
    await s.request('stepIn', { threadId });
    await s.stopped('step');
    const now = await s.frames(threadId);
    assert.match(now[0].name, /Inner/, `stepped into Inner: ${JSON.stringify(now.map(f => f.name))}`);
    assert.ok(!now.some(f => frames.some(g => g.id === f.id)), `ids of the new stop are new: ${JSON.stringify([frames, now].map(l => l.map(f => f.id)))}`);
    // Outer's old id (the top frame then) must not name Inner's frame (the top frame now)
    for (const [command, args] of [['evaluate', { expression: 'x', frameId: outer.id, context: 'watch' }],
                                   ['scopes', { frameId: outer.id }],
                                   ['setExpression', { expression: 'x', value: '5', frameId: outer.id }]]) {
        const r = await s.requestRaw(command, args);
        assert.equal(r.success, false, `${command} with a frameId of the earlier stop: ${JSON.stringify(r)}`);
        assert.match(r.message, /earlier stop/, `${command}: ${JSON.stringify(r)}`);
    }
    // the new ids work: Outer is now the second frame
    assert.match(now[1].name, /Outer/);
    assert.equal((await s.evaluate('a', { frameId: now[1].id })).result, '1');
    assert.equal((await s.evaluate('x', { frameId: now[0].id })).result, '1');
    // after a continue to another breakpoint too: Inner's id (the top frame then) is refused
    const after = mark('DapCases', 'outer_after');
    await s.setBreakpoints(source('DapCases'), [after]);
    await s.request('continue', { threadId });
    const third = await s.stoppedAt('breakpoint', after, { name: /Outer/ });
    const r = await s.requestRaw('evaluate', { expression: 'b', frameId: now[0].id, context: 'watch' });
    assert.equal(r.success, false, `evaluate with a frameId of the stop before the continue: ${JSON.stringify(r)}`);
    assert.match(r.message, /earlier stop/);
    assert.equal((await s.evaluate('b', { frameId: third.frame.id })).result, '2');
    await s.setBreakpoints(source('DapCases'), []);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.match(await s.outputUpTo(/step done\n/), /b=2\nstep done\n$/);
});
