// LowLevel: a debuggee for the DAP low-level views (disassemble, readMemory, writeMemory,
// instruction breakpoints and steps, registers) in managed mode.
//
//   LowLevel memory   a byte array; prints its bytes and their sum after the stop at
//                     memory_stop (a test that writes into the array sees its bytes here)
//   LowLevel code     calls Work(3, 4) twice; prints "work 19" both times
using System;

namespace LowLevel
{
    static class Program
    {
        static int Compute(int a, int b)
        {
            int c = a * b;
            return c + a + b;
        }

        static int Work(int a, int b)
        {
            int x = Compute(a, b); // @mark:work_call
            int y = x + 1; // @mark:work_next
            return y - 1; // @mark:work_return
        }

        static int Sum(byte[] data)
        {
            int total = 0;
            foreach (byte v in data) total += v;
            return total;
        }

        static int Main(string[] args)
        {
            string mode = args.Length > 0 ? args[0] : "memory";
            Console.WriteLine("LowLevel: " + mode);
            if (mode == "memory") {
                byte[] data = new byte[] { 0x10, 0x20, 0x30, 0x40, 0xDE, 0xAD, 0xBE, 0xEF };
                int before = Sum(data); // @mark:memory_stop
                Console.WriteLine("data " + BitConverter.ToString(data) + " sum " + Sum(data) + " before " + before);
            } else if (mode == "code") {
                Console.WriteLine("work " + Work(3, 4));
                Console.WriteLine("work " + Work(3, 4));
            } else {
                Console.Error.WriteLine("usage: LowLevel memory|code");
                return 2;
            }
            Console.WriteLine("LowLevel: end");
            return 0;
        }
    }
}
