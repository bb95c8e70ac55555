// Hello: the smallest debuggee.
//   Hello [CODE] [cwd] [env:NAME]...
// Prints "hello from Hello", then for each later argument "cwd" prints
// "cwd=<current directory>" and for "env:NAME" prints "env NAME=<value>" (or
// "env NAME unset"); returns CODE (default 0).
using System;

static class Program
{
    static int Main(string[] args)
    {
        Console.WriteLine("hello from Hello"); // @mark:hello
        int code = args.Length > 0 ? int.Parse(args[0]) : 0;
        for (int i = 1; i < args.Length; i++)
        {
            string a = args[i];
            if (a == "cwd")
                Console.WriteLine("cwd=" + Environment.CurrentDirectory);
            else if (a.StartsWith("env:", StringComparison.Ordinal))
            {
                string name = a.Substring(4);
                string? value = Environment.GetEnvironmentVariable(name);
                Console.WriteLine(value == null ? $"env {name} unset" : $"env {name}={value}");
            }
        }
        return code; // @mark:return
    }
}
