// `apply DIR`: applies DIR/N.meta, N.il, N.pdb (N = 1, 2, ...) with MetadataUpdater
// (DOTNET_MODIFIABLE_ASSEMBLIES=debug), then prints what the edited code answers.
using System.Text.RegularExpressions;
using System.Reflection.Metadata;

var seen = new List<int> { 1, 2, 3 };
int total = 0;
foreach (var v in seen)
{
    total += v; // @mark:loop
}
Console.WriteLine($"total={total} word={Gen.Word().IsMatch("abc")} async={await Work.RunAsync(3)} box={new Box<int>(4).Get()}");
if (args.Length >= 1 && args[0] == "apply")
{
    for (int n = 1; File.Exists(Path.Combine(args[1], n + ".meta")); n++)
    {
        MetadataUpdater.ApplyUpdate(typeof(Gen).Assembly, File.ReadAllBytes(Path.Combine(args[1], n + ".meta")), File.ReadAllBytes(Path.Combine(args[1], n + ".il")), File.ReadAllBytes(Path.Combine(args[1], n + ".pdb")));
        Console.WriteLine("applied " + n);
    }
    Console.WriteLine($"word={Gen.Word().IsMatch("abc")} async={await Work.RunAsync(3)} box={new Box<int>(4).Get()} digits={Gen.Digits()}");
    if (args.Length >= 3)
    {
        // an injected method of Program: called with this frame's variables by reference
        var m = typeof(Program).GetMethod(args[2], System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!;
        var ps = m.GetParameters();
        var values = new object?[ps.Length];
        for (int i = 0; i < ps.Length; i++)
        {
            var t = ps[i].ParameterType.GetElementType();
            values[i] = t == typeof(List<int>) ? seen : t == typeof(int) ? total : t == typeof(string[]) ? args : null;
        }
        var r = m.Invoke(null, values);
        Console.WriteLine($"injected={r} seen={string.Join(",", seen)} total={values[2]}");
    }
}

static partial class Gen
{
    [GeneratedRegex("^[a-z]+$")]
    public static partial Regex Word();
    public static bool Digits() => false;
}

static class Work
{
    public static async Task<int> RunAsync(int n)
    {
        int acc = 0;
        for (int i = 0; i < n; i++)
        {
            await Task.Yield();
            acc += i;
        }
        return acc;
    }
}

record Box<T>(T Value)
{
    public T Get() => Value;
}
