// DapCases: shapes the DAP tests (tests/dap/) need, one scenario per args[0]; every line
// the tests use carries an @mark comment. Output is deterministic.
// (This header names markers without the comment-slash prefix, so that the tests'
// marker search finds only the marked code lines.)
//
//   loop     for (int i = 0; i < 6; i++) the line marked loop runs once per i (0..5) and
//            calls Square(i) (static int DapCases.Program.Square(int v): open brace marked
//            square_open, body square_body); prints "square <v>" from Square each time,
//            then "loop total=55"; exits 0.
//   step     Outer(): a = 1 (outer_first), b = Inner(a) (outer_call), prints "b=2"
//            (outer_after). Inner(int x): open brace inner_open, y = x * 2 (inner_body),
//            return y (inner_return). Prints "step done"; exits 0.
//   goto     x = 1 (goto_start), x = 100 (goto_skip), prints "goto x=<x>" (goto_target):
//            "goto x=1" when a debugger moved the next statement from goto_skip to
//            goto_target, "goto x=100" otherwise; exits 0.
//   recurse  Recurse(5): Recurse(int n) calls itself (rec_call) down to n == 0, where the
//            line marked rec_bottom runs once; the stack there is Recurse x6 then Main.
//            Prints "recurse 5"; exits 0.
//   exit     prints "exiting with 42" and exits with code 42 (line marked exit).
//   output   writes "out: h\u00e9llo \u2713" + newline to stdout (line marked out) and
//            "err: line two" + newline to stderr (line marked err); exits 0.
//   callback List<int>{7}.ForEach(v => Callback(v)): Callback prints "callback 7" (line
//            marked callback_body), with List.ForEach (framework code) between; exits 0.
//   args     prints "arg[<a>]" for each later argument a; exits 0.
//   env      for each later argument NAME prints "env NAME=[<value>]" or "env NAME unset"; exits 0.
//   (other)  prints "DapCases: unknown scenario '<name>'" and exits 2.
// Every scenario first prints "DapCases: <scenario>".
using System;

namespace DapCases
{
    static class Program
    {
        static int Square(int v)
        { // @mark:square_open
            Console.WriteLine("square " + v); // @mark:square_body
            return v * v;
        }

        static int Loop()
        {
            int total = 0;
            for (int i = 0; i < 6; i++)
            {
                total += Square(i); // @mark:loop
            }
            Console.WriteLine("loop total=" + total);
            return 0;
        }

        static int Inner(int x)
        { // @mark:inner_open
            int y = x * 2; // @mark:inner_body
            return y; // @mark:inner_return
        }

        static int Outer()
        {
            int a = 1; // @mark:outer_first
            int b = Inner(a); // @mark:outer_call
            Console.WriteLine("b=" + b); // @mark:outer_after
            return b;
        }

        static int Goto()
        {
            int x = 1; // @mark:goto_start
            x = 100; // @mark:goto_skip
            Console.WriteLine("goto x=" + x); // @mark:goto_target
            return 0;
        }

        static int Recurse(int n)
        {
            if (n == 0)
                return 0; // @mark:rec_bottom
            return Recurse(n - 1) + 1; // @mark:rec_call
        }

        static void Callback(int v)
        {
            Console.WriteLine("callback " + v); // @mark:callback_body
        }

        static int Main(string[] args)
        {
            string what = args.Length > 0 ? args[0] : "";
            Console.WriteLine("DapCases: " + what);
            switch (what)
            {
                case "loop":
                    return Loop();
                case "step":
                    Outer();
                    Console.WriteLine("step done");
                    return 0;
                case "goto":
                    return Goto();
                case "recurse":
                    Console.WriteLine("recurse " + Recurse(5));
                    return 0;
                case "exit":
                    Console.WriteLine("exiting with 42");
                    return 42; // @mark:exit
                case "output":
                    Console.Out.Write("out: h\u00e9llo \u2713\n"); // @mark:out
                    Console.Out.Flush();
                    Console.Error.Write("err: line two\n"); // @mark:err
                    Console.Error.Flush();
                    return 0;
                case "callback":
                    // framework code between two user frames: Main -> List.ForEach -> lambda -> Callback
                    new System.Collections.Generic.List<int> { 7 }.ForEach(v => Callback(v));
                    return 0;
                case "args":
                    // each later argument in brackets: how the launch's 'args' were split
                    for (int i = 1; i < args.Length; i++)
                        Console.WriteLine("arg[" + args[i] + "]");
                    return 0;
                case "env":
                    // each later argument names a variable: its value or "unset"
                    for (int i = 1; i < args.Length; i++)
                    {
                        string? v = Environment.GetEnvironmentVariable(args[i]);
                        Console.WriteLine("env " + args[i] + (v == null ? " unset" : "=[" + v + "]"));
                    }
                    return 0;
                default:
                    Console.WriteLine("DapCases: unknown scenario '" + what + "'");
                    return 2;
            }
        }
    }
}
