using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Packages;

public class VmTarTests
{
    private static readonly Payload Vgz = new Payload { Name = "p", Type = "vgz" };
    private static readonly Payload Tgz = new Payload { Name = "t", Type = "tgz" };

    private static byte[] Extract(Payload p, byte[] stored, string path)
    {
        var ms = new MemoryStream();
        Assert.True(PayloadContents.TryExtract(p, new ForwardOnlyStream(new MemoryStream(stored)), path, ms, "x.vib"));
        return ms.ToArray();
    }

    [CorpusFact]
    public void ReadsDissectSampleExactly()
    {
        var bytes = File.ReadAllBytes(Corpus.Path("vmtar-dissect", "test.vgz"));
        var entries = PayloadContents.List(Vgz, new ForwardOnlyStream(new MemoryStream(bytes)), "test.vgz");
        Assert.Equal(new[] { "test/", "test/file3", "test/file2", "test/subdir/", "test/subdir/file4", "test/file1" }, entries.Select(e => e.ToString()));
        Assert.Equal(new long[] { 0, 2049, 1025, 0, 2049, 513 }, entries.Select(e => e.Size));
        Assert.Equal(new long?[] { null, 4096, 8192, null, 12288, 16384 }, entries.Select(e => e.DataOffset));
        Assert.Equal(0x1B4, entries[1].Mode); // 0664
        var expected = new (string Path, char C, int N)[] { ("test/file1", 'a', 512), ("test/file2", 'b', 1024), ("test/file3", 'c', 2048), ("test/subdir/file4", 'f', 2048) };
        foreach (var (path, c, n) in expected)
            Assert.Equal(new string(c, n) + "\n", Encoding.ASCII.GetString(Extract(Vgz, bytes, path)));
        Assert.Equal(Extract(Vgz, bytes, "test/file1"), Extract(Vgz, bytes, "/test/file1"));
        Assert.False(PayloadContents.TryExtract(Vgz, new MemoryStream(bytes), "test/nope", new MemoryStream(), "test.vgz"));
        Assert.False(PayloadContents.TryExtract(Vgz, new MemoryStream(bytes), "test/subdir", new MemoryStream(), "test.vgz")); // a directory
    }

    [Fact]
    public void WriterRoundTripsThroughReaderGzippedAndRaw()
    {
        var longName = "usr/lib/vmware/" + new string('n', 120) + "/module.o";
        var files = new (string, byte[])[] { ("etc/a.conf", Encoding.ASCII.GetBytes("x=1\n")), (longName, new byte[5000]), ("bin/tool", new byte[] { 1, 2, 3 }) };
        foreach (var gzip in new[] { true, false })
        {
            var bytes = VmTar.Build(files, gzip);
            Assert.Equal(gzip, bytes[0] == 0x1f && bytes[1] == 0x8b);
            var entries = PayloadContents.List(Vgz, new MemoryStream(bytes), "w");
            Assert.Equal(new[] { "bin/", "bin/tool", "etc/", "etc/a.conf", "usr/", "usr/lib/", "usr/lib/vmware/", "usr/lib/vmware/" + new string('n', 120) + "/", longName },
                entries.Select(e => e.ToString()));
            Assert.All(entries.Where(e => e.Type == PayloadEntryType.File), e => Assert.Equal(0, e.DataOffset.Value % 4096));
            Assert.Equal("x=1\n", Encoding.ASCII.GetString(Extract(Vgz, bytes, "etc/a.conf")));
            Assert.Equal(new byte[5000], Extract(Vgz, bytes, longName));
            Assert.Equal(new byte[] { 1, 2, 3 }, Extract(Vgz, bytes, "./bin/tool"));
        }
        Assert.Equal(VmTar.Build(files), VmTar.Build(files)); // deterministic
    }

