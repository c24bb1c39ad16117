using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ICSharpCode.SharpZipLib.Tar;

namespace ESXiImageTools.Core.Depots;

/// <summary>
/// An ESXi installer ISO as a depot (the ESXi-Customizer case): packages from the descriptors in IMGDB.TGZ,
/// payload bytes from the ISO's root files named by the profile's payload map, and the image profile itself.
/// </summary>
public static class IsoDepotReader
{
    /// <summary>Bounds on IMGDB.TGZ: its whole size, one member, and the number of members.</summary>
    public const long MaxImgDbBytes = 256L << 20;
    public const long MaxMemberBytes = 16L << 20;
    public const int MaxMembers = 100_000;

    /// <summary>Whether a seekable stream holds an ISO 9660 image ("CD001" at sector 16); the position is not kept.</summary>
    public static bool LooksLikeIso(Stream s)
    {
        if (!s.CanSeek || s.Length < 16 * 2048 + 6) return false;
        s.Position = 16 * 2048 + 1;
        var b = new byte[5];
        return s.Read(b, 0, 5) == 5 && Encoding.ASCII.GetString(b) == "CD001";
    }

    public static Depot Open(string path, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(path);
        var descriptors = new List<(string Member, byte[] Xml)>();
        var profiles = new List<(string Member, byte[] Xml)>();
        var bulletinXml = new List<(string Member, byte[] Xml)>();
        Dictionary<string, IsoFileEntry> files;
        var payloadArchive = new Dictionary<string, long>(StringComparer.Ordinal);
        using (var iso = IsoReader.Open(full))
        {
            files = iso.Files.ToDictionary(f => f.Path.TrimStart('/').ToUpperInvariant(), f => f, StringComparer.Ordinal);
            if (!files.TryGetValue("IMGDB.TGZ", out var imgdb))
                throw new EsxFormatException(ErrorCodes.DepotInvalid, full, "IMGDB.TGZ",
                    "this ISO has no IMGDB.TGZ, so it is not an ESXi installer image (found: " +
                    string.Join(", ", files.Keys.OrderBy(k => k, StringComparer.Ordinal).Take(12)) + ")");
            if (imgdb.Size > MaxImgDbBytes)
                throw new EsxFormatException(ErrorCodes.DepotTooLarge, full, "IMGDB.TGZ", $"IMGDB.TGZ is {imgdb.Size} bytes, over the {MaxImgDbBytes >> 20} MiB bound");
            using (var s = iso.OpenFile(imgdb))
                Decoding(full, "IMGDB.TGZ", () => ReadImgDb(s, full, descriptors, profiles, bulletinXml, cancellationToken));
            if (files.TryGetValue("IMGPAYLD.TGZ", out var imgpayld) && imgpayld.Size <= MaxImgDbBytes)
                using (var s = iso.OpenFile(imgpayld))
                    payloadArchive = Decoding(full, "IMGPAYLD.TGZ", () => ListPayloadArchive(s, full, cancellationToken));
        }

        var vibs = descriptors.Select(d => VibDescriptorReader.Parse(new MemoryStream(d.Xml), full, "IMGDB.TGZ/" + d.Member))
                              .GroupBy(v => v.Id, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var docs = profiles.Select(p => ProfileXml.Read(new MemoryStream(p.Xml), full + " [IMGDB.TGZ/" + p.Member + "]")).ToList();

        // Each package's payload → ISO file map comes from the profile(s); a package whose files are absent is unavailable.
        var maps = new Dictionary<string, Dictionary<string, string>>(StringComparer.Ordinal);
        foreach (var doc in docs)
            foreach (var entry in doc.Vibs)
            {
                if (!maps.TryGetValue(entry.VibId, out var m)) maps[entry.VibId] = m = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var pf in entry.Payloads) m[pf.PayloadName] = pf.FileName;
            }

        var packages = new List<Vib>();
        var unavailable = new List<UnavailablePackage>();
        foreach (var vib in vibs)
        {
            var problem = MissingPart(vib, maps, files, payloadArchive);
            if (problem != null)
            {
                var v = vib with { Source = full };
                packages.Add(v);
                unavailable.Add(new UnavailablePackage { VibId = vib.Id, Package = v, Location = full, Reason = problem });
                continue;
            }
            var map = maps.TryGetValue(vib.Id, out var m0)
                ? m0.Where(kv => files.ContainsKey(kv.Value.ToUpperInvariant())).ToDictionary(kv => kv.Key, kv => files[kv.Value.ToUpperInvariant()], StringComparer.Ordinal)
                : new Dictionary<string, IsoFileEntry>(StringComparer.Ordinal);
            packages.Add(vib.WithContent(new IsoVibContent(full, map, files.TryGetValue("IMGPAYLD.TGZ", out var ip) ? ip : null), full));
        }
        var byId = packages.ToDictionary(p => p.Id, StringComparer.Ordinal);
        // The image's components and reserved components (IMGDB bulletins/ and reservedComponents/), so a re-export keeps them.
        var bulletins = bulletinXml.Select(b => BulletinXml.Parse(SafeXml.Load(new MemoryStream(b.Xml), full, "IMGDB.TGZ/" + b.Member, ErrorCodes.DepotInvalid).Root, full + " [IMGDB.TGZ/" + b.Member + "]"))
                                   .GroupBy(b => b.Id, StringComparer.Ordinal).Select(g => g.First()).ToList();
        var components = bulletins.Select(b => BulletinXml.ToComponent(b, id => byId.TryGetValue(id, out var v) ? v : null)).Where(c => c != null).ToList();
        // Profiles know the component bulletins that concern them: their components (partial ones too) and those they replaced.
        var imageProfiles = docs.Select(d => d.ToImageProfile(id => byId.TryGetValue(id, out var v) ? v : null, full, readOnly: true)
                                              .WithComponentBulletins(bulletins, packages)).ToList();
        return new Depot
        {
            Source = full,
            Kind = DepotKind.Iso,
            Packages = packages,
            Profiles = imageProfiles,
            Bulletins = bulletins,
            Components = components,
            UnavailablePackages = unavailable,
        };
    }

