using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

/// <summary>
/// Sizes past 32 bits: a zip64 bundle whose every VIB lies beyond 4 GiB, and an ISO over 4 GiB. The data is
/// generated, mostly zeros written as holes of sparse files (<see cref="SparseFileStream"/>), so the tests take seconds
/// and a few MB of disk and run in the default suite.
/// </summary>
public class Beyond4GiBTests
{
    private const long FourGiB = 4L << 30;
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void A_zip64_bundle_with_its_vibs_beyond_4_GiB_opens_lists_verifies_and_exports()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("vibs"));
        var b = new BundleBuilder().AddZeroEntry("filler/zeros.bin", FourGiB + (64L << 20));
        foreach (var v in fx.All) b.AddBuiltVib(Path.Combine(fx.Directory, v.Id + ".vib"));
        b.AddProfile(fx.Profile.Name, "Fixture, Inc.", fx.All.Select(v => v.Id));
        var zip = tmp.File("big-depot.zip");
        b.Write(zip);
        Assert.True(new FileInfo(zip).Length > FourGiB + (64L << 20));

        var depot = DepotReader.OpenZip(zip);
        Assert.Equal(fx.All.Select(v => v.Id).OrderBy(x => x), depot.Packages.Select(p => p.Id).OrderBy(x => x));
        foreach (var p in depot.Packages)
        {
            var digests = VibVerifier.VerifyAll(p); // every declared checksum, read from beyond 4 GiB
            var original = fx.All.Single(v => v.Id == p.Id);
            foreach (var payload in original.Payloads) Assert.Equal(payload.Sha256, digests[payload.Name].StoredSha256);
        }
        var profile = Assert.Single(depot.Profiles);
        Assert.Empty(profile.MissingVibIds);

        var iso = tmp.File("out.iso");
        IsoExporter.Export(profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });
        using (var r = IsoReader.Open(iso))
        {
            var s = r.OpenFile("S.V00");
            var original = fx.Base.Payloads.Single(x => x.Name == "s");
            Assert.Equal(original.Size, s.Length);
        }
        var bundle = tmp.File("out.zip");
        BundleExporter.Export(profile, new BundleExportOptions { Destination = bundle, Timestamp = Stamp });
        Assert.Equal(fx.All.Select(v => v.Id).OrderBy(x => x), DepotReader.Open(bundle).Packages.Select(p => p.Id).OrderBy(x => x));
    }

    [Fact]
    public void An_iso_over_4_GiB_writes_lists_and_reads_back()
    {
        using var tmp = new TempDir();
        long big = (2L << 30) + 12345; // two of them pass 4 GiB; each stays under the 4 GiB single-extent limit
        var small = Encoding.ASCII.GetBytes("the file after 4 GiB");
        var builder = new IsoBuilder(Stamp) { VolumeId = "BIG" };
        builder.AddFile("A.BIN", big, () => new TaggedZeroStream(big, "first-A"));
        builder.AddFile("B.BIN", big, () => new TaggedZeroStream(big, "second-B"));
        builder.AddFile("Z/LAST.TXT", small.Length, () => new MemoryStream(small));
        var iso = tmp.File("big.iso");
        using (var s = new SparseFileStream(iso)) builder.WriteTo(s);

        var length = new FileInfo(iso).Length;
        Assert.True(length > FourGiB);
        using var r = IsoReader.Open(iso);
        Assert.Equal(length, (long)r.Volume.VolumeSpaceSize * r.Volume.LogicalBlockSize);
        Assert.Equal(new[] { "A.BIN", "B.BIN", "Z/LAST.TXT" }, r.Files.Select(f => f.Path.TrimStart('/')).OrderBy(x => x, StringComparer.Ordinal));
        var last = (IsoFileEntry)r.Find("Z/LAST.TXT");
        Assert.True((long)last.Lba * 2048 > FourGiB);
        Assert.Equal(small, ReadAll(r.OpenFile(last)));
        var b = (IsoFileEntry)r.Find("B.BIN");
        Assert.Equal(big, b.Size);
        using var bs = r.OpenFile(b);
        Assert.Equal("second-B", Tail(bs, 8));
        Assert.Equal("first-A", Tail(r.OpenFile("A.BIN"), 7));
    }

    private static string Tail(Stream s, int n)
    {
        s.Seek(-n, SeekOrigin.End);
        var buf = new byte[n];
        s.ReadExactly(buf);
        return Encoding.ASCII.GetString(buf);
    }

    private static byte[] ReadAll(Stream s)
    {
        using var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
