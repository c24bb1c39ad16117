using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Authoring;

/// <summary>Options of <see cref="BundleAuthor"/>.</summary>
public sealed record BundleAuthoringOptions
{
    /// <summary>index.xml vendor name; default the first package's vendor.</summary>
    public string VendorName { get; init; }

    /// <summary>index.xml vendor code (vLCM wants 3 alphanumerics); default the vendor's first three letters or digits, upper case.</summary>
    public string VendorCode { get; init; }

    /// <summary>vendor-index.xml platform pattern (<c>8.*</c>); default derived from the packages, <c>*</c> when they name none.</summary>
    public string PlatformVersion { get; init; }

    /// <summary>Time written into the zip and vmware.xml; null → SOURCE_DATE_EPOCH, else now.</summary>
    public DateTimeOffset? Timestamp { get; init; }

    public bool Overwrite { get; init; }
}

/// <summary>
/// One or more VIBs into an offline bundle (New-EsxBundle, <c>esximage bundle new</c>), as VIB Author and VIB2ZIP make
/// them: index.xml, vendor-index.xml, metadata.zip (vmware.xml, vendor-index.xml, vibs/, bulletins/) and
/// vib20/&lt;name&gt;/&lt;id&gt;.vib, written by <see cref="BundleWriter"/>. Every payload is verified first; the .vib files are
/// copied unchanged, so signatures survive.
/// </summary>
public static class BundleAuthor
{
    /// <summary>Writes a bundle of the .vib files at <paramref name="vibPaths"/>.</summary>
    public static ExportResult Create(IEnumerable<string> vibPaths, string destination, BundleAuthoringOptions options = null,
                                      CancellationToken cancellationToken = default)
    {
        var request = Check(destination, options ?? new BundleAuthoringOptions());   // before any VIB is read
        return Write((vibPaths ?? Enumerable.Empty<string>()).Select(VibFile.Open).ToList(), request, cancellationToken);
    }

    /// <summary>Writes a bundle of <paramref name="packages"/> (read from any source; their bytes must be available).</summary>
    public static ExportResult Create(IReadOnlyList<Vib> packages, string destination, BundleAuthoringOptions options = null,
                                      CancellationToken cancellationToken = default)
        => Write(packages, Check(destination, options ?? new BundleAuthoringOptions()), cancellationToken);

    /// <summary>What the options ask, checked once: the destination, a given vendor code, the timestamp (SOURCE_DATE_EPOCH too).</summary>
    private sealed record CheckedRequest(string Destination, BundleAuthoringOptions Options, string VendorCode, DateTimeOffset Timestamp);

    private static CheckedRequest Check(string destination, BundleAuthoringOptions options)
        => new CheckedRequest(
            AtomicFileWriter.CheckDestination(destination, options.Overwrite),
            options,
            string.IsNullOrWhiteSpace(options.VendorCode) ? null : BundleExporter.CheckVendorCode(options.VendorCode.Trim()),
            new ExportOptions { Timestamp = options.Timestamp }.ResolveTimestamp());

    private static ExportResult Write(IReadOnlyList<Vib> packages, CheckedRequest request, CancellationToken cancellationToken)
    {
        var (full, options) = (request.Destination, request.Options);
        if (packages == null || packages.Count == 0)
            throw new EsxException(ErrorCodes.PackageNotFound, EsxErrorCategory.InvalidArgument, "a bundle needs at least one VIB");
        var clash = packages.GroupBy(p => p.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Select(v => v.VibSha256 ?? v.Source).Distinct().Count() > 1);
        if (clash != null)
            throw new EsxException(ErrorCodes.DepotDuplicateConflict, EsxErrorCategory.InvalidData,
                $"VIB {clash.Key} is given twice from different files ({string.Join(", ", clash.Select(v => v.Source).Distinct())})", clash.Key);
        var vendor = string.IsNullOrWhiteSpace(options.VendorName) ? packages[0].Vendor : options.VendorName.Trim();
        var content = new BundleContent
        {
            VendorName = vendor,
            VendorCode = request.VendorCode ?? VendorCode(vendor),
            Packages = packages,
            PlatformVersion = string.IsNullOrWhiteSpace(options.PlatformVersion) ? null : options.PlatformVersion.Trim(),
        };
        var timestamp = request.Timestamp;
        IReadOnlyList<string> warnings = Array.Empty<string>();
        AtomicFileWriter.Write(full, options.Overwrite, (stream, ct) => warnings = BundleWriter.Write(stream, content, timestamp, null, ct), cancellationToken);
        return new ExportResult
        {
            Path = full,
            Kind = "Bundle",
            Size = new FileInfo(full).Length,
            Files = new[] { "index.xml", "vendor-index.xml", "metadata.zip" }.Concat(packages.Select(BundleWriter.VibEntryPath)).Distinct().ToList(),
            Warnings = warnings,
        };
    }

    /// <summary>The first three letters or digits of <paramref name="vendor"/>, upper case, padded with X.</summary>
    public static string VendorCode(string vendor)
    {
        var sb = new StringBuilder();
        foreach (var ch in vendor ?? "")
            if (ch < 128 && char.IsLetterOrDigit(ch) && sb.Length < 3) sb.Append(char.ToUpperInvariant(ch));
        while (sb.Length < 3) sb.Append('X');
        return sb.ToString();
    }
}