    private static string MissingPart(Vib vib, Dictionary<string, Dictionary<string, string>> maps, Dictionary<string, IsoFileEntry> files,
                                      Dictionary<string, long> payloadArchive)
    {
        if (vib.Payloads.Count == 0) return null;
        // Payloads that are not boot modules travel in IMGPAYLD.TGZ as var/db/payloads/<type>/<name>.
        bool InArchive(Payload p) => payloadArchive.TryGetValue(EsxImageLayout.PayloadPath(p), out var size) && (p.Size < 0 || size == p.Size);
        if (!maps.TryGetValue(vib.Id, out var map))
            return vib.Payloads.All(InArchive) ? null : "no profile on the ISO maps its payloads to files";
        foreach (var p in vib.Payloads)
        {
            if (!map.TryGetValue(p.Name, out var file))
            {
                if (InArchive(p)) continue;
                return $"payload '{p.Name}' has no file on the ISO";
            }
            if (!files.TryGetValue(file.ToUpperInvariant(), out var entry)) return $"payload '{p.Name}' should be {file}, which the ISO lacks";
            if (p.Size >= 0 && entry.Size != p.Size) return $"payload '{p.Name}' is {p.Size} bytes but {file} on the ISO has {entry.Size}";
        }
        return null;
    }

    private static void ReadImgDb(Stream tgz, string iso, List<(string, byte[])> descriptors, List<(string, byte[])> profiles,
                                  List<(string, byte[])> bulletins, CancellationToken ct)
    {
        using var gz = Gunzip.Open(tgz);
        TarBlockBuffers.Stock();
        using var tar = new TarInputStream(gz, Encoding.UTF8) { IsStreamOwner = false };
        long total = 0;
        int count = 0;
        TarEntry e;
        while ((e = tar.GetNextEntry()) != null)
        {
            ct.ThrowIfCancellationRequested();
            if (++count > MaxMembers)
                throw new EsxFormatException(ErrorCodes.DepotTooLarge, iso, "IMGDB.TGZ", $"IMGDB.TGZ has more than {MaxMembers} members");
            if (e.IsDirectory) continue;
            var name = e.Name.Replace('\\', '/').TrimStart('.', '/');
            bool isVib = name.StartsWith(EsxImageLayout.VibsDir, StringComparison.Ordinal) && name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase);
            bool isProfile = name.StartsWith(EsxImageLayout.ProfilesDir, StringComparison.Ordinal) && name.Length > EsxImageLayout.ProfilesDir.Length;
            bool isBulletin = (name.StartsWith(EsxImageLayout.BulletinsDir, StringComparison.Ordinal) || name.StartsWith(EsxImageLayout.ReservedComponentsDir, StringComparison.Ordinal))
                              && name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase);
            if (!isVib && !isProfile && !isBulletin) continue;
            if (e.Size < 0 || e.Size > MaxMemberBytes || (total += e.Size) > MaxImgDbBytes)
                throw new EsxFormatException(ErrorCodes.DepotTooLarge, iso, "IMGDB.TGZ/" + name, "member too large");
            var ms = new MemoryStream();
            tar.CopyEntryContents(ms);
            (isVib ? descriptors : isProfile ? profiles : bulletins).Add((name, ms.ToArray()));
        }
    }

    /// <summary>Entry path → size of the files in IMGPAYLD.TGZ (headers only; bounded like IMGDB.TGZ).</summary>
    // Corrupt gzip or tar data in the image database is bad input naming the member, never a raw decoder exception.
    private static void Decoding(string iso, string member, Action read) => Decoding(iso, member, () => { read(); return true; });

    private static T Decoding<T>(string iso, string member, Func<T> read)
    {
        try { return read(); }
        catch (Exception e) when (DecoderFaults.IsDecoderFault(e))
        {
            throw new EsxFormatException(ErrorCodes.DepotInvalid, iso, member, $"{member} is not a readable tar.gz: " + DecoderFaults.Describe(e), e);
        }
    }

    private static Dictionary<string, long> ListPayloadArchive(Stream tgz, string iso, CancellationToken ct)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        using var gz = Gunzip.Open(tgz);
        TarBlockBuffers.Stock();
        using var tar = new TarInputStream(gz, Encoding.UTF8) { IsStreamOwner = false };
        TarEntry e;
        while ((e = tar.GetNextEntry()) != null)
        {
            ct.ThrowIfCancellationRequested();
            if (result.Count >= MaxMembers)
                throw new EsxFormatException(ErrorCodes.DepotTooLarge, iso, "IMGPAYLD.TGZ", $"IMGPAYLD.TGZ has more than {MaxMembers} members");
            if (!e.IsDirectory) result[e.Name.Replace('\\', '/').TrimStart('.', '/')] = e.Size;
        }
        return result;
    }

    /// <summary>Payload bytes from the ISO's root files, or from IMGPAYLD.TGZ for payloads that are not boot modules; there is no whole .vib on an ISO.</summary>
    private sealed class IsoVibContent : IVibContent, IIsoPayloadFiles
    {
        private readonly string _iso;
        private readonly IReadOnlyDictionary<string, IsoFileEntry> _files;
        private readonly IsoFileEntry _payloadArchive;

        public IsoVibContent(string iso, IReadOnlyDictionary<string, IsoFileEntry> files, IsoFileEntry payloadArchive)
        {
            _iso = iso;
            _files = files;
            _payloadArchive = payloadArchive;
        }

        private Stream OpenFromArchive(Payload payload)
        {
            var want = EsxImageLayout.PayloadPath(payload);
            var fs = new FileStream(_iso, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            var window = new SubReadStream(fs, (long)_payloadArchive.Lba * 2048, _payloadArchive.Size, ownsInner: true,
                (got, wanted) => new EsxFormatException(ErrorCodes.DepotInvalid, _iso, "IMGPAYLD.TGZ", $"truncated: file ends after {got} of {wanted} bytes"));
            Stream gz;
            try { gz = new OwningStream(Decoding(_iso, "IMGPAYLD.TGZ", () => Gunzip.Open(window)), window); }
            catch { window.Dispose(); throw; }
            TarBlockBuffers.Stock();
            var tar = new TarInputStream(gz, Encoding.UTF8);
            TarEntry e;
            while ((e = Decoding(_iso, "IMGPAYLD.TGZ", () => tar.GetNextEntry())) != null)
            {
                if (!e.IsDirectory && e.Name.Replace('\\', '/').TrimStart('.', '/') == want)
                {
                    var member = new SubReadStream(tar, 0, e.Size, ownsInner: false,
                        (got, wanted) => new EsxFormatException(ErrorCodes.DepotInvalid, _iso, "IMGPAYLD.TGZ/" + want, $"truncated after {got} of {wanted} bytes"));
                    var decoded = new DecoderFaultStream(member, ex => new EsxFormatException(ErrorCodes.DepotInvalid, _iso, "IMGPAYLD.TGZ/" + want,
                        "not a readable tar.gz: " + DecoderFaults.Describe(ex), ex));
                    return new OwningStream(decoded, tar);
                }
            }
            tar.Dispose();
            throw new EsxException(ErrorCodes.VibPayloadMissing, EsxErrorCategory.ObjectNotFound, $"{_iso}: no file for payload '{payload.Name}' in IMGPAYLD.TGZ", _iso);
        }

        public string Location => _iso;
        public bool IsAvailable => true;

        public Stream OpenPayload(Payload payload, CancellationToken cancellationToken = default)
        {
            if (!_files.TryGetValue(payload.Name, out var entry) && _payloadArchive != null) return OpenFromArchive(payload);
            if (entry == null)
                throw new EsxException(ErrorCodes.VibPayloadMissing, EsxErrorCategory.ObjectNotFound, $"{_iso}: no file for payload '{payload.Name}'", _iso);
            // ESXi media never split a file into several extents; the reader would serve them, this window cannot.
            if (entry.Extents.Count != 1)
                throw new EsxFormatException(ErrorCodes.DepotInvalid, _iso, entry.Path, "payload file is stored in several extents, which ESXi media never do");
            var fs = new FileStream(_iso, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
            return new SubReadStream(fs, (long)entry.Lba * 2048, entry.Size, ownsInner: true,
                (got, want) => new EsxFormatException(ErrorCodes.DepotInvalid, _iso, entry.Path, $"truncated: file ends after {got} of {want} bytes"));
        }

        public Stream OpenVibFile(CancellationToken cancellationToken = default) => null;

        public IsoFileEntry FileOf(string payloadName) => _files.TryGetValue(payloadName, out var entry) ? entry : null;
    }
}

/// <summary>The content of a package read from an ESXi ISO: which file of the image holds each payload (for verifiers).</summary>
public interface IIsoPayloadFiles
{
    /// <summary>The ISO file holding payload <paramref name="payloadName"/>, or null when IMGDB.TGZ maps it to none.</summary>
    IsoFileEntry FileOf(string payloadName);
}
