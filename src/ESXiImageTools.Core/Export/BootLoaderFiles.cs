using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Export;

/// <summary>One boot-loader file an installer image needs, and how it is found among the profile's payload files.</summary>
public sealed class BootLoaderFile
{
    public BootLoaderFile(string isoPath, string match, bool required, string purpose, string payloadType = null)
    {
        IsoPath = isoPath;
        Match = match;
        Required = required;
        Purpose = purpose;
        PayloadType = payloadType;
    }

    /// <summary>The payload type real ESXi 7+ descriptors give it (<c>boot_iso_bios</c> ...), or null.</summary>
    public string PayloadType { get; }

    /// <summary>Whether a payload is this file as a typed boot-loader payload: its type, and its name equal to the file name (case-insensitively).</summary>
    public bool MatchesTypedPayload(Payload payload)
        => PayloadType != null && string.Equals(payload.Type, PayloadType, StringComparison.OrdinalIgnoreCase)
           && string.Equals(payload.Name, Match.Substring(Match.LastIndexOf('/') + 1), StringComparison.OrdinalIgnoreCase);

    /// <summary>Where it goes on the ISO (upper case), e.g. <c>EFI/BOOT/BOOTX64.EFI</c>.</summary>
    public string IsoPath { get; }

    /// <summary>The path suffix matched (case-insensitively) against files inside payloads, e.g. <c>isolinux.bin</c>.</summary>
    public string Match { get; }

    /// <summary>Whether export fails without it.</summary>
    public bool Required { get; }

    /// <summary>What it is for, for messages.</summary>
    public string Purpose { get; }

    public bool Matches(string payloadPath)
    {
        var p = "/" + (payloadPath ?? "").Replace('\\', '/').TrimStart('/').ToLowerInvariant();
        return p.EndsWith("/" + Match, StringComparison.Ordinal);
    }

    public override string ToString() => IsoPath;
}

/// <summary>
/// The boot-loader files of an ESXi installer image and where they come from. Real ESXi 7+ esx-base carries them
/// as payloads of their own, by type (docs/formats-notes.md, "Boot loaders"): <c>boot_iso_bios</c> isolinux.bin,
/// <c>boot_com32_bios</c> mboot.c32, menu.c32, safeboot.c32 (and ldlinux.sys, fatBootSector for disk media),
/// <c>eltorito_image_efi</c> efiboot.img, <c>boot_loader_efi</c> BOOTx64.EFI, safeboot.efi. Those are taken first.
/// Older (6.x-shaped) depots keep them inside a tardisk (most likely <c>btldr</c>): what typed payloads do not
/// supply is then found by file name among the files the profile's archive payloads contain. This table is the
/// one place that names them.
/// </summary>
public static class BootLoaderFiles
{
    /// <summary>Where users should look when one is missing.</summary>
    public const string ExpectedSource = "the base image's boot-loader payloads (ESXi 7+: esx-base's boot_iso_bios, boot_com32_bios, eltorito_image_efi and boot_loader_efi payloads; 6.x: inside its 'btldr' payload)";

    public static readonly IReadOnlyList<BootLoaderFile> All = new[]
    {
        new BootLoaderFile("ISOLINUX.BIN", "isolinux.bin", true, "BIOS El Torito boot image", PayloadTypes.BootIsoBios),
        new BootLoaderFile("MBOOT.C32", "mboot.c32", true, "the ESXi boot loader ISOLINUX starts", PayloadTypes.BootCom32Bios),
        new BootLoaderFile("EFIBOOT.IMG", "efiboot.img", true, "UEFI El Torito boot image (FAT)", PayloadTypes.EltoritoImageEfi),
        new BootLoaderFile("MENU.C32", "menu.c32", false, "ISOLINUX menu", PayloadTypes.BootCom32Bios),
        new BootLoaderFile("SAFEBOOT.C32", "safeboot.c32", false, "BIOS safe-boot loader", PayloadTypes.BootCom32Bios),
        new BootLoaderFile("EFI/BOOT/BOOTX64.EFI", "efi/boot/bootx64.efi", false, "UEFI loader for USB/HDD copies of the image", PayloadTypes.BootLoaderEfi),
        new BootLoaderFile("EFI/BOOT/SAFEBOOT.EFI", "efi/boot/safeboot.efi", false, "UEFI safe-boot loader", PayloadTypes.BootLoaderEfi),
        new BootLoaderFile("EFI/BOOT/CRYPTO64.EFI", "efi/boot/crypto64.efi", false, "UEFI crypto module", PayloadTypes.BootLoaderEfi),
    };

    /// <summary>Upper bound on one boot-loader file (they are small; this bounds a hostile payload).</summary>
    public const long MaxFileSize = 64L << 20;

