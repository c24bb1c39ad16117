using System;
using System.IO;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace ESXiImageTools.Core.Tests.Iso;

/// <summary>
/// An image written by our builder whose boot files are Debian's ISOLINUX (BIOS) and a GRUB standalone EFI
/// application in a FAT EFIBOOT.IMG (UEFI); both read MARKER.TXT through our ISO 9660 directory tree
/// (docs/formats-notes.md, "Booting an ISO under QEMU"). Nothing third-party is committed: the files come from installed packages.
/// </summary>
public sealed class BootableIsoFixture : IDisposable
{
    public const string Marker = "MARKER-FILE-CONTENT-42";
    private const string Modules = "/usr/lib/syslinux/modules/bios";

    public TempDir Dir { get; } = new TempDir("esxit-isoboot");
    public string Iso => Dir.File("boot.iso");
    public string Error { get; }

    public BootableIsoFixture()
    {
        if (!File.Exists("/usr/lib/ISOLINUX/isolinux.bin") || ExternalTools.Find("grub-mkstandalone") == null
            || ExternalTools.Find("mkfs.vfat") == null && !File.Exists("/usr/sbin/mkfs.vfat") || ExternalTools.Find("mcopy") == null)
        {
            Error = "isolinux, syslinux-common, grub-efi-amd64-bin, dosfstools or mtools is missing";
            return;
        }
        var cfg = Dir.File("isolinux.cfg");
        File.WriteAllText(cfg, "SERIAL 0 115200\nPROMPT 0\nTIMEOUT 5\nDEFAULT show\nONTIMEOUT off\nLABEL show\n  COM32 cat.c32\n  APPEND MARKER.TXT\nLABEL off\n  COM32 poweroff.c32\n");
        var grubCfg = Dir.File("grub.cfg");
        File.WriteAllText(grubCfg, "echo UEFI-GRUB-OK\ninsmod iso9660\nsearch --no-floppy --file /MARKER.TXT --set=root\necho \"root=$root\"\nls /\ncat /MARKER.TXT\nhalt\n");
        var efi = Dir.File("BOOTX64.EFI");
        Run("grub-mkstandalone", "-O x86_64-efi --locales= --fonts= --themes= " +
            "--install-modules=\"normal echo search search_fs_file iso9660 ls cat halt configfile part_msdos fat\" " +
            $"-o \"{efi}\" \"boot/grub/grub.cfg={grubCfg}\"");
        var img = Dir.File("EFIBOOT.IMG");
        Run(ExternalTools.Find("mkfs.vfat") ?? "/usr/sbin/mkfs.vfat", $"-C -n EFIBOOT \"{img}\" 2880");
        Run("mmd", $"-i \"{img}\" ::/EFI ::/EFI/BOOT");
        Run("mcopy", $"-i \"{img}\" \"{efi}\" ::/EFI/BOOT/BOOTX64.EFI");
        var marker = Dir.File("marker.txt");
        File.WriteAllText(marker, Marker + "\n");

        var b = new IsoBuilder(IsoTestData.Timestamp) { VolumeId = "ESXI-BOOTTEST" };
        b.AddFile("ISOLINUX.BIN", "/usr/lib/ISOLINUX/isolinux.bin");
        foreach (var m in new[] { "ldlinux", "libcom32", "poweroff", "cat", "libutil" })
            b.AddFile(m.ToUpperInvariant() + ".C32", Path.Combine(Modules, m + ".c32"));
        b.AddFile("ISOLINUX.CFG", cfg);
        b.AddFile("MARKER.TXT", marker);
        b.AddFile("EFIBOOT.IMG", img);
        b.AddFile("EFI/BOOT/BOOTX64.EFI", efi);
        b.BiosBoot = new IsoBiosBoot { Path = "ISOLINUX.BIN" };
        b.EfiBoot = new IsoEfiBoot { Path = "EFIBOOT.IMG" };
        b.WriteToFile(Iso, overwrite: false);
    }

    private static void Run(string tool, string args)
    {
        var (code, so, se) = ExternalTools.Run(tool, args, 60_000);
        if (code != 0) throw new InvalidOperationException($"{tool} {args} failed ({code}): {so}{se}");
    }

    public void Dispose() => Dir.Dispose();
}

/// <summary>Boots our image under SeaBIOS and OVMF (TCG) and asserts the marker on COM1, not qemu's exit code.</summary>
public class IsoBootTests : IClassFixture<BootableIsoFixture>
{
    private readonly BootableIsoFixture _f;
    private readonly ITestOutputHelper _out;

    public IsoBootTests(BootableIsoFixture f, ITestOutputHelper output) { _f = f; _out = output; }

    [Trait("Category", "Slow")]
    [ToolFact("qemu-system-x86_64", "grub-mkstandalone", "mcopy")]
    public void BootsUnderSeaBiosThroughIsolinuxReadingTheMarker()
    {
        Assert.True(_f.Error == null, _f.Error);
        var r = Qemu.BootIso(_f.Iso, Firmware.Bios, BootableIsoFixture.Marker, TimeSpan.FromSeconds(45));
        _out.WriteLine(r.ToString());
        Assert.True(r.MarkerSeen, r.ToString());
        Assert.Contains("ISOLINUX", r.SerialLog);
    }

    [Trait("Category", "Slow")]
    [ToolFact("qemu-system-x86_64", "grub-mkstandalone", "mcopy")]
    public void BootsUnderOvmfThroughGrubReadingTheMarker()
    {
        Assert.True(_f.Error == null, _f.Error);
        Assert.True(Qemu.Available(Firmware.Uefi), "OVMF is not installed");
        var r = Qemu.BootIso(_f.Iso, Firmware.Uefi, BootableIsoFixture.Marker, TimeSpan.FromSeconds(90));
        _out.WriteLine(r.ToString());
        Assert.True(r.MarkerSeen, r.ToString());
        Assert.Contains("UEFI-GRUB-OK", r.SerialLog);
        Assert.Contains("root=cd0", r.SerialLog);
    }

    [Trait("Category", "Slow")]
    [ToolFact("qemu-system-x86_64")]
    public void NegativeControlAnEfiOnlyImageDoesNotBootUnderBios()
    {
        // Proves the harness can fail: same marker file, no BIOS entry.
        using var tmp = new TempDir();
        var marker = tmp.File("m.txt");
        File.WriteAllText(marker, BootableIsoFixture.Marker + "\n");
        var b = new IsoBuilder(IsoTestData.Timestamp).AddFile("MARKER.TXT", marker).Add("EFIBOOT.IMG", new byte[1440 * 1024]);
        b.EfiBoot = new IsoEfiBoot { Path = "EFIBOOT.IMG" };
        var iso = tmp.File("efi-only.iso");
        b.WriteToFile(iso, false);
        var r = Qemu.BootIso(iso, Firmware.Bios, BootableIsoFixture.Marker, TimeSpan.FromSeconds(8));
        _out.WriteLine(r.ToString());
        Assert.False(r.MarkerSeen);
    }
}
