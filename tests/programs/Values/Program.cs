// Values: one of each kind of value, all in scope at one stop line, for the value display
// and `set var` tests. Main calls Program.Inspect(3, "inspect") once; Inspect builds every
// value below as a local, then reaches the stop line marked all; the next statement is
// marked after; after it Inspect prints (stdout) the values a debugger may have changed.
// Exits 0. Output is deterministic (invariant culture, no times, no hashes).
// (This header names markers without the comment-slash prefix, so that the tests'
// marker search finds only the marked code lines.)
//
// In scope at marker all (static unsafe void Values.Program.Inspect(int count, string label)):
//   parameters:
//     int count = 3                  string label = "inspect"
//   primitives:
//     bool b = true                  bool bFalse = false
//     byte by = 255                  sbyte sb = -128
//     short sh = -1234               ushort us = 65535
//     int i = 42                     uint ui = 4000000000
//     long l = -9000000000           ulong ul = 18446744073709551615 (ulong.MaxValue)
//     float f = 1.5f                 double d = 2.5            double dTenth = 0.1
//     decimal dec = 123.45m          decimal negDec = -0.001m  decimal decMax = decimal.MaxValue
//     char ch = 'A'                  char newline = '\n'       char eAcute = '\u00e9' (é)
//     char nulChar = '\0'
//     nint nativeInt = -7            nuint nativeUInt = 7
//     int intMin = int.MinValue      long longMax = long.MaxValue
//     double nan = double.NaN        double posInf = double.PositiveInfinity
//     double negInf = double.NegativeInfinity
//     const int answer = 42          (a local constant: in the PDB only, not a real local)
//   strings:
//     string s = "hello"             string emptyStr = ""      string? nullStr = null
//     string escapes = "tab\tquote\"nl\n\\"   (C# literal; 14 chars: tab TAB quote " nl LF \)
//     string unicode = "héllo ✓"     (7 chars; U+00E9, U+2713)
//     string longStr = new string('x', 5000)
//   enums:
//     Color color = Color.Green (1)  Color badColor = (Color)42
//     Perm perm = Perm.Read | Perm.Exec (5)                    Perm permNone = Perm.None (0)
//   nullables:
//     int? nullableInt = 5           int? some = 5             int? none = null
//     Point? maybePoint = {X=5, Y=6} Point? noPoint = null
//   structs:
//     Point pt = {X=1, Y=2}
//     Line line = {Start={X=1,Y=2}, End={X=3,Y=4}, Width=5}   (struct with nested struct fields)
//   classes:
//     Person person = Person("Alice", 30, "Paris", secret 111)
//        public int Age=30; public string City="Paris"; private int secret=111;
//        private string nickname="alice"; auto-property string Name="Alice"
//        (backing field <Name>k__BackingField); computed property Greeting => "Hello, " + Name
//        ("Hello, Alice", no backing field)
//        statics: public const int MaxAge=150; public static int Counter=3;
//        public static string Species {get;set;}="human" (<Species>k__BackingField);
//        [ThreadStatic] public static int PerThread (=11 on the main thread, set by Main)
//     Employee employee = Employee("Bob", 40, "Berlin", secret 222, "ACME") : Person
//        own: public string Company="ACME"; public double Salary=5000.5; private int badge=77
//        inherited: Age=40, City="Berlin", secret=222, nickname="bob", Name="Bob"
//     Person employeeAsPerson = employee   (static type Person, runtime type Employee)
//     Person? nobody = null          object? nothing = null    object o = new object()
//   arrays:
//     int[] arr = {1, 2, 3}          int[] emptyArr = new int[0]
//     string?[] names = {"a", null, "c"}
//     int[,] grid = {{1,2,3},{4,5,6}}        (2x3)
//     int[][] jagged = {{1}, {2,3}, {}}
//     Array lbArr = int[5..7] {50, 51, 52}   (rank 1, lower bound 5, via Array.CreateInstance)
//     Point[] points = {{X=1,Y=2}, {X=3,Y=4}}
//     int[] big = 1,000,000 ints, big[k] = k*2
//   pointers:
//     int pointee = 99               int* p = &pointee         int* nullPtr = null
//   boxed:
//     object boxed = 42 (boxed int)  object boxedPoint = Point{X=7,Y=8}
//     object boxedColor = Color.Blue
//   collections:
//     List<int> list = {1, 2, 3}     List<string> words = {"alpha", "beta"}
//     Dictionary<string,int> dict = {{"one",1},{"two",2}}
//     HashSet<int> set = {1, 2, 3}   Queue<int> queue = 1,2,3 enqueued (Peek()=1)
//     Stack<int> stack = 1,2,3 pushed (Peek()=3)
//     ImmutableArray<int> imm = [1, 2, 3]
//     Memory<int> memory = {4, 5, 6}.AsMemory()        ReadOnlyMemory<char> roMemory = "memory"
//     Span<int> span = spanBacking.AsSpan(1, 3) -> {11, 12, 13}, over int[] spanBacking = {10,11,12,13,14}
//     ReadOnlySpan<char> roSpan = "span".AsSpan()
//     List<int> bigList = 100,000 ints, bigList[k] = k
//   debugger attributes:
//     Order order = {Id=17, Customer="ACME", Items={"bolt","nut","gear"}}
//        [DebuggerDisplay("Order {Id}: {Customer,nq} x{Items.Count}")] -> Order 17: ACME x3
//     Temperature temp = {Celsius=21.5}
//        [DebuggerDisplay("{DebuggerDisplay,nq}")], private string DebuggerDisplay -> 21.5 C
//     Hidden hidden: public int Shown=1;
//        [DebuggerBrowsable(Never)] public int Secret=2;
//        [DebuggerBrowsable(RootHidden)] public int[] Flat={10,20,30}
//     Bag bag: internal List<string> items={"apple","pear"}, [DebuggerTypeProxy(typeof(BagView))]
//        BagView: public string[] Contents => {"apple","pear"}; public int Count => 2
//     Money money = {Amount=12.5m, Currency="EUR"}, ToString() -> "12.50 EUR" (no DebuggerDisplay)
//   tuple and record:
//     ValueTuple<int,string> tuple = (7, "seven")   (fields Item1, Item2)
//     Rec rec = new Rec(1, "b")   record class Rec(int A, string B); ToString "Rec { A = 1, B = b }"
//
// Output (unchanged values):
//   Values: start
//   stop                      <- printed by the @mark:all statement
//   after                     <- printed by the @mark:after statement
//   count=3
//   label=inspect
//   i=42
//   l=-9000000000
//   d=2.5
//   f=1.5
//   s=hello
//   ch=A
//   b=True
//   dec=123.45
//   color=Green
//   perm=Read, Exec
//   pt.X=1
//   pt.Y=2
//   line.Start.X=1
//   person.Age=30
//   person.Name=Alice
//   Person.Counter=3
//   Person.Species=human
//   employee.Company=ACME
//   arr[1]=2
//   grid[1,2]=6
//   points[1].X=3
//   nullableInt=5
//   none=null
//   list[0]=1
//   dict[one]=1
//   pointee=99
//   boxed=42
//   nullStr=null
//   kept=61                   <- a count; every other local is read once so none is "unused"
//   Values: done
// Strings and nullables print "null" when null.
using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;

