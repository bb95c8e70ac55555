// The DAP server (--server): a client that drops its connection, clients of other users.
import { execFileSync, spawn } from 'node:child_process';
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
