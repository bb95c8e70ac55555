// TpWriter: thread-pool workers that write to stdout at once (mixed mode's native
// breakpoints on write are hit on many threads). Args: WORKERS LINES (default 6 200).
// Prints "TpWriter: ready" at a managed breakpoint line, then WORKERS*LINES lines
// "w<k> <i>", then "TpWriter: done <count>" and exits 0.
using System;
using System.Threading;
using System.Threading.Tasks;

static class Program
{
    static int written;

    static void Work(int k, int lines)
    {
        for (int i = 0; i < lines; i++)
        {
            Console.Out.WriteLine($"w{k} {i}");      // Console.Out is synchronized: one write(2) a line
            Interlocked.Increment(ref written);
        }
    }

    static int Main(string[] args)
    {
        int workers = args.Length > 0 ? int.Parse(args[0]) : 6;
        int lines = args.Length > 1 ? int.Parse(args[1]) : 200;
        Console.WriteLine("TpWriter: ready"); // @mark:ready
        var tasks = new Task[workers];
        for (int k = 0; k < workers; k++)
        {
            int w = k;
            tasks[k] = Task.Run(() => Work(w, lines));
        }
        Task.WaitAll(tasks);
        Console.WriteLine($"TpWriter: done {written}"); // @mark:done
        return written == workers * lines ? 0 : 1;
    }
}
