using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Depots;

/// <summary>The on-disk depot cache on its own, without a server: what it keeps, what it refuses, what it reuses.</summary>
public class DepotCacheTests
{
    private static DepotOptions Options(TempDir d) => new DepotOptions { CacheDirectory = d.File("cache"), UseProxy = false };

    private static readonly Uri VibUrl = new Uri("http://depot.example/vib20/a/a.vib");

    private static byte[] Body(int seed)
    {
        var body = new byte[10_000];
        new Random(seed).NextBytes(body);
        return body;
    }

    private static string[] Files(TempDir d)
        => Directory.Exists(d.File("cache")) ? Directory.GetFiles(d.File("cache"), "*", SearchOption.AllDirectories) : Array.Empty<string>();

    [Fact]
    public void A_vib_is_a_miss_until_its_checked_download_is_admitted_then_a_hit_for_any_cache_on_that_folder()
    {
        using var d = new TempDir();
        var body = Body(1);
        var sha = BundleBuilder.Sha256(body);
        var cache = new DepotCache(Options(d));
        var entry = cache.Vib(VibUrl, sha.ToUpperInvariant());
        Assert.False(entry.IsPresent);
        Assert.False(cache.HasVib(sha));

        File.WriteAllBytes(entry.PartialPath(), body);
        Assert.False(cache.HasVib(sha)); // a partial download is no entry
        var path = entry.Admit(VibUrl.AbsoluteUri, "V_bootbank_a_1", body.Length);

        Assert.Equal(cache.VibPath(sha), path);
        Assert.Equal(body, File.ReadAllBytes(path));
        var again = new DepotCache(Options(d));
        Assert.True(again.HasVib(sha));
        Assert.True(again.Vib(new Uri("http://mirror.example/other/path.vib"), sha).IsPresent); // by content, not by URL
        Assert.Single(Files(d)); // the partial file became the entry
    }

    [Fact]
    public void A_download_whose_sha256_differs_is_not_trusted_and_nothing_stays()
    {
        using var d = new TempDir();
        var expected = BundleBuilder.Sha256(Body(1));
        var cache = new DepotCache(Options(d));
        var entry = cache.Vib(VibUrl, expected);
        File.WriteAllBytes(entry.PartialPath(), Body(2));

        var e = Assert.Throws<EsxChecksumException>(() => entry.Admit(VibUrl.AbsoluteUri, "V_bootbank_a_1", 10_000));
        Assert.Equal(ErrorCodes.VibChecksumMismatch, e.Code);
        Assert.Equal(expected, e.Expected);
        Assert.Equal(BundleBuilder.Sha256(Body(2)), e.Actual);
        Assert.False(cache.HasVib(expected));
        Assert.False(entry.IsPresent);
        Assert.Empty(Files(d)); // not even the partial: resuming it would only fail again
    }

    [Fact]
    public void Without_a_sha256_a_vib_is_kept_by_url_when_its_size_matches_and_refused_when_not()
    {
        using var d = new TempDir();
        var cache = new DepotCache(Options(d));
        var entry = cache.Vib(VibUrl, null);
        Assert.Null(entry.Sha256);
        File.WriteAllBytes(entry.PartialPath(), Body(3));
        var e = Assert.Throws<EsxFormatException>(() => entry.Admit(VibUrl.AbsoluteUri, "id", 9_999));
        Assert.Equal(ErrorCodes.VibSizeMismatch, e.Code);
        Assert.Empty(Files(d));

        File.WriteAllBytes(entry.PartialPath(), Body(3));
        var path = entry.Admit(VibUrl.AbsoluteUri, "id", 10_000);
        Assert.Contains(Path.Combine("vibs", "by-url"), path);
        Assert.True(cache.Vib(VibUrl, null).IsPresent);
        Assert.False(cache.Vib(new Uri("http://depot.example/vib20/b/b.vib"), null).IsPresent);
    }

