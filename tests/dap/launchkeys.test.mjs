// launch.json keys of the C# extension's coreclr configurations: each is honoured or
// reported with one console output event (issue 18).
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, assert, program, source, mark, tmpdir } from './harness.mjs';

/** The console lines that report launch keys. */
function reported(s) {
    return s.outputs.console.split('\n').filter(l => /^(launch|attach) key '/.test(l));
}

dapTest('launch keys cordbg does not honour are each reported once', async (ctx) => {
    const s = await ctx.session();
    await s.launch('DapCases', { args: ['exit'], extra: {
        launchBrowser: { enabled: true }, fooBar: 1, preLaunchTask: 'build', internalConsoleOptions: 'neverOpen',
        __sessionId: 'x', processName: 'p', logging: { elapsedTiming: true },
        expressionEvaluationOptions: { allowToString: true }, justMyCode: true,
    } });
    assert.equal(await s.waitExit(), 42);
    await s.waitOutput(/exiting with 42\n/);
    const lines = reported(s);
    const about = key => lines.filter(l => l.includes(`'${key}'`));
    assert.equal(about('launchBrowser').length, 1, `launchBrowser: ${JSON.stringify(lines)}`);
    assert.match(about('launchBrowser')[0], /not honoured by cordbg: \S/);
    assert.equal(about('fooBar').length, 1, `fooBar: ${JSON.stringify(lines)}`);
    assert.match(about('fooBar')[0], /not known to cordbg/);
    assert.equal(about('processName').length, 1, `processName: ${JSON.stringify(lines)}`);
    assert.match(about('processName')[0], /attach configurations/);
    assert.equal(about('logging.elapsedTiming').length, 1, `logging.elapsedTiming: ${JSON.stringify(lines)}`);
    // honoured keys and the client's own are not reported
    assert.equal(lines.length, 4, `only the four unhonoured keys: ${JSON.stringify(lines)}`);
    for (const e of s.eventsOf('output').filter(e => /key '/.test(e.body.output))) {
        assert.equal(e.body.category, 'console');
    }
});

dapTest("'args' as one string is split as a shell splits it", async (ctx) => {
    const s = await ctx.session();
    const line = `args  plain 'single $HOME "q"' "double \\"in\\" \\$HOME \\x" back\\ slash a'b'"c" ''`;
    await s.launch('DapCases', { args: line });
    assert.equal(await s.waitExit(), 0);
    const out = await s.outputUpTo(/arg\[\]\n/);
    assert.equal(out, 'DapCases: args\narg[plain]\narg[single $HOME "q"]\narg[double "in" $HOME \\x]\n'
        + 'arg[back slash]\narg[abc]\narg[]\n');
});

dapTest("'args' as a string with an unterminated quote fails the launch", async (ctx) => {
    const s = await ctx.session();
    await s.initialize();
    const r = await s.requestRaw('launch', { program: program('DapCases'), args: 'args "open' });
    assert.equal(r.success, false);
    assert.match(r.message, /unterminated " in 'args'/);
});

dapTest('envFile: KEY=VALUE lines, comments, quotes; env wins over it', async (ctx) => {
    const s = await ctx.session();
    const dir = tmpdir();
    const file = path.join(dir, 'test.env');
    fs.writeFileSync(file, '# a comment\n\nA=plain\n  export B = "double quoted # not a comment"\n'
        + "C='single'\nD=from file\nE=a=b\n");
    await s.launch('DapCases', { args: ['env', 'A', 'B', 'C', 'D', 'E', 'F'], extra: { envFile: file, env: { D: 'from env' } } });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/env F unset\n/), 'DapCases: env\nenv A=[plain]\nenv B=[double quoted # not a comment]\n'
        + 'env C=[single]\nenv D=[from env]\nenv E=[a=b]\nenv F unset\n');
    assert.equal(reported(s).length, 0, `envFile is honoured: ${JSON.stringify(reported(s))}`);
});

dapTest('envFile that cannot be read or parsed fails the launch', async (ctx) => {
    const s = await ctx.session();
    await s.initialize();
    const dir = tmpdir();
    let r = await s.requestRaw('launch', { program: program('DapCases'), envFile: path.join(dir, 'missing.env') });
    assert.equal(r.success, false);
    assert.match(r.message, /envFile .*missing\.env: No such file/);
    const bad = path.join(dir, 'bad.env');
    fs.writeFileSync(bad, 'A=1\nnot a pair\n');
    r = await s.requestRaw('launch', { program: program('DapCases'), envFile: bad });
    assert.equal(r.success, false);
    assert.match(r.message, /line 2: not KEY=VALUE/);
});

dapTest('logging.moduleLoad: Loaded lines by default, none when false', async (ctx) => {
    const s = await ctx.session();
    await s.launch('DapCases', { args: ['exit'] });
    assert.equal(await s.waitExit(), 42);
    await s.waitOutput(/exiting with 42\n/);
    await s.waitOutput(/^Loaded '[^']*\/DapCases\.dll'\. Symbols loaded\.$/m, { category: 'console' });
    const t = await ctx.session();
    await t.launch('DapCases', { args: ['exit'], extra: { logging: { moduleLoad: false } } });
    assert.equal(await t.waitExit(), 42);
    await t.waitOutput(/exiting with 42\n/);
    assert.ok(t.eventsOf('module').length > 0, 'module events still come');
    assert.doesNotMatch(t.outputs.console, /Loaded '/);
    assert.equal(reported(t).length, 0, JSON.stringify(reported(t)));
});

dapTest('logging.programOutput false: no output events from the program', async (ctx) => {
    const s = await ctx.session();
    const src = source('DapCases');
    const line = mark('DapCases', 'exit');
    await s.launch('DapCases', { args: ['exit'], breakpoints: { [src]: [line] }, extra: { logging: { programOutput: false } } });
    // stopped after the program wrote its first lines: they were dropped
    const { threadId } = await s.stoppedAt('breakpoint', line);
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 42);
    // cordbg reads the program's pipes to their end before it exits: all output there was came
    await s.request('disconnect', {});
    await s.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.equal(s.outputs.stdout, '', 'stdout output events came');
    assert.equal(s.outputs.stderr, '');
});

dapTest('frames just-my-code skips are marked subtle', async (ctx) => {
    const s = await ctx.session();
    const src = source('DapCases');
    const line = mark('DapCases', 'callback_body');
    await s.launch('DapCases', { args: ['callback'], breakpoints: { [src]: [line] }, extra: { justMyCode: true } });
    const { threadId } = await s.stoppedAt('breakpoint', line);
    const frames = (await s.request('stackTrace', { threadId })).body.stackFrames;
    const names = frames.map(f => `${f.name} ${f.presentationHint || ''}`);
    const idx = re => frames.findIndex(f => re.test(f.name));
    const cb = idx(/Program\.Callback\(/), fe = idx(/ForEach\(/), main = idx(/Program\.Main\(/);
    assert.ok(cb === 0 && fe > cb && main > fe, `frames: ${JSON.stringify(names)}`);
    assert.equal(frames[fe].presentationHint, 'subtle', `List.ForEach: ${JSON.stringify(names)}`);
    assert.notEqual(frames[cb].presentationHint, 'subtle');
    assert.notEqual(frames[main].presentationHint, 'subtle');
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/callback 7\n/), 'DapCases: callback\ncallback 7\n');
});

dapTest('sourceFileMap maps breakpoints to the PDB paths and frames back to local files', async (ctx) => {
    const src = source('PathMapped');
    const line = mark('PathMapped', 'work');
    // without the map the PDB's /build/src/Program.cs is not this file: no binding
    const t = await ctx.session();
    const { breakpoints: nb } = await t.launch('PathMapped', { breakpoints: { [src]: [line] } });
    assert.equal(await t.waitExit(), 0);
    assert.equal(await t.outputUpTo(/PathMapped: done\n/), 'PathMapped: start\nwork 3\nPathMapped: done\n');
    assert.ok(!t.hasEvent('breakpoint', e => e.body.breakpoint.id === nb[src][0].id && e.body.breakpoint.verified)
              && !nb[src][0].verified, 'bound without a map');
    assert.equal(t.eventsOf('stopped').length, 0);
    // with it: bound, stopped, and the frame's source is the local file
    const s = await ctx.session();
    const { breakpoints } = await s.launch('PathMapped', { breakpoints: { [src]: [line] },
        extra: { sourceFileMap: { '/build/src': path.dirname(src) } } });
    const { threadId } = await s.stoppedAt('breakpoint', line, { path: src });
    const frames = (await s.request('stackTrace', { threadId })).body.stackFrames;
    assert.equal(frames[0].source.path, src);
    assert.ok(breakpoints[src][0].verified || s.hasEvent('breakpoint', e => e.body.breakpoint.verified));
    assert.equal(reported(s).length, 0, JSON.stringify(reported(s)));
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/PathMapped: done\n/), 'PathMapped: start\nwork 3\nPathMapped: done\n');
});

