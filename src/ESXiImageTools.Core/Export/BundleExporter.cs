using System;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>Options of an offline bundle export.</summary>
public sealed class BundleExportOptions : ExportOptions
{
    public string VendorName { get; set; }
    public string VendorCode { get; set; } = "EIT";
}

/// <summary>Exports an image profile as an offline bundle (the profile and all its packages), atomically.</summary>
public static class BundleExporter
{
    public static ExportResult Export(ImageProfile profile, BundleExportOptions options, IProgress<ExportProgress> progress = null,
                                      CancellationToken cancellationToken = default)
    {
        // A date the output cannot record (or a malformed SOURCE_DATE_EPOCH) is refused before any checking work.
        var timestamp = options.ResolveTimestamp();
        var (problems, warnings) = ExportPreflight.Run(profile, options, cancellationToken: cancellationToken);
        var destination = Path.GetFullPath(options.Destination);
        var content = new BundleContent
        {
            VendorName = options.VendorName ?? profile.Vendor ?? "ESXiImageTools",
            VendorCode = options.VendorCode ?? "EIT",
            Packages = profile.Packages,
            Profiles = new[] { ExportOptions.ClampTimes(profile, timestamp) with { ReadOnly = false } },
            Components = ProfileComponents.ForImage(profile, options.Catalog).Components,
        };
        var bundleWarnings = Array.Empty<string>() as System.Collections.Generic.IReadOnlyList<string>;
        AtomicFileWriter.Write(destination, options.Overwrite, options.FlushToDisk,
            (stream, ct) => bundleWarnings = BundleWriter.Write(stream, content, timestamp, progress, ct), cancellationToken);
        return new ExportResult
        {
            Path = destination,
            Kind = "Bundle",
            Size = new FileInfo(destination).Length,
            Profile = profile,
            Files = new[] { "index.xml", "vendor-index.xml", "metadata.zip" }.Concat(profile.Packages.Select(p => $"vib20/{p.Name}/{p.Id}.vib")).ToList(),
            Problems = problems,
            Warnings = warnings.Concat(bundleWarnings).ToList(),
        };
    }
}
