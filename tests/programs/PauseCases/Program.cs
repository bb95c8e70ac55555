// PauseCases: shapes the pause and "one stop per place" tests need, one scenario per args[0].
// (This header names markers without the comment-slash prefix, so that the tests' marker
// search finds only the marked code lines.)
//
//   busy RELEASE  a thread named "spinner" runs a busy loop in user code (the line marked
//                 spin, in PauseCases.Program.Spin) while the main thread waits in a
//                 Thread.Sleep loop (line marked wait) until the file RELEASE exists; then
//                 the spinner is told to stop and joined. Prints "ready <pid>" once the
//                 spinner runs, then "busy done"; exits 0.
//   dedup         calls Twice(i) for i = 0, 1, 2; the line marked dup runs once per call
//                 and prints "dup <i>". Then prints "dedup done"; exits 0.
//   brk           Break(i) for i = 0, 1: the line marked brk calls Debugger.Break() once
//                 per call, then prints "brk <i>"; then a second Debugger.Break() (line
//                 marked brk2) runs once. Prints "brk done"; exits 0.
//   throw         Parse() throws and catches a FormatException in user code (line marked
//                 throw) and prints "caught FormatException"; exits 0.
// Every scenario first prints "PauseCases: <scenario>".
using System;
using System.Diagnostics;
using System.IO;
using System.Threading;

namespace PauseCases
{
    static class Program
    {
        static volatile bool stop, spinning;
        static long spins;

        static void Spin()
        {
            long n = 0;
            spinning = true;
            while (!stop)
            {
                n++; // @mark:spin
            }
            spins = n;
        }

        static int Busy(string release)
        {
            var t = new Thread(Spin) { Name = "spinner" };
            t.Start();
            while (!spinning) Thread.Sleep(1);
            Console.WriteLine($"ready {Environment.ProcessId}");
            Console.Out.Flush();
            while (!File.Exists(release))
            {
                Thread.Sleep(20); // @mark:wait
            }
            stop = true;
            t.Join();
            Console.WriteLine("busy done");
            return 0;
        }

        static int Twice(int i)
        {
            Console.WriteLine("dup " + i); // @mark:dup
            return i * 2;
        }

        static void Break(int i)
        {
            Debugger.Break(); // @mark:brk
            Console.WriteLine("brk " + i);
        }

        static int Parse()
        {
            try
            {
                throw new FormatException("bad number"); // @mark:throw
            }
            catch (FormatException)
            {
                Console.WriteLine("caught FormatException");
            }
            return 0;
        }

        static int Main(string[] args)
        {
            string what = args.Length > 0 ? args[0] : "";
            Console.WriteLine("PauseCases: " + what);
            switch (what)
            {
                case "busy":
                    return Busy(args[1]);
                case "dedup":
                    for (int i = 0; i < 3; i++) Twice(i);
                    Console.WriteLine("dedup done");
                    return 0;
                case "brk":
                    for (int i = 0; i < 2; i++) Break(i);
                    Debugger.Break(); // @mark:brk2
                    Console.WriteLine("brk done");
                    return 0;
                case "throw":
                    return Parse();
                default:
                    Console.WriteLine($"PauseCases: unknown scenario '{what}'");
                    return 2;
            }
        }
    }
}
