using System;
using System.Runtime.ExceptionServices;
using System.Security.Cryptography;
using System.Threading;
using ESXiImageTools.Core.IO;

namespace ESXiImageTools.Core.Packages;

/// <summary>
/// Feeds one hash algorithm on a thread of its own, so that hashing costs the producing thread little more than a
/// copy (used for the gunzipped sha-256 and sha-1 of <see cref="PayloadVerifier"/> beside its decompression).
/// The first <see cref="DefaultInlineBytes"/> are hashed on the caller's thread: starting a thread costs about as much
/// as hashing a few hundred KiB, too much for the many small payloads of an image. After that each block is copied into
/// a pooled chunk and handed over through a bounded <see cref="ChunkQueue"/>, so memory stays at a few chunks.
/// The digest is the same as hashing every block in order on one thread.
/// One producer: <see cref="Add"/>, then <see cref="Complete"/>; <see cref="Dispose"/> always (it never blocks for long,
/// whether or not the producer completed).
/// </summary>
internal sealed class OffThreadHash : IDisposable
{
    /// <summary>Size of a queued chunk: below 85,000 bytes so chunks stay off the large-object heap; also the read size of
    /// <see cref="PayloadVerifier"/>, so one read is one chunk.</summary>
    public const int ChunkSize = 81920;

    /// <summary>Bytes hashed on the caller's thread before the worker starts (a thread start is ~0.15 ms, sha-1 of 1 MiB ~0.6 ms).</summary>
    public const long DefaultInlineBytes = 1L << 20;

    // Enough to ride out scheduling jitter between the two threads; 8 chunks are 640 KiB per hash.
    private const int QueueChunks = 8;

    /// <summary>Chunks shared by every instance (and by <see cref="PayloadVerifier"/>'s read buffers).</summary>
    internal static readonly ChunkPool Chunks = new(ChunkSize, 4 * QueueChunks);

    private readonly HashAlgorithm _hash;
    private readonly long _inlineBytes;
    private long _inlined;
    private ChunkQueue _queue;
    private Thread _worker;
    private volatile Exception _fault;
    private volatile bool _abandoned;
    private bool _completed;
    private bool _disposed;

    /// <summary>Hashes with <paramref name="hash"/>, which this instance owns and disposes.</summary>
    /// <param name="hash">A fresh (or partly fed) hash algorithm.</param>
    /// <param name="inlineBytes">Bytes to hash on the caller's thread before handing blocks to the worker.</param>
    public OffThreadHash(HashAlgorithm hash, long inlineBytes = DefaultInlineBytes)
    {
        _hash = hash ?? throw new ArgumentNullException(nameof(hash));
        _inlineBytes = inlineBytes;
    }

    /// <summary>True once the worker thread was started (the stream passed the inline bytes).</summary>
    public bool OffThread => _worker != null;

    /// <summary>Hashes the next <paramref name="count"/> bytes; the buffer may be reused as soon as this returns.</summary>
    public void Add(byte[] buffer, int offset, int count)
    {
        if (_completed || _disposed) throw new InvalidOperationException("the hash was already completed");
        if (count <= 0) return;
        if (_worker == null)
        {
            if (_inlined + count <= _inlineBytes)
            {
                _hash.TransformBlock(buffer, offset, count, null, 0);
                _inlined += count;
                return;
            }
            Start();
        }
        // A faulted worker only recycles chunks; Complete reports the fault.
        if (_fault != null) return;
        while (count > 0)
        {
            int n = Math.Min(ChunkSize, count);
            var chunk = Chunks.Rent();
            Buffer.BlockCopy(buffer, offset, chunk, 0, n);
            if (!_queue.Add(chunk, n)) Chunks.Return(chunk);
            offset += n;
            count -= n;
        }
    }

    /// <summary>Waits for the worker to hash everything added and returns the digest in lower-case hex; rethrows a fault of the worker.</summary>
    public string Complete()
    {
        if (_completed || _disposed) throw new InvalidOperationException("the hash was already completed");
        _completed = true;
        if (_worker != null)
        {
            _queue.CompleteAdding();
            _worker.Join();
        }
        if (_fault != null) ExceptionDispatchInfo.Capture(_fault).Throw();
        _hash.TransformFinalBlock(Array.Empty<byte>(), 0, 0);
        return Digests.ToHex(_hash.Hash);
    }

    /// <summary>
    /// Stops the worker and disposes the hash. After an early stop (an exception or cancellation in the producer) the
    /// chunks still queued are recycled unhashed; the worker never waits on anything but the queue, so this cannot hang.
    /// </summary>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_worker != null)
        {
            _abandoned = true;
            _queue.CompleteAdding();
            _worker.Join();
        }
        _hash.Dispose();
    }

    private void Start()
    {
        // A dedicated background thread, not the thread pool: it blocks on the queue, and pool threads blocked by
        // several exports at once would starve the pool; background, so it never keeps the process alive.
        var worker = new Thread(Run) { IsBackground = true, Name = "OffThreadHash" };
        _queue = new ChunkQueue(QueueChunks);
        worker.Start();
        _worker = worker; // only once running: Complete and Dispose join it
    }

    private void Run()
    {
        try
        {
            // Always drains to the end, hashing or not: a producer blocked on a full queue must never wait forever.
            while (_queue.TryTake(out var data, out var length))
            {
                if (!_abandoned && _fault == null)
                {
                    try { _hash.TransformBlock(data, 0, length, null, 0); }
                    catch (Exception e) { _fault = e; }
                }
                Chunks.Return(data);
            }
        }
        // An exception escaping a thread's start method would end the process.
        catch (Exception e) { _fault ??= e; }
        // Should this thread end early after all, the producer must not wait for it.
        finally { _queue.StopTaking(); }
    }
}
