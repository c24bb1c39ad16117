using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Iso;
using Xunit;

namespace ESXiImageTools.Core.Tests.Iso;

/// <summary>Checks the bytes our writer produces against ECMA-119 / El Torito directly, without our reader.</summary>
public class IsoStructureTests
{
    private const int S = 2048;

    private static uint Le32(byte[] b, int o) => BitConverter.ToUInt32(b, o);
    private static uint Be32(byte[] b, int o) => (uint)(b[o] << 24 | b[o + 1] << 16 | b[o + 2] << 8 | b[o + 3]);
    private static ushort Le16(byte[] b, int o) => BitConverter.ToUInt16(b, o);
    private static ushort Be16(byte[] b, int o) => (ushort)(b[o] << 8 | b[o + 1]);

    private static uint Both32(byte[] b, int o)
    {
        Assert.Equal(Le32(b, o), Be32(b, o + 4));
        return Le32(b, o);
    }

    private static ushort Both16(byte[] b, int o)
    {
        Assert.Equal(Le16(b, o), Be16(b, o + 2));
        return Le16(b, o);
    }

    [Fact]
    public void EncodesBothEndianAndDates()
    {
        var b = new byte[32];
        IsoEncoding.WriteBoth32(b, 0, 0x01020304);
        Assert.Equal(new byte[] { 4, 3, 2, 1, 1, 2, 3, 4 }, b.Take(8).ToArray());
        IsoEncoding.WriteBoth16(b, 8, 0x0800);
        Assert.Equal(new byte[] { 0, 8, 8, 0 }, b.Skip(8).Take(4).ToArray());

        var t = new DateTimeOffset(2024, 5, 6, 9, 8, 9, 370, TimeSpan.FromHours(2)); // 07:08:09.37 UTC
        var v = new byte[17];
        IsoEncoding.WriteVolumeDate(v, 0, t);
        Assert.Equal("2024050607080937", Encoding.ASCII.GetString(v, 0, 16));
        Assert.Equal(0, v[16]);
        Assert.Equal(t, IsoEncoding.ReadVolumeDate(v, 0));
        IsoEncoding.WriteVolumeDate(v, 0, null);
        Assert.Equal("0000000000000000", Encoding.ASCII.GetString(v, 0, 16));
        Assert.Null(IsoEncoding.ReadVolumeDate(v, 0));

        var r = new byte[7];
        IsoEncoding.WriteRecordDate(r, 0, t);
        Assert.Equal(new byte[] { 124, 5, 6, 7, 8, 9, 0 }, r);
    }

    [Fact]
    public void VolumeDescriptorsAreWhereTheSpecPutsThem()
    {
        var (builder, _) = IsoTestData.SmallBootable();
        builder.PublisherId = "ESXIIMAGETOOLS";
        var iso = IsoTestData.Build(builder);
        Assert.True(iso.Take(16 * S).All(x => x == 0), "system area must be zero");
        Assert.Equal(0, iso.Length % S);

        int p = 16 * S;
        Assert.Equal(1, iso[p]);
        Assert.Equal("CD001", Encoding.ASCII.GetString(iso, p + 1, 5));
        Assert.Equal(1, iso[p + 6]);
        Assert.Equal(new string(' ', 32), Encoding.ASCII.GetString(iso, p + 8, 32));
        Assert.Equal("ESXI-TEST-1.0".PadRight(32), Encoding.ASCII.GetString(iso, p + 40, 32));
        Assert.Equal((uint)(iso.Length / S), Both32(iso, p + 80));
        Assert.Equal(1, Both16(iso, p + 120));
        Assert.Equal(1, Both16(iso, p + 124));
        Assert.Equal(2048, Both16(iso, p + 128));
        Both32(iso, p + 132);
        Assert.Equal(34, iso[p + 156]);
        Assert.Equal("ESXIIMAGETOOLS".PadRight(128), Encoding.ASCII.GetString(iso, p + 318, 128));
        Assert.Equal("ESXIMAGE".PadRight(128), Encoding.ASCII.GetString(iso, p + 574, 128));
        Assert.Equal("2024050607080900", Encoding.ASCII.GetString(iso, p + 813, 16));
        Assert.Equal("0000000000000000", Encoding.ASCII.GetString(iso, p + 847, 16));
        Assert.Equal(1, iso[p + 881]);

        int br = 17 * S;
        Assert.Equal(0, iso[br]);
        Assert.Equal("CD001", Encoding.ASCII.GetString(iso, br + 1, 5));
        Assert.Equal("EL TORITO SPECIFICATION", Encoding.ASCII.GetString(iso, br + 7, 23));
        Assert.Equal(0, iso[br + 7 + 23]);

        int term = 18 * S;
        Assert.Equal(255, iso[term]);
        Assert.Equal("CD001", Encoding.ASCII.GetString(iso, term + 1, 5));
        Assert.True(iso.Skip(term + 7).Take(S - 7).All(x => x == 0));
    }

