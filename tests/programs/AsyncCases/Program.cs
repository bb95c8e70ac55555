// AsyncCases: async Main (issue 16). The entry stop is in Main's state machine; the
// scenarios (args[0]) step over awaits and finish out of async methods while other
// invocations of the same methods run on other threads, and finish out of an iterator
// consumed by a foreach in async code. args[1]: how many rounds. Each round's invocations
// print nothing; the totals printed at the end say every invocation ran. Exits 0.
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;

namespace AsyncCases
{
    static class Program
    {
        static int seq;     // numbers the invocations: `me` tells one from another

        // ------------------------------------------------------------ next over await
        static async Task<int> Worker(int id)
        {
            int me = Interlocked.Increment(ref seq);
            int acc = id;
            for (int i = 0; i < 3; i++)
            {
                await Task.Delay(1); // @mark:worker_await
                acc += i; // @mark:worker_after
            }
            return acc;
        }

        static async Task<int> NextRounds(int rounds)
        {
            int total = 0;
            for (int k = 0; k < rounds; k++)
            {
                var tasks = new Task<int>[16];
                // the timer queues many continuations at once: a pool thread that leaves
                // one invocation at its await picks up another's next
                for (int j = 0; j < tasks.Length; j++) tasks[j] = Worker(j);
                foreach (int t in await Task.WhenAll(tasks)) total += t;
            }
            return total;
        }

        // ------------------------------------------------------------ finish out of async
        static async Task<int> Inner(int me)
        {
            await Task.Yield(); // @mark:inner_await
            int x = me * 2; // @mark:inner_after
            return x; // @mark:inner_return
        }

        static async Task<int> Outer(int id)
        {
            int me = Interlocked.Increment(ref seq);
            Task<int> pending = Inner(me);
            Thread.Sleep(1);    // Inner may end before this awaits it: no continuation to run
            int v = await pending; // @mark:outer_await
            int w = v - me; // @mark:outer_after
            return w;
        }

        static async Task<int> FinishRounds(int rounds)
        {
            int total = 0;
            for (int k = 0; k < rounds; k++)
            {
                var tasks = new Task<int>[4];
                for (int j = 0; j < tasks.Length; j++) tasks[j] = Outer(j);
                foreach (int t in await Task.WhenAll(tasks)) total += t;
            }
            return total;
        }

        // ------------------------------------------------------------ finish out of an iterator
        static IEnumerable<int> Squares(int n)
        {
            for (int i = 0; i < n; i++)
            {
                yield return i * i; // @mark:iter_yield
            }
        } // @mark:iter_close

        static async Task<int> IterOnce()
        {
            int sum = 1; // @mark:once_first
            foreach (int q in Squares(3)) // @mark:iter_foreach
            {
                await Task.Delay(1); // @mark:iter_await
                sum += q; // @mark:iter_add
            }
            return sum; // @mark:iter_after
        }

        static async Task<int> IterRounds(int rounds)
        {
            int total = 0;
            for (int k = 0; k < rounds; k++)
            {
                total += await IterOnce(); // @mark:iter_call
            }
            return total;
        }

        static async Task<int> Main(string[] args)
        { // @mark:main_open
            Console.WriteLine("AsyncCases: start"); // @mark:main_first
            await Task.Delay(1); // @mark:main_await
            string what = args.Length > 0 ? args[0] : "entry"; // @mark:main_what
            int rounds = args.Length > 1 ? int.Parse(args[1]) : 1;
            int r = what switch
            {
                "next" => await NextRounds(rounds),
                "finish" => await FinishRounds(rounds),
                "iter" => await IterRounds(rounds),
                _ => 0,
            };
            Console.WriteLine("AsyncCases: " + what + " " + rounds + " -> " + r); // @mark:main_result
            return 0;
        }
    }
}
