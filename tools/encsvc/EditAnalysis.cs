// The helper's own edit analysis (Roslyn's EnC analyzer is internal to the Features layer):
// pairs the members of an old and a new syntax tree by a key (containing types, kind, name,
// parameter types), and turns the differences into SemanticEdits for EmitDifference, or into
// rude edits that the runtime cannot apply. Local variables, lambdas and state machine
// points are kept by a syntax map that pairs nodes of a member's old and new body by kind,
// name and ordinal.
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace CordbgEncSvc;

sealed record Diag(string Id, string Path, int Line, int Column, string Message);

/// <summary>A member of a tree as the analysis sees it.</summary>
sealed class MemberInfo
{
    public string Key;          // unique in its document
    public string Kind;         // "method", "ctor", "accessor", "field", "type", "toplevel", "property", "event"
    public string Display;      // for messages: "method Calc.Compute(int)"
    public SyntaxNode Node;     // the node GetDeclaredSymbol takes
    public string Signature;    // whitespace-normalized header text: a difference is a rude edit
    public SyntaxNode Body;     // the code (null: none)
    public string BodyText;     // the body's text with its line (sequence points follow both)
    public string TypeKey;      // the containing type's key (null: none)
    public bool Static;
    public bool HasInitializer; // field/property with an initializer
    public string InitText;
    public SyntaxNode TypeDecl; // for a type: its declaration
    TextSpan? codeSpan;
    public TextSpan CodeSpan { get => codeSpan ?? Node.Span; set => codeSpan = value; }
}

static class Keys
{
    public const string InjectPrefix = "__cordbg_inject_";

    static string Norm(SyntaxNode n) => n == null ? "" : Norm(n.ToString());
    static string Norm(string s)
    {
        var sb = new StringBuilder(s.Length);
        bool space = false;
        foreach (var c in s)
        {
            if (char.IsWhiteSpace(c)) { space = true; continue; }
            if (space && sb.Length > 0) sb.Append(' ');
            space = false;
            sb.Append(c);
        }
        return sb.ToString();
    }

    /// <summary>Parameters without their names: attributes, modifiers, types, defaults.</summary>
    static string ParamSig(BaseParameterListSyntax p) =>
        p == null ? "" : string.Join(",", p.Parameters.Select(x => Norm(x.AttributeLists.ToString() + " " + x.Modifiers.ToString() + " " + x.Type + (x.Default != null ? " " + x.Default : ""))));

    public static string ParamTypes(BaseParameterListSyntax p) =>
        p == null ? "" : string.Join(",", p.Parameters.Select(x => Norm(x.Modifiers.ToString() + " " + x.Type)));

    /// <summary>The key of a type declaration (namespaces, containing types, name, arity).</summary>
    public static string TypeKey(SyntaxNode t)
    {
        var parts = new List<string>();
        for (var n = t; n != null; n = n.Parent)
        {
            switch (n)
            {
                case BaseTypeDeclarationSyntax bt:
                    var arity = bt is TypeDeclarationSyntax td && td.TypeParameterList != null ? "`" + td.TypeParameterList.Parameters.Count : "";
                    parts.Add(bt.Identifier.ValueText + arity);
                    break;
                case DelegateDeclarationSyntax dd:
                    parts.Add(dd.Identifier.ValueText);
                    break;
                case BaseNamespaceDeclarationSyntax ns:
                    parts.Add(Norm(ns.Name));
                    break;
            }
        }
        parts.Reverse();
        return string.Join(".", parts);
    }

    /// <summary>The member a node belongs to for the syntax map: nearest member declaration
    /// (not a global statement) or the compilation unit (top-level statements).</summary>
    public static SyntaxNode MapRoot(SyntaxNode n)
    {
        for (; n != null; n = n.Parent)
        {
            if (n is MemberDeclarationSyntax && n is not GlobalStatementSyntax)
                return n;
            if (n is CompilationUnitSyntax)
                return n;
        }
        return null;
    }

