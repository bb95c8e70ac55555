// Debuggee for the engine half of code injection (tests/e2e/test_inject_call.py): methods
// with `ref` parameters that cordbg calls by token on a stopped thread, passing the frame's
// own variables, as it calls the methods Edit and Continue adds for injected code. The
// program prints what the debugger should observe: its module, the tokens, and the
// variables after each stop.
using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading.Tasks;

namespace InjectCall;

class Program
{
    int field = 5;

    static int Bump(ref int total, ref List<int> seen)
    {
        seen.Add(100);
        total = 0;
        foreach (var x in seen) total += x;
        return total * 2;
    }

    static void Replace(ref List<int> seen) { seen = new List<int> { 7, 8 }; }

    int AddToField(ref int total)
    {
        field += total;
        total = -1;
        return field;
    }

    static string Token(string name) =>
        "0x" + typeof(Program).GetMethod(name, BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance)!
            .MetadataToken.ToString("x8");

    void Instance()
    {
        int total = 10;
        Console.WriteLine("instance stop"); // @mark:instance
        Console.WriteLine($"instance total={total} field={field}");
    }

    static async Task<int> Hoisted()
    {
        var seen = new List<int> { 1 };
        int total = 1;
        await Task.Yield();
        Console.WriteLine("async stop"); // @mark:async
        Console.WriteLine($"async total={total} seen={string.Join(",", seen)}");
        return total;
    }

    static void Closure()
    {
        var seen = new List<int> { 4 };
        int total = 4;
        Action a = () =>
        {
            Console.WriteLine("lambda stop"); // @mark:lambda
            Console.WriteLine($"lambda total={total} seen={string.Join(",", seen)}");
        };
        a();
    }

    static async Task Main()
    {
        Console.WriteLine($"module={typeof(Program).Assembly.Location}");
        Console.WriteLine($"tokens Bump={Token("Bump")} Replace={Token("Replace")} AddToField={Token("AddToField")}");
        var seen = new List<int> { 1, 2, 3 };
        int total = 6;
        Console.WriteLine("main stop"); // @mark:main
        Console.WriteLine($"main total={total} seen={string.Join(",", seen)}");
        new Program().Instance();
        await Hoisted();
        Closure();
        Console.WriteLine("done");
    }
}
