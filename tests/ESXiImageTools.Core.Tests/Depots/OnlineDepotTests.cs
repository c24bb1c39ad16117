using System;
using System.Collections.Concurrent;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>Corpus bundles unpacked and served as online depots over loopback HTTP, behind a token path.</summary>
public class OnlineDepotTests
{
    private const string Token = "Zx81Qw7PmT4kLs9VbN2cR6yH";
    private const string Component703 = "usbnic-fling-703/ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip";

    private sealed class Progress : IProgress<DepotProgress>
    {
        public readonly ConcurrentQueue<DepotProgress> Reports = new();
        public void Report(DepotProgress value) => Reports.Enqueue(value);
    }

    private static string Unpack(TempDir d, string corpusZip)
    {
        var www = Path.Combine(d.Path, "www");
        ZipFile.ExtractToDirectory(Corpus.Path(corpusZip.Split('/')), www);
        return www;
    }

    private static DepotOptions Options(TempDir d, int retries = 1)
        => new DepotOptions { CacheDirectory = Path.Combine(d.Path, "cache"), UseProxy = false, Retries = retries, RetryDelay = TimeSpan.FromMilliseconds(50), Timeout = TimeSpan.FromSeconds(5) };

    private static T Bounded<T>(Func<T> f, int seconds = 60)
    {
        var t = Task.Run(f);
        Assert.True(((IAsyncResult)t).AsyncWaitHandle.WaitOne(TimeSpan.FromSeconds(seconds)), "did not finish in time");
        return t.GetAwaiter().GetResult();
    }

    private static string Listing(Depot d) => string.Join("\n",
        d.Packages.OrderBy(p => p.Id).Select(p => $"{p.Id} {p.VibSha256} {p.PackedSize} {p.RelativePath} {string.Join(",", p.Payloads.Select(x => x.Sha256))}")
        .Concat(d.Vendors.Select(v => $"vendor {v.Name} {v.Code}"))
        .Concat(d.Bulletins.Select(b => $"bulletin {b.Id} {string.Join(",", b.VibIds)}"))
        .Concat(d.Components.Select(c => $"component {c.Id} {string.Join(",", c.Packages.Select(p => p.Id))}")));

    [CorpusTheory]
    [InlineData(Component703)]
    [InlineData("ghettovcb-2015/vghetto-ghettoVCB-offline-bundle.zip")]
    [InlineData("sata-xahci/sata-xahci-1.42-1-offline_bundle.zip")]
    public void Same_bundle_over_http_lists_identically_and_downloads_verified(string corpusZip)
    {
        using var d = new TempDir();
        var www = Unpack(d, corpusZip);
        using var server = new LoopbackDepotServer(www, "/" + Token + "/PROD/main/");
        var progress = new Progress();
        var url = new Uri(server.BaseUri, "index.xml").AbsoluteUri;
        var online = Bounded(() => DepotReader.Open(url, Options(d), progress));
        var offline = DepotReader.Open(Corpus.Path(corpusZip.Split('/')), Options(d));
        var folder = DepotReader.Open(www, Options(d));

        Assert.Equal(DepotKind.Online, online.Kind);
        Assert.Equal(Listing(offline), Listing(online));
        Assert.Equal(Listing(offline), Listing(folder));
        Assert.DoesNotContain(Token, online.Source);
        Assert.Contains("/***/PROD/main/index.xml", online.Source);

        // Nothing was downloaded but metadata; VIBs come on demand, verified.
        Assert.Equal(0, server.Served(".vib"));
        foreach (var vib in online.Packages)
        {
            Assert.DoesNotContain(Token, vib.Content.Location);
            Assert.DoesNotContain(Token, vib.Source);
            var remote = Assert.IsAssignableFrom<IRemoteVibContent>(vib.Content);
            Assert.False(remote.IsCached);
            Assert.True(Bounded(() => VibVerifier.VerifyVibFile(vib)));
            Bounded(() => VibVerifier.VerifyAll(vib));
            Assert.True(remote.IsCached);
        }
        Assert.Equal(online.Packages.Count, server.Served(".vib")); // each downloaded once, then read from the cache
        Assert.All(progress.Reports, r => Assert.DoesNotContain(Token, r.ToString() + r.Source));
        Assert.Contains(progress.Reports, r => r.Stage == DepotStage.ReadingMetadata);
    }

