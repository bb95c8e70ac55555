// Data breakpoints (hardware watchpoints on native memory) through DAP, in a mixed-mode session
// ("mixedMode": true) on Interop, whose compute() in libnative.so (tests/native/native.c) sums
// squares into its local `total`: dataBreakpointInfo names a native local of the frame (and
// refuses a managed variable, or a name that is nowhere), setDataBreakpoints replaces the set,
// the stop is reason 'data breakpoint' with the watchpoint's id, at most 4 are verified.
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, REPO, OUT, assert } from './harness.mjs';

const NATIVE_C = path.join(REPO, 'tests', 'native', 'native.c');

function nativeMark(name) {
    const lines = fs.readFileSync(NATIVE_C, 'utf8').split('\n');
    const hits = lines.map((l, i) => l.includes(`@mark:${name}`) ? i + 1 : 0).filter(Boolean);
    assert.equal(hits.length, 1, `marker ${name} in native.c`);
    return hits[0];
}

async function stopInCompute(s) {
    const line = nativeMark('compute_add');
    const { breakpoints } = await s.launch('Interop', { args: ['basic'], breakpoints: { [NATIVE_C]: [line] },
                                                        extra: { mixedMode: true } });
    assert.equal(breakpoints[NATIVE_C].length, 1);
    assert.equal(s.capabilities.supportsDataBreakpoints, true, 'supportsDataBreakpoints');
    const e = await s.stopped('breakpoint');
    const frames = await s.frames(e.body.threadId);
    assert.match(frames[0].name, /^compute\+0x[0-9a-f]+ \(libnative\.so\)$/);
    // clear the line breakpoint: only the data breakpoint may stop from now on
    await s.setBreakpoints(NATIVE_C, []);
    return { threadId: e.body.threadId, frames };
}

dapTest('data breakpoint on a native local: info, set, stops with old and new value, cleared by an empty set', async (ctx) => {
    const s = await ctx.session();
    const { threadId, frames } = await stopInCompute(s);
    const info = (await s.request('dataBreakpointInfo', { name: 'total', frameId: frames[0].id })).body;
    assert.ok(typeof info.dataId === 'string' && info.dataId.length > 0, `a dataId: ${JSON.stringify(info)}`);
    assert.deepEqual(info.accessTypes, ['read', 'write', 'readWrite']);
    assert.match(info.description, /^total \(int, 4 bytes at 0x[0-9a-f]+\)$/);
    const set = (await s.request('setDataBreakpoints', { breakpoints: [{ dataId: info.dataId, accessType: 'write' }] })).body;
    assert.equal(set.breakpoints.length, 1);
    assert.equal(set.breakpoints[0].verified, true, JSON.stringify(set.breakpoints[0]));
    const id = set.breakpoints[0].id;
    // total = native_add(total, sq): 0 -> 1 (i = 1), then 1 -> 5 (i = 2)
    const seen = [];
    for (let k = 0; k < 2; k++) {
        await s.request('continue', { threadId });
        const e = await s.nextOf(['stopped', 'exited']);
        assert.equal(e.event, 'stopped', `a data breakpoint stop: ${JSON.stringify(e.body)}`);
        assert.equal(e.body.reason, 'data breakpoint');
        assert.deepEqual(e.body.hitBreakpointIds, [id]);
        seen.push(e.body.description);
        const fr = await s.frames(e.body.threadId);
        assert.match(fr[0].name, /^compute\+0x[0-9a-f]+ \(libnative\.so\)$/);
    }
    assert.deepEqual(seen, [`Hardware watchpoint ${id}: total  Old value = 0 New value = 1`,
                            `Hardware watchpoint ${id}: total  Old value = 1 New value = 5`]);
    // an empty set deletes it: the program runs to its end
    const none = (await s.request('setDataBreakpoints', { breakpoints: [] })).body;
    assert.deepEqual(none.breakpoints, []);
    await s.request('continue', { threadId });
    const end = await s.nextOf(['stopped', 'exited']);
    assert.equal(end.event, 'exited', `expected the end: ${JSON.stringify(end.body)}`);
    assert.equal(end.body.exitCode, 0);
    await s.outputUpTo(/Interop: compute\(5\) = 55/);
});

