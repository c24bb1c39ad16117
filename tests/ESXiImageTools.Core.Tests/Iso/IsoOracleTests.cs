using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Iso;

/// <summary>An image written by our builder from a folder tree, shared by the oracle tests.</summary>
public sealed class OurIsoFixture : IDisposable
{
    public TempDir Dir { get; } = new TempDir("esxit-isooracle");
    public string Tree => Dir.File("tree");
    public string Iso => Dir.File("ours.iso");
    public Dictionary<string, byte[]> Files { get; }

    public OurIsoFixture()
    {
        var (_, files) = IsoTestData.SmallBootable();
        Files = files;
        IsoOracles.WriteTree(Tree, files);
        Directory.CreateDirectory(Path.Combine(Tree, "EMPTYDIR"));
        var b = new IsoBuilder(IsoTestData.Timestamp) { VolumeId = "ESXI-TEST-1.0" };
        foreach (var k in files.Keys) b.AddFile(k, Path.Combine(Tree, k));
        b.AddDirectory("EMPTYDIR");
        b.BiosBoot = new IsoBiosBoot { Path = "ISOLINUX.BIN" };
        b.EfiBoot = new IsoEfiBoot { Path = "EFIBOOT.IMG" };
        b.WriteToFile(Iso, overwrite: false);
    }

    public void Dispose() => Dir.Dispose();
}

/// <summary>Independent readers (isovfy, isoinfo, xorriso, 7z) accept what we write and see what our reader sees.</summary>
public class IsoOracleTests : IClassFixture<OurIsoFixture>
{
    private readonly OurIsoFixture _f;

    public IsoOracleTests(OurIsoFixture f) => _f = f;

    [ToolFact("isovfy")]
    public void IsovfyFindsNoErrors()
    {
        var output = IsoOracles.Run("isovfy", $"\"{_f.Iso}\"");
        Assert.Contains("No errors found", output);
    }

    [ToolFact("isoinfo")]
    public void IsoinfoDescribesTheVolume()
    {
        var d = IsoOracles.Run("isoinfo", $"-d -i \"{_f.Iso}\"");
        using var r = IsoReader.Open(_f.Iso);
        Assert.Contains("Volume id: ESXI-TEST-1.0", d);
        Assert.Contains("Application id: ESXIMAGE", d);
        Assert.Contains("Logical block size is: 2048", d);
        Assert.Contains($"Volume size is: {new FileInfo(_f.Iso).Length / 2048}", d);
        Assert.Contains("NO Joliet present", d);
        Assert.Contains("NO Rock Ridge present", d);
        Assert.Contains($"El Torito VD version 1 found, boot catalog is in sector {r.BootCatalog.Lba}", d);
        Assert.Contains("Nsect 4", d);
        Assert.Matches(@"Boot media 0 \(No Emulation Boot\)", d);
    }

    [ToolFact("isoinfo")]
    public void IsoinfoListsTheSameEntriesSizesAndLbasAsOurReader()
    {
        var theirs = IsoOracles.IsoInfoListing(_f.Iso);
        using var r = IsoReader.Open(_f.Iso);
        var ours = IsoOracles.OurListing(r);
        Assert.Equal(ours.OrderBy(k => k.Key), theirs.OrderBy(k => k.Key));
        Assert.Contains("EFI/BOOT/BOOTX64.EFI", theirs.Keys);
        Assert.Contains("README", theirs.Keys);
        Assert.Equal(0, theirs["EMPTY.TXT"].Size);
    }

    [ToolFact("isoinfo")]
    public void IsoinfoExtractsFileContents()
    {
        var (code, so, se) = ExternalTools.Run("sh", $"-c \"isoinfo -i '{_f.Iso}' -x '/UPGRADE/PRECHECK.PY;1' | sha256sum\"");
        Assert.Equal(0, code);
        var expected = Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(_f.Files["UPGRADE/PRECHECK.PY"])).ToLowerInvariant();
        Assert.StartsWith(expected, so.Trim());
    }

    [ToolFact("7z")]
    public void SevenZipListsTheSameFilesAndSizes()
    {
        var theirs = IsoOracles.SevenZipListing(_f.Iso);
        using var r = IsoReader.Open(_f.Iso);
        var ours = r.Files.ToDictionary(f => f.Path, f => f.Size);
        Assert.Equal(ours.OrderBy(k => k.Key), theirs.OrderBy(k => k.Key));
    }

    [ToolFact("xorriso")]
    public void XorrisoReportsBothBootEntries()
    {
        using var r = IsoReader.Open(_f.Iso);
        uint bios = ((IsoFileEntry)r.Find("ISOLINUX.BIN")).Lba, efi = ((IsoFileEntry)r.Find("EFIBOOT.IMG")).Lba;
        var plain = IsoOracles.Run("xorriso", $"-indev \"{_f.Iso}\" -report_el_torito plain");
        Assert.Matches($@"El Torito catalog\s+:\s+{r.BootCatalog.Lba}\s", plain);
        Assert.Matches($@"El Torito boot img :\s+1\s+BIOS\s+y\s+none\s+0x0000\s+0x00\s+4\s+{bios}\s", plain);
        Assert.Matches($@"El Torito boot img :\s+2\s+UEFI\s+y\s+none\s+0x0000\s+0x00\s+5760\s+{efi}\s", plain);
        Assert.Matches(@"El Torito img opts :\s+1\s+boot-info-table", plain);
        Assert.Contains("El Torito cat path : /BOOT.CAT", plain);

        var mk = Regex.Replace(IsoOracles.Run("xorriso", $"-indev \"{_f.Iso}\" -report_el_torito as_mkisofs"), @"\s+", " ");
        Assert.Contains("-b '/ISOLINUX.BIN' -no-emul-boot -boot-load-size 4 -boot-info-table -eltorito-alt-boot -e '/EFIBOOT.IMG' -no-emul-boot", mk);
        Assert.Contains("-V 'ESXI-TEST-1.0'", mk);
    }

    [ToolFact("xorriso")]
    public void OsirroxExtractsTheSameContents()
    {
        var outDir = _f.Dir.File("osirrox");
        IsoOracles.Run("xorriso", $"-osirrox on -indev \"{_f.Iso}\" -extract / \"{outDir}\"");
        foreach (var kv in _f.Files)
        {
            var got = File.ReadAllBytes(Path.Combine(outDir, kv.Key));
            if (kv.Key == "ISOLINUX.BIN") { Assert.Equal(kv.Value.Length, got.Length); Assert.Equal(kv.Value.Skip(64), got.Skip(64)); }
            else Assert.Equal(kv.Value, got);
        }
        Assert.Equal(2048, new FileInfo(Path.Combine(outDir, "BOOT.CAT")).Length);
        Assert.True(Directory.Exists(Path.Combine(outDir, "EMPTYDIR")));
    }
}

