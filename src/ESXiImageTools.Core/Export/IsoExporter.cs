using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// Exports an image profile as a bootable ESXi installer ISO (BIOS and UEFI). The layout is computed first;
/// payload bytes then stream from their packages straight into the image through checksum verification.
/// Written to a temporary file beside the destination and renamed at the end: on error or cancel nothing is left.
/// </summary>
public static class IsoExporter
{
    /// <summary>Files the layout itself puts at the root (lower case), reserved from payload naming.</summary>
    public static readonly IReadOnlyList<string> ReservedNames = new[]
    {
        "boot.cfg", "boot.cat", "isolinux.cfg", "imgdb.tgz", "imgpayld.tgz", "basemisc.tgz", "resvibs.tgz", "esxiodpt.tgz", "upgrade",
    }.Concat(BootLoaderFiles.All.Where(b => !b.IsoPath.Contains("/")).Select(b => b.IsoPath.ToLowerInvariant())).ToList();

    public static ExportResult Export(ImageProfile profile, IsoExportOptions options, IProgress<ExportProgress> progress = null,
                                      CancellationToken cancellationToken = default)
    {
        // A date the output cannot record (or a malformed SOURCE_DATE_EPOCH) is refused before any checking work.
        var timestamp = options.ResolveTimestamp();
        var (problems, warnings) = ExportPreflight.Run(profile, options, cancellationToken: cancellationToken);
        var destination = Path.GetFullPath(options.Destination);
        var workDirectory = WorkDirectory.Create("export");
        var work = workDirectory.Path;
        try
        {
            var (plan, bootFiles) = PlanImage(profile, options, timestamp, work, progress, cancellationToken);
            var builder = plan.Builder;
            builder.FlushToDisk = options.FlushToDisk;
            var isoProgress = progress == null ? null : new SyncProgress<IsoWriteProgress>(p =>
                progress.Report(new ExportProgress("Writing ISO", p.BytesWritten, p.TotalBytes, DescribeFile(plan, p.CurrentFile))));
            builder.WriteToFile(destination, options.Overwrite, isoProgress, cancellationToken);
            return new ExportResult
            {
                Path = destination,
                Kind = "Iso",
                Size = new FileInfo(destination).Length,
                Profile = profile,
                Files = plan.Files,
                Problems = problems,
                Warnings = warnings.Concat(plan.Warnings).Concat(bootFiles.ContainsKey("MENU.C32") ? Array.Empty<string>()
                    : new[] { "the profile has no menu.c32; ISOLINUX.CFG boots the installer entry directly" }).ToList(),
            };
        }
        finally
        {
            workDirectory.Dispose();
        }
    }

    /// <summary>
    /// The image's files (boot loaders found, times clamped, image database modules written into <paramref name="work"/>):
    /// what the ISO writes, and what the PXE export takes its folder from.
    /// </summary>
    internal static (IsoPlan Plan, IReadOnlyDictionary<string, MediaFile> BootFiles) PlanImage(
        ImageProfile profile, IsoExportOptions options, DateTimeOffset timestamp, string work, IProgress<ExportProgress> progress,
        CancellationToken cancellationToken)
    {
        progress?.Report(new ExportProgress("Finding boot-loader files", 0, 0, null));
        var bootFiles = BootLoaderFiles.Locate(profile.Packages, work, cancellationToken);
        var written = ExportOptions.ClampTimes(profile, timestamp);
        var components = ProfileComponents.ForImage(profile, options.Catalog);
        progress?.Report(new ExportProgress("Writing the image database modules", 0, 0, null));
        return (Plan(written, bootFiles, options, timestamp, work, components, cancellationToken), bootFiles);
    }

    private static string DescribeFile(IsoPlan plan, string isoPath)
        => isoPath != null && plan.PayloadByIsoPath.TryGetValue(isoPath.TrimStart('/'), out var f) ? $"{isoPath} ({f.Package.Name})" : isoPath;

    /// <summary>The computed layout of an installer ISO, before any payload byte is read.</summary>
    internal sealed class IsoPlan
    {
        public IsoBuilder Builder { get; init; }
        public IReadOnlyList<string> Files { get; init; }
        /// <summary>Every file of the image except the boot catalog, by ISO path, in the order the plan added them.</summary>
        public IReadOnlyList<MediaFile> Media { get; init; }
        public IReadOnlyList<IsoPayloadFile> PayloadFiles { get; init; }
        public Dictionary<string, IsoPayloadFile> PayloadByIsoPath { get; init; }
        public BootCfg BootCfg { get; init; }
        public IReadOnlyList<string> Warnings { get; init; }
    }

