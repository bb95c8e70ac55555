// MetaCheck: prints an assembly's symbols with System.Reflection.Metadata in exactly the text
// format of cordbg's md_dump_symbols (src/meta/dump.c), so tests can compare the two readers.
//   dotnet MetaCheck.dll /abs/path/Program.dll
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;
using System.Text;

sealed class Ty
{
    public string S;
    public EntityHandle H;     // named type, or default
    public Ty Inner;           // for ref
    public bool ByRef;
    public override string ToString() => S;
}

sealed class Ctx
{
    public string[] TypeParams = Array.Empty<string>();
    public string[] MethodParams = Array.Empty<string>();
}

sealed class Prov : ISignatureTypeProvider<Ty, Ctx>
{
    readonly MetadataReader md;
    public Prov(MetadataReader md) { this.md = md; }
    static Ty T(string s) => new Ty { S = s };

    public Ty GetPrimitiveType(PrimitiveTypeCode c) => T(c switch
    {
        PrimitiveTypeCode.Void => "void", PrimitiveTypeCode.Boolean => "bool",
        PrimitiveTypeCode.Char => "char", PrimitiveTypeCode.SByte => "sbyte",
        PrimitiveTypeCode.Byte => "byte", PrimitiveTypeCode.Int16 => "short",
        PrimitiveTypeCode.UInt16 => "ushort", PrimitiveTypeCode.Int32 => "int",
        PrimitiveTypeCode.UInt32 => "uint", PrimitiveTypeCode.Int64 => "long",
        PrimitiveTypeCode.UInt64 => "ulong", PrimitiveTypeCode.Single => "float",
        PrimitiveTypeCode.Double => "double", PrimitiveTypeCode.String => "string",
        PrimitiveTypeCode.Object => "object", PrimitiveTypeCode.IntPtr => "nint",
        PrimitiveTypeCode.UIntPtr => "nuint", PrimitiveTypeCode.TypedReference => "System.TypedReference",
        _ => "?",
    });
    public Ty GetTypeFromDefinition(MetadataReader r, TypeDefinitionHandle h, byte k) =>
        new Ty { S = Program.DefName(md, h), H = h };
    public Ty GetTypeFromReference(MetadataReader r, TypeReferenceHandle h, byte k) =>
        new Ty { S = Program.Named(md, h, Array.Empty<string>(), false), H = h };
    public Ty GetTypeFromSpecification(MetadataReader r, Ctx c, TypeSpecificationHandle h, byte k) =>
        md.GetTypeSpecification(h).DecodeSignature(this, new Ctx());
    public Ty GetSZArrayType(Ty e) => T(e.S + "[]");
    public Ty GetArrayType(Ty e, ArrayShape s) => T(e.S + "[" + (s.Rank == 1 ? "*" : new string(',', s.Rank - 1)) + "]");
    public Ty GetByReferenceType(Ty e) => new Ty { S = "ref " + e.S, Inner = e, ByRef = true };
    public Ty GetPointerType(Ty e) => T(e.S + "*");
    public Ty GetPinnedType(Ty e) => T(e.S + " pinned");
    public Ty GetModifiedType(Ty m, Ty u, bool req) => u;
    public Ty GetGenericInstantiation(Ty g, System.Collections.Immutable.ImmutableArray<Ty> args) =>
        T(g.H.IsNil ? "?" : Program.Named(md, g.H, args.Select(a => a.S).ToArray(), true));
    public Ty GetGenericTypeParameter(Ctx c, int i) =>
        T(i < c.TypeParams.Length && c.TypeParams[i].Length > 0 ? c.TypeParams[i] : "!" + i);
    public Ty GetGenericMethodParameter(Ctx c, int i) =>
        T(i < c.MethodParams.Length && c.MethodParams[i].Length > 0 ? c.MethodParams[i] : "!!" + i);
    public Ty GetFunctionPointerType(MethodSignature<Ty> s) =>
        T("delegate*<" + string.Concat(s.ParameterTypes.Select(p => p.S + ", ")) + s.ReturnType.S + ">");
}

