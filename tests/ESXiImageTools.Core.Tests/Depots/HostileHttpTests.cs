using System;
using System.IO;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>A misbehaving server on 127.0.0.1 and what the cache keeps.</summary>
public class HostileHttpTests
{
    private static DepotOptions Options(TempDir d, int retries = 0) => new()
    {
        CacheDirectory = d.File("cache"),
        UseProxy = false,
        Retries = retries,
        RetryDelay = TimeSpan.FromMilliseconds(10),
        Timeout = TimeSpan.FromSeconds(10),
    };

    private static T Bounded<T>(Func<T> f, int seconds = 120)
    {
        var t = Task.Run(f);
        Assert.True(((IAsyncResult)t).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(seconds)), "did not finish in time");
        return t.GetAwaiter().GetResult();
    }

    private static string[] CacheFiles(TempDir d)
        => Directory.Exists(d.File("cache")) ? Directory.GetFiles(d.File("cache"), "*", SearchOption.AllDirectories) : Array.Empty<string>();

    private static readonly byte[] IndexXml = Encoding.UTF8.GetBytes(new BundleBuilder().BuildIndexXml());
    private static readonly byte[] VendorIndexXml = Encoding.UTF8.GetBytes(new BundleBuilder().BuildVendorIndexXml());

    [Theory]
    [InlineData("file:///etc/passwd")]
    [InlineData("ftp://127.0.0.1/index.xml")]
    public void Redirect_to_a_non_http_url_is_refused_saying_so(string location)
    {
        using var d = new TempDir();
        using var server = new HostileHttpServer((path, s, ct) =>
            HostileHttpServer.Respond(s, 302, Array.Empty<byte>(), $"Location: {location}\r\n"));
        var e = Bounded(() => Record.Exception(() => DepotReader.Open(server.Url("/depot/index.xml").AbsoluteUri, Options(d))));
        var esx = Assert.IsAssignableFrom<EsxException>(e);
        Assert.Contains("redirect", esx.Message);
        Assert.Contains("http", esx.Message);
        Assert.DoesNotContain(CacheFiles(d), f => f.EndsWith(".data", StringComparison.Ordinal));
    }

    [Fact]
    public void Server_credentials_are_not_sent_to_another_host_a_redirect_names()
    {
        using var d = new TempDir();
        int authorizedAtB = 0;
        using var b = new HostileHttpServer((path, head, s, ct) =>
        {
            if (head.Contains("Authorization:", StringComparison.OrdinalIgnoreCase)) Interlocked.Increment(ref authorizedAtB);
            return HostileHttpServer.Respond(s, 401, Array.Empty<byte>(), "WWW-Authenticate: Basic realm=\"b\"\r\n");
        });
        using var a = new HostileHttpServer((path, head, s, ct) =>
            head.Contains("Authorization:", StringComparison.OrdinalIgnoreCase)
                ? HostileHttpServer.Respond(s, 302, Array.Empty<byte>(), $"Location: {b.Url("/depot/index.xml")}\r\n")
                : HostileHttpServer.Respond(s, 401, Array.Empty<byte>(), "WWW-Authenticate: Basic realm=\"a\"\r\n"));
        var options = Options(d) with { Credential = new System.Net.NetworkCredential("user", "secret") };
        var e = Bounded(() => Record.Exception(() => DepotReader.Open(a.Url("/depot/index.xml").AbsoluteUri, options)));
        Assert.Equal(ErrorCodes.DepotAccessDenied, Assert.IsAssignableFrom<EsxException>(e).Code);
        Assert.True(b.Requests.Count > 0, "the redirect was not followed");
        Assert.Equal(0, authorizedAtB);
    }

    [Fact]
    public void Endless_metadata_zip_stops_at_the_metadata_bound_and_leaves_nothing_in_the_cache()
    {
        using var d = new TempDir();
        HostileHttpServer server = null;
        server = new HostileHttpServer((path, s, ct) => path switch
        {
            "/depot/index.xml" => HostileHttpServer.Respond(s, 200, IndexXml),
            "/depot/vendor-index.xml" => HostileHttpServer.Respond(s, 200, VendorIndexXml),
            _ => server.Endless(s, ct),
        });
        using (server)
        {
            var limits = new DepotLimits { MaxMetadataBytes = 8L << 20 };
            var e = Bounded(() => Record.Exception(() => DepotReader.Open(server.Url("/depot/index.xml").AbsoluteUri, Options(d) with { Limits = limits })));
            var esx = Assert.IsAssignableFrom<EsxException>(e);
            Assert.Equal(ErrorCodes.DepotTooLarge, esx.Code);
            Assert.Contains("metadata.zip", esx.Message);
            // Nothing unverified stays: no temp file, no metadata.zip entry, and the cache is far below the bound.
            Assert.DoesNotContain(CacheFiles(d), f => f.EndsWith(".tmp", StringComparison.Ordinal));
            Assert.True(CacheFiles(d).Sum(f => new FileInfo(f).Length) < limits.MaxMetadataBytes, "cache holds " + string.Join(", ", CacheFiles(d)));
        }
    }

    [Fact]
    public void A_rejected_index_is_not_kept_in_the_cache()
    {
        using var d = new TempDir();
        var garbage = Encoding.ASCII.GetBytes("<vendorList><vendor>" + new string('x', 1 << 20));
        using var server = new HostileHttpServer((path, s, ct) => HostileHttpServer.Respond(s, 200, garbage));
        var e = Bounded(() => Record.Exception(() => DepotReader.Open(server.Url("/depot/index.xml").AbsoluteUri, Options(d))));
        Assert.Equal(ErrorCodes.DepotInvalid, Assert.IsAssignableFrom<EsxException>(e).Code);
        Assert.Empty(Directory.GetFiles(Path.Combine(d.File("cache"), "metadata")));
    }

    [Fact]
    public void A_stalled_server_fails_at_the_deadline_not_after_every_retry()
    {
        using var d = new TempDir();
        using var server = new HostileHttpServer(async (path, s, ct) => await Task.Delay(Timeout.Infinite, ct));
        var options = Options(d, retries: 100) with { Timeout = TimeSpan.FromMilliseconds(300), Deadline = TimeSpan.FromSeconds(1.5) };
        var e = Bounded(() => Record.Exception(() => DepotReader.Open(server.Url("/depot/index.xml").AbsoluteUri, options)));
        var esx = Assert.IsAssignableFrom<EsxException>(e);
        Assert.Equal(ErrorCodes.DepotTimeout, esx.Code);
        Assert.Contains("deadline", esx.Message);
        Assert.InRange(server.Requests.Count, 1, 10); // 100 retries were allowed; the deadline cut them short
    }

    [Fact]
    public void Default_options_bound_a_stall_by_a_deadline()
    {
        var o = DepotOptions.Default;
        Assert.True(o.Deadline + o.Timeout <= TimeSpan.FromMinutes(3), $"deadline {o.Deadline} + timeout {o.Timeout}");
    }

    [Fact]
    public void An_oversized_vib_download_leaves_no_partial_file()
    {
        using var d = new TempDir();
        HostileHttpServer server = null;
        server = new HostileHttpServer((path, s, ct) => server.Endless(s, ct));
        using (server)
        {
            using var client = new HttpDepotClient(Options(d), server.Url("/depot/index.xml"));
            var e = Bounded(() => Record.Exception(() => client.GetVibAsync(server.Url("/depot/x.vib"), null, 1 << 20, "x").GetAwaiter().GetResult()));
            Assert.Equal(ErrorCodes.DepotTooLarge, Assert.IsAssignableFrom<EsxException>(e).Code);
            Assert.DoesNotContain(CacheFiles(d), f => f.EndsWith(".part", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Old_partials_and_extracted_copies_are_pruned_and_both_folders_are_bounded()
    {
        using var d = new TempDir();
        var partial = Directory.CreateDirectory(Path.Combine(d.File("cache"), "partial")).FullName;
        var old = Path.Combine(partial, "old.vib.part");
        File.WriteAllBytes(old, new byte[10]);
        File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddDays(-30));
        var recent = Path.Combine(partial, "recent.vib.part");
        File.WriteAllBytes(recent, new byte[10]);
        // A metadata download killed outright (kill -9) leaves its temp file; an hour later it is clearly abandoned.
        var metadata = Directory.CreateDirectory(Path.Combine(d.File("cache"), "metadata")).FullName;
        var killed = Path.Combine(metadata, "abc.0123.tmp");
        File.WriteAllBytes(killed, new byte[10]);
        File.SetLastWriteTimeUtc(killed, DateTime.UtcNow.AddHours(-2));
        var downloading = Path.Combine(metadata, "def.4567.tmp");
        File.WriteAllBytes(downloading, new byte[10]);
        using (new HttpDepotClient(Options(d), new Uri("http://127.0.0.1:9/index.xml"))) { }
        Assert.False(File.Exists(old));
        Assert.True(File.Exists(recent));
        Assert.False(File.Exists(killed));
        Assert.True(File.Exists(downloading));

        // Size bound: the oldest go first, files in use (written in the last minutes) stay.
        var dir = Directory.CreateDirectory(d.File("extracted")).FullName;
        for (int i = 0; i < 5; i++)
        {
            var f = Path.Combine(dir, $"{i}.zip");
            File.WriteAllBytes(f, new byte[1000]);
            File.SetLastWriteTimeUtc(f, DateTime.UtcNow.AddHours(-5 + i));
        }
        Assert.Equal(3, Core.IO.CacheJanitor.Prune(dir, TimeSpan.FromDays(7), 2500));
        Assert.Equal(new[] { "3.zip", "4.zip" }, Directory.GetFiles(dir).Select(Path.GetFileName).OrderBy(n => n));
    }
}