dapTest('requireExactSource: a modified source file does not bind (default), false binds it', async (ctx) => {
    const line = mark('PathMapped', 'work');
    // a copy of PathMapped's source, one comment added at its end: same lines, another checksum
    const dir = tmpdir();
    const copy = path.join(dir, 'Program.cs');
    fs.writeFileSync(copy, fs.readFileSync(source('PathMapped'), 'utf8') + '// edited after the build\n');
    const map = { '/build/src': dir };
    const s = await ctx.session();
    const { breakpoints } = await s.launch('PathMapped', { breakpoints: { [copy]: [line] }, extra: { sourceFileMap: map } });
    const id = breakpoints[copy][0].id;
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/PathMapped: done\n/), 'PathMapped: start\nwork 3\nPathMapped: done\n');
    assert.equal(s.eventsOf('stopped').length, 0, 'stopped in a file that differs from the build');
    const ev = s.eventsOf('breakpoint').filter(e => e.body.breakpoint.id === id);
    assert.ok(ev.length > 0 && ev.every(e => !e.body.breakpoint.verified), `breakpoint events: ${JSON.stringify(ev)}`);
    assert.match(ev[ev.length - 1].body.breakpoint.message, /The source file is different from when the module was built/);
    // requireExactSource false: the same breakpoint binds and stops
    const t = await ctx.session();
    await t.launch('PathMapped', { breakpoints: { [copy]: [line] }, extra: { sourceFileMap: map, requireExactSource: false } });
    const { threadId } = await t.stoppedAt('breakpoint', line, { path: copy });
    assert.equal(reported(t).length, 0, JSON.stringify(reported(t)));
    await t.request('continue', { threadId });
    assert.equal(await t.waitExit(), 0);
    assert.equal(await t.outputUpTo(/PathMapped: done\n/), 'PathMapped: start\nwork 3\nPathMapped: done\n');
});

