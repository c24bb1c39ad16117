using System.IO;
using System.Linq;
using ESXiImageTools.Core.Components;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.Core.Profiles;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Core.Tests.Components;

/// <summary>
/// The real component bulletins of an installed ESXi 7.0.0 image (../shared/corpus/esximg-700) against a depot
/// shaped from its real descriptors: VIBs with the real identity and relations (payload bytes are made here, since
/// the corpus holds descriptors only), the real bulletin files as they are, and a profile over the real VIB ids.
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
        var depotPath = BuildRealShapedDepot(tmp);
        var depot = DepotReader.Open(depotPath);
        var descriptorIds = depot.Packages.Select(p => p.Id).ToHashSet();
        Assert.Equal(9, descriptorIds.Count);

        var esxi = depot.Components.Single(c => c.Name == "ESXi");
        Assert.True(esxi.IsBaseImageComponent);
        Assert.Equal("7.0.0-1.0.15843807", esxi.Version);
        // The corpus is a subset: 3 of the component's 10 VIBs have descriptors; the other 7 are named and missing.
        Assert.Equal(new[] { "VMware_bootbank_cpu-microcode_7.0.0-1.0.15843807", "VMware_bootbank_esx-base_7.0.0-1.0.15843807",
                             "VMware_bootbank_esx-xserver_7.0.0-1.0.15843807" }, esxi.Packages.Select(p => p.Id).OrderBy(x => x));
        Assert.Equal(7, esxi.MissingVibIds.Count);
        Assert.All(esxi.MissingVibIds, id => Assert.DoesNotContain(id, descriptorIds));
        Assert.Equal(AcceptanceLevel.VMwareCertified, esxi.AcceptanceLevel);

        foreach (var (name, vib) in new[] { ("Intel-i40en", "VMW_bootbank_i40en_1.8.1.16-1vmw.700.1.0.15843807"),
                                            ("Intel-ne1000", "VMW_bootbank_ne1000_0.8.4-10vmw.700.1.0.15843807"),
                                            ("VMware-ahci", "VMW_bootbank_vmw-ahci_1.3.9-1vmw.700.1.0.15843807") })
        {
            var c = depot.Components.Single(x => x.Name == name);
            Assert.True(c.IsComplete, name);
            Assert.Equal(vib, Assert.Single(c.Packages).Id);
        }

        // The profile over every real VIB: the ESXi component is only partly there (an error), the drivers are whole.
        var profile = depot.Profiles.Single();
        var components = profile.Components;
        Assert.Equal(ComponentPresence.Partial, components.Single(c => c.Name == "ESXi").Presence);
        Assert.All(components.Where(c => c.Name != "ESXi"), c => Assert.Equal(ComponentPresence.Complete, c.Presence));
        var problem = ProfileValidator.Validate(profile).Single(p => p.Kind == ValidationProblemKind.PartialComponent);
        Assert.Equal(ValidationSeverity.Error, problem.Severity);
        Assert.Equal("ESXi:7.0.0-1.0.15843807", problem.Component);
        Assert.Contains("VMware_bootbank_vsan_7.0.0-1.0.15843807", problem.Message);

        // Base images: the ESXi component, carried by the profile that lists its VIBs (7 of them missing from this depot).
        Assert.Throws<Diagnostics.EsxException>(() => BaseImages.ProfileFor("7.0.0-1.0.15843807", depot.Components, depot.Profiles));
        var image = Assert.Single(BaseImages.List(depot.Components, depot.Profiles));
        Assert.Equal("7.0.0-1.0.15843807", image.Version);
        Assert.Empty(image.ProfileNames);
    }

    /// <summary>A bundle from the real descriptors (identity, relations, platforms kept; payloads made here) and the real bulletins.</summary>
    internal static string BuildRealShapedDepot(TempDir tmp)
    {
        var b = new BundleBuilder { VendorName = "VMware, Inc.", VendorCode = "VMW" };
        var ids = new System.Collections.Generic.List<string>();
        foreach (var file in Directory.GetFiles(Db("vibs"), "*.xml").OrderBy(f => f, System.StringComparer.Ordinal))
        {
            Vib real;
            using (var s = File.OpenRead(file)) real = VibDescriptorReader.Parse(s, file, Path.GetFileName(file));
            var meta = real with { Payloads = System.Array.Empty<Payload>() };
            var (path, built) = VibFixtures.Build(tmp.File("vibs"), meta,
                (VibFixtures.Short(real.Name.Replace('-', '_')), "tgz", VibFixtures.TarGz(($"etc/{real.Name}.conf", System.Text.Encoding.ASCII.GetBytes(real.Id)))));
            Assert.Equal(real.Id, built.Id);
            b.AddBuiltVib(path);
            ids.Add(built.Id);
        }
        foreach (var dir in new[] { "bulletins" })
            foreach (var file in Directory.GetFiles(Db(dir), "*.xml"))
                b.AddMetadataEntry("bulletins/" + Path.GetFileName(file), File.ReadAllBytes(file));
        b.AddProfile("ESXi-7.0.0-15843807-real-shaped", "VMware, Inc.", ids);
        var zip = tmp.File("esximg-700-depot.zip");
        b.Write(zip);
        return zip;
    }
}
