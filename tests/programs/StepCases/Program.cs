// StepCases: one scenario per static method, chosen by args[0], for the stepping tests of
// issue 5 (step into through delegates, virtual and interface calls, constructors, static
// constructors and lambdas; next over a breakpoint, off the end of a method, over a caught
// exception, over awaits; named threads with freeze; stacks; jump back in a loop).
// Prints what it does; exits 0 (2 for an unknown scenario). Lines the tests use carry
// @mark comments.
using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace StepCases
{
    abstract class Animal
    {
        public abstract int Legs();
    }

    class Dog : Animal
    {
        public override int Legs()
        { // @mark:dog_open
            int legs = 4; // @mark:dog_legs
            return legs;
        }
    }

    interface IShape
    {
        int Area();
    }

    class Square : IShape
    {
        readonly int side;

        public Square(int side) { this.side = side; }

        public int Area()
        { // @mark:square_open
            int a = side * side; // @mark:square_area
            return a;
        }
    }

    class Foo
    {
        public int V;

        public Foo(int v) // @mark:foo_decl
        {
            V = v * 3; // @mark:foo_ctor
        }
    }

    static class Registry
    {
        public static readonly int Seed;

        static Registry()
        { // @mark:cctor_open
            Seed = 100; // @mark:registry_cctor
        }

    }

    static class Program
    {
        // ------------------------------------------------------------ step into
        static int Delegate()
        {
            Func<int, int> twice = x =>
            { // @mark:twice_open
                int y = x * 2; // @mark:lambda_twice
                return y;
            };
            int r = twice(21); // @mark:call_delegate
            Console.WriteLine("delegate " + r);
            return r;
        }

        static int Virtual()
        {
            Animal a = new Dog();
            int n = a.Legs(); // @mark:call_virtual
            Console.WriteLine("virtual " + n);
            return n;
        }

        static int Interface()
        {
            IShape s = new Square(3);
            int area = s.Area(); // @mark:call_interface
            Console.WriteLine("interface " + area);
            return area;
        }

        static int Ctor()
        {
            var foo = new Foo(5); // @mark:call_ctor
            Console.WriteLine("ctor " + foo.V);
            return foo.V;
        }

        static int Cctor()
        {
            int c = Registry.Seed + 3; // @mark:call_cctor
            Console.WriteLine("cctor " + c);
            return c;
        }

        static int ApplyTo(int v, Func<int, int> f)
        {
            int r = f(v); // @mark:call_passed
            return r;
        }

        static int Lambda()
        {
            int k = 7;
            int r = ApplyTo(5, v =>
            { // @mark:passed_open
                int w = v + k; // @mark:lambda_passed
                return w;
            });
            Console.WriteLine("lambda " + r);
            return r;
        }

        // ------------------------------------------------------------ next
        static int Helper(int x)
        {
            int y = x + 1; // @mark:bp_inside
            return y;
        }

        static int NextOverBreakpoint()
        {
            int h = Helper(1); // @mark:next_over_bp
            Console.WriteLine("helper " + h); // @mark:after_next_over_bp
            return h;
        }

        static int Last(int x)
        { // @mark:last_open
            int y = x * 10;
            return y; // @mark:last_stmt
        }

        static int LastLine()
        {
            int r = Last(4); // @mark:call_last
            Console.WriteLine("last " + r); // @mark:after_call_last
            return r;
        }

        static void Thrower(int k)
        {
            if (k > 0)
                throw new InvalidOperationException("boom " + k); // @mark:throw
            Console.WriteLine("not thrown");
        }

        static int Exception()
        {
            int result = 0;
            try
            {
                Thrower(1); // @mark:call_thrower
                Console.WriteLine("not reached"); // @mark:not_reached
            }
            catch (InvalidOperationException e) // @mark:catch
            { // @mark:catch_open
                Console.WriteLine("caught " + e.Message); // @mark:in_catch
                result = 1;
            }
            Console.WriteLine("exception result " + result);
            return result;
        }

        // ------------------------------------------------------------ async
        static async Task<int> LoopAsync()
        {
            int sum = 0;
            for (int i = 0; i < 3; i++)
            {
                await Task.Delay(1); // @mark:loop_await
                sum += i; // @mark:loop_after
                Console.WriteLine("iteration " + i + " on thread " + Environment.CurrentManagedThreadId);
            }
            return sum;
        }

        static async Task<int> InnerAsync()
        {
            await Task.Delay(1); // @mark:inner_delay
            return 5;
        }

        static async Task<int> OuterAsync()
        {
            int v = await InnerAsync(); // @mark:await_inner
            Console.WriteLine("outer got " + v); // @mark:after_inner
            return v;
        }

        static async Task<int> ConfiguredAsync()
        {
            await Task.Delay(1).ConfigureAwait(false); // @mark:await_cfg
            int w = 9; // @mark:after_cfg
            Console.WriteLine("configured " + w);
            return w;
        }

        // ------------------------------------------------------------ threads
        static volatile bool stopWorkers;
        static readonly long[] counters = new long[4];

        static void Spin(int k, CountdownEvent started)
        {
            started.Signal();
            while (!stopWorkers)
                Interlocked.Increment(ref counters[k]); // @mark:spin
        }

        static int Threads()
        {
            string[] names = { "worker-number-one-long", "w2", "w3", "w4" };
            var started = new CountdownEvent(4);
            var threads = new Thread[4];
            for (int i = 0; i < 4; i++)
            {
                int k = i;
                threads[i] = new Thread(() => Spin(k, started)) { Name = names[i] };
                threads[i].Start();
            }
            started.Wait();
            Console.WriteLine("threads: all started"); // @mark:all_started
            // the test froze the first worker here; its counter must not move from now on
            long before = Interlocked.Read(ref counters[0]);
            long[] others = { Interlocked.Read(ref counters[1]), Interlocked.Read(ref counters[2]),
                              Interlocked.Read(ref counters[3]) };
            var sw = Stopwatch.StartNew();
            bool othersRan = false;
            while (sw.ElapsedMilliseconds < 10000)
            {
                othersRan = Interlocked.Read(ref counters[1]) > others[0] + 1000000 &&
                            Interlocked.Read(ref counters[2]) > others[1] + 1000000 &&
                            Interlocked.Read(ref counters[3]) > others[2] + 1000000;
                if (othersRan && sw.ElapsedMilliseconds >= 200)
                    break;
                Thread.Sleep(10);
            }
            long after = Interlocked.Read(ref counters[0]);
            Console.WriteLine("threads: others ran " + othersRan);
            Console.WriteLine("threads: frozen counter before " + before + " after " + after);
            Debugger.Break(); // @mark:second_break
            // thawed: the first worker runs again
            long thawed = Interlocked.Read(ref counters[0]);
            sw.Restart();
            while (Interlocked.Read(ref counters[0]) <= thawed && sw.ElapsedMilliseconds < 10000)
                Thread.Sleep(10);
            Console.WriteLine("threads: after thaw advanced " + (Interlocked.Read(ref counters[0]) > thawed));
            stopWorkers = true;
            foreach (var t in threads)
                t.Join();
            Console.WriteLine("threads: counters " + string.Join(" ", counters));
            return 0;
        }

        // ------------------------------------------------------------ stacks
        static int Inner<T>(T value, int depth)
        {
            int r = depth + value!.ToString()!.Length; // @mark:inner_generic
            return r;
        }

        static int Outer<T>(T value)
        {
            return Inner<T>(value, 1); // @mark:outer_generic
        }

        static int Run(Func<int, int> f, int x)
        {
            return f(x); // @mark:run_lambda
        }

        static int Recurse(int n)
        {
            if (n == 0)
                return 0; // @mark:rec_bottom
            return Recurse(n - 1) + 1; // @mark:rec_call
        }

        static int Stacks()
        {
            int g = Outer<int>(12345); // @mark:call_outer
            int l = Run(x => // @mark:call_run
            {
                int z = x * 3; // @mark:in_lambda
                return z;
            }, 2);
            int d = Recurse(1000); // @mark:call_recurse
            Console.WriteLine("stacks " + g + " " + l + " " + d);
            return 0;
        }

        // ------------------------------------------------------------ jump
        static int JumpLoop()
        {
            int runs = 0;
            for (int i = 0; i < 2; i++)
            {
                runs++; // @mark:jump_first
                Console.WriteLine("body " + i + " runs " + runs); // @mark:jump_second
            }
            Console.WriteLine("body ran " + runs + " times");
            return 0;
        }

        static int Main(string[] args)
        {
            string what = args.Length > 0 ? args[0] : "";
            Console.WriteLine("StepCases: " + what);
            switch (what)
            {
                case "delegate": Delegate(); break;
                case "virtual": Virtual(); break;
                case "interface": Interface(); break;
                case "ctor": Ctor(); break;
                case "cctor": Cctor(); break;
                case "lambda": Lambda(); break;
                case "next_bp": NextOverBreakpoint(); break;
                case "last_line": LastLine(); break;
                case "exception": Exception(); break;
                case "async_loop": Console.WriteLine("loop sum " + LoopAsync().GetAwaiter().GetResult()); break;
                case "async_nested": Console.WriteLine("nested " + OuterAsync().GetAwaiter().GetResult()); break;
                case "async_configured": Console.WriteLine("configured result " + ConfiguredAsync().GetAwaiter().GetResult()); break;
                case "threads": Threads(); break;
                case "stacks": Stacks(); break;
                case "jump": JumpLoop(); break;
                default:
                    Console.WriteLine("StepCases: unknown scenario '" + what + "'");
                    return 2;
            }
            Console.WriteLine("StepCases: done");
            return 0;
        }
    }
}
