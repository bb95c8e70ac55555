// Execution control: next, stepIn, stepOut; the stack (paging); goto; pause.
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, mark, source, tmpdir, assert } from './harness.mjs';

const D = (m) => mark('DapCases', m);

dapTest('next, stepIn and stepOut', async (ctx) => {
    const s = await ctx.session();
    const src = source('DapCases');
    await s.launch('DapCases', { args: ['step'], breakpoints: { [src]: [D('outer_first')] } });
    let { threadId } = await s.stoppedAt('breakpoint', D('outer_first'), { path: src, name: /DapCases\.Program\.Outer\(\)/ });

    await s.request('next', { threadId });
    ({ threadId } = await s.stoppedAt('step', D('outer_call'), { name: /DapCases\.Program\.Outer\(\)/ }));

    await s.request('stepIn', { threadId });
    ({ threadId } = await s.stoppedAt('step', D('inner_open'), { path: src, name: /DapCases\.Program\.Inner\(int x/ }));

    await s.request('next', { threadId });
    ({ threadId } = await s.stoppedAt('step', D('inner_body'), { name: /DapCases\.Program\.Inner\(int x/ }));

    await s.request('stepOut', { threadId });
    // back in the caller, on the call's line (the assignment to b is still to run)
    const out = await s.stoppedAt('step', D('outer_call'), { name: /DapCases\.Program\.Outer\(\)/ });
    assert.doesNotMatch(s.outputs.stdout, /b=/, 'b= printed before the step out ended');

    await s.request('next', { threadId: out.threadId });
    const after = await s.stoppedAt('step', D('outer_after'), { name: /DapCases\.Program\.Outer\(\)/ });
    const b = await s.evaluate('b', { frameId: after.frame.id });
    assert.equal(b.result, '2');

    await s.request('continue', { threadId: after.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/step done\n/), 'DapCases: step\nb=2\nstep done\n');
});

dapTest('stackTrace frames, names, paging and totalFrames', async (ctx) => {
    const s = await ctx.session();
    const src = source('DapCases');
    await s.launch('DapCases', { args: ['recurse'], breakpoints: { [src]: [D('rec_bottom')] } });
    const { threadId } = await s.stoppedAt('breakpoint', D('rec_bottom'));
    const full = (await s.request('stackTrace', { threadId })).body;
    const frames = full.stackFrames;
    // Recurse(0) .. Recurse(5), then Main
    for (let n = 0; n <= 5; n++) {
        const f = frames[n];
        assert.ok(f, `no frame ${n}: ${JSON.stringify(frames.map(x => x.name))}`);
        assert.equal(f.name, `DapCases.Program.Recurse(int n = ${n})`, `frame ${n} name`);
        assert.equal(f.line, n === 0 ? D('rec_bottom') : D('rec_call'), `frame ${n} line`);
        assert.equal(f.source?.path, src, `frame ${n} source path`);
        assert.ok(f.column >= 1, `frame ${n} column ${f.column} (columns start at 1)`);
    }
    assert.match(frames[6].name, /^DapCases\.Program\.Main\(string\[\] args/, 'frame 6 is Main');
    assert.equal(new Set(frames.map(f => f.id)).size, frames.length, 'frame ids are unique');
    assert.ok(full.totalFrames === undefined || full.totalFrames === frames.length,
              `totalFrames ${full.totalFrames} for a whole stack of ${frames.length} frames`);

    // a page in the middle: the same frames as in the whole stack
    const page = (await s.request('stackTrace', { threadId, startFrame: 2, levels: 3 })).body;
    assert.deepEqual(page.stackFrames.map(f => [f.id, f.name, f.line]), frames.slice(2, 5).map(f => [f.id, f.name, f.line]),
                     'frames 2..4');
    assert.ok(page.totalFrames >= 5, `totalFrames ${page.totalFrames} of a page ending at frame 5 must tell there are more`);
    // the first frame alone (as editors ask first) and a page past the end
    const top = (await s.request('stackTrace', { threadId, startFrame: 0, levels: 1 })).body;
    assert.deepEqual(top.stackFrames.map(f => f.id), [frames[0].id]);
    assert.ok(top.totalFrames > 1, `totalFrames ${top.totalFrames} after the first frame of ${frames.length}`);
    const past = (await s.request('stackTrace', { threadId, startFrame: frames.length + 10, levels: 5 })).body;
    assert.deepEqual(past.stackFrames, []);
    // a frame id gives that frame's scope: n in Recurse(3)
    const vars = await s.scopeVariables(frames[3].id);
    assert.equal(vars.Arguments?.n?.value, '3', `n in frame 3: ${JSON.stringify(vars.Arguments?.n)}`);

    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.match(await s.outputUpTo(/recurse \d+\n/), /recurse 5\n$/);
});

dapTest('goto and gotoTargets move the next statement', async (ctx) => {
    const s = await ctx.session();
    const src = source('DapCases');
    await s.launch('DapCases', { args: ['goto'], breakpoints: { [src]: [D('goto_skip')] } });
    const { threadId } = await s.stoppedAt('breakpoint', D('goto_skip'));
    const targets = (await s.request('gotoTargets', { source: { path: src }, line: D('goto_target') })).body.targets;
    assert.ok(targets.length >= 1, `no goto target for line ${D('goto_target')}`);
    const t = targets.find(x => x.line === D('goto_target'));
    assert.ok(t, `no target on line ${D('goto_target')}: ${JSON.stringify(targets)}`);
    assert.ok(typeof t.label === 'string' && t.label.length > 0, 'a target has a label');
    await s.request('goto', { threadId, targetId: t.id });
    const moved = await s.stoppedAt('goto', D('goto_target'), { name: /DapCases\.Program\.Goto\(\)/ });
    assert.equal(moved.threadId, threadId);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    // x = 100 was skipped
    assert.equal(await s.outputUpTo(/goto x=\d+\n/), 'DapCases: goto\ngoto x=1\n');
});

dapTest('pause a running program', async (ctx) => {
    const s = await ctx.session();
    const release = path.join(tmpdir(), 'release');
    await s.launch('Sleeper', { args: [release] });
    await s.waitOutput(/^ready \d+\n/);
    const threads = (await s.request('threads')).body.threads;
    assert.ok(threads.length >= 1, 'threads of a running program');
    await s.request('pause', { threadId: threads[0].id });
    const ev = await s.stopped('pause');
    assert.equal(ev.body.allThreadsStopped, true);
    // the main thread is in Main's wait loop (its first user frame): on one of the loop's
    // lines, whichever it was running when paused
    let found = null;
    for (const t of (await s.request('threads')).body.threads) {
        const frames = await s.frames(t.id);
        const main = frames.find(f => /^Program\.Main\(string\[\] args/.test(f.name));
        if (main) found = main;
    }
    assert.ok(found, 'no thread has Program.Main on its stack');
    const wait = mark('Sleeper', 'wait');
    assert.ok(found.line >= wait - 2 && found.line <= wait + 2, `Main paused at line ${found.line}, not in the loop around ${wait}`);
    fs.writeFileSync(release, '');
    await s.request('continue', { threadId: ev.body.threadId ?? threads[0].id });
    assert.equal(await s.waitExit(), 0);
    assert.match(await s.outputUpTo(/done\n/), /^ready \d+\ndone\n$/);
});
