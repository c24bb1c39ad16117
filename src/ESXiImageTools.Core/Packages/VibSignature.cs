using System;
using System.Linq;
using System.Threading;

namespace ESXiImageTools.Core.Packages;

/// <summary>Whether a VIB carries a signature (a non-empty sig.pkcs7), reading its member list when metadata did not say.</summary>
public static class VibSignature
{
    /// <summary>
    /// <see cref="Vib.Signed"/> when known; otherwise the .vib's ar member headers are read (no payload is
    /// decompressed). Null when the bytes cannot be had as a .vib (an ISO holds payloads only, or the depot lacks the file).
    /// </summary>
    public static bool? Read(Vib vib, CancellationToken cancellationToken = default)
    {
        if (vib == null) throw new ArgumentNullException(nameof(vib));
        if (vib.Signed.HasValue) return vib.Signed;
        var content = vib.Content;
        if (content == null || !content.IsAvailable) return null;
        using var stream = content.OpenVibFile(cancellationToken);
        if (stream == null) return null;
        return VibFile.ListMembers(stream, content.Location).Any(m => m.Name == VibFile.SignatureMember && m.Size > 0);
    }
}
