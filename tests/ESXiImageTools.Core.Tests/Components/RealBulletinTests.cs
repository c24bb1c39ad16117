using System.IO;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Composition;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Export;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>
/// The real component bulletins of an installed ESXi 7.0.0 image (the corpus's esximg-700) against the depot
/// made from its real descriptors (<see cref="RealDescriptorDepot"/>: real descriptor text, synthetic payload bytes,
/// the real bulletin files as they are).
/// </summary>
public class RealBulletinTests
{
    private const string Core = "ESXi_7.0.0-1.0.15843807.xml";

    private static string Db(params string[] parts) => Corpus.Path(new[] { "esximg-700" }.Concat(parts).ToArray());

    [CorpusFact]
    public void The_base_image_bulletin_parses_with_its_component_specs()
    {
        var b = BulletinXml.Parse(System.Xml.Linq.XDocument.Load(Db("bulletins", Core)).Root, Core);
        Assert.True(b.IsComponent);
        Assert.Equal("ESXi", b.ComponentName);
        Assert.Equal("7.0.0-1.0.15843807", b.ComponentVersion);
        Assert.Equal("7.0.0 Build - 15843807", b.ComponentUiVersion);
        Assert.Equal("patch", b.ReleaseType);
        Assert.Equal(10, b.VibIds.Count);
        Assert.Contains("VMware_bootbank_esx-base_7.0.0-1.0.15843807", b.VibIds);
        var reserved = BulletinXml.Parse(System.Xml.Linq.XDocument.Load(Db("reservedComponents", "MRVL-QLogic-FC_4.0.1.0-3vmw.700.1.0.15843807.xml")).Root, "reserved");
        Assert.Equal("MRVL-QLogic-FC", reserved.ComponentName);
    }

    [CorpusFact]
    public void Real_bulletins_resolve_against_a_depot_made_from_the_real_descriptors()
    {
        using var tmp = new TempDir();
        var fx = RealDescriptorDepot.Create(tmp.File("depot"));
        var depot = DepotReader.Open(fx.BundlePath);

        var esxi = depot.Components.Single(c => c.Name == "ESXi");
        Assert.True(esxi.IsBaseImageComponent);
        Assert.Equal("7.0.0-1.0.15843807", esxi.Version);
        Assert.Equal("7.0.0 Build - 15843807", esxi.UiVersion);
        Assert.True(esxi.IsComplete);
        // Its ten VIBs, exactly as the real bulletin lists them: three from real descriptors, seven synthesized.
        var bulletinIds = System.Xml.Linq.XDocument.Load(Db("bulletins", Core)).Descendants("vibID").Select(e => e.Value).ToList();
        Assert.Equal(bulletinIds, esxi.VibIds);
        Assert.Equal(bulletinIds, esxi.Packages.Select(p => p.Id));
        Assert.Contains("VMware_bootbank_esx-base_7.0.0-1.0.15843807", esxi.Packages.Select(p => p.Id).Except(fx.SyntheticVibIds));
        Assert.Equal(AcceptanceLevel.VMwareCertified, esxi.AcceptanceLevel);

        foreach (var (name, vib) in new[] { ("Intel-i40en", "VMW_bootbank_i40en_1.8.1.16-1vmw.700.1.0.15843807"),
                                            ("Intel-ne1000", "VMW_bootbank_ne1000_0.8.4-10vmw.700.1.0.15843807"),
                                            ("VMware-ahci", "VMW_bootbank_vmw-ahci_1.3.9-1vmw.700.1.0.15843807") })
        {
            var c = depot.Components.Single(x => x.Name == name);
            Assert.True(c.IsComplete, name);
            Assert.Equal(vib, Assert.Single(c.Packages).Id);
        }

        // The profile holds the base component and the drivers whole; the reserved component's VIB it replaced is not in it.
        var profile = depot.Profiles.Single(p => p.Name == RealDescriptorDepot.ProfileName);
        Assert.All(profile.Components, c => Assert.Equal(ComponentPresence.Complete, c.Presence));
        Assert.Equal(new[] { "ESXi", "Intel-i40en", "Intel-ne1000", "VMware-ahci" }, profile.Components.Select(c => c.Name));
        Assert.DoesNotContain(ProfileValidator.Validate(profile), p => p.Kind == ValidationProblemKind.PartialComponent);

        // The base image is this profile.
        var image = Assert.Single(BaseImages.List(depot.Components, depot.Profiles));
        Assert.Equal(new[] { RealDescriptorDepot.ProfileName }, image.ProfileNames);
        Assert.Same(profile, BaseImages.ProfileFor("7.0.0-1.0.15843807", depot.Components, depot.Profiles));
    }

