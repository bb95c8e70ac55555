// CoreCases: scenarios for cordbg's post-mortem (core dump) tests. The first argument picks
// one; each prints what a debugger opening its dump should observe:
//   unhandled          Crash() throws an InvalidOperationException nobody catches, at
//                      the "throw" mark, with locals of many kinds (the dump's crash moment)
//   async              an async method throws an ArgumentException after an await, at the
//                      "async_throw" mark; Main waits on its task (GetResult rethrows it: the
//                      throwing frames are gone from the stack when the process dies)
//   failfast           Environment.FailFast("core cases: fail fast 7") at the "failfast" mark
//   segv               a P/Invoke into libnative.so's native_crash(1), which dereferences NULL
//                      (SIGSEGV in native code under a managed frame at the "segv" mark)
//   break              reaches the "gcore" mark (a test stops there and writes a core), then ends
//                      normally with "CoreCases: break done 60"
//   threads N [crash]  N threads named "blocked-I" wait in Blocked() at the "blocked" mark; after
//                      "CoreCases: threads N ready" the program throws unhandled on the main
//                      thread at the "threads_throw" mark with "crash", else waits for a line on
//                      stdin (or its end), releases them and ends with "CoreCases: threads done"
//   heap MB [crash]    keeps MB megabytes of small arrays alive, prints "CoreCases: heap MB
//                      ready", then as threads (crash at the "heap_throw" mark, or stdin, then
//                      "CoreCases: heap done")
using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;
using System.Threading;

record Point(int X, int Y);

class Holder
{
    public int Count = 5;
    public string Label = "holder";
    private readonly List<int> _values = new List<int> { 10, 20, 30 };
    // a getter: a dump cannot run it, so its backing field shows instead
    public int Total { get { int t = 0; foreach (var v in _values) t += v; return t; } }
}

static class Native
{
    [DllImport("native", CallingConvention = CallingConvention.Cdecl)]
    public static extern void native_crash(int kind);
}

static class Program
{
    static readonly object Gate = new object();
    static bool open;

    static int Main(string[] args)
    {
        string scenario = args.Length > 0 ? args[0] : "";
        switch (scenario)
        {
            case "unhandled": return Unhandled();
            case "failfast": return FailFast(7);
            case "async": return AsyncOuter().GetAwaiter().GetResult();
            case "segv": return Segv(3);
            case "break": return Break(60);
            case "threads": return Threads(args.Length > 1 ? int.Parse(args[1]) : 4,
                                           args.Length > 2 && args[2] == "crash");
            case "heap": return Heap(args.Length > 1 ? int.Parse(args[1]) : 64,
                                     args.Length > 2 && args[2] == "crash");
        }
        Console.Error.WriteLine("usage: CoreCases unhandled|failfast|segv|break|threads N [crash]|heap MB [crash]");
        return 2;
    }

    static int Unhandled()
    {
        Console.WriteLine("CoreCases: unhandled start");
        return Crash(3, "state");
    }

    static int Crash(int depth, string why)
    {
        int count = 42;
        string name = "core-cases";
        int[] numbers = { 1, 2, 3, 5, 8 };
        var items = new List<string> { "alpha", "beta", "gamma" };
        var point = new Point(3, 4);
        var ages = new Dictionary<string, int> { ["ann"] = 31, ["bob"] = 42 };
        var holder = new Holder();
        Console.WriteLine($"CoreCases: count={count} name={name} numbers={numbers.Length} items={items.Count} point={point} ages={ages.Count} total={holder.Total} depth={depth}");
        throw new InvalidOperationException($"core cases: bad {why} {count}"); // @mark:throw
    }

    static async System.Threading.Tasks.Task<int> AsyncOuter()
    {
        await System.Threading.Tasks.Task.Yield();
        int got = await AsyncInner(5);   // @mark:async_await
        return got;
    }

    static async System.Threading.Tasks.Task<int> AsyncInner(int n)
    {
        await System.Threading.Tasks.Task.Delay(1);
        string label = "inner " + n;
        Console.WriteLine("CoreCases: async " + label);
        if (n > 0) throw new ArgumentException("core cases: async " + n);   // @mark:async_throw
        return n;
    }

    static int FailFast(int code)
    {
        string reason = "core cases: fail fast " + code;
        Console.WriteLine("CoreCases: failfast start");
        Environment.FailFast(reason); // @mark:failfast
        return code;
    }

    static int Segv(int kind)
    {
        int before = kind * 10;
        Console.WriteLine($"CoreCases: segv start {before}");
        Native.native_crash(1); // @mark:segv
        return before;
    }

    static int Break(int total)
    {
        int count = 42;
        string name = "core-cases";
        int[] numbers = { 1, 2, 3, 5, 8 };
        var items = new List<string> { "alpha", "beta", "gamma" };
        var point = new Point(3, 4);
        var ages = new Dictionary<string, int> { ["ann"] = 31, ["bob"] = 42 };
        Console.WriteLine($"CoreCases: break count={count} name={name} numbers={numbers.Length} items={items.Count} point={point} ages={ages.Count}");
        total += point.X + point.Y - 7; // @mark:gcore
        Console.WriteLine($"CoreCases: break done {total}");
        return 0;
    }

    static void Blocked(int index, CountdownEvent ready)
    {
        int mine = index * 100;
        lock (Gate)
        {
            ready.Signal();
            while (!open)
                Monitor.Wait(Gate); // @mark:blocked
        }
        GC.KeepAlive(mine);
    }

    static Thread[] StartBlocked(int n)
    {
        var ready = new CountdownEvent(n);
        var threads = new Thread[n];
        for (int i = 0; i < n; i++)
        {
            int k = i;
            threads[i] = new Thread(() => Blocked(k, ready)) { Name = "blocked-" + k, IsBackground = true };
            threads[i].Start();
        }
        ready.Wait();
        return threads;
    }

    static void Release(Thread[] threads)
    {
        Console.In.ReadLine();
        lock (Gate) { open = true; Monitor.PulseAll(Gate); }
        foreach (var t in threads) t.Join();
    }

    static int Threads(int n, bool crash)
    {
        var threads = StartBlocked(n);
        Console.WriteLine($"CoreCases: threads {n} ready");
        if (crash)
            throw new InvalidOperationException($"core cases: threads {n}"); // @mark:threads_throw
        Release(threads);
        Console.WriteLine("CoreCases: threads done");
        return 0;
    }

    static int Heap(int mb, bool crash)
    {
        // 1 KB arrays, so the heap is made of many objects, as a service's is
        var keep = new List<byte[]>(mb * 1024);
        for (int i = 0; i < mb * 1024; i++)
        {
            var b = new byte[1000];
            b[0] = (byte)i;
            keep.Add(b);
        }
        var threads = StartBlocked(2);
        Console.WriteLine($"CoreCases: heap {mb} ready");
        if (crash)
            throw new InvalidOperationException($"core cases: heap {mb}"); // @mark:heap_throw
        Release(threads);
        GC.KeepAlive(keep);
        Console.WriteLine("CoreCases: heap done");
        return 0;
    }
}