    [CorpusFact]
    public void Metadata_is_revalidated_on_reopen()
    {
        using var d = new TempDir();
        using var server = new LoopbackDepotServer(Unpack(d, Component703));
        var url = new Uri(server.BaseUri, "index.xml").AbsoluteUri;
        Bounded(() => DepotReader.Open(url, Options(d)));
        var again = Bounded(() => DepotReader.Open(url, Options(d)));
        Assert.Single(again.Packages);
        Assert.Equal(3, server.Requests.Count(r => r.Status == 304)); // index, vendor index, metadata zip
    }

    [CorpusTheory]
    [InlineData(Fault.NotFound, ErrorCodes.DepotNotFound)]
    [InlineData(Fault.Forbidden, ErrorCodes.DepotAccessDenied)]
    public void Index_errors_are_typed_and_redacted(Fault fault, string code)
    {
        using var d = new TempDir();
        using var server = new LoopbackDepotServer(Unpack(d, Component703), "/" + Token + "/main/");
        server.Faults["index.xml"] = fault;
        var session = new DepotSession(Options(d));
        var e = Assert.ThrowsAny<EsxException>(() => Bounded(() => session.Add(new Uri(server.BaseUri, "index.xml").AbsoluteUri)));
        Assert.Equal(code, e.Code);
        Assert.DoesNotContain(Token, e.ToString());
        Assert.Empty(session.Depots);
    }

    [CorpusFact]
    public void Missing_metadata_zip_fails_the_whole_depot()
    {
        using var d = new TempDir();
        using var server = new LoopbackDepotServer(Unpack(d, Component703));
        server.Faults["metadata.zip"] = Fault.NotFound;
        var e = Assert.ThrowsAny<EsxException>(() => Bounded(() => DepotReader.Open(new Uri(server.BaseUri, "index.xml").AbsoluteUri, Options(d))));
        Assert.Equal(ErrorCodes.DepotNotFound, e.Code);
        Assert.Contains("metadata.zip", e.Message);
    }

    [CorpusFact]
    public void Wrong_vib_body_fails_verification_and_leaves_nothing_in_the_cache()
    {
        using var d = new TempDir();
        using var server = new LoopbackDepotServer(Unpack(d, Component703));
        server.Faults["vib20/vmkusb-nic-fling/VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242.vib"] = Fault.WrongBody;
        var depot = Bounded(() => DepotReader.Open(new Uri(server.BaseUri, "index.xml").AbsoluteUri, Options(d)));
        var vib = Assert.Single(depot.Packages);
        Assert.Throws<EsxChecksumException>(() => Bounded(() => vib.Content.OpenVibFile()));
        Assert.Throws<EsxChecksumException>(() => Bounded(() => VibVerifier.VerifyAll(vib)));
        Assert.False(((IRemoteVibContent)vib.Content).IsCached);
        Assert.Empty(Directory.GetFiles(Path.Combine(d.Path, "cache", "vibs"), "*", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(Path.Combine(d.Path, "cache", "partial")));
    }

    [CorpusFact]
    public void Whole_depot_through_a_forwarding_proxy()
    {
        using var d = new TempDir();
        using var server = new LoopbackDepotServer(Unpack(d, Component703));
        using var proxy = new LoopbackProxy();
        var o = Options(d) with { UseProxy = true, Proxy = proxy.Uri };
        var depot = Bounded(() => DepotReader.Open(new Uri(server.ProxiedBaseUri, "index.xml").AbsoluteUri, o));
        Assert.True(Bounded(() => VibVerifier.VerifyVibFile(depot.Packages[0])));
        Assert.Contains(proxy.Forwarded, l => l.Contains("/depot/index.xml"));
        Assert.Contains(proxy.Forwarded, l => l.Contains("/depot/metadata.zip"));
        Assert.Contains(proxy.Forwarded, l => l.EndsWith(".vib HTTP/1.1"));
    }
}
