// Frame names and return values over DAP (issue 17), with tests/programs/Frames: a generic
// method's frame names its instantiation in stackTrace; after stepOut and next over a call,
// the Locals scope lists "Ns.Type.M returned" first, as Visual Studio's Locals window does.
import { dapTest, mark, source, assert } from './harness.mjs';

const F = (m) => mark('Frames', m);

dapTest('stackTrace names a generic frame with its instantiation', async (ctx) => {
    const s = await ctx.session();
    await s.launch('Frames', { args: ['generics'], breakpoints: { [source('Frames')]: [F('box_max'), F('pick')] } });
    let { threadId, frames } = await s.stoppedAt('breakpoint', F('box_max'), { name: /^Frames\.Box<string>\.Max\(\)$/ });
    assert.match(frames[1].name, /^Frames\.Program\.Generics\(\)$/);
    await s.request('continue', { threadId });
    ({ threadId } = await s.stoppedAt('breakpoint', F('pick'), { name: /^Frames\.Program\.Pick<int>\(int x = 3, int y = 4, bool first = false\)$/ }));
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
});

dapTest('Locals list the value returned after stepOut and next', async (ctx) => {
    const s = await ctx.session();
    await s.launch('Frames', { args: ['returns'], breakpoints: { [source('Frames')]: [F('compute_ret')] } });
    let { threadId } = await s.stoppedAt('breakpoint', F('compute_ret'), { name: /Frames\.Program\.Compute\(/ });
    await s.request('stepOut', { threadId });
    let stop = await s.stoppedAt('step', F('call_compute'), { name: /Frames\.Program\.Returns\(\)/ });
    let loc = (await s.scopeVariables(stop.frame.id)).Locals;
    let names = Object.keys(loc).filter(k => k !== '_scope');
    assert.equal(names[0], 'Frames.Program.Compute returned', `Locals: ${names}`);
    assert.equal(loc['Frames.Program.Compute returned'].value, '42');
    assert.equal(loc._scope.namedVariables, names.length, 'namedVariables counts the returned value');
    await s.request('next', { threadId: stop.threadId });
    stop = await s.stoppedAt('step', F('call_name'), { name: /Frames\.Program\.Returns\(\)/ });
    await s.request('next', { threadId: stop.threadId });
    stop = await s.stoppedAt('step', F('call_point'), { name: /Frames\.Program\.Returns\(\)/ });
    loc = (await s.scopeVariables(stop.frame.id)).Locals;
    names = Object.keys(loc).filter(k => k !== '_scope');
    assert.equal(names[0], 'Frames.Program.Name returned', `Locals: ${names}`);
    assert.equal(loc['Frames.Program.Name returned'].value, '"hello you"');
    assert.ok(!('Frames.Program.Compute returned' in loc), 'an older step\'s value is gone');
    await s.request('continue', { threadId: stop.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.match(await s.outputUpTo(/Frames: done\n/), /returns 42 hello you \(3, 4\)\n/);
});
