// BpLoader: loads ../BpPlugin/BpPlugin.dll (the plugin's folder next to its own in
// tests/out; BpLoader does not reference it at build time) after it has printed
// "loader: before load", calls BpPluginNs.Plugin.Run(21) by reflection, prints the result.
//   (no args)  Assembly.LoadFrom; exits 0
//   unload     loads the plugin into a collectible AssemblyLoadContext, calls it, unloads the
//              context and collects until it is gone, prints "loader: unloaded True"; exits 0
using System;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;

static class Program
{
    static string PluginPath()
    {
        return Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "BpPlugin", "BpPlugin.dll"));
    }

    static object? CallRun(Assembly asm)
    {
        Type t = asm.GetType("BpPluginNs.Plugin", true)!;
        return t.GetMethod("Run")!.Invoke(null, new object[] { 21 });
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    static WeakReference LoadCallUnload(string path)
    {
        var alc = new AssemblyLoadContext("plugin", isCollectible: true);
        object? r = CallRun(alc.LoadFromAssemblyPath(path));
        Console.WriteLine("loader: result " + r);
        alc.Unload();
        return new WeakReference(alc);
    }

    static int Main(string[] args)
    {
        string path = PluginPath();
        Console.WriteLine("loader: before load"); // @mark:before_load
        if (args.Length > 0 && args[0] == "unload")
        {
            WeakReference alive = LoadCallUnload(path);
            for (int i = 0; alive.IsAlive && i < 50; i++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
            Console.WriteLine("loader: unloaded " + !alive.IsAlive); // @mark:after_unload
            return 0;
        }
        Assembly asm = Assembly.LoadFrom(path);
        object? result = CallRun(asm);
        Console.WriteLine("loader: result " + result); // @mark:after_call
        return 0;
    }
}
