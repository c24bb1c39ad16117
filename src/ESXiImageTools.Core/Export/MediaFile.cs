using System;
using System.IO;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Core.Export;

/// <summary>
/// A file an export puts on the media, and where its bytes come from: a payload of a package (streamed and
/// checked against the descriptor's checksums as it is copied) or a file the export extracted to its work folder.
/// </summary>
public sealed class MediaFile
{
    private readonly Func<Stream> _open;

    private MediaFile(string isoPath, long size, Func<Stream> open, string origin)
    {
        IsoPath = isoPath;
        Size = size;
        _open = open;
        Origin = origin;
    }

    /// <summary>Where it goes on the media (upper case), e.g. <c>EFI/BOOT/BOOTX64.EFI</c>.</summary>
    public string IsoPath { get; }

    /// <summary>Its size in bytes.</summary>
    public long Size { get; }

    /// <summary>Where it came from, for messages (payload of a VIB, or a file inside a payload).</summary>
    public string Origin { get; }

    /// <summary>The payload it is, when it is a whole payload; null when it was extracted from inside one.</summary>
    public Payload Payload { get; private init; }

    /// <summary>Opens its bytes.</summary>
    public Stream Open() => _open();

    /// <summary>A whole payload of <paramref name="vib"/>, verified against its stored-byte checksums as it is read.</summary>
    public static MediaFile FromPayload(string isoPath, Vib vib, Payload payload, System.Threading.CancellationToken cancellationToken = default)
        => new(isoPath, payload.Size, () => OpenVerified(vib, payload, cancellationToken), $"payload '{payload.Name}' ({payload.Type}) of {vib.Id}") { Payload = payload };

    /// <summary>A file already extracted to <paramref name="path"/>.</summary>
    public static MediaFile FromFile(string isoPath, string path, string origin)
        => new(isoPath, new FileInfo(path).Length,
               // Unbuffered and sequential: the writers copy in large chunks of their own.
               () => new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan), origin);

    /// <summary>Bytes held in memory (small generated files).</summary>
    public static MediaFile FromBytes(string isoPath, byte[] bytes, string origin)
        => new(isoPath, bytes.Length, () => new MemoryStream(bytes, false), origin);

    /// <summary>Opens a payload through the verifier that fits its checksums (gunzip ones need decompression).</summary>
    /// <remarks>The token reaches the open itself: an online payload's download stops with the export.</remarks>
    public static Stream OpenVerified(Vib vib, Payload payload, System.Threading.CancellationToken cancellationToken = default)
        => GunzipVerifyingReadStream.Needed(payload)
            ? new GunzipVerifyingReadStream(vib.Content.OpenPayload(payload, cancellationToken), payload, vib.Id, vib.Content.Location)
            : new VerifyingReadStream(vib.Content.OpenPayload(payload, cancellationToken), payload, vib.Id, vib.Content.Location);

    public override string ToString() => $"{IsoPath} <- {Origin}";
}
