// One open module: its baseline compilation and EmitBaseline, the committed state (trees,
// injected members) and at most one pending change.
using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;
using Microsoft.CodeAnalysis.Text;

namespace CordbgEncSvc;

/// <summary>A method the helper added for `inject`: kept in every later state's trees.</summary>
sealed record Injected(string Path, string TypeKey, string Text, bool OwnTree);

/// <summary>A committed or pending state of a module.</summary>
sealed class State
{
    public CSharpCompilation Source;            // the user's trees (and the helper's own)
    public CSharpCompilation Compilation;       // Source with generated trees, if any
    public EmitBaseline Baseline;
    public Dictionary<string, SyntaxTree> Docs;  // user documents by path (injected members spliced in)
    public Dictionary<string, SyntaxTree> Own;   // the helper's own trees (top-level Program injections)
    public List<Injected> Injected;
    public int MethodRows;                       // MethodDef rows of the module after this state
    public List<byte[]> DeltaMetadata;           // metadata deltas since the build, in order
    public int InjectCounter;
}

sealed class Module
{
    static readonly Guid EncLocalSlotMap = new("755F52A8-91C5-45BE-B4B8-209571E552BD");
    static readonly Guid EncLambdaAndClosureMap = new("A643004C-0240-496F-A783-30D64F4979DE");
    static readonly Guid EncStateMachineStateMap = new("8B78CD68-2EDE-420B-980B-E15884B8AAA3");

    public string Path, Pdb, Project, Stamp;

    public static string FileStamp(string p)
    {
        var f = new FileInfo(p);
        return f.Exists ? $"{f.Length}:{f.LastWriteTimeUtc.Ticks}" : "";
    }
    public CSharpParseOptions ParseOptions;
    public GeneratorDriver Generators;           // null: the build's generators produced nothing
    public State Committed;
    public State Pending;
    public byte[] Image;
    public MetadataReader BaseReader;
    MetadataReaderProvider pdbProvider;
    PEReader peReader;

    public static Module Open(string path, string pdb, string project, Dictionary<string, string> sources, out List<string> documents, out bool cached)
    {
        var m = new Module { Path = path, Pdb = pdb };
        if (!File.Exists(path))
            throw new ProtocolError("no such module: " + path);
        if (!File.Exists(pdb))
            throw new ProtocolError("no such PDB: " + pdb);
        m.Stamp = FileStamp(path);
        m.Image = File.ReadAllBytes(path);
        m.peReader = new PEReader(ImmutableArray.Create(m.Image));
        m.BaseReader = m.peReader.GetMetadataReader();
        try
        {
            m.pdbProvider = MetadataReaderProvider.FromPortablePdbStream(new MemoryStream(File.ReadAllBytes(pdb)));
        }
        catch (Exception e)
        {
            throw new ProtocolError($"{pdb} is not a portable PDB: {e.Message}");
        }
        var pdbReader = m.pdbProvider.GetMetadataReader();

        // The PDB's documents and their checksums (the text the module was built from).
        var pdbDocs = new Dictionary<string, (Guid alg, byte[] hash, bool embedded)>();
        foreach (var dh in pdbReader.Documents)
        {
            var d = pdbReader.GetDocument(dh);
            var name = pdbReader.GetString(d.Name);
            var embedded = pdbReader.GetCustomDebugInformation(dh).Any(c => pdbReader.GetGuid(pdbReader.GetCustomDebugInformation(c).Kind) == new Guid("0E8A571B-6926-466E-B4AD-8AB04611F5FE"));
            pdbDocs[name] = (pdbReader.GetGuid(d.HashAlgorithm), pdbReader.GetBlobBytes(d.Hash), embedded);
        }

        m.Project = project ?? ProjectInputs.FindProject(pdbDocs.Keys);
        var args = ProjectInputs.Load(m.Project, path, pdbDocs.Keys, out cached);
        m.ParseOptions = args.ParseOptions;
        var options = args.CompilationOptions
            .WithMetadataImportOptions(MetadataImportOptions.Public)
            .WithConcurrentBuild(true);
        var refs = args.MetadataReferences.Select(r => (MetadataReference)MetadataReference.CreateFromFile(r.Reference, r.Properties)).ToList();

        var trees = new List<SyntaxTree>();
        documents = new List<string>();
        var docs = new Dictionary<string, SyntaxTree>();
        foreach (var sf in args.SourceFiles)
        {
            var p = sf.Path;
            SourceText text;
            if (sources != null && sources.TryGetValue(p, out var built))
            {
                text = SourceText.From(built, new UTF8Encoding(false), SourceHashAlgorithm.Sha256);
                if (pdbDocs.TryGetValue(p, out var want) && !Matches(text, want.alg, want.hash))
                {
                    var bom = SourceText.From(built, new UTF8Encoding(true), SourceHashAlgorithm.Sha256);
                    if (Matches(bom, want.alg, want.hash))
                        text = bom;
                    else
                        throw new ProtocolError($"the text given for {p} is not the one {System.IO.Path.GetFileName(path)} was built from (checksum differs)");
                }
            }
            else
            {
                if (!File.Exists(p))
                    throw new ProtocolError($"source file {p} of the module is missing");
                using (var fs = File.OpenRead(p))
                    text = SourceText.From(fs, null, SourceHashAlgorithm.Sha256);
                if (pdbDocs.TryGetValue(p, out var want) && !Matches(text, want.alg, want.hash))
                    throw new ProtocolError($"{p} changed since {System.IO.Path.GetFileName(path)} was built (checksum differs from the PDB's); give its text as built in \"sources\" or rebuild");
            }
            var tree = CSharpSyntaxTree.ParseText(text, m.ParseOptions, p);
            trees.Add(tree);
            docs[p] = tree;
            if (!p.Contains("/obj/"))
                documents.Add(p);
        }

        // Source generators: loaded only when the build's PDB has documents that no source
        // file accounts for (generated ones), or later when an update needs them.
        m.LoadGeneratorCandidates(args);
        bool generated = pdbDocs.Keys.Any(k => !docs.ContainsKey(k));
        var comp = CSharpCompilation.Create(args.CompilationName ?? System.IO.Path.GetFileNameWithoutExtension(path), trees, refs, options);
        if (generated && m.generatorPaths.Count > 0)
            m.EnableGenerators();
        var srcComp = comp;
        comp = m.RunGenerators(comp);

        var md = ModuleMetadata.CreateFromImage(m.Image);
        var baseline = EmitBaseline.CreateInitialBaseline(comp, md, m.DebugInfo, m.LocalSignature, true);
        m.Committed = new State
        {
            Source = srcComp,
            Compilation = comp,
            Baseline = baseline,
            Docs = docs,
            Own = new Dictionary<string, SyntaxTree>(),
            Injected = new List<Injected>(),
            MethodRows = m.BaseReader.GetTableRowCount(TableIndex.MethodDef),
            DeltaMetadata = new List<byte[]>(),
        };
        return m;
    }

