using System;
using System.Collections.Generic;
using System.Linq;

namespace ESXiImageTools.Core.Packages;

/// <summary>One <c>&lt;checksum&gt;</c> of a payload: algorithm (<c>sha-256</c>, <c>sha-1</c>), the
/// verify-process (empty for the stored bytes, <c>gunzip</c> for the decompressed stream) and the hex value.</summary>
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

    /// <summary>Optional <c>bootorder</c> attribute (boot modules).</summary>
    public int? BootOrder { get; init; }

    /// <summary>Optional <c>vfatname</c> attribute: the 8.3 file name on the bootbank and ISO.</summary>
    public string VfatName { get; init; }

    /// <summary>Optional <c>installsize</c> attribute.</summary>
    public long? InstallSize { get; init; }

    /// <summary>sha-256 of the stored bytes, or null when not declared.</summary>
    public string Sha256 => Checksums.FirstOrDefault(c => c.Algorithm == "sha-256" && !c.IsOverGunzipped)?.Value;

    public override string ToString() => $"{Name} ({Type}, {Size} bytes)";
}
