// Requests editors use: exceptionInfo with inner exceptions, completions, breakpointLocations
// with columns, stepInTargets, progress events (program: EditorCases).
import { dapTest, mark, source, assert } from './harness.mjs';

const SRC = source('EditorCases');
const M = (name) => mark('EditorCases', name);

dapTest('exceptionInfo: the innerException chain, each with its type, message and stack trace', async (ctx) => {
    const s = await ctx.session();
    await s.launch('EditorCases', { args: ['inner'], exceptionFilters: ['all'] });
    assert.ok(s.capabilities.supportsExceptionInfoRequest);
    // first chance stops: Deep's ArgumentException, Middle's wrapper, then Outer's
    let ev = null;
    for (const m of ['deep_throw', 'mid_throw', 'outer_throw']) {
        if (ev) await s.request('continue', { threadId: ev.body.threadId });
        ev = await s.stopped('exception');
        const frames = await s.frames(ev.body.threadId);
        assert.equal(frames.find(f => f.source?.path).line, M(m), `stop at ${m}`);
    }
    const info = (await s.request('exceptionInfo', { threadId: ev.body.threadId })).body;
    assert.equal(info.exceptionId, 'CLR/System.ApplicationException');
    assert.equal(info.description, 'outer failed');
    const d = info.details;
    assert.equal(d.typeName, 'ApplicationException');
    assert.equal(d.message, 'outer failed');
    assert.equal(d.innerException?.length, 1, `one inner exception: ${JSON.stringify(d)}`);
    const i1 = d.innerException[0];
    assert.equal(i1.fullTypeName, 'System.InvalidOperationException');
    assert.equal(i1.typeName, 'InvalidOperationException');
    assert.equal(i1.message, 'middle failed');
    assert.match(i1.stackTrace, /EditorCases\.Thrower\.Middle\(\)/);
    assert.doesNotMatch(i1.stackTrace, /Deep/, 'the stack trace is that exception\'s own');
    assert.equal(i1.innerException?.length, 1);
    const i2 = i1.innerException[0];
    assert.equal(i2.fullTypeName, 'System.ArgumentException');
    assert.equal(i2.message, 'bad arg');
    assert.match(i2.stackTrace, /EditorCases\.Thrower\.Deep\(\)/);
    assert.equal(i2.innerException, undefined, 'the chain ends');
    // the evaluate names reach the inner objects
    const frames = await s.frames(ev.body.threadId);
    const r = await s.evaluate(`${i2.evaluateName}.Message`, { frameId: frames[0].id, context: 'watch' });
    assert.equal(r.result, '"bad arg"');
    await s.request('setExceptionBreakpoints', { filters: [] });
    await s.request('continue', { threadId: ev.body.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/EditorCases: end\n/),
                 'EditorCases: inner\ncaught outer failed <- middle failed <- bad arg\nEditorCases: end\n');
});

async function complete(s, frameId, text, column = text.length + 1) {
    const r = await s.request('completions', { frameId, text, column });
    return r.body.targets;
}
const labels = (targets) => targets.map(t => t.label).sort();
const kindOf = (targets, label) => targets.find(t => t.label === label)?.type;

