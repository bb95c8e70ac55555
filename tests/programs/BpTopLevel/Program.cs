// BpTopLevel: top-level statements (the compiler's Program.<Main>$); exits 0.
using System;

Console.WriteLine("BpTopLevel: first"); // @mark:first
int n = args.Length;
Console.WriteLine("BpTopLevel: args " + n);
return 0;