dapTest('stopAtEntry on a program without symbols says why and stops at the entry', async (ctx) => {
    const s = await ctx.session();
    await s.launch('NoSymbols', { stopAtEntry: true });
    const ev = await s.stopped('entry');
    await s.waitOutput(/^stop at entry: NoSymbols has no symbols \([^)]+\): stopping at its entry point without source$/m,
                       { category: 'console' });
    assert.equal(s.outputs.stdout, '', 'the program ran past its entry');
    await s.request('continue', { threadId: ev.body.threadId });
    assert.equal(await s.waitExit(), 4);
    assert.equal(await s.outputUpTo(/NoSymbols\n/), 'hello from NoSymbols\n');
});

dapTest('symbolOptions.searchPaths: a PDB kept in another directory is found', async (ctx) => {
    // PathMapped's assembly in one directory, its PDB in another (its CodeView path names
    // /build/src/..., so that no PDB is found by that either)
    const dir = tmpdir();
    const app = path.join(dir, 'app'), syms = path.join(dir, 'syms');
    fs.mkdirSync(app);
    fs.mkdirSync(syms);
    const built = path.dirname(program('PathMapped'));
    for (const f of ['PathMapped.dll', 'PathMapped.runtimeconfig.json', 'PathMapped.deps.json']) {
        fs.copyFileSync(path.join(built, f), path.join(app, f));
    }
    fs.copyFileSync(path.join(built, 'PathMapped.pdb'), path.join(syms, 'PathMapped.pdb'));
    const src = source('PathMapped');
    const line = mark('PathMapped', 'work');
    const run = async (extra) => {
        const s = await ctx.session();
        await s.initialize();
        await s.nextEvent('initialized');
        await s.setBreakpoints(src, [line]);
        await s.request('launch', { program: path.join(app, 'PathMapped.dll'), cwd: app,
            sourceFileMap: { '/build/src': path.dirname(src) }, ...extra });
        await s.request('configurationDone');
        return s;
    };
    const has = (s, status) => s.hasEvent('module', e => e.body.module.name === 'PathMapped.dll' && e.body.module.symbolStatus === status);
    const t = await run({});
    assert.equal(await t.waitExit(), 0);
    assert.equal(await t.outputUpTo(/PathMapped: done\n/), 'PathMapped: start\nwork 3\nPathMapped: done\n');
    assert.equal(t.eventsOf('stopped').length, 0, 'stopped without symbols');
    assert.ok(has(t, 'Symbols not found.'), 'symbols found without searchPaths');
    const s = await run({ symbolOptions: { searchPaths: [syms] } });
    const { threadId } = await s.stoppedAt('breakpoint', line, { path: src });
    assert.ok(has(s, 'Symbols loaded.'));
    assert.equal(reported(s).length, 0, JSON.stringify(reported(s)));
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/PathMapped: done\n/), 'PathMapped: start\nwork 3\nPathMapped: done\n');
});

