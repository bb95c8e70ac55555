// `update`: new texts of documents → edits → deltas (pending until commit).
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace CordbgEncSvc;

sealed partial class Service
{
    JsonObject Update(JsonObject req)
    {
        var texts = StrMap(req, "documents", true);
        if (modules.Count == 0)
            throw new ProtocolError("no module is open");
        // a new update replaces one that was not committed (cordbg did not apply it)
        foreach (var m in modules)
            m.Pending = null;
        var byModule = new Dictionary<Module, Dictionary<string, string>>();
        foreach (var (path, text) in texts)
        {
            var mod = modules.FirstOrDefault(m => m.Committed.Docs.ContainsKey(path));
            if (mod == null)
                throw new ProtocolError($"{path} is not a source file of the program");
            if (!byModule.TryGetValue(mod, out var d))
                byModule[mod] = d = new Dictionary<string, string>();
            d[path] = text;
        }
        var deltas = new JsonArray();
        var lineMaps = new JsonArray();
        var warnings = new JsonArray();
        var errors = new JsonArray();
        var rude = new JsonArray();
        var pendings = new List<(Module, State)>();
        foreach (var (mod, docs) in byModule)
        {
            var prev = mod.Committed;
            var changed = new Dictionary<string, SyntaxTree>();
            foreach (var (path, text) in docs)
            {
                var oldTree = prev.Docs[path];
                var userOld = Unsplice(oldTree, prev.Injected.Where(i => i.Path == path && !i.OwnTree).ToList());
                if (userOld == text)
                    continue;
                lineMaps.Add(new JsonObject { ["path"] = path, ["runs"] = LineRuns(userOld, text) });
                var spliced = Splice(text, oldTree, path, prev.Injected);
                var enc = oldTree.GetText().Encoding ?? new System.Text.UTF8Encoding(false);
                var st = SourceText.From(spliced, enc, SourceHashAlgorithm.Sha256);
                changed[path] = CSharpSyntaxTree.ParseText(st, mod.ParseOptions, path);
            }
            if (changed.Count == 0)
                continue;
            var r = Change(mod, prev, changed, errors, rude, warnings);
            if (r.delta != null)
            {
                deltas.Add(r.delta);
                pendings.Add((mod, r.next));
            }
        }
        if (errors.Count > 0)
            return new JsonObject { ["ok"] = false, ["error"] = "compile errors", ["diagnostics"] = errors };
        if (rude.Count > 0)
            return new JsonObject { ["ok"] = false, ["error"] = "rude edit", ["diagnostics"] = rude };
        foreach (var (m, s) in pendings)
            m.Pending = s;
        var reply = new JsonObject { ["ok"] = true, ["deltas"] = deltas, ["lineMaps"] = lineMaps };
        if (warnings.Count > 0)
            reply["diagnostics"] = warnings;
        return reply;
    }

    /// <summary>The user's text of a tree (without the injected members the helper spliced in).</summary>
    static string Unsplice(SyntaxTree tree, List<Injected> inj)
    {
        var s = tree.GetText().ToString();
        foreach (var i in inj)
        {
            var k = s.IndexOf(i.Text + " ", StringComparison.Ordinal);
            if (k >= 0)
                s = s.Remove(k, i.Text.Length + 1);
        }
        return s;
    }

    /// <summary>TEXT with the injected members of PATH put back into their types, each just
    /// before the type's closing brace on the same line (so that no line moves).</summary>
    static string Splice(string text, SyntaxTree oldTree, string path, List<Injected> injected)
    {
        var mine = injected.Where(i => i.Path == path && !i.OwnTree).ToList();
        if (mine.Count == 0)
            return text;
        var root = CSharpSyntaxTree.ParseText(text, (CSharpParseOptions)oldTree.Options).GetRoot();
        var inserts = new List<(int pos, string text)>();
        foreach (var i in mine)
        {
            var t = root.DescendantNodes(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax || n is TypeDeclarationSyntax)
                .OfType<TypeDeclarationSyntax>().FirstOrDefault(x => Keys.TypeKey(x) == i.TypeKey);
            if (t == null || t.CloseBraceToken.IsMissing)
                continue;
            inserts.Add((t.CloseBraceToken.SpanStart, i.Text + " "));
        }
        foreach (var (pos, s) in inserts.OrderByDescending(x => x.pos))
            text = text.Insert(pos, s);
        return text;
    }

