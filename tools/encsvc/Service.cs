// The commands: open, update, commit, discard, inject, shutdown (README.md, "Edit and
// Continue helper", has the wire format).
using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace CordbgEncSvc;

sealed partial class Service
{
    readonly List<Module> modules = new();

    public JsonObject Handle(string cmd, JsonObject req, out bool quit)
    {
        quit = false;
        switch (cmd)
        {
            case "open": return Open(req);
            case "update": return Update(req);
            case "commit": return Commit(true);
            case "discard": return Commit(false);
            case "inject": return Inject(req);
            case "shutdown":
                quit = true;
                return new JsonObject { ["ok"] = true };
            default:
                throw new ProtocolError($"unknown command \"{cmd}\"");
        }
    }

    static string Str(JsonObject o, string name, bool required = true)
    {
        var v = o[name];
        if (v == null || v.GetValueKind() == JsonValueKind.Null)
        {
            if (required)
                throw new ProtocolError($"\"{name}\" is missing");
            return null;
        }
        if (v.GetValueKind() != JsonValueKind.String)
            throw new ProtocolError($"\"{name}\" must be a string");
        return (string)v;
    }

    static long Num(JsonObject o, string name)
    {
        var v = o[name];
        if (v == null || v.GetValueKind() != JsonValueKind.Number)
            throw new ProtocolError($"\"{name}\" must be a number");
        return (long)v.AsValue().GetValue<double>();
    }

    static Dictionary<string, string> StrMap(JsonObject o, string name, bool required)
    {
        var v = o[name];
        if (v == null || v.GetValueKind() == JsonValueKind.Null)
        {
            if (required)
                throw new ProtocolError($"\"{name}\" is missing");
            return null;
        }
        if (v is not JsonObject m)
            throw new ProtocolError($"\"{name}\" must be an object of path: text");
        var d = new Dictionary<string, string>();
        foreach (var kv in m)
        {
            if (kv.Value == null || kv.Value.GetValueKind() != JsonValueKind.String)
                throw new ProtocolError($"\"{name}\": the text of {kv.Key} must be a string");
            d[Path.GetFullPath(kv.Key)] = (string)kv.Value;
        }
        return d;
    }

    JsonObject Open(JsonObject req)
    {
        var sw = Stopwatch.StartNew();
        var path = Path.GetFullPath(Str(req, "module"));
        var pdb = Str(req, "pdb", false) ?? Path.ChangeExtension(path, ".pdb");
        pdb = Path.GetFullPath(pdb);
        var project = Str(req, "project", false);
        if (project != null)
            project = Path.GetFullPath(project);
        var sources = StrMap(req, "sources", false);
        var existing = modules.FirstOrDefault(m => m.Path == path);
        if (existing != null)
        {
            // opened again: the same build keeps its state (the program has its deltas); a
            // rebuilt module starts over
            if (existing.Stamp == Module.FileStamp(path))
                return new JsonObject
                {
                    ["ok"] = true,
                    ["documents"] = new JsonArray(existing.Committed.Docs.Keys.Where(d => !d.Contains("/obj/")).Select(d => (JsonNode)d).ToArray()),
                    ["project"] = existing.Project,
                    ["ms"] = sw.ElapsedMilliseconds,
                    ["reopened"] = true,
                };
            existing.Close();
            modules.Remove(existing);
        }
        var mod = Module.Open(path, pdb, project, sources, out var docs, out var cached);
        modules.Add(mod);
        if (Environment.GetEnvironmentVariable("CORDBG_ENCSVC_NOWARMUP") != "1")
            Task.Run(() => Warmup(mod));
        Log.Write($"open {path}: {docs.Count} documents, project {mod.Project}{(cached ? " (cached inputs)" : "")}, {sw.ElapsedMilliseconds} ms");
        return new JsonObject
        {
            ["ok"] = true,
            ["documents"] = new JsonArray(docs.Select(d => (JsonNode)d).ToArray()),
            ["project"] = mod.Project,
            ["ms"] = sw.ElapsedMilliseconds,
            // a Release build: the runtime does not apply changes to optimized code
            ["optimized"] = mod.Committed.Compilation.Options.OptimizationLevel == OptimizationLevel.Release,
        };
    }

