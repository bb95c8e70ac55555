// Post-mortem over DAP (issue 23): a launch with "coreDumpPath" opens a core dump of
// CoreCases `unhandled` (the runtime's own full dump, DOTNET_DbgEnableMiniDump): one stopped
// event after configurationDone at the throwing frame, stack, scopes, variables and evaluate
// read the dump; what needs a live process is refused with the reason; disconnect ends the
// session. A core that cannot be opened fails the launch with its reason.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, program, source, tmpdir, ENV, WAIT, assert } from './harness.mjs';

/** The line of `// @mark:NAME` in CoreCases' Program.cs (its header names the marks too). */
function mark(_prog, name) {
    const lines = fs.readFileSync(source('CoreCases'), 'utf8').split('\n');
    const hits = lines.map((l, i) => [l, i + 1]).filter(([l]) => new RegExp(`//\\s*@mark:${name}\\b`).test(l) && !/^\s*\/\/ /.test(l));
    assert.equal(hits.length, 1, `@mark:${name} in CoreCases: ${JSON.stringify(hits)}`);
    return hits[0][1];
}

/** Run CoreCases SCENARIO under the runtime's crash dump (full); the dump's path. */
function runtimeDump(scenario) {
    const dir = tmpdir();
    const r = spawnSync('dotnet', [program('CoreCases'), scenario], {
        env: { ...ENV, DOTNET_DbgEnableMiniDump: '1', DOTNET_DbgMiniDumpType: '4', DOTNET_DbgMiniDumpName: path.join(dir, 'core.%p') },
        encoding: 'utf8', timeout: WAIT, stdio: ['ignore', 'pipe', 'pipe'],
    });
    const cores = fs.readdirSync(dir).filter(f => f.startsWith('core.'));
    assert.equal(cores.length, 1, `CoreCases ${scenario} wrote no dump (exit ${r.status}): ${(r.stderr || '').slice(-2000)}`);
    return path.join(dir, cores[0]);
}

/** initialize, launch with the core (before configurationDone, as editors send it), the
 * editor's breakpoints and exception filters, configurationDone. Returns the launch response
 * and the setBreakpoints answer. */
async function openCore(s, core, extra = {}) {
    await s.initialize();
    await s.nextEvent('initialized');
    const launch = await s.request('launch', { name: 'core', type: 'coreclr', request: 'launch', coreDumpPath: core,
        program: program('CoreCases'), ...extra });
    const bps = await s.setBreakpoints(source('CoreCases'), [mark('CoreCases', 'throw')]);
    await s.request('setExceptionBreakpoints', { filters: ['user-unhandled'] });
    await s.request('configurationDone');
    return { launch, bps };
}

dapTest('core: a dump of an unhandled exception opens at the throw; values read; live-only requests refused', async (ctx) => {
    const core = runtimeDump('unhandled');
    const s = await ctx.session();
    const { bps } = await openCore(s, core);
    assert.equal(bps[0].verified, false, 'a breakpoint in a core is not verified');
    assert.match(bps[0].message, /core dump/);
    const ev = await s.stopped('exception');
    assert.equal(ev.body.allThreadsStopped, true);
    assert.match(ev.body.text || '', /InvalidOperationException/, JSON.stringify(ev.body));
    const threadId = ev.body.threadId;
    assert.ok(threadId, 'the stop names the crashing thread');
    const threads = (await s.request('threads')).body.threads;
    assert.ok(threads.some(t => t.id === threadId), 'the crashing thread is listed');
    const frames = await s.frames(threadId);
    const top = frames.find(f => f.source?.path?.endsWith('/CoreCases/Program.cs'));
    assert.ok(top, `no CoreCases frame in ${frames.map(f => f.name).join(' | ')}`);
    assert.equal(top.line, mark('CoreCases', 'throw'), `top user frame ${top.name} at line ${top.line}`);
    // Above it at most the runtime's failure path, as frames without source marked 'label':
    // an editor focuses the first frame with a source (VS Code's getTopStackFrame), the throw.
    for (const f of frames.slice(0, frames.indexOf(top))) {
        assert.ok(!f.source && f.presentationHint === 'label', `a frame above the throw: ${JSON.stringify(f)}`);
    }
    const vars = await s.scopeVariables(top.id);
    const locals = vars.Locals;
    assert.ok(locals, `no Locals scope: ${Object.keys(vars)}`);
    assert.equal(locals.count?.value, '42', JSON.stringify(locals.count));
    assert.equal(locals.name?.value, '"core-cases"', JSON.stringify(locals.name));
    // a List<string> read from the dump by its contents (from its fields: no code runs)
    const items = await s.children(locals.items.variablesReference);
    assert.equal(items['[1]']?.value, '"beta"', JSON.stringify(items));
    assert.equal(Object.keys(items).filter(k => k.startsWith('[')).length, 3, JSON.stringify(items));
    const numbers = await s.children(locals.numbers.variablesReference);
    assert.equal(numbers['[4]']?.value, '8', JSON.stringify(numbers));
    assert.equal((await s.evaluate('count + 1', { frameId: top.id, context: 'watch' })).result, '43');
    assert.equal((await s.evaluate('name.Length', { frameId: top.id, context: 'hover' })).result, '10');
    assert.equal((await s.evaluate('point.X', { frameId: top.id, context: 'watch' })).result, '3');
    const info = (await s.request('exceptionInfo', { threadId })).body;
    assert.equal(info.exceptionId, 'CLR/System.InvalidOperationException');
    assert.equal(info.details?.message, 'core cases: bad state 42');
    // what needs a live process: refused, with the reason
    for (const [cmd, args] of [['continue', { threadId }], ['next', { threadId }], ['stepIn', { threadId }],
        ['stepOut', { threadId }], ['pause', { threadId }]]) {
        const r = await s.requestRaw(cmd, args);
        assert.equal(r.success, false, `${cmd} in a core must fail`);
        assert.match(r.message, /core dump/, `${cmd}: ${r.message}`);
    }
    const fb = await s.request('setFunctionBreakpoints', { breakpoints: [{ name: 'Program.Main' }] });
    assert.equal(fb.body.breakpoints[0].verified, false);
    assert.equal(s.eventsOf('stopped').length, 1, 'one stop, no more');
    const d = await s.requestRaw('disconnect', {});
    assert.equal(d.success, true, d.message);
    s.disconnected = true;
    assert.equal(await s.adapterExit(), 0, 'cordbg ends cleanly after disconnect');
});

dapTest('core: a file that is not a core fails the launch with the reason; the session ends cleanly', async (ctx) => {
    const bad = path.join(tmpdir(), 'random.core');
    fs.writeFileSync(bad, Buffer.alloc(65536, 0x5a));
    const s = await ctx.session();
    await s.initialize();
    await s.nextEvent('initialized');
    const r = await s.requestRaw('launch', { name: 'core', type: 'coreclr', request: 'launch', coreDumpPath: bad });
    assert.equal(r.success, false, 'the launch of a bad core fails');
    assert.match(r.message, /random\.core.*ELF/, r.message);
    const missing = await s.requestRaw('launch', { name: 'core', type: 'coreclr', request: 'launch',
        coreDumpPath: path.join(tmpdir(), 'nope.core') });
    assert.equal(missing.success, false);
    assert.match(missing.message, /No such file/);
    const d = await s.requestRaw('disconnect', {});
    assert.equal(d.success, true, d.message);
    s.disconnected = true;
    assert.equal(await s.adapterExit(), 0);
});