static class Program
{
    static readonly Guid AsyncStepping = new Guid("54fd2ac5-e925-401a-9c2a-f94f171072f8");
    static readonly Guid Hoisted = new Guid("6da9a61e-f8c7-4874-be62-68bc5630df71");
    static readonly Guid EmbeddedSource = new Guid("0e8a571b-6926-466e-b4ad-8ab04611f5fe");

    static EntityHandle Outer(MetadataReader md, EntityHandle h)
    {
        if (h.Kind == HandleKind.TypeDefinition)
        {
            var d = md.GetTypeDefinition((TypeDefinitionHandle)h).GetDeclaringType();
            return d.IsNil ? default : d;
        }
        if (h.Kind == HandleKind.TypeReference)
        {
            var s = md.GetTypeReference((TypeReferenceHandle)h).ResolutionScope;
            return !s.IsNil && s.Kind == HandleKind.TypeReference ? (EntityHandle)s : default;
        }
        return default;
    }

    static (string ns, string name) Ident(MetadataReader md, EntityHandle h)
    {
        if (h.Kind == HandleKind.TypeDefinition)
        {
            var d = md.GetTypeDefinition((TypeDefinitionHandle)h);
            return (md.GetString(d.Namespace), md.GetString(d.Name));
        }
        var r = md.GetTypeReference((TypeReferenceHandle)h);
        return (md.GetString(r.Namespace), md.GetString(r.Name));
    }

    // Same rules as named() in src/meta/md_sig.c.
    public static string Named(MetadataReader md, EntityHandle h, string[] args, bool inst)
    {
        var chain = new List<EntityHandle>();
        for (var c = h; !c.IsNil && chain.Count < 16; c = Outer(md, c)) chain.Add(c);
        var (ns0, name0) = Ident(md, h);
        if (chain.Count == 1 && inst && ns0 == "System")
        {
            if (name0 == "Nullable`1" && args.Length == 1) return args[0] + "?";
            if (name0.StartsWith("ValueTuple`") && args.Length >= 2 && args.Length <= 7 && name0 == "ValueTuple`" + args.Length)
                return "(" + string.Join(", ", args) + ")";
        }
        var sb = new StringBuilder();
        int used = 0;
        for (int i = chain.Count - 1; i >= 0; i--)
        {
            var (ns, name) = Ident(md, chain[i]);
            if (i == chain.Count - 1 && ns.Length > 0) sb.Append(ns).Append('.');
            int tick = name.LastIndexOf('`');
            int ar = 0;
            if (tick >= 0 && tick + 1 < name.Length && name.Substring(tick + 1).All(ch => ch >= '0' && ch <= '9'))
                ar = int.Parse(name.Substring(tick + 1), CultureInfo.InvariantCulture);
            else tick = -1;
            sb.Append(tick >= 0 ? name.Substring(0, tick) : name);
            if (ar > 0 && used + ar <= args.Length)
            {
                sb.Append('<').Append(string.Join(", ", args.Skip(used).Take(ar))).Append('>');
                used += ar;
            }
            if (i > 0) sb.Append('.');
        }
        if (used < args.Length) sb.Append('<').Append(string.Join(", ", args.Skip(used))).Append('>');
        return sb.ToString();
    }

    static string[] ParamNames(MetadataReader md, GenericParameterHandleCollection c) =>
        c.Select(p => md.GetGenericParameter(p)).OrderBy(p => p.Index).Select(p => md.GetString(p.Name)).ToArray();

    public static string DefName(MetadataReader md, TypeDefinitionHandle h)
    {
        var names = ParamNames(md, md.GetTypeDefinition(h).GetGenericParameters())
            .Select((n, i) => n.Length > 0 ? n : "!" + i).ToArray();
        return Named(md, h, names, false);
    }