dapTest('dataBreakpointInfo: a managed variable and an unknown name have no dataId; a fifth data breakpoint is refused', async (ctx) => {
    const s = await ctx.session();
    const { threadId, frames } = await stopInCompute(s);
    const managed = frames.find(f => /Interop\.Program\.Basic/.test(f.name));
    assert.ok(managed, `a managed caller: ${JSON.stringify(frames.map(f => f.name))}`);
    const scopes = (await s.request('scopes', { frameId: managed.id })).body.scopes;
    const locals = scopes.find(x => x.name === 'Locals');
    assert.ok(locals && locals.variablesReference > 0, JSON.stringify(scopes));
    const m = (await s.request('dataBreakpointInfo', { variablesReference: locals.variablesReference, name: 'computed' })).body;
    assert.equal(m.dataId, null);
    assert.match(m.description, /managed variable cannot be watched/);
    const u = (await s.request('dataBreakpointInfo', { name: 'nosuch', frameId: frames[0].id })).body;
    assert.equal(u.dataId, null);
    assert.match(u.description, /No symbol "nosuch"/);
    const info = (await s.request('dataBreakpointInfo', { name: 'total', frameId: frames[0].id })).body;
    const five = Array.from({ length: 5 }, (_, k) => ({ dataId: info.dataId, accessType: k % 2 ? 'read' : 'write' }));
    const set = (await s.request('setDataBreakpoints', { breakpoints: five })).body.breakpoints;
    assert.deepEqual(set.map(b => b.verified), [true, true, true, true, false]);
    assert.match(set[4].message, /no free debug register/);
    // the set is replaced: one now, and it is verified (the registers were freed)
    const one = (await s.request('setDataBreakpoints', { breakpoints: [{ dataId: 'garbage' }, { dataId: info.dataId }] })).body.breakpoints;
    assert.deepEqual(one.map(b => b.verified), [false, true]);
    assert.match(one[0].message, /invalid 'dataId'/);
    await s.request('setDataBreakpoints', { breakpoints: [] });
    await s.request('continue', { threadId });
    const end = await s.nextOf(['stopped', 'exited']);
    assert.equal(end.event, 'exited', `expected the end: ${JSON.stringify(end.body)}`);
    assert.equal(end.body.exitCode, 0);
});

// A native-mode session ("cordbgMode": "native", program: the C program tests/out/native/wprog).
const WPROG = path.join(OUT, 'native', 'wprog');

dapTest('native mode: data breakpoints on C globals (write and read) stop with their values', async (ctx) => {
    const s = await ctx.session();
    await s.initialize();
    await s.nextEvent('initialized');
    await s.request('setFunctionBreakpoints', { breakpoints: [{ name: 'main' }] });
    await s.request('launch', { name: 'test', type: 'coreclr', request: 'launch', program: WPROG, args: [],
                                cwd: path.dirname(WPROG), console: 'internalConsole', cordbgMode: 'native' });
    await s.request('configurationDone');
    const e = await s.stopped('breakpoint');
    const threadId = e.body.threadId;
    const frames = await s.frames(threadId);
    assert.match(frames[0].name, /^main\+0x[0-9a-f]+ \(wprog\)$/);
    await s.request('setFunctionBreakpoints', { breakpoints: [] });
    const c = (await s.request('dataBreakpointInfo', { name: 'counter', frameId: frames[0].id })).body;
    const r = (await s.request('dataBreakpointInfo', { name: 'reader_value', frameId: frames[0].id })).body;
    assert.match(c.description, /^counter \(int, 4 bytes at 0x[0-9a-f]+\)$/);
    const set = (await s.request('setDataBreakpoints', { breakpoints: [
        { dataId: c.dataId, accessType: 'write' }, { dataId: r.dataId, accessType: 'read' }] })).body.breakpoints;
    assert.deepEqual(set.map(b => b.verified), [true, true], JSON.stringify(set));
    const seen = [];
    for (let k = 0; k < 5; k++) {
        await s.request('continue', { threadId });
        const st = await s.nextOf(['stopped', 'exited']);
        assert.equal(st.event, 'stopped', `a data breakpoint stop: ${JSON.stringify(st.body)}`);
        assert.equal(st.body.reason, 'data breakpoint');
        seen.push([st.body.hitBreakpointIds[0], st.body.description.replace(/^Hardware (read )?watchpoint \d+: /, '')]);
    }
    const [w, rd] = set.map(b => b.id);
    assert.deepEqual(seen, [[w, 'counter  Old value = 0 New value = 1'], [w, 'counter  Old value = 1 New value = 2'],
                            [w, 'counter  Old value = 2 New value = 3'], [rd, 'reader_value  Value = 7'],
                            [rd, 'reader_value  Value = 7']]);
    await s.request('setDataBreakpoints', { breakpoints: [] });
    await s.request('continue', { threadId });
    const end = await s.nextOf(['stopped', 'exited']);
    assert.equal(end.event, 'exited', `expected the end: ${JSON.stringify(end.body)}`);
    assert.equal(end.body.exitCode, 0);
    await s.outputUpTo(/wprog: counter = 3, acc = 30, read = 14/);
});
