// AsyncTopLevel: top-level statements that await (the compiler's Program.<Main>$ is then an
// async state machine behind a <Main> stub), for the entry stop of issue 16. Exits 0.
using System;
using System.Threading.Tasks;

Console.WriteLine("AsyncTopLevel: first"); // @mark:first
await Task.Delay(1); // @mark:await
int n = args.Length; // @mark:after_await
Console.WriteLine("AsyncTopLevel: args " + n); // @mark:print
return 0;
