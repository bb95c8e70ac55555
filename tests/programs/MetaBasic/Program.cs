// MetaBasic: a debuggee for cordbg's metadata/PDB reader tests (separate portable PDB).
// Lines that tests look for carry a marker comment "@bp:NAME"; never rely on line numbers.
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading.Tasks;

namespace Meta.Basic
{
    public class Outer<T>
    {
        public class Inner
        {
            public T Value;
            public int Depth(int x) => x + 1; // @bp:inner_depth
        }

        public Dictionary<string, List<T>> Map = new Dictionary<string, List<T>>();

        public List<T> Get(string key)
        {
            List<T> list; // no code here
            if (!Map.TryGetValue(key, out list)) // @bp:get_try
                list = new List<T>();
            return list;
        }
    }

    public record Person(string Name, int Age)
    {
        public string Describe() => $"{Name} is {Age}"; // @bp:record_describe
    }

    public class Counter(int start)
    {
        private int _n = start;
        public int Next() => ++_n; // @bp:primary_next
    }

    public partial class Shapes
    {
        public static int Area(int w, int h)
        {
            int a = w * h; // @bp:area
            return a;
        }
    }

    public struct Point
    {
        public int X, Y;
        public override string ToString() => "(" + X + "," + Y + ")";
    }

    [DebuggerDisplay("Widget {Name}")]
    public class Widget
    {
        [DebuggerBrowsable(DebuggerBrowsableState.Never)]
        public string Name = "w";

        [DebuggerHidden]
        public void Hidden() { Console.WriteLine("hidden"); }

        [DebuggerStepThrough]
        public void StepThrough() { Console.WriteLine("st"); }

        [DebuggerNonUserCode]
        public void NonUser() { Console.WriteLine("nu"); }
    }

    public static class Program
    {
        const int Limit = 3;

        static IEnumerable<int> Evens(int max)
        {
            for (int i = 0; i < max; i++)
            {
                if (i % 2 == 0)
                    yield return i; // @bp:yield
            }
        }

        static async Task<int> ComputeAsync(int x)
        {
            int before = x * 2; // @bp:async_before
            await Task.Delay(1);
            int after = before + 1; // @bp:async_after
            await Task.Yield();
            return after;
        }

        static (int sum, string text) Tuple(int a, int b)
        {
            var t = (sum: a + b, text: "s"); // @bp:tuple
            return t;
        }

        static unsafe int Unsafe(int[] arr)
        {
            fixed (int* p = arr)
            {
                int* q = p + 1; // @bp:unsafe
                return *q;
            }
        }

        static int Generic<TKey, TValue>(Dictionary<TKey, List<TValue>> d, TKey[] keys, int[,] grid, ref int r)
        {
            r++; // @bp:generic
            return d.Count + keys.Length + grid.Length;
        }

        public static int Main(string[] args)
        {
            const string greeting = "hello";
            int total = 0; // @bp:main_start
            int factor = 3;
            Func<int, int> mul = v => v * factor; // @bp:lambda_line
            int Local(int z) { return z + total; } // @bp:local_func
            foreach (int e in Evens(6)) // @bp:foreach
            {
                total += mul(e); // @bp:loop
            }
            total = Local(total);
            var o = new Outer<int>();
            o.Map["a"] = new List<int> { 1 };
            total += o.Get("a").Count + new Outer<int>.Inner().Depth(1);
            total += new Person("Ann", 30).Describe().Length;
            total += new Counter(5).Next();
            total += Shapes.Area(2, 3) + Shapes.Perimeter(2, 3);
            total += new Point { X = 1, Y = 2 }.ToString().Length;
            total += ComputeAsync(total).Result;
            total += Tuple(1, 2).sum;
            total += Unsafe(new[] { 1, 2, 3 });
            int r = 0;
            total += Generic(new Dictionary<string, List<long>>(), new[] { "k" }, new int[2, 2], ref r);
            var w = new Widget();
            w.Hidden(); w.StepThrough(); w.NonUser();
            var q = new[] { 3, 1, 2 }.Where(x => x > Limit - 2).Select(x =>
            {
                int sq = x * x; // @bp:multiline_lambda
                return sq;
            }).ToList();
#line 500 "Generated.cs"
            total += q.Count; // @bp:line_directive
#line default
            Console.WriteLine(greeting + " " + total); // @bp:main_end
            return 0;
        }
    }
}
