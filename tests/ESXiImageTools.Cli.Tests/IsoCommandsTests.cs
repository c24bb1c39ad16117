using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ESXiImageTools.Cli;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

public class IsoCommandsTests
{
    private static (int Code, string Out, string Err) Cli(params string[] args) => CliRunner.RunHere(args);

    private static string MakeTree(TempDir tmp)
    {
        var root = tmp.File("media");
        Directory.CreateDirectory(Path.Combine(root, "efi", "boot"));
        var rnd = new Random(1);
        void Put(string rel, int size) { var b = new byte[size]; rnd.NextBytes(b); File.WriteAllBytes(Path.Combine(root, rel), b); }
        Put("isolinux.bin", 38_912);
        Put("efiboot.img", 1440 * 1024);
        Put("boot.cfg", 200);
        Put(Path.Combine("efi", "boot", "bootx64.efi"), 30_000);
        Put("s.v00", 500_000);
        return root;
    }

    [Fact]
    public void CreatesBootableImageAndListsIt()
    {
        using var tmp = new TempDir();
        var tree = MakeTree(tmp);
        var iso = tmp.File("out.iso");
        var r = Cli("iso-create", tree, "--out", iso, "--volume-id", "esxi-cli-test", "--bios-boot", "isolinux.bin", "--efi-boot", "EFIBOOT.IMG", "--timestamp", "1700000000");
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("5 files", r.Out);

        using (var reader = IsoReader.Open(iso))
        {
            Assert.Equal("ESXI-CLI-TEST", reader.Volume.VolumeId);
            Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1700000000), reader.Volume.CreatedAt);
            Assert.Equal(new FileInfo(Path.Combine(tree, "efi", "boot", "bootx64.efi")).Length, ((IsoFileEntry)reader.Find("EFI/BOOT/BOOTX64.EFI")).Size);
            Assert.Equal(2, reader.BootCatalog.Entries.Count);
        }

        var list = Cli("iso-list", iso);
        Assert.Equal(0, list.Code);
        Assert.Contains("EFI/BOOT/BOOTX64.EFI", list.Out);
        Assert.Contains("BOOT.CAT", list.Out);
        Assert.Matches(@"BIOS\s+bootable no-emulation load-segment 0x0000 sectors 4 LBA \d+  ISOLINUX.BIN", list.Out);
        Assert.Matches(@"UEFI\s+bootable no-emulation load-segment 0x0000 sectors 2880 LBA \d+  EFIBOOT.IMG", list.Out);

        var json = Cli("iso-list", iso, "--json");
        Assert.Equal(0, json.Code);
        using var doc = JsonDocument.Parse(json.Out);
        var files = doc.RootElement.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("path").GetString(), f => f.GetProperty("size").GetInt64());
        Assert.Equal(500_000, files["S.V00"]);
        Assert.Equal(2048, files["BOOT.CAT"]);
        Assert.Equal(6, files.Count);
        Assert.Equal(new[] { "EFI", "EFI/BOOT" }, doc.RootElement.GetProperty("directories").EnumerateArray().Select(d => d.GetString()));
        var entries = doc.RootElement.GetProperty("bootCatalog").GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal("BIOS", entries[0].GetProperty("platform").GetString());
        Assert.Equal("UEFI", entries[1].GetProperty("platform").GetString());
        Assert.Equal("EFIBOOT.IMG", entries[1].GetProperty("path").GetString());
    }

    [Fact]
    public void SameTimestampGivesIdenticalImagesAndForceIsNeededToReplace()
    {
        using var tmp = new TempDir();
        var tree = MakeTree(tmp);
        var a = tmp.File("a.iso");
        var b = tmp.File("b.iso");
        Assert.Equal(0, Cli("iso-create", tree, "--out", a, "--bios-boot", "ISOLINUX.BIN", "--timestamp", "1600000000").Code);
        Assert.Equal(0, Cli("iso-create", tree, "--out", b, "--bios-boot", "ISOLINUX.BIN", "--timestamp", "1600000000").Code);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));
        // --no-sync only skips waiting for the disk: the same bytes, and no temp file left beside the image.
        var c = tmp.File("c.iso");
        Assert.Equal(0, Cli("iso-create", tree, "--out", c, "--bios-boot", "ISOLINUX.BIN", "--timestamp", "1600000000", "--no-sync").Code);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(c));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(c), ".c.iso.*"));

        var again = Cli("iso-create", tree, "--out", b, "--timestamp", "1600000001");
        Assert.Equal(ExitCodes.OutputFailed, again.Code);
        Assert.Contains("ExportDestinationExists", again.Err);
        Assert.Equal(File.ReadAllBytes(a), File.ReadAllBytes(b));

        Assert.Equal(0, Cli("iso-create", tree, "--out", b, "--bios-boot", "ISOLINUX.BIN", "--timestamp", "1600000001", "--force").Code);
        Assert.NotEqual(File.ReadAllBytes(a), File.ReadAllBytes(b));
    }

    [Fact]
    public void HonoursSourceDateEpoch()
    {
        // The variable's value is passed in: setting it in this process would change every export running beside this test.
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1234567890), Commands.IsoCreateCommand.ResolveTimestamp(null, "1234567890"));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(5), Commands.IsoCreateCommand.ResolveTimestamp("5", "1234567890"));
        Assert.Equal(ErrorCodes.TimestampInvalid, Assert.Throws<EsxException>(() => Commands.IsoCreateCommand.ResolveTimestamp(null, "yesterday")).Code);
        // ISO 9660 dates reach 2155, past the zip limit of the other outputs.
        Assert.Equal(new DateTimeOffset(2150, 1, 1, 0, 0, 0, TimeSpan.Zero),
                     Commands.IsoCreateCommand.ResolveTimestamp(new DateTimeOffset(2150, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds().ToString(), null));
    }

    [Fact]
    public void InvalidNamesAndMissingBootFilesAreInvalidInput()
    {
        using var tmp = new TempDir();
        var tree = MakeTree(tmp);
        var r = Cli("iso-create", tree, "--out", tmp.File("x.iso"), "--bios-boot", "NOPE.BIN");
        Assert.Equal(ExitCodes.InvalidInput, r.Code);
        Assert.Contains("IsoLayoutInvalid", r.Err);
        Assert.Contains("NOPE.BIN", r.Err);

        File.WriteAllText(Path.Combine(tree, "much-too-long-name.txt"), "x");
        r = Cli("iso-create", tree, "--out", tmp.File("x.iso"));
        Assert.Equal(ExitCodes.InvalidInput, r.Code);
        Assert.Contains("MUCH-TOO-LONG-NAME.TXT", r.Err);
        Assert.False(File.Exists(tmp.File("x.iso")));
        Assert.Equal(new[] { "media" }, Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName));

        Assert.Equal(ExitCodes.Usage, Cli("iso-create", tree).Code);                   // --out missing
        Assert.Equal(ExitCodes.NotFound, Cli("iso-create", tmp.File("nope"), "--out", tmp.File("y.iso")).Code);
        Assert.Equal(ExitCodes.NotFound, Cli("iso-list", tmp.File("nope.iso")).Code);
    }

    [Fact]
    public void ListingAGarbageFileIsInvalidInput()
    {
        using var tmp = new TempDir();
        File.WriteAllBytes(tmp.File("junk.iso"), new byte[64 * 1024]);
        var r = Cli("iso-list", tmp.File("junk.iso"));
        Assert.Equal(ExitCodes.InvalidInput, r.Code);
        Assert.Contains("IsoInvalid", r.Err);
    }
}
