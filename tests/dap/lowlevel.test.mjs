// The low-level views editors offer (issue 19, item 4): disassemble, readMemory, writeMemory,
// setInstructionBreakpoints, instruction-granularity steps, the Registers scope and the
// memory references of frames and values, in native mode (tests/native/nprog.c), managed
// mode (tests/programs/LowLevel) and mixed mode (tests/programs/Interop + libnative.so).
import fs from 'node:fs';
import path from 'node:path';
import { dapTest, mark, source, assert, OUT, REPO } from './harness.mjs';

const NPROG = path.join(OUT, 'native', 'nprog');
const NPROG_C = path.join(REPO, 'tests', 'native', 'nprog.c');
const NATIVE_C = path.join(REPO, 'tests', 'native', 'native.c');
const LL_SRC = source('LowLevel');
const M = (name) => mark('LowLevel', name);

function cMark(file, name) {
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const hits = lines.map((l, i) => (new RegExp(`@mark:${name}\\b`).test(l) ? i + 1 : 0)).filter(Boolean);
    assert.equal(hits.length, 1, `marker ${name} in ${file}`);
    return hits[0];
}

const b64 = (bytes) => Buffer.from(bytes).toString('base64');
const unb64 = (s) => [...Buffer.from(s || '', 'base64')];
const hex = (n) => '0x' + n.toString(16);
const big = (ref) => BigInt(ref);
const isCtl = (text) => /^(call|j[a-z]*|ret|loop|syscall|int3|ud2|hlt)\b/.test(text.trim());

async function disasm(s, ref, instructionOffset, instructionCount, extra = {}) {
    const r = await s.request('disassemble', { memoryReference: ref, instructionOffset, instructionCount, resolveSymbols: true, ...extra });
    const ins = r.body.instructions;
    assert.equal(ins.length, instructionCount, 'disassemble gives exactly instructionCount instructions');
    for (let i = 1; i < ins.length; i++) {
        assert.ok(big(ins[i].address) > big(ins[i - 1].address), `addresses increase: ${ins[i - 1].address} then ${ins[i].address}`);
    }
    return ins;
}

/** Registers of a frame: { name: Variable } (from the Registers scope). */
async function registers(s, frameId) {
    const scopes = (await s.request('scopes', { frameId })).body.scopes;
    const sc = scopes.find(x => x.name === 'Registers');
    assert.ok(sc, `a Registers scope: ${JSON.stringify(scopes)}`);
    assert.equal(sc.presentationHint, 'registers');
    const vars = (await s.request('variables', { variablesReference: sc.variablesReference })).body.variables;
    return Object.fromEntries(vars.map(v => [v.name, v]));
}

/** With a breakpoint at insn: memory and disassembly show the instruction, not the
 * breakpoint's int3, and writing the instruction's own bytes over it keeps the breakpoint
 * (the caller then continues to it). */
async function keptUnderWrite(s, insn) {
    const bytes = insn.instructionBytes.split(' ').map(h => parseInt(h, 16));
    let r = await s.request('readMemory', { memoryReference: insn.address, count: bytes.length });
    assert.deepEqual(unb64(r.body.data), bytes, 'memory shows the instruction, not the breakpoint');
    assert.equal((await disasm(s, insn.address, 0, 1))[0].instruction, insn.instruction, 'so does the disassembly');
    r = await s.request('writeMemory', { memoryReference: insn.address, data: b64(bytes) });
    assert.equal(r.body.bytesWritten, bytes.length);
    r = await s.request('readMemory', { memoryReference: insn.address, count: bytes.length });
    assert.deepEqual(unb64(r.body.data), bytes, 'the same after the write');
}

