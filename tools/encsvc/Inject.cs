// `inject`: code compiled as if written at a source position, as a new method of the type
// that contains that position (so that private members and `this` work), with the frame's
// locals and parameters as `ref` parameters (so that assignments stick). The method is added
// by an EnC delta; cordbg calls it by function evaluation.
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace CordbgEncSvc;

sealed partial class Service
{
    static readonly SymbolDisplayFormat TypeFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMiscellaneousOptions(SymbolDisplayFormat.FullyQualifiedFormat.MiscellaneousOptions | SymbolDisplayMiscellaneousOptions.UseSpecialTypes);

    static bool Nameable(ITypeSymbol t)
    {
        switch (t)
        {
            case null: return false;
            case IErrorTypeSymbol: return false;
            case IPointerTypeSymbol or IFunctionPointerTypeSymbol: return false;
            case IDynamicTypeSymbol: return true;
            case IArrayTypeSymbol a: return Nameable(a.ElementType);
            case ITypeParameterSymbol: return false; // a generic method's or type's: the injected method is not generic
            case INamedTypeSymbol n:
                if (n.IsAnonymousType || !n.CanBeReferencedByName && !n.IsTupleType)
                    return false;
                if (n.IsRefLikeType)
                    return false;
                if (n.IsTupleType)
                    return n.TupleElements.All(e => Nameable(e.Type));
                return n.TypeArguments.All(Nameable) && (n.ContainingType == null || Nameable(n.ContainingType));
            default: return false;
        }
    }

