using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Samples.Depot;

/// <summary>The files <see cref="SampleDepot.Write"/> produced.</summary>
public sealed record SampleDepotFiles(string BundlePath, string CommunityDriverPath);

/// <summary>
/// Writes the embedded sample under a samples folder: the offline bundle <see cref="BundleRelativePath"/>
/// (esx-base, tools-light, two drivers; profiles <see cref="StandardProfile"/> and <see cref="NoToolsProfile"/>)
/// and the community driver <see cref="CommunityDriverRelativePath"/>. Deterministic: every date is
/// <see cref="Timestamp"/> and every archive is written without time or platform dependence, so
/// regenerating gives byte-identical files.
/// </summary>
public static class SampleDepot
{
    public const string StandardProfile = "ESXi-8.0.0-20513097-sample-standard";
    public const string NoToolsProfile = "ESXi-8.0.0-20513097-sample-no-tools";
    public const string ProfileVendor = "VMware, Inc.";
    public const string BundleRelativePath = "depot/ESXi-8.0.0-sample-depot.zip";

    /// <summary>The release date of every package and profile and the bundle's zip timestamps (ESXi 8.0.0 GA's date).</summary>
    public static readonly DateTimeOffset Timestamp = new DateTimeOffset(2022, 10, 11, 0, 0, 0, TimeSpan.Zero);

    /// <summary>The community driver's VIB id.</summary>
    public static string CommunityDriverId => SamplePackages.CommunityDriver(Timestamp).Metadata.Id;

    /// <summary>Where the community driver goes, relative to the samples folder.</summary>
    public static string CommunityDriverRelativePath => "drivers/" + CommunityDriverId + ".vib";

    /// <summary>Writes (replacing) the bundle and the community driver under <paramref name="samplesDir"/>.</summary>
    public static SampleDepotFiles Write(string samplesDir)
    {
        var root = Path.GetFullPath(samplesDir);
        var bundlePath = Path.Combine(root, BundleRelativePath.Replace('/', Path.DirectorySeparatorChar));
        var driverPath = Path.Combine(root, CommunityDriverRelativePath.Replace('/', Path.DirectorySeparatorChar));
        Directory.CreateDirectory(Path.GetDirectoryName(bundlePath));
        Directory.CreateDirectory(Path.GetDirectoryName(driverPath));

        var scratch = Path.Combine(Path.GetTempPath(), "esxit-sample-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(scratch);
        try
        {
            var packages = new[] { SamplePackages.Base(Timestamp) }
                .Concat(SamplePackages.InboxDrivers(Timestamp))
                .Concat(new[] { SamplePackages.ToolsLight(Timestamp) })
                .Select(p => VibWriter.WriteFileSigned(p.Metadata, p.Sources, Path.Combine(scratch, p.Metadata.Id + ".vib"), SampleSigning.Signer(root)))
                .ToList();
            var content = new BundleContent
            {
                VendorName = ProfileVendor,
                VendorCode = "vmw",
                Packages = packages,
                Profiles = Profiles(packages),
                Components = new[] { BaseImageComponent(packages) },
            };
            AtomicFileWriter.Write(bundlePath, overwrite: true, (stream, ct) => BundleWriter.Write(stream, content, Timestamp, null, ct));

            var community = SamplePackages.CommunityDriver(Timestamp);
            VibWriter.WriteFile(community.Metadata, community.Sources, driverPath);   // unsigned: empty sig.pkcs7
        }
        finally
        {
            try { Directory.Delete(scratch, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        return new SampleDepotFiles(bundlePath, driverPath);
    }

    /// <summary>The base image version (the version of its <c>ESXi</c> component), as a software spec names it.</summary>
    public const string BaseImageVersion = "8.0.0-1.0.20513097";

    /// <summary>
    /// The base image's core component over esx-base, in the shape of the real ESXi 7.0 bulletin
    /// (ESXi_7.0.0-1.0.15843807; docs/formats-notes.md, "Image database"), so the sample has a base image.
    /// </summary>
    public static Bulletin BaseImageComponent(IReadOnlyList<Vib> packages) => new Bulletin
    {
        Id = "ESXi_" + BaseImageVersion,
        Vendor = "VMware",
        Summary = "ESXi Component - core ESXi VIBs",
        Description = "ESXi component with core ESXi VIBs (sample)",
        Severity = "general",
        Category = "general",
        Urgency = "important",
        ReleaseType = "patch",
        Contact = "VMware",
        ComponentName = "ESXi",
        ComponentUiName = "ESXi",
        ComponentVersion = BaseImageVersion,
        ComponentUiVersion = "8.0.0 Build - 20513097",
        ReleaseDate = Timestamp,
        Platforms = new[] { new SoftwarePlatform("8.0", "", "embeddedEsx") },
        VibIds = packages.Where(p => p.Name == "esx-base").Select(p => p.Id).ToList(),
    };

    /// <summary>The two profiles: standard (every package) and no-tools (without the locker package tools-light).</summary>
    public static IReadOnlyList<ImageProfile> Profiles(IReadOnlyList<Vib> packages)
    {
        ImageProfile Make(string name, string what, IEnumerable<Vib> vibs) => new ImageProfile
        {
            Name = name,
            Vendor = ProfileVendor,
            Creator = ProfileVendor,
            Description = $"Synthetic ESXi 8.0.0 sample image ({what}), generated by ESXiImageTools; it boots to a marker line, not to ESXi.",
            AcceptanceLevel = AcceptanceLevel.PartnerSupported,
            CreationTime = Timestamp,
            ModifiedTime = Timestamp,
            ReadOnly = true,
            Packages = vibs.ToList(),
        };
        return new[]
        {
            Make(StandardProfile, "standard: every package", packages),
            Make(NoToolsProfile, "no-tools: without VMware Tools", packages.Where(p => p.Name != "tools-light")),
        };
    }
}