    /// <summary>Compile the changed trees into a delta from PREV.</summary>
    (JsonObject delta, State next) Change(Module mod, State prev, Dictionary<string, SyntaxTree> changed, JsonArray errors, JsonArray rude, JsonArray warnings, HashSet<string> injectedNames = null, List<SemanticEdit> extraEdits = null, Func<Diagnostic, (string, int, int)> locate = null)
    {
        var src = prev.Source;
        var docs = new Dictionary<string, SyntaxTree>(prev.Docs);
        var newToOld = new Dictionary<SyntaxTree, SyntaxTree>();
        var pairs = new List<(SyntaxTree, SyntaxTree)>();
        foreach (var (path, tree) in changed)
        {
            var old = prev.Docs.TryGetValue(path, out var o) ? o : prev.Own.GetValueOrDefault(path);
            if (old != null)
            {
                src = src.ReplaceSyntaxTree(old, tree);
                newToOld[tree] = old;
                pairs.Add((old, tree));
            }
            else
            {
                src = src.AddSyntaxTrees(tree);
                pairs.Add((null, tree));
            }
            if (prev.Docs.ContainsKey(path))
                docs[path] = tree;
        }
        // Edits first (they need declarations only), then the compiler's errors in the changed
        // documents' declarations and in the code of the members that changed (binding a
        // whole large document would cost a second), then rude edits.
        var userPairs = pairs.ToList();
        var userMap = new Dictionary<SyntaxTree, SyntaxTree>(newToOld);
        CSharpCompilation comp;
        Dictionary<ISymbol, SemanticEdit> edits;
        HashSet<ISymbol> added;
        var found = new List<Diagnostic>();
        JsonArray rudeFound;
        for (int attempt = 0; ; attempt++)
        {
            comp = mod.RunGenerators(src);
            pairs = userPairs.ToList();
            newToOld = new Dictionary<SyntaxTree, SyntaxTree>(userMap);
            // generated documents: paired by path
            var oldGen = prev.Compilation.SyntaxTrees.Where(t => !prev.Source.ContainsSyntaxTree(t)).ToDictionary(t => t.FilePath);
            var generated = comp.SyntaxTrees.Where(t => !src.ContainsSyntaxTree(t)).ToHashSet();
            foreach (var t in generated)
            {
                if (oldGen.TryGetValue(t.FilePath, out var og))
                {
                    if (og == t || og.GetText().ContentEquals(t.GetText()))
                        continue;
                    newToOld[t] = og;
                    pairs.Add((og, t));
                }
                else
                    pairs.Add((null, t));
            }
            var mapper = new SyntaxMapper(newToOld);
            edits = new Dictionary<ISymbol, SemanticEdit>(SymbolEqualityComparer.Default);
            added = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            rudeFound = new JsonArray();
            var spans = new Dictionary<SyntaxTree, List<TextSpan>>();
            Analyze(prev.Compilation, comp, pairs, mapper, edits, added, rudeFound, injectedNames, generated, spans);

            found.Clear();
            foreach (var t in changed.Values)
            {
                var model = comp.GetSemanticModel(t);
                found.AddRange(model.GetDeclarationDiagnostics());
                if (spans.TryGetValue(t, out var ss))
                    foreach (var sp in ss)
                        found.AddRange(model.GetMethodBodyDiagnostics(sp));
            }
            found = found.Distinct().OrderBy(d => d.Location.SourceSpan.Start).ToList();
            var errs = found.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
            if (errs.Count > 0)
            {
                // a partial method without implementation: perhaps a source generator's job
                if (attempt == 0 && errs.Any(e => e.Id is "CS8795" or "CS0759" or "CS8796") && mod.Generators == null && mod.EnableGenerators())
                    continue;
                foreach (var d in errs)
                    errors.Add(DiagJson(d, locate));
                return (null, null);
            }
            break;
        }
        foreach (var d in found)
            if (d.Severity == DiagnosticSeverity.Warning && warnings.Count < 50)
                warnings.Add(DiagJson(d, locate));
        if (rudeFound.Count > 0)
        {
            foreach (var r in rudeFound)
                rude.Add(r.DeepClone());
            return (null, null);
        }
        if (extraEdits != null)
            foreach (var e in extraEdits)
            {
                edits[e.NewSymbol] = e;
                if (e.Kind == SemanticEditKind.Insert)
                    added.Add(e.NewSymbol);
            }
        if (edits.Count == 0)
            return (null, null);

        foreach (var e in edits.Values)
            Log.Write($"edit {e.Kind} {e.NewSymbol.ToDisplayString()}");
        var (res, md, il, pdb) = Emit(prev, comp, edits.Values, added);
        if (!res.Success)
        {
            foreach (var d in res.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error))
                errors.Add(DiagJson(d, locate));
            if (errors.Count == 0)
                errors.Add(new JsonObject { ["severity"] = "error", ["id"] = "ENC9999", ["message"] = "the compiler could not emit the change" });
            return (null, null);
        }
        var next = new State
        {
            Source = src,
            Compilation = comp,
            Baseline = res.Baseline,
            Docs = docs,
            Own = new Dictionary<string, SyntaxTree>(prev.Own),
            Injected = new List<Injected>(prev.Injected),
            InjectCounter = prev.InjectCounter,
        };
        foreach (var (path, tree) in changed)
            if (!docs.ContainsKey(path))
                next.Own[path] = tree;
        var delta = DeltaJson(mod, prev, res, md, il, pdb, next, out _);
        return (delta, next);
    }

    static Diag RudeAt(string id, SyntaxNode n, string msg)
    {
        var ls = n.SyntaxTree.GetLineSpan(n.Span);
        return new Diag(id, n.SyntaxTree.FilePath, ls.StartLinePosition.Line + 1, ls.StartLinePosition.Character + 1, msg);
    }

    static ISymbol Resolve(ISymbol newSym, Compilation oldComp)
    {
        if (newSym == null)
            return null;
        var id = DocumentationCommentId.CreateDeclarationId(newSym);
        if (id == null)
            return null;
        return DocumentationCommentId.GetFirstSymbolForDeclarationId(id, oldComp);
    }

    static bool InGenericType(ISymbol s)
    {
        for (var t = s as INamedTypeSymbol ?? s.ContainingType; t != null; t = t.ContainingType)
            if (t.IsGenericType)
                return true;
        return false;
    }

    /// <summary>The edits between each (old, new) pair of trees; rude edits into RUDE.</summary>
    static void Analyze(CSharpCompilation oldComp, CSharpCompilation newComp, List<(SyntaxTree old, SyntaxTree neu)> pairs, SyntaxMapper mapper,
                        Dictionary<ISymbol, SemanticEdit> edits, HashSet<ISymbol> added, JsonArray rude, HashSet<string> injectedNames, HashSet<SyntaxTree> generated,
                        Dictionary<SyntaxTree, List<TextSpan>> spans)
    {
        // the code that changed or was added, for the compiler's diagnostics
        void Changed(MemberInfo m)
        {
            var t = m.Node.SyntaxTree;
            if (!spans.TryGetValue(t, out var l))
                spans[t] = l = new List<TextSpan>();
            l.Add(m.CodeSpan);
        }
        static string NoLine(string s) => s == null ? null : s[(s.IndexOf(':') + 1)..];
        var ctorTypes = new HashSet<(INamedTypeSymbol, bool)>(); // types whose constructors re-run changed initializers
        Func<SyntaxNode, SyntaxNode> map = mapper.Map;
        void Rude(string id, SyntaxNode n, string msg) => rude.Add(DiagJson(RudeAt(id, n, msg)));

        foreach (var (oldTree, newTree) in pairs)
        {
            var oldM = oldTree != null ? Keys.Collect(oldTree) : new Dictionary<string, MemberInfo>();
            var newM = Keys.Collect(newTree);
            var oldModel = oldTree != null ? oldComp.GetSemanticModel(oldTree) : null;
            var newModel = newComp.GetSemanticModel(newTree);
            ISymbol NewSym(MemberInfo m) => Impl(m.Kind == "toplevel" ? newModel.GetDeclaredSymbol((CompilationUnitSyntax)m.Node) : newModel.GetDeclaredSymbol(m.Node));
            ISymbol OldSym(MemberInfo m) => Impl(m.Kind == "toplevel" ? oldModel.GetDeclaredSymbol((CompilationUnitSyntax)m.Node) : oldModel.GetDeclaredSymbol(m.Node));

            foreach (var (key, om) in oldM)
            {
                if (newM.ContainsKey(key) || key.Contains(Keys.InjectPrefix))
                    continue;
                if (om.Kind == "accessor" && !newM.ContainsKey(key[..key.LastIndexOf('.')]))
                    continue; // reported with its property
                var oldSym = OldSym(om);
                var name = oldSym?.Name;
                // moved to another document (another part of a partial type): an update, so
                // that its sequence points name the new place
                if (oldSym != null && om.Kind is "method" or "ctor" or "accessor" or "type" or "field" or "property" or "event"
                    && Resolve(oldSym, newComp) is ISymbol movedTo && movedTo.DeclaringSyntaxReferences.Any(r => r.SyntaxTree != newTree))
                {
                    movedTo = Impl(movedTo);
                    if (movedTo is IMethodSymbol && om.Body != null && movedTo != null)
                        edits[movedTo] = new SemanticEdit(SemanticEditKind.Update, oldSym, movedTo, null, null, default);
                    continue;
                }
                // the same name still there (another signature): a signature change
                var renamed = name != null && newM.Values.Any(n => n.Kind == om.Kind && n.TypeKey == om.TypeKey && !oldM.ContainsKey(n.Key) && NewSym(n)?.Name == name);
                var where = newM.TryGetValue(om.TypeKey != null ? "T:" + om.TypeKey : "", out var tm) ? tm.Node : newTree.GetRoot();
                // another name, the same parameters, in the same type: a rename
                var renamedTo = name == null ? null : newM.Values.FirstOrDefault(n => n.Kind == om.Kind && n.TypeKey == om.TypeKey && !oldM.ContainsKey(n.Key)
                    && n.Kind is "method" or "field" or "property" or "type" && ParamsOf(n.Key) == ParamsOf(om.Key) && NewSym(n)?.Name != name);
                if (!renamed && renamedTo != null)
                    Rude("ENC0009", renamedTo.Node, $"renaming {om.Display} (line {om.Node.GetLocation().GetLineSpan().StartLinePosition.Line + 1} before the edit) to {NewSym(renamedTo)?.Name} is not supported: the runtime cannot rename members or types");
                else if (renamed)
                    Rude("ENC0003", newM.Values.First(n => n.Kind == om.Kind && n.TypeKey == om.TypeKey && !oldM.ContainsKey(n.Key) && NewSym(n)?.Name == name).Node,
                         $"changing the signature of {om.Display} (line {om.Node.GetLocation().GetLineSpan().StartLinePosition.Line + 1} before the edit) is not supported: the runtime cannot change a method's signature");
                else if (om.Kind == "accessor")
                    Rude("ENC0007", where, $"deleting the {om.Display} accessor is not supported");
                else
                    Rude("ENC0002", where, $"deleting {om.Display} (line {om.Node.GetLocation().GetLineSpan().StartLinePosition.Line + 1} before the edit) is not supported: the runtime cannot remove members or types");
            }

            foreach (var (key, nm) in newM)
            {
                if (injectedNames == null && key.Contains(Keys.InjectPrefix))
                    continue;
                if (oldM.TryGetValue(key, out var om))
                {
                    if (om.Signature != nm.Signature)
                    {
                        if (nm.Kind == "type")
                            Rude("ENC0004", nm.Node, $"changing the declaration of {nm.Display} (modifiers, base types, type parameters, attributes{(nm.Node is EnumDeclarationSyntax ? ", enum members" : "")}) is not supported");
                        else
                            Rude("ENC0003", nm.Node, $"changing the signature, modifiers or attributes of {nm.Display} is not supported");
                        continue;
                    }
                    if (nm.Kind is "method" or "ctor" or "accessor" or "toplevel")
                    {
                        // generated code: only real changes (a line that moved in a generator's
                        // output is nobody's breakpoint, and updating such methods trips
                        // EmitDifference on the generators' synthesized members)
                        if (generated.Contains(newTree) ? NoLine(om.BodyText) != NoLine(nm.BodyText) : om.BodyText != nm.BodyText)
                        {
                            var ns = NewSym(nm);
                            var os = OldSym(om);
                            if (nm.Kind == "accessor" && ns is IPropertySymbol ps)
                            {
                                ns = ps.GetMethod;
                                os = (os as IPropertySymbol)?.GetMethod;
                            }
                            if (NoLine(om.BodyText) != NoLine(nm.BodyText))
                                Changed(nm);
                            if (ns == null || os == null)
                                continue;
                            edits[ns] = new SemanticEdit(SemanticEditKind.Update, os, ns, map, null, default);
                        }
                    }
                    else if (nm.HasInitializer || om.HasInitializer)
                    {
                        if (NoLine(om.InitText) != NoLine(nm.InitText))
                            Changed(nm);
                        if ((generated.Contains(newTree) ? NoLine(om.InitText) != NoLine(nm.InitText) : om.InitText != nm.InitText) && NewSym(nm)?.ContainingType is INamedTypeSymbol ct)
                            ctorTypes.Add((ct, nm.Static));
                    }
                    continue;
                }

                // an added member
                Changed(nm);
                if (nm.Kind == "accessor")
                {
                    var propKey = key[..key.LastIndexOf('.')];
                    if (oldM.ContainsKey(propKey))
                        Rude("ENC0007", nm.Node, $"adding the {nm.Display} accessor to an existing property is not supported");
                    continue;
                }
                if (nm.Kind == "toplevel")
                {
                    Rude("ENC0008", newTree.GetRoot(), "adding top-level statements to a file that had none is not supported");
                    continue;
                }
                var sym = NewSym(nm);
                if (sym == null)
                    continue;
                if (sym is IFieldSymbol { AssociatedSymbol: not null })
                    continue;
                if (Resolve(sym, oldComp) is ISymbol existing && !(nm.Kind == "ctor"))
                {
                    // declared in another part of a partial type, or moved between documents:
                    // its code is compiled from its new place
                    if (sym is IMethodSymbol && nm.Body != null && Impl(existing) is ISymbol oldImpl)
                        edits[sym] = new SemanticEdit(SemanticEditKind.Update, oldImpl, sym, null, null, default);
                    continue;
                }
                var container = sym.ContainingType;
                if (container != null && Resolve(container, oldComp) == null)
                    continue; // inside an added type: added with it
                if (nm.Kind == "ctor" && Resolve(sym, oldComp) is IMethodSymbol oldCtor)
                {
                    // an explicit constructor where the compiler had made one: an update of it
                    edits[sym] = new SemanticEdit(SemanticEditKind.Update, oldCtor, sym, map, null, default);
                    continue;
                }
                if (container != null && InGenericType(container))
                {
                    Rude("ENC0005", nm.Node, $"adding {nm.Display} to a generic type is not supported by the runtime");
                    continue;
                }
                if (container != null && container.TypeKind == TypeKind.Interface)
                {
                    Rude("ENC0005", nm.Node, $"adding {nm.Display} to an interface is not supported");
                    continue;
                }
                if (container != null && container.TypeKind == TypeKind.Enum)
                {
                    Rude("ENC0004", nm.Node, $"adding {nm.Display} to an enum is not supported");
                    continue;
                }
                bool instanceData = (sym is IFieldSymbol f && !f.IsStatic && !f.IsConst) || (sym is IPropertySymbol p0 && !p0.IsStatic && p0.GetMethod?.IsImplicitlyDeclared == false && IsAutoProperty(nm.Node));
                if (instanceData && container != null && (container.TypeKind == TypeKind.Struct || container.IsRecord && container.TypeKind == TypeKind.Struct))
                {
                    Rude("ENC0006", nm.Node, $"adding {nm.Display}: the runtime cannot change the layout of a struct");
                    continue;
                }
                if (sym is INamedTypeSymbol nt && nt.TypeKind == TypeKind.Struct && container != null && InGenericType(container))
                    continue;
                edits[sym] = new SemanticEdit(SemanticEditKind.Insert, null, sym, null, null, default);
                added.Add(sym);
                if (sym is IPropertySymbol prop)
                {
                    foreach (var acc in new[] { prop.GetMethod, prop.SetMethod })
                        if (acc != null)
                        {
                            edits[acc] = new SemanticEdit(SemanticEditKind.Insert, null, acc, null, null, default);
                            added.Add(acc);
                        }
                }
                if (sym is IEventSymbol ev)
                {
                    foreach (var acc in new[] { ev.AddMethod, ev.RemoveMethod })
                        if (acc != null)
                        {
                            edits[acc] = new SemanticEdit(SemanticEditKind.Insert, null, acc, null, null, default);
                            added.Add(acc);
                        }
                }
                if (nm.HasInitializer && container != null)
                    ctorTypes.Add((container, nm.Static));
            }
        }

        // changed or added initializers: the constructors that run them are updated
        foreach (var (type, isStatic) in ctorTypes)
        {
            var ctors = isStatic ? type.StaticConstructors : type.InstanceConstructors;
            foreach (var c in ctors)
            {
                if (!isStatic && c.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<ConstructorDeclarationSyntax>().Any(x => x.Initializer?.ThisOrBaseKeyword.IsKind(SyntaxKind.ThisKeyword) == true))
                    continue; // calls another constructor of the type, which runs the initializers
                if (edits.ContainsKey(c))
                    continue;
                var old = Resolve(c, oldComp);
                // a compiler-made static constructor that existed before: it has run already
                // and the runtime does not run it again; its update makes EmitDifference fail
                // (it cannot map the synthesized method), so the changed static initializers
                // only take effect in a new run
                if (isStatic && c.IsImplicitlyDeclared && old != null)
                    continue;
                if (old != null)
                    edits[c] = new SemanticEdit(SemanticEditKind.Update, old, c, map, null, default);
                else
                {
                    edits[c] = new SemanticEdit(SemanticEditKind.Insert, null, c, null, null, default);
                    added.Add(c);
                }
            }
        }
    }

    /// <summary>A partial member's implementation part (the one with code, which edits
    /// name); null for a definition without one (a compile error, or a generator's job).</summary>
    static ISymbol Impl(ISymbol s) => s switch
    {
        IMethodSymbol { PartialImplementationPart: IMethodSymbol impl } => impl,
        IMethodSymbol { IsPartialDefinition: true } => null,
        IPropertySymbol { PartialImplementationPart: IPropertySymbol impl } => impl,
        IPropertySymbol { IsPartialDefinition: true } => null,
        _ => s,
    };

    static string ParamsOf(string key)
    {
        var i = key.LastIndexOf('(');
        return i < 0 ? "" : key[i..];
    }

    static bool IsAutoProperty(SyntaxNode n) =>
        n is PropertyDeclarationSyntax p && p.ExpressionBody == null && p.AccessorList != null && p.AccessorList.Accessors.All(a => a.Body == null && a.ExpressionBody == null);
}
