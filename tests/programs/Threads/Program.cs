// Threads: starts 3 named threads that each run briefly and end, then exits 0.
using System;
using System.Threading;

static class Program
{
    static int Main()
    {
        var threads = new Thread[3];
        long[] sums = new long[3];
        for (int i = 0; i < threads.Length; i++)
        {
            int k = i;
            threads[i] = new Thread(() =>
            {
                long s = 0;
                for (int j = 0; j < 100000; j++) s += j % (k + 2); // @mark:work
                sums[k] = s;
            }) { Name = "t" + (i + 1) };
            threads[i].Start();
        }
        foreach (var t in threads) t.Join();
        Console.WriteLine($"Threads: done {sums[0] + sums[1] + sums[2]}");
        return 0;
    }
}
