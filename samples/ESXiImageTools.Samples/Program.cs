using System;
using System.IO;
using ESXiImageTools.Samples.Depot;

namespace ESXiImageTools.Samples;

/// <summary>
/// Regenerates the embedded sample: <c>dotnet run --project samples/ESXiImageTools.Samples -- [samplesDir]</c>
/// (default <c>samples</c>, relative to the current folder, i.e. run it from the repository root).
/// Step 1 makes the sample's own boot programs (BIOS ISOLINUX.BIN, EFIBOOT.IMG holding BOOTX64.EFI), step 2
/// packs them into the base package of the sample depot and writes the depot and the community driver.
/// </summary>
public static class Program
{
    public const string DefaultSamplesDir = "samples";

    public static int Main(string[] args)
    {
        if (args.Length > 1 || (args.Length == 1 && args[0].StartsWith("-", StringComparison.Ordinal)))
        {
            Console.Error.WriteLine("usage: ESXiImageTools.Samples [samplesDir]   (default: ./samples; run from the repository root)");
            return 2;
        }
        var samples = Path.GetFullPath(args.Length == 1 ? args[0] : DefaultSamplesDir);

        // Step 1 happens inside step 2: SamplePackages.Base generates the boot programs (BootFiles/SampleBootFiles)
        // into esx-base's typed boot-loader payloads (boot_iso_bios, eltorito_image_efi, boot_loader_efi), where real
        // ESXi 7+ keeps them, and into its btldr tardisk.
        // Step 2: the sample depot and the community driver.
        var files = SampleDepot.Write(samples);
        Console.WriteLine($"depot:  {files.BundlePath} ({new FileInfo(files.BundlePath).Length} bytes)");
        Console.WriteLine($"driver: {files.CommunityDriverPath} ({new FileInfo(files.CommunityDriverPath).Length} bytes)");
        return 0;
    }
}
