using System;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>The download layer against a real loopback server: cache, verification, retries, resume, timeouts, proxy.</summary>
public class HttpDepotClientTests
{
    private const string Token = "Zx81Qw7PmT4kLs9VbN2cR6yH"; // looks like a Broadcom path token

    private static (TempDir Dir, byte[] Body, string Sha) Fixture(int size = 300_000)
    {
        var dir = new TempDir("esxit-http");
        var body = new byte[size];
        new Random(42).NextBytes(body);
        Directory.CreateDirectory(Path.Combine(dir.Path, "www", "vib20", "x"));
        File.WriteAllBytes(Path.Combine(dir.Path, "www", "vib20", "x", "a.vib"), body);
        return (dir, body, BundleBuilder.Sha256(body));
    }

    private static DepotOptions Options(TempDir d, int retries = 2, double timeoutSeconds = 5)
        => new DepotOptions { CacheDirectory = Path.Combine(d.Path, "cache"), Retries = retries, RetryDelay = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(timeoutSeconds), UseProxy = false };

    private static async Task<T> Bounded<T>(Task<T> t, int seconds = 60)
    {
        var done = await Task.WhenAny(t, Task.Delay(TimeSpan.FromSeconds(seconds)));
        Assert.True(done == t, "operation did not finish in time");
        return await t;
    }

    private static async Task<Exception> BoundedThrows(Func<Task> f, int seconds = 60)
    {
        var t = f();
        var done = await Task.WhenAny(t, Task.Delay(TimeSpan.FromSeconds(seconds)));
        Assert.True(done == t, "operation did not finish in time");
        try { await t; } catch (Exception e) { return e; }
        return null;
    }

    private static string[] CacheFiles(DepotOptions o)
        => Directory.Exists(o.CacheDirectory) ? Directory.GetFiles(o.CacheDirectory, "*", SearchOption.AllDirectories) : Array.Empty<string>();

