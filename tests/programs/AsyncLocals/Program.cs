// AsyncLocals: an async method whose locals live in its state machine (they are used across
// awaits), declared in blocks entered one after another. The debugger shows a hoisted local
// only inside its block (the PDB's hoisted-local scopes), and the method's parameters in
// declaration order. Prints "AsyncLocals: done 5" and exits 0.
using System;
using System.Threading.Tasks;

static class Program
{
    static async Task<int> Work(int first, string second, long third)
    {
        int before = first + 1;
        await Task.Yield();
        Console.WriteLine("before " + before + " " + second + " " + third); // @mark:before_loop
        int total = 0;
        for (int i = 0; i < 3; i++)
        {
            int sq = i * i;
            await Task.Yield();
            total += sq; // @mark:in_loop
        }
        await Task.Yield();
        Console.WriteLine("total " + total); // @mark:after_loop
        return total;
    }

    static async Task Main()
    {
        int r = await Work(4, "two", 3L);
        Console.WriteLine("AsyncLocals: done " + r);
    }
}