    [Fact]
    public void Metadata_keeps_its_validators_and_data_without_them_counts_as_absent()
    {
        using var d = new TempDir();
        var url = new Uri("http://depot.example/index.xml");
        var cache = new DepotCache(Options(d));
        var entry = cache.Metadata(url);
        Assert.False(entry.IsPresent);

        var tmp = entry.NewTempPath();
        File.WriteAllText(tmp, "<vendorList/>");
        entry.Store(tmp, "\"v1\"", "Fri, 04 Dec 2026 10:00:00 GMT", CancellationToken.None);
        Assert.False(File.Exists(tmp));
        var hit = new DepotCache(Options(d)).Metadata(url);
        Assert.True(hit.IsPresent);
        Assert.Equal("<vendorList/>", File.ReadAllText(hit.DataPath));
        Assert.Equal(("\"v1\"", "Fri, 04 Dec 2026 10:00:00 GMT"), hit.ReadValidators());
        Assert.False(cache.Metadata(new Uri("http://depot.example/other/index.xml")).IsPresent);

        // Data whose validators are gone (a run that died while storing) is fetched again, never revalidated.
        File.Delete(Directory.GetFiles(Path.GetDirectoryName(hit.DataPath), "*.meta").Single());
        Assert.False(hit.IsPresent);
        // A reader that saw the entry present just before another process removed the validators asks unconditionally.
        Assert.Equal(((string)null, (string)null), hit.ReadValidators());

        cache.DiscardMetadata(url);
        Assert.Empty(Files(d));
    }

    [Fact]
    public void An_inner_zip_is_extracted_once_and_reused_until_the_outer_file_changes()
    {
        using var d = new TempDir();
        var outer = d.File("wrapped.zip");
        var inner = Body(4);
        WriteOuter(outer, inner);
        var cache = new DepotCache(Options(d));
        var progress = new Recorder();

        string first = Extract(cache, outer, progress);
        Assert.Equal(inner, File.ReadAllBytes(first));
        Assert.Equal(1, progress.Extractions);
        string second = Extract(new DepotCache(Options(d)), outer, progress);
        Assert.Equal(first, second);
        Assert.Equal(1, progress.Extractions); // reused, not extracted again

        // Another file at the same path (rewritten later) is another source: its entry is extracted anew.
        WriteOuter(outer, Body(5));
        File.SetLastWriteTimeUtc(outer, DateTime.UtcNow.AddMinutes(1));
        string third = Extract(cache, outer, progress);
        Assert.NotEqual(first, third);
        Assert.Equal(Body(5), File.ReadAllBytes(third));
        Assert.Equal(2, progress.Extractions);
        Assert.DoesNotContain(Files(d), f => f.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [FactExceptOnMono(MonoDefect.DeflateIOException)]
    public void A_corrupt_inner_zip_is_DepotInvalid_naming_the_entry_and_leaves_no_copy()
    {
        using var d = new TempDir();
        var outer = d.File("wrapped.zip");
        // Text compresses into Huffman-coded blocks, which damage breaks (random bytes would be stored as they are).
        WriteOuter(outer, System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 2000).Select(i => $"line {i}\n"))));
        // Damage the deflated data (it sits after the local header and the entry name).
        var bytes = File.ReadAllBytes(outer);
        for (int i = 60; i < 400; i++) bytes[i] ^= 0x5A;
        File.WriteAllBytes(outer, bytes);
        var e = Record.Exception(() => Extract(new DepotCache(Options(d)), outer, null));
        var esx = Assert.IsAssignableFrom<EsxException>(e);
        Assert.Equal(ErrorCodes.DepotInvalid, esx.Code);
        Assert.Contains("inner-bundle.zip", esx.Message);
        Assert.Empty(Directory.Exists(d.File(Path.Combine("cache", "extracted"))) ? Directory.GetFiles(d.File(Path.Combine("cache", "extracted"))) : Array.Empty<string>());
    }

    private static void WriteOuter(string path, byte[] innerBytes)
    {
        using var fs = File.Create(path);
        using var zip = new ZipArchive(fs, ZipArchiveMode.Create);
        using var s = zip.CreateEntry("inner-bundle.zip", CompressionLevel.Optimal).Open();
        s.Write(innerBytes, 0, innerBytes.Length);
    }

    private static string Extract(DepotCache cache, string outer, IProgress<DepotProgress> progress)
    {
        using var zip = ZipFile.OpenRead(outer);
        return cache.ExtractedZip(outer, zip.GetEntry("inner-bundle.zip"), progress, CancellationToken.None);
    }

    private sealed class Recorder : IProgress<DepotProgress>
    {
        public readonly List<DepotProgress> Reports = new List<DepotProgress>();
        public int Extractions => Reports.Count(r => r.Stage == DepotStage.Extracting);
        public void Report(DepotProgress value) { lock (Reports) Reports.Add(value); }
    }
}
