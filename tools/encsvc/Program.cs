// cordbg-encsvc: cordbg's Edit and Continue helper. One JSON object per line on stdin, one
// reply per line on stdout, log on stderr (CORDBG_ENCSVC_LOG=1). The protocol is described in
// README.md ("Edit and Continue helper"); the commands are in Service.cs.
using System.Text;
using System.Text.Json.Nodes;

namespace CordbgEncSvc;

static class Program
{
    static int Main()
    {
        // Replies go to the real stdout only; anything a library prints goes to stderr.
        var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true, NewLine = "\n" };
        Console.SetOut(Console.Error);
        var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
        var svc = new Service();
        string line;
        while ((line = stdin.ReadLine()) != null)
        {
            if (line.Trim().Length == 0)
                continue;
            JsonObject reply;
            bool quit = false;
            JsonNode id = null;
            try
            {
                JsonNode req;
                try { req = JsonNode.Parse(line); }
                catch (Exception e) { throw new ProtocolError("malformed request: " + OneLine(e.Message)); }
                if (req is not JsonObject obj)
                    throw new ProtocolError("malformed request: not a JSON object");
                id = obj["id"]?.DeepClone();
                var cmd = obj["cmd"]?.GetValueKind() == System.Text.Json.JsonValueKind.String ? (string)obj["cmd"] : null;
                if (cmd == null)
                    throw new ProtocolError("malformed request: no \"cmd\"");
                Log.Write("<- " + cmd);
                var t0 = System.Diagnostics.Stopwatch.GetTimestamp();
                lock (svc.Gate)
                    reply = svc.Handle(cmd, obj, out quit);
                Log.Write($"-> {cmd} ok={reply["ok"]} in {System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds:F0} ms");
            }
            catch (ProtocolError e)
            {
                reply = new JsonObject { ["ok"] = false, ["error"] = e.Message };
            }
            catch (Exception e)
            {
                Log.Write(e.ToString());
                reply = new JsonObject { ["ok"] = false, ["error"] = "internal error: " + OneLine(e.GetType().Name + ": " + e.Message) };
            }
            var outObj = new JsonObject { ["id"] = id };
            foreach (var kv in reply.ToList())
            {
                reply.Remove(kv.Key);
                outObj[kv.Key] = kv.Value;
            }
            try
            {
                stdout.WriteLine(outObj.ToJsonString());
            }
            catch (IOException)
            {
                return 0; // cordbg is gone
            }
            if (quit)
                break;
        }
        return 0;
    }

    public static string OneLine(string s) => s.Replace("\r", " ").Replace("\n", " ");
}

/// <summary>A request the helper refuses: the message is the reply's "error".</summary>
sealed class ProtocolError : Exception
{
    public ProtocolError(string msg) : base(msg) { }
}

static class Log
{
    static readonly bool on = Environment.GetEnvironmentVariable("CORDBG_ENCSVC_LOG") is string v && v != "" && v != "0";
    public static void Write(string msg)
    {
        if (on)
            Console.Error.WriteLine("encsvc: " + msg);
    }
}
