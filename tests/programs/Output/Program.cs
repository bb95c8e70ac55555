// Output: writes one known byte payload to stdout and the same payload to stderr, as raw
// bytes, so a test can compare what passes through the debugger byte for byte with a
// reference run made without it. The payload holds UTF-8 non-ASCII text, a NUL, CRs, a
// 200 KB block of every byte value, and ends with a line that has no trailing newline.
// Everything is prepared before the first write so that each stream gets one write.
using System;
using System.IO;
using System.Text;

static class Program
{
    static byte[] Payload()
    {
        var ms = new MemoryStream();
        void Text(string s) { byte[] b = Encoding.UTF8.GetBytes(s); ms.Write(b, 0, b.Length); }
        Text("Output: begin\n");
        Text("utf-8: h\u00e9llo w\u00f6rld \u2014 \u2603 \u65e5\u672c\u8a9e \U0001F389\n");
        Text("nul:[\0] cr:[\r] crlf:[\r\n]\n");
        var block = new byte[200 * 1024];
        for (int i = 0; i < block.Length; i++)
            block[i] = (byte)((i * 7 + i / 256) & 0xff);
        ms.Write(block, 0, block.Length);
        Text("\nOutput: end, no newline after this");
        return ms.ToArray();
    }

    static int Main()
    {
        byte[] payload = Payload();
        using Stream stdout = Console.OpenStandardOutput();
        using Stream stderr = Console.OpenStandardError();
        stdout.Write(payload, 0, payload.Length); // @mark:stdout
        stdout.Flush();
        stderr.Write(payload, 0, payload.Length); // @mark:stderr
        stderr.Flush();
        return 0;
    }
}
