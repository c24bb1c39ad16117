using System;
using System.IO;
using ICSharpCode.SharpZipLib.Checksum;
using ICSharpCode.SharpZipLib.Zip.Compression;
using ICSharpCode.SharpZipLib.Zip.Compression.Streams;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// A write-only gzip stream whose output depends on the input bytes only: the header carries MTIME 0, no file
/// name, and a fixed OS byte (255, unknown), and the data goes through SharpZipLib's managed deflater, so the
/// same input gives the same bytes on every platform and runtime. (SharpZipLib's GZipOutputStream stamps the
/// current time into the header; System.IO.Compression's output depends on the native zlib and the OS byte.)
/// Disposing finishes the member (deflate end, CRC-32, size); the underlying stream is left open.
/// </summary>
public sealed class DeterministicGZipStream : Stream
{
    private static readonly byte[] Header = { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff };

    private readonly Stream _output;
    private readonly DeflaterOutputStream _deflate;
    private readonly Crc32 _crc = new Crc32();
    private long _length;
    private bool _finished;

    /// <summary>Starts a gzip member on <paramref name="output"/> at compression <paramref name="level"/> (0-9).</summary>
    public DeterministicGZipStream(Stream output, int level = Deflater.BEST_COMPRESSION)
    {
        _output = output ?? throw new ArgumentNullException(nameof(output));
        _output.Write(Header, 0, Header.Length);
        _deflate = new DeflaterOutputStream(output, new Deflater(level, noZlibHeaderOrFooter: true)) { IsStreamOwner = false };
    }

    /// <summary>Gzips <paramref name="data"/> into a new array.</summary>
    public static byte[] Compress(byte[] data, int level = Deflater.BEST_COMPRESSION)
    {
        var ms = new MemoryStream();
        using (var gz = new DeterministicGZipStream(ms, level)) gz.Write(data, 0, data.Length);
        return ms.ToArray();
    }

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (_finished) throw new ObjectDisposedException(nameof(DeterministicGZipStream));
        _deflate.Write(buffer, offset, count);
        _crc.Update(new ArraySegment<byte>(buffer, offset, count));
        _length += count;
    }

    /// <summary>Writes the end of the deflate stream and the gzip trailer; further writes fail.</summary>
    public void Finish()
    {
        if (_finished) return;
        _finished = true;
        _deflate.Finish();
        var trailer = new byte[8];
        uint crc = (uint)_crc.Value, size = unchecked((uint)_length);
        for (int i = 0; i < 4; i++)
        {
            trailer[i] = (byte)(crc >> (8 * i));
            trailer[4 + i] = (byte)(size >> (8 * i));
        }
        _output.Write(trailer, 0, trailer.Length);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Finish();
            _deflate.Dispose();
        }
        base.Dispose(disposing);
    }

    public override void Flush() => _deflate.Flush();
    public override bool CanRead => false;
    public override bool CanSeek => false;
    public override bool CanWrite => !_finished;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => _length; set => throw new NotSupportedException(); }
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
}
