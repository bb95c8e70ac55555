// Optimized: built with optimisation on (a Release build). Compute(5): x = a * 3 (15), y =
// x + 1 (16), prints "y=16" (line marked print); x is dead there, which an optimising JIT
// does not keep. Prints "Optimized: done"; exits 0.
using System;
using System.Runtime.CompilerServices;

static class Program
{
    // AggressiveOptimization: compiled optimised at once (not first at tier 0, which keeps every local)
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    static int Compute(int a)
    {
        int x = a * 3;
        int y = x + 1;
        Console.WriteLine("y=" + y); // @mark:print
        return y;
    }

    static int Main()
    {
        Compute(5);
        Console.WriteLine("Optimized: done");
        return 0;
    }
}
