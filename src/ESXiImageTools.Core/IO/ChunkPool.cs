using System.Collections.Concurrent;
using System.Threading;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// Recycles fixed-size byte arrays between the threads of a streaming pipeline (a producer rents, a consumer returns).
/// A fresh array per block or per payload would churn the garbage collector, and the large-object heap for arrays
/// of 85,000 bytes or more, as a multi-gigabyte export goes on. At most <c>maxPooled</c> arrays are kept between uses.
/// Not ArrayPool: this netstandard2.0 project does not reference System.Buffers, and ArrayPool rounds a size up to a
/// power of two (80 KiB would become a large-object 128 KiB array).
/// </summary>
internal sealed class ChunkPool
{
    private readonly ConcurrentQueue<byte[]> _free = new();
    private readonly int _maxPooled;
    private int _count;

    /// <summary>A pool of arrays of <paramref name="chunkSize"/> bytes keeping at most <paramref name="maxPooled"/> of them.</summary>
    public ChunkPool(int chunkSize, int maxPooled)
    {
        ChunkSize = chunkSize;
        _maxPooled = maxPooled;
    }

    /// <summary>The length of every array this pool hands out.</summary>
    public int ChunkSize { get; }

    /// <summary>A pooled array, or a new one when none is free. Its content is undefined.</summary>
    public byte[] Rent()
    {
        if (_free.TryDequeue(out var chunk))
        {
            Interlocked.Decrement(ref _count);
            return chunk;
        }
        return new byte[ChunkSize];
    }

    /// <summary>Gives an array back once nothing uses it any more; dropped when the pool is full or it is not one of this pool's size.</summary>
    public void Return(byte[] chunk)
    {
        if (chunk == null || chunk.Length != ChunkSize) return;
        // A slot is reserved before the array goes in (and freed only after one came out), so the pool never holds more than _maxPooled.
        if (Interlocked.Increment(ref _count) > _maxPooled)
        {
            Interlocked.Decrement(ref _count);
            return;
        }
        _free.Enqueue(chunk);
    }
}