    /// <summary>
    /// Finds the boot-loader files: typed payloads first (streamed from the package at write time), then, for what is
    /// still missing, files inside archive payloads, extracted into <paramref name="workDir"/> (packages whose
    /// descriptor file-list names a wanted file first, then payloads named <c>btldr</c>, then the rest by size).
    /// Returns ISO path → file; throws when a required file is missing.
    /// </summary>
    public static IReadOnlyDictionary<string, MediaFile> Locate(IReadOnlyList<Vib> packages, string workDir, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, MediaFile>(StringComparer.Ordinal);
        var wanted = All.ToList();
        foreach (var w in wanted)
        {
            var typed = packages.SelectMany(v => v.Payloads.Select(p => (Vib: v, Payload: p)))
                                .FirstOrDefault(x => w.MatchesTypedPayload(x.Payload));
            if (typed.Vib != null && typed.Vib.Content != null && typed.Vib.Content.IsAvailable)
            {
                if (typed.Payload.Size > MaxFileSize)
                    throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidData,
                        $"VIB {typed.Vib.Id}: boot-loader payload '{typed.Payload.Name}' is {typed.Payload.Size} bytes, over the {MaxFileSize >> 20} MiB bound", typed.Vib.Id);
                found[w.IsoPath] = MediaFile.FromPayload(w.IsoPath, typed.Vib, typed.Payload);
            }
        }
        // 6.x shape: what typed payloads did not give is searched inside tardisks (only when something required is
        // missing, since opening every tardisk means decompressing it).
        var rest = wanted.Where(w => !found.ContainsKey(w.IsoPath)).ToList();
        if (rest.Any(w => w.Required))
        {
            var extracted = new Dictionary<string, string>(StringComparer.Ordinal);
            var (likely, others) = SearchOrder(packages, rest);
            Search(likely, rest, extracted, workDir, cancellationToken);
            if (rest.Any(w => w.Required && !extracted.ContainsKey(w.IsoPath)))
                Search(others, rest, extracted, workDir, cancellationToken);
            foreach (var kv in extracted) found[kv.Key] = MediaFile.FromFile(kv.Key, kv.Value, "a file inside a tardisk payload");
        }
        var missing = wanted.Where(w => w.Required && !found.ContainsKey(w.IsoPath)).ToList();
        if (missing.Count > 0)
            throw new EsxException(ErrorCodes.ExportBootFileMissing, EsxErrorCategory.ObjectNotFound,
                "the profile lacks boot-loader file(s) " + string.Join(", ", missing.Select(m => $"{m.Match} ({m.Purpose})")) +
                $"; they are expected in {ExpectedSource}. Add the base image's packages to the profile.");
        return found;
    }

    /// <summary>As <see cref="Locate"/>, extracting every file to <paramref name="workDir"/>: ISO path → extracted file.</summary>
    public static IReadOnlyDictionary<string, string> Extract(IReadOnlyList<Vib> packages, string workDir, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var kv in Locate(packages, workDir, cancellationToken))
        {
            var target = Path.Combine(workDir, "copy_" + kv.Key.Replace('/', '_'));
            using (var src = kv.Value.Open())
            using (var dst = File.Create(target))
            {
                src.CopyTo(dst);
            }
            result[kv.Key] = target;
        }
        return result;
    }

    private static void Search(IEnumerable<(Vib Vib, Payload Payload)> payloads, IReadOnlyList<BootLoaderFile> wanted,
                               Dictionary<string, string> found, string workDir, CancellationToken cancellationToken)
    {
        foreach (var (vib, payload) in payloads)
        {
            if (found.Count == wanted.Count) return;
            cancellationToken.ThrowIfCancellationRequested();
            if (vib.Content == null || !vib.Content.IsAvailable) continue;
            // One decompression per payload: every wanted file in it is extracted in the same pass.
            using var stored = vib.Content.OpenPayload(payload, cancellationToken);
            PayloadContents.Extract(payload, stored, entry =>
            {
                var want = wanted.FirstOrDefault(w => !found.ContainsKey(w.IsoPath) && w.Matches(entry.Path));
                if (want == null) return null;
                if (entry.Size > MaxFileSize)
                    throw new EsxException(ErrorCodes.ExportFailed, EsxErrorCategory.InvalidData,
                        $"VIB {vib.Id}: boot file {entry.Path} in payload '{payload.Name}' is {entry.Size} bytes, over the {MaxFileSize >> 20} MiB bound", vib.Id);
                return content =>
                {
                    var target = Path.Combine(workDir, want.IsoPath.Replace('/', '_'));
                    using (var outFile = File.Create(target)) content.CopyTo(outFile);
                    found[want.IsoPath] = target;
                };
            }, vib.Content.Location, () => found.Count == wanted.Count);
        }
    }

    /// <summary>
    /// Splits the archive payloads into the likely ones (their package's file-list names a wanted file, or the
    /// payload is called <c>btldr</c>) and the rest (smallest first).
    /// </summary>
    private static (List<(Vib, Payload)> Likely, List<(Vib, Payload)> Others) SearchOrder(IReadOnlyList<Vib> packages, IReadOnlyList<BootLoaderFile> wanted)
    {
        var archives = packages.SelectMany((v, vi) => v.Payloads.Where(p => PayloadContents.IsArchiveType((p.Type ?? "").ToLowerInvariant()))
                                                         .Select(p => (Vib: v, Payload: p, Index: vi)))
                               .ToList();
        bool Likely((Vib Vib, Payload Payload, int Index) x)
            => string.Equals(x.Payload.Name, "btldr", StringComparison.OrdinalIgnoreCase)
               || x.Vib.FileList.Any(f => wanted.Any(w => w.Matches(f)));
        var likely = archives.Where(Likely).OrderBy(x => string.Equals(x.Payload.Name, "btldr", StringComparison.OrdinalIgnoreCase) ? 0 : 1)
                             .ThenBy(x => x.Payload.Size).ThenBy(x => x.Index).Select(x => (x.Vib, x.Payload)).ToList();
        var rest = archives.Where(x => !Likely(x)).OrderBy(x => x.Payload.Size).ThenBy(x => x.Index).Select(x => (x.Vib, x.Payload)).ToList();
        return (likely, rest);
    }
}