namespace Values
{
    enum Color { Red, Green, Blue }

    [Flags]
    enum Perm { None = 0, Read = 1, Write = 2, Exec = 4 }

    struct Point
    {
        public int X;
        public int Y;
    }

    struct Line
    {
        public Point Start;
        public Point End;
        public int Width;
    }

    class Person
    {
        public const int MaxAge = 150;
        public static int Counter = 3;
        public static string Species { get; set; } = "human";
        [ThreadStatic] public static int PerThread;

        public int Age;
        public string City;
        private int secret;
        private string nickname;

        public string Name { get; set; }

        public string Greeting => "Hello, " + Name;

        public Person(string name, int age, string city, int secret)
        {
            Name = name;
            Age = age;
            City = city;
            this.secret = secret;
            nickname = name.ToLowerInvariant();
        }

        public int Secret() => secret + nickname.Length;
    }

    class Employee : Person
    {
        public string Company;
        public double Salary = 5000.5;
        private int badge = 77;

        public Employee(string name, int age, string city, int secret, string company)
            : base(name, age, city, secret)
        {
            Company = company;
        }

        public int Badge() => badge;
    }

    [DebuggerDisplay("Order {Id}: {Customer,nq} x{Items.Count}")]
    class Order
    {
        public int Id = 17;
        public string Customer = "ACME";
        public List<string> Items = new List<string> { "bolt", "nut", "gear" };
    }

    [DebuggerDisplay("{DebuggerDisplay,nq}")]
    class Temperature
    {
        public double Celsius = 21.5;

