using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>Verifies a whole VIB: every payload's declared checksums, and the whole-file sha-256 a depot declares.</summary>
public static class VibVerifier
{
    /// <summary>Verifies every payload of <paramref name="vib"/> through its <see cref="Vib.Content"/>; throws on the first mismatch.</summary>
    public static IReadOnlyDictionary<string, PayloadDigests> VerifyAll(Vib vib, CancellationToken cancellationToken = default)
    {
        if (vib == null) throw new ArgumentNullException(nameof(vib));
        var result = new Dictionary<string, PayloadDigests>(StringComparer.Ordinal);
        foreach (var p in vib.Payloads)
        {
            cancellationToken.ThrowIfCancellationRequested();
            result[p.Name] = VerifyPayload(vib, p, cancellationToken);
        }
        return result;
    }

    /// <summary>Verifies one payload of <paramref name="vib"/>.</summary>
    public static PayloadDigests VerifyPayload(Vib vib, Payload payload, CancellationToken cancellationToken = default)
    {
        var content = RequireContent(vib);
        using var s = content.OpenPayload(payload, cancellationToken);
        return PayloadVerifier.Verify(payload, s, vib.Id, content.Location ?? vib.Source, cancellationToken);
    }

    /// <summary>
    /// Checks the whole .vib file against <see cref="Vib.VibSha256"/> and <see cref="Vib.PackedSize"/>
    /// (declared by depot metadata). Returns false when neither is declared; throws on a mismatch.
    /// </summary>
    public static bool VerifyVibFile(Vib vib, CancellationToken cancellationToken = default)
    {
        if (vib == null) throw new ArgumentNullException(nameof(vib));
        if (vib.VibSha256 == null && vib.PackedSize == null) return false;
        var content = RequireContent(vib);
        using var s = content.OpenVibFile(cancellationToken)
            ?? throw new EsxException(ErrorCodes.PackageUnavailable, EsxErrorCategory.ResourceUnavailable, $"{content.Location}: the whole .vib of {vib.Id} is not available", content.Location);
        var (sha, size) = Sha256(s, cancellationToken);
        if (vib.PackedSize != null && vib.PackedSize.Value != size)
            throw new EsxFormatException(ErrorCodes.VibSizeMismatch, content.Location, null,
                $"VIB {vib.Id} is declared as {vib.PackedSize.Value} bytes but the file holds {size}");
        if (vib.VibSha256 != null && !string.Equals(sha, vib.VibSha256, StringComparison.OrdinalIgnoreCase))
            throw new EsxChecksumException(content.Location, vib.Id, "(whole .vib)", "sha-256 of the .vib file", vib.VibSha256, sha);
        return true;
    }

    /// <summary>sha-256 (lower-case hex) and length of a stream, read to its end.</summary>
    public static (string Sha256, long Length) Sha256(Stream s, CancellationToken cancellationToken = default)
    {
        using var sha = SHA256.Create();
        var buf = new byte[81920];
        long total = 0;
        int n;
        while ((n = s.Read(buf, 0, buf.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            sha.TransformBlock(buf, 0, n, null, 0);
            total += n;
        }
        sha.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        return (Digests.ToHex(sha.Hash), total);
    }

    /// <summary>sha-256 of a file (lower-case hex).</summary>
    public static string Sha256OfFile(string path, CancellationToken cancellationToken = default)
    {
        using var fs = VibFile.OpenFile(path);
        return Sha256(fs, cancellationToken).Sha256;
    }

    private static IVibContent RequireContent(Vib vib)
        => vib.Content ?? throw new EsxException(ErrorCodes.PackageUnavailable, EsxErrorCategory.ResourceUnavailable,
            $"{vib.Source ?? vib.Id}: only the metadata of VIB {vib.Id} is known; its bytes are not available", vib.Source);
}
