// BpPlugin: a class library that BpLoader loads late with Assembly.LoadFrom.
using System;

namespace BpPluginNs
{
    public static class Plugin
    {
        public static int Run(int x)
        {
            int doubled = x * 2; // @mark:plugin_run
            Console.WriteLine("plugin ran " + doubled);
            return doubled;
        }
    }
}