    private static IsoPlan Plan(ImageProfile profile, IReadOnlyDictionary<string, MediaFile> bootFiles, IsoExportOptions options,
                                 DateTimeOffset timestamp, string work, ImageComponents components = null, CancellationToken cancellationToken = default)
    {
        var warnings = new List<string>();
        var payloadFiles = PayloadFileNamer.Assign(BootModuleOrder.Order(profile.Packages), ReservedNames);
        var kernel = EsxBootConfig.SelectKernel(payloadFiles);
        var trailing = ImagePayloadArchives.TrailingModules(ImagePayloadArchives.BaseVersion(profile));
        var cfg = EsxBootConfig.Build(payloadFiles, trailing, "Loading ESXi installer", BuildNumber(profile, kernel),
                                      options.KernelOptions ?? EsxBootConfig.InstallerKernelOptions);
        var bootCfgBytes = Encoding.ASCII.GetBytes(cfg.ToString());
        var isolinuxCfg = Encoding.ASCII.GetBytes(EsxBootConfig.IsolinuxCfg(profile.Name, bootFiles.ContainsKey("MENU.C32")));
        foreach (var vib in profile.Packages)
            foreach (var p in vib.Payloads)
                if (PayloadVerifier.DescribeUnverifiable(p, vib.Id) is string note) warnings.Add(note);

        var b = new IsoBuilder(timestamp)
        {
            VolumeId = VolumeIdFor(options.VolumeId ?? profile.Name),
            ApplicationId = "ESXIMAGE",
            BiosBoot = new IsoBiosBoot { Path = "ISOLINUX.BIN", LoadSectors = 4, PatchBootInfoTable = true },
            EfiBoot = new IsoEfiBoot { Path = "EFIBOOT.IMG" },
            BootCatalogPath = "BOOT.CAT",
        };
        // Every file is a MediaFile first: the ISO writer takes them all, the PXE export the ones a network boot loads.
        var media = new List<MediaFile>();
        void Add(MediaFile f) { b.AddFile(f.IsoPath, f.Size, f.Open); media.Add(f); }
        Add(MediaFile.FromBytes("BOOT.CFG", bootCfgBytes, "the installer's boot configuration"));
        Add(MediaFile.FromBytes("EFI/BOOT/BOOT.CFG", bootCfgBytes, "the installer's boot configuration"));
        Add(MediaFile.FromBytes("ISOLINUX.CFG", isolinuxCfg, "the ISOLINUX configuration"));
        foreach (var kv in bootFiles.OrderBy(k => k.Key, StringComparer.Ordinal)) Add(kv.Value);
        foreach (var f in UpgradeFolder.Files(profile, payloadFiles)) Add(f);
        foreach (var name in trailing)
        {
            var path = Path.Combine(work, name.ToUpperInvariant());
            using (var f = File.Create(path)) ImagePayloadArchives.WriteModule(name, f, profile, payloadFiles, timestamp, components ?? ImageComponents.Empty, cancellationToken);
            Add(MediaFile.FromFile(name.ToUpperInvariant(), path, "the image database module " + name));
        }
        var byPath = new Dictionary<string, IsoPayloadFile>(StringComparer.Ordinal);
        foreach (var pf in payloadFiles)
        {
            Add(MediaFile.FromPayload(pf.IsoName, pf.Package, pf.Payload, cancellationToken));
            byPath[pf.IsoName] = pf;
        }
        var files = media.Select(f => f.IsoPath).Concat(new[] { "BOOT.CAT" }).ToList();
        return new IsoPlan
        {
            Builder = b,
            Media = media,
            Files = files.OrderBy(x => x, StringComparer.Ordinal).ToList(),
            PayloadFiles = payloadFiles,
            PayloadByIsoPath = byPath,
            BootCfg = cfg,
            Warnings = warnings,
        };
    }

    /// <summary>BOOT.CFG <c>build=</c>: the version of esx-base when present, else of the kernel's package.</summary>
    private static string BuildNumber(ImageProfile profile, IsoPayloadFile kernel)
        => (profile.Packages.FirstOrDefault(p => p.Name == "esx-base") ?? kernel.Package).Version.ToString();

    /// <summary>A volume id from a profile name: upper case, at most 32 characters, d-characters plus '-' and '.' as ESXi media use.</summary>
    public static string VolumeIdFor(string name) => IsoNames.ToVolumeId(name ?? "ESXI", "ESXI");

    /// <summary>Reports on the calling thread (Progress&lt;T&gt; would post to a sync context or the thread pool).</summary>
    private sealed class SyncProgress<T> : IProgress<T>
    {
        private readonly Action<T> _report;
        public SyncProgress(Action<T> report) => _report = report;
        public void Report(T value) => _report(value);
    }
}
