using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

public class VibWriterTests
{
    [Fact]
    public void DescriptorRoundTripsEveryField()
    {
        var v = VibDescriptorReader.ParseString(VibDescriptorReaderTests.Full, "a");
        var bytes = VibDescriptorWriter.ToBytes(v);
        var text = Encoding.UTF8.GetString(bytes);
        Assert.StartsWith("<vib version=\"5.0\"><type>bootbank</type><name>demo</name><version>", text);
        Assert.Contains("relation=\"&gt;=\"", text);
        Assert.Contains("relation=\"&lt;&lt;\"", text);
        Assert.Contains("relation=\"&gt;&gt;\"", text);
        Assert.Contains("<maintenance-mode install=\"false\" remove=\"true\">true</maintenance-mode>", text);
        Assert.Contains("<release-date>2022-05-29T13:03:02.123456+00:00</release-date>", text);
        var back = VibDescriptorReader.Parse(new MemoryStream(bytes), "b");
        VibAssert.SameMetadata(v, back);
        Assert.Equal(bytes, VibDescriptorWriter.ToBytes(back)); // stable
    }

    [Fact]
    public void ElementOrderFollowsVmware()
    {
        var v = VibDescriptorReader.ParseString(VibDescriptorReaderTests.Full, "a");
        var root = VibDescriptorWriter.ToElement(v);
        Assert.Equal(new[] { "type", "name", "version", "vendor", "summary", "description", "release-date", "urls", "relationships",
            "software-tags", "system-requires", "file-list", "acceptance-level", "live-install-allowed", "live-remove-allowed",
            "cimom-restart", "stateless-ready", "overlay", "payloads", "future-element" }, root.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(new[] { "depends", "conflicts", "replaces", "provides", "compatibleWith" }, root.Element("relationships").Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public void DepotFormAddsThreeElementsAndReadsBack()
    {
        var v = VibDescriptorReader.ParseString(VibDescriptorReaderTests.Full, "a") with { RelativePath = "vib20/demo/x.vib", PackedSize = 99, VibSha256 = "ab12" };
        var back = VibDescriptorReader.Parse(new MemoryStream(VibDescriptorWriter.ToDepotBytes(v)), "m.zip", "vibs/x.xml");
        VibAssert.SameMetadata(v, back);
        var plain = VibDescriptorReader.Parse(new MemoryStream(VibDescriptorWriter.ToBytes(v)), "d");
        Assert.Null(plain.RelativePath);
    }

    [Fact]
    public void WritesVibThatReadsBackAndVerifies()
    {
        using var dir = new TempDir();
        var tgz = VibFixtures.TarGz(("etc/a.conf", Encoding.ASCII.GetBytes("a=1\n")), ("usr/lib/b", new byte[3000]));
        var meta = VibDescriptorReader.ParseString(VibDescriptorReaderTests.Full, "a") with
        {
            Payloads = new[]
            {
                new Payload { Name = "demo", Type = "tgz", BootOrder = 3, VfatName = "demo.v00" },
                new Payload { Name = "b", Type = "boot" },
            },
        };
        var path = dir.File("out.vib");
        var written = VibWriter.WriteFile(meta, new[] { PayloadSource.FromBytes("demo", tgz), PayloadSource.FromBytes("b", new byte[] { 1, 2, 3 }) }, path, Encoding.ASCII.GetBytes("SIG"));
        // In the order real descriptors list them (esximg-700): sha-256 gunzip, sha-256 stored, sha-1 gunzip.
        Assert.Equal(new[] { "sha-256(gunzip)", "sha-256", "sha-1(gunzip)" }, written.Payloads[0].Checksums.Select(c => c.ToString().Split(':')[0]));
        Assert.Single(written.Payloads[1].Checksums); // a boot payload that is not gzip: stored sha-256 only
        Assert.Equal(tgz.Length, written.Payloads[0].Size);
        Assert.True(written.Signed);
        var read = VibFile.Open(path);
        VibAssert.SameMetadata(written, read);
        Assert.Equal(new[] { "descriptor.xml", "sig.pkcs7", "demo", "b" }, ArReader.ReadIndex(File.OpenRead(path), path).Select(m => m.Name));
        Assert.Equal(2, VibVerifier.VerifyAll(read).Count);
        using var s = read.Content.OpenPayload(read.Payloads[1]);
        Assert.Equal(new byte[] { 1, 2, 3 }, ReadAll(s));
    }

    [Fact]
    public void A_gzipped_boot_payload_gets_gunzip_checksums_and_a_txt_mle_checksum_is_kept_as_given()
    {
        using var dir = new TempDir();
        var kernel = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("kernel ", 100)));
        var gz = new MemoryStream();
        using (var z = new System.IO.Compression.GZipStream(gz, System.IO.Compression.CompressionLevel.Optimal, leaveOpen: true)) z.Write(kernel, 0, kernel.Length);
        var mle = new PayloadChecksum("sha-256", "txt-mle", "cec4ff471f926d6e39b9172ebf44ca55408f00ccce0ade852af4246ce3ef5b09");
        var meta = VibFixtures.Metadata("esx-base", "7.0.0-1.0.1") with
        {
            Payloads = new[] { new Payload { Name = "b", Type = "boot", BootOrder = 10, Checksums = new[] { mle, new PayloadChecksum("sha-256", "", "00") } } },
        };
        var written = VibWriter.WriteFile(meta, new[] { PayloadSource.FromBytes("b", gz.ToArray()) }, dir.File("b.vib"));
        // The txt-mle value is kept (it cannot be computed here); the stale stored sha-256 is recomputed.
        Assert.Equal(new[] { "sha-256(txt-mle)", "sha-256(gunzip)", "sha-256", "sha-1(gunzip)" }, written.Payloads[0].Checksums.Select(c => c.ToString().Split(':')[0]));
        Assert.Equal(mle.Value, written.Payloads[0].Checksums[0].Value);
        Assert.Single(VibVerifier.VerifyAll(VibFile.Open(dir.File("b.vib"))));
    }

    [Fact]
    public void OutputIsDeterministic()
    {
        var meta = VibFixtures.Metadata("det", "1.0-1") with { Payloads = new[] { new Payload { Name = "p", Type = "boot" } } };
        byte[] Once()
        {
            var ms = new MemoryStream();
            VibWriter.Write(meta, new[] { PayloadSource.FromBytes("p", new byte[] { 9, 9, 9 }) }, ms);
            return ms.ToArray();
        }
        Assert.Equal(Once(), Once());
    }

    [Fact]
    public void RefusesMismatchedPayloadSources()
    {
        var meta = VibFixtures.Metadata("x", "1.0-1") with { Payloads = new[] { new Payload { Name = "p", Type = "boot" } } };
        Assert.Throws<ArgumentException>(() => VibWriter.Write(meta, Array.Empty<PayloadSource>(), new MemoryStream()));
        Assert.Throws<ArgumentException>(() => VibWriter.Write(meta, new[] { PayloadSource.FromBytes("p", new byte[1]), PayloadSource.FromBytes("q", new byte[1]) }, new MemoryStream()));
        var gz = meta with { Payloads = new[] { new Payload { Name = "p", Type = "tgz" } } };
        Assert.Throws<ArgumentException>(() => VibWriter.Write(gz, new[] { PayloadSource.FromBytes("p", new byte[] { 1, 2, 3 }) }, new MemoryStream()));
    }

    [Fact]
    public void SourceThatChangesBetweenReadsIsCaught()
    {
        var meta = VibFixtures.Metadata("x", "1.0-1") with { Payloads = new[] { new Payload { Name = "p", Type = "boot" } } };
        int calls = 0;
        var src = new PayloadSource("p", () => new MemoryStream(new byte[] { (byte)calls++, 1, 2 }));
        Assert.Throws<Core.Diagnostics.EsxChecksumException>(() => VibWriter.Write(meta, new[] { src }, new MemoryStream()));
    }

    [Fact]
    public void FixtureBuilderMakesValidVibs()
    {
        using var dir = new TempDir();
        var (path, vib) = VibFixtures.Build(dir.Path, "net-fixture-driver", "2.0-1", depends: new[] { Constraint.Parse("esx-base >= 7.0.0") },
            provides: new[] { new Provide("vmkapi_x") }, level: AcceptanceLevel.CommunitySupported);
        Assert.Equal(Path.Combine(dir.Path, "TestVendor_bootbank_net-fixture-driver_2.0-1.vib"), path);
        Assert.Equal("net-fixt", vib.Payloads.Single().Name);
        Assert.Equal(new[] { "etc/net-fixture-driver/net-fixture-driver.conf" }, vib.FileList);
        Assert.Equal("esx-base >= 7.0.0", vib.Depends.Single().ToString());
        Assert.Equal(AcceptanceLevel.CommunitySupported, vib.AcceptanceLevel);
        VibVerifier.VerifyAll(vib);
        var (path2, vib2) = VibFixtures.Build(dir.Path, "raw", "1-1", payloads: new[] { ("k", "boot", new byte[] { 7 }) });
        Assert.Equal(1, vib2.Payloads.Single().Size);
        Assert.True(File.Exists(path2));
    }

    [CorpusTheory, MemberData(nameof(CorpusVibTests.Locations), MemberType = typeof(CorpusVibTests))]
    public void CorpusVibsRoundTripThroughTheWriter(string rel)
    {
        var item = CorpusVibs.All().Single(i => i.Relative == rel);
        var original = VibFile.Read(item.Open, item.Location);
        using var dir = new TempDir();
        var sources = original.Payloads.Select(p => new PayloadSource(p.Name, () => original.Content.OpenPayload(p)));
        var written = VibWriter.WriteFile(original, sources, dir.File("rt.vib"), original.Signed == true ? new byte[] { 1 } : null);
        var reread = VibFile.Open(dir.File("rt.vib"));
        VibAssert.SameMetadata(written, reread);
        // Our recomputed checksums agree with every checksum the original declared.
        foreach (var (o, w) in original.Payloads.Zip(written.Payloads))
            foreach (var c in o.Checksums)
                Assert.Contains(w.Checksums, x => x.ToString() == c.ToString());
        // Everything but the recomputed checksum lists is identical to the original.
        VibAssert.SameMetadata(original with { Payloads = written.Payloads }, reread);
    }

    private static byte[] ReadAll(Stream s)
    {
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }
}
