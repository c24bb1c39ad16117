using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Iso;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage iso-create</c>: writes a folder tree as an ISO 9660 image with optional El Torito BIOS/UEFI entries.</summary>
public sealed class IsoCreateCommand : CliCommand, ICliOptions
{
    public override string Name => "iso-create";
    public override string Summary => "write a folder as a bootable ISO 9660 image (El Torito BIOS/UEFI)";
    public override string Usage =>
        "usage: esximage iso-create <dir> --out <file.iso> [--volume-id X] [--bios-boot <path-in-tree>]\n" +
        "                           [--efi-boot <path-in-tree>] [--timestamp <unix-seconds>] [--force] [--no-sync]\n" +
        "  Names are upper-cased and must then be ISO 9660 Level 1 (8.3, directories of 8, 8 levels).\n" +
        "  --bios-boot  no-emulation BIOS image (e.g. ISOLINUX.BIN): load size 4, boot info table patched\n" +
        "  --efi-boot   FAT image for UEFI (e.g. EFIBOOT.IMG), platform 0xEF\n" +
        "  --timestamp  date recorded in the image (default: SOURCE_DATE_EPOCH, else now); same inputs and\n" +
        "               timestamp give a byte-identical image\n" +
        "  --force      replace an existing output file\n" +
        "  --no-sync    do not wait for the image to reach the disk before renaming it into place (as genisoimage);\n" +
        "               still all-or-nothing on errors and interruption, but a power loss soon after may leave it incomplete";

    public IEnumerable<string> ValueOptions => new[] { "out", "volume-id", "bios-boot", "efi-boot", "timestamp" };
    public IEnumerable<string> Flags => new[] { "force", "no-sync" };

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("give exactly one source folder");
        var source = context.ResolvePath(args.Positionals[0]);
        var output = context.ResolvePath(args.Required("out"));
        if (!Directory.Exists(source))
            throw new EsxException(ErrorCodes.FileNotFound, EsxErrorCategory.ObjectNotFound, $"folder '{source}' does not exist", source);

        var builder = new IsoBuilder(ResolveTimestamp(args.Value("timestamp")))
        {
            VolumeId = (args.Value("volume-id") ?? DefaultVolumeId(source)).ToUpperInvariant(),
            FlushToDisk = !args.Flag("no-sync"),
        };
        int files = AddTree(builder, source, "");
        var bios = args.Value("bios-boot");
        if (bios != null) builder.BiosBoot = new IsoBiosBoot { Path = bios.Replace('\\', '/').ToUpperInvariant() };
        var efi = args.Value("efi-boot");
        if (efi != null) builder.EfiBoot = new IsoEfiBoot { Path = efi.Replace('\\', '/').ToUpperInvariant() };

        builder.WriteToFile(output, args.Flag("force"), null, context.Cancellation);
        context.Out.WriteLine($"wrote {output} ({new FileInfo(output).Length} bytes, {files} files)");
        return ExitCodes.Success;
    }

    /// <summary>ISO 9660 volume dates end in 2155 (a year offset from 1900 in one byte).</summary>
    private static readonly DateTimeOffset LatestIsoDate = new DateTimeOffset(2155, 12, 31, 23, 59, 59, TimeSpan.Zero);

    /// <summary>--timestamp, else SOURCE_DATE_EPOCH (reproducible-builds.org), else now (whole seconds).</summary>
    internal static DateTimeOffset ResolveTimestamp(string option, string sourceDateEpoch = null)
        => VibCommand.OutputDate(option, "--timestamp", LatestIsoDate, LatestIsoDateWhy, sourceDateEpoch) ?? UnixTime.Now();

    private const string LatestIsoDateWhy = "an ISO 9660 image can record";

    private static string DefaultVolumeId(string folder)
    {
        var name = Path.GetFileName(folder.TrimEnd(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar));
        return IsoNames.ToVolumeId(name, "CDROM");
    }

    /// <summary>Adds every file under <paramref name="folder"/>, names upper-cased; returns the file count.</summary>
    private static int AddTree(IsoBuilder builder, string folder, string prefix)
    {
        int count = 0;
        foreach (var entry in new DirectoryInfo(folder).EnumerateFileSystemInfos().OrderBy(e => e.Name, StringComparer.Ordinal))
        {
            var isoPath = prefix + entry.Name.ToUpperInvariant();
            if (entry is DirectoryInfo d)
            {
                if (d.LinkTarget != null)
                    throw new EsxException(ErrorCodes.IsoLayoutInvalid, EsxErrorCategory.InvalidData, $"'{d.FullName}' is a symbolic link to a folder; copy it instead", d.FullName);
                builder.AddDirectory(isoPath);
                count += AddTree(builder, d.FullName, isoPath + "/");
            }
            else
            {
                builder.AddFile(isoPath, entry.FullName);
                count++;
            }
        }
        return count;
    }
}