    [Fact]
    public void BootCatalogAndBootInfoTableAreCorrect()
    {
        var (builder, files) = IsoTestData.SmallBootable();
        var iso = IsoTestData.Build(builder);
        uint catalog = Le32(iso, 17 * S + 71);
        int c = (int)catalog * S;

        int sum = 0;
        for (int i = 0; i < 32; i += 2) sum += Le16(iso, c + i);
        Assert.Equal(0, sum & 0xFFFF);
        Assert.Equal(1, iso[c]);
        Assert.Equal(0, iso[c + 1]);           // x86
        Assert.Equal(0x55, iso[c + 30]);
        Assert.Equal(0xAA, iso[c + 31]);

        Assert.Equal(0x88, iso[c + 32]);
        Assert.Equal(0, iso[c + 33]);          // no emulation
        Assert.Equal(0, Le16(iso, c + 34));    // load segment
        Assert.Equal(4, Le16(iso, c + 38));    // load size
        uint biosLba = Le32(iso, c + 40);

        Assert.Equal(0x91, iso[c + 64]);
        Assert.Equal(0xEF, iso[c + 65]);
        Assert.Equal(1, Le16(iso, c + 66));
        Assert.Equal(0x88, iso[c + 96]);
        Assert.Equal(0, iso[c + 97]);
        Assert.Equal(5760, Le16(iso, c + 102)); // 2880 KiB / 512
        uint efiLba = Le32(iso, c + 104);

        var efi = files["EFIBOOT.IMG"];
        Assert.Equal(efi, iso.Skip((int)efiLba * S).Take(efi.Length).ToArray());

        var bios = files["ISOLINUX.BIN"];
        int bo = (int)biosLba * S;
        Assert.Equal(16u, Le32(iso, bo + 8));
        Assert.Equal(biosLba, Le32(iso, bo + 12));
        Assert.Equal((uint)bios.Length, Le32(iso, bo + 16));
        uint csum = 0;
        for (int i = 64; i < bios.Length; i += 4) csum += BitConverter.ToUInt32(bios, i);
        Assert.Equal(csum, Le32(iso, bo + 20));
        Assert.True(iso.Skip(bo + 24).Take(40).All(x => x == 0));
        Assert.Equal(bios.Take(8), iso.Skip(bo).Take(8));
        Assert.Equal(bios.Skip(64), iso.Skip(bo + 64).Take(bios.Length - 64));
        // The source itself is never patched.
        Assert.NotEqual(16u, BitConverter.ToUInt32(bios, 8));
    }

    [Fact]
    public void BootInfoChecksumPadsTheLastWord()
    {
        var b = new byte[70];
        b[64] = 1; b[68] = 2; b[69] = 1;   // words: 0x00000001, 0x00000102 (zero-padded)
        Assert.Equal(0x103u, IsoStructures.BootInfoChecksum(b, 70));
    }

    [Fact]
    public void EfiOnlyImageUsesTheDefaultEntryWithEfiPlatform()
    {
        var b = new IsoBuilder(IsoTestData.Timestamp).Add("EFIBOOT.IMG", IsoTestData.Bytes(40 * 1024 * 1024, 3));
        b.EfiBoot = new IsoEfiBoot { Path = "EFIBOOT.IMG" };
        var iso = IsoTestData.Build(b);
        int c = (int)Le32(iso, 17 * S + 71) * S;
        Assert.Equal(0xEF, iso[c + 1]);
        Assert.Equal(0x88, iso[c + 32]);
        Assert.Equal(0, Le16(iso, c + 38));   // 40 MiB does not fit 16 bits of 512-byte sectors
        Assert.Equal(0, iso[c + 64]);         // no sections
    }

    /// <summary>Walks a directory extent checking that no record straddles a sector; returns the identifiers.</summary>
    private static List<string> DirectoryIds(byte[] iso, uint lba, uint size)
    {
        var ids = new List<string>();
        int start = (int)lba * S, pos = 0;
        Assert.Equal(0u, size % S);
        while (pos < size)
        {
            int len = iso[start + pos];
            if (len == 0) { pos = (pos / S + 1) * S; continue; }
            Assert.True(len % 2 == 0, "record length must be even");
            Assert.True(pos / S == (pos + len - 1) / S, $"record at {pos} straddles a sector");
            Both32(iso, start + pos + 2);
            Both32(iso, start + pos + 10);
            Both16(iso, start + pos + 28);
            ids.Add(Encoding.ASCII.GetString(iso, start + pos + 33, iso[start + pos + 32]));
            pos += len;
        }
        return ids;
    }

