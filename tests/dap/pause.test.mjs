// Pause and the details editors filter on (issue 16, items 7, 8 and 11): a pause sent at once
// after continue always stops (20 rounds, both cores kept busy); pause with a threadId reports
// that thread, without one the thread running user code; two spellings of one line's path
// make one stopped event listing both ids; a function breakpoint stops with reason
// 'breakpoint'; filterOptions with an empty condition is no condition.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, mark, program, source, tmpdir, assert, PROGRAMS } from './harness.mjs';

const P = (m) => mark('PauseCases', m);

/** Two busy-loop processes, one per core, for the test's length (killed by stop()). */
function busyLoops(n = 2) {
    const kids = [];
    for (let i = 0; i < n; i++) kids.push(spawn('sh', ['-c', 'while :; do :; done'], { stdio: 'ignore', detached: true }));
    return {
        stop() {
            for (const k of kids) {
                try { process.kill(-k.pid, 'SIGKILL'); } catch { try { k.kill('SIGKILL'); } catch { /* gone */ } }
            }
        },
    };
}

/** The names of a thread's frames. */
async function frameNames(s, threadId) {
    return (await s.frames(threadId)).map(f => f.name);
}

dapTest('pause sent at once after continue always stops (20 rounds, cores busy)', async (ctx) => {
    const load = busyLoops();
    try {
        const s = await ctx.session();
        const release = path.join(tmpdir(), 'release');
        await s.launch('PauseCases', { args: ['busy', release] });
        await s.waitOutput(/^PauseCases: busy\nready \d+\n/);
        // a pause without a thread shows the one running user code: the spinner, not Main's wait
        await s.request('pause', {});
        let ev = await s.stopped('pause');
        assert.match((await frameNames(s, ev.body.threadId))[0], /^PauseCases\.Program\.Spin\(\)/, 'pause without threadId shows the spinning thread');
        for (let round = 0; round < 20; round++) {
            const tid = ev.body.threadId;
            if (round % 2 === 0) {
                // the editor's way: continue answered, then pause
                await s.request('continue', { threadId: tid });
                await s.request('pause', { threadId: tid });
            } else {
                // both sent before either answer comes
                await Promise.all([s.request('continue', { threadId: tid }), s.request('pause', { threadId: tid })]);
            }
            ev = await s.stopped('pause');
            assert.equal(ev.body.allThreadsStopped, true);
            assert.equal(ev.body.threadId, tid, `round ${round}: the stop names the thread the pause named`);
            // stopped means stopped: a stack can be read
            assert.ok((await s.frames(ev.body.threadId)).length > 0, `round ${round}: no frames after the pause`);
        }
        assert.equal(s.eventsOf('stopped').length, 21, 'one stopped event per pause, no more');
        fs.writeFileSync(release, '');
        await s.request('continue', { threadId: ev.body.threadId });
        assert.equal(await s.waitExit(), 0);
        await s.waitOutput(/busy done\n/);
    } finally {
        load.stop();
    }
});

