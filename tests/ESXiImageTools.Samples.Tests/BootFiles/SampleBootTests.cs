using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using ESXiImageTools.Samples.BootFiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Samples.Tests.BootFiles;

/// <summary>A fact that needs xorriso and qemu-system-x86_64 (and OVMF firmware when asked).
/// Skips on machines without them, never under CI (same rule as ToolFact).</summary>
public sealed class BootFactAttribute : FactAttribute
{
    public BootFactAttribute(bool needsOvmf = false)
    {
        var missing = new[] { "xorriso", "qemu-system-x86_64" }.Where(t => ExternalTools.Find(t) == null).ToList();
        if (needsOvmf && QemuBoot.FindOvmf().Code == null) missing.Add("OVMF firmware (/usr/share/OVMF)");
        if (missing.Count > 0 && !Ci.IsCi) Skip = "needs " + string.Join(", ", missing) + " (Debian packages that .ci/run installs)";
    }
}

/// <summary>Boots ISOs carrying the sample's own boot programs under SeaBIOS and OVMF and looks for the
/// marker lines on COM1. The ISO is built with xorriso for now (ESXi-like: no Rock Ridge, no Joliet).</summary>
[Collection("qemu")]   // one qemu at a time: the machine has two shared cores
public class SampleBootTests
{
    private static readonly TimeSpan BiosTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UefiTimeout = TimeSpan.FromSeconds(60);

    private static string BuildIso(TempDir dir, bool bios, bool efi, bool bootInfoTable = true)
    {
        var tree = Path.Combine(dir.Path, "tree");
        Directory.CreateDirectory(tree);
        var args = "-as mkisofs --norock -V ESXIT_SAMPLE -A ESXIMAGE -c BOOT.CAT";
        if (bios)
        {
            File.WriteAllBytes(Path.Combine(tree, "ISOLINUX.BIN"), SampleBootFiles.IsolinuxBin());
            args += " -b ISOLINUX.BIN -no-emul-boot -boot-load-size 4" + (bootInfoTable ? " -boot-info-table" : "");
        }
        if (efi)
        {
            File.WriteAllBytes(Path.Combine(tree, "EFIBOOT.IMG"), SampleBootFiles.EfiBootImg());
            args += (bios ? " -eltorito-alt-boot" : "") + " -e EFIBOOT.IMG -no-emul-boot";
        }
        var iso = dir.File("sample.iso");
        var r = ExternalTools.Run("xorriso", $"{args} -o \"{iso}\" \"{tree}\"");
        Assert.True(r.ExitCode == 0, "xorriso failed: " + r.Stderr);
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

    private static int CountLines(string serial, string line)
        => Regex.Matches(serial, "(^|\n)" + Regex.Escape(line) + "\r?\n").Count;

    [BootFact]
    public void Bios_program_boots_with_the_boot_info_table_patched_and_powers_off_q35()
    {
        using var dir = new TempDir("bootbios");
        var iso = BuildIso(dir, bios: true, efi: true, bootInfoTable: true);

        // xorriso really patched bytes 8..63: PVD at 16, our LBA, length, checksum of bytes 64..end.
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

        var run = QemuBoot.Bios(iso, dir.Path, "q35", BiosTimeout);
        Assert.True(run.ExitedByItself, $"qemu did not power off within {BiosTimeout}; serial: {run.Serial}");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, CountLines(run.Serial, SampleBootFiles.BiosMarker));
        Assert.DoesNotContain(SampleBootFiles.EfiMarker, run.Serial);
    }

    [BootFact]
    public void Bios_program_boots_without_boot_info_table_and_powers_off_pc()
    {
        using var dir = new TempDir("bootbios");
        var iso = BuildIso(dir, bios: true, efi: true, bootInfoTable: false);
        Assert.Equal(SampleBootFiles.IsolinuxBin(), ReadDefaultBootImage(iso).Image);   // unpatched

        var run = QemuBoot.Bios(iso, dir.Path, "pc", BiosTimeout);
        Assert.True(run.ExitedByItself, $"qemu did not power off within {BiosTimeout}; serial: {run.Serial}");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, CountLines(run.Serial, SampleBootFiles.BiosMarker));
    }

    [BootFact(needsOvmf: true)]
    public void Efi_program_boots_under_ovmf_writes_both_lines_and_shuts_down()
    {
        using var dir = new TempDir("bootefi");
        var iso = BuildIso(dir, bios: true, efi: true);
        var run = QemuBoot.Uefi(iso, dir.Path, UefiTimeout, stopText: "UEFI Interactive Shell");
        Assert.True(run.ExitedByItself, $"qemu did not shut down (shell reached: {run.StopTextSeen}); serial: {run.Serial}");
        Assert.Equal(0, run.ExitCode);
        Assert.Equal(1, CountLines(run.Serial, SampleBootFiles.EfiMarker));                        // COM1 port I/O
        Assert.Contains(SampleBootFiles.EfiMarker + EfiBootProgram.ConsoleSuffix, run.Serial);    // ConOut, mirrored by OVMF
        Assert.DoesNotContain(SampleBootFiles.BiosMarker, run.Serial);
    }

    [BootFact(needsOvmf: true)]
    public void Bios_only_iso_does_not_boot_under_ovmf()
    {
        using var dir = new TempDir("bootneg");
        var iso = BuildIso(dir, bios: true, efi: false);
        var run = QemuBoot.Uefi(iso, dir.Path, UefiTimeout, stopText: "UEFI Interactive Shell");
        Assert.True(run.StopTextSeen, "OVMF should give up on the CD and start its shell; serial: " + run.Serial);
        Assert.DoesNotContain("ESXiImageTools sample", run.Serial);
    }

    [BootFact]
    public void Efi_only_iso_does_not_boot_under_seabios()
    {
        using var dir = new TempDir("bootneg");
        var iso = BuildIso(dir, bios: false, efi: true);
        var run = QemuBoot.Bios(iso, dir.Path, "pc", BiosTimeout, stopText: "No bootable device");
        Assert.True(run.StopTextSeen, "SeaBIOS should report no bootable device; serial: " + run.Serial);
        Assert.DoesNotContain("ESXiImageTools sample", run.Serial);
    }
}
