// PathMapped: built with PathMap, so that its PDB names this file /build/src/Program.cs
// (as a program built on a CI machine or in a container). Prints "PathMapped: start", then
// Work(3) prints "work 3" (line marked work), then "PathMapped: done"; exits 0.
using System;

static class Program
{
    static void Work(int n)
    {
        Console.WriteLine("work " + n); // @mark:work
    }

    static int Main()
    {
        Console.WriteLine("PathMapped: start");
        Work(3);
        Console.WriteLine("PathMapped: done");
        return 0;
    }
}