dapTest('completions: names in scope and members after a dot, without running the program', async (ctx) => {
    const s = await ctx.session();
    const line = M('complete_here');
    await s.launch('EditorCases', { args: ['complete'], breakpoints: { [SRC]: [line] } });
    assert.ok(s.capabilities.supportsCompletionsRequest);
    const { threadId } = await s.stoppedAt('breakpoint', line, { path: SRC });
    const [f] = await s.frames(threadId);
    // locals, arguments, members of this, statics of the type: by prefix
    let t = await complete(s, f.id, 'loc');
    assert.deepEqual(labels(t), ['localText', 'localValue']);
    assert.equal(kindOf(t, 'localValue'), 'variable');
    assert.equal(t[0].start, 1);
    assert.equal(t[0].length, 3);
    t = await complete(s, f.id, 'st');
    assert.deepEqual(labels(t), ['step']);
    t = await complete(s, f.id, 'x + co');
    assert.deepEqual(labels(t), ['count']);
    assert.equal(kindOf(t, 'count'), 'field');
    assert.equal(t[0].start, 5);
    t = await complete(s, f.id, 'To');
    assert.deepEqual(labels(t), ['ToString', 'Total']);
    assert.equal(kindOf(t, 'Total'), 'field');
    assert.equal(kindOf(t, 'ToString'), 'method');
    t = await complete(s, f.id, 'N');
    assert.deepEqual(labels(t), ['Name']);
    assert.equal(kindOf(t, 'Name'), 'property');
    // members after a dot, from the receiver's type
    t = await complete(s, f.id, 'this.B');
    assert.deepEqual(labels(t), ['Bump']);
    assert.equal(kindOf(t, 'Bump'), 'method');
    assert.equal(t[0].start, 6);
    t = await complete(s, f.id, 'localText.Len');
    assert.deepEqual(labels(t), ['Length']);
    assert.equal(kindOf(t, 'Length'), 'property');
    t = await complete(s, f.id, 'localText.Substring(1).To');
    assert.deepEqual(t, [], 'a receiver that needs a call is not evaluated');
    // the cursor in the middle: what precedes it counts
    t = await complete(s, f.id, 'this.Na + 1', 8);
    assert.deepEqual(labels(t), ['Name']);
    // a type name: its statics
    t = await complete(s, f.id, 'EditorCases.Counter.T');
    assert.deepEqual(labels(t), ['Total']);
    // nothing ran: Bump was not called
    assert.equal((await s.evaluate('count', { frameId: f.id, context: 'watch' })).result, '3');
    await s.setBreakpoints(SRC, []);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/EditorCases: end\n/), 'EditorCases: complete\nrun 18\nEditorCases: end\n');
});

dapTest('breakpointLocations with columns before the program runs; setBreakpoints with a column binds that lambda only', async (ctx) => {
    const fs = await import('node:fs');
    const line = M('linq');
    const text = fs.readFileSync(SRC, 'utf8').split('\n')[line - 1];
    const colOf = (s) => { const i = text.indexOf(s); assert.ok(i >= 0, s); return i + 1; };
    const stmt = colOf('var q'), where = colOf('n > 2'), select = colOf('n * 2');
    const s = await ctx.session();
    await s.initialize();
    await s.nextEvent('initialized');
    assert.ok(s.capabilities.supportsBreakpointLocationsRequest);
    await s.request('launch', { name: 'test', type: 'coreclr', request: 'launch', program: (await import('./harness.mjs')).program('EditorCases'),
                                args: ['linq'], console: 'internalConsole' });
    // the program has not started (no configurationDone): the locations come from its PDB
    const locs = (await s.request('breakpointLocations', { source: { path: SRC }, line })).body.breakpoints;
    assert.deepEqual(locs.map(l => l.column).sort((a, b) => a - b), [stmt, where, select],
                     `the statement and each lambda body: ${JSON.stringify(locs)}`);
    assert.ok(locs.every(l => l.line === line && l.endLine === line && l.endColumn > l.column));
    const bps = await s.setBreakpoints(SRC, [{ line, column: stmt }, { line, column: select }]);
    assert.deepEqual(bps.map(b => b.column), [stmt, select]);
    await s.request('configurationDone');
    // the statement once, then the Select lambda for each element Where lets through
    let { threadId } = await s.stoppedAt('breakpoint', line, { path: SRC, name: /^EditorCases\.Program\.Main/ });
    let f = (await s.frames(threadId))[0];
    assert.equal((await s.evaluate('nums.Count', { frameId: f.id, context: 'watch' })).result, '5');
    const seen = [];
    for (let k = 0; k < 3; k++) {
        await s.request('continue', { threadId });
        ({ threadId } = await s.stoppedAt('breakpoint', line, { path: SRC }));
        f = (await s.frames(threadId))[0];
        assert.doesNotMatch(f.name, /Program\.Main\(/, 'a lambda frame');
        seen.push((await s.evaluate('n', { frameId: f.id, context: 'watch' })).result);
    }
    assert.deepEqual(seen, ['3', '4', '5'], 'the Select lambda only, not the Where one');
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(s.eventsOf('stopped').length, 4, 'four stops');
    assert.equal(await s.outputUpTo(/EditorCases: end\n/), 'EditorCases: linq\nlinq 6,8,10\nEditorCases: end\n');
});

dapTest('stepInTargets lists the calls of the line; stepIn with a targetId stops in that one', async (ctx) => {
    const s = await ctx.session();
    const line = M('stepin_line');
    await s.launch('EditorCases', { args: ['stepin'], breakpoints: { [SRC]: [line] } });
    assert.ok(s.capabilities.supportsStepInTargetsRequest);
    let { threadId } = await s.stoppedAt('breakpoint', line, { path: SRC });
    let [f] = await s.frames(threadId);
    const targets = (await s.request('stepInTargets', { frameId: f.id })).body.targets;
    const names = targets.map(t => t.label);
    assert.deepEqual(names.filter(n => /Twice|Add/.test(n)),
                     ['EditorCases.Program.Twice', 'EditorCases.Program.Twice', 'EditorCases.Program.Add'], JSON.stringify(targets));
    const add = targets.find(t => t.label === 'EditorCases.Program.Add');
    await s.request('stepIn', { threadId, targetId: add.id });
    ({ threadId } = await s.stoppedAt('step', M('add_open'), { path: SRC, name: /^EditorCases\.Program\.Add\(int a/ }));
    [f] = await s.frames(threadId);
    // both Twice calls ran (stepped out of), so Add has their results
    assert.equal((await s.evaluate('a + b', { frameId: f.id, context: 'watch' })).result, '10');
    assert.equal(s.eventsOf('stopped').length, 2, 'no stop in Twice');
    await s.setBreakpoints(SRC, []);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/EditorCases: end\n/), 'EditorCases: stepin\nstepin 10\nEditorCases: end\n');
});

