// Edit and Continue through DAP (issue 22): the launch option "hotReload" applies each change
// of the program's sources when its file is saved, each apply an output event (category
// console), a compile error one with the compiler's message; the custom request
// cordbg/applyChanges applies now and says what; a lambda or statements typed in the REPL are
// injected (compiled by the helper, added by EnC, run in the frame), `-exec inject` too, while
// the watch and hover contexts never inject. Over a copy of tests/programs/EncCases built in
// the test's temp folder (the tests edit that copy, never tests/programs).
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { dapTest, tmpdir, PROGRAMS, ENV, assert } from './harness.mjs';

/** A copy of EncCases built in a temp folder: { dir, dll, src }. */
function encCopy() {
    const dir = tmpdir();
    for (const f of fs.readdirSync(path.join(PROGRAMS, 'EncCases')))
        if (f.endsWith('.cs') || f.endsWith('.csproj')) fs.copyFileSync(path.join(PROGRAMS, 'EncCases', f), path.join(dir, f));
    const env = { ...ENV };
    for (const k of Object.keys(env)) if (/^(ASAN_|UBSAN_|LSAN_|CORDBG_)/.test(k)) delete env[k];
    const p = spawnSync('dotnet', ['build', path.join(dir, 'EncCases.csproj'), '-c', 'Debug', '-o', path.join(dir, 'bin'),
                                   '--nologo', '-v', 'q', '-nodeReuse:false', '-p:UseSharedCompilation=false'],
                        { cwd: dir, env, encoding: 'utf8', timeout: 300000, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.equal(p.status, 0, `building the copy of EncCases failed:\n${p.stdout}${p.stderr}`);
    return { dir, dll: path.join(dir, 'bin', 'EncCases.dll'), src: path.join(dir, 'Program.cs') };
}

function edit(file, from, to) {
    const text = fs.readFileSync(file, 'utf8');
    assert.ok(text.includes(from), `${file} has no ${JSON.stringify(from)}`);
    fs.writeFileSync(file, text.replace(from, to));
}

function markIn(file, name) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const hits = lines.map((l, i) => l.includes(`@mark:${name}`) ? i + 1 : 0).filter(Boolean);
    assert.equal(hits.length, 1, `marker ${name}`);
    return hits[0];
}

async function launchCopy(s, copy, args, extra = {}, breakpoints = []) {
    await s.initialize();
    await s.nextEvent('initialized');
    if (breakpoints.length) await s.setBreakpoints(copy.src, breakpoints);
    await s.request('launch', { name: 'test', type: 'coreclr', request: 'launch', program: copy.dll, args,
                                cwd: copy.dir, console: 'internalConsole', ...extra });
    await s.request('configurationDone');
}

dapTest('hotReload: saves applied while the program runs, each reported; a compile error reported with the compiler\'s message', async (ctx) => {
    const copy = encCopy();
    const stop = path.join(tmpdir(), 'stop');
    const s = await ctx.session();
    await launchCopy(s, copy, ['spin', stop], { hotReload: true });
    await s.waitOutput(/hot reload: watching /, { category: 'console' });
    await s.waitOutput(/iter \d+: \d+\n/);

    edit(copy.src, 'int r = i * 2 + 1;', 'int r = i * 0 + 777777;');
    await s.waitOutput(/hot reload: applied[^\n]*Program\.cs/, { category: 'console' });
    await s.waitOutput(/iter \d+: 777777\n/);

    edit(copy.src, 'int r = i * 0 + 777777;', 'int r = i * 0 + ;');
    await s.waitOutput(/error: hot reload: [^\n]*(\n[^\n]*)*CS1525/, { category: 'console' });

    edit(copy.src, 'int r = i * 0 + ;', 'int r = i * 0 + 555555;');
    await s.waitOutput(/iter \d+: 555555\n/);
    // the program runs again inside the apply, so its output may come before the report
    await s.waitOutput(/hot reload: applied[\s\S]*hot reload: applied[^\n]*Program\.cs/, { category: 'console' });
    const applied = s.eventsOf('output').filter(e => e.body.category === 'console' && /^hot reload: applied/.test(e.body.output));
    assert.equal(applied.length, 2, 'one output event per apply');

    fs.writeFileSync(stop, '');
    await s.waitOutput(/done\n/);
    assert.equal(await s.waitExit(), 0);
});

dapTest('cordbg/applyChanges applies now; the REPL injects lambdas and statements, watch and hover never do', async (ctx) => {
    const copy = encCopy();
    const s = await ctx.session();
    await launchCopy(s, copy, ['loop', '3'], {}, [{ line: markIn(copy.src, 'print'), condition: 'i == 1' }]);
    const e = await s.stopped('breakpoint');
    const frameId = (await s.frames(e.body.threadId))[0].id;

    // nothing saved yet: says so
    const none = await s.requestRaw('cordbg/applyChanges', {});
    const noneText = none.success ? none.body.message : none.message;
    assert.match(noneText, /no change|nothing/i, JSON.stringify(none));

    edit(copy.src, 'int r = i * 2 + 1;', 'int r = i * 2 + 500;');
    const ap = await s.request('cordbg/applyChanges', {});
    assert.match(ap.body.message, /applied/, JSON.stringify(ap.body));
    await s.waitOutput(/applied[^\n]*Program\.cs/, { category: 'console' });

    // seen = 1, 3 here
    assert.equal((await s.evaluate('seen.Where(x => x > 2).Count()', { frameId })).result, '1');
    assert.equal((await s.evaluate('seen.Count', { frameId })).result, '2');
    for (const context of ['watch', 'hover']) {
        const r = await s.requestRaw('evaluate', { expression: 'seen.Where(x => x > 2).Count()', frameId, context });
        assert.equal(r.success, false, `${context} must not inject: ${JSON.stringify(r)}`);
        assert.match(r.message, /lambda expressions are not supported/);
        const st = await s.requestRaw('evaluate', { expression: 'seen.Add(7); total = 1;', frameId, context });
        assert.equal(st.success, false, `${context} must not inject statements`);
    }
    const stmts = await s.evaluate('seen.Add(100); total = seen.Sum();', { frameId });
    assert.equal(stmts.result, '');
    // the first injection says that the program can no longer be detached from
    await s.waitOutput(/^note: code injection added a method to the program by Edit and Continue/m, { category: 'console' });
    assert.equal((await s.evaluate('total', { frameId })).result, '104');
    const ex = await s.evaluate('-exec inject total = total + 1000;', { frameId });
    assert.equal(ex.result, '');
    assert.equal((await s.evaluate('total', { frameId })).result, '1104');
    const bad = await s.requestRaw('evaluate', { expression: 'seen.Where(x => x >).Count()', frameId, context: 'repl' });
    assert.equal(bad.success, false);
    assert.match(bad.message, /error CS1525/);

    await s.setBreakpoints(copy.src, []);
    await s.request('continue', { threadId: e.body.threadId });
    // iteration 2 runs the new Compute: 2 * 2 + 500; total is set again from sum in it
    const out = await s.outputUpTo(/done\n/);
    assert.match(out, /iter 2: 504\n/);
    assert.match(out, /sum: 508 total: 508 seen: 1,3,100,504\n/);
    assert.equal(await s.waitExit(), 0);
});
