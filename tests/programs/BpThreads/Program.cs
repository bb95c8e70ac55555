// BpThreads: 8 named threads (w0..w7) each pass one line 100 times, released together by a
// barrier so that they hit a breakpoint there at the same time; prints the total, exits 0.
using System;
using System.Threading;

static class Program
{
    const int Threads = 8;
    const int Rounds = 100;
    static long total;

    static void Work(int k, Barrier start)
    {
        start.SignalAndWait();
        for (int i = 0; i < Rounds; i++)
        {
            Interlocked.Add(ref total, k + 1); // @mark:hot
        }
    }

    static int Main()
    {
        var start = new Barrier(Threads);
        var threads = new Thread[Threads];
        for (int t = 0; t < Threads; t++)
        {
            int k = t;
            threads[t] = new Thread(() => Work(k, start)) { Name = "w" + t };
            threads[t].Start();
        }
        foreach (var th in threads) th.Join();
        Console.WriteLine("BpThreads: total " + Interlocked.Read(ref total)); // @mark:done
        return 0;
    }
}
