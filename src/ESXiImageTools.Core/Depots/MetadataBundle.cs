using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots.Zip;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Depots;

/// <summary>What one metadata zip holds, VIB ids not yet resolved against the depot's bytes.</summary>
public sealed record MetadataContent
{
    /// <summary>Packages from vibs/*.xml, with RelativePath / PackedSize / VibSha256 from the depot elements.</summary>
    public IReadOnlyList<Vib> Vibs { get; init; } = Array.Empty<Vib>();
    public IReadOnlyList<Bulletin> Bulletins { get; init; } = Array.Empty<Bulletin>();
    public IReadOnlyList<ProfileDocument> Profiles { get; init; } = Array.Empty<ProfileDocument>();
    public IReadOnlyList<ReleaseUnit> BaseImages { get; init; } = Array.Empty<ReleaseUnit>();
    public IReadOnlyList<ReleaseUnit> Addons { get; init; } = Array.Empty<ReleaseUnit>();
    public IReadOnlyList<ReleaseUnit> Manifests { get; init; } = Array.Empty<ReleaseUnit>();
    public IReadOnlyList<ReleaseUnit> Solutions { get; init; } = Array.Empty<ReleaseUnit>();
}

/// <summary>
/// Reads a metadata zip: vibs/*.xml (through the packages area's descriptor reader), bulletins/*.xml
/// (or the bulletins of vmware.xml when there is no bulletins/ folder), profiles/*.xml, and the 7.0+ release
/// unit folders. Every entry name and size is checked first (<see cref="ZipSafety"/>).
/// </summary>
public static class MetadataBundle
{
    /// <summary>Reads a metadata zip from a seekable stream; <paramref name="source"/> is its display name.</summary>
    public static MetadataContent Read(Stream seekableZip, string source, DepotLimits limits = null, CancellationToken cancellationToken = default)
    {
        limits ??= DepotLimits.Default;
        ZipArchive zip;
        try { zip = new ZipArchive(seekableZip, ZipArchiveMode.Read, leaveOpen: true); }
        catch (InvalidDataException e) { throw DepotErrors.Invalid(source, null, "the metadata is not a readable zip: " + e.Message, e); }
        using (zip)
        {
            Dictionary<string, ZipArchiveEntry> index;
            try { index = ZipSafety.Index(zip, source, limits); }
            catch (InvalidDataException e) { throw DepotErrors.Invalid(source, null, "the metadata zip is corrupt: " + e.Message, e); }

            IEnumerable<KeyValuePair<string, ZipArchiveEntry>> In(string folder, string ext)
                => index.Where(kv => kv.Key.StartsWith(folder + "/", StringComparison.OrdinalIgnoreCase)
                                     && kv.Key.EndsWith(ext, StringComparison.OrdinalIgnoreCase))
                        .OrderBy(kv => kv.Key, StringComparer.Ordinal);

            var vibs = new List<Vib>();
            var names = new System.Xml.NameTable(); // shared by every descriptor: names are allocated once
            var buffer = new byte[16 * 1024];
            foreach (var kv in In("vibs", ".xml"))
            {
                cancellationToken.ThrowIfCancellationRequested();
                Vib vib;
                try
                {
                    // Inflated into one reused buffer first: the XML reader then sizes its own buffers to the
                    // descriptor (about 2 KB) instead of 4 KB bytes + 8 KB chars each.
                    int length;
                    using (var s = ZipReading.OpenEntry(kv.Value, source, limits, limits.MaxXmlBytes)) length = ReadAll(s, ref buffer);
                    vib = VibDescriptorReader.Parse(new MemoryStream(buffer, 0, length, writable: false), source, kv.Key, names);
                }
                catch (EsxException e) when (e.Code != ErrorCodes.DepotTooLarge && e.Code != ErrorCodes.XmlDtdProhibited)
                {
                    // A bad descriptor in metadata is bad metadata: report it as such, keeping the reader's problem text.
                    throw DepotErrors.Invalid(source, kv.Key, e is EsxFormatException f ? f.Problem : e.Message, e);
                }
                catch (InvalidDataException e) { throw DepotErrors.Invalid(source, kv.Key, "corrupt zip entry: " + e.Message, e); }
                vibs.Add(vib);
            }

            var bulletins = new List<Bulletin>();
            foreach (var kv in In("bulletins", ".xml"))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var doc = LoadXml(kv.Value, kv.Key, source, limits);
                bulletins.Add(BulletinXml.Parse(doc.Root, $"{source} [{kv.Key}]"));
            }
            if (bulletins.Count == 0)
            {
                // Older metadata may carry bulletins only in the aggregate vmware.xml.
                var vmw = ZipSafety.Find(index, "vmware.xml");
                if (vmw != null)
                {
                    var doc = LoadXml(vmw, vmw.FullName, source, limits);
                    foreach (var b in doc.Root.Elements().Where(e => DepotXml.Is(e, "bulletin")))
                        bulletins.Add(BulletinXml.Parse(b, $"{source} [vmware.xml]"));
                }
            }
            if (vibs.Count == 0 && bulletins.Count == 0)
                throw DepotErrors.Invalid(source, null, "the metadata holds no vibs/*.xml and no bulletins (is it a metadata zip?)");

            var profiles = new List<ProfileDocument>();
            foreach (var kv in In("profiles", ""))
            {
                cancellationToken.ThrowIfCancellationRequested();
                using var s = ZipReading.OpenEntry(kv.Value, source, limits, limits.MaxXmlBytes);
                try { profiles.Add(ProfileXml.Read(s, $"{source} [{kv.Key}]", limits.MaxXmlBytes)); }
                catch (EsxFormatException e) when (e.Code == ErrorCodes.ProfileInvalid) { throw DepotErrors.Invalid(source, kv.Key, e.Problem, e); }
            }

            IReadOnlyList<ReleaseUnit> Units(string folder, string kind) => In(folder, "").Select(kv =>
            {
                using var s = ZipReading.OpenEntry(kv.Value, source, limits, limits.MaxXmlBytes);
                using var r = new StreamReader(s, Encoding.UTF8);
                var name = kv.Key.Substring(folder.Length + 1);
                var dot = name.LastIndexOf('.');
                return new ReleaseUnit { Kind = kind, Id = dot > 0 ? name.Substring(0, dot) : name, EntryName = kv.Key, Text = r.ReadToEnd() };
            }).ToArray();

            return new MetadataContent
            {
                Vibs = vibs,
                Bulletins = bulletins,
                Profiles = profiles,
                BaseImages = Units("baseimages", "baseimage"),
                Addons = Units("addons", "addon"),
                Manifests = Units("manifests", "manifest"),
                Solutions = Units("solutions", "solution"),
            };
        }
    }

    // Reads a (bounded) entry stream to its end into buffer, growing it as needed; returns the length.
    private static int ReadAll(Stream s, ref byte[] buffer)
    {
        int length = 0, n;
        while ((n = s.Read(buffer, length, buffer.Length - length)) > 0)
        {
            length += n;
            if (length == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
        }
        return length;
    }

    private static System.Xml.Linq.XDocument LoadXml(ZipArchiveEntry e, string member, string source, DepotLimits limits)
    {
        using var s = ZipReading.OpenEntry(e, source, limits, limits.MaxXmlBytes);
        return DepotXml.Load(s, source, member, limits.MaxXmlBytes);
    }
}
