// Entry and async stepping through DAP (issue 16): stopAtEntry on an async Main stops in its
// state machine at its `{` and next goes on line by line (across an await); on a synchronous
// Main at its `{` line, the first next on its first statement (as vsdbg); stepOut of an async
// method ends in its awaiting caller.
import { dapTest, mark, source, assert } from './harness.mjs';

const A = (m) => mark('AsyncCases', m);

dapTest('stopAtEntry on async Main stops at its { and next steps line by line across await', async (ctx) => {
    const s = await ctx.session();
    await s.launch('AsyncCases', { stopAtEntry: true });
    const main = /AsyncCases\.Program\.Main\(/;
    let { threadId } = await s.stoppedAt('entry', A('main_open'), { path: source('AsyncCases'), name: main });
    assert.equal(s.outputs.stdout, '', 'the program ran past its entry');
    for (const m of ['main_first', 'main_await', 'main_what']) {
        await s.request('next', { threadId });
        ({ threadId } = await s.stoppedAt('step', A(m), { name: main }));
    }
    assert.match(s.outputs.stdout, /^AsyncCases: start\n$/);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    await s.waitOutput(/AsyncCases: entry 1 -> 0\n/);
});

dapTest('stopAtEntry on a synchronous Main stops at its { line, next on its first statement', async (ctx) => {
    const s = await ctx.session();
    await s.launch('BpBasic', { stopAtEntry: true });
    const first = mark('BpBasic', 'main_first');
    const main = /BpTests\.Program\.Main\(/;
    let { threadId } = await s.stoppedAt('entry', first - 1, { path: source('BpBasic'), name: main });
    await s.request('next', { threadId });
    ({ threadId } = await s.stoppedAt('step', first, { name: main }));
    assert.doesNotMatch(s.outputs.stdout, /BpBasic: start/, 'the first statement ran before its stop');
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
});

dapTest('stepOut of an async method ends in its awaiting caller', async (ctx) => {
    const s = await ctx.session();
    const src = source('AsyncCases');
    await s.launch('AsyncCases', { args: ['finish', '2'], breakpoints: { [src]: [A('inner_after')] } });
    let { threadId, frame } = await s.stoppedAt('breakpoint', A('inner_after'), { path: src, name: /AsyncCases\.Program\.Inner\(/ });
    const me = (await s.evaluate('me', { frameId: frame.id })).result;
    await s.request('setBreakpoints', { source: { path: src }, breakpoints: [] });
    await s.request('stepOut', { threadId });
    ({ threadId, frame } = await s.stoppedAt('step', A('outer_after'), { name: /AsyncCases\.Program\.Outer\(/ }));
    assert.equal((await s.evaluate('me', { frameId: frame.id })).result, me, 'stepOut ended in another Outer');
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    await s.waitOutput(/AsyncCases: finish 2 -> 36\n/);
});
