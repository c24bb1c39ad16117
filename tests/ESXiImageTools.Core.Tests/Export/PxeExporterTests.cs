using System;
using System.IO;
using System.Linq;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

public class PxeExporterTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static PxeExportOptions Options(string dest) => new() { Destination = dest, Timestamp = Stamp, FlushToDisk = false };

    private static string[] Listing(string folder)
        => Directory.GetFiles(folder, "*", SearchOption.AllDirectories)
                    .Select(f => Path.GetRelativePath(folder, f).Replace('\\', '/')).OrderBy(f => f, StringComparer.Ordinal).ToArray();

    [Fact]
    public void Folder_holds_every_boot_cfg_module_the_loaders_and_the_isos_module_bytes()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var folder = tmp.File("esxi-pxe");
        var result = PxeExporter.Export(fx.Profile, Options(folder));
        Assert.Equal("Pxe", result.Kind);
        Assert.Equal(folder, result.Path);
        Assert.Equal(Listing(folder), result.Files);

        var text = File.ReadAllText(Path.Combine(folder, "boot.cfg"));
        Assert.Equal(text, File.ReadAllText(Path.Combine(folder, "efi/boot/boot.cfg")));
        var cfg = BootCfg.Parse(text);
        Assert.Equal("esxi-pxe", cfg["prefix"]);
        Assert.Equal("b.b00", cfg["kernel"]);
        Assert.Equal(PxeExporter.InstallerKernelOptions, cfg["kernelopt"]);
        var modules = new[] { cfg["kernel"] }.Concat(cfg.Modules.Select(BootCfg.ModuleFileName)).ToList();
        Assert.All(modules, m => Assert.False(m.StartsWith("/"), m));
        Assert.All(modules, m => Assert.True(File.Exists(Path.Combine(folder, m)), $"boot.cfg names {m}, which the folder lacks"));
        foreach (var loader in new[] { "mboot.c32", "mboot.efi", "efi/boot/bootx64.efi", PxeExporter.ReadmeName })
            Assert.True(File.Exists(Path.Combine(folder, loader)), loader);
        Assert.Equal(File.ReadAllBytes(Path.Combine(folder, "mboot.efi")), File.ReadAllBytes(Path.Combine(folder, "efi/boot/bootx64.efi")));
        Assert.Equal(EsxImageFixture.DefaultBootLoader()["usr/lib/vmware/isolinux/mboot.c32"], File.ReadAllBytes(Path.Combine(folder, "mboot.c32")));
        // Nothing the network boot does not load: no ISOLINUX, El Torito image or UPGRADE folder.
        Assert.DoesNotContain(result.Files, f => f.Contains("isolinux") || f.Contains("efiboot") || f.StartsWith("upgrade", StringComparison.OrdinalIgnoreCase));

        // The modules are the ISO's: the same list in the same order, each file the same bytes.
        var iso = tmp.File("same.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp, FlushToDisk = false });
        using var r = IsoReader.Open(iso);
        string isoCfgText;
        using (var s = new StreamReader(r.OpenFile("BOOT.CFG"))) isoCfgText = s.ReadToEnd();
        var isoCfg = BootCfg.Parse(isoCfgText);
        Assert.Equal(new[] { isoCfg["kernel"] }.Concat(isoCfg.Modules.Select(BootCfg.ModuleFileName)).Select(m => m.TrimStart('/')), modules);
        foreach (var m in modules)
        {
            using var s = r.OpenFile(m.ToUpperInvariant());
            var bytes = new MemoryStream();
            s.CopyTo(bytes);
            Assert.True(bytes.ToArray().AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(folder, m))), $"{m} differs from the ISO's");
        }
    }

    [Fact]
    public void Same_inputs_and_timestamp_give_identical_folders_and_the_prefix_option_is_written()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var a = tmp.File("a");
        var b = tmp.File("b");
        PxeExporter.Export(fx.Profile, new PxeExportOptions { Destination = a, Timestamp = Stamp, Prefix = "images/esxi" });
        PxeExporter.Export(fx.Profile, new PxeExportOptions { Destination = b, Timestamp = Stamp, Prefix = "images/esxi/" });
        Assert.Equal(Listing(a), Listing(b));
        foreach (var f in Listing(a))
        {
            Assert.Equal(File.ReadAllBytes(Path.Combine(a, f)), File.ReadAllBytes(Path.Combine(b, f)));
            Assert.Equal(Stamp.UtcDateTime, File.GetLastWriteTimeUtc(Path.Combine(a, f)));
        }
        Assert.Contains("prefix=images/esxi\n", File.ReadAllText(Path.Combine(a, "boot.cfg")));
        Assert.Contains("KERNEL images/esxi/mboot.c32", File.ReadAllText(Path.Combine(a, PxeExporter.ReadmeName)));
    }

    [Fact]
    public void An_existing_folder_is_kept_unless_overwriting_and_then_replaced_whole()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var folder = tmp.File("pxe");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "keep.txt"), "mine");
        var e = Assert.Throws<EsxException>(() => PxeExporter.Export(fx.Profile, Options(folder)));
        Assert.Equal(ErrorCodes.ExportDestinationExists, e.Code);
        Assert.Equal(new[] { "keep.txt" }, Listing(folder));

        var o = Options(folder);
        o.Overwrite = true;
        PxeExporter.Export(fx.Profile, o);
        Assert.False(File.Exists(Path.Combine(folder, "keep.txt")));
        Assert.True(File.Exists(Path.Combine(folder, "boot.cfg")));
        // No temporary or set-aside folder is left beside it.
        Assert.Equal(new[] { "depot", "pxe" }, Directory.GetDirectories(tmp.Path).Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal));

        File.WriteAllText(tmp.File("afile"), "x");
        e = Assert.Throws<EsxException>(() => PxeExporter.Export(fx.Profile, Options(tmp.File("afile"))));
        Assert.Equal(ErrorCodes.ExportDestinationExists, e.Code);
        Assert.Equal("x", File.ReadAllText(tmp.File("afile")));
    }

    [Fact]
    public void A_killed_writers_temporary_folder_is_removed_by_the_next_export_and_a_running_ones_kept()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var dead = tmp.File(".pxe.0123abcd.tmp");
        Directory.CreateDirectory(dead);
        File.WriteAllText(Path.Combine(dead, "b.b00"), "half");
        var running = tmp.File(".pxe.89abcdef.tmp");
        Directory.CreateDirectory(running);
        var notOurs = tmp.File(".pxe.backup.tmp");
        Directory.CreateDirectory(notOurs);
        using (new FileStream(running + ".lock", FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None))
            PxeExporter.Export(fx.Profile, Options(tmp.File("pxe")));
        Assert.False(Directory.Exists(dead));
        Assert.True(Directory.Exists(running));
        Assert.True(Directory.Exists(notOurs));
        Assert.True(File.Exists(tmp.File("pxe/boot.cfg")));
        Assert.False(File.Exists(tmp.File("pxe").TrimEnd('/') + ".lock"));
        Assert.Empty(Directory.GetFiles(tmp.Path, "*.lock").Where(f => !f.StartsWith(running)));
    }

    [Fact]
    public void A_cancelled_export_leaves_nothing_and_a_bad_prefix_is_refused_before_writing()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        using var cts = new CancellationTokenSource();
        int files = 0;
        var progress = new SyncProgress(p => { if (p.Phase == "Writing PXE image" && ++files == 3) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => PxeExporter.Export(fx.Profile, Options(tmp.File("pxe")), progress, cts.Token));
        Assert.Equal(new[] { "depot" }, Directory.GetFileSystemEntries(tmp.Path).Select(Path.GetFileName));

        var o = Options(tmp.File("pxe"));
        o.Prefix = "my images";
        var e = Assert.Throws<EsxException>(() => PxeExporter.Export(fx.Profile, o));
        Assert.Equal(ErrorCodes.ExportFailed, e.Code);
        Assert.Contains("prefix", e.Message);
        Assert.False(Directory.Exists(tmp.File("pxe")));
    }

    /// <summary>
    /// BIOS: iPXE (the e1000's ROM) fetches Debian's pxelinux.0 over QEMU's TFTP; pxelinux.cfg/default is the README's,
    /// so pxelinux runs the folder's mboot.c32 and that reads the folder's boot.cfg over TFTP. The sample's mboot.c32 is a
    /// text placeholder and ESXi's cannot be shipped, so a real COM32 module stands in: syslinux's cat.c32, which prints
    /// the file it is given; it takes file names only, so README's "-c" is left out of the APPEND line.
    /// </summary>
    [Trait("Category", "Slow")]
    [QemuPxeFact(Firmware.Bios)]
    public void Bios_pxelinux_runs_the_folders_mboot_c32_which_reads_its_boot_cfg_over_tftp()
    {
        using var tmp = new TempDir();
        var loader = EsxImageFixture.DefaultBootLoader();
        loader["usr/lib/vmware/isolinux/mboot.c32"] = File.ReadAllBytes("/usr/lib/syslinux/modules/bios/cat.c32");
        var fx = EsxImageFixture.Create(tmp.File("depot"), loader);
        var root = tmp.File("tftp");
        Directory.CreateDirectory(Path.Combine(root, "pxelinux.cfg"));
        PxeExporter.Export(fx.Profile, Options(Path.Combine(root, "esxi")));
        foreach (var f in QemuPxeFactAttribute.PxelinuxFiles.Where(f => !f.EndsWith(".rom") && !f.EndsWith("cat.c32")))
            File.Copy(f, Path.Combine(root, Path.GetFileName(f)));
        var readme = File.ReadAllLines(Path.Combine(root, "esxi", PxeExporter.ReadmeName));
        var kernel = readme.Single(l => l.TrimStart().StartsWith("KERNEL ")).Trim();
        var append = readme.Single(l => l.TrimStart().StartsWith("APPEND ")).Trim();
        Assert.Equal("KERNEL esxi/mboot.c32", kernel);
        Assert.Equal("APPEND -c esxi/boot.cfg", append);
        File.WriteAllText(Path.Combine(root, "pxelinux.cfg", "default"),
            $"SERIAL 0 115200\nPROMPT 0\nTIMEOUT 1\nDEFAULT install\nLABEL install\n  {kernel}\n  {append.Replace("-c ", "")}\n");
        var run = Qemu.BootNetwork(root, "pxelinux.0", Firmware.Bios, "imgpayld.tgz", TimeSpan.FromSeconds(60));
        Assert.True(run.MarkerSeen, run.ToString());
        Assert.Contains("PXELINUX", run.SerialLog);
        Assert.Contains("prefix=esxi", run.SerialLog);
        Assert.Contains("kernel=b.b00", run.SerialLog);
    }

    /// <summary>UEFI: OVMF's PXE client fetches the folder's mboot.efi over QEMU's TFTP and runs it.</summary>
    [Trait("Category", "Slow")]
    [QemuPxeFact(Firmware.Uefi)]
    public void Uefi_pxe_fetches_and_runs_the_folders_mboot_efi()
    {
        using var tmp = new TempDir();
        var loader = EsxImageFixture.DefaultBootLoader();
        loader["usr/lib/vmware/efiboot/efi/boot/bootx64.efi"] = EfiMarkerProgram();
        var fx = EsxImageFixture.Create(tmp.File("depot"), loader);
        var root = tmp.File("tftp");
        Directory.CreateDirectory(root);
        PxeExporter.Export(fx.Profile, Options(Path.Combine(root, "esxi")));
        var run = Qemu.BootNetwork(root, "esxi/mboot.efi", Firmware.Uefi, "ESXiImageTools sample EFI", TimeSpan.FromSeconds(120));
        Assert.True(run.MarkerSeen, run.ToString());
    }

    /// <summary>The sample's EFI program (samples/README.md), taken from the committed sample depot's esx-base.</summary>
    private static byte[] EfiMarkerProgram()
    {
        var depot = ESXiImageTools.Core.Depots.DepotReader.Open(Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip"));
        var esxBase = depot.Packages.Single(p => p.Name == "esx-base");
        var payload = esxBase.Payloads.Single(p => p.Type == "boot_loader_efi");
        using var s = MediaFile.OpenVerified(esxBase, payload);
        var bytes = new MemoryStream();
        s.CopyTo(bytes);
        return bytes.ToArray();
    }

    private sealed class SyncProgress : IProgress<ExportProgress>
    {
        private readonly Action<ExportProgress> _report;
        public SyncProgress(Action<ExportProgress> report) => _report = report;
        public void Report(ExportProgress value) => _report(value);
    }

    [Fact]
    public void A_live_image_boots_esxi_without_the_installer_and_keeps_the_same_modules()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var installer = tmp.File("installer");
        var live = tmp.File("live");
        PxeExporter.Export(fx.Profile, Options(installer));
        var o = Options(live);
        o.Live = true;
        var result = PxeExporter.Export(fx.Profile, o);

        var installerCfg = BootCfg.Parse(File.ReadAllText(Path.Combine(installer, "boot.cfg")));
        var text = File.ReadAllText(Path.Combine(live, "boot.cfg"));
        Assert.Equal(text, File.ReadAllText(Path.Combine(live, "efi/boot/boot.cfg")));
        // Read as lines, not through our parser: the installer's runweasel is gone, the kernelopt line is empty.
        var lines = text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Contains("kernelopt=", lines);
        Assert.DoesNotContain("runweasel", text);
        Assert.Contains("title=" + PxeExporter.LiveTitle, lines);
        Assert.Contains("runweasel", installerCfg["kernelopt"]);
        var cfg = BootCfg.Parse(text);
        Assert.Equal(installerCfg["kernel"], cfg["kernel"]);
        Assert.Equal(installerCfg.Modules, cfg.Modules);
        Assert.Equal("live", cfg["prefix"]);
        Assert.Equal(Listing(installer), Listing(live));
        Assert.Equal(Listing(live), result.Files);
        Assert.StartsWith("ESXi live PXE image", File.ReadAllText(Path.Combine(live, PxeExporter.ReadmeName)));
    }

    [Fact]
    public void Kernel_options_given_to_a_live_image_replace_its_empty_default()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var live = tmp.File("live");
        var o = Options(live);
        o.Live = true;
        o.KernelOptions = "ks=http://10.0.0.1/ks.cfg";
        PxeExporter.Export(fx.Profile, o);
        Assert.Contains("kernelopt=ks=http://10.0.0.1/ks.cfg", File.ReadAllText(Path.Combine(live, "boot.cfg")).Split('\n'));
    }
}
