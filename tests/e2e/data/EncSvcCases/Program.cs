using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Reflection.Metadata;

namespace EncSvcCases;

public static class Program
{
    public static int Main(string[] args)
    {
        var calc = new Calc();
        var seen = new List<int> { 1, 2, 3 };
        int total = 0;
        for (int i = 0; i < 3; i++)
        {
            total += calc.Compute(i); // @mark:loop
        }
        Console.WriteLine("total=" + total + " above=" + calc.Above(seen) + " " + Calc.Describe(7));
        if (args.Length >= 2 && args[0] == "apply")
            return Apply(args, calc);
        if (args.Length == 1 && args[0] == "tokens")
            foreach (var m in typeof(Calc).GetMethods(BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.DeclaredOnly))
                Console.WriteLine("token " + m.Name + "=0x" + m.MetadataToken.ToString("x8"));
        return 0;
    }

    // `apply DIR [TOKEN NAME]`: applies DIR/N.meta, N.il, N.pdb (N = 1, 2, ...) to this
    // assembly in order with MetadataUpdater (DOTNET_MODIFIABLE_ASSEMBLIES=debug), then
    // prints what the edited methods answer now; with TOKEN and NAME, finds the added
    // method NAME of Calc, checks its token and calls it.
    static int Apply(string[] args, Calc calc)
    {
        var asm = typeof(Program).Assembly;
        Console.WriteLine("supported=" + MetadataUpdater.IsSupported);
        for (int n = 1; File.Exists(Path.Combine(args[1], n + ".meta")); n++)
        {
            var md = File.ReadAllBytes(Path.Combine(args[1], n + ".meta"));
            var il = File.ReadAllBytes(Path.Combine(args[1], n + ".il"));
            var pdb = File.ReadAllBytes(Path.Combine(args[1], n + ".pdb"));
            MetadataUpdater.ApplyUpdate(asm, md, il, pdb);
            Console.WriteLine("applied " + n);
        }
        Console.WriteLine("compute(5)=" + calc.Compute(5));
        // the slots of Compute's locals now (EnC keeps the old ones where they were)
        var locals = new List<string>();
        foreach (var l in typeof(Calc).GetMethod("Compute").GetMethodBody().LocalVariables)
            locals.Add(l.LocalType.Name);
        Console.WriteLine("locals=" + string.Join(",", locals));
        Console.WriteLine("param=" + typeof(Calc).GetMethod("Compute").GetParameters()[0].Name);
        Console.WriteLine("describe=" + Calc.Describe(7));
        if (args.Length >= 4)
        {
            var m = typeof(Calc).GetMethod(args[3], BindingFlags.Instance | BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic);
            Console.WriteLine("token=0x" + m.MetadataToken.ToString("x8") + " expected=" + args[2]);
            var ps = m.GetParameters();
            var values = new object[ps.Length];
            for (int i = 0; i < ps.Length; i++)
                values[i] = ps[i].ParameterType.GetElementType() == typeof(int) ? 20 : null;
            var r = m.Invoke(m.IsStatic ? null : calc, values);
            Console.WriteLine("injected=" + r + " args=" + string.Join(",", values) + " calls=" + calc.Calls + " history=" + calc.HistoryText);
        }
        return 0;
    }
}