    public static string MapKey(SyntaxNode m) => m switch
    {
        CompilationUnitSyntax => "<toplevel>",
        BaseTypeDeclarationSyntax t => "T:" + TypeKey(t),
        MethodDeclarationSyntax x => TypeKey(x.Parent) + "|M:" + x.Identifier.ValueText + "`" + (x.TypeParameterList?.Parameters.Count ?? 0) + "(" + ParamTypes(x.ParameterList) + ")",
        ConstructorDeclarationSyntax x => TypeKey(x.Parent) + "|C:" + (x.Modifiers.Any(SyntaxKind.StaticKeyword) ? "static" : "") + "(" + ParamTypes(x.ParameterList) + ")",
        DestructorDeclarationSyntax x => TypeKey(x.Parent) + "|D:",
        OperatorDeclarationSyntax x => TypeKey(x.Parent) + "|O:" + x.OperatorToken.Text + "(" + ParamTypes(x.ParameterList) + ")",
        ConversionOperatorDeclarationSyntax x => TypeKey(x.Parent) + "|CO:" + x.ImplicitOrExplicitKeyword.Text + Norm(x.Type) + "(" + ParamTypes(x.ParameterList) + ")",
        PropertyDeclarationSyntax x => TypeKey(x.Parent) + "|P:" + Norm(x.ExplicitInterfaceSpecifier) + x.Identifier.ValueText,
        IndexerDeclarationSyntax x => TypeKey(x.Parent) + "|I:" + Norm(x.ExplicitInterfaceSpecifier) + "(" + ParamTypes(x.ParameterList) + ")",
        EventDeclarationSyntax x => TypeKey(x.Parent) + "|E:" + x.Identifier.ValueText,
        BaseFieldDeclarationSyntax x => TypeKey(x.Parent) + "|F:" + string.Join(",", x.Declaration.Variables.Select(v => v.Identifier.ValueText)),
        DelegateDeclarationSyntax x => "T:" + TypeKey(x),
        _ => m.Kind() + ":" + m.SpanStart,
    };

    static bool IsStatic(SyntaxTokenList mods) => mods.Any(SyntaxKind.StaticKeyword) || mods.Any(SyntaxKind.ConstKeyword);

    static string Attrs(SyntaxList<AttributeListSyntax> a) => Norm(a.ToString());

    static string BodyText(SyntaxNode body)
    {
        if (body == null)
            return null;
        var line = body.SyntaxTree.GetLineSpan(body.Span).StartLinePosition.Line;
        return line + ":" + body.ToString();
    }

    /// <summary>Every member of a tree with its key.</summary>
    public static Dictionary<string, MemberInfo> Collect(SyntaxTree tree)
    {
        var d = new Dictionary<string, MemberInfo>();
        var root = (CompilationUnitSyntax)tree.GetRoot();
        var globals = root.Members.OfType<GlobalStatementSyntax>().ToList();
        if (globals.Count > 0)
        {
            // the body of the synthesized entry point: from the first to the last global statement
            var span = TextSpan.FromBounds(globals[0].SpanStart, globals[^1].Span.End);
            var line = tree.GetLineSpan(span).StartLinePosition.Line;
            d["<toplevel>"] = new MemberInfo
            {
                Key = "<toplevel>", Kind = "toplevel", Display = "the top-level statements", Node = root, Signature = "",
                Body = root, BodyText = line + ":" + tree.GetText().ToString(span), Static = true, CodeSpan = span,
            };
        }
        foreach (var m in root.Members)
            CollectMember(m, d);
        return d;
    }

    static void Add(Dictionary<string, MemberInfo> d, MemberInfo m)
    {
        // duplicates are compile errors; the first wins and the compiler reports them
        d.TryAdd(m.Key, m);
    }

