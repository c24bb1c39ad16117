using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Customization;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using ICSharpCode.SharpZipLib.Tar;
using Xunit;
using static ESXiImageTools.Cli.Tests.CliRunner;

namespace ESXiImageTools.Cli.Tests;

/// <summary>
/// The ESXi-Customizer job on the committed sample: its standard profile built into an ISO with the existing <c>build</c>
/// command, then <c>customize</c> adds a real community driver from the corpus (the net55-r8168 offline bundle). Once
/// per class; the tests check the report, IMGDB.TGZ, both BOOT.CFGs, <c>verify</c>, and boot the result in QEMU.
/// </summary>
public sealed class CustomizeFixture : IDisposable
{
    public const string DriverId = "Realtek_bootbank_net55-r8168_8.045a-napi";
    public const string SampleDepot = "samples/depot/ESXi-8.0.0-sample-depot.zip";
    public static readonly long Stamp = new DateTimeOffset(2024, 7, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    public TempDir Dir { get; } = new TempDir("customize");
    public string SampleIso => Dir.File("sample.iso");
    public string CustomIso => Dir.File("custom.iso");
    public string Driver { get; }
    public (int Code, string Out, string Err) Build { get; }
    public (int Code, string Out, string Err) Refused { get; }
    public (int Code, string Out, string Err) Customize { get; }
    public string SampleSha256Before { get; }

    public CustomizeFixture()
    {
        if (!Corpus.Available) return;
        Driver = Corpus.Path("net55-r8168", "net55-r8168-8.045a-napi-offline_bundle.zip");
        var profile = CustomImageBuilder.SelectBaseProfile(DepotReader.Open(Path.Combine(RepoRoot.Path, SampleDepot)).Profiles).Name;
        Build = Run(RepoRoot.Path, "build", "--depot", SampleDepot, "--profile", profile, "--name", profile, "--trust-cert", TestSigning.SampleCertificateFile, "--iso", SampleIso, "--timestamp", Stamp.ToString());
        SampleSha256Before = VibVerifier.Sha256OfFile(SampleIso);
        // The real driver depends on com.vmware.driverAPI-9.2.2.0 (ESXi 5.5's vmklinux driver API), which no ESXi 7+ base
        // provides, the sample's neither (its vmkapi_2_2_0_0 it does).
        Refused = Run(Dir.Path, "customize", "--source", SampleIso, "--add", Driver, "--out", Dir.File("refused.iso"));
        Customize = Run(Dir.Path, "customize", "--source", "sample.iso", "--add", Driver, "--out", "custom.iso", "--force", "--timestamp", Stamp.ToString());
    }

    public void Dispose() => Dir.Dispose();
}

[Collection("qemu")]
public class CustomizeCommandTests : IClassFixture<CustomizeFixture>
{
    private readonly CustomizeFixture _f;

    public CustomizeCommandTests(CustomizeFixture f) => _f = f;

    private static string ReadText(IsoReader r, string path)
    {
        using var s = r.OpenFile(path);
        return new StreamReader(s, Encoding.ASCII).ReadToEnd();
    }

    [CorpusFact]
    public void Customize_adds_the_corpus_driver_lowers_acceptance_and_reports_it()
    {
        Assert.True(_f.Build.Code == 0, _f.Build.Err);
        Assert.True(_f.Customize.Code == 0, _f.Customize.Err + _f.Customize.Out);
        var o = _f.Customize.Out;
        Assert.Contains("base      ESXi-8.0.0-20513097-sample-standard", o);
        Assert.Contains("added     " + CustomizeFixture.DriverId, o);
        Assert.Contains("warning:  the acceptance level of profile", o);
        Assert.Contains("lowered from PartnerSupported to CommunitySupported", o);
        Assert.Contains("com.vmware.driverAPI-9.2.2.0", o);                        // the forced-through dependency is said
        Assert.Contains("acceptance CommunitySupported", o);
        Assert.Contains("wrote     " + _f.CustomIso, o);

        var depot = DepotReader.Open(_f.CustomIso);
        var profile = Assert.Single(depot.Profiles);
        Assert.Equal("ESXi-8.0.0-20513097-sample-standard-customized", profile.Name);
        Assert.Contains(profile.Packages, p => p.Id == CustomizeFixture.DriverId);
        Assert.Equal(AcceptanceLevel.CommunitySupported, profile.AcceptanceLevel);
        Assert.Empty(depot.UnavailablePackages);
    }

