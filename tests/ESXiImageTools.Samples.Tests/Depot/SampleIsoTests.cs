using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Samples.BootFiles;
using ESXiImageTools.Samples.Depot;
using ESXiImageTools.TestSupport;
using ICSharpCode.SharpZipLib.Tar;
using Xunit;

namespace ESXiImageTools.Samples.Tests.Depot;

/// <summary>
/// The user's main job on the committed sample, through the engine: the standard profile cloned, the community
/// driver added (acceptance lowered to CommunitySupported by the profiles engine), exported as an ISO.
/// </summary>
public sealed class SampleIsoFixture : IDisposable
{
    public static readonly DateTimeOffset Stamp = new(2024, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public TempDir Dir { get; } = new TempDir("sampleiso");
    public ImageProfile Profile { get; }
    public Vib Driver { get; }
    public EditResult Build { get; }
    public ExportResult Export { get; }
    public string Iso => Export.Path;

    public SampleIsoFixture()
    {
        Build = BuildCustomProfile(new ProfileBuildRequest
        {
            BaseProfile = SampleDepot.StandardProfile,
            Add = new[] { SampleDepotTests.CommittedDriver },
            AcceptanceLevel = AcceptanceLevel.CommunitySupported,
        });
        Profile = Build.Profile;
        Driver = Profile.Packages.Single(p => p.Name == SamplePackages.CommunityDriverName);
        Export = ExportIso(Profile, Dir.File("ESXi-sample-custom.iso"));
    }

    /// <summary>Opens the committed depot afresh and builds <paramref name="request"/> on it, as the CLI does.</summary>
    public static EditResult BuildCustomProfile(ProfileBuildRequest request)
    {
        var depot = DepotReader.Open(SampleDepotTests.CommittedBundle);
        return ProfileBuilder.Build(request, depot.Profiles, depot.Packages, path => DepotReader.Open(path).Packages,
                                    new ProfileEditor(() => Stamp));
    }

    public static ExportResult ExportIso(ImageProfile profile, string path)
        => IsoExporter.Export(profile, new IsoExportOptions
        {
            Destination = path,
            Timestamp = Stamp,
            // The sample's certificate, named as the README's first command names it: the export checks signatures.
            TrustStore = VibTrustStore.Create(new[] { Path.Combine(SampleDepotTests.CommittedSamples, SampleSigning.RelativePath) }, includeEnvironment: false),
        });

    public void Dispose() => Dir.Dispose();
}

[Collection("qemu")]
public class SampleIsoTests : IClassFixture<SampleIsoFixture>
{
    private static readonly TimeSpan BiosTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan UefiTimeout = TimeSpan.FromSeconds(60);
    private readonly SampleIsoFixture _f;

    public SampleIsoTests(SampleIsoFixture f) => _f = f;

    [Fact]
    public void Adding_the_community_driver_needs_the_lowered_acceptance_level()
    {
        var e = Assert.Throws<EsxProfileValidationException>(() => SampleIsoFixture.BuildCustomProfile(new ProfileBuildRequest
        {
            BaseProfile = SampleDepot.StandardProfile,
            Add = new[] { SampleDepotTests.CommittedDriver },
        }));
        Assert.Equal(ErrorCodes.AcceptanceLevelViolation, e.Code);

        Assert.Equal(AcceptanceLevel.CommunitySupported, _f.Profile.AcceptanceLevel);
        Assert.Equal(SampleDepot.CommunityDriverId, Assert.Single(_f.Build.Added).Id);
        Assert.Empty(_f.Build.Errors);
        Assert.True(_f.Build.IsValid, string.Join("; ", _f.Build.Problems));
        Assert.Equal(new[] { "esx-base", "net-community", "net-sample", "nvme-sample", "tools-light" },
            _f.Profile.Packages.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));
    }

    [Trait("Category", "Slow")]
    [QemuFact(Firmware.Bios)]
    public void Exported_iso_boots_to_the_bios_marker_under_seabios()
    {
        var run = Qemu.BootIso(_f.Iso, Firmware.Bios, SampleBootFiles.BiosMarker, BiosTimeout);
        Assert.True(run.MarkerSeen, run.ToString());
        Assert.DoesNotContain(SampleBootFiles.EfiMarker, run.SerialLog);
    }

    [Trait("Category", "Slow")]
    [QemuFact(Firmware.Uefi)]
    public void Exported_iso_boots_to_the_efi_marker_under_ovmf()
    {
        var run = Qemu.BootIso(_f.Iso, Firmware.Uefi, SampleBootFiles.EfiMarker, UefiTimeout);
        Assert.True(run.MarkerSeen, run.ToString());
        Assert.DoesNotContain(SampleBootFiles.BiosMarker, run.SerialLog);
    }

