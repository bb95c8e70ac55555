// Displays: values Visual Studio shows in a way of its own (issue 17), all in scope at one
// stop line, for the display tests (tests/e2e/test_displays.py, tests/dap/displays.test.mjs).
// Main calls Program.Show() once; Show builds the locals below, reaches the line marked stop,
// then prints what a debugger may have touched. Exits 0. Output is deterministic.
//
// In scope at marker stop:
//   var anon = new { Title = "anon", N = 2 }     anonymous type: the compiler's
//        [DebuggerDisplay("\{ Title = {Title}, N = {N} }")] -> { Title = "anon", N = 2 }
//   Items items: [DebuggerDisplay("Count = {Count}")], ICollection.Count implemented
//        explicitly (3), a private List<object> inner = {1, 2, 3}; no proxy -> Count = 3
//   Account account: user type, public string Owner = "ann", private int pin = 1234,
//        internal int Level { get; } = 2 (auto-property)
//   Version ver = new Version(1, 2, 3, 4): a framework type; public Major/Minor/Build/Revision
//        (and MajorRevision/MinorRevision) properties, private fields _Major, _Minor, _Build,
//        _Revision
//   List<int> list = {1, 2, 3}: a DebuggerTypeProxy; raw fields _items, _size, _version
//   Dictionary<string, int> dict = {{"one", 1}}
//   IEnumerable<int> evens = Evens(4): an iterator -> 0, 2, 4, 6
//   IEnumerable<int> query = nums.Where(x => x > 2), int[] nums = {1, 2, 3, 4, 5} -> 3, 4, 5
//   IEnumerable<int> range = Enumerable.Range(1, 5) -> 1..5
//   IEnumerable<int> broken = Broken(): an iterator that yields 1, then throws
//        InvalidOperationException("broken") (the program never enumerates it)
//   List<int> hoverList = {1, 2, 3}: a hover must not change it
//   Flag flag: public int Reads = 0; int Value => 5, its getter counts Reads (shows whether it ran)
//
// Output:
//   Displays: start
//   stop                      <- printed by the statement marked stop
//   hoverList.Count=3         <- 4 if a hover's list.Add(9) ran (it must not)
//   evens=0,2,4,6
//   query=3,4,5
//   range=1,2,3,4,5
//   anon.N=2
//   Displays: done
using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;

namespace Displays
{
    [DebuggerDisplay("Count = {Count}")]
    class Items : ICollection
    {
        private readonly List<object> inner = new List<object> { 1, 2, 3 };

        int ICollection.Count => inner.Count;
        bool ICollection.IsSynchronized => false;
        object ICollection.SyncRoot => this;
        void ICollection.CopyTo(Array array, int index) => ((ICollection)inner).CopyTo(array, index);
        public IEnumerator GetEnumerator() => inner.GetEnumerator();
    }

    class Account
    {
        public string Owner = "ann";
        private int pin = 1234;
        internal int Level { get; } = 2;

        public int Pin() => pin;
    }

    class Flag
    {
        public int Reads;
        public int Value { get { Reads++; return 5; } }
    }

    static class Program
    {
        static IEnumerable<int> Evens(int n)
        {
            for (int k = 0; k < n; k++)
                yield return 2 * k;
        }

        static IEnumerable<int> Broken()
        {
            yield return 1;
            throw new InvalidOperationException("broken");
        }

        static void Show()
        {
            var anon = new { Title = "anon", N = 2 };
            Items items = new Items();
            Account account = new Account();
            Version ver = new Version(1, 2, 3, 4);
            List<int> list = new List<int> { 1, 2, 3 };
            Dictionary<string, int> dict = new Dictionary<string, int> { { "one", 1 } };
            int[] nums = { 1, 2, 3, 4, 5 };
            IEnumerable<int> evens = Evens(4);
            IEnumerable<int> query = nums.Where(x => x > 2);
            IEnumerable<int> range = Enumerable.Range(1, 5);
            IEnumerable<int> broken = Broken();
            List<int> hoverList = new List<int> { 1, 2, 3 };
            Flag flag = new Flag();

            Console.WriteLine("stop"); // @mark:stop

            Console.WriteLine("hoverList.Count=" + hoverList.Count);
            Console.WriteLine("evens=" + string.Join(",", evens));
            Console.WriteLine("query=" + string.Join(",", query));
            Console.WriteLine("range=" + string.Join(",", range));
            Console.WriteLine("anon.N=" + anon.N);
            GC.KeepAlive(items);
            GC.KeepAlive(account.Pin());
            GC.KeepAlive(ver);
            GC.KeepAlive(list);
            GC.KeepAlive(dict);
            GC.KeepAlive(flag);
            GC.KeepAlive(broken);
        }

        static int Main()
        {
            Console.WriteLine("Displays: start");
            Show();
            Console.WriteLine("Displays: done");
            return 0;
        }
    }
}