        private string DebuggerDisplay => Celsius.ToString("F1", CultureInfo.InvariantCulture) + " C";
    }

    class Hidden
    {
        public int Shown = 1;

        [DebuggerBrowsable(DebuggerBrowsableState.Never)]
        public int Secret = 2;

        [DebuggerBrowsable(DebuggerBrowsableState.RootHidden)]
        public int[] Flat = { 10, 20, 30 };
    }

    [DebuggerTypeProxy(typeof(BagView))]
    class Bag
    {
        internal readonly List<string> items = new List<string> { "apple", "pear" };
    }

    class BagView
    {
        private readonly Bag bag;

        public BagView(Bag bag) { this.bag = bag; }

        public string[] Contents => bag.items.ToArray();

        public int Count => bag.items.Count;
    }

    class Money
    {
        public decimal Amount = 12.5m;
        public string Currency = "EUR";

        public override string ToString() => Amount.ToString("F2", CultureInfo.InvariantCulture) + " " + Currency;
    }

    record Rec(int A, string B);

    static class Program
    {
        static int[] MakeBig()
        {
            var a = new int[1000000];
            for (int k = 0; k < a.Length; k++)
                a[k] = k * 2;
            return a;
        }

        static List<int> MakeBigList()
        {
            var a = new List<int>(100000);
            for (int k = 0; k < 100000; k++)
                a.Add(k);
            return a;
        }

        static int Keep(params object?[] values) => values.Length;

        static string Str(string? v) => v ?? "null";

        static string Inv(IFormattable v) => v.ToString(null, CultureInfo.InvariantCulture);

