using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Xml.Linq;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>What goes into an offline bundle: packages, the profiles over them, and the vendor block.</summary>
public sealed class BundleContent
{
    public string VendorName { get; init; } = "ESXiImageTools";

    /// <summary>Vendor code; vLCM wants exactly 3 alphanumeric characters.</summary>
    public string VendorCode { get; init; } = "EIT";

    public IReadOnlyList<Vib> Packages { get; init; } = Array.Empty<Vib>();
    public IReadOnlyList<ImageProfile> Profiles { get; init; } = Array.Empty<ImageProfile>();

    /// <summary>Platform version pattern for vendor-index.xml (<c>8.*</c>); null → derived from the packages.</summary>
    public string PlatformVersion { get; init; }

    /// <summary>Real component bulletins to write as they are (e.g. the base image's <c>ESXi_…</c>); packages no
    /// component here covers get a component bulletin of their own.</summary>
    public IReadOnlyList<Components.Bulletin> Components { get; init; } = Array.Empty<Components.Bulletin>();
}

/// <summary>
/// Writes an offline bundle zip shaped like real ones (docs/formats-notes.md, "Offline bundles"): index.xml,
/// vendor-index.xml, metadata.zip (vmware.xml, vendor-index.xml, vibs/, bulletins/, profiles/) and
/// vib20/&lt;name&gt;/&lt;id&gt;.vib. VIB bytes stream from their sources; payloads are verified first, and each
/// .vib's sha-256 and size are measured as it is copied and recorded in the metadata.
/// </summary>
public static class BundleWriter
{
    public const string ProductId = "embeddedEsx";