async function badInputs(s, frameId, ip) {
    for (const [cmd, args, re] of [
        ['readMemory', { memoryReference: 'nonsense', count: 4 }, /not an address/],
        ['readMemory', { memoryReference: ip, count: 1 << 30 }, /at most/],
        ['readMemory', { memoryReference: ip, count: -1 }, /count/],
        ['writeMemory', { memoryReference: '0x10', data: b64([1, 2, 3, 4]) }, /Cannot access memory/],
        ['writeMemory', { memoryReference: ip, data: '!!not base64!!' }, /base64/],
        ['disassemble', { memoryReference: ip, instructionCount: 1000000 }, /instructionCount/],
        ['disassemble', { memoryReference: '0xzz', instructionCount: 4 }, /not an address/],
        ['setInstructionBreakpoints', { breakpoints: [{ instructionReference: 'bogus' }] }, /not an address/],
    ]) {
        const r = await s.requestRaw(cmd, args);
        assert.equal(r.success, false, `${cmd} ${JSON.stringify(args)} must fail`);
        assert.match(r.message, re, `${cmd}: ${r.message}`);
    }
    // unreadable memory is not an error: the bytes are counted as unreadable
    const r = await s.request('readMemory', { memoryReference: '0x10', count: 16 });
    assert.equal(r.body.unreadableBytes, 16);
    assert.ok(!r.body.data, 'no bytes read at 0x10');
    // the session goes on
    const regs = await registers(s, frameId);
    assert.ok(regs.rip, 'registers still answer after the refused requests');
}

