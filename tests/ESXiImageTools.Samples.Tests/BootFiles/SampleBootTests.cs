using System;
using System.Buffers.Binary;
using System.IO;
using System.Text;
using System.Text.RegularExpressions;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Samples.BootFiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Samples.Tests.BootFiles;

/// <summary>Boots ISOs carrying the sample's own boot programs under SeaBIOS and OVMF and looks for the marker
/// lines on COM1. The ISOs are written by the project's IsoBuilder (ESXi-like: no Rock Ridge, no Joliet); one
/// test masters with xorriso instead, so the BIOS program is also shown to boot from an image we did not write.</summary>
[Collection("qemu")]   // one qemu at a time: the machine has two shared cores
public class SampleBootTests
{
    private static readonly TimeSpan BiosTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UefiTimeout = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset Stamp = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static string BuildIso(TempDir dir, bool bios, bool efi, bool bootInfoTable = true)
    {
        var b = new IsoBuilder(Stamp) { VolumeId = "ESXIT_SAMPLE" };
        if (bios)
        {
            var bin = SampleBootFiles.IsolinuxBin();
            b.AddFile("ISOLINUX.BIN", bin.Length, () => new MemoryStream(bin, false));
            b.BiosBoot = new IsoBiosBoot { Path = "ISOLINUX.BIN", LoadSectors = 4, PatchBootInfoTable = bootInfoTable };
        }
        if (efi)
        {
            var img = SampleBootFiles.EfiBootImg();
            b.AddFile("EFIBOOT.IMG", img.Length, () => new MemoryStream(img, false));
            b.EfiBoot = new IsoEfiBoot { Path = "EFIBOOT.IMG" };
        }
        var iso = dir.File("sample.iso");
        b.WriteToFile(iso, overwrite: false);
        return iso;
    }

