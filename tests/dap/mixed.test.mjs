// Mixed mode through DAP ("mixedMode": true in launch): a breakpoint in a C source file of a
// P/Invoke'd library stops there, and the stack shows the native frame above the managed ones.
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, REPO, assert } from './harness.mjs';

const NATIVE_C = path.join(REPO, 'tests', 'native', 'native.c');

function nativeMark(name) {
    const lines = fs.readFileSync(NATIVE_C, 'utf8').split('\n');
    const hits = lines.map((l, i) => (l.includes(`@mark:${name}`) && /\b/.test(l)) ? i + 1 : 0).filter(Boolean);
    assert.equal(hits.length, 1, `marker ${name} in native.c`);
    return hits[0];
}

dapTest('mixedMode: a breakpoint in native.c stops in compute with the managed callers below', async (ctx) => {
    const s = await ctx.session();
    const line = nativeMark('compute_init');
    const { breakpoints } = await s.launch('Interop', { args: ['basic'], breakpoints: { [NATIVE_C]: [line] },
                                                        extra: { mixedMode: true } });
    assert.equal(breakpoints[NATIVE_C].length, 1);
    const e = await s.nextOf(['stopped', 'exited']);
    assert.equal(e.event, 'stopped', `expected a stop in compute: ${JSON.stringify(e.body)}`);
    assert.equal(e.body.reason, 'breakpoint');
    const frames = await s.frames(e.body.threadId);
    assert.match(frames[0].name, /^compute\+0x[0-9a-f]+ \(libnative\.so\)$/);
    assert.equal(frames[0].line, line);
    assert.equal(frames[0].source.path, NATIVE_C);
    assert.match(frames[1].name, /Interop\.Program\.Basic/);
    assert.match(frames[2].name, /Interop\.Program\.Main/);
    await s.request('continue', { threadId: e.body.threadId });
    const end = await s.nextOf(['stopped', 'exited']);
    assert.equal(end.event, 'exited', `expected the end: ${JSON.stringify(end.body)}`);
    assert.equal(end.body.exitCode, 0);
});
