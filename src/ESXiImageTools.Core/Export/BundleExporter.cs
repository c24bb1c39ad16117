using System;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>Options of an offline bundle export.</summary>
public sealed class BundleExportOptions : ExportOptions
{
    /// <summary>index.xml's vendor name; null: the profile's vendor.</summary>
    public string VendorName { get; set; }

    /// <summary>index.xml's vendor code: exactly 3 ASCII letters or digits (checked before anything is read).</summary>
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
        var vendorCode = CheckVendorCode(options.VendorCode ?? "EIT");
        var (problems, warnings) = ExportPreflight.Run(profile, options, cancellationToken: cancellationToken);
        var destination = Path.GetFullPath(options.Destination);
        var content = new BundleContent
        {
            VendorName = string.IsNullOrWhiteSpace(options.VendorName) ? profile.Vendor ?? "ESXiImageTools" : options.VendorName.Trim(),
            VendorCode = vendorCode,
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

    /// <summary>
    /// <paramref name="code"/> when it is exactly 3 ASCII letters or digits, as VMware's New-OfflineBundle documents and
    /// vLCM requires of index.xml's vendor code; otherwise a typed error (BundleVendorCodeInvalid).
    /// </summary>
    public static string CheckVendorCode(string code)
    {
        if (code != null && code.Length == 3 && code.All(ch => ch < 128 && char.IsLetterOrDigit(ch))) return code;
        throw new EsxException(ErrorCodes.BundleVendorCodeInvalid, EsxErrorCategory.InvalidArgument,
            $"the vendor code '{MessageText.Escape(code ?? "")}' must be exactly 3 letters or digits (A-Z, a-z, 0-9), as vLCM requires of an offline bundle's index.xml", code);
    }
}