    static string Ident(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None || SyntaxFacts.GetContextualKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    JsonObject Inject(JsonObject req)
    {
        var path = Path.GetFullPath(Str(req, "path"));
        var modPath = Str(req, "module", false);
        var line = (int)Num(req, "line");
        var column = req["column"] != null ? (int)Num(req, "column") : 1;
        var kind = Str(req, "kind", false) ?? "expression";
        if (kind != "expression" && kind != "statements")
            throw new ProtocolError("\"kind\" must be \"expression\" or \"statements\"");
        var text = Str(req, "text").Trim();
        if (text.Length == 0)
            throw new ProtocolError("nothing to inject");
        Module mod = modPath != null ? modules.FirstOrDefault(m => m.Path == Path.GetFullPath(modPath)) : modules.FirstOrDefault(m => m.Committed.Docs.ContainsKey(path));
        if (mod == null)
            throw new ProtocolError(modPath != null ? $"module {modPath} is not open" : $"{path} is not a source file of an open module");
        foreach (var m in modules)
            m.Pending = null;
        var prev = mod.Committed;
        if (!prev.Docs.TryGetValue(path, out var tree))
            throw new ProtocolError($"{path} is not a source file of {Path.GetFileName(mod.Path)}");
        var src = tree.GetText();
        if (line < 1 || line > src.Lines.Count)
            throw new ProtocolError($"{Path.GetFileName(path)} has no line {line}");
        var tl = src.Lines[line - 1];
        var pos = Math.Min(tl.Start + Math.Max(column - 1, 0), tl.End);
        // at a statement's start (a sequence point's column): skip the indentation
        while (pos < tl.End && char.IsWhiteSpace(src[pos]))
            pos++;

        var model = prev.Compilation.GetSemanticModel(tree);
        var root = tree.GetRoot();
        var enclosing = model.GetEnclosingSymbol(pos);
        bool isStatic = false, inLambda = false;
        var member = enclosing;
        var enclosingFn = enclosing as IMethodSymbol;
        while (member is IMethodSymbol { MethodKind: MethodKind.LambdaMethod or MethodKind.LocalFunction } lm)
        {
            inLambda = true;
            if (lm.IsStatic)
                isStatic = true;
            member = lm.ContainingSymbol;
        }
        if (member == null || member is INamespaceSymbol)
            throw new ProtocolError($"line {line} of {Path.GetFileName(path)} is not inside a method");
        if (member.IsStatic)
            isStatic = true;
        var type = member as INamedTypeSymbol ?? member.ContainingType;
        // stopped in a lambda or local function: its frame's `this` is a closure object; the
        // user's object is there only if the function uses it (then as the frame's `this`
        // itself, or the closure's `<>4__this`): otherwise the injected method is static
        bool thisCaptured = false;
        if (inLambda && !isStatic)
        {
            var fn = root.FindToken(pos).Parent?.AncestorsAndSelf().FirstOrDefault(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax);
            if (fn != null)
            {
                thisCaptured = fn.DescendantNodes().Any(n => n is ThisExpressionSyntax or BaseExpressionSyntax
                    || n is SimpleNameSyntax sn && !(sn.Parent is MemberAccessExpressionSyntax ma && ma.Name == sn)
                       && model.GetSymbolInfo(sn).Symbol is ISymbol sym && !sym.IsStatic && sym.Kind is SymbolKind.Field or SymbolKind.Property or SymbolKind.Method or SymbolKind.Event
                       && sym.ContainingType != null && type != null && IsBaseOrSelf(type, sym.ContainingType));
                if (!thisCaptured)
                    isStatic = true;
            }
        }
        if (type == null)
            throw new ProtocolError($"line {line} of {Path.GetFileName(path)} is not inside a type");
        if (InGenericType(type))
            throw new ProtocolError($"cannot inject code into the generic type {type.ToDisplayString()}: the runtime cannot add methods to generic types");
        if (type.TypeKind == TypeKind.Interface)
            throw new ProtocolError($"cannot inject code into the interface {type.ToDisplayString()}");
        // (in a struct's instance method the injected method is an instance method too: its
        // `this` is by reference, which cordbg's function evaluation passes)

        // the frame's variables: locals declared before this point and parameters
        var captured = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        var memberBody = root.FindToken(pos).Parent?.AncestorsAndSelf().LastOrDefault(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax)
                         ?? (SyntaxNode)root;
        try
        {
            foreach (var anon in memberBody.DescendantNodes().Where(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            {
                var flow = anon switch
                {
                    AnonymousFunctionExpressionSyntax af when af.Body != null => model.AnalyzeDataFlow(af.Body),
                    LocalFunctionStatementSyntax lf when lf.Body != null => model.AnalyzeDataFlow(lf.Body),
                    LocalFunctionStatementSyntax lf when lf.ExpressionBody != null => model.AnalyzeDataFlow(lf.ExpressionBody.Expression),
                    _ => null,
                };
                if (flow != null && flow.Succeeded)
                    foreach (var c in flow.CapturedInside)
                        captured.Add(c);
            }
        }
        catch (Exception e)
        {
            Log.Write("captured-variable analysis failed: " + e.Message);
        }
        // in a lambda or local function the frame holds its own parameters and locals, and of
        // the enclosing ones only those it uses (in its closure)
        var fnNode = inLambda ? root.FindToken(pos).Parent?.AncestorsAndSelf().FirstOrDefault(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax) : null;
        HashSet<ISymbol> usedInFn = null;
        if (fnNode != null)
        {
            try
            {
                SyntaxNode fbody = fnNode switch
                {
                    AnonymousFunctionExpressionSyntax af => af.Body,
                    LocalFunctionStatementSyntax lf => (SyntaxNode)lf.Body ?? lf.ExpressionBody?.Expression,
                    _ => null,
                };
                var flow = fbody is ExpressionSyntax fe ? model.AnalyzeDataFlow(fe) : fbody is StatementSyntax fs ? model.AnalyzeDataFlow(fs) : null;
                if (flow != null && flow.Succeeded)
                    usedInFn = flow.ReadInside.Concat(flow.WrittenInside).ToHashSet(SymbolEqualityComparer.Default);
            }
            catch (Exception e)
            {
                Log.Write("lambda data flow failed: " + e.Message);
            }
        }
        var vars = new List<(ISymbol sym, ITypeSymbol type)>();
        var skipped = new List<string>();
        var seen = new HashSet<string>();
        foreach (var s in model.LookupSymbols(pos))
        {
            ITypeSymbol t;
            if (s is ILocalSymbol l)
            {
                if (l.IsConst)
                    continue;
                var decl = l.DeclaringSyntaxReferences.FirstOrDefault();
                if (decl == null || decl.SyntaxTree != tree || decl.Span.Start >= pos)
                    continue; // declared later in the block: not yet in the frame's view
                if (l.RefKind != RefKind.None)
                {
                    skipped.Add(l.Name + " (ref local)");
                    continue;
                }
                t = l.Type;
            }
            else if (s is IParameterSymbol p)
            {
                if (p.IsThis)
                    continue;
                t = p.Type;
                if (p.RefKind is RefKind.In or RefKind.RefReadOnlyParameter)
                {
                    skipped.Add(p.Name + " (in parameter)");
                    continue;
                }
            }
            else
                continue;
            if (!seen.Add(s.Name))
                continue;
            if (fnNode != null && usedInFn != null && !fnNode.Span.Contains(s.Locations.FirstOrDefault()?.SourceSpan ?? default) && !usedInFn.Contains(s))
            {
                skipped.Add(s.Name + " (not used by the lambda or local function: not in its frame)");
                continue;
            }
            if (!Nameable(t))
            {
                skipped.Add(s.Name + (t?.IsRefLikeType == true ? " (ref struct)" : " (type cannot be named)"));
                continue;
            }
            vars.Add((s, t));
        }
        // declaration order, so that the parameters read naturally
        vars.Sort((a, b) => (a.sym.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0).CompareTo(b.sym.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0));

        var n = prev.InjectCounter + 1;
        var name = Keys.InjectPrefix + n;
        // ref parameters cannot be used in lambdas or queries: each is copied into a local of
        // the variable's own name, and copied back when the code is done (also on a throw)
        var plist = string.Join(", ", vars.Select((v, i) => "ref " + v.type.ToDisplayString(TypeFormat) + " __cordbg_ref" + i));
        var copyIn = string.Concat(vars.Select((v, i) => v.type.ToDisplayString(TypeFormat) + " " + Ident(v.sym.Name) + " = __cordbg_ref" + i + "; "));
        var copyOut = string.Concat(vars.Select((v, i) => "__cordbg_ref" + i + " = " + Ident(v.sym.Name) + "; "));
        var mods = "private " + (isStatic ? "static " : "");
        if (type.TypeKind == TypeKind.Struct && !isStatic)
            mods = "private ";
        string code = text;
        if (kind == "expression")
            code = code.TrimEnd(';', ' ', '\t', '\r', '\n');
        else if (!code.EndsWith(";") && !code.EndsWith("}"))
            code += ";";

        // the type declaration that receives the method (the innermost one at the position),
        // or for top-level statements a part of Program of the helper's own
        var typeDecl = root.FindToken(pos).Parent?.AncestorsAndSelf().OfType<TypeDeclarationSyntax>().FirstOrDefault();
        bool own = typeDecl == null || !SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(typeDecl), type);
        if (own && !(type.Name == "Program" && member.Name == "<Main>$"))
        {
            // a type with several parts: the part that holds the position did not match
            typeDecl = type.DeclaringSyntaxReferences.Select(r => r.GetSyntax()).OfType<TypeDeclarationSyntax>().FirstOrDefault(d => d.SyntaxTree == tree);
            own = typeDecl == null;
            if (own)
                throw new ProtocolError($"cannot find the declaration of {type.ToDisplayString()} in {Path.GetFileName(path)}");
        }
        if (!own && typeDecl.CloseBraceToken.IsMissing)
            throw new ProtocolError($"cannot inject into {type.ToDisplayString()}: its declaration has no body");

        string Method(string ret, string bodyText) => vars.Count == 0 ? $"{mods}{ret} {name}() {{ {bodyText} }}"
            : $"{mods}{ret} {name}({plist}) {{ {copyIn}try {{ {bodyText} }} finally {{ {copyOut}}} }}";
        string ownPath = path + ".cordbg-inject-" + n + ".cs";

        // builds the tree with METHOD in it: (path, tree, offset of the user's code in it)
        (string, SyntaxTree, int) Place(string method, string codeText)
        {
            var codeAt = method.IndexOf(codeText, method.IndexOf(") { ", StringComparison.Ordinal), StringComparison.Ordinal);
            if (own)
            {
                var header = "partial class Program { ";
                var t = CSharpSyntaxTree.ParseText(SourceText.From(header + method + " }\n", new UTF8Encoding(false), SourceHashAlgorithm.Sha256), mod.ParseOptions, ownPath);
                return (ownPath, t, header.Length + codeAt);
            }
            var at = typeDecl.CloseBraceToken.SpanStart;
            var s = src.ToString();
            var newText = s.Insert(at, method + " ");
            var nt = CSharpSyntaxTree.ParseText(SourceText.From(newText, src.Encoding ?? new UTF8Encoding(false), SourceHashAlgorithm.Sha256), mod.ParseOptions, path);
            return (path, nt, at + codeAt);
        }

        // The code is compiled in the context of its file; when that fails for want of the
        // usual namespaces (a project without implicit usings: LINQ in a debugger is expected
        // to work), once more with global usings of System, System.Linq and
        // System.Collections.Generic in a tree of the helper's own, kept from then on.
        string ret = null, methodText = null, tpath = null;
        ITypeSymbol retType = null;
        JsonArray errors = null, rude = null, warnings = null, firstErrors = null;
        JsonObject delta = null;
        State next = null;
        var usingsPath = Path.Combine(Path.GetDirectoryName(mod.Project) ?? "/", "obj", "cordbg-inject-usings.cs");
        for (int attempt = 0; attempt < 2; attempt++)
        {
            var basis = prev;
            if (attempt == 1)
            {
                var missingName = firstErrors.Any(e => (string)e["id"] is "CS1061" or "CS0103" or "CS0246" or "CS1935" or "CS1929" or "CS1503");
                if (!missingName || prev.Own.ContainsKey(usingsPath))
                    break;
                var u = CSharpSyntaxTree.ParseText(SourceText.From("global using global::System;\nglobal using global::System.Linq;\nglobal using global::System.Collections.Generic;\n", new UTF8Encoding(false), SourceHashAlgorithm.Sha256), mod.ParseOptions, usingsPath);
                basis = new State
                {
                    Source = prev.Source.AddSyntaxTrees(u), Compilation = prev.Compilation.AddSyntaxTrees(u), Baseline = prev.Baseline,
                    Docs = prev.Docs, Own = new Dictionary<string, SyntaxTree>(prev.Own) { [usingsPath] = u }, Injected = prev.Injected,
                    MethodRows = prev.MethodRows, DeltaMetadata = prev.DeltaMetadata, InjectCounter = prev.InjectCounter,
                };
            }
            // the value's type: a first pass with `object` as the return type
            ret = "void";
            retType = null;
            string bodyText;
            if (kind == "expression")
            {
                var probe = Method("object", "return (" + code + ");");
                var (pp, pt, pAt) = Place(probe, code);
                var probeComp = own ? basis.Source.AddSyntaxTrees(pt) : basis.Source.ReplaceSyntaxTree(tree, pt);
                probeComp = mod.RunGenerators(probeComp);
                var pm = probeComp.GetSemanticModel(pt);
                var ret0 = pt.GetRoot().DescendantNodes().OfType<MethodDeclarationSyntax>().First(m => m.Identifier.ValueText == name)
                    .DescendantNodes().OfType<ReturnStatementSyntax>().FirstOrDefault();
                var expr = (ret0?.Expression as ParenthesizedExpressionSyntax)?.Expression;
                var ti = expr != null ? pm.GetTypeInfo(expr) : default;
                retType = ti.Type;
                if (retType != null && retType.SpecialType == SpecialType.System_Void)
                {
                    retType = null;
                    bodyText = code + ";";
                }
                else
                {
                    if (retType != null && retType.IsRefLikeType)
                        throw new ProtocolError($"the value of the expression is a ref struct ({retType.ToDisplayString()}): it cannot be returned to the debugger");
                    ret = retType == null || !Nameable(retType) ? "object" : retType.ToDisplayString(TypeFormat);
                    if (retType == null || !Nameable(retType))
                        retType = probeComp.GetSpecialType(SpecialType.System_Object);
                    bodyText = "return (" + code + ");";
                }
            }
            else
                bodyText = code;

            methodText = Method(ret, bodyText);
            (tpath, var ntree, var userAt) = Place(methodText, code);
            var codeLen = code.Length;
            (string, int, int) Locate(Diagnostic d)
            {
                var sp = d.Location.SourceSpan;
                if (d.Location.IsInSource && d.Location.SourceTree?.FilePath == tpath && sp.Start >= userAt && sp.Start <= userAt + codeLen)
                {
                    // a position in the injected text: line and column within it
                    var before = code.Substring(0, sp.Start - userAt);
                    var l = before.Count(c => c == '\n') + 1;
                    var c0 = before.Length - (before.LastIndexOf('\n') + 1) + 1;
                    return ("<inject>", l, c0);
                }
                var ls = d.Location.GetLineSpan();
                return (ls.Path, ls.StartLinePosition.Line + 1, ls.StartLinePosition.Character + 1);
            }

            errors = new JsonArray();
            rude = new JsonArray();
            warnings = new JsonArray();
            var changed = new Dictionary<string, SyntaxTree> { [tpath] = ntree };
            (delta, next) = Change(mod, basis, changed, errors, rude, warnings, new HashSet<string> { name }, null, Locate);
            if (errors.Count == 0 || attempt == 1)
                break;
            firstErrors = errors;
        }
        if (firstErrors != null && errors.Count > 0)
            errors = firstErrors;
        if (errors.Count > 0)
            return new JsonObject { ["ok"] = false, ["error"] = "compile errors", ["diagnostics"] = errors };
        if (rude.Count > 0)
            return new JsonObject { ["ok"] = false, ["error"] = "rude edit", ["diagnostics"] = rude };
        if (delta == null)
            throw new ProtocolError("the injected code produced no change");
        next.InjectCounter = n;
        next.Injected.Add(new Injected(tpath, own ? "Program" : Keys.TypeKey(typeDecl), methodText, own));
        var token = FindAdded(mod, next, name);
        if (token == 0)
            throw new ProtocolError("internal error: the injected method is not in the delta");
        mod.Pending = next;
        var ps = new JsonArray();
        foreach (var (sym, t) in vars)
            ps.Add(new JsonObject
            {
                ["name"] = sym.Name,
                ["byRef"] = true,
                ["type"] = t.ToDisplayString(),
                ["kind"] = sym is IParameterSymbol ? "parameter" : "local",
                ["captured"] = captured.Contains(sym),
            });
        var reply = new JsonObject
        {
            ["ok"] = true,
            ["deltas"] = new JsonArray(delta),
            ["method"] = token,
            ["name"] = name,
            ["type"] = type.ToDisplayString(),
            ["isStatic"] = isStatic,
            ["inLambda"] = inLambda,
            ["thisCaptured"] = thisCaptured,
            // an async method or iterator: its locals and `this` are fields of the state machine
            ["inStateMachine"] = (inLambda ? enclosingFn : member) is IMethodSymbol sm && (sm.IsAsync || sm.DeclaringSyntaxReferences.Any(r => r.GetSyntax().DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax) || n == r.GetSyntax()).OfType<YieldStatementSyntax>().Any())),
            ["parameters"] = ps,
            ["returnType"] = retType == null ? null : retType.ToDisplayString(),
        };
        if (skipped.Count > 0)
            reply["skipped"] = new JsonArray(skipped.Select(s => (JsonNode)s).ToArray());
        if (warnings.Count > 0)
            reply["diagnostics"] = warnings;
        return reply;
    }

