// Deep: recurses to args[0] frames and breaks there (bt cost), then runs a loop of
// args[1] iterations stepped with `next` (step cost).
using System.Diagnostics;

static class Program
{
    static int Down(int n)
    {
        if (n == 0)
        {
            Debugger.Break(); // @mark:bottom
            return 0;
        }
        return Down(n - 1) + 1;
    }

    static int Main(string[] args)
    {
        int depth = args.Length > 0 ? int.Parse(args[0]) : 1000;
        int loop = args.Length > 1 ? int.Parse(args[1]) : 1000;
        Down(depth);
        int sum = 0;
        Debugger.Break(); // @mark:loop_start
        for (int i = 0; i < loop; i++) // @mark:for
            sum += i; // @mark:loop_body
        System.Console.WriteLine(sum);
        return 0;
    }
}
