// EvalCases: function evaluation, conditional breakpoints, log points and hoisted locals
// (async state machines, iterators, closures). Main runs every part once, in order, and
// exits 0; output is deterministic. Lines the tests use carry @mark comments.
//
// Markers and what is in scope there:
// (This header names markers without the comment-slash prefix, so that the tests'
// marker search finds only the marked code lines.)
//
// Marker main:   static int EvalCases.Program.Main(), hit once
//     Subject subject  = new Subject(5, "hello", new Subject(6, "inner", null))
//     Subject? nobody  = null
//     int n            = 5
//     string word      = "hi"
//     object obj       = "boxed"      (static type object, runtime type string)
//     List<int> list   = {1, 2, 3}
//   Subject.Instances (public static int field) = 2 here (both Subjects above are built);
//   Subject.InstanceCount (static property) = Subject.Instances; Subject.Kind (static
//   property) = "subject". Members of Subject (all public), for subject:
//     int Value => value field               5        (6 for subject.Nested)
//     string Text => text field              "hello"  ("inner" for subject.Nested)
//     Subject? Nested => next field          the inner Subject; subject.Nested.Nested is null
//     int Mutations (field)                  0
//     int Add(int a, int b)                  a + b
//     string Describe(int x)                 "int:" + x       e.g. Describe(n) -> "int:5"
//     string Describe(string x)              "string:" + x    e.g. Describe(word) -> "string:hi"
//     string Describe(object x)              "object:" + x    e.g. Describe(obj) -> "object:boxed",
//                                                              Describe(list) -> "object:System.Collections.Generic.List`1[System.Int32]"
//     static int Twice(int x)                x * 2
//     T Echo<T>(T x)                         x
//     int Throws (getter)                    throws InvalidOperationException("getter failed")
//     int SleepsForever (getter)             Thread.Sleep(Timeout.Infinite)
//     int Spins (getter)                     while (true) { spinCounter++; } (no calls)
//     int HitsBreakpoint (getter)            contains @mark:ingetter, returns 7
//     int Mutate()                           Mutations++, returns the new Mutations
//     int this[int i]                        i * 10
//     void SideEffectLog()                   writes "side effect" to stdout
//   extension method: static int EvalCases.Ext.Doubled(this int x) -> x * 2 (n.Doubled() = 10)
//   The program itself never calls Throws, SleepsForever, Spins, HitsBreakpoint, Mutate or
//   SideEffectLog; after the marker it prints "mutations=<subject.Mutations>" (0 unless a
//   debugger called Mutate), "instances=<Subject.Instances>", "n=<n>" and "word=<word>".
//
// Marker ingetter:   inside Subject.HitsBreakpoint's getter (only a debugger calls it):
//     this (Subject), int seven = 7
//
// Marker loop:   static int Program.Loop(), the body of for (int i = 0; i < 50; i++), hit 50 times
//     int i = 0..49, int sum = 0+1+...+(i-1) before the line runs (the line does sum += i),
//     List<int> items = {10, 20, 30}, string label = "loop"
//   prints "sum=1225" after the loop.
//
// Marker logloop:   static void Program.LogLoop(), body of for (int i = 0; i < 5; i++), hit 5 times
//     int i = 0..4, string name = "loop", List<int> items = {1, 2, 3}
//   the marked line calls Tick(i), which prints "tick <i>".
//
// Marker async:   async Task<int> Worker.WorkAsync(int start), after the await (hoisted locals)
//     this (Worker, int Id = 7), int start = 3, int before = 4, int after = 8
//   the marked line prints "async after=8"; WorkAsync returns after + Id = 15, Main prints
//   "async result=15".
//
// Marker iterator:   IEnumerable<int> Worker.Count(int limit), iterator body, hit 3 times
//     this (Worker, Id = 7), int limit = 3, int k = 0, 1, 2,
//     int acc = 0, 7, 15 before the line runs (the line does acc += k + Id)
//   yields 7, 15, 24; Main prints "iterator 7,15,24".
//
// Marker lambda:   inside the lambda in int Worker.Closure(), on `return inner;`, hit once
//     int x = 3, int inner = 15 (x + captured + Id), captured = 5 and Id = 7 reachable through
//     the closure (display class fields `captured` and `<>4__this`)
//   Closure prints "lambda=15".
//
// Output:
//   EvalCases: start
//   main                  <- printed by the @mark:main statement
//   mutations=0
//   instances=2
//   n=5
//   word=hi
//   sum=1225
//   tick 0 ... tick 4     (five lines)
//   async after=8
//   async result=15
//   iterator 7,15,24
//   lambda=15
//   done
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace EvalCases
{
    class Subject
    {
        public static int Instances;

        public static int InstanceCount => Instances;

        public static string Kind => "subject";

        private readonly int value;
        private readonly string text;
        private readonly Subject? next;
        private int spinCounter;
        public int Mutations;

        public Subject(int value, string text, Subject? next)
        {
            this.value = value;
            this.text = text;
            this.next = next;
            Instances++;
        }

        public int Value => value;

        public string Text => text;

        public Subject? Nested => next;

        public int Add(int a, int b) => a + b;

        public string Describe(int x) => "int:" + x;

        public string Describe(string x) => "string:" + x;

        public string Describe(object x) => "object:" + x;

        public static int Twice(int x) => x * 2;

        public T Echo<T>(T x) => x;

        public int Throws => throw new InvalidOperationException("getter failed");

        public int SleepsForever
        {
            get
            {
                Thread.Sleep(Timeout.Infinite);
                return 0;
            }
        }

        public int Spins
        {
            get
            {
                while (true)
                {
                    spinCounter++;
                }
            }
        }

        public int HitsBreakpoint
        {
            get
            {
                int seven = 7; // @mark:ingetter
                return seven;
            }
        }

        public int Mutate()
        {
            Mutations++;
            return Mutations;
        }

        public int this[int i] => i * 10;

        public void SideEffectLog()
        {
            Console.WriteLine("side effect");
        }
    }

    static class Ext
    {
        public static int Doubled(this int x) => x * 2;
    }

    class Worker
    {
        public int Id = 7;

        public async Task<int> WorkAsync(int start)
        {
            int before = start + 1;
            await Task.Delay(1);
            int after = before * 2;
            Console.WriteLine("async after=" + after); // @mark:async
            return after + Id;
        }

        public IEnumerable<int> Count(int limit)
        {
            int acc = 0;
            for (int k = 0; k < limit; k++)
            {
                acc += k + Id; // @mark:iterator
                yield return acc;
            }
        }

        public int Closure()
        {
            int captured = 5;
            Func<int, int> f = x =>
            {
                int inner = x + captured + Id;
                return inner; // @mark:lambda
            };
            int r = f(3);
            Console.WriteLine("lambda=" + r);
            return r;
        }
    }

    static class Program
    {
        static int Loop()
        {
            List<int> items = new List<int> { 10, 20, 30 };
            string label = "loop";
            int sum = 0;
            for (int i = 0; i < 50; i++)
            {
                sum += i; // @mark:loop
            }
            Console.WriteLine("sum=" + sum);
            return sum + items.Count + label.Length;
        }

        static void Tick(int i)
        {
            Console.WriteLine("tick " + i);
        }

        static void LogLoop()
        {
            List<int> items = new List<int> { 1, 2, 3 };
            string name = "loop";
            for (int i = 0; i < 5; i++)
            {
                Tick(i); // @mark:logloop
            }
            GC.KeepAlive(items);
            GC.KeepAlive(name);
        }

        static int Main()
        {
            Console.WriteLine("EvalCases: start");
            Subject subject = new Subject(5, "hello", new Subject(6, "inner", null));
            Subject? nobody = null;
            int n = 5;
            string word = "hi";
            object obj = "boxed";
            List<int> list = new List<int> { 1, 2, 3 };
            Console.WriteLine("main"); // @mark:main
            Console.WriteLine("mutations=" + subject.Mutations);
            Console.WriteLine("instances=" + Subject.Instances);
            Console.WriteLine("n=" + n);
            Console.WriteLine("word=" + word);
            GC.KeepAlive(nobody);
            GC.KeepAlive(obj);
            GC.KeepAlive(list);

            Loop();
            LogLoop();

            var worker = new Worker();
            Console.WriteLine("async result=" + worker.WorkAsync(3).Result);
            Console.WriteLine("iterator " + string.Join(",", worker.Count(3)));
            worker.Closure();

            Console.WriteLine("done");
            return 0;
        }
    }
}
