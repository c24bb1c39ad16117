using System;
using System.IO;
using ESXiImageTools.Samples.BootFiles;

namespace ESXiImageTools.Samples;

/// <summary>
/// Regenerates the embedded sample under an output folder:
/// <c>dotnet run --project samples/ESXiImageTools.Samples -- &lt;output-folder&gt;</c>.
/// Each step writes one part; the depot step (base package carrying the boot files, driver VIBs,
/// profiles, bundle) is added here once the VIB writer exists.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length != 1 || args[0].StartsWith("-", StringComparison.Ordinal))
        {
            Console.Error.WriteLine("usage: ESXiImageTools.Samples <output-folder>");
            return 2;
        }
        var output = Path.GetFullPath(args[0]);

        // Step 1: the sample's own boot programs (ISOLINUX.BIN, EFIBOOT.IMG, EFI/BOOT/BOOTX64.EFI).
        var bootFolder = Path.Combine(output, "bootfiles");
        SampleBootFiles.WriteTo(bootFolder);
        Console.WriteLine($"boot files: {bootFolder}");

        // Step 2 (later): the sample depot, whose base package carries the boot files from step 1.
        return 0;
    }
}
