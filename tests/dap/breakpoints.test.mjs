// Breakpoint kinds: conditions, hit conditions, log points, function breakpoints, exception
// breakpoints (all with a type condition, user-unhandled, unhandled).
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, mark, source, program, tmpdir, assert } from './harness.mjs';

const D = (m) => mark('DapCases', m);
const E = (m) => mark('ExcBasic', m);
const LOOP_OUT = 'DapCases: loop\nsquare 0\nsquare 1\nsquare 2\nsquare 3\nsquare 4\nsquare 5\nloop total=55\n';

/** Run DapCases loop with one breakpoint on the loop line; returns the values of i at each
 * stop, continuing after each until the program exits (exit code 0 checked). */
async function loopStops(ctx, bp, { max = 10 } = {}) {
    const s = await ctx.session();
    const src = source('DapCases');
    const { breakpoints } = await s.launch('DapCases', { args: ['loop'], breakpoints: { [src]: [{ line: D('loop'), ...bp }] } });
    const b = breakpoints[src][0];
    assert.ok(!b.message || b.verified !== false || /pending|not running/i.test(b.message),
              `the breakpoint was refused: ${JSON.stringify(b)}`);
    const seen = [];
    for (;;) {
        // either the next stop or the end of the program
        const e = await s.nextOf(['stopped', 'exited']);
        if (e.event === 'exited') {
            assert.equal(e.body.exitCode, 0);
            break;
        }
        assert.equal(e.body.reason, 'breakpoint', `stop reason: ${JSON.stringify(e.body)}`);
        const frames = await s.frames(e.body.threadId);
        assert.equal(frames[0].line, D('loop'));
        seen.push((await s.evaluate('i', { frameId: frames[0].id, context: 'watch' })).result);
        assert.ok(seen.length <= max, `more than ${max} stops: i = ${seen}`);
        await s.request('continue', { threadId: e.body.threadId });
    }
    await s.nextEvent('terminated');
    assert.equal(await s.outputUpTo(/loop total=\d+\n/), LOOP_OUT);
    return { s, seen };
}

dapTest('conditional breakpoint stops only where its condition holds', async (ctx) => {
    const { seen } = await loopStops(ctx, { condition: 'i == 3' });
    assert.deepEqual(seen, ['3']);
});

dapTest('conditional breakpoint with a compound condition', async (ctx) => {
    const { seen } = await loopStops(ctx, { condition: 'i % 2 == 1 && i > 1' });
    assert.deepEqual(seen, ['3', '5']);
});

dapTest('a condition that does not parse: the breakpoint is reported and behaves consistently', async (ctx) => {
    const s = await ctx.session();
    const src = source('DapCases');
    const { breakpoints } = await s.launch('DapCases', { args: ['loop'], breakpoints: { [src]: [{ line: D('loop'), condition: 'i ==' }] } });
    const b = breakpoints[src][0];
    assert.ok(b.message, `a breakpoint with a bad condition says why: ${JSON.stringify(b)}`);
    const e = await s.nextOf(['stopped', 'exited']);
    if (b.verified === false) {
        // not set: the program must not stop there as if it had no condition
        assert.equal(e.event, 'exited', `the breakpoint was reported unverified (${b.message}) but stopped the program: ${JSON.stringify(e.body)}`);
    } else {
        // set: a stop there says the condition failed
        assert.equal(e.event, 'stopped');
        await s.waitOutput(/condition/i, { category: 'console' });
        await s.setBreakpoints(src, []);
        await s.request('continue', { threadId: e.body.threadId });
        await s.nextEvent('exited');
    }
    assert.equal(await s.outputUpTo(/loop total=\d+\n/), LOOP_OUT);
});

dapTest('hitCondition "3" stops at the third hit only', async (ctx) => {
    const { seen } = await loopStops(ctx, { hitCondition: '3' });
    assert.deepEqual(seen, ['2']);
});

dapTest('hitCondition ">= 2" stops from the second hit on', async (ctx) => {
    const { seen } = await loopStops(ctx, { hitCondition: '>= 2' });
    assert.deepEqual(seen, ['1', '2', '3', '4', '5']);
});

