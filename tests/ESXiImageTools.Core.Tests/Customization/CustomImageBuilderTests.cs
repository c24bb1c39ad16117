using System;
using System.IO;
using System.Linq;
using ESXiImageTools.Core.Authoring;
using ESXiImageTools.Core.Customization;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.IO;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.Core.Verification;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Customization;

public class CustomImageBuilderTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);

    /// <summary>The synthetic ESXi image exported as an ISO: the "I only have the ISO" starting point.</summary>
    private static (EsxImageFixture Fixture, string Iso) BaseIso(TempDir tmp)
    {
        var fx = EsxImageFixture.Create(tmp.File("src"));
        var iso = tmp.File("base.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });
        return (fx, iso);
    }

    private static string OemTgz(TempDir tmp)
    {
        var path = tmp.File("r8999-OEM.tgz");
        using var fs = File.Create(path);
        using var tar = new TarGzWriter(fs, Stamp);
        tar.AddFile("usr/lib/vmware/vmkmod/r8999", new byte[3000]);
        tar.AddFile("etc/vmware/driver.map.d/r8999.map", new byte[] { (byte)'x', (byte)'\n' });
        return path;
    }

    private static string[] ImgDbBulletins(string iso, string dir)
    {
        using var r = Core.Iso.IsoReader.Open(iso);
        return IsoContents.TarGzFiles(IsoContents.ReadFile(r, "IMGDB.TGZ")).Keys
                          .Where(k => k.StartsWith(dir, StringComparison.Ordinal) && k.EndsWith(".xml", StringComparison.Ordinal))
                          .Select(k => k.Substring(dir.Length)).OrderBy(k => k, StringComparer.Ordinal).ToArray();
    }

    [Fact]
    public void Customizing_an_iso_keeps_its_component_bulletins_adds_the_new_ones_and_names_the_profile_with_one_suffix()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var session = new DepotSession();
        session.Add(fx.BaseDepot);
        var iso = tmp.File("esxi.iso");
        IsoExporter.Export(session.Profiles.Single(p => p.Name == ComponentDepotFixture.StandardProfile),
                           new IsoExportOptions { Destination = iso, Timestamp = Stamp });
        var source = ImgDbBulletins(iso, EsxImageLayout.BulletinsDir);
        Assert.Equal(3, source.Length);   // ESXi, Sample-net, Sample-nvme

        var first = CustomImageBuilder.Build(new CustomImageRequest
        {
            Sources = new[] { iso }, Add = new[] { fx.CommunityZip }, Export = new ExportRequest { Destination = tmp.File("custom.iso"), Timestamp = Stamp },
        });
        Assert.Equal(ComponentDepotFixture.StandardProfile + "-customized", first.Profile.Name);
        var community = ComponentDepotFixture.CommunityComponent + "_" + ComponentDepotFixture.CommunityVersion + ".xml";
        Assert.Equal(source.Append(community).OrderBy(k => k, StringComparer.Ordinal), ImgDbBulletins(first.Path, EsxImageLayout.BulletinsDir));

        // The customized ISO customized again: the same components, and still one suffix.
        var second = CustomImageBuilder.Build(new CustomImageRequest
        {
            Sources = new[] { first.Path }, Remove = new[] { "nvme-sample" }, Export = new ExportRequest { Destination = tmp.File("again.iso"), Timestamp = Stamp },
        });
        Assert.Equal(ComponentDepotFixture.StandardProfile + "-customized", second.Profile.Name);
        Assert.Equal(source.Append(community).Where(k => !k.StartsWith("Sample-nvme", StringComparison.Ordinal)).OrderBy(k => k, StringComparer.Ordinal),
                     ImgDbBulletins(second.Path, EsxImageLayout.BulletinsDir));
    }

    [Fact]
    public void An_oem_tgz_is_packaged_on_the_fly_and_the_iso_verifies()
    {
        using var tmp = new TempDir();
        var (fx, iso) = BaseIso(tmp);
        var oem = OemTgz(tmp);
        var r = CustomImageBuilder.Build(new CustomImageRequest
        {
            Sources = new[] { iso },
            Add = new[] { oem },
            Remove = new[] { "nvme-sample" },
            Export = new ExportRequest { Destination = tmp.File("custom.iso"), Timestamp = Stamp },
        });
        var converted = Assert.Single(r.Converted);
        Assert.Equal(oem, converted.Source);
        Assert.Equal("Community_bootbank_r8999-OEM_1.0.0-1", converted.Vib.Id);
        Assert.Equal(fx.Profile.Name, r.BaseProfile.Name);
        Assert.Equal(fx.Profile.Name + "-customized", r.Export.Profile.Name);
        Assert.Equal(AcceptanceLevel.CommunitySupported, r.Export.Profile.AcceptanceLevel);
        Assert.Contains(r.Warnings, w => w.Contains("lowered from PartnerSupported to CommunitySupported"));
        Assert.Equal("nvme-sample", Assert.Single(r.Edit.Removed).Package.Name);
        Assert.Equal(new[] { "esx-base", "net-sample", "r8999-OEM" }, r.Export.Profile.Packages.Select(p => p.Name).OrderBy(n => n, StringComparer.Ordinal));

        var v = ImageVerifier.Verify(r.Export.Path);
        Assert.True(v.IsValid, string.Join("\n", v.Problems));
        Assert.Contains(Assert.Single(v.Profiles).Packages, p => p.Id == converted.Vib.Id);
        Assert.False(File.Exists(converted.Vib.Source));                                  // the converted .vib was temporary
    }

    [Fact]
    public void A_bundle_output_and_a_package_name_from_the_source()
    {
        using var tmp = new TempDir();
        var (fx, iso) = BaseIso(tmp);
        var (driver, _) = VibFixtures.Build(tmp.File("d"), "net-extra", "1.0-1", "Contoso", AcceptanceLevel.PartnerSupported,
            depends: new[] { new Constraint("vmkapi_2_10_0_0") });
        var r = CustomImageBuilder.Build(new CustomImageRequest
        {
            Sources = new[] { iso },
            Add = new[] { driver },
            Name = "My-Image",
            Export = new ExportRequest { Destination = tmp.File("custom.zip"), Timestamp = Stamp, NoSignatureCheck = true },
        });
        Assert.Equal("Bundle", r.Export.Kind);
        Assert.Equal(AcceptanceLevel.PartnerSupported, r.Export.Profile.AcceptanceLevel);   // nothing needed lowering
        Assert.DoesNotContain(r.Warnings, w => w.Contains("lowered"));
        var depot = DepotReader.Open(r.Export.Path);
        Assert.Equal("My-Image", Assert.Single(depot.Profiles).Name);
        Assert.Contains(depot.Packages, p => p.Name == "net-extra");
        // An ISO carries no signatures, so the VIBs rebuilt from it are unsigned in the bundle and a host would refuse
        // them at PartnerSupported: verify says so, and says nothing else. The added, signed driver passes.
        var v = ImageVerifier.Verify(r.Export.Path);
        Assert.All(v.Problems, p => Assert.Equal((ImageCheck.Signatures, ImageProblemSeverity.Error), (p.Check, p.Severity)));
        Assert.Equal(fx.Profile.Packages.Count, v.Problems.Count);
        Assert.DoesNotContain(v.Problems, p => p.Message.Contains("net-extra"));
        Assert.Contains(r.Warnings, w => w.StartsWith("signatures not checked, the source holds no .vib files", StringComparison.Ordinal));
    }

    [Fact]
    public void Bad_requests_are_typed_errors_and_write_nothing()
    {
        using var tmp = new TempDir();
        var (_, iso) = BaseIso(tmp);
        EsxException Fails(CustomImageRequest q) => Assert.ThrowsAny<EsxException>(() => CustomImageBuilder.Build(q));
        Assert.Equal(ErrorCodes.ExportFailed, Fails(new CustomImageRequest { Sources = new[] { iso }, Export = new ExportRequest { Destination = tmp.File("x.img") } }).Code);
        Assert.Equal(ErrorCodes.DepotInvalid, Fails(new CustomImageRequest { Export = new ExportRequest { Destination = tmp.File("x.iso") } }).Code);
        Assert.Equal(ErrorCodes.ProfileNotFound, Fails(new CustomImageRequest { Sources = new[] { iso }, BaseProfile = "nope", Export = new ExportRequest { Destination = tmp.File("x.iso") } }).Code);
        Assert.Equal(ErrorCodes.PackageNotFound, Fails(new CustomImageRequest { Sources = new[] { iso }, Add = new[] { "no-such-package" }, Export = new ExportRequest { Destination = tmp.File("x.iso") } }).Code);
        File.WriteAllText(tmp.File("keep.iso"), "keep");
        Assert.Equal(ErrorCodes.ExportDestinationExists, Fails(new CustomImageRequest { Sources = new[] { iso }, Export = new ExportRequest { Destination = tmp.File("keep.iso") } }).Code);
        Assert.Equal("keep", File.ReadAllText(tmp.File("keep.iso")));
        Assert.False(File.Exists(tmp.File("x.iso")));

        // A driver bundle alone is no base image.
        var (driver, _) = VibFixtures.Build(tmp.File("d"), "net-x", "1.0-1");
        var bundle = BundleAuthor.Create(new[] { driver }, tmp.File("drv.zip")).Path;
        Assert.Equal(ErrorCodes.ProfileNotFound, Fails(new CustomImageRequest { Sources = new[] { bundle }, Export = new ExportRequest { Destination = tmp.File("x.iso") } }).Code);
    }

    [Fact]
    public void The_newest_standard_profile_is_the_default_base()
    {
        ImageProfile P(string name, string baseVersion, int day)
        {
            var vib = new Vib { Name = "esx-base", Version = VibVersion.Parse(baseVersion), Vendor = "VMware" };
            return new ImageProfile { Name = name, Vendor = "VMware", Packages = new[] { vib }, CreationTime = new DateTimeOffset(2024, 1, day, 0, 0, 0, TimeSpan.Zero) };
        }
        var profiles = new[]
        {
            P("ESXi-8.0U1-21495797-standard", "8.0.1-0.0.21495797", 1),
            P("ESXi-8.0U2-22380479-no-tools", "8.0.2-0.0.22380479", 3),
            P("ESXi-8.0U2-22380479-standard", "8.0.2-0.0.22380479", 2),
            P("ESXi-7.0U3-standard", "7.0.3-0.0.19193900", 9),
        };
        Assert.Equal("ESXi-8.0U2-22380479-standard", CustomImageBuilder.SelectBaseProfile(profiles).Name);
        Assert.Equal("ESXi-8.0U2-22380479-no-tools", CustomImageBuilder.SelectBaseProfile(profiles.Where(p => p.Name.EndsWith("no-tools"))).Name);
        Assert.Equal("r8168-OEM", CustomImageBuilder.NameFromFile("/x/r8168-OEM.tgz"));
        Assert.Equal("my-driver", CustomImageBuilder.NameFromFile("/x/my driver.tar.gz"));
    }

    /// <summary>An online depot as the source: the base image served over HTTP on 127.0.0.1, payloads downloaded and verified.</summary>
    [Fact]
    public void An_online_depot_is_a_source_too()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("src"));
        var zip = tmp.File("base.zip");
        using (var fs = File.Create(zip))
            BundleWriter.Write(fs, new BundleContent { VendorName = "Fixture", Packages = fx.All, Profiles = new[] { fx.Profile } }, Stamp);
        var www = tmp.File("www");
        System.IO.Compression.ZipFile.ExtractToDirectory(zip, www);
        using var server = new ESXiImageTools.Core.Tests.Depots.LoopbackDepotServer(www);
        var r = CustomImageBuilder.Build(new CustomImageRequest
        {
            Sources = new[] { new Uri(server.BaseUri, "index.xml").ToString() },
            Add = new[] { OemTgz(tmp) },
            Export = new ExportRequest { Destination = tmp.File("online.iso"), Timestamp = Stamp },
            DepotOptions = new DepotOptions { CacheDirectory = tmp.File("cache"), UseProxy = false, Timeout = TimeSpan.FromSeconds(10) },
        });
        Assert.Equal(fx.Profile.Name, r.BaseProfile.Name);
        Assert.True(ImageVerifier.Verify(r.Path).IsValid);
        Assert.True(server.Served(".vib") >= fx.All.Count);                  // the payloads came over HTTP
    }
}
