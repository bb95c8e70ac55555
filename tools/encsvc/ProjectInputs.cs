// The compile inputs of a built project: the csc command line that MSBuild would run, asked of
// MSBuild without compiling (SkipCompilerExecution), parsed by Roslyn's own command-line
// parser, so that references, defines, language version, nullable context and source
// generators are exactly those of the build. (An MSBuildWorkspace would need MSBuild loaded
// into this process: seconds of start-up and many assemblies; the PDB's compilation-options
// record lacks reference paths and analyzers.) The answer is cached per project under
// ~/.cache/cordbg-encsvc, keyed on the built module's size and time and the project file's
// time, so that a second session on the same build starts without running MSBuild.
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis.CSharp;

namespace CordbgEncSvc;

static class ProjectInputs
{
    /// <summary>The csc arguments of PROJECT's build (configuration and target framework as
    /// read from the PDB's generated AssemblyInfo path, else Debug).</summary>
    public static CSharpCommandLineArguments Load(string project, string module, IEnumerable<string> pdbDocs, out bool fromCache)
    {
        string cfg = null, tfm = null, objDir = null;
        foreach (var d in pdbDocs)
        {
            var m = Regex.Match(d.Replace('\\', '/'), @"/obj/([^/]+)/([^/]+)/[^/]+\.AssemblyInfo\.cs$");
            if (m.Success)
            {
                cfg = m.Groups[1].Value;
                tfm = m.Groups[2].Value;
                objDir = Path.GetDirectoryName(d);
                break;
            }
        }
        cfg ??= "Debug";
        var projDir = Path.GetDirectoryName(project);
        var args = CachedArgs(project, module, cfg, tfm, out fromCache) ?? RunMsbuild(project, module, cfg, tfm, objDir);
        var parsed = CSharpCommandLineParser.Default.Parse(args, projDir, null);
        var errors = parsed.Errors.Where(e => e.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
            throw new ProtocolError($"the compiler arguments of {project} do not parse: {errors[0].GetMessage()}");
        return parsed;
    }

    static string CacheFile(string project, string cfg, string tfm)
    {
        var home = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (string.IsNullOrEmpty(home))
            home = Path.Combine(Environment.GetEnvironmentVariable("HOME") ?? "/tmp", ".cache");
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(project + "|" + cfg + "|" + tfm)))[..24];
        return Path.Combine(home, "cordbg-encsvc", key + ".json");
    }

    static string Stamp(string project, string module)
    {
        var m = new FileInfo(module);
        var p = new FileInfo(project);
        return $"{m.Length}:{m.LastWriteTimeUtc.Ticks}:{p.LastWriteTimeUtc.Ticks}";
    }

    static string[] CachedArgs(string project, string module, string cfg, string tfm, out bool hit)
    {
        hit = false;
        if (Environment.GetEnvironmentVariable("CORDBG_ENCSVC_NOCACHE") == "1")
            return null;
        try
        {
            var f = CacheFile(project, cfg, tfm);
            if (!File.Exists(f))
                return null;
            var o = JsonNode.Parse(File.ReadAllText(f));
            if ((string)o["stamp"] != Stamp(project, module))
                return null;
            var args = o["args"].AsArray().Select(a => (string)a).ToArray();
            hit = true;
            File.SetLastWriteTimeUtc(f, DateTime.UtcNow);
            return args;
        }
        catch (Exception e)
        {
            Log.Write("args cache unreadable: " + e.Message);
            return null;
        }
    }

    /// <summary>MSBuild's compile targets regenerate files in the intermediate folder
    /// (AssemblyInfo.cs carries the git commit in its informational version, so a commit since
    /// the build changes it): with objDir known they write into a scratch folder instead, and
    /// the arguments are mapped back to objDir, whose files are still those of the build.</summary>
    static string[] RunMsbuild(string project, string module, string cfg, string tfm, string objDir)
    {
        string scratch = null;
        if (objDir != null)
        {
            scratch = Path.Combine(Path.GetTempPath(), $"cordbg-encsvc-obj-{Environment.ProcessId}-{Guid.NewGuid():N}");
            Directory.CreateDirectory(scratch);
        }
        try
        {
            var args = RunMsbuildInto(project, cfg, tfm, scratch);
            if (scratch != null)
                args = args.Select(a => a.Replace(scratch + "/", objDir + "/").Replace(scratch, objDir)).ToArray();
            SaveArgs(project, module, cfg, tfm, args);
            return args;
        }
        finally
        {
            if (scratch != null)
                try { Directory.Delete(scratch, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    static string[] RunMsbuildInto(string project, string cfg, string tfm, string scratch)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(project),
        };
        foreach (var a in new[] { "msbuild", project, "-nologo", "-v:q", "-t:Compile", "-p:Configuration=" + cfg,
                                  "-p:SkipCompilerExecution=true", "-p:ProvideCommandLineArgs=true",
                                  // an input that never exists: CoreCompile runs (and records its arguments) even when up to date
                                  "-p:NonExistentFile=/nonexistent/cordbg-encsvc", "-getItem:CscCommandLineArgs", "-nodeReuse:false" })
            psi.ArgumentList.Add(a);
        if (tfm != null)
            psi.ArgumentList.Add("-p:TargetFramework=" + tfm);
        if (scratch != null)
            psi.ArgumentList.Add("-p:IntermediateOutputPath=" + scratch + "/");
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi);
        p.StandardInput.Close();
        var errTask = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        var err = errTask.Result;
        Log.Write($"msbuild {project}: exit {p.ExitCode} in {sw.ElapsedMilliseconds} ms");
        string[] args = null;
        try
        {
            var start = output.IndexOf('{');
            if (start >= 0)
            {
                var o = JsonNode.Parse(output[start..]);
                args = o["Items"]["CscCommandLineArgs"].AsArray().Select(i => (string)i["Identity"]).ToArray();
            }
        }
        catch (JsonException) { }
        if (p.ExitCode != 0 || args == null || args.Length == 0)
        {
            var why = (output + "\n" + err).Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains("error")) ?? "no compiler arguments";
            throw new ProtocolError($"cannot get the compile inputs of {project} from MSBuild: {why}");
        }
        return args;
    }

    static void SaveArgs(string project, string module, string cfg, string tfm, string[] args)
    {
        try
        {
            var f = CacheFile(project, cfg, tfm);
            Directory.CreateDirectory(Path.GetDirectoryName(f));
            var tmp = f + "." + Environment.ProcessId;
            File.WriteAllText(tmp, new JsonObject { ["project"] = project, ["stamp"] = Stamp(project, module), ["args"] = new JsonArray(args.Select(a => (JsonNode)a).ToArray()) }.ToJsonString());
            File.Move(tmp, f, true);
            // entries of projects not opened for a week go (test runs make many)
            foreach (var old in Directory.GetFiles(Path.GetDirectoryName(f), "*.json"))
                if (File.GetLastWriteTimeUtc(old) < DateTime.UtcNow.AddDays(-7))
                    File.Delete(old);
        }
        catch (Exception e)
        {
            Log.Write("args cache not written: " + e.Message);
        }
    }

    /// <summary>The .csproj next to or above the program's sources.</summary>
    public static string FindProject(IEnumerable<string> docs)
    {
        foreach (var d in docs)
        {
            if (d.Contains("/obj/") || !Path.IsPathRooted(d))
                continue;
            for (var dir = Path.GetDirectoryName(d); !string.IsNullOrEmpty(dir); dir = Path.GetDirectoryName(dir))
            {
                if (!Directory.Exists(dir))
                    continue;
                var projs = Directory.GetFiles(dir, "*.csproj");
                if (projs.Length == 1)
                    return projs[0];
                if (projs.Length > 1)
                    throw new ProtocolError($"several projects in {dir}: give \"project\"");
            }
        }
        throw new ProtocolError("no .csproj found above the program's source files: give \"project\"");
    }
}
