using System;
using BenchmarkDotNet.Running;

namespace ESXiImageTools.Bench;

/// <summary>
/// Runs the benchmarks: <c>dotnet run -c Release --project bench/ESXiImageTools.Bench -- --filter '*'</c>.
/// <c>make-export-depot &lt;dir&gt; [megabytes] [--compressible]</c> builds the input of bench/export-iso.sh instead;
/// <c>payload-open-allocs &lt;bundle.zip&gt;</c> reports the memory allocated by opening every payload of a bundle;
/// <c>metadata-10k [rounds]</c> times parsing 10,000 VIBs of metadata against the targets (0.3 s, 150 MB).
/// </summary>
public static class Program
{
    public static void Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "make-export-depot")
        {
            ExportDepotGenerator.Run(args.Length > 1 ? args[1] : "bench-export", args.Length > 2 ? int.Parse(args[2]) : 400,
                compressible: args.Contains("--compressible"));
            return;
        }
        if (args.Length > 1 && args[0] == "payload-open-allocs")
        {
            PayloadOpenAllocations.Run(args[1]);
            return;
        }
        if (args.Length > 0 && args[0] == "metadata-10k")
        {
            MetadataParseProbe.Run(args.Length > 1 ? int.Parse(args[1]) : 7);
            return;
        }
        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
    }
}
