using System;
using System.Collections.Generic;
using System.Linq;

namespace EncSvcCases;

public class Calc
{
    int calls;
    List<int> history = new List<int>();

    public int Compute(int x)
    {
        calls++;
        int doubled = x * 2; // @mark:compute
        history.Add(doubled);
        return doubled + 1;
    }

    public int Above(List<int> items)
    {
        int threshold = 2;
        return items.Count(i => i > threshold); // @mark:above
    }

    public static string Describe(int n)
    {
        return "n=" + n; // @mark:describe
    }

    public int Calls => calls; // @mark:calls

    public string HistoryText => string.Join(",", history);
}

public struct Point
{
    public int X;
    public int Y; // @mark:pointy
    public int Sum() => X + Y;
}