    [CorpusFact]
    public void The_source_iso_is_only_read()
    {
        Assert.Equal(_f.SampleSha256Before, VibVerifier.Sha256OfFile(_f.SampleIso));
    }

    [CorpusFact]
    public void No_sync_writes_the_same_image()
    {
        var r = Run(_f.Dir.Path, "customize", "--source", "sample.iso", "--add", _f.Driver, "--out", "custom-nosync.iso", "--force",
            "--timestamp", CustomizeFixture.Stamp.ToString(), "--no-sync");
        Assert.True(r.Code == 0, r.Err);
        Assert.Equal(VibVerifier.Sha256OfFile(_f.Dir.File("custom.iso")), VibVerifier.Sha256OfFile(_f.Dir.File("custom-nosync.iso")));
    }

    /// <summary>The same driver as the community knew it before it was a VIB: its payload is an OEM.tgz (module + map).</summary>
    [CorpusFact]
    public void An_oem_tgz_is_packaged_on_the_fly_and_listed_in_the_image()
    {
        var real = DepotReader.Open(_f.Driver).Packages.Single();
        var oem = _f.Dir.File("r8168-OEM.tgz");
        using (var s = real.Content.OpenPayload(real.Payloads.Single()))
        using (var f = File.Create(oem)) s.CopyTo(f);
        var r = Run(_f.Dir.Path, "customize", "--source", "sample.iso", "--add", "r8168-OEM.tgz", "--oem-vendor", "Realtek",
                    "--oem-version", "8.045a-1", "--out", "oem.iso", "--json");
        Assert.True(r.Code == 0, r.Err + r.Out);
        using var doc = System.Text.Json.JsonDocument.Parse(r.Out);
        Assert.Equal(oem + " -> Realtek_bootbank_r8168-OEM_8.045a-1", doc.RootElement.GetProperty("converted")[0].GetString());
        Assert.Equal("CommunitySupported", doc.RootElement.GetProperty("acceptanceLevel").GetString());

        using var iso = IsoReader.Open(_f.Dir.File("oem.iso"));
        var descriptor = Assert.Single(IsoContents.TarGzTextFiles(iso, "IMGDB.TGZ"), kv => kv.Value.Contains("<name>r8168-OEM</name>")).Value;
        Assert.Contains("<file>usr/lib/vmware/vmkmod/r8168</file>", descriptor);
        Assert.Contains("<file>etc/vmware/driver.map.d/r8168.map</file>", descriptor);
        Assert.Contains(BootCfg.Parse(ReadText(iso, "BOOT.CFG")).Modules, m => m.StartsWith("/r8168_oe.", StringComparison.Ordinal));
        Assert.Equal(0, Run(_f.Dir.Path, "verify", "oem.iso").Code);
    }

    [CorpusFact]
    public void Without_force_the_missing_dependency_refuses_the_build_and_writes_nothing()
    {
        Assert.Equal(ExitCodes.InvalidInput, _f.Refused.Code);
        Assert.Contains("com.vmware.driverAPI-9.2.2.0", _f.Refused.Err);
        Assert.DoesNotContain("   at ", _f.Refused.Err);
        Assert.False(File.Exists(_f.Dir.File("refused.iso")));
    }

    /// <summary>The sample ISO's component bulletins survive customize (the added driver, an ESXi 5.5 VIB, brings none).</summary>
    [CorpusFact]
    public void Imgdb_keeps_the_source_isos_component_bulletins()
    {
        static string[] Bulletins(string iso)
        {
            using var r = IsoReader.Open(iso);
            return IsoContents.TarGzTextFiles(r, "IMGDB.TGZ").Keys.Where(k => k.StartsWith(EsxImageLayout.BulletinsDir, StringComparison.Ordinal) && k.EndsWith(".xml", StringComparison.Ordinal))
                              .OrderBy(k => k, StringComparer.Ordinal).ToArray();
        }
        Assert.True(_f.Customize.Code == 0, _f.Customize.Err);
        var source = Bulletins(_f.SampleIso);
        Assert.NotEmpty(source);
        Assert.Equal(source, Bulletins(_f.CustomIso));
    }

