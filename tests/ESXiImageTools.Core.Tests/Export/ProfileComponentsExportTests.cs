using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using ICSharpCode.SharpZipLib.Tar;
using Xunit;

namespace ESXiImageTools.Core.Tests.Export;

/// <summary>Components and reserved components on export: IMGDB bulletins/ and reservedComponents/, resvibs.tgz,
/// the bundle's component bulletins; and the 6.x-shaped fixture's image-database modules.</summary>
public class ProfileComponentsExportTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 6, 7, 8, 9, 10, TimeSpan.Zero);

    private static Bulletin Component(string name, string version, params Vib[] vibs) => new()
    {
        Id = $"{name}_{version}", Vendor = "SampleVendor", Summary = "s", Description = "d", Severity = "general", Category = "enhancement",
        Urgency = "important", ReleaseType = "extension", KbUrl = "", Contact = "c", ReleaseDate = Stamp,
        Platforms = new[] { new SoftwarePlatform("8.0", "", "embeddedEsx") }, VibIds = vibs.Select(v => v.Id).ToList(),
        ComponentName = name, ComponentUiName = name, ComponentVersion = version, ComponentUiVersion = version,
    };

    [Fact]
    public void A_replaced_component_is_reserved_its_vib_goes_to_resvibs_and_the_profiles_components_to_bulletins()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var net = fx.Drivers.Single(d => d.Name == "net-sample");
        var oldMeta = VibFixtures.Metadata("net-sample", "0.9.0-1OEM.800.1.0.20513097", "SampleVendor", depends: new[] { new Constraint("vmkapi_2_10_0_0") });
        var (oldPath, old) = VibFixtures.Build(tmp.File("old"), oldMeta, ("net_samp", "vgz", VibFixtures.Vgz(("old", new byte[] { 1 }))));
        var current = Component("SampleVendor-net", "1.0.0", net);
        var replaced = Component("SampleVendor-net", "0.9.0", old);
        var unrelated = Component("Other-thing", "1.0", VibFixtures.Metadata("other-thing", "1.0-1"));
        var iso = tmp.File("out.iso");
        var catalog = fx.All.Concat(new[] { old }).ToList();
        // The profile carries the bulletins that concern it: its component and the one it replaced, not the unrelated one.
        var profile = fx.Profile.WithComponentBulletins(new[] { current, replaced, unrelated }, catalog);
        Assert.Equal(new[] { current.Id, replaced.Id }, profile.ComponentBulletins.Select(b => b.Id).OrderByDescending(id => id, StringComparer.Ordinal));
        IsoExporter.Export(profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp, Catalog = catalog });
        using var r = IsoReader.Open(iso);
        var imgdb = IsoContents.TarGzFiles(IsoContents.ReadFile(r, "IMGDB.TGZ"));
        Assert.Equal(new[] { EsxImageLayout.BulletinsDir + current.Id + ".xml" }, imgdb.Keys.Where(k => k.StartsWith(EsxImageLayout.BulletinsDir, StringComparison.Ordinal)));
        Assert.Equal(new[] { EsxImageLayout.ReservedComponentsDir + replaced.Id + ".xml" }, imgdb.Keys.Where(k => k.StartsWith(EsxImageLayout.ReservedComponentsDir, StringComparison.Ordinal)));
        var back = BulletinXml.Parse(System.Xml.Linq.XElement.Parse(Encoding.UTF8.GetString(imgdb[EsxImageLayout.ReservedComponentsDir + replaced.Id + ".xml"])), "x");
        Assert.Equal((replaced.ComponentName, replaced.ComponentVersion, replaced.VibIds.Single()), (back.ComponentName, back.ComponentVersion, back.VibIds.Single()));
        // An 8.0 base: resvibs.tgz carries the reserved component's VIB file, byte for byte.
        var resvibs = IsoContents.TarGzFiles(IsoContents.ReadFile(r, "RESVIBS.TGZ"));
        Assert.Equal(File.ReadAllBytes(oldPath), Assert.Single(resvibs, kv => kv.Key == old.Id + ".vib").Value);
        Assert.Single(resvibs);
    }

    [CorpusFact]
    public void Bulletins_are_written_byte_for_byte_as_the_real_700_image_database_has_them()
    {
        foreach (var f in Directory.GetFiles(Corpus.Path("esximg-700", "bulletins"), "*.xml")
                          .Concat(Directory.GetFiles(Corpus.Path("esximg-700", "reservedComponents"), "*.xml")))
        {
            var real = File.ReadAllBytes(f);
            var b = BulletinXml.Parse(System.Xml.Linq.XElement.Parse(Encoding.UTF8.GetString(real)), f);
            Assert.True(b.IsComponent, f);
            Assert.Equal(real, BulletinXmlWriter.ToBytes(b));
        }
    }

    [Fact]
    public void An_exported_bundle_has_component_bulletins_that_7x_tools_see_as_components()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        var zip = tmp.File("bundle.zip");
        BundleExporter.Export(fx.Profile, new BundleExportOptions { Destination = zip, Timestamp = Stamp });
        var depot = DepotReader.Open(zip);
        Assert.Equal(fx.Profile.Packages.Select(p => p.Name).OrderBy(x => x, StringComparer.Ordinal), depot.Components.Select(c => c.Name).OrderBy(x => x, StringComparer.Ordinal));
        foreach (var c in depot.Components)
        {
            var vib = Assert.Single(c.Packages);
            Assert.Equal((vib.Name, vib.Version.ToString()), (c.Name, c.Version));
        }
    }

    [Fact]
    public void A_6x_shaped_base_without_typed_payloads_still_exports_with_boot_loaders_from_its_tardisk()
    {
        using var tmp = new TempDir();
        var fx = EsxImageFixture.Create(tmp.File("depot"));
        Assert.DoesNotContain(fx.Base.Payloads, p => PayloadTypes.IsBootLoader(p.Type));
        var iso = tmp.File("out.iso");
        IsoExporter.Export(fx.Profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });
        using var r = IsoReader.Open(iso);
        Assert.Equal(EsxImageFixture.DefaultBootLoader()["usr/lib/vmware/efiboot/efiboot.img"], IsoContents.ReadFile(r, "EFIBOOT.IMG"));
        Assert.Null(r.Find("/UPGRADE"));
        // No non-module payloads: basemisc and imgpayld are empty archives of the real shape.
        Assert.Empty(IsoContents.TarGzFiles(IsoContents.ReadFile(r, "IMGPAYLD.TGZ")));
        Assert.Empty(IsoContents.TarGzFiles(IsoContents.ReadFile(r, "BASEMISC.TGZ")));
    }
}
