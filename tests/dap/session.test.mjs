// Session life cycle: attach and detach, terminate, disconnect, server mode.
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, mark, source, tmpdir, pidAlive, waitPidGone, WAIT, assert } from './harness.mjs';

dapTest('attach by processId, hit a breakpoint, detach and the program goes on', async (ctx) => {
    const release = path.join(tmpdir(), 'release');
    const p = ctx.spawnProgram('Sleeper', [release]);
    await p.waitStdout(/^ready \d+\n/);
    const s = await ctx.session();
    await s.initialize();
    await s.nextEvent('initialized');
    await s.request('attach', { name: 'attach', type: 'coreclr', request: 'attach', processId: p.pid });
    const src = source('Sleeper');
    const line = mark('Sleeper', 'wait');
    const [bp] = await s.setBreakpoints(src, [line]);
    await s.request('configurationDone');
    const { threadId } = await s.stoppedAt('breakpoint', line, { path: src, name: /^Program\.Main\(string\[\] args/ });
    const proc = s.eventsOf('process');
    assert.equal(proc.length, 1, 'one process event');
    assert.equal(proc[0].body.systemProcessId, p.pid);
    assert.equal(proc[0].body.startMethod, 'attach');
    assert.ok(bp.id);
    // the program's own variables are there to see
    const frames = await s.frames(threadId);
    const polls = await s.evaluate('polls >= 0', { frameId: frames[0].id, context: 'watch' });
    assert.equal(polls.result, 'true');
    await s.setBreakpoints(src, []);
    const r = await s.request('disconnect', { terminateDebuggee: false });
    assert.ok(r.success);
    await s.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.equal(s.exitStatus, 0, 'cordbg exit status after disconnect');
    assert.ok(pidAlive(p.pid), 'the program died when the debugger detached');
    fs.writeFileSync(release, '');
    assert.equal(await p.wait(), 0, 'the program exit status after detach and release');
    assert.equal(p.stdout, `ready ${p.pid}\ndone\n`);
    assert.equal(p.stderr, '');
});

dapTest('attach, then detach while the program runs', async (ctx) => {
    const release = path.join(tmpdir(), 'release');
    const p = ctx.spawnProgram('Sleeper', [release]);
    await p.waitStdout(/^ready \d+\n/);
    const s = await ctx.session();
    await s.initialize();
    await s.request('attach', { processId: p.pid });
    await s.request('configurationDone');
    // attached and running: its threads are announced, then there to list
    const proc = await s.nextEvent('process');
    assert.equal(proc.body.systemProcessId, p.pid);
    const started = await s.nextEvent('thread');
    assert.equal(started.body.reason, 'started');
    const threads = (await s.request('threads')).body.threads;
    assert.ok(threads.some(t => t.id === started.body.threadId), `thread ${started.body.threadId} is not listed: ${JSON.stringify(threads)}`);
    assert.equal(s.eventsOf('stopped').length, 0, 'attaching does not leave the program stopped');
    await s.request('disconnect', { terminateDebuggee: false });
    await s.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.equal(s.exitStatus, 0);
    assert.ok(pidAlive(p.pid), 'the program died when the debugger detached');
    fs.writeFileSync(release, '');
    assert.equal(await p.wait(), 0);
    assert.equal(p.stdout, `ready ${p.pid}\ndone\n`);
});

dapTest('disconnect at once after attach leaves the program running', async (ctx) => {
    const release = path.join(tmpdir(), 'release');
    const p = ctx.spawnProgram('Sleeper', [release]);
    await p.waitStdout(/^ready \d+\n/);
    const s = await ctx.session();
    // a client that gives up at once: nothing waits for the attach to be done
    const [, attach, , disc] = await Promise.all([
        s.request('initialize', { adapterID: 'coreclr', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
        s.requestRaw('attach', { processId: p.pid }),
        s.requestRaw('configurationDone'),
        s.requestRaw('disconnect', { terminateDebuggee: false }),
    ]);
    assert.ok(attach.success, `attach: ${attach.message}`);
    assert.ok(disc.success, `disconnect: ${disc.message}`);
    await s.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.equal(s.exitStatus, 0);
    assert.ok(pidAlive(p.pid), 'the program died when the debugger detached');
    fs.writeFileSync(release, '');
    assert.equal(await p.wait(), 0);
    assert.equal(p.stdout, `ready ${p.pid}\ndone\n`);
});

dapTest('attach to a process that does not exist fails', async (ctx) => {
    const s = await ctx.session();
    await s.initialize();
    // a pid above the kernel's pid_max is never a process
    const max = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    const r = await s.requestRaw('attach', { processId: max + 1 });
    assert.equal(r.success, false);
    assert.ok(r.message, 'a failed attach says why');
});

dapTest('terminate ends the program: exited and terminated events', async (ctx) => {
    const s = await ctx.session();
    const release = path.join(tmpdir(), 'release');   // never made: Sleeper waits until killed
    await s.launch('Sleeper', { args: [release] });
    const m = await s.waitOutput(/^ready (\d+)\n/);
    const pid = Number(m[1]);
    assert.deepEqual(s.eventsOf('process').map(e => e.body.systemProcessId), [pid]);
    await s.request('terminate');
    const exited = await s.nextEvent('exited');
    assert.equal(typeof exited.body.exitCode, 'number');
    await s.nextEvent('terminated');
    assert.ok(await waitPidGone(pid, WAIT), `the program ${pid} is still alive after terminate`);
    assert.equal(s.eventsOf('terminated').length, 1, 'one terminated event');
    // the session can still be ended properly
    await s.request('disconnect', {});
    await s.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.equal(s.exitStatus, 0, 'cordbg exit status after disconnect');
});

dapTest('disconnect with terminateDebuggee ends the program and cordbg', async (ctx) => {
    const s = await ctx.session();
    const release = path.join(tmpdir(), 'release');
    await s.launch('Sleeper', { args: [release] });
    const m = await s.waitOutput(/^ready (\d+)\n/);
    const pid = Number(m[1]);
    await s.request('disconnect', { terminateDebuggee: true });
    assert.ok(await waitPidGone(pid, WAIT), `the program ${pid} is still alive after disconnect`);
    await s.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.equal(s.exitStatus, 0, 'cordbg exit status after disconnect');
});

dapTest('disconnect while stopped at a breakpoint ends the program', async (ctx) => {
    const s = await ctx.session();
    const line = mark('DapCases', 'loop');
    await s.launch('DapCases', { args: ['loop'], breakpoints: { [source('DapCases')]: [line] } });
    await s.stoppedAt('breakpoint', line);
    const pid = s.eventsOf('process')[0].body.systemProcessId;
    await s.request('disconnect', { terminateDebuggee: true });
    assert.ok(await waitPidGone(pid, WAIT), `the program ${pid} is still alive after disconnect`);
    await s.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.equal(s.exitStatus, 0);
});

dapTest('server mode: a session over TCP, then another on the same server', async (ctx) => {
    const s = await ctx.serverSession();
    assert.ok(s.port > 0);
    const line = mark('DapCases', 'loop');
    await s.launch('DapCases', { args: ['loop'], breakpoints: { [source('DapCases')]: [{ line, condition: 'i == 2' }] } });
    const { threadId, frame } = await s.stoppedAt('breakpoint', line);
    assert.equal((await s.evaluate('i * 10', { frameId: frame.id })).result, '20');
    await s.setBreakpoints(source('DapCases'), []);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.match(await s.outputUpTo(/loop total=\d+\n/), /loop total=55\n$/);
    await s.request('disconnect', {});
    // the server goes on listening: a second client gets a session of its own
    const s2 = await ctx.connect(s.port);
    await s2.launch('DapCases', { args: ['exit'] });
    assert.equal(await s2.waitExit(), 42);
    assert.equal(await s2.outputUpTo(/exiting with \d+\n/), 'DapCases: exit\nexiting with 42\n');
    await s2.request('disconnect', {});
});

dapTest('attach to a process another debugger holds: refused at once with the reason, the first session goes on', async (ctx) => {
    const release = path.join(tmpdir(), 'release');
    const p = ctx.spawnProgram('Sleeper', [release]);
    await p.waitStdout(/^ready \d+\n/);
    const first = await ctx.session();
    await first.initialize();
    await first.request('attach', { processId: p.pid });
    const src = source('Sleeper');
    const line = mark('Sleeper', 'wait');
    await first.setBreakpoints(src, [line]);
    await first.request('configurationDone');
    const { threadId } = await first.stoppedAt('breakpoint', line, { path: src });
    // a second adapter is turned away at once, its attach response naming the holder, and
    // never touches the runtime's transport
    const second = await ctx.session();
    await second.initialize();
    const r = await second.requestRaw('attach', { processId: p.pid });
    assert.equal(r.success, false);
    assert.match(r.message, new RegExp(`^process ${p.pid} \\(dotnet\\) is already being debugged: process \\d+ \\(cordbg\\)`));
    await second.request('disconnect', {});
    // the first session still works: evaluate, then detach; the program goes on
    const frames = await first.frames(threadId);
    const polls = await first.evaluate('polls >= 0', { frameId: frames[0].id, context: 'watch' });
    assert.equal(polls.result, 'true');
    await first.setBreakpoints(src, []);
    const d = await first.request('disconnect', { terminateDebuggee: false });
    assert.ok(d.success);
    await first.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.ok(pidAlive(p.pid), 'the program died when the debugger detached');
    fs.writeFileSync(release, '');
    assert.equal(await p.wait(), 0, 'the program exit status after detach and release');
    assert.equal(p.stdout, `ready ${p.pid}\ndone\n`);
});
