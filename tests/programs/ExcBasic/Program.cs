// ExcBasic: exception scenarios, one per mode (args[0]):
//   caught        user code throws InvalidOperationException, then ArgumentException; both
//                 caught in user code; exits 0
//   unhandled     user code throws InvalidOperationException that nothing catches (the
//                 runtime prints "Unhandled exception." and aborts)
//   framework     int.Parse("x") throws FormatException inside the framework, caught here
//   userunhandled a comparer (user code) throws FormatException inside List.Sort; the
//                 framework's sort catches it and throws InvalidOperationException, which
//                 user code catches; exits 0
using System;
using System.Collections.Generic;

static class Program
{
    static void ThrowInvalid()
    {
        throw new InvalidOperationException("first chance message"); // @mark:throw_invalid
    }

    static void ThrowArgument()
    {
        throw new ArgumentException("bad argument"); // @mark:throw_argument
    }

    static void Crash()
    {
        throw new InvalidOperationException("boom unhandled"); // @mark:throw_unhandled
    }

    static int Compare(int a, int b)
    {
        throw new FormatException("comparer failed"); // @mark:throw_in_comparer
    }

    static int Main(string[] args)
    {
        string mode = args.Length > 0 ? args[0] : "caught";
        Console.WriteLine("ExcBasic: " + mode);
        switch (mode)
        {
            case "caught":
                try { ThrowInvalid(); }
                catch (InvalidOperationException e) { Console.WriteLine("caught " + e.Message); }
                try { ThrowArgument(); }
                catch (ArgumentException e) { Console.WriteLine("caught " + e.Message); }
                break;
            case "unhandled":
                Crash();
                break;
            case "framework":
                try
                {
                    int v = int.Parse("x"); // @mark:parse
                    Console.WriteLine("parsed " + v);
                }
                catch (FormatException)
                {
                    Console.WriteLine("caught format"); // @mark:caught_format
                }
                break;
            case "userunhandled":
                var list = new List<int> { 3, 1, 2 };
                try { list.Sort(Compare); } // @mark:sort
                catch (InvalidOperationException e)
                {
                    Console.WriteLine("caught sort " + (e.InnerException?.Message ?? "")); // @mark:caught_sort
                }
                break;
        }
        Console.WriteLine("ExcBasic: end");
        return 0;
    }
}