    static bool Matches(SourceText text, Guid alg, byte[] hash)
    {
        // SHA256 is what the SDK uses; SHA1 for older builds.
        var sha1 = new Guid("FF1816EC-AA5E-4D10-87F7-6F4963833460");
        byte[] mine;
        if (alg == sha1)
        {
            var bytes = EncodedBytes(text);
            mine = System.Security.Cryptography.SHA1.HashData(bytes);
        }
        else
            mine = text.GetChecksum().ToArray();
        return mine.AsSpan().SequenceEqual(hash);
    }

    static byte[] EncodedBytes(SourceText text)
    {
        var enc = text.Encoding ?? new UTF8Encoding(false);
        return enc.GetPreamble().Concat(enc.GetBytes(text.ToString())).ToArray();
    }

    EditAndContinueMethodDebugInformation DebugInfo(MethodDefinitionHandle h)
    {
        var r = pdbProvider.GetMetadataReader();
        ImmutableArray<byte> slots = ImmutableArray<byte>.Empty, lambdas = ImmutableArray<byte>.Empty, states = ImmutableArray<byte>.Empty;
        foreach (var ch in r.GetCustomDebugInformation(h))
        {
            var cdi = r.GetCustomDebugInformation(ch);
            var kind = r.GetGuid(cdi.Kind);
            if (kind == EncLocalSlotMap)
                slots = r.GetBlobContent(cdi.Value);
            else if (kind == EncLambdaAndClosureMap)
                lambdas = r.GetBlobContent(cdi.Value);
            else if (kind == EncStateMachineStateMap)
                states = r.GetBlobContent(cdi.Value);
        }
        return EditAndContinueMethodDebugInformation.Create(slots, lambdas, states);
    }

    StandaloneSignatureHandle LocalSignature(MethodDefinitionHandle h)
    {
        var def = BaseReader.GetMethodDefinition(h);
        if (def.RelativeVirtualAddress == 0)
            return default;
        return peReader.GetMethodBody(def.RelativeVirtualAddress).LocalSignature;
    }

