using System;
using System.IO;
using System.Linq;
using System.Text;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Composition;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Diagnostics;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Iso;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Composition;

/// <summary>A software spec (base image + community component) builds a profile, an ISO and a bundle that pass the export checks.</summary>
public class SpecBuildTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static DepotSession Session(ComponentDepotFixture fx)
    {
        var s = new DepotSession();
        s.Add(fx.BaseDepot);
        s.Add(fx.CommunityZip);
        return s;
    }

    /// <summary>Builds with a fixed clock, so the same spec gives the same profile times (and the same ISO bytes).</summary>
    private static EditResult Build(DepotSession s, string json)
        => SessionProfileBuilder.Build(new ProfileBuildRequest { SoftwareSpec = SoftwareSpec.Parse(json, "spec.json") }, s, new ProfileEditor(() => Stamp));

    [Fact]
    public void Base_image_plus_community_component_builds_an_iso_that_reads_back_whole()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var s = Session(fx);
        var edit = Build(s, ComponentDepotFixture.Spec);
        Assert.Empty(edit.Errors);

        var p = edit.Profile;
        Assert.Equal(ComponentDepotFixture.StandardProfile + "-customized", p.Name); // the -standard profile stands for the base image
        Assert.Equal(AcceptanceLevel.CommunitySupported, p.AcceptanceLevel);
        Assert.Contains(edit.Warnings, w => w.Message.Contains("lowered") && w.Message.Contains(fx.Community.Id));
        Assert.True(edit.IsValid, string.Join("; ", edit.Problems));
        Assert.Equal(new[] { "Community-net-community:1.0.0-1", "ESXi:8.0.0-1.0.20513097", "Sample-net:1.0.0-1OEM.800.1.0.20613240",
                             "Sample-nvme:2.1.0-1OEM.800.1.0.20613240" }, p.Components.Select(c => c.Id).OrderBy(x => x, StringComparer.Ordinal));
        Assert.All(p.Components, c => Assert.Equal(ComponentPresence.Complete, c.Presence));

        var iso = tmp.File("custom.iso");
        var result = IsoExporter.Export(p, new IsoExportOptions { Destination = iso, Timestamp = Stamp, Catalog = s.Packages });
        Assert.Equal(iso, result.Path);
        using (var r = IsoReader.Open(iso))
        {
            var cfg = BootCfg.Parse(new StreamReader(r.OpenFile("BOOT.CFG")).ReadToEnd());
            Assert.Contains(cfg.Modules, m => m.TrimStart('/').StartsWith("net_comm", StringComparison.OrdinalIgnoreCase));
        }
        // The ISO as a depot: the same profile, every payload verified against its descriptor.
        var back = DepotReader.Open(iso);
        Assert.Empty(back.UnavailablePackages);
        Assert.Equal(p.Packages.Select(v => v.Id).OrderBy(x => x), back.Profiles.Single().Packages.Select(v => v.Id).OrderBy(x => x));
        // The image database keeps the components, so the ISO read back knows them whole.
        Assert.Equal(p.Components.Select(c => c.Id), back.Profiles.Single().Components.Select(c => c.Id));
        Assert.All(back.Profiles.Single().Components, c => Assert.Equal(ComponentPresence.Complete, c.Presence));
        foreach (var v in back.Packages) VibVerifier.VerifyAll(v);
        Assert.Equal(File.ReadAllBytes(iso), BuildAgain(fx, tmp));
    }

    [ToolFact("isoinfo")]
    public void The_spec_built_iso_lists_the_same_under_isoinfo()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var s = Session(fx);
        var iso = tmp.File("custom.iso");
        IsoExporter.Export(Build(s, ComponentDepotFixture.Spec).Profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });
        using var r = IsoReader.Open(iso);
        var ours = IsoOracles.OurListing(r);
        var theirs = IsoOracles.IsoInfoListing(iso);
        Assert.Equal(ours.OrderBy(k => k.Key), theirs.OrderBy(k => k.Key));
        Assert.Contains(ours.Keys, k => k.Contains("NET_COMM"));
    }

    [Fact]
    public void The_spec_built_profile_exports_to_a_bundle_with_its_components()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var s = Session(fx);
        var zip = tmp.File("custom.zip");
        BundleExporter.Export(Build(s, ComponentDepotFixture.Spec).Profile, new BundleExportOptions { Destination = zip, Timestamp = Stamp });
        var back = DepotReader.Open(zip);
        Assert.Contains(back.Packages, v => v.Id == fx.Community.Id);
        foreach (var v in back.Packages) VibVerifier.VerifyAll(v);
    }

    private static byte[] BuildAgain(ComponentDepotFixture fx, TempDir tmp)
    {
        var iso = tmp.File("again.iso");
        var s = Session(fx);
        IsoExporter.Export(Build(s, ComponentDepotFixture.Spec).Profile, new IsoExportOptions { Destination = iso, Timestamp = Stamp });
        return File.ReadAllBytes(iso);
    }

    [Fact]
    public void A_named_component_replaces_the_base_images_version_and_removed_components_leave()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        // A newer Sample-net component in its own zip.
        var (path, newer) = VibFixtures.Build(tmp.File("newer"), VibFixtures.Metadata("net-sample", "1.1.0-1OEM.800.1.0.20613240", "SampleVendor",
            depends: new[] { new Constraint("vmkapi_2_10_0_0") }));
        var b = new BundleBuilder();
        b.AddBuiltVib(path);
        b.AddBulletin("Sample-net_1.1.0", new[] { newer.Id }, "Sample-net", newer.Version.Text, "SampleVendor");
        b.Write(tmp.File("newer.zip"));
        var s = Session(fx);
        s.Add(tmp.File("newer.zip"));

        var edit = Build(s, "{\"base_image\":{\"version\":\"" + ComponentDepotFixture.BaseImageVersion + "\"},\"components\":{\"Sample-net\":null}," +
                            "\"removed_components\":[\"Sample-nvme\"]}");
        Assert.Empty(edit.Errors); // the old version's VIB left by replacement, not by a removal of something absent
        var ids = edit.Profile.Packages.Select(v => v.Id).ToList();
        Assert.Contains(newer.Id, ids);
        Assert.DoesNotContain(fx.Image.Drivers[0].Id, ids);
        Assert.DoesNotContain(fx.Image.Drivers[1].Id, ids);
        Assert.Equal("Sample-net:1.1.0-1OEM.800.1.0.20613240", edit.Profile.Components.Single(c => c.Name == "Sample-net").Id);
    }

    [Fact]
    public void Specs_that_cannot_be_met_are_typed_errors()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var s = Session(fx);
        string Spec(string rest) => "{\"base_image\":{\"version\":\"" + ComponentDepotFixture.BaseImageVersion + "\"}" + rest + "}";

        var e = Assert.Throws<EsxException>(() => Build(s, "{\"base_image\":{\"version\":\"8.0.1-0.0.1\"}}"));
        Assert.Equal(ErrorCodes.BaseImageNotFound, e.Code);
        Assert.Contains(ComponentDepotFixture.BaseImageVersion, e.Message); // names what the depots offer

        e = Assert.Throws<EsxException>(() => Build(s, Spec(",\"components\":{\"No-such\":\"1.0\"}")));
        Assert.Equal(ErrorCodes.ComponentNotFound, e.Code);
        e = Assert.Throws<EsxException>(() => Build(s, Spec(",\"components\":{\"" + ComponentDepotFixture.CommunityComponent + "\":\"9.9\"}")));
        Assert.Equal(ErrorCodes.ComponentNotFound, e.Code);
        Assert.Contains(ComponentDepotFixture.CommunityVersion, e.Message);
        e = Assert.Throws<EsxException>(() => Build(s, Spec(",\"add_on\":{\"name\":\"HPE-Custom-AddOn\",\"version\":\"1\"}")));
        Assert.Equal(ErrorCodes.AddonNotSupported, e.Code);
        e = Assert.Throws<EsxException>(() => Build(s, Spec(",\"removed_components\":[\"Not-in-base\"]")));
        Assert.Equal(ErrorCodes.ComponentNotFound, e.Code);
        e = Assert.Throws<EsxProfileValidationException>(() => Build(s, Spec(",\"removed_components\":[\"ESXi\"]")));
        Assert.Equal(ErrorCodes.ComponentRemovalProhibited, e.Code);
    }

    [Fact]
    public void A_component_whose_vibs_the_depots_lack_is_refused()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var b = new BundleBuilder();
        b.AddBulletin("Ghost_1.0", new[] { "X_bootbank_ghost_1.0-1" }, "Ghost", "1.0-1");
        b.AddMetadataEntry("vibs/placeholder.xml", Encoding.UTF8.GetBytes(BundleBuilder.DescriptorOf(VibFixtures.Build(tmp.File("p"), "placeholder", "1.0-1").Path)));
        b.Write(tmp.File("ghost.zip"));
        var s = Session(fx);
        s.Add(tmp.File("ghost.zip"));
        var e = Assert.Throws<EsxException>(() => Build(s, "{\"base_image\":{\"version\":\"" + ComponentDepotFixture.BaseImageVersion + "\"},\"components\":{\"Ghost\":\"1.0-1\"}}"));
        Assert.Equal(ErrorCodes.ComponentIncomplete, e.Code);
        Assert.Contains("X_bootbank_ghost_1.0-1", e.Message);
    }

    [Fact]
    public void Base_images_list_the_esxi_component_and_prefer_the_standard_profile()
    {
        using var tmp = new TempDir();
        var s = Session(ComponentDepotFixture.Create(tmp.File("fx")));
        var image = Assert.Single(BaseImages.List(s.Components, s.Profiles));
        Assert.Equal(ComponentDepotFixture.BaseImageVersion, image.Version);
        Assert.Equal(new[] { ComponentDepotFixture.StandardProfile, ComponentDepotFixture.NoToolsProfile }, image.ProfileNames);
    }
}
