using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// The image-database modules real BOOT.CFGs end with after <c>imgdb.tgz</c> (7.0.2: <c>basemisc.tgz resvibs.tgz
/// imgpayld.tgz</c>; 8.0.0 adds <c>esxiodpt.tgz</c> before <c>imgpayld.tgz</c>), and what goes in them:
/// <list type="bullet">
/// <item><c>imgpayld.tgz</c> [inferred]: every payload of the profile that is not a boot module, as
/// <c>var/db/payloads/&lt;type&gt;/&lt;name&gt;</c>, so an installed host can rebuild media without the VIBs.</item>
/// <item><c>basemisc.tgz</c> (7.0 U2+): the base package's (esx-base's) non-module payloads, same paths.</item>
/// <item><c>resvibs.tgz</c> (7.0 U2+): the reserved components' VIB files the depot holds, as <c>&lt;vib id&gt;.vib</c>
/// [inferred path].</item>
/// <item><c>esxiodpt.tgz</c> (8.0+): the ESXio (DPU) depot [inferred]; empty for profiles without ESXio packages,
/// so the module list has the real shape.</item>
/// </list>
/// Which file showed what, and what stays inferred: docs/formats-notes.md, "BOOT.CFG module order".
/// </summary>
public static class ImagePayloadArchives
{
    /// <summary>The trailing module names for a profile whose base image is <paramref name="esxVersion"/> (null: unknown).</summary>
    public static IReadOnlyList<string> TrailingModules(VibVersion esxVersion)
    {
        var list = new List<string> { "imgdb.tgz" };
        if (esxVersion != null && esxVersion.CompareVersionPart(VibVersion.Parse("7.0.2")) >= 0) { list.Add("basemisc.tgz"); list.Add("resvibs.tgz"); }
        if (esxVersion != null && esxVersion.CompareVersionPart(VibVersion.Parse("8.0.0")) >= 0) list.Add("esxiodpt.tgz");
        list.Add("imgpayld.tgz");
        return list;
    }

    /// <summary>The base image's ESXi version: esx-base's <c>esx-version</c> provide, else its version; null without esx-base.</summary>
    public static VibVersion BaseVersion(ImageProfile profile)
    {
        var baseVib = BasePackage(profile);
        return baseVib?.Provides.FirstOrDefault(p => p.Name == "esx-version" && p.Version != null)?.Version ?? baseVib?.Version;
    }

    /// <summary>The base package (esx-base), or null.</summary>
    public static Vib BasePackage(ImageProfile profile) => profile.Packages.FirstOrDefault(p => p.Name == "esx-base");

    /// <summary>Payloads that are not boot modules, of <paramref name="packages"/>, in VIB id then descriptor order.</summary>
    public static IReadOnlyList<(Vib Vib, Payload Payload)> NonModulePayloads(IEnumerable<Vib> packages)
        => packages.OrderBy(v => v.Id, StringComparer.Ordinal)
                   .SelectMany(v => v.Payloads.Where(p => !p.IsBootModule).Select(p => (v, p))).ToList();

    /// <summary>Writes a tar.gz of payloads as <c>var/db/payloads/&lt;type&gt;/&lt;name&gt;</c>, each streamed and verified.</summary>
    public static void WritePayloads(Stream output, IReadOnlyList<(Vib Vib, Payload Payload)> payloads, DateTimeOffset timestamp, CancellationToken ct)
    {
        using var tar = new TarGzWriter(output, timestamp);
        var dirs = new HashSet<string>(StringComparer.Ordinal);
        void Dir(string d) { if (dirs.Add(d)) tar.AddDirectory(d); }
        Dir("var"); Dir("var/db"); Dir("var/db/payloads");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (vib, p) in payloads)
        {
            ct.ThrowIfCancellationRequested();
            var path = EsxImageLayout.PayloadPath(p);
            // Two packages with the same typed payload name: the first (VIB id order) wins, as one file can hold one.
            if (!seen.Add(path)) continue;
            Dir(path.Substring(0, path.LastIndexOf('/')));
            using var s = MediaFile.OpenVerified(vib, p, ct);
            AddVerified(tar, path, p.Size, s, $"payload '{p.Name}' of {vib.Id}");
        }
    }

    /// <summary>Writes a tar.gz of whole .vib files named <c>&lt;vib id&gt;.vib</c>.</summary>
    public static void WriteVibs(Stream output, IReadOnlyList<Vib> vibs, DateTimeOffset timestamp, CancellationToken ct)
    {
        using var tar = new TarGzWriter(output, timestamp);
        foreach (var vib in vibs.OrderBy(v => v.Id, StringComparer.Ordinal))
        {
            ct.ThrowIfCancellationRequested();
            if (vib.Content == null || !vib.Content.IsAvailable) continue;
            using var s = vib.Content.OpenVibFile(ct);
            if (s == null) continue; // an ISO depot holds payloads, not whole VIBs
            // The length is needed before the bytes (tar header); a .vib is copied once to learn it.
            var tmp = Path.GetTempFileName();
            try
            {
                using (var f = File.Create(tmp)) s.CopyTo(f);
                using var f2 = File.OpenRead(tmp);
                tar.AddFile(EsxImageLayout.PathSegment(vib.Id) + ".vib", f2.Length, f2);
            }
            finally { File.Delete(tmp); }
        }
    }

    /// <summary>Writes an empty tar.gz (the shape of a module with nothing to carry).</summary>
    public static void WriteEmpty(Stream output, DateTimeOffset timestamp)
    {
        using var tar = new TarGzWriter(output, timestamp);
    }

    private static void AddVerified(TarGzWriter tar, string path, long size, Stream s, string what)
    {
        if (size < 0) throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidData, $"{what} declares no size", what);
        tar.AddFile(path, size, s);
        // The verifying stream checks its checksums when it reports the end; a longer payload is a size mismatch.
        if (s.Read(new byte[1], 0, 1) != 0)
            throw new EsxException(ErrorCodes.VibSizeMismatch, EsxErrorCategory.InvalidData, $"{what} holds more than its declared {size} bytes", what);
    }

    /// <summary>Writes the image-database module <paramref name="name"/> (imgdb.tgz, basemisc.tgz, resvibs.tgz, esxiodpt.tgz, imgpayld.tgz).</summary>
    public static void WriteModule(string name, Stream output, ImageProfile profile, IReadOnlyList<IsoPayloadFile> payloadFiles,
                                   DateTimeOffset timestamp, ImageComponents components, CancellationToken ct)
    {
        switch (name)
        {
            case "imgdb.tgz": ImgDb.Write(output, profile, payloadFiles, timestamp, components); break;
            case "imgpayld.tgz": WritePayloads(output, NonModulePayloads(profile.Packages), timestamp, ct); break;
            case "basemisc.tgz":
                var baseVib = BasePackage(profile);
                WritePayloads(output, NonModulePayloads(baseVib == null ? Array.Empty<Vib>() : new[] { baseVib }), timestamp, ct);
                break;
            case "resvibs.tgz": WriteVibs(output, components.ReservedVibs, timestamp, ct); break;
            default: WriteEmpty(output, timestamp); break;
        }
    }
}