dapTest('pause with a threadId reports that thread', async (ctx) => {
    const s = await ctx.session();
    const release = path.join(tmpdir(), 'release');
    await s.launch('PauseCases', { args: ['busy', release] });
    await s.waitOutput(/ready \d+\n/);
    const threads = (await s.request('threads')).body.threads;
    const spinner = threads.find(t => /spinner/.test(t.name));
    const main = threads.find(t => t !== spinner && /dotnet|PauseCases|Main/.test(t.name)) || threads[0];
    assert.ok(main && main !== spinner, `threads: ${JSON.stringify(threads)}`);
    // the main thread, in its wait: the stop names it although another thread runs user code
    await s.request('pause', { threadId: main.id });
    let ev = await s.stopped('pause');
    assert.equal(ev.body.threadId, main.id);
    assert.ok((await frameNames(s, main.id)).some(n => /^PauseCases\.Program\.Busy\(string release/.test(n)), 'main thread is in Busy');
    await s.request('continue', { threadId: main.id });
    // and any other thread named
    const other = (await s.request('threads')).body.threads.find(t => t.id !== main.id);
    await s.request('pause', { threadId: other.id });
    ev = await s.stopped('pause');
    assert.equal(ev.body.threadId, other.id);
    fs.writeFileSync(release, '');
    await s.request('continue', { threadId: other.id });
    assert.equal(await s.waitExit(), 0);
    await s.waitOutput(/busy done\n/);
});

dapTest('two spellings of one line: one stopped event with both ids', async (ctx) => {
    const s = await ctx.session();
    const src = source('PauseCases');
    const other = `${PROGRAMS}/PauseCases/../PauseCases/./Program.cs`;   // as typed (path.join would fold it)
    const line = P('dup');
    await s.initialize();
    await s.nextEvent('initialized');
    const [a] = await s.setBreakpoints(src, [line]);
    const [b] = await s.setBreakpoints(other, [line]);
    assert.notEqual(a.id, b.id);
    await s.request('launch', { program: program('PauseCases'), args: ['dedup'] });
    await s.request('configurationDone');
    for (let pass = 0; pass < 2; pass++) {
        const st = await s.stoppedAt('breakpoint', line, { name: /^PauseCases\.Program\.Twice\(int i/ });
        assert.deepEqual([...st.event.body.hitBreakpointIds].sort((x, y) => x - y), [a.id, b.id].sort((x, y) => x - y));
        await s.request('continue', { threadId: st.threadId });
        // the next event is the next pass's stop (after the program printed this pass), not a second one here
        await s.waitOutput(new RegExp(`dup ${pass}\\n`));
    }
    const st = await s.stopped('breakpoint');
    assert.equal(s.outputs.stdout.match(/dup \d/g).length, 2, 'two passes printed before the third stop');
    await s.setBreakpoints(src, []);
    await s.setBreakpoints(other, []);
    await s.request('continue', { threadId: st.body.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(s.eventsOf('stopped').length, 3);
    await s.waitOutput(/dup 2\ndedup done\n/);
});

dapTest('a function breakpoint stops with reason breakpoint', async (ctx) => {
    const s = await ctx.session();
    await s.initialize();
    await s.nextEvent('initialized');
    const fb = (await s.request('setFunctionBreakpoints', { breakpoints: [{ name: 'PauseCases.Program.Twice' }] })).body.breakpoints;
    assert.equal(fb.length, 1);
    await s.request('launch', { program: program('PauseCases'), args: ['dedup'] });
    await s.request('configurationDone');
    const st = await s.stopped('breakpoint');
    assert.deepEqual(st.body.hitBreakpointIds, [fb[0].id]);
    assert.match((await frameNames(s, st.body.threadId))[0], /^PauseCases\.Program\.Twice\(int i = 0\)/);
    await s.request('setFunctionBreakpoints', { breakpoints: [] });
    await s.request('continue', { threadId: st.body.threadId });
    assert.equal(await s.waitExit(), 0);
    await s.waitOutput(/dedup done\n/);
});

dapTest('filterOptions with an empty condition stops for every exception type', async (ctx) => {
    const s = await ctx.session();
    await s.launch('PauseCases', { args: ['throw'], exceptionOptions: [{ filterId: 'all', condition: '' }] });
    const st = await s.stoppedAt('exception', P('throw'), { name: /^PauseCases\.Program\.Parse\(\)/ });
    const info = (await s.request('exceptionInfo', { threadId: st.threadId })).body;
    assert.equal(info.exceptionId, 'CLR/System.FormatException');
    await s.request('continue', { threadId: st.threadId });
    assert.equal(await s.waitExit(), 0);
    await s.waitOutput(/caught FormatException\n/);
    // and a condition naming another type still filters it out
    const s2 = await ctx.session();
    await s2.launch('PauseCases', { args: ['throw'], exceptionOptions: [{ filterId: 'all', condition: 'System.ArgumentException' }] });
    assert.equal(await s2.waitExit(), 0);
    assert.equal(s2.eventsOf('stopped').length, 0);
});

dapTest('Debugger.Break() on a breakpoint line stops once, for the breakpoint', async (ctx) => {
    const s = await ctx.session();
    const src = source('PauseCases');
    const [bp] = (await s.launch('PauseCases', { args: ['brk'], breakpoints: { [src]: [P('brk')] } })).breakpoints[src];
    for (let pass = 0; pass < 2; pass++) {
        const st = await s.stoppedAt('breakpoint', P('brk'), { name: /^PauseCases\.Program\.Break\(int i/ });
        assert.deepEqual(st.event.body.hitBreakpointIds, [bp.id]);
        await s.request('continue', { threadId: st.threadId });
        await s.waitOutput(new RegExp(`brk ${pass}\\n`));
    }
    // the Debugger.Break() on a line without a breakpoint still stops
    const st = await s.stoppedAt('pause', P('brk2'), { name: /^PauseCases\.Program\.Main\(/ });
    assert.equal(s.eventsOf('stopped').length, 3, 'no stop for the Break calls on the breakpoint line');
    await s.request('continue', { threadId: st.threadId });
    assert.equal(await s.waitExit(), 0);
    await s.waitOutput(/brk 1\nbrk done\n/);
});
