using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using BenchmarkDotNet.Attributes;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;

namespace ESXiImageTools.Bench;

/// <summary>
/// Targets: opening a bundle must not depend on payload size (a ~400 MB and a ~4 MB bundle with the
/// same metadata; Ratio column, target ≤ 1.2), and metadata for 10,000 VIBs parses in under 1 s.
/// <c>dotnet run -c Release --project bench/ESXiImageTools.Bench -- --filter '*DepotOpenBenchmarks*' --job short</c>
/// The bundles are built once into the temp folder (esxit-bench-depots) and reused by later runs.
/// </summary>
[MemoryDiagnoser]
public class DepotOpenBenchmarks
{
    private const int VibCount = 100;
    private string _small;
    private string _large;
    private byte[] _metadata10k;

    [GlobalSetup]
    public void Setup()
    {
        var dir = Path.Combine(Path.GetTempPath(), "esxit-bench-depots-v1");
        Directory.CreateDirectory(dir);
        _small = Path.Combine(dir, "small-4MB.zip");
        _large = Path.Combine(dir, "large-400MB.zip");
        if (!File.Exists(_small)) BuildBundle(_small, payloadBytes: 40 * 1024);
        if (!File.Exists(_large)) BuildBundle(_large, payloadBytes: 4 * 1024 * 1024);
        _metadata10k = BuildMetadata10k();
    }

    [Benchmark(Baseline = true)]
    public int OpenSmallBundle() => DepotReader.OpenZip(_small).Packages.Count;

    [Benchmark]
    public int OpenLargeBundle() => DepotReader.OpenZip(_large).Packages.Count;

    [Benchmark]
    public int ParseMetadataFor10000Vibs()
    {
        using var ms = new MemoryStream(_metadata10k, false);
        return MetadataBundle.Read(ms, "bench").Vibs.Count;
    }

    private static Vib Metadata(int i, long size) => new Vib
    {
        Name = $"pkg-{i:D5}",
        Version = VibVersion.Parse($"1.0.{i}-1vmw.700.1.0.15843807"),
        Vendor = "BenchVendor",
        Summary = "benchmark package",
        Description = "a package of the open-time benchmark",
        ReleaseDate = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero),
        AcceptanceLevel = AcceptanceLevel.PartnerSupported,
        Depends = new[] { Constraint.Parse("esx-version >= 7.0.0") },
        Tags = new[] { "driver", "module" },
        Payloads = new[] { new Payload { Name = "p" + (i % 1000), Type = "boot", Size = size } },
    };

    /// <summary>A bundle of <see cref="VibCount"/> VIBs, each with one incompressible payload of <paramref name="payloadBytes"/>.</summary>
    private static void BuildBundle(string path, int payloadBytes)
    {
        var tmp = path + ".tmp";
        var descriptors = new List<Vib>();
        using (var fs = new FileStream(tmp, FileMode.Create))
        using (var zip = new ZipArchive(fs, ZipArchiveMode.Create))
        {
            for (int i = 0; i < VibCount; i++)
            {
                var md = Metadata(i, payloadBytes);
                var rel = $"vib20/{md.Name}/{md.Id}.vib";
                var entry = zip.CreateEntry(rel, CompressionLevel.NoCompression);
                Vib written;
                string sha;
                long len;
                using (var es = entry.Open())
                using (var hs = new HashingStream(es))
                {
                    int seed = i;
                    written = VibWriter.Write(md, new[] { new PayloadSource(md.Payloads[0].Name, () => new RandomStream(payloadBytes, seed)) }, hs);
                    (sha, len) = hs.Finish();
                }
                descriptors.Add(written with { RelativePath = rel, PackedSize = len, VibSha256 = sha });
            }
            var md5 = MetadataZip(descriptors);
            Text(zip, "metadata.zip", md5);
            Text(zip, "index.xml", Encoding.UTF8.GetBytes("<vendorList><vendor><name>BenchVendor</name><code>BEN</code><indexfile>vendor-index.xml</indexfile><relativePath></relativePath></vendor></vendorList>"));
            Text(zip, "vendor-index.xml", Encoding.UTF8.GetBytes("<metaList><metadata><productId>embeddedEsx</productId><version>7.0</version><url>metadata.zip</url></metadata></metaList>"));
        }
        File.Move(tmp, path, true);
    }

    /// <summary>A metadata zip of 10,000 depot descriptors (one payload with a sha-256 each) and one bulletin.</summary>
    public static byte[] BuildMetadata10k()
    {
        var vibs = Enumerable.Range(0, 10_000).Select(i =>
        {
            var m = Metadata(i, 1000);
            m = m with { Payloads = new[] { m.Payloads[0] with { Checksums = new[] { new PayloadChecksum("sha-256", "", new string('a', 64)) } } } };
            return m with { RelativePath = $"vib20/{m.Name}/{m.Id}.vib", PackedSize = 4000, VibSha256 = new string('b', 64) };
        }).ToList();
        return MetadataZip(vibs);
    }

    private static byte[] MetadataZip(IReadOnlyList<Vib> vibs)
    {
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, true))
        {
            for (int i = 0; i < vibs.Count; i++)
                Text(zip, $"vibs/{vibs[i].Name}-{i}.xml", VibDescriptorWriter.ToDepotBytes(vibs[i]));
            var bulletin = new XElement("bulletin", new XElement("id", "bench-bulletin"), new XElement("vendor", "BenchVendor"),
                new XElement("vibList", vibs.Select(v => new XElement("vibID", v.Id))));
            Text(zip, "bulletins/bench-bulletin.xml", Encoding.UTF8.GetBytes(bulletin.ToString()));
        }
        return ms.ToArray();
    }

    private static void Text(ZipArchive zip, string name, byte[] bytes)
    {
        using var s = zip.CreateEntry(name).Open();
        s.Write(bytes, 0, bytes.Length);
    }

    /// <summary>Deterministic incompressible bytes.</summary>
    private sealed class RandomStream : Stream
    {
        private readonly long _length;
        private readonly Random _rng;
        private long _pos;
        public RandomStream(long length, int seed) { _length = length; _rng = new Random(seed); }
        public override int Read(byte[] buffer, int offset, int count)
        {
            int n = (int)Math.Min(count, _length - _pos);
            if (n <= 0) return 0;
            _rng.NextBytes(buffer.AsSpan(offset, n));
            _pos += n;
            return n;
        }
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => _length;
        public override long Position { get => _pos; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    /// <summary>Passes writes through while computing sha-256 and length.</summary>
    private sealed class HashingStream : Stream
    {
        private readonly Stream _inner;
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private long _len;
        public HashingStream(Stream inner) { _inner = inner; }
        public (string, long) Finish() => (Convert.ToHexStringLower(_hash.GetHashAndReset()), _len);
        public override void Write(byte[] buffer, int offset, int count) { _hash.AppendData(buffer, offset, count); _len += count; _inner.Write(buffer, offset, count); }
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _len;
        public override long Position { get => _len; set => throw new NotSupportedException(); }
        public override void Flush() => _inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
