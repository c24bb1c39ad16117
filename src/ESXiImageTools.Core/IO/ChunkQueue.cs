using System;
using System.Collections.Generic;
using System.Threading;

namespace ESXiImageTools.Core.IO;

/// <summary>
/// A bounded first-in first-out hand-over of byte chunks from one producer thread to one consumer thread.
/// Unlike BlockingCollection, a side that must wait blocks at once instead of spinning first, and is woken only once
/// half the capacity is ready (or at the end). A consumer faster than its producer waits on every chunk, and
/// BlockingCollection's spinning then costs about as much CPU as the consumer's own work (handing 200 MiB
/// to a sha-1 thread took 0.3 s more CPU than hashing inline; with this queue, no more within the noise), CPU that
/// the other threads of an export need on two cores.
/// </summary>
internal sealed class ChunkQueue
{
    private readonly Queue<(byte[] Data, int Length)> _items;
    private readonly int _capacity;
    private readonly int _wakeAt;
    private bool _addingCompleted;
    private bool _takingStopped;
    private bool _producerWaiting;
    private bool _consumerWaiting;

    /// <summary>A queue holding at most <paramref name="capacity"/> chunks.</summary>
    public ChunkQueue(int capacity)
    {
        _capacity = capacity < 1 ? 1 : capacity;
        _wakeAt = (_capacity + 1) / 2;
        _items = new Queue<(byte[], int)>(_capacity);
    }

    /// <summary>
    /// Queues a chunk, waiting while the queue is full. False (nothing queued) once the consumer stopped taking;
    /// <see cref="InvalidOperationException"/> after <see cref="CompleteAdding"/>.
    /// </summary>
    public bool Add(byte[] data, int length)
    {
        lock (_items)
        {
            if (_addingCompleted) throw new InvalidOperationException("no chunk can be added after CompleteAdding");
            while (_items.Count >= _capacity && !_takingStopped)
            {
                _producerWaiting = true;
                Monitor.Wait(_items);
                _producerWaiting = false;
            }
            if (_takingStopped) return false;
            _items.Enqueue((data, length));
            if (_consumerWaiting && _items.Count >= _wakeAt) Monitor.Pulse(_items);
            return true;
        }
    }

    /// <summary>Takes the next chunk, waiting until there is one; false once adding was completed and the queue is empty.</summary>
    public bool TryTake(out byte[] data, out int length)
    {
        lock (_items)
        {
            while (_items.Count == 0 && !_addingCompleted)
            {
                _consumerWaiting = true;
                Monitor.Wait(_items);
                _consumerWaiting = false;
            }
            if (_items.Count == 0)
            {
                data = null;
                length = 0;
                return false;
            }
            (data, length) = _items.Dequeue();
            if (_producerWaiting && _items.Count <= _capacity - _wakeAt) Monitor.Pulse(_items);
            return true;
        }
    }

    /// <summary>The producer is done: the consumer takes what is queued, then <see cref="TryTake"/> returns false.</summary>
    public void CompleteAdding()
    {
        lock (_items)
        {
            _addingCompleted = true;
            Monitor.PulseAll(_items);
        }
    }

    /// <summary>True once <see cref="CompleteAdding"/> was called.</summary>
    public bool IsAddingCompleted
    {
        get { lock (_items) return _addingCompleted; }
    }

    /// <summary>The consumer is gone (it ended by a fault): <see cref="Add"/> no longer waits and queues nothing, so a producer cannot hang.</summary>
    public void StopTaking()
    {
        lock (_items)
        {
            _takingStopped = true;
            Monitor.PulseAll(_items);
        }
    }
}
