// ToMain: how long the runtime takes to reach Main (P5). The first statement reads the
// monotonic clock (Stopwatch is CLOCK_MONOTONIC in ns on Linux), which bench/run.py
// compares with the time it started the process; a breakpoint on that line measures the same
// under a debugger.
using System.Diagnostics;

static class Program
{
    static int Main()
    {
        long at = Stopwatch.GetTimestamp(); // @mark:main
        System.Console.WriteLine("main_at " + at + " freq " + Stopwatch.Frequency);
        return 0;
    }
}
