using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Depots;

namespace ESXiImageTools.Bench;

/// <summary>
/// <c>metadata-10k [rounds]</c>: parses the 10,000-VIB metadata zip of <see cref="DepotOpenBenchmarks"/> several
/// times in one process (after 5 warm-up parses) and prints the median wall time, CPU time and bytes allocated per parse against the targets
/// (0.3 s, 150 MB), as ratios. Quicker than BenchmarkDotNet on a loaded machine.
/// </summary>
public static class MetadataParseProbe
{
    public const double TargetSeconds = 0.3;
    public const double TargetMegabytes = 150;
    private const int WarmUpParses = 5;

    public static void Run(int rounds)
    {
        var zip = DepotOpenBenchmarks.BuildMetadata10k();
        // Warm-up: JIT and first-use costs. Several parses, since tier-1 code arrives from a background compile
        // that a loaded machine starves (the first parses then run unoptimized code).
        for (int i = 0; i < WarmUpParses; i++) Parse(zip);
        var times = new double[rounds];
        var allocs = new double[rounds];
        var cpu = new double[rounds];
        for (int i = 0; i < rounds; i++)
        {
            GC.Collect();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            int n = Parse(zip);
            times[i] = clock.Elapsed.TotalSeconds;
            cpu[i] = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
            allocs[i] = (GC.GetTotalAllocatedBytes(precise: true) - before) / 1024.0 / 1024.0;
            if (n != 10_000) throw new InvalidOperationException($"parsed {n} packages, expected 10000");
        }
        double t = Median(times), c = Median(cpu), a = Median(allocs);
        Console.WriteLine($"10,000-VIB metadata: median {t:0.000} s wall, {c:0.000} s CPU, {a:0.0} MB allocated per parse ({rounds} rounds)");
        Console.WriteLine($"ratio to target: wall {t / TargetSeconds:0.00}, CPU {c / TargetSeconds:0.00} (target 0.3 s; the parse is single-threaded, " +
                          $"so CPU time is its wall time on an idle core), allocation {a / TargetMegabytes:0.00} (target 150 MB)");
        Console.WriteLine($"load average: {File.ReadAllText("/proc/loadavg").Trim()} on {Environment.ProcessorCount} CPUs");
    }

    private static int Parse(byte[] zip)
    {
        using var ms = new MemoryStream(zip, false);
        return MetadataBundle.Read(ms, "bench").Vibs.Count;
    }

    private static double Median(double[] xs)
    {
        var s = xs.OrderBy(x => x).ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[s.Length / 2 - 1] + s[s.Length / 2]) / 2;
    }
}