    [Fact]
    public void ManyFilesSpanSeveralDirectorySectorsWithoutStraddlingAndSorted()
    {
        var b = new IsoBuilder(IsoTestData.Timestamp);
        var rnd = new Random(42);
        var names = new HashSet<string>();
        while (names.Count < 400)
        {
            int len = rnd.Next(1, 9);
            var stem = new string(Enumerable.Range(0, len).Select(_ => "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_"[rnd.Next(37)]).ToArray());
            names.Add(stem + (rnd.Next(3) == 0 ? "" : "." + "V0" + rnd.Next(10)));
        }
        foreach (var n in names) b.Add("DRIVERS/" + n, new byte[] { 1 });
        var iso = IsoTestData.Build(b);

        int p = 16 * S;
        uint rootLba = Both32(iso, p + 156 + 2);
        uint rootSize = Both32(iso, p + 156 + 10);
        var rootIds = DirectoryIds(iso, rootLba, rootSize);
        Assert.Equal(new[] { "\0", "\u0001", "DRIVERS" }, rootIds);

        // Find DRIVERS' record in the root.
        int rec = (int)rootLba * S + 68;
        uint dLba = Both32(iso, rec + 2), dSize = Both32(iso, rec + 10);
        Assert.Equal(2, iso[rec + 25]);
        Assert.True(dSize >= 3 * S, "400 records need several sectors");
        var ids = DirectoryIds(iso, dLba, dSize);
        Assert.Equal(402, ids.Count);
        Assert.Equal("\0", ids[0]);
        Assert.Equal("\u0001", ids[1]);
        var files = ids.Skip(2).ToList();
        Assert.All(files, id => Assert.EndsWith(";1", id));
        Assert.All(files, id => Assert.Contains(".", id)); // "NAME.;1" for names without extension
        var bare = files.Select(f => f.Substring(0, f.Length - 2).TrimEnd('.')).ToList();
        var expected = names.OrderBy(n => n, Comparer<string>.Create(IsoNames.CompareIdentifiers)).ToList();
        Assert.Equal(expected, bare);
    }

    [Fact]
    public void PathTablesAreBreadthFirstAndMirrorEachOther()
    {
        var b = new IsoBuilder(IsoTestData.Timestamp);
        foreach (var d in new[] { "ZED/INNER/DEEP", "EFI/BOOT", "AB", "A/Z", "A/B" }) b.AddDirectory(d);
        b.Add("EFI/BOOT/X.EFI", new byte[] { 1, 2, 3 });
        var iso = IsoTestData.Build(b);
        int p = 16 * S;
        uint size = Both32(iso, p + 132);
        uint l = Le32(iso, p + 140), m = Be32(iso, p + 148);
        Assert.Equal(0u, Le32(iso, p + 144));
        Assert.NotEqual(l, m);

        var lEntries = ParsePathTable(iso, (int)l * S, (int)size, bigEndian: false);
        var mEntries = ParsePathTable(iso, (int)m * S, (int)size, bigEndian: true);
        Assert.Equal(lEntries, mEntries);
        var expected = new[]
        {
            ("\0", 1), ("A", 1), ("AB", 1), ("EFI", 1), ("ZED", 1),  // level 2, sorted by name
            ("B", 2), ("Z", 2), ("BOOT", 4), ("INNER", 5),           // level 3, by parent number then name
            ("DEEP", 9),
        };
        Assert.Equal(expected, lEntries.Select(e => (e.Name, e.Parent)).ToArray());
        // The root's path-table extent equals the PVD root record's extent.
        Assert.Equal(Both32(iso, p + 156 + 2), lEntries[0].Lba);
    }

    private static List<(string Name, int Parent, uint Lba)> ParsePathTable(byte[] iso, int start, int size, bool bigEndian)
    {
        var list = new List<(string, int, uint)>();
        int pos = 0;
        while (pos < size)
        {
            int len = iso[start + pos];
            uint lba = bigEndian ? Be32(iso, start + pos + 2) : Le32(iso, start + pos + 2);
            int parent = bigEndian ? Be16(iso, start + pos + 6) : Le16(iso, start + pos + 6);
            list.Add((Encoding.ASCII.GetString(iso, start + pos + 8, len), parent, lba));
            pos += 8 + len + (len & 1);
        }
        Assert.Equal(size, pos);
        return list;
    }
}
