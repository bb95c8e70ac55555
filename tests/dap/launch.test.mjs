// Launch, breakpoints, the program's output and exit code, threads, modules, sources.
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, mark, source, program, tmpdir, assert } from './harness.mjs';

dapTest('launch and hit a breakpoint', async (ctx) => {
    const s = await ctx.session();
    const src = source('Values');
    const line = mark('Values', 'all');
    // DebugClient's own stop assertion (it listens from now on, before the launch)
    const stop = s.dc.assertStoppedLocation('breakpoint', { path: src, line });
    const { breakpoints } = await s.launch('Values', { breakpoints: { [src]: [line] } });
    const bp = breakpoints[src][0];
    assert.ok(bp.id, `setBreakpoints gave no id: ${JSON.stringify(bp)}`);
    assert.equal(bp.line, line);
    const trace = await stop;
    // the initialized event comes after the initialize response
    const resp = s.log.findIndex(([, dir, text]) => dir === '<-' && /"command":"initialize"/.test(text));
    const init = s.log.findIndex(([, dir, text]) => dir === '<-' && /"event":"initialized"/.test(text));
    assert.ok(resp >= 0 && init > resp, 'initialized event before the initialize response');
    assert.match(trace.body.stackFrames[0].name, /^Values\.Program\.Inspect\(/);
    const ev = await s.stopped('breakpoint');
    assert.deepEqual(ev.body.hitBreakpointIds, [bp.id], 'hitBreakpointIds');
    // verified now: in the setBreakpoints response or by a later breakpoint event
    assert.ok(bp.verified || s.hasEvent('breakpoint', e => e.body.breakpoint.id === bp.id && e.body.breakpoint.verified),
              'the breakpoint was never reported verified');
    const proc = s.eventsOf('process');
    assert.equal(proc.length, 1, 'one process event');
    assert.equal(proc[0].body.startMethod, 'launch');
    await s.request('continue', { threadId: ev.body.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.match(await s.outputUpTo(/Values: done\n/), /^Values: start\nstop\nafter\n[^]*Values: done\n$/);
});

dapTest('stopAtEntry stops with reason entry', async (ctx) => {
    const s = await ctx.session();
    await s.launch('DapCases', { args: ['exit'], stopAtEntry: true });
    const { frame, threadId } = await s.stoppedAt('entry', null, { path: source('DapCases'), name: /DapCases\.Program\.Main\(/ });
    assert.equal(s.outputs.stdout, '', 'the program ran past its entry');
    assert.ok(frame.line > 0);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 42);
});

dapTest('program stdout and stderr arrive as output events', async (ctx) => {
    const s = await ctx.session();
    await s.launch('DapCases', { args: ['output'] });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/\u2713\n/), 'DapCases: output\nout: h\u00e9llo \u2713\n');
    assert.equal(await s.outputUpTo(/two\n/, 'stderr'), 'err: line two\n');
});

dapTest('exited event carries the exit code', async (ctx) => {
    const s = await ctx.session();
    await s.launch('DapCases', { args: ['exit'] });
    assert.equal(await s.waitExit(), 42);
    await s.waitOutput(/exiting with 42\n/);
    assert.equal(s.eventsOf('stopped').length, 0, 'no stop was asked for');
});

dapTest('threads request lists the program threads', async (ctx) => {
    const s = await ctx.session();
    const src = source('Threads');
    const line = mark('Threads', 'work');
    await s.launch('Threads', { breakpoints: { [src]: [line] } });
    const { threadId } = await s.stoppedAt('breakpoint', line);
    const threads = (await s.request('threads')).body.threads;
    assert.ok(threads.length >= 2, `threads: ${JSON.stringify(threads)}`);
    const ids = threads.map(t => t.id);
    assert.equal(new Set(ids).size, ids.length, 'thread ids are unique');
    assert.ok(ids.includes(threadId), `the stopped thread ${threadId} is not in ${JSON.stringify(threads)}`);
    const stoppedOne = threads.find(t => t.id === threadId);
    assert.match(stoppedOne.name, /\bt[123]\b/, 'the stopped worker thread is named t1, t2 or t3');
    for (const t of threads) assert.ok(typeof t.name === 'string' && t.name.length > 0, `thread without a name: ${JSON.stringify(t)}`);
    // the stopped thread and the main thread were announced by thread events (a thread that
    // is just starting may be listed before its event comes, so not every one is checked)
    for (const id of new Set([threadId, 1])) {
        assert.ok(s.hasEvent('thread', e => e.body.threadId === id && e.body.reason === 'started'),
                  `no 'thread started' event for thread ${id}`);
    }
    await s.setBreakpoints(src, []);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    await s.waitOutput(/Threads: done \d+\n/);
});

dapTest('modules and loadedSources requests', async (ctx) => {
    const s = await ctx.session();
    const src = source('Values');
    const line = mark('Values', 'all');
    await s.launch('Values', { breakpoints: { [src]: [line] } });
    const { threadId, frame } = await s.stoppedAt('breakpoint', line);
    const r = (await s.request('modules', { startModule: 0, moduleCount: 0 })).body;
    const mods = r.modules;
    const values = mods.find(m => m.name === 'Values.dll');
    assert.ok(values, `no Values.dll in ${JSON.stringify(mods.map(m => m.name))}`);
    assert.equal(values.path, program('Values'));
    assert.equal(values.symbolStatus, 'Symbols loaded.');
    assert.equal(frame.moduleId, values.id, "the frame's moduleId is Values.dll's id");
    const corelib = mods.find(m => m.name === 'System.Private.CoreLib.dll');
    assert.ok(corelib, 'System.Private.CoreLib.dll is listed');
    assert.ok(r.totalModules === undefined || r.totalModules >= mods.length, `totalModules ${r.totalModules}`);
    assert.equal(new Set(mods.map(m => m.id)).size, mods.length, 'module ids are unique');
    // each listed module was announced by a module event with the same id
    for (const m of mods) {
        assert.ok(s.hasEvent('module', e => e.body.reason === 'new' && e.body.module.id === m.id && e.body.module.name === m.name),
                  `no module 'new' event for ${m.name} (id ${m.id})`);
    }
    // paging: startModule and moduleCount
    const page = (await s.request('modules', { startModule: 1, moduleCount: 2 })).body.modules;
    assert.deepEqual(page.map(m => m.id), mods.slice(1, 3).map(m => m.id), 'modules page 1..2');
    const sources = (await s.request('loadedSources')).body.sources;
    assert.ok(sources.some(x => x.path === src), `loadedSources has no ${src}: ${JSON.stringify(sources)}`);
    for (const x of sources) assert.ok(x.name && (x.path || x.sourceReference), `source without name or path: ${JSON.stringify(x)}`);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
});

dapTest('breakpointLocations', async (ctx) => {
    const s = await ctx.session();
    const src = source('BpBasic');
    const first = mark('BpBasic', 'main_first');
    const nocode = mark('BpBasic', 'nocode');
    const next = mark('BpBasic', 'nocode_next');
    await s.launch('BpBasic', { breakpoints: { [src]: [first] } });
    const { threadId } = await s.stoppedAt('breakpoint', first);
    const locs = async (line, endLine) =>
        (await s.request('breakpointLocations', { source: { path: src }, line, endLine })).body.breakpoints;
    assert.deepEqual((await locs(first)).map(b => b.line), [first], 'a line with code');
    assert.deepEqual(await locs(nocode), [], 'a comment line has no location');
    assert.deepEqual((await locs(nocode, next)).map(b => b.line), [next], 'a range from a comment line to code');
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
});

dapTest('launch a program given relative to cwd', async (ctx) => {
    const s = await ctx.session();
    await s.initialize();
    await s.request('launch', { program: 'DapCases.dll', cwd: path.dirname(program('DapCases')), args: ['exit'] });
    await s.request('configurationDone');
    assert.equal(await s.waitExit(), 42);
    assert.equal(await s.outputUpTo(/exiting with \d+\n/), 'DapCases: exit\nexiting with 42\n');
});

dapTest('launch of a program that is not there fails with a message', async (ctx) => {
    const s = await ctx.session();
    await s.initialize();
    const missing = path.join(tmpdir(), 'NoSuchProgram.dll');
    const r = await s.requestRaw('launch', { program: missing });
    assert.equal(r.success, false);
    assert.match(r.message || '', /NoSuchProgram\.dll/, `the message names the program: ${r.message}`);
    // a file that is not an assembly
    const notAsm = path.join(tmpdir(), 'NotAnAssembly.dll');
    fs.writeFileSync(notAsm, 'just text\n');
    const r2 = await s.requestRaw('launch', { program: notAsm });
    assert.equal(r2.success, false);
    assert.ok(r2.message, 'a refused launch says why');
    assert.equal(s.eventsOf('process').length, 0, 'nothing was started');
});

dapTest('Debugger.Break stops with reason pause; Debugger.Log is output', async (ctx) => {
    const s = await ctx.session();
    await s.launch('LogBreak');
    let st = await s.stoppedAt('pause', mark('LogBreak', 'break1'), { name: /^Program\.Main\(\)/ });
    // both Debugger.Log messages came before the break, as output events (not the program's stdout)
    const logged = s.eventsOf('output').filter(e => /message (one|two)/.test(e.body.output));
    assert.deepEqual(logged.map(e => e.body.output.trim()).map(t => t.replace(/^.*(message \w+).*$/, '$1')), ['message one', 'message two']);
    for (const e of logged) assert.notEqual(e.body.category, 'stdout');
    await s.request('continue', { threadId: st.threadId });
    st = await s.stoppedAt('pause', mark('LogBreak', 'break2'));
    await s.request('continue', { threadId: st.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/LogBreak: end\n/), 'LogBreak: start\nLogBreak: between\nLogBreak: end\n');
});

dapTest('requests sent at once, in the order editors use (launch before breakpoints)', async (ctx) => {
    const s = await ctx.session();
    const src = source('DapCases');
    const line = mark('DapCases', 'square_body');
    // no request waits for an answer or for the initialized event before the next goes out
    const [init, launch, bps, done] = await Promise.all([
        s.request('initialize', { adapterID: 'coreclr', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' }),
        s.request('launch', { program: program('DapCases'), args: ['loop'] }),
        s.request('setBreakpoints', { source: { path: src }, breakpoints: [{ line, hitCondition: '2' }] }),
        s.request('configurationDone'),
    ]);
    assert.ok(init.body.supportsConfigurationDoneRequest);
    assert.ok(launch.success && done.success);
    assert.equal(bps.body.breakpoints.length, 1);
    const st = await s.stoppedAt('breakpoint', line, { name: /Square\(int v = 1\)/ });
    await s.request('continue', { threadId: st.threadId });
    assert.equal(await s.waitExit(), 0);
    await s.waitOutput(/loop total=55\n/);
});