    /// <summary>The first El Torito entry's 2048-byte image as it sits in the ISO (after any patching).</summary>
    private static (byte[] Image, uint Lba) ReadDefaultBootImage(string iso)
    {
        var bytes = File.ReadAllBytes(iso);
        var brvd = 17 * 2048;
        Assert.Equal("EL TORITO SPECIFICATION", Encoding.ASCII.GetString(bytes, brvd + 7, 23));
        var catalog = (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(brvd + 71)) * 2048;
        Assert.Equal(0x88, bytes[catalog + 32]);                                          // default entry: bootable
        Assert.Equal(4, BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(catalog + 32 + 6))); // load size 4
        var lba = BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(catalog + 32 + 8));
        return (bytes.AsSpan((int)lba * 2048, 2048).ToArray(), lba);
    }

    /// <summary>Asserts that bytes 8..63 carry a correct boot info table (PVD at 16, own LBA, length, checksum) and the rest is untouched.</summary>
    private static void AssertBootInfoTablePatched(string iso)
    {
        var (image, lba) = ReadDefaultBootImage(iso);
        var generated = SampleBootFiles.IsolinuxBin();
        Assert.Equal(16u, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(8)));
        Assert.Equal(lba, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(12)));
        Assert.Equal(2048u, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(16)));
        uint sum = 0;
        for (var i = 64; i < 2048; i += 4) sum += BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(i));
        Assert.Equal(sum, BinaryPrimitives.ReadUInt32LittleEndian(image.AsSpan(20)));
        Assert.NotEqual(generated.AsSpan(8, 56).ToArray(), image.AsSpan(8, 56).ToArray());
        Assert.Equal(generated.AsSpan(64).ToArray(), image.AsSpan(64).ToArray());
    }

    private static int CountLines(string serial, string line)
        => Regex.Matches(serial, "(^|\n)" + Regex.Escape(line) + "\r?\n").Count;

    private static void AssertBiosProgramRanAndPoweredOff(QemuBootResult run)
    {
        Assert.True(run.ExitCode == 0, $"qemu did not power off by itself within {BiosTimeout}: {run}");
        Assert.Equal(1, CountLines(run.SerialLog, SampleBootFiles.BiosMarker));
        Assert.DoesNotContain(SampleBootFiles.EfiMarker, run.SerialLog);
    }

    [Trait("Category", "Slow")]
    [QemuFact]
    public void Bios_program_boots_with_the_boot_info_table_patched_and_powers_off_q35()
    {
        using var dir = new TempDir("bootbios");
        var iso = BuildIso(dir, bios: true, efi: true, bootInfoTable: true);
        AssertBootInfoTablePatched(iso);
        var run = Qemu.BootIso(iso, Firmware.Bios, SampleBootFiles.BiosMarker, BiosTimeout,
            new QemuBootOptions { BiosMachine = "q35", WaitForPowerOff = true });
        AssertBiosProgramRanAndPoweredOff(run);
    }

    [Trait("Category", "Slow")]
    [QemuFact]
    public void Bios_program_boots_without_boot_info_table_and_powers_off_pc()
    {
        using var dir = new TempDir("bootbios");
        var iso = BuildIso(dir, bios: true, efi: true, bootInfoTable: false);
        Assert.Equal(SampleBootFiles.IsolinuxBin(), ReadDefaultBootImage(iso).Image);   // unpatched
        var run = Qemu.BootIso(iso, Firmware.Bios, SampleBootFiles.BiosMarker, BiosTimeout, new QemuBootOptions { WaitForPowerOff = true });
        AssertBiosProgramRanAndPoweredOff(run);
    }

    [Trait("Category", "Slow")]
    [QemuFact(Firmware.Bios, "xorriso")]
    public void Bios_program_boots_from_an_iso_mastered_by_xorriso()
    {
        // The one image we do not write ourselves: the program must not depend on IsoBuilder's layout, and xorriso's
        // boot-info-table patch must leave it working just as ours does.
        using var dir = new TempDir("bootxorriso");
        var tree = Path.Combine(dir.Path, "tree");
        Directory.CreateDirectory(tree);
        File.WriteAllBytes(Path.Combine(tree, "ISOLINUX.BIN"), SampleBootFiles.IsolinuxBin());
        File.WriteAllBytes(Path.Combine(tree, "EFIBOOT.IMG"), SampleBootFiles.EfiBootImg());
        var iso = dir.File("xorriso.iso");
        var r = ExternalTools.Run("xorriso", "-as mkisofs --norock -V ESXIT_SAMPLE -c BOOT.CAT " +
            "-b ISOLINUX.BIN -no-emul-boot -boot-load-size 4 -boot-info-table -eltorito-alt-boot -e EFIBOOT.IMG -no-emul-boot " +
            $"-o \"{iso}\" \"{tree}\"");
        Assert.True(r.ExitCode == 0, "xorriso failed: " + r.Stderr);
        AssertBootInfoTablePatched(iso);
        var run = Qemu.BootIso(iso, Firmware.Bios, SampleBootFiles.BiosMarker, BiosTimeout, new QemuBootOptions { WaitForPowerOff = true });
        AssertBiosProgramRanAndPoweredOff(run);
    }

    [Trait("Category", "Slow")]
    [QemuFact(Firmware.Uefi)]
    public void Efi_program_boots_under_ovmf_writes_both_lines_and_shuts_down()
    {
        using var dir = new TempDir("bootefi");
        var iso = BuildIso(dir, bios: true, efi: true);
        var run = Qemu.BootIso(iso, Firmware.Uefi, SampleBootFiles.EfiMarker, UefiTimeout,
            new QemuBootOptions { WaitForPowerOff = true, StopText = "UEFI Interactive Shell" });
        Assert.True(run.ExitCode == 0, "qemu did not shut down by itself: " + run);
        Assert.Equal(1, CountLines(run.SerialLog, SampleBootFiles.EfiMarker));                        // COM1 port I/O
        Assert.Contains(SampleBootFiles.EfiMarker + EfiBootProgram.ConsoleSuffix, run.SerialLog);    // ConOut, mirrored by OVMF
        Assert.DoesNotContain(SampleBootFiles.BiosMarker, run.SerialLog);
    }

    [Trait("Category", "Slow")]
    [QemuFact(Firmware.Uefi)]
    public void Bios_only_iso_does_not_boot_under_ovmf()
    {
        using var dir = new TempDir("bootneg");
        var iso = BuildIso(dir, bios: true, efi: false);
        var run = Qemu.BootIso(iso, Firmware.Uefi, "ESXiImageTools sample", UefiTimeout, new QemuBootOptions { StopText = "UEFI Interactive Shell" });
        Assert.True(run.StopTextSeen, "OVMF should give up on the CD and start its shell: " + run);
        Assert.False(run.MarkerSeen, run.ToString());
    }

    [Trait("Category", "Slow")]
    [QemuFact]
    public void Efi_only_iso_does_not_boot_under_seabios()
    {
        using var dir = new TempDir("bootneg");
        var iso = BuildIso(dir, bios: false, efi: true);
        var run = Qemu.BootIso(iso, Firmware.Bios, "ESXiImageTools sample", BiosTimeout, new QemuBootOptions { StopText = "No bootable device" });
        Assert.True(run.StopTextSeen, "SeaBIOS should report no bootable device: " + run);
        Assert.False(run.MarkerSeen, run.ToString());
    }
}
