using System.IO;
using System.IO.Compression;
using ICSharpCode.SharpZipLib.GZip;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Opens a decompressing view of a gzip stream, every member of it, leaving the input open. On .NET (Core) 3.0 and
/// later the runtime's <see cref="GZipStream"/> (native zlib) reads concatenated members and inflates about three
/// times as fast as SharpZipLib's managed inflater, the largest cost of verifying real payloads; the .NET Framework's
/// (Windows PowerShell 5.1) and Mono's stop after the first member, and Mono's reports corrupt data as a plain
/// IOException, so there SharpZipLib decompresses. The choice is made by trying the runtime's GZipStream once on
/// both behaviours, not by the runtime's name (Mono calls itself "Mono", not ".NET Framework").
/// Both throw <see cref="InvalidDataException"/> or SharpZipLib's exceptions on corrupt data (see DecoderFaults).
/// </summary>
internal static class Gunzip
{
    /// <summary>True when the runtime's GZipStream is used: it reads every member of a multi-member stream and
    /// reports corrupt data as <see cref="InvalidDataException"/>.</summary>
    internal static readonly bool UsesRuntimeZlib = RuntimeGZipReadsEveryMember() && RuntimeGZipReportsCorruptData();

    private static bool RuntimeGZipReadsEveryMember()
    {
        var two = new MemoryStream();
        foreach (var text in new[] { "first", "second" })
        {
            var member = DeterministicGZipStream.Compress(System.Text.Encoding.ASCII.GetBytes(text));
            two.Write(member, 0, member.Length);
        }
        two.Position = 0;
        try
        {
            using var gz = new GZipStream(two, CompressionMode.Decompress);
            using var reader = new StreamReader(gz, System.Text.Encoding.ASCII);
            return reader.ReadToEnd() == "firstsecond";
        }
        catch (System.Exception) { return false; }
    }

    private static bool RuntimeGZipReportsCorruptData()
    {
        // A gzip header, then a deflate block of the reserved type 3: invalid for every inflater.
        var corrupt = new byte[] { 0x1F, 0x8B, 8, 0, 0, 0, 0, 0, 0, 0xFF, 0x07, 0, 0, 0, 0, 0, 0, 0, 0, 0 };
        try
        {
            using var gz = new GZipStream(new MemoryStream(corrupt), CompressionMode.Decompress);
            gz.Read(new byte[16], 0, 16);
            return false;
        }
        catch (InvalidDataException) { return true; }
        catch (System.Exception) { return false; }
    }

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
