using System;
using System.IO;

namespace ESXiImageTools.Core.IO;

/// <summary>Reads through a stream and disposes other owned objects (an archive, a file) with it.</summary>
public sealed class OwningStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly IDisposable[] _owned;

    public OwningStream(Stream inner, params IDisposable[] owned)
    {
        _inner = inner;
        _owned = owned;
    }

    public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
    public override bool CanRead => _inner.CanRead;
    public override bool CanSeek => _inner.CanSeek;
    public override long Length => _inner.Length;
    public override long Position { get => _inner.Position; set => _inner.Position = value; }
    public override long Seek(long offset, SeekOrigin origin) => _inner.Seek(offset, origin);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            foreach (var d in _owned) d?.Dispose();
        }
        base.Dispose(disposing);
    }
}
