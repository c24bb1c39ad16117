using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>
/// A depot that sends a byte at a time resets no timer: the deadline bounds the whole download (second hostile
/// campaign, item 8). Short timeouts come in through the options; nothing sleeps for long.
/// </summary>
public class TrickleTests
{
    private static DepotOptions Options(TempDir d, TimeSpan deadline, long minimumRate = 64 * 1024, int retries = 2)
        => new DepotOptions
        {
            CacheDirectory = Path.Combine(d.Path, "cache"), Retries = retries, RetryDelay = TimeSpan.FromMilliseconds(50),
            Timeout = TimeSpan.FromSeconds(1), Deadline = deadline, MinimumBytesPerSecond = minimumRate, UseProxy = false,
        };

    // Sends the body in pieces of `piece` bytes every `every`, with a Content-Length; stops when the client hangs up.
    private static HostileHttpServer Trickling(byte[] body, int piece, TimeSpan every)
        => new HostileHttpServer(async (path, s, ct) =>
        {
            await HostileHttpServer.Write(s, $"HTTP/1.1 200 OK\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n");
            for (int at = 0; at < body.Length && !ct.IsCancellationRequested; at += piece)
            {
                await s.WriteAsync(body, at, Math.Min(piece, body.Length - at), ct);
                await s.FlushAsync(ct);
                await Task.Delay(every, ct);
            }
        });

    [Fact]
    public async Task A_metadata_file_sent_a_byte_at_a_time_is_cut_off_at_the_deadline()
    {
        using var tmp = new TempDir();
        var index = new byte[324];
        using var server = Trickling(index, 1, TimeSpan.FromMilliseconds(50)); // 16 s in all; every byte well within the 1 s timeout
        using var client = new HttpDepotClient(Options(tmp, TimeSpan.FromSeconds(2)), server.Url("/depot/"));
        var clock = Stopwatch.StartNew();
        var task = client.GetMetadataFileAsync(server.Url("/depot/index.xml"), 1 << 20);
        var done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(done == task, "the download was not cut off");
        var e = await Assert.ThrowsAsync<EsxException>(() => task);
        Assert.Equal(ErrorCodes.DepotTimeout, e.Code);
        Assert.Contains("deadline", e.Message);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(1.5), TimeSpan.FromSeconds(10));
        Assert.Empty(Directory.GetFiles(Path.Combine(tmp.Path, "cache"), "*.data", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_VIB_trickling_below_the_minimum_rate_is_cut_off_and_nothing_is_cached()
    {
        using var tmp = new TempDir();
        var body = new byte[200_000];
        new Random(3).NextBytes(body);
        using var server = Trickling(body, 100, TimeSpan.FromMilliseconds(20)); // 5 KB/s: 40 s in all
        var o = Options(tmp, TimeSpan.FromSeconds(1), minimumRate: 100_000);     // allowed: 1 s + 2 s for its size
        using var client = new HttpDepotClient(o, server.Url("/depot/"));
        var clock = Stopwatch.StartNew();
        var task = client.GetVibAsync(server.Url("/depot/a.vib"), BundleBuilder.Sha256(body), body.Length, "id");
        var done = await Task.WhenAny(task, Task.Delay(TimeSpan.FromSeconds(30)));
        Assert.True(done == task, "the download was not cut off");
        var e = await Assert.ThrowsAsync<EsxException>(() => task);
        Assert.Equal(ErrorCodes.DepotTimeout, e.Code);
        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(2.5), TimeSpan.FromSeconds(12));
        Assert.False(File.Exists(client.Cache.VibPath(BundleBuilder.Sha256(body))));
    }

    [Fact]
    public async Task A_transfer_longer_than_the_deadline_but_at_the_minimum_rate_completes()
    {
        using var tmp = new TempDir();
        var body = new byte[300_000];
        new Random(4).NextBytes(body);
        using var server = Trickling(body, 50_000, TimeSpan.FromMilliseconds(300)); // about 1.8 s: past the 1 s deadline
        var o = Options(tmp, TimeSpan.FromSeconds(1), minimumRate: 75_000);          // allowed: 1 s + 4 s for its size
        using var client = new HttpDepotClient(o, server.Url("/depot/"));
        var path = await client.GetVibAsync(server.Url("/depot/a.vib"), BundleBuilder.Sha256(body), body.Length, "id");
        Assert.Equal(body, File.ReadAllBytes(path));
    }
}
