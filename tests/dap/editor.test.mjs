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