    /// <summary>The lock every request holds (the warm-up too).</summary>
    public readonly object Gate = new();

    /// <summary>After `open`, in the background: one throwaway update (a space added to a method
    /// body) so that the compiler's binder and emitter are compiled by the JIT before the
    /// user's first edit needs them (a cold first update costs about a second more).</summary>
    void Warmup(Module mod)
    {
        try
        {
            lock (Gate)
            {
                if (mod.Pending != null || !modules.Contains(mod))
                    return;
                var sw = Stopwatch.StartNew();
                foreach (var (path, tree) in mod.Committed.Docs)
                {
                    var m = Keys.Collect(tree).Values.FirstOrDefault(x => x.Kind == "method" && x.Body is BlockSyntax);
                    if (m == null)
                        continue;
                    var text = tree.GetText().ToString().Insert(((BlockSyntax)m.Body).OpenBraceToken.Span.End, " ");
                    var nt = CSharpSyntaxTree.ParseText(SourceText.From(text, tree.GetText().Encoding, SourceHashAlgorithm.Sha256), mod.ParseOptions, path);
                    var gens = mod.Generators;
                    Change(mod, mod.Committed, new Dictionary<string, SyntaxTree> { [path] = nt }, new JsonArray(), new JsonArray(), new JsonArray());
                    mod.Generators = gens;
                    Log.Write($"warm-up of {Path.GetFileName(mod.Path)}: {sw.ElapsedMilliseconds} ms");
                    return;
                }
            }
        }
        catch (Exception e)
        {
            Log.Write("warm-up failed: " + e.Message);
        }
    }

    JsonObject Commit(bool keep)
    {
        int n = 0;
        foreach (var m in modules)
        {
            if (m.Pending == null)
                continue;
            if (keep)
                m.Committed = m.Pending;
            m.Pending = null;
            n++;
        }
        return new JsonObject { ["ok"] = true, ["modules"] = n };
    }

    static JsonObject DiagJson(Diag d) => new()
    {
        ["severity"] = "error", ["id"] = d.Id, ["path"] = d.Path, ["line"] = d.Line, ["column"] = d.Column, ["message"] = d.Message,
    };

    static JsonObject DiagJson(Diagnostic d, Func<Diagnostic, (string, int, int)> locate = null)
    {
        var o = new JsonObject
        {
            ["severity"] = d.Severity switch { DiagnosticSeverity.Error => "error", DiagnosticSeverity.Warning => "warning", _ => "info" },
            ["id"] = d.Id,
        };
        if (locate != null)
        {
            var (p, l, c) = locate(d);
            o["path"] = p;
            o["line"] = l;
            o["column"] = c;
        }
        else if (d.Location.IsInSource)
        {
            var ls = d.Location.GetLineSpan();
            o["path"] = ls.Path;
            o["line"] = ls.StartLinePosition.Line + 1;
            o["column"] = ls.StartLinePosition.Character + 1;
        }
        o["message"] = d.GetMessage(System.Globalization.CultureInfo.InvariantCulture);
        return o;
    }

    /// <summary>The delta of one EmitDifference as the reply shows it, and the new state.</summary>
    static JsonObject DeltaJson(Module m, State prev, EmitDifferenceResult res, byte[] md, byte[] il, byte[] pdb, State next, out List<int> added)
    {
        var reader = MetadataReaderProvider.FromMetadataImage(ImmutableArray.Create(md)).GetMetadataReader();
        added = new List<int>();
        int rows = prev.MethodRows;
        foreach (var h in reader.GetEditAndContinueMapEntries())
        {
            if (h.Kind != HandleKind.MethodDefinition)
                continue;
            var row = MetadataTokens.GetRowNumber(h);
            if (row > prev.MethodRows)
            {
                added.Add(MetadataTokens.GetToken(h));
                rows = Math.Max(rows, row);
            }
        }
        next.MethodRows = rows;
        next.DeltaMetadata = new List<byte[]>(prev.DeltaMetadata) { md };
        var addedSet = added.ToHashSet();
        return new JsonObject
        {
            ["module"] = m.Path,
            ["metadata"] = Convert.ToBase64String(md),
            ["il"] = Convert.ToBase64String(il),
            ["pdb"] = Convert.ToBase64String(pdb),
            ["updatedMethods"] = new JsonArray(res.UpdatedMethods.Select(h => MetadataTokens.GetToken(h)).Where(t => !addedSet.Contains(t)).Select(t => (JsonNode)t).ToArray()),
            ["addedMethods"] = new JsonArray(added.Select(t => (JsonNode)t).ToArray()),
            ["updatedTypes"] = new JsonArray(res.ChangedTypes.Select(h => (JsonNode)MetadataTokens.GetToken(h)).ToArray()),
        };
    }

