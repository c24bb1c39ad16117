using System.Collections.Generic;
using System.Linq;
using ESXiImageTools.Core.Iso;

namespace ESXiImageTools.Cli.Commands;

/// <summary><c>esximage iso-list</c>: lists an ISO's files (primary ISO 9660 tree) and El Torito boot entries.</summary>
public sealed class IsoListCommand : CliCommand, ICliOptions
{
    public override string Name => "iso-list";
    public override string Summary => "list an ISO image's files, sizes and El Torito boot entries";
    public override string Usage => "usage: esximage iso-list <file.iso> [--json]";

    public IEnumerable<string> ValueOptions => new string[0];
    public IEnumerable<string> Flags => new[] { "json" };

    /// <summary>The --json document.</summary>
    public sealed record IsoListing(string VolumeId, string SystemId, string ApplicationId, uint VolumeSpaceSize,
        IReadOnlyList<IsoListedFile> Files, IReadOnlyList<string> Directories, IsoListedCatalog BootCatalog);

    public sealed record IsoListedFile(string Path, long Size, uint Lba);

    public sealed record IsoListedCatalog(uint Lba, IReadOnlyList<IsoListedBootEntry> Entries);

    public sealed record IsoListedBootEntry(string Platform, bool Bootable, string Emulation, ushort LoadSegment, ushort SectorCount, uint Lba, string Path);

    public override int Run(CliArguments args, CliContext context)
    {
        if (args.Positionals.Count != 1) throw new CliUsageException("give exactly one ISO file");
        using var reader = IsoReader.Open(context.ResolvePath(args.Positionals[0]));
        var listing = ToListing(reader);
        if (args.Flag("json")) { CliJson.Write(context.Out, listing); return ExitCodes.Success; }

        var w = context.Out;
        w.WriteLine($"volume {listing.VolumeId}  ({listing.VolumeSpaceSize} sectors, application '{listing.ApplicationId}')");
        foreach (var f in listing.Files) w.WriteLine($"{f.Size,12} {f.Lba,8}  {f.Path}");
        if (listing.BootCatalog == null) w.WriteLine("no El Torito boot catalog");
        else
        {
            w.WriteLine($"El Torito catalog at LBA {listing.BootCatalog.Lba}:");
            foreach (var e in listing.BootCatalog.Entries)
                w.WriteLine($"  {e.Platform,-5} {(e.Bootable ? "bootable" : "not-bootable")} {e.Emulation} load-segment 0x{e.LoadSegment:X4} sectors {e.SectorCount} LBA {e.Lba}{(e.Path != null ? "  " + e.Path : "")}");
        }
        return ExitCodes.Success;
    }

    internal static IsoListing ToListing(IsoReader r)
    {
        var files = r.Files.Select(f => new IsoListedFile(f.Path, f.Size, f.Lba)).ToList();
        var dirs = new List<string>();
        void Walk(IsoDirectoryEntry d)
        {
            foreach (var c in d.Children.OfType<IsoDirectoryEntry>()) { dirs.Add(c.Path); Walk(c); }
        }
        Walk(r.Root);
        IsoListedCatalog catalog = null;
        if (r.BootCatalog != null)
        {
            var byLba = r.Files.Where(f => f.Size > 0).GroupBy(f => f.Lba).ToDictionary(g => g.Key, g => g.First().Path);
            catalog = new IsoListedCatalog(r.BootCatalog.Lba, r.BootCatalog.Entries.Select(e => new IsoListedBootEntry(
                PlatformName(e.Platform), e.Bootable, EmulationName(e.MediaType), e.LoadSegment, e.SectorCount, e.Lba,
                byLba.TryGetValue(e.Lba, out var p) ? p : null)).ToList());
        }
        var v = r.Volume;
        return new IsoListing(v.VolumeId, v.SystemId, v.ApplicationId, v.VolumeSpaceSize, files, dirs, catalog);
    }

    private static string PlatformName(byte p) => p switch { 0 => "BIOS", 1 => "PPC", 2 => "Mac", 0xEF => "UEFI", _ => "0x" + p.ToString("X2") };

    private static string EmulationName(byte m) => m switch
    {
        0 => "no-emulation", 1 => "floppy-1.2M", 2 => "floppy-1.44M", 3 => "floppy-2.88M", 4 => "hard-disk", _ => "media-" + m,
    };
}
