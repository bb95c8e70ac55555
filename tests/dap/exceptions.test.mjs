// Exceptions out of async code, framework exceptions with just my code, and breakpoints in
// code with debugger attributes (issue 16, items 3-5), through DAP.
import path from 'node:path';
import { dapTest, mark, source, program, assert } from './harness.mjs';

const A = (m) => mark('AsyncExc', m);

/** Launch as an editor does with the exception filters the adapter marks `default` (what
 * VS Code sends when the user changed nothing). Returns the filters sent. */
async function launchWithDefaultFilters(s, programName, args) {
    await s.initialize();
    await s.nextEvent('initialized');
    const filters = (s.capabilities.exceptionBreakpointFilters || []).filter(f => f.default).map(f => f.filter);
    await s.request('setExceptionBreakpoints', { filters });
    await s.request('launch', {
        name: 'test', type: 'coreclr', request: 'launch', program: program(programName), args,
        cwd: path.dirname(program(programName)), console: 'internalConsole',
    });
    await s.request('configurationDone');
    return filters;
}

/** The stop is an exception stop at `line` in a frame named like `name`, frame 0 (the throw). */
async function atThrow(s, ev, { line, name }) {
    assert.equal(ev.body.reason, 'exception', JSON.stringify(ev.body));
    const frames = await s.frames(ev.body.threadId);
    assert.equal(frames[0].line, line, `exception stop at line ${frames[0].line} (${frames[0].name}), expected ${line}`);
    assert.match(frames[0].name, name);
    return frames;
}

async function exceptionInfo(s, threadId) {
    return (await s.request('exceptionInfo', { threadId })).body;
}

