// Debuggee (Frames) for cordbg's end-to-end tests of issue 17: frame names of generic
// methods and types with their instantiation, lambdas and local functions as Visual Studio
// names them, return values after finish / next, and an evaluation that waits on a lock
// another (suspended) thread holds. First argument: the scenario.
using System;
using System.Threading;

namespace Frames
{
    struct Point
    {
        public int X, Y;
        public Point(int x, int y) { X = x; Y = y; }
        public override string ToString() => $"({X}, {Y})";
    }

    class Box<T> where T : IComparable<T>
    {
        readonly T a, b;
        public Box(T a, T b) { this.a = a; this.b = b; }
        public T Max()
        {
            T r = a.CompareTo(b) >= 0 ? a : b;   // @mark:box_max
            return r;
        }
    }

    class Locked
    {
        public static readonly object Gate = new object();
        public static volatile bool GetterStarted;
        public int Value
        {
            get
            {
                GetterStarted = true;
                lock (Gate) { return 7; }
            }
        }
    }

    static class Program
    {
        static T Pick<T>(T x, T y, bool first)
        {
            return first ? x : y;   // @mark:pick
        }

        static int Compute(int n)
        {
            int r = n * 6;
            return r;   // @mark:compute_ret
        }

        static string Name(string who) => "hello " + who;

        static Point MakePoint(int x) => new Point(x, x + 1);

        static void Generics()
        {
            var box = new Box<string>("pear", "apple");
            Console.WriteLine("max " + box.Max());
            Console.WriteLine("pick " + Pick<int>(3, 4, false));
        }

        static void Lambdas()
        {
            Func<int, int> twice = x => x * 2;   // @mark:lambda_line
            int k = 5;
            Func<int, int> addk = x => x + k;    // @mark:closure_line
            int Helper(int v)
            {
                return v + 100;   // @mark:helper
            }
            Console.WriteLine("lambda " + twice(21));
            Console.WriteLine("closure " + addk(1));
            Console.WriteLine("local " + Helper(1));
        }

        static void Returns()
        {
            int c = Compute(7);                 // @mark:call_compute
            string s = Name("you");             // @mark:call_name
            Point p = MakePoint(3);             // @mark:call_point
            Console.WriteLine("returns " + c + " " + s + " " + p);
        }

        static void LockEval()
        {
            var holderReady = new ManualResetEventSlim();
            var holder = new Thread(() =>
            {
                lock (Locked.Gate)
                {
                    holderReady.Set();
                    // Let go of the lock only once the getter waits for it: that needs this
                    // thread to run while the evaluation runs.
                    while (!Locked.GetterStarted) Thread.Sleep(5);
                    Thread.Sleep(50);
                }
            });
            holder.Name = "holder";
            holder.Start();
            holderReady.Wait();
            var locked = new Locked();
            Console.WriteLine("lock held");     // @mark:lock_stop
            Locked.GetterStarted = true;        // (without an evaluation, the holder lets go now)
            holder.Join();
            // Another thread needs the lock after the evaluation: a lock left held would
            // deadlock here.
            var after = new Thread(() => { lock (Locked.Gate) Console.WriteLine("gate free"); });
            after.Start();
            after.Join();
            Console.WriteLine("value " + locked.Value);
        }

        static void Main(string[] args)
        {
            string what = args.Length > 0 ? args[0] : "all";
            if (what == "generics" || what == "all") Generics();
            if (what == "lambdas" || what == "all") Lambdas();
            if (what == "returns" || what == "all") Returns();
            if (what == "lock") LockEval();
            Console.WriteLine("Frames: done");
        }
    }
}
