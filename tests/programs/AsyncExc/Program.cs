// AsyncExc: exceptions out of async code, exceptions thrown by the framework and caught by
// the user, and breakpoints in code marked with debugger attributes; one scenario per mode
// (args[0]):
//   asyncthrow  async Main awaits LoadAsync, which sets a local and throws (before its first
//               await) InvalidOperationException that nothing catches: the async machinery catches
//               it in LoadAsync's MoveNext, and <Main> rethrows it (the runtime prints
//               "Unhandled exception." and aborts)
//   asynccaught the same throw, awaited inside a try/catch in async Main; exits 0
//   asyncawait  LoadLaterAsync throws after an await (resumed by gate.SetResult() in Main),
//               awaited by Forward, awaited by async Main: unhandled as asyncthrow
//   asyncawaitcaught  the same, with Main's try/catch around it; exits 0
//   whenall     LoadLaterAsync's task awaited through Task.WhenAll (framework code), whose
//               rethrow Main catches; exits 0
//   asyncvoid   an async void method throws on the thread pool: the process dies of it
//   parse       a sync method catches the FormatException int.Parse throws; exits 0
//   attrs       calls one method each with [DebuggerHidden], [DebuggerStepThrough],
//               [DebuggerNonUserCode], and a plain one; exits 0
using System;
using System.Diagnostics;
using System.Threading.Tasks;

class Order
{
    public int Id;
    public Order(int id) { Id = id; }
}

static class Program
{
    // Throws before its first await: the caller's await finds the task faulted.
    static async Task<int> LoadAsync(int id)
    {
        var o = new Order(id);
        Console.WriteLine("loading " + o.Id);
        if (o.Id > 0)
            throw new InvalidOperationException("order " + o.Id + " failed"); // @mark:async_throw
        await Task.Yield();
        return o.Id;
    }

    // Throws after an await, resumed by gate.SetResult() while Forward awaits it.
    static async Task<int> LoadLaterAsync(int id, Task gate)
    {
        await gate;
        var o = new Order(id);
        Console.WriteLine("loading later " + o.Id);
        throw new InvalidOperationException("late order " + o.Id + " failed"); // @mark:late_throw
    }

    // async void: nothing can await it; its exception is rethrown on the thread pool
    static async void FireAndForget(int id)
    {
        await Task.Yield();
        var o = new Order(id);
        throw new InvalidOperationException("fire " + o.Id + " failed"); // @mark:void_throw
    }

    static async Task<int> Forward(int id, Task gate)
    {
        return await LoadLaterAsync(id, gate); // @mark:forward_await
    }

    static int ParseOrDefault(string s)
    {
        try
        {
            return int.Parse(s); // @mark:parse
        }
        catch (FormatException)
        {
            Console.WriteLine("caught format"); // @mark:caught_format
            return -1;
        }
    }

    [DebuggerHidden]
    static int Hidden(int x)
    {
        int y = x + 1; // @mark:in_hidden
        return y;
    }

    [DebuggerStepThrough]
    static int StepThrough(int x)
    {
        int y = x + 2; // @mark:in_stepthrough
        return y;
    }

    [DebuggerNonUserCode]
    static int NonUser(int x)
    {
        int y = x + 3; // @mark:in_nonuser
        return y;
    }

    static int Plain(int x)
    {
        int y = x + 4; // @mark:in_plain
        return y;
    }

    static async Task<int> Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "asyncthrow";
        Console.WriteLine("AsyncExc: " + mode);
        switch (mode)
        {
            case "asyncthrow":
                int n = await LoadAsync(42); // @mark:await_load
                Console.WriteLine("loaded " + n);
                break;
            case "asynccaught":
                try { await LoadAsync(7); }
                catch (InvalidOperationException e) { Console.WriteLine("caught " + e.Message); } // @mark:async_caught
                break;
            case "asyncawait":
            {
                var gate = new TaskCompletionSource();
                Task<int> later = Forward(5, gate.Task);
                gate.SetResult(); // @mark:release_gate
                Console.WriteLine("forwarded " + await later);
                break;
            }
            case "asyncawaitcaught":
            {
                var gate = new TaskCompletionSource();
                Task<int> later = Forward(6, gate.Task);
                try
                {
                    gate.SetResult();
                    Console.WriteLine("forwarded " + await later);
                }
                catch (InvalidOperationException e) { Console.WriteLine("caught " + e.Message); }
                break;
            }
            case "whenall":
            {
                // awaited through Task.WhenAll (framework code): not caught by user code
                // where it leaves LoadLaterAsync, though Main catches the rethrow later
                var gate = new TaskCompletionSource();
                Task all = Task.WhenAll(LoadLaterAsync(3, gate.Task));
                try
                {
                    gate.SetResult();
                    await all;
                }
                catch (InvalidOperationException e) { Console.WriteLine("caught " + e.Message); }
                break;
            }
            case "asyncvoid":
                FireAndForget(8);
                await Task.Delay(-1);   // the program dies of the async void's exception
                break;
            case "parse":
                Console.WriteLine("parsed " + ParseOrDefault("x"));
                break;
            case "attrs":
                Console.WriteLine("hidden " + Hidden(1));
                Console.WriteLine("stepthrough " + StepThrough(1));
                Console.WriteLine("nonuser " + NonUser(1));
                Console.WriteLine("plain " + Plain(1));
                break;
        }
        Console.WriteLine("AsyncExc: end");
        return 0;
    }
}