    static string Attrs(MetadataReader md, CustomAttributeHandleCollection cas)
    {
        uint flags = 0; int browsable = 0; string display = null;
        foreach (var ch in cas)
        {
            var ca = md.GetCustomAttribute(ch);
            EntityHandle t = default;
            if (ca.Constructor.Kind == HandleKind.MethodDefinition)
                t = md.GetMethodDefinition((MethodDefinitionHandle)ca.Constructor).GetDeclaringType();
            else if (ca.Constructor.Kind == HandleKind.MemberReference)
                t = md.GetMemberReference((MemberReferenceHandle)ca.Constructor).Parent;
            if (t.IsNil || (t.Kind != HandleKind.TypeDefinition && t.Kind != HandleKind.TypeReference)) continue;
            var (ns, name) = Ident(md, t);
            bool sd = ns == "System.Diagnostics";
            var br = md.GetBlobReader(ca.Value);
            bool prolog = br.Length >= 2 && br.ReadUInt16() == 1;
            if (sd && name == "DebuggerHiddenAttribute") flags |= 1;
            else if (sd && name == "DebuggerStepThroughAttribute") flags |= 2;
            else if (sd && name == "DebuggerNonUserCodeAttribute") flags |= 4;
            else if (sd && name == "DebuggerStepperBoundaryAttribute") flags |= 64;
            else if (ns == "System.Runtime.CompilerServices" && name == "CompilerGeneratedAttribute") flags |= 8;
            else if (sd && name == "DebuggerBrowsableAttribute" && prolog) { flags |= 16; browsable = br.ReadInt32(); }
            else if (sd && name == "DebuggerDisplayAttribute") { flags |= 32; display = prolog ? br.ReadSerializedString() : null; }
        }
        var sb = new StringBuilder();
        if ((flags & 1) != 0) sb.Append(" [DebuggerHidden]");
        if ((flags & 2) != 0) sb.Append(" [DebuggerStepThrough]");
        if ((flags & 4) != 0) sb.Append(" [DebuggerNonUserCode]");
        if ((flags & 64) != 0) sb.Append(" [DebuggerStepperBoundary]");
        if ((flags & 8) != 0) sb.Append(" [CompilerGenerated]");
        if ((flags & 16) != 0) sb.Append(" [DebuggerBrowsable(" + browsable + ")]");
        if ((flags & 32) != 0) sb.Append(" [DebuggerDisplay(\"" + (display ?? "") + "\")]");
        return sb.ToString();
    }

    static string Lang(Guid g) =>
        g == new Guid("3f5162f8-07c6-11d3-9053-00c04fa302a1") ? "C#" :
        g == new Guid("3a12d0b8-c26c-11d0-b442-00a0244a1dd2") ? "VB" :
        g == new Guid("ab4f38c9-b6e6-43ba-be3b-58080b2ccce3") ? "F#" : "?";

    static BlobHandle Cdi(MetadataReader pdb, EntityHandle parent, Guid kind)
    {
        foreach (var h in pdb.GetCustomDebugInformation(parent))
        {
            var c = pdb.GetCustomDebugInformation(h);
            if (pdb.GetGuid(c.Kind) == kind) return c.Value;
        }
        return default;
    }

    static string ConstText(byte[] b)
    {
        int p = 0;
        int Cu() { byte x = b[p++]; if ((x & 0x80) == 0) return x; if ((x & 0xC0) == 0x80) return ((x & 0x3F) << 8) | b[p++]; int v = (x & 0x1F) << 24 | b[p] << 16 | b[p + 1] << 8 | b[p + 2]; p += 3; return v; }
        while (p < b.Length && (b[p] == 0x1f || b[p] == 0x20)) { p++; Cu(); }
        byte et = b[p++];
        var inv = CultureInfo.InvariantCulture;
        switch (et)
        {
            case 0x02: return b[p] != 0 ? "true" : "false";
            case 0x03: return "'\\u" + BitConverter.ToUInt16(b, p).ToString("x4") + "'";
            case 0x04: return ((sbyte)b[p]).ToString(inv);
            case 0x05: return b[p].ToString(inv);
            case 0x06: return BitConverter.ToInt16(b, p).ToString(inv);
            case 0x07: return BitConverter.ToUInt16(b, p).ToString(inv);
            case 0x08: return BitConverter.ToInt32(b, p).ToString(inv);
            case 0x09: return BitConverter.ToUInt32(b, p).ToString(inv);
            case 0x0a: return BitConverter.ToInt64(b, p).ToString(inv);
            case 0x0b: return BitConverter.ToUInt64(b, p).ToString(inv);
            case 0x0e:
                if (b.Length - p == 1 && b[p] == 0xFF) return "null";
                return "\"" + Encoding.Unicode.GetString(b, p, (b.Length - p) & ~1) + "\"";
            case 0x11: case 0x12: return "default";
            case 0x1c: return "null";
            default: return "?";
        }
    }