    [Fact]
    public void WrittenHeadersCarryValidTarChecksums()
    {
        var bytes = VmTar.Build(new[] { ("d/a", new byte[] { 1 }) }, gzip: false);
        Assert.Equal(new byte[1024], bytes.AsSpan(1024, 1024).ToArray()); // two zero blocks end the headers
        for (int off = 0; off < 1024; off += 512) // "d/" and "d/a"

        {
            var h = bytes.AsSpan(off, 512).ToArray();
            Assert.True(VmTar.IsVmTarHeader(h));
            var stored = Convert.ToInt64(Encoding.ASCII.GetString(h, 148, 6), 8);
            for (int i = 148; i < 156; i++) h[i] = (byte)' ';
            Assert.Equal(h.Sum(b => (long)b), stored);
        }
    }

    [Fact]
    public void ListsAndExtractsTgz()
    {
        var tgz = VibFixtures.TarGz(("etc/x.conf", Encoding.ASCII.GetBytes("hello")), ("usr/bin/y", new byte[700]));
        var entries = PayloadContents.List(Tgz, new ForwardOnlyStream(new MemoryStream(tgz)), "t");
        Assert.Equal(new[] { "etc/x.conf", "usr/bin/y" }, entries.Select(e => e.Path));
        Assert.Equal(new long[] { 5, 700 }, entries.Select(e => e.Size));
        Assert.Equal("hello", Encoding.ASCII.GetString(Extract(Tgz, tgz, "etc/x.conf")));
        Assert.Equal(new byte[700], Extract(Tgz, tgz, "/usr/bin/y"));
    }

    [Fact]
    public void NonArchivesAreTyped()
    {
        var e = Assert.Throws<EsxFormatException>(() => PayloadContents.List(Vgz, new MemoryStream(new byte[2000]), "x.vib"));
        Assert.Equal(ErrorCodes.VmtarInvalid, e.Code);
        Assert.Equal("p", e.Member);
        e = Assert.Throws<EsxFormatException>(() => PayloadContents.List(Tgz, new MemoryStream(Encoding.ASCII.GetBytes("just text")), "x.vib"));
        Assert.Equal(ErrorCodes.TarInvalid, e.Code);
        var xz = new byte[] { 0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 0, 0 };
        e = Assert.Throws<EsxFormatException>(() => PayloadContents.List(Vgz, new MemoryStream(xz), "x.vib"));
        Assert.Contains("xz", e.Message);
        var badGzip = new byte[] { 0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
        e = Assert.Throws<EsxFormatException>(() => PayloadContents.List(Vgz, new MemoryStream(badGzip), "x.vib"));
        Assert.Equal(ErrorCodes.VmtarInvalid, e.Code);
    }

    [Fact]
    public void TruncatedVmtarDataIsTyped()
    {
        var bytes = VmTar.Build(new[] { ("a", new byte[3000]) }, gzip: false);
        var cut = bytes.Take(bytes.Length - 2000).ToArray();
        var e = Assert.Throws<EsxFormatException>(() => PayloadContents.TryExtract(Vgz, new MemoryStream(cut), "a", new MemoryStream(), "x.vib"));
        Assert.Equal(ErrorCodes.VmtarInvalid, e.Code);
        Assert.Contains("ends", e.Message);
    }

    [CorpusTheory, MemberData(nameof(CorpusVibTests.Locations), MemberType = typeof(CorpusVibTests))]
    public void CorpusPayloadListingsCoverTheDescriptorFileList(string rel)
    {
        var item = CorpusVibs.All().Single(i => i.Relative == rel);
        var vib = VibFile.Read(item.Open, item.Location);
        var files = vib.Payloads.Where(p => PayloadContents.IsArchiveType(p.Type)).SelectMany(p =>
        {
            using var s = vib.Content.OpenPayload(p);
            return PayloadContents.List(p, s, item.Location);
        }).Where(e => e.Type == PayloadEntryType.File).Select(e => e.Path).ToHashSet();
        Assert.NotEmpty(files);
        foreach (var f in vib.FileList) Assert.Contains(PayloadEntry.NormalizePath(f), files);
    }
}
