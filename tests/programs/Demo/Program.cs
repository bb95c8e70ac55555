// Demo: the program of `make demo`. Starts a named worker thread, logs a message to the
// debugger, stops once at Debugger.Break() when a debugger is attached, returns 7.
using System;
using System.Diagnostics;
using System.Threading;

static class Program
{
    static long Fib(int n)
    {
        long a = 0, b = 1;
        for (int i = 0; i < n; i++)
        {
            long t = a + b; // @mark:fib
            a = b;
            b = t;
        }
        return a;
    }

    static int Main(string[] args)
    {
        Console.WriteLine("Demo: starting"); // @mark:start
        long result = 0;
        var worker = new Thread(() => { result = Fib(40); }) { Name = "worker" };
        worker.Start();
        worker.Join();
        Debugger.Log(0, "demo", "message from Demo\n");
        if (Debugger.IsAttached)
            Debugger.Break(); // @mark:break
        Console.WriteLine($"Demo: fib(40) = {result}"); // @mark:result
        return 7;
    }
}
