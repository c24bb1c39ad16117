using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Iso;
using Xunit;

namespace ESXiImageTools.Core.Tests.Iso;

public class IsoReaderTests
{
    private const int S = 2048;

    [Fact]
    public void RoundTripsTreeContentsAndBootCatalog()
    {
        var (builder, files) = IsoTestData.SmallBootable();
        var iso = IsoTestData.Build(builder);
        using var r = new IsoReader(new MemoryStream(iso), "small.iso");

        Assert.Equal("ESXI-TEST-1.0", r.Volume.VolumeId);
        Assert.Equal("ESXIMAGE", r.Volume.ApplicationId);
        Assert.Equal("", r.Volume.SystemId);
        Assert.Equal((uint)(iso.Length / S), r.Volume.VolumeSpaceSize);
        Assert.Equal(IsoTestData.Timestamp, r.Volume.CreatedAt);
        Assert.False(r.Volume.HasJoliet);

        var expectedPaths = files.Keys.Concat(new[] { "BOOT.CAT" }).OrderBy(x => x, StringComparer.Ordinal);
        Assert.Equal(expectedPaths, r.Files.Select(f => f.Path).OrderBy(x => x, StringComparer.Ordinal));
        foreach (var kv in files)
        {
            var f = (IsoFileEntry)r.Find(kv.Key);
            Assert.Equal(kv.Value.Length, f.Size);
            Assert.Equal(IsoTestData.Timestamp, f.RecordedAt);
            var read = IsoTestData.ReadBytes(r.OpenFile(f));
            if (kv.Key == "ISOLINUX.BIN") Assert.Equal(kv.Value.Skip(64), read.Skip(64));   // bytes 8..63 patched
            else Assert.Equal(kv.Value, read);
        }
        Assert.Equal(new[] { "B.B00", "BOOT.CAT", "BOOT.CFG", "EFI", "EFIBOOT.IMG", "EMPTY.TXT", "EMPTYDIR", "ISOLINUX.BIN", "README", "S.V00", "UPGRADE" },
            r.Root.Children.Select(c => c.Name));
        Assert.True(r.Find("/efi/boot/bootx64.efi;1") is IsoFileEntry);   // case-insensitive, version optional
        Assert.Null(r.Find("EFI/NOPE"));

        var cat = r.BootCatalog;
        Assert.NotNull(cat);
        Assert.Equal(((IsoFileEntry)r.Find("BOOT.CAT")).Lba, cat.Lba);
        Assert.Equal(2, cat.Entries.Count);
        var bios = cat.Entries[0];
        Assert.True(bios.IsDefault && bios.Bootable && bios.IsNoEmulation);
        Assert.Equal(0, bios.Platform);
        Assert.Equal(4, bios.SectorCount);
        Assert.Equal(((IsoFileEntry)r.Find("ISOLINUX.BIN")).Lba, bios.Lba);
        var efi = cat.Entries[1];
        Assert.True(efi.IsEfi && efi.Bootable && efi.IsNoEmulation && !efi.IsDefault);
        Assert.Equal(5760, efi.SectorCount);
        Assert.Equal(((IsoFileEntry)r.Find("EFIBOOT.IMG")).Lba, efi.Lba);
    }

    [Fact]
    public void FileStreamsSeek()
    {
        var content = IsoTestData.Bytes(10_000, 3);
        using var r = new IsoReader(new MemoryStream(IsoTestData.Build(new IsoBuilder(IsoTestData.Timestamp).Add("X.BIN", content))));
        using var s = r.OpenFile("X.BIN");
        s.Seek(9_990, SeekOrigin.Begin);
        var buf = new byte[100];
        int n = s.Read(buf, 0, 100);
        Assert.Equal(10, n);
        Assert.Equal(content.Skip(9_990), buf.Take(10));
        Assert.Equal(0, s.Read(buf, 0, 100));
    }

    [Fact]
    public void MissingFileIsNotFound()
    {
        using var r = new IsoReader(new MemoryStream(IsoTestData.Build(new IsoBuilder(IsoTestData.Timestamp).Add("X.BIN", new byte[1]))));
        Assert.Equal(ErrorCodes.FileNotFound, Assert.Throws<EsxException>(() => r.OpenFile("Y.BIN")).Code);
    }

    private static byte[] TwoLevelImage()
    {
        var b = new IsoBuilder(IsoTestData.Timestamp).Add("SUB/INNER/A.TXT", new byte[] { 1, 2, 3 }).Add("TOP.TXT", new byte[] { 4 });
        return IsoTestData.Build(b);
    }