    [Fact]
    public void Boot_cfg_lists_every_module_present_in_the_image()
    {
        using var r = IsoReader.Open(_f.Iso);
        var text = Encoding.ASCII.GetString(IsoContents.ReadFile(r, "BOOT.CFG"));
        Assert.Equal(text, Encoding.ASCII.GetString(IsoContents.ReadFile(r, "EFI/BOOT/BOOT.CFG")));
        var cfg = BootCfg.Parse(text);
        var listed = new[] { cfg["kernel"] }.Concat(cfg.Modules).Select(m => BootCfg.ModuleFileName(m).TrimStart('/').ToUpperInvariant()).ToList();
        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal("B.B00", listed[0]);                                         // the kernel: esx-base's boot-order=10 payload

        // Every root file that is not part of the boot machinery itself is a module mboot must load.
        var machinery = new HashSet<string>(new[] { "BOOT.CFG", "BOOT.CAT", "ISOLINUX.CFG" }
            .Concat(BootLoaderFiles.All.Select(b => b.IsoPath)), StringComparer.Ordinal);
        var rootFiles = r.Root.Children.OfType<IsoFileEntry>().Select(f => f.Name).Where(n => !machinery.Contains(n)).ToList();
        Assert.Equal(rootFiles.OrderBy(n => n, StringComparer.Ordinal), listed.OrderBy(n => n, StringComparer.Ordinal));

        // One module per payload of every package, the community driver's included, then the image database.
        Assert.Contains("NET_COMM.V00", listed);
        Assert.Contains("JUMPSTRT.GZ", listed);
        Assert.Contains("TOOLS.T00", listed);
        // An 8.0 base: the image-database modules of the real 8.0.0 BOOT.CFG, in its order.
        Assert.Equal(new[] { "IMGDB.TGZ", "BASEMISC.TGZ", "RESVIBS.TGZ", "ESXIODPT.TGZ", "IMGPAYLD.TGZ" }, listed.Skip(listed.Count - 5));
        // Only boot, vgz and tgz payloads are modules: not the boot loaders, upgrade or text payloads.
        Assert.Equal(_f.Profile.Packages.Sum(p => p.Payloads.Count(x => x.IsBootModule)) + 5, listed.Count);
    }

    [Fact]
    public void Imgdb_holds_the_added_package_and_the_profile_with_its_files()
    {
        using var r = IsoReader.Open(_f.Iso);
        var files = IsoContents.TarGzTextFiles(r, "IMGDB.TGZ");
        var descriptors = files.Where(kv => kv.Key.StartsWith(EsxImageLayout.VibsDir, StringComparison.Ordinal)).Select(kv => kv.Value).ToList();
        Assert.Equal(_f.Profile.Packages.Count, descriptors.Count);
        var driverXml = Assert.Single(descriptors, d => d.Contains("<name>" + SamplePackages.CommunityDriverName + "</name>"));
        Assert.Contains("<acceptance-level>community</acceptance-level>", driverXml);

        var profileXml = files[EsxImageLayout.ProfilesDir + ImgDb.ProfileFileName(_f.Profile.Name)];
        Assert.Contains("<vib-id>" + SampleDepot.CommunityDriverId + "</vib-id>", profileXml);
        Assert.Contains("<acceptancelevel>community</acceptancelevel>", profileXml);
        Assert.Contains(">net_comm.v00<", profileXml);
    }

    [Fact]
    public void Boot_loaders_come_from_typed_payloads_and_the_database_modules_carry_the_base_payloads()
    {
        using var r = IsoReader.Open(_f.Iso);
        Assert.Equal(SampleBootFiles.EfiBootImg(), IsoContents.ReadFile(r, "EFIBOOT.IMG"));
        Assert.Equal(SampleBootFiles.BootX64Efi(), IsoContents.ReadFile(r, "EFI/BOOT/BOOTX64.EFI"));
        Assert.StartsWith(SampleContent.PlaceholderBanner, Encoding.UTF8.GetString(IsoContents.ReadFile(r, "UPGRADE/METADATA.XML")));
        Assert.Contains("<name>" + _f.Profile.Name + "</name>", Encoding.UTF8.GetString(IsoContents.ReadFile(r, "UPGRADE/PROFILE.XML")));
        Assert.Null(r.Find("/README"));
        foreach (var archive in new[] { "BASEMISC.TGZ", "IMGPAYLD.TGZ" })
        {
            var names = new List<string>();
            using var gz = new System.IO.Compression.GZipStream(new MemoryStream(IsoContents.ReadFile(r, archive)), System.IO.Compression.CompressionMode.Decompress);
            using var tar = new ICSharpCode.SharpZipLib.Tar.TarInputStream(gz, Encoding.UTF8);
            ICSharpCode.SharpZipLib.Tar.TarEntry e;
            while ((e = tar.GetNextEntry()) != null) if (!e.IsDirectory) names.Add(e.Name);
            Assert.Equal(new[] { "var/db/payloads/boot_iso_bios/isolinux.bin", "var/db/payloads/boot_com32_bios/mboot.c32",
                                 "var/db/payloads/eltorito_image_efi/efiboot.img", "var/db/payloads/boot_loader_efi/BOOTx64.EFI",
                                 "var/db/payloads/upgrade/metadata.xml", "var/db/payloads/text/README" }, names);
        }
    }