dapTest('native mode: registers, disassembly with lines, instruction breakpoint and steps, writeMemory seen by the program', async (ctx) => {
    const s = await ctx.session();
    await s.initialize();
    for (const cap of ['supportsDisassembleRequest', 'supportsReadMemoryRequest', 'supportsWriteMemoryRequest',
        'supportsInstructionBreakpoints', 'supportsSteppingGranularity']) {
        assert.equal(s.capabilities[cap], true, cap);
    }
    await s.nextEvent('initialized');
    const callLine = cMark(NPROG_C, 'work_call'), printLine = cMark(NPROG_C, 'main_print');
    await s.setBreakpoints(NPROG_C, [callLine, printLine]);
    await s.request('launch', { name: 'test', type: 'coreclr', request: 'launch', program: NPROG, args: ['basic'],
                                cwd: path.dirname(NPROG), console: 'internalConsole', cordbgMode: 'native' });
    await s.request('configurationDone');
    let stop = await s.stoppedAt('breakpoint', callLine, { path: NPROG_C });
    const ip0 = stop.frame.instructionPointerReference;
    assert.match(ip0 || '', /^0x[0-9a-f]+$/, `frame 0 has an instructionPointerReference: ${JSON.stringify(stop.frame)}`);
    const regs = await registers(s, stop.frame.id);
    assert.equal(big(regs.rip.value.split(' ')[0]), big(ip0), 'rip is the frame\'s instruction pointer');
    for (const r of ['rax', 'rbx', 'rsp', 'rbp', 'r15', 'eflags', 'cs', 'ss', 'fs_base']) assert.ok(regs[r], `register ${r}`);
    assert.match(regs.rip.value, /work\+0x/, 'rip names its function');
    assert.equal(regs.rsp.memoryReference, regs.rsp.value, 'rsp is a memory reference');

    // the line's instructions: the first at the frame's ip, with its line and symbol
    let ins = await disasm(s, ip0, -3, 16);
    assert.equal(ins[3].address, ip0);
    assert.equal(ins[3].line, callLine, `the instruction at ip is line ${callLine}: ${JSON.stringify(ins[3])}`);
    assert.match(ins[3].symbol, /^work\+0x[0-9a-f]+$/);
    assert.match(ins[3].instructionBytes, /^[0-9a-f]{2}( [0-9a-f]{2})*$/);
    assert.ok(ins.some(i => i.location?.path === NPROG_C), 'the source is given');
    const call = ins.slice(3).find(i => /^call/.test(i.instruction) && /<helper(\+0x0)?>/.test(i.instruction));
    assert.ok(call, `a call to helper after ip: ${JSON.stringify(ins.map(i => i.instruction))}`);
    assert.equal(call.line, callLine);
    const helperAddr = /call\s+(0x[0-9a-f]+)/.exec(call.instruction)[1];

    // an instruction breakpoint on the call; the line breakpoint goes away
    let r = await s.request('setInstructionBreakpoints', { breakpoints: [{ instructionReference: call.address }] });
    assert.equal(r.body.breakpoints.length, 1);
    assert.equal(r.body.breakpoints[0].verified, true, JSON.stringify(r.body.breakpoints[0]));
    await s.setBreakpoints(NPROG_C, [printLine]);
    await keptUnderWrite(s, call);
    await s.request('continue', { threadId: stop.threadId });
    stop = await s.stoppedAt('breakpoint', callLine);
    assert.equal(stop.frame.instructionPointerReference, call.address, 'stopped at the call instruction');

    // step one instruction into the call, then one over
    await s.request('stepIn', { threadId: stop.threadId, granularity: 'instruction' });
    stop = await s.stoppedAt('step', null);
    assert.equal(big(stop.frame.instructionPointerReference), big(helperAddr), 'stepIn by instruction enters helper');
    assert.match(stop.frame.name, /^helper\+0x0/);
    ins = await disasm(s, stop.frame.instructionPointerReference, 0, 2);
    assert.ok(!isCtl(ins[0].instruction), ins[0].instruction);
    await s.request('next', { threadId: stop.threadId, granularity: 'instruction' });
    stop = await s.stoppedAt('step', null);
    assert.equal(stop.frame.instructionPointerReference, ins[1].address, 'next by instruction moves one instruction');
    // helper's argument (rdi: x = 0 in the first iteration) set to 10: helper returns 21, not 1
    let regs2 = await registers(s, stop.frame.id);
    assert.equal(regs2.rdi.value, '0x0');
    const scope = (await s.request('scopes', { frameId: stop.frame.id })).body.scopes.find(x => x.name === 'Registers');
    r = await s.request('setVariable', { variablesReference: scope.variablesReference, name: 'rdi', value: '10' });
    assert.equal(r.body.value, '0xa');
    regs2 = await registers(s, stop.frame.id);
    assert.equal(regs2.rdi.value, '0xa', 'read back');
    r = await s.requestRaw('setVariable', { variablesReference: scope.variablesReference, name: 'rdi', value: 'ten' });
    assert.equal(r.success, false);

    // no instruction breakpoints: on to main_print
    r = await s.request('setInstructionBreakpoints', { breakpoints: [] });
    assert.equal(r.body.breakpoints.length, 0);
    await s.request('continue', { threadId: stop.threadId });
    stop = await s.stoppedAt('breakpoint', printLine);

    // the store of work()'s result just before: overwrite it through writeMemory
    ins = await disasm(s, stop.frame.instructionPointerReference, -1, 2);
    const store = /^mov\s+%eax,(-0x[0-9a-f]+)\(%rbp\)/.exec(ins[0].instruction);
    assert.ok(store, `the instruction before main_print stores r: ${ins[0].instruction}`);
    const rbp = big((await registers(s, stop.frame.id)).rbp.value.split(' ')[0]);
    const slot = hex(rbp + BigInt(parseInt(store[1], 16)));
    r = await s.request('readMemory', { memoryReference: slot, count: 4 });
    assert.equal(Buffer.from(r.body.data, 'base64').readInt32LE(0), 39, 'r is 39 before the write (19, and 20 more from helper(10))');
    r = await s.request('writeMemory', { memoryReference: hex(rbp), offset: parseInt(store[1], 16), data: b64([42, 0, 0, 0]) });
    assert.equal(r.body.bytesWritten, 4);
    r = await s.request('readMemory', { memoryReference: slot, count: 4 });
    assert.equal(Buffer.from(r.body.data, 'base64').readInt32LE(0), 42, 'read back');

    await badInputs(s, stop.frame.id, stop.frame.instructionPointerReference);

    // far before the function: placeholders marked invalid come only before real instructions
    ins = await disasm(s, stop.frame.instructionPointerReference, -5000, 10);
    const firstValid = ins.findIndex(i => i.presentationHint !== 'invalid');
    assert.ok(ins.slice(firstValid < 0 ? 0 : firstValid).every(i => i.presentationHint !== 'invalid') || firstValid < 0,
              'no placeholder after a decoded instruction');

    await s.request('continue', { threadId: stop.threadId });
    assert.equal(await s.waitExit(), 3);
    assert.equal(await s.outputUpTo(/work\(3\) = \d+\n/), 'nprog: work(3) = 42\n', 'the program printed the written value');
});