        static unsafe void Inspect(int count, string label)
        {
            // primitives
            bool b = true;
            bool bFalse = false;
            byte by = 255;
            sbyte sb = -128;
            short sh = -1234;
            ushort us = 65535;
            int i = 42;
            uint ui = 4000000000;
            long l = -9000000000;
            ulong ul = ulong.MaxValue;
            float f = 1.5f;
            double d = 2.5;
            double dTenth = 0.1;
            decimal dec = 123.45m;
            decimal negDec = -0.001m;
            decimal decMax = decimal.MaxValue;
            char ch = 'A';
            char newline = '\n';
            char eAcute = '\u00e9';
            char nulChar = '\0';
            nint nativeInt = -7;
            nuint nativeUInt = 7;
            int intMin = int.MinValue;
            long longMax = long.MaxValue;
            double nan = double.NaN;
            double posInf = double.PositiveInfinity;
            double negInf = double.NegativeInfinity;
            const int answer = 42;

            // strings
            string s = "hello";
            string emptyStr = "";
            string? nullStr = null;
            string escapes = "tab\tquote\"nl\n\\";
            string unicode = "h\u00e9llo \u2713";
            string longStr = new string('x', 5000);

            // enums
            Color color = Color.Green;
            Color badColor = (Color)42;
            Perm perm = Perm.Read | Perm.Exec;
            Perm permNone = Perm.None;

            // nullables
            int? nullableInt = 5;
            int? some = 5;
            int? none = null;
            Point? maybePoint = new Point { X = 5, Y = 6 };
            Point? noPoint = null;

            // structs
            Point pt = new Point { X = 1, Y = 2 };
            Line line = new Line { Start = new Point { X = 1, Y = 2 }, End = new Point { X = 3, Y = 4 }, Width = 5 };

            // classes
            Person person = new Person("Alice", 30, "Paris", 111);
            Employee employee = new Employee("Bob", 40, "Berlin", 222, "ACME");
            Person employeeAsPerson = employee;
            Person? nobody = null;
            object? nothing = null;
            object o = new object();

            // arrays
            int[] arr = { 1, 2, 3 };
            int[] emptyArr = new int[0];
            string?[] names = { "a", null, "c" };
            int[,] grid = { { 1, 2, 3 }, { 4, 5, 6 } };
            int[][] jagged = { new[] { 1 }, new[] { 2, 3 }, new int[0] };
            Array lbArr = Array.CreateInstance(typeof(int), new[] { 3 }, new[] { 5 });
            lbArr.SetValue(50, 5);
            lbArr.SetValue(51, 6);
            lbArr.SetValue(52, 7);
            Point[] points = { new Point { X = 1, Y = 2 }, new Point { X = 3, Y = 4 } };
            int[] big = MakeBig();

            // pointers
            int pointee = 99;
            int* p = &pointee;
            int* nullPtr = null;

            // boxed
            object boxed = 42;
            object boxedPoint = new Point { X = 7, Y = 8 };
            object boxedColor = Color.Blue;

            // collections
            List<int> list = new List<int> { 1, 2, 3 };
            List<string> words = new List<string> { "alpha", "beta" };
            Dictionary<string, int> dict = new Dictionary<string, int> { { "one", 1 }, { "two", 2 } };
            HashSet<int> set = new HashSet<int> { 1, 2, 3 };
            Queue<int> queue = new Queue<int>();
            queue.Enqueue(1);
            queue.Enqueue(2);
            queue.Enqueue(3);
            Stack<int> stack = new Stack<int>();
            stack.Push(1);
            stack.Push(2);
            stack.Push(3);
            ImmutableArray<int> imm = ImmutableArray.Create(1, 2, 3);
            Memory<int> memory = new int[] { 4, 5, 6 }.AsMemory();
            ReadOnlyMemory<char> roMemory = "memory".AsMemory();
            int[] spanBacking = { 10, 11, 12, 13, 14 };
            Span<int> span = spanBacking.AsSpan(1, 3);
            ReadOnlySpan<char> roSpan = "span".AsSpan();
            List<int> bigList = MakeBigList();

            // debugger attributes
            Order order = new Order();
            Temperature temp = new Temperature();
            Hidden hidden = new Hidden();
            Bag bag = new Bag();
            Money money = new Money();

            // tuple and record
            ValueTuple<int, string> tuple = (7, "seven");
            Rec rec = new Rec(1, "b");

            Console.WriteLine("stop"); // @mark:all
            Console.WriteLine("after"); // @mark:after

            Console.WriteLine("count=" + count);
            Console.WriteLine("label=" + Str(label));
            Console.WriteLine("i=" + i);
            Console.WriteLine("l=" + l);
            Console.WriteLine("d=" + Inv(d));
            Console.WriteLine("f=" + Inv(f));
            Console.WriteLine("s=" + Str(s));
            Console.WriteLine("ch=" + ch);
            Console.WriteLine("b=" + b);
            Console.WriteLine("dec=" + Inv(dec));
            Console.WriteLine("color=" + color);
            Console.WriteLine("perm=" + perm);
            Console.WriteLine("pt.X=" + pt.X);
            Console.WriteLine("pt.Y=" + pt.Y);
            Console.WriteLine("line.Start.X=" + line.Start.X);
            Console.WriteLine("person.Age=" + person.Age);
            Console.WriteLine("person.Name=" + Str(person.Name));
            Console.WriteLine("Person.Counter=" + Person.Counter);
            Console.WriteLine("Person.Species=" + Str(Person.Species));
            Console.WriteLine("employee.Company=" + Str(employee.Company));
            Console.WriteLine("arr[1]=" + arr[1]);
            Console.WriteLine("grid[1,2]=" + grid[1, 2]);
            Console.WriteLine("points[1].X=" + points[1].X);
            Console.WriteLine("nullableInt=" + (nullableInt.HasValue ? nullableInt.Value.ToString() : "null"));
            Console.WriteLine("none=" + (none.HasValue ? none.Value.ToString() : "null"));
            Console.WriteLine("list[0]=" + list[0]);
            Console.WriteLine("dict[one]=" + dict["one"]);
            Console.WriteLine("pointee=" + *p);
            Console.WriteLine("boxed=" + boxed);
            Console.WriteLine("nullStr=" + Str(nullStr));

            // read every other local once, so that none is reported as unused
            int kept = Keep(bFalse, by, sb, sh, us, ui, ul, dTenth, negDec, decMax, newline, eAcute,
                            nulChar, nativeInt, nativeUInt, intMin, longMax, nan, posInf, negInf, answer,
                            emptyStr, escapes, unicode, longStr, badColor, permNone, some, maybePoint,
                            noPoint, employeeAsPerson, nobody, nothing, o, emptyArr, names, jagged, lbArr,
                            big, nullPtr == null, boxedPoint, boxedColor, words, set, queue, stack, imm,
                            memory, roMemory, span.Length, roSpan.Length, bigList, order, temp, hidden,
                            bag, money, tuple, rec, Person.PerThread, Person.MaxAge);
            Console.WriteLine("kept=" + kept);
        }

        static int Main()
        {
            Console.WriteLine("Values: start");
            Person.PerThread = 11;
            Inspect(3, "inspect");
            Console.WriteLine("Values: done");
            return 0;
        }
    }
}