    [Fact]
    public void Exporting_again_gives_the_same_bytes()
    {
        // From scratch: depot opened again, profile built again, exported again.
        var again = SampleIsoFixture.BuildCustomProfile(new ProfileBuildRequest
        {
            BaseProfile = SampleDepot.StandardProfile,
            Add = new[] { SampleDepotTests.CommittedDriver },
            AcceptanceLevel = AcceptanceLevel.CommunitySupported,
        }).Profile;
        var second = SampleIsoFixture.ExportIso(again, _f.Dir.File("again.iso")).Path;
        Assert.True(File.ReadAllBytes(_f.Iso).SequenceEqual(File.ReadAllBytes(second)), "the two exports differ");
    }

    [Fact]
    public void Exported_iso_reads_back_as_a_depot_with_the_same_profile()
    {
        var depot = DepotReader.Open(_f.Iso);
        Assert.Equal(DepotKind.Iso, depot.Kind);
        Assert.Empty(depot.UnavailablePackages);
        var profile = Assert.Single(depot.Profiles);
        Assert.Equal(_f.Profile.Name, profile.Name);
        Assert.Equal(_f.Profile.Vendor, profile.Vendor);
        Assert.Equal(AcceptanceLevel.CommunitySupported, profile.AcceptanceLevel);
        Assert.Equal(_f.Profile.Packages.Select(p => p.Id).OrderBy(x => x, StringComparer.Ordinal),
                     profile.Packages.Select(p => p.Id).OrderBy(x => x, StringComparer.Ordinal));
        foreach (var original in _f.Profile.Packages)
        {
            var read = profile.Packages.Single(p => p.Id == original.Id);
            Assert.Equal(original.Payloads.Select(p => (p.Name, p.Sha256)), read.Payloads.Select(p => (p.Name, p.Sha256)));
            var digests = VibVerifier.VerifyAll(read);                    // the bytes on the ISO, hashed again
            foreach (var p in original.Payloads) Assert.Equal(p.Sha256, digests[p.Name].StoredSha256);
        }
    }

    [ToolFact("xorriso")]
    public void Xorriso_reports_the_bios_and_uefi_boot_entries()
    {
        using var r = IsoReader.Open(_f.Iso);
        uint bios = ((IsoFileEntry)r.Find("ISOLINUX.BIN")).Lba, efi = ((IsoFileEntry)r.Find("EFIBOOT.IMG")).Lba;
        var plain = IsoOracles.Run("xorriso", $"-indev \"{_f.Iso}\" -report_el_torito plain");
        Assert.Matches($@"El Torito boot img :\s+1\s+BIOS\s+y\s+none\s+0x0000\s+0x00\s+4\s+{bios}\s", plain);
        Assert.Matches($@"El Torito boot img :\s+2\s+UEFI\s+y\s+none\s+0x0000\s+0x00\s+\d+\s+{efi}\s", plain);
        Assert.Matches(@"El Torito img opts :\s+1\s+boot-info-table", plain);
    }

    [ToolFact("isoinfo")]
    public void Isoinfo_describes_the_volume_and_lists_the_same_files_as_our_reader()
    {
        using var r = IsoReader.Open(_f.Iso);
        var d = IsoOracles.Run("isoinfo", $"-d -i \"{_f.Iso}\"");
        Assert.Contains("Volume id: " + IsoExporter.VolumeIdFor(_f.Profile.Name), d);
        Assert.Contains($"El Torito VD version 1 found, boot catalog is in sector {r.BootCatalog.Lba}", d);
        Assert.Contains($"Volume size is: {new FileInfo(_f.Iso).Length / 2048}", d);
        var theirs = IsoOracles.IsoInfoListing(_f.Iso);
        Assert.Equal(IsoOracles.OurListing(r).OrderBy(k => k.Key), theirs.OrderBy(k => k.Key));
        Assert.Contains("NET_COMM.V00", theirs.Keys);
    }

    [ToolFact("7z")]
    public void SevenZip_lists_the_same_files_and_sizes_as_our_reader()
    {
        using var r = IsoReader.Open(_f.Iso);
        var theirs = IsoOracles.SevenZipListing(_f.Iso);
        Assert.Equal(r.Files.ToDictionary(f => f.Path, f => f.Size).OrderBy(k => k.Key), theirs.OrderBy(k => k.Key));
    }
}