dapTest('progress events around loading symbols and attaching, only for a client that supports them', async (ctx) => {
    const path = await import('node:path');
    const { tmpdir, program } = await import('./harness.mjs');
    const check = (s, title) => {
        const evs = s.allEvents.filter(e => /^progress/.test(e.event));
        assert.ok(evs.length >= 2, `progress events: ${JSON.stringify(evs)}`);
        assert.equal(evs[0].event, 'progressStart');
        assert.match(evs[0].body.title, title);
        const id = evs[0].body.progressId;
        assert.ok(evs.every(e => e.body.progressId === id), 'one progress');
        assert.equal(evs.filter(e => e.event === 'progressEnd').length, 1, 'ended once');
        return evs;
    };
    // launch: symbols of each module loaded reported, ended before the first stop
    const s = await ctx.session();
    await s.initialize({ supportsProgressReporting: true });
    await s.nextEvent('initialized');
    const line = M('complete_here');
    await s.setBreakpoints(SRC, [line]);
    await s.request('launch', { name: 'test', type: 'coreclr', request: 'launch', program: program('EditorCases'),
                                args: ['complete'], console: 'internalConsole' });
    await s.request('configurationDone');
    const { threadId } = await s.stoppedAt('breakpoint', line, { path: SRC });
    const evs = check(s, /^Loading symbols of EditorCases\.dll/);
    assert.ok(evs.some(e => e.event === 'progressUpdate' && /^EditorCases\.dll: symbols loaded/.test(e.body.message)),
              JSON.stringify(evs));
    const order = s.allEvents.filter(e => e.event === 'progressEnd' || e.event === 'stopped').map(e => e.event);
    assert.deepEqual(order, ['progressEnd', 'stopped']);
    await s.setBreakpoints(SRC, []);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    // attach
    const release = path.join(tmpdir(), 'release');
    const p = ctx.spawnProgram('Sleeper', [release]);
    await p.waitStdout(/^ready \d+\n/);
    const a = await ctx.session();
    await a.initialize({ supportsProgressReporting: true });
    await a.nextEvent('initialized');
    await a.request('attach', { name: 'attach', type: 'coreclr', request: 'attach', processId: p.pid });
    await a.request('configurationDone');
    await a.nextEvent('progressEnd');
    check(a, new RegExp(`^Attaching to process ${p.pid}$`));
    await a.request('disconnect', { terminateDebuggee: false });
    // a client that did not ask gets none
    const q = await ctx.session();
    await q.launch('EditorCases', { args: ['inner'] });
    assert.equal(await q.waitExit(), 0);
    assert.equal(q.allEvents.filter(e => /^progress/.test(e.event)).length, 0);
});
