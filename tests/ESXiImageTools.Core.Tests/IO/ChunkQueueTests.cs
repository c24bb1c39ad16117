using System;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.IO;
using Xunit;

namespace ESXiImageTools.Core.Tests.IO;

/// <summary>The hand-over queue of the export's verifier threads: order kept, bounded, never a hang.</summary>
public class ChunkQueueTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(8)]
    public void Chunks_arrive_in_order(int capacity)
    {
        var queue = new ChunkQueue(capacity);
        var consumer = Task.Run(() =>
        {
            int expected = 0;
            while (queue.TryTake(out var data, out var length))
            {
                Assert.Equal(expected, BitConverter.ToInt32(data, 0));
                Assert.Equal(expected % 7, length);
                expected++;
                if (expected % 100 == 0) Thread.Sleep(1); // let the producer fill the queue now and then
            }
            return expected;
        });
        for (int i = 0; i < 2000; i++) Assert.True(queue.Add(BitConverter.GetBytes(i), i % 7));
        queue.CompleteAdding();
        Assert.True(consumer.Wait(Timeout));
        Assert.Equal(2000, consumer.Result);
    }

    [Fact]
    public void A_full_queue_holds_the_producer_until_half_of_it_was_taken()
    {
        var queue = new ChunkQueue(8);
        for (int i = 0; i < 8; i++) Assert.True(queue.Add(new byte[1], 1));
        var blocked = Task.Run(() => queue.Add(new byte[1], 1));
        Assert.False(blocked.Wait(200));
        for (int i = 0; i < 3; i++) Assert.True(queue.TryTake(out _, out _));
        Assert.False(blocked.Wait(200));
        Assert.True(queue.TryTake(out _, out _));
        Assert.True(blocked.Wait(Timeout));
        Assert.True(blocked.Result);
    }

    [Fact]
    public void Adding_after_completion_is_refused()
    {
        var queue = new ChunkQueue(4);
        queue.CompleteAdding();
        Assert.True(queue.IsAddingCompleted);
        Assert.Throws<InvalidOperationException>(() => queue.Add(new byte[1], 1));
        Assert.False(queue.TryTake(out _, out _));
    }

    [Fact]
    public void A_producer_waiting_on_a_full_queue_is_released_when_the_consumer_stops()
    {
        var queue = new ChunkQueue(2);
        Assert.True(queue.Add(new byte[1], 1));
        Assert.True(queue.Add(new byte[1], 1));
        var blocked = Task.Run(() => queue.Add(new byte[1], 1));
        Assert.False(blocked.Wait(200)); // full: waits
        queue.StopTaking();
        Assert.True(blocked.Wait(Timeout));
        Assert.False(blocked.Result);
    }

    [Fact]
    public void A_consumer_waiting_on_an_empty_queue_gets_a_lone_chunk_at_completion()
    {
        var queue = new ChunkQueue(8);
        var taken = Task.Run(() => queue.TryTake(out var data, out var length) ? length : -1);
        Assert.True(queue.Add(new byte[3], 3)); // below the wake-up mark: the consumer may sleep on
        queue.CompleteAdding();
        Assert.True(taken.Wait(Timeout));
        Assert.Equal(3, taken.Result);
    }
}
