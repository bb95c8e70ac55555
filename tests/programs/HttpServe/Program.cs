// HttpServe: a small loopback HTTP/1.0 server (TcpListener, GET only) with a client loop of
// its own, for mixed mode under load (native breakpoints on write/send hit on many threads).
// Args: CLIENTS (default 3). Prints "HttpServe: listening <port>", answers GET /<path> with
// "hello <path>"; its CLIENTS client tasks request /c<k>-<i> over and over. GET /quit ends
// it: "HttpServe: served <n>" then exit 0 (1 if a client saw a wrong answer).
using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

static class Program
{
    static int served, bad;
    static readonly ManualResetEventSlim quit = new ManualResetEventSlim();

    static void Handle(TcpClient c)
    {
        using (c)
        {
            var s = c.GetStream();
            var reader = new StreamReader(s, Encoding.ASCII);
            string? line = reader.ReadLine();
            while (reader.ReadLine() is string h && h.Length > 0) { }
            string path = line != null && line.StartsWith("GET ") ? line.Split(' ')[1].TrimStart('/') : "";
            string body = "hello " + path; // @mark:handle
            byte[] head = Encoding.ASCII.GetBytes($"HTTP/1.0 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            s.Write(head, 0, head.Length);
            s.Write(Encoding.ASCII.GetBytes(body));
            Interlocked.Increment(ref served);
            if (path == "quit") quit.Set();
        }
    }

    static void Client(int port, int k)
    {
        for (int i = 0; !quit.IsSet; i++)
        {
            try
            {
                using var c = new TcpClient();
                c.Connect(IPAddress.Loopback, port);
                var s = c.GetStream();
                byte[] req = Encoding.ASCII.GetBytes($"GET /c{k}-{i} HTTP/1.0\r\n\r\n");
                s.Write(req, 0, req.Length);
                string answer = new StreamReader(s, Encoding.ASCII).ReadToEnd();
                if (!answer.EndsWith($"hello c{k}-{i}")) Interlocked.Increment(ref bad);
            }
            catch (IOException) { }
            catch (SocketException) { }
            Thread.Sleep(2);
        }
    }

    static int Main(string[] args)
    {
        int clients = args.Length > 0 ? int.Parse(args[0]) : 3;
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        int port = ((IPEndPoint)l.LocalEndpoint).Port;
        Console.WriteLine($"HttpServe: listening {port}");
        Task.Run(async () =>
        {
            while (true)
            {
                TcpClient c = await l.AcceptTcpClientAsync();
                _ = Task.Run(() => Handle(c));
            }
        });
        for (int k = 0; k < clients; k++) { int kk = k; new Thread(() => Client(port, kk)) { IsBackground = true }.Start(); }
        quit.Wait();
        Console.WriteLine($"HttpServe: served {served}");
        return bad == 0 ? 0 : 1;
    }
}