    static void CollectMember(MemberDeclarationSyntax m, Dictionary<string, MemberInfo> d)
    {
        switch (m)
        {
            case BaseNamespaceDeclarationSyntax ns:
                foreach (var x in ns.Members)
                    CollectMember(x, d);
                break;
            case BaseTypeDeclarationSyntax t:
            {
                var key = "T:" + TypeKey(t);
                var sig = new StringBuilder();
                // (`partial` is no part of the type: its parts may come and go)
                sig.Append(t.Kind()).Append('|').Append(Attrs(t.AttributeLists)).Append('|').Append(Norm(string.Join(" ", t.Modifiers.Where(m => !m.IsKind(SyntaxKind.PartialKeyword)))));
                sig.Append('|').Append(Norm(t.BaseList));
                if (t is TypeDeclarationSyntax td)
                    sig.Append('|').Append(Norm(td.TypeParameterList)).Append('|').Append(Norm(td.ConstraintClauses.ToString())).Append('|').Append(Norm(td.ParameterList));
                if (t is EnumDeclarationSyntax en)
                    sig.Append('|').Append(Norm(string.Join(",", en.Members.Select(x => x.ToString()))));
                // a partial type's parts are one type: the first part of each document stands for it
                Add(d, new MemberInfo { Key = key, Kind = "type", Display = TypeDisplay(t), Node = t, Signature = sig.ToString(), TypeDecl = t, TypeKey = ParentTypeKey(t) });
                if (t is TypeDeclarationSyntax tds)
                    foreach (var x in tds.Members)
                        CollectMember(x, d);
                break;
            }
            case DelegateDeclarationSyntax dd:
                Add(d, new MemberInfo { Key = "T:" + TypeKey(dd), Kind = "type", Display = "delegate " + dd.Identifier.ValueText, Node = dd, Signature = Norm(dd), TypeDecl = dd, TypeKey = ParentTypeKey(dd) });
                break;
            case MethodDeclarationSyntax x:
            {
                var body = (SyntaxNode)x.Body ?? x.ExpressionBody;
                var sig = Attrs(x.AttributeLists) + "|" + Norm(x.Modifiers.ToString()) + "|" + Norm(x.ReturnType) + "|" + Norm(x.ExplicitInterfaceSpecifier) + "|" + Norm(x.TypeParameterList) + "|" + ParamSig(x.ParameterList) + "|" + Norm(x.ConstraintClauses.ToString());
                // a parameter renamed: an update (the runtime's UpdateParameters)
                var names = string.Join(",", x.ParameterList.Parameters.Select(q => q.Identifier.ValueText));
                Add(d, new MemberInfo { Key = MapKey(x), Kind = "method", Display = $"method {TypeName(x.Parent)}.{x.Identifier.ValueText}({ParamTypes(x.ParameterList)})", Node = x, Signature = sig, Body = body, BodyText = BodyText(body) + "|" + names, TypeKey = TypeKey(x.Parent), Static = IsStatic(x.Modifiers) });
                break;
            }
            case ConstructorDeclarationSyntax x:
            {
                var body = (SyntaxNode)x.Body ?? x.ExpressionBody;
                var text = (x.Initializer != null ? BodyText(x.Initializer) : "") + "|" + BodyText(body);
                Add(d, new MemberInfo { Key = MapKey(x), Kind = "ctor", Display = $"constructor {TypeName(x.Parent)}({ParamTypes(x.ParameterList)})", Node = x, Signature = Attrs(x.AttributeLists) + "|" + Norm(x.Modifiers.ToString()) + "|" + Norm(x.ParameterList), Body = x, BodyText = text, TypeKey = TypeKey(x.Parent), Static = IsStatic(x.Modifiers) });
                break;
            }
            case DestructorDeclarationSyntax x:
            {
                var body = (SyntaxNode)x.Body ?? x.ExpressionBody;
                Add(d, new MemberInfo { Key = MapKey(x), Kind = "method", Display = $"finalizer of {TypeName(x.Parent)}", Node = x, Signature = Attrs(x.AttributeLists), Body = body, BodyText = BodyText(body), TypeKey = TypeKey(x.Parent) });
                break;
            }
            case OperatorDeclarationSyntax or ConversionOperatorDeclarationSyntax:
            {
                var x = (BaseMethodDeclarationSyntax)m;
                var body = (SyntaxNode)x.Body ?? x.ExpressionBody;
                var ret = m is OperatorDeclarationSyntax o ? Norm(o.ReturnType) : Norm(((ConversionOperatorDeclarationSyntax)m).Type);
                Add(d, new MemberInfo { Key = MapKey(x), Kind = "method", Display = $"operator of {TypeName(x.Parent)} ({ParamTypes(x.ParameterList)})", Node = x, Signature = Attrs(x.AttributeLists) + "|" + Norm(x.Modifiers.ToString()) + "|" + ret + "|" + Norm(x.ParameterList), Body = body, BodyText = BodyText(body), TypeKey = TypeKey(x.Parent), Static = true });
                break;
            }
            case BasePropertyDeclarationSyntax p:
            {
                var key = MapKey(p);
                var name = p switch { PropertyDeclarationSyntax pp => pp.Identifier.ValueText, IndexerDeclarationSyntax ix => "this[" + ParamTypes(ix.ParameterList) + "]", EventDeclarationSyntax ev => ev.Identifier.ValueText, _ => "?" };
                var what = p is EventDeclarationSyntax ? "event" : "property";
                var accessorsSig = p.AccessorList == null ? "get" : string.Join(",", p.AccessorList.Accessors.Select(a => Norm(a.Modifiers.ToString()) + " " + a.Keyword.Text + (a.Body == null && a.ExpressionBody == null ? ";" : "{}")));
                var extra = p is IndexerDeclarationSyntax ixs ? Norm(ixs.ParameterList) : "";
                var info = new MemberInfo { Key = key, Kind = "property", Display = $"{what} {TypeName(p.Parent)}.{name}", Node = p, Signature = Attrs(p.AttributeLists) + "|" + Norm(p.Modifiers.ToString()) + "|" + Norm(p.Type) + "|" + extra + "|" + accessorsSig, TypeKey = TypeKey(p.Parent), Static = IsStatic(p.Modifiers) };
                if (p is PropertyDeclarationSyntax pd && pd.Initializer != null)
                {
                    info.HasInitializer = true;
                    info.InitText = BodyText(pd.Initializer);
                }
                Add(d, info);
                var arrow = p switch { PropertyDeclarationSyntax pp => pp.ExpressionBody, IndexerDeclarationSyntax ix => ix.ExpressionBody, _ => null };
                if (arrow != null)
                    Add(d, new MemberInfo { Key = key + ".get", Kind = "accessor", Display = $"{what} {TypeName(p.Parent)}.{name} getter", Node = p, Signature = "", Body = arrow, BodyText = BodyText(arrow), TypeKey = TypeKey(p.Parent), Static = info.Static });
                if (p.AccessorList != null)
                    foreach (var a in p.AccessorList.Accessors)
                    {
                        var body = (SyntaxNode)a.Body ?? a.ExpressionBody;
                        if (body == null)
                            continue; // auto-accessor: no code of its own
                        Add(d, new MemberInfo { Key = key + "." + a.Keyword.Text, Kind = "accessor", Display = $"{what} {TypeName(p.Parent)}.{name} {a.Keyword.Text}", Node = a, Signature = Attrs(a.AttributeLists), Body = body, BodyText = BodyText(body), TypeKey = TypeKey(p.Parent), Static = info.Static });
                    }
                break;
            }
            case BaseFieldDeclarationSyntax f:
                foreach (var v in f.Declaration.Variables)
                {
                    var info = new MemberInfo
                    {
                        Key = TypeKey(f.Parent) + "|F:" + v.Identifier.ValueText, Kind = f is EventFieldDeclarationSyntax ? "event" : "field",
                        Display = $"{(f is EventFieldDeclarationSyntax ? "event" : "field")} {TypeName(f.Parent)}.{v.Identifier.ValueText}", Node = v,
                        Signature = Attrs(f.AttributeLists) + "|" + Norm(f.Modifiers.ToString()) + "|" + Norm(f.Declaration.Type) + (f.Modifiers.Any(SyntaxKind.ConstKeyword) ? "=" + Norm(v.Initializer) : ""),
                        TypeKey = TypeKey(f.Parent), Static = IsStatic(f.Modifiers),
                    };
                    if (v.Initializer != null && !f.Modifiers.Any(SyntaxKind.ConstKeyword))
                    {
                        info.HasInitializer = true;
                        info.InitText = BodyText(v.Initializer);
                    }
                    Add(d, info);
                }
                break;
        }
    }

