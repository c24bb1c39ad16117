using System;
using System.Collections.Concurrent;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Threading.Tasks;
using ESXiImageTools.Core.Diagnostics;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// Wraps a payload's stored bytes for exporters and checks every declared checksum as the caller reads:
/// the stored-byte ones through <see cref="VerifyingReadStream"/>, and the ones over the gunzipped stream
/// (<c>verify-process="gunzip"</c>: the sha-1 ESXi checks when it mounts a tardisk) by decompressing a copy of
/// the bytes on a second thread, so the copy is not slowed by the decompression. Memory is bounded by a
/// small queue of chunks. Mismatches throw <see cref="EsxChecksumException"/> at the end of the stream.
/// </summary>
public sealed class GunzipVerifyingReadStream : Stream
{
    private const int QueueChunks = 8;
    private const int ChunkSize = 256 * 1024;
    private readonly VerifyingReadStream _stored;
    private readonly Payload _payload;
    private readonly string _vibId;
    private readonly string _source;
    private readonly BlockingCollection<Chunk> _queue = new(QueueChunks);

    // Chunks are recycled across streams: a fresh large array per read (or per payload) would churn the
    // large-object heap and grow the process as a multi-gigabyte export goes on. A stream has at most
    // QueueChunks + 2 in use; the shared pool keeps at most MaxPooled of them between streams.
    private const int MaxPooled = 4 * QueueChunks;
    private static readonly ConcurrentBag<byte[]> Pool = new();
    private readonly ChunkPool _free = new();
    private readonly Task<(string Sha256, string Sha1, Exception Error)> _gunzip;
    private bool _finished;

    public GunzipVerifyingReadStream(Stream stored, Payload payload, string vibId, string source)
    {
        _payload = payload ?? throw new ArgumentNullException(nameof(payload));
        _stored = new VerifyingReadStream(stored, payload, vibId, source);
        _vibId = vibId;
        _source = source;
        _gunzip = Task.Run(Decompress);
    }

    /// <summary>Whether a payload declares checksums over its gunzipped stream (else <see cref="VerifyingReadStream"/> suffices).</summary>
    public static bool Needed(Payload payload) => payload.Checksums.Any(c => c.IsOverGunzipped);

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _stored.Read(buffer, offset, count);
        for (int done = 0; done < n;)
        {
            if (!_free.TryTake(out var chunk)) chunk = new byte[ChunkSize];
            int len = Math.Min(ChunkSize, n - done);
            Buffer.BlockCopy(buffer, offset + done, chunk, 0, len);
            _queue.Add(new Chunk(chunk, len));
            done += len;
        }
        if (n == 0 && count > 0) Finish();
        return n;
    }

    private void Finish()
    {
        if (_finished) return;
        _finished = true;
        _queue.CompleteAdding();
        var (sha256, sha1, error) = _gunzip.GetAwaiter().GetResult();
        if (error != null)
            throw new EsxFormatException(ErrorCodes.VibInvalidDescriptor, _source, _payload.Name,
                $"payload '{_payload.Name}' of VIB {_vibId} declares gunzip checksums but is not a valid gzip stream: {error.Message}", error);
        foreach (var c in _payload.Checksums.Where(c => c.IsOverGunzipped))
        {
            var actual = PayloadDigests.Normalize(c.Algorithm) switch { "sha-256" => sha256, "sha-1" => sha1, _ => null };
            if (actual == null)
                throw new EsxFormatException(ErrorCodes.VibInvalidDescriptor, _source, _payload.Name,
                    $"payload '{_payload.Name}' declares checksum type '{c.Algorithm}', which this engine cannot verify");
            if (!string.Equals(actual, c.Value, StringComparison.OrdinalIgnoreCase))
                throw new EsxChecksumException(_source, _vibId, _payload.Name, PayloadVerifier.Kind(c), c.Value, actual);
        }
    }

    private (string, string, Exception) Decompress()
    {
        using var sha256 = SHA256.Create();
        using var sha1 = SHA1.Create();
        try
        {
            using var gz = new GZipStream(new QueueReadStream(_queue, _free), CompressionMode.Decompress);
            var buffer = new byte[1 << 16];
            int n;
            while ((n = gz.Read(buffer, 0, buffer.Length)) > 0)
            {
                sha256.TransformBlock(buffer, 0, n, null, 0);
                sha1.TransformBlock(buffer, 0, n, null, 0);
            }
            // Drain what is left (trailing bytes after the gzip member) so the producer never blocks.
            foreach (var _ in _queue.GetConsumingEnumerable()) { }
            sha256.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            sha1.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
            return (Hex(sha256.Hash), Hex(sha1.Hash), null);
        }
        catch (Exception e)
        {
            // Whatever went wrong, keep draining: a producer blocked on a full queue would otherwise hang the export.
            foreach (var _ in _queue.GetConsumingEnumerable()) { }
            return (null, null, e);
        }
    }

    private static string Hex(byte[] h) => string.Concat(h.Select(b => b.ToString("x2")));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => _stored.Length;
    public override long Position { get => _stored.Position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Stopped early (error or cancel): end the producer side so the decompressor finishes, then clean up.
            if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
            try { _gunzip.Wait(); } catch (AggregateException) { }
            _queue.Dispose();
            _stored.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Takes from and returns to the shared pool, bounded so idle memory stays small.</summary>
    private sealed class ChunkPool
    {
        public bool TryTake(out byte[] chunk) => Pool.TryTake(out chunk);

        public void Add(byte[] chunk)
        {
            if (Pool.Count < MaxPooled) Pool.Add(chunk);
        }
    }

    private readonly struct Chunk
    {
        public Chunk(byte[] data, int length) { Data = data; Length = length; }
        public byte[] Data { get; }
        public int Length { get; }
    }

    /// <summary>Reads the chunks the producer queues, in order, until it completes adding; hands used chunks back.</summary>
    private sealed class QueueReadStream : Stream
    {
        private readonly BlockingCollection<Chunk> _queue;
        private readonly ChunkPool _free;
        private Chunk _current;
        private int _pos;

        public QueueReadStream(BlockingCollection<Chunk> queue, ChunkPool free)
        {
            _queue = queue;
            _free = free;
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_current.Data == null || _pos == _current.Length)
            {
                if (_current.Data != null) _free.Add(_current.Data);
                _current = default;
                if (!_queue.TryTake(out var next, -1)) return 0;
                _current = next;
                _pos = 0;
            }
            int n = Math.Min(count, _current.Length - _pos);
            Buffer.BlockCopy(_current.Data, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }
}