dapTest('managed mode: jitted code disassembled with source lines, instruction breakpoint and steps, registers', async (ctx) => {
    const s = await ctx.session();
    const callLine = M('work_call'), nextLine = M('work_next');
    await s.launch('LowLevel', { args: ['code'], breakpoints: { [LL_SRC]: [callLine] } });
    let stop = await s.stoppedAt('breakpoint', callLine, { path: LL_SRC });
    const ip = stop.frame.instructionPointerReference;
    assert.match(ip || '', /^0x[0-9a-f]+$/, `a managed frame has an instructionPointerReference: ${JSON.stringify(stop.frame)}`);

    // the top frame's instruction: its line from the PDB, through the IL map
    let ins = await disasm(s, ip, -4, 40);
    assert.equal(ins[4].address, ip);
    assert.equal(ins[4].line, callLine, `the instruction at ip is line ${callLine}: ${JSON.stringify(ins[4])}`);
    assert.equal(ins.find(i => i.location)?.location.path, LL_SRC);
    assert.match(ins[4].symbol, /^LowLevel\.Program\.Work\+0x[0-9a-f]+$/);
    const off = parseInt(/\+0x([0-9a-f]+)$/.exec(ins[4].symbol)[1], 16);
    assert.ok(off > 0, 'a breakpoint at a line is after the method\'s prolog');
    const next = ins.find(i => i.line === nextLine);
    assert.ok(next, `an instruction of line ${nextLine}: ${JSON.stringify(ins.map(i => [i.address, i.line, i.instruction]))}`);

    // from the method's start: placeholders before it, never a guess
    // (at most `off` instructions lie between the start and ip: at least 10 placeholders)
    ins = await disasm(s, ip, -(off + 10), off + 20);
    const start = ins.findIndex(i => /\+0x0$/.test(i.symbol || ''));
    assert.ok(start >= 10, `the method's first instruction is there: ${JSON.stringify(ins.map(i => [i.address, i.symbol, i.presentationHint]))}`);
    assert.equal(ins.findIndex(i => i.address === ip), off + 10, 'ip keeps its place');
    assert.equal(big(ins[start].address), big(ip) - BigInt(off));
    assert.ok(ins.slice(0, start).every(i => i.presentationHint === 'invalid'), 'what comes before the method start is a placeholder');

    // registers of the managed frame
    const regs = await registers(s, stop.frame.id);
    assert.equal(big(regs.rip.value.split(' ')[0]), big(ip));
    for (const r of ['rax', 'rsp', 'rbp', 'r12', 'eflags', 'cs', 'ss']) assert.ok(regs[r], `register ${r}`);

    // one instruction at a time, over the call to Compute
    let at = ip;
    for (let k = 0; k < 60; k++) {
        const [cur, after] = await disasm(s, at, 0, 2);
        await s.request('next', { threadId: stop.threadId, granularity: 'instruction' });
        stop = await s.stoppedAt('step', null);
        const now = stop.frame.instructionPointerReference;
        if (!isCtl(cur.instruction) || /^call/.test(cur.instruction)) {
            assert.equal(now, after.address, `next by instruction from ${cur.address} (${cur.instruction})`);
        }
        assert.match(stop.frame.name, /LowLevel\.Program\.Work/, 'still in Work (the call was stepped over)');
        at = now;
        if (stop.frame.line === nextLine) break;
    }
    assert.equal(stop.frame.line, nextLine, 'instruction steps reached the next line');

    // an instruction breakpoint in jitted code: stops there in the second call of Work
    let r = await s.request('setInstructionBreakpoints', { breakpoints: [{ instructionReference: next.address }] });
    assert.equal(r.body.breakpoints[0].verified, true, JSON.stringify(r.body.breakpoints[0]));
    await s.setBreakpoints(LL_SRC, []);
    r = await s.requestRaw('setInstructionBreakpoints', { breakpoints: [{ instructionReference: next.address, offset: 1 }] });
    assert.equal(r.body.breakpoints[0].verified, false, 'not at an instruction start: refused');
    assert.match(r.body.breakpoints[0].message, /instruction start/);
    await s.request('setInstructionBreakpoints', { breakpoints: [{ instructionReference: next.address }] });
    await keptUnderWrite(s, next);
    await s.request('continue', { threadId: stop.threadId });
    stop = await s.stoppedAt('breakpoint', nextLine, { path: LL_SRC });
    assert.equal(stop.frame.instructionPointerReference, next.address);
    assert.match(await s.outputUpTo(/work 19\n/), /LowLevel: code\nwork 19\n/, 'the first call ended');

    await badInputs(s, stop.frame.id, stop.frame.instructionPointerReference);
    await s.request('setInstructionBreakpoints', { breakpoints: [] });
    await s.request('continue', { threadId: stop.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.equal(await s.outputUpTo(/LowLevel: end\n/), 'LowLevel: code\nwork 19\nwork 19\nLowLevel: end\n');
});

dapTest('managed mode: readMemory and writeMemory at a byte array\'s memoryReference', async (ctx) => {
    const s = await ctx.session();
    const line = M('memory_stop');
    await s.initialize({ supportsMemoryEvent: true, supportsInvalidatedEvent: true });
    await s.nextEvent('initialized');
    await s.setBreakpoints(LL_SRC, [line]);
    const prog = path.join(OUT, 'LowLevel', 'LowLevel.dll');
    await s.request('launch', { name: 'test', type: 'coreclr', request: 'launch', program: prog, args: ['memory'],
                                cwd: path.dirname(prog), console: 'internalConsole' });
    await s.request('configurationDone');
    const stop = await s.stoppedAt('breakpoint', line, { path: LL_SRC });
    const vars = await s.scopeVariables(stop.frame.id);
    const data = vars.Locals.data;
    assert.ok(data, `a local 'data': ${JSON.stringify(Object.keys(vars.Locals))}`);
    assert.match(data.memoryReference || '', /^0x[0-9a-f]+$/, `the array has a memoryReference: ${JSON.stringify(data)}`);
    let r = await s.request('readMemory', { memoryReference: data.memoryReference, count: 8 });
    assert.deepEqual(unb64(r.body.data), [0x10, 0x20, 0x30, 0x40, 0xDE, 0xAD, 0xBE, 0xEF], 'the array\'s elements');
    assert.equal(r.body.address, data.memoryReference);
    // the array's length sits just before its elements (the runtime's layout)
    r = await s.request('readMemory', { memoryReference: data.memoryReference, offset: -8, count: 4 });
    assert.equal(Buffer.from(r.body.data, 'base64').readInt32LE(0), 8, 'the length before the elements');

    r = await s.request('writeMemory', { memoryReference: data.memoryReference, offset: 4, data: b64([1, 2, 3, 4]) });
    assert.equal(r.body.bytesWritten, 4);
    const mem = await s.nextEvent('memory');
    assert.equal(big(mem.body.memoryReference), big(data.memoryReference) + 4n);
    r = await s.request('readMemory', { memoryReference: data.memoryReference, count: 8 });
    assert.deepEqual(unb64(r.body.data), [0x10, 0x20, 0x30, 0x40, 1, 2, 3, 4], 'read back');
    // the values shown follow
    const again = await s.scopeVariables(stop.frame.id);
    const elems = await s.children(again.Locals.data.variablesReference);
    assert.equal(elems['[4]'].value, '1');

    await badInputs(s, stop.frame.id, stop.frame.instructionPointerReference);
    await s.request('continue', { threadId: stop.threadId });
    assert.equal(await s.waitExit(), 0);
    const sum = 0x10 + 0x20 + 0x30 + 0x40 + 1 + 2 + 3 + 4;   // both sums run after the write
    assert.equal(await s.outputUpTo(/LowLevel: end\n/),
                 `LowLevel: memory\ndata 10-20-30-40-01-02-03-04 sum ${sum} before ${sum}\nLowLevel: end\n`);
});

dapTest('mixed mode: a native frame and the managed frame below it, each disassembled with its lines', async (ctx) => {
    const s = await ctx.session();
    const line = cMark(NATIVE_C, 'compute_init');
    await s.launch('Interop', { args: ['basic'], breakpoints: { [NATIVE_C]: [line] }, extra: { cordbgMode: 'mixed' } });
    const stop = await s.stoppedAt('breakpoint', line, { path: NATIVE_C });
    const regs = await registers(s, stop.frame.id);
    assert.equal(big(regs.rip.value.split(' ')[0]), big(stop.frame.instructionPointerReference));
    let ins = await disasm(s, stop.frame.instructionPointerReference, 0, 3);
    assert.equal(ins[0].line, line);
    assert.match(ins[0].symbol, /^compute\+0x/);
    // the managed caller: its return address, in Basic's jitted code, on the P/Invoke's line
    const caller = stop.frames.find(f => /Interop\.Program\.Basic/.test(f.name));
    assert.ok(caller?.instructionPointerReference, `the managed frame has an instruction pointer: ${JSON.stringify(stop.frames)}`);
    ins = await disasm(s, caller.instructionPointerReference, -1, 2);
    assert.equal(ins[1].address, caller.instructionPointerReference);
    assert.match(ins[0].instruction, /^call/, `the instruction before the return address is the call: ${ins[0].instruction}`);
    assert.equal(ins[0].line, caller.line, 'the call is on the caller\'s line');
    assert.match(ins[0].symbol, /Interop\.Program\.Basic\+0x/);
    await badInputs(s, stop.frame.id, stop.frame.instructionPointerReference);

    // one native instruction (the tracer's step)
    const [cur, after] = await disasm(s, stop.frame.instructionPointerReference, 0, 2);
    assert.ok(!isCtl(cur.instruction), cur.instruction);
    await s.request('next', { threadId: stop.threadId, granularity: 'instruction' });
    let st = await s.stoppedAt('step', null);
    assert.equal(st.frame.instructionPointerReference, after.address, 'next by instruction at a native stop');

    // an instruction breakpoint at the return address in Basic's jitted code: a managed one
    let r = await s.request('setInstructionBreakpoints', { breakpoints: [{ instructionReference: caller.instructionPointerReference }] });
    assert.equal(r.body.breakpoints[0].verified, true, JSON.stringify(r.body.breakpoints[0]));
    await s.request('setBreakpoints', { source: { path: NATIVE_C }, breakpoints: [] });
    await s.request('continue', { threadId: stop.threadId });
    st = await s.stoppedAt('breakpoint', caller.line, { name: /Interop\.Program\.Basic/ });
    assert.equal(st.frame.instructionPointerReference, caller.instructionPointerReference, 'stopped at the return address');
    assert.equal(await s.outputUpTo(/native_add\(2, 3\) = 5\n/), 'Interop: native_add(2, 3) = 5\n', 'compute has not printed yet');

    // one jitted instruction (the runtime's stepper, with the tracer attached)
    const [c2, a2] = await disasm(s, st.frame.instructionPointerReference, 0, 2);
    await s.request('setInstructionBreakpoints', { breakpoints: [] });
    await s.request('stepIn', { threadId: st.threadId, granularity: 'instruction' });
    st = await s.stoppedAt('step', null);
    if (!isCtl(c2.instruction)) assert.equal(st.frame.instructionPointerReference, a2.address, `stepIn by instruction from ${c2.instruction}`);
    assert.notEqual(st.frame.instructionPointerReference, c2.address, 'the instruction ran');

    await s.request('continue', { threadId: st.threadId });
    assert.equal(await s.waitExit(), 0);
    assert.match(await s.outputUpTo(/Interop: native_nested\(3\) = 3\n/), /compute\(5\) = 55\n/);
});
