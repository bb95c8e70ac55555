// BigHeap: a process to dump for the post-mortem benchmark (bench/run.py P11).
//   BigHeap heap MB      allocates MB megabytes of managed arrays (1 MB each, touched so
//                        that the pages are real), prints "heap MB ready", then throws an
//                        unhandled exception from Crash() (run it with
//                        DOTNET_DbgEnableMiniDump=1 DOTNET_DbgMiniDumpType=4 for a full dump)
//   BigHeap threads N    starts N threads that block in Wait(), prints "threads N ready",
//                        then throws the same way
using System;
using System.Collections.Generic;
using System.Threading;

static class Program
{
    static readonly List<byte[]> Keep = new();

    static void Crash(string what, int n)
    {
        int kept = Keep.Count;
        throw new InvalidOperationException($"{what} {n}: crash for the dump ({kept} arrays)"); // @mark:throw
    }

    static void Wait(ManualResetEvent gate, CountdownEvent ready)
    {
        ready.Signal();
        gate.WaitOne();
    }

    static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "heap";
        int n = args.Length > 1 ? int.Parse(args[1]) : 1024;
        if (mode == "heap")
        {
            for (int i = 0; i < n; i++)
            {
                var a = new byte[1 << 20];
                for (int k = 0; k < a.Length; k += 4096) a[k] = (byte)(i + k);
                Keep.Add(a);
            }
            Console.WriteLine($"heap {n} ready");
        }
        else
        {
            var gate = new ManualResetEvent(false);
            var ready = new CountdownEvent(n);
            for (int i = 0; i < n; i++)
            {
                var t = new Thread(() => Wait(gate, ready)) { IsBackground = true, Name = "worker " + i };
                t.Start();
            }
            ready.Wait();
            Console.WriteLine($"threads {n} ready");
        }
        Crash(mode, n);
        return 0;
    }
}