dapTest('suppressJITOptimizations: the locals of a Release build can be seen', async (ctx) => {
    const src = source('Optimized');
    const line = mark('Optimized', 'print');
    const localsAt = async (extra) => {
        const s = await ctx.session();
        await s.launch('Optimized', { breakpoints: { [src]: [line] }, extra });
        const { threadId, frame } = await s.stoppedAt('breakpoint', line);
        const vars = (await s.scopeVariables(frame.id)).Locals;
        await s.request('continue', { threadId });
        assert.equal(await s.waitExit(), 0);
        assert.equal(await s.outputUpTo(/Optimized: done\n/), 'y=16\nOptimized: done\n');
        assert.equal(reported(s).length, 0, JSON.stringify(reported(s)));
        return vars;
    };
    // optimised: x is dead at the line, the JIT kept no home for it
    const opt = await localsAt({});
    assert.ok(opt.x, `no local x: ${JSON.stringify(Object.keys(opt))}`);
    assert.doesNotMatch(opt.x.value, /^15$/, 'x seen in optimised code: the test shows nothing');
    const plain = await localsAt({ suppressJITOptimizations: true });
    assert.equal(plain.x.value, '15');
    assert.equal(plain.y.value, '16');
});

dapTest("logging.exceptions: vsdbg's 'Exception thrown' line for each first-chance exception; none when false", async (ctx) => {
    const s = await ctx.session();
    await s.launch('ExcBasic', { args: ['caught'] });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/ExcBasic: end\n/),
        'ExcBasic: caught\ncaught first chance message\ncaught bad argument\nExcBasic: end\n');
    // no exception stop was asked for (the default filters stop only for unhandled ones)
    assert.equal(s.eventsOf('stopped').length, 0);
    const thrown = () => s.outputs.console.split('\n').filter(l => l.startsWith('Exception thrown'));
    await s.waitOutput(/^Exception thrown: 'System.ArgumentException' in ExcBasic\.dll$/m, { category: 'console' });
    assert.deepEqual(thrown(), ["Exception thrown: 'System.InvalidOperationException' in ExcBasic.dll",
                                "Exception thrown: 'System.ArgumentException' in ExcBasic.dll"]);
    // thrown inside the framework: the module is the framework's
    const f = await ctx.session();
    await f.launch('ExcBasic', { args: ['framework'] });
    assert.equal(await f.waitExit(), 0);
    await f.waitOutput(/^Exception thrown: 'System.FormatException' in System\.Private\.CoreLib\.dll$/m, { category: 'console' });
    assert.equal(await f.outputUpTo(/ExcBasic: end\n/), 'ExcBasic: framework\ncaught format\nExcBasic: end\n');
    // false: none
    const t = await ctx.session();
    await t.launch('ExcBasic', { args: ['caught'], extra: { logging: { exceptions: false } } });
    assert.equal(await t.waitExit(), 0);
    assert.equal(await t.outputUpTo(/ExcBasic: end\n/),
        'ExcBasic: caught\ncaught first chance message\ncaught bad argument\nExcBasic: end\n');
    await t.request('disconnect', {});
    await t.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.doesNotMatch(t.outputs.console, /Exception thrown/);
    assert.equal(reported(t).length, 0, JSON.stringify(reported(t)));
});

dapTest('logging.engineLogging: cordbg\'s own log comes as console output', async (ctx) => {
    const s = await ctx.session();
    await s.launch('DapCases', { args: ['exit'], extra: { logging: { engineLogging: true } } });
    assert.equal(await s.waitExit(), 42);
    await s.waitOutput(/ INFO  dap: engine logging on\n/, { category: 'console' });
    // the engine's record of the runtime's events, module loads among them
    await s.waitOutput(/ DEBUG engine: event \w*[Mm]odule/, { category: 'console' });
    assert.equal(reported(s).length, 0, JSON.stringify(reported(s)));
    // off by default
    const t = await ctx.session();
    await t.launch('DapCases', { args: ['exit'] });
    assert.equal(await t.waitExit(), 42);
    await t.request('disconnect', {});
    await t.adapterExit({ what: 'cordbg to exit after disconnect' });
    assert.doesNotMatch(t.outputs.console, /engine: event/);
});
