// Interop: managed code calling native code (tests/native/*.c, built by tests/run.py into
// tests/out/native/ and copied next to Interop.dll) for cordbg's native and mixed-mode
// tests. Scenario chosen by args[0] (default "basic"):
//   basic         native_add(2, 3), compute(5), call_back(Twice, 7) (native calling back
//                 into managed code through a delegate), native_nested(3); prints each
//                 result ("Interop: compute(5) = 55"); exits 0
//   nullref       catches 1000 NullReferenceExceptions (the runtime's SIGSEGV-based null
//                 checks), prints "Interop: caught 1000", then does basic's work
//   throw [N]     throws and catches N exceptions (default 100000); "Interop: caught N"
//   spin [N]      N iterations of managed arithmetic (default 100000000), no stop;
//                 prints "Interop: spin N = RESULT"
//   crash-segv    native_crash(1): dies of SIGSEGV in libnative.so
//   crash-abort   native_crash(2): dies of SIGABRT (abort() in libnative.so)
//   plain         plain_work(10) of libplain.so (ELF symbols only) and of libstripped.so
//                 (stripped); prints both results (45)
//   plain-crash   plain_crash() of libstripped.so: dies of SIGSEGV
//   churn         thread_churn(500) (500 native threads, one after another);
//                 prints "Interop: churn 500"
//   loop          prints "Interop: looping", then calls native_add forever (sleeping 1 ms
//                 between calls); for attach/detach tests
// Unknown scenario: exits 2. Lines the tests use carry @mark comments (markers of the
// native side are in tests/native/native.c).
using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Threading;

namespace Interop
{
    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    delegate int Callback(int x);

    static class Native
    {
        [DllImport("native", CallingConvention = CallingConvention.Cdecl)]
        public static extern int native_add(int a, int b);

        [DllImport("native", CallingConvention = CallingConvention.Cdecl)]
        public static extern int compute(int n);

        [DllImport("native", CallingConvention = CallingConvention.Cdecl)]
        public static extern int call_back(Callback cb, int x);

        [DllImport("native", CallingConvention = CallingConvention.Cdecl)]
        public static extern void native_crash(int kind);

        [DllImport("native", CallingConvention = CallingConvention.Cdecl)]
        public static extern int thread_churn(int n);

        [DllImport("native", CallingConvention = CallingConvention.Cdecl)]
        public static extern int native_nested(int depth);

        // the same entry point in two libraries: with ELF symbols (libplain.so) and
        // stripped (libstripped.so)
        [DllImport("plain", EntryPoint = "plain_work", CallingConvention = CallingConvention.Cdecl)]
        public static extern int plain_work(int n);

        [DllImport("stripped", EntryPoint = "plain_work", CallingConvention = CallingConvention.Cdecl)]
        public static extern int stripped_work(int n);

        [DllImport("stripped", EntryPoint = "plain_crash", CallingConvention = CallingConvention.Cdecl)]
        public static extern void stripped_crash();
    }

    static class Program
    {
        // kept alive for as long as native code may call it
        static readonly Callback twice = Twice;

        static string? nothing;

        static int Twice(int x)
        { // @mark:twice_open
            int r = x * 2; // @mark:twice_body
            return r; // @mark:twice_return
        }

        static int Basic()
        {
            int sum = Native.native_add(2, 3); // @mark:pinvoke_add
            Console.WriteLine($"Interop: native_add(2, 3) = {sum}");
            int computed = Native.compute(5); // @mark:pinvoke_compute
            Console.WriteLine($"Interop: compute(5) = {computed}");
            int called = Native.call_back(twice, 7); // @mark:pinvoke_callback
            Console.WriteLine($"Interop: call_back(Twice, 7) = {called}");
            int nested = Native.native_nested(3); // @mark:pinvoke_nested
            Console.WriteLine($"Interop: native_nested(3) = {nested}");
            return 0; // @mark:basic_done
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static int LengthOf(string? s)
        {
            return s!.Length; // @mark:nullref_deref
        }

        static int NullRefs()
        {
            int caught = 0;
            for (int i = 0; i < 1000; i++)
            {
                try
                {
                    LengthOf(nothing);
                }
                catch (NullReferenceException)
                {
                    caught++;
                }
            }
            Console.WriteLine($"Interop: caught {caught}");
            return Basic();
        }

        [MethodImpl(MethodImplOptions.NoInlining)]
        static void Thrower(int i)
        {
            throw new InvalidOperationException("throw " + i); // @mark:throw_site
        }

        static int Throws(int n)
        {
            int caught = 0;
            for (int i = 0; i < n; i++)
            {
                try
                {
                    Thrower(i);
                }
                catch (InvalidOperationException)
                {
                    caught++;
                }
            }
            Console.WriteLine($"Interop: caught {caught}");
            return 0;
        }

        static int Spin(long n)
        {
            long acc = 0;
            for (long i = 0; i < n; i++)
            {
                acc = acc * 31 + i; // @mark:spin_body
                acc ^= acc >> 7;
            }
            Console.WriteLine($"Interop: spin {n} = {acc}");
            return 0;
        }

        static int Plain()
        {
            int a = Native.plain_work(10); // @mark:pinvoke_plain
            Console.WriteLine($"Interop: plain_work(10) = {a}");
            int b = Native.stripped_work(10); // @mark:pinvoke_stripped
            Console.WriteLine($"Interop: stripped plain_work(10) = {b}");
            return 0;
        }

        static int Churn()
        {
            int n = Native.thread_churn(500); // @mark:pinvoke_churn
            Console.WriteLine($"Interop: churn {n}");
            return 0;
        }

        static int Loop()
        {
            Console.WriteLine("Interop: looping");
            Console.Out.Flush();
            int x = 0;
            while (true)
            {
                x = Native.native_add(x, 1); // @mark:loop_call
                Thread.Sleep(1);
            }
        }

        static int Main(string[] args)
        {
            string mode = args.Length > 0 ? args[0] : "basic";
            switch (mode)
            {
                case "basic":
                    return Basic();
                case "nullref":
                    return NullRefs();
                case "throw":
                    return Throws(args.Length > 1 ? int.Parse(args[1]) : 100000);
                case "spin":
                    return Spin(args.Length > 1 ? long.Parse(args[1]) : 100000000L);
                case "crash-segv":
                    Console.Out.Flush();
                    Native.native_crash(1); // @mark:pinvoke_crash_segv
                    return 1;
                case "crash-abort":
                    Console.Out.Flush();
                    Native.native_crash(2); // @mark:pinvoke_crash_abort
                    return 1;
                case "plain":
                    return Plain();
                case "plain-crash":
                    Console.Out.Flush();
                    Native.stripped_crash(); // @mark:pinvoke_plain_crash
                    return 1;
                case "churn":
                    return Churn();
                case "loop":
                    return Loop();
                default:
                    Console.Error.WriteLine($"Interop: unknown scenario '{mode}'");
                    return 2;
            }
        }
    }
}
