using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Iso;

public class IsoBuilderTests
{
    [Fact]
    public void SameInputsAndTimestampGiveIdenticalBytes()
    {
        var a = IsoTestData.Build(IsoTestData.SmallBootable().Builder);
        var b = IsoTestData.Build(IsoTestData.SmallBootable().Builder);
        Assert.Equal(a, b);

        // Same builder written twice: identical too (the boot catalog is re-planned, not duplicated).
        var (builder, _) = IsoTestData.SmallBootable();
        Assert.Equal(IsoTestData.Build(builder), IsoTestData.Build(builder));

        var later = IsoTestData.SmallBootable().Builder;
        later.Timestamp = IsoTestData.Timestamp.AddSeconds(1);
        Assert.NotEqual(a, IsoTestData.Build(later));
    }

    [Fact]
    public void AddOrderDoesNotMatter()
    {
        var files = IsoTestData.SmallBootable().Files;
        var b1 = new IsoBuilder(IsoTestData.Timestamp);
        foreach (var kv in files) b1.Add(kv.Key, kv.Value);
        var b2 = new IsoBuilder(IsoTestData.Timestamp);
        foreach (var kv in files.Reverse()) b2.Add(kv.Key, kv.Value);
        Assert.Equal(IsoTestData.Build(b1), IsoTestData.Build(b2));
    }

    [Fact]
    public void ComputedSizeMatchesWrittenSize()
    {
        var (builder, files) = IsoTestData.SmallBootable();
        long size = builder.ComputeImageSize();
        Assert.Equal(size, IsoTestData.Build(builder).Length);
        long data = files.Values.Sum(f => (f.Length + 2047) / 2048 * 2048);
        Assert.True(size > data && size < data + 64 * 2048, $"metadata overhead should be small: {size - data}");
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(+1)]
    public void SourceDeliveringAnotherSizeFailsNamingTheFile(int delta)
    {
        var content = IsoTestData.Bytes(5000, 1);
        var b = new IsoBuilder(IsoTestData.Timestamp).Add("OK.TXT", new byte[] { 1 });
        b.AddFile("SUB/LIAR.BIN", content.Length - delta, () => new MemoryStream(content));
        var e = Assert.Throws<EsxException>(() => b.WriteTo(new MemoryStream()));
        Assert.Equal(ErrorCodes.IsoSourceSizeMismatch, e.Code);
        Assert.Contains("SUB/LIAR.BIN", e.Message);
        Assert.Equal("SUB/LIAR.BIN", e.Target);
    }

    [Fact]
    public void BiosBootFileSizeIsCheckedToo()
    {
        var content = IsoTestData.Bytes(4096, 1);
        var b = new IsoBuilder(IsoTestData.Timestamp);
        b.AddFile("ISOLINUX.BIN", 8192, () => new MemoryStream(content));
        b.BiosBoot = new IsoBiosBoot { Path = "ISOLINUX.BIN" };
        var e = Assert.Throws<EsxException>(() => b.WriteTo(new MemoryStream()));
        Assert.Equal(ErrorCodes.IsoSourceSizeMismatch, e.Code);
    }

    [Fact]
    public void ZeroLengthFilesAndEmptyDirectoriesAreAllowed()
    {
        var b = new IsoBuilder(IsoTestData.Timestamp).Add("EMPTY.TXT", Array.Empty<byte>()).Add("A.TXT", new byte[] { 65 });
        b.AddDirectory("NOTHING");
        using var r = new IsoReader(new MemoryStream(IsoTestData.Build(b)));
        Assert.Equal(0, ((IsoFileEntry)r.Find("EMPTY.TXT")).Size);
        Assert.Empty(IsoTestData.ReadBytes(r.OpenFile("EMPTY.TXT")));
        Assert.Empty(((IsoDirectoryEntry)r.Find("NOTHING")).Children);
    }

    [Fact]
    public void FilesOver4GiBAreRejectedClearly()
    {
        var b = new IsoBuilder(IsoTestData.Timestamp);
        var e = Assert.Throws<EsxException>(() => b.AddFile("HUGE.BIN", 1L << 32, () => Stream.Null));
        Assert.Equal(ErrorCodes.IsoLayoutInvalid, e.Code);
        Assert.Contains("HUGE.BIN", e.Message);
        Assert.Contains("4 GiB", e.Message);
        b.AddFile("MAX.BIN", uint.MaxValue, () => Stream.Null); // exactly 4 GiB - 1 is fine to declare
    }

    [Theory]
    [InlineData("boot.cfg")]
    [InlineData("LONGFILENAME.TXT")]
    [InlineData("EFI/boot/BOOTX64.EFI")]
    [InlineData("A/B/C/D/E/F/G/H/I.TXT")]
    public void InvalidNamesAreRejectedOnAdd(string path)
    {
        var e = Assert.Throws<EsxException>(() => new IsoBuilder(IsoTestData.Timestamp).Add(path, new byte[1]));
        Assert.Equal(ErrorCodes.IsoLayoutInvalid, e.Code);
        Assert.Equal(EsxErrorCategory.InvalidData, e.Category);
        Assert.Contains(path, e.Message);
    }

    [Fact]
    public void DuplicatesAndFileDirectoryClashesAreRejected()
    {
        var b = new IsoBuilder(IsoTestData.Timestamp).Add("A/B.TXT", new byte[1]);
        Assert.Throws<EsxException>(() => b.Add("A/B.TXT", new byte[1]));
        Assert.Throws<EsxException>(() => b.Add("A", new byte[1]));
        Assert.Throws<EsxException>(() => b.Add("A/B.TXT/C.TXT", new byte[1]));
        b.AddDirectory("A"); // existing directory: no-op
        Assert.True(b.ContainsFile("A/B.TXT"));
        Assert.True(b.ContainsDirectory("A"));
    }