    static string ParentTypeKey(SyntaxNode t) => t.Parent is BaseTypeDeclarationSyntax ? TypeKey(t.Parent) : null;

    static string TypeName(SyntaxNode t) => t is BaseTypeDeclarationSyntax bt ? bt.Identifier.ValueText : "?";

    static string TypeDisplay(BaseTypeDeclarationSyntax t)
    {
        var kw = t switch { ClassDeclarationSyntax => "class", StructDeclarationSyntax => "struct", InterfaceDeclarationSyntax => "interface", EnumDeclarationSyntax => "enum", RecordDeclarationSyntax r => r.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) ? "record struct" : "record", _ => "type" };
        return kw + " " + TypeKey(t);
    }

    public static string NodeName(SyntaxNode n) => n switch
    {
        VariableDeclaratorSyntax v => v.Identifier.ValueText,
        SingleVariableDesignationSyntax s => s.Identifier.ValueText,
        ForEachStatementSyntax f => f.Identifier.ValueText,
        CatchDeclarationSyntax c => c.Identifier.ValueText,
        LocalFunctionStatementSyntax l => l.Identifier.ValueText,
        ParameterSyntax p => p.Identifier.ValueText,
        FromClauseSyntax q => q.Identifier.ValueText,
        LetClauseSyntax q => q.Identifier.ValueText,
        JoinClauseSyntax q => q.Identifier.ValueText,
        QueryContinuationSyntax q => q.Identifier.ValueText,
        _ => "",
    };
}

