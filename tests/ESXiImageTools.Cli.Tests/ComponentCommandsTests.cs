using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using ESXiImageTools.Core.Depots;
using ESXiImageTools.Core.Packages;
using ESXiImageTools.TestSupport;
using Xunit;

namespace ESXiImageTools.Cli.Tests;

/// <summary><c>components</c>, <c>baseimages</c>, <c>addons</c>, and <c>build --spec</c> with VMware's software spec.</summary>
public class ComponentCommandsTests
{
    private static readonly DateTimeOffset Stamp = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);

    private static (int Code, string Out, string Err) Run(string cwd, params string[] args) => CliRunner.Run(cwd, args);

    [Fact]
    public void Components_lists_name_version_vendor_and_json_gives_the_vib_ids()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var r = Run(tmp.Path, "components", "--depot", fx.BaseDepot, "--depot", fx.CommunityZip);
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("ESXi ", r.Out);
        Assert.Contains(ComponentDepotFixture.CommunityComponent, r.Out);
        Assert.Contains("CommunitySupported", r.Out);

        r = Run(tmp.Path, "components", "--depot", fx.BaseDepot, "--name", "ESXi", "--json");
        Assert.True(r.Code == 0, r.Err);
        var doc = JsonDocument.Parse(r.Out).RootElement;
        var c = Assert.Single(doc.EnumerateArray());
        Assert.Equal("ESXi:" + ComponentDepotFixture.BaseImageVersion, c.GetProperty("id").GetString());
        Assert.Equal(new[] { fx.Image.Base.Id, fx.EsxUpdate.Id }.OrderBy(x => x),
                     c.GetProperty("vibIds").EnumerateArray().Select(x => x.GetString()).OrderBy(x => x));
        Assert.Equal("PartnerSupported", c.GetProperty("acceptanceLevel").GetString());
    }

    [CorpusFact]
    public void Components_of_the_corpus_703_component_zip()
    {
        var r = Run(Environment.CurrentDirectory, "components", "--depot",
                    Corpus.Path("usbnic-fling-703", "ESXi703-VMKUSB-NIC-FLING-55634242-component-19849370.zip"), "--json");
        Assert.True(r.Code == 0, r.Err);
        var c = Assert.Single(JsonDocument.Parse(r.Out).RootElement.EnumerateArray());
        Assert.Equal("VMware-vmkusb-nic-fling", c.GetProperty("name").GetString());
        Assert.Equal("1.10-1vmw.703.0.50.55634242", c.GetProperty("version").GetString());
        Assert.Equal("VMW_bootbank_vmkusb-nic-fling_1.10-1vmw.703.0.50.55634242", Assert.Single(c.GetProperty("vibIds").EnumerateArray()).GetString());
    }

    [Fact]
    public void Baseimages_lists_the_esxi_component_version_and_its_profiles_and_addons_says_none()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        var r = Run(tmp.Path, "baseimages", "--depot", fx.BaseDepot);
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains(ComponentDepotFixture.BaseImageVersion, r.Out);
        Assert.Contains(ComponentDepotFixture.StandardProfile, r.Out);
        r = Run(tmp.Path, "addons", "--depot", fx.BaseDepot);
        Assert.True(r.Code == 0, r.Err);
        Assert.Contains("no add-on documents", r.Out);
    }

    [Fact]
    public void Addons_lists_name_version_id_vendor_date_and_warns_about_a_document_that_is_not_an_addon()
    {
        using var tmp = new TempDir();
        var (vibPath, vib) = VibFixtures.Build(tmp.File("vibs"), "net-foo", "1.0-1", "ACME");
        var b = new BundleBuilder();
        b.AddBuiltVib(vibPath);
        b.AddBulletin("ACME-net-foo_1.0-1", new[] { vib.Id }, "ACME-net-foo", "1.0-1");
        // esximage's release-unit keys, built here: no real add-on file is public.
        b.AddMetadataEntry("addons/ACME-addon_2.0.json", "{\"releaseID\":\"ACME-addon:2.0\",\"vendor\":\"ACME\",\"releaseDate\":\"2024-05-06T00:00:00\"," +
            "\"nameSpec\":{\"name\":\"ACME-addon\",\"uiString\":\"ACME add-on\"},\"versionSpec\":{\"version\":\"2.0\",\"uiString\":\"2.0\"}," +
            "\"components\":{\"ACME-net-foo\":\"1.0-1\"},\"removedComponents\":[]}");
        b.AddMetadataEntry("addons/other.json", "{\"releaseID\":\"x\"}");
        var depot = tmp.File("acme.zip");
        b.Write(depot);

        var r = Run(tmp.Path, "addons", "--depot", depot);
        Assert.True(r.Code == 0, r.Err);
        var lines = r.Out.Split('\n').Where(l => l.Trim().Length > 0).ToList();
        Assert.Equal(new[] { "Name", "Version", "ID", "Vendor", "Release" }, lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(5));
        Assert.Contains(lines, l => System.Text.RegularExpressions.Regex.IsMatch(l, @"^ACME-addon\s+2\.0\s+ACME-addon:2\.0\s+ACME\s+2024-05-06\s*$"));
        Assert.Contains("addons/other.json", r.Err);
        Assert.Contains("AddonInvalid", r.Err);

        r = Run(tmp.Path, "addons", "--depot", depot, "--json");
        using var json = JsonDocument.Parse(r.Out);
        var addon = json.RootElement.EnumerateArray().Single(e => e.GetProperty("entryName").GetString() == "addons/ACME-addon_2.0.json");
        Assert.Equal("ACME-addon", addon.GetProperty("name").GetString());
        Assert.Equal("1.0-1", addon.GetProperty("components").GetProperty("ACME-net-foo").GetString());
    }

    [Fact]
    public void Build_with_vmwares_software_spec_writes_an_iso_with_the_component()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        File.WriteAllText(tmp.File("spec.json"), ComponentDepotFixture.Spec);
        var r = Run(tmp.Path, "build", "--depot", fx.BaseDepot, "--depot", fx.CommunityZip, "--spec", "spec.json",
                    "--iso", "out/custom.iso", "--timestamp", Stamp.ToUnixTimeSeconds().ToString());
        Assert.True(r.Code == 0, r.Err);
        var p = Assert.Single(DepotReader.Open(tmp.File("out/custom.iso")).Profiles);
        Assert.Equal(ComponentDepotFixture.StandardProfile + "-customized", p.Name);
        Assert.Equal(AcceptanceLevel.CommunitySupported, p.AcceptanceLevel);
        Assert.Contains(p.Packages, v => v.Id == fx.Community.Id);
        Assert.Contains(p.Packages, v => v.Id == fx.EsxUpdate.Id);
    }

    [Fact]
    public void The_readme_spec_builds_on_the_sample_without_tools_light()
    {
        using var tmp = new TempDir();
        File.WriteAllText(tmp.File("spec.json"), "{ \"base_image\": { \"version\": \"8.0.0-1.0.20513097\" }, \"removed_components\": [ \"tools-light\" ] }");
        var depot = Path.Combine(RepoRoot.Path, "samples", "depot", "ESXi-8.0.0-sample-depot.zip");
        var r = Run(tmp.Path, "build", "--depot", depot, "--spec", "spec.json", "--trust-cert", TestSigning.SampleCertificateFile, "--iso", "spec.iso", "--timestamp", Stamp.ToUnixTimeSeconds().ToString());
        Assert.True(r.Code == 0, r.Err);
        var p = Assert.Single(DepotReader.Open(tmp.File("spec.iso")).Profiles);
        Assert.Equal(new[] { "esx-base", "net-sample", "nvme-sample" }, p.Packages.Select(v => v.Name).OrderBy(x => x));
        Assert.Contains(p.Components, c => c.Id == "ESXi:8.0.0-1.0.20513097");
    }

    [Fact]
    public void Build_with_a_spec_naming_an_absent_base_image_or_an_add_on_fails_with_the_error_id()
    {
        using var tmp = new TempDir();
        var fx = ComponentDepotFixture.Create(tmp.File("fx"));
        File.WriteAllText(tmp.File("absent.json"), "{\"base_image\":{\"version\":\"9.0.0-0.1\"}}");
        var r = Run(tmp.Path, "build", "--depot", fx.BaseDepot, "--spec", "absent.json", "--iso", "x.iso");
        Assert.Equal(ExitCodes.NotFound, r.Code);
        Assert.StartsWith("esximage: BaseImageNotFound: ", r.Err);
        Assert.Contains("absent.json", r.Err);

        File.WriteAllText(tmp.File("addon.json"), "{\"base_image\":{\"version\":\"" + ComponentDepotFixture.BaseImageVersion + "\"},\"add_on\":{\"name\":\"A\",\"version\":\"1\"}}");
        r = Run(tmp.Path, "validate", "--depot", fx.BaseDepot, "--spec", "addon.json");
        Assert.StartsWith("esximage: AddonNotSupported: ", r.Err);
        Assert.False(File.Exists(tmp.File("x.iso")));

        File.WriteAllText(tmp.File("both.json"), ComponentDepotFixture.Spec);
        r = Run(tmp.Path, "build", "--depot", fx.BaseDepot, "--spec", "both.json", "--profile", "x", "--iso", "x.iso");
        Assert.Equal(ExitCodes.Usage, r.Code);
    }
}
