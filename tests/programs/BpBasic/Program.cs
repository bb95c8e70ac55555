// BpBasic: one of each kind of place a breakpoint can go (overloads, constructor, property
// getter, generic method and generic type, lambda, iterator, async after an await, static
// constructor, finally block, a line without code); runs each once in order and exits 0.
// Every line the tests use is named by an @mark comment.
using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace BpTests
{
    class Widget
    {
        string name;

        public Widget(string name)
        {
            this.name = name; // @mark:ctor
        }

        public string Name
        {
            get
            {
                return name; // @mark:getter
            }
        }
    }

    static class Config
    {
        public static readonly int Value; // @mark:in_no_method

        static Config()
        {
            Value = 40 + 2; // @mark:cctor
        }
    }

    class Box<T>
    {
        T item;

        public Box(T item) { this.item = item; }

        public T Get()
        {
            return item; // @mark:box_get
        }
    }

    static class Program
    {
        static int Add(int a, int b)
        {
            return a + b; // @mark:add_int_int
        }

        static string Add(int a, string b)
        {
            return a + b; // @mark:add_int_string
        }

        static string Add(string a, string b)
        {
            return a + b; // @mark:add_string_string
        }

        static T Echo<T>(T value)
        {
            Console.WriteLine("echo " + value); // @mark:echo
            return value;
        }

        static int Tick(int i)
        {
            int sq = i * i; // @mark:tick
            return sq;
        }

        static int Apply(int[] items, Func<int, int> f)
        {
            int sum = 0;
            foreach (int x in items)
                sum += f(x);
            return sum;
        }

        static int Lambdas()
        {
            int shared = Apply(new[] { 1, 2, 3 }, x => x * 10); // @mark:lambda_shared
            Func<int, int> body = x =>
            {
                int y = x + 1; // @mark:lambda_body
                return y;
            };
            return shared + body(1);
        }

        static IEnumerable<int> Numbers()
        {
            yield return 1;
            int after = 2; // @mark:after_yield
            yield return after;
        }

        static async Task<int> WorkAsync()
        {
            await Task.Delay(1);
            int v = 42; // @mark:after_await
            return v;
        }

        static int WithFinally()
        {
            int r = 0;
            try
            {
                r = 1;
            }
            finally
            {
                r += 10; // @mark:finally
            }
            return r;
        }

        static int NoCode(int k)
        {
            int a = k + 1;

            // @mark:nocode
            int b = a * 2; // @mark:nocode_next
            return b;
        }

        static int Main(string[] args)
        {
            Console.WriteLine("BpBasic: start"); // @mark:main_first
            int total = 0;
            for (int i = 0; i < 3; i++)
                total += Tick(i);
            total += Add(1, 2);
            Console.WriteLine(Add(3, "x"));
            Console.WriteLine(Add("y", "z"));
            var w = new Widget("gadget");
            Console.WriteLine("name " + w.Name); // @mark:use_name
            Console.WriteLine("config " + Config.Value); // @mark:use_config
            Echo(7);
            Echo("seven");
            Console.WriteLine("box " + new Box<int>(5).Get() + " " + new Box<string>("s").Get());
            total += Lambdas();
            foreach (int n in Numbers())
                total += n;
            total += WorkAsync().GetAwaiter().GetResult();
            total += WithFinally();
            total += NoCode(2);
            Console.WriteLine("BpBasic: total " + total); // @mark:main_total
            return 0;
        }

        static void Unused()
        {
            Console.WriteLine("never called");
        } // @mark:lastcode
    }
}