dapTest('async: with the editor default filters an exception leaving async Main stops at its throw', async (ctx) => {
    const s = await ctx.session();
    const filters = await launchWithDefaultFilters(s, 'AsyncExc', ['asyncthrow']);
    assert.ok(filters.includes('user-unhandled'), `user-unhandled is a default filter: ${filters}`);
    const ev = await s.stopped('exception');
    const frames = await atThrow(s, ev, { line: A('async_throw'), name: /^Program\.LoadAsync\(int id/ });
    assert.equal((await s.evaluate('o.Id', { frameId: frames[0].id, context: 'watch' })).result, '42');
    const info = await exceptionInfo(s, ev.body.threadId);
    assert.equal(info.exceptionId, 'CLR/System.InvalidOperationException');
    assert.equal(info.details?.message, 'order 42 failed');
    assert.equal(info.breakMode, 'unhandled');
    await s.request('continue', { threadId: ev.body.threadId });
    // no second stop for the <Main> stub's rethrow: the program dies as without a debugger
    const code = await s.waitExit();
    assert.notEqual(code, 0, 'an unhandled exception ends the program with a failure code');
    assert.equal(s.eventsOf('stopped').length, 1, 'one stop');
    await s.waitOutput(/Unhandled exception\. System\.InvalidOperationException: order 42 failed/, { category: 'stderr' });
});

dapTest('async: user-unhandled stops at the throw when framework code awaits it', async (ctx) => {
    const s = await ctx.session();
    await s.launch('AsyncExc', { args: ['whenall'], exceptionFilters: ['user-unhandled'] });
    const ev = await s.stopped('exception');
    const frames = await atThrow(s, ev, { line: A('late_throw'), name: /^Program\.LoadLaterAsync\(int id/ });
    assert.equal((await s.evaluate('o.Id', { frameId: frames[0].id, context: 'watch' })).result, '3');
    const info = await exceptionInfo(s, ev.body.threadId);
    assert.equal(info.breakMode, 'userUnhandled');
    assert.equal(info.exceptionId, 'CLR/System.InvalidOperationException');
    await s.request('continue', { threadId: ev.body.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(s.eventsOf('stopped').length, 1, 'one stop');
    assert.equal(await s.outputUpTo(/AsyncExc: end\n/),
                 'AsyncExc: whenall\nloading later 3\ncaught late order 3 failed\nAsyncExc: end\n');
});

dapTest('async: an exception an awaiter catches makes no stop with the default filters', async (ctx) => {
    const s = await ctx.session();
    await launchWithDefaultFilters(s, 'AsyncExc', ['asyncawaitcaught']);
    assert.equal(await s.waitExit(), 0);
    assert.equal(s.eventsOf('stopped').length, 0, 'no stop');
    assert.equal(await s.outputUpTo(/AsyncExc: end\n/),
                 'AsyncExc: asyncawaitcaught\nloading later 6\ncaught late order 6 failed\nAsyncExc: end\n');
});

dapTest('filter all with just my code: a framework FormatException stops in the user frame', async (ctx) => {
    const s = await ctx.session();
    await s.launch('AsyncExc', { args: ['parse'], exceptionFilters: ['all'] });
    const ev = await s.stopped('exception');
    const frames = await s.frames(ev.body.threadId);
    // the first frame with source is the user's, at the int.Parse call
    const user = frames.find(f => f.source?.path);
    assert.ok(user, `no user frame: ${JSON.stringify(frames.map(f => f.name))}`);
    assert.equal(user.line, A('parse'));
    assert.match(user.name, /^Program\.ParseOrDefault\(string s/);
    assert.equal((await s.evaluate('s', { frameId: user.id, context: 'watch' })).result, '"x"');
    const info = await exceptionInfo(s, ev.body.threadId);
    assert.equal(info.exceptionId, 'CLR/System.FormatException');
    assert.equal(info.breakMode, 'always');
    await s.request('continue', { threadId: ev.body.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(s.eventsOf('stopped').length, 1, 'one stop per exception');
    assert.equal(await s.outputUpTo(/AsyncExc: end\n/), 'AsyncExc: parse\ncaught format\nparsed -1\nAsyncExc: end\n');
});

const ATTRS_OUT = 'AsyncExc: attrs\nhidden 2\nstepthrough 3\nnonuser 4\nplain 5\nAsyncExc: end\n';

/** Run attrs with a breakpoint in each attributed method; the lines it stopped at. */
async function attrStops(ctx, extra) {
    const s = await ctx.session();
    const src = source('AsyncExc');
    const lines = ['in_hidden', 'in_stepthrough', 'in_nonuser', 'in_plain'].map(A);
    await s.launch('AsyncExc', { args: ['attrs'], breakpoints: { [src]: lines }, extra });
    const seen = [];
    for (;;) {
        const e = await s.nextOf(['stopped', 'exited']);
        if (e.event === 'exited') {
            assert.equal(e.body.exitCode, 0);
            break;
        }
        assert.equal(e.body.reason, 'breakpoint', JSON.stringify(e.body));
        seen.push((await s.frames(e.body.threadId))[0].line);
        assert.ok(seen.length <= 4, `too many stops: ${seen}`);
        await s.request('continue', { threadId: e.body.threadId });
    }
    assert.equal(await s.outputUpTo(/AsyncExc: end\n/), ATTRS_OUT);
    return { s, seen };
}

dapTest('breakpoints in [DebuggerHidden], [DebuggerStepThrough], [DebuggerNonUserCode] code: just my code on', async (ctx) => {
    const { s, seen } = await attrStops(ctx, {});
    assert.deepEqual(seen, [A('in_plain')]);
    // the three that never stop were reported unverified, with the reason
    const changed = s.eventsOf('breakpoint').map(e => e.body.breakpoint).filter(b => b.verified === false);
    assert.equal(changed.length, 3, JSON.stringify(s.eventsOf('breakpoint').map(e => e.body)));
    assert.ok(changed.some(b => /DebuggerHidden/.test(b.message)), JSON.stringify(changed));
});

dapTest('breakpoints in attributed code with justMyCode false: all but [DebuggerHidden] stop', async (ctx) => {
    const { seen } = await attrStops(ctx, { justMyCode: false });
    assert.deepEqual(seen, ['in_stepthrough', 'in_nonuser', 'in_plain'].map(A));
});
