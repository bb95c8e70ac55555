// EditorCases: shapes for the DAP requests editors use (tests/dap/editor.test.mjs), one
// scenario per args[0]; every line the tests use carries an @mark comment. Output is
// deterministic. Every scenario first prints "EditorCases: <scenario>", last "EditorCases: end".
// (This header names markers without the comment-slash prefix.)
//
//   inner     Thrower.Outer() calls Middle() which throws InvalidOperationException("middle
//             failed") (line mid_throw) with inner ArgumentException("bad arg") that Deep()
//             threw (line deep_throw); Outer catches it and throws ApplicationException("outer
//             failed", e) (line outer_throw); Main catches that and prints
//             "caught outer failed <- middle failed <- bad arg".
//   complete  Counter c (fields count = 3, Name property "ctr"; method Bump, static Total = 7)
//             at the line marked complete_here in instance method Counter.Run(int step) with
//             local 'localValue' = 11 and 'localText' = "hi"; prints "run 18".
//   linq      var q = nums.Where(n => n > 2).Select(n => n * 2).ToList(); (line linq) over
//             nums 1..5; prints "linq 6,8,10".
//   stepin    int r = Add(Twice(2), Twice(3)); (line stepin_line): Twice body line twice_body,
//             Add opens at add_open, body line add_body; prints "stepin 10".
using System;
using System.Linq;
using System.Collections.Generic;

namespace EditorCases
{
    class Counter
    {
        static int Total = 7;
        int count = 3;
        public string Name { get; set; } = "ctr";

        public int Bump(int by) { count += by; return count; }

        public int Run(int step)
        {
            int localValue = 11;
            string localText = "hi";
            int result = localValue + count + Total - step - localText.Length - 3; // @mark:complete_here
            return result + step + step;
        }
    }

    static class Thrower
    {
        static void Deep()
        {
            throw new ArgumentException("bad arg"); // @mark:deep_throw
        }

        static void Middle()
        {
            try { Deep(); }
            catch (ArgumentException e)
            {
                throw new InvalidOperationException("middle failed", e); // @mark:mid_throw
            }
        }

        public static void Outer()
        {
            try { Middle(); }
            catch (InvalidOperationException e)
            {
                throw new ApplicationException("outer failed", e); // @mark:outer_throw
            }
        }
    }

    static class Program
    {
        static int Twice(int v)
        {
            return v * 2; // @mark:twice_body
        }

        static int Add(int a, int b)
        { // @mark:add_open
            return a + b; // @mark:add_body
        }

        static int Main(string[] args)
        {
            string what = args.Length > 0 ? args[0] : "";
            Console.WriteLine("EditorCases: " + what);
            switch (what)
            {
                case "inner":
                    try { Thrower.Outer(); }
                    catch (Exception e)
                    {
                        Console.WriteLine("caught " + e.Message + " <- " + e.InnerException!.Message + " <- " +
                                          e.InnerException!.InnerException!.Message);
                    }
                    break;
                case "complete":
                    Console.WriteLine("run " + new Counter().Run(2));
                    break;
                case "linq":
                {
                    var nums = new List<int> { 1, 2, 3, 4, 5 };
                    var q = nums.Where(n => n > 2).Select(n => n * 2).ToList(); // @mark:linq
                    Console.WriteLine("linq " + string.Join(",", q));
                    break;
                }
                case "stepin":
                {
                    int r = Add(Twice(2), Twice(3)); // @mark:stepin_line
                    Console.WriteLine("stepin " + r);
                    break;
                }
                default:
                    Console.WriteLine("EditorCases: unknown scenario '" + what + "'");
                    return 2;
            }
            Console.WriteLine("EditorCases: end");
            return 0;
        }
    }
}