    [CorpusFact]
    public void Imgdb_and_both_boot_cfgs_list_the_driver()
    {
        using var r = IsoReader.Open(_f.CustomIso);
        var imgdb = IsoContents.TarGzTextFiles(r, "IMGDB.TGZ");
        var descriptor = Assert.Single(imgdb, kv => kv.Key.StartsWith(EsxImageLayout.VibsDir, StringComparison.Ordinal) && kv.Value.Contains("<name>net55-r8168</name>"));
        Assert.Contains("<acceptance-level>community</acceptance-level>", descriptor.Value);
        var profileXml = Assert.Single(imgdb, kv => kv.Key.StartsWith(EsxImageLayout.ProfilesDir, StringComparison.Ordinal)).Value;
        Assert.Contains("<vib-id>" + CustomizeFixture.DriverId + "</vib-id>", profileXml);

        var bios = BootCfg.Parse(ReadText(r, "BOOT.CFG"));
        var efi = BootCfg.Parse(ReadText(r, "EFI/BOOT/BOOT.CFG"));
        Assert.Equal(bios.Modules, efi.Modules);
        var module = Assert.Single(bios.Modules, m => m.StartsWith("/net55_r8.", StringComparison.Ordinal));
        Assert.NotNull(r.Find(module));
        Assert.Contains(">" + module.TrimStart('/') + "<", profileXml);             // IMGDB maps the payload to that file

        // The driver's payload on the ISO is the corpus bytes, unchanged.
        var real = DepotReader.Open(_f.Driver).Packages.Single();
        using var s = r.OpenFile(module);
        Assert.Equal(real.Payloads.Single().Sha256, VibVerifier.Sha256(s).Sha256);
    }

    [CorpusFact]
    public void Verify_finds_no_problem_in_the_customized_iso()
    {
        var v = Run(_f.Dir.Path, "verify", "custom.iso");
        Assert.True(v.Code == 0, v.Out + v.Err);
        Assert.Contains("no problems found", v.Out);
    }

    [Trait("Category", "Slow")]
    [CorpusQemuFact(Firmware.Bios)]
    public void Customized_iso_boots_under_seabios()
    {
        Assert.True(_f.Customize.Code == 0, _f.Customize.Err);
        var run = Qemu.BootIso(_f.CustomIso, Firmware.Bios, "ESXiImageTools sample BIOS", TimeSpan.FromSeconds(30));
        Assert.True(run.MarkerSeen, run.ToString());
    }

    [Trait("Category", "Slow")]
    [CorpusQemuFact(Firmware.Uefi)]
    public void Customized_iso_boots_under_ovmf()
    {
        Assert.True(_f.Customize.Code == 0, _f.Customize.Err);
        var run = Qemu.BootIso(_f.CustomIso, Firmware.Uefi, "ESXiImageTools sample EFI", TimeSpan.FromSeconds(60));
        Assert.True(run.MarkerSeen, run.ToString());
    }

    [Fact]
    public void Customize_usage_errors_are_code_2()
    {
        using var tmp = new TempDir();
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "customize", "--add", "x.vib", "--out", "a.iso").Code);
        Assert.Equal(ExitCodes.Usage, Run(tmp.Path, "customize", "--source", "a.iso", "--add", "x.vib").Code);
        var r = Run(tmp.Path, "customize", "--source", "missing.iso", "--out", "a.txt");
        Assert.Equal(ExitCodes.Usage, r.Code);                                       // the output kind is checked first
        Assert.Contains(".iso", r.Err);
        Assert.Equal(ExitCodes.NotFound, Run(tmp.Path, "customize", "--source", "missing.iso", "--out", "a.iso").Code);
    }
}

/// <summary>A QEMU boot of an image made from the corpus: skips (outside CI) when either QEMU or the corpus is missing.</summary>
public sealed class CorpusQemuFactAttribute : FactAttribute
{
    public CorpusQemuFactAttribute(Firmware firmware) => Skip = Corpus.SkipReason ?? new QemuFactAttribute(firmware).Skip;
}
