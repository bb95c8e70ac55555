// Inspection at one stop of the Values program (marker all; see its header for every value):
// scopes, variables (paged, lazily expanded), evaluate in each context, -exec, setVariable,
// setExpression.
import { dapTest, mark, source, assert } from './harness.mjs';

/** A session stopped at Values' marker all: { s, threadId, frame }. */
async function atValuesAll(ctx) {
    const s = await ctx.session();
    const line = mark('Values', 'all');
    await s.launch('Values', { breakpoints: { [source('Values')]: [line] } });
    const { threadId, frame } = await s.stoppedAt('breakpoint', line, { name: /^Values\.Program\.Inspect\(/ });
    return { s, threadId, frame };
}

async function finish(s, threadId) {
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
}

dapTest('scopes: Locals and Arguments', async (ctx) => {
    const { s, threadId, frame } = await atValuesAll(ctx);
    const scopes = (await s.request('scopes', { frameId: frame.id })).body.scopes;
    const names = scopes.map(x => x.name);
    assert.ok(names.includes('Locals') && names.includes('Arguments'), `scopes ${JSON.stringify(names)}`);
    const v = await s.scopeVariables(frame.id);
    const args = v.Arguments;
    assert.deepEqual(Object.keys(args).filter(k => k !== '_scope'), ['count', 'label']);
    assert.equal(args.count.value, '3');
    assert.equal(args.count.type, 'int');
    assert.equal(args.label.value, '"inspect"');
    assert.equal(args.label.type, 'string');
    const loc = v.Locals;
    for (const [name, value, type] of [['i', '42', 'int'], ['b', 'true', 'bool'], ['s', '"hello"', 'string'],
        ['d', '2.5', 'double'], ['ch', "'A'", 'char'], ['nullStr', 'null', 'string']]) {
        assert.ok(loc[name], `no local ${name}`);
        assert.equal(loc[name].value.startsWith(value), true, `${name} = ${loc[name].value}, expected ${value}`);
        assert.equal(loc[name].type, type, `type of ${name}`);
        assert.equal(loc[name].variablesReference, 0, `${name} is not expandable`);
    }
    assert.ok(!('count' in loc), 'an argument is not listed as a local');
    for (const scope of scopes) {
        const n = Object.keys(v[scope.name]).length - 1;
        if (scope.namedVariables !== undefined) assert.equal(scope.namedVariables, n, `${scope.name}: namedVariables`);
    }
    await finish(s, threadId);
});

dapTest('variables paging over a large array', async (ctx) => {
    const { s, threadId, frame } = await atValuesAll(ctx);
    const big = (await s.scopeVariables(frame.id)).Locals.big;
    assert.ok(big, 'no local big');
    assert.equal(big.indexedVariables, 1000000, `indexedVariables of big: ${JSON.stringify(big)}`);
    assert.ok(big.variablesReference > 0);
    const page = async (start, count) => (await s.request('variables', {
        variablesReference: big.variablesReference, filter: 'indexed', start, count })).body.variables;
    assert.deepEqual((await page(500000, 3)).map(x => [x.name, x.value]),
                     [['[500000]', '1000000'], ['[500001]', '1000002'], ['[500002]', '1000004']]);
    assert.deepEqual((await page(0, 2)).map(x => [x.name, x.value]), [['[0]', '0'], ['[1]', '2']]);
    // a page that runs past the end holds what there is
    assert.deepEqual((await page(999998, 10)).map(x => [x.name, x.value]), [['[999998]', '1999996'], ['[999999]', '1999998']]);
    const el = (await page(123456, 1))[0];
    assert.equal(el.type, 'int');
    if (el.evaluateName) assert.equal((await s.evaluate(el.evaluateName, { frameId: frame.id, context: 'watch' })).result, '246912');
    await finish(s, threadId);
});

dapTest('lazy children of structs and objects', async (ctx) => {
    const { s, threadId, frame } = await atValuesAll(ctx);
    const loc = (await s.scopeVariables(frame.id)).Locals;
    // struct with nested struct fields: line.Start.X
    const line = await s.children(loc.line.variablesReference);
    assert.equal(line.Width?.value, '5', `line's children ${JSON.stringify(Object.keys(line))}`);
    assert.ok(line.Start.variablesReference > 0, 'line.Start is expandable');
    const start = await s.children(line.Start.variablesReference);
    assert.equal(start.X.value, '1');
    assert.equal(start.Y.value, '2');
    const end = await s.children(line.End.variablesReference);
    assert.equal(end.X.value, '3');
    if (start.X.evaluateName) {
        const r = await s.evaluate(start.X.evaluateName, { frameId: frame.id, context: 'watch' });
        assert.equal(r.result, '1', `evaluateName ${start.X.evaluateName}`);
    }
    // an object: fields and auto-property; a nested object reached through a field
    const person = await s.children(loc.person.variablesReference);
    assert.equal(person.Age?.value, '30', `person's children ${JSON.stringify(Object.keys(person))}`);
    assert.equal(person.City?.value, '"Paris"');
    assert.equal(person.Name?.value, '"Alice"');
    const order = await s.children(loc.order.variablesReference);
    assert.ok(order.Items?.variablesReference > 0, `order.Items is expandable: ${JSON.stringify(order.Items)}`);
    const items = await s.children(order.Items.variablesReference);
    const values = Object.values(items).map(v => v.value);
    for (const w of ['"bolt"', '"nut"', '"gear"']) assert.ok(values.includes(w), `order.Items has ${w}: ${JSON.stringify(values)}`);
    // the same child asked for twice gives the same answer (references stay valid while stopped)
    const again = await s.children(loc.line.variablesReference);
    assert.equal(again.Width.value, '5');
    await finish(s, threadId);
});

dapTest('evaluate in repl, watch, hover and clipboard contexts', async (ctx) => {
    const { s, threadId, frame } = await atValuesAll(ctx);
    const frameId = frame.id;
    assert.equal((await s.evaluate('i + 1', { frameId, context: 'repl' })).result, '43');
    assert.equal((await s.evaluate('person.Name', { frameId, context: 'watch' })).result, '"Alice"');
    assert.equal((await s.evaluate('s', { frameId, context: 'hover' })).result, '"hello"');
    const clip = await s.evaluate('pt', { frameId, context: 'clipboard' });
    assert.match(clip.result, /X\D*1/, `clipboard text of pt: ${clip.result}`);
    assert.match(clip.result, /Y\D*2/, `clipboard text of pt: ${clip.result}`);
    // a structured result can be expanded
    const w = await s.evaluate('line', { frameId, context: 'watch' });
    assert.ok(w.variablesReference > 0, 'line evaluates to an expandable value');
    const kids = await s.children(w.variablesReference);
    assert.ok('Start' in kids && 'End' in kids && 'Width' in kids, JSON.stringify(Object.keys(kids)));
    // an error: success false with a message
    for (const context of ['repl', 'watch', 'hover']) {
        const bad = await s.requestRaw('evaluate', { expression: 'nosuchvariable + 1', frameId, context });
        assert.equal(bad.success, false, `${context}: an unknown name must fail`);
        // in the C# compiler's words with its code, as vsdbg shows it
        assert.match(bad.message || '', /^error CS0103: The name 'nosuchvariable' does not exist in the current context$/,
            `${context}: the message names the unknown name: ${bad.message}`);
    }
    const syntax = await s.requestRaw('evaluate', { expression: 'i +', frameId, context: 'repl' });
    assert.equal(syntax.success, false, 'a syntax error must fail');
    assert.ok((syntax.message || '').length > 0, 'a syntax error has a message');
    await finish(s, threadId);
});

dapTest('hex format of evaluate results and variables', async (ctx) => {
    const { s, threadId, frame } = await atValuesAll(ctx);
    const r = await s.evaluate('i', { frameId: frame.id, context: 'watch', format: { hex: true } });
    assert.match(r.result, /^0x0*2a$/i, `i in hex: ${r.result}`);
    const locals = (await s.request('scopes', { frameId: frame.id })).body.scopes.find(x => x.name === 'Locals');
    const vars = (await s.request('variables', { variablesReference: locals.variablesReference, format: { hex: true } })).body.variables;
    const by = vars.find(v => v.name === 'by');
    assert.match(by.value, /^0x0*ff$/i, `by in hex: ${by.value}`);
    // without format: decimal again
    assert.equal((await s.evaluate('i', { frameId: frame.id, context: 'watch' })).result, '42');
    await finish(s, threadId);
});

dapTest('-exec info threads in repl', async (ctx) => {
    const { s, threadId, frame } = await atValuesAll(ctx);
    const r = await s.evaluate('-exec info threads', { frameId: frame.id, context: 'repl' });
    assert.match(r.result, /\bId\b.*\bTid\b/, `info threads header: ${r.result}`);
    assert.match(r.result, /^\*\s+\d+\s+\d+/m, `info threads current thread row: ${r.result}`);
    assert.match(r.result, /Values\.Program\.Inspect/, 'the current thread is in Inspect');
    await finish(s, threadId);
});

/** Checks of response values, all reported together at the end (so that one wrong answer does
 * not hide what the program then printed). */
function checker() {
    const wrong = [];
    return {
        eq(actual, expected, what) { if (actual !== expected) wrong.push(`${what}: ${JSON.stringify(actual)}, expected ${JSON.stringify(expected)}`); },
        done() { assert.deepEqual(wrong, [], 'responses with a wrong value'); },
    };
}

dapTest('setVariable, then the program prints the new values', async (ctx) => {
    const { s, threadId, frame } = await atValuesAll(ctx);
    const v = await s.scopeVariables(frame.id);
    const locals = v.Locals._scope.variablesReference;
    const args = v.Arguments._scope.variablesReference;
    const c = checker();
    const set = async (ref, name, value, expected = value) => {
        const r = (await s.request('setVariable', { variablesReference: ref, name, value })).body;
        c.eq(r.value, expected, `setVariable ${name} = ${value}: response body.value (the new value)`);
    };
    await set(locals, 'i', '99');
    await set(locals, 's', '"bye"');
    await set(args, 'count', '5');
    // a field of a struct local, through its child reference
    await set(v.Locals.pt.variablesReference, 'X', '77');
    // a field of an object
    await set(v.Locals.person.variablesReference, 'Age', '31');
    // the new values are what the debugger shows now
    assert.equal((await s.evaluate('i', { frameId: frame.id, context: 'watch' })).result, '99');
    assert.equal((await s.evaluate('pt.X', { frameId: frame.id, context: 'watch' })).result, '77');
    const locals2 = (await s.scopeVariables(frame.id)).Locals;
    assert.equal(locals2.i.value, '99', 'variables after setVariable');
    // a value that does not fit the type fails
    const bad = await s.requestRaw('setVariable', { variablesReference: locals, name: 'i', value: '"text"' });
    assert.equal(bad.success, false, 'assigning a string to an int must fail');
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    const out = await s.outputUpTo(/Values: done\n/);
    for (const line of ['count=5', 'i=99', 's=bye', 'pt.X=77', 'pt.Y=2', 'person.Age=31']) {
        assert.match(out, new RegExp(`^${line.replace(/[.[\]]/g, '\\$&')}$`, 'm'), `the program printed ${line}`);
    }
    c.done();
});

dapTest('setExpression, then the program prints the new values', async (ctx) => {
    const { s, threadId, frame } = await atValuesAll(ctx);
    const frameId = frame.id;
    const c = checker();
    const set = async (expression, value) => {
        const r = (await s.request('setExpression', { expression, value, frameId })).body;
        c.eq(r.value, value, `setExpression ${expression} = ${value}: response body.value (the new value)`);
    };
    await set('person.Name', '"Carol"');
    await set('arr[1]', '20');
    await set('line.Start.X', '9');
    await set('Person.Counter', '8');
    const bad = await s.requestRaw('setExpression', { expression: 'i + 1', value: '3', frameId });
    assert.equal(bad.success, false, 'an expression that is not assignable must fail');
    await s.request('continue', { threadId });
    assert.equal(await s.waitExit(), 0);
    const out = await s.outputUpTo(/Values: done\n/);
    for (const line of ['person.Name=Carol', 'arr[1]=20', 'line.Start.X=9', 'Person.Counter=8', 'i=42']) {
        assert.match(out, new RegExp(`^${line.replace(/[.[\]]/g, '\\$&')}$`, 'm'), `the program printed ${line}`);
    }
    c.done();
});