    [Fact]
    public void BadIdentityFieldsAndBootPathsAreRejected()
    {
        var b = new IsoBuilder(IsoTestData.Timestamp).Add("A.TXT", new byte[1]);
        b.VolumeId = "lower";
        Assert.Equal(ErrorCodes.IsoLayoutInvalid, Assert.Throws<EsxException>(() => b.ComputeImageSize()).Code);
        b.VolumeId = new string('A', 33);
        Assert.Throws<EsxException>(() => b.ComputeImageSize());
        b.VolumeId = "ESXI-8.0U3-SYN";
        b.ComputeImageSize();

        b.BiosBoot = new IsoBiosBoot { Path = "ISOLINUX.BIN" };
        var e = Assert.Throws<EsxException>(() => b.ComputeImageSize());
        Assert.Contains("ISOLINUX.BIN", e.Message);
        b.BiosBoot = new IsoBiosBoot { Path = "A.TXT" };      // 1 byte: too short for a boot info table
        Assert.Throws<EsxException>(() => b.ComputeImageSize());
        b.BiosBoot.PatchBootInfoTable = false;
        b.ComputeImageSize();
        b.BootCatalogPath = "A.TXT";                         // taken by a file
        Assert.Throws<EsxException>(() => b.ComputeImageSize());

        b.Timestamp = new DateTimeOffset(1850, 1, 1, 0, 0, 0, TimeSpan.Zero);
        b.BootCatalogPath = "BOOT.CAT";
        Assert.Throws<EsxException>(() => b.ComputeImageSize());
    }

    [Fact]
    public void ReportsProgressUpToTheTotal()
    {
        var (builder, _) = IsoTestData.SmallBootable();
        var reports = new List<IsoWriteProgress>();
        builder.WriteTo(new MemoryStream(), new SyncProgress(reports.Add));
        long total = builder.ComputeImageSize();
        Assert.All(reports, r => Assert.Equal(total, r.TotalBytes));
        Assert.Equal(total, reports.Last().BytesWritten);
        Assert.Contains(reports, r => r.CurrentFile == "S.V00");
        Assert.Contains(reports, r => r.CurrentFile == "EFI/BOOT/BOOTX64.EFI");
        Assert.True(reports.Zip(reports.Skip(1), (x, y) => y.BytesWritten >= x.BytesWritten).All(ok => ok));
    }

    [Fact]
    public void CancellationStopsTheWrite()
    {
        var (builder, _) = IsoTestData.SmallBootable();
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.CurrentFile == "B.B00") cts.Cancel(); });
        var output = new MemoryStream();
        Assert.ThrowsAny<OperationCanceledException>(() => builder.WriteTo(output, progress, cts.Token));
        Assert.True(output.Length < builder.ComputeImageSize());
    }

    [Fact]
    public void ReadsSourcesLazilyAndDisposesThem()
    {
        int opened = 0, disposed = 0;
        var content = IsoTestData.Bytes(3000, 9);
        var b = new IsoBuilder(IsoTestData.Timestamp);
        b.AddFile("LAZY.BIN", content.Length, () => { opened++; return new TrackingStream(content, () => disposed++); });
        Assert.Equal(0, opened);
        b.ComputeImageSize();
        Assert.Equal(0, opened);
        var iso = IsoTestData.Build(b);
        Assert.Equal(1, opened);
        Assert.Equal(1, disposed);
        using var r = new IsoReader(new MemoryStream(iso));
        Assert.Equal(content, IsoTestData.ReadBytes(r.OpenFile("LAZY.BIN")));
    }

    [Fact]
    public void WriteToFileFromPathSourcesIsAtomic()
    {
        using var tmp = new TempDir();
        var src = tmp.File("src.bin");
        File.WriteAllBytes(src, IsoTestData.Bytes(100_000, 4));
        var b = new IsoBuilder(IsoTestData.Timestamp).AddFile("DATA.BIN", src);
        var dest = tmp.File("out.iso");
        b.WriteToFile(dest, overwrite: false);
        Assert.Equal(b.ComputeImageSize(), new FileInfo(dest).Length);
        Assert.Equal(ErrorCodes.ExportDestinationExists, Assert.Throws<EsxException>(() => b.WriteToFile(dest, overwrite: false)).Code);

        // The source shrinks after it was added: the write fails and the existing image is untouched.
        var before = File.ReadAllBytes(dest);
        File.WriteAllBytes(src, new byte[10]);
        Assert.Throws<EsxException>(() => b.WriteToFile(dest, overwrite: true));
        Assert.Equal(before, File.ReadAllBytes(dest));
        Assert.Equal(new[] { "out.iso", "src.bin" }, Directory.GetFiles(tmp.Path).Select(Path.GetFileName).OrderBy(x => x));
    }

    private sealed class SyncProgress : IProgress<IsoWriteProgress>
    {
        private readonly Action<IsoWriteProgress> _a;
        public SyncProgress(Action<IsoWriteProgress> a) => _a = a;
        public void Report(IsoWriteProgress value) => _a(value);
    }

    private sealed class TrackingStream : MemoryStream
    {
        private readonly Action _onDispose;
        public TrackingStream(byte[] b, Action onDispose) : base(b, false) => _onDispose = onDispose;
        protected override void Dispose(bool disposing) { if (disposing) _onDispose(); base.Dispose(disposing); }
    }
}