    /// <summary>EmitDifference from PREV to NEWCOMP: the result (its Success and Diagnostics
    /// say whether it worked) and the three deltas.</summary>
    static (EmitDifferenceResult, byte[], byte[], byte[]) Emit(State prev, CSharpCompilation newComp, IEnumerable<SemanticEdit> edits, HashSet<ISymbol> addedSymbols)
    {
        using var md = new MemoryStream();
        using var il = new MemoryStream();
        using var pdb = new MemoryStream();
        bool IsAdded(ISymbol s)
        {
            for (var x = s; x != null; x = x.ContainingSymbol)
            {
                if (addedSymbols.Contains(x))
                    return true;
                if (x is IMethodSymbol ms && ms.AssociatedSymbol != null && addedSymbols.Contains(ms.AssociatedSymbol))
                    return true;
            }
            return false;
        }
        var res = newComp.EmitDifference(prev.Baseline, edits, IsAdded, md, il, pdb, EmitDifferenceOptions.Default, CancellationToken.None);
        return (res, md.ToArray(), il.ToArray(), pdb.ToArray());
    }

    /// <summary>1-based runs of lines unchanged between two texts: [oldLine, newLine, count].</summary>
    static JsonArray LineRuns(string oldText, string newText)
    {
        var a = oldText.Split('\n');
        var b = newText.Split('\n');
        int pre = 0;
        while (pre < a.Length && pre < b.Length && a[pre] == b[pre])
            pre++;
        int suf = 0;
        while (suf < a.Length - pre && suf < b.Length - pre && a[a.Length - 1 - suf] == b[b.Length - 1 - suf])
            suf++;
        var runs = new List<(int, int, int)>();
        if (pre > 0)
            runs.Add((1, 1, pre));
        int n = a.Length - pre - suf, mm = b.Length - pre - suf;
        if (n > 0 && mm > 0 && (long)n * mm <= 4_000_000)
        {
            // LCS of the middle
            var dp = new int[n + 1, mm + 1];
            for (int i = n - 1; i >= 0; i--)
                for (int j = mm - 1; j >= 0; j--)
                    dp[i, j] = a[pre + i] == b[pre + j] ? dp[i + 1, j + 1] + 1 : Math.Max(dp[i + 1, j], dp[i, j + 1]);
            int x = 0, y = 0;
            while (x < n && y < mm)
            {
                if (a[pre + x] == b[pre + y])
                {
                    if (runs.Count > 0 && runs[^1].Item1 + runs[^1].Item3 == pre + x + 1 && runs[^1].Item2 + runs[^1].Item3 == pre + y + 1)
                        runs[^1] = (runs[^1].Item1, runs[^1].Item2, runs[^1].Item3 + 1);
                    else
                        runs.Add((pre + x + 1, pre + y + 1, 1));
                    x++; y++;
                }
                else if (dp[x + 1, y] >= dp[x, y + 1])
                    x++;
                else
                    y++;
            }
        }
        if (suf > 0)
        {
            var r = (a.Length - suf + 1, b.Length - suf + 1, suf);
            if (runs.Count > 0 && runs[^1].Item1 + runs[^1].Item3 == r.Item1 && runs[^1].Item2 + runs[^1].Item3 == r.Item2)
                runs[^1] = (runs[^1].Item1, runs[^1].Item2, runs[^1].Item3 + suf);
            else
                runs.Add(r);
        }
        return new JsonArray(runs.Select(r => (JsonNode)new JsonArray(r.Item1, r.Item2, r.Item3)).ToArray());
    }
}