    static bool IsBaseOrSelf(INamedTypeSymbol t, INamedTypeSymbol of)
    {
        for (var x = t; x != null; x = x.BaseType)
            if (SymbolEqualityComparer.Default.Equals(x.OriginalDefinition, of.OriginalDefinition))
                return true;
        return false;
    }

    /// <summary>The MethodDef token of the method NAME added by the last delta of STATE.</summary>
    static int FindAdded(Module mod, State state, string name)
    {
        var readers = state.DeltaMetadata.Select(b => MetadataReaderProvider.FromMetadataImage(ImmutableArray.Create(b)).GetMetadataReader()).ToList();
        var agg = new MetadataAggregator(mod.BaseReader, readers);
        MetadataReader R(int g) => g == 0 ? mod.BaseReader : readers[g - 1];
        var last = readers[^1];
        foreach (var h in last.GetEditAndContinueMapEntries())
        {
            if (h.Kind != HandleKind.MethodDefinition)
                continue;
            var gh = agg.GetGenerationHandle(h, out var gen);
            var def = R(gen).GetMethodDefinition((MethodDefinitionHandle)gh);
            var nh = agg.GetGenerationHandle(def.Name, out var g2);
            if (R(g2).GetString((StringHandle)nh) == name)
                return MetadataTokens.GetToken(h);
        }
        return 0;
    }
}
