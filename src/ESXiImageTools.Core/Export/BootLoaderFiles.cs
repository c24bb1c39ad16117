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
    public BootLoaderFile(string isoPath, string match, bool required, string purpose)
    {
        IsoPath = isoPath;
        Match = match;
        Required = required;
        Purpose = purpose;
    }

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
/// The boot-loader files of an ESXi installer image and where they come from. formats.md §5.6 [K, unconfirmed
/// on a real depot here]: ImageBuilder takes them from files inside the base image's payloads (most likely the
/// <c>btldr</c> payload), not from depot metadata; so they are found by file name among the files the profile's
/// payloads contain, and this table is the one place that names them.
/// </summary>
public static class BootLoaderFiles
{
    /// <summary>Where users should look when one is missing.</summary>
    public const string ExpectedSource = "the base image's boot-loader payload (ESXi's 'btldr' payload of esx-base or its boot-loader package)";

    public static readonly IReadOnlyList<BootLoaderFile> All = new[]
    {
        new BootLoaderFile("ISOLINUX.BIN", "isolinux.bin", true, "BIOS El Torito boot image"),
        new BootLoaderFile("MBOOT.C32", "mboot.c32", true, "the ESXi boot loader ISOLINUX starts"),
        new BootLoaderFile("EFIBOOT.IMG", "efiboot.img", true, "UEFI El Torito boot image (FAT)"),
        new BootLoaderFile("MENU.C32", "menu.c32", false, "ISOLINUX menu"),
        new BootLoaderFile("SAFEBOOT.C32", "safeboot.c32", false, "BIOS safe-boot loader"),
        new BootLoaderFile("EFI/BOOT/BOOTX64.EFI", "efi/boot/bootx64.efi", false, "UEFI loader for USB/HDD copies of the image"),
        new BootLoaderFile("EFI/BOOT/SAFEBOOT.EFI", "efi/boot/safeboot.efi", false, "UEFI safe-boot loader"),
        new BootLoaderFile("EFI/BOOT/CRYPTO64.EFI", "efi/boot/crypto64.efi", false, "UEFI crypto module"),
    };

    /// <summary>Upper bound on one boot-loader file (they are small; this bounds a hostile payload).</summary>
    public const long MaxFileSize = 64L << 20;

    /// <summary>
    /// Finds and extracts the boot-loader files into <paramref name="workDir"/>. Payloads are searched in a cheap
    /// order: packages whose descriptor file-list names a wanted file first, then payloads named <c>btldr</c>,
    /// then the rest by size. Returns ISO path → extracted file; throws when a required file is missing.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Extract(IReadOnlyList<Vib> packages, string workDir, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        var wanted = All.ToList();
        var (likely, rest) = SearchOrder(packages, wanted);
        Search(likely, wanted, found, workDir, cancellationToken);
        // Opening every tardisk is expensive (they are decompressed to be listed), so the rest are searched
        // only when a required file was not where descriptors and payload names said it would be.
        if (wanted.Any(w => w.Required && !found.ContainsKey(w.IsoPath)))
            Search(rest, wanted, found, workDir, cancellationToken);
        var missing = wanted.Where(w => w.Required && !found.ContainsKey(w.IsoPath)).ToList();
        if (missing.Count > 0)
            throw new EsxException(ErrorCodes.ExportBootFileMissing, EsxErrorCategory.ObjectNotFound,
                "the profile lacks boot-loader file(s) " + string.Join(", ", missing.Select(m => $"{m.Match} ({m.Purpose})")) +
                $"; they are expected inside {ExpectedSource}. Add the base image's packages to the profile.");
        return found;
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
