using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;
using ICSharpCode.SharpZipLib.GZip;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Opens a decompressing view of a gzip stream, every member of it, leaving the input open. On .NET (Core) 3.0 and
/// later the runtime's <see cref="GZipStream"/> (native zlib) reads concatenated members and inflates about three
/// times as fast as SharpZipLib's managed inflater, the largest cost of verifying real payloads (issue 12); the
/// .NET Framework's stops after the first member, so there (Windows PowerShell 5.1) SharpZipLib decompresses.
/// Both throw <see cref="InvalidDataException"/> or SharpZipLib's exceptions on corrupt data (see DecoderFaults).
/// </summary>
internal static class Gunzip
{
    /// <summary>True when the runtime's GZipStream is used (it reads every member of a multi-member stream).</summary>
    internal static readonly bool UsesRuntimeZlib =
        !RuntimeInformation.FrameworkDescription.StartsWith(".NET Framework", System.StringComparison.Ordinal);

    /// <summary>
    /// A stream of the decompressed bytes of <paramref name="compressed"/>; disposing it leaves the input open. Input that
    /// that is not empty and does not start with the gzip signature throws <see cref="InvalidDataException"/> saying so (the runtime's own
    /// message would blame a compression method).
    /// </summary>
    public static Stream Open(Stream compressed)
    {
        if (!UsesRuntimeZlib) return new GZipInputStream(compressed) { IsStreamOwner = false };
        var peek = new PeekStream(compressed);
        var signature = peek.Peek(2);
        // No bytes at all decompress to no bytes, as with SharpZipLib (and as .NET's GZipStream writes an empty input).
        if (signature.Length == 0) return new MemoryStream(new byte[0], false);
        if (signature.Length < 2 || signature[0] != 0x1F || signature[1] != 0x8B)
            throw new InvalidDataException(signature.Length < 2
                ? "not gzip data: the stream ends before the gzip signature"
                : $"not gzip data: it starts with {signature[0]:x2} {signature[1]:x2}, not the gzip signature 1f 8b");
        // PeekStream leaves its input open when disposed.
        return new GZipStream(peek, CompressionMode.Decompress, leaveOpen: false);
    }
}
