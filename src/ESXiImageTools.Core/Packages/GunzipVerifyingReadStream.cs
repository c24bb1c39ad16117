using System;
using System.Collections.Concurrent;
using System.IO;
using System.Linq;
using System.Threading.Tasks;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// Wraps a payload's stored bytes for exporters and checks its size and every declared checksum — over the
/// stored bytes and over the gunzipped stream (<c>verify-process="gunzip"</c>: the sha-1 ESXi checks when it
/// mounts a tardisk) — as the caller reads. The bytes pass through unchanged; the caller's thread hashes the stored
/// bytes (a <see cref="VerifyingReadStream"/>, declared algorithms only) and a copy goes to a second thread that
/// decompresses and hashes the gunzipped stream, so the two cores share the work (issue 12).
/// Memory is bounded by a small queue of recycled chunks. Mismatches throw at the end of the stream.
/// </summary>
public sealed class GunzipVerifyingReadStream : ReadOnlyStream
{
    private const int QueueChunks = 8;
    private const int ChunkSize = 256 * 1024;

    // Chunks are recycled across streams: a fresh large array per read (or per payload) would churn the
    // large-object heap and grow the process as a multi-gigabyte export goes on. A stream has at most
    // QueueChunks + 2 in use; the shared pool keeps at most MaxPooled of them between streams.
    private const int MaxPooled = 4 * QueueChunks;
    private static readonly ConcurrentBag<byte[]> Pool = new();

    private readonly Stream _stored;
    private readonly Payload _payload;
    private readonly string _vibId;
    private readonly string _source;
    private readonly BlockingCollection<Chunk> _queue = new(QueueChunks);
    private readonly Task<(PayloadDigests Digests, Exception NotGzip)> _verifier;
    private long _position;
    private bool _finished;

    public GunzipVerifyingReadStream(Stream stored, Payload payload, string vibId, string source)
    {
        if (stored == null) throw new ArgumentNullException(nameof(stored));
        _payload = payload ?? throw new ArgumentNullException(nameof(payload));
        // Checks size and stored-byte checksums when the caller reaches the end, before the gunzip ones: a wrong
        // stored checksum is the better message for corrupted bytes.
        _stored = new VerifyingReadStream(stored, payload, vibId, source);
        _vibId = vibId;
        _source = source;
        _verifier = Task.Run(Digest);
    }

    /// <summary>Whether a payload declares checksums over its gunzipped stream (else <see cref="VerifyingReadStream"/> suffices).</summary>
    public static bool Needed(Payload payload) => payload.Checksums.Any(c => c.IsOverGunzipped);

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = _stored.Read(buffer, offset, count);
        for (int done = 0; done < n;)
        {
            if (!Pool.TryTake(out var chunk)) chunk = new byte[ChunkSize];
            int len = Math.Min(ChunkSize, n - done);
            Buffer.BlockCopy(buffer, offset + done, chunk, 0, len);
            _queue.Add(new Chunk(chunk, len));
            done += len;
        }
        _position += n;
        if (n == 0 && count > 0) Finish();
        return n;
    }

    private void Finish()
    {
        if (_finished) return;
        _finished = true;
        _queue.CompleteAdding();
        var (digests, notGzip) = _verifier.GetAwaiter().GetResult();
        // Stored bytes were checked by _stored on reaching the end; only then is "not gzip" reported.
        PayloadVerifier.Check(_payload, digests, _vibId, _source, includeGunzip: notGzip == null, includeStored: false);
        if (notGzip != null)
            throw new EsxFormatException(ErrorCodes.VibInvalidDescriptor, _source, _payload.Name,
                $"payload '{_payload.Name}' of VIB {_vibId} declares gunzip checksums but is not a valid gzip stream: {notGzip.Message}", notGzip);
    }

    private (PayloadDigests, Exception) Digest()
    {
        var queued = new QueueReadStream(_queue);
        try
        {
            var digests = PayloadVerifier.Compute(queued, gunzip: true, out var notGzip, hashStored: false);
            return (digests, notGzip);
        }
        finally
        {
            // Whatever happened, drain: a producer blocked on a full queue would otherwise hang the export.
            var scratch = new byte[ChunkSize];
            while (queued.Read(scratch, 0, ChunkSize) > 0) { }
        }
    }

    public override long Length => _payload.Size >= 0 ? _payload.Size : throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Stopped early (error or cancel): end the producer side so the verifier finishes, then clean up.
            if (!_queue.IsAddingCompleted) _queue.CompleteAdding();
            try { _verifier.Wait(); } catch (AggregateException) { }
            _queue.Dispose();
            _stored.Dispose();
        }
        base.Dispose(disposing);
    }

    private readonly struct Chunk
    {
        public Chunk(byte[] data, int length) { Data = data; Length = length; }
        public byte[] Data { get; }
        public int Length { get; }
    }

    /// <summary>Reads the chunks the producer queues, in order, until it completes adding; returns used chunks to the pool.</summary>
    private sealed class QueueReadStream : ReadOnlyStream
    {
        private readonly BlockingCollection<Chunk> _queue;
        private Chunk _current;
        private int _pos;

        public QueueReadStream(BlockingCollection<Chunk> queue) => _queue = queue;

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_current.Data == null || _pos == _current.Length)
            {
                if (_current.Data != null && Pool.Count < MaxPooled) Pool.Add(_current.Data);
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
    }
}
