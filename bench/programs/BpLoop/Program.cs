// BpLoop: calls Tick N times (args[0]); a breakpoint in Tick measures hit-and-continue.
static class Program
{
    static long total;
    static void Tick(int i)
    {
        total += i; // @mark:tick
    }
    static int Main(string[] args)
    {
        int n = args.Length > 0 ? int.Parse(args[0]) : 1000;
        for (int i = 0; i < n; i++) Tick(i);
        System.Console.WriteLine(total);
        return 0;
    }
}
