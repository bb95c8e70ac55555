// Debuggee for cordbg's Edit and Continue and code injection tests (tests/e2e/test_enc.py).
// Tests never edit this file in place: cdb.enc_program() copies the project to a temporary
// folder, builds it there, and the tests edit that copy.
//   EncCases loop N      N iterations of Compute, then Stepped, then the shape; "done"
//   EncCases spin FILE   iterations of Compute every 20 ms until FILE exists; "done"
using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;

namespace EncCases
{
    public class Shape
    {
        public int Sides = 4;
        public string Describe() => "shape with " + Sides + " sides";
    }

    public static class Program
    {
        static int total;                                  // a field for injection
        static readonly List<int> seen = new List<int>();  // a collection for injection

        // Edited by the tests: the arithmetic changes, or a call to an added method.
        static int Compute(int i)
        {
            int r = i * 2 + 1; // @mark:compute
            return r;
        }

        // Stopped in and edited by the remap test.
        static int Stepped(int x)
        {
            int a = x + 1; // @mark:stepped_a
            int b = a * 10; // @mark:stepped_b
            int c = b + 3; // @mark:stepped_c
            return c; // @mark:stepped_ret
        }

        static int Loop(int n)
        {
            int sum = 0;
            for (int i = 0; i < n; i++)
            {
                int v = Compute(i); // @mark:loop
                seen.Add(v);
                sum += v;
                total = sum;
                Console.WriteLine("iter " + i + ": " + v); // @mark:print
            }
            return sum;
        }

        static void Spin(string file)
        {
            for (int i = 0; !File.Exists(file); i++)
            {
                int v = Compute(i); // @mark:spin
                Console.WriteLine("iter " + i + ": " + v);
                Thread.Sleep(20);
            }
        }

        public static int Main(string[] args)
        {
            if (args.Length > 1 && args[0] == "spin")
            {
                Spin(args[1]);
                Console.WriteLine("done");
                return 0;
            }
            int n = args.Length > 1 ? int.Parse(args[1]) : 3;
            int sum = Loop(n);
            Console.WriteLine("sum: " + sum + " total: " + total + " seen: " + string.Join(",", seen.Select(x => x.ToString())));
            Console.WriteLine("stepped: " + Stepped(4)); // @mark:call_stepped
            Console.WriteLine(new Shape().Describe());
            Console.WriteLine("done"); // @mark:done
            return 0;
        }
    }
}
