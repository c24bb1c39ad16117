using System;
using System.Collections.Generic;
using System.Linq;

namespace ESXiImageTools.Core.Packages;

/// <summary>One <c>&lt;checksum&gt;</c> of a payload: algorithm (<c>sha-256</c>, <c>sha-1</c>), the
/// verify-process (empty for the stored bytes, <c>gunzip</c> for the decompressed stream, <c>txt-mle</c> for the
/// measured-launch hash real esx-base declares on its kernel) and the hex value.</summary>
public sealed class PayloadChecksum
{
    public PayloadChecksum(string algorithm, string verifyProcess, string value)
    {
        Algorithm = (algorithm ?? "").Trim().ToLowerInvariant();
        VerifyProcess = (verifyProcess ?? "").Trim().ToLowerInvariant();
        Value = (value ?? "").Trim().ToLowerInvariant();
    }

    public string Algorithm { get; }
    public string VerifyProcess { get; }
    public string Value { get; }

    /// <summary>True when the checksum covers the decompressed stream rather than the stored bytes.</summary>
    public bool IsOverGunzipped => VerifyProcess.StartsWith("gunzip", StringComparison.Ordinal);

    /// <summary>True when the checksum covers the stored bytes as they are (no verify-process).</summary>
    public bool IsOverStored => VerifyProcess.Length == 0;

    /// <summary>
    /// True when this engine can check it offline: over the stored bytes or the gunzipped stream. Other
    /// verify-processes (real esx-base: <c>txt-mle</c>, a hash of the kernel as Intel TXT measures it at launch)
    /// are carried through unchanged and reported as not verified, never compared with the stored bytes.
    /// </summary>
    public bool IsOfflineVerifiable => IsOverStored || IsOverGunzipped;

    public override string ToString() => VerifyProcess.Length == 0 ? $"{Algorithm}:{Value}" : $"{Algorithm}({VerifyProcess}):{Value}";
}

/// <summary>A payload of a VIB: an ar member with a declared type, size and checksums.</summary>
public sealed record Payload
{
    /// <summary>The payload name; also the ar member name.</summary>
    public string Name { get; init; }

    /// <summary><c>vgz</c>, <c>tgz</c>, <c>boot</c>, <c>upgrade</c>, <c>installer</c>, ... (unknown types are opaque).</summary>
    public string Type { get; init; }

    /// <summary>Size in bytes of the stored member.</summary>
    public long Size { get; init; }

    public IReadOnlyList<PayloadChecksum> Checksums { get; init; } = Array.Empty<PayloadChecksum>();

    /// <summary>Optional <c>boot-order</c> attribute (real descriptors; <c>bootorder</c> is read too): the
    /// payload's place among the first BOOT.CFG modules.</summary>
    public int? BootOrder { get; init; }

    /// <summary>Optional <c>vfat-name</c> attribute (real descriptors; <c>vfatname</c> is read too): the 8.3 file
    /// name on the bootbank and ISO, e.g. <c>jumpstrt.gz</c>.</summary>
    public string VfatName { get; init; }

    /// <summary>Optional <c>installsize</c> attribute.</summary>
    public long? InstallSize { get; init; }

    /// <summary>Attributes of <c>&lt;payload&gt;</c> this version does not know, kept (name, value) for the round trip.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> UnknownAttributes { get; init; } = Array.Empty<KeyValuePair<string, string>>();

    /// <summary>sha-256 of the stored bytes, or null when not declared.</summary>
    public string Sha256 => Checksums.FirstOrDefault(c => c.Algorithm == "sha-256" && c.IsOverStored)?.Value;

    /// <summary>Checksums this engine cannot check offline (a verify-process such as <c>txt-mle</c>); carried through.</summary>
    public IReadOnlyList<PayloadChecksum> UnverifiableChecksums => Checksums.Where(c => !c.IsOfflineVerifiable).ToList();

    /// <summary>Whether mboot loads this payload (BOOT.CFG <c>kernel=</c>/<c>modules=</c>): types boot, vgz and tgz.</summary>
    public bool IsBootModule => PayloadTypes.IsBootModule(Type);

    public override string ToString() => $"{Name} ({Type}, {Size} bytes)";
}

/// <summary>
/// Payload types as real descriptors spell them (esx-base 7.0.0; docs/formats-notes.md, "Descriptors"). Only
/// <see cref="Boot"/>, <see cref="Vgz"/> and <see cref="Tgz"/> are boot modules; the boot-loader types are
/// the files of the installer media's boot chain; <see cref="Upgrade"/> goes to the ISO's <c>UPGRADE/</c>
/// folder. Unknown types are kept as they are and treated as opaque (never boot modules).
/// </summary>
public static class PayloadTypes
{
    /// <summary>A module mboot loads as it is (kernel <c>b</c>, <c>k</c>, microcode, <c>jumpstrt</c> ...).</summary>
    public const string Boot = "boot";
    /// <summary>gzip(vmtar): a tardisk.</summary>
    public const string Vgz = "vgz";
    /// <summary>gzip(tar).</summary>
    public const string Tgz = "tgz";
    /// <summary>Upgrade tooling (esximage.zip, metadata.xml, precheck.py, prep.py, extlinux, mbr.bin, gptmbr.bin).</summary>
    public const string Upgrade = "upgrade";
    /// <summary>Text (README, osl.txt).</summary>
    public const string Text = "text";
    /// <summary>The BIOS El Torito image (isolinux.bin).</summary>
    public const string BootIsoBios = "boot_iso_bios";
    /// <summary>BIOS COM32 modules and boot sectors (mboot.c32, menu.c32, safeboot.c32, ldlinux.sys, fatBootSector).</summary>
    public const string BootCom32Bios = "boot_com32_bios";
    /// <summary>The UEFI El Torito image (efiboot.img).</summary>
    public const string EltoritoImageEfi = "eltorito_image_efi";
    /// <summary>UEFI loaders (BOOTx64.EFI, safeboot.efi).</summary>
    public const string BootLoaderEfi = "boot_loader_efi";
    /// <summary>Installer tardisk (weasel) [K: not seen in a real descriptor].</summary>
    public const string Installer = "installer";

    /// <summary>The types whose payloads are boot-loader files of the media.</summary>
    public static readonly IReadOnlyList<string> BootLoaderTypes = new[] { BootIsoBios, BootCom32Bios, EltoritoImageEfi, BootLoaderEfi };

    /// <summary>Whether a payload of this type is a BOOT.CFG module.</summary>
    public static bool IsBootModule(string type)
    {
        var t = Normalize(type);
        return t == Boot || t == Vgz || t == Tgz;
    }

    /// <summary>Whether a payload of this type is a boot-loader file.</summary>
    public static bool IsBootLoader(string type) => BootLoaderTypes.Contains(Normalize(type));

    internal static string Normalize(string type) => (type ?? "").Trim().ToLowerInvariant();
}