    [CorpusFact]
    public void Removing_a_real_esxi_vib_names_the_real_component_and_forced_leaves_it_partial()
    {
        using var tmp = new TempDir();
        var fx = RealDescriptorDepot.Create(tmp.File("depot"));
        var profile = ProfileEditor.Default.Clone(DepotReader.Open(fx.BundlePath).Profiles.Single(), "custom");
        var e = Assert.Throws<EsxProfileValidationException>(() => ProfileEditor.Default.RemovePackages(profile, new PackageRef[] { "esx-xserver" }));
        Assert.Equal(Diagnostics.ErrorCodes.ComponentRemovalProhibited, e.Code);
        Assert.Contains("ESXi:7.0.0-1.0.15843807", e.Message);

        var forced = ProfileEditor.Default.RemovePackages(profile, new PackageRef[] { "esx-xserver" }, new EditOptions { Force = true });
        var c = forced.Profile.Components.Single(x => x.Name == "ESXi");
        Assert.Equal(ComponentPresence.Partial, c.Presence);
        Assert.Equal(new[] { "VMware_bootbank_esx-xserver_7.0.0-1.0.15843807" }, c.MissingVibIds);
        var problem = forced.Problems.Single(p => p.Kind == ValidationProblemKind.PartialComponent);
        Assert.Equal(ValidationSeverity.Error, problem.Severity);
    }

    [CorpusFact]
    public void A_spec_on_the_real_base_image_with_a_community_component_exports_an_iso_that_keeps_its_components()
    {
        using var tmp = new TempDir();
        var fx = RealDescriptorDepot.Create(tmp.File("depot"));
        // A community driver built for 7.0 (vmkapi_2_6_0_0, which the real 7.0.0 esx-base provides).
        var (community, _) = ComponentDepotFixture.CommunityComponentZip(tmp.File("community"), "vmkapi_2_6_0_0");
        var session = new DepotSession();
        session.Add(fx.BundlePath);
        session.Add(community);
        var spec = SoftwareSpec.Parse("{\"base_image\":{\"version\":\"7.0.0-1.0.15843807\"},\"components\":{\"" + ComponentDepotFixture.CommunityComponent +
                                      "\":\"" + ComponentDepotFixture.CommunityVersion + "\"},\"removed_components\":[\"Intel-ne1000\"]}", "real-spec.json");
        var stamp = new System.DateTimeOffset(2025, 1, 2, 3, 4, 5, System.TimeSpan.Zero);
        var edit = SessionProfileBuilder.Build(new ProfileBuildRequest { SoftwareSpec = spec }, session, new ProfileEditor(() => stamp));
        Assert.True(edit.IsValid, string.Join("; ", edit.Problems));
        Assert.DoesNotContain(edit.Profile.Packages, v => v.Name == "ne1000");

        var iso = tmp.File("real-custom.iso");
        IsoExporter.Export(edit.Profile, new IsoExportOptions { NoSignatureCheck = true, Destination = iso, Timestamp = stamp, Catalog = session.Packages });
        var back = DepotReader.Open(iso);
        var read = back.Profiles.Single();
        Assert.Equal(edit.Profile.Packages.Select(v => v.Id).OrderBy(x => x), read.Packages.Select(v => v.Id).OrderBy(x => x));
        Assert.Equal(new[] { ComponentDepotFixture.CommunityComponent, "ESXi", "Intel-i40en", "VMware-ahci" }, read.Components.Select(c => c.Name));
        Assert.All(read.Components, c => Assert.Equal(ComponentPresence.Complete, c.Presence));
        foreach (var v in back.Packages.Where(p => p.Content != null)) VibVerifier.VerifyAll(v);
    }
}
