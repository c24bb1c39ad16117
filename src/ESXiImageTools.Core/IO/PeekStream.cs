using System;
using System.IO;

namespace ESXiImageTools.Core.IO;

/// <summary>Lets the first bytes of a forward-only stream be inspected and then read again; disposing it leaves the input open.</summary>
internal sealed class PeekStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private byte[] _buffer = Array.Empty<byte>();
    private int _bufferPos;
    private long _position;

    public PeekStream(Stream inner) => _inner = inner;

    /// <summary>Returns up to <paramref name="count"/> bytes from the current start without consuming them.</summary>
    public byte[] Peek(int count)
    {
        if (_bufferPos != 0 || _position != 0) throw new InvalidOperationException("peek only at the start");
        if (_buffer.Length < count)
        {
            var b = new byte[count];
            Buffer.BlockCopy(_buffer, 0, b, 0, _buffer.Length);
            int n = StreamUtil.ReadFully(_inner, b, _buffer.Length, count - _buffer.Length);
            Array.Resize(ref b, _buffer.Length + n);
            _buffer = b;
        }
        var r = new byte[Math.Min(count, _buffer.Length)];
        Buffer.BlockCopy(_buffer, 0, r, 0, r.Length);
        return r;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (_bufferPos < _buffer.Length)
        {
            int n = Math.Min(count, _buffer.Length - _bufferPos);
            Buffer.BlockCopy(_buffer, _bufferPos, buffer, offset, n);
            _bufferPos += n;
            _position += n;
            return n;
        }
        int m = _inner.Read(buffer, offset, count);
        if (m > 0) _position += m;
        return m;
    }

    public override long Position { get => _position; set => throw new NotSupportedException(); }
}
