using System;
using System.IO;

namespace ESXiImageTools.TestSupport;

/// <summary>
/// A file stream for writing huge test files cheaply: a write of 64 KiB or more that is all zeros becomes a seek,
/// leaving a hole the file system stores sparsely (reads give zeros back). Lets tests build zips and ISOs over
/// 4 GiB in seconds and a few MB of disk.
/// </summary>
public sealed class SparseFileStream : Stream
{
    private const int HoleMinimum = 64 * 1024;
    private readonly FileStream _file;
    private long _end;
    private bool _disposed;

    public SparseFileStream(string path) => _file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read, 1);

    public override void Write(byte[] buffer, int offset, int count)
    {
        if (count >= HoleMinimum && buffer.AsSpan(offset, count).IndexOfAnyExcept((byte)0) < 0)
            _file.Seek(count, SeekOrigin.Current);
        else _file.Write(buffer, offset, count);
        _end = Math.Max(_end, _file.Position);
    }

    public override bool CanRead => true;
    public override bool CanSeek => true;
    public override bool CanWrite => true;
    public override long Length => Math.Max(_end, _file.Length);
    public override long Position { get => _file.Position; set => _file.Position = value; }
    public override void Flush() => _file.Flush();
    public override int Read(byte[] buffer, int offset, int count) => _file.Read(buffer, offset, count);
    public override long Seek(long offset, SeekOrigin origin) => _file.Seek(offset, origin);
    public override void SetLength(long value) { _file.SetLength(value); _end = value; }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !_disposed)
        {
            _disposed = true;
            // A hole at the very end is not part of the file until its length says so.
            if (_file.Length < _end) _file.SetLength(_end);
            _file.Dispose();
        }
        base.Dispose(disposing);
    }
}

/// <summary>A read-only stream of <c>length</c> zero bytes except an ASCII tag at its start and at its end.</summary>
public sealed class TaggedZeroStream : Stream
{
    private readonly long _length;
    private readonly byte[] _tag;
    private long _position;

    public TaggedZeroStream(long length, string tag)
    {
        _length = length;
        _tag = System.Text.Encoding.ASCII.GetBytes(tag);
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = (int)Math.Min(count, _length - _position);
        if (n <= 0) return 0;
        Array.Clear(buffer, offset, n);
        foreach (long tagStart in new[] { 0, _length - _tag.Length })
            for (int j = 0; j < _tag.Length; j++)
            {
                long p = tagStart + j;
                if (p >= _position && p < _position + n) buffer[offset + (int)(p - _position)] = _tag[j];
            }
        _position += n;
        return n;
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
