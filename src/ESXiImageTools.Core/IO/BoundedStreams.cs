using System;
using System.IO;

namespace ESXiImageTools.Core.IO;

/// <summary>Thrown by <see cref="LimitedReadStream"/> when more than its limit is read.</summary>
internal sealed class ReadLimitExceededException : IOException
{
    public ReadLimitExceededException(long limit) : base($"input is larger than the limit of {limit} bytes") => Limit = limit;
    public long Limit { get; }
}

/// <summary>
/// A read-only pass-through that fails once more than <c>limit</c> bytes have been read, so a parser fed
/// from it can never consume unbounded input (and a zip entry cannot yield more than it declared). It
/// asks the inner stream for at most one byte past the limit, so an over-long input is noticed rather
/// than silently cut. It can keep the first bytes read (<see cref="Prefix"/>) so a failed parse can be
/// diagnosed (e.g. a DOCTYPE in the prolog).
/// </summary>
internal sealed class LimitedReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _limit;
    private readonly int _keepPrefix;
    private readonly Func<Exception> _onExceeded;
    private readonly long _length;
    private readonly bool _ownsInner;
    // Grown as bytes arrive, never past _keepPrefix: a 1 KB descriptor must not cost a 64 KB buffer
    // (10,000 of them in one metadata zip).
    private byte[] _prefix = Array.Empty<byte>();
    private int _prefixLength;

    // onExceeded builds the error for reading past the limit (null: ReadLimitExceededException); length is what
    // Length reports (a zip entry's declared size; negative: unknown).
    public LimitedReadStream(Stream inner, long limit, int keepPrefix = 0, Func<Exception> onExceeded = null, long length = -1, bool ownsInner = false)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _limit = limit;
        _keepPrefix = Math.Max(0, keepPrefix);
        _onExceeded = onExceeded;
        _length = length;
        _ownsInner = ownsInner;
    }

    public long BytesRead { get; private set; }

    /// <summary>The first bytes read (up to the keepPrefix given at construction).</summary>
    public ArraySegment<byte> Prefix => new ArraySegment<byte>(_prefix, 0, _prefixLength);

    public override int Read(byte[] buffer, int offset, int count)
    {
        long allowed = _limit - BytesRead + 1;
        if (count > allowed) count = (int)allowed;
        int n = _inner.Read(buffer, offset, count);
        if (n <= 0) return 0;
        if (_prefixLength < _keepPrefix)
        {
            int keep = Math.Min(n, _keepPrefix - _prefixLength);
            if (_prefixLength + keep > _prefix.Length)
                Array.Resize(ref _prefix, Math.Min(_keepPrefix, Math.Max(_prefixLength + keep, _prefix.Length * 2)));
            Buffer.BlockCopy(buffer, offset, _prefix, _prefixLength, keep);
            _prefixLength += keep;
        }
        BytesRead += n;
        if (BytesRead > _limit) throw _onExceeded?.Invoke() ?? new ReadLimitExceededException(_limit);
        return n;
    }

    public override long Length => _length >= 0 ? _length : throw new NotSupportedException();
    public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsInner) _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>
/// A read-only window of <c>length</c> bytes over another stream. When the inner stream is seekable
/// the window starts at <c>start</c> and reads seek there first (so several windows may share one
/// stream only if used one at a time); when it is not, the window reads forward from the current
/// position. Reaching the end of the inner stream before the window is full raises
/// <see cref="EndOfStreamException"/> so truncation is never mistaken for a short member.
/// </summary>
internal sealed class SubReadStream : ReadOnlyStream
{
    private readonly Stream _inner;
    private readonly long _start;
    private readonly long _length;
    private readonly bool _ownsInner;
    private readonly Func<long, long, Exception> _onShort;
    private long _position;

    // onShort builds the exception for a premature end (bytes read, bytes expected); null: EndOfStreamException.
    public SubReadStream(Stream inner, long start, long length, bool ownsInner, Func<long, long, Exception> onShort = null)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _start = start;
        _length = length;
        _ownsInner = ownsInner;
        _onShort = onShort;
    }

    public override int Read(byte[] buffer, int offset, int count)
    {
        long remaining = _length - _position;
        if (remaining <= 0 || count == 0) return 0;
        if (count > remaining) count = (int)remaining;
        if (_inner.CanSeek && _inner.Position != _start + _position) _inner.Position = _start + _position;
        int n = _inner.Read(buffer, offset, count);
        if (n <= 0) throw _onShort?.Invoke(_position, _length) ?? new EndOfStreamException($"unexpected end of data: {_position} of {_length} bytes read");
        _position += n;
        return n;
    }

    public override bool CanSeek => _inner.CanSeek;
    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set
        {
            if (!_inner.CanSeek) throw new NotSupportedException();
            if (value < 0) throw new ArgumentOutOfRangeException(nameof(value));
            _position = value;
        }
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        long target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _length + offset,
        };
        Position = target;
        return _position;
    }


    protected override void Dispose(bool disposing)
    {
        if (disposing && _ownsInner) _inner.Dispose();
        base.Dispose(disposing);
    }
}

/// <summary>Small stream helpers that work on netstandard2.0.</summary>
internal static class StreamUtil
{
    /// <summary>Reads until <paramref name="count"/> bytes or end of stream; returns the number read.</summary>
    public static int ReadFully(Stream s, byte[] buffer, int offset, int count)
    {
        int total = 0;
        while (total < count)
        {
            int n = s.Read(buffer, offset + total, count - total);
            if (n <= 0) break;
            total += n;
        }
        return total;
    }

    /// <summary>Copies <paramref name="from"/> to <paramref name="to"/> through <paramref name="buffer"/>, stopping at cancellation between chunks.</summary>
    public static void Copy(Stream from, Stream to, byte[] buffer, System.Threading.CancellationToken cancellationToken)
    {
        int n;
        while ((n = from.Read(buffer, 0, buffer.Length)) > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            to.Write(buffer, 0, n);
        }
    }

    /// <summary>Advances a stream by <paramref name="count"/> bytes (seeking when possible); returns bytes skipped.</summary>
    public static long Skip(Stream s, long count)
    {
        if (count <= 0) return 0;
        if (s.CanSeek)
        {
            long available = Math.Max(0, s.Length - s.Position);
            long step = Math.Min(available, count);
            s.Position += step;
            return step;
        }
        var buf = new byte[81920];
        long done = 0;
        while (done < count)
        {
            int n = s.Read(buf, 0, (int)Math.Min(buf.Length, count - done));
            if (n <= 0) break;
            done += n;
        }
        return done;
    }
}
