// Values shown as Visual Studio / vsdbg shows them (issue 17), at the Displays program's marker
// stop: anonymous types, Non-Public members, Raw View, Results View as variables of their own;
// a hover runs no method; launch.json's expressionEvaluationOptions are honoured.
import { dapTest, mark, source, assert } from './harness.mjs';

/** A session stopped at Displays' marker stop: { s, threadId, frame, locals }. */
async function atStop(ctx, extra = {}) {
    const s = await ctx.session();
    const line = mark('Displays', 'stop');
    await s.launch('Displays', { breakpoints: { [source('Displays')]: [line] }, extra });
    const { threadId, frame } = await s.stoppedAt('breakpoint', line, { name: /^Displays\.Program\.Show\(/ });
    const locals = (await s.scopeVariables(frame.id)).Locals;
    return { s, threadId, frame, locals };
}

/** Continue to the end: the program's own output must be unchanged by what was evaluated. */
async function finish(s, threadId, hoverCount = 3) {
    await s.request('continue', { threadId });
    const out = await s.outputUpTo(/Displays: done\n/);
    assert.match(out, new RegExp(`hoverList\\.Count=${hoverCount}\\nevens=0,2,4,6\\nquery=3,4,5\\nrange=1,2,3,4,5\\nanon\\.N=2\\n`), out);
    assert.equal(await s.waitExit(), 0);
}

const names = (kids) => Object.keys(kids);

dapTest('anonymous type shown and expanded by member name', async (ctx) => {
    const { s, threadId, locals } = await atStop(ctx);
    assert.equal(locals.anon.value, '{ Title = "anon", N = 2 }');
    const anon = await s.children(locals.anon.variablesReference);
    assert.equal(anon.Title?.value, '"anon"', JSON.stringify(names(anon)));
    assert.equal(anon.N?.value, '2');
    await finish(s, threadId);
});

dapTest('DebuggerDisplay naming an explicitly implemented member', async (ctx) => {
    const { s, threadId, locals } = await atStop(ctx);
    assert.equal(locals.items.value, 'Count = 3', 'DebuggerDisplay {Count} of ICollection.Count implemented explicitly');
    await finish(s, threadId);
});

dapTest('Non-Public members: a group for framework types, at the top for the user\'s', async (ctx) => {
    const { s, threadId, locals } = await atStop(ctx);

    // a framework type: public members at the top, the others in a group of their own
    const ver = await s.children(locals.ver.variablesReference);
    assert.equal(ver.Major?.value, '1', JSON.stringify(names(ver)));
    assert.ok(!('_Major' in ver), `_Major is not at the top: ${names(ver)}`);
    const np = ver['Non-Public members'];
    assert.ok(np && np.variablesReference > 0, `a Non-Public members group: ${names(ver)}`);
    assert.equal(names(ver).at(-1), 'Non-Public members', 'the group comes last');
    const inner = await s.children(np.variablesReference);
    assert.equal(inner._Major?.value, '1', JSON.stringify(names(inner)));
    assert.equal(inner._Revision?.value, '4');
    assert.equal(inner._Major.evaluateName, 'ver._Major');
    // the user's own type: private members at the top, as vsdbg with just my code
    const account = await s.children(locals.account.variablesReference);
    assert.equal(account.pin?.value, '1234', JSON.stringify(names(account)));
    assert.equal(account.Level?.value, '2');
    assert.ok(!('Non-Public members' in account), `no group for the user's type: ${names(account)}`);
    await finish(s, threadId);
});

dapTest('Raw View under a type proxy', async (ctx) => {
    const { s, threadId, locals } = await atStop(ctx);

    // a proxied collection: its items, then Raw View with the real fields
    const list = await s.children(locals.list.variablesReference);
    assert.deepEqual(names(list), ['[0]', '[1]', '[2]', 'Raw View']);
    const raw = await s.children(list['Raw View'].variablesReference);
    assert.equal(raw.Count?.value, '3', JSON.stringify(names(raw)));
    const rawNp = await s.children(raw['Non-Public members'].variablesReference);
    assert.equal(rawNp._size?.value, '3', JSON.stringify(names(rawNp)));
    assert.ok(rawNp._items?.variablesReference > 0);
    const dict = await s.children(locals.dict.variablesReference);
    assert.ok('Raw View' in dict, JSON.stringify(names(dict)));
    // `list, raw` in the watch: the raw structure, expanded raw too; getters run
    const frameId = (await s.frames(threadId))[0].id;
    const w = await s.evaluate('list, raw', { frameId, context: 'watch' });
    assert.equal(w.result, '{System.Collections.Generic.List<int>}');
    const wk = await s.children(w.variablesReference);
    assert.equal(wk.Count?.value, '3', JSON.stringify(names(wk)));
    assert.ok(!('[0]' in wk) && 'Non-Public members' in wk, JSON.stringify(names(wk)));
    await finish(s, threadId);
});

dapTest('Results View of iterators and LINQ queries, enumerated when expanded', async (ctx) => {
    const { s, threadId, locals } = await atStop(ctx);

    // an IEnumerable without a proxy: a Results View, enumerated only when expanded (a LINQ
    // iterator's _state leaves 0 at its first GetEnumerator)
    const q = await s.children(locals.query.variablesReference);
    const qnp = await s.children(q['Non-Public members'].variablesReference);
    assert.equal(qnp._state?.value, '0', 'showing the query did not enumerate it');
    for (const [name, want] of [['evens', ['0', '2', '4', '6']], ['query', ['3', '4', '5']], ['range', ['1', '2', '3', '4', '5']]]) {
        const kids = await s.children(locals[name].variablesReference);
        const rv = kids['Results View'];
        assert.ok(rv, `${name}: a Results View: ${names(kids)}`);
        assert.equal(rv.value, 'Expanding the Results View will enumerate the IEnumerable');
        const items = await s.children(rv.variablesReference);
        assert.deepEqual(Object.values(items).map(v => v.value), want, `${name}'s results`);
        assert.deepEqual(names(items), want.map((_, k) => `[${k}]`));
    }
    // `x, results` in the watch: the items as its children
    const frameId = (await s.frames(threadId))[0].id;
    const r = await s.evaluate('range, results', { frameId, context: 'watch' });
    assert.deepEqual(Object.values(await s.children(r.variablesReference)).map(v => v.value), ['1', '2', '3', '4', '5']);
    await finish(s, threadId);
});

dapTest('hover runs no method; getters and ToString still run', async (ctx) => {
    const { s, threadId, frame } = await atStop(ctx);
    const frameId = frame.id;
    const bad = await s.requestRaw('evaluate', { expression: 'hoverList.Add(9)', frameId, context: 'hover' });
    assert.equal(bad.success, false, 'a call in a hover is refused');
    assert.match(bad.message || '', /side effects/, bad.message);
    assert.equal((await s.evaluate('hoverList.Count', { frameId, context: 'hover' })).result, '3');
    assert.equal((await s.evaluate('dict["one"]', { frameId, context: 'hover' })).result, '1', 'an indexer runs in a hover');
    const st = await s.requestRaw('evaluate', { expression: 'System.Console.WriteLine("x")', frameId, context: 'hover' });
    assert.equal(st.success, false, 'a static call in a hover is refused too');
    assert.equal((await s.evaluate('flag.Value', { frameId, context: 'hover' })).result, '5', 'a getter runs in a hover');
    assert.equal((await s.evaluate('ver', { frameId, context: 'hover' })).result, '1.2.3.4', 'ToString runs in a hover');
    assert.equal((await s.evaluate('hoverList', { frameId, context: 'hover' })).result, 'Count = 3');
    // the same call in the watch runs
    assert.equal((await s.evaluate('flag.Reads', { frameId, context: 'watch' })).result, '1');
    await finish(s, threadId);
});

dapTest('expressionEvaluationOptions: no implicit evaluation, no ToString', async (ctx) => {
    const { s, threadId, locals } = await atStop(ctx, {
        expressionEvaluationOptions: { allowImplicitFuncEval: false, allowToString: true, allowFastEvaluate: true },
    });
    const flag = await s.children(locals.flag.variablesReference);
    assert.match(flag.Value?.value || '', /Implicit function evaluation is turned off by the user/, JSON.stringify(flag.Value));
    assert.equal(flag.Reads?.value, '0', 'the getter did not run');
    assert.equal(locals.ver.value, '{System.Version}', 'no ToString without implicit evaluation');
    assert.equal(locals.list.value, '{System.Collections.Generic.List<int>}', 'no DebuggerDisplay without implicit evaluation');
    await finish(s, threadId);
});

dapTest('expressionEvaluationOptions: allowToString false, showRawStructure', async (ctx) => {
    const { s, threadId, locals } = await atStop(ctx, {
        expressionEvaluationOptions: { allowToString: false, showRawStructure: true },
    });
    assert.equal(locals.ver.value, '{System.Version}', 'allowToString false: the type name');
    assert.equal(locals.list.value, '{System.Collections.Generic.List<int>}', 'raw structure: no DebuggerDisplay');
    const list = await s.children(locals.list.variablesReference);
    assert.equal(list.Count?.value, '3', `raw structure: the real members, getters run: ${names(list)}`);
    assert.ok(!('[0]' in list) && !('Raw View' in list), `no proxy: ${names(list)}`);
    const flag = await s.children(locals.flag.variablesReference);
    assert.equal(flag.Value?.value, '5');
    await finish(s, threadId);
});
