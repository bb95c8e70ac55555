// Sleeper: for attach/detach/kill/ps tests.
//   Sleeper RELEASE_FILE
// Prints "ready <pid>", then waits until RELEASE_FILE exists, prints "done", exits 0.
using System;
using System.IO;
using System.Threading;

static class Program
{
    static int Main(string[] args)
    {
        if (args.Length < 1)
        {
            Console.Error.WriteLine("usage: Sleeper RELEASE_FILE");
            return 2;
        }
        Console.WriteLine($"ready {Environment.ProcessId}");
        Console.Out.Flush();
        int polls = 0;
        while (!File.Exists(args[0]))
        {
            Thread.Sleep(50); // @mark:wait
            polls++;
        }
        Console.WriteLine("done");
        Console.Out.Flush();
        return 0;
    }
}
