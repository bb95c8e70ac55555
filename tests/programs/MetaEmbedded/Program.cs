// MetaEmbedded: a debuggee whose portable PDB (and sources) are embedded in the assembly.
using System;
using System.Threading.Tasks;

namespace Meta.Embedded
{
    public static class Program
    {
        static async Task<string> Greet(string who)
        {
            await Task.Yield();
            string s = "hi " + who; // @bp:greet
            return s;
        }

        public static int Main(string[] args)
        {
            int n = args.Length; // @bp:main
            Func<int, int> twice = x => x * 2;
            string g = Greet("you").Result;
            Console.WriteLine(g + twice(n));
            return 0;
        }
    }
}