    public static IReadOnlyList<string> Write(Stream output, BundleContent content, DateTimeOffset timestamp,
                                             IProgress<ExportProgress> progress = null, CancellationToken cancellationToken = default)
    {
        var warnings = new List<string>();
        var packages = content.Packages.GroupBy(p => p.Id, StringComparer.Ordinal).Select(g => g.First())
                              .OrderBy(p => p.Id, StringComparer.Ordinal).ToList();
        var platform = content.PlatformVersion ?? PlatformPattern(packages);
        var stamp = timestamp.UtcDateTime < new DateTime(1980, 1, 2) ? new DateTimeOffset(1980, 1, 2, 0, 0, 0, TimeSpan.Zero) : timestamp;
        long total = packages.Sum(p => Math.Max(0, p.PackedSize ?? p.Payloads.Sum(x => Math.Max(0, x.Size))));
        long done = 0;
        var written = new List<Vib>();

        // Stored .vib entries and deflated XML, the same bytes under every runtime (ZipArchive would deflate the
        // .vib files on the .NET Framework): see DeterministicZipWriter.
        using (var zip = new DeterministicZipWriter(output, leaveOpen: true))
        {
            AddText(zip, "index.xml", IndexXml(content), stamp);
            AddText(zip, "vendor-index.xml", VendorIndexXml(platform), stamp);
            foreach (var vib in packages)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var relative = VibEntryPath(vib);
                progress?.Report(new ExportProgress("Writing bundle", done, total, vib.Id));
                string sha;
                long size;
                using (var target = zip.CreateEntry(relative, compress: false, stamp))
                    (sha, size) = CopyVib(vib, target, warnings, cancellationToken);
                written.Add(vib with { RelativePath = relative, VibSha256 = sha, PackedSize = size });
                done += size;
            }
            // Built in memory (a few MB at most) so the outer entry is a plain stored one.
            var metadata = new MemoryStream();
            WriteMetadata(metadata, content, written, platform, stamp);
            using (var m = zip.CreateEntry("metadata.zip", compress: false, stamp))
                metadata.WriteTo(m);
        }
        progress?.Report(new ExportProgress("Writing bundle", total, total, null));
        return warnings;
    }

    /// <summary>Copies one .vib into the bundle: the original file when the source has it, else rebuilt from its payloads.</summary>
    private static (string Sha256, long Size) CopyVib(Vib vib, Stream target, List<string> warnings, CancellationToken ct)
    {
        if (vib.Content == null || !vib.Content.IsAvailable)
            throw new EsxException(ErrorCodes.PackageUnavailable, EsxErrorCategory.ObjectNotFound, $"VIB {vib.Id} has no readable content", vib.Id);
        VibVerifier.VerifyAll(vib, ct);
        using var sha = SHA256.Create();
        using var hashing = new CryptoStream(target, sha, CryptoStreamMode.Write);
        var counting = new CountingStream(hashing);
        bool rebuilt = false;
        using (var original = vib.Content.OpenVibFile(ct))
        {
            if (original != null)
            {
                StreamUtil.Copy(original, counting, new byte[1 << 20], ct);
            }
            else
            {
                // The source (an ISO) holds only payloads: rebuild the .vib. A signature cannot survive that.
                rebuilt = true;
                VibWriter.Write(vib, vib.Payloads.Select(p => new PayloadSource(p.Name, () => vib.Content.OpenPayload(p, ct))), counting, null, ct);
                if (vib.Signed == true) warnings.Add($"VIB {vib.Id} was rebuilt from its payloads and lost its signature");
            }
        }
        hashing.FlushFinalBlock();
        var hex = Digests.ToHex(sha.Hash);
        // The depot's metadata declared the whole file's hash: the copy must match it (the partial entry is
        // discarded with the temporary file when this throws).
        if (!rebuilt && vib.VibSha256 != null && !string.Equals(hex, vib.VibSha256, StringComparison.OrdinalIgnoreCase))
            throw new EsxChecksumException(vib.Content.Location, vib.Id, vib.Id + ".vib", "sha-256 of the .vib file", vib.VibSha256, hex);
        return (hex, counting.Count);
    }

    private static void WriteMetadata(Stream output, BundleContent content, IReadOnlyList<Vib> vibs, string platform, DateTimeOffset stamp)
    {
        using var zip = new DeterministicZipWriter(output, leaveOpen: true);
        AddText(zip, "vmware.xml", VmwareXml(vibs, platform, stamp, content.VendorName), stamp);
        AddText(zip, "vendor-index.xml", VendorIndexXml(platform), stamp);
        var used = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var vib in vibs)
        {
            var name = Unique(used, "vibs/" + PackageFileNames.VibDescriptor(Safe(vib.Name), vib.Id));
            AddBytes(zip, name, VibDescriptorWriter.ToDepotBytes(vib), stamp);
        }
        var ids = new HashSet<string>(vibs.Select(v => v.Id), StringComparer.Ordinal);
        var components = (content.Components ?? Array.Empty<Components.Bulletin>()).Where(b => b.IsComponent && b.VibIds.Count > 0 && b.VibIds.All(ids.Contains))
                                                                         .OrderBy(b => b.Id, StringComparer.Ordinal).ToList();
        var covered = new HashSet<string>(components.SelectMany(b => b.VibIds), StringComparer.Ordinal);
        foreach (var b in components)
            AddBytes(zip, Unique(used, $"bulletins/{Safe(b.Id)}.xml"), Depots.BulletinXmlWriter.ToBytes(b), stamp);
        foreach (var vib in vibs.Where(v => !covered.Contains(v.Id)))
            AddText(zip, Unique(used, $"bulletins/{Safe(BulletinId(vib))}.xml"), Bulletin(vib, platform, detailed: false).ToString(SaveOptions.DisableFormatting), stamp);
        foreach (var profile in content.Profiles.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            var ms = new MemoryStream();
            ProfileXml.WriteTo(ms, profile);
            AddBytes(zip, Unique(used, $"profiles/{Safe(profile.Name)}.xml"), ms.ToArray(), stamp);
        }
    }

    public static string IndexXml(BundleContent content)
        => new XElement("vendorList",
               new XElement("vendor",
                   new XElement("name", content.VendorName),
                   new XElement("code", content.VendorCode),
                   new XElement("indexfile", "vendor-index.xml"),
                   new XElement("patchUrl", ""),
                   new XElement("relativePath", ""),
                   new XElement("content",
                       new XElement("name", "VMware ESX"),
                       new XElement("type", "http://www.vmware.com/depotmanagement/esx")))).ToString();

    public static string VendorIndexXml(string platform)
        => new XElement("metaList",
               new XElement("metadata",
                   new XElement("productId", ProductId),
                   new XElement("version", platform),
                   new XElement("locale", ""),
                   new XElement("url", "metadata.zip"),
                   new XElement("channelName", "default"))).ToString();

    private static string VmwareXml(IReadOnlyList<Vib> vibs, string platform, DateTimeOffset stamp, string vendor)
        => new XElement("metadataResponse",
               new XElement("version", "3.0"),
               new XElement("timestamp", stamp.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff", CultureInfo.InvariantCulture)),
               vibs.Select(v => Bulletin(v, platform, detailed: true))).ToString();

    /// <summary>One bulletin per package, as VIB2ZIP writes for single-VIB bundles.</summary>
    private static XElement Bulletin(Vib vib, string platform, bool detailed)
        => new XElement("bulletin",
               new XElement("id", BulletinId(vib)),
               new XElement("vendor", vib.Vendor),
               new XElement("summary", vib.Summary),
               new XElement("severity", "general"),
               new XElement("category", "general"),
               new XElement("urgency", "general"),
               new XElement("releaseType", "extension"),
               new XElement("description", vib.Description),
               new XElement("kbUrl", vib.Urls.FirstOrDefault()?.Url ?? ""),
               new XElement("contact", ""),
               // 7.x tools see a bulletin as a component only with these two (real 7.0 bulletins: esximg-700).
               new XElement("componentNameSpec", new XAttribute("name", vib.Name), new XAttribute("uiString", vib.Name)),
               new XElement("componentVersionSpec", new XAttribute("uiString", vib.Version.ToString()), new XAttribute("version", vib.Version.ToString())),
               new XElement("releaseDate", VibDescriptorWriter.FormatDate(vib.ReleaseDate ?? DateTimeOffset.FromUnixTimeSeconds(0))),
               new XElement("platforms", new XElement("softwarePlatform", new XAttribute("locale", ""), new XAttribute("version", platform), new XAttribute("productLineID", ProductId))),
               new XElement("vibList", detailed ? VmwareVib(vib, platform) : new XElement("vibID", vib.Id)));

    private static XElement VmwareVib(Vib vib, string platform)
        => new XElement("vib",
               new XElement("vibVersion", "1.4.5"),
               new XElement("vibID", vib.Id),
               new XElement("name", vib.Name),
               new XElement("version", vib.Version.ToString()),
               new XElement("vendor", vib.Vendor),
               new XElement("vibType", vib.Type),
               new XElement("summary", vib.Summary),
               new XElement("systemReqs",
                   new XElement("maintenanceMode", vib.MaintenanceMode.Required ? "true" : "false"),
                   (vib.SoftwarePlatforms.Count > 0 ? vib.SoftwarePlatforms : new[] { new SoftwarePlatform(platform, "", ProductId) })
                       .Select(p => new XElement("swPlatform", new XAttribute("locale", p.Locale), new XAttribute("version", p.Version), new XAttribute("productLineID", p.ProductLineId)))),
               VibDescriptorWriter.ToElement(vib).Element("relationships"),
               new XElement("postInstall",
                   new XElement("rebootRequired", vib.LiveInstallAllowed ? "false" : "true"),
                   new XElement("hostdRestart", "false")),
               new XElement("softwareTags", vib.Tags.Select(t => new XElement("tag", t))),
               new XElement("vibFile",
                   new XElement("sourceUrl", ""),
                   new XElement("relativePath", vib.RelativePath),
                   new XElement("packedSize", vib.PackedSize?.ToString(CultureInfo.InvariantCulture) ?? ""),
                   new XElement("checksum", new XElement("checksumType", "sha-256"), new XElement("checksum", vib.VibSha256 ?? ""))));

    private static string BulletinId(Vib vib) => $"{vib.Vendor}-{vib.Name}-{vib.Version}";

    /// <summary>The platform pattern of the packages' base (<c>8.0.0</c> → <c>8.*</c>); <c>*</c> when unknown.</summary>
    public static string PlatformPattern(IEnumerable<Vib> packages)
    {
        var p = ProfilePlatform.Derive(packages);
        if (p.Version == null) return "*";
        var major = p.Version.Split('.')[0];
        return major.Length == 0 || major == "*" ? "*" : major + ".*";
    }

    /// <summary>Where a VIB's file goes in a bundle: <c>vib20/&lt;name&gt;/&lt;id&gt;.vib</c>, each part one clean path segment.</summary>
    internal static string VibEntryPath(Vib vib) => $"vib20/{Safe(vib.Name)}/{Safe(vib.Id)}.vib";

    // A bundle's fallback for an empty name is "_" (IMGDB's is "profile"): kept so bundles keep their names.
    private static string Safe(string s) => PackageFileNames.Segment(s, "_");

    private static string Unique(HashSet<string> used, string name)
    {
        var candidate = name;
        for (int i = 2; !used.Add(candidate); i++)
            candidate = Path.ChangeExtension(name, null) + "-" + i.ToString(CultureInfo.InvariantCulture) + Path.GetExtension(name);
        return candidate;
    }

    private static void AddText(DeterministicZipWriter zip, string name, string text, DateTimeOffset stamp)
        => AddBytes(zip, name, new UTF8Encoding(false).GetBytes(text), stamp);

    private static void AddBytes(DeterministicZipWriter zip, string name, byte[] bytes, DateTimeOffset stamp)
    {
        using var s = zip.CreateEntry(name, compress: true, stamp);
        s.Write(bytes, 0, bytes.Length);
    }

    /// <summary>Counts bytes written through it (zip entry streams do not report a length).</summary>
    private sealed class CountingStream : Stream
    {
        private readonly Stream _inner;
        public CountingStream(Stream inner) => _inner = inner;
        public long Count { get; private set; }
        public override void Write(byte[] buffer, int offset, int count) { _inner.Write(buffer, offset, count); Count += count; }
        public override void Flush() => _inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => Count;
        public override long Position { get => Count; set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