dapTest('hitCondition "% 2" stops at every second hit', async (ctx) => {
    const { seen } = await loopStops(ctx, { hitCondition: '% 2' });
    assert.deepEqual(seen, ['1', '3', '5']);
});

dapTest('log point prints its message and does not stop', async (ctx) => {
    const { s, seen } = await loopStops(ctx, { logMessage: 'square of {i} is {i * i}' });
    assert.deepEqual(seen, [], 'a log point does not stop');
    const lines = s.eventsOf('output').filter(e => /square of/.test(e.body.output));
    assert.deepEqual(lines.map(e => e.body.output), [0, 1, 2, 3, 4, 5].map(i => `square of ${i} is ${i * i}\n`));
    for (const e of lines) assert.notEqual(e.body.category, 'stdout', "a log point's message is not the program's stdout");
});

dapTest('log point with a condition', async (ctx) => {
    const { s, seen } = await loopStops(ctx, { logMessage: 'i={i}', condition: 'i >= 4' });
    assert.deepEqual(seen, []);
    assert.deepEqual(s.eventsOf('output').filter(e => /^i=/.test(e.body.output)).map(e => e.body.output), ['i=4\n', 'i=5\n']);
});

dapTest('breakpoints changed while stopped: one removed, another added', async (ctx) => {
    const s = await ctx.session();
    const src = source('DapCases');
    await s.launch('DapCases', { args: ['loop'], breakpoints: { [src]: [D('loop')] } });
    let { threadId } = await s.stoppedAt('breakpoint', D('loop'));
    // replace the loop breakpoint by one in Square: the loop line does not stop again
    const [b] = await s.setBreakpoints(src, [D('square_body')]);
    assert.equal(b.verified, true, `a breakpoint in a loaded module is verified at once: ${JSON.stringify(b)}`);
    await s.request('continue', { threadId });
    const st = await s.stoppedAt('breakpoint', D('square_body'), { name: /Square\(int v = 0\)/ });
    assert.deepEqual(st.event.body.hitBreakpointIds, [b.id]);
    await s.setBreakpoints(src, []);
    await s.request('continue', { threadId: st.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/loop total=\d+\n/), LOOP_OUT);
});

