using System;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using ICSharpCode.SharpZipLib.Tar;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

public class IsoExporterTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static IsoExportOptions Options(string dest) => new() { Destination = dest, Timestamp = Stamp };

    [Fact]
    public void Exported_iso_has_the_esxi_layout_and_boot_catalog()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var iso = tmp.File("out.iso");
        var result = IsoExporter.Export(fx.Profile, Options(iso));
        Assert.Equal(iso, result.Path);

        using var r = IsoReader.Open(iso);
        var names = r.Files.Select(f => f.Path.TrimStart('/')).ToHashSet();
        foreach (var n in new[] { "BOOT.CFG", "EFI/BOOT/BOOT.CFG", "ISOLINUX.CFG", "ISOLINUX.BIN", "MBOOT.C32", "MENU.C32", "EFIBOOT.IMG",
                                  "EFI/BOOT/BOOTX64.EFI", "IMGDB.TGZ", "BOOT.CAT", "B.B00", "K.B00", "S.V00", "BTLDR.V00", "NET_SAMP.V00", "NVME_SAM.V00" })
            Assert.Contains(n, names);

        var cfg = BootCfg.Parse(ReadText(r, "BOOT.CFG"));
        Assert.Equal(ReadText(r, "BOOT.CFG"), ReadText(r, "EFI/BOOT/BOOT.CFG"));
        Assert.Equal("/b.b00", cfg["kernel"]);
        Assert.Equal("8.0.0-1.0.20513097", cfg["build"]);
        // Every module BOOT.CFG names is on the image, and every payload file on the image is a module.
        var modules = cfg.Modules.Select(m => BootCfg.ModuleFileName(m).TrimStart('/').ToUpperInvariant()).ToList();
        Assert.All(modules, m => Assert.Contains(m, names));
        // Boot-order payloads, then by VIB id (SampleVendor_ before VMware_), then the 8.0 image-database modules.
        Assert.Equal(new[] { "K.B00", "NET_SAMP.V00", "NVME_SAM.V00", "S.V00", "BTLDR.V00",
                             "IMGDB.TGZ", "BASEMISC.TGZ", "RESVIBS.TGZ", "ESXIODPT.TGZ", "IMGPAYLD.TGZ" }, modules);

        // Payload bytes on the image are the packages' payloads, byte for byte.
        foreach (var (vib, p, file) in new[] { (fx.Base, "s", "S.V00"), (fx.Drivers[0], "net_samp", "NET_SAMP.V00") })
        {
            var payload = vib.Payloads.Single(x => x.Name == p);
            using var s = r.OpenFile(file);
            Assert.Equal(payload.Sha256, Sha256(s));
        }
        Assert.Equal(EsxImageFixture.DefaultBootLoader()["usr/lib/vmware/isolinux/mboot.c32"], ReadBytes(r, "MBOOT.C32"));

        Assert.NotNull(r.BootCatalog);
        Assert.Equal(2, r.BootCatalog.Entries.Count);
    }

    [Fact]
    public void Imgdb_holds_every_descriptor_and_the_profile_with_its_payload_map()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var iso = tmp.File("out.iso");
        IsoExporter.Export(fx.Profile, Options(iso));
        using var r = IsoReader.Open(iso);
        var entries = IsoContents.TarGzFiles(ReadBytes(r, "IMGDB.TGZ"));
        var vibXml = entries.Where(e => e.Key.StartsWith(EsxImageLayout.VibsDir) && e.Key.EndsWith(".xml")).ToList();
        Assert.Equal(fx.Profile.Packages.Count, vibXml.Count);
        var ids = vibXml.Select(e => VibDescriptorReader.Parse(new MemoryStream(e.Value), e.Key).Id).OrderBy(x => x).ToList();
        Assert.Equal(fx.Profile.Packages.Select(p => p.Id).OrderBy(x => x), ids);
        var profileEntry = entries.Single(e => e.Key.StartsWith(EsxImageLayout.ProfilesDir) && e.Value.Length > 0);
        var doc = ProfileXml.Read(new MemoryStream(profileEntry.Value), profileEntry.Key);
        Assert.Equal(fx.Profile.Name, doc.Name);
        var baseEntry = doc.Vibs.Single(v => v.VibId == fx.Base.Id);
        Assert.Contains(baseEntry.Payloads, p => p.PayloadName == "s" && p.FileName == "s.v00");
        Assert.Contains(baseEntry.Payloads, p => p.PayloadName == "b" && p.FileName == "b.b00");
    }

    [Fact]
    public void Same_inputs_and_timestamp_give_byte_identical_isos()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        IsoExporter.Export(fx.Profile, Options(tmp.File("a.iso")));
        IsoExporter.Export(fx.Profile, Options(tmp.File("b.iso")));
        Assert.Equal(Sha256File(tmp.File("a.iso")), Sha256File(tmp.File("b.iso")));
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = tmp.File("c.iso"), Timestamp = Stamp.AddSeconds(1) });
        Assert.NotEqual(Sha256File(tmp.File("a.iso")), Sha256File(tmp.File("c.iso")));
    }

    [Fact]
    public void Existing_destination_is_kept_without_overwrite_and_replaced_with_it()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var iso = tmp.File("out.iso");
        File.WriteAllText(iso, "precious");
        var e = Assert.Throws<EsxException>(() => IsoExporter.Export(fx.Profile, Options(iso)));
        Assert.Equal(ErrorCodes.ExportDestinationExists, e.Code);
        Assert.Equal("precious", File.ReadAllText(iso));
        var o = Options(iso);
        o.Overwrite = true;
        IsoExporter.Export(fx.Profile, o);
        Assert.True(new FileInfo(iso).Length > 32 * 1024);
    }

    [Fact]
    public void A_corrupt_payload_aborts_naming_the_package_and_leaves_nothing()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var driver = fx.Drivers[1];
        // Flip one byte inside the driver's payload member in its .vib file.
        var vibPath = driver.Source;
        ArMember member;
        // Closed before the rewrite: Windows refuses to write a file another handle holds open.
        using (var read = File.OpenRead(vibPath)) member = VibFile.ListMembers(read, vibPath).Single(m => m.Name == driver.Payloads[0].Name);
        var bytes = File.ReadAllBytes(vibPath);
        bytes[member.DataOffset + member.Size / 2] ^= 0x40;
        File.WriteAllBytes(vibPath, bytes);
        var iso = tmp.File("out.iso");
        var e = Assert.Throws<EsxChecksumException>(() => IsoExporter.Export(fx.Profile, Options(iso)));
        Assert.Equal(driver.Id, e.VibId);
        Assert.Contains(driver.Id, e.Message);
        Assert.False(File.Exists(iso));
        Assert.DoesNotContain(Directory.GetFiles(tmp.Path), f => f.Contains("out"));
    }

    [Fact]
    public void Cancellation_leaves_nothing_behind()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var iso = tmp.File("out.iso");
        using var cts = new CancellationTokenSource();
        var progress = new SyncProgress(p => { if (p.Phase == "Writing ISO" && p.BytesDone > 40000) cts.Cancel(); });
        Assert.ThrowsAny<OperationCanceledException>(() => IsoExporter.Export(fx.Profile, Options(iso), progress, cts.Token));
        Assert.False(File.Exists(iso));
        Assert.Empty(Directory.GetFiles(tmp.Path));
    }

    [Fact]
    public void A_profile_without_boot_loader_files_fails_naming_them()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"), withBootLoader: false);
        var e = Assert.Throws<EsxException>(() => IsoExporter.Export(fx.Profile, Options(tmp.File("out.iso"))));
        Assert.Equal(ErrorCodes.ExportBootFileMissing, e.Code);
        Assert.Contains("isolinux.bin", e.Message);
        Assert.Contains("efiboot.img", e.Message);
        Assert.Contains("btldr", e.Message);
        Assert.False(File.Exists(tmp.File("out.iso")));
    }

    [Fact]
    public void An_invalid_profile_is_refused_unless_forced()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var (_, needy) = VibFixtures.Build(tmp.File("depot"), "needy", "1.0-1", depends: new[] { new Constraint("not-there") });
        var profile = fx.Profile with { Packages = fx.Profile.Packages.Append(needy).ToList() };
        var e = Assert.Throws<EsxProfileValidationException>(() => IsoExporter.Export(profile, Options(tmp.File("out.iso"))));
        Assert.Contains(e.Problems, p => p.Kind == ValidationProblemKind.MissingDependency);
        Assert.False(File.Exists(tmp.File("out.iso")));
        var o = Options(tmp.File("out.iso"));
        o.AllowInvalidProfile = true;
        var result = IsoExporter.Export(profile, o);
        Assert.NotEmpty(result.Warnings);
        Assert.Contains(result.Problems, p => p.Kind == ValidationProblemKind.MissingDependency);
    }

    [ToolFact("xorriso", "isoinfo", "7z")]
    public void Independent_readers_accept_the_exported_iso()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var iso = tmp.File("out.iso");
        IsoExporter.Export(fx.Profile, Options(iso));
        using var r = IsoReader.Open(iso);
        var ours = r.Files.Select(f => f.Path.TrimStart('/').ToUpperInvariant()).OrderBy(x => x, StringComparer.Ordinal).ToList();

        var x = ExternalTools.Run("xorriso", $"-indev {iso} -report_el_torito plain");
        Assert.Equal(0, x.ExitCode);
        Assert.Contains("BIOS", x.Stdout);
        Assert.Contains("UEFI", x.Stdout);

        var info = ExternalTools.Run("isoinfo", $"-d -i {iso}");
        Assert.Equal(0, info.ExitCode);
        Assert.Contains("ESXIMAGE", info.Stdout);
        var list = ExternalTools.Run("isoinfo", $"-f -i {iso}");
        var theirs = list.Stdout.Split('\n').Select(l => l.Trim()).Where(l => l.Contains(';'))
            .Select(l => l.TrimStart('/').Split(';')[0].TrimEnd('.')).OrderBy(s => s, StringComparer.Ordinal).ToList();
        Assert.Equal(ours, theirs);

        var z = ExternalTools.Run("7z", $"l -ba {iso}");
        Assert.Equal(0, z.ExitCode);
        foreach (var f in ours) Assert.Contains(f.Replace('/', Path.DirectorySeparatorChar), z.Stdout, StringComparison.OrdinalIgnoreCase);
    }

    private sealed class SyncProgress : IProgress<ExportProgress>
    {
        private readonly Action<ExportProgress> _a;
        public SyncProgress(Action<ExportProgress> a) => _a = a;
        public void Report(ExportProgress value) => _a(value);
    }

    private static string ReadText(IsoReader r, string path) => Encoding.ASCII.GetString(ReadBytes(r, path));

    private static byte[] ReadBytes(IsoReader r, string path)
    {
        using var s = r.OpenFile(path);
        var ms = new MemoryStream();
        s.CopyTo(ms);
        return ms.ToArray();
    }

    private static string Sha256(Stream s) => Convert.ToHexString(SHA256.HashData(s)).ToLowerInvariant();
    private static string Sha256File(string p) { using var s = File.OpenRead(p); return Sha256(s); }
}