    [Fact]
    public async Task Downloads_verifies_and_caches_by_sha256()
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www"));
        var o = Options(dir);
        using var client = new HttpDepotClient(o, server.BaseUri);
        var url = new Uri(server.BaseUri, "vib20/x/a.vib");
        var path = await Bounded(client.GetVibAsync(url, sha, body.Length, "V_bootbank_a_1-1"));
        Assert.Equal(client.Cache.VibPath(sha), path);
        Assert.Equal(body, File.ReadAllBytes(path));
        var again = await Bounded(client.GetVibAsync(url, sha, body.Length, "V_bootbank_a_1-1"));
        Assert.Equal(path, again);
        Assert.Equal(1, server.Served("a.vib")); // second call served from the cache
    }

    [Fact]
    public async Task Wrong_body_is_a_checksum_error_and_nothing_stays_in_the_cache()
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www"));
        server.Faults["vib20/x/a.vib"] = Fault.WrongBody;
        var o = Options(dir);
        using var client = new HttpDepotClient(o, server.BaseUri);
        var e = await BoundedThrows(() => client.GetVibAsync(new Uri(server.BaseUri, "vib20/x/a.vib"), sha, body.Length, "V_bootbank_a_1-1"));
        var ce = Assert.IsType<EsxChecksumException>(e);
        Assert.Equal(ErrorCodes.VibChecksumMismatch, ce.Code);
        Assert.Equal(sha, ce.Expected);
        Assert.DoesNotContain(CacheFiles(o), f => !f.Contains(Path.DirectorySeparatorChar + "metadata" + Path.DirectorySeparatorChar));
    }

    [Fact]
    public async Task Dropped_connection_mid_file_resumes_with_a_range_request()
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www"));
        server.Faults["vib20/x/a.vib"] = Fault.DropMidFileOnce;
        var o = Options(dir);
        var clock = new ManualRetryClock();
        using var client = new HttpDepotClient(o, server.BaseUri, clock);
        var path = await Bounded(client.GetVibAsync(new Uri(server.BaseUri, "vib20/x/a.vib"), sha, body.Length, "id"));
        Assert.Equal(body, File.ReadAllBytes(path));
        Assert.Equal(new[] { o.RetryDelay }, clock.Waits);
        var reqs = server.Requests.Where(r => r.Path.EndsWith("a.vib")).ToList();
        Assert.Equal(2, reqs.Count);
        Assert.Null(reqs.First(r => r.Status == -1).Range);
        var resumed = reqs.Single(r => r.Status == 206);
        Assert.StartsWith("bytes=", resumed.Range);
        Assert.NotEqual("bytes=0-", resumed.Range);
    }

    [Fact]
    public async Task Dropped_connection_every_time_fails_unreachable_after_retries_and_leaves_no_verified_file()
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www"));
        server.Faults["vib20/x/a.vib"] = Fault.DropMidFileAlways;
        var o = Options(dir, retries: 1);
        var clock = new ManualRetryClock();
        using var client = new HttpDepotClient(o, server.BaseUri, clock);
        var e = await BoundedThrows(() => client.GetVibAsync(new Uri(server.BaseUri, "vib20/x/a.vib"), sha, body.Length, "id"));
        var ee = Assert.IsAssignableFrom<EsxException>(e);
        Assert.Equal(ErrorCodes.DepotUnreachable, ee.Code);
        Assert.Contains("after 2 attempts", ee.Message);
        Assert.Equal(new[] { o.RetryDelay }, clock.Waits);
        Assert.False(File.Exists(client.Cache.VibPath(sha)));
        Assert.Equal(2, server.Served("a.vib"));
    }

    [Fact]
    public async Task Stall_past_the_timeout_is_DepotTimeout()
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www")) { StallFor = TimeSpan.FromSeconds(20) };
        server.Faults["vib20/x/a.vib"] = Fault.Stall;
        var o = Options(dir, retries: 0, timeoutSeconds: 1);
        using var client = new HttpDepotClient(o, server.BaseUri);
        var sw = System.Diagnostics.Stopwatch.StartNew();
        var e = await BoundedThrows(() => client.GetVibAsync(new Uri(server.BaseUri, "vib20/x/a.vib"), sha, body.Length, "id"), 30);
        var ee = Assert.IsAssignableFrom<EsxException>(e);
        Assert.Equal(ErrorCodes.DepotTimeout, ee.Code);
        Assert.Equal(EsxErrorCategory.OperationTimeout, ee.Category);
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(15), $"took {sw.Elapsed}");
        Assert.False(File.Exists(client.Cache.VibPath(sha)));
    }

    [Theory]
    [InlineData(Fault.NotFound, ErrorCodes.DepotNotFound, EsxErrorCategory.ObjectNotFound)]
    [InlineData(Fault.Forbidden, ErrorCodes.DepotAccessDenied, EsxErrorCategory.PermissionDenied)]
    public async Task Http_errors_are_typed_and_never_show_the_path_token(Fault fault, string code, EsxErrorCategory category)
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www"), "/" + Token + "/depot/");
        server.Faults["vib20/x/a.vib"] = fault;
        var o = Options(dir);
        using var client = new HttpDepotClient(o, server.BaseUri);
        var e = await BoundedThrows(() => client.GetVibAsync(new Uri(server.BaseUri, "vib20/x/a.vib"), sha, body.Length, "id"));
        var ee = Assert.IsAssignableFrom<EsxException>(e);
        Assert.Equal(code, ee.Code);
        Assert.Equal(category, ee.Category);
        Assert.DoesNotContain(Token, ee.Message);
        Assert.DoesNotContain(Token, ee.Target ?? "");
        Assert.DoesNotContain(Token, ee.ToString());
        Assert.Contains("a.vib", ee.Message);
        Assert.Equal(1, server.Served("a.vib")); // not retried
    }

    [Fact]
    public async Task Server_error_is_retried()
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www"));
        server.Faults["vib20/x/a.vib"] = Fault.ServerErrorOnce;
        var o = Options(dir);
        var clock = new ManualRetryClock();
        using var client = new HttpDepotClient(o, server.BaseUri, clock);
        var path = await Bounded(client.GetVibAsync(new Uri(server.BaseUri, "vib20/x/a.vib"), sha, body.Length, "id"));
        Assert.Equal(body, File.ReadAllBytes(path));
        Assert.Equal(2, server.Served("a.vib"));
        Assert.Equal(new[] { o.RetryDelay }, clock.Waits);
    }

    [Fact]
    public async Task Back_off_doubles_and_no_retry_starts_whose_wait_would_pass_the_deadline()
    {
        using var dir = new TempDir();
        using var server = new HostileHttpServer((path, s, ct) => HostileHttpServer.Respond(s, 503, Array.Empty<byte>()));
        // Minutes of back-off, passed on a manual clock: 1 + 2 + 4 minutes waited, then 8 more would pass the 10-minute deadline.
        var o = Options(dir, retries: 10) with { RetryDelay = TimeSpan.FromMinutes(1), Deadline = TimeSpan.FromMinutes(10) };
        var clock = new ManualRetryClock();
        using var client = new HttpDepotClient(o, server.Url("/depot/"), clock);
        var e = await BoundedThrows(() => client.GetMetadataFileAsync(server.Url("/depot/index.xml"), 1 << 20));
        var ee = Assert.IsAssignableFrom<EsxException>(e);
        Assert.Equal(ErrorCodes.DepotUnreachable, ee.Code);
        Assert.Contains("after 4 attempts", ee.Message);
        Assert.Contains("gave up at the deadline of 600 s", ee.Message);
        Assert.Equal(new[] { 1, 2, 4 }.Select(m => TimeSpan.FromMinutes(m)), clock.Waits);
        Assert.Equal(4, server.Requests.Count);
    }

    [Fact]
    public async Task Retries_of_a_large_file_run_until_its_own_limit_the_deadline_plus_time_for_its_size()
    {
        using var dir = new TempDir();
        using var server = new HostileHttpServer((path, s, ct) => HostileHttpServer.Respond(s, 503, Array.Empty<byte>()));
        // 1,000,000 bytes at 1000 bytes/s earn 1000 s on top of the 600 s deadline: waits of 1, 2, 4 and 8 minutes fit,
        // 16 more would not (the base deadline alone would have stopped after 4 minutes of waiting).
        var o = Options(dir, retries: 10) with { RetryDelay = TimeSpan.FromMinutes(1), Deadline = TimeSpan.FromMinutes(10), MinimumBytesPerSecond = 1000 };
        var clock = new ManualRetryClock();
        using var client = new HttpDepotClient(o, server.Url("/depot/"), clock);
        var e = await BoundedThrows(() => client.GetVibAsync(server.Url("/depot/a.vib"), new string('0', 64), 1_000_000, "id"));
        var ee = Assert.IsAssignableFrom<EsxException>(e);
        Assert.Equal(ErrorCodes.DepotUnreachable, ee.Code);
        Assert.Contains("after 5 attempts", ee.Message);
        Assert.Contains("gave up at the deadline of 1600 s", ee.Message);
        Assert.Equal(new[] { 1, 2, 4, 8 }.Select(m => TimeSpan.FromMinutes(m)), clock.Waits);
    }

    [Fact]
    public async Task Metadata_is_revalidated_with_the_etag()
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        File.WriteAllText(Path.Combine(dir.Path, "www", "index.xml"), "<vendorList/>");
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www"));
        var o = Options(dir);
        using var client = new HttpDepotClient(o, server.BaseUri);
        var url = new Uri(server.BaseUri, "index.xml");
        var p1 = await Bounded(client.GetMetadataFileAsync(url, 1 << 20));
        var p2 = await Bounded(client.GetMetadataFileAsync(url, 1 << 20));
        Assert.Equal(p1, p2);
        Assert.Equal("<vendorList/>", File.ReadAllText(p2));
        var reqs = server.Requests.Where(r => r.Path.EndsWith("index.xml")).ToList();
        Assert.Equal(2, reqs.Count);
        Assert.Contains(reqs, r => r.Status == 304 && r.IfNoneMatch != null);
        // A changed file is fetched again.
        File.WriteAllText(Path.Combine(dir.Path, "www", "index.xml"), "<vendorList><vendor/></vendorList>");
        File.SetLastWriteTimeUtc(Path.Combine(dir.Path, "www", "index.xml"), DateTime.UtcNow.AddMinutes(1));
        var p3 = await Bounded(client.GetMetadataFileAsync(url, 1 << 20));
        Assert.Equal("<vendorList><vendor/></vendorList>", File.ReadAllText(p3));
    }

    [Fact]
    public async Task Unreachable_host_is_DepotUnreachable()
    {
        using var dir = new TempDir();
        var o = Options(dir, retries: 0);
        var url = new Uri($"http://127.0.0.1:{LoopbackDepotServer.FreePort()}/depot/index.xml");
        using var client = new HttpDepotClient(o, url);
        var e = await BoundedThrows(() => client.GetMetadataFileAsync(url, 1 << 20));
        Assert.Equal(ErrorCodes.DepotUnreachable, Assert.IsAssignableFrom<EsxException>(e).Code);
    }

    [Fact]
    public async Task Explicit_proxy_with_credentials_carries_the_download()
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www"));
        using var proxy = new LoopbackProxy("puser", "ppass");
        var o = Options(dir) with { UseProxy = true, Proxy = proxy.Uri, ProxyCredential = new System.Net.NetworkCredential("puser", "ppass") };
        using var client = new HttpDepotClient(o, server.ProxiedBaseUri);
        var path = await Bounded(client.GetVibAsync(new Uri(server.ProxiedBaseUri, "vib20/x/a.vib"), sha, body.Length, "id"));
        Assert.Equal(body, File.ReadAllBytes(path));
        Assert.Contains(proxy.Forwarded, l => l.StartsWith("GET http://" + LoopbackProxy.LoopbackAlias + ":" + server.Port + "/depot/vib20/x/a.vib"));
    }

    [Fact]
    public async Task Proxy_refusing_credentials_is_access_denied()
    {
        var (dir, body, sha) = Fixture();
        using var _ = dir;
        using var server = new LoopbackDepotServer(Path.Combine(dir.Path, "www"));
        using var proxy = new LoopbackProxy("puser", "ppass");
        var o = Options(dir) with { UseProxy = true, Proxy = proxy.Uri };
        using var client = new HttpDepotClient(o, server.ProxiedBaseUri);
        var e = await BoundedThrows(() => client.GetVibAsync(new Uri(server.ProxiedBaseUri, "vib20/x/a.vib"), sha, body.Length, "id"));
        Assert.Equal(ErrorCodes.DepotAccessDenied, Assert.IsAssignableFrom<EsxException>(e).Code);
        Assert.Empty(proxy.Forwarded);
    }
}
