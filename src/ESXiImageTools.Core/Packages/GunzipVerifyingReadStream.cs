using System;
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
/// decompresses it, the gunzipped sha-256 and sha-1 each on a thread of their own (<see cref="OffThreadHash"/>), so
/// the cores share the work.
/// Memory is bounded by small queues of recycled chunks. Mismatches throw at the end of the stream.
/// </summary>
public sealed class GunzipVerifyingReadStream : ReadOnlyStream
{
    private const int QueueChunks = 8;
    private const int ChunkSize = 256 * 1024;

    // Chunks are recycled across streams: a fresh large array per read (or per payload) would churn the
    // large-object heap and grow the process as a multi-gigabyte export goes on. A stream has at most
    // QueueChunks + 2 in use; the shared pool keeps at most 4 * QueueChunks of them between streams.
    private static readonly ChunkPool Pool = new(ChunkSize, 4 * QueueChunks);

    private readonly Stream _stored;
    private readonly Payload _payload;
    private readonly string _vibId;
    private readonly string _source;
    private readonly ChunkQueue _queue = new(QueueChunks);
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
            var chunk = Pool.Rent();
            int len = Math.Min(ChunkSize, n - done);
            Buffer.BlockCopy(buffer, offset + done, chunk, 0, len);
            _queue.Add(chunk, len);
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
            var digests = PayloadVerifier.Compute(queued, gunzip: true, out var notGzip, hashStored: false, ratioFloor: PayloadVerifier.RatioFloorFor(_payload));
            return (digests, notGzip);
        }
        finally
        {
            // Whatever happened, drain: a producer blocked on a full queue would otherwise hang the export.
            queued.Drain();
        }
    }

    public override long Length => _payload.Size >= 0 ? _payload.Size : throw new NotSupportedException();
    public override long Position { get => _position; set => throw new NotSupportedException(); }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            // Stopped early (error or cancel): end the producer side so the verifier finishes, then clean up.
            _queue.CompleteAdding();
            try { _verifier.Wait(); } catch (AggregateException) { }
            _stored.Dispose();
        }
        base.Dispose(disposing);
    }

    /// <summary>Reads the chunks the producer queues, in order, until it completes adding; returns used chunks to the pool.</summary>
    private sealed class QueueReadStream : ReadOnlyStream
    {
        private readonly ChunkQueue _queue;
        private byte[] _current;
        private int _length;
        private int _pos;

        public QueueReadStream(ChunkQueue queue) => _queue = queue;

        public override int Read(byte[] buffer, int offset, int count)
        {
            while (_current == null || _pos == _length)
            {
                Pool.Return(_current);
                _current = null;
                if (!_queue.TryTake(out _current, out _length)) return 0;
                _pos = 0;
            }
            int n = Math.Min(count, _length - _pos);
            Buffer.BlockCopy(_current, _pos, buffer, offset, n);
            _pos += n;
            return n;
        }

        /// <summary>Recycles the chunks left, without copying them anywhere, until the producer completes adding.</summary>
        public void Drain()
        {
            Pool.Return(_current);
            _current = null;
            while (_queue.TryTake(out var next, out _)) Pool.Return(next);
        }
    }
}
