// LogBreak: Debugger.Log in two categories and one without (as Debug.WriteLine writes), then
// Debugger.Break() twice; exits 0.
using System;
using System.Diagnostics;

static class Program
{
    static int Main()
    {
        Console.WriteLine("LogBreak: start");
        Debugger.Log(0, "first", "message one\n");
        Debugger.Log(2, "second", "message two\n");
        Debugger.Log(0, null, "message three\n");
        if (!Debugger.IsAttached)
        {
            Console.WriteLine("LogBreak: no debugger attached");
            return 0;
        }
        Debugger.Break(); // @mark:break1
        Console.WriteLine("LogBreak: between");
        Debugger.Break(); // @mark:break2
        Console.WriteLine("LogBreak: end");
        return 0;
    }
}