/// <summary>Our reader reads images made by genisoimage and xorriso (with and without Joliet / Rock Ridge).</summary>
public class IsoReaderForeignImageTests
{
    private static Dictionary<string, byte[]> Tree(string root)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["ISOLINUX.BIN"] = IsoTestData.Bytes(38_912, 11),
            ["EFIBOOT.IMG"] = IsoTestData.Bytes(1440 * 1024, 12),
            ["BOOT.CFG"] = IsoTestData.Bytes(321, 13),
            ["S.V00"] = IsoTestData.Bytes(777_777, 14),
            ["NOEXT"] = IsoTestData.Bytes(5, 15),
            ["EFI/BOOT/BOOTX64.EFI"] = IsoTestData.Bytes(20_000, 16),
            ["UPGRADE/A/B/DEEP.TXT"] = IsoTestData.Bytes(3, 17),
        };
        for (int i = 0; i < 120; i++) files[$"DRV{i:000}.V00"] = IsoTestData.Bytes(100 + i * 37, 100 + i);
        IsoOracles.WriteTree(root, files);
        return files;
    }

    private const string Boot = "-b ISOLINUX.BIN -c BOOT.CAT -no-emul-boot -boot-load-size 4 -boot-info-table -eltorito-alt-boot -e EFIBOOT.IMG -no-emul-boot";

    private static void CheckAgainstIsoinfo(string iso, Dictionary<string, byte[]> files, string expectedVolumeId, bool expectJoliet)
    {
        using var r = IsoReader.Open(iso);
        Assert.Equal(expectedVolumeId, r.Volume.VolumeId);
        Assert.Equal(expectJoliet, r.Volume.HasJoliet);
        var theirs = IsoOracles.IsoInfoListing(iso);
        Assert.Equal(theirs.OrderBy(k => k.Key), IsoOracles.OurListing(r).OrderBy(k => k.Key));
        foreach (var kv in files)
        {
            var got = IsoTestData.ReadBytes(r.OpenFile(kv.Key));
            if (kv.Key == "ISOLINUX.BIN") Assert.Equal(kv.Value.Skip(64), got.Skip(64));
            else Assert.Equal(kv.Value, got);
        }
        var cat = r.BootCatalog;
        Assert.Equal(2, cat.Entries.Count);
        Assert.Equal(((IsoFileEntry)r.Find("ISOLINUX.BIN")).Lba, cat.Entries[0].Lba);
        Assert.Equal(4, cat.Entries[0].SectorCount);
        Assert.True(cat.Entries[1].IsEfi);
        Assert.Equal(((IsoFileEntry)r.Find("EFIBOOT.IMG")).Lba, cat.Entries[1].Lba);
        Assert.Equal(2880, cat.Entries[1].SectorCount);
    }

    [ToolFact("genisoimage", "isoinfo")]
    public void ReadsGenisoimageImages()
    {
        using var tmp = new TempDir();
        var tree = tmp.File("tree");
        Tree(tree);
        // genisoimage patches the boot file in place: give it a copy of the tree.
        IsoOracles.Run("genisoimage", $"-quiet -V GENISO -o \"{tmp.File("g.iso")}\" {Boot} \"{tree}\"");
        CheckAgainstIsoinfo(tmp.File("g.iso"), Tree(tmp.File("tree2")), "GENISO", false);
        IsoOracles.Run("genisoimage", $"-quiet -J -R -V GENJR -o \"{tmp.File("gjr.iso")}\" {Boot} \"{tree}\"");
        CheckAgainstIsoinfo(tmp.File("gjr.iso"), Tree(tmp.File("tree3")), "GENJR", true);
    }

    [ToolFact("xorriso", "isoinfo")]
    public void ReadsXorrisoImages()
    {
        using var tmp = new TempDir();
        var tree = tmp.File("tree");
        var files = Tree(tree);
        IsoOracles.Run("xorriso", $"-as mkisofs --norock -V XORR -o \"{tmp.File("x.iso")}\" {Boot} \"{tree}\"");
        CheckAgainstIsoinfo(tmp.File("x.iso"), files, "XORR", false);
        IsoOracles.Run("xorriso", $"-as mkisofs -J -V XORRJR -o \"{tmp.File("xjr.iso")}\" {Boot} \"{tree}\"");
        CheckAgainstIsoinfo(tmp.File("xjr.iso"), files, "XORRJR", true);
    }
}