dapTest('a breakpoint set while the program runs is hit', async (ctx) => {
    const s = await ctx.session();
    const release = path.join(tmpdir(), 'release');
    await s.launch('Sleeper', { args: [release] });
    await s.waitOutput(/^ready \d+\n/);
    const src = source('Sleeper');
    const line = mark('Sleeper', 'wait');
    const [b] = await s.setBreakpoints(src, [line]);
    assert.ok(b.id);
    const st = await s.stoppedAt('breakpoint', line, { name: /^Program\.Main\(/ });
    assert.deepEqual(st.event.body.hitBreakpointIds, [b.id]);
    await s.setBreakpoints(src, []);
    fs.writeFileSync(release, '');
    await s.request('continue', { threadId: st.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.match(await s.outputUpTo(/done\n/), /^ready \d+\ndone\n$/);
});

dapTest('a breakpoint on a line without code binds to the next line with code', async (ctx) => {
    const s = await ctx.session();
    const src = source('BpBasic');
    const nocode = mark('BpBasic', 'nocode');
    const next = mark('BpBasic', 'nocode_next');
    const { breakpoints } = await s.launch('BpBasic', { breakpoints: { [src]: [nocode] } });
    const id = breakpoints[src][0].id;
    const st = await s.stoppedAt('breakpoint', next, { name: /NoCode\(int k = 2\)/ });
    assert.deepEqual(st.event.body.hitBreakpointIds, [id]);
    // the breakpoint's place, as the client was told: the line it bound to
    const bound = s.eventsOf('breakpoint').filter(e => e.body.breakpoint.id === id).pop()?.body.breakpoint ?? breakpoints[src][0];
    assert.equal(bound.verified, true);
    assert.equal(bound.line, next, `the breakpoint is reported on line ${bound.line}`);
    await s.request('continue', { threadId: st.threadId });
    assert.equal(await s.waitExit(), 0);
});

// A function breakpoint's stop has reason 'breakpoint', as vsdbg and netcoredbg send (issue 16).
dapTest('function breakpoint by method name', async (ctx) => {
    const s = await ctx.session();
    await s.initialize();
    await s.nextEvent('initialized');
    const r = (await s.request('setFunctionBreakpoints', { breakpoints: [{ name: 'Program.Square' }] })).body.breakpoints;
    assert.equal(r.length, 1);
    assert.ok(r[0].id, `no id: ${JSON.stringify(r[0])}`);
    await s.request('launch', { program: program('DapCases'), args: ['loop'] });
    await s.request('configurationDone');
    let { threadId, event } = await s.stoppedAt('breakpoint', D('square_open'), { name: /^DapCases\.Program\.Square\(int v = 0\)/ });
    assert.deepEqual(event.body.hitBreakpointIds, [r[0].id]);
    await s.request('continue', { threadId });
    ({ threadId } = await s.stoppedAt('breakpoint', D('square_open'), { name: /^DapCases\.Program\.Square\(int v = 1\)/ }));
    // a function breakpoint with a condition, replacing the first
    const r2 = (await s.request('setFunctionBreakpoints', { breakpoints: [{ name: 'DapCases.Program.Square', condition: 'v == 4' }] })).body.breakpoints;
    assert.equal(r2[0].verified, true, JSON.stringify(r2[0]));
    await s.request('continue', { threadId });
    ({ threadId } = await s.stoppedAt('breakpoint', D('square_open'), { name: /^DapCases\.Program\.Square\(int v = 4\)/ }));
    await s.request('setFunctionBreakpoints', { breakpoints: [] });
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/loop total=\d+\n/), LOOP_OUT);
    // an unknown method is not verified and says why
    const bad = (await s.requestRaw('setFunctionBreakpoints', { breakpoints: [{ name: 'NoSuchType.NoSuchMethod' }] }));
    assert.ok(!bad.success || bad.body.breakpoints[0].verified === false, JSON.stringify(bad));
});

/** An exception stop: the stopped event names the exception type; the top frame is the throw. */
async function checkException(s, ev, { type, line }) {
    assert.equal(ev.body.reason, 'exception', JSON.stringify(ev.body));
    assert.ok(`${ev.body.description ?? ''} ${ev.body.text ?? ''}`.includes(type),
              `the stopped event names ${type} in its description or text: ${JSON.stringify(ev.body)}`);
    const frames = await s.frames(ev.body.threadId);
    assert.equal(frames[0].line, line, `exception stop at line ${frames[0].line} (${frames[0].name}), expected ${line}`);
    return frames;
}

dapTest('exception breakpoint: all, with a type condition from filterOptions', async (ctx) => {
    const s = await ctx.session();
    const r = await s.launch('ExcBasic', {
        args: ['caught'], exceptionOptions: [{ filterId: 'all', condition: 'System.ArgumentException' }],
    });
    assert.ok(r.launch.success);
    // the InvalidOperationException thrown first does not stop; the ArgumentException does
    const ev = await s.stopped('exception');
    await s.waitOutput(/caught first chance message\n/);   // the program went on past the other exception type
    await checkException(s, ev, { type: 'System.ArgumentException', line: E('throw_argument') });
    await s.request('continue', { threadId: ev.body.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(s.eventsOf('stopped').length, 1, 'one stop');
    assert.equal(await s.outputUpTo(/ExcBasic: end\n/), 'ExcBasic: caught\ncaught first chance message\ncaught bad argument\nExcBasic: end\n');
});

dapTest('exception breakpoint: all filter stops at each thrown exception', async (ctx) => {
    const s = await ctx.session();
    await s.launch('ExcBasic', { args: ['caught'], exceptionFilters: ['all'] });
    const e1 = await s.stopped('exception');
    await checkException(s, e1, { type: 'System.InvalidOperationException', line: E('throw_invalid') });
    await s.request('continue', { threadId: e1.body.threadId });
    const e2 = await s.stopped('exception');
    await checkException(s, e2, { type: 'System.ArgumentException', line: E('throw_argument') });
    await s.request('continue', { threadId: e2.body.threadId });
    assert.equal(await s.waitExit(), 0);
});

dapTest('exception breakpoint: user-unhandled', async (ctx) => {
    const s = await ctx.session();
    await s.launch('ExcBasic', { args: ['userunhandled'], exceptionFilters: ['user-unhandled'] });
    const ev = await s.stopped('exception');
    const frames = await checkException(s, ev, { type: 'System.FormatException', line: E('throw_in_comparer') });
    assert.match(frames[0].name, /^Program\.Compare\(int a/);
    await s.request('continue', { threadId: ev.body.threadId });
    assert.equal(await s.waitExit(), 0);
    await s.waitOutput(/caught sort comparer failed\n/);
});

dapTest('exception breakpoint: unhandled', async (ctx) => {
    const s = await ctx.session();
    // unhandled is on by default (exceptionBreakpointFilters default); say it anyway
    await s.launch('ExcBasic', { args: ['unhandled'], exceptionFilters: ['unhandled'] });
    const ev = await s.stopped('exception');
    await checkException(s, ev, { type: 'System.InvalidOperationException', line: E('throw_unhandled') });
    await s.request('continue', { threadId: ev.body.threadId });
    // the runtime then ends the program as it would without a debugger (SIGABRT)
    const code = await s.waitExit();
    assert.notEqual(code, 0, 'an unhandled exception ends the program with a failure code');
    await s.waitOutput(/Unhandled exception\. System\.InvalidOperationException: boom unhandled/, { category: 'stderr' });
});

dapTest('exception breakpoints off: the program runs through its caught exceptions', async (ctx) => {
    const s = await ctx.session();
    await s.launch('ExcBasic', { args: ['caught'], exceptionFilters: [] });
    assert.equal(await s.waitExit(), 0);
    assert.equal(s.eventsOf('stopped').length, 0);
});

dapTest('exceptionInfo at first-chance, user-unhandled and unhandled stops', async (ctx) => {
    const wrong = [];
    const eq = (actual, expected, what) => {
        if (actual !== expected) wrong.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`);
    };
    for (const [mode, filter, type, message, breakMode] of [
        ['caught', 'all', 'System.InvalidOperationException', 'first chance message', 'always'],
        ['userunhandled', 'user-unhandled', 'System.FormatException', 'comparer failed', 'userUnhandled'],
        ['unhandled', 'unhandled', 'System.InvalidOperationException', 'boom unhandled', 'unhandled'],
    ]) {
        const s = await ctx.session({ label: `ExcBasic ${mode}` });
        await s.launch('ExcBasic', { args: [mode], exceptionFilters: [filter] });
        const ev = await s.stopped('exception');
        const what = `${mode} (${filter})`;
        const r = await s.requestRaw('exceptionInfo', { threadId: ev.body.threadId });
        if (!r.success) {
            wrong.push(`${what}: exceptionInfo failed: ${r.message}`);
        } else {
            const info = r.body;
            eq(info.breakMode, breakMode, `${what}: breakMode`);
            // the .NET convention (DESIGN.md, "DAP conventions"): exceptionId CLR/<full type name>
            eq(info.exceptionId, `CLR/${type}`, `${what}: exceptionId`);
            eq(info.details?.fullTypeName, type, `${what}: details.fullTypeName`);
            eq(info.details?.message, message, `${what}: details.message`);
        }
        // $exception names the exception in the stopped frame (the convention exceptionInfo uses)
        const frames = await s.frames(ev.body.threadId);
        const x = await s.requestRaw('evaluate', { expression: '$exception.Message', frameId: frames[0].id, context: 'watch' });
        if (!x.success) wrong.push(`${what}: evaluate $exception.Message failed: ${x.message}`);
        else eq(x.body.result, `"${message}"`, `${what}: $exception.Message`);
        await s.request('disconnect', { terminateDebuggee: true });
    }
    assert.deepEqual(wrong, [], 'exceptionInfo');
});
