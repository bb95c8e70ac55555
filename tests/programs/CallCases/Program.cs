// CallCases: calls as C# binds them (issue 17): overloads by static types, params arrays,
// optional and named arguments, generic type inference, extension methods (the user's and
// System.Linq's), methods of primitives, enums and arrays, and unqualified calls to the
// user type's static methods from compiler-generated frames (async, iterator, lambdas).
// Main runs every part once and exits 0; the output is deterministic and no method here is
// called by the program with the debugger's arguments, so the output shows any harm done.
//
// Markers (named without the comment-slash prefix here, so the tests find only code lines):
// main:    static void Program.Sync(): int i = 7, byte by = 3, int[] nums = {5, 3, 9, 1},
//          List<int> list = {4, 8, 15}, string[] words = {"b", "a", "c"},
//          S[] structArray = {S(1), S(2)}, Perm perm = Perm.Read | Perm.Write,
//          string greeting = "hello big world", object obj = 17, string? nul = null,
//          int distinct = 4 (System.Linq is loaded by then: its extension methods are found)
// async:   inside static async Task<int> Program.RunAsync(int[] nums) after an await
// iter:    inside static IEnumerable<int> Program.Gen(int n), the loop body (hit n times)
// lambda:  inside a static lambda (class <>c) in Program.Lambdas()
// closure: inside a lambda capturing int captured = 5 (a <>c__DisplayClass) in Program.Lambdas()
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;

[Flags] enum Perm { None = 0, Read = 1, Write = 2, Execute = 4 }

struct S
{
    public int A;
    public S(int a) { A = a; }
}

static class Ext
{
    public static int Twice(this int x) => x * 2;
    public static string Shout(this string s) => s.ToUpperInvariant() + "!";
    public static T Second<T>(this T[] a) => a[1];
}

static class Program
{
    static string TestArrayArg(int[] a, int k) => "int[] " + (a.Length + k);
    static string TestArrayArg(S[] a, int k) => "S[] " + (a[0].A + k);
    static string Over(int x) => "int";
    static string Over(long x) => "long";
    static string Over(double x) => "double";
    static string Over(object x) => "object";
    static string Over(string x) => "string";
    static string Sg(sbyte x) => "sbyte";
    static string Sg(byte x) => "byte";
    static string Amb(int a, long b) => "int,long";
    static string Amb(long a, int b) => "long,int";
    static string Form(int a) => "normal";
    static string Form(params int[] a) => "expanded " + a.Length;
    static string Gen1(int a) => "int";
    static string Gen1<T>(T a) => "generic " + typeof(T).Name;
    static int Sum(params int[] xs) { int t = 0; foreach (var x in xs) t += x; return t; }
    static string Join(string sep, params object[] parts) => string.Join(sep, parts);
    static int Opt(int a, int b = 10, int c = 100) => a + b + c;
    static string Defaults(int a, string s = "d", Perm p = Perm.Write, object? o = null, double d = 1.5, char ch = 'z')
        => a + "|" + s + "|" + p + "|" + (o == null ? "null" : o.ToString()) + "|" + d + "|" + ch;
    static string NOpt(int? x = null) => x.HasValue ? "v" + x.Value : "none";
    static string Money(decimal m = 2.5m, decimal big = -79228162514264337593543950335m) => "m" + m + " " + big;
    static string When(DateTime d = default, Perm p = default) => d.Year + " " + p;
    static T Largest<T>(params T[] xs) where T : IComparable<T>
    {
        T best = xs[0];
        foreach (var x in xs) if (x.CompareTo(best) > 0) best = x;
        return best;
    }
    static T Pick<T>(T a, T b) => b;
    static string FirstOf<T>(IEnumerable<T> items) => "first " + items.First();
    static int Total(int[] a) { int t = 0; foreach (var x in a) t += x; return t; }
    static int Helper() => 41;
    static int TakeS(S s) => s.A + 1;

    static void Sync()
    {
        int i = 7;
        byte by = 3;
        int[] nums = { 5, 3, 9, 1 };
        var list = new List<int> { 4, 8, 15 };
        string[] words = { "b", "a", "c" };
        S[] structArray = { new S(1), new S(2) };
        Perm perm = Perm.Read | Perm.Write;
        string greeting = "hello big world";
        object obj = 17;
        string? nul = null;
        int distinct = nums.Distinct().Count();     // System.Linq is loaded before the stop
        Console.WriteLine("sync " + i); // @mark:main
        Console.WriteLine("sums " + Sum(nums) + " " + list.Count + " " + words.Length + " " + structArray.Length + " " +
                          perm + " " + greeting.Length + " " + obj + " " + (nul ?? "none") + " " + by + " " + distinct);
    }

    static async Task<int> RunAsync(int[] nums)
    {
        int before = nums.Length;
        await Task.Yield();
        int after = before + 1;
        Console.WriteLine("async " + after); // @mark:async
        return after;
    }

    static IEnumerable<int> Gen(int n)
    {
        for (int k = 0; k < n; k++)
        {
            yield return k * 10; // @mark:iter
        }
    }

    static void Lambdas()
    {
        Func<int> plain = () =>
        {
            int v = 1;
            return v + 1; // @mark:lambda
        };
        int captured = 5;
        Func<int> closure = () =>
        {
            return captured * 2; // @mark:closure
        };
        Console.WriteLine("lambdas " + plain() + " " + closure());
    }

    static async Task<int> Main()
    {
        Sync();
        int r = await RunAsync(new[] { 1, 2, 3 });
        int g = 0;
        foreach (var x in Gen(2)) g += x;
        Console.WriteLine("gen " + g);
        Lambdas();
        Console.WriteLine("done " + r + " " + Helper());
        return 0;
    }
}