    // Analyzer assemblies that are analyzers only (no generators): not loaded at all.
    static readonly string[] AnalyzerOnly = { "Microsoft.CodeAnalysis.NetAnalyzers", "Microsoft.CodeAnalysis.CSharp.NetAnalyzers",
        "Microsoft.CodeAnalysis.CodeStyle", "Microsoft.CodeAnalysis.CSharp.CodeStyle", "Microsoft.CodeAnalysis.CodeStyle.Fixes",
        "Microsoft.CodeAnalysis.CSharp.CodeStyle.Fixes" };
    List<string> generatorPaths = new();
    string generatedBase;
    List<AdditionalText> additional = new();
    List<AnalyzerConfig> analyzerConfigs = new();

    void LoadGeneratorCandidates(CSharpCommandLineArguments args)
    {
        foreach (var a in args.AnalyzerReferences)
        {
            var name = System.IO.Path.GetFileNameWithoutExtension(a.FilePath);
            if (!AnalyzerOnly.Contains(name))
                generatorPaths.Add(System.IO.Path.GetFullPath(a.FilePath, System.IO.Path.GetDirectoryName(Project)));
        }
        // generated files get the paths a build gives them (under /generatedfilesout or the
        // output folder): file-local types' metadata names are made from these paths
        generatedBase = args.GeneratedFilesOutputDirectory ?? args.OutputDirectory;
        additional = args.AdditionalFiles.Select(f => (AdditionalText)new FileText(f.Path)).ToList();
        foreach (var c in args.AnalyzerConfigPaths)
        {
            try { analyzerConfigs.Add(AnalyzerConfig.Parse(File.ReadAllText(c), c)); }
            catch (IOException) { }
        }
    }

    /// <summary>Loads the build's source generators (once) and runs them from now on.</summary>
    public bool EnableGenerators()
    {
        if (Generators != null)
            return true;
        var loader = new AnalyzerLoader();
        var gens = new List<ISourceGenerator>();
        foreach (var p in generatorPaths)
        {
            try
            {
                var r = new Microsoft.CodeAnalysis.Diagnostics.AnalyzerFileReference(p, loader);
                gens.AddRange(r.GetGenerators(LanguageNames.CSharp));
            }
            catch (Exception e)
            {
                Log.Write($"generators of {p} not loaded: {e.Message}");
            }
        }
        if (gens.Count == 0)
            return false;
        var set = AnalyzerConfigSet.Create(analyzerConfigs);
        Generators = CSharpGeneratorDriver.Create(gens, additional, ParseOptions, new ConfigOptionsProvider(set),
            new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, false, generatedBase));
        Log.Write($"{gens.Count} source generators enabled");
        return true;
    }

    public CSharpCompilation RunGenerators(CSharpCompilation comp)
    {
        if (Generators == null)
            return comp;
        Generators = Generators.RunGeneratorsAndUpdateCompilation(comp, out var output, out _);
        return (CSharpCompilation)output;
    }

    public void Close()
    {
        pdbProvider?.Dispose();
        peReader?.Dispose();
    }
}

sealed class FileText : AdditionalText
{
    readonly string path;
    public FileText(string p) { path = p; }
    public override string Path => path;
    public override SourceText GetText(CancellationToken cancellationToken = default)
    {
        try
        {
            using var fs = File.OpenRead(path);
            return SourceText.From(fs);
        }
        catch (IOException)
        {
            return null;
        }
    }
}

sealed class AnalyzerLoader : Microsoft.CodeAnalysis.IAnalyzerAssemblyLoader
{
    public void AddDependencyLocation(string fullPath) { }
    public System.Reflection.Assembly LoadFromPath(string fullPath) => System.Reflection.Assembly.LoadFrom(fullPath);
}

/// <summary>The build's .editorconfig/.globalconfig options (build properties such as
/// RootNamespace) as the generators see them in a real build.</summary>
sealed class ConfigOptionsProvider : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptionsProvider
{
    readonly AnalyzerConfigSet set;
    public ConfigOptionsProvider(AnalyzerConfigSet s) { set = s; }
    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GlobalOptions => new Opts(set.GlobalConfigOptions.AnalyzerOptions);
    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(SyntaxTree tree) => new Opts(set.GetOptionsForSourcePath(tree.FilePath).AnalyzerOptions);
    public override Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions GetOptions(AdditionalText textFile) => new Opts(set.GetOptionsForSourcePath(textFile.Path).AnalyzerOptions);

    sealed class Opts : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
    {
        readonly ImmutableDictionary<string, string> d;
        public Opts(ImmutableDictionary<string, string> x) { d = x; }
        public override bool TryGetValue(string key, out string value) => d.TryGetValue(key, out value);
        public override IEnumerable<string> Keys => d.Keys;
    }
}