/// <summary>new node → old node for the members of one pair of compilations.</summary>
sealed class SyntaxMapper
{
    readonly Dictionary<SyntaxTree, Dictionary<string, SyntaxNode>> oldRootsByTree = new();
    readonly Dictionary<SyntaxTree, SyntaxTree> newToOld;
    readonly Dictionary<SyntaxNode, Dictionary<(int, string, int), SyntaxNode>> oldIndex = new();
    readonly Dictionary<SyntaxNode, Dictionary<SyntaxNode, (int, string, int)>> newIndex = new();

    public SyntaxMapper(Dictionary<SyntaxTree, SyntaxTree> newToOldTrees) { newToOld = newToOldTrees; }

    static IEnumerable<SyntaxNode> Nodes(SyntaxNode root) =>
        root.DescendantNodesAndSelf(n => n == root || !(n is MemberDeclarationSyntax && n is not GlobalStatementSyntax));

    static Dictionary<(int, string, int), SyntaxNode> IndexOld(SyntaxNode root)
    {
        var counts = new Dictionary<(int, string), int>();
        var d = new Dictionary<(int, string, int), SyntaxNode>();
        foreach (var n in Nodes(root))
        {
            var k = (n.RawKind, Keys.NodeName(n));
            counts.TryGetValue(k, out var c);
            counts[k] = c + 1;
            d[(k.RawKind, k.Item2, c)] = n;
        }
        return d;
    }

    static Dictionary<SyntaxNode, (int, string, int)> IndexNew(SyntaxNode root)
    {
        var counts = new Dictionary<(int, string), int>();
        var d = new Dictionary<SyntaxNode, (int, string, int)>();
        foreach (var n in Nodes(root))
        {
            var k = (n.RawKind, Keys.NodeName(n));
            counts.TryGetValue(k, out var c);
            counts[k] = c + 1;
            d[n] = (k.RawKind, k.Item2, c);
        }
        return d;
    }

    SyntaxNode OldRoot(SyntaxTree oldTree, string key)
    {
        if (!oldRootsByTree.TryGetValue(oldTree, out var roots))
        {
            roots = new Dictionary<string, SyntaxNode>();
            var root = oldTree.GetRoot();
            foreach (var n in root.DescendantNodesAndSelf(n => n is CompilationUnitSyntax || n is BaseNamespaceDeclarationSyntax || n is TypeDeclarationSyntax))
                if (n is CompilationUnitSyntax || (n is MemberDeclarationSyntax && n is not GlobalStatementSyntax && n is not BaseNamespaceDeclarationSyntax))
                    roots.TryAdd(Keys.MapKey(n), n);
            oldRootsByTree[oldTree] = roots;
        }
        return roots.TryGetValue(key, out var r) ? r : null;
    }

    public SyntaxNode Map(SyntaxNode newNode)
    {
        if (newNode == null || !newToOld.TryGetValue(newNode.SyntaxTree, out var oldTree))
            return null;
        var newRoot = Keys.MapRoot(newNode);
        if (newRoot == null)
            return null;
        var oldRoot = OldRoot(oldTree, Keys.MapKey(newRoot));
        if (oldRoot == null)
            return null;
        if (!newIndex.TryGetValue(newRoot, out var ni))
            newIndex[newRoot] = ni = IndexNew(newRoot);
        if (!oldIndex.TryGetValue(oldRoot, out var oi))
            oldIndex[oldRoot] = oi = IndexOld(oldRoot);
        if (!ni.TryGetValue(newNode, out var key))
            return null;
        return oi.TryGetValue(key, out var old) ? old : null;
    }
}
