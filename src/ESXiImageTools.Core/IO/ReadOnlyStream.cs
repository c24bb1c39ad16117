using System;
using System.IO;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Base of the engine's read-only stream wrappers: forward-only and unseekable unless a subclass says
/// otherwise; writing is not supported. Subclasses implement <see cref="Stream.Read(byte[], int, int)"/>.
/// </summary>
public abstract class ReadOnlyStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public sealed override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public sealed override void SetLength(long value) => throw new NotSupportedException();
    public sealed override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
