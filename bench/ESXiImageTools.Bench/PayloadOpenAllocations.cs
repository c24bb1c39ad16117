using System;
using System.Diagnostics;
using System.Linq;
using ESXiImageTools.Core.Depots;

namespace ESXiImageTools.Bench;

/// <summary>
/// <c>payload-open-allocs &lt;bundle.zip&gt;</c>: opens every payload of every package of a bundle (reading its
/// first bytes, as an export would) and reports the bytes allocated per package, measured with
/// GC.GetTotalAllocatedBytes around the opens only. Each package is opened twice: the first pass includes
/// one-time work (reading the VIB's member layout), the second shows the steady cost of an open.
/// </summary>
public static class PayloadOpenAllocations
{
    public static void Run(string zipPath)
    {
        var depot = DepotReader.Open(zipPath);
        var packages = depot.Packages.Where(p => p.Content != null).ToList();
        var buffer = new byte[4096];
        for (int pass = 1; pass <= 2; pass++)
        {
            int opens = 0;
            long bytesRead = 0;
            var clock = Stopwatch.StartNew();
            long before = GC.GetTotalAllocatedBytes(precise: true);
            foreach (var vib in packages)
            foreach (var payload in vib.Payloads)
            {
                using var s = vib.Content.OpenPayload(payload);
                bytesRead += s.Read(buffer, 0, buffer.Length);
                opens++;
            }
            long allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            Console.WriteLine($"pass {pass}: {packages.Count} packages, {opens} payload opens ({bytesRead / 1024} KB read), {allocated / 1024.0 / 1024.0:0.00} MB allocated " +
                              $"({allocated / 1024.0 / packages.Count:0.0} KB per package, {allocated / 1024.0 / opens:0.0} KB per open), {clock.ElapsedMilliseconds} ms");
        }
    }
}