    static int Main(string[] argv)
    {
        var path = argv[0];
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { NewLine = "\n" };
        using var pe = new PEReader(File.OpenRead(path));
        var md = pe.GetMetadataReader();
        stdout.WriteLine("assembly " + Path.GetFileName(path));
        MetadataReaderProvider pdbProv = null;
        string where = null;
        var dbg = pe.ReadDebugDirectory();
        var emb = dbg.FirstOrDefault(e => e.Type == DebugDirectoryEntryType.EmbeddedPortablePdb);
        var cv = dbg.FirstOrDefault(e => e.Type == DebugDirectoryEntryType.CodeView);
        if (emb.DataSize > 0) { pdbProv = pe.ReadEmbeddedPortablePdbDebugDirectoryData(emb); where = "embedded"; }
        else if (cv.DataSize > 0)
        {
            var cvd = pe.ReadCodeViewDebugDirectoryData(cv);
            var bn = cvd.Path.Replace('\\', '/');
            bn = bn.Substring(bn.LastIndexOf('/') + 1);
            where = path.Substring(0, path.LastIndexOf('/') + 1) + bn;
            pdbProv = MetadataReaderProvider.FromPortablePdbStream(File.OpenRead(where));
        }
        var pdb = pdbProv.GetMetadataReader();
        var id = pdb.DebugMetadataHeader.Id.ToArray();
        stdout.WriteLine("pdb " + where + " id " + new Guid(id.Take(16).ToArray()).ToString("D") + "-" + BitConverter.ToUInt32(id, 16).ToString("x8"));
        foreach (var dh in pdb.Documents)
        {
            var d = pdb.GetDocument(dh);
            var line = "document " + MetadataTokens.GetRowNumber(dh) + " " + Lang(pdb.GetGuid(d.Language)) + " " + pdb.GetString(d.Name);
            var es = Cdi(pdb, dh, EmbeddedSource);
            if (!es.IsNil)
            {
                var br = pdb.GetBlobReader(es);
                int fmt = br.ReadInt32();
                line += " [embedded-source " + (fmt == 0 ? br.Length - 4 : fmt) + " bytes]";
            }
            stdout.WriteLine(line);
        }
        var prov = new Prov(md);
        foreach (var th in md.TypeDefinitions)
        {
            var td = md.GetTypeDefinition(th);
            stdout.WriteLine("type 0x" + MetadataTokens.GetToken(th).ToString("x8") + " " + DefName(md, th) + Attrs(md, td.GetCustomAttributes()));
            var tctx = new Ctx { TypeParams = ParamNames(md, td.GetGenericParameters()) };
            foreach (var fh in td.GetFields())
            {
                var f = md.GetFieldDefinition(fh);
                stdout.WriteLine("  field 0x" + MetadataTokens.GetToken(fh).ToString("x8") + " " + f.DecodeSignature(prov, tctx).S + " " + md.GetString(f.Name) + Attrs(md, f.GetCustomAttributes()));
            }
            foreach (var mh in td.GetMethods())
            {
                var m = md.GetMethodDefinition(mh);
                var ctx = new Ctx { TypeParams = tctx.TypeParams, MethodParams = ParamNames(md, m.GetGenericParameters()) };
                var sig = m.DecodeSignature(prov, ctx);
                var sb = new StringBuilder();
                sb.Append(sig.ReturnType.S).Append(' ').Append(md.GetString(m.Name));
                if (sig.GenericParameterCount > 0)
                    sb.Append('<').Append(string.Join(", ", Enumerable.Range(0, sig.GenericParameterCount).Select(i => prov.GetGenericMethodParameter(ctx, i).S))).Append('>');
                sb.Append('(');
                var ps = m.GetParameters().Select(p => md.GetParameter(p)).ToList();
                for (int i = 0; i < sig.ParameterTypes.Length; i++)
                {
                    if (i > 0) sb.Append(", ");
                    var pr = ps.FirstOrDefault(p => p.SequenceNumber == i + 1);
                    bool has = ps.Any(p => p.SequenceNumber == i + 1);
                    var pt = sig.ParameterTypes[i];
                    var fl = has ? (int)pr.Attributes & 3 : 0;
                    if (pt.ByRef && fl == 2) { sb.Append("out "); pt = pt.Inner; }
                    else if (pt.ByRef && fl == 1) { sb.Append("in "); pt = pt.Inner; }
                    sb.Append(pt.S);
                    if (has && !pr.Name.IsNil && md.GetString(pr.Name).Length > 0) sb.Append(' ').Append(md.GetString(pr.Name));
                }
                sb.Append(')');
                int tok = MetadataTokens.GetToken(mh);
                stdout.WriteLine("  method 0x" + tok.ToString("x8") + " " + sb + Attrs(md, m.GetCustomAttributes()));
                int row = MetadataTokens.GetRowNumber(mh);
                if (row > pdb.MethodDebugInformation.Count) continue;
                var mdi = pdb.GetMethodDebugInformation(MetadataTokens.MethodDebugInformationHandle(row));
                var k = mdi.GetStateMachineKickoffMethod();
                if (!k.IsNil) stdout.WriteLine("    kickoff 0x" + MetadataTokens.GetToken(k).ToString("x8"));
                var ab = Cdi(pdb, mh, AsyncStepping);
                if (!ab.IsNil)
                {
                    var br = pdb.GetBlobReader(ab);
                    long ch = (long)br.ReadUInt32() - 1;
                    var line = ch >= 0 ? "    async catch IL_" + ch.ToString("x4") : "    async catch none";
                    while (br.RemainingBytes > 0)
                    {
                        uint y = br.ReadUInt32(), r = br.ReadUInt32();
                        int mrow = br.ReadCompressedInteger();
                        line += " await IL_" + y.ToString("x4") + " IL_" + r.ToString("x4") + " 0x" + (0x06000000 | mrow).ToString("x8");
                    }
                    stdout.WriteLine(line);
                }
                var hb = Cdi(pdb, mh, Hoisted);
                if (!hb.IsNil)
                {
                    var br = pdb.GetBlobReader(hb);
                    var line = "    hoisted";
                    while (br.RemainingBytes >= 8) { uint s = br.ReadUInt32(), l = br.ReadUInt32(); line += " IL_" + s.ToString("x4") + "+" + l; }
                    stdout.WriteLine(line);
                }
                foreach (var sp in mdi.GetSequencePoints())
                {
                    if (sp.IsHidden) stdout.WriteLine("    sp IL_" + sp.Offset.ToString("x4") + " hidden");
                    else stdout.WriteLine("    sp IL_" + sp.Offset.ToString("x4") + " " + MetadataTokens.GetRowNumber(sp.Document) + ":" + sp.StartLine + ":" + sp.StartColumn + "-" + sp.EndLine + ":" + sp.EndColumn);
                }
                Ty[] ltypes = Array.Empty<Ty>();
                if (m.RelativeVirtualAddress != 0)
                {
                    var body = pe.GetMethodBody(m.RelativeVirtualAddress);
                    if (!body.LocalSignature.IsNil)
                        ltypes = md.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(prov, ctx).ToArray();
                }
                foreach (var sh in pdb.GetLocalScopes(mh))
                {
                    var sc = pdb.GetLocalScope(sh);
                    stdout.WriteLine("    scope IL_" + sc.StartOffset.ToString("x4") + "-IL_" + sc.EndOffset.ToString("x4"));
                    foreach (var vh in sc.GetLocalVariables())
                    {
                        var v = pdb.GetLocalVariable(vh);
                        var ty = v.Index < ltypes.Length ? ltypes[v.Index].S : "?";
                        stdout.WriteLine("      local " + v.Index + " " + ty + " " + pdb.GetString(v.Name) + ((v.Attributes & LocalVariableAttributes.DebuggerHidden) != 0 ? " hidden" : ""));
                    }
                    foreach (var chh in sc.GetLocalConstants())
                    {
                        var c = pdb.GetLocalConstant(chh);
                        stdout.WriteLine("      const " + pdb.GetString(c.Name) + " = " + ConstText(pdb.GetBlobBytes(c.Signature)));
                    }
                }
            }
        }
        stdout.Flush();
        return 0;
    }
}