    private static int RecordOffset(byte[] iso, uint dirLba, string id)
    {
        int start = (int)dirLba * S;
        for (int pos = 0; pos < S;)
        {
            int len = iso[start + pos];
            if (len == 0) break;
            if (Encoding.ASCII.GetString(iso, start + pos + 33, iso[start + pos + 32]) == id) return start + pos;
            pos += len;
        }
        throw new InvalidOperationException(id + " not found");
    }

    private static void PutBoth32(byte[] b, int o, uint v) => IsoEncoding.WriteBoth32(b, o, v);

    private static EsxFormatException AssertInvalid(byte[] iso)
    {
        var e = Assert.ThrowsAny<EsxFormatException>(() => new IsoReader(new MemoryStream(iso), "bad.iso"));
        Assert.Equal(ErrorCodes.IsoInvalid, e.Code);
        Assert.Equal("bad.iso", e.File);
        return e;
    }

    [Fact]
    public void DirectoryLoopIsDetected()
    {
        var iso = TwoLevelImage();
        uint root = BitConverter.ToUInt32(iso, 16 * S + 158);
        uint sub = BitConverter.ToUInt32(iso, RecordOffset(iso, root, "SUB") + 2);
        // INNER points back at SUB: SUB -> INNER(=SUB) -> ...
        PutBoth32(iso, RecordOffset(iso, sub, "INNER") + 2, sub);
        Assert.Contains("loop", AssertInvalid(iso).Message);
    }

    [Fact]
    public void HugeDirectorySizeIsRejectedWithoutAllocating()
    {
        var iso = TwoLevelImage();
        PutBoth32(iso, 16 * S + 156 + 10, 0xFFFF_F800);
        AssertInvalid(iso);
        iso = TwoLevelImage();
        PutBoth32(iso, 16 * S + 156 + 10, 8 * 1024 * 1024);   // under the bound but beyond the image
        Assert.Contains("beyond the end", AssertInvalid(iso).Message);
    }

    [Fact]
    public void MalformedRecordsAndTruncationAreRejected()
    {
        var iso = TwoLevelImage();
        uint root = BitConverter.ToUInt32(iso, 16 * S + 158);
        iso[RecordOffset(iso, root, "TOP.TXT;1")] = 20;   // shorter than any record
        AssertInvalid(iso);

        AssertInvalid(TwoLevelImage().Take(17 * S).ToArray());                      // no terminator, no PVD-referenced dirs
        AssertInvalid(new byte[40 * S]);                                          // no CD001
        Assert.ThrowsAny<EsxFormatException>(() => new IsoReader(new MemoryStream(new byte[100])));

        iso = TwoLevelImage();
        iso[16 * S + 128] = 0; iso[16 * S + 129] = 2;   // logical block size 512
        AssertInvalid(iso);
    }

    [Fact]
    public void FileExtentBeyondTheImageFailsOnOpen()
    {
        var iso = TwoLevelImage();
        uint root = BitConverter.ToUInt32(iso, 16 * S + 158);
        PutBoth32(iso, RecordOffset(iso, root, "TOP.TXT;1") + 2, 1_000_000);
        using var r = new IsoReader(new MemoryStream(iso), "bad.iso");
        Assert.Equal(ErrorCodes.IsoInvalid, Assert.ThrowsAny<EsxFormatException>(() => r.OpenFile("TOP.TXT")).Code);
    }

    [Fact]
    public void BadBootCatalogChecksumIsRejected()
    {
        var (builder, _) = IsoTestData.SmallBootable();
        var iso = IsoTestData.Build(builder);
        uint cat = BitConverter.ToUInt32(iso, 17 * S + 71);
        iso[cat * S + 28] ^= 0xFF;
        Assert.Contains("checksum", AssertInvalid(iso).Message);
    }

    [Theory]
    [InlineData("B.B00;1")]
    [InlineData("b.b00;1")]
    [InlineData("B.B00;2")]
    public void Two_records_of_one_name_are_an_IsoInvalid_error_not_a_crash(string renamed)
    {
        var iso = IsoTestData.Build(new IsoBuilder(IsoTestData.Timestamp).Add("A.B00", new byte[] { 1 }).Add("B.B00", new byte[] { 2 }));
        var from = Encoding.ASCII.GetBytes("A.B00;1");
        int hits = 0;
        for (int i = 0; i + from.Length <= iso.Length; i++)
            if (Enumerable.Range(0, from.Length).All(k => iso[i + k] == from[k])) { Encoding.ASCII.GetBytes(renamed).CopyTo(iso, i); hits++; }
        Assert.True(hits >= 1);
        var e = Assert.Throws<EsxFormatException>(() => new IsoReader(new MemoryStream(iso), "dup.iso").Dispose());
        Assert.Equal(ErrorCodes.IsoInvalid, e.Code);
        Assert.Contains("two entries named", e.Message);
    }
}
